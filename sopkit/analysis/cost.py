"""Annual workflow cost: hours × executions per run × runs per month × rate × 12.

Every figure is first computed as an exact fraction (``fractions.Fraction``),
so ``20m`` is exactly a third of an hour and a rework factor ``1 / (1 − 0.3)``
is exactly ``10/7``; totals are sums of these exact values. The ``Decimal``
fields the renderers use are the exact values correctly rounded to 40
significant digits, so rounding half-up to the currency's minor unit (done only
by ``sopkit.render.numbers``) lands on the same cent as the exact value would.

``annual_cost`` is labour, the seed formula; ``annual_expenses`` is cash spent
per execution or per period; ``annual_total_cost`` is both. Annual hours and
FTE count staff only: external parties' hours are ``external_hours``, and
system roles count no hours and no labour. A process that other processes run
is costed once for its own runs (its ``frequency``) and once inside each
caller's calling step for the calls, so no execution is counted twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import InitVar, dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..errors import Problem, SopkitError, UsageError
from ..models import Process, Role, RoleKind, Settings
from .limits import check_limits
from .profile import ExpenseLine, RoleTally, RunProfile, StepRun, profile
from .runs import ReworkLoop, runs_of
from .schedule import Schedule, schedule
from .units import (
    MONTHS,
    exact_hours,
    exact_sum,
    expected_hours,
    runs_per_month,
    times,
    to_decimal,
)

__all__ = [
    "MONTHS",
    "CostSummary",
    "Participant",
    "PortfolioCost",
    "ProcessCost",
    "ReworkLoop",
    "RoleCost",
    "RoleShare",
    "StepCost",
    "cost_among_callers",
    "cost_portfolio",
    "cost_process",
    "exact_hours",
    "executions_per_run",
    "expected_hours",
    "fte",
    "rework_loops",
    "runs_per_month",
    "to_decimal",
]


# --- results ----------------------------------------------------------------------


# Per-step results are plain (not frozen) slotted dataclasses, hashable like frozen
# ones: a frozen dataclass sets each field through object.__setattr__, five times
# the cost of a plain one, and a portfolio makes hundreds of thousands of them.
# Nothing changes them once made.
@dataclass(slots=True, unsafe_hash=True)
class Participant:
    """One role's part of a step in a year: the owner (count 1) or a ``with`` participant.

    ``annual_hours`` are this role's person-hours whatever its kind (so a
    customer's hours show here); which of them count as the team's follows
    ``kind``: staff in ``annual_hours`` of the step, external in its
    ``external_hours``, system in neither.
    """

    role: str
    kind: RoleKind
    count: Decimal
    rate: Decimal
    exact_annual_hours: Fraction = field(repr=False)
    exact_annual_cost: Fraction = field(repr=False)

    @property
    def annual_hours(self) -> Decimal:
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_cost)


@dataclass(slots=True, unsafe_hash=True)
class RoleShare:
    """What one step takes of one role in a year (a call's share comes from the called steps)."""

    role: str
    kind: RoleKind
    exact_hours: Fraction
    exact_external_hours: Fraction
    exact_cost: Fraction
    #: Labour of one run of the process: what a diagram shows for a process that
    #: runs only when called (its figures a year are zero).
    exact_cost_per_run: Fraction = Fraction(0)


@dataclass(slots=True, unsafe_hash=True)
class StepCost:
    """The yearly hours and cost of one step, with every factor that made them.

    The ``exact_*`` fields keep the exact fractions that every total is summed
    from; the ``Decimal`` properties of the same names are their 40-digit views,
    made when read (a report reads some of them, a JSON document rounds the
    exact values itself).

    Read-only by contract: unlike the process and portfolio results it is not
    frozen, for speed (see above), and the totals were summed from it when it
    was made, so a field changed afterwards would disagree with them.
    """

    process_id: str
    step_id: str
    name: str
    #: The role that does it; ``None`` for a milestone without one and for a call.
    owner: str | None
    #: The owner's hourly rate (0 without an owner).
    rate: Decimal
    #: Hours of one execution: the step's time, or a call's staff hours per execution.
    exact_hours_per_execution: Fraction = field(repr=False)
    exact_executions_per_run: Fraction = field(repr=False)
    runs_per_month: Decimal
    exact_annual_hours: Fraction = field(repr=False)
    exact_annual_cost: Fraction = field(repr=False)
    #: Hours of one full-time person's year, for ``fte``.
    working_year: Fraction = field(repr=False)
    #: Where the factors came from (the estimate, loops, frequency), for explanations.
    per_run: Decimal = Decimal(1)
    rework: tuple[ReworkLoop, ...] = ()
    #: The share of runs in which the step runs (its ``when``).
    exact_chance: Fraction = field(default=Fraction(1), repr=False)
    participants: tuple[Participant, ...] = ()
    roles: tuple[RoleShare, ...] = ()
    #: The process this step runs, and how many of its runs one run of this process makes.
    calls: str | None = None
    exact_calls_per_run: Fraction = field(default=Fraction(0), repr=False)
    milestone: bool = False
    approval: bool = False
    exact_external_hours: Fraction = field(default=Fraction(0), repr=False)
    exact_annual_expenses: Fraction = field(default=Fraction(0), repr=False)
    #: Labour cost, staff hours and cash per run of the process, whatever its frequency.
    exact_cost_per_run: Fraction = field(default=Fraction(0), repr=False)
    exact_hours_per_run: Fraction = field(default=Fraction(0), repr=False)
    exact_expenses_per_run: Fraction = field(default=Fraction(0), repr=False)

    @property
    def priced(self) -> bool:
        """Whether the step's own time is priced at its owner's ``rate``: not for a
        milestone, a call (its cost is the called steps') or a system's work, whose
        rate reports show as "—" (JSON: ``null``)."""
        if self.owner is None or self.milestone or self.calls is not None:
            return False
        return not self.participants or self.participants[0].kind is not RoleKind.SYSTEM

    @property
    def hours_per_execution(self) -> Decimal:
        return to_decimal(self.exact_hours_per_execution)

    @property
    def executions_per_run(self) -> Decimal:
        return to_decimal(self.exact_executions_per_run)

    @property
    def annual_hours(self) -> Decimal:
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_cost)

    @property
    def exact_fte(self) -> Fraction:
        return self.exact_annual_hours / self.working_year

    @property
    def fte(self) -> Decimal:
        """Full-time people: annual hours ÷ the working year."""
        return to_decimal(self.exact_fte)

    @property
    def chance(self) -> Decimal:
        return to_decimal(self.exact_chance)

    @property
    def calls_per_run(self) -> Decimal:
        return to_decimal(self.exact_calls_per_run)

    @property
    def external_hours(self) -> Decimal:
        return to_decimal(self.exact_external_hours)

    @property
    def annual_expenses(self) -> Decimal:
        return to_decimal(self.exact_annual_expenses)

    @property
    def annual_total_cost(self) -> Decimal:
        """Labour and expenses together."""
        return to_decimal(self.exact_annual_total_cost)

    @property
    def exact_annual_total_cost(self) -> Fraction:
        return self.exact_annual_cost + self.exact_annual_expenses


