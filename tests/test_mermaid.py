"""Mermaid flowcharts: lanes as subgraphs, labels, arrows, critical path, escaping."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import CM_TIMES, wait_before_two_steps
from hypothesis import given, settings
from hypothesis import strategies as st

from sopkit.analysis import ProcessCost, cost_process, rank_candidates
from sopkit.load import load_process
from sopkit.models import Process, Role, Settings
from sopkit.render.diagram.mermaid import node_id, to_mermaid
from sopkit.render.diagram.style import get_theme
from sopkit.render.labels import mermaid_text
from sopkit.render.numbers import money_text

ROOT = Path(__file__).resolve().parent.parent


def make_cost(steps: list[dict[str, Any]], name: str = "Tricky") -> ProcessCost:
    data = {"sopkit": 1, "id": "tricky", "name": name, "owner": "Lead", "frequency": "4/month"}
    process = Process.model_validate({**data, "steps": steps})
    process.bind(Settings(roles={s["owner"]: Role(rate=Decimal(40)) for s in steps}))
    return cost_process(process)


@pytest.fixture(scope="module")
def cm() -> ProcessCost:
    return cost_process(load_process(ROOT / "processes" / "en" / "content-marketing.yaml"))


@pytest.fixture(scope="module")
def chart(cm: ProcessCost) -> str:
    return to_mermaid(cm)


def _decode(label: str) -> str:
    """What Mermaid shows for a "..." label built by ``mermaid_text``."""
    named = {"quot": '"', "lt": "<", "gt": ">"}
    text = re.sub(r"<br/>", "\n", label)
    decoded = re.sub(
        r"#(\w+);",
        lambda m: named[m.group(1)] if m.group(1) in named else chr(int(m.group(1))),
        text,
    )
    return decoded.replace("\\\u2060n", "\\n")  # the word joiner that keeps "\n" literal


_LABEL = re.compile(r'\["((?:[^"\\]|\\.)*)"\]')


def test_front_matter_title_flowchart_and_direction(cm: ProcessCost, chart: str) -> None:
    lines = chart.splitlines()
    assert lines[0] == "---" and lines[2] == "---"
    title = json.loads(lines[1].removeprefix("title: "))
    assert title.startswith(cm.name)
    assert "Lead time 23.08 working days (184.67 h) per run" in title
    assert lines[3] == "flowchart LR"
    assert to_mermaid(cm, direction="TB").splitlines()[3] == "flowchart TB"


def test_one_subgraph_per_role_holding_its_steps(cm: ProcessCost, chart: str) -> None:
    lanes: dict[str, list[str]] = {}
    current = None
    for line in chart.splitlines():
        if match := re.match(r'\s*subgraph lane\d+\["(.*)"\]$', line):
            current = _decode(match.group(1))
            lanes[current] = []
        elif line.strip() == "end":
            current = None
        elif current is not None:
            lanes[current].append(line.split("[", 1)[0].strip())
    expected: dict[str, list[str]] = {}
    for step in cm.process.steps:
        expected.setdefault(step.owner, []).append(node_id(step.id))
    assert lanes == expected


def test_nodes_show_name_time_cost_and_automation(cm: ProcessCost, chart: str) -> None:
    for step in cm.process.steps:
        line = next(x for x in chart.splitlines() if x.strip().startswith(node_id(step.id) + "["))
        shown = " ".join(_decode(_LABEL.search(line).group(1)).split())  # type: ignore[union-attr]
        assert step.name in shown.replace("<b>", "").replace("</b>", "")
        assert CM_TIMES[step.id] in shown
        assert money_text(cm.step(step.id).annual_cost, "USD") + " a year" in shown
    assert "15 min ×3 per run" in chart


def test_a_wait_before_two_steps_is_said_once_in_its_box(tmp_path: Path) -> None:
    chart = to_mermaid(cost_process(load_process(wait_before_two_steps(tmp_path))))
    links = [x.strip() for x in chart.splitlines() if re.search(r"-->|-\.->", x)]
    # publish waits 4w before two steps: said once, in its box, not on both arrows
    assert "s_publish --> s_measure" in links and "s_publish --> s_social" in links
    shown = chart.replace("<br/>", " ")  # a label's lines, read as one
    assert shown.count("wait 20 working days") == 1
    assert "then wait 20 working days" in next(
        x for x in shown.splitlines() if x.strip().startswith("s_publish[")
    )


def test_edges_waits_rework_and_critical_link_styles(cm: ProcessCost, chart: str) -> None:
    links = [x.strip() for x in chart.splitlines() if re.search(r"-->|-\.->", x)]
    assert 's_outline -->|"wait 4 h"| s_draft' in links
    # social waits 4w before measurement alone: said on that arrow
    assert 's_social -->|"wait 20 working days"| s_measure' in links
    assert "s_research --> s_outline" in links
    assert links[-1] == 's_edit -.->|"rework 30%"| s_draft'
    assert len(links) == sum(len(s.after) for s in cm.process.steps) + 1
    style = next(x for x in chart.splitlines() if "linkStyle" in x)
    heavy = [int(i) for i in style.split()[1].split(",")]
    pairs = [tuple(re.findall(r"s_\w+", links[i])) for i in heavy]
    path = [node_id(s) for s in cm.schedule.critical_path]
    assert pairs == list(zip(path, path[1:], strict=False))
    assert "stroke-width:2.2px" in style
    rework_style = [x for x in chart.splitlines() if "linkStyle" in x][-1]
    assert rework_style.split()[1] == str(len(links) - 1)


LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"


def test_marks_of_the_additions_as_far_as_mermaid_can() -> None:
    chart = to_mermaid(
        cost_process(load_process(LAUNCH)), links={"asset-review": "asset-review.html"}
    )
    lines = [x.strip() for x in chart.splitlines()]
    node = {  # a label's lines read as one
        x.split("[", 1)[0].split("(", 1)[0].split("{", 1)[0]: x.replace("<br/>", " ")
        for x in lines
        if x.startswith("s_")
    }
    assert node["s_launch"].startswith('s_launch((("') and node["s_launch"].endswith('")))')
    assert (
        node["s_assets"].startswith('s_assets[["')
        and "runs: Launch asset review ×8–12" in node["s_assets"]
    )
    assert node["s_go_no_go"].startswith('s_go_no_go{{"') and "SIGN-OFF" in node["s_go_no_go"]
    assert "with Customer, Product Marketing Manager" in node["s_quote"]
    assert "<i>If: Does legal need to review claims? — yes</i>" in node["s_legal_review"]
    conditional = next(x for x in lines if x.startswith("class ") and x.endswith(" conditional"))
    assert {"s_legal_review", "s_press_release", "s_embargo", "s_analyst"} <= set(
        conditional.split()[1].split(",")
    )
    assert 'subgraph lane0["Milestones and sub-procedures"]' in lines
    assert any(
        x.startswith("subgraph") and "PR Agency · outside the organisation" in x for x in lines
    )
    assert any("stroke-dasharray:5 3" in x and x.startswith("style lane") for x in lines)
    assert 'click s_assets href "asset-review.html"' in lines
    assert "click" not in to_mermaid(cost_process(load_process(LAUNCH)))


def test_critical_nodes_and_saving_classes(cm: ProcessCost, chart: str) -> None:
    critical = next(x for x in chart.splitlines() if x.strip().endswith(" critical"))
    assert critical.split()[1].split(",") == [node_id(s) for s in cm.schedule.critical_path]
    theme = get_theme()
    best = rank_candidates([cm])[0]
    top = next(x for x in chart.splitlines() if node_id(best.step_id) in x and "saving" in x)
    level = int(re.search(r"saving(\d)", top).group(1))  # type: ignore[union-attr]
    assert f"classDef saving{level} fill:{theme.scale[level - 1]}" in chart
    plain = next(x for x in chart.splitlines() if x.strip().startswith("class ") and "plain" in x)
    assert "s_outline" in plain and "s_approval" in plain


def test_backslash_n_is_not_a_line_break() -> None:
    """Mermaid would break the line at a literal backslash-n, entity-coded or not."""
    assert mermaid_text("a\\nb") == "a#92;#8288;nb"
    assert mermaid_text("a\\Nb") == "a#92;Nb"


def test_ids_never_clash_with_mermaid_keywords() -> None:
    assert node_id("end") == "s_end"
    assert node_id("o-x") == "s_o_x"
    cost = make_cost(
        [
            {"id": "end", "name": "End", "owner": "A", "time": "1h"},
            {"id": "graph", "name": "Graph", "owner": "A", "time": "1h", "after": ["end"]},
        ]
    )
    chart = to_mermaid(cost)
    assert "s_end --> s_graph" in chart
    assert not re.search(r"^\s*end\b.*-->", chart, re.MULTILINE)


NASTY = st.lists(
    st.sampled_from([*'ab "#&;<>[](){}|`\\\n-.=', "한", "Ж", "#quot;", "#35;", "&lt;"]),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(NASTY)
def test_mermaid_text_is_inert_and_reversible(text: str) -> None:
    encoded = mermaid_text(text)
    # Only our own line breaks are markup; everything else is an entity code.
    assert not set(encoded.replace("<br/>", "")) & set('"[](){}|`<>\\&\n')
    assert _decode(encoded) == text.replace("\r\n", "\n")


@pytest.mark.parametrize("name", ['a "quoted" [name]', "x --> y & <z>", "#35; `x` | {y}"])
def test_nasty_names_stay_inside_their_labels(name: str) -> None:
    cost = make_cost(
        [
            {"id": "a", "name": name, "owner": name, "time": "1h"},
            {"id": "b", "name": "B", "owner": "R", "time": "1h", "after": ["a"]},
        ],
        name=name,
    )
    chart = to_mermaid(cost)
    body = chart.split("---\n", 2)[2]
    assert body.count('"') % 2 == 0
    assert name not in body  # only its encoded form
    assert mermaid_text(name) in body
    assert len([x for x in body.splitlines() if "-->" in x]) == 1
    title = json.loads(chart.splitlines()[1].removeprefix("title: "))
    assert title.startswith(" ".join(name.split()))


KO = ROOT / "processes" / "ko" / "content-marketing-ko.yaml"


@pytest.mark.parametrize(
    "golden_name, path",
    [
        ("diagram/content-marketing.mmd", ROOT / "processes" / "en" / "content-marketing.yaml"),
        ("diagram/content-marketing-ko.mmd", KO),
    ],
)
def test_golden_mermaid(golden: Callable[[str, str], None], golden_name: str, path: Path) -> None:
    golden(golden_name, to_mermaid(cost_process(load_process(path))))


# --- lines Mermaid keeps whole ---------------------------------------------------------------


def _box_lines(chart: str) -> list[tuple[str, bool]]:
    """Every line of every step's label as Mermaid shows it, and whether it is bold."""
    found = []
    for line in chart.splitlines():
        match = re.match(r'\s*s_\w+[\[({]+"(.*)"[\])}]+$', line)
        if not match:
            continue
        for part in re.split(r"(<b>.*?</b>)", match.group(1)):
            bold = part.startswith("<b>")
            text = re.sub(r"</?[bi]>", "", part)
            found += [(_decode(x), bold) for x in text.split("<br/>") if x]
    return found


