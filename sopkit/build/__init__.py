"""``sopkit build``: the whole portfolio as a browsable site and a cost workbook.

One call turns a folder of processes into everything a team shares::

    site/
      index.html                 the portfolio dashboard (inline CSS and SVG, no JS)
      cost.csv  cost.json        the cost report, as ``sopkit cost`` writes it
      candidates.csv             automation candidates, as ``sopkit candidates`` writes it
      cost.xlsx                  the workbook for finance, with live formulas
      report.pdf                 the annual report to print and forward (with WeasyPrint)
      processes/<id>.html        each SOP as a self-contained web page
      processes/<id>.md          ... in Markdown
      processes/<id>.checklist.html  its run checklist, boxes to tick on screen or print
      processes/<id>.checklist.md    ... in Markdown, to paste into a task or an issue
      processes/<id>.svg  .png   the workflow diagram
      .sopkit-site               marks the folder as a site sopkit may replace

The order of work is what makes it safe:

1. load and validate every input (nothing is written if any file is wrong);
2. check the output folder: never an input, never the current folder or one
   holding it, never a folder with other content; ``-o`` naming a symbolic
   link builds into the folder the link points to, and the link stays;
3. check every diagram can be drawn legibly (or ``diagrams=False``);
4. take the folder's lock (a second build of it is told it is busy), render
   everything in memory (per process in parallel, collected in order), write
   it into a staging folder beside the output (most of it while report.pdf
   still prints) and switch it in with one atomic exchange (see
   ``sopkit.build.publish`` for the layout and why a kill at any point leaves
   a whole site); a failure at any point leaves the previous site as it was.

The same input gives byte-identical output; the only time-dependent text is
an optional ``stamp`` for the footer and an optional ``report_date`` for the
report. The ranges (P10/P50/P90) on the dashboard and in the SOPs come from
one simulation with a fixed seed (``SITE_SEED``), so they too are the same on
every build, and the dashboard says which seed and how many years. Without
WeasyPrint the site has no ``report.pdf`` and the build says why (a warning),
and everything else is built as usual.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import hashlib
import heapq
import os
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from ..analysis import Candidate, PortfolioCost, ProcessCost, cost_portfolio, rank_candidates
from ..analysis.compare import ScenarioResult
from ..analysis.simulation import DEFAULT_SEED, DEFAULT_YEARS, Simulation, simulate
from ..checkup import file_warnings
from ..children import Children
from ..decide import Scenarios, scenario_results, scenarios_for
from ..errors import InputError, OutputError, Problem, RenderError, SopkitError, UsageError
from ..load import Portfolio, as_paths, discover, files_beside, load_portfolio
from ..models import Settings
from ..output import UTF8_BOM
from ..render.compiled import stored_in
from ..render.costs import candidates_report, cost_report
from ..render.diagram import check_legible, draw
from ..render.diagram.engine import Engine, find_engine
from ..render.i18n import Catalogue, Notice, catalogue, portfolio_language
from ..render.numbers import load_babel
from ..render.pdf import Printer
from ..render.report import annual_report, pdf_problem
from ..render.site import Download, ProcessPage, render_index
from ..render.site.scenarios import render_scenarios
from ..render.site.words import Stamp
from ..render.sop import render_sop
from ..render.workbook import render_workbook
from .aside import Aside
from .cache import Cache, CacheStats
from .entries import (
    cached_engine,
    cached_pdf,
    cached_years,
    pack_files,
    page_key,
    template_fingerprint,
    unpack_files,
    years_keys,
)
from .publish import Publication
from .sealed import SealedTemplates, user_secret

__all__ = [
    "MARKER",
    "SCENARIO_PAGE",
    "SITE_SEED",
    "SITE_YEARS",
    "BuildResult",
    "Progress",
    "build_site",
    "check_output",
    "render_site",
]

#: The file that marks a folder as a sopkit site, so a rebuild may replace it.
MARKER = ".sopkit-site"
_MARKER_TEXT = (
    "This folder is a site built by `sopkit build`.\n"
    "Every build replaces the whole folder: keep nothing else in it.\n"
)
#: The scenario page (``sopkit build --scenario``), beside the dashboard.
SCENARIO_PAGE = "scenarios.html"
#: Where each process's documents go, relative to the site.
PROCESS_FOLDER = "processes"

#: The simulation behind the site's ranges: fixed, so builds stay byte-identical.
SITE_YEARS = DEFAULT_YEARS
SITE_SEED = DEFAULT_SEED

#: From this many processes on, report.pdf prints in a child process (on another core,
#: started before the build loads: ``sopkit.render.pdf.Printer``); below, its start-up
#: costs more. A printer handed to ``build_site`` is used whatever the size.
_PRINT_APART = 20

#: ``progress(done, total, what)``: called after each unit of work.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote and what the user should know about it."""

    out_dir: Path
    #: Every file of the site, relative to ``out_dir``, in POSIX form, sorted.
    files: tuple[str, ...]
    processes: int
    currency: str
    annual_cost: Decimal
    #: The Graphviz renderer that drew the PNG diagrams, or ``None`` (SVG only).
    engine: str | None
    warnings: tuple[str, ...] = ()
    #: What the build cache did (``None`` without a cache).
    cache: CacheStats | None = None
    #: Every file the build read (process, roles and scenario files, the paths given, and
    #: the process files beside whose roles the capacity note names: ``files_beside``).
    inputs: tuple[str, ...] = ()
    #: What ``sopkit validate`` warns about in the files (located), sorted by file and line.
    checks: tuple[Problem, ...] = ()
    #: Works ``digest`` out: the site's files are kept until it is first asked for.
    fingerprint: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    @property
    def digest(self) -> str:
        """A hash of every file's path and bytes: two builds of the same site have the same,
        so ``sopkit serve`` reloads no page after a rebuild that changed nothing. Worked out
        when first asked for (only serve asks: a rebuild has better use for the time);
        until then the result holds the site's bytes."""
        return "" if self.fingerprint is None else self.fingerprint()

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"


