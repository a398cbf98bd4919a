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
from fractions import Fraction
from pathlib import Path

import networkx as nx
from markupsafe import Markup

from ...analysis.candidates import Candidate, candidate_for, rank_candidates
from ...analysis.cost import PortfolioCost, ProcessCost
from ...analysis.profile import StepRun, profile
from ...analysis.runs import runs_of
from ...analysis.schedule import schedule
from ...analysis.simulation import ProcessRanges, Range, Simulation
from ...analysis.units import exact_hours, expected_hours, to_decimal
from ...errors import RenderError, UsageError
from ...graph import flow_graph
from ...models import Clock, Estimate, ExpensePeriod, Process, RoleKind, Step
from ..diagram import check_legible, to_mermaid, to_svg
from ..diagram.pages import print_pages
from ..diagram.swimlane import draw_swimlanes, swimlane_layout
from ..i18n import Catalogue, catalogue, payback_text
from ..numbers import (
    DASH,
    hours_text,
    money_text,
    number_text,
    round_number,
    share_text,
    whole_money_text,
)
from .templates import render_template
from .wording import condition_text, count_text, join_or, kind_label, participants_text

__all__ = [
    "FORMATS",
    "TOP_CANDIDATES",
    "AnswerView",
    "CallView",
    "CandidateView",
    "ConditionView",
    "Diagram",
    "DiagramPage",
    "ExpenseView",
    "Item",
    "ProcessRef",
    "RoleView",
    "SignoffView",
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
class ProcessRef:
    """Another process: one this process runs, or one that runs it.

    ``href`` is a relative link to its SOP in the same folder and format
    (``asset.html``) when the SOP is part of a site that has that page;
    otherwise ``file`` names the process file, so a reader can find it.
    """

    id: str
    name: str
    href: str | None
    file: str | None
    #: The steps of the other process that run this one (for "called by").
    steps: tuple[StepRef, ...] = ()


@dataclass(frozen=True, slots=True)
class CallView:
    """What a step that runs another process runs, how often, and what one run of it takes."""

    process: ProcessRef
    #: Times per execution of the step: ``3–7 times each time, about 5 on average``.
    count: str
    #: Runs of it per run of this process, rework and conditions included.
    runs: str
    #: One run of the called process: hours and cost.
    one_run: str


@dataclass(frozen=True, slots=True)
class StepView:
    """One numbered step of the procedure; ``None`` or empty fields are left out.

    ``kind`` is ``"work"``, ``"milestone"`` (an event with no work) or ``"call"``
    (the step runs another process, ``call``).
    """

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
    kind: str = "work"
    #: The owner's kind when it is not staff: ``external party``, ``system, already automated``.
    owner_kind: str | None = None
    #: Who works on it with the owner: ``Product Manager, 2 × Engineering Manager``.
    participants: str | None = None
    #: When it runs only in some runs: ``Is this a tier-1 launch? — yes, about 30% of runs``.
    condition: str | None = None
    approval: bool = False
    call: CallView | None = None
    #: Cash spent each time: ``$500.00 per execution``.
    expense: str | None = None


@dataclass(frozen=True, slots=True)
class RoleView:
    """A role, the steps it works on and its hours and cost (a year, or one run)."""

    role: str
    description: str | None
    steps: tuple[StepRef, ...]
    annual_hours: str
    annual_cost: str
    #: ``external party`` or ``system, already automated``; ``None`` for staff.
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerView:
    """One answer to a condition, the share of runs that give it and the steps it brings."""

    answer: str
    share: str
    steps: tuple[StepRef, ...]


@dataclass(frozen=True, slots=True)
class ConditionView:
    """A question each run answers, with its answers."""

    question: str
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True, slots=True)
class SignoffView:
    """A sign-off: which step, who approves, what happens if they reject."""

    step: StepRef
    role: str
    #: ``back to step 2, “Launch visuals” (in 25% of sign-offs)``; ``None`` without rework.
    rejected: str | None
    condition: str | None


