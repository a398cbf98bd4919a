"""A dated plan as text: a terminal table, Markdown, CSV and JSON.

Rows are the steps of the typical run in the order they start (ties in file
order). Dates are ISO ``YYYY-MM-DD`` (tables add the weekday); work is in
working days with two decimals; slack is working days from the end of the
step's work to the end of its due day, negative when the graph cannot meet
it. JSON is the stable interface: keys are only ever added.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...analysis.plan import Overbooking, Plan, PlannedStep
from ...errors import UsageError
from ..costs.cost_sheets import person_text
from ..costs.jsontext import dump_json
from ..costs.sheet import Cell, Column, Sheet
from ..costs.tables import render_sheet
from ..i18n import Catalogue, catalogue, hours_label
from ..numbers import DASH, hours_text, number_text, round_number

__all__ = [
    "PLAN_FORMATS",
    "TEXT_FORMATS",
    "anchor_text",
    "moved_start_text",
    "no_holidays_text",
    "overbooking_text",
    "plan_document",
    "plan_report",
    "plan_sheet",
    "unbooked_notes",
]

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


def _day_name(number: int, written: str, t: Catalogue) -> str:
    """A weekend day as the plan's reader says it (``토``, ``сб``); English keeps the
    file's spelling (``sat``)."""
    if t.language == "en":
        return written
    from babel.dates import get_day_names

    return str(get_day_names("abbreviated", locale=t.language)[number])


def _weekday(day: _dt.date, language: str) -> str:
    """The day's short weekday name in ``language`` (``Thu``, ``목``, ``чт``)."""
    from babel.dates import format_date

    return format_date(day, "EEE", locale=language)


def _day(day: _dt.date | None, t: Catalogue) -> Cell:
    if day is None:
        return Cell(DASH, "")
    return Cell(f"{t.day(day)} {_weekday(day, t.language)}", day.isoformat())


def _days(value: Decimal | None, t: Catalogue, *, signed: bool = False) -> Cell:
    if value is None:
        return Cell(DASH, "")
    rounded = round_number(value, 2)
    text = number_text(rounded, 2, t.language)
    if signed and rounded > 0:
        text = "+" + text
    if signed and rounded < 0:  # "2.81 late", not "-2.81 late": the word is the sign
        text = t("plan.late", days=number_text(-rounded, 2, t.language))
    return Cell(text, format(rounded, "f"))


def _moved(plan: Plan, step_id: str, t: Catalogue) -> Cell:
    """Working days the scenario moved the step's finish: ``-2``, ``+1``, ``0``, or ``new``
    for a step the run as it is does not have; empty without a scenario."""
    if plan.baseline is None:
        return Cell("", "")
    moved = plan.moved(step_id)
    if moved is None:
        return Cell(t("plan.new"), "")
    return Cell(f"{moved:+d}" if moved else "0", str(moved))


def _held(step: PlannedStep, t: Catalogue) -> Cell:
    """A hold for people: blank in a table when there is none (most rows), 0.00 in CSV."""
    shown = _days(step.held_days, t)
    return shown if step.held_days else Cell("", shown.raw)


def _text(value: str | None) -> Cell:
    return Cell(value or "", value or "")


def _who(step: PlannedStep, t: Catalogue, plan: Plan) -> str:
    if step.kind == "call":  # no one's work of its own: the procedure it runs
        called = plan.process.step(step.step_id).process or ""
        callee = plan.process.callees.get(called)
        return t("plan.runs", process=callee.name if callee is not None else called)
    if not step.participants:
        return step.owner or ""
    people = [
        name if count == 1 else t("with.count", count=hours_text(count, t.language, 4), name=name)
        for name, count in zip(step.participants, step.counts, strict=True)
    ]
    return t("plan.with", owner=step.owner or "", people=", ".join(people)).strip()


