"""Two costed portfolios side by side: what changed, by how much.

``sopkit diff`` (two versions of the files) and ``sopkit compare`` (a portfolio
and its scenarios) ask the same question of two ``PortfolioCost``\\ s, so both
use this one engine: it matches processes by id, steps by (process id, step
id) and roles by name, and subtracts every figure exactly (``Fraction``);
figures are rounded only when shown.

A figure is ``None`` on a side where its row does not exist (an added or
removed row) or where it is not defined (the utilisation of a role without a
headcount); a change counts such a side as 0, and its change in percent is
``None`` whenever the side before is 0 or ``None``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from ..currency import minor_unit
from ..interop.filedata import process_data, step_data
from ..models import Clock, Duration, Estimate, Process, Settings, Step
from .candidates import Candidate, first_year_roi, payback, rank_candidates
from .cost import PortfolioCost, ProcessCost, RoleCost, StepCost
from .units import MONTHS, exact_hours, expected_hours, to_decimal

__all__ = [
    "PROCESS_FIGURES",
    "ROLE_FIGURES",
    "STEP_FIGURES",
    "TOTAL_FIGURES",
    "Comparison",
    "Dropped",
    "Scaled",
    "Figure",
    "OneOff",
    "Edited",
    "FieldChange",
    "Row",
    "RateSplit",
    "RemovedWait",
    "RunSplit",
    "ScenarioResult",
    "Status",
    "Text",
    "Threshold",
    "Verdict",
    "compare",
    "one_off",
    "verdict",
]


class Status(StrEnum):
    """What happened to a row between the two sides."""

    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure before and after, exact."""

    before: Fraction | None
    after: Fraction | None

    @property
    def change(self) -> Fraction:
        return (self.after or Fraction(0)) - (self.before or Fraction(0))

    @property
    def change_percent(self) -> Fraction | None:
        """The change in percent of the figure before; ``None`` when that is 0 or missing."""
        if not self.before:
            return None
        return self.change * 100 / self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class Text:
    """A text before and after (an owner, a frequency); ``None`` where there is none."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class Row:
    """One process, step or role on both sides.

    ``key`` is ``(process id,)``, ``(process id, step id)`` or ``(role name,)``;
    ``figures`` and ``texts`` keep a fixed order per kind (see ``PROCESS_FIGURES``…).
    """

    kind: str
    key: tuple[str, ...]
    name: str
    status: Status
    figures: Mapping[str, Figure]
    texts: Mapping[str, Text] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``content-marketing``, ``content-marketing/draft`` or ``Editor``."""
        return "/".join(self.key)

    @property
    def total(self) -> Figure:
        """The figure a row is read by: annual total cost (labour for a role)."""
        return self.figures["annual_total_cost" if self.kind != "role" else "annual_cost"]


