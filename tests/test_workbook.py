"""cost.xlsx: live formulas stored with sopkit's figures, a print set-up, identical bytes.

Three promises, each tested here: a reader that does not calculate sees the
figures of ``sopkit cost --format json``; LibreOffice recalculating after a
rate change writes sopkit's own figures for the new rate; every sheet prints
landscape, fitted to the page width, its heading row repeated.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ENGLISH, KOREAN, RUSSIAN
from workbook_tools import recalculate, recomputed, set_number

from sopkit.analysis import PortfolioCost, cost_portfolio, rank_candidates
from sopkit.load import load_portfolio
from sopkit.render.costs import candidates_report, cost_report
from sopkit.render.numbers import round_money, round_number
from sopkit.render.workbook import _deterministic_zip, rate_rows, render_workbook
from sopkit.render.workbook.cells import INPUT_FILL

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"
#: Roles whose names SUMIF would read as wildcards, comparisons, regular expressions or
#: case-insensitively (tests/corpus/accepted/workbook-roles/roles.yaml lists them).
HOSTILE = Path(__file__).resolve().parent / "corpus" / "accepted" / "workbook-roles"


@pytest.fixture(scope="module")
def library() -> PortfolioCost:
    """The English library: participants, external and system roles, conditions, a called
    procedure, step and process expenses, automation candidates."""
    return cost_portfolio(load_portfolio(ENGLISH))


@pytest.fixture(scope="module")
def values(library: PortfolioCost) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_workbook(library)), data_only=True)


@pytest.fixture(scope="module")
def formulas(library: PortfolioCost) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_workbook(library)))


def rows(book: openpyxl.Workbook, sheet: str) -> list[tuple[Any, ...]]:
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


def money(value: object) -> Decimal:
    assert isinstance(value, int | float | Decimal), value
    return round_money(Decimal(str(value)), "USD")


def hours(value: object) -> Decimal:
    assert isinstance(value, int | float | Decimal), value
    return round_number(Decimal(str(value)), 2)


def summary(book: openpyxl.Workbook) -> dict[str, tuple[Any, ...]]:
    """Summary rows by their first cell (process id, role name, or a total's label)."""
    return {row[0]: row for row in rows(book, "Summary") if row[0] is not None}


def pivot(book: openpyxl.Workbook) -> dict[str, Decimal]:
    """A finance pivot of the Participants sheet: Annual cost (M) summed by Counted in (N)."""
    assert book["Participants"]["N1"].value == "Counted in"
    found: dict[str, Decimal] = {}
    for row in rows(book, "Participants"):
        if row[1] is not None:  # a participant, not the total or a note
            found[row[13]] = found.get(row[13], Decimal(0)) + Decimal(str(row[12]))
    return found


def assert_pivot_ties(book: openpyxl.Workbook, processes: list[str]) -> None:
    """Each process's labour on the Summary is what the pivot counts in it (0 if nothing),
    and the pivot counts nothing elsewhere."""
    shown, counted = summary(book), pivot(book)
    assert set(counted) <= set(processes)
    for pid in processes:
        assert money(counted.get(pid, 0)) == money(shown[pid][3]), pid


# --- what a reader that does not calculate sees ------------------------------------------


def test_sheets_in_order(values: openpyxl.Workbook) -> None:
    assert values.sheetnames == [
        "Summary",
        "Rates",
        "Candidates",
        "Steps",
        "Participants",
        "Calls",
        "Expenses",
    ]


def test_no_calls_sheet_without_calls() -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(render_workbook(cost_portfolio(load_portfolio(FIXTURE))))
    )
    assert "Calls" not in book.sheetnames


def test_every_formula_has_a_stored_value(
    values: openpyxl.Workbook, formulas: openpyxl.Workbook
) -> None:
    count = 0
    for sheet in formulas:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    count += 1
                    stored = values[sheet.title][cell.coordinate].value
                    if sheet.title == "Summary" and cell.column_letter == "L":
                        continue  # utilisation: empty text for a role without headcount
                    assert stored is not None, f"{sheet.title}!{cell.coordinate} has no value"
    assert count > 1000


def test_portfolio_totals_are_the_json_reports(
    library: PortfolioCost, values: openpyxl.Workbook
) -> None:
    report = json.loads(cost_report(library, fmt="json"))
    total = summary(values)["All processes"]
    assert money(total[3]) == money(report["total_annual_cost"])
    assert money(total[4]) == money(report["total_annual_expenses"])
    assert money(total[5]) == money(report["total_annual_total_cost"])
    assert hours(total[6]) == hours(report["total_annual_hours"])
    assert hours(total[7]) == hours(report["total_external_hours"])
    assert hours(total[8]) == hours(Decimal(str(library.fte)))
    assert money(total[5]) != 0 and money(total[4]) != 0 and hours(total[7]) != 0


