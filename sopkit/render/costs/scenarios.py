"""As-Is beside each To-Be, as text: ``sopkit compare PATH --scenario FILE …``.

One table, a block of rows for the portfolio, one for each process and one
for each role a scenario changes, a column for the portfolio as it is and one
for each scenario: annual cost, expenses, total cost, hours, FTE and lead
time (a role's hours, cost, headcount and utilisation), and each scenario's
one-off setup cost. Under it, each scenario's change in one line (the same line
``sopkit diff`` opens with), and where the wait of a step it removes went. JSON
gives, for each scenario, the comparison ``sopkit diff --format json`` gives
(every process; the steps and roles that changed), what it costs once and the
waits of the steps it removes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

from ...analysis.compare import (
    Comparison,
    Dropped,
    Figure,
    OneOff,
    RemovedWait,
    Row,
    ScenarioResult,
    Status,
    compare,
)
from ...analysis.cost import PortfolioCost
from ...analysis.units import to_decimal
from ...errors import UsageError
from ...interop.filedata import estimate_data
from ..beside import beside_note
from ..i18n import Catalogue, catalogue, payback_text, span_label
from ..numbers import DASH, percent_text, round_exact, round_money
from .diff import (
    DIFF_FORMATS,
    diff_document,
    figure_document,
    figure_text,
    figure_value,
    over_capacity_text,
    relieved_text,
    shown_change,
    signed_money,
    summary_line,
)
from .jsontext import dump_json
from .sheet import Cell, Column, Sheet
from .tables import render_sheet

__all__ = [
    "ScenarioView",
    "cash_text",
    "labour_text",
    "outside_text",
    "portfolio_lines",
    "removed_wait_text",
    "scenario_results",
    "scenario_roi",
    "scenarios_beside_note",
    "scenarios_document",
    "scenarios_report",
    "scenarios_sheet",
]


class ScenarioView(Protocol):
    """What the report needs: the portfolio as it is and each scenario against it.
    ``sopkit.decide.Scenarios`` (what ``compare_scenarios`` returns) is one."""

    @property
    def as_is(self) -> PortfolioCost: ...

    @property
    def results(self) -> tuple[ScenarioResult, ...]: ...


def scenario_results(
    scenarios: ScenarioView | Sequence[ScenarioResult],
) -> Sequence[ScenarioResult]:
    """The results of what ``compare_scenarios`` returns, or the results as given: a
    renderer's ``scenarios=`` takes either."""
    return scenarios if isinstance(scenarios, Sequence) else scenarios.results


#: The rows of the portfolio's block and of each process's, with the messages naming them.
#: Annual cost is labour only, beside expenses and the total: its label says so (a CFO read
#: a Russian 'Затраты в год' as the whole).
PORTFOLIO_ROWS = (
    ("annual_cost", "figure.annual_labour"),
    ("annual_expenses", "report.col.expenses"),
    ("annual_total_cost", "report.col.total"),
    ("annual_hours", "site.col.hours_year"),
    ("fte", "report.col.fte"),
    ("automation_potential", "site.kpi.automation"),
)
PROCESS_ROWS = (
    ("annual_cost", "figure.annual_labour"),
    ("annual_expenses", "report.col.expenses"),
    ("annual_total_cost", "report.col.total"),
    ("annual_hours", "site.col.hours_year"),
    ("fte", "report.col.fte"),
    ("lead_time_days", "scenario.lead_days"),
)
#: The rows of each role a scenario changes (headcount and utilisation only when set).
ROLE_ROWS = (
    ("annual_hours", "site.col.hours_year"),
    ("external_hours", "figure.external_hours"),
    ("annual_cost", "figure.annual_cost"),
    ("headcount", "report.col.headcount"),
    ("utilisation", "report.col.utilisation"),
)
#: Rows a process without expenses in any column leaves out (its total is its annual cost).
_EXPENSE_ROWS = ("annual_expenses", "annual_total_cost")


def scenarios_report(view: ScenarioView, *, fmt: str = "table", width: int | None = None) -> str:
    """As-Is and every To-Be side by side, in ``table``, ``markdown`` or ``json``."""
    if fmt not in DIFF_FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(DIFF_FORMATS))
    if fmt == "json":
        return dump_json(scenarios_document(view))
    return render_sheet(scenarios_sheet(view), fmt, width)


def _hours_rows(rows: Sequence[Row | None]) -> set[str]:
    """A role's hours rows that say something: the team's, or those outside it (an
    agency's), or the team's when neither has any."""

    def some(name: str) -> bool:
        return any(row is not None and bool(row.figures[name].after) for row in rows)

    shown = {name for name in ("annual_hours", "external_hours") if some(name)}
    return shown or {"annual_hours"}


def _as_is(view: ScenarioView) -> Comparison:
    return compare(view.as_is, view.as_is)


def scenarios_sheet(view: ScenarioView, t: Catalogue | None = None) -> Sheet:
    """The side-by-side table as a sheet (for the terminal, Markdown and the site), in the
    language of ``t`` (English by default)."""
    t = t or catalogue("en")
    language = t.language
    as_is = _as_is(view)
    currency = as_is.currency
    results = view.results
    columns = [
        Column("process", t("report.col.process"), numeric=False, wraps=True),
        Column("figure", t("col.figure"), numeric=False),
        Column("as_is", t("scenario.as_is")),
        *(Column(f"scenario_{i}", r.name, wraps=True) for i, r in enumerate(results, 1)),
    ]
    rows = portfolio_lines(view, t)
    per_run = False
    for process_id in _process_ids(as_is, results):
        found = [_find(as_is, process_id), *(_find(r.comparison, process_id) for r in results)]
        expenses = any(
            row is not None and bool(row.figures["annual_expenses"].after) for row in found
        )
        shown = [(n, k) for n, k in PROCESS_ROWS if expenses or n not in _EXPENSE_ROWS]
        # Read by its name; CSV keeps the id, what the files and scenarios name.
        called = next((row.name for row in found if row is not None and row.name), process_id)
        for index, (name, key) in enumerate(shown):
            values = [None if row is None else row.figures[name].after for row in found]
            label = process_id if index == 0 else ""
            line = _line(label, t(key), name, values, currency, language)
            if index == 0:
                line[0] = Cell(called, process_id)
            rows.append(line)
        costs = _costs_per_run(as_is, results, process_id)
        if costs is not None:
            per_run = True
            title = t("scenario.cost_per_run")
            rows.append(_line("", title, "annual_total_cost", costs, currency, language))
    roles = _changed_roles(as_is, results)
    for role in roles:
        found = [_find_role(as_is, role), *(_find_role(r.comparison, role) for r in results)]
        lines = []
        hours_of = _hours_rows(found)
        for name, key in ROLE_ROWS:
            values = [None if row is None else row.figures[name].after for row in found]
            if any(v is not None for v in values) and (name in hours_of or "hours" not in name):
                lines.append((name, key, values))
        for index, (name, key, values) in enumerate(lines):
            label = t("scenario.role", role=role) if index == 0 else ""
            rows.append(_line(label, t(key), name, values, currency, language))
    notes = []
    for result in results:
        notes.append(_note(result, t))
        notes += [
            t("scenario.sheet.summary", name=result.name, summary=removed_wait_text(wait, t))
            for wait in result.waits
        ]
    notes.append(t("scenario.sheet.note_roles" if roles else "scenario.sheet.note"))
    notes += [t("scenario.note.labour"), t("scenario.note.roi")]
    if per_run:
        notes.append(t("scenario.note.cost_per_run"))
    elsewhere = scenarios_beside_note(view, t)
    if elsewhere is not None:
        notes.append(elsewhere)
    title = t(
        "scenario.sheet.title",
        len(results),
        currency=currency,
        processes=t("count.processes", len(as_is.processes)),
    )
    return Sheet(title, columns, rows, None, notes, ())


def portfolio_lines(view: ScenarioView, t: Catalogue) -> list[list[Cell]]:
    """The portfolio's block of the side-by-side table: its figures in each column, then
    what each scenario does to them in money, As-Is "—": the change in labour cost (hours
    at rates; the part outside the team, billed, where a scenario moves one), the change
    in cash costs, the one-off setup and the first-year ROI. Labour and cash apart, since
    only the cash is money paid out."""
    as_is = _as_is(view)
    currency, language = as_is.currency, t.language
    results = view.results
    rows: list[list[Cell]] = []
    for index, (name, key) in enumerate(PORTFOLIO_ROWS):
        values = [as_is.totals[name].after, *(r.comparison.totals[name].after for r in results)]
        label = t("scenario.portfolio") if index == 0 else ""
        rows.append(_line(label, t(key), name, values, currency, language))
    rows.append(_texts(t("scenario.labour_change"), [labour_text(r, t) for r in results]))
    if any(r.outside_change for r in results):
        rows.append(_texts(t("scenario.outside_change"), [outside_text(r, t) for r in results]))
    rows.append(_texts(t("scenario.cash_change"), [cash_text(r, t) for r in results]))
    setup = [None, *(r.setup_cost for r in results)]
    rows.append(_line("", t("scenario.setup"), "annual_cost", setup, currency, language))
    rows.append(_texts(t("scenario.roi"), [scenario_roi(r, t) for r in results]))
    return rows


def _texts(title: str, texts: Sequence[str]) -> list[Cell]:
    """A row of the portfolio's block whose As-Is is "—": a change, a return."""
    return [Cell("", ""), Cell(title, title), *(Cell(text, text) for text in (DASH, *texts))]


def labour_text(result: ScenarioResult, t: Catalogue) -> str:
    """``-$4,358.49``: the change in labour cost as shown (the two figures rounded, so it
    adds up with them)."""
    figure = result.comparison.totals["annual_cost"]
    currency = result.comparison.currency
    return signed_money(shown_change("annual_cost", figure, currency), currency, t.language)


def cash_text(result: ScenarioResult, t: Catalogue) -> str:
    """``+$960.00``: the change in cash costs as shown."""
    figure = result.comparison.totals["annual_expenses"]
    currency = result.comparison.currency
    return signed_money(shown_change("annual_expenses", figure, currency), currency, t.language)


def outside_text(result: ScenarioResult, t: Catalogue) -> str:
    """``-$300.00``: of the change in labour cost, the external roles' (billed: cash)."""
    currency = result.comparison.currency
    shown = round_money(to_decimal(result.outside_change), currency)
    return signed_money(shown, currency, t.language)


def scenario_roi(result: ScenarioResult, t: Catalogue) -> str:
    """``171.05%``: the scenario's first-year ROI, "—" when nothing is laid out."""
    roi = result.roi_percent
    return percent_text(None if roi is None else to_decimal(roi), t.language)


def _costs_per_run(
    as_is: Comparison, results: Sequence[ScenarioResult], process_id: str
) -> list[Fraction | None] | None:
    """A process's total cost per run in each column, when some scenario changes the
    process and it has runs of its own in some column; ``None`` otherwise (a process
    no scenario touches costs what it did a run, and says so in its other rows)."""
    found = [_find(r.comparison, process_id) for r in results]
    if not any(row is not None and row.status is not Status.UNCHANGED for row in found):
        return None
    own = _find(as_is, process_id)
    pairs = [(as_is, own), *zip([r.comparison for r in results], found, strict=True)]
    sides = [None if row is None else comparison.cost_per_run(row) for comparison, row in pairs]
    values = [None if side is None else side.after for side in sides]
    return values if any(v is not None for v in values) else None


def _process_ids(as_is: Comparison, results: Sequence[ScenarioResult]) -> list[str]:
    ids = [row.key[0] for row in as_is.processes]
    for result in results:
        ids += [row.key[0] for row in result.comparison.processes if row.key[0] not in ids]
    return ids


def _changed_roles(as_is: Comparison, results: Sequence[ScenarioResult]) -> list[str]:
    """The roles some scenario changes (a headcount, a rate, the hours automation frees),
    in the portfolio's order: why one sets a headcount is to see its utilisation."""
    changed = {
        row.key[0]
        for result in results
        for row in result.comparison.roles
        if row.status is not Status.UNCHANGED
    }
    names = [row.key[0] for row in as_is.roles]
    names += sorted(changed.difference(names))
    return [name for name in names if name in changed]


def scenarios_beside_note(view: ScenarioView, t: Catalogue) -> str | None:
    """That only the portfolio's hours count toward the capacity of the roles shown with a
    utilisation, naming the files beside that work in them too (``Scenarios.beside``,
    which a view without it lacks): their hours are in none of the columns."""
    as_is = _as_is(view)
    measured = [
        role
        for role in _changed_roles(as_is, view.results)
        if any(
            row is not None and row.figures["utilisation"].after is not None
            for row in (
                _find_role(as_is, role),
                *(_find_role(r.comparison, role) for r in view.results),
            )
        )
    ]
    beside: Mapping[str, Sequence[str]] = getattr(view, "beside", None) or {}
    return beside_note(beside, len(view.as_is.processes), t, measured)


def _find_role(comparison: Comparison, role: str) -> Row | None:
    """A role's row on the side after; ``None`` when it has none there."""
    for row in comparison.roles:
        if row.key[0] == role:
            return None if row.figures["annual_hours"].after is None else row
    return None


def _find(comparison: Comparison, process_id: str) -> Row | None:
    """A process's row in a comparison, ``None`` when the side after has no such process."""
    for row in comparison.processes:
        if row.key[0] == process_id:
            return None if row.figures["annual_cost"].after is None else row
    return None


def _line(
    label: str,
    title: str,
    name: str,
    values: Sequence[Fraction | None],
    currency: str,
    language: str,
) -> list[Cell]:
    texts = [figure_text(name, v, currency, language) if v is not None else DASH for v in values]
    return [Cell(label, label), Cell(title, title), *(Cell(text, text) for text in texts)]


def _note(result: ScenarioResult, t: Catalogue) -> str:
    summary = summary_line(result.comparison, t, edits=False)
    for said in (relieved_text(result.comparison, t), over_capacity_text(result.comparison, t)):
        if said is not None:
            summary = f"{summary}; {said}"
    if not result.one_offs:
        return t("scenario.sheet.summary", name=result.name, summary=summary)
    currency = result.comparison.currency
    # One automation whose payback is the scenario's (it changes nothing else that saves
    # or costs): its figures are said once, after the list, not twice.
    alone = len(result.one_offs) == 1 and automation_payback(
        result.one_offs[0], t
    ) == scenario_payback(result, t)
    steps = "; ".join(
        f"{o.process_id}/{o.step_id}"
        if alone
        else f"{o.process_id}/{o.step_id} "
        + figure_text("annual_cost", o.cost, currency, t.language)
        + ", "
        + t("scenario.kpi.payback_own", payback=automation_payback(o, t))
        for o in result.one_offs
    )
    cost = figure_text("annual_cost", result.setup_cost, currency, t.language)
    return t(
        "scenario.sheet.summary_setup",
        name=result.name,
        summary=summary,
        cost=cost,
        steps=steps,
        payback=scenario_payback(result, t),
        roi=scenario_roi(result, t),
    )


def removed_wait_text(wait: RemovedWait, t: Catalogue) -> str:
    """Where the wait of a step the scenario removed went: ``the wait after removed step
    blog/social (20 working days) now follows blog/publish, …``, or why it no longer
    counts. A lead time that falls by a wait nobody asked to remove must say so."""
    step = f"{wait.process_id}/{wait.step_id}"
    shown = span_label(t, to_decimal(wait.hours), wait.clock)
    if wait.carries:  # its own wait (if any), then once the sum that moved with it
        moved = span_label(t, to_decimal(wait.moved_hours), wait.clock)
        others = ", ".join(f"{wait.process_id}/{other}" for other in wait.carries)
        count = len(wait.carries)
        if wait.wait.is_zero:
            shown = t("scenario.wait.only_carried", count, moved=moved, steps=others)
        else:
            shown = t("scenario.wait.with_carried", count, wait=shown, moved=moved, steps=others)
    if wait.dropped is None:
        onto = ", ".join(f"{wait.process_id}/{pred}" for pred in wait.onto)
        return t("scenario.wait.carried", step=step, wait=shown, onto=onto)
    before = f"{wait.process_id}/{wait.before}"
    if wait.dropped is Dropped.NO_STEP_BEFORE:
        reason = t("scenario.wait.no_step_before")
    elif wait.dropped is Dropped.OTHER_STEPS_AFTER:
        other = f"{wait.process_id}/{wait.other}"
        reason = t("scenario.wait.other_steps_after", before=before, other=other)
    elif wait.dropped is Dropped.OTHER_RUNS:
        reason = t("scenario.wait.other_runs", before=before)
    else:
        reason = t("scenario.wait.rework", before=before)
    if not wait.typical:  # the lead time never counted it: it cannot fall by it
        return t("scenario.wait.dropped_untypical", step=step, wait=shown, reason=reason)
    return t("scenario.wait.dropped", step=step, wait=shown, reason=reason)


def automation_payback(one: OneOff, t: Catalogue) -> str:
    """``0.7 months``: how soon one automation's own net saving pays for its setup ("—"
    when its saving is not known: its step is no candidate where the scenario's
    changes before it leave the portfolio)."""
    if one.net_saving is None:
        return DASH
    months = one.payback_months
    return payback_text(None if months is None else to_decimal(months), t)


def scenario_payback(result: ScenarioResult, t: Catalogue) -> str:
    """``1.4 months``, ``never``: how soon the scenario's saving pays for its setup."""
    months = result.payback_months
    return payback_text(None if months is None else to_decimal(months), t)


def scenarios_document(view: ScenarioView) -> dict[str, Any]:
    """The ``sopkit compare --format json`` document."""
    as_is = _as_is(view)
    currency = as_is.currency
    return {
        "currency": currency,
        "as_is": {
            "totals": {
                name: figure_value(name, figure.after, currency)
                for name, figure in as_is.totals.items()
            },
            "processes": [
                {
                    "id": row.key[0],
                    "name": row.name,
                    **{
                        name: figure_value(name, figure.after, currency)
                        for name, figure in row.figures.items()
                    },
                    "cost_per_run": figure_value(
                        "annual_total_cost", _after(as_is.cost_per_run(row)), currency
                    ),
                }
                for row in as_is.processes
            ],
        },
        "scenarios": [_scenario_document(result) for result in view.results],
        "notes": [_ENGLISH(key) for key in _JSON_NOTES],
    }


#: The sentences a JSON reader needs to read the figures as they are meant.
_JSON_NOTES = ("scenario.note.labour", "scenario.note.roi", "scenario.note.cost_per_run")
_ENGLISH = catalogue("en")


def _after(figure: Figure | None) -> Fraction | None:
    return None if figure is None else figure.after


def _scenario_document(result: ScenarioResult) -> dict[str, Any]:
    comparison = result.comparison
    currency = comparison.currency
    shown = comparison.changes()
    document = diff_document(comparison, shown)
    document["processes"] = [
        {**process, "cost_per_run": _per_run_document(comparison, row)}
        for process, row in zip(
            diff_document(comparison, comparison)["processes"], comparison.processes, strict=True
        )
    ]
    document["summary"] = summary_line(comparison, edits=False)
    del document["currency"]
    one_off = {
        "setup_cost": figure_value("annual_cost", result.setup_cost, currency),
        "setup_hours": figure_value("annual_hours", result.setup_hours, currency),
        "payback_months": None
        if result.payback_months is None
        else round_exact(result.payback_months, 2),
        "roi_percent": None if result.roi_percent is None else round_exact(result.roi_percent, 2),
        "net_saving": figure_value("annual_cost", result.net_saving, currency),
        "gross_saving": figure_value("annual_cost", result.gross_saving, currency),
        "tool_cost": figure_value("annual_cost", result.tool_cost, currency),
        "outside_labour_change": figure_value("annual_cost", result.outside_change, currency),
        "automated": [
            {
                "process": o.process_id,
                "step": o.step_id,
                "name": o.name,
                "owner": o.owner,
                "tool": o.tool,
                "setup_hours": figure_value("annual_hours", o.hours, currency),
                "setup_cost": figure_value("annual_cost", o.cost, currency),
                "net_saving": figure_value("annual_cost", o.net_saving, currency),
                "payback_months": None
                if o.payback_months is None
                else round_exact(o.payback_months, 2),
            }
            for o in result.one_offs
        ],
    }
    return {
        "name": result.name,
        "description": result.description,
        "file": result.path,
        **one_off,
        "removed_waits": [_wait_document(wait) for wait in result.waits],
        **document,
    }


def _per_run_document(comparison: Comparison, row: Row) -> dict[str, Any] | None:
    """A process's total cost per run as a figure (``null`` on a side without runs), or
    ``null`` for a process with runs on neither side."""
    figure = comparison.cost_per_run(row)
    return (
        None
        if figure is None
        else figure_document("annual_total_cost", figure, comparison.currency)
    )


def _wait_document(wait: RemovedWait) -> dict[str, Any]:
    """A removed step's wait in JSON: its own, as written and in hours, the removed steps'
    waits it carried and the sum that moved, the steps that carry it, or why none does
    (``dropped``), with the sentence the table says."""
    return {
        "process": wait.process_id,
        "step": wait.step_id,
        "name": wait.name,
        "wait": None if wait.wait.is_zero else estimate_data(wait.wait),
        "wait_hours": round_exact(wait.hours, 2),
        "in_typical_run": wait.typical,
        "with_waits_of": list(wait.carries),
        "moved_hours": round_exact(wait.moved_hours, 2),
        "carried_onto": list(wait.onto),
        "dropped": None
        if wait.dropped is None
        else {"reason": wait.dropped.value, "step": wait.before, "other": wait.other},
        "note": removed_wait_text(wait, catalogue("en")),
    }
