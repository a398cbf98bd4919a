"""A swimlane diagram cut into printed pages, lane headers repeated, never shrunk past legible.

Printing a wide diagram on one sheet shrinks it until nobody can read it. Here
the diagram keeps a fixed scale (at least ``MIN_SCALE``, so 10 pt text prints
at 8 pt) and is cut between columns, and between lanes or rows when it is
taller than a page. Every page repeats the header cells of its lanes at its
start, so each sheet says whose lane is whose. A diagram that fits one page at
``MIN_SCALE`` or more prints whole, as large as fits (never enlarged).

A diagram cut into parts also gets a map: the whole of it shrunk onto one
page, each part outlined and numbered, so a reader of a pile of pages knows
which sheet continues an arrow. Each number sits on the part's outline where
it covers no step or label (a corner, or else along an edge), and each part
knows the parts its arrows lead on to (``PrintPage.continues``), for its
caption.

Sizes are for the printable area of A4 *and* US Letter in landscape with the
SOP's 10 mm margins (the smaller of each: 259 × 190 mm), so the same pages fit
either paper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from .geometry import Box, Point
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
from .spots import Obstacles, obstacles
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
    "number_spot",
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
    lane headers and, on the first page, the key). ``continues``: the numbers
    of the other parts where arrows shown on this one end, in order.
    """

    scene: Scene
    view: Box
    width_mm: float
    height_mm: float
    number: int
    total: int
    part: Box
    continues: tuple[int, ...] = ()


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
    boxes = [part for part, _ in parts]
    for number, (part, view) in enumerate(parts, start=1):
        scene = _page(lanes, body, shapes if number == 1 else [], part, view)
        width, height = _mm(view.w, scale), _mm(view.h, scale)
        onward = continued_on(lanes.layout, boxes, number - 1)
        pages.append(PrintPage(scene, view, width, height, number, len(parts), part, onward))
    return pages


def continued_on(layout: Layout, parts: Sequence[Box], index: int) -> tuple[int, ...]:
    """The numbers (from 1) of the parts where the arrows shown on ``parts[index]`` end,
    this one left out: what its caption says it continues on.

    An arrow is shown on a part when a stretch of it runs inside the part (one
    along its edge is not); it ends where its tip is.
    """
    here = parts[index]
    found: set[int] = set()
    for edge in layout.edges:
        stretches = zip(edge.points, edge.points[1:], strict=False)
        shown = any(_runs_inside(a, b, here) for a, b in stretches)
        if not shown:
            continue
        tip = edge.points[-1]
        end = next((i for i, part in enumerate(parts) if _holds(part, tip)), None)
        if end is not None and end != index:
            found.add(end + 1)
    return tuple(sorted(found))


def _runs_inside(a: Point, b: Point, part: Box) -> bool:
    """Whether the straight stretch from ``a`` to ``b`` runs inside ``part``: a line
    along its outline does not."""

    def meets(one: float, other: float, low: float, high: float) -> bool:
        first, last = min(one, other), max(one, other)
        if first == last:
            return low < first < high
        return first < high and low < last

    return meets(a.x, b.x, part.x, part.right) and meets(a.y, b.y, part.y, part.bottom)


def _holds(part: Box, point: Point) -> bool:
    return part.x <= point.x <= part.right and part.y <= point.y <= part.bottom


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
    clear = obstacles(layout)
    marks: list[Group] = []
    taken: list[Box] = []
    for page in pages:
        mark, tab = _part_mark(page, scale, lanes.theme.critical_stroke, clear, taken)
        marks.append(mark)
        taken.append(tab)
    scene = replace(scene, items=(*scene.items, Group(tuple(marks), classes=("part-map",))))
    return PrintPage(scene, view, _mm(view.w, scale), _mm(view.h, scale), 0, len(pages), whole)


#: The sizes a part's number may print at on the map, in pt: the larger where it fits.
NUMBER_SIZES = (MAP_NUMBER_PT, 12.0)