@dataclass(slots=True)
class _Rendered:
    """One process's documents, by path inside the site."""

    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)


# --- the public entry point ------------------------------------------------------------


def build_site(
    paths: str | Path | Sequence[str | Path],
    out_dir: str | Path = "site",
    *,
    roles: str | Path | Settings | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    stamp: Stamp | None = None,
    diagrams: bool = True,
    scenarios: str | Path | Sequence[str | Path] = (),
    report_date: _dt.date | None = None,
    template_dir: str | Path | None = None,
    cache: Cache | None = None,
    printer: Printer | None = None,
) -> BuildResult:
    """Load, validate, cost and render a portfolio, and write it as a site in ``out_dir``.

    Args:
        paths: process files and folders, as for ``load_portfolio``.
        out_dir: the site folder; created, or replaced if it is a previous site.
        roles: a ``roles.yaml`` (or loaded settings) to use for every process.
        progress: called as ``progress(done, total, what)`` while rendering.
        jobs: how many processes to render at once; default: one per CPU.
        stamp: the build time for the footers of the dashboard and scenario page
            (a ``datetime``, written in the portfolio's language), or text shown
            as given; by default there is none and two builds are byte-identical.
        diagrams: ``False`` draws no diagrams (no SVG or PNG files; each SOP
            says its diagram was left out).
        scenarios: scenario files; with any, the site gets ``scenarios.html``
            (As-Is against each To-Be), linked from the dashboard.
        report_date: the date ``report.pdf`` says it was made on; by default
            it shows none, so two builds are byte-identical.
        template_dir: a folder of team SOP templates searched before the
            defaults (as ``sopkit sop --template``).
        cache: where to keep and find renders (``sopkit.build.cache``); ``None``
            renders everything. The site is byte-identical either way.
        printer: a child Python the caller started to print report.pdf (and
            stops): ``sopkit build`` starts it before importing this module. By
            default a large portfolio's build starts its own. A build that
            fails or is interrupted closes it at once, so as not to wait for it.

    Raises:
        SopkitError: any input problem (before anything is written), an unsafe
            output folder (``OutputError``), a process too large for a legible
            diagram (``RenderError``, before anything is drawn), or a renderer
            failure.
    """
    paths, scenarios = as_paths(paths), as_paths(scenarios)
    if jobs is not None and jobs < 1:
        raise UsageError(f"jobs must be 1 or more, not {jobs}", hint="None renders one per CPU")
    with contextlib.ExitStack() as stack:
        if printer is None and _prints_apart(paths):
            # It imports WeasyPrint while this process loads, costs and renders.
            printer = stack.enter_context(Printer())
        if cache is not None and (secret := user_secret()) is not None:
            # Compiled templates too, sealed with the user's key (``sopkit.build.sealed``).
            stack.enter_context(stored_in(SealedTemplates(cache, secret)))
        portfolio = load_portfolio(paths, roles=roles)
        # The files beside (``files_beside``) are inputs too: the capacity note names
        # those working in a role, so ``sopkit serve`` watches them all and rebuilds the
        # note when one changes. A whole folder's build has none: nothing is read.
        found = files_beside(portfolio)
        beside = found.roles
        view = _scenarios(portfolio, scenarios) if scenarios else None
        if view is not None:
            view = replace(view, beside=beside)
        out = Path(out_dir)
        template = _template_folder(template_dir)
        inputs = [*_inputs(paths, portfolio, roles), *map(Path, scenarios), *found.files]
        target = check_output(out, inputs)
        if diagrams:
            for process in portfolio:
                check_legible(process)  # at once, not after minutes of drawing the others
        cost = cost_portfolio(portfolio)
        checks: list[Problem] | None = None

        def ready(final: Mapping[str, bytes]) -> None:
            """Files final while report.pdf prints: written meanwhile, and what ``sopkit
            validate`` warns about worked out meanwhile too, off the print's path."""
            nonlocal checks
            publication.stage(final)
            if checks is None:
                checks = file_warnings(portfolio, [cost])

        with Publication(target, shown=str(out)) as publication:
            files, engine, warnings = render_site(
                cost,
                progress=progress,
                jobs=jobs,
                stamp=stamp,
                diagrams=diagrams,
                scenarios=view,
                report_date=report_date,
                template_dir=template,
                cache=cache,
                printer=printer,
                beside=beside,
                ready=ready,
            )
            publication.publish(files)
    if checks is None:
        checks = file_warnings(portfolio, [cost])
    if cache is not None:
        cache.prune()
    return BuildResult(
        out_dir=out,
        files=tuple(sorted(files)),
        processes=len(portfolio),
        currency=cost.currency,
        annual_cost=cost.annual_cost,
        engine=engine,
        warnings=tuple(warnings),
        cache=None if cache is None else cache.stats,
        inputs=tuple(dict.fromkeys(str(p) for p in inputs)),
        checks=tuple(checks),
        fingerprint=_Fingerprint(files),
    )


