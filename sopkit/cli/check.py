"""Commands that check and start process files: ``validate``, ``schema``, ``new``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from .app import app
from .common import Paths, RolesOption, echo_problems, user_errors


@app.command()
def validate(
    paths: Paths,
    roles: RolesOption = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Also fail on missing recommended fields (purpose, done_when)."
        ),
    ] = False,
) -> None:
    """Check process files: fields, durations, step references, cycles, rework and rates.

    Exit status 0 when every file is valid, 1 when any is not, 2 on a usage error.

    Example: sopkit validate processes/en/
    """
    from ..checkup import checkup

    with user_errors():
        result = checkup(paths, roles=roles)
        echo_problems(list(result.warnings))
        if strict and result.warnings:
            typer.echo(f"{len(result.warnings)} warning(s) with --strict: not valid", err=True)
            raise typer.Exit(1)
        count = len(result.portfolio)
        noun = "process" if count == 1 else "processes"
        typer.echo(f"ok: {count} {noun}, {result.steps} steps valid", err=True)


@app.command()
def schema(
    kind: Annotated[
        str,
        typer.Argument(help="Which file's schema: 'process' or 'roles'.", show_default=True),
    ] = "process",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of process files (or roles.yaml) for editor autocompletion.

    Save it and point your editor at it, e.g. put this line at the top of a process file
    for VS Code's YAML extension:

        # yaml-language-server: $schema=./sopkit.schema.json

    Example: sopkit schema -o processes/en/sopkit.schema.json
    """
    import json

    from ..errors import SopkitError
    from ..output import write_atomic
    from ..schema import json_schema

    with user_errors():
        if kind not in ("process", "roles"):
            raise SopkitError(f"unknown schema '{kind}'", hint="use 'process' or 'roles'")
        which: Literal["process", "roles"] = "process" if kind == "process" else "roles"
        text = json.dumps(json_schema(which), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text)


@app.command()
def new(
    template: Annotated[
        str | None, typer.Argument(help="Library process to copy, e.g. content-marketing.")
    ] = None,
    process_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Id (and file name) of the new process.")
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder to write the new process into.")
    ] = Path("."),
    list_: Annotated[
        bool, typer.Option("--list", help="List the library processes and exit.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Start a new process file from a working library process.

    The copy gets your id; its roles.yaml comes along when the folder has none.

    Example: sopkit new content-marketing webinar -o processes/en/
    """
    from ..errors import SopkitError
    from ..library import library_entries, new_process

    with user_errors():
        if list_:
            for entry in library_entries():
                typer.echo(
                    f"{entry.id:<24} {entry.language}  {entry.frequency:<10} "
                    f"{entry.steps:>2} steps  {entry.name}"
                )
            return
        if template is None or process_id is None:
            raise SopkitError(
                "give a library process and a new id",
                hint="e.g. 'sopkit new content-marketing webinar'; see 'sopkit new --list'",
            )
        for path in new_process(template, process_id, output, force=force):
            typer.echo(f"wrote {path}", err=True)
