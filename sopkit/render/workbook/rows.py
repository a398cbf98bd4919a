"""Where everything goes: the row of each step, participant, expense and rate.

Formulas point at other rows, often on other sheets, so every row number is
fixed here first, from one average run of each process (``analysis.profile``)
and how often it runs. The sheets then only write what this plan says.

A step that runs another process needs that process's per-run figures, so a
process loaded only because it is called (a dependency, not part of the
portfolio) has its steps on the Steps sheet too, with no runs of its own: its
rows count nothing in the totals but price each call. Runs a month made by
calls are counted here from the callers' runs and the calls each makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ...analysis.cost import PortfolioCost
from ...analysis.profile import RunProfile, StepRun, Worker, profile
from ...analysis.units import runs_per_month
from ...models import ExpensePeriod, Process, RoleKind
from .words import Phrase

__all__ = [
    "ExpensePlan",
    "ParticipantPlan",
    "Plan",
    "ProcessPlan",
    "RatePlan",
    "StepPlan",
    "plan_workbook",
]


@dataclass(slots=True)
class ParticipantPlan:
    """One role's part of one step: a row of the Participants sheet.

    Each row is counted in one process of the Summary (``counted_in``), so a pivot by it
    ties to the Summary's labour by process. A step whose runs several of them count
    (its process runs on its own and is run by another, or several run it) has a row
    per process: the first holds the hours and cost per run, the others (``first``) only
    the runs a month that process makes (``runs``).
    """

    worker: Worker
    row: int = 0
    #: The portfolio's process whose cost includes this row (the process itself, or the
    #: one that runs it).
    counted_in: str = ""
    #: Runs a month this row counts when the step's runs are split between processes;
    #: ``None``: all of them (its process's own and those calls make).
    runs: Fraction | None = None
    #: The row with the per-run figures this one counts runs of; ``None``: this one.
    first: ParticipantPlan | None = None


@dataclass(slots=True)
class ExpensePlan:
    """A row of the Expenses sheet: a step's expense, a process's, or what a call brings."""

    process_id: str
    #: ``execution`` (a step's ``expense``), ``call``, or the process-level ``per``.
    per: str
    name: str
    amount: Decimal | None
    step_id: str = ""
    row: int = 0


@dataclass(slots=True)
class StepPlan:
    """One step: its Steps row, its participants' rows and its expense row."""

    run: StepRun
    participants: list[ParticipantPlan]
    row: int = 0
    expense: ExpensePlan | None = None
    call: ExpensePlan | None = None
    #: The row of a calling step on the Calls sheet.
    call_row: int = 0

    @property
    def id(self) -> str:
        return self.run.step.id


@dataclass(slots=True)
class ProcessPlan:
    """One process: its steps' block of rows and how often it runs."""

    process: Process
    profile: RunProfile
    #: Part of the portfolio (its own runs count), or loaded only for its callers.
    counted: bool
    own_runs: Fraction
    called_runs: Fraction = Fraction(0)
    called_by: tuple[str, ...] = ()
    #: Runs a month by the portfolio's process whose cost counts them: its own runs under
    #: its id, those calls make under the process that runs its caller on its own (calls
    #: of calls followed to the top). They add up to ``total_runs``.
    counted_in: dict[str, Fraction] = field(default_factory=dict)
    steps: list[StepPlan] = field(default_factory=list)
    expenses: list[ExpensePlan] = field(default_factory=list)
    #: The Steps row of the process's own expenses (per run or per period), which no
    #: step holds: without it the Steps sheet's total would leave them out. 0: none.
    cash_row: int = 0

    @property
    def id(self) -> str:
        return self.process.id

    @property
    def first_row(self) -> int:
        return self.steps[0].row

    @property
    def last_row(self) -> int:
        return self.steps[-1].row

    @property
    def total_runs(self) -> Fraction:
        return self.own_runs + self.called_runs

    @property
    def own_expenses(self) -> list[ExpensePlan]:
        """The process's own expense rows (per run or per period), last in its block."""
        return [e for e in self.expenses if e.per not in ("execution", "call")]

    def rows(self, what: str) -> tuple[int, int] | None:
        """The first and last row of this process's participants, calls, expenses or own
        expenses (``own expenses``: those of no step)."""
        if what == "participants":
            numbers = [p.row for s in self.steps for p in s.participants]
        elif what == "calls":
            numbers = [s.call_row for s in self.steps if s.call_row]
        elif what == "own expenses":
            numbers = [e.row for e in self.own_expenses]
        else:
            numbers = [e.row for e in self.expenses]
        return (numbers[0], numbers[-1]) if numbers else None


@dataclass(slots=True)
class RatePlan:
    """A row of the Rates sheet: one role at one rate, and the processes that use it."""

    role: str
    kind: RoleKind
    rate: Decimal
    processes: list[str]
    row: int = 0


@dataclass(slots=True)
class Plan:
    """Every row of the workbook, fixed before anything is written."""

    cost: PortfolioCost
    processes: list[ProcessPlan]
    rates: list[RatePlan]
    rate_row: dict[tuple[str, RoleKind, Decimal], int]
    participants_last: int
    steps_last: int
    expenses_last: int
    calls_last: int

    def process(self, process_id: str) -> ProcessPlan:
        for plan in self.processes:
            if plan.id == process_id:
                return plan
        raise KeyError(process_id)

    def step(self, process_id: str, step_id: str) -> StepPlan:
        for step in self.process(process_id).steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


def _everything(cost: PortfolioCost) -> list[tuple[Process, bool]]:
    """The portfolio's processes, then every process they run that is not one of them."""
    found: list[tuple[Process, bool]] = [(p.process, True) for p in cost.processes]
    seen = {p.id for p in cost.processes}
    queue = [p.process for p in cost.processes]
    while queue:
        process = queue.pop(0)
        for callee_id in process.calls:
            callee = process.callees.get(callee_id)
            if callee is not None and callee.id not in seen:
                seen.add(callee.id)
                found.append((callee, False))
                queue.append(callee)
    return found


