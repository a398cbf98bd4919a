"""Terminal tables fit 80, 100 and 200 columns and never break a figure across lines."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import PORTFOLIOS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

import sopkit.cli.costs
from sopkit import load_portfolio
from sopkit.analysis import PortfolioCost, cost_portfolio
from sopkit.cli import app
from sopkit.cli.common import table_width
from sopkit.render.costs import candidates_report, cost_report
from sopkit.render.costs.sheet import Sheet
from sopkit.render.costs.tables import DROP_ORDER, candidates_sheet, cost_sheet
from sopkit.render.costs.terminal import MIN_TEXT, layout, render_table, wrap_cell

WIDTHS = (60, 72, 80, 100, 200)
REPORTS = ("step", "role", "process", "candidates")


#: The library's portfolios, and one that uses every addition (more columns to fit).
FOLDERS = {**PORTFOLIOS, "additions": ROOT / "tests" / "fixtures" / "additions" / "en"}


@pytest.fixture(scope="module")
def portfolios() -> dict[str, PortfolioCost]:
    return {name: cost_portfolio(load_portfolio(folder)) for name, folder in FOLDERS.items()}


def sheet_of(costs: PortfolioCost, report: str) -> Sheet:
    return candidates_sheet(costs) if report == "candidates" else cost_sheet(costs, by=report)


def text_of(costs: PortfolioCost, report: str, width: int | None) -> str:
    if report == "candidates":
        return candidates_report(costs, width=width)
    return cost_report(costs, by=report, width=width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("portfolio", FOLDERS)
def test_notes_explain_only_the_columns_shown(
    portfolios: dict[str, PortfolioCost], portfolio: str, report: str, width: int
) -> None:
    costs = portfolios[portfolio]
    sheet = sheet_of(costs, report)
    shown = {sheet.columns[i].key for i in layout(sheet, width).columns}
    said = " ".join(text_of(costs, report, width).split())
    for note, key in sheet.explains.items():
        assert (" ".join(note.split()) in said) == (key in shown), (key, note)


def test_a_role_table_left_without_steps_does_not_explain_them(
    portfolios: dict[str, PortfolioCost],
) -> None:
    """A trial's 80 columns left out Steps, yet the note still said what they add up to."""
    costs = portfolios["additions"]
    wide, narrow = (cost_report(costs, by="role", width=w) for w in (None, 80))
    assert "Steps: the steps each role works on" in wide
    assert "Left out to fit 80 columns: Steps," in narrow
    assert "Steps: the steps" not in narrow and "the column adds up to" not in narrow
    assert "FTE is the same hours" in narrow  # FTE is still there
    assert "FTE is the same hours" not in cost_report(costs, by="role", width=60)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("portfolio", FOLDERS)
