"""Scenarios: every kind of change worked out by hand, to the cent, and errors located in
the scenario file.

The portfolio (USD, 8 h days, 260 days): ``blog`` runs 4/month (48 runs a year):

    brief     Editor $50    30m                    24 h   $1,200
    draft     Writer $40    2h..4h (PERT 3h) ×1.25  180 h   $7,200   automation 25%,
                                                                 $50/month, setup 3h
    graphics  Designer $60  1h ×1.25                 60 h   $3,600
    edit      Editor $50    1h ×1.25, rework → draft 0.2   60 h   $3,000
    publish   Writer $40    15m                      12 h     $480
                                                    336 h  $15,480

The scenario automates draft, removes graphics (edit then comes after draft), sets
edit's rework probability to 0.1, Writer's rate to $44 and Editor's headcount to 1.5:

    brief     24 h                                         $1,200
    draft     1.5h..3h (PERT 2.25h) × 10/9 × 48 = 120 h × $44   $5,280
    edit      1h × 10/9 × 48 = 53⅓ h × $50                  $2,666.67
    publish   12 h × $44                                     $528
    labour $9,674.67 (209⅓ h); expenses $600 (the tool, 12 × $50); total $10,274.67;
    one-off setup 3 h × $40 (the rate when automated) = $120.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.analysis import cost_portfolio, to_decimal
from sopkit.cli import app
from sopkit.decide import apply_scenario, compare_scenarios, load_scenario, scenario_results
from sopkit.errors import SopkitError
from sopkit.load import load_portfolio
from sopkit.load.paths import find, is_scenario_file
from sopkit.render.costs.scenarios import scenarios_report

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
working_days_per_year: 260
roles:
  Writer: {rate: 40, headcount: 1}
  Editor: {rate: 50, headcount: 1, available_hours: 1000}
  Designer: {rate: 60}
  Agency: {rate: 80, kind: external}
"""
BLOG = """\
sopkit: 1
id: blog
name: Blog post
owner: Editor
frequency: 4/month
steps:
  - id: brief
    name: Brief
    owner: Editor
    time: 30m
  - id: draft
    name: Draft
    owner: Writer
    after: [brief]
    time: 2h..4h
    automation: {share: 0.25, tool: Writer AI, tool_cost: 50/month, setup: 3h}
  - id: graphics
    name: Graphics
    owner: Designer
    after: [draft]
    time: 1h
  - id: edit
    name: Edit
    owner: Editor
    after: [graphics]
    time: 1h
    rework: {to: draft, probability: 0.2}
  - id: publish
    name: Publish
    owner: Writer
    after: [edit]
    time: 15m
"""
NEWS = """\
sopkit: 1
id: news
name: Newsletter
owner: Writer
frequency: 2/month
steps:
  - id: write
    name: Write
    owner: Writer
    time: 3h
    automation: {share: 1, tool: Mailer, tool_cost: 120/year}
"""
SCENARIO = """\
sopkit-scenario: 1
name: Automate drafting, drop graphics, fewer rewrites
changes:
  - automate: [blog/draft]
  - remove: blog/graphics
  - set: {process: blog, step: edit, rework: {to: draft, probability: 0.1}}
  - rates: {Writer: 44}
  - headcount: {Editor: 1.5}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    processes = tmp_path / "processes"
    processes.mkdir()
    (processes / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (processes / "blog.yaml").write_text(BLOG, encoding="utf-8")
    return processes


def scenario_file(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_kind_of_change_worked_out_to_the_cent(folder: Path, tmp_path: Path) -> None:
    portfolio = load_portfolio(folder)
    as_is = cost_portfolio(portfolio)
    assert as_is.exact_annual_cost == 15480
    assert as_is.exact_annual_hours == 336

    to_be = apply_scenario(portfolio, load_scenario(scenario_file(tmp_path, SCENARIO)))
    cost = cost_portfolio(to_be.portfolio)
    blog = cost.process("blog")
    assert [s.step_id for s in blog.steps] == ["brief", "draft", "edit", "publish"]
    assert blog.process.step("edit").after == ["draft"]  # graphics' after, inherited
    assert str(blog.process.step("draft").time) == "1.5h..3h"
    assert blog.process.step("draft").automation is None  # taken as done
    figures = {s.step_id: (s.exact_annual_hours, s.exact_annual_cost) for s in blog.steps}
    assert figures == {
        "brief": (24, 1200),
        "draft": (120, 5280),
        "edit": (Fraction(160, 3), Fraction(8000, 3)),
        "publish": (12, 528),
    }
    assert cost.exact_annual_cost == Fraction(29024, 3)  # $9,674.67
    assert cost.exact_annual_expenses == 600
    assert cost.exact_annual_total_cost == Fraction(30824, 3)  # $10,274.67
    assert cost.exact_annual_hours == Fraction(628, 3)
    assert [(e.name, e.amount, e.per.value) for e in blog.expense_lines] == [
        ("Writer AI (draft)", 600, "year")
    ]
    (automated,) = to_be.automated
    assert (automated.step_id, automated.rate, str(automated.setup)) == ("draft", 40, "3h")

    # Headcount 1.5 (a fraction): Editor's 77⅓ h of 1.5 × 1,000 h.
    editor = next(r for r in cost.roles if r.role == "Editor")
    assert editor.headcount == Fraction(3, 2)
    assert editor.utilisation == to_decimal(Fraction(232, 4500))  # 5.16%
    writer = next(r for r in cost.roles if r.role == "Writer")
    assert writer.annual_cost == 5808  # (120 + 12) h × $44

    # The lead time of the typical run: 0.5 + 3 + 1 + 1 + 0.25 h → 0.5 + 2.25 + 1 + 0.25 h.
    assert as_is.process("blog").schedule.exact_lead_time_hours == Fraction(23, 4)
    assert blog.schedule.exact_lead_time_hours == 4

    # The portfolio given is not changed.
    assert cost_portfolio(portfolio).exact_annual_cost == 15480
    assert portfolio.processes[0].step("edit").after == ["graphics"]


def test_the_comparison_and_the_one_off_setup(folder: Path, tmp_path: Path) -> None:
    result = compare_scenarios(folder, [scenario_file(tmp_path, SCENARIO)])
    (scenario,) = result.results
    assert scenario.name == "Automate drafting, drop graphics, fewer rewrites"
    assert scenario.setup_cost == 120 and scenario.setup_hours == 3
    total = scenario.comparison.total_cost
    assert (total.before, total.after) == (15480, Fraction(30824, 3))
    rows = {row.label: row for row in scenario.comparison.rows}
    assert rows["blog/graphics"].status.value == "removed"
    utilisation = rows["Editor"].figures["utilisation"]
    assert (utilisation.before, utilisation.after) == (Fraction(84, 1000), Fraction(232, 4500))
    lead = rows["blog"].figures["lead_time_days"]
    assert (lead.before, lead.after) == (Fraction(23, 32), Fraction(1, 2))
    text = scenarios_report(result)
    assert "$10,274.67" in text and "$15,480.00" in text and "$120.00" in text
    # Payback: $120 of setup over a saving of 15,480 − 30,824/3 = 15,616/3 a year,
    # 120 × 12 ÷ (15,616/3) = 4,320/15,616 = 0.28 months.
    assert scenario.payback_months == Fraction(120 * 12 * 3, 15616)
    # The automation's own payback, its saving taken where its setup is priced: it is the
    # first change, so in the blog as it is (the rework and the $44 rate come after it):
    # 180 h × $40 = $7,200 a year, 25% of it $1,800, less the tool's $50 a month = $1,200;
    # $120 ÷ ($1,200 / 12) = 1.2 months.
    (automation,) = scenario.one_offs
    assert automation.net_saving == 1200 and automation.payback_months == Fraction(6, 5)
    # First-year ROI, as a candidate's: the labour falls by 15,480 − 29,024/3 = 17,416/3
    # (gross), the cash costs rise by the tool's $600 (tool cost), so (17,416/3 − 600 − 120)
    # × 100 ÷ (600 + 120) = 15,256/3 × 100 ÷ 720 = 706.30%.
    assert scenario.roi_percent == Fraction(15256 * 100, 3 * 720)
    assert (
        "one-off setup $120.00 (blog/draft $120.00, payback 1.2 months on its own saving), "
        "payback 0.3 months and first-year ROI 706.30% on the whole scenario." in text
    )
    document = json.loads(scenarios_report(result, fmt="json"))
    (automated,) = document["scenarios"][0]["automated"]
    assert (automated["net_saving"], automated["payback_months"]) == (1200.0, 1.2)
    # Listed after the rework and the rate, the same automation is taken there: draft is
    # 3 h × 10/9 × 48 runs = 160 h at $44 = $7,040, 25% = $1,760 less $600 = $1,160, and its
    # setup is 3 h at $44 = $132: $132 ÷ ($1,160 / 12) = 1.37 months.
    later = SCENARIO.replace("  - automate: [blog/draft]\n", "") + "  - automate: [blog/draft]\n"
    (moved,) = compare_scenarios(folder, [scenario_file(tmp_path, later, "later.yaml")]).results
    (automation,) = moved.one_offs
    assert automation.cost == 132 and automation.net_saving == 1160
    assert automation.payback_months == Fraction(132 * 12, 1160)


def test_one_automation_alone_says_its_cost_and_payback_once(folder: Path, tmp_path: Path) -> None:
    """The scenario's payback is the automation's when it changes nothing else: the
    line read "(blog/draft $120.00, payback 1.2 months), payback 1.2 months"."""
    text = "sopkit-scenario: 1\nname: Draft with AI\nchanges:\n  - automate: [blog/draft]\n"
    scenario = scenario_file(tmp_path, text)
    text = scenarios_report(compare_scenarios(folder, [scenario]))
    # ROI: the labour falls by $1,800 (gross), the tool costs $600 a year, the setup $120:
    # (1,800 − 600 − 120) × 100 ÷ 720 = 150%.
    assert (
        "one-off setup $120.00 (blog/draft), payback 1.2 months and first-year ROI 150.00% "
        "on the whole scenario." in text
    )


def test_a_step_automated_whole_takes_no_time(folder: Path, tmp_path: Path) -> None:
    (folder / "news.yaml").write_text(NEWS, encoding="utf-8")
    scenario = "sopkit-scenario: 1\nname: Mailer\nchanges:\n  - automate: news/write\n"
    to_be = apply_scenario(load_portfolio(folder), load_scenario(scenario_file(tmp_path, scenario)))
    news = cost_portfolio(to_be.portfolio).process("news")
    assert news.exact_annual_cost == 0 and news.exact_annual_hours == 0
    assert news.exact_annual_expenses == 120
    assert news.schedule.exact_lead_time_hours == 0


def test_remove_a_whole_process_and_set_a_frequency(folder: Path, tmp_path: Path) -> None:
    (folder / "news.yaml").write_text(NEWS, encoding="utf-8")
    scenario = """\
