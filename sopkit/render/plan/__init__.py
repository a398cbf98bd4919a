"""A dated plan as text (table, Markdown, CSV, JSON), an iCalendar file or a Gantt chart."""

from .gantt import gantt_scene
from .ics import CalendarFile, plan_calendar, plan_ics
from .output import PlanOutput, render_plan
from .report import (
    PLAN_FORMATS,
    TEXT_FORMATS,
    moved_start_text,
    no_holidays_text,
    overbooking_text,
    plan_document,
    plan_report,
    plan_sheet,
    unbooked_notes,
)

__all__ = [
    "PLAN_FORMATS",
    "CalendarFile",
    "TEXT_FORMATS",
    "PlanOutput",
    "gantt_scene",
    "moved_start_text",
    "no_holidays_text",
    "overbooking_text",
    "plan_calendar",
    "plan_document",
    "plan_ics",
    "plan_report",
    "plan_sheet",
    "render_plan",
    "unbooked_notes",
]
