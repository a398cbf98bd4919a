"""The cost workbook for finance: ``cost.xlsx``, live formulas with their values stored.

Sheets, in order:

- **Summary**: the portfolio's labour, expenses, total cost, hours, external
  hours and FTE; the same for each process; each role with its kind, headcount,
  available hours and utilisation; the working hours of a year, typed once,
  which every FTE formula divides by.
- **Rates**: one row per role and rate, the only place a rate is typed.
- **Candidates**: automation candidates with gross and net saving, setup
  cost, payback and first-year ROI as formulas.
- **Steps**: each step's factors (hours per execution, executions per run,
  chance, runs per month, the owner's rate) and its figures per run and per year;
  a row per process of its own expenses, which no step holds.
- **Participants**: one row per step and role (owner and ``with``), each at
  its own rate: the rows a role's totals are summed from. Its "Counted in"
  column (text, no formula) names the process whose Summary cost includes the
  row (a procedure's rows: the process that runs it), so a pivot by it ties to
  the Summary's labour by process. A procedure several processes count (it
  also runs on its own, or several run it) has a row per process, the first
  holding the figures per run, the others the runs a month that process counts.
- **Calls** (when a step runs another process): that process's figures for
  one run × the calls, as formulas over its participants.
- **Expenses**: step and process expenses with their annual formulas.
- **Ranges** (given a simulation): P10/P50/P90 of annual total cost, hours and
  lead time per process and for the portfolio, beside the cost report's figures.
- **To-Be** sheets (given scenarios): one per scenario, As-Is beside To-Be, named
  ``To-Be 1 <name>``; a name past Excel's 31 characters is cut after a whole word
  and ends in "…".

Every formula is written with the value sopkit computed for it, so readers
that do not calculate (file previews, pandas, ``openpyxl`` with
``data_only=True``, mail viewers) show the figures, and Excel and LibreOffice
recalculate when a rate, headcount or share changes (the file asks Excel for
a full calculation on load). Values are the nearest binary floats of sopkit's
exact figures, so recalculated totals agree with sopkit's to far below a cent.

Inputs, the numbers typed in that formulas read (a rate, a headcount, a share, a
step's time…), are filled light yellow, as finance sheets mark what one may type
over; the Summary's first note says so.

Each sheet prints landscape, fitted to the page width on A4 or Letter (the
reader's paper), with its heading row on every page and panes frozen.

The file is deterministic: its document dates are pinned and every zip entry
has the same timestamp, so two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as _dt
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ...analysis.compare import ScenarioResult
from ...analysis.cost import PortfolioCost
from ...analysis.given import Costable, as_costs
from ...models import RoleKind
from ..counts import count_processes
from ..i18n import catalogue
from .candidates import candidates_table
from .cells import Formats, Table, write_table
from .decide import ranges_table, scenario_tables
from .money import expenses_table, rates_table
from .rows import plan_workbook
from .steps import calls_table, participants_table, steps_table
from .summary import summary_rows, summary_table
from .words import Words

if TYPE_CHECKING:
    from ...analysis.simulation import Simulation
    from ..costs.scenarios import ScenarioView

__all__ = ["PINNED_TIME", "RateRow", "rate_rows", "render_workbook"]

#: The creation and modification time written into every workbook.
PINNED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
#: Every zip entry's time and date (1980-01-01 00:00, zip's first day), as DOS stores them.
_DOS_TIME = (0, (0 << 9) | (1 << 5) | 1)
TITLE = "Annual workflow cost"


@dataclass(frozen=True, slots=True)
class RateRow:
    """One row of the Rates sheet: a role at one rate, and the processes that use it.

    A role whose rate is the same everywhere has one row; a process that
    overrides a rate in its own ``roles:`` map gets a row of its own.
    """

    role: str
    rate: Decimal
    processes: tuple[str, ...]
    kind: RoleKind = RoleKind.STAFF


def rate_rows(cost: PortfolioCost) -> list[RateRow]:
    """The Rates sheet's rows: each (role, rate) a participant is paid at, by role then rate."""
    return [RateRow(r.role, r.rate, tuple(r.processes), r.kind) for r in plan_workbook(cost).rates]


def _tables(
    cost: PortfolioCost,
    ranges: Simulation | None,
    scenarios: Sequence[ScenarioResult],
    words: Words,
) -> list[Table]:
    plan = plan_workbook(cost)
    title = f"{count_processes(catalogue(words.language), cost.processes)}, {cost.currency}"
    tables = [
        summary_table(plan, title, words.language),
        rates_table(plan),
        candidates_table(plan, words.language),
        steps_table(plan),
        participants_table(plan),
        calls_table(plan),
        expenses_table(plan),
    ]
    if ranges is not None:
        tables.append(ranges_table(cost, ranges, summary_rows(plan), words.language))
    found = [t for t in tables if t is not None]
    return found + scenario_tables(scenarios, {t.name for t in found}, words.language)


def _language(cost: PortfolioCost) -> str:
    languages = {p.process.language.value for p in cost.processes}
    return languages.pop() if len(languages) == 1 else "en"


def render_workbook(
    cost: Costable,
    *,
    ranges: Simulation | None = None,
    scenarios: Sequence[ScenarioResult] | ScenarioView = (),
) -> bytes:
    """``cost.xlsx`` for a costed portfolio, as bytes; the same input gives the same bytes.

    Args:
        cost: the costed portfolio (or the processes, costed here: ``as_costs``).
        ranges: a simulation of it, for the Ranges sheet.
        scenarios: scenarios against it, a To-Be sheet each: what ``compare_scenarios``
            returns, or its ``results``.
    """
    import xlsxwriter

    from ..costs.scenarios import scenario_results  # here: nothing else needs the costs renderers

    scenarios = scenario_results(scenarios)

    cost = as_costs(cost)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    words = Words(_language(cost))
    title = words(TITLE)
    workbook.set_properties(
        {"title": title, "author": "sopkit", "created": PINNED_TIME, "comments": ""}
    )
    formats = Formats(workbook, cost.currency, words)
    for table in _tables(cost, ranges, scenarios, words):
        write_table(workbook, table, formats, title=title)
    workbook.close()
    return _deterministic_zip(buffer.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with every entry's time and attributes pinned, as if made on Unix.

    Only header fields change, in place (the "made by" system is 0 on Windows,
    and XlsxWriter writes no file attributes): the compressed entries are
    XlsxWriter's bytes, so nothing is compressed twice.
    """
    patched = bytearray(data)
    end = patched.rfind(b"PK\x05\x06")
    if end < 0:
        raise ValueError("not a zip archive: no end of central directory")
    entries, _, offset = struct.unpack_from("<HII", patched, end + 10)
    for _ in range(entries):
        if patched[offset : offset + 4] != b"PK\x01\x02":
            raise ValueError("not a central directory entry")
        local = struct.unpack_from("<I", patched, offset + 42)[0]
        if patched[local : local + 4] != b"PK\x03\x04":
            raise ValueError("not a local file header")
        patched[offset + 5] = 3  # made by: Unix
        struct.pack_into("<HH", patched, offset + 12, *_DOS_TIME)
        struct.pack_into("<HH", patched, local + 10, *_DOS_TIME)
        struct.pack_into("<I", patched, offset + 38, 0o644 << 16)
        name, extra, comment = struct.unpack_from("<HHH", patched, offset + 28)
        offset += 46 + name + extra + comment
    return bytes(patched)