@dataclass(frozen=True, slots=True)
class Edited:
    """A process or step on both sides whose file says something else: the fields that differ.

    Rows are made by figures (a diff says what a change did to the cost); a new
    name, done-when, sign-off or order of steps may change none, yet a reviewer
    must hear of it.
    """

    kind: str
    key: tuple[str, ...]
    name: str
    fields: tuple[str, ...]
    #: The name before (the same as ``name`` unless ``name`` is among ``fields``).
    name_before: str = ""
    #: Each field's value before and after, one per ``fields`` and in their order.
    changes: tuple[FieldChange, ...] = ()

    @property
    def label(self) -> str:
        return "/".join(self.key)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's value on each side, as the file would spell it.

    Values are as the file writes them (``"1.5h..3h"``, ``{"to": "draft", "probability":
    Decimal("0.3")}``), so a review reads what was written, not sopkit's parsed figures;
    ``None`` where the field is not given.
    """

    field: str
    before: object
    after: object


#: The fields of a process and of a step a diff compares, in the models' order (as the
#: file spells them): everything but ids, the list of steps and the texts the rows show
#: already (a process's owner and frequency, a step's owner).
PROCESS_FIELDS = tuple(
    name
    for name in Process.model_fields
    if name not in ("sopkit", "id", "owner", "frequency", "steps")
)
STEP_FIELDS = tuple(
    (field.alias or name)
    for name, field in Step.model_fields.items()
    if name not in ("id", "owner")
)
#: Fields whose order means nothing: ``after: [a, b]`` is ``after: [b, a]``.
_UNORDERED = frozenset({"after", "tags", "tools"})


#: The figures of each kind of row, in the order reports show them.
PROCESS_FIGURES = (
    "annual_cost",
    "annual_expenses",
    "annual_total_cost",
    "annual_hours",
    "fte",
    "lead_time_hours",
    "lead_time_days",
    "automation_net_saving",
)
STEP_FIGURES = (
    "annual_cost",
    "annual_expenses",
    "annual_total_cost",
    "annual_hours",
    "executions_per_run",
    "rate",
    "with_rate",
    "automation_net_saving",
)
ROLE_FIGURES = (
    "rate",
    "annual_hours",
    "annual_cost",
    "fte",
    "external_hours",
    "headcount",
    "utilisation",
)
TOTAL_FIGURES = (
    "annual_cost",
    "annual_expenses",
    "annual_total_cost",
    "annual_hours",
    "fte",
    "automation_potential",
)


@dataclass(frozen=True, slots=True)
class Scaled:
    """A process that runs more or less often, and those of its steps that changed by
    exactly as much and in no other way (their own fields the same): each of their rows
    says only what the process's row says, so a report can name them in one line."""

    process_id: str
    #: Runs a year after ÷ before.
    ratio: Fraction
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunSplit:
    """A step's change of annual total cost in two parts that add up to it: what its
    process's runs a year did (``ratio``: after ÷ before), and what changed in a run.

    ``from_runs`` = before × (ratio − 1): the year before, run as often as after;
    ``from_run_cost`` = after − before × ratio: the rest, the step's cost in one run (its
    time, executions, rate or expenses).
    """

    ratio: Fraction
    from_runs: Fraction
    from_run_cost: Fraction


