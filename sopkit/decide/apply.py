"""Applying a scenario: a copy of the portfolio with its changes made and checked, the To-Be.

Changes apply in order to the raw data of the processes (and of their roles
files), and each changed process is validated again by the very code that
loads a file (``load.process_from_data``), so a value a scenario sets is
judged by the same rules and messages as one written in the process file.
Where a value came from is tracked as the changes apply: a problem with a
value the scenario wrote points into the scenario file, and any other problem
a change causes is reported at that change, naming the place in the process
file it broke. Nothing here changes the portfolio it is given.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..analysis.compare import RemovedWait
from ..errors import Problem, SopkitError, UsageError, ValidationError
from ..load import Portfolio, process_from_data, settings_from_data
from ..models import Clock, Duration, Estimate, Process, Settings
from ..source import Loc, SourceMap, parse_yaml
from ..suggest import closest
from .scenario import Change, Scenario, target
from .waits import after_of, carried_wait

__all__ = ["Automated", "ToBe", "apply_scenario"]


# --- the result -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Automated:
    """A step whose automation a scenario takes as done: what its setup takes, once.

    ``rate`` is the owner's hourly rate when the change applied, which prices
    the setup hours as the candidates report does.
    """

    process_id: str
    step_id: str
    name: str
    owner: str | None
    tool: str | None
    setup: Duration
    clock: Clock
    rate: Decimal


@dataclass(frozen=True, slots=True)
class ToBe:
    """A portfolio after a scenario's changes, the automations it took as done and what
    became of the waits of the steps it removed (``waits``: see ``waits.carried_wait``)."""

    scenario: Scenario
    portfolio: Portfolio
    automated: tuple[Automated, ...] = ()
    waits: tuple[RemovedWait, ...] = ()

    @property
    def name(self) -> str:
        return self.scenario.name

    def located(self, problems: Sequence[Problem]) -> list[Problem]:
        """Problems found later in the To-Be (costing it), reported in the scenario file."""
        return [
            _rehome(p, self.scenario.source, ("changes",), "after the scenario's changes")
            for p in problems
        ]


# --- applying ---------------------------------------------------------------------------


@dataclass(slots=True)
class _StepMeta:
    """Where a step's values were written, as the changes move it about."""

    origin: int | None  # its index in the process file; None when a scenario wrote it
    fields: dict[str, Loc] = field(default_factory=dict)  # fields a change set → where
    zero_time: bool = False  # automated with share 1: no time left at all
    #: The removed steps whose waits were carried onto it, and its own wait before them.
    carries: tuple[str, ...] = ()
    own_wait: Estimate | None = None


@dataclass(slots=True)
class _Draft:
    """One process of the portfolio as the changes apply: raw data and where it came from."""

    original: Process
    current: Process
    data: dict[str, Any]
    steps: list[_StepMeta]
    expenses: list[Loc | None]  # None: from the file; else the change that added it
    fields: dict[Loc, Loc] = field(default_factory=dict)  # process values a change set
    base: Settings = field(default_factory=Settings)
    removed: bool = False
    dirty: bool = False  # data or settings changed since ``current`` was validated

    def snapshot(self) -> tuple[Any, ...]:
        return (
            copy.deepcopy(self.data),
            copy.deepcopy(self.steps),
            list(self.expenses),
            dict(self.fields),
            self.base,
            self.removed,
            self.dirty,
        )

    def restore(self, saved: tuple[Any, ...]) -> None:
        (
            self.data,
            self.steps,
            self.expenses,
            self.fields,
            self.base,
            self.removed,
            self.dirty,
        ) = saved

    def step_index(self, step_id: str) -> int | None:
        for index, raw in enumerate(self.data.get("steps") or []):
            if isinstance(raw, dict) and raw.get("id") == step_id:
                return index
        return None


