"""Where each step of the typical run falls, in working hours from its start: the
schedule's timing, a milestone held for its date (``_hold``), the steps levelled for
their people (``_levelled``).

The plan arranges its run once; the due-date hints (``due._wait_to_meet``) arrange it
again for every longer wait they try, and a wait they suggest is only right if it is
arranged exactly as the plan is. So arranging lives here, below both, in hours and
without dates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ...graph import Flow
from ...models import Process
from ..booking import Levelled, Timing, chain, level
from ..schedule import Schedule
from ..units import expected_hours
from .calendar import _day_index


def _timing(process: Process, found: Schedule) -> Timing:
    """Each typical-run step's start, work and wait in working hours, exactly."""
    clock = process.settings.clock
    # The exact figures, read once: the Decimal views are new dicts on each read.
    durations, starts = found.exact_durations, found.exact_start
    timing = {}
    for step in process.steps:
        if step.id not in found.typical_run:
            continue
        wait = expected_hours(step.wait, clock)
        total = durations.get(step.id, Fraction(0))
        # the schedule's duration is work + wait; a call's work is its callee's lead time
        work = expected_hours(step.time, clock) if step.time is not None else total - wait
        timing[step.id] = (starts[step.id], max(work, Fraction(0)), wait)
    return timing


@dataclass(frozen=True, slots=True)
class Hold:
    """How long a milestone waits for its date, and why (``_hold``)."""

    hours: Fraction
    #: The steps late without the wait.
    late: tuple[str, ...]
    #: Steps after the milestone a longer wait would make late: they cut it short.
    blocking: tuple[str, ...]


