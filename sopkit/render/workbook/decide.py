"""The Ranges sheet and a sheet per scenario: figures other analyses computed.

**Ranges**: for the portfolio and each process, the cost report's single
figure (a live reference to the Summary sheet) beside the simulation's mean,
P10, P50 and P90 of annual total cost and hours, and of one run's lead time
in working days. A simulation cannot be a formula, so these are values, and
the sheet says from how many simulated years and which seed.

**To-Be** sheets: one per scenario, As-Is beside To-Be for the portfolio,
each process and each role, with the change and the change in percent as
formulas of the two; under the portfolio's row, the whole scenario's first year
as a candidate's (gross saving, tool cost, net saving, setup, payback, ROI), as
formulas of that row but the setup. The figures are values sopkit computed for the scenario
(a scenario can remove steps or change how often a process runs, which no
rate cell could say), and the sheet says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ...analysis.compare import Figure, Row, ScenarioResult, Status
from ...analysis.cost import PortfolioCost
from ...analysis.units import MONTHS, to_decimal
from ..i18n import catalogue
from ..numbers import DASH, money_text, number_text, round_number
from .cells import Cell, Column, Formula, Table
from .words import Phrase, Words

if TYPE_CHECKING:  # NumPy comes with the simulation; only its results are read here
    from ...analysis.simulation import Range, Simulation

__all__ = ["RANGE_COLUMNS", "SCENARIO_COLUMNS", "ranges_table", "scenario_tables"]

RANGE_COLUMNS = (
    Column("Process", "text", 20),
    Column("Name", "text", 34),
    Column("Annual total cost (cost report)", "money"),
    Column("Total cost mean", "money"),
    Column("Total cost P10", "money"),
    Column("Total cost P50", "money"),
    Column("Total cost P90", "money"),
    Column("Annual hours (cost report)", "hours"),
    Column("Hours P10", "hours"),
    Column("Hours P50", "hours"),
    Column("Hours P90", "hours"),
    Column("Lead time, days (typical run)", "hours"),
    Column("Lead time P10", "hours"),
    Column("Lead time P50", "hours"),
    Column("Lead time P90", "hours"),
)


def _range(value: Range) -> list[Cell]:
    return [value.p10, value.p50, value.p90]


def ranges_table(
    cost: PortfolioCost, ranges: Simulation, summary_rows: dict[str, int], language: str = "en"
) -> Table:
    """The simulation's ranges beside the cost report's figures."""
    table = Table("Ranges", RANGE_COLUMNS, frozen_columns=2, autofilter=False)
    total = summary_rows["All processes"]
    table.add(
        [
            Phrase("All processes"),
            None,
            Formula(f"Summary!$F${total}", cost.exact_annual_total_cost),
            ranges.annual_total_cost.mean,
            *_range(ranges.annual_total_cost),
            Formula(f"Summary!$G${total}", cost.exact_annual_hours),
            *_range(ranges.annual_hours),
        ],
        "total",
    )
    for process in cost.processes:
        found = next((r for r in ranges.processes if r.process_id == process.id), None)
        if found is None:
            continue
        row = summary_rows[process.id]
        table.add(
            [
                process.id,
                process.name,
                Formula(f"Summary!$F${row}", process.exact_annual_total_cost),
                found.annual_total_cost.mean,
                *_range(found.annual_total_cost),
                Formula(f"Summary!$G${row}", process.exact_annual_hours),
                *_range(found.annual_hours),
                process.schedule.lead_time_days,
                *_range(found.lead_time_days),
            ]
        )
    table.add([], "data")
    for note in (
        Phrase(
            "Ranges from {years} simulated years (seed {seed}): each estimate drawn once a "
            "year, conditions, repeats and rework run by run. P10: 1 year in 10 comes in below "
            "it; P90: 9 years in 10.",
            years=number_text(Decimal(ranges.years), 0, language),
            seed=str(ranges.seed),
        ),
        Phrase(
            "The simulated mean comes close to the cost report's figure, within sampling "
            "noise: the more years simulated, the closer."
        ),
        Phrase(
            "The simulation's figures are values: they do not follow a change on the Rates "
            "sheet. The cost report's figures are the Summary sheet's, live."
        ),
        Phrase("Lead time: one run, in working days; the cost report's is the typical run's."),
    ):
        table.add([note], "note")
    return table


# --- scenarios ------------------------------------------------------------------------------

SCENARIO_COLUMNS = (
    Column("Process or role", "text", 24),
    Column("Name", "text", 32),
    Column("Status", "text", 10),
    Column("As-Is labour", "money"),
    Column("To-Be labour", "money"),
    Column("As-Is expenses", "money"),
    Column("To-Be expenses", "money"),
    Column("As-Is total cost", "money"),
    Column("To-Be total cost", "money"),
    Column("Change", "money"),
    Column("Change %", "roi"),
    Column("As-Is hours", "hours"),
    Column("To-Be hours", "hours"),
    Column("As-Is FTE", "fte"),
    Column("To-Be FTE", "fte"),
    Column("As-Is utilisation", "utilisation"),
    Column("To-Be utilisation", "utilisation"),
)
#: Characters a sheet name cannot hold, and its length limit.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\']")
_SHEET_LENGTH = 31


def _pair(figures: dict[str, Figure] | object, name: str) -> list[Cell]:
    assert isinstance(figures, dict)
    figure = figures.get(name)
    if figure is None:
        return [None, None]
    return [figure.before, figure.after]


def _change(row: int, before: str, after: str, values: Figure) -> list[Cell]:
    """The change and the change in percent of the figure before (text "—" from nothing)."""
    was = values.before or Fraction(0)
    now = values.after or Fraction(0)
    percent: Fraction | str = DASH if was == 0 else (now - was) / was
    return [
        Formula(f"N({after}{row})-N({before}{row})", now - was),
        Formula(
            f'IF(N({before}{row})=0,"{DASH}",(N({after}{row})-N({before}{row}))/{before}{row})',
            percent,
        ),
    ]


def _figures_row(
    label: str, name: str, status: str, figures: dict[str, Figure], row: int, *, role: bool
) -> list[Cell]:
    cells: list[Cell] = [label, name, status]
    cells += _pair(figures, "annual_cost")
    if role:
        cells += [None, None, None, None]
        cells += _change(row, "D", "E", figures["annual_cost"])
    else:
        cells += _pair(figures, "annual_expenses")
        cells += _pair(figures, "annual_total_cost")
        cells += _change(row, "H", "I", figures["annual_total_cost"])
    cells += _pair(figures, "annual_hours")
    cells += _pair(figures, "fte")
    cells += _pair(figures, "utilisation") if role else [None, None]
    return cells


def _sheet_name(index: int, name: str, taken: set[str], language: str) -> str:
    """``To-Be 1 Name`` (in the workbook's language), unique and at most 31 characters as
    Excel counts them (UTF-16 units: an emoji is two). A longer name is cut after a whole
    word and ends with "…", so the tab reads as cut, not as a name ending mid-phrase:
    ``To-Be 1 Automate drafting and…``, not ``To-Be 1 Automate drafting and``."""
    prefix = Words(language)("To-Be {n}", n=str(index)) + " "
    whole = " ".join((prefix + _SHEET_NAME.sub(" ", name)).split())
    candidate, n = _cut(whole, len(prefix), _SHEET_LENGTH), 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = _cut(whole, len(prefix), _SHEET_LENGTH - len(suffix)) + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _cut(whole: str, prefix: int, units: int) -> str:
    """``whole`` if it fits in ``units``, else its longest start of whole words after the
    ``prefix`` characters (a word longer than the room is cut) followed by "…"."""
    if _fit(whole, units) == whole:
        return whole
    base = _fit(whole, units - 1)  # room for the "…"
    if " " in base[prefix:] and whole[len(base)] != " ":
        base = base.rsplit(" ", 1)[0]  # a whole word rather than half of one
    return base.rstrip(" ,;.-—–") + "…"  # a cut name does not end in punctuation


def _fit(text: str, units: int) -> str:
    """The longest start of ``text`` of at most ``units`` UTF-16 units, whole characters."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def _notes(result: ScenarioResult, currency: str, language: str) -> list[str]:
    notes: list[str] = [
        Phrase("Scenario: {name} ({path}).", name=result.name, path=str(result.path))
    ]
    if result.description:
        notes.append(" ".join(result.description.split()))
    if result.one_offs:
        items = "; ".join(
            f"{o.process_id}/{o.step_id} "
            + catalogue(language)("unit.hours", round_number(to_decimal(o.hours), 2))
            for o in result.one_offs
        )
        setup = money_text(to_decimal(result.setup_cost), currency, language)
        notes.append(
            Phrase("One-off setup, first year only: {setup} ({items}).", setup=setup, items=items)
        )
    notes.append(
        Phrase(
            "Labour savings are hours freed, not cash: labour counts hours at each role's "
            "rate, so a fall frees the team's time and saves money only if people are let go "
            "or hires avoided. Expenses (tools, fees) are money paid out."
        )
    )
    notes.append(
        Phrase(
            "Figures are values sopkit computed for the scenario and for the portfolio as it "
            "is: they do not follow a change on the Rates sheet. Change and Change % are "
            "formulas."
        )
    )
    return notes


def scenario_tables(
    results: Sequence[ScenarioResult], taken: set[str] | None = None, language: str = "en"
) -> list[Table]:
    """One sheet per scenario: As-Is beside To-Be, for the portfolio, processes and roles."""
    used = {name.lower() for name in (taken or set())}
    tables = []
    for index, result in enumerate(results, start=1):
        comparison = result.comparison
        table = Table(
            _sheet_name(index, result.name, used, language),
            SCENARIO_COLUMNS,
            frozen_columns=2,
            autofilter=False,
            title=Phrase("Scenario: {name}", name=result.name),
        )
        totals = dict(comparison.totals)
        portfolio = table.add(
            _figures_row(
                Phrase("All processes"), result.name, "", totals, table.next_row(), role=False
            ),
            "total",
        )
        _first_year(table, result, portfolio)
        table.add([Phrase("By process")], "section")
        for row in comparison.processes:
            table.add(_row(row, table.next_row(), role=False))
        table.add([], "data")
        table.add([Phrase("By role")], "section")
        for row in comparison.roles:
            table.add(_row(row, table.next_row(), role=True))
        table.add([], "data")
        for note in _notes(result, comparison.currency, language):
            table.add([note], "note")
        tables.append(table)
    return tables


#: The column of the first year's figures: the portfolio's change (``J``) above them.
_FIRST_YEAR = 9


def _first_year(table: Table, result: ScenarioResult, total: int) -> None:
    """The whole scenario's first year as a candidate's, under the portfolio's row: gross
    saving, tool cost and net saving as formulas over that row's labour and expenses, the
    one-off setup (a value: hours at the rate when each automation applied), and payback
    and first-year ROI as formulas over those, as the Candidates sheet writes them."""
    table.add([Phrase("First year, the whole scenario")], "section")
    labour, cash = f"(D{total}-E{total})", f"(F{total}-G{total})"
    lines = (
        (
            "Gross saving",
            "the fall in labour cost, and in cash costs where they fall",
            "{labour}+MAX(0,{cash})",
            result.gross_saving,
        ),
        (
            "Tool cost a year",
            "the rise in cash costs; 0 when they do not rise",
            "MAX(0,-{cash})",
            result.tool_cost,
        ),
        (
            "Net saving",
            "gross saving − tool cost: the fall in total cost",
            "{gross}-{tool}",
            result.net_saving,
        ),
    )
    at: dict[str, str] = {}
    for (label, said, formula, value), name in zip(lines, ("gross", "tool", "net"), strict=True):
        text = formula.format(labour=labour, cash=cash, **at)
        at[name] = f"J{table.add(_labelled(label, said, Formula(text, value)))}"
    setup = table.add(
        _labelled(
            "Setup cost",
            "each automation's setup hours at its owner's rate, paid once",
            result.setup_cost,
        )
    )
    gross, tool, net, paid = at["gross"], at["tool"], at["net"], f"J{setup}"
    months = result.payback_months
    table.add(
        _labelled(
            "Payback (months)",
            "setup ÷ (net saving ÷ 12)",
            Formula(
                f'IF(AND({paid}=0,{net}>=0),0,IF({net}<=0,"never",{paid}/({net}/{MONTHS})))',
                Phrase("never") if months is None else months,
            ),
        ),
        kinds={_FIRST_YEAR: "payback"},
    )
    roi = result.roi_percent
    table.add(
        _labelled(
            "First-year ROI",
            "(gross saving − tool cost − setup) ÷ (tool cost + setup); '—' when nothing is "
            "invested",
            Formula(
                f'IF({tool}+{paid}=0,"{DASH}",({gross}-{tool}-{paid})/({tool}+{paid}))',
                DASH if roi is None else roi / 100,
            ),
        ),
        kinds={_FIRST_YEAR: "roi"},
    )
    table.add([], "data")


def _labelled(label: str, said: str, value: Cell) -> list[Cell]:
    """A figure of the first year: its name, what it is, and the figure under ``Change``."""
    return [Phrase(label), Phrase(said), *([None] * (_FIRST_YEAR - 2)), value]


def _row(row: Row, number: int, *, role: bool) -> list[Cell]:
    status = "" if row.status is Status.UNCHANGED else Phrase(row.status.value)
    label = row.label
    return _figures_row(
        label, row.name if not role else "", status, dict(row.figures), number, role=role
    )
