"""Lead time and the critical path of the typical run of a process.

The typical run answers every condition with its most likely answer and
leaves out steps whose ``per_run`` is below 0.5: those are the steps a team
sees in most runs. A step outside it takes no time, so its successors wait
only for its own predecessors. A milestone takes no time either (its
``wait`` still counts), and a step that runs another process takes that
process's typical lead time: the called runs happen side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..graph import Flow
from ..models import Process
from .runs import satisfies, typical_answers
from .units import compare, expected_hours, plus, to_decimal

__all__ = ["Schedule", "schedule", "typical_run"]


@dataclass(frozen=True, slots=True)
class Schedule:
    """When each step can start and finish in one run, in working hours from the start.

    Uses expected durations, one execution per step and no rework, as the
    format defines lead time; ``wait`` delays the steps after it. The
    ``Decimal`` views of the exact figures are made when read.
    """

    #: The lead time as an exact fraction, for callers that add it up (process calls).
    exact_lead_time_hours: Fraction
    hours_per_day: Decimal
    critical_path: tuple[str, ...]
    exact_start: dict[str, Fraction] = field(repr=False)
    exact_finish: dict[str, Fraction] = field(repr=False)
    #: The steps of the typical run, in file order.
    typical_run: tuple[str, ...] = ()
    #: Each step's duration in the typical run: time (or the called lead time) + wait.
    exact_durations: dict[str, Fraction] = field(default_factory=dict, repr=False)

    @property
    def lead_time_hours(self) -> Decimal:
        return to_decimal(self.exact_lead_time_hours)

    @property
    def lead_time_days(self) -> Decimal:
        return to_decimal(self.exact_lead_time_hours / Fraction(self.hours_per_day))

    @property
    def earliest_start(self) -> dict[str, Decimal]:
        return {k: to_decimal(v) for k, v in self.exact_start.items()}

    @property
    def earliest_finish(self) -> dict[str, Decimal]:
        return {k: to_decimal(v) for k, v in self.exact_finish.items()}

    @property
    def durations(self) -> dict[str, Decimal]:
        return {k: to_decimal(v) for k, v in self.exact_durations.items()}

    def in_typical_run(self, step_id: str) -> bool:
        return step_id in self.typical_run

    def is_critical(self, step_id: str) -> bool:
        return step_id in self.critical_path

    def critical_edges(self) -> set[tuple[str, str]]:
        return set(zip(self.critical_path, self.critical_path[1:], strict=False))


def typical_run(process: Process) -> tuple[str, ...]:
    """The steps of the typical run: conditions at their most likely, ``per_run`` ≥ 0.5."""
    answers = typical_answers(process)
    return tuple(
        step.id
        for step in process.steps
        if step.per_run >= _HALF and (not step.when or satisfies(step.when, answers))
    )


_HALF = Decimal("0.5")


def schedule(process: Process, flow: Flow | None = None) -> Schedule:
    """The longest path through the typical run, weighted by ``time + wait``.

    Parallel branches overlap: a step starts when the last of its ``after``
    steps (and that step's wait) is done. Ties go to the earliest-listed step,
    so the critical path is stable. ``flow``: the process's ``after`` graph, when
    the caller has it (``Runs.flow``).
    """
    return _schedule(process, (), flow)


def _schedule(process: Process, calling: tuple[str, ...], flow: Flow | None = None) -> Schedule:
    clock = process.settings.clock
    flow = Flow.of(process) if flow is None else flow
    steps = process.steps
    order = {step.id: i for i, step in enumerate(steps)}
    typical = typical_run(process)
    running = set(typical)
    weight: dict[str, Fraction] = {}
    for step in steps:
        if step.id not in running:
            weight[step.id] = _ZERO
            continue
        hours = expected_hours(step.wait, clock)
        if step.time is not None:
            hours = plus(hours, expected_hours(step.time, clock))
        elif step.process is not None and step.process in process.callees:
            if step.process not in calling:  # a call cycle is refused when loading
                callee = process.callees[step.process]
                hours = plus(hours, _schedule(callee, (*calling, process.id)).exact_lead_time_hours)
        weight[step.id] = hours
    sequence = flow.sorted()
    start: dict[str, Fraction] = {}
    finish: dict[str, Fraction] = {}
    came_from: dict[str, str | None] = {}
    for node in sequence:
        # The latest-finishing predecessor; the earliest-listed one wins ties, so
        # the path is stable.
        best = None
        for pred in flow.pred[node]:
            if best is None or _later(pred, best, finish, order):
                best = pred
        came_from[node] = best
        begin = finish[best] if best is not None else _ZERO
        start[node] = begin
        finish[node] = plus(begin, weight[node])
    end = None
    for node in finish:
        if node not in running:
            continue
        # A milestone that ends the run finishes with the step before it: on such a
        # tie the event downstream ends the path, so the path passes through it.
        if (
            end is None
            or _later(node, end, finish, order)
            or (weight[node] == 0 and finish[node] == finish[end] and node in flow.descendants(end))
        ):
            end = node
    path: list[str] = []
    node_on_path = end
    while node_on_path is not None:
        if node_on_path in running:
            path.append(node_on_path)
        node_on_path = came_from[node_on_path]
    lead = finish[end] if end is not None else _ZERO
    return Schedule(
        exact_lead_time_hours=lead,
        hours_per_day=clock.hours_per_day,
        critical_path=tuple(reversed(path)),
        exact_start=start,
        exact_finish=finish,
        typical_run=typical,
        exact_durations=weight,
    )


_ZERO = Fraction(0)


def _later(a: str, b: str, finish: dict[str, Fraction], order: dict[str, int]) -> bool:
    """Whether ``a`` comes before ``b`` in ``(-finish, file order)``: later, or as late
    and listed first."""
    later = compare(finish[a], finish[b])
    return later > 0 or (later == 0 and order[a] < order[b])
