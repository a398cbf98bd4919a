"""Documents of one process: ``sop``, ``checklist`` and ``diagram``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app
from .common import (
    DocumentLanguage,
    ForceOption,
    Paper,
    ReportOutput,
    RolesOption,
    emit,
    format_for,
    suffixes_of,
    user_errors,
)

if TYPE_CHECKING:
    from ..models import Process


class SopFormat(StrEnum):
    """``sopkit sop --format``."""

    markdown = "markdown"
    html = "html"


class ChecklistFormat(StrEnum):
    """``sopkit checklist --format``."""

    markdown = "markdown"
    github_issue = "github-issue"
    html = "html"


ProcessFile = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="One process file.", dir_okay=False, show_default=False),
]


LanguageOption = Annotated[
    DocumentLanguage | None,
    typer.Option(
        "--lang",
        help="Headings, units, dates and numbers in this language instead of the process's "
        "own 'language' (the file's text stays as written).",
        case_sensitive=False,
        show_default=False,
    ),
]


def _speaking(process: Process, lang: DocumentLanguage | None) -> Process:
    """The process in ``--lang``'s language, with a note that only sopkit's own words
    change: a reader who asked for Russian and got English step names should know why."""
    from ..models import Language

    if lang is None or lang.value == process.language.value:
        return process
    names = {"en": "English", "ko": "Korean", "ru": "Russian"}
    typer.echo(
        f"note: --lang {lang.value} writes sopkit's headings, labels, units, dates and numbers "
        f"in {names[lang.value]}; the file's own text (names, instructions) stays as written, "
        f"in {names[process.language.value]}",
        err=True,
    )
    return process.in_language(Language(lang.value))


@app.command()
def sop(
    file: ProcessFile,
    fmt: Annotated[
        SopFormat | None,
        typer.Option(
            "--format",
            help="markdown (GitHub, MkDocs; diagram as Mermaid) or html (one self-contained "
            "page with inline CSS and SVG, prints on A4/Letter). Default: from the -o name "
            "(.md, .html), else markdown.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: ReportOutput = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="DIR",
            help="Folder of your own templates (sop.md.j2, sop.html.j2), searched before the "
            'defaults; a template may {% extends "default/sop.html.j2" %} and override blocks '
            "(docs/templates.md lists the blocks and the document's fields).",
            file_okay=False,
        ),
    ] = None,
    roles: RolesOption = None,
    no_diagram: Annotated[
        bool,
        typer.Option(
            "--no-diagram",
            help="Leave the diagram out (the SOP says so): for a process too large to draw "
            "legibly, or to skip Graphviz.",
        ),
    ] = False,
    ranges: Annotated[
        bool,
        typer.Option(
            "--ranges",
            help="Add simulated ranges to the key figures (lead time across runs, annual "
            "cost across years), as sopkit build does: 10,000 years, seed 0.",
        ),
    ] = False,
    lang: LanguageOption = None,
    force: ForceOption = False,
) -> None:
    """Write the SOP of one process: owner, review, purpose, roles, numbered steps, diagram.

    Headings follow the process's language (en, ko, ru); money its currency.
    With --ranges the key figures also say how much a run's lead time and a year's
    cost vary ("median 12 working days, 9 or less in 1 of 10 runs, …").
    A sub-procedure (a process that other processes in its folder run) is costed
    with its callers, as on the site: the SOP names them and counts their runs.
    Its top automation candidates are those sopkit candidates lists for the file:
    the procedures it runs have theirs among them, at its runs.

    \b
    Examples:
      sopkit sop processes/en/content-marketing.yaml --format html -o sop.html
    """
    from ..analysis import cost_among_callers, rank_candidates
    from ..load import callers_of, load_process
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.sop import render_sop

    with user_errors():
        if output is not None:
            refuse_inputs(output, [file, *([roles] if roles else [])])
            refuse_overwrite(output, force=force)
        chosen = format_for(output, fmt, suffixes_of(SopFormat), SopFormat.markdown)
        # Costed with the processes beside it that run it, so it says who does, and with
        # the procedures it runs, whose candidates save on its runs.
        portfolio = callers_of(_speaking(load_process(file, roles=roles), lang), roles=roles)
        costed = cost_among_callers(portfolio.processes, procedures=True)
        cost = costed.processes[0]
        callers = portfolio.processes[1:]
        simulated = None
        if ranges:
            from ..analysis.simulation import DEFAULT_SEED, DEFAULT_YEARS, simulate

            simulated = simulate([cost.process], years=DEFAULT_YEARS, seed=DEFAULT_SEED)
        text = render_sop(
            cost,
            fmt=chosen,
            template_dir=template,
            diagram=not no_diagram,
            candidates=rank_candidates(costed),
            ranges=simulated,
            callers=callers,
        )
        emit(text, output)


@app.command()
def checklist(
    file: ProcessFile,
    fmt: Annotated[
        ChecklistFormat | None,
        typer.Option(
            "--format",
            help="markdown (a task list to paste), github-issue (the same with issue-template "
            "front matter, for .github/ISSUE_TEMPLATE/; written to a .md file) or html (one "
            "self-contained page of checkboxes to tick on screen or print). Default: from the "
            "-o name (.md, .html), else markdown.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: ReportOutput = None,
    roles: RolesOption = None,
    lang: LanguageOption = None,
    force: ForceOption = False,
) -> None:
    """Print a checklist for one run: a box per step in order, owner and done-when.

    \b
    Examples:
      sopkit checklist processes/en/content-marketing.yaml --format github-issue -o blog.md
      sopkit checklist processes/en/content-marketing.yaml -o blog-checklist.html
    """
    from ..analysis import cost_process
    from ..load import load_process
    from ..output import refuse_inputs, refuse_overwrite
    from ..render.sop.checklist import render_checklist

    with user_errors():
        if output is not None:
            refuse_inputs(output, [file, *([roles] if roles else [])])
            refuse_overwrite(output, force=force)
        suffixes = suffixes_of([ChecklistFormat.markdown, ChecklistFormat.html])
        markdown = [suffix for suffix, named in suffixes.items() if named == "markdown"]
        chosen = format_for(
            output, fmt, suffixes, ChecklistFormat.markdown, also={"github-issue": markdown}
        )
        # Costed, so a file the other commands refuse is refused here too.
        cost = cost_process(_speaking(load_process(file, roles=roles), lang))
        emit(render_checklist(cost, fmt=chosen), output)


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
        Path,
        typer.Argument(
            metavar="FILE", help="The process file to draw.", dir_okay=False, show_default=False
        ),
    ],
    fmt: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            help="svg (written by sopkit), png, pdf (drawn with Graphviz; a diagram too large "
            "for one legible page prints as a map and parts, see --paper), dot (that Graphviz "
            "source) or mermaid (renders in GitHub and GitLab Markdown). Default: from the "
            "-o name (.png, .mmd, .md …), else svg.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write here ('-' for stdout). Default: dot and mermaid to stdout, "
            "pictures to <id>.<format> in the current folder. Mermaid written to a .md "
            "file goes in a ```mermaid block, ready for GitHub or GitLab.",
            dir_okay=False,
        ),
    ] = None,
    direction: Annotated[
        Direction,
        typer.Option(
            "--direction",
            help="LR: lanes are rows, flow left to right; TB: lanes are columns, flow down.",
            case_sensitive=False,
        ),
    ] = Direction.LR,
    paper: Annotated[
        Paper,
        typer.Option(
            "--paper",
            help="A4 or Letter: the paper a PDF too large for one legible page prints on.",
            case_sensitive=False,
        ),
    ] = Paper.a4,
    roles: RolesOption = None,
    lang: LanguageOption = None,
    force: ForceOption = False,
) -> None:
    """Draw a process as swimlanes: a band per role, costs, critical path.

    Roles are bands in the order they first act, each step in its owner's
    band; milestones without an owner and calls of other processes share a
    band at the top. Each step shows its time and annual cost and who works
    with its owner; conditional steps are dashed with their question, sign-offs
    double, calls thick with a plus mark, milestones double rings; a step's
    wait is written once beside its arrows; rework arrows are dashed; the
    critical path is bold and the lead time in the title; automation
    candidates are shaded by net saving. A process that runs only when others
    call it shows one run's cost instead of a year's; the processes beside its
    file that run it count for its automation savings. SVG is written by
    sopkit; PNG and PDF are drawn by Graphviz ('dot'), or the bundled
    graphviz-pure (PNG only); SOPKIT_GRAPHVIZ=dot|graphviz-pure picks one.

    A PDF too large to print legibly on one page (10 pt labels at 8 pt or
    more) prints as the SOP prints it: a map of the parts, then each part
    with its lanes' headers, a landscape sheet each on A4 or Letter (--paper).
    That needs WeasyPrint: pip install 'sopkit[pdf]' (and the Pango library);
    without it the PDF is one large page and a warning says so.

    \b
    Examples:
      sopkit diagram processes/en/content-marketing.yaml --format png
      sopkit diagram processes/en/content-marketing.yaml --format mermaid -o flow.md
      sopkit diagram processes/en/product-launch.yaml -o launch.pdf --paper letter
    """
    from ..analysis import cost_among_callers
    from ..load import callers_of, load_process
    from ..output import refuse_inputs, refuse_overwrite, write_atomic
    from ..render.diagram import FILE_SUFFIXES, TEXT_FORMATS, draw, file_bytes

    with user_errors():
        process = _speaking(load_process(path, roles=roles), lang)
        inputs = [path, *([roles] if roles else []), process.settings_path or path]
        if output is not None and str(output) != "-":
            # First: nobody's process is written over, by any name.
            refuse_inputs(output, inputs)
            refuse_overwrite(output, force=force)
        chosen = format_for(output, fmt.value if fmt else None, FILE_SUFFIXES, "svg")
        # With the processes beside it that run it: a procedure's automation saves on their runs.
        cost = cost_among_callers(callers_of(process, roles=roles).processes).processes[0]
        drawing = draw(cost, chosen, direction=direction.value, paper=paper.value)
        for warning in drawing.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if str(output) == "-" or (output is None and chosen in TEXT_FORMATS):
            typer.echo(drawing.data, nl=False)
            return
        target = output if output is not None else Path(f"{process.id}.{chosen}")
        refuse_inputs(target, inputs)
        refuse_overwrite(target, force=force)
        write_atomic(target, file_bytes(drawing, target))
        typer.echo(f"wrote {target}", err=True)