def plan_sheet(plan: Plan) -> Sheet:
    """The plan as a sheet: one row per step of the typical run, in the process's
    language (a CSV keeps its English column keys, plain dates and numbers)."""
    t = catalogue(plan.process.language.value)
    # Without a due date on any step, Due and Slack would be a dash on every row: the
    # tables leave them out; every CSV has them, as a file for tools keeps its columns.
    dated = any(step.due_text is not None for step in plan.steps)
    columns = [
        Column("step", "Id", numeric=False, csv_only=True),
        Column("name", t("plan.col.step"), numeric=False, wraps=True),
        Column("kind", "Kind", numeric=False, csv_only=True),
        Column("owner", t("plan.col.owner"), numeric=False, wraps=True, reading_only=True),
        Column("owner", "Owner", numeric=False, csv_only=True),
        Column("with", "With", numeric=False, csv_only=True),
        Column("start", t("plan.col.start"), numeric=False),
        Column("finish", t("plan.col.finish"), numeric=False),
        Column("work_days", t("plan.col.work")),
        Column("wait_until", t("plan.col.wait"), numeric=False),
        Column("due", t("plan.col.due"), numeric=False, csv_only=not dated),
        Column("due_from", "Due from", numeric=False, csv_only=True),
        Column("slack_days", t("plan.col.slack"), csv_only=not dated),
        Column("critical", t("plan.col.critical"), numeric=False),
        # a levelled plan's tables show the holds; every CSV has the column
        Column("held_days", t("plan.col.held"), csv_only=not plan.levelled),
        Column("held_for", "Held for", numeric=False, csv_only=True),
        # a scenario's plan shows what it moved; every CSV has the columns
        Column("moved_days", t("plan.col.moved"), csv_only=plan.baseline is None),
        Column("as_is_finish", "As-is finish", numeric=False, csv_only=True),
    ]
    rows = []
    for step in plan.steps:
        rows.append(
            [
                _text(step.step_id),
                _text(step.name),
                _text(step.kind),
                _text(_who(step, t, plan)),
                _text(step.owner),
                _text(", ".join(map(person_text, step.participants, step.counts))),
                _day(step.start, t),
                _day(step.finish, t),
                _days(step.work_days, t),
                _day(step.wait_until, t),
                _day(step.due, t),
                _text(step.due_text),
                _days(step.slack_days, t, signed=True),
                Cell(t("plan.yes") if step.critical else "", "yes" if step.critical else "no"),
                _held(step, t),
                _text("; ".join(step.held_for)),
                _moved(plan, step.step_id, t),
                _day(
                    None if plan.baseline is None else plan.baseline.finishes.get(step.step_id), t
                ),
            ]
        )
    return Sheet(
        plan_title(plan, t),
        columns,
        rows,
        notes=_notes(plan, t),
        drop_order=("critical", "wait_until", "work_days", "due", "slack_days", "owner"),
    )


def plan_span(plan: Plan, t: Catalogue) -> str:
    """``2026-12-01 to 2027-01-15``, in the plan's language."""
    return t("plan.span", start=t.day(plan.start), finish=t.day(plan.finish))


def plan_name(plan: Plan, t: Catalogue) -> str:
    """The process's name, with the scenario it was planned under: a To-Be's dates must
    not pass for the process as it is."""
    if plan.scenario is None:
        return plan.process.name
    return t("plan.under_scenario", name=plan.process.name, scenario=plan.scenario)


def plan_title(plan: Plan, t: Catalogue) -> str:
    title = t(
        "plan.title",
        name=plan_name(plan, t),
        span=plan_span(plan, t),
        days=t("unit.workdays", round_number(plan.lead_time_days, 2)),
    )
    if plan.anchor is not None:
        title += f" ({anchor_text(plan, t)})"
    return title


def anchor_text(plan: Plan, t: Catalogue) -> str:
    """``Launch day on 2027-01-15``: the milestone the plan is dated from, by its name."""
    assert plan.anchor is not None
    milestone, day = plan.anchor
    name = next((s.name for s in plan.process.steps if s.id == milestone), milestone)
    return t("plan.anchor", milestone=name, date=t.day(day))


