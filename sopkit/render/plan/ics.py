"""A dated plan as an iCalendar file (RFC 5545) for Google Calendar, Outlook and Apple Calendar.

One all-day event per step of the typical run, from its first to its last
working day (``DTEND`` is the day after, as the standard counts all-day
events), named after the step and its owner, the owner also as a category so
a calendar can filter by role. Milestones are one-day events. Events are
*transparent*: a plan does not block anyone's free time.

The same plan (over the same file) gives the same bytes: each ``UID`` is
built from the process, the step and the run's name (``run``; by default its
first day), and ``DTSTAMP`` (which the standard requires) is that first day
at midnight UTC rather than the time of writing. Lines end in CRLF and are
folded at 75 octets, text is escaped.

A run is planned again when its dates move. Calendars match events by
``UID`` and take an event they already have only when its ``SEQUENCE`` went
up (and its ``DTSTAMP`` is not older), so writing the new plan over the old
file (``previous``) keeps the old file's run name, raises ``SEQUENCE`` on each
event that changed and stamps it after its old stamp, keeps the rest as they
were, and marks the old file's other events (steps no longer in the plan, or
a run renamed) ``STATUS:CANCELLED``: importing the new file moves the events
instead of adding copies. A file from before sopkit named the run in it is
recognised by its events' ids.

Written over the file of another process's plan, the new plan is a run of its
own (named after its first day, or ``run``), and the old plan's events are
cancelled all the same: the file now holds this plan, so importing it must not
leave the other's events in the calendar as if they were still planned.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal

from ...analysis.plan import Plan, PlannedStep
from ...errors import UsageError
from ..i18n import Catalogue, catalogue, due_text
from ..numbers import round_number
from .report import plan_name

__all__ = ["CalendarFile", "plan_calendar", "plan_ics"]

_PRODID = "-//sopkit//sopkit plan//EN"
#: Calendar properties that say whose plan a file holds, so the next plan can update it.
_PROCESS, _RUN = "X-SOPKIT-PROCESS", "X-SOPKIT-RUN"
#: Event lines that do not count as a change: the version stamps themselves.
_STAMPS = ("SEQUENCE:", "DTSTAMP:")


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


def _working_days(value: Decimal, t: Catalogue) -> str:
    return t("unit.workdays", round_number(value, 2))


def _event(plan: Plan, step: PlannedStep, uid: str, t: Catalogue) -> list[str]:
    process = plan.process
    who = step.owner or ""
    summary = t("ics.milestone", name=step.name) if step.kind == "milestone" else step.name
    if who:
        summary += f" — {who}"
    details = [
        t("ics.process", name=plan_name(plan, t), id=process.id),
        t("ics.step", id=step.step_id),
    ]
    if step.owner:
        details.append(t("ics.owner", name=step.owner))
    if step.participants:
        details.append(t("ics.with", names=", ".join(step.participants)))
    if step.kind != "milestone":
        details.append(t("ics.work", days=_working_days(step.work_days, t)))
    # Dates and the due date in the reader's words, as the plan's table has them: the
    # event text is read, unlike DTSTART, which the calendar reads.
    if step.wait_until is not None:
        details.append(t("ics.wait", date=t.day(step.wait_until)))
    if step.due is not None and step.slack_days is not None:
        state = (
            t("ics.late", days=_working_days(-step.slack_days, t))
            if step.late
            else t("ics.slack", days=_working_days(step.slack_days, t))
        )
        read = due_text(process, process.step(step.step_id), t) or step.due_text or ""
        details.append(t("ics.due", date=t.day(step.due), text=read, state=state))
    if step.critical:
        details.append(t("ics.critical"))
    lines = [
        f"UID:{uid}",
        f"DTSTART;VALUE=DATE:{_date(step.start)}",
        f"DTEND;VALUE=DATE:{_date(step.finish + _dt.timedelta(days=1))}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(chr(10).join(details))}",
    ]
    if who:
        lines.append(f"CATEGORIES:{_escape(who)}")
    lines.append("TRANSP:TRANSPARENT")
    return lines


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """A plan's calendar file, and what it changed in the file it replaces."""

    text: str
    #: The run's name in the events' ids.
    run: str
    #: Whether the file it replaces holds a plan of the same process (so this one updates it).
    updates: bool = False
    #: Events of the replaced file this one moves or rewords (their ``SEQUENCE`` went up).
    changed: int = 0
    #: Events the replaced file did not have (or had cancelled).
    added: int = 0
    #: Events of the replaced file whose steps are no longer in the plan, now cancelled
    #: (all of them, when it held another process's plan).
    cancelled: int = 0
    #: The process whose plan the replaced file held, when it is another's (its events,
    #: ``cancelled``, make way for this plan's).
    replaces: str | None = None


