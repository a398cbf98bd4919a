"""SOP documents: one costed process as Markdown or as one self-contained HTML page.

Rendering has two halves. ``sop_document`` turns a ``ProcessCost`` into a
``SopDocument``: every figure rounded and formatted for the process's language
and currency, every label taken from the translation catalogue, steps numbered
in execution order. The Jinja templates (package data, ``sopkit/templates``)
only lay that out, so a team's own template never does arithmetic.

Escaping is on by default in both formats. HTML templates are autoescaped;
Markdown templates pass every ``{{ value }}`` through ``md_escape`` (Jinja's
``finalize``), so a step named ``[click](javascript:alert(1))`` shows
literally. Text that is already Markdown is marked with ``|safe``.

A team template folder (``template_dir``) is searched before the package, and
each default template is also reachable as ``default/<name>``, so a team's
``sop.html.j2`` can ``{% extends "default/sop.html.j2" %}`` and override
just the blocks it cares about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import networkx as nx
from markupsafe import Markup

from ...analysis.candidates import Candidate, candidate_for, rank_candidates
from ...analysis.cost import ProcessCost
from ...analysis.simulation import ProcessRanges, Range, Simulation
from ...analysis.units import exact_hours, expected_hours, to_decimal
from ...errors import RenderError, UsageError
from ...graph import flow_graph
from ...models import Clock, Estimate, Process, Step
from ..diagram import check_legible, to_mermaid, to_svg
from ..diagram.pages import print_pages
from ..diagram.swimlane import draw_swimlanes, swimlane_layout
from ..i18n import Catalogue, catalogue, payback_text
from ..numbers import (
    hours_text,
    money_text,
    number_text,
    round_number,
    share_text,
    whole_money_text,
)
from .templates import render_template

__all__ = [
    "FORMATS",
    "TOP_CANDIDATES",
    "CandidateView",
    "Diagram",
    "DiagramPage",
    "Item",
    "RoleView",
    "SopDocument",
    "StepRef",
    "StepView",
    "ToolView",
    "execution_order",
    "render_sop",
    "sop_document",
]

#: Output formats and the template each one starts from.
FORMATS = {"markdown": "sop.md.j2", "html": "sop.html.j2"}
#: How many automation candidates the key figures list.
TOP_CANDIDATES = 3


# --- the document model the templates see ----------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """A label and its value, both already formatted, with an optional second line."""

    label: str
    value: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class StepRef:
    """A pointer to a step by its number in the procedure."""

    number: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class StepView:
    """One numbered step of the procedure; ``None`` or empty fields are left out."""

    number: int
    id: str
    name: str
    owner: str
    time: str
    wait: str | None
    inputs: tuple[StepRef, ...]
    done_when: str | None
    instructions: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    tools: tuple[str, ...]
    repeats: str | None
    rework: str | None
    automation: str | None
    annual: str
    critical: bool


@dataclass(frozen=True, slots=True)
class RoleView:
    """A role, the steps it owns and its yearly hours and cost."""

    role: str
    description: str | None
    steps: tuple[StepRef, ...]
    annual_hours: str
    annual_cost: str


@dataclass(frozen=True, slots=True)
class ToolView:
    """A tool and the steps that use it (none: it serves the whole process)."""

    name: str
    steps: tuple[StepRef, ...]


@dataclass(frozen=True, slots=True)
class CandidateView:
    """An automation candidate of this process, with its saving."""

    step: StepRef
    owner: str
    share: str
    tool: str | None
    net_saving: str
    payback: str


@dataclass(frozen=True, slots=True)
class DiagramPage:
    """One printed page of the diagram: an inline SVG sized in mm, and its caption."""

    svg: Markup
    caption: str


@dataclass(frozen=True, slots=True)
class Diagram:
    """The workflow diagram: inline SVG for the screen and its printed pages (HTML), or
    Mermaid source (Markdown, or when the SVG could not be drawn, with the reason).

    Neither when the diagram was left out on request; ``omitted`` then says so
    in the document's language.
    """

    svg: Markup | None
    mermaid: str | None
    omitted: str | None = None
    pages: tuple[DiagramPage, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SopDocument:
    """Everything an SOP template shows, formatted for the process's language."""

    language: str
    id: str
    title: str
    owner: str
    header: tuple[Item, ...]
    purpose: str | None
    trigger: str | None
    frequency: str
    roles: tuple[RoleView, ...]
    tools: tuple[ToolView, ...]
    steps: tuple[StepView, ...]
    diagram: Diagram
    figures: tuple[Item, ...]
    candidates: tuple[CandidateView, ...]
    footer: str
    #: Where the simulated ranges among the figures come from (none without ranges).
    figures_note: str | None = None


