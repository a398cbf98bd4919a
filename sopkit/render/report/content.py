"""What the annual report says: every figure and label, computed before any markup.

The report is for people who read cost, not process files: the headline
figures and what they include, where the cost goes (processes, roles, the
few steps that make most of it), what automation would save, whether the
team has the hours, and how every figure was made. Numbers are formatted
here, once, by ``sopkit.render.numbers`` in the report's language; labels
come from the translation catalogues.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...analysis.candidates import Candidate, rank_candidates
from ...analysis.compare import ScenarioResult
from ...analysis.cost import PortfolioCost, RoleCost
from ...analysis.pareto import pareto
from ...models import RoleKind
from ..beside import beside_note
from ..costs.scenarios import ScenarioView
from ..counts import count_processes
from ..i18n import Catalogue, catalogue, payback_text, portfolio_language
from ..numbers import (
    DASH,
    count_share_text,
    hours_text,
    listed,
    money_text,
    number_text,
    percent_text,
    rate_text,
    share_text,
)
from ..site.charts import Datum, pareto_chart
from ..totals import candidate_totals, tool_paid_text
from ..workbook import rate_rows
from .charts import bars, mark
from .columns import figure_widths
from .listed import in_tables, ranked
from .ranges import ranges_context
from .scenarios import scenario_pages

if TYPE_CHECKING:
    from ...analysis.simulation import Simulation

__all__ = ["CANDIDATE_ROWS", "ReportOptions", "STEP_ROWS", "report_context", "report_language"]

#: The costliest steps listed under the Pareto chart.
STEP_ROWS = 10
#: The candidates listed; the totals line covers them all.
CANDIDATE_ROWS = 10
#: Roles in the role chart; the table beside it lists every role.
ROLE_BARS = 12
#: Processes in the process chart before the rest are left to the table above it: the
#: chart sits beside the role chart and cannot run on to another page.
PROCESS_BARS = 12
#: Font stacks by language: a Latin and Cyrillic face first where it suits, a Korean one
#: for Hangul (in the text or in any name), then the platform's.
#: Full capacity, in %: the capacity chart's scale always reaches it.
_HUNDRED = Decimal(100)
_LATIN = '"DejaVu Sans", "Noto Sans", "Segoe UI", Arial'
_KOREAN = '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic"'
FONTS = {
    "en": f"{_LATIN}, {_KOREAN}, sans-serif",
    "ru": f"{_LATIN}, {_KOREAN}, sans-serif",
    "ko": f"{_KOREAN}, {_LATIN}, sans-serif",
}


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the report is made: its date (``None``: none shown), paper, and the ranges
    of a simulation (``None``: no ranges page)."""

    date: _dt.date | None = None
    paper: str = "A4"
    ranges: Simulation | None = None
    #: Extra sections from other analyses, already rendered.
    sections: Sequence[Any] = field(default_factory=tuple)
    #: Scenarios against the portfolio (``sopkit.decide.Scenarios``): a page for them.
    scenarios: ScenarioView | Sequence[ScenarioResult] | None = None
    #: Each scenario's simulation (its To-Be), in order, as ``ranges`` is the portfolio's.
    scenario_ranges: Sequence[Simulation] = ()
    #: The process files not given that work in each role with a headcount: the capacity
    #: page names them (only the given processes' hours count toward a utilisation).
    beside: Mapping[str, Sequence[str]] = field(default_factory=dict)


#: The report's language: the portfolio's when every process shares one; English otherwise
#: (the rule of every page about the whole portfolio, the dashboard's too).
report_language = portfolio_language


class _Format:
    """Figures in the report's language and currency."""

    def __init__(self, cost: PortfolioCost, t: Catalogue) -> None:
        self.currency = cost.currency
        self.t = t
        self.language = t.language

    def money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency, self.language)

    def hours(self, value: Decimal) -> str:
        """Hours as every other sopkit output shows them: two decimals."""
        return number_text(value, 2, self.language)

    def number(self, value: Decimal, digits: int = 2) -> str:
        return number_text(value, digits, self.language)

    def percent(self, value: Decimal | None) -> str:
        return percent_text(value, self.language) if value is not None else DASH

    def share(self, part: Decimal, whole: Decimal) -> str:
        return self.percent(part * 100 / whole if whole else Decimal(0))


