"""From files to validated models: process files, ``roles.yaml`` and portfolios.

Loading reports every problem of every file it reads before giving up, so a
user fixes a folder in one pass instead of one error per run.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from .errors import InputError, Problem, SopkitError, UsageError, ValidationError
from .graph import Flow
from .models import (
    Automation,
    Condition,
    Due,
    Expense,
    Process,
    Review,
    Rework,
    Role,
    Settings,
    Step,
    WorkingCalendar,
)
from .models.steps import COUNT_WITHOUT_PROCESS, NOT_EMPTY
from .models.values import PLAIN_NUMBER, plain_amount_hint
from .source import Document, EmptyFileError, Loc, SourceMap, read_document
from .suggest import closest, edit_distance
from .validate import Shape, check_meaning, check_process, check_structure

if TYPE_CHECKING:  # networkx takes ~80 ms to import; see sopkit.graph
    import networkx as nx

__all__ = [
    "ROLES_FILENAMES",
    "Portfolio",
    "as_paths",
    "callers_of",
    "discover",
    "find_roles_file",
    "load_portfolio",
    "load_process",
    "load_settings",
    "process_from_data",
    "process_ids_in",
    "with_callers",
    "settings_from_data",
]

ROLES_FILENAMES = ("roles.yaml", "roles.yml")
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The processes a report covers; they share one currency so totals add up."""

    processes: tuple[Process, ...]
    #: Processes loaded only because a process of the portfolio runs them: they are
    #: costed inside their callers, never as rows of their own.
    dependencies: tuple[Process, ...] = ()

    @property
    def currency(self) -> str:
        return self.processes[0].settings.currency if self.processes else "USD"

    def __iter__(self) -> Iterator[Process]:
        return iter(self.processes)

    def __len__(self) -> int:
        return len(self.processes)


# --- discovery ------------------------------------------------------------------


