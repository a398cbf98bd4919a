"""A dated plan as an iCalendar file (RFC 5545) for Google Calendar, Outlook and Apple Calendar.

One all-day event per step of the typical run, from its first to its last
working day (``DTEND`` is the day after, as the standard counts all-day
events), named after the step and its owner, the owner also as a category so
a calendar can filter by role. Milestones are one-day events. Events are
*transparent*: a plan does not block anyone's free time.

The file is the same for the same plan: each ``UID`` is built from the
process, the step and the run's first day, and ``DTSTAMP`` (which the standard
requires) is that first day at midnight UTC rather than the time of writing.
Lines end in CRLF and are folded at 75 octets, text is escaped.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from ...analysis.plan import Plan, PlannedStep
from ..numbers import counted, round_number

__all__ = ["plan_ics"]

_PRODID = "-//sopkit//sopkit plan//EN"


def _escape(text: str) -> str:
    """TEXT as RFC 5545 writes it: backslash, semicolon, comma and newline escaped."""
    cleaned = "".join(ch if ch >= " " or ch == "\n" else " " for ch in text)
    return (
        cleaned.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded into pieces of at most 75 octets, never inside a character."""
    pieces: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = 75 if not pieces else 74  # continuation lines start with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += ch
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _date(day: _dt.date) -> str:
    return day.strftime("%Y%m%d")


def _working_days(value: Decimal) -> str:
    return counted(format(round_number(value, 2).normalize(), "f"), "working day", "working days")


def _event(plan: Plan, step: PlannedStep, stamp: str) -> list[str]:
    process = plan.process
    who = step.owner or ""
    summary = f"Milestone: {step.name}" if step.kind == "milestone" else step.name
    if who:
        summary += f" — {who}"
    details = [f"Process: {process.name} ({process.id})", f"Step: {step.step_id}"]
    if step.owner:
        details.append(f"Owner: {step.owner}")
    if step.participants:
        details.append(f"With: {', '.join(step.participants)}")
    if step.kind != "milestone":
        details.append(f"Work: {_working_days(step.work_days)}")
    if step.wait_until is not None:
        details.append(f"Then wait until {step.wait_until.isoformat()}")
    if step.due is not None and step.slack_days is not None:
        state = (
            f"late by {_working_days(-step.slack_days)}"
            if step.late
            else f"slack {_working_days(step.slack_days)}"
        )
        details.append(f"Due: {step.due.isoformat()} ({step.due_text}), {state}")
    if step.critical:
        details.append("On the critical path")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{process.id}-{step.step_id}-{_date(plan.start)}@sopkit",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(step.start)}",
        f"DTEND;VALUE=DATE:{_date(step.finish + _dt.timedelta(days=1))}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(chr(10).join(details))}",
    ]
    if who:
        lines.append(f"CATEGORIES:{_escape(who)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def plan_ics(plan: Plan) -> str:
    """The plan as iCalendar text, one event per step (see the module docstring)."""
    stamp = f"{_date(plan.start)}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(plan.process.name)}",
    ]
    for step in plan.steps:
        lines += _event(plan, step, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
