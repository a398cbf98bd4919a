"""A dated plan: one typical run of a process laid on the working calendar.

The schedule (``schedule.py``) gives every step of the typical run its
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
date (``_hold``), as a team holds a launch date and starts the work sooner.

Everything here is pure: dates in, dates out.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..errors import Problem, UsageError
from ..graph import Flow, cached_flow_graph
from ..models import Process, Step, WorkingCalendar
from ..validate import MAX_WAIT_HOURS
from .booking import Levelled, Timing, level, overloads
from .cost import cost_process
from .runs import typical_answers
from .schedule import Schedule, schedule
from .units import expected_hours, to_decimal

__all__ = [
    "Baseline",
    "DueMiss",
    "Overbooking",
    "Plan",
    "PlannedStep",
    "WorkingDays",
    "plan_run",
]


# --- working-day arithmetic -------------------------------------------------------------


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


# --- the plan -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step of the typical run, dated.

    ``start_hours`` and ``finish_hours`` are working hours from the start of the
    run (the work only; a wait follows it until ``wait_until``).
    """

    step_id: str
    name: str
    #: ``task``, ``signoff``, ``call`` or ``milestone``.
    kind: str
    owner: str | None
    participants: tuple[str, ...]
    #: How many people of each ``participants`` role work on it (``with``'s counts).
    counts: tuple[Decimal, ...]
    start: _dt.date
    finish: _dt.date
    start_hours: Decimal
    finish_hours: Decimal
    #: Working days of work (hours ÷ hours_per_day); 0 for a milestone.
    work_days: Decimal
    #: The last working day of the wait after the work, or ``None`` without one.
    wait_until: _dt.date | None
    #: On the critical path: the step graph's, or in a levelled plan the steps (and
    #: the holds for people) that decide when the run ends.
    critical: bool
    #: When the step must be done, and how ``due`` says it (``launch -10d``).
    due: _dt.date | None = None
    due_text: str | None = None
    #: Working days from the end of the work to the end of the due day (negative: late).
    slack_days: Decimal | None = None
    #: Working days a levelled plan holds the step back for its people once the steps
    #: before it are done (0 otherwise); later starts those steps cause are not counted.
    #: For the milestone a plan is placed by (``Plan.anchor``): how long it waits for its
    #: date (``Plan.anchor_held_days``).
    held_days: Decimal = Decimal(0)
    #: The roles it was held for (none for the milestone's wait for its date).
    held_for: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        return self.slack_days is not None and self.slack_days < 0


@dataclass(frozen=True, slots=True)
class DueMiss:
    """A due date a plan warns about, located at the step's ``due`` in the file: one the
    graph cannot meet (``Plan.misses``), or one it cannot check (``Plan.unchecked``)."""

    step_id: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class Overbooking:
    """Days on which a role has more work at once than people (``booking.Overload``, dated)."""

    role: str
    #: The working days the span starts and ends on.
    start: _dt.date
    finish: _dt.date
    #: The steps the role works on then, in the order they start.
    steps: tuple[str, ...]
    #: The most people needed at once, and how many can work at once.
    need: Decimal
    people: Decimal
    #: The role has no ``headcount``: ``people`` is the plan's assumption.
    assumed: bool
    #: The role's ``headcount`` as written (``people`` is it rounded up), if any.
    headcount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Baseline:
    """The same run as it is, beside a scenario's plan of it: what the scenario moved."""

    start: _dt.date
    finish: _dt.date
    lead_time_days: Decimal
    #: Each step of the run as it is: the day its work finishes.
    finishes: Mapping[str, _dt.date]

    @classmethod
    def of(cls, plan: Plan) -> Baseline:
        finishes = {step.step_id: step.finish for step in plan.steps}
        return cls(plan.start, plan.finish, plan.lead_time_days, finishes)


