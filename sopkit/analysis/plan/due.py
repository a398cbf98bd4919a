"""Due dates: each step's due date and slack, and the warnings for those a plan misses
or cannot check, with hints that say what would meet them.

A good hint needs the shape of the run between a step and its milestone (``find_gap``)
and trial plans with a longer wait (``wait_to_meet``): more code than the dating of
the run itself. Kept here, the package's ``plan_run`` reads as the plan it makes, and
the checks can be read on their own.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ...errors import Problem
from ...graph import Flow
from ...models import Process, Step
from ...validate import MAX_WAIT_HOURS
from ..booking import Timing
from ..units import to_decimal
from .arrange import _arranged, _following, _released
from .calendar import WorkingDays, _day_index
from .results import PlannedStep

#: What the package's ``plan_run`` and ``held`` (validate's ``due-needs-hold``) share:
#: the dating and slack of a due date, the gap to its milestone, the plans that would
#: meet it, and the words their warnings say them in.
__all__ = [
    "Gap",
    "after_text",
    "back_from",
    "dated_due",
    "days_text",
    "find_gap",
    "gap_text",
    "held_miss_warning",
    "miss_warning",
    "round_days",
    "slack_hours",
    "unchecked_warning",
    "wait_to_meet",
    "working_days_text",
]


def dated_due(
    step: Step,
    dated: dict[str, _dt.date],
    first: _dt.date,
    days: WorkingDays,
    clock: tuple[Fraction, Decimal],
    work_end: Fraction,
) -> tuple[_dt.date | None, str | None, Decimal | None]:
    """The due date, how ``due`` reads (``launch -10d``), and the slack in working days."""
    if step.due is None:
        return None, None, None
    hours_per_day, days_per_week = clock
    offset = step.due.offset
    text = f"{step.due.milestone} {offset}" if offset.days or offset.weeks else step.due.milestone
    anchor = dated.get(step.due.milestone)
    if anchor is None:
        return None, text, None
    due = days.shift(anchor, offset.working_days(days_per_week))
    deadline = (days.between(first, due) + 1) * hours_per_day
    return due, text, to_decimal((deadline - work_end) / hours_per_day)


@dataclass(frozen=True, slots=True)
class Gap:
    """What puts a due milestone that comes after a step where it is, counted from the end
    of the step's work: the same in every unlevelled plan placed as this one is, so no
    start date changes it (levelled, steps that wait for their people depend on the
    dates; placed by the milestone, it may wait for its date: ``back_from``)."""

    #: Working days from the end of the step's work to the milestone.
    days: Decimal
    #: Of those, the working days no work or wait after the step fills: the milestone (or
    #: a step on the way to it) also waits for something else. A wait on the step takes
    #: this up before it moves the milestone at all.
    spare: Decimal
    #: Whether steps with work or a wait come between the two on the longest way from one
    #: to the other (without them, only the step's own wait can be between).
    between: bool
    #: Where the spare time is, when there is some: the step that waits, and the step it
    #: waits for (``None``: for its people, or, for the milestone a plan is placed by, for
    #: its date).
    waiting: tuple[str, str | None] | None
    #: The fewest whole working days more wait on the step found to meet its date
    #: (``wait_to_meet``); ``None`` when no wait a step may have does.
    more: int | None = None
    #: The other steps that wait would make miss their due dates (``wait_to_meet``).
    breaks: tuple[str, ...] = ()


def find_gap(
    process: Process,
    step: Step,
    timing: Timing,
    hours_per_day: Fraction,
) -> Gap | None:
    """How far the due milestone comes after ``step``'s work, and why, when it comes after
    it. The longest way through the steps between (work and waits) sets a least gap; the
    milestone comes later than that only when something else holds it or a step on the
    way up: another branch, its people, or its date."""
    assert step.due is not None
    milestone = step.due.milestone
    flow = Flow.of(process)
    after = flow.descendants(step.id)
    if milestone not in timing or milestone not in after:
        return None
    order = flow.sorted()
    done: dict[str, Fraction] = {}  # its work and wait done; outside the run: when ready
    for node in order:
        ready = max((done[p] for p in flow.pred[node]), default=Fraction(0))
        done[node] = sum(timing[node], Fraction(0)) if node in timing else ready
    begin, work, wait = timing[step.id]
    end = begin + work
    # the longest way from the end of the step's work through the steps after it
    reach = {step.id: end + wait}  # when each is done by that way alone
    came: dict[str, str] = {}
    for node in order:
        if node not in after:
            continue
        came[node] = max((p for p in flow.pred[node] if p in reach), key=reach.__getitem__)
        if node == milestone:
            break
        length = timing[node][1] + timing[node][2] if node in timing else Fraction(0)
        reach[node] = reach[came[node]] + length
    m_begin, m_work, _ = timing[milestone]
    between, node = False, came[milestone]
    while node != step.id:
        between = between or (node in timing and timing[node][1] + timing[node][2] > 0)
        node = came[node]
    spare = m_begin - reach[came[milestone]]
    waiting = (
        None if spare <= 0 else _waiting(flow, timing, done, milestone, step.id, after | {step.id})
    )
    return Gap(
        days=to_decimal((m_begin + m_work - end) / hours_per_day),
        spare=to_decimal(spare / hours_per_day),
        between=between,
        waiting=waiting,
    )


def _waiting(
    flow: Flow,
    timing: Timing,
    done: Mapping[str, Fraction],
    milestone: str,
    step_id: str,
    inside: set[str],
) -> tuple[str, str | None]:
    """Traced back from ``milestone``, along what each step started on, the first step that
    waits for something other than ``step_id`` and the steps after it (``inside``), and
    what for."""
    node = milestone
    while node != step_id:
        start = timing[node][0] if node in timing else done[node]
        ends = [p for p in flow.pred[node] if done[p] == start]
        on_way = [p for p in ends if p in inside]
        if on_way:
            node = on_way[0]
            continue
        other: str | None = ends[0] if ends else None
        while other is not None and other not in timing:  # outside the run: no time
            other = next((p for p in flow.pred[other] if done[p] == done[other]), None)
        return node, other
    raise AssertionError("the milestone waits only for the step, with no spare time")


def slack_hours(step: Step, timing: Timing, clock: tuple[Fraction, Decimal]) -> Fraction:
    """The working hours from the end of ``step``'s work to its due moment in ``timing``,
    as ``dated_due`` counts it: the end of the working day ``offset`` days from the milestone's
    day (negative: late)."""
    assert step.due is not None
    hours_per_day, days_per_week = clock
    m_begin, m_work, _ = timing[step.due.milestone]
    day = _day_index(m_begin + m_work, hours_per_day, end=True)
    deadline = (day + step.due.offset.working_days(days_per_week) + 1) * hours_per_day
    begin, work, _ = timing[step.id]
    return deadline - (begin + work)


def _late(step: Step, timing: Timing, clock: tuple[Fraction, Decimal]) -> bool:
    """Whether ``step``'s work ends after its due moment in ``timing``."""
    return slack_hours(step, timing, clock) < 0


