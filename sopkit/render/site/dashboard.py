"""The portfolio dashboard: ``index.html`` of the site ``sopkit build`` writes.

One self-contained page: inline CSS, inline SVG charts drawn at build time,
no JavaScript, no fonts or scripts from the network, so it works from
``file://`` and prints cleanly. Every figure is formatted by
``sopkit.render.numbers``; every text from a process file is autoescaped by
Jinja. Its own words come from the catalogues, in the portfolio's language
(the processes' when they share one, English otherwise), as the report's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ... import __version__
from ...analysis.candidates import Candidate
from ...analysis.cost import PortfolioCost, ProcessCost, RoleCost, StepCost
from ...analysis.pareto import Pareto, pareto
from ...analysis.simulation import ProcessRanges, Range, Simulation
from ...models import RoleKind
from ..beside import beside_note
from ..counts import count_processes
from ..i18n import (
    Catalogue,
    Notice,
    catalogue,
    frequency_short,
    payback_text,
    portfolio_language,
)
from ..numbers import (
    DASH,
    count_share_text,
    hours_text,
    money_text,
    number_text,
    percent_text,
    share_text,
)
from ..totals import CandidateTotals, candidate_totals, tool_paid_text
from .capacity import capacity_chart, capacity_rows
from .charts import Datum, bar_chart, pareto_chart, site_environment
from .ranges import RangeDatum, range_bar, range_chart
from .words import Stamp, code, html_words, stamp_text

__all__ = ["Download", "ProcessPage", "render_index"]

#: How many roles the role chart shows before summing the rest into one bar.
ROLE_BARS = 12
#: How many of the costliest steps are listed under the Pareto chart.
TOP_STEPS = 10
#: How many candidates the table shows before the rest fold away.
CANDIDATE_ROWS = 12


@dataclass(frozen=True, slots=True)
class ProcessPage:
    """Where one process's documents are in the site, as links relative to ``index.html``.

    A link is ``None`` when that document was not built (e.g. no diagram engine).
    """

    process_id: str
    sop_html: str
    sop_markdown: str
    #: The run checklist to tick (``processes/<id>.checklist.html`` in a site).
    checklist: str
    diagram_svg: str | None = None
    diagram_png: str | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """A report beside the dashboard: its link, a short name and what it is for."""

    href: str
    label: str
    description: str


def render_index(
    cost: PortfolioCost,
    candidates: Sequence[Candidate],
    pages: Sequence[ProcessPage],
    *,
    downloads: Sequence[Download] = (),
    notices: Sequence[str | Notice] = (),
    stamp: Stamp | None = None,
    title: str | None = None,
    ranges: Simulation | None = None,
    scenario_page: str | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The dashboard's HTML.

    Args:
        cost: the costed portfolio.
        candidates: automation candidates, already ranked.
        pages: where each process's documents are; a process without a page
            gets a card without links.
        downloads: the reports beside the dashboard.
        notices: warnings to show at the top, e.g. that diagrams are missing; a
            ``Notice`` in the page's language, text as given.
        stamp: the build's time (or text) for the footer; ``None`` keeps the
            page byte-identical between builds.
        title: the page's heading; by default "Marketing process portfolio" in
            the page's language.
        ranges: simulated ranges of the same portfolio; they add P10/P50/P90
            beside the single figures, with the years and seed they came from.
        scenario_page: the link to the scenario page, when the site has one.
        beside: the process files not given that work in each role with a headcount
            (``roles_worked_beside``): the capacity section names them, since only the
            given processes' hours count toward a utilisation.
    """
    t = catalogue(portfolio_language(cost))
    money = _Money(cost.currency, t)
    by_id = {page.process_id: page for page in pages}
    simulated = {} if ranges is None else {r.process_id: r for r in ranges.processes}
    kpis = [{**kpi, "range": None} for kpi in _kpis(cost, candidates, money)]
    if ranges is not None:  # the first figure is the labour (or, without cash, the cost)
        kpis[0]["range"] = _range_view(ranges.annual_cost, cost.annual_cost, money, "years", t)
        if has_expenses(cost):  # the third is the total
            kpis[2]["range"] = _range_view(
                ranges.annual_total_cost, cost.annual_total_cost, money, "years", t
            )
    ranked = pareto(cost)
    context: dict[str, Any] = {
        "t": html_words(t),
        "code": code,
        "lang": t.language,
        "title": title if title is not None else t("site.title"),
        "currency": cost.currency,
        "summary": _summary(cost, t),
        "kpis": kpis,
        "expenses": has_expenses(cost),
        "ranges": None if ranges is None else _ranges_section(cost, ranges, simulated, money),
        "process_chart": _process_chart(cost, money),
        "role_chart": _role_chart(cost, money),
        "pareto_chart": _pareto(cost, ranked, money),
        "pareto_note": _pareto_note(cost, ranked, t),
        "top_steps": _top_steps(cost, ranked, by_id, money),
        "roles": [_role_row(role, cost, money) for role in cost.roles],
        "role_columns": _role_columns(cost),
        "role_bars": ROLE_BARS,
        "candidates": [_candidate_row(c, cost, by_id, money) for c in candidates],
        "candidate_rows": CANDIDATE_ROWS,
        "candidate_totals": _candidate_totals(candidates, money),
        "processes": [_card(p, cost, by_id, money, simulated.get(p.id)) for p in cost.processes],
        "downloads": list(downloads),
        "notices": [n if isinstance(n, str) else n.text(t) for n in notices],
        "stamp": None if stamp is None else stamp_text(stamp, t),
        "version": __version__,
        "scenario_page": scenario_page,
        "capacity_chart": capacity_chart(
            cost.roles, chart_id="chart-capacity", title=t("report.capacity.title"), t=t
        ),
        "capacity_rows": capacity_rows(cost.roles, t.language),
        "over_capacity": [role.role for role in cost.roles if role.over_capacity],
        "capacity_beside": beside_note(
            beside or {},
            len(cost.processes),
            t,
            [role.role for role in cost.roles if role.utilisation is not None],
        ),
    }
    return site_environment().get_template("index.html.j2").render(context)


