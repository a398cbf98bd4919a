"""A scenario's money as a finance reader weighs it: its first-year ROI beside its payback,
labour (hours at rates) apart from cash, and each changed process's total cost per run.

Worked by hand on ``test_scenario``'s blog (48 runs a year; labour $15,480, no cash
costs): the draft's automation takes 25% of its 180 h at $40 ($1,800) for a tool of $50
a month ($600) and 3 h of setup at $40 ($120). And on the library with its two example
scenarios, whose figures a finance analyst worked out from ``sopkit compare``.
"""

from __future__ import annotations

import html
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import ENGLISH, ROOT
from test_scenario import BLOG, ROLES, SCENARIO, scenario_file
from typer.testing import CliRunner

from sopkit.analysis.compare import Figure
from sopkit.cli import app
from sopkit.decide import compare_scenarios
from sopkit.render.costs.scenarios import scenario_roi, scenarios_report
from sopkit.render.i18n import catalogue

EXAMPLES = [ROOT / "scenarios" / "automate-drafting.yaml", ROOT / "scenarios" / "more-posts.yaml"]
HEAD = "sopkit-scenario: 1\nname: Test\nchanges:\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    processes = tmp_path / "processes"
    processes.mkdir()
    (processes / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (processes / "blog.yaml").write_text(BLOG, encoding="utf-8")
    return processes


def _one(folder: Path, tmp_path: Path, text: str) -> object:
    (result,) = compare_scenarios(folder, [scenario_file(tmp_path, text)]).results
    return result


# --- the first year, as a candidate's -------------------------------------------------------


def test_a_scenarios_first_year_is_a_candidates_over_its_labour_and_cash(
    folder: Path, tmp_path: Path
) -> None:
    """The whole scenario of ``test_scenario``: labour $15,480 → 29,024/3 ($9,674.67), cash
    costs $0 → $600 (the tool), setup $120. Net saving = the fall in total cost, 15,616/3
    (what the payback divides by); tool cost = the rise in cash costs, $600; gross saving =
    net + tool = 17,416/3, the fall in labour. ROI = (17,416/3 − 600 − 120) × 100 ÷ 720 =
    15,256/3 × 100 ÷ 720 = 19,070/27 = 706.30%."""
    result = _one(folder, tmp_path, SCENARIO)
    assert result.labour_change == Fraction(-17416, 3)
    assert result.cash_change == 600 and result.outside_change == 0
    assert result.net_saving == Fraction(15616, 3)
    assert (result.tool_cost, result.gross_saving) == (600, Fraction(17416, 3))
    assert result.roi_percent == Fraction(19070, 27)
    # the blog's total cost per run: $15,480 ÷ 48 = $322.50 → 30,824/3 ÷ 48 = $214.06
    (blog,) = result.comparison.processes
    assert result.comparison.cost_per_run(blog) == Figure(Fraction(645, 2), Fraction(3853, 18))


def test_cash_costs_that_fall_count_in_the_gross_saving_not_against_the_tool(
    folder: Path, tmp_path: Path
) -> None:
    """Graphics pays $20 a time (1.25 times a run × 48 runs = $1,200 a year); removing it and
    automating the draft: labour 15,480 → 10,080 (brief $1,200, draft 2.25 h × 1.25 × 48 =
    135 h × $40 = $5,400, edit $3,000, publish $480), cash 1,200 → 600 (the tool). Cash falls
    by $600, so nothing is laid out a year (tool cost 0) and the gross saving is the whole net
    saving, $6,000; ROI = (6,000 − 0 − 120) × 100 ÷ 120 = 4,900%, payback 120 ÷ 500 = 0.24."""
    blog = BLOG.replace("    owner: Designer\n", "    owner: Designer\n    expense: 20\n")
    (folder / "blog.yaml").write_text(blog, encoding="utf-8")
    text = HEAD + "  - automate: [blog/draft]\n  - remove: blog/graphics\n"
    result = _one(folder, tmp_path, text)
    assert (result.labour_change, result.cash_change) == (-5400, -600)
    assert (result.net_saving, result.tool_cost, result.gross_saving) == (6000, 0, 6000)
    assert result.roi_percent == 4900
    assert result.payback_months == Fraction(6, 25)


def test_nothing_laid_out_has_no_roi_and_a_cash_cost_alone_returns_nothing(
    folder: Path, tmp_path: Path
) -> None:
    """A rate change lays nothing out: the Designer's 60 h at $70 instead of $60 cost $600
    more, no setup, no cash: ROI undefined ("—", JSON null). A hire's salary as an expense
    ($1,000 a year) is laid out and saves nothing in cost: (0 − 1,000) × 100 ÷ 1,000 = −100%."""
    dearer = _one(folder, tmp_path, HEAD + "  - rates: {Designer: 70}\n")
    assert (dearer.labour_change, dearer.tool_cost, dearer.gross_saving) == (600, 0, -600)
    assert dearer.roi_percent is None and dearer.payback_months is None
    hire = HEAD + (
        "  - headcount: {Editor: 2}\n  - set:\n      process: blog\n      expenses:\n"
        "        - {name: Second editor, amount: 1000, per: year}\n"
    )
    hired = _one(folder, tmp_path, hire)
    assert (hired.labour_change, hired.tool_cost, hired.gross_saving) == (0, 1000, 0)
    assert hired.roi_percent == -100
    text = scenarios_report(compare_scenarios(folder, [scenario_file(tmp_path, hire)]))
    assert "First-year ROI" in text and "-100.00%" in text


# --- labour apart from cash -------------------------------------------------------------------


def test_labour_and_cash_changes_are_rows_of_their_own_with_the_sentence(
    folder: Path, tmp_path: Path
) -> None:
    path = scenario_file(tmp_path, SCENARIO)
    view = compare_scenarios(folder, [path])
    markdown = scenarios_report(view, fmt="markdown")
    assert "|  | Labour cost change | — | -$5,805.33 |" in markdown
    assert "|  | Cash cost change | — | +$600.00 |" in markdown
    assert "|  | First-year ROI | — | 706.30% |" in markdown
    assert "|  | Total cost per run | $322.50 | $214.06 |" in markdown
    assert "of which outside the team" not in markdown  # no outside party's work moved
    sentence = catalogue("en")("scenario.note.labour")
    assert sentence.startswith("Labour savings are hours freed, not cash")
    assert f"- {sentence}" in markdown
    document = json.loads(scenarios_report(view, fmt="json"))
    assert sentence in document["notes"]


def test_an_outside_partys_labour_is_named_apart_as_billed(folder: Path, tmp_path: Path) -> None:
    """Graphics by the agency (external, $80 an hour): 60 h = $4,800 of labour that is billed,
    so cash. Removing the step takes all of it: the labour change is −$4,800, all of it
    outside the team."""
    blog = BLOG.replace("    owner: Designer\n", "    owner: Agency\n")
    (folder / "blog.yaml").write_text(blog, encoding="utf-8")
    path = scenario_file(tmp_path, HEAD + "  - remove: blog/graphics\n")
    view = compare_scenarios(folder, [path])
    (result,) = view.results
    assert result.labour_change == result.outside_change == -4800
    markdown = scenarios_report(view, fmt="markdown")
    assert "|  | of which outside the team | — | -$4,800.00 |" in markdown
    (scenario,) = json.loads(scenarios_report(view, fmt="json"))["scenarios"]
    assert scenario["outside_labour_change"] == -4800.0
    from sopkit.render.report import render_report
    from sopkit.render.site.scenarios import render_scenarios

    labour = kpi(html.unescape(render_scenarios(view)), "Labour cost (hours at rates)")
    assert labour[1].endswith("· of which outside the team -$4,800.00")
    report = html.unescape(render_report(view.as_is, scenarios=view))
    assert "<td>of which outside the team</td>" in report


# --- the library's two example scenarios, through the CLI -----------------------------------


def _compare(fmt: str) -> str:
    args = ["compare", str(ENGLISH)]
    for path in EXAMPLES:
        args += ["--scenario", str(path)]
    result = CliRunner().invoke(app, [*args, "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_analysts_figures_from_the_example_scenarios() -> None:
    """Automating three steps: labour falls by the drafts' 15% of 80,000/7 (12,000/7), the
    report's 60% of $1,950 ($1,170) and the schedule's 60% of $2,457 ($1,474.20), together
    152,547/35 = $4,358.49; the tools cost $360 + $600 = $960 a year; setup $80 + $400 +
    $168 = $648. ROI = (4,358.49 − 960 − 648) × 100 ÷ 1,608 = 171.05%. Six posts a month:
    the blog's total cost per run $32,303.43 ÷ 48 = $672.99 → $39,573.00 ÷ 72 = $549.63
    (−18.33%), though its year costs more."""
    automate, posts = compare_scenarios(ENGLISH, EXAMPLES).results
    assert automate.gross_saving == -automate.labour_change == Fraction(152547, 35)
    assert (automate.tool_cost, automate.setup_cost) == (960, 648)
    assert automate.roi_percent == (Fraction(152547, 35) - 1608) * 100 / 1608
    blog = next(r for r in posts.comparison.processes if r.key == ("content-marketing",))
    assert posts.comparison.cost_per_run(blog) == Figure(
        Fraction(226124, 7 * 48), Fraction(4397, 8)
    )
    assert posts.roi_percent is None  # a rate and more runs lay nothing out

    first, second = json.loads(_compare("json"))["scenarios"]
    assert (first["roi_percent"], first["gross_saving"], first["tool_cost"]) == (
        171.05,
        4358.49,
        960.0,
    )
    assert (first["net_saving"], first["payback_months"]) == (3398.49, 2.29)
    assert second["roi_percent"] is None
    (per_run,) = [p["cost_per_run"] for p in second["processes"] if p["id"] == "content-marketing"]
    assert per_run == {
        "before": 672.99,
        "after": 549.63,
        "change": -123.36,
        "change_percent": -18.33,
    }

    table = _compare("table")
    assert "payback 2.3 months and first-year ROI 171.05% on the whole scenario" in table
    markdown = _compare("markdown")
    assert "|  | Labour cost change | — | -$4,358.49 | +$9,640.09 |" in markdown
    assert "|  | Cash cost change | — | +$960.00 | $0.00 |" in markdown
    assert "|  | First-year ROI | — | 171.05% | — |" in markdown
    assert "|  | Total cost per run | $672.99 | $644.77 | $549.63 |" in markdown


# --- the scenario page and the report's --------------------------------------------------------


def test_the_scenario_page_shows_the_roi_labour_apart_and_a_runs_cost() -> None:
    """The analyst's page: labour (hours at rates) and cash costs as headline figures of
    their own, the hours behind the labour, the first-year ROI beside the payback, the
    sentence, and the blog's cost per run falling while its year rises."""
    from sopkit.render.site.scenarios import render_scenarios

    page = html.unescape(render_scenarios(compare_scenarios(ENGLISH, EXAMPLES)))
    t = catalogue("en")
    assert f'<p class="money-note" role="note">{t("scenario.note.labour")}</p>' in page
    assert t("scenario.note.roi") in page
    labour = kpi(page, "Labour cost (hours at rates)")
    assert labour[0] == "$369,909.57"
    assert labour[1] == "-$4,358.49 (-1.16%) from $374,268.06 · -101.36 h, -0.05 FTE"
    assert kpi(page, "Cash costs (paid out)") == ("$9,420.00", "+$960.00 (+11.35%) from $8,460.00")
    assert kpi(page, "One-off setup")[1].endswith(
        "payback 2.3 months on the whole scenario · first-year ROI 171.05%"
    )
    assert "total cost per run $672.99 → $549.63 (-18.33%)" in page
    side = page[page.index('id="side-by-side"') : page.index('id="scenario-1"')]
    assert re.search(r"<td>First-year ROI</td>.*?171\.05%.*?—", side, re.S)


def kpi(page: str, label: str) -> tuple[str, str]:
    """The value and the note of the first headline figure named ``label``."""
    found = re.search(
        rf'<div class="label">{re.escape(label)}</div>\n<div class="value">(.*?)</div>\n'
        r'<div class="note[^"]*">(.*?)</div>',
        page,
    )
    assert found is not None, label
    return found.group(1), found.group(2)


@pytest.mark.parametrize("language", ["en", "ko", "ru"])
def test_the_reports_scenario_page_says_labour_is_hours_and_gives_the_roi(
    language: str, tmp_path: Path
) -> None:
    from conftest import KOREAN, RUSSIAN

    from sopkit.render.report import render_report

    folder = {"en": ENGLISH, "ko": KOREAN, "ru": RUSSIAN}[language]
    step = {
        "en": "content-marketing/draft",
        "ko": "content-marketing-ko/draft",
        "ru": "sostac-plan-ru/control-setup",
    }
    path = scenario_file(tmp_path, HEAD + f"  - automate: [{step[language]}]\n")
    view = compare_scenarios(folder, [path])
    (result,) = view.results
    t = catalogue(language)
    page = html.unescape(render_report(view.as_is, scenarios=view))
    shown = page[page.index('id="scenarios"') : page.index('id="method"')]
    text = re.sub(r"<[^>]+>", "", shown)  # a Korean page wraps each word to keep it whole
    assert t("scenario.note.labour") in text and t("scenario.note.roi") in text
    roi = scenario_roi(result, t)
    assert roi.endswith("%")  # the automation's setup (and tool) is laid out
    rows = re.sub(r"<(?!/?t[dr]\b)[^>]+>", "", shown)
    assert re.search(rf"<td>{re.escape(t('scenario.roi'))}</td>.*?{re.escape(roi)}", rows, re.S)
    assert f"<td>{t('figure.annual_labour')}</td>" in rows
