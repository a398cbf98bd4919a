"""Tables of cells, and the one place they are written into an XlsxWriter sheet.

Every sheet is built as a ``Table``: columns with a kind (money, hours, a
share…) and rows of plain values or ``Formula`` objects. A formula carries the
value sopkit computed for it, written into the file as the cell's cached
value: any reader that does not calculate (a preview, pandas, openpyxl with
``data_only=True``, a mail viewer) shows the figures, while Excel and
LibreOffice still recalculate when an input changes.

Text is always written as text, never through XlsxWriter's guessing ``write``:
a step named ``=HYPERLINK(…)`` stays a name and never runs in the reader's
spreadsheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...currency import MINOR_UNITS, SYMBOLS
from ..labels import text_width
from ..numbers import number_text
from .formulas import fast_worksheet
from .words import Words

__all__ = [
    "Cell",
    "Column",
    "Formula",
    "Formats",
    "INPUT_FILL",
    "Row",
    "Table",
    "cell",
    "column_letter",
    "column_sum",
    "exact",
    "money_format",
    "write_table",
]

Number = int | Decimal | Fraction
Value = str | Number | None
#: Excel's limit on the text of one cell.
MAX_TEXT = 32_767


@dataclass(frozen=True, slots=True)
class Formula:
    """A live formula (without the leading ``=``… or with it) and the value sopkit computed.

    ``value`` is what the formula gives for the inputs as written, stored as the
    cell's cached result; a string value (``"never"``) is stored as text.
    """

    text: str
    value: Value


Cell = Value | Formula


def exact(value: Cell) -> Fraction:
    """The exact number a cell holds or a formula gives (0 for text and blanks)."""
    if isinstance(value, Formula):
        value = value.value
    if value is None or isinstance(value, str):
        return Fraction(0)
    return Fraction(value)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its heading, the kind of figure it holds, and the widest it may grow."""

    title: str
    kind: str = "text"
    max_width: int = 40
    #: A column of inputs: each number typed in it (not a formula) is marked as one.
    inputs: bool = False


@dataclass(slots=True)
class Row:
    """One row; ``style`` is ``data``, ``total`` (bold, ruled), ``section`` or ``note``.

    ``kinds`` gives a cell a kind of figure other than its column's, by column index: a
    block of labelled figures under one column (money, then months, then a percentage).
    """

    cells: Sequence[Cell]
    style: str = "data"
    kinds: Mapping[int, str] = field(default_factory=dict)

    def kind(self, table: Table, index: int) -> str:
        """The kind of figure the cell at ``index`` holds."""
        if index in self.kinds:
            return self.kinds[index]
        return table.columns[index].kind if index < len(table.columns) else "text"


@dataclass(slots=True)
class Table:
    """A sheet: a heading row, rows, and how it prints."""

    name: str
    columns: Sequence[Column]
    rows: list[Row] = field(default_factory=list)
    #: Columns kept in view beside the frozen heading row (ids and names).
    frozen_columns: int = 1
    #: Filter buttons on the heading row over the data rows (not on summary sheets).
    autofilter: bool = True
    #: Cells ``(row index, column index)`` (0-based, heading row 0) marked over capacity.
    alerts: list[tuple[int, int]] = field(default_factory=list)
    #: What the printed page's header says (the workbook's title by default).
    title: str | None = None

    def next_row(self) -> int:
        """The spreadsheet row number (1-based) the next appended row will have."""
        return len(self.rows) + 2

    def add(
        self, cells: Sequence[Cell], style: str = "data", kinds: Mapping[int, str] | None = None
    ) -> int:
        """Append a row; returns its spreadsheet row number."""
        number = self.next_row()
        self.rows.append(Row(cells, style, dict(kinds or {})))
        return number


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``25`` → ``Z``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_sum(column: str, last: int, value: Fraction) -> Cell:
    """The total of a column's data rows (from row 2 to ``last``), as a formula; with no
    data rows, the plain value: ``SUM(I2:I2)`` in the total's own row would be circular."""
    return Formula(f"SUM({column}2:{column}{last})", value) if last >= 2 else value


def cell(column: int, row: int, sheet: str | None = None, *, absolute: bool = False) -> str:
    """An A1 reference: ``cell(2, 5)`` → ``C5``; ``absolute`` gives ``$C$5``."""
    dollar = "$" if absolute else ""
    ref = f"{dollar}{column_letter(column)}{dollar}{row}"
    return f"{sheet}!{ref}" if sheet else ref


def money_format(currency: str, language: str = "en") -> str:
    """A number format in the currency: ``"$"#,##0.00``, ``"₩"#,##0``, ``#,##0.00 "₽"``.

    The symbol comes first, as English and Korean write it, and after the
    figure in a Russian portfolio; a currency without a well-known symbol is
    written with its code after the figure.
    """
    digits = MINOR_UNITS.get(currency, 2)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    symbol = SYMBOLS.get(currency)
    if symbol is None:
        return f'{number} "{currency}"'
    if language == "ru":
        return f'{number} "{symbol}"'
    return f'"{symbol}"{number}'