@dataclass(frozen=True, slots=True)
class RateSplit:
    """A step's change of labour cost in two parts that add up to it, when both its hours
    and its owner's rate moved: ``from_hours`` = (hours after − before) × the rate before,
    and ``from_rate`` = (rate after − before) × the hours after."""

    from_hours: Fraction
    from_rate: Fraction


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every row of two portfolios and their totals, before → after.

    Rows keep the files' order: the processes (and their steps) of the side
    after, then those only before; roles by name.
    """

    currency: str
    processes: tuple[Row, ...]
    steps: tuple[Row, ...]
    roles: tuple[Row, ...]
    totals: Mapping[str, Figure]
    #: Processes and steps whose fields changed (rows or not), in the files' order.
    edited: tuple[Edited, ...] = ()
    #: Processes whose runs changed, with the steps that only followed (``Scaled``).
    scaled: tuple[Scaled, ...] = ()
    #: For each process whose runs changed (its own and those calls make), runs a year
    #: after ÷ before.
    run_ratios: Mapping[str, Fraction] = field(default_factory=dict)
    #: Processes that run only when others call them (on the side after, else before),
    #: with their callers: their steps' work is costed in the calling steps, so their
    #: own rows can change while showing no cost.
    called_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Each process's own runs a year (its ``frequency``), before and after: ``None`` on
    #: a side without the process or without runs of its own (one others run).
    runs_a_year: Mapping[str, Figure] = field(default_factory=dict)

    @property
    def rows(self) -> tuple[Row, ...]:
        return (*self.processes, *self.steps, *self.roles)

    def changes(self) -> Comparison:
        """The same comparison without its unchanged rows."""
        return replace(
            self,
            processes=_changed(self.processes),
            steps=_changed(self.steps),
            roles=_changed(self.roles),
        )

    def folded(self) -> Comparison:
        """The same comparison without the step rows ``scaled`` names (each says only
        that its process runs more or less often)."""
        gone = {(s.process_id, step) for s in self.scaled for step in s.steps}
        return replace(self, steps=tuple(row for row in self.steps if row.key not in gone))

    def split(self, row: Row) -> RunSplit | None:
        """A changed step's change, split into its process's runs and its run's cost;
        ``None`` unless both moved (a step that only followed its runs is ``scaled``)."""
        ratio = self.run_ratios.get(row.key[0])
        if row.kind != "step" or row.status is not Status.CHANGED or ratio is None:
            return None
        total = row.figures["annual_total_cost"]
        if not total.before or total.after is None:
            return None
        from_run_cost = total.after - total.before * ratio
        if from_run_cost == 0:
            return None
        return RunSplit(ratio, total.before * (ratio - 1), from_run_cost)

    def rate_split(self, row: Row) -> RateSplit | None:
        """A changed step's change split into its hours' and its rate's, when both moved
        and its cost is its owner's hours at the owner's rate on both sides (no one works
        with the owner, no cash costs; ``None`` otherwise, or when ``split`` applies)."""
        if row.kind != "step" or row.status is not Status.CHANGED or self.split(row):
            return None
        hours, rate = row.figures["annual_hours"], row.figures["rate"]
        cost, expenses = row.figures["annual_cost"], row.figures["annual_expenses"]
        if not (hours.changed and rate.changed) or expenses.before or expenses.after:
            return None
        with_rate = row.figures["with_rate"]
        if with_rate.before is not None or with_rate.after is not None:
            return None
        sides = ((hours.before, rate.before, cost.before), (hours.after, rate.after, cost.after))
        if any(h is None or r is None or c is None or h * r != c for h, r, c in sides):
            return None
        assert hours.before is not None and hours.after is not None  # checked just above
        assert rate.before is not None and rate.after is not None
        from_hours = (hours.after - hours.before) * rate.before
        return RateSplit(from_hours, (rate.after - rate.before) * hours.after)

    def cost_per_run(self, row: Row) -> Figure | None:
        """A process's annual total cost ÷ its own runs a year, before and after, exactly
        (``None`` on a side without runs); ``None`` for a process with runs on neither
        side, or a row that is no process's.

        Its cash costs fixed per month, quarter or year are spread over the runs: what a
        run costs the year, so a process run more often can cost more a year and less a
        run (six posts a month instead of four share the same fixed costs)."""
        runs = self.runs_a_year.get(row.key[0]) if row.kind == "process" else None
        if runs is None or not (runs.before or runs.after):
            return None
        total = row.figures["annual_total_cost"]
        return Figure(_per(total.before, runs.before), _per(total.after, runs.after))

    def count(self, kind: str, status: Status) -> int:
        return sum(1 for row in self.rows if row.kind == kind and row.status is status)

    @property
    def total_cost(self) -> Figure:
        """The portfolio's annual total cost (labour and expenses), before → after."""
        return self.totals["annual_total_cost"]

    @property
    def has_expenses(self) -> bool:
        expenses = self.totals["annual_expenses"]
        return bool(expenses.before or expenses.after)


def _per(total: Fraction | None, runs: Fraction | None) -> Fraction | None:
    return None if total is None or not runs else total / runs


