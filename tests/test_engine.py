"""Finding and running a Graphviz renderer: preference order, forcing, failures, warnings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sopkit.errors import RenderError
from sopkit.render.diagram import engine as engine_module
from sopkit.render.diagram.engine import (
    ENV_VAR,
    INSTALL_HINT,
    Engine,
    cjk_warning,
    find_engine,
    has_cjk,
)


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Pretend exactly the renderers in this dict are installed (name → path)."""
    present: dict[str, str] = {}
    monkeypatch.setattr(engine_module, "_locate", lambda name: present.get(name))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return present


def test_system_dot_is_preferred(installed: dict[str, str]) -> None:
    installed.update({"dot": "/usr/bin/dot", "graphviz-pure": "/venv/bin/graphviz-pure"})
    assert find_engine() == Engine("dot", "/usr/bin/dot")


def test_graphviz_pure_is_the_fallback(installed: dict[str, str]) -> None:
    installed["graphviz-pure"] = "/venv/bin/graphviz-pure"
    found = find_engine()
    assert found.name == "graphviz-pure"
    assert found.formats == {"svg", "png"}
    assert not found.cjk_glyphs


def test_no_renderer_says_how_to_install_one(installed: dict[str, str]) -> None:
    with pytest.raises(RenderError, match="no Graphviz renderer found") as info:
        find_engine()
    hint = info.value.hint or ""
    assert hint == INSTALL_HINT
    assert "apt-get install graphviz" in hint
    assert "brew install graphviz" in hint
    assert "pip install graphviz-pure" in hint


@pytest.mark.parametrize("name", ["dot", "graphviz-pure"])
def test_env_var_forces_a_renderer(
    installed: dict[str, str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    installed.update({"dot": "/usr/bin/dot", "graphviz-pure": "/venv/bin/graphviz-pure"})
    monkeypatch.setenv(ENV_VAR, name)
    assert find_engine().name == name


def test_forced_renderer_that_is_missing(
    installed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed["graphviz-pure"] = "/venv/bin/graphviz-pure"
    monkeypatch.setenv(ENV_VAR, "dot")
    with pytest.raises(RenderError, match="SOPKIT_GRAPHVIZ=dot, but dot is not installed") as info:
        find_engine()
    assert "apt-get install graphviz" in (info.value.hint or "")


def test_unknown_forced_renderer_lists_the_valid_ones(
    installed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "neato")
    with pytest.raises(RenderError, match="not a renderer") as info:
        find_engine()
    assert "dot, graphviz-pure" in (info.value.hint or "")


def test_graphviz_pure_is_found_beside_python_when_not_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A venv's scripts folder counts even when the venv is not activated."""
    script = _script(tmp_path, "graphviz-pure", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(engine_module.sysconfig, "get_path", lambda _: str(tmp_path))
    assert engine_module._locate("graphviz-pure") == str(script)
    assert engine_module._locate("dot") is None


def _script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake renderer")
def test_run_passes_dot_on_stdin_and_format_as_flag(tmp_path: Path) -> None:
    fake = _script(tmp_path, "dot", 'echo "args: $*"; cat')
    out = Engine("dot", str(fake)).run("digraph { a }", "svg", options=("-Gdpi=150",))
    assert out == b"args: -Tsvg -Gdpi=150\ndigraph { a }"


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake renderer")
def test_renderer_failure_is_a_render_error_with_its_stderr(tmp_path: Path) -> None:
    fake = _script(tmp_path, "dot", "echo 'Error: syntax error in line 1' >&2; exit 3")
    with pytest.raises(RenderError, match="syntax error in line 1") as info:
        Engine("dot", str(fake)).run("digraph {", "svg")
    assert "exit 3" in info.value.message


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake renderer")
def test_renderer_that_hangs_times_out(tmp_path: Path) -> None:
    fake = _script(tmp_path, "dot", "exec sleep 10")
    with pytest.raises(RenderError, match="did not finish drawing within 0.2 seconds"):
        Engine("dot", str(fake)).run("digraph { a }", "svg", timeout=0.2)


def test_renderer_that_cannot_start(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="could not run") as info:
        Engine("dot", str(tmp_path / "missing")).run("digraph { a }", "svg")
    assert info.value.hint == INSTALL_HINT


def test_real_renderer_reports_bad_dot() -> None:
    found = find_engine()
    with pytest.raises(RenderError, match="syntax"):
        found.run("digraph { a -> }", "svg")


def test_pdf_needs_system_graphviz() -> None:
    Engine("dot", "/usr/bin/dot").check_format("pdf")
    with pytest.raises(RenderError, match="graphviz-pure cannot write PDF") as info:
        Engine("graphviz-pure", "/x").check_format("pdf")
    assert "png or svg" in (info.value.hint or "")


def test_cjk_detection_and_warning() -> None:
    assert has_cjk("콘텐츠 마케팅")
    assert has_cjk("日本語") and has_cjk("中文")
    assert not has_cjk("Контент-маркетинг — blog post, café")
    pure, dot = Engine("graphviz-pure", "/x"), Engine("dot", "/y")
    warning = cjk_warning(pure, "label=<콘텐츠>")
    assert warning is not None
    assert "graphviz-pure" in warning and "apt-get install graphviz fonts-noto-cjk" in warning
    assert cjk_warning(dot, "label=<콘텐츠>") is None
    assert cjk_warning(pure, "label=<Контент>") is None
