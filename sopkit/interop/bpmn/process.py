"""A process file's own fields from a BPMN file: its name, owner, frequency, trigger, purpose.

Then its conditions and steps. In a file sopkit exported, what a modeler shows
and edits (the pool's name, the start event's and the process's documentation)
wins over the copy in the ``sopkit:`` extension.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..filedata import PROCESS_KEYS, Data
from .context import ImportContext
from .notes import clean_name
from .pools import main_name
from .roles import ENGINE, EVENTS
from .steps import make_steps
from .timing import DEFAULT_FREQUENCY, frequency_of, rounded_frequency
from .words import START_WORDS

__all__ = ["process_data"]


def process_data(ctx: ImportContext, purpose: str | None, roles: Mapping[str, str]) -> Data:
    """The process file's data; ``purpose`` and the ``roles`` described are what the
    documentation of its pools, lanes and collaboration gives (``descriptions.py``)."""
    steps = make_steps(ctx)
    data: Data = {
        k: v for k, v in ctx.extension.items() if k not in ("name", "steps", "conditions")
    }
    data["sopkit"] = 1
    data["id"] = ctx.own_id
    data["name"] = _process_name(ctx)
    if "owner" not in data:
        data["owner"] = _owner(ctx, steps)
    if "frequency" not in data and ctx.main and not ctx.extension:
        data["frequency"] = _frequency(ctx)
    # sopkit writes the trigger as the start event's documentation: an edit there wins
    if ctx.exported or ("trigger" not in data and ctx.main):
        trigger = _trigger(ctx)
        if trigger:
            data["trigger"] = trigger
        else:
            data.pop("trigger", None)
    # sopkit writes the purpose as the process's documentation: an edit there wins
    if purpose:
        data["purpose"] = purpose
    else:
        data.pop("purpose", None)
    local = data.get("roles")
    if isinstance(local, dict) and any(name in roles for name in local):
        # a role of the process's own, as sopkit exported it, described by its lane
        data["roles"] = {
            name: {**role, "description": roles[name]}
            if name in roles and isinstance(role, dict)
            else role
            for name, role in local.items()
        }
    used = {name for step in steps for name in (step.get("when") or {})}
    conditions = {
        k: v
        for k, v in ctx.conditions.items()
        if k in used or k in (ctx.extension.get("conditions") or {})
    }
    if conditions:
        data["conditions"] = conditions
    data["steps"] = steps
    return {key: data[key] for key in PROCESS_KEYS if key in data}


def _process_name(ctx: ImportContext) -> str:
    """Its pool's name, or the file's title where that names the work (see ``main_name``);
    in a file sopkit exported the pool's, which a modeler shows and a user renames."""
    if not ctx.main:
        return ctx.pools[0].name or ctx.own_id
    return main_name(ctx.doc, ctx.pools, titled=not ctx.exported) or ctx.own_id


def _owner(ctx: ImportContext, steps: Sequence[Data]) -> str:
    """The role of the first step people do: a system owns no process."""
    systems = {*ctx.roles.systems, ENGINE}
    owners = [s["owner"] for s in steps if "owner" in s]
    people = [r for r in ctx.roles.sources if r != EVENTS and r not in systems]
    owner = next((o for o in owners if o not in systems), None)
    owner = owner or next(iter(people), None) or next(iter(owners), "Process owner")
    if set(owners) != {"Process owner"}:  # else the one role's warning said it all
        ctx.notes.warn(
            f"the process's owner is not given: '{owner}' (the role of the first step "
            "people do) assumed",
            ctx.pools[0].process.id,
        )
    return owner


def _frequency(ctx: ImportContext) -> str:
    """How often a run starts, from the start event's BPSim inter-trigger time.

    sopkit exports ``N/period`` as 8,760 hours ÷ the runs a year it means, so a
    time that is exactly one (``1/week``: 168.4615… hours) reads back as it was
    written, not as the runs a month it rounds to (4.33/month); only a time that
    is no simple ``N/period`` is rounded, with a warning.
    """
    for pool in ctx.pools:
        for node in ctx.doc.nodes.values():
            if (
                node.process == pool.process.id
                and node.kind == "startEvent"
                and node.id in ctx.bpsim.inter_trigger
            ):
                hours = ctx.bpsim.inter_trigger[node.id]
                days = Decimal(ctx.settings.get("working_days_per_year", Decimal(260)))
                exact = frequency_of(hours, days)
                if exact is not None:
                    return exact
                text = rounded_frequency(hours)
                ctx.notes.warn(f"run frequency from BPSim's inter-trigger time: {text}", node.id)
                return text
    ctx.notes.warn(
        f"how often the process runs is not given (BPSim): {DEFAULT_FREQUENCY} assumed",
        ctx.pools[0].process.id,
    )
    return DEFAULT_FREQUENCY


def _trigger(ctx: ImportContext) -> str | None:
    """What starts a run: the start event's name; in a file sopkit exported, its
    documentation, where sopkit writes the ``trigger`` (none without one).

    Only one pool's: the first whose start no other pool's message begins. A
    start another pool's message begins is that pool's part starting when work
    is handed to it (a carrier's "Pick items"), not what starts the run.
    """
    ordered = sorted(ctx.doc.nodes.values(), key=lambda n: n.order)
    handed = {flow.target for flow in ctx.doc.message_flows}
    pools = [
        [
            node
            for node in ordered
            if node.process == pool.process.id and node.kind == "startEvent" and node.parent is None
        ]
        for pool in ctx.pools
    ]
    starts = next((s for s in pools if any(n.id not in handed for n in s)), None)
    if starts is None:
        starts = next((s for s in pools if s), [])
    for node in [n for n in starts if n.id not in handed] or starts:
        name = clean_name(node.name)
        if ctx.exported:
            # sopkit names it after a short trigger, else with its own word for a
            # start: a name that is neither was given in a modeler, and wins
            written = clean_name(node.documentation or "")
            if name and name != written and name not in START_WORDS:
                return name
            return node.documentation
        if name:
            return name
    return None
