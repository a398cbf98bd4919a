"""The workflow diagram's structure: lanes, labels, edges, critical path, heat, escaping.

The DOT is checked as a graph, not as pixels: ``to_dot`` output is parsed by a
real Graphviz parser (``-Tjson0`` of whichever renderer is installed; the
``graphviz-pure`` dependency is always there) and its nodes, clusters, edges
and attributes are compared with the process.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sopkit.analysis import Candidate, ProcessCost, cost_process, rank_candidates
from sopkit.errors import RenderError
from sopkit.load import load_process
from sopkit.models import Process, Role, Settings
from sopkit.render.diagram import build_digraph, to_dot
from sopkit.render.diagram.engine import find_engine
from sopkit.render.diagram.style import THEMES, contrast_text, get_theme
from sopkit.render.numbers import money_text

ROOT = Path(__file__).resolve().parent.parent


# --- helpers -----------------------------------------------------------------------


def parse_dot(source: str) -> dict[str, Any]:
    """Graphviz's own reading of the DOT: clusters, nodes and edges with attributes."""
    data = json.loads(find_engine().run(source, "json0"))
    objects = data.get("objects", [])
    clusters = [o for o in objects if o["name"].startswith("cluster_")]
    nodes = {o["name"]: o for o in objects if "nodes" not in o and "_subgraph_cnt" not in o}
    by_index = {o["_gvid"]: o["name"] for o in objects}
    edges = [
        {**e, "tail": by_index[e["tail"]], "head": by_index[e["head"]]}
        for e in data.get("edges", [])
    ]
    lanes = {_text(c["label"]): sorted(by_index[i] for i in c.get("nodes", [])) for c in clusters}
    return {"graph": data, "nodes": nodes, "edges": edges, "lanes": lanes, "clusters": clusters}


def _text(label: str) -> str:
    """The visible text of an HTML-like label, as the renderer will draw it."""
    text = re.sub(r"<br\s*/?>|</tr>", "\n", label)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).replace("\\\\", "\\")


def make_cost(
    steps: list[dict[str, Any]],
    *,
    name: str = "Tricky process",
    language: str = "en",
    rates: dict[str, int] | None = None,
) -> ProcessCost:
    """A costed process built in memory; every owner gets a rate of 40."""
    process = Process.model_validate(
        {
            "sopkit": 1,
            "id": "tricky",
            "name": name,
            "owner": "Lead",
            "frequency": "4/month",
            "language": language,
            "steps": steps,
        }
    )
    owners = {step["owner"] for step in steps}
    rates = rates or {}
    roles = {owner: Role(rate=Decimal(rates.get(owner, 40))) for owner in owners}
    process.bind(Settings(roles=roles))
    return cost_process(process)


@pytest.fixture(scope="module")
def cm() -> ProcessCost:
    return cost_process(load_process(ROOT / "processes" / "en" / "content-marketing.yaml"))


@pytest.fixture(scope="module")
def cm_graph(cm: ProcessCost) -> dict[str, Any]:
    return parse_dot(to_dot(cm))


def _edge(graph: dict[str, Any], tail: str, head: str) -> dict[str, Any]:
    found = [e for e in graph["edges"] if e["tail"] == tail and e["head"] == head]
    assert len(found) == 1, f"expected one edge {tail} -> {head}, found {len(found)}"
    return found[0]


# --- lanes, nodes, edges -------------------------------------------------------------


def test_one_lane_per_owner_role_holding_its_steps(cm: ProcessCost, cm_graph: dict) -> None:
    expected: dict[str, list[str]] = {}
    for step in cm.process.steps:
        expected.setdefault(step.owner, []).append(step.id)
    lanes = {label.split("\n")[0]: steps for label, steps in cm_graph["lanes"].items()}
    assert lanes == {role: sorted(ids) for role, ids in expected.items()}
    assert len(cm_graph["clusters"]) == len(expected)


def test_lane_label_has_role_and_its_annual_cost(cm: ProcessCost, cm_graph: dict) -> None:
    role = cm.by_role()[0]
    label = next(lbl for lbl in cm_graph["lanes"] if lbl.startswith(role.role))
    assert money_text(role.annual_cost, "USD") in label


def test_every_step_is_a_node_with_name_time_and_annual_cost(
    cm: ProcessCost, cm_graph: dict
) -> None:
    assert set(cm_graph["nodes"]) == {s.id for s in cm.process.steps}
    for step in cm.process.steps:
        text = " ".join(_text(cm_graph["nodes"][step.id]["label"]).split())
        assert step.name in text
        assert str(step.time) in text
        assert money_text(cm.step(step.id).annual_cost, "USD") + " a year" in text


def test_after_edges_and_waits_on_outgoing_edges(cm: ProcessCost, cm_graph: dict) -> None:
    flow = [e for e in cm_graph["edges"] if e.get("style") != "dashed"]
    expected = {(b, s.id) for s in cm.process.steps for b in s.after}
    assert {(e["tail"], e["head"]) for e in flow} == expected
    assert _text(_edge(cm_graph, "outline", "draft")["label"]) == "wait 4h"
    # publish waits 4w: both of its outgoing edges say so
    assert _text(_edge(cm_graph, "publish", "social")["label"]) == "wait 4w"
    assert _text(_edge(cm_graph, "publish", "measure")["label"]) == "wait 4w"
    assert not _edge(cm_graph, "research", "outline").get("label")


def test_rework_edge_is_dashed_labelled_and_does_not_rank(cm: ProcessCost, cm_graph: dict) -> None:
    rework = _edge(cm_graph, "edit", "draft")
    assert rework["style"] == "dashed"
    assert _text(rework["label"]) == "rework 30%"
    assert rework["constraint"] == "false"
    assert "tailport" not in rework
    # top to bottom, rework loops back along the right-hand side
    tb = _edge(parse_dot(to_dot(cm, direction="TB")), "edit", "draft")
    assert (tb["tailport"], tb["headport"]) == ("e", "e")


def test_per_run_other_than_one_is_shown() -> None:
    cost = make_cost(
        [
            {"id": "a", "name": "Post", "owner": "Writer", "time": "15m", "per_run": 3},
            {"id": "b", "name": "Fix", "owner": "Writer", "time": "1h", "per_run": 0.2},
            {"id": "c", "name": "Once", "owner": "Writer", "time": "1h", "after": ["a", "b"]},
        ]
    )
    nodes = parse_dot(to_dot(cost))["nodes"]
    assert "15m ×3 per run" in _text(nodes["a"]["label"])
    assert "1h in 20% of runs" in _text(nodes["b"]["label"])
    assert "per run" not in _text(nodes["c"]["label"])
    assert "of runs" not in _text(nodes["c"]["label"])


def test_wait_after_the_last_step_is_in_its_box() -> None:
    cost = make_cost([{"id": "a", "name": "Ship", "owner": "W", "time": "1h", "wait": "2d"}])
    graph = parse_dot(to_dot(cost))
    assert "then wait 2d" in _text(graph["nodes"]["a"]["label"])
    assert graph["edges"] == []


# --- critical path and lead time ----------------------------------------------------------


def test_critical_path_has_heavier_edges_and_outlines(cm: ProcessCost, cm_graph: dict) -> None:
    path = cm.schedule.critical_path
    heavy = get_theme().critical_edge["penwidth"]
    for tail, head in zip(path, path[1:], strict=False):
        assert _edge(cm_graph, tail, head)["penwidth"] == heavy
    # not on the path: the theme's ordinary weight
    assert _edge(cm_graph, "publish", "measure")["penwidth"] == get_theme().edge["penwidth"]
    for step in cm.process.steps:
        node = cm_graph["nodes"][step.id]
        assert (node["penwidth"] == heavy) == (step.id in path), step.id


def test_critical_path_of_a_branching_process_marks_only_the_longer_branch() -> None:
    cost = make_cost(
        [
            {"id": "start", "name": "Start", "owner": "A", "time": "1h"},
            {"id": "long", "name": "Long", "owner": "A", "time": "5h", "after": ["start"]},
            {"id": "short", "name": "Short", "owner": "B", "time": "1h", "after": ["start"]},
            {"id": "end", "name": "End", "owner": "B", "time": "1h", "after": ["long", "short"]},
        ]
    )
    graph = parse_dot(to_dot(cost))
    assert cost.schedule.critical_path == ("start", "long", "end")
    heavy = get_theme().critical_edge["penwidth"]
    assert graph["nodes"]["short"]["penwidth"] != heavy
    assert graph["nodes"]["long"]["penwidth"] == heavy
    assert _edge(graph, "start", "short")["penwidth"] != heavy
    assert _edge(graph, "long", "end")["penwidth"] == heavy


