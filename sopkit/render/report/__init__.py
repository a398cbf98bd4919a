"""The annual workflow-cost report: a few pages a finance team can read, print and forward.

``render_report`` gives the report as one self-contained HTML page (inline
CSS, charts drawn with HTML boxes and one inline SVG, nothing from the
network); ``report_pdf`` prints it to
PDF with WeasyPrint, an optional dependency (``pip install 'sopkit[pdf]'``).
Labels follow the portfolio's language when every process shares one.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

from ...analysis import Costable
from ...analysis.compare import ScenarioResult
from ...analysis.cost import PortfolioCost
from ...errors import UsageError
from ..compiled import StoredTemplates
from ..costs.scenarios import ScenarioView, scenario_results
from ..costs.tables import ensure_costs
from ..pdf import PAPERS, paper_name, pdf_problem, report_pdf
from .content import ReportOptions, report_context, report_language
from .hangul import keep_hangul_words

if TYPE_CHECKING:
    from ...analysis.simulation import Simulation

__all__ = [
    "FORMATS",
    "PAPERS",
    "ReportOptions",
    "ReportSection",
    "annual_report",
    "pdf_problem",
    "render_report",
    "report_language",
    "report_pdf",
]

#: What ``annual_report`` writes.
FORMATS = ("pdf", "html")


class ReportSection:
    """An extra page from another analysis: an id for its anchor and its HTML (escaped)."""

    def __init__(self, section_id: str, html: str) -> None:
        self.id = section_id
        self.html = html


def _css_string(text: str) -> str:
    """Text as a quoted CSS string: quotes, backslashes and line breaks escaped."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\\n\r<>&' or ord(ch) < 32 else ch for ch in text
    )
    return f'"{escaped}"'


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sopkit", "templates/report"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=StoredTemplates("report"),
    )
    env.filters["css_string"] = lambda text: markupsafe.Markup(_css_string(text))
    return env


def render_report(
    cost: PortfolioCost,
    *,
    date: _dt.date | None = None,
    paper: str = "A4",
    sections: Sequence[ReportSection] = (),
    ranges: Simulation | None = None,
    scenarios: ScenarioView | Sequence[ScenarioResult] | None = None,
    scenario_ranges: Sequence[Simulation] = (),
    beside: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The report as a self-contained HTML page.

    Args:
        cost: the costed portfolio.
        date: the date the report was made, shown in it and written as the
            PDF's creation date; ``None`` shows none (and keeps output identical).
        paper: ``A4`` or ``Letter``.
        sections: extra pages placed before the method.
        ranges: a simulation of ``cost`` for the ranges page; ``None`` leaves it out.
        scenarios: scenarios of ``cost`` (``sopkit.decide.compare_scenarios``) for a
            page of their own; ``None`` (or none) leaves it out.
        scenario_ranges: each scenario's simulation, in order (same years and seed as
            ``ranges``): each role's years over capacity before and after.
        beside: the process files not given that work in each role with a headcount
            (``roles_worked_beside``): the capacity page names them, since only the
            given processes' hours count toward a utilisation.
    """
    options = ReportOptions(
        date=date,
        paper=paper,
        sections=tuple(sections),
        ranges=ranges,
        scenarios=scenarios if scenarios is not None and scenario_results(scenarios) else None,
        scenario_ranges=tuple(scenario_ranges),
        beside=dict(beside or {}),
    )
    context: dict[str, Any] = report_context(cost, options)
    html = _environment().get_template("report.html.j2").render(context)
    return keep_hangul_words(html) if context["lang"] == "ko" else html


def annual_report(
    source: Costable,
    *,
    fmt: str = "pdf",
    date: _dt.date | None = None,
    paper: str = "A4",
    sections: Sequence[ReportSection] = (),
    ranges: Simulation | None = None,
    scenarios: ScenarioView | Sequence[ScenarioResult] | None = None,
    scenario_ranges: Sequence[Simulation] = (),
    beside: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """The annual report of loaded processes (costed here) or of costs, as file bytes.

    Args:
        source: loaded processes or a ``PortfolioCost``.
        fmt: ``pdf`` or ``html`` (UTF-8).
        date: the date the report was made; ``None`` shows none.
        paper: ``A4`` or ``Letter``.
        sections: extra pages from other analyses.
        ranges: ``simulate(source)`` for the ranges page (P10 to P90 of each figure,
            each role's years over capacity); ``None`` leaves that page out. The
            report only shows figures: it runs no simulation of its own.
        scenarios: scenarios of the portfolio for a page of their own (``source``
            should then be their ``as_is``).
        scenario_ranges: each scenario's simulation, as for ``render_report``
            (``sopkit.decide.simulate_scenarios`` makes them, with the draws of
            ``ranges``).
        beside: as for ``render_report``.

    Raises:
        UsageError: an unknown format or paper.
        RenderError: a PDF without WeasyPrint (the hint says what to install).
        SopkitError: processes that cannot be costed together.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(FORMATS))
    chosen = paper_name(paper)
    html = render_report(
        ensure_costs(source),
        date=date,
        paper=chosen,
        sections=sections,
        ranges=ranges,
        scenarios=scenarios,
        scenario_ranges=scenario_ranges,
        beside=beside,
    )
    if fmt == "html":
        return html.encode("utf-8")
    return report_pdf(html)
