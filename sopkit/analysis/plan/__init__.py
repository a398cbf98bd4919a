"""A dated plan: one typical run of a process laid on the working calendar.

The schedule (``sopkit.analysis.schedule``) gives every step of the typical run its
earliest start and finish in working hours from the start of the run. Here
those hours become dates: working day ``n`` of the run is the ``n``-th day
after the first that is neither a weekend day nor a holiday of the roles
file's ``calendar``, and an hour ``h`` falls on working day ``h ÷
hours_per_day``. A step *starts* on the day its first hour falls on and
*finishes* on the day its last hour falls on (work that ends at 16:00 of an
8-hour day ends that day, not the next); a milestone is dated by the moment it
happens, which is the end of the work before it.

The run starts on a given date (``start``, moved to the next working day if it
is not one), or is placed so that a milestone falls on a given date (``at``);
either way every step keeps its place in the typical run, as early as the graph
allows. A step's ``due`` is the end of the working day ``offset`` working days
from its milestone's date; its slack is the working days from the end of the
step's work to that moment, negative when the graph cannot meet it (the run
is already as early as it can be, so no other order would). Placed by a
milestone, a run whose steps before the milestone are due from it too soon
for the work between them starts earlier instead: the milestone waits for its
date (``arrange._hold``), as a team holds a launch date and starts the work sooner.

The package, one job a module: ``calendar`` counts working days, ``results`` holds
what a plan is made of, ``arrange`` places the steps in working hours (the schedule,
a hold for a date, levelling), ``due`` checks due dates and words their warnings,
``unbooked`` finds the work the bookings leave out (calls, steps done more than once
a run); this module dates a run from them (``plan_run``).

Everything here is pure: dates in, dates out.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from ...accept import accepts
from ...errors import UsageError
from ...graph import cached_flow_graph
from ...models import Process
from ..booking import Timing, overloads
from ..cost import cost_process
from ..runs import typical_answers
from ..schedule import schedule
from ..units import to_decimal
from .arrange import _arranged, _released, _timing
from .calendar import CLOSED_TEXT, WorkingDays, _day_index
from .due import (
    back_from,
    dated_due,
    find_gap,
    held_miss_warning,
    miss_warning,
    unchecked_warning,
    wait_to_meet,
)
from .results import Baseline, DueMiss, Overbooking, Plan, PlannedStep, Unbooked
from .unbooked import unbooked

__all__ = [
    "Baseline",
    "DueMiss",
    "Overbooking",
    "Plan",
    "PlannedStep",
    "Unbooked",
    "WorkingDays",
    "plan_run",
]


#: The last day a plan may end on.
_LAST_DAY = _dt.date(9999, 11, 30)


def plan_run(
    process: Process,
    *,
    start: _dt.date | str | None = None,
    at: tuple[str, _dt.date | str] | str | None = None,
    level: bool = False,
    scenario: str | None = None,
) -> Plan:
    """Date one typical run of ``process``: from ``start``, or so that milestone
    ``at[0]`` falls on ``at[1]`` (exactly one of the two). Dates may be written
    ``"YYYY-MM-DD"``, and ``at`` as ``"launch=YYYY-MM-DD"``; a ``datetime``
    counts as its day.

    Every plan says where a role has more work at once than people
    (``overbooked``, see ``sopkit.analysis.booking``); with ``level`` the steps
    wait for their people, so the run may take longer. ``scenario`` only names the
    scenario ``process`` already comes from (``sopkit.decide.scenario_process``), for
    the plan's titles to say it is a To-Be: it changes no date. To plan a process as a
    scenario leaves it, beside its plan as it is, call ``sopkit.plan_scenario``.

    Raises:
        UsageError: neither or both given; a date that is not one; ``at`` names
            no milestone of the typical run, or a date that is not a working
            day; a run that would end past year 9999 or start before year 1.
    """
    if (start is None) == (at is None):
        raise UsageError("give a start date or a milestone date, not both or neither")
    begin = None if start is None else _day(start, "start")
    anchor = None if at is None else _anchor(at)
    try:
        plan = _plan_run(process, begin, anchor, levelled=level)
    except OverflowError:
        plan = None
    # A month to spare: a chart draws days around the run, a calendar ends a day later.
    if plan is None or plan.finish > _LAST_DAY:
        raise UsageError(
            "the run does not fit in the calendar (years 1 to 9999)",
            hint="plan it from a date nearer to today",
        )
    return plan if scenario is None else replace(plan, scenario=scenario)


def _anchor(at: tuple[str, _dt.date | str] | str) -> tuple[str, _dt.date]:
    """``("launch", date)`` from that pair or from ``"launch=2026-11-20"``."""
    pair = tuple(at.partition("=")[::2]) if isinstance(at, str) else at
    if (
        not isinstance(pair, tuple)
        or len(pair) != 2
        or not isinstance(pair[0], str)
        or not pair[0].strip()
    ):
        raise UsageError(
            f"at {at!r} is not a milestone and a date",
            hint='give ("launch", "2026-11-20") or "launch=2026-11-20"',
        )
    return pair[0].strip(), _day(pair[1], "the milestone's date")


def _day(value: _dt.date | str, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise UsageError(f"{what} {value!r} is not a date", hint="give a date or 'YYYY-MM-DD'")
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{what} '{value}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-11-02"
        ) from None


def _plan_run(
    process: Process,
    start: _dt.date | None,
    at: tuple[str, _dt.date] | None,
    *,
    levelled: bool,
) -> Plan:
    cost_process(process)  # a file the cost report refuses (figures beyond any team) is refused
    settings = process.settings
    days = WorkingDays.of(settings.calendar)
    hours_per_day = Fraction(settings.hours_per_day)
    found_schedule = schedule(process)
    timing = _timing(process, found_schedule)
    critical = set(found_schedule.critical_path)
    held: dict[str, Fraction] = {}
    held_for: dict[str, tuple[str, ...]] = {}
    clock = (hours_per_day, settings.days_per_week)
    anchor = at[0] if at is not None and at[0] in timing else None
    base = timing
    timing, hold, found = _arranged(process, base, anchor, clock, levelled=levelled)
    if found is not None:
        held, held_for, critical = dict(found.held), found.held_for, set(found.chain)
    anchor_wait = Fraction(0)
    if anchor is not None and hold.late:
        # how long the milestone waits for its date once the work before it is done
        anchor_wait = timing[anchor][0] - _released(process, timing, anchor, None)[1]
        held[anchor] = anchor_wait
    run_ids = list(timing)
    asked = None
    if start is not None:
        first = days.on_or_after(start)
        asked = start if first != start else None
    else:
        assert at is not None
        first = _first_day_for(process, at, timing, days, hours_per_day)

    def on_day(hours: Fraction, *, end: bool) -> _dt.date:
        return days.shift(first, _day_index(hours, hours_per_day, end=end))

    dated: dict[str, _dt.date] = {}
    for step_id, (begin, work, _) in timing.items():
        dated[step_id] = on_day(begin + work, end=True)
    steps, misses, undated, unchecked = [], [], [], []
    early: Plan | None = None
    by_id = {step.id: (index, step) for index, step in enumerate(process.steps)}
    for step_id in sorted(run_ids, key=lambda s: (timing[s][0], by_id[s][0])):
        index, step = by_id[step_id]
        begin, work, wait = timing[step_id]
        due, due_text, slack = dated_due(
            step, dated, first, days, (hours_per_day, settings.days_per_week), begin + work
        )
        if step.due is not None and due is None:
            undated.append(step_id)
            warning = unchecked_warning(process, index, step.due.milestone)
            unchecked.append(DueMiss(step_id, warning, accepts(process, warning)))
        planned = PlannedStep(
            step_id=step_id,
            name=step.name,
            kind=step.kind,
            owner=step.owner,
            participants=tuple(step.participants),
            counts=tuple(step.participants.values()),
            start=on_day(begin, end=step.milestone),
            finish=dated[step_id],
            start_hours=to_decimal(begin),
            finish_hours=to_decimal(begin + work),
            work_days=to_decimal(work / hours_per_day),
            wait_until=on_day(begin + work + wait, end=True) if wait else None,
            critical=step_id in critical,
            due=due,
            due_text=due_text,
            slack_days=slack,
            held_days=to_decimal(held.get(step_id, Fraction(0)) / hours_per_day),
            held_for=held_for.get(step_id, ()),
        )
        steps.append(planned)
        if planned.late and step.due is not None and due is not None and slack is not None:
            gap = find_gap(process, step, timing, hours_per_day)
            # The same run unlevelled tells a due date its people miss from one the graph does.
            if levelled and early is None:
                early = _plan_run(process, start, at, levelled=False)
            unlevelled = None if early is None else early.step(step_id)
            if unlevelled is not None and not unlevelled.late:
                import networkx as nx  # here: importing it costs every command 0.1 s

                before = nx.ancestors(cached_flow_graph(process), step_id) | {step_id}
                waited = [
                    r for s in process.steps if s.id in before for r in held_for.get(s.id, ())
                ]
                miss = held_miss_warning(
                    process, index, planned, (due, slack), unlevelled.finish, dict.fromkeys(waited)
                )
            else:
                blocked = hold.blocking if step_id in hold.late else ()
                if gap is not None and not blocked:
                    meeting = wait_to_meet(process, step, base, anchor, clock, levelled=levelled)
                    more, breaks = meeting if meeting is not None else (None, ())
                    gap = replace(gap, more=more, breaks=breaks)
                back = None
                if not blocked and anchor != step.due.milestone:
                    # placed otherwise, a plan placed by the milestone may meet it
                    waits = back_from(process, step, base, clock, levelled=levelled)
                    back = None if waits is None else to_decimal(waits[0] / hours_per_day)
                after = (step.due.milestone, gap)
                offset = step.due.offset.working_days(settings.days_per_week)
                miss = miss_warning(
                    process,
                    index,
                    planned,
                    (due, slack),
                    after,
                    (at, blocked),
                    offset,
                    levelled=levelled,
                    back=back,
                )
            misses.append(DueMiss(step_id, miss, accepts(process, miss)))
    lead = max((b + w + x for b, w, x in timing.values()), default=Fraction(0))
    return Plan(
        process=process,
        start=first,
        finish=on_day(lead, end=True),
        asked_start=asked,
        anchor=at,
        steps=tuple(steps),
        skipped=tuple(s.id for s in process.steps if s.id not in timing),
        misses=tuple(misses),
        undated=tuple(s.id for s in process.steps if s.id in undated),
        unchecked=tuple(sorted(unchecked, key=lambda miss: by_id[miss.step_id][0])),
        lead_time_days=to_decimal(lead / hours_per_day),
        cost_lead_time_days=found_schedule.lead_time_days,
        calendar=settings.calendar,
        hours_per_day=settings.hours_per_day,
        levelled=levelled,
        anchor_held_days=to_decimal(anchor_wait / hours_per_day),
        held_for_due=hold.late if anchor_wait else (),
        overbooked=tuple(
            Overbooking(
                role=o.role,
                start=on_day(o.start, end=False),
                finish=on_day(o.end, end=True),
                steps=o.steps,
                need=o.need,
                people=o.people,
                assumed=o.assumed,
                headcount=_headcount(process, o.role),
            )
            for o in overloads(process, timing)
        ),
        unbooked=unbooked(process, timing),
    )


def _headcount(process: Process, role: str) -> Decimal | None:
    found = process.role(role)
    return None if found is None else found.headcount


def _first_day_for(
    process: Process,
    at: tuple[str, _dt.date],
    timing: Timing,
    days: WorkingDays,
    hours_per_day: Fraction,
) -> _dt.date:
    """The first day of a run whose milestone ``at[0]`` falls on ``at[1]``."""
    name, when = at
    milestones = [s.id for s in process.steps if s.milestone]
    step = next((s for s in process.steps if s.id == name), None)
    if step is None or not step.milestone:
        what = "no step" if step is None else "a step that is not a milestone"
        hint = (
            "milestones here: " + ", ".join(milestones)
            if milestones
            else "mark the event a plan is dated by with 'milestone: true'"
        )
        called = [
            s.id for s in process.steps if s.milestone and s.name.casefold() == name.casefold()
        ]
        if step is None and len(called) == 1:  # --at 캠페인 오픈=…: its name, not its id
            hint = f"did you mean '{called[0]}'? ('{name}' is its name; --at takes the id)"
        raise UsageError(f"--at names {what}: '{name}'", hint=hint)
    if name not in timing:
        answers = ", ".join(f"{k}: {v}" for k, v in typical_answers(process).items())
        raise UsageError(
            f"milestone '{name}' is not part of the typical run, so no run can be dated by it",
            hint=f"the typical run answers {answers}; date the run by another milestone"
            if answers
            else "date the run by another milestone",
        )
    closed = days.closed_because(when)
    if closed is not None:
        before = days.on_or_before(when)
        after = days.on_or_after(when)
        raise UsageError(
            f"{when.isoformat()} ({when.strftime('%A')}) is not a working day: "
            f"{CLOSED_TEXT[closed]}",
            hint=f"the nearest working days are {before.isoformat()} and {after.isoformat()}; "
            "or change 'calendar' in roles.yaml",
        )
    begin, work, _ = timing[name]
    return days.shift(when, -_day_index(begin + work, hours_per_day, end=True))
