"""What changed between two costed portfolios, as text: ``sopkit diff`` and each scenario.

A report opens with one line that says it all, the one a team reads in a pull
request: ``Annual cost +$4,120.00 (+1.93%), 2 steps added``. Then the totals
before and after, then one row per process or step whose figures changed (its
annual total cost before, after and the change; the other figures that moved
in words), then the roles. Unchanged rows are left out unless asked for.

Tables and Markdown sort rows by the size of the change, largest first, each
process followed by its steps; JSON keeps the files' order. JSON gives every
figure as ``{"before", "after", "change", "change_percent"}``, rounded as the
cost report rounds it (money to the minor unit, hours and FTE to 2 decimals,
utilisation to 4), ``null`` on a side where the row does not exist and a
change in percent of ``null`` where the figure before is 0.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...analysis.compare import (
    PROCESS_FIGURES,
    ROLE_FIGURES,
    STEP_FIGURES,
    TOTAL_FIGURES,
    Comparison,
    Edited,
    FieldChange,
    Figure,
    RateSplit,
    Row,
    RunSplit,
    Status,
    Text,
    Verdict,
)
from ...analysis.units import to_decimal
from ...decide import Diff
from ...errors import UsageError
from ...models import Frequency
from ..beside import beside_text
from ..i18n import Catalogue, catalogue, frequency_short
from ..numbers import (
    DASH,
    Amount,
    counted,
    hours_text,
    money_text,
    number_text,
    percent_text,
    rate_text,
    round_money,
    round_number,
    spoken,
)
from .jsontext import dump_json
from .sheet import Cell, Column, Sheet
from .tables import render_sheet

__all__ = [
    "DIFF_FORMATS",
    "change_text",
    "details",
    "diff_document",
    "diff_report",
    "figure_document",
    "figure_text",
    "figure_value",
    "moved_text",
    "ordered_rows",
    "row_change",
    "shown_change",
    "signed_money",
    "signed_text",
    "summary_line",
    "verdict_line",
]

#: Output formats of ``sopkit diff`` and ``sopkit compare``.
DIFF_FORMATS = ("table", "markdown", "json")

_MONEY = frozenset(
    {
        "annual_cost",
        "annual_expenses",
        "annual_total_cost",
        "automation_net_saving",
        "automation_potential",
        "rate",
        "with_rate",
    }
)
_HOURS = frozenset({"annual_hours", "external_hours", "lead_time_hours"})
#: How each figure is named in a table (the "what changed" words are ``diff.word.*``).
TITLES = {
    "annual_cost": "Annual cost",
    "annual_expenses": "Cash costs",
    "annual_total_cost": "Annual total cost",
    "annual_hours": "Hours/year",
    "fte": "FTE",
    "automation_potential": "Automation potential",
}
#: Figures the words leave out: the row's own figure, and ones that repeat another.
_UNSAID = frozenset({"fte", "lead_time_hours"})


# --- one figure ----------------------------------------------------------------------------


def _decimal(value: Fraction) -> Decimal:
    return to_decimal(value)


def figure_text(name: str, value: Fraction | None, currency: str, language: str = "en") -> str:
    """A figure as people read it: ``$4,120.00``, ``740.5``, ``93.75%``, ``$807/h`` (the
    combined hourly rate of those working with the owner); ``—`` for none."""
    if value is None:
        return DASH
    number = _decimal(value)
    if name == "with_rate":
        # Σ people × rate: an hour of everyone beside the owner, so it says its unit
        t = catalogue(language)
        return t("unit.per_hour", rate=rate_text(number, currency, language))
    if name == "rate":
        return rate_text(number, currency, language)
    if name in _MONEY:
        return money_text(number, currency, language)
    if name == "headcount":
        return hours_text(number, language)
    if name == "utilisation":
        return percent_text(number * 100, language)
    return number_text(number, 2, language)


def figure_value(name: str, value: Fraction | None, currency: str) -> Decimal | None:
    """A figure rounded for JSON as the cost report rounds it; ``None`` stays ``None``."""
    return None if value is None else _rounded(name, value, currency)


def _rounded(name: str, value: Fraction, currency: str) -> Decimal:
    number = _decimal(value)
    if name in _MONEY:
        return round_money(number, currency)
    if name == "utilisation":
        return round_number(number, 4)
    if name == "headcount":
        return number
    return round_number(number, 2)


def shown_change(name: str, figure: Figure, currency: str) -> Decimal:
    """The change as shown: the exact difference of the two figures, rounded once.

    Money is exact and rounded only when shown, a difference too: the automation of
    a $11,428.571… step (15%) saves $1,714.285…, shown as -$1,714.29 wherever the
    change is said (the scenario page, the report, ``sopkit compare`` and ``diff``),
    as the workbook's formula and the candidate's gross saving say it, although the
    two figures beside it, $11,428.57 → $9,714.29, differ by $1,714.28. The same
    change is then the same amount on every line (a total's and its automation
    potential's), as a finance reader expects of figures "rounded only when shown".
    """
    return _rounded(name, figure.change, currency)


def signed_money(value: Decimal, currency: str, language: str = "en") -> Amount:
    """``+$4,120.00``, ``-$310.50`` or ``$0.00``: a change of money, already rounded
    (in a Korean sentence ``+4,120원``)."""
    return money_text(value, currency, language).with_sign()


def _signed(name: str, figure: Figure, currency: str, language: str = "en") -> str:
    change = shown_change(name, figure, currency)
    if name in _MONEY:
        return signed_money(change, currency, language)
    if name == "headcount":
        text = hours_text(change, language)
    elif name == "utilisation":
        text = percent_text(change * 100, language)
    else:
        text = number_text(change, 2, language)
    return "+" + text if change > 0 else text


def signed_text(name: str, figure: Figure, currency: str, language: str = "en") -> str:
    """A figure's change as shown, signed, without its percentage: ``-101.36``,
    ``+$960.00``."""
    return _signed(name, figure, currency, language)


def _percent(value: Fraction | None, digits: int = 2, language: str = "en") -> str:
    """``+1.87%``; ``—`` where the figure before was 0."""
    if value is None:
        return DASH
    rounded = round_number(_decimal(value), digits)
    text = number_text(rounded, digits, language) + "%"
    return "+" + text if rounded > 0 else text


def figure_document(name: str, figure: Figure, currency: str) -> dict[str, Any]:
    """``{"before", "after", "change", "change_percent"}``, rounded for JSON."""
    percent = figure.change_percent
    return {
        "before": None if figure.before is None else _rounded(name, figure.before, currency),
        "after": None if figure.after is None else _rounded(name, figure.after, currency),
        "change": shown_change(name, figure, currency),
        "change_percent": None if percent is None else round_number(_decimal(percent), 2),
    }


# --- the summary ----------------------------------------------------------------------------


def summary_line(comparison: Comparison, t: Catalogue | None = None, *, edits: bool = True) -> str:
    """``Annual cost +$4,120.00 (+1.93%), 2 steps added``: the change in a sentence.

    The figure is the annual total cost (labour and cash costs); it is called
    annual cost when neither side has cash costs, where the two are the same.
    ``t`` is the language (English by default). ``edits=False`` counts no edited
    processes or steps: a scenario's changes are its own file, said already.
    """
    t = t or catalogue("en")
    language = t.language
    total = comparison.total_cost
    what = t("figure.annual_total" if comparison.has_expenses else "figure.annual_cost")
    currency = comparison.currency
    if total.change == 0:
        value = figure_text("annual_cost", total.after, currency, language)
        head = t("diff.unchanged", what=what, value=value)
    else:
        percent = total.change_percent
        change = signed_money(
            shown_change("annual_total_cost", total, currency), currency, language
        )
        head = (
            t("diff.change", what=what, change=change)
            if percent is None
            else t(
                "diff.change_percent",
                what=what,
                change=change,
                percent=_percent(percent, language=language),
            )
        )
    counts = []
    whole = _whole(comparison)
    for kind in ("process", "step"):
        for status in (Status.ADDED, Status.REMOVED, Status.CHANGED):
            count = sum(
                1
                for row in comparison.rows
                if row.kind == kind
                and row.status is status
                and (kind == "process" or row.key[0] not in whole)
            )
            if count:
                counts.append(t(f"diff.count.{kind}.{status.value}", count))
    roles = comparison.count("role", Status.CHANGED)
    roles += comparison.count("role", Status.ADDED) + comparison.count("role", Status.REMOVED)
    if roles:
        counts.append(t("diff.count.roles", roles))
    for kind in ("process", "step") if edits else ():
        count = sum(1 for item in comparison.edited if item.kind == kind)
        if count:
            counts.append(t(f"diff.count.{kind}.edited", count))
    if not counts:
        counts.append(t("diff.nothing_else" if total.change == 0 else "diff.no_row"))
    return ", ".join([head, *counts])


def edited_lines(comparison: Comparison, fmt: str) -> list[str]:
    """The processes and steps whose fields changed, one a line: ``draft (First draft):
    name (was “Draft”), time 2h → 3h, done_when``; a heading first. None when no field
    changed."""
    if not comparison.edited:
        return []
    title = "Edited (the fields that changed; the figures are as above):"
    if fmt == "markdown":
        lines = [
            f"- `{item.label}` ({item.name}): {_fields(item, code=True)}"
            for item in comparison.edited
        ]
        return [f"**{title}**", "", *lines]
    return [
        title,
        *(f"  {item.label} ({item.name}): {_fields(item)}" for item in comparison.edited),
    ]


def called_only_lines(shown: Comparison) -> list[str]:
    """A note for each process among the rows that runs only when others call it: its
    steps show no cost of their own, however their work changed."""
    listed_ids = {row.key[0] for row in (*shown.processes, *shown.steps)}
    lines = []
    for process_id, callers in shown.called_only.items():
        if process_id not in listed_ids:
            continue
        names = ", ".join(callers)
        lines.append(
            f"{process_id} runs only when {names} {'runs' if len(callers) == 1 else 'run'} it: "
            f"its steps' work is costed in the calling steps of {names}, so its own rows "
            "show only its fixed cash costs."
        )
    return lines


#: The longest value shown as "before → after"; a longer one (prose) is only named.
_SHOWN_VALUE = 40


def _fields(item: Edited, *, code: bool = False) -> str:
    """``name (was “Draft”), time 2h → 3h, done_when``: a new name says the old one, a short
    value says what it was and is; prose is only named (the files' own diff shows it)."""
    values = {change.field: change for change in item.changes}
    parts = []
    for field in item.fields:
        change = values.get(field)
        if field == "name":
            parts.append(f"name (was “{item.name_before}”)")
        elif change is None:
            parts.append(field)
        else:
            parts.append(_change_text(change, code=code))
    return ", ".join(parts)


def _change_text(change: FieldChange, *, code: bool) -> str:
    before, after = value_text(change.before), value_text(change.after)
    if any(len(text) > _SHOWN_VALUE or "\n" in text or "`" in text for text in (before, after)):
        return change.field
    if code:
        return f"{change.field} `{before}` → `{after}`"
    return f"{change.field} {before} → {after}"


def value_text(value: object) -> str:
    """A field's value (JSON form) as a file would write it in flow style: ``none`` where
    it is not given."""
    if value is None or value == [] or value == {} or value == "":
        return "none"
    return _flow(value)


def _flow(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    return "null" if value is None else _scalar(value)


#: What makes a text in flow style read as something else (a list, a mapping, a comment).
_FLOW_MARKS = frozenset(",:[]{}#\"'")


def _scalar(value: object) -> str:
    """A value as flow-style YAML writes it: quoted when it would otherwise read as more
    than one item (``"a, b"``) or as a mapping (``"x: y"``)."""
    text = str(value)
    if isinstance(value, str) and (
        _FLOW_MARKS.intersection(text) or text != text.strip() or not text
    ):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _whole(comparison: Comparison) -> set[str]:
    """Processes added or removed whole: their steps are not counted or listed one by one."""
    return {
        row.key[0] for row in comparison.processes if row.status in (Status.ADDED, Status.REMOVED)
    }


def verdict_line(verdict: Verdict, currency: str) -> str:
    """The last line of ``--fail-over``: by how much the total rose, against what it allows."""
    threshold = verdict.threshold
    allowed = (
        f"{hours_text(threshold.value)}%"
        if threshold.percent
        else money_text(threshold.value, currency)
    )
    change = shown_change("annual_total_cost", verdict.total, currency)
    percent = "" if verdict.change_percent is None else f" ({_percent(verdict.change_percent)})"
    if verdict.change > 0:
        moved = f"rose by {money_text(change, currency)}{percent}"
    elif verdict.change < 0:
        moved = f"fell by {money_text(-change, currency)}{percent}"
    else:
        moved = "did not change"
    if verdict.exceeded:
        return f"fail: annual total cost {moved}, more than the {allowed} --fail-over allows"
    return f"ok: annual total cost {moved}, within the {allowed} --fail-over allows"


# --- the report ------------------------------------------------------------------------------


def diff_report(
    comparison: Comparison | Diff,
    *,
    fmt: str = "table",
    everything: bool = False,
    width: int | None = None,
    before: str | None = None,
    after: str | None = None,
) -> str:
    """The comparison in one format.

    Args:
        comparison: every row of the two portfolios (``compare``), or ``diff``'s
            result, which also names the sides.
        fmt: ``table``, ``markdown`` or ``json``.
        everything: keep unchanged rows too (``--all``).
        width: fit tables to a terminal this many columns wide.
        before: what the first side is (e.g. ``HEAD~1:processes/``), for JSON;
            by default the ``Diff``'s, else "before".
        after: what the second side is.

    A ``Diff`` also names the files beside the sides that work in a role with a
    headcount and were not compared: the table and Markdown say, under the roles, that
    only the compared processes' hours count toward the roles' capacity.
    """
    beside: Mapping[str, Sequence[str]] = {}
    if isinstance(comparison, Diff):
        before = comparison.before if before is None else before
        after = comparison.after if after is None else after
        beside = comparison.beside
        comparison = comparison.comparison
    before = "before" if before is None else before
    after = "after" if after is None else after
    if fmt not in DIFF_FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(DIFF_FORMATS))
    shown = comparison if everything else comparison.changes()
    if fmt == "json":
        document = {"before": before, "after": after, **diff_document(comparison, shown)}
        document["over_capacity"] = [row.key[0] for row in over_capacity(comparison, risen=True)]
        return dump_json(document)
    if not everything:
        shown = shown.folded()
    parts = [_summary(comparison)]
    for sheet in diff_sheets(shown, details_column=fmt == "markdown"):
        text = render_sheet(sheet, fmt, width)
        parts.append(text.rstrip("\n"))

    if not shown.rows:
        parts.append(
            "No figure changed." if comparison.edited else "No process, step or role changed."
        )
    called = called_only_lines(shown)
    if called:
        parts.append("\n".join(called))
    capacity = _beside_line(shown, beside)
    if capacity is not None:
        parts.append(capacity)
    edited = edited_lines(comparison, fmt)
    if edited:
        parts.append("\n".join(edited))
    return "\n\n".join(parts) + "\n"


def _beside_line(shown: Comparison, beside: Mapping[str, Sequence[str]]) -> str | None:
    """That only the compared processes count toward the capacity of the roles shown with
    a utilisation, when files not compared work in them too (``Diff.beside``)."""
    roles = [
        row.key[0]
        for row in shown.roles
        if row.figures["utilisation"].before is not None
        or row.figures["utilisation"].after is not None
    ]
    elsewhere = beside_text(beside, roles)
    if elsewhere is None:
        return None
    only = "Utilisation: only the compared processes' hours count toward the roles' capacity."
    return f"{only} {elsewhere}"


def over_capacity(comparison: Comparison, *, risen: bool = False) -> list[Row]:
    """The roles with more hours than their headcount has on the side after; with
    ``risen``, only those whose utilisation rose (what a change to the files did)."""
    over = []
    for row in comparison.roles:
        utilisation = row.figures["utilisation"]
        if (utilisation.after or 0) <= 1:
            continue
        if risen and (utilisation.after or 0) <= (utilisation.before or 0):
            continue
        over.append(row)
    return over


def over_capacity_text(
    comparison: Comparison, t: Catalogue | None = None, *, risen: bool = False
) -> str | None:
    """``over capacity: Content Writer (137.10%)`` for ``over_capacity``; ``None`` if none."""
    t = t or catalogue("en")
    over = [
        t(
            "scenario.over_role",
            role=row.key[0],
            utilisation=figure_text(
                "utilisation", row.figures["utilisation"].after, "", t.language
            ),
        )
        for row in over_capacity(comparison, risen=risen)
    ]
    return t("scenario.over", roles=", ".join(over)) if over else None


def relieved_text(comparison: Comparison, t: Catalogue | None = None) -> str | None:
    """``no longer over capacity: Content Writer (103.03% → 90.52%)``: the roles over
    capacity before and not after; ``None`` if none."""
    t = t or catalogue("en")
    relieved = []
    for row in comparison.roles:
        figure = row.figures["utilisation"]
        if figure.before is None or figure.after is None or not figure.before > 1 >= figure.after:
            continue
        relieved.append(
            t(
                "scenario.relieved_role",
                role=row.key[0],
                before=figure_text("utilisation", figure.before, "", t.language),
                after=figure_text("utilisation", figure.after, "", t.language),
            )
        )
    return t("scenario.relieved", roles=", ".join(relieved)) if relieved else None


def _summary(comparison: Comparison) -> str:
    """The summary line of a diff, with the roles the change took (further) over capacity."""
    over = over_capacity_text(comparison, risen=True)
    line = summary_line(comparison)
    return line if over is None else f"{line}; {over}"


def _split_document(row: Row, split: RunSplit | None, currency: str) -> dict[str, Any] | None:
    if split is None:
        return None
    runs, run = shown_split(row, split, currency)
    return {
        "runs_ratio": round_number(_decimal(split.ratio), 4),
        "from_runs": runs,
        "from_run_cost": run,
    }


def _rate_split_document(row: Row, split: RateSplit | None, currency: str) -> dict[str, Any] | None:
    if split is None:
        return None
    hours, rate = shown_rate_split(row, split, currency)
    return {"from_hours": hours, "from_rate": rate}


def diff_document(comparison: Comparison, shown: Comparison | None = None) -> dict[str, Any]:
    """The JSON of a comparison: summary, totals, then rows of ``shown`` (default: changes)."""
    rows = comparison.changes() if shown is None else shown
    currency = comparison.currency
    return {
        "currency": currency,
        "summary": summary_line(comparison),
        "totals": {
            name: figure_document(name, comparison.totals[name], currency) for name in TOTAL_FIGURES
        },
        "processes": [
            {
                "id": row.key[0],
                "name": row.name,
                "status": row.status.value,
                **_texts(row),
                **_figures(row, PROCESS_FIGURES, currency),
            }
            for row in rows.processes
        ],
        "steps": [
            {
                "process": row.key[0],
                "id": row.key[1],
                "name": row.name,
                "status": row.status.value,
                **_texts(row),
                **_figures(row, STEP_FIGURES, currency),
                "runs_split": _split_document(row, comparison.split(row), currency),
                "rate_split": _rate_split_document(row, comparison.rate_split(row), currency),
            }
            for row in rows.steps
        ],
        "roles": [
            {
                "role": row.key[0],
                "status": row.status.value,
                **_texts(row),
                **_figures(row, ROLE_FIGURES, currency),
            }
            for row in rows.roles
        ],
        "edited": [
            {
                "kind": item.kind,
                "key": item.label,
                "name": item.name,
                "name_before": item.name_before,
                "fields": list(item.fields),
                "changes": [
                    {"field": c.field, "before": c.before, "after": c.after} for c in item.changes
                ],
            }
            for item in comparison.edited
        ],
        "scaled": [
            {
                "process": item.process_id,
                "ratio": round_number(_decimal(item.ratio), 4),
                "steps": list(item.steps),
            }
            for item in comparison.scaled
        ],
        "called_only": {key: list(callers) for key, callers in comparison.called_only.items()},
    }


def _texts(row: Row) -> dict[str, Any]:
    return {name: {"before": t.before, "after": t.after} for name, t in row.texts.items()}


def _figures(row: Row, names: Sequence[str], currency: str) -> dict[str, Any]:
    return {name: figure_document(name, row.figures[name], currency) for name in names}


# --- sheets ------------------------------------------------------------------------------------


def diff_sheets(comparison: Comparison, *, details_column: bool = True) -> list[Sheet]:
    """The totals, the processes and steps, and the roles, as sheets for tables and Markdown.

    What else changed in a row is a column of its own (Markdown, which a pull
    request shows wide), or a list under the table, where a terminal has the
    room to show it.
    """
    sheets = [_totals_sheet(comparison)]
    work = ordered_rows(comparison)
    if work:
        sheets.append(
            _rows_sheet(
                comparison, work, "Processes and steps", "annual total cost", details_column
            )
        )
    if comparison.roles:
        roles = sorted(comparison.roles, key=_size)
        sheets.append(_rows_sheet(comparison, roles, "Roles", "annual cost", details_column))
    return sheets


def _size(row: Row) -> tuple[Fraction, str]:
    return (-abs(row.total.change), row.label)


def ordered_rows(comparison: Comparison) -> list[Row]:
    """Processes by the size of their change, each followed by its steps, likewise."""
    steps: dict[str, list[Row]] = {}
    for row in comparison.steps:
        steps.setdefault(row.key[0], []).append(row)
    processes = {row.key[0]: row for row in comparison.processes}
    for pid in _whole(comparison):
        steps.pop(pid, None)
    change = {
        pid: abs(processes[pid].total.change)
        if pid in processes
        else max(abs(r.total.change) for r in steps[pid])
        for pid in {*processes, *steps}
    }
    ordered: list[Row] = []
    for pid in sorted(change, key=lambda p: (-change[p], p)):
        if pid in processes:
            ordered.append(processes[pid])
        ordered.extend(sorted(steps.get(pid, []), key=_size))
    return ordered


_DIFF_DROP = ("change_percent", "before", "after")


def _totals_sheet(comparison: Comparison) -> Sheet:
    currency = comparison.currency
    columns = [
        Column("figure", "Total", numeric=False),
        Column("before", "Before"),
        Column("after", "After"),
        Column("change", "Change"),
        Column("change_percent", "Change %"),
    ]
    rows = []
    for name in TOTAL_FIGURES:
        figure = comparison.totals[name]
        rows.append(
            [
                _cell(TITLES[name]),
                _cell(figure_text(name, figure.before, currency)),
                _cell(figure_text(name, figure.after, currency)),
                _cell(_signed(name, figure, currency)),
                _cell(_percent(figure.change_percent)),
            ]
        )
    notes = [
        "Annual total cost = annual cost (hands-on labour) + cash costs. Automation potential = "
        "the net annual saving of every automation candidate (one that costs more than it "
        "saves counts against it, so it can fall below zero)."
    ]
    title = f"Totals ({currency}): before → after"
    return Sheet(title, columns, rows, None, notes, ("change_percent",))


def _rows_sheet(
    comparison: Comparison, rows: Sequence[Row], what: str, figure: str, details_column: bool
) -> Sheet:
    currency = comparison.currency
    columns = [
        Column("row", "Process/step" if what != "Roles" else "Role", numeric=False, wraps=True),
        Column("status", "Status", numeric=False),
        Column("before", "Before"),
        Column("after", "After"),
        Column("change", "Change"),
        Column("change_percent", "Change %"),
        *([Column("details", "What else changed", numeric=False, wraps=True)] * details_column),
    ]
    cells = []
    notes = []
    whole = _whole(comparison)
    for row in rows:
        total = row.total
        steps = None
        if row.kind == "process" and row.key[0] in whole:
            steps = sum(1 for step in comparison.steps if step.key[0] == row.key[0])
        split = comparison.split(row) or comparison.rate_split(row)
        said = details(row, currency, steps, split=split)
        cells.append(
            [
                _cell(row.label),
                _cell(row.status.value),
                _cell(figure_text(_figure_name(row), total.before, currency)),
                _cell(figure_text(_figure_name(row), total.after, currency)),
                _cell(_signed(_figure_name(row), total, currency)),
                _cell(_percent(total.change_percent)),
                *([_cell(said)] * details_column),
            ]
        )
        if said and not details_column:
            notes.append(f"- {row.label}: {said}")
    if notes:
        notes.insert(0, "What else changed:")
    if what != "Roles":
        notes += _folded_lines(comparison)
    title = f"{what} that changed: {figure} ({currency})"
    if any(row.status is Status.UNCHANGED for row in rows):
        title = f"{what}: {figure} ({currency})"
    return Sheet(title, columns, cells, None, notes, _DIFF_DROP)


def _folded_lines(comparison: Comparison) -> list[str]:
    """A line per process whose steps that only followed its runs a year are left out of
    the table (``Comparison.folded``; ``--all`` lists them)."""
    shown = {row.key for row in comparison.steps}
    lines = []
    for item in comparison.scaled:
        left_out = [step for step in item.steps if (item.process_id, step) not in shown]
        if left_out:
            steps = counted(str(len(left_out)), "step", "steps")
            ratio = hours_text(_decimal(item.ratio), "en", 2)
            lines.append(
                f"{item.process_id}: {steps} changed only as its runs a year did (×{ratio}), "
                "each by as much; left out here, --all lists them."
            )
    return lines


def moved_text(word: str, name: str, figure: Figure, currency: str, t: Catalogue) -> str:
    """``total cost per run $672.99 → $549.63 (-18.33%)``: a figure before and after in
    words, with its change in percent where the figure before is not 0."""
    before, after = (
        figure_text(name, v, currency, t.language) for v in (figure.before, figure.after)
    )
    moved = t("diff.moved", word=word, before=before, after=after)
    percent = figure.change_percent
    return moved if percent is None else f"{moved} ({_percent(percent, language=t.language)})"


def change_text(
    name: str, figure: Figure, currency: str, language: str = "en", *, in_text: bool = False
) -> str:
    """A figure's change as shown, with its percentage: ``+$540.00 (+5.23%)``; ``in_text``
    for a sentence, whose amount is written as the language's sentences write it
    (``+540,000원 (+5.23%)`` in Korean, where a table's column shows ``+₩540,000``)."""
    percent = figure.change_percent
    shown = "" if percent is None else f" ({_percent(percent, language=language)})"
    change = _signed(name, figure, currency, language)
    return f"{spoken(change, language) if in_text else change}{shown}"


def row_change(row: Row, currency: str, language: str = "en") -> str:
    """A row's change of annual total cost (annual cost for a role) as shown: ``+$540.00``."""
    return _signed(_figure_name(row), row.total, currency, language)


def _figure_name(row: Row) -> str:
    return "annual_cost" if row.kind == "role" else "annual_total_cost"


def _cell(text: str) -> Cell:
    return Cell(text, text)


def details(
    row: Row,
    currency: str,
    steps: int | None = None,
    t: Catalogue | None = None,
    only: Collection[str] | None = None,
    split: RunSplit | RateSplit | None = None,
) -> str:
    """What else changed in a row, in words: ``hours 740 → 700; owner Editor → Lead``.

    An added or removed row lists its own figures instead (``owner Editor;
    hours 48.00``); a process added or removed whole also says how many steps
    it has (they are not listed one by one). ``t`` is the language (English by
    default); ``only`` names the figures to tell (and no texts). ``split`` (a
    step whose process's runs and own run both changed, or whose hours and rate both
    did) comes first: how much of the change each made.
    """
    t = t or catalogue("en")
    language = t.language
    names = [n for n in row.figures if n not in _UNSAID and n != _figure_name(row)]
    if only is not None:
        names = [n for n in names if n in only]
        row = replace(row, texts={})
    labour_same = row.kind != "role" and not _has_expenses(row)
    if row.status in (Status.ADDED, Status.REMOVED):
        added = row.status is Status.ADDED
        parts = [
            t("diff.said", word=t(f"diff.word.{n}"), value=_text_value(n, said, t))
            for n, text in row.texts.items()
            if (said := _side(text, added)) and not (n == "kind" and said == "staff")
        ]
        for name in names:
            value = _side(row.figures[name], added)
            if not value or (labour_same and name == "annual_cost"):
                continue
            if name == "executions_per_run" and value == 1:
                continue
            shown = figure_text(name, value, currency, language)
            parts.append(t("diff.said", word=t(f"diff.word.{name}"), value=shown))
        if steps is not None:
            parts.append(t("count.steps", steps))
        return "; ".join(parts)
    parts = []
    if isinstance(split, RunSplit):
        parts.append(split_text(row, split, currency, t))
    elif split is not None:
        parts.append(rate_split_text(row, split, currency, t))
    parts += [_text_change(name, text, t) for name, text in row.texts.items() if text.changed]
    for name in names:
        figure = row.figures[name]
        if not figure.changed or (labour_same and name == "annual_cost"):
            continue
        before, after = (
            t("diff.headcount.unset")
            if value is None and name == "headcount"
            else figure_text(name, value, currency, language)
            for value in (figure.before, figure.after)
        )
        if before == after:  # a change below the shown precision
            continue
        parts.append(t("diff.moved", word=t(f"diff.word.{name}"), before=before, after=after))
    return "; ".join(parts)


def shown_split(row: Row, split: RunSplit, currency: str) -> tuple[Decimal, Decimal]:
    """The split's two parts as shown: the runs' rounded, and a run's cost's the rest of
    the change as shown, so the two add up to the change beside them to the cent (each
    within a cent of its exact value)."""
    runs = round_money(_decimal(split.from_runs), currency)
    return runs, shown_change("annual_total_cost", row.total, currency) - runs


def shown_rate_split(row: Row, split: RateSplit, currency: str) -> tuple[Decimal, Decimal]:
    """The two parts as shown, adding up to the change beside them to the cent."""
    hours = round_money(_decimal(split.from_hours), currency)
    return hours, shown_change("annual_cost", row.figures["annual_cost"], currency) - hours


def rate_split_text(row: Row, split: RateSplit, currency: str, t: Catalogue) -> str:
    """``from the hours: +$5,940.00, from the rate: +$1,200.00``."""
    hours, rate = shown_rate_split(row, split, currency)
    return t(
        "diff.rate_split",
        hours=signed_money(hours, currency, t.language),
        rate=signed_money(rate, currency, t.language),
    )


def split_text(row: Row, split: RunSplit, currency: str, t: Catalogue) -> str:
    """``runs a year ×1.5: +$5,714.29, a run's cost: -$4,114.29``: a step's change in
    the two parts that add up to it."""
    runs, run = shown_split(row, split, currency)
    return t(
        "diff.split",
        ratio=hours_text(_decimal(split.ratio), t.language, 4),
        runs=signed_money(runs, currency, t.language),
        run=signed_money(run, currency, t.language),
    )


def _side(pair: Any, added: bool) -> Any:
    return pair.after if added else pair.before


def _has_expenses(row: Row) -> bool:
    expenses = row.figures.get("annual_expenses")
    return expenses is not None and bool(expenses.before or expenses.after)


def _text_change(name: str, text: Text, t: Catalogue) -> str:
    before = _text_value(name, text.before, t) if text.before else DASH
    after = _text_value(name, text.after, t) if text.after else DASH
    return t("diff.moved", word=t(f"diff.word.{name}"), before=before, after=after)


def _text_value(name: str, value: str, t: Catalogue) -> str:
    """A row's text as shown: a role's kind and a frequency in the language's words, an
    owner (a name from the files) as written."""
    if name == "kind":
        return t(f"report.kind.{value}")
    if name == "frequency":
        return frequency_short(Frequency.parse(value), t)
    return value
