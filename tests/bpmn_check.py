"""Reading a BPMN export back, and the rules of issue 17 every export must keep.

``check`` parses the XML with nothing but the standard library and returns
every broken rule as a sentence: one collaboration with one participant per
process, a lane per role with every flow node in exactly one lane, one start
and one end event, flows whose ``incoming``/``outgoing`` name them, gateways
that either split or join, a shape at the standard size for every node and an
edge for every flow, all coordinates finite and non-negative, no two shapes
touching, every node inside its lane and every lane inside its pool.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"
BPSIM = "{http://www.bpsim.org/schemas/2.0}"
SOPKIT = "{https://sopkit.dev/bpmn/1}"

FLOW_NODES = {
    "startEvent": (36, 36),
    "endEvent": (36, 36),
    "intermediateThrowEvent": (36, 36),
    "userTask": (100, 80),
    "serviceTask": (100, 80),
    "callActivity": (100, 80),
    "parallelGateway": (50, 50),
    "exclusiveGateway": (50, 50),
}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inside(self, other: Box, eps: float = 0.01) -> bool:
        return (
            self.x >= other.x - eps
            and self.y >= other.y - eps
            and self.right <= other.right + eps
            and self.bottom <= other.bottom + eps
        )

    def touches(self, other: Box) -> bool:
        """Overlapping or touching, as bpmnlint's no-overlapping-elements counts it."""
        return (
            self.x <= other.right
            and other.x <= self.right
            and self.y <= other.bottom
            and other.y <= self.bottom
        )


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _bounds(element: ET.Element) -> Box:
    bounds = element.find(f"{DC}Bounds")
    assert bounds is not None
    return Box(*(float(bounds.get(k, "nan")) for k in ("x", "y", "width", "height")))


def check(xml: bytes) -> list[str]:
    """Every rule the export breaks, as sentences (empty: all kept)."""
    root = ET.fromstring(xml)
    problems: list[str] = []
    shapes = {s.get("bpmnElement"): s for s in root.iter(f"{BPMNDI}BPMNShape")}
    edges = {e.get("bpmnElement"): e for e in root.iter(f"{BPMNDI}BPMNEdge")}
    for coordinate in [*root.iter(f"{DC}Bounds"), *root.iter(f"{DI}waypoint")]:
        for name, value in coordinate.attrib.items():
            number = float(value)
            if not math.isfinite(number) or number < 0:
                problems.append(f"coordinate {name}={value} is negative or not finite")
    collaborations = root.findall(f"{BPMN}collaboration")
    processes = {p.get("id"): p for p in root.findall(f"{BPMN}process")}
    if len(collaborations) != len(processes):
        problems.append("not one collaboration per process")
    for collaboration in collaborations:
        participants = collaboration.findall(f"{BPMN}participant")
        if len(participants) != 1:
            problems.append(f"{collaboration.get('id')}: {len(participants)} participants")
            continue
        participant = participants[0]
        process = processes.get(participant.get("processRef"))
        if process is None:
            problems.append(f"{participant.get('id')}: no process")
            continue
        problems += _check_process(process, participant, shapes, edges)
    return problems


