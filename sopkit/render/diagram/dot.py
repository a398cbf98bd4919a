"""A ``Scene`` as Graphviz source with every position pinned, for PNG and PDF.

Graphviz does no layout here: the graph uses the ``nop2`` engine (what
``neato -n2`` does), so each shape is a node at its ``pos`` with a fixed size
and each line an edge whose spline is given. ``dot -Tpng`` and
``graphviz-pure -Tpng`` read ``layout=nop2`` from the graph and only draw,
giving the same picture as ``svg.py``. Graphviz's y axis points up, so y is
flipped here; text blocks are fixed-size HTML tables, left-aligned or centred.

``build_digraph`` and ``to_dot`` do this for a costed process's swimlane
diagram (``swimlane.py``).
"""

from __future__ import annotations

import math

import graphviz  # type: ignore[import-untyped]

from ...analysis import Candidate, ProcessCost, as_process_cost
from ...models import Process
from ..labels import html_text
from .geometry import Box, Point
from .metrics import line_height
from .scene import (
    ARROW_LENGTH,
    Diamond,
    Ellipse,
    Label,
    Polyline,
    Rect,
    Scene,
    Shape,
    Stroke,
    walk,
)
from .style import DEFAULT_THEME, FONTS, Theme
from .svg import arrow_head
from .swimlane import swimlane_scene

__all__ = ["build_digraph", "scene_digraph", "to_dot"]

#: Graphviz draws a second periphery this far outside the first.
_PERIPHERY_GAP = 4.0


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _inches(points: float) -> str:
    return f"{max(points, 0.01) / 72:.4f}".rstrip("0").rstrip(".")


class _Writer:
    def __init__(self, scene: Scene, fontname: str) -> None:
        self.height = scene.height
        self.count = 0
        self.graph = graphviz.Digraph(
            name=_graph_name(scene),
            graph_attr={
                "layout": "nop2",
                "notranslate": "true",
                "bb": f"0,0,{_n(scene.width)},{_n(scene.height)}",
                "outputorder": "nodesfirst",
                "pad": "0",
                "bgcolor": scene.background,
                "fontname": fontname,
            },
            node_attr={"fixedsize": "true", "label": "", "fontname": fontname, "margin": "0"},
            edge_attr={"fontname": fontname},
        )

    def _name(self) -> str:
        self.count += 1
        return f"n{self.count}"

    def _pos(self, x: float, y: float) -> str:
        return f"{_n(x)},{_n(self.height - y)}"

    def _outline(self, fill: str | None, stroke: Stroke | None) -> dict[str, str]:
        styles = ["filled"] if fill else []
        if stroke is not None and stroke.dashed:
            styles.append("dashed")
        attrs = {
            "color": stroke.colour if stroke else (fill or "transparent"),
            "penwidth": _n(stroke.width) if stroke else "0",
        }
        if fill:
            attrs["fillcolor"] = fill
        if styles:
            attrs["style"] = ",".join(styles)
        return attrs

    def _box_node(self, box: Box, shape: str, attrs: dict[str, str], shrink: float = 0) -> None:
        self.graph.node(
            self._name(),
            shape=shape,
            pos=self._pos(box.cx, box.cy),
            width=_inches(box.w - shrink),
            height=_inches(box.h - shrink),
            **attrs,
        )

    def rect(self, shape: Rect) -> None:
        attrs = self._outline(shape.fill, shape.stroke)
        if shape.rounded:
            attrs["style"] = ",".join(filter(None, [attrs.get("style", ""), "rounded"]))
        shrink = 0.0
        if shape.double:
            attrs["peripheries"] = "2"
            shrink = 2 * _PERIPHERY_GAP
        self._box_node(shape.box, "box", attrs, shrink)

    def ellipse(self, shape: Ellipse) -> None:
        attrs = self._outline(shape.fill, shape.stroke)
        if shape.double:
            self._box_node(shape.box, "doublecircle", attrs, 2 * _PERIPHERY_GAP)
        else:
            self._box_node(shape.box, "ellipse", attrs)

    def diamond(self, shape: Diamond) -> None:
        self._box_node(shape.box, "diamond", self._outline(shape.fill, shape.stroke))

    def label(self, shape: Label) -> None:
        """Text as a table with one fixed-height row per line, so Graphviz sets the lines
        where the layout measured them (its own line spacing is tighter)."""
        width = math.ceil(shape.box.w) + 2
        align = "center" if shape.align == "centre" else "left"
        rows = []
        top = 0.0
        for line in shape.lines:
            text = html_text(line.text) or "&#160;"
            if line.bold:
                text = f"<b>{text}</b>"
            if line.italic:
                text = f"<i>{text}</i>"
            bottom = top + line_height(line.size)
            height = max(round(bottom) - round(top), 1)
            top = bottom
            rows.append(
                f'<tr><td fixedsize="true" width="{width}" height="{height}" align="{align}" '
                f'valign="middle"><font point-size="{_n(line.size)}" color="{line.colour}">'
                f"{text}</font></td></tr>"
            )
        height = max(round(top), 1)
        label = (
            '<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">'
            + "".join(rows)
            + "</table>>"
        )
        box = Box(shape.box.x - 1, shape.box.y, width, height)
        self.graph.node(
            self._name(),
            shape="none",
            pos=self._pos(box.cx, box.cy),
            width=_inches(width),
            height=_inches(height),
            label=label,
        )

    def polyline(self, shape: Polyline) -> None:
        points = list(shape.points)
        attrs = {
            "color": shape.stroke.colour,
            "penwidth": _n(shape.stroke.width),
            "arrowhead": "none",
        }
        if shape.stroke.dashed:
            attrs["style"] = "dashed"
        end = ""
        if shape.arrow != "none" and len(points) >= 2:
            base, _ = arrow_head(shape.points)
            end = f"e,{self._pos(points[-1].x, points[-1].y)} "
            points[-1] = base
            attrs["arrowhead"] = "normal" if shape.arrow == "filled" else "onormal"
            attrs["arrowsize"] = _n(ARROW_LENGTH / 10)
        tail, head = self._name(), self._name()
        for name, point in ((tail, points[0]), (head, points[-1])):
            self.graph.node(
                name, shape="point", width="0.01", style="invis", pos=self._pos(point.x, point.y)
            )
        self.graph.edge(tail, head, pos=end + self._spline(points), **attrs)

    def _spline(self, points: list[Point]) -> str:
        """The polyline as a cubic B-spline Graphviz accepts: control points on each segment."""
        out = [points[0]]
        for a, b in zip(points, points[1:], strict=False):
            out.append(Point(a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3))
            out.append(Point(a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3))
            out.append(b)
        return " ".join(self._pos(p.x, p.y) for p in out)

    def draw(self, shape: Shape) -> None:
        if isinstance(shape, Rect):
            self.rect(shape)
        elif isinstance(shape, Ellipse):
            self.ellipse(shape)
        elif isinstance(shape, Diamond):
            self.diamond(shape)
        elif isinstance(shape, Polyline):
            self.polyline(shape)
        else:
            self.label(shape)


