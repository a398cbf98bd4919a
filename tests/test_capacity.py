"""Capacity: utilisation with fractional headcounts, worked out by hand, in every surface.

The portfolio (USD, 8 h days, 260 days: a full year is 2,080 h): ``weekly`` runs
5/month (60 runs a year): draft 30h by Writer ($40; headcount 1.5, 1,000 h each),
review 10h by Editor ($50; headcount 0.5, the full year). So:

    Writer  60 × 30 h = 1,800 h of 1.5 × 1,000 = 1,500 h: utilisation 1.2 (over)
    Editor  60 × 10 h =   600 h of 0.5 × 2,080 = 1,040 h: 600/1,040 = 0.576923…
    Intern  no headcount: utilisation undefined
"""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit import load_portfolio
from sopkit.analysis import cost_portfolio, to_decimal
from sopkit.checkup import check_files
from sopkit.render.costs import cost_report
from sopkit.render.report import annual_report
from sopkit.render.site import render_index

ROLES = """\
currency: USD
roles:
  Writer: {rate: 40, headcount: 1.5, available_hours: 1000}
  Editor: {rate: 50, headcount: 0.5}
  Intern: {rate: 20}
"""
WEEKLY = """\
sopkit: 1
id: weekly
name: Weekly report
owner: Editor
purpose: Tell the team what happened.
frequency: 5/month
steps:
  - {id: draft, name: Draft, owner: Writer, time: 30h, done_when: Drafted.}
  - {id: review, name: Review, owner: Editor, after: [draft], time: 10h, done_when: Sent.}
  - {id: file, name: File it, owner: Intern, after: [review], time: 1h, done_when: Filed.}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "weekly.yaml").write_text(WEEKLY, encoding="utf-8")
    return tmp_path


def test_utilisation_with_fractional_headcounts(folder: Path) -> None:
    roles = {r.role: r for r in cost_portfolio(load_portfolio(folder)).roles}
    writer, editor, intern = roles["Writer"], roles["Editor"], roles["Intern"]
    assert writer.annual_hours == 1800 and writer.headcount == Fraction(3, 2)
    assert writer.available_hours == 1000
    assert writer.utilisation == to_decimal(Fraction(1800, 1500)) == Fraction(6, 5)
    assert writer.over_capacity
    assert editor.available_hours == 2080  # the working year by default
    assert editor.utilisation == to_decimal(Fraction(600, 1040))
    assert not editor.over_capacity
    assert intern.utilisation is None and not intern.over_capacity


def test_the_role_table_shows_capacity_and_names_who_is_over(folder: Path) -> None:
    table = cost_report(load_portfolio(folder), by="role")
    lines = table.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("Role"))
    assert header.split()[-2:] == ["Headcount", "Utilisation"]
    writer = next(line for line in lines if line.lstrip().startswith("Writer"))
    assert writer.split()[-2:] == ["1.5", "120.00%"]
    editor = next(line for line in lines if line.lstrip().startswith("Editor"))
    assert editor.split()[-2:] == ["0.5", "57.69%"]
    intern = next(line for line in lines if line.lstrip().startswith("Intern"))
    assert intern.split()[-2:] == ["—", "—"]
    assert "Over capacity (utilisation above 100%): Writer (120.00%)." in table
    markdown = cost_report(load_portfolio(folder), by="role", fmt="markdown")
    assert "| Writer | 1 | 1,800.00 | 0.87 | $72,000.00 | 69.77% | 1.5 | 120.00% |" in markdown


def test_csv_and_json_always_have_capacity(folder: Path) -> None:
    rows = list(
        csv.DictReader(io.StringIO(cost_report(load_portfolio(folder), by="role", fmt="csv")))
    )
    writer = next(r for r in rows if r["role"] == "Writer")
    assert (writer["headcount"], writer["available_hours"], writer["utilisation"]) == (
        "1.5",
        "1000.00",
        "1.2000",
    )
    intern = next(r for r in rows if r["role"] == "Intern")
    assert (intern["headcount"], intern["available_hours"], intern["utilisation"]) == (
        "",
        "2080.00",
        "",
    )
    document = json.loads(cost_report(load_portfolio(folder), fmt="json"))
    by_role = {r["role"]: r for r in document["roles"]}
    assert by_role["Writer"]["utilisation"] == 1.2
    assert by_role["Editor"]["utilisation"] == 0.5769
    assert by_role["Intern"]["utilisation"] is None


def test_without_any_headcount_the_table_has_no_capacity_columns(folder: Path) -> None:
    (folder / "roles.yaml").write_text(
        "currency: USD\nroles:\n  Writer: {rate: 40}\n  Editor: {rate: 50}\n  Intern: {rate: 20}\n",
        encoding="utf-8",
    )
    table = cost_report(load_portfolio(folder), by="role")
    assert "Utilisation" not in table and "Headcount" not in table
    assert "utilisation" in cost_report(load_portfolio(folder), by="role", fmt="csv")


def test_validate_warns_at_the_role_over_capacity(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    (warning,) = check_files(["weekly.yaml"]).warnings
    assert warning.severity == "warning"
    assert warning.format() == (
        "roles.yaml:3:3: warning: role 'Writer' is over capacity: 1,800 hours of work a year "
        "against 1,500 hours (1.5 × 1,000), 120% (raise its headcount or available_hours, or "
        "give some of its steps to another role) [over-capacity]"
    )
    from sopkit.cli import app

    ok = CliRunner().invoke(app, ["validate", "weekly.yaml"])
    assert ok.exit_code == 0 and "roles.yaml:3:3: warning: role 'Writer'" in ok.stderr
    strict = CliRunner().invoke(app, ["validate", "weekly.yaml", "--strict"])
    assert strict.exit_code == 1


def test_a_process_own_role_is_warned_about_in_the_process(folder: Path) -> None:
    text = WEEKLY.replace(
        "frequency: 5/month\n",
        "frequency: 5/month\nroles:\n  Editor: {rate: 50, headcount: 0.25}\n",
    )
    (folder / "weekly.yaml").write_text(text, encoding="utf-8")
    warnings = check_files([folder]).warnings
    editor = next(w for w in warnings if "'Editor'" in w.message)
    assert (Path(editor.path or "").name, editor.line, editor.column) == ("weekly.yaml", 8, 3)
    assert "600 hours of work a year against 520 hours (0.25 × 2,080), 115.38%" in editor.message


def test_the_dashboard_marks_roles_over_capacity(folder: Path) -> None:
    cost = cost_portfolio(load_portfolio(folder))
    html = render_index(cost, [], [])
    chart = html[
        html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-capacity"') :
    ]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('<g class="bar over">') == 1
    assert chart.count('<g class="bar">') == 1  # Editor; Intern has no headcount
    assert "Writer · headcount 1.5" in chart and "120.00% — over capacity" in chart
    assert "Over capacity: Writer." in html


def test_the_report_draws_utilisation_against_full_capacity(folder: Path) -> None:
    html = annual_report(load_portfolio(folder), fmt="html").decode("utf-8")
    chart = html[html.index('id="report-capacity"') :]
    chart = chart[: chart.index("</div>\n</div>")]
    # The scale's top is the busiest role, Writer at 120%: Editor's 57.69% is 48.08% of
    # the width, and full capacity's line stands at 100/120 = 83.33%.
    assert re.findall(r'class="fill" style="width:([\d.]+)%"', chart) == ["100.00", "48.08"]
    assert chart.count('<div class="full" style="left:83.33%"></div>') == 2


def test_the_dashboard_has_no_capacity_section_without_headcounts(folder: Path) -> None:
    (folder / "roles.yaml").write_text(
        "currency: USD\nroles: {Writer: {rate: 40}, Editor: {rate: 50}, Intern: {rate: 20}}\n",
        encoding="utf-8",
    )
    html = render_index(cost_portfolio(load_portfolio(folder)), [], [])
    assert 'id="capacity"' not in html


def test_the_cli_prints_the_library_role_report(folder: Path) -> None:
    from sopkit.cli import app

    for fmt in ("table", "markdown", "csv", "json"):
        result = CliRunner().invoke(app, ["cost", str(folder), "--by", "role", "--format", fmt])
        assert result.exit_code == 0
        assert result.stdout == cost_report(load_portfolio(folder), by="role", fmt=fmt)


@pytest.mark.parametrize("order", [("p.yaml", "q.yaml"), ("q.yaml", "p.yaml")])
def test_a_process_rate_keeps_the_team_capacity_whatever_the_order(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    # p pays A $80 instead of $50; A's capacity (1 person, 100 h) stays the team's.
    # A works 10 h × 12 + 1 h × 12 = 132 h: 132 / 100 = 1.32, over capacity.
    (tmp_path / "roles.yaml").write_text(
        "currency: USD\nroles: {A: {rate: 50, headcount: 1, available_hours: 100}}\n",
        encoding="utf-8",
    )
    head = "sopkit: 1\nname: N\nowner: A\nfrequency: 1/month\n"
    (tmp_path / "p.yaml").write_text(
        head + "id: p\nroles: {A: {rate: 80}}\nsteps: [{id: a, name: A, owner: A, time: 10h}]\n",
        encoding="utf-8",
    )
    (tmp_path / "q.yaml").write_text(
        head + "id: q\nsteps: [{id: a, name: A, owner: A, time: 1h}]\n", encoding="utf-8"
    )
    cost = cost_portfolio(load_portfolio([tmp_path / name for name in order]))
    (role,) = cost.roles
    assert (role.annual_hours, role.annual_cost) == (132, 120 * 80 + 12 * 50)
    assert (role.headcount, role.available_hours, role.utilisation) == (1, 100, Fraction(132, 100))
    warnings = check_files([str(tmp_path / name) for name in order]).warnings
    assert [w.message for w in warnings if "over capacity" in w.message] == [
        "role 'A' is over capacity: 132 hours of work a year against 100 hours (1 × 100), 132%"
    ]


def test_capacity_warnings_round_half_up_as_the_reports_do(tmp_path: Path) -> None:
    # 801 runs × 7.5 min = 100.125 h against 100 h: 100.13 h and 100.13 %, as in `cost`.
    (tmp_path / "roles.yaml").write_text(
        "currency: USD\nroles: {A: {rate: 1, headcount: 1, available_hours: 100}}\n",
        encoding="utf-8",
    )
    (tmp_path / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: N\nowner: A\nfrequency: 801/year\n"
        "steps: [{id: a, name: A, owner: A, time: 7.5m}]\n",
        encoding="utf-8",
    )
    (warning,) = [w for w in check_files([str(tmp_path)]).warnings if "capacity" in w.message]
    assert "100.13 hours of work a year" in warning.message and "100.13%" in warning.message
    assert "100.13" in cost_report(load_portfolio(tmp_path), by="role")


def _team(folder: Path, roles: str, pid: str) -> None:
    folder.mkdir()
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    (folder / f"{pid}.yaml").write_text(
        WEEKLY.replace("id: weekly", f"id: {pid}").replace("Editor", "Writer"),
        encoding="utf-8",
    )


def test_roles_files_that_disagree_on_the_year_or_a_capacity_are_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Team a: 8 h days and a Writer headcount; team b: 7.5 h days and no headcount. The
    # portfolio's FTE and capacity follow the first file, so both orders say so.
    _team(tmp_path / "a", ROLES, "pa")
    _team(
        tmp_path / "b",
        "currency: USD\nhours_per_day: 7.5\nroles:\n  Writer: {rate: 40}\n  Intern: {rate: 20}\n",
        "pb",
    )
    monkeypatch.chdir(tmp_path)
    lines = [w.format() for w in check_files(["a", "b"]).warnings]
    assert (
        "b/roles.yaml:2:1: warning: a working year of 1,950 hours (7.5 h × 260 days), not the "
        "portfolio's 2,080 (from a/roles.yaml): the portfolio's FTE and capacity count every "
        "process in one working year, the first file's"
    ) in "\n".join(lines)
    assert (
        "b/roles.yaml:4:3: warning: role 'Writer' has another headcount or available_hours "
        "here than in a/roles.yaml, which the portfolio's capacity uses"
    ) in "\n".join(lines)
    reverse = "\n".join(w.format() for w in check_files(["b", "a"]).warnings)
    assert "a/roles.yaml:1:1: warning: a working year of 2,080 hours" in reverse
    assert "a/roles.yaml:3:3: warning: role 'Writer' has another headcount" in reverse
    # Intern is the same in both (no capacity) and one folder alone warns of neither.
    assert "'Intern'" not in reverse
    alone = "\n".join(w.format() for w in check_files(["a"]).warnings)
    assert "working year" not in alone and "another headcount" not in alone