def test_lead_time_and_totals_in_the_graph_label(cm: ProcessCost, cm_graph: dict) -> None:
    label = " ".join(_text(cm_graph["graph"]["label"]).split())
    assert label.startswith(cm.name)
    assert "Lead time 23.1 working days (184.67 h) per run" in label
    assert cm.schedule.lead_time_hours == Decimal("184.6666666666666666666666666666666666667")
    assert money_text(cm.annual_cost, "USD") + " a year in total" in label
    assert "critical path" in label and "rework" in label


# --- automation heat -----------------------------------------------------------------


def test_candidates_are_filled_darker_for_larger_net_saving(
    cm: ProcessCost, cm_graph: dict
) -> None:
    theme = get_theme()
    candidates = {c.step_id: c for c in rank_candidates([cm])}
    ranks = {}
    for step in cm.process.steps:
        fill = cm_graph["nodes"][step.id]["fillcolor"]
        if step.id not in candidates:
            assert fill == theme.plain_fill
            continue
        assert fill in theme.scale
        ranks[step.id] = theme.scale.index(fill)
    ordered = sorted(ranks, key=lambda s: candidates[s].net_saving)
    assert [ranks[s] for s in ordered] == sorted(ranks[s] for s in ordered)
    assert ranks[ordered[-1]] > ranks[ordered[0]]


def test_legend_lists_every_fill_with_its_range(cm_graph: dict) -> None:
    label = cm_graph["graph"]["label"]
    for colour in (*get_theme().scale, get_theme().plain_fill):
        assert f'bgcolor="{colour}"' in label
    text = _text(label)
    assert "Fill: net automation saving a year" in text
    assert "$0–$500" in text and "$2,000–$2,500" in text


def test_candidates_argument_overrides_the_computed_ones(cm: ProcessCost) -> None:
    none: list[Candidate] = []
    nodes = parse_dot(build_digraph(cm, candidates=none).source)["nodes"]
    assert {n["fillcolor"] for n in nodes.values()} == {get_theme().plain_fill}
    assert "Fill:" not in build_digraph(cm, candidates=none).source


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
    node = parse_dot(to_dot(cost))["nodes"]["a"]
    assert node["fillcolor"] == get_theme().plain_fill
    assert "net -$" in _text(node["label"])


def test_text_on_fills_has_enough_contrast() -> None:
    for theme in THEMES.values():
        for fill in (*theme.scale, theme.plain_fill):
            ink = contrast_text(fill, theme)
            assert ink in (theme.text, theme.light_text)
    assert contrast_text("#253494", get_theme()) == "#ffffff"
    assert contrast_text("#c7e9b4", get_theme()) == "#1a1a1a"


def test_colours_are_six_digit_hex_only(cm: ProcessCost) -> None:
    for theme in THEMES:
        source = to_dot(cm, theme=theme)
        colours = re.findall(r"#[0-9a-fA-F]+\b", source)
        assert colours
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours), set(colours)


def test_red_and_green_do_not_carry_meaning(cm: ProcessCost) -> None:
    source = to_dot(cm)
    for name in ("red", "green", "#ff0000", "#00ff00", "#008000"):
        assert name not in source.lower()


# --- options -------------------------------------------------------------------------


def test_direction(cm: ProcessCost) -> None:
    assert "rankdir=LR" in to_dot(cm)
    assert "rankdir=TB" in to_dot(cm, direction="TB")
    with pytest.raises(RenderError, match="direction") as info:
        to_dot(cm, direction="RL")
    assert "LR, TB" in (info.value.hint or "")


def test_themes_are_data_and_unknown_names_list_the_valid_ones(cm: ProcessCost) -> None:
    grey = parse_dot(to_dot(cm, theme="grey"))["nodes"]
    assert grey["social"]["fillcolor"] in THEMES["grey"].scale
    with pytest.raises(RenderError, match="unknown diagram theme 'neon'") as info:
        get_theme("neon")
    assert "default, grey" in (info.value.hint or "")