def _changed(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    return tuple(row for row in rows if row.status is not Status.UNCHANGED)


# --- the comparison -------------------------------------------------------------------


def compare(before: PortfolioCost, after: PortfolioCost) -> Comparison:
    """Match the two portfolios' processes, steps and roles and subtract every figure.

    Every row is kept, unchanged ones with status ``unchanged``; ``changes()``
    leaves those out. The two must share a currency (the caller checks: a
    difference of dollars and won means nothing). A scenario's comparison lists its
    ``edited`` fields too: a JSON reader then sees what each change did to the files,
    as ``sopkit diff`` of the two sides would say.
    """
    savings_before = _savings(before)
    savings_after = _savings(after)
    old = {p.id: p for p in before.processes}
    new = {p.id: p for p in after.processes}
    process_rows: list[Row] = []
    step_rows: list[Row] = []
    edited: list[Edited] = []
    scaled: list[Scaled] = []
    run_ratios: dict[str, Fraction] = {}
    runs_a_year: dict[str, Figure] = {}
    for process_id in _union(new, old):
        was, now = old.get(process_id), new.get(process_id)
        runs_a_year[process_id] = Figure(_runs_a_year(was), _runs_a_year(now))
        process_rows.append(_process_row(was, now, savings_before, savings_after))
        own: list[Edited] = []
        if was is not None and now is not None:
            own = _edited(was.process, now.process)
        edited += own
        old_steps = {s.step_id: s for s in was.steps} if was else {}
        new_steps = {s.step_id: s for s in now.steps} if now else {}
        rows = [
            _step_row(
                process_id,
                old_steps.get(step_id),
                new_steps.get(step_id),
                savings_before,
                savings_after,
            )
            for step_id in _union(new_steps, old_steps)
        ]
        step_rows += rows
        if was is not None and now is not None:
            found = _scaled(was, now, rows, {e.key for e in own})
            if found is not None:
                scaled.append(found)
            runs_was, runs_now = was.exact_total_runs_per_month, now.exact_total_runs_per_month
            if runs_was and runs_now and runs_was != runs_now:
                run_ratios[process_id] = runs_now / runs_was
    old_roles = {r.role: r for r in before.roles}
    new_roles = {r.role: r for r in after.roles}
    years = (_year(before.settings), _year(after.settings))
    rates = (_rates(before), _rates(after))
    role_rows = [
        _role_row(name, old_roles.get(name), new_roles.get(name), years, rates)
        for name in sorted({*old_roles, *new_roles})
    ]
    return Comparison(
        currency=after.currency,
        processes=tuple(process_rows),
        steps=tuple(step_rows),
        roles=tuple(role_rows),
        totals=_totals(before, after, savings_before, savings_after),
        edited=tuple(edited),
        scaled=tuple(scaled),
        run_ratios=run_ratios,
        runs_a_year=runs_a_year,
        called_only={
            process.id: tuple(process.called_by)
            for process in (
                new.get(process_id) or old[process_id] for process_id in _union(new, old)
            )
            if process.is_called_only and process.called_by
        },
    )


#: The figures of a step that follow its process's runs a year, and nothing else, when
#: the step itself is the same (an automation's net saving does not: its tool costs the
#: same a year however often it runs).
_FOLLOW_RUNS = ("annual_cost", "annual_expenses", "annual_total_cost", "annual_hours")


def _scaled(
    was: ProcessCost, now: ProcessCost, rows: Sequence[Row], edited: set[tuple[str, ...]]
) -> Scaled | None:
    """The steps of a process that changed only as much as its runs a year did."""
    before, after = was.exact_total_runs_per_month, now.exact_total_runs_per_month
    if not before or not after or before == after:
        return None
    ratio = after / before
    steps = tuple(
        row.key[1]
        for row in rows
        if row.status is Status.CHANGED
        and row.key not in edited
        and all(
            (f := row.figures[name]).before is not None
            and f.after is not None
            and f.after == f.before * ratio
            for name in _FOLLOW_RUNS
        )
        and row.figures["executions_per_run"].before == row.figures["executions_per_run"].after
        and row.figures["rate"].before == row.figures["rate"].after
    )
    return Scaled(was.id, ratio, steps) if steps else None


def _edited(was: Process, now: Process) -> list[Edited]:
    """The process and those of its steps on both sides whose fields differ."""
    found = []
    fields = _differing(was, now, PROCESS_FIELDS)
    if fields:
        changes = _changes(was, now, fields)
        found.append(Edited("process", (now.id,), now.name, fields, was.name, changes))
    old_steps = {step.id: step for step in was.steps}
    for step in now.steps:
        old = old_steps.get(step.id)
        fields = () if old is None else _differing(old, step, STEP_FIELDS)
        if old is not None and fields:
            changes = _changes(old, step, fields)
            key = (now.id, step.id)
            found.append(Edited("step", key, step.name, fields, old.name, changes))
    return found


def _differing(was: Process | Step, now: Process | Step, names: Sequence[str]) -> tuple[str, ...]:
    return tuple(name for name in names if _value(was, name) != _value(now, name))


def _changes(
    was: Process | Step, now: Process | Step, fields: Sequence[str]
) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(name, _written(was, name), _written(now, name)) for name in fields)


def _written(model: Process | Step, name: str) -> object:
    """A field's value as the file writes it (``sopkit.interop.filedata``): exact numbers,
    a duration's own spelling, an automation without the defaults of its parts; ``None``
    where the field is not given, ``false`` for a flag that is not set."""
    data = step_data(model) if isinstance(model, Step) else process_data(model, steps=False)
    value = data.get(name)
    if value is None and isinstance(getattr(model, _attribute(name)), bool):
        return False  # a flag at its default is not written, yet "true → false" says it
    return _dated(value)