sopkit-scenario: 1
name: Only the blog, twice as often
changes:
  - remove: news
  - set: {process: blog, frequency: 8/month}
"""
    to_be = apply_scenario(load_portfolio(folder), load_scenario(scenario_file(tmp_path, scenario)))
    cost = cost_portfolio(to_be.portfolio)
    assert [p.id for p in cost.processes] == ["blog"]
    assert cost.exact_annual_cost == 2 * 15480


# --- errors in the scenario file ------------------------------------------------------------


def problems_of(folder: Path, tmp_path: Path, text: str) -> list[str]:
    path = scenario_file(tmp_path, text)
    with pytest.raises(SopkitError) as caught:
        apply_scenario(load_portfolio(folder), load_scenario(path))
    lines = [p.format() for p in caught.value.problems]
    assert all(line.startswith(f"{path}:") for line in lines), lines
    return [line.removeprefix(f"{path}:") for line in lines]


HEAD = "sopkit-scenario: 1\nname: Test\nchanges:\n"


def test_a_bad_value_is_located_where_the_scenario_sets_it(folder: Path, tmp_path: Path) -> None:
    text = HEAD + "  - set: {process: blog, step: edit, time: 2 hours}\n"
    assert problems_of(folder, tmp_path, text) == [
        "4:44: error: step 'edit': time: unknown unit 'hours' in '2 hours' (write 2h: "
        "sopkit's units are m, h, d and w)"
    ]


def test_a_bad_field_and_a_bad_rework(folder: Path, tmp_path: Path) -> None:
    text = HEAD + (
        "  - set:\n"
        "      process: blog\n"
        "      step: edit\n"
        "      rework: {to: nowhere, probability: 1.5}\n"
        "      tiem: 3h\n"
    )
    assert problems_of(folder, tmp_path, text) == [
        "7:20: error: step 'edit': rework goes to no step 'nowhere' (steps here: brief, draft, "
        "graphics, edit, publish)",
        "7:42: error: step 'edit': rework: probability: input should be less than 1 (a "
        "probability from 0 up to, not including, 1; e.g. 0.3 for 30%)",
        "8:7: error: step 'edit': unknown field 'tiem' (did you mean 'time'?)",
    ]


def test_what_a_change_breaks_in_the_process_file_is_reported_at_the_change(
    folder: Path, tmp_path: Path
) -> None:
    text = HEAD + "  - set: {process: blog, step: brief, id: intro}\n"
    (line,) = problems_of(folder, tmp_path, text)
    assert line == (
        f"4:10: error: after this change, {folder / 'blog.yaml'}:14:13: step 'draft': 'after' "
        "names no step 'brief' (steps here: intro, draft, graphics, edit, publish)"
    )


def test_targets_that_do_not_exist(folder: Path, tmp_path: Path) -> None:
    text = HEAD + (
        "  - automate: [blog/brief, blog/drfat, blgo/draft]\n"
        "  - rates: {Writr: 45}\n"
        "  - headcount: {Agency: 2}\n"
        "  - remove: blog/graphics\n"
        "  - remove: blog/draft\n"
        "  - set: {process: blog, step: graphics, time: 2h}\n"
    )
    assert problems_of(folder, tmp_path, text) == [
        "4:16: error: step 'brief' of 'blog' has no automation to take as done (only a step "
        "with 'automation:' in its process file can be automated)",
        "4:28: error: process 'blog' has no step 'drfat' (did you mean 'draft'?)",
        "4:40: error: no process 'blgo' (did you mean 'blog'?)",
        "5:13: error: no role 'Writr' (did you mean 'Writer'?)",
        "6:25: error: role 'Agency': headcount: only staff roles have headcount; this role is "
        "external (remove 'headcount')",
        "8:13: error: step 'edit' sends work back to 'draft' (rework.to): removing 'draft' "
        "leaves it nowhere to go (first change that rework, e.g. 'set: {process: blog, step: "
        "edit, rework: null}')",
        "9:32: error: process 'blog' has no step 'graphics' (its steps: brief, draft, edit, "
        "publish)",
    ]


def test_the_hint_to_remove_a_rework_works(folder: Path, tmp_path: Path) -> None:
    """The message above says to write 'rework: null' before removing the step it points
    to: in a scenario, null removes the field (in a process file an empty one is refused)."""
    text = HEAD + "  - set: {process: blog, step: edit, rework: null}\n  - remove: blog/draft\n"
    to_be = apply_scenario(load_portfolio(folder), load_scenario(scenario_file(tmp_path, text)))
    blog = cost_portfolio(to_be.portfolio).process("blog")
    assert blog.process.step("edit").rework is None
    assert "draft" not in [s.step_id for s in blog.steps]


def test_setting_expenses_keeps_the_tool_cost_an_earlier_automate_added(
    folder: Path, tmp_path: Path
) -> None:
    """A team lead's scenario automated the draft ($50 a month of tooling), then set the
    blog's expenses to add a hire: the tool's $600 a year vanished from the totals."""
    text = (
        HEAD + "  - automate: blog/draft\n"
        "  - set: {process: blog, expenses: [{name: Second writer, amount: 1000, per: month}]}\n"
    )
    to_be = apply_scenario(load_portfolio(folder), load_scenario(scenario_file(tmp_path, text)))
    blog = cost_portfolio(to_be.portfolio).process("blog")
    assert blog.exact_annual_expenses == 12 * 1000 + 12 * 50
    names = [e.name for e in blog.process.expenses]
    assert names == ["Second writer", "Writer AI (draft)"]
    # Listed the other way round, the same two changes give the same figures.
    text = (
        HEAD
        + "  - set: {process: blog, expenses: [{name: Second writer, amount: 1000, per: month}]}\n"
        "  - automate: blog/draft\n"
    )
    other = apply_scenario(load_portfolio(folder), load_scenario(scenario_file(tmp_path, text)))
    assert cost_portfolio(other.portfolio).process("blog").exact_annual_expenses == 12_600


def test_automating_a_step_twice(folder: Path, tmp_path: Path) -> None:
    text = HEAD + "  - automate: blog/draft\n  - automate: blog/draft\n"
    assert problems_of(folder, tmp_path, text) == [
        "5:15: error: step 'draft' of 'blog' has no automation to take as done (an earlier "
        "change automated it already)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\nchanges: [{remove: blog}]\n",
            "1:1: error: missing required field 'sopkit-scenario' (add 'sopkit-scenario: 1' as "
            "the first line)",
        ),
        (
            "sopkit-scenario: 2\nname: x\nchanges: [{remove: blog}]\n",
            "1:18: error: unsupported scenario format version (this sopkit reads scenario "
            "version 1: 'sopkit-scenario: 1')",
        ),
        (
            "sopkit-scenario: 1\nname: x\nchanges: [{remove: blog}]\nchange: []\n",
            "4:1: error: unknown field 'change' (did you mean 'changes'?)",
        ),
        (
            "sopkit-scenario: 1\nname: x\nchanges: [{delete: blog}]\n",
            "3:12: error: unknown change 'delete' (use one of: automate, rates, headcount, set, "
            "remove)",
        ),
        (
            "sopkit-scenario: 1\nname: x\nchanges: [{automate: blog}]\n",
            "3:22: error: 'blog' is not a step (write process/step with their ids, e.g. "
            "content-marketing/draft)",
        ),
        (
            "sopkit-scenario: 1\nname: x\nchanges: [{set: {step: edit, time: 1h}}]\n",
            "3:17: error: 'set' names no process (add 'process: <id>')",
        ),
        (
            "sopkit-scenario: 1\nname: x\nchanges: []\n",
            "3:10: error: 'changes' is a list of at least one change (write each change as a "
            "list item, e.g. '- automate: [process/step]')",
        ),
    ],
)
def test_the_file_itself(folder: Path, tmp_path: Path, text: str, expected: str) -> None:
    path = scenario_file(tmp_path, text)
    with pytest.raises(SopkitError) as caught:
        load_scenario(path)
    assert [p.format() for p in caught.value.problems] == [f"{path}:{expected}"]


def test_a_process_file_given_as_a_scenario(folder: Path) -> None:
    with pytest.raises(SopkitError) as caught:
        load_scenario(folder / "blog.yaml")
    (problem,) = caught.value.problems
    assert problem.format() == (
        f"{folder / 'blog.yaml'}:1:1: error: this is a process file, not a scenario (a scenario "
        "starts with 'sopkit-scenario: 1', 'name:' and 'changes:')"
    )


def test_a_set_written_by_target_is_refused_with_how_to_write_it(
    folder: Path, tmp_path: Path
) -> None:
    """``set: {blog/draft: {...}}`` reached the applier and crashed it (KeyError): a change
    of the wrong shape is reported and never applied."""
    path = scenario_file(tmp_path, HEAD + "  - set: {blog/draft: {per_run: 2}}\n")
    result = run("compare", folder, "--scenario", path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    assert result.stderr == (  # type: ignore[attr-defined]
        f"{path}:4:10: error: 'set' names no process (write it as set: "
        "{process: blog, step: draft, <field>: <value>})\n"
    )


def test_a_bad_target_in_a_list_leaves_the_others_checked(folder: Path, tmp_path: Path) -> None:
    from sopkit.decide import scenarios_for

    text = HEAD + '  - automate: [blog/draft, "Bad Target!", nosuch/step, blog/nosuchstep]\n'
    with pytest.raises(SopkitError) as caught:
        scenarios_for(load_portfolio(folder), scenario_file(tmp_path, text))
    lines = [p.format() for p in caught.value.problems]
    assert [line.split(": error: ")[1].split(" (")[0] for line in lines] == [
        "'Bad Target!' is not a step",
        "no process 'nosuch'",
        "process 'blog' has no step 'nosuchstep'",
    ]


def test_a_number_next_to_zero_is_refused_not_computed_for_ever(
    folder: Path, tmp_path: Path
) -> None:
    """1e-999999999 as exact fractions would take a billion digits: refused, located."""
    text = HEAD + "  - rates: {Writer: 1e-999999999}\n"
    assert problems_of(folder, tmp_path, text) == [
        "4:21: error: role 'Writer': rate: '1E-999999999' is too close to zero (check the "
        "number; 0 means none)"
    ]


def test_a_failed_change_leaves_the_next_ones_to_be_checked(folder: Path, tmp_path: Path) -> None:
    text = HEAD + "  - rates: {Writer: -1}\n  - set: {process: blog, frequency: often}\n"
    lines = problems_of(folder, tmp_path, text)
    assert [line.split(":")[0] for line in lines] == ["4", "5"]


# --- the CLI -------------------------------------------------------------------------------------


def run(*args: str | Path) -> object:
    from sopkit.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_compare_prints_the_library_report(folder: Path, tmp_path: Path, fmt: str) -> None:
    path = scenario_file(tmp_path, SCENARIO)
    second = scenario_file(tmp_path, HEAD + "  - rates: {Designer: 70}\n", "designer.yaml")
    result = run("compare", folder, "--scenario", path, "--scenario", second, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    expected = scenarios_report(compare_scenarios(folder, [path, second]), fmt=fmt)
    assert result.stdout == expected


def test_compare_reports_scenario_errors_located(folder: Path, tmp_path: Path) -> None:
    path = scenario_file(tmp_path, HEAD + "  - headcount: {Editor: none}\n")
    result = run("compare", folder, "--scenario", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:4:25: error: role 'Editor': headcount: 'none' is not a number "
        "(write a number here)\n"
    )


def test_golden(folder: Path, tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    portfolio = load_portfolio(folder)
    scenario = load_scenario(scenario_file(tmp_path, SCENARIO))
    result = scenario_results(portfolio, [scenario])
    markdown = scenarios_report(result, fmt="markdown")
    golden("scenarios/blog.md", markdown.replace(str(tmp_path), "TMP"))
    document = scenarios_report(result, fmt="json")
    golden("scenarios/blog.json", document.replace(str(tmp_path), "TMP"))
    parsed = json.loads(document)
    (only,) = parsed["scenarios"]
    assert only["setup_cost"] == 120.0
    assert only["totals"]["annual_total_cost"]["after"] == 10274.67
    assert parsed["as_is"]["totals"]["annual_total_cost"] == 15480.0


def test_a_scenarios_json_lists_the_fields_it_edited_as_diff_does(
    folder: Path, tmp_path: Path
) -> None:
    """A JSON reader of ``compare`` sees what each change did to the steps' fields, in
    ``sopkit diff``'s shape; the summary line and the tables say it no more than before."""
    result = compare_scenarios(folder, [scenario_file(tmp_path, SCENARIO)])
    (scenario,) = json.loads(scenarios_report(result, fmt="json"))["scenarios"]
    edited = {item["key"]: item for item in scenario["edited"]}
    assert list(edited) == ["blog", "blog/draft", "blog/edit"]
    assert edited["blog/edit"]["fields"] == ["after", "rework"]
    assert edited["blog/edit"]["changes"][0] == {
        "field": "after",
        "before": ["graphics"],
        "after": ["draft"],
    }
    assert edited["blog/draft"]["changes"][0] == {
        "field": "time",
        "before": "2h..4h",
        "after": "1.5h..3h",
    }
    assert "edited" not in scenario["summary"]
    for fmt in ("table", "markdown"):
        text = scenarios_report(result, fmt=fmt)
        assert "edited" not in text and "Edited" not in text


