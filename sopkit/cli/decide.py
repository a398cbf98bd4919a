"""Deciding: ``diff`` (what a change did) and ``compare`` (what scenarios would do)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import (
    ForceOption,
    Paths,
    ReportOutput,
    RolesOption,
    emit,
    format_for,
    scenario_option,
    suffixes_of,
    table_width,
    user_errors,
)

#: ``sopkit diff`` exits with this when ``--fail-over`` is exceeded.
EXIT_OVER = 3


class DiffFormat(StrEnum):
    """``--format`` of ``sopkit diff`` and ``sopkit compare``."""

    table = "table"
    markdown = "markdown"
    json = "json"


DiffFormatOption = Annotated[
    DiffFormat | None,
    typer.Option(
        "--format",
        help="table (for reading in a terminal), markdown (to paste into a pull request) or "
        "json (the stable interface for other tools). Default: from the -o name (.txt, .md, "
        ".json), else table.",
        case_sensitive=False,
        show_default=False,
    ),
]


def _diff_format(output: Path | None, given: DiffFormat | None) -> DiffFormat:
    """``--format`` from ``-o``'s name when not given (``format_for``)."""
    return DiffFormat(format_for(output, given, suffixes_of(DiffFormat), DiffFormat.table))


@app.command()
def diff(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD",
            help="Files or a folder as they were: a path, or REV:PATH from git "
            "(e.g. HEAD~1:processes/en/).",
            show_default=False,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            metavar="NEW",
            help="The same as they are now: a path, or REV:PATH.",
            show_default=False,
        ),
    ],
    fmt: DiffFormatOption = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Also list the processes, steps and roles that kept every figure."
        ),
    ] = False,
    fail_over: Annotated[
        str | None,
        typer.Option(
            "--fail-over",
            metavar="X",
            help="Exit with status 3 when the annual total cost rises by more than X: a "
            "percentage (5%) or an amount in the portfolio's currency (1000).",
        ),
    ] = None,
    roles: RolesOption = None,
    output: ReportOutput = None,
    force: ForceOption = False,
) -> None:
    """What changed between two versions of a portfolio, and what it did to the costs.

    Processes match by id, steps by process and step id, roles by name. Shows a
    one-line summary, the totals before and after (annual cost, cash costs, total
    cost, hours, FTE, automation potential), then every process, step and role
    whose figures changed, was added or was removed. REV:PATH reads the git
    repository that holds the current folder (nothing is checked out); PATH is
    from the repository's top, or from here when it starts with ./ .

    Exit status 0; 3 with --fail-over when the rise is larger (the last line says
    by how much); 1 when a side's files are invalid; 2 on a usage error.

    \b
    Examples:
      sopkit diff HEAD~1:processes/en/ processes/en/ --format markdown
      sopkit diff main:processes/en/ processes/en/ --fail-over 5%   # a CI gate
    """
    from ..analysis.compare import verdict
    from ..decide import diff as diff_sides
    from ..decide import parse_threshold
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.costs.diff import diff_report, verdict_line

    with user_errors():
        threshold = None if fail_over is None else parse_threshold(fail_over)
        if output is not None:
            refuse_inputs(output, [Path(p) for p in (old, new) if Path(p).exists()])
            refuse_overwrite(output, force=force)
        fmt = _diff_format(output, fmt)
        result = diff_sides(old, new, roles=roles)
        text = diff_report(
            result,
            fmt=fmt.value,
            everything=everything,
            width=table_width(output),
            before=old,
            after=new,
        )
        emit(text, output)
        if threshold is not None:
            judged = verdict(result.comparison, threshold)
            typer.echo(verdict_line(judged, result.comparison.currency), err=True)
            if judged.exceeded:
                raise typer.Exit(EXIT_OVER)


@app.command()
def compare(
    paths: Paths,
    scenario: Annotated[
        list[Path] | None,
        scenario_option(
            "A scenario file (sopkit-scenario: 1); give several to see them side by side."
        ),
    ] = None,
    fmt: DiffFormatOption = None,
    roles: RolesOption = None,
    output: ReportOutput = None,
    force: ForceOption = False,
) -> None:
    """The portfolio as it is (As-Is) beside each scenario's To-Be.

    A scenario is a YAML file of changes applied, in order, to a copy of the
    portfolio: automate (the steps' automation taken as done), rates, headcount,
    set (fields of a process or step) and remove (a step or a process). Shows
    annual cost, cash costs, total cost, hours, FTE and lead time for the portfolio
    and each process (and the total cost per run of each process a scenario
    changes), and for each scenario the change in labour cost apart from the
    change in cash costs (labour saved is hours freed, not cash), its one-off
    setup, payback and first-year ROI; JSON adds every changed step and role.
    docs/format.md describes scenario files.

    \b
    Examples:
      sopkit compare processes/en/ --scenario scenarios/automate-drafting.yaml
      sopkit compare processes/en/ --scenario a.yaml --scenario b.yaml --format markdown
    """
    from ..decide import compare_scenarios
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.costs.scenarios import scenarios_report
    from .common import usage_error

    with user_errors():
        if not scenario:
            usage_error(
                "give at least one --scenario FILE",
                hint="e.g. sopkit compare processes/en/ --scenario automate-drafting.yaml",
            )
        if output is not None:
            refuse_inputs(output, [*paths, *scenario])
            refuse_overwrite(output, force=force)
        fmt = _diff_format(output, fmt)
        result = compare_scenarios(paths, scenario, roles=roles)
        emit(scenarios_report(result, fmt=fmt.value, width=table_width(output)), output)
