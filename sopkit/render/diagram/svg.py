"""A ``Scene`` as SVG text: every shape where the layout put it, nothing for a renderer to do.

The SVG is plain and predictable so that tests, stylesheets and other tools
can read it: one element per shape, groups as ``<g>`` with ``id``, ``class``
and ``data-*`` attributes, text as one ``<text>`` per line with the text
escaped (no markup from a process file can reach the document). Numbers have
at most two decimals, so the same scene always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..labels import xml_attribute, xml_text
from .geometry import Box, Point
from .metrics import line_height
from .scene import (
    ARROW_HALF_WIDTH,
    ARROW_LENGTH,
    Diamond,
    Ellipse,
    Group,
    Label,
    Polyline,
    Rect,
    Scene,
    Shape,
    Stroke,
)

__all__ = ["arrow_head", "to_svg"]

#: Where the first baseline sits below the top of a line, as a share of the font size.
BASELINE = 0.97
#: Inset of the inner outline of a double rectangle or ring.
DOUBLE_GAP = 3.0


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: str) -> str:
    return xml_attribute(value)


def _paint(fill: str | None, stroke: Stroke | None) -> str:
    parts = [f'fill="{fill or "none"}"']
    if stroke is None:
        parts.append('stroke="none"')
    else:
        parts.append(f'stroke="{stroke.colour}" stroke-width="{_n(stroke.width)}"')
        if stroke.dashed:
            parts.append('stroke-dasharray="5,3"')
    return " ".join(parts)


def _class(classes: tuple[str, ...]) -> str:
    return f' class="{_attr(" ".join(classes))}"' if classes else ""


def _rect(shape: Rect) -> list[str]:
    box = shape.box
    corner = f' rx="{_n(shape.rounded)}"' if shape.rounded else ""
    out = [
        f'<rect{_class(shape.classes)} x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" '
        f'height="{_n(box.h)}"{corner} {_paint(shape.fill, shape.stroke)}/>'
    ]
    if shape.double:
        inner = box.grown(-DOUBLE_GAP)
        rounded = max(shape.rounded - DOUBLE_GAP, 0)
        corner = f' rx="{_n(rounded)}"' if rounded else ""
        # the inner line thin and solid, so a thick or dashed outline stays readable
        inner_stroke = None
        if shape.stroke is not None:
            inner_stroke = Stroke(shape.stroke.colour, min(shape.stroke.width, 1.0))
        out.append(
            f'<rect x="{_n(inner.x)}" y="{_n(inner.y)}" width="{_n(inner.w)}" '
            f'height="{_n(inner.h)}"{corner} {_paint(None, inner_stroke)}/>'
        )
    return out


def _ellipse(shape: Ellipse) -> list[str]:
    box = shape.box
    out = [
        f'<ellipse{_class(shape.classes)} cx="{_n(box.cx)}" cy="{_n(box.cy)}" '
        f'rx="{_n(box.w / 2)}" ry="{_n(box.h / 2)}" {_paint(shape.fill, shape.stroke)}/>'
    ]
    if shape.double:
        out.append(
            f'<ellipse cx="{_n(box.cx)}" cy="{_n(box.cy)}" rx="{_n(box.w / 2 - DOUBLE_GAP)}" '
            f'ry="{_n(box.h / 2 - DOUBLE_GAP)}" {_paint(None, shape.stroke)}/>'
        )
    return out


def _diamond(shape: Diamond) -> list[str]:
    box = shape.box
    points = [(box.cx, box.y), (box.right, box.cy), (box.cx, box.bottom), (box.x, box.cy)]
    return [
        f'<polygon{_class(shape.classes)} points="{_points(points)}" '
        f"{_paint(shape.fill, shape.stroke)}/>"
    ]


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def arrow_head(points: tuple[Point, ...]) -> tuple[Point, list[tuple[float, float]]]:
    """Where a line with an arrowhead stops, and the head's triangle (tip last point).

    The line ends at the head's base so a thick line never pokes through the tip.
    """
    tip, before = points[-1], points[-2]
    dx, dy = tip.x - before.x, tip.y - before.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    head = min(ARROW_LENGTH, length)
    base = Point(round(tip.x - ux * head, 2), round(tip.y - uy * head, 2))
    half = ARROW_HALF_WIDTH * head
    return base, [
        (tip.x, tip.y),
        (base.x - uy * half, base.y + ux * half),
        (base.x + uy * half, base.y - ux * half),
    ]


def _polyline(shape: Polyline, background: str) -> list[str]:
    points = list(shape.points)
    head: list[tuple[float, float]] = []
    if shape.arrow != "none" and len(points) >= 2:
        base, head = arrow_head(shape.points)
        points[-1] = base
    path = "M" + " L".join(f"{_n(p.x)},{_n(p.y)}" for p in points)
    out = [f'<path{_class(shape.classes)} d="{path}" {_paint(None, shape.stroke)}/>']
    if head:
        fill = shape.stroke.colour if shape.arrow == "filled" else background
        solid = Stroke(shape.stroke.colour, min(shape.stroke.width, 1.2))
        out.append(f'<polygon points="{_points(head)}" {_paint(fill, solid)}/>')
    return out


def _label(shape: Label) -> list[str]:
    box = shape.box
    anchor = "middle" if shape.align == "centre" else "start"
    x = box.cx if shape.align == "centre" else box.x
    out = [f"<g{_class(shape.classes)}>"] if shape.classes else []
    top = box.y
    for line in shape.lines:
        baseline = top + (line_height(line.size) - line.size) / 2 + BASELINE * line.size
        style = ' font-weight="bold"' if line.bold else ""
        style += ' font-style="italic"' if line.italic else ""
        out.append(
            f'<text x="{_n(x)}" y="{_n(baseline)}" font-size="{_n(line.size)}"{style} '
            f'fill="{line.colour}" text-anchor="{anchor}">{xml_text(line.text)}</text>'
        )
        top += line_height(line.size)
    if shape.classes:
        out.append("</g>")
    return out


def _shape(shape: Shape, background: str) -> list[str]:
    if isinstance(shape, Rect):
        return _rect(shape)
    if isinstance(shape, Ellipse):
        return _ellipse(shape)
    if isinstance(shape, Diamond):
        return _diamond(shape)
    if isinstance(shape, Polyline):
        return _polyline(shape, background)
    return _label(shape)


def _data(data: Mapping[str, str]) -> str:
    return "".join(f' data-{key}="{_attr(value)}"' for key, value in data.items())


def _group(group: Group, background: str, ids: bool = True) -> list[str]:
    ident = f' id="{_attr(group.id)}"' if group.id and ids else ""
    out = [f"<g{ident}{_class(group.classes)}{_data(group.data)}>"]
    if group.title:
        out.append(f"<title>{xml_text(group.title)}</title>")
    for item in group.items:
        out.extend(
            _group(item, background) if isinstance(item, Group) else _shape(item, background)
        )
    out.append("</g>")
    if group.href:
        return [f'<a href="{_attr(group.href)}">', *out, "</a>"]
    return out


def to_svg(
    scene: Scene,
    *,
    view: Box | None = None,
    width: str | None = None,
    height: str | None = None,
    classes: tuple[str, ...] = (),
    ids: bool = True,
) -> str:
    """The scene as a standalone SVG document (no XML prolog, so it also inlines in HTML).

    Args:
        scene: what to draw.
        view: the part of the scene to show (``viewBox``); the whole scene by default.
        width, height: CSS sizes for the root (``"180mm"``); by default the view's
            size in points, so 1 unit is 1 pt as in Graphviz's SVG.
        classes: extra classes for the root element.
        ids: write the groups' ids; off for a second copy of a drawing in one page.
    """
    view = view or Box(0, 0, scene.width, scene.height)
    root_classes = ("sopkit", scene.kind, *classes)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{_class(root_classes)} '
        f'width="{width or _n(view.w) + "pt"}" height="{height or _n(view.h) + "pt"}" '
        f'viewBox="{_n(view.x)} {_n(view.y)} {_n(view.w)} {_n(view.h)}" '
        f'font-family="{_attr(scene.font)}">'
    ]
    if scene.title:
        out.append(f"<title>{xml_text(scene.title)}</title>")
    out.append(
        f'<rect class="background" x="{_n(view.x)}" y="{_n(view.y)}" width="{_n(view.w)}" '
        f'height="{_n(view.h)}" fill="{scene.background}" stroke="none"/>'
    )
    for item in scene.items:
        out.extend(
            _group(item, scene.background, ids)
            if isinstance(item, Group)
            else _shape(item, scene.background)
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
