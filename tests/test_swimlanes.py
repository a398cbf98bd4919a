"""Swimlane geometry read back from the SVG: bands, steps in their lanes, arrows, marks.

Every library process and the 35-step, 15-role launch fixture are drawn both
ways (lanes as rows and as columns) and checked against the rules in
``swimlane_svg.check``; random processes check the same rules by property.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import PROCESSES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from swimlane_svg import check, read

from sopkit.analysis import ProcessCost, cost_process
from sopkit.load import load_process
from sopkit.models import Process, Role, RoleKind, Settings
from sopkit.render.diagram import draw, swimlane_layout
from sopkit.render.diagram.common import EVENTS_LANE, lane_of

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"
LIBRARY = sorted(p for p in PROCESSES.rglob("*.yaml") if p.name != "roles.yaml")


def _roles(cost: ProcessCost) -> dict[str, str]:
    """Step id → the data-role its lane carries ('' for the milestones-and-calls band)."""
    return {
        step.id: "" if lane_of(step) == EVENTS_LANE else lane_of(step)
        for step in cost.process.steps
    }


@pytest.fixture(scope="module")
def launch() -> ProcessCost:
    return cost_process(load_process(LAUNCH))


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", [*LIBRARY, LAUNCH], ids=lambda p: p.stem)
def test_every_diagram_keeps_the_swimlane_rules(path: Path, direction: str) -> None:
    cost = cost_process(load_process(path))
    drawing = read(draw(cost, "svg", direction=direction).data)
    check(drawing, _roles(cost))


@pytest.mark.parametrize(("direction", "air"), [("LR", 3.0), ("TB", 6.0)])
def test_a_rework_label_keeps_clear_of_its_step(direction: str, air: float) -> None:
    """Below the box (LR) three points of air read well; to its right (TB), beside a
    sign-off's double outline, they read as touching: six there."""
    cost = cost_process(load_process(PROCESSES / "en" / "case-study.yaml"))
    layout = swimlane_layout(cost, direction=direction).layout
    shapes = {node.id: node.shape for node in layout.nodes}
    labelled = [e for e in layout.edges if e.kind == "rework" and e.label is not None]
    assert labelled
    for edge in labelled:
        assert edge.label is not None
        shape = shapes[edge.source]
        gap = edge.label.y - shape.bottom if direction == "LR" else edge.label.x - shape.right
        assert gap == pytest.approx(air), edge.source


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", [*LIBRARY, LAUNCH], ids=lambda p: p.stem)
def test_no_box_comes_nearer_the_drawing_s_far_edges_than_its_margin(
    path: Path, direction: str
) -> None:
    """A Russian trial's webinar diagram ended its last lane 8 points under its last box,
    which read as touching the picture's edge; the other far edge had the 14-point margin."""
    layout = swimlane_layout(cost_process(load_process(path)), direction=direction).layout
    for node in layout.nodes:
        assert node.bounds.bottom + 14 <= layout.height + 0.01, node.id
        assert node.bounds.right + 14 <= layout.width + 0.01, node.id


def test_the_launch_fixture_is_as_large_as_the_issue_says(launch: ProcessCost) -> None:
    steps = launch.process.steps
    roles = {s.owner for s in steps if s.owner} | {r for s in steps for r in s.participants}
    assert len(steps) >= 35 and len(roles) >= 15


# --- lanes ---------------------------------------------------------------------------------


def test_lanes_in_the_order_roles_first_act_below_the_events_band(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    first_owners = list(
        dict.fromkeys(s.owner for s in launch.process.steps if s.owner and not s.is_call)
    )
    assert [lane.role for lane in drawing.lanes] == ["", *first_owners]
    tops = [lane.band.y for lane in drawing.lanes]
    assert tops == sorted(tops)
    assert drawing.lanes[0].text == "Milestones and sub-procedures"


def test_lanes_are_full_width_rows_or_full_height_columns(launch: ProcessCost) -> None:
    rows = read(draw(launch, "svg").data)
    for lane in rows.lanes:
        assert (lane.band.x, lane.band.right) == (0.0, pytest.approx(rows.width))
    columns = read(draw(launch, "svg", direction="TB").data)
    for lane in columns.lanes:
        assert lane.band.bottom == pytest.approx(columns.height)
    lefts = [lane.band.x for lane in columns.lanes]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)


