"""Each lane's name written again inside its band along a wide diagram.

The lanes' names stand in the header cells at the start of the diagram. In a
35-step, 15-role launch (3914 pt, 5123 px wide as a PNG) nobody could tell, in
its right two-thirds, which of 16 grey bands a step was in. So past the first
``EVERY`` points of a band, each lane's name is written again, small and
light, near the start of every further ``EVERY`` (1,467 px in a PNG at 96
dpi), at the top of the band (or else its foot) where it covers no step, label
or arrow (``spots``); where no such room is near, that repetition is left out. A
diagram shorter than that along its flow gets none: its headers are in view.

This is for the picture alone (SVG, PNG, a one-page PDF); the SOP keeps the
headers in view on screen and repeats them on every printed part.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .common import EVENTS_LANE
from .geometry import Box
from .layout import Layout
from .metrics import line_height, text_width
from .scene import Group, Label, Line
from .spots import Obstacles, obstacles
from .style import Theme

__all__ = ["EVERY", "lane_name_spots", "lane_names"]

#: How far apart along the flow a lane's name is written, in pt.
EVERY = 1100.0
#: How far either way from its place a name may move to find room, in pt.
REACH = 360.0
#: The steps of that search, in pt.
STEP = 6.0
#: Room between a name and its band's edge, in pt.
INSET = 3.0


def lane_name_spots(
    layout: Layout,
    sizes: Mapping[str, tuple[float, float]],
    *,
    every: float = EVERY,
    keep_clear: Obstacles | None = None,
) -> dict[str, list[Box]]:
    """Where each lane's name goes again: ``sizes`` is each lane's name's width and height.

    In lanes as rows (``LR``) the places are ``every`` apart from the end of
    the header column, the first at ``every``; a name goes at the top of its
    band, at the place or as near it as it covers nothing of ``keep_clear`` (by
    default, what the layout draws), or else at the band's foot, and not at all
    when nothing within ``REACH`` is clear or it would pass the band's end.
    Lanes as columns (``TB``) the same, downwards, at the band's left or right.
    """
    clear = obstacles(layout) if keep_clear is None else keep_clear
    found: dict[str, list[Box]] = {}
    across_rows = layout.direction == "LR"
    for lane in layout.lanes:
        width, height = sizes[lane.key]
        band = lane.band
        start = lane.header.right if across_rows else lane.header.bottom
        end = band.right if across_rows else band.bottom
        along = width if across_rows else height
        spots: list[Box] = []
        mark = start + every
        while mark + along + INSET <= end:
            spot = next(
                (
                    box
                    for box in _near(band, mark, start, end, width, height, across_rows)
                    if clear.clear(box)
                ),
                None,
            )
            if spot is not None:
                spots.append(spot)
            mark += every
        if spots:
            found[lane.key] = spots
    return found


def _near(
    band: Box,
    mark: float,
    start: float,
    end: float,
    width: float,
    height: float,
    across_rows: bool,
) -> Iterator[Box]:
    """Boxes for a name in ``band`` near ``mark``, nearest first (forward before back):
    at the band's top (its left, for lanes as columns), then at its foot (right), where
    a name next to the following band's could be taken for that band's."""
    along = width if across_rows else height
    if (height if across_rows else width) + 2 * INSET > (band.h if across_rows else band.w):
        return
    offsets = [0.0]
    for step in range(1, int(REACH / STEP) + 1):
        offsets += [step * STEP, -step * STEP]
    places = [mark + offset for offset in offsets]
    places = [at for at in places if at >= start + INSET and at + along + INSET <= end]
    for far_side in (False, True):
        for at in places:
            if across_rows:
                y = band.bottom - INSET - height if far_side else band.y + INSET
                yield Box(at, y, width, height)
            else:
                x = band.right - INSET - width if far_side else band.x + INSET
                yield Box(x, at, width, height)


def _name(header: tuple[Line, ...], key: str) -> str:
    """The lane's name as its header gives it (the bold lines), on one line."""
    bold = [line.text for line in header if line.bold]
    return " ".join(bold) if bold else key


def lane_names(
    layout: Layout, headers: Mapping[str, tuple[Line, ...]], style: Theme
) -> Group | None:
    """The names written again along a wide diagram (see the module docstring), at the
    layout's coordinates; ``headers``: each lane's header cell's lines. ``None`` when
    there are none."""
    size = style.small_size
    names = {lane.key: _name(headers[lane.key], lane.key) for lane in layout.lanes}
    sizes = {key: (text_width(name, size), line_height(size)) for key, name in names.items()}
    spots = lane_name_spots(layout, sizes)
    items = tuple(
        Group(
            tuple(
                Label(box, (Line(names[key], size, colour=style.lane_name_text),)) for box in boxes
            ),
            classes=("lane-name",),
            data={"role": "" if key == EVENTS_LANE else key},
        )
        for key, boxes in spots.items()
    )
    return Group(items, classes=("lane-names",)) if items else None
