"""A diagram too large to be legible is refused at once, on every drawing path.

Past ``MAX_STEPS`` steps or ``MAX_ARROWS`` arrows (``after`` links and rework
loops) a diagram cannot be read, and Graphviz may run for minutes and gigabytes
before failing; ``check_legible`` says so before anything is drawn.
``--no-diagram`` (``diagram=False``, ``diagrams=False``) leaves it out instead.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_build import broken_links
from typer.testing import CliRunner

from sopkit.analysis import ProcessCost, cost_process
from sopkit.build import build_site
from sopkit.cli import app
from sopkit.errors import RenderError
from sopkit.load import load_process
from sopkit.render.diagram import (
    FORMATS,
    MAX_ARROWS,
    MAX_STEPS,
    build_digraph,
    check_legible,
    draw,
    render,
    to_dot,
    to_mermaid,
)
from sopkit.render.diagram.common import arrow_count
from sopkit.render.diagram.engine import Engine
from sopkit.render.sop import render_sop

OWNERS = ("Content Writer", "Editor", "SEO Specialist")


def process_text(steps: int, arrows: int, reworks: int = 0, seed: int = 0) -> str:
    """A process of ``steps`` steps drawing exactly ``arrows`` arrows, ``reworks`` of them loops."""
    rng = random.Random(seed)
    flow = arrows - reworks
    assert steps - 1 <= flow <= steps * (steps - 1) // 2
    after: dict[int, set[int]] = {i: {i - 1} for i in range(1, steps)}
    pairs = [(j, i) for i in range(2, steps) for j in range(i - 1)]
    for j, i in rng.sample(pairs, flow - (steps - 1)):
        after[i].add(j)
    lines = ["sopkit: 1", "id: big", "name: Big", "owner: Editor", "frequency: 4/month", "steps:"]
    for i in range(steps):
        lines += [f"  - id: s{i}", f"    name: Step {i}", f"    owner: {OWNERS[i % 3]}"]
        lines.append("    time: 1h")
        if i:
            lines.append(f"    after: [{', '.join(f's{j}' for j in sorted(after[i]))}]")
        if 0 < i <= reworks:
            lines.append(f"    rework: {{to: s{i - 1}, probability: 0.1}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def make(write_process: Callable[..., Path]) -> Callable[..., ProcessCost]:
    def build(steps: int, arrows: int, reworks: int = 0, seed: int = 0) -> ProcessCost:
        path = write_process(process_text(steps, arrows, reworks, seed), name="big.yaml")
        return cost_process(load_process(path))

    return build


@pytest.fixture
def no_graphviz(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record (and fail) any Graphviz run: a refused diagram must never reach the renderer."""
    runs: list[str] = []

    def run(self: Engine, source: str, fmt: str, options: tuple[str, ...] = ()) -> bytes:
        runs.append(fmt)
        raise AssertionError("Graphviz ran for a diagram that should have been refused")

    monkeypatch.setattr(Engine, "run", run)
    yield runs


@pytest.mark.parametrize(
    ("steps", "arrows", "reworks", "legible"),
    [
        (MAX_STEPS, MAX_STEPS - 1, 0, True),
        (MAX_STEPS + 1, MAX_STEPS, 0, False),
        (MAX_STEPS, MAX_ARROWS, 0, True),
        (MAX_STEPS, MAX_ARROWS + 1, 0, False),
        (60, MAX_ARROWS, 20, True),
        (60, MAX_ARROWS + 1, 20, False),  # rework loops are arrows too
        (300, 900, 0, False),  # the dense 300-step graph dot took 243 s and 4.7 GB on
    ],
)
def test_the_limits(
    make: Callable[..., ProcessCost], steps: int, arrows: int, reworks: int, legible: bool
) -> None:
    cost = make(steps, arrows, reworks)
    assert (len(cost.process.steps), arrow_count(cost.process)) == (steps, arrows)
    if legible:
        check_legible(cost.process)
        return
    with pytest.raises(RenderError) as caught:
        check_legible(cost.process)
    error = caught.value
    assert error.message == (
        f"process 'big' is too large for a legible diagram: {steps:,} steps and {arrows:,} "
        f"arrows (a diagram holds at most {MAX_STEPS} steps and {MAX_ARROWS} arrows)"
    )
    assert error.path is not None and error.path.endswith("big.yaml")
    assert error.hint is not None and "--no-diagram" in error.hint and "split" in error.hint