def _headline(cost: PortfolioCost, f: _Format) -> list[dict[str, str]]:
    t = f.t
    year = cost.settings.working_days_per_year * cost.settings.hours_per_day
    return [
        {
            "label": t("report.kpi.total"),
            "value": f.money(cost.annual_total_cost),
            "note": t("report.kpi.total_note"),
            "main": "main",
        },
        {
            "label": t("report.kpi.labour"),
            "value": f.money(cost.annual_cost),
            "note": t("report.kpi.labour_note"),
            "main": "",
        },
        {
            "label": t("report.kpi.expenses"),
            "value": f.money(cost.annual_expenses),
            "note": t("report.kpi.expenses_note"),
            "main": "",
        },
        {
            "label": t("report.kpi.hours"),
            "value": hours_text(cost.annual_hours, f.language),
            "note": t("report.kpi.hours_note"),
            "main": "",
        },
        {
            "label": t("report.kpi.fte"),
            "value": f.number(cost.fte),
            "note": t("report.kpi.fte_note", year=hours_text(year, f.language)),
            "main": "",
        },
        {
            "label": t("report.kpi.external"),
            "value": hours_text(cost.external_hours, f.language),
            "note": t("report.kpi.external_note"),
            "main": "",
        },
    ]


def _called_note(scheduled: bool, callers: str, f: _Format) -> str:
    """Who else runs a process: its row counts its own runs and the callers' alike."""
    if not callers:
        return ""
    if scheduled:
        return f.t("report.also_called_by", callers=callers)
    return f.t("report.called_by", callers=callers)


def _processes(cost: PortfolioCost, f: _Format) -> list[dict[str, str]]:
    """The cost table's rows: the costliest processes (``in_tables``), then the others
    summed in one row."""
    rows = []
    shown, others = in_tables(cost)
    for process in shown:
        model = process.process
        called = listed([cost.name_of(pid) for pid in process.called_by], f.language)
        rows.append(
            {
                "name": process.name,
                "lang": model.language.value,
                "note": _called_note(model.frequency is not None, called, f),
                "runs": f.number(process.runs_per_month),
                "labour": f.money(process.annual_cost),
                "expenses": f.money(process.annual_expenses),
                "total": f.money(process.annual_total_cost),
                "hours": f.hours(process.annual_hours),
                "fte": f.number(process.fte),
                "share": f.share(process.annual_total_cost, cost.annual_total_cost),
            }
        )
    if others:
        total = sum((p.annual_total_cost for p in others), Decimal(0))
        rows.append(
            {
                "name": f.t("report.processes.others", len(others)),
                "lang": f.language,
                "note": "",
                "runs": "",
                "labour": f.money(sum((p.annual_cost for p in others), Decimal(0))),
                "expenses": f.money(sum((p.annual_expenses for p in others), Decimal(0))),
                "total": f.money(total),
                "hours": f.hours(sum((p.annual_hours for p in others), Decimal(0))),
                "fte": f.number(sum((p.fte for p in others), Decimal(0))),
                "share": f.share(total, cost.annual_total_cost),
            }
        )
    return rows


def _processes_total(cost: PortfolioCost, f: _Format) -> dict[str, str]:
    """The cost table's last row, every figure written as the rows above write theirs."""
    return {
        "runs": "",
        "labour": f.money(cost.annual_cost),
        "expenses": f.money(cost.annual_expenses),
        "total": f.money(cost.annual_total_cost),
        "hours": f.hours(cost.annual_hours),
        "fte": f.number(cost.fte),
        "share": f.percent(Decimal(100)),  # of itself, even when nothing costs anything
    }


def _process_columns(rows: list[dict[str, str]], total: dict[str, str], t: Catalogue) -> list[str]:
    """Widths of the cost table's figure columns (see ``columns``), totals row included."""
    keys = ("runs", "labour", "expenses", "total", "hours", "fte", "share")
    return figure_widths(
        [t(f"report.col.{key}") for key in keys],
        [[row[key] for key in keys] for row in rows],
        [total[key] for key in keys],
    )


def _utilisation(role: RoleCost, f: _Format) -> str:
    return DASH if role.utilisation is None else f.percent(role.utilisation * 100)


