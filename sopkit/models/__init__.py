"""The process format as pydantic models.

Models check what one object can check on its own (units, ranges, slugs,
unknown fields). Rules that need several objects (step references, cycles,
rates from ``roles.yaml``) live in ``validate.py``.

    common.py   the strict base model, slugs, text checks
    values.py   durations and estimates, frequencies, money, counts
    roles.py    roles, the working calendar, the settings of a roles file
    steps.py    a step and what it carries: rework, automation, conditions,
                joint work, expenses, due dates
    process.py  the process file
"""

from __future__ import annotations

from .common import Text, is_slug
from .process import Process, Review
from .roles import Language, Role, RoleKind, Settings, Weekday, WorkingCalendar
from .steps import (
    Answer,
    Automation,
    Condition,
    DayOffset,
    Due,
    Expense,
    ExpensePeriod,
    Rework,
    Step,
    StepKind,
    parse_when,
)
from .values import MAX_ANNUAL_MONEY, Clock, Count, Duration, Estimate, Frequency, Period

__all__ = [
    "Answer",
    "Automation",
    "Clock",
    "Condition",
    "Count",
    "DayOffset",
    "Due",
    "Duration",
    "Estimate",
    "Expense",
    "ExpensePeriod",
    "Frequency",
    "Language",
    "MAX_ANNUAL_MONEY",
    "Period",
    "Process",
    "Review",
    "Rework",
    "Role",
    "RoleKind",
    "Settings",
    "Step",
    "StepKind",
    "Text",
    "Weekday",
    "WorkingCalendar",
    "is_slug",
    "parse_when",
]