def as_paths(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[str | Path]:
    """One path or several, as a list: a lone string is one path, not its characters.

    Raises:
        UsageError: an empty path (it would name the current folder).
    """
    items = [paths] if isinstance(paths, str | PathLike) else list(paths)
    found: list[str | Path] = []
    for item in items:
        if isinstance(item, PathLike):
            item = Path(item)
        if isinstance(item, str) and not item.strip():
            raise UsageError("an empty path", hint="name a process file or a folder, e.g. '.'")
        found.append(item)
    return found


def discover(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Process files named directly or found under folders, sorted, roles files skipped."""
    paths = as_paths(paths)
    found: list[Path] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk(path, problems))
        elif path.name in ROLES_FILENAMES and path.is_file():
            continue  # `sopkit cost processes/*.yaml` names the roles file too
        elif path.exists():
            found.append(path)
        else:
            problems.append(
                Problem("no such file or folder", path=str(path), hint="check the path")
            )
    if problems:
        raise InputError.collect(problems)
    unique = list(dict.fromkeys(found))
    if not unique:
        shown = ", ".join(str(p) for p in paths) or "."
        raise InputError(
            "no process files found",
            path=shown,
            hint="process files end in .yaml or .yml; roles.yaml is not a process",
        )
    return unique


def _walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """Process files under ``folder``: hidden entries skipped, linked folders not followed.

    A folder that cannot be listed (no permission, an I/O error) is refused,
    not skipped: skipping it would quietly drop its processes from every total.
    """
    root = folder.resolve()
    files: list[Path] = []
    refused: set[str] = set()

    def refuse(error: OSError, where: str | None = None) -> None:
        shown = where or str(error.filename or folder)
        if shown in refused:
            return
        refused.add(shown)
        problems.append(
            Problem(
                f"cannot read this folder: {error.strerror or error}",
                path=shown,
                hint="make it readable (e.g. chmod -R u+rX), or name only the folders to read",
            )
        )

    for dirpath, dirnames, filenames in os.walk(folder, onerror=refuse):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = here / name
            if name.startswith(".") or path.suffix not in _SUFFIXES or name in ROLES_FILENAMES:
                continue
            try:
                if not path.is_file():
                    continue
                outside = path.is_symlink() and not path.resolve().is_relative_to(root)
            except OSError as error:  # a folder that can be listed but not entered
                refuse(error, dirpath)
                continue
            if outside:
                problems.append(
                    Problem(
                        "symbolic link points outside the input folder",
                        path=str(path),
                        hint="copy the file into the folder instead of linking to it",
                    )
                )
                continue
            files.append(path)
    return sorted(files, key=lambda p: p.as_posix())


def find_roles_file(process_path: Path) -> Path | None:
    """``roles.yaml`` next to the process, or in the nearest parent folder."""
    folder = process_path.resolve().parent
    for candidate_dir in (folder, *folder.parents):
        for name in ROLES_FILENAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
    return None


# --- loading --------------------------------------------------------------------


_EMPTY_ROLES_HINT = "a roles file has 'currency:' and 'roles:', e.g. roles: {Designer: {rate: 55}}"


def load_settings(path: str | Path) -> Settings:
    """Read a ``roles.yaml``: currency, calendar and hourly rates."""
    shown = str(path)
    try:
        document = read_document(Path(path), display=shown, defer=True)
    except EmptyFileError as exc:  # its hint says how a process starts
        raise ValidationError.collect(
            [replace(p, hint=_EMPTY_ROLES_HINT) for p in exc.problems]
        ) from None
    if not isinstance(document.data, dict):
        raise ValidationError(
            f"a roles file is a mapping of settings, not {_kind(document.data)}",
            path=shown,
            line=1,
            column=1,
            hint="start it with 'currency: USD' and 'roles:'",
        )
    try:
        settings = settings_from_data(document.data, document.source)
    except SopkitError as exc:
        found = [*document.problems, *exc.problems]
        raise ValidationError.collect(_dedupe(found, document.problems)) from None
    if document.problems:
        raise ValidationError.collect(document.problems)
    return settings


def settings_from_data(data: Any, source: SourceMap) -> Settings:
    """Validate the settings of a roles file from raw data, as ``load_settings`` does.

    Raises:
        ValidationError: with every problem, located through ``source``.
    """
    return _validate(Settings, data, source, _SETTINGS_FIELDS)


def load_process(
    path: str | Path,
    *,
    roles: str | Path | Settings | None = None,
) -> Process:
    """Load, validate and bind one process file.

    Args:
        path: the process file.
        roles: a ``roles.yaml`` path or loaded settings; by default the nearest
            ``roles.yaml`` next to the file or in a parent folder.

    Raises:
        SopkitError: with every problem found in the file.
    """
    cache: dict[Path, Settings | SopkitError] = {}
    folders: dict[Path, tuple[Path, Path] | None] = {}
    try:
        process = _load_one(Path(path), roles, cache, folders)
    except SopkitError as exc:
        calls = _unknown_calls([], [Path(path)])
        raise ValidationError.collect(_dedupe(_with_calls(list(exc.problems), calls))) from None
    _, problems = _link([process], roles, cache, folders)
    if problems:
        raise ValidationError.collect(_dedupe(problems))
    return process


def load_portfolio(
    paths: str | Path | Sequence[str | Path],
    *,
    roles: str | Path | Settings | None = None,
    one_currency: bool = True,
) -> Portfolio:
    """Load every process under the given files and folders, reporting all problems at once.

    Args:
        paths: process files and folders.
        roles: a ``roles.yaml`` path or loaded settings instead of the nearest one.
        one_currency: refuse processes in different currencies (a portfolio's totals
            add up); ``validate`` checks a whole library of portfolios without it.
    """
    files = discover(paths)
    cache: dict[Path, Settings | SopkitError] = {}
    folders: dict[Path, tuple[Path, Path] | None] = {}
    processes: list[Process] = []
    problems: list[Problem] = []
    failed: list[Path] = []
    for file in files:
        try:
            processes.append(_load_one(file, roles, cache, folders))
        except SopkitError as exc:
            problems.extend(exc.problems)
            failed.append(file)
    problems.extend(_portfolio_problems(processes, one_currency=one_currency))
    if problems:  # a broken roles.yaml shared by several processes is reported once
        problems = _with_calls(problems, _unknown_calls(processes, failed))
        raise ValidationError.collect(_dedupe(problems))
    dependencies, problems = _link(processes, roles, cache, folders)
    if problems:
        raise ValidationError.collect(_dedupe(problems))
    return Portfolio(tuple(processes), tuple(dependencies))


def _load_one(
    path: Path,
    roles: str | Path | Settings | None,
    cache: dict[Path, Settings | SopkitError],
    folders: dict[Path, tuple[Path, Path] | None],
) -> Process:
    shown = str(path)
    document = read_document(path, display=shown, defer=True)
    # The roles file and the process's own fields are checked together, so one run
    # shows both; the checks across steps need both to be sound.
    problems: list[Problem] = []
    meaning = True
    try:
        settings, settings_path = _settings_for(path, roles, cache, folders)
    except SopkitError as exc:
        problems.extend(exc.problems)
        settings, settings_path = Settings(), None
        stand_in = _stand_in_settings(path, roles, folders)
        if stand_in is None:
            meaning = False
        else:
            settings, settings_path = stand_in
    return _build(
        document.data,
        document.source,
        shown,
        settings,
        settings_path,
        problems,
        meaning=meaning,
        parsed=document.problems,
    )


def _stand_in_settings(
    path: Path,
    roles: str | Path | Settings | None,
    folders: dict[Path, tuple[Path, Path] | None],
) -> tuple[Settings, Path] | None:
    """Settings standing in for a roles file with problems (reported already), so the
    process's own meaning is checked in the same run: an owner no role is named for.

    Every role the file names is kept (one whose fields are wrong as a role with a
    rate of 0, so it is not reported again as missing); the file's other fields
    fall back to their defaults. ``None`` when the file is not a mapping of roles.
    """
    if isinstance(roles, Settings):
        return None
    found = Path(roles) if roles is not None else (_nearest_roles_file(path, folders) or (None,))[0]
    if found is None:
        return None
    try:
        data = read_document(found, defer=True).data
    except SopkitError:
        return None
    named = data.get("roles") if isinstance(data, dict) else None
    if not isinstance(named, dict):
        return None
    stand_ins: dict[str, Role] = {}
    for name, fields in named.items():
        try:
            stand_ins[str(name)] = Role.model_validate(fields)
        except pydantic.ValidationError:
            stand_ins[str(name)] = Role(rate=Decimal(0))
    return Settings(roles=stand_ins), found


def process_from_data(
    data: Any,
    source: SourceMap,
    settings: Settings,
    *,
    source_path: str,
    settings_path: str | None = None,
) -> Process:
    """Validate and bind a process from raw data, exactly as loading its file would.

    A scenario changes a process's data and checks it with this, so a value it
    sets is judged by the same rules, with the same messages, as one in the
    file; ``source`` says where each value was written.

    Raises:
        ValidationError: with every problem, located through ``source``.
    """
    return _build(data, source, source_path, settings, settings_path, [])


def _build(
    data: Any,
    source: SourceMap,
    shown: str,
    settings: Settings,
    settings_path: Path | str | None,
    problems: list[Problem],
    *,
    meaning: bool = True,
    parsed: Sequence[Problem] = (),
) -> Process:
    # Rates and the calendar come from the settings: without them, only the
    # structure of the file can be checked. ``parsed`` are the problems the parse
    # read past (a duplicate key, an impossible date): reported here, with the rest.
    meaning = meaning and not [p for p in problems if p.path == shown]
    problems.extend(parsed)
    if not isinstance(data, dict):
        problems.append(
            Problem(
                f"a process is a mapping of fields, not {_kind(data)}",
                path=shown,
                line=1,
                column=1,
                hint="start the file with 'sopkit: 1', 'id:', 'name:' and 'steps:'",
            )
        )
        raise ValidationError.collect(problems)
    if "sopkit-scenario" in data and "sopkit" not in data:
        # One line that says what the file is, not a field error for every key of it.
        problems.append(
            source.problem(
                ("sopkit-scenario",),
                "this is a scenario file, not a process",
                hint="keep scenarios out of the process folders; pass them to sopkit "
                "compare or sopkit build with --scenario",
                key=True,
            )
        )
        raise ValidationError.collect(problems)
    if _is_roles_file(data):
        first = next(iter(data))
        problems.append(
            source.problem(
                (first,),
                "this is a roles file (currency, calendar and rates), not a process",
                hint="name it roles.yaml beside the process files, or pass it with --roles",
                key=True,
            )
        )
        raise ValidationError.collect(problems)
    bind = {
        "source": source,
        "source_path": shown,
        "settings_path": None if settings_path is None else str(settings_path),
    }
    process, field_problems, wrong = _check(Process, data, source, _PROCESS_FIELDS)
    if process is None:
        # Report every problem of the file in one run: the field errors, the
        # structure (which reads the raw data), and the meaning of every step that
        # is valid on its own.
        problems.extend(field_problems)
        # A value the fields refuse (after: [Research], not an id) is one mistake: the
        # structure's "names no step" about the same value would say it again.
        refused = {(p.path, p.line, p.column) for p in field_problems}
        structure = check_structure(Shape.read(data), source)
        problems.extend(p for p in structure if (p.path, p.line, p.column) not in refused)
        salvaged = _salvage(data, wrong) if meaning else None
        if salvaged is not None:
            partial, indices = salvaged
            partial.bind(settings, **bind)  # type: ignore[arg-type]
            kept = list(zip(indices, partial.steps, strict=True))
            problems.extend(check_meaning(partial, kept, left_out=_left_out(data, indices)))
        raise ValidationError.collect(_dedupe(problems, parsed))
    process.bind(settings, **bind)  # type: ignore[arg-type]
    if meaning:
        problems.extend(check_process(process))
    else:
        problems.extend(check_structure(Shape.of(process), source))
    if problems:
        raise ValidationError.collect(_dedupe(problems, parsed))
    return process


def _left_out(data: dict[str, Any], kept: Sequence[int]) -> frozenset[str]:
    """The ids of the steps ``_salvage`` left out: a ``due`` may name one that exists."""
    kept_at = set(kept)
    return frozenset(
        step["id"]
        for index, step in enumerate(_steps_of(data))
        if index not in kept_at and isinstance(step.get("id"), str)
    )


def _is_roles_file(data: dict[Any, Any]) -> bool:
    """A roles file given as a process: nothing but a roles file's fields (a process's
    own ``roles:`` alone is no process either: it has no id, name or steps)."""
    keys = set(data)
    return bool(keys) and keys <= set(Settings.model_fields)


#: Placeholders for required fields of a process whose own value is wrong (and reported),
#: so the checks of its valid steps still run.
_PLACEHOLDERS: dict[str, Any] = {"sopkit": 1, "id": "x", "name": "x", "owner": "x"}


def _salvage(data: dict[str, Any], wrong: Sequence[Loc]) -> tuple[Process, list[int]] | None:
    """The process without its invalid parts, and the file index of each step kept.

    A step with a wrong field is kept without it (a wrong ``time`` stands in as
    ``1h``), so its other fields are still checked: an owner misspelt beside a
    time in the wrong unit is reported in the same run. A step that is wrong as
    a whole, or still wrong without its wrong fields, is left out. Process fields
    with a problem are dropped or replaced by placeholders. ``None`` when nothing
    sound is left.
    """
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list):
        return None
    bad_steps: set[int] = set()
    bad_step_fields: dict[int, set[str]] = {}
    bad_fields: set[str] = set()
    for loc in wrong:
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            if len(loc) >= 3 and isinstance(loc[2], str):
                bad_step_fields.setdefault(loc[1], set()).add(loc[2])
            else:
                bad_steps.add(loc[1])
        elif loc:
            bad_fields.add(str(loc[0]))
        else:
            return None  # the whole document is wrong: nothing to salvage
    if "steps" in bad_fields:
        return None
    fields = {k: v for k, v in data.items() if k not in bad_fields}
    fields.update({k: _PLACEHOLDERS[k] for k in bad_fields if k in _PLACEHOLDERS})
    repaired: dict[int, Any] = {}
    for index, names in bad_step_fields.items():
        step = _without(raw_steps[index], names)
        if step is not None and index not in bad_steps:
            repaired[index] = step
    # The steps mended, then (should the whole not validate with them) only the sound ones.
    for mend in (True, False) if repaired else (False,):
        kept = [
            i
            for i in range(len(raw_steps))
            if i not in bad_steps and (i not in bad_step_fields or (mend and i in repaired))
        ]
        if not kept:
            return None
        fields["steps"] = [repaired.get(i, raw_steps[i]) for i in kept]
        try:
            return Process.model_validate(fields), kept
        except pydantic.ValidationError:
            continue
    return None


#: What a step's wrong field stands in as, so the rest of the step can be checked.
_STEP_PLACEHOLDERS: dict[str, Any] = {"time": "1h"}


def _without(step: Any, names: set[str]) -> dict[str, Any] | None:
    """``step`` without the fields ``names`` (stand-ins where it needs one), or ``None``
    when that is still not a valid step."""
    if not isinstance(step, dict):
        return None
    kept = {k: v for k, v in step.items() if k not in names}
    stand_ins = {k: _STEP_PLACEHOLDERS[k] for k in names if k in _STEP_PLACEHOLDERS}
    for candidate in (kept, {**kept, **stand_ins}):
        try:
            Step.model_validate(candidate)
        except pydantic.ValidationError:
            continue
        return candidate
    return None


def _settings_for(
    path: Path,
    roles: str | Path | Settings | None,
    cache: dict[Path, Settings | SopkitError],
    folders: dict[Path, tuple[Path, Path] | None],
) -> tuple[Settings, Path | None]:
    if isinstance(roles, Settings):
        return roles, None
    if roles is not None:
        roles_path = Path(roles)
        key = roles_path.resolve()
    else:
        nearest = _nearest_roles_file(path, folders)
        if nearest is None:
            return Settings(), None
        roles_path, key = nearest
    if key not in cache:
        try:
            cache[key] = load_settings(roles_path)
        except SopkitError as exc:  # read a broken roles file once, however many use it
            cache[key] = exc
    found = cache[key]
    if isinstance(found, SopkitError):
        raise found
    return found, roles_path


def _nearest_roles_file(
    path: Path, folders: dict[Path, tuple[Path, Path] | None]
) -> tuple[Path, Path] | None:
    """``find_roles_file`` and its resolved path, looked up once per folder.

    Both take a few system calls per file, which adds up over thousands of files.
    A symbolic link is looked up on its own: its roles file is the one by its target.
    """
    if path.is_symlink():
        found = find_roles_file(path)
        return None if found is None else (_as_given(found, path), found.resolve())
    folder = path.parent
    if folder not in folders:
        found = find_roles_file(path)
        folders[folder] = None if found is None else (_as_given(found, path), found.resolve())
    return folders[folder]


def _as_given(found: Path, process_path: Path) -> Path:
    """The roles file as messages show it: from the current folder when the process
    was named from it (``roles.yaml``, ``../roles.yaml``), else in full."""
    if process_path.is_absolute():
        return found
    try:
        return Path(os.path.relpath(found))
    except ValueError:  # another drive (Windows)
        return found


def _portfolio_problems(processes: list[Process], *, one_currency: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Process] = {}
    for process in processes:
        first = seen.setdefault(process.id, process)
        if first is not process:
            problems.append(
                process.source.problem(
                    ("id",),
                    f"process id '{process.id}' is also used by {first.source_path}",
                    hint="ids are unique in a portfolio; rename one",
                )
            )
    currencies = sorted({p.settings.currency for p in processes})
    if one_currency and len(currencies) > 1:
        where = {p.settings.currency: p.settings_path or p.source_path for p in reversed(processes)}
        listed = ", ".join(f"{c} ({where[c]})" for c in currencies)
        problems.append(
            Problem(
                f"these processes use more than one currency: {listed}",
                path=processes[0].source_path,
                hint="totals cannot add different currencies; "
                "report on each currency's folder separately",
            )
        )
    return problems


# --- processes that run other processes ---------------------------------------------


def _link(
    processes: list[Process],
    roles: str | Path | Settings | None,
    cache: dict[Path, Settings | SopkitError],
    folders: dict[Path, tuple[Path, Path] | None],
) -> tuple[list[Process], list[Problem]]:
    """Bind every called process to its callers, loading the ones not given from the
    caller's folder; refuse unknown ids, call cycles and mixed currencies.

    Returns the processes loaded only for calls, and the problems found.
    """
    by_id: dict[str, Process] = {}
    for process in processes:
        by_id.setdefault(process.id, process)
    dependencies: list[Process] = []
    problems: list[Problem] = []
    ids_in: dict[Path, dict[str, Path]] = {}
    queue = list(processes)
    while queue:
        process = queue.pop(0)
        for index, step in enumerate(process.steps):
            if step.process is None or step.process in by_id:
                continue
            folder = Path(process.source_path).parent if process.source_path else None
            found = None if folder is None else _ids_in(folder, ids_in).get(step.process)
            if found is None:
                known = {*by_id, *(_ids_in(folder, ids_in) if folder else {})}
                problems.append(
                    _unknown_callee(process.source, index, step.id, step.process, known)
                )
                continue
            try:
                callee = _load_one(found, roles, cache, folders)
            except SopkitError as exc:
                problems.extend(exc.problems)
                continue
            by_id[callee.id] = callee
            dependencies.append(callee)
            queue.append(callee)
    for process in [*processes, *dependencies]:
        process.bind_callees(by_id)
    if not problems:
        problems.extend(_call_problems([*processes, *dependencies]))
    return dependencies, problems


def _unknown_callee(
    source: SourceMap, index: int, step_id: object, callee: str, known: Iterable[str]
) -> Problem:
    close = closest(callee, sorted(known))
    return source.problem(
        ("steps", index, "process"),
        f"step '{step_id}' runs process '{callee}', which is not among the files given nor "
        "in the same folder",
        hint=f"did you mean '{close}'?"
        if close
        else "give the id of a process file in the same folder",
    )


def _with_calls(problems: list[Problem], calls: list[Problem]) -> list[Problem]:
    """``problems`` and the unknown callees: a callee already refused where it is written
    (``speaker_prep`` is not a valid id) lends that error its "did you mean" rather than
    making a second line about the same value."""
    found = list(problems)
    at = {(p.path, p.line, p.column): index for index, p in enumerate(found)}
    for call in calls:
        index = at.get((call.path, call.line, call.column))
        if index is None:
            found.append(call)
        elif call.hint and call.hint.startswith("did you mean"):
            known = found[index]
            found[index] = replace(known, hint=" ".join(filter(None, (call.hint, known.hint))))
    return found


def _unknown_calls(loaded: Sequence[Process], failed: Sequence[Path]) -> list[Problem]:
    """Unknown callees, found while other problems stop the load, so they are reported
    in the same run rather than once those are fixed.

    The loaded processes' calls and the failed files' raw steps (``process:``
    values) are checked against every id given, loaded or not, and the ids in the
    caller's folder: what ``_link`` would find.
    """
    documents: list[tuple[Path, Document]] = []
    for path in failed:
        try:
            documents.append((path, read_document(path)))
        except SopkitError:
            continue  # unreadable: already reported
    given = {p.id for p in loaded}
    for _, document in documents:
        if isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
            given.add(document.data["id"])
    calls: list[tuple[SourceMap, Path, int, object, str]] = []
    for process in loaded:
        for index, step in enumerate(process.steps):
            if step.process is not None and process.source_path:
                where = Path(process.source_path)
                calls.append((process.source, where, index, step.id, step.process))
    for path, document in documents:
        steps = document.data.get("steps") if isinstance(document.data, dict) else None
        for index, raw in enumerate(steps if isinstance(steps, list) else []):
            callee = raw.get("process") if isinstance(raw, dict) else None
            if isinstance(callee, str):
                calls.append((document.source, path, index, raw.get("id"), callee))
    ids_in: dict[Path, dict[str, Path]] = {}
    problems: list[Problem] = []
    for source, path, index, step_id, callee in calls:
        known = {*given, *_ids_in(path.parent, ids_in)}
        if callee not in known:
            problems.append(_unknown_callee(source, index, step_id, callee, known))
    return problems


def callers_of(process: Process, *, roles: str | Path | Settings | None = None) -> Portfolio:
    """``process`` with the processes beside its file that run it, as one portfolio.

    A SOP printed from one file can then say who runs it, as the site's does.
    Only files that name it in a ``process:`` line are read; when one of them
    cannot be loaded, the process is returned alone (``sopkit validate`` reports
    the broken file).
    """
    alone = Portfolio((process,), ())
    if not process.source_path:
        return alone
    path = Path(process.source_path)
    calls = re.compile(rf"\bprocess:[ \t]*['\"]?{re.escape(process.id)}(?![\w-])")
    found = []
    try:
        others = sorted(path.parent.iterdir())
    except OSError:
        return alone
    for other in others:
        if other.suffix not in _SUFFIXES or other.name in ROLES_FILENAMES or other == path:
            continue
        try:
            if calls.search(other.read_text(encoding="utf-8", errors="replace")):
                found.append(other)
        except OSError:
            continue
    if not found:
        return alone
    try:
        portfolio = load_portfolio([path, *found], roles=roles)
    except SopkitError:
        return alone
    callers = [p for p in portfolio.processes if any(s.process == process.id for s in p.steps)]
    if not callers:
        return alone
    return Portfolio((portfolio.processes[0], *callers), portfolio.dependencies)


def with_callers(
    paths: str | Path | Sequence[str | Path], *, roles: str | Path | Settings | None = None
) -> Portfolio:
    """The processes under ``paths``; one process file given alone comes with the
    processes beside it that run it (``callers_of``), first. A procedure's work is costed
    in the steps that call it, so ``sopkit cost`` and ``diff`` of its file read them too.
    """
    portfolio = load_portfolio(paths, roles=roles)
    given = as_paths(paths)
    if len(given) != 1 or not Path(given[0]).is_file() or len(portfolio.processes) != 1:
        return portfolio
    found = callers_of(portfolio.processes[0], roles=roles)
    return portfolio if len(found.processes) == 1 else found


def process_ids_in(folder: Path) -> dict[str, Path]:
    """Process ids of the files in ``folder`` (not its subfolders), as a call finds them."""
    return _ids_in(folder, {})


def _ids_in(folder: Path, seen: dict[Path, dict[str, Path]]) -> dict[str, Path]:
    """Process ids of the files in one folder (not its subfolders), read once per folder."""
    if folder not in seen:
        found: dict[str, Path] = {}
        try:
            files = sorted(folder.iterdir())
        except OSError:
            files = []
        for path in files:
            if path.suffix not in _SUFFIXES or path.name in ROLES_FILENAMES:
                continue
            try:
                head = path.read_text(encoding="utf-8", errors="replace")[:65536]
            except OSError:
                continue
            match = _ID_LINE.search(head)
            if match:
                found.setdefault(match.group("id").strip("'\""), path)
        seen[folder] = found
    return seen[folder]


_ID_LINE = re.compile(r"^id:[ \t]*(?P<id>[^\s#]+)", re.MULTILINE)


def _call_problems(processes: list[Process]) -> list[Problem]:
    """Call cycles and calls across currencies, located at the calling step."""
    problems = []
    where: dict[tuple[str, str], tuple[Process, int]] = {}
    for process in processes:
        for index, step in enumerate(process.steps):
            if step.process is None:
                continue
            where.setdefault((process.id, step.process), (process, index))
            callee = process.callees.get(step.process)
            if callee is not None and callee.settings.currency != process.settings.currency:
                problems.append(
                    process.source.problem(
                        ("steps", index, "process"),
                        f"step '{step.id}' runs '{callee.id}', which costs in "
                        f"{callee.settings.currency}, not {process.settings.currency}",
                        hint="a process and the processes it runs share one currency",
                    )
                )
    if where:  # without calls there is no circle to find
        problems.extend(_call_cycles(processes, where))
    return problems


def _call_cycles(
    processes: list[Process], where: dict[tuple[str, str], tuple[Process, int]]
) -> list[Problem]:
    """One problem per circle of processes running each other, at the step that closes it."""
    calls: dict[str, list[str]] = {}
    for caller, callee in where:
        calls.setdefault(caller, []).append(callee)
    # The quick answer for almost every portfolio, without importing networkx (0.1 s):
    # no process runs itself, and the calls can be put in an order.
    if all(caller != callee for caller, callee in where) and (
        Flow.read((p.id, calls.get(p.id, ())) for p in processes).order() is not None
    ):
        return []
    import networkx as nx

    problems = []
    graph: nx.DiGraph[str] = nx.DiGraph()
    for process in processes:  # nodes in file order, so the circle reported is stable
        graph.add_node(process.id)
        for callee in calls.pop(process.id, ()):
            graph.add_edge(process.id, callee)
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (only,) = component
            if not graph.has_edge(only, only):
                continue
        cycle = [edge[0] for edge in nx.find_cycle(graph.subgraph(component))]
        first = min(cycle)
        start = cycle.index(first)
        ordered = cycle[start:] + cycle[:start]
        process, index = where[(ordered[-1], ordered[0])]
        loop = " → ".join([*ordered, ordered[0]])
        problems.append(
            process.source.problem(
                ("steps", index, "process"),
                f"processes run each other in a circle: {loop}",
                hint="a process cannot run itself, directly or through others",
            )
        )
    return problems


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a single value ('{_short(value)}')"


# --- pydantic errors to located problems ---------------------------------------

_SETTINGS_FIELDS: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): Settings,
    ("roles", "*"): Role,
    ("calendar",): WorkingCalendar,
}
_PROCESS_FIELDS: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): Process,
    ("steps", "#"): Step,
    ("steps", "#", "rework"): Rework,
    ("steps", "#", "automation"): Automation,
    ("steps", "#", "due"): Due,
    ("review",): Review,
    ("roles", "*"): Role,
    ("conditions", "*"): Condition,
    ("expenses", "#"): Expense,
}


M = TypeVar("M", bound=pydantic.BaseModel)


def _validate(
    model: type[M],
    data: Any,
    source: SourceMap,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> M:
    found, problems, _ = _check(model, data, source, fields)
    if found is None:
        raise ValidationError.collect(problems)
    return found


def _check(
    model: type[M],
    data: Any,
    source: SourceMap,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> tuple[M | None, list[Problem], list[Loc]]:
    """The model, or ``None`` with every located problem and the data location of each."""
    empty = _empty_fields(data, source) if model is Process else []
    try:
        found = model.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        # A misspelt field ("onwer") is one mistake: its "did you mean 'owner'?"
        # says all that "missing field 'owner'" would.
        meant = {
            (*error["loc"][:-1], close)
            for error in errors
            if error["type"] == "extra_forbidden" and (close := _meant(error["loc"], fields, data))
        }
        # A step whose 'milestone' or 'process' is misspelt ("milstone"), unreadable
        # ("milestone:" left empty) or not a valid id may be a milestone or a call: its
        # missing owner and time, and a count "without a process", would only repeat
        # that one mistake.
        unsure = {error["loc"][1] for error in errors if _kind_unsure(error, fields, data)}
        meant |= {("steps", index, name) for index in unsure for name in ("owner", "time")}
        problems = [
            _problem(error, source, data, fields)
            for error in errors
            if not (error["type"] == "missing" and tuple(error["loc"]) in meant)
            # when: {유료: true}: the structure check says no condition has that name
            and not (
                error["loc"][:1] == ("steps",)
                and error["loc"][2:3] == ("when",)
                and error["loc"][-1] == "[key]"
            )
            and not (
                error["msg"] == COUNT_WITHOUT_PROCESS
                and error["loc"][:2] in {("steps", index) for index in unsure}
            )
        ]
        problems += [problem for problem, _ in empty]
        wrong = [_user_loc(error["loc"], data) for error in errors]
        return None, _dedupe(problems), wrong + [loc for _, loc in empty]
    if empty:
        return None, [problem for problem, _ in empty], [loc for _, loc in empty]
    return found, [], []


def _kind_unsure(
    error: Any, fields: dict[tuple[str, ...], type[pydantic.BaseModel]], data: Any
) -> bool:
    """Whether ``error`` leaves a step's kind (work, milestone or call) in doubt."""
    loc = tuple(error["loc"])
    if len(loc) != 3 or loc[0] != "steps":
        return False
    if loc[2] in _KIND_FIELDS:
        return True
    return error["type"] == "extra_forbidden" and _meant(loc, fields, data) in _KIND_FIELDS


#: The step fields that make a step a milestone or a call instead of work.
_KIND_FIELDS = ("milestone", "process")


def _empty_fields(data: Any, source: SourceMap) -> list[tuple[Problem, Loc]]:
    """Step fields written with nothing after them (``due:``): the model would read each
    as absent, so a forgotten or mis-indented value would pass unnoticed."""
    found = []
    for index, step in enumerate(_steps_of(data)):
        for name, hint in NOT_EMPTY.items():
            if name in step and step[name] is None:
                loc: Loc = ("steps", index, name)
                where = _describe(loc, data)
                found.append(
                    (source.problem(loc, f"{_prefix(where)}no value given", hint=hint), loc)
                )
    return found


def _steps_of(data: Any) -> list[dict[Any, Any]]:
    """The step mappings of a process document (anything else as an empty mapping)."""
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        return []
    return [step if isinstance(step, dict) else {} for step in steps]


def _allowed(loc: Loc, fields: dict[tuple[str, ...], type[pydantic.BaseModel]]) -> list[str] | None:
    """The fields the mapping at ``loc`` may hold, in reading order, if its model is known."""
    known = fields.get(_shape(loc))
    if known is None:
        return None
    return sorted(
        (f.alias or n for n, f in known.model_fields.items()),
        key=lambda n: _READING_ORDER.get(n, len(_READING_ORDER)),
    )


def _meant(
    loc: Loc, fields: dict[tuple[str, ...], type[pydantic.BaseModel]], data: Any = None
) -> str | None:
    """The field an unknown key at ``loc`` most likely misspells or names in other words
    (``depends_on`` for ``after``), if one is allowed there.

    A typo of one letter wins over another tool's word (``role`` at the top is
    ``roles``); another tool's word is not offered for a field the mapping has.
    """
    allowed = _allowed(tuple(loc[:-1]), fields)
    if not allowed:
        return None
    name = str(loc[-1])
    close = closest(name, allowed)
    if close is not None and edit_distance(name.lower(), close.lower()) <= 1:
        return close
    other = _OTHER_WORDS.get(name.strip().lower().replace("-", "_").replace(" ", "_"))
    if other in allowed and other not in _keys_at(data, loc[:-1]):
        return other
    return close


def _keys_at(data: Any, loc: Loc) -> set[str]:
    """The keys of the mapping at ``loc`` in the document (none when there is none)."""
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return set()
    return {str(key) for key in data} if isinstance(data, dict) else set()


#: What other tools and habits call sopkit's fields; each is offered only where that
#: field is allowed (``type`` is a role's ``kind``).
_OTHER_WORDS = {
    **dict.fromkeys(
        "depends_on depends dependencies dependson requires predecessors prerequisites "
        "needs follows".split(),
        "after",
    ),
    **dict.fromkeys("assignee responsible performer role".split(), "owner"),
    **dict.fromkeys("duration effort hours estimate".split(), "time"),
    **dict.fromkeys("chance likelihood odds percent".split(), "probability"),
    **dict.fromkeys("participants helpers collaborators together".split(), "with"),
    **dict.fromkeys("deadline due_date".split(), "due"),
    **dict.fromkeys("signoff sign_off approve approved_by".split(), "approval"),
    **dict.fromkeys("calls subprocess sub_process procedure".split(), "process"),
    **dict.fromkeys("is_milestone event".split(), "milestone"),
    **dict.fromkeys("type category".split(), "kind"),
    **dict.fromkeys("hourly_rate cost_per_hour hourly wage".split(), "rate"),
    **dict.fromkeys("goto back_to target".split(), "to"),
}


def _dedupe(problems: list[Problem], parsed: Sequence[Problem] = ()) -> list[Problem]:
    """Each problem once; where the parse found one (an impossible date), only that one:
    the field's complaint about what was read in its place would say it again."""
    at = {(p.path, p.line, p.column) for p in parsed}
    return [
        p for p in dict.fromkeys(problems) if p in parsed or (p.path, p.line, p.column) not in at
    ]


def _shape(loc: Loc) -> tuple[str, ...]:
    """``("steps", 3, "rework")`` → ``("steps", "#", "rework")`` to look up its model."""
    shape: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            shape.append("#")
        elif (
            i > 0
            and loc[i - 1] in ("roles", "conditions")
            and i == 1
            or (i > 0 and loc[i - 1] == "roles")
        ):
            shape.append("*")
        else:
            shape.append(part)
    return tuple(shape)


def _cut_by_comma(name: str, loc: Loc, source: SourceMap) -> bool:
    """Whether an unknown field looks like the rest of a text a comma cut in a ``{...}``
    mapping: words with spaces and no value, written on a line that opens one."""
    if " " not in name.strip():
        return False
    line, _ = source.locate(loc, key=True)
    text = source.line(line) if line is not None else None
    return text is not None and "{" in text


def _belongs_under(
    name: str, loc: Loc, data: Any, fields: dict[tuple[str, ...], type[pydantic.BaseModel]]
) -> str | None:
    """The empty key beside an unknown field whose own fields include it: ``to:`` and
    ``probability:`` written at the step's indent under an empty ``rework:``."""
    parent: Any = data
    for part in loc[:-1]:
        if not _has(parent, part):
            return None
        parent = parent[part]
    if not isinstance(parent, dict):
        return None
    shape = _shape(loc[:-1])
    for key, value in parent.items():
        model = fields.get((*shape, str(key)))
        if value is None and model is not None:
            if name in {f.alias or n for n, f in model.model_fields.items()}:
                return str(key)
    return None


def _problem(
    error: Any,
    source: SourceMap,
    data: Any,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> Problem:
    loc: Loc = _user_loc(error["loc"], data)
    kind = error["type"]
    where = _describe(loc, data)
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed(loc[:-1], fields)
        hint: str | None = "remove it"
        close = None
        if allowed is not None:
            close = _meant(loc, fields, data)
            hint = f"did you mean '{close}'?" if close else ("allowed here: " + ", ".join(allowed))
        under = _belongs_under(name, loc, data, fields)
        if under is not None:
            hint = f"it belongs to '{under}:' above, which is empty: indent it under '{under}:'"
        elif loc[:1] == ("steps",) and (
            (close is None and name.lower() == "date")
            or (close == "due" and isinstance(error.get("input"), _dt.date))
        ):  # date: …, or deadline: 2026-03-12: dates are given when a run is planned
            hint = _date_hint(loc, data, error.get("input"))
        elif close is None and error.get("input") is None and _cut_by_comma(name, loc, source):
            hint = (
                "a comma inside {...} ends the value before it: put text that has a comma "
                'in quotes, e.g. description: "Approves the tier, budget and go/no-go"'
            )
        return source.problem(
            loc, f"{_prefix(where[:-1])}unknown field '{_short(name)}'", hint=hint, key=True
        )
    if kind == "missing":
        name = str(loc[-1])
        return source.problem(
            loc[:-1],
            f"{_prefix(where[:-1])}missing required field '{name}'",
            hint=_MISSING_HINTS.get(name, f"add '{name}: …'"),
        )
    message = error["msg"]
    hint = ctx.get("hint")
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if kind == "literal_error" and loc == ("sopkit",):
        message, hint = (
            "unsupported format version",
            "this sopkit reads format version 1: 'sopkit: 1'",
        )
    elif kind == "enum" and field == "language":
        given = str(error["input"]).strip().lower()
        meant = _LANGUAGE_WORDS.get(given) or closest(given, ["en", "ko", "ru"])
        message = f"unknown language '{_short(error['input'])}'"
        hint = (
            f"did you mean '{meant}'? sopkit speaks en, ko and ru" if meant else "use en, ko or ru"
        )
    elif kind in ("model_type", "model_attributes_type", "dataclass_type"):
        message = f"should be a mapping of fields, got {_kind_word(error['input'])}"
    elif kind == "too_short" and loc == ("steps",):
        message = "a process needs at least one step"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind == "dict_type":
        message = f"should be a mapping, got {_kind_word(error['input'])}"
    elif kind == "decimal_parsing" and isinstance(error["input"], str):
        message = f"'{_short(error['input'])}' is not a number"
    elif kind.endswith("_type") or kind.startswith(("string_", "decimal_", "list_", "dict_")):
        message = f"{message}, got {_kind_word(error['input'])}"
    percent = _percent(error.get("input"))
    if percent is not None and kind not in _RANGE_ERRORS:
        # "70%" where a share is wanted: the same figure, written as a fraction of 1.
        message = f"'{_short(error['input'])}' is a percentage; write it as a number"
        hint = f"write {percent} for {_short(error['input']).strip()}"
    named = _id_named(data, error.get("input")) if _names_a_step(loc) else None
    if named is not None:  # after: [캠페인 오픈]: a step's name where its id belongs
        hint = f"write the step's id, '{named}': '{_short(error['input'])}' is its name"
    under = _belongs_under(field, loc, data, fields) if field else None
    if under is not None:
        # "milestone: launch" at the step's indent, meant for the empty "due:" above.
        hint = f"did you mean it for '{under}:' above, which is empty? indent it under '{under}:'"
    if hint is None and field == "due" and isinstance(error.get("input"), _dt.date):
        hint = _date_hint(loc, data, error["input"])
    if hint is None:
        hint = _hint_for(kind, field, loc, error.get("input"), ctx)
    return source.problem(loc, f"{_prefix(where)}{_lower_first(message)}", hint=hint)


def _names_a_step(loc: Loc) -> bool:
    """Whether the value at ``loc`` is a step id: an ``after`` item, a due's milestone,
    a rework's ``to``."""
    return loc[:1] == ("steps",) and (
        "after" in loc or loc[-2:] in (("due", "milestone"), ("rework", "to"))
    )


def _id_named(data: Any, name: Any) -> str | None:
    """The id of the one step called ``name`` (as written, any case), if there is one."""
    if not isinstance(name, str):
        return None
    found = [
        step["id"]
        for step in _steps_of(data)
        if isinstance(step.get("name"), str)
        and isinstance(step.get("id"), str)
        and step["name"].strip().casefold() == name.strip().casefold()
    ]
    return found[0] if len(found) == 1 else None


def _date_hint(loc: Loc, data: Any, when: Any) -> str:
    """Where a date written on a step goes: a run's dates are given when it is planned,
    so one file serves every run; the file says what is due how long before what."""
    steps = _steps_of(data)
    index = loc[1] if len(loc) > 1 else None
    step = steps[index] if isinstance(index, int) and index < len(steps) else {}
    day = when.isoformat() if isinstance(when, _dt.date) else "YYYY-MM-DD"
    if step.get("milestone") is True and isinstance(step.get("id"), str):
        at = f"{step['id']}={day}"
        return f"a milestone's date is given when you plan a run: sopkit plan FILE --at {at}"
    return (
        f"dates are given when you plan a run (sopkit plan FILE --at <milestone id>={day}); "
        "in the file, due: {milestone: <milestone id>, offset: -10d} is due 10 working days "
        "before that milestone"
    )


_PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*")


def _percent(value: Any) -> str | None:
    """``"70%"`` as the fraction sopkit wants (``"0.7"``), or ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    match = _PERCENT.fullmatch(value)
    if match is None:
        return None
    share = (Decimal(match.group(1)) / 100).normalize()
    return f"{share:f}"


#: Language codes and names people write for the three sopkit speaks.
_LANGUAGE_WORDS = {
    **dict.fromkeys(["kr", "kor", "korean", "한국어", "ko-kr", "ko_kr"], "ko"),
    **dict.fromkeys(["rus", "russian", "русский", "ru-ru", "ru_ru"], "ru"),
    **dict.fromkeys(["eng", "english", "en-us", "en-gb", "en_us", "en_gb"], "en"),
}

#: The order a person reads a step's fields in (the model's own order serves its checks).
_READING_ORDER = {
    name: i
    for i, name in enumerate(
        "id name owner with time wait after when rework per_run milestone approval process "
        "count expense due automation tools done_when instructions do dont".split()
    )
}

_MISSING_HINTS = {
    "sopkit": "add 'sopkit: 1' (the format version) as the first line",
    "id": "add 'id: …', a slug such as 'content-marketing'",
    "frequency": "add 'frequency: …', e.g. 4/month",
    "steps": "add 'steps:' with at least one step",
    "time": "add 'time: …', the hands-on time of one execution, e.g. 1h",
    "owner": "add 'owner: …', the role that does it",
    "rate": "add 'rate: …', the hourly cost",
    "to": "add 'to: …', the step the work goes back to",
    "probability": "add 'probability: …', e.g. 0.3 for 30%",
    "share": "add 'share: …', from 0 to 1",
}

#: What a number out of range should be, by field name.
_RANGE_HINTS = {
    "probability": "a probability from 0 up to, not including, 1; e.g. 0.3 for 30%",
    "share": "the share of the time a tool could take over, from 0 to 1; e.g. 0.5",
    "per_run": "executions per run: e.g. 3, or 0.2 for once in five runs",
    "rate": "the hourly cost in the roles file's currency, zero or more",
    "hours_per_day": "the hours in a working day, e.g. 8",
    "days_per_week": "the working days in a week, e.g. 5",
    "working_days_per_year": "the working days in a year, e.g. 260",
    "headcount": "the people in this role, above 0; fractions are fine, e.g. 0.5",
    "available_hours": "the hours one person has for this work in a year, e.g. 1400",
}
_RANGE_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


#: How to write a field that takes a mapping, for a value written as one number or word.
_SHAPE_HINTS = {
    "rework": "write it as rework: {to: <step id>, probability: 0.3}",
    "automation": "write it as automation: {share: 0.5, tool: <tool>, tool_cost: 1200}",
    "due": "write it as due: {milestone: <milestone id>, offset: -10d}",
    "review": 'write it as review: {version: "1.0", last_reviewed: 2026-01-15}',
    "calendar": "write it as calendar: {weekend: [sat, sun], holidays: [2026-12-25]}",
}


#: How an expense's ``per`` is often written, and the word the format takes.
_PERIOD_WORDS = {
    "monthly": "month",
    "a month": "month",
    "per month": "month",
    "months": "month",
    "mo": "month",
    "quarterly": "quarter",
    "quarters": "quarter",
    "yearly": "year",
    "annually": "year",
    "annual": "year",
    "years": "year",
    "a year": "year",
    "per year": "year",
    "yr": "year",
    "runs": "run",
    "per run": "run",
    "each run": "run",
}


def _hint_for(kind: str, field: str, loc: Loc, value: Any = None, ctx: Any = None) -> str | None:
    """A hint for pydantic's own errors, which come without one."""
    if kind in _RANGE_ERRORS:
        if loc[:1] == ("conditions",):
            if "options" in loc:
                return "each option's share of runs, above 0; the shares sum to 1"
            return "the share of runs where the answer is yes, above 0 and below 1; e.g. 0.3"
        if len(loc) >= 2 and loc[-2] == "with":
            return "how many people of that role work on the step, e.g. 2"
        return _RANGE_HINTS.get(field)
    if loc == ("steps",):
        if kind == "too_short":
            return "add at least one step"
        if kind == "list_type":
            return "write each step as a list item starting with '- id: …'"
    if len(loc) == 2 and loc[0] == "steps" and kind in ("model_type", "dict_type"):
        return "a step is a mapping with id, name, owner and time"
    if loc == ("roles",) and kind == "dict_type":
        return "write each role on a line of its own under it, e.g. Designer: {rate: 55}"
    if len(loc) == 2 and loc[0] == "roles" and kind in ("model_type", "dict_type"):
        return f"give the rate as a field: {loc[1]}: {{rate: …}}"
    if kind in ("literal_error", "enum") and field == "per" and loc[:1] == ("expenses",):
        meant = _PERIOD_WORDS.get(str(value).strip().lower()) if isinstance(value, str) else None
        if meant is not None:
            return f"did you mean '{meant}'?"
        return "a weekly cost is 52 times it per: year; a daily one, your working days times it"
    if kind == "list_type":
        return "write a list: [a, b], or one '- item' per line"
    if kind == "bool_type" and value is None and field:
        return f"write {field}: true, or remove the line"
    if kind in ("model_type", "dict_type"):
        return _SHAPE_HINTS.get(field, "write fields as 'name: value' lines under it")
    if kind == "string_too_short":
        return "write some text, or remove the field"
    if kind == "string_type" and isinstance(value, _dt.date | bool | int | float | Decimal):
        read = (
            "a date"
            if isinstance(value, _dt.date)
            else "true/false"
            if isinstance(value, bool)
            else "a number"
        )
        return f"YAML reads this as {read}: put it in quotes to keep it as text"
    if kind == "string_type":
        return "write text here"
    if kind in ("literal_error", "enum") and isinstance(value, str):
        expected = re.findall(r"'([^']*)'", str((ctx or {}).get("expected", "")))
        close = closest(value, expected)
        if close is not None:
            return f"did you mean '{close}'?"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "int_type"):
        rate = field == "rate"
        return plain_amount_hint(value, PLAIN_NUMBER, per_hour=rate, money=rate) or (
            "write a number here"
        )
    return None


def _short(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: short, so a 5 MB typo does not flood the terminal."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_pydantic_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _user_loc(loc: Loc, data: Any) -> Loc:
    """``loc`` without the parts pydantic adds (``function-after[…]``, ``[key]``).

    A part found in the data is the user's, even with a ``[`` in it (a typo like
    ``s[opkit:``), so a location never loses a key the user wrote.
    """
    kept: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            kept.append(part)
            node = node[part]
        elif not _is_pydantic_tag(part):
            kept.append(part)
            node = None
    return tuple(kept)


def _describe(loc: Loc, data: Any) -> list[str]:
    """Human names for a location: ``step 'draft'`` instead of ``steps.2``."""
    words: list[str] = []
    node = data
    for i, part in enumerate(loc):
        child = node[part] if _has(node, part) else None
        if isinstance(part, int) and i > 0 and loc[i - 1] == "steps":
            step_id = child.get("id") if isinstance(child, dict) else None
            words[-1] = f"step '{step_id}'" if isinstance(step_id, str) else f"step {part + 1}"
        elif isinstance(part, int):
            words.append(f"item {part + 1}")
        elif i > 0 and loc[i - 1] == "roles":
            words[-1] = f"role '{part}'"
        else:
            words.append(str(part))
        node = child
    return words


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _prefix(words: list[str]) -> str:
    return (": ".join(words) + ": ") if words else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _kind_word(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{_short(value)}'"