@dataclass(frozen=True, slots=True)
class ProcessCost:
    """One process: its steps' costs, totals and schedule.

    Annual figures count the process's own runs (``frequency``). A process that
    only other processes run has no runs of its own: its figures are zero but
    for expenses fixed per month, quarter or year, and ``called_by`` names who
    runs it (those runs are costed in the callers' steps).
    """

    process: Process
    runs_per_month: Decimal
    steps: tuple[StepCost, ...]
    schedule: Schedule
    called_by: tuple[str, ...] = ()
    #: Runs a month made by calls from the other processes of the portfolio.
    exact_called_runs_per_month: Fraction = field(default=Fraction(0), repr=False)
    expense_lines: tuple[ExpenseLine, ...] = ()
    #: One average run, calls included: staff hours, external hours, labour, expenses.
    exact_hours_per_run: Fraction = field(default=Fraction(0), repr=False)
    exact_external_hours_per_run: Fraction = field(default=Fraction(0), repr=False)
    exact_cost_per_run: Fraction = field(default=Fraction(0), repr=False)
    exact_expenses_per_run: Fraction = field(default=Fraction(0), repr=False)
    #: Process-level expenses a year (per run ones scaled by runs, fixed ones as they are).
    exact_process_expenses: Fraction = field(default=Fraction(0), repr=False)
    #: Of those, the ones paid per month, quarter or year: no run's, so not in a run's cash.
    exact_fixed_expenses: Fraction = field(default=Fraction(0), repr=False)
    #: Exact totals, summed once: renderers read them for every row they show.
    exact_annual_hours: Fraction = field(init=False, repr=False, compare=False)
    exact_annual_cost: Fraction = field(init=False, repr=False, compare=False)
    exact_external_hours: Fraction = field(init=False, repr=False, compare=False)
    exact_annual_expenses: Fraction = field(init=False, repr=False, compare=False)
    #: Its automation candidates once ``candidates.own_candidates`` has found them: the
    #: SOP, the report, the workbook and the CSV of one build all ask.
    found_candidates: tuple[Any, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    #: The four step totals when the caller has them already (``_cost``: one run's
    #: figures × runs a year, exactly the sum over the steps); else summed here.
    step_totals: InitVar[tuple[Fraction, Fraction, Fraction, Fraction] | None] = None

    def __post_init__(self, step_totals: tuple[Fraction, ...] | None) -> None:
        if step_totals is None:
            _set_totals(self, self.steps)
        else:
            for name, value in zip(_TOTALS, step_totals, strict=True):
                object.__setattr__(self, name, value)
        object.__setattr__(
            self,
            "exact_annual_expenses",
            self.exact_annual_expenses + self.exact_process_expenses,
        )

    @property
    def id(self) -> str:
        return self.process.id

    @property
    def name(self) -> str:
        return self.process.name

    @property
    def currency(self) -> str:
        return self.process.settings.currency

    @property
    def annual_hours(self) -> Decimal:
        """Σ steps' annual staff hours, summed exactly."""
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        """Σ steps' annual labour cost, summed exactly."""
        return to_decimal(self.exact_annual_cost)

    @property
    def external_hours(self) -> Decimal:
        return to_decimal(self.exact_external_hours)

    @property
    def annual_expenses(self) -> Decimal:
        return to_decimal(self.exact_annual_expenses)

    @property
    def exact_annual_total_cost(self) -> Fraction:
        return self.exact_annual_cost + self.exact_annual_expenses

    @property
    def annual_total_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_total_cost)

    @property
    def exact_runs_per_month(self) -> Fraction:
        frequency = self.process.frequency
        if frequency is None:
            return Fraction(0)
        return runs_per_month(frequency, self.process.settings.working_days_per_year)

    @property
    def called_runs_per_month(self) -> Decimal:
        return to_decimal(self.exact_called_runs_per_month)

    @property
    def exact_total_runs_per_month(self) -> Fraction:
        """Own runs and runs made by calls: every execution of this process's steps."""
        return self.exact_runs_per_month + self.exact_called_runs_per_month

    @property
    def is_called_only(self) -> bool:
        """Runs only when another process runs it (no ``frequency`` of its own)."""
        return self.process.frequency is None

    @property
    def hours_per_run(self) -> Decimal:
        """Hands-on staff hours of one average run, rework, ``per_run`` and calls included."""
        return to_decimal(self.exact_hours_per_run)

    @property
    def exact_called_cost(self) -> Fraction:
        """What the runs other processes make of this one cost a year, labour and cash of
        a run (its calls included) for each: counted in the steps that run it, not in
        its own row. Through a process that is itself only called, too."""
        per_run = self.exact_cost_per_run + self.exact_expenses_per_run
        return per_run * self.exact_called_runs_per_month * MONTHS

    @property
    def called_cost(self) -> Decimal:
        return to_decimal(self.exact_called_cost)

    @property
    def cost_per_run(self) -> Decimal:
        """Labour cost of one average run, rework, ``per_run`` and calls included."""
        return to_decimal(self.exact_cost_per_run)

    @property
    def expenses_per_run(self) -> Decimal:
        return to_decimal(self.exact_expenses_per_run)

    @property
    def fixed_expenses(self) -> Decimal:
        return to_decimal(self.exact_fixed_expenses)

    @property
    def typical_run(self) -> tuple[str, ...]:
        """The step ids a typical run does, in order (conditions at their likelier answers)."""
        return self.schedule.typical_run

    @property
    def fte(self) -> Decimal:
        return fte(self.exact_annual_hours, self.process.settings)

    def step(self, step_id: str) -> StepCost:
        """The step with this id (``KeyError`` when there is none)."""
        for step in self.steps:
            if step.step_id == step_id:
                return step
        raise KeyError(step_id)

    def by_role(self) -> tuple[RoleCost, ...]:
        """This process's hours and cost per role (a method: summed when asked, not kept)."""
        return _roles(self.steps, self.process.settings)

    def run_cost_by_role(self) -> dict[str, Fraction]:
        """Each role's labour in one average run (calls included), in order of first work."""
        found: dict[str, Fraction] = {}
        for step in self.steps:
            for share in step.roles:
                found[share.role] = found.get(share.role, _ZERO) + share.exact_cost_per_run
        return found


