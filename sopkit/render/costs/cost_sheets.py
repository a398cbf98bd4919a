"""The cost and candidates reports as sheets: one model of rows and columns that
the terminal table, Markdown and CSV are all written from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from ...analysis import Candidate, PortfolioCost, ProcessCost, RoleCost, StepCost, Unassessed
from ...analysis.units import to_decimal
from ...models import RoleKind
from ..i18n import catalogue, payback_text
from ..numbers import (
    DASH,
    counted,
    hours_text,
    listed,
    money_text,
    number_text,
    percent_text,
    rate_text,
    round_money,
    round_number,
    share_text,
)
from ..totals import candidate_totals
from .sheet import Cell, Column, Sheet

__all__ = [
    "COST_SHEETS",
    "DROP_ORDER",
    "candidates_sheet_of",
    "person_text",
]

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


def _text(value: str | None) -> Cell:
    return Cell(value or "", value or "")


#: Set while a sheet is made for CSV, which writes only each cell's ``raw`` figure: the
#: text for people is then left out (writing it was half the time of ``cost.csv``).
_RAW_ONLY: ContextVar[bool] = ContextVar("raw_only", default=False)


@contextmanager
def raw_only(only: bool = True) -> Iterator[None]:
    """Make the sheets in the block with their cells' ``raw`` figures only (for CSV)."""
    token = _RAW_ONLY.set(only)
    try:
        yield
    finally:
        _RAW_ONLY.reset(token)


def _money_cell(value: Decimal, currency: str) -> Cell:
    rounded = round_money(value, currency)
    raw = format(rounded, "f")
    return Cell("" if _RAW_ONLY.get() else money_text(rounded, currency), raw)


def _number_cell(value: Decimal, digits: int = 2) -> Cell:
    rounded = round_number(value, digits)
    raw = format(rounded, "f")
    return Cell("" if _RAW_ONLY.get() else number_text(rounded, digits), raw)


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
    explains: dict[str, str] | None = None,
) -> Sheet:
    """A sheet from rows keyed by column: columns side by side for reading; in CSV the
    columns of format version 1 first, in their order, then the added ones.

    ``explains`` names the column each note about one column explains (the notes
    ``_additions_notes`` writes are known already), so a table that leaves the
    column out leaves the note out."""
    if not reading:
        first = [c for key in _CSV_FIRST[view] for c in columns if c.key == key]
        columns = first + [c for c in columns if c not in first]
    keys = [c.key for c in columns]
    about = {note: key for note, key in _COLUMN_NOTES.items() if note in notes}
    return Sheet(
        title,
        columns,
        [[row.get(key, _BLANK) for key in keys] for row in rows],
        None if total is None else [total.get(key, _BLANK) for key in keys],
        notes,
        DROP_ORDER[view],
        explains=about | (explains or {}),
    )


def _yearly_columns(*, external: bool, expenses: bool, reading: bool) -> list[Column]:
    """A step's or a process's figures for a year: hours, FTE, labour and cash costs."""
    return [
        Column("annual_hours", "Hours/year"),
        *([Column("external_hours", "Outside h/year")] if external else []),
        Column("fte", "FTE"),
        Column("annual_cost", "Labour/year" if expenses and reading else "Annual cost"),
        *(
            [Column("annual_expenses", "Cash/year"), Column("annual_total_cost", "Total/year")]
            if expenses
            else []
        ),
    ]


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
        *_yearly_columns(external=external, expenses=expenses, reading=reading),
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


_RATE_NOTE = (
    "Rate/h is the owner's; a step done with others adds each person's hours at their "
    "own rate (sopkit cost --explain STEP shows them)."
)
_OUTSIDE_NOTE = (
    "Outside h/year: hours of external parties (an agency, a customer); they are not "
    "in Hours/year or FTE, and their cost is in the labour column."
)
_CASH_NOTE = (
    "Cash/year: money spent besides people's time (a step's expense per execution, "
    "the process's per run or per period); Total/year = labour + cash."
)
#: The notes that explain one column, and its key.
_COLUMN_NOTES = {_RATE_NOTE: "rate", _OUTSIDE_NOTE: "external_hours", _CASH_NOTE: "annual_expenses"}