def test_no_line_of_a_step_reaches_mermaid_s_wrapping_width(tmp_path: Path) -> None:
    # A trial: a 'with' line wider than 200 px made Mermaid wrap the whole label at
    # 200 px, and names already broken into 28-character lines left stray words:
    # "Design landing page, / hero / and social cards".
    from sopkit.render.diagram.metrics import text_width

    long_with = ", ".join(f"Role number {n}" for n in range(6))
    steps = [
        {"id": "design", "name": "Design landing page, hero and social cards",
         "owner": "Designer", "time": "1d", "with": [f"Role number {n}" for n in range(6)]},
        {"id": "plan", "name": "Plan the launch webinar or event",
         "owner": "Designer", "time": "1d", "after": ["design"]},
    ]  # fmt: skip
    data = {"sopkit": 1, "id": "launch", "name": "Launch", "owner": "Designer",
            "frequency": "1/month", "steps": steps}  # fmt: skip
    process = Process.model_validate(data)
    roles = ["Designer", *(f"Role number {n}" for n in range(6))]
    process.bind(Settings(roles={name: Role(rate=Decimal(40)) for name in roles}))
    chart = to_mermaid(cost_process(process))
    lines = _box_lines(chart)
    assert lines and all(text_width(x, 16, bold) < 200 for x, bold in lines), lines
    names = [x for x, bold in lines if bold]
    assert names == [
        "Design landing",
        "page, hero and",
        "social cards",
        "Plan the launch",
        "webinar or event",
    ]
    shown = " ".join(x for x, bold in lines if not bold)
    assert "with " + long_with in shown  # every role still named, over several lines


def test_a_label_line_that_fits_is_not_broken() -> None:
    chart = to_mermaid(make_cost([{"id": "a", "name": "Draft", "owner": "Writer", "time": "1h"}]))
    line = next(x for x in chart.splitlines() if x.strip().startswith("s_a["))
    assert '"<b>Draft</b><br/>1 h<br/>' in line


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefgh ijk-WMm가나(). "), min_size=1, max_size=120))
def test_any_name_fits_mermaid_s_line_and_keeps_its_words(name: str) -> None:
    from sopkit.render.diagram.metrics import text_width

    if not name.strip():
        return
    chart = to_mermaid(make_cost([{"id": "a", "name": name, "owner": "Lead", "time": "1h"}]))
    names = [x for x, bold in _box_lines(chart) if bold]
    assert all(text_width(x, 16, True) < 200 for x in names), names
    assert "".join("".join(names).split()) == "".join(name.split())