@dataclass(frozen=True, slots=True)
class RoleCost:
    """A role's share of the hours and cost, summed over steps, and its capacity."""

    role: str
    annual_hours: Decimal
    annual_cost: Decimal
    fte: Decimal
    steps: tuple[StepCost, ...]
    kind: RoleKind = RoleKind.STAFF
    external_hours: Decimal = Decimal(0)
    headcount: Decimal | None = None
    #: Hours one person has for this work in a year (set or the working year).
    available_hours: Decimal | None = None
    #: Annual hours ÷ (headcount × available hours); ``None`` without a headcount.
    utilisation: Decimal | None = None
    exact_annual_hours: Fraction = field(default=Fraction(0), repr=False)
    exact_annual_cost: Fraction = field(default=Fraction(0), repr=False)
    exact_external_hours: Fraction = field(default=Fraction(0), repr=False)

    @property
    def over_capacity(self) -> bool:
        return self.utilisation is not None and self.utilisation > 1


class _Totals:
    """The portfolio-wide figures read from four exact totals and the first process's
    calendar, shared by ``PortfolioCost`` and ``CostSummary``."""

    __slots__ = ()
    settings: Settings
    exact_annual_hours: Fraction
    exact_annual_cost: Fraction
    exact_external_hours: Fraction
    exact_annual_expenses: Fraction

    @property
    def annual_hours(self) -> Decimal:
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_cost)

    @property
    def external_hours(self) -> Decimal:
        return to_decimal(self.exact_external_hours)

    @property
    def annual_expenses(self) -> Decimal:
        return to_decimal(self.exact_annual_expenses)

    @property
    def exact_annual_total_cost(self) -> Fraction:
        return self.exact_annual_cost + self.exact_annual_expenses

    @property
    def annual_total_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_total_cost)

    @property
    def fte(self) -> Decimal:
        return fte(self.exact_annual_hours, self.settings)


