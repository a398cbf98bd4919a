"""Workflow diagrams as Mermaid flowcharts, which GitHub and GitLab draw in Markdown.

The same content as the Graphviz diagram: a subgraph per owner role, each step
with its time and annual cost, ``wait`` on outgoing arrows, dashed rework
arrows with their probability, the critical path in heavier lines and
automation candidates filled by net saving. Labels are ``"..."`` strings with
Mermaid entity codes (see ``labels.mermaid_text``), so no step name can break
the chart. Paste the output into a fenced ``mermaid`` block.
"""

from __future__ import annotations

import json

from ...analysis import ProcessCost
from ..labels import mermaid_text, plain_text, wrap
from .common import (
    Wording,
    check_direction,
    check_legible,
    colour_scale,
    lanes,
    own_candidates,
    step_details,
    step_fill,
)
from .style import DEFAULT_THEME, Theme, contrast_text, get_theme

__all__ = ["node_id", "to_mermaid"]


def node_id(step_id: str) -> str:
    """A Mermaid-safe node id: ``s_`` + the slug with ``-`` as ``_``.

    The prefix keeps ids such as ``end``, ``graph`` or ``o-x`` from being read
    as keywords or arrow heads; slugs have no ``_``, so ids stay unique.
    """
    return "s_" + step_id.replace("-", "_")


def _label(lines: list[str]) -> str:
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


def to_mermaid(
    cost: ProcessCost, *, direction: str = "LR", theme: str | Theme = DEFAULT_THEME
) -> str:
    """The process as a Mermaid ``flowchart`` (no fences); same input, same text."""
    check_legible(cost.process)
    style = get_theme(theme)
    text = Wording(cost)
    process = cost.process
    candidates = own_candidates(cost)
    scale = colour_scale(candidates.values(), style)
    schedule = cost.schedule
    title = " · ".join(
        [
            cost.name,
            text(
                "lead",
                days=text.days(schedule.lead_time_days),
                hours=text.number(schedule.lead_time_hours),
            ),
            text("total", money=text.money(cost.annual_cost)),
        ]
    )
    out = [
        "---",
        # A JSON string is a valid YAML scalar: quotes, colons and '#' stay literal.
        f"title: {json.dumps(plain_text(title), ensure_ascii=False)}",
        "---",
        f"flowchart {check_direction(direction)}",
        f"  %% {text('critical')}; {text('rework_key')}; {text('fill')}",
    ]
    classes: dict[str, list[str]] = {}
    for index, role in enumerate(lanes(process.steps)):
        out.append(f"  subgraph lane{index}[{_label([role])}]")
        for step in process.steps:
            if step.owner != role:
                continue
            candidate = candidates.get(step.id)
            details = step_details(cost, step, text, candidate)
            name = "<br/>".join(mermaid_text(line) for line in wrap(step.name, style.wrap))
            body = "<br/>".join(mermaid_text(detail) for detail in details)
            out.append(f'    {node_id(step.id)}["<b>{name}</b><br/>{body}"]')
            fill = step_fill(candidate, scale, style)
            classes.setdefault(fill, []).append(node_id(step.id))
        out.append("  end")
    out.extend(_edges(cost, text, style))
    for fill in [style.plain_fill, *style.scale]:
        if fill not in classes:
            continue
        name = "plain" if fill == style.plain_fill else f"saving{style.scale.index(fill) + 1}"
        ink = contrast_text(fill, style)
        out.append(f"  classDef {name} fill:{fill},color:{ink},stroke:{style.node['color']}")
        out.append(f"  class {','.join(classes[fill])} {name}")
    critical = [node_id(s) for s in schedule.critical_path]
    out.append(
        f"  classDef critical stroke:{style.critical_node['color']},"
        f"stroke-width:{style.critical_node['penwidth']}px"
    )
    out.append(f"  class {','.join(critical)} critical")
    for index in range(len(lanes(process.steps))):
        out.append(
            f"  style lane{index} fill:{style.lane['fillcolor']},stroke:{style.lane['color']}"
        )
    return "\n".join(out) + "\n"


def _edges(cost: ProcessCost, text: Wording, style: Theme) -> list[str]:
    """Arrows in the DOT order, then ``linkStyle`` for the critical ones (by index)."""
    process = cost.process
    known = {step.id for step in process.steps}
    critical = cost.schedule.critical_edges()
    lines: list[str] = []
    heavy: list[int] = []
    for step in process.steps:
        for before in dict.fromkeys(step.after):
            if before not in known or before == step.id:
                continue
            wait = process.step(before).wait
            arrow = "-->" if wait.is_zero else f"-->|{_label([text('wait', time=str(wait))])}|"
            if (before, step.id) in critical:
                heavy.append(len(lines))
            lines.append(f"  {node_id(before)} {arrow} {node_id(step.id)}")
    for step in process.steps:
        if step.rework is None or step.rework.to not in known:
            continue
        label = _label([text("rework", pct=text.pct(step.rework.probability))])
        lines.append(f"  {node_id(step.id)} -.->|{label}| {node_id(step.rework.to)}")
    if heavy:
        colour, width = style.critical_edge["color"], style.critical_edge["penwidth"]
        indexes = ",".join(str(i) for i in heavy)
        lines.append(f"  linkStyle {indexes} stroke:{colour},stroke-width:{width}px")
    return lines