class _Located(SourceMap):
    """Where each value of a changed process was written: the process file or the scenario.

    Locations in the data (``("steps", 2, "time")``) are translated: a value a
    change set goes to that change in the scenario file; any other to its own
    place in the process file, found by the step's index there (a removed step
    shifts the ones after it).
    """

    __slots__ = ("_base", "_expenses", "_fields", "_scenario", "_steps")

    def __init__(self, draft: _Draft, scenario: SourceMap) -> None:
        self._base = draft.original.source
        super().__init__(self._base.path)
        self._scenario = scenario
        self._steps = copy.deepcopy(draft.steps)
        self._expenses = list(draft.expenses)
        self._fields = dict(draft.fields)

    def where(self, loc: Loc) -> tuple[SourceMap, Loc]:
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            found = self._step(loc)
            if found is not None:
                return found
        if len(loc) >= 2 and loc[0] == "expenses" and isinstance(loc[1], int):
            if loc[1] < len(self._expenses) and self._expenses[loc[1]] is not None:
                added = self._expenses[loc[1]]
                assert added is not None
                return self._scenario, added
        for size in range(len(loc), 0, -1):
            written = self._fields.get(loc[:size])
            if written is not None:
                return self._scenario, (*written, *loc[size:])
        return self._base, loc

    def _step(self, loc: Loc) -> tuple[SourceMap, Loc] | None:
        index = loc[1]
        assert isinstance(index, int)
        if index >= len(self._steps):
            return None
        meta = self._steps[index]
        if len(loc) >= 3 and isinstance(loc[2], str) and loc[2] in meta.fields:
            return self._scenario, (*meta.fields[loc[2]], *loc[3:])
        if meta.origin is not None:
            return self._base, ("steps", meta.origin, *loc[2:])
        return None

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        source, inner = self.where(loc)
        return source.locate(inner, key=key)

    def problem(
        self, loc: Loc, message: str, *, hint: str | None = None, key: bool = False
    ) -> Problem:
        source, inner = self.where(loc)
        return source.problem(inner, message, hint=hint, key=key)

    def line(self, number: int) -> str | None:
        return self._base.line(number)


def apply_scenario(portfolio: Portfolio, scenario: Scenario) -> ToBe:
    """The portfolio after the scenario's changes, in order; the portfolio is not changed.

    Raises:
        UsageError: not a loaded portfolio and scenario (paths, say).
        SopkitError: with every problem, each located in the scenario file.
    """
    if not isinstance(portfolio, Portfolio):
        raise UsageError(
            f"expected a Portfolio, not {type(portfolio).__name__}",
            hint="load one with load_portfolio(paths)",
        )
    if not isinstance(scenario, Scenario):
        raise UsageError(
            f"expected a Scenario, not {type(scenario).__name__}",
            hint="load one with load_scenario(path)",
        )
    return _Applier(portfolio, scenario).run()


