"""One average run of a process, exactly: who spends how many hours, what it costs.

A run is the unit everything else scales: the annual figures are one run ×
runs per month × 12, and a step that runs another process adds that process's
run × ``count`` × its own executions. Each step's time is spent by its owner
and every ``with`` participant (``count`` people of each role), each at their
own role's rate and kind: staff hours count as the team's hours, external
hours are reported apart, and system roles count neither hours nor labour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..errors import SopkitError
from ..models import Clock, Count, ExpensePeriod, Process, Role, RoleKind, Step
from .runs import ReworkLoop, Runs, runs_of
from .units import exact_sum, expected_hours, plus, times

__all__ = [
    "ExpenseLine",
    "RoleTally",
    "RunProfile",
    "StepRun",
    "Worker",
    "expected_count",
    "profile",
]

#: The fraction of a Decimal, remembered: rates and shares repeat across steps.
_fraction = lru_cache(maxsize=4096)(Fraction)


@dataclass(slots=True)
class RoleTally:
    """A role's hours and cost, summed: staff hours, external hours, labour cost."""

    kind: RoleKind
    hours: Fraction = Fraction(0)
    external_hours: Fraction = Fraction(0)
    cost: Fraction = Fraction(0)

    def add(self, other: RoleTally, factor: Fraction | None = None) -> None:
        """Add ``other`` (× ``factor``); zero parts are skipped, as most are."""
        if factor is not None:
            other = RoleTally(
                other.kind,
                times(other.hours, factor),
                times(other.external_hours, factor),
                times(other.cost, factor),
            )
        self.hours = plus(self.hours, other.hours)
        self.external_hours = plus(self.external_hours, other.external_hours)
        self.cost = plus(self.cost, other.cost)


# Plain slotted dataclasses (hashable like frozen ones): one of each per step, and
# a frozen dataclass costs five times as much to make. Nothing changes them once made.
@dataclass(slots=True, unsafe_hash=True)
class Worker:
    """One role's part of a step: the owner (count 1) or a ``with`` participant."""

    role: str
    kind: RoleKind
    count: Decimal
    rate: Decimal
    #: Person-hours of this role per process run, whatever its kind.
    hours: Fraction
    cost: Fraction


@dataclass(slots=True, unsafe_hash=True)
class StepRun:
    """One step in an average run of its process."""

    step: Step
    executions: Fraction
    chance: Fraction
    loops: tuple[ReworkLoop, ...]
    #: The step's own time in hours (PERT mean); zero for milestones and calls.
    time_hours: Fraction
    workers: tuple[Worker, ...]
    roles: dict[str, RoleTally]
    #: Staff hours, external hours, labour cost and expenses per process run.
    hours: Fraction
    external_hours: Fraction
    cost: Fraction
    expenses: Fraction
    #: Runs of the called process per run of this one (``count`` × executions).
    calls: Fraction = Fraction(0)


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    """A process-level expense: per run it scales with runs, otherwise it is fixed."""

    name: str
    amount: Decimal
    per: ExpensePeriod

    @property
    def per_year(self) -> Fraction | None:
        """How often a fixed expense falls in a year; ``None`` for one per run."""
        return {
            ExpensePeriod.RUN: None,
            ExpensePeriod.MONTH: Fraction(12),
            ExpensePeriod.QUARTER: Fraction(4),
            ExpensePeriod.YEAR: Fraction(1),
        }[self.per]


@dataclass(frozen=True, slots=True)
class RunProfile:
    """Everything one average run of a process takes, calls included."""

    process: Process
    runs: Runs
    steps: tuple[StepRun, ...]
    roles: dict[str, RoleTally]
    hours: Fraction
    external_hours: Fraction
    cost: Fraction
    #: Step expenses and per-run process expenses of one run, calls included.
    expenses: Fraction
    #: Process-level expenses that do not scale with runs, per year.
    fixed_expenses: Fraction
    expense_lines: tuple[ExpenseLine, ...] = field(default=())


def expected_count(count: Count | None) -> Fraction:
    """The PERT mean of a ``count`` (1 when none is given)."""
    if count is None:
        return Fraction(1)
    low, likely, high = (Fraction(v) for v in count.points())
    if not count.is_range:
        return low
    return (low + 4 * likely + high) / 6