def test_a_mistyped_change_comes_with_what_applying_the_others_finds(
    folder: Path, tmp_path: Path
) -> None:
    path = scenario_file(
        tmp_path,
        "sopkit-scenario: 1\nname: Bad\nchanges:\n"
        "  - automte: [blog/draft]\n"
        "  - automate: [blog/nope]\n"
        "  - rates: {Nobody: 50}\n",
    )
    with pytest.raises(SopkitError) as info:
        compare_scenarios(folder, [path])
    lines = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
    assert [line.split(": error: ")[0] for line in lines] == [
        "scenario.yaml:4:5",
        "scenario.yaml:5:16",
        "scenario.yaml:6:13",
    ]
    assert "unknown change 'automte' (did you mean 'automate'?)" in lines[0]
    assert "has no step 'nope'" in lines[1] and "no role 'Nobody'" in lines[2]
    # The same through a build with --scenario, which reads scenarios the same way.
    result = CliRunner().invoke(
        app, ["build", str(folder), "-o", str(tmp_path / "site"), "--scenario", str(path), "-q"]
    )
    assert result.exit_code == 1 and "no role 'Nobody'" in result.stderr


def test_a_role_over_capacity_after_a_scenario_is_named_and_a_hire_costs_nothing(
    folder: Path, tmp_path: Path
) -> None:
    """The writer works 4 h a run (draft 3 h × 1.25 for rework, publish 15 m), 48 runs a
    year: 192 h against 100 h, 192%. A rate change leaves that so and says it; three
    writers (64%) end it, and the note says a hire changes capacity, not the cost."""
    roles = ROLES.replace(
        "Writer: {rate: 40, headcount: 1}", "Writer: {rate: 40, headcount: 1, available_hours: 100}"
    )
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    dearer = scenario_file(tmp_path, HEAD + "  - rates: {Writer: 44}\n", "dearer.yaml")
    hire = scenario_file(tmp_path, HEAD + "  - headcount: {Writer: 3}\n", "hire.yaml")
    view = compare_scenarios(folder, [dearer, hire])
    text = scenarios_report(view)
    lines = [line for line in text.splitlines() if line.startswith("Test: ")]
    assert len(lines) == 2
    assert lines[0].endswith("; over capacity: Writer (192.00%).")
    # the hire says what it does to capacity, which is all it changes
    assert lines[1].endswith("; no longer over capacity: Writer (192.00% → 64.00%).")
    assert view.results[1].comparison.total_cost.change == 0
    assert "so a hire adds nothing to it" in text
    from sopkit.render.site.scenarios import render_scenarios

    page = render_scenarios(view)
    assert '<p class="over-capacity" role="note">Over capacity: Writer (192.00%).</p>' in page
    assert (
        '<p class="relieved" role="note">No longer over capacity: Writer (192.00% → 64.00%).</p>'
        in page
    )


