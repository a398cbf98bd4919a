"""Where every BPMN shape and edge goes: the swimlane layout at BPMN's standard sizes.

The flow nodes are laid out by the same engine as the swimlane diagrams
(``render.diagram.layout``): lanes as bands in the same order, steps in their
owner's band, ranks along the flow, arrows routed orthogonally between nodes.
Only the sizes differ: activities are 100 × 80, gateways 50 × 50 and events
36 × 36 as BPMN tools draw them, and the header of each band is the pool's
and the lane's 30-point title strips. Every coordinate is finite and
non-negative, no two shapes touch, and every node lies inside its lane.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...render.diagram.geometry import Box, Point
from ...render.diagram.layout import (
    EdgeRoute,
    EdgeSpec,
    LaneSpec,
    Layout,
    NodeSpec,
    Spacing,
    lay_out,
)
from ...render.diagram.metrics import line_height, text_width, wrap_text
from .flow import FlowGraph, FlowNode

__all__ = ["Diagram", "SIZES", "lay_out_flow"]

#: Width and height of each kind of node, as bpmn.io, Camunda and the BPMN spec's
#: examples draw them (bpmnlint's ``standard-size`` rule checks these).
SIZES = {
    "task": (100.0, 80.0),
    "service": (100.0, 80.0),
    "call": (100.0, 80.0),
    "parallel": (50.0, 50.0),
    "exclusive": (50.0, 50.0),
    "start": (36.0, 36.0),
    "end": (36.0, 36.0),
    "milestone": (36.0, 36.0),
}
#: Width of the pool's and each lane's title strip.
STRIP = 30.0
#: Labels outside shapes (events, gateways, flows) as modelers write them.
LABEL_SIZE = 11.0
LABEL_WIDTH = 90.0
#: Where the pool starts on the canvas.
ORIGIN = 20.0

SPACING = Spacing(
    margin=30.0,
    header_padding=0.0,
    band_padding=24.0,
    row_gap=36.0,
    channel_padding=10.0,
    arrow_room=22.0,
    track=8.0,
    label_gap=3.0,
    caption_gap=4.0,
    port_inset=12.0,
    min_channel=44.0,
)


@dataclass(frozen=True, slots=True)
class Diagram:
    """The pool, its lanes, every node's shape (and outside label) and every flow's path."""

    pool: Box
    lanes: dict[str, Box]
    shapes: dict[str, Box]
    labels: dict[str, Box]
    waypoints: dict[str, tuple[Point, ...]]
    flow_labels: dict[str, Box]


def _label_size(text: str | None) -> tuple[float, float]:
    if not text:
        return 0.0, 0.0
    lines = wrap_text(text, LABEL_WIDTH, LABEL_SIZE)
    width = max(text_width(line, LABEL_SIZE) for line in lines)
    return round(width + 2, 2), round(len(lines) * line_height(LABEL_SIZE), 2)


def _layout_kind(node: FlowNode) -> str:
    if node.kind in ("task", "service"):
        return "task"
    if node.kind == "call":
        return "call"
    return "milestone"  # events and gateways: arrows meet at one point, labels outside


def _lane_spec(key: str, name: str) -> LaneSpec:
    # the lane's name runs up its title strip: the band is at least as tall as the name
    length = min(text_width(name, 12.0), 240.0) + 24.0
    return LaneSpec(key, 2 * STRIP, length)


def _specs(graph: FlowGraph) -> tuple[list[NodeSpec], list[EdgeSpec]]:
    nodes = []
    conditional = {f.source: f.name for f in graph.flows if f.condition and f.kind != "rework"}
    for node in graph.nodes:
        width, height = SIZES[node.kind]
        label_w, label_h = _label_size(node.name) if not _inside(node) else (0.0, 0.0)
        out_w, out_h = _label_size(conditional.get(node.id))
        nodes.append(
            NodeSpec(
                node.id,
                node.lane,
                _layout_kind(node),  # type: ignore[arg-type]
                width,
                height,
                label_width=label_w,
                label_height=label_h,
                out_label_width=out_w,
                out_label_height=out_h,
            )
        )
    edges = []
    for flow in graph.flows:
        if flow.kind == "rework":
            edges.append(EdgeSpec(flow.source, flow.target, "rework", *_label_size(flow.name)))
        else:
            edges.append(EdgeSpec(flow.source, flow.target))
    return nodes, edges


def _inside(node: FlowNode) -> bool:
    """Whether a node's name is drawn inside its shape (activities) rather than beside it."""
    return node.kind in ("task", "service", "call")


def _snap_to_vertex(route: EdgeRoute, layout: Layout, graph: FlowGraph) -> tuple[Point, ...]:
    """A back flow leaves and enters a gateway at its bottom corner, as modelers draw it.

    The layout attaches arrows under a round node a quarter of the way along it;
    a diamond's edge there is higher up, so the path is moved to the corner.
    """
    points = list(route.points)
    for end, neighbour in ((0, 1), (-1, -2)):
        node_id = route.source if end == 0 else route.target
        if not graph.node(node_id).is_gateway:
            continue
        shape = layout.node(node_id).shape
        points[end] = Point(shape.cx, shape.bottom)
        points[neighbour] = Point(shape.cx, points[neighbour].y)
    return tuple(points)


def lay_out_flow(graph: FlowGraph) -> Diagram:
    """Lay out the flow graph in swimlanes at BPMN sizes."""
    nodes, edges = _specs(graph)
    lane_specs = [_lane_spec(key, graph.lane_names[key]) for key in graph.lanes]
    layout = lay_out(lane_specs, nodes, edges, direction="LR", spacing=SPACING).moved(
        ORIGIN, ORIGIN
    )
    pool = Box(ORIGIN, ORIGIN, layout.width, layout.height)
    lanes = {
        lane.key: Box(lane.band.x + STRIP, lane.band.y, round(lane.band.w - STRIP, 2), lane.band.h)
        for lane in layout.lanes
    }
    shapes = {node.id: node.shape for node in layout.nodes}
    labels = {node.id: node.label for node in layout.nodes if node.label is not None}
    flows = {(f.source, f.target): f for f in graph.flows}
    waypoints: dict[str, tuple[Point, ...]] = {}
    flow_labels: dict[str, Box] = {}
    for route in layout.edges:
        flow = flows[(route.source, route.target)]
        if route.kind == "rework":
            waypoints[flow.id] = _snap_to_vertex(route, layout, graph)
            if route.label is not None:
                flow_labels[flow.id] = route.label
        else:
            waypoints[flow.id] = route.points
            if flow.condition and flow.source in layout.out_labels:
                flow_labels[flow.id] = layout.out_labels[flow.source]
    return Diagram(pool, lanes, shapes, labels, waypoints, flow_labels)