@dataclass(frozen=True, slots=True)
class ExpenseView:
    """One cash cost: a step's own, a called process's, or the process's."""

    what: str
    step: StepRef | None
    amount: str
    per_run: str
    per_year: str


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
    conditions: tuple[ConditionView, ...] = ()
    signoffs: tuple[SignoffView, ...] = ()
    expenses: tuple[ExpenseView, ...] = ()
    #: The totals row of ``expenses``: per run and per year.
    expense_total: ExpenseView | None = None
    #: The processes that run this one (known when it is costed with them).
    called_by: tuple[ProcessRef, ...] = ()
    #: The process has no runs of its own: figures are per run, not per year.
    per_run_only: bool = False


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
    site: PortfolioCost | None = None,
) -> str:
    """The SOP of one costed process as Markdown or self-contained HTML.

    Args:
        cost: the process and its costs, from ``cost_process`` (or one process
            of ``cost_portfolio``, which also knows who runs it).
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
        site: the costed portfolio when this SOP is one page of a site whose
            SOPs sit side by side (``<id>.html``, ``<id>.md``): processes it runs
            or is run by are linked there. Without it, a called process is
            named with its file.

    Raises:
        SopkitError: for an unknown format, a missing template folder, a
            template that fails (``RenderError``, located in the template), or a
            process too large for a legible diagram (unless ``diagram=False``).
    """
    name = _template_name(fmt)
    document = sop_document(
        cost,
        candidates=candidates,
        fmt=fmt,
        diagram=diagram,
        ranges=ranges,
        links=links,
        site=site,
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
    site: PortfolioCost | None = None,
) -> SopDocument:
    """The SOP's content, formatted: what ``render_sop`` hands to the template.

    ``fmt`` decides the diagram: ``"html"`` draws the swimlanes as inline SVG,
    with printed pages for A4/Letter landscape (Mermaid source if it cannot be
    drawn); ``"markdown"`` gives the Mermaid source; ``diagram=False`` gives
    none, and a note saying it was left out.
    ``site`` is as for ``render_sop``.
    """
    process = cost.process
    t = catalogue(process.language.value)
    money = _Money(cost.currency, t.language)
    steps = execution_order(process)
    refs = {step.id: StepRef(n, step.id, step.name) for n, step in enumerate(steps, start=1)}
    context = _Context(cost, t, money, refs, fmt, site)
    # Mark the critical path only where it says something: when some steps are off it.
    branched = len(cost.schedule.critical_path) < len(steps)
    simulated = None
    if ranges is not None:
        simulated = next((r for r in ranges.processes if r.process_id == process.id), None)
    expenses, expense_total = _expenses(context, steps)
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
        roles=_roles(context),
        tools=_tools(process, steps, refs),
        steps=tuple(_step_view(context, step, branched) for step in steps),
        diagram=(
            _diagram(cost, fmt, links or {}, t)
            if diagram
            else Diagram(None, None, t("diagram.omitted"))
        ),
        figures=_figures(context, steps, simulated),
        candidates=_candidates(cost, candidates, refs, t, money),
        footer=_footer(process, t),
        figures_note=None
        if simulated is None or ranges is None
        else t(
            "range.note",
            years=hours_text(Decimal(ranges.years), t.language, 0),
            seed=ranges.seed,
        ),
        conditions=_conditions(process, steps, refs, t),
        signoffs=_signoffs(process, steps, refs, t),
        expenses=expenses,
        expense_total=expense_total,
        called_by=_called_by(context),
        per_run_only=context.per_run_only,
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