class _Applier:
    """Applies one scenario's changes to drafts of every process, collecting problems."""

    def __init__(self, portfolio: Portfolio, scenario: Scenario) -> None:
        self.scenario = scenario
        self.source = scenario.source
        self.problems: list[Problem] = []
        self.automated: list[Automated] = []
        self.waits: list[RemovedWait] = []
        self.given = {p.id for p in portfolio.processes}
        self.drafts = [self._draft(p) for p in (*portfolio.processes, *portfolio.dependencies)]

    def _draft(self, process: Process) -> _Draft:
        text = process.source.text
        if text is None:
            raise SopkitError(
                f"process '{process.id}' was not read from a file, so a scenario cannot change it",
                path=self.scenario.path,
                hint="load the portfolio with load_portfolio",
            )
        data = parse_yaml(text, process.source.path).data
        steps = data.get("steps") or []
        return _Draft(
            original=process,
            current=process,
            data=data,
            steps=[_StepMeta(index) for index in range(len(steps))],
            expenses=[None] * len(data.get("expenses") or []),
            base=process.base_settings,
        )

    # --- running ----------------------------------------------------------------------

    def run(self) -> ToBe:
        for change in self.scenario.changes:
            saved = [draft.snapshot() for draft in self.drafts]
            before = len(self.problems)
            automated, carried = len(self.automated), len(self.waits)
            getattr(self, f"_{change.kind}")(change)
            if len(self.problems) == before:
                self._validate(change)
            if len(self.problems) > before:  # a change that fails is undone whole
                for draft, state in zip(self.drafts, saved, strict=True):
                    draft.restore(state)
                del self.automated[automated:]
                del self.waits[carried:]
        if self.problems:
            raise ValidationError.collect(self.problems)
        gone = {d.current.id for d in self.drafts if d.removed}
        kept = tuple(w for w in self.waits if w.process_id not in gone)
        return ToBe(self.scenario, self._portfolio(), tuple(self.automated), kept)

    def _validate(self, change: Change) -> None:
        """Validate every draft the change touched, as a process file is validated."""
        for draft in self.drafts:
            if not draft.dirty or draft.removed:
                continue
            located = _Located(draft, self.source)
            try:
                process = process_from_data(
                    draft.data,
                    located,
                    draft.base,
                    source_path=draft.original.source_path or located.path,
                    settings_path=draft.original.settings_path,
                )
            except SopkitError as exc:
                self.problems.extend(
                    _rehome(p, self.source, change.loc, "after this change") for p in exc.problems
                )
                continue
            draft.current = _without_time(process, draft.steps)
            draft.dirty = False

    def _portfolio(self) -> Portfolio:
        kept = [d for d in self.drafts if not d.removed]
        processes = {id(d): d.current.model_copy() for d in kept}
        by_id = {p.id: p for p in processes.values()}
        for process in processes.values():
            process.bind_callees(by_id)
        return Portfolio(
            tuple(processes[id(d)] for d in kept if d.original.id in self.given),
            tuple(processes[id(d)] for d in kept if d.original.id not in self.given),
        )

    # --- looking things up ------------------------------------------------------------

    def _fail(self, loc: Loc, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(self.source.problem(loc, message, hint=hint, key=key))

    def _process(self, loc: Loc, process_id: str) -> _Draft | None:
        for draft in self.drafts:
            if not draft.removed and draft.current.id == process_id:
                return draft
        removed = any(d.removed and d.current.id == process_id for d in self.drafts)
        known = sorted(d.current.id for d in self.drafts if not d.removed)
        close = closest(process_id, known)
        self._fail(
            loc,
            f"no process '{process_id}'" + (" (an earlier change removed it)" if removed else ""),
            hint=None
            if removed
            else f"did you mean '{close}'?"
            if close
            else "processes here: " + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""),
        )
        return None

    def _step(self, loc: Loc, draft: _Draft, step_id: str) -> int | None:
        index = draft.step_index(step_id)
        if index is None:
            ids = [s.get("id") for s in draft.data.get("steps") or [] if isinstance(s, dict)]
            known = [i for i in ids if isinstance(i, str)]
            close = closest(step_id, known)
            self._fail(
                loc,
                f"process '{draft.current.id}' has no step '{step_id}'",
                hint=f"did you mean '{close}'?"
                if close
                else "its steps: " + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""),
            )
        return index

    # --- the changes ------------------------------------------------------------------

    def _automate(self, change: Change) -> None:
        for loc, item in change.items():
            found = target(item, steps_only=True)
            if found is None or found[1] is None:
                continue  # not process/step ids: reported with the file's shape
            process_id, step_id = found[0], found[1]
            draft = self._process(loc, process_id)
            index = None if draft is None else self._step(loc, draft, step_id)
            if draft is None or index is None:
                continue
            step = draft.current.step(step_id)
            automation = step.automation
            if automation is None:
                done = any(
                    (a.process_id, a.step_id) == (process_id, step_id) for a in self.automated
                )
                self._fail(
                    loc,
                    f"step '{step_id}' of '{process_id}' has no automation to take as done",
                    hint="an earlier change automated it already"
                    if done
                    else "only a step with 'automation:' in its process file can be automated",
                )
                continue
            raw, meta = draft.data["steps"][index], draft.steps[index]
            if "automation" not in raw:  # named twice in this change
                self._fail(
                    loc,
                    f"step '{step_id}' of '{process_id}' has no automation to take as done",
                    hint="it is named twice; automate each step once",
                )
                continue
            del raw["automation"]
            assert step.time is not None  # automation is refused on steps without time
            remaining = 1 - automation.share
            if remaining == 0:
                meta.zero_time = True
            else:
                raw["time"] = _scaled(step.time, remaining)
            meta.fields["time"] = loc
            if automation.tool_cost:
                what = automation.tool or "automation"
                draft.data.setdefault("expenses", []).append(
                    {"name": f"{what} ({step_id})", "amount": automation.tool_cost, "per": "year"}
                )
                draft.expenses.append(loc)
            owner = draft.current.role(step.owner) if step.owner else None
            self.automated.append(
                Automated(
                    process_id=process_id,
                    step_id=step_id,
                    name=step.name,
                    owner=step.owner,
                    tool=automation.tool,
                    setup=automation.setup,
                    clock=draft.current.settings.clock,
                    rate=Decimal(0) if owner is None else owner.hourly_rate,
                )
            )
            draft.dirty = True

    def _rates(self, change: Change) -> None:
        self._roles(change, "rate")

    def _headcount(self, change: Change) -> None:
        self._roles(change, "headcount")

    def _roles(self, change: Change, field_name: str) -> None:
        """New values of one field of roles, wherever each role is defined."""
        live = [d for d in self.drafts if not d.removed]
        known = sorted({name for d in live for name in d.current.settings.roles})
        new_bases: dict[int, Settings] = {}
        done: set[tuple[int, str]] = set()
        for name, value in change.value.items():
            loc: Loc = (*change.loc, name)
            if name not in known:
                close = closest(str(name), known)
                self._fail(
                    loc,
                    f"no role '{name}'",
                    hint=f"did you mean '{close}'?"
                    if close
                    else "a scenario changes roles that roles.yaml or a process defines",
                    key=True,
                )
                continue
            for draft in live:
                if name in (draft.data.get("roles") or {}):
                    raw = draft.data["roles"][name]
                    if isinstance(raw, dict):
                        raw[field_name] = copy.deepcopy(value)
                        draft.fields[("roles", name, field_name)] = loc
                        draft.dirty = True
                base = new_bases.get(id(draft.base), draft.base)
                if name in base.roles and (id(draft.base), name) not in done:
                    done.add((id(draft.base), name))
                    new_bases[id(draft.base)] = self._role_value(base, name, field_name, value, loc)
                if name in draft.current.settings.roles:
                    draft.dirty = True
        for draft in live:
            if id(draft.base) in new_bases:
                draft.base = new_bases[id(draft.base)]

    def _role_value(
        self, base: Settings, name: str, field_name: str, value: Any, loc: Loc
    ) -> Settings:
        """The settings with one role's field changed, validated as a roles file is."""
        data = base.model_dump()
        data["roles"][name][field_name] = copy.deepcopy(value)
        overlay = _SettingsSource(self.source, {("roles", name, field_name): loc})
        try:
            return settings_from_data(data, overlay)
        except SopkitError as exc:
            self.problems.extend(exc.problems)
            return base

    def _set(self, change: Change) -> None:
        value, loc = change.value, change.loc
        draft = self._process((*loc, "process"), value["process"])
        if draft is None:
            return
        fields = {k: v for k, v in value.items() if k not in ("process", "step")}
        if "step" in value:
            index = self._step((*loc, "step"), draft, value["step"])
            if index is None:
                return
            raw, meta = draft.data["steps"][index], draft.steps[index]
            for name, new in fields.items():
                meta.fields[name] = (*loc, name)
                if name == "wait":  # a wait set anew is the step's own, whatever it carried
                    meta.carries, meta.own_wait = (), None
                if new is None:  # 'rework: null' removes the field, as if never written
                    raw.pop(name, None)
                    continue
                raw[name] = copy.deepcopy(new)
                if name == "time":
                    meta.zero_time = False
        else:
            if "id" in fields and fields["id"] != draft.current.id:
                clash = next(
                    (d for d in self.drafts if not d.removed and d.current.id == fields["id"]),
                    None,
                )
                if clash is not None:
                    self._fail(
                        (*loc, "id"),
                        f"process id '{fields['id']}' is already used by "
                        f"{clash.original.source_path}",
                        hint="ids are unique in a portfolio",
                    )
                    return
            for name, new in fields.items():
                kept = _added_expenses(draft) if name == "expenses" else []
                draft.data[name] = copy.deepcopy(new)
                draft.fields[(name,)] = (*loc, name)
                if name == "steps":
                    count = len(new) if isinstance(new, list) else 0
                    draft.steps = [_StepMeta(None) for _ in range(count)]
                elif name == "expenses":
                    draft.expenses = [None] * (len(new) if isinstance(new, list) else 0)
                    if kept and isinstance(draft.data["expenses"], list):
                        # The file's expenses are replaced; the tool costs the scenario's
                        # own 'automate' added to them stay.
                        draft.data["expenses"] += [entry for entry, _ in kept]
                        draft.expenses += [origin for _, origin in kept]
        draft.dirty = True

    def _remove(self, change: Change) -> None:
        for loc, item in change.items():
            found = target(item, steps_only=False)
            if found is None:
                continue  # not ids: reported with the file's shape
            process_id, step_id = found
            draft = self._process(loc, process_id)
            if draft is None:
                continue
            if step_id is None:
                self._remove_process(loc, draft)
            else:
                self._remove_step(loc, draft, step_id)

    def _remove_process(self, loc: Loc, draft: _Draft) -> None:
        process_id = draft.current.id
        for other in self.drafts:
            if other.removed or other is draft:
                continue
            for step in other.current.steps:
                if step.process == process_id:
                    self._fail(
                        loc,
                        f"step '{step.id}' of '{other.current.id}' runs '{process_id}'",
                        hint=f"remove that step first ('remove: {other.current.id}/{step.id}'), "
                        "or its process",
                    )
                    return
        draft.removed = True

    def _remove_step(self, loc: Loc, draft: _Draft, step_id: str) -> None:
        index = self._step(loc, draft, step_id)
        if index is None:
            return
        steps = draft.data["steps"]
        for raw in steps:
            rework = raw.get("rework")
            if (
                isinstance(rework, dict)
                and rework.get("to") == step_id
                and raw.get("id") != step_id
            ):
                self._fail(
                    loc,
                    f"step '{raw.get('id')}' sends work back to '{step_id}' (rework.to): "
                    f"removing '{step_id}' leaves it nowhere to go",
                    hint=f"first change that rework, e.g. 'set: {{process: {draft.current.id}, "
                    f"step: {raw.get('id')}, rework: null}}'",
                )
                return
        self._carry_wait(loc, draft, step_id)
        inherited = after_of(steps[index])
        for raw in steps:
            after = after_of(raw)
            if step_id not in after:
                continue
            rewired: list[str] = []
            for name in after:
                for new in inherited if name == step_id else [name]:
                    if new not in rewired and new != raw.get("id"):
                        rewired.append(new)
            raw["after"] = rewired
        del steps[index]
        del draft.steps[index]
        draft.dirty = True

    def _carry_wait(self, loc: Loc, draft: _Draft, step_id: str) -> None:
        """The removed step's wait onto the steps before it, where that holds back exactly
        what it held back; recorded either way, for the reports to say."""
        removed = draft.step_index(step_id)
        assert removed is not None
        meta = draft.steps[removed]
        record, carried = carried_wait(
            draft.current,
            draft.data["steps"],
            step_id,
            own=meta.own_wait,
            carries=meta.carries,
        )
        for pred, wait in carried.items():
            index = draft.step_index(pred)
            assert index is not None
            onto = draft.steps[index]
            if not onto.carries:  # as last validated: only a removal changes it meanwhile
                onto.own_wait = draft.current.step(pred).wait
            onto.carries = (*onto.carries, step_id, *meta.carries)
            draft.data["steps"][index]["wait"] = wait
            onto.fields["wait"] = loc  # a problem with it is the removal's
        if record is not None:
            self.waits.append(record)


class _SettingsSource(SourceMap):
    """Locations of a roles file's values a scenario changed: all in the scenario file."""

    __slots__ = ("_scenario", "_written")

    def __init__(self, scenario: SourceMap, written: dict[Loc, Loc]) -> None:
        super().__init__(scenario.path)
        self._scenario = scenario
        self._written = written

    def _inner(self, loc: Loc) -> Loc:
        for size in range(len(loc), 0, -1):
            if loc[:size] in self._written:
                return (*self._written[loc[:size]], *loc[size:])
        return next(iter(self._written.values()))

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        return self._scenario.locate(self._inner(loc), key=key)

    def problem(
        self, loc: Loc, message: str, *, hint: str | None = None, key: bool = False
    ) -> Problem:
        return self._scenario.problem(self._inner(loc), message, hint=hint, key=key)


def _rehome(problem: Problem, scenario: SourceMap, loc: Loc, when: str) -> Problem:
    """A problem in a process file that a change caused, reported at that change."""
    if problem.path == scenario.path:
        return problem
    where = problem.path or "the portfolio"
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    line, column = scenario.locate(loc)
    return Problem(
        f"{when}, {where}: {problem.message}",
        path=scenario.path,
        line=line,
        column=column,
        hint=problem.hint,
        step=problem.step,
        severity=problem.severity,
        code=problem.code,
        role=problem.role,
    )


