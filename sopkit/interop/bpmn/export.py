"""A costed process as a BPMN 2.0 file that process tools open, edit and simulate.

The file holds one collaboration with one participant (the process's pool)
and a lane per role (its description the lane's documentation); every flow
node sits in exactly one lane and has a shape, every flow an edge. A process
this one calls (a call activity) follows in a collaboration and diagram of its
own, so one file carries everything the process runs. Elements come in the
order of the OMG schema, ids are made of step ids, and the same process
always gives the same bytes.

What BPMN has no element for travels in the ``sopkit:`` extension (see
``extension.py``): the process's own fields and settings on the process, each
step's fields on its task or event, and markers on the gateways, flows and
lane that only stand for sopkit's structure.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ... import __version__
from ...analysis import ProcessCost, as_process_cost, cost_process
from ...analysis.profile import expected_count
from ...models import Process, Step
from ...render.diagram.common import EVENTS_LANE, check_legible
from ...render.diagram.geometry import Box, Point
from ..filedata import process_data, settings_data, step_data
from .bpsim import scenario
from .diagram import Diagram, lay_out_flow
from .extension import encode_into
from .flow import Flow, FlowGraph, FlowNode, build_flow, probability_text
from .namespaces import PREFIXES
from .xmltree import El, serialise

__all__ = ["export_bpmn", "process_ids"]

#: Step fields BPMN itself says: the name, the lane, the flows, the kind of node.
_STRUCTURAL = ("name", "owner", "after", "milestone", "process")

_NODE_TAGS = {
    "start": "bpmn:startEvent",
    "end": "bpmn:endEvent",
    "milestone": "bpmn:intermediateThrowEvent",
    "task": "bpmn:userTask",
    "service": "bpmn:serviceTask",
    "call": "bpmn:callActivity",
    "parallel": "bpmn:parallelGateway",
    "exclusive": "bpmn:exclusiveGateway",
}


def process_ids(pid: str) -> dict[str, str]:
    """The ids of a process's own elements."""
    return {
        "collaboration": f"Collaboration_{pid}",
        "participant": f"Participant_{pid}",
        "process": f"Process_{pid}",
        "lane_set": f"LaneSet_{pid}",
        "diagram": f"Diagram_{pid}",
        "plane": f"Plane_{pid}",
    }


def _number(value: float) -> str:
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _bounds(parent: El, box: Box) -> None:
    parent.add(
        "dc:Bounds",
        {
            "x": _number(box.x),
            "y": _number(box.y),
            "width": _number(box.w),
            "height": _number(box.h),
        },
    )


def _called_in_order(process: Process) -> list[Process]:
    """The processes ``process`` runs, directly or through others, first call first."""
    found: dict[str, Process] = {}
    queue = [process]
    while queue:
        current = queue.pop(0)
        for pid in current.calls:
            callee = current.callees.get(pid)
            if callee is not None and pid not in found and pid != process.id:
                found[pid] = callee
                queue.append(callee)
    return list(found.values())


def _roles(processes: Iterable[Process]) -> list[str]:
    """Every role a step of these processes needs (owners, then participants), first use first."""
    names: dict[str, None] = {}
    for process in processes:
        for step in process.steps:
            if step.owner is not None and not step.is_call:
                names.setdefault(step.owner)
            for role in step.participants:
                names.setdefault(role)
    return list(names)


def _documentation(parent: El, text: str | None) -> None:
    if text:
        parent.add("bpmn:documentation", text=text)


def _marker(parent: El, tag: str, kind: str) -> None:
    parent.add("bpmn:extensionElements").add(tag, {"kind": kind})


def _step_extension(parent: El, step: Step) -> None:
    data = {k: v for k, v in step_data(step).items() if k not in _STRUCTURAL}
    encode_into(parent.add("bpmn:extensionElements").add("sopkit:step"), data)