def _called_runs(plans: list[ProcessPlan]) -> None:
    """Runs a month each process gets from calls: the callers' runs (own and called) ×
    the calls one run of the caller makes. Load refuses call cycles."""
    by_id = {p.id: p for p in plans}
    calls: dict[str, list[tuple[str, Fraction]]] = {}
    for plan in plans:
        for step in plan.profile.steps:
            if step.step.process is not None and step.step.process in by_id:
                calls.setdefault(step.step.process, []).append((plan.id, step.calls))
    done: dict[str, Fraction] = {}

    def total(process_id: str) -> Fraction:
        if process_id not in done:
            plan = by_id[process_id]
            made = sum((total(caller) * n for caller, n in calls.get(process_id, ())), Fraction(0))
            plan.called_runs = made
            plan.called_by = tuple(dict.fromkeys(caller for caller, _ in calls.get(process_id, ())))
            counted = {plan.id: plan.own_runs} if plan.own_runs else {}
            for caller, n in calls.get(process_id, ()):
                for top, runs in by_id[caller].counted_in.items():
                    counted[top] = counted.get(top, Fraction(0)) + runs * n
            plan.counted_in = {top: runs for top, runs in counted.items() if runs}
            done[process_id] = plan.own_runs + made
        return done[process_id]

    for plan in plans:
        total(plan.id)


def _rates(plans: Iterable[ProcessPlan]) -> list[RatePlan]:
    """Each (role, kind, rate) a participant is paid at, by role then rate; system roles
    have no rate."""
    found: dict[tuple[str, RoleKind, Decimal], list[str]] = {}
    for plan in plans:
        for step in plan.steps:
            for part in step.participants:
                worker = part.worker
                if worker.kind is RoleKind.SYSTEM:
                    continue
                users = found.setdefault((worker.role, worker.kind, worker.rate), [])
                if plan.id not in users:
                    users.append(plan.id)
    return [
        RatePlan(role, kind, rate, sorted(users))
        for (role, kind, rate), users in sorted(
            found.items(), key=lambda item: (item[0][0], item[0][2], item[0][1].value)
        )
    ]


def _expenses(plan: ProcessPlan) -> None:
    """The process's expense rows: its steps' expenses, what its calls bring, its own."""
    for step in plan.steps:
        expense = step.run.step.expense
        if expense is not None:
            step.expense = ExpensePlan(plan.id, "execution", step.run.step.name, expense, step.id)
            plan.expenses.append(step.expense)
        if step.run.step.process is not None and step.run.expenses:
            name = Phrase(
                "Via {process}: {name}", process=step.run.step.process, name=step.run.step.name
            )
            step.call = ExpensePlan(plan.id, "call", name, None, step.id)
            plan.expenses.append(step.call)
    for line in plan.process.expenses:
        if line.per is not ExpensePeriod.RUN and not plan.counted:
            continue  # a dependency's fixed costs are not this portfolio's
        plan.expenses.append(ExpensePlan(plan.id, line.per.value, line.name, line.amount))


def _count_in(plan: ProcessPlan) -> None:
    """Say which process counts each participant row; split a row counted in several.

    A process that runs only on its own, or only when one other process runs it, keeps a
    row per step and role. One whose runs several processes count gets, for each step and
    role, a row per process: the runs a month each makes it run (``counted_in``).
    """
    counted = plan.counted_in
    if len(counted) <= 1:
        here = next(iter(counted), plan.id)
        for step in plan.steps:
            for part in step.participants:
                part.counted_in = here
        return
    for step in plan.steps:
        rows: list[ParticipantPlan] = []
        for part in step.participants:
            first: ParticipantPlan | None = None
            for top, runs in counted.items():
                row = ParticipantPlan(part.worker, counted_in=top, runs=runs, first=first)
                first = first or row
                rows.append(row)
        step.participants = rows


def plan_workbook(cost: PortfolioCost) -> Plan:
    """Fix every row of the workbook for a costed portfolio."""
    memo: dict[int, RunProfile] = {}
    plans: list[ProcessPlan] = []
    for process, counted in _everything(cost):
        run = profile(process, memo)
        own = Fraction(0)
        if counted and process.frequency is not None:
            own = runs_per_month(process.frequency, process.settings.working_days_per_year)
        plan = ProcessPlan(process, run, counted, own)
        plan.steps = [
            StepPlan(step, [ParticipantPlan(w) for w in step.workers]) for step in run.steps
        ]
        plans.append(plan)
    _called_runs(plans)
    for plan in plans:
        _count_in(plan)
    steps_row = participant_row = expense_row = call_row = 2
    for plan in plans:
        _expenses(plan)
        for step in plan.steps:
            step.row = steps_row
            steps_row += 1
            if step.run.step.process is not None:
                step.call_row = call_row
                call_row += 1
            for part in step.participants:
                part.row = participant_row
                participant_row += 1
        if plan.counted and plan.own_expenses:
            plan.cash_row = steps_row
            steps_row += 1
        for expense in plan.expenses:
            expense.row = expense_row
            expense_row += 1
    rates = _rates(plans)
    for number, rate in enumerate(rates, start=2):
        rate.row = number
    return Plan(
        cost=cost,
        processes=plans,
        rates=rates,
        rate_row={(r.role, r.kind, r.rate): r.row for r in rates},
        participants_last=participant_row - 1,
        steps_last=steps_row - 1,
        expenses_last=expense_row - 1,
        calls_last=call_row - 1,
    )
