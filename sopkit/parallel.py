"""The JSON cost report of a large portfolio, made by several processes at once.

``sopkit cost --format json`` on thousands of files is Python busy on one core:
reading, checking and costing each file, then writing its JSON. All of that is
per file, so the files are split into contiguous parts, one per CPU. Each part
is loaded, checked, costed and written by a forked copy of this process, which
sends back the text of each of its processes and its part's ``CostSummary`` (a
few kilobytes); this process does the first part itself. The summaries add up
exactly, so the report, written in file order, is byte for byte the one a single
process writes (``cost_json_parts``).

Only the plain case is split: every file loads without a problem, no process
runs another (a caller and the process it runs may fall in different parts),
and ids and the currency agree across parts. Anything else is done again in one
process, so every located error and every figure a user sees comes from the one
path it always came from. Splitting needs ``fork`` (the parts share this
process's imports for free), so it happens on Linux only.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from .analysis import CostSummary, ProcessCost, cost_portfolio, cost_process
from .errors import SopkitError
from .load import discover, load_portfolio
from .models import Process, Settings
from .render.costs.cost_json import cost_json_from, cost_json_parts, process_json_text

__all__ = ["MIN_FILES", "cost_json_for", "workers_for"]

#: Below this many files a portfolio is costed in one process when ``jobs`` is not
#: given: starting a copy and passing its text back costs more than it saves.
MIN_FILES = 200
#: Files loaded at a time: a problem ends a part within this many files.
_LOAD_BATCH = 64
#: Processes' texts sent back at a time: large enough to pass few messages, small
#: enough that the parent never holds much of a part's text at once.
_BATCH = 256

Roles = str | Path | Settings | None


def workers_for(jobs: int | None, files: int) -> int:
    """How many processes cost ``files`` files: ``jobs``, at most one a file, and one
    where ``fork`` is missing.

    By default, one per CPU from ``MIN_FILES`` files up, unless this process runs
    other threads: a forked copy gets only the forking thread, and a lock another
    thread held at that moment stays locked in the copy for good.
    """
    if sys.platform != "linux" or files < 2:
        return 1
    if jobs is None:
        if files < MIN_FILES or threading.active_count() > 1:
            return 1
        jobs = len(os.sched_getaffinity(0))
    return max(1, min(jobs, files))


def cost_json_for(
    paths: str | Path | Sequence[str | Path], *, roles: Roles = None, jobs: int | None = None
) -> Iterator[bytes]:
    """``cost_json_parts(cost_portfolio(load_portfolio(paths, roles=roles)))`` as UTF-8
    pieces, made by up to ``jobs`` processes at once (see the module's notes).

    Loading and costing are done before this returns (a problem raises here);
    the pieces are then made as they are read. They are bytes because the
    copies' texts arrive as bytes: decoding them only to encode them again for
    the file took a twentieth of the whole.

    Raises:
        SopkitError: as ``load_portfolio`` and ``cost_portfolio`` raise it.
    """
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    files = discover(given)
    workers = workers_for(jobs, len(files))
    if workers > 1:
        pieces = _in_parts(_split(files, workers), roles)
        if pieces is not None:
            return pieces
    texts = cost_json_parts(cost_portfolio(load_portfolio(given, roles=roles)))
    return (text.encode() for text in texts)


def _split(files: list[Path], parts: int) -> list[list[Path]]:
    """``parts`` contiguous runs of files, as even in count as they can be."""
    size, extra = divmod(len(files), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (index < extra)
        runs.append(files[start:end])
        start = end
    return runs


@dataclass(slots=True)
class _Part:
    """A part of the portfolio, costed: its summary, its ids and each process's text
    (as UTF-8: a text with one character beyond Latin-1 takes two or four bytes a
    character as a ``str``)."""

    summary: CostSummary
    ids: list[str]
    texts: list[bytes]


def _never() -> bool:
    return False


def _cost_part(
    files: list[Path], roles: Roles, failed: Callable[[], bool] = _never
) -> _Part | None:
    """The part costed and written, or ``None`` when it is not the plain case.

    The files are loaded a few at a time, so a problem ends the part at once
    (the whole portfolio is then loaded again in one process, which reports
    it), and ``failed`` is asked between them whether another part has
    already ended so. Without calls between processes, ``cost_portfolio`` costs
    each process on its own, so each is costed, written and let go in turn: a
    part holds its processes' text, never all their figures too.
    """
    processes: list[Process] = []
    for start in range(0, len(files), _LOAD_BATCH):
        if failed():
            return None
        try:
            portfolio = load_portfolio(files[start : start + _LOAD_BATCH], roles=roles)
        except SopkitError:
            return None
        if portfolio.dependencies:
            return None
        processes.extend(portfolio.processes)
    if any(p.calls for p in processes) or not _one_each(processes):
        return None
    processes.reverse()
    ids: list[str] = []
    texts: list[bytes] = []

    def costed() -> Iterator[ProcessCost]:
        while processes:
            process = processes.pop()
            cost = cost_process(process)
            ids.append(process.id)
            texts.append(process_json_text(cost, cost.currency).encode())
            yield cost

    try:
        summary = CostSummary.of_processes(costed())
    except SopkitError:
        return None
    return _Part(summary, ids, texts)


def _one_each(processes: list[Process]) -> bool:
    """No id twice and one currency across the batches a part was loaded in (each
    batch checked its own)."""
    ids = {p.id for p in processes}
    return len(ids) == len(processes) and len({p.settings.currency for p in processes}) == 1


def _child(
    files: list[Path], roles: Roles, connection: Connection, inherited: list[Connection]
) -> None:
    """A forked copy's work: cost its part, send the summary and ids, then the texts.

    Any failure, even a bug, sends ``None``: the parent then costs everything in one
    process, where a bug shows as it always would. The read ends this copy got by
    forking are closed first: while any copy held one, a copy whose parent died
    would wait forever to send, instead of failing to.
    """
    for reader in inherited:
        reader.close()
    try:
        part = _cost_part(files, roles)
    except BaseException:  # noqa: BLE001 - the parent redoes the work and shows it
        part = None
    try:
        if part is None:
            connection.send(None)
            return
        connection.send((part.summary, part.ids))
        texts = part.texts
        for start in range(0, len(texts), _BATCH):
            connection.send(texts[start : start + _BATCH])
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent stopped reading (it went the single-process way, or it ended)
    finally:
        connection.close()


def _in_parts(parts: list[list[Path]], roles: Roles) -> Iterator[bytes] | None:
    """The report's pieces, the later parts costed by forked copies; ``None`` when
    any part is not the plain case (the caller then costs in one process)."""
    context = get_context("fork")
    # Whatever this process has buffered would be written again by each copy.
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[BaseProcess, Connection]] = []
    heads: dict[int, tuple[CostSummary, list[str]] | None] = {}

    def failed() -> bool:
        """Whether a copy has already said its part is not the plain case."""
        for index, (_, receiver) in enumerate(children):
            if index not in heads and receiver.poll():
                heads[index] = receiver.recv()
                if heads[index] is None:
                    return True
        return False

    try:
        for files in parts[1:]:
            receiver, sender = context.Pipe(duplex=False)
            readers = [receiver, *(reader for _, reader in children)]
            child = context.Process(
                target=_child, args=(files, roles, sender, readers), daemon=True
            )
            child.start()
            sender.close()
            children.append((child, receiver))
        first = _cost_part(parts[0], roles, failed)
        if first is not None:
            for index, (_, receiver) in enumerate(children):
                if index not in heads:
                    heads[index] = receiver.recv()
                if heads[index] is None:
                    break
    except BaseException as exc:
        _stop(children)
        if isinstance(exc, EOFError | OSError):  # a copy died (out of memory, say)
            return None
        raise
    # In the copies' order: a copy that ended early was heard from early.
    ordered = [heads.get(index) for index in range(len(children))]
    later = [head for head in ordered if head is not None]
    if first is None or len(later) < len(children) or not _agree(first, later):
        _stop(children)
        return None
    summary = CostSummary.total([first.summary, *(summary for summary, _ in later)])
    counts = [len(ids) for _, ids in later]
    pieces = _pieces(summary, first.texts, children, counts)
    # A report dropped before its first piece never runs the generator's finally.
    weakref.finalize(pieces, _stop, children)
    return pieces


def _agree(first: _Part, later: list[tuple[CostSummary, list[str]]]) -> bool:
    """One currency and no id twice across the parts (each part checked its own);
    otherwise one process finds and reports the mix or the repeated id."""
    seen = set(first.ids)
    for summary, ids in later:
        if summary.currency != first.summary.currency or not seen.isdisjoint(ids):
            return False
        seen.update(ids)
    return True


def _pieces(
    summary: CostSummary,
    first: list[bytes],
    children: list[tuple[BaseProcess, Connection]],
    counts: list[int],
) -> Iterator[bytes]:
    try:
        yield from cost_json_from(summary, _texts(first, children, counts))
    finally:
        _stop(children)


def _texts(
    first: list[bytes], children: list[tuple[BaseProcess, Connection]], counts: list[int]
) -> Iterator[bytes]:
    """Every process's text in file order: this process's part, then each copy's."""
    first.reverse()
    while first:  # each let go once written
        yield first.pop()
    for (_, receiver), count in zip(children, counts, strict=True):
        received = 0
        while received < count:
            try:
                batch: list[bytes] = receiver.recv()
            except (EOFError, OSError):  # it ended between two messages, or within one
                raise SopkitError(
                    "a process costing part of the portfolio stopped before it sent its report",
                    hint="run again with --jobs 1 to cost in one process",
                ) from None
            received += len(batch)
            yield from batch


def _stop(children: list[tuple[BaseProcess, Connection]]) -> None:
    """End every copy (a finished one is only reaped) and close its pipe."""
    for child, receiver in children:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