def _hold(process: Process, anchor: str, timing: Timing, clock: tuple[Fraction, Decimal]) -> Hold:
    """How long ``anchor`` must wait for its date (whole working days, in hours) so the due
    dates counted from it are met, and the steps late without the wait.

    Holding the milestone moves it (and the steps after it) later in the run, and so the
    run's start earlier against the milestone's date: a step not after the milestone
    then has that much more time before its due date. A step after the milestone moves
    with it and gains nothing; nor does one due from another milestone, which would
    move by less than the hold, or not at all. A hold never makes a step after the
    milestone, due from a milestone not after it, miss a date it meets: it is at most
    such a step's slack in whole days (none if one is late already).
    """
    hours_per_day, days_per_week = clock
    after = _following(Flow.of(process), anchor)
    moment = sum(timing[anchor][:2], Fraction(0))
    day = _day_index(moment, hours_per_day, end=True)
    needs: dict[str, int] = {}  # the milestone's working day each late step needs
    limits: dict[str, int] = {}  # whole days of slack of each step after the milestone
    for step in process.steps:
        if step.due is None or step.id not in timing:
            continue
        offset = step.due.offset.working_days(days_per_week)
        end = sum(timing[step.id][:2], Fraction(0))
        if step.due.milestone == anchor and step.id not in after:
            need = -((-end) // hours_per_day) - 1 - offset  # ⌈end ÷ day⌉ − 1 − offset
            if need > day:
                needs[step.id] = need
        elif step.id in after and step.due.milestone not in after:
            own = step.due.milestone
            if own not in timing:
                continue
            own_day = _day_index(sum(timing[own][:2], Fraction(0)), hours_per_day, end=True)
            slack = (own_day + offset + 1) * hours_per_day - end
            limits[step.id] = max(int(slack // hours_per_day), 0)
    if not needs:
        return Hold(Fraction(0), (), ())
    goal = max(needs.values())
    days = goal - day
    while _day_index(moment + days * hours_per_day, hours_per_day, end=True) < goal:
        days += 1  # a milestone at the run's very start: its first day's hours count too
    most = min(limits.values(), default=days)
    blocking = tuple(step_id for step_id, room in limits.items() if room < days)
    return Hold(min(days, most) * hours_per_day, tuple(needs), blocking)


def _arranged(
    process: Process,
    timing: Timing,
    anchor: str | None,
    clock: tuple[Fraction, Decimal],
    *,
    levelled: bool,
) -> tuple[Timing, Hold, Levelled | None]:
    """The schedule's ``timing`` as a plan dates it: levelled for people (``_levelled``),
    or with the milestone it is placed by held for its due dates (``_hold``)."""
    if levelled:
        found, hold = _levelled(process, timing, anchor, clock)
        return found.timing, hold, found
    if anchor is None:
        return timing, Hold(Fraction(0), (), ()), None
    hold = _hold(process, anchor, timing, clock)
    if hold.hours:
        timing = _released(process, timing, anchor, timing[anchor][0] + hold.hours)[0]
    return timing, hold, None


def _levelled(
    process: Process, timing: Timing, anchor: str | None, clock: tuple[Fraction, Decimal]
) -> tuple[Levelled, Hold]:
    """``level``'s run, with ``anchor`` held for its due dates as they come out levelled:
    people's waits move the steps before it, so the hold is found again until it holds
    (each round only ever holds the milestone later)."""
    found = level(process, timing)
    first = Hold(Fraction(0), (), ())
    if anchor is None:
        return found, first
    for _ in range(len(process.steps) + 1):
        hold = _hold(process, anchor, found.timing, clock)
        first = first if first.late else hold
        if not hold.hours:
            break
        release = found.timing[anchor][0] + hold.hours
        # the steps are placed in the order of the held run: those after the milestone later
        base = _released(process, timing, anchor, release)[0]
        found = level(process, base, release={anchor: release})
    return _placed_chain(process, found, anchor, clock), first


def _placed_chain(
    process: Process, found: Levelled, anchor: str, clock: tuple[Fraction, Decimal]
) -> Levelled:
    """``found`` with its chain the steps that set the dates of a run placed by ``anchor``.

    The milestone's date is given: the steps before it set the run's first day, those
    after it its last. So the chain is traced back from the milestone too, and through
    a milestone that waits for its date to the step whose due date it waits for (a day
    longer there, and the run starts a day earlier); a hold a later step cuts short
    waits for the steps before it, and the chain goes on through the one that ends last.
    """
    causes = dict(found.causes)
    if anchor in found.timing and causes.get(anchor) is None:
        causes[anchor] = _held_by(process, found.timing, anchor, clock)
    flow = Flow.of(process)
    return replace(found, chain=chain(flow, found.timing, causes, also=anchor), causes=causes)


def _held_by(
    process: Process, timing: Timing, anchor: str, clock: tuple[Fraction, Decimal]
) -> str | None:
    """What ``anchor``'s start waits for when no step before it ends then: the step due
    from it (not after it) whose due date needs the milestone on the very day it falls
    on, the least spare time first, then the first listed; or, when none does (a hold
    cut short), the step before it that ends last. ``None`` for a milestone that starts
    the run."""
    hours_per_day, days_per_week = clock
    flow = Flow.of(process)
    after = _following(flow, anchor)
    day = _day_index(sum(timing[anchor][:2], Fraction(0)), hours_per_day, end=True)
    spare: dict[str, Fraction] = {}
    for step in process.steps:
        if step.id in after or step.id not in timing or step.due is None:
            continue
        if step.due.milestone != anchor:
            continue
        end = sum(timing[step.id][:2], Fraction(0))
        offset = step.due.offset.working_days(days_per_week)
        if -((-end) // hours_per_day) - 1 - offset == day:  # as ``_hold`` counts it
            spare[step.id] = (day + offset + 1) * hours_per_day - end
    if spare:
        return min(spare, key=spare.__getitem__)  # steps in file order: the first on a tie
    before = set(flow.pred[anchor])
    done = {
        s.id: sum(timing[s.id], Fraction(0))
        for s in process.steps
        if s.id in before and s.id in timing
    }
    if not done:
        return None
    latest = max(done.values())
    return next(p for p in done if done[p] == latest)


def _following(flow: Flow, anchor: str) -> set[str]:
    """``anchor`` and every step after it."""
    return flow.descendants(anchor) | {anchor}


def _released(
    process: Process, timing: Timing, anchor: str, release: Fraction | None
) -> tuple[Timing, Fraction]:
    """``timing`` with ``anchor`` starting no earlier than ``release`` and every step after
    it as early as the steps before it then allow; and when the steps before ``anchor``
    are done (its start without the release)."""
    flow = Flow.of(process)
    ends: dict[str, Fraction] = {}
    moved: Timing = {}
    ready_at = Fraction(0)
    for step_id in flow.sorted():
        ready = max((ends[p] for p in flow.pred[step_id]), default=Fraction(0))
        if step_id == anchor:
            ready_at = ready
        if step_id not in timing:
            ends[step_id] = ready  # outside the typical run: no time, as in the schedule
            continue
        begin, work, wait = timing[step_id]
        begin = max(begin, ready, release if step_id == anchor and release else Fraction(0))
        moved[step_id] = (begin, work, wait)
        ends[step_id] = begin + work + wait
    return {step_id: moved[step_id] for step_id in timing}, ready_at
