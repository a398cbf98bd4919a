"""The ``sopkit`` command line: parse arguments, call the library, print or write.

Library modules are imported inside the commands so ``sopkit --help`` stays as
fast as Typer itself. User mistakes arrive as ``SopkitError`` and leave as
``path:line:col: error: …`` lines with exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from . import __version__

app = typer.Typer(
    name="sopkit",
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

Paths = Annotated[
    list[Path],
    typer.Argument(
        help="Process files, or folders searched for *.yaml / *.yml (roles.yaml is skipped).",
        show_default=False,
        metavar="PATH",
    ),
]
RolesOption = Annotated[
    Path | None,
    typer.Option(
        "--roles",
        help="roles.yaml to use instead of the nearest one next to each process or in a parent.",
        dir_okay=False,
    ),
]


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


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn ``SopkitError`` into located one-line messages and exit status 1."""
    from .errors import SopkitError

    try:
        yield
    except SopkitError as exc:
        for problem in exc.problems:
            typer.echo(problem.format(), err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("sopkit: interrupted", err=True)
        raise typer.Exit(130) from None


def echo_problems(problems: list[Any]) -> None:
    for problem in problems:
        typer.echo(problem.format(), err=True)


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

    Example: sopkit validate processes/
    """
    from .load import load_portfolio
    from .validate import lint_process

    with user_errors():
        portfolio = load_portfolio(paths, roles=roles)
        warnings = [w for process in portfolio for w in lint_process(process)]
        echo_problems(warnings)
        steps = sum(len(p.steps) for p in portfolio)
        if strict and warnings:
            typer.echo(f"{len(warnings)} warning(s) with --strict: not valid", err=True)
            raise typer.Exit(1)
        noun = "process" if len(portfolio) == 1 else "processes"
        typer.echo(f"ok: {len(portfolio)} {noun}, {steps} steps valid", err=True)


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

    Example: sopkit schema -o processes/sopkit.schema.json
    """
    import json

    from .errors import SopkitError
    from .output import write_atomic
    from .schema import json_schema

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

    Example: sopkit new content-marketing webinar -o processes/
    """
    from .errors import SopkitError
    from .library import library_entries, new_process

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


class CostView(StrEnum):
    """``sopkit cost --by``: one row per step, role or process."""

    step = "step"
    role = "role"
    process = "process"


class ReportFormat(StrEnum):
    """``--format`` of ``sopkit cost`` and ``sopkit candidates``."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        help="table (for reading in a terminal), markdown, csv (for spreadsheets) or json "
        "(the stable interface for other tools).",
        case_sensitive=False,
    ),
]
ReportOutput = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file instead of stdout.", dir_okay=False),
]


def _table_width(output: Path | None) -> int | None:
    """Wrap tables to the terminal; files and pipes get the table's natural width."""
    import shutil

    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _emit(text: str, output: Path | None) -> None:
    from .output import write_atomic

    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)


def _amount(value: str | None) -> Any:
    from decimal import Decimal, InvalidOperation

    if value is None:
        return None
    try:
        amount = Decimal(value.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise typer.BadParameter(f"'{value}' is not an amount; write e.g. 1000") from None
    if not amount.is_finite():
        raise typer.BadParameter(f"'{value}' is not an amount; write e.g. 1000")
    return amount


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
    fmt: FormatOption = ReportFormat.table,
    roles: RolesOption = None,
    output: ReportOutput = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="STEP_ID",
            help="Instead of the report, show how one step's figures were computed "
            "(PROCESS_ID/STEP_ID when several processes have that step).",
        ),
    ] = None,
) -> None:
    """Annual workflow cost: time × executions × runs per month × hourly rate × 12.

    Tables sort by annual cost, highest first, with totals, FTE and lead times;
    CSV and JSON keep the files' order.

    Example: sopkit cost processes/ --by role

    More: sopkit cost processes/ --format json -o cost.json;
    sopkit cost processes/content-marketing.yaml --explain draft
    """
    from .load import load_portfolio
    from .output import refuse_inputs
    from .render.explain import explain_step
    from .render.report import cost_report

    with user_errors():
        if output is not None:
            refuse_inputs(output, paths)
        portfolio = load_portfolio(paths, roles=roles)
        if explain is not None:
            text = explain_step(portfolio, explain)
        else:
            text = cost_report(portfolio, by=by.value, fmt=fmt.value, width=_table_width(output))
        _emit(text, output)


