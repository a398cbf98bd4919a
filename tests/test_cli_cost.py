"""``sopkit cost`` and ``sopkit candidates``: the CLI prints exactly what the library renders."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ENGLISH, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sopkit import load_portfolio
from sopkit.render.costs.explain import explain_step
from sopkit.render.costs.tables import COST_VIEWS, FORMATS, candidates_report, cost_report

FIXTURES = ROOT / "tests" / "fixtures"
T1 = FIXTURES / "t1" / "cm.yaml"


def run(*args: str | Path) -> object:
    from sopkit.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("by", COST_VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_cost_prints_the_library_report(by: str, fmt: str) -> None:
    result = run("cost", T1, "--by", by, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == cost_report(load_portfolio(T1), by=by, fmt=fmt)


def test_cost_of_a_folder_by_process_and_role() -> None:
    portfolio = load_portfolio(ENGLISH)
    for by in ("process", "role"):
        result = run("cost", ENGLISH, "--by", by)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == cost_report(portfolio, by=by)
    assert "Customer Success Manager" in run("cost", ENGLISH, "--by", "role").stdout


def test_the_role_views_steps_total_says_what_it_counts() -> None:
    """A step several roles work on counts for each: the library's Steps column adds up to
    200, while the portfolio has 163 steps. The total row says it counts steps, and a
    note says why the column adds up to more, so neither reads as a wrong sum."""
    from sopkit.analysis import cost_portfolio

    costs = cost_portfolio(load_portfolio(ENGLISH))
    column = sum(len(costs.steps_of(role)) for role in costs.roles)
    assert (column, len(costs.steps)) == (200, 163)
    for fmt, total in (("table", " 163 steps "), ("markdown", "| **163 steps** |")):
        text = run("cost", ENGLISH, "--by", "role", "--format", fmt).stdout
        (line,) = [line for line in text.splitlines() if line.startswith((" Total", "| **Total"))]
        assert total in line, line
        assert (
            "Steps: the steps each role works on. A step several roles share counts once for "
            "each of them, and a step no role works on (a milestone without an owner, a call "
            "to another process here) for none, so the column adds up to 200; the Total row "
            "gives the portfolio's 163 steps."
        ) in " ".join(text.split())
    # one role, one owner a step: the column is the count, and no note is needed
    text = run("cost", T1, "--by", "role").stdout
    assert "Steps: the steps each role works on" not in text


def test_cost_default_is_a_step_table() -> None:
    result = run("cost", T1)
    assert result.exit_code == 0
    assert result.stdout == cost_report(load_portfolio(T1))
    assert result.stdout.startswith("Annual workflow cost by step (USD")


def test_roles_option_replaces_the_nearest_roles_file(tmp_path: Path) -> None:
    roles = tmp_path / "dear.yaml"
    text = (FIXTURES / "t1" / "roles.yaml").read_text(encoding="utf-8")
    roles.write_text(text.replace("rate: 45", "rate: 90"), encoding="utf-8")
    result = run("cost", T1, "--roles", roles, "--format", "json")
    assert result.exit_code == 0, result.stderr
    research = json.loads(result.stdout)["processes"][0]["steps"][0]
    assert research["annual_cost"] == 8640.0  # 96 h × $90
    assert result.stdout == cost_report(load_portfolio(T1, roles=roles), fmt="json")


def test_output_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "report" / "cost.csv"
    result = run("cost", T1, "--format", "csv", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfprocess,")  # Excel reads it as UTF-8
    assert out.read_text(encoding="utf-8-sig") == cost_report(load_portfolio(T1), fmt="csv")


@pytest.mark.parametrize(
    "command",
    [
        ["cost", str(T1), "--format", "csv"],
        ["candidates", str(T1), "--format", "csv"],
        ["simulate", str(T1), "--format", "csv", "--years", "100"],
        ["plan", str(T1), "--format", "csv", "--start", "2026-03-02"],
    ],
    ids=["cost", "candidates", "simulate", "plan"],
)
def test_a_csv_file_has_the_byte_order_mark_and_printed_csv_has_none(
    tmp_path: Path, command: list[str]
) -> None:
    """Excel reads a CSV file as UTF-8 only with the mark; a program reading the
    printed CSV would take it for part of the first column's name."""
    printed = run(*command)
    assert printed.exit_code == 0, printed.stderr
    assert not printed.stdout.startswith("\ufeff") and printed.stdout[:1].isalpha()
    out = tmp_path / "out.csv"
    written = run(*command, "-o", out)
    assert written.exit_code == 0, written.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig") == printed.stdout


