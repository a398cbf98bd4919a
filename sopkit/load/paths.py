"""Which files a load reads: process files under folders, and the ``roles.yaml`` each uses."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import InputError, Problem, SopkitError, UsageError
from ..source import MAX_BYTES, read_document

__all__ = [
    "ROLES_FILENAMES",
    "SCENARIO_KEY",
    "SUFFIXES",
    "Found",
    "as_paths",
    "discover",
    "find",
    "find_roles_file",
    "is_scenario",
    "is_scenario_file",
]

ROLES_FILENAMES = ("roles.yaml", "roles.yml")
SUFFIXES = (".yaml", ".yml")
#: The top-level key that makes a YAML file a scenario (``sopkit-scenario: 1``).
SCENARIO_KEY = "sopkit-scenario"


def as_paths(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[str | Path]:
    """One path or several, as a list: a lone string is one path, not its characters.

    Raises:
        UsageError: an empty path (it would name the current folder), or something
            that is not a path (a loaded process, bytes, None).
    """
    if isinstance(paths, str | PathLike):
        items: list[object] = [paths]
    elif isinstance(paths, bytes | bytearray | memoryview | BaseModel) or not isinstance(
        paths, Iterable
    ):
        raise _not_a_path(paths)  # a model iterates over its fields, bytes over numbers
    else:
        items = list(paths)
    found: list[str | Path] = []
    for item in items:
        if isinstance(item, PathLike):
            item = Path(item)
        if isinstance(item, str) and not item.strip():
            raise UsageError("an empty path", hint="name a process file or a folder, e.g. '.'")
        if not isinstance(item, str | Path):  # a loaded process, say, from Python
            raise _not_a_path(item)
        found.append(item)
    return found


def _not_a_path(given: object) -> UsageError:
    return UsageError(
        f"expected a path, not {type(given).__name__}",
        hint="name a file or folder, e.g. 'processes/en/'",
    )


@dataclass(frozen=True, slots=True)
class Found:
    """What ``find`` found: the process files, and the scenario files folders held."""

    files: list[Path]
    #: Scenario files found under folders: not processes, so left out of ``files``.
    scenarios: list[Path]


def discover(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Process files named directly or found under folders, sorted, roles files skipped
    (and a folder's scenario files: see ``find``)."""
    return find(paths).files


def find(paths: str | Path | Iterable[str | Path]) -> Found:
    """``discover``'s files, and the scenario files it left out.

    A scenario saved beside the processes it changes is no process: a folder's
    scenario files are left out of its process files, so ``sopkit compare .
    --scenario s.yaml`` reads the folder's processes and ``s.yaml`` as the
    scenario. A scenario file named directly stays in, and loading it says what
    it is: naming it as a process is a mistake worth a message.

    Raises:
        InputError: a path that is not there, or no process file at all.
    """
    paths = as_paths(paths)
    found: list[Path] = []
    scenarios: list[Path] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, problems):
                (scenarios if is_scenario_file(file) else found).append(file)
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
    left_out = [p for p in dict.fromkeys(scenarios) if p not in unique]
    if not unique:
        shown = ", ".join(str(p) for p in paths) or "."
        hint = "process files end in .yaml or .yml; roles.yaml is not a process"
        if left_out:
            hint = (
                "the scenario file here is no process: pass it"
                if len(left_out) == 1
                else f"the {len(left_out)} scenario files here are no processes: pass each"
            ) + " to sopkit compare --scenario with the process files it changes"
        raise InputError("no process files found", path=shown, hint=hint)
    return Found(unique, left_out)


def scenarios_left_out(count: int) -> str:
    """What ``sopkit validate`` says of the scenario files it left out of a folder."""
    if count == 1:
        return "1 scenario file left out (check it with sopkit compare --scenario)"
    return f"{count} scenario files left out (check them with sopkit compare --scenario)"


def is_scenario(data: Any) -> bool:
    """Whether parsed YAML is a scenario: a mapping with ``sopkit-scenario`` and no
    ``sopkit`` (a process that has both is a process with an unknown field)."""
    return isinstance(data, dict) and SCENARIO_KEY in data and "sopkit" not in data


def is_scenario_file(path: Path) -> bool:
    """Whether the file is a scenario (``is_scenario``), read cheaply: a file whose text
    does not hold ``sopkit-scenario`` is not parsed, so a folder of processes costs one
    text search each. A file that cannot be read or parsed is no scenario here: loading
    it as a process reports why."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return False
    if SCENARIO_KEY.encode() not in raw or len(raw) > MAX_BYTES:
        return False
    try:
        return is_scenario(read_document(path, defer=True).data)
    except SopkitError:
        return False


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
            if name.startswith(".") or path.suffix not in SUFFIXES or name in ROLES_FILENAMES:
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