# --- automation -------------------------------------------------------------------------


def _scaled(estimate: Estimate, factor: Decimal) -> Estimate:
    """``estimate`` × ``factor``, every point of a range alike (``1h..4h`` × 0.5 = ``30m..2h``)."""
    likely = None if estimate.likely is None else _scale(estimate.likely, factor)
    return Estimate(_scale(estimate.low, factor), likely, _scale(estimate.high, factor))


def _scale(duration: Duration, factor: Decimal) -> Duration:
    return Duration.of(
        weeks=duration.weeks * factor,
        days=duration.days * factor,
        hours=duration.hours * factor,
        minutes=duration.minutes * factor,
    )


_NO_TIME = Estimate(Duration(), Duration(), Duration())


def _without_time(process: Process, steps: Sequence[_StepMeta]) -> Process:
    """Steps automated whole (share 1) take no time: the model refuses a time of 0 in a
    file, so it is set after validation."""
    if not any(meta.zero_time for meta in steps):
        return process
    new_steps = [
        step.model_copy(update={"time": _NO_TIME}) if meta.zero_time else step
        for step, meta in zip(process.steps, steps, strict=True)
    ]
    changed = process.model_copy(update={"steps": new_steps})
    return changed.bind(
        process.base_settings,
        source=process.source,
        source_path=process.source_path,
        settings_path=process.settings_path,
    )


def _added_expenses(draft: _Draft) -> list[tuple[Any, Loc]]:
    """The process's expenses that this scenario's changes added (an automated step's
    tool cost), each with the change that added it."""
    entries = draft.data.get("expenses") or []
    return [
        (entry, origin)
        for entry, origin in zip(entries, draft.expenses, strict=False)
        if origin is not None
    ]