def _graph_name(scene: Scene) -> str:
    return scene.kind


def scene_digraph(scene: Scene, *, fontname: str = FONTS) -> graphviz.Digraph:
    """The scene as a ``graphviz.Digraph`` with fixed positions (``layout=nop2``)."""
    writer = _Writer(scene, fontname)
    # Graphviz sizes the picture to what is drawn: a background as large as the
    # scene keeps the margins the layout chose.
    writer.draw(Rect(Box(0, 0, scene.width, scene.height), fill=scene.background))
    for shape in walk(scene.items):
        writer.draw(shape)
    return writer.graph


def build_digraph(
    cost: ProcessCost | Process,
    *,
    direction: str = "LR",
    candidates: list[Candidate] | None = None,
    theme: str | Theme = DEFAULT_THEME,
    fontname: str = FONTS,
    links: dict[str, str] | None = None,
) -> graphviz.Digraph:
    """The swimlane diagram of a costed process as a ``graphviz.Digraph`` (fixed positions).

    Args:
        cost: the costed process (``sopkit.analysis.cost_process``), or the
            process, costed alone here.
        direction: ``LR`` (lanes are rows, flow left to right) or ``TB`` (lanes
            are columns, flow top to bottom).
        candidates: automation candidates to colour; by default this process's own.
        theme: a theme name from ``sopkit.render.diagram.style.THEMES`` or a ``Theme``.
        fontname: Graphviz ``fontname``; the default family list covers Latin,
            Cyrillic and Korean with system Graphviz.
        links: called process id → page, for the links of call steps (SVG only).
    """
    scene = swimlane_scene(
        as_process_cost(cost), direction=direction, candidates=candidates, theme=theme, links=links
    )
    return scene_digraph(scene, fontname=fontname)


def to_dot(
    cost: ProcessCost | Process, *, direction: str = "LR", theme: str | Theme = DEFAULT_THEME
) -> str:
    """The DOT source of the diagram: ``dot -Tpng`` draws it as laid out; same input, same bytes."""
    source: str = build_digraph(cost, direction=direction, theme=theme).source
    return source
