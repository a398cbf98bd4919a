"""The scenario page of the site: As-Is against each To-Be (``sopkit build --scenario``).

One self-contained page like the dashboard (inline CSS and SVG, no
JavaScript): the portfolio's figures side by side, with the sentence that labour
saved is hours freed, not cash, then a section per scenario with its headline
figures (total cost; labour, with the hours behind it, apart from cash costs; the
setup with its payback and first-year ROI; and where the wait of a step it removes
went), a chart of annual total cost by process (As-Is and To-Be), the steps and
roles it changes (a process with its total cost per run) and the automations it
takes as done with their one-off setup cost, and last every process side by side
(the table ``sopkit compare`` prints). Every figure comes from the
comparison engine and is shown as ``sopkit diff`` shows it, in the portfolio's
language as the dashboard (the processes' when they share one, English otherwise).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ... import __version__
from ...analysis.compare import Comparison, Figure, Row, ScenarioResult
from ...analysis.units import to_decimal
from ..costs.diff import (
    change_text,
    details,
    figure_text,
    moved_text,
    ordered_rows,
    over_capacity_text,
    relieved_text,
    row_change,
    signed_text,
    summary_line,
)
from ..costs.scenarios import (
    ScenarioView,
    automation_payback,
    outside_text,
    portfolio_lines,
    removed_wait_text,
    scenario_payback,
    scenario_roi,
    scenarios_beside_note,
    scenarios_sheet,
)
from ..i18n import Catalogue, catalogue, portfolio_language
from ..numbers import spoken
from .charts import site_environment
from .pairs import Pair, paired_bar_chart
from .words import Stamp, html_words, stamp_text

__all__ = ["render_scenarios"]


def render_scenarios(
    view: ScenarioView,
    *,
    dashboard: str = "index.html",
    stamp: Stamp | None = None,
    title: str | None = None,
) -> str:
    """The scenario page's HTML.

    Args:
        view: the portfolio as it is and each scenario against it.
        dashboard: the link back to the dashboard.
        stamp: the build's time (or text) for the footer (as the dashboard's).
        title: the page's heading; by default "Scenarios: As-Is and To-Be" in the
            page's language.
    """
    t = catalogue(portfolio_language(view.as_is))
    sheet = scenarios_sheet(view, t)
    currency = view.as_is.currency
    rows = [[cell.text for cell in row] for row in sheet.rows]
    portfolio = len(portfolio_lines(view, t))  # the figures, and what each scenario does
    per_run = t("scenario.note.cost_per_run")
    context: dict[str, Any] = {
        "t": html_words(t),
        "lang": t.language,
        "title": title if title is not None else t("scenario.title"),
        "currency": currency,
        "dashboard": dashboard,
        "columns": [{"title": c.title, "numeric": c.numeric} for c in sheet.columns],
        "portfolio": [row[1:] for row in rows[:portfolio]],
        "rows": rows[portfolio:],
        "scenarios": [_scenario(i, r, t) for i, r in enumerate(view.results, 1)],
        "labour_note": t("scenario.note.labour"),
        "roi_note": t("scenario.note.roi"),
        "per_run": per_run if per_run in sheet.notes else None,
        "beside": scenarios_beside_note(view, t),
        "stamp": None if stamp is None else stamp_text(stamp, t),
        "version": __version__,
    }
    return site_environment().get_template("scenarios.html.j2").render(context)


def _scenario(index: int, result: ScenarioResult, t: Catalogue) -> dict[str, Any]:
    comparison = result.comparison
    currency = comparison.currency
    language = t.language
    changes = comparison.changes()
    totals = comparison.totals
    labour = _kpi(t("scenario.kpi.labour"), "annual_cost", totals["annual_cost"], currency, t)
    labour["note"] = " · ".join([labour["note"], *_labour_notes(result, t)])
    kpis = [
        _kpi(
            t("figure.annual_total"), "annual_total_cost", totals["annual_total_cost"], currency, t
        ),
        labour,
        _kpi(t("scenario.kpi.cash"), "annual_expenses", totals["annual_expenses"], currency, t),
        {
            "label": t("scenario.setup"),
            "value": figure_text("annual_cost", result.setup_cost, currency, language),
            "note": _setup_note(result, t),
            "tone": "",
        },
    ]
    return {
        "id": f"scenario-{index}",
        "name": result.name,
        "description": result.description or "",
        "file": result.path,
        "summary": summary_line(comparison, t, edits=False),
        "over": over_capacity_text(comparison, t),
        "relieved": relieved_text(comparison, t),
        "waits": [removed_wait_text(wait, t) for wait in result.waits],
        "kpis": kpis,
        "chart": _chart(index, result, t),
        "rows": [_row(row, currency, t, changes) for row in ordered_rows(changes)],
        "roles": [_row(row, currency, t, changes) for row in changes.roles],
        "automated": [
            {
                "step": f"{o.process_id}/{o.step_id}",
                "name": o.name,
                "owner": o.owner or "",
                "tool": o.tool or "",
                "hours": figure_text("annual_hours", o.hours, currency, language),
                "cost": figure_text("annual_cost", o.cost, currency, language),
                "saving": figure_text("annual_cost", o.net_saving, currency, language),
                "payback": automation_payback(o, t),
            }
            for o in result.one_offs
        ],
    }


def _kpi(label: str, name: str, figure: Figure, currency: str, t: Catalogue) -> dict[str, str]:
    """A headline figure after the scenario, its change and the figure before; lower is
    better for every one (cost, hours, FTE)."""
    change = figure.change
    tone = "" if change == 0 else ("good" if change < 0 else "bad")
    return {
        "label": label,
        "value": figure_text(name, figure.after, currency, t.language),
        "note": t(
            "scenario.kpi.note",
            change=change_text(name, figure, currency, t.language, in_text=True),
            before=figure_text(name, figure.before, currency, t.language),
        ),
        "tone": tone,
    }


def _labour_notes(result: ScenarioResult, t: Catalogue) -> list[str]:
    """What the change in labour cost is made of: the team's hours and FTE (time, which the
    page's note says is not cash), and the part outside the team where there is one."""
    totals = result.comparison.totals
    currency, language = result.comparison.currency, t.language
    hours = signed_text("annual_hours", totals["annual_hours"], currency, language)
    fte = signed_text("fte", totals["fte"], currency, language)
    notes = [t("scenario.kpi.hours", hours=hours, fte=fte)]
    if result.outside_change:
        change = spoken(outside_text(result, t), language)  # a note reads as a sentence
        notes.append(t("scenario.kpi.outside", change=change))
    return notes


