"""Cost and automation-candidate reports as text: terminal tables, Markdown, CSV and
JSON, by ``cost_report`` and ``candidates_report``.

Every function here takes analysis results (or loaded processes, which it costs
first) and returns text; nothing is printed or written. The rows and columns
behind the tables, Markdown and CSV are made in ``cost_sheets`` (figures
rounded there, through ``sopkit.render.numbers``); the JSON in ``cost_json``.

Order of rows:

* tables and Markdown are for reading: rows by annual cost, highest first
  (ties by process id, then step id or role name), with a totals row;
* CSV and JSON are for other tools: processes as given, steps as written in
  the file, roles by name, so a changed number never reorders a diff;
  candidates are always in rank order (highest net saving first).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from ...analysis import Costable, PortfolioCost, as_costs, rank_candidates, unassessed_steps
from ...errors import UsageError
from ..beside import beside_text, only_these_hours
from .cost_json import candidates_document, cost_json, cost_json_parts
from .cost_sheets import COST_SHEETS, DROP_ORDER, candidates_sheet_of, raw_only
from .jsontext import dump_json
from .sheet import Sheet, visible
from .terminal import render_table

__all__ = [
    "COST_VIEWS",
    "DROP_ORDER",
    "FORMATS",
    "candidates_report",
    "candidates_sheet",
    "cost_report",
    "cost_report_parts",
    "cost_sheet",
    "ensure_costs",
    "render_sheet",
]

#: Output formats of ``sopkit cost`` and ``sopkit candidates``.
FORMATS = ("table", "markdown", "csv", "json")
#: What a cost report has one row per (``--by``).
COST_VIEWS = ("step", "role", "process")


def ensure_costs(source: Costable) -> PortfolioCost:
    """Cost loaded processes (a ``Portfolio``, one ``Process`` or any iterable), or pass
    costs through (``analysis.as_costs``)."""
    return as_costs(source)


def _choice(value: str, valid: Sequence[str], what: str) -> str:
    if value not in valid:
        raise UsageError(f"unknown {what} '{value}'", hint="use one of: " + ", ".join(valid))
    return value


def cost_report_parts(
    source: Costable,
    *,
    by: str = "step",
    fmt: str = "table",
    width: int | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[str]:
    """``cost_report`` in pieces that join to it (JSON comes a process at a time)."""
    if fmt == "json":
        _choice(by, COST_VIEWS, "view")
        return cost_json_parts(ensure_costs(source))
    return iter([cost_report(source, by=by, fmt=fmt, width=width, beside=beside)])


def cost_report(
    source: Costable,
    *,
    by: str = "step",
    fmt: str = "table",
    width: int | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The annual cost report in one format.

    Args:
        source: loaded processes (they are costed here) or a ``PortfolioCost``.
        by: one row per ``step``, ``role`` or ``process`` (JSON always has all three).
        fmt: ``table`` (for a terminal), ``markdown``, ``csv`` or ``json``.
        width: fit a table to a terminal this many columns wide (columns are left
            out in ``DROP_ORDER``, names wrap, figures never break); ``None`` keeps
            its natural width.
        beside: the process files not given that work in each role with a headcount
            (``roles_worked_beside``): ``by="role"`` says under the table that only the
            given processes' hours count toward the roles' capacity, and names them.

    Raises:
        UsageError: on an unknown view or format.
        SopkitError: on mixed currencies.
    """
    _choice(by, COST_VIEWS, "view")
    _choice(fmt, FORMATS, "format")
    costs = ensure_costs(source)
    if fmt == "json":
        return cost_json(costs)
    with raw_only(fmt == "csv"):
        sheet = cost_sheet(costs, by=by, reading=fmt != "csv")
    elsewhere = beside_text(beside or {}, [r.role for r in costs.roles if r.utilisation])
    if by == "role" and elsewhere is not None:
        sheet.notes.append(f"{only_these_hours(len(costs.processes))} {elsewhere}")
    return render_sheet(sheet, fmt, width)


def cost_sheet(source: Costable, *, by: str = "step", reading: bool = True) -> Sheet:
    """The cost report's rows as a ``Sheet``: sorted for reading, or in file order for CSV."""
    _choice(by, COST_VIEWS, "view")
    return COST_SHEETS[by](ensure_costs(source), reading=reading)


