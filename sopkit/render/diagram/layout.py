"""Swimlane geometry: lanes as full-width bands, steps in their owner's band, arrows routed.

Pure and independent of costs and drawing: it takes what must be placed (lanes
with the size of their header text, nodes with their size, edges with the size
of their labels) and returns where everything goes. The swimlane drawing
(``swimlane.py``) and exporters such as BPMN use the same ``Layout``.

The picture is built in two abstract axes, *along* the flow (u) and *across*
the lanes (v), then mapped to x/y: ``LR`` puts u on x (lanes are rows), ``TB``
on y (lanes are columns). In those terms:

* **ranks**: a node's column is the longest chain of ``flow`` edges before it;
  a node with no predecessor moves next to its first successor.
* **bands**: one per lane, in the order given, full width, stacked across;
  each band holds rows, and a rank with several nodes of one lane puts them in
  different rows. The header cell sits at the start of the band (u = 0), so
  every node and every arrow lies after it.
* **arrows** are orthogonal and live in the free space between nodes:
  *channels* between columns (running across) and *corridors* between rows
  (running along). A flow edge leaves its source's far side at the centre
  line (all edges of one source share that trunk, so a wait is labelled once,
  beside it), runs in a channel to the target's row, or first along a
  corridor when columns lie between, and enters the target's near side at a
  port of its own. A rework edge leaves the bottom (v+ side) of the step that
  sends work back, runs back along the corridor under it and up into the
  bottom of the step it returns to, so it never shares a line with a forward
  edge. Segments that would overlap in one channel or corridor get separate
  tracks.

All coordinates are finite, non-negative and rounded to 0.01 pt; nodes never
overlap each other, their lane's header, or another lane.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ...graph import Flow
from ...models import StepKind
from .geometry import Box, Point

__all__ = [
    "EdgeRoute",
    "EdgeSpec",
    "LaneBox",
    "LaneSpec",
    "Layout",
    "NodeBox",
    "NodeSpec",
    "Spacing",
    "lay_out",
]

#: What a node stands for: a step's kind (``Step.kind``).
NodeKind = StepKind
EdgeKind = Literal["flow", "rework"]


# --- what to place ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LaneSpec:
    """A lane and the size of what its header cell must hold (text block, points)."""

    key: str
    header_width: float
    header_height: float


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """A node to place: its lane, kind and shape size.

    ``label_width``/``label_height`` size a caption outside the shape (a
    milestone's name): above the shape left to right, to its left top to
    bottom. ``out_label_*`` size the one label on the node's outgoing arrows
    (its wait).
    """

    id: str
    lane: str
    kind: NodeKind
    width: float
    height: float
    label_width: float = 0.0
    label_height: float = 0.0
    out_label_width: float = 0.0
    out_label_height: float = 0.0


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """An arrow: ``flow`` (``after``) or ``rework`` (back upstream), with its label's size."""

    source: str
    target: str
    kind: EdgeKind = "flow"
    label_width: float = 0.0
    label_height: float = 0.0


@dataclass(frozen=True, slots=True)
class Spacing:
    """Distances in points; the defaults suit 10–12 pt text."""

    margin: float = 14.0
    header_padding: float = 8.0
    band_padding: float = 8.0
    row_gap: float = 14.0
    channel_padding: float = 8.0
    arrow_room: float = 14.0
    track: float = 7.0
    label_gap: float = 3.0
    caption_gap: float = 4.0
    port_inset: float = 9.0
    min_channel: float = 26.0


# --- what comes out ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LaneBox:
    """A lane: its band (the full width of the drawing) and its header cell inside it."""

    key: str
    index: int
    band: Box
    header: Box


@dataclass(frozen=True, slots=True)
class NodeBox:
    """A placed node: ``shape`` is where arrows attach; ``label`` its outside caption."""

    id: str
    lane: str
    kind: NodeKind
    shape: Box
    label: Box | None
    rank: int
    row: int

    @property
    def bounds(self) -> Box:
        return self.shape if self.label is None else self.shape.union(self.label)


@dataclass(frozen=True, slots=True)
class EdgeRoute:
    """A routed arrow: orthogonal waypoints from the source's side to the target's."""

    source: str
    target: str
    kind: EdgeKind
    points: tuple[Point, ...]
    label: Box | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything goes. ``cuts_along``/``cuts_across`` are where a page may end:
    lines that cross no node and no label (between columns, between bands or rows)."""

    direction: Literal["LR", "TB"]
    width: float
    height: float
    lanes: tuple[LaneBox, ...]
    nodes: tuple[NodeBox, ...]
    edges: tuple[EdgeRoute, ...]
    #: The label on each node's outgoing arrows (its wait), by node id.
    out_labels: dict[str, Box] = field(default_factory=dict)
    #: x (LR) or y (TB) positions between columns.
    cuts_along: tuple[float, ...] = ()
    #: y (LR) or x (TB) positions between bands, and between rows inside a band.
    cuts_across: tuple[float, ...] = ()
    #: Extent of the header cells along the flow (their width LR, height TB).
    header_size: float = 0.0

    def node(self, node_id: str) -> NodeBox:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def lane(self, key: str) -> LaneBox:
        for lane in self.lanes:
            if lane.key == key:
                return lane
        raise KeyError(key)

    @property
    def body(self) -> Box:
        return Box(0, 0, self.width, self.height)

    def moved(self, dx: float, dy: float) -> Layout:
        """The same layout shifted (e.g. below a title); ``dx``, ``dy`` ≥ 0."""
        horizontal = self.direction == "LR"
        along = dx if horizontal else dy
        across = dy if horizontal else dx
        return replace(
            self,
            lanes=tuple(
                replace(lane, band=lane.band.moved(dx, dy), header=lane.header.moved(dx, dy))
                for lane in self.lanes
            ),
            nodes=tuple(
                replace(
                    node,
                    shape=node.shape.moved(dx, dy),
                    label=None if node.label is None else node.label.moved(dx, dy),
                )
                for node in self.nodes
            ),
            edges=tuple(
                replace(
                    edge,
                    points=tuple(p.moved(dx, dy) for p in edge.points),
                    label=None if edge.label is None else edge.label.moved(dx, dy),
                )
                for edge in self.edges
            ),
            out_labels={k: box.moved(dx, dy) for k, box in self.out_labels.items()},
            cuts_along=tuple(round(c + along, 2) for c in self.cuts_along),
            cuts_across=tuple(round(c + across, 2) for c in self.cuts_across),
        )

    def stretched(self, width: float, height: float) -> Layout:
        """The drawing grown to at least ``width`` × ``height``, the bands with it.

        Bands grow along the flow to the new length; the last band grows across,
        so the bands still tile a drawing whose title is wider than the diagram.
        """
        new_width, new_height = max(width, self.width), max(height, self.height)
        dx, dy = new_width - self.width, new_height - self.height
        last = len(self.lanes) - 1
        lanes = []
        for lane in self.lanes:
            band, header = lane.band, lane.header
            if self.direction == "LR":
                band = Box(band.x, band.y, band.w + dx, band.h + (dy if lane.index == last else 0))
                if lane.index == last:
                    header = Box(header.x, header.y, header.w, header.h + dy)
            else:
                band = Box(band.x, band.y, band.w + (dx if lane.index == last else 0), band.h + dy)
                if lane.index == last:
                    header = Box(header.x, header.y, header.w + dx, header.h)
            lanes.append(replace(lane, band=band, header=header))
        return replace(self, lanes=tuple(lanes), width=new_width, height=new_height)


# --- the algorithm ----------------------------------------------------------------------


def lay_out(
    lanes: Sequence[LaneSpec],
    nodes: Sequence[NodeSpec],
    edges: Sequence[EdgeSpec],
    *,
    direction: Literal["LR", "TB"] = "LR",
    spacing: Spacing | None = None,
) -> Layout:
    """Place lanes, nodes and edges.

    Raises:
        ValueError: a node names an unknown lane, an edge an unknown node, or
            the flow edges have a cycle (the process validator refuses all three).
    """
    return _Planner(lanes, nodes, edges, direction, spacing or Spacing()).run()


#: A position across, as an order key: (band, slot, offset). Slots count corridors
#: (even: 2k) and rows (odd: 2r + 1); offset orders tracks or ports within a slot.
_VKey = tuple[int, int, float]
#: A position along: (slot, offset); channels are even (2c), columns odd (2c + 1).
_UKey = tuple[int, float]


@dataclass(slots=True, eq=False)
class _Route:
    """An edge's route before coordinates: which channel, corridor and tracks it uses."""

    spec: EdgeSpec
    #: Flow: "adjacent" (next column), "straight" (along the source's line) or "corridor".
    mode: str = "adjacent"
    corridor: tuple[int, int] | None = None  # (band, corridor index)
    corridor_track: int = 0
    in_track: int = 0  # channel track of the final vertical (long flow edges, rework)
    target_corridor: tuple[int, int] | None = None  # rework: the corridor under the target
    target_corridor_track: int = 0
    port: int = 0
    ports: int = 1
    entry: int = 0  # rework: which entry stub under the target


class _Planner:
    def __init__(
        self,
        lanes: Sequence[LaneSpec],
        nodes: Sequence[NodeSpec],
        edges: Sequence[EdgeSpec],
        direction: Literal["LR", "TB"],
        spacing: Spacing,
    ) -> None:
        self.lanes = list(lanes)
        self.lane_index = {lane.key: i for i, lane in enumerate(self.lanes)}
        self.specs = {node.id: node for node in nodes}
        self.order = {node.id: i for i, node in enumerate(nodes)}
        for node in nodes:
            if node.lane not in self.lane_index:
                raise ValueError(f"node {node.id!r} names an unknown lane {node.lane!r}")
        for edge in edges:
            if edge.source not in self.specs or edge.target not in self.specs:
                raise ValueError(f"edge {edge.source!r} → {edge.target!r} names an unknown node")
        self.flow = [e for e in edges if e.kind == "flow" and e.source != e.target]
        self.rework = [e for e in edges if e.kind == "rework"]
        self.horizontal = direction == "LR"
        self.direction: Literal["LR", "TB"] = direction
        self.sp = spacing

    # --- sizes in the abstract axes ---

    def along(self, width: float, height: float) -> float:
        return width if self.horizontal else height

    def across(self, width: float, height: float) -> float:
        return height if self.horizontal else width

    def shape_size(self, node: NodeSpec) -> tuple[float, float]:
        return self.along(node.width, node.height), self.across(node.width, node.height)

    def caption_size(self, node: NodeSpec) -> tuple[float, float]:
        if not node.label_width:
            return 0.0, 0.0
        return (
            self.along(node.label_width, node.label_height),
            self.across(node.label_width, node.label_height),
        )

    def out_label_size(self, node: NodeSpec) -> tuple[float, float]:
        if not node.out_label_width:
            return 0.0, 0.0
        return (
            self.along(node.out_label_width, node.out_label_height),
            self.across(node.out_label_width, node.out_label_height),
        )

    def rework_label_size(self, edge: EdgeSpec) -> tuple[float, float]:
        if not edge.label_width:
            return 0.0, 0.0
        return (
            self.along(edge.label_width, edge.label_height),
            self.across(edge.label_width, edge.label_height),
        )

    # --- 1. ranks and rows ---

    def rank(self) -> None:
        after: dict[str, list[str]] = {node: [] for node in self.specs}
        for edge in self.flow:
            after[edge.target].append(edge.source)
        graph = Flow.read(after.items())
        ordered = graph.order()  # ties by self.order: the nodes are read in that order
        if ordered is None:
            raise ValueError("the flow edges have a cycle")
        topo = list(ordered)
        rank: dict[str, int] = {}
        for node in topo:
            rank[node] = max((rank[p] + 1 for p in graph.pred[node]), default=0)
        for node in reversed(topo):
            if not graph.pred[node] and graph.succ[node]:
                rank[node] = min(rank[s] for s in graph.succ[node]) - 1
        self.graph = graph
        self.topo = topo
        self.ranks = rank
        self.columns = max(rank.values(), default=-1) + 1

    def rows(self) -> None:
        cells: dict[tuple[int, int], list[str]] = {}
        for node in self.topo:
            cells.setdefault((self.lane_index[self.specs[node].lane], self.ranks[node]), []).append(
                node
            )
        band_rows = [1] * len(self.lanes)
        for (band, _), members in cells.items():
            band_rows[band] = max(band_rows[band], len(members))
        row: dict[str, int] = {}
        for column in range(self.columns):
            for band in range(len(self.lanes)):
                members = cells.get((band, column), [])
                if not members:
                    continue
                wanted = {n: self._preferred_row(n, row) for n in members}
                members.sort(key=lambda n: (wanted[n], self.order[n]))
                free = list(range(band_rows[band]))
                for node in members:
                    best = min(free, key=lambda r, n=node: (abs(r - wanted[n]), r))  # type: ignore[misc]
                    row[node] = best
                    free.remove(best)
        self.row = row
        self.band_rows = band_rows
        self.cells = cells

    def _preferred_row(self, node: str, placed: dict[str, int]) -> float:
        """The mean row of the node's same-lane predecessors (0 without any)."""
        lane = self.specs[node].lane
        same = [placed[p] for p in self.graph.pred[node] if self.specs[p].lane == lane]
        return sum(same) / len(same) if same else 0.0

    def band_of(self, node: str) -> int:
        return self.lane_index[self.specs[node].lane]

    # --- 2. routes (abstract) ---

    def route(self) -> None:
        self.routes: list[_Route] = []
        incoming: dict[str, list[tuple[_VKey, _Route]]] = {}
        for spec in self.flow:
            route = _Route(spec)
            source, target = spec.source, spec.target
            span = self.ranks[target] - self.ranks[source]
            if span > 1:
                route.mode = "straight" if self._line_free(source, target) else "corridor"
            if route.mode == "corridor":
                route.corridor = self._corridor_for(source, target)
            self.routes.append(route)
            incoming.setdefault(target, []).append((self._arrival_key(route), route))
        for target, arrivals in incoming.items():
            arrivals.sort(key=lambda item: (item[0], self.order[item[1].spec.source]))
            # arrows into an event join at one point, as flows merge in BPMN; a box
            # gives each arrow a port of its own
            joined = self.specs[target].kind == "milestone"
            for index, (_, route) in enumerate(arrivals):
                route.port, route.ports = (0, 1) if joined else (index, len(arrivals))
        entries: dict[str, int] = {}
        for spec in self.rework:
            route = _Route(spec, mode="rework")
            route.corridor = (self.band_of(spec.source), self.row[spec.source] + 1)
            route.target_corridor = (self.band_of(spec.target), self.row[spec.target] + 1)
            route.entry = entries.get(spec.target, 0)
            entries[spec.target] = route.entry + 1
            self.routes.append(route)

    def _centre_key(self, node: str) -> _VKey:
        return (self.band_of(node), 2 * self.row[node] + 1, 0.0)

    def _arrival_key(self, route: _Route) -> _VKey:
        if route.mode == "corridor":
            assert route.corridor is not None
            return (route.corridor[0], 2 * route.corridor[1], 0.0)
        return self._centre_key(route.spec.source)

    def _line_free(self, source: str, target: str) -> bool:
        """Whether the source's row is empty in every column between source and target."""
        band, row = self.band_of(source), self.row[source]
        for column in range(self.ranks[source] + 1, self.ranks[target]):
            for node in self.cells.get((band, column), []):
                if self.row[node] == row:
                    return False
        return True

    def _corridor_for(self, source: str, target: str) -> tuple[int, int]:
        """The corridor next to the source's or the target's row that needs least travel."""
        start, end = self._centre_key(source), self._centre_key(target)
        candidates = [
            (target, 0, self.row[target] + (1 if start > end else 0)),
            (target, 1, self.row[target] + (0 if start > end else 1)),
            (source, 2, self.row[source] + (1 if end > start else 0)),
            (source, 3, self.row[source] + (0 if end > start else 1)),
        ]

        def travel(candidate: tuple[str, int, int]) -> tuple[float, int]:
            node, preference, index = candidate
            v = self.rough_corridor(self.band_of(node), index)
            return (
                abs(self.rough_centre(source) - v) + abs(v - self.rough_centre(target)),
                preference,
            )

        node, _, index = min(candidates, key=travel)
        return (self.band_of(node), index)

    # rough positions across (before tracks), to choose corridors
    def rough(self) -> None:
        self.rough_rows: dict[tuple[int, int], float] = {}
        self.rough_corridors: dict[tuple[int, int], float] = {}
        v = 0.0
        for band in range(len(self.lanes)):
            for index in range(self.band_rows[band] + 1):
                self.rough_corridors[(band, index)] = v + self.sp.row_gap / 2
                v += self.sp.row_gap
                if index < self.band_rows[band]:
                    above, below = self.row_extent(band, index)
                    self.rough_rows[(band, index)] = v + above
                    v += above + below

    def rough_centre(self, node: str) -> float:
        return self.rough_rows[(self.band_of(node), self.row[node])]

    def rough_corridor(self, band: int, index: int) -> float:
        return self.rough_corridors[(band, index)]

    def row_extent(self, band: int, row: int) -> tuple[float, float]:
        """How far the row reaches before and after its centre line (across)."""
        above = below = 0.0
        for column in range(self.columns):
            for node in self.cells.get((band, column), []):
                if self.row[node] != row:
                    continue
                spec = self.specs[node]
                _, shape_across = self.shape_size(spec)
                _, caption_across = self.caption_size(spec)
                caption = caption_across + self.sp.caption_gap if caption_across else 0.0
                above = max(above, shape_across / 2 + caption)
                below = max(below, shape_across / 2)
                _, label_across = self.out_label_size(spec)
                if label_across and self.horizontal:  # the wait sits above the trunk
                    above = max(above, label_across + 2)
                elif label_across:  # beside it
                    below = max(below, label_across + self.sp.label_gap)
        return above, below

    def _exit_offset(self, spec: NodeSpec, shape_along: float) -> float:
        """Where a rework arrow leaves the shape's bottom, from its centre along the flow."""
        if spec.kind == "milestone":
            return shape_along / 4
        return shape_along / 2 - self.sp.port_inset

    # --- 3. tracks ---

    def tracks(self) -> None:
        """Give every segment that shares a channel or corridor with another a track."""
        channel_items: dict[int, list[tuple[_VKey, _VKey, object]]] = {}
        corridor_items: dict[tuple[int, int], list[tuple[_UKey, _UKey, object]]] = {}
        self.trunks: dict[str, tuple[_VKey, _VKey]] = {}
        by_source: dict[str, list[_Route]] = {}
        for route in self.routes:
            if route.mode != "rework":
                by_source.setdefault(route.spec.source, []).append(route)
        for source, routes in by_source.items():
            keys = [self._centre_key(source)]
            for route in routes:
                if route.mode == "adjacent":
                    keys.append(self._port_key(route))
                elif route.mode == "corridor":
                    assert route.corridor is not None
                    keys.append(self._corridor_key(route.corridor))
            low, high = min(keys), max(keys)
            if low != high:
                self.trunks[source] = (low, high)
                channel_items.setdefault(self.ranks[source] + 1, []).append((low, high, source))
        for route in self.routes:
            spec = route.spec
            if route.mode in ("straight", "corridor"):
                start = (
                    self._centre_key(spec.source)
                    if route.mode == "straight"
                    else self._corridor_key(route.corridor)  # type: ignore[arg-type]
                )
                end = self._port_key(route)
                low, high = min(start, end), max(start, end)
                if low != high:
                    channel_items.setdefault(self.ranks[spec.target], []).append((low, high, route))
            if route.mode == "corridor":
                assert route.corridor is not None
                first = (2 * (self.ranks[spec.source] + 1), 0.0)
                last = (2 * self.ranks[spec.target], 0.0)
                corridor_items.setdefault(route.corridor, []).append((first, last, route))
            if route.mode == "rework":
                assert route.corridor is not None and route.target_corridor is not None
                column_s, column_t = self.ranks[spec.source], self.ranks[spec.target]
                if route.corridor == route.target_corridor:
                    corridor_items.setdefault(route.corridor, []).append(
                        ((2 * column_t + 1, 0.0), (2 * column_s + 1, 0.0), route)
                    )
                    continue
                channel = column_t + 1
                a, b = self._corridor_key(route.corridor), self._corridor_key(route.target_corridor)
                channel_items.setdefault(channel, []).append((min(a, b), max(a, b), ("rw", route)))
                corridor_items.setdefault(route.corridor, []).append(
                    ((2 * channel, 0.0), (2 * column_s + 1, 0.0), route)
                )
                corridor_items.setdefault(route.target_corridor, []).append(
                    ((2 * column_t + 1, 0.0), (2 * channel, 0.0), ("target", route))
                )
        self.channel_tracks: dict[int, int] = {}
        self.trunk_track: dict[str, int] = {}
        for channel, items in channel_items.items():
            assignment = _colour(items)
            self.channel_tracks[channel] = max(assignment.values(), default=-1) + 1
            for owner, track in assignment.items():
                if isinstance(owner, str):
                    self.trunk_track[owner] = track
                elif isinstance(owner, tuple):
                    owner[1].in_track = track
                elif isinstance(owner, _Route):
                    owner.in_track = track
        self.corridor_tracks: dict[tuple[int, int], int] = {}
        for corridor, corridor_list in corridor_items.items():
            assignment = _colour(corridor_list)
            self.corridor_tracks[corridor] = max(assignment.values(), default=-1) + 1
            for owner, track in assignment.items():
                if isinstance(owner, tuple):
                    owner[1].target_corridor_track = track
                elif isinstance(owner, _Route):
                    owner.corridor_track = track

    def _port_key(self, route: _Route) -> _VKey:
        band, slot, _ = self._centre_key(route.spec.target)
        return (band, slot, (route.port + 1) / (route.ports + 1) - 0.5)

    @staticmethod
    def _corridor_key(corridor: tuple[int, int]) -> _VKey:
        return (corridor[0], 2 * corridor[1], 0.0)

    # --- 4. coordinates ---

    def place(self) -> Layout:
        sp = self.sp
        # across: bands, corridors and rows
        header_along = max(
            (self.along(x.header_width, x.header_height) for x in self.lanes), default=0
        )
        header_along += 2 * sp.header_padding
        strips = self._label_strips()
        self.corridor_v: dict[tuple[int, int], float] = {}
        self.row_v: dict[tuple[int, int], float] = {}
        bands: list[tuple[float, float]] = []
        cuts_across: list[float] = []
        v = 0.0
        for band, lane in enumerate(self.lanes):
            top = v
            rows = self.band_rows[band]
            for index in range(rows + 1):
                edge = index in (0, rows)
                tracks = self.corridor_tracks.get((band, index), 0)
                strip = strips.get((band, index), 0.0)
                base = sp.band_padding if edge else sp.row_gap
                if band == len(self.lanes) - 1 and index == rows:
                    # the drawing's last edge: a margin, as the other side has, so the
                    # last lane's last box does not touch the picture's edge
                    base = sp.margin
                size = max(
                    base, strip + tracks * sp.track + sp.row_gap / 2 + (sp.track if tracks else 0)
                )
                first_track = v + strip + sp.track / 2 + sp.row_gap / 4
                self.corridor_v[(band, index)] = first_track
                if 0 < index < rows:  # a page may end here, clear of labels and tracks
                    last = first_track + (tracks - 1) * sp.track if tracks else v + strip
                    cuts_across.append((last + v + size) / 2)
                v += size
                if index < rows:
                    above, below = self.row_extent(band, index)
                    self.row_v[(band, index)] = v + above
                    v += above + below
            header_across = (
                self.across(lane.header_width, lane.header_height) + 2 * sp.header_padding
            )
            v = max(v, top + header_across)
            bands.append((top, v))
            if band < len(self.lanes) - 1:
                cuts_across.append(v)
        total_across = v
        # along: header, channels and columns
        widths = [0.0] * self.columns
        for node, spec in self.specs.items():
            shape_along, _ = self.shape_size(spec)
            caption_along, _ = self.caption_size(spec)
            reserve = 0.0
            for rework in self.rework:
                if rework.source == node:
                    # the label ends left of the exit stub and must stay inside the column
                    exit_offset = self._exit_offset(spec, shape_along)
                    reserve = 2 * (self.rework_label_size(rework)[0] + sp.label_gap - exit_offset)
            widths[self.ranks[node]] = max(
                widths[self.ranks[node]], shape_along, caption_along, reserve
            )
        label_room = [0.0] * self.columns
        for node, spec in self.specs.items():
            room, _ = self.out_label_size(spec)
            if room:
                label_room[self.ranks[node]] = max(
                    label_room[self.ranks[node]], room + 2 * sp.label_gap
                )
        self.column_u: list[float] = []
        self.channel_u: dict[int, float] = {}
        cuts_along: list[float] = []
        u = header_along + sp.margin
        for column in range(self.columns):
            if column > 0:
                tracks = self.channel_tracks.get(column, 0)
                size = max(
                    sp.min_channel,
                    sp.channel_padding + label_room[column - 1] + tracks * sp.track + sp.arrow_room,
                )
                self.channel_u[column] = u + sp.channel_padding + label_room[column - 1]
                cuts_along.append(u + sp.channel_padding + label_room[column - 1])
                u += size
            self.column_u.append(u)
            u += widths[column]
        total_along = u + sp.margin
        self.widths = widths
        # nodes
        placed: dict[str, NodeBox] = {}
        for node, spec in self.specs.items():
            column, band, row = self.ranks[node], self.band_of(node), self.row[node]
            centre_u = self.column_u[column] + widths[column] / 2
            centre_v = self.row_v[(band, row)]
            shape_along, shape_across = self.shape_size(spec)
            shape = self._box(
                centre_u - shape_along / 2, centre_v - shape_across / 2, shape_along, shape_across
            )
            label = None
            caption_along, caption_across = self.caption_size(spec)
            if caption_along:
                label = self._box(
                    centre_u - caption_along / 2,
                    centre_v - shape_across / 2 - sp.caption_gap - caption_across,
                    caption_along,
                    caption_across,
                )
            placed[node] = NodeBox(node, spec.lane, spec.kind, shape, label, column, row)
        self.placed = placed
        edges = [self._edge_route(route) for route in self.routes]
        out_labels = {}
        for node, spec in self.specs.items():
            room_along, room_across = self.out_label_size(spec)
            if not room_along or not any(e.source == node for e in self.flow):
                continue
            u0 = self._u_end(node) + sp.label_gap
            centre = self._centre_v(node)
            v0 = centre - room_across - 2 if self.horizontal else centre + sp.label_gap
            out_labels[node] = self._box(u0, v0, room_along, room_across)
        lanes = []
        for index, (lane, (top, bottom)) in enumerate(zip(self.lanes, bands, strict=True)):
            band_box = self._box(0, top, total_along, bottom - top)
            header = self._box(0, top, header_along, bottom - top)
            lanes.append(LaneBox(lane.key, index, band_box, header))
        width, height = (
            (total_along, total_across) if self.horizontal else (total_across, total_along)
        )
        return Layout(
            direction=self.direction,
            width=round(width, 2),
            height=round(height, 2),
            lanes=tuple(lanes),
            nodes=tuple(placed[n] for n in self.specs),
            edges=tuple(edges),
            out_labels=out_labels,
            cuts_along=tuple(round(c, 2) for c in cuts_along),
            cuts_across=tuple(round(c, 2) for c in sorted(cuts_across)),
            header_size=round(header_along, 2),
        )

    def _label_strips(self) -> dict[tuple[int, int], float]:
        """Room at the top of the corridor under each row for its rework labels."""
        strips: dict[tuple[int, int], float] = {}
        for edge in self.rework:
            _, across = self.rework_label_size(edge)
            if across:
                key = (self.band_of(edge.source), self.row[edge.source] + 1)
                strips[key] = max(
                    strips.get(key, 0.0), across + self._beside_gap() + self.sp.label_gap
                )
        return strips

    def _beside_gap(self) -> float:
        """Between a shape and the rework label beside its v+ side. Flowing down, the
        label stands to the right of the box, where three points of air beside a
        double sign-off outline read as touching it: twice that, there."""
        return self.sp.label_gap if self.horizontal else 2 * self.sp.label_gap

    def _box(self, u: float, v: float, along: float, across: float) -> Box:
        if self.horizontal:
            return Box(round(u, 2), round(v, 2), round(along, 2), round(across, 2))
        return Box(round(v, 2), round(u, 2), round(across, 2), round(along, 2))

    def _point(self, u: float, v: float) -> Point:
        return (
            Point(round(u, 2), round(v, 2)) if self.horizontal else Point(round(v, 2), round(u, 2))
        )

    def _u_start(self, node: str) -> float:
        shape = self.placed[node].shape
        return shape.x if self.horizontal else shape.y

    def _u_end(self, node: str) -> float:
        shape = self.placed[node].shape
        return shape.right if self.horizontal else shape.bottom

    def _v_end(self, node: str) -> float:
        shape = self.placed[node].shape
        return shape.bottom if self.horizontal else shape.right

    def _centre_v(self, node: str) -> float:
        return self.row_v[(self.band_of(node), self.row[node])]

    def _port_v(self, route: _Route) -> float:
        node = self.placed[route.spec.target]
        shape = node.shape
        across = shape.h if self.horizontal else shape.w
        centre = self._centre_v(route.spec.target)
        if route.ports == 1:
            return centre
        usable = max(across - 2 * self.sp.port_inset, 0.0)
        return centre - usable / 2 + usable * route.port / (route.ports - 1)

    def _in_u(self, route: _Route, v: float) -> float:
        """Where an arrow at ``v`` meets the target's near side (a circle's edge for events)."""
        node = self.placed[route.spec.target]
        if node.kind != "milestone":
            return self._u_start(route.spec.target)
        radius = (node.shape.w if self.horizontal else node.shape.h) / 2
        offset = v - self._centre_v(route.spec.target)
        centre_u = self._u_start(route.spec.target) + radius
        return centre_u - math.sqrt(max(radius * radius - offset * offset, 0.0))

    def _track_u(self, channel: int, track: int) -> float:
        return self.channel_u[channel] + (track + 0.5) * self.sp.track

    def _corridor_track_v(self, corridor: tuple[int, int], track: int) -> float:
        return self.corridor_v[corridor] + track * self.sp.track

    def _edge_route(self, route: _Route) -> EdgeRoute:
        spec = route.spec
        if route.mode == "rework":
            return self._rework_route(route)
        source, target = spec.source, spec.target
        start_v = self._centre_v(source)
        port_v = self._port_v(route)
        points = [(self._u_end(source), start_v)]
        if route.mode == "adjacent":
            if source in self.trunks:
                x = self._track_u(self.ranks[source] + 1, self.trunk_track[source])
                points += [(x, start_v), (x, port_v)]
        elif route.mode == "straight":
            x = self._track_u(self.ranks[target], route.in_track)
            points += [(x, start_v), (x, port_v)]
        else:
            assert route.corridor is not None
            corridor_v = self._corridor_track_v(route.corridor, route.corridor_track)
            x_out = self._track_u(self.ranks[source] + 1, self.trunk_track[source])
            x_in = self._track_u(self.ranks[target], route.in_track)
            points += [(x_out, start_v), (x_out, corridor_v), (x_in, corridor_v), (x_in, port_v)]
        points.append((self._in_u(route, port_v), port_v))
        return EdgeRoute(source, target, "flow", _clean([self._point(u, v) for u, v in points]))

    def _rework_route(self, route: _Route) -> EdgeRoute:
        spec, sp = route.spec, self.sp
        source, target = spec.source, spec.target
        assert route.corridor is not None and route.target_corridor is not None
        centre_u = self._u_start(source) + self._along_size(source) / 2
        exit_u = centre_u + self._exit_offset(self.specs[source], self._along_size(source))
        if self.placed[target].kind == "milestone":
            entry_u = self._u_start(target) + self._along_size(target) * 0.25
        else:
            entry_u = self._u_start(target) + sp.port_inset + route.entry * sp.track
        v_out = self._corridor_track_v(route.corridor, route.corridor_track)
        points = [(exit_u, self._bottom_at(source, exit_u)), (exit_u, v_out)]
        if route.corridor == route.target_corridor:
            points += [(entry_u, v_out)]
        else:
            x = self._track_u(self.ranks[target] + 1, route.in_track)
            v_in = self._corridor_track_v(route.target_corridor, route.target_corridor_track)
            points += [(x, v_out), (x, v_in), (entry_u, v_in)]
        points.append((entry_u, self._bottom_at(target, entry_u)))
        label = None
        along, across = self.rework_label_size(spec)
        if along:
            label = self._box(
                exit_u - sp.label_gap - along,
                self._v_end(source) + self._beside_gap(),
                along,
                across,
            )
        return EdgeRoute(
            source, target, "rework", _clean([self._point(u, v) for u, v in points]), label
        )

    def _bottom_at(self, node: str, u: float) -> float:
        """The shape's bottom (v+ side) at ``u``: its edge, or a circle's rim."""
        if self.placed[node].kind != "milestone":
            return self._v_end(node)
        radius = self._along_size(node) / 2
        offset = u - (self._u_start(node) + radius)
        return self._centre_v(node) + math.sqrt(max(radius * radius - offset * offset, 0.0))

    def _along_size(self, node: str) -> float:
        shape = self.placed[node].shape
        return shape.w if self.horizontal else shape.h

    def run(self) -> Layout:
        self.rank()
        self.rows()
        self.rough()
        self.route()
        self.tracks()
        return self.place()


def _clean(points: Iterable[Point]) -> tuple[Point, ...]:
    """Waypoints without repeats or points in the middle of a straight run."""
    out: list[Point] = []
    for point in points:
        if out and out[-1] == point:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (a.x == b.x == point.x) or (a.y == b.y == point.y):
                out[-1] = point
                continue
        out.append(point)
    return tuple(out)


def _colour(items: Sequence[tuple[Any, Any, object]]) -> dict[object, int]:
    """Tracks for intervals: the lowest track whose last interval ended before this one starts.

    Intervals that touch count as overlapping, so no two segments on one track
    ever meet.
    """
    ordered = sorted(items, key=lambda item: (item[0], item[1]))
    ends: list[Any] = []
    assignment: dict[object, int] = {}
    for start, end, owner in ordered:
        for track, last in enumerate(ends):
            if last < start:
                ends[track] = end
                assignment[owner] = track
                break
        else:
            assignment[owner] = len(ends)
            ends.append(end)
    return assignment