class _Money:
    """Money in the portfolio's currency and language, shown the one way
    (``numbers.money_text``); it carries the page's catalogue to the helpers."""

    def __init__(self, currency: str, t: Catalogue) -> None:
        self.currency = currency
        self.t = t
        self.language = t.language

    def __call__(self, amount: Decimal) -> str:
        return money_text(amount, self.currency, self.language)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return part * 100 / whole if whole else Decimal(0)


def _summary(cost: PortfolioCost, t: Catalogue) -> str:
    steps = sum(len(p.steps) for p in cost.processes)
    return t(
        "site.summary",
        processes=count_processes(t, cost.processes),
        steps=t("count.steps", steps),
    )


def has_expenses(cost: PortfolioCost) -> bool:
    """Whether any process spends cash besides people's time (then totals show it apart)."""
    return bool(cost.exact_annual_expenses) or any(p.expense_lines for p in cost.processes)


def _kpis(
    cost: PortfolioCost, candidates: Sequence[Candidate], money: _Money
) -> list[dict[str, Any]]:
    """The headline: labour, cash and total side by side when there are cash costs;
    the team's hours and FTE, and outside parties' hours apart from them."""
    t, language = money.t, money.language
    totals = candidate_totals(candidates)
    automation = {
        "label": t("site.kpi.automation"),
        "value": money(totals.net_saving),
        "note": t("site.kpi.automation_note", scope=totals.scope(t=t)),
    }
    hours = {
        "label": t("figure.annual_hours"),
        "value": hours_text(cost.annual_hours, language),
        "note": t(
            "site.kpi.hours_team_note" if cost.exact_external_hours else "site.kpi.hours_note"
        ),
    }
    fte_ = {
        "label": t("figure.fte"),
        "value": number_text(cost.fte, 2, language),
        "note": t("site.kpi.fte_note", year=hours_text(_year_hours(cost), language)),
    }
    outside = {
        "label": t("site.kpi.outside"),
        "value": hours_text(cost.external_hours, language),
        "note": t("site.kpi.outside_note"),
    }
    if not has_expenses(cost):
        kpis = [
            {
                "label": t("figure.annual_cost"),
                "value": money(cost.annual_cost),
                "note": _summary(cost, t),
            },
            hours,
            fte_,
            automation,
        ]
        if cost.exact_external_hours:
            kpis.insert(2, outside)
        return kpis
    kpis = [
        {
            "label": t("site.kpi.labour"),
            "value": money(cost.annual_cost),
            "note": t("site.kpi.labour_note"),
        },
        {
            "label": t("section.expenses"),
            "value": money(cost.annual_expenses),
            "note": t("site.kpi.cash_note"),
        },
        {
            "label": t("report.col.total"),
            "value": money(cost.annual_total_cost),
            "note": t("site.kpi.total_note"),
        },
        automation,
        hours,
        fte_,
    ]
    if cost.exact_external_hours:
        kpis.append(outside)
    return kpis


