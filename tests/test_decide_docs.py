"""The deciding guide's diff, scenario and capacity examples are what the commands do."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ENGLISH, ROOT
from test_diff import commit, git
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.decide import apply_scenario, compare_scenarios, load_scenario
from sopkit.load import load_portfolio

SECTION = (ROOT / "docs" / "deciding.md").read_text(encoding="utf-8")


def _edit(text: str) -> str:
    """The edit the guide describes: a fact-check step, rework 0.3 → 0.2."""
    text = text.replace(
        "    rework: {to: draft, probability: 0.3}     # about 3 drafts in 10 go back for a "
        "rewrite",
        "    rework: {to: draft, probability: 0.2}     # a tighter brief: 2 drafts in 10 go back",
    )
    graphics = "  - id: graphics\n    name: Graphics\n    owner: Designer\n    after: [edit]"
    assert graphics in text
    return text.replace(
        graphics,
        "  - id: fact-check\n    name: Fact check\n    owner: Editor\n    after: [edit]\n"
        "    time: 30m..1h\n    done_when: Every statistic and quote links to its source.\n\n"
        "  - id: graphics\n    name: Graphics\n    owner: Designer\n    after: [fact-check]",
    )


def test_the_readme_diff_example_is_the_commands_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ENGLISH, repo / "processes" / "en")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {}, "the library")
    blog = repo / "processes" / "en" / "content-marketing.yaml"
    blog.write_text(_edit(blog.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(
        app, ["diff", "HEAD:processes/en/", "processes/en/", "--format", "markdown"]
    )
    assert result.exit_code == 0, result.stderr
    shown = re.search(
        r"<!-- sopkit diff example: a test keeps it the command's output -->\n(.*?)"
        r"<!-- end of the sopkit diff example -->",
        SECTION,
        flags=re.S,
    )
    assert shown is not None
    assert shown.group(1) == result.stdout
    assert result.stdout.startswith(
        "Annual total cost -$226.43 (-0.06%), 1 process changed, 1 step added"
    )


def test_the_readme_scenario_applies_to_the_english_portfolio(tmp_path: Path) -> None:
    (block,) = re.findall(r"```yaml\n(sopkit-scenario: 1.*?)```", SECTION, flags=re.S)
    path = tmp_path / "scenario.yaml"
    path.write_text(block, encoding="utf-8")
    to_be = apply_scenario(load_portfolio(ENGLISH), load_scenario(path))
    blog = next(p for p in to_be.portfolio if p.id == "content-marketing")
    assert str(blog.frequency) == "6/month"
    assert [a.step_id for a in to_be.automated] == ["draft"]


def test_the_example_scenarios_compare_with_the_english_portfolio() -> None:
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert [f.name for f in files] == ["automate-drafting.yaml", "more-posts.yaml"]
    for file in files:
        assert f"scenarios/{file.name}" in SECTION
    view = compare_scenarios(ENGLISH, files)
    automated = view.results[0]
    assert automated.comparison.total_cost.change < 0  # automating saves
    assert len(automated.one_offs) == 3


def test_the_readme_names_every_change_kind_and_the_exit_statuses() -> None:
    for word in (
        "automate",
        "rates",
        "headcount",
        "set",
        "remove",
        "--fail-over",
        "exit\nstatus 3",
    ):
        assert word in SECTION, word


def test_the_format_reference_scenario_applies_to_the_english_portfolio(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("## Scenario files", 1)[1].split("\n## ", 1)[0]
    block, hire = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    path = tmp_path / "scenario.yaml"
    path.write_text(block, encoding="utf-8")
    to_be = apply_scenario(load_portfolio(ENGLISH), load_scenario(path))
    assert [(a.process_id, a.step_id) for a in to_be.automated] == [
        ("content-marketing", "draft"),
        ("ppc-search-ads", "report"),
    ]
    for kind in ("automate", "rates", "headcount", "set", "remove"):
        assert f"| `{kind}` |" in section
    # The hire's recipe: 6,000 a month is 72,000 a year more, and the designer's capacity.
    path.write_text(hire, encoding="utf-8")
    (result,) = compare_scenarios(ENGLISH, [path]).results
    assert result.comparison.total_cost.change == 72000


def test_the_guides_figures_on_funding_a_scenario_are_the_commands() -> None:
    """The guide's worked example of a scenario's first year, labour and cost per run
    (docs/deciding.md, "Is it worth funding?") is what compare computes."""
    from sopkit.render.costs.scenarios import scenarios_report

    view = compare_scenarios(ENGLISH, sorted((ROOT / "scenarios").glob("*.yaml")))
    markdown = scenarios_report(view, fmt="markdown")
    for said in ("171.05%", "$4,358.49", "$960", " 648)", "$549.63", "$672.99", "101.36"):
        assert said in SECTION, said
    assert "|  | First-year ROI | — | 171.05% | — |" in markdown
    assert "|  | Total cost per run | $672.99 | $644.77 | $549.63 |" in markdown
    automate, posts = view.results
    assert f"{float(-automate.comparison.totals['annual_hours'].change):.2f}" == "101.36"
    assert automate.setup_cost == 648 and automate.tool_cost == 960
    blog = next(r for r in posts.comparison.processes if r.key == ("content-marketing",))
    assert f"{float(blog.total.change):,.2f}" == "7,269.57" and "$7,269.57" in SECTION