def test_caller_overrides_are_merged_last(cm: ProcessCost) -> None:
    theme = get_theme().with_overrides(node={"fontsize": 14}, graph={"ranksep": "1"})
    assert theme.node["shape"] == "box"  # kept
    graph = build_digraph(cm, theme=theme)
    assert graph.node_attr["fontsize"] == "14" or "fontsize=14" in graph.source
    assert graph.graph_attr["ranksep"] == "1"
    with pytest.raises(RenderError, match="attribute group"):
        get_theme().with_overrides(nodes={"x": "1"})


def test_theme_rejects_short_hex_colours() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="#rrggbb"):
        replace(get_theme(), scale=("#eef",))


def test_font_list_covers_latin_korean_and_cyrillic(cm: ProcessCost) -> None:
    families = get_theme().node.get("fontname") or build_digraph(cm).node_attr["fontname"]
    assert "Noto Sans CJK KR" in families
    assert "DejaVu Sans" in families  # Cyrillic where Noto Sans is missing
    assert families.endswith("sans-serif")


def test_dot_is_deterministic(cm: ProcessCost) -> None:
    again = cost_process(load_process(ROOT / "processes" / "en" / "content-marketing.yaml"))
    assert to_dot(cm) == to_dot(again)


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
    graph = parse_dot(to_dot(cost))
    assert set(graph["nodes"]) == {"a", "b"}
    assert len(graph["edges"]) == 2
    assert len(graph["clusters"]) == 2
    defaults = set(get_theme().node) | {"fontname", "fontsize"}
    layout = {"_gvid", "name", "pos", "width", "height"}
    assert set(graph["nodes"]["a"]) <= defaults | layout | {"label", "fillcolor", "fontcolor"}
    shown = _text(graph["nodes"]["a"]["label"])
    assert "".join(shown.split()).startswith("".join(name.split()))
    lane = next(label for label in graph["lanes"] if graph["lanes"][label] == ["a"])
    assert "".join(lane.split()).startswith("".join(name.split()))
    assert "".join(name.split()) in "".join(_text(graph["graph"]["label"]).split())


def test_control_characters_cannot_break_the_xml_of_labels() -> None:
    from sopkit.render.labels import html_text, mermaid_text

    assert html_text("a\x00b\x1bc\ud800") == "a\ufffdb\ufffdc\ufffd"
    assert mermaid_text("a\x07b") == "a\ufffdb"


def test_long_names_wrap_and_cjk_counts_double() -> None:
    from sopkit.render.labels import text_width, wrap

    assert wrap("Competitor analysis and keyword research", 28) == [
        "Competitor analysis and",
        "keyword research",
    ]
    assert text_width("한국어") == 6
    assert all(text_width(line) <= 10 for line in wrap("경쟁사 분석 및 키워드 조사", 10))
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap("one\ntwo", 20) == ["one", "two"]


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


@pytest.mark.parametrize(
    "golden_name, make",
    [
        (
            "diagram/content-marketing.dot",
            lambda: cost_process(
                load_process(ROOT / "processes" / "en" / "content-marketing.yaml")
            ),
        ),
        (
            "diagram/content-marketing-ko.dot",
            lambda: cost_process(
                load_process(ROOT / "processes" / "ko" / "content-marketing-ko.yaml")
            ),
        ),
        ("diagram/escaping.dot", lambda: make_cost(GOLDEN_ESCAPING, name=NASTY[5])),
    ],
)
def test_golden_dot(
    golden: Callable[[str, str], None], golden_name: str, make: Callable[[], ProcessCost]
) -> None:
    golden(golden_name, to_dot(make()))


def test_golden_escaping_dot_parses_with_both_renderers_present() -> None:
    """The same DOT reads identically with every renderer installed here."""
    from sopkit.render.diagram.engine import ENGINES, Engine, _locate

    source = to_dot(make_cost(GOLDEN_ESCAPING, name=NASTY[5]))
    seen = []
    for name in ENGINES:
        path = _locate(name)
        if path is None:
            continue
        data = json.loads(Engine(name, path).run(source, "json0"))
        seen.append(sorted(o["name"] for o in data["objects"]))
    assert seen and all(s == seen[0] for s in seen)
    assert "end" in seen[0] and len(seen[0]) == 4 + 2  # 4 steps, 2 lanes


def test_graphviz_rejects_broken_dot_so_parse_checks_are_real() -> None:
    with pytest.raises(RenderError, match="syntax"):
        parse_dot('digraph { a [label="x] }')
