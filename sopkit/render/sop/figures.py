"""The SOP's key figures, their ranges and the process's best automation candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ...analysis.candidates import Candidate, rank_candidates
from ...analysis.cost import PortfolioCost, ProcessCost
from ...analysis.units import to_decimal
from ...models import Clock, Step
from ..i18n import Catalogue, hours_label, payback_text
from ..numbers import (
    hours_text,
    money_text,
    number_text,
    round_number,
    share_text,
)
from ..totals import tool_paid_text
from .context import Context, Money
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


def candidate_views(
    cost: ProcessCost,
    given: Iterable[Candidate] | None,
    refs: dict[str, StepRef],
    t: Catalogue,
    money: Money,
    site: PortfolioCost | None = None,
) -> tuple[CandidateView, ...]:
    # Where a shared tool is paid for is named from the site's portfolio, or this
    # process's own steps outside a site (ranked alone, it knows no other).
    among = site or PortfolioCost(cost.process.settings.currency, cost.process.settings, (cost,))
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
                tool_paid=tool_paid_text(candidate, among, t),
            )
        )
    return tuple(views)
