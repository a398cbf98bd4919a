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
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ...analysis import Candidate, PortfolioCost, ProcessCost, StepCost, candidate_for
from ...analysis.units import MONTHS, exact_hours
from ...errors import UsageError
from ...models import Clock, Duration, Estimate, Period, Process, Step
from ..i18n import catalogue, payback_text
from ..numbers import (
    DASH,
    hours_text,
    money_text,
    number_text,
    percent_text,
    rate_text,
    round_money,
    round_number,
    share_text,
)
from .tables import Costable, ensure_costs

__all__ = ["explain_step", "find_step"]


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
            raise UsageError(f"no process '{process_id}'", hint=f"processes here: {known}")
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
        raise UsageError(f"no step '{ref}'", hint=f"steps here: {shown}")
    where = ", ".join(f"{p.id}/{step_id}" for p, _ in found)
    raise UsageError(
        f"step '{step_id}' is in several processes",
        hint=f"name the process too: {where}",
    )


def explain_step(source: Costable, ref: str) -> str:
    """How one step's annual hours and cost were computed, as plain text.

    Args:
        source: loaded processes or a ``PortfolioCost``.
        ref: ``STEP_ID``, or ``PROCESS_ID/STEP_ID`` when several processes are costed.
    """
    costs = ensure_costs(source)
    process_cost, cost = find_step(costs, ref)
    process = process_cost.process
    step = process.step(cost.step_id)
    currency = process.settings.currency
    lines = [
        f"{process.id}/{step.id}: {step.name}",
        f"Owner: {step.owner}. Process: {process.name} ({process.source_path or process.id}).",
        "",
        *_cost_lines(process, step, cost, currency),
        "",
        "Where each factor comes from:",
        *_factor_lines(process, step, cost, currency),
        "",
        *_hours_lines(process, cost),
    ]
    candidate = candidate_for(process_cost, cost)
    if candidate is not None:
        lines += ["", *_automation_lines(candidate, step, currency)]
    lines += ["", *_lead_time_lines(process_cost, step)]
    return "\n".join(lines) + "\n"


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
    from_shown = hours * executions * runs * rate * MONTHS
    if round_money(from_shown, currency) != round_money(cost.annual_cost, currency):
        lines.append(
            "            (the factors are shown rounded; the cost is computed from unrounded "
            f"values: the rounded factors would give {money_text(from_shown, currency)})"
        )
    return lines


def _hours_lines(process: Process, cost: StepCost) -> list[str]:
    hours, executions, runs, _ = _shown(cost, process.settings.currency)
    settings = process.settings
    lines = [
        "Annual hours = "
        f"{hours_text(hours)} h × {number_text(executions)} exec × {number_text(runs)} "
        f"runs/month × 12 = {number_text(cost.annual_hours)} h",
    ]
    from_shown = hours * executions * runs * MONTHS
    if round_number(from_shown, 2) != round_number(cost.annual_hours, 2):
        lines.append(
            "             (computed from unrounded values; the rounded factors would give "
            f"{number_text(from_shown)} h)"
        )
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
        (f"{number_text(executions)} exec", _executions_source(step, cost)),
        (f"{number_text(runs)} runs/month", _runs_source(process)),
        (f"{rate_text(rate, currency)}/h", [_rate_source(process, step)]),
        ("12", ["months in a year"]),
    ]
    width = max(len(label) for label, _ in rows)
    lines = []
    for label, notes in rows:
        lines.append(f"  {label.ljust(width)}  {notes[0]}")
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


def _executions_source(step: Step, cost: StepCost) -> list[str]:
    per_run = "per_run 1 (the default)" if step.per_run == 1 else f"per_run {_plain(step.per_run)}"
    if not cost.rework:
        return [f"{per_run}; not inside a rework loop"]
    factors = " × ".join(_h(loop.factor, 4) for loop in cost.rework)
    lines = [f"{per_run} × rework {factors} = {_h(Fraction(cost.executions_per_run), 4)}"]
    for loop in cost.rework:
        what = (
            f"'{loop.step}' repeats itself"
            if loop.step == loop.to
            else f"'{loop.step}' sends work back to '{loop.to}'"
        )
        lines.append(
            f"{what} with probability {_plain(loop.probability)}: "
            f"every step from '{loop.to}' to '{loop.step}' runs 1 ÷ (1 − "
            f"{_plain(loop.probability)}) = {_h(loop.factor, 4)} times"
        )
    if len(cost.rework) > 1:
        lines.append("nested loops multiply")
    return lines


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


def _rate_source(process: Process, step: Step) -> str:
    where = process.source_path or "the process file"
    if step.owner in process.roles:
        return f"hourly rate of {step.owner} from the process's own 'roles:' in {where}"
    if process.settings_path:
        return f"hourly rate of {step.owner} from {_settings_shown(process)}"
    return f"hourly rate of {step.owner} from the settings passed in"


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
    start = schedule.earliest_start[step.id]
    finish = schedule.earliest_finish[step.id]
    where = "on the critical path" if schedule.is_critical(step.id) else "not on the critical path"
    return [
        f"Lead time: starts {hours_text(start)} h into a run and, with its wait, is done at "
        f"{hours_text(finish)} h; {where} (process lead time "
        f"{hours_text(schedule.lead_time_hours)} h = {number_text(schedule.lead_time_days)} days).",
    ]


# --- small number helpers ---------------------------------------------------------------


def _h(value: Fraction | Decimal, digits: int = 4) -> str:
    """An exact value with up to ``digits`` decimals, no trailing zeros: ``1.0833``, ``2.5``."""
    from ...analysis.units import to_decimal

    return hours_text(to_decimal(Fraction(value)), digits=digits)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