@dataclass(frozen=True, slots=True)
class PortfolioCost(_Totals):
    """Every process of a report, in one currency.

    FTE of roles and of the whole portfolio use ``settings`` (the first
    process's calendar); each process's FTE uses its own.
    """

    currency: str
    settings: Settings
    processes: tuple[ProcessCost, ...]
    #: Exact totals, summed once: renderers read them for every process's share.
    exact_annual_hours: Fraction = field(init=False, repr=False, compare=False)
    exact_annual_cost: Fraction = field(init=False, repr=False, compare=False)
    exact_external_hours: Fraction = field(init=False, repr=False, compare=False)
    exact_annual_expenses: Fraction = field(init=False, repr=False, compare=False)
    #: ``roles``, summed on first use: the report, dashboard and workbook ask a dozen times.
    summed_roles: tuple[RoleCost, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    #: Its ``pareto.Pareto`` once ``pareto.pareto`` has ranked the steps: the report
    #: and the dashboard of one build both ask.
    ranked_steps: Any | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set_totals(self, self.processes)

    @property
    def steps(self) -> tuple[StepCost, ...]:
        return tuple(s for p in self.processes for s in p.steps)

    @property
    def roles(self) -> tuple[RoleCost, ...]:
        """Every role's hours, cost and utilisation over the portfolio (summed once)."""
        if self.summed_roles is None:
            summed = _roles(self.steps, self.settings, [p.process for p in self.processes])
            object.__setattr__(self, "summed_roles", summed)  # frozen: filled once
        assert self.summed_roles is not None
        return self.summed_roles

    def process(self, process_id: str) -> ProcessCost:
        """The process with this id (``KeyError`` when there is none)."""
        for process in self.processes:
            if process.id == process_id:
                return process
        raise KeyError(process_id)

    def name_of(self, process_id: str) -> str:
        """A process's name, for text that names it: one of the portfolio's, or one its
        steps run (loaded only for those calls); the id itself when neither has it."""
        for process in self.processes:
            if process.id == process_id:
                return process.name
        for process in self.processes:
            callee = process.process.callees.get(process_id)
            if callee is not None:
                return callee.name
        return process_id

    def steps_of(self, role: RoleCost) -> tuple[StepCost, ...]:
        """The steps ``role`` works on, each once: a call to a process of this portfolio
        is left out, since that process's own steps, where the work is, are rows too."""
        listed = {process.id for process in self.processes}
        return tuple(step for step in role.steps if step.calls not in listed)


@dataclass(frozen=True, slots=True)
class CostSummary(_Totals):
    """A portfolio's totals and role tallies without its processes.

    It is what a report's totals and role rows need, and it adds up: parts of a
    portfolio costed apart (in other processes, say) give, added in portfolio
    order, exactly the summary of the whole, because every figure is an exact
    fraction and every "first" (calendar, a role's kind and definition) comes
    from the earlier part.
    """

    currency: str
    settings: Settings
    exact_annual_hours: Fraction
    exact_annual_cost: Fraction
    exact_external_hours: Fraction
    exact_annual_expenses: Fraction
    #: Each role's tally, in the order the roles first appear.
    tallies: dict[str, RoleTally]
    #: Each role's definition: the first process's roles, then any other process's.
    definitions: dict[str, Role]

    @classmethod
    def of(cls, costs: PortfolioCost | ProcessCost) -> CostSummary:
        """The summary of a portfolio, or of a portfolio of one process."""
        if isinstance(costs, ProcessCost):
            return cls.of_processes([costs])
        return cls._of(costs.currency, costs.settings, costs.processes)

    @classmethod
    def of_processes(cls, costs: Iterable[ProcessCost]) -> CostSummary:
        """The summary of the portfolio of these processes (at least one), read one at
        a time: nothing here holds a process's figures once the next is read."""
        items = iter(costs)
        first = next(items)
        return cls._of(first.currency, first.process.settings, itertools.chain([first], items))

    @classmethod
    def _of(cls, currency: str, settings: Settings, costs: Iterable[ProcessCost]) -> CostSummary:
        columns: list[list[Fraction]] = [[] for _ in _TOTALS]
        shares: dict[str, list[RoleShare]] = {}
        sources: dict[int, Settings] = {}
        for cost in costs:
            for column, name in zip(columns, _TOTALS, strict=True):
                column.append(getattr(cost, name))
            for step in cost.steps:
                for share in step.roles:
                    shares.setdefault(share.role, []).append(share)
            sources.setdefault(id(cost.process.settings), cost.process.settings)
        hours, labour, external, expenses = (exact_sum(column) for column in columns)
        return cls(
            currency,
            settings,
            hours,
            labour,
            external,
            expenses,
            {role: _summed(parts) for role, parts in shares.items()},
            _definitions(settings, sources.values()),
        )

    @classmethod
    def total(cls, parts: Iterable[CostSummary]) -> CostSummary:
        """The parts added in order (``a + b + c``) in one pass: exact sums of all
        the figures at once rather than a ``Fraction`` addition per part."""
        items = iter(parts)
        first = next(items)
        columns: list[list[Fraction]] = [[getattr(first, name)] for name in _TOTALS]
        shares = {name: [tally] for name, tally in first.tallies.items()}
        definitions = dict(first.definitions)
        for part in items:
            for column, name in zip(columns, _TOTALS, strict=True):
                column.append(getattr(part, name))
            for role, tally in part.tallies.items():
                shares.setdefault(role, []).append(tally)
            for role, definition in part.definitions.items():
                definitions.setdefault(role, definition)
        tallies = {
            role: RoleTally(
                tallied[0].kind,
                exact_sum(t.hours for t in tallied),
                exact_sum(t.external_hours for t in tallied),
                exact_sum(t.cost for t in tallied),
            )
            for role, tallied in shares.items()
        }
        hours, cost, external, expenses = (exact_sum(column) for column in columns)
        return cls(
            first.currency, first.settings, hours, cost, external, expenses, tallies, definitions
        )

    def __add__(self, later: CostSummary) -> CostSummary:
        return CostSummary.total((self, later))

    @property
    def roles(self) -> tuple[RoleCost, ...]:
        """Every role's totals, as ``PortfolioCost.roles`` gives them, without their steps."""
        return _role_costs(self.tallies, {}, self.settings, self.definitions)


# --- the computation --------------------------------------------------------------


_TOTALS = (
    "exact_annual_hours",
    "exact_annual_cost",
    "exact_external_hours",
    "exact_annual_expenses",
)


def _set_totals(owner: ProcessCost | PortfolioCost, parts: Iterable[Any]) -> None:
    """Fill a frozen result's exact totals from its parts (steps or processes)."""
    parts = tuple(parts)
    for name in _TOTALS:
        object.__setattr__(owner, name, exact_sum(getattr(p, name) for p in parts))


def fte(annual_hours: Fraction | Decimal, settings: Settings) -> Decimal:
    """Full-time people: annual hours ÷ (working days per year × hours per day)."""
    year = _working_year(settings.working_days_per_year, settings.hours_per_day)
    hours = annual_hours if type(annual_hours) is Fraction else Fraction(annual_hours)
    return to_decimal(hours / year)


@lru_cache(maxsize=64)
def _working_year(working_days_per_year: Decimal, hours_per_day: Decimal) -> Fraction:
    return Fraction(working_days_per_year) * Fraction(hours_per_day)


def rework_loops(process: Process) -> dict[str, tuple[ReworkLoop, ...]]:
    """For each step, the rework loops it is inside, in file order (see ``runs``)."""
    return dict(runs_of(process).loops)


def executions_per_run(process: Process) -> dict[str, Decimal]:
    """How often each step runs in an average run: ``per_run``, conditions and rework.

    Without conditions, ``per_run`` × ``1 / (1 − p)`` for every loop the step is in.
    """
    return {step_id: to_decimal(v) for step_id, v in runs_of(process).executions.items()}


def not_loaded(what: str, given: object) -> UsageError:
    """A Python caller handed a path, a result or anything else where ``what`` goes: said
    so, instead of an ``AttributeError`` from deep inside."""
    return UsageError(
        f"expected {what}, not {type(given).__name__}",
        hint="load processes with load_process(path) or load_portfolio(paths)",
    )


def cost_process(process: Process) -> ProcessCost:
    """Annual hours and cost of each step of one process (for its own runs), and its schedule.

    Raises:
        UsageError: ``process`` is not a loaded ``Process``.
        SopkitError: when a role doing work has no hourly rate, a called process
            is not loaded, or a figure is far beyond any team (``limits``).
    """
    if not isinstance(process, Process):
        raise not_loaded("a Process", process)
    return _cost(process, {}, (), Fraction(0))


def _cost(
    process: Process,
    memo: dict[int, RunProfile],
    called_by: tuple[str, ...],
    called_runs: Fraction,
) -> ProcessCost:
    run = profile(process, memo)
    settings = process.settings
    own_runs = (
        Fraction(0)
        if process.frequency is None
        else runs_per_month(process.frequency, settings.working_days_per_year)
    )
    check_limits(run, own_runs + called_runs)
    runs_decimal = to_decimal(own_runs)
    per_year = own_runs * MONTHS
    year = _working_year(settings.working_days_per_year, settings.hours_per_day)
    steps = tuple(_step_cost(process, step, per_year, runs_decimal, year) for step in run.steps)
    per_run_expenses = sum(
        (Fraction(e.amount) for e in run.expense_lines if e.per_year is None), Fraction(0)
    )
    # Every step's annual figure is its per-run figure × per_year, so their sums are
    # the run's totals (steps only: not the process's own per-run expenses) × per_year.
    step_totals = (
        times(run.hours, per_year),
        times(run.cost, per_year),
        times(run.external_hours, per_year),
        times(run.expenses - per_run_expenses, per_year),
    )
    return ProcessCost(
        process=process,
        runs_per_month=runs_decimal,
        steps=steps,
        schedule=schedule(process, run.runs.flow),
        called_by=called_by,
        exact_called_runs_per_month=called_runs,
        expense_lines=run.expense_lines,
        exact_hours_per_run=run.hours,
        exact_external_hours_per_run=run.external_hours,
        exact_cost_per_run=run.cost,
        exact_expenses_per_run=run.expenses,
        exact_process_expenses=per_run_expenses * per_year + run.fixed_expenses,
        exact_fixed_expenses=run.fixed_expenses,
        step_totals=step_totals,
    )


def _step_cost(
    process: Process, run: StepRun, per_year: Fraction, runs: Decimal, year: Fraction
) -> StepCost:
    step = run.step
    annual_hours = times(run.hours, per_year)
    annual_cost = times(run.cost, per_year)
    owner_role = process.settings.roles.get(step.owner) if step.owner is not None else None
    rate = owner_role.hourly_rate if owner_role is not None else _NO_RATE
    if run.calls and run.executions:
        hours_per_execution = run.hours / run.executions
    else:
        hours_per_execution = run.time_hours
    if len(run.workers) == 1 and run.workers[0].kind is RoleKind.STAFF:
        # The owner alone (most steps): their figures are the step's.
        (worker,) = run.workers
        participants: tuple[Participant, ...] = (
            Participant(
                worker.role, worker.kind, worker.count, worker.rate, annual_hours, annual_cost
            ),
        )
        roles: tuple[RoleShare, ...] = (
            RoleShare(worker.role, worker.kind, annual_hours, _ZERO, annual_cost, run.cost),
        )
    else:
        participants = tuple(
            Participant(
                w.role, w.kind, w.count, w.rate, times(w.hours, per_year), times(w.cost, per_year)
            )
            for w in run.workers
        )
        roles = tuple(
            RoleShare(
                role,
                tally.kind,
                times(tally.hours, per_year),
                times(tally.external_hours, per_year),
                times(tally.cost, per_year),
                tally.cost,
            )
            for role, tally in run.roles.items()
        )
    return StepCost(
        process_id=process.id,
        step_id=step.id,
        name=step.name,
        owner=step.owner if step.process is None else None,
        rate=rate,
        exact_hours_per_execution=hours_per_execution,
        exact_executions_per_run=run.executions,
        runs_per_month=runs,
        exact_annual_hours=annual_hours,
        exact_annual_cost=annual_cost,
        working_year=year,
        per_run=step.per_run,
        rework=run.loops,
        exact_chance=run.chance,
        participants=participants,
        roles=roles,
        calls=step.process,
        exact_calls_per_run=run.calls,
        milestone=step.milestone,
        approval=step.approval,
        exact_external_hours=times(run.external_hours, per_year),
        exact_annual_expenses=times(run.expenses, per_year),
        exact_cost_per_run=run.cost,
        exact_hours_per_run=run.hours,
        exact_expenses_per_run=run.expenses,
    )


_ZERO = Fraction(0)
_NO_RATE = Decimal(0)


def cost_among_callers(processes: Sequence[Process], *, procedures: bool = False) -> PortfolioCost:
    """The first process alone, costed among the others (the processes that run it,
    from ``load.callers_of``): its figures count their calls, as in their portfolio.

    With ``procedures``, the procedures it runs (``Process.procedures``) follow it,
    costed among them too: a procedure's work is costed in the step that runs it, so
    ranked together their automation candidates save on its runs, as its SOP and
    ``sopkit candidates`` of its file list them.
    """
    added: tuple[Process, ...] = ()
    if procedures and processes and isinstance(processes[0], Process):
        given = {p.id for p in processes if isinstance(p, Process)}
        added = tuple(p for p in processes[0].procedures if p.id not in given)
    costed = cost_portfolio((*processes, *added) if added else processes)
    kept = {p.id for p in added}
    return PortfolioCost(
        costed.currency,
        costed.settings,
        (costed.processes[0], *(c for c in costed.processes if c.id in kept)),
    )


def check_one_currency(currencies: Iterable[str]) -> None:
    """Refuse to add up figures in different currencies: their totals would mean nothing.

    Raises:
        SopkitError: more than one currency, named.
    """
    found = sorted(set(currencies))
    if len(found) > 1:
        raise SopkitError(
            f"these processes use more than one currency: {', '.join(found)}",
            hint="totals cannot add different currencies; report on each currency separately",
        )


def cost_portfolio(processes: Iterable[Process] | Process) -> PortfolioCost:
    """Cost every process; the settings of the first give the currency and calendar.

    A process that others in the portfolio run is told who calls it and how
    many runs a month the calls make (its own row still counts only its own runs).
    One ``Process`` is a portfolio of one.

    Raises:
        UsageError: something other than loaded processes (a path, say).
        SopkitError: when the processes use more than one currency, or any
            process cannot be costed (every problem of every process at once).
    """
    if isinstance(processes, Process):  # iterating a model would give its fields
        processes = (processes,)
    elif isinstance(processes, str | bytes) or not isinstance(processes, Iterable):
        raise not_loaded("processes", processes)
    given = tuple(processes)
    odd = next((p for p in given if not isinstance(p, Process)), None)
    if odd is not None:
        raise not_loaded("processes", odd)
    settings = given[0].settings if given else Settings()
    check_one_currency(p.settings.currency for p in given)
    memo: dict[int, RunProfile] = {}
    problems: list[Problem] = []
    for process in given:
        try:
            profile(process, memo)
        except SopkitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SopkitError.collect(problems)
    callers, called_runs = _calls(given, memo)
    costed = []
    for process in given:
        try:
            costed.append(
                _cost(
                    process,
                    memo,
                    callers.get(process.id, ()),
                    called_runs.get(process.id, Fraction(0)),
                )
            )
            # Its run profile (every step's run, workers and tallies) is not needed
            # again: free it now rather than hold every profile to the end.
            memo.pop(id(process), None)
        except SopkitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SopkitError.collect(problems)
    return PortfolioCost(settings.currency, settings, tuple(costed))


def _calls(
    processes: tuple[Process, ...], memo: dict[int, RunProfile]
) -> tuple[dict[str, tuple[str, ...]], dict[str, Fraction]]:
    """Who calls each process of the portfolio, and how many runs a month those calls make.

    A caller's runs are its own plus those its own callers make, so calls are
    summed from the processes nobody calls downwards (load refuses cycles).
    Processes loaded only because a step calls them pass calls on (A runs B runs
    C, with only A and C given) but add no runs of their own: they are not part
    of the portfolio.
    """
    by_id = {p.id: p for p in processes}
    given = set(by_id)
    queue = list(processes)
    while queue:  # the processes the portfolio's steps call, however deep
        for reached in queue.pop().callees.values():
            if reached.id not in by_id:
                by_id[reached.id] = reached
                queue.append(reached)
    callers: dict[str, list[str]] = {}
    for process in by_id.values():
        for callee in process.calls:
            if callee in by_id:
                callers.setdefault(callee, []).append(process.id)
    counter = _CallCounter(by_id, given, callers, memo)
    called_runs = {pid: counter.called(pid, (pid,)) for pid in callers if pid in given}
    return {pid: tuple(ids) for pid, ids in callers.items() if pid in given}, called_runs


@dataclass(slots=True)
class _CallCounter:
    """Runs a month of each process, its own and those its callers' runs make.

    A class rather than two nested functions calling each other: those form a
    reference cycle that kept every run profile alive until the cycle collector
    ran.
    """

    by_id: dict[str, Process]
    given: set[str]
    callers: dict[str, list[str]]
    memo: dict[int, RunProfile]
    total: dict[str, Fraction] = field(default_factory=dict)

    def total_runs(self, process_id: str, seen: tuple[str, ...]) -> Fraction:
        if process_id in self.total:
            return self.total[process_id]
        process = self.by_id[process_id]
        own = (
            Fraction(0)
            if process.frequency is None or process_id not in self.given
            else runs_per_month(process.frequency, process.settings.working_days_per_year)
        )
        runs = own + self.called(process_id, (*seen, process_id))
        self.total[process_id] = runs
        return runs

    def called(self, process_id: str, seen: tuple[str, ...]) -> Fraction:
        runs = Fraction(0)
        for caller_id in self.callers.get(process_id, ()):
            if caller_id in seen:
                continue
            caller = self.by_id[caller_id]
            per_run = sum(
                (s.calls for s in self.memo[id(caller)].steps if s.step.process == process_id),
                Fraction(0),
            )
            runs += self.total_runs(caller_id, seen) * per_run
        return runs


def _roles(
    steps: Iterable[StepCost], settings: Settings, processes: Iterable[Process] = ()
) -> tuple[RoleCost, ...]:
    """Role totals from every step's role shares, with capacity from the role definitions."""
    grouped, tallies = _tally(steps)
    sources = {id(p.settings): p.settings for p in processes}  # one a roles file, mostly
    return _role_costs(tallies, grouped, settings, _definitions(settings, sources.values()))


def _tally(
    steps: Iterable[StepCost],
) -> tuple[dict[str, list[StepCost]], dict[str, RoleTally]]:
    """The steps of each role and its summed shares, roles in order of first appearance."""
    grouped: dict[str, list[StepCost]] = {}
    shares: dict[str, list[RoleShare]] = {}
    for step in steps:
        for share in step.roles:
            grouped.setdefault(share.role, []).append(step)
            shares.setdefault(share.role, []).append(share)
    return grouped, {role: _summed(parts) for role, parts in shares.items()}


def _summed(shares: list[RoleShare]) -> RoleTally:
    """A role's shares added up; the kind is the first share's.

    Summed with exact_sum (integers per denominator), not a Fraction addition per
    step: a role of a large portfolio has thousands of shares.
    """
    return RoleTally(
        shares[0].kind,
        exact_sum(s.exact_hours for s in shares),
        exact_sum(s.exact_external_hours for s in shares),
        exact_sum(s.exact_cost for s in shares),
    )


def _definitions(settings: Settings, sources: Iterable[Settings]) -> dict[str, Role]:
    """Each role's definition: from ``settings``, then the first of ``sources`` with it."""
    definitions: dict[str, Role] = dict(settings.roles)
    for source in sources:
        for name, definition in source.roles.items():
            definitions.setdefault(name, definition)
    return definitions


def _role_costs(
    tallies: dict[str, RoleTally],
    grouped: dict[str, list[StepCost]],
    settings: Settings,
    definitions: dict[str, Role],
) -> tuple[RoleCost, ...]:
    roles = []
    for name, tally in tallies.items():
        role = definitions.get(name)
        headcount = role.headcount if role is not None else None
        available = None
        utilisation = None
        if role is not None and role.kind is RoleKind.STAFF:
            available = role.available_hours or settings.working_year_hours
            if headcount is not None:
                utilisation = to_decimal(tally.hours / (Fraction(headcount) * Fraction(available)))
        roles.append(
            (
                -tally.cost,
                name,
                RoleCost(
                    role=name,
                    annual_hours=to_decimal(tally.hours),
                    annual_cost=to_decimal(tally.cost),
                    fte=fte(tally.hours, settings),
                    steps=tuple(grouped.get(name, ())),
                    kind=tally.kind,
                    external_hours=to_decimal(tally.external_hours),
                    headcount=headcount,
                    available_hours=available,
                    utilisation=utilisation,
                    exact_annual_hours=tally.hours,
                    exact_annual_cost=tally.cost,
                    exact_external_hours=tally.external_hours,
                ),
            )
        )
    return tuple(item[2] for item in sorted(roles, key=lambda r: (r[0], r[1])))
