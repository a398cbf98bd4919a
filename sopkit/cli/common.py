"""What the command modules share: argument types, output, error and progress handling.

User mistakes arrive as ``SopkitError`` and leave as ``path:line:col: error: …``
lines with exit status 1. Usage mistakes (a missing argument, a value no option
takes) exit 2 with Click's ``Usage: … Error: …`` message, whether Typer finds
them (an unknown option, a bad choice) or sopkit does (``usage_error``, or a
``sopkit.errors.UsageError`` from the library).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, cast

import typer

from ..currency import MAX_AMOUNT, amount_problem

Paths = Annotated[
    list[Path],
    typer.Argument(
        help="Process files, or folders searched for *.yaml / *.yml (roles.yaml and scenario "
        "files are skipped).",
        show_default=False,
        metavar="PATH",
    ),
]


def one_scenario(files: list[Path] | None) -> Path | None:
    """The one ``--scenario`` a command takes: a second is refused, not silently dropped
    (a user simulating two scenarios saw only the last)."""
    if files and len(files) > 1:
        raise typer.BadParameter(
            "takes one scenario file here; to see several side by side, use sopkit compare "
            "(or sopkit report) with a --scenario for each",
            param_hint="--scenario",
        )
    return files[0] if files else None


def scenario_option(help_text: str) -> Any:
    """``--scenario FILE``, repeatable where the command takes a list: the one option
    every command that reads scenario files shares, with its own help."""
    return typer.Option(
        "--scenario", metavar="FILE", help=help_text, dir_okay=False, show_default=False
    )


RolesOption = Annotated[
    Path | None,
    typer.Option(
        "--roles",
        help="roles.yaml to use instead of the nearest one next to each process or in a parent.",
        dir_okay=False,
    ),
]


#: The format each file extension names, for every command with both ``--format`` and
#: ``-o`` (``suffixes_of`` keeps those a command writes; ``diagram`` has its own, where
#: ``.md`` is Mermaid in a Markdown file).
FILE_FORMATS: Mapping[str, str] = {
    ".txt": "table",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
}


#: The command that writes a file a command refuses to: ``sopkit cost -o cost.xlsx`` is
#: told that ``sopkit build`` writes the workbook.
WRITTEN_BY: Mapping[str, str] = {
    **dict.fromkeys([".xlsx", ".xls", ".ods"], "sopkit build writes the workbook, cost.xlsx"),
    ".pdf": "sopkit report writes the report as PDF",
    ".ics": "sopkit plan writes a run's calendar",
    **dict.fromkeys([".png", ".svg"], "sopkit diagram draws a process, sopkit plan a Gantt chart"),
    **dict.fromkeys([".html", ".htm"], "sopkit build writes the site"),
}


def suffixes_of(formats: Iterable[str]) -> dict[str, str]:
    """The extensions of ``FILE_FORMATS`` that name a format the command writes."""
    wanted = {str(fmt) for fmt in formats}
    return {suffix: fmt for suffix, fmt in FILE_FORMATS.items() if fmt in wanted}


def format_for(
    output: Path | None,
    given: str | None,
    suffixes: Mapping[str, str],
    default: str,
    *,
    also: Mapping[str, Collection[str]] | None = None,
) -> str:
    """The format to write: the one given, else the one ``-o``'s extension names, else
    ``default``.

    The one rule of every command with both ``--format`` and ``-o``, so a table never
    lands in ``plan.ics`` nor a PNG in ``flow.svg``: an extension the command does not
    write is refused, and so is one that names another format than ``--format``'s.
    A name without an extension takes any format. ``also`` lists extensions a format
    may be written to without the extension naming it (a GitHub issue template is a
    ``.md`` file, though ``.md`` names plain Markdown).
    """
    suffix = output.suffix.lower() if output is not None and str(output) != "-" else ""
    if not suffix:
        return given or default
    named = suffixes.get(suffix)
    elsewhere = f"; {WRITTEN_BY[suffix]}" if suffix in WRITTEN_BY else ""
    if given is None:
        if named is None:
            usage_error(
                f"{output}: sopkit writes no '{suffix}' files here",
                hint="end the name in " + ", ".join(sorted(suffixes)) + elsewhere,
            )
        return named
    fits = sorted({s for s, f in suffixes.items() if f == given} | {*(also or {}).get(given, ())})
    if suffix in fits:
        return given
    ending = f"end the name in {' or '.join(fits)}" if fits else "leave out -o"
    if named is None:
        usage_error(
            f"{output}: sopkit writes no '{suffix}' files here",
            hint=f"{ending} for --format {given}{elsewhere}",
        )
    usage_error(
        f"--format {given} and -o {output} disagree: '{suffix}' names {named} output",
        hint=f"{ending} for {given}, or leave out --format to write {named}",
    )


def usage_error(message: str, hint: str | None = None) -> NoReturn:
    """Stop on a usage mistake: the command's usage line, ``Error: message (hint)``, exit 2.

    The same shape and status as Typer's own usage errors, so a script can tell
    "called wrongly" (2) from "the files are wrong" (1).
    """
    text = message if hint is None else f"{message} ({hint})"
    # Click's UsageError, which Typer bundles (or depends on): BadParameter's parent.
    # Raised inside a command, Click adds the command's usage line and exits 2.
    usage = cast(type[Exception], typer.BadParameter.__mro__[1])
    raise usage(text)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn ``SopkitError`` into located one-line messages and exit status 1
    (``UsageError`` into a usage message and exit status 2)."""
    from ..errors import SopkitError, UsageError

    try:
        yield
    except UsageError as exc:
        usage_error(exc.message, exc.hint)
    except SopkitError as exc:
        for problem in exc.problems:
            typer.echo(problem.format(), err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("sopkit: interrupted", err=True)
        raise typer.Exit(130) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without the cycle collector (``cost``, ``candidates``).

    Reading and costing a portfolio make no reference cycles (a test checks it),
    so every object is freed by its count alone and the collector has nothing to
    find; it would still scan the millions of objects of a large portfolio
    again and again, about a tenth of the command's time. On the way out the
    objects made meanwhile are moved out of its sight (``gc.freeze``), so that
    turning it back on does not scan them all at once; they are still freed
    when no longer used.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def echo_problems(problems: list[Any]) -> None:
    for problem in problems:
        typer.echo(problem.format(), err=True)


class DocumentLanguage(StrEnum):
    """``--lang``: a language sopkit writes in (``models.Language``, which the CLI does
    not import before it runs a command)."""

    en = "en"
    ko = "ko"
    ru = "ru"


class Paper(StrEnum):
    """``--paper`` of ``sopkit report`` and ``sopkit diagram`` (``render.pdf.PAPERS``)."""

    a4 = "A4"
    letter = "Letter"


class ReportFormat(StrEnum):
    """``--format`` of ``sopkit cost`` and ``sopkit candidates``."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        help="table (for reading in a terminal), markdown, csv (for spreadsheets) or json "
        "(the stable interface for other tools). Default: from the -o name (.txt, .md, "
        ".csv, .json), else table.",
        case_sensitive=False,
        show_default=False,
    ),
]


def report_format(output: Path | None, given: ReportFormat | None) -> ReportFormat:
    """``--format`` of ``cost``, ``candidates`` and ``simulate``, from ``-o``'s name when
    not given (``format_for``)."""
    chosen = format_for(output, given, suffixes_of(ReportFormat), ReportFormat.table)
    return ReportFormat(chosen)


def _dash_is_stdout(value: Path | None) -> Path | None:
    """``-o -`` prints, as ``sopkit plan -o -`` and most tools do (not a file named ``-``)."""
    return None if value is not None and str(value) == "-" else value


ReportOutput = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write to this file instead of stdout ('-': stdout).",
        dir_okay=False,
        callback=_dash_is_stdout,
    ),
]
#: ``-o`` of the commands with ``--format csv``.
TableOutput = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write to this file instead of stdout ('-': stdout). A CSV file starts with "
        "the byte-order mark Excel needs to read it as UTF-8.",
        dir_okay=False,
        callback=_dash_is_stdout,
    ),
]


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Write over a process file or roles.yaml at the -o path (never over an input).",
    ),
]


def table_width(output: Path | None) -> int | None:
    """Wrap tables to the terminal; files and pipes get the table's natural width."""
    import shutil

    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def emit(
    text: str | Iterable[str] | Iterable[bytes], output: Path | None, *, csv: bool = False
) -> None:
    """Print the text, or write it to ``output`` atomically; text in pieces (or UTF-8
    pieces) is written piece by piece (the JSON of a large portfolio is never held
    whole). A ``csv`` file starts with the byte-order mark Excel needs (``write_csv``)."""
    from ..output import write_atomic, write_csv

    if output is None:
        for piece in [text] if isinstance(text, str) else text:
            typer.echo(piece, nl=False)
    else:
        (write_csv if csv else write_atomic)(output, text)
        typer.echo(f"wrote {output}", err=True)


#: ``--top`` and ``--jobs`` bounds.
MAX_TOP = 1_000_000
MAX_JOBS = 1024


def parse_amount(value: str | None) -> Decimal | None:
    """``--min-saving``: a finite amount within ±MAX_AMOUNT, at most AMOUNT_DECIMALS decimals."""
    if value is None:
        return None
    allowed = f"use an amount from -{MAX_AMOUNT:,.0f} to {MAX_AMOUNT:,.0f}, e.g. 1000 or 2500.50"
    if len(value) > 100:
        raise typer.BadParameter(f"'{value[:20]}…' is too long to be an amount; {allowed}")
    try:
        amount = Decimal(value.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise typer.BadParameter(f"'{value}' is not an amount; {allowed}") from None
    problem = amount_problem(amount)
    if problem is not None:
        raise typer.BadParameter(f"'{value}' is {problem}; {allowed}")
    return amount


def in_range(low: int, high: int) -> Any:
    """An option callback refusing a number outside ``low..high``, with the range in the message."""

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}…"
            raise typer.BadParameter(f"{shown} is out of range; use {low:,} to {high:,}")
        return value

    return check


@contextmanager
def progress_bar(enabled: bool, doing: str = "building") -> Iterator[Any]:
    """A rich progress bar on stderr, or ``None`` when it would only be noise."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    # Redrawn on each step, not by a thread of its own: a build forks a copy of itself
    # only while it runs no other thread (``sopkit.build.aside``).
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )
    task = bar.add_task(doing, total=None)

    def advance(done: int, total: int, what: str) -> None:
        bar.update(task, completed=done, total=total, description=f"{doing} {what}", refresh=True)

    with bar:
        yield advance
