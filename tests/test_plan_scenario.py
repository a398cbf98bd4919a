"""``sopkit plan --scenario``: a process dated as a scenario would leave it (its To-Be)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.analysis.plan import plan_run
from sopkit.cli import app
from sopkit.decide import scenario_process
from sopkit.errors import SopkitError
from sopkit.render.plan import render_plan

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
calendar:
  weekend: [sat, sun]
roles:
  Writer: {rate: 40, headcount: 1}
  Editor: {rate: 50}
"""

#: Two days of writing side by side, then a review: one writer does them one after the other.
TWIN = """\
sopkit: 1
id: twin
name: Twin posts
owner: Editor
frequency: 1/month
steps:
  - {id: a, name: First post, owner: Writer, time: 1d, automation: {share: 0.5, tool: Drafts}}
  - {id: b, name: Second post, owner: Writer, time: 1d}
  - {id: c, name: Review, owner: Editor, time: 4h, after: [a, b]}
"""

#: A process beside it, which the scenario also changes.
OTHER = """\
sopkit: 1
id: other
name: Other
owner: Editor
frequency: 1/month
steps:
  - {id: x, name: Check, owner: Editor, time: 2h, automation: {share: 0.5}}
"""

SCENARIO = """\
sopkit-scenario: 1
name: Drafts and a second writer
changes:
  - automate: [twin/a, other/x]
  - headcount: {Writer: 2}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "twin.yaml").write_text(TWIN, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(OTHER, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


def _days(plan: object) -> dict[str, tuple[str, str]]:
    return {s.step_id: (s.start.isoformat(), s.finish.isoformat()) for s in plan.steps}  # type: ignore[attr-defined]


def test_a_scenario_shortens_automated_steps_and_gives_level_its_headcount(folder: Path) -> None:
    """As it is, levelled: one writer writes a on Tue 1 Dec and b on Wed 2 Dec; the review
    is Thu 3 Dec. Under the scenario a takes 4 h (half automated) and two writers write
    side by side, so both end on Tue 1 Dec and the review follows that afternoon."""
    from sopkit.load import load_process

    as_is = plan_run(load_process(folder / "twin.yaml"), start="2026-12-01", level=True)
    assert _days(as_is) == {
        "a": ("2026-12-01", "2026-12-01"),
        "b": ("2026-12-02", "2026-12-02"),
        "c": ("2026-12-03", "2026-12-03"),
    }
    process, scenario = scenario_process(folder / "twin.yaml", folder / "scenario.yaml")
    assert scenario.name == "Drafts and a second writer"
    assert str(process.step("a").time) == "0.5d"  # 1d, half of it automated
    to_be = plan_run(process, start="2026-12-01", level=True, scenario=scenario.name)
    assert _days(to_be) == {
        "a": ("2026-12-01", "2026-12-01"),
        "b": ("2026-12-01", "2026-12-01"),
        "c": ("2026-12-02", "2026-12-02"),
    }
    assert to_be.lead_time_days == Decimal("1.5")
    assert to_be.scenario == "Drafts and a second writer" and as_is.scenario is None


def test_every_format_names_the_scenario(folder: Path) -> None:
    process, scenario = scenario_process(folder / "twin.yaml", folder / "scenario.yaml")
    plan = plan_run(process, start="2026-12-01", scenario=scenario.name)
    named = "Twin posts (scenario: Drafts and a second writer)"
    assert render_plan(plan, "table").data.decode().startswith(f"Plan for {named}: ")
    assert json.loads(render_plan(plan, "json").data)["scenario"] == scenario.name
    assert f"X-WR-CALNAME:{named}" in render_plan(plan, "ics").data.decode()
    assert f"Plan: {named}" in render_plan(plan, "svg").data.decode()


def test_cli_plans_the_to_be(folder: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "plan",
            str(folder / "twin.yaml"),
            "--start",
            "2026-12-01",
            "--level",
            "--scenario",
            str(folder / "scenario.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    twice = CliRunner().invoke(
        app,
        ["plan", str(folder / "twin.yaml"), "--start", "2026-12-01"]
        + ["--scenario", str(folder / "scenario.yaml")] * 2,
    )
    assert twice.exit_code == 2 and "takes one scenario file here" in twice.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == "Drafts and a second writer"
    assert data["finish"] == "2026-12-02"
    # what the scenario moved: b from Wed to Tue, the review from Thu to Wed
    assert data["as_is"] == {"start": "2026-12-01", "finish": "2026-12-03", "lead_time_days": 2.5}
    moved = {s["step"]: (s["moved_days"], s["as_is_finish"]) for s in data["steps"]}
    assert moved == {"a": (0, "2026-12-01"), "b": (-1, "2026-12-02"), "c": (-1, "2026-12-03")}


def test_a_scenario_plan_says_what_moved(folder: Path) -> None:
    from sopkit.decide import plan_scenario

    planned = plan_scenario(
        folder / "twin.yaml", folder / "scenario.yaml", start="2026-12-01", level=True
    )
    plan = planned.plan
    assert plan.baseline is not None and plan.moved("c") == -1
    table = render_plan(plan, "table").data.decode()
    assert (
        "As it is: 2026-12-01 to 2026-12-03, 2.5 working days. With the scenario the run "
        "starts the same day and ends 1 working day earlier." in table
    )
    assert "Moved (days)" in table
    csv = render_plan(plan, "csv").data.decode().splitlines()
    assert csv[0].endswith(",moved_days,as_is_finish")
    assert csv[-1].endswith(",-1,2026-12-03")
    # a plan without a scenario has the columns empty, and no note
    as_is = plan_run(plan.process, start="2026-12-01")
    assert "As it is" not in render_plan(as_is, "table").data.decode()
    assert render_plan(as_is, "csv").data.decode().splitlines()[1].endswith(",,")


def test_a_scenario_that_removes_the_process_leaves_nothing_to_plan(folder: Path) -> None:
    (folder / "gone.yaml").write_text(
        "sopkit-scenario: 1\nname: Drop it\nchanges:\n  - remove: twin\n", encoding="utf-8"
    )
    with pytest.raises(SopkitError, match="scenario 'Drop it' removes process 'twin'"):
        scenario_process(folder / "twin.yaml", folder / "gone.yaml")
    result = CliRunner().invoke(
        app,
        ["plan", str(folder / "twin.yaml"), "--start", "2026-12-01", "--scenario"]
        + [str(folder / "gone.yaml")],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{folder / 'gone.yaml'}: error: scenario 'Drop it' removes process 'twin': "
        "it has no run to plan"
    )


def test_a_scenario_mistake_is_located_in_the_scenario_file(folder: Path) -> None:
    (folder / "typo.yaml").write_text(
        "sopkit-scenario: 1\nname: Typo\nchanges:\n  - automate: twin/zzz\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        ["plan", str(folder / "twin.yaml"), "--start", "2026-12-01", "--scenario"]
        + [str(folder / "typo.yaml")],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{folder / 'typo.yaml'}:4:")
    assert "zzz" in result.stderr


def test_a_scenario_that_leaves_the_process_alone_says_so(folder: Path) -> None:
    (folder / "other-only.yaml").write_text(
        "sopkit-scenario: 1\nname: Other only\nchanges:\n  - automate: other/x\n",
        encoding="utf-8",
    )
    args = ["plan", str(folder / "twin.yaml"), "--start", "2026-12-01", "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--scenario", str(folder / "other-only.yaml")])
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "note: scenario 'Other only' changes nothing in this plan of twin: it is its plan as "
        "it is\n"
    )
    # A rate changes the cost, not one date: nothing to see in the plan either.
    (folder / "rate.yaml").write_text(
        "sopkit-scenario: 1\nname: Rate\nchanges:\n  - rates: {Editor: 90}\n", encoding="utf-8"
    )
    rate = CliRunner().invoke(app, [*args, "--scenario", str(folder / "rate.yaml")])
    assert "note: scenario 'Rate' changes nothing in this plan of twin" in rate.stderr
    changed = CliRunner().invoke(app, [*args, "--scenario", str(folder / "scenario.yaml")])
    assert changed.exit_code == 0 and "changes nothing" not in changed.stderr


def test_a_scenario_plan_is_a_calendar_run_of_its_own(folder: Path) -> None:
    """Its events do not take the place of the plan as it is in a calendar holding both."""
    from sopkit.load import load_process

    as_is = render_plan(plan_run(load_process(folder / "twin.yaml"), start="2026-12-01"), "ics")
    assert "UID:twin-a-20261201@" in as_is.data.decode()
    process, scenario = scenario_process(folder / "twin.yaml", folder / "scenario.yaml")
    plan = plan_run(process, start="2026-12-01", scenario=scenario.name)
    to_be = render_plan(plan, "ics").data.decode()
    assert "UID:twin-a-20261201-drafts-and-a-second-writer@" in to_be
    assert "UID:twin-a-20261201@" not in to_be
    assert "Process: Twin posts (scenario: Drafts and a second writer)" in to_be


def test_a_scenario_plan_keeps_its_own_run_and_no_other(folder: Path) -> None:
    """Planned again over its own file, a scenario's run keeps its name (its events move);
    over the file of a scenario whose name merely ends the same, it is a run of its own."""
    process, scenario = scenario_process(folder / "twin.yaml", folder / "scenario.yaml")
    first = render_plan(plan_run(process, start="2026-12-01", scenario=scenario.name), "ics")
    moved = plan_run(process, start="2026-12-08", scenario=scenario.name)
    again = render_plan(moved, "ics", previous=first.data).data.decode()
    assert "UID:twin-a-20261201-drafts-and-a-second-writer@" in again  # the same run, moved
    other = plan_run(process, start="2026-12-01", scenario="More drafts and a second writer")
    longer = render_plan(other, "ics").data
    shorter = render_plan(plan_run(process, start="2026-12-01", scenario=scenario.name), "ics")
    text = render_plan(
        plan_run(process, start="2026-12-01", scenario=scenario.name), "ics", previous=longer
    ).data.decode()
    assert "UID:twin-a-20261201-drafts-and-a-second-writer@" in text
    assert shorter.data.decode().count("BEGIN:VEVENT") == 3


def test_a_step_the_scenario_removes_is_said(folder: Path) -> None:
    """It is no row to mark: the note names it."""
    from sopkit.decide import plan_scenario

    (folder / "rm.yaml").write_text(
        "sopkit-scenario: 1\nname: No second post\nchanges:\n  - remove: twin/b\n",
        encoding="utf-8",
    )
    plan = plan_scenario(folder / "twin.yaml", folder / "rm.yaml", start="2026-12-01").plan
    assert plan.moved("b") is None
    assert "In the run as it is, not in this one: b." in render_plan(plan, "table").data.decode()


def test_a_scenario_plan_whose_as_is_cannot_be_planned_has_no_baseline(folder: Path) -> None:
    """--at a milestone only the scenario's run has: the plan as it is cannot be placed by
    it, so the scenario's plan stands alone instead of failing."""
    from sopkit.decide import plan_scenario

    gated = (
        TWIN.replace(
            "frequency: 1/month\n",
            "frequency: 1/month\nconditions:\n  big: {question: Big?, share: 0.2}\n",
        )
        + "  - {id: m, name: Live, milestone: true, after: c, when: big}\n"
    )
    (folder / "twin.yaml").write_text(gated, encoding="utf-8")
    (folder / "big.yaml").write_text(
        "sopkit-scenario: 1\nname: Always big\nchanges:\n"
        "  - set: {process: twin, conditions: {big: {question: Big?, share: 0.9}}}\n",
        encoding="utf-8",
    )
    planned = plan_scenario(folder / "twin.yaml", folder / "big.yaml", at="m=2026-12-30")
    assert planned.plan.baseline is None and planned.changed
    assert planned.plan.step("m").finish.isoformat() == "2026-12-30"
    # from a start date both runs are planned: 'm', in the scenario's run only, is new
    plan = plan_scenario(folder / "twin.yaml", folder / "big.yaml", start="2026-12-01").plan
    assert plan.baseline is not None and plan.moved("m") is None
    rows = render_plan(plan, "csv").data.decode().splitlines()
    assert [r for r in rows if r.startswith("m,")][0].endswith(",,")
    assert re.search(r"Live .* new$", render_plan(plan, "table").data.decode(), re.M)
