"""Workflow diagrams: swimlanes as SVG, PNG or PDF, Graphviz source, or Mermaid for Markdown.

sopkit lays the swimlanes out itself (``layout``) and describes the picture as
a scene (``swimlane``); ``svg`` writes SVG directly, with no renderer, and
``dot`` writes Graphviz source with every position fixed, which a Graphviz
renderer (see ``engine``) turns into PNG or PDF. A PDF of a diagram too large
for one legible page is its printed pages instead (``printed``: a map, then
parts that repeat the lanes' headers, on A4 or Letter), printed by WeasyPrint.
``draw`` returns bytes; nothing here writes files or prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath

from ...analysis import ProcessCost, as_process_cost
from ...errors import RenderError
from ...models import Process
from ..i18n import Notice
from ..markdown import fenced
from ..pdf import paper_name, pdf_problem, report_pdf
from .common import DIRECTIONS, MAX_ARROWS, MAX_STEPS, check_direction, check_legible
from .dot import build_digraph, scene_digraph, to_dot
from .engine import Engine, cjk_notice, find_engine
from .mermaid import to_mermaid
from .printed import printed_html
from .scene import Scene
from .style import DEFAULT_THEME, ENGINE_FONTS, Theme
from .svg import to_svg
from .swimlane import Swimlanes, draw_swimlanes, swimlane_layout, swimlane_scene

__all__ = [
    "DIRECTIONS",
    "FILE_SUFFIXES",
    "FORMATS",
    "IMAGE_FORMATS",
    "MARKDOWN_SUFFIXES",
    "MAX_ARROWS",
    "MAX_STEPS",
    "TEXT_FORMATS",
    "Drawing",
    "build_digraph",
    "check_legible",
    "draw",
    "draw_scene",
    "file_bytes",
    "render",
    "swimlane_layout",
    "swimlane_scene",
    "to_dot",
    "to_mermaid",
    "to_svg",
]

TEXT_FORMATS = ("dot", "mermaid")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = (*IMAGE_FORMATS, *TEXT_FORMATS)

#: Extra renderer flags per format: PNGs at 96 dpi show 1 pt as 1.33 screen pixels, so
#: 9.5 pt text reads as 12.7 px at 100 % zoom, as in a browser.
_FORMAT_OPTIONS: Mapping[str, tuple[str, ...]] = {"png": ("-Gdpi=96",)}


@dataclass(frozen=True, slots=True)
class Drawing:
    """A rendered diagram and what the caller should tell the user about it."""

    data: bytes
    format: str
    #: The renderer that drew it (``None`` for DOT and Mermaid text; ``weasyprint`` for a
    #: PDF printed as a map and parts).
    engine: str | None = None
    #: What to tell the user, in English (``notices`` gives the same in any language).
    warnings: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RenderError(
            f"unknown diagram format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}"
        )
    return fmt


def draw(
    cost: ProcessCost | Process,
    fmt: str,
    *,
    direction: str = "LR",
    theme: str | Theme = DEFAULT_THEME,
    engine: Engine | None = None,
    links: Mapping[str, str] | None = None,
    paper: str = "A4",
) -> Drawing:
    """The diagram as ``fmt`` bytes, with any warnings for the user (never printed here).

    ``svg``, ``dot`` and ``mermaid`` need no renderer; ``png`` and ``pdf`` use
    ``engine`` or the one ``find_engine`` picks. ``links`` maps called process
    ids to pages (relative URLs) so each call's box links there (SVG only).
    A ``Process`` is costed alone (``analysis.as_process_cost``).

    A ``pdf`` of a diagram too large for one page at a legible scale is the
    map of its parts and the parts, a sheet each on ``paper`` (``A4`` or
    ``Letter``) in landscape, printed by WeasyPrint (``printed``). Without
    WeasyPrint it is one large page, as a smaller diagram is, and a warning
    says what to install.

    Raises:
        RenderError: unknown format or direction, a process too large to draw
            legibly (``check_legible``), no renderer, or the renderer failed.
        UsageError: an unknown paper.
    """
    _check_format(fmt)
    direction = check_direction(direction)
    paper = paper_name(paper)
    cost = as_process_cost(cost)
    check_legible(cost.process)
    if fmt == "mermaid":
        return Drawing(to_mermaid(cost, direction=direction).encode("utf-8"), fmt)
    lanes = swimlane_layout(cost, direction=direction, theme=theme)
    notices: tuple[Notice, ...] = ()
    if fmt == "pdf":
        printed, notices = _printed_pdf(lanes, paper, links)
        if printed is not None:
            return printed
    drawing = draw_scene(draw_swimlanes(lanes, links=links, names=True), fmt, engine=engine)
    if not notices:
        return drawing
    notices += drawing.notices
    return replace(drawing, warnings=tuple(map(str, notices)), notices=notices)


def _printed_pdf(
    lanes: Swimlanes, paper: str, links: Mapping[str, str] | None
) -> tuple[Drawing | None, tuple[Notice, ...]]:
    """The diagram's printed pages as a PDF, or ``None`` when it prints on one page (and,
    when that is for want of WeasyPrint, the notice saying what to install)."""
    html = printed_html(lanes, paper=paper, links=links)
    if html is None:
        return None, ()
    problem = pdf_problem()
    if problem is None:
        return Drawing(report_pdf(html), "pdf", "weasyprint"), ()
    notice = Notice.of(
        "notice.pdf_one_page", reason=problem.message, paper=paper, install=problem.hint or ""
    )
    return None, (notice,)


#: Files a Mermaid diagram is written into as a ```mermaid block rather than bare.
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: The format each file extension names, so ``-o flow.png`` draws a PNG.
FILE_SUFFIXES: Mapping[str, str] = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    **dict.fromkeys(MARKDOWN_SUFFIXES, "mermaid"),
}


def file_bytes(drawing: Drawing, name: str | PurePath) -> bytes:
    """What to write to the file ``name``: Mermaid going into a Markdown file sits in a
    ```mermaid block, which is what GitHub and GitLab draw; anything else as drawn
    (a bare ``.mmd`` file is what the Mermaid CLI and editors read)."""
    if drawing.format == "mermaid" and PurePath(name).suffix.lower() in MARKDOWN_SUFFIXES:
        return (fenced(drawing.data.decode("utf-8"), "mermaid") + "\n").encode("utf-8")
    return drawing.data


def draw_scene(scene: Scene, fmt: str, *, engine: Engine | None = None) -> Drawing:
    """A laid-out scene (a diagram or a Gantt chart) as ``svg``, ``dot``, ``png`` or ``pdf``."""
    if fmt == "svg":
        return Drawing(to_svg(scene).encode("utf-8"), fmt)
    if fmt == "dot":
        return Drawing(scene_digraph(scene).source.encode("utf-8"), fmt)
    engine = engine or find_engine()
    engine.check_format(fmt)
    source = scene_digraph(scene, fontname=ENGINE_FONTS[engine.name]).source
    data = engine.run(source, fmt, options=_FORMAT_OPTIONS.get(fmt, ()))
    if fmt == "pdf":
        data = _normalise_pdf(data)
    notice = cjk_notice(engine, source)
    notices = () if notice is None else (notice,)
    return Drawing(data, fmt, engine.name, tuple(map(str, notices)), notices)


def render(cost: ProcessCost | Process, fmt: str, *, direction: str = "LR") -> bytes:
    """The diagram as ``svg``, ``png``, ``pdf``, ``dot`` or ``mermaid`` bytes."""
    return draw(cost, fmt, direction=direction).data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")


def _normalise_pdf(data: bytes) -> bytes:
    """PDF without the time it was drawn (cairo writes it and ignores SOURCE_DATE_EPOCH).

    The date is replaced by one of the same length, so the cross-reference
    table's byte offsets stay right.
    """
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:19700101000000", data)