@app.command()
def candidates(
    paths: Paths,
    top: Annotated[
        int | None,
        typer.Option("--top", min=0, metavar="N", help="Show only the N best candidates."),
    ] = None,
    min_saving: Annotated[
        str | None,
        typer.Option(
            "--min-saving",
            metavar="AMOUNT",
            parser=_amount,
            help="Show only candidates whose net annual saving is at least AMOUNT.",
        ),
    ] = None,
    fmt: FormatOption = ReportFormat.table,
    roles: RolesOption = None,
    output: ReportOutput = None,
) -> None:
    """Automation candidates: steps with an automation share, best net annual saving first.

    Shows share, annual cost, gross and net saving, tool and setup cost, payback
    months, first-year ROI (— where undefined) and the FTE each would free.

    Example: sopkit candidates processes/ --top 5 --min-saving 1000
    """
    from .load import load_portfolio
    from .output import refuse_inputs
    from .render.report import candidates_report

    with user_errors():
        if output is not None:
            refuse_inputs(output, paths)
        text = candidates_report(
            load_portfolio(paths, roles=roles),
            top=top,
            min_saving=min_saving,  # type: ignore[arg-type]  # parsed to Decimal by _amount
            fmt=fmt.value,
            width=_table_width(output),
        )
        _emit(text, output)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr, or ``None`` when it would only be noise."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("building", total=None)

    def advance(done: int, total: int, what: str) -> None:
        bar.update(task, completed=done, total=total, description=f"building {what}")

    with bar:
        yield advance


@app.command()
def build(
    paths: Paths,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="The site folder: created, or replaced if it is a previous sopkit site.",
            file_okay=False,
        ),
    ] = Path("site"),
    roles: RolesOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j", "--jobs", min=1, help="Processes to render at once (default: one per CPU)."
        ),
    ] = None,
    stamp: Annotated[
        bool,
        typer.Option("--stamp", help="Show the build time on the dashboard (builds then differ)."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="No progress bar and no summary line.")
    ] = False,
) -> None:
    """Build the whole portfolio as a browsable site and a cost workbook.

    Writes index.html (a dashboard: totals, cost by process and role, a Pareto
    chart, automation candidates, a card per process), every SOP as HTML and
    Markdown, checklists, SVG and PNG diagrams, cost.csv, cost.json,
    candidates.csv and cost.xlsx (live formulas). Everything is validated before
    anything is written; the new site replaces the old one only when complete.

    Example: sopkit build processes/ -o site/
    """
    import datetime

    from .build import build_site

    text = None
    if stamp:
        now = datetime.datetime.now(datetime.UTC)
        text = f"built {now:%Y-%m-%d %H:%M} UTC"
    with user_errors(), _progress_bar(not quiet and sys.stderr.isatty()) as progress:
        result = build_site(paths, output, roles=roles, progress=progress, jobs=jobs, stamp=text)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not quiet:
        noun = "process" if result.processes == 1 else "processes"
        typer.echo(
            f"built {output}: {result.processes} {noun}, {len(result.files)} files; "
            f"open {result.index}",
            err=True,
        )


class SopFormat(StrEnum):
    """``sopkit sop --format``."""

    markdown = "markdown"
    html = "html"


class ChecklistFormat(StrEnum):
    """``sopkit checklist --format``."""

    markdown = "markdown"
    github_issue = "github-issue"


ProcessFile = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="One process file.", dir_okay=False, show_default=False),
]


@app.command()
def sop(
    file: ProcessFile,
    fmt: Annotated[
        SopFormat,
        typer.Option(
            "--format",
            help="markdown (GitHub, MkDocs; diagram as Mermaid) or html (one self-contained "
            "page with inline CSS and SVG, prints on A4/Letter).",
            case_sensitive=False,
        ),
    ] = SopFormat.markdown,
    output: ReportOutput = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="DIR",
            help="Folder of your own templates (sop.md.j2, sop.html.j2), searched before the "
            'defaults; a template may {% extends "default/sop.html.j2" %} and override blocks.',
            file_okay=False,
        ),
    ] = None,
    roles: RolesOption = None,
) -> None:
    """Write the SOP of one process: owner, review, purpose, roles, numbered steps, diagram.

    Headings follow the process's language (en, ko, ru); money its currency.

    Example: sopkit sop processes/content-marketing.yaml --format html -o sop.html
    """
    from .analysis import cost_process
    from .load import load_process
    from .output import refuse_inputs
    from .render.sop import render_sop

    with user_errors():
        if output is not None:
            refuse_inputs(output, [file, *([roles] if roles else [])])
        cost = cost_process(load_process(file, roles=roles))
        _emit(render_sop(cost, fmt=fmt.value, template_dir=template), output)


