"""How often, written as an interval ("biweekly", "every 3 months", "1/2weeks"), in the
N/period a frequency takes.

A frequency is runs per period, so "every 2 weeks" has no form of its own; the
hint gives the same rate exactly where a decimal can (26/year: sopkit's year has
52 weeks), else to two decimals, said to be so. Only hints are made here: the
frequency itself still takes N/period alone, so a file says one thing one way.
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["every_hint"]

#: Periods a year, for the periods a frequency's year form can count (a day is a
#: working day, whose number a year is the roles file's: a rate per day stays per day).
_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}

#: Interval words, as (runs, every how many, period).
_WORDS: dict[str, tuple[int, int, str]] = {
    **dict.fromkeys(
        ["biweekly", "bi-weekly", "bi weekly", "fortnightly", "every fortnight", "격주"],
        (1, 2, "week"),
    ),
    **dict.fromkeys(["раз в две недели", "раз в 2 недели"], (1, 2, "week")),
    **dict.fromkeys(["semimonthly", "semi-monthly", "twice monthly"], (2, 1, "month")),
    **dict.fromkeys(["semiweekly", "semi-weekly", "twice weekly"], (2, 1, "week")),
    **dict.fromkeys(["semiannually", "semi-annually", "semiannual", "biannual"], (2, 1, "year")),
    **dict.fromkeys(["biannually", "semi-annual", "twice yearly"], (2, 1, "year")),
}
_NUMBERS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
_PERIODS = {
    **dict.fromkeys(["day", "days", "d"], "day"),
    **dict.fromkeys(["week", "weeks", "wk", "wks", "w"], "week"),
    **dict.fromkeys(["fortnight", "fortnights"], "week"),  # two weeks: see _interval
    **dict.fromkeys(["month", "months", "mo", "mos"], "month"),
    **dict.fromkeys(["quarter", "quarters", "q"], "quarter"),
    **dict.fromkeys(["year", "years", "yr", "yrs", "y"], "year"),
}
#: "every 2 weeks", "once every two months", "1/2weeks", "3 per 2 months", "every other
#: week", "twice a month".
_INTERVAL = re.compile(
    r"(?:(?P<runs>\d+|once|twice|one|two|three|four|six)\s*(?:times?\s*)?)?"
    r"(?P<by>every|each|per|in|a|an|/)\s*(?P<every>\d+|other|two|three|four|six)?\s*"
    r"(?P<period>[a-z]+)"
)


def every_hint(text: str) -> str | None:
    """How to write the interval ``text`` as a frequency (``write 26/year for biweekly,
    or 0.5/week: …``), or ``None`` when it is not one this reads."""
    said = " ".join(text.strip().lower().split())
    found = _WORDS.get(said) or _interval(said)
    if found is None:
        return None
    runs, every, period = found
    written, note = _rate(Fraction(runs, every), period)
    hint = f"write {written} for {text.strip()}" + (f", {note}" if note else "")
    if period == "week" and every > 1:
        hint += ": sopkit's year has 52 weeks"
    if said.startswith("bi") and period == "week":
        hint += "; twice a week is 2/week"
    return hint


def _interval(said: str) -> tuple[int, int, str] | None:
    """``said`` as (runs, every how many, period), when it is an interval."""
    match = _INTERVAL.fullmatch(said)
    if match is None or match["period"] not in _PERIODS:
        return None
    if match["runs"] is None and match["every"] is None and match["by"] not in ("every", "each"):
        return None  # "a month", "per week": no count, no interval
    runs = _count(match["runs"])
    every = 2 if match["every"] == "other" else _count(match["every"])
    if runs == 0 or every == 0:
        return None
    if match["period"] in ("fortnight", "fortnights"):
        return runs, every * 2, "week"
    return runs, every, _PERIODS[match["period"]]


def _count(word: str | None) -> int:
    if word is None:
        return 1
    return _NUMBERS.get(word) or int(word)


def _rate(per_period: Fraction, period: str) -> tuple[str, str | None]:
    """The rate as a frequency, and a note: a whole number per period as it is, else
    per year (26/year) with the same per period ("or 0.5/week") where that is exact,
    to two decimals ("rounded") where no decimal is."""
    if per_period.denominator == 1:
        return f"{per_period}/{period}", None
    in_period = _decimal(per_period)
    per_year = _PER_YEAR.get(period)
    if per_year is not None:
        year = _decimal(per_period * per_year)
        if year is None:
            return f"{float(per_period * per_year):.2f}/year", "rounded"
        same = in_period is not None and period != "year"
        return f"{year}/year", f"or {in_period}/{period}" if same else None
    if in_period is None:
        return f"{float(per_period):.2f}/{period}", "rounded"
    return f"{in_period}/{period}", None


def _decimal(value: Fraction) -> str | None:
    """``value`` as a short exact decimal (``0.5``, ``6.5``), or ``None`` when it has none."""
    for places in range(4):
        scaled = value * 10**places
        if scaled.denominator == 1:
            whole, part = divmod(int(scaled), 10**places)
            return f"{whole}.{part:0{places}d}" if places else str(whole)
    return None
