"""The report's ranges page: how sure the annual figures are, from a simulation.

For the portfolio and each process, the cost report's single figure beside
P10, P50 and P90 of annual total cost over the simulated years, and one run's
lead time, for the costliest processes (``in_tables``; the others' report figure
in one row, since ranges do not add up); a range chart draws their bands on
one scale. The figures
come from ``sopkit.analysis.simulation`` (the same seed gives the same pages).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...analysis.cost import PortfolioCost
from ..i18n import Catalogue
from ..numbers import money_text, number_text
from ..site.ranges import RangeDatum
from .charts import range_bars
from .columns import figure_widths
from .listed import in_tables

if TYPE_CHECKING:
    from ...analysis.simulation import Simulation

__all__ = ["ranges_context"]


def ranges_context(cost: PortfolioCost, ranges: Simulation, t: Catalogue) -> dict[str, Any]:
    """What the ranges page shows, formatted in the report's language."""
    language = t.language

    def money(value: Decimal) -> str:
        return money_text(value, cost.currency, language)

    def days(value: Decimal) -> str:
        return number_text(value, 1, language)

    total = ranges.annual_total_cost
    rows: list[dict[str, Any]] = []
    data = []
    shown, others = in_tables(cost)
    for process in shown:
        found = next((r for r in ranges.processes if r.process_id == process.id), None)
        if found is None:
            continue
        band = found.annual_total_cost
        lead = found.lead_time_days
        rows.append(
            {
                "name": process.name,
                "lang": process.process.language.value,
                "report": money(process.annual_total_cost),
                "p10": money(band.p10),
                "p50": money(band.p50),
                "p90": money(band.p90),
                "lead": days(process.schedule.lead_time_days),
                "lead_p10": days(lead.p10),
                "lead_p90": days(lead.p90),
                "others": False,
            }
        )
        if process.annual_total_cost > 0:
            data.append(
                RangeDatum(
                    process.name,
                    band.p10,
                    band.p50,
                    band.p90,
                    process.annual_total_cost,
                    f"{money(band.p10)} – {money(band.p90)}",
                    process.name,
                )
            )
    if others:  # their figure, so the column adds up; ranges of a sum are not summed
        summed = sum((p.annual_total_cost for p in others), Decimal(0))
        rows.append(
            {
                "name": t("report.processes.others", len(others)),
                "lang": language,
                "report": money(summed),
                "others": True,
            }
        )
    total_row = {
        "report": money(cost.annual_total_cost),
        "p10": money(total.p10),
        "p50": money(total.p50),
        "p90": money(total.p90),
    }
    columns = figure_widths(
        [
            t("report.col.total"),
            "P10",
            "P50",
            "P90",
            t("report.col.lead"),
            t("report.col.lead_range"),
        ],
        [
            [
                r["report"],
                r["p10"],
                r["p50"],
                r["p90"],
                r["lead"],
                f"{r['lead_p10']} – {r['lead_p90']}",
            ]
            for r in rows
            if not r.get("others")
        ],
        [*total_row.values(), "", ""],
    )
    chart = range_bars(data)
    return {
        "lede": t(
            "report.ranges.lede",
            low=money(total.p10),
            high=money(total.p90),
            figure=money(cost.annual_total_cost),
        ),
        "basis": t(
            "report.ranges.basis",
            years=number_text(Decimal(ranges.years), 0, language),
            seed=str(ranges.seed),
        ),
        "total": total_row,
        "rows": rows,
        "columns": columns,
        "chart": chart,
        "chart_rest": ""
        if not others
        else t("report.ranges.more", shown=str(len(shown)), count=str(len(cost.processes))),
    }