def _dated(value: object) -> object:
    """Dates (a review's) as ``YYYY-MM-DD``, as JSON and the reports write them."""
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_dated(item) for item in value]
    if isinstance(value, dict):
        return {key: _dated(item) for key, item in value.items()}
    return value


def _attribute(name: str) -> str:
    """The model's attribute for a field as the file spells it (``with`` is ``with_``)."""
    return "with_" if name == "with" else name


def _value(model: Process | Step, name: str) -> object:
    value = getattr(model, _attribute(name))
    if name in _UNORDERED and isinstance(value, list | tuple):
        return frozenset(value)
    return value


def _union(first: Mapping[str, object], second: Mapping[str, object]) -> list[str]:
    """Keys of ``first`` in order, then those only in ``second``."""
    return [*first, *(key for key in second if key not in first)]


def _status(exists_before: bool, exists_after: bool, changed: bool) -> Status:
    if not exists_before:
        return Status.ADDED
    if not exists_after:
        return Status.REMOVED
    return Status.CHANGED if changed else Status.UNCHANGED


def _savings(cost: PortfolioCost) -> dict[tuple[str, str], Candidate]:
    return {(c.process_id, c.step_id): c for c in rank_candidates(cost)}


def _saving(
    savings: Mapping[tuple[str, str], Candidate], process_id: str, step_id: str | None = None
) -> Fraction:
    if step_id is not None:
        found = savings.get((process_id, step_id))
        return Fraction(0) if found is None else found.exact_net_saving
    return sum(
        (c.exact_net_saving for (pid, _), c in savings.items() if pid == process_id), Fraction(0)
    )


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _row(
    kind: str,
    key: tuple[str, ...],
    name: str,
    befores: Mapping[str, Fraction | None] | None,
    afters: Mapping[str, Fraction | None] | None,
    order: Sequence[str],
    texts: Mapping[str, Text],
) -> Row:
    figures = {
        figure: Figure(
            None if befores is None else befores[figure],
            None if afters is None else afters[figure],
        )
        for figure in order
    }
    changed = any(f.changed for f in figures.values()) or any(t.changed for t in texts.values())
    return Row(
        kind, key, name, _status(befores is not None, afters is not None, changed), figures, texts
    )


def _process_figures(
    process: ProcessCost, savings: Mapping[tuple[str, str], Candidate]
) -> dict[str, Fraction | None]:
    schedule = process.schedule
    day = Fraction(process.process.settings.hours_per_day)
    return {
        "annual_cost": process.exact_annual_cost,
        "annual_expenses": process.exact_annual_expenses,
        "annual_total_cost": process.exact_annual_total_cost,
        "annual_hours": process.exact_annual_hours,
        "fte": process.exact_annual_hours / _year(process.process.settings),
        "lead_time_hours": schedule.exact_lead_time_hours,
        "lead_time_days": schedule.exact_lead_time_hours / day,
        "automation_net_saving": _saving(savings, process.id),
    }


def _process_row(
    was: ProcessCost | None,
    now: ProcessCost | None,
    savings_before: Mapping[tuple[str, str], Candidate],
    savings_after: Mapping[tuple[str, str], Candidate],
) -> Row:
    either = now or was
    assert either is not None
    texts = {
        "owner": Text(was.process.owner if was else None, now.process.owner if now else None),
        "frequency": Text(_frequency(was), _frequency(now)),
    }
    return _row(
        "process",
        (either.id,),
        either.name,
        None if was is None else _process_figures(was, savings_before),
        None if now is None else _process_figures(now, savings_after),
        PROCESS_FIGURES,
        texts,
    )


def _runs_a_year(process: ProcessCost | None) -> Fraction | None:
    """A process's own runs a year (``frequency``), ``None`` without any: a process only
    others run is costed in its callers' steps, so its own rows count no run."""
    if process is None or not process.exact_runs_per_month:
        return None
    return process.exact_runs_per_month * MONTHS


def _frequency(process: ProcessCost | None) -> str | None:
    if process is None or process.process.frequency is None:
        return None
    return str(process.process.frequency)


