"""Lead time and the critical path of one run of a process."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import networkx as nx

from ..graph import cached_flow_graph
from ..models import Process
from .units import expected_hours, to_decimal

__all__ = ["Schedule", "schedule"]


@dataclass(frozen=True, slots=True)
class Schedule:
    """When each step can start and finish in one run, in working hours from the start.

    Uses expected durations, one execution per step and no rework, as the
    format defines lead time; ``wait`` delays the steps after it.
    """

    lead_time_hours: Decimal
    lead_time_days: Decimal
    critical_path: tuple[str, ...]
    earliest_start: dict[str, Decimal]
    earliest_finish: dict[str, Decimal]

    def is_critical(self, step_id: str) -> bool:
        return step_id in self.critical_path

    def critical_edges(self) -> set[tuple[str, str]]:
        return set(zip(self.critical_path, self.critical_path[1:], strict=False))


def schedule(process: Process) -> Schedule:
    """The longest path through the step graph weighted by ``time + wait``.

    Parallel branches overlap: a step starts when the last of its ``after``
    steps (and that step's wait) is done. Ties go to the earliest-listed step,
    so the critical path is stable.
    """
    calendar = process.settings.calendar
    graph = cached_flow_graph(process)
    order = {step.id: i for i, step in enumerate(process.steps)}
    weight = {
        step.id: expected_hours(step.time, calendar) + expected_hours(step.wait, calendar)
        for step in process.steps
    }
    start: dict[str, Fraction] = {}
    finish: dict[str, Fraction] = {}
    came_from: dict[str, str | None] = {}
    for node in nx.lexicographical_topological_sort(graph, key=order.__getitem__):
        # The earliest-listed predecessor wins ties, so the path is stable.
        preds = sorted(graph.predecessors(node), key=lambda p: (-finish[p], order[p]))
        came_from[node] = preds[0] if preds else None
        start[node] = finish[preds[0]] if preds else Fraction(0)
        finish[node] = start[node] + weight[node]
    end = min(finish, key=lambda n: (-finish[n], order[n]))
    path = [end]
    while (previous := came_from[path[-1]]) is not None:
        path.append(previous)
    lead = finish[end]
    return Schedule(
        lead_time_hours=to_decimal(lead),
        lead_time_days=to_decimal(lead / Fraction(calendar.hours_per_day)),
        critical_path=tuple(reversed(path)),
        earliest_start={k: to_decimal(v) for k, v in start.items()},
        earliest_finish={k: to_decimal(v) for k, v in finish.items()},
    )