class _Context:
    """What every part of the document is built from, computed once."""

    def __init__(
        self,
        cost: ProcessCost,
        t: Catalogue,
        money: _Money,
        refs: dict[str, StepRef],
        fmt: str,
        site: PortfolioCost | None,
    ) -> None:
        self.cost = cost
        self.process = cost.process
        self.t = t
        self.money = money
        self.refs = refs
        self.fmt = fmt
        self.site = site
        self.runs = runs_of(cost.process)
        self.run = profile(cost.process)
        self.run_steps: dict[str, StepRun] = {s.step.id: s for s in self.run.steps}
        #: A process no one runs on a schedule shows what one run takes instead of a year.
        self.per_run_only = cost.process.frequency is None

    def process_ref(self, process: Process, steps: tuple[StepRef, ...] = ()) -> ProcessRef:
        """Another process, linked when the site has its SOP, else named with its file."""
        href = None
        if self.site is not None and any(p.id == process.id for p in self.site.processes):
            href = f"{process.id}{'.html' if self.fmt == 'html' else '.md'}"
        file = None
        if href is None and process.source_path:
            file = Path(process.source_path).name
        return ProcessRef(process.id, process.name, href, file, steps)


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


def _figures_text(
    c: _Context,
    hours: Decimal,
    external: Decimal,
    labour: Decimal,
    expenses: Decimal,
) -> str:
    """``12 h · $480.00``, with hours outside the team and cash costs when there are any."""
    t, money = c.t, c.money
    hours_part = _hours(t, hours)
    if external:
        hours_part = t("step.hours_external", hours=hours_part, external=_hours(t, external))
    cost_part = money(labour)
    if expenses:
        cost_part = t(
            "step.cost_expenses",
            labour=money(labour),
            expenses=money(expenses),
            total=money(labour + expenses),
        )
    return t("step.annual", hours=hours_part, cost=cost_part)


