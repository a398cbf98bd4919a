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

FTE = annual hours ÷ the working hours of a year, typed once in a labelled row at
the end (a row per year when processes' roles files differ): every FTE formula
reads that cell, so the assumption changes in one place. Inputs (headcount,
available hours, the working year, and on other sheets rates, shares, times…)
are coloured, and a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ...analysis.cost import RoleCost
from ...models import RoleKind, Settings
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
    Column("Headcount", "count", inputs=True),
    Column("Available hours per person", "hours", inputs=True),
    Column("Utilisation", "utilisation"),
)


def _matching(sheet: str, key: str, last: int, name_cell: str, values: str) -> str:
    """Rows of ``sheet`` whose ``key`` column is exactly ``name_cell``'s text, summed."""
    keys = f"{sheet}!${key}$2:${key}${last}"
    summed = f"{sheet}!${values}$2:${values}${last}"
    return f"SUMPRODUCT(--EXACT({keys},{name_cell}),{summed})"


def _year(settings: Settings) -> Fraction:
    return Fraction(settings.working_days_per_year) * Fraction(settings.hours_per_day)


#: The column the working year is typed in: available hours per person, which a
#: full-time person's year is.
_YEAR_COLUMN = "K"


@dataclass(frozen=True, slots=True)
class _Years:
    """The working year's rows at the end of the sheet: the portfolio's first, then each
    other year a process's roles file gives, with the processes using it."""

    rows: dict[Fraction, int]
    users: dict[Fraction, list[str]]
    portfolio: Fraction

    def cell(self, settings: Settings) -> str:
        """The absolute reference FTE formulas divide by."""
        return f"${_YEAR_COLUMN}${self.rows[_year(settings)]}"


def _years(plan: Plan, first: int) -> _Years:
    """Number the working-year rows from ``first``; the portfolio's year comes first."""
    portfolio = _year(plan.cost.settings)
    users: dict[Fraction, list[str]] = {portfolio: []}
    for process in plan.processes:
        if process.counted:
            users.setdefault(_year(process.process.settings), []).append(process.id)
    rows = {year: first + index for index, year in enumerate(users)}
    return _Years(rows, users, portfolio)


def _process_row(plan: Plan, process: ProcessPlan, row: int, years: _Years) -> list[Cell]:
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
        Formula(f"G{row}/{years.cell(settings)}", cost.exact_annual_hours / _year(settings)),
        None,
        None,
        None,
    ]


def _role_row(plan: Plan, role: RoleCost, row: int, years: _Years) -> list[Cell]:
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
        Formula(f"G{row}/{years.cell(settings)}", role.exact_annual_hours / _year(settings)),
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
    roles = cost.roles
    # after the processes, a blank, "By role", the roles, "All roles", a blank, "Working year"
    years = _years(plan, last + 3 + len(roles) + (1 if roles else 0) + 2)

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
                f"G{total_row}/{years.cell(settings)}", cost.exact_annual_hours / _year(settings)
            ),
        ],
        "total",
    )
    table.add([Phrase("By process")], "section")
    rows = summary_rows(plan)
    for process in counted:
        row = table.next_row()
        assert rows[process.id] == row
        table.add(_process_row(plan, process, row, years))
    table.add([], "data")
    table.add([Phrase("By role")], "section")
    first_role = table.next_row()
    for role in roles:
        row = table.next_row()
        table.add(_role_row(plan, role, row, years))
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
                    f"G{table.next_row()}/{years.cell(settings)}",
                    cost.exact_annual_hours / _year(settings),
                ),
            ],
            "total",
        )
    table.add([], "data")
    table.add([Phrase("Working year")], "section")
    for year, row in years.rows.items():
        assert table.next_row() == row
        table.add(_year_row(years, year))
    table.add([], "data")
    for note in _notes(years):
        table.add([note], "note")
    return table


def _year_row(years: _Years, year: Fraction) -> list[Cell]:
    """A working year's hours, typed once: the FTE formulas above divide by it."""
    users = years.users[year]
    label = (
        Phrase("Working hours a year")
        if year == years.portfolio
        else Phrase("Working hours a year: {processes}", processes=", ".join(users))
    )
    said = Phrase("A full-time person's year: FTE = annual hours ÷ these hours.")
    return [label, said, *([None] * 8), year]


def _notes(years: _Years) -> list[Phrase]:
    cell = f"{_YEAR_COLUMN}{years.rows[years.portfolio]}"
    return [
        Phrase(
            "Coloured cells are inputs: headcount, available hours and the working year here, "
            "rates on Rates, shares, tool costs and setup hours on Candidates, times, "
            "executions and runs on Steps, people on Participants, amounts on Expenses. Change "
            "one and every formula follows."
        ),
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
            "system roles count no hours. FTE = annual hours ÷ the working hours a year "
            "({cell}).",
            cell=cell,
        ),
        Phrase(
            "Utilisation = annual hours ÷ (headcount × available hours per person); above 100% "
            "the role is over capacity."
        ),
    ]
