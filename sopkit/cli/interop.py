"""Exchange with other tools: ``sopkit export bpmn`` and ``sopkit import bpmn``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import ForceOption, RolesOption, echo_problems, emit, usage_error, user_errors

export_app = typer.Typer(
    name="export",
    help="Write processes in another tool's format.\n\n"
    "\b\nExamples:\n  sopkit export bpmn processes/en/ -o bpmn/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
import_app = typer.Typer(
    name="import",
    help="Read processes from another tool's format.\n\n"
    "\b\nExamples:\n  sopkit import bpmn diagram.bpmn -o processes/imported/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")


@export_app.command("bpmn")
def export_bpmn(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE|DIR",
            help="A process file, or a folder of them (one .bpmn file each).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="The .bpmn file to write (a FILE's export; default: stdout), or the folder "
            "for a DIR's exports (required).",
        ),
    ] = None,
    roles: RolesOption = None,
    force: ForceOption = False,
) -> None:
    """Export processes as BPMN 2.0 XML for Camunda Modeler, bpmn.io, Signavio, Bizagi, ARIS…

    Each file has one pool (the process) with a lane per role, every step in
    its owner's lane, start and end events, parallel gateways where steps fork
    or meet, exclusive gateways for conditions, occasional steps (per_run below
    1) and rework loops, milestones as intermediate events, calls of other
    processes as call activities (the called process follows in its own
    diagram), and a full diagram at BPMN's standard sizes laid out like
    `sopkit diagram`'s swimlanes. BPSim 2.0 scenario data carries the time
    ranges, hourly rates, branch shares and run frequency for simulation tools;
    a sopkit extension carries the rest (ranges as written, automation,
    instructions, …) so `sopkit import bpmn` gives the same process back.

    \b
    Examples:
      sopkit export bpmn processes/en/content-marketing.yaml -o content-marketing.bpmn
      sopkit export bpmn processes/en/ -o bpmn/
    """
    from ..analysis import cost_process
    from ..load import load_portfolio, load_process
    from ..output import refuse_inputs, refuse_overwrite

    with user_errors():
        inputs = [path, *([roles] if roles else [])]
        if path.is_dir():
            if output is None:
                usage_error("exporting a folder needs -o FOLDER", "e.g. -o bpmn/")
            if output.suffix.lower() == ".bpmn":
                usage_error(
                    f"a folder exports one .bpmn file per process: -o names a folder, not {output}",
                    "e.g. -o bpmn/",
                )
            refuse_inputs(output, inputs)
            from ..interop.bpmn import export_portfolio, write_exports

            portfolio = load_portfolio([path], roles=roles)
            for written in write_exports(export_portfolio(portfolio), output, force=force):
                typer.echo(f"wrote {written}", err=True)
            return
        from ..interop.bpmn import export_bpmn as export

        if output is not None:
            refuse_inputs(output, inputs)
            refuse_overwrite(output, force=force)
        process = load_process(path, roles=roles)
        emit(export(cost_process(process)).decode("utf-8"), output)


@import_app.command("bpmn")
def import_bpmn(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A BPMN 2.0 XML file (.bpmn), from any modeler.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="DIR",
            help="Folder to write the process file(s) and roles.yaml into.",
            file_okay=False,
        ),
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace files of the same names already in DIR."),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Write nothing and exit 1 if anything was approximated."),
    ] = False,
) -> None:
    """Import a BPMN 2.0 diagram as a sopkit process, and a roles.yaml of its roles.

    Lanes become roles (a pool without lanes is one), tasks steps,
    intermediate events milestones, parallel gateways `after`, exclusive
    gateways conditions (equal shares unless BPSim gives them), loops back
    through a gateway rework; expanded sub-processes are inlined, collapsed
    ones are one step, a called process in the same file becomes a process of
    its own; BPSim times, rates and probabilities are read. Whatever had to be
    guessed is a warning naming the element (a step by its id), listed at the top of
    the process file. Fill in the hourly rates roles.yaml leaves blank before
    costing.

    \b
    Examples:
      sopkit import bpmn order-to-cash.bpmn -o processes/imported/
    """
    from ..interop import bpmn
    from ..render.numbers import counted

    with user_errors():
        result = bpmn.import_bpmn(bpmn.read_bpmn_file(file), str(file))
        files = bpmn.import_texts(result, str(file))
        echo_problems(list(result.warnings))
        if strict and result.warnings:
            typer.echo(
                f"{counted(str(len(result.warnings)), 'warning', 'warnings')} with --strict: "
                "nothing written",
                err=True,
            )
            raise typer.Exit(1)
        written = bpmn.write_import(files, output, force=force)
        for path in written:
            typer.echo(f"wrote {path}", err=True)
        if not written:
            names = ", ".join(sorted(files.texts))
            typer.echo(f"unchanged: {output} already says the same in {names}", err=True)
        missing = bpmn.rates_to_fill(output, result.missing_rates)
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            typer.echo(
                f"next: fill in the hourly rates of {shown} in {output / 'roles.yaml'}, "
                f"then: sopkit cost {output}",
                err=True,
            )
