"""Warnings a team has looked at and keeps on purpose: ``accept:`` in the files.

A step, a role, a process and a roles file may list warning codes in
``accept:``. A warning is accepted by the nearest accept that names its code:
the one on the step or role it is about, else the one of the file it stands in.
Accepted warnings are not shown and ``--strict`` passes them; ``sopkit validate``
counts them in its last line. Errors carry no code, so none can be accepted.

An accept that accepts nothing is a warning itself (``accept-unused``), so
stale accepts do not pile up: but only for codes the command at hand checks
(``validate`` does not plan, so it cannot tell whether a ``due-missed`` is
still there), and not for those that depend on which files are checked together
(a role over capacity may be so only over the whole folder).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .codes import ACCEPT_UNUSED, CODES, Checker, Place
from .errors import Problem
from .models import Process
from .source import Loc, SourceMap

__all__ = ["Accepting", "accepts", "sort_warnings"]


@dataclass(frozen=True, slots=True)
class Accepting:
    """The warnings to show (``accept-unused`` among them) and those accepted."""

    shown: tuple[Problem, ...]
    accepted: tuple[Problem, ...]


@dataclass(slots=True)
class _Entry:
    """One code of one ``accept:``, and whether a warning was accepted by it."""

    code: str
    place: Place
    loc: Loc
    source: SourceMap | None
    step: str | None = None
    role: str | None = None
    used: bool = field(default=False, compare=False)

    @property
    def what(self) -> str:
        if self.step is not None:
            return f"step '{self.step}'"
        if self.role is not None:
            return f"role '{self.role}'"
        return "the process" if self.place == "process" else "the roles file"


def sort_warnings(
    warnings: Iterable[Problem],
    checked: Sequence[Process],
    others: Sequence[Process] = (),
    *,
    checker: Checker = "validate",
) -> Accepting:
    """The warnings ``checked`` and ``others`` do not accept, then those they accept.

    ``checked`` are the processes whose own warnings the caller looked for: their
    accepts that accepted nothing are reported (``accept-unused``). ``others`` (the
    processes they run) only accept. Both lists keep their order, sorted by place.
    """
    entries = _entries([*checked, *others])
    shown: list[Problem] = []
    accepted: list[Problem] = []
    for warning in warnings:
        entry = _accepting(entries, warning)
        if entry is None:
            shown.append(warning)
        else:
            entry.used = True
            accepted.append(warning)
    mine = {_key(p.source.path) for p in checked}
    for (path, _), found in entries.items():
        if path not in mine:
            continue
        shown += [_unused(entry) for entry in found if _stale(entry, checker)]
    return Accepting(
        tuple(sorted(shown, key=lambda p: p.sort_key)),
        tuple(sorted(accepted, key=lambda p: p.sort_key)),
    )


def accepts(process: Process, warning: Problem) -> bool:
    """Whether ``process`` (its steps, its roles or itself) accepts ``warning``: what
    ``sopkit plan`` asks of each due date it cannot meet."""
    return _accepting(_entries([process]), warning) is not None


def _key(path: str | None) -> str:
    """A file as accepts and warnings are matched by: its real path (a warning names a
    roles file from the current folder, a process its roles file as it was found)."""
    return "" if path is None else str(Path(path).resolve())


_Entries = dict[tuple[str, str], list[_Entry]]


def _entries(processes: Iterable[Process]) -> _Entries:
    """Every accepted code of these processes' files and roles files, by file and code,
    the steps' and roles' before the file's own."""
    found: _Entries = {}
    roles_files: set[str] = set()

    def add(path: str, entry: _Entry) -> None:
        found.setdefault((path, entry.code), []).append(entry)

    for process in processes:
        path, source = _key(process.source.path), process.source
        for index, step in enumerate(process.steps):
            for j, code in enumerate(step.accept):
                add(path, _Entry(code, "step", ("steps", index, "accept", j), source, step=step.id))
        for name, role in process.roles.items():
            for j, code in enumerate(role.accept):
                add(path, _Entry(code, "role", ("roles", name, "accept", j), source, role=name))
        for j, code in enumerate(process.accept):
            add(path, _Entry(code, "process", ("accept", j), source))
        settings, where = process.base_settings, _key(process.settings_path)
        if process.settings_path is None or where in roles_files:
            continue
        roles_files.add(where)
        for name, role in settings.roles.items():
            for j, code in enumerate(role.accept):
                add(where, _Entry(code, "role", ("roles", name, "accept", j), None, role=name))
        for j, code in enumerate(settings.accept):
            add(where, _Entry(code, "roles file", ("accept", j), None))
    for listed in found.values():
        listed.sort(key=lambda entry: entry.place in ("process", "roles file"))
    return found


def _accepting(entries: _Entries, warning: Problem) -> _Entry | None:
    """The entry that accepts ``warning``: its step's or role's, else its file's."""
    if warning.code is None or warning.severity != "warning" or warning.path is None:
        return None
    for entry in entries.get((_key(warning.path), warning.code), ()):
        if entry.step is not None and entry.step != warning.step:
            continue
        if entry.role is not None and entry.role != warning.role:
            continue
        return entry
    return None


def _stale(entry: _Entry, checker: Checker) -> bool:
    """An entry that accepted nothing, of a code this check would have found."""
    code = CODES[entry.code]
    return (
        not entry.used
        and entry.source is not None
        and code.checker == checker
        and not code.together
    )


def _unused(entry: _Entry) -> Problem:
    assert entry.source is not None  # see _stale
    return entry.source.problem(
        entry.loc,
        f"{entry.what} accepts '{entry.code}', but "
        + ("it has" if entry.step or entry.role else "its file has")
        + " no such warning",
        hint=f"remove '{entry.code}' from its 'accept'",
    ).as_warning(ACCEPT_UNUSED, step=entry.step, role=entry.role)