def _roles(c: _Context) -> tuple[RoleView, ...]:
    settings = c.process.settings
    t = c.t
    per_run = {role: tally for role, tally in c.run.roles.items()}
    views = []
    for role in c.cost.by_role():
        known = settings.roles.get(role.role)
        if c.per_run_only:
            tally = per_run[role.role]
            hours, external, money_ = tally.hours, tally.external_hours, tally.cost
        else:
            hours, external, money_ = (
                role.exact_annual_hours,
                role.exact_external_hours,
                role.exact_annual_cost,
            )
        if role.kind is RoleKind.SYSTEM:
            hours_text_, cost_text = DASH, DASH
        elif role.kind is RoleKind.EXTERNAL:
            hours_text_ = t("role.external_hours", hours=_hours(t, to_decimal(external)))
            cost_text = c.money(to_decimal(money_))
        else:
            hours_text_ = _hours(t, to_decimal(hours))
            cost_text = c.money(to_decimal(money_))
        views.append(
            RoleView(
                role=role.role,
                description=None if known is None else known.description,
                steps=tuple(sorted((c.refs[s.step_id] for s in role.steps), key=_number)),
                annual_hours=hours_text_,
                annual_cost=cost_text,
                kind=kind_label(known, t),
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


def _step_view(c: _Context, step: Step, mark_critical: bool) -> StepView:
    cost, t, money, refs = c.cost, c.t, c.money, c.refs
    clock = cost.process.settings.clock
    wait = None
    if not step.wait.is_zero:
        wait = t("time.wait", wait=_span(t, to_decimal(expected_hours(step.wait, clock)), clock))
    kind = "milestone" if step.milestone else "call" if step.is_call else "work"
    call = _call_view(c, step) if step.is_call else None
    time = ""
    if step.time is not None:
        time = _estimate_text(step.time, clock, t)
    elif call is not None:
        callee = cost.process.callees[step.process or ""]
        time = t("call.time", hours=_span(t, schedule(callee).lead_time_hours, clock))
    owner_role = cost.process.role(step.owner) if step.owner is not None else None
    return StepView(
        number=refs[step.id].number,
        id=step.id,
        name=step.name,
        owner=step.owner or "",
        time=time,
        wait=wait,
        inputs=tuple(refs[i] for i in dict.fromkeys(step.after) if i in refs),
        done_when=step.done_when,
        instructions=tuple(step.instructions),
        do=tuple(step.do),
        dont=tuple(step.dont),
        tools=tuple(dict.fromkeys(step.tools)),
        repeats=_repeats(c, step),
        rework=_rework(step, refs, t),
        automation=_automation_note(cost, step, t, money),
        annual=_step_figures(c, step),
        critical=mark_critical and cost.schedule.is_critical(step.id),
        kind=kind,
        owner_kind=kind_label(owner_role, t) if step.is_work else None,
        participants=participants_text(step, t),
        condition=condition_text(cost.process, step, t),
        approval=step.approval,
        call=call,
        expense=None
        if step.expense is None
        else t("expense.per_execution", amount=money(step.expense)),
    )


def _step_figures(c: _Context, step: Step) -> str:
    """A step's hours and cost a year (or per run, for a process that is only called)."""
    if c.per_run_only:
        run = c.run_steps[step.id]
        hours, external, labour, expenses = run.hours, run.external_hours, run.cost, run.expenses
    else:
        s = c.cost.step(step.id)
        hours, external = s.exact_annual_hours, s.exact_external_hours
        labour, expenses = s.exact_annual_cost, s.exact_annual_expenses
    if step.is_work and not (hours or external or labour or expenses):
        role = c.process.role(step.owner) if step.owner is not None else None
        if role is not None and role.kind is RoleKind.SYSTEM and not step.participants:
            return c.t("step.automated")
    return _figures_text(
        c, to_decimal(hours), to_decimal(external), to_decimal(labour), to_decimal(expenses)
    )


def _call_view(c: _Context, step: Step) -> CallView:
    assert step.process is not None
    callee = c.process.callees[step.process]
    inner = profile(callee)
    step_cost = c.cost.step(step.id)
    t = c.t
    return CallView(
        process=c.process_ref(callee),
        count=count_text(step.count, t),
        runs=t("call.runs", step_cost.calls_per_run),
        one_run=t(
            "call.one_run",
            figures=_figures_text(
                c,
                to_decimal(inner.hours),
                to_decimal(inner.external_hours),
                to_decimal(inner.cost),
                to_decimal(inner.expenses),
            ),
        ),
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


def _repeats(c: _Context, step: Step) -> str | None:
    """How often the step runs in the runs it belongs to (its condition says in which)."""
    t = c.t
    chance = c.runs.chance[step.id]
    passes = to_decimal(c.runs.executions[step.id] / chance)
    if passes == 1:
        return None
    if step.when:
        if passes < 1:
            return t("per_run.share_when", share=share_text(passes, t.language))
        return t("per_run.times_when", passes)
    if passes < 1:
        return t("per_run.share", share=share_text(passes, t.language))
    return t("per_run.times", passes)


def _rework(step: Step, refs: dict[str, StepRef], t: Catalogue) -> str | None:
    if step.rework is None or step.rework.probability == 0 or step.rework.to not in refs:
        return None
    target = refs[step.rework.to]
    share = share_text(step.rework.probability, t.language)
    if step.approval:
        return t("rework.rejected", share=share, number=target.number, name=target.name)
    return t("rework.note", share=share, number=target.number, name=target.name)


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


# --- conditions, sign-offs, cash costs, callers -------------------------------------------


def _conditions(
    process: Process, steps: Sequence[Step], refs: dict[str, StepRef], t: Catalogue
) -> tuple[ConditionView, ...]:
    """Each question with its answers, their shares, and the steps each answer brings."""
    views = []
    for name, condition in process.conditions.items():
        answers = []
        for answer, share in condition.answers():
            wanted = [
                refs[step.id]
                for step in steps
                if step.when and name in step.when and _wants(step.when[name], answer)
            ]
            label = (
                t("answer.yes")
                if answer is True
                else t("answer.no")
                if answer is False
                else str(answer)
            )
            answers.append(AnswerView(label, share_text(share, t.language), tuple(wanted)))
        views.append(ConditionView(condition.question, tuple(answers)))
    return tuple(views)


def _wants(wanted: bool | tuple[str, ...], answer: bool | str) -> bool:
    if isinstance(wanted, bool):
        return answer is wanted
    return answer in wanted


def _signoffs(
    process: Process, steps: Sequence[Step], refs: dict[str, StepRef], t: Catalogue
) -> tuple[SignoffView, ...]:
    views = []
    for step in steps:
        if not step.approval:
            continue
        rejected = None
        if step.rework is not None and step.rework.probability > 0 and step.rework.to in refs:
            target = refs[step.rework.to]
            rejected = t(
                "signoff.back",
                number=target.number,
                name=target.name,
                share=share_text(step.rework.probability, t.language),
            )
        views.append(
            SignoffView(refs[step.id], step.owner or "", rejected, condition_text(process, step, t))
        )
    return tuple(views)


def _expenses(
    c: _Context, steps: Sequence[Step]
) -> tuple[tuple[ExpenseView, ...], ExpenseView | None]:
    """Every cash cost: steps' own, called processes', the process's; and their total."""
    t, money = c.t, c.money
    year = not c.per_run_only

    def yearly(value: Decimal) -> str:
        return money(value) if year else DASH

    views = []
    for step in steps:
        run = c.run_steps[step.id]
        step_cost = c.cost.step(step.id)
        if step.expense is not None:
            views.append(
                ExpenseView(
                    step.name,
                    c.refs[step.id],
                    t("expense.per_execution", amount=money(step.expense)),
                    money(to_decimal(run.expenses)),
                    yearly(step_cost.annual_expenses),
                )
            )
        elif step.is_call and run.expenses:
            callee = c.process.callees[step.process or ""]
            views.append(
                ExpenseView(
                    step.name,
                    c.refs[step.id],
                    t("expense.called", name=callee.name),
                    money(to_decimal(run.expenses)),
                    yearly(step_cost.annual_expenses),
                )
            )
    runs_a_year = c.cost.exact_runs_per_month * 12
    for line in c.cost.expense_lines:
        amount = money(line.amount)
        per = {
            ExpensePeriod.RUN: t("expense.per_run", amount=amount),
            ExpensePeriod.MONTH: t("expense.per_month", amount=amount),
            ExpensePeriod.QUARTER: t("expense.per_quarter", amount=amount),
            ExpensePeriod.YEAR: t("expense.per_year", amount=amount),
        }[line.per]
        fixed = line.per_year
        views.append(
            ExpenseView(
                line.name,
                None,
                per,
                DASH if fixed is not None else amount,
                money(
                    to_decimal(Fraction(line.amount) * (runs_a_year if fixed is None else fixed))
                ),
            )
        )
    if not views:
        return (), None
    total = ExpenseView(
        t("expense.total"),
        None,
        "",
        money(c.cost.expenses_per_run),
        money(c.cost.annual_expenses),
    )
    return tuple(views), total


def _called_by(c: _Context) -> tuple[ProcessRef, ...]:
    """The processes that run this one, with the steps that do (when costed with them)."""
    refs = []
    for caller_id in c.cost.called_by:
        caller = None
        if c.site is not None:
            caller = next((p.process for p in c.site.processes if p.id == caller_id), None)
        if caller is None:
            refs.append(ProcessRef(caller_id, caller_id, None, None))
            continue
        order = execution_order(caller)
        steps = tuple(
            StepRef(n, s.id, s.name)
            for n, s in enumerate(order, start=1)
            if s.process == c.process.id
        )
        refs.append(c.process_ref(caller, steps))
    return tuple(refs)


# --- key figures ------------------------------------------------------------------------


def _figures(
    c: _Context, steps: Sequence[Step], ranges: ProcessRanges | None = None
) -> tuple[Item, ...]:
    cost, t, money = c.cost, c.t, c.money
    clock = cost.process.settings.clock
    lead = cost.schedule.lead_time_hours
    has_expenses = bool(cost.expense_lines) or any(s.expenses for s in c.run.steps)
    items = []
    if not c.per_run_only:
        items.append(
            Item(
                t("figure.runs_per_year"),
                hours_text(cost.runs_per_month * 12, t.language),
                _called_note(c),
            )
        )
    elif cost.exact_called_runs_per_month:
        items.append(
            Item(
                t("figure.called_runs"),
                hours_text(to_decimal(cost.exact_called_runs_per_month * 12), t.language),
            )
        )
    items.append(Item(t("figure.hours_per_run"), _hours(t, cost.hours_per_run)))
    if c.run.external_hours:
        items.append(
            Item(
                t("figure.external_hours_per_run"),
                _hours(t, to_decimal(cost.exact_external_hours_per_run)),
            )
        )
    items.append(
        Item(
            t("figure.labour_per_run") if has_expenses else t("figure.cost_per_run"),
            money(cost.cost_per_run),
        )
    )
    if has_expenses:
        items.append(Item(t("figure.expenses_per_run"), money(cost.expenses_per_run)))
    days = t("unit.workdays", lead / clock.hours_per_day)
    left_out = [c.refs[s.id] for s in steps if not cost.schedule.in_typical_run(s.id)]
    if left_out:
        numbers = ", ".join(str(ref.number) for ref in left_out)
        days = t("figure.typical_run", days=days, steps=numbers)
    items.append(Item(t("figure.lead_time"), _hours(t, lead), days))
    if ranges is not None:
        items.append(_lead_range(ranges, t, clock))
    if c.per_run_only:
        if cost.annual_expenses:
            items.append(Item(t("figure.fixed_expenses"), money(cost.annual_expenses)))
        return tuple(items)
    items.append(Item(t("figure.annual_hours"), _hours(t, cost.annual_hours)))
    if c.run.external_hours:
        items.append(Item(t("figure.external_hours"), _hours(t, cost.external_hours)))
    if has_expenses:
        items.append(Item(t("figure.annual_labour"), money(cost.annual_cost)))
        items.append(Item(t("figure.annual_expenses"), money(cost.annual_expenses)))
        items.append(
            Item(
                t("figure.annual_total"),
                money(cost.annual_total_cost),
                t(
                    "figure.total_note",
                    labour=money(cost.annual_cost),
                    expenses=money(cost.annual_expenses),
                ),
            )
        )
    else:
        items.append(Item(t("figure.annual_cost"), money(cost.annual_cost)))
    if ranges is not None:
        items.append(_cost_range(ranges, t, cost.currency, total=has_expenses))
    items.append(Item(t("figure.fte"), number_text(cost.fte, 2, t.language)))
    return tuple(items)


def _cost_range(ranges: ProcessRanges, t: Catalogue, currency: str, *, total: bool) -> Item:
    """The annual cost across simulated years: labour and cash when there is cash."""

    def whole(value: Decimal) -> str:
        return whole_money_text(value, currency, t.language)

    return _range_item(
        t,
        t("figure.annual_total_range") if total else t("figure.annual_cost_range"),
        ranges.annual_total_cost if total else ranges.annual_cost,
        whole,
        whole,
        lambda low, high: t("range.years", low=low, high=high),
        t("range.fixed_years"),
    )


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


def _called_note(c: _Context) -> str | None:
    """For a process that also runs when others call it: those runs are costed there."""
    if not c.cost.exact_called_runs_per_month:
        return None
    runs = hours_text(to_decimal(c.cost.exact_called_runs_per_month * 12), c.t.language)
    names = [ref.name for ref in _called_by(c)]
    return c.t("figure.called_note", runs=runs, callers=join_or(names, c.t))


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
