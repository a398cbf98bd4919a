"""Reading a BPMN file safely into plain records: processes, lanes, nodes, flows, shapes.

The XML is parsed with ``defusedxml``: a document type declaration, an
entity or an external reference is refused before anything is expanded, so
neither a "billion laughs" nor a file that points at ``/etc/passwd`` or the
network does anything. The encoding is the one the XML declaration names
(ISO-8859-1, windows-1252, UTF-16, Shift_JIS, …). Elements are matched by
namespace URI, never by prefix. Nothing here decides what becomes a step;
``structure.py`` and ``steps.py`` do that, for ``imports.py``.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeTree

from ...errors import InputError
from .extension import ExtensionError, decode
from .namespaces import BPMN, BPMNDI, DC, SOPKIT, qname

__all__ = [
    "MAX_BYTES",
    "Annotation",
    "BpmnDocument",
    "Lane",
    "MessageFlow",
    "Node",
    "Participant",
    "ProcessRecord",
    "SequenceFlow",
    "Shape",
    "Timer",
    "iso_hours",
    "read_bpmn",
]

#: A BPMN file larger than this is refused (the largest reference models are ~250 kB).
MAX_BYTES = 20 * 1024 * 1024

TASKS = (
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
)
SUB_PROCESSES = ("subProcess", "transaction", "adHocSubProcess")
EVENTS = (
    "startEvent",
    "endEvent",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "implicitThrowEvent",
)
GATEWAYS = (
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
)
CHOREOGRAPHIES = ("choreographyTask", "subChoreography", "callChoreography")
FLOW_NODES = (*TASKS, "callActivity", *SUB_PROCESSES, *EVENTS, *GATEWAYS, *CHOREOGRAPHIES)


@dataclass(frozen=True, slots=True)
class Timer:
    """An event's timer as the file writes it: a duration (``P3D``), a cycle
    (``R6/P1D``) or a date, each as written (``None`` if not given)."""

    duration: str | None = None
    cycle: str | None = None
    date: str | None = None

    @property
    def hours(self) -> Decimal | None:
        """The clock hours of the duration (``P3D`` is 72); ``None`` for none, or one that
        is no ISO 8601 duration (an expression)."""
        return None if self.duration is None else iso_hours(self.duration)


#: An ISO 8601 duration as BPMN timers write it: P3D, PT2H30M, P1W, P1Y2M.
_ISO_DURATION = re.compile(
    r"P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?"
    r"(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?"
    r"(?:(\d+(?:[.,]\d+)?)S)?)?"
)
#: Clock hours in each part of an ISO duration: a year of 8,760 hours and a month of
#: 730 (its twelfth), the calendar BPSim's inter-trigger time runs on.
_ISO_HOURS = (
    Decimal(8760),
    Decimal(730),
    Decimal(168),
    Decimal(24),
    Decimal(1),
    Decimal(1) / 60,
    Decimal(1) / 3600,
)


def iso_hours(text: str) -> Decimal | None:
    """The clock hours of an ISO 8601 duration (``P3D`` is 72), or ``None``."""
    match = _ISO_DURATION.fullmatch(text.strip().upper())
    if match is None or not any(match.groups()) or text.strip().upper().endswith("T"):
        return None
    return sum(
        (
            Decimal(g.replace(",", ".")) * h
            for g, h in zip(match.groups(), _ISO_HOURS, strict=True)
            if g
        ),
        Decimal(0),
    )


@dataclass(slots=True)
class Node:
    """A flow node as the file has it."""

    id: str
    kind: str  # the element's local name: userTask, exclusiveGateway, …
    name: str
    process: str  # id of the process holding it (through sub-processes)
    parent: str | None  # id of the sub-process holding it directly
    element: Element
    order: int
    attached_to: str | None = None
    #: The ``sopkit:step`` data, the marker of a sopkit gateway, or ``None``.
    step_data: dict[str, object] | None = None
    marker: str | None = None
    extension_error: str | None = None
    #: The element's own ``documentation``: sopkit writes a step's ``done_when`` there.
    documentation: str | None = None
    #: An event's ``timerEventDefinition``, if it has one.
    timer: Timer | None = None


@dataclass(slots=True)
class SequenceFlow:
    id: str
    source: str
    target: str
    name: str
    condition: str | None
    order: int
    marker: str | None = None
    documentation: str | None = None


@dataclass(slots=True)
class MessageFlow:
    id: str
    source: str
    target: str
    name: str
    documentation: str | None = None


@dataclass(slots=True)
class Annotation:
    """A text annotation: a note drawn beside the elements its associations link it to."""

    id: str
    text: str
    #: The ids of the elements it is associated with (either way round).
    about: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Lane:
    id: str
    name: str
    refs: list[str]
    depth: int
    process: str
    leaf: bool
    marker: str | None = None
    documentation: str | None = None


@dataclass(slots=True)
class Participant:
    id: str
    name: str
    process: str | None
    documentation: str | None = None


@dataclass(slots=True)
class ProcessRecord:
    id: str
    name: str
    documentation: str | None
    element: Element
    process_data: dict[str, object] | None = None
    settings_data: dict[str, object] | None = None
    extension_error: str | None = None


@dataclass(slots=True)
class Shape:
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def holds(self, point: tuple[float, float]) -> bool:
        x, y = point
        return self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height


@dataclass(slots=True)
class BpmnDocument:
    """Everything the importer reads from one file."""

    path: str
    name: str
    root: Element
    processes: dict[str, ProcessRecord] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: dict[str, SequenceFlow] = field(default_factory=dict)
    lanes: list[Lane] = field(default_factory=list)
    collaborations: list[list[Participant]] = field(default_factory=list)
    #: Each collaboration's name (else its id) and documentation, in the order of
    #: ``collaborations``: a text about the whole diagram.
    collaboration_docs: list[tuple[str, str | None]] = field(default_factory=list)
    message_flows: list[MessageFlow] = field(default_factory=list)
    shapes: dict[str, Shape] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)
    performers: dict[str, list[str]] = field(default_factory=dict)
    #: Data objects and data stores the processes draw: ``(id, "data object" or "data
    #: store", name, process id)``.
    data: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: Text annotations, wherever drawn (a process, a sub-process, a collaboration).
    annotations: list[Annotation] = field(default_factory=list)


def _bpmn(local: str) -> str:
    return qname(BPMN, local)


def _local(element: Element) -> tuple[str, str]:
    """(namespace URI, local name) of an element."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def _parse(data: bytes, shown: str) -> Element:
    try:
        return SafeTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise InputError(
            "the file declares a document type (DOCTYPE): refused, as it could expand "
            "entities or reach other files",
            path=shown,
            hint="BPMN files need no DOCTYPE; remove it",
        ) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise InputError(
            "the file defines XML entities or external references: refused",
            path=shown,
            hint="BPMN files need neither",
        ) from None
    except LookupError:
        match = _DECLARATION.match(data)
        named = match.group(1).decode("ascii") if match else "?"
        raise InputError(
            f"unknown encoding '{named}'",
            path=shown,
            hint="save the file as UTF-8",
        ) from None
    except ValueError as exc:  # a multi-byte encoding expat cannot read itself
        return _parse_decoded(data, shown, exc)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        message = str(exc).split(":")[0]
        raise InputError(
            f"not well-formed XML: {message}",
            path=shown,
            line=line,
            column=None if column is None else column + 1,
            hint="is this a BPMN 2.0 XML file?",
        ) from None


