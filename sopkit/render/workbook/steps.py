"""The Steps, Participants and Calls sheets: where every hour and cost is computed.

A step's time is spent by its owner and each ``with`` participant, each at
their own rate, so the Participants sheet has one row per step and role:
hours per run = hours per execution × executions per run × people, cost per
run = those hours × the role's rate from the Rates sheet (a system role's
rate is 0). A step's annual figures are its participants' per-run figures ×
runs per month × 12, the format's formula.

A participant's runs are its process's own and those calls make, which the
Summary counts in the process that runs it (a calling step's cost): each row
says where in "Counted in", so a pivot of Participants by it is the Summary's
labour by process. A procedure counted in several processes has a row per
process (``rows.ParticipantPlan``): the first with the per-run figures, the
others reading them, with the runs a month that process counts.

A step that runs another process takes that process's figures for one run ×
the calls one run makes: the Calls sheet sums the called process's
participants (and its own calls) per run. So a rate changed on the Rates
sheet flows through participants, steps, calls, processes and roles.

A process's own expenses (per run, or per month, quarter or year) belong to
no step: a "Process cash costs" row after its steps sums them from the
Expenses sheet, as cost.csv has, so the sheet's Total is the portfolio's.
It holds no hours and no labour, so the Summary's sums over Steps stay as
they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ...analysis.units import MONTHS
from ...models import RoleKind
from .cells import Cell, Column, Formula, Table, column_sum, exact
from .rows import ParticipantPlan, Plan, ProcessPlan, StepPlan
from .words import Phrase

__all__ = [
    "CALL_COLUMNS",
    "PARTICIPANT_COLUMNS",
    "P_COUNTED_IN",
    "STEP_COLUMNS",
    "calls_table",
    "participants_table",
    "rate_reference",
    "steps_table",
]

STEP_COLUMNS = (
    Column("Process", "text", 20),
    Column("Step", "text", 24),
    Column("Step name", "text", 32),
    Column("Owner (with participants)", "text", 26),
    Column("Hours per execution", "hours", inputs=True),
    Column("Executions per run", "factor", inputs=True),
    Column("Chance it runs", "chance"),
    Column("Runs per month", "factor", inputs=True),
    Column("Runs per month from calls", "factor"),
    Column("Owner's rate", "money"),
    Column("Annual hours", "hours"),
    Column("External hours a year", "hours"),
    Column("Annual labour cost", "money"),
    Column("Annual expenses", "money"),
    Column("Annual total cost", "money"),
)
# Steps columns by letter, as other sheets' formulas use them.
S_HOURS, S_EXEC, S_RUNS, S_CALLED = "E", "F", "H", "I"
S_ANNUAL_HOURS, S_ANNUAL_EXTERNAL, S_ANNUAL_LABOUR, S_ANNUAL_EXPENSES, S_TOTAL = (
    "K",
    "L",
    "M",
    "N",
    "O",
)

PARTICIPANT_COLUMNS = (
    Column("Process", "text", 20),
    Column("Step", "text", 24),
    Column("Role", "text", 28),
    Column("Kind", "text", 9),
    Column("People", "count", inputs=True),
    Column("Hours per execution", "hours"),
    Column("Executions per run", "factor"),
    Column("Rate", "money"),
    Column("Hours per run", "hours"),
    Column("Cost per run", "money"),
    Column("Runs per month, calls included", "factor"),
    Column("Annual hours", "hours"),
    Column("Annual cost", "money"),
    Column("Counted in", "text", 20),
)
P_ROLE, P_KIND, P_HOURS_RUN, P_COST_RUN = "C", "D", "I", "J"
P_ANNUAL_HOURS, P_ANNUAL_COST, P_COUNTED_IN = "L", "M", "N"

CALL_COLUMNS = (
    Column("Process", "text", 20),
    Column("Step", "text", 24),
    Column("Runs process", "text", 20),
    Column("Calls per run", "factor"),
    Column("Staff hours per run", "hours"),
    Column("External hours per run", "hours"),
    Column("Labour cost per run", "money"),
    Column("Expenses per run", "money"),
)
C_STAFF, C_EXTERNAL, C_LABOUR, C_EXPENSES = "E", "F", "G", "H"


def _range(sheet: str, column: str, rows: tuple[int, int]) -> str:
    return f"{sheet}!${column}${rows[0]}:${column}${rows[1]}"


def _staff_or_external(kind: str, rows: tuple[int, int]) -> str:
    """Participants' hours per run over ``rows``, of one kind (matched exactly)."""
    kinds = _range("Participants", P_KIND, rows)
    hours = _range("Participants", P_HOURS_RUN, rows)
    return f'SUMPRODUCT(--EXACT({kinds},"{kind}"),{hours})'