def test_output_over_an_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "cm.yaml"
    shutil.copy(T1, copy)
    shutil.copy(FIXTURES / "t1" / "roles.yaml", tmp_path / "roles.yaml")
    before = copy.read_bytes()
    result = run("cost", copy, "-o", copy)
    assert result.exit_code == 1
    assert "output would overwrite an input file" in result.stderr
    assert copy.read_bytes() == before


def test_explain_prints_the_library_explanation() -> None:
    result = run("cost", T1, "--explain", "draft")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == explain_step(load_portfolio(T1), "draft")
    assert "= 2.5 h × 1.43 exec × 4.00 runs/month × $40/h × 12 = $6,857.14" in result.stdout
    assert "PERT mean of the range 1h..4h" in result.stdout
    assert "1 ÷ (1 − 0.3) = 1.4286 times" in result.stdout
    assert "rounded factors would give $6,864.00" in result.stdout


@pytest.mark.parametrize("how", [("--format", "json"), ("-o", "x.csv"), ("-o", "x.md")])
def test_explain_refuses_another_format(tmp_path: Path, how: tuple[str, str]) -> None:
    """It is text: a .json file used to hold the explanation's text."""
    option, value = how
    if option == "-o":
        value = str(tmp_path / value)
    result = run("cost", T1, "--explain", "draft", option, value)
    assert result.exit_code != 0, result.output
    assert "--explain writes text" in result.output
    assert not list(tmp_path.iterdir())


def test_explain_in_a_portfolio_needs_the_process_when_ambiguous() -> None:
    result = run("cost", ENGLISH, "--explain", "landing-page")
    assert result.exit_code == 2  # a usage mistake: the option's value names no one step
    assert "step 'landing-page' is in several processes" in result.stderr
    assert "ppc-search-ads/landing-page" in result.stderr
    good = run("cost", ENGLISH, "--explain", "ppc-search-ads/landing-page")
    assert good.exit_code == 0
    assert good.stdout == explain_step(load_portfolio(ENGLISH), "ppc-search-ads/landing-page")


def test_explain_an_unknown_step() -> None:
    result = run("cost", T1, "--explain", "drafts")
    assert result.exit_code == 2
    assert "no step 'drafts'" in result.stderr and "did you mean 'draft'?" in result.stderr
    result = run("cost", ENGLISH, "--explain", "ppc-serch-ads/landing-page")
    assert "no process 'ppc-serch-ads'" in result.stderr
    assert "did you mean 'ppc-search-ads'?" in result.stderr