def _step_figures(
    step: StepCost, savings: Mapping[tuple[str, str], Candidate]
) -> dict[str, Fraction | None]:
    return {
        "annual_cost": step.exact_annual_cost,
        "annual_expenses": step.exact_annual_expenses,
        "annual_total_cost": step.exact_annual_total_cost,
        "annual_hours": step.exact_annual_hours,
        "executions_per_run": Fraction(step.executions_per_run),
        "rate": Fraction(step.rate) if step.owner is not None else None,
        "with_rate": _with_rate(step),
        "automation_net_saving": _saving(savings, step.process_id, step.step_id),
    }


def _with_rate(step: StepCost) -> Fraction | None:
    """What an hour of the roles working with the owner costs, Σ people × rate (``None``
    without any): a new rate for one of them moves the step's cost, and no other figure
    of the step would say why."""
    others = [p for p in step.participants if p.role != step.owner]
    if not others:
        return None
    return sum((Fraction(p.count) * Fraction(p.rate) for p in others), Fraction(0))


def _step_row(
    process_id: str,
    was: StepCost | None,
    now: StepCost | None,
    savings_before: Mapping[tuple[str, str], Candidate],
    savings_after: Mapping[tuple[str, str], Candidate],
) -> Row:
    either = now or was
    assert either is not None
    texts = {"owner": Text(was.owner if was else None, now.owner if now else None)}
    return _row(
        "step",
        (process_id, either.step_id),
        either.name,
        None if was is None else _step_figures(was, savings_before),
        None if now is None else _step_figures(now, savings_after),
        STEP_FIGURES,
        texts,
    )


def _role_figures(
    role: RoleCost, year: Fraction, rates: Mapping[str, Decimal]
) -> dict[str, Fraction | None]:
    return {
        "rate": _fraction(rates.get(role.role)),
        "annual_hours": role.exact_annual_hours,
        "annual_cost": role.exact_annual_cost,
        "fte": role.exact_annual_hours / year,
        "external_hours": role.exact_external_hours,
        "headcount": _fraction(role.headcount),
        "utilisation": _utilisation(role),
    }


def _utilisation(role: RoleCost) -> Fraction | None:
    """Exactly: annual hours ÷ (headcount × available hours)."""
    if role.headcount is None or role.available_hours is None:
        return None
    return role.exact_annual_hours / (Fraction(role.headcount) * Fraction(role.available_hours))


def _role_row(
    name: str,
    was: RoleCost | None,
    now: RoleCost | None,
    years: tuple[Fraction, Fraction],
    rates: tuple[Mapping[str, Decimal], Mapping[str, Decimal]],
) -> Row:
    """A role's figures; FTE in each side's working year, as the cost report counts them."""
    texts = {"kind": Text(was.kind.value if was else None, now.kind.value if now else None)}
    return _row(
        "role",
        (name,),
        name,
        None if was is None else _role_figures(was, years[0], rates[0]),
        None if now is None else _role_figures(now, years[1], rates[1]),
        ROLE_FIGURES,
        texts,
    )


def _rates(cost: PortfolioCost) -> dict[str, Decimal]:
    """Each role's hourly rate: the roles file's, or a process's own where only it has one.

    A role whose rate differs between processes (a process's own ``roles:``)
    has no single rate: its figure is ``None``.
    """
    found: dict[str, set[Decimal]] = {}
    for process in cost.processes:
        for name, role in process.process.settings.roles.items():
            found.setdefault(name, set()).add(role.hourly_rate)
    return {name: rates.pop() for name, rates in found.items() if len(rates) == 1}


def _year(settings: Settings) -> Fraction:
    """Hours of one full-time person's year: the FTE unit."""
    return Fraction(settings.working_days_per_year) * Fraction(settings.hours_per_day)


def _totals(
    before: PortfolioCost,
    after: PortfolioCost,
    savings_before: Mapping[tuple[str, str], Candidate],
    savings_after: Mapping[tuple[str, str], Candidate],
) -> dict[str, Figure]:
    def figures(cost: PortfolioCost, savings: Iterable[Candidate]) -> dict[str, Fraction]:
        return {
            "annual_cost": cost.exact_annual_cost,
            "annual_expenses": cost.exact_annual_expenses,
            "annual_total_cost": cost.exact_annual_total_cost,
            "annual_hours": cost.exact_annual_hours,
            "fte": cost.exact_annual_hours / _year(cost.settings),
            "automation_potential": sum((c.exact_net_saving for c in savings), Fraction(0)),
        }

    old = figures(before, savings_before.values())
    new = figures(after, savings_after.values())
    return {name: Figure(old[name], new[name]) for name in TOTAL_FIGURES}


