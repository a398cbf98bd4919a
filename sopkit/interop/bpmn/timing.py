"""Times read from a BPMN file as the texts a process file writes: ``2h``, ``1/week``.

BPSim gives hours as numbers, on one clock of elapsed time; a process file writes
estimates as ``45m`` or ``1h..2h`` in working hours and frequencies as ``N/period``.
Pure: the import's warnings about what was rounded or assumed are its own.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...models import Clock, Estimate
from ..filedata import Data
from .bpsim import elapsed_hours, scaled

__all__ = [
    "DEFAULT_FREQUENCY",
    "DEFAULT_TIME",
    "estimate_text",
    "frequency_of",
    "hours_text",
    "rounded_frequency",
    "same_time",
    "working_hours",
]

#: What a task without a time of its own is given.
DEFAULT_TIME = "1h"
DEFAULT_FREQUENCY = "1/month"
#: Hours a BPSim wait read back is rounded to (a ten-thousandth of a second).
_HOUR_PLACES = Decimal("1e-8")
#: Hours in a month of the calendar (8,760 / 12): BPSim's inter-trigger clock.
_MONTH_HOURS = Decimal(730)


def hours_text(hours: Decimal) -> str | None:
    """``2h``, ``45m``, ``1h30m`` or ``1.2345h``; ``None`` for zero or less."""
    if hours <= 0:
        return None
    minutes = (hours * 60).quantize(Decimal("0.000001"))
    if minutes == minutes.to_integral_value():
        whole, rest = divmod(int(minutes), 60)
        return (f"{whole}h" if whole else "") + (f"{rest}m" if rest else "")
    if minutes < 60 and minutes * 100 == (minutes * 100).to_integral_value():
        return f"{format(minutes.normalize(), 'f')}m"  # 30 seconds: 0.5m
    rounded = hours.quantize(Decimal("0.0001")).normalize()
    return None if rounded <= 0 else f"{format(rounded, 'f')}h"


#: Periods a frequency is written in, shortest first, with how many a year has (a day's
#: count is the working days a year).
_PERIODS = (("day", None), ("week", 52), ("month", 12), ("quarter", 4), ("year", 1))
#: How far runs a year may be from a frequency's and still be it: BPSim's inter-trigger
#: time is written to ten decimals of an hour, so a sopkit export is within a billionth.
_SAME_RUNS = Fraction(1, 10**6)
#: The largest ``N`` read as a frequency someone wrote: any large count is near a whole one.
_LARGEST_COUNT = 1000


def frequency_of(hours: Decimal, working_days_per_year: Decimal) -> str | None:
    """``N/period`` when ``hours`` between runs is, within a millionth, exactly one
    (8,760 ÷ the runs a year, as the export writes it), else ``None``.

    A small whole ``N`` in the shortest period that has one (``1/week`` before
    ``52/year``, ``4/month`` before ``12/quarter``), else an ``N`` of one decimal, then
    of two, of at least 1 (or a year's: ``0.5/year``), as people write a frequency.
    """
    if hours <= 0:
        return None
    runs = Fraction(8760) / Fraction(hours)
    for places in (1, 10, 100):
        for period, per_year in _PERIODS:
            count = runs / Fraction(working_days_per_year if per_year is None else per_year)
            nearest = Fraction(round(count * places), places)
            if nearest <= 0 or nearest > _LARGEST_COUNT or (nearest < 1 and period != "year"):
                continue
            if abs(count - nearest) <= _SAME_RUNS * nearest:
                shown = Decimal(nearest.numerator) / Decimal(nearest.denominator)
                return f"{format(shown.normalize(), 'f')}/{period}"
    return None


def estimate_text(points: tuple[Decimal, Decimal | None, Decimal]) -> str | Data | None:
    low, likely, high = points
    texts = [hours_text(low), None if likely is None else hours_text(likely), hours_text(high)]
    if texts[0] is None or texts[2] is None or (likely is not None and texts[1] is None):
        return None
    if low == high and (likely is None or likely == low):
        return texts[0]
    if likely is None:
        return f"{texts[0]}..{texts[2]}"
    if not low <= likely <= high:
        return None
    return {"min": texts[0], "likely": texts[1], "max": texts[2]}


def rounded_frequency(hours: Decimal) -> str:
    """Runs a month, else a year, to two decimals: for an inter-trigger time that
    ``frequency_of`` finds no simple ``N/period`` in (so a warning must say it)."""
    per_month = (_MONTH_HOURS / hours).quantize(Decimal("0.01")).normalize()
    if per_month >= 1:
        return f"{format(per_month, 'f')}/month"
    per_year = (_MONTH_HOURS * 12 / hours).quantize(Decimal("0.01")).normalize()
    return f"{format(max(per_year, Decimal('0.01')), 'f')}/year"


def working_hours(
    clock: Clock, elapsed: tuple[Decimal, Decimal | None, Decimal]
) -> tuple[Decimal, Decimal | None, Decimal]:
    """A BPSim wait, in the clock hours that pass, as the working hours sopkit's
    ``wait`` counts (the inverse of the export's ``elapsed_hours``), exactly."""
    scale = 1 / elapsed_hours(clock)
    low, likely, high = elapsed
    return (
        scaled(low, scale, _HOUR_PLACES),
        None if likely is None else scaled(likely, scale, _HOUR_PLACES),
        scaled(high, scale, _HOUR_PLACES),
    )


def same_time(
    clock: Clock, written: Any, measured: tuple[Decimal, Decimal | None, Decimal]
) -> bool:
    """Whether the extension's time and BPSim's agree, so only a real edit is warned about."""
    try:
        estimate = Estimate.parse(written)
    except ValueError:
        return False
    low, likely, high = estimate.points(clock)
    m_low, m_likely, m_high = measured
    m_likely = (m_low + m_high) / 2 if m_likely is None else m_likely
    tolerance = Decimal("0.0001")
    return all(
        abs(a - b) <= tolerance for a, b in ((low, m_low), (likely, m_likely), (high, m_high))
    )
