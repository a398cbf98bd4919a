"""One sopkit process being made from a BPMN file: what its steps, rework and conditions share.

The pools it is read from, their roles and flow (``roles.py``, ``structure.py``),
the ids its steps are given, and the warnings about its elements, which name an
element as the process file will show it (by step id) or as the diagram does.
``steps.py``, ``rework.py``, ``conditions.py`` and ``process.py`` read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ...models import Clock, is_slug
from ..filedata import Data
from .bpsim_read import BpsimData
from .notes import Notes, clean_name, slugify
from .pools import exported_id, exported_step_id
from .reader import BpmnDocument
from .roles import Pool, RoleMap, assign_roles
from .structure import Loop, Structure, build_structure, flow_shown

__all__ = ["ImportContext"]


class ImportContext:
    """One sopkit process from one or more pools (or from one called process)."""

    def __init__(
        self,
        doc: BpmnDocument,
        bpsim: BpsimData,
        notes: Notes,
        pools: Sequence[Pool],
        process_ids: dict[str, str],
        *,
        own_id: str,
        default_role: str | None = None,
        main: bool = True,
    ) -> None:
        self.doc, self.bpsim, self.notes = doc, bpsim, notes
        self.pools = pools
        self.process_ids = process_ids
        self.own_id = own_id
        self.main = main
        self.extension: Data = dict(pools[0].process.process_data or {})
        self.settings: Data = dict(pools[0].process.settings_data or {})
        for pool in pools:
            if pool.process.extension_error:
                notes.warn(
                    f"sopkit extension unreadable ({pool.process.extension_error}): ignored",
                    pool.process.id,
                )
        #: The id sopkit exported the process with, read from its element ids: a file
        #: sopkit wrote, even when a tool dropped the extension (then ``stripped``).
        self.exported_as = exported_id(doc, pools[0].process)
        self.exported = bool(self.extension) or self.exported_as is not None
        self.stripped = not self.extension and self.exported_as is not None
        self.roles: RoleMap = assign_roles(
            doc, pools, notes, default=default_role, exported=self.exported
        )
        self.structure: Structure = build_structure(
            doc, [p.process.id for p in pools], notes, timed=bpsim.processing.keys()
        )
        for node_id, kind in self.structure.kinds.items():
            # A receive task waits for a message: no one works on it unless BPSim says
            # it takes time, so it is a milestone (the message arriving), not 1h of work.
            node = doc.nodes[node_id]
            if (
                kind == "work"
                and node.kind == "receiveTask"
                and node_id not in bpsim.processing
                and "time" not in (node.step_data or {})
            ):
                self.structure.kinds[node_id] = "milestone"
        self.step_ids: dict[str, str] = {}
        self.conditions: dict[str, Data] = dict(self.extension.get("conditions") or {})
        #: Tasks without a processing time, warned about together once the steps are made.
        self.untimed: list[str] = []
        #: Steps whose loop back is asked as an approval ("Approved?"): sign-offs.
        self.approvals: dict[str, str] = {}
        #: The lines named message flows open (received) and close (sent) a step's
        #: instructions with, by node id: ``messages.py`` places them, across processes.
        self.received: Mapping[str, Sequence[str]] = {}
        self.sent: Mapping[str, Sequence[str]] = {}

    @property
    def clock(self) -> Clock:
        hours = self.settings.get("hours_per_day", Decimal(8))
        days = self.settings.get("days_per_week", Decimal(5))
        return Clock(Decimal(hours), Decimal(days))

    # --- ids and names ---

    def assign_ids(self) -> None:
        used: set[str] = set()
        for node_id in self.structure.steps:
            node = self.doc.nodes[node_id]
            wanted = (node.step_data or {}).get("id")
            if self.stripped and self.exported_as is not None:
                wanted = exported_step_id(node_id, self.exported_as, self.main)
            candidate = wanted if isinstance(wanted, str) and is_slug(wanted) else None
            if candidate is None or candidate in used:
                candidate = slugify(node.name) or slugify(node.id) or "step"
            unique, n = candidate, 2
            while unique in used:
                unique, n = f"{candidate[:90]}-{n}", n + 1
            used.add(unique)
            self.step_ids[node_id] = unique

    def warn(self, message: str, node_id: str) -> None:
        self.notes.warn(message, node_id, shown=self._at(node_id))

    def warn_flow(self, message: str, flow_id: str) -> None:
        self.notes.warn(message, flow_id, shown=flow_shown(self.doc, flow_id))

    def warn_loop(self, message: str, loop: Loop) -> None:
        """About a flow back: the sequence flow drawn, else the element it leaves."""
        if loop.flow is None:
            self.warn(message, loop.source)
        else:
            self.warn_flow(message, loop.flow)

    def _at(self, node_id: str) -> str:
        """How a warning names an element: by the step id the file shows, else by its
        name in the diagram beside its id (a modeler's ids are often long GUIDs)."""
        step = self.step_ids.get(node_id)
        if step is not None:
            return f"step '{step}'"
        node = self.doc.nodes.get(node_id)
        name = "" if node is None else clean_name(node.name)
        return f"'{name}', {node_id}" if name else node_id

    def name(self, node_id: str) -> str:
        """A step's name: as the diagram shows it, or made up with a warning, as a
        process file needs one and a modeler lets a task go without."""
        node = self.doc.nodes[node_id]
        if node.step_data is not None and node.name.strip():
            return node.name.strip()
        name = clean_name(node.name)
        if name:
            return name
        words = {"work": "Task", "milestone": "Event", "call": "Sub-process"}
        fallback = f"{words[self.structure.kinds[node_id]]} {node_id}"
        self.warn(f"no name: called '{fallback}'", node_id)
        return fallback
