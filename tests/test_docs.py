"""The README is the front door: its examples must work and every command must be in it."""

from __future__ import annotations

import html
import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from sopkit import load_portfolio, load_process
from sopkit.analysis import cost_process
from sopkit.cli import app
from sopkit.render.costs import cost_report
from sopkit.render.numbers import money_text

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.S)


def _commands() -> dict[str, object]:
    """Every command by the words that call it, groups' commands too (``export bpmn``)."""
    found: dict[str, object] = {}
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        found[name] = command
        for sub, inner in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = inner
    return found


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
        # Examples are kept as typed (click's \\b): a path is never broken across lines.
        assert re.search(rf"\bExamples:\n +sopkit {name}", help_text), f"{name}: no example"
        assert f"sopkit {name}" in README, f"README does not show 'sopkit {name}'"


def test_every_command_help_runs() -> None:
    runner = CliRunner()
    for name in _commands():
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # In a folder of its own (it writes cost.json), with the library at hand.
    (tmp_path / "processes").symlink_to(ROOT / "processes")
    monkeypatch.chdir(tmp_path)
    (block,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4  # the total and three candidates
    written = json.loads((tmp_path / "cost.json").read_text(encoding="utf-8"))
    assert len(written["processes"]) == len(list((ROOT / "processes" / "en").glob("*.y*ml"))) - 1


def _main_command_folder() -> str:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"sopkit build (\S+) -o (\S+)", quickstart)
    assert found, "the quickstart builds a site"
    return found.group(1)


def test_the_main_command_builds_one_portfolio_with_each_process_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README's main command shows is a portfolio a team could own: each process
    once, one currency, and the dashboard's total is ``sopkit cost``'s total."""
    monkeypatch.chdir(ROOT)
    folder = _main_command_folder()
    runner = CliRunner()
    built = runner.invoke(app, ["build", folder, "-o", str(tmp_path / "site"), "-q"])
    assert built.exit_code == 0, built.output
    report = json.loads((tmp_path / "site" / "cost.json").read_text("utf-8"))
    ids = [p["id"] for p in report["processes"]]
    names = [p["name"] for p in report["processes"]]
    assert len(ids) == len(set(ids)) >= 8 and len(names) == len(set(names))
    languages = {load_process(ROOT / folder / f"{i}.yaml").language.value for i in ids}
    assert languages == {"en"}  # no translation of a process counted beside its original

    cost = runner.invoke(app, ["cost", folder, "--format", "json"])
    assert cost.exit_code == 0, cost.output
    assert json.loads(cost.stdout) == report
    total = money_text(Decimal(str(report["total_annual_cost"])), report["currency"])
    index = html.unescape((tmp_path / "site" / "index.html").read_text("utf-8"))
    # With cash costs the headline's labour is the JSON's annual cost, its total the total.
    label = "Labour cost" if report["total_annual_expenses"] else "Annual cost"
    shown = re.search(rf'class="label">{label}</div>\s*<div class="value">([^<]+)<', index)
    assert shown and shown.group(1) == total
    everything = money_text(Decimal(str(report["total_annual_total_cost"])), report["currency"])
    assert f'<div class="value">{everything}</div>' in index
    table = runner.invoke(app, ["cost", folder, "--by", "process"]).stdout
    assert re.search(rf"^ Total .* {re.escape(total)}( |$)", table, flags=re.M)
    assert f"{report['currency']}, {len(ids)} processes" in table


def test_the_readme_library_table_is_the_commands_output() -> None:
    """The README shows `sopkit cost processes/en/ --by process --format markdown`."""
    assert "`sopkit cost processes/en/ --by process --format\nmarkdown`" in README
    table = cost_report(load_portfolio(ROOT / "processes" / "en"), by="process", fmt="markdown")
    rows = [line for line in table.splitlines() if line.startswith("|")]
    assert [line for line in rows if line not in README] == []


def test_readme_additions_example_loads_and_costs(tmp_path: Path) -> None:
    """The two indented examples of the additions: kinds in roles.yaml, then the steps."""
    roles, steps = (textwrap.dedent(block) for block in _yaml_blocks()[2:4])
    (tmp_path / "roles.yaml").write_text(
        "currency: USD\n" + roles.replace("# roles.yaml: kinds and capacity\n", ""),
        encoding="utf-8",
    )
    head = "sopkit: 1\nid: launch\nname: Launch\nowner: Product Marketing Manager\n"
    (tmp_path / "launch.yaml").write_text(head + "frequency: 2/month\n" + steps, "utf-8")
    (tmp_path / "asset.yaml").write_text(
        "sopkit: 1\nid: asset\nname: Asset\nowner: Product Marketing Manager\nsteps:\n"
        "  - {id: a, name: A, owner: Product Marketing Manager, time: 1h}\n",
        encoding="utf-8",
    )
    cost = cost_process(load_process(tmp_path / "launch.yaml"))
    press = cost.step("press")
    # 4 h × 0.3 of runs × 2 runs a month × 12 × $150 = $4,320; cash $500 × 0.3 × 24 = $3,600.
    assert (press.annual_cost, press.annual_expenses) == (4320, 3600)
    assert press.external_hours == Decimal("28.8")
    # Brief: 1.5 h × 24 runs × ($70 + $80 + $0): the customer is outside the team.
    assert cost.step("brief").annual_cost == 5400 and cost.step("brief").external_hours == 36
    # Assets: 3..7 runs 5 assets a launch, 1 h × $70 each: 5 × 24 × $70.
    assert cost.step("assets").annual_cost == 8400
    assert cost.step("live").annual_cost == 0
    assert cost.annual_expenses == 3600 + 1200


#: The guides the README's table points to, one per job.
GUIDES = ("site", "costing", "deciding", "documents", "plans", "bpmn", "templates", "ranges")


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file, outside code blocks."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


def _headings(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize(
    "document", ["README.md", *(f"docs/{name}.md" for name in (*GUIDES, "format", "robustness"))]
)
def test_every_relative_link_of_the_docs_resolves(document: str) -> None:
    source = ROOT / document
    for target in _links(source):
        file, _, anchor = target.partition("#")
        path = (source.parent / file).resolve() if file else source
        assert path.exists(), f"{document}: {target} does not exist"
        if anchor and path.suffix == ".md":
            assert anchor in _headings(path), f"{document}: no heading for {target}"


def test_the_readme_points_to_every_guide() -> None:
    for name in GUIDES:
        assert f"](docs/{name}.md)" in README, name
    assert len(README.splitlines()) < 500  # the front door: the rest is in the guides
