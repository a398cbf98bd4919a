"""The flow of an imported process reduced to what sopkit keeps: steps and how they follow.

A BPMN process is a graph of flow nodes. Here it becomes a directed graph in
which only some nodes are *steps* (tasks, call activities, sub-processes with
no work inside, intermediate events); the others (start and end events,
gateways, boundary events) are passed through. Sub-processes that hold work
are inlined, drawn expanded or collapsed: what flows into one flows to its
first nodes, what leaves its last nodes leaves it (unless BPSim times the
sub-process and nothing inside it: then it is one step). Message flows between pools
are hand-offs, like sequence flows. Loops are cut where the process decides to
go back (the rework), so what remains is acyclic and gives each step its ``after``; each exclusive
split whose branches lead to different steps becomes a question.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import networkx as nx

from .notes import Notes, clean_name, first_few
from .reader import GATEWAYS, SUB_PROCESSES, TASKS, BpmnDocument, MessageFlow, Node

__all__ = ["Branch", "Decision", "Loop", "Structure", "build_structure", "flow_shown"]

#: Gateways whose outgoing flows are alternatives (a question with answers).
DECISIONS = ("exclusiveGateway", "eventBasedGateway", "inclusiveGateway")


@dataclass(frozen=True, slots=True)
class Loop:
    """A flow cut to break a cycle: from ``source`` back to ``target`` (node ids)."""

    flow: str | None  # the sequence flow's id (None for a message flow)
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Branch:
    """One outgoing flow of a decision and the steps reachable through it."""

    flow: str | None
    target: str
    name: str
    steps: frozenset[str]


@dataclass(frozen=True, slots=True)
class Decision:
    """A diverging gateway (or a boundary event's alternative) whose branches differ."""

    node: str
    kind: str  # exclusiveGateway, eventBasedGateway, inclusiveGateway or boundary
    name: str
    branches: tuple[Branch, ...]
    #: Steps only some branches lead to, which a path round the decision reaches as well.
    bypassed: frozenset[str] = frozenset()


@dataclass(slots=True)
class Structure:
    """Steps of one imported process and how they follow each other."""

    steps: list[str]  # node ids in the order the process file lists them
    kinds: dict[str, str]  # node id → work, milestone, call
    after: dict[str, list[str]]
    loops: list[Loop]
    decisions: list[Decision]
    graph: nx.DiGraph[str]  # acyclic
    collapsed: set[str]
    nearest: _Nearest
    #: Sub-processes inlined (their steps take their place): their own names go nowhere.
    expanded: frozenset[str] = frozenset()
    #: Nodes left out of the flow (a compensation activity, an event sub-process and
    #: what they hold; what a sub-process without work holds), warned about as a whole.
    hidden: frozenset[str] = frozenset()

    def steps_before(self, node_id: str) -> list[str]:
        """The steps that lead to ``node_id`` (itself, if it is a step)."""
        return self.nearest.before(node_id)

    def steps_after(self, node_id: str) -> list[str]:
        """The steps ``node_id`` leads to (itself, if it is a step)."""
        return self.nearest.after(node_id)


@dataclass(slots=True)
class _Edge:
    source: str
    target: str
    flow: str | None
    kind: str  # sequence, message, skip, rework (marked by sopkit), boundary
    order: int


class _Builder:
    def __init__(
        self,
        doc: BpmnDocument,
        processes: Iterable[str],
        notes: Notes,
        timed: Collection[str] = frozenset(),
    ) -> None:
        self.doc = doc
        self.notes = notes
        self.processes = set(processes)
        #: Activities BPSim gives a processing time: a sub-process timed, and nothing
        #: inside it, is one step of that time.
        self.timed = frozenset(timed)
        self.nodes = {n.id: n for n in doc.nodes.values() if n.process in self.processes}
        self.children: dict[str | None, list[Node]] = {}
        for node in self.nodes.values():
            self.children.setdefault(node.parent, []).append(node)
        self.hidden: set[str] = set()
        self.expanded: set[str] = set()
        self.collapsed: set[str] = set()
        self.edges: list[_Edge] = []
        self.virtual: dict[str, str] = {}  # virtual node → what it stands for

    # --- which nodes are visible ---

    def classify(self) -> None:
        for node in sorted(self.nodes.values(), key=lambda n: n.order):
            if node.id in self.hidden:
                continue
            if node.element.get("isForCompensation", "").strip() == "true":
                self._leave_out(
                    node,
                    "compensation activity",
                    "it runs only to undo work already done when later work is cancelled",
                )
                continue
            if node.kind not in SUB_PROCESSES:
                continue
            inner = self.children.get(node.id, [])
            if node.element.get("triggeredByEvent", "").strip() == "true":
                self._leave_out(node, "event sub-process", "it runs only when its event happens")
            elif any(_holds_work(child.kind) for child in inner):
                if self._timed_as_a_whole(node):
                    continue
                self.expanded.add(node.id)
                if node.kind == "adHocSubProcess":
                    self.notes.warn(
                        "ad-hoc sub-process: its tasks are read as running side by side", node.id
                    )
            else:
                self.collapsed.add(node.id)
                self._hide(node.id, include_self=False)

    def _timed_as_a_whole(self, node: Node) -> bool:
        """Whether a sub-process that holds work is one step: BPSim times it and nothing
        inside it, so its time is the work's (a simulation runs it as one activity of that
        time), and its tasks, read as steps, would each be 1h assumed instead. Where BPSim
        times what is inside as well, those are the steps, and its own time goes unused:
        either way a warning says so."""
        if node.id not in self.timed:
            return False
        inside = self._inside(node.id)
        shown = f"'{clean_name(node.name)}', {node.id}" if node.name.strip() else node.id
        if any(n.id in self.timed for n in inside):
            self.notes.warn(
                "BPSim times the sub-process and the tasks inside it: its tasks are steps, its "
                "own processing time is not used",
                node.id,
                shown=shown,
            )
            return False
        work = [clean_name(n.name) or n.id for n in inside if _holds_work(n.kind)]
        self.notes.warn(
            "BPSim gives the sub-process a processing time and its tasks none: read as one "
            f"step of that time; {len(work)} {'task' if len(work) == 1 else 'tasks'} inside "
            f"it {'is' if len(work) == 1 else 'are'} not steps ({first_few(work)})",
            node.id,
            shown=shown,
        )
        self.collapsed.add(node.id)
        self._hide(node.id, include_self=False)
        return True

    def _inside(self, node_id: str) -> list[Node]:
        """Every node a sub-process holds, at any depth, in the file's order."""
        found = []
        for child in self.children.get(node_id, []):
            found += [child, *self._inside(child.id)]
        return sorted(found, key=lambda n: n.order)

    def _leave_out(self, node: Node, what: str, why: str) -> None:
        """Hide a node that runs outside the process's flow, and say why."""
        named = f" '{clean_name(node.name)}'" if node.name.strip() else ""
        self.notes.warn(f"{what}{named} left out: {why}, outside the process's flow", node.id)
        self._hide(node.id, include_self=True)

    def _hide(self, node_id: str, *, include_self: bool) -> None:
        if include_self:
            self.hidden.add(node_id)
        for child in self.children.get(node_id, []):
            self._hide(child.id, include_self=True)

    def visible(self, node_id: str) -> bool:
        return node_id in self.nodes and node_id not in self.hidden

    def step_kind(self, node: Node) -> str | None:
        if node.kind in TASKS or node.id in self.collapsed:
            return "work"
        if node.kind == "callActivity":
            return "call"
        if node.kind in ("intermediateThrowEvent", "intermediateCatchEvent"):
            return "milestone"
        return None

    # --- edges ---

    def _entry(self, node_id: str) -> str:
        return f"{node_id}#in" if node_id in self.expanded else node_id

    def _exit(self, node_id: str) -> str:
        if node_id in self.alternatives:
            return f"{node_id}#alt"
        if node_id in self.expanded:
            return f"{node_id}#out"
        return node_id

    def _warn_flow(self, message: str, flow_id: str | None) -> None:
        self.notes.warn(message, flow_id, shown=flow_shown(self.doc, flow_id))

    def _warn_boundary(self, event: Node, how: str) -> None:
        named = f" '{clean_name(event.name)}'" if event.name.strip() else ""
        host = event.attached_to or ""
        host_name = clean_name(self.nodes[host].name) if host in self.nodes else host
        self.notes.warn(
            f"boundary event{named}: its path is read as {how} the normal flow of "
            f"'{host_name or host}'",
            event.id,
        )

    def build_edges(self) -> None:
        self.alternatives: dict[str, list[Node]] = {}
        #: Non-interrupting boundary events: their paths run besides the activity's flow.
        self.besides: list[Node] = []
        for node in self.nodes.values():
            if node.kind == "boundaryEvent" and self.visible(node.id):
                host = node.attached_to
                if host is None or not self.visible(host):
                    self.hidden.add(node.id)
                    continue
                if not any(f.source == node.id for f in self.doc.flows.values()):
                    self.hidden.add(node.id)  # no path of its own: nothing to follow
                    continue
                if node.element.get("cancelActivity", "true").strip() == "false":
                    self.besides.append(node)
                else:
                    self.alternatives.setdefault(host, []).append(node)
        for host, events in self.alternatives.items():
            # An interrupting event ends the activity another way: one question, "how
            # does it end?", whose answers are its normal way out and each event's path.
            self.virtual[f"{host}#alt"] = host
            inner_exit = f"{host}#out" if host in self.expanded else host
            self.edges.append(_Edge(inner_exit, f"{host}#alt", None, "sequence", 0))
            for event in sorted(events, key=lambda n: n.order):
                self.edges.append(_Edge(f"{host}#alt", event.id, None, "boundary", event.order))
                self._warn_boundary(event, "an alternative to")
        for event in self.besides:
            # A non-interrupting event leaves the activity running: its path is a question
            # of its own, "does it happen?", and the normal flow goes on either way.
            host = event.attached_to
            assert host is not None
            maybe, never = f"{event.id}#maybe", f"{event.id}#never"
            self.virtual[maybe] = self.virtual[never] = event.id
            inner_exit = f"{host}#out" if host in self.expanded else host
            self.edges.append(_Edge(inner_exit, maybe, None, "sequence", event.order))
            self.edges.append(_Edge(maybe, event.id, None, "boundary", 0))
            self.edges.append(_Edge(maybe, never, None, "boundary", 1))
            self._warn_boundary(event, "a path that may run besides")
        for flow in sorted(self.doc.flows.values(), key=lambda f: f.order):
            loose = [end for end in (flow.source, flow.target) if end not in self.doc.nodes]
            if loose:  # every pool's builder sees it: the notes keep one warning
                ends = " and ".join(f"'{end}'" if end else "nothing" for end in loose)
                self._warn_flow(f"sequence flow to or from {ends}, no element: left out", flow.id)
            if not (self.visible(flow.source) and self.visible(flow.target)):
                continue
            kind = flow.marker if flow.marker in ("skip", "rework") else "sequence"
            self.edges.append(
                _Edge(self._exit(flow.source), self._entry(flow.target), flow.id, kind, flow.order)
            )
        for node_id in self.expanded:
            self.virtual[f"{node_id}#in"] = node_id
            self.virtual[f"{node_id}#out"] = node_id
            inner = [n for n in self.children.get(node_id, []) if self.visible(n.id)]
            inner_ids = {n.id for n in inner}
            flows = [
                f
                for f in self.doc.flows.values()
                if f.source in inner_ids and f.target in inner_ids
            ]
            for child in inner:
                if (
                    child.kind == "boundaryEvent"
                    or child.element.get("isForCompensation") == "true"
                ):
                    continue
                if not any(f.target == child.id for f in flows):
                    self.edges.append(
                        _Edge(f"{node_id}#in", self._entry(child.id), None, "sequence", child.order)
                    )
                if not any(f.source == child.id for f in flows):
                    self.edges.append(
                        _Edge(self._exit(child.id), f"{node_id}#out", None, "sequence", child.order)
                    )
            if not inner:
                self.edges.append(_Edge(f"{node_id}#in", f"{node_id}#out", None, "sequence", 0))
        self._message_edges()

    def _message_edges(self) -> None:
        for index, message in enumerate(self.doc.message_flows):
            ends: list[str | None] = []
            for end in (message.source, message.target):
                owner: str | None = end
                while owner in self.nodes and owner in self.hidden:
                    owner = self.nodes[owner].parent  # into a collapsed sub-process: to it
                ends.append(owner if owner is not None and self.visible(owner) else None)
            source, target = ends
            if source is None or target is None:
                if message.source in self.nodes or message.target in self.nodes:
                    # the other end: a pool drawn without a process (a customer), or a
                    # task of another process of the file (one a step calls)
                    other = self.doc.nodes.get(
                        message.target if message.source in self.nodes else message.source
                    )
                    self._warn_flow(
                        "message flow between two processes of this file: left out (a step's "
                        "after names steps of its own process)"
                        if other is not None and other.process not in self.processes
                        else "message flow to or from a pool without a process of its own: "
                        "left out",
                        message.id,
                    )
                continue
            self.edges.append(
                _Edge(self._exit(source), self._entry(target), message.id, "message", 10**9 + index)
            )

    def sources_in_order(
        self, graph: nx.DiGraph[str], edges: dict[tuple[str, str], _Edge], node: str
    ) -> list[str]:
        """The nodes with a flow into ``node``, in the order its ``incoming`` lists them."""
        listed: dict[str, int] = {}
        element = self.nodes[node].element if node in self.nodes else None
        if element is not None:
            for index, child in enumerate(element):
                if isinstance(child.tag, str) and child.tag.endswith("}incoming"):
                    listed[(child.text or "").strip()] = index
        return [
            source
            for source, _ in sorted(
                graph.in_edges(node),
                key=lambda e: (listed.get(edges[e].flow or "", len(listed)), edges[e].order),
            )
        ]

    # --- loops ---

    def cut_loops(self) -> tuple[nx.DiGraph[str], list[Loop], dict[tuple[str, str], _Edge]]:
        graph: nx.DiGraph[str] = nx.DiGraph()
        for node in sorted(self.nodes.values(), key=lambda n: n.order):
            if self.visible(node.id) and node.id not in self.expanded:
                graph.add_node(node.id)
        edges: dict[tuple[str, str], _Edge] = {}
        loops: list[Loop] = []
        for edge in sorted(self.edges, key=lambda e: e.order):
            if edge.kind == "rework":
                loops.append(Loop(edge.flow, edge.source, edge.target))
                continue
            if (edge.source, edge.target) in edges or edge.source == edge.target:
                if edge.source == edge.target:
                    loops.append(Loop(edge.flow, edge.source, edge.target))
                continue
            edges[(edge.source, edge.target)] = edge
            graph.add_edge(edge.source, edge.target)
        # natural loops first: a flow back into a node every path to its source passes
        dominators = _dominators(graph)
        for (source, target), edge in list(edges.items()):
            if edge.kind != "message" and _dominates(dominators, target, source):
                del edges[(source, target)]
                graph.remove_edge(source, target)
                loops.append(Loop(edge.flow, source, target))
        for _ in range(len(edges) + 1):  # what is left loops without one way in
            try:
                cycle = nx.find_cycle(graph)
            except nx.NetworkXNoCycle:
                break
            pairs = [(pair[0], pair[1]) for pair in cycle]
            reply = _reply(pairs, edges)
            if reply is not None:
                self._reroute(graph, edges, reply)
                continue
            source, target = max(pairs, key=lambda pair: self._cut_score(edges[pair]))
            edge = edges.pop((source, target))
            graph.remove_edge(source, target)
            if edge.kind == "message":
                self._warn_flow(
                    "message flow closes a loop with the sequence flow: left out", edge.flow
                )
            else:
                loops.append(Loop(edge.flow, source, target))
        return graph, loops, edges

    def _reroute(
        self,
        graph: nx.DiGraph[str],
        edges: dict[tuple[str, str], _Edge],
        reply: tuple[str, str],
    ) -> None:
        """A reply to the message an activity sent, read as arriving before what follows
        the activity (the activity waits for it), not as a flow into its start."""
        source, target = reply
        edge = edges.pop(reply)
        graph.remove_edge(source, target)
        after = [
            node
            for node in list(graph.successors(target))
            if edges[(target, node)].kind != "message"
            and not nx.has_path(graph, node, source)
            and (source, node) not in edges
        ]
        for node in after:
            edges[(source, node)] = _Edge(source, node, edge.flow, "message", edge.order)
            graph.add_edge(source, node)
        name = clean_name(self.nodes[target].name) if target in self.nodes else ""
        if after:
            self._warn_flow(
                f"message flow answers '{name or target}': read as arriving before what follows it",
                edge.flow,
            )
        else:
            self._warn_flow(
                "message flow closes a loop with the sequence flow: left out", edge.flow
            )

    def _cut_score(self, edge: _Edge) -> tuple[int, int, float, int]:
        source = self.nodes.get(self.virtual.get(edge.source, edge.source))
        decision = edge.source.endswith(("#alt", "#maybe")) or (
            source is not None and source.kind in DECISIONS
        )
        return (edge.kind == "message", decision, self._leftwards(edge), edge.order)

    def _leftwards(self, edge: _Edge) -> float:
        """How far the flow runs back against the reading direction (left, or up)."""
        a = self.doc.shapes.get(self.virtual.get(edge.source, edge.source))
        b = self.doc.shapes.get(self.virtual.get(edge.target, edge.target))
        if a is None or b is None:
            return 0.0
        (ax, ay), (bx, by) = a.centre, b.centre
        return max(ax - bx, 0.0) + max(ay - by, 0.0) / 10


def flow_shown(doc: BpmnDocument, flow_id: str | None) -> str | None:
    """How a warning names a flow: by its name and its two ends as the canvas shows
    them, then its id.

    A modeler draws a flow as a line and shows its id only in a panel, often a
    generated ``Flow_0x1k2``; ``flow 'No' from 'Approved?' to 'Write draft'``
    finds the line on the canvas.
    """
    if flow_id is None:
        return None
    found = doc.flows.get(flow_id) or next((m for m in doc.message_flows if m.id == flow_id), None)
    if found is None:
        return flow_id
    kind = "message flow" if isinstance(found, MessageFlow) else "flow"
    label = clean_name(found.name)
    named = f" '{label}'" if label else ""
    ends = f"from {_node_shown(doc, found.source)} to {_node_shown(doc, found.target)}"
    return f"{kind}{named} {ends}, {flow_id}"


def _node_shown(doc: BpmnDocument, node_id: str) -> str:
    """An element in a warning as the canvas shows it: ``'its name'`` (a pool's, for a
    message flow to a pool), else its id; ``nothing`` for a flow's missing end."""
    if not node_id:
        return "nothing"
    node = doc.nodes.get(node_id)
    name = "" if node is None else clean_name(node.name)
    if not name:
        pools = (p for group in doc.collaborations for p in group if p.id == node_id)
        name = next((clean_name(p.name) for p in pools), "")
    return f"'{name or node_id}'"


def _reply(
    pairs: list[tuple[str, str]], edges: dict[tuple[str, str], _Edge]
) -> tuple[str, str] | None:
    """The message flow of a loop that answers the activity it flows into: one whose
    target sent a message flow that is also in the loop (a request and its reply,
    each between other nodes: MIWG C.2.0's card payment)."""
    messages = [pair for pair in pairs if edges[pair].kind == "message"]
    senders = {source for source, _ in messages}
    if any((target, source) in messages for source, target in messages):
        # One activity sends and the other answers straight back: either could be the
        # reply, so the loop is cut as any other (by where the flows run in the picture).
        return None
    return next((pair for pair in messages if pair[1] in senders), None)


def _holds_work(kind: str) -> bool:
    """Whether a flow node of this kind inside a sub-process makes it inlined.

    A modeler draws a sub-process collapsed (``isExpanded="false"``, its content on a
    diagram of its own) or expanded as a matter of layout: the tasks inside run either
    way, so either way they are steps. One with nothing inside but start and end
    events (or nothing at all) is a single step of work.
    """
    return kind in (*TASKS, "callActivity", *SUB_PROCESSES) or kind in (
        "intermediateThrowEvent",
        "intermediateCatchEvent",
    )


def _is_step(builder: _Builder, node_id: str) -> bool:
    node = builder.nodes.get(node_id)
    return (
        node is not None and node_id not in builder.virtual and builder.step_kind(node) is not None
    )


def _nearest_steps(
    builder: _Builder, graph: nx.DiGraph[str], edges: dict[tuple[str, str], _Edge], start: str
) -> list[str]:
    """The steps just before ``start`` (through passed-through nodes), in the order the
    flows come in."""
    found: list[str] = []
    seen = {start}

    def visit(node: str) -> None:
        for source in builder.sources_in_order(graph, edges, node):
            edge = edges[(source, node)]
            if edge.kind == "skip" or _empty_branch(builder, graph, source, node):
                continue
            if _is_step(builder, source):
                if source not in found:
                    found.append(source)
            elif source not in seen:
                seen.add(source)
                visit(source)

    visit(start)
    return found


def _is_decision(builder: _Builder, graph: nx.DiGraph[str], node_id: str) -> bool:
    if node_id.endswith(("#alt", "#maybe")):
        return True
    node = builder.nodes.get(node_id)
    return node is not None and node.kind in DECISIONS and graph.out_degree(node_id) > 1


def _empty_branch(builder: _Builder, graph: nx.DiGraph[str], source: str, target: str) -> bool:
    """A flow straight from a decision to a merge that another branch of the same decision
    also reaches: the way round that branch's steps, which are what the merge waits for."""
    node = builder.nodes.get(target)
    if node is None or node.kind not in GATEWAYS or graph.in_degree(target) < 2:
        return False
    if not _is_decision(builder, graph, source):
        return False
    return any(
        other != source and nx.has_path(graph, source, other) for other, _ in graph.in_edges(target)
    )


def _order(
    builder: _Builder, graph: nx.DiGraph[str], steps: list[str], by_document: bool
) -> list[str]:
    place = {n: builder.nodes[n].order if n in builder.nodes else 0 for n in graph.nodes}
    if by_document:
        return sorted(steps, key=place.__getitem__)
    ordered = nx.lexicographical_topological_sort(graph, key=lambda n: place[n])
    chosen = set(steps)
    return [n for n in ordered if n in chosen]


def _dominators(graph: nx.DiGraph[str]) -> dict[str, str]:
    """Immediate dominators from a root placed before every node without a way in (and
    before the first node of any cycle nothing leads into)."""
    rooted = graph.copy()
    rooted.add_node(_ROOT)
    for node in list(graph.nodes):
        if graph.in_degree(node) == 0:
            rooted.add_edge(_ROOT, node)
    reached = nx.descendants(rooted, _ROOT)
    for node in list(graph.nodes):  # in document order: a loop reached from nowhere
        if node not in reached:
            rooted.add_edge(_ROOT, node)
            reached |= {node} | nx.descendants(rooted, node)
    return nx.immediate_dominators(rooted, _ROOT)


_ROOT = "#root"


def _dominates(dominators: dict[str, str], node: str, other: str) -> bool:
    current = other
    while current in dominators and dominators[current] != current:
        current = dominators[current]
        if current == node:
            return True
    return False


def _passes_to(builder: _Builder, graph: nx.DiGraph[str], start: str, goal: str) -> bool:
    """Whether ``goal`` follows ``start`` with no step between: a loop checked at its start
    comes back to the same question."""
    queue, seen = [start], {start}
    while queue:
        current = queue.pop(0)
        if current == goal:
            return True
        if current not in graph or _is_step(builder, current):
            continue
        for _, target in graph.out_edges(current):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return False


def _branch_name(builder: _Builder, edge: _Edge, target: str) -> str:
    if edge.source.endswith("#alt") and edge.kind != "boundary":
        return "completed"  # the activity's own way out, beside its boundary events
    if edge.source.endswith("#maybe"):
        return "no" if target.endswith("#never") else "yes"
    flow = builder.doc.flows.get(edge.flow or "")
    name = flow.name if flow is not None else ""
    if not name and flow is not None and flow.condition:
        name = flow.condition
    if not name:
        target_node = builder.nodes.get(builder.virtual.get(target, target))
        name = clean_name(target_node.name) if target_node is not None else ""
        if not name and target_node is not None and edge.kind == "boundary":
            name = event_kind(target_node)  # an unnamed boundary event: "timer", "error"
    return name[:60].strip()


#: How an event's definition reads as the answer its path is (``timerEventDefinition``…).
_EVENT_KINDS = {
    "timerEventDefinition": "timer",
    "errorEventDefinition": "error",
    "messageEventDefinition": "message",
    "escalationEventDefinition": "escalation",
    "signalEventDefinition": "signal",
    "conditionalEventDefinition": "condition",
    "cancelEventDefinition": "cancel",
    "compensateEventDefinition": "compensation",
}


def event_kind(node: Node) -> str:
    """``timer``, ``error``…: what an event waits for, by its definition ("" for none)."""
    for child in node.element:
        tag = child.tag if isinstance(child.tag, str) else ""
        kind = _EVENT_KINDS.get(tag.rpartition("}")[2])
        if kind is not None:
            return kind
    return ""


def _decisions(
    builder: _Builder,
    graph: nx.DiGraph[str],
    edges: dict[tuple[str, str], _Edge],
    steps: set[str],
    loops: list[Loop],
) -> list[Decision]:
    found = []
    dominators = _dominators(graph)
    for node_id in nx.topological_sort(graph):
        if not _is_decision(builder, graph, node_id):
            continue
        node = builder.nodes.get(builder.virtual.get(node_id, node_id))
        if node is not None and node.marker is not None:
            continue  # a gateway sopkit wrote: its steps carry their conditions themselves
        reaches = []
        for _, target in sorted(graph.out_edges(node_id), key=lambda e: edges[e].order):
            nodes = {target} | nx.descendants(graph, target)
            reaches.append((edges[(node_id, target)], target, nodes & steps))
            # a branch that loops back to before the decision comes out through the others
            if any(
                loop.source in nodes and _passes_to(builder, graph, loop.target, node_id)
                for loop in loops
            ):
                reaches[-1] = (*reaches[-1][:2], (nodes | nx.descendants(graph, node_id)) & steps)
        everywhere = set.intersection(*(set(r) for _, _, r in reaches))
        # a step some branches reach, but also a path round the decision: no answer decides it
        bypassed = {
            step
            for _, _, reach in reaches
            for step in reach - everywhere
            if not _dominates(dominators, node_id, step)
        }
        branches = tuple(
            Branch(
                edge.flow, target, _branch_name(builder, edge, target), frozenset(reach - bypassed)
            )
            for edge, target, reach in reaches
        )
        if all(b.steps == branches[0].steps for b in branches) and not bypassed:
            continue  # every branch reaches the same steps: no question that matters
        if node_id.endswith("#alt"):
            host = builder.nodes[builder.virtual[node_id]]
            kind, name = "boundary", f"How does '{clean_name(host.name) or host.id}' end?"
        elif node_id.endswith("#maybe"):
            event = builder.nodes[builder.virtual[node_id]]
            host = builder.nodes[event.attached_to or ""]
            what = f"'{clean_name(event.name)}'" if event.name.strip() else ""
            what = what or (f"a {event_kind(event)} event" if event_kind(event) else "its event")
            kind = "boundary"
            name = f"Does {what} happen during '{clean_name(host.name) or host.id}'?"
        else:
            assert node is not None
            kind, name = node.kind, clean_name(node.name)
        found.append(
            Decision(
                builder.virtual.get(node_id, node_id), kind, name, branches, frozenset(bypassed)
            )
        )
    return found


def build_structure(
    doc: BpmnDocument,
    processes: Iterable[str],
    notes: Notes,
    timed: Collection[str] = frozenset(),
) -> Structure:
    """Steps, ``after``, loops and decisions of the given processes (pools) together
    (``timed``: the activities BPSim gives a processing time)."""
    builder = _Builder(doc, processes, notes, timed)
    builder.classify()
    builder.build_edges()
    graph, loops, edges = builder.cut_loops()
    kinds = {}
    for node_id in graph.nodes:
        if _is_step(builder, node_id):
            kind = builder.step_kind(builder.nodes[node_id])
            assert kind is not None
            kinds[node_id] = kind
    by_document = bool(kinds) and all(builder.nodes[n].step_data is not None for n in kinds)
    steps = _order(builder, graph, list(kinds), by_document)
    after = {step: _nearest_steps(builder, graph, edges, step) for step in steps}
    decisions = _decisions(builder, graph, edges, set(steps), loops)
    return Structure(
        steps,
        kinds,
        after,
        loops,
        decisions,
        graph,
        builder.collapsed,
        _Nearest(builder, graph, edges),
        frozenset(builder.expanded),
        frozenset(builder.hidden),
    )


class _Nearest:
    """Step lookups around a loop's cut flow."""

    def __init__(
        self, builder: _Builder, graph: nx.DiGraph[str], edges: dict[tuple[str, str], _Edge]
    ) -> None:
        self.builder, self.graph, self.edges = builder, graph, edges

    def before(self, node_id: str) -> list[str]:
        if _is_step(self.builder, node_id):
            return [node_id]
        if node_id not in self.graph:
            return []
        return _nearest_steps(self.builder, self.graph, self.edges, node_id)

    def after(self, node_id: str) -> list[str]:
        if _is_step(self.builder, node_id):
            return [node_id]
        if node_id not in self.graph:
            return []
        found: list[str] = []
        seen = {node_id}
        queue = [node_id]
        while queue:
            current = queue.pop(0)
            for _, target in sorted(
                self.graph.out_edges(current), key=lambda e: self.edges[e].order
            ):
                if _is_step(self.builder, target):
                    if target not in found:
                        found.append(target)
                elif target not in seen:
                    seen.add(target)
                    queue.append(target)
        return found
