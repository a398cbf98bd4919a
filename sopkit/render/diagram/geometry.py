"""Points and boxes in drawing coordinates: points, origin top left, y growing downwards.

Everything sopkit lays out (swimlanes, Gantt charts) is measured in these
units, so one SVG unit, one Graphviz point and one BPMN-DI pixel are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Box", "Point"]

#: Coordinates are rounded to this many decimals when laid out and written.
PLACES = 2


def _r(value: float) -> float:
    return round(value, PLACES) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float

    def moved(self, dx: float, dy: float) -> Point:
        return Point(_r(self.x + dx), _r(self.y + dy))


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @classmethod
    def spanning(cls, left: float, top: float, right: float, bottom: float) -> Box:
        return cls(_r(left), _r(top), _r(right - left), _r(bottom - top))

    @property
    def right(self) -> float:
        return _r(self.x + self.w)

    @property
    def bottom(self) -> float:
        return _r(self.y + self.h)

    @property
    def cx(self) -> float:
        return _r(self.x + self.w / 2)

    @property
    def cy(self) -> float:
        return _r(self.y + self.h / 2)

    @property
    def centre(self) -> Point:
        return Point(self.cx, self.cy)

    def moved(self, dx: float, dy: float) -> Box:
        return Box(_r(self.x + dx), _r(self.y + dy), self.w, self.h)

    def grown(self, by: float) -> Box:
        """This box with ``by`` added on every side (negative: shrunk)."""
        return Box(_r(self.x - by), _r(self.y - by), _r(self.w + 2 * by), _r(self.h + 2 * by))

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Box) -> bool:
        """Whether the insides meet (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def union(self, other: Box) -> Box:
        return Box.spanning(
            min(self.x, other.x),
            min(self.y, other.y),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )
