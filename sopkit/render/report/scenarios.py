"""The report's scenario pages: each scenario's headline figures against the portfolio
as it is, what it automates and what it pays once.

A page for readers who decide: the figures a scenario moves (total cost, labour,
expenses, hours, FTE, automation potential) before and after with the change,
the sentence ``sopkit diff`` opens with, the roles still over capacity, and the
automations it takes as done with their setup and payback. The full side-by-side
table of every process stays on the site's scenario page and in ``sopkit
compare``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...analysis.compare import ScenarioResult, Status
from ..costs.diff import change_text, details, figure_text, over_capacity_text, summary_line
from ..costs.scenarios import (
    ScenarioView,
    automation_payback,
    scenario_payback,
    scenario_results,
)
from ..i18n import Catalogue

__all__ = ["scenario_pages"]

#: The figures each scenario's table shows, with the messages naming them.
FIGURES = (
    ("annual_total_cost", "figure.annual_total"),
    ("annual_cost", "figure.annual_cost"),
    ("annual_expenses", "report.col.expenses"),
    ("annual_hours", "figure.annual_hours"),
    ("fte", "figure.fte"),
    ("automation_potential", "site.kpi.automation"),
)


def scenario_pages(
    scenarios: ScenarioView | Sequence[ScenarioResult], t: Catalogue
) -> list[dict[str, Any]]:
    """Each scenario as the report's template shows it, in the language of ``t``: from what
    ``compare_scenarios`` returns, or its ``results``."""
    return [_scenario(result, t) for result in scenario_results(scenarios)]


def _scenario(result: ScenarioResult, t: Catalogue) -> dict[str, Any]:
    comparison = result.comparison
    currency, language = comparison.currency, t.language
    rows = []
    for name, key in FIGURES:
        figure = comparison.totals[name]
        if name == "annual_expenses" and not (figure.before or figure.after):
            continue  # no cash costs on either side: the total is the labour
        rows.append(
            {
                "label": t(key),
                "before": figure_text(name, figure.before, currency, language),
                "after": figure_text(name, figure.after, currency, language),
                "change": change_text(name, figure, currency, language),
            }
        )
    roles = []
    for row in comparison.changes().roles:
        if row.status is not Status.CHANGED:
            continue  # a role all of whose work the scenario takes away, or gives: no capacity
        said = details(row, currency, t=t, only=("headcount", "utilisation"))
        if not said:
            continue  # its hours or cost moved, not its capacity: the table has those
        utilisation = row.figures["utilisation"]
        if utilisation.before is not None and utilisation.after is not None:
            if utilisation.before > 1 >= utilisation.after:
                said += "; " + t("report.scenarios.relieved")
        roles.append({"name": row.key[0], "said": said})
    return {
        "name": result.name,
        "description": result.description or "",
        "roles": roles,
        "summary": summary_line(comparison, t),
        "over": over_capacity_text(comparison, t),
        "rows": rows,
        "setup": figure_text("annual_cost", result.setup_cost, currency, language),
        "payback": scenario_payback(result, t) if result.one_offs else None,
        "automated": [
            {
                "name": one.name,
                "step": f"{one.process_id}/{one.step_id}",
                "tool": one.tool or "",
                "setup": figure_text("annual_cost", one.cost, currency, language),
                "saving": figure_text("annual_cost", one.net_saving, currency, language),
                "payback": automation_payback(one, t),
            }
            for one in result.one_offs
        ],
    }