# --- one-off costs and the CI gate -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class OneOff:
    """A cost paid once, not every year: setting up the automation of a step."""

    process_id: str
    step_id: str
    name: str
    owner: str | None
    tool: str | None
    hours: Fraction
    cost: Fraction
    #: What the automation saves a year, net of its tool, as a candidate where the
    #: scenario's changes before it leave the portfolio (where its setup is priced);
    #: ``None`` when it is no candidate there.
    net_saving: Fraction | None = None

    @property
    def payback_months(self) -> Fraction | None:
        """Months until this automation's own net saving earns its setup back; ``None``
        when it never does, or its saving is not known."""
        return None if self.net_saving is None else payback(self.cost, self.net_saving)


def one_off(
    process_id: str,
    step_id: str,
    name: str,
    *,
    owner: str | None,
    tool: str | None,
    setup: Duration,
    clock: Clock,
    rate: Decimal,
    net_saving: Fraction | None = None,
) -> OneOff:
    """The setup of an automation: its hours at the owner's rate, as the candidates price it."""
    hours = exact_hours(setup, clock)
    return OneOff(process_id, step_id, name, owner, tool, hours, hours * Fraction(rate), net_saving)


class Dropped(StrEnum):
    """Why no step could carry the wait of a step a scenario removed (``RemovedWait``)."""

    #: It was a first step: no step comes before it.
    NO_STEP_BEFORE = "no_step_before"
    #: A step before it also comes before a step the wait did not hold back.
    OTHER_STEPS_AFTER = "other_steps_after"
    #: A step before it does not run in exactly the runs it ran in (a condition, per_run).
    OTHER_RUNS = "other_runs"
    #: A step before it sends work back: its wait is taken again with each rework.
    REWORK = "rework"