@dataclass(frozen=True, slots=True)
class Plan:
    """One typical run of a process on the calendar."""

    process: Process
    #: The first working day of the run, and the last (when its last work or wait ends).
    start: _dt.date
    finish: _dt.date
    #: The start date asked for when it was not a working day (the run moved to ``start``).
    asked_start: _dt.date | None
    #: The milestone and date the run was placed by (``at``), if any.
    anchor: tuple[str, _dt.date] | None
    steps: tuple[PlannedStep, ...]
    #: Steps the typical run leaves out (conditions answered otherwise, ``per_run`` < 0.5).
    skipped: tuple[str, ...]
    misses: tuple[DueMiss, ...]
    #: Dues that could not be dated: their milestone is not in the typical run.
    undated: tuple[str, ...]
    lead_time_days: Decimal
    calendar: WorkingCalendar
    hours_per_day: Decimal
    #: Whether steps wait for their people (``level``), not only for the steps before them.
    levelled: bool = False
    #: Where a role has more work at once than people (after levelling, only steps
    #: that alone need more people than the role has).
    overbooked: tuple[Overbooking, ...] = ()
    #: The scenario the process was planned under (its To-Be), by name; ``None``: as it is.
    scenario: str | None = None
    #: Working days the ``anchor`` milestone waits for its date after the work before it
    #: is done: a plan placed by a milestone starts that much earlier so the steps in
    #: ``held_for_due`` meet their due dates (0 and none when every date is met anyway).
    anchor_held_days: Decimal = Decimal(0)
    held_for_due: tuple[str, ...] = ()
    #: For a scenario's plan (``sopkit.decide.plan_scenario``): the run as it is.
    baseline: Baseline | None = None
    #: A warning for each of ``undated``, located at its ``due``.
    unchecked: tuple[DueMiss, ...] = ()

    @property
    def years_without_holidays(self) -> tuple[int, ...]:
        """The years the run spans for which the calendar lists no holiday while it lists
        some for other years: most likely not entered yet, so work may fall on them."""
        listed = {day.year for day in self.calendar.holidays}
        if not listed:
            return ()
        spanned = range(self.start.year, self.finish.year + 1)
        return tuple(year for year in spanned if year not in listed)

    def moved(self, step_id: str) -> int | None:
        """Working days a scenario moved the step's finish (later: above 0); ``None`` without
        a baseline, or for a step only one of the two runs has."""
        found = [step for step in self.steps if step.step_id == step_id]
        if self.baseline is None or step_id not in self.baseline.finishes or not found:
            return None
        return self.working.between(self.baseline.finishes[step_id], found[0].finish)

    def step(self, step_id: str) -> PlannedStep:
        for step in self.steps:
            if step.step_id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def working(self) -> WorkingDays:
        return WorkingDays.of(self.calendar)

    def moment(self, hours: Decimal, *, end: bool) -> tuple[_dt.date, Fraction]:
        """The working day a moment of the run falls on, and how much of it has passed.

        ``hours`` are working hours from the start of the run. An *end* on the
        last hour of a day is that day at 1 (the work fills it), not the next at 0.
        """
        per_day = Fraction(self.hours_per_day)
        index = _day_index(Fraction(hours), per_day, end=end)
        passed = Fraction(hours) / per_day - index
        return self.working.shift(self.start, index), passed


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
        due, due_text, slack = _due(
            step, dated, first, days, (hours_per_day, settings.days_per_week), begin + work
        )
        if step.due is not None and due is None:
            undated.append(step_id)
            unchecked.append(DueMiss(step_id, _unchecked(process, index, step.due.milestone)))
        planned = PlannedStep(
            step_id=step_id,
            name=step.name,
            kind=_kind(step),
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
            gap = _gap(process, step, timing, hours_per_day)
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
                miss = _held_miss(
                    process, index, planned, (due, slack), unlevelled.finish, dict.fromkeys(waited)
                )
            else:
                blocked = hold.blocking if step_id in hold.late else ()
                if gap is not None and not blocked:
                    more = _wait_to_meet(process, step, base, anchor, clock, levelled=levelled)
                    gap = replace(gap, more=more)
                after = (step.due.milestone, gap)
                offset = step.due.offset.working_days(settings.days_per_week)
                miss = _miss(process, index, planned, (due, slack), after, (at, blocked), offset)
            misses.append(DueMiss(step_id, miss))
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
    )


