"""A process file given alone, with the processes beside it that run it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import SopkitError, UsageError
from ..models import Process, Settings
from .paths import ROLES_FILENAMES, SUFFIXES, as_paths, is_scenario_file
from .portfolio import Portfolio, load_portfolio

__all__ = [
    "callers_of",
    "with_callers",
    "with_procedures",
]


def callers_of(process: Process, *, roles: str | Path | Settings | None = None) -> Portfolio:
    """``process`` with the processes beside its file that run it, as one portfolio:
    those that call it, and those that call them when they have no runs of their own.

    A SOP printed from one file can then say who runs it, as the site's does, and a
    procedure two calls down counts the runs at the top, as in its folder.
    Only files that name it in a ``process:`` line are read; when one of them
    cannot be loaded, the process is returned alone (``sopkit validate`` reports
    the broken file).

    ``process`` itself comes first, not the copy read again with its callers: what was
    done to it after loading (``in_language`` for ``--lang``, a changed copy) is what
    its figures and documents are made of, and its callers run it, not the file.
    """
    if not isinstance(process, Process):
        raise UsageError(
            f"expected a Process, not {type(process).__name__}",
            hint="load it with load_process(path)",
        )
    alone = Portfolio((process,), ())
    if not process.source_path:
        return alone
    path = Path(process.source_path)
    try:
        others = sorted(path.parent.iterdir())
    except OSError:
        return alone
    texts: dict[Path, str] = {}
    for other in others:
        if other.suffix not in SUFFIXES or other.name in ROLES_FILENAMES or other == path:
            continue
        try:
            texts[other] = other.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    found = [p for p in _calling(process.id, texts) if not is_scenario_file(p)]
    if not found:
        return alone
    try:
        portfolio = load_portfolio([path, *found], roles=roles)
    except SopkitError:
        return alone
    # The processes that run it, and those that run them when they have no runs of their
    # own (A runs B runs C: C given alone counts A's runs, through B, as the folder does).
    reached = {process.id}
    callers: list[Process] = []
    grew = True
    while grew:
        grew = False
        for runner in portfolio.processes[1:]:
            if runner not in callers and any(s.process in reached for s in runner.steps):
                callers.append(runner)
                if runner.frequency is None:
                    reached.add(runner.id)
                grew = True
    if not callers:
        return alone
    # Read again, its callers ran the file's copy of it; they are this call's own, so
    # they may be bound to the process as given.
    for runner in (*portfolio.processes[1:], *portfolio.dependencies):
        if process.id in runner.callees:
            runner.bind_callees({**runner.callees, process.id: process})
    return Portfolio((process, *callers), portfolio.dependencies)


def _calling(process_id: str, texts: dict[Path, str]) -> list[Path]:
    """The files that name ``process_id`` in a ``process:`` line, and, for each of those
    with no ``frequency:`` of its own, the files that name its id, and so on up."""
    wanted, seen, found = [process_id], {process_id}, []
    while wanted:
        calls = re.compile(rf"\bprocess:[ \t]*['\"]?{re.escape(wanted.pop())}(?![\w-])")
        for other, text in texts.items():
            if other in found or not calls.search(text):
                continue
            found.append(other)
            own_id = _TOP_ID.search(text)
            if own_id and own_id.group(1) not in seen and not _TOP_FREQUENCY.search(text):
                seen.add(own_id.group(1))
                wanted.append(own_id.group(1))
    return sorted(found)


#: A process file's own ``id:`` and ``frequency:`` lines (top-level keys start a line).
_TOP_ID = re.compile(r"^id:[ \t]*['\"]?([\w-]+)", re.MULTILINE)
_TOP_FREQUENCY = re.compile(r"^frequency:[ \t]*\S", re.MULTILINE)


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


def with_procedures(portfolio: Portfolio) -> Portfolio:
    """``portfolio`` with the procedures its processes run (loaded from beside them, not
    given) among its processes, after them.

    A procedure's work is costed in the steps that call it, so a caller's file given
    alone hides the procedure's automation candidates, though their saving comes from
    the caller's runs: with the procedure among the processes, ``rank_candidates`` lists
    them at the runs the callers make, as the whole folder's list does. Only procedures
    (no ``frequency``): a process that also runs on its own was not asked about.
    """
    if not isinstance(portfolio, Portfolio):
        raise UsageError(
            f"expected a Portfolio, not {type(portfolio).__name__}",
            hint="load it with load_portfolio(paths)",
        )
    procedures = tuple(p for p in portfolio.dependencies if p.frequency is None)
    if not procedures:
        return portfolio
    others = tuple(p for p in portfolio.dependencies if p.frequency is not None)
    return Portfolio((*portfolio.processes, *procedures), others)