def _waited(process: Process, timing: Timing, step_id: str, extra: Fraction) -> Timing:
    """``timing`` with ``extra`` hours more wait after ``step_id``'s work, and the steps
    after it as early as that allows."""
    begin, work, wait = timing[step_id]
    return _released(process, {**timing, step_id: (begin, work, wait + extra)}, step_id, None)[0]


def wait_to_meet(
    process: Process,
    step: Step,
    timing: Timing,
    anchor: str | None,
    clock: tuple[Fraction, Decimal],
    *,
    levelled: bool,
) -> tuple[int, tuple[str, ...]] | None:
    """The fewest whole working days more wait on ``step`` with which the plan meets its
    due date, planned as this plan is (``timing`` the schedule's), and the other steps
    with a due date that wait makes late; ``None`` when no wait a step may have does.

    A wait moves only the steps after the step, not its own work: it meets the date by
    making the milestone come later, which it does only once it outlasts the time the
    milestone waits for other steps anyway (``Gap.spare``), so the days needed are that
    spare time and the days late, not the days late alone. A hold for the date or
    levelling can take up some of the wait too, so the days are searched for in the plan
    itself rather than worked out; whatever is returned has been planned and meets it.

    Moving the milestone moves the steps after it too: one whose date counts from a
    milestone the wait does not move (the kick-off) may then be late. A step late
    already is not listed.
    """
    hours_per_day = clock[0]
    room = Fraction(MAX_WAIT_HOURS - step.wait.points(process.settings.clock)[2])
    most = int(room / hours_per_day)

    def planned(days: int) -> Timing:
        waited = _waited(process, timing, step.id, days * hours_per_day) if days else timing
        return _arranged(process, waited, anchor, clock, levelled=levelled)[0]

    def meets(days: int) -> bool:
        return not _late(step, planned(days), clock)

    if most < 1:
        return None
    low, high = 0, 1  # the plan as it is misses the date
    while not meets(high):
        if high == most:
            return None
        low, high = high, min(2 * high, most)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if meets(middle) else (middle, high)
    now, then = planned(0), planned(high)
    late = tuple(
        other.id
        for other in process.steps
        if other.id != step.id
        and other.due is not None
        and {other.id, other.due.milestone} <= then.keys()
        and not _late(other, now, clock)
        and _late(other, then, clock)
    )
    return high, late


