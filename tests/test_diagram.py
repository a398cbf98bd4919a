"""What the swimlane diagram says and how it looks: text, fills, themes, escaping, DOT.

The SVG is read back as geometry and text (``swimlane_svg.read``); the DOT
(which Graphviz draws PNG and PDF from) is parsed by a real Graphviz parser
(``-Tjson0`` of whichever renderer is installed; ``graphviz-pure`` is always
there). Geometry rules are in ``test_swimlanes.py``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import CM_TIMES, wait_before_two_steps
from hypothesis import given, settings
from hypothesis import strategies as st
from swimlane_svg import SVG, read

from sopkit.analysis import Candidate, ProcessCost, cost_process, rank_candidates
from sopkit.errors import RenderError
from sopkit.load import load_process
from sopkit.models import Language, Process, Role, Settings
from sopkit.render.diagram import build_digraph, draw, swimlane_scene, to_dot, to_svg
from sopkit.render.diagram.common import colour_scale
from sopkit.render.diagram.engine import find_engine
from sopkit.render.diagram.style import FONTS, THEMES, contrast_text, get_theme
from sopkit.render.numbers import money_text
from sopkit.render.sop import render_sop

ROOT = Path(__file__).resolve().parent.parent
CM = ROOT / "processes" / "en" / "content-marketing.yaml"


# --- helpers -----------------------------------------------------------------------


def parse_dot(source: str) -> dict[str, Any]:
    """Graphviz's own reading of the DOT: nodes and edges with attributes."""
    data = json.loads(find_engine().run(source, "json0"))
    objects = data.get("objects", [])
    nodes = {o["name"]: o for o in objects}
    return {"graph": data, "nodes": nodes, "edges": data.get("edges", [])}


def make_cost(
    steps: list[dict[str, Any]],
    *,
    name: str = "Tricky process",
    language: str = "en",
    rates: dict[str, int] | None = None,
    frequency: str | None = "4/month",
) -> ProcessCost:
    """A costed process built in memory; every owner gets a rate of 40."""
    process = Process.model_validate(
        {
            "sopkit": 1,
            "id": "tricky",
            "name": name,
            "owner": "Lead",
            "language": language,
            "steps": steps,
            **({} if frequency is None else {"frequency": frequency}),
        }
    )
    owners = {step["owner"] for step in steps} | {
        role for step in steps for role in step.get("with", [])
    }
    rates = rates or {}
    roles = {owner: Role(rate=Decimal(rates.get(owner, 40))) for owner in owners}
    process.bind(Settings(roles=roles))
    return cost_process(process)


@pytest.fixture(scope="module")
def cm() -> ProcessCost:
    return cost_process(load_process(CM))


@pytest.fixture(scope="module")
def cm_svg(cm: ProcessCost) -> bytes:
    return draw(cm, "svg").data


def _fill(drawing: Any, step_id: str) -> str:
    shape = drawing.steps[step_id].element.find(f"{SVG}rect")
    return str(shape.get("fill"))


# --- lanes, steps, arrows ---------------------------------------------------------------


