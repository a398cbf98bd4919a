"""A swimlane diagram cut into printed pages, lane headers repeated, never shrunk past legible.

Printing a wide diagram on one sheet shrinks it until nobody can read it. Here
the diagram keeps a fixed scale (at least ``MIN_SCALE``, so 10 pt text prints
at 8 pt) and is cut between columns, and between lanes or rows when it is
taller than a page. Every page repeats the header cells of its lanes at its
start, so each sheet says whose lane is whose. A diagram that fits one page at
``MIN_SCALE`` or more prints whole, as large as fits (never enlarged).

A diagram cut into parts also gets a map: the whole of it shrunk onto one
page, each part outlined and numbered, so a reader of a pile of pages knows
which sheet continues an arrow.

Sizes are for the printable area of A4 *and* US Letter in landscape with the
SOP's 10 mm margins (the smaller of each: 259 × 190 mm), so the same pages fit
either paper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from .geometry import Box
from .layout import Layout, Spacing
from .scene import (
    Diamond,
    Ellipse,
    Group,
    Label,
    Line,
    Polyline,
    Rect,
    Scene,
    Shape,
    Stroke,
    walk,
)
from .style import FONTS
from .swimlane import (
    Swimlanes,
    body_items,
    draw_swimlanes,
    header_cell,
    moved_shape,
    title_block,
)

__all__ = [
    "MIN_SCALE",
    "PAGE_HEIGHT_MM",
    "PAGE_WIDTH_MM",
    "PrintPage",
    "part_map",
    "print_pages",
]

#: The printable area of A4 and Letter landscape with 10 mm margins, in mm.
PAGE_WIDTH_MM = 259.0
PAGE_HEIGHT_MM = 190.0
#: Room kept on each page for the section heading or the part's caption, in mm.
CAPTION_MM = 12.0
#: The smallest print scale: 1 pt of the drawing prints as 0.8 pt.
MIN_SCALE = 0.8
_MM_PER_PT = 25.4 / 72


@dataclass(frozen=True, slots=True)
class PrintPage:
    """One printed page: a scene, the part of it to show, and its printed size in mm.

    ``part`` is the stretch of the diagram proper it shows (``view`` adds the
    lane headers and, on the first page, the key).
    """

    scene: Scene
    view: Box
    width_mm: float
    height_mm: float
    number: int
    total: int
    part: Box


def _mm(points: float, scale: float) -> float:
    return round(points * scale * _MM_PER_PT, 1)


def print_pages(lanes: Swimlanes, *, links: Mapping[str, str] | None = None) -> list[PrintPage]:
    """The diagram as pages for A4 or Letter landscape (see the module docstring)."""
    whole = draw_swimlanes(lanes, links=links)
    width_pt = PAGE_WIDTH_MM / _MM_PER_PT
    height_pt = (PAGE_HEIGHT_MM - CAPTION_MM) / _MM_PER_PT
    fit = min(width_pt / whole.width, height_pt / whole.height)
    if fit >= MIN_SCALE:
        scale = min(fit, 1.0)
        view = Box(0, 0, whole.width, whole.height)
        return [PrintPage(whole, view, _mm(view.w, scale), _mm(view.h, scale), 1, 1, view)]
    body = body_items(lanes, links or {})
    margin = Spacing().margin

    def wrap_key(width: float) -> tuple[list[Shape], float]:
        return title_block(lanes, width - 2 * margin, title=False)

    best: tuple[tuple[int, int, float], float, list[tuple[Box, Box]], list[Shape]] | None = None
    for rank, scale in enumerate(SCALES):
        room = (width_pt / scale, height_pt / scale)
        for even in ((True, True), (True, False), (False, True), (False, False)):
            parts, shapes = _parts(lanes.layout, *room, wrap_key, even=even)
            parts = [(part, view) for part, view in parts if _has_content(body, part)]
            # The fewest pages, at the largest scale that gives them, and of those the
            # cut whose smallest part is largest: no page holding a sliver.
            thinnest = min(min(part.w, part.h) for part, _ in parts)
            score = (len(parts), rank, -thinnest)
            if best is None or score < best[0]:
                best = (score, scale, parts, shapes)
    assert best is not None
    _, scale, parts, shapes = best
    pages = []
    for number, (part, view) in enumerate(parts, start=1):
        scene = _page(lanes, body, shapes if number == 1 else [], part, view)
        pages.append(
            PrintPage(scene, view, _mm(view.w, scale), _mm(view.h, scale), number, len(parts), part)
        )
    return pages


#: How large a part's number prints on the map, in pt.
MAP_NUMBER_PT = 16.0


def part_map(
    lanes: Swimlanes, pages: Sequence[PrintPage], *, links: Mapping[str, str] | None = None
) -> PrintPage | None:
    """The whole diagram on one page with each of ``pages``' parts outlined and numbered
    (``number`` 0); ``None`` when the diagram prints whole on one page."""
    if len(pages) < 2:
        return None
    layout = lanes.layout
    header = layout.header_size
    if layout.direction == "LR":
        whole = Box.spanning(header, 0, layout.width, layout.height)
    else:
        whole = Box.spanning(0, header, layout.width, layout.height)
    view = Box(0, 0, layout.width, layout.height)
    scene = _page(lanes, body_items(lanes, links or {}), [], whole, view)
    width_pt = PAGE_WIDTH_MM / _MM_PER_PT
    height_pt = (PAGE_HEIGHT_MM - CAPTION_MM) / _MM_PER_PT
    scale = min(width_pt / view.w, height_pt / view.h, 1.0)
    marks = [_part_mark(page, scale, lanes.theme.critical_stroke) for page in pages]
    scene = replace(scene, items=(*scene.items, Group(tuple(marks), classes=("part-map",))))
    return PrintPage(scene, view, _mm(view.w, scale), _mm(view.h, scale), 0, len(pages), whole)


def _part_mark(page: PrintPage, scale: float, colour: str) -> Group:
    """A part's outline and, in its top-left corner, its number on a white tab."""
    size = MAP_NUMBER_PT / scale
    pad = size / 4
    outline = Rect(page.part, stroke=Stroke(colour, width=1.5 / scale, dashed=True))
    text = str(page.number)
    tab = Box(page.part.x, page.part.y, size * (0.3 + 0.6 * len(text)), size * 1.3)
    return Group(
        (
            outline,
            Rect(tab, fill="#ffffff", stroke=Stroke(colour, width=1.0 / scale)),
            Label(
                Box(tab.x + pad, tab.y, tab.w - 2 * pad, tab.h),
                (Line(text, size, bold=True, colour=colour),),
                align="centre",
            ),
        ),
        classes=("part",),
    )