def rate_reference(plan: Plan, step: StepPlan, role: str | None) -> Formula | int | None:
    """The rate of ``role`` on ``step`` as a reference to the Rates sheet (0 for a system)."""
    worker = next((w for w in step.run.workers if w.role == role), None)
    if worker is None:
        return None
    if worker.kind is RoleKind.SYSTEM:
        return 0
    row = plan.rate_row[(worker.role, worker.kind, worker.rate)]
    return Formula(f"Rates!$C${row}", worker.rate)


def _owner_text(step: StepPlan) -> str:
    run = step.run
    if run.step.process is not None:
        return Phrase("runs {process}", process=run.step.process)
    owner = run.step.owner or ""
    works = run.step.owner is not None and run.step.time is not None
    others = run.workers[1:] if works else run.workers
    if not others:
        return owner
    named = ", ".join(w.role if w.count == 1 else f"{w.role} ×{w.count}" for w in others)
    if owner:
        return Phrase("{owner}, with {people}", owner=owner, people=named)
    return Phrase("with {people}", people=named)


def _per_run(plan: Plan, step: StepPlan) -> tuple[Sequence[str | None], Sequence[Fraction]]:
    """Formulas (``None`` for 0) for staff hours, external hours, labour and expenses per run."""
    run = step.run
    values = (run.hours, run.external_hours, run.cost, run.expenses)
    if run.step.process is not None:
        row = step.call_row
        return [f"Calls!${c}${row}" for c in (C_STAFF, C_EXTERNAL, C_LABOUR, C_EXPENSES)], values
    rows = (step.participants[0].row, step.participants[-1].row) if step.participants else None
    expense = None if step.expense is None else f"Expenses!$F${step.expense.row}"
    if rows is None:
        return [None, None, None, expense], values
    return [
        _staff_or_external("staff", rows),
        _staff_or_external("external", rows),
        f"SUM({_range('Participants', P_COST_RUN, rows)})",
        expense,
    ], values


def _step_row(plan: Plan, process: ProcessPlan, step: StepPlan) -> list[Cell]:
    run = step.run
    row = step.row
    runs = process.own_runs
    formulas, values = _per_run(plan, step)
    annual: list[Cell] = []
    for formula, value in zip(formulas, values, strict=True):
        exact = value * runs * MONTHS
        annual.append(0 if formula is None else Formula(f"{formula}*{S_RUNS}{row}*{MONTHS}", exact))
    total = (run.cost + run.expenses) * runs * MONTHS
    is_call = run.step.process is not None
    return [
        process.id,
        run.step.id,
        run.step.name,
        _owner_text(step),
        None if is_call else run.time_hours,
        run.executions,
        run.chance,
        runs,
        process.called_runs,
        None if is_call else rate_reference(plan, step, run.step.owner),
        *annual,
        Formula(f"{S_ANNUAL_LABOUR}{row}+{S_ANNUAL_EXPENSES}{row}", total),
    ]


