"""``sopkit diff``: two commits of a git repository, figures worked out by hand.

The repository (``processes/``, USD, 8 h days, 260 days a year):

* commit 1: ``blog`` (4/month: draft 2h Writer $40, edit 1h Editor $50, proofread
  30m Editor) and ``news`` (2/month: write 3h Writer).
  blog = 96 h × $40 + 48 h × $50 + 24 h × $50 = $3,840 + $2,400 + $1,200 = $7,440;
  news = 72 h × $40 = $2,880; total $10,320, 240 h.
* commit 2: Writer's rate $40 → $45; the role Editor renamed Managing Editor (edit's
  owner with it); proofread removed, graphics added (30m, Designer $60); news
  removed; webinar added (1/month: plan 5h Writer).
  blog = 96 h × $45 + 48 h × $50 + 24 h × $60 = $4,320 + $2,400 + $1,440 = $8,160;
  webinar = 60 h × $45 = $2,700; total $10,860, 228 h: +$540, +5.23%.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sopkit.analysis.compare import Comparison, Status, Threshold, verdict
from sopkit.decide import diff, parse_threshold
from sopkit.errors import SopkitError, UsageError
from sopkit.render.costs.diff import details, diff_report, summary_line
from sopkit.render.i18n import catalogue

ROLES_1 = """\
currency: USD
roles:
  Writer: {rate: 40}
  Editor: {rate: 50}
"""
ROLES_2 = """\
currency: USD
roles:
  Writer: {rate: 45}
  Managing Editor: {rate: 50}
  Designer: {rate: 60}
"""
BLOG_1 = """\
sopkit: 1
id: blog
name: Blog post
owner: Editor
frequency: 4/month
steps:
  - {id: draft, name: Draft, owner: Writer, time: 2h}
  - {id: edit, name: Edit, owner: Editor, after: [draft], time: 1h}
  - {id: proofread, name: Proofread, owner: Editor, after: [edit], time: 30m}
"""
BLOG_2 = """\
sopkit: 1
id: blog
name: Blog post
owner: Managing Editor
frequency: 4/month
steps:
  - {id: draft, name: Draft, owner: Writer, time: 2h}
  - {id: edit, name: Edit, owner: Managing Editor, after: [draft], time: 1h}
  - {id: graphics, name: Graphics, owner: Designer, after: [edit], time: 30m}
"""
NEWS = """\
sopkit: 1
id: news
name: Newsletter
owner: Writer
frequency: 2/month
steps:
  - {id: write, name: Write, owner: Writer, time: 3h}
"""
WEBINAR = """\
sopkit: 1
id: webinar
name: Webinar
owner: Writer
frequency: 1/month
steps:
  - {id: plan, name: Plan, owner: Writer, time: 5h}
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def commit(repo: Path, files: dict[str, str | None], message: str) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository above, with both commits, as the current folder."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {
            "processes/roles.yaml": ROLES_1,
            "processes/blog.yaml": BLOG_1,
            "processes/news.yaml": NEWS,
        },
        "one",
    )
    commit(
        root,
        {
            "processes/roles.yaml": ROLES_2,
            "processes/blog.yaml": BLOG_2,
            "processes/news.yaml": None,
            "processes/webinar.yaml": WEBINAR,
        },
        "two",
    )
    monkeypatch.chdir(root)
    return root


def money(value: Fraction | None) -> Fraction | None:
    return value


def test_a_diff_between_two_commits_worked_out_by_hand(repo: Path) -> None:
    comparison = diff("HEAD~1:processes/", "HEAD:processes/").comparison
    total = comparison.total_cost
    assert (total.before, total.after) == (10320, 10860)
    assert total.change == 540
    assert total.change_percent == Fraction(540 * 100, 10320)
    hours = comparison.totals["annual_hours"]
    assert (hours.before, hours.after) == (240, 228)

    status = {row.label: row.status for row in comparison.rows}
    assert status["blog"] is Status.CHANGED
    assert status["news"] is Status.REMOVED and status["news/write"] is Status.REMOVED
    assert status["webinar"] is Status.ADDED and status["webinar/plan"] is Status.ADDED
    assert status["blog/proofread"] is Status.REMOVED
    assert status["blog/graphics"] is Status.ADDED
    assert status["Editor"] is Status.REMOVED and status["Managing Editor"] is Status.ADDED

    rows = {row.label: row for row in comparison.rows}
    draft = rows["blog/draft"]  # the rate change alone
    assert draft.figures["annual_cost"].before == 3840
    assert draft.figures["annual_cost"].after == 4320
    assert draft.figures["rate"].before == 40 and draft.figures["rate"].after == 45
    edit = rows["blog/edit"]  # the renamed owner: same hours and cost
    assert edit.status is Status.CHANGED
    assert (edit.texts["owner"].before, edit.texts["owner"].after) == ("Editor", "Managing Editor")
    assert edit.figures["annual_cost"].change == 0
    assert rows["blog"].texts["owner"].after == "Managing Editor"
    assert rows["blog"].figures["annual_total_cost"].change == 8160 - 7440
    writer = rows["Writer"]
    assert (writer.figures["annual_hours"].before, writer.figures["annual_hours"].after) == (
        168,
        156,
    )
    assert (writer.figures["annual_cost"].before, writer.figures["annual_cost"].after) == (
        6720,
        7020,
    )
    assert rows["Designer"].figures["annual_cost"].after == 1440
    assert rows["webinar"].figures["annual_cost"].before is None
    assert rows["webinar"].figures["annual_cost"].change_percent is None

    line = summary_line(comparison)
    assert line == (
        "Annual cost +$540.00 (+5.23%), 1 process added, 1 process removed, 1 process changed, "
        "1 step added, 1 step removed, 2 steps changed, 4 roles changed"
    )


def test_unchanged_rows_are_left_out_unless_all(repo: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "three")
    same = diff("HEAD~1:processes/", "processes/").comparison
    assert same.changes().rows == ()
    assert {row.status for row in same.rows} == {Status.UNCHANGED}
    text = diff_report(same)
    assert text.startswith("Annual cost unchanged at $10,860.00, nothing else changed\n")
    assert "No process, step or role changed." in text
    everything = diff_report(same, everything=True, fmt="json")
    assert {row["status"] for row in json.loads(everything)["steps"]} == {"unchanged"}


def test_the_work_tree_and_the_index_are_never_touched(repo: Path) -> None:
    changed = BLOG_2.replace("time: 30m}", "time: 1h}")
    (repo / "processes" / "blog.yaml").write_text(changed, encoding="utf-8")  # uncommitted
    before = git(repo, "status", "--porcelain")
    head = (repo / ".git" / "HEAD").read_text()
    comparison = diff("HEAD:processes/", "processes/").comparison
    assert git(repo, "status", "--porcelain") == before
    assert (repo / ".git" / "HEAD").read_text() == head
    assert [r.label for r in comparison.changes().steps] == ["blog/graphics"]


def test_a_single_file_of_a_revision_finds_its_roles_file(repo: Path) -> None:
    comparison = diff("HEAD~1:processes/blog.yaml", "processes/blog.yaml").comparison
    assert comparison.total_cost.before == 7440
    assert comparison.total_cost.after == 8160


def test_paths_from_the_current_folder_with_dot_slash(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "processes")
    comparison = diff("HEAD~1:./", "./").comparison
    assert comparison.total_cost.before == 10320


def test_an_invalid_revision_file_is_named_rev_path(repo: Path) -> None:
    broken = BLOG_2.replace("time: 30m}", "time: 30 minutes}")
    commit(repo, {"processes/blog.yaml": broken}, "three")
    with pytest.raises(SopkitError) as caught:
        diff("HEAD:processes/", "HEAD~1:processes/")
    (problem,) = caught.value.problems
    assert problem.format().startswith("HEAD:processes/blog.yaml:9:")
    assert problem.format() == (
        "HEAD:processes/blog.yaml:9:74: error: step 'graphics': time: unknown unit 'minutes' "
        "in '30 minutes' (write 30m: sopkit's units are m, h, d and w)"
    )
    assert "/tmp" not in problem.format()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuchrev:processes/", "no revision 'nosuchrev' in this repository"),
        ("HEAD:nowhere/", "'nowhere/' is not in HEAD"),
    ],
)
def test_a_revision_that_does_not_exist(repo: Path, spec: str, message: str) -> None:
    with pytest.raises(SopkitError) as caught:
        diff(spec, "processes/")
    assert caught.value.message == message
    assert caught.value.path == spec


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(SopkitError) as caught:
        diff("HEAD:processes/", "HEAD:processes/")
    (problem,) = caught.value.problems
    assert problem.message.startswith("the current folder is not in a git repository")


def test_both_sides_report_their_problems(repo: Path) -> None:
    broken = NEWS.replace("3h", "three")
    commit(repo, {"processes/news.yaml": broken}, "three")
    (repo / "processes" / "news.yaml").unlink()  # the work tree: only webinar is wrong
    (repo / "processes" / "webinar.yaml").write_text(WEBINAR.replace("5h", "5 hours"), "utf-8")
    with pytest.raises(SopkitError) as caught:
        diff("HEAD:processes/", "processes/")
    paths = sorted(str(p.path) for p in caught.value.problems)
    assert paths == ["HEAD:processes/news.yaml", "processes/webinar.yaml"]


# --- the CI gate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "exceeded"),
    [
        ("5%", True),  # +5.23% is more than 5%
        ("5.3%", False),
        ("6%", False),
        ("500", True),
        ("539.99", True),
        ("540", False),  # exactly the rise: not more than it
        ("1,000", False),
    ],
)
def test_fail_over_on_both_sides_of_the_threshold(
    repo: Path, threshold: str, exceeded: bool
) -> None:
    comparison = diff("HEAD~1:processes/", "HEAD:processes/").comparison
    assert verdict(comparison, parse_threshold(threshold)).exceeded is exceeded
    result = run("diff", "HEAD~1:processes/", "HEAD:processes/", "--fail-over", threshold)
    assert result.exit_code == (3 if exceeded else 0), result.stderr
    last = result.stderr.splitlines()[-1]
    assert "annual total cost rose by $540.00 (+5.23%)" in last
    assert last.startswith("fail: " if exceeded else "ok: ")


def test_a_fall_never_fails_and_a_rise_from_nothing_fails_any_percentage() -> None:
    from sopkit.analysis.compare import Figure

    def comparison(before: int, after: int) -> Comparison:
        figure = Figure(Fraction(before), Fraction(after))
        totals = {"annual_total_cost": figure, "annual_expenses": Figure(None, None)}
        return Comparison("USD", (), (), (), totals)

    assert not verdict(comparison(100, 50), Threshold(Decimal(0), True)).exceeded
    assert verdict(comparison(0, 1), Threshold(Decimal(1000), True)).exceeded
    assert not verdict(comparison(0, 0), Threshold(Decimal(0), True)).exceeded


def test_the_rise_judged_is_the_rise_shown() -> None:
    """A rise of $5,485.714… is shown as $5,485.71: a --fail-over of $5,485.71 lets it
    pass, rather than fail with "rose by $5,485.71, more than the $5,485.71 allowed"."""
    from sopkit.analysis.compare import Figure
    from sopkit.render.costs.diff import verdict_line

    before, after = Fraction(150_000), Fraction(150_000) + Fraction(38_400, 7)
    totals = {"annual_total_cost": Figure(before, after), "annual_expenses": Figure(None, None)}
    comparison = Comparison("USD", (), (), (), totals)
    judged = verdict(comparison, Threshold(Decimal("5485.71"), False))
    assert not judged.exceeded
    assert verdict_line(judged, "USD").startswith("ok: annual total cost rose by $5,485.71")
    assert verdict(comparison, Threshold(Decimal("5485.70"), False)).exceeded


def test_the_rise_judged_is_the_exact_rise_rounded_once() -> None:
    """$100.005 → $100.014 shows as $100.01 → $100.01, yet rose by $0.009, which is
    $0.01 rounded once: the line says so and a --fail-over of $0 fails on it, not "rose
    by $0.00"."""
    from sopkit.analysis.compare import Figure
    from sopkit.render.costs.diff import verdict_line

    before, after = Fraction(100_005, 1000), Fraction(100_014, 1000)
    totals = {"annual_total_cost": Figure(before, after), "annual_expenses": Figure(None, None)}
    comparison = Comparison("USD", (), (), (), totals)
    judged = verdict(comparison, Threshold(Decimal(0), False))
    assert judged.exceeded
    assert verdict_line(judged, "USD").startswith("fail: annual total cost rose by $0.01 ")
    assert not verdict(comparison, Threshold(Decimal("0.01"), False)).exceeded


@pytest.mark.parametrize(
    "bad", ["five", "-5%", "%", "nan", "1e30", "1e30%", "5e-999999999%", "0.1234567"]
)
def test_a_threshold_that_is_not_one_is_a_usage_error(bad: str) -> None:
    """Far exponents are refused at once: 1e30 failed in rounding after the report,
    5e-999999999% never finished comparing."""
    with pytest.raises(UsageError):
        parse_threshold(bad)


