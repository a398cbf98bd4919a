"""How workflow diagrams look, as data: themes, attribute dicts, fonts and colour scales.

Nothing here knows about processes. ``diagram.py`` asks for a ``Theme`` by name
and merges its dicts into Graphviz attributes; callers may override any of
them. Colours are always ``#rrggbb``: Debian's Graphviz 2.43 draws 3-digit hex
colours (``#eef``) as black.

The automation scale is sequential and colour-blind safe (a viridis-like ramp
that also reads as light → dark in greyscale print); meaning is never carried
by colour alone: the critical path is heavier lines, rework is dashed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from ...errors import RenderError

__all__ = [
    "DEFAULT_THEME",
    "ENGINE_FONTS",
    "FONTS",
    "THEMES",
    "Theme",
    "contrast_text",
    "get_theme",
]

#: For system Graphviz (Pango/fontconfig takes a family list and falls back per
#: glyph): Latin and Cyrillic from Noto Sans / DejaVu / Liberation, Hangul from
#: Noto Sans CJK KR (Debian: fonts-noto-cjk). SVG viewers read it as a CSS list.
FONTS = "Noto Sans,Noto Sans CJK KR,DejaVu Sans,Liberation Sans,Arial,sans-serif"

#: graphviz-pure lays text out with built-in metrics for a few names only, and
#: a family list makes it fall back to Times widths (text would overflow). It
#: draws PNGs with its bundled Arimo, which covers Latin and Cyrillic.
ENGINE_FONTS: Mapping[str, str] = MappingProxyType({"dot": FONTS, "graphviz-pure": "Arial"})

_HEX = re.compile(r"^#[0-9a-f]{6}$")


def _frozen(**attrs: str) -> Mapping[str, str]:
    return MappingProxyType(dict(attrs))


@dataclass(frozen=True, slots=True)
class Theme:
    """Every visual choice of a diagram; diagram.py only combines these.

    ``scale`` runs from the smallest to the largest net automation saving.
    """

    name: str
    graph: Mapping[str, str]
    node: Mapping[str, str]
    edge: Mapping[str, str]
    lane: Mapping[str, str]
    critical_node: Mapping[str, str]
    critical_edge: Mapping[str, str]
    rework_edge: Mapping[str, str]
    scale: tuple[str, ...]
    plain_fill: str = "#ffffff"
    text: str = "#1a1a1a"
    light_text: str = "#ffffff"
    muted_text: str = "#4d4d4d"
    lane_text: str = "#333333"
    title_size: int = 18
    name_size: int = 12
    detail_size: int = 10
    wrap: int = 28

    def __post_init__(self) -> None:
        colours = [*self.scale, self.plain_fill, self.text, self.light_text, self.muted_text]
        for colour in colours:
            if not _HEX.match(colour):
                raise ValueError(f"theme colours are #rrggbb in lowercase, not {colour!r}")

    def with_overrides(self, **groups: Mapping[str, Any]) -> Theme:
        """This theme with some attribute dicts extended, caller's values last.

        ``theme.with_overrides(node={"fontsize": "12"})`` keeps every other node
        attribute; unknown groups are rejected with the list of valid ones.
        """
        valid = ("graph", "node", "edge", "lane", "critical_node", "critical_edge", "rework_edge")
        changes: dict[str, Mapping[str, str]] = {}
        for group, attrs in groups.items():
            if group not in valid:
                raise RenderError(
                    f"unknown diagram attribute group '{group}'",
                    hint=f"use one of: {', '.join(valid)}",
                )
            merged = {**getattr(self, group), **{k: str(v) for k, v in attrs.items()}}
            changes[group] = MappingProxyType(merged)
        return replace(self, **changes)  # type: ignore[arg-type]


# ColorBrewer YlGnBu (a viridis-like ramp, colour-blind safe and print friendly),
# light to dark so "more saving" is "more ink" in greyscale print too. The
# lightest class is skipped so a candidate never looks like a plain step.
_YLGNBU = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
# Light to dark grey for black-and-white printers and slides.
_GREYS = ("#f0f0f0", "#cccccc", "#969696", "#636363", "#252525")

_BASE = Theme(
    name="default",
    graph=_frozen(
        bgcolor="#ffffff",
        fontsize="12",
        pad="0.3",
        nodesep="0.35",
        ranksep="0.55",
        newrank="true",
        labelloc="t",
        labeljust="l",
        fontcolor="#1a1a1a",
        outputorder="edgesfirst",
    ),
    node=_frozen(
        shape="box",
        style="rounded,filled",
        color="#4d4d4d",
        penwidth="1",
        margin="0.12,0.06",
        fontcolor="#1a1a1a",
    ),
    edge=_frozen(
        color="#666666",
        penwidth="1.2",
        arrowsize="0.7",
        fontcolor="#333333",
    ),
    lane=_frozen(
        style="rounded,filled",
        color="#b3b3b3",
        fillcolor="#f7f7f7",
        penwidth="1",
        labeljust="l",
        labelloc="t",
        margin="12",
    ),
    critical_node=_frozen(penwidth="3", color="#1a1a1a"),
    critical_edge=_frozen(penwidth="3", color="#1a1a1a", arrowsize="0.8"),
    rework_edge=_frozen(style="dashed", color="#4d4d4d", constraint="false", penwidth="1.2"),
    scale=_YLGNBU,
)

THEMES: Mapping[str, Theme] = MappingProxyType(
    {
        "default": _BASE,
        "grey": replace(_BASE, name="grey", scale=_GREYS),
    }
)

DEFAULT_THEME = "default"


def get_theme(name: str | Theme = DEFAULT_THEME) -> Theme:
    """A theme by name (or the theme itself); unknown names list the valid ones."""
    if isinstance(name, Theme):
        return name
    try:
        return THEMES[name]
    except KeyError:
        raise RenderError(
            f"unknown diagram theme '{name}'", hint=f"use one of: {', '.join(sorted(THEMES))}"
        ) from None


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contrast_text(fill: str, theme: Theme) -> str:
    """Dark text on light fills, light text on dark ones: whichever contrasts more."""
    dark, light = theme.text, theme.light_text
    return dark if _contrast(fill, dark) >= _contrast(fill, light) else light
