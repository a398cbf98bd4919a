"""The swimlane diagram of a costed process: what each box says, then a ``Scene`` to draw.

``swimlane_layout`` measures every box (name, participants, time, cost,
automation; a condition's question; a sign-off's tag; what a call runs) and
hands the sizes to ``layout.lay_out``. ``swimlane_scene`` draws the result:

* a band per lane with its header cell at the start: the role's name and
  annual cost, and for an outside party or a system what it is; steps without
  an owner (milestones without one, calls) share a band at the top; along a
  wide diagram, each lane's name again, small and light (``lane_names``);
* work steps as rounded boxes filled by their automation saving; a dashed box
  runs only in some runs (its question and answer in the box); a double box is
  a sign-off; a thick box with ⊞ runs another process (linked to its page when
  ``links`` names one); a double ring is a milestone, its name beside it;
* arrows: the critical path heavier, each wait once beside the arrows that
  leave its step, rework dashed with an open head and its probability;
* a title with the lead time and totals, and a key to what is shown.

Elements carry ids and classes (``lane`` with ``data-role``, ``step`` with
``data-step``, ``data-role`` and ``data-kind``, ``edge`` with ``data-from``
and ``data-to``) for tests and stylesheets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ...analysis import Candidate, ProcessCost
from ...models import RoleKind, Step
from .common import (
    EVENTS_LANE,
    ColourScale,
    Wording,
    call_details,
    check_direction,
    check_legible,
    clock,
    colour_scale,
    condition_lines,
    events_title,
    has_successor,
    lane_costs,
    lane_of,
    lanes,
    lead_text,
    milestone_details,
    own_candidates,
    participants_text,
    step_details,
    step_fill,
    total_text,
    unlaned_text,
)
from .geometry import Box, Point
from .lane_names import lane_names
from .layout import EdgeSpec, LaneSpec, Layout, NodeSpec, Spacing, lay_out
from .metrics import line_height, text_width, wrap_text
from .scene import Diamond, Ellipse, Group, Label, Line, Polyline, Rect, Scene, Shape, Stroke
from .style import DEFAULT_THEME, FONTS, Theme, contrast_text, get_theme

__all__ = [
    "Swimlanes",
    "body_items",
    "draw_swimlanes",
    "header_cell",
    "lane_headers",
    "moved_shape",
    "summary_text",
    "swimlane_layout",
    "swimlane_scene",
    "title_block",
]

#: Size of the ⊞ mark of a call and of the diamond of a conditional step.
_MARK = 9.0
#: Extra room inside a sign-off for its inner outline (dot draws it 4 pt in, SVG 3 pt).
_DOUBLE_ROOM = 4.0
#: Gap between the title block and the lanes.
_TITLE_GAP = 10.0
#: Room above a key without a title: the milestone's ring stands a point above its
#: row, and its stroke half a point more (a printed page's edge flattened its top).
_KEY_TOP = 2.0


@dataclass(frozen=True, slots=True)
class _Content:
    """What one node shows, measured."""

    step: Step
    kind: Literal["task", "signoff", "call", "milestone"]
    lines: tuple[Line, ...]
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Swimlanes:
    """A laid-out diagram and what its boxes and headers say (for drawing and exporting)."""

    cost: ProcessCost
    layout: Layout
    theme: Theme
    contents: Mapping[str, _Content]
    headers: Mapping[str, tuple[Line, ...]]
    out_labels: Mapping[str, tuple[Line, ...]]
    rework_labels: Mapping[str, tuple[Line, ...]]
    candidates: Mapping[str, Candidate]
    scale: ColourScale


def _lines(
    text: str, width: float, size: float, colour: str, *, bold: bool = False, italic: bool = False
) -> list[Line]:
    return [
        Line(part, size, bold=bold, italic=italic, colour=colour)
        for part in wrap_text(text, width, size, bold)
    ]


def _block_size(lines: Sequence[Line]) -> tuple[float, float]:
    width = max((text_width(line.text, line.size, line.bold) for line in lines), default=0.0)
    return width, sum(line_height(line.size) for line in lines)


def _content(
    cost: ProcessCost, step: Step, text: Wording, style: Theme, candidate: Candidate | None
) -> _Content:
    kind = step.kind
    inner = (style.milestone_label_width if kind == "milestone" else style.box_width) - (
        0 if kind == "milestone" else 2 * style.padding
    )
    ink, muted = style.text, style.muted_text
    lines: list[Line] = []
    for condition in condition_lines(cost, step, text):
        lines += _lines(condition, inner, style.small_size, muted, italic=True)
    if kind == "signoff":
        lines.append(Line(text("signoff"), style.small_size, bold=True, colour=muted))
    lines += _lines(step.name, inner, style.name_size, ink, bold=True)
    if kind == "milestone":
        details = milestone_details(cost, step, text)
    elif kind == "call":
        details = call_details(cost, step, text)
    else:
        with_text = participants_text(step, text)
        details = step_details(cost, step, text, candidate)
        # time and cost share a line: a box one line shorter keeps lanes low
        details = [f"{details[0]} · {details[1]}", *details[2:]]
        details = ([with_text] if with_text else []) + details
    for detail in details:
        for part in detail.split("\n"):
            lines += _lines(part, inner, style.detail_size, ink)
    width, height = _block_size(lines)
    if kind == "milestone":
        return _Content(step, kind, tuple(lines), width, height)
    padding = _padding(kind, style)
    box_width = max(width + 2 * padding, style.min_box_width)
    box_height = height + 2 * padding + (_MARK + 2 if kind == "call" else 0)
    return _Content(step, kind, tuple(lines), box_width, box_height)


def _padding(kind: str, style: Theme) -> float:
    """Room between a box's outline and its text; a sign-off's inner outline takes more."""
    return style.padding + (_DOUBLE_ROOM if kind == "signoff" else 0)


def _header(cost: ProcessCost, key: str, text: Wording, style: Theme) -> tuple[Line, ...]:
    width = style.header_width
    if key == EVENTS_LANE:
        title = events_title(cost.process.steps, text)
        return tuple(_lines(title, width, style.header_size, style.text, bold=True))
    lines = _lines(key, width, style.header_size, style.text, bold=True)
    money = lane_costs(cost, text).get(key)
    if money is not None:
        lines += _lines(money, width, style.detail_size, style.muted_text)
    role = cost.process.role(key)
    if role is not None and role.kind is not RoleKind.STAFF:
        tag = text("external") if role.kind is RoleKind.EXTERNAL else text("system")
        lines += _lines(tag, width, style.small_size, style.muted_text, italic=True)
    return tuple(lines)


def swimlane_layout(
    cost: ProcessCost,
    *,
    direction: str = "LR",
    candidates: Sequence[Candidate] | None = None,
    theme: str | Theme = DEFAULT_THEME,
) -> Swimlanes:
    """The process laid out as swimlanes, with the text of every box, header and label.

    ``result.layout`` is the geometry alone (lanes, nodes with kind and
    bounds, edges with waypoints), ready for other exporters.
    """
    direction = check_direction(direction)
    check_legible(cost.process)
    style = get_theme(theme)
    text = Wording(cost)
    process = cost.process
    by_step = own_candidates(cost, candidates)
    scale = colour_scale(by_step.values(), style)
    keys = lanes(process.steps)
    headers = {key: _header(cost, key, text, style) for key in keys}
    lane_specs = [LaneSpec(key, *_block_size(headers[key])) for key in keys]
    contents: dict[str, _Content] = {}
    out_labels: dict[str, tuple[Line, ...]] = {}
    node_specs = []
    for step in process.steps:
        content = _content(cost, step, text, style, by_step.get(step.id))
        contents[step.id] = content
        out_w = out_h = 0.0
        if not step.wait.is_zero and has_successor(cost, step.id):
            wait = text("wait", time=text.duration(step.wait, clock(cost), wait=True))
            label = (Line(wait, style.small_size, colour=style.text),)
            out_labels[step.id] = label
            out_w, out_h = _block_size(label)
        if content.kind == "milestone":
            node_specs.append(
                NodeSpec(
                    step.id,
                    lane_of(step),
                    "milestone",
                    style.milestone_size,
                    style.milestone_size,
                    label_width=content.width,
                    label_height=content.height,
                    out_label_width=out_w,
                    out_label_height=out_h,
                )
            )
        else:
            node_specs.append(
                NodeSpec(
                    step.id,
                    lane_of(step),
                    content.kind,
                    content.width,
                    content.height,
                    out_label_width=out_w,
                    out_label_height=out_h,
                )
            )
    known = {step.id for step in process.steps}
    edge_specs: list[EdgeSpec] = []
    rework_labels: dict[str, tuple[Line, ...]] = {}
    for step in process.steps:
        for before in dict.fromkeys(step.after):
            if before in known and before != step.id:
                edge_specs.append(EdgeSpec(before, step.id))
    for step in process.steps:
        if step.rework is None or step.rework.to not in known:
            continue
        words = text("rework", pct=text.pct(step.rework.probability))
        label = (Line(words, style.small_size, colour=style.rework),)
        rework_labels[step.id] = label
        edge_specs.append(EdgeSpec(step.id, step.rework.to, "rework", *_block_size(label)))
    layout = lay_out(
        lane_specs,
        node_specs,
        edge_specs,
        direction="LR" if direction == "LR" else "TB",
        spacing=Spacing(),
    )
    return Swimlanes(
        cost, layout, style, contents, headers, out_labels, rework_labels, by_step, scale
    )


# --- drawing ---------------------------------------------------------------------------


def _lane_kind(cost: ProcessCost, key: str) -> str:
    if key == EVENTS_LANE:
        return "events"
    role = cost.process.role(key)
    return "staff" if role is None else role.kind.value


def _lane_group(lanes: Swimlanes, index: int, box: Box, header: Box, key: str) -> Group:
    style = lanes.theme
    kind = _lane_kind(lanes.cost, key)
    fill, header_fill = {
        "external": (style.external_fill, style.external_header_fill),
        "system": (style.system_fill, style.system_header_fill),
        "events": (style.events_fill, style.header_fill),
    }.get(kind, (style.band_alt_fill if index % 2 else style.band_fill, style.header_fill))
    dashed = kind == "external"
    band_stroke = Stroke(style.band_stroke, 1.0, dashed=dashed)
    return Group(
        (
            Rect(box, fill=fill, stroke=band_stroke, classes=("band",)),
            *header_cell(lanes, key, header, header_fill),
        ),
        id=f"d-lane-{index + 1}",
        classes=("lane", kind),
        data={"role": "" if key == EVENTS_LANE else key},
    )


def header_cell(lanes: Swimlanes, key: str, header: Box, fill: str | None = None) -> list[Shape]:
    """A lane's header cell (a rectangle and its text) drawn in ``header``."""
    style = lanes.theme
    if fill is None:
        kind = _lane_kind(lanes.cost, key)
        fill = {
            "external": style.external_header_fill,
            "system": style.system_header_fill,
        }.get(kind, style.header_fill)
    lines = lanes.headers[key]
    width, height = _block_size(lines)
    pad = Spacing().header_padding
    text_box = Box(header.x + pad, header.y + pad, width, height)
    if lanes.layout.direction == "TB":
        text_box = Box(header.cx - width / 2, header.y + pad, width, height)
    return [
        Rect(header, fill=fill, stroke=Stroke(style.band_stroke, 1.0), classes=("header",)),
        Label(text_box, lines, align="centre" if lanes.layout.direction == "TB" else "left"),
    ]


