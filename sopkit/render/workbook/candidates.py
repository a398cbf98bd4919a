"""The Candidates sheet: what automating each step would save, as live formulas.

The format's definitions, cell by cell: gross saving = annual labour cost ×
share; net = gross − the tool's yearly cost; setup cost = setup hours × the
owner's rate (from the Rates sheet); payback months = setup ÷ (net ÷ 12);
first-year ROI = (gross − tool − setup) ÷ (tool + setup).

Payback is a number of months, 0 shown as "immediately" (nothing to pay
back), or the text "never" when the net saving is not above zero while
something was invested; ROI is a percentage, or "—" when nothing is invested
(no tool cost and no setup). Text where a number cannot be, so a sum or a
chart over the column never mistakes "never" for 0.
"""

from __future__ import annotations

from fractions import Fraction

from ...analysis.candidates import Candidate, rank_candidates
from ...analysis.units import MONTHS, exact_hours
from ..i18n import catalogue
from ..numbers import DASH
from ..totals import candidate_totals
from .cells import Cell, Column, Formula, Table, column_sum, exact
from .rows import Plan
from .steps import P_COST_RUN, S_CALLED, S_RUNS, rate_reference
from .words import Phrase

__all__ = ["CANDIDATE_COLUMNS", "candidates_table"]

CANDIDATE_COLUMNS = (
    Column("Process", "text", 22),
    Column("Step", "text", 24),
    Column("Step name", "text", 34),
    Column("Owner", "text", 24),
    Column("Tool", "text", 18),
    Column("Share automated", "share", inputs=True),
    Column("Annual labour cost", "money"),
    Column("Gross saving", "money"),
    Column("Tool cost a year", "money", inputs=True),
    Column("Net saving", "money"),
    Column("Setup hours", "hours", inputs=True),
    Column("Owner's rate", "money"),
    Column("Setup cost", "money"),
    Column("Payback (months)", "payback"),
    Column("First-year ROI", "roi"),
)


def _row(plan: Plan, candidate: Candidate, row: int) -> list[Cell]:
    step = plan.step(candidate.process_id, candidate.step_id)
    process = plan.process(candidate.process_id)
    owner = next(w for w in step.run.workers if w.role == candidate.owner)
    steps = step.row
    first, last = step.participants[0].row, step.participants[-1].row
    per_run = f"SUM(Participants!${P_COST_RUN}${first}:${P_COST_RUN}${last})"
    annual = step.run.cost * process.total_runs * MONTHS
    share = Fraction(candidate.share)
    gross = annual * share
    tool = Fraction(candidate.tool_cost)
    net = gross - tool
    automation = step.run.step.automation
    assert automation is not None
    setup_hours = exact_hours(automation.setup, process.process.settings.clock)
    setup = setup_hours * Fraction(owner.rate)
    payback: Fraction | str
    if setup == 0 and net >= 0:
        payback = Fraction(0)
    elif net <= 0:
        payback = Phrase("never")
    else:
        payback = setup / (net / MONTHS)
    invested = tool + setup
    roi: Fraction | str = DASH if invested == 0 else (gross - invested) / invested
    return [
        candidate.process_id,
        candidate.step_id,
        candidate.name,
        candidate.owner,
        candidate.tool,
        candidate.share,
        Formula(
            f"{per_run}*(Steps!${S_RUNS}${steps}+Steps!${S_CALLED}${steps})*{MONTHS}",
            annual,
        ),
        Formula(f"G{row}*F{row}", gross),
        candidate.tool_cost,
        Formula(f"H{row}-I{row}", net),
        setup_hours,
        rate_reference(plan, step, owner.role),
        Formula(f"K{row}*L{row}", setup),
        Formula(
            f'IF(AND(M{row}=0,J{row}>=0),0,IF(J{row}<=0,"never",M{row}/(J{row}/{MONTHS})))',
            payback,
        ),
        Formula(f'IF(I{row}+M{row}=0,"{DASH}",(H{row}-I{row}-M{row})/(I{row}+M{row}))', roi),
    ]


def candidates_table(plan: Plan, language: str = "en") -> Table:
    """Every automation candidate, best net saving first, with a totals row."""
    table = Table("Candidates", CANDIDATE_COLUMNS, frozen_columns=3)
    candidates = rank_candidates(plan.cost)
    sums = {column: Fraction(0) for column in "GHIJM"}
    for candidate in candidates:
        row = table.next_row()
        cells = _row(plan, candidate, row)
        table.add(cells)
        for column in sums:
            sums[column] += exact(cells[ord(column) - ord("A")])
    last = table.next_row() - 1
    scope = candidate_totals(candidates).scope(t=catalogue(language))
    totals: list[Cell] = [scope[0].upper() + scope[1:], None, None, None, None, None]
    totals += [column_sum(column, last, sums[column]) for column in "GHIJ"]
    totals += [None, None, column_sum("M", last, sums["M"])]
    table.add(totals, "total")
    table.add(
        [
            Phrase(
                "Payback: months to earn the setup back from the net saving; 'immediately' with "
                "no setup, 'never' when the net saving is not above zero. ROI: first year, "
                "'—' when nothing is invested."
            )
        ],
        "note",
    )
    return table
