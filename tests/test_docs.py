"""The README is the front door: its examples must work and every command must be in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from sopkit import load_process
from sopkit.analysis import cost_process
from sopkit.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.S)


def _commands() -> dict[str, object]:
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_readme_format_example_is_a_valid_process(tmp_path: Path) -> None:
    roles, process = _yaml_blocks()[:2]
    (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
    (tmp_path / "blog-post.yaml").write_text(process, encoding="utf-8")
    cost = cost_process(load_process(tmp_path / "blog-post.yaml"))
    assert [s.step_id for s in cost.steps] == ["research", "draft", "edit"]


def test_quickstart_has_exactly_two_commands() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quickstart, flags=re.S)
    assert len(commands) == 2
    assert "sopkit build processes/en/ -o site/" in commands[0]
    assert "pytest" in commands[1]


def test_every_command_has_help_an_example_and_a_readme_entry() -> None:
    commands = _commands()
    assert {"validate", "schema", "new"} <= set(commands)
    for name, command in commands.items():
        help_text = command.help or ""  # type: ignore[attr-defined]
        assert help_text.strip(), f"{name} has no help"
        assert f"Example: sopkit {name}" in help_text, f"{name} help has no example"
        assert f"sopkit {name}" in README, f"README does not show 'sopkit {name}'"


def test_every_command_help_runs() -> None:
    runner = CliRunner()
    for name in _commands():
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    (block,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4  # the total and three candidates
