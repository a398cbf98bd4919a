"""A loaded process and its settings back in the shape of the file format.

Exporters carry what their format has no place for in this shape, and
importers build it, so both speak the format's own vocabulary. Values are
exact: durations as written (``90m`` stays ``90m``), numbers as ``Decimal``,
dates as dates; fields at their default are left out, as a person would.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..models import (
    Automation,
    Condition,
    Count,
    Estimate,
    Expense,
    Process,
    Review,
    Role,
    Settings,
    Step,
    WorkingCalendar,
)

__all__ = [
    "PROCESS_KEYS",
    "STEP_KEYS",
    "Data",
    "count_data",
    "estimate_data",
    "process_data",
    "role_data",
    "settings_data",
    "step_data",
]

#: A process, a step or a settings file in the file format's shape.
Data = dict[str, Any]

#: Keys of a process in the order the library's files write them.
PROCESS_KEYS = (
    "sopkit",
    "id",
    "name",
    "owner",
    "purpose",
    "trigger",
    "frequency",
    "language",
    "tools",
    "tags",
    "review",
    "roles",
    "conditions",
    "expenses",
    "accept",
    "steps",
)
#: Keys of a step in the order the library's files write them.
STEP_KEYS = (
    "id",
    "name",
    "milestone",
    "approval",
    "process",
    "count",
    "owner",
    "with",
    "when",
    "after",
    "time",
    "wait",
    "per_run",
    "rework",
    "expense",
    "due",
    "automation",
    "tools",
    "done_when",
    "instructions",
    "do",
    "dont",
    "accept",
)


def _drop_empty(data: Mapping[str, Any]) -> Data:
    """``data`` without ``None`` values and empty lists or mappings."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def estimate_data(estimate: Estimate) -> str | Data:
    """``2h``, ``1h..4h`` or ``{min, likely, max}``: the shortest form that reads back the same."""
    if not estimate.is_range:
        return str(estimate.low)
    if estimate.likely is None:
        return f"{estimate.low}..{estimate.high}"
    return {"min": str(estimate.low), "likely": str(estimate.likely), "max": str(estimate.high)}


def count_data(count: Count) -> Decimal | str | Data:
    """A count as a number, ``30..50`` or ``{min, likely, max}``."""
    if not count.is_range:
        return count.low
    if count.likely is None:
        return str(count)
    return {"min": count.low, "likely": count.likely, "max": count.high}


def _automation(automation: Automation) -> Data:
    return _drop_empty(
        {
            "share": automation.share,
            "tool": automation.tool,
            "tool_cost": automation.tool_cost or None,
            "setup": None if automation.setup.is_zero else str(automation.setup),
        }
    )


def step_data(step: Step) -> Data:
    """One step as a process file writes it."""
    when: Data = {}
    for name, wanted in (step.when or {}).items():
        when[name] = wanted if isinstance(wanted, bool) else list(wanted)
    data = {
        "id": step.id,
        "name": step.name,
        "milestone": step.milestone or None,
        "approval": step.approval or None,
        "process": step.process,
        "count": None if step.count is None else count_data(step.count),
        "owner": step.owner,
        "with": dict(step.participants),
        "when": when,
        "after": list(step.after),
        "time": None if step.time is None else estimate_data(step.time),
        "wait": None if step.wait.is_zero else estimate_data(step.wait),
        "per_run": None if step.per_run == 1 else step.per_run,
        "rework": None
        if step.rework is None
        else {"to": step.rework.to, "probability": step.rework.probability},
        "expense": step.expense,
        "due": None
        if step.due is None
        else {"milestone": step.due.milestone, "offset": str(step.due.offset)},
        "automation": None if step.automation is None else _automation(step.automation),
        "tools": list(step.tools),
        "done_when": step.done_when,
        "instructions": list(step.instructions),
        "do": list(step.do),
        "dont": list(step.dont),
        "accept": list(step.accept),
    }
    return _drop_empty(data)


def role_data(role: Role) -> Data:
    """A role's entry in ``roles.yaml`` or a process's ``roles``."""
    return _drop_empty(
        {
            "kind": None if role.kind.value == "staff" else role.kind.value,
            "rate": role.rate,
            "headcount": role.headcount,
            "available_hours": role.available_hours,
            "description": role.description,
            "accept": list(role.accept),
        }
    )


def _condition(condition: Condition) -> Data:
    return _drop_empty(
        {
            "question": condition.question,
            "share": condition.share,
            "options": None if condition.options is None else dict(condition.options),
        }
    )


def _review(review: Review) -> Data:
    return _drop_empty(
        {
            "version": review.version,
            "last_reviewed": review.last_reviewed,
            "next_review": review.next_review,
            "approver": review.approver,
        }
    )


def _expense(expense: Expense) -> Data:
    return {"name": expense.name, "amount": expense.amount, "per": expense.per.value}


def process_data(process: Process, *, steps: bool = True) -> Data:
    """A process as its file writes it: its own fields and (``steps``) its steps."""
    data = {
        "sopkit": 1,
        "id": process.id,
        "name": process.name,
        "owner": process.owner,
        "purpose": process.purpose,
        "trigger": process.trigger,
        "frequency": None if process.frequency is None else str(process.frequency),
        "language": process.language.value,
        "tools": list(process.tools),
        "tags": list(process.tags),
        "review": None if process.review is None else _review(process.review),
        "roles": {name: role_data(role) for name, role in process.roles.items()},
        "conditions": {name: _condition(c) for name, c in process.conditions.items()},
        "expenses": [_expense(e) for e in process.expenses],
        "accept": list(process.accept),
        "steps": [step_data(step) for step in process.steps] if steps else None,
    }
    return _drop_empty(data)


def _calendar(calendar: WorkingCalendar) -> Data:
    default = WorkingCalendar()
    weekend = [day.value for day in calendar.weekend]
    return _drop_empty(
        {
            "weekend": None if calendar.weekend == default.weekend else weekend,
            "holidays": list(calendar.holidays),
        }
    )


def settings_data(settings: Settings, roles: Iterable[str] | None = None) -> Data:
    """A ``roles.yaml``: currency, working time, calendar and the rates of ``roles``
    (every role when ``None``), in the order given."""
    chosen = (
        settings.roles
        if roles is None
        else {name: settings.roles[name] for name in roles if name in settings.roles}
    )
    return _drop_empty(
        {
            "currency": settings.currency,
            "hours_per_day": settings.hours_per_day,
            "days_per_week": settings.days_per_week,
            "working_days_per_year": settings.working_days_per_year,
            "calendar": _calendar(settings.calendar),
            "roles": {name: role_data(role) for name, role in chosen.items()},
            "accept": list(settings.accept),
        }
    )


def is_date(value: Any) -> bool:
    """A date (not a datetime), as YAML reads ``2026-10-01``."""
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
