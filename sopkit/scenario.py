"""Scenarios: a file of changes applied to a copy of a portfolio, As-Is → To-Be.

::

    sopkit-scenario: 1
    name: Automate drafting and hire a second editor
    changes:
      - automate: [content-marketing/draft]
      - rates: {Content Writer: 45}
      - headcount: {Editor: 2}
      - set: {process: content-marketing, frequency: 6/month}
      - set: {process: content-marketing, step: edit, rework: {to: draft, probability: 0.1}}
      - remove: content-marketing/graphics

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
import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from .errors import Problem, SopkitError, ValidationError
from .load import Portfolio, process_from_data, settings_from_data
from .models import Clock, Duration, Estimate, Process, Settings, Text, is_slug
from .source import Loc, SourceMap, parse_yaml, read_document

__all__ = [
    "CHANGE_KINDS",
    "Automated",
    "Change",
    "Scenario",
    "ToBe",
    "apply_scenario",
    "load_scenario",
    "read_scenario",
]

#: The first key of a scenario file and the version this sopkit reads.
FORMAT_KEY = "sopkit-scenario"
FORMAT_VERSION = 1
#: The kinds of change, each a one-key mapping in ``changes``.
CHANGE_KINDS = ("automate", "rates", "headcount", "set", "remove")
_FIELDS = (FORMAT_KEY, "name", "description", "changes")
_START_HINT = "a scenario starts with 'sopkit-scenario: 1', 'name:' and 'changes:'"


# --- the file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of ``changes``: its kind, the value as written and its place in the file."""

    kind: str
    value: Any
    index: int

    @property
    def loc(self) -> Loc:
        """Where the change's value is in the scenario file."""
        return ("changes", self.index, self.kind)

    def items(self) -> Iterator[tuple[Loc, Any]]:
        """Each named item of an ``automate`` or ``remove`` (one value or a list), located."""
        if isinstance(self.value, list):
            for position, item in enumerate(self.value):
                yield (*self.loc, position), item
        else:
            yield self.loc, self.value


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario file, read and checked on its own (its targets are checked when applied)."""

    name: str
    description: str | None
    changes: tuple[Change, ...]
    source: SourceMap

    @property
    def path(self) -> str:
        return self.source.path


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file.

    Raises:
        SopkitError: with every problem of the file, located in it.
    """
    document = read_document(Path(path), display=str(path))
    return read_scenario(document.data, document.source)


