"""Who works when in one run: people booked twice, and a run levelled to the team.

The typical run (``schedule.py``) starts every step as early as the steps
before it allow, as if every role had people enough for all of its work at
once. A plan shows the dates, so it must also say where that is not so: here a
role's **people at once** are its ``headcount`` rounded up (1.5 is one full-
and one part-time person, two who can work at the same time); a role without
``headcount`` is taken to be as many people as its largest step needs (one,
unless a step's ``with`` asks for more), and the plan says it assumed so.

A step books its owner (one person) and each ``with`` role (``count`` people,
rounded up to whole people) for its work, not its wait; milestones and calls book no one (a called
process's steps are that process's plan), and outside parties and systems are
not the team, so they are never short of people.

``level`` delays steps until their people are free, keeping every step after
the ones it follows: steps are placed one at a time, each as early as its
predecessors and the people already booked allow. The step placed next is,
among those whose predecessors are placed, the one that could start first in
the typical run, then the one with the least slack (the critical path first),
then the one listed first. This is the usual serial scheduling rule: it never
breaks a dependency or books more people than there are, though a different
order could sometimes end sooner. A step that needs more people of a role
than the role has (``with: {Editor: 2}`` and ``headcount: 1``) waits until that
role is free and is an overload of its own that no order can remove.

Everything here is exact (``Fraction`` working hours from the start of the run)
and pure.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..graph import Flow
from ..models import Process, RoleKind, Step

__all__ = [
    "Levelled",
    "Overload",
    "Timing",
    "chain",
    "crew",
    "level",
    "overloads",
    "people_at_once",
]

#: Each typical-run step's start, work and wait, in working hours from the start of the run.
Timing = dict[str, tuple[Fraction, Fraction, Fraction]]


@dataclass(frozen=True, slots=True)
class Overload:
    """A span of the run in which a role has more work at once than people."""

    role: str
    #: Working hours from the start of the run: the span ``[start, end)``.
    start: Fraction
    end: Fraction
    #: The steps the role works on in the span, in the order they start.
    steps: tuple[str, ...]
    #: The most people of the role needed at once in the span.
    need: Decimal
    #: How many people of the role can work at once.
    people: Decimal
    #: The role has no ``headcount``: ``people`` is the plan's assumption.
    assumed: bool


def crew(process: Process, step: Step) -> dict[str, Decimal]:
    """The team's people a step books while it works: ``{role: people}``.

    The owner is one person and each ``with`` role its count (the owner's role
    named in ``with`` too adds to it), rounded up: a plan books whole people
    (``with: {Writer: 0.5}`` books one writer). Outside parties and systems are
    left out, as are milestones and calls.
    """
    if not step.is_work:
        return {}
    wanted: dict[str, Decimal] = {}
    if step.owner is not None:
        wanted[step.owner] = Decimal(1)
    for role, count in step.participants.items():
        wanted[role] = wanted.get(role, Decimal(0)) + count
    return {role: Decimal(math.ceil(n)) for role, n in wanted.items() if _is_staff(process, role)}


def _is_staff(process: Process, name: str) -> bool:
    role = process.role(name)
    return role is None or role.kind is RoleKind.STAFF


def _crews(process: Process, timing: Timing) -> dict[str, dict[str, Decimal]]:
    """Each step of the run's crew, worked out once."""
    return {step.id: crew(process, step) for step in process.steps if step.id in timing}


def people_at_once(process: Process, timing: Timing) -> dict[str, tuple[Decimal, bool]]:
    """Each booked role's people at once, and whether that is assumed (no headcount)."""
    return _people(process, _crews(process, timing))


def _people(
    process: Process, crews: dict[str, dict[str, Decimal]]
) -> dict[str, tuple[Decimal, bool]]:
    largest: dict[str, Decimal] = {}
    for needs in crews.values():
        for role, need in needs.items():
            largest[role] = max(largest.get(role, Decimal(0)), need)
    found = {}
    for role, need in largest.items():
        settings = process.role(role)
        headcount = None if settings is None else settings.headcount
        if headcount is None:
            found[role] = (max(Decimal(1), need), True)  # a crew is whole people already
        else:
            found[role] = (Decimal(math.ceil(headcount)), False)
    return found


