"""From files to validated models: process files, ``roles.yaml`` and portfolios.

Loading reports every problem of every file it reads before giving up, so a
user fixes a folder in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from .errors import InputError, Problem, SopkitError, ValidationError
from .models import Automation, Process, Review, Rework, Role, Settings, Step
from .source import Loc, SourceMap, read_document
from .validate import check_process

__all__ = [
    "ROLES_FILENAMES",
    "Portfolio",
    "discover",
    "find_roles_file",
    "load_portfolio",
    "load_process",
    "load_settings",
]

ROLES_FILENAMES = ("roles.yaml", "roles.yml")
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The processes a report covers; they share one currency so totals add up."""

    processes: tuple[Process, ...]

    @property
    def currency(self) -> str:
        return self.processes[0].settings.currency if self.processes else "USD"

    def __iter__(self) -> Iterator[Process]:
        return iter(self.processes)

    def __len__(self) -> int:
        return len(self.processes)


# --- discovery ------------------------------------------------------------------


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Process files named directly or found under folders, sorted, roles files skipped."""
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
    root = folder.resolve()
    files = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.as_posix()):
        if path.suffix not in _SUFFIXES or path.name in ROLES_FILENAMES or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(
                Problem(
                    "symbolic link points outside the input folder",
                    path=str(path),
                    hint="copy the file into the folder instead of linking to it",
                )
            )
            continue
        files.append(path)
    return files


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


def load_settings(path: str | Path) -> Settings:
    """Read a ``roles.yaml``: currency, calendar and hourly rates."""
    shown = str(path)
    document = read_document(Path(path), display=shown)
    if not isinstance(document.data, dict):
        raise ValidationError(
            f"a roles file is a mapping of settings, not {_kind(document.data)}",
            path=shown,
            line=1,
            column=1,
            hint="start it with 'currency: USD' and 'roles:'",
        )
    return _validate(Settings, document.data, document.source, _SETTINGS_FIELDS)


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
    return _load_one(Path(path), roles, cache, {})


def load_portfolio(
    paths: str | Path | Sequence[str | Path],
    *,
    roles: str | Path | Settings | None = None,
) -> Portfolio:
    """Load every process under the given files and folders, reporting all problems at once."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files = discover(paths)
    cache: dict[Path, Settings | SopkitError] = {}
    folders: dict[Path, tuple[Path, Path] | None] = {}
    processes: list[Process] = []
    problems: list[Problem] = []
    for file in files:
        try:
            processes.append(_load_one(file, roles, cache, folders))
        except SopkitError as exc:
            problems.extend(exc.problems)
    problems.extend(_portfolio_problems(processes))
    if problems:  # a broken roles.yaml shared by several processes is reported once
        raise ValidationError.collect(_dedupe(problems))
    return Portfolio(tuple(processes))


def _load_one(
    path: Path,
    roles: str | Path | Settings | None,
    cache: dict[Path, Settings | SopkitError],
    folders: dict[Path, tuple[Path, Path] | None],
) -> Process:
    shown = str(path)
    document = read_document(path, display=shown)
    # The roles file and the process's own fields are checked together, so one run
    # shows both; the checks across steps need both to be sound.
    problems: list[Problem] = []
    try:
        settings, settings_path = _settings_for(path, roles, cache, folders)
    except SopkitError as exc:
        problems.extend(exc.problems)
        settings, settings_path = Settings(), None
    if not isinstance(document.data, dict):
        problems.append(
            Problem(
                f"a process is a mapping of fields, not {_kind(document.data)}",
                path=shown,
                line=1,
                column=1,
                hint="start the file with 'sopkit: 1', 'id:', 'name:' and 'steps:'",
            )
        )
        raise ValidationError.collect(problems)
    try:
        process = _validate(Process, document.data, document.source, _PROCESS_FIELDS)
    except SopkitError as exc:
        raise ValidationError.collect([*problems, *exc.problems]) from None
    if problems:
        raise ValidationError.collect(problems)
    process.bind(
        settings,
        source=document.source,
        source_path=shown,
        settings_path=None if settings_path is None else str(settings_path),
    )
    problems = check_process(process)
    if problems:
        raise ValidationError.collect(problems)
    return process


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
        return None if found is None else (found, found.resolve())
    folder = path.parent
    if folder not in folders:
        found = find_roles_file(path)
        folders[folder] = None if found is None else (found, found.resolve())
    return folders[folder]


def _portfolio_problems(processes: list[Process]) -> list[Problem]:
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
    if len(currencies) > 1:
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
}
_PROCESS_FIELDS: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): Process,
    ("steps", "#"): Step,
    ("steps", "#", "rework"): Rework,
    ("steps", "#", "automation"): Automation,
    ("review",): Review,
    ("roles", "*"): Role,
}


M = TypeVar("M", bound=pydantic.BaseModel)


def _validate(
    model: type[M],
    data: Any,
    source: SourceMap,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = [_problem(error, source, data, fields) for error in exc.errors()]
        raise ValidationError.collect(_dedupe(problems)) from None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _shape(loc: Loc) -> tuple[str, ...]:
    """``("steps", 3, "rework")`` → ``("steps", "#", "rework")`` to look up its model."""
    shape: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            shape.append("#")
        elif i > 0 and loc[i - 1] == "roles":
            shape.append("*")
        else:
            shape.append(part)
    return tuple(shape)


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
        known = fields.get(_shape(loc[:-1]))
        hint: str | None = "remove it"
        if known is not None:
            close = difflib.get_close_matches(name, list(known.model_fields), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else ("allowed here: " + ", ".join(known.model_fields))
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
        message, hint = f"unknown language '{_short(error['input'])}'", "use en, ko or ru"
    elif kind in ("model_type", "model_attributes_type", "dataclass_type"):
        message = f"should be a mapping of fields, got {_kind_word(error['input'])}"
    elif kind == "too_short" and loc == ("steps",):
        message = "a process needs at least one step"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind.endswith("_type") or kind.startswith(("string_", "decimal_", "list_", "dict_")):
        message = f"{message}, got {_kind_word(error['input'])}"
    if hint is None:
        hint = _hint_for(kind, field, loc)
    return source.problem(loc, f"{_prefix(where)}{_lower_first(message)}", hint=hint)


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
}
_RANGE_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def _hint_for(kind: str, field: str, loc: Loc) -> str | None:
    """A hint for pydantic's own errors, which come without one."""
    if kind in _RANGE_ERRORS:
        return _RANGE_HINTS.get(field)
    if loc == ("steps",):
        if kind == "too_short":
            return "add at least one step"
        if kind == "list_type":
            return "write each step as a list item starting with '- id: …'"
    if len(loc) == 2 and loc[0] == "steps" and kind in ("model_type", "dict_type"):
        return "a step is a mapping with id, name, owner and time"
    if kind == "list_type":
        return "write a list: [a, b], or one '- item' per line"
    if kind in ("model_type", "dict_type"):
        return "write fields as 'name: value' lines under it"
    if kind == "string_too_short":
        return "write some text, or remove the field"
    if kind == "string_type":
        return "write text here"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "int_type"):
        return "write a number here"
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
