"""The Summary sheet: the portfolio's totals, each process, each role and its capacity.

One table, so one heading row can repeat on every printed page: the
portfolio's total first, then a section per process and per role. Process
figures sum the Steps and Expenses rows of that process; role figures sum
the Participants rows of that role. Both match names exactly
(``SUMPRODUCT(--EXACT(…))``), never with ``SUMIF``, which ignores case and
reads ``*``, ``?``, ``~`` and a leading ``<``, ``>`` or ``=`` in a role's name
as a pattern or a comparison.

Utilisation = annual hours ÷ (headcount × available hours per person), a
formula of the headcount and hours typed on this sheet; a role over capacity
is marked.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ...analysis.cost import RoleCost
from ...analysis.units import to_decimal
from ...models import RoleKind, Settings
from ..numbers import hours_text
from .cells import Cell, Column, Formula, Table
from .rows import Plan, ProcessPlan
from .steps import (
    P_ANNUAL_COST,
    P_ANNUAL_HOURS,
    P_KIND,
    P_ROLE,
    S_ANNUAL_EXTERNAL,
    S_ANNUAL_HOURS,
    S_ANNUAL_LABOUR,
)
from .words import Phrase

__all__ = ["SUMMARY_COLUMNS", "summary_rows", "summary_table"]

SUMMARY_COLUMNS = (
    Column("Process or role", "text", 28),
    Column("Name", "text", 40),
    Column("Kind", "text", 11),
    Column("Annual labour cost", "money"),
    Column("Annual expenses", "money"),
    Column("Annual total cost", "money"),
    Column("Annual hours", "hours"),
    Column("External hours a year", "hours"),
    Column("FTE", "fte"),
    Column("Headcount", "count"),
    Column("Available hours per person", "hours"),
    Column("Utilisation", "utilisation"),
)


def _matching(sheet: str, key: str, last: int, name_cell: str, values: str) -> str:
    """Rows of ``sheet`` whose ``key`` column is exactly ``name_cell``'s text, summed."""
    keys = f"{sheet}!${key}$2:${key}${last}"
    summed = f"{sheet}!${values}$2:${values}${last}"
    return f"SUMPRODUCT(--EXACT({keys},{name_cell}),{summed})"


def _year(settings: Settings) -> Fraction:
    return Fraction(settings.working_days_per_year) * Fraction(settings.hours_per_day)


def _year_text(settings: Settings) -> str:
    year = _year(settings)
    return str(year.numerator) if year.denominator == 1 else str(float(year))


def _process_row(plan: Plan, process: ProcessPlan, row: int) -> list[Cell]:
    cost = plan.cost.process(process.id)
    steps_last = plan.steps_last
    name = f"A{row}"
    labour = _matching("Steps", "A", steps_last, name, S_ANNUAL_LABOUR)
    hours = _matching("Steps", "A", steps_last, name, S_ANNUAL_HOURS)
    external = _matching("Steps", "A", steps_last, name, S_ANNUAL_EXTERNAL)
    settings = process.process.settings
    kind = Phrase("called only" if process.process.frequency is None else "process")
    return [
        process.id,
        process.process.name,
        kind,
        Formula(labour, cost.exact_annual_cost),
        # with no Expenses rows, no range to match: the figure, 0
        Formula(
            _matching("Expenses", "A", plan.expenses_last, name, "I"), cost.exact_annual_expenses
        )
        if plan.expenses_last >= 2
        else cost.exact_annual_expenses,
        Formula(f"D{row}+E{row}", cost.exact_annual_total_cost),
        Formula(hours, cost.exact_annual_hours),
        Formula(external, cost.exact_external_hours),
        Formula(f"G{row}/{_year_text(settings)}", cost.exact_annual_hours / _year(settings)),
        None,
        None,
        None,
    ]