def test_a_hire_weighed_as_an_expense_the_scenario_sets(folder: Path, tmp_path: Path) -> None:
    """The recipe docs/format.md gives: headcount for capacity, the salary as a process
    expense for the cost. 4,000 a month is 48,000 a year more in expenses and total."""
    hire = scenario_file(
        tmp_path,
        HEAD
        + "  - headcount: {Writer: 2}\n"
        + "  - set:\n      process: blog\n      expenses:\n"
        + "        - {name: Second writer salary, amount: 4000, per: month}\n",
        "hire.yaml",
    )
    (result,) = compare_scenarios(folder, [hire]).results
    assert result.comparison.total_cost.change == 48000
    assert "To weigh a hire, add what it costs as a process expense with set." in (
        scenarios_report(compare_scenarios(folder, [hire]))
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("  - automate: blog/초안\n", "'blog/초안' is not a step"),
        ("  - automate: blog/Draft\n", "'blog/Draft' is not a step"),
        ("  - automate: 블로그/draft\n", "'블로그/draft' is not a step"),
        ("  - remove: 블로그 글\n", "'블로그 글' is not a step or a process"),
    ],
)
def test_a_target_that_is_no_id_is_a_located_error_not_a_crash(
    folder: Path, tmp_path: Path, change: str, message: str
) -> None:
    """A step or process named by its name (in any language) or with capitals is reported
    where it is written; the other changes are still applied and checked."""
    path = scenario_file(tmp_path, HEAD + change)
    with pytest.raises(SopkitError) as info:
        compare_scenarios(folder, [path])
    (problem,) = info.value.problems
    assert problem.message == message and problem.line == 4
    result = CliRunner().invoke(app, ["compare", str(folder), "--scenario", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_an_empty_scenario_file_is_told_how_a_scenario_starts(tmp_path: Path) -> None:
    from sopkit.decide.scenario import load_scenario_parts

    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    scenario, (problem,) = load_scenario_parts(tmp_path / "empty.yaml")
    assert scenario is None and problem.message == "file is empty"
    assert problem.hint == "a scenario starts with 'sopkit-scenario: 1', 'name:' and 'changes:'"


# --- a scenario kept beside the processes ---------------------------------------------


def test_a_scenario_in_the_processes_folder_is_left_out_of_its_processes(
    folder: Path, tmp_path: Path
) -> None:
    outside = scenario_file(tmp_path, SCENARIO)
    expected = run("compare", folder, "--scenario", outside)
    costed = run("cost", folder)
    inside = scenario_file(folder, SCENARIO, "automate.yaml")
    found = find([folder])
    assert (found.files, found.scenarios) == ([folder / "blog.yaml"], [inside])
    assert load_portfolio(folder).scenario_files == (inside,)
    compared = run("compare", folder, "--scenario", inside)
    assert (compared.exit_code, compared.stdout) == (0, expected.stdout)
    assert run("cost", folder).stdout == costed.stdout
    checked = run("validate", folder)
    assert checked.exit_code == 0
    assert checked.stderr.splitlines()[-2:] == [
        "note: 1 scenario file left out (check it with sopkit compare --scenario)",
        "ok: 1 process, 5 steps valid",
    ]


def test_a_scenario_named_as_a_process_is_still_an_error(folder: Path) -> None:
    inside = scenario_file(folder, SCENARIO, "automate.yaml")
    result = run("cost", inside)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{inside}:1:1: error: this is a scenario file, not a process (pass it to sopkit "
        "compare, report, build, simulate or plan with --scenario, beside the process files "
        "or their folder)\n"
    )
    assert run("cost", folder / "blog.yaml", inside).exit_code == 1


def test_a_folder_of_scenarios_alone_has_no_process(tmp_path: Path) -> None:
    scenario_file(tmp_path, SCENARIO, "a.yaml")
    scenario_file(tmp_path, SCENARIO, "b.yaml")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path}: error: no process files found (the 2 scenario files here are no "
        "processes: pass each to sopkit compare --scenario with the process files it changes)\n"
    )


def test_a_process_that_only_mentions_the_scenario_key_is_a_process(folder: Path) -> None:
    text = BLOG.replace(
        "frequency:", "purpose: 'sopkit-scenario: 1 files hold changes'\nfrequency:"
    )
    (folder / "blog.yaml").write_text(text, encoding="utf-8")
    both = scenario_file(folder, "sopkit: 1\nsopkit-scenario: 1\n" + NEWS[len("sopkit: 1\n") :])
    assert is_scenario_file(folder / "blog.yaml") is False
    assert is_scenario_file(both) is False  # a process with an unknown field: reported
    assert find([folder]).scenarios == []
    result = run("validate", folder)
    assert result.exit_code == 1
    assert "unknown field 'sopkit-scenario'" in result.stderr


def test_a_scenario_beside_a_procedure_is_not_taken_for_a_caller(tmp_path: Path) -> None:
    """A scenario's ``set: {process: sub, …}`` reads like a call of ``sub``: loaded with
    its callers, it made the procedure's SOP lose them."""
    from sopkit.load import callers_of, load_process

    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    head = "sopkit: 1\nid: {id}\nname: {id}\nowner: Editor\n{frequency}steps:\n"
    (tmp_path / "main.yaml").write_text(
        head.format(id="main", frequency="frequency: 4/month\n")
        + "  - {id: send, name: Send, process: sub}\n",
        encoding="utf-8",
    )
    sub = tmp_path / "sub.yaml"
    sub.write_text(
        head.format(id="sub", frequency="") + "  - {id: x, name: X, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    scenario_file(
        tmp_path,
        "sopkit-scenario: 1\nname: S\nchanges:\n  - set: {process: sub, step: x, time: 2h}\n",
    )
    assert [p.id for p in callers_of(load_process(sub)).processes] == ["sub", "main"]
