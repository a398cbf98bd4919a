"""The names written on message flows, kept in the instructions of the steps they reach.

A message flow between pools is a hand-off (``after``, ``structure.py``), and its
name says what is handed over or how ("Send brief", "Signed contract"). A new
hire doing the step that receives it needs that: the step's instructions open
with the message and who sends it (``Message from Marketing: Send brief``), the
sender named by its role (its lane), else its pool. A message no step here
receives (sent to a pool drawn without a process of its own, such as a
customer) closes the instructions of the step that sends it (``Message to
Customer: Invoice``). A name neither end keeps (between two pools without a
process) is handed to the left-out warning, so none goes silently; one inside an
element left out as a whole went with its warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .context import ImportContext
from .notes import clean_name
from .pools import participant_of
from .reader import BpmnDocument
from .roles import EVENTS

__all__ = ["MessageLines", "place_messages"]


@dataclass(frozen=True, slots=True)
class MessageLines:
    """Where the message flows' names went: the lines opening (``received``) and closing
    (``sent``) each step's instructions, by the step's node id, and the names left out
    as ``(kind, shown)``."""

    received: dict[str, list[str]]
    sent: dict[str, list[str]]
    left_out: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _End:
    """Where a message flow's end is: the process made from it and the element that
    stands for it in its flow (a collapsed sub-process for what it holds); no process
    for an end inside an element left out as a whole."""

    importer: ImportContext | None
    node: str


def place_messages(doc: BpmnDocument, importers: Sequence[ImportContext]) -> MessageLines:
    """Each named message flow as a line of the steps that receive it, else of those that
    send it; the names neither keeps, to count as left out."""
    received: dict[str, list[str]] = {}
    sent: dict[str, list[str]] = {}
    left_out: list[tuple[str, str]] = []
    for message in doc.message_flows:
        name = clean_name(message.name)
        if not name:
            continue
        source, target = _end(doc, importers, message.source), _end(doc, importers, message.target)
        receivers = _steps(target, after=True)
        senders = [] if receivers else _steps(source, after=False)
        for node_id in receivers:
            _add(received, node_id, _line("from", _party(doc, importers, message.source), name))
        for node_id in senders:
            _add(sent, node_id, _line("to", _party(doc, importers, message.target), name))
        gone = any(end is not None and end.importer is None for end in (source, target))
        if not receivers and not senders and not gone:
            left_out.append(("message-name", f"'{name}'"))
    return MessageLines(received, sent, tuple(left_out))


def _line(way: str, party: str, name: str) -> str:
    return f"Message {way} {party}: {name}" if party else f"Message: {name}"


def _add(lines: dict[str, list[str]], node_id: str, line: str) -> None:
    here = lines.setdefault(node_id, [])
    if line not in here:
        here.append(line)


def _steps(end: _End | None, *, after: bool) -> list[str]:
    """The steps a message flow's end is, or leads to (``after``: a start event that
    a message begins leads to the steps it starts), or follows."""
    if end is None or end.importer is None:
        return []
    structure, node_id = end.importer.structure, end.node
    if node_id in structure.expanded:  # an inlined sub-process: its first or last steps
        node_id = f"{node_id}#in" if after else f"{node_id}#out"
    return structure.steps_after(node_id) if after else structure.steps_before(node_id)


def _end(doc: BpmnDocument, importers: Sequence[ImportContext], end: str) -> _End | None:
    """The process and element a message flow's end stands for (``None`` for a pool's
    border: a pool without a process of its own)."""
    node = doc.nodes.get(end)
    if node is None:
        return None
    for importer in importers:
        if node.process not in {pool.process.id for pool in importer.pools}:
            continue
        current: str | None = end
        while current is not None and current in importer.structure.hidden:
            current = doc.nodes[current].parent
        return _End(None, end) if current is None else _End(importer, current)
    return None


def _party(doc: BpmnDocument, importers: Sequence[ImportContext], end: str) -> str:
    """Who is at a message flow's end: its role (the lane of its element or of a
    sub-process holding it), else its pool's name."""
    current = doc.nodes.get(end)
    while current is not None:
        for importer in importers:
            role = importer.roles.role_of(current.id)
            if role is not None and role != EVENTS:
                return role
        if current.parent is None:
            break
        current = doc.nodes.get(current.parent)
    node = doc.nodes.get(end)
    pool = (
        participant_of(doc, node.process)
        if node is not None
        else next((p for group in doc.collaborations for p in group if p.id == end), None)
    )
    return "" if pool is None else clean_name(pool.name)