def _cash_row(plan: Plan, process: ProcessPlan) -> list[Cell]:
    """The process's own expenses, which no step holds, as the Expenses sheet sums them.

    cost.csv and ``sopkit cost --by step`` have the same row, so the steps' column
    adds up to the portfolio's expenses; it has no hours and no labour.
    """
    rows = process.rows("own expenses")
    assert rows is not None
    row = process.cash_row
    value = plan.cost.process(process.id).exact_process_expenses
    names = ", ".join(e.name for e in process.own_expenses)
    return [
        process.id,
        None,
        Phrase("Process cash costs: {names}", names=names),
        *([None] * 7),
        0,
        0,
        0,
        Formula(f"SUM({_range('Expenses', 'I', rows)})", value),
        Formula(f"{S_ANNUAL_LABOUR}{row}+{S_ANNUAL_EXPENSES}{row}", value),
    ]


def steps_table(plan: Plan) -> Table:
    """Every step of every process (and of the processes they run), one row each, and a
    row of each process's own expenses."""
    table = Table("Steps", STEP_COLUMNS, frozen_columns=3)
    sums = dict.fromkeys("KLMNO", Fraction(0))

    def add(cells: list[Cell]) -> int:
        for column in sums:
            sums[column] += exact(cells[ord(column) - ord("A")])
        return table.add(cells)

    for process in plan.processes:
        for step in process.steps:
            number = add(_step_row(plan, process, step))
            assert number == step.row
        if process.cash_row:
            number = add(_cash_row(plan, process))
            assert number == process.cash_row
    last = plan.steps_last
    totals: list[Cell] = [Phrase("Total"), *([None] * 9)]
    totals += [column_sum(c, last, sums[c]) for c in sums]
    table.add(totals, "total")
    table.add(
        [
            Phrase(
                "Annual figures count each process's own runs; a step that runs another process "
                "counts that process's work for its calls (Calls). A process that only runs "
                "when called has no runs of its own."
            )
        ],
        "note",
    )
    if any(p.cash_row for p in plan.processes):
        table.add(
            [
                Phrase(
                    "Rows 'Process cash costs' hold a process's own expenses, per run or per "
                    "month, quarter or year (Expenses): they belong to no step, and with them "
                    "the Total is the portfolio's."
                )
            ],
            "note",
        )
    return table


def _runs(process: ProcessPlan, step: StepPlan, part: ParticipantPlan) -> Cell:
    """Runs a month the row counts: all of its step's, or (its runs split between the
    processes that count them) its process's own, or those one process's calls make."""
    row = step.row
    if part.runs is None:
        return Formula(f"Steps!${S_RUNS}${row}+Steps!${S_CALLED}${row}", process.total_runs)
    if part.counted_in == process.id:
        return Formula(f"Steps!${S_RUNS}${row}", part.runs)
    return part.runs


def _participant_row(
    plan: Plan, process: ProcessPlan, step: StepPlan, part: ParticipantPlan
) -> list[Cell]:
    row, number, worker = step.row, part.row, part.worker
    hours = step.run.time_hours * step.run.executions * Fraction(worker.count)
    cost = Fraction(0) if worker.kind is RoleKind.SYSTEM else hours * Fraction(worker.rate)
    runs = process.total_runs if part.runs is None else part.runs
    # a row counting more runs of a split step reads its per-run figures from the first
    # row, and leaves its own empty: the sums per run over a step's rows stay as they are
    first = number if part.first is None else part.first.row
    per_run: list[Cell] = [None, None]
    if part.first is None:
        per_run = [
            Formula(f"F{number}*G{number}*E{number}", hours),
            Formula(f"I{number}*H{number}", cost),
        ]
    return [
        process.id,
        step.id,
        worker.role,
        Phrase(worker.kind.value),
        worker.count,
        Formula(f"Steps!${S_HOURS}${row}", step.run.time_hours),
        Formula(f"Steps!${S_EXEC}${row}", step.run.executions),
        rate_reference(plan, step, worker.role),
        *per_run,
        _runs(process, step, part),
        Formula(f"I{first}*K{number}*{MONTHS}", hours * runs * MONTHS),
        Formula(f"J{first}*K{number}*{MONTHS}", cost * runs * MONTHS),
        part.counted_in,
    ]