def test_repeated_and_self_links_are_not_arrows(make: Callable[..., ProcessCost]) -> None:
    cost = make(4, 3)
    step = cost.process.steps[3]
    assert arrow_count(cost.process) == 3
    step.after.extend(["s2", "s2"])  # the diagram draws s2 -> s3 once
    assert arrow_count(cost.process) == 3


def test_every_drawing_path_refuses_before_graphviz_runs(
    make: Callable[..., ProcessCost], no_graphviz: list[str]
) -> None:
    cost = make(MAX_STEPS + 1, MAX_STEPS)
    calls: list[Callable[[], object]] = [
        *(lambda fmt=fmt: draw(cost, fmt) for fmt in FORMATS),
        lambda: render(cost, "svg"),
        lambda: to_dot(cost),
        lambda: build_digraph(cost),
        lambda: to_mermaid(cost),
        lambda: render_sop(cost, fmt="markdown"),
        lambda: render_sop(cost, fmt="html"),  # not a quiet fallback to Mermaid
    ]
    for call in calls:
        with pytest.raises(RenderError, match="too large for a legible diagram"):
            call()
    assert no_graphviz == []


def test_without_the_diagram_the_sop_says_why(
    make: Callable[..., ProcessCost], no_graphviz: list[str]
) -> None:
    cost = make(300, 900)
    markdown = render_sop(cost, fmt="markdown", diagram=False)
    html = render_sop(cost, fmt="html", diagram=False)
    note = "The diagram is left out of this document (built with --no-diagram)."
    assert f"## Workflow diagram\n\n{note}\n" in markdown and "```mermaid" not in markdown
    assert f'<p class="muted">{note}</p>' in html and "<svg" not in html
    assert no_graphviz == []


def test_build_refuses_at_once_and_builds_with_no_diagram(
    write_process: Callable[..., Path], tmp_path: Path, no_graphviz: list[str]
) -> None:
    write_process(process_text(MAX_STEPS, MAX_STEPS - 1), name="small.yaml")
    big = write_process(process_text(300, 900).replace("id: big", "id: dense"), name="dense.yaml")
    site = tmp_path / "site"
    with pytest.raises(RenderError) as caught:
        build_site([tmp_path], site)
    assert caught.value.path == str(big)
    assert not site.exists() and no_graphviz == []

    result = build_site([tmp_path], site, diagrams=False)
    assert not [f for f in result.files if f.endswith((".svg", ".png"))]
    assert result.warnings == () and result.engine is None
    assert "left out" in (site / "processes/dense.html").read_text(encoding="utf-8")
    assert broken_links(site) == []  # no card links a diagram that is not there
    assert no_graphviz == []


def test_cli_refuses_and_no_diagram_works(
    write_process: Callable[..., Path],
    tmp_path: Path,
    no_graphviz: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_process(process_text(300, 900), name="big.yaml")
    runner = CliRunner()
    for argv in (
        ["diagram", str(path)],
        ["sop", str(path)],
        ["build", str(path), "-o", str(tmp_path / "s")],
    ):
        result = runner.invoke(app, argv)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"{path}: error: process 'big' is too large for a legible")
        assert "--no-diagram" in result.stderr
    result = runner.invoke(app, ["sop", str(path), "--no-diagram"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_sop(cost_process(load_process(path)), diagram=False)
    out = tmp_path / "site"
    result = runner.invoke(app, ["build", str(path), "-o", str(out), "--no-diagram", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "processes").iterdir()) == [
        "big.checklist.html",
        "big.checklist.md",
        "big.html",
        "big.md",
    ]
    assert no_graphviz == []