def test_each_process_and_role_is_the_json_reports(
    library: PortfolioCost, values: openpyxl.Workbook
) -> None:
    report = json.loads(cost_report(library, fmt="json"))
    shown = summary(values)
    for process in report["processes"]:
        row = shown[process["id"]]
        assert row[1] == process["name"]
        assert money(row[3]) == money(process["annual_cost"]), process["id"]
        assert money(row[4]) == money(process["annual_expenses"]), process["id"]
        assert money(row[5]) == money(process["annual_total_cost"]), process["id"]
        assert hours(row[6]) == hours(process["annual_hours"]), process["id"]
        assert hours(row[7]) == hours(process["external_hours"]), process["id"]
    for role in report["roles"]:
        row = shown[role["role"]]
        assert row[2] == role["kind"]
        assert money(row[3]) == money(role["annual_cost"]), role["role"]
        assert hours(row[6]) == hours(role["annual_hours"]), role["role"]
        assert hours(row[7]) == hours(role["external_hours"]), role["role"]
    assert money(shown["All roles"][3]) == money(report["total_annual_cost"])
    # a pivot of Participants by Counted in ties to the Summary: the feature write-ups
    # (feature-item, run by release-post's step) count in release-post, as its labour does
    assert_pivot_ties(values, [p["id"] for p in report["processes"]])
    counted = pivot(values)
    assert "feature-item" not in counted and money(shown["feature-item"][3]) == 0
    items = [r for r in rows(values, "Participants") if r[0] == "feature-item"]
    assert items and {r[13] for r in items} == {"release-post"}
    assert money(sum(Decimal(str(r[12])) for r in items)) == Decimal("71973.33")


def test_each_step_is_the_json_reports(library: PortfolioCost, values: openpyxl.Workbook) -> None:
    report = json.loads(cost_report(library, fmt="json"))
    steps = {(row[0], row[1]): row for row in rows(values, "Steps") if row[1] is not None}
    for process in report["processes"]:
        for step in process["steps"]:
            row = steps[(process["id"], step["id"])]
            assert money(row[12]) == money(step["annual_cost"]), step["id"]
            assert hours(row[10]) == hours(step["annual_hours"]), step["id"]
            assert money(row[13]) == money(step["annual_expenses"]), step["id"]
            assert money(row[14]) == money(step["annual_total_cost"]), step["id"]
    total = next(row for row in rows(values, "Steps") if row[0] == "Total")
    assert money(total[12]) == money(report["total_annual_cost"])


def test_the_steps_sheet_holds_the_processes_own_cash_costs_and_adds_up(
    library: PortfolioCost, values: openpyxl.Workbook, formulas: openpyxl.Workbook
) -> None:
    """A process's own expenses (per run, per period) belong to no step: a row of their own
    per process, as cost.csv has, so the Total row is the portfolio's, labour unchanged."""
    report = json.loads(cost_report(library, fmt="json"))
    total = next(row for row in rows(values, "Steps") if row[0] == "Total")
    assert money(total[12]) == money(report["total_annual_cost"])
    assert money(total[13]) == money(report["total_annual_expenses"])
    assert money(total[14]) == money(report["total_annual_total_cost"])
    shown = rows(values, "Steps")
    own = {
        row[0]: (index, row)
        for index, row in enumerate(shown, start=2)
        if row[1] is None and str(row[2] or "").startswith("Process cash costs: ")
    }
    expected = {p.id: p for p in library.processes if p.expense_lines}
    assert set(own) == set(expected) == {"case-study", "product-launch"}
    for pid, (number, row) in own.items():
        process = expected[pid]
        assert row[2] == "Process cash costs: " + ", ".join(e.name for e in process.expense_lines)
        assert row[10] == row[11] == row[12] == 0
        own_expenses = Decimal(process.exact_process_expenses.numerator) / Decimal(
            process.exact_process_expenses.denominator
        )
        assert money(row[13]) == money(row[14]) == money(own_expenses), pid
        assert formulas["Steps"][f"N{number}"].value.startswith("=SUM(Expenses!$I$")
        assert formulas["Steps"][f"O{number}"].value == f"=M{number}+N{number}"
    (note,) = [row[0] for row in shown if str(row[0]).startswith("Rows 'Process cash costs'")]
    assert "belong to no step" in note


def test_candidates_are_the_json_reports(library: PortfolioCost, values: openpyxl.Workbook) -> None:
    report = json.loads(candidates_report(library, fmt="json"))["candidates"]
    shown = [row for row in rows(values, "Candidates") if row[1] is not None]
    assert [(r[0], r[1]) for r in shown] == [(c["process"], c["step"]) for c in report]
    for row, candidate in zip(shown, report, strict=True):
        assert money(row[6]) == money(candidate["annual_cost"])
        assert money(row[7]) == money(candidate["gross_saving"])
        assert money(row[9]) == money(candidate["net_saving"])
        assert money(row[12]) == money(candidate["setup_cost"])
        if candidate["payback_months"] is None:
            assert row[13] == "never"
        else:
            assert hours(row[13]) == hours(candidate["payback_months"])
        if candidate["roi_percent"] is None:
            assert row[14] == "—"
        else:
            assert hours(Decimal(str(row[14])) * 100) == hours(candidate["roi_percent"])


def test_calls_sheet_prices_a_procedure_from_its_participants(
    library: PortfolioCost, formulas: openpyxl.Workbook, values: openpyxl.Workbook
) -> None:
    """release-post runs feature-item: its step's cost is feature-item's per run × calls."""
    calls = {(r[0], r[1]): i for i, r in enumerate(rows(formulas, "Calls"), start=2) if r[2]}
    (key,) = [k for k in calls if k[0] == "release-post"]
    row = calls[key]
    assert formulas["Calls"][f"C{row}"].value == "feature-item"
    assert formulas["Calls"][f"G{row}"].value.startswith("=SUM(Participants!$J$")
    step = library.process("release-post").step(key[1])
    assert money(values["Calls"][f"G{row}"].value) == money(
        Decimal(step.exact_cost_per_run.numerator) / step.exact_cost_per_run.denominator
    )