def _costed_alone(cost: PortfolioCost) -> list[ProcessCost]:
    """The processes with a year of their own: not those only others run."""
    return [p for p in cost.processes if not p.is_called_only]


def _year_hours(cost: PortfolioCost) -> Decimal:
    return cost.settings.working_days_per_year * cost.settings.hours_per_day


def _process_chart(cost: PortfolioCost, money: _Money) -> str:
    """Annual cost by process; with cash costs, the total (labour + cash) of each.

    A process only others run has no bar: its cost is in its callers' (a bar of
    $0.00 beside them reads as a mistake); its card says who runs it.
    """
    t = money.t
    processes = _costed_alone(cost)
    if not has_expenses(cost):
        ordered = sorted(processes, key=lambda p: (-p.annual_cost, p.id))
        data = [
            _bar(p.name, p.annual_cost, t("unit.hours", p.annual_hours), money) for p in ordered
        ]
        return bar_chart(data, chart_id="chart-processes", title=t("site.chart.processes"))
    ordered = sorted(processes, key=lambda p: (-p.exact_annual_total_cost, p.id))
    data = [
        _bar(
            p.name,
            p.annual_total_cost,
            t(
                "site.chart.labour_cash",
                labour=money(p.annual_cost),
                cash=money(p.annual_expenses),
                hours=t("unit.hours", p.annual_hours),
            ),
            money,
        )
        for p in ordered
    ]
    return bar_chart(data, chart_id="chart-processes", title=t("site.chart.processes_total"))


def _bar(name: str, value: Decimal, detail: str, money: _Money) -> Datum:
    """A bar whose tooltip is one sentence of the catalogue: its detail says amounts as a
    sentence does (in Korean 36,051,000원), so its value is said so too, not ₩55,284,333
    beside them. The bar's own figure keeps the figure's form."""
    shown = money(value)
    tooltip = money.t("site.chart.tooltip", name=name, detail=detail, value=shown)
    return Datum(name, value, shown, detail, tooltip)


def _role_chart(cost: PortfolioCost, money: _Money) -> str:
    t = money.t
    roles = list(cost.roles)
    data = [
        _bar(r.role, r.annual_cost, t("unit.hours", r.annual_hours), money)
        for r in roles[:ROLE_BARS]
    ]
    return bar_chart(data, chart_id="chart-roles", title=t("site.chart.roles"))


def _pareto(cost: PortfolioCost, ranked: Pareto, money: _Money) -> str:
    t = money.t
    names = {p.id: p.name for p in cost.processes}
    data = [
        Datum(s.name, s.annual_total_cost, money(s.annual_total_cost), names[s.process_id])
        for s in ranked.steps
    ]
    total = has_expenses(cost)
    return pareto_chart(
        data,
        chart_id="chart-pareto",
        title=t("report.pareto.title" if total else "site.pareto.title"),
        axis_title=t("report.pareto.axis" if total else "site.pareto.axis", currency=cost.currency),
        scaled_title=lambda scale: t(
            "report.pareto.axis" if total else "site.pareto.axis",
            currency=t("chart.scaled_unit", scale=scale, currency=cost.currency),
        ),
        other_label=lambda n: t("report.pareto.other", n),
        other_value_text=money,
        rank_title=t("site.pareto.ranked"),
        scale_names=(t("report.scale.thousands"), t("report.scale.millions")),
        language=t.language,
        cumulative_words=lambda share: t("report.pareto.cumulative", share=share),
        total=ranked.total,
    )


def _pareto_note(cost: PortfolioCost, ranked: Pareto, t: Catalogue) -> str:
    """How many steps make up 80 % of the cost: the sentence under the Pareto chart (and
    the processes' own cash costs, which no step has, named apart)."""
    if ranked.exact_outside:
        return " ".join(
            (
                t(
                    "pareto.note_steps",
                    len(ranked.steps),
                    count=str(ranked.vital),
                    steps_share=count_share_text(ranked.vital, len(ranked.steps), t.language),
                    share=percent_text(ranked.vital_share, t.language),
                ),
                t(
                    "pareto.outside",
                    amount=money_text(ranked.outside, cost.currency, t.language),
                    share=percent_text(ranked.outside_share, t.language),
                ),
            )
        )
    return t(
        "site.pareto.note_total" if has_expenses(cost) else "site.pareto.note",
        len(ranked.steps),
        count=str(ranked.vital),
        steps_share=count_share_text(ranked.vital, len(ranked.steps), t.language),
        share=percent_text(ranked.vital_share, t.language),
    )


