"""Who does each imported step: its lane, else its pool.

A node's lane is the deepest lane that lists it (``flowNodeRef``); failing
that, the deepest lane whose shape holds the node's centre; failing that, the
lane of the sub-process it sits in. Lanes are roles, named as the lane is (a
pool's only lane, if unnamed, after the pool). A pool without lanes is one role
named after the pool. sopkit's own events lane (milestones without an owner,
calls) is no role at all.

Service, script and business-rule tasks are work a system does, not a person:
a role whose every task is one becomes a system role, and such a task in a lane
of people goes to the system role ``ENGINE``, so neither costs staff time.
Tasks that carry sopkit's own step data came from sopkit and keep their lane.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...render.diagram.common import events_titles
from .notes import Notes, clean_name, first_few
from .reader import TASKS, BpmnDocument, Lane, Participant, ProcessRecord

__all__ = ["ENGINE", "EVENTS", "Pool", "RoleMap", "assign_roles"]

#: What ``role_of`` answers for a node in sopkit's events lane: no owner.
EVENTS = "\x00events"
#: The system role of automated tasks drawn in a lane of people.
ENGINE = "Process engine"
#: Tasks a system performs (BPMN 2.0, 10.3.3): no one's hands-on time.
AUTOMATED = ("serviceTask", "scriptTask", "businessRuleTask")


@dataclass(frozen=True, slots=True)
class Pool:
    """A process of the file and the participant (pool) that shows it, if any."""

    process: ProcessRecord
    participant: Participant | None

    @property
    def name(self) -> str:
        if self.participant is not None and self.participant.name:
            return self.participant.name
        return clean_name(self.process.name)


@dataclass(frozen=True, slots=True)
class RoleMap:
    """Each node's role (a name, or ``EVENTS``), and which lane or pool it came from."""

    roles: dict[str, str]
    sources: dict[str, str]  # role name → id of the lane or pool that names it
    systems: frozenset[str] = frozenset()  # roles that are systems, not people
    #: Names read as another's role (``_same_roles``): the name → the role's.
    renamed: dict[str, str] = field(default_factory=dict)
    #: The name each lane gives its role, and each pool without lanes (by its
    #: process's id), before ``renamed``: where a lane's or pool's documentation goes.
    named_by: dict[str, str] = field(default_factory=dict)

    def role_named(self, name: str) -> str:
        """The role a lane or resource of this name is (it may have been merged)."""
        return self.renamed.get(name, name)

    def role_of(self, node_id: str) -> str | None:
        return self.roles.get(node_id)


def _lane_name(
    lane: Lane, pool: Pool, index: int, notes: Notes, *, only: bool, exported: bool
) -> str:
    if lane.marker == "events" or (exported and lane.name in events_titles()):
        return EVENTS
    if lane.name:
        return lane.name
    if only and pool.name:
        notes.warn(
            f"lane without a name: its role is called after its pool, '{pool.name}'", lane.id
        )
        return pool.name
    fallback = f"{pool.name or 'Pool'} lane {index}"
    notes.warn(f"lane without a name: its role is called '{fallback}'", lane.id)
    return fallback


def _pool_role(pool: Pool, default: str | None, notes: Notes) -> str:
    if default is not None and pool.participant is None:
        return default  # a called process without lanes: done by whoever calls it
    if pool.name:
        return pool.name
    if default is not None:
        return default
    notes.warn(
        "no lanes and no pool name: every step goes to the role 'Process owner'", pool.process.id
    )
    return "Process owner"


