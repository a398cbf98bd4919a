"""``sopkit report``: the annual workflow-cost report as PDF or HTML."""

from __future__ import annotations

import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import (
    ForceOption,
    Paper,
    Paths,
    RolesOption,
    format_for,
    scenario_option,
    suffixes_of,
    usage_error,
    user_errors,
)


class ReportFileFormat(StrEnum):
    """``sopkit report --format``."""

    pdf = "pdf"
    html = "html"


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value[:40]}' is not a date; use YYYY-MM-DD") from None


@app.command()
def report(
    paths: Paths,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="The report file; a PDF needs one, HTML goes to stdout without it.",
            dir_okay=False,
        ),
    ] = None,
    fmt: Annotated[
        ReportFileFormat | None,
        typer.Option(
            "--format",
            help="pdf or html (default: from the -o name, else pdf).",
            case_sensitive=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            parser=_date,
            help="The date the report shows as made on (default: today).",
        ),
    ] = None,
    paper: Annotated[
        Paper, typer.Option("--paper", help="A4 or Letter.", case_sensitive=False)
    ] = Paper.a4,
    scenario: Annotated[
        list[Path] | None,
        scenario_option(
            "Add a page on this scenario against the portfolio as it is (repeat for "
            "more): what it changes in a year, what it pays once and its payback."
        ),
    ] = None,
    roles: RolesOption = None,
    force: ForceOption = False,
) -> None:
    """The annual workflow-cost report: a few pages to read, print and forward.

    The headline figures and what they include (labour, cash costs, total cost,
    staff hours, FTE, external hours), cost by process and by role with charts,
    the Pareto of steps, the best automation candidates with payback and ROI,
    capacity, and how the figures are made (the formula, calendar, rates and
    date). With --scenario, a page on each scenario. In the portfolio's
    language when every process shares one.

    A PDF needs WeasyPrint: pip install 'sopkit[pdf]' (and the Pango library).

    \b
    Examples:
      sopkit report processes/en/ -o report.pdf
      sopkit report processes/en/ --format html -o report.html --date 2026-12-31
      sopkit report processes/en/ -o report.pdf --scenario scenarios/automate-drafting.yaml
    """
    from ..analysis import cost_portfolio
    from ..analysis.simulation import simulate
    from ..decide import simulate_scenarios
    from ..load import load_portfolio, roles_worked_beside
    from ..output import refuse_inputs, refuse_overwrite, write_atomic
    from ..render.report import annual_report

    made = date if date is not None else datetime.date.today()
    with user_errors():
        if output is not None:  # first: nobody's file is written over, by any name
            refuse_inputs(output, [*paths, *(scenario or ())])
            refuse_overwrite(output, force=force)
        chosen = format_for(output, fmt, suffixes_of(ReportFileFormat), "pdf")
        if chosen == "pdf" and output is None:
            usage_error(
                "a PDF needs a file to go to", hint="add -o report.pdf, or use --format html"
            )
        view = None
        if scenario:
            from ..decide import compare_scenarios

            view = compare_scenarios(paths, scenario, roles=roles)
            cost, beside = view.as_is, view.beside
        else:
            portfolio = load_portfolio(paths, roles=roles)
            cost, beside = cost_portfolio(portfolio), roles_worked_beside(portfolio)
        data = annual_report(
            cost,
            fmt=chosen,
            date=made,  # type: ignore[arg-type]  # parsed to a date by _date
            paper=paper.value,
            ranges=simulate(cost),
            scenarios=view,
            scenario_ranges=simulate_scenarios(view) if view is not None else (),
            beside=beside,
        )
        if output is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            write_atomic(output, data)
            typer.echo(f"wrote {output}", err=True)