def _loop(parent: El, step: Step) -> None:
    """Repeated execution: ``per_run`` above 1 (one after another) or a call's ``count``."""
    if step.is_call:
        times = (
            Decimal(expected_count(step.count).numerator) / expected_count(step.count).denominator
        )
        times *= max(step.per_run, Decimal(1))
        if times == 1:
            return
        loop = parent.add("bpmn:multiInstanceLoopCharacteristics", {"isSequential": "false"})
    elif step.per_run > 1:
        times = step.per_run
        loop = parent.add("bpmn:multiInstanceLoopCharacteristics", {"isSequential": "true"})
    else:
        return
    loop.add(
        "bpmn:loopCardinality",
        {"xsi:type": "bpmn:tFormalExpression"},
        text=probability_text(times),
    )


def _node(graph: FlowGraph, node: FlowNode, resources: dict[str, str]) -> El:
    attrs: dict[str, str | None] = {"id": node.id, "name": node.name}
    out = graph.outgoing(node.id)
    default = next((f.id for f in out if f.default), None)
    if node.kind == "call":
        assert node.step is not None and node.step.process is not None
        attrs["calledElement"] = process_ids(node.step.process)["process"]
    if node.is_gateway:
        attrs["gatewayDirection"] = "Diverging" if len(out) > 1 else "Converging"
        attrs["default"] = default
    element = El(_NODE_TAGS[node.kind], {k: v for k, v in attrs.items() if v is not None})
    _documentation(element, node.documentation)
    if node.step is not None:
        _step_extension(element, node.step)
    elif node.role is not None:
        _marker(element, "sopkit:gateway", node.role)
    for flow in graph.incoming(node.id):
        element.add("bpmn:incoming", text=flow.id)
    for flow in out:
        element.add("bpmn:outgoing", text=flow.id)
    step = node.step
    if step is not None and step.is_work:
        for role in [step.owner or "", *step.participants]:
            element.add("bpmn:performer").add("bpmn:resourceRef", text=resources[role])
    if step is not None:
        _loop(element, step)
    return element


def _flow(flow: Flow) -> El:
    element = El(
        "bpmn:sequenceFlow",
        {
            k: v
            for k, v in {
                "id": flow.id,
                "name": flow.name,
                "sourceRef": flow.source,
                "targetRef": flow.target,
            }.items()
            if v is not None
        },
    )
    if flow.kind != "flow":
        _marker(element, "sopkit:flow", flow.kind)
    if flow.condition is not None:
        element.add(
            "bpmn:conditionExpression", {"xsi:type": "bpmn:tFormalExpression"}, text=flow.condition
        )
    return element


def _process(graph: FlowGraph, resources: dict[str, str], roles: list[str]) -> El:
    process = graph.process
    ids = process_ids(process.id)
    element = El(
        "bpmn:process", {"id": ids["process"], "name": process.name, "isExecutable": "false"}
    )
    _documentation(element, process.purpose)
    extension = element.add("bpmn:extensionElements")
    own = {k: v for k, v in process_data(process, steps=False).items() if k != "name"}
    encode_into(extension.add("sopkit:process"), own)
    encode_into(extension.add("sopkit:settings"), settings_data(process.base_settings, roles))
    lane_set = element.add("bpmn:laneSet", {"id": ids["lane_set"]})
    for index, key in enumerate(graph.lanes, start=1):
        lane = lane_set.add(
            "bpmn:lane", {"id": _lane_id(process, index), "name": graph.lane_names[key]}
        )
        if key == EVENTS_LANE:
            _marker(lane, "sopkit:lane", "events")
        else:
            _documentation(lane, _description(process, key))
        for node in graph.nodes:
            if node.lane == key:
                lane.add("bpmn:flowNodeRef", text=node.id)
    element.extend(_node(graph, node, resources) for node in graph.nodes)
    element.extend(_flow(flow) for flow in graph.flows)
    return element


def _description(process: Process, role: str) -> str | None:
    """A role's description, as the process sees it (its own ``roles`` over the roles
    file): a modeler shows a lane's documentation beside it, so whoever opens the file
    reads what the role does, and a tool that drops the extension keeps it."""
    found = process.settings.roles.get(role)
    return None if found is None else found.description


