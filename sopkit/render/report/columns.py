"""Column widths for the report's long tables, so the printer need not measure every cell.

A table with one row per process (the cost and the ranges tables) is most
of a large report's pages. Laid out automatically, WeasyPrint measures every
cell's text twice before it places any; with the widths of the figure
columns given (``table-layout: fixed``) it measures none. The widths are
estimated here from the figures themselves, rounded up: the widest figure
(the totals row's in bold) or the header's longest word, whichever is wider,
measured in the widest font the report may print in (DejaVu Sans); the name
column takes what is left. When the figures would leave the names
too little room, no widths are given and the table is laid out as before.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..labels import words

__all__ = ["figure_widths"]

#: The narrowest page the report prints on (A4, 15 mm margins), in points.
PAGE_WIDTH = 510.0
#: The share of the width the figure columns may take; the names keep the rest.
MOST = 0.85
#: Cell padding, 4pt each side, in points.
PADDING = 8.0
#: Characters narrower than a digit, in ems (DejaVu Sans; its digits are 0.64, bold 0.70).
_NARROW = {",": 0.32, ".": 0.32, ":": 0.34, ";": 0.34, " ": 0.32, "(": 0.4, ")": 0.4}
_BOLD = 1.1


def _em(char: str) -> float:
    """A character's width in ems, rounded up: figures exactly, letters at their widest."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char.isdigit() or char in "+-−–":
        return 0.64
    if char in "$€£¥₩₽":
        return 0.8
    return _NARROW.get(char, 0.9 if char.isupper() or char in "%—mwMW" else 0.66)


def _width(text: str, size: float) -> float:
    return sum(_em(c) for c in text) * size


def _longest_word(text: str, size: float) -> float:
    """The widest piece of a header that must not wrap: a word, or the whole of a header
    with wide characters (Pango would break a Korean word between its syllables)."""
    if any(unicodedata.east_asian_width(c) in ("W", "F") for c in text):
        return _width(text, size)
    return max((_width(word, size) for word in words(text)), default=0.0)


def figure_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    totals: Sequence[str] = (),
    *,
    size: float = 8.0,
    header_size: float = 7.5,
) -> list[str]:
    """Widths in points (as CSS lengths) of the figure columns, or ``[]`` to leave them be.

    Args:
        headers: the figure columns' headers (set in bold).
        rows: each row's figures, one per header.
        totals: the totals row's figures (set in bold), if the table has one.
        size: the figures' font size in points.
        header_size: the headers' font size in points.
    """
    widths = []
    for i, header in enumerate(headers):
        widest = max((_width(row[i], size) for row in rows), default=0.0)
        if totals:
            widest = max(widest, _width(totals[i], size) * _BOLD)
        word = _longest_word(header, header_size) * _BOLD
        widths.append(max(widest, word) + PADDING)
    if sum(widths) > PAGE_WIDTH * MOST:
        return []
    return [f"{w:.1f}pt" for w in widths]