def test_fail_over_usage_error_exits_2(repo: Path) -> None:
    result = run("diff", "HEAD~1:processes/", "processes/", "--fail-over", "lots")
    assert result.exit_code == 2
    assert "--fail-over 'lots' is not a percentage or an amount" in result.stderr


# --- the CLI prints what the library renders ------------------------------------------------


def run(*args: str | Path) -> object:
    from sopkit.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_the_cli_prints_the_library_report(repo: Path, fmt: str) -> None:
    result = run("diff", "HEAD~1:processes/", "processes/", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    expected = diff_report(
        diff("HEAD~1:processes/", "processes/").comparison,
        fmt=fmt,
        before="HEAD~1:processes/",
        after="processes/",
    )
    assert result.stdout == expected


def test_invalid_files_exit_1_with_located_errors(repo: Path) -> None:
    (repo / "processes" / "blog.yaml").write_text(BLOG_2.replace("2h}", "2 hours}"), "utf-8")
    result = run("diff", "HEAD:processes/", "processes/")
    assert result.exit_code == 1
    assert result.stderr.startswith("processes/blog.yaml:7:")


def test_markdown_and_json_golden(repo: Path, golden: Callable[[str, str], None]) -> None:
    comparison = diff("HEAD~1:processes/", "HEAD:processes/").comparison
    markdown = diff_report(comparison, fmt="markdown")
    golden("diff/two-commits.md", markdown)
    assert markdown.splitlines()[0] == summary_line(comparison)
    document = diff_report(
        comparison, fmt="json", before="HEAD~1:processes/", after="HEAD:processes/"
    )
    golden("diff/two-commits.json", document)
    parsed = json.loads(document)
    assert parsed["totals"]["annual_total_cost"] == {
        "before": 10320.0,
        "after": 10860.0,
        "change": 540.0,
        "change_percent": 5.23,
    }
    webinar = next(p for p in parsed["processes"] if p["id"] == "webinar")
    assert webinar["status"] == "added"
    assert webinar["annual_cost"]["before"] is None


@pytest.mark.parametrize("width", [80, 100])
def test_tables_fit_the_terminal(repo: Path, width: int) -> None:
    comparison = diff("HEAD~1:processes/", "HEAD:processes/").comparison
    text = diff_report(comparison, width=width)
    assert max(len(line) for line in text.splitlines()[1:]) <= width


def test_two_currencies_cannot_be_subtracted(repo: Path) -> None:
    (repo / "processes" / "roles.yaml").write_text(ROLES_2.replace("USD", "EUR"), "utf-8")
    with pytest.raises(SopkitError) as caught:
        diff("HEAD:processes/", "processes/")
    assert caught.value.message.startswith(
        "the two sides cost in different currencies (USD and EUR)"
    )


def test_roles_given_apply_to_both_sides(repo: Path, tmp_path: Path) -> None:
    roles = tmp_path / "dear.yaml"
    roles.write_text(ROLES_2.replace("rate: 45", "rate: 90"), encoding="utf-8")
    comparison = diff("HEAD:processes/", "processes/", roles=roles).comparison
    assert comparison.changes().rows == ()
    assert comparison.total_cost.after == 96 * 90 + 48 * 50 + 24 * 60 + 60 * 90


def test_a_sign_off_removed_and_a_step_moved_are_edits_a_review_sees(tmp_path: Path) -> None:
    """Neither changes a figure here (proofreading costs the same wherever it stands), yet a
    release without the editor's sign-off, or proofread before the edit, is the change."""
    before = BLOG_1.replace(
        "after: [draft], time: 1h}", "after: [draft], time: 1h, approval: true}"
    )
    after = BLOG_1.replace("after: [edit], time: 30m", "after: [draft], time: 30m")
    for side, blog in (("old", before), ("new", after)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        (tmp_path / side / "blog.yaml").write_text(blog, encoding="utf-8")
    comparison = diff(tmp_path / "old", tmp_path / "new").comparison
    assert [(r.label, r.fields) for r in comparison.edited] == [
        ("blog/edit", ("approval",)),
        ("blog/proofread", ("after",)),
    ]
    assert not comparison.changes().steps  # no step's figures changed
    assert "2 steps edited" in summary_line(comparison)
    assert diff_report(comparison).endswith(
        "  blog/edit (Edit): approval true → false\n"
        "  blog/proofread (Proofread): after [edit] → [draft]\n"
    )
    # `after` listed in another order says the same: no edit
    for side, order in (("ab", "[draft, edit]"), ("ba", "[edit, draft]")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        text = BLOG_1.replace("after: [edit], time: 30m", f"after: {order}, time: 30m")
        (tmp_path / side / "blog.yaml").write_text(text, encoding="utf-8")
    assert diff(tmp_path / "ab", tmp_path / "ba").comparison.edited == ()


def test_fields_that_changed_are_named_though_no_figure_did(tmp_path: Path) -> None:
    """A new step name, done_when or purpose costs nothing, yet a reviewer must hear of it:
    not as rows (rows are figures), but named in the summary and under the tables."""
    for side, blog in (("old", BLOG_1), ("new", BLOG_1)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        if side == "new":
            blog = blog.replace("name: Blog post", "name: Blog post\npurpose: Readers.")
            blog = blog.replace("name: Draft,", "name: First draft, done_when: Sent to the editor,")
        (tmp_path / side / "blog.yaml").write_text(blog, encoding="utf-8")
    comparison = diff(tmp_path / "old", tmp_path / "new").comparison
    assert [(r.label, r.fields, r.name_before) for r in comparison.edited] == [
        ("blog", ("purpose",), "Blog post"),
        ("blog/draft", ("name", "done_when"), "Draft"),
    ]
    assert not comparison.changes().rows
    table = diff_report(comparison)
    assert table.startswith("Annual cost unchanged at $7,440.00, 1 process edited, 1 step edited\n")
    assert table.endswith(
        "No figure changed.\n\n"
        "Edited (the fields that changed; the figures are as above):\n"
        "  blog (Blog post): purpose none → Readers.\n"
        "  blog/draft (First draft): name (was “Draft”), done_when none → Sent to the editor\n"
    )
    document = json.loads(diff_report(comparison, fmt="json"))
    assert document["edited"][1] == {
        "kind": "step",
        "key": "blog/draft",
        "name": "First draft",
        "name_before": "Draft",
        "fields": ["name", "done_when"],
        "changes": [
            {"field": "name", "before": "Draft", "after": "First draft"},
            {"field": "done_when", "before": None, "after": "Sent to the editor"},
        ],
    }
    same = diff(tmp_path / "old", tmp_path / "old").comparison
    assert same.edited == () and "edited" not in summary_line(same)


def _blog_diff(tmp_path: Path, old: str, new: str) -> Comparison:
    """``diff`` of two versions of one blog file, beside the same roles."""
    for side, blog in (("old", old), ("new", new)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        (tmp_path / side / "blog.yaml").write_text(blog, encoding="utf-8")
    return diff(tmp_path / "old", tmp_path / "new").comparison


def test_edited_fields_say_what_they_were_and_are(tmp_path: Path) -> None:
    """A reviewer reads "time 2h → 3h" without opening the files; a value as the file writes
    it (a rework loop in flow style), and prose too long for one line is only named."""
    prose = "Sent to the editor with every source linked and the brief ticked off."
    new_blog = BLOG_1.replace(
        "{id: draft, name: Draft, owner: Writer, time: 2h}",
        f"{{id: draft, name: Draft, owner: Writer, time: 2h..3h, done_when: {prose}}}",
    ).replace(
        "after: [draft], time: 1h}",
        "after: [draft], time: 1h, rework: {to: draft, probability: 0.3}, with: {Writer: 1}}",
    )
    comparison = _blog_diff(tmp_path, BLOG_1, new_blog)
    assert diff_report(comparison).endswith(
        "  blog/draft (Draft): time 2h → 2h..3h, done_when\n"
        "  blog/edit (Edit): with none → {Writer: 1}, rework none → {to: draft, probability: 0.3}\n"
    )
    assert diff_report(comparison, fmt="markdown").endswith(
        "- `blog/draft` (Draft): time `2h` → `2h..3h`, done_when\n"
        "- `blog/edit` (Edit): with `none` → `{Writer: 1}`, "
        "rework `none` → `{to: draft, probability: 0.3}`\n"
    )
    changes = json.loads(diff_report(comparison, fmt="json"))["edited"][0]["changes"]
    assert changes == [
        {"field": "time", "before": "2h", "after": "2h..3h"},
        {"field": "done_when", "before": None, "after": prose},
    ]


def test_edited_money_lists_and_automation_read_as_written(tmp_path: Path) -> None:
    """Money serialises as a float, which JSON output refuses: a new expense crashed
    ``--format json``. Values read as the file writes them: ``10``, not ``10.0``; an
    automation without the defaults of its parts; a text with a comma quoted, so a list
    of two does not read as three."""
    old_blog = BLOG_1.replace("time: 2h}", "time: 2h, automation: 0.2, do: [Check sources]}")
    new_blog = BLOG_1.replace(
        "time: 2h}",
        "time: 2h, expense: 10, automation: 0.3, do: ['Check sources, links', Cite]}",
    )
    comparison = _blog_diff(tmp_path, old_blog, new_blog)
    assert diff_report(comparison).endswith(
        "  blog/draft (Draft): expense none → 10, automation {share: 0.2} → {share: 0.3}, "
        'do [Check sources] → ["Check sources, links", Cite]\n'
    )
    (edited,) = json.loads(diff_report(comparison, fmt="json"))["edited"]
    assert edited["changes"][0] == {"field": "expense", "before": None, "after": 10}
    assert edited["changes"][1] == {
        "field": "automation",
        "before": {"share": 0.2},
        "after": {"share": 0.3},
    }


def test_a_change_of_hours_and_rate_is_split_between_them(tmp_path: Path) -> None:
    """Draft goes 2 h → 3 h and the writer $40 → $45: 4 runs × 12 = 48 a year, so 96 h →
    144 h. From the hours: 48 h × $40 = $1,920; from the rate: $5 × 144 h = $720; together
    the change, $3,840 → $6,480 = +$2,640."""
    for side, (blog, roles) in {
        "old": (BLOG_1, ROLES_1),
        "new": (
            BLOG_1.replace("owner: Writer, time: 2h", "owner: Writer, time: 3h"),
            ROLES_1.replace("Writer: {rate: 40}", "Writer: {rate: 45}"),
        ),
    }.items():
        (tmp_path / side).mkdir()
        (tmp_path / side / "roles.yaml").write_text(roles, encoding="utf-8")
        (tmp_path / side / "blog.yaml").write_text(blog, encoding="utf-8")
    comparison = diff(tmp_path / "old", tmp_path / "new").comparison
    (row,) = [r for r in comparison.steps if r.label == "blog/draft"]
    split = comparison.rate_split(row)
    assert split is not None and (split.from_hours, split.from_rate) == (1920, 720)
    assert "blog/draft: from the hours: +$1,920.00, from the rate: +$720.00;" in diff_report(
        comparison
    )
    (step,) = [s for s in json.loads(diff_report(comparison, fmt="json"))["steps"]]
    assert step["rate_split"] == {"from_hours": 1920.0, "from_rate": 720.0}


def test_steps_that_only_follow_their_process_s_runs_are_folded(tmp_path: Path) -> None:
    """The blog runs 4 → 5 times a month (×1.25): draft (2 h × $40 × 4 runs × 12 = $3,840 a
    year → $4,800) and edit
    follow it exactly and are folded into one line; proofread, also made 30 m → 45 m,
    changed in its own right and stays a row."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, blog in ((old, BLOG_1), (new, BLOG_1.replace("4/month", "5/month"))):
        folder.mkdir()
        (folder / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        (folder / "blog.yaml").write_text(
            blog.replace("time: 30m}", "time: 45m}") if folder is new else blog,
            encoding="utf-8",
        )
    result = diff(old, new)
    (scaled,) = result.comparison.scaled
    assert (scaled.process_id, scaled.ratio, scaled.steps) == (
        "blog",
        Fraction(5, 4),
        ("draft", "edit"),
    )
    draft = next(r for r in result.comparison.steps if r.key == ("blog", "draft"))
    assert (money(draft.total.before), money(draft.total.after)) == (3840, 4800)
    table = diff_report(result)
    assert "blog/draft" not in table and "blog/edit" not in table and "blog/proofread" in table
    assert "blog: 2 steps changed only as its runs a year did (×1.25), each by as much" in table
    everything = diff_report(result, everything=True)
    assert "blog/draft" in everything and "only as its runs" not in everything
    document = json.loads(diff_report(result, fmt="json"))
    assert document["scaled"] == [{"process": "blog", "ratio": 1.25, "steps": ["draft", "edit"]}]
    assert {s["id"] for s in document["steps"]} == {"draft", "edit", "proofread"}
    # Proofread's +$1,050 ($1,200 → $2,250: 30 m × $50 × 48 runs → 45 m × $50 × 60) in the
    # two parts that add up to it: the runs, $1,200 × 0.25 = $300; a run's cost, 45 m at the
    # new runs against 30 m, $2,250 − $1,500 = $750.
    proofread = next(r for r in result.comparison.steps if r.key == ("blog", "proofread"))
    split = result.comparison.split(proofread)
    assert split is not None
    assert (split.ratio, split.from_runs, split.from_run_cost) == (Fraction(5, 4), 300, 750)
    assert "blog/proofread: runs a year ×1.25: +$300.00, a run's cost: +$750.00;" in table
    (row,) = [s for s in document["steps"] if s["id"] == "proofread"]
    assert row["runs_split"] == {"runs_ratio": 1.25, "from_runs": 300.0, "from_run_cost": 750.0}
    assert all(s["runs_split"] is None for s in document["steps"] if s["id"] != "proofread")


CALLER = """\
sopkit: 1
id: release
name: Release
owner: Editor
frequency: 2/month
steps:
  - {id: items, name: Items, process: item, per_run: 3}
"""
ITEM = """\
sopkit: 1
id: item
name: Item
owner: Writer
steps:
  - {{id: write, name: Write, owner: Writer, time: {time}}}
"""


def test_one_sub_procedure_file_is_diffed_with_the_processes_that_run_it(
    tmp_path: Path,
) -> None:
    # The item runs only when called: 3 items × 2 releases = 6 runs a month. Writing one
    # goes from 1 h to 2 h of a $40 writer: 1 h × 6 × 12 × $40 = $2,880 more a year, in
    # the release's calling step (the item's own row stays $0). Diffed alone, the file
    # showed no change at all and passed any --fail-over.
    for side, time in (("old", "1h"), ("new", "2h")):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
        (folder / "release.yaml").write_text(CALLER, encoding="utf-8")
        (folder / "item.yaml").write_text(ITEM.format(time=time), encoding="utf-8")
    old, new = tmp_path / "old" / "item.yaml", tmp_path / "new" / "item.yaml"
    comparison = diff(old, new).comparison
    assert comparison.total_cost.before == 2880
    assert comparison.total_cost.after == 5760
    rows = {row.label: row.total for row in comparison.processes}
    assert (rows["release"].before, rows["release"].after) == (2880, 5760)
    assert rows["item"].before == rows["item"].after == 0
    result = run("diff", old, new, "--fail-over", "1%")
    assert getattr(result, "exit_code", None) == 3
    assert "release/items" in getattr(result, "stdout", "")
    # the item's own rows show $0 however its work changed: the report says where it went
    assert comparison.called_only == {"item": ("release",)}
    assert (
        "item runs only when release runs it: its steps' work is costed in the calling steps "
        "of release, so its own rows show only its fixed cash costs."
    ) in diff_report(comparison, everything=True)
    assert json.loads(diff_report(comparison, fmt="json"))["called_only"] == {"item": ["release"]}


def test_a_role_the_change_takes_over_capacity_is_named(tmp_path: Path) -> None:
    # One writer for 100 hours a year (headcount 1, available 100 h): 4 h × 2 runs × 12
    # = 96 h is 96 %; at 5 h it is 120 h, 120 % — over capacity after the change.
    roles = "currency: USD\nroles:\n  Writer: {rate: 40, headcount: 1, available_hours: 100}\n"
    for side, time in (("old", "4h"), ("new", "5h")):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "roles.yaml").write_text(roles, encoding="utf-8")
        (folder / "news.yaml").write_text(NEWS.replace("3h", time), encoding="utf-8")
    result = diff(tmp_path / "old", tmp_path / "new")
    table = diff_report(result)
    assert table.splitlines()[0].endswith("; over capacity: Writer (120.00%)")
    assert json.loads(diff_report(result, fmt="json"))["over_capacity"] == ["Writer"]
    # Back down to 4 h: still named nowhere, as it is no longer over.
    back = diff(tmp_path / "new", tmp_path / "old")
    assert "over capacity" not in diff_report(back).splitlines()[0]
    assert json.loads(diff_report(back, fmt="json"))["over_capacity"] == []


@settings(max_examples=40, deadline=None)
@example(runs=(1, 2), minutes=(2, 1))  # found by Hypothesis: no change, no split
@given(
    runs=st.tuples(st.integers(1, 40), st.integers(1, 40)).filter(lambda r: r[0] != r[1]),
    minutes=st.tuples(st.integers(1, 600), st.integers(1, 600)).filter(lambda m: m[0] != m[1]),
)
def test_a_split_adds_up_to_the_change_as_shown(
    runs: tuple[int, int], minutes: tuple[int, int]
) -> None:
    # Twice the runs of half the minutes is no change to the step: nothing to split.
    assume(runs[0] * minutes[0] != runs[1] * minutes[1])
    """The two parts are shown so that they add up to the step's change to the cent,
    whatever the rounding of the figures before and after, and each is within a cent
    of its exact value (the runs' part: the cost before × (ratio − 1), exactly)."""
    with tempfile.TemporaryDirectory() as folder:
        sides = []
        for count, time in zip(runs, minutes, strict=True):
            side = Path(folder) / str(len(sides))
            side.mkdir()
            (side / "roles.yaml").write_text(ROLES_1, encoding="utf-8")
            blog = BLOG_1.replace("4/month", f"{count}/week").replace("30m}", f"{time}m}}")
            (side / "blog.yaml").write_text(blog, encoding="utf-8")
            sides.append(side)
        document = json.loads(diff_report(diff(*sides), fmt="json"))
    (row,) = [s for s in document["steps"] if s["id"] == "proofread"]
    shown = row["runs_split"]
    runs_part = Decimal(str(shown["from_runs"]))
    run_part = Decimal(str(shown["from_run_cost"]))
    assert runs_part + run_part == Decimal(str(row["annual_total_cost"]["change"]))
    # Worked out apart from sopkit: proofread costs its minutes ÷ 60 × $50 a run, and runs
    # N a week, 52 weeks a year (260 working days of 5 a week).
    before, after = (
        Fraction(time, 60) * 50 * count * 52 for count, time in zip(runs, minutes, strict=True)
    )
    ratio = Fraction(runs[1], runs[0])
    assert abs(Fraction(runs_part) - before * (ratio - 1)) <= Fraction(1, 200)
    assert abs(Fraction(run_part) - (after - before * ratio)) <= Fraction(1, 100)


def test_a_new_rate_for_a_role_working_with_the_owner_is_said(tmp_path: Path) -> None:
    """Edit (the Editor's, with the Writer) costs 1 h × ($50 + $40) × 48 runs = $4,320 a
    year; the Writer at $60 makes it $5,280, and the row says why: the combined hourly rate
    of those working with the owner went from $40/h to $60/h."""
    blog = BLOG_1.replace(
        "owner: Editor, after: [draft]", "owner: Editor, with: [Writer], after: [draft]"
    )
    assert blog != BLOG_1
    for name, rate in (("old", 40), ("new", 60)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "roles.yaml").write_text(
            ROLES_1.replace("rate: 40", f"rate: {rate}"), encoding="utf-8"
        )
        (folder / "blog.yaml").write_text(blog, encoding="utf-8")
    result = diff(tmp_path / "old", tmp_path / "new")
    edit = next(r for r in result.comparison.steps if r.key == ("blog", "edit"))
    assert (money(edit.total.before), money(edit.total.after)) == (4320, 5280)
    assert (edit.figures["with_rate"].before, edit.figures["with_rate"].after) == (40, 60)
    # an hourly figure (Σ people × rate), named and with its unit, in every output
    said = "combined hourly rate of those working with the owner $40/h → $60/h"
    assert f"blog/edit: {said}" in diff_report(result)
    assert said in diff_report(result, fmt="markdown")
    document = json.loads(diff_report(result, fmt="json"))
    (step,) = [s for s in document["steps"] if s["id"] == "edit"]
    assert step["with_rate"]["after"] == 60  # JSON keeps its key and number
    for language, words in (
        ("ko", "협업자 합산 단가 US$40/시간 → US$60/시간"),
        ("ru", "суммарная часовая ставка участников 40\u00a0$/ч → 60\u00a0$/ч"),
    ):
        assert words in details(edit, "USD", t=catalogue(language), only={"with_rate"})
    draft = next(r for r in result.comparison.steps if r.key == ("blog", "draft"))
    assert draft.figures["with_rate"].before is None  # no one works with its owner