def candidates_report(
    source: Costable,
    *,
    top: int | None = None,
    min_saving: Decimal | None = None,
    fmt: str = "table",
    width: int | None = None,
) -> str:
    """Automation candidates ranked by net annual saving, in one format.

    Args:
        source: loaded processes or a ``PortfolioCost``.
        top: keep only the first ``top`` candidates.
        min_saving: keep only candidates whose net annual saving is at least this.
        fmt: ``table``, ``markdown``, ``csv`` or ``json``.
        width: fit a table to a terminal this many columns wide, as ``cost_report``.
    """
    _choice(fmt, FORMATS, "format")
    if top is not None and top < 0:
        raise UsageError(f"--top {top} is below zero", hint="give a count such as 5")
    costs = ensure_costs(source)
    if fmt == "json":
        ranked = rank_candidates(costs, top=top, min_saving=min_saving)
        return dump_json(candidates_document(ranked, costs.currency, unassessed_steps(costs)))
    with raw_only(fmt == "csv"):
        sheet = candidates_sheet(costs, top=top, min_saving=min_saving)
    return render_sheet(sheet, fmt, width)


def candidates_sheet(
    source: Costable, *, top: int | None = None, min_saving: Decimal | None = None
) -> Sheet:
    """The candidates report's rows as a ``Sheet``, in rank order."""
    costs = ensure_costs(source)
    ranked = rank_candidates(costs, top=top, min_saving=min_saving)
    everything = len(rank_candidates(costs)) if top is not None or min_saving is not None else None
    return candidates_sheet_of(costs, ranked, everything, unassessed_steps(costs))


def render_sheet(sheet: Sheet, fmt: str, width: int | None) -> str:
    """A sheet as a terminal table (wrapped to ``width``), Markdown or CSV."""
    if fmt == "csv":
        return _csv(sheet)
    if not sheet.rows and sheet.empty is not None:
        if fmt == "markdown":
            notes = "".join(f"\n{_markdown_note(note)}" for note in sheet.empty_notes)
            return f"**{_markdown_cell(sheet.title)}**\n\n{_markdown_cell(sheet.empty)}\n{notes}"
        notes = "".join(f"\n{note}" for note in sheet.empty_notes)
        return f"{sheet.title}\n\n{sheet.empty}\n{notes}"
    if fmt == "markdown":
        return _markdown(sheet)
    return render_table(sheet, width)


def _csv(sheet: Sheet) -> str:
    """Plain numbers (rounded, no symbols or separators) and a header row; no totals row,
    so a spreadsheet can sum the columns itself."""
    keep = visible(sheet, csv_output=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([sheet.columns[i].key for i in keep])
    for row in sheet.rows:
        writer.writerow(
            [row[i].raw if sheet.columns[i].numeric else _csv_text(row[i].raw) for i in keep]
        )
    return out.getvalue()


def _csv_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (``=HYPERLINK(…)``) gets a leading ``'``.

    The OWASP advice against CSV injection: Excel and LibreOffice show the text
    as written instead of evaluating it. Only text columns; numbers stay numbers.
    """
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _markdown_cell(text: str) -> str:
    """A table cell that shows names as text: no raw HTML (``<svg onload=…>``), no links,
    no strikethrough (``~~``)."""
    cell = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    cell = cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # "~" as SOPs write it (``md_escape``): an entity, which MkDocs shows too.
    return cell.replace("[", "\\[").replace("]", "\\]").replace("~", "&#126;")


def _markdown(sheet: Sheet) -> str:
    keep = visible(sheet, csv_output=False)
    columns = [sheet.columns[i] for i in keep]
    lines = [f"**{_markdown_cell(sheet.title)}**", ""]
    lines.append("| " + " | ".join(_markdown_cell(c.title) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in sheet.rows:
        lines.append("| " + " | ".join(_markdown_cell(row[i].text) for i in keep) + " |")
    if sheet.total is not None:
        total = sheet.total
        cells = [f"**{_markdown_cell(total[i].text)}**" if total[i].text else "" for i in keep]
        lines.append("| " + " | ".join(cells) + " |")
    if sheet.notes:
        lines.append("")
        lines.extend(_markdown_note(note) for note in sheet.notes)
    return "\n".join(lines) + "\n"


def _markdown_note(note: str) -> str:
    """A note as a list item; an indented note is an item of the note before it."""
    if note.startswith("  "):
        return f"  - {_markdown_cell(note.strip())}"
    return f"- {_markdown_cell(note)}"
