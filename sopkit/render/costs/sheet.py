"""One model of a report for every text format: a sheet of columns, rows and a totals row.

``tables`` builds sheets from analysis results; ``terminal`` lays them out for
a terminal, ``tables`` writes them as Markdown and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Cell", "Column", "Sheet", "visible"]


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure as shown to people (``text``) and as written to CSV (``raw``)."""

    text: str
    raw: str


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the CSV header
    title: str  # the table and Markdown header
    numeric: bool = True
    #: Only in tables and Markdown (e.g. a currency symbol already in the cells).
    reading_only: bool = False
    #: Only in CSV.
    csv_only: bool = False
    #: Text that may wrap onto several lines in a narrow terminal (names, ids). Figures
    #: and short codes such as a frequency never wrap.
    wraps: bool = False
    #: An id someone copies into another command (``--explain process/step``): kept on
    #: one line in a narrow terminal, unless it is longer than ``terminal.MAX_ID``.
    copied: bool = False


@dataclass(slots=True)
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)
    #: Column keys a narrow terminal leaves out, the first first; the others always stay.
    drop_order: tuple[str, ...] = ()
    #: What a table or Markdown says instead of an empty table when there are no rows
    #: (CSV keeps its header row, for the spreadsheet that reads it).
    empty: str | None = None
    #: Notes that still hold with no rows, shown under ``empty``.
    empty_notes: list[str] = field(default_factory=list)
    #: The notes that explain one column, with its key: a table that leaves the column
    #: out leaves its note out too (a note must not explain what is not there).
    explains: dict[str, str] = field(default_factory=dict)

    def notes_for(self, shown: set[str]) -> list[str]:
        """The notes of a table showing the columns ``shown`` (by key)."""
        return [n for n in self.notes if n not in self.explains or self.explains[n] in shown]


def visible(sheet: Sheet, *, csv_output: bool) -> list[int]:
    """Indexes of the columns a format shows: CSV-only ones in CSV, reading-only elsewhere."""
    return [
        i
        for i, column in enumerate(sheet.columns)
        if (column.csv_only and csv_output)
        or (column.reading_only and not csv_output)
        or not (column.csv_only or column.reading_only)
    ]
