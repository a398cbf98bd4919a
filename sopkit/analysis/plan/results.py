"""What a plan is made of: the frozen results ``plan_run`` returns and renderers read.

They are kept apart from the making of a plan so that its makers (the package's
``plan_run``, the due-date checks in ``due``) and its readers (``sopkit.render.plan``,
``sopkit.decide``) share one definition without importing one another. Import them
from ``sopkit.analysis.plan``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ...errors import Problem
from ...models import Process, WorkingCalendar
from .calendar import WorkingDays, _day_index


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
    #: the holds for people) that decide when the run ends, and, placed by a milestone,
    #: those that set its first day (through a hold for a date, the step it waits for).
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
    graph cannot meet (``Plan.misses``), or one it cannot check (``Plan.unchecked``).

    ``accepted``: the file accepts it (``accept: [due-missed]`` on the step or the
    process): the team knows, so it is neither told nor a failure for ``--strict``,
    and the plan's notes leave it out.
    """

    step_id: str
    problem: Problem
    accepted: bool = False


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
class Unbooked:
    """A step of the run whose work the plan does not all book (``unbooked.unbooked``):
    one done more than once a run, its people booked for one execution; or a call,
    which books no one (its steps are the called process's plan)."""

    step_id: str
    #: Executions of the step in the run (``per_run``); for a call, the runs of the
    #: process it calls (``count`` × ``per_run``).
    times: Decimal
    #: Working hours the plan books the step's people for: one execution's work; 0 for a call.
    booked_hours: Decimal
    #: Working hours of the other executions, ``(times − 1) × booked_hours``, booked for no
    #: one; ``None`` for a call, whose work is counted in the called process's plan.
    unbooked_hours: Decimal | None
    #: The id of the process a call runs; ``None`` for any other step.
    calls: str | None = None


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
    #: The steps whose work the plan does not all book (calls, steps done more than
    #: once a run), in file order.
    unbooked: tuple[Unbooked, ...] = ()
    #: The typical run's lead time as the cost report, the SOP and the dashboard give it
    #: (the step graph's longest path, in working days): ``lead_time_days`` is longer when
    #: the plan holds its milestone for its date or levels it for people.
    cost_lead_time_days: Decimal | None = None

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The due dates to warn about: those missed, then those not checked, that the
        file does not accept (what ``sopkit plan`` prints and ``--strict`` fails on)."""
        return tuple(m.problem for m in (*self.misses, *self.unchecked) if not m.accepted)

    @property
    def accepted(self) -> frozenset[str]:
        """The steps whose missed or unchecked due date the file accepts: the notes leave
        them out, as the warnings do."""
        return frozenset(m.step_id for m in (*self.misses, *self.unchecked) if m.accepted)

    @property
    def years_without_holidays(self) -> tuple[int, ...]:
        """The years the run spans for which the calendar lists no holiday while it lists
        some for other years: most likely not entered yet, so work may fall on them.

        The run's dates include its due dates and the date it is placed by: a due date
        counted in working days (``launch +20d``) lands on a holiday as easily as work
        does, though no step reaches its year."""
        listed = {day.year for day in self.calendar.holidays}
        if not listed:
            return ()
        dates = [self.start, self.finish]
        dates += [step.due for step in self.steps if step.due is not None]
        if self.anchor is not None:
            dates.append(self.anchor[1])
        spanned = range(min(dates).year, max(dates).year + 1)
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
