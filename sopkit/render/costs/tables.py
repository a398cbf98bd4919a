"""Cost and automation-candidate reports: terminal tables, Markdown, CSV and JSON.

Every function here takes analysis results (or loaded processes, which it costs
first) and returns text; nothing is printed or written. Figures are rounded
only here, through ``sopkit.render.numbers``.

Order of rows:

* tables and Markdown are for reading: rows by annual cost, highest first
  (ties by process id, then step id or role name), with a totals row;
* CSV and JSON are for other tools: processes as given, steps as written in
  the file, roles by name, so a changed number never reorders a diff;
  candidates are always in rank order (highest net saving first).

JSON follows the format's "Machine-readable output" contract: money is a JSON
number rounded half-up to the currency's minor unit; hours, months,
percentages, runs per month, executions per run and FTE are rounded to 2
decimals; an undefined percentage or payback is ``null``. Numbers are written
from their decimal digits (never through a float) and always with a decimal
point (``4320.0``, ``96.0``, ``10500000.0`` for KRW), so typed readers always
see the same kind of number. Keys beyond the contract are only ever added.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ...analysis import (
    Candidate,
    Costable,
    CostSummary,
    PortfolioCost,
    ProcessCost,
    RoleCost,
    StepCost,
    as_costs,
    rank_candidates,
)
from ...analysis.units import terms, to_decimal
from ...errors import UsageError
from ...models import RoleKind
from ..i18n import catalogue, payback_text
from ..numbers import (
    DASH,
    counted,
    hours_text,
    json_fixed,
    json_number,
    listed,
    minor_unit,
    money_text,
    number_text,
    percent_text,
    rate_text,
    round_exact,
    round_money,
    round_number,
    share_text,
)
from ..totals import candidate_totals
from .sheet import Cell, Column, Sheet, visible
from .terminal import render_table

__all__ = [
    "COST_VIEWS",
    "DROP_ORDER",
    "FORMATS",
    "candidates_document",
    "candidates_report",
    "candidates_sheet",
    "cost_document",
    "cost_json",
    "cost_json_parts",
    "cost_report",
    "cost_report_parts",
    "cost_sheet",
    "dump_json",
    "dump_json_parts",
    "ensure_costs",
    "render_sheet",
]

#: Output formats of ``sopkit cost`` and ``sopkit candidates``.
FORMATS = ("table", "markdown", "csv", "json")
#: What a cost report has one row per (``--by``).
COST_VIEWS = ("step", "role", "process")


#: The columns a terminal too narrow for the whole table leaves out, the first first
#: (CSV keys). What a reader needs most stays: which step or process, its annual cost
#: (or net saving and payback), then hours; the factors behind a figure go first.
#: ``sopkit cost --help`` and ``sopkit candidates --help`` say the same.
DROP_ORDER: dict[str, tuple[str, ...]] = {
    "step": (
        "executions_per_run",
        "runs_per_month",
        "hours_per_execution",
        "rate",
        "external_hours",
        "fte",
        "name",
        "owner",
        "annual_expenses",
        "annual_hours",
    ),
    "role": ("steps", "share_percent", "headcount", "kind", "fte", "external_hours"),
    "process": (
        "runs_per_month",
        "lead_time_hours",
        "hours_per_run",
        "external_hours",
        "frequency",
        "fte",
        "name",
        "lead_time_days",
        "annual_expenses",
        "annual_hours",
    ),
    "candidates": (
        "fte_freed",
        "hours_saved",
        "annual_cost",
        "gross_saving",
        "owner",
        "tool_cost",
        "setup_cost",
        "tool",
        "roi_percent",
        "share",
    ),
}


def ensure_costs(source: Costable) -> PortfolioCost:
    """Cost loaded processes (a ``Portfolio``, one ``Process`` or any iterable), or pass
    costs through (``analysis.as_costs``)."""
    return as_costs(source)


def _choice(value: str, valid: Sequence[str], what: str) -> str:
    if value not in valid:
        raise UsageError(f"unknown {what} '{value}'", hint="use one of: " + ", ".join(valid))
    return value


# --- public entry points ------------------------------------------------------------


def cost_report_parts(
    source: Costable, *, by: str = "step", fmt: str = "table", width: int | None = None
) -> Iterator[str]:
    """``cost_report`` in pieces that join to it (JSON comes a process at a time)."""
    if fmt == "json":
        _choice(by, COST_VIEWS, "view")
        return cost_json_parts(ensure_costs(source))
    return iter([cost_report(source, by=by, fmt=fmt, width=width)])


def cost_report(
    source: Costable, *, by: str = "step", fmt: str = "table", width: int | None = None
) -> str:
    """The annual cost report in one format.

    Args:
        source: loaded processes (they are costed here) or a ``PortfolioCost``.
        by: one row per ``step``, ``role`` or ``process`` (JSON always has all three).
        fmt: ``table`` (for a terminal), ``markdown``, ``csv`` or ``json``.
        width: fit a table to a terminal this many columns wide (columns are left
            out in ``DROP_ORDER``, names wrap, figures never break); ``None`` keeps
            its natural width.

    Raises:
        UsageError: on an unknown view or format.
        SopkitError: on mixed currencies.
    """
    _choice(by, COST_VIEWS, "view")
    _choice(fmt, FORMATS, "format")
    costs = ensure_costs(source)
    if fmt == "json":
        return cost_json(costs)
    return render_sheet(cost_sheet(costs, by=by, reading=fmt != "csv"), fmt, width)


def cost_sheet(source: Costable, *, by: str = "step", reading: bool = True) -> Sheet:
    """The cost report's rows as a ``Sheet``: sorted for reading, or in file order for CSV."""
    _choice(by, COST_VIEWS, "view")
    return _COST_SHEETS[by](ensure_costs(source), reading=reading)


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
        return dump_json(candidates_document(ranked, costs.currency))
    return render_sheet(candidates_sheet(costs, top=top, min_saving=min_saving), fmt, width)