def _step_group(lanes: Swimlanes, node_id: str, links: Mapping[str, str]) -> Group:
    style = lanes.theme
    cost = lanes.cost
    content = lanes.contents[node_id]
    step = content.step
    node = lanes.layout.node(node_id)
    critical = cost.schedule.is_critical(step.id)
    conditional = bool(step.when)
    stroke_colour = style.critical_stroke if critical else style.step_stroke
    width = style.critical_width if critical else style.step_width
    if content.kind == "call":
        width = max(width, style.call_width)
    stroke = Stroke(stroke_colour, width, dashed=conditional)
    items: list[Shape] = []
    classes = ["step", content.kind]
    if critical:
        classes.append("critical")
    if conditional:
        classes.append("conditional")
    if content.kind == "milestone":
        items.append(Ellipse(node.shape, fill=style.milestone_fill, stroke=stroke, double=True))
        assert node.label is not None
        items.append(_text_in(node.label, content, style.text, style, align="centre"))
    else:
        fill = step_fill(lanes.candidates.get(step.id), lanes.scale, style)
        role = cost.process.role(step.owner) if step.owner else None
        if role is not None and role.kind is RoleKind.SYSTEM and fill == style.plain_fill:
            fill = style.system_step_fill
        items.append(
            Rect(
                node.shape,
                fill=fill,
                stroke=stroke,
                rounded=style.corner,
                double=content.kind == "signoff",
                classes=("shape",),
            )
        )
        ink = contrast_text(fill, style)
        inner = node.shape.grown(-_padding(content.kind, style))
        block = Box(inner.x, inner.y, inner.w, sum(line_height(x.size) for x in content.lines))
        items.append(_text_in(block, content, ink, style))
        if content.kind == "call":
            items += _call_mark(node.shape, style, lanes.layout.direction)
        if conditional:
            corner = (
                Point(node.shape.right, node.shape.y)
                if lanes.layout.direction == "LR"
                else Point(node.shape.x, node.shape.bottom)
            )
            items.append(
                Diamond(
                    Box(corner.x - _MARK / 2, corner.y - _MARK / 2, _MARK, _MARK),
                    fill=style.background,
                    stroke=Stroke(style.step_stroke, 1.0),
                    classes=("condition-mark",),
                )
            )
    data = {"step": step.id, "role": step.owner or "", "kind": content.kind}
    href = links.get(step.process) if step.process else None
    return Group(
        tuple(items),
        id=f"d-step-{step.id}",
        classes=tuple(classes),
        data=data,
        href=href,
        title=step.name,
    )


