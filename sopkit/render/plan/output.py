"""One dated plan in any format ``sopkit plan`` writes, as bytes."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ...analysis.plan import Plan
from ...errors import UsageError
from ..diagram import draw_scene
from ..diagram.engine import Engine
from ..numbers import counted
from .gantt import gantt_scene
from .ics import CalendarFile, plan_calendar
from .report import PLAN_FORMATS, TEXT_FORMATS, plan_report

__all__ = ["PlanOutput", "render_plan"]


@dataclass(frozen=True, slots=True)
class PlanOutput:
    """The plan in one format, and what the caller should tell the user about it."""

    data: bytes
    format: str
    warnings: tuple[str, ...] = ()
    #: What the file changed in the one it replaces (a calendar's moved and cancelled events).
    notes: tuple[str, ...] = ()


def _update_note(calendar: CalendarFile, process: str) -> str:
    """What writing over a run's calendar file did, for the user about to import it;
    over another process's plan, whose events the import will cancel."""
    if calendar.replaces is not None:
        gone = counted(str(calendar.cancelled), "event", "events")
        done = [f"{gone} of {calendar.replaces} cancelled"] if calendar.cancelled else []
        if calendar.added:
            done.append(f"{counted(str(calendar.added), 'event', 'events')} of {process} added")
        return (
            f"replaced the plan of {calendar.replaces} in this file with that of {process}"
            f" (run '{calendar.run}'): {', '.join(done) or 'nothing to import'}; import "
            "the file again to update the calendar"
        )
    counts = [
        (calendar.changed, "moved or changed"),
        (calendar.added, "added"),
        (calendar.cancelled, "cancelled"),
    ]
    done = [f"{counted(str(n), 'event', 'events')} {what}" for n, what in counts if n]
    if not done:
        return f"the plan of run '{calendar.run}' is unchanged: its calendar needs no update"
    return (
        f"updated the plan of run '{calendar.run}': {', '.join(done)}; import the file again "
        "to update the calendar"
    )


def render_plan(
    plan: Plan,
    fmt: str = "table",
    *,
    today: _dt.date | None = None,
    width: int | None = None,
    engine: Engine | None = None,
    run: str | None = None,
    previous: str | bytes | None = None,
) -> PlanOutput:
    """``plan`` as ``table``, ``markdown``, ``csv``, ``json``, ``ics`` or a Gantt chart
    (``svg``, or ``png``/``pdf`` drawn by Graphviz).

    ``run`` and ``previous`` are the calendar's (``plan_calendar``): the run's
    name in its events' ids, and the text of the calendar file it replaces.

    Raises:
        UsageError: an unknown format.
        RenderError: no Graphviz renderer for PNG or PDF, or it failed.
    """
    if fmt in TEXT_FORMATS:
        return PlanOutput(plan_report(plan, fmt, width=width).encode("utf-8"), fmt)
    if fmt == "ics":
        calendar = plan_calendar(plan, run=run, previous=previous)
        notes: tuple[str, ...] = ()
        if calendar.updates or calendar.replaces is not None:
            notes = (_update_note(calendar, plan.process.id),)
        return PlanOutput(calendar.text.encode("utf-8"), fmt, notes=notes)
    if fmt in ("svg", "png", "pdf"):
        drawing = draw_scene(gantt_scene(plan, today=today), fmt, engine=engine)
        return PlanOutput(drawing.data, fmt, drawing.warnings)
    raise UsageError(f"unknown plan format '{fmt}'", hint="use one of: " + ", ".join(PLAN_FORMATS))