class _Names(dict[str, str]):
    """Step names by id; an id it does not know is shown as it is."""

    def __missing__(self, key: str) -> str:
        return key


def step_names(plan: Plan, t: Catalogue) -> dict[str, str]:
    """Each step's name quoted as the language quotes it, for the notes: the table beside
    them shows names, so ids there would send the reader to the file. A step only the
    as-is run has (its process is not this plan's) keeps its id."""
    return _Names({step.id: t("plan.step_name", name=step.name) for step in plan.process.steps})


def _notes(plan: Plan, t: Catalogue) -> list[str]:
    named = step_names(plan, t)
    notes = [] if plan.baseline is None else [_baseline_note(plan, t, named)]
    moved = moved_start_text(plan, t.language)
    if moved is not None:
        notes.append(moved)
    # a due date the file accepts missing is left out, as its warning is
    late = [step for step in plan.steps if step.late and step.step_id not in plan.accepted]
    if late:
        listed = ", ".join(
            t(
                "plan.note.late_item",
                id=named[s.step_id],
                days=number_text(-(s.slack_days or Decimal(0)), 2, t.language),
            )
            for s in late
        )
        if plan.levelled:  # late with the people there are, not only the graph
            notes.append(t("plan.note.late_levelled", steps=listed))
        else:
            notes.append(t("plan.note.late", steps=listed))
    if plan.anchor_held_days and plan.anchor is not None:
        notes.append(
            t(
                "plan.note.anchor_held",
                len(plan.held_for_due),
                anchor=anchor_text(plan, t),
                days=t("unit.workdays", round_number(plan.anchor_held_days, 2)),
                steps=", ".join(named[i] for i in plan.held_for_due),
            )
        )
        longer = _longer_text(plan, t)
        if longer is not None:
            notes.append(longer)
    notes.extend(overbooking_text(o, t.language, named) for o in plan.overbooked)
    if plan.levelled:
        # waits for people; the milestone's wait for its date has a note of its own
        held = [step for step in plan.steps if step.held_days > 0 and step.held_for]
        if held:
            listed = ", ".join(
                t(
                    "plan.note.held_item",
                    id=named[s.step_id],
                    days=t("unit.workdays", round_number(s.held_days, 2)),
                    roles=", ".join(s.held_for),
                )
                for s in held
            )
            notes.append(t("plan.note.levelled", steps=listed))
        else:
            notes.append(t("plan.note.levelled_none"))
    undated = [i for i in plan.undated if i not in plan.accepted]
    if undated:
        notes.append(t("plan.note.undated", steps=", ".join(named[i] for i in undated)))
    if plan.skipped:
        notes.append(t("plan.note.skipped", steps=", ".join(named[i] for i in plan.skipped)))
    if any(step.kind == "call" for step in plan.steps):  # its bar is not all work
        notes.append(t("plan.note.calls"))
    notes.extend(unbooked_notes(plan, t.language, named))
    unlisted = no_holidays_text(plan, t.language)
    if unlisted is not None:
        notes.append(unlisted)
    names = [_day_name(day.number, day.value, t) for day in plan.calendar.weekend]
    weekend = t("plan.weekend_sep").join(names)
    weekend = weekend or t("plan.none")
    notes.append(
        t(
            "plan.note.calendar",
            hours=hours_text(plan.hours_per_day, t.language),
            weekend=weekend,
            holidays=t("plan.holidays", len(plan.calendar.holidays)),
        )
    )
    return notes