def candidates_sheet(
    source: Costable, *, top: int | None = None, min_saving: Decimal | None = None
) -> Sheet:
    """The candidates report's rows as a ``Sheet``, in rank order."""
    costs = ensure_costs(source)
    ranked = rank_candidates(costs, top=top, min_saving=min_saving)
    everything = len(rank_candidates(costs)) if top is not None or min_saving is not None else None
    return _candidates_sheet(costs, ranked, everything)


# --- JSON ---------------------------------------------------------------------------


def _money(value: Decimal, currency: str) -> Decimal:
    return round_money(value, currency)


def _two(value: Decimal) -> Decimal:
    return round_number(value, 2)


def cost_document(costs: PortfolioCost) -> dict[str, Any]:
    """The ``sopkit cost --format json`` document, with rounded ``Decimal`` numbers.

    The contract's keys come first in each object, in its order; added keys
    (``fte``, ``rate``, ``frequency``, ``lead_time_days``, ``hours_per_run``,
    ``cost_per_run``, ``total_fte``, then those of the format's additions:
    expenses, external hours, participants, conditions, calls, capacity) follow.
    """
    currency = costs.currency
    processes = [_process_document(p, currency, _step_documents) for p in costs.processes]
    return _cost_document(CostSummary.of(costs), processes)


def cost_json(costs: PortfolioCost) -> str:
    """``dump_json(cost_document(costs))``, with the steps written straight to text.

    Steps are nearly all of a portfolio's document: building a dict of rounded
    ``Decimal`` values for each and then writing it took most of ``sopkit cost
    --format json``'s time. ``_steps_text`` writes the same characters from the
    exact figures (a test compares the two on every kind of step).
    """
    return "".join(cost_json_parts(costs))


def cost_json_parts(costs: PortfolioCost) -> Iterator[str]:
    """``cost_json`` in pieces (one a process), for writing as they are made: the
    JSON of 10,000 processes is hundreds of megabytes as one string."""
    currency = costs.currency
    processes = [_process_document(p, currency, _steps_text) for p in costs.processes]
    return dump_json_parts(_cost_document(CostSummary.of(costs), processes))


def cost_json_from(summary: CostSummary, processes: Iterable[bytes]) -> Iterator[bytes]:
    """``cost_json`` in UTF-8 pieces, from the portfolio's summary and each process's
    ``process_json_text`` (as UTF-8) in portfolio order.

    The texts are read one at a time as the pieces are written, so they can come
    from elsewhere: ``sopkit.parallel`` has other processes write them, and
    passes them on as the bytes they arrive in.
    """
    head, tail = dump_json(_cost_document(summary, _HERE)).split(_HERE_TEXT)
    yield head.encode()
    separator, empty = b"[\n    ", True
    for text in processes:
        yield separator + text
        separator, empty = b",\n    ", False
    yield (b"[]" if empty else b"\n  ]") + tail.encode()


def process_json_text(process: ProcessCost, currency: str) -> str:
    """One process of ``cost_json``'s ``processes`` list, as it stands there."""
    parts: list[str] = []
    _dump(_process_document(process, currency, _steps_text), 2, parts.append)
    return "".join(parts)


#: Where ``cost_json_from`` puts the processes: a text no JSON string can hold (a
#: control character is always escaped there), written as the list's value.
_HERE_TEXT = "\x00processes\x00"


def _cost_document(summary: CostSummary, processes: list[Any] | Prewritten) -> dict[str, Any]:
    currency = summary.currency
    return {
        "currency": currency,
        "total_annual_cost": _money(summary.annual_cost, currency),
        "total_annual_hours": _two(summary.annual_hours),
        "processes": processes,
        "roles": [
            {
                "role": role.role,
                "annual_hours": _two(role.annual_hours),
                "annual_cost": _money(role.annual_cost, currency),
                "fte": _two(role.fte),
                "kind": role.kind.value,
                "external_hours": _two(role.external_hours),
                "headcount": role.headcount,
                "available_hours": None
                if role.available_hours is None
                else _two(role.available_hours),
                "utilisation": None
                if role.utilisation is None
                else round_number(role.utilisation, 4),
            }
            for role in sorted(summary.roles, key=lambda r: r.role)
        ],
        "total_fte": _two(summary.fte),
        "total_annual_expenses": _money(summary.annual_expenses, currency),
        "total_annual_total_cost": _money(summary.annual_total_cost, currency),
        "total_external_hours": _two(summary.external_hours),
    }


def _process_document(
    process: ProcessCost, currency: str, steps: Callable[[ProcessCost, int], Any]
) -> dict[str, Any]:
    schedule = process.schedule
    digits = minor_unit(currency)
    return {
        "id": process.id,
        "name": process.name,
        "runs_per_month": _two(process.runs_per_month),
        "annual_cost": round_exact(process.exact_annual_cost, digits),
        "annual_hours": round_exact(process.exact_annual_hours),
        "lead_time_hours": _two(schedule.lead_time_hours),
        "critical_path": list(schedule.critical_path),
        "steps": steps(process, digits),
        "frequency": None if process.process.frequency is None else str(process.process.frequency),
        "lead_time_days": _two(schedule.lead_time_days),
        "hours_per_run": round_exact(process.exact_hours_per_run),
        "cost_per_run": round_exact(process.exact_cost_per_run, digits),
        "fte": _two(process.fte),
        "annual_expenses": round_exact(process.exact_annual_expenses, digits),
        "annual_total_cost": round_exact(process.exact_annual_total_cost, digits),
        "external_hours": round_exact(process.exact_external_hours),
        "typical_run": list(schedule.typical_run),
        "called_by": list(process.called_by),
        "called_runs_per_month": round_exact(process.exact_called_runs_per_month),
        "expenses": [
            {"name": line.name, "amount": _money(line.amount, currency), "per": line.per.value}
            for line in process.expense_lines
        ],
    }