def _headcount(process: Process, role: str) -> Decimal | None:
    found = process.role(role)
    return None if found is None else found.headcount


def _kind(step: Step) -> str:
    if step.milestone:
        return "milestone"
    if step.is_call:
        return "call"
    return "signoff" if step.approval else "task"


def _timing(process: Process, found: Schedule) -> Timing:
    """Each typical-run step's start, work and wait in working hours, exactly."""
    clock = process.settings.clock
    # The exact figures, read once: the Decimal views are new dicts on each read.
    durations, starts = found.exact_durations, found.exact_start
    timing = {}
    for step in process.steps:
        if step.id not in found.typical_run:
            continue
        wait = expected_hours(step.wait, clock)
        total = durations.get(step.id, Fraction(0))
        # the schedule's duration is work + wait; a call's work is its callee's lead time
        work = expected_hours(step.time, clock) if step.time is not None else total - wait
        timing[step.id] = (starts[step.id], max(work, Fraction(0)), wait)
    return timing


@dataclass(frozen=True, slots=True)
class Hold:
    """How long a milestone waits for its date, and why (``_hold``)."""

    hours: Fraction
    #: The steps late without the wait.
    late: tuple[str, ...]
    #: Steps after the milestone a longer wait would make late: they cut it short.
    blocking: tuple[str, ...]


