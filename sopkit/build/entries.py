"""What ``sopkit build`` keeps in the cache, and the keys it keeps them under.

Four kinds of entry (see ``sopkit.build.cache`` for the store itself):

* **Graphviz drawings** (the PNG diagrams): keyed by the DOT text, the format
  and flags, and the renderer (name, path, ``-V`` output, the binary's size
  and modification time, and the fonts fontconfig lists).
* **The PDF report**: keyed by the report's HTML, the WeasyPrint and pydyf
  versions and the fonts.
* **One process's simulated years** (its ranges and its figures year by year,
  which the portfolio's ranges add up): keyed by the seed, the years, the
  NumPy version and the process with every process it runs or is run by.
* **One process's pages** (SOP as HTML and Markdown, run checklist as HTML
  and Markdown, SVG and PNG diagrams, their warnings): keyed by everything the pages are made from —
  the costed process in full (``repr``: every step, figure and setting), every
  process it runs or is run by, directly or not (their content, settings and
  files: a caller's name and runs appear on the page), its automation
  candidates and those of the procedures it runs, its own simulated ranges,
  the links, the other pages it can link to, the options, the team
  templates' files and the renderer.

(And Jinja's compiled templates, sealed with the user's key: ``sopkit.build.sealed``.)

Every key also holds ``code_fingerprint()`` (sopkit's version and a hash of its
code and templates). Keys are built from the loaded model the pages are
rendered from, never from files read again, so a file saved during a build
cannot pair new text with old output.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..analysis import Candidate, PortfolioCost, ProcessCost
from ..analysis.simulation import ProcessYears, Simulation, simulate_process
from ..analysis.simulation.result import ProcessRanges, Range
from ..models import Process
from ..render.diagram.engine import DEFAULT_TIMEOUT, Engine
from ..render.i18n import Notice
from ..render.pdf import Printer
from ..render.report import report_pdf
from ..render.sop.templates import template_files
from .cache import Cache, code_fingerprint, make_key

__all__ = [
    "CachedEngine",
    "cached_engine",
    "cached_pdf",
    "cached_years",
    "page_key",
    "pack_files",
    "pack_years",
    "template_fingerprint",
    "unpack_files",
    "unpack_years",
    "years_keys",
]


@lru_cache(maxsize=8)
def _renderer_identity(path: str) -> str:
    """The renderer's ``-V`` output and its binary's size and time: a new install differs."""
    try:
        done = subprocess.run(
            [path, "-V"], capture_output=True, timeout=30, check=False, stdin=subprocess.DEVNULL
        )
        version = (done.stdout + done.stderr).decode("utf-8", "replace").strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "?"
    try:
        info = Path(path).resolve().stat()
        stamp = f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        stamp = "?"
    return f"{version}|{stamp}|{fonts()}"


@lru_cache(maxsize=1)
def fonts() -> str:
    """A hash of the fonts fontconfig offers: Graphviz and WeasyPrint draw with them,
    so installing or removing a font must not leave drawings made with the old set."""
    try:
        done = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontversion}|%{style}\n"],
            capture_output=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "no fc-list"
    lines = sorted(done.stdout.decode("utf-8", "replace").splitlines())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class CachedEngine(Engine):
    """A Graphviz renderer whose drawings are kept in a cache, keyed by their DOT text."""

    cache: Cache | None = None
    identity: str = ""

    def run(
        self,
        source: str,
        fmt: str,
        *,
        options: Sequence[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
    ) -> bytes:
        def draw() -> bytes:
            return Engine.run(self, source, fmt, options=options, timeout=timeout)

        if self.cache is None:
            return draw()
        key = make_key(
            "graphviz",
            code_fingerprint(),
            self.name,
            self.path,
            self.identity,
            fmt,
            *options,
            source,
        )
        return self.cache.fetch(key, draw)


def cached_engine(engine: Engine, cache: Cache) -> CachedEngine:
    return CachedEngine(
        engine.name,
        engine.path,
        children=engine.children,
        cache=cache,
        identity=_renderer_identity(engine.path),
    )


def _pdf_versions() -> str:
    """The versions the PDF's bytes depend on, read without importing WeasyPrint (slow)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("weasyprint", "pydyf"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} ?")
    return f"{', '.join(found)}, fonts {fonts()}"