@dataclass(frozen=True, slots=True)
class _Old:
    """One event of the file being replaced: its version, its stamp and its other lines."""

    sequence: int
    stamp: str | None
    body: tuple[str, ...]
    cancelled: bool


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "").split("\n")


def _events(lines: list[str]) -> dict[str, _Old]:
    events: dict[str, _Old] = {}
    body: list[str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            body = []
        elif line == "END:VEVENT" and body is not None:
            fields = dict(item.partition(":")[::2] for item in body)
            sequence = fields.get("SEQUENCE", "0")
            if "UID" in fields and sequence.isdigit():
                kept = tuple(item for item in body if not item.startswith(_STAMPS))
                cancelled = fields.get("STATUS") == "CANCELLED"
                events[fields["UID"]] = _Old(int(sequence), fields.get("DTSTAMP"), kept, cancelled)
            body = None
        elif body is not None:
            body.append(line)
    return events


def _previous(text: str, process_id: str) -> tuple[str | None, str | None, dict[str, _Old]]:
    """The process, run name and events of the plan ``text`` holds, if it is one.

    The run name only of a plan of ``process_id`` (another's is not this plan's run).
    A file from before sopkit named the process and run in the calendar is known by
    its ``PRODID`` and its events' ids (``<process>-<step>-<first day>@sopkit``); as
    those ids do not say where the process id ends, only a plan of ``process_id`` is
    recognised among them.
    """
    lines = _unfolded(text.lstrip("\ufeff"))
    events = _events(lines)
    owner = next(
        (line.partition(":")[2] for line in lines if line.startswith(f"{_PROCESS}:")), None
    )
    if owner is not None and owner != process_id:
        return owner, None, events
    if owner is not None:
        run = next((line.partition(":")[2] for line in lines if line.startswith(f"{_RUN}:")), None)
        return owner, (None if run is None else _run_name(run)), events
    if f"PRODID:{_PRODID}" not in lines or not events:
        return None, None, {}
    legacy = re.compile(rf"{re.escape(process_id)}-.+-(\d{{8}})@sopkit")
    days = {m.group(1) if (m := legacy.fullmatch(uid)) else None for uid in events}
    if len(days) != 1 or None in days:
        return None, None, {}
    return process_id, days.pop(), events


def _default_run(plan: Plan, old_run: str | None) -> str:
    """The run's name when none is given: the one in the file written over, else its
    first day. A scenario's plan is a run of its own (``20261201-automate-drafting``), so
    in a calendar holding both, its events and those of the plan as it is never take
    each other's place; it keeps its name in a file of its own plan (its first day
    then the scenario, nothing else), and, written over another plan's file, replaces
    that plan as another run does."""
    if plan.scenario is None:
        return old_run or _date(plan.start)
    own = _run_name(plan.scenario.lower())
    if old_run is not None and re.fullmatch(rf"\d{{8}}-{re.escape(own)}", old_run):
        return old_run
    return f"{_date(plan.start)}-{own}"


def _run_name(name: str) -> str:
    """``name`` as it can stand in an event id: letters, digits, ``.``, ``_`` and ``-``."""
    cleaned = re.sub(r"[^\w.-]+", "-", name.strip()).strip("-")
    return cleaned or "run"


def _later(old: str | None, stamp: str) -> str:
    """A ``DTSTAMP`` after ``old`` (a second after it, if ``stamp`` is not), so that a
    calendar never takes the new version of an event for an older one."""
    if old is None or stamp > old:
        return stamp
    try:
        moment = _dt.datetime.strptime(old, "%Y%m%dT%H%M%SZ") + _dt.timedelta(seconds=1)
    except (ValueError, OverflowError):
        return stamp
    return moment.strftime("%Y%m%dT%H%M%SZ")


def plan_calendar(
    plan: Plan, *, run: str | None = None, previous: str | bytes | None = None
) -> CalendarFile:
    """The plan as an iCalendar file, one event per step (see the module docstring).

    ``run`` names the run in the events' ids; without it, the run keeps the name
    it has in ``previous`` (the text of the file this one replaces, when that is
    a plan of the same process), or else is named after its first day.
    """
    if run is not None and (not isinstance(run, str) or not run.strip()):
        raise UsageError("the run needs a name", hint="e.g. run='spring-launch'")
    if isinstance(previous, bytes):
        previous = previous.decode("utf-8", errors="replace")
    if previous is not None and not isinstance(previous, str):
        raise UsageError(
            "previous is the text of the calendar file the plan replaces",
            hint="read it first: Path('plan.ics').read_text()",
        )
    owner, old_run, old = (
        (None, None, {}) if previous is None else _previous(previous, plan.process.id)
    )
    t = catalogue(plan.process.language.value)
    name = _run_name(run) if run is not None else _default_run(plan, old_run)
    stamp = f"{_date(plan.start)}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(plan_name(plan, t))}",
        f"{_PROCESS}:{plan.process.id}",
        f"{_RUN}:{name}",
    ]
    changed = added = cancelled = 0
    uids: set[str] = set()
    for step in plan.steps:
        uid = f"{plan.process.id}-{step.step_id}-{name}@sopkit"
        uids.add(uid)
        body = _event(plan, step, uid, t)
        was = old.get(uid)
        sequence, when = 0, stamp
        if was is None or was.cancelled:
            added += 1
        if was is not None:
            sequence, when = was.sequence, was.stamp or stamp
            if tuple(body) != was.body:
                sequence, when = sequence + 1, _later(was.stamp, stamp)
                changed += not was.cancelled
        lines += ["BEGIN:VEVENT", *body[:1], f"DTSTAMP:{when}", f"SEQUENCE:{sequence}", *body[1:]]
        lines.append("END:VEVENT")
    for uid, event in old.items():
        if uid in uids:
            continue
        sequence, when = event.sequence, event.stamp or stamp
        if not event.cancelled:
            sequence, when = sequence + 1, _later(event.stamp, stamp)
            cancelled += 1
        body = [line for line in event.body if not line.startswith("STATUS:")]
        lines += ["BEGIN:VEVENT", *body[:1], f"DTSTAMP:{when}", f"SEQUENCE:{sequence}", *body[1:]]
        lines += ["STATUS:CANCELLED", "END:VEVENT"]
    text = "".join(_fold(line) + "\r\n" for line in [*lines, "END:VCALENDAR"])
    updates = owner == plan.process.id and bool(old)
    # Shown to the user: the id as an id can be written, whatever the file says.
    replaces = None if owner is None or owner == plan.process.id else _run_name(owner)[:100]
    counted = updates or replaces is not None
    return CalendarFile(
        text, name, updates, changed, added if counted else 0, cancelled, replaces=replaces
    )


def plan_ics(plan: Plan, *, run: str | None = None, previous: str | bytes | None = None) -> str:
    """The plan as iCalendar text (``plan_calendar``'s file)."""
    return plan_calendar(plan, run=run, previous=previous).text
