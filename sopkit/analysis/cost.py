"""Annual workflow cost: hours × executions per run × runs per month × rate × 12.

Every figure is first computed as an exact fraction (``fractions.Fraction``),
so ``20m`` is exactly a third of an hour and a rework factor ``1 / (1 − 0.3)``
is exactly ``10/7``; totals are sums of these exact values. The ``Decimal``
fields the renderers use are the exact values correctly rounded to 40
significant digits, so rounding half-up to the currency's minor unit (done only
by ``sopkit.render.numbers``) lands on the same cent as the exact value would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..errors import SopkitError
from ..graph import cached_flow_graph, loop_members
from ..models import Process, Settings
from .schedule import Schedule, schedule
from .units import MONTHS, exact_hours, expected_hours, runs_per_month, to_decimal

__all__ = [
    "MONTHS",
    "PortfolioCost",
    "ProcessCost",
    "ReworkLoop",
    "RoleCost",
    "StepCost",
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


def _sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum. Numerators over the same denominator are added as integers
    first: each Fraction addition costs two gcds, and totals are summed over
    thousands of steps, many of them sharing a denominator."""
    by_denominator: dict[int, int] = {}
    for value in values:
        denominator = value.denominator
        by_denominator[denominator] = by_denominator.get(denominator, 0) + value.numerator
    return sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0))


# --- results ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepCost:
    """The yearly hours and cost of one step, with every factor that made them.

    The ``Decimal`` fields are 40-digit views of exact values; the ``exact_*``
    fields keep the exact fractions that every total is summed from.
    """

    process_id: str
    step_id: str
    name: str
    owner: str
    rate: Decimal
    hours_per_execution: Decimal
    executions_per_run: Decimal
    runs_per_month: Decimal
    annual_hours: Decimal
    annual_cost: Decimal
    fte: Decimal
    exact_annual_hours: Fraction = field(default=Fraction(0), repr=False)
    exact_annual_cost: Fraction = field(default=Fraction(0), repr=False)
    #: Where the factors came from (the estimate, loops, frequency), for explanations.
    per_run: Decimal = Decimal(1)
    rework: tuple[ReworkLoop, ...] = ()


@dataclass(frozen=True, slots=True)
class ReworkLoop:
    """A rework loop a step is inside: ``step`` sends work back ``to`` with ``probability``."""

    step: str
    to: str
    probability: Decimal

    @property
    def factor(self) -> Fraction:
        """How many times, on average, every step in the loop runs: ``1 / (1 − p)``."""
        return 1 / (1 - Fraction(self.probability))


@dataclass(frozen=True, slots=True)
class ProcessCost:
    """One process: its steps' costs, totals and schedule."""

    process: Process
    runs_per_month: Decimal
    steps: tuple[StepCost, ...]
    schedule: Schedule
    #: Exact totals, summed once: renderers read them for every row they show.
    exact_annual_hours: Fraction = field(init=False, repr=False, compare=False)
    exact_annual_cost: Fraction = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set_totals(self, self.steps)

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
        """Σ steps' annual hours, summed exactly."""
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        """Σ steps' annual cost, summed exactly."""
        return to_decimal(self.exact_annual_cost)

    @property
    def exact_runs_per_month(self) -> Fraction:
        settings = self.process.settings
        return runs_per_month(self.process.frequency, settings.working_days_per_year)

    @property
    def hours_per_run(self) -> Decimal:
        """Hands-on hours of one average run, rework and ``per_run`` included."""
        return to_decimal(self.exact_annual_hours / (self.exact_runs_per_month * MONTHS))

    @property
    def cost_per_run(self) -> Decimal:
        """Cost of one average run, rework and ``per_run`` included."""
        return to_decimal(self.exact_annual_cost / (self.exact_runs_per_month * MONTHS))

    @property
    def fte(self) -> Decimal:
        return fte(self.exact_annual_hours, self.process.settings)

    def step(self, step_id: str) -> StepCost:
        for step in self.steps:
            if step.step_id == step_id:
                return step
        raise KeyError(step_id)

    def by_role(self) -> tuple[RoleCost, ...]:
        return _roles(self.steps, self.process.settings)


