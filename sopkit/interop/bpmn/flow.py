"""A process as BPMN flow: events, activities, gateways and sequence flows.

BPMN says with gateways what a process file says with fields:

* one start and one end event; where several steps start or end the run, a
  parallel split after the start and a parallel join before the end;
* a parallel split after a step that several steps follow, a parallel join
  before a step that several steps must precede (``after``);
* a step that runs only in some runs (``when``, or ``per_run`` below 1) sits
  behind an exclusive split asking the question: the branch taken in those
  runs is conditional, the way round it the default flow, and an exclusive
  merge after it joins the two. Consecutive steps asking the same question
  share one such pair;
* a rework loop leaves the reworking step through an exclusive split whose
  conditional branch (the back flow) enters an exclusive merge placed before
  the step the work goes back to; the forward flow is the default;
* a milestone is an intermediate event, a call of another process a call
  activity, every other step a task (a service task when a system does it).

Every element has a readable id made of the step ids (``Task_draft``,
``Gateway_check_edit``, ``Flow_draft__check_edit``), so exporting the same
process twice gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import networkx as nx

from ...analysis import ProcessCost, chance
from ...models import Process, RoleKind, Step
from ...render.diagram.common import EVENTS_LANE, Wording, events_title, lane_of, lanes
from .words import words_for

__all__ = ["Flow", "FlowGraph", "FlowNode", "build_flow", "probability_text"]

NodeKind = Literal["start", "end", "task", "service", "milestone", "call", "parallel", "exclusive"]
FlowKind = Literal["flow", "rework", "skip"]


@dataclass(frozen=True, slots=True)
class FlowNode:
    """A flow node: what it is, which lane holds it, and what it says."""

    id: str
    local: str
    kind: NodeKind
    lane: str
    name: str | None = None
    step: Step | None = None
    #: What a gateway does: begin/finish (around the run), join/split (``after``),
    #: skip/skipped (a conditional step), redo/check (a rework loop).
    role: str | None = None
    documentation: str | None = None
    #: The step whose entry or exit this node belongs to.
    of_step: str | None = None

    @property
    def is_gateway(self) -> bool:
        return self.kind in ("parallel", "exclusive")


@dataclass(frozen=True, slots=True)
class Flow:
    """A sequence flow; ``probability`` is its share of the runs leaving an exclusive split."""

    id: str
    source: str
    target: str
    name: str | None = None
    condition: str | None = None
    probability: Decimal | None = None
    kind: FlowKind = "flow"
    default: bool = False


@dataclass(frozen=True, slots=True)
class FlowGraph:
    """One process as BPMN flow, lanes top to bottom."""

    process: Process
    prefix: str
    nodes: tuple[FlowNode, ...]
    flows: tuple[Flow, ...]
    lanes: tuple[str, ...]
    lane_names: dict[str, str] = field(default_factory=dict)

    def node(self, node_id: str) -> FlowNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def incoming(self, node_id: str) -> list[Flow]:
        """Flows into a node; into a step's join, in the order of the step's ``after``."""
        flows = [f for f in self.flows if f.target == node_id]
        node = self.node(node_id)
        if node.role == "join" and node.of_step is not None:
            after = list(dict.fromkeys(self.process.step(node.of_step).after))
            rank = {step_id: i for i, step_id in enumerate(after)}
            flows.sort(key=lambda f: rank.get(self.node(f.source).of_step or "", len(rank)))
        return flows

    def outgoing(self, node_id: str) -> list[Flow]:
        return [f for f in self.flows if f.source == node_id]


#: Digits kept in a branch probability: exact for the shares people write, and far
#: finer than any simulation can tell apart for the products of several.
_PLACES = Decimal("1e-10")


def probability_text(value: Decimal) -> str:
    """A probability or hour count as plain decimal text, at most ten decimals."""
    text = format(value.quantize(_PLACES).normalize(), "f")
    return "0" if text in ("-0", "0E-10") else text


def _to_decimal(value: object) -> Decimal:
    from fractions import Fraction

    assert isinstance(value, Fraction | Decimal | int)
    if isinstance(value, Fraction):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_PLACES)
    return Decimal(value)


_KIND_PREFIX = {
    "start": "Event",
    "end": "Event",
    "milestone": "Event",
    "task": "Task",
    "service": "Task",
    "call": "Call",
    "parallel": "Gateway",
    "exclusive": "Gateway",
}


def _node_id(prefix: str, kind: NodeKind, local: str) -> str:
    return f"{_KIND_PREFIX[kind]}_{prefix}{local}"


def _step_kind(process: Process, step: Step) -> NodeKind:
    if step.milestone:
        return "milestone"
    if step.is_call:
        return "call"
    role = process.role(step.owner or "")
    return "service" if role is not None and role.kind is RoleKind.SYSTEM else "task"


@dataclass(slots=True)
class _Region:
    """Consecutive steps that run only in the same runs: one exclusive split and merge."""

    first: str
    last: str
    probability: Decimal


def _gate(step: Step) -> tuple[frozenset[tuple[str, object]], Decimal | None] | None:
    when = frozenset((name, wanted) for name, wanted in (step.when or {}).items())
    per_run = step.per_run if step.per_run < 1 else None
    if not when and per_run is None:
        return None
    return when, per_run


class _Builder:
    def __init__(self, cost: ProcessCost, prefix: str) -> None:
        self.cost = cost
        self.process = cost.process
        self.prefix = prefix
        self.text = Wording(cost)
        self.words = words_for(self.process.language.value)
        steps = self.process.steps
        known = {s.id for s in steps}
        self.steps = {s.id: s for s in steps}
        self.preds = {
            s.id: [a for a in dict.fromkeys(s.after) if a in known and a != s.id] for s in steps
        }
        self.succs: dict[str, list[str]] = {s.id: [] for s in steps}
        for step in steps:
            for before in self.preds[step.id]:
                self.succs[before].append(step.id)
        self.rework_targets = {
            s.rework.to for s in steps if s.rework is not None and s.rework.to in known
        }
        self.nodes: list[FlowNode] = []
        self.flows: list[Flow] = []
        #: (skip split, its merge, the share of runs taking the steps) per region
        self.skips: list[tuple[str, str, Decimal]] = []
        self.current: str | None = None
        self.regions = self._regions()

    # --- regions of conditional steps ---

    def _regions(self) -> dict[str, _Region]:
        graph: nx.DiGraph[str] = nx.DiGraph()
        order = {step_id: i for i, step_id in enumerate(self.steps)}
        graph.add_nodes_from(self.steps)
        graph.add_edges_from((b, s) for s, before in self.preds.items() for b in before)
        regions: dict[str, _Region] = {}
        for step_id in nx.lexicographical_topological_sort(graph, key=order.__getitem__):
            step = self.steps[step_id]
            gate = _gate(step)
            if gate is None:
                continue
            before = self.preds[step_id]
            if (
                gate[1] is None
                and len(before) == 1
                and before[0] in regions
                and _gate(self.steps[before[0]]) == gate
                and self.succs[before[0]] == [step_id]
            ):
                region = regions[before[0]]
                region.last = step_id
                regions[step_id] = region
                continue
            share = _to_decimal(chance(self.process, step)) * (gate[1] or Decimal(1))
            regions[step_id] = _Region(step_id, step_id, share)
        return regions

    # --- nodes ---

    def _add(self, kind: NodeKind, local: str, lane: str, **values: object) -> str:
        values.setdefault("of_step", self.current)
        node = FlowNode(_node_id(self.prefix, kind, local), local, kind, lane, **values)  # type: ignore[arg-type]
        self.nodes.append(node)
        return node.id

    def _flow(self, source: str, target: str, **values: object) -> None:
        src, dst = self._local(source), self._local(target)
        flow_id = f"Flow_{self.prefix}{src}__{dst}"
        self.flows.append(Flow(flow_id, source, target, **values))  # type: ignore[arg-type]

    def _local(self, node_id: str) -> str:
        for node in self.nodes:
            if node.id == node_id:
                return node.local
        raise KeyError(node_id)

    def _question(self, step: Step) -> tuple[str, str, str]:
        """The skip gateway's name, the taken branch's name and its condition text."""
        questions, answers, terms = [], [], []
        for name, wanted in (step.when or {}).items():
            condition = self.process.conditions[name]
            questions.append(condition.question)
            if isinstance(wanted, bool):
                answers.append(self.text("yes") if wanted else self.text("no"))
                terms.append(f"{name} = {'yes' if wanted else 'no'}")
            else:
                answers.append(self.text.words["or"].join(wanted))
                terms.append(
                    f"{name} = {wanted[0]}"
                    if len(wanted) == 1
                    else f"{name} in ({', '.join(wanted)})"
                )
        if step.per_run < 1:
            share = self.text("share", pct=self.text.pct(step.per_run))
            questions.append(self.words["this_run"].format(share=share))
            answers.append(self.text("yes"))
            terms.append(f"in {probability_text(step.per_run * 100)}% of runs")
        return " / ".join(questions), " / ".join(answers), " and ".join(terms)

    def build(self) -> FlowGraph:
        steps = list(self.steps.values())
        starts = [s.id for s in steps if not self.preds[s.id]]
        sinks = [s.id for s in steps if not self.succs[s.id]]
        first_lane = lane_of(self.steps[starts[0]])
        start = self._add(
            "start",
            "run_start",
            first_lane,
            name=_start_name(self.process.trigger, self.words["start"]),
            documentation=self.process.trigger,
        )
        entries: dict[str, str] = {}
        exits: dict[str, str] = {}
        chains: dict[str, list[str]] = {}
        for step in steps:
            chains[step.id] = self._step_nodes(step, entries, exits)
        if len(starts) == 1:
            self._flow(start, entries[starts[0]])
        else:
            begin = self._add("parallel", "run_split", first_lane, role="begin")
            self._flow(start, begin)
            for step_id in starts:
                self._flow(begin, entries[step_id])
        end_lane = lane_of(self.steps[sinks[-1]])
        if len(sinks) == 1:
            end = self._add("end", "run_end", end_lane, name=self.words["end"])
            self._flow(exits[sinks[0]], end)
        else:
            finish = self._add("parallel", "run_join", end_lane, role="finish")
            for step_id in sinks:
                self._flow(exits[step_id], finish)
            end = self._add("end", "run_end", end_lane, name=self.words["end"])
            self._flow(finish, end)
        for step in steps:
            for after in self.succs[step.id]:
                self._flow(exits[step.id], entries[after])
        self._rework_flows()
        keys = tuple(lanes(self.process.steps))
        names = {key: key for key in keys}
        if EVENTS_LANE in names:
            names[EVENTS_LANE] = events_title(self.process.steps, self.text)
        nodes = self._in_order(chains, start)
        return FlowGraph(
            self.process, self.prefix, nodes, tuple(self._sorted_flows(nodes)), keys, names
        )

    def _step_nodes(self, step: Step, entries: dict[str, str], exits: dict[str, str]) -> list[str]:
        """The nodes of one step, entry to exit, linked in a chain; returns their ids."""
        lane = lane_of(step)
        self.current = step.id
        chain: list[str] = []
        region = self.regions.get(step.id)
        if len(self.preds[step.id]) > 1:
            chain.append(self._add("parallel", f"join_{step.id}", lane, role="join"))
        skip = None
        if region is not None and region.first == step.id:
            question, _, _ = self._question(step)
            skip = self._add("exclusive", f"skip_{step.id}", lane, name=question, role="skip")
            chain.append(skip)
        if step.id in self.rework_targets:
            chain.append(self._add("exclusive", f"redo_{step.id}", lane, role="redo"))
        kind = _step_kind(self.process, step)
        chain.append(
            self._add(kind, step.id, lane, name=step.name, step=step, documentation=step.done_when)
        )
        if step.rework is not None and step.rework.to in self.steps:
            key = "approved" if step.approval else "sent_back"
            chain.append(
                self._add("exclusive", f"check_{step.id}", lane, name=self.words[key], role="check")
            )
        if region is not None and region.last == step.id:
            chain.append(self._add("exclusive", f"skipped_{region.first}", lane, role="skipped"))
        if len(self.succs[step.id]) > 1:
            chain.append(self._add("parallel", f"split_{step.id}", lane, role="split"))
        for source, target in zip(chain, chain[1:], strict=False):
            if source == skip:
                _, answer, term = self._question(step)
                assert region is not None
                self._flow(
                    source, target, name=answer, condition=term, probability=region.probability
                )
            else:
                self._flow(source, target)
        if skip is not None:
            assert region is not None
            merge = _node_id(self.prefix, "exclusive", f"skipped_{step.id}")
            self.skips.append((skip, merge, region.probability))
        entries[step.id], exits[step.id] = chain[0], chain[-1]
        self.current = None
        return chain

    def _rework_flows(self) -> None:
        for skip, merge, probability in self.skips:
            self._flow(skip, merge, kind="skip", default=True, probability=1 - probability)
        for step in self.steps.values():
            if step.rework is None or step.rework.to not in self.steps:
                continue
            check = _node_id(self.prefix, "exclusive", f"check_{step.id}")
            redo = _node_id(self.prefix, "exclusive", f"redo_{step.rework.to}")
            # the forward flow out of the check is its default: mark it so
            for index, flow in enumerate(self.flows):
                if flow.source == check:
                    self.flows[index] = Flow(
                        flow.id,
                        flow.source,
                        flow.target,
                        probability=1 - step.rework.probability,
                        default=True,
                    )
            pct = self.text.pct(step.rework.probability)
            self._flow(
                check,
                redo,
                name=self.text("rework", pct=pct),
                condition=f"rework ({probability_text(step.rework.probability * 100)}%)",
                probability=step.rework.probability,
                kind="rework",
            )

    def _in_order(self, chains: dict[str, list[str]], start: str) -> tuple[FlowNode, ...]:
        """Nodes in document order: the start, each step's chain in file order, the end."""
        by_id = {node.id: node for node in self.nodes}
        ordered = [by_id[start]]
        placed = {start}
        for chain in chains.values():
            for node_id in chain:
                ordered.append(by_id[node_id])
                placed.add(node_id)
        ordered += [node for node in self.nodes if node.id not in placed]
        return tuple(ordered)

    def _sorted_flows(self, nodes: tuple[FlowNode, ...]) -> list[Flow]:
        """Flows by their source's place in the document, then their target's."""
        place = {node.id: i for i, node in enumerate(nodes)}
        return sorted(
            self.flows, key=lambda f: (place[f.source], f.kind == "rework", place[f.target])
        )


def build_flow(cost: ProcessCost, prefix: str = "") -> FlowGraph:
    """The BPMN flow of a costed process; ``prefix`` keeps ids unique when a file holds
    several processes (a process and those it calls)."""
    return _Builder(cost, prefix).build()


#: The longest trigger a start event is named with; a longer one (a sentence) is only
#: its documentation, beside a start event named "Start".
_START_NAME = 40


def _start_name(trigger: str | None, default: str) -> str:
    """A short trigger names the start event, as modelers name it ("Invoice received"),
    so a diagram imported and exported again keeps its start event's name."""
    if trigger is None:
        return default
    text = " ".join(trigger.split())
    return text if text and len(text) <= _START_NAME else default
