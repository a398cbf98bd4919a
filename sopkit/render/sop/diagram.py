"""The SOP's diagram: swimlanes as inline SVG with printed pages, or Mermaid source."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from ...analysis.cost import ProcessCost
from ...errors import RenderError
from ..diagram import check_legible, to_mermaid, to_svg
from ..diagram.pages import PrintPage, part_map, print_pages
from ..diagram.printed import page_svg, part_caption
from ..diagram.style import get_theme
from ..diagram.swimlane import draw_swimlanes, lane_headers, swimlane_layout
from ..i18n import Catalogue
from ..markdown import code_span
from .screen import screen_size
from .templates import md_escape
from .views import (
    Diagram,
    DiagramPage,
)

#: The look the SOP draws its diagram in (its text sizes set how far it may shrink).
THEME = get_theme()

#: More steps than this and a Mermaid diagram shrunk to a Markdown page's width (GitHub's
#: is under 1,000 px) is too small to read: the SOP says where to see it full size.
MERMAID_STEPS = 25


def diagram_for(
    cost: ProcessCost,
    fmt: str,
    links: Mapping[str, str],
    t: Catalogue,
    picture: str | None = None,
) -> Diagram:
    """Inline SVG and its printed pages for HTML (Mermaid if it cannot be drawn);
    Mermaid for Markdown, with a note under it where the diagram has more than
    ``MERMAID_STEPS`` steps: a link to ``picture`` (the SVG beside a site's page), or
    the command that draws it.

    A process too large to draw legibly is an error, not a fallback to Mermaid.
    """
    check_legible(cost.process)
    if fmt == "html":
        try:
            svg, headers, overview, pages = _diagram_svg(cost, links)
        except RenderError as exc:
            return Diagram(svg=None, mermaid=_mermaid(cost, links), reason=exc.message)
        total = str(len(pages))
        views = tuple(DiagramPage(inline_svg(part), part_caption(page, t)) for part, page in pages)
        if overview is not None:
            views = (DiagramPage(inline_svg(overview), t("diagram.map", total=total)), *views)
        screen = screen_size(svg, headers, min(THEME.small_size, THEME.detail_size))
        return Diagram(
            svg=inline_svg(svg),
            mermaid=None,
            pages=views,
            headers=None if headers is None else inline_svg(headers),
            sizes=None if screen is None else screen.style,
        )
    return Diagram(svg=None, mermaid=_mermaid(cost, links), note=_large_note(cost, t, picture))


def _large_note(cost: ProcessCost, t: Catalogue, picture: str | None) -> Markup | None:
    """Where to see a diagram too large for a Markdown page full size, or ``None``."""
    process = cost.process
    count = len(process.steps)
    if count <= MERMAID_STEPS:
        return None
    if picture is not None:
        link = f"[{md_escape(picture)}]({picture})"
        return Markup(t("diagram.large_picture", count, link=link))
    file = Path(process.source_path).name if process.source_path else f"{process.id}.yaml"
    command = code_span(f"sopkit diagram {file}")
    return Markup(t("diagram.large_command", count, command=command, png=code_span("--format png")))


def _diagram_svg(
    cost: ProcessCost, links: Mapping[str, str]
) -> tuple[str, str | None, str | None, list[tuple[str, PrintPage]]]:
    """The swimlanes left to right as SVG: one for the screen, its lane headers alone
    (to keep in view), the map of the printed parts (``None`` when it prints on one
    page), and one per printed part, with the part."""
    lanes = swimlane_layout(cost, direction="LR")
    whole = to_svg(draw_swimlanes(lanes, links=links))
    strip = lane_headers(lanes)
    headers = None if strip is None else to_svg(strip, classes=("header-strip",), ids=False)
    printed = print_pages(lanes, links=links)
    overview = part_map(lanes, printed, links=links)
    pages = [(page_svg(page), page) for page in printed]
    return whole, headers, None if overview is None else page_svg(overview, "part-map"), pages


def _mermaid(cost: ProcessCost, links: Mapping[str, str]) -> str:
    return to_mermaid(cost, links=links)


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
# Anything that could run script or fetch from the network, were it ever to
# reach the SVG. sopkit escapes all text (and '=' in attributes), so real
# output never matches.
_ACTIVE = re.compile(
    r"<\s*(script|foreignObject|iframe|img|image|use|style)\b"
    r"|<[^>]*\s(on\w+|href|xlink:href)\s*=",
    re.IGNORECASE,
)
#: The one kind of link a diagram may hold: a call's box linking to the SOP of the
#: process it runs, a page beside this one named by its id.
_SIBLING_LINK = re.compile(r'<a href="[a-z0-9][a-z0-9-]*\.html">')


def inline_svg(svg: bytes | str) -> Markup:
    """SVG ready to sit inside HTML: no XML prolog, DOCTYPE or comments.

    Raises:
        RenderError: if the SVG holds scripts, event handlers, external
            references or links other than to a sibling page, which a
            self-contained, safe page cannot have.
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = _PROLOG.sub("", text).strip()
    if not text.startswith("<svg") or _ACTIVE.search(_SIBLING_LINK.sub("<a>", text)):
        raise RenderError("the diagram's SVG is not safe to inline")
    return Markup(text)