def _additions_notes(costs: PortfolioCost, *, by: str) -> list[str]:
    """What the rows of the additions mean: joint steps, outside hours, called processes."""
    notes = []
    if by == "step" and any(len(_with(s)) for s in costs.steps):
        notes.append(_RATE_NOTE)
    if costs.exact_external_hours:
        notes.append(_OUTSIDE_NOTE)
    if by != "role" and _has_expenses(costs):
        notes.append(_CASH_NOTE)
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
    # The portfolio's steps, each once, named as steps: a step several roles share is in
    # each of their rows, so the column's sum is not this figure.
    every = len(costs.steps)
    column = sum(int(row["steps"].raw) for row in rows)
    total = {
        "role": _text("Total"),
        "steps": Cell(counted(str(every), "step", "steps"), str(every)),
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
    explains = {notes[1]: "fte"} if capacity else {}
    if column != every:
        steps_note = (
            "Steps: the steps each role works on. A step several roles share counts once for "
            "each of them, and a step no role works on (a milestone without an owner, a call "
            "to another process here) for none, so the column adds up to "
            f"{column}; the Total row gives the portfolio's {counted(str(every), 'step', 'steps')}."
        )
        notes.append(steps_note)
        explains[steps_note] = "steps"
    notes += _additions_notes(costs, by="role")
    if any(r.kind is RoleKind.SYSTEM for r in roles):
        notes.append("A system role's work is already automated: no hours, no labour.")
    title = _title("Annual workflow cost by role", costs)
    return _sheet("role", title, columns, rows, total, notes, reading=reading, explains=explains)


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
    notes = [  # the second explains FTE beside utilisation: it goes with the FTE column
        "Utilisation = annual hours ÷ (headcount × hours a person has for this work a year); "
        f"{DASH} for a role without a headcount.",
        f"FTE is the same hours over a full working year ({year} h) whatever the headcount, "
        "so FTE and utilisation differ where people have less of their year for this work.",
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
        *_yearly_columns(external=external, expenses=expenses, reading=reading),
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


COST_SHEETS = {"step": _step_sheet, "role": _role_sheet, "process": _process_sheet}


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


def candidates_sheet_of(
    costs: PortfolioCost,
    ranked: Sequence[Candidate],
    everything: int | None = None,
    unassessed: Sequence[Unassessed] = (),
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
        # the candidates (process/step) whose automation pays for this one's tool
        Column("tool_paid_by", "Tool paid by", numeric=False, csv_only=True),
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
                _text(" ".join(c.tool_paid_by)),
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
    notes += _shared_tool_notes(ranked)
    if everything:
        unfiltered = counted(str(everything), "candidate", "candidates")
        empty = f"No candidate passes the filters ({unfiltered} without them)."
    else:
        empty = (
            "No step has an automation share, so there are no candidates: give a step "
            "'automation: {share: 0.3}' (the part a tool could do) to see what it would save."
        )
    pointers = unassessed_notes(unassessed, currency)
    if ranked:
        notes += pointers
    return Sheet(
        title,
        columns,
        rows,
        total if ranked else None,
        notes,
        DROP_ORDER["candidates"],
        empty,
        pointers,
    )


def unassessed_notes(unassessed: Sequence[Unassessed], currency: str) -> list[str]:
    """Where an automation estimate is most worth making: a heading line, then a line
    per step (costliest first); nothing when every step with labour has one."""
    if not unassessed:
        return []
    notes = [
        "Not yet assessed, the costliest first (steps with no 'automation' estimate: give one "
        "'automation: {share: 0.3}', the part a tool could do, to rank it here):"
    ]
    for u in unassessed:
        cost = money_text(u.annual_cost, currency)
        said = f"  {u.process_id}/{u.step_id} ({u.owner}): {cost} a year"
        if u.share_of_labour is not None:
            said += f", {percent_text(u.share_of_labour * 100)} of the labour cost"
        notes.append(said)
    return notes


def _shared_tool_notes(ranked: Sequence[Candidate]) -> list[str]:
    """A line per tool paid for on one step and used at no cost on others listed."""
    users: dict[tuple[str, ...], list[Candidate]] = {}
    for candidate in ranked:
        if candidate.tool_paid_by:
            users.setdefault(candidate.tool_paid_by, []).append(candidate)
    notes = []
    for paid_by, found in users.items():
        uses, its = ("uses", "its") if len(found) == 1 else ("use", "their")
        steps = listed([f"{c.process_id}/{c.step_id}" for c in found])
        notes.append(
            f"{found[0].tool}'s cost is counted on {listed(paid_by)}; {steps} {uses} it at "
            f"no cost of {its} own: {its} payback and ROI assume it is paid for there."
        )
    return notes