def cached_pdf(html: str, cache: Cache | None, *, printer: Printer | None = None) -> bytes:
    """``report_pdf(html)``, from the cache when the same HTML was printed before.

    A miss is printed by ``printer``'s child process when there is one (the
    same bytes), or here when there is none or it fails.
    """

    def make() -> bytes:
        printed = None if printer is None else printer.print(html)
        return report_pdf(html) if printed is None else printed

    if cache is None:
        return make()
    key = make_key("report.pdf", code_fingerprint(), _pdf_versions(), html)
    return cache.fetch(key, make)


def template_fingerprint(folder: Path | None) -> str:
    """Every file of a team template folder, by relative path and content."""
    if folder is None:
        return "-"
    digest = hashlib.sha256()
    for path in template_files(folder):  # linked folders too, as Jinja reads them
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _neighbours(cost: ProcessCost, site: PortfolioCost) -> list[Process]:
    return _call_component(cost.process, site)


def _call_component(start: Process, site: PortfolioCost) -> list[Process]:
    """The processes ``start`` runs or is run by, directly or not, sorted by id."""
    by_id: dict[str, Process] = {p.id: p.process for p in site.processes}
    callers: dict[str, set[str]] = {}
    for process in by_id.values():
        for callee in process.callees:
            callers.setdefault(callee, set()).add(process.id)
    seen: dict[str, Process] = {}
    todo = [start]
    while todo:
        process = todo.pop()
        if process.id in seen:
            continue
        seen[process.id] = process
        todo.extend(process.callees.values())
        todo.extend(by_id[c] for c in callers.get(process.id, ()) if c in by_id)
    return [seen[pid] for pid in sorted(seen)]


def _figures(cost: ProcessCost) -> str:
    """The process's figures as text: its model is keyed as JSON (the neighbours', in
    ``page_key``), several times faster than in the dataclass's text."""
    return repr(
        [(f.name, getattr(cost, f.name)) for f in fields(cost) if f.repr and f.name != "process"]
    )


def page_key(
    cost: ProcessCost,
    candidates: Sequence[Candidate],
    ranges: Simulation,
    engine: Engine | None,
    diagrams: bool,
    links: Mapping[str, str],
    site: PortfolioCost,
    templates: str,
) -> str:
    """The key of one process's pages: everything they are made from (module docstring)."""
    neighbours = _neighbours(cost, site)
    site_ids = {p.id for p in site.processes}
    parts: list[str] = [
        "process-pages",
        code_fingerprint(),
        f"diagrams={diagrams}",
        "-" if engine is None else f"{engine.name}|{engine.path}|{_renderer_identity(engine.path)}",
        templates,
        _figures(cost),
        repr(list(candidates)),
        repr([r for r in ranges.processes if r.process_id == cost.id]),
        f"{ranges.years}|{ranges.seed}|{ranges.currency}",
        json.dumps(sorted(links.items())),
        json.dumps(sorted(p.id for p in neighbours if p.id in site_ids)),
    ]
    for process in neighbours:
        parts += [
            process.model_dump_json(),
            repr(process.settings),
            process.source_path or "-",
            process.settings_path or "-",
            json.dumps(sorted(process.callees)),
        ]
    return make_key(*parts)


def pack_files(files: Mapping[str, bytes], notices: Sequence[Notice]) -> bytes:
    """Named files and notices as one entry: a JSON header line, then the contents.

    A notice is kept as its message id and values, so the dashboard can show it in
    any language.
    """
    header = {
        "files": [[name, len(data)] for name, data in files.items()],
        "notices": [[notice.key, [list(pair) for pair in notice.params]] for notice in notices],
    }
    return json.dumps(header).encode("utf-8") + b"\n" + b"".join(files.values())