def _role_row(
    name: str, kind: str, roles: Sequence[RoleCost], cost: PortfolioCost, f: _Format
) -> dict[str, str]:
    def total(field: str) -> Decimal:
        return sum((getattr(r, field) for r in roles), Decimal(0))

    return {
        "name": name,
        "kind": kind,
        "hours": f.hours(total("annual_hours")),
        "external": f.hours(total("external_hours")),
        "labour": f.money(total("annual_cost")),
        "fte": f.number(total("fte")),
        "share": f.share(total("annual_cost"), cost.annual_cost),
    }


def _roles(cost: PortfolioCost, f: _Format) -> list[dict[str, str]]:
    """Every role, costliest first: the chart beside the table shows the first few."""
    return [_role_row(r.role, f.t(f"report.kind.{r.kind.value}"), [r], cost, f) for r in cost.roles]


def _roles_total(cost: PortfolioCost, f: _Format) -> dict[str, str]:
    """The role table's last row, as the cost table has one: the portfolio's labour, hours
    and FTE (every role's, exactly: each hour and cost is some role's), rounded once."""
    return {
        "name": f.t("report.col.all_roles"),
        "kind": "",
        "hours": f.hours(cost.annual_hours),
        "external": f.hours(cost.external_hours),
        "labour": f.money(cost.annual_cost),
        "fte": f.number(cost.fte),
        "share": f.percent(Decimal(100)),  # of itself, as the cost table's total
    }


def _pareto(cost: PortfolioCost, f: _Format) -> dict[str, Any]:
    """The steps by annual total cost, the costliest listed, and how few make 80 %."""
    names = {p.id: p.name for p in cost.processes}
    ranked = pareto(cost)
    data = [
        Datum(s.name, s.annual_total_cost, f.money(s.annual_total_cost), names[s.process_id])
        for s in ranked.steps
    ]
    chart = pareto_chart(
        data,
        chart_id="report-pareto",
        title=f.t("report.pareto.title"),
        axis_title=f.t("report.pareto.axis", currency=cost.currency),
        scaled_title=lambda scale: f.t(
            "report.pareto.axis",
            currency=f.t("chart.scaled_unit", scale=scale, currency=cost.currency),
        ),
        other_label=lambda n: f.t("report.pareto.other", n),
        other_value_text=f.money,
        rank_title=f.t("report.pareto.ranked"),
        scale_names=(f.t("report.scale.thousands"), f.t("report.scale.millions")),
        language=f.language,
        cumulative_words=lambda share: f.t("report.pareto.cumulative", share=share),
        height=340,
        total=ranked.total,
        tooltips=False,
    )
    rows = [
        {
            "rank": str(rank),
            "name": step.name,
            "process": names[step.process_id],
            "owner": step.owner or (f"→ {cost.name_of(step.calls)}" if step.calls else DASH),
            "total": f.money(step.annual_total_cost),
            "cumulative": f.percent(running),
        }
        for rank, (step, running) in enumerate(
            itertools.islice(ranked.running(), STEP_ROWS), start=1
        )
    ]
    note = f.t(
        "report.pareto.note",
        len(ranked.steps),
        count=str(ranked.vital),
        share=f.percent(ranked.vital_share),
    )
    if ranked.exact_outside:  # the processes' own cash costs: no step's, named apart
        note = " ".join(
            (
                f.t(
                    "pareto.note_steps",
                    len(ranked.steps),
                    count=str(ranked.vital),
                    steps_share=count_share_text(ranked.vital, len(ranked.steps), f.language),
                    share=f.percent(ranked.vital_share),
                ),
                f.t(
                    "pareto.outside",
                    amount=f.money(ranked.outside),
                    share=f.percent(ranked.outside_share),
                ),
            )
        )
    return {"chart": chart, "rows": rows, "note": note}


def _candidate_row(candidate: Candidate, cost: PortfolioCost, f: _Format) -> dict[str, Any]:
    return {
        "name": candidate.name,
        "process": cost.process(candidate.process_id).name,
        "tool": candidate.tool or "",
        "share": share_text(candidate.share, f.language),
        "gross": f.money(candidate.gross_saving),
        "tool_cost": f.money(candidate.tool_cost),
        "tool_paid": tool_paid_text(candidate, cost, f.t),
        "net": f.money(candidate.net_saving),
        "negative": candidate.net_saving < 0,
        "setup": f.money(candidate.setup_cost),
        "payback": payback_text(candidate.payback_months, f.t),
        "roi": f.percent(candidate.roi_percent),
    }


