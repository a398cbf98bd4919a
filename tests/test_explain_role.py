"""``sopkit cost --explain ROLE``: a role's hours, cost and utilisation, step by step."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PROCESSES
from typer.testing import CliRunner

from sopkit import SopkitError, load_portfolio
from sopkit.analysis import cost_portfolio
from sopkit.cli import app
from sopkit.models import RoleKind
from sopkit.render.costs import explain_figures, explain_role

ROLES = """\
currency: USD
roles:
  Writer: {rate: 50, headcount: 1, available_hours: 100}
  Editor: {rate: 60}
"""
PROCESS = """\
sopkit: 1
id: blog
name: Blog post
owner: Writer
frequency: 4/month
steps:
  - {id: draft, name: Draft, owner: Writer, time: 1h}
  - {id: edit, name: Edit, owner: Editor, time: 30m, with: [Writer], after: [draft]}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "blog.yaml").write_text(PROCESS, encoding="utf-8")
    return tmp_path


def test_a_role_s_hours_add_up_step_by_step(folder: Path) -> None:
    """By hand: 48 runs a year; the draft takes 1 h of the writer each, the edit 30 min
    beside the editor: 48 h + 24 h = 72 h, at $50 = $3,600, against 100 h: 72%."""
    text = explain_role(load_portfolio(folder), "Writer")
    lines = text.splitlines()
    assert lines[0] == "Writer (staff)"
    draft = next(line for line in lines if "blog/draft" in line)
    edit = next(line for line in lines if "blog/edit" in line)
    assert draft.split()[-3:] == ["48", "h", "$2,400.00"] and "owner" in draft
    assert edit.split()[-3:] == ["24", "h", "$1,200.00"] and "with the owner" in edit
    assert "Total: 72 h a year, $3,600.00 a year" in text
    assert "= 1 × 100 h = 100 h" in text
    assert "72 h ÷ 100 h = 72.00%: within capacity" in text


def test_the_library_s_writer_matches_the_role_report() -> None:
    cost = cost_portfolio(load_portfolio(PROCESSES / "en"))
    (writer,) = [r for r in cost.roles if r.role == "Content Writer"]
    text = explain_role(cost, "Content Writer")
    assert f"Total: {writer.annual_hours:,.2f} h a year, ${writer.annual_cost:,.2f} a year" in text
    assert "product-launch/retro" in text and "with the owner" in text
    # the feature write-up runs only when the release post runs it: the writer's 225 h in
    # it are the calling step's row, and its own steps (no runs of their own) are named
    technical = explain_role(cost, "Technical Writer")
    row = next(line for line in technical.splitlines() if "release-post/feature-items" in line)
    assert "which it runs" in row and row.split()[-3:] == ["225", "h", "$10,800.00"]
    assert "Not listed, as they take none of its time a year: feature-item/writer-review (a " in (
        technical
    )


@pytest.mark.parametrize("language", ["en", "ko", "ru"])
def test_every_role_s_rows_add_up_to_its_total(language: str) -> None:
    """Each row is rounded to the cent and the total is rounded once: they agree to within
    half a cent a row (a user summed the rows and found 157 h of a 382 h total)."""
    cost = cost_portfolio(load_portfolio(PROCESSES / language))
    for role in cost.roles:
        text = explain_role(cost, role.role)
        table = (line for line in text.splitlines() if line.startswith("  "))
        shown = (re.search(r"\s([\d,.]+) h\s", line) for line in table)
        rows = [Decimal(found[1].replace(",", "")) for found in shown if found]
        hours = sum(rows, Decimal(0))
        total = role.external_hours if role.kind is RoleKind.EXTERNAL else role.annual_hours
        assert rows or not total, role.role
        assert abs(hours - total) <= Decimal("0.005") * max(len(rows), 1), role.role


def test_work_inside_a_called_process_is_the_calling_step_s(tmp_path: Path) -> None:
    """Given alone, the release post runs the feature write-up, loaded only for that call:
    the writer's hours in it are the calling step's row."""
    text = explain_role(load_portfolio(PROCESSES / "en" / "release-post.yaml"), "Technical Writer")
    row = next(line for line in text.splitlines() if "release-post/feature-items" in line)
    assert "in 'Release post feature write-up', which it runs" in row


def test_a_step_id_wins_and_a_near_role_name_is_offered(folder: Path) -> None:
    portfolio = load_portfolio(folder)
    assert explain_figures(portfolio, "draft").startswith("blog/draft: Draft")
    assert explain_figures(portfolio, "Writer").startswith("Writer (staff)")
    with pytest.raises(SopkitError, match="no step or role 'Writr'") as caught:
        explain_figures(portfolio, "Writr")
    assert caught.value.problems[0].hint == "did you mean the role 'Writer'?"
    with pytest.raises(SopkitError, match="no role 'Nobody'"):
        explain_role(portfolio, "Nobody")


def test_a_role_without_a_headcount_says_how_to_give_one(folder: Path) -> None:
    text = explain_role(load_portfolio(folder), "Editor")
    assert "no headcount is given for the role" in text and "Utilisation =" not in text
    assert "e.g. 'headcount: 1'" in text  # an example, not a number sopkit worked out


def test_the_command_explains_a_role(folder: Path) -> None:
    result = CliRunner().invoke(app, ["cost", str(folder), "--explain", "Writer"])
    assert result.exit_code == 0, result.output
    assert "Utilisation = hours a year ÷ capacity" in result.stdout


def test_part_of_a_role_s_name_is_offered_the_role() -> None:
    portfolio = load_portfolio(PROCESSES / "en" / "content-marketing.yaml")
    with pytest.raises(SopkitError) as caught:
        explain_figures(portfolio, "Writer")
    assert caught.value.problems[0].hint == "did you mean the role 'Content Writer'?"


def test_joint_work_says_when_its_rounded_factors_give_another_cost(tmp_path: Path) -> None:
    """1 × 4 h × 1.43 exec × 4 runs × $110 × 12 reads $30,201.60, but the exact 1.4286
    executions give $30,171.43: the line says so, as it does for a step done alone."""
    (tmp_path / "roles.yaml").write_text(
        "roles:\n  Designer: {rate: 110}\n  Editor: {rate: 60}\n", encoding="utf-8"
    )
    (tmp_path / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Designer\nfrequency: 4/month\nsteps:\n"
        "  - {id: design, name: Design, owner: Designer, time: 4h, with: [Editor]}\n"
        "  - {id: check, name: Check, owner: Editor, time: 1h, after: [design],\n"
        "     rework: {to: design, probability: 0.3}}\n",
        encoding="utf-8",
    )
    text = explain_figures(load_portfolio(tmp_path), "design")
    assert "Σ over the people on the step" in text
    assert "the rounded factors would give" in text


def test_a_defined_role_no_step_names_is_said_to_have_no_work(folder: Path) -> None:
    roles = ROLES + "  Designer: {rate: 70}\n"
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    for explain in (explain_figures, explain_role):  # the CLI's dispatcher, and the role's
        with pytest.raises(SopkitError) as caught:
            explain(load_portfolio(folder), "Designer")
        message = caught.value.first.message
        assert message == "the role 'Designer' works on no step of these processes", explain