def _part_mark(
    page: PrintPage, scale: float, colour: str, clear: Obstacles, taken: Sequence[Box]
) -> tuple[Group, Box]:
    """A part's outline and its number on a white tab inside it, where it covers no step
    or label (``number_spot``); and the tab."""
    text = str(page.number)
    found: Box | None = None
    for printed in NUMBER_SIZES:
        spot = number_spot(page.part, _tab_size(text, printed / scale), clear, taken)
        if found is None or clear.covers(spot)[0] < clear.covers(found)[0]:
            found = spot
        if clear.covers(found)[0] == 0:
            break
    assert found is not None
    size = found.h / 1.3
    pad = size / 4
    outline = Rect(page.part, stroke=Stroke(colour, width=1.5 / scale, dashed=True))
    group = Group(
        (
            outline,
            Rect(found, fill="#ffffff", stroke=Stroke(colour, width=1.0 / scale)),
            Label(
                Box(found.x + pad, found.y, found.w - 2 * pad, found.h),
                (Line(text, size, bold=True, colour=colour),),
                align="centre",
            ),
        ),
        classes=("part",),
    )
    return group, found


def _tab_size(text: str, size: float) -> tuple[float, float]:
    """A number's tab: wide enough for its digits, 1.3 lines tall."""
    return size * (0.3 + 0.6 * len(text)), size * 1.3


def number_spot(
    part: Box, tab: tuple[float, float], clear: Obstacles, taken: Sequence[Box] = ()
) -> Box:
    """Where a part's number goes on the map: a ``tab``-sized box inside ``part``
    against its outline, covering no step or label of ``clear`` if it can, then
    as few arrows as it can, and away from the other parts' numbers (``taken``:
    two tabs side by side across an outline read as one part's).

    Of the spots that do as well, the nearest a corner, the top-left first: a
    corner is where a reader looks for a part's number. A part too full for
    any clear spot gets the one covering fewest steps.
    """
    width, height = tab
    near = [box.grown(max(width, height) / 2) for box in taken]
    best: tuple[tuple[int, int, int, float, int], Box] | None = None
    for order, spot in enumerate(_along_outline(part, width, height)):
        steps, lines = clear.covers(spot)
        crowded = sum(1 for box in near if box.overlaps(spot))
        score = (steps, crowded, lines, _from_corner(part, spot), order)
        if best is None or score < best[0]:
            best = (score, spot)
        if score[:4] == (0, 0, 0, 0.0):
            break  # a clear corner: no later spot (a higher order) can do better
    assert best is not None
    return best[1]


def _along_outline(part: Box, width: float, height: float) -> list[Box]:
    """Tab-sized boxes inside ``part`` touching its outline: the corners (top-left,
    top-right, bottom-left, bottom-right), then along the top, bottom, left and
    right edges in steps of a quarter of the tab."""
    left, right = part.x, max(part.x, part.right - width)
    top, bottom = part.y, max(part.y, part.bottom - height)
    spots = [Box(x, y, width, height) for y in (top, bottom) for x in (left, right)]
    step_x, step_y = max(width / 4, 1.0), max(height / 4, 1.0)
    xs = [left + i * step_x for i in range(1, int((right - left) / step_x) + 1)]
    ys = [top + i * step_y for i in range(1, int((bottom - top) / step_y) + 1)]
    spots += [Box(x, y, width, height) for y in (top, bottom) for x in xs if x < right]
    spots += [Box(x, y, width, height) for x in (left, right) for y in ys if y < bottom]
    return spots


def _from_corner(part: Box, spot: Box) -> float:
    """How far ``spot`` is from the nearest corner of ``part`` (both ways added)."""
    along = min(spot.x - part.x, part.right - spot.right)
    down = min(spot.y - part.y, part.bottom - spot.bottom)
    return max(along, 0.0) + max(down, 0.0)


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