def _candidates(cost: PortfolioCost, f: _Format) -> dict[str, Any]:
    ranked = rank_candidates(cost)
    totals = candidate_totals(ranked)
    return {
        "rows": [_candidate_row(c, cost, f) for c in ranked[:CANDIDATE_ROWS]],
        "count": len(ranked),
        "shown": min(len(ranked), CANDIDATE_ROWS),
        "summary": f.t(
            "report.candidates.summary",
            totals.count,
            net=f.money(totals.net_saving),
            gross=f.money(totals.gross_saving),
            setup=f.money(totals.setup_cost),
            hours=f.t("unit.hours_long", totals.hours_saved),
            fte=f.number(totals.fte_freed),
        ),
        "losing": f.t("report.candidates.losing", totals.losing) if totals.losing else "",
    }


def _capacity(
    cost: PortfolioCost,
    f: _Format,
    ranges: Simulation | None,
    beside: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    staffed = [r for r in cost.roles if r.kind is RoleKind.STAFF and r.utilisation is not None]
    staffed.sort(key=lambda r: (-(r.utilisation or 0), r.role))
    # the share of simulated years each role is over capacity, when the ranges have roles
    years_over = {
        role.role: role.over_capacity
        for role in (() if ranges is None else ranges.roles)
        if role.over_capacity is not None
    }
    rows = [
        {
            "name": role.role,
            "headcount": hours_text(role.headcount or Decimal(0), f.language),  # 2 people, 0.5
            "available": hours_text(role.available_hours or Decimal(0), f.language),
            "hours": f.hours(role.annual_hours),
            "utilisation": _utilisation(role, f),
            "over": role.over_capacity,
            "years_over": None
            if role.role not in years_over
            else percent_text(years_over[role.role] * 100, f.language),
        }
        for role in staffed
    ]
    data = [
        Datum(
            role.role + (f" — {f.t('report.capacity.over')}" if role.over_capacity else ""),
            (role.utilisation or Decimal(0)) * 100,
            _utilisation(role, f),
        )
        for role in staffed
    ]
    # On a scale that always reaches 100%, with a line there: a role at 40% reads as
    # less than half full, whichever role is busiest.
    chart = bars(data, [role.over_capacity for role in staffed], least_top=_HUNDRED)
    unstaffed = [r.role for r in cost.roles if r.kind is RoleKind.STAFF and r.utilisation is None]
    over = sum(1 for r in staffed if r.over_capacity)
    return {
        "rows": rows,
        "chart": chart,
        "full": mark(_HUNDRED, data, _HUNDRED),
        "lede": _capacity_lede(f, over, [r.role for r in staffed], ranges, years_over),
        "unstaffed": len(unstaffed),
        "beside": beside_note(beside, len(cost.processes), f.t, [r.role for r in staffed]),
        "simulated": None
        if ranges is None or not years_over
        else number_text(Decimal(ranges.years), 0, f.language),
    }


def _capacity_lede(
    f: _Format,
    over: int,
    staffed: list[str],
    ranges: Simulation | None,
    years_over: dict[str, Decimal],
) -> str:
    """What the capacity page says first: only what the figures it was given show.

    Averages say whether a role is over capacity in a typical year; only a
    simulation of the roles' hours says whether it is in every year. Ranges
    simulated without the roles (the site's, to keep its cache small) or no
    ranges at all must not read as an assurance for every year.
    """
    if over:
        return f.t("report.capacity.over_count", over)
    if ranges is None or not ranges.roles:
        return f.t("report.capacity.fine_unsimulated")
    # fine on average, yet over capacity in some simulated years: the lede says so
    some_years = ", ".join(role for role in staffed if years_over.get(role))
    if some_years:
        return f.t("report.capacity.fine_on_average", roles=some_years)
    return f.t("report.capacity.fine")


def _method(cost: PortfolioCost, f: _Format, options: ReportOptions) -> dict[str, Any]:
    settings = cost.settings
    year = settings.working_days_per_year * settings.hours_per_day
    rates = [
        {
            "role": rate.role,
            "kind": f.t(f"report.kind.{rate.kind.value}"),
            "rate": rate_text(rate.rate, cost.currency, f.language),
        }
        for rate in rate_rows(cost)
    ]
    half = (len(rates) + 1) // 2
    return {
        "calendar": f.t(
            "report.method.calendar",
            hours=hours_text(settings.hours_per_day, f.language),
            days=hours_text(settings.days_per_week, f.language),
            workdays=hours_text(settings.working_days_per_year, f.language),
            year=hours_text(year, f.language),
        ),
        "rates": [rates[:half], rates[half:]] if len(rates) > 8 else [rates],
        "date": f.t.date(options.date) if options.date else "",
        "date_iso": options.date.isoformat() if options.date else "",
        "version": __version__,
    }


def _charts(cost: PortfolioCost, f: _Format) -> dict[str, Any]:
    # A process only others run has no bar (its cost is its callers'): the table lists
    # it with a note; a bar of zero would read as a mistake. Ranked last, it is never
    # among the bars of a portfolio with more processes than bars.
    processes = [p for p in ranked(cost) if not p.is_called_only]
    by_process = bars(
        [
            Datum(p.name, p.annual_total_cost, f.money(p.annual_total_cost))
            for p in processes[:PROCESS_BARS]
        ]
    )
    by_role = bars(
        [Datum(r.role, r.annual_cost, f.money(r.annual_cost)) for r in cost.roles[:ROLE_BARS]]
    )
    shown, others = in_tables(cost)
    in_table = len(shown) - PROCESS_BARS  # the chart's rest in the table, one by one
    summed = len(others)  # ... and in its last row
    roles_rest = len(cost.roles) - ROLE_BARS
    if summed > 0:
        rest = f.t("report.processes.chart_rest_summed", in_table, others=str(summed))
    else:
        rest = f.t("report.processes.chart_rest", in_table) if in_table > 0 else ""
    return {
        "processes": by_process,
        "roles": by_role,
        "processes_rest": rest,
        "roles_rest": f.t("report.roles.chart_rest", roles_rest) if roles_rest > 0 else "",
    }


def _capped(cost: PortfolioCost) -> tuple[str, str] | None:
    """How many processes of how many the cost table lists, when it sums the rest."""
    shown, others = in_tables(cost)
    return (str(len(shown)), str(len(cost.processes))) if others else None


def report_context(cost: PortfolioCost, options: ReportOptions) -> dict[str, Any]:
    """Everything the report template shows, formatted."""
    language = report_language(cost)
    t = catalogue(language)
    f = _Format(cost, t)
    count = count_processes(t, cost.processes)
    subtitle = t("report.subtitle", processes=count, currency=cost.currency)
    if options.date is not None:
        subtitle = t(
            "report.subtitle_dated",
            processes=count,
            currency=cost.currency,
            date=t.date(options.date),
        )
    capped = _capped(cost)
    headline = _headline(cost, f)
    processes = _processes(cost, f)
    processes_total = _processes_total(cost, f)
    return {
        "t": t,
        "lang": language,
        "fonts": FONTS[language],
        "title": t("report.title"),
        "subtitle": subtitle,
        "paper": options.paper,
        "headline": headline,
        # The rule for procedures a process runs matters only where one does.
        "has_calls": any(process.called_by for process in cost.processes),
        "processes": processes,
        "processes_total": processes_total,
        "processes_more": t("report.processes.more", shown=capped[0], count=capped[1])
        if capped
        else "",
        "process_columns": _process_columns(processes, processes_total, t),
        "roles": _roles(cost, f),
        "roles_total": _roles_total(cost, f),
        "charts": _charts(cost, f),
        "pareto": _pareto(cost, f),
        "candidates": _candidates(cost, f),
        "capacity": _capacity(cost, f, options.ranges, options.beside),
        "method": _method(cost, f, options),
        "sections": list(options.sections),
        "ranges": None if options.ranges is None else ranges_context(cost, options.ranges, t),
        "scenarios": []
        if options.scenarios is None
        else scenario_pages(
            options.scenarios,
            t,
            ranges=options.ranges,
            ranges_after=options.scenario_ranges,
        ),
        "currency": cost.currency,
    }