def test_tables_fit_and_keep_every_figure_whole(
    portfolios: dict[str, PortfolioCost], portfolio: str, report: str, width: int
) -> None:
    costs = portfolios[portfolio]
    sheet = sheet_of(costs, report)
    text = text_of(costs, report, width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    plan = layout(sheet, width)
    figures: Counter[str] = Counter()
    for i in plan.columns:
        if sheet.columns[i].numeric or not sheet.columns[i].wraps:
            rows = [*sheet.rows, *([sheet.total] if sheet.total else [])]
            figures.update(row[i].text for row in rows if row[i].text)
    for figure, count in figures.items():
        # each figure is on one line: as many lines hold it whole as cells show it
        assert sum(line.count(figure) for line in lines) >= count, figure
    # every figure column the table keeps is there; the ones left out are named
    dropped = [sheet.columns[i] for i in plan.dropped]
    keys = [c.key for c in dropped]
    assert keys == [k for k in DROP_ORDER[report] if k in keys]
    if dropped:
        note = " ".join(text.split("Left out to fit", 1)[1].split())
        for column in dropped:
            assert column.title in note
    else:
        assert "Left out" not in text


def test_the_widest_terminal_shows_the_whole_cost_table(
    portfolios: dict[str, PortfolioCost],
) -> None:
    for report in ("step", "role", "process"):
        assert layout(cost_sheet(portfolios["en"], by=report), 200).dropped == []


def test_columns_go_in_the_documented_order(portfolios: dict[str, PortfolioCost]) -> None:
    """Narrower terminals leave out a longer prefix of the drop order, never another column."""
    sheet = cost_sheet(portfolios["en"], by="step")
    present = {column.key for column in sheet.columns}
    order = [key for key in DROP_ORDER["step"] if key in present]  # columns the report has
    previous: list[str] = []
    for width in range(200, 59, -5):
        dropped = [sheet.columns[i].key for i in layout(sheet, width).dropped]
        assert dropped[: len(previous)] == previous
        assert dropped == order[: len(dropped)]
        previous = dropped
    kept = {sheet.columns[i].key for i in layout(sheet, 60).columns}
    assert {"process", "step", "annual_cost"} <= kept  # never left out


def test_the_issue_examples_no_longer_break(portfolios: dict[str, PortfolioCost]) -> None:
    """At 100 columns `candidates` split '$5,760.00' and `cost` split '$11,428.57'."""
    candidates = candidates_report(portfolios["en"], width=100)
    cost = cost_report(portfolios["en"], width=100)
    assert "$11,428.57" in cost
    assert not re.search(r"\$[\d,]*\.?\s*$", cost, flags=re.M)  # no figure cut at a line end
    assert not re.search(r"\$[\d,]*\.?\s*$", candidates, flags=re.M)
    assert "$3,456.00" in candidates


#: A monthly webinar a new user wrote from scratch in a trial: ids like 'linkedin-ads'.
WEBINAR = ROOT / "tests" / "fixtures" / "webinar"


@pytest.mark.parametrize("width", (80, 100, 200))
@pytest.mark.parametrize("report", ["step", "process", "candidates"])
def test_ids_stay_whole_so_they_can_be_copied(report: str, width: int) -> None:
    """A new user at 100 columns saw 'linkedin-' over 'ads' and could not copy the id
    into --explain: process and step ids stay on one line."""
    costs = cost_portfolio(load_portfolio(WEBINAR))
    sheet = sheet_of(costs, report)
    copied = [i for i, column in enumerate(sheet.columns) if column.copied]
    ids = {row[i].text for row in sheet.rows for i in copied} - {"", "—"}
    assert ids
    words = {word for line in text_of(costs, report, width).splitlines() for word in line.split()}
    for found in ids:
        assert found in words, found  # whole, on one line


@pytest.mark.parametrize("report", REPORTS)
def test_no_width_keeps_every_column_on_one_line(
    portfolios: dict[str, PortfolioCost], report: str
) -> None:
    sheet = sheet_of(portfolios["en"], report)
    plan = layout(sheet, None)
    assert plan.dropped == [] and len(plan.columns) == len(
        [c for c in sheet.columns if not c.csv_only]
    )
    assert len(text_of(portfolios["en"], report, None).splitlines()) >= len(sheet.rows)


def test_help_names_the_order_columns_go_in() -> None:
    def help_of(command: str) -> str:
        return " ".join(CliRunner().invoke(app, [command, "--help"]).stdout.split())

    # A portfolio that uses every addition has every column a table can show.
    additions = load_portfolio(ROOT / "tests" / "fixtures" / "additions" / "en")
    titles = {
        c.key: c.title
        for view in ("step", "process", "role")
        for c in cost_sheet(additions, by=view).columns
    }
    cost_help = help_of("cost")
    for view in ("step", "process", "role"):
        listed = ", ".join(titles[k] for k in DROP_ORDER[view])
        assert f"--by {view}: {listed}." in cost_help
    candidate_titles = {
        c.key: c.title for c in candidates_sheet(load_portfolio(PORTFOLIOS["en"])).columns
    }
    listed = ", ".join(candidate_titles[k] for k in DROP_ORDER["candidates"])
    assert f"({listed})" in help_of("candidates")


def test_the_cli_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sopkit.cli.costs, "table_width", lambda output: 80)
    folder = PORTFOLIOS["en"]
    for command, expected in (
        ("cost", cost_report(load_portfolio(folder), width=80)),
        ("candidates", candidates_report(load_portfolio(folder), width=80)),
    ):
        result = CliRunner().invoke(app, [command, str(folder)])
        assert result.exit_code == 0, result.output
        assert result.stdout == expected


def test_table_width_is_the_terminals_or_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os
    import shutil
    import sys

    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((93, 40)))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert table_width(None) == 93
    assert table_width(tmp_path / "out.txt") is None  # a file gets every column
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert table_width(None) is None  # so does a pipe


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("user-onboarding", 10, ["user-", "onboarding"]),
        ("Customer Success Manager", 16, ["Customer Success", "Manager"]),
        ("strategy-content-contact", 8, ["strategy", "-content", "-contact"]),
        ("콘텐츠 마케팅 — 블로그 글", 10, ["콘텐츠", "마케팅 —", "블로그 글"]),
        ("short", 10, ["short"]),
        ("", 10, [""]),
    ],
)
def test_wrap_cell(text: str, width: int, lines: list[str]) -> None:
    assert wrap_cell(text, width).split("\n") == lines


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab-c 한글д"), min_size=0, max_size=40),
    width=st.integers(min_value=MIN_TEXT, max_value=30),
)
def test_wrap_cell_keeps_every_character_and_the_width(text: str, width: int) -> None:
    wrapped = wrap_cell(text, width)
    assert all(cell_len(line) <= width for line in wrapped.split("\n"))
    assert "".join(wrapped.split()) == "".join(text.split())


@functools.cache
def _english_candidates() -> Sheet:
    return candidates_sheet(cost_portfolio(load_portfolio(PORTFOLIOS["en"])), top=8)


@settings(max_examples=60, deadline=None)
@given(width=st.integers(min_value=40, max_value=240))
def test_any_width_keeps_figures_whole(width: int) -> None:
    sheet = _english_candidates()
    text = render_table(sheet, width)
    plan = layout(sheet, width)
    if plan.width <= width:
        assert max(cell_len(line) for line in text.splitlines()) <= width
    for i in plan.columns:
        if sheet.columns[i].numeric:
            for row in sheet.rows:
                assert row[i].text in text
