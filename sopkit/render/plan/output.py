"""One dated plan in any format ``sopkit plan`` writes, as bytes."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ...analysis.plan import Plan
from ...errors import UsageError
from ..diagram import draw_scene
from ..diagram.engine import Engine
from .gantt import gantt_scene
from .ics import plan_ics
from .report import PLAN_FORMATS, TEXT_FORMATS, plan_report

__all__ = ["PlanOutput", "render_plan"]


@dataclass(frozen=True, slots=True)
class PlanOutput:
    """The plan in one format, and what the caller should tell the user about it."""

    data: bytes
    format: str
    warnings: tuple[str, ...] = ()


def render_plan(
    plan: Plan,
    fmt: str = "table",
    *,
    today: _dt.date | None = None,
    width: int | None = None,
    engine: Engine | None = None,
) -> PlanOutput:
    """``plan`` as ``table``, ``markdown``, ``csv``, ``json``, ``ics`` or a Gantt chart
    (``svg``, or ``png``/``pdf`` drawn by Graphviz).

    Raises:
        UsageError: an unknown format.
        RenderError: no Graphviz renderer for PNG or PDF, or it failed.
    """
    if fmt in TEXT_FORMATS:
        return PlanOutput(plan_report(plan, fmt, width=width).encode("utf-8"), fmt)
    if fmt == "ics":
        return PlanOutput(plan_ics(plan).encode("utf-8"), fmt)
    if fmt in ("svg", "png", "pdf"):
        drawing = draw_scene(gantt_scene(plan, today=today), fmt, engine=engine)
        return PlanOutput(drawing.data, fmt, drawing.warnings)
    raise UsageError(f"unknown plan format '{fmt}'", hint="use one of: " + ", ".join(PLAN_FORMATS))
