"""The roles a report's processes share with process files it was not given.

A role's utilisation is its hours over its capacity, and its capacity is the
team's, in ``roles.yaml``: a report on one file of a folder divides that file's
hours alone by the whole team's capacity. The figure is right for what was given
and reads lower than the folder's; reports say so, and name the files beside
that also work in the role, so a reader knows which report counts them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SopkitError
from ..models import Process, RoleKind
from ..source import read_document
from .paths import ROLES_FILENAMES, SUFFIXES, find_roles_file
from .portfolio import Portfolio

__all__ = ["Beside", "files_beside", "roles_worked_beside"]


@dataclass(frozen=True, slots=True)
class Beside:
    """What ``files_beside`` found: the roles worked in beside, and every process file it
    listed beside the portfolios (read or not), which a report showing the note depends
    on: ``sopkit serve`` watches them, so an edit to one rebuilds the note."""

    roles: dict[str, tuple[str, ...]]
    files: tuple[Path, ...]


def roles_worked_beside(*portfolios: Portfolio) -> dict[str, tuple[str, ...]]:
    """For each role with a headcount that the portfolios' processes work in, the process
    files beside them that work in it too and are in none of the portfolios, by their
    path from that folder (``case-study.yaml``); roles no such file works in are left out.

    Several portfolios are one set of files compared (``sopkit diff``'s two sides): a
    file compared on one side is not beside the other.

    The files beside are those that use the same roles file (under its folder, its
    nearest one; with a roles file given instead, the files in the process's own folder,
    not its subfolders: a roles file from elsewhere says nothing of the folders below,
    and the folder may be ~/Downloads). Only their steps' ``owner`` and ``with`` are
    read, without validating them: a file that cannot be read names no role, as
    ``sopkit validate`` reports it, and a folder that cannot be listed is skipped.

    Call it only where the note is shown: it reads files the report was not given.
    """
    return files_beside(*portfolios).roles


def files_beside(*portfolios: Portfolio) -> Beside:
    """``roles_worked_beside``, with the files it listed (see ``Beside``).

    Cheap where it can be: nothing is read when every file beside is loaded (a whole
    folder), and a file is parsed only when its text holds a wanted role's name, so a
    folder of 2,000 files working in other roles costs a text search, not 2,000 parses.
    """
    every = [p for portfolio in portfolios for p in (*portfolio.processes, *portfolio.dependencies)]
    loaded = {_resolved(p.source_path) for p in every if p.source_path}
    wanted = _staffed_roles(every)
    if not wanted:
        return Beside({}, ())
    found: dict[str, dict[str, None]] = {}
    listed: dict[Path, None] = {}
    for folder, roles_file in _folders(every):
        for path in _listed(folder, recursive=roles_file is not None):
            if _resolved(str(path)) in loaded:
                continue
            if roles_file is not None and _nearest(path) != roles_file:
                continue  # a folder inside with a roles file of its own: another team
            listed[path] = None
            shown = _from(path, folder)
            for role in _roles_in(path, wanted):
                found.setdefault(role, {})[shown] = None
    roles = {role: tuple(found[role]) for role in sorted(found)}
    return Beside(roles, tuple(listed))


def _listed(folder: Path, *, recursive: bool) -> list[Path]:
    """The process files in ``folder`` (and under it, if ``recursive``), as ``discover``
    finds them, but a folder that cannot be listed is skipped, not refused: the note is
    a hint, and one unreadable subfolder must not drop the files of the others."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=lambda _: None):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")) if recursive else []
        for name in filenames:
            path = here / name
            if name.startswith(".") or path.suffix not in SUFFIXES or name in ROLES_FILENAMES:
                continue
            try:
                if path.is_file():
                    files.append(path)
            except OSError:
                continue
    return sorted(files, key=lambda p: p.as_posix())


def _staffed_roles(processes: Iterable[Process]) -> set[str]:
    """The roles with a headcount that the processes' steps work in."""
    roles: set[str] = set()
    for process in processes:
        for step in process.steps:
            for name in (step.owner, *step.participants):
                role = process.role(name) if name is not None else None
                if role is not None and role.kind is RoleKind.STAFF and role.headcount:
                    roles.add(name or "")
    return roles


def _folders(processes: Iterable[Process]) -> list[tuple[Path, Path | None]]:
    """Where the files sharing each process's roles file are: the roles file's folder
    (they use it when it is their nearest), or the process's own for a roles file given
    apart (``--roles``: the files beside it would be read with it too)."""
    folders: dict[tuple[Path, Path | None], None] = {}
    for process in processes:
        if not process.source_path or not process.settings_path:
            continue
        roles_file = _resolved(process.settings_path)
        source = Path(process.source_path)
        if _nearest(source) == roles_file:
            folders[(Path(process.settings_path).parent, roles_file)] = None
        else:
            folders[(source.parent, None)] = None
    return list(folders)


def _nearest(path: Path) -> Path | None:
    found = find_roles_file(path)
    return None if found is None else found.resolve()


def _from(path: Path, folder: Path) -> str:
    """``path`` from ``folder`` (a git revision's files are in a folder of their own)."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def _resolved(path: str) -> Path:
    return Path(path).resolve()


def _roles_in(path: Path, wanted: set[str]) -> set[str]:
    """The ``wanted`` role names a process file's steps give as ``owner`` or in ``with``.

    A file whose text holds none of the names is not parsed: a name written with YAML
    escapes or folded over lines is missed, as no process file writes one.
    """
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return set()
    if not any(role in text for role in wanted):
        return set()
    try:
        data: Any = read_document(path, defer=True).data
    except SopkitError:
        return set()
    steps = data.get("steps") if isinstance(data, Mapping) else None
    if not isinstance(steps, list):
        return set()
    roles: set[str] = set()
    for step in steps:
        if not isinstance(step, Mapping):
            continue
        owner, joint = step.get("owner"), step.get("with")
        if isinstance(owner, str):
            roles.add(owner.strip())
        if isinstance(joint, Mapping):
            roles.update(str(name).strip() for name in joint)
        elif isinstance(joint, list):
            roles.update(name.strip() for name in joint if isinstance(name, str))
    return roles & wanted
