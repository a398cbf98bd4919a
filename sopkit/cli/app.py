"""The Typer application every command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from .elsewhere import SopkitGroup

__all__ = ["app"]

app = typer.Typer(
    name="sopkit",
    cls=SopkitGroup,
    help=(
        "Document and cost marketing processes written as YAML step graphs: "
        "SOP documents, workflow diagrams and annual workflow-cost reports."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sopkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Document and cost marketing processes written as YAML step graphs."""
