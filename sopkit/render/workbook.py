"""The cost workbook for finance: ``cost.xlsx`` with live formulas.

Four sheets:

- **Processes** and **Roles**: annual hours, cost and FTE per process and per
  role, summed over the Steps sheet by exact match of the name
  (``SUMPRODUCT(--EXACT(…))``), with ``SUM`` totals. Not ``SUMIF``: it ignores
  case and reads ``*``, ``?`` and ``~`` as wildcards and a leading ``<``, ``>``
  or ``=`` as a comparison, so roles ``Editor`` and ``editor``, or ``Writer*``
  and ``Writer``, would add up each other's rows.
- **Steps**: every step's inputs as values (hours per execution, executions
  per run, runs per month) and its rate as a reference to its row on the Rates
  sheet; annual hours and cost are the format's formula,
  ``=hours*executions*runs_per_month*rate*12``.
- **Rates**: one row per role and rate, the only place a rate is typed.

Change a rate on the Rates sheet in Excel or LibreOffice and every step,
process, role and total recalculates. Inputs are written as the nearest
binary floats of sopkit's exact decimals, so recalculated totals agree with
sopkit's to far below a cent.

The file is deterministic: the document's dates are pinned and every zip
entry gets the same timestamp, so two builds of the same input are
byte-identical.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..analysis.cost import PortfolioCost, StepCost
from ..currency import MINOR_UNITS
from ..models import Settings

__all__ = ["PINNED_TIME", "RateRow", "rate_rows", "render_workbook"]

#: The creation and modification time written into every workbook.
PINNED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1E3A5F")
_TOTAL_FONT = Font(bold=True)
_TOTAL_BORDER = Border(top=Side(style="thin", color="1E3A5F"))
_HOURS = "#,##0.00"
_FACTOR = "0.0000"
_FTE = "0.00"


@dataclass(frozen=True, slots=True)
class RateRow:
    """One row of the Rates sheet: a role at one rate, and the processes that use it.

    A role whose rate is the same everywhere has one row; a process that
    overrides a rate in its own ``roles:`` map gets a row of its own.
    """

    role: str
    rate: Decimal
    processes: tuple[str, ...]


def rate_rows(cost: PortfolioCost) -> list[RateRow]:
    """The Rates sheet's rows: each (role, rate) used by a step, sorted by role then rate."""
    users: dict[tuple[str, Decimal], list[str]] = {}
    for step in cost.steps:
        if step.owner is None:
            continue  # milestones and calls have no rate of their own
        found = users.setdefault((step.owner, step.rate), [])
        if step.process_id not in found:
            found.append(step.process_id)
    return [
        RateRow(role, rate, tuple(sorted(processes)))
        for (role, rate), processes in sorted(users.items())
    ]


def _money_format(currency: str) -> str:
    digits = MINOR_UNITS.get(currency, 2)
    return "#,##0" + ("." + "0" * digits if digits else "")


def _number(value: Decimal) -> float | int:
    """A Decimal as the closest float (ints stay ints, so ``4`` is written as ``4``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _as_text(sheet: Worksheet, row: int, columns: str) -> None:
    """Keep user text as text: openpyxl stores any string starting with '=' as a formula,
    so a step named ``=HYPERLINK(…)`` would run in the reader's spreadsheet."""
    for column in columns:
        cell = sheet[f"{column}{row}"]
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for column, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A2"


def _total_row(sheet: Worksheet, row: int, label: str, sums: dict[str, str]) -> None:
    sheet.cell(row=row, column=1, value=label)
    for column, number_format in sums.items():
        cell = sheet[f"{column}{row}"]
        cell.value = f"=SUM({column}2:{column}{row - 1})" if row > 2 else 0
        cell.number_format = number_format
    for cell in sheet[row]:
        cell.font = _TOTAL_FONT
        cell.border = _TOTAL_BORDER


def _formats(sheet: Worksheet, row: int, formats: dict[str, str]) -> None:
    for column, number_format in formats.items():
        sheet[f"{column}{row}"].number_format = number_format


def _hours_per_fte(settings: Settings) -> float | int:
    return _number(settings.working_days_per_year * settings.hours_per_day)


def _rates_sheet(
    sheet: Worksheet, rows: list[RateRow], currency: str
) -> dict[tuple[str, Decimal], int]:
    _header(sheet, ["Role", "Rate per hour", "Currency", "Used by"], [34, 14, 10, 60])
    money = _money_format(currency)
    where: dict[tuple[str, Decimal], int] = {}
    for number, rate in enumerate(rows, start=2):
        sheet.append([rate.role, _number(rate.rate), currency, ", ".join(rate.processes)])
        _as_text(sheet, number, "A")
        sheet[f"B{number}"].number_format = money
        where[(rate.role, rate.rate)] = number
    return where


