"""cost.xlsx: live formulas that reproduce sopkit's figures, and identical bytes every time."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import require_tool

from sopkit.analysis import PortfolioCost, cost_portfolio
from sopkit.load import load_portfolio
from sopkit.render.numbers import round_money
from sopkit.render.workbook import rate_rows, render_workbook

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"


@pytest.fixture(scope="module")
def cost() -> PortfolioCost:
    return cost_portfolio(load_portfolio(FIXTURE))


@pytest.fixture(scope="module")
def book(cost: PortfolioCost) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_workbook(cost)))


def evaluate(book: openpyxl.Workbook, sheet: str, ref: str) -> float:
    """A tiny evaluator for exactly the formulas the workbook uses."""
    value = book[sheet][ref].value
    if not isinstance(value, str) or not value.startswith("="):
        return float(value)
    formula = value[1:]
    if formula.startswith("Rates!"):
        return evaluate(book, "Rates", formula.removeprefix("Rates!").replace("$", ""))
    if formula.startswith("SUM("):
        first, last = formula[4:-1].split(":")
        column, start, end = first.rstrip("0123456789"), int(first[1:]), int(last[1:])
        return sum(evaluate(book, sheet, f"{column}{row}") for row in range(start, end + 1))
    if formula.startswith("SUMPRODUCT(--EXACT("):
        inner = formula.removeprefix("SUMPRODUCT(--EXACT(").removesuffix(")")
        exact, values = inner.split("),")
        keys, key = exact.split(",")
        key_value = book[sheet][key].value
        key_col, first, last = _range(keys)
        value_col, _, _ = _range(values)
        steps = book["Steps"]
        return sum(
            evaluate(book, "Steps", f"{value_col}{row}")
            for row in range(first, last + 1)
            if steps[f"{key_col}{row}"].value == key_value  # EXACT: case and all
        )
    if "/" in formula:
        cell, divisor = formula.split("/")
        return evaluate(book, sheet, cell) / float(divisor)
    result = 1.0
    for factor in formula.split("*"):
        result *= float(factor) if factor.isdigit() else evaluate(book, sheet, factor)
    return result


def _range(text: str) -> tuple[str, int, int]:
    first, last = text.removeprefix("Steps!").replace("$", "").split(":")
    column = first.rstrip("0123456789")
    return column, int(first[len(column) :]), int(last[len(column) :])


def rows(book: openpyxl.Workbook, sheet: str) -> list[tuple[object, ...]]:
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


def test_sheets_and_headers(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Processes", "Roles", "Steps", "Rates"]
    assert [c.value for c in book["Rates"][1]] == ["Role", "Rate per hour", "Currency", "Used by"]
    assert [c.value for c in book["Steps"][1]] == [
        "Process",
        "Step",
        "Step name",
        "Owner",
        "Hours per execution",
        "Executions per run",
        "Runs per month",
        "Rate (USD)",
        "Annual hours",
        "Annual cost (USD)",
    ]


def test_annual_cost_is_the_formats_formula_with_the_rate_from_the_rates_sheet(
    book: openpyxl.Workbook, cost: PortfolioCost
) -> None:
    steps = book["Steps"]
    rates = book["Rates"]
    for row, step in enumerate(cost.steps, start=2):
        assert steps[f"A{row}"].value == step.process_id
        assert steps[f"B{row}"].value == step.step_id
        assert steps[f"J{row}"].value == f"=E{row}*F{row}*G{row}*H{row}*12"
        assert steps[f"I{row}"].value == f"=E{row}*F{row}*G{row}*12"
        reference = steps[f"H{row}"].value
        assert reference.startswith("=Rates!$B$")
        rate_row = int(reference.removeprefix("=Rates!$B$"))
        assert rates[f"A{rate_row}"].value == step.owner
        assert Decimal(str(rates[f"B{rate_row}"].value)) == step.rate


def test_formulas_reproduce_sopkits_figures_to_the_cent(
    book: openpyxl.Workbook, cost: PortfolioCost
) -> None:
    def cents(value: float | Decimal) -> Decimal:
        return round_money(Decimal(str(value)), "USD")

    last = len(cost.steps) + 1
    for row, step in enumerate(cost.steps, start=2):
        assert evaluate(book, "Steps", f"J{row}") == pytest.approx(float(step.annual_cost))
    assert cents(evaluate(book, "Steps", f"J{last + 1}")) == cents(cost.annual_cost)
    assert cents(evaluate(book, "Steps", f"I{last + 1}")) == cents(cost.annual_hours)
    processes = book["Processes"]
    for row, process in enumerate(cost.processes, start=2):
        assert processes[f"A{row}"].value == process.id
        assert processes[f"H{row}"].value.startswith("=SUMPRODUCT(--EXACT(Steps!$A$2:$A$")
        assert cents(evaluate(book, "Processes", f"H{row}")) == cents(process.annual_cost)
        assert evaluate(book, "Processes", f"I{row}") == pytest.approx(float(process.fte))
    total_row = len(cost.processes) + 2
    assert processes[f"A{total_row}"].value == "Total"
    assert cents(evaluate(book, "Processes", f"H{total_row}")) == cents(cost.annual_cost)
    roles = book["Roles"]
    for row, role in enumerate(cost.roles, start=2):
        assert roles[f"A{row}"].value == role.role
        assert cents(evaluate(book, "Roles", f"C{row}")) == cents(role.annual_cost)
        assert evaluate(book, "Roles", f"B{row}") == pytest.approx(float(role.annual_hours))
    assert cents(evaluate(book, "Roles", f"C{len(cost.roles) + 2}")) == cents(cost.annual_cost)


def test_a_local_rate_override_gets_its_own_rates_row(cost: PortfolioCost) -> None:
    writers = [r for r in rate_rows(cost) if r.role == "Content Writer"]
    assert [(r.rate, r.processes) for r in writers] == [
        (Decimal(40), ("blog",)),
        (Decimal(55), ("newsletter",)),
    ]
    assert len({(r.role, r.rate) for r in rate_rows(cost)}) == len(rate_rows(cost))


def test_the_workbook_is_byte_identical_and_pins_its_dates(cost: PortfolioCost) -> None:
    first, second = render_workbook(cost), render_workbook(cost)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert "sopkit" in core


def test_excel_recalculates_on_open(book: openpyxl.Workbook) -> None:
    assert book.calculation.fullCalcOnLoad is True


# --- LibreOffice: change a rate, recalculate, compare with sopkit ---------------------------


def recalculate(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet as CSV rows, as headless LibreOffice computes the formulas."""
    soffice = require_tool("soffice", "libreoffice-calc")
    profile = out / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        # UTF-8, comma, quote, all sheets (-1), full precision (not "as shown")
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        "--outdir",
        str(out),
        str(xlsx),
    ]
    env = {**os.environ, "HOME": str(out)}
    done = subprocess.run(command, capture_output=True, timeout=180, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    sheets = {}
    for name in ("Processes", "Roles", "Steps", "Rates"):
        text = (out / f"{xlsx.stem}-{name}.csv").read_text(encoding="utf-8")
        sheets[name] = list(csv.reader(io.StringIO(text)))
    return sheets


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_recalculates_every_total_after_a_rate_change(tmp_path: Path) -> None:
    # sopkit's own figures with Content Writer at 47.35 instead of 40
    changed = tmp_path / "changed"
    changed.mkdir()
    for source in FIXTURE.iterdir():
        text = source.read_text(encoding="utf-8")
        if source.name == "roles.yaml":
            assert "Content Writer: {rate: 40}" in text
            text = text.replace("Content Writer: {rate: 40}", "Content Writer: {rate: 47.35}")
        (changed / source.name).write_text(text, encoding="utf-8")
    expected = cost_portfolio(load_portfolio(changed))

    # the workbook of the original rates, with the rate changed in Rates by openpyxl
    original = cost_portfolio(load_portfolio(FIXTURE))
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(original)))
    rates = book["Rates"]
    row = next(
        r
        for r in range(2, rates.max_row + 1)
        if rates[f"A{r}"].value == "Content Writer" and rates[f"B{r}"].value == 40
    )
    rates[f"B{row}"].value = 47.35
    xlsx = tmp_path / "cost.xlsx"
    book.save(xlsx)

    sheets = recalculate(xlsx, tmp_path)

    def cents(text: str | Decimal) -> Decimal:
        return round_money(Decimal(text), "USD")

    processes = {r[0]: r for r in sheets["Processes"][1:]}
    for process in expected.processes:
        assert cents(processes[process.id][7]) == cents(process.annual_cost), process.id
    assert cents(processes["Total"][7]) == cents(expected.annual_cost)
    assert cents(processes["Total"][7]) != cents(original.annual_cost)
    roles = {r[0]: r for r in sheets["Roles"][1:]}
    for role in expected.roles:
        assert cents(roles[role.role][2]) == cents(role.annual_cost), role.role
    assert cents(roles["Total"][2]) == cents(expected.annual_cost)
    steps = sheets["Steps"]
    assert cents(steps[-1][9]) == cents(expected.annual_cost)
    for line, step in zip(steps[1:-1], expected.steps, strict=True):
        assert (line[0], line[1]) == (step.process_id, step.step_id)
        assert cents(line[9]) == cents(step.annual_cost)


