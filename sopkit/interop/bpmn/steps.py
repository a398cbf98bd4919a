"""A BPMN file's tasks and events as a process file's steps, each with its fields.

Names, owners (lanes), ``after``, times and waits (BPSim, timers), joint work
(BPSim's resource selection), cash costs, repeats, calls, and the texts a
modeler writes beside a task (documentation, linked annotations, the names of
the message flows it receives or sends: ``messages.py``), over the
values a file sopkit exported carries in its ``sopkit:`` extension.
"""

from __future__ import annotations

from decimal import Decimal

from ..filedata import STEP_KEYS, Data
from .conditions import gating_of
from .context import ImportContext
from .notes import clean_name, first_few, text_lines
from .pools import called_ref, has_nodes, participant_of
from .reader import Node
from .rework import reworks_of
from .roles import EVENTS, Pool
from .timing import DEFAULT_TIME, estimate_text, hours_text, same_time, working_hours

__all__ = ["make_steps"]

#: Step fields the diagram itself gives; the extension's values for them are not used.
_STRUCTURAL = ("id", "name", "owner", "after", "milestone", "process")
#: Tasks a process engine does: never a person's sign-off.
_SYSTEM_TASKS = ("serviceTask", "scriptTask", "businessRuleTask")


def make_steps(ctx: ImportContext) -> list[Data]:
    """The process's steps, in the order the file lists them. Rework and conditions
    are read first: a loop asked as an approval makes its step a sign-off."""
    ctx.assign_ids()
    ctx.approvals = {}
    reworks = reworks_of(ctx)
    gating = gating_of(ctx)
    found = []
    ctx.untimed = []
    for node_id in ctx.structure.steps:
        found.append(_step(ctx, node_id, reworks.get(node_id), gating.get(node_id, {})))
    if ctx.untimed:  # one line for them all: a diagram without BPSim has dozens
        count = len(ctx.untimed)
        ctx.notes.warn(
            f"no processing time (BPSim) for {'a step' if count == 1 else f'{count} steps'}: "
            f"{DEFAULT_TIME} assumed",
            ctx.untimed[0],
            shown=first_few([ctx.step_ids[node] for node in ctx.untimed]),
        )
    return found


def _step(ctx: ImportContext, node_id: str, rework: Data | None, when: Data) -> Data:
    node = ctx.doc.nodes[node_id]
    kind = ctx.structure.kinds[node_id]
    if node.extension_error:
        ctx.warn(f"sopkit extension unreadable ({node.extension_error}): ignored", node_id)
    own = {k: v for k, v in (node.step_data or {}).items() if k not in _STRUCTURAL}
    step: Data = {"id": ctx.step_ids[node_id], "name": ctx.name(node_id)}
    called = _called(ctx, node_id) if kind == "call" else None
    if kind == "call" and called is None:
        kind = "work"
    if kind == "milestone":
        step["milestone"] = True
    if called is not None:
        step["process"] = called
    role = ctx.roles.role_of(node_id)
    if kind != "call" and role is not None and role != EVENTS:
        step["owner"] = role
    elif kind == "work":
        step["owner"] = _fallback_owner(ctx, node_id)
    after = [ctx.step_ids[a] for a in ctx.structure.after[node_id]]
    if after:
        step["after"] = after
    step.update(own)
    _documentation(ctx, node, step)
    _annotations(ctx, node_id, step)
    _messages(ctx, node_id, step)
    step.pop("rework", None)
    if rework is not None:
        step["rework"] = rework
    if when:
        written = own.get("when")
        step["when"] = {**when, **(written if isinstance(written, dict) else {})}
    if node_id in ctx.approvals and kind == "work" and node.kind not in _SYSTEM_TASKS:
        if "approval" not in step:
            step["approval"] = True
            ctx.warn(
                f"read as a sign-off: the check after it asks '{ctx.approvals[node_id]}'",
                node_id,
            )
    if kind == "work":
        _time(ctx, node_id, step)
        measured = ctx.bpsim.wait.get(node_id)
        if "wait" not in step and measured is not None:
            text = estimate_text(working_hours(ctx.clock, measured))
            if text is not None and text != "0h":
                step["wait"] = text
        if "with" not in step:
            _with(ctx, node_id, step)
        if "expense" not in step and node_id in ctx.bpsim.fixed_cost:
            step["expense"] = ctx.bpsim.fixed_cost[node_id]
    else:
        for key in ("time", "with", "automation", "expense"):
            step.pop(key, None)
        if kind == "milestone" and "wait" not in step:
            _timer(ctx, node_id, step)
    _repeats(ctx, node_id, step, kind)
    return {key: step[key] for key in STEP_KEYS if key in step}


def _documentation(ctx: ImportContext, node: Node, step: Data) -> None:
    """The task's documentation, the text a modeler shows and edits beside it.

    sopkit writes a step's ``done_when`` there, so in a file it exported (with its
    extension, or without it but with its element ids) the documentation is the
    ``done_when``: an edit made in the modeler wins over the extension's copy, as an
    edited name or lane does, and one deleted there is gone. Another modeler's
    documentation describes how the task is done: its lines become the step's
    ``instructions``.
    """
    if ctx.exported:
        if node.documentation:
            step["done_when"] = node.documentation
        else:
            step.pop("done_when", None)
    elif node.documentation and "instructions" not in step:
        step["instructions"] = text_lines(node.documentation)


def _annotations(ctx: ImportContext, node_id: str, step: Data) -> None:
    """Text annotations linked to the step's element: a note drawn beside a task says
    how to do it, so its lines join the step's ``instructions``. In a file sopkit
    exported too: sopkit writes none, so one is a note added in a modeler, and the
    ``done_when`` its documentation holds is a criterion, not a place for notes."""
    lines = [
        line
        for annotation in ctx.doc.annotations
        if node_id in annotation.about
        for line in text_lines(annotation.text)
    ]
    if not lines:
        return
    written = step.get("instructions")
    found = list(written) if isinstance(written, list) else []
    step["instructions"] = found + [line for line in lines if line not in found]