def _setup_note(result: ScenarioResult, t: Catalogue) -> str:
    count = len(result.one_offs)
    roi = [] if result.roi_percent is None else [t("scenario.kpi.roi", roi=scenario_roi(result, t))]
    if not count:
        return " · ".join([t("scenario.kpi.no_setup"), *roi])
    hours = figure_text("annual_hours", result.setup_hours, result.comparison.currency, t.language)
    setup = t("scenario.kpi.setup", count, hours=hours)
    payback = t("scenario.kpi.payback_all", payback=scenario_payback(result, t))
    return " · ".join([setup, payback, *roi])


def _chart(index: int, result: ScenarioResult, t: Catalogue) -> str:
    comparison = result.comparison
    currency = comparison.currency
    language = t.language
    # A process only others run has a year of its own of nothing: its cost is its callers'
    # (as on the dashboard's chart), and a bar of $0.00 → $0.00 reads as a mistake.
    shown = [r for r in comparison.processes if r.key[0] not in comparison.called_only]
    rows = sorted(shown, key=lambda r: (-_largest(r.total), r.key[0]))
    data = [
        Pair(
            label=row.name,
            before=_decimal(row.total.before),
            after=_decimal(row.total.after),
            before_text=figure_text("annual_total_cost", row.total.before, currency, language),
            after_text=figure_text("annual_total_cost", row.total.after, currency, language),
        )
        for row in rows
    ]
    return paired_bar_chart(
        data,
        chart_id=f"chart-scenario-{index}",
        title=t("scenario.chart", name=result.name),
        before_label=t("scenario.as_is"),
        after_label=result.name,
    )


def _largest(figure: Figure) -> Fraction:
    return max(figure.before or Fraction(0), figure.after or Fraction(0))


def _decimal(value: Fraction | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


#: What a process's row in "What it changes" says beside its total.
_PROCESS_SAID = frozenset({"annual_expenses"})


def _row(row: Row, currency: str, t: Catalogue, comparison: Comparison) -> dict[str, Any]:
    name = "annual_cost" if row.kind == "role" else "annual_total_cost"
    return {
        "label": row.label,
        # A step or process is read by its name; its id (what the scenario file names)
        # beneath it.
        "name": row.name if row.kind in ("step", "process") and row.name else row.label,
        "kind": row.kind,
        "status": t(f"diff.status.{row.status.value}"),
        "before": figure_text(name, row.total.before, currency, t.language),
        "after": figure_text(name, row.total.after, currency, t.language),
        "change": row_change(row, currency, t.language),
        "negative": row.total.change > 0,
        "positive": row.total.change < 0,
        # A process's figures are in the side-by-side table and its steps say what moved;
        # only its expenses are said here (a tool's cost is the process's, no step's), so
        # its steps' changes and that one add up to its own.
        "details": "; ".join(
            said
            for said in (
                details(
                    row,
                    currency,
                    t=t,
                    only=_PROCESS_SAID if row.kind == "process" else None,
                    split=comparison.split(row) or comparison.rate_split(row),
                ),
                _per_run(row, comparison, t),
            )
            if said
        ),
    }


def _per_run(row: Row, comparison: Comparison, t: Catalogue) -> str:
    """``total cost per run $672.99 → $549.63 (-18.33%)`` for a process whose cost per run
    moved: a process run more often may cost more a year and less a run."""
    figure = comparison.cost_per_run(row)
    if figure is None or not figure.changed:
        return ""
    word = t("diff.word.cost_per_run")
    return moved_text(word, "annual_total_cost", figure, comparison.currency, t)