def profile(process: Process, _memo: dict[int, RunProfile] | None = None) -> RunProfile:
    """One average run of ``process`` and of every process its steps run.

    Raises:
        SopkitError: a called process that was not loaded, a step owner or
            participant whose role has no rate, or an unanswerable combination.
    """
    memo: dict[int, RunProfile] = {} if _memo is None else _memo
    return _profile(process, memo, ())


def _profile(process: Process, memo: dict[int, RunProfile], calling: tuple[str, ...]) -> RunProfile:
    key = id(process)
    if key in memo:
        return memo[key]
    if process.id in calling:  # load refuses call cycles; a model built in Python may not
        raise SopkitError(
            "processes call each other in a circle: " + " → ".join([*calling, process.id]),
            path=process.source_path,
            hint="a process cannot run itself, directly or through others",
        )
    _check_rates(process)
    runs = runs_of(process)
    clock = process.settings.clock
    roles = process.settings.roles
    steps: list[StepRun] = []
    for step in process.steps:
        executions = runs.executions[step.id]
        if step.process is not None:
            steps.append(_call(process, step, runs, executions, memo, (*calling, process.id)))
        else:
            steps.append(_work(step, runs, executions, clock, roles))
    lines = tuple(ExpenseLine(e.name, e.amount, e.per) for e in process.expenses)
    per_run = sum((_fraction(e.amount) for e in lines if e.per_year is None), Fraction(0))
    fixed = sum(
        (_fraction(e.amount) * e.per_year for e in lines if e.per_year is not None), Fraction(0)
    )
    totals: dict[str, RoleTally] = {}
    for step_run in steps:
        for role, tally in step_run.roles.items():
            total = totals.get(role)
            if total is None:
                totals[role] = RoleTally(tally.kind, tally.hours, tally.external_hours, tally.cost)
            else:
                total.add(tally)
    result = RunProfile(
        process=process,
        runs=runs,
        steps=tuple(steps),
        roles=totals,
        hours=exact_sum(s.hours for s in steps),
        external_hours=exact_sum(s.external_hours for s in steps),
        cost=exact_sum(s.cost for s in steps),
        expenses=exact_sum(s.expenses for s in steps) + per_run,
        fixed_expenses=fixed,
        expense_lines=lines,
    )
    memo[key] = result
    return result


_ZERO = Fraction(0)


def _work(
    step: Step, runs: Runs, executions: Fraction, clock: Clock, roles: Mapping[str, Role]
) -> StepRun:
    """A step people or a system spend time on, or a milestone (no time at all)."""
    time = _ZERO if step.time is None else expected_hours(step.time, clock)
    people = times(executions, time)
    if step.owner is not None and step.time is not None and not step.with_:
        return _owner_alone(step, runs, executions, time, people, roles[step.owner])
    workers: list[Worker] = []
    tallies: dict[str, RoleTally] = {}
    members: list[tuple[str, Decimal]] = []
    if step.owner is not None and step.time is not None:
        members.append((step.owner, _ONE_PERSON))
    if step.with_:
        members.extend(step.with_.items())
    staff, external, cost = _ZERO, _ZERO, _ZERO
    for role_name, count in members:
        role = roles[role_name]
        kind = role.kind
        hours = people if count == 1 else people * _fraction(count)
        pay = _ZERO if kind is RoleKind.SYSTEM else times(hours, _fraction(role.hourly_rate))
        workers.append(Worker(role_name, kind, count, role.hourly_rate, hours, pay))
        tally = tallies.get(role_name)
        if tally is None:
            tally = tallies[role_name] = RoleTally(kind)
        if kind is RoleKind.STAFF:
            tally.hours = plus(tally.hours, hours)
            staff = plus(staff, hours)
        elif kind is RoleKind.EXTERNAL:
            tally.external_hours = plus(tally.external_hours, hours)
            external = plus(external, hours)
        tally.cost = plus(tally.cost, pay)
        cost = plus(cost, pay)
    return _step_run(step, runs, executions, time, tuple(workers), tallies, staff, external, cost)


_ONE_PERSON = Decimal(1)