def _text_in(
    box: Box, content: _Content, ink: str, style: Theme, align: Literal["left", "centre"] = "left"
) -> Label:
    """The content's lines in ``box``; all in ``ink`` when the fill needs light text."""
    lines = content.lines
    if ink != style.text:
        lines = tuple(Line(x.text, x.size, x.bold, x.italic, ink) for x in lines)
    return Label(box, lines, align=align, classes=("text",))


def _call_mark(shape: Box, style: Theme, direction: str) -> list[Shape]:
    """BPMN's call-activity mark: a small square with a plus at the bottom of the box."""
    x = shape.cx - _MARK / 2 if direction == "LR" else shape.cx - _MARK / 2 - 16
    y = shape.bottom - _MARK - 3
    square = Box(x, y, _MARK, _MARK)
    stroke = Stroke(style.step_stroke, 1.0)
    mid_x, mid_y = square.cx, square.cy
    return [
        Rect(square, fill=style.background, stroke=stroke, classes=("call-mark",)),
        Polyline((Point(mid_x, y + 2), Point(mid_x, square.bottom - 2)), stroke),
        Polyline((Point(x + 2, mid_y), Point(square.right - 2, mid_y)), stroke),
    ]


def _edge_groups(lanes: Swimlanes) -> list[Group]:
    style = lanes.theme
    critical = lanes.cost.schedule.critical_edges()
    groups = []
    # The critical arrows are drawn last: where arrows share a line (into a step many
    # lead to), a thin grey one drawn after would paint over the path's bold stretch.
    heavy_groups: list[Group] = []
    for edge in lanes.layout.edges:
        if edge.kind == "rework":
            items: list[Shape] = [
                Polyline(edge.points, Stroke(style.rework, style.rework_width, dashed=True), "open")
            ]
            if edge.label is not None:
                items.append(
                    Label(edge.label, lanes.rework_labels[edge.source], classes=("label",))
                )
            groups.append(
                Group(
                    tuple(items),
                    id=f"d-rework-{edge.source}-{edge.target}",
                    classes=("edge", "rework"),
                    data={"from": edge.source, "to": edge.target},
                )
            )
            continue
        heavy = (edge.source, edge.target) in critical
        stroke = (
            Stroke(style.critical_edge, style.critical_edge_width)
            if heavy
            else Stroke(style.edge, style.edge_width)
        )
        (heavy_groups if heavy else groups).append(
            Group(
                (Polyline(edge.points, stroke, "filled"),),
                id=f"d-edge-{edge.source}-{edge.target}",
                classes=("edge", "flow", *(("critical",) if heavy else ())),
                data={"from": edge.source, "to": edge.target},
            )
        )
    groups += heavy_groups
    for node_id, box in lanes.layout.out_labels.items():
        groups.append(
            Group(
                (Label(box, lanes.out_labels[node_id]),),
                id=f"d-wait-{node_id}",
                classes=("wait",),
                data={"step": node_id},
            )
        )
    return groups