def _parse_decoded(data: bytes, shown: str, error: Exception) -> Element:
    """Decode the bytes in the declared encoding, then parse them as UTF-8."""
    match = _DECLARATION.match(data)
    if match is None:
        raise InputError(f"cannot read the file: {error}", path=shown) from None
    encoding = match.group(1).decode("ascii")
    try:
        text = codecs.decode(data, encoding)
    except LookupError:
        raise InputError(
            f"unknown encoding '{encoding}'", path=shown, hint="save the file as UTF-8"
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the file is not valid {encoding}: {exc.reason}", path=shown) from None
    text = re.sub(r"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])[^\"']+", r"\1UTF-8", text, count=1)
    return _parse(text.encode("utf-8"), shown)


def _text(element: Element | None) -> str:
    return "" if element is None or element.text is None else element.text


class _HtmlText(HTMLParser):
    """The text an HTML documentation shows: a line per block (paragraph, list item,
    heading, table row, ``<br>``), cells apart, scripts, styles and comments left out."""

    _BLOCKS = frozenset(
        ("p", "div", "li", "ul", "ol", "tr", "table", "br", "h1", "h2", "h3", "h4", "h5", "h6")
    )
    _HIDDEN = frozenset(("script", "style", "head", "title"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(text: str) -> str:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def _documentation(element: Element) -> str | None:
    """An element's documentation as plain text, all of its ``documentation`` elements
    (modelers may write it as HTML, with ``textFormat="text/html"``), or ``None``."""
    texts = []
    for found in element.findall(_bpmn("documentation")):
        text = _text(found)
        if "html" in (found.get("textFormat") or "").lower():
            text = _html_text(text)
        texts.append(text.strip())
    return "\n".join(t for t in texts if t) or None


def _timer(element: Element) -> Timer | None:
    """An event's timer definition: its duration, cycle or date, as written."""
    timer = element.find(_bpmn("timerEventDefinition"))
    if timer is None:
        return None
    found = {_local(c)[1]: _text(c).strip() for c in timer if _local(c)[0] == BPMN}
    return Timer(found.get("timeDuration"), found.get("timeCycle"), found.get("timeDate"))


def _attr(element: Element, name: str) -> str:
    return (element.get(name) or "").strip()


def _sopkit_child(element: Element, local: str) -> Element | None:
    extensions = element.find(_bpmn("extensionElements"))
    if extensions is None:
        return None
    return extensions.find(qname(SOPKIT, local))


def _marker(element: Element, local: str) -> str | None:
    child = _sopkit_child(element, local)
    return None if child is None else child.get("kind")


def _data(element: Element, local: str) -> tuple[dict[str, object] | None, str | None]:
    """The ``sopkit:<local>`` data of an element, or the reason it could not be read."""
    child = _sopkit_child(element, local)
    if child is None:
        return None, None
    try:
        return decode(child), None
    except ExtensionError as exc:
        return None, str(exc)


#: What holds data, not work: named in a warning, since sopkit has no inputs and outputs.
DATA = ("dataObjectReference", "dataStoreReference")


class _Reader:
    def __init__(self, root: Element, path: str) -> None:
        self.doc = BpmnDocument(path, _attr(root, "name"), root)
        self.order = 0
        #: Every id read so far, and what has it (``task 'Draft'``).
        self.ids: dict[str, str] = {}

    def _claim(self, element: Element, local: str) -> None:
        """Refuse a second element with an id already read: one of the two would be lost."""
        element_id = _attr(element, "id")
        if not element_id:
            return
        name = " ".join(_attr(element, "name").split())
        what = f"{local} '{name}'" if name else local
        first = self.ids.get(element_id)
        if first is not None:
            raise InputError(
                f"two elements have the id '{element_id}': {first} and {what}",
                path=self.doc.path,
                hint="BPMN ids must be unique: give one of them a new id in the XML",
            )
        self.ids[element_id] = what

    def read(self) -> BpmnDocument:
        root = self.doc.root
        for child in root:
            uri, local = _local(child)
            if uri != BPMN:
                continue
            if local == "process":
                self._process(child)
            elif local == "collaboration":
                self._collaboration(child)
            elif local == "resource":
                self.doc.resources[_attr(child, "id")] = _attr(child, "name")
        for plane in root.iter(qname(BPMNDI, "BPMNPlane")):
            self._plane(plane)
        self._annotations(root)
        return self.doc

    def _annotations(self, root: Element) -> None:
        """Text annotations and the elements associations link them to, in any container."""
        found: dict[str, Annotation] = {}
        for element in root.iter(_bpmn("textAnnotation")):
            text = _text(element.find(_bpmn("text")))
            if "html" in (element.get("textFormat") or "").lower():
                text = _html_text(text)
            annotation_id = _attr(element, "id")
            if text.strip() and annotation_id not in found:
                found[annotation_id] = Annotation(annotation_id, text.strip())
                self.doc.annotations.append(found[annotation_id])
        for element in root.iter(_bpmn("association")):
            source, target = _attr(element, "sourceRef"), _attr(element, "targetRef")
            for end, other in ((source, target), (target, source)):
                linked = found.get(end)
                if linked is not None and other and other not in linked.about:
                    linked.about.append(other)

    def _process(self, element: Element) -> None:
        self._claim(element, "process")
        process_id = _attr(element, "id")
        process_data, error = _data(element, "process")
        settings, settings_error = _data(element, "settings")
        self.doc.processes[process_id] = ProcessRecord(
            process_id,
            _attr(element, "name"),
            _documentation(element),
            element,
            process_data,
            settings,
            error or settings_error,
        )
        for lane_set in element.findall(_bpmn("laneSet")):
            self._lanes(lane_set, process_id, 0)
        self._container(element, process_id, None)

    def _lanes(self, lane_set: Element, process_id: str, depth: int) -> None:
        for lane in lane_set.findall(_bpmn("lane")):
            self._claim(lane, "lane")
            children = lane.findall(_bpmn("childLaneSet"))
            has_children = any(child.findall(_bpmn("lane")) for child in children)
            self.doc.lanes.append(
                Lane(
                    _attr(lane, "id"),
                    " ".join(_attr(lane, "name").split()),
                    [_text(ref).strip() for ref in lane.findall(_bpmn("flowNodeRef"))],
                    depth,
                    process_id,
                    not has_children,
                    _marker(lane, "lane"),
                    _documentation(lane),
                )
            )
            for child in children:
                self._lanes(child, process_id, depth + 1)

    def _container(self, element: Element, process_id: str, parent: str | None) -> None:
        for child in element:
            uri, local = _local(child)
            if uri != BPMN:
                continue
            if local in FLOW_NODES:
                self._node(child, local, process_id, parent)
            elif local == "sequenceFlow":
                self._sequence_flow(child)
            elif local in DATA:
                self._claim(child, local)
                name = " ".join(_attr(child, "name").split())
                kind = "data object" if local == "dataObjectReference" else "data store"
                self.doc.data.append((_attr(child, "id"), kind, name, process_id))

    def _node(self, element: Element, local: str, process_id: str, parent: str | None) -> None:
        self._claim(element, local)
        node_id = _attr(element, "id")
        self.order += 1
        step_data, error = _data(element, "step")
        node = Node(
            node_id,
            local,
            _attr(element, "name"),
            process_id,
            parent,
            element,
            self.order,
            attached_to=_attr(element, "attachedToRef") or None,
            step_data=step_data,
            marker=_marker(element, "gateway"),
            extension_error=error,
            documentation=_documentation(element),
            timer=_timer(element),
        )
        self.doc.nodes[node_id] = node
        performers = []
        for role in ("performer", "humanPerformer", "potentialOwner"):
            for performer in element.findall(_bpmn(role)):
                ref = performer.find(_bpmn("resourceRef"))
                if ref is not None and _text(ref).strip():
                    performers.append(_text(ref).strip())
        if performers:
            self.doc.performers[node_id] = performers
        if local in SUB_PROCESSES:
            self._container(element, process_id, node_id)

    def _sequence_flow(self, element: Element) -> None:
        self._claim(element, "sequenceFlow")
        self.order += 1
        condition = element.find(_bpmn("conditionExpression"))
        flow = SequenceFlow(
            _attr(element, "id"),
            _attr(element, "sourceRef"),
            _attr(element, "targetRef"),
            " ".join(_attr(element, "name").split()),
            None if condition is None else " ".join(_text(condition).split()) or "",
            self.order,
            _marker(element, "flow"),
            _documentation(element),
        )
        self.doc.flows[flow.id] = flow

    def _collaboration(self, element: Element) -> None:
        for child in (
            *element.findall(_bpmn("participant")),
            *element.findall(_bpmn("messageFlow")),
        ):
            self._claim(child, _local(child)[1])
        participants = [
            Participant(
                _attr(p, "id"),
                " ".join(_attr(p, "name").split()),
                _attr(p, "processRef") or None,
                _documentation(p),
            )
            for p in element.findall(_bpmn("participant"))
        ]
        self.doc.collaborations.append(participants)
        shown = " ".join(_attr(element, "name").split()) or _attr(element, "id")
        self.doc.collaboration_docs.append((shown, _documentation(element)))
        for flow in element.findall(_bpmn("messageFlow")):
            self.doc.message_flows.append(
                MessageFlow(
                    _attr(flow, "id"),
                    _attr(flow, "sourceRef"),
                    _attr(flow, "targetRef"),
                    " ".join(_attr(flow, "name").split()),
                    _documentation(flow),
                )
            )

    def _plane(self, plane: Element) -> None:
        for shape in plane.iter(qname(BPMNDI, "BPMNShape")):
            element = _attr(shape, "bpmnElement")
            bounds = shape.find(qname(DC, "Bounds"))
            if not element or bounds is None or element in self.doc.shapes:
                continue
            try:
                x, y, width, height = (
                    float(bounds.get(k, "")) for k in ("x", "y", "width", "height")
                )
            except ValueError:
                continue
            if not all(math.isfinite(v) for v in (x, y, width, height)):
                continue
            self.doc.shapes[element] = Shape(x, y, width, height)


def read_bpmn(data: bytes, path: str) -> BpmnDocument:
    """Parse a BPMN file's bytes.

    Raises:
        InputError: too large, not XML, a DTD or entities, or not BPMN 2.0.
    """
    if len(data) > MAX_BYTES:
        raise InputError(
            f"file is {len(data) / 1024 / 1024:.1f} MB, too large to be a BPMN diagram",
            path=path,
            hint=f"BPMN files sopkit imports are at most {MAX_BYTES // 1024 // 1024} MB",
        )
    if not data.strip():
        raise InputError("the file is empty", path=path, hint="export the diagram as BPMN 2.0 XML")
    root = _parse(data, path)
    uri, local = _local(root)
    if uri != BPMN or local != "definitions":
        found = f"<{local}>" + (f" in namespace {uri}" if uri else " without a namespace")
        raise InputError(
            f"not a BPMN 2.0 file: the document is {found}",
            path=path,
            hint=f"a BPMN file's root is <definitions> in namespace {BPMN}",
        )
    return _Reader(root, path).read()
