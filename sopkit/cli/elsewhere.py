"""Commands people try that sopkit has under other names, and where each lives.

``sopkit capacity`` is no command, but capacity is in ``sopkit cost --by role``:
Click's "No such command 'capacity'" leaves the user to read every command's
help to find it. The root group answers an unknown command with where that
lives, from the table below; else with Typer's own did-you-mean for a typo, or
the one command a shortened name fits (``sim`` for ``simulate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import typer
from typer.core import TyperGroup

__all__ = ["ELSEWHERE", "SopkitGroup"]

_CAPACITY = (
    "Capacity and utilisation by role are in 'sopkit cost PATH --by role' (their ranges in "
    "'sopkit simulate PATH'); the site's dashboard (sopkit build) and 'sopkit report' have a "
    "Capacity section"
)
_PLAN = (
    "'sopkit plan FILE --start DATE' dates one run: a table, an .ics calendar, or a Gantt "
    "chart with --format svg, png or pdf"
)

#: An unknown command's name (in lower case) and where what it asks for lives.
ELSEWHERE: Mapping[str, str] = {
    **dict.fromkeys(
        ["capacity", "workload", "utilisation", "utilization", "fte", "headcount", "roles"],
        _CAPACITY,
    ),
    **dict.fromkeys(["gantt", "schedule", "timeline", "calendar", "dates", "ics"], _PLAN),
    **dict.fromkeys(
        ["site", "html", "dashboard", "publish", "website", "docs"],
        "'sopkit build PATH -o site' writes the site and its dashboard; 'sopkit serve PATH' "
        "rebuilds it as you edit",
    ),
    **dict.fromkeys(
        ["excel", "xlsx", "spreadsheet", "workbook"],
        "'sopkit build PATH -o site' writes cost.xlsx; 'sopkit cost PATH -o cost.csv' a "
        "table any spreadsheet opens",
    ),
    **dict.fromkeys(["pdf", "print"], "'sopkit report PATH -o report.pdf' writes the report"),
    **dict.fromkeys(
        ["check", "lint", "verify"],
        "'sopkit validate PATH' checks process files ('sopkit checklist FILE' prints a run's "
        "checklist)",
    ),
    **dict.fromkeys(
        ["init", "create", "start", "template", "scaffold"],
        "'sopkit new TEMPLATE ID' starts a process file (see 'sopkit new --list')",
    ),
    **dict.fromkeys(
        ["automate", "automation", "savings", "roi"],
        "'sopkit candidates PATH' ranks the steps worth automating; 'sopkit compare PATH "
        "--scenario FILE' weighs a change",
    ),
    **dict.fromkeys(
        ["scenario", "scenarios", "what-if", "whatif"],
        "'sopkit compare PATH --scenario FILE' sets a scenario beside the portfolio as it is",
    ),
    **dict.fromkeys(
        ["flow", "flowchart", "graph", "chart", "swimlane", "swimlanes", "mermaid", "draw"],
        "'sopkit diagram FILE' draws a process",
    ),
    **dict.fromkeys(["bpmn", "camunda"], "'sopkit export bpmn PATH' and 'sopkit import bpmn FILE'"),
    **dict.fromkeys(
        ["montecarlo", "monte-carlo", "ranges", "risk"],
        "'sopkit simulate PATH' gives the ranges of the figures",
    ),
    "help": "'sopkit -h' lists the commands; 'sopkit COMMAND -h' explains one",
    "version": "'sopkit --version' shows the version",
}


#: Click's UsageError, which Typer bundles (or depends on): BadParameter's parent.
_USAGE_ERROR = cast(type[Exception], typer.BadParameter.__mro__[1])


class SopkitGroup(TyperGroup):
    """The root command group: an unknown command is told where what it asks for lives."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except _USAGE_ERROR as error:
            message = str(getattr(error, "message", ""))
            if args and message.startswith("No such command"):
                error.message = _where(message, args[0], list(self.commands))  # type: ignore[attr-defined]
            raise


def _where(message: str, name: str, commands: list[str]) -> str:
    """Click's message, with where the command asked for lives, or the one command a
    shortened name fits when Typer found no typo."""
    said = message.rstrip(".")
    where = ELSEWHERE.get(name.strip().lower())
    if where is not None:
        return f"{said.split('. Did you mean')[0]}. {where}."
    if "Did you mean" not in message:
        from ..suggest import closest

        meant = closest(name, commands)
        if meant is not None:
            return f"{said}. Did you mean {meant!r}?"
    return message