#: Number formats by column kind; ``money`` is the portfolio's currency.
NUMBER_FORMATS = {
    "hours": "#,##0.00",
    "factor": "#,##0.00##",
    "chance": "0.00%",
    "share": "0.00%",
    "fte": "0.00",
    "utilisation": "0.00%",
    "roi": "0.00%",
    # as the reports write it: what rounds to 0.0 is "< 0.1" (0.0 reads as nothing to pay back)
    "payback": '[=0]"immediately";[<0.05]"< 0.1";#,##0.0',
    # headcount, people: 1 shows as 1 and 1.5 as 1.5 (#,##0.## shows "1." in Excel)
    "count": "General",
    "integer": "#,##0",
}
_NAVY = "#1E3A5F"
#: The fill of an input cell, light yellow as finance sheets mark what one may type over.
INPUT_FILL = "#FFF2CC"


class Formats:
    """XlsxWriter formats, made once per (kind, style) and shared by every cell."""

    def __init__(self, workbook: Any, currency: str, words: Words) -> None:
        self.workbook = workbook
        self.words = words
        self.money = money_format(currency, words.language)
        self.made: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, style: str) -> Any:
        key = (kind, style)
        if key not in self.made:
            self.made[key] = self.workbook.add_format(self._properties(kind, style))
        return self.made[key]

    def _properties(self, kind: str, style: str) -> dict[str, Any]:
        props: dict[str, Any] = {"valign": "top", "font_size": 10}
        if kind == "money":
            props.update(num_format=self.money, align="right")
        elif kind in NUMBER_FORMATS:
            # right-aligned, so a "never" or "—" among the figures lines up with them
            shown = NUMBER_FORMATS[kind].replace("immediately", self.words("immediately"))
            shown = shown.replace(
                '"< 0.1"', f'"< {number_text(Decimal("0.1"), 1, self.words.language)}"'
            )
            props.update(num_format=shown, align="right")
        elif kind == "text":
            props["text_wrap"] = True
        if style == "heading":
            props.update(
                bold=True, font_color="#FFFFFF", bg_color=_NAVY, text_wrap=True, valign="vcenter"
            )
        elif style == "total":
            # a total's label runs on over the empty cells beside it rather than wrap
            props.update(bold=True, top=1, top_color=_NAVY, bg_color="#EEF2F7", text_wrap=False)
        elif style == "section":
            props.update(bold=True, font_size=11, bottom=1, bottom_color=_NAVY, text_wrap=False)
        elif style == "note":
            props.update(italic=True, font_color="#475569", text_wrap=False)
        elif style == "alert":
            props.update(bold=True, font_color="#9F1239", bg_color="#FFE4E6")
        elif style == "input":
            props.update(bg_color=INPUT_FILL, border=1, border_color="#D6B656")
        return props


def _number(value: Number) -> float | int:
    """The nearest binary float of an exact value (integers stay integers)."""
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return float(value)


def _text(value: str) -> str:
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def _shown(value: Cell, kind: str) -> str:
    """Roughly the text a cell shows, to size its column."""
    if isinstance(value, Formula):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    number = float(value)
    if kind in ("chance", "share", "utilisation", "roi"):
        return f"{number * 100:,.1f}%"
    if kind == "money":
        return f"$ {number:,.2f}"
    return f"{number:,.2f}"


def _widths(table: Table) -> list[float]:
    """Column widths that fit the widest value, and the heading's longest word."""
    widths = []
    for index, column in enumerate(table.columns):
        words = max((text_width(w) for w in column.title.split()), default=4)
        longest = words
        for row in table.rows:
            if longest >= column.max_width:
                break  # as wide as a column gets: the rest cannot widen it
            if row.style in ("section", "note") or index >= len(row.cells):
                continue
            longest = max(longest, text_width(_shown(row.cells[index], row.kind(table, index))))
        widths.append(min(max(longest, 6), column.max_width) + 1.5)
    return widths