def _step_documents(process: ProcessCost, digits: int) -> list[dict[str, Any]]:
    return [_step_document(step, digits) for step in process.steps]


def _step_document(step: StepCost, digits: int) -> dict[str, Any]:
    """One step of the JSON document, rounded from the exact figures (see ``round_exact``).

    ``_step_text`` writes the same object as text; a key added here goes there too.
    """
    hours = round_exact(step.exact_annual_hours)
    cost = round_exact(step.exact_annual_cost, digits)
    expenses = step.exact_annual_expenses
    total = round_exact(step.exact_annual_total_cost, digits) if expenses else cost
    return {
        "id": step.step_id,
        "name": step.name,
        "owner": step.owner,
        "executions_per_run": round_exact(step.exact_executions_per_run),
        "hours_per_execution": round_exact(step.exact_hours_per_execution),
        "annual_hours": hours,
        "annual_cost": cost,
        "rate": round_number(step.rate, digits) if step.priced else None,
        "fte": round_exact(step.exact_fte),
        "chance": round_exact(step.exact_chance, 4),
        "participants": [
            {
                "role": p.role,
                "count": p.count,
                "kind": p.kind.value,
                # The owner alone shares the step's figures: round them once.
                "annual_hours": hours
                if p.exact_annual_hours is step.exact_annual_hours
                else round_exact(p.exact_annual_hours),
                "annual_cost": cost
                if p.exact_annual_cost is step.exact_annual_cost
                else round_exact(p.exact_annual_cost, digits),
            }
            for p in step.participants
        ],
        "annual_expenses": round_exact(expenses, digits),
        "annual_total_cost": total,
        "milestone": step.milestone,
        "approval": step.approval,
        "calls": step.calls,
        "external_hours": round_exact(step.exact_external_hours),
        "calls_per_run": round_exact(step.exact_calls_per_run),
    }


def _steps_text(process: ProcessCost, digits: int) -> Prewritten:
    """The steps of a process as JSON text, at whatever depth the list stands."""

    def write(level: int) -> str:
        if not process.steps:
            return "[]"
        pad = "\n" + "  " * (level + 1)
        items = [_step_text(step, digits, level + 1) for step in process.steps]
        return "[" + pad + ("," + pad).join(items) + "\n" + "  " * level + "]"

    return Prewritten(write)


def _step_text(step: StepCost, digits: int, level: int) -> str:
    """``_step_document(step, digits)`` as ``dump_json`` writes it at depth ``level``."""
    i = "\n" + "  " * (level + 1)
    hours = _fixed(step.exact_annual_hours)
    cost = _fixed(step.exact_annual_cost, digits)
    expenses = step.exact_annual_expenses
    total = _fixed(step.exact_annual_total_cost, digits) if expenses else cost
    if step.participants:
        j, k = i + "  ", i + "    "
        people = (
            "["
            + ",".join(
                f'{j}{{{k}"role": {_json_string(p.role)},'
                f'{k}"count": {_decimal_text(p.count)},'
                f'{k}"kind": {_json_string(p.kind.value)},'
                f'{k}"annual_hours": '
                + (
                    hours
                    if p.exact_annual_hours is step.exact_annual_hours
                    else _fixed(p.exact_annual_hours)
                )
                + f',{k}"annual_cost": '
                + (
                    cost
                    if p.exact_annual_cost is step.exact_annual_cost
                    else _fixed(p.exact_annual_cost, digits)
                )
                + f"{j}}}"
                for p in step.participants
            )
            + f"{i}]"
        )
    else:
        people = "[]"
    return (
        f'{{{i}"id": {_json_string(step.step_id)},'
        f'{i}"name": {_json_string(step.name)},'
        f'{i}"owner": {_json_or_null(step.owner)},'
        f'{i}"executions_per_run": {_fixed(step.exact_executions_per_run)},'
        f'{i}"hours_per_execution": {_fixed(step.exact_hours_per_execution)},'
        f'{i}"annual_hours": {hours},'
        f'{i}"annual_cost": {cost},'
        f'{i}"rate": {_rounded_text(step.rate, digits) if step.priced else "null"},'
        f'{i}"fte": {_fte_text(step.exact_annual_hours, step.working_year)},'
        f'{i}"chance": {_fixed(step.exact_chance, 4)},'
        f'{i}"participants": {people},'
        f'{i}"annual_expenses": {_fixed(expenses, digits)},'
        f'{i}"annual_total_cost": {total},'
        f'{i}"milestone": {"true" if step.milestone else "false"},'
        f'{i}"approval": {"true" if step.approval else "false"},'
        f'{i}"calls": {_json_or_null(step.calls)},'
        f'{i}"external_hours": {_fixed(step.exact_external_hours)},'
        f'{i}"calls_per_run": {_fixed(step.exact_calls_per_run)}'
        f"{i[:-2]}}}"
    )


#: The text of each exact figure already written, by (numerator, denominator, digits):
#: a portfolio's steps repeat a few thousand values (1 execution, no expenses, the
#: same hours) over hundreds of thousands of figures.
_FIXED: dict[tuple[int, int, int], str] = {}
#: Whole numbers below this are well inside ``json_fixed``'s integer route at any digits.
_WHOLE = 10**19


def _fixed(value: Fraction, digits: int = 2) -> str:
    """``json_fixed(value, digits)``, remembered (a whole number is written at once)."""
    numerator, denominator = terms(value)
    if denominator == 1 and -_WHOLE < numerator < _WHOLE:
        return f"{numerator}.0"
    key = (numerator, denominator, digits)
    text = _FIXED.get(key)
    if text is None:
        text = json_fixed(value, digits)
        if len(_FIXED) < 65_536:
            _FIXED[key] = text
    return text


_FTE: dict[tuple[int, int, int, int], str] = {}


