"""Lead time and the critical path of one run of a process."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
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
    for node in _in_file_order(graph, order):
        # The latest-finishing predecessor; the earliest-listed one wins ties, so
        # the path is stable.
        best = None
        for pred in graph.pred[node]:
            if best is None or _later(pred, best, finish, order):
                best = pred
        came_from[node] = best
        start[node] = finish[best] if best is not None else Fraction(0)
        finish[node] = start[node] + weight[node]
    end = None
    for node in finish:
        if end is None or _later(node, end, finish, order):
            end = node
    assert end is not None  # a process has at least one step
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


def _later(a: str, b: str, finish: dict[str, Fraction], order: dict[str, int]) -> bool:
    """Whether ``a`` comes before ``b`` in ``(-finish, file order)``: later, or as late
    and listed first."""
    return finish[a] > finish[b] or (finish[a] == finish[b] and order[a] < order[b])


def _in_file_order(graph: nx.DiGraph[str], order: dict[str, int]) -> Iterator[str]:
    """``nx.lexicographical_topological_sort(graph, key=order.__getitem__)``, without
    networkx's per-node overhead: of the steps whose predecessors are done, always the
    earliest-listed next (the keys are distinct, so the order is the same)."""
    by_index = {index: node for node, index in order.items()}
    pred, succ = graph.pred, graph.succ
    waiting = {node: len(pred[node]) for node in graph}
    ready = [order[node] for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    done = 0
    while ready:
        node = by_index[heapq.heappop(ready)]
        for child in succ[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, order[child])
        done += 1
        yield node
    if done < len(waiting):
        raise nx.NetworkXUnfeasible("Graph contains a cycle or graph changed during iteration")