def _check_process(
    process: ET.Element,
    participant: ET.Element,
    shapes: dict[str | None, ET.Element],
    edges: dict[str | None, ET.Element],
) -> list[str]:
    problems: list[str] = []
    pid = process.get("id")
    nodes = {n.get("id"): n for n in process if _local(n) in FLOW_NODES}
    flows = {f.get("id"): f for f in process.findall(f"{BPMN}sequenceFlow")}
    unknown = [_local(n) for n in process if _local(n) not in FLOW_NODES]
    unknown = [u for u in unknown if u not in ("documentation", "extensionElements", "laneSet")]
    unknown = [u for u in unknown if u != "sequenceFlow"]
    if unknown:
        problems.append(f"{pid}: unexpected elements {sorted(set(unknown))}")
    kinds = [_local(n) for n in nodes.values()]
    if kinds.count("startEvent") != 1 or kinds.count("endEvent") != 1:
        problems.append(f"{pid}: not exactly one start and one end event")
    # lanes: every node in exactly one lane, lanes horizontal and inside the pool
    lanes = process.findall(f"{BPMN}laneSet/{BPMN}lane")
    if not lanes:
        problems.append(f"{pid}: no lanes")
    holder: dict[str, str] = {}
    for lane in lanes:
        if not (lane.get("name") or "").strip():
            problems.append(f"{lane.get('id')}: a lane without a name")
        for ref in lane.findall(f"{BPMN}flowNodeRef"):
            if ref.text in holder:
                problems.append(f"{ref.text}: in two lanes")
            holder[ref.text or ""] = lane.get("id") or ""
    for node_id in nodes:
        if node_id not in holder:
            problems.append(f"{node_id}: in no lane")
    pool_shape = shapes.get(participant.get("id"))
    if pool_shape is None or pool_shape.get("isHorizontal") != "true":
        problems.append(f"{participant.get('id')}: no horizontal pool shape")
        return problems
    pool = _bounds(pool_shape)
    lane_boxes = {}
    for lane in lanes:
        shape = shapes.get(lane.get("id"))
        if shape is None or shape.get("isHorizontal") != "true":
            problems.append(f"{lane.get('id')}: no horizontal lane shape")
            continue
        lane_boxes[lane.get("id")] = _bounds(shape)
        if not lane_boxes[lane.get("id")].inside(pool):
            problems.append(f"{lane.get('id')}: lane outside its pool")
    # flows: ends exist, incoming/outgoing agree, every flow has an edge
    for flow_id, flow in flows.items():
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source not in nodes or target not in nodes:
            problems.append(f"{flow_id}: an end is not a flow node of the process")
            continue
        out = [o.text for o in nodes[source].findall(f"{BPMN}outgoing")]
        inc = [i.text for i in nodes[target].findall(f"{BPMN}incoming")]
        if flow_id not in out or flow_id not in inc:
            problems.append(f"{flow_id}: not listed as outgoing/incoming of its ends")
        edge = edges.get(flow_id)
        if edge is None or len(edge.findall(f"{DI}waypoint")) < 2:
            problems.append(f"{flow_id}: no edge with two waypoints")
    for node_id, node in nodes.items():
        for ref in [*node.findall(f"{BPMN}incoming"), *node.findall(f"{BPMN}outgoing")]:
            if ref.text not in flows:
                problems.append(f"{node_id}: incoming/outgoing '{ref.text}' is not a flow")
        kind = _local(node)
        ins, outs = len(node.findall(f"{BPMN}incoming")), len(node.findall(f"{BPMN}outgoing"))
        if kind.endswith("Gateway") and not ((ins == 1 and outs > 1) or (ins > 1 and outs == 1)):
            problems.append(f"{node_id}: a gateway that does not just split or join ({ins}/{outs})")
        if not kind.endswith("Gateway") and (ins > 1 or outs > 1):
            problems.append(f"{node_id}: several flows in or out without a gateway")
    # shapes: standard sizes, inside their lane, nothing touching
    boxes: dict[str, Box] = {}
    for node_id, node in nodes.items():
        shape = shapes.get(node_id)
        if shape is None:
            problems.append(f"{node_id}: no shape")
            continue
        box = _bounds(shape)
        boxes[node_id] = box
        if (box.w, box.h) != FLOW_NODES[_local(node)]:
            problems.append(f"{node_id}: {box.w}×{box.h}, not the standard size")
        lane = lane_boxes.get(holder.get(node_id, ""))
        if lane is not None and not box.inside(lane):
            problems.append(f"{node_id}: not inside its lane")
    ordered = sorted(boxes.items(), key=lambda item: item[1].x)
    for index, (a, box_a) in enumerate(ordered):
        for b, box_b in ordered[index + 1 :]:
            if box_b.x > box_a.right:
                break
            if box_a.touches(box_b):
                problems.append(f"{a} and {b} overlap or touch")
    return problems