class _Fingerprint:
    """``BuildResult.digest``: the files' hash, worked out once, when first asked for
    (then the files are let go)."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files: Mapping[str, bytes] | None = files
        self._digest = ""
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if self._files is not None:
                digest = hashlib.sha256()
                for name in sorted(self._files):
                    data = self._files[name]
                    digest.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
                    digest.update(data)
                self._digest, self._files = digest.hexdigest(), None
            return self._digest


def render_site(
    portfolio: Portfolio | PortfolioCost,
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    stamp: Stamp | None = None,
    diagrams: bool = True,
    scenarios: Scenarios | None = None,
    report_date: _dt.date | None = None,
    template_dir: Path | None = None,
    cache: Cache | None = None,
    printer: Printer | None = None,
    beside: Mapping[str, Sequence[str]] | None = None,
    ready: Callable[[Mapping[str, bytes]], None] | None = None,
) -> tuple[dict[str, bytes], str | None, list[str]]:
    """Every file of the site in memory: ``{path inside the site: bytes}``.

    Also returns the diagram renderer's name (``None`` when there is none) and
    the warnings for the user (in English; the dashboard shows them in the
    portfolio's language). Nothing is written (but to ``cache``). With a
    ``printer``, report.pdf prints in its child process (see ``Printer``).
    ``beside`` (``roles_worked_beside``) names, on the dashboard and in the report,
    the files not given that work in a role whose utilisation they show.
    ``ready`` is handed the files that are final while report.pdf still prints (in
    batches; they are returned too), so a caller can write them meanwhile.
    """
    cost = portfolio if isinstance(portfolio, PortfolioCost) else cost_portfolio(portfolio)
    results = scenarios.results if scenarios is not None else ()
    load_babel()  # before the copy and the threads below, which all format figures
    keys = None if cache is None else years_keys(cost, years=SITE_YEARS, seed=SITE_SEED)
    # The workbook is made by a forked copy of this process (``Aside``) on the other core.
    # When the cache holds nearly every process's simulated years (a rebuild), it is
    # forked now, while this is the only thread, and works the ranges out itself from the
    # cache (and the few edited processes), on a core the rest of the build leaves idle
    # until the report prints. Otherwise it is forked once the ranges are simulated here:
    # simulating them twice would cost a second of CPU a hundred processes.
    early = cache is not None and keys is not None and _nearly_all(cache, keys.values())
    workbook = Aside(functools.partial(_workbook, cost, cache, keys, results)) if early else None
    try:
        candidates = rank_candidates(cost)
        pages_candidates = _with_outside_procedures(cost, candidates)
        ranges = _site_ranges(cost, cache, keys)
        here = functools.partial(render_workbook, cost, ranges=ranges, scenarios=results)
        if workbook is not None and workbook.forked:
            workbook.otherwise(here)  # if the copy fails: with the ranges simulated above
        else:
            workbook = Aside(here)
        warnings: list[Notice] = []
        engine: Engine | None = None
        # Graphviz's runs: ended at once if the build fails or is interrupted (Ctrl-C).
        children = Children()
        try:
            if diagrams:
                engine = dataclasses.replace(find_engine(), children=children)
                if cache is not None:
                    engine = cached_engine(engine, cache)
        except RenderError as exc:
            engine = None
            warnings.append(Notice.of("notice.no_png", reason=exc.message, hint=_hint(exc)))
        total = len(cost.processes) + 1
        # Three things at once: the processes' pages in a thread (mostly Graphviz, in
        # subprocesses), report.pdf in the printer, and here the portfolio's own files.
        # Set when this thread fails or is interrupted (Ctrl-C): the pages stop starting
        # new work instead of drawing the rest of the portfolio first.
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sopkit-site") as pool:
            try:
                # The HTML is made first, before the pages contend for this process, so the
                # child prints while the rest renders: the print is a rebuild's longest path.
                html = annual_report(
                    cost,
                    fmt="html",
                    date=report_date,
                    ranges=ranges,
                    scenarios=scenarios if _has_scenarios(scenarios) else None,
                    beside=beside,
                )
                report = pool.submit(_report, html.decode("utf-8"), cache=cache, printer=printer)
                pages = pool.submit(
                    _render_processes,
                    cost,
                    pages_candidates,
                    ranges,
                    engine,
                    diagrams,
                    jobs,
                    progress,
                    total,
                    template_dir,
                    cache,
                    stop,
                )
                problem = _pdf_problem(printer)
                files = _portfolio_files(cost, stamp, scenarios)
                rendered = pages.result()
                files.update(
                    _dashboard(
                        cost,
                        candidates,
                        ranges,
                        rendered,
                        warnings,
                        stamp,
                        scenarios,
                        problem,
                        beside or {},
                    )
                )
                if ready is not None:
                    ready(files)
                files["cost.xlsx"] = workbook.result()
                if ready is not None:
                    ready({"cost.xlsx": files["cost.xlsx"]})
                # Waited for inside the ``try``: the printer runs in a session of its own
                # and never sees Ctrl-C, so only closing it ends a long print at once.
                printed = report.result()
            except BaseException:
                # Stopped at once: the drawings under way and the printer (Graphviz and
                # WeasyPrint run in sessions of their own, so Ctrl-C reached only us),
                # and the pages not yet started; the threads then return promptly, and
                # leaving the pool (which waits for them) does not wait for the print.
                stop.set()
                children.stop()
                if printer is not None:
                    printer.close()
                raise
            if printed is not None:
                files["report.pdf"] = printed
    finally:  # stopped if anything above failed; harmless once it has answered
        if workbook is not None:
            workbook.close()
    if progress is not None:
        progress(total, total, "reports")
    told = [str(notice) for notice in warnings]
    return dict(sorted(files.items())), None if engine is None else engine.name, told


def _nearly_all(cache: Cache, keys: Collection[str]) -> bool:
    """Whether the cache holds all but a twentieth of the entries ``keys`` name."""
    missing = sum(1 for key in keys if not cache.holds(key))
    return missing * 20 <= len(keys)


def _site_ranges(
    cost: PortfolioCost, cache: Cache | None, keys: Mapping[str, str] | None = None
) -> Simulation:
    """The ranges the site shows (fixed seed and years: every build shows the same)."""
    each = (
        None
        if cache is None
        else cached_years(cache, cost, years=SITE_YEARS, seed=SITE_SEED, keys=keys)
    )
    # The site shows no capacity ranges: leaving the roles out keeps the cache small.
    return simulate(cost, years=SITE_YEARS, seed=SITE_SEED, each=each, by_role=False)


def _workbook(
    cost: PortfolioCost,
    cache: Cache | None,
    keys: Mapping[str, str] | None,
    scenarios: Sequence[ScenarioResult],
) -> bytes:
    """cost.xlsx, its ranges read from the cache here (in the copy that makes it:
    ``render_site``), leaving the cache's repairs and counts to the build."""
    reader = None if cache is None else cache.reader()
    return render_workbook(cost, ranges=_site_ranges(cost, reader, keys), scenarios=scenarios)


def _hint(problem: RenderError) -> str:
    return f" ({problem.hint})" if problem.hint else ""


def _portfolio_files(
    cost: PortfolioCost, stamp: Stamp | None, scenarios: Scenarios | None
) -> dict[str, bytes]:
    """The reports of the whole portfolio but the workbook: they need none of the
    processes' pages."""
    files: dict[str, bytes] = {}
    if _has_scenarios(scenarios):
        files[SCENARIO_PAGE] = _utf8(render_scenarios(scenarios, stamp=stamp))
    # The CSV files are downloads for spreadsheets: Excel needs the byte-order mark.
    files["cost.csv"] = _utf8(UTF8_BOM + cost_report(cost, by="step", fmt="csv"))
    files["cost.json"] = _utf8(cost_report(cost, fmt="json"))
    files["candidates.csv"] = _utf8(UTF8_BOM + candidates_report(cost, fmt="csv"))
    return files


def _has_scenarios(scenarios: Scenarios | None) -> TypeGuard[Scenarios]:
    return scenarios is not None and bool(scenarios.results)


def _dashboard(
    cost: PortfolioCost,
    candidates: list[Candidate],
    ranges: Simulation,
    rendered: list[_Rendered],
    warnings: list[Notice],
    stamp: Stamp | None,
    scenarios: Scenarios | None,
    problem: RenderError | None,
    beside: Mapping[str, Sequence[str]],
) -> dict[str, bytes]:
    """The pages rendered, and the dashboard linking them and every download."""
    files: dict[str, bytes] = {}
    for item in rendered:
        files.update(item.files)
        warnings.extend(w for w in item.warnings if w not in warnings)

    pages = [_page(process.id, files) for process in cost.processes]
    t = catalogue(portfolio_language(cost))
    downloads = []
    if problem is None:
        downloads.append(Download("report.pdf", "report.pdf", t("download.report")))
    else:
        warnings.append(Notice.of("notice.no_pdf", reason=problem.message, hint=_hint(problem)))
    downloads += _downloads(t)
    scenario_page = None
    if _has_scenarios(scenarios):
        scenario_page = SCENARIO_PAGE
        downloads.append(Download(SCENARIO_PAGE, t("site.nav.scenarios"), t("download.scenarios")))
    files["index.html"] = _utf8(
        render_index(
            cost,
            candidates,
            pages,
            downloads=downloads,
            notices=warnings,
            stamp=stamp,
            ranges=ranges,
            scenario_page=scenario_page,
            beside=beside,
        )
    )
    files[MARKER] = _utf8(_MARKER_TEXT)
    return files


def _downloads(t: Catalogue) -> list[Download]:
    """The reports beside the dashboard, described in its language."""
    return [
        Download("cost.xlsx", "cost.xlsx", t("download.workbook")),
        Download("cost.csv", "cost.csv", t("download.cost_csv")),
        Download("cost.json", "cost.json", t("download.cost_json")),
        Download("candidates.csv", "candidates.csv", t("download.candidates")),
    ]


def _report(html: str, *, cache: Cache | None, printer: Printer | None) -> bytes | None:
    """report.pdf: the report's HTML, printed by WeasyPrint or found in the cache.

    ``None`` when WeasyPrint cannot print here (the build says why).
    """
    if _pdf_problem(printer) is not None:
        return None
    return cached_pdf(html, cache, printer=printer)  # here, if the printer cannot


def _pdf_problem(printer: Printer | None) -> RenderError | None:
    """Why no report.pdf can be printed; a ready printer can, and WeasyPrint is then
    never imported in this process."""
    return None if printer is not None and printer.ready() else pdf_problem()


def _prints_apart(paths: Sequence[str | Path]) -> bool:
    """Whether report.pdf prints in a child process: counted before loading, so the
    child starts first (a wrong path or no process file is the load's to report)."""
    try:
        return len(discover(paths)) >= _PRINT_APART
    except SopkitError:
        return False


def _template_folder(folder: str | Path | None) -> Path | None:
    """The team template folder, checked before anything is rendered."""
    if folder is None:
        return None
    path = Path(folder)
    if not path.is_dir():
        raise InputError(
            "template folder not found",
            path=str(folder),
            hint="--template takes a folder holding e.g. sop.html.j2 or sop.md.j2",
        )
    return path


def _scenarios(portfolio: Portfolio, files: Sequence[str | Path]) -> Scenarios:
    """Every scenario loaded and applied before anything is written: all problems at once."""
    return scenario_results(portfolio, scenarios_for(portfolio, files))


# --- rendering ------------------------------------------------------------------------------


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


#: The dashboard as a process's pages link to it, from ``PROCESS_FOLDER``.
HOME = "../index.html"


def _names(process_id: str) -> dict[str, str]:
    base = f"{PROCESS_FOLDER}/{process_id}"
    return {
        "html": f"{base}.html",
        "markdown": f"{base}.md",
        "checklist": f"{base}.checklist.html",
        "checklist_markdown": f"{base}.checklist.md",
        "svg": f"{base}.svg",
        "png": f"{base}.png",
    }


def _page(process_id: str, files: dict[str, bytes]) -> ProcessPage:
    names = _names(process_id)
    return ProcessPage(
        process_id=process_id,
        sop_html=names["html"],
        sop_markdown=names["markdown"],
        checklist=names["checklist"],
        diagram_svg=names["svg"] if names["svg"] in files else None,
        diagram_png=names["png"] if names["png"] in files else None,
    )


def _render_processes(
    cost: PortfolioCost,
    candidates: list[Candidate],
    ranges: Simulation,
    engine: Engine | None,
    diagrams: bool,
    jobs: int | None,
    progress: Progress | None,
    total: int,
    template_dir: Path | None = None,
    cache: Cache | None = None,
    stop: threading.Event | None = None,
) -> list[_Rendered]:
    """Each process's documents, rendered in parallel and returned in portfolio order.

    Once ``stop`` is set (the build failed elsewhere), no more pages are started and
    what was rendered so far is returned.
    """
    processes = cost.processes
    workers = max(1, min(jobs or os.cpu_count() or 1, len(processes)))
    if progress is not None:
        progress(0, total, "rendering")

    # Each SOP lists its own process's candidates and those of the procedures it runs:
    # hand each those, in rank order, rather than the portfolio's (filtering that list
    # per SOP was quadratic).
    ranked: dict[str, list[tuple[int, Candidate]]] = {}
    for rank, candidate in enumerate(candidates):
        ranked.setdefault(candidate.process_id, []).append((rank, candidate))
    listed = {
        process.id: [
            candidate
            for _, candidate in heapq.merge(
                *(ranked.get(pid, []) for pid in _listed_ids(process)), key=_first
            )
        ]
        for process in processes
    }

    # A call's box in a diagram links to the SOP of the process it runs, when the
    # site has that page (processes/<id>.html, beside the caller's).
    pages = {process.id for process in processes}
    templates = template_fingerprint(template_dir) if cache is not None else ""

    def make(process: ProcessCost) -> _Rendered:
        links = {pid: f"{pid}.html" for pid in process.process.calls if pid in pages}
        return _render_process(
            process, listed[process.id], ranges, engine, diagrams, links, cost, template_dir
        )

    def key_of(process: ProcessCost) -> str:
        links = {pid: f"{pid}.html" for pid in process.process.calls if pid in pages}
        return page_key(
            process, listed[process.id], ranges, engine, diagrams, links, cost, templates
        )

    def cached(key: str) -> _Rendered | None:
        """The process's pages when the cache has them (whole and undamaged)."""
        assert cache is not None
        entry = cache.get(key)
        if entry is not None:
            try:
                files, warnings = unpack_files(entry)
            except (ValueError, KeyError, TypeError):
                pass  # checksum right but not an entry of this layout: render again
            else:
                cache.stats.count("hits")
                return _Rendered(files, warnings)
        cache.stats.count("misses")
        return None

    def render(process: ProcessCost, key: str | None) -> _Rendered:
        made = make(process)
        # A template saved while this page rendered: the key would not match the page.
        fresh = template_fingerprint(template_dir) == templates
        if cache is not None and key is not None and fresh:
            cache.put(key, pack_files(made.files, made.warnings))
        return made

    results: list[_Rendered | None] = [None] * len(processes)
    done = 0

    def finished(index: int, pages: _Rendered) -> None:
        nonlocal done
        results[index] = pages
        done += 1
        if progress is not None:
            progress(done, total, processes[index].id)

    # The pages to render start first, on the workers (Graphviz runs as a subprocess, so
    # their threads overlap the slow part): a page whose entry is not in the cache at all
    # is known at once, before the others are read and checked. A damaged entry is
    # rendered once it is found.
    stopped = stop.is_set if stop is not None else lambda: False
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sopkit-build") as pool:
        pending: list[tuple[int, Future[_Rendered]]] = []
        try:
            held: list[tuple[int, str]] = []
            for index, process in enumerate(processes):
                if stopped():
                    break
                if cache is None:
                    pending.append((index, pool.submit(render, process, None)))
                    continue
                key = key_of(process)
                if cache.holds(key):
                    held.append((index, key))
                else:
                    cache.stats.count("misses")
                    pending.append((index, pool.submit(render, process, key)))
            for index, key in held:
                if stopped():
                    break
                hit = cached(key)
                if hit is None:
                    pending.append((index, pool.submit(render, processes[index], key)))
                else:
                    finished(index, hit)
            for index, future in pending:
                if stopped():
                    break
                finished(index, future.result())
        finally:  # failed or stopped: the pages not yet started are not wanted
            pool.shutdown(wait=False, cancel_futures=True)
    return [pages for pages in results if pages is not None]


def _with_outside_procedures(cost: PortfolioCost, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates the SOP pages rank: the site's, and those of the procedures its
    processes run from outside it (a file given without the procedure beside it), which
    have no page or row of their own but save on the runs of the pages that list them.

    Costed again with them only when there are some; the site's own figures stay the same.
    """
    site = {p.id for p in cost.processes}
    outside = {
        procedure.id: procedure
        for process in cost.processes
        for procedure in process.process.procedures
        if procedure.id not in site
    }
    if not outside:
        return candidates
    return rank_candidates(
        cost_portfolio((*(p.process for p in cost.processes), *outside.values()))
    )


def _listed_ids(cost: ProcessCost) -> list[str]:
    """The processes whose candidates a process's SOP lists: it and its procedures."""
    return [cost.id, *(p.id for p in cost.process.procedures)]


def _first(item: tuple[int, Candidate]) -> int:
    return item[0]


def _render_process(
    cost: ProcessCost,
    candidates: list[Candidate],
    ranges: Simulation,
    engine: Engine | None,
    diagrams: bool,
    links: dict[str, str],
    site: PortfolioCost,
    template_dir: Path | None = None,
) -> _Rendered:
    """One process's files; its SOPs link the processes it runs or is run by (same folder),
    and the HTML SOP and checklist link each other, so whoever runs it finds the boxes."""
    from ..render.sop.checklist import render_checklist

    names = _names(cost.id)
    here = {kind: name.rsplit("/", 1)[-1] for kind, name in names.items()}  # same folder
    out = _Rendered()
    # The PNG needs Graphviz, a child process: started first, it draws while the pages
    # below are written here.
    png = engine is not None and diagrams and "png" in engine.formats
    # Not waited for when a page fails (a team template's error): the build stops its
    # Graphviz runs then, rather than finishing the drawing first.
    drawer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sopkit-png") if png else None
    drawing = None if drawer is None else drawer.submit(draw, cost, "png", engine=engine)
    try:
        for fmt, name in (("html", names["html"]), ("markdown", names["markdown"])):
            sop = render_sop(
                cost,
                fmt=fmt,
                template_dir=template_dir,
                candidates=candidates,
                diagram=diagrams,
                ranges=ranges,
                links=links,
                site=site,
                home=HOME,
                checklist=here["checklist"],
            )
            out.files[name] = _utf8(sop)
        # A call's box links to the checklist of the process it runs, beside this one.
        called = {pid: _names(pid) for pid in links}
        boxes = render_checklist(
            cost,
            fmt="html",
            home=HOME,
            sop=here["html"],
            markdown=here["checklist_markdown"],
            procedures={pid: n["checklist"].rsplit("/", 1)[-1] for pid, n in called.items()},
        )
        out.files[names["checklist"]] = _utf8(boxes)
        markdown_boxes = render_checklist(
            cost,
            fmt="markdown",
            procedures={
                pid: n["checklist_markdown"].rsplit("/", 1)[-1] for pid, n in called.items()
            },
        )
        out.files[names["checklist_markdown"]] = _utf8(markdown_boxes)
        if not diagrams:
            return out
        # The SVG needs no renderer.
        out.files[names["svg"]] = draw(cost, "svg", links=links).data
        if engine is not None and not png:
            out.warnings.append(Notice.of("notice.engine_png", engine=engine.name))
        if drawing is not None:
            made = drawing.result()
            out.files[names["png"]] = made.data
            out.warnings.extend(w for w in made.notices if w not in out.warnings)
    finally:
        if drawer is not None:
            drawer.shutdown(wait=False)
    return out


# --- the output folder ------------------------------------------------------------------


def _inputs(
    paths: Iterable[str | Path], portfolio: Portfolio, roles: str | Path | Settings | None
) -> list[Path]:
    """Every file the build reads: process files, roles files, and the paths as given."""
    found = [Path(p) for p in paths]
    found.extend(discover(found))
    found.extend(Path(p.settings_path) for p in portfolio if p.settings_path)
    if isinstance(roles, str | Path):
        found.append(Path(roles))
    return found


def check_output(out_dir: str | Path, inputs: Iterable[str | Path]) -> Path:
    """Refuse an output folder the build must not replace; return the folder to write.

    Refused: an existing file; a folder that is, or holds, any input; the
    current folder or one holding it (the shell would be left in a deleted
    folder); the root; and an existing folder with content that has no
    ``.sopkit-site`` marker (it is not a previous site, so replacing it would
    delete someone's files). A symbolic link is followed: the site is built
    into the folder it names (every check applies to that folder), and the
    link is left as it is.

    Raises:
        OutputError: with a hint on what to use instead.
    """
    out = Path(out_dir)
    shown = str(out_dir)
    try:
        resolved = out.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise OutputError(
            "the output path cannot be resolved (a loop of symbolic links?)",
            path=shown,
            hint="choose a plain folder, e.g. -o site",
        ) from None
    if resolved.exists() and not resolved.is_dir():
        raise OutputError(
            "the output is a file, not a folder", path=shown, hint="choose a folder, e.g. -o site"
        )
    for given in inputs:
        source = Path(given).resolve()
        if source == resolved or source.is_relative_to(resolved):
            raise OutputError(
                f"the output folder holds an input ({given}); building would delete it",
                path=shown,
                hint="choose a separate folder for the site, e.g. -o site",
            )
    if resolved.parent == resolved:
        raise OutputError("the output cannot be the root folder", path=shown, hint="use -o site")
    try:
        here: Path | None = Path.cwd().resolve()
    except OSError:  # the current folder was deleted: it cannot be the output
        here = None
    if here is not None and (here == resolved or here.is_relative_to(resolved)):
        raise OutputError(
            "the output cannot be the current folder or hold it: a build replaces its "
            "output folder as a whole",
            path=shown,
            hint="build into a folder of its own, e.g. -o site",
        )
    if resolved.is_dir() and not (resolved / MARKER).is_file() and any(resolved.iterdir()):
        raise OutputError(
            "the output folder exists, has other files and is not a sopkit site",
            path=shown,
            hint=f"choose a new or empty folder; a folder with a {MARKER} file is rebuilt in place",
        )
    return resolved