def _fte_text(hours: Fraction, year: Fraction) -> str:
    """``json_fixed(hours / year)`` (a step's ``exact_fte``), remembered without dividing."""
    key = (*terms(hours), *terms(year))
    text = _FTE.get(key)
    if text is None:
        text = json_fixed(hours / year)
        if len(_FTE) < 65_536:
            _FTE[key] = text
    return text


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _json_string(text)


@lru_cache(maxsize=1024)
def _decimal_text(value: Decimal) -> str:
    """A ``Decimal`` as ``dump_json`` writes it (rates and counts repeat on every step)."""
    return json_number(value)


@lru_cache(maxsize=1024)
def _rounded_text(value: Decimal, digits: int) -> str:
    return json_number(round_number(value, digits))


def candidates_document(candidates: Sequence[Candidate], currency: str) -> dict[str, Any]:
    """The ``sopkit candidates --format json`` document, candidates in rank order.

    ``share`` is written as given in the process file; ``payback_months`` is
    ``null`` when the investment never pays back and ``roi_percent`` is
    ``null`` when nothing is invested.
    """
    totals = candidate_totals(candidates)
    return {
        "currency": currency,
        "candidates": [_candidate_document(c, currency) for c in candidates],
        "total_gross_saving": _money(totals.gross_saving, currency),
        "total_net_saving": _money(totals.net_saving, currency),
        "total_fte_freed": _two(totals.fte_freed),
    }


def _candidate_document(c: Candidate, currency: str) -> dict[str, Any]:
    return {
        "process": c.process_id,
        "step": c.step_id,
        "owner": c.owner,
        "share": c.share,
        "annual_cost": _money(c.annual_cost, currency),
        "gross_saving": _money(c.gross_saving, currency),
        "tool_cost": _money(c.tool_cost, currency),
        "net_saving": _money(c.net_saving, currency),
        "setup_cost": _money(c.setup_cost, currency),
        "payback_months": None if c.payback_months is None else _two(c.payback_months),
        "roi_percent": None if c.roi_percent is None else _two(c.roi_percent),
        "name": c.name,
        "tool": c.tool,
        "annual_hours": _two(c.annual_hours),
        "setup_hours": _two(c.setup_hours),
        "hours_saved": _two(c.hours_saved),
        "fte_freed": _two(c.fte_freed),
    }


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def dump_json(document: Any) -> str:
    """Deterministic JSON: keys in the order built, two-space indent, UTF-8 text, one newline.

    ``Decimal`` numbers are written with ``json_number`` (``4320.0``), never
    through a float. A list of strings stands on one line; every other list
    and object has one item a line.
    """
    parts: list[str] = []
    _dump(document, 0, parts.append)
    parts.append("\n")
    return "".join(parts)


def dump_json_parts(document: Any) -> Iterator[str]:
    """``dump_json(document)`` in pieces: each item of a list at the top level is one."""
    if not isinstance(document, dict) or not document:
        yield dump_json(document)
        return
    openings = _openings(tuple(document), 0)
    for opening, value in zip(openings, document.values(), strict=False):
        if isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            separator = opening + "[\n    "
            for item in value:
                parts = [separator]
                _dump(item, 2, parts.append)
                yield "".join(parts)
                separator = ",\n    "
            yield "\n  ]"
        else:
            parts = [opening]
            _dump(value, 1, parts.append)
            yield "".join(parts)
    yield openings[-1] + "\n"


#: What ``json.dumps(text, ensure_ascii=False)`` writes for a string, without building
#: an encoder for every value (the JSON of 10,000 processes has millions of them).
_json_string = json.encoder.encode_basestring

#: For each tuple of keys at each depth, the text before each value and after the last:
#: a document repeats one shape of object thousands of times (every step).
_OPENINGS: dict[tuple[tuple[Any, ...], int], list[str]] = {}


def _openings(keys: tuple[Any, ...], level: int) -> list[str]:
    found = _OPENINGS.get((keys, level))
    if found is None:
        inner = "  " * (level + 1)
        found = [
            ("{\n" if i == 0 else ",\n") + inner + _json_string(str(key)) + ": "
            for i, key in enumerate(keys)
        ]
        found.append("\n" + "  " * level + "}")
        if len(_OPENINGS) < 4096:
            _OPENINGS[(keys, level)] = found
    return found


class Prewritten:
    """Part of a document already written as JSON by a faster writer (``cost_json``'s
    steps): ``dump_json`` asks it for its text at the depth where it stands."""

    __slots__ = ("text",)

    def __init__(self, text: Callable[[int], str]) -> None:
        self.text = text


_HERE = Prewritten(lambda level: _HERE_TEXT)


def _scalar(value: Any) -> str | None:
    """The JSON text of a string, number, boolean or null; ``None`` for anything else."""
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if kind is Decimal:
        return json_number(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, int):
        return json.dumps(value)
    return None


def _dump(value: Any, level: int, write: Callable[[str], Any]) -> None:
    text = _scalar(value)
    if text is not None:
        write(text)
        return
    if isinstance(value, Prewritten):
        write(value.text(level))
        return
    if isinstance(value, dict):
        if not value:
            write("{}")
            return
        openings = _openings(tuple(value), level)
        for opening, item in zip(openings, value.values(), strict=False):
            write(opening)
            text = _scalar(item)
            if text is None:
                _dump(item, level + 1, write)
            else:
                write(text)
        write(openings[-1])
        return
    if isinstance(value, list | tuple):
        if not value:
            write("[]")
        elif all(isinstance(v, str) for v in value):
            write("[" + ", ".join(_json_string(v) for v in value) + "]")
        else:
            separator = "[\n" + "  " * (level + 1)
            for item in value:
                write(separator)
                _dump(item, level + 1, write)
                separator = ",\n" + "  " * (level + 1)
            write("\n" + "  " * level + "]")
        return
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# --- sheets: one model for table, Markdown and CSV ------------------------------------


def _text(value: str | None) -> Cell:
    return Cell(value or "", value or "")


def _money_cell(value: Decimal, currency: str) -> Cell:
    rounded = round_money(value, currency)
    return Cell(money_text(rounded, currency), format(rounded, "f"))


