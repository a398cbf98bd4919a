"""Cost reports: ``cost`` and ``candidates``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..currency import MAX_AMOUNT
from ..errors import UsageError
from .app import app
from .common import (
    MAX_JOBS,
    MAX_TOP,
    ForceOption,
    FormatOption,
    Paths,
    ReportFormat,
    RolesOption,
    TableOutput,
    collector_paused,
    emit,
    in_range,
    parse_amount,
    report_format,
    table_width,
    user_errors,
)

if TYPE_CHECKING:
    from ..analysis import PortfolioCost
    from ..load import Portfolio


class CostView(StrEnum):
    """``sopkit cost --by``: one row per step, role or process."""

    step = "step"
    role = "role"
    process = "process"


@app.command()
def cost(
    paths: Paths,
    by: Annotated[
        CostView,
        typer.Option(
            "--by",
            help="One row per step, role or process (JSON always holds all three).",
            case_sensitive=False,
        ),
    ] = CostView.step,
    fmt: FormatOption = None,
    roles: RolesOption = None,
    output: TableOutput = None,
    force: ForceOption = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="STEP_ID|ROLE",
            help="Instead of the report, show how one step's figures were computed "
            "(PROCESS_ID/STEP_ID when several processes have that step), or a role's: "
            "the steps it works on, its hours, cost and utilisation.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j",
            "--jobs",
            callback=in_range(1, MAX_JOBS),
            help=f"With --format json: how many processes share the work, 1 to {MAX_JOBS} "
            "(default: one per CPU from 200 files up; always one outside Linux).",
        ),
    ] = None,
) -> None:
    """Annual workflow cost: time × executions × runs per month × hourly rate × 12.

    Tables sort by annual cost, highest first, with totals, FTE and lead times;
    CSV and JSON keep the files' order.

    Labour (time × rate), cash costs and their total stand side by side when
    the processes have cash costs; hours of outside parties, role kinds,
    headcount and utilisation appear when used. A process only others run is
    "called by …" and costed in its callers; its file given alone is costed with
    the processes beside it that run it, which a note names.

    A table in a terminal fits its width and never breaks a figure: columns are
    left out, first-named first, and names wrap. --by step: exec/run, runs/month,
    h/exec, Rate/h, Outside h/year, FTE, Name, Owner, Cash/year, Hours/year. --by
    process: runs/month, Lead time h, h/run, Outside h/year, Frequency, FTE, Name,
    Lead time d, Cash/year, Hours/year. --by role: Steps, Share, Headcount, Kind,
    FTE, Outside h/year. A note names what was left out (and the notes that explain
    those columns are left out with them); files and pipes get every column.

    --format json on 200 files or more reads, checks and costs them in several
    processes at once (one per CPU, or --jobs); the report is the same.

    --by role shows each role's headcount and utilisation (annual hours ÷
    (headcount × available hours)) once a role in roles.yaml has a headcount,
    and names the roles over capacity; CSV and JSON always have them.

    \b
    Examples:
      sopkit cost processes/en/ --by role
      sopkit cost processes/en/ --format json -o cost.json
      sopkit cost processes/en/content-marketing.yaml --explain draft
      sopkit cost processes/en/ --explain "Content Writer"
    """
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.costs import cost_report_parts, ensure_costs, explain_figures, explains_role

    with user_errors(), collector_paused():
        if output is not None:
            refuse_inputs(output, paths)
            refuse_overwrite(output, force=force)
        given, fmt = fmt, report_format(output, fmt)
        if explain is not None and fmt is not ReportFormat.table:
            raise _explain_format(fmt, given, output)
        if fmt is ReportFormat.json and explain is None and not _one_file(paths):
            from ..parallel import cost_json_for

            emit(cost_json_for(paths, roles=roles, jobs=jobs), output)
            return
        from ..load import roles_worked_beside, with_callers

        portfolio = with_callers(paths, roles=roles)
        source = ensure_costs(_costed_from(portfolio, paths))
        # Only a role's utilisation note names the files beside: they are read (every
        # YAML file under the roles folder) for it alone, not for steps, JSON or CSV.
        if explain is not None:
            shown = explains_role(source, explain)
        else:
            shown = by is CostView.role and fmt in (ReportFormat.table, ReportFormat.markdown)
        beside = roles_worked_beside(portfolio) if shown else {}
        if explain is not None:
            emit(explain_figures(source, explain, beside=beside), output)
        else:
            width = table_width(output)
            emit(
                cost_report_parts(source, by=by.value, fmt=fmt.value, width=width, beside=beside),
                output,
                csv=fmt is ReportFormat.csv,
            )


def _explain_format(
    fmt: ReportFormat, given: ReportFormat | None, output: Path | None
) -> UsageError:
    """``--explain`` with another format than text: the hint names what asked for it,
    ``--format`` or the ``-o`` file's extension (telling to leave out a --format never
    given would not help)."""
    if given is not None:
        return UsageError(
            f"--explain writes text, not {fmt.value}",
            hint="leave out --format, or write it to a .txt file",
        )
    suffix = output.suffix if output is not None else ""
    return UsageError(
        f"--explain writes text, but the file name's extension ({suffix}) asks for {fmt.value}",
        hint="write it to a .txt file, or print it (leave out -o)",
    )


def _one_file(paths: list[Path]) -> bool:
    return len(paths) == 1 and Path(paths[0]).is_file()


def _costed(
    paths: list[Path], roles: Path | None, *, procedures: bool = False
) -> Portfolio | PortfolioCost:
    """The processes to report on; one process file is costed with the processes beside
    it that run it (as sopkit sop and the site do), so a procedure says who runs it and
    how often, and its candidates count those runs.

    With ``procedures`` (candidates), the procedures the processes run come too: their
    work is costed in the steps that run them, so their automation saves on those runs.
    """
    from ..load import with_callers

    return _costed_from(with_callers(paths, roles=roles), paths, procedures=procedures)


def _costed_from(
    portfolio: Portfolio, paths: list[Path], *, procedures: bool = False
) -> Portfolio | PortfolioCost:
    from ..analysis import cost_among_callers
    from ..load import with_procedures

    if not _one_file(paths) or len(portfolio.processes) == 1:
        return with_procedures(portfolio) if procedures else portfolio
    return cost_among_callers(portfolio.processes, procedures=procedures)


@app.command()
def candidates(
    paths: Paths,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            callback=in_range(0, MAX_TOP),
            metavar="N",
            help=f"Show only the N best candidates (0 to {MAX_TOP:,}).",
        ),
    ] = None,
    min_saving: Annotated[
        str | None,
        typer.Option(
            "--min-saving",
            metavar="AMOUNT",
            parser=parse_amount,
            help="Show only candidates whose net annual saving is at least AMOUNT "
            f"(-{MAX_AMOUNT:,.0f} to {MAX_AMOUNT:,.0f}).",
        ),
    ] = None,
    fmt: FormatOption = None,
    roles: RolesOption = None,
    output: TableOutput = None,
    force: ForceOption = False,
) -> None:
    """Automation candidates: steps with an automation share, best net annual saving first.

    Shows share, annual cost, gross and net saving, tool and setup cost, payback
    months ("immediately" with no setup cost, "never" when the net saving is not
    above zero), first-year ROI (— when nothing is invested) and the FTE each
    would free. Totals add every candidate listed, loss-makers included. A
    procedure's file given alone is costed with the processes beside it that
    run it, so its savings count their runs, as in the whole folder's list; a
    file lists the candidates of the procedures it runs too (from beside it),
    at its runs, whether or not others run it: as its SOP does.

    A table in a terminal fits its width and never breaks a figure: columns are
    left out, first-named first (FTE freed, Hours saved/year, Annual cost, Gross
    saving, Owner, Tool/year, Setup, Tool, ROI 1st year, Share) and names wrap. A
    note names what was left out; files and pipes get every column.

    \b
    Examples:
      sopkit candidates processes/en/ --top 5 --min-saving 1000
    """
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.costs import candidates_report

    with user_errors(), collector_paused():
        if output is not None:
            refuse_inputs(output, paths)
            refuse_overwrite(output, force=force)
        fmt = report_format(output, fmt)
        text = candidates_report(
            _costed(paths, roles, procedures=True),
            top=top,
            min_saving=min_saving,  # type: ignore[arg-type]  # parsed to Decimal by _amount
            fmt=fmt.value,
            width=table_width(output),
        )
        emit(text, output, csv=fmt is ReportFormat.csv)
