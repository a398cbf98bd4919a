"""Working-day arithmetic: which days of a calendar count, and which of them an hour
of a run falls on.

A plan counts in the working days of one calendar (the roles file's ``calendar``:
weekend days and holidays), and turns a run's working hours into days by
``hours_per_day``. The plan's dates (``results.Plan.moment``, the package's
``plan_run``), the hold of a milestone for its date (``arrange``) and the due-date
checks (``due``) must all count the same way, so the counting lives here once, below
all of them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ...models import WorkingCalendar

#: Why a day is not worked: a holiday of the calendar, or one of its weekend days.
ClosedReason = Literal["holiday", "weekend"]
#: ``ClosedReason`` as English messages say it (a plan's notes say it in its language).
CLOSED_TEXT: dict[ClosedReason, str] = {
    "holiday": "a holiday in the calendar",
    "weekend": "a weekend day in the calendar",
}


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """Counting working days on one calendar: weekend days and holidays are skipped."""

    weekend: frozenset[int]
    holidays: frozenset[_dt.date]

    @classmethod
    def of(cls, calendar: WorkingCalendar) -> WorkingDays:
        return cls(frozenset(day.number for day in calendar.weekend), frozenset(calendar.holidays))

    def is_working(self, day: _dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def closed_because(self, day: _dt.date) -> ClosedReason | None:
        """Why ``day`` is not a working day (``None``: it is one), so that a plan refused
        for a milestone's date and a plan whose start moved give the same reason.
        A holiday listed on a weekend day is the holiday: the calendar names it."""
        if day in self.holidays:
            return "holiday"
        return "weekend" if day.weekday() in self.weekend else None

    def on_or_after(self, day: _dt.date) -> _dt.date:
        while not self.is_working(day):
            day += _ONE_DAY
        return day

    def on_or_before(self, day: _dt.date) -> _dt.date:
        while not self.is_working(day):
            day -= _ONE_DAY
        return day

    def shift(self, day: _dt.date, count: int) -> _dt.date:
        """The working day ``count`` working days after ``day`` (before, if negative).

        ``day`` must be a working day.
        """
        step = _ONE_DAY if count >= 0 else -_ONE_DAY
        for _ in range(abs(count)):
            day += step
            while not self.is_working(day):
                day += step
        return day

    def between(self, start: _dt.date, end: _dt.date) -> int:
        """Working days from ``start`` to ``end`` (both working days): ``shift``'s inverse."""
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            if self.is_working(day):
                count += 1
        return count


_ONE_DAY = _dt.timedelta(days=1)


def _day_index(hours: Fraction, hours_per_day: Fraction, *, end: bool) -> int:
    """The working day (from 0) an hour falls on; an end on a day's last hour is that day."""
    days = hours / hours_per_day
    if end and hours > 0:
        whole = days.numerator // days.denominator
        return whole - 1 if days == whole else whole
    return days.numerator // days.denominator
