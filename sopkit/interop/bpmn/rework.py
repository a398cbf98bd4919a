"""Flows that go back in a BPMN file, as the ``rework`` of the step before them.

The structure cuts each loop where the process decides to go back; here each
cut is the rework of the last step before it to the first it returns to, as
often as sopkit wrote, BPSim gives, or (with a warning) a guess says. A loop
whose gateway asks for an approval makes that step a sign-off too.
"""

from __future__ import annotations

import re
from decimal import Decimal

import networkx as nx

from ..filedata import Data
from .conditions import branch_probabilities
from .context import ImportContext
from .notes import clean_name
from .questions import shares_of
from .structure import Decision

__all__ = ["reworks_of"]

#: A loop's question that asks for an approval, in the languages a process may be written in.
_APPROVAL = re.compile(r"approv|sign[- ]?off|승인|결재|соглас|утвержд|одобр", re.IGNORECASE)


def reworks_of(ctx: ImportContext) -> dict[str, Data]:
    reworks: dict[str, Data] = {}
    for loop in ctx.structure.loops:
        sources = ctx.structure.steps_before(loop.source)
        targets = ctx.structure.steps_after(loop.target)
        inside = [
            t
            for t in targets
            if any(t == s or nx.has_path(ctx.structure.graph, t, s) for s in sources)
        ]
        targets = inside or targets  # the loop's own steps, not the way out of it
        if not sources or not targets:
            ctx.warn_loop("a flow back with no step before or after it: left out", loop)
            continue
        position = {n: i for i, n in enumerate(ctx.structure.steps)}
        # the loop's own pool does the work it sends back, not a pool that replied to it
        here = ctx.doc.nodes.get(loop.source)
        own = [n for n in sources if here is not None and ctx.doc.nodes[n].process == here.process]
        source = max(own or sources, key=position.__getitem__)
        target = min(targets, key=position.__getitem__)
        if len(sources) > 1 or len(targets) > 1:
            ctx.warn_loop(
                f"a flow back from several steps or to several: read as rework of "
                f"'{ctx.step_ids[source]}' back to '{ctx.step_ids[target]}'",
                loop,
            )
        if source in reworks:
            ctx.warn_loop(
                f"'{ctx.step_ids[source]}' already sends work back: this loop is left out",
                loop,
            )
            continue
        if target != source and not nx.has_path(ctx.structure.graph, target, source):
            ctx.warn_loop(
                f"the flow back goes to '{ctx.step_ids[target]}', which is not before "
                f"'{ctx.step_ids[source]}': left out",
                loop,
            )
            continue
        reworks[source] = {
            "to": ctx.step_ids[target],
            "probability": _rework_probability(ctx, loop.flow, loop.source, source, target),
        }
        asks = ctx.doc.nodes.get(loop.source)
        if asks is not None and not ctx.exported and _APPROVAL.search(asks.name):
            ctx.approvals[source] = clean_name(asks.name)
    return reworks


def _rework_probability(
    ctx: ImportContext, flow_id: str | None, gateway: str, source: str, target: str
) -> Decimal:
    """How often work goes back: as sopkit wrote it, else as BPSim gives it for the
    flow back (or for the branch into a loop checked at its start), else a guess."""
    written = (ctx.doc.nodes[source].step_data or {}).get("rework")
    if isinstance(written, dict) and written.get("to") == ctx.step_ids[target]:
        value = written.get("probability")
        if isinstance(value, Decimal) and 0 <= value < 1:
            return value
    siblings = [f.id for f in ctx.doc.flows.values() if f.source == gateway.partition("#")[0]]
    known = [ctx.bpsim.probability.get(f) for f in siblings]
    if flow_id is not None and ctx.bpsim.probability.get(flow_id) is not None:
        if all(k is not None for k in known):
            share = shares_of([k for k in known if k is not None])[siblings.index(flow_id)]
        else:
            share = ctx.bpsim.probability[flow_id]
            share = share / 100 if share > 1 else share  # written as a percentage
        if 0 <= share < 1:
            return share.normalize()
    through = _probability_into_loop(ctx, gateway, source)
    if through is not None:
        return through
    share = (Decimal(1) / max(len(siblings), 2)).quantize(Decimal("0.0001")).normalize()
    # The gateway's question ("Done shopping?") has no place in the file: said here.
    node = ctx.doc.nodes.get(gateway.partition("#")[0])
    asked = clean_name(node.name) if node is not None else ""
    where = f" at '{asked}'" if asked else ""
    message = (
        f"how often work goes back from '{ctx.step_ids[source]}' to "
        f"'{ctx.step_ids[target]}'{where} is not given (BPSim): {share} assumed"
    )
    if flow_id is None:
        ctx.warn(message, gateway)
    else:
        ctx.warn_flow(message, flow_id)
    return share


def _probability_into_loop(ctx: ImportContext, gateway: str, source: str) -> Decimal | None:
    """A loop checked at its start (a decision, then the steps, then back to it): the
    share of the decision's branch into the loop is how often work goes round."""
    for loop in ctx.structure.loops:
        if loop.source != gateway:
            continue
        decision = _next_decision(ctx, loop.target)
        probabilities = None if decision is None else branch_probabilities(ctx, decision)
        if decision is None or probabilities is None:
            continue
        for branch, share in zip(decision.branches, shares_of(probabilities), strict=True):
            if source in branch.steps and share < 1:
                return share
    return None


def _next_decision(ctx: ImportContext, node_id: str) -> Decision | None:
    """The first decision at or after ``node_id`` before any step."""
    by_node = {d.node: d for d in ctx.structure.decisions}
    queue, seen = [node_id], {node_id}
    graph = ctx.structure.graph
    while queue:
        current = queue.pop(0)
        if current in by_node:
            return by_node[current]
        if current in ctx.structure.kinds or current not in graph:
            continue
        for _, target in graph.out_edges(current):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return None
