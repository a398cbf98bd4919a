"""Scenario files: the changes that turn a portfolio As-Is into a To-Be, read and checked.

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

This module reads the file and checks the shape of each change, with every
problem located in the scenario file; ``apply`` makes the changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from ..errors import Problem, SopkitError, ValidationError
from ..models import Text, is_slug
from ..source import EmptyFileError, Loc, SourceMap, read_document
from ..suggest import closest

__all__ = [
    "CHANGE_KINDS",
    "Change",
    "Scenario",
    "load_scenario",
    "load_scenarios",
    "read_scenario",
    "target",
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


def load_scenarios(paths: Sequence[str | Path]) -> list[Scenario]:
    """Every scenario file read, in order, with the problems of all of them reported at once.

    Raises:
        ValidationError: every problem of every file, each located in its file.
    """
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except SopkitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError.collect(problems)
    return scenarios


def read_scenario(data: Any, source: SourceMap) -> Scenario:
    """A scenario from parsed YAML (``source`` says where each value is).

    Raises:
        ValidationError: with every problem, located through ``source``.
    """
    scenario, problems = read_scenario_parts(data, source)
    if problems:
        raise ValidationError.collect(problems)
    assert scenario is not None
    return scenario


def load_scenario_parts(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """``read_scenario_parts`` of a file; a file that cannot be read gives its one problem."""
    try:
        document = read_document(Path(path), display=str(path))
    except EmptyFileError as exc:  # its hint says how a process starts
        return None, [replace(p, hint=_EMPTY_HINT) for p in exc.problems]
    except SopkitError as exc:
        return None, list(exc.problems)
    return read_scenario_parts(document.data, document.source)


_EMPTY_HINT = "a scenario starts with 'sopkit-scenario: 1', 'name:' and 'changes:'"


def read_scenario_parts(data: Any, source: SourceMap) -> tuple[Scenario | None, list[Problem]]:
    """The scenario of the changes that read well, and the problems of the rest.

    So a caller can also apply those changes and report what applying them
    finds (an unknown step, say) in the same run as a mistyped change kind.
    ``None`` when the file is not a scenario at all.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [source.problem((), "a scenario is a mapping of fields", hint=_START_HINT)]
    if FORMAT_KEY not in data and "sopkit" in data and "steps" in data:
        return None, [
            source.problem((), "this is a process file, not a scenario", hint=_START_HINT)
        ]
    for key in data:
        if key not in _FIELDS:
            close = closest(str(key), _FIELDS)
            hint = f"did you mean '{close}'?" if close else "allowed here: " + ", ".join(_FIELDS)
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
    return Scenario(name or "", description, tuple(changes), source), problems


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
            close = closest(str(kind), CHANGE_KINDS)
            problems.append(
                source.problem(
                    (*loc, kind),
                    f"unknown change '{kind}'",
                    hint=f"did you mean '{close}'?" if close else f"use one of: {kinds}",
                    key=True,
                )
            )
            continue
        change = Change(kind, value, index)
        shape = _shape_problems(change, source)
        problems.extend(shape)
        # A change of the wrong shape cannot be applied (the others are); a list of targets
        # with a bad item still is, so its other targets are checked in the same run.
        if not shape or (kind in ("automate", "remove") and _targets(value)):
            found.append(change)
    return found


def _targets(value: Any) -> bool:
    """Whether an ``automate`` or ``remove`` value names targets: text, or a list of it."""
    return isinstance(value, str) or (isinstance(value, list) and bool(value))


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
            if target(item, steps_only=kind == "automate") is None:
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
        aimed = [t for key in value if (t := target(key, steps_only=False)) is not None]
        hint = "add 'process: <id>'"
        if len(aimed) == 1:  # set: {content-marketing/draft: {per_run: 2}}
            process_id, step_id = aimed[0]
            step = f", step: {step_id}" if step_id else ""
            hint = f"write it as set: {{process: {process_id}{step}, <field>: <value>}}"
        problems.append(source.problem(loc, "'set' names no process", hint=hint))
    elif not set(value) - {"process", "step"}:
        problems.append(
            source.problem(
                loc,
                "'set' changes no field",
                hint="give the fields and their new values, e.g. frequency: 6/month",
            )
        )
    return problems


def target(value: Any, *, steps_only: bool) -> tuple[str, str | None] | None:
    """``process/step`` → (process, step); ``process`` → (process, None); else ``None``."""
    if not isinstance(value, str):
        return None
    process_id, slash, step_id = value.partition("/")
    if not is_slug(process_id):
        return None
    if not slash:
        return None if steps_only else (process_id, None)
    return (process_id, step_id) if is_slug(step_id) else None
