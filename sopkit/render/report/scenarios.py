"""The report's scenario pages: each scenario's headline figures against the portfolio
as it is, what it automates and what it pays once.

A page for readers who decide: the figures a scenario moves (total cost, labour,
expenses, hours, FTE, automation potential) before and after with the change,
the one-off setup with the scenario's payback and first-year ROI, the sentence
``sopkit diff`` opens with, the roles still over capacity, and the automations it
takes as done with their setup and payback. Labour and cash costs stand apart,
and the page says that labour saved is hours freed, not cash. The full side-by-side
table of every process stays on the site's scenario page and in ``sopkit
compare``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...analysis.compare import ScenarioResult, Status
from ..costs.diff import change_text, details, figure_text, over_capacity_text, summary_line
from ..costs.scenarios import (
    ScenarioView,
    automation_payback,
    outside_text,
    scenario_payback,
    scenario_results,
    scenario_roi,
)
from ..i18n import Catalogue
from ..numbers import percent_text

if TYPE_CHECKING:
    from ...analysis.simulation import Simulation

__all__ = ["scenario_pages"]

#: The figures each scenario's table shows, with the messages naming them.
FIGURES = (
    ("annual_total_cost", "figure.annual_total"),
    ("annual_cost", "figure.annual_labour"),
    ("annual_expenses", "report.col.expenses"),
    ("annual_hours", "figure.annual_hours"),
    ("fte", "figure.fte"),
    ("automation_potential", "site.kpi.automation"),
)


def scenario_pages(
    scenarios: ScenarioView | Sequence[ScenarioResult],
    t: Catalogue,
    *,
    ranges: Simulation | None = None,
    ranges_after: Sequence[Simulation] = (),
) -> list[dict[str, Any]]:
    """Each scenario as the report's template shows it, in the language of ``t``: from what
    ``compare_scenarios`` returns, or its ``results``. With the portfolio's simulation
    (``ranges``) and each scenario's (``ranges_after``, in order, same years and seed), a
    role's line says how often it is over capacity before and after."""
    results = scenario_results(scenarios)
    after = list(ranges_after) if len(ranges_after) == len(results) else [None] * len(results)
    before = _years_over(ranges)
    return [
        _scenario(result, t, (before, _years_over(simulated)))
        for result, simulated in zip(results, after, strict=True)
    ]


def _years_over(ranges: Simulation | None) -> dict[str, Decimal]:
    """Each role's share of simulated years over capacity (roles with a headcount)."""
    if ranges is None:
        return {}
    return {r.role: r.over_capacity for r in ranges.roles if r.over_capacity is not None}


def _scenario(
    result: ScenarioResult,
    t: Catalogue,
    years_over: tuple[dict[str, Decimal], dict[str, Decimal]],
) -> dict[str, Any]:
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
        if name == "annual_cost" and result.outside_change:
            # billed by the hour, so cash: the one part of labour that is money paid out
            label = t("scenario.outside_change")
            rows.append(
                {"label": label, "before": "", "after": "", "change": outside_text(result, t)}
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
        was, now = (found.get(row.key[0]) for found in years_over)
        if was is not None and now is not None:  # how often, not only on average
            said += "; " + t(
                "report.scenarios.years_over",
                before=percent_text(was * 100, language),
                after=percent_text(now * 100, language),
            )
        roles.append({"name": row.key[0], "said": said})
    return {
        "name": result.name,
        "description": result.description or "",
        "roles": roles,
        "summary": summary_line(comparison, t, edits=False),
        "over": over_capacity_text(comparison, t),
        "rows": rows,
        "setup": figure_text("annual_cost", result.setup_cost, currency, language),
        "payback": scenario_payback(result, t) if result.one_offs else None,
        # none when nothing is laid out: a row of "—" would only lengthen the page
        "roi": None if result.roi_percent is None else scenario_roi(result, t),
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