def _number_cell(value: Decimal, digits: int = 2) -> Cell:
    rounded = round_number(value, digits)
    return Cell(number_text(rounded, digits), format(rounded, "f"))


def _hours_cell(value: Decimal) -> Cell:
    return _number_cell(value, 2)


def _optional_cell(value: Decimal | None, text: str) -> Cell:
    if value is None:
        return Cell(DASH, "")
    return Cell(text, format(round_number(value, 2), "f"))


_BLANK = Cell("", "")


def _step_sort(step: StepCost) -> tuple[Any, ...]:
    return (-step.exact_annual_total_cost, step.process_id, step.step_id)


def _shown_if(reading: bool, present: bool) -> bool:
    """A column of the additions: always in CSV, in tables and Markdown when it says something."""
    return present or not reading


def _has_expenses(costs: PortfolioCost) -> bool:
    return any(p.exact_annual_expenses or p.expense_lines for p in costs.processes) or any(
        s.exact_annual_expenses for s in costs.steps
    )


def _owner_text(step: StepCost) -> str:
    """Who does the step, as a table cell: the owner and the people with them."""
    if step.calls is not None:
        return f"runs {step.calls}"
    if step.owner is None:
        return DASH
    others = _with(step)
    return step.owner if not others else f"{step.owner}, with {', '.join(others)}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


#: The CSV columns that came first, in their order: the additions' columns only ever
#: follow them, so a spreadsheet or script that reads columns by position keeps working.
_CSV_FIRST: dict[str, tuple[str, ...]] = {
    "step": (
        "process",
        "step",
        "name",
        "owner",
        "hours_per_execution",
        "executions_per_run",
        "runs_per_month",
        "rate",
        "annual_hours",
        "fte",
        "annual_cost",
        "currency",
    ),
    "role": (
        "role",
        "steps",
        "annual_hours",
        "fte",
        "annual_cost",
        "share_percent",
        "currency",
        "headcount",
        "available_hours",
        "utilisation",
    ),
    "process": (
        "process",
        "name",
        "frequency",
        "runs_per_month",
        "hours_per_run",
        "lead_time_hours",
        "lead_time_days",
        "annual_hours",
        "fte",
        "annual_cost",
        "critical_path",
        "currency",
    ),
}

Row = dict[str, Cell]


def _sheet(
    view: str,
    title: str,
    columns: list[Column],
    rows: list[Row],
    total: Row | None,
    notes: list[str],
    *,
    reading: bool,
) -> Sheet:
    """A sheet from rows keyed by column: columns side by side for reading; in CSV the
    columns of format version 1 first, in their order, then the added ones."""
    if not reading:
        first = [c for key in _CSV_FIRST[view] for c in columns if c.key == key]
        columns = first + [c for c in columns if c not in first]
    keys = [c.key for c in columns]
    return Sheet(
        title,
        columns,
        [[row.get(key, _BLANK) for key in keys] for row in rows],
        None if total is None else [total.get(key, _BLANK) for key in keys],
        notes,
        DROP_ORDER[view],
    )


def _step_sheet(costs: PortfolioCost, *, reading: bool) -> Sheet:
    currency = costs.currency
    several = len(costs.processes) > 1 or not reading
    external = _shown_if(reading, bool(costs.exact_external_hours))
    expenses = _shown_if(reading, _has_expenses(costs))
    columns = [
        *(
            [Column("process", "Process", numeric=False, wraps=True, copied=True)]
            if several
            else []
        ),
        Column("step", "Step", numeric=False, wraps=True, copied=True),
        Column("name", "Name", numeric=False, wraps=True),
        Column("owner", "Owner", numeric=False, wraps=True),
        Column("hours_per_execution", "h/exec"),
        Column("executions_per_run", "exec/run"),
        Column("runs_per_month", "runs/month"),
        Column("rate", "Rate/h"),
        Column("annual_hours", "Hours/year"),
        *([Column("external_hours", "Outside h/year")] if external else []),
        Column("fte", "FTE"),
        Column("annual_cost", "Labour/year" if expenses and reading else "Annual cost"),
        *(
            [Column("annual_expenses", "Cash/year"), Column("annual_total_cost", "Total/year")]
            if expenses
            else []
        ),
        Column("currency", "Currency", numeric=False, csv_only=True),
        Column("chance", "chance", csv_only=True),
        Column("with", "with", numeric=False, csv_only=True),
        Column("calls", "calls", numeric=False, csv_only=True),
    ]
    entries: list[tuple[tuple[Any, ...], Row]] = []
    for process in costs.processes:
        for step in process.steps:
            no_rate = not step.priced
            row = {
                "process": _text(step.process_id),
                "step": _text(step.step_id),
                "name": _text(step.name),
                "owner": Cell(_owner_text(step), step.owner or ""),
                "hours_per_execution": _hours_cell(step.hours_per_execution),
                "executions_per_run": _number_cell(step.executions_per_run),
                "runs_per_month": _number_cell(step.runs_per_month),
                "rate": Cell(
                    DASH if no_rate else rate_text(step.rate, currency),
                    "" if no_rate else format(round_money(step.rate, currency), "f"),
                ),
                "annual_hours": _hours_cell(step.annual_hours),
                "external_hours": _hours_cell(step.external_hours),
                "fte": _number_cell(step.fte),
                "annual_cost": _money_cell(step.annual_cost, currency),
                "annual_expenses": _money_cell(step.annual_expenses, currency),
                "annual_total_cost": _money_cell(step.annual_total_cost, currency),
                "currency": _text(currency),
                "chance": _number_cell(step.chance, 4),
                "with": _text(", ".join(_with(step))),
                "calls": _text(step.calls),
            }
            entries.append((_step_sort(step), row))
        if expenses and process.expense_lines:  # what no step holds: the process's own
            own = to_decimal(process.exact_process_expenses)
            names = ", ".join(e.name for e in process.expense_lines)
            zero = Decimal(0)
            row = {
                "process": _text(process.id),
                "step": Cell(DASH, ""),
                "name": Cell("Process cash costs", f"Process cash costs: {names}"),
                "annual_hours": _hours_cell(zero),
                "external_hours": _hours_cell(zero),
                "fte": _number_cell(zero),
                "annual_cost": _money_cell(zero, currency),
                "annual_expenses": _money_cell(own, currency),
                "annual_total_cost": _money_cell(own, currency),
                "currency": _text(currency),
            }
            entries.append(((-process.exact_process_expenses, process.id, ""), row))
    if reading:
        entries.sort(key=lambda entry: entry[0])
    total = {
        "step": _text("Total"),
        "annual_hours": _hours_cell(costs.annual_hours),
        "external_hours": _hours_cell(costs.external_hours),
        "fte": _number_cell(costs.fte),
        "annual_cost": _money_cell(costs.annual_cost, currency),
        "annual_expenses": _money_cell(costs.annual_expenses, currency),
        "annual_total_cost": _money_cell(costs.annual_total_cost, currency),
        "currency": _text(currency),
    }
    notes = [_lead_time_note(p) for p in costs.processes]
    notes += _additions_notes(costs, by="step")
    title = _title("Annual workflow cost by step", costs)
    rows = [row for _, row in entries]
    return _sheet("step", title, columns, rows, total, notes, reading=reading)