def _top_steps(
    cost: PortfolioCost, ranked: Pareto, pages: dict[str, ProcessPage], money: _Money
) -> list[dict[str, Any]]:
    """The costliest steps with their running share of the total, for the Pareto table."""
    rows = []
    costliest = itertools.islice(ranked.running(), TOP_STEPS)
    for rank, (step, running) in enumerate(costliest, start=1):
        page = pages.get(step.process_id)
        rows.append(
            {
                "rank": str(rank),
                "step": step.name,
                "process": cost.process(step.process_id).name,
                "href": page.sop_html if page else None,
                "lang": _language(cost, step.process_id),
                "owner": _owner(step, money.t, cost),
                "cost": money(step.annual_total_cost),
                "cumulative": percent_text(running, money.language),
            }
        )
    return rows


def _owner(step: StepCost, t: Catalogue, cost: PortfolioCost) -> str:
    if step.calls is not None:
        return t("site.owner.runs", process=cost.name_of(step.calls))
    return step.owner or DASH


def _role_row(role: RoleCost, cost: PortfolioCost, money: _Money) -> dict[str, Any]:
    language = money.language
    return {
        "role": role.role,
        # columns: two decimals down each, as the report prints them (not 436.7 over 108)
        "hours": number_text(role.annual_hours, 2, language),
        "cost": money(role.annual_cost),
        "fte": number_text(role.fte, 2, language),
        "share": percent_text(_share(role.annual_cost, cost.annual_cost), language),
        "steps": str(len(cost.steps_of(role))),
        "kind": money.t(f"report.kind.{role.kind.value}"),
        "external": number_text(role.external_hours, 2, language),
    }


def _role_columns(cost: PortfolioCost) -> dict[str, bool]:
    """Which of the role table's optional columns say something for this portfolio.

    Capacity has a section of its own (utilisation chart and table), so the role
    table adds only who a role is and its hours outside the team.
    """
    return {
        "kind": any(r.kind is not RoleKind.STAFF for r in cost.roles),
        "external": bool(cost.exact_external_hours),
    }


def _language(cost: PortfolioCost, process_id: str) -> str:
    return cost.process(process_id).process.language.value


def _candidate_row(
    candidate: Candidate,
    cost: PortfolioCost,
    pages: dict[str, ProcessPage],
    money: _Money,
) -> dict[str, Any]:
    page = pages.get(candidate.process_id)
    language = money.language
    return {
        "process": cost.process(candidate.process_id).name,
        "href": page.sop_html if page else None,
        "lang": _language(cost, candidate.process_id),
        "step": candidate.name,
        "owner": candidate.owner,
        "tool": candidate.tool or "",
        "share": share_text(candidate.share, language),  # as written: 60%, as in the report
        "annual_cost": money(candidate.annual_cost),
        "gross": money(candidate.gross_saving),
        "tool_cost": money(candidate.tool_cost),
        "tool_paid": tool_paid_text(candidate, cost, money.t),
        "net": money(candidate.net_saving),
        "negative": candidate.net_saving < 0,
        "setup": money(candidate.setup_cost),
        "payback": payback_text(candidate.payback_months, money.t, unit=False),
        "roi": percent_text(candidate.roi_percent, language),
    }


def _candidate_totals(candidates: Sequence[Candidate], money: _Money) -> dict[str, str]:
    """The table's totals row: the same sums as the headline, with what they include."""
    totals: CandidateTotals = candidate_totals(candidates)
    scope = totals.scope(t=money.t)
    return {
        "label": scope[0].upper() + scope[1:],
        "annual_cost": money(totals.annual_cost),
        "gross": money(totals.gross_saving),
        "tool_cost": money(totals.tool_cost),
        "net": money(totals.net_saving),
        "setup": money(totals.setup_cost),
    }