def assign_roles(
    doc: BpmnDocument,
    pools: Sequence[Pool],
    notes: Notes,
    *,
    default: str | None = None,
    exported: bool = False,
) -> RoleMap:
    """The role of every node of these pools (``default``: for a process with no lanes or name).

    ``exported``: sopkit wrote the file (its extension, or its element ids, say so), so
    its lanes are roles exactly as named, and the events lane is no role even when a
    tool dropped its marker.
    """
    roles: dict[str, str] = {}
    sources: dict[str, str] = {}
    named_by: dict[str, str] = {}
    for pool in pools:
        lanes = [lane for lane in doc.lanes if lane.process == pool.process.id]
        names = {
            lane.id: _lane_name(lane, pool, i, notes, only=len(lanes) == 1, exported=exported)
            for i, lane in enumerate(lanes, start=1)
        }
        nodes = [n for n in doc.nodes.values() if n.process == pool.process.id]
        if not lanes:
            role = _pool_role(pool, default, notes)
            sources.setdefault(role, pool.participant.id if pool.participant else pool.process.id)
            named_by[pool.process.id] = role
            for node in nodes:
                roles[node.id] = role
            continue
        named_by.update(names)
        for lane_id, name in names.items():
            sources.setdefault(name, lane_id)
        listed: dict[str, Lane] = {}
        for lane in lanes:
            for ref in lane.refs:
                if ref not in listed or listed[ref].depth < lane.depth:
                    listed[ref] = lane
        for node in sorted(nodes, key=lambda n: n.order):
            found = listed.get(node.id) or _by_shape(doc, lanes, node.id)
            if found is not None:
                roles[node.id] = names[found.id]
        for node in sorted(nodes, key=lambda n: n.order):
            parent = node.parent
            while node.id not in roles and parent is not None:
                if parent in roles:
                    roles[node.id] = roles[parent]
                parent = doc.nodes[parent].parent if parent in doc.nodes else None
            if node.id not in roles:
                role = _pool_role(pool, default, notes) if not lanes else names[lanes[0].id]
                notes.warn(f"in no lane: given to the role '{role}'", node.id)
                roles[node.id] = role
    renamed = {} if exported else _same_roles(roles, sources, notes)
    systems = _systems(doc, roles, sources, notes)
    return RoleMap(roles, sources, systems, renamed, named_by)


def _same_roles(roles: dict[str, str], sources: dict[str, str], notes: Notes) -> dict[str, str]:
    """Names that differ only in case, spaces, hyphens or underscores are one role, under
    the name seen first: a pool "Team-Assistant" and a lane "Team Assistant" in another
    pool are the same people, and two roles would split their hours and ask for two
    rates. Changes ``roles`` and ``sources``; returns each name read as another's."""
    first: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for name in list(sources):
        if name == EVENTS:
            continue
        kept = first.setdefault(" ".join(re.split(r"[\s_-]+", name.casefold())).strip(), name)
        if kept != name:
            renamed[name] = kept
            notes.warn(
                f"'{name}' and '{kept}' differ only in case, spaces, hyphens or underscores: "
                f"read as one role, '{kept}'",
                sources.pop(name),
            )
    for node_id, role in roles.items():
        roles[node_id] = renamed.get(role, role)
    return renamed


def _systems(
    doc: BpmnDocument, roles: dict[str, str], sources: dict[str, str], notes: Notes
) -> frozenset[str]:
    """Make automated tasks a system's (see the module docstring); changes ``roles``."""
    tasks: dict[str, list[str]] = {}
    for node_id, role in roles.items():
        if doc.nodes[node_id].kind in TASKS:
            tasks.setdefault(role, []).append(node_id)
    systems: set[str] = set()
    moved: list[str] = []
    for role, ids in tasks.items():
        automated = [i for i in ids if _automated(doc, i)]
        if not automated or role == EVENTS:
            continue
        if len(automated) == len(ids):
            systems.add(role)
            notes.warn(
                f"every task of '{role}' is a service, script or business-rule task: "
                "a system role (no rate, no staff time)",
                sources.get(role),
            )
            continue
        for node_id in automated:
            roles[node_id] = ENGINE
        moved += automated
    if moved:
        sources.setdefault(ENGINE, moved[0])
        systems.add(ENGINE)
        what = (
            f"{len(moved)} service, script or business-rule tasks in lanes of people"
            if len(moved) > 1
            else "a service, script or business-rule task in a lane of people"
        )
        named = [clean_name(doc.nodes[n].name) for n in moved if doc.nodes[n].name.strip()]
        notes.warn(
            f"{what}: given to the system role '{ENGINE}' (no staff time)",
            moved[0],
            shown=first_few(named) if named else None,
        )
    return frozenset(systems)


def _automated(doc: BpmnDocument, node_id: str) -> bool:
    node = doc.nodes[node_id]
    return node.kind in AUTOMATED and node.step_data is None


def _by_shape(doc: BpmnDocument, lanes: Sequence[Lane], node_id: str) -> Lane | None:
    shape = doc.shapes.get(node_id)
    if shape is None:
        return None
    holding = [
        lane for lane in lanes if lane.id in doc.shapes and doc.shapes[lane.id].holds(shape.centre)
    ]
    if not holding:
        return None
    return min(
        holding,
        key=lambda lane: (doc.shapes[lane.id].width * doc.shapes[lane.id].height, -lane.depth),
    )
