"""The texts of a BPMN file that no field of a process file holds, counted in one warning.

A modeler writes texts everywhere: names and documentation on every element,
annotations linked to anything. The steps keep theirs (``steps.py``), the
process and its roles the documentation of pools, lanes and collaborations
where a field is free (``descriptions.py``); what is left is counted here by
kind, naming a few, so no text goes silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .context import ImportContext
from .notes import Notes, clean_name
from .reader import EVENTS as EVENT_KINDS
from .reader import GATEWAYS, BpmnDocument, MessageFlow, SequenceFlow
from .words import END_WORDS

__all__ = ["warn_left_out"]


#: What the left-out warning counts, singular and plural, in the order it lists them.
_LEFT_OUT = {
    "end": ("end-event name", "end-event names"),
    "sub": ("sub-process name", "sub-process names"),
    "gateway-name": ("gateway name", "gateway names"),
    "flow-name": ("flow name", "flow names"),
    "message-name": ("message-flow name", "message-flow names"),
    "collaboration": ("text on a collaboration", "texts on collaborations"),
    "pool": ("text on a pool", "texts on pools"),
    "lane": ("text on a lane", "texts on lanes"),
    "event": ("text on an event", "texts on events"),
    "gateway": ("text on a gateway", "texts on gateways"),
    "sub-text": ("text on a sub-process", "texts on sub-processes"),
    "flow": ("text on a flow", "texts on flows"),
    "annotation": ("annotation", "annotations"),
}


def warn_left_out(
    doc: BpmnDocument,
    importers: Sequence[ImportContext],
    notes: Notes,
    placed: Iterable[tuple[str, str]],
) -> None:
    """One warning for the file naming the texts no field holds, so none goes silently.

    A task's or an intermediate event's documentation and the annotations linked to
    it are its step's; a start event's name is the trigger (its documentation too, in
    a file sopkit exported), a decision's gateway the question, a loop's the question
    its rework answers, a decision's flow an answer. What is left has no field: an end
    event's name (an outcome: "Vacation Refused by Manager"), an inlined sub-process's
    name, the name of a gateway that asks no question (a label, "Merge": ``_asking``),
    the name of a flow that answers no question (``_answers``), documentation on the
    other events, on gateways,
    sub-processes and flows, and annotations linked to no step; and the texts of
    pools, lanes and collaborations whose field was taken, and the names of message
    flows no step receives or sends (``placed``: kind, shown).
    Elements left out as a whole (an event sub-process) were warned about already.
    """
    processes = {pool.process.id for importer in importers for pool in importer.pools}
    steps = {node for importer in importers for node in importer.structure.steps}
    expanded = {node for importer in importers for node in importer.structure.expanded}
    hidden = {node for importer in importers for node in importer.structure.hidden}
    exported = any(importer.exported for importer in importers)
    kept = {n.id for n in doc.nodes.values() if n.process in processes and n.id not in hidden}
    asking = _asking(importers)
    found: dict[str, list[str]] = {key: [] for key in _LEFT_OUT}
    for node in sorted(doc.nodes.values(), key=lambda n: n.order):
        if node.id not in kept or node.id in steps:
            continue
        shown = clean_name(node.name) or node.id
        if node.kind == "endEvent" and clean_name(node.name) not in ("", *END_WORDS):
            found["end"].append(f"'{shown}'")
        if node.id in expanded and clean_name(node.name):
            found["sub"].append(f"'{shown}'")
        if (
            node.kind in GATEWAYS
            and clean_name(node.name)
            and node.id not in asking
            and node.marker is None  # sopkit's own, named with its words for a field
        ):
            found["gateway-name"].append(f"'{shown}'")
        if not node.documentation or (node.kind == "startEvent" and exported):
            continue  # sopkit writes the trigger as the start event's documentation
        # named as the element's, apart from its name: an end event has both
        text = f"documentation of '{shown}'"
        if node.kind in EVENT_KINDS:
            found["event"].append(text)
        elif node.kind in GATEWAYS:
            found["gateway"].append(text)
        elif node.id in expanded:
            found["sub-text"].append(text)
    answers = _answers(doc, importers)
    for named in doc.flows.values():
        if (
            named.name
            and named.id not in answers
            and (named.source in kept or named.target in kept)
        ):
            found["flow-name"].append(f"'{named.name}'")
    for kind, shown in placed:
        found[kind].append(shown)
    flows: list[SequenceFlow | MessageFlow] = [*doc.flows.values(), *doc.message_flows]
    for flow in flows:
        if flow.documentation and (flow.source in kept or flow.target in kept):
            found["flow"].append(f"documentation of '{clean_name(flow.name) or flow.id}'")
    for annotation in doc.annotations:
        if not any(element in steps for element in annotation.about) and not any(
            element in hidden for element in annotation.about
        ):
            text = clean_name(annotation.text)
            found["annotation"].append(f"'{text}'" if len(text) <= 40 else f"'{text[:39]}…'")
    parts = []
    for key, names in found.items():
        if names:
            one, many = _LEFT_OUT[key]
            more = f" and {len(names) - 2} more" if len(names) > 2 else ""
            listed = f"{', '.join(names[:2])}{more}"
            parts.append(f"{len(names)} {one if len(names) == 1 else many} ({listed})")
    if parts:
        notes.warn(f"texts no field holds, left out: {', '.join(parts)}", None)


def _asking(importers: Sequence[ImportContext]) -> set[str]:
    """The gateways whose names are questions the process keeps: a decision's (its
    condition's question, or the question a warning says it leaves out; a loop checked
    at its start, "More items?", is one) and a loop's where it goes back ("Complete?",
    answered by the ``rework``). Any other gateway's name ("Merge", "Review outcome" on
    a split whose ways all lead to the same steps) is a label that asks nothing."""
    found = {decision.node for importer in importers for decision in importer.structure.decisions}
    found.update(
        loop.source.partition("#")[0] for importer in importers for loop in importer.structure.loops
    )
    return found


def _answers(doc: BpmnDocument, importers: Sequence[ImportContext]) -> set[str]:
    """The sequence flows whose names answer a question the process keeps: a decision's
    branches (its condition's options), the way back out of a loop and, out of a
    loop's gateway, the way on too (the answers to "go back?", which the ``rework``
    is), and the flows sopkit writes for a field (a marker on the flow or its gateway)."""
    found = {
        branch.flow
        for importer in importers
        for decision in importer.structure.decisions
        for branch in decision.branches
        if branch.flow is not None
    }
    for importer in importers:
        for loop in importer.structure.loops:
            if loop.flow is not None:
                found.add(loop.flow)
            gateway = doc.nodes.get(loop.source.partition("#")[0])
            if gateway is not None and gateway.kind in GATEWAYS:
                found.update(f.id for f in doc.flows.values() if f.source == gateway.id)
    for flow in doc.flows.values():
        source = doc.nodes.get(flow.source)
        if flow.marker is not None or (source is not None and source.marker is not None):
            found.add(flow.id)
    return found
