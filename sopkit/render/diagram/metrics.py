"""Text measured before anything is drawn: widths, line heights and wrapping to a width.

Swimlane diagrams and Gantt charts are laid out by sopkit, not by a renderer,
so box sizes come from here. Widths are DejaVu Sans advance widths (see
``_widths.py``), the widest of the fonts the drawings name, so text fits
whichever of them the viewer or Graphviz uses; full-width characters (Hangul,
CJK) are one em, combining marks nothing, anything else unknown a generous
0.7 em. All sizes are in points.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..labels import bracketed, words
from ._widths import WIDTHS

__all__ = ["line_height", "text_width", "wrap_text"]

#: Width of a character the tables do not know, in ems.
_UNKNOWN = 0.7
#: Line spacing as a multiple of the font size.
LEADING = 1.2


def _table(style: str) -> dict[str, float]:
    widths: dict[str, float] = {}
    for first, numbers in WIDTHS[style]:
        for offset, value in enumerate(numbers.split()):
            if value != "0":
                widths[chr(first + offset)] = int(value) / 1000
    return widths


_REGULAR = _table("regular")
_BOLD = _table("bold")


@lru_cache(maxsize=8192)
def _em(char: str, bold: bool) -> float:
    known = (_BOLD if bold else _REGULAR).get(char)
    if known is not None:
        return known
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return _UNKNOWN


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``size`` points."""
    return size * sum(_em(char, bold) for char in text)


def line_height(size: float) -> float:
    """Distance from one baseline to the next at ``size`` points."""
    return size * LEADING


def wrap_text(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` points, broken at spaces where possible,
    and before a bracketed group that fits on a line rather than inside it.

    A word wider than a line is broken after a hyphen or, failing that, between
    characters, so no line is ever wider than ``width``. Line breaks in the
    text are kept; blank lines are dropped.
    """

    def fits(word: str) -> bool:
        return text_width(word, size, bold) <= width

    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in bracketed(words(paragraph, fits=fits), fits):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_word(word, width, size, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        if current:
            lines.append(current)
    return lines or [""]


def _split_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word in pieces that each fit, preferring breaks after hyphens."""
    pieces: list[str] = []
    rest = word
    while text_width(rest, size, bold) > width and len(rest) > 1:
        cut = 1
        while cut < len(rest) and text_width(rest[: cut + 1], size, bold) <= width:
            cut += 1
        hyphen = rest.rfind("-", 0, cut)
        if hyphen > 0:
            cut = hyphen + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces
