"""Workflow diagrams as Graphviz graphs: a costed process as a ``Digraph`` or DOT text.

One swimlane (cluster) per owner role; each step shows its name, time per
execution and annual cost; ``wait`` sits on the outgoing arrows; rework arrows
are dashed with their probability; the critical path has heavier outlines and
arrows; automation candidates are filled on a sequential colour scale by net
annual saving, explained by a small legend under the title, which also gives
the lead time. Everything here is pure: ``draw`` in this package runs a renderer.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphviz  # type: ignore[import-untyped]

from ...analysis import Candidate, ProcessCost
from ...models import Step
from ..labels import bold, html_label, html_lines, html_text, wrap
from .common import (
    ColourScale,
    Wording,
    check_direction,
    check_legible,
    colour_scale,
    lanes,
    own_candidates,
    step_details,
    step_fill,
)
from .style import DEFAULT_THEME, FONTS, Theme, contrast_text, get_theme

__all__ = ["build_digraph", "to_dot"]

#: Rework arrows of a top-to-bottom flow loop back along the right-hand side, clear
#: of the forward arrows and their labels; left to right, dot routes them well as is.
_REWORK_PORTS: Mapping[str, Mapping[str, str]] = {
    "LR": {},
    "TB": {"tailport": "e", "headport": "e"},
}


def build_digraph(
    cost: ProcessCost,
    *,
    direction: str = "LR",
    candidates: list[Candidate] | None = None,
    theme: str | Theme = DEFAULT_THEME,
    fontname: str = FONTS,
) -> graphviz.Digraph:
    """The process as a ``graphviz.Digraph``: lanes per role, costs, critical path, heat.

    Args:
        cost: the costed process (``sopkit.analysis.cost_process``).
        direction: ``LR`` (left to right) or ``TB`` (top to bottom).
        candidates: automation candidates to colour; by default this process's own.
        theme: a theme name from ``sopkit.render.diagram.style.THEMES`` or a ``Theme``.
        fontname: Graphviz ``fontname``; the default family list covers Latin,
            Cyrillic and Korean with system Graphviz.
    """
    check_legible(cost.process)
    style = get_theme(theme)
    text = Wording(cost)
    process = cost.process
    by_step = own_candidates(cost, candidates)
    scale = colour_scale(by_step.values(), style)
    critical = set(cost.schedule.critical_path)
    font = {"fontname": fontname}

    graph = graphviz.Digraph(
        name=cost.id,
        graph_attr={
            **font,
            **style.graph,
            "rankdir": check_direction(direction),
            "label": html_label(_title(cost, text, style, scale)),
        },
        node_attr={**font, "fontsize": str(style.detail_size), **style.node},
        edge_attr={**font, "fontsize": str(style.detail_size), **style.edge},
    )
    role_cost = {r.role: r.annual_cost for r in cost.by_role()}
    for index, role in enumerate(lanes(process.steps)):
        with graph.subgraph(name=f"cluster_{index}") as lane:
            label = _rows(
                f'<font point-size="{style.name_size}" color="{style.lane_text}">'
                f"{bold(html_text(role))}</font>",
                f'<font color="{style.muted_text}">'
                f"{html_text(text('a_year', money=text.money(role_cost[role])))}</font>",
            )
            lane.attr(**{**font, "fontsize": str(style.detail_size), **style.lane})
            lane.attr(label=html_label(label))
            for step in process.steps:
                if step.owner == role:
                    attrs = _node_attrs(cost, step, text, style, scale, by_step)
                    if step.id in critical:
                        attrs.update(style.critical_node)
                    lane.node(step.id, **attrs)
    _edges(graph, cost, text, style, direction)
    return graph


def _node_attrs(
    cost: ProcessCost,
    step: Step,
    text: Wording,
    style: Theme,
    scale: ColourScale,
    candidates: Mapping[str, Candidate],
) -> dict[str, str]:
    candidate = candidates.get(step.id)
    fill = step_fill(candidate, scale, style)
    name = html_lines(wrap(step.name, style.wrap))
    details = step_details(cost, step, text, candidate)
    detail_lines = [line for detail in details for line in wrap(detail, style.wrap + 12)]
    label = (
        f'<font point-size="{style.name_size}">{bold(name)}</font><br/>'
        f'<font point-size="{style.detail_size}">{html_lines(detail_lines)}</font>'
    )
    return {"label": html_label(label), "fillcolor": fill, "fontcolor": contrast_text(fill, style)}


def _edges(
    graph: graphviz.Digraph, cost: ProcessCost, text: Wording, style: Theme, direction: str
) -> None:
    process = cost.process
    critical = cost.schedule.critical_edges()
    known = {step.id for step in process.steps}
    for step in process.steps:
        for before in dict.fromkeys(step.after):
            if before not in known or before == step.id:
                continue
            attrs: dict[str, str] = {}
            wait = process.step(before).wait
            if not wait.is_zero:
                attrs["label"] = html_label(html_text(text("wait", time=str(wait))))
            if (before, step.id) in critical:
                attrs.update(style.critical_edge)
            graph.edge(before, step.id, **attrs)
    for step in process.steps:
        if step.rework is None or step.rework.to not in known:
            continue
        label = html_label(html_text(text("rework", pct=text.pct(step.rework.probability))))
        ports = _REWORK_PORTS[direction]
        graph.edge(step.id, step.rework.to, label=label, **ports, **style.rework_edge)


def _rows(*cells: str, padding: int = 0) -> str:
    """Left-aligned lines of markup, one table row each."""
    rows = "".join(f'<tr><td align="left">{cell}</td></tr>' for cell in cells)
    return (
        f'<table border="0" cellborder="0" cellspacing="0" cellpadding="{padding}">{rows}</table>'
    )


def _title(cost: ProcessCost, text: Wording, style: Theme, scale: ColourScale) -> str:
    """The graph label: name, lead time and totals, then the legend."""
    schedule = cost.schedule
    summary = " · ".join(
        [
            text(
                "lead",
                days=text.days(schedule.lead_time_days),
                hours=text.number(schedule.lead_time_hours),
            ),
            text("runs", n=str(cost.process.frequency)),
            text("total", money=text.money(cost.annual_cost)),
        ]
    )
    keys = f"{html_text(text('critical'))}   ·   {html_text(text('rework_key'))}"
    return _rows(
        f'<font point-size="{style.title_size}">{bold(html_text(cost.name))}</font>',
        html_text(summary),
        f'<font color="{style.muted_text}">{keys}</font>',
        *([_swatches(text, style, scale)] if scale.step > 0 else []),
        padding=2,
    )


def _swatches(text: Wording, style: Theme, scale: ColourScale) -> str:
    """The colour key: what each fill means in net saving a year."""
    cell = '<td bgcolor="{fill}" border="1" color="#808080" cellpadding="3">{body}</td>'
    cells = [
        f'<td align="left"><font color="{style.muted_text}">{html_text(text("fill"))}</font></td>',
        cell.format(
            fill=style.plain_fill,
            body=f'<font color="{style.text}">{html_text(text("none"))}</font>',
        ),
    ]
    for low, high, colour in scale.bins():
        body = html_text(f"{text.round_money(low)}–{text.round_money(high)}")
        ink = contrast_text(colour, style)
        cells.append(cell.format(fill=colour, body=f'<font color="{ink}">{body}</font>'))
    return (
        '<table border="0" cellborder="0" cellspacing="3" cellpadding="0"><tr>'
        + "".join(cells)
        + "</tr></table>"
    )


def to_dot(cost: ProcessCost, *, direction: str = "LR", theme: str | Theme = DEFAULT_THEME) -> str:
    """The DOT source of the diagram, for system Graphviz; same input, same bytes."""
    source: str = build_digraph(cost, direction=direction, theme=theme).source
    return source