@dataclass(frozen=True, slots=True)
class RemovedWait:
    """The wait of a step a scenario removed, and where it went.

    A wait holds back the steps after its step; the removal gives those steps its
    ``after``. ``onto`` names the steps before it whose own wait grew by ``wait``,
    so the steps after it still wait as long: every one of them, or, when that
    would hold back something else, none, and ``dropped`` says why (``before`` is
    the step before it that could not carry it, ``other`` the step it would have
    held back). A report says either, as a silent change of lead time misleads.

    ``wait`` is the step's own wait, before any removed step's was carried onto
    it: ``carries`` names those steps (theirs carried onto it in turn too), and
    ``moved`` is the whole wait that went with it, so each wait is said once at
    its own step and the sum once where it moved. ``typical`` is whether the step
    was in the typical run: a wait outside it never counted in the lead time.
    """

    process_id: str
    step_id: str
    name: str
    wait: Estimate
    clock: Clock
    onto: tuple[str, ...] = ()
    dropped: Dropped | None = None
    before: str | None = None
    other: str | None = None
    typical: bool = True
    carries: tuple[str, ...] = ()
    moved: Estimate | None = None

    @property
    def hours(self) -> Fraction:
        """The step's own wait in expected working hours, as the lead time counts it."""
        return expected_hours(self.wait, self.clock)

    @property
    def moved_hours(self) -> Fraction:
        """The whole wait that went with the step (its own and those it carried), in
        expected working hours."""
        return expected_hours(self.moved or self.wait, self.clock)


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """A scenario against the portfolio as it is: every row of the comparison, what it
    costs once (the setup of the automations it takes as done) and what became of the
    waits of the steps it removes."""

    name: str
    path: str
    comparison: Comparison
    one_offs: tuple[OneOff, ...] = ()
    description: str | None = None
    waits: tuple[RemovedWait, ...] = ()

    @property
    def setup_cost(self) -> Fraction:
        return sum((o.cost for o in self.one_offs), Fraction(0))

    @property
    def setup_hours(self) -> Fraction:
        return sum((o.hours for o in self.one_offs), Fraction(0))

    @property
    def labour_change(self) -> Fraction:
        """The change in annual labour cost (hours at each role's rate), To-Be − As-Is.

        Hours valued at rates, not money paid out: a fall frees the team's time, and
        saves cash only if people are let go or hires avoided (an outside party's hours,
        ``outside_change``, are billed, so they are cash)."""
        return self.comparison.totals["annual_cost"].change

    @property
    def outside_change(self) -> Fraction:
        """Of ``labour_change``, the part of external roles (an agency's, a freelancer's):
        work billed by the hour, so cash, unlike the team's hours."""
        return sum(
            (
                row.figures["annual_cost"].change
                for row in self.comparison.roles
                if "external" in (row.texts["kind"].before, row.texts["kind"].after)
            ),
            Fraction(0),
        )

    @property
    def cash_change(self) -> Fraction:
        """The change in annual cash costs (expenses: tools, fees), To-Be − As-Is."""
        return self.comparison.totals["annual_expenses"].change

    @property
    def net_saving(self) -> Fraction:
        """What the scenario saves a year: the fall in annual total cost (labour and cash),
        below zero when it rises. Its payback divides the setup by it."""
        return -self.comparison.total_cost.change

    @property
    def tool_cost(self) -> Fraction:
        """What the scenario lays out anew each year, as a candidate's tool: the rise in
        annual cash costs (its automations' tools, an expense it adds, more runs' fees);
        0 when they do not rise."""
        return max(self.cash_change, Fraction(0))

    @property
    def gross_saving(self) -> Fraction:
        """The net saving before the tool cost: net saving + tool cost, so the candidates'
        gross − tool = net holds. The fall in labour cost, and in cash costs where
        they fall; below zero when labour rises by more than cash falls."""
        return self.net_saving + self.tool_cost

    @property
    def payback_months(self) -> Fraction | None:
        """A candidate's payback for the whole scenario: its setup over the monthly fall
        in total cost; ``None`` when it never pays back."""
        return payback(self.setup_cost, self.net_saving)

    @property
    def roi_percent(self) -> Fraction | None:
        """A candidate's first-year ROI for the whole scenario: (gross saving − tool cost −
        setup) × 100 ÷ (tool cost + setup); ``None`` when nothing is laid out (no setup,
        cash costs that do not rise)."""
        return first_year_roi(self.gross_saving, self.tool_cost, self.setup_cost)


@dataclass(frozen=True, slots=True)
class Threshold:
    """How far the annual total cost may rise: a percentage, or an amount in the currency."""

    value: Decimal
    percent: bool

    def allowed(self, before: Fraction) -> Fraction:
        """The largest rise allowed from ``before``."""
        if self.percent:
            return before * Fraction(self.value) / 100
        return Fraction(self.value)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the annual total cost rose by more than a threshold allows."""

    threshold: Threshold
    total: Figure
    exceeded: bool

    @property
    def change(self) -> Fraction:
        return self.total.change

    @property
    def change_percent(self) -> Fraction | None:
        return self.total.change_percent


def verdict(comparison: Comparison, threshold: Threshold) -> Verdict:
    """Judge the rise of the portfolio's annual total cost against ``threshold``.

    The rise is the one the report shows: the exact change rounded to the currency's
    minor unit (as every change is), so the line that says by how much never reads
    "rose by $5,485.71, more than the $5,485.71 allowed". A percentage is of the
    total before as shown. From nothing (a total of 0 before), any rise exceeds a
    percentage: it is an infinite one.
    """
    total = comparison.total_cost
    before = _as_shown(total.before or Fraction(0), comparison.currency)
    change = _as_shown(total.change, comparison.currency)
    if threshold.percent and before == 0:
        exceeded = change > 0
    else:
        exceeded = change > threshold.allowed(before)
    return Verdict(threshold, total, exceeded)


def _as_shown(amount: Fraction, currency: str) -> Fraction:
    """An amount rounded half-up to the currency's minor unit, as reports show it."""
    unit = Decimal(1).scaleb(-minor_unit(currency))
    return Fraction(to_decimal(amount).quantize(unit, ROUND_HALF_UP))