# --- the title and the key -------------------------------------------------------------


def _title_block(lanes: Swimlanes, width: float, title: bool) -> tuple[list[Shape], float]:
    """The title and summary (if ``title``) and the key, wrapped to ``width``; and
    their height."""
    cost, style = lanes.cost, lanes.theme
    text = Wording(cost)
    summary = summary_text(cost)
    lines = _lines(cost.name, width, style.title_size, style.text, bold=True)
    lines += _lines(summary, width, style.summary_size, style.text)
    unlaned = unlaned_text(cost, text, {lane.key for lane in lanes.layout.lanes})
    if unlaned is not None:
        lines += _lines(unlaned, width, style.summary_size, style.text)
    _, height = _block_size(lines)
    shapes: list[Shape] = []
    y = 0.0
    if title:
        shapes.append(Label(Box(0, 0, width, height), tuple(lines), classes=("title",)))
        y = height + 4
    keys = _keys(lanes, text)
    x = 0.0
    row_height = line_height(style.small_size) + 4
    for icon, words in keys:
        words_width = text_width(words, style.small_size)
        item_width = 22 + words_width + 14
        if x and x + item_width > width:
            x, y = 0.0, y + row_height
        shapes += _icon(icon, Box(x, y + 1, 16, row_height - 6), style)
        shapes.append(
            Label(
                Box(x + 21, y, words_width, line_height(style.small_size)),
                (Line(words, style.small_size, colour=style.muted_text),),
            )
        )
        x += item_width
    y += row_height
    if lanes.scale.step > 0:
        shapes_scale, y = _swatches(lanes, text, width, y)
        shapes += shapes_scale
    return shapes, y


