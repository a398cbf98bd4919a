"""A BPMN file as sopkit processes: the data of each process file and of ``roles.yaml``.

What maps, and how (docs/bpmn.md has the user's version):

* the pools of the file's collaborations (all of them: a file may draw each
  department's pool in a collaboration of its own) that have a process of their
  own make one sopkit process; a file without a collaboration, its processes that no
  call activity calls; a process that a call activity calls becomes a process
  of its own, run by that step (named, and done, by the pool that shows it, if
  one does);
* tasks, sub-processes with no work inside and call activities become steps,
  intermediate events (and receive tasks BPSim gives no time) milestones;
  sub-processes that hold work are inlined, drawn expanded or collapsed (one
  BPSim times, and none of its tasks, is one step of that time); start
  and end events, gateways and boundary events are passed through;
* lanes are roles (a pool without lanes is one); message flows are hand-offs
  (``after``), as sequence flows are, and a message flow's name opens the
  instructions of the step that receives it (else closes those of the step
  that sends it);
* a flow that goes back (a loop through an exclusive gateway) is a rework of
  the step before it, to the step it returns to;
* the branches of an exclusive (or event-based) split become the options of
  a condition, with equal shares unless BPSim gives probabilities; an
  inclusive split asks one yes/no question per branch;
* BPSim processing times become ``time``, unit costs rates, fixed costs
  expenses, the start event's inter-trigger time the frequency;
* a task's or intermediate event's documentation, and the text annotations
  linked to it, are its step's instructions (a task's documentation is the
  ``done_when`` in a file sopkit exported); the process's documentation (else
  its pools', else the collaboration's) is its purpose, a lane's its role's
  description; the texts no field holds (end events' names, names on gateways
  and flows that ask or answer no question, documentation on flows and
  gateways, …) are counted in one warning;
* a file sopkit exported carries everything else in its ``sopkit:`` extension.

Whatever had to be guessed or left out is a warning naming the element's id.
A complex gateway, a choreography, or a file with no process is refused.

This module puts an import together: ``pools.py`` chooses the file's processes
and their ids, ``process.py`` makes each (its steps from ``steps.py``, rework from
``rework.py``, conditions from ``conditions.py``), ``left_out.py`` counts the texts
no field holds; the roles file's data and each process's warnings are made here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...currency import MINOR_UNITS
from ...errors import Problem, ValidationError
from ..filedata import Data
from ..yamltext import Blank
from .bpsim_read import BpsimData, read_bpsim
from .context import ImportContext
from .descriptions import place_descriptions
from .left_out import warn_left_out
from .messages import place_messages
from .notes import Notes, clean_name
from .pools import (
    called_processes,
    called_ref,
    choose_process_id,
    main_name,
    main_pools,
    participant_of,
    refuse_unmappable,
    stem,
)
from .process import process_data
from .reader import BpmnDocument, read_bpmn
from .roles import EVENTS, Pool
from .timing import frequency_of

#: ``frequency_of`` is imported from here too (it was written here first).
__all__ = ["BpmnImport", "ImportedProcess", "frequency_of", "import_bpmn"]


@dataclass(frozen=True, slots=True)
class ImportedProcess:
    """One process made from the file, in the file format's shape."""

    id: str
    data: Data
    #: The import's warnings about this process's elements (the file's own go to the first).
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class BpmnImport:
    """The processes (the file's own first, then those it calls), the settings, the warnings."""

    processes: tuple[ImportedProcess, ...]
    settings: Data
    warnings: tuple[Problem, ...]

    @property
    def missing_rates(self) -> list[str]:
        """Staff roles without a rate: ``sopkit cost`` needs them filled in."""
        roles = self.settings.get("roles", {})
        return [name for name, role in roles.items() if isinstance(role.get("rate"), Blank)]


def import_bpmn(data: bytes, path: str | Path) -> BpmnImport:
    """The sopkit processes a BPMN file holds, with their settings and the warnings.

    ``path`` is where ``data`` came from: it names the file in messages.

    Raises:
        InputError: the file is not safe, well-formed BPMN 2.0 XML.
        ValidationError: it holds nothing sopkit can map (no process, a complex
            gateway, a choreography).
    """
    path = str(path)
    doc = read_bpmn(data, path)
    notes = Notes(path)
    bpsim = read_bpsim(doc)
    if bpsim.scenarios > 1:
        notes.warn(
            f"the file has {bpsim.scenarios} BPSim scenarios: '{bpsim.scenario}' is used", None
        )
    for message, element in bpsim.notes:
        notes.warn(message, element)
    pools = main_pools(doc, notes)
    if not pools:
        raise ValidationError(
            "the file has no process with tasks or events: nothing to import",
            path=path,
            hint="export a process diagram (a pool or a process with tasks)",
        )
    callees = called_processes(doc, pools)
    refuse_unmappable(doc, [p.process.id for p in pools] + [c.id for c in callees])
    used: set[str] = set()
    file_stem = stem(path)
    main_id = choose_process_id(
        doc,
        pools[0].process,
        [main_name(doc, pools, titled=True), file_stem, pools[0].process.id],
        used,
    )
    called = [Pool(c, participant_of(doc, c.id)) for c in callees]
    ids = {
        c.process.id: choose_process_id(doc, c.process, [c.name, c.process.id], used)
        for c in called
    }
    importers = [ImportContext(doc, bpsim, notes, pools, ids, own_id=main_id)]
    for callee in called:
        caller_role = _caller_role(importers, doc, callee.process.id)
        importers.append(
            ImportContext(
                doc,
                bpsim,
                notes,
                [callee],
                ids,
                own_id=ids[callee.process.id],
                default_role=caller_role,
                main=False,
            )
        )
    stripped = next((i for i in importers if i.stripped), None)
    if stripped is not None:
        notes.warn(
            "sopkit exported this file, but its sopkit: extension is missing (a tool removed "
            "it): instructions, do and don't, tools, automation, sign-offs, cash costs "
            "BPSim does not give, outside parties' kind, participants without a lane and "
            "condition names are not in the file (compare with the original process file)",
            stripped.pools[0].process.id,
        )
    placed = place_descriptions(doc, importers)
    messages = place_messages(doc, importers)
    for importer in importers:
        importer.received, importer.sent = messages.received, messages.sent
    processes = []
    for importer, purpose in zip(importers, placed.purposes, strict=True):
        built = process_data(importer, purpose, placed.roles)
        if not built["steps"]:
            shown = importer.pools[0].name or importer.pools[0].process.id
            raise ValidationError(
                f"process '{shown}' has no tasks or events sopkit can import", path=path
            )
        processes.append(ImportedProcess(importer.own_id, built))
    for element, kind, name, _ in doc.data:
        named = f" '{name}'" if name else ""
        notes.warn(
            f"{kind}{named} not imported: a process file has no inputs or outputs (name it "
            "in the instructions or done_when of the steps that use it)",
            element,
        )
    warn_left_out(doc, importers, notes, [*placed.left_out, *messages.left_out])
    settings = _settings(importers, bpsim, notes, doc, placed.roles)
    problems = tuple(notes.problems)
    return BpmnImport(
        tuple(_with_warnings(processes, importers, doc, problems, notes.about)), settings, problems
    )