def overloads(process: Process, timing: Timing) -> tuple[Overload, ...]:
    """Every span in which a role is booked beyond its people at once, by start then role."""
    crews = _crews(process, timing)
    people = _people(process, crews)
    order = {step.id: i for i, step in enumerate(process.steps)}
    booked: dict[str, list[tuple[Fraction, int, Fraction, Decimal, str]]] = {}
    for step_id, (begin, work, _) in timing.items():
        if work <= 0:
            continue
        for role, need in crews[step_id].items():
            span = (begin, order[step_id], begin + work, need, step_id)
            booked.setdefault(role, []).append(span)
    found = []
    for role, spans in booked.items():
        limit, assumed = people[role]
        for start, end, need, steps in _over(sorted(spans), limit):
            found.append(Overload(role, start, end, steps, need, limit, assumed))
    found.sort(key=lambda o: (o.start, order[o.steps[0]], o.role))
    return tuple(found)


def _over(
    spans: list[tuple[Fraction, int, Fraction, Decimal, str]], limit: Decimal
) -> Iterable[tuple[Fraction, Fraction, Decimal, tuple[str, ...]]]:
    """The maximal spans in which the bookings add up to more than ``limit``.

    ``spans`` are ``(start, file order, end, people, step id)``, sorted: one sweep over
    the moments bookings start or end, keeping the bookings at work in the order they
    started.
    """
    starting: dict[Fraction, list[tuple[str, Decimal]]] = {}
    ending: dict[Fraction, list[str]] = {}
    for start, _, end, people, step_id in spans:
        starting.setdefault(start, []).append((step_id, people))
        ending.setdefault(end, []).append(step_id)
    moments = sorted(set(starting) | set(ending))
    active: dict[str, Decimal] = {}  # the bookings at work, in the order they started
    need = Decimal(0)
    current: tuple[Fraction, Fraction, Decimal, dict[str, None]] | None = None
    for here, after in zip(moments, moments[1:], strict=False):
        for step_id in ending.get(here, ()):
            need -= active.pop(step_id)
        started = starting.get(here, [])
        for step_id, people in started:
            active[step_id] = people
            need += people
        if need <= limit:
            continue
        if current is not None and current[1] == here:  # the span goes on: add who joined
            first, _, most, seen = current
            seen.update(dict.fromkeys(step_id for step_id, _ in started))
            current = (first, after, max(most, need), seen)
        else:
            if current is not None:
                yield current[0], current[1], current[2], tuple(current[3])
            current = (here, after, need, dict.fromkeys(active))
    if current is not None:
        yield current[0], current[1], current[2], tuple(current[3])


@dataclass(frozen=True, slots=True)
class Levelled:
    """A run levelled to its people: when each step works, and why it starts then."""

    timing: Timing
    #: How long each step waited for its people once the steps before it were done.
    held: dict[str, Fraction]
    #: The roles a held step waited for.
    held_for: dict[str, tuple[str, ...]]
    #: The steps that decide when the run ends, in order: each starts when the one
    #: before it ends (with its wait), or when its people are free of it.
    chain: tuple[str, ...]
    #: What each step's start waited for: the step whose end (with its wait) or
    #: freeing of its people it is; ``None`` for a step that starts the run, or one
    #: ``release`` holds (``chain`` traces these back).
    causes: dict[str, str | None]