def summary_text(cost: ProcessCost) -> str:
    """The line under the diagram's title: lead time, how often it runs, total cost."""
    text = Wording(cost)
    runs = (
        text("runs", n=text.frequency(cost.process.frequency))
        if cost.process.frequency is not None
        else text("called_only")
    )
    return " · ".join([lead_text(cost, text), runs, total_text(cost, text)])


def _keys(lanes: Swimlanes, text: Wording) -> list[tuple[str, str]]:
    steps = lanes.cost.process.steps
    kinds = {content.kind for content in lanes.contents.values()}
    lane_kinds = {_lane_kind(lanes.cost, lane.key) for lane in lanes.layout.lanes}
    keys = [("critical", text("key_critical"))]
    if any(step.rework is not None for step in steps):
        keys.append(("rework", text("key_rework")))
    if any(step.when for step in steps):
        keys.append(("conditional", text("key_conditional")))
    for kind in ("signoff", "milestone", "call"):
        if kind in kinds:
            keys.append((kind, text(f"key_{kind}")))
    for kind in ("external", "system"):
        if kind in lane_kinds:
            keys.append((kind, text(f"key_{kind}")))
    return keys


def _icon(kind: str, box: Box, style: Theme) -> list[Shape]:
    thin = Stroke(style.step_stroke, style.step_width)
    middle = box.cy
    if kind == "critical":
        return [
            Polyline(
                (Point(box.x, middle), Point(box.right, middle)),
                Stroke(style.critical_edge, style.critical_edge_width),
                "filled",
            )
        ]
    if kind == "rework":
        return [
            Polyline(
                (Point(box.right, middle), Point(box.x, middle)),
                Stroke(style.rework, style.rework_width, dashed=True),
                "open",
            )
        ]
    if kind == "milestone":
        # Larger than the row's other marks: smaller, the inner ring closes to a dot.
        side = box.h + 4
        circle = Box(box.cx - side / 2, box.cy - side / 2, side, side)
        return [Ellipse(circle, fill=style.milestone_fill, stroke=thin, double=True)]
    if kind == "external":
        return _dashed_box(box, style.external_fill, Stroke(style.band_stroke, 1.0))
    if kind == "system":
        return [Rect(box, fill=style.system_fill, stroke=Stroke(style.band_stroke, 1.0))]
    if kind == "conditional":
        return _dashed_box(box, style.plain_fill, Stroke(style.step_stroke, style.step_width))
    stroke = Stroke(style.step_stroke, style.call_width if kind == "call" else style.step_width)
    return [Rect(box, fill=style.plain_fill, stroke=stroke, rounded=2, double=kind == "signoff")]


