"""A drawing as a list of shapes at fixed positions, for two writers: SVG and Graphviz.

sopkit lays its pictures out itself (``layout.py`` for swimlanes, the Gantt
chart in ``render/plan``) and describes the result as a ``Scene``: rectangles,
ellipses, diamonds, lines with arrowheads and blocks of text, in drawing order,
some grouped under an id and classes. ``svg.py`` writes a scene as SVG text
(no renderer needed); ``dot.py`` writes it as Graphviz source with every
position pinned, which ``dot`` or ``graphviz-pure`` turn into PNG or PDF.
Both draw the same shapes at the same places.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from .geometry import Box, Point

__all__ = [
    "Diamond",
    "Ellipse",
    "Group",
    "Label",
    "Line",
    "Polyline",
    "Rect",
    "Scene",
    "Shape",
    "Stroke",
    "walk",
]


@dataclass(frozen=True, slots=True)
class Stroke:
    """An outline or a line: colour (``#rrggbb``), width in points, dashed or solid."""

    colour: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle; ``double`` draws a second outline 3 points inside the first."""

    box: Box
    fill: str | None = None
    stroke: Stroke | None = None
    rounded: float = 0.0
    double: bool = False
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ellipse:
    """An ellipse (a circle in a square box); ``double`` adds an inner ring."""

    box: Box
    fill: str | None = None
    stroke: Stroke | None = None
    double: bool = False
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diamond:
    """A rhombus touching the middle of each side of its box."""

    box: Box
    fill: str | None = None
    stroke: Stroke | None = None
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Polyline:
    """Straight segments through ``points``; an arrowhead at the last point if asked.

    ``arrow`` is ``"filled"``, ``"open"`` (hollow) or ``"none"``; the head's tip
    is the last point, ``ARROW_LENGTH`` points long.
    """

    points: tuple[Point, ...]
    stroke: Stroke
    arrow: Literal["filled", "open", "none"] = "none"
    classes: tuple[str, ...] = ()


#: Length of an arrowhead along its line, and its half-width as a share of that.
ARROW_LENGTH = 8.0
ARROW_HALF_WIDTH = 0.35


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text in one style."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class Label:
    """Lines of text set from the top of ``box``, left-aligned or centred.

    The box was measured to hold the lines (``metrics.py``); writers never
    wrap or shrink.
    """

    box: Box
    lines: tuple[Line, ...]
    align: Literal["left", "centre"] = "left"
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    """Shapes that belong together: one step, one lane, one arrow.

    In SVG a ``<g>`` with ``id``, ``class`` and ``data-*`` attributes (and a
    link and tooltip when given), so tests and stylesheets can find it.
    """

    items: tuple[Rect | Ellipse | Diamond | Polyline | Label | Group, ...]
    id: str | None = None
    classes: tuple[str, ...] = ()
    data: Mapping[str, str] = field(default_factory=dict)
    href: str | None = None
    title: str | None = None


Shape = Rect | Ellipse | Diamond | Polyline | Label


@dataclass(frozen=True, slots=True)
class Scene:
    """A whole picture: its size in points, background, font family and items in order."""

    width: float
    height: float
    items: tuple[Shape | Group, ...]
    background: str = "#ffffff"
    font: str = "sans-serif"
    title: str = ""
    #: Identifies the drawing, e.g. ``swimlanes`` or ``gantt`` (a class on the root).
    kind: str = "drawing"


def walk(items: tuple[Shape | Group, ...]) -> Iterator[Shape]:
    """Every shape in drawing order, groups opened."""
    for item in items:
        if isinstance(item, Group):
            yield from walk(item.items)
        else:
            yield item
