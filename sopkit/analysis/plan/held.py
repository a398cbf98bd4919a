"""Due dates only a milestone that waits for its date meets, found from the model alone.

A plan from a start date dates the run as early as its steps allow, and counts in
working days from the start of a day: the hours between a step and the milestone it is
due from, and so its slack, are the same whatever the date. A step due further before
its milestone than the work and waits between them allow is late in every such plan;
planned back from the milestone (``--at``), the milestone waits for its date and the
run starts sooner (``arrange._hold``). That run is, as a rule, longer than the lead time
the cost report, the SOP and the dashboard give, which count no such wait. ``sopkit validate``
says so before anyone plans a run (``held_due_warnings``), as a warning: the file is
valid, but its figures and a plan that meets its dates disagree.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from ...errors import Problem
from ...models import Process, Step
from ..booking import Timing
from ..schedule import schedule
from ..units import to_decimal
from .arrange import _timing
from .due import (
    Gap,
    after_text,
    back_from,
    days_text,
    find_gap,
    gap_text,
    round_days,
    slack_hours,
    wait_to_meet,
    working_days_text,
)

__all__ = ["held_due_warnings"]


def held_due_warnings(process: Process) -> list[Problem]:
    """A warning at the ``due`` of each step of the typical run whose due date a plan from
    a start date misses and a plan placed by its milestone meets, by holding it: how
    late, why, how long the run then takes against the lead time, and what would meet
    the date in every plan (a longer wait on the step, which the lead time counts, or a
    smaller offset). Unlevelled: people are not the model's to promise.

    Pure: the process's schedule in, problems out. A due date no plan meets (a step after
    its milestone) or none checks (a milestone outside the typical run) is ``sopkit
    plan``'s to warn about.
    """
    if all(step.due is None for step in process.steps):
        return []  # spare the schedule: most processes have no due dates
    settings = process.settings
    clock = (Fraction(settings.hours_per_day), settings.days_per_week)
    timing = _timing(process, schedule(process))
    warnings = []
    for index, step in enumerate(process.steps):
        due = step.due
        if due is None or not {step.id, due.milestone} <= timing.keys():
            continue
        slack = slack_hours(step, timing, clock)
        back = None if slack >= 0 else back_from(process, step, timing, clock, levelled=False)
        if back is None:
            continue
        gap = find_gap(process, step, timing, clock[0])
        found = process.source.problem(
            ("steps", index, "due"),
            _message(step, slack / clock[0], gap),
            hint=_hint(process, step, (timing, back), slack / clock[0], gap),
        )
        warnings.append(found.as_warning("due-needs-hold", step=step.id))
    return warnings


def _message(step: Step, slack: Fraction, gap: Gap | None) -> str:
    """How late the step is from a start date (``slack`` in working days), and why."""
    assert step.due is not None
    milestone, offset = step.due.milestone, step.due.offset
    text = f"{milestone} {offset}" if offset.days or offset.weeks else milestone
    message = (
        f"step '{step.id}' meets its due date ({text}) only if '{milestone}' waits for its "
        f"date: planned from a start date, it ends {working_days_text(to_decimal(-slack))} late"
    )
    if gap is None:
        return message
    return (
        f"{message} ('{milestone}' comes {after_text(gap.days)} it ends: "
        f"{gap_text(gap, step.wait.is_zero, None)})"
    )


def _hint(
    process: Process,
    step: Step,
    plans: tuple[Timing, tuple[Fraction, Timing]],
    slack: Fraction,
    gap: Gap | None,
) -> str:
    """The plan that meets the date and how long its run is against the lead time (the
    schedule's ``timing``, and the milestone's wait and timing planned back from it), and
    what meets the date in every plan instead."""
    assert step.due is not None
    milestone = step.due.milestone
    settings = process.settings
    clock = (Fraction(settings.hours_per_day), settings.days_per_week)
    timing, (waits, held) = plans
    lead, run = (_lead_days(t, clock[0]) for t in (timing, held))
    hint = (
        f"planned back from '{milestone}' (sopkit plan FILE --at {milestone}=DATE), "
        f"'{milestone}' waits {working_days_text(to_decimal(waits / clock[0]))} for its date "
        f"and the run takes {working_days_text(run)}"
    )
    if round_days(run) > round_days(lead):
        hint += (
            f", {days_text(round_days(run) - round_days(lead))} more than the lead time the cost "
            f"report and the SOP give ({days_text(lead)})"
        )
    else:  # it ends on a branch the milestone does not hold back
        hint += ", no longer than the lead time the cost report and the SOP give"
    hint += "; to meet it in every plan, "
    if gap is not None:  # a wait on the step moves only a milestone that follows it
        hint += _longer_wait(process, step, timing, clock)
    least = step.due.offset.working_days(settings.days_per_week) + math.ceil(-slack)
    return hint + f"give the due date an offset of at least {least:+d}d"


def _longer_wait(
    process: Process, step: Step, timing: Timing, clock: tuple[Fraction, Decimal]
) -> str:
    """The wait on the step that meets its date from a start date (``wait_to_meet``), as
    the first choice of the hint: the lead time then counts it, so the figures agree.
    Nothing when none does, or it would make another step late."""
    found = wait_to_meet(process, step, timing, None, clock, levelled=False)
    if found is None or found[1]:
        return ""
    more = found[0]
    if step.wait.is_zero:
        wait = f"give this step a wait of {more}d or more (wait: {more}d)"
    else:
        wait = f"make this step's wait {more}d longer"
    return f"{wait}, which the lead time counts, or "


def _lead_days(timing: Timing, hours_per_day: Fraction) -> Decimal:
    """The run's length in working days: when its last work or wait ends."""
    return to_decimal(max(sum(t, Fraction(0)) for t in timing.values()) / hours_per_day)
