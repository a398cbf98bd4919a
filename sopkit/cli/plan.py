"""``sopkit plan``: one typical run of a process, dated on the working calendar."""

from __future__ import annotations

import datetime as _dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import (
    ForceOption,
    RolesOption,
    format_for,
    one_scenario,
    scenario_option,
    suffixes_of,
    table_width,
    user_errors,
)


class PlanFormat(StrEnum):
    """``sopkit plan --format``."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    ics = "ics"
    svg = "svg"
    png = "png"
    pdf = "pdf"


#: Formats written to a file named after the process unless -o says otherwise.
_PICTURES = ("svg", "png", "pdf")


def _date(value: str, option: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02",
            param_hint=option,
        ) from None


def _start(value: str | None) -> _dt.date | None:
    return None if value is None else _date(value, "--start")


def _at(value: str | None) -> tuple[str, _dt.date] | None:
    if value is None:
        return None
    milestone, sep, day = value.partition("=")
    if not sep or not milestone.strip():
        raise typer.BadParameter(
            f"'{value}' is not MILESTONE=DATE, e.g. launch=2026-11-20", param_hint="--at"
        )
    return milestone.strip(), _date(day, "--at")


def _today(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    if value.strip().lower() == "today":
        return _dt.date.today()
    return _date(value, "--today")


@app.command()
def plan(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="One process file.", dir_okay=False, show_default=False
        ),
    ],
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATE",
            help="The day the run starts (YYYY-MM-DD); a non-working day moves to the next "
            "working day.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="MILESTONE=DATE",
            help="Plan backwards: place the run so that milestone step MILESTONE falls on "
            "DATE, e.g. launch=2026-11-20.",
        ),
    ] = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option(
            "--format",
            help="table, markdown, csv, json, ics (a calendar file for Google Calendar or "
            "Outlook), or a Gantt chart: svg, png, pdf (PNG and PDF drawn with Graphviz). "
            "Default: from the -o name (.txt, .md, .csv, .json, .ics, .svg, .png, .pdf), "
            "else table.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write here ('-' for stdout). Default: text and ics to stdout, charts to "
            "<id>-plan.<format> in the current folder. A CSV file starts with the "
            "byte-order mark Excel needs.",
            dir_okay=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="Draw a line at this date on the Gantt chart ('today' for today).",
        ),
    ] = None,
    level: Annotated[
        bool,
        typer.Option(
            "--level",
            help="Hold each step until its people are free: a role's headcount in roles.yaml "
            "(rounded up), or without one as many people as its largest step needs. No one is "
            "booked twice, but for a step that alone needs more people than its role has; the "
            "run may take longer.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 1 when a step cannot meet its due date (due-missed; with --level, "
            "due-missed-levelled), or its due date cannot be checked, its milestone not in "
            "the typical run (due-unchecked), unless the step or its process accepts that "
            "code (accept: [due-missed]).",
        ),
    ] = False,
    run: Annotated[
        str | None,
        typer.Option(
            "--run",
            metavar="NAME",
            help="ics: the run's name in the events' ids (default: the name in the file "
            "written over, else the start date). Writing over the run's file updates it: "
            "import it again and the events move instead of being added twice.",
        ),
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        scenario_option(
            "Plan the process as this scenario would leave it (sopkit-scenario: 1): "
            "automated steps take less time, a new headcount changes --level. The scenario "
            "is applied to the processes in FILE's folder, and the titles name it."
        ),
    ] = None,
    roles: RolesOption = None,
    force: ForceOption = False,
) -> None:
    """Date one typical run of a process on the working calendar.

    Each step of the typical run (conditions at their most likely answer) gets
    its start and finish dates, as early as the steps before it allow; weekends
    and holidays come from 'calendar' in roles.yaml. A step's 'due' (e.g. {milestone:
    launch, offset: -10d}) is checked: a step that cannot be done in time is a
    warning at its line, with how many working days late it is. Where a role
    has more work at once than people, the plan says so; --level makes the
    steps wait for their people instead.

    \b
    Examples:
      sopkit plan processes/en/product-launch.yaml --at launch-day=2027-01-15
      sopkit plan FILE --start 2026-12-01 --format ics -o launch.ics
      sopkit plan FILE --start 2026-12-01 --format png --today today
      sopkit plan FILE --start 2026-12-01 --level
      sopkit plan FILE --start 2026-12-01 --scenario scenarios/automate-drafting.yaml
    """
    from ..analysis.plan import plan_run
    from ..load import load_process
    from ..output import read_replaced, refuse_inputs, refuse_overwrite, write_atomic, write_csv
    from ..render.plan import (
        moved_start_text,
        no_holidays_text,
        overbooking_text,
        render_plan,
        unbooked_notes,
    )

    begin, anchor, line = _start(start), _at(at), _today(today)
    chosen = one_scenario(scenario)
    if begin is not None and anchor is not None:
        raise typer.BadParameter(
            "--start and --at cannot be given together: a run is dated either forward from "
            "its first day (--start DATE) or back from a milestone (--at MILESTONE=DATE)",
            param_hint="--start/--at",
        )
    if begin is None and anchor is None:
        raise typer.BadParameter(
            "give --start DATE or --at MILESTONE=DATE: the day the run starts, or the day "
            "one of its milestones falls on",
            param_hint="--start/--at",
        )
    if output is not None and str(output) != "-":
        # First: nobody's process is written over, by any name (the format's check next).
        with user_errors():
            refuse_inputs(
                output, [file, *([roles] if roles else []), *([chosen] if chosen else [])]
            )
            refuse_overwrite(output, force=force)
    fmt = PlanFormat(format_for(output, fmt, suffixes_of(PlanFormat), PlanFormat.table))
    if run is not None and fmt != PlanFormat.ics:
        raise typer.BadParameter("--run names a calendar's run: use it with --format ics")
    if run is not None and not run.strip():
        raise typer.BadParameter("give the run a name, e.g. --run spring-launch")
    if line is not None and fmt.value not in _PICTURES:
        typer.echo(
            f"note: --today draws a line on the chart (svg, png, pdf): {fmt.value} has none",
            err=True,
        )
    with user_errors():
        if chosen is None:
            process = load_process(file, roles=roles)
            dated = plan_run(process, start=begin, at=anchor, level=level)
        else:
            from ..decide import plan_scenario

            planned = plan_scenario(file, chosen, start=begin, at=anchor, level=level, roles=roles)
            dated, process = planned.plan, planned.plan.process
            if not planned.changed:
                typer.echo(
                    f"note: scenario '{planned.scenario.name}' changes nothing in this plan of "
                    f"{process.id}: it is its plan as it is",
                    err=True,
                )
        to_stdout = str(output) == "-" or (output is None and fmt.value not in _PICTURES)
        target = output if output is not None else Path(f"{process.id}-plan.{fmt.value}")
        previous = None if to_stdout or fmt != PlanFormat.ics else read_replaced(target)
        result = render_plan(
            dated,
            fmt.value,
            today=line,
            width=table_width(None if to_stdout else output),
            run=run,
            previous=previous,
        )
        told = dated.warnings  # a due date the file accepts missing is not told
        for problem in told:
            typer.echo(problem.format(), err=True)
        # A table or Markdown on the terminal lists them in its notes: once is enough.
        # Anything else (a file, or CSV, JSON, a calendar or a chart, which have no notes
        # to read) would keep them from the user: they go to stderr.
        shown = to_stdout and fmt in (PlanFormat.table, PlanFormat.markdown)
        moved, unlisted = moved_start_text(dated), no_holidays_text(dated)
        if moved is not None and not shown:
            typer.echo(f"note: {moved}", err=True)
        if unlisted is not None and not shown:
            typer.echo(f"warning: {unlisted}", err=True)
        for found in () if shown else dated.overbooked:
            typer.echo(f"warning: {overbooking_text(found)}", err=True)
        for note in () if shown else unbooked_notes(dated):
            typer.echo(f"note: {note}", err=True)
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if to_stdout:
            typer.echo(result.data, nl=False)
            if fmt == PlanFormat.ics:
                typer.echo(
                    "note: a calendar written with -o FILE is updated when planned again "
                    "(its events move instead of being added twice)",
                    err=True,
                )
        else:
            inputs: list[str | Path] = [file, *([roles] if roles else [])]
            inputs += [*([chosen] if chosen else []), process.settings_path or file]
            refuse_inputs(target, inputs)
            refuse_overwrite(target, force=force)
            (write_csv if fmt == PlanFormat.csv else write_atomic)(target, result.data)
            typer.echo(f"wrote {target}", err=True)
            for note in result.notes:
                typer.echo(note, err=True)
        if dated.overbooked and not level:  # last: after the plan whose notes it is about
            typer.echo(
                "hint: --level holds each step until its people are free; where more people "
                "share a role, give it a headcount in roles.yaml",
                err=True,
            )
        if strict and told:
            raise typer.Exit(1)
