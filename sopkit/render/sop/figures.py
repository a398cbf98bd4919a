"""The SOP's key figures, their ranges and the process's best automation candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ...analysis.candidates import Candidate, rank_candidates
from ...analysis.cost import cost_among_callers
from ...analysis.units import to_decimal
from ...models import Clock, Process, Step
from ..i18n import Catalogue, hours_label, payback_text
from ..numbers import (
    hours_text,
    money_text,
    number_text,
    round_number,
    share_text,
)
from ..totals import tool_paid_text
from .context import Context, execution_order
from .sections import caller_refs
from .views import (
    CandidateView,
    Item,
    StepRef,
)
from .wording import join_or

if TYPE_CHECKING:  # NumPy, which the simulation imports, costs a SOP 0.1 s
    from ...analysis.simulation import ProcessRanges, Range

#: How many automation candidates the key figures list.
TOP_CANDIDATES = 3


def key_figures(
    c: Context, steps: Sequence[Step], ranges: ProcessRanges | None = None
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
    items.append(Item(t("figure.hours_per_run"), hours_label(t, cost.hours_per_run)))
    if c.run.external_hours:
        items.append(
            Item(
                t("figure.external_hours_per_run"),
                hours_label(t, to_decimal(cost.exact_external_hours_per_run)),
            )
        )
    items.append(
        Item(
            t("figure.labour_per_run") if has_expenses else t("figure.cost_per_run"),
            money(cost.cost_per_run),
        )
    )
    if has_expenses:
        # Expenses paid per month, quarter or year are no run's: said beside, so that
        # cash per run × runs is not mistaken for the year's cash costs.
        fixed = cost.fixed_expenses
        note = t("figure.expenses_fixed", amount=money(fixed)) if fixed else None
        items.append(Item(t("figure.expenses_per_run"), money(cost.expenses_per_run), note))
    days = t("unit.workdays", lead / clock.hours_per_day)
    left_out = [c.refs[s.id] for s in steps if not cost.schedule.in_typical_run(s.id)]
    if left_out:
        numbers = ", ".join(str(ref.number) for ref in left_out)
        days = t("figure.typical_run", len(left_out), days=days, steps=numbers)
    items.append(Item(t("figure.lead_time"), hours_label(t, lead), days))
    if ranges is not None:
        items.append(_lead_range(ranges, t, clock))
    if c.per_run_only:
        if cost.annual_expenses:
            items.append(Item(t("figure.fixed_expenses"), money(cost.annual_expenses)))
        return tuple(items)
    items.append(Item(t("figure.annual_hours"), hours_label(t, cost.annual_hours)))
    if c.run.external_hours:
        items.append(Item(t("figure.external_hours"), hours_label(t, cost.external_hours)))
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

    def shown(value: Decimal) -> str:
        return money_text(value, currency, t.language)

    return _range_item(
        t,
        t("figure.annual_total_range") if total else t("figure.annual_cost_range"),
        ranges.annual_total_cost if total else ranges.annual_cost,
        shown,
        shown,
        lambda low, high: t("range.years", low=low, high=high),
        t("range.fixed_years"),
    )


def _lead_range(ranges: ProcessRanges, t: Catalogue, clock: Clock) -> Item:
    """In working days (one decimal) from a day up, otherwise in hours."""
    value, with_unit = ranges.lead_time_hours, lambda v: hours_label(t, round_number(v, 1))
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


def _called_note(c: Context) -> str | None:
    """For a process that also runs when others call it: those runs are costed there."""
    if not c.cost.exact_called_runs_per_month:
        return None
    runs = hours_text(to_decimal(c.cost.exact_called_runs_per_month * 12), c.t.language)
    names = [ref.name for ref in caller_refs(c)]
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
    """ "median 12 working days" with "9 or less in 1 of 10 runs, 17 or more in 1 of 10";
    a figure that never varies (as shown) says so instead."""
    if bare(value.p10) == bare(value.p90):
        return Item(label, with_unit(value.p50), fixed)
    typical = t("range.typical", typical=with_unit(value.p50))
    return Item(label, typical, spread(bare(value.p10), bare(value.p90)))


def candidate_views(c: Context, given: Iterable[Candidate] | None) -> tuple[CandidateView, ...]:
    """This process's best candidates and those of the procedures it runs, whose work is
    costed in its steps that run them: ``sopkit candidates`` of its file lists both."""
    procedures = {p.id: p for p in c.process.procedures}
    ranked = _ranked(c, procedures) if given is None else given
    listed = [
        candidate
        for candidate in ranked
        if (candidate.process_id == c.process.id and candidate.step_id in c.refs)
        or candidate.process_id in procedures
    ][:TOP_CANDIDATES]
    # Where a shared tool is paid for is named from the site's portfolio, or else from
    # this process, and from its procedures (on a site too: one may live outside it).
    known = [p.process for p in c.site.processes] if c.site is not None else [c.process]
    among = (*known, *procedures.values())
    views = []
    for candidate in listed:
        procedure = procedures.get(candidate.process_id)
        step = (
            c.refs[candidate.step_id]
            if procedure is None
            else _procedure_step(procedure, candidate.step_id)
        )
        views.append(
            CandidateView(
                step=step,
                owner=candidate.owner,
                share=share_text(candidate.share, c.t.language),
                tool=candidate.tool,
                net_saving=c.money(candidate.net_saving),
                payback=payback_text(candidate.payback_months, c.t),
                tool_paid=tool_paid_text(candidate, among, c.t),
                procedure=None if procedure is None else c.process_ref(procedure),
                where="" if procedure is None else _where(c, procedure, step),
            )
        )
    return tuple(views)


def _ranked(c: Context, procedures: Mapping[str, Process]) -> list[Candidate]:
    """The candidates ranked here when none are given: those of the procedures too, at
    this process's runs, as ``sopkit sop`` ranks them (a site's own figures on a site)."""
    cost = c.cost
    if not procedures:
        return rank_candidates([cost])
    if c.site is not None:
        return rank_candidates([cost, *(p for p in c.site.processes if p.id in procedures)])
    if cost.called_by and not c.callers:
        # Costed among callers it was not given: costed again, it would lose their runs.
        return rank_candidates([cost])
    return rank_candidates(cost_among_callers((c.process, *c.callers), procedures=True))


def _procedure_step(procedure: Process, step_id: str) -> StepRef:
    """A procedure's step, numbered as the procedure's own SOP numbers it."""
    number = next(n for n, s in enumerate(execution_order(procedure), start=1) if s.id == step_id)
    return StepRef(number, step_id, procedure.step(step_id).name)


def _where(c: Context, procedure: Process, step: StepRef) -> str:
    """``“Review” in Feature write-up, run at step 4. Feature write-ups``: the step of
    this process that runs the procedure, itself or through another procedure."""
    via = next(
        ref
        for ref in sorted(c.refs.values(), key=lambda r: r.number)
        if (called := c.process.step(ref.id).process) is not None
        and (
            called == procedure.id
            or any(p.id == procedure.id for p in c.process.callees[called].procedures)
        )
    )
    return c.t(
        "candidate.procedure_step",
        step=step.name,
        process=procedure.name,
        via=f"{via.number}. {via.name}",
    )