def _longer_text(plan: Plan, t: Catalogue) -> str | None:
    """How much longer the run is than the lead time the cost report, the SOP and the
    dashboard give, when its milestone waits for its date: a run that meets its due
    dates takes that long, and the two figures must not disagree without a word. The
    figures are the shown ones, so the sentence adds up."""
    lead = plan.cost_lead_time_days
    if lead is None:
        return None
    days, shown = round_number(plan.lead_time_days, 2), round_number(lead, 2)
    if days <= shown:  # the milestone's wait is not on the run's longest way
        return None
    return t(
        "plan.note.longer_levelled" if plan.levelled else "plan.note.longer",
        days=t("unit.workdays", days),
        more=t("unit.workdays", days - shown),
        lead=t("unit.workdays", shown),
    )


def moved_start_text(plan: Plan, language: str = "en") -> str | None:
    """Why the run starts later than asked, in ``language``: the plan's note, and
    ``sopkit plan``'s on stderr when the output has no notes. The reason is the one a
    milestone's date is refused for (``WorkingDays.closed_because``)."""
    asked = plan.asked_start
    if asked is None:
        return None
    from babel.dates import format_date

    t = catalogue(language)
    holiday = plan.working.closed_because(asked) == "holiday"
    return t(
        "plan.note.moved",
        asked=t.day(asked),
        weekday=format_date(asked, "EEEE", locale=t.language),
        why=t("plan.closed.holiday" if holiday else "plan.closed.weekend"),
        start=t.day(plan.start),
    )


def no_holidays_text(plan: Plan, language: str = "en") -> str | None:
    """The years the run spans that the calendar lists no holidays for, in ``language``:
    the plan's note, and ``sopkit plan``'s warning when the output has no notes."""
    years = plan.years_without_holidays
    if not years:
        return None
    t = catalogue(language)
    return t("plan.note.no_holidays", len(years), years=", ".join(str(year) for year in years))


def _baseline_note(plan: Plan, t: Catalogue, named: Mapping[str, str]) -> str:
    """``As it is: 2027-01-04 to 2027-02-12, 30 working days. With the scenario the run
    starts the same day and ends 3 working days earlier.``"""
    assert plan.baseline is not None
    base, working = plan.baseline, plan.working
    if not base.finishes:
        return t("plan.note.baseline_empty")

    def moved(before: _dt.date, after: _dt.date) -> str:
        days = working.between(before, after)
        if not days:
            return t("plan.moved.same")
        return t(
            "plan.moved.later" if days > 0 else "plan.moved.earlier",
            days=t("unit.workdays", abs(days)),
        )

    note = t(
        "plan.note.baseline",
        span=t("plan.span", start=t.day(base.start), finish=t.day(base.finish)),
        days=t("unit.workdays", round_number(base.lead_time_days, 2)),
        start=moved(base.start, plan.start),
        finish=moved(base.finish, plan.finish),
    )
    shown = {step.step_id for step in plan.steps}
    gone = [step_id for step_id in base.finishes if step_id not in shown]
    if gone:
        note += " " + t("plan.note.baseline_gone", steps=", ".join(named[i] for i in gone))
    return note


def overbooking_text(
    found: Overbooking, language: str = "en", names: Mapping[str, str] | None = None
) -> str:
    """One overbooking as a sentence in ``language``: the plan's notes (``names``: the
    steps as the notes name them, see ``step_names``), the CLI's warning (ids)."""
    t = catalogue(language)
    people = t("plan.people", found.people)
    return t(
        "plan.note.overbooked",
        role=found.role,
        need=t("plan.people", found.need),
        when=t("plan.when.day", date=t.day(found.start))
        if found.start == found.finish
        else t("plan.when.span", start=t.day(found.start), finish=t.day(found.finish)),
        steps=", ".join(found.steps if names is None else [names[i] for i in found.steps]),
        people=t("plan.note.assumed", people=people)
        if found.assumed
        else _rounded(found, people, t),
    )


