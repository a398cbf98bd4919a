"""Explain one step's annual cost so a finance reviewer can audit it.

``explain_step`` returns plain text: the formula with its numbers substituted,
then where each factor came from (the PERT mean of which estimate, ``per_run``
× which rework loops, how the frequency converts, which file gave the rate),
then the automation figures if the step has any. The factors are shown rounded
while the result is computed from unrounded values; when multiplying the
rounded factors would give a different figure, the text says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ...analysis import Candidate, Costable, PortfolioCost, ProcessCost, StepCost, candidate_for
from ...analysis.profile import RoleTally, expected_count, profile
from ...analysis.runs import runs_of, satisfies, typical_answers
from ...analysis.schedule import schedule as _schedule
from ...analysis.units import MONTHS, exact_hours, to_decimal
from ...errors import UsageError
from ...models import (
    Clock,
    Duration,
    Estimate,
    ExpensePeriod,
    Period,
    Process,
    RoleKind,
    Step,
)
from ...suggest import closest
from ..i18n import catalogue, payback_text
from ..labels import padded, text_width
from ..numbers import (
    DASH,
    counted,
    hours_text,
    listed,
    money_text,
    number_text,
    percent_text,
    rate_text,
    round_money,
    round_number,
    share_text,
)
from .explain_role import defined_role, explain_role
from .runs_text import exact_text, executions_lines, when_lines
from .tables import ensure_costs

__all__ = ["explain_figures", "explain_step", "explains_role", "find_step"]


def find_step(costs: PortfolioCost, ref: str) -> tuple[ProcessCost, StepCost]:
    """The step named ``STEP_ID`` or ``PROCESS_ID/STEP_ID``.

    Raises:
        UsageError: when no step has that id, or a bare id is in several processes.
    """
    process_id, _, step_id = ref.rpartition("/")
    processes = costs.processes
    if process_id:
        processes = tuple(p for p in processes if p.id == process_id)
        if not processes:
            known = ", ".join(p.id for p in costs.processes)
            near = closest(process_id, [p.id for p in costs.processes])
            hint = f"did you mean '{near}'? " if near else ""
            raise UsageError(f"no process '{process_id}'", hint=f"{hint}processes here: {known}")
    found = [(p, s) for p in processes for s in p.steps if s.step_id == step_id]
    if len(found) == 1:
        return found[0]
    if not found:
        ids = [
            f"{p.id}/{s.step_id}" if len(costs.processes) > 1 else s.step_id
            for p in processes
            for s in p.steps
        ]
        shown = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")
        near = closest(step_id, [s.step_id for p in processes for s in p.steps])
        hint = f"did you mean '{near}'? " if near else ""
        raise UsageError(f"no step '{ref}'", hint=f"{hint}steps here: {shown}")
    where = ", ".join(f"{p.id}/{step_id}" for p, _ in found)
    raise UsageError(
        f"step '{step_id}' is in several processes",
        hint=f"name the process too: {where}",
    )


def explain_figures(
    source: Costable, ref: str, *, beside: Mapping[str, Sequence[str]] | None = None
) -> str:
    """``sopkit cost --explain``: a step's figures (``STEP_ID`` or ``PROCESS_ID/STEP_ID``,
    see ``explain_step``), or a role's by its name (``explain_role``, with ``beside``).

    A step whose id is also a role's name is the step.

    Raises:
        UsageError: no step and no role by that name (a role's near name is offered).
    """
    costs = ensure_costs(source)
    if explains_role(costs, ref):
        return explain_role(costs, ref, beside=beside)  # one on no step says so
    steps = {s.step_id for p in costs.processes for s in p.steps}
    roles = [r.role for r in costs.roles]
    try:
        return explain_step(costs, ref)
    except UsageError:
        role = None if "/" in ref else _role_meant(ref, roles)
        if role is None:
            raise
        step = closest(ref, sorted(steps))
        either = f"the step '{step}' or " if step else ""
        raise UsageError(
            f"no step or role '{ref}'", hint=f"did you mean {either}the role '{role}'?"
        ) from None


def explains_role(source: Costable, ref: str) -> bool:
    """Whether ``explain_figures`` explains ``ref`` as a role, not a step: only a role's
    figures name the files beside (``beside``), which the caller reads only then.

    A step's id comes first; a role defined in a roles file but on no step is a role.
    """
    if "/" in ref:
        return False
    costs = ensure_costs(source)
    steps = {s.step_id for p in costs.processes for s in p.steps}
    if ref not in steps:
        return ref in {r.role for r in costs.roles} or defined_role(costs, ref)
    try:
        find_step(costs, ref)
    except UsageError:
        return defined_role(costs, ref)  # a step id of several processes, and a role's name
    return False


def _role_meant(ref: str, roles: list[str]) -> str | None:
    """The role ``ref`` is near, or the one role whose name holds it ("Writer")."""
    near = closest(ref, roles)
    if near is not None:
        return near
    holding = [role for role in roles if ref.strip().casefold() in role.casefold()]
    return holding[0] if len(holding) == 1 and ref.strip() else None


def explain_step(source: Costable, ref: str) -> str:
    """How one step's annual hours and cost were computed, as plain text.

    Every factor of the format's additions is traced with the numbers that
    made it: each participant of joint work (role, count, kind, rate, hours,
    cost), the conditions a step runs under and their shares, the sum over
    answers when a condition decides whether a rework loop is live, a called
    process (its ``count``, the runs it makes and one run's breakdown by
    role), cash costs (the step's and the process's) and roles that are
    external or systems. A milestone costs nothing and says so.

    Args:
        source: loaded processes or a ``PortfolioCost``.
        ref: ``STEP_ID``, or ``PROCESS_ID/STEP_ID`` when several processes are costed.
    """
    costs = ensure_costs(source)
    process_cost, cost = find_step(costs, ref)
    process = process_cost.process
    step = process.step(cost.step_id)
    currency = process.settings.currency
    where = f"Process: {process.name} ({process.source_path or process.id})."
    lines = [f"{process.id}/{step.id}: {step.name}"]
    if step.milestone:
        owner = f" Owner: {step.owner}." if step.owner else ""
        lines += [
            f"A milestone: an event, not work.{owner} {where}",
            "",
            "It costs nothing: no time of its own, so no hours, no labour and no cash costs.",
        ]
        lines += _condition_lines(process, step, cost)
    elif step.is_call:
        lines += [f"Runs the process '{step.process}': no owner or time of its own. {where}", ""]
        lines += _call_lines(process_cost, step, cost, currency)
    else:
        lines += [f"Owner: {step.owner}{_kind_note(process, step.owner)}. {where}", ""]
        if _alone(process, step):
            lines += _cost_lines(process, step, cost, currency)
        else:
            lines += _participant_lines(process, step, cost, currency)
        lines += [
            "",
            "Where each factor comes from:",
            *_factor_lines(process, step, cost, currency),
            "",
            *_hours_lines(process, step, cost),
        ]
    if step.expense is not None:
        lines += ["", *_expense_lines(step, cost, currency)]
    lines += _called_only_lines(process_cost, cost, currency)
    candidate = candidate_for(process_cost, cost)
    if candidate is not None:
        lines += ["", *_automation_lines(candidate, step, currency)]
    if process_cost.expense_lines:
        lines += ["", *_process_expense_lines(process_cost, currency)]
    lines += ["", *_lead_time_lines(process_cost, step)]
    return "\n".join(lines) + "\n"


def _alone(process: Process, step: Step) -> bool:
    """Done by its owner alone, a staff role: the one-line formula of format version 1."""
    role = process.role(step.owner) if step.owner else None
    return not step.participants and (role is None or role.kind is RoleKind.STAFF)


def _kind_note(process: Process, name: str | None) -> str:
    role = process.role(name) if name else None
    if role is None or role.kind is RoleKind.STAFF:
        return ""
    if role.kind is RoleKind.SYSTEM:
        return " (a system role: the work is already automated)"
    return " (an external party: its hours are not the team's)"


# --- the formula ------------------------------------------------------------------------


def _shown(cost: StepCost, currency: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The factors as displayed: hours, executions and runs to 2 decimals, rate to the cent."""
    return (
        round_number(cost.hours_per_execution, 2),
        round_number(cost.executions_per_run, 2),
        round_number(cost.runs_per_month, 2),
        round_money(cost.rate, currency),
    )


def _cost_lines(process: Process, step: Step, cost: StepCost, currency: str) -> list[str]:
    hours, executions, runs, rate = _shown(cost, currency)
    formula = (
        f"{hours_text(hours)} h × {number_text(executions)} exec × "
        f"{number_text(runs)} runs/month × {rate_text(rate, currency)}/h × 12"
    )
    lines = [
        "Annual cost = hours per execution × executions per run × runs per month × rate × 12",
        f"            = {formula} = {money_text(cost.annual_cost, currency)}",
    ]
    return lines + _rounding_note(hours * executions * runs * rate * MONTHS, cost, currency)


def _rounding_note(from_shown: Decimal, cost: StepCost, currency: str) -> list[str]:
    """The line saying the factors as shown multiply to another cost, when they do."""
    if round_money(from_shown, currency) == round_money(cost.annual_cost, currency):
        return []
    return [
        "            (the factors are shown rounded; the cost is computed from unrounded "
        f"values: the rounded factors would give {money_text(from_shown, currency)})"
    ]


def _hours_lines(process: Process, step: Step, cost: StepCost) -> list[str]:
    hours, executions, runs, _ = _shown(cost, process.settings.currency)
    settings = process.settings
    factors = (
        f"{hours_text(hours)} h × {number_text(executions)} exec × "
        f"{number_text(runs)} runs/month × 12"
    )
    if _alone(process, step):
        lines = [f"Annual hours = {factors} = {number_text(cost.annual_hours)} h"]
        from_shown = hours * executions * runs * MONTHS
        if round_number(from_shown, 2) != round_number(cost.annual_hours, 2):
            lines.append(
                "             (computed from unrounded values; the rounded factors would give "
                f"{number_text(from_shown)} h)"
            )
    else:
        staff = sum((p.count for p in cost.participants if p.kind is RoleKind.STAFF), Decimal(0))
        outside = sum(
            (p.count for p in cost.participants if p.kind is RoleKind.EXTERNAL), Decimal(0)
        )
        lines = [
            f"Annual hours (the team's) = {factors} × {_plain(staff)} staff "
            f"{'person' if staff == 1 else 'people'} = {number_text(cost.annual_hours)} h"
            if staff
            else "Annual hours (the team's) = 0 h: nobody of the team works on it"
        ]
        if outside:
            lines.append(
                f"Hours outside the team = {factors} × {_plain(outside)} external "
                f"{'person' if outside == 1 else 'people'} = {number_text(cost.external_hours)} h "
                "(not in annual hours or FTE)"
            )
        if any(p.kind is RoleKind.SYSTEM for p in cost.participants):
            lines.append("A system's time counts no hours: its part is already automated.")
    lines.append(
        f"FTE = {number_text(cost.annual_hours)} h ÷ ({_plain(settings.working_days_per_year)} "
        f"working days × {_plain(settings.hours_per_day)} h) = {number_text(cost.fte)} people"
    )
    return lines


# --- where the factors come from -----------------------------------------------------


def _factor_lines(process: Process, step: Step, cost: StepCost, currency: str) -> list[str]:
    hours, executions, runs, rate = _shown(cost, currency)
    rows = [
        (
            f"{hours_text(hours)} h",
            ["no time of its own (a milestone or a call)"]
            if step.time is None
            else _hours_source(step.time, process.settings.clock),
        ),
        (f"{number_text(executions)} exec", executions_lines(process, step, cost)),
        (f"{number_text(runs)} runs/month", _runs_source(process)),
        (
            (f"{rate_text(rate, currency)}/h", [_rate_source(process, step.owner)])
            if _alone(process, step)
            else ("rates", _rate_rows(process, step, cost, currency))
        ),
        ("12", ["months in a year"]),
    ]
    return _aligned(rows)


def _aligned(rows: list[tuple[str, list[str]]]) -> list[str]:
    """Factor and where it comes from, in two columns (a factor may need several lines)."""
    width = max(text_width(label) for label, _ in rows)
    lines = []
    for label, notes in rows:
        lines.append(f"  {padded(label, width)}  {notes[0]}")
        lines.extend(f"  {'':{width}}  {note}" for note in notes[1:])
    return lines


def _hours_source(time: Estimate, clock: Clock) -> list[str]:
    if not time.is_range:
        return [f"time: {time.low}{_in_hours(time.low, clock)}"]
    low = exact_hours(time.low, clock)
    high = exact_hours(time.high, clock)
    if time.likely is None:
        likely = (low + high) / 2
        what = (
            f"the range {time.low}..{time.high}, likely = midpoint "
            f"({_h(low)} + {_h(high)}) ÷ 2 = {_h(likely)}"
        )
    else:
        likely = exact_hours(time.likely, clock)
        what = f"the estimate {{min: {time.low}, likely: {time.likely}, max: {time.high}}}"
    mean = (low + 4 * likely + high) / 6
    return [
        f"time: PERT mean of {what}",
        f"(min + 4 × likely + max) ÷ 6 = ({_h(low)} + 4 × {_h(likely)} + {_h(high)}) ÷ 6 "
        f"= {_h(mean)} h",
    ]


def _in_hours(duration: Duration, clock: Clock) -> str:
    hours = exact_hours(duration, clock)
    parts = []
    if duration.weeks:
        parts.append(f"days_per_week {_plain(clock.days_per_week)}")
    if duration.weeks or duration.days:
        parts.append(f"hours_per_day {_plain(clock.hours_per_day)}")
    if duration.minutes:
        parts.append("60 minutes an hour")
    if not parts:
        return ""
    return f" = {_h(hours)} h ({', '.join(parts)})"


def _runs_source(process: Process) -> list[str]:
    frequency = process.frequency
    if frequency is None:
        return ["no frequency: it runs only when another process runs it"]
    count = _plain(frequency.count)
    days = _plain(process.settings.working_days_per_year)
    how = {
        Period.DAY: f"{count} × {days} working days a year ÷ 12 months",
        Period.WEEK: f"{count} × 52 weeks ÷ 12 months",
        Period.MONTH: f"{count} a month",
        Period.QUARTER: f"{count} ÷ 3 months",
        Period.YEAR: f"{count} ÷ 12 months",
    }[frequency.period]
    return [f"frequency: {frequency} → {how}"]


def _rate_source(process: Process, role: str | None) -> str:
    where = process.source_path or "the process file"
    if role in process.roles:
        return f"hourly rate of {role} from the process's own 'roles:' in {where}"
    if process.settings_path:
        return f"hourly rate of {role} from {_settings_shown(process)}"
    return f"hourly rate of {role} from the settings passed in"


def _settings_shown(process: Process) -> str:
    """The roles file as a path next to the process file's own, not an absolute one.

    The loader finds ``roles.yaml`` as an absolute path; shown relative to the
    process file it reads as the user wrote their paths, on every machine.
    """
    settings = process.settings_path or ""
    source = process.source_path
    if not source or not os.path.isabs(settings) or os.path.isabs(source):
        return settings
    folder = Path(source).resolve().parent
    try:
        relative = os.path.relpath(settings, folder)
    except ValueError:  # another drive on Windows
        return settings
    return os.path.normpath(os.path.join(os.path.dirname(source), relative))


# --- automation and lead time ---------------------------------------------------------


def _automation_lines(c: Candidate, step: Step, currency: str) -> list[str]:
    def money(value: Decimal) -> str:
        return money_text(value, currency)

    tool = f", tool {c.tool}" if c.tool else ""
    automation = step.automation
    setup = automation.setup if automation is not None else Duration()
    setup_text = f"{_h(Fraction(c.setup_hours), 2)} h"
    if not setup.is_zero and str(setup) != setup_text.replace(" ", ""):
        setup_text = f"{setup} = {setup_text}"
    english = catalogue("en")
    shown = payback_text(c.payback_months, english)
    if c.payback_months is None:
        payback = f"{shown} (the net saving is not above zero, so the setup never pays back)"
    elif c.setup_cost == 0:
        payback = f"{shown} (no setup cost: nothing to pay back)"
    else:
        payback = f"{money(c.setup_cost)} ÷ ({money(c.net_saving)} ÷ 12) = {shown}"
    if c.roi_percent is None:
        roi = f"{DASH} (no tool cost and no setup: nothing invested)"
    else:
        roi = (
            f"({money(c.gross_saving)} − {money(c.tool_cost)} − {money(c.setup_cost)}) × 100 ÷ "
            f"({money(c.tool_cost)} + {money(c.setup_cost)}) = {percent_text(c.roi_percent)}"
        )
    rows = [
        (
            "gross saving",
            f"{money(c.annual_cost)} × {share_text(c.share)} = {money(c.gross_saving)}",
        ),
        (
            "net saving",
            f"{money(c.gross_saving)} − {money(c.tool_cost)} tool cost a year "
            f"= {money(c.net_saving)}",
        ),
        ("setup cost", f"{setup_text} × {rate_text(c.rate, currency)}/h = {money(c.setup_cost)}"),
        ("payback", payback),
        ("first-year ROI", roi),
        ("time freed", f"{number_text(c.hours_saved)} h a year ({number_text(c.fte_freed)} FTE)"),
    ]
    lines = [f"Automation (share {share_text(c.share)}{tool}):"]
    lines.extend(f"  {label.ljust(14)} = {text}" for label, text in rows)
    return lines


def _lead_time_lines(process_cost: ProcessCost, step: Step) -> list[str]:
    schedule = process_cost.schedule
    total = (
        f"process lead time {hours_text(schedule.lead_time_hours)} h = "
        f"{number_text(schedule.lead_time_days)} days"
    )
    if not schedule.in_typical_run(step.id):
        why = []
        if step.per_run < Decimal("0.5"):
            why.append(f"its per_run {_plain(step.per_run)} is below 0.5")
        answers = typical_answers(process_cost.process)
        for name, wanted in (step.when or {}).items():
            if not satisfies({name: wanted}, answers):
                answer = answers[name]
                shown = "yes" if answer is True else "no" if answer is False else str(answer)
                why.append(f"the typical run answers {name} with {shown}")
        return [
            f"Lead time: not in the typical run ({'; '.join(why)}), so it adds no time to a "
            f"run's lead time ({total}).",
        ]
    start = schedule.earliest_start[step.id]
    finish = schedule.earliest_finish[step.id]
    where = "on the critical path" if schedule.is_critical(step.id) else "not on the critical path"
    if step.milestone:
        return [f"Lead time: reached {hours_text(finish)} h into a run; {where} ({total})."]
    lines = [
        f"Lead time: starts {hours_text(start)} h into a run and, with its wait, is done at "
        f"{hours_text(finish)} h; {where} ({total}).",
    ]
    if step.is_call:
        callee = process_cost.process.callees[step.process or ""]
        lines.append(
            f"It takes the typical-run lead time of '{callee.id}', "
            f"{hours_text(_schedule(callee).lead_time_hours)} h: its runs go side by side."
        )
    return lines


# --- the additions: joint work, calls, cash costs, milestones -------------------------------


def _participant_lines(process: Process, step: Step, cost: StepCost, currency: str) -> list[str]:
    """The cost as a sum over the owner and every ``with`` participant, each at its rate."""
    hours, executions, runs, _ = _shown(cost, currency)
    rows = []
    for index, p in enumerate(cost.participants):
        part = "owner" if index == 0 and p.role == step.owner else "with"
        label = f"{p.role} ({part}, {p.kind.value})"
        factors = (
            f"{_plain(p.count)} × {hours_text(hours)} h × {number_text(executions)} exec × "
            f"{number_text(runs)} runs/month"
        )
        if p.kind is RoleKind.SYSTEM:
            text = f"{factors}: a system, already automated: no hours, no labour"
        else:
            where = "outside the team" if p.kind is RoleKind.EXTERNAL else "of the team"
            text = (
                f"{factors} × {rate_text(round_money(p.rate, currency), currency)}/h × 12 = "
                f"{money_text(p.annual_cost, currency)} ({number_text(p.annual_hours)} h {where})"
            )
        rows.append((label, text))
    width = max(text_width(label) for label, _ in rows)
    lines = [
        "Annual cost = Σ over the people on the step: people × hours per execution × "
        "executions per run × runs per month × rate × 12",
    ]
    lines += [f"  {padded(label, width)}  {text}" for label, text in rows]
    lines.append(f"            = {money_text(cost.annual_cost, currency)}")
    from_shown = sum(
        (
            p.count * hours * executions * runs * round_money(p.rate, currency) * MONTHS
            for p in cost.participants
            if p.kind is not RoleKind.SYSTEM
        ),
        Decimal(0),
    )
    return lines + _rounding_note(from_shown, cost, currency)


def _rate_rows(process: Process, step: Step, cost: StepCost, currency: str) -> list[str]:
    """Where each participant's rate comes from (joint work, external and system roles)."""
    notes = []
    for p in cost.participants:
        if p.kind is RoleKind.SYSTEM:
            notes.append(f"{p.role}: a system role has no rate (kind: system)")
            continue
        role = process.role(p.role)
        rate = rate_text(round_money(p.rate, currency), currency)
        if p.kind is RoleKind.EXTERNAL and role is not None and role.rate is None:
            notes.append(f"{p.role}: {rate}/h, an external party without a rate (unpaid)")
            continue
        source = _rate_source(process, p.role).replace(f"hourly rate of {p.role} ", "")
        notes.append(f"{p.role}: {rate}/h {source}")
    return notes


def _call_lines(process_cost: ProcessCost, step: Step, cost: StepCost, currency: str) -> list[str]:
    """A calling step: the called process's run × the runs the calls make."""
    process = process_cost.process
    callee = process.callees[step.process or ""]
    inner = profile(callee)

    def money(value: Fraction | Decimal) -> str:
        return money_text(to_decimal(Fraction(value)), currency)

    _, _, runs, _ = _shown(cost, currency)
    calls = round_number(cost.calls_per_run, 2)
    file = f", {Path(callee.source_path).name}" if callee.source_path else ""
    factors = f"× {number_text(calls)} runs × {number_text(runs)} runs/month × 12"
    lines = [
        "Annual cost = labour of one run of the called process × its runs per run × "
        "runs per month × 12",
        f"            = {money(inner.cost)} {factors} = {money_text(cost.annual_cost, currency)}",
        "",
        "Where each factor comes from:",
        *_aligned(
            [
                (
                    money(inner.cost),
                    [
                        f"one run of '{callee.id}' ({callee.name}{file}): the labour of its "
                        "steps, their rework and conditions included (by role below)",
                        f"{_h(inner.hours, 2)} h of the team"
                        + (
                            f", {_h(inner.external_hours, 2)} h outside it"
                            if inner.external_hours
                            else ""
                        )
                        + (f", {money(inner.expenses)} cash" if inner.expenses else ""),
                    ],
                ),
                (f"{number_text(calls)} runs", _count_lines(process, step, cost)),
                (f"{number_text(runs)} runs/month", _runs_source(process)),
                ("12", ["months in a year"]),
            ]
        ),
        "",
        f"One run of '{callee.id}', by role:",
    ]
    rows = sorted(inner.roles.items(), key=lambda item: (-item[1].cost, item[0]))
    width = max((text_width(name) for name, _ in rows), default=0)
    for name, tally in rows:
        kind = tally.kind.value
        worked, paid = _role_hours(tally), money(tally.cost)
        lines.append(f"  {padded(name, width)}  {kind:8}  {worked}  {paid}")
    per_year = cost.calls_per_run * cost.runs_per_month * MONTHS
    lines.append(
        f"This step's share of each role a year ({number_text(calls)} runs × "
        f"{number_text(runs)} runs/month × 12 = {number_text(per_year)} runs of '{callee.id}'):"
    )
    for share in sorted(cost.roles, key=lambda r: (-r.exact_cost, r.role)):
        hours = share.exact_hours + share.exact_external_hours
        outside = " outside the team" if share.exact_external_hours else ""
        lines.append(
            f"  {padded(share.role, width)}  {_h(hours, 2)} h{outside}  {money(share.exact_cost)}"
        )
    lines += [
        "",
        f"Annual hours = {_h(inner.hours, 2)} h {factors} = {number_text(cost.annual_hours)} h",
        f"FTE = {number_text(cost.annual_hours)} h ÷ "
        f"({_plain(process.settings.working_days_per_year)} working days × "
        f"{_plain(process.settings.hours_per_day)} h) = {number_text(cost.fte)} people",
    ]
    if inner.external_hours:
        lines.append(
            f"Hours outside the team = {_h(inner.external_hours, 2)} h {factors} = "
            f"{number_text(cost.external_hours)} h (not in annual hours or FTE)"
        )
    if inner.expenses or inner.fixed_expenses:
        lines.append(
            f"Annual cash costs = {money(inner.expenses)} per run of '{callee.id}' {factors} = "
            f"{money_text(cost.annual_expenses, currency)}"
            + (
                f" (the fixed cash costs of '{callee.id}', {money(inner.fixed_expenses)} a year, "
                "count in its own row, once)"
                if inner.fixed_expenses
                else ""
            )
        )
        lines.append(_total_line(cost, currency))
    return lines


def _role_hours(tally: RoleTally) -> str:
    if tally.kind is RoleKind.SYSTEM:
        return "no hours (already automated)"
    if tally.kind is RoleKind.EXTERNAL:
        return f"{_h(tally.external_hours, 2)} h outside the team"
    return f"{_h(tally.hours, 2)} h"


def _count_lines(process: Process, step: Step, cost: StepCost) -> list[str]:
    """``count`` (its PERT mean for a range) × the step's executions = runs of the callee."""
    count = step.count
    mean = expected_count(count)
    if count is None:
        what = "no count: 1 run per execution"
    elif not count.is_range:
        what = f"count {count}: {exact_text(mean)} runs per execution"
    else:
        low, likely, high = count.points()
        how = (
            f"likely = midpoint ({_plain(low)} + {_plain(high)}) ÷ 2 = {_plain(likely)}; "
            if count.likely is None
            else ""
        )
        what = (
            f"count {count}: {how}PERT mean ({_plain(low)} + 4 × {_plain(likely)} + "
            f"{_plain(high)}) ÷ 6 = {exact_text(mean)} runs per execution"
        )
    executions = runs_of(process).executions[step.id]
    calls = exact_text(mean * executions)
    return [
        what,
        f"× {counted(exact_text(executions), 'execution', 'executions')} of this step per run "
        f"= {calls} runs "
        f"of '{step.process}' per run of '{process.id}'",
        *(f"  {line}" for line in executions_lines(process, step, cost)),
    ]


def _expense_lines(step: Step, cost: StepCost, currency: str) -> list[str]:
    assert step.expense is not None
    _, executions, runs, _ = _shown(cost, currency)
    return [
        "Annual cash costs = expense per execution × executions per run × runs per month × 12",
        f"                  = {money_text(step.expense, currency)} × "
        f"{number_text(executions)} exec × {number_text(runs)} runs/month × 12 = "
        f"{money_text(cost.annual_expenses, currency)}",
        _total_line(cost, currency),
    ]


def _total_line(cost: StepCost, currency: str) -> str:
    return (
        f"Annual total cost = {money_text(cost.annual_cost, currency)} labour + "
        f"{money_text(cost.annual_expenses, currency)} cash = "
        f"{money_text(cost.annual_total_cost, currency)}"
    )


def _process_expense_lines(process_cost: ProcessCost, currency: str) -> list[str]:
    """The process's own cash costs: not in any step's figures, in the process's."""
    runs = round_number(process_cost.runs_per_month, 2)
    rows = []
    for line in process_cost.expense_lines:
        amount = money_text(line.amount, currency)
        per_year = line.per_year
        if per_year is None:
            how = f"{amount} per run × {number_text(runs)} runs/month × 12"
            value = Fraction(line.amount) * process_cost.exact_runs_per_month * MONTHS
        else:
            how = {
                ExpensePeriod.MONTH: f"{amount} a month × 12",
                ExpensePeriod.QUARTER: f"{amount} a quarter × 4",
                ExpensePeriod.YEAR: f"{amount} a year",
            }[line.per]
            value = Fraction(line.amount) * per_year
        rows.append((line.name, f"{how} = {money_text(to_decimal(value), currency)} a year"))
    width = max(text_width(name) for name, _ in rows)
    lines = ["The process's own cash costs (in its figures, not in this step's):"]
    lines += [f"  {padded(name, width)}  {text}" for name, text in rows]
    return lines


def _condition_lines(process: Process, step: Step, cost: StepCost) -> list[str]:
    if not step.when:
        return []
    return ["", *when_lines(process, step)]


def _called_only_lines(process_cost: ProcessCost, cost: StepCost, currency: str) -> list[str]:
    """A step of a process others run: where those runs are costed, and its all-runs cost."""
    if not process_cost.called_by:
        return []
    callers = listed(process_cost.called_by)
    run = "runs" if len(process_cost.called_by) == 1 else "run"
    runs = number_text(process_cost.called_runs_per_month)
    own = (
        "It has no frequency, so its own figures above are zero"
        if process_cost.is_called_only
        else "The figures above count only its own runs"
    )
    lines = [
        "",
        f"'{process_cost.id}' also runs when {callers} {run} it: {runs} runs a month, costed "
        f"once, in the calling steps of {callers}. {own}.",
    ]
    if cost.exact_cost_per_run:
        total = process_cost.exact_total_runs_per_month
        per_run = money_text(to_decimal(cost.exact_cost_per_run), currency)
        every = money_text(to_decimal(cost.exact_cost_per_run * total * MONTHS), currency)
        lines.append(
            f"Over all its runs: {per_run} labour per run × {_h(total, 2)} runs a month × 12 "
            f"= {every} a year (the cost automating it would save from)."
        )
    return lines


# --- small number helpers ---------------------------------------------------------------


def _h(value: Fraction | Decimal, digits: int = 4) -> str:
    """An exact value with up to ``digits`` decimals, no trailing zeros: ``1.0833``, ``2.5``."""
    from ...analysis.units import to_decimal

    return hours_text(to_decimal(Fraction(value)), digits=digits)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
