"""Automation candidates: what automating a step would save, and when it pays back.

Savings follow the format's definitions: gross = annual cost × share; net =
gross − yearly tool cost; setup cost = setup hours × the owner's rate; payback
in months = setup ÷ (net ÷ 12); first-year ROI % = (gross − tool − setup) × 100
÷ (tool + setup), the same shape as ROI = (revenue − cost) × 100 ÷ cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from ..errors import UsageError
from .cost import ProcessCost, StepCost, fte
from .given import Costable, as_costs
from .units import MONTHS, exact_hours, to_decimal

__all__ = [
    "Candidate",
    "Unassessed",
    "candidate_for",
    "first_year_roi",
    "own_candidates",
    "payback",
    "rank_candidates",
    "unassessed_steps",
]

#: How many steps without an automation estimate the reports point at.
UNASSESSED_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """One step worth automating, with what it saves and what it costs."""

    process_id: str
    step_id: str
    name: str
    owner: str
    share: Decimal
    tool: str | None
    annual_cost: Decimal
    annual_hours: Decimal
    gross_saving: Decimal
    tool_cost: Decimal
    net_saving: Decimal
    setup_hours: Decimal
    setup_cost: Decimal
    #: ``None`` when it never pays back: the net saving is zero or below while
    #: something was invested (a tool that costs more than it saves).
    payback_months: Decimal | None
    #: ``None`` when there is nothing invested (no tool cost, no setup).
    roi_percent: Decimal | None
    hours_saved: Decimal
    fte_freed: Decimal
    #: The owner's hourly rate, which prices the setup hours.
    rate: Decimal = Decimal(0)
    exact_net_saving: Fraction = field(default=Fraction(0), repr=False)
    #: Other candidates (``process/step``) whose automation names the same tool with a
    #: cost, when this one names it at none: the tool is paid for there, and automating
    #: this step alone may mean buying it (found by ``rank_candidates``, over what it ranks).
    tool_paid_by: tuple[str, ...] = ()


def candidate_for(process: ProcessCost, step_cost: StepCost) -> Candidate | None:
    """The candidate for one step, or ``None`` when it has no automation share.

    A step of a process that others run is costed over all its executions:
    the process's own runs and the runs its callers make.
    """
    step = process.process.step(step_cost.step_id)
    automation = step.automation
    if automation is None or automation.share <= 0 or step.owner is None:
        return None
    settings = process.process.settings
    runs_per_year = process.exact_total_runs_per_month * MONTHS
    annual_cost = step_cost.exact_cost_per_run * runs_per_year
    annual_hours = step_cost.exact_hours_per_run * runs_per_year
    share = Fraction(automation.share)
    tool_cost = Fraction(automation.tool_cost)
    gross = annual_cost * share
    net = gross - tool_cost
    setup_hours = exact_hours(automation.setup, settings.clock)
    setup_cost = setup_hours * Fraction(step_cost.rate)
    hours_saved = annual_hours * share
    months = payback(setup_cost, net)
    roi = first_year_roi(gross, tool_cost, setup_cost)
    return Candidate(
        process_id=process.id,
        step_id=step.id,
        name=step.name,
        owner=step.owner,
        share=automation.share,
        tool=automation.tool,
        annual_cost=to_decimal(annual_cost),
        annual_hours=to_decimal(annual_hours),
        gross_saving=to_decimal(gross),
        tool_cost=automation.tool_cost,
        net_saving=to_decimal(net),
        setup_hours=to_decimal(setup_hours),
        setup_cost=to_decimal(setup_cost),
        payback_months=None if months is None else to_decimal(months),
        roi_percent=None if roi is None else to_decimal(roi),
        hours_saved=to_decimal(hours_saved),
        fte_freed=fte(hours_saved, settings),
        rate=step_cost.rate,
        exact_net_saving=net,
    )


def payback(setup_cost: Fraction, net: Fraction) -> Fraction | None:
    """Months until the setup is earned back; ``None`` when it never is."""
    if setup_cost == 0 and net >= 0:
        return Fraction(0)
    if net <= 0:
        return None
    return setup_cost / (net / MONTHS)


def first_year_roi(gross: Fraction, tool_cost: Fraction, setup_cost: Fraction) -> Fraction | None:
    """(gross − tool − setup) × 100 ÷ (tool + setup), in percent: what the first year
    returns on what it lays out; ``None`` when nothing is laid out (no tool, no setup).
    A candidate and a whole scenario (``ScenarioResult``) share it, so the two read alike."""
    invested = tool_cost + setup_cost
    if invested == 0:
        return None
    return (gross - invested) * 100 / invested


def own_candidates(process: ProcessCost) -> tuple[Candidate, ...]:
    """The process's candidates in step order, found once per costed process."""
    found = process.found_candidates
    if found is None:
        found = tuple(
            candidate
            for step_cost in process.steps
            if (candidate := candidate_for(process, step_cost)) is not None
        )
        object.__setattr__(process, "found_candidates", found)  # frozen: filled once
    return found


