"""How diagrams look, as data: themes (colours, line widths, text sizes), fonts, contrast.

Nothing here knows about processes. The swimlane drawing and the Gantt chart
ask for a ``Theme`` by name and read its fields; callers may override any of
them with ``Theme.with_overrides``. Colours are always ``#rrggbb``: Debian's
Graphviz 2.43 draws 3-digit hex colours (``#eef``) as black.

The automation scale is sequential and colour-blind safe (a viridis-like ramp
that also reads as light → dark in greyscale print); meaning is never carried
by colour alone: the critical path is heavier lines, rework is dashed with an
open arrowhead, conditional steps are dashed boxes, sign-offs double boxes,
calls thick boxes with a ⊞ mark, milestones double rings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
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
#: glyph) and SVG viewers (a CSS font list): Latin and Cyrillic from Noto Sans /
#: DejaVu / Liberation, Hangul from Noto Sans CJK KR (Debian: fonts-noto-cjk).
FONTS = "Noto Sans,Noto Sans CJK KR,DejaVu Sans,Liberation Sans,Arial,sans-serif"

#: graphviz-pure draws text with built-in metrics for a few names only, and a
#: family list makes it fall back to Times widths. It draws PNGs with its
#: bundled Arimo, which covers Latin and Cyrillic.
ENGINE_FONTS: Mapping[str, str] = MappingProxyType({"dot": FONTS, "graphviz-pure": "Arial"})

_HEX = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True, slots=True)
class Theme:
    """Every visual choice of a diagram; the drawing code only combines these.

    ``scale`` runs from the smallest to the largest net automation saving.
    Sizes are points.
    """

    name: str
    scale: tuple[str, ...]
    background: str = "#ffffff"
    plain_fill: str = "#ffffff"
    text: str = "#1a1a1a"
    light_text: str = "#ffffff"
    muted_text: str = "#4d4d4d"
    # lanes
    band_fill: str = "#f7f7f7"
    band_alt_fill: str = "#efefef"
    band_stroke: str = "#b3b3b3"
    header_fill: str = "#e3e3e3"
    external_fill: str = "#fbf6ea"
    external_header_fill: str = "#f1e7cf"
    system_fill: str = "#eaf0f7"
    system_header_fill: str = "#d6e2ef"
    events_fill: str = "#ffffff"
    #: a lane's name written again along a wide diagram: light, still legible on a band
    lane_name_text: str = "#7a7a7a"
    # steps
    step_stroke: str = "#4d4d4d"
    step_width: float = 1.0
    system_step_fill: str = "#dce7f3"
    critical_stroke: str = "#1a1a1a"
    critical_width: float = 2.6
    call_width: float = 2.8
    milestone_fill: str = "#ffffff"
    corner: float = 6.0
    # arrows
    edge: str = "#666666"
    edge_width: float = 1.1
    critical_edge: str = "#1a1a1a"
    critical_edge_width: float = 2.2
    rework: str = "#5e3c99"
    rework_width: float = 1.2
    # text
    # whole points: Graphviz 2.43 drops the fraction of an HTML label's point-size
    title_size: float = 17.0
    summary_size: float = 11.0
    name_size: float = 11.0
    detail_size: float = 10.0
    header_size: float = 11.0
    small_size: float = 10.0
    # box sizes
    box_width: float = 168.0
    min_box_width: float = 112.0
    header_width: float = 132.0
    padding: float = 6.0
    milestone_size: float = 26.0
    milestone_label_width: float = 120.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            colours = value if item.name == "scale" else (value,)
            for colour in colours:
                if isinstance(colour, str) and colour.startswith("#") and not _HEX.match(colour):
                    raise ValueError(f"theme colours are #rrggbb in lowercase, not {colour!r}")

    def with_overrides(self, **values: Any) -> Theme:
        """This theme with some fields replaced, caller's values last.

        ``theme.with_overrides(name_size=12)`` keeps everything else; unknown
        names are rejected with the list of valid ones.
        """
        valid = [item.name for item in fields(self) if item.name != "name"]
        for key in values:
            if key not in valid:
                raise RenderError(
                    f"unknown diagram theme setting '{key}'",
                    hint=f"use one of: {', '.join(valid)}",
                )
        return replace(self, **values)


# ColorBrewer YlGnBu (a viridis-like ramp, colour-blind safe and print friendly),
# light to dark so "more saving" is "more ink" in greyscale print too. The
# lightest class is skipped so a candidate never looks like a plain step.
_YLGNBU = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
# Light to dark grey for black-and-white printers and slides.
_GREYS = ("#f0f0f0", "#cccccc", "#969696", "#636363", "#252525")

_BASE = Theme(name="default", scale=_YLGNBU)

THEMES: Mapping[str, Theme] = MappingProxyType(
    {
        "default": _BASE,
        "grey": replace(
            _BASE,
            name="grey",
            scale=_GREYS,
            rework="#404040",
            external_fill="#f4f4f4",
            external_header_fill="#e6e6e6",
            system_fill="#f0f0f0",
            system_header_fill="#dddddd",
            system_step_fill="#e8e8e8",
        ),
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