def _with(step: StepCost) -> list[str]:
    return [
        person_text(p.role, p.count)
        for index, p in enumerate(step.participants)
        if not (index == 0 and p.role == step.owner)
    ]


def person_text(role: str, count: Decimal) -> str:
    """``2 × SDR`` (``SDR`` for one person): a ``with`` entry as the CSV files write it."""
    return role if count == 1 else f"{_plain(count)} × {role}"


def _additions_notes(costs: PortfolioCost, *, by: str) -> list[str]:
    """What the rows of the additions mean: joint steps, outside hours, called processes."""
    notes = []
    if by == "step" and any(len(_with(s)) for s in costs.steps):
        notes.append(
            "Rate/h is the owner's; a step done with others adds each person's hours at their "
            "own rate (sopkit cost --explain STEP shows them)."
        )
    if costs.exact_external_hours:
        notes.append(
            "Outside h/year: hours of external parties (an agency, a customer); they are not "
            "in Hours/year or FTE, and their cost is in the labour column."
        )
    if by != "role" and _has_expenses(costs):
        notes.append(
            "Cash/year: money spent besides people's time (a step's expense per execution, "
            "the process's per run or per period); Total/year = labour + cash."
        )
        if by == "step":
            own = [
                f"{p.id}: " + ", ".join(e.name for e in p.expense_lines)
                for p in costs.processes
                if p.expense_lines
            ]
            if own:
                notes.append(
                    "Rows “Process cash costs” hold what no step spends: " + "; ".join(own) + "."
                )
    for process in costs.processes:
        if not process.called_by:
            if process.is_called_only:
                notes.append(
                    f"{process.id} has no frequency and no process here runs it, so its "
                    "figures a year are zero: cost it with the processes that run it "
                    "(their files or folder)."
                )
            continue
        callers = listed(process.called_by)
        run = "runs" if len(process.called_by) == 1 else "run"
        runs = number_text(process.called_runs_per_month)
        if process.is_called_only:
            notes.append(
                f"{process.id} runs only when {callers} {run} it ({runs} runs a month): its work "
                f"is costed once, in the calling steps of {callers}; its own row counts only "
                "cash costs fixed per month, quarter or year."
            )
        else:
            notes.append(
                f"{process.id} also runs when {callers} {run} it ({runs} runs a month), costed "
                f"there; its own row counts its own {process.process.frequency} runs."
            )
    return notes


def _role_sheet(costs: PortfolioCost, *, reading: bool) -> Sheet:
    currency = costs.currency
    roles: Sequence[RoleCost] = costs.roles  # by annual cost, highest first
    # Capacity columns show in tables once a role has a headcount; kind and outside hours
    # once a role is not staff or works outside the team. CSV always has them all.
    capacity = any(role.headcount is not None for role in roles)
    kinds = _shown_if(reading, any(r.kind is not RoleKind.STAFF for r in roles))
    external = _shown_if(reading, bool(costs.exact_external_hours))
    columns = [
        Column("role", "Role", numeric=False, wraps=True),
        *([Column("kind", "Kind", numeric=False)] if kinds else []),
        Column("steps", "Steps"),
        Column("annual_hours", "Hours/year"),
        *([Column("external_hours", "Outside h/year")] if external else []),
        Column("fte", "FTE"),
        Column("annual_cost", "Annual cost"),
        Column("share_percent", "Share"),
        Column("currency", "Currency", numeric=False, csv_only=True),
        Column("headcount", "Headcount", csv_only=not capacity),
        Column("available_hours", "Available h/person", csv_only=True),
        Column("utilisation", "Utilisation", csv_only=not capacity),
    ]
    if not reading:
        roles = sorted(roles, key=lambda r: r.role)
    whole = costs.annual_cost
    rows = []
    for role in roles:
        share = None if whole == 0 else role.annual_cost * 100 / whole
        headcount, available, utilisation = _capacity_cells(role)
        steps = str(len(costs.steps_of(role)))
        rows.append(
            {
                "role": _text(role.role),
                "kind": _text(role.kind.value),
                "steps": Cell(steps, steps),
                "annual_hours": _hours_cell(role.annual_hours),
                "external_hours": _hours_cell(role.external_hours),
                "fte": _number_cell(role.fte),
                "annual_cost": _money_cell(role.annual_cost, currency),
                "share_percent": _optional_cell(share, percent_text(share)),
                "currency": _text(currency),
                "headcount": headcount,
                "available_hours": available,
                "utilisation": utilisation,
            }
        )
    total = {
        "role": _text("Total"),
        "steps": Cell(str(len(costs.steps)), str(len(costs.steps))),
        "annual_hours": _hours_cell(costs.annual_hours),
        "external_hours": _hours_cell(costs.external_hours),
        "fte": _number_cell(costs.fte),
        "annual_cost": _money_cell(costs.annual_cost, currency),
        "share_percent": _optional_cell(
            None if whole == 0 else Decimal(100), percent_text(Decimal(100))
        ),
        "currency": _text(currency),
    }
    notes = _capacity_notes(costs) if capacity else []
    notes += _additions_notes(costs, by="role")
    if any(r.kind is RoleKind.SYSTEM for r in roles):
        notes.append("A system role's work is already automated: no hours, no labour.")
    title = _title("Annual workflow cost by role", costs)
    return _sheet("role", title, columns, rows, total, notes, reading=reading)