@app.command()
def checklist(
    file: ProcessFile,
    fmt: Annotated[
        ChecklistFormat,
        typer.Option(
            "--format",
            help="markdown (a task list to paste) or github-issue (the same with issue-template "
            "front matter, for .github/ISSUE_TEMPLATE/).",
            case_sensitive=False,
        ),
    ] = ChecklistFormat.markdown,
    output: ReportOutput = None,
    roles: RolesOption = None,
) -> None:
    """Print a Markdown checklist for one run: a box per step in order, owner and done-when.

    Example: sopkit checklist processes/content-marketing.yaml --format github-issue
    -o .github/ISSUE_TEMPLATE/content-marketing.md
    """
    from .load import load_process
    from .output import refuse_inputs
    from .render.checklist import render_checklist

    with user_errors():
        if output is not None:
            refuse_inputs(output, [file, *([roles] if roles else [])])
        _emit(render_checklist(load_process(file, roles=roles), fmt=fmt.value), output)


class DiagramFormat(StrEnum):
    """``sopkit diagram --format``."""

    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    mermaid = "mermaid"


class Direction(StrEnum):
    """``sopkit diagram --direction``."""

    LR = "LR"
    TB = "TB"


@app.command()
def diagram(
    path: Annotated[
        Path, typer.Argument(help="The process file to draw.", dir_okay=False, show_default=False)
    ],
    fmt: Annotated[
        DiagramFormat,
        typer.Option(
            "--format",
            help="svg, png, pdf (pictures, drawn with Graphviz), dot (Graphviz source) or "
            "mermaid (renders in GitHub and GitLab Markdown).",
            case_sensitive=False,
        ),
    ] = DiagramFormat.svg,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write here ('-' for stdout). Default: dot and mermaid to stdout, "
            "pictures to <id>.<format> in the current folder.",
            dir_okay=False,
        ),
    ] = None,
    direction: Annotated[
        Direction,
        typer.Option(
            "--direction", help="LR (left to right) or TB (top to bottom).", case_sensitive=False
        ),
    ] = Direction.LR,
    roles: RolesOption = None,
) -> None:
    """Draw a process as a workflow diagram: one lane per role, costs, critical path.

    Each step shows its time and annual cost; waits sit on the arrows, rework
    arrows are dashed with their probability, the critical path is bold and the
    lead time is in the title; automation candidates are shaded by net saving.
    Pictures need Graphviz ('dot'), or the bundled graphviz-pure fallback (SVG
    and PNG only); SOPKIT_GRAPHVIZ=dot|graphviz-pure picks one.

    Example: sopkit diagram processes/content-marketing.yaml --format png

    More: sopkit diagram processes/content-marketing.yaml --format mermaid > flow.md
    """
    from .analysis import cost_process
    from .load import load_process
    from .output import refuse_inputs, write_atomic
    from .render.diagram import TEXT_FORMATS, draw

    with user_errors():
        process = load_process(path, roles=roles)
        drawing = draw(cost_process(process), fmt.value, direction=direction.value)
        for warning in drawing.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if str(output) == "-" or (output is None and fmt.value in TEXT_FORMATS):
            typer.echo(drawing.data, nl=False)
            return
        target = output if output is not None else Path(f"{process.id}.{fmt.value}")
        inputs = [path, *([roles] if roles else []), process.settings_path or path]
        refuse_inputs(target, inputs)
        write_atomic(target, drawing.data)
        typer.echo(f"wrote {target}", err=True)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    # A portfolio of thousands of processes is millions of small objects that live until
    # the command ends; at the default thresholds the cycle collector rescans them over
    # and over (about a seventh of the run). Collect less often, not never: networkx
    # graphs hold reference cycles.
    gc.set_threshold(50_000, 20, 20)
    return app(args=argv, prog_name="sopkit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