def rank_candidates(
    costs: Costable,
    *,
    top: int | None = None,
    min_saving: Decimal | None = None,
) -> list[Candidate]:
    """Steps with an automation share, highest net saving first; ties by process, then step.

    ``costs`` may be the processes themselves (a ``Portfolio``), costed together.

    Raises:
        UsageError: ``top`` below 0.
    """
    if top is not None and top < 0:
        raise UsageError(f"top must be 0 or more, not {top}", hint="None keeps every candidate")
    processes = as_costs(costs).processes
    found = _with_shared_tools(
        [candidate for process in processes for candidate in own_candidates(process)]
    )
    if min_saving is not None:
        found = [c for c in found if c.exact_net_saving >= Fraction(min_saving)]
    found.sort(key=lambda c: (-c.exact_net_saving, c.process_id, c.step_id))
    return found if top is None else found[:top]


def _with_shared_tools(found: list[Candidate]) -> list[Candidate]:
    """Each candidate whose tool costs nothing, told where else that tool is paid for.

    A tool one licence serves (a team's ChatGPT seat, one Customer.io account) is
    written with its cost on one step; the others show no tool cost and pay back
    "immediately", which holds only while that step's automation keeps the tool.
    """
    paid: dict[str, list[str]] = {}
    for candidate in found:
        if candidate.tool and candidate.tool_cost > 0:
            paid.setdefault(_tool_key(candidate.tool), []).append(
                f"{candidate.process_id}/{candidate.step_id}"
            )
    return [
        replace(candidate, tool_paid_by=tuple(paid[key]))
        if candidate.tool
        and candidate.tool_cost == 0
        and (key := _tool_key(candidate.tool)) in paid
        else candidate
        for candidate in found
    ]


def _tool_key(tool: str) -> str:
    """One tool however its name is spaced or cased (``ChatGPT Team``, ``chatgpt team``)."""
    return " ".join(tool.casefold().split())


@dataclass(frozen=True, slots=True)
class Unassessed:
    """A step that costs labour and has no automation estimate yet.

    Candidates rank only the steps a team has estimated; the costliest of the
    others are where an estimate is most worth making, so the reports point at them.
    """

    process_id: str
    step_id: str
    name: str
    owner: str
    annual_cost: Decimal
    #: Of the portfolio's annual labour cost (0..1); ``None`` when the portfolio counts
    #: none (a procedure's file alone: its steps are costed at its callers' runs).
    share_of_labour: Decimal | None
    exact_annual_cost: Fraction = field(default=Fraction(0), repr=False)


def unassessed_steps(costs: Costable, *, top: int = UNASSESSED_SHOWN) -> list[Unassessed]:
    """The ``top`` costliest steps with labour cost and no ``automation`` field, costliest
    first (ties by process, then step).

    A step with ``automation`` of any share (``0`` included: someone decided) is
    assessed. Milestones, calls (their procedure's own steps are listed instead)
    and steps that cost nothing (an unpaid outside party, a system) are not work a
    tool could take over from the team. A step of a process others run is costed
    over all its executions, as its candidate would be.
    """
    portfolio = as_costs(costs)
    labour = portfolio.exact_annual_cost
    found = []
    for process in portfolio.processes:
        runs_per_year = process.exact_total_runs_per_month * MONTHS
        for step_cost in process.steps:
            step = process.process.step(step_cost.step_id)
            if step.automation is not None or step.milestone or step.is_call or not step.owner:
                continue
            annual = step_cost.exact_cost_per_run * runs_per_year
            if annual <= 0:
                continue
            found.append(
                Unassessed(
                    process_id=process.id,
                    step_id=step.id,
                    name=step.name,
                    owner=step.owner,
                    annual_cost=to_decimal(annual),
                    share_of_labour=to_decimal(annual / labour) if labour > 0 else None,
                    exact_annual_cost=annual,
                )
            )
    found.sort(key=lambda u: (-u.exact_annual_cost, u.process_id, u.step_id))
    return found[:top]
