"""Processes that run other processes: finding each called process, binding it to its
callers, and refusing unknown ids, circles of calls and mixed currencies."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, SopkitError
from ..graph import Flow
from ..models import Process
from ..source import Document, SourceMap, read_document
from ..suggest import closest
from .paths import ROLES_FILENAMES, SUFFIXES

if TYPE_CHECKING:  # networkx takes ~80 ms to import; see sopkit.graph
    import networkx as nx

__all__ = [
    "link_calls",
    "process_ids_in",
    "unknown_calls",
    "with_calls",
]


def link_calls(
    processes: list[Process], load: Callable[[Path], Process]
) -> tuple[list[Process], list[Problem]]:
    """Bind every called process to its callers, loading the ones not given from the
    caller's folder with ``load``; refuse unknown ids, call cycles and mixed currencies.

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
                callee = load(found)
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


def with_calls(problems: list[Problem], calls: list[Problem]) -> list[Problem]:
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


def unknown_calls(loaded: Sequence[Process], failed: Sequence[Path]) -> list[Problem]:
    """Unknown callees, found while other problems stop the load, so they are reported
    in the same run rather than once those are fixed.

    The loaded processes' calls and the failed files' raw steps (``process:``
    values) are checked against every id given, loaded or not, and the ids in the
    caller's folder: what ``link_calls`` would find.
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
            if path.suffix not in SUFFIXES or path.name in ROLES_FILENAMES:
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
