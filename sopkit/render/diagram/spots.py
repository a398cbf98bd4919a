"""What a label added over a laid-out diagram must not cover: steps, their labels, arrows.

A lane's name repeated along a wide diagram (``lane_names``) and a part's
number on the printed map (``pages``) are placed after the layout, over it.
Each tries a list of spots and takes the first that covers no step, no
milestone's name, no wait or rework label and no arrow; these are the things
to keep clear of, as boxes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .geometry import Box
from .layout import Layout

__all__ = ["Obstacles", "obstacles"]

#: Room kept around a step: its condition's diamond stands 4.5 pt out of a corner.
STEP_ROOM = 5.0
#: Room kept either side of an arrow's line (the critical path's is 2.2 pt thick): text
#: beside a line needs a gap to read as apart from it.
LINE_ROOM = 4.0


#: A box as its four edges (left, top, right, bottom), as ``Box.overlaps`` compares them.
Edges = tuple[float, float, float, float]


def _edges(box: Box) -> Edges:
    return (box.x, box.y, box.right, box.bottom)


def _meeting(edges: tuple[Edges, ...], box: Edges) -> Iterator[Edges]:
    """The boxes among ``edges`` whose insides meet ``box``'s (``Box.overlaps``): every spot
    tried is checked against every obstacle, so the edges are worked out once."""
    x, y, right, bottom = box
    return (e for e in edges if x < e[2] and e[0] < right and y < e[3] and e[1] < bottom)


@dataclass(frozen=True, slots=True)
class Obstacles:
    """The boxes of steps and labels, and of each straight stretch of an arrow."""

    boxes: tuple[Box, ...]
    lines: tuple[Box, ...]
    _box_edges: tuple[Edges, ...] = field(init=False, repr=False, compare=False)
    _line_edges: tuple[Edges, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_box_edges", tuple(map(_edges, self.boxes)))
        object.__setattr__(self, "_line_edges", tuple(map(_edges, self.lines)))

    def covers(self, box: Box) -> tuple[int, int]:
        """How many steps or labels, and how many stretches of arrows, ``box`` covers."""
        edges = _edges(box)
        return (
            sum(1 for _ in _meeting(self._box_edges, edges)),
            sum(1 for _ in _meeting(self._line_edges, edges)),
        )

    def clear(self, box: Box) -> bool:
        """Whether ``box`` covers nothing."""
        edges = _edges(box)
        return next(_meeting(self._box_edges, edges), None) is None and (
            next(_meeting(self._line_edges, edges), None) is None
        )


def obstacles(layout: Layout) -> Obstacles:
    """What ``layout`` draws that a label laid over it must leave uncovered."""
    boxes = [node.bounds.grown(STEP_ROOM) for node in layout.nodes]
    boxes += [box.grown(1.0) for box in layout.out_labels.values()]
    boxes += [edge.label.grown(1.0) for edge in layout.edges if edge.label is not None]
    lines = []
    for edge in layout.edges:
        for a, b in zip(edge.points, edge.points[1:], strict=False):
            stretch = Box.spanning(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))
            lines.append(stretch.grown(LINE_ROOM))
    return Obstacles(tuple(boxes), tuple(lines))
