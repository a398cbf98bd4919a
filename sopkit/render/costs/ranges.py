"""``sopkit simulate`` as text: the mean and P10/P50/P90 of each figure, in four formats.

Tables, Markdown and CSV have one row per process and figure (annual cost,
annual total cost, annual hours, lead time), then the portfolio's annual
totals (for a single process in CSV only: a table's would repeat its rows),
then each role with a capacity (a ``headcount``): its hours and its
utilisation, with the share of years it is over capacity in a note (a CSV row
of its own, the share in the ``mean`` column); JSON has,
for each figure, ``{"mean", "p10", "p50", "p90"}`` with money rounded half-up
to the currency's minor unit and hours and days to 2 decimals (utilisation to
4, as the cost report's), plus ``years`` and ``seed`` so anyone can reproduce
the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ...analysis.simulation import ProcessRanges, Range, RoleRanges, Simulation
from ...errors import UsageError
from ..beside import beside_text, only_these_hours
from ..numbers import money_text, number_text, percent_text, round_money, round_number
from .jsontext import dump_json
from .sheet import Cell, Column, Sheet
from .tables import FORMATS, render_sheet

__all__ = ["PROCESS_FIGURES", "TOTAL_FIGURES", "simulation_document", "simulation_report"]

#: Each process's figures in JSON, in order: (key, is money).
PROCESS_FIGURES = (
    ("annual_cost", True),
    ("annual_total_cost", True),
    ("annual_hours", False),
    ("external_hours", False),
    ("lead_time_hours", False),
    ("lead_time_days", False),
)
#: The portfolio's figures in JSON: ``total_`` and the process figure's key.
TOTAL_FIGURES = (
    ("annual_cost", True),
    ("annual_total_cost", True),
    ("annual_hours", False),
    ("external_hours", False),
)


def simulation_report(
    simulation: Simulation,
    *,
    fmt: str = "table",
    width: int | None = None,
    scenario: str | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The simulated ranges in one format: ``table``, ``markdown``, ``csv`` or ``json``;
    ``scenario`` names the scenario the portfolio was simulated under, if any; ``beside``
    the process files not simulated that work in each role with a headcount
    (``roles_worked_beside``), which the utilisation note names.

    Raises:
        UsageError: on an unknown format.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(FORMATS))
    if fmt == "json":
        return dump_json(simulation_document(simulation, scenario=scenario))
    sheet = _sheet(simulation, reading=fmt != "csv", scenario=scenario, beside=beside)
    return render_sheet(sheet, fmt, width)


def simulation_document(simulation: Simulation, *, scenario: str | None = None) -> dict[str, Any]:
    """The ``sopkit simulate --format json`` document, with rounded ``Decimal`` numbers."""
    currency = simulation.currency

    def figure(value: Range, money: bool) -> dict[str, Decimal]:
        def rounded(v: Decimal) -> Decimal:
            return round_money(v, currency) if money else round_number(v, 2)

        return {
            "mean": rounded(value.mean),
            "p10": rounded(value.p10),
            "p50": rounded(value.p50),
            "p90": rounded(value.p90),
        }

    return {
        "currency": currency,
        "years": simulation.years,
        "seed": simulation.seed,
        "scenario": scenario,
        "processes": [
            {
                "id": p.process_id,
                "name": p.name,
                **{key: figure(getattr(p, key), money) for key, money in PROCESS_FIGURES},
            }
            for p in simulation.processes
        ],
        **{f"total_{key}": figure(getattr(simulation, key), money) for key, money in TOTAL_FIGURES},
        "roles": [_role_document(role, figure) for role in simulation.roles],
    }


def _role_document(
    role: RoleRanges, figure: Callable[[Range, bool], dict[str, Decimal]]
) -> dict[str, Any]:
    utilisation = role.utilisation
    return {
        "role": role.role,
        "annual_hours": figure(role.annual_hours, False),
        "capacity": None if role.capacity is None else round_number(role.capacity, 2),
        "utilisation": None
        if utilisation is None
        else {
            key: round_number(getattr(utilisation, key), 4) for key in ("mean", "p10", "p50", "p90")
        },
        "years_over_capacity": None
        if role.over_capacity is None
        else round_number(role.over_capacity, 4),
    }


#: What the tables show of each process, in order: key, title, unit.
_SHOWN = (
    ("annual_cost", "Annual cost", "money"),
    ("annual_total_cost", "Total cost", "money"),
    ("annual_hours", "Annual hours", "hours"),
    ("lead_time_days", "Lead time d", "days"),
)
#: Read in a table only where a process has any (CSV has it always).
_OUTSIDE = ("external_hours", "Outside hours", "hours")
#: CSV has every figure.
_CSV = (
    *_SHOWN[:3],
    ("external_hours", "External hours", "hours"),
    ("lead_time_hours", "Lead time h", "hours"),
    _SHOWN[3],
)


def _sheet(
    simulation: Simulation,
    *,
    reading: bool,
    scenario: str | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
) -> Sheet:
    currency = simulation.currency
    shown = _SHOWN if reading else _CSV
    columns = [
        Column("process", "Process", numeric=False, wraps=True),
        Column("figure", "Figure", numeric=False, wraps=True),
        Column("mean", "Mean"),
        Column("p10", "P10"),
        Column("p50", "P50"),
        Column("p90", "P90"),
        Column("unit", "Unit", numeric=False, csv_only=True),
    ]
    rows: list[list[Cell]] = []
    for process in simulation.processes:
        rows += _rows(process.process_id, process, _with_outside(shown, process), currency, reading)
    # One process's Total rows would repeat its own: a table leaves them out (CSV keeps
    # them, as JSON keeps its total_ figures, for the tools that read them).
    alone = reading and len(simulation.processes) == 1
    totals = tuple(entry for entry in shown if not entry[0].startswith("lead_time"))
    if not alone:
        rows += _rows(
            "Total" if reading else "",
            simulation,
            _with_outside(totals, simulation),
            currency,
            reading,
            total=True,
        )
    capacity = [role for role in simulation.roles if role.utilisation is not None]
    for role in capacity:
        rows += _role_rows(role, reading)
    count = len(simulation.processes)
    title = (
        f"Ranges over {simulation.years:,} simulated years ({currency}, {count} "
        f"{'process' if count == 1 else 'processes'}, seed {simulation.seed})"
    )
    if scenario is not None:
        title += f", under scenario '{scenario}'"
    notes = [
        "Mean, and the values that 10%, 50% and 90% of simulated years stay under (P10, P50, "
        f"P90); lead time is one run's, over {simulation.years:,} simulated runs. "
        + ("" if alone else "Total rows add the processes year by year. ")
        + "The same seed gives the same figures."
    ]
    if simulation.external_hours.mean > 0:
        notes.append(
            "Outside hours: the hours of outside parties (an agency, a customer); they are "
            "not in annual hours or FTE."
        )
    if capacity:
        notes.append(_capacity_note(capacity, len(simulation.processes), beside or {}))
    return Sheet(title, columns, rows, None, notes if reading else [])


def _role_rows(role: RoleRanges, reading: bool) -> list[list[Cell]]:
    """A role's hours and utilisation; CSV gives utilisation as a fraction (JSON's)."""
    assert role.utilisation is not None
    label = f"{role.role} (role)" if reading else role.role
    rows = []
    for number, (key, title, value, unit) in enumerate(
        (
            ("role_annual_hours", "Annual hours", role.annual_hours, "hours"),
            ("role_utilisation", "Utilisation", role.utilisation, "share"),
        )
    ):
        figures = (value.mean, value.p10, value.p50, value.p90)
        if unit == "share":
            cells = [_cell(percent_text(v * 100), round_number(v, 4)) for v in figures]
        else:
            cells = [_cell(number_text(v), round_number(v, 2)) for v in figures]
        first = number == 0 or not reading
        rows.append(
            [_cell(label if first else "", label), _cell(title, key), *cells, _cell(unit, unit)]
        )
    if not reading and role.over_capacity is not None:
        # One share, not a spread: in the mean column (the tables say it in a note).
        over = _cell("", format(round_number(role.over_capacity, 4), "f"))
        empty = _cell("", "")
        figure = _cell("", "role_years_over_capacity")
        rows.append(
            [_cell(label, label), figure, over, empty, empty, empty, _cell("share", "share")]
        )
    return rows


def _capacity_note(
    roles: list[RoleRanges], processes: int, beside: Mapping[str, Sequence[str]]
) -> str:
    """Which roles are over capacity in how many simulated years (the mean hides them),
    most often first; a role over it on average is said to be. Only the processes
    simulated count toward a capacity: said of one, and of any that leave out files
    that work in a role too (``beside``), which are named."""
    over = sorted((r for r in roles if r.over_capacity), key=lambda r: -(r.over_capacity or 0))

    def said(role: RoleRanges, first: bool) -> str:
        text = f"{role.role} in {percent_text((role.over_capacity or Decimal(0)) * 100)}"
        text += " of the simulated years" if first else ""
        average = role.utilisation is not None and role.utilisation.mean > 1
        return text + (", over it on average" if average else "")

    listed = (
        "Over capacity: " + "; ".join(said(r, i == 0) for i, r in enumerate(over)) + "."
        if over
        else "No role is over capacity in any simulated year."
    )
    note = (
        "Utilisation: a role's hours ÷ its capacity (headcount × available hours a year), "
        f"year by year. {listed}"
    )
    elsewhere = beside_text(beside, [r.role for r in roles])
    if processes == 1 or elsewhere is not None:
        note += f" {only_these_hours(processes)}"
    if elsewhere is not None:
        note += f" {elsewhere}"
    return note


def _with_outside(
    shown: tuple[tuple[str, str, str], ...], source: ProcessRanges | Simulation
) -> tuple[tuple[str, str, str], ...]:
    """The figures to read, with the hours outside the team after the team's own where
    are any in any year (an agency's, a customer's): they count in no FTE, so they are apart."""
    if any(key == "external_hours" for key, _, _ in shown) or source.external_hours.mean <= 0:
        return shown
    at = next(i for i, (key, _, _) in enumerate(shown) if key == "annual_hours") + 1
    return (*shown[:at], _OUTSIDE, *shown[at:])


def _rows(
    label: str,
    source: ProcessRanges | Simulation,
    shown: tuple[tuple[str, str, str], ...],
    currency: str,
    reading: bool,
    *,
    total: bool = False,
) -> list[list[Cell]]:
    """One row per figure; CSV names the portfolio's figures as JSON does (``total_…``)."""
    rows = []
    for number, (key, title, unit) in enumerate(shown):
        value: Range = getattr(source, key)
        figures = (value.mean, value.p10, value.p50, value.p90)
        if unit == "money":
            cells = [_cell(money_text(v, currency), round_money(v, currency)) for v in figures]
        else:
            cells = [_cell(number_text(v), round_number(v, 2)) for v in figures]
        shown_unit = currency if unit == "money" else unit
        first = number == 0 or not reading
        rows.append(
            [
                _cell(label if first else "", label),
                _cell(title, f"total_{key}" if total else key),
                *cells,
                _cell(shown_unit, shown_unit),
            ]
        )
    return rows


def _cell(text: str, raw: Decimal | str) -> Cell:
    return Cell(text, raw if isinstance(raw, str) else format(raw, "f"))
