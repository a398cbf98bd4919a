"""Reading a swimlane SVG back as geometry, and the rules every diagram must keep.

The SVG sopkit writes is plain: lanes are ``<g class="lane …" data-role>``
holding a ``band`` and a ``header`` rectangle, steps ``<g class="step …"
data-step data-role data-kind>`` holding their shape, arrows ``<g class="edge
flow|rework" data-from data-to>`` holding one ``<path d="M… L…">``, waits
``<g class="wait" data-step>``. ``read`` turns that back into boxes and
segments; ``check`` asserts the rules of issue 16 on them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
EPS = 0.05


@dataclass(frozen=True)
class Rect:
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

    def inside(self, other: Rect, eps: float = EPS) -> bool:
        return (
            self.x >= other.x - eps
            and self.y >= other.y - eps
            and self.right <= other.right + eps
            and self.bottom <= other.bottom + eps
        )

    def overlaps(self, other: Rect, eps: float = EPS) -> bool:
        return (
            self.x < other.right - eps
            and other.x < self.right - eps
            and self.y < other.bottom - eps
            and other.y < self.bottom - eps
        )

    def crossed_by(self, a: tuple[float, float], b: tuple[float, float], eps: float = EPS) -> bool:
        """Whether the segment a–b passes through the inside of this rectangle."""
        left, right = sorted((a[0], b[0]))
        top, bottom = sorted((a[1], b[1]))
        return (
            left < self.right - eps
            and right > self.x + eps
            and top < self.bottom - eps
            and bottom > self.y + eps
        )


@dataclass
class Lane:
    role: str
    classes: set[str]
    band: Rect
    header: Rect
    text: str


@dataclass
class Step:
    id: str
    role: str
    kind: str
    classes: set[str]
    shape: Rect
    text: str
    element: ET.Element
    href: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    classes: set[str]
    points: list[tuple[float, float]]
    text: str

    @property
    def segments(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        return list(zip(self.points, self.points[1:], strict=False))


@dataclass
class Drawing:
    width: float
    height: float
    lanes: list[Lane] = field(default_factory=list)
    steps: dict[str, Step] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    waits: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""
    root: ET.Element | None = None

    def lane(self, role: str) -> Lane:
        (found,) = [lane for lane in self.lanes if lane.role == role]
        return found

    @property
    def body(self) -> Rect:
        top = min(lane.band.y for lane in self.lanes)
        left = min(lane.band.x for lane in self.lanes)
        right = max(lane.band.right for lane in self.lanes)
        bottom = max(lane.band.bottom for lane in self.lanes)
        return Rect(left, top, right - left, bottom - top)


def _rect(element: ET.Element) -> Rect:
    if element.tag == f"{SVG}ellipse":
        cx, cy = float(element.get("cx", 0)), float(element.get("cy", 0))
        rx, ry = float(element.get("rx", 0)), float(element.get("ry", 0))
        return Rect(cx - rx, cy - ry, 2 * rx, 2 * ry)
    return Rect(
        float(element.get("x", 0)),
        float(element.get("y", 0)),
        float(element.get("width", 0)),
        float(element.get("height", 0)),
    )


def _text(element: ET.Element) -> str:
    return " ".join(" ".join(t.text or "" for t in element.iter(f"{SVG}text")).split())


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


def read(svg: bytes | str) -> Drawing:
    root = ET.fromstring(svg)
    drawing = Drawing(
        float(root.get("width", "0").removesuffix("pt")),
        float(root.get("height", "0").removesuffix("pt")),
        text=_text(root),
        root=root,
    )
    parents = {child: parent for parent in root.iter() for child in parent}
    for group in root.iter(f"{SVG}g"):
        classes = _classes(group)
        if "lane" in classes:
            band = next(r for r in group.iter(f"{SVG}rect") if "band" in _classes(r))
            header = next(r for r in group.iter(f"{SVG}rect") if "header" in _classes(r))
            drawing.lanes.append(
                Lane(group.get("data-role", ""), classes, _rect(band), _rect(header), _text(group))
            )
        elif "step" in classes:
            shape = next(
                e
                for e in group
                if e.tag in (f"{SVG}rect", f"{SVG}ellipse") and e.get("class") != "call-mark"
            )
            parent = parents.get(group)
            href = parent.get("href") if parent is not None and parent.tag == f"{SVG}a" else None
            step_id = group.get("data-step", "")
            drawing.steps[step_id] = Step(
                step_id,
                group.get("data-role", ""),
                group.get("data-kind", ""),
                classes,
                _rect(shape),
                _text(group),
                group,
                href,
            )
        elif "edge" in classes:
            path = group.find(f"{SVG}path")
            assert path is not None
            kind = "rework" if "rework" in classes else "flow"
            points = _points(path.get("d", ""))
            head = group.find(f"{SVG}polygon")
            if head is not None:  # the line stops at the arrowhead; its tip is the end
                points.append(_points(head.get("points", ""))[0])
            drawing.edges.append(
                Edge(
                    group.get("data-from", ""),
                    group.get("data-to", ""),
                    kind,
                    classes,
                    points,
                    _text(group),
                )
            )
        elif "wait" in classes:
            drawing.waits.setdefault(group.get("data-step", ""), []).append(_text(group))
    return drawing


# --- the rules ----------------------------------------------------------------------------


def _collinear_overlap(
    a: tuple[tuple[float, float], tuple[float, float]],
    b: tuple[tuple[float, float], tuple[float, float]],
) -> bool:
    """Whether two axis-parallel segments run along each other for some length."""
    (ax1, ay1), (ax2, ay2) = a
    (bx1, by1), (bx2, by2) = b
    if abs(ax1 - ax2) < EPS and abs(bx1 - bx2) < EPS and abs(ax1 - bx1) < EPS:
        low, high = max(min(ay1, ay2), min(by1, by2)), min(max(ay1, ay2), max(by1, by2))
        return high - low > EPS
    if abs(ay1 - ay2) < EPS and abs(by1 - by2) < EPS and abs(ay1 - by1) < EPS:
        low, high = max(min(ax1, ax2), min(bx1, bx2)), min(max(ax1, ax2), max(bx1, bx2))
        return high - low > EPS
    return False


def check(drawing: Drawing, lane_of: dict[str, str]) -> None:
    """Assert the swimlane rules. ``lane_of`` maps step id → data-role of its lane."""
    body = drawing.body
    # bands tile the body: inside it, no two overlap, their areas add up to it
    area = rounding = 0.0
    for i, lane in enumerate(drawing.lanes):
        assert lane.band.inside(body)
        assert lane.header.inside(lane.band), lane.role
        area += lane.band.w * lane.band.h
        rounding += 2 * (lane.band.w + lane.band.h) * 0.01  # coordinates have 2 decimals
        for other in drawing.lanes[i + 1 :]:
            assert not lane.band.overlaps(other.band), (lane.role, other.role)
    assert abs(area - body.w * body.h) <= rounding, "bands leave a gap"
    assert abs(body.right - drawing.width) < EPS and abs(body.bottom - drawing.height) < EPS
    # every step inside its owner's band, outside every header, overlapping no other step
    steps = list(drawing.steps.values())
    assert {s.id for s in steps} == set(lane_of)
    for i, step in enumerate(steps):
        assert step.role == lane_of[step.id], step.id
        assert step.shape.inside(drawing.lane(step.role).band), step.id
        for lane in drawing.lanes:
            assert not step.shape.overlaps(lane.header), (step.id, lane.role)
        for other in steps[i + 1 :]:
            assert not step.shape.overlaps(other.shape), (step.id, other.id)
    # arrows: never through a header or a step, rework never along a forward arrow
    flows = [e for e in drawing.edges if e.kind == "flow"]
    reworks = [e for e in drawing.edges if e.kind == "rework"]
    for edge in drawing.edges:
        assert len(edge.points) >= 2
        last = len(edge.segments) - 1
        for index, (a, b) in enumerate(edge.segments):
            assert abs(a[0] - b[0]) < EPS or abs(a[1] - b[1]) < EPS, "not orthogonal"
            for lane in drawing.lanes:
                assert not lane.header.crossed_by(a, b), (edge.source, edge.target, lane.role)
            for step in steps:
                # the first and last segments touch their own ends (a circle's rim
                # lies inside its square)
                own = (index == 0 and step.id == edge.source) or (
                    index == last and step.id == edge.target
                )
                if not own:
                    assert not step.shape.crossed_by(a, b, eps=0.6), (
                        edge.source,
                        edge.target,
                        step.id,
                    )
    for rework in reworks:
        for flow in flows:
            for a in rework.segments:
                for b in flow.segments:
                    assert not _collinear_overlap(a, b), (rework.source, flow.source, flow.target)
