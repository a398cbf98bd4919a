"""The printed map's part numbers, placed where they cover no step, and what each part
continues on.

A trial's map put each part's number, 16 pt tall, on the top-left corner of its
part, over "Review the sales assets" and four other steps. Now a number sits
on its part's outline where it covers nothing (``pages.number_spot``), and
each printed part's caption names the parts its arrows go on to
(``pages.continued_on``). Both are checked as numbers on hand-made boxes, and
on the library's diagrams.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROCESSES

from sopkit.analysis import cost_process
from sopkit.load import load_process
from sopkit.render.diagram import swimlane_layout
from sopkit.render.diagram.geometry import Box, Point
from sopkit.render.diagram.layout import EdgeRoute, LaneBox, Layout
from sopkit.render.diagram.pages import (
    NUMBER_SIZES,
    continued_on,
    number_spot,
    part_map,
    print_pages,
)
from sopkit.render.diagram.scene import Group, Rect
from sopkit.render.diagram.spots import Obstacles, obstacles

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"
LIBRARY = sorted(p for p in PROCESSES.rglob("*.yaml") if p.name != "roles.yaml")
PART = Box(0, 0, 400, 300)
TAB = (50.0, 40.0)
NOTHING = Obstacles((), ())


def test_a_number_goes_in_its_part_s_top_left_corner_when_that_is_clear() -> None:
    assert number_spot(PART, TAB, NOTHING) == Box(0, 0, 50, 40)


def test_a_step_in_the_top_left_corner_sends_the_number_to_the_top_right() -> None:
    step = Obstacles((Box(10, 10, 100, 60),), ())
    assert number_spot(PART, TAB, step) == Box(350, 0, 50, 40)


def test_with_every_corner_taken_the_number_goes_along_an_edge_nearest_one() -> None:
    corners = tuple(Box(x, y, 60, 60) for y in (0, 240) for x in (0, 340))
    # Along the top, the nearest clear spot is 62.5 from a corner (steps of 12.5);
    # down the left edge, 60 (steps of 10): that one.
    assert number_spot(PART, TAB, Obstacles(corners, ())) == Box(0, 60, 50, 40)


def test_a_number_covers_an_arrow_before_a_step_and_neither_when_it_can() -> None:
    # an arrow down the left edge and a step along the rest of the top
    arrow = Box(18, 0, 4, 300)
    step = Box(60, 0, 340, 60)
    spot = number_spot(PART, TAB, Obstacles((step,), (arrow,)))
    assert spot == Box(350, 260, 50, 40)  # bottom-right: the arrow crosses the left ones
    full = Obstacles((Box(0, 0, 400, 300),), ())
    assert number_spot(PART, TAB, full) == Box(0, 0, 50, 40)  # no clear spot: the corner


def test_a_number_keeps_away_from_a_neighbour_s_number_across_the_outline() -> None:
    neighbour = Box(-50, 0, 50, 40)  # the part to the left has its number top-right
    assert number_spot(PART, TAB, NOTHING, [neighbour]) == Box(350, 0, 50, 40)


def _row(width: float, edges: tuple[EdgeRoute, ...]) -> Layout:
    lane = LaneBox("A", 0, Box(0, 0, width, 100), Box(0, 0, 0, 100))
    return Layout("LR", width, 100, (lane,), (), edges)


def test_a_part_continues_on_the_parts_where_its_arrows_end() -> None:
    parts = [Box(0, 0, 100, 100), Box(100, 0, 100, 100), Box(200, 0, 100, 100)]
    forward = EdgeRoute("a", "c", "flow", (Point(50, 50), Point(250, 50)))
    back = EdgeRoute("c", "a", "rework", (Point(250, 80), Point(20, 80)))
    # an arrow along the outline between parts 1 and 2 is shown on neither
    along = EdgeRoute("x", "y", "flow", (Point(100, 0), Point(100, 90), Point(150, 90)))
    layout = _row(300, (forward, back, along))
    assert continued_on(layout, parts, 0) == (3,)
    assert continued_on(layout, parts, 1) == (1, 3)  # both pass through the middle
    assert continued_on(layout, parts, 2) == (1,)  # the rework goes back


@pytest.mark.parametrize("path", [*LIBRARY, LAUNCH], ids=lambda p: p.stem)
def test_no_number_on_the_map_covers_a_step_label_or_arrow(path: Path) -> None:
    lanes = swimlane_layout(cost_process(load_process(path)))
    pages = print_pages(lanes)
    overview = part_map(lanes, pages)
    if overview is None:
        return
    clear = obstacles(lanes.layout)
    scale = overview.width_mm / (overview.view.w * 25.4 / 72)
    (marks,) = [i for i in overview.scene.items if isinstance(i, Group) and "part-map" in i.classes]
    for mark, page in zip(marks.items, pages, strict=True):
        assert isinstance(mark, Group)
        _, tab, number = mark.items
        assert isinstance(tab, Rect)
        assert page.part.contains(tab.box), page.number
        assert clear.covers(tab.box) == (0, 0), (page.number, tab.box)
        assert round(number.lines[0].size * scale, 1) in NUMBER_SIZES  # type: ignore[union-attr]


def test_each_printed_part_of_the_launch_knows_where_it_continues() -> None:
    pages = print_pages(swimlane_layout(cost_process(load_process(LAUNCH))))
    assert [page.continues for page in pages] == [
        (2,),
        (3, 4, 5),
        (4, 5),
        (5, 6, 7),
        (4,),
        (7, 8, 10),
        (6, 8),
        (6,),
        (10,),
        (9,),
    ]