def level(
    process: Process, timing: Timing, *, release: Mapping[str, Fraction] | None = None
) -> Levelled:
    """The run with each step delayed until its people are free (see the module's rule).

    Steps keep their work and wait; only their starts move, never earlier than
    in ``timing``. Steps outside the typical run take no time, as in the schedule.
    ``release`` gives steps a start they may not come before (a milestone held for
    its date).
    """
    flow = Flow.of(process)
    order = {step.id: i for i, step in enumerate(process.steps)}
    slack = _slack(flow, timing)
    crews = _crews(process, timing)
    people = _people(process, crews)
    left = {step_id: len(flow.pred[step_id]) for step_id in order}
    ready: dict[str, Fraction] = dict.fromkeys(order, Fraction(0))
    ready.update(release or {})
    booked: dict[str, _Timeline] = {}
    placed: Timing = {}
    held: dict[str, Fraction] = {}
    held_for: dict[str, tuple[str, ...]] = {}
    by: dict[str, str | None] = {}  # the step whose end a step's start waited for
    owners: dict[tuple[str, Fraction], list[str]] = {}  # (role, end of a booking): steps
    queue = [
        (_early(s, timing), slack.get(s, Fraction(0)), order[s], s) for s in order if not left[s]
    ]
    heapq.heapify(queue)
    while queue:
        _, _, _, step_id = heapq.heappop(queue)
        by[step_id] = _latest(flow.pred[step_id], ready[step_id], placed, ready, order)
        if step_id in timing:
            _, work, wait = timing[step_id]
            need = crews[step_id] if work > 0 else {}
            begin, busy = _first_free(booked, need, people, ready[step_id], work)
            if begin > ready[step_id]:
                held_for[step_id] = busy
                # What held it ends as it starts: a booking of a role it waited for.
                freed = [s for role in busy for s in owners.get((role, begin), [])]
                by[step_id] = min(freed, key=order.__getitem__)
            for role, count in need.items():
                booked.setdefault(role, _Timeline()).add(begin, begin + work, count)
                owners.setdefault((role, begin + work), []).append(step_id)
            placed[step_id] = (begin, work, wait)
            held[step_id] = begin - ready[step_id]
            done = begin + work + wait
        else:
            done = ready[step_id]  # outside the typical run: no time, as in the schedule
        for after in flow.succ[step_id]:
            ready[after] = max(ready[after], done)
            left[after] -= 1
            if not left[after]:
                entry = (_early(after, timing), slack.get(after, Fraction(0)), order[after], after)
                heapq.heappush(queue, entry)
    levelled = {step_id: placed[step_id] for step_id in timing}
    return Levelled(levelled, held, held_for, chain(flow, levelled, by), by)


def _latest(
    preds: Iterable[str],
    start: Fraction,
    placed: Timing,
    ready: dict[str, Fraction],
    order: dict[str, int],
) -> str | None:
    """The predecessor whose end (with its wait) a step's earliest start is, the
    earliest-listed on a tie; ``None`` when none is (a step that starts the run)."""

    def done(step_id: str) -> Fraction:
        # a step outside the typical run takes no time: it is done when it is ready
        return sum(placed[step_id], Fraction(0)) if step_id in placed else ready[step_id]

    ends = [p for p in preds if done(p) == start]
    return min(ends, key=order.__getitem__) if ends else None


def chain(
    flow: Flow, timing: Timing, by: Mapping[str, str | None], *, also: str | None = None
) -> tuple[str, ...]:
    """The steps that decide when the run ends, traced back from the last to end through
    what each step's start waited for (``by``), in the order they start.

    Of the steps that end last, the one furthest down the graph ends the chain (a
    milestone after the work it marks, as in the schedule's critical path). ``also``
    traces back from that step too: the milestone a plan is placed by, whose chain
    sets the run's first day when it does not lead to the last step.
    """
    if not timing:
        return ()
    position = {step_id: i for i, step_id in enumerate(flow.order() or ())}
    ends = {step_id: sum(t, Fraction(0)) for step_id, t in timing.items()}
    last = max(ends.values())
    node = max((s for s, end in ends.items() if end == last), key=position.__getitem__)
    found = dict.fromkeys(_traced(node, timing, by))
    if also is not None and also in timing:
        found.update(dict.fromkeys(_traced(also, timing, by)))
    return tuple(sorted(found, key=lambda s: (timing[s][0], position[s])))


