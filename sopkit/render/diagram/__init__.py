"""Workflow diagrams: Graphviz pictures and DOT text, or Mermaid for Markdown.

``dot.build_digraph`` → ``dot.to_dot`` → ``draw``: the first two are pure; ``draw``
runs a Graphviz renderer (see ``engine``) and returns bytes. Nothing here
writes files or prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...analysis import ProcessCost
from ...errors import RenderError
from .common import DIRECTIONS, MAX_ARROWS, MAX_STEPS, check_direction, check_legible
from .dot import build_digraph, to_dot
from .engine import Engine, cjk_warning, find_engine
from .mermaid import to_mermaid
from .style import DEFAULT_THEME, ENGINE_FONTS, Theme

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "IMAGE_FORMATS",
    "MAX_ARROWS",
    "MAX_STEPS",
    "TEXT_FORMATS",
    "Drawing",
    "build_digraph",
    "check_legible",
    "draw",
    "render",
    "to_dot",
    "to_mermaid",
]

TEXT_FORMATS = ("dot", "mermaid")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = (*IMAGE_FORMATS, *TEXT_FORMATS)

#: Extra renderer flags per format: PNGs at 150 dpi stay sharp in docs and slides.
_FORMAT_OPTIONS: Mapping[str, tuple[str, ...]] = {"png": ("-Gdpi=150",)}


@dataclass(frozen=True, slots=True)
class Drawing:
    """A rendered diagram and what the caller should tell the user about it."""

    data: bytes
    format: str
    #: The renderer that drew it (``None`` for DOT and Mermaid text).
    engine: str | None = None
    warnings: tuple[str, ...] = ()


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RenderError(
            f"unknown diagram format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}"
        )
    return fmt


def draw(
    cost: ProcessCost,
    fmt: str,
    *,
    direction: str = "LR",
    theme: str | Theme = DEFAULT_THEME,
    engine: Engine | None = None,
) -> Drawing:
    """The diagram as ``fmt`` bytes, with any warnings for the user (never printed here).

    ``dot`` and ``mermaid`` are text and need no renderer; ``svg``, ``png`` and
    ``pdf`` use ``engine`` or the one ``find_engine`` picks.

    Raises:
        RenderError: unknown format or direction, a process too large to draw
            legibly (``check_legible``), no renderer, or the renderer failed.
    """
    _check_format(fmt)
    check_direction(direction)
    check_legible(cost.process)
    if fmt == "dot":
        return Drawing(to_dot(cost, direction=direction, theme=theme).encode("utf-8"), fmt)
    if fmt == "mermaid":
        return Drawing(to_mermaid(cost, direction=direction).encode("utf-8"), fmt)
    engine = engine or find_engine()
    engine.check_format(fmt)
    graph = build_digraph(
        cost, direction=direction, theme=theme, fontname=ENGINE_FONTS[engine.name]
    )
    source = graph.source
    data = engine.run(source, fmt, options=_FORMAT_OPTIONS.get(fmt, ()))
    if fmt == "svg":
        data = _normalise_svg(data)
    elif fmt == "pdf":
        data = _normalise_pdf(data)
    warning = cjk_warning(engine, source)
    return Drawing(data, fmt, engine.name, (warning,) if warning else ())


def render(cost: ProcessCost, fmt: str, *, direction: str = "LR") -> bytes:
    """The diagram as ``svg``, ``png``, ``pdf``, ``dot`` or ``mermaid`` bytes."""
    return draw(cost, fmt, direction=direction).data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")


def _normalise_pdf(data: bytes) -> bytes:
    """PDF without the time it was drawn (cairo writes it and ignores SOURCE_DATE_EPOCH).

    The date is replaced by one of the same length, so the cross-reference
    table's byte offsets stay right.
    """
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:19700101000000", data)


def _normalise_svg(data: bytes) -> bytes:
    """SVG with Unix line endings and one final newline, whichever renderer drew it."""
    return data.replace(b"\r\n", b"\n").rstrip(b"\n") + b"\n"