def _hold(process: Process, anchor: str, timing: Timing, clock: tuple[Fraction, Decimal]) -> Hold:
    """How long ``anchor`` must wait for its date (whole working days, in hours) so the due
    dates counted from it are met, and the steps late without the wait.

    Holding the milestone moves it (and the steps after it) later in the run, and so the
    run's start earlier against the milestone's date: a step not after the milestone
    then has that much more time before its due date. A step after the milestone moves
    with it and gains nothing; nor does one due from another milestone, which would
    move by less than the hold, or not at all. A hold never makes a step after the
    milestone, due from a milestone not after it, miss a date it meets: it is at most
    such a step's slack in whole days (none if one is late already).
    """
    hours_per_day, days_per_week = clock
    after = _following(Flow.of(process), anchor)
    moment = sum(timing[anchor][:2], Fraction(0))
    day = _day_index(moment, hours_per_day, end=True)
    needs: dict[str, int] = {}  # the milestone's working day each late step needs
    limits: dict[str, int] = {}  # whole days of slack of each step after the milestone
    for step in process.steps:
        if step.due is None or step.id not in timing:
            continue
        offset = step.due.offset.working_days(days_per_week)
        end = sum(timing[step.id][:2], Fraction(0))
        if step.due.milestone == anchor and step.id not in after:
            need = -((-end) // hours_per_day) - 1 - offset  # ⌈end ÷ day⌉ − 1 − offset
            if need > day:
                needs[step.id] = need
        elif step.id in after and step.due.milestone not in after:
            own = step.due.milestone
            if own not in timing:
                continue
            own_day = _day_index(sum(timing[own][:2], Fraction(0)), hours_per_day, end=True)
            slack = (own_day + offset + 1) * hours_per_day - end
            limits[step.id] = max(int(slack // hours_per_day), 0)
    if not needs:
        return Hold(Fraction(0), (), ())
    goal = max(needs.values())
    days = goal - day
    while _day_index(moment + days * hours_per_day, hours_per_day, end=True) < goal:
        days += 1  # a milestone at the run's very start: its first day's hours count too
    most = min(limits.values(), default=days)
    blocking = tuple(step_id for step_id, room in limits.items() if room < days)
    return Hold(min(days, most) * hours_per_day, tuple(needs), blocking)


def _arranged(
    process: Process,
    timing: Timing,
    anchor: str | None,
    clock: tuple[Fraction, Decimal],
    *,
    levelled: bool,
) -> tuple[Timing, Hold, Levelled | None]:
    """The schedule's ``timing`` as a plan dates it: levelled for people (``_levelled``),
    or with the milestone it is placed by held for its due dates (``_hold``)."""
    if levelled:
        found, hold = _levelled(process, timing, anchor, clock)
        return found.timing, hold, found
    if anchor is None:
        return timing, Hold(Fraction(0), (), ()), None
    hold = _hold(process, anchor, timing, clock)
    if hold.hours:
        timing = _released(process, timing, anchor, timing[anchor][0] + hold.hours)[0]
    return timing, hold, None


def _levelled(
    process: Process, timing: Timing, anchor: str | None, clock: tuple[Fraction, Decimal]
) -> tuple[Levelled, Hold]:
    """``level``'s run, with ``anchor`` held for its due dates as they come out levelled:
    people's waits move the steps before it, so the hold is found again until it holds
    (each round only ever holds the milestone later)."""
    found = level(process, timing)
    first = Hold(Fraction(0), (), ())
    if anchor is None:
        return found, first
    for _ in range(len(process.steps) + 1):
        hold = _hold(process, anchor, found.timing, clock)
        first = first if first.late else hold
        if not hold.hours:
            break
        release = found.timing[anchor][0] + hold.hours
        # the steps are placed in the order of the held run: those after the milestone later
        base = _released(process, timing, anchor, release)[0]
        found = level(process, base, release={anchor: release})
    return found, first


def _following(flow: Flow, anchor: str) -> set[str]:
    """``anchor`` and every step after it."""
    return flow.descendants(anchor) | {anchor}


def _released(
    process: Process, timing: Timing, anchor: str, release: Fraction | None
) -> tuple[Timing, Fraction]:
    """``timing`` with ``anchor`` starting no earlier than ``release`` and every step after
    it as early as the steps before it then allow; and when the steps before ``anchor``
    are done (its start without the release)."""
    flow = Flow.of(process)
    ends: dict[str, Fraction] = {}
    moved: Timing = {}
    ready_at = Fraction(0)
    for step_id in flow.sorted():
        ready = max((ends[p] for p in flow.pred[step_id]), default=Fraction(0))
        if step_id == anchor:
            ready_at = ready
        if step_id not in timing:
            ends[step_id] = ready  # outside the typical run: no time, as in the schedule
            continue
        begin, work, wait = timing[step_id]
        begin = max(begin, ready, release if step_id == anchor and release else Fraction(0))
        moved[step_id] = (begin, work, wait)
        ends[step_id] = begin + work + wait
    return {step_id: moved[step_id] for step_id in timing}, ready_at


def _day_index(hours: Fraction, hours_per_day: Fraction, *, end: bool) -> int:
    """The working day (from 0) an hour falls on; an end on a day's last hour is that day."""
    days = hours / hours_per_day
    if end and hours > 0:
        whole = days.numerator // days.denominator
        return whole - 1 if days == whole else whole
    return days.numerator // days.denominator


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
    if not days.is_working(when):
        why = "a holiday" if when in days.holidays else "a weekend day"
        before = days.on_or_before(when)
        after = days.on_or_after(when)
        raise UsageError(
            f"{when.isoformat()} ({when.strftime('%A')}) is not a working day: {why} in the "
            "calendar",
            hint=f"the nearest working days are {before.isoformat()} and {after.isoformat()}; "
            "or change 'calendar' in roles.yaml",
        )
    begin, work, _ = timing[name]
    return days.shift(when, -_day_index(begin + work, hours_per_day, end=True))


def _due(
    step: Step,
    dated: dict[str, _dt.date],
    first: _dt.date,
    days: WorkingDays,
    clock: tuple[Fraction, Decimal],
    work_end: Fraction,
) -> tuple[_dt.date | None, str | None, Decimal | None]:
    """The due date, how ``due`` reads (``launch -10d``), and the slack in working days."""
    if step.due is None:
        return None, None, None
    hours_per_day, days_per_week = clock
    offset = step.due.offset
    text = f"{step.due.milestone} {offset}" if offset.days or offset.weeks else step.due.milestone
    anchor = dated.get(step.due.milestone)
    if anchor is None:
        return None, text, None
    due = days.shift(anchor, offset.working_days(days_per_week))
    deadline = (days.between(first, due) + 1) * hours_per_day
    return due, text, to_decimal((deadline - work_end) / hours_per_day)


@dataclass(frozen=True, slots=True)
class _Gap:
    """What puts a due milestone that comes after a step where it is, counted from the end
    of the step's work: the same in every plan of the run, so no start date changes it."""

    #: Working days from the end of the step's work to the milestone.
    days: Decimal
    #: Of those, the working days no work or wait after the step fills: the milestone (or
    #: a step on the way to it) also waits for something else. A wait on the step takes
    #: this up before it moves the milestone at all.
    spare: Decimal
    #: Whether steps with work or a wait come between the two on the longest way from one
    #: to the other (without them, only the step's own wait can be between).
    between: bool
    #: Where the spare time is, when there is some: the step that waits, and the step it
    #: waits for (``None``: for its people, or, for the milestone a plan is placed by, for
    #: its date).
    waiting: tuple[str, str | None] | None
    #: The fewest whole working days more wait on the step found to meet its date
    #: (``_wait_to_meet``); ``None`` when no wait a step may have does.
    more: int | None = None


def _gap(
    process: Process,
    step: Step,
    timing: Timing,
    hours_per_day: Fraction,
) -> _Gap | None:
    """How far the due milestone comes after ``step``'s work, and why, when it comes after
    it. The longest way through the steps between (work and waits) sets a least gap; the
    milestone comes later than that only when something else holds it or a step on the
    way up: another branch, its people, or its date."""
    assert step.due is not None
    milestone = step.due.milestone
    flow = Flow.of(process)
    after = flow.descendants(step.id)
    if milestone not in timing or milestone not in after:
        return None
    order = flow.sorted()
    done: dict[str, Fraction] = {}  # its work and wait done; outside the run: when ready
    for node in order:
        ready = max((done[p] for p in flow.pred[node]), default=Fraction(0))
        done[node] = sum(timing[node], Fraction(0)) if node in timing else ready
    begin, work, wait = timing[step.id]
    end = begin + work
    # the longest way from the end of the step's work through the steps after it
    reach = {step.id: end + wait}  # when each is done by that way alone
    came: dict[str, str] = {}
    for node in order:
        if node not in after:
            continue
        came[node] = max((p for p in flow.pred[node] if p in reach), key=reach.__getitem__)
        if node == milestone:
            break
        length = timing[node][1] + timing[node][2] if node in timing else Fraction(0)
        reach[node] = reach[came[node]] + length
    m_begin, m_work, _ = timing[milestone]
    between, node = False, came[milestone]
    while node != step.id:
        between = between or (node in timing and timing[node][1] + timing[node][2] > 0)
        node = came[node]
    spare = m_begin - reach[came[milestone]]
    waiting = (
        None if spare <= 0 else _waiting(flow, timing, done, milestone, step.id, after | {step.id})
    )
    return _Gap(
        days=to_decimal((m_begin + m_work - end) / hours_per_day),
        spare=to_decimal(spare / hours_per_day),
        between=between,
        waiting=waiting,
    )


def _waiting(
    flow: Flow,
    timing: Timing,
    done: Mapping[str, Fraction],
    milestone: str,
    step_id: str,
    inside: set[str],
) -> tuple[str, str | None]:
    """Traced back from ``milestone``, along what each step started on, the first step that
    waits for something other than ``step_id`` and the steps after it (``inside``), and
    what for."""
    node = milestone
    while node != step_id:
        start = timing[node][0] if node in timing else done[node]
        ends = [p for p in flow.pred[node] if done[p] == start]
        on_way = [p for p in ends if p in inside]
        if on_way:
            node = on_way[0]
            continue
        other: str | None = ends[0] if ends else None
        while other is not None and other not in timing:  # outside the run: no time
            other = next((p for p in flow.pred[other] if done[p] == done[other]), None)
        return node, other
    raise AssertionError("the milestone waits only for the step, with no spare time")


def _late(step: Step, timing: Timing, clock: tuple[Fraction, Decimal]) -> bool:
    """Whether ``step``'s work ends after its due moment in ``timing``, as ``_due`` counts
    it: the end of the working day ``offset`` days from the milestone's day."""
    assert step.due is not None
    hours_per_day, days_per_week = clock
    m_begin, m_work, _ = timing[step.due.milestone]
    day = _day_index(m_begin + m_work, hours_per_day, end=True)
    deadline = (day + step.due.offset.working_days(days_per_week) + 1) * hours_per_day
    begin, work, _ = timing[step.id]
    return begin + work > deadline


def _waited(process: Process, timing: Timing, step_id: str, extra: Fraction) -> Timing:
    """``timing`` with ``extra`` hours more wait after ``step_id``'s work, and the steps
    after it as early as that allows."""
    begin, work, wait = timing[step_id]
    return _released(process, {**timing, step_id: (begin, work, wait + extra)}, step_id, None)[0]


def _wait_to_meet(
    process: Process,
    step: Step,
    timing: Timing,
    anchor: str | None,
    clock: tuple[Fraction, Decimal],
    *,
    levelled: bool,
) -> int | None:
    """The fewest whole working days more wait on ``step`` with which the plan meets its
    due date, planned as this plan is (``timing`` the schedule's); ``None`` when no wait a
    step may have does.

    A wait moves only the steps after the step, not its own work: it meets the date by
    making the milestone come later, which it does only once it outlasts the time the
    milestone waits for other steps anyway (``_Gap.spare``), so the days needed are that
    spare time and the days late, not the days late alone. A hold for the date or
    levelling can take up some of the wait too, so the days are searched for in the plan
    itself rather than worked out; whatever is returned has been planned and meets it.
    """
    hours_per_day = clock[0]
    room = Fraction(MAX_WAIT_HOURS - step.wait.points(process.settings.clock)[2])
    most = int(room / hours_per_day)

    def meets(days: int) -> bool:
        waited = _waited(process, timing, step.id, days * hours_per_day)
        return not _late(
            step, _arranged(process, waited, anchor, clock, levelled=levelled)[0], clock
        )

    if most < 1:
        return None
    low, high = 0, 1  # the plan as it is misses the date
    while not meets(high):
        if high == most:
            return None
        low, high = high, min(2 * high, most)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if meets(middle) else (middle, high)
    return high


def _miss(
    process: Process,
    index: int,
    step: PlannedStep,
    missed: tuple[_dt.date, Decimal],
    after: tuple[str, _Gap | None],
    held: tuple[tuple[str, _dt.date] | None, tuple[str, ...]],
    offset: int,
) -> Problem:
    """The warning for a due date the plan misses, with what would meet it.

    Every step starts as early as the steps before it allow, so the dates of one run
    move together: starting it earlier meets no due date (but for the wait a milestone
    a plan is placed by may take, ``_hold``). When the milestone comes after the step,
    the gap between them is fixed (``_Gap``: the work and waits between them, and any
    time the milestone waits for other steps anyway); when it comes before, how long
    after it. ``after`` is the milestone and that gap (``None`` when the milestone does
    not follow the step); ``held`` the milestone the plan is placed by and the steps that
    cut its wait short; ``offset`` the due's, in working days.
    """
    due, slack = missed
    late = _days_text(-slack)
    milestone, gap = after
    anchor, blocked = held
    wait = process.steps[index].wait
    if blocked and anchor is not None:
        names = ", ".join(f"'{b}'" for b in blocked)
        hint = (
            f"'{anchor[0]}' waiting longer for its date would meet it, but would make {names} "
            "late (due from a milestone before it): move one of the due dates"
        )
    elif gap is not None:
        hint = (
            f"'{milestone}' comes {_after_text(gap.days)} this step ends in every plan "
            f"({_gap_text(gap, wait.is_zero, anchor)}), whatever the start date"
        )
        more = gap.more
        if more is None:
            least = offset + math.ceil(-slack)
            hint += (
                ", and no wait on this step moves it far enough: give the due date an offset "
                f"of at least {least:+d}d, or count it from a later milestone"
            )
        else:
            waits = (
                f"make this step's wait {more}d longer"
                if not wait.is_zero
                else f"give this step a wait of {more}d or more (wait: {more}d)"
            )
            then = (
                f"the wait first takes up the spare time, then moves '{milestone}' later"
                if gap.spare > 0
                else f"it then ends that much sooner before '{milestone}'"
            )
            hint += (
                f": ask for fewer days before '{milestone}', or, if you plan slack there, "
                f"{waits}: {then}"
            )
    elif step.step_id in _following(Flow.of(process), milestone):
        least = offset + math.ceil(-slack)
        hint = (
            f"this step comes after '{milestone}', so no start date gets it done sooner "
            f"after it: give it an offset of at least {least:+d}d, or count it from a later "
            "milestone"
        )
    else:
        hint = "shorten this step or the work before it, or move the due date"
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step.step_id}' cannot be done by its due date {due.isoformat()} "
        f"({step.due_text}): the earliest the graph allows is {step.finish.isoformat()}, "
        f"{late} working {'day' if -slack == 1 else 'days'} late",
        hint=hint,
    )
    return replace(found, severity="warning")


def _gap_text(gap: _Gap, no_wait: bool, anchor: tuple[str, _dt.date] | None) -> str:
    """What the gap is made of: the work and waits between the step and its milestone
    only when there are some, and the spare time, and what it is spent waiting for."""
    filled = (
        "the work and waits between them"
        if gap.between
        else "no work or wait comes between them"
        if no_wait
        else "this step's wait"
    )
    if gap.waiting is None:
        return filled
    waiter, what = gap.waiting
    if what is not None:
        reason = f"for '{what}' to be done"
    elif anchor is not None and waiter == anchor[0]:
        reason = "for its date"
    else:
        reason = "for its people"
    spare = f"'{waiter}' also waits {reason}"
    if not gap.between and no_wait:
        return f"all of it spare time: {spare}"
    return f"{filled}, and {_working_days(gap.spare)} of spare time: {spare}"


def _after_text(days: Decimal) -> str:
    return "as soon as" if not days else f"{_working_days(days)} after"


def _working_days(days: Decimal) -> str:
    shown = _days_text(days)
    return f"{shown} working {'day' if shown == '1' else 'days'}"


def _unchecked(process: Process, index: int, milestone: str) -> Problem:
    """The warning for a due date no plan of the typical run can check."""
    step_id = process.steps[index].id
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step_id}': its due date is not checked: milestone '{milestone}' is not in "
        "the typical run",
        hint="count it from a milestone every run has, or make the likely answer of the "
        f"condition the one that runs '{milestone}'",
    )
    return replace(found, severity="warning")


def _held_miss(
    process: Process,
    index: int,
    step: PlannedStep,
    missed: tuple[_dt.date, Decimal],
    unlevelled: _dt.date,
    roles: Iterable[str],
) -> Problem:
    """The warning for a due date a levelled plan misses only because people are busy:
    ``roles`` are those it or the steps before it waited for."""
    due, slack = missed
    waited = ", ".join(roles) or "its people"
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step.step_id}' cannot be done by its due date {due.isoformat()} "
        f"({step.due_text}) with the people there are: levelled, it ends on "
        f"{step.finish.isoformat()}, {_days_text(-slack)} working "
        f"{'day' if -slack == 1 else 'days'} late (the graph alone "
        f"allows {unlevelled.isoformat()})",
        hint=f"it or the steps before it wait for {waited}: give those roles a larger "
        "headcount in roles.yaml, or plan without --level to see the graph's dates",
    )
    return replace(found, severity="warning")


def _days_text(days: Decimal) -> str:
    """Half-up, as the plan's table and footer round the same slack (0.125 is 0.13)."""
    return format(days.quantize(Decimal("0.01"), ROUND_HALF_UP).normalize(), "f")
