"""The Rates and Expenses sheets: the only places money is typed in.

**Rates**: one row per role and rate (a process that overrides a rate in its
own ``roles:`` gets a row of its own). Every participant's rate is a
reference to its row, so changing a rate here recalculates the whole book.
External roles without a rate have one at 0 to fill in; system roles have no
rate and cost nothing.

**Expenses**: cash costs as the format defines them. A step's ``expense`` is
per execution: per run = amount × executions per run. A process's
``expenses`` are per run (× runs per month × 12) or fixed per month (× 12),
quarter (× 4) or year (× 1). A step that runs another process brings that
process's expenses per run × the calls (a ``call`` row). Each row's annual
amount counts the process's own runs, so summing a process's rows gives its
annual expenses.
"""

from __future__ import annotations

from fractions import Fraction

from ...analysis.units import MONTHS
from .cells import Cell, Column, Formula, Table, column_sum, exact
from .rows import ExpensePlan, Plan, ProcessPlan
from .steps import S_EXEC, S_RUNS
from .words import Phrase

__all__ = ["EXPENSE_COLUMNS", "RATE_COLUMNS", "expenses_table", "rates_table"]

RATE_COLUMNS = (
    Column("Role", "text", 34),
    Column("Kind", "text", 9),
    Column("Rate per hour", "money", inputs=True),
    Column("Used by", "text", 60),
)

EXPENSE_COLUMNS = (
    Column("Process", "text", 22),
    Column("Step", "text", 24),
    Column("Expense", "text", 40),
    Column("Amount", "money", inputs=True),
    Column("Per", "text", 9),
    Column("Per run", "money"),
    Column("Runs per month", "factor"),
    Column("Times a year", "factor"),
    Column("Annual", "money"),
)

#: How many times a fixed expense falls in a year.
_TIMES = {"month": 12, "quarter": 4, "year": 1}


def rates_table(plan: Plan) -> Table:
    """Each role at each rate, with the processes that pay it."""
    table = Table("Rates", RATE_COLUMNS, frozen_columns=1, autofilter=False)
    for rate in plan.rates:
        kind = Phrase(rate.kind.value)
        number = table.add([rate.role, kind, rate.rate, ", ".join(rate.processes)])
        assert number == rate.row
    table.add(
        [
            Phrase(
                "Change a rate here: every participant, step, process, role and candidate follows."
            )
        ],
        "note",
    )
    return table


def _per_run(plan: Plan, process: ProcessPlan, expense: ExpensePlan) -> Formula | None:
    row = expense.row
    if expense.per == "execution":
        step = next(s for s in process.steps if s.id == expense.step_id)
        value = Fraction(expense.amount or 0) * step.run.executions
        return Formula(f"D{row}*Steps!${S_EXEC}${step.row}", value)
    if expense.per == "call":
        step = next(s for s in process.steps if s.id == expense.step_id)
        return Formula(f"Calls!$H${step.call_row}", step.run.expenses)
    if expense.per == "run":
        return Formula(f"D{row}", Fraction(expense.amount or 0))
    return None


def _expense_row(plan: Plan, process: ProcessPlan, expense: ExpensePlan) -> list[Cell]:
    row = expense.row
    per_run = _per_run(plan, process, expense)
    runs: Cell = None
    times: Cell
    if per_run is not None:
        runs = Formula(f"Steps!${S_RUNS}${process.first_row}", process.own_runs)
        times = Formula(f"G{row}*{MONTHS}", process.own_runs * MONTHS)
        annual = Formula(f"F{row}*H{row}", exact(per_run) * process.own_runs * MONTHS)
    else:
        times = _TIMES[expense.per]
        annual = Formula(f"D{row}*H{row}", Fraction(expense.amount or 0) * _TIMES[expense.per])
    return [
        process.id,
        expense.step_id or None,
        expense.name,
        expense.amount,
        Phrase(expense.per),
        per_run,
        runs,
        times,
        annual,
    ]


def expenses_table(plan: Plan) -> Table:
    """Every cash cost, with its annual amount for the process's own runs."""
    table = Table("Expenses", EXPENSE_COLUMNS, frozen_columns=1)
    total = Fraction(0)
    for process in plan.processes:
        for expense in process.expenses:
            cells = _expense_row(plan, process, expense)
            number = table.add(cells)
            assert number == expense.row
            total += exact(cells[-1])
    table.add([Phrase("Total"), *([None] * 7), column_sum("I", plan.expenses_last, total)], "total")
    table.add(
        [
            Phrase(
                "A procedure that another process runs is costed in its caller's 'call' row; "
                "its own rows count only the runs it has on its own."
            )
        ],
        "note",
    )
    return table