def test_candidates_prints_the_library_report() -> None:
    portfolio = load_portfolio(ENGLISH)
    for fmt in FORMATS:
        result = run("candidates", ENGLISH, "--top", "5", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == candidates_report(portfolio, top=5, fmt=fmt)


def test_candidates_min_saving() -> None:
    result = run("candidates", T1, "--min-saving", "1,000", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == candidates_report(
        load_portfolio(T1), min_saving=Decimal(1000), fmt="json"
    )
    assert [c["step"] for c in json.loads(result.stdout)["candidates"]] == ["research"]


@pytest.mark.parametrize(
    "args",
    [
        ("cost", T1, "--by", "team"),
        ("cost", T1, "--format", "xlsx"),
        ("candidates", T1, "--min-saving", "lots"),
        ("candidates", T1, "--top", "-1"),
        ("cost",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str | Path, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


# --- numeric options are bounded: a usage error that names the range -------------------------

AMOUNT_RANGE = "use an amount from -1,000,000,000,000,000 to 1,000,000,000,000,000"


@settings(max_examples=40, deadline=None)
@given(
    exponent=st.one_of(st.integers(16, 10**15), st.integers(-(10**15), -7)),
    sign=st.sampled_from(["", "-"]),
    digit=st.integers(1, 9),
)
def test_min_saving_with_any_far_exponent_is_refused_at_once(
    exponent: int, sign: str, digit: int
) -> None:
    """1e999999999999 used to be compared exactly (a number of a trillion digits): minutes."""
    result = run("candidates", T1, "--min-saving", f"{sign}{digit}e{exponent}")
    assert result.exit_code == 2
    assert AMOUNT_RANGE in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        ("1e15", True),
        ("-1,000,000,000,000,000", True),
        ("1000000000000000.000001", False),
        ("0.000001", True),
        ("0.0000001", False),
        ("2500.5000000000", True),  # trailing zeros are not decimals
        ("0e-999999999", True),
        ("nan", False),
        ("-Infinity", False),
        ("9" * 101, False),
    ],
)
def test_min_saving_bounds(amount: str, ok: bool) -> None:
    result = run("candidates", T1, f"--min-saving={amount}", "--format", "json")
    assert result.exit_code == (0 if ok else 2), result.stderr
    if not ok:
        assert AMOUNT_RANGE in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("candidates", T1, "--top", "1000001"), "1000001 is out of range; use 0 to 1,000,000"),
        (("candidates", T1, "--top", "9" * 40), "out of range; use 0 to 1,000,000"),
        (("candidates", T1, "--top", "-1"), "-1 is out of range; use 0 to 1,000,000"),
        (("build", T1, "-j", "0"), "0 is out of range; use 1 to 1,024"),
        (("build", T1, "--jobs", "1025"), "1025 is out of range; use 1 to 1,024"),
        (("build", T1, "--jobs", "9" * 30), "out of range; use 1 to 1,024"),
    ],
)
def test_counts_are_bounded(args: tuple[str | Path, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_counts_at_their_bounds_are_accepted() -> None:
    result = run("candidates", T1, "--top", "1000000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == candidates_report(load_portfolio(T1), top=1_000_000, fmt="json")


def test_invalid_process_exits_1_with_located_errors() -> None:
    result = run("cost", FIXTURES / "t1-bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "t1-bad.yaml:32:5: error: step 'edit': unknown field 'owenr'" in result.stderr
    assert "Traceback" not in result.stderr


def test_mixed_currencies_exit_1() -> None:
    for command in ("cost", "candidates"):
        result = run(command, FIXTURES / "mixed")
        assert result.exit_code == 1
        assert "more than one currency: EUR" in result.stderr


def test_missing_path_exits_1(tmp_path: Path) -> None:
    result = run("cost", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ko", "ru"])
def test_libreoffice_reads_a_csv_file_with_the_byte_order_mark_as_written(
    tmp_path: Path, language: str
) -> None:
    """The mark Excel needs is no stray character in LibreOffice's first cell."""
    from workbook_tools import soffice

    out = tmp_path / "in" / "cost.csv"
    result = run("cost", ROOT / "processes" / language, "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    # CSV filter options: comma, double quote, UTF-8 (76), from the first line.
    soffice(
        ["--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(out)],
        tmp_path,
    )
    sheet = openpyxl.load_workbook(tmp_path / "cost.xlsx").active
    assert sheet is not None
    assert sheet["A1"].value == rows[0][0] == "process"
    names = [sheet.cell(row=i + 1, column=3).value for i in range(1, len(rows))]
    assert names == [row[2] for row in rows[1:]]
    assert any(not name.isascii() for name in names)


def test_dash_prints_and_a_pipe_gets_csv_without_the_mark(tmp_path: Path) -> None:
    """``-o -`` is stdout, as for ``sopkit plan`` (not a file named '-'); a named pipe is
    read by a program, so it gets the CSV as printed."""
    import os
    import threading

    printed = run("cost", T1, "--format", "csv")
    dashed = run("cost", T1, "--format", "csv", "-o", "-")
    assert dashed.exit_code == 0 and dashed.stdout == printed.stdout
    assert not Path("-").exists()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    written = run("cost", T1, "--format", "csv", "-o", pipe)
    reader.join(timeout=30)
    assert written.exit_code == 0, written.stderr
    assert got == [printed.stdout.encode("utf-8")]