def participants_table(plan: Plan) -> Table:
    """One row per step and role that spends time on it, every execution counted."""
    table = Table("Participants", PARTICIPANT_COLUMNS, frozen_columns=3)
    hours_total = cost_total = Fraction(0)
    for process in plan.processes:
        for step in process.steps:
            for part in step.participants:
                cells = _participant_row(plan, process, step, part)
                number = table.add(cells)
                assert number == part.row
                hours_total += exact(cells[11])
                cost_total += exact(cells[12])
    last = plan.participants_last
    table.add(
        [
            Phrase("Total"),
            *([None] * 10),
            column_sum("L", last, hours_total),
            column_sum("M", last, cost_total),
            None,
        ],
        "total",
    )
    table.add(
        [
            Phrase(
                "Every execution is counted here, a procedure's runs made by calls included, so "
                "each role's hours and cost add up over its rows (Summary, by role). Annual "
                "hours are person-hours of every kind."
            )
        ],
        "note",
    )
    table.add(
        [
            Phrase(
                "Counted in: the process whose cost (Summary, by process) includes the row, so "
                "a pivot of Annual cost by it gives each process's labour. A procedure's rows "
                "are counted in the process that runs it."
            )
        ],
        "note",
    )
    if any(part.first for p in plan.processes for s in p.steps for part in s.participants):
        table.add(
            [
                Phrase(
                    "A procedure that runs on its own and is run by another process, or that "
                    "several processes run, has a row per process for each step and role: the "
                    "first holds the hours and cost per run, the others only the runs a month "
                    "that process counts."
                )
            ],
            "note",
        )
    return table


def _call_row(plan: Plan, process: ProcessPlan, step: StepPlan) -> list[Cell]:
    run = step.run
    assert run.step.process is not None
    callee = plan.process(run.step.process)
    people = callee.rows("participants")
    calls = callee.rows("calls")
    expenses = callee.rows("expenses")
    row = step.call_row

    def times(terms: list[str]) -> str:
        inner = "+".join(terms) if terms else "0"
        return f"({inner})*D{row}" if len(terms) > 1 else f"{inner}*D{row}"

    def own(column: str) -> list[str]:
        return [f"SUM({_range('Calls', column, calls)})"] if calls else []

    staff = ([_staff_or_external("staff", people)] if people else []) + own(C_STAFF)
    external = ([_staff_or_external("external", people)] if people else []) + own(C_EXTERNAL)
    labour = ([f"SUM({_range('Participants', P_COST_RUN, people)})"] if people else []) + own(
        C_LABOUR
    )
    # the called process's step expenses, per-run expenses and calls, per run (column F)
    spent = [f"SUM({_range('Expenses', 'F', expenses)})"] if expenses else []
    return [
        process.id,
        run.step.id,
        callee.id,
        run.calls,
        Formula(times(staff), run.hours),
        Formula(times(external), run.external_hours),
        Formula(times(labour), run.cost),
        Formula(times(spent), run.expenses),
    ]


def calls_table(plan: Plan) -> Table | None:
    """One row per step that runs another process: that process's figures per run × calls."""
    table = Table("Calls", CALL_COLUMNS, frozen_columns=2)
    for process in plan.processes:
        for step in process.steps:
            if step.call_row:
                number = table.add(_call_row(plan, process, step))
                assert number == step.call_row
    if not table.rows:
        return None
    table.add(
        [
            Phrase(
                "Per run of the calling process: the called process's participants and its own "
                "calls for one run, × the calls one run makes (count × executions per run)."
            )
        ],
        "note",
    )
    return table
