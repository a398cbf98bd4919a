"""The report's bar and range charts as HTML boxes, not SVG.

A printed chart's labels are text the reader reads, so they are set as HTML
text: the label wraps instead of being cut, a long chart breaks between rows
across pages, and printing is cheap (WeasyPrint lays out an SVG ``<text>``
several times slower than a line of HTML). Bars are boxes whose widths are
percentages of the chart's width, computed here and written with two
decimals, so the same figures always give the same page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..site.charts import Datum
from ..site.ranges import RangeDatum

__all__ = ["Bar", "RangeBar", "bars", "mark", "range_bars"]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
#: The narrowest bar drawn for a value above zero, and the narrowest band, in %.
_THINNEST = Decimal("0.5")
_NARROWEST_BAND = Decimal("0.8")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, the value as shown, and its length in % of the chart's width."""

    label: str
    value_text: str
    width: str
    over: bool = False


@dataclass(frozen=True, slots=True)
class RangeBar:
    """One range: label, range as shown, and in % of the width where the band starts,
    how wide it is, where P50's line and the expected figure's dot sit."""

    label: str
    value_text: str
    left: str
    width: str
    middle: str
    expected: str


def _percent(value: Decimal, top: Decimal) -> Decimal:
    share = value * _HUNDRED / top if top > 0 else Decimal(0)
    return min(max(share, Decimal(0)), _HUNDRED)


def _text(share: Decimal) -> str:
    return format(share.quantize(_CENT), "f")


def bars(
    data: Sequence[Datum], over: Sequence[bool] = (), *, least_top: Decimal = Decimal(0)
) -> list[Bar]:
    """Bars in the order given, the largest value full width; negative values draw none.

    Args:
        data: the bars, top to bottom.
        over: for each bar, whether it is drawn in the warning colour (a role over capacity).
        least_top: the value of a full-width bar when no value is larger (100 for
            utilisation in %, so a role at 40% reads as 40% full, not as the longest bar).
    """
    top = max([least_top, *(d.value for d in data)])
    found = []
    for i, datum in enumerate(data):
        share = _percent(datum.value, top)
        if datum.value > 0:
            share = max(share, _THINNEST)
        flagged = over[i] if i < len(over) else False
        found.append(Bar(datum.label, datum.value_text, _text(share), flagged))
    return found


def mark(value: Decimal, data: Sequence[Datum], least_top: Decimal) -> str:
    """Where ``value`` sits, in % of the width, on the scale ``bars`` draws these data on."""
    return _text(_percent(value, max([least_top, *(d.value for d in data)])))


def range_bars(data: Sequence[RangeDatum]) -> list[RangeBar]:
    """Ranges in the order given, all on one scale from 0 to the largest P90 or expected figure."""
    top = max((max(d.p90, d.expected) for d in data), default=Decimal(0))
    found = []
    for datum in data:
        low = _percent(datum.p10, top)
        width = max(_percent(datum.p90, top) - low, _NARROWEST_BAND)
        found.append(
            RangeBar(
                datum.label,
                datum.value_text,
                _text(min(low, _HUNDRED - width)),
                _text(width),
                _text(_percent(datum.p50, top)),
                _text(_percent(datum.expected, top)),
            )
        )
    return found
