"""``sopkit build --scenario``: the scenario page, its link from the dashboard, its figures."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.analysis.simulation import simulate
from sopkit.build import SCENARIO_PAGE, build_site
from sopkit.decide import compare_scenarios, simulate_scenarios
from sopkit.errors import SopkitError
from sopkit.render.costs.diff import figure_text
from sopkit.render.i18n import catalogue
from sopkit.render.site.scenarios import render_scenarios

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"
EXAMPLES = Path(__file__).resolve().parents[1] / "processes" / "en"
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

SCENARIO = """\
sopkit-scenario: 1
name: "Automate <social> & collect"
changes:
  - automate: [blog/social, newsletter/collect]
  - remove: blog/proofread
  - headcount: {Editor: 1}
"""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_the_page_is_written_and_linked_from_the_dashboard(tmp_path: Path, scenario: Path) -> None:
    built = build_site([FIXTURE], tmp_path / "site", scenarios=[scenario])
    assert SCENARIO_PAGE in built.files
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert index.count(f'href="{SCENARIO_PAGE}"') == 2  # the navigation and the reports
    page = (tmp_path / "site" / SCENARIO_PAGE).read_text("utf-8")
    assert 'href="index.html"' in page
    # Names are text: the scenario's and the processes'.
    assert "Automate &lt;social&gt; &amp; collect" in page and "<social>" not in page
    assert "<script>alert" not in page


def test_the_page_shows_the_comparison_figures(tmp_path: Path, scenario: Path) -> None:
    view = compare_scenarios([FIXTURE], [scenario])
    (result,) = view.results
    page = html.unescape(render_scenarios(view))
    currency = result.comparison.currency
    total = result.comparison.total_cost
    assert figure_text("annual_total_cost", total.before, currency) in page
    assert figure_text("annual_total_cost", total.after, currency) in page
    assert figure_text("annual_cost", result.setup_cost, currency) in page
    # One pair of bars per process, As-Is and To-Be.
    chart = page[page.index('class="chart chart-pairs"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('<g class="pair">') == 3
    assert chart.count('class="before"') == chart.count('class="after"') == 3
    # What it changes: the removed step and the automated ones.
    assert "blog/proofread" in page and "removed" in page
    assert re.search(r"blog/social.*?changed", page, flags=re.S)


def test_a_site_without_scenarios_has_no_page_and_no_link(tmp_path: Path) -> None:
    built = build_site([FIXTURE], tmp_path / "site")
    assert SCENARIO_PAGE not in built.files
    assert SCENARIO_PAGE not in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_a_broken_scenario_stops_the_build_before_anything_is_written(
    tmp_path: Path, scenario: Path
) -> None:
    scenario.write_text(SCENARIO.replace("blog/social", "blog/socal"), encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        build_site([FIXTURE], tmp_path / "site", scenarios=[scenario])
    (problem,) = caught.value.problems
    assert problem.format() == (
        f"{scenario}:4:16: error: process 'blog' has no step 'socal' (did you mean 'social'?)"
    )
    assert not (tmp_path / "site").exists()


def test_the_cli_builds_the_page(tmp_path: Path, scenario: Path) -> None:
    from sopkit.cli import app

    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["build", str(FIXTURE), "-o", str(out), "--scenario", str(scenario), "-q"]
    )
    assert result.exit_code == 0, result.stderr
    view = compare_scenarios([FIXTURE], [scenario])
    assert (out / SCENARIO_PAGE).read_text("utf-8") == render_scenarios(view)


def test_golden(scenario: Path, golden: Callable[[str, str], None]) -> None:
    view = compare_scenarios([FIXTURE], [scenario])
    golden("build/scenarios.html", render_scenarios(view).replace(str(scenario), "scenario.yaml"))


# --- the report's scenario page ---------------------------------------------------------------


def test_the_report_has_a_page_on_each_scenario(scenario: Path) -> None:
    """What a reader who decides needs: each scenario's figures before and after, its
    one-off setup and payback, the automations it takes as done; names as text."""
    from conftest import stand_in_simulation

    from sopkit.render.report import render_report
    from sopkit.render.report.scenarios import scenario_pages

    view = compare_scenarios([FIXTURE], [scenario])
    (result,) = view.results
    ranges = stand_in_simulation(view.as_is, years=100, seed=1)
    page = render_report(view.as_is, ranges=ranges, scenarios=view)
    assert '<section class="page" id="scenarios">' in page
    assert "<h3>Automate &lt;social&gt; &amp; collect</h3>" in page
    shown = html.unescape(page[page.index('id="scenarios"') : page.index('id="method"')])
    currency = result.comparison.currency
    total = result.comparison.total_cost
    for value in (total.before, total.after):
        assert figure_text("annual_total_cost", value, currency) in shown
    assert figure_text("annual_cost", result.setup_cost, currency) in shown
    (data,) = scenario_pages(view, catalogue("en"))
    assert [a["step"] for a in data["automated"]] == [
        f"{o.process_id}/{o.step_id}" for o in result.one_offs
    ]
    # without scenarios, no page
    assert 'id="scenarios"' not in render_report(view.as_is, ranges=ranges)


def test_the_report_command_and_the_site_add_the_scenario_page(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.build
    from sopkit.cli import app
    from sopkit.render.report import annual_report

    view = compare_scenarios([FIXTURE], [scenario])
    day = datetime.date(2026, 5, 4)
    args = ["report", str(FIXTURE), "--format", "html", "--date", day.isoformat()]
    result = CliRunner().invoke(app, [*args, "--scenario", str(scenario)])
    assert result.exit_code == 0, result.stderr
    expected = annual_report(
        view.as_is,
        fmt="html",
        date=day,
        ranges=simulate(view.as_is),
        scenarios=view,
        scenario_ranges=simulate_scenarios(view),
    )
    assert result.stdout.encode("utf-8") == expected and b'id="scenarios"' in expected
    # each To-Be simulated as the As-Is is: the Editor's years over capacity, before and after
    assert re.search(r"Editor: headcount 0\.5 → 1; .*of simulated years", result.stdout)
    # the site's report.pdf prints the same page: the HTML the build prints has it
    printed: list[str] = []
    monkeypatch.setattr(sopkit.build, "_pdf_problem", lambda printer: None)
    monkeypatch.setattr(
        sopkit.build, "cached_pdf", lambda text, *a, **k: printed.append(text) or b"%PDF"
    )
    build_site([FIXTURE], tmp_path / "site", scenarios=[scenario], diagrams=False)
    assert len(printed) == 1 and 'id="scenarios"' in printed[0]


def test_the_report_and_the_workbook_take_the_scenarios_either_way(scenario: Path) -> None:
    """``scenarios=`` is what ``compare_scenarios`` returns, or its ``results``, in both (a
    Python user mixed them up and got a bare TypeError)."""
    from sopkit.render.report import render_report
    from sopkit.render.workbook import render_workbook

    view = compare_scenarios([FIXTURE], [scenario])
    assert render_workbook(view.as_is, scenarios=view) == render_workbook(
        view.as_is, scenarios=view.results
    )
    assert render_report(view.as_is, scenarios=view) == render_report(
        view.as_is, scenarios=view.results
    )


def test_the_report_s_scenario_page_says_what_a_hire_does_to_capacity(tmp_path: Path) -> None:
    """A hire's page showed only its cost: it now says the role's headcount and utilisation
    before and after, and that the role is no longer over capacity (the fixture's Editor,
    half a person with 200 hours, is over it)."""
    from sopkit.render.report import render_report

    hire = tmp_path / "hire.yaml"
    hire.write_text(
        "sopkit-scenario: 1\nname: Hire\nchanges:\n  - headcount: {Editor: 5}\n",
        encoding="utf-8",
    )
    view = compare_scenarios([FIXTURE], [hire])
    page = html.unescape(render_report(view.as_is, scenarios=view))
    shown = page[page.index('id="scenarios"') : page.index('id="method"')]
    assert re.search(
        r"Editor: headcount 0\.5 → 5; utilisation [\d.,]+% → [\d.,]+%; no longer over capacity",
        shown,
    ), shown
    # with the simulations, how often too (stand-ins: NumPy's random streams may change)
    from dataclasses import replace
    from decimal import Decimal

    from conftest import stand_in_simulation

    from sopkit.analysis.simulation.result import Range, RoleRanges

    def over(share: str) -> tuple[RoleRanges, ...]:
        hours = Range(Decimal(250), Decimal(200), Decimal(250), Decimal(300))
        return (RoleRanges("Editor", hours, Decimal(100), None, Decimal(share)),)

    ranges = replace(stand_in_simulation(view.as_is, years=200, seed=1), roles=over("0.91"))
    after = [replace(ranges, roles=over("0"))]
    page = html.unescape(
        render_report(view.as_is, ranges=ranges, scenarios=view, scenario_ranges=after)
    )
    assert "over capacity in 91.00% → 0.00% of simulated years" in page


def test_a_role_the_scenario_takes_all_work_from_gets_no_capacity_line(tmp_path: Path) -> None:
    """Removing every Editor step removes the role's row: its line showed the figures from
    before as its new ones and called it no longer over capacity (a review)."""
    from sopkit.render.report.scenarios import scenario_pages

    gone = tmp_path / "gone.yaml"
    gone.write_text(
        "sopkit-scenario: 1\nname: No editing\nchanges:\n"
        "  - remove: [blog/edit, launch-ko/review]\n",
        encoding="utf-8",
    )
    view = compare_scenarios([FIXTURE], [gone])
    (result,) = view.results
    editor = next(r for r in result.comparison.roles if r.key[0] == "Editor")
    assert editor.status.value == "removed"
    (page,) = scenario_pages(view, catalogue("en"))
    assert all(role["name"] != "Editor" for role in page["roles"])


def test_a_process_only_others_run_has_no_bar_in_a_scenario_s_chart() -> None:
    """Its year is its callers' (as on the dashboard): the library's feature write-up drew
    a bar of $0.00 → $0.00 under the eleven processes a scenario compares."""
    root = Path(__file__).resolve().parent.parent
    view = compare_scenarios(
        [root / "processes" / "en"], [root / "scenarios" / "automate-drafting.yaml"]
    )
    page = render_scenarios(view)
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-scenario-1-title".*?</svg>', page, re.S)
    assert chart is not None
    assert "Monthly release post" in chart.group(0)
    assert "Release post feature write-up" not in chart.group(0)


def test_every_change_is_the_exact_difference_rounded_once() -> None:
    """Automating the blog's first draft (content-marketing/draft, 15%): the draft is a
    PERT mean of (3 + 4·4 + 6) / 6 = 25/6 h, × 1/(1 − 0.3) rewrites × 48 runs at $40, so
    $80,000/7 = $11,428.571…; 85% of it $68,000/7 = $9,714.285…; the change -$12,000/7 =
    -$1,714.2857… is -$1,714.29 (as the workbook's To-Be sheet and the candidate's gross
    saving say it), not $9,714.29 − $11,428.57 = -$1,714.28. The scenario's total and its
    automation potential both fall by the three steps' net savings, $9,480/7 + $1,170 +
    $4,371/5 = $118,947/35 = $3,398.4857…: -$3,398.49 on both lines, not -$3,398.48 on
    one (its two figures, $45,172.49 → $41,774.01, differ by that)."""
    from sopkit.render.costs.scenarios import scenarios_report
    from sopkit.render.report.scenarios import scenario_pages

    view = compare_scenarios(EXAMPLES, [SCENARIOS / "automate-drafting.yaml"])
    page = render_scenarios(view)
    row = re.search(r"First draft.*?</tr>", page, re.S)
    assert row is not None and "-$1,714.29" in row.group(0), row
    role = re.search(r"Content Writer</span>.*?</tr>", page, re.S)
    assert role is not None and "-$1,714.29" in role.group(0), role
    assert "1,714.28" not in page

    (report,) = scenario_pages(view, catalogue("en"))
    changes = {row["label"]: row["change"] for row in report["rows"]}
    assert changes["Annual total cost"].startswith("-$3,398.49 ")
    assert changes["Automation potential"].startswith("-$3,398.49 ")

    compared = json.loads(scenarios_report(view, fmt="json"))["scenarios"][0]
    assert compared["totals"]["automation_potential"]["change"] == -3398.49
    assert compared["totals"]["annual_total_cost"]["change"] == -3398.49
    (draft,) = [s for s in compared["steps"] if s["id"] == "draft"]
    assert draft["annual_total_cost"]["change"] == -1714.29
    assert "-$3,398.49" in scenarios_report(view)