def _capacity_cells(role: RoleCost) -> tuple[Cell, Cell, Cell]:
    """Headcount, available hours a person and utilisation: blank where not defined."""
    headcount = role.headcount
    available = role.available_hours
    utilisation = role.utilisation
    return (
        Cell(DASH, "") if headcount is None else Cell(hours_text(headcount), _plain(headcount)),
        Cell(DASH, "")
        if available is None
        else Cell(hours_text(available), format(round_number(available, 2), "f")),
        Cell(DASH, "")
        if utilisation is None
        else Cell(percent_text(utilisation * 100), format(round_number(utilisation, 4), "f")),
    )


def _capacity_notes(costs: PortfolioCost) -> list[str]:
    year = hours_text(costs.settings.working_year_hours)
    notes = [
        "Utilisation = annual hours ÷ (headcount × hours a person has for this work a year); "
        f"{DASH} for a role without a headcount. FTE is the same hours over a full working "
        f"year ({year} h) whatever the headcount, so the two differ where people have less "
        "of their year for this work."
    ]
    over = [r for r in costs.roles if r.over_capacity]
    if over:
        listed = ", ".join(
            f"{r.role} ({percent_text((r.utilisation or Decimal(0)) * 100)})" for r in over
        )
        notes.append(f"Over capacity (utilisation above 100%): {listed}.")
    return notes


def _frequency_cell(process: ProcessCost) -> Cell:
    """``4/month``; ``called by launch`` for a process that runs only when others run it."""
    frequency = process.process.frequency
    if frequency is not None:
        return _text(str(frequency))
    if process.called_by:
        return Cell("called by " + ", ".join(process.called_by), "")
    return Cell(DASH, "")


def _process_sheet(costs: PortfolioCost, *, reading: bool) -> Sheet:
    currency = costs.currency
    external = _shown_if(reading, bool(costs.exact_external_hours))
    expenses = _shown_if(reading, _has_expenses(costs))
    columns = [
        Column("process", "Process", numeric=False, wraps=True, copied=True),
        Column("name", "Name", numeric=False, wraps=True),
        Column("frequency", "Frequency", numeric=False, wraps=True),
        Column("runs_per_month", "runs/month"),
        Column("hours_per_run", "h/run"),
        Column("lead_time_hours", "Lead time h"),
        Column("lead_time_days", "Lead time d"),
        Column("annual_hours", "Hours/year"),
        *([Column("external_hours", "Outside h/year")] if external else []),
        Column("fte", "FTE"),
        Column("annual_cost", "Labour/year" if expenses and reading else "Annual cost"),
        *(
            [Column("annual_expenses", "Cash/year"), Column("annual_total_cost", "Total/year")]
            if expenses
            else []
        ),
        Column("critical_path", "Critical path", numeric=False, csv_only=True),
        Column("currency", "Currency", numeric=False, csv_only=True),
        Column("called_by", "called_by", numeric=False, csv_only=True),
        Column("called_runs_per_month", "called_runs_per_month", csv_only=True),
        Column("typical_run", "typical_run", numeric=False, csv_only=True),
        Column("cost_per_run", "cost_per_run", csv_only=True),
    ]
    processes: Sequence[ProcessCost] = costs.processes
    if reading:
        processes = sorted(processes, key=lambda p: (-p.exact_annual_total_cost, p.id))
    rows = []
    for process in processes:
        schedule = process.schedule
        rows.append(
            {
                "process": _text(process.id),
                "name": _text(process.name),
                "frequency": _frequency_cell(process),
                "runs_per_month": _number_cell(process.runs_per_month),
                "hours_per_run": _hours_cell(process.hours_per_run),
                "lead_time_hours": _hours_cell(schedule.lead_time_hours),
                "lead_time_days": _number_cell(schedule.lead_time_days),
                "annual_hours": _hours_cell(process.annual_hours),
                "external_hours": _hours_cell(process.external_hours),
                "fte": _number_cell(process.fte),
                "annual_cost": _money_cell(process.annual_cost, currency),
                "annual_expenses": _money_cell(process.annual_expenses, currency),
                "annual_total_cost": _money_cell(process.annual_total_cost, currency),
                "critical_path": _text(" > ".join(schedule.critical_path)),
                "currency": _text(currency),
                "called_by": _text(" ".join(process.called_by)),
                "called_runs_per_month": _number_cell(process.called_runs_per_month),
                "typical_run": _text(" ".join(schedule.typical_run)),
                "cost_per_run": _money_cell(process.cost_per_run, currency),
            }
        )
    total = {
        "process": _text("Total"),
        "annual_hours": _hours_cell(costs.annual_hours),
        "external_hours": _hours_cell(costs.external_hours),
        "fte": _number_cell(costs.fte),
        "annual_cost": _money_cell(costs.annual_cost, currency),
        "annual_expenses": _money_cell(costs.annual_expenses, currency),
        "annual_total_cost": _money_cell(costs.annual_total_cost, currency),
        "currency": _text(currency),
    }
    notes = [_lead_time_note(p) for p in processes]
    notes += _additions_notes(costs, by="process")
    title = _title("Annual workflow cost by process", costs)
    return _sheet("process", title, columns, rows, total, notes, reading=reading)