def test_header_cells_name_the_role_and_its_annual_cost(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    costs = {r.role: r.annual_cost for r in launch.by_role()}
    lane = drawing.lane("Head of Marketing")
    assert lane.text == f"Head of Marketing ${costs['Head of Marketing']:,.2f} a year"
    assert lane.header.x == 0 and lane.header.h == lane.band.h


def test_outside_parties_and_systems_are_marked(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    for role in ("PR Agency", "Customer"):
        lane = drawing.lane(role)
        assert "external" in lane.classes and "outside the organisation" in lane.text
    bot = drawing.lane("Release Bot")
    assert "system" in bot.classes and "automated (system)" in bot.text
    assert "staff" in drawing.lane("Designer").classes
    band = next(
        r
        for r in drawing.root.iter("{http://www.w3.org/2000/svg}rect")  # type: ignore[union-attr]
        if r.get("class") == "band" and r.get("fill") == "#fbf6ea"
    )
    assert band.get("stroke-dasharray")  # an outside party's band is dashed
    assert "outside the organisation" in drawing.text and "automated" in drawing.text


# --- steps ---------------------------------------------------------------------------------


def test_joint_work_names_the_participants(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    assert "with Customer, Product Marketing Manager" in drawing.steps["quote"].text
    assert "with Product Manager, Head of Marketing" in drawing.steps["kickoff"].text


def test_conditional_steps_show_their_question_and_answer(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    legal = drawing.steps["legal-review"]
    assert "conditional" in legal.classes
    assert legal.text.startswith("If: Does legal need to review claims? — yes")
    assert "If: Which launch tier? — L1 or L2" in drawing.steps["press-release"].text
    assert "If: Which launch tier? — L1" in drawing.steps["analyst"].text
    shape = legal.element.find("{http://www.w3.org/2000/svg}rect")
    assert shape is not None and shape.get("stroke-dasharray")
    assert legal.element.find(".//*[@class='condition-mark']") is not None
    assert "conditional" not in drawing.steps["blog"].classes


def test_milestones_signoffs_and_calls_have_their_own_shapes(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    kinds = {step.id: step.kind for step in drawing.steps.values()}
    assert {k for k, v in kinds.items() if v == "milestone"} == {"date-set", "launch", "announced"}
    assert {k for k, v in kinds.items() if v == "signoff"} == {
        "messaging-ok",
        "legal-ok",
        "go-no-go",
    }
    assert {k for k, v in kinds.items() if v == "call"} == {"assets"}
    svg = "{http://www.w3.org/2000/svg}"
    launch_day = drawing.steps["launch"].element
    assert len(launch_day.findall(f"{svg}ellipse")) == 2  # a double ring
    signoff = drawing.steps["go-no-go"]
    assert len(signoff.element.findall(f"{svg}rect")) == 2 and "SIGN-OFF" in signoff.text
    call = drawing.steps["assets"]
    assert call.element.find(f".//{svg}rect[@class='call-mark']") is not None
    assert "runs: Launch asset review ×8–12" in call.text
    assert float(call.element.find(f"{svg}rect").get("stroke-width")) >= 2.5  # type: ignore[union-attr]


def test_steps_without_an_owner_go_to_the_events_band_and_owned_milestones_stay(
    launch: ProcessCost,
) -> None:
    drawing = read(draw(launch, "svg").data)
    events = drawing.lane("")
    for step_id in ("date-set", "launch", "assets"):
        assert drawing.steps[step_id].shape.inside(events.band)
    assert drawing.steps["announced"].role == "Product Marketing Manager"


def test_calls_link_to_the_called_process_only_when_asked(launch: ProcessCost) -> None:
    plain = read(draw(launch, "svg").data)
    assert plain.steps["assets"].href is None
    linked = read(draw(launch, "svg", links={"asset-review": "asset-review.html"}).data)
    assert linked.steps["assets"].href == "asset-review.html"
    assert all(s.href is None for s in linked.steps.values() if s.id != "assets")


# --- arrows --------------------------------------------------------------------------------


def test_every_after_is_one_arrow_and_every_rework_one_dashed_arrow(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    flows = {(e.source, e.target) for e in drawing.edges if e.kind == "flow"}
    assert flows == {(b, s.id) for s in launch.process.steps for b in s.after}
    reworks = [e for e in drawing.edges if e.kind == "rework"]
    assert [(e.source, e.target) for e in reworks] == [("messaging-ok", "positioning")]
    assert reworks[0].text == "rework 25%"


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_arrows_leave_and_reach_the_shapes_they_join(launch: ProcessCost, direction: str) -> None:
    drawing = read(draw(launch, "svg", direction=direction).data)
    for edge in drawing.edges:
        start, end = edge.points[0], edge.points[-1]
        source, target = drawing.steps[edge.source].shape, drawing.steps[edge.target].shape
        for (x, y), box in ((start, source), (end, target)):
            on_edge = (
                min(abs(x - box.x), abs(x - box.right)) < 0.6
                or min(abs(y - box.y), abs(y - box.bottom)) < 0.6
            )
            inside = box.x - 0.6 <= x <= box.right + 0.6 and box.y - 0.6 <= y <= box.bottom + 0.6
            assert inside and (
                on_edge
                or drawing.steps[edge.source].kind == "milestone"
                or drawing.steps[edge.target].kind == "milestone"
            ), edge


def test_each_wait_is_labelled_once(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    waits = {s.id: s.wait for s in launch.process.steps if not s.wait.is_zero}
    successors = {b for s in launch.process.steps for b in s.after}
    # in working days, as the SOP says them: the file's 1d, 2d, 3d, 1w (5 days), 2w and 3w
    days = {"1d": "1 working day", "2d": "2 working days", "3d": "3 working days"}
    days |= {"1w": "5 working days", "2w": "10 working days", "3w": "15 working days"}
    for step_id, wait in waits.items():
        if step_id in successors:
            said = f"wait {days[str(wait)]}"
            assert drawing.waits[step_id] == [said]
            assert said not in drawing.steps[step_id].text
    assert set(drawing.waits) == {s for s in waits if s in successors}
    assert drawing.text.count("wait 3 working days") == 2  # legal-review and quote, once each


def test_a_step_with_five_successors_and_a_wait_says_it_once() -> None:
    steps: list[dict[str, Any]] = [
        {"id": "a", "name": "A", "owner": "W", "time": "1h", "wait": "4d"}
    ]
    steps += [
        {"id": f"b{i}", "name": f"B{i}", "owner": f"R{i}", "time": "1h", "after": "a"}
        for i in range(5)
    ]
    drawing = read(draw(_cost(steps), "svg").data)
    assert drawing.text.count("wait 4 working days") == 1
    assert drawing.waits == {"a": ["wait 4 working days"]}


def test_the_critical_path_is_heavier(launch: ProcessCost) -> None:
    drawing = read(draw(launch, "svg").data)
    path = launch.schedule.critical_path
    critical = {(a, b) for a, b in zip(path, path[1:], strict=False)}
    for edge in drawing.edges:
        if edge.kind == "flow":
            assert ("critical" in edge.classes) == ((edge.source, edge.target) in critical)
    for step in drawing.steps.values():
        assert ("critical" in step.classes) == (step.id in path), step.id


# --- the layout as data ---------------------------------------------------------------------


def test_the_layout_is_finite_non_negative_and_reusable(launch: ProcessCost) -> None:
    layout = swimlane_layout(launch).layout
    numbers: list[float] = [layout.width, layout.height]
    for lane in layout.lanes:
        numbers += [lane.band.x, lane.band.y, lane.band.w, lane.band.h]
    for node in layout.nodes:
        numbers += [node.shape.x, node.shape.y, node.shape.w, node.shape.h]
        assert node.kind in ("task", "signoff", "call", "milestone")
        assert layout.lane(node.lane).band.contains(node.bounds)
    for edge in layout.edges:
        numbers += [c for p in edge.points for c in (p.x, p.y)]
    assert all(n >= 0 and n == n and n != float("inf") for n in numbers)
    kinds = {node.id: node.kind for node in layout.nodes}
    assert kinds["launch"] == "milestone" and kinds["assets"] == "call"


# --- any process -----------------------------------------------------------------------------


def _cost(steps: list[dict[str, Any]], kinds: dict[str, RoleKind] | None = None) -> ProcessCost:
    process = Process.model_validate(
        {"sopkit": 1, "id": "p", "name": "P", "owner": "W", "frequency": "4/month", "steps": steps}
    )
    owners = {s["owner"] for s in steps if s.get("owner")}
    roles = {}
    for owner in owners:
        kind = (kinds or {}).get(owner, RoleKind.STAFF)
        roles[owner] = (
            Role(kind=kind) if kind is RoleKind.SYSTEM else Role(kind=kind, rate=Decimal(40))
        )
    process.bind(Settings(roles=roles))
    return cost_process(process)


@st.composite
def processes(draw_: st.DrawFn) -> list[dict[str, Any]]:
    count = draw_(st.integers(1, 14))
    roles = draw_(st.integers(1, 5))
    steps: list[dict[str, Any]] = []
    for i in range(count):
        after = sorted(draw_(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
        kind = draw_(st.sampled_from(["task", "task", "task", "milestone", "signoff"]))
        step: dict[str, Any] = {
            "id": f"s{i}",
            "name": f"Step {i} " + "word " * draw_(st.integers(0, 8)),
        }
        if kind == "milestone":
            step["milestone"] = True
            if draw_(st.booleans()):
                step["owner"] = f"Role {draw_(st.integers(0, roles - 1))}"
        else:
            step |= {"owner": f"Role {draw_(st.integers(0, roles - 1))}", "time": "1h"}
            step["approval"] = kind == "signoff"
        if after:
            step["after"] = [f"s{a}" for a in after]
        if draw_(st.booleans()):
            step["wait"] = "1d"
        steps.append(step)
    for i, step in enumerate(steps):
        ancestors = _ancestors(steps, i)
        if ancestors and draw_(st.integers(0, 3)) == 0:
            step["rework"] = {
                "to": f"s{draw_(st.sampled_from(sorted(ancestors)))}",
                "probability": 0.2,
            }
    return steps


def _ancestors(steps: list[dict[str, Any]], index: int) -> set[int]:
    found: set[int] = set()
    stack = [int(a[1:]) for a in steps[index].get("after", [])]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack += [int(a[1:]) for a in steps[node].get("after", [])]
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=processes(), direction=st.sampled_from(["LR", "TB"]))
def test_any_process_keeps_the_swimlane_rules(steps: list[dict[str, Any]], direction: str) -> None:
    cost = _cost(steps)
    drawing = read(draw(cost, "svg", direction=direction).data)
    check(drawing, _roles(cost))


# --- printed pages -----------------------------------------------------------------------------


def test_a_wide_diagram_prints_in_parts_each_step_whole_on_one_and_headers_on_all(
    launch: ProcessCost,
) -> None:
    from sopkit.render.diagram.pages import MIN_SCALE, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, print_pages
    from sopkit.render.diagram.scene import Group, Label, walk

    lanes = swimlane_layout(launch)
    pages = print_pages(lanes)
    assert len(pages) > 1 and [p.number for p in pages] == list(range(1, len(pages) + 1))
    scale = pages[0].width_mm / (pages[0].view.w * 25.4 / 72)
    assert scale >= MIN_SCALE - 0.01  # never shrunk past legible
    for page in pages:
        assert page.width_mm <= PAGE_WIDTH_MM and page.height_mm <= PAGE_HEIGHT_MM - 10
    layout = lanes.layout
    shown = {node.id: 0 for node in layout.nodes}
    for page in pages:
        view = page.view
        headers = [
            item
            for item in page.scene.items
            if isinstance(item, Group) and "headers" in item.classes
        ]
        labels = [s for s in walk(tuple(headers)) if isinstance(s, Label)]
        for node in layout.nodes:
            box = node.bounds
            if (
                box.x >= view.x + layout.header_size - 0.01
                and box.right <= view.right + 0.01
                and box.y >= view.y - 0.01
                and box.bottom <= view.bottom + 0.01
            ):
                shown[node.id] += 1
        # one header cell per lane the page shows, at the page's left edge
        visible = [
            lane
            for lane in layout.lanes
            if lane.band.bottom > view.y + 1 and lane.band.y < view.bottom - 1
        ]
        assert len(labels) == len(visible), page.number
        assert all(abs(label.box.x - view.x - 8) < 1 for label in labels)
    assert all(count >= 1 for count in shown.values()), shown


def test_the_map_shows_the_whole_diagram_with_every_part_outlined_and_numbered(
    launch: ProcessCost,
) -> None:
    from sopkit.render.diagram.pages import (
        MAP_NUMBER_PT,
        PAGE_HEIGHT_MM,
        PAGE_WIDTH_MM,
        part_map,
        print_pages,
    )
    from sopkit.render.diagram.scene import Group, Label, Rect

    lanes = swimlane_layout(launch)
    pages = print_pages(lanes)
    overview = part_map(lanes, pages)
    assert overview is not None and (overview.number, overview.total) == (0, len(pages))
    assert overview.width_mm <= PAGE_WIDTH_MM and overview.height_mm <= PAGE_HEIGHT_MM - 10
    layout = lanes.layout
    assert (overview.view.w, overview.view.h) == (layout.width, layout.height)
    (marks,) = [i for i in overview.scene.items if isinstance(i, Group) and "part-map" in i.classes]
    assert len(marks.items) == len(pages)
    scale = overview.width_mm / (overview.view.w * 25.4 / 72)
    for mark, page in zip(marks.items, pages, strict=True):
        assert isinstance(mark, Group)
        outline, _, number = mark.items
        assert isinstance(outline, Rect) and outline.box == page.part
        assert isinstance(number, Label) and number.lines[0].text == str(page.number)
        assert number.lines[0].size * scale == pytest.approx(MAP_NUMBER_PT)  # room for 16 pt
    # every step lies inside a part: the map accounts for the whole diagram
    for node in layout.nodes:
        assert any(
            page.part.x - 0.01 <= node.bounds.x
            and node.bounds.right <= page.part.right + 0.01
            and page.part.y - 0.01 <= node.bounds.y
            and node.bounds.bottom <= page.part.bottom + 0.01
            for page in pages
        ), node.id
    assert part_map(lanes, pages[:1]) is None


@pytest.mark.parametrize(
    "path", [LAUNCH, PROCESSES / "en" / "product-launch.yaml"], ids=["fixture", "library"]
)
def test_no_printed_part_is_only_arrows_passing_through(path: Path) -> None:
    """Each sheet shows a step, an event or a label, or an arrow arriving: the library's
    product launch printed 19 parts, three of them lane headers crossed by a line."""
    from sopkit.render.diagram.pages import print_pages

    lanes = swimlane_layout(cost_process(load_process(path)))
    layout = lanes.layout
    shown = [
        *(node.bounds for node in layout.nodes),
        *layout.out_labels.values(),
    ]
    pages = print_pages(lanes)
    assert len(pages) > 1
    for page in pages:
        part = page.part
        arrives = any(
            part.x < edge.points[-1].x < part.right and part.y < edge.points[-1].y < part.bottom
            for edge in layout.edges
        )
        assert arrives or any(box.overlaps(part) for box in shown), page.number


def test_a_small_diagram_prints_whole_on_one_page() -> None:
    from sopkit.render.diagram.pages import print_pages

    cost = _cost(
        [
            {"id": "a", "name": "Write", "owner": "W", "time": "1h"},
            {"id": "b", "name": "Edit", "owner": "E", "time": "1h", "after": "a"},
        ]
    )
    (page,) = print_pages(swimlane_layout(cost))
    assert page.view.x == 0 and page.view.y == 0
    assert page.width_mm == pytest.approx(page.view.w * 25.4 / 72, abs=0.1)  # full size


def test_parts_are_as_even_as_the_cuts_allow() -> None:
    from sopkit.render.diagram.pages import _cut

    cuts = tuple(float(c) for c in range(10, 210, 10))
    room = (100.0, 100.0)
    # Filling each 100-wide page would leave the last one 10 wide: three even parts instead.
    assert _cut(0.0, 210.0, cuts, room, True) == [(0.0, 70.0), (70.0, 140.0), (140.0, 210.0)]
    assert _cut(0.0, 210.0, cuts, room, False) == [(0.0, 100.0), (100.0, 200.0), (200.0, 210.0)]
    # As few parts as filling allows, never more; one part when it fits.
    assert len(_cut(0.0, 200.0, cuts, room, True)) == 2
    assert _cut(0.0, 90.0, cuts, room, True) == [(0.0, 90.0)]
    # Cuts too sparse to share evenly: the filled parts stand.
    sparse = [(0.0, 95.0), (95.0, 200.0), (200.0, 210.0)]
    assert _cut(0.0, 210.0, (95.0, 200.0), room, True) == sparse


def test_no_printed_part_is_a_sliver_when_even_parts_take_no_more_pages(
    launch: ProcessCost,
) -> None:
    import sopkit.render.diagram.pages as pages_module

    onboarding = cost_process(load_process(ROOT / "processes" / "en" / "user-onboarding.yaml"))
    # Filled, its second page held one column (630 and 208 pt wide): now two even halves.
    widths = [page.part.w for page in pages_module.print_pages(swimlane_layout(onboarding))]
    assert len(widths) == 2 and min(widths) >= max(widths) * 0.8, widths
    pages = pages_module.print_pages(swimlane_layout(launch))
    widths = [page.part.w for page in pages]
    assert min(widths) >= max(widths) / 2, widths
    # never on more pages than filling each page as far as it goes
    even = pages_module._even
    try:
        pages_module._even = lambda *args: None  # type: ignore[assignment]
        assert len(pages) <= len(pages_module.print_pages(swimlane_layout(launch)))
    finally:
        pages_module._even = even


def test_later_columns_have_the_keys_room_so_no_page_holds_one_lane() -> None:
    """Only the first printed page holds the key. The lead generation diagram is a
    little taller than that page's room: its second column was cut there too, leaving
    a page with one lane's strip (90 pt tall). Now each page after the first holds its
    columns' whole height."""
    from sopkit.render.diagram.pages import print_pages

    cost = cost_process(load_process(ROOT / "processes" / "en" / "lead-generation.yaml"))
    pages = print_pages(swimlane_layout(cost))
    assert len(pages) > 1
    assert all(min(page.part.w, page.part.h) > 300 for page in pages), [p.part for p in pages]
    assert all(page.part.y == 0 for page in pages), [p.part for p in pages]


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", [*LIBRARY, LAUNCH], ids=lambda p: p.stem)
def test_the_first_printed_page_holds_the_whole_key(path: Path, direction: str) -> None:
    """The key is wrapped to the first page's own width, above its lanes. It was wrapped
    to the paper's, and the first part is often narrower: a user's printed release post
    ended its key in 'runs ano' and 'aut', the Korean blog post its colour scale. And
    the milestone's ring, a point taller than its row, had its top cut off."""
    from sopkit.render.diagram.geometry import Box
    from sopkit.render.diagram.pages import _bounds, print_pages
    from sopkit.render.diagram.scene import Group, walk

    lanes = swimlane_layout(cost_process(load_process(path)), direction=direction)
    page, *others = print_pages(lanes)
    if not others:
        return  # printed whole, its key wrapped to the diagram as on screen
    (key,) = [i for i in page.scene.items if isinstance(i, Group) and "key" in i.classes]
    background, *marks = walk((key,))
    assert marks
    top = page.part.y - (lanes.layout.header_size if direction == "TB" else 0.0)
    room = Box.spanning(page.view.x, page.view.y, page.view.right, top)
    for mark in [background, *marks]:
        box = _bounds(mark)
        assert box is not None and room.contains(box), (mark, room)


def test_the_lane_headers_alone_are_where_the_whole_diagram_has_them(
    launch: ProcessCost,
) -> None:
    """The HTML SOP lays them over the diagram, to stay in view when it scrolls sideways."""
    from sopkit.render.diagram.scene import Group, Rect, walk
    from sopkit.render.diagram.swimlane import draw_swimlanes, lane_headers

    lanes = swimlane_layout(launch, direction="LR")
    whole, alone = draw_swimlanes(lanes), lane_headers(lanes)
    assert alone is not None and alone.background == "none"  # the diagram shows through

    def headers(items: tuple[Any, ...]) -> list[Rect]:
        return [s for s in walk(items) if isinstance(s, Rect) and "header" in s.classes]

    assert headers(alone.items) == headers(whole.items)
    assert len(headers(alone.items)) == len(lanes.layout.lanes) == 15
    assert alone.height == whole.height and alone.width < whole.width / 10
    assert all(isinstance(item, Group) and not item.id for item in alone.items)
    # Lanes as columns have their headers at the top, where the page keeps them.
    assert lane_headers(swimlane_layout(launch, direction="TB")) is None