def unpack_files(entry: bytes) -> tuple[dict[str, bytes], list[Notice]]:
    """What ``pack_files`` packed (``KeyError`` for an entry of an older layout)."""
    line, _, body = entry.partition(b"\n")
    header = json.loads(line)
    files: dict[str, bytes] = {}
    offset = 0
    for name, size in header["files"]:
        files[str(name)] = body[offset : offset + int(size)]
        offset += int(size)
    if offset != len(body):
        raise ValueError("a cache entry's files do not add up")
    notices = [
        Notice(str(key), tuple((str(name), str(value)) for name, value in params))
        for key, params in header["notices"]
    ]
    return files, notices


def _range_json(value: Range) -> list[str]:
    return [str(value.mean), str(value.p10), str(value.p50), str(value.p90)]


def _range(value: list[str]) -> Range:
    return Range(*(Decimal(v) for v in value))


_RANGE_FIELDS = (
    "annual_cost",
    "annual_total_cost",
    "annual_hours",
    "external_hours",
    "lead_time_hours",
    "lead_time_days",
)


def pack_years(one: ProcessYears) -> bytes:
    """A process's simulated figures as one entry: JSON header line, then the arrays."""
    header = {
        "process_id": one.ranges.process_id,
        "name": one.ranges.name,
        **{name: _range_json(getattr(one.ranges, name)) for name in _RANGE_FIELDS},
        "arrays": [[str(a.dtype), len(a)] for a in one.values],
        "roles": [[role, str(a.dtype), len(a)] for role, a in one.roles.items()],
    }
    arrays = [np.ascontiguousarray(a) for a in (*one.values, *one.roles.values())]
    return json.dumps(header).encode("utf-8") + b"\n" + b"".join(a.tobytes() for a in arrays)


def unpack_years(entry: bytes) -> ProcessYears:
    """What ``pack_years`` packed."""
    line, _, body = entry.partition(b"\n")
    header = json.loads(line)
    ranges = ProcessRanges(
        process_id=str(header["process_id"]),
        name=str(header["name"]),
        **{name: _range(header[name]) for name in _RANGE_FIELDS},
    )
    values = []
    offset = 0
    shapes = [*header["arrays"], *([d, n] for _, d, n in header["roles"])]
    for dtype, length in shapes:
        kind = np.dtype(dtype)
        size = kind.itemsize * int(length)
        values.append(np.frombuffer(body[offset : offset + size], dtype=kind))
        offset += size
    if offset != len(body) or len(header["arrays"]) != 4:
        raise ValueError("a cache entry's arrays do not add up")
    roles = {str(role): values[4 + i] for i, (role, _, _) in enumerate(header["roles"])}
    return ProcessYears(ranges, (values[0], values[1], values[2], values[3]), roles)


def simulation_key(process: Process, site: PortfolioCost, *, years: int, seed: int) -> str:
    """The key of one process's simulated figures: seed, years, NumPy, the call component."""
    parts = ["simulation", code_fingerprint(), f"numpy {np.__version__}", f"{years}|{seed}"]
    parts += [process.id]
    for neighbour in _call_component(process, site):
        parts += [neighbour.model_dump_json(), repr(neighbour.settings)]
        parts += [json.dumps(sorted(neighbour.callees))]
    return make_key(*parts)


def years_keys(site: PortfolioCost, *, years: int, seed: int) -> dict[str, str]:
    """Each process's ``simulation_key``, by id (worked out once for all who ask)."""
    return {c.id: simulation_key(c.process, site, years=years, seed=seed) for c in site.processes}


def cached_years(
    cache: Cache,
    site: PortfolioCost,
    *,
    years: int,
    seed: int,
    keys: Mapping[str, str] | None = None,
) -> Callable[[Process], ProcessYears]:
    """``simulate(each=...)``: each process's figures from the cache, or simulated and kept.

    ``keys`` are the processes' keys when already known (``years_keys``)."""

    def each(process: Process) -> ProcessYears:
        known = None if keys is None else keys.get(process.id)
        key = known or simulation_key(process, site, years=years, seed=seed)
        entry = cache.get(key)
        if entry is not None:
            try:
                found = unpack_years(entry)
            except (ValueError, KeyError, TypeError, ArithmeticError):
                pass
            else:
                cache.stats.count("hits")
                return found
        cache.stats.count("misses")
        one = simulate_process(process, years=years, seed=seed, by_role=False)
        cache.put(key, pack_years(one))
        return one

    return each
