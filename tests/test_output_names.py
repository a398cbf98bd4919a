"""``-o``'s extension and ``--format``: one rule for every command that has both.

A trial wrote ``sopkit plan … -o plan.ics`` and got the text table in the calendar
file, and ``sopkit cost … -o cost.json`` a table, while ``diagram -o flow.png`` and
``report -o r.pdf`` took the format from the name. Now each of them does: without
``--format`` the extension picks the format, an extension the command does not
write is refused, and so is a ``--format`` the extension contradicts
(``sopkit.cli.common.format_for``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from sopkit.cli import app

T1 = str(ROOT / "tests" / "fixtures" / "t1" / "cm.yaml")
SCENARIO = "sopkit-scenario: 1\nname: Dearer editing\nchanges:\n  - rates: {Editor: 90}\n"

#: (command line, the -o name, the --format that name stands for).
NAMED = [
    (["cost", T1], "cost.txt", "table"),
    (["cost", T1], "cost.md", "markdown"),
    (["cost", T1], "cost.csv", "csv"),
    (["cost", T1], "cost.json", "json"),
    (["candidates", T1], "candidates.json", "json"),
    (["simulate", T1, "--years", "100"], "ranges.csv", "csv"),
    (["diff", T1, T1], "diff.md", "markdown"),
    (["diff", T1, T1], "diff.json", "json"),
    (["compare", T1, "--scenario", "{scenario}"], "compare.json", "json"),
    (["sop", T1], "sop.html", "html"),
    (["checklist", T1], "run.md", "markdown"),
    (["plan", T1, "--start", "2026-12-01"], "plan.txt", "table"),
    (["plan", T1, "--start", "2026-12-01"], "plan.md", "markdown"),
    (["plan", T1, "--start", "2026-12-01"], "plan.csv", "csv"),
    (["plan", T1, "--start", "2026-12-01"], "plan.json", "json"),
    (["plan", T1, "--start", "2026-12-01"], "plan.ics", "ics"),
    (["plan", T1, "--start", "2026-12-01"], "plan.svg", "svg"),
]

runner = CliRunner()


def _argv(argv: list[str], tmp_path: Path) -> list[str]:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return [arg.replace("{scenario}", str(scenario)) for arg in argv]


@pytest.mark.parametrize(
    ("argv", "name", "fmt"), NAMED, ids=[f"{argv[0]} -o {name}" for argv, name, _ in NAMED]
)
def test_the_extension_picks_the_format(
    argv: list[str], name: str, fmt: str, tmp_path: Path
) -> None:
    """The same bytes as ``--format`` gives, written to a name without an extension."""
    command = _argv(argv, tmp_path)
    named = runner.invoke(app, [*command, "-o", str(tmp_path / name)])
    assert named.exit_code == 0, named.output
    given = runner.invoke(app, [*command, "--format", fmt, "-o", str(tmp_path / "given")])
    assert given.exit_code == 0, given.output
    assert (tmp_path / name).read_bytes() == (tmp_path / "given").read_bytes()
    # And --format saying the same as the name is no contradiction.
    both = runner.invoke(app, [*command, "--format", fmt, "-o", str(tmp_path / name)])
    assert both.exit_code == 0, both.output


#: (command line, the -o name, words of the refusal).
REFUSED = [
    (["plan", T1, "--start", "2026-12-01"], "plan.docx", "writes no '.docx' files here"),
    (
        ["plan", T1, "--start", "2026-12-01", "--format", "ics"],
        "plan.csv",
        "--format ics and -o {out} disagree: '.csv' names csv output (end the name in .ics "
        "for ics, or leave out --format to write csv)",
    ),
    (
        ["plan", T1, "--start", "2026-12-01", "--format", "ics"],
        "plan.yaml",
        "writes no '.yaml' files here (end the name in .ics for --format ics)",
    ),
    # A trial's cost -o c.xlsx was not told which command writes a workbook.
    (
        ["cost", T1],
        "cost.xlsx",
        "writes no '.xlsx' files here (end the name in .csv, .json, .markdown, .md, .txt; "
        "sopkit build writes the workbook, cost.xlsx)",
    ),
    (
        ["cost", T1, "--format", "csv"],
        "cost.pdf",
        "(end the name in .csv for --format csv; sopkit report writes the report as PDF)",
    ),
    (["cost", T1, "--format", "csv"], "cost.md", "'.md' names markdown output"),
    (["candidates", T1, "--format", "json"], "c.csv", "'.csv' names csv output"),
    (
        ["simulate", T1, "--years", "100"],
        "ranges.ics",
        "writes no '.ics' files here (end the name in .csv, .json, .markdown, .md, .txt; "
        "sopkit plan writes a run's calendar)",
    ),
    (["diff", T1, T1], "diff.csv", "writes no '.csv' files here"),
    (["compare", T1, "--scenario", "{scenario}"], "compare.pdf", "writes no '.pdf' files"),
    (["sop", T1, "--format", "html"], "sop.md", "'.md' names markdown output"),
    (["checklist", T1, "--format", "github-issue"], "issue.yml", "in .markdown or .md for"),
]


@pytest.mark.parametrize(
    ("argv", "name", "words"), REFUSED, ids=[f"{argv[0]} -o {name}" for argv, name, _ in REFUSED]
)
def test_a_name_the_command_cannot_write_is_refused(
    argv: list[str], name: str, words: str, tmp_path: Path
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, [*_argv(argv, tmp_path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert words.replace("{out}", str(out)) in said
    assert not out.exists()


def test_a_github_issue_checklist_goes_in_a_markdown_file(tmp_path: Path) -> None:
    """``.md`` names plain Markdown, yet an issue template is a ``.md`` file too."""
    out = tmp_path / "run.md"
    result = runner.invoke(app, ["checklist", T1, "--format", "github-issue", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("---\n")


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every command by its name (``export bpmn``), the subcommands of groups too."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[prefix + name] = command
    return found


def test_every_command_with_a_format_and_a_file_is_checked_above() -> None:
    """A new command with both options must follow the rule too (``diagram`` and
    ``report`` have tests of their own)."""
    both = {
        name
        for name, command in _commands(typer.main.get_command(app)).items()
        if {"--format", "-o"} <= {opt for param in command.params for opt in param.opts}
    }
    checked = {argv[0] for argv, _, _ in NAMED} & {argv[0] for argv, _, _ in REFUSED}
    assert both - {"diagram", "report"} == checked