def _settings(
    importers: Sequence[ImportContext],
    bpsim: BpsimData,
    notes: Notes,
    doc: BpmnDocument,
    descriptions: Mapping[str, str],
) -> Data:
    settings: Data = {}
    for importer in reversed(importers):  # the file's own process last, so it wins
        settings.update({k: v for k, v in importer.settings.items() if k != "roles"})
    if "currency" not in settings:
        currency = (bpsim.currency or "").strip().upper()
        if currency and currency not in MINOR_UNITS:
            notes.warn(
                f"BPSim currency '{currency[:10]}' is not an ISO 4217 code: USD assumed", None
            )
            currency = ""
        settings = {"currency": currency or "USD", **settings}
    written: dict[str, Data] = {}
    for importer in importers:
        for name, role in (importer.settings.get("roles") or {}).items():
            written.setdefault(name, role)
    local = {name for importer in importers for name in (importer.extension.get("roles") or {})}
    roles: dict[str, Any] = {}
    for importer in importers:
        for name, source in importer.roles.sources.items():
            if name == EVENTS or name in roles or name in local:
                continue
            role = dict(written.get(name, {}))
            if name in importer.roles.systems:
                role = {"kind": "system", **role}
            rate = _bpsim_rate(doc, bpsim, name, source)
            if rate is not None and role.get("rate") != rate and role.get("kind") != "system":
                role["rate"] = rate
            # Only the team's own roles need a rate: a system costs nothing, and an
            # outside party may be unpaid (a customer) when its file says so.
            if "rate" not in role and role.get("kind", "staff") == "staff":
                role = {"rate": Blank("fill in: the hourly cost"), **role}
            if name in descriptions:
                # its lane's or pool's documentation, over the extension's where a
                # modeler edited it (``place_descriptions`` keeps only such texts)
                role["description"] = descriptions[name]
            roles[name] = role
    for name, role in written.items():  # participants (``with``) of sopkit's own steps
        if name not in roles and name not in local:
            roles[name] = role
    if roles:
        settings["roles"] = roles
    return settings


def _bpsim_rate(doc: BpmnDocument, bpsim: BpsimData, role: str, source: str) -> Decimal | None:
    if source in bpsim.unit_cost:
        return bpsim.unit_cost[source].normalize()
    for resource_id, name in doc.resources.items():
        if clean_name(name) == role and resource_id in bpsim.unit_cost:
            return bpsim.unit_cost[resource_id].normalize()
    return None


def _with_warnings(
    processes: Sequence[ImportedProcess],
    importers: Sequence[ImportContext],
    doc: BpmnDocument,
    problems: Sequence[Problem],
    about: Sequence[str | None],
) -> list[ImportedProcess]:
    """Each process with the warnings about its own elements; those about the file, or
    about an element of no process, go to the first (the file's own process)."""
    index = {pool.process.id: i for i, imp in enumerate(importers) for pool in imp.pools}
    owner: dict[str, str] = {process: process for process in doc.processes}
    owner.update({node.id: node.process for node in doc.nodes.values()})
    owner.update({f.id: owner.get(f.source) or owner.get(f.target, "") for f in doc.flows.values()})
    owner.update({lane.id: lane.process for lane in doc.lanes})
    owner.update({p.id: p.process or "" for found in doc.collaborations for p in found})
    owner.update({element: process for element, _, _, process in doc.data})
    found: list[list[Problem]] = [[] for _ in processes]
    for problem, element in zip(problems, about, strict=True):
        found[index.get(owner.get(element or "", ""), 0)].append(problem)
    return [replace(p, warnings=tuple(w)) for p, w in zip(processes, found, strict=True)]


def _caller_role(importers: Sequence[ImportContext], doc: BpmnDocument, callee: str) -> str | None:
    for importer in importers:
        for node in doc.nodes.values():
            if (
                node.kind == "callActivity"
                and called_ref(node.element.get("calledElement")) == callee
            ):
                role = importer.roles.role_of(node.id)
                if role is not None and role != EVENTS:
                    return role
    return None
