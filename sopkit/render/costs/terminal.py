"""Sheets as terminal tables that fit the terminal and never break a figure.

A figure (money, hours, a percentage, a payback) is never split across lines:
its column is at least as wide as its widest value. When the table is wider
than the terminal:

1. columns are left out in the sheet's ``drop_order`` (the least needed first,
   e.g. the factors of a cost before the cost itself) until the rest fits; a
   note under the table names them, and the notes explaining them are left out;
2. names wrap, at spaces and then after hyphens, each column kept wide
   enough for its longest word (up to ``MAX_WORD``, at least ``MIN_TEXT``), so
   leaving out a column comes before breaking a word; headings wrap at spaces;
   ids stay whole (up to ``MAX_ID``), so they can be copied into ``--explain``,
   unless the table cannot fit so even with every column that may go left out;
3. spare room goes back to the names first (fewer lines per row), then to the
   headings.

A table whose kept columns cannot fit even so (a terminal narrower than a
handful of figures) is printed wider than the terminal rather than cut.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len

from .sheet import Sheet, visible

__all__ = ["MIN_TEXT", "Layout", "layout", "render_table", "wrap_cell"]

#: The narrowest a wrapping name or id column gets.
MIN_TEXT = 8
#: A name column is kept wide enough for its longest word (an id: its longest part
#: between hyphens) up to this many columns; columns are left out before words break.
MAX_WORD = 14
#: An id column (``Column.copied``) keeps ids up to this long on one line.
MAX_ID = 40
#: What a table adds to its columns' widths: an edge space each side and
#: " " + separator + " " between two columns.
_EDGES = 2
_BETWEEN = 3


@dataclass(frozen=True, slots=True)
class Layout:
    """Which columns a table shows, how wide each is, and which were left out."""

    columns: list[int]  # indexes into the sheet's columns
    widths: list[int]
    dropped: list[int]

    @property
    def width(self) -> int:
        """The table's width in terminal columns."""
        return sum(self.widths) + _EDGES + _BETWEEN * (len(self.widths) - 1)


def layout(sheet: Sheet, width: int | None) -> Layout:
    """Choose the columns and their widths for a terminal ``width`` columns wide.

    ``None`` gives every column its natural width (for files and pipes).
    """
    shown = visible(sheet, csv_output=False)
    natural = {i: _natural(sheet, i) for i in shown}
    if width is None:
        return Layout(shown, [natural[i] for i in shown], [])
    least = {i: _least(sheet, i, natural[i]) for i in shown}
    keys = {sheet.columns[i].key: i for i in shown}
    if _width(least[i] for i in shown if sheet.columns[i].key not in sheet.drop_order) > width:
        # Even with every column that may go left out, whole ids do not fit: those
        # columns go, and the ids wrap after hyphens, as names do, rather than the
        # table running off the terminal.
        dropped = [keys[key] for key in sheet.drop_order if key in keys]
        kept = [i for i in shown if i not in dropped]
        widths = {i: _least(sheet, i, natural[i], whole_ids=False) for i in kept}
        return _grown(sheet, kept, widths, natural, width, dropped)
    dropped = []
    for key in sheet.drop_order:
        if _width(least[i] for i in shown) <= width:
            break
        if key in keys and keys[key] in shown:
            shown = [i for i in shown if i != keys[key]]
            dropped.append(keys[key])
    return _grown(sheet, shown, {i: least[i] for i in shown}, natural, width, dropped)