def _role_row(plan: Plan, role: RoleCost, row: int) -> list[Cell]:
    last = max(plan.participants_last, 2)
    name = f"A{row}"
    keys = f"Participants!${P_ROLE}$2:${P_ROLE}${last}"
    kinds = f"Participants!${P_KIND}$2:${P_KIND}${last}"

    def hours_of(kind: str) -> str:
        values = f"Participants!${P_ANNUAL_HOURS}$2:${P_ANNUAL_HOURS}${last}"
        return f'SUMPRODUCT(--EXACT({keys},{name}),--EXACT({kinds},"{kind}"),{values})'

    settings = plan.cost.settings
    staff = role.kind is RoleKind.STAFF
    headcount: Decimal | None = role.headcount if staff else None
    available: Decimal | None = role.available_hours if staff else None
    utilisation: Cell = None
    if staff:
        value: Fraction | str = ""
        if role.utilisation is not None:
            capacity = Fraction(role.headcount or 0) * Fraction(role.available_hours or 0)
            value = role.exact_annual_hours / capacity
        utilisation = Formula(
            f"IF(AND(ISNUMBER(J{row}),ISNUMBER(K{row}),N(J{row})*N(K{row})>0),"
            f'G{row}/(J{row}*K{row}),"")',
            value,
        )
    return [
        role.role,
        None,
        Phrase(role.kind.value),
        Formula(
            _matching("Participants", P_ROLE, last, name, P_ANNUAL_COST), role.exact_annual_cost
        ),
        None,
        None,
        Formula(hours_of("staff"), role.exact_annual_hours),
        Formula(hours_of("external"), role.exact_external_hours),
        Formula(f"G{row}/{_year_text(settings)}", role.exact_annual_hours / _year(settings)),
        headcount,
        available,
        utilisation,
    ]


def summary_rows(plan: Plan) -> dict[str, int]:
    """The Summary row of the portfolio's total (``All processes``) and of each process."""
    counted = [p.id for p in plan.processes if p.counted]
    return {"All processes": 2, **{pid: row for row, pid in enumerate(counted, start=4)}}


def summary_table(plan: Plan, title: str, language: str = "en") -> Table:
    """The portfolio's totals, then each process, then each role with its capacity."""
    table = Table("Summary", SUMMARY_COLUMNS, frozen_columns=1, autofilter=False)
    cost = plan.cost
    counted = [p for p in plan.processes if p.counted]
    total_row = table.next_row()
    first = total_row + 2
    last = first + len(counted) - 1
    settings = cost.settings

    def process_sum(column: str, value: Fraction) -> Formula:
        return Formula(f"SUM({column}{first}:{column}{last})", value)

    table.add(
        [
            Phrase("All processes"),
            title,
            None,
            process_sum("D", cost.exact_annual_cost),
            process_sum("E", cost.exact_annual_expenses),
            process_sum("F", cost.exact_annual_total_cost),
            process_sum("G", cost.exact_annual_hours),
            process_sum("H", cost.exact_external_hours),
            Formula(
                f"G{total_row}/{_year_text(settings)}", cost.exact_annual_hours / _year(settings)
            ),
        ],
        "total",
    )
    table.add([Phrase("By process")], "section")
    rows = summary_rows(plan)
    for process in counted:
        row = table.next_row()
        assert rows[process.id] == row
        table.add(_process_row(plan, process, row))
    table.add([], "data")
    table.add([Phrase("By role")], "section")
    roles = cost.roles
    first_role = table.next_row()
    for role in roles:
        row = table.next_row()
        table.add(_role_row(plan, role, row))
        if role.over_capacity:
            table.alerts.append((row - 1, 11))
    last_role = table.next_row() - 1
    if roles:
        table.add(
            [
                Phrase("All roles"),
                None,
                None,
                Formula(f"SUM(D{first_role}:D{last_role})", cost.exact_annual_cost),
                None,
                None,
                Formula(f"SUM(G{first_role}:G{last_role})", cost.exact_annual_hours),
                Formula(f"SUM(H{first_role}:H{last_role})", cost.exact_external_hours),
                Formula(
                    f"G{table.next_row()}/{_year_text(settings)}",
                    cost.exact_annual_hours / _year(settings),
                ),
            ],
            "total",
        )
    table.add([], "data")
    for note in _notes(settings, language):
        table.add([note], "note")
    return table


def _notes(settings: Settings, language: str) -> list[Phrase]:
    return [
        Phrase(
            "Labour = hours per execution × executions per run × runs per month × hourly rate "
            "× 12, for the owner and every participant at their own rate (Steps, Participants)."
        ),
        Phrase(
            "Expenses are cash costs per execution, run, month, quarter or year (Expenses). "
            "Total cost = labour + expenses."
        ),
        Phrase(
            "Annual hours and FTE count staff only; external parties' hours are shown apart; "
            "system roles count no hours. FTE = annual hours ÷ {year} working hours a year.",
            year=hours_text(to_decimal(_year(settings)), language),
        ),
        Phrase(
            "Utilisation = annual hours ÷ (headcount × available hours per person); above 100% "
            "the role is over capacity. Change headcount or hours here, rates on Rates."
        ),
    ]