# --- formulas, not just numbers --------------------------------------------------------------


def test_totals_are_formulas_summing_by_exact_name(formulas: openpyxl.Workbook) -> None:
    shown = {row[0]: row for row in rows(formulas, "Summary") if row[0]}
    assert shown["content-marketing"][3].startswith("=SUMPRODUCT(--EXACT(Steps!$A$2:$A$")
    assert shown["Editor"][3].startswith("=SUMPRODUCT(--EXACT(Participants!$C$2:$C$")
    assert shown["All processes"][3].startswith("=SUM(D")
    rates = formulas["Rates"]
    participants = [r for r in rows(formulas, "Participants") if r[1] is not None]
    assert all(str(r[7]).startswith("=Rates!$C$") or r[7] == 0 for r in participants)
    referenced = {int(str(r[7]).removeprefix("=Rates!$C$")) for r in participants if r[7]}
    assert referenced == set(range(2, rates.max_row))  # every rate row is used, the note aside


def test_no_sheet_sums_with_sumif() -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(render_workbook(cost_portfolio(load_portfolio(HOSTILE))))
    )
    found = [
        cell.value
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert found
    assert not [f for f in found if "SUMIF" in str(f).upper()]


def test_a_local_rate_override_gets_its_own_rates_row() -> None:
    cost = cost_portfolio(load_portfolio(FIXTURE))
    writers = [r for r in rate_rows(cost) if r.role == "Content Writer"]
    assert [(r.rate, r.processes) for r in writers] == [
        (Decimal(40), ("blog",)),
        (Decimal(55), ("newsletter",)),
    ]
    assert len({(r.role, r.rate) for r in rate_rows(cost)}) == len(rate_rows(cost))


def test_names_stay_text(formulas: openpyxl.Workbook) -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(render_workbook(cost_portfolio(load_portfolio(HOSTILE))))
    )
    owners = [r[2] for r in rows(book, "Participants") if r[0]]
    assert "=Writer" in owners and "<>x" in owners
    for row in book["Participants"].iter_rows(min_row=2, max_col=3):
        for cell in row:
            assert cell.data_type != "f"


# --- payback and ROI: numbers where they are numbers ------------------------------------

PAYBACK = """\
sopkit: 1
id: payback
name: Payback cases
owner: Writer
frequency: 4/month
steps:
  - {id: free, name: Nothing invested, owner: Writer, time: 2h, automation: 0.5}
  - id: loss
    name: Tool costs more than it saves
    owner: Writer
    time: 1h
    after: [free]
    automation: {share: 0.1, tool_cost: 5000/year, setup: 2h}
  - id: good
    name: Pays back
    owner: Writer
    time: 4h
    after: [loss]
    automation: {share: 0.5, tool_cost: 100/year, setup: 10h}
"""
ROLES = "currency: USD\nroles:\n  Writer: {rate: 50, headcount: 0.25}\n"