# --- public entry points ---------------------------------------------------------------


def render_sop(
    cost: ProcessCost,
    *,
    fmt: str = "markdown",
    template_dir: Path | None = None,
    candidates: Iterable[Candidate] | None = None,
    diagram: bool = True,
    ranges: Simulation | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """The SOP of one costed process as Markdown or self-contained HTML.

    Args:
        cost: the process and its costs, from ``cost_process``.
        fmt: ``"markdown"`` (GitHub and MkDocs, diagram as Mermaid) or ``"html"``
            (one file: inline CSS and SVG, print stylesheet).
        template_dir: a folder of team templates searched before the defaults.
        candidates: ranked automation candidates to list (e.g. the portfolio's);
            only this process's are shown. By default they are ranked here.
        diagram: ``False`` leaves the diagram out; the document says so.
        ranges: a simulation that holds this process: its lead time and annual
            cost ranges join the key figures ("typically 12 days, 9 or less in
            1 of 10 runs, 17 or more in 1 of 10").
        links: called process id → its page (a relative URL), so the diagram's
            calls link to the SOPs of the processes they run (``sopkit build``).

    Raises:
        SopkitError: for an unknown format, a missing template folder, a
            template that fails (``RenderError``, located in the template), or a
            process too large for a legible diagram (unless ``diagram=False``).
    """
    name = _template_name(fmt)
    document = sop_document(
        cost, candidates=candidates, fmt=fmt, diagram=diagram, ranges=ranges, links=links
    )
    return render_template(
        name, template_dir=template_dir, doc=document, t=catalogue(document.language)
    )


def sop_document(
    cost: ProcessCost,
    *,
    candidates: Iterable[Candidate] | None = None,
    fmt: str = "markdown",
    diagram: bool = True,
    ranges: Simulation | None = None,
    links: Mapping[str, str] | None = None,
) -> SopDocument:
    """The SOP's content, formatted: what ``render_sop`` hands to the template.

    ``fmt`` decides the diagram: ``"html"`` draws the swimlanes as inline SVG,
    with printed pages for A4/Letter landscape (Mermaid source if it cannot be
    drawn); ``"markdown"`` gives the Mermaid source; ``diagram=False`` gives
    none, and a note saying it was left out.
    """
    process = cost.process
    t = catalogue(process.language.value)
    money = _Money(cost.currency, t.language)
    steps = execution_order(process)
    refs = {step.id: StepRef(n, step.id, step.name) for n, step in enumerate(steps, start=1)}
    # Mark the critical path only where it says something: when some steps are off it.
    branched = len(cost.schedule.critical_path) < len(steps)
    simulated = None
    if ranges is not None:
        simulated = next((r for r in ranges.processes if r.process_id == process.id), None)
    return SopDocument(
        language=t.language,
        id=process.id,
        title=process.name,
        owner=process.owner,
        header=_header(process, t),
        purpose=process.purpose,
        trigger=process.trigger,
        frequency=(
            t("frequency.called")
            if process.frequency is None
            else t(f"frequency.{process.frequency.period.value}", process.frequency.count)
        ),
        roles=_roles(cost, refs, t, money),
        tools=_tools(process, steps, refs),
        steps=tuple(_step_view(cost, step, refs, t, money, branched) for step in steps),
        diagram=(
            _diagram(cost, fmt, links or {}, t)
            if diagram
            else Diagram(None, None, t("diagram.omitted"))
        ),
        figures=_figures(cost, t, money, simulated),
        candidates=_candidates(cost, candidates, refs, t, money),
        footer=_footer(process, t),
        figures_note=None
        if simulated is None or ranges is None
        else t(
            "range.note",
            years=hours_text(Decimal(ranges.years), t.language, 0),
            seed=ranges.seed,
        ),
    )


def execution_order(process: Process) -> list[Step]:
    """The steps in the order one run does them: after their ``after`` steps, ties by file order."""
    order = {step.id: index for index, step in enumerate(process.steps)}
    by_id = {step.id: step for step in process.steps}
    graph = flow_graph(process)
    return [by_id[i] for i in nx.lexicographical_topological_sort(graph, key=order.__getitem__)]


# --- building the document ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Money:
    currency: str
    language: str

    def __call__(self, amount: Decimal) -> str:
        return money_text(amount, self.currency, self.language)


def _template_name(fmt: str) -> str:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown SOP format '{fmt}'", hint="use one of: " + ", ".join(FORMATS)
        ) from None


