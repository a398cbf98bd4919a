"""From files to validated models: process files, ``roles.yaml`` and portfolios.

Loading reports every problem of every file it reads before giving up, so a
user fixes a folder in one pass instead of one error per run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic

from ..errors import InputError, Problem, SopkitError, ValidationError
from ..models import Process, Role, Settings, Step
from ..source import EmptyFileError, Loc, SourceMap, read_document
from ..validate import Shape, check_meaning, check_process, check_structure
from .calls import link_calls, unknown_calls, with_calls
from .hints import steps_of
from .paths import SCENARIO_KEY, find, find_roles_file, is_scenario
from .problems import PROCESS_FIELDS, SETTINGS_FIELDS, check_model, dedupe, kind_of, validate_model

__all__ = [
    "Portfolio",
    "load_portfolio",
    "load_process",
    "load_settings",
    "process_from_data",
    "settings_from_data",
]


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The processes a report covers; they share one currency so totals add up."""

    processes: tuple[Process, ...]
    #: Processes loaded only because a process of the portfolio runs them: they are
    #: costed inside their callers, never as rows of their own.
    dependencies: tuple[Process, ...] = ()
    #: Scenario files found under the folders given: not processes, so left out
    #: (``sopkit validate`` says how many).
    scenario_files: tuple[Path, ...] = ()

    @property
    def currency(self) -> str:
        return self.processes[0].settings.currency if self.processes else "USD"

    def __iter__(self) -> Iterator[Process]:
        return iter(self.processes)

    def __len__(self) -> int:
        return len(self.processes)


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
            f"a roles file is a mapping of settings, not {kind_of(document.data)}",
            path=shown,
            line=1,
            column=1,
            hint="start it with 'currency: USD' and 'roles:'",
        )
    try:
        settings = settings_from_data(document.data, document.source)
    except SopkitError as exc:
        found = [*document.problems, *exc.problems]
        raise ValidationError.collect(dedupe(found, document.problems)) from None
    if document.problems:
        raise ValidationError.collect(document.problems)
    return settings


def settings_from_data(data: Any, source: SourceMap) -> Settings:
    """Validate the settings of a roles file from raw data, as ``load_settings`` does.

    Raises:
        ValidationError: with every problem, located through ``source``.
    """
    return validate_model(Settings, data, source, SETTINGS_FIELDS)


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
        InputError: the file cannot be opened (missing, a folder, unreadable).
        ValidationError: with every problem found in the file and its roles file.
    """
    cache: dict[Path, Settings | SopkitError] = {}
    folders: dict[Path, tuple[Path, Path] | None] = {}
    try:
        process = _load_one(Path(path), roles, cache, folders)
    except SopkitError as exc:
        if isinstance(exc, InputError) and _cannot_open(Path(path)):
            raise  # no such file, a folder, unreadable: as load_portfolio says of a path
        calls = unknown_calls([], [Path(path)])
        raise ValidationError.collect(dedupe(with_calls(list(exc.problems), calls))) from None
    _, problems = link_calls([process], lambda found: _load_one(found, roles, cache, folders))
    if problems:
        raise ValidationError.collect(dedupe(problems))
    return process


def _cannot_open(path: Path) -> bool:
    """Whether ``path`` is not a file sopkit may read (what, for a path given to
    ``load_portfolio``, ``discover`` reports as an ``InputError``)."""
    return not path.is_file() or not os.access(path, os.R_OK)


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

    Raises:
        InputError: a path that is not there.
        ValidationError: with every problem of every file, each located.
    """
    found = find(paths)
    files = found.files
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
        problems = with_calls(problems, unknown_calls(processes, failed))
        raise ValidationError.collect(dedupe(problems))
    dependencies, problems = link_calls(
        processes, lambda found: _load_one(found, roles, cache, folders)
    )
    if problems:
        raise ValidationError.collect(dedupe(problems))
    return Portfolio(tuple(processes), tuple(dependencies), tuple(found.scenarios))


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
                f"a process is a mapping of fields, not {kind_of(data)}",
                path=shown,
                line=1,
                column=1,
                hint="start the file with 'sopkit: 1', 'id:', 'name:' and 'steps:'",
            )
        )
        raise ValidationError.collect(problems)
    if is_scenario(data):
        # One line that says what the file is, not a field error for every key of it.
        # A folder's scenario files are left out before loading: this one was named.
        problems.append(
            source.problem(
                (SCENARIO_KEY,),
                "this is a scenario file, not a process",
                hint="pass it to sopkit compare, report, build, simulate or plan with "
                "--scenario, beside the process files or their folder",
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
    process, field_problems, wrong = check_model(Process, data, source, PROCESS_FIELDS)
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
        raise ValidationError.collect(dedupe(problems, parsed))
    process.bind(settings, **bind)  # type: ignore[arg-type]
    if meaning:
        problems.extend(check_process(process))
    else:
        problems.extend(check_structure(Shape.of(process), source))
    if problems:
        raise ValidationError.collect(dedupe(problems, parsed))
    return process


def _left_out(data: dict[str, Any], kept: Sequence[int]) -> frozenset[str]:
    """The ids of the steps ``_salvage`` left out: a ``due`` may name one that exists."""
    kept_at = set(kept)
    return frozenset(
        step["id"]
        for index, step in enumerate(steps_of(data))
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
    if "roles" in bad_fields and isinstance(data.get("roles"), dict):
        fields["roles"] = _sound_roles(data["roles"])
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


def _sound_roles(roles: dict[Any, Any]) -> dict[str, Any]:
    """A process's own roles, each wrong one standing in as an outside party (which needs
    no rate): the steps it owns are checked, and not told their owner is no role, when
    the role is there and its own problem is reported."""
    sound: dict[str, Any] = {}
    for name, value in roles.items():
        if not isinstance(name, str):
            continue
        try:
            Role.model_validate(value)
        except pydantic.ValidationError:
            value = _WRONG_ROLE
        sound[name] = value
    return sound


#: What a wrong role of a process's own stands in as: an outside party needs no rate.
_WRONG_ROLE = {"kind": "external"}

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