#: Print scales tried, largest first; the one giving fewest pages wins (ties: larger).
SCALES = (1.0, 0.9, MIN_SCALE)


def _parts(
    layout: Layout,
    width: float,
    height: float,
    wrap_key: Callable[[float], tuple[list[Shape], float]],
    *,
    even: tuple[bool, bool],
) -> tuple[list[tuple[Box, Box]], list[Shape]]:
    """Each page's part of the diagram and its view (the part with the header cells
    before it, and the key above it on the first page), in reading order: down the
    lanes, then on along the flow; and the key for the first page. ``even``: whether
    the cuts along the flow and across the lanes share the diagram out evenly (see
    ``_cut``). ``wrap_key``: the key wrapped to a width, and its height.

    The key is wrapped to the first page's own width, not the paper's: the cuts fall
    between columns, so the first part is often narrower than the paper, and it
    cropped a key as wide as the paper ('runs ano'). That width does not depend on
    the key's height (only the cuts the other way do), so it is known first.
    """
    header = layout.header_size
    along, across = even
    if layout.direction == "LR":
        alongs = _cut(header, layout.width, layout.cuts_along, (width - header,) * 2, along)
        first_start, first_end = alongs[0]
        shapes, key_height = wrap_key(min(first_end - first_start + header, width))
        rooms = (height - key_height, height)
        acrosses = _cut(0.0, layout.height, layout.cuts_across, rooms, across)
        # Only the first page holds the key: the later columns have its room for lanes
        # (a column a little taller than the first page's room was cut there too,
        # leaving a page with one lane's strip).
        later = _cut(0.0, layout.height, layout.cuts_across, (height, height), across)
    else:
        acrosses = later = _cut(0.0, layout.width, layout.cuts_across, (width, width), across)
        first_low, first_high = acrosses[0]
        shapes, key_height = wrap_key(min(first_high - first_low, width))
        rooms = (height - header - key_height, height - header)
        alongs = _cut(header, layout.height, layout.cuts_along, rooms, along)
    parts = []
    for i, (start, end) in enumerate(alongs):
        for j, (low, high) in enumerate(acrosses if i == 0 else later):
            above = key_height if i == j == 0 else 0.0
            if layout.direction == "LR":
                part = Box.spanning(start, low, end, high)
                view = Box.spanning(start - header, low - above, end, high)
            else:
                part = Box.spanning(low, start, high, end)
                view = Box.spanning(low, start - header - above, high, end)
            parts.append((part, view))
    return parts, shapes


def _along_size(layout: Layout) -> float:
    return layout.width if layout.direction == "LR" else layout.height


def _across_size(layout: Layout) -> float:
    return layout.height if layout.direction == "LR" else layout.width