def _hours(t: Catalogue, hours: Decimal) -> str:
    return t("unit.hours", hours)


def _span(t: Catalogue, hours: Decimal, clock: Clock) -> str:
    """Working hours, or working days from a day up."""
    if hours >= clock.hours_per_day:
        return t("unit.workdays", hours / clock.hours_per_day)
    return _hours(t, hours)


def _header(process: Process, t: Catalogue) -> tuple[Item, ...]:
    items = [Item(t("field.owner"), process.owner)]
    review = process.review
    if review is not None:
        items.append(Item(t("field.version"), review.version))
        if review.last_reviewed is not None:
            items.append(Item(t("field.last_reviewed"), t.date(review.last_reviewed)))
        if review.next_review is not None:
            items.append(Item(t("field.next_review"), t.date(review.next_review)))
        if review.approver is not None:
            items.append(Item(t("field.approver"), review.approver))
    return tuple(items)


def _footer(process: Process, t: Catalogue) -> str:
    if process.review is None:
        return t("footer.no_version", id=process.id)
    return t("footer.version", version=process.review.version, id=process.id)


def _roles(
    cost: ProcessCost, refs: dict[str, StepRef], t: Catalogue, money: _Money
) -> tuple[RoleView, ...]:
    settings = cost.process.settings
    views = []
    for role in cost.by_role():
        known = settings.roles.get(role.role)
        views.append(
            RoleView(
                role=role.role,
                description=None if known is None else known.description,
                steps=tuple(sorted((refs[s.step_id] for s in role.steps), key=_number)),
                annual_hours=_hours(t, role.annual_hours),
                annual_cost=money(role.annual_cost),
            )
        )
    return tuple(views)


def _number(ref: StepRef) -> int:
    return ref.number


def _tools(
    process: Process, steps: Sequence[Step], refs: dict[str, StepRef]
) -> tuple[ToolView, ...]:
    """The process's tools first, then the steps' own, each with the steps using it."""
    used: dict[str, list[StepRef]] = {tool: [] for tool in process.tools}
    for step in steps:
        for tool in dict.fromkeys(step.tools):
            used.setdefault(tool, []).append(refs[step.id])
    return tuple(ToolView(tool, tuple(users)) for tool, users in used.items())


def _step_view(
    cost: ProcessCost,
    step: Step,
    refs: dict[str, StepRef],
    t: Catalogue,
    money: _Money,
    mark_critical: bool,
) -> StepView:
    clock = cost.process.settings.clock
    step_cost = cost.step(step.id)
    wait = None
    if not step.wait.is_zero:
        wait = t("time.wait", wait=_span(t, to_decimal(expected_hours(step.wait, clock)), clock))
    return StepView(
        number=refs[step.id].number,
        id=step.id,
        name=step.name,
        owner=step.owner or "",
        time="" if step.time is None else _estimate_text(step.time, clock, t),
        wait=wait,
        inputs=tuple(refs[i] for i in dict.fromkeys(step.after) if i in refs),
        done_when=step.done_when,
        instructions=tuple(step.instructions),
        do=tuple(step.do),
        dont=tuple(step.dont),
        tools=tuple(dict.fromkeys(step.tools)),
        repeats=_repeats(step_cost.executions_per_run, t),
        rework=_rework(step, refs, t),
        automation=_automation_note(cost, step, t, money),
        annual=t(
            "step.annual",
            hours=_hours(t, step_cost.annual_hours),
            cost=money(step_cost.annual_cost),
        ),
        critical=mark_critical and cost.schedule.is_critical(step.id),
    )


