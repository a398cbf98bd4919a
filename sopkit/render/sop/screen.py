"""How wide the HTML SOP shows its diagram: as wide as the page allows, never below legible.

A reader should see the whole diagram at once, fitted to the room the page has
(the text column, or more of a wide window), its height following. Shrunk too
far its words turn to specks, so there is a floor: the diagram's smallest text
(10 pt, 13.3 px at its own size) is never shown below ``LEAST_TEXT_PX``. A
diagram that would need less (a 35-step launch) stops at the floor and scrolls
sideways, and the page says there is more. It is never enlarged past its own
size.

Only the browser knows the room, so CSS does the fitting; the document gives it
three numbers per diagram, as custom properties on the diagram's box: its own
width, its width at the floor, and the lane headers' share of its width (they
are laid over it, in a strip of their own, and must shrink with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LEAST_TEXT_PX", "PX_PER_PT", "ScreenSize", "screen_size"]

#: CSS pixels to a point (96 to 72 per inch).
PX_PER_PT = 4 / 3
#: The smallest the diagram's smallest text is shown on screen, in CSS pixels: a 10 pt
#: label at 45 % of its size, still read (bold names at 6.6 px) where a 35-step
#: launch fitted to the page (at 17 %) shows specks; the link to the full-size view is
#: there for reading it closely.
LEAST_TEXT_PX = 6.0

#: The width an SVG made by sopkit declares on its root: ``width="1866.85pt"``.
_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9]+(?:\.[0-9]+)?)pt"')


@dataclass(frozen=True, slots=True)
class ScreenSize:
    """A diagram's sizes on screen, in CSS pixels, and its lane headers' share of them."""

    #: Its own size: 1 pt of the drawing to 1 pt on screen.
    width: float
    #: As narrow as it is shown, its smallest text at ``LEAST_TEXT_PX``.
    least: float
    #: The lane-header strip's width over the diagram's (0 without the strip).
    headers: float

    @property
    def style(self) -> str:
        """The sizes as CSS custom properties, for the ``style`` of the diagram's box."""
        return (
            f"--diagram-width: {self.width:.2f}px; --diagram-least: {self.least:.2f}px; "
            f"--headers-share: {self.headers:.5f}"
        )


def screen_size(svg: str, headers: str | None, smallest_pt: float) -> ScreenSize | None:
    """The sizes of the diagram ``svg`` (with the lane-header strip ``headers``) whose
    smallest text is ``smallest_pt``; ``None`` for an SVG that declares no width in
    points (the page then shows it at its own size, scrolling, as it always could)."""
    width_pt = _declared_width(svg)
    if width_pt is None or width_pt <= 0:
        return None
    width = round(width_pt * PX_PER_PT, 2)
    scale = min(1.0, LEAST_TEXT_PX / (smallest_pt * PX_PER_PT))
    strip = None if headers is None else _declared_width(headers)
    return ScreenSize(
        width=width,
        least=round(width * scale, 2),
        headers=0.0 if strip is None else round(min(strip / width_pt, 1.0), 5),
    )


def _declared_width(svg: str) -> float | None:
    found = _WIDTH.search(svg)
    return None if found is None else float(found.group(1))
