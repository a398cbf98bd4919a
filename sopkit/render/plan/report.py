"""A dated plan as text: a terminal table, Markdown, CSV and JSON.

Rows are the steps of the typical run in the order they start (ties in file
order). Dates are ISO ``YYYY-MM-DD`` (tables add the weekday); work is in
working days with two decimals; slack is working days from the end of the
step's work to the end of its due day, negative when the graph cannot meet
it. JSON is the stable interface: keys are only ever added.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from ...analysis.plan import Plan, PlannedStep
from ...errors import UsageError
from ..costs.sheet import Cell, Column, Sheet
from ..costs.tables import dump_json, render_sheet
from ..numbers import DASH, counted, round_number

__all__ = ["PLAN_FORMATS", "TEXT_FORMATS", "plan_document", "plan_report", "plan_sheet"]

#: Text formats of ``sopkit plan``; the others are the calendar and the chart.
TEXT_FORMATS = ("table", "markdown", "csv", "json")
PLAN_FORMATS = (*TEXT_FORMATS, "ics", "svg", "png", "pdf")


def plan_report(plan: Plan, fmt: str = "table", *, width: int | None = None) -> str:
    """The plan as ``table``, ``markdown``, ``csv`` or ``json`` text."""
    if fmt == "json":
        return dump_json(plan_document(plan))
    if fmt not in TEXT_FORMATS:
        raise UsageError(
            f"unknown plan format '{fmt}'", hint="use one of: " + ", ".join(PLAN_FORMATS)
        )
    return render_sheet(plan_sheet(plan), fmt, width)


def _day(day: _dt.date | None, *, weekday: bool = True) -> Cell:
    if day is None:
        return Cell(DASH, "")
    shown = f"{day.isoformat()} {day.strftime('%a')}" if weekday else day.isoformat()
    return Cell(shown, day.isoformat())


def _days(value: Decimal | None, *, signed: bool = False) -> Cell:
    if value is None:
        return Cell(DASH, "")
    rounded = round_number(value, 2)
    text = format(rounded, "f")
    if signed and rounded > 0:
        text = "+" + text
    if signed and rounded < 0:
        text += " late"
    return Cell(text, format(rounded, "f"))


def _text(value: str | None) -> Cell:
    return Cell(value or "", value or "")


def _who(step: PlannedStep) -> str:
    if not step.participants:
        return step.owner or ""
    return f"{step.owner or ''} with {', '.join(step.participants)}".strip()


def plan_sheet(plan: Plan) -> Sheet:
    """The plan as a sheet: one row per step of the typical run."""
    columns = [
        Column("step", "Id", numeric=False, csv_only=True),
        Column("name", "Step", numeric=False, wraps=True),
        Column("kind", "Kind", numeric=False, csv_only=True),
        Column("owner", "Owner", numeric=False, wraps=True, reading_only=True),
        Column("owner", "Owner", numeric=False, csv_only=True),
        Column("with", "With", numeric=False, csv_only=True),
        Column("start", "Start", numeric=False),
        Column("finish", "Finish", numeric=False),
        Column("work_days", "Work (days)"),
        Column("wait_until", "Waits until", numeric=False),
        Column("due", "Due", numeric=False),
        Column("due_from", "Due from", numeric=False, csv_only=True),
        Column("slack_days", "Slack (days)"),
        Column("critical", "Critical", numeric=False),
    ]
    rows = []
    for step in plan.steps:
        rows.append(
            [
                _text(step.step_id),
                _text(step.name),
                _text(step.kind),
                _text(_who(step)),
                _text(step.owner),
                _text("; ".join(step.participants)),
                _day(step.start),
                _day(step.finish),
                _days(step.work_days),
                _day(step.wait_until),
                _day(step.due),
                _text(step.due_text),
                _days(step.slack_days, signed=True),
                Cell("yes" if step.critical else "", "yes" if step.critical else "no"),
            ]
        )
    return Sheet(
        _title(plan),
        columns,
        rows,
        notes=_notes(plan),
        drop_order=("critical", "wait_until", "work_days", "due", "slack_days", "owner"),
    )


def _title(plan: Plan) -> str:
    days = round_number(plan.lead_time_days, 1)
    title = (
        f"Plan for {plan.process.name}: {plan.start.isoformat()} to {plan.finish.isoformat()}, "
        f"{counted(format(days, 'f'), 'working day', 'working days')}"
    )
    if plan.anchor is not None:
        name, day = plan.anchor
        title += f" ({name} on {day.isoformat()})"
    return title


def _notes(plan: Plan) -> list[str]:
    notes = []
    if plan.asked_start is not None:
        notes.append(
            f"{plan.asked_start.isoformat()} is not a working day: the run starts on "
            f"{plan.start.isoformat()}."
        )
    late = [step for step in plan.steps if step.late]
    if late:
        listed = ", ".join(
            f"{s.step_id} ({format(round_number(-(s.slack_days or Decimal(0)), 2), 'f')} days)"
            for s in late
        )
        notes.append(f"Cannot meet the due date even as early as the graph allows: {listed}.")
    if plan.undated:
        notes.append(
            "Not dated: the milestone their due date counts from is not in the typical run: "
            + ", ".join(plan.undated)
            + "."
        )
    if plan.skipped:
        notes.append(
            "Left out (not in the typical run: conditions at their most likely answer, "
            "per_run below 0.5): " + ", ".join(plan.skipped) + "."
        )
    weekend = ", ".join(day.value for day in plan.calendar.weekend) or "none"
    notes.append(
        f"Working calendar: {plan.hours_per_day.normalize():f} hours a day, weekend {weekend}, "
        f"{len(plan.calendar.holidays)} holidays (calendar in roles.yaml)."
    )
    return notes


def _iso(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _two(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_number(value, 2)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (numbers as ``Decimal``, dates as ISO text)."""
    return {
        "process": plan.process.id,
        "name": plan.process.name,
        "start": plan.start.isoformat(),
        "finish": plan.finish.isoformat(),
        "asked_start": _iso(plan.asked_start),
        "anchor": None
        if plan.anchor is None
        else {"milestone": plan.anchor[0], "date": plan.anchor[1].isoformat()},
        "lead_time_days": round_number(plan.lead_time_days, 2),
        "calendar": {
            "hours_per_day": plan.hours_per_day,
            "weekend": [day.value for day in plan.calendar.weekend],
            "holidays": [day.isoformat() for day in plan.calendar.holidays],
        },
        "steps": [
            {
                "step": step.step_id,
                "name": step.name,
                "kind": step.kind,
                "owner": step.owner,
                "with": list(step.participants),
                "start": step.start.isoformat(),
                "finish": step.finish.isoformat(),
                "start_hours": round_number(step.start_hours, 2),
                "finish_hours": round_number(step.finish_hours, 2),
                "work_days": round_number(step.work_days, 2),
                "wait_until": _iso(step.wait_until),
                "critical": step.critical,
                "due": _iso(step.due),
                "due_from": step.due_text,
                "slack_days": _two(step.slack_days),
                "late": step.late,
            }
            for step in plan.steps
        ],
        "late": [step.step_id for step in plan.steps if step.late],
        "undated": list(plan.undated),
        "skipped": list(plan.skipped),
    }