def test_one_lane_per_owner_role_holding_its_steps(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    expected: dict[str, list[str]] = {}
    for step in cm.process.steps:
        assert step.owner is not None
        expected.setdefault(step.owner, []).append(step.id)
    assert [lane.role for lane in drawing.lanes] == list(expected)
    for role, ids in expected.items():
        band = drawing.lane(role).band
        assert sorted(s.id for s in drawing.steps.values() if s.shape.inside(band)) == sorted(ids)


def test_lane_header_has_role_and_its_annual_cost(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    for role in cm.by_role():
        text = drawing.lane(role.role).text
        assert text == f"{role.role} {money_text(role.annual_cost, 'USD')} a year"


def test_every_step_shows_name_time_and_annual_cost(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    assert set(drawing.steps) == {s.id for s in cm.process.steps} == set(CM_TIMES)
    for step in cm.process.steps:
        text = drawing.steps[step.id].text
        assert text.startswith(" ".join(step.name.split()[:2]))
        assert CM_TIMES[step.id] in text
        assert f" · {money_text(cm.step(step.id).annual_cost, 'USD')} a year" in text


def test_after_edges_and_waits_said_once(tmp_path: Path) -> None:
    cm = cost_process(load_process(wait_before_two_steps(tmp_path)))
    drawing = read(draw(cm, "svg").data)
    flows = {(e.source, e.target) for e in drawing.edges if e.kind == "flow"}
    assert flows == {(b, s.id) for s in cm.process.steps for b in s.after}
    # publish waits 4w and has two successors: said once, beside their shared trunk
    assert drawing.waits == {
        "outline": ["wait 4 h"],
        "approval": ["wait 1 working day"],
        "publish": ["wait 20 working days"],
    }
    assert drawing.text.count("wait 20 working days") == 1


def test_rework_is_dashed_with_an_open_head_and_labelled(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    (rework,) = [e for e in drawing.edges if e.kind == "rework"]
    assert (rework.source, rework.target, rework.text) == ("edit", "draft", "rework 30%")
    group = next(
        g
        for g in drawing.root.iter(f"{SVG}g")
        if g.get("data-from") == "edit"  # type: ignore[union-attr]
        and "rework" in (g.get("class") or "")
    )
    path, head = group.find(f"{SVG}path"), group.find(f"{SVG}polygon")
    assert path is not None and path.get("stroke-dasharray")
    assert head is not None and head.get("fill") == "#ffffff"  # open arrowhead
    # it leaves the bottom of the step that sends work back and enters the bottom of draft
    edit, draft = drawing.steps["edit"].shape, drawing.steps["draft"].shape
    assert rework.points[0][1] == pytest.approx(edit.bottom)
    assert rework.points[-1][1] == pytest.approx(draft.bottom)


def test_per_run_other_than_one_is_shown() -> None:
    cost = make_cost(
        [
            {"id": "a", "name": "Post", "owner": "Writer", "time": "15m", "per_run": 3},
            {"id": "b", "name": "Fix", "owner": "Writer", "time": "1h", "per_run": 0.2},
            {"id": "c", "name": "Once", "owner": "Writer", "time": "1h", "after": ["a", "b"]},
        ]
    )
    steps = read(draw(cost, "svg").data).steps
    assert "15 min ×3 per run" in steps["a"].text
    assert "1 h in 20% of runs" in steps["b"].text
    assert "per run" not in steps["c"].text and "of runs" not in steps["c"].text


def test_a_process_only_called_shows_one_runs_cost_not_a_zero_year() -> None:
    """Its year is zero (its runs are costed in its callers), so every figure is a run's:
    Writer 1h × $40 + $50 cash; Editor 30m × $60 with the Writer's 30m × $40, twice."""
    steps = [
        {"id": "a", "name": "Draft", "owner": "Writer", "time": "1h", "expense": 50},
        {
            "id": "b",
            "name": "Edit",
            "owner": "Editor",
            "with": ["Writer"],
            "time": "30m",
            "per_run": 2,
            "after": ["a"],
            "automation": {"share": 0.5},
        },
    ]
    cost = make_cost(steps, rates={"Editor": 60}, frequency=None)
    drawing = read(draw(cost, "svg").data)
    assert "$90.00 a run ($50.00 cash)" in drawing.steps["a"].text  # 40 + 50
    assert "$100.00 a run automate 50%" in drawing.steps["b"].text  # 2 × (30 + 20)
    assert [lane.text for lane in drawing.lanes] == ["Writer $80.00 a run", "Editor $60.00 a run"]
    assert "$190.00 a run in total" in drawing.text
    mermaid = draw(cost, "mermaid").data.decode()
    assert "$190.00 a run in total" in mermaid and '$100.00 a run<br/>automate 50%"' in mermaid
    for text in (mermaid, drawing.text):
        # no figure a year, and no runs to save on (the key still says what fills mean)
        assert not re.search(r"\$[\d,.]+ a year", text) and "/yr" not in text


@pytest.mark.parametrize(
    ("wait", "said"),
    [
        ("7h..9h", "1 working day"),  # the expected 8 h, as the SOP's "then wait" says it
        ("30m..2d", "1.03 working days"),  # (0.5 + 16) / 2 = 8.25 h
        ("2w", "10 working days"),
        ("0.5d", "4 h"),
        ("30m", "30 min"),
    ],
)
def test_a_wait_is_said_as_the_sop_says_it(wait: str, said: str) -> None:
    cost = make_cost(
        [
            {"id": "a", "name": "Ship", "owner": "W", "time": "1h", "wait": wait},
            {"id": "b", "name": "Check", "owner": "W", "time": "1h", "after": ["a"]},
        ]
    )
    assert read(draw(cost, "svg").data).waits == {"a": [f"wait {said}"]}
    assert f"then wait {said}" in render_sop(cost)


def test_wait_after_the_last_step_is_in_its_box() -> None:
    cost = make_cost([{"id": "a", "name": "Ship", "owner": "W", "time": "1h", "wait": "2d"}])
    drawing = read(draw(cost, "svg").data)
    assert "then wait 2 working days" in drawing.steps["a"].text
    assert drawing.edges == [] and drawing.waits == {}


# --- critical path and lead time ----------------------------------------------------------


def _width(drawing: Any, step_id: str) -> float:
    return float(drawing.steps[step_id].element.find(f"{SVG}rect").get("stroke-width"))


def test_critical_path_has_heavier_arrows_and_outlines(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    path = cm.schedule.critical_path
    theme = get_theme()
    for edge in drawing.edges:
        on_path = edge.kind == "flow" and (edge.source, edge.target) in cm.schedule.critical_edges()
        assert ("critical" in edge.classes) == on_path
    for step in cm.process.steps:
        expected = theme.critical_width if step.id in path else theme.step_width
        assert _width(drawing, step.id) == expected, step.id


def _branching(*joined: str) -> ProcessCost:
    """start → long (5 h) and short (1 h) → end, ``end`` after ``joined`` in that order."""
    return make_cost(
        [
            {"id": "start", "name": "Start", "owner": "A", "time": "1h"},
            {"id": "long", "name": "Long", "owner": "A", "time": "5h", "after": ["start"]},
            {"id": "short", "name": "Short", "owner": "B", "time": "1h", "after": ["start"]},
            {"id": "end", "name": "End", "owner": "B", "time": "1h", "after": list(joined)},
        ]
    )


def test_critical_path_of_a_branching_process_marks_only_the_longer_branch() -> None:
    cost = _branching("long", "short")
    drawing = read(draw(cost, "svg").data)
    assert cost.schedule.critical_path == ("start", "long", "end")
    assert "critical" not in drawing.steps["short"].classes
    assert "critical" in drawing.steps["long"].classes
    critical = {(e.source, e.target) for e in drawing.edges if "critical" in e.classes}
    assert critical == {("start", "long"), ("long", "end")}


def test_lead_time_and_totals_in_the_title(cm: ProcessCost, cm_svg: bytes) -> None:
    text = read(cm_svg).text
    assert text.startswith(cm.name)
    assert "Lead time 23.08 working days (184.67 h) per run" in text
    assert money_text(cm.annual_cost, "USD") + " a year in total" in text
    assert "critical path" in text and "rework, with its probability" in text


def test_the_critical_arrows_are_drawn_over_the_others() -> None:
    """Arrows into one step share its last stretch: the bold one must not be painted over."""
    cost = _branching("short", "long")  # the light arrow listed first
    order = [e for e in read(draw(cost, "svg").data).edges if e.kind == "flow"]
    heavy = ["critical" in e.classes for e in order]
    # In the scene's order, which the DOT for the PNG and PDF follows too.
    assert heavy == sorted(heavy) and any(heavy) and not all(heavy)


def test_a_box_that_runs_another_process_shows_its_lead_time(tmp_path: Path) -> None:
    """Every box gives its time; a call's is the called run's lead time (3.5 h here), and
    a role working only inside the called process is named apart in the title."""
    launch = ROOT / "tests" / "fixtures" / "launch"
    for name in ("product-launch.yaml", "asset-review.yaml", "roles.yaml"):
        (tmp_path / name).write_text((launch / name).read_text(encoding="utf-8"))
    review = tmp_path / "asset-review.yaml"
    text = review.read_text(encoding="utf-8")
    assert "owner: Content Writer" in text
    review.write_text(text.replace("owner: Content Writer", "owner: Translator", 1))
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace(
            "roles:\n", "roles:\n  Translator: {rate: 40}\n", 1
        )
    )
    cost = cost_process(load_process(tmp_path / "product-launch.yaml"))
    drawing = read(draw(cost, "svg").data)
    box = " ".join(drawing.steps["assets"].text.split())
    assert box.startswith("Launch assets ") and "3.5 h runs: Launch asset review" in box, box
    title = " ".join(drawing.text.split())
    assert "working only inside the processes run here: Translator $" in title


@pytest.mark.parametrize("language", ["en", "ko", "ru"])
def test_with_cash_costs_the_title_names_labour_and_cash_apart(language: str) -> None:
    """The lanes add up labour only: the title says how the total splits, so they agree."""
    process = load_process(ROOT / "processes" / "en" / "product-launch.yaml")
    cost = cost_process(process.model_copy(update={"language": Language(language)}))
    text = " ".join(read(draw(cost, "svg").data).text.split())
    money = [
        " ".join(money_text(m, "USD", language).split())
        for m in (cost.annual_total_cost, cost.annual_cost, cost.annual_expenses)
    ]
    said = {
        "en": "{} a year in total: {} labour, {} cash costs",
        "ko": "연간 총 {}: 인건비 {}, 현금 비용 {}",
        "ru": "всего {} в год: труд {}, расходы {}",
    }[language]
    assert said.format(*money) in text


@pytest.mark.parametrize(
    ("language", "times", "said"),
    [
        ("en", ("5m", "10m"), "Lead time 15 min per run"),
        ("en", ("2h", "4h30m"), "Lead time 6.5 h per run"),
        ("ko", ("5m", "10m"), "리드 타임: 실행당 15분"),
        ("ru", ("2h", "4h30m"), "Длительность запуска: 6,5 ч"),
    ],
)
def test_a_lead_time_under_a_day_is_said_in_hours_or_minutes(
    language: str, times: tuple[str, str], said: str
) -> None:
    """Not "0 working days (0.25 h)": a run shorter than a working day has no days to count."""
    first, second = times
    cost = make_cost(
        [
            {"id": "a", "name": "A", "owner": "W", "time": first},
            {"id": "b", "name": "B", "owner": "W", "time": second, "after": ["a"]},
        ],
        language=language,
    )
    assert said in read(draw(cost, "svg").data).text


def test_roles_that_only_work_with_others_are_named_with_their_cost() -> None:
    """A lane per owner: the roles that join a step but own none have no lane, so the
    title names them, and the lanes and that line add up to the total."""
    cost = make_cost(
        [
            {"id": "a", "name": "Plan", "owner": "W", "time": "1h", "with": ["Boss"]},
            {"id": "b", "name": "Write", "owner": "W", "time": "2h", "after": ["a"]},
        ],
        rates={"W": 40, "Boss": 100},
    )
    text = read(draw(cost, "svg").data).text
    # Boss: 1 h × 4 runs × 12 × $100 = $4,800; W: 3 h × 48 × $40 = $5,760
    assert "Also on steps, with no lane of their own: Boss $4,800.00 a year" in text
    assert "$5,760.00 a year" in text and "$10,560.00 a year in total" in text
    alone = make_cost([{"id": "a", "name": "Plan", "owner": "W", "time": "1h"}])
    assert "no lane of their own" not in read(draw(alone, "svg").data).text


# --- automation heat -----------------------------------------------------------------


def test_candidates_are_filled_darker_for_larger_net_saving(cm: ProcessCost, cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    theme = get_theme()
    candidates = {c.step_id: c for c in rank_candidates([cm])}
    ranks = {}
    for step in cm.process.steps:
        fill = _fill(drawing, step.id)
        if step.id not in candidates:
            assert fill == theme.plain_fill
            continue
        assert fill in theme.scale
        ranks[step.id] = theme.scale.index(fill)
    ordered = sorted(ranks, key=lambda s: candidates[s].net_saving)
    assert [ranks[s] for s in ordered] == sorted(ranks[s] for s in ordered)
    assert ranks[ordered[-1]] > ranks[ordered[0]]


def test_legend_lists_every_fill_with_its_range(cm_svg: bytes) -> None:
    drawing = read(cm_svg)
    fills = {r.get("fill") for r in drawing.root.iter(f"{SVG}rect")}  # type: ignore[union-attr]
    assert set(get_theme().scale) <= fills
    assert "Fill: net automation saving a year" in drawing.text
    # The largest net saving, $1,354.29 a year: five bins of $300 up to $1,500.
    assert "$0–$300" in drawing.text and "$1,200–$1,500" in drawing.text
    assert "$1,500–" not in drawing.text


def test_the_key_ends_just_above_the_largest_saving_in_the_darkest_colour() -> None:
    # The trial's webinar: the largest net saving is $5,840 a year. Five bins of
    # $5,840 / 5 = $1,168, rounded up to $1,200, end at $6,000 (not $2,000 bins up
    # to $10,000, whose two darkest colours no step took).
    theme = get_theme()
    scale = colour_scale([_saving(Decimal("5840")), _saving(Decimal("900"))], theme)
    assert [(low, high) for low, high, _ in scale.bins()] == [
        (0, 1200),
        (1200, 2400),
        (2400, 3600),
        (3600, 4800),
        (4800, 6000),
    ]
    assert scale.colour(Decimal("5840")) == theme.scale[-1]
    assert scale.colour(Decimal("900")) == theme.scale[0]
    # $340.20 (the launch's largest): bins of $70 up to $350.
    assert colour_scale([_saving(Decimal("340.2"))], theme).step == 70


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("0.05"), max_value=Decimal(10) ** 9, places=2))
def test_the_largest_saving_always_takes_the_darkest_colour(largest: Decimal) -> None:
    theme = get_theme()
    scale = colour_scale([_saving(largest)], theme)
    top = scale.bins()[-1][1]
    assert largest <= top <= largest * Decimal("1.25")
    assert scale.colour(largest) == theme.scale[-1]


def _saving(net: Decimal) -> Any:
    """A candidate as the colour scale reads it: only its net saving a year."""
    from types import SimpleNamespace

    return SimpleNamespace(net_saving=net)


def test_candidates_argument_overrides_the_computed_ones(cm: ProcessCost) -> None:
    none: list[Candidate] = []
    svg = to_svg(swimlane_scene(cm, candidates=none))
    drawing = read(svg)
    assert {_fill(drawing, s) for s in drawing.steps} == {get_theme().plain_fill}
    assert "Fill:" not in drawing.text


def test_a_candidate_that_never_pays_is_not_shaded_and_says_so() -> None:
    cost = make_cost(
        [
            {
                "id": "a",
                "name": "Send",
                "owner": "W",
                "time": "10m",
                "automation": {"share": 0.5, "tool_cost": "1000/year"},
            }
        ]
    )
    drawing = read(draw(cost, "svg").data)
    assert _fill(drawing, "a") == get_theme().plain_fill
    assert "net -$" in drawing.steps["a"].text


def test_text_on_fills_has_enough_contrast(cm_svg: bytes) -> None:
    for theme in THEMES.values():
        for fill in (*theme.scale, theme.plain_fill):
            ink = contrast_text(fill, theme)
            assert ink in (theme.text, theme.light_text)
    assert contrast_text("#253494", get_theme()) == "#ffffff"
    assert contrast_text("#c7e9b4", get_theme()) == "#1a1a1a"


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_colours_are_six_digit_hex_only(cm: ProcessCost, theme: str) -> None:
    for source in (to_dot(cm, theme=theme), to_svg(swimlane_scene(cm, theme=theme))):
        colours = re.findall(r"#[0-9a-fA-F]+\b", source)
        assert colours
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours), set(colours)


def test_red_and_green_do_not_carry_meaning(cm: ProcessCost, cm_svg: bytes) -> None:
    for source in (to_dot(cm), cm_svg.decode()):
        for name in ("red", "green", "#ff0000", "#00ff00", "#008000"):
            assert name not in source.lower()


# --- options -------------------------------------------------------------------------


def test_direction(cm: ProcessCost) -> None:
    columns = read(draw(cm, "svg", direction="TB").data)
    assert all(lane.band.h == pytest.approx(columns.height - lane.band.y) for lane in columns.lanes)
    with pytest.raises(RenderError, match="direction") as info:
        to_dot(cm, direction="RL")
    assert "LR, TB" in (info.value.hint or "")


def test_themes_are_data_and_unknown_names_list_the_valid_ones(cm: ProcessCost) -> None:
    grey = read(to_svg(swimlane_scene(cm, theme="grey")))
    assert _fill(grey, "social") in THEMES["grey"].scale
    with pytest.raises(RenderError, match="unknown diagram theme 'neon'") as info:
        get_theme("neon")
    assert "default, grey" in (info.value.hint or "")


def test_caller_overrides_are_merged_last(cm: ProcessCost) -> None:
    theme = get_theme().with_overrides(name_size=14, edge="#222222")
    assert theme.detail_size == get_theme().detail_size  # kept
    svg = to_svg(swimlane_scene(cm, theme=theme))
    assert 'font-size="14" font-weight="bold"' in svg
    assert 'stroke="#222222"' in svg
    with pytest.raises(RenderError, match="theme setting") as info:
        get_theme().with_overrides(nodes="x")
    assert "name_size" in (info.value.hint or "")


def test_theme_rejects_short_hex_colours() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="#rrggbb"):
        replace(get_theme(), scale=("#eef",))


def test_font_list_covers_latin_korean_and_cyrillic(cm: ProcessCost, cm_svg: bytes) -> None:
    assert "Noto Sans CJK KR" in FONTS
    assert "DejaVu Sans" in FONTS  # Cyrillic where Noto Sans is missing
    assert FONTS.endswith("sans-serif")
    assert f'font-family="{FONTS}"' in cm_svg.decode()
    assert f'fontname="{FONTS}"' in build_digraph(cm).source


def test_output_is_deterministic(cm: ProcessCost, cm_svg: bytes) -> None:
    again = cost_process(load_process(CM))
    assert to_dot(cm) == to_dot(again)
    assert draw(again, "svg").data == cm_svg


# --- the Graphviz source --------------------------------------------------------------------


def test_dot_pins_every_position_for_graphviz_to_draw(cm: ProcessCost) -> None:
    source = to_dot(cm)
    assert "layout=nop2" in source and "notranslate=true" in source
    parsed = parse_dot(source)
    for node in parsed["nodes"].values():
        assert "pos" in node, node["name"]
    for edge in parsed["edges"]:
        assert re.fullmatch(r"(e,[\d.]+,[\d.]+ )?([\d.]+,[\d.]+ ?)+", edge["pos"]), edge["pos"]
    # every step's text reaches Graphviz
    labels = " ".join(n.get("label", "") for n in parsed["nodes"].values())
    for step in cm.process.steps:
        assert step.name.split()[0] in labels


def test_dot_draws_the_same_shapes_as_the_svg(cm: ProcessCost, cm_svg: bytes) -> None:
    from sopkit.render.diagram.scene import Label, Polyline, walk

    scene = swimlane_scene(cm)
    shapes = list(walk(scene.items))
    parsed = parse_dot(to_dot(cm))
    svg = cm_svg.decode()
    lines = sum(isinstance(s, Polyline) for s in shapes)
    labels = sum(isinstance(s, Label) for s in shapes)
    assert len(parsed["edges"]) == lines == svg.count("<path")
    texts = [n for n in parsed["nodes"].values() if n.get("shape") == "none"]
    assert len(texts) == labels


# --- escaping --------------------------------------------------------------------------

NASTY = [
    'Say "hi"',
    "{braces} and [brackets]",
    "<b>not bold</b> <br/> <table>",
    "fish & chips &amp; &lt;",
    "back\\slash \\N \\G \\l \\n \\\\ end\\",
    "pipe | a -> b [color=red]; c",
    "} subgraph x { evil -> node",
    '"];\n injected [label="x',
    "]]> <!-- -->",
    "#35; #quot; `tick`",
    "한국어 단계 — Русский шаг",
    "x onclick=alert(1) y",
]


@pytest.mark.parametrize("name", NASTY)
def test_any_step_name_shows_literally_and_adds_nothing(name: str) -> None:
    cost = make_cost(
        [
            {"id": "a", "name": name, "owner": name, "time": "1h", "wait": "1h"},
            {
                "id": "b",
                "name": "Next",
                "owner": "Other",
                "time": "1h",
                "after": ["a"],
                "rework": {"to": "a", "probability": 0.25},
            },
        ],
        name=name,
    )
    drawing = read(draw(cost, "svg").data)
    assert set(drawing.steps) == {"a", "b"} and len(drawing.edges) == 2
    assert len(drawing.lanes) == 2
    flat = "".join(name.split())
    assert "".join(drawing.steps["a"].text.split()).startswith(flat)
    assert drawing.lanes[0].role == name and "".join(drawing.lanes[0].text.split()).startswith(flat)
    assert flat in "".join(drawing.text.split())
    # Graphviz reads the DOT as the same shapes, whatever the name holds
    parsed = parse_dot(to_dot(cost))
    assert len(parsed["edges"]) == len(re.findall(r"<path", to_svg(swimlane_scene(cost))))


def test_control_characters_cannot_break_the_xml_of_labels() -> None:
    from sopkit.render.labels import html_text, mermaid_text, xml_text

    assert html_text("a\x00b\x1bc\ud800") == "a\ufffdb\ufffdc\ufffd"
    assert mermaid_text("a\x07b") == "a\ufffdb"
    assert xml_text("a\x00<b>&") == "a\ufffd&lt;b&gt;&amp;"


@pytest.mark.parametrize("width", [14, 20, 40])
def test_a_line_never_breaks_inside_an_amount(width: int) -> None:
    """Russian writes 81 000,00 ₽ with no-break spaces: the amount stays on one line."""
    from sopkit.render.diagram.metrics import wrap_text
    from sopkit.render.labels import wrap

    text = "1,5–3 ч ×12 за запуск · 81\u00a0000,00\u00a0₽ в год"
    for lines in (wrap(text, width), wrap_text(text, width * 6.0, 10)):
        assert any("81\u00a0000,00\u00a0₽" in line for line in lines), lines
        assert not any(line.endswith("81") for line in lines)


def test_a_phrase_pasted_with_no_break_spaces_breaks_there_not_inside_a_word() -> None:
    from sopkit.render.diagram.metrics import wrap_text
    from sopkit.render.labels import wrap

    text = "Согласование\u00a0с\u00a0юристом\u00a0и\u00a0руководителем отдела"
    whole = {"Согласование", "с", "юристом", "и", "руководителем", "отдела"}
    for lines in (wrap_text(text, 120, 11), wrap(text, 20)):
        assert {w for line in lines for w in line.replace("\u00a0", " ").split()} == whole


def test_a_bracketed_group_that_fits_on_a_line_is_not_broken() -> None:
    """A Korean trial's setup box read "3시간 · 연 ₩6,664,000 (현금" / "₩4,000,000)": the
    line breaks before the group; a group wider than a line still breaks inside."""
    from sopkit.render.diagram.metrics import text_width, wrap_text
    from sopkit.render.labels import wrap

    text = "3시간 · 연 ₩6,664,000 (현금 ₩4,000,000)"
    width = text_width("3시간 · 연 ₩6,664,000 (현금", 9) + 1
    assert wrap_text(text, width, 9) == ["3시간 · 연 ₩6,664,000", "(현금 ₩4,000,000)"]
    assert wrap("Review (legal and brand) today", 23) == ["Review", "(legal and brand) today"]
    assert wrap("Review (legal and brand team sign-off)", 14) == [
        "Review (legal",
        "and brand team",
        "sign-off)",
    ]
    assert wrap("Open (unclosed bracket here", 14) == ["Open (unclosed", "bracket here"]


def test_long_names_wrap_to_the_box_and_cjk_counts_wide() -> None:
    from sopkit.render.diagram.metrics import text_width, wrap_text
    from sopkit.render.labels import wrap

    assert wrap("Competitor analysis and keyword research", 28) == [
        "Competitor analysis and",
        "keyword research",
    ]
    assert text_width("한국어", 10) == 30
    assert text_width("iii", 10) < text_width("MMM", 10)
    lines = wrap_text("Competitor analysis and keyword research", 120, 11, bold=True)
    assert len(lines) > 1 and all(text_width(x, 11, True) <= 120 for x in lines)
    assert all(text_width(x, 10) <= 40 for x in wrap_text("x" * 40, 40, 10))
    assert wrap_text("one\ntwo", 200, 10) == ["one", "two"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30) | st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_a_texts_width_counts_wide_characters_twice(text: str) -> None:
    """Column widths (the workbook's, the terminal's) count East Asian wide characters
    twice, ASCII included (its short cut must not change a width)."""
    from sopkit.render.labels import text_width

    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    assert text_width(text) == len(text) + wide


def test_widths_are_dejavu_sans_as_the_font_file_says() -> None:
    """The width table matches the font (when installed) and its generator."""
    from importlib import util

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("DejaVu Sans not installed")
    spec = util.spec_from_file_location("font_widths", ROOT / "tests/scripts/font_widths.py")
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.source() == (ROOT / "sopkit/render/diagram/_widths.py").read_text("utf-8")


def test_dot_quoted_keeps_backslashes_and_quotes_literal() -> None:
    from sopkit.render.labels import dot_quoted

    assert dot_quoted('a "b" \\N\nc') == '"a \\"b\\" \\\\N\\nc"'
    tooltip = dot_quoted('x" ] m [label=y')
    source = "digraph { n [tooltip=" + tooltip + "] }"
    parsed = parse_dot(source)
    assert set(parsed["nodes"]) == {"n"}


# --- golden files ----------------------------------------------------------------------

GOLDEN_ESCAPING = [
    {"id": "quote", "name": NASTY[0], "owner": "R&D <team>", "time": "1h", "wait": "30m"},
    {
        "id": "brace",
        "name": NASTY[1] + " " + NASTY[2],
        "owner": "R&D <team>",
        "time": "1h..2h",
        "after": ["quote"],
        "per_run": 2,
        "automation": {"share": 0.5, "tool": "A|B"},
    },
    {
        "id": "back",
        "name": NASTY[4],
        "owner": 'Ops \\ "QA"',
        "time": {"min": "30m", "likely": "1h", "max": "3h"},
        "after": ["brace"],
        "per_run": 0.5,
        "rework": {"to": "brace", "probability": 0.2},
    },
    {
        "id": "end",
        "name": NASTY[7],
        "owner": 'Ops \\ "QA"',
        "time": "15m",
        "after": ["back"],
        "automation": {"share": 0.9},
    },
]

_GOLDEN = {
    "content-marketing": lambda: cost_process(load_process(CM)),
    "content-marketing-ko": lambda: cost_process(
        load_process(ROOT / "processes" / "ko" / "content-marketing-ko.yaml")
    ),
    "escaping": lambda: make_cost(GOLDEN_ESCAPING, name=NASTY[5]),
    "product-launch": lambda: cost_process(
        load_process(ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml")
    ),
}


@pytest.mark.parametrize("name", sorted(_GOLDEN))
def test_golden_dot_and_svg(golden: Callable[[str, str], None], name: str) -> None:
    cost = _GOLDEN[name]()
    golden(f"diagram/{name}.dot", to_dot(cost))
    golden(f"diagram/{name}.svg", draw(cost, "svg").data.decode("utf-8"))


def test_golden_escaping_dot_parses_alike_with_every_renderer() -> None:
    """The same DOT reads identically with every renderer installed here."""
    from sopkit.render.diagram.engine import ENGINES, Engine, _locate

    source = to_dot(make_cost(GOLDEN_ESCAPING, name=NASTY[5]))
    seen = []
    for name in ENGINES:
        path = _locate(name)
        if path is None:
            continue
        data = json.loads(Engine(name, path).run(source, "json0"))
        seen.append(sorted((o["name"], o.get("pos")) for o in data["objects"]))
    assert seen and all(s == seen[0] for s in seen)


def test_graphviz_rejects_broken_dot_so_parse_checks_are_real() -> None:
    with pytest.raises(RenderError, match="syntax"):
        parse_dot('digraph { a [label="x] }')