def _estimate_text(estimate: Estimate, clock: Clock, t: Catalogue) -> str:
    expected = to_decimal(expected_hours(estimate, clock))
    if not estimate.is_range:
        return _hours(t, expected)
    return t(
        "time.range",
        low=hours_text(to_decimal(exact_hours(estimate.low, clock)), t.language),
        high=hours_text(to_decimal(exact_hours(estimate.high, clock)), t.language),
        expected=hours_text(expected, t.language),
    )


def _repeats(executions: Decimal, t: Catalogue) -> str | None:
    if executions == 1:
        return None
    if executions < 1:
        return t("per_run.share", share=share_text(executions, t.language))
    return t("per_run.times", executions)


def _rework(step: Step, refs: dict[str, StepRef], t: Catalogue) -> str | None:
    if step.rework is None or step.rework.probability == 0 or step.rework.to not in refs:
        return None
    target = refs[step.rework.to]
    return t(
        "rework.note",
        share=share_text(step.rework.probability, t.language),
        number=target.number,
        name=target.name,
    )


def _automation_note(cost: ProcessCost, step: Step, t: Catalogue, money: _Money) -> str | None:
    candidate = candidate_for(cost, cost.step(step.id))
    if candidate is None:
        return None
    share = share_text(candidate.share, t.language)
    if candidate.net_saving < 0:  # "saves -$628.24" would say the opposite of what happens
        loss = money(-candidate.net_saving)
        if candidate.tool:
            return t("automation.loss_with_tool", share=share, tool=candidate.tool, loss=loss)
        return t("automation.loss_no_tool", share=share, loss=loss)
    saving = money(candidate.net_saving)
    if candidate.tool:
        return t("automation.with_tool", share=share, tool=candidate.tool, saving=saving)
    return t("automation.no_tool", share=share, saving=saving)


def _figures(
    cost: ProcessCost, t: Catalogue, money: _Money, ranges: ProcessRanges | None = None
) -> tuple[Item, ...]:
    clock = cost.process.settings.clock
    lead = cost.schedule.lead_time_hours
    items = [
        Item(t("figure.runs_per_year"), hours_text(cost.runs_per_month * 12, t.language)),
        Item(t("figure.hours_per_run"), _hours(t, cost.hours_per_run)),
        Item(t("figure.cost_per_run"), money(cost.cost_per_run)),
        Item(
            t("figure.lead_time"),
            _hours(t, lead),
            t("unit.workdays", lead / clock.hours_per_day),
        ),
        Item(t("figure.annual_hours"), _hours(t, cost.annual_hours)),
        Item(t("figure.annual_cost"), money(cost.annual_cost)),
        Item(t("figure.fte"), number_text(cost.fte, 2, t.language)),
    ]
    if ranges is not None:
        items.insert(4, _lead_range(ranges, t, clock))

        def whole(value: Decimal) -> str:
            return whole_money_text(value, cost.currency, t.language)

        items.insert(
            7,
            _range_item(
                t,
                t("figure.annual_cost_range"),
                ranges.annual_cost,
                whole,
                whole,
                lambda low, high: t("range.years", low=low, high=high),
                t("range.fixed_years"),
            ),
        )
    return tuple(items)


def _lead_range(ranges: ProcessRanges, t: Catalogue, clock: Clock) -> Item:
    """In working days (one decimal) from a day up, otherwise in hours."""
    value, with_unit = ranges.lead_time_hours, lambda v: _hours(t, round_number(v, 1))
    if value.p50 >= clock.hours_per_day:
        value, with_unit = ranges.lead_time_days, lambda v: t("unit.workdays", round_number(v, 1))
    return _range_item(
        t,
        t("figure.lead_time_range"),
        value,
        with_unit,
        lambda v: hours_text(v, t.language, 1),
        lambda low, high: t("range.runs", low=low, high=high),
        t("range.fixed_runs"),
    )


