"""Workflow diagrams as Mermaid flowcharts, which GitHub and GitLab draw in Markdown.

The same content and marks as the swimlane diagram, as far as Mermaid can
draw them: a subgraph per lane (the events band first, outside parties dashed,
systems tinted), each step with its time and annual cost and the roles working
with its owner; a conditional step dashed with its question and answer;
sign-offs as hexagons, milestones as double circles, calls as subroutine boxes
(linked to the called process's page when ``links`` names one); the critical
path in heavier lines; rework dashed with its probability; automation
candidates filled by net saving. A wait is written once: on the arrow when one
leaves the step, in the step's box when several do. Labels are ``"..."``
strings with Mermaid entity codes (see ``labels.mermaid_text``), so no step
name can break the chart. Paste the output into a fenced ``mermaid`` block.

Every line of a step's label is wrapped here, measured (``_LINE``): Mermaid keeps a label
on one line each only while all of them are narrower than its flowchart
``wrappingWidth`` (200 px at its 16 px font); one line that reaches it makes
Mermaid wrap the whole label at 200 px, which broke lines wrapped here into stray
words ("Design landing page, / hero / and social cards").
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ...analysis import Candidate, ProcessCost, as_process_cost
from ...models import Process, RoleKind, Step
from ..labels import mermaid_text, plain_text
from .common import (
    EVENTS_LANE,
    Wording,
    call_details,
    check_direction,
    check_legible,
    clock,
    colour_scale,
    condition_lines,
    events_title,
    lane_of,
    lanes,
    lead_text,
    milestone_details,
    own_candidates,
    participants_text,
    step_details,
    step_fill,
    total_text,
)
from .metrics import wrap_text
from .style import DEFAULT_THEME, Theme, contrast_text, get_theme

__all__ = ["node_id", "to_mermaid"]

#: Mermaid's font size and the widest line of a label it leaves alone, in px: its
#: flowchart ``wrappingWidth`` is 200 px, less room for fonts wider than the DejaVu
#: Sans widths measured here (GitHub's "trebuchet ms", verdana, arial are narrower or
#: about as wide).
_SIZE = 16.0
_LINE = 192.0
#: Mermaid's shape brackets for each kind of step.
_SHAPES = {
    "task": ("[", "]"),
    "signoff": ("{{", "}}"),
    "call": ("[[", "]]"),
    "milestone": ("(((", ")))"),
}


def node_id(step_id: str) -> str:
    """A Mermaid-safe node id: ``s_`` + the slug with ``-`` as ``_``.

    The prefix keeps ids such as ``end``, ``graph`` or ``o-x`` from being read
    as keywords or arrow heads; slugs have no ``_``, so ids stay unique.
    """
    return "s_" + step_id.replace("-", "_")


def _label(lines: list[str]) -> str:
    """A lane's title or an arrow's label: Mermaid does not wrap these."""
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


def _wrapped(text: str, bold: bool = False) -> str:
    """``text`` as label lines Mermaid keeps whole: each narrower than ``_LINE``, and
    as even as that many lines can be, so no line is left a stray word ("If: Which
    launch / tier? — T1", not "If: Which launch tier? — / T1")."""
    lines = wrap_text(text, _LINE, _SIZE, bold)
    low, high = 1, int(_LINE)  # the narrowest whole width that needs no more lines
    while len(lines) > 1 and low < high:
        middle = (low + high) // 2
        if len(wrap_text(text, middle, _SIZE, bold)) <= len(lines):
            high = middle
        else:
            low = middle + 1
    if len(lines) > 1:
        lines = wrap_text(text, high, _SIZE, bold)
    return "<br/>".join(mermaid_text(line) for line in lines)


def _successors(cost: ProcessCost) -> dict[str, int]:
    counts: dict[str, int] = {}
    known = {s.id for s in cost.process.steps}
    for step in cost.process.steps:
        for before in dict.fromkeys(step.after):
            if before in known and before != step.id:
                counts[before] = counts.get(before, 0) + 1
    return counts


def _box_lines(
    cost: ProcessCost, step: Step, text: Wording, candidate: Candidate | None
) -> list[str]:
    """The lines of a step's label: conditions, tag, name (bold), details."""
    kind = step.kind
    lines = [f"<i>{_wrapped(c)}</i>" for c in condition_lines(cost, step, text)]
    if kind == "signoff":
        lines.append(f"<b>{_wrapped(text('signoff'), bold=True)}</b>")
    lines.append(f"<b>{_wrapped(step.name, bold=True)}</b>")
    if kind == "milestone":
        details = milestone_details(cost, step, text)
    elif kind == "call":
        details = call_details(cost, step, text)
    else:
        with_text = participants_text(step, text)
        details = ([with_text] if with_text else []) + step_details(cost, step, text, candidate)
    lines += [_wrapped(detail) for detail in details]
    if not step.wait.is_zero and _successors(cost).get(step.id, 0) > 1:
        lines.append(
            _wrapped(text("then_wait", time=text.duration(step.wait, clock(cost), wait=True)))
        )
    return lines


def _lane_title(cost: ProcessCost, key: str, text: Wording) -> str:
    if key == EVENTS_LANE:
        return events_title(cost.process.steps, text)
    role = cost.process.role(key)
    if role is not None and role.kind is RoleKind.EXTERNAL:
        return f"{key} · {text('external')}"
    if role is not None and role.kind is RoleKind.SYSTEM:
        return f"{key} · {text('system')}"  # the tag has brackets of its own
    return key


def to_mermaid(
    cost: ProcessCost | Process,
    *,
    direction: str = "LR",
    theme: str | Theme = DEFAULT_THEME,
    links: Mapping[str, str] | None = None,
) -> str:
    """The process as a Mermaid ``flowchart`` (no fences); same input, same text.

    A ``Process`` is costed alone (``analysis.as_process_cost``).
    """
    cost = as_process_cost(cost)
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
            lead_text(cost, text),
            total_text(cost, text),
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
    conditional: list[str] = []
    keys = lanes(process.steps)
    for index, key in enumerate(keys):
        out.append(f"  subgraph lane{index}[{_label([_lane_title(cost, key, text)])}]")
        for step in process.steps:
            if lane_of(step) != key:
                continue
            candidate = candidates.get(step.id)
            opening, closing = _SHAPES[step.kind]
            body = "<br/>".join(_box_lines(cost, step, text, candidate))
            out.append(f'    {node_id(step.id)}{opening}"{body}"{closing}')
            fill = step_fill(candidate, scale, style)
            role = process.role(step.owner) if step.owner else None
            if role is not None and role.kind is RoleKind.SYSTEM and fill == style.plain_fill:
                fill = style.system_step_fill
            classes.setdefault(fill, []).append(node_id(step.id))
            if step.when:
                conditional.append(node_id(step.id))
        out.append("  end")
    out.extend(_edges(cost, text, style))
    palette = [style.plain_fill, style.system_step_fill, *style.scale]
    for fill in palette:
        if fill not in classes:
            continue
        if fill == style.plain_fill:
            name = "plain"
        elif fill == style.system_step_fill:
            name = "automated"
        else:
            name = f"saving{style.scale.index(fill) + 1}"
        ink = contrast_text(fill, style)
        out.append(f"  classDef {name} fill:{fill},color:{ink},stroke:{style.step_stroke}")
        out.append(f"  class {','.join(classes[fill])} {name}")
    critical = [node_id(s) for s in schedule.critical_path]
    out.append(
        f"  classDef critical stroke:{style.critical_stroke},"
        f"stroke-width:{_px(style.critical_width)}px"
    )
    out.append(f"  class {','.join(critical)} critical")
    if conditional:
        out.append("  classDef conditional stroke-dasharray:5 3")
        out.append(f"  class {','.join(conditional)} conditional")
    for index, key in enumerate(keys):
        out.append(f"  style lane{index} {_lane_style(cost, key, style)}")
    for step in process.steps:
        href = (links or {}).get(step.process) if step.process else None
        if href:
            out.append(f"  click {node_id(step.id)} href {json.dumps(href)}")
    return "\n".join(out) + "\n"


def _px(width: float) -> str:
    return f"{width:g}"


def _lane_style(cost: ProcessCost, key: str, style: Theme) -> str:
    role = cost.process.role(key) if key != EVENTS_LANE else None
    if role is not None and role.kind is RoleKind.EXTERNAL:
        return f"fill:{style.external_fill},stroke:{style.band_stroke},stroke-dasharray:5 3"
    if role is not None and role.kind is RoleKind.SYSTEM:
        return f"fill:{style.system_fill},stroke:{style.band_stroke}"
    fill = style.events_fill if key == EVENTS_LANE else style.band_fill
    return f"fill:{fill},stroke:{style.band_stroke}"


def _edges(cost: ProcessCost, text: Wording, style: Theme) -> list[str]:
    """Arrows in file order, then ``linkStyle`` for the critical ones (by index)."""
    process = cost.process
    known = {step.id for step in process.steps}
    critical = cost.schedule.critical_edges()
    successors = _successors(cost)
    lines: list[str] = []
    heavy: list[int] = []
    rework: list[int] = []
    for step in process.steps:
        for before in dict.fromkeys(step.after):
            if before not in known or before == step.id:
                continue
            wait = process.step(before).wait
            labelled = not wait.is_zero and successors.get(before, 0) == 1
            shown = text.duration(wait, clock(cost), wait=True)
            arrow = f"-->|{_label([text('wait', time=shown)])}|" if labelled else "-->"
            if (before, step.id) in critical:
                heavy.append(len(lines))
            lines.append(f"  {node_id(before)} {arrow} {node_id(step.id)}")
    for step in process.steps:
        if step.rework is None or step.rework.to not in known:
            continue
        label = _label([text("rework", pct=text.pct(step.rework.probability))])
        rework.append(len(lines))
        lines.append(f"  {node_id(step.id)} -.->|{label}| {node_id(step.rework.to)}")
    if heavy:
        colour, width = style.critical_edge, _px(style.critical_edge_width)
        indexes = ",".join(str(i) for i in heavy)
        lines.append(f"  linkStyle {indexes} stroke:{colour},stroke-width:{width}px")
    if rework:
        indexes = ",".join(str(i) for i in rework)
        lines.append(f"  linkStyle {indexes} stroke:{style.rework}")
    return lines