_COST_SHEETS = {"step": _step_sheet, "role": _role_sheet, "process": _process_sheet}


def _title(what: str, costs: PortfolioCost) -> str:
    count = len(costs.processes)
    noun = "process" if count == 1 else "processes"
    steps = counted(str(len(costs.steps)), "step", "steps")
    return f"{what} ({costs.currency}, {count} {noun}, {steps})"


def _lead_time_note(process: ProcessCost) -> str:
    schedule = process.schedule
    left_out = [s.id for s in process.process.steps if not schedule.in_typical_run(s.id)]
    typical = f" (typical run, without {', '.join(left_out)})" if left_out else ""
    return (
        f"Lead time of {process.id}{typical}: "
        f"{counted(hours_text(schedule.lead_time_hours), 'working hour', 'working hours')} "
        f"({counted(number_text(schedule.lead_time_days), 'day', 'days')}), each step once "
        "(sopkit simulate adds rework and estimate ranges); critical path: "
        + " → ".join(schedule.critical_path)
    )


def _candidates_sheet(
    costs: PortfolioCost, ranked: Sequence[Candidate], everything: int | None = None
) -> Sheet:
    currency = costs.currency
    totals = candidate_totals(ranked)
    columns = [
        Column("rank", "#"),
        Column("process", "Process", numeric=False, wraps=True, copied=True),
        Column("step", "Step", numeric=False, wraps=True, copied=True),
        Column("owner", "Owner", numeric=False, wraps=True),
        Column("tool", "Tool", numeric=False, wraps=True),
        Column("share", "Share"),
        Column("annual_cost", "Annual cost"),
        Column("gross_saving", "Gross saving"),
        Column("tool_cost", "Tool/year"),
        Column("net_saving", "Net saving"),
        Column("setup_cost", "Setup"),
        Column("payback_months", "Payback (months)"),
        Column("roi_percent", "ROI 1st year"),
        Column("hours_saved", "Hours saved/year"),
        Column("fte_freed", "FTE freed"),
        Column("currency", "Currency", numeric=False, csv_only=True),
        # After the older columns: the step's name, in the process's language (the table
        # names steps by id, to stay narrow).
        Column("name", "Name", numeric=False, csv_only=True),
        Column("setup_hours", "Setup hours", csv_only=True),
    ]
    rows = []
    for rank, c in enumerate(ranked, 1):
        payback = c.payback_months
        rows.append(
            [
                Cell(str(rank), str(rank)),
                _text(c.process_id),
                _text(c.step_id),
                _text(c.owner),
                Cell(c.tool or DASH, c.tool or ""),
                Cell(share_text(c.share), format(c.share.normalize(), "f")),
                _money_cell(c.annual_cost, currency),
                _money_cell(c.gross_saving, currency),
                _money_cell(c.tool_cost, currency),
                _money_cell(c.net_saving, currency),
                _money_cell(c.setup_cost, currency),
                Cell(
                    payback_text(payback, catalogue("en"), unit=False),
                    "" if payback is None else format(round_number(payback, 2), "f"),
                ),
                _optional_cell(c.roi_percent, percent_text(c.roi_percent)),
                _hours_cell(c.hours_saved),
                _number_cell(c.fte_freed),
                _text(currency),
                _text(c.name),
                _hours_cell(c.setup_hours),
            ]
        )
    total = [
        _BLANK,
        _text("Total"),
        *[_BLANK] * 4,
        _money_cell(totals.annual_cost, currency),
        _money_cell(totals.gross_saving, currency),
        _money_cell(totals.tool_cost, currency),
        _money_cell(totals.net_saving, currency),
        _money_cell(totals.setup_cost, currency),
        _BLANK,
        _BLANK,
        _hours_cell(totals.hours_saved),
        _number_cell(totals.fte_freed),
        _text(currency),
        _BLANK,
        _BLANK,
    ]
    count = len(ranked)
    title = (
        f"Automation candidates ({currency}, {counted(str(count), 'step', 'steps')}, "
        "ranked by net annual saving)"
        if count
        else f"Automation candidates ({currency})"
    )
    notes = [
        "Net saving = annual cost × share − tool cost per year; setup = setup hours × owner's "
        "rate; payback = setup ÷ (net saving ÷ 12); ROI 1st year = (gross − tool − setup) × "
        f"100 ÷ (tool + setup), {DASH} when nothing is invested. Payback is "
        '"immediately" with no setup cost to pay back and "never" when the net saving is '
        "not above zero."
    ]
    if ranked:
        notes.insert(0, f"Totals: {totals.scope(everything)}.")
    if everything:
        unfiltered = counted(str(everything), "candidate", "candidates")
        empty = f"No candidate passes the filters ({unfiltered} without them)."
    else:
        empty = (
            "No step has an automation share, so there are no candidates: give a step "
            "'automation: {share: 0.3}' (the part a tool could do) to see what it would save."
        )
    return Sheet(
        title, columns, rows, total if ranked else None, notes, DROP_ORDER["candidates"], empty
    )


# --- rendering sheets -----------------------------------------------------------------


def render_sheet(sheet: Sheet, fmt: str, width: int | None) -> str:
    """A sheet as a terminal table (wrapped to ``width``), Markdown or CSV."""
    if fmt == "csv":
        return _csv(sheet)
    if not sheet.rows and sheet.empty is not None:
        if fmt == "markdown":
            return f"**{_markdown_cell(sheet.title)}**\n\n{_markdown_cell(sheet.empty)}\n"
        return f"{sheet.title}\n\n{sheet.empty}\n"
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
    """A table cell that shows names as text: no raw HTML (``<svg onload=…>``), no links."""
    cell = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    cell = cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return cell.replace("[", "\\[").replace("]", "\\]")


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
        lines.extend(f"- {_markdown_cell(note)}" for note in sheet.notes)
    return "\n".join(lines) + "\n"
