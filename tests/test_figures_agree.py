"""The same figure reads the same on every page and report of the English portfolio.

The dashboard's cards and tables, each SOP's key figures and ``sopkit cost``'s
JSON name the same things (a process's annual cost, hours, FTE, cost per run,
lead time; a role's annual cost): each must show the same number.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import pytest
from conftest import ENGLISH

from sopkit import load_portfolio
from sopkit.analysis import PortfolioCost, cost_portfolio, rank_candidates
from sopkit.render.costs import cost_report
from sopkit.render.i18n import catalogue
from sopkit.render.numbers import hours_text, money_text, number_text
from sopkit.render.site import render_index
from sopkit.render.sop import render_sop


@pytest.fixture(scope="module")
def costs() -> PortfolioCost:
    return cost_portfolio(load_portfolio(ENGLISH))


@pytest.fixture(scope="module")
def report(costs: PortfolioCost) -> dict:
    return json.loads(cost_report(costs, fmt="json"))


@pytest.fixture(scope="module")
def dashboard(costs: PortfolioCost) -> str:
    return html.unescape(render_index(costs, rank_candidates(costs), []))


def _money(value: float) -> str:
    return money_text(Decimal(str(value)), "USD")


def test_process_cards_show_the_reports_figures(report: dict, dashboard: str) -> None:
    # In a portfolio with cash costs every card shows its total, with labour and cash.
    cash = bool(report["total_annual_expenses"])
    for process in report["processes"]:
        card = re.search(rf'id="process-{process["id"]}".*?</article>', dashboard, flags=re.S)
        assert card is not None
        text = card.group(0)
        if cash:
            total, labour, cash = (
                _money(process[k]) for k in ("annual_total_cost", "annual_cost", "annual_expenses")
            )
            assert f"<dd>{total} <small>(labour {labour} + cash {cash})</small>" in text
        else:
            assert f"<dd>{_money(process['annual_cost'])}</dd>" in text
        assert _money(process["cost_per_run"]) in text
        assert f"({number_text(Decimal(str(process['fte'])))} FTE" in text  # ")" or "; + … outside"
        # as the SOP says it: "19.18 working days", "13 working days"
        days = catalogue("en")("unit.workdays", Decimal(str(process["lead_time_days"])))
        assert f"<dd>{days} <small>" in text, process["id"]


def test_sop_key_figures_show_the_reports_figures(costs: PortfolioCost, report: dict) -> None:
    for process, figures in zip(costs.processes, report["processes"], strict=True):
        key = render_sop(process).split("## Key figures", 1)[1].split("###", 1)[0]
        if process.process.frequency is None:  # only called: one run's figures, no year's
            assert f"| Labour cost per run | {_money(figures['cost_per_run'])} |" in key or (
                f"| Cost per run | {_money(figures['cost_per_run'])} |" in key
            )
            continue
        labour = _money(figures["annual_cost"])
        if figures["annual_expenses"]:
            assert f"| Annual labour cost | {labour} |" in key
            assert f"| Annual cash costs | {_money(figures['annual_expenses'])} |" in key
            assert f"| Annual total cost | {_money(figures['annual_total_cost'])} (" in key
            assert f"| Labour cost per run | {_money(figures['cost_per_run'])} |" in key
        else:
            assert f"| Annual cost | {labour} |" in key
            assert f"| Cost per run | {_money(figures['cost_per_run'])} |" in key
        assert f"| Annual hours | {hours_text(Decimal(str(figures['annual_hours'])))} h |" in key
        assert f"| Full-time equivalent | {number_text(Decimal(str(figures['fte'])))} |" in key
        days = hours_text(Decimal(str(figures["lead_time_days"])))
        assert f"({days} working days" in key, process.id  # then "; a typical run, …" or ")"


def test_role_table_shows_the_reports_figures(report: dict, dashboard: str) -> None:
    for role in report["roles"]:
        row = re.search(rf"<tr><td>{re.escape(role['role'])}</td>.*?</tr>", dashboard)
        assert row is not None and _money(role["annual_cost"]) in row.group(0)
    total = _money(report["total_annual_cost"])
    assert f'<div class="value">{total}</div>' in dashboard


def test_dashboard_and_report_rank_steps_alike(costs: PortfolioCost, dashboard: str) -> None:
    # One Pareto on both pages: the same steps, the same count to 80 %, the same shares.
    from sopkit.render.report import annual_report

    report = html.unescape(annual_report(costs, fmt="html", ranges=None).decode("utf-8"))
    # The fixture has process cash costs: both pages rank the steps' own cost and name
    # the rest in the same words.
    sentence = re.search(
        r"\d+ of \d+ steps with a cost \([0-9.]+%\) make [0-9.]+% of what the steps cost a year\. "
        r"The processes' own cash costs, \$[0-9,.]+ \([0-9.]+% of the annual total cost\)",
        dashboard,
    )
    assert sentence is not None
    assert sentence.group(0) in report
    section = dashboard[dashboard.index('<section id="pareto">') :]
    dashboard_rows = re.findall(
        r'<td class="num">(\$[0-9,.]+)</td>\s*<td class="num">([0-9.]+%)</td>', section
    )
    report_rows = re.findall(
        r'<td class="num">(\$[0-9,.]+)</td>\s*<td class="num">([0-9.]+%)</td>\s*</tr>', report
    )
    assert dashboard_rows[:5] == report_rows[:5]
    assert len(dashboard_rows) >= 5
