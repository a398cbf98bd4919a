"""Drawing diagrams with the renderers that are installed, and the ``sopkit diagram`` command.

SVG is written by sopkit itself; PNG and PDF are drawn by each renderer
found: system ``dot`` (tests marked e2e; they fail in CI when Graphviz is
missing) and the ``graphviz-pure`` dependency. Pictures are checked by their
bytes' shape, their size and the SVG Graphviz draws from the same source,
never pixel by pixel.
"""

from __future__ import annotations

import os
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import IN_CI, require_tool
from typer.testing import CliRunner

from sopkit.analysis import ProcessCost, cost_process
from sopkit.cli import app
from sopkit.errors import RenderError
from sopkit.load import load_process
from sopkit.render.diagram import (
    FORMATS,
    Drawing,
    draw,
    file_bytes,
    render,
    swimlane_scene,
    to_dot,
)
from sopkit.render.diagram import engine as engine_module
from sopkit.render.diagram.engine import ENV_VAR, Engine
from sopkit.render.diagram.mermaid import to_mermaid
from sopkit.render.diagram.style import ENGINE_FONTS
from sopkit.render.markdown import fenced

ROOT = Path(__file__).resolve().parent.parent
CM = ROOT / "processes" / "en" / "content-marketing.yaml"
KO = ROOT / "processes" / "ko" / "content-marketing-ko.yaml"
#: A diagram that prints legibly on one page: Graphviz draws its PDF (a larger one's
#: PDF is its printed pages, see test_diagram_pdf.py).
SMALL = ROOT / "tests" / "fixtures" / "sop" / "minimal" / "monthly-report.yaml"
SVG = "{http://www.w3.org/2000/svg}"
MAGIC = {"svg": b"<svg", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def _engine(name: str) -> Engine:
    """The named renderer; system dot is required in CI, graphviz-pure is a dependency."""
    if name == "dot":
        return Engine("dot", require_tool("dot", "graphviz"))
    path = engine_module._locate(name)
    if path is None:
        message = f"{name} not found: pip install {name} (a sopkit dependency)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return Engine(name, path)


ENGINE_PARAMS = [
    pytest.param("dot", marks=pytest.mark.e2e, id="dot"),
    pytest.param("graphviz-pure", id="graphviz-pure"),
]


@pytest.fixture(scope="module")
def cm() -> ProcessCost:
    return cost_process(load_process(CM))


@pytest.fixture(scope="module")
def small() -> ProcessCost:
    return cost_process(load_process(SMALL))


@pytest.fixture(scope="module")
def ko() -> ProcessCost:
    return cost_process(load_process(KO))


def svg_texts(svg: bytes) -> dict[str, str]:
    """The visible text of each Graphviz node (by name) and of the whole picture ("")."""
    root = ET.fromstring(svg)
    texts = {"": " ".join(t.text or "" for t in root.iter(f"{SVG}text"))}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            title = group.find(f"{SVG}title")
            assert title is not None
            texts[title.text or ""] = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
    return texts


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


# --- every format with every renderer -----------------------------------------------------


def test_svg_needs_no_renderer(cm: ProcessCost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_locate", lambda name: None)
    monkeypatch.delenv(ENV_VAR, raising=False)
    drawing = draw(cm, "svg")
    assert drawing.data.startswith(b"<svg") and drawing.engine is None
    assert drawing.warnings == ()
    with pytest.raises(RenderError, match="no Graphviz renderer found"):
        draw(cm, "png")


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_every_image_format(
    cm: ProcessCost, small: ProcessCost, engine_name: str, fmt: str
) -> None:
    engine = _engine(engine_name)
    cost = small if fmt == "pdf" else cm
    if fmt not in engine.formats:
        with pytest.raises(RenderError, match=f"cannot write {fmt.upper()}"):
            draw(cost, fmt, engine=engine)
        return
    drawing = draw(cost, fmt, engine=engine)
    assert drawing.data.startswith(MAGIC[fmt])
    assert drawing.engine == engine_name
    assert drawing.warnings == ()
    assert len(drawing.data) > 10_000


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
def test_png_is_the_laid_out_size_at_screen_resolution(cm: ProcessCost, engine_name: str) -> None:
    """1 pt of the layout is 96/72 px: 10 pt text reads as 13 px at 100 % zoom."""
    engine = _engine(engine_name)
    scene = swimlane_scene(cm)
    width, height = _png_size(draw(cm, "png", engine=engine).data)
    assert width == pytest.approx(scene.width * 96 / 72, abs=3)
    assert height == pytest.approx(scene.height * 96 / 72, abs=3)


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
def test_graphviz_draws_every_step_and_the_lead_time(cm: ProcessCost, engine_name: str) -> None:
    """What Graphviz draws (as its own SVG of the DOT) holds every step's text."""
    texts = svg_texts(_engine(engine_name).run(to_dot(cm), "svg"))[""]
    for step in cm.process.steps:
        assert step.name.split()[0] in texts
    assert "Lead time 23.08 working days" in texts
    assert "rework 30%" in texts and "wait 20 working days" in texts


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_output_is_byte_identical_across_runs(cm: ProcessCost, engine_name: str, fmt: str) -> None:
    engine = _engine(engine_name)
    if fmt not in engine.formats and fmt != "svg":
        pytest.skip(f"{engine_name} has no {fmt}")
    path = SMALL if fmt == "pdf" else CM  # a PDF Graphviz draws: one page
    first = draw(cost_process(load_process(path)), fmt, engine=engine).data
    again = draw(cost_process(load_process(path)), fmt, engine=engine).data
    assert first == again
    if fmt == "svg":
        assert not re.search(rb"\d{4}-\d\d-\d\dT\d\d:\d\d", first)  # no timestamps
    if fmt == "pdf":
        assert b"/CreationDate (D:19700101000000" in first


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
def test_step_names_reach_the_picture_literally(engine_name: str, tmp_path: Path) -> None:
    """What the renderer draws is exactly the name, whatever it holds (\\N, quotes, tags)."""
    from test_diagram import GOLDEN_ESCAPING, NASTY, make_cost

    cost = make_cost(GOLDEN_ESCAPING, name=NASTY[5])
    drawn = "".join(svg_texts(_engine(engine_name).run(to_dot(cost), "svg"))[""].split())
    for step in GOLDEN_ESCAPING:
        assert "".join(str(step["name"]).split())[:12] in drawn, step["id"]


# --- Korean ------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_korean_process_with_system_graphviz(ko: ProcessCost, fmt: str) -> None:
    engine = _engine("dot")
    drawing = draw(ko, fmt, engine=engine)
    assert drawing.data.startswith(MAGIC[fmt])
    assert drawing.warnings == ()
    texts = svg_texts(engine.run(to_dot(ko), "svg"))[""]
    assert "콘텐츠 마케팅 — 블로그 글 발행" in texts
    assert "경쟁사 분석 및" in texts and "리드 타임" in texts


def test_korean_svg_is_text_the_viewer_draws(ko: ProcessCost) -> None:
    drawing = draw(ko, "svg")
    assert drawing.warnings == ()
    assert "콘텐츠 마케팅 — 블로그 글 발행" in drawing.data.decode("utf-8")


def test_korean_png_with_only_the_fallback_warns(ko: ProcessCost, cm: ProcessCost) -> None:
    pure = _engine("graphviz-pure")
    drawing = draw(ko, "png", engine=pure)
    assert drawing.data.startswith(MAGIC["png"])
    assert len(drawing.warnings) == 1
    assert "Korean" in drawing.warnings[0] and "fonts-noto-cjk" in drawing.warnings[0]
    assert draw(cm, "png", engine=pure).warnings == ()


def test_fallback_gets_a_font_it_has_metrics_for(cm: ProcessCost) -> None:
    from sopkit.render.diagram import scene_digraph

    scene = swimlane_scene(cm)
    assert "fontname=Arial" in scene_digraph(scene, fontname=ENGINE_FONTS["graphviz-pure"]).source
    assert "Noto Sans CJK KR" in to_dot(cm)


# --- text formats and the library API -------------------------------------------------------


def test_text_formats_need_no_renderer(cm: ProcessCost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_locate", lambda name: None)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert render(cm, "dot") == to_dot(cm).encode()
    assert render(cm, "mermaid") == to_mermaid(cm).encode()
    assert draw(cm, "dot") == Drawing(to_dot(cm).encode(), "dot")
    with pytest.raises(RenderError, match="no Graphviz renderer found"):
        render(cm, "png")


def test_unknown_format_lists_the_valid_ones(cm: ProcessCost) -> None:
    with pytest.raises(RenderError, match="unknown diagram format 'gif'") as info:
        render(cm, "gif")
    assert ", ".join(FORMATS) in (info.value.hint or "")


def test_render_uses_the_forced_engine(cm: ProcessCost, monkeypatch: pytest.MonkeyPatch) -> None:
    pure = _engine("graphviz-pure")
    monkeypatch.setenv(ENV_VAR, "graphviz-pure")
    assert render(cm, "png") == draw(cm, "png", engine=pure).data


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_text_formats_go_to_stdout(cm: ProcessCost) -> None:
    result = runner.invoke(app, ["diagram", str(CM), "--format", "dot"])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_dot(cm)
    result = runner.invoke(app, ["diagram", str(CM), "--format", "mermaid", "--direction", "TB"])
    assert result.exit_code == 0
    assert result.stdout == to_mermaid(cm, direction="TB")


def test_mermaid_written_to_markdown_is_a_mermaid_block(cm: ProcessCost, tmp_path: Path) -> None:
    source = to_mermaid(cm)
    for name in ("flow.md", "FLOW.Markdown"):
        result = runner.invoke(
            app, ["diagram", str(CM), "--format", "mermaid", "-o", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text("utf-8") == f"```mermaid\n{source.rstrip()}\n```\n"
    # Anywhere else (a .mmd file for the Mermaid CLI) it is the bare source.
    result = runner.invoke(
        app, ["diagram", str(CM), "--format", "mermaid", "-o", str(tmp_path / "flow.mmd")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "flow.mmd").read_text("utf-8") == source


def test_a_fence_is_longer_than_any_backticks_inside() -> None:
    assert fenced("a\nb\n") == "```\na\nb\n```"
    assert fenced("title: ``` ````x", "mermaid") == "`````mermaid\ntitle: ``` ````x\n`````"
    drawing = Drawing(b'flowchart LR\n  a["```"]\n', "mermaid")
    assert file_bytes(drawing, "x.md") == b'````mermaid\nflowchart LR\n  a["```"]\n````\n'
    assert file_bytes(Drawing(b"<svg/>", "svg"), "x.md") == b"<svg/>"


def test_cli_image_goes_to_id_dot_format_in_the_current_folder(
    cm: ProcessCost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, "graphviz-pure")
    _engine("graphviz-pure")
    result = runner.invoke(app, ["diagram", str(CM)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "wrote content-marketing.svg\n"
    assert (tmp_path / "content-marketing.svg").read_bytes() == render(cm, "svg")


@pytest.mark.parametrize("engine_name", ENGINE_PARAMS)
def test_cli_output_option(
    cm: ProcessCost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_name: str
) -> None:
    engine = _engine(engine_name)
    monkeypatch.setenv(ENV_VAR, engine_name)
    target = tmp_path / "out" / "flow.png"
    result = runner.invoke(app, ["diagram", str(CM), "--format", "png", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stderr
    assert target.read_bytes() == draw(cm, "png", engine=engine).data
    result = runner.invoke(app, ["diagram", str(CM), "--format", "svg", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes == draw(cm, "svg", engine=engine).data


def test_cli_warns_about_korean_with_only_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _engine("graphviz-pure")
    monkeypatch.setenv(ENV_VAR, "graphviz-pure")
    target = tmp_path / "ko.png"
    result = runner.invoke(app, ["diagram", str(KO), "--format", "png", "-o", str(target)])
    assert result.exit_code == 0
    first = result.stderr.splitlines()[0]
    assert first.startswith("warning: labels contain Chinese, Japanese or Korean text")
    assert target.exists()


def test_cli_without_any_renderer_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "_locate", lambda name: None)
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["diagram", str(CM), "--format", "png"])
    assert result.exit_code == 1
    assert "no Graphviz renderer found" in result.stderr
    assert "apt-get install graphviz" in result.stderr
    assert "pip install graphviz-pure" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_to_overwrite_the_process(tmp_path: Path, write_process) -> None:  # type: ignore[no-untyped-def]
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/week\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    )
    before = path.read_bytes()
    result = runner.invoke(app, ["diagram", str(path), "--format", "dot", "-o", str(path)])
    assert result.exit_code == 1
    assert "overwrite an input" in result.stderr
    assert path.read_bytes() == before


def test_cli_usage_errors_exit_2() -> None:
    result = runner.invoke(app, ["diagram", str(CM), "--format", "gif"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["diagram", str(CM), "--direction", "RL"])
    assert result.exit_code == 2


def test_cli_invalid_process_is_a_located_error(tmp_path: Path, write_process) -> None:  # type: ignore[no-untyped-def]
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/week\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h, after: [nope]}\n"
    )
    result = runner.invoke(app, ["diagram", str(path), "--format", "dot"])
    assert result.exit_code == 1
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: ", result.stderr)
    assert result.stdout == ""


def test_cli_respects_the_env_var_for_a_missing_renderer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(engine_module, "_locate", lambda name: None)
    monkeypatch.setenv(ENV_VAR, "dot")
    result = runner.invoke(
        app, ["diagram", str(CM), "-o", str(tmp_path / "x.png"), "--format", "png"]
    )
    assert result.exit_code == 1
    assert f"{ENV_VAR}=dot, but dot is not installed" in result.stderr
    assert os.listdir(tmp_path) == []


def test_cli_roles_option_and_roles_file_is_never_overwritten(tmp_path: Path) -> None:
    process = tmp_path / "flows" / "p.yaml"
    process.parent.mkdir()
    process.write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Ed\nfrequency: 1/week\n"
        "steps:\n  - {id: a, name: A, owner: Ed, time: 1h}\n",
        encoding="utf-8",
    )
    roles = tmp_path / "rates.yaml"
    roles.write_text("currency: EUR\nroles:\n  Ed: {rate: 50}\n", encoding="utf-8")
    result = runner.invoke(app, ["diagram", str(process), "--format", "dot"])
    assert result.exit_code == 1  # no roles.yaml next to it or above
    result = runner.invoke(app, ["diagram", str(process), "--format", "dot", "--roles", str(roles)])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_dot(cost_process(load_process(process, roles=roles)))
    assert "€2,600.00 a year" in result.stdout
    before = roles.read_bytes()
    args = ["diagram", str(process), "--roles", str(roles), "--format", "dot", "-o", str(roles)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert roles.read_bytes() == before


def test_the_output_name_picks_the_format_and_a_contradicting_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "graphviz-pure")
    png = tmp_path / "flow.png"
    result = runner.invoke(app, ["diagram", str(CM), "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")
    for name in ("flow.dot", "flow.gv"):
        assert runner.invoke(app, ["diagram", str(CM), "-o", str(tmp_path / name)]).exit_code == 0
        assert (tmp_path / name).read_text("utf-8").startswith("digraph")
    wrong = runner.invoke(
        app, ["diagram", str(CM), "--format", "png", "-o", str(tmp_path / "x.svg")]
    )
    assert wrong.exit_code == 2
    said = " ".join(wrong.stderr.split())
    assert "--format png and -o " in said and "x.svg disagree: '.svg' names svg output" in said
    assert "(end the name in .png for png, or leave out --format to write svg)" in said
    assert not (tmp_path / "x.svg").exists()


def test_a_name_no_format_ends_in_lists_the_ones_that_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diagram", str(CM), "-o", str(tmp_path / "w.jpg")])
    assert result.exit_code == 2
    assert "w.jpg: sopkit writes no '.jpg' files here (end the name in .dot, .gv," in (
        result.stderr
    )
    assert not (tmp_path / "w.jpg").exists()