def _grown(
    sheet: Sheet,
    shown: list[int],
    widths: dict[int, int],
    natural: dict[int, int],
    width: int,
    dropped: list[int],
) -> Layout:
    """The columns at their least ``widths``, given the room left up to ``width``."""
    spare = max(0, width - _width(widths.values()))
    # Names first: a wrapped name costs a line on every row, a wrapped heading one line.
    growing = [i for i in shown if sheet.columns[i].wraps]
    while spare > 0 and (growing := [i for i in growing if widths[i] < natural[i]]):
        for i in growing[:spare]:
            widths[i] += 1
            spare -= 1
    for i in shown:
        extra = min(spare, natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return Layout(shown, [widths[i] for i in shown], dropped)


def _width(widths: Iterable[int]) -> int:
    values = list(widths)
    return sum(values) + _EDGES + _BETWEEN * (len(values) - 1)


def _cells(sheet: Sheet, index: int) -> list[str]:
    texts = [row[index].text for row in sheet.rows]
    if sheet.total is not None:
        texts.append(sheet.total[index].text)
    return texts


def _natural(sheet: Sheet, index: int) -> int:
    """The width that shows the heading and every value on one line."""
    return max([cell_len(sheet.columns[index].title), *map(cell_len, _cells(sheet, index))])


def _least(sheet: Sheet, index: int, natural: int, *, whole_ids: bool = True) -> int:
    """The narrowest the column may be: whole figures, whole heading words, whole ids
    (unless ``whole_ids`` is false)."""
    column = sheet.columns[index]
    heading = max((cell_len(word) for word in column.title.split()), default=1)
    if column.copied and whole_ids:  # whole, so it can be copied into --explain
        return max(heading, min(natural, MAX_ID))
    if column.wraps:  # wide enough for its longest word (or id part), within reason
        words = [w for text in _cells(sheet, index) for w in _breakable(text)]
        longest = min(max(map(cell_len, words), default=0), MAX_WORD)
        return min(natural, max(heading, MIN_TEXT, longest))
    return max([heading, *map(cell_len, _cells(sheet, index))])


def _breakable(text: str) -> list[str]:
    """The pieces a line may break between: words, and the parts of an id after hyphens."""
    return [part for word in text.split() for part in word.replace("-", "- ").split()]


def wrap_cell(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` terminal columns: at spaces, then after
    hyphens (``user-`` / ``onboarding``), and only then inside a word."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        first, *rest = _pieces(word, width)
        candidate = f"{current} {first}" if current else first
        if current and cell_len(candidate) > width:
            lines.append(current)
            candidate = first
        current = candidate
        for piece in rest:  # the rest of a word too long for one line
            lines.append(current)
            current = piece
    lines.append(current)
    return "\n".join(lines)


def _pieces(word: str, width: int) -> list[str]:
    """A word as it may be broken: whole if it fits, else after hyphens, else anywhere."""
    if cell_len(word) <= width:
        return [word]
    parts = word.split("-")
    parts = [p + "-" for p in parts[:-1]] + [parts[-1]]
    if any(cell_len(part) > width for part in parts):
        parts = list(word)  # no hyphen to break at: fill each line
    pieces = [""]
    for part in parts:
        if pieces[-1] and cell_len(pieces[-1] + part) > width:
            pieces.append("")
        pieces[-1] += part
    return pieces


def render_table(sheet: Sheet, width: int | None) -> str:
    """The sheet as a plain-text table (no colour), fitted to ``width`` columns."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    plan = layout(sheet, width)
    table = Table(box=box.SIMPLE_HEAD, show_footer=sheet.total is not None, pad_edge=False)
    for i, w in zip(plan.columns, plan.widths, strict=True):
        column = sheet.columns[i]
        footer = sheet.total[i].text if sheet.total is not None else ""
        table.add_column(
            wrap_cell(column.title, w),
            footer=wrap_cell(footer, w) if column.wraps else footer,
            justify="right" if column.numeric else "left",
            width=w,
            overflow="fold",
        )
    for row in sheet.rows:
        table.add_row(
            *(
                wrap_cell(row[i].text, w) if sheet.columns[i].wraps else row[i].text
                for i, w in zip(plan.columns, plan.widths, strict=True)
            )
        )
    out = io.StringIO()
    console = Console(
        file=out,
        width=max(width or 0, plan.width),
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        legacy_windows=False,
        emoji=False,
        highlight=False,
        markup=False,
        soft_wrap=False,
    )
    console.print(sheet.title, markup=False, highlight=False, soft_wrap=width is None)
    console.print(table)
    notes = sheet.notes_for({sheet.columns[i].key for i in plan.columns})
    if plan.dropped:
        titles = ", ".join(sheet.columns[i].title for i in plan.dropped)
        notes.insert(
            0,
            f"Left out to fit {width} columns: {titles} "
            "(a wider terminal, or --format markdown or csv, shows every column).",
        )
    for note in notes:
        console.print(note, markup=False, highlight=False, soft_wrap=width is None)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"
