"""The cost and candidates reports as JSON documents.

JSON follows the format's "Machine-readable output" contract: money is a JSON
number rounded half-up to the currency's minor unit; hours, months,
percentages, runs per month, executions per run and FTE are rounded to 2
decimals; an undefined percentage or payback is ``null``. Numbers are written
from their decimal digits (never through a float) and always with a decimal
point (``4320.0``, ``96.0``, ``10500000.0`` for KRW), so typed readers always
see the same kind of number. Keys beyond the contract are only ever added.

A large portfolio's steps are most of the text, so each process's steps are
written by a writer of their own, as text (``Prewritten``), and a document can
be written a process at a time (``cost_json_parts``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ...analysis import Candidate, CostSummary, PortfolioCost, ProcessCost, StepCost, Unassessed
from ...analysis.units import terms
from ..numbers import json_fixed, json_number, minor_unit, round_exact, round_money, round_number
from ..totals import candidate_totals
from .jsontext import Prewritten, dump_at, dump_json, dump_json_parts, json_string

__all__ = [
    "candidates_document",
    "cost_document",
    "cost_json",
    "cost_json_from",
    "cost_json_parts",
    "process_json_text",
]


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
    dump_at(_process_document(process, currency, _steps_text), 2, parts.append)
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
                f'{j}{{{k}"role": {json_string(p.role)},'
                f'{k}"count": {_decimal_text(p.count)},'
                f'{k}"kind": {json_string(p.kind.value)},'
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
        f'{{{i}"id": {json_string(step.step_id)},'
        f'{i}"name": {json_string(step.name)},'
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
    return "null" if text is None else json_string(text)


@lru_cache(maxsize=1024)
def _decimal_text(value: Decimal) -> str:
    """A ``Decimal`` as ``dump_json`` writes it (rates and counts repeat on every step)."""
    return json_number(value)


@lru_cache(maxsize=1024)
def _rounded_text(value: Decimal, digits: int) -> str:
    return json_number(round_number(value, digits))


def candidates_document(
    candidates: Sequence[Candidate], currency: str, unassessed: Sequence[Unassessed] = ()
) -> dict[str, Any]:
    """The ``sopkit candidates --format json`` document, candidates in rank order.

    ``share`` is written as given in the process file; ``payback_months`` is
    ``null`` when the investment never pays back and ``roi_percent`` is
    ``null`` when nothing is invested. ``not_assessed`` lists the costliest steps
    with no automation estimate (``unassessed_steps``), costliest first.
    """
    totals = candidate_totals(candidates)
    return {
        "currency": currency,
        "candidates": [_candidate_document(c, currency) for c in candidates],
        "total_gross_saving": _money(totals.gross_saving, currency),
        "total_net_saving": _money(totals.net_saving, currency),
        "total_fte_freed": _two(totals.fte_freed),
        "total_annual_cost": _money(totals.annual_cost, currency),
        "total_tool_cost": _money(totals.tool_cost, currency),
        "total_setup_cost": _money(totals.setup_cost, currency),
        "total_hours_saved": _two(totals.hours_saved),
        "not_assessed": [
            {
                "process": u.process_id,
                "step": u.step_id,
                "name": u.name,
                "owner": u.owner,
                "annual_cost": _money(u.annual_cost, currency),
                "share_of_labour": None
                if u.share_of_labour is None
                else round_number(u.share_of_labour, 4),
            }
            for u in unassessed
        ],
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
        "tool_paid_by": list(c.tool_paid_by),
    }


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


_HERE = Prewritten(lambda level: _HERE_TEXT)