def _traced(node: str | None, timing: Timing, by: Mapping[str, str | None]) -> list[str]:
    """``node`` and the steps its start waited for, back to one that starts the run."""
    steps = []
    while node is not None:
        if node in timing:
            steps.append(node)
        node = by.get(node)
    return steps


def _early(step_id: str, timing: Timing) -> Fraction:
    return timing[step_id][0] if step_id in timing else Fraction(0)


def _slack(flow: Flow, timing: Timing) -> dict[str, Fraction]:
    """Each typical-run step's total slack in the unlevelled run (latest − earliest start)."""
    sequence = flow.order() or ()
    length = {s: (t[1] + t[2]) for s, t in timing.items()}
    end = max((timing[s][0] + length[s] for s in timing), default=Fraction(0))
    latest_finish: dict[str, Fraction] = {}
    for step_id in reversed(sequence):
        after = flow.succ[step_id]
        finish = min((latest_finish[a] - length.get(a, Fraction(0)) for a in after), default=end)
        latest_finish[step_id] = finish
    return {s: latest_finish[s] - length[s] - timing[s][0] for s in timing}


def _first_free(
    booked: dict[str, _Timeline],
    need: dict[str, Decimal],
    people: dict[str, tuple[Decimal, bool]],
    earliest: Fraction,
    work: Fraction,
) -> tuple[Fraction, tuple[str, ...]]:
    """The earliest start from ``earliest`` on at which every role has the people free
    for the whole work (a step needing more than a role has waits until it is free),
    and the roles that kept it from starting at the last moment tried (none at once)."""
    if not need or work <= 0:
        return earliest, ()
    start, before = earliest, tuple[str, ...]()
    while True:
        busy: dict[str, Fraction] = {}  # a role short of people, and when that ends
        for role, count in need.items():
            limit = people[role][0]
            room = limit - count if count <= limit else Decimal(0)  # alone: the role free
            over = booked[role].over(start, start + work, room) if role in booked else None
            if over is not None:
                busy[role] = over
        if not busy:
            return start, before
        # No start before the first of these ends can fit: try there next.
        start, before = min(busy.values()), tuple(busy)


class _Timeline:
    """How many people of one role are booked when: a step function of the run's hours,
    kept as sorted moments where it changes (``levels[i]`` holds from ``times[i]`` to
    ``times[i + 1]``; nobody before the first moment or after the last)."""

    def __init__(self) -> None:
        self.times: list[Fraction] = []
        self.levels: list[Decimal] = []

    def add(self, start: Fraction, end: Fraction, people: Decimal) -> None:
        first, last = self._moment(start), self._moment(end)
        for index in range(first, last):
            self.levels[index] += people
        # Moments where nothing changes go, so a role booked end to end is one stretch
        # that a held step jumps over at once (the later index first: it shifts none).
        self._merge(last)
        self._merge(first)

    def _merge(self, index: int) -> None:
        before = self.levels[index - 1] if index > 0 else Decimal(0)
        if index < len(self.times) and self.levels[index] == before:
            del self.times[index]
            del self.levels[index]

    def over(self, start: Fraction, end: Fraction, room: Decimal) -> Fraction | None:
        """When the first stretch of ``[start, end)`` booked beyond ``room`` people ends;
        ``None`` when none is."""
        index = max(bisect.bisect_right(self.times, start) - 1, 0)
        while index < len(self.times) and self.times[index] < end:
            if self.levels[index] > room and self.times[index + 1] > start:
                return self.times[index + 1]
            index += 1
        return None

    def _moment(self, time: Fraction) -> int:
        """The index of ``time`` among the moments, made one if it is not."""
        index = bisect.bisect_left(self.times, time)
        if index == len(self.times) or self.times[index] != time:
            level = self.levels[index - 1] if index > 0 else Decimal(0)
            self.times.insert(index, time)
            self.levels.insert(index, level)
        return index
