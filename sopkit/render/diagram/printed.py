"""A diagram too large for one legible page, as the pages it prints on: a map, then its parts.

Drawn whole on one page, a 35-step diagram is a sheet of 3914 × 1985 pt: fitted
to A4, its 10 pt labels print at 2 pt. The SOP prints it cut into parts at a
legible scale, each repeating its lanes' headers, after a map of the parts
(``pages``). A PDF of the diagram alone uses the same pages, one sheet each, on
A4 or Letter landscape. They are written here as one self-contained HTML page
(an inline SVG per sheet, sized in mm, with a caption above it) for WeasyPrint
to print (``render.pdf``); this module does no I/O and prints nothing.

A diagram that fits one page at the legible scale has no such pages
(``printed_html`` gives ``None``): it prints whole, as it always has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup

from ..i18n import Catalogue, catalogue
from ..numbers import listed
from ..pdf import paper_name
from .pages import PAGE_HEIGHT_MM, PAGE_WIDTH_MM, PrintPage, part_map, print_pages
from .style import FONTS
from .svg import to_svg
from .swimlane import Swimlanes, summary_text

__all__ = ["Sheet", "page_svg", "part_caption", "printed_html", "sheets"]

#: The paper's margins around the printable area ``pages`` sizes its parts for.
MARGIN_MM = 10.0


@dataclass(frozen=True, slots=True)
class Sheet:
    """One printed sheet: its caption's lines (the first in bold) and its picture."""

    caption: tuple[str, ...]
    svg: Markup


def page_svg(page: PrintPage, *classes: str) -> str:
    """A printed page as SVG sized in mm, showing ``page.view`` of its scene."""
    return to_svg(
        page.scene,
        view=page.view,
        width=f"{page.width_mm}mm",
        height=f"{page.height_mm}mm",
        classes=("print-page", *classes),
        ids=False,
    )


def sheets(lanes: Swimlanes, *, links: Mapping[str, str] | None = None) -> list[Sheet]:
    """The map and the parts, each with its caption; none when the diagram fits one
    legible page (see the module docstring)."""
    parts = print_pages(lanes, links=links)
    overview = part_map(lanes, parts, links=links)
    if overview is None:
        return []
    t = catalogue(lanes.cost.process.language.value)
    name, total = lanes.cost.name, str(len(parts))
    first = Sheet(
        (f"{name} · {summary_text(lanes.cost)}", t("diagram.map", total=total)),
        Markup(page_svg(overview, "part-map")),
    )
    return [first, *(_part_sheet(page, name, t) for page in parts)]


def _part_sheet(page: PrintPage, name: str, t: Catalogue) -> Sheet:
    return Sheet((f"{name} · {part_caption(page, t)}",), Markup(page_svg(page)))


def part_caption(page: PrintPage, t: Catalogue) -> str:
    """A printed part's caption: which part of how many, and the parts its arrows lead
    on to (*Part 2 of 15 · continues on parts 3 and 7*), as the SOP and the PDF print it."""
    caption = t("diagram.part", part=str(page.number), total=str(page.total))
    if not page.continues:
        return caption
    parts = listed([str(number) for number in page.continues], t.language)
    return f"{caption} · {t('diagram.continues', len(page.continues), parts=parts)}"


def printed_html(
    lanes: Swimlanes, *, paper: str = "A4", links: Mapping[str, str] | None = None
) -> str | None:
    """The map and parts as one HTML page that prints a sheet each on ``paper`` (``A4``
    or ``Letter``) in landscape; ``None`` when the diagram fits one legible page.

    Raises:
        UsageError: an unknown paper.
    """
    chosen = paper_name(paper)
    found = sheets(lanes, links=links)
    if not found:
        return None
    return _render(lanes.cost.process.language.value, lanes.cost.name, chosen, found)


def _render(language: str, title: str, paper: str, found: Sequence[Sheet]) -> str:
    return (
        _environment()
        .get_template("printed.html.j2")
        .render(
            lang=language,
            title=title,
            paper=paper,
            margin=MARGIN_MM,
            width=PAGE_WIDTH_MM,
            height=PAGE_HEIGHT_MM,
            fonts=FONTS,
            sheets=found,
        )
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sopkit", "templates/diagram"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