def _range_item(
    t: Catalogue,
    label: str,
    value: Range,
    with_unit: Callable[[Decimal], str],
    bare: Callable[[Decimal], str],
    spread: Callable[[str, str], str],
    fixed: str,
) -> Item:
    """ "typically 12 working days" with "9 or less in 1 of 10 runs, 17 or more in 1 of 10";
    a figure that never varies (as shown) says so instead."""
    if bare(value.p10) == bare(value.p90):
        return Item(label, with_unit(value.p50), fixed)
    typical = t("range.typical", typical=with_unit(value.p50))
    return Item(label, typical, spread(bare(value.p10), bare(value.p90)))


def _candidates(
    cost: ProcessCost,
    given: Iterable[Candidate] | None,
    refs: dict[str, StepRef],
    t: Catalogue,
    money: _Money,
) -> tuple[CandidateView, ...]:
    if given is None:
        ranked = rank_candidates([cost], top=TOP_CANDIDATES)
    else:
        ranked = [c for c in given if c.process_id == cost.id and c.step_id in refs]
        ranked = ranked[:TOP_CANDIDATES]
    views = []
    for candidate in ranked:
        views.append(
            CandidateView(
                step=refs[candidate.step_id],
                owner=candidate.owner,
                share=share_text(candidate.share, t.language),
                tool=candidate.tool,
                net_saving=money(candidate.net_saving),
                payback=payback_text(candidate.payback_months, t),
            )
        )
    return tuple(views)


# --- the diagram ------------------------------------------------------------------------


def _diagram(cost: ProcessCost, fmt: str, links: Mapping[str, str], t: Catalogue) -> Diagram:
    """Inline SVG and its printed pages for HTML (Mermaid if it cannot be drawn);
    Mermaid for Markdown.

    A process too large to draw legibly is an error, not a fallback to Mermaid.
    """
    check_legible(cost.process)
    if fmt == "html":
        try:
            svg, pages = _diagram_svg(cost, links)
        except RenderError as exc:
            return Diagram(svg=None, mermaid=_mermaid(cost, links), reason=exc.message)
        views = tuple(
            DiagramPage(inline_svg(page), t("diagram.part", part=str(n), total=str(len(pages))))
            for n, page in enumerate(pages, start=1)
        )
        return Diagram(svg=inline_svg(svg), mermaid=None, pages=views)
    return Diagram(svg=None, mermaid=_mermaid(cost, links))


def _diagram_svg(cost: ProcessCost, links: Mapping[str, str]) -> tuple[str, list[str]]:
    """The swimlanes left to right as one SVG for the screen and one per printed page."""
    lanes = swimlane_layout(cost, direction="LR")
    whole = to_svg(draw_swimlanes(lanes, links=links))
    pages = [
        to_svg(
            page.scene,
            view=page.view,
            width=f"{page.width_mm}mm",
            height=f"{page.height_mm}mm",
            classes=("print-page",),
            ids=False,
        )
        for page in print_pages(lanes, links=links)
    ]
    return whole, pages


def _mermaid(cost: ProcessCost, links: Mapping[str, str]) -> str:
    return to_mermaid(cost, links=links)


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
# Anything that could run script or fetch from the network, were it ever to
# reach the SVG. sopkit escapes all text (and '=' in attributes), so real
# output never matches.
_ACTIVE = re.compile(
    r"<\s*(script|foreignObject|iframe|img|image|use|style)\b"
    r"|<[^>]*\s(on\w+|href|xlink:href)\s*=",
    re.IGNORECASE,
)
#: The one kind of link a diagram may hold: a call's box linking to the SOP of the
#: process it runs, a page beside this one named by its id.
_SIBLING_LINK = re.compile(r'<a href="[a-z0-9][a-z0-9-]*\.html">')


def inline_svg(svg: bytes | str) -> Markup:
    """SVG ready to sit inside HTML: no XML prolog, DOCTYPE or comments.

    Raises:
        RenderError: if the SVG holds scripts, event handlers, external
            references or links other than to a sibling page, which a
            self-contained, safe page cannot have.
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = _PROLOG.sub("", text).strip()
    if not text.startswith("<svg") or _ACTIVE.search(_SIBLING_LINK.sub("<a>", text)):
        raise RenderError("the diagram's SVG is not safe to inline")
    return Markup(text)
