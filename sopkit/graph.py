"""A process as a networkx graph of its ``after`` dependencies.

Only ``after`` edges make the graph; rework edges point backwards and would
make every loop a cycle, so they are kept as step attributes and drawn or
costed separately.

Checking, costing, planning and laying out a valid process use only ``Flow``
(plain tuples), so networkx, which takes about 0.1 s to import, is imported
by the functions that build a networkx graph, report a cycle or answer the
dated plan's rarer questions, not by every command that reads a process.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Process

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Flow",
    "Reach",
    "cached_flow_graph",
    "flow_graph",
    "loop_members",
    "reach",
    "upstream",
]


def flow_graph(process: Process) -> nx.DiGraph[str]:
    """Nodes are step ids (with ``step`` attributes); an edge ``a → b`` means b is after a.

    References to unknown steps are left out: ``validate`` reports them.
    """
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    for step in process.steps:
        graph.add_node(step.id, step=step)
    for step in process.steps:
        for before in step.after:
            if before in graph and before != step.id:
                graph.add_edge(before, step.id)
    return graph


#: The last process ``cached_flow_graph`` saw, and its graph. One tuple, read
#: and replaced whole, so threads rendering different processes never see one
#: process paired with another's graph.
_LAST: list[tuple[Process, nx.DiGraph[str]]] = []


def cached_flow_graph(process: Process) -> nx.DiGraph[str]:
    """``flow_graph`` built once per process and frozen, for read-only use inside sopkit.

    Validating and costing a process each ask for its graph several times in a
    row; building it once saves most of that. The graph is frozen (networkx
    raises on any change), so sharing it is safe; callers that want to change a
    graph use ``flow_graph``.
    """
    last = next(iter(_LAST), None)
    if last is not None and last[0] is process:
        return last[1]
    import networkx as nx

    graph: nx.DiGraph[str] = nx.freeze(flow_graph(process))
    _LAST[:] = [(process, graph)]
    return graph


@dataclass(frozen=True, slots=True)
class Flow:
    """The ``after`` graph of one process as plain tuples, for the checks and costing.

    The same nodes and edges as ``flow_graph`` (self-references and references
    to no step left out), without networkx: building a ``DiGraph`` and asking
    it for a topological order cost more than the rest of costing a small
    process. ``pred`` and ``succ`` list each step's neighbours.
    """

    ids: tuple[str, ...]
    pred: dict[str, tuple[str, ...]]
    succ: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, process: Process) -> Flow:
        return cls.read((step.id, step.after) for step in process.steps)

    @classmethod
    def read(cls, steps: Iterable[tuple[str, Iterable[str]]]) -> Flow:
        """From ``(id, after)`` pairs in file order."""
        listed = list(steps)
        ids = tuple(dict.fromkeys(step_id for step_id, _ in listed))
        pred: dict[str, dict[str, None]] = {step_id: {} for step_id in ids}
        succ: dict[str, dict[str, None]] = {step_id: {} for step_id in ids}
        for step_id, after in listed:
            for before in after:
                if before in pred and before != step_id:
                    pred[step_id][before] = None
                    succ[before][step_id] = None
        return cls(
            ids,
            {k: tuple(v) for k, v in pred.items()},
            {k: tuple(v) for k, v in succ.items()},
        )

    def order(self) -> tuple[str, ...] | None:
        """The steps in dependency order, the earliest-listed first among those ready
        (``nx.lexicographical_topological_sort`` by file order); ``None`` on a cycle."""
        index = {step_id: i for i, step_id in enumerate(self.ids)}
        waiting = {step_id: len(self.pred[step_id]) for step_id in self.ids}
        ready = [index[step_id] for step_id, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        found: list[str] = []
        while ready:
            node = self.ids[heapq.heappop(ready)]
            found.append(node)
            for child in self.succ[node]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    heapq.heappush(ready, index[child])
        return tuple(found) if len(found) == len(self.ids) else None

    def sorted(self) -> tuple[str, ...]:
        """``order()`` for steps known to form no cycle (loaded processes).

        Raises:
            networkx.NetworkXUnfeasible: when they do form one, as networkx's own
                sort raises it (networkx is imported only then: it costs 0.1 s).
        """
        order = self.order()
        if order is None:
            import networkx as nx

            raise nx.NetworkXUnfeasible("the steps form a cycle through 'after'")
        return order

    def reach(self) -> Reach:
        """Which steps reach which (see ``Reach``).

        Raises:
            networkx.NetworkXUnfeasible: when the steps form a cycle.
        """
        return _reach(self.sorted(), self.pred, self.succ)

    def descendants(self, step_id: str) -> set[str]:
        """Every step that comes after ``step_id``, directly or not."""
        found: set[str] = set()
        todo = [step_id]
        while todo:
            for child in self.succ[todo.pop()]:
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def upstream(graph: nx.DiGraph[str], step_id: str) -> set[str]:
    """Every step that must finish before ``step_id`` can start."""
    import networkx as nx

    return set(nx.ancestors(graph, step_id))


def loop_members(graph: nx.DiGraph[str], start: str, end: str) -> set[str]:
    """The steps on some path from ``start`` (rework target) to ``end`` (reworking step)."""
    if start == end:
        return {end}
    import networkx as nx

    between: set[str] = nx.descendants(graph, start) & nx.ancestors(graph, end)  # type: ignore[arg-type]
    return between | {start, end}


@dataclass(frozen=True, slots=True)
class Reach:
    """Which steps reach which, as bit sets: one pass over the graph answers every query.

    ``nx.ancestors`` per rework loop walks the graph once per loop; a portfolio
    file with thousands of loops made that quadratic in Python. Bit sets cost
    one big-integer OR per edge, and a loop's members are one AND.
    """

    order: tuple[str, ...]
    index: dict[str, int]
    ancestors: dict[str, int]
    descendants: dict[str, int]

    def bit(self, step_id: str) -> int:
        return 1 << self.index[step_id]

    def is_upstream(self, before: str, step_id: str) -> bool:
        """Whether ``before`` must finish before ``step_id`` can start."""
        return bool(self.ancestors[step_id] & self.bit(before))

    def loop(self, start: str, end: str) -> int:
        """The steps on some path from ``start`` (rework target) to ``end`` (reworking step)."""
        if start == end:
            return self.bit(end)
        return (self.descendants[start] & self.ancestors[end]) | self.bit(start) | self.bit(end)

    def members(self, bits: int) -> list[str]:
        """The step ids in a bit set, in graph order."""
        found = []
        while bits:
            low = bits & -bits
            found.append(self.order[low.bit_length() - 1])
            bits ^= low
        return found


def reach(graph: nx.DiGraph[str]) -> Reach:
    """Ancestors and descendants of every step of an acyclic flow graph, as bit sets.

    Raises:
        networkx.NetworkXUnfeasible: when the graph has a cycle (``validate`` reports it).
    """
    import networkx as nx

    return _reach(tuple(nx.topological_sort(graph)), graph.pred, graph.succ)


def _reach(
    order: tuple[str, ...], preds: Mapping[str, Iterable[str]], succs: Mapping[str, Iterable[str]]
) -> Reach:
    index = {node: i for i, node in enumerate(order)}
    ancestors: dict[str, int] = {}
    for node in order:
        bits = 0
        for pred in preds[node]:
            bits |= ancestors[pred] | (1 << index[pred])
        ancestors[node] = bits
    descendants: dict[str, int] = {}
    for node in reversed(order):
        bits = 0
        for succ in succs[node]:
            bits |= descendants[succ] | (1 << index[succ])
        descendants[node] = bits
    return Reach(order, index, ancestors, descendants)
