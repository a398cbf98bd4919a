"""Cost tables of a portfolio that uses the additions, figures worked by hand.

The portfolio is ``tests/fixtures/additions/en`` (see ``test_sop_additions.py``
for its figures): a launch (2 runs a month) that calls "asset" 50/9 times per
run (count 3..7, PERT mean 5, inside a loop of p 0.1), and "asset", which has
no frequency of its own and a $29 a month stock library.
"""

from __future__ import annotations

import csv
import io

import pytest
from conftest import ROOT

from sopkit import load_portfolio
from sopkit.analysis import PortfolioCost, cost_portfolio
from sopkit.render.costs import candidates_report, cost_report

ADDITIONS = ROOT / "tests" / "fixtures" / "additions" / "en"


@pytest.fixture(scope="module")
def costs() -> PortfolioCost:
    return cost_portfolio(load_portfolio(ADDITIONS))


def rows(text: str) -> dict[str, dict[str, str]]:
    found = list(csv.DictReader(io.StringIO(text)))
    key = "step" if "step" in found[0] else "role" if "role" in found[0] else "process"
    return {f"{row.get('process', '')}/{row[key]}": row for row in found}


def test_labour_cash_and_total_side_by_side(costs: PortfolioCost) -> None:
    text = cost_report(costs, by="step", fmt="markdown")
    header = text.splitlines()[2]
    assert "| Hours/year | Outside h/year | FTE | Labour/year | Cash/year | Total/year |" in header
    # Press briefing: $6,336 labour + $500 × 0.3 × 24 = $3,600 cash.
    assert "| $6,336.00 | $3,600.00 | $9,936.00 |" in text
    # The process's own cash costs have a row: $1,200 a year + $300 × 24 runs = $8,400.
    assert (
        "| launch | — | Process cash costs |" in text
        and "| $0.00 | $8,400.00 | $8,400.00 |" in (text)
    )
    # Totals: labour $41,388.67; cash $14,884 (launch) + $348 (asset: $29 × 12) = $15,232.
    assert "| **$41,388.67** | **$15,232.00** | **$56,620.67** |" in text
    # A call shows what it runs; a milestone has no owner and no rate.
    assert "| launch | assets | Channel assets | runs asset |" in text
    assert "| launch | live | Launch is live | — | 0.00 | 1.00 | 2.00 | — |" in text
    assert "Product Marketing Manager, with Product Manager, 2 × Engineering Manager" in text


def test_csv_keeps_the_first_columns_and_adds_the_new_ones(costs: PortfolioCost) -> None:
    text = cost_report(costs, by="step", fmt="csv")
    header = text.splitlines()[0].split(",")
    assert header[:12] == [
        "process", "step", "name", "owner", "hours_per_execution", "executions_per_run",
        "runs_per_month", "rate", "annual_hours", "fte", "annual_cost", "currency",
    ]  # fmt: skip
    assert header[12:] == [
        "external_hours", "annual_expenses", "annual_total_cost", "chance", "with", "calls",
    ]  # fmt: skip
    found = rows(text)
    press = found["launch/press"]
    assert (press["external_hours"], press["annual_expenses"], press["chance"]) == (
        "28.80",
        "3600.00",
        "0.3000",
    )
    assert found["launch/assets"]["calls"] == "asset"
    assert found["launch/"]["name"] == "Process cash costs: Webinar platform, Paid promotion"
    assert found["launch/"]["annual_total_cost"] == "8400.00"
    total = sum(float(row["annual_total_cost"]) for row in found.values())
    assert round(total, 2) == 56620.67  # a spreadsheet's sum is the report's total


def test_roles_show_kind_outside_hours_and_capacity(costs: PortfolioCost) -> None:
    table = cost_report(costs, by="role", fmt="markdown")
    # Designer: 3 h × 1.1 × 24 = 79.2 h + asset drafts 1.25 h × 133.33 runs = 166.67 h;
    # 245.87 h ÷ (1 person × 150 h) = 163.91%.
    assert (
        "| Designer | staff | 2 | 245.87 | 0.00 | 0.12 | $13,522.67 | 32.67% | 1 | 163.91% |"
        in (table)
    )
    assert (
        "| PR Agency | external | 1 | 0.00 | 28.80 | 0.00 | $4,320.00 | 10.44% | — | — |" in table
    )
    assert "Over capacity (utilisation above 100%): Designer (163.91%)." in table
    found = rows(cost_report(costs, by="role", fmt="csv"))
    designer = found["/Designer"]
    assert (designer["utilisation"], designer["available_hours"], designer["kind"]) == (
        "1.6391",
        "150.00",
        "staff",
    )
    assert found["/Release Bot"]["kind"] == "system"


def test_a_process_only_others_run_is_called_by(costs: PortfolioCost) -> None:
    table = cost_report(costs, by="process", fmt="markdown")
    assert "| asset | Channel asset | called by launch | 0.00 |" in table
    assert "| $0.00 | $348.00 | $348.00 |" in table  # only its fixed cash costs, once
    assert "asset runs only when launch runs it (11.11 runs a month)" in table
    found = rows(cost_report(costs, by="process", fmt="csv"))
    asset = found["asset/asset"]
    assert (asset["frequency"], asset["called_by"], asset["called_runs_per_month"]) == (
        "",
        "launch",
        "11.11",
    )
    assert found["launch/launch"]["typical_run"] == "brief design note webinar assets go live"


def test_candidates_of_a_called_process_count_all_its_runs(costs: PortfolioCost) -> None:
    found = list(csv.DictReader(io.StringIO(candidates_report(costs, fmt="csv"))))
    (draft,) = found
    # 1 h × 1.25 × $55 = $68.75 a run × 133.33 runs a year (all made by the launch).
    assert (draft["process"], draft["step"], draft["annual_cost"]) == ("asset", "draft", "9166.67")
    assert draft["gross_saving"] == "4583.33"


def test_the_report_says_who_else_runs_a_scheduled_process(costs: PortfolioCost) -> None:
    from dataclasses import replace

    from sopkit.render.report import annual_report

    html = annual_report(costs, fmt="html").decode("utf-8")
    assert "runs only when called by Product launch" in html and "also runs when" not in html
    # The same asset with a schedule of its own: its row counts both, and says so.
    portfolio = load_portfolio(ADDITIONS)
    by_id = {p.id: p for p in portfolio}
    asset = by_id["asset"]
    scheduled = asset.model_copy(update={"frequency": by_id["launch"].frequency})
    scheduled.bind(asset.settings)
    processes = tuple(scheduled if p.id == "asset" else p for p in portfolio.processes)
    html = annual_report(cost_portfolio(replace(portfolio, processes=processes)), fmt="html")
    assert b"also runs when called by Product launch" in html and b"runs only when" not in html