def _lane_id(process: Process, index: int) -> str:
    return f"Lane_{process.id}_{index}"


def _shape(plane: El, element_id: str, box: Box, label: Box | None = None, **flags: str) -> None:
    shape = plane.add(
        "bpmndi:BPMNShape", {"id": f"{element_id}_di", "bpmnElement": element_id, **flags}
    )
    _bounds(shape, box)
    if label is not None:
        _bounds(shape.add("bpmndi:BPMNLabel"), label)


def _edge(plane: El, flow_id: str, points: Iterable[Point], label: Box | None) -> None:
    edge = plane.add("bpmndi:BPMNEdge", {"id": f"{flow_id}_di", "bpmnElement": flow_id})
    for point in points:
        edge.add("di:waypoint", {"x": _number(point.x), "y": _number(point.y)})
    if label is not None:
        _bounds(edge.add("bpmndi:BPMNLabel"), label)


def _diagram(graph: FlowGraph, drawing: Diagram) -> El:
    process = graph.process
    ids = process_ids(process.id)
    diagram = El("bpmndi:BPMNDiagram", {"id": ids["diagram"], "name": process.name})
    plane = diagram.add(
        "bpmndi:BPMNPlane", {"id": ids["plane"], "bpmnElement": ids["collaboration"]}
    )
    _shape(plane, ids["participant"], drawing.pool, isHorizontal="true")
    for index, key in enumerate(graph.lanes, start=1):
        _shape(plane, _lane_id(process, index), drawing.lanes[key], isHorizontal="true")
    for node in graph.nodes:
        flags = {"isMarkerVisible": "true"} if node.kind == "exclusive" else {}
        _shape(plane, node.id, drawing.shapes[node.id], drawing.labels.get(node.id), **flags)
    for flow in graph.flows:
        _edge(plane, flow.id, drawing.waypoints[flow.id], drawing.flow_labels.get(flow.id))
    return diagram


def export_bpmn(cost: ProcessCost | Process) -> bytes:
    """The BPMN 2.0 XML (UTF-8) of a costed process and every process it calls (a
    ``Process`` is costed alone).

    Raises:
        RenderError: a process too large for a legible diagram (the file carries one),
            as ``sopkit export bpmn`` says: from Python as from the command line.
    """
    cost = as_process_cost(cost)
    main = cost.process
    processes = [main, *_called_in_order(main)]
    for process in processes:
        check_legible(process)
    costs = [cost, *(cost_process(p) for p in processes[1:])]
    graphs = [
        build_flow(c, prefix="" if i == 0 else f"{c.process.id}_") for i, c in enumerate(costs)
    ]
    roles = _roles(processes)
    resources = {role: f"Resource_{i}" for i, role in enumerate(roles, start=1)}
    definitions_id = f"Definitions_{main.id}"
    root = El(
        "bpmn:definitions",
        {
            **{f"xmlns:{prefix}": uri for prefix, uri in PREFIXES.items()},
            "id": definitions_id,
            "name": main.name,
            "targetNamespace": f"https://sopkit.dev/processes/{main.id}",
            "exporter": "sopkit",
            "exporterVersion": __version__,
        },
    )
    for graph in graphs:
        ids = process_ids(graph.process.id)
        collaboration = root.add("bpmn:collaboration", {"id": ids["collaboration"]})
        collaboration.add(
            "bpmn:participant",
            {"id": ids["participant"], "name": graph.process.name, "processRef": ids["process"]},
        )
        root.children.append(_process(graph, resources, _roles([graph.process])))
    for role, resource_id in resources.items():
        root.add("bpmn:resource", {"id": resource_id, "name": role})
    for graph in graphs:
        root.children.append(_diagram(graph, lay_out_flow(graph)))
    root.children.append(scenario(definitions_id, graphs, resources))
    return serialise(root)