def _steps_sheet(
    sheet: Worksheet,
    steps: tuple[StepCost, ...],
    rate_row: dict[tuple[str, Decimal], int],
    currency: str,
) -> int:
    """Fill the Steps sheet; returns the last step's row number."""
    _header(
        sheet,
        [
            "Process",
            "Step",
            "Step name",
            "Owner",
            "Hours per execution",
            "Executions per run",
            "Runs per month",
            f"Rate ({currency})",
            "Annual hours",
            f"Annual cost ({currency})",
        ],
        [24, 22, 40, 26, 12, 12, 12, 12, 14, 16],
    )
    money = _money_format(currency)
    row = 1
    for row, step in enumerate(steps, start=2):
        sheet.append(
            [
                step.process_id,
                step.step_id,
                step.name,
                step.owner,
                _number(step.hours_per_execution),
                _number(step.executions_per_run),
                _number(step.runs_per_month),
                0 if step.owner is None else f"=Rates!$B${rate_row[(step.owner, step.rate)]}",
                f"=E{row}*F{row}*G{row}*12",
                f"=E{row}*F{row}*G{row}*H{row}*12",
            ]
        )
        _as_text(sheet, row, "CD")
        _formats(
            sheet,
            row,
            {"E": _FACTOR, "F": _FACTOR, "G": _FACTOR, "H": money, "I": _HOURS, "J": money},
        )
    _total_row(sheet, row + 1, "Total", {"I": _HOURS, "J": money})
    sheet.auto_filter.ref = f"A1:J{row}"
    return row


def _sum_matching(key_column: str, key_cell: str, value_column: str, last: int) -> str:
    """The Steps rows whose ``key_column`` is exactly ``key_cell``'s text, summed.

    ``EXACT`` compares case and every character literally, so no name can act
    as a wildcard, a comparison or a regular expression, whatever the
    spreadsheet's settings; editing an owner on the Steps sheet moves the row
    to that role's total.
    """
    keys = f"Steps!${key_column}$2:${key_column}${last}"
    values = f"Steps!${value_column}$2:${value_column}${last}"
    return f"=SUMPRODUCT(--EXACT({keys},{key_cell}),{values})"


def _processes_sheet(sheet: Worksheet, cost: PortfolioCost, last: int) -> None:
    currency = cost.currency
    _header(
        sheet,
        [
            "Process",
            "Name",
            "Owner",
            "Frequency",
            "Runs per month",
            "Steps",
            "Annual hours",
            f"Annual cost ({currency})",
            "FTE",
        ],
        [24, 44, 26, 12, 12, 8, 14, 16, 8],
    )
    money = _money_format(currency)
    row = 1
    for row, process in enumerate(cost.processes, start=2):
        sheet.append(
            [
                process.id,
                process.name,
                process.process.owner,
                str(process.process.frequency),
                _number(process.runs_per_month),
                len(process.steps),
                _sum_matching("A", f"A{row}", "I", last),
                _sum_matching("A", f"A{row}", "J", last),
                f"=G{row}/{_hours_per_fte(process.process.settings)}",
            ]
        )
        _as_text(sheet, row, "BC")
        _formats(sheet, row, {"E": _FACTOR, "G": _HOURS, "H": money, "I": _FTE})
    _total_row(sheet, row + 1, "Total", {"F": "0", "G": _HOURS, "H": money, "I": _FTE})


def _roles_sheet(sheet: Worksheet, cost: PortfolioCost, last: int) -> None:
    currency = cost.currency
    _header(sheet, ["Role", "Annual hours", f"Annual cost ({currency})", "FTE"], [34, 14, 16, 8])
    money = _money_format(currency)
    per_fte = _hours_per_fte(cost.settings)
    row = 1
    for row, role in enumerate(cost.roles, start=2):
        sheet.append(
            [
                role.role,
                _sum_matching("D", f"A{row}", "I", last),
                _sum_matching("D", f"A{row}", "J", last),
                f"=B{row}/{per_fte}",
            ]
        )
        _as_text(sheet, row, "A")
        _formats(sheet, row, {"B": _HOURS, "C": money, "D": _FTE})
    _total_row(sheet, row + 1, "Total", {"B": _HOURS, "C": money, "D": _FTE})


def render_workbook(cost: PortfolioCost) -> bytes:
    """``cost.xlsx`` for a costed portfolio, as bytes; the same input gives the same bytes."""
    workbook = Workbook()
    processes = workbook.active
    assert processes is not None
    processes.title = "Processes"
    roles = workbook.create_sheet("Roles")
    steps = workbook.create_sheet("Steps")
    rates = workbook.create_sheet("Rates")

    rate_row = _rates_sheet(rates, rate_rows(cost), cost.currency)
    last = _steps_sheet(steps, cost.steps, rate_row, cost.currency)
    _processes_sheet(processes, cost, last)
    _roles_sheet(roles, cost, last)

    workbook.properties.creator = "sopkit"
    workbook.properties.title = "Annual workflow cost"
    workbook.properties.created = PINNED_TIME
    workbook.properties.modified = PINNED_TIME
    workbook.calculation.fullCalcOnLoad = True
    return _deterministic_zip(_save(workbook))


def _save(workbook: Workbook) -> bytes:
    """Save without ``save_workbook``, which stamps the current time as "modified"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with every entry's timestamp and attributes pinned."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            pinned = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.create_system = 3
            pinned.external_attr = 0o644 << 16
            target.writestr(pinned, source.read(entry.filename))
    return out.getvalue()