def _cut(
    start: float, end: float, cuts: tuple[float, ...], rooms: tuple[float, float], even: bool
) -> list[tuple[float, float]]:
    """``[start, end]`` in pieces that each end at a cut, the first no longer than
    ``rooms[0]``, the others than ``rooms[1]``: as few pieces as filling each page
    allows and, if ``even``, as even as the cuts allow (no last page holding one
    column).

    A stretch with no cut inside its room (one column wider than a page) is
    taken whole: it overflows rather than being cut through a box.
    """
    first, room = rooms
    candidates = [c for c in cuts if start < c < end]
    filled = _filled(start, end, candidates, first, room)
    shared = _even(start, end, candidates, first, room, len(filled)) if even else None
    return filled if shared is None else shared


def _filled(
    start: float, end: float, candidates: list[float], first: float, room: float
) -> list[tuple[float, float]]:
    """Each page filled as far as a cut allows: the fewest pieces."""
    pieces = []
    low = start
    limit = first
    while end - low > limit + 0.01:
        fitting = [c for c in candidates if low < c <= low + limit]
        high = fitting[-1] if fitting else next((c for c in candidates if c > low), end)
        pieces.append((low, high))
        low, limit = high, room
    pieces.append((low, end))
    return pieces


def _even(
    start: float, end: float, candidates: list[float], first: float, room: float, count: int
) -> list[tuple[float, float]] | None:
    """``count`` pieces, each ending at the cut nearest an even share of what is left;
    ``None`` when that does not fit in ``count`` pages (the filled pieces stand)."""
    if count < 2:
        return None
    pieces = []
    low, limit = start, first
    for left in range(count, 1, -1):
        share = low + (end - low) / left
        fitting = [c for c in candidates if low < c <= low + limit]
        if not fitting:
            return None
        high = min(fitting, key=lambda c: (abs(c - share), c))
        pieces.append((low, high))
        low, limit = high, room
    if end - low > limit + 0.01:
        return None
    pieces.append((low, end))
    return pieces


def _page(
    lanes: Swimlanes, body: list[Shape | Group], key: list[Shape], part: Box, view: Box
) -> Scene:
    layout = lanes.layout
    header = layout.header_size
    items: list[Shape | Group] = [item for item in body if _meets(item, part)]
    cells: list[Shape] = []
    for lane in layout.lanes:
        if layout.direction == "LR":
            low, high = max(lane.band.y, part.y), min(lane.band.bottom, part.bottom)
            cell = Box.spanning(part.x - header, low, part.x, high)
        else:
            low, high = max(lane.band.x, part.x), min(lane.band.right, part.right)
            cell = Box.spanning(low, part.y - header, high, part.y)
        if high - low > 1:
            cells += header_cell(lanes, lane.key, cell)
    items.append(Group(tuple(cells), classes=("headers",)))
    if key:
        items.append(Group(tuple(moved_shape(s, view.x, view.y) for s in key), classes=("key",)))
    return Scene(
        width=view.right,
        height=view.bottom,
        items=tuple(items),
        background=lanes.theme.background,
        font=FONTS,
        title=lanes.cost.name,
        kind="swimlanes",
    )


def _has_content(body: list[Shape | Group], part: Box) -> bool:
    """Whether a step, event, gateway or label shows in ``part``, or an arrow ends there.

    A page of bare lanes is left out, and so is one that arrows only pass
    through: a sheet of lane headers crossed by a line tells a reader nothing,
    and the map of the parts shows each arrow's whole way.
    """
    for item in body:
        if isinstance(item, Group) and "lane" in item.classes:
            continue
        for shape in walk((item,)):
            if isinstance(shape, Polyline):
                if _ends_inside(shape, part):
                    return True
            elif (box := _bounds(shape)) is not None and box.overlaps(part):
                return True
    return False


def _ends_inside(line: Polyline, part: Box) -> bool:
    """Whether the line's last point (an arrow's tip) is inside ``part`` (not on its edge)."""
    tip = line.points[-1]
    return part.x < tip.x < part.right and part.y < tip.y < part.bottom


def _bounds(item: Shape | Group) -> Box | None:
    if isinstance(item, Group):
        boxes = [b for b in (_bounds(i) for i in item.items) if b is not None]
        if not boxes:
            return None
        found = boxes[0]
        for box in boxes[1:]:
            found = found.union(box)
        return found
    if isinstance(item, Polyline):
        xs = [p.x for p in item.points]
        ys = [p.y for p in item.points]
        return Box.spanning(min(xs), min(ys), max(xs), max(ys))
    if isinstance(item, Rect | Ellipse | Diamond | Label):
        return item.box
    return None


def _meets(item: Shape | Group, part: Box) -> bool:
    box = _bounds(item)
    if box is None:
        return False
    return (
        box.x <= part.right
        and part.x <= box.right
        and box.y <= part.bottom
        and part.y <= box.bottom
    )
