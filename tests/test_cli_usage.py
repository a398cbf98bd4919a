"""Usage mistakes exit 2 on every command; mistakes in the files exit 1.

A script can then tell "sopkit was called wrongly" from "the process files are
wrong". Typer finds most usage mistakes itself; the ones sopkit finds (a
missing ``sopkit new`` argument, an unknown library process or step id) go
through ``sopkit.cli.common.usage_error`` or ``sopkit.errors.UsageError``.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from sopkit import load_portfolio
from sopkit.analysis import cost_process
from sopkit.analysis.simulation import simulate
from sopkit.cli import app
from sopkit.errors import UsageError
from sopkit.library import new_process
from sopkit.render.costs import candidates_report, cost_report, explain_step
from sopkit.render.costs.ranges import simulation_report
from sopkit.render.sop import render_sop
from sopkit.render.sop.checklist import render_checklist

T1 = ROOT / "tests" / "fixtures" / "t1" / "cm.yaml"

#: (command line, words the message must have). Every command has at least one.
MISTAKES = [
    (["new", "webinar"], "missing argument ID"),
    (["new"], "missing arguments TEMPLATE and ID"),
    (["new", "no-such-template", "x"], "no library process 'no-such-template'"),
    (["new", "content-marketing", "Not_A_Slug"], "'Not_A_Slug' is not a valid id"),
    (["new", "content-marketing", "webinar\n"], "is not a valid id"),
    (["new", "content-marketing", "x", "--name", ""], "the name is empty"),
    (["new", "--bogus"], "No such option"),
    (["schema", "step"], "'step' is not one of"),
    (["schema", "process", "extra"], "unexpected extra argument"),
    (["cost"], "Missing argument"),
    (["cost", str(T1), "--by", "team"], "'team' is not one of"),
    (["cost", str(T1), "--format", "pdf"], "'pdf' is not one of"),
    (["cost", str(T1), "--explain", "no-such-step"], "no step 'no-such-step'"),
    (["cost", str(T1), "--explain", "nope/draft"], "no process 'nope'"),
    (["candidates", str(T1), "--top", "-1"], "-1 is out of range; use 0 to 1,000,000"),
    (["candidates", str(T1), "--min-saving", "lots"], "'lots' is not an amount"),
    (["candidates", str(T1), "--format", "xlsx"], "'xlsx' is not one of"),
    (["validate"], "Missing argument"),
    (["validate", str(T1), "--strict=maybe"], "--strict"),
    (["sop", str(T1), "--format", "docx"], "'docx' is not one of"),
    (["sop", str(T1), str(T1)], "unexpected extra argument"),
    (["checklist", str(T1), "--format", "pdf"], "'pdf' is not one of"),
    (["checklist", str(T1), "--format", "html", "-o", "list.md"], "'.md' names markdown output"),
    (["diagram", str(T1), "--format", "gif"], "'gif' is not one of"),
    (["diagram", str(T1), "--direction", "up"], "'up' is not one of"),
    (["build", str(T1), "-j", "0"], "0 is out of range; use 1 to 1,024"),
    (["simulate"], "Missing argument"),
    (["simulate", str(T1), "--years", "99"], "99 is out of range; use 100 to 1,000,000"),
    (["simulate", str(T1), "--years", "1000001"], "is out of range; use 100 to 1,000,000"),
    (["simulate", str(T1), "--seed", "-1"], "-1 is out of range; use 0 to"),
    (["simulate", str(T1), "--seed", "9" * 30], "is out of range; use 0 to"),
    (["simulate", str(T1), "--format", "pdf"], "'pdf' is not one of"),
    (["plan", str(T1)], "give --start DATE or --at MILESTONE=DATE"),
    (["plan", str(T1), "--start", "next monday"], "'next monday' is not a date"),
    (["plan", str(T1), "--at", "launch=2026-12-01"], "--at names no step: 'launch'"),
    (["plan", str(T1), "--start", "2026-12-01", "--format", "xlsx"], "'xlsx' is not one of"),
    (["report", str(T1)], "a PDF needs a file to go to"),
    (["report", str(T1), "--format", "html", "--date", "soon"], "'soon' is not a date"),
    (["report", str(T1), "--format", "html", "--paper", "A3"], "'A3' is not one of"),
    (["build"], "Missing argument"),
    (["serve", str(T1), "--port", "70000"], "70000 is out of range"),
    (["serve"], "Missing argument"),
    (["diff", str(T1)], "Missing argument"),
    (["diff", str(T1), str(T1), "--fail-over", "lots"], "'lots' is not a percentage or an amount"),
    (["diff", str(T1), str(T1), "--format", "csv"], "'csv' is not one of"),
    (["diff", ":nope", str(T1)], "is neither a file or folder nor REV:PATH"),
    (["compare", str(T1)], "give at least one --scenario FILE"),
    (["compare", str(T1), "--scenario", str(T1), "--format", "csv"], "'csv' is not one of"),
    (["export", "bpmn"], "Missing argument"),
    (["export", "bpmn", str(T1.parent)], "exporting a folder needs -o FOLDER"),
    (["export", "xpdl", str(T1)], "No such command 'xpdl'"),
    (["import", "bpmn"], "Missing argument"),
    (["import", "bpmn", str(T1)], "Missing option '-o'"),
    (["import", "bpmn", str(T1.parent), "-o", "out"], "is a directory"),
]


@pytest.mark.parametrize(
    ("argv", "words"),
    MISTAKES,
    ids=[" ".join(a.replace(str(T1), "T1") for a in argv) for argv, _ in MISTAKES],
)
def test_usage_mistakes_exit_2(argv: list[str], words: str, tmp_path: Path) -> None:
    """Exit 2, the message on stderr, nothing on stdout, nothing written."""
    result = CliRunner().invoke(app, [*argv, *(["-o", str(tmp_path)] if argv[0] == "new" else [])])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Error: " in result.stderr and words in result.stderr
    if "Usage:" in result.stderr:  # Click leaves the usage line out for a few option errors
        assert result.stderr.startswith(f"Usage: sopkit {argv[0]} ")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        # A trial's 'sopkit capacity' got only "No such command 'capacity'".
        (
            ["capacity"],
            "Error: No such command 'capacity'. Capacity and utilisation by role are in "
            "'sopkit cost PATH --by role' (their ranges in 'sopkit simulate PATH'); the site's "
            "dashboard (sopkit build) and 'sopkit report' have a Capacity section.\n",
        ),
        (["Utilization", str(T1)], "Capacity and utilisation by role are in"),
        (["workload"], "'sopkit cost PATH --by role'"),
        (["gantt", str(T1)], "No such command 'gantt'. 'sopkit plan FILE --start DATE' dates"),
        (["schedule"], "'sopkit plan FILE --start DATE' dates one run"),
        (["xlsx"], "'sopkit build PATH -o site' writes cost.xlsx"),
        # typos keep Typer's did-you-mean, and a shortened name finds its command
        (["vaidate"], "No such command 'vaidate'. Did you mean 'validate'"),
        (["sim"], "No such command 'sim'. Did you mean 'simulate'?"),
        (["zzz"], "No such command 'zzz'.\n"),
    ],
)
def test_an_unknown_command_is_told_where_what_it_asks_for_lives(
    argv: list[str], words: str
) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: sopkit [OPTIONS] COMMAND [ARGS]...")
    assert words in result.stderr


def test_every_command_an_unknown_one_is_sent_to_is_there() -> None:
    from sopkit.cli.elsewhere import ELSEWHERE

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    named = {
        word for where in ELSEWHERE.values() for word in re.findall(r"'sopkit ([a-z]+)", where)
    }
    assert named <= commands
    assert not set(ELSEWHERE) & commands


def test_usage_errors_sopkit_finds_show_the_usage_line(tmp_path: Path) -> None:
    for argv in (["new", "webinar"], ["cost", str(T1), "--explain", "x"], ["schema", "x"]):
        result = CliRunner().invoke(
            app, [*argv, *(["-o", str(tmp_path)] if argv[0] == "new" else [])]
        )
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Usage: sopkit {argv[0]} [OPTIONS]")
        assert f"Try 'sopkit {argv[0]} -h' for help." in result.stderr


def test_every_command_has_a_usage_mistake_above() -> None:
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert commands == {argv[0] for argv, _ in MISTAKES}


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "no-such-file.yaml"],
        ["validate", str(ROOT / "tests" / "corpus" / "01-unknown-step-field.yaml")],
        ["sop", str(T1), "--roles", "no-such-roles.yaml"],
    ],
)
def test_mistakes_in_the_files_still_exit_1(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1
    assert "Usage:" not in result.stderr and ": error: " in result.stderr


def test_the_library_raises_usage_errors_for_wrong_calls(tmp_path: Path) -> None:
    portfolio = load_portfolio(T1)
    process_cost = cost_process(portfolio.processes[0])
    calls = [
        lambda: cost_report(portfolio, by="team"),
        lambda: cost_report(portfolio, fmt="pdf"),
        lambda: candidates_report(portfolio, top=-1),
        lambda: candidates_report(portfolio, fmt="xlsx", min_saving=Decimal(1)),
        lambda: explain_step(portfolio, "no-such-step"),
        lambda: render_sop(process_cost, fmt="docx"),
        lambda: render_checklist(portfolio.processes[0], fmt="pdf"),
        lambda: new_process("no-such-template", "x", tmp_path),
        lambda: new_process("content-marketing", "Not_A_Slug", tmp_path),
        lambda: simulate(portfolio, years=99),
        lambda: simulate(portfolio, seed=-1),
        lambda: simulation_report(simulate(portfolio, years=100), fmt="pdf"),
    ]
    for call in calls:
        with pytest.raises(UsageError):
            call()


def test_the_cli_raises_no_bare_sopkit_errors() -> None:
    """Usage mistakes the CLI finds itself go through usage_error (exit 2), never through
    SopkitError (exit 1)."""
    for path in sorted((ROOT / "sopkit" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        raised = [
            node.exc.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and isinstance(node.exc.func, ast.Name)
        ]
        assert "SopkitError" not in raised, path.name