def _dashed_box(box: Box, fill: str, stroke: Stroke) -> list[Shape]:
    """A dashed outline drawn dash by dash: a renderer's own dash pattern on a box this
    small leaves broken corners that read as brackets."""
    shapes: list[Shape] = [Rect(box, fill=fill)]
    dash = box.h / 3
    for y in (box.y, box.bottom):  # three dashes along, one at each corner and between
        for x in (box.x, box.cx - dash / 2, box.right - dash):
            shapes.append(Polyline((Point(x, y), Point(x + dash, y)), stroke))
    for x in (box.x, box.right):
        shapes.append(Polyline((Point(x, box.cy - dash / 2), Point(x, box.cy + dash / 2)), stroke))
    return shapes


def _swatches(lanes: Swimlanes, text: Wording, width: float, y: float) -> tuple[list[Shape], float]:
    """The colour key: what each fill means in net saving a year."""
    style = lanes.theme
    size = style.small_size
    height = line_height(size) + 4
    label = text("fill")
    shapes: list[Shape] = [
        Label(
            Box(0, y + 2, text_width(label, size), line_height(size)),
            (Line(label, size, colour=style.muted_text),),
        )
    ]
    x = text_width(label, size) + 8
    cells = [(style.plain_fill, text("none"))] + [
        (colour, f"{text.round_money(low)}–{text.round_money(high)}")
        for low, high, colour in lanes.scale.bins()
    ]
    for colour, words in cells:
        cell_width = text_width(words, size) + 10
        if x + cell_width > width:
            x, y = 0.0, y + height + 2
        shapes.append(
            Rect(Box(x, y, cell_width, height), fill=colour, stroke=Stroke("#808080", 0.8))
        )
        shapes.append(
            Label(
                Box(x + 5, y + 2, cell_width - 10, line_height(size)),
                (Line(words, size, colour=contrast_text(colour, style)),),
            )
        )
        x += cell_width + 3
    return shapes, y + height + 2


# --- the whole picture -------------------------------------------------------------------


def title_block(
    lanes: Swimlanes, width: float | None = None, *, title: bool = True
) -> tuple[list[Shape], float]:
    """The title, summary and key at the origin, on a background, with the gap below
    them; and the height they take. ``width`` defaults to the diagram's; without
    ``title`` only the key (a printed SOP has the title and figures already)."""
    margin = Spacing().margin
    if width is None:
        width = max(lanes.layout.width - 2 * margin, _MIN_TITLE_WIDTH)
    shapes, height = _title_block(lanes, width, title)
    top = margin if title else _KEY_TOP
    total = height + top + (_TITLE_GAP if title else _TITLE_GAP / 2)
    background = Rect(Box(0, 0, width + 2 * margin, total), fill=lanes.theme.background)
    return [background, *(moved_shape(shape, margin, top) for shape in shapes)], total