def _owner_alone(
    step: Step, runs: Runs, executions: Fraction, time: Fraction, people: Fraction, role: Role
) -> StepRun:
    """``_work`` for a step its owner does alone (most steps), without the loops."""
    kind = role.kind
    assert step.owner is not None
    if kind is RoleKind.SYSTEM:
        pay, staff, external = _ZERO, _ZERO, _ZERO
    else:
        pay = times(people, _fraction(role.hourly_rate))
        staff, external = (people, _ZERO) if kind is RoleKind.STAFF else (_ZERO, people)
    worker = Worker(step.owner, kind, _ONE_PERSON, role.hourly_rate, people, pay)
    tallies = {step.owner: RoleTally(kind, staff, external, pay)}
    return _step_run(step, runs, executions, time, (worker,), tallies, staff, external, pay)


def _step_run(
    step: Step,
    runs: Runs,
    executions: Fraction,
    time: Fraction,
    workers: tuple[Worker, ...],
    tallies: dict[str, RoleTally],
    staff: Fraction,
    external: Fraction,
    cost: Fraction,
) -> StepRun:
    """The run of a step whose workers are tallied, with its cash cost added."""
    expense = _ZERO if step.expense is None else times(_fraction(step.expense), executions)
    return StepRun(
        step=step,
        executions=executions,
        chance=runs.chance[step.id],
        loops=runs.loops[step.id],
        time_hours=time,
        workers=workers,
        roles=tallies,
        hours=staff,
        external_hours=external,
        cost=cost,
        expenses=expense,
    )


def _call(
    process: Process,
    step: Step,
    runs: Runs,
    executions: Fraction,
    memo: dict[int, RunProfile],
    calling: tuple[str, ...],
) -> StepRun:
    """A step that runs another process: its figures are that process's, ``calls`` times."""
    assert step.process is not None
    callee = process.callees.get(step.process)
    if callee is None:
        raise SopkitError(
            f"step '{step.id}' runs process '{step.process}', which is not loaded",
            path=process.source_path,
            step=step.id,
            hint="load the called process too (sopkit looks for it in the caller's folder)",
        )
    inner = _profile(callee, memo, calling)
    calls = expected_count(step.count) * executions
    roles: dict[str, RoleTally] = {}
    for role, tally in inner.roles.items():
        roles.setdefault(role, RoleTally(tally.kind)).add(tally, calls)
    return StepRun(
        step=step,
        executions=executions,
        chance=runs.chance[step.id],
        loops=runs.loops[step.id],
        time_hours=Fraction(0),
        workers=(),
        roles=roles,
        hours=inner.hours * calls,
        external_hours=inner.external_hours * calls,
        cost=inner.cost * calls,
        expenses=inner.expenses * calls,
        calls=calls,
    )


def _check_rates(process: Process) -> None:
    """Every staff role doing work has a rate; every role named exists."""
    roles = process.settings.roles
    if not any(_lacks_rate(roles, step) for step in process.steps):
        return  # the quick answer for almost every process; the loop below locates
    problems = []
    for index, step in enumerate(process.steps):
        names: list[tuple[str, str, tuple[str | int, ...]]] = []
        if step.owner is not None and step.time is not None:
            names.append(("owner", step.owner, ("steps", index, "owner")))
        names.extend(
            ("participant", name, ("steps", index, "with", name)) for name in step.participants
        )
        for what, name, loc in names:
            if _unpaid(roles, name):
                missing = "is not among the roles, so it has" if name not in roles else "has"
                problems.append(
                    process.source.problem(
                        loc,
                        f"step '{step.id}': {what} '{name}' {missing} no hourly rate",
                        hint="add the role and its rate to roles.yaml or to the process's 'roles:'",
                    )
                )
    if problems:
        raise SopkitError.collect(problems)


_STAFF = RoleKind.STAFF


def _lacks_rate(roles: Mapping[str, Role], step: Step) -> bool:
    """Whether ``_check_rates`` finds a problem in this step."""
    if step.owner is not None and step.time is not None and _unpaid(roles, step.owner):
        return True
    return any(_unpaid(roles, name) for name in step.participants)


def _unpaid(roles: Mapping[str, Role], name: str) -> bool:
    """A role named by a step that is missing, or staff without a rate: it cannot be costed."""
    role = roles.get(name)
    return role is None or (role.kind is _STAFF and role.rate is None)


def scaled(roles: Mapping[str, RoleTally], factor: Fraction) -> dict[str, RoleTally]:
    """Role tallies multiplied by ``factor`` (a run's figures → a year's)."""
    result: dict[str, RoleTally] = {}
    for role, tally in roles.items():
        result[role] = RoleTally(tally.kind)
        result[role].add(tally, factor)
    return result