def _messages(ctx: ImportContext, node_id: str, step: Data) -> None:
    """The names of the message flows the step receives, first (what arrives, and from
    whom, before the work), and of those it sends where no step receives them, last."""
    first, last = ctx.received.get(node_id, []), ctx.sent.get(node_id, [])
    if not first and not last:
        return
    written = step.get("instructions")
    found = list(written) if isinstance(written, list) else []
    step["instructions"] = [
        *(line for line in first if line not in found),
        *found,
        *(line for line in last if line not in found),
    ]


def _with(ctx: ImportContext, node_id: str, step: Data) -> None:
    """Who works on a task besides its owner, from its BPSim resource selection: every
    resource but the owner's, by the role (lane) of the same name."""
    joint: dict[str, Decimal] = {}
    for resource, count in ctx.bpsim.selection.get(node_id, []):
        name = ctx.roles.role_named(clean_name(ctx.doc.resources.get(resource, resource)))
        if name == step.get("owner") or count <= 0:
            continue
        if name not in ctx.roles.sources:
            ctx.warn(f"BPSim selects the resource '{name}', which is no lane: left out", node_id)
            continue
        joint[name] = joint.get(name, Decimal(0)) + count
    if joint:
        step["with"] = {name: int(n) if n == int(n) else n for name, n in joint.items()}


def _fallback_owner(ctx: ImportContext, node_id: str) -> str:
    role = (
        next((r for r in ctx.roles.sources if r != EVENTS), None)
        or ctx.pools[0].name
        or "Process owner"
    )
    ctx.warn(f"in sopkit's lane for events, but a task: given to the role '{role}'", node_id)
    return role


def _time(ctx: ImportContext, node_id: str, step: Data) -> None:
    written = step.get("time")
    measured = ctx.bpsim.processing.get(node_id)
    if measured is not None:
        text = estimate_text(measured)
        if text is None:
            ctx.warn("BPSim processing time is zero or out of order: not used", node_id)
        elif written is None or not same_time(ctx.clock, written, measured):
            if written is not None:
                ctx.warn(
                    "BPSim processing time differs from the time in the sopkit extension: "
                    "BPSim's is used",
                    node_id,
                )
            step["time"] = text
    if "time" not in step:
        ctx.untimed.append(node_id)
        step["time"] = DEFAULT_TIME


def _timer(ctx: ImportContext, node_id: str, step: Data) -> None:
    """A timer event's duration as the milestone's ``wait``: the time that passes
    before the flow goes on (P3D, PT2H), in working time as a BPSim wait is read
    (``working_hours``). A cycle (R6/P1D), a date, or an expression says no one wait:
    a warning names the event."""
    timer = ctx.doc.nodes[node_id].timer
    if timer is None:
        return
    duration, hours = timer.duration, timer.hours
    if duration is not None and hours is not None:
        working = working_hours(ctx.clock, (hours, None, hours))[0]
        text = hours_text(working)
        if text is not None:
            step["wait"] = text
            ctx.warn(
                f"timer {duration}: a wait of {text} (the working hours in that much elapsed time)",
                node_id,
            )
            return
    what = (
        f"a duration sopkit cannot read ({duration[:30]})"
        if duration is not None
        else f"a cycle ({timer.cycle[:30]})"
        if timer.cycle is not None
        else f"a date ({timer.date[:30]})"
        if timer.date is not None
        else "no duration"
    )
    ctx.warn(
        f"timer with {what}: not read as a wait (write the time it waits as the milestone's wait)",
        node_id,
    )


def _repeats(ctx: ImportContext, node_id: str, step: Data, kind: str) -> None:
    element = ctx.doc.nodes[node_id].element
    multi = [
        c
        for c in element
        if isinstance(c.tag, str) and c.tag.endswith("}multiInstanceLoopCharacteristics")
    ]
    standard = [
        c
        for c in element
        if isinstance(c.tag, str) and c.tag.endswith("}standardLoopCharacteristics")
    ]
    if standard:
        ctx.warn("a loop whose number of passes is unknown: read as running once", node_id)
    if not multi or ("per_run" in step or "count" in step):
        return
    cardinality = next(
        (c for c in multi[0] if isinstance(c.tag, str) and c.tag.endswith("}loopCardinality")),
        None,
    )
    try:
        times = Decimal((cardinality.text or "").strip()) if cardinality is not None else None
    except ArithmeticError:
        times = None
    if times is None or not times.is_finite() or times <= 0:
        ctx.warn("runs several times, how many is not given: read as once", node_id)
        return
    if kind == "call":
        step["count"] = times
    elif times != 1:
        step["per_run"] = times


def _called(ctx: ImportContext, node_id: str) -> str | None:
    node = ctx.doc.nodes[node_id]
    ref = called_ref(node.element.get("calledElement"))
    if ref in ctx.process_ids:
        return ctx.process_ids[ref]
    record = ctx.doc.processes.get(ref)
    if record is not None and has_nodes(ctx.doc, record):
        # not imported as a callee, so one of the file's own pools: the process that
        # (in the end) runs this one, as pools that call each other do
        pool = Pool(record, participant_of(ctx.doc, ref))
        ctx.warn(
            f"calls '{pool.name or ref}', which runs this step's process: a loop of calls, "
            "imported as one task",
            node_id,
        )
        return None
    ctx.warn(f"calls '{ref or '?'}', which this file does not hold: imported as one task", node_id)
    return None