def back_from(
    process: Process,
    step: Step,
    timing: Timing,
    clock: tuple[Fraction, Decimal],
    *,
    levelled: bool,
) -> tuple[Fraction, Timing] | None:
    """The hours ``step``'s milestone waits for its date in a plan placed by it (``--at``)
    when that plan meets the step's due date, and that plan's timing; ``None`` when it has
    no such wait or does not meet it (``timing`` the schedule's).

    From a start date the run's dates move together, so no start meets a date the steps
    between a step and its milestone put out of reach; planned back from the milestone,
    the milestone may wait for its date (``arrange._hold``) and the run start sooner. A
    warning that said no plan meets it would be untrue: this is the plan that does.
    """
    assert step.due is not None
    milestone = step.due.milestone
    if milestone not in timing or step.id not in timing:
        return None
    held, hold, _ = _arranged(process, timing, milestone, clock, levelled=levelled)
    if not hold.late or _late(step, held, clock):
        return None
    return held[milestone][0] - _released(process, held, milestone, None)[1], held


def miss_warning(
    process: Process,
    index: int,
    step: PlannedStep,
    missed: tuple[_dt.date, Decimal],
    after: tuple[str, Gap | None],
    held: tuple[tuple[str, _dt.date] | None, tuple[str, ...]],
    offset: int,
    *,
    levelled: bool = False,
    back: Decimal | None = None,
) -> Problem:
    """The warning for a due date the plan misses, with what would meet it.

    Every step starts as early as the steps before it allow, so the dates of one run
    move together: starting it earlier meets no due date (but for the wait a milestone
    a plan is placed by may take, ``_hold``). When the milestone comes after the step,
    the gap between them is fixed (``Gap``: the work and waits between them, and any
    time the milestone waits for other steps anyway); when it comes before, how long
    after it. ``after`` is the milestone and that gap (``None`` when the milestone does
    not follow the step); ``held`` the milestone the plan is placed by and the steps that
    cut its wait short; ``offset`` the due's, in working days. A ``levelled`` plan's gap
    holds for that plan only: steps waiting for their people depend on the dates.
    """
    due, slack = missed
    late = days_text(-slack)
    milestone, gap = after
    anchor, blocked = held
    wait = process.steps[index].wait
    instead = "" if back is None else _back_text(milestone, back)
    if blocked and anchor is not None:
        names = ", ".join(f"'{b}'" for b in blocked)
        hint = (
            f"'{anchor[0]}' waiting longer for its date would meet it, but would make {names} "
            "late (due from a milestone before it): move one of the due dates"
        )
    elif gap is not None:
        hint = (
            f"'{milestone}' comes {after_text(gap.days)} this step ends "
            f"{_plans_text(anchor, levelled)} ({gap_text(gap, wait.is_zero, anchor)})"
        )
        more = gap.more
        if more is None:
            least = offset + math.ceil(-slack)
            hint += (
                f", and no wait on this step moves it far enough: {instead}give the due date "
                f"an offset of at least {least:+d}d, or count it from a later milestone"
            )
        else:
            waits = (
                f"make this step's wait {more}d longer"
                if not wait.is_zero
                else f"give this step a wait of {more}d or more (wait: {more}d)"
            )
            then = (
                f"the wait first takes up the spare time, then moves '{milestone}' later"
                if gap.spare > 0
                else f"it then ends that much sooner before '{milestone}'"
            )
            hint += (
                f": {instead}ask for fewer days before '{milestone}', or, if you plan slack "
                f"there, {waits}: {then}"
            )
            if gap.breaks:
                names = ", ".join(f"'{b}'" for b in gap.breaks)
                dates = "its due date" if len(gap.breaks) == 1 else "their due dates"
                hint += f"; that wait would also make {names} miss {dates}"
    elif step.step_id in _following(Flow.of(process), milestone):
        least = offset + math.ceil(-slack)
        hint = (
            f"this step comes after '{milestone}', so no start date gets it done sooner "
            f"after it: give it an offset of at least {least:+d}d, or count it from a later "
            "milestone"
        )
    else:
        hint = f"{instead}shorten this step or the work before it, or move the due date"
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step.step_id}' cannot be done by its due date {due.isoformat()} "
        f"({step.due_text}): the earliest the steps allow is {step.finish.isoformat()}, "
        f"{late} working {'day' if -slack == 1 else 'days'} late",
        hint=hint,
    )
    return found.as_warning("due-missed", step=step.step_id)