def unbooked_notes(
    plan: Plan, language: str = "en", names: Mapping[str, str] | None = None
) -> list[str]:
    """What the plan does not book (``Plan.unbooked``), in ``language``: a note for the
    calls, whose steps are their own process's plan, and one for the steps done more than
    once a run, booked for one execution. The plan's notes (``names``: the steps as the
    notes name them, see ``step_names``), ``sopkit plan``'s notes on stderr (ids)."""
    t = catalogue(language)
    named: Mapping[str, str] = _Names() if names is None else names
    calls = [
        t(
            "plan.note.not_booked_item",
            id=named[found.step_id],
            process=_process_name(plan, found.calls),
            times=t("repeats.count", found.times),
        )
        for found in plan.unbooked
        if found.calls is not None
    ]
    repeated = [
        t(
            "plan.note.booked_once_item",
            id=named[found.step_id],
            times=t("repeats.count", found.times),
            booked=hours_label(t, found.booked_hours),
            rest=hours_label(t, found.unbooked_hours),
        )
        for found in plan.unbooked
        if found.unbooked_hours is not None
    ]
    notes = [t("plan.note.not_booked", steps=", ".join(calls))] if calls else []
    if repeated:
        notes.append(t("plan.note.booked_once", steps=", ".join(repeated)))
    return notes


def _process_name(plan: Plan, process_id: str) -> str:
    """The called process by its name, as the table's owner column names it."""
    callee = plan.process.callees.get(process_id)
    return process_id if callee is None else callee.name


def _rounded(found: Overbooking, people: str, t: Catalogue) -> str:
    """``1 person (headcount 0.5, rounded up)``: a part-time person still works."""
    if found.headcount is None or found.headcount == found.people:
        return people
    headcount = hours_text(found.headcount, t.language, 4)  # 0.0001 is not 0
    return t("plan.note.rounded", people=people, headcount=headcount)


def _count(value: Decimal) -> int | Decimal:
    """A count of people as JSON writes it: ``2``, not ``2.0``; ``0.5`` stays."""
    return int(value) if value == value.to_integral_value() else value


def _iso(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _two(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_number(value, 2)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (numbers as ``Decimal``, dates as ISO text)."""
    return {
        "process": plan.process.id,
        "name": plan.process.name,
        "scenario": plan.scenario,
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
            "years_without_holidays": list(plan.years_without_holidays),
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
                "held_days": round_number(step.held_days, 2),
                "held_for": list(step.held_for),
                "moved_days": plan.moved(step.step_id),
                "as_is_finish": _iso(
                    None if plan.baseline is None else plan.baseline.finishes.get(step.step_id)
                ),
                "with_people": {
                    role: _count(n) for role, n in zip(step.participants, step.counts, strict=True)
                },
            }
            for step in plan.steps
        ],
        "levelled": plan.levelled,
        "as_is": None
        if plan.baseline is None
        else {
            "start": plan.baseline.start.isoformat(),
            "finish": plan.baseline.finish.isoformat(),
            "lead_time_days": round_number(plan.baseline.lead_time_days, 2),
        },
        "anchor_held_days": round_number(plan.anchor_held_days, 2),
        "held_for_due": list(plan.held_for_due),
        "overbooked": [
            {
                "role": found.role,
                "start": found.start.isoformat(),
                "finish": found.finish.isoformat(),
                "steps": list(found.steps),
                "need": _count(found.need),
                "people": _count(found.people),
                "assumed": found.assumed,
                "headcount": None if found.headcount is None else _count(found.headcount),
            }
            for found in plan.overbooked
        ],
        "late": [step.step_id for step in plan.steps if step.late],
        "undated": list(plan.undated),
        "accepted": [s.id for s in plan.process.steps if s.id in plan.accepted],
        "skipped": list(plan.skipped),
        "unbooked": [
            {
                "step": found.step_id,
                "times": _count(round_number(found.times, 2)),
                "booked_hours": round_number(found.booked_hours, 2),
                "unbooked_hours": _two(found.unbooked_hours),
                "calls": found.calls,
            }
            for found in plan.unbooked
        ],
    }
