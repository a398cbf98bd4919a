"""Commands that check and start process files: ``validate``, ``schema``, ``new``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer

from .app import app
from .common import (
    DocumentLanguage,
    ForceOption,
    Paths,
    RolesOption,
    echo_problems,
    usage_error,
    user_errors,
)


@app.command()
def validate(
    paths: Paths,
    roles: RolesOption = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail on any warning too: a missing purpose or done_when, a role over "
            "capacity, an unused condition (the full list: docs/format.md). Warnings the "
            "files accept (accept: [CODE]) do not count.",
        ),
    ] = False,
) -> None:
    """Check process files: fields, durations, step references, cycles, rework and rates.

    Exit status 0 when every file is valid, 1 when any is not, 2 on a usage error.

    \b
    Examples:
      sopkit validate processes/en/
    """
    from ..checkup import check_files
    from ..load.paths import scenarios_left_out
    from ..render.beside import capacity_check_note
    from ..render.numbers import counted

    with user_errors():
        result = check_files(paths, roles=roles)
        echo_problems(list(result.warnings))
        note = capacity_check_note(result.beside, len(result.portfolio))
        if note is not None:
            typer.echo(note, err=True)
        if result.portfolio.scenario_files:
            left_out = scenarios_left_out(len(result.portfolio.scenario_files))
            typer.echo(f"note: {left_out}", err=True)
        if strict and result.warnings:
            warned = counted(str(len(result.warnings)), "warning", "warnings")
            typer.echo(f"{warned} with --strict: not valid", err=True)
            raise typer.Exit(1)
        processes = counted(str(len(result.portfolio)), "process", "processes")
        steps = counted(str(result.steps), "step", "steps")
        accepted = counted(str(len(result.accepted)), "warning", "warnings")
        typer.echo(
            f"ok: {processes}, {steps} valid"
            + (f" ({accepted} accepted)" if result.accepted else ""),
            err=True,
        )


class SchemaKind(StrEnum):
    """``sopkit schema KIND``: which file's schema."""

    process = "process"
    roles = "roles"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            metavar="KIND",
            help="Which file's schema: 'process' or 'roles'.",
            case_sensitive=False,
        ),
    ] = SchemaKind.process,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of process files (or roles.yaml) for editor autocompletion.

    Save it and point your editor at it, e.g. put this line at the top of a process file
    for VS Code's YAML extension:

        # yaml-language-server: $schema=./sopkit.schema.json

    The schema's descriptions point to docs/format.md, the format's full reference.

    \b
    Examples:
      sopkit schema -o processes/en/sopkit.schema.json
    """
    import json

    from ..output import refuse_overwrite, write_atomic
    from ..schema import json_schema

    with user_errors():
        which: Literal["process", "roles"] = "process" if kind is SchemaKind.process else "roles"
        text = json.dumps(json_schema(which), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            refuse_overwrite(output, force=force)
            write_atomic(output, text)


@app.command()
def new(
    template: Annotated[
        str | None,
        typer.Argument(
            metavar="TEMPLATE",
            help="Library process to copy, e.g. content-marketing (see --list).",
            show_default=False,
        ),
    ] = None,
    process_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="Id (and file name) of the new process.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder to write the new process into.")
    ] = Path("."),
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="The new process's name (default: from the id, q3-webinar → 'Q3 webinar').",
            show_default=False,
        ),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the library processes and exit.")
    ] = False,
    lang: Annotated[
        DocumentLanguage | None,
        typer.Option(
            "--lang",
            help="The starter in this language: its step names, done_when lines and "
            "comments, 'language' and rates (ko: KRW, ru: RUB). With --list, the library "
            "processes written in it.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Start a new process file from a working library process.

    The copy keeps the template's steps, owners, tools and comments and becomes a
    process of its own: your id, a name from it (or --name), no purpose yet, and a
    fresh draft review block (version 0.1, dated today). The template's
    roles.yaml comes along when the folder has none; when it has one in the
    library's currency, the roles it lacks are added at its end with the
    library's illustrative rates (marked so), and in another currency sopkit
    names them and the cash costs to convert. The procedures its steps run come
    along too (--list marks them 'called'). It then says what to edit. 'starter' is a
    blank process of three steps, for a process the library has nothing like; with
    --lang ko or ru it is written in Korean or Russian, its rates in won or roubles.

    \b
    Examples:
      sopkit new content-marketing webinar -o my-processes/
      sopkit new starter partner-webinar
      sopkit new starter partner-webinar --lang ko --name "파트너 웨비나"
    """
    from ..library import library_entries, new_process

    language = None if lang is None else lang.value
    with user_errors():
        if list_:
            for entry in library_entries(language):
                typer.echo(
                    f"{entry.id:<24} {entry.language}  {entry.currency:<4} "
                    f"{entry.frequency or 'called':<10} {entry.steps:>2} steps  {entry.name}"
                )
            return
        if template is None:
            usage_error(
                "missing arguments TEMPLATE and ID",
                hint="e.g. 'sopkit new content-marketing webinar', or 'sopkit new starter "
                "webinar' for a blank three-step process ('--lang ko' or 'ru' writes it in "
                "Korean or Russian); see 'sopkit new --list'",
            )
        if process_id is None:
            known = {entry.id for entry in library_entries()}
            usage_error(
                "missing argument ID, the new process's id",
                hint=f"e.g. 'sopkit new {template} my-process'"
                if template in known
                else f"the library process comes first: 'sopkit new content-marketing {template}'"
                "; see 'sopkit new --list'",
            )
        made = new_process(template, process_id, output, name=name, force=force, language=language)
        for path in made.written:
            typer.echo(f"wrote {path}", err=True)
        for line in made.next_steps():
            typer.echo(line, err=True)