def _plans_text(anchor: tuple[str, _dt.date] | None, levelled: bool) -> str:
    """Which plans the gap is the same in: not every plan, as a plan placed by the
    milestone may hold it for its date (``back_from``), but every plan placed as this
    one is, whatever its date (levelled: this plan only)."""
    if levelled:
        return "in this levelled plan"
    if anchor is None:
        return "in every plan from a start date"
    return f"in every plan placed by '{anchor[0]}'"


def _back_text(milestone: str, days: Decimal) -> str:
    """The plan that meets the date: placed by the milestone, which waits for its date."""
    return (
        f"plan back from '{milestone}' (--at {milestone}=DATE), where it waits "
        f"{working_days_text(days)} for its date, or "
    )


def gap_text(gap: Gap, no_wait: bool, anchor: tuple[str, _dt.date] | None) -> str:
    """What the gap is made of: the work and waits between the step and its milestone
    only when there are some, and the spare time, and what it is spent waiting for."""
    filled = (
        "the work and waits between them"
        if gap.between
        else "no work or wait comes between them"
        if no_wait
        else "this step's wait"
    )
    if gap.waiting is None:
        return filled
    waiter, what = gap.waiting
    if what is not None:
        reason = f"for '{what}' to be done"
    elif anchor is not None and waiter == anchor[0]:
        reason = "for its date"
    else:
        reason = "for its people"
    spare = f"'{waiter}' also waits {reason}"
    if not gap.between and no_wait:
        return f"all of it spare time: {spare}"
    return f"{filled}, and {working_days_text(gap.spare)} of spare time: {spare}"


def after_text(days: Decimal) -> str:
    """How long after a step its milestone comes, as a hint says it: ``as soon as`` (no
    time between them), or ``2.5 working days after``."""
    return "as soon as" if not days else f"{working_days_text(days)} after"


def working_days_text(days: Decimal) -> str:
    """``1 working day``, ``4.19 working days``: days as the warnings say them, rounded as
    the plan's table rounds them (``days_text``)."""
    shown = days_text(days)
    return f"{shown} working {'day' if shown == '1' else 'days'}"


def unchecked_warning(process: Process, index: int, milestone: str) -> Problem:
    """The warning for a due date no plan of the typical run can check."""
    step_id = process.steps[index].id
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step_id}': its due date is not checked: milestone '{milestone}' is not in "
        "the typical run",
        hint="count it from a milestone every run has, or make the likely answer of the "
        f"condition the one that runs '{milestone}'",
    )
    return found.as_warning("due-unchecked", step=step_id)


def held_miss_warning(
    process: Process,
    index: int,
    step: PlannedStep,
    missed: tuple[_dt.date, Decimal],
    unlevelled: _dt.date,
    roles: Iterable[str],
) -> Problem:
    """The warning for a due date a levelled plan misses only because people are busy:
    ``roles`` are those it or the steps before it waited for."""
    due, slack = missed
    waited = ", ".join(roles) or "its people"
    found = process.source.problem(
        ("steps", index, "due"),
        f"step '{step.step_id}' cannot be done by its due date {due.isoformat()} "
        f"({step.due_text}) with the people there are: levelled, it ends on "
        f"{step.finish.isoformat()}, {days_text(-slack)} working "
        f"{'day' if -slack == 1 else 'days'} late (the steps alone "
        f"allow {unlevelled.isoformat()})",
        hint=f"it or the steps before it wait for {waited}: give those roles a larger "
        "headcount in roles.yaml, or plan without --level to see the steps' own dates",
    )
    return found.as_warning("due-missed-levelled", step=step.step_id)


def round_days(days: Decimal) -> Decimal:
    """Working days to two decimals, half-up, as the plan's table and footer round the same
    slack (0.125 is 0.13): what a warning compares when it says one figure is more than
    another, so that it never says so of two figures that read the same."""
    return days.quantize(Decimal("0.01"), ROUND_HALF_UP)


def days_text(days: Decimal) -> str:
    """Working days as a warning writes them: ``round_days``, without trailing zeros
    (``0.13``, ``2``)."""
    return format(round_days(days).normalize(), "f")