def _card(
    process: ProcessCost,
    cost: PortfolioCost,
    pages: dict[str, ProcessPage],
    money: _Money,
    ranges: ProcessRanges | None = None,
) -> dict[str, Any]:
    model = process.process
    schedule = process.schedule
    page = pages.get(process.id)
    t, language = money.t, money.language
    links: list[dict[str, str]] = []
    if page is not None:
        links = [
            {
                "href": page.sop_html,
                "label": t("site.link.sop_label"),
                "kind": "primary",
                "title": t("site.link.sop"),
            },
            {
                "href": page.checklist,
                "label": t("site.link.checklist"),
                "kind": "",
                "title": t("site.link.checklist_title"),
            },
        ]
        if page.diagram_svg:
            links.append(
                {
                    "href": page.diagram_svg,
                    "label": t("site.link.diagram"),
                    "kind": "",
                    "title": t("site.link.diagram_svg"),
                }
            )
        links.append(
            {
                "href": page.sop_markdown,
                "label": "Markdown",
                "kind": "minor",
                "title": t("site.link.markdown"),
            }
        )
        if page.diagram_png:
            links.append(
                {
                    "href": page.diagram_png,
                    "label": "PNG",
                    "kind": "minor",
                    "title": t("site.link.diagram_png"),
                }
            )
    expenses = has_expenses(cost)
    share = (
        _share(process.annual_total_cost, cost.annual_total_cost)
        if expenses
        else _share(process.annual_cost, cost.annual_cost)
    )
    # A process only others run says so here; the card's "Called by" line names them.
    return {
        "id": process.id,
        "name": process.name,
        "lang": model.language.value,
        "owner": model.owner,
        "frequency": frequency_short(model.frequency, t),
        "runs": number_text(process.runs_per_month, 2, language),
        "cost": money(process.annual_cost),
        "hours": hours_text(process.annual_hours, language),
        "fte": number_text(process.fte, 2, language),
        "lead_hours": t("unit.hours", schedule.lead_time_hours),
        # as the SOP says it: "13 working days", "14.94 working days" (two decimals at most)
        "lead_days": t("unit.workdays", schedule.lead_time_days),
        "steps": str(len(process.steps)),
        "steps_text": t("count.steps", len(process.steps)),
        "per_run": money(process.cost_per_run),
        "share": percent_text(share, language),
        "share_width": number_text(share, 2, "en").replace(",", ""),
        "purpose": model.purpose or "",
        "tags": list(model.tags),
        "links": links,
        "review": model.review.version if model.review else DASH,
        "cost_range": None
        if ranges is None or process.is_called_only  # its own runs: none, every year
        else _range_view(ranges.annual_total_cost, process.annual_total_cost, money, "years", t)
        if expenses
        else _range_view(ranges.annual_cost, process.annual_cost, money, "years", t),
        "lead_range": None
        if ranges is None
        else _range_view(
            ranges.lead_time_days, schedule.lead_time_days, _Days(t), "runs", t, days=True
        ),
        "expenses": expenses,
        "labour": money(process.annual_cost),
        "cash": money(process.annual_expenses),
        "total": money(process.annual_total_cost),
        "external": hours_text(process.external_hours, language)
        if process.exact_external_hours
        else None,
        "features": _features(process, t),
        "called_by": [_relative(pid, cost, pages) for pid in process.called_by],
        "calls": [_relative(pid, cost, pages) for pid in model.calls],
        "called_only": process.is_called_only,
        # A process only others run costs nothing of its own: what their runs of it cost
        # is said beside the $0, so the card does not read as free work.
        "called_cost": money(process.called_cost)
        if process.is_called_only and process.exact_called_runs_per_month
        else None,
        "called_runs": hours_text(process.called_runs_per_month, language),
    }


def _features(process: ProcessCost, t: Catalogue) -> list[str]:
    """``3 conditional steps``, ``1 milestone``, ``2 sign-offs``: what the card counts."""
    steps = process.process.steps
    conditional = sum(1 for s in steps if s.when)
    milestones = sum(1 for s in steps if s.milestone)
    signoffs = sum(1 for s in steps if s.approval)
    found = [t("site.feature.conditional", conditional)] if conditional else []
    found += [t("site.feature.milestones", milestones)] if milestones else []
    return found + ([t("site.feature.signoffs", signoffs)] if signoffs else [])


