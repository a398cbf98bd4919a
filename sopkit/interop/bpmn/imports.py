"""A BPMN file as sopkit processes: the data of each process file and of ``roles.yaml``.

What maps, and how (the README has the user's version):

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
  (``after``), as sequence flows are;
* a flow that goes back (a loop through an exclusive gateway) is a rework of
  the step before it, to the step it returns to;
* the branches of an exclusive (or event-based) split become the options of
  a condition, with equal shares unless BPSim gives probabilities; an
  inclusive split asks one yes/no question per branch;
* BPSim processing times become ``time``, unit costs rates, fixed costs
  expenses, the start event's inter-trigger time the frequency;
* a task's or intermediate event's documentation, and the text annotations
  linked to it, are its step's instructions (a task's documentation is the
  ``done_when`` in a file sopkit exported); the texts no field holds (end
  events' names, documentation on flows and gateways, …) are counted in one
  warning;
* a file sopkit exported carries everything else in its ``sopkit:`` extension.

Whatever had to be guessed or left out is a warning naming the element's id.
A complex gateway, a choreography, or a file with no process is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import networkx as nx

from ...currency import MINOR_UNITS
from ...errors import Problem, ValidationError
from ...models import Clock, Estimate, is_slug
from ..filedata import PROCESS_KEYS, STEP_KEYS, Data
from ..yamltext import Blank
from .bpsim import elapsed_hours, scaled
from .bpsim_read import BpsimData, read_bpsim
from .notes import Notes, clean_name, first_few, slugify, text_lines
from .questions import Asked, merge, per_step, shares_of
from .reader import (
    CHOREOGRAPHIES,
    GATEWAYS,
    BpmnDocument,
    MessageFlow,
    Node,
    Participant,
    ProcessRecord,
    SequenceFlow,
    read_bpmn,
)
from .reader import (
    EVENTS as EVENT_KINDS,
)
from .roles import ENGINE, EVENTS, Pool, RoleMap, assign_roles
from .structure import Decision, Loop, Structure, build_structure, flow_shown
from .words import END_WORDS, START_WORDS

__all__ = ["BpmnImport", "ImportedProcess", "import_bpmn"]

#: Step fields the diagram itself gives; the extension's values for them are not used.
_STRUCTURAL = ("id", "name", "owner", "after", "milestone", "process")
#: A loop's question that asks for an approval, in the languages a process may be written in.
_APPROVAL = re.compile(r"approv|sign[- ]?off|승인|결재|соглас|утвержд|одобр", re.IGNORECASE)
#: Tasks a process engine does: never a person's sign-off.
_SYSTEM_TASKS = ("serviceTask", "scriptTask", "businessRuleTask")
#: What a task without a time of its own is given.
DEFAULT_TIME = "1h"
DEFAULT_FREQUENCY = "1/month"
#: Hours a BPSim wait read back is rounded to (a ten-thousandth of a second).
_HOUR_PLACES = Decimal("1e-8")
#: Hours in a month of the calendar (8,760 / 12): BPSim's inter-trigger clock.
_MONTH_HOURS = Decimal(730)


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


def _hours_text(hours: Decimal) -> str | None:
    """``2h``, ``45m``, ``1h30m`` or ``1.2345h``; ``None`` for zero or less."""
    if hours <= 0:
        return None
    minutes = (hours * 60).quantize(Decimal("0.000001"))
    if minutes == minutes.to_integral_value():
        whole, rest = divmod(int(minutes), 60)
        return (f"{whole}h" if whole else "") + (f"{rest}m" if rest else "")
    if minutes < 60 and minutes * 100 == (minutes * 100).to_integral_value():
        return f"{format(minutes.normalize(), 'f')}m"  # 30 seconds: 0.5m
    rounded = hours.quantize(Decimal("0.0001")).normalize()
    return None if rounded <= 0 else f"{format(rounded, 'f')}h"


#: Periods a frequency is written in, shortest first, with how many a year has (a day's
#: count is the working days a year).
_PERIODS = (("day", None), ("week", 52), ("month", 12), ("quarter", 4), ("year", 1))
#: How far runs a year may be from a frequency's and still be it: BPSim's inter-trigger
#: time is written to ten decimals of an hour, so a sopkit export is within a billionth.
_SAME_RUNS = Fraction(1, 10**6)
#: The largest ``N`` read as a frequency someone wrote: any large count is near a whole one.
_LARGEST_COUNT = 1000


def frequency_of(hours: Decimal, working_days_per_year: Decimal) -> str | None:
    """``N/period`` when ``hours`` between runs is, within a millionth, exactly one
    (8,760 ÷ the runs a year, as the export writes it), else ``None``.

    A small whole ``N`` in the shortest period that has one (``1/week`` before
    ``52/year``, ``4/month`` before ``12/quarter``), else an ``N`` of one decimal, then
    of two, of at least 1 (or a year's: ``0.5/year``), as people write a frequency.
    """
    if hours <= 0:
        return None
    runs = Fraction(8760) / Fraction(hours)
    for places in (1, 10, 100):
        for period, per_year in _PERIODS:
            count = runs / Fraction(working_days_per_year if per_year is None else per_year)
            nearest = Fraction(round(count * places), places)
            if nearest <= 0 or nearest > _LARGEST_COUNT or (nearest < 1 and period != "year"):
                continue
            if abs(count - nearest) <= _SAME_RUNS * nearest:
                shown = Decimal(nearest.numerator) / Decimal(nearest.denominator)
                return f"{format(shown.normalize(), 'f')}/{period}"
    return None


def _estimate_text(points: tuple[Decimal, Decimal | None, Decimal]) -> str | Data | None:
    low, likely, high = points
    texts = [_hours_text(low), None if likely is None else _hours_text(likely), _hours_text(high)]
    if texts[0] is None or texts[2] is None or (likely is not None and texts[1] is None):
        return None
    if low == high and (likely is None or likely == low):
        return texts[0]
    if likely is None:
        return f"{texts[0]}..{texts[2]}"
    if not low <= likely <= high:
        return None
    return {"min": texts[0], "likely": texts[1], "max": texts[2]}


class _Importer:
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
        self._untimed: list[str] = []

    @property
    def clock(self) -> Clock:
        hours = self.settings.get("hours_per_day", Decimal(8))
        days = self.settings.get("days_per_week", Decimal(5))
        return Clock(Decimal(hours), Decimal(days))

    # --- ids and names ---

    def _assign_ids(self) -> None:
        used: set[str] = set()
        for node_id in self.structure.steps:
            node = self.doc.nodes[node_id]
            wanted = (node.step_data or {}).get("id")
            if self.stripped and self.exported_as is not None:
                wanted = _exported_step_id(node_id, self.exported_as, self.main)
            candidate = wanted if isinstance(wanted, str) and is_slug(wanted) else None
            if candidate is None or candidate in used:
                candidate = slugify(node.name) or slugify(node.id) or "step"
            unique, n = candidate, 2
            while unique in used:
                unique, n = f"{candidate[:90]}-{n}", n + 1
            used.add(unique)
            self.step_ids[node_id] = unique

    def _warn(self, message: str, node_id: str) -> None:
        self.notes.warn(message, node_id, shown=self._at(node_id))

    def _warn_flow(self, message: str, flow_id: str) -> None:
        self.notes.warn(message, flow_id, shown=flow_shown(self.doc, flow_id))

    def _warn_loop(self, message: str, loop: Loop) -> None:
        """About a flow back: the sequence flow drawn, else the element it leaves."""
        if loop.flow is None:
            self._warn(message, loop.source)
        else:
            self._warn_flow(message, loop.flow)

    def _at(self, node_id: str) -> str:
        """How a warning names an element: by the step id the file shows, else by its
        name in the diagram beside its id (a modeler's ids are often long GUIDs)."""
        step = self.step_ids.get(node_id)
        if step is not None:
            return f"step '{step}'"
        node = self.doc.nodes.get(node_id)
        name = "" if node is None else clean_name(node.name)
        return f"'{name}', {node_id}" if name else node_id

    def _name(self, node_id: str) -> str:
        node = self.doc.nodes[node_id]
        if node.step_data is not None and node.name.strip():
            return node.name.strip()
        name = clean_name(node.name)
        if name:
            return name
        words = {"work": "Task", "milestone": "Event", "call": "Sub-process"}
        fallback = f"{words[self.structure.kinds[node_id]]} {node_id}"
        self._warn(f"no name: called '{fallback}'", node_id)
        return fallback

    # --- steps ---

    def steps(self) -> list[Data]:
        self._assign_ids()
        #: Steps whose loop back is asked as an approval ("Approved?"): sign-offs.
        self._approvals: dict[str, str] = {}
        reworks = self._reworks()
        gating = self._gating()
        found = []
        self._untimed = []
        for node_id in self.structure.steps:
            found.append(self._step(node_id, reworks.get(node_id), gating.get(node_id, {})))
        if self._untimed:  # one line for them all: a diagram without BPSim has dozens
            count = len(self._untimed)
            self.notes.warn(
                f"no processing time (BPSim) for {'a step' if count == 1 else f'{count} steps'}: "
                f"{DEFAULT_TIME} assumed",
                self._untimed[0],
                shown=first_few([self.step_ids[node] for node in self._untimed]),
            )
        return found

    def _step(self, node_id: str, rework: Data | None, when: Data) -> Data:
        node = self.doc.nodes[node_id]
        kind = self.structure.kinds[node_id]
        if node.extension_error:
            self._warn(f"sopkit extension unreadable ({node.extension_error}): ignored", node_id)
        own = {k: v for k, v in (node.step_data or {}).items() if k not in _STRUCTURAL}
        step: Data = {"id": self.step_ids[node_id], "name": self._name(node_id)}
        called = self._called(node_id) if kind == "call" else None
        if kind == "call" and called is None:
            kind = "work"
        if kind == "milestone":
            step["milestone"] = True
        if called is not None:
            step["process"] = called
        role = self.roles.role_of(node_id)
        if kind != "call" and role is not None and role != EVENTS:
            step["owner"] = role
        elif kind == "work":
            step["owner"] = self._fallback_owner(node_id)
        after = [self.step_ids[a] for a in self.structure.after[node_id]]
        if after:
            step["after"] = after
        step.update(own)
        self._documentation(node, step)
        self._annotations(node_id, step)
        step.pop("rework", None)
        if rework is not None:
            step["rework"] = rework
        if when:
            written = own.get("when")
            step["when"] = {**when, **(written if isinstance(written, dict) else {})}
        if node_id in self._approvals and kind == "work" and node.kind not in _SYSTEM_TASKS:
            if "approval" not in step:
                step["approval"] = True
                self._warn(
                    f"read as a sign-off: the check after it asks '{self._approvals[node_id]}'",
                    node_id,
                )
        if kind == "work":
            self._time(node_id, step)
            measured = self.bpsim.wait.get(node_id)
            if "wait" not in step and measured is not None:
                text = _estimate_text(self._working(measured))
                if text is not None and text != "0h":
                    step["wait"] = text
            if "with" not in step:
                self._with(node_id, step)
            if "expense" not in step and node_id in self.bpsim.fixed_cost:
                step["expense"] = self.bpsim.fixed_cost[node_id]
        else:
            for key in ("time", "with", "automation", "expense"):
                step.pop(key, None)
            if kind == "milestone" and "wait" not in step:
                self._timer(node_id, step)
        self._repeats(node_id, step, kind)
        return {key: step[key] for key in STEP_KEYS if key in step}

    def _documentation(self, node: Node, step: Data) -> None:
        """The task's documentation, the text a modeler shows and edits beside it.

        sopkit writes a step's ``done_when`` there, so in a file it exported (with its
        extension, or without it but with its element ids) the documentation is the
        ``done_when``: an edit made in the modeler wins over the extension's copy, as an
        edited name or lane does, and one deleted there is gone. Another modeler's
        documentation describes how the task is done: its lines become the step's
        ``instructions``.
        """
        if self.exported:
            if node.documentation:
                step["done_when"] = node.documentation
            else:
                step.pop("done_when", None)
        elif node.documentation and "instructions" not in step:
            step["instructions"] = text_lines(node.documentation)

    def _annotations(self, node_id: str, step: Data) -> None:
        """Text annotations linked to the step's element: a note drawn beside a task says
        how to do it, so its lines join the step's ``instructions``. In a file sopkit
        exported too: sopkit writes none, so one is a note added in a modeler, and the
        ``done_when`` its documentation holds is a criterion, not a place for notes."""
        lines = [
            line
            for annotation in self.doc.annotations
            if node_id in annotation.about
            for line in text_lines(annotation.text)
        ]
        if not lines:
            return
        written = step.get("instructions")
        found = list(written) if isinstance(written, list) else []
        step["instructions"] = found + [line for line in lines if line not in found]

    def _with(self, node_id: str, step: Data) -> None:
        """Who works on a task besides its owner, from its BPSim resource selection: every
        resource but the owner's, by the role (lane) of the same name."""
        joint: dict[str, Decimal] = {}
        for resource, count in self.bpsim.selection.get(node_id, []):
            name = self.roles.role_named(clean_name(self.doc.resources.get(resource, resource)))
            if name == step.get("owner") or count <= 0:
                continue
            if name not in self.roles.sources:
                self._warn(
                    f"BPSim selects the resource '{name}', which is no lane: left out", node_id
                )
                continue
            joint[name] = joint.get(name, Decimal(0)) + count
        if joint:
            step["with"] = {name: int(n) if n == int(n) else n for name, n in joint.items()}

    def _fallback_owner(self, node_id: str) -> str:
        role = (
            next((r for r in self.roles.sources if r != EVENTS), None)
            or self.pools[0].name
            or "Process owner"
        )
        self._warn(f"in sopkit's lane for events, but a task: given to the role '{role}'", node_id)
        return role

    def _time(self, node_id: str, step: Data) -> None:
        written = step.get("time")
        measured = self.bpsim.processing.get(node_id)
        if measured is not None:
            text = _estimate_text(measured)
            if text is None:
                self._warn("BPSim processing time is zero or out of order: not used", node_id)
            elif written is None or not self._same_time(written, measured):
                if written is not None:
                    self._warn(
                        "BPSim processing time differs from the time in the sopkit extension: "
                        "BPSim's is used",
                        node_id,
                    )
                step["time"] = text
        if "time" not in step:
            self._untimed.append(node_id)
            step["time"] = DEFAULT_TIME

    def _timer(self, node_id: str, step: Data) -> None:
        """A timer event's duration as the milestone's ``wait``: the time that passes
        before the flow goes on (P3D, PT2H), in working time as a BPSim wait is read
        (``_working``). A cycle (R6/P1D), a date, or an expression says no one wait:
        a warning names the event."""
        timer = self.doc.nodes[node_id].timer
        if timer is None:
            return
        duration, hours = timer.duration, timer.hours
        if duration is not None and hours is not None:
            working = self._working((hours, None, hours))[0]
            text = _hours_text(working)
            if text is not None:
                step["wait"] = text
                self._warn(
                    f"timer {duration}: a wait of {text} (the working hours in that much "
                    "elapsed time)",
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
        self._warn(
            f"timer with {what}: not read as a wait (write the time it waits as the "
            "milestone's wait)",
            node_id,
        )

    def _working(
        self, elapsed: tuple[Decimal, Decimal | None, Decimal]
    ) -> tuple[Decimal, Decimal | None, Decimal]:
        """A BPSim wait, in the clock hours that pass, as the working hours sopkit's
        ``wait`` counts (the inverse of the export's ``elapsed_hours``), exactly."""
        scale = 1 / elapsed_hours(self.clock)
        low, likely, high = elapsed
        return (
            scaled(low, scale, _HOUR_PLACES),
            None if likely is None else scaled(likely, scale, _HOUR_PLACES),
            scaled(high, scale, _HOUR_PLACES),
        )

    def _same_time(self, written: Any, measured: tuple[Decimal, Decimal | None, Decimal]) -> bool:
        try:
            estimate = Estimate.parse(written)
        except ValueError:
            return False
        low, likely, high = estimate.points(self.clock)
        m_low, m_likely, m_high = measured
        m_likely = (m_low + m_high) / 2 if m_likely is None else m_likely
        tolerance = Decimal("0.0001")
        return all(
            abs(a - b) <= tolerance for a, b in ((low, m_low), (likely, m_likely), (high, m_high))
        )

    def _repeats(self, node_id: str, step: Data, kind: str) -> None:
        element = self.doc.nodes[node_id].element
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
            self._warn("a loop whose number of passes is unknown: read as running once", node_id)
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
            self._warn("runs several times, how many is not given: read as once", node_id)
            return
        if kind == "call":
            step["count"] = times
        elif times != 1:
            step["per_run"] = times

    def _called(self, node_id: str) -> str | None:
        node = self.doc.nodes[node_id]
        ref = _called_ref(node.element.get("calledElement"))
        if ref in self.process_ids:
            return self.process_ids[ref]
        record = self.doc.processes.get(ref)
        if record is not None and _has_nodes(self.doc, record):
            # not imported as a callee, so one of the file's own pools: the process that
            # (in the end) runs this one, as pools that call each other do
            pool = Pool(record, _participant(self.doc, ref))
            self._warn(
                f"calls '{pool.name or ref}', which runs this step's process: a loop of calls, "
                "imported as one task",
                node_id,
            )
            return None
        self._warn(
            f"calls '{ref or '?'}', which this file does not hold: imported as one task", node_id
        )
        return None

    # --- rework ---

    def _reworks(self) -> dict[str, Data]:
        reworks: dict[str, Data] = {}
        for loop in self.structure.loops:
            sources = self.structure.steps_before(loop.source)
            targets = self.structure.steps_after(loop.target)
            inside = [
                t
                for t in targets
                if any(t == s or nx.has_path(self.structure.graph, t, s) for s in sources)
            ]
            targets = inside or targets  # the loop's own steps, not the way out of it
            if not sources or not targets:
                self._warn_loop("a flow back with no step before or after it: left out", loop)
                continue
            position = {n: i for i, n in enumerate(self.structure.steps)}
            # the loop's own pool does the work it sends back, not a pool that replied to it
            here = self.doc.nodes.get(loop.source)
            own = [
                n for n in sources if here is not None and self.doc.nodes[n].process == here.process
            ]
            source = max(own or sources, key=position.__getitem__)
            target = min(targets, key=position.__getitem__)
            if len(sources) > 1 or len(targets) > 1:
                self._warn_loop(
                    f"a flow back from several steps or to several: read as rework of "
                    f"'{self.step_ids[source]}' back to '{self.step_ids[target]}'",
                    loop,
                )
            if source in reworks:
                self._warn_loop(
                    f"'{self.step_ids[source]}' already sends work back: this loop is left out",
                    loop,
                )
                continue
            if target != source and not nx.has_path(self.structure.graph, target, source):
                self._warn_loop(
                    f"the flow back goes to '{self.step_ids[target]}', which is not before "
                    f"'{self.step_ids[source]}': left out",
                    loop,
                )
                continue
            reworks[source] = {
                "to": self.step_ids[target],
                "probability": self._rework_probability(loop.flow, loop.source, source, target),
            }
            asks = self.doc.nodes.get(loop.source)
            if asks is not None and not self.exported and _APPROVAL.search(asks.name):
                self._approvals[source] = clean_name(asks.name)
        return reworks

    def _rework_probability(
        self, flow_id: str | None, gateway: str, source: str, target: str
    ) -> Decimal:
        """How often work goes back: as sopkit wrote it, else as BPSim gives it for the
        flow back (or for the branch into a loop checked at its start), else a guess."""
        written = (self.doc.nodes[source].step_data or {}).get("rework")
        if isinstance(written, dict) and written.get("to") == self.step_ids[target]:
            value = written.get("probability")
            if isinstance(value, Decimal) and 0 <= value < 1:
                return value
        siblings = [f.id for f in self.doc.flows.values() if f.source == gateway.partition("#")[0]]
        known = [self.bpsim.probability.get(f) for f in siblings]
        if flow_id is not None and self.bpsim.probability.get(flow_id) is not None:
            if all(k is not None for k in known):
                share = shares_of([k for k in known if k is not None])[siblings.index(flow_id)]
            else:
                share = self.bpsim.probability[flow_id]
                share = share / 100 if share > 1 else share  # written as a percentage
            if 0 <= share < 1:
                return share.normalize()
        through = self._probability_into_loop(gateway, source)
        if through is not None:
            return through
        share = (Decimal(1) / max(len(siblings), 2)).quantize(Decimal("0.0001")).normalize()
        # The gateway's question ("Done shopping?") has no place in the file: said here.
        node = self.doc.nodes.get(gateway.partition("#")[0])
        asked = clean_name(node.name) if node is not None else ""
        where = f" at '{asked}'" if asked else ""
        message = (
            f"how often work goes back from '{self.step_ids[source]}' to "
            f"'{self.step_ids[target]}'{where} is not given (BPSim): {share} assumed"
        )
        if flow_id is None:
            self._warn(message, gateway)
        else:
            self._warn_flow(message, flow_id)
        return share

    def _probability_into_loop(self, gateway: str, source: str) -> Decimal | None:
        """A loop checked at its start (a decision, then the steps, then back to it): the
        share of the decision's branch into the loop is how often work goes round."""
        for loop in self.structure.loops:
            if loop.source != gateway:
                continue
            decision = self._next_decision(loop.target)
            probabilities = None if decision is None else self._branch_probabilities(decision)
            if decision is None or probabilities is None:
                continue
            for branch, share in zip(decision.branches, shares_of(probabilities), strict=True):
                if source in branch.steps and share < 1:
                    return share
        return None

    def _next_decision(self, node_id: str) -> Decision | None:
        """The first decision at or after ``node_id`` before any step."""
        by_node = {d.node: d for d in self.structure.decisions}
        queue, seen = [node_id], {node_id}
        graph = self.structure.graph
        while queue:
            current = queue.pop(0)
            if current in by_node:
                return by_node[current]
            if current in self.structure.kinds or current not in graph:
                continue
            for _, target in graph.out_edges(current):
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return None

    def _decision_words(self, decision: Decision) -> tuple[str, str]:
        """A question and a condition name for a decision: its name, else after which step."""
        if decision.name:
            return decision.name, decision.name
        before = self.structure.steps_before(decision.node)
        if before:
            step = self._name(before[0])
            return f"Which way after '{step}'?", f"after {step}"
        return "Which way?", decision.node

    # --- conditions ---

    def _gating(self) -> dict[str, Data]:
        """Each step's answers to the questions the file's decisions ask (``when``)."""
        gating: dict[str, Data] = {}
        used_names = set(self.conditions)
        asked: dict[str, Asked] = {}
        for decision in self.structure.decisions:
            self._warn_bypassed(decision)
            if decision.kind == "inclusiveGateway":
                self._inclusive(decision, gating, used_names)
            elif any(b.steps != decision.branches[0].steps for b in decision.branches):
                asked[decision.node] = self._asked(decision)
        merged = self._same_questions(asked, gating, used_names)
        for decision in self.structure.decisions:
            if decision.node in asked and decision.node not in merged:
                self._exclusive(decision, asked[decision.node], gating, used_names)
        return gating

    def _asked(self, decision: Decision) -> Asked:
        """What a decision asks: its answers, their shares (if the file gives them), and
        the answers each step behind some but not all of its branches runs under."""
        options, shares = self._options(decision)
        taken = {}
        for node_id in self.structure.steps:
            runs = [options[i] for i, b in enumerate(decision.branches) if node_id in b.steps]
            if 0 < len(runs) < len(decision.branches):
                taken[node_id] = tuple(runs)
        return Asked(tuple(options), None if shares is None else tuple(shares), taken)

    def _same_questions(
        self, asked: dict[str, Asked], gating: dict[str, Data], used: set[str]
    ) -> set[str]:
        """Exclusive gateways named with the same question, read as one condition where
        their answers fit together (``questions``); returns the gateways so read."""
        by_question: dict[str, list[Decision]] = {}
        for decision in self.structure.decisions:
            if (
                decision.node in asked
                and decision.kind == "exclusiveGateway"
                and decision.name
                and asked[decision.node].taken
                and not per_step(decision.name)
            ):
                by_question.setdefault(decision.name, []).append(decision)
        done: set[str] = set()
        for question, decisions in by_question.items():
            found = merge([asked[d.node] for d in decisions])
            if found is None:
                continue
            name = self._condition_name(decisions[0], used)
            if found.yes_no:
                self.conditions[name] = {"question": question, "share": found.shares[0]}
            else:
                options = dict(zip(found.answers, found.shares, strict=True))
                self.conditions[name] = {"question": question, "options": options}
            for node_id, answer in found.when.items():
                gating.setdefault(node_id, {})[name] = (
                    answer if isinstance(answer, bool) else list(answer)
                )
            self._warn(
                f"{len(decisions)} gateways ask '{question}': read as one question, answered "
                "once a run (if they decide separately, name them apart in the modeler)",
                decisions[0].node,
            )
            done.update(d.node for d in decisions)
        return done

    def _warn_bypassed(self, decision: Decision) -> None:
        """Steps that follow only some answers of ``decision`` but are also reached round it
        run whatever it answers: sopkit's ``when`` cannot say "this answer, or that other
        way", so each is costed in every run that reaches it. Where no step is left for
        the answers to decide, the question is left out altogether, and the warning says
        so: a reader of the costs must know they count those steps too often."""
        bypassed = [n for n in self.structure.steps if n in decision.bypassed]
        if not bypassed:
            return
        many = f"{len(bypassed)} steps follow" if len(bypassed) > 1 else "a step follows"
        asked = f'"{self._decision_words(decision)[0]}"'
        shown = ", ".join(f"'{self.step_ids[n]}'" for n in bypassed[:3])
        shown += "…" if len(bypassed) > 3 else ""
        message = (
            f"{many} only some answers to {asked} but can also be reached round it ({shown}): "
            "read as not depending on it"
        )
        if all(b.steps == decision.branches[0].steps for b in decision.branches):
            these = "these steps are" if len(bypassed) > 1 else "this step is"
            them = (
                "them (check their share of runs)" if len(bypassed) > 1 else "it (check its share)"
            )
            message += (
                f", so the question decides no step and is left out, and {these} costed in "
                f"every run that reaches {them}"
            )
        self._warn(message, decision.node)

    def _exclusive(
        self, decision: Decision, asked: Asked, gating: dict[str, Data], used: set[str]
    ) -> None:
        if decision.kind == "eventBasedGateway":
            self._warn(
                "event-based gateway: read as a question whose answer is the event that "
                "happens first",
                decision.node,
            )
        name = self._condition_name(decision, used)
        options = list(asked.options)
        shares = (
            list(asked.shares)
            if asked.shares is not None
            else shares_of([Decimal(1)] * len(options))
        )
        folded = [o.casefold() for o in options]
        yes_no = folded in (["yes", "no"], ["no", "yes"])
        for node_id, taken in asked.taken.items():
            answer: Any = taken[0].casefold() == "yes" if yes_no else list(taken)
            gating.setdefault(node_id, {})[name] = answer
        if not asked.taken:
            return
        question = self._decision_words(decision)[0]
        if yes_no:
            self.conditions[name] = {"question": question, "share": shares[folded.index("yes")]}
        else:
            self.conditions[name] = {
                "question": question,
                "options": dict(zip(options, shares, strict=True)),
            }

    def _inclusive(self, decision: Decision, gating: dict[str, Data], used: set[str]) -> None:
        self._warn(
            "inclusive gateway: each of its paths is read as a yes/no question of its own",
            decision.node,
        )
        probabilities = self._branch_probabilities(decision)
        for index, branch in enumerate(decision.branches):
            holders = [n for n in self.structure.steps if n in branch.steps]
            if not holders or all(
                any(n in other.steps for other in decision.branches if other is not branch)
                for n in holders
            ):
                continue
            name = self._condition_name(decision, used, suffix=str(index + 1))
            share = probabilities[index] if probabilities else Decimal("0.5")
            share = min(max(share, Decimal("0.0001")), Decimal("0.9999"))
            question = (
                f"{decision.name or 'Which paths?'} {branch.name or 'path ' + str(index + 1)}?"
            )
            self.conditions[name] = {"question": question.strip(), "share": share.normalize()}
            for node_id in holders:
                if not any(
                    node_id in other.steps for other in decision.branches if other is not branch
                ):
                    gating.setdefault(node_id, {})[name] = True

    def _condition_name(self, decision: Decision, used: set[str], suffix: str = "") -> str:
        words = self._decision_words(decision)[1]
        base = slugify(words, 40) or slugify(decision.node, 40) or "decision"
        if suffix:
            base = f"{base}-{suffix}"
        if not base[0].isalnum():
            base = f"c-{base}"
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        return name

    def _branch_probabilities(self, decision: Decision) -> list[Decimal] | None:
        values = [self.bpsim.probability.get(b.flow or "") for b in decision.branches]
        if decision.kind == "boundary":
            host_flows = [b.target for b in decision.branches]
            values = [
                self.bpsim.probability.get(t) if t in self.doc.nodes else None for t in host_flows
            ]
        if all(v is not None for v in values):
            return [v for v in values if v is not None]
        return None

    def _options(self, decision: Decision) -> tuple[list[str], list[Decimal] | None]:
        """The answers (one per branch, named as the flows are) and their shares, when
        the file gives them (else ``None``, and a warning that equal ones are assumed)."""
        node = self.doc.nodes.get(decision.node)
        default = None if node is None else node.element.get("default")
        names: list[str] = []
        given = [b.name for b in decision.branches]
        for index, branch in enumerate(decision.branches, start=1):
            base = branch.name or f"path {index}"
            if not branch.name and branch.flow is not None and branch.flow == default:
                # the unnamed default of a yes-question is its no
                others = {g.casefold() for g in given if g}
                base = "no" if others == {"yes"} else "otherwise"
            name, n = base, 2
            while name in names:
                name, n = f"{base} ({n})", n + 1
            names.append(name)
        probabilities = self._branch_probabilities(decision)
        if probabilities is None:
            self._warn("branch shares not given (BPSim): equal shares assumed", decision.node)
            return names, None
        return names, shares_of(probabilities)

    # --- the process ---

    def process(self) -> Data:
        steps = self.steps()
        data: Data = {
            k: v for k, v in self.extension.items() if k not in ("name", "steps", "conditions")
        }
        data["sopkit"] = 1
        data["id"] = self.own_id
        data["name"] = self._process_name()
        if "owner" not in data:
            data["owner"] = self._owner(steps)
        if "frequency" not in data and self.main and not self.extension:
            data["frequency"] = self._frequency()
        # sopkit writes the trigger as the start event's documentation: an edit there wins
        if self.exported or ("trigger" not in data and self.main):
            trigger = self._trigger()
            if trigger:
                data["trigger"] = trigger
            else:
                data.pop("trigger", None)
        # sopkit writes the purpose as the process's documentation: an edit there wins
        documentation = next(
            (p.process.documentation for p in self.pools if p.process.documentation), None
        )
        if documentation:
            data["purpose"] = documentation
        else:
            data.pop("purpose", None)
        used = {name for step in steps for name in (step.get("when") or {})}
        conditions = {
            k: v
            for k, v in self.conditions.items()
            if k in used or k in (self.extension.get("conditions") or {})
        }
        if conditions:
            data["conditions"] = conditions
        data["steps"] = steps
        return {key: data[key] for key in PROCESS_KEYS if key in data}

    def _process_name(self) -> str:
        """Its pool's name, or the file's title where that names the work (see ``_named``);
        in a file sopkit exported the pool's, which a modeler shows and a user renames."""
        if not self.main:
            return self.pools[0].name or self.own_id
        return _named(self.doc, self.pools, titled=not self.exported) or self.own_id

    def _owner(self, steps: Sequence[Data]) -> str:
        """The role of the first step people do: a system owns no process."""
        systems = {*self.roles.systems, ENGINE}
        owners = [s["owner"] for s in steps if "owner" in s]
        people = [r for r in self.roles.sources if r != EVENTS and r not in systems]
        owner = next((o for o in owners if o not in systems), None)
        owner = owner or next(iter(people), None) or next(iter(owners), "Process owner")
        if set(owners) != {"Process owner"}:  # else the one role's warning said it all
            self.notes.warn(
                f"the process's owner is not given: '{owner}' (the role of the first step "
                "people do) assumed",
                self.pools[0].process.id,
            )
        return owner

    def _frequency(self) -> str:
        """How often a run starts, from the start event's BPSim inter-trigger time.

        sopkit exports ``N/period`` as 8,760 hours ÷ the runs a year it means, so a
        time that is exactly one (``1/week``: 168.4615… hours) reads back as it was
        written, not as the runs a month it rounds to (4.33/month); only a time that
        is no simple ``N/period`` is rounded, with a warning.
        """
        for pool in self.pools:
            for node in self.doc.nodes.values():
                if (
                    node.process == pool.process.id
                    and node.kind == "startEvent"
                    and node.id in self.bpsim.inter_trigger
                ):
                    hours = self.bpsim.inter_trigger[node.id]
                    days = Decimal(self.settings.get("working_days_per_year", Decimal(260)))
                    exact = frequency_of(hours, days)
                    if exact is not None:
                        return exact
                    per_month = (_MONTH_HOURS / hours).quantize(Decimal("0.01")).normalize()
                    if per_month >= 1:
                        text = f"{format(per_month, 'f')}/month"
                    else:
                        per_year = (_MONTH_HOURS * 12 / hours).quantize(Decimal("0.01")).normalize()
                        text = f"{format(max(per_year, Decimal('0.01')), 'f')}/year"
                    self.notes.warn(
                        f"run frequency from BPSim's inter-trigger time: {text}", node.id
                    )
                    return text
        self.notes.warn(
            f"how often the process runs is not given (BPSim): {DEFAULT_FREQUENCY} assumed",
            self.pools[0].process.id,
        )
        return DEFAULT_FREQUENCY

    def _trigger(self) -> str | None:
        """What starts a run: the start event's name; in a file sopkit exported, its
        documentation, where sopkit writes the ``trigger`` (none without one).

        Only one pool's: the first whose start no other pool's message begins. A
        start another pool's message begins is that pool's part starting when work
        is handed to it (a carrier's "Pick items"), not what starts the run.
        """
        ordered = sorted(self.doc.nodes.values(), key=lambda n: n.order)
        handed = {flow.target for flow in self.doc.message_flows}
        pools = [
            [
                node
                for node in ordered
                if node.process == pool.process.id
                and node.kind == "startEvent"
                and node.parent is None
            ]
            for pool in self.pools
        ]
        starts = next((s for s in pools if any(n.id not in handed for n in s)), None)
        if starts is None:
            starts = next((s for s in pools if s), [])
        for node in [n for n in starts if n.id not in handed] or starts:
            name = clean_name(node.name)
            if self.exported:
                # sopkit names it after a short trigger, else with its own word for a
                # start: a name that is neither was given in a modeler, and wins
                written = clean_name(node.documentation or "")
                if name and name != written and name not in START_WORDS:
                    return name
                return node.documentation
            if name:
                return name
        return None


def _refuse_unmappable(doc: BpmnDocument, processes: Iterable[str]) -> None:
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


def _main_pools(doc: BpmnDocument, notes: Notes) -> list[Pool]:
    """The pools of the file's collaborations that have a process no step calls, and the
    processes no pool shows and no step calls (some tools draw a pool without a
    participant).

    A file may draw one process as several collaborations, a pool each (MIWG C.4.0's
    onboarding: the bank, then IT, Payroll and Facilities, linked by signals): all of
    them are its pools, never only the first. A called process's own collaboration
    (as sopkit exports one) is that process's, read as a process of its own.
    """
    called = {
        _called_ref(n.element.get("calledElement"))
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
            if record.id not in called and not taken and _has_nodes(doc, record):
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
    loose = [p for p in loose if _has_nodes(doc, p)]
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
            Pool(p, _participant(doc, p.id)) for p in doc.processes.values() if _has_nodes(doc, p)
        ][:1]
    return pools


def _participant(doc: BpmnDocument, process_id: str) -> Participant | None:
    """The pool that shows a process, in any of the file's collaborations: a process
    another pool calls is still its pool's, whose name it and its role take."""
    return next((p for group in doc.collaborations for p in group if p.process == process_id), None)


def _called_ref(value: str | None) -> str:
    return (value or "").strip().rpartition(":")[2]


def _has_nodes(doc: BpmnDocument, process: ProcessRecord) -> bool:
    return any(n.process == process.id for n in doc.nodes.values())


def _callees(doc: BpmnDocument, pools: Sequence[Pool]) -> list[ProcessRecord]:
    """Processes of the file that steps call (directly or through others), first call first."""
    taken = {p.process.id for p in pools}
    found: list[ProcessRecord] = []
    queue = [p.process.id for p in pools]
    while queue:
        current = queue.pop(0)
        for node in sorted(doc.nodes.values(), key=lambda n: n.order):
            if node.process != current or node.kind != "callActivity":
                continue
            ref = _called_ref(node.element.get("calledElement"))
            record = doc.processes.get(ref)
            if record is not None and ref not in taken and _has_nodes(doc, record):
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


def _process_id(
    doc: BpmnDocument, record: ProcessRecord, names: Iterable[str], used: set[str]
) -> str:
    written = (record.process_data or {}).get("id")
    own = [written] if isinstance(written, str) and is_slug(written) else []
    exported = exported_id(doc, record)
    own += [exported] if exported is not None else []
    return _unique([*own, *(slugify(n) for n in names)], used)


def _exported_step_id(node_id: str, process_id: str, main: bool) -> str | None:
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


def _settings(
    importers: Sequence[_Importer], bpsim: BpsimData, notes: Notes, doc: BpmnDocument
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
    pools = _main_pools(doc, notes)
    if not pools:
        raise ValidationError(
            "the file has no process with tasks or events: nothing to import",
            path=path,
            hint="export a process diagram (a pool or a process with tasks)",
        )
    callees = _callees(doc, pools)
    _refuse_unmappable(doc, [p.process.id for p in pools] + [c.id for c in callees])
    used: set[str] = set()
    file_stem = _stem(path)
    main_id = _process_id(
        doc,
        pools[0].process,
        [_named(doc, pools, titled=True), file_stem, pools[0].process.id],
        used,
    )
    called = [Pool(c, _participant(doc, c.id)) for c in callees]
    ids = {c.process.id: _process_id(doc, c.process, [c.name, c.process.id], used) for c in called}
    importers = [_Importer(doc, bpsim, notes, pools, ids, own_id=main_id)]
    for callee in called:
        caller_role = _caller_role(importers, doc, callee.process.id)
        importers.append(
            _Importer(
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
    processes = []
    for importer in importers:
        built = importer.process()
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
    _warn_left_out(doc, importers, notes)
    settings = _settings(importers, bpsim, notes, doc)
    problems = tuple(notes.problems)
    return BpmnImport(
        tuple(_with_warnings(processes, importers, doc, problems, notes.about)), settings, problems
    )


#: What the left-out warning counts, singular and plural, in the order it lists them.
_LEFT_OUT = {
    "end": ("end-event name", "end-event names"),
    "sub": ("sub-process name", "sub-process names"),
    "event": ("text on an event", "texts on events"),
    "gateway": ("text on a gateway", "texts on gateways"),
    "sub-text": ("text on a sub-process", "texts on sub-processes"),
    "flow": ("text on a flow", "texts on flows"),
    "annotation": ("annotation", "annotations"),
}


def _warn_left_out(doc: BpmnDocument, importers: Sequence[_Importer], notes: Notes) -> None:
    """One warning for the file naming the texts no field holds, so none goes silently.

    A task's or an intermediate event's documentation and the annotations linked to
    it are its step's; a start event's name is the trigger (its documentation too, in
    a file sopkit exported), a gateway's the question, a flow's an answer. What is
    left has no field: an end event's name (an outcome: "Vacation Refused by
    Manager"), an inlined sub-process's name, documentation on the other events, on
    gateways, sub-processes and flows, and annotations linked to no step. Elements left
    out as a whole (an event sub-process) were warned about already.
    """
    processes = {pool.process.id for importer in importers for pool in importer.pools}
    steps = {node for importer in importers for node in importer.structure.steps}
    expanded = {node for importer in importers for node in importer.structure.expanded}
    hidden = {node for importer in importers for node in importer.structure.hidden}
    exported = any(importer.exported for importer in importers)
    kept = {n.id for n in doc.nodes.values() if n.process in processes and n.id not in hidden}
    found: dict[str, list[str]] = {key: [] for key in _LEFT_OUT}
    for node in sorted(doc.nodes.values(), key=lambda n: n.order):
        if node.id not in kept or node.id in steps:
            continue
        shown = clean_name(node.name) or node.id
        if node.kind == "endEvent" and clean_name(node.name) not in ("", *END_WORDS):
            found["end"].append(f"'{shown}'")
        if node.id in expanded and clean_name(node.name):
            found["sub"].append(f"'{shown}'")
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


def _with_warnings(
    processes: Sequence[ImportedProcess],
    importers: Sequence[_Importer],
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


def _named(doc: BpmnDocument, pools: Sequence[Pool], *, titled: bool) -> str:
    """The main process's name: one pool's name, else the file's title, else its name.

    With ``titled``, a title that reads as a name of the work wins over one pool's
    name, which is often who does the work: MIWG C.7.0 is "Advertise a job vacancy",
    a pool "EU Bank". A title that is a code or the file's name ("C.1.1",
    "Definitions_1") is not one; the pool (or the process) says more. Pools drawn in
    collaborations of their own after the first pool's (MIWG C.4.0's IT, Payroll and
    Facilities beside "Money Bank") are departments that help: the first names it.
    """
    title = clean_name(doc.name)
    stem = _stem(doc.path)
    is_title = " " in title and title.casefold() != stem.casefold()
    first = pools[0].participant
    group = next((g for g in doc.collaborations if first is not None and first in g), [])
    together = [p for p in pools if p.participant is None or p.participant in group] or pools
    if len(together) == 1 and pools[0].name and not (titled and is_title):
        return pools[0].name
    return (title if is_title or len(together) > 1 else "") or pools[0].name or stem


def _stem(path: str) -> str:
    """A file's name without folder and extension."""
    name = path.replace("\\", "/").rpartition("/")[2]
    return name.rpartition(".")[0] or name


def _caller_role(importers: Sequence[_Importer], doc: BpmnDocument, callee: str) -> str | None:
    for importer in importers:
        for node in doc.nodes.values():
            if (
                node.kind == "callActivity"
                and _called_ref(node.element.get("calledElement")) == callee
            ):
                role = importer.roles.role_of(node.id)
                if role is not None and role != EVENTS:
                    return role
    return None