@dataclass(frozen=True, slots=True)
class RoleCost:
    """A role's share of the hours and cost, summed over steps."""

    role: str
    annual_hours: Decimal
    annual_cost: Decimal
    fte: Decimal
    steps: tuple[StepCost, ...]

    @property
    def exact_annual_hours(self) -> Fraction:
        return _sum(s.exact_annual_hours for s in self.steps)

    @property
    def exact_annual_cost(self) -> Fraction:
        return _sum(s.exact_annual_cost for s in self.steps)


@dataclass(frozen=True, slots=True)
class PortfolioCost:
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

    def __post_init__(self) -> None:
        _set_totals(self, self.processes)

    @property
    def steps(self) -> tuple[StepCost, ...]:
        return tuple(s for p in self.processes for s in p.steps)

    @property
    def annual_hours(self) -> Decimal:
        return to_decimal(self.exact_annual_hours)

    @property
    def annual_cost(self) -> Decimal:
        return to_decimal(self.exact_annual_cost)

    @property
    def fte(self) -> Decimal:
        return fte(self.exact_annual_hours, self.settings)

    @property
    def roles(self) -> tuple[RoleCost, ...]:
        return _roles(self.steps, self.settings)

    def process(self, process_id: str) -> ProcessCost:
        for process in self.processes:
            if process.id == process_id:
                return process
        raise KeyError(process_id)


# --- the computation --------------------------------------------------------------


def _set_totals(owner: ProcessCost | PortfolioCost, parts: Iterable[Any]) -> None:
    """Fill a frozen result's exact totals from its parts (steps or processes)."""
    parts = tuple(parts)
    object.__setattr__(owner, "exact_annual_hours", _sum(p.exact_annual_hours for p in parts))
    object.__setattr__(owner, "exact_annual_cost", _sum(p.exact_annual_cost for p in parts))


def fte(annual_hours: Fraction | Decimal, settings: Settings) -> Decimal:
    """Full-time people: annual hours ÷ (working days per year × hours per day)."""
    year = _working_year(settings.working_days_per_year, settings.hours_per_day)
    hours = annual_hours if type(annual_hours) is Fraction else Fraction(annual_hours)
    return to_decimal(hours / year)


#: Rates repeat across steps and processes; converting a Decimal is the slow part.
_fraction = lru_cache(maxsize=1024)(Fraction)


@lru_cache(maxsize=64)
def _working_year(working_days_per_year: Decimal, hours_per_day: Decimal) -> Fraction:
    return Fraction(working_days_per_year) * Fraction(hours_per_day)


def rework_loops(process: Process) -> dict[str, tuple[ReworkLoop, ...]]:
    """For each step, the rework loops it is inside, in file order.

    A loop runs from ``rework.to`` to the reworking step and holds every step on
    some path between them (a self loop holds just the step). Loops with
    probability 0 are left out: they repeat nothing.
    """
    graph = cached_flow_graph(process)
    found: dict[str, list[ReworkLoop]] = {step.id: [] for step in process.steps}
    for step in process.steps:
        if step.rework is None or step.rework.probability == 0:
            continue
        loop = ReworkLoop(step.id, step.rework.to, step.rework.probability)
        for member in loop_members(graph, step.rework.to, step.id):
            found[member].append(loop)
    return {step_id: tuple(loops) for step_id, loops in found.items()}


def _executions(
    process: Process, loops: dict[str, tuple[ReworkLoop, ...]] | None = None
) -> dict[str, Fraction]:
    if loops is None:
        loops = rework_loops(process)
    executions = {}
    for step in process.steps:
        factor = Fraction(step.per_run)
        for loop in loops[step.id]:
            factor *= loop.factor  # nested (and overlapping) loops multiply
        executions[step.id] = factor
    return executions


