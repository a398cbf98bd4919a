"""Which processes of a BPMN file sopkit imports, in which pools, under which ids and names.

A file's collaborations draw its processes as pools; some processes a call
activity runs, some no pool shows. Here the file is sorted into the pools of
its own process and the processes its steps call, what cannot be mapped at all
is refused before anything is built, and each process is given an id (the one
sopkit exported it with, read from its element ids, else one from its name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...errors import ValidationError
from ...models import is_slug
from .notes import Notes, clean_name, first_few, slugify
from .reader import CHOREOGRAPHIES, BpmnDocument, Participant, ProcessRecord
from .roles import Pool

__all__ = [
    "called_ref",
    "called_processes",
    "choose_process_id",
    "exported_id",
    "exported_step_id",
    "has_nodes",
    "main_pools",
    "main_name",
    "participant_of",
    "refuse_unmappable",
    "stem",
]


def refuse_unmappable(doc: BpmnDocument, processes: Iterable[str]) -> None:
    chosen = set(processes)
    for node in sorted(doc.nodes.values(), key=lambda n: n.order):
        if node.process not in chosen:
            continue
        if node.kind == "complexGateway":
            shown = f"'{clean_name(node.name)}' ({node.id})" if node.name.strip() else node.id
            raise ValidationError(
                f"complex gateway {shown} cannot be mapped: which of its paths run is a rule in "
                "free text",
                path=doc.path,
                hint="replace it with exclusive or parallel gateways",
            )
        if node.kind in CHOREOGRAPHIES:
            raise ValidationError(
                f"choreography {node.id} cannot be mapped: it shows messages between parties, "
                "not a process",
                path=doc.path,
                hint="export the process (a pool with tasks) instead",
            )


def main_pools(doc: BpmnDocument, notes: Notes) -> list[Pool]:
    """The pools of the file's collaborations that have a process no step calls, and the
    processes no pool shows and no step calls (some tools draw a pool without a
    participant).

    A file may draw one process as several collaborations, a pool each (MIWG C.4.0's
    onboarding: the bank, then IT, Payroll and Facilities, linked by signals): all of
    them are its pools, never only the first. A called process's own collaboration
    (as sopkit exports one) is that process's, read as a process of its own.
    """
    called = {
        called_ref(n.element.get("calledElement"))
        for n in doc.nodes.values()
        if n.kind == "callActivity"
    }
    shown = {p.process for participants in doc.collaborations for p in participants if p.process}
    pools: list[Pool] = []
    groups: list[list[Pool]] = []
    for participants in doc.collaborations:
        found = []
        for participant in participants:
            record = doc.processes.get(participant.process or "")
            if record is None:
                name = participant.name or participant.id
                notes.warn(f"pool '{name}' has no process of its own: left out", participant.id)
                continue
            taken = any(p.process.id == record.id for p in pools)
            if record.id not in called and not taken and has_nodes(doc, record):
                found.append(Pool(record, participant))
        if found:
            groups.append(found)
            pools += found
    if len(groups) > 1:
        others = [clean_name(p.name) or p.process.id for group in groups[1:] for p in group]
        notes.warn(
            f"the file draws its pools in {len(groups)} collaborations: "
            f"{first_few(others, 6)} are read as pools of this one process beside "
            f"'{clean_name(groups[0][0].name) or groups[0][0].process.id}' (to import one "
            "as a process of its own, put it in a file of its own)",
            groups[1][0].process.id,
        )
    loose = [p for p in doc.processes.values() if p.id not in shown and p.id not in called]
    loose = [p for p in loose if has_nodes(doc, p)]
    pools += [Pool(p, None) for p in loose]
    if len(pools) > 1:
        for record in loose:
            if record is pools[0].process:
                continue
            # some tools draw a pool without a participant: read as one more pool
            notes.warn(
                f"process '{record.name or record.id}' is in no pool of a collaboration and no "
                "step calls it: its tasks are imported as one more pool of this process (to "
                "import it as a process of its own, put it in a file of its own)",
                record.id,
            )
    if not pools:  # only called processes (pools that call each other): the first
        pools = [
            Pool(p, participant_of(doc, p.id)) for p in doc.processes.values() if has_nodes(doc, p)
        ][:1]
    return pools


def participant_of(doc: BpmnDocument, process_id: str) -> Participant | None:
    """The pool that shows a process, in any of the file's collaborations: a process
    another pool calls is still its pool's, whose name it and its role take."""
    return next((p for group in doc.collaborations for p in group if p.process == process_id), None)


