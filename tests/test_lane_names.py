"""Each lane's name written again along a wide diagram, where it covers nothing.

A trial's 3914-pt-wide launch (5123 px as a PNG) had its lanes' names only in
the header column at the left: in its right two-thirds no one could tell which
of 16 grey bands a step was in. Where the names go is checked as numbers on
hand-made layouts, and on every library diagram both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROCESSES

from sopkit.analysis import cost_process
from sopkit.load import load_process
from sopkit.render.diagram import swimlane_layout, swimlane_scene
from sopkit.render.diagram.common import EVENTS_LANE
from sopkit.render.diagram.geometry import Box, Point
from sopkit.render.diagram.lane_names import EVERY, INSET, REACH, lane_name_spots, lane_names
from sopkit.render.diagram.layout import EdgeRoute, LaneBox, Layout, NodeBox
from sopkit.render.diagram.scene import Group, Label, walk
from sopkit.render.diagram.swimlane import draw_swimlanes

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"
SMALL = ROOT / "tests" / "fixtures" / "sop" / "minimal" / "monthly-report.yaml"
LIBRARY = sorted(p for p in PROCESSES.rglob("*.yaml") if p.name != "roles.yaml")
#: One lane's name: 80 pt wide, 12 pt tall.
SIZES = {"A": (80.0, 12.0)}


def _row(
    width: float, nodes: tuple[NodeBox, ...] = (), edges: tuple[EdgeRoute, ...] = ()
) -> Layout:
    """One lane as a row 100 pt tall, its header cell 150 pt wide."""
    lane = LaneBox("A", 0, Box(0, 0, width, 100), Box(0, 0, 150, 100))
    return Layout("LR", width, 100, (lane,), nodes, edges, header_size=150)


def _step(shape: Box) -> NodeBox:
    return NodeBox("s", "A", "task", shape, None, 0, 0)


def test_a_name_goes_every_1100_pt_past_the_header_at_the_band_s_top() -> None:
    spots = lane_name_spots(_row(3000), SIZES)
    # 150 + 1100 and 150 + 2200; a third at 3450 would pass the band's end
    assert spots == {"A": [Box(1250, INSET, 80, 12), Box(2350, INSET, 80, 12)]}


def test_a_diagram_no_longer_than_1100_pt_past_its_headers_has_none() -> None:
    assert lane_name_spots(_row(150 + EVERY), SIZES) == {}
    # the first place fits only once the name does, before the band's end
    assert lane_name_spots(_row(150 + EVERY + 80 + INSET), SIZES) == {
        "A": [Box(1250, INSET, 80, 12)]
    }


def test_a_name_moves_along_past_a_step_that_fills_its_band_s_height() -> None:
    # the step with its 5 pt of room spans x 1195–1365 and the band's whole height:
    # 6 pt steps forward reach 1370 (+120) before back reaches 1112 (-138)
    spots = lane_name_spots(_row(2000, (_step(Box(1200, 5, 160, 90)),)), SIZES)
    assert spots == {"A": [Box(1370, INSET, 80, 12)]}


def test_a_name_goes_to_the_band_s_foot_when_its_top_is_taken_far_along() -> None:
    # a step along the band's top from 900 to 1700 (with room, 895–1705): the top is
    # clear only 455 pt or more from 1250, past the 360 pt the name may move
    spots = lane_name_spots(_row(2000, (_step(Box(900, 8, 800, 40)),)), SIZES)
    assert spots == {"A": [Box(1250, 100 - INSET - 12, 80, 12)]}


def test_a_name_keeps_clear_of_an_arrow_crossing_its_place() -> None:
    # a vertical arrow at x 1260, 4 pt of room either side: forward to 1268 (+18)
    arrow = EdgeRoute("a", "b", "flow", (Point(1260, 0), Point(1260, 100)))
    spots = lane_name_spots(_row(2000, edges=(arrow,)), SIZES)
    assert spots == {"A": [Box(1268, INSET, 80, 12)]}


def test_no_name_where_nothing_near_its_place_is_clear() -> None:
    blocked = _step(Box(1250 - REACH - 20, 0, 2 * REACH + 120, 100))
    assert lane_name_spots(_row(2000, (blocked,)), SIZES) == {}


def test_lanes_as_columns_have_their_names_down_the_band_at_its_left() -> None:
    lane = LaneBox("A", 0, Box(0, 0, 200, 3000), Box(0, 0, 200, 60))
    layout = Layout("TB", 200, 3000, (lane,), (), (), header_size=60)
    assert lane_name_spots(layout, SIZES) == {
        "A": [Box(INSET, 1160, 80, 12), Box(INSET, 2260, 80, 12)]
    }
    # a name wider than its column is left out
    assert lane_name_spots(layout, {"A": (197.0, 12.0)}) == {}


def _segments(points: tuple[Point, ...]) -> list[Box]:
    return [
        Box.spanning(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))
        for a, b in zip(points, points[1:], strict=False)
    ]


def _crosses(line: Box, box: Box) -> bool:
    return (
        line.x <= box.right
        and box.x <= line.right
        and line.y <= box.bottom
        and box.y <= line.bottom
    )


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", [*LIBRARY, LAUNCH], ids=lambda p: p.stem)
def test_every_repeated_name_is_in_its_band_and_covers_nothing(path: Path, direction: str) -> None:
    lanes = swimlane_layout(cost_process(load_process(path)), direction=direction)
    layout = lanes.layout
    names = lane_names(layout, lanes.headers, lanes.theme)
    if names is None:
        return
    taken = [node.bounds for node in layout.nodes] + list(layout.out_labels.values())
    taken += [edge.label for edge in layout.edges if edge.label is not None]
    lines = [s for edge in layout.edges for s in _segments(edge.points)]
    by_role = {"" if lane.key == EVENTS_LANE else lane.key: lane for lane in layout.lanes}
    for group in names.items:
        assert isinstance(group, Group)
        key = group.data["role"]
        lane = by_role[key]
        boxes = [label.box for label in group.items if isinstance(label, Label)]
        assert len(boxes) == len(group.items)
        along = [box.x if direction == "LR" else box.y for box in boxes]
        assert all(b - a >= EVERY - 2 * REACH for a, b in zip(along, along[1:], strict=False))
        for box in boxes:
            assert lane.band.contains(box), (key, box)
            assert not box.overlaps(lane.header), (key, box)
            assert not any(box.overlaps(other) for other in taken), (key, box)
            assert not any(_crosses(line, box) for line in lines), (key, box)


def test_the_launch_says_every_lane_s_name_in_its_right_two_thirds() -> None:
    lanes = swimlane_layout(cost_process(load_process(LAUNCH)))
    names = lane_names(lanes.layout, lanes.headers, lanes.theme)
    assert names is not None
    third = lanes.layout.width / 3
    named = {
        group.data["role"]
        for group in names.items
        if isinstance(group, Group)
        and any(isinstance(s, Label) and s.box.x > third for s in group.items)
    }
    assert len(named) == len(lanes.layout.lanes)


def test_the_picture_has_them_the_sop_and_a_small_diagram_do_not() -> None:
    def repeated(items: tuple[object, ...]) -> list[Label]:
        groups = [i for i in items if isinstance(i, Group) and "lane-names" in i.classes]
        return [s for s in walk(tuple(groups)) if isinstance(s, Label)]  # type: ignore[arg-type]

    launch = cost_process(load_process(LAUNCH))
    assert len(repeated(swimlane_scene(launch).items)) > 16
    assert repeated(draw_swimlanes(swimlane_layout(launch)).items) == []  # the SOP's
    assert repeated(swimlane_scene(cost_process(load_process(SMALL))).items) == []
