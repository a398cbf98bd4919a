"""Annual workflow cost: hours × executions per run × runs per month × rate × 12.

All arithmetic is ``Decimal`` at 40 significant digits and nothing is rounded
here: totals are sums of unrounded values, and rounding to the currency's
minor unit happens only when a renderer shows a figure.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..errors import SopkitError
from ..graph import flow_graph, loop_members
from ..models import Process, Settings
from .schedule import Schedule, schedule

__all__ = [
    "PortfolioCost",
    "ProcessCost",
    "RoleCost",
    "StepCost",
    "cost_portfolio",
    "cost_process",
    "executions_per_run",
    "fte",
]

MONTHS = Decimal(12)
#: Enough digits that rounding 1/(1-p) and thirds never shows in a cent.
_CONTEXT = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class StepCost:
    """The yearly hours and cost of one step, with every factor that made them."""

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


@dataclass(frozen=True, slots=True)
class ProcessCost:
    """One process: its steps' costs, totals and schedule."""

    process: Process
    runs_per_month: Decimal
    steps: tuple[StepCost, ...]
    schedule: Schedule

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
        return sum((s.annual_hours for s in self.steps), Decimal(0))

    @property
    def annual_cost(self) -> Decimal:
        return sum((s.annual_cost for s in self.steps), Decimal(0))

    @property
    def hours_per_run(self) -> Decimal:
        """Hands-on hours of one average run, rework and ``per_run`` included."""
        return sum((s.hours_per_execution * s.executions_per_run for s in self.steps), Decimal(0))

    @property
    def cost_per_run(self) -> Decimal:
        return sum(
            (s.hours_per_execution * s.executions_per_run * s.rate for s in self.steps), Decimal(0)
        )

    @property
    def fte(self) -> Decimal:
        return fte(self.annual_hours, self.process.settings)

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


@dataclass(frozen=True, slots=True)
class PortfolioCost:
    """Every process of a report, in one currency."""

    currency: str
    settings: Settings
    processes: tuple[ProcessCost, ...]

    @property
    def steps(self) -> tuple[StepCost, ...]:
        return tuple(s for p in self.processes for s in p.steps)

    @property
    def annual_hours(self) -> Decimal:
        return sum((p.annual_hours for p in self.processes), Decimal(0))

    @property
    def annual_cost(self) -> Decimal:
        return sum((p.annual_cost for p in self.processes), Decimal(0))

    @property
    def fte(self) -> Decimal:
        return fte(self.annual_hours, self.settings)

    @property
    def roles(self) -> tuple[RoleCost, ...]:
        return _roles(self.steps, self.settings)

    def process(self, process_id: str) -> ProcessCost:
        for process in self.processes:
            if process.id == process_id:
                return process
        raise KeyError(process_id)


def fte(annual_hours: Decimal, settings: Settings) -> Decimal:
    """Full-time people: annual hours ÷ (working days per year × hours per day)."""
    with decimal.localcontext(_CONTEXT):
        return annual_hours / (settings.working_days_per_year * settings.hours_per_day)


def executions_per_run(process: Process) -> dict[str, Decimal]:
    """How often each step runs in an average run: ``per_run`` × its rework loops.

    A loop from ``rework.to`` to the reworking step repeats every step on a path
    between them ``1 / (1 − p)`` times on average; a step inside several loops
    multiplies their factors.
    """
    graph = flow_graph(process)
    with decimal.localcontext(_CONTEXT):
        factor = {step.id: Decimal(1) for step in process.steps}
        for step in process.steps:
            if step.rework is None or step.rework.probability == 0:
                continue
            repeat = Decimal(1) / (Decimal(1) - step.rework.probability)
            for member in loop_members(graph, step.rework.to, step.id):
                factor[member] *= repeat
        return {step.id: step.per_run * factor[step.id] for step in process.steps}


def cost_process(process: Process) -> ProcessCost:
    """Annual hours and cost of each step of one process, and its schedule."""
    settings = process.settings
    calendar = settings.calendar
    executions = executions_per_run(process)
    with decimal.localcontext(_CONTEXT):
        runs = process.frequency.per_month(settings.working_days_per_year)
        steps = []
        for step in process.steps:
            rate = settings.roles[step.owner].rate
            hours = step.time.expected_hours(calendar)
            annual_hours = hours * executions[step.id] * runs * MONTHS
            steps.append(
                StepCost(
                    process_id=process.id,
                    step_id=step.id,
                    name=step.name,
                    owner=step.owner,
                    rate=rate,
                    hours_per_execution=hours,
                    executions_per_run=executions[step.id],
                    runs_per_month=runs,
                    annual_hours=annual_hours,
                    annual_cost=annual_hours * rate,
                    fte=fte(annual_hours, settings),
                )
            )
    return ProcessCost(process, runs, tuple(steps), schedule(process))


def cost_portfolio(processes: Iterable[Process]) -> PortfolioCost:
    """Cost every process; the settings of the first give the currency and calendar."""
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
        hours = sum((s.annual_hours for s in items), Decimal(0))
        roles.append(
            RoleCost(
                role=role,
                annual_hours=hours,
                annual_cost=sum((s.annual_cost for s in items), Decimal(0)),
                fte=fte(hours, settings),
                steps=tuple(items),
            )
        )
    return tuple(sorted(roles, key=lambda r: (-r.annual_cost, r.role)))