def write_table(workbook: Any, table: Table, formats: Formats, *, title: str) -> Any:
    """Write ``table`` as a new sheet, set up to print and to read on screen.

    Printing: landscape, fitted to the page width (as many pages tall as it
    needs, on the reader's A4 or Letter paper), the heading row repeated on
    every page, the sheet's name and page numbers in the margins. On screen
    the heading row and the first columns stay frozen.
    """
    table = _localised(table, formats.words)
    sheet = workbook.add_worksheet(table.name, worksheet_class=fast_worksheet())
    widths = _widths(table)
    for index, (heading, width) in enumerate(zip(table.columns, widths, strict=True)):
        sheet.set_column(index, index, width)
        sheet.write_string(0, index, heading.title, formats.get(heading.kind, "heading"))
    tallest = max(
        len(c.title) / max(w - 1.5, 1) for c, w in zip(table.columns, widths, strict=True)
    )
    sheet.set_row(0, 15 * min(max(int(tallest) + 1, 2), 4))
    alerts = set(table.alerts)
    for position, row in enumerate(table.rows, start=1):
        lines = _lines(table, row, widths)
        if lines > 1:
            sheet.set_row(position, _LINE * lines)
        for index, value in enumerate(row.cells):
            column = table.columns[index] if index < len(table.columns) else None
            kind = row.kind(table, index)
            style = "alert" if (position, index) in alerts else row.style
            if style == "data" and column is not None and column.inputs and _typed(value):
                style = "input"
            if row.style in ("section", "note"):
                kind = "label"
            _write(sheet, position, index, value, formats.get(kind, style))
    last = len(table.rows)
    sheet.freeze_panes(1, table.frozen_columns)
    if table.autofilter and last:
        sheet.autofilter(0, 0, last, len(table.columns) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    header = _header_text(table.title or title)[:200]
    sheet.set_header(f"&L&8{header}&R&8&A", {"margin": 0.25})
    sheet.set_footer("&R&8" + formats.words("Page &P of &N"), {"margin": 0.25})
    return sheet


def _typed(value: Cell) -> bool:
    """A number typed into the cell (an input), not a formula, text or a blank."""
    return isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool)


def _localised(table: Table, words: Words) -> Table:
    """``table`` as a reader of the workbook's language sees it (see ``words``)."""
    if words.english:
        return table

    def shown(value: Cell) -> Cell:
        if isinstance(value, Formula):
            text = words.text(value.value) if isinstance(value.value, str) else value.value
            return Formula(words.formula(value.text), text)
        return words.text(value) if isinstance(value, str) else value

    return replace(
        table,
        name=words.sheet(table.name),
        columns=[replace(c, title=words(c.title)) for c in table.columns],
        rows=[Row([shown(v) for v in row.cells], row.style, row.kinds) for row in table.rows],
        title=None if table.title is None else words.text(table.title),
    )


#: The height of one line of 10-point text, in points.
_LINE = 13.5
#: Spaces and thin punctuation: half a letter's width in Calibri.
_THIN = frozenset(" ,.:;'!|()[]-·")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def _text_width(text: str) -> float:
    """``text``'s width in letters of the sheets' 10-point Calibri: a letter 1, a Hangul
    syllable (drawn from a CJK font) 2, a space or a comma ½. Measured in LibreOffice
    with Carlito (Calibri's metrics), in column units: a letter 0.85, a syllable 1.63, a
    space 0.4. Counting a space as a letter left a Korean cell that fits one line
    (``광고대행사, 함께: 퍼포먼스 마케터``) a row two lines tall, half blank."""
    return text_width(text) - sum(0.5 for ch in text if ch in _THIN)


def _line_count(text: str, room: float) -> int:
    """Lines ``text`` takes wrapped at its spaces in ``room`` letters; a word wider than a
    line takes as many as it fills."""
    lines = 0
    for paragraph in _NEWLINES.split(text):
        used, lines = 0.0, lines + 1
        for word in paragraph.split():
            width = _text_width(word)
            if used and used + 0.5 + width <= room:
                used += 0.5 + width
                continue
            if used:
                lines += 1
            full = max(math.ceil(width / room) - 1, 0)  # lines a long word fills
            lines, used = lines + full, width - full * room
    return lines


def _lines(table: Table, row: Row, widths: list[float]) -> int:
    """How many lines the row's wrapped text takes (readers that do not fit rows need this)."""
    if row.style in ("section", "note", "total"):
        return 1
    lines = 1
    for value, column, width in zip(row.cells, table.columns, widths, strict=False):
        if column.kind == "text" and isinstance(value, str):
            # Excel's column unit is a digit's width; letters of a 10-point font run narrower
            room = max(int((width - 1.5) * 1.2), 1)
            if text_width(value) <= room and "\n" not in value and "\r" not in value:
                continue  # one line: most cells, without wrapping them to find out
            lines = max(lines, _line_count(value, room))
    return min(lines, 8)


def _header_text(text: str) -> str:
    """Text for a print header: ``&`` is a header code, so it is doubled."""
    return text.replace("&", "&&")


def _write(sheet: Any, row: int, column: int, value: Cell, fmt: Any) -> None:
    if isinstance(value, Formula):
        formula = value.text if value.text.startswith("=") else "=" + value.text
        cached = value.value
        if cached is None:
            cached = ""
        shown: Any = cached if isinstance(cached, str) else _number(cached)
        sheet.write_formula(row, column, formula, fmt, shown)
    elif value is None:
        sheet.write_blank(row, column, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, column, _text(value), fmt)
    else:
        sheet.write_number(row, column, _number(value), fmt)
