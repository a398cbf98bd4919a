"""``sopkit simulate``: P10, P50 and P90 of annual cost, hours and lead time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import (
    ForceOption,
    FormatOption,
    Paths,
    ReportFormat,
    RolesOption,
    TableOutput,
    emit,
    in_range,
    one_scenario,
    progress_bar,
    report_format,
    scenario_option,
    table_width,
    user_errors,
)

# The bounds of sopkit.analysis.simulation, repeated so `--help` does not import NumPy;
# tests/test_simulate_cli.py checks they agree.
MIN_YEARS = 100
MAX_YEARS = 1_000_000
DEFAULT_YEARS = 10_000
MAX_SEED = 2**63 - 1


@app.command()
def simulate(
    paths: Paths,
    years: Annotated[
        int,
        typer.Option(
            "--years",
            callback=in_range(MIN_YEARS, MAX_YEARS),
            metavar="N",
            help=f"Simulated years (and runs for lead time), {MIN_YEARS:,} to {MAX_YEARS:,}.",
        ),
    ] = DEFAULT_YEARS,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            callback=in_range(0, MAX_SEED),
            metavar="N",
            help="Seed of the random draws, 0 to 2^63 − 1: the same seed and files give the "
            "same figures on every machine; each process draws from its own stream, so "
            "adding a process leaves the others' figures alone.",
        ),
    ] = 0,
    fmt: FormatOption = None,
    scenario: Annotated[
        list[Path] | None,
        scenario_option(
            "Simulate the portfolio as this scenario would leave it (sopkit-scenario: 1): "
            "automated steps take less time, a new headcount changes each role's capacity, "
            "so the roles' share of years over capacity answers whether a hire is enough."
        ),
    ] = None,
    roles: RolesOption = None,
    output: TableOutput = None,
    force: ForceOption = False,
) -> None:
    """Ranges: mean, P10, P50 and P90 of annual cost, total cost, hours and lead time.

    Simulates many years of every process: three-point estimates (PERT-Beta)
    drawn once a year, conditions answered, per_run fractions and rework
    drawn run by run, sub-procedures and expenses included. P90 is the
    figure 9 years in 10 stay under; the mean comes close to `sopkit cost`'s
    figure, within sampling noise (closer with more --years). Lead time is
    one run's, simulated as often as years.

    \b
    Examples:
      sopkit simulate processes/en/ --years 10000 --seed 0
      sopkit simulate processes/en/ --format json -o ranges.json
      sopkit simulate processes/en/ --scenario scenarios/automate-drafting.yaml
    """
    from ..analysis.simulation import simulate as run
    from ..load import load_portfolio, roles_worked_beside
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.costs.ranges import simulation_report

    chosen = one_scenario(scenario)
    with user_errors():
        if output is not None:
            refuse_inputs(output, paths)
            refuse_overwrite(output, force=force)
        fmt = report_format(output, fmt)
        portfolio = load_portfolio(paths, roles=roles)
        # Only the table's utilisation note names the files beside: JSON and CSV have
        # the figures alone, so the files (every YAML under the roles folder) stay unread.
        shown = fmt in (ReportFormat.table, ReportFormat.markdown)
        beside = roles_worked_beside(portfolio) if shown else {}
        name = None
        if chosen is not None:
            from ..decide import apply_scenario, scenarios_for

            (read,) = scenarios_for(portfolio, [chosen])
            portfolio, name = apply_scenario(portfolio, read).portfolio, read.name
        long = years * len(portfolio) >= 1_000_000 and sys.stderr.isatty()
        with progress_bar(long, "simulating") as progress:
            result = run(portfolio, years=years, seed=seed, progress=progress)
        text = simulation_report(
            result, fmt=fmt.value, width=table_width(output), scenario=name, beside=beside
        )
        emit(text, output, csv=fmt is ReportFormat.csv)
