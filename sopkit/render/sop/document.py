"""SOP documents: one costed process as Markdown or as one self-contained HTML page.

Rendering has two halves. ``sop_document`` turns a ``ProcessCost`` into a
``SopDocument`` (``views``): every figure rounded and formatted for the
process's language and currency, every label taken from the translation
catalogue, steps numbered in execution order. This module builds the header,
roles, tools and steps; ``sections`` the conditions, sign-offs, cash costs
and callers, ``figures`` the key figures and candidates, ``diagram`` the
picture, all from one ``context.Context``. The Jinja templates (package data,
``sopkit/templates``) only lay that out, so a team's own template never does
arithmetic.

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

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ...analysis.candidates import Candidate, candidate_for
from ...analysis.cost import PortfolioCost, ProcessCost
from ...analysis.given import as_process_cost
from ...analysis.inputs import can_meet, input_sources
from ...analysis.profile import profile
from ...analysis.schedule import schedule
from ...analysis.units import exact_hours, expected_hours, to_decimal
from ...errors import UsageError
from ...models import Clock, Estimate, Process, RoleKind, Step
from ..i18n import Catalogue, catalogue, hours_column, hours_label, span_label
from ..numbers import DASH, hours_text, minutes, share_text
from .context import Context, Money, execution_order
from .diagram import diagram_for
from .figures import TOP_CANDIDATES, candidate_views, key_figures
from .sections import caller_refs, condition_views, expense_views, signoff_views
from .templates import render_template
from .views import (
    AnswerView,
    CallView,
    CandidateView,
    ConditionView,
    Diagram,
    DiagramPage,
    ExpenseView,
    InputView,
    Item,
    ProcessRef,
    RoleView,
    SignoffView,
    SopDocument,
    StepRef,
    StepView,
    ToolView,
)
from .wording import (
    condition_text,
    count_text,
    due_text,
    join_or,
    kind_label,
    participants_text,
    rework_text,
    wait_text,
    when_text,
)

if TYPE_CHECKING:  # NumPy, which the simulation imports, costs a SOP 0.1 s
    from ...analysis.simulation import Simulation

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
    "InputView",
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


# --- public entry points ---------------------------------------------------------------


def render_sop(
    cost: ProcessCost | Process,
    *,
    fmt: str = "markdown",
    template_dir: Path | None = None,
    candidates: Iterable[Candidate] | None = None,
    diagram: bool = True,
    ranges: Simulation | None = None,
    links: Mapping[str, str] | None = None,
    site: PortfolioCost | None = None,
    callers: Sequence[Process] = (),
    home: str | None = None,
    checklist: str | None = None,
) -> str:
    """The SOP of one costed process as Markdown or self-contained HTML.

    Args:
        cost: the process and its costs, from ``cost_process`` (or one process
            of ``cost_portfolio``, which also knows who runs it); a ``Process``
            is costed alone.
        fmt: ``"markdown"`` (GitHub and MkDocs, diagram as Mermaid) or ``"html"``
            (one file: inline CSS and SVG, print stylesheet).
        template_dir: a folder of team templates searched before the defaults.
        candidates: ranked automation candidates to list (e.g. the portfolio's);
            only this process's and those of the procedures it runs are shown, the
            best ``TOP_CANDIDATES``. By default they are ranked here: the
            procedures costed with it and ``callers``, at its runs (``site``'s own
            figures on a site), as ``sopkit sop`` and ``sopkit candidates`` rank them.
        diagram: ``False`` leaves the diagram out; the document says so.
        ranges: a simulation that holds this process: its lead time and annual
            cost ranges join the key figures ("median 12 days, 9 or less in
            1 of 10 runs, 17 or more in 1 of 10").
        links: called process id → its page (a relative URL), so the diagram's
            calls link to the SOPs of the processes they run (``sopkit build``).
        site: the costed portfolio when this SOP is one page of a site whose
            SOPs sit side by side (``<id>.html``, ``<id>.md``): processes it runs
            or is run by are linked there. Without it, a called process is
            named with its file.
        callers: the processes that run this one, costed with it (``cost`` is then
            one process of their ``cost_portfolio``), named with their files in
            a SOP outside a site (``callers_of`` finds them beside its file).
        home: the site's dashboard, relative to this page (``../index.html``):
            an HTML SOP then starts with a link back to it.
        checklist: the process's HTML run checklist, relative to this page
            (``<id>.checklist.html`` in a site): an HTML SOP then links to it at
            the top, so whoever runs the process finds the list to tick.

    Raises:
        SopkitError: for an unknown format, a missing template folder, a
            template that fails (``RenderError``, located in the template), or a
            process too large for a legible diagram (unless ``diagram=False``).
    """
    name = _template_name(fmt)
    cost = as_process_cost(cost)
    document = sop_document(
        cost,
        candidates=candidates,
        fmt=fmt,
        diagram=diagram,
        ranges=ranges,
        links=links,
        site=site,
        callers=callers,
        home=home,
        checklist=checklist,
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
    callers: Sequence[Process] = (),
    home: str | None = None,
    checklist: str | None = None,
) -> SopDocument:
    """The SOP's content, formatted: what ``render_sop`` hands to the template.

    ``fmt`` decides the diagram: ``"html"`` draws the swimlanes as inline SVG,
    with printed pages for A4/Letter landscape (Mermaid source if it cannot be
    drawn); ``"markdown"`` gives the Mermaid source; ``diagram=False`` gives
    none, and a note saying it was left out.
    ``site``, ``callers``, ``home`` and ``checklist`` are as for ``render_sop``.
    """
    process = cost.process
    t = catalogue(process.language.value)
    money = Money(cost.currency, t.language)
    steps = execution_order(process)
    refs = {step.id: StepRef(n, step.id, step.name) for n, step in enumerate(steps, start=1)}
    context = Context(cost, t, money, refs, fmt, site, callers)
    # Mark the critical path only where it says something: when some steps are off it.
    branched = len(cost.schedule.critical_path) < len(steps)
    simulated = None
    if ranges is not None:
        simulated = next((r for r in ranges.processes if r.process_id == process.id), None)
    expenses, expense_total = expense_views(context, steps)
    views = tuple(_step_view(context, step, branched) for step in steps)
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
        steps=views,
        diagram=(
            # a site's Markdown SOP has its diagram's SVG beside it
            diagram_for(cost, fmt, links or {}, t, None if site is None else f"{process.id}.svg")
            if diagram
            else Diagram(None, None, t("diagram.omitted"))
        ),
        figures=key_figures(context, steps, simulated),
        candidates=candidate_views(context, candidates),
        footer=_footer(process, t),
        figures_note=None
        if simulated is None or ranges is None
        else t(
            "range.note",
            years=hours_text(Decimal(ranges.years), t.language, 0),
            seed=ranges.seed,
        ),
        conditions=condition_views(process, steps, refs, t),
        signoffs=signoff_views(process, steps, refs, t),
        expenses=expenses,
        expense_total=expense_total,
        called_by=caller_refs(context),
        per_run_only=context.per_run_only,
        home=home if fmt == "html" else None,
        # The badge is on the steps, well before the diagram's legend explains it.
        critical_note=t("procedure.critical_note") if any(v.critical for v in views) else None,
        checklist=checklist if fmt == "html" else None,
    )


# --- building the document ------------------------------------------------------------


def _template_name(fmt: str) -> str:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown SOP format '{fmt}'", hint="use one of: " + ", ".join(FORMATS)
        ) from None


def _header(process: Process, t: Catalogue) -> tuple[Item, ...]:
    items = [Item(t("field.process_owner"), process.owner)]
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
    c: Context,
    hours: Decimal,
    external: Decimal,
    labour: Decimal,
    expenses: Decimal,
) -> str:
    """``12 h · $480.00``, with hours outside the team and cash costs when there are any."""
    t, money = c.t, c.money
    hours_part = hours_label(t, hours)
    if external and not hours:  # only outside parties work on it
        hours_part = t("role.external_hours", hours=hours_label(t, external))
    elif external:
        hours_part = t("step.hours_external", hours=hours_part, external=hours_label(t, external))
    cost_part = money(labour)
    if expenses:
        cost_part = t(
            "step.cost_expenses",
            labour=money(labour),
            expenses=money(expenses),
            total=money(labour + expenses),
        )
    return t("step.annual", hours=hours_part, cost=cost_part)


def _roles(c: Context) -> tuple[RoleView, ...]:
    settings = c.process.settings
    t = c.t
    per_run = {role: tally for role, tally in c.run.roles.items()}
    roles = c.cost.by_role()
    if c.per_run_only:  # its year is zero: costliest first by what one run takes
        roles = tuple(sorted(roles, key=lambda role: -per_run[role.role].cost))
    worked: dict[str, Decimal] = {}  # hours of the team's own staff, or outside it
    costs: list[str] = []
    for role in roles:
        if c.per_run_only:
            tally = per_run[role.role]
            hours, external, money_ = tally.hours, tally.external_hours, tally.cost
        else:
            hours, external, money_ = (
                role.exact_annual_hours,
                role.exact_external_hours,
                role.exact_annual_cost,
            )
        if role.kind is RoleKind.SYSTEM:  # its work is no one's hours or pay
            costs.append(DASH)
            continue
        worked[role.role] = to_decimal(external if role.kind is RoleKind.EXTERNAL else hours)
        costs.append(c.money(to_decimal(money_)))
    # One unit down the column: 1.41 h beside 0.8 h, not beside 48 min.
    shown = dict(zip(worked, hours_column(t, list(worked.values())), strict=True))
    views = []
    for role, cost_text in zip(roles, costs, strict=True):
        known = settings.roles.get(role.role)
        if role.kind is RoleKind.SYSTEM:
            hours_text_ = DASH
        elif role.kind is RoleKind.EXTERNAL:
            hours_text_ = t("role.external_hours", hours=shown[role.role])
        else:
            hours_text_ = shown[role.role]
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


def _step_view(c: Context, step: Step, mark_critical: bool) -> StepView:
    cost, t, money, refs = c.cost, c.t, c.money, c.refs
    clock = cost.process.settings.clock
    wait = wait_text(step, clock, t)
    kind = "milestone" if step.milestone else "call" if step.is_call else "work"
    call = _call_view(c, step) if step.is_call else None
    time = ""
    if step.time is not None:
        time = _estimate_text(step.time, clock, t)
    elif call is not None:
        callee = cost.process.callees[step.process or ""]
        time = t("call.time", hours=span_label(t, schedule(callee).lead_time_hours, clock))
    owner_role = cost.process.role(step.owner) if step.owner is not None else None
    return StepView(
        number=refs[step.id].number,
        id=step.id,
        name=step.name,
        owner=step.owner or "",
        time=time,
        wait=wait,
        inputs=tuple(sorted((refs[i] for i in set(step.after) if i in refs), key=_number)),
        done_when=step.done_when,
        instructions=tuple(step.instructions),
        do=tuple(step.do),
        dont=tuple(step.dont),
        tools=tuple(dict.fromkeys(step.tools)),
        repeats=_repeats(c, step),
        rework=rework_text(step, refs, t),
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
        due=due_text(cost.process, step, t),
        inputs_from=_inputs_from(c, step),
    )


def _inputs_from(c: Context, step: Step) -> tuple[InputView, ...]:
    """The steps ``step`` waits for, each conditional one with its condition (one done by
    chance with its share of runs) and the steps its own inputs come from when it is
    skipped (``Inputs from: 6. Legal check (only when: …; otherwise 5. Graphics)``):
    ``input_sources`` says which, in the steps' order as the reader finds them."""
    process, refs = c.process, c.refs
    views: list[InputView] = []
    for source in sorted(input_sources(process, step), key=lambda s: refs[s.step_id].number):
        ref = refs[source.step_id]
        if source.always:
            views.append(InputView(ref))
            continue
        before = process.step(source.step_id)
        otherwise = tuple(sorted((refs[i] for i in source.otherwise), key=_number))
        views.append(
            InputView(ref, condition_text(process, before, c.t), otherwise, _chance(before, c.t))
        )
    return tuple(views)


def _chance(step: Step, t: Catalogue) -> str | None:
    """``in 20% of runs`` for a step done in only some runs by chance (``per_run`` below
    1), ``in 20% of those runs`` when a condition already narrows them; ``None`` for one
    done in every run it has."""
    if step.per_run >= 1:
        return None
    share = share_text(to_decimal(step.per_run), t.language)
    if step.when:
        return t("inputs.chance_when", share=share)
    return t("inputs.chance", share=share)


def _step_figures(c: Context, step: Step) -> str:
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


def _call_view(c: Context, step: Step) -> CallView:
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
    """``1.5–3 h, expected 2.25 h``; in minutes under an hour (``20–45 min, expected
    33 min``), and each end in its own unit when the range crosses the hour."""
    expected = to_decimal(expected_hours(estimate, clock))
    if not estimate.is_range:
        return hours_label(t, expected)
    low = to_decimal(exact_hours(estimate.low, clock))
    high = to_decimal(exact_hours(estimate.high, clock))
    if high < 1:
        return t(
            "time.range_minutes",
            low=hours_text(minutes(low), t.language),
            high=hours_text(minutes(high), t.language),
            expected=hours_text(minutes(expected), t.language),
        )
    if low < 1:
        return t(
            "time.range_mixed",
            low=hours_label(t, low),
            high=hours_label(t, high),
            expected=hours_label(t, expected),
        )
    return t(
        "time.range",
        low=hours_text(low, t.language),
        high=hours_text(high, t.language),
        expected=hours_text(expected, t.language),
    )


def _repeats(c: Context, step: Step) -> str | None:
    """How often the step is done, said so that it reads as a fact and not an instruction.

    A bare "1.43 times per run" left a newcomer asking whether to write a draft once or
    twice: the figure is an average that rework makes, so the text says where it comes
    from. ``per_run`` is said as it stands (the checklist's figure, which ticks a box
    once however often the work went back); rework passes as the steps that send the work
    back and the average they make; a condition as its question and answer, since the
    step's "only when" line already gives its share of runs.

    A milestone has none: it is an event that is ticked off when it happens, not work
    that is done again ("Done again when step 4 sends the work back" read as if the
    launch day itself were redone).
    """
    if step.milestone:
        return None
    t = c.t
    chance = c.runs.chance[step.id]
    passes = to_decimal(c.runs.executions[step.id] / chance)
    per_run = to_decimal(step.per_run)
    if passes == per_run == 1:  # half the runs done twice over is once a run too, not this
        return None
    when = when_text(c.process, step, t)
    senders = _senders(c, step) if per_run and passes != per_run else ()
    if not senders:
        if per_run < 1:
            if when:
                return t("repeats.share_when", share=share_text(per_run, t.language), when=when)
            return t("repeats.share", share=share_text(per_run, t.language))
        return t("repeats.times_when", per_run, when=when) if when else t("repeats.times", per_run)
    said = join_or(list(senders), t)
    if per_run == 1:
        if when:
            return t("repeats.rework_when", passes, senders=said, when=when)
        return t("repeats.rework", passes, senders=said)
    if per_run < 1:
        share = share_text(per_run, t.language)
        if when:
            return t("repeats.share_rework_when", passes, share=share, senders=said, when=when)
        return t("repeats.share_rework", passes, share=share, senders=said)
    count = t("repeats.count", per_run)
    if when:
        return t("repeats.times_rework_when", passes, count=count, senders=said, when=when)
    return t("repeats.times_rework", passes, count=count, senders=said)


def _senders(c: Context, step: Step) -> tuple[str, ...]:
    """``step 10``, ``this step``: the steps whose rework brings ``step`` round again, in
    the order they are done, leaving out any that never runs where ``step`` does."""
    found: dict[str, None] = {}
    for loop in c.runs.loops[step.id]:
        if can_meet(step.when, c.process.step(loop.step).when):
            found[loop.step] = None
    refs = sorted((c.refs[i] for i in found if i in c.refs), key=_number)
    return tuple(
        c.t("repeats.this_step") if ref.id == step.id else c.t("repeats.step", number=ref.number)
        for ref in refs
    )


def _automation_note(cost: ProcessCost, step: Step, t: Catalogue, money: Money) -> str | None:
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
