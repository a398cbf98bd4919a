"""The library takes what a Python user has at hand, as the CLI does for its arguments.

A path as a string, a loaded ``Process`` where costs are expected, a
``Portfolio`` where costs of processes are expected, a date as text: each
works and gives what the CLI gives for the same input; anything else is a
``UsageError`` saying what was expected, never an ``AttributeError`` from deep
inside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sopkit
from sopkit import (
    UsageError,
    as_costs,
    as_process_cost,
    callers_of,
    candidates_report,
    compare_scenarios,
    cost_among_callers,
    cost_portfolio,
    cost_process,
    cost_report,
    diff,
    diff_report,
    discover,
    draw,
    export_bpmn,
    json_schema,
    load_portfolio,
    load_process,
    plan_run,
    rank_candidates,
    render_sop,
    to_dot,
    to_mermaid,
)
from sopkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "processes" / "en"
LAUNCH = LIBRARY / "product-launch.yaml"
runner = CliRunner()


def test_one_path_as_a_string_is_one_path() -> None:
    assert discover(str(LIBRARY)) == discover([LIBRARY])
    scenario = str(ROOT / "scenarios" / "more-posts.yaml")
    one = compare_scenarios(str(LIBRARY), scenario)
    assert [r.name for r in one.results] == [
        r.name for r in compare_scenarios([LIBRARY], [scenario]).results
    ]
    with pytest.raises(UsageError, match="no scenario file given"):
        compare_scenarios(LIBRARY, [])


def test_a_process_stands_for_its_costs_alone() -> None:
    process = load_process(LAUNCH)
    cost = cost_process(process)
    assert render_sop(process) == render_sop(cost)
    assert to_dot(process) == to_dot(cost)
    assert to_mermaid(process) == to_mermaid(cost)
    assert draw(process, "svg").data == draw(cost, "svg").data
    assert draw(cost, "svg", direction="tb").data == draw(cost, "svg", direction="TB").data
    assert to_mermaid(cost, direction="tb") == to_mermaid(cost, direction="TB")
    assert export_bpmn(process) == export_bpmn(cost)
    assert as_process_cost(cost) is cost


def test_processes_stand_for_their_costs_together() -> None:
    portfolio = load_portfolio(LIBRARY)
    costs = cost_portfolio(portfolio)
    assert rank_candidates(portfolio) == rank_candidates(costs)
    assert rank_candidates(list(costs.processes)) == rank_candidates(costs)
    process = load_process(LAUNCH)
    assert cost_report(process, fmt="csv") == cost_report([process], fmt="csv")
    assert as_costs(costs) is costs
    assert as_costs(cost_process(process)).annual_cost == cost_process(process).annual_cost


@pytest.mark.parametrize("given", [object(), "processes/en", 42, [object()]])
def test_anything_else_says_what_was_expected(given: object) -> None:
    with pytest.raises(UsageError, match="expected processes or their costs"):
        as_costs(given)  # type: ignore[arg-type]
    if not isinstance(given, list):
        with pytest.raises(UsageError, match="expected a Process or a ProcessCost"):
            render_sop(given)  # type: ignore[arg-type]


def test_a_sub_procedure_alone_counts_no_calls_its_callers_do() -> None:
    """What the CLI does for one file, in Python: the callers beside it, costed together."""
    item = load_process(LIBRARY / "feature-item.yaml")
    alone = rank_candidates(cost_process(item))
    among = cost_among_callers(callers_of(item).processes)
    assert among.processes[0].called_by and not cost_process(item).called_by
    assert sum(c.net_saving for c in rank_candidates(among)) > sum(c.net_saving for c in alone)
    result = runner.invoke(
        app, ["candidates", str(LIBRARY / "feature-item.yaml"), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == candidates_report(among, fmt="csv")


def test_languages_dates_and_kinds_given_as_text() -> None:
    process = load_process(LAUNCH)
    assert process.in_language("KO").language == sopkit.Language.KO
    with pytest.raises(UsageError, match="does not speak 'xx'"):
        process.in_language("xx")
    day = dt.date(2026, 12, 1)
    assert plan_run(process, start="2026-12-01") == plan_run(process, start=day)
    assert plan_run(process, start=dt.datetime(2026, 12, 1, 9)).start == day
    assert plan_run(process, at=("launch-day", "2027-01-15")).anchor == (
        "launch-day",
        dt.date(2027, 1, 15),
    )
    with pytest.raises(UsageError, match="start '12/01/2026' is not a date"):
        plan_run(process, start="12/01/2026")
    with pytest.raises(UsageError, match="no schema for 'step'"):
        json_schema("step")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "where", [{"start": dt.date(9999, 12, 1)}, {"at": ("launch-day", dt.date(1, 1, 10))}]
)
def test_a_run_past_the_calendar_is_refused(where: dict[str, object]) -> None:
    with pytest.raises(UsageError, match="does not fit in the calendar"):
        plan_run(load_process(LAUNCH), **where)  # type: ignore[arg-type]
    args = ["--start", "9999-12-01"] if "start" in where else ["--at", "launch-day=0001-01-10"]
    result = runner.invoke(app, ["plan", str(LAUNCH), *args])
    assert result.exit_code == 2 and "does not fit in the calendar" in result.output
    assert "Traceback" not in result.output


def test_counts_below_one_are_refused() -> None:
    with pytest.raises(UsageError, match="top must be 0 or more"):
        rank_candidates(load_portfolio(LIBRARY), top=-1)
    with pytest.raises(UsageError, match="jobs must be 1 or more"):
        sopkit.build_site(LIBRARY, "unused", jobs=0)


def test_a_diff_names_its_sides(tmp_path: Path) -> None:
    changed = diff(LIBRARY, LIBRARY)
    text = diff_report(changed, fmt="json")
    assert f'"before": "{LIBRARY}"' in text and f'"after": "{LIBRARY}"' in text
    assert '"before": "old"' in diff_report(changed, fmt="json", before="old")


def test_mixed_or_empty_inputs_say_what_was_expected(tmp_path: Path) -> None:
    process = load_process(LAUNCH)
    with pytest.raises(UsageError, match="processes or their costs, not both"):
        as_costs([process, cost_process(load_process(LIBRARY / "release-post.yaml"))])
    with pytest.raises(UsageError, match="an empty path"):
        discover("")
    from pathlib import PurePath

    assert discover(PurePath(LIBRARY)) == discover(LIBRARY)
    with pytest.raises(UsageError, match="is not a milestone and a date"):
        plan_run(process, at=("launch-day",))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="start 20261201 is not a date"):
        plan_run(process, start=20261201)  # type: ignore[arg-type]
    assert plan_run(process, at="launch-day=2027-01-15") == plan_run(
        process, at=("launch-day", dt.date(2027, 1, 15))
    )


def test_the_workbook_the_ranges_and_bpmn_take_processes_too() -> None:
    from sopkit import export_portfolio, render_workbook, simulate

    process = load_process(LAUNCH)
    assert render_workbook(process) == render_workbook(cost_portfolio([process]))
    assert simulate(process, years=200) == simulate(cost_portfolio([process]), years=200)
    assert list(export_portfolio(process)) == ["product-launch.bpmn"]


def test_the_core_calls_say_what_they_expected_too() -> None:
    """A trial handed paths and results to the core calls and got ``AttributeError``s
    ('str' object has no attribute 'settings') and an ``OSError`` for a file name."""
    process = load_process(LAUNCH)
    portfolio = load_portfolio(LIBRARY)
    scenario = ROOT / "scenarios" / "more-posts.yaml"
    wrong = [
        (lambda: cost_portfolio(str(LIBRARY)), "expected processes, not str"),
        (lambda: cost_portfolio([process, LAUNCH]), "expected processes, not PosixPath"),
        (lambda: cost_process(portfolio), "expected a Process, not Portfolio"),
        (lambda: cost_process(cost_process(process)), "expected a Process, not ProcessCost"),
        (lambda: load_portfolio([process]), "expected a path, not Process"),
        (lambda: diff(process, process), "diff compares two files or folders, not a Process"),
        (lambda: sopkit.apply_scenario(LIBRARY, scenario), "expected a Portfolio, not"),
        (lambda: sopkit.apply_scenario(portfolio, scenario), "expected a Scenario, not"),
        (lambda: callers_of(LAUNCH), "expected a Process, not PosixPath"),
        (lambda: load_portfolio(process), "expected a path, not Process"),  # not its fields
        (lambda: load_portfolio(b"processes"), "expected a path, not bytes"),
        (lambda: load_portfolio(None), "expected a path, not NoneType"),
        (lambda: compare_scenarios(LIBRARY, [None]), "expected a path, not NoneType"),
        (
            lambda: sopkit.simulate_scenarios(
                dataclasses.replace(compare_scenarios(LIBRARY, scenario), to_be=())
            ),
            "these scenarios do not carry their To-Be portfolios",  # was (): pages lost
        ),
    ]
    for call, message in wrong:
        with pytest.raises(UsageError) as caught:
            call()  # type: ignore[no-untyped-call]
        assert caught.value.message.startswith(message), caught.value.message
    # one loaded process is a portfolio of one, not the fields a model iterates over
    assert cost_portfolio(process).processes[0].id == process.id


def test_loaded_scenarios_compare_as_their_files_do() -> None:
    path = ROOT / "scenarios" / "more-posts.yaml"
    other = ROOT / "scenarios" / "automate-drafting.yaml"
    by_file = compare_scenarios(LIBRARY, [path, other])
    loaded = compare_scenarios(LIBRARY, [sopkit.load_scenario(path), other])
    assert [r.name for r in loaded.results] == [r.name for r in by_file.results]
    assert loaded.results[0].comparison == by_file.results[0].comparison


def test_exported_files_replace_no_process_or_roles_file_unless_forced(tmp_path: Path) -> None:
    """As ``sopkit export bpmn`` never does without --force, nor does ``write_exports``:
    a trial's ``write_exports({'roles.yaml': ...}, folder)`` replaced the team's rates."""
    roles = tmp_path / "roles.yaml"
    roles.write_text("currency: USD\nroles: {Writer: {rate: 50}}\n", encoding="utf-8")
    files = {"a.bpmn": b"<definitions/>", "roles.yaml": b"x"}
    with pytest.raises(sopkit.OutputError, match="output would overwrite a roles file"):
        sopkit.write_exports(files, tmp_path)
    assert (
        roles.read_text(encoding="utf-8").startswith("currency")
        and not (tmp_path / "a.bpmn").exists()
    )  # checked before anything is written
    written = sopkit.write_exports(files, tmp_path, force=True)
    assert (
        sorted(p.name for p in written) == ["a.bpmn", "roles.yaml"] and roles.read_bytes() == b"x"
    )