#: The title block is at least this wide, so a one-step diagram keeps a readable key.
_MIN_TITLE_WIDTH = 420.0


def body_items(lanes: Swimlanes, links: Mapping[str, str]) -> list[Shape | Group]:
    """Lanes, steps and arrows (everything but the title) at the layout's coordinates."""
    layout = lanes.layout
    items: list[Shape | Group] = []
    for lane in layout.lanes:
        items.append(_lane_group(lanes, lane.index, lane.band, lane.header, lane.key))
    for node in layout.nodes:
        items.append(_step_group(lanes, node.id, links))
    items += _edge_groups(lanes)
    return items


def draw_swimlanes(
    lanes: Swimlanes, *, links: Mapping[str, str] | None = None, names: bool = False
) -> Scene:
    """The laid-out diagram as a scene: title and key above, lanes, steps and arrows;
    with ``names``, each lane's name written again along a wide one (``lane_names``:
    the picture alone has them, the SOP keeps its headers in view instead)."""
    title, top, shifted = _below_title(lanes)
    items: list[Shape | Group] = [Group(tuple(title[1:]), classes=("key",))]
    items += body_items(shifted, links or {})
    repeated = lane_names(shifted.layout, shifted.headers, shifted.theme) if names else None
    if repeated is not None:
        items.append(repeated)
    return Scene(
        width=shifted.layout.width,
        height=shifted.layout.height + top,
        items=tuple(items),
        background=lanes.theme.background,
        font=FONTS,
        title=lanes.cost.name,
        kind="swimlanes",
    )


def lane_headers(lanes: Swimlanes) -> Scene | None:
    """The lanes' headers alone, where ``draw_swimlanes`` draws them, on no background.

    Laid over the diagram in an HTML page, they stay in view while a wide diagram
    is scrolled sideways, so a step far to the right still shows whose lane it is
    in. ``None`` for lanes as columns, whose headers are at the top.
    """
    if lanes.layout.direction != "LR" or not lanes.layout.lanes:
        return None
    _, top, shifted = _below_title(lanes)
    layout = shifted.layout
    items = tuple(
        Group(tuple(header_cell(shifted, lane.key, lane.header)), classes=("lane-header",))
        for lane in layout.lanes
    )
    return Scene(
        width=max(lane.header.right for lane in layout.lanes),
        height=layout.height + top,
        items=items,
        background="none",
        font=FONTS,
        kind="swimlanes",
    )


def _below_title(lanes: Swimlanes) -> tuple[list[Shape], float, Swimlanes]:
    """The title block, its height, and the lanes moved below it (and as wide as it)."""
    title, top = title_block(lanes)
    title_width = title[0].box.w if isinstance(title[0], Rect) else lanes.layout.width
    layout = lanes.layout.stretched(title_width, 0).moved(0, top)
    return title, top, replace(lanes, layout=layout)


def moved_shape(shape: Shape, dx: float, dy: float) -> Shape:
    """A shape shifted by ``dx``, ``dy``."""
    if isinstance(shape, Polyline):
        return replace(shape, points=tuple(p.moved(dx, dy) for p in shape.points))
    return replace(shape, box=shape.box.moved(dx, dy))


def swimlane_scene(
    cost: ProcessCost,
    *,
    direction: str = "LR",
    candidates: Sequence[Candidate] | None = None,
    theme: str | Theme = DEFAULT_THEME,
    links: Mapping[str, str] | None = None,
) -> Scene:
    """The swimlane diagram of a costed process as a scene (see the module docstring).

    Args:
        cost: the costed process.
        direction: ``LR`` (lanes are rows) or ``TB`` (lanes are columns).
        candidates: automation candidates to colour; by default this process's own.
        theme: a theme name or a ``Theme``.
        links: called process id → page (relative URL), to link each call's box.
    """
    lanes = swimlane_layout(cost, direction=direction, candidates=candidates, theme=theme)
    return draw_swimlanes(lanes, links=links, names=True)