def test_payback_immediately_never_and_roi_undefined(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(ROLES, "utf-8")
    (tmp_path / "payback.yaml").write_text(PAYBACK, "utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    data = render_workbook(cost)
    shown = {
        r[1]: r
        for r in rows(openpyxl.load_workbook(io.BytesIO(data), data_only=True), "Candidates")
    }
    assert shown["free"][13] == 0 and shown["free"][14] == "—"
    assert shown["loss"][13] == "never" and isinstance(shown["loss"][14], float)
    good = next(c for c in rank_candidates(cost) if c.step_id == "good")
    assert isinstance(shown["good"][13], float)
    assert hours(shown["good"][13]) == hours(good.payback_months)
    book = openpyxl.load_workbook(io.BytesIO(data))
    payback = book["Candidates"]["N2"]
    assert payback.number_format == '[=0]"immediately";[<0.05]"< 0.1";#,##0.0'
    assert book["Candidates"]["O2"].number_format == "0.00%"


def test_utilisation_is_a_formula_of_headcount_and_hours(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(ROLES, "utf-8")
    (tmp_path / "payback.yaml").write_text(PAYBACK, "utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    (writer,) = cost.roles
    assert writer.over_capacity is False and writer.utilisation is not None
    data = render_workbook(cost)
    row = next(
        i
        for i, r in enumerate(rows(openpyxl.load_workbook(io.BytesIO(data)), "Summary"), start=2)
        if r[0] == "Writer"
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Summary"][f"L{row}"].value.startswith(f"=IF(AND(ISNUMBER(J{row})")
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Summary"]
    assert stored[f"J{row}"].value == 0.25
    assert hours(stored[f"L{row}"].value) == hours(writer.utilisation)


# --- print set-up, formats, widths --------------------------------------------------------


def test_every_sheet_prints_landscape_fitted_to_width_with_its_heading(
    decided: tuple[Any, Any, bytes],
) -> None:
    frozen = {"Summary": "B2", "Rates": "B2", "Calls": "C2", "Expenses": "B2", "Ranges": "C2"}
    book = openpyxl.load_workbook(io.BytesIO(decided[2]))
    assert len(book.sheetnames) == 10
    for sheet in book:
        if sheet.title.startswith("To-Be"):
            assert sheet.freeze_panes == "C2"
            frozen[sheet.title] = "C2"
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth or 1) == 1, sheet.title  # OOXML's default is 1
        assert sheet.page_setup.fitToHeight == 0, sheet.title  # as many pages tall as needed
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.freeze_panes == frozen.get(sheet.title, "D2"), sheet.title
        assert "Page &P of &N" in sheet.oddFooter.right.text, sheet.title


def test_money_is_shown_in_the_portfolios_currency(formulas: openpyxl.Workbook) -> None:
    assert formulas["Summary"]["D2"].number_format == '"$"#,##0.00'
    for folder, expected in ((KOREAN, '"₩"#,##0'), (RUSSIAN, '#,##0.00 "₽"')):
        book = openpyxl.load_workbook(
            io.BytesIO(render_workbook(cost_portfolio(load_portfolio(folder))))
        )
        summary, rates = book.worksheets[:2]  # named in the portfolio's language
        assert summary["D2"].number_format == expected
        assert rates["C2"].number_format == expected


def test_a_headcount_of_1_reads_1_and_of_1_5_reads_1_5(formulas: openpyxl.Workbook) -> None:
    """``#,##0.##`` shows 1 as "1." in Excel: headcounts and people are General, which
    shows 1 as 1 and 1.5 as 1.5 in Excel and LibreOffice alike."""
    shown = {r[0].value: r for r in formulas["Summary"].iter_rows(min_row=2) if r[0].value}
    assert shown["Content Writer"][9].value == 1
    assert shown["Content Writer"][9].number_format == "General"
    assert formulas["Participants"]["E2"].number_format == "General"


#: Each sheet's input columns (typed numbers formulas read), by heading.
INPUTS = {
    "Summary": {"Headcount", "Available hours per person"},
    "Rates": {"Rate per hour"},
    "Candidates": {"Share automated", "Tool cost a year", "Setup hours"},
    "Steps": {"Hours per execution", "Executions per run", "Runs per month"},
    "Participants": {"People"},
    "Expenses": {"Amount"},
}


def test_inputs_are_coloured_and_only_inputs(formulas: openpyxl.Workbook) -> None:
    """A number typed in an input column is filled light yellow; no formula, total or other
    column is; the Summary says what coloured cells are."""
    marked: dict[str, set[str]] = {}
    for sheet in formulas:
        headings = {c.column_letter: c.value for c in sheet[1]}
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.fill.fgColor.rgb == "FF" + INPUT_FILL[1:]:
                    assert cell.data_type == "n" and cell.value is not None, cell.coordinate
                    marked.setdefault(sheet.title, set()).add(headings[cell.column_letter])
    assert marked == INPUTS
    rates = formulas["Rates"]
    assert all(
        rates[f"C{n}"].fill.fgColor.rgb == "FF" + INPUT_FILL[1:]
        for n in range(2, rates.max_row)
        if rates[f"C{n}"].value is not None
    )
    notes = [str(r[0]) for r in rows(formulas, "Summary") if r[0]]
    assert any(n.startswith("Coloured cells are inputs:") for n in notes)


def test_fte_divides_by_one_cell_holding_the_working_year(
    library: PortfolioCost, formulas: openpyxl.Workbook
) -> None:
    """260 days × 8 h = 2,080 hours, typed once on the Summary (labelled, an input): every
    FTE formula reads it, none divides by a literal."""
    summary_sheet = formulas["Summary"]
    (year,) = [
        n
        for n in range(2, summary_sheet.max_row + 1)
        if summary_sheet[f"A{n}"].value == "Working hours a year"
    ]
    assert summary_sheet[f"K{year}"].value == 2080
    assert summary_sheet[f"K{year}"].fill.fgColor.rgb == "FF" + INPUT_FILL[1:]
    assert "FTE = annual hours ÷ these hours" in summary_sheet[f"B{year}"].value
    fte = [
        summary_sheet[f"I{n}"].value
        for n in range(2, year)
        if str(summary_sheet[f"I{n}"].value).startswith("=")
    ]
    assert len(fte) == 2 + len(library.processes) + len(library.roles)
    assert all(f.endswith(f"/$K${year}") for f in fte), fte
    literal = [
        cell.coordinate
        for sheet in formulas
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" and "2080" in str(cell.value)
    ]
    assert not literal
    notes = [str(r[0]) for r in rows(formulas, "Summary") if r[0]]
    assert any(
        n.endswith(f"FTE = annual hours ÷ the working hours a year (K{year}).") for n in notes
    )


def test_columns_are_wide_enough_for_their_figures(values: openpyxl.Workbook) -> None:
    from openpyxl.utils import get_column_letter

    for sheet in values:
        for column in range(1, sheet.max_column + 1):
            letter = get_column_letter(column)
            width = sheet.column_dimensions[letter].width
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, float) and abs(cell.value) < 1e7:
                    assert width >= len(f"{cell.value:,.2f}") + 2, (sheet.title, cell.coordinate)


# --- determinism -----------------------------------------------------------------------------


def test_the_workbook_is_byte_identical_and_pins_its_dates(library: PortfolioCost) -> None:
    first, second = render_workbook(library), render_workbook(library)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        workbook = archive.read("xl/workbook.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and "sopkit" in core
    assert 'fullCalcOnLoad="1"' in workbook  # Excel recalculates on open


def _rezipped(data: bytes) -> bytes:
    """Every entry written again with its time and attributes pinned: what the
    header patch must match, byte for byte, without compressing twice."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            pinned = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.create_system = 3
            pinned.external_attr = 0o644 << 16
            target.writestr(pinned, source.read(entry.filename))
    return out.getvalue()


def test_the_workbook_zip_is_pinned_in_its_headers_as_if_made_on_unix() -> None:
    plain = io.BytesIO()
    # As Windows writes it: "made by" 0, and a time that is not the pinned one.
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", "<a/>" * 50), ("xl/workbook.xml", "<b/>")):
            entry = zipfile.ZipInfo(name, date_time=(2024, 5, 6, 7, 8, 10))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            archive.writestr(entry, text)
    pinned = _deterministic_zip(plain.getvalue())
    assert pinned == _rezipped(plain.getvalue())
    with zipfile.ZipFile(io.BytesIO(pinned)) as archive:
        assert archive.testzip() is None
        for info in archive.infolist():
            assert (info.date_time, info.create_system) == ((1980, 1, 1, 0, 0, 0), 3)
            assert info.external_attr == 0o644 << 16
        assert archive.read("xl/workbook.xml") == b"<b/>"
    with pytest.raises(ValueError, match="not a zip"):
        _deterministic_zip(b"no archive here")


# --- LibreOffice: recalculate, and change a rate -------------------------------------------


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_computes_every_stored_value(library: PortfolioCost, tmp_path: Path) -> None:
    """Recalculated from scratch, every formula gives the value sopkit stored with it."""
    assert recomputed(render_workbook(library), tmp_path) > 1000


def _changed(folder: Path, tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "changed"
    shutil.copytree(folder, copy)
    roles = copy / "roles.yaml"
    text = roles.read_text("utf-8")
    assert old in text
    roles.write_text(text.replace(old, new), "utf-8")
    return copy


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_follows_a_rate_change_to_sopkits_own_figures(
    library: PortfolioCost, tmp_path: Path
) -> None:
    """Product Manager leads feature write-ups (a called procedure), works `with` others on
    the launch and owns release posts: a new rate must reach every total that way."""
    expected = cost_portfolio(
        load_portfolio(_changed(ENGLISH, tmp_path, "rate: 84 ", "rate: 91.35 "))
    )
    data = render_workbook(library)
    rates = openpyxl.load_workbook(io.BytesIO(data))["Rates"]
    (row,) = [r for r in range(2, rates.max_row + 1) if rates[f"A{r}"].value == "Product Manager"]
    book = recalculate(set_number(data, "Rates", f"C{row}", 91.35), tmp_path / "lo")

    report = json.loads(cost_report(expected, fmt="json"))
    shown = summary(book)
    assert money(shown["All processes"][3]) == money(report["total_annual_cost"])
    assert money(shown["All processes"][3]) != money(library.annual_cost)
    assert money(shown["All processes"][5]) == money(report["total_annual_total_cost"])
    for process in report["processes"]:
        assert money(shown[process["id"]][3]) == money(process["annual_cost"]), process["id"]
        assert money(shown[process["id"]][5]) == money(process["annual_total_cost"])
    for role in report["roles"]:
        assert money(shown[role["role"]][3]) == money(role["annual_cost"]), role["role"]
    assert_pivot_ties(book, [p["id"] for p in report["processes"]])
    steps = {(r[0], r[1]): r for r in rows(book, "Steps") if r[1] is not None}
    for process in report["processes"]:
        for step in process["steps"]:
            got = steps[(process["id"], step["id"])][12]
            assert money(got) == money(step["annual_cost"]), step["id"]
    total = next(row for row in rows(book, "Steps") if row[0] == "Total")
    assert money(total[12]) == money(report["total_annual_cost"])
    assert money(total[14]) == money(report["total_annual_total_cost"])
    candidates = json.loads(candidates_report(expected, fmt="json"))["candidates"]
    by_step = {(r[0], r[1]): r for r in rows(book, "Candidates") if r[1] is not None}
    for candidate in candidates:
        row_values = by_step[(candidate["process"], candidate["step"])]
        assert money(row_values[9]) == money(candidate["net_saving"]), candidate["step"]
        assert money(row_values[12]) == money(candidate["setup_cost"]), candidate["step"]


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_follows_a_new_working_year_to_every_fte(
    library: PortfolioCost, tmp_path: Path
) -> None:
    """The working year typed as 1,800 hours: every FTE on the Summary is its hours ÷ 1,800."""
    data = render_workbook(library)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    (year,) = [
        n for n in range(2, sheet.max_row + 1) if sheet[f"A{n}"].value == "Working hours a year"
    ]
    book = recalculate(set_number(data, "Summary", f"K{year}", 1800), tmp_path)
    shown = summary(book)
    assert hours(shown["All processes"][8]) == hours(Decimal(str(library.annual_hours)) / 1800)
    for name, row in shown.items():
        if isinstance(row[8], float):
            assert row[8] == pytest.approx(row[6] / 1800), name


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_sums_every_hostile_role_name_exactly(tmp_path: Path) -> None:
    """Recalculated by LibreOffice, each role's and process's total is sopkit's own figure."""
    cost = cost_portfolio(load_portfolio(HOSTILE))
    assert len({role.role for role in cost.roles}) == len(cost.roles) == 16
    book = recalculate(render_workbook(cost), tmp_path)
    shown = summary(book)
    for role in cost.roles:
        assert money(shown[role.role][3]) == money(role.annual_cost), role.role
        assert hours(shown[role.role][6]) == hours(role.annual_hours), role.role
    for process in cost.processes:
        assert money(shown[process.id][3]) == money(process.annual_cost), process.id
    assert money(shown["All processes"][3]) == money(cost.annual_cost)
    assert money(shown["All roles"][3]) == money(cost.annual_cost)


# --- ranges and scenarios ---------------------------------------------------------------

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def decided(library: PortfolioCost) -> tuple[Any, Any, bytes]:
    """The library's workbook with its simulation and both example scenarios."""
    from sopkit.analysis.simulation import simulate
    from sopkit.decide import compare_scenarios

    ranges = simulate(library, years=1000, seed=7)
    scenarios = compare_scenarios(ENGLISH, sorted(SCENARIOS.glob("*.yaml")))
    data = render_workbook(library, ranges=ranges, scenarios=scenarios.results)
    return ranges, scenarios, data


def test_the_ranges_sheet_holds_the_simulations_figures(
    library: PortfolioCost, decided: tuple[Any, Any, bytes]
) -> None:
    ranges, _, data = decided
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    shown = {row[0]: row for row in rows(book, "Ranges") if row[0]}
    total = shown["All processes"]
    assert money(total[2]) == money(library.annual_total_cost)
    assert [money(v) for v in total[3:7]] == [
        money(v)
        for v in (
            ranges.annual_total_cost.mean,
            ranges.annual_total_cost.p10,
            ranges.annual_total_cost.p50,
            ranges.annual_total_cost.p90,
        )
    ]
    for process in library.processes:
        found = ranges.process(process.id)
        row = shown[process.id]
        assert money(row[2]) == money(process.annual_total_cost)
        assert money(row[6]) == money(found.annual_total_cost.p90)
        assert hours(row[9]) == hours(found.annual_hours.p50)
        assert hours(row[14]) == hours(found.lead_time_days.p90)
    assert any("1,000 simulated years (seed 7)" in str(row[0]) for row in rows(book, "Ranges"))
    live = openpyxl.load_workbook(io.BytesIO(data))["Ranges"]
    assert live["C2"].value == "=Summary!$F$2"  # the cost report's figure stays live
    # C2 beside D2: the simulated mean is near the cost report's figure, not equal to it
    assert money(total[3]) != money(total[2])
    notes = [str(row[0]) for row in rows(book, "Ranges") if row[0] and row[1] is None]
    assert any(
        "The simulated mean comes close to the cost report's figure, within sampling noise" in n
        for n in notes
    )


def test_a_sheet_per_scenario_with_as_is_beside_to_be(decided: tuple[Any, Any, bytes]) -> None:
    _, scenarios, data = decided
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    live = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [name for name in book.sheetnames if name.startswith("To-Be")]
    assert len(sheets) == len(scenarios.results) == 2
    for name, result in zip(sheets, scenarios.results, strict=True):
        assert len(name) <= 31
        shown = {row[0]: row for row in rows(book, name) if row[0]}
        total = result.comparison.totals["annual_total_cost"]
        portfolio = shown["All processes"]
        assert money(portfolio[7]) == money(
            Decimal(total.before.numerator) / total.before.denominator
        )
        assert money(portfolio[8]) == money(
            Decimal(total.after.numerator) / total.after.denominator
        )
        assert money(portfolio[9]) == money(portfolio[8] - portfolio[7])
        assert live[name]["J2"].value == "=N(I2)-N(H2)"
        for row in result.comparison.processes:
            figure = row.figures["annual_total_cost"]
            got = shown[row.label]
            if figure.after is not None:
                assert money(got[8]) == money(
                    Decimal(figure.after.numerator) / figure.after.denominator
                )
            assert (got[2] or "unchanged") == row.status.value
        assert any(f"Scenario: {result.name}" in str(r[0]) for r in rows(book, name))
        assert live[name].print_title_rows == "$1:$1"


def test_a_scenario_sheet_gives_its_first_year_as_formulas(decided: tuple[Any, Any, bytes]) -> None:
    """The setup was only a note's text: it is a cell now, and the whole scenario's first
    year is worked out under the portfolio's row as the Candidates sheet works a step's.
    Automating three steps: labour falls by $4,358.49 (D2 − E2), cash costs rise by the
    tools' $960 (G2 − F2), setup $648: net $3,398.49, payback 648 ÷ (3,398.49 ÷ 12) = 2.3
    months, ROI (4,358.49 − 960 − 648) ÷ 1,608 = 171.05%. Six posts a month lays out
    nothing and costs more: never, and "—"."""
    _, _, data = decided
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    live = openpyxl.load_workbook(io.BytesIO(data))
    first, second = [name for name in book.sheetnames if name.startswith("To-Be")]
    labels = [book[first][f"A{row}"].value for row in range(3, 10)]
    assert labels == [
        "First year, the whole scenario",
        "Gross saving",
        "Tool cost a year",
        "Net saving",
        "Setup cost",
        "Payback (months)",
        "First-year ROI",
    ]
    formulas = [live[first][f"J{row}"].value for row in range(4, 10)]
    assert formulas == [
        "=(D2-E2)+MAX(0,(F2-G2))",
        "=MAX(0,-(F2-G2))",
        "=J4-J5",
        648,
        '=IF(AND(J7=0,J6>=0),0,IF(J6<=0,"never",J7/(J6/12)))',
        '=IF(J5+J7=0,"—",(J4-J5-J7)/(J5+J7))',
    ]
    values = [book[first][f"J{row}"].value for row in range(4, 10)]
    assert [money(v) for v in values[:4]] == [
        Decimal("4358.49"),
        Decimal("960.00"),
        Decimal("3398.49"),
        Decimal("648.00"),
    ]
    assert round(values[4], 1) == 2.3 and round(values[5], 4) == 1.7105
    assert live[first]["J8"].number_format.endswith("#,##0.0")
    assert live[first]["J9"].number_format == "0.00%"
    assert [book[second][f"J{row}"].value for row in (8, 9)] == ["never", "—"]


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_computes_the_ranges_and_scenario_sheets(
    decided: tuple[Any, Any, bytes], tmp_path: Path
) -> None:
    _, _, data = decided
    computed = recalculate(data, tmp_path)
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    source = openpyxl.load_workbook(io.BytesIO(data))
    checked = 0
    for name in [n for n in source.sheetnames if n == "Ranges" or n.startswith("To-Be")]:
        for row in source[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                ours = stored[name][cell.coordinate].value
                theirs = computed[name][cell.coordinate].value
                if isinstance(ours, str):
                    assert theirs == ours, f"{name}!{cell.coordinate}"
                else:
                    assert theirs == pytest.approx(ours, rel=1e-9, abs=1e-9), cell.coordinate
                checked += 1
    assert checked > 50


def test_a_long_scenario_name_is_cut_after_a_word_and_says_so(
    decided: tuple[Any, Any, bytes],
) -> None:
    """ "To-Be 1 Automate drafting and reporting" is 39 characters: the tab was "To-Be 1
    Automate drafting and", cut mid-phrase as if that were its name. Cut after a whole
    word, it ends with "…" (30 characters); a clash gets a number and stays within 31;
    the sheet's formulas still compute (LibreOffice in the e2e tests)."""
    from sopkit.render.workbook.decide import _sheet_name

    book = openpyxl.load_workbook(io.BytesIO(decided[2]))
    to_be = [name for name in book.sheetnames if name.startswith("To-Be")]
    assert to_be == ["To-Be 1 Automate drafting and…", "To-Be 2 Six posts a month…"]
    sheet = book[to_be[0]]
    assert sheet["J2"].value == "=N(I2)-N(H2)"
    taken = {"summary"}
    assert _sheet_name(1, "Automate drafting and reporting", taken, "en") == to_be[0]
    again = _sheet_name(1, "Automate drafting and reporting", taken, "en")
    assert again == "To-Be 1 Automate drafting… (2)" and len(again) <= 31
    assert _sheet_name(3, "Short enough", taken, "en") == "To-Be 3 Short enough"
    assert _sheet_name(4, "x" * 40, taken, "en") == "To-Be 4 " + "x" * 22 + "…"


def test_scenario_sheet_names_fit_as_excel_counts_them() -> None:
    """Found by probing: 28 emoji and a word made a 31-character name that Excel (and
    XlsxWriter) count as 59, and the build stopped with a traceback."""
    from sopkit.render.workbook.decide import _sheet_name

    taken: set[str] = set()
    names = [
        _sheet_name(1, "🎉" * 28 + " праздник", taken, "ru"),
        _sheet_name(2, "🎉" * 28 + " праздник", taken, "ru"),
        _sheet_name(3, "콘텐츠" * 20, taken, "ko"),
        _sheet_name(4, "Plain", taken, "en"),
    ]
    for name in names:
        assert len(name.encode("utf-16-le")) // 2 <= 31, name
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in name)  # no half an emoji
    assert names[0].startswith("Сценарий 1 🎉") and names[1].startswith("Сценарий 2 🎉")
    assert names[3] == "To-Be 4 Plain" and len(set(names)) == 4
    assert names[2].endswith("…") and names[0].endswith("…")
    import xlsxwriter

    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for name in names:
        book.add_worksheet(name)  # XlsxWriter refuses what Excel would
    book.close()


# --- Counted in: a pivot of Participants by process ties to the Summary ---------------------

SPLIT_ROLES = "currency: USD\nroles:\n  Writer: {rate: 50}\n  Editor: {rate: 70}\n"
#: item runs on its own once a month and is run 3 times by each run of release; release
#: runs twice a month on its own and once for each of digest's monthly runs.
SPLIT = {
    "item.yaml": """\
sopkit: 1
id: item
name: Item
owner: Writer
frequency: 1/month
steps:
  - {id: write, name: Write, owner: Writer, with: [Editor], time: 2h}
""",
    "release.yaml": """\
sopkit: 1
id: release
name: Release
owner: Editor
frequency: 2/month
steps:
  - {id: plan, name: Plan, owner: Editor, time: 1h}
  - {id: items, name: Items, process: item, count: 3, after: [plan]}
""",
    "digest.yaml": """\
sopkit: 1
id: digest
name: Digest
owner: Editor
frequency: 1/month
steps:
  - {id: run, name: Run the release, process: release}
""",
}


def _split(tmp_path: Path) -> PortfolioCost:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "roles.yaml").write_text(SPLIT_ROLES, "utf-8")
    for name, text in SPLIT.items():
        (tmp_path / name).write_text(text, "utf-8")
    return cost_portfolio(load_portfolio(tmp_path))


def test_a_procedure_counted_in_several_processes_has_a_row_for_each(tmp_path: Path) -> None:
    """item's write (2 h Writer $50 + 2 h Editor $70 = $240 a run) runs 1 + 2×3 + 1×3 = 10
    times a month: once on its own (item: $240 × 12 = $2,880), 6 times for release's own
    runs ($17,280) and 3 for digest's ($8,640). release's plan (1 h Editor, $70) runs
    2 + 1 times: $1,680 in release, $840 in digest. So the Summary's labour: item $2,880,
    release $17,280 + $1,680 = $18,960, digest $8,640 + $840 = $9,480; a pivot of
    Participants by Counted in gives the same."""
    cost = _split(tmp_path)
    assert {p.id: money(p.annual_cost) for p in cost.processes} == {
        "item": Decimal("2880.00"),
        "release": Decimal("18960.00"),
        "digest": Decimal("9480.00"),
    }
    data = render_workbook(cost)
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert_pivot_ties(values, ["item", "release", "digest"])
    assert {k: money(v) for k, v in pivot(values).items()} == {
        "item": Decimal("2880.00"),
        "release": Decimal("18960.00"),
        "digest": Decimal("9480.00"),
    }
    shown = [r for r in rows(values, "Participants") if r[1] is not None]
    writes = [(r[2], r[13], r[10], r[12]) for r in shown if r[0] == "item"]
    assert writes == [
        ("Writer", "item", 1, 1200),
        ("Writer", "release", 6, 7200),
        ("Writer", "digest", 3, 3600),
        ("Editor", "item", 1, 1680),
        ("Editor", "release", 6, 10080),
        ("Editor", "digest", 3, 5040),
    ]
    # the first row of each holds the figures per run; the others read them, so the sums
    # per run (Steps, Calls, Candidates) count each once
    live = openpyxl.load_workbook(io.BytesIO(data))["Participants"]
    first = next(n for n in range(2, live.max_row + 1) if live[f"A{n}"].value == "item")
    assert live[f"J{first}"].value == f"=I{first}*H{first}"
    assert live[f"K{first}"].value.startswith("=Steps!$H$")
    assert live[f"J{first + 1}"].value is None and live[f"I{first + 1}"].value is None
    assert live[f"M{first + 1}"].value == f"=J{first}*K{first + 1}*12"
    by_role = summary(values)
    assert money(by_role["Writer"][3]) == Decimal("12000.00")
    assert money(by_role["Editor"][3]) == Decimal("19320.00")
    notes = [str(r[0]) for r in rows(values, "Participants") if r[1] is None]
    assert any(n.startswith("Counted in: the process whose cost") for n in notes)
    assert any(n.startswith("A procedure that runs on its own") for n in notes)


@pytest.mark.e2e
@pytest.mark.slow
def test_libreoffice_keeps_a_split_procedures_pivot_tied_after_a_rate_change(
    tmp_path: Path,
) -> None:
    """Recalculated, every formula of the split rows gives sopkit's value; with the Editor
    at $80 (item's write $260 a run), the pivot by Counted in still ties to the Summary."""
    cost = _split(tmp_path / "files")
    data = render_workbook(cost)
    assert recomputed(data, tmp_path / "same") > 50
    rates = openpyxl.load_workbook(io.BytesIO(data))["Rates"]
    (row,) = [r for r in range(2, rates.max_row + 1) if rates[f"A{r}"].value == "Editor"]
    book = recalculate(set_number(data, "Rates", f"C{row}", 80), tmp_path / "lo")
    assert_pivot_ties(book, ["item", "release", "digest"])
    assert money(summary(book)["item"][3]) == Decimal("3120.00")  # $260 × 12
    assert money(summary(book)["digest"][3]) == Decimal("10320.00")  # 3 × $260 + $80, × 12


def test_a_process_with_another_working_year_gets_its_own_row(tmp_path: Path) -> None:
    """Two folders, 260 and 220 days of 8 h: pb's FTE divides by its own 1,760 hours, typed
    in a row of its own; the portfolio's (its roles' and totals') 2,080 comes first."""
    process = "sopkit: 1\nid: {id}\nname: {id}\nowner: Writer\nfrequency: 1/month\nsteps:\n"
    process += "  - {{id: s, name: S, owner: Writer, time: 2h}}\n"
    for folder, days in (("a", 260), ("b", 220)):
        (tmp_path / folder).mkdir()
        roles = f"currency: USD\nworking_days_per_year: {days}\nroles:\n  Writer: {{rate: 50}}\n"
        (tmp_path / folder / "roles.yaml").write_text(roles, "utf-8")
        (tmp_path / folder / "p.yaml").write_text(process.format(id="p" + folder), "utf-8")
    cost = cost_portfolio(load_portfolio([tmp_path / "a", tmp_path / "b"]))
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(cost)))
    sheet = book["Summary"]
    years = {
        sheet[f"A{n}"].value: (n, sheet[f"K{n}"].value)
        for n in range(2, sheet.max_row + 1)
        if str(sheet[f"A{n}"].value).startswith("Working hours a year")
    }
    assert [v for _, v in years.values()] == [2080, 1760]
    (row_a, _), (row_b, _) = years["Working hours a year"], years["Working hours a year: pb"]
    shown = summary(book)
    assert shown["pa"][8] == f"=G4/$K${row_a}" and shown["pb"][8] == f"=G5/$K${row_b}"
    assert shown["Writer"][8].endswith(f"/$K${row_a}")
    stored = summary(openpyxl.load_workbook(io.BytesIO(render_workbook(cost)), data_only=True))
    assert stored["pb"][8] == pytest.approx(24 / 1760)