def read_scenario(data: Any, source: SourceMap) -> Scenario:
    """A scenario from parsed YAML (``source`` says where each value is).

    Raises:
        ValidationError: with every problem, located through ``source``.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationError.collect(
            [source.problem((), "a scenario is a mapping of fields", hint=_START_HINT)]
        )
    if FORMAT_KEY not in data and "sopkit" in data and "steps" in data:
        raise ValidationError.collect(
            [source.problem((), "this is a process file, not a scenario", hint=_START_HINT)]
        )
    for key in data:
        if key not in _FIELDS:
            close = difflib.get_close_matches(str(key), _FIELDS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(_FIELDS)
            problems.append(source.problem((key,), f"unknown field '{key}'", hint=hint, key=True))
    if FORMAT_KEY not in data:
        hint = "add 'sopkit-scenario: 1' as the first line"
        problems.append(source.problem((), f"missing required field '{FORMAT_KEY}'", hint=hint))
    elif data[FORMAT_KEY] is True or data[FORMAT_KEY] != FORMAT_VERSION:
        problems.append(
            source.problem(
                (FORMAT_KEY,),
                "unsupported scenario format version",
                hint="this sopkit reads scenario version 1: 'sopkit-scenario: 1'",
            )
        )
    name = _text(data, "name", source, problems, required=True)
    description = _text(data, "description", source, problems, required=False)
    changes = _changes(data, source, problems)
    if problems:
        raise ValidationError.collect(problems)
    return Scenario(name or "", description, tuple(changes), source)


_TEXT: TypeAdapter[str] = TypeAdapter(Text)


def _text(
    data: dict[str, Any], key: str, source: SourceMap, problems: list[Problem], *, required: bool
) -> str | None:
    if key not in data:
        if required:
            problems.append(
                source.problem(
                    (),
                    f"missing required field '{key}'",
                    hint="add 'name: …', what the scenario tries, e.g. Automate drafting",
                )
            )
        return None
    try:
        return _TEXT.validate_python(data[key])
    except PydanticError as exc:
        message = exc.errors()[0]["msg"]
        problems.append(source.problem((key,), f"{key}: {message[:1].lower()}{message[1:]}"))
        return None


def _changes(data: dict[str, Any], source: SourceMap, problems: list[Problem]) -> list[Change]:
    if "changes" not in data:
        problems.append(
            source.problem(
                (),
                "missing required field 'changes'",
                hint="add 'changes:' with a list of automate, rates, headcount, set or remove",
            )
        )
        return []
    raw = data["changes"]
    if not isinstance(raw, list) or not raw:
        problems.append(
            source.problem(
                ("changes",),
                "'changes' is a list of at least one change",
                hint="write each change as a list item, e.g. '- automate: [process/step]'",
            )
        )
        return []
    found = []
    kinds = ", ".join(CHANGE_KINDS)
    for index, item in enumerate(raw):
        loc: Loc = ("changes", index)
        if not isinstance(item, dict) or len(item) != 1:
            problems.append(
                source.problem(
                    loc,
                    f"change {index + 1} is not one of {kinds}",
                    hint="write one kind of change per list item, e.g. '- remove: process/step'",
                )
            )
            continue
        ((kind, value),) = item.items()
        if kind not in CHANGE_KINDS:
            close = difflib.get_close_matches(str(kind), CHANGE_KINDS, n=1, cutoff=0.6)
            problems.append(
                source.problem(
                    (*loc, kind),
                    f"unknown change '{kind}'",
                    hint=f"did you mean '{close[0]}'?" if close else f"use one of: {kinds}",
                    key=True,
                )
            )
            continue
        change = Change(kind, value, index)
        problems.extend(_shape_problems(change, source))
        found.append(change)
    return found


def _shape_problems(change: Change, source: SourceMap) -> list[Problem]:
    """What a change must look like before any target is looked up."""
    kind, value, loc = change.kind, change.value, change.loc
    if kind in ("automate", "remove"):
        example = "process/step" if kind == "automate" else "process/step or process"
        if isinstance(value, list) and not value:
            return [source.problem(loc, f"'{kind}' names nothing", hint=f"name {example}")]
        if not isinstance(value, str | list):
            return [source.problem(loc, f"'{kind}' names {example}, or a list of them")]
        problems = []
        what = "a step" if kind == "automate" else "a step or a process"
        for item_loc, item in change.items():
            if _target(item, steps_only=kind == "automate") is None:
                problems.append(
                    source.problem(
                        item_loc,
                        f"'{item}' is not {what}",
                        hint=f"write {example} with their ids, e.g. content-marketing/draft",
                    )
                )
        return problems
    if kind in ("rates", "headcount"):
        if not isinstance(value, dict) or not value:
            what = "an hourly rate" if kind == "rates" else "a number of people"
            return [
                source.problem(
                    loc,
                    f"'{kind}' maps role names to {what}",
                    hint="e.g. {Content Writer: 45}" if kind == "rates" else "e.g. {Editor: 2}",
                )
            ]
        return []
    # set
    if not isinstance(value, dict):
        return [
            source.problem(
                loc,
                "'set' is a mapping: process, step (optional) and the fields to change",
                hint="e.g. {process: content-marketing, step: edit, time: 2h}",
            )
        ]
    problems = []
    for key in ("process", "step"):
        if key in value and not (isinstance(value[key], str) and is_slug(value[key])):
            problems.append(source.problem((*loc, key), f"'{key}' is the id of a {key}"))
    if "process" not in value:
        problems.append(source.problem(loc, "'set' names no process", hint="add 'process: <id>'"))
    elif not set(value) - {"process", "step"}:
        problems.append(
            source.problem(
                loc,
                "'set' changes no field",
                hint="give the fields and their new values, e.g. frequency: 6/month",
            )
        )
    return problems


def _target(value: Any, *, steps_only: bool) -> tuple[str, str | None] | None:
    """``process/step`` → (process, step); ``process`` → (process, None); else ``None``."""
    if not isinstance(value, str):
        return None
    process_id, slash, step_id = value.partition("/")
    if not is_slug(process_id):
        return None
    if not slash:
        return None if steps_only else (process_id, None)
    return (process_id, step_id) if is_slug(step_id) else None


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
    """A portfolio after a scenario's changes, and the automations it took as done."""

    scenario: Scenario
    portfolio: Portfolio
    automated: tuple[Automated, ...] = ()

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
        SopkitError: with every problem, each located in the scenario file.
    """
    return _Applier(portfolio, scenario).run()


class _Applier:
    """Applies one scenario's changes to drafts of every process, collecting problems."""

    def __init__(self, portfolio: Portfolio, scenario: Scenario) -> None:
        self.scenario = scenario
        self.source = scenario.source
        self.problems: list[Problem] = []
        self.automated: list[Automated] = []
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
            automated = len(self.automated)
            getattr(self, f"_{change.kind}")(change)
            if len(self.problems) == before:
                self._validate(change)
            if len(self.problems) > before:  # a change that fails is undone whole
                for draft, state in zip(self.drafts, saved, strict=True):
                    draft.restore(state)
                del self.automated[automated:]
        if self.problems:
            raise ValidationError.collect(self.problems)
        return ToBe(self.scenario, self._portfolio(), tuple(self.automated))

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
        close = difflib.get_close_matches(process_id, known, n=1, cutoff=0.6)
        self._fail(
            loc,
            f"no process '{process_id}'" + (" (an earlier change removed it)" if removed else ""),
            hint=None
            if removed
            else f"did you mean '{close[0]}'?"
            if close
            else "processes here: " + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""),
        )
        return None

    def _step(self, loc: Loc, draft: _Draft, step_id: str) -> int | None:
        index = draft.step_index(step_id)
        if index is None:
            ids = [s.get("id") for s in draft.data.get("steps") or [] if isinstance(s, dict)]
            known = [i for i in ids if isinstance(i, str)]
            close = difflib.get_close_matches(step_id, known, n=1, cutoff=0.6)
            self._fail(
                loc,
                f"process '{draft.current.id}' has no step '{step_id}'",
                hint=f"did you mean '{close[0]}'?"
                if close
                else "its steps: " + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""),
            )
        return index

    # --- the changes ------------------------------------------------------------------

    def _automate(self, change: Change) -> None:
        for loc, item in change.items():
            process_id, step_id = _target(item, steps_only=True) or ("", None)
            assert step_id is not None
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
                close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
                self._fail(
                    loc,
                    f"no role '{name}'",
                    hint=f"did you mean '{close[0]}'?"
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
                raw[name] = copy.deepcopy(new)
                meta.fields[name] = (*loc, name)
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
                draft.data[name] = copy.deepcopy(new)
                draft.fields[(name,)] = (*loc, name)
                if name == "steps":
                    count = len(new) if isinstance(new, list) else 0
                    draft.steps = [_StepMeta(None) for _ in range(count)]
                elif name == "expenses":
                    draft.expenses = [None] * (len(new) if isinstance(new, list) else 0)
        draft.dirty = True

    def _remove(self, change: Change) -> None:
        for loc, item in change.items():
            process_id, step_id = _target(item, steps_only=False) or ("", None)
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
        inherited = _after(steps[index])
        for raw in steps:
            after = _after(raw)
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


def _after(raw: dict[str, Any]) -> list[str]:
    after = raw.get("after", [])
    return [after] if isinstance(after, str) else list(after) if isinstance(after, list) else []


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
    )


# --- automation -------------------------------------------------------------------------


def _scaled(estimate: Estimate, factor: Decimal) -> Estimate:
    """``estimate`` × ``factor``, every point of a range alike (``1h..4h`` × 0.5 = ``30m..2h``)."""
    likely = None if estimate.likely is None else _scale(estimate.likely, factor)
    return Estimate(_scale(estimate.low, factor), likely, _scale(estimate.high, factor))


def _scale(duration: Duration, factor: Decimal) -> Duration:
    parts = {
        "w": duration.weeks * factor,
        "d": duration.days * factor,
        "h": duration.hours * factor,
        "m": duration.minutes * factor,
    }
    text = "".join(f"{format(v.normalize(), 'f')}{unit}" for unit, v in parts.items() if v)
    return Duration(
        minutes=parts["m"], hours=parts["h"], days=parts["d"], weeks=parts["w"], text=text or "0"
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