def called_ref(value: str | None) -> str:
    return (value or "").strip().rpartition(":")[2]


def has_nodes(doc: BpmnDocument, process: ProcessRecord) -> bool:
    return any(n.process == process.id for n in doc.nodes.values())


def called_processes(doc: BpmnDocument, pools: Sequence[Pool]) -> list[ProcessRecord]:
    """Processes of the file that steps call (directly or through others), first call first."""
    taken = {p.process.id for p in pools}
    found: list[ProcessRecord] = []
    queue = [p.process.id for p in pools]
    while queue:
        current = queue.pop(0)
        for node in sorted(doc.nodes.values(), key=lambda n: n.order):
            if node.process != current or node.kind != "callActivity":
                continue
            ref = called_ref(node.element.get("calledElement"))
            record = doc.processes.get(ref)
            if record is not None and ref not in taken and has_nodes(doc, record):
                taken.add(ref)
                found.append(record)
                queue.append(ref)
    return found


def _unique(candidates: Iterable[str], used: set[str]) -> str:
    base = next((c for c in candidates if c), "process")
    name, n = base, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def choose_process_id(
    doc: BpmnDocument, record: ProcessRecord, names: Iterable[str], used: set[str]
) -> str:
    written = (record.process_data or {}).get("id")
    own = [written] if isinstance(written, str) and is_slug(written) else []
    exported = exported_id(doc, record)
    own += [exported] if exported is not None else []
    return _unique([*own, *(slugify(n) for n in names)], used)


def exported_step_id(node_id: str, process_id: str, main: bool) -> str | None:
    """A step's id from its element's, as sopkit exports it: ``Task_<id>``, ``Event_<id>``
    or ``Call_<id>``; the processes a file's process runs say theirs too
    (``Task_<process id>_<id>``)."""
    kind, _, rest = node_id.partition("_")
    if kind not in ("Task", "Event", "Call"):
        return None
    if not main:
        if not rest.startswith(f"{process_id}_"):
            return None
        rest = rest.removeprefix(f"{process_id}_")
    if _MODELER_ID.fullmatch(rest):
        return None  # an element added in a modeler (bpmn-js: Event_0k2x9ab): named by its name
    return rest or None


#: The random part of an id bpmn-js gives a new element: seven letters and digits, a
#: digit first (``Task_1hcentk``, ``Event_0k2x9ab``).
_MODELER_ID = re.compile(r"[0-9][0-9a-z]{6}")


def exported_id(doc: BpmnDocument, record: ProcessRecord) -> str | None:
    """The sopkit id a process had when sopkit exported it, read from its element ids.

    sopkit names a process's elements after its id (``Process_<id>`` shown by
    ``Participant_<id>``, tasks ``Task_<id>``), so the ids survive a tool that
    drops the ``sopkit:`` extension, and a round trip through it keeps them (for
    ``sopkit diff``). Modelers number their ids (``Process_0abc1`` shown by
    ``Participant_1xyz2``), so both must name the same id.
    """
    if not record.id.startswith("Process_"):
        return None
    pid = record.id.removeprefix("Process_")
    shown = any(
        p.id == f"Participant_{pid}" and p.process == record.id
        for participants in doc.collaborations
        for p in participants
    )
    return pid if shown and is_slug(pid) else None


def main_name(doc: BpmnDocument, pools: Sequence[Pool], *, titled: bool) -> str:
    """The main process's name: one pool's name, else the file's title, else its name.

    With ``titled``, a title that reads as a name of the work wins over one pool's
    name, which is often who does the work: MIWG C.7.0 is "Advertise a job vacancy",
    a pool "EU Bank". A title that is a code or the file's name ("C.1.1",
    "Definitions_1") is not one; the pool (or the process) says more. Pools drawn in
    collaborations of their own after the first pool's (MIWG C.4.0's IT, Payroll and
    Facilities beside "Money Bank") are departments that help: the first names it.
    """
    title = clean_name(doc.name)
    file_stem = stem(doc.path)
    is_title = " " in title and title.casefold() != file_stem.casefold()
    first = pools[0].participant
    group = next((g for g in doc.collaborations if first is not None and first in g), [])
    together = [p for p in pools if p.participant is None or p.participant in group] or pools
    if len(together) == 1 and pools[0].name and not (titled and is_title):
        return pools[0].name
    return (title if is_title or len(together) > 1 else "") or pools[0].name or file_stem


def stem(path: str) -> str:
    """A file's name without folder and extension."""
    name = path.replace("\\", "/").rpartition("/")[2]
    return name.rpartition(".")[0] or name