def executions_per_run(process: Process) -> dict[str, Decimal]:
    """How often each step runs in an average run: ``per_run`` × its rework loops.

    A loop from ``rework.to`` to the reworking step repeats every step on a path
    between them ``1 / (1 − p)`` times on average; a step inside several loops
    multiplies their factors.
    """
    return {step_id: to_decimal(value) for step_id, value in _executions(process).items()}


def cost_process(process: Process) -> ProcessCost:
    """Annual hours and cost of each step of one process, and its schedule.

    Raises:
        SopkitError: when a step's owner has no hourly rate (``load_process``
            reports this already; processes built in Python may not have been checked).
    """
    settings = process.settings
    _check_rates(process)
    calendar = settings.calendar
    loops = rework_loops(process)
    executions = _executions(process, loops)
    runs = runs_per_month(process.frequency, settings.working_days_per_year)
    runs_decimal = to_decimal(runs)
    runs_per_year = runs * MONTHS  # exact, so (h·e·r)·12 = h·e·(r·12)
    steps = []
    for step in process.steps:
        rate = settings.roles[step.owner].rate
        hours = expected_hours(step.time, calendar)
        annual_hours = hours * executions[step.id] * runs_per_year
        annual_cost = annual_hours * _fraction(rate)
        steps.append(
            StepCost(
                process_id=process.id,
                step_id=step.id,
                name=step.name,
                owner=step.owner,
                rate=rate,
                hours_per_execution=to_decimal(hours),
                executions_per_run=to_decimal(executions[step.id]),
                runs_per_month=runs_decimal,
                annual_hours=to_decimal(annual_hours),
                annual_cost=to_decimal(annual_cost),
                fte=fte(annual_hours, settings),
                exact_annual_hours=annual_hours,
                exact_annual_cost=annual_cost,
                per_run=step.per_run,
                rework=loops[step.id],
            )
        )
    return ProcessCost(process, runs_decimal, tuple(steps), schedule(process))


def _check_rates(process: Process) -> None:
    missing = [
        (index, step)
        for index, step in enumerate(process.steps)
        if step.owner not in process.settings.roles
    ]
    if missing:
        raise SopkitError.collect(
            process.source.problem(
                ("steps", index, "owner"),
                f"step '{step.id}': owner '{step.owner}' has no hourly rate",
                hint="add the role and its rate to roles.yaml or to the process's 'roles:'",
            )
            for index, step in missing
        )


def cost_portfolio(processes: Iterable[Process]) -> PortfolioCost:
    """Cost every process; the settings of the first give the currency and calendar.

    Raises:
        SopkitError: when the processes use more than one currency.
    """
    costed = tuple(cost_process(p) for p in processes)
    settings = costed[0].process.settings if costed else Settings()
    currencies = {c.currency for c in costed}
    if len(currencies) > 1:
        raise SopkitError(
            f"these processes use more than one currency: {', '.join(sorted(currencies))}",
            hint="totals cannot add different currencies; report on each currency separately",
        )
    return PortfolioCost(settings.currency, settings, costed)


def _roles(steps: Iterable[StepCost], settings: Settings) -> tuple[RoleCost, ...]:
    grouped: dict[str, list[StepCost]] = {}
    for step in steps:
        grouped.setdefault(step.owner, []).append(step)
    roles = []
    for role, items in grouped.items():
        hours = _sum(s.exact_annual_hours for s in items)
        cost = _sum(s.exact_annual_cost for s in items)
        roles.append(
            (
                -cost,
                role,
                RoleCost(
                    role=role,
                    annual_hours=to_decimal(hours),
                    annual_cost=to_decimal(cost),
                    fte=fte(hours, settings),
                    steps=tuple(items),
                ),
            )
        )
    return tuple(item[2] for item in sorted(roles, key=lambda r: (r[0], r[1])))