def _relative(
    process_id: str, cost: PortfolioCost, pages: dict[str, ProcessPage]
) -> dict[str, Any]:
    """Another process of a card: its name, its card on this page and its SOP, if built."""
    known = next((p for p in cost.processes if p.id == process_id), None)
    page = pages.get(process_id)
    return {
        "id": process_id,
        "name": known.name if known is not None else process_id,
        "card": f"#process-{process_id}" if known is not None else None,
        "href": page.sop_html if page is not None else None,
    }


# --- ranges ---------------------------------------------------------------------------


class _Days:
    """Working days with one decimal, as the range charts show them."""

    def __init__(self, t: Catalogue) -> None:
        self.language = t.language

    def __call__(self, value: Decimal) -> str:
        return number_text(value, 1, self.language)


def _range_view(
    value: Range,
    expected: Decimal,
    show: Callable[[Decimal], str],
    of: str,
    t: Catalogue,
    *,
    days: bool = False,
) -> dict[str, Any]:
    """A figure's P10–P90 in words and as a bar; ``of`` is what the shares count (``years``
    or ``runs``); ``days`` ends the words with the unit."""
    if value.is_fixed:
        text = t(f"site.range.fixed_{of}")
    else:
        text = t(
            f"site.range.{of}",
            low=show(value.p10),
            high=show(value.p90),
            typical=show(value.p50),
        )
        if days:
            text = t("site.days", days=text)
    return {
        "text": text,
        "bar": range_bar(value.p10, value.p50, value.p90, expected),
        "label": t(
            "site.range.label", p10=show(value.p10), p50=show(value.p50), p90=show(value.p90)
        ),
    }


def _ranges_section(
    cost: PortfolioCost,
    ranges: Simulation,
    simulated: dict[str, ProcessRanges],
    money: _Money,
) -> dict[str, str]:
    """The range charts of annual cost and lead time, with where the figures came from."""
    t = money.t
    days = _Days(t)
    total = has_expenses(cost)  # like the cost-by-process chart: labour + cash when there is cash
    ordered = sorted(
        cost.processes,
        key=lambda p: (-(p.exact_annual_total_cost if total else p.exact_annual_cost), p.id),
    )
    costs, leads = [], []
    for process in ordered:
        found = simulated.get(process.id)
        if found is None:
            continue
        if total:
            value, expected = found.annual_total_cost, process.annual_total_cost
        else:
            value, expected = found.annual_cost, process.annual_cost
        if not process.is_called_only:  # its year is in its callers' (see _process_chart)
            costs.append(_datum(process.name, value, expected, money, t))
        lead = found.lead_time_days
        leads.append(
            _datum(
                process.name,
                lead,
                process.schedule.lead_time_days,
                days,
                t,
                unit=lambda text: t("site.days", days=text),
                lead=True,
            )
        )
    years = number_text(Decimal(ranges.years), 0, t.language)
    what = t("site.ranges.total" if total else "figure.annual_cost")
    return {
        "cost_chart": range_chart(
            costs, chart_id="chart-cost-ranges", title=t("site.ranges.cost_chart", what=what)
        ),
        "lead_chart": range_chart(
            leads, chart_id="chart-lead-ranges", title=t("site.ranges.lead_chart")
        ),
        "years": years,
        "seed": str(ranges.seed),
        "cost_title": what,
    }


def _as_shown(text: str) -> str:
    """A figure's text with no unit to add: kept as it is, so an amount stays one and a
    sentence says it as a sentence does (``numbers.Amount``); ``str()`` would not."""
    return text


def _datum(
    name: str,
    value: Range,
    expected: Decimal,
    show: Callable[[Decimal], str],
    t: Catalogue,
    unit: Callable[[str], str] = _as_shown,
    lead: bool = False,
) -> RangeDatum:
    """One row of a range chart; ``unit`` adds the unit to a figure's text (days). The dot
    is the expected figure, or for a ``lead`` time one typical run's."""
    low, typical, high = show(value.p10), show(value.p50), show(value.p90)
    values = t("site.range.label", p10=low, p50=typical, p90=high)
    return RangeDatum(
        label=name,
        p10=value.p10,
        p50=value.p50,
        p90=value.p90,
        expected=expected,
        value_text=unit(typical if low == high else f"{low} – {high}"),
        tooltip=t(
            "site.range.tooltip_typical" if lead else "site.range.tooltip",
            name=name,
            values=unit(values),
            expected=unit(show(expected)),
        ),
    )