# --- role names that are spreadsheet criteria ---------------------------------------------

#: Roles whose names SUMIF would read as wildcards, comparisons, regular expressions or
#: case-insensitively (tests/corpus/accepted/workbook-roles/roles.yaml lists them).
HOSTILE = Path(__file__).resolve().parent / "corpus" / "accepted" / "workbook-roles"


def test_hostile_role_names_are_all_distinct_roles_to_sopkit() -> None:
    cost = cost_portfolio(load_portfolio(HOSTILE))
    names = {role.role for role in cost.roles}
    assert {"Editor", "editor", "EDITOR", "Writer", "Writer*", "*", "<>x", "=Writer"} <= names
    assert len(names) == len(cost.roles) == 16


def test_no_sheet_sums_with_sumif(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(render_workbook(cost_portfolio(load_portfolio(HOSTILE))))
    )
    formulas = [
        cell.value
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert formulas
    assert not [f for f in formulas if "SUMIF" in f.upper()]


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_sums_every_hostile_role_name_exactly(tmp_path: Path) -> None:
    """Recalculated by LibreOffice, each role's and process's total is sopkit's own figure."""
    cost = cost_portfolio(load_portfolio(HOSTILE))
    xlsx = tmp_path / "cost.xlsx"
    xlsx.write_bytes(render_workbook(cost))

    sheets = recalculate(xlsx, tmp_path)

    def cents(text: str | Decimal) -> Decimal:
        return round_money(Decimal(text), "USD")

    roles = sheets["Roles"][1:]
    assert [line[0] for line in roles[:-1]] == [role.role for role in cost.roles]
    for line, role in zip(roles, cost.roles, strict=False):
        assert cents(line[2]) == cents(role.annual_cost), role.role
        assert Decimal(line[1]).quantize(Decimal("0.0001")) == role.annual_hours.quantize(
            Decimal("0.0001")
        ), role.role
    assert roles[-1][0] == "Total"
    assert cents(roles[-1][2]) == cents(cost.annual_cost)
    processes = {line[0]: line for line in sheets["Processes"][1:]}
    for process in cost.processes:
        assert cents(processes[process.id][7]) == cents(process.annual_cost), process.id
    assert cents(processes["Total"][7]) == cents(cost.annual_cost)
