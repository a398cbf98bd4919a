"""``sopkit build`` and ``sopkit serve``: the whole portfolio as a site."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app
from .common import (
    MAX_JOBS,
    Paths,
    RolesOption,
    in_range,
    progress_bar,
    scenario_option,
    usage_error,
    user_errors,
)

if TYPE_CHECKING:
    from ..build.cache import Cache

TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        metavar="DIR",
        help="Folder of your own SOP templates (sop.md.j2, sop.html.j2), searched before the "
        "defaults, as for sopkit sop (docs/templates.md).",
        file_okay=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Render everything; neither read nor write the cache."),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Where to keep renders between builds (default: $SOPKIT_CACHE_DIR, else "
        "$XDG_CACHE_HOME/sopkit, else ~/.cache/sopkit).",
        file_okay=False,
        show_default=False,
    ),
]


def open_cache(no_cache: bool, folder: Path | None) -> Cache | None:
    """The build cache the options ask for, or ``None`` for --no-cache."""
    if no_cache:
        return None
    from ..build.cache import Cache

    return Cache(folder)


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
            "-j",
            "--jobs",
            callback=in_range(1, MAX_JOBS),
            help=f"Processes to render at once, 1 to {MAX_JOBS} (default: one per CPU).",
        ),
    ] = None,
    stamp: Annotated[
        bool,
        typer.Option(
            "--stamp",
            help="Show the build time on the dashboard and date report.pdf (builds then differ).",
        ),
    ] = False,
    no_diagram: Annotated[
        bool,
        typer.Option(
            "--no-diagram",
            help="Draw no diagrams: quicker, and the way to build a process too large to draw "
            "legibly (each SOP says its diagram was left out).",
        ),
    ] = False,
    scenario: Annotated[
        list[Path] | None,
        scenario_option(
            "Add scenarios.html: As-Is against this scenario's To-Be (repeat for more), "
            "linked from the dashboard."
        ),
    ] = None,
    template: TemplateOption = None,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="No progress bar and no summary line.")
    ] = False,
) -> None:
    """Build the whole portfolio as a browsable site and a cost workbook.

    Writes index.html (a dashboard: totals, cost by process and role, a Pareto
    chart, automation candidates, a card per process), every SOP as HTML and
    Markdown, checklists, SVG and PNG diagrams, cost.csv, cost.json,
    candidates.csv, cost.xlsx (live formulas with their values) and report.pdf
    (the annual report, when WeasyPrint is installed: pip install 'sopkit[pdf]').
    Everything is validated before anything is written; the new site replaces
    the old one only when complete. What sopkit validate warns about (a missing
    done_when, a role over capacity) is printed too: the first ten, then how
    many more. With --scenario, scenarios.html shows As-Is
    beside each To-Be (figures, a chart of annual cost by process, what changes).
    The dashboard, scenarios.html and report.pdf speak the processes' language
    (en, ko, ru) when they all share one, English when they mix.

    A rebuild redraws only what changed: renders are kept in a cache outside
    the site (~/.cache/sopkit, or $XDG_CACHE_HOME/sopkit, or $SOPKIT_CACHE_DIR),
    keyed by everything that makes them, so the site is the same as a build
    without it (--no-cache).

    \b
    Examples:
      sopkit build processes/en/ -o site/
      sopkit build processes/en/ -o site/ --scenario scenarios/automate-drafting.yaml
    """
    import datetime

    from ..render.pdf import Printer

    now = None
    day = None
    if stamp:
        now = datetime.datetime.now(datetime.UTC)
        day = now.date()
    # report.pdf's printer starts first: its import of WeasyPrint, in its own
    # process, overlaps this one's import of the build and all that follows.
    with (
        Printer() as printer,
        user_errors(),
        progress_bar(not quiet and sys.stderr.isatty()) as progress,
    ):
        from ..build import build_site

        result = build_site(
            paths,
            output,
            roles=roles,
            progress=progress,
            jobs=jobs,
            stamp=now,
            diagrams=not no_diagram,
            scenarios=scenario or (),
            report_date=day,
            template_dir=template,
            cache=open_cache(no_cache, cache_dir),
            printer=printer,
        )
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    from ..checkup import warning_lines

    for line in warning_lines(result.checks, paths):
        typer.echo(line, err=True)
    if not quiet:
        noun = "process" if result.processes == 1 else "processes"
        summary = "" if result.cache is None else result.cache.summary()
        reused = f" ({summary})" if summary else ""
        typer.echo(
            f"built {output}: {result.processes} {noun}, {len(result.files)} files{reused}; "
            f"open {result.index}",
            err=True,
        )


@app.command()
def serve(
    paths: Paths,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Build the site into this folder (as for build); default: a temporary "
            "folder, deleted on exit. While serve runs, sopkit build refuses this folder.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    roles: RolesOption = None,
    scenario: Annotated[
        list[Path] | None,
        scenario_option("Add scenarios.html, as for build (repeat for more); watched too."),
    ] = None,
    template: TemplateOption = None,
    no_diagram: Annotated[
        bool, typer.Option("--no-diagram", help="Draw no diagrams, as for build.")
    ] = False,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    port: Annotated[
        int,
        typer.Option(
            "--port", "-p", callback=in_range(0, 65535), help="Port to serve on (0: any free one)."
        ),
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to serve on. The default is reachable from this machine only; "
            "any other address shows your processes and costs to the network. Requests "
            "naming another host than localhost, 127.0.0.1, [::1] or this address are "
            "refused (0.0.0.0: any IP address or this machine's name).",
        ),
    ] = "127.0.0.1",
) -> None:
    """Build the site, serve it, and rebuild and reload the open page on every edit.

    Watches the process files and roles files under PATHS, --roles, the
    scenario files and the template folder. A rebuild redraws only what
    changed (the build cache). While a file is broken, every page shows its
    located errors instead and downloads (cost.csv, report.pdf, …) are
    refused with them; fix it and save, and the site comes back. Serves
    only the site's files, on 127.0.0.1 unless --host says otherwise. Ctrl-C
    stops it.

    \b
    Examples:
      sopkit serve processes/en/
      sopkit serve processes/en/ --port 8080 --scenario scenarios/automate-drafting.yaml
    """
    from ..build.serve import SiteServer, is_loopback

    def echo(text: str) -> None:
        typer.echo(text, err=True)

    if not is_loopback(host):
        echo(
            f"WARNING: serving on {host}, not on loopback: anyone who can reach this "
            "machine can read your processes, costs and rates"
        )
    with user_errors():
        if output is not None:
            from ..build import check_output

            check_output(output, [*paths, *(scenario or ()), *([roles] if roles else [])])
        try:
            server = SiteServer(
                paths,
                output,
                host=host,
                port=port,
                roles=roles,
                scenarios=scenario or (),
                template_dir=template,
                cache=open_cache(no_cache, cache_dir),
                diagrams=not no_diagram,
                echo=echo,
            )
        except OSError as exc:
            usage_error(
                f"cannot serve on {host}:{port}: {exc.strerror or exc}",
                "is another server using the port? choose another with --port, or --port 0",
            )
    import signal

    def terminated(number: int, frame: object) -> None:
        raise KeyboardInterrupt  # stopped as Ctrl-C stops it: temporary folder removed

    # SIGTERM (kill) and SIGHUP (the terminal closed) end it as Ctrl-C does.
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, terminated)
    try:
        server.run()  # closes the server and removes its temporary folder however it ends
    except KeyboardInterrupt:
        echo("stopped")
