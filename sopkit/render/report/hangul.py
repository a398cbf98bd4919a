"""Korean words kept whole when the report prints.

Korean breaks lines between words (the spaces), not inside them; CSS says so with
``word-break: keep-all``, which WeasyPrint does not implement, so Pango breaks a
narrow table cell between any two syllables ("검사 / 기"). Here each word of
Hangul text in the page's body is wrapped in a ``nowrap`` span: lines still break
at the spaces, never inside a word. Markup, the stylesheet and the SVG chart are
left as they are.

A word wider than its cell (a name written without spaces,
``분기별통합마케팅커뮤니케이션…``) cannot stay whole: as a ``nowrap`` span it ran over
the next columns and pushed a table off the page. The site's stylesheet breaks such a
word (``overflow-wrap: break-word``), which WeasyPrint cannot do inside ``nowrap``.
So a word of more than ``LONG_SYLLABLES`` syllables is an inline block instead: kept
whole where it fits on a line, broken between syllables only where it is wider than
its cell, and counted 7em wide at most when a table sizes its columns (a shorter word
counts its own width). Shorter words stay ``nowrap``, so a table cannot squeeze them.
"""

from __future__ import annotations

import re

__all__ = ["KEEP_CLASS", "LONG_CLASS", "LONG_SYLLABLES", "keep_hangul_words"]

#: The class of the spans; the report's stylesheet makes it ``white-space: nowrap``.
KEEP_CLASS = "kw"
#: The class of a word of more than ``LONG_SYLLABLES`` syllables: an inline block at
#: least 7em wide (9 syllables are 8.3em in Noto Sans CJK KR, so the least width never
#: pads a word with blank space).
LONG_CLASS = "kl"
#: Syllables past which a word may break; hardly a word of Korean prose is longer.
LONG_SYLLABLES = 8
_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_TAG = re.compile(r"(<[^>]*>)")
#: A word (no spaces) with at least one Hangul syllable: "검사기로", "(도구:", "2026년".
_WORD = re.compile(r"[^\s<>]*[\uac00-\ud7a3][^\s<>]*")
#: Elements whose text is not the page's: the head, the stylesheet, the SVG chart.
_SKIPPED = ("head", "style", "svg", "title", "script")


def _span(word: re.Match[str]) -> str:
    text = word.group(0)
    kind = LONG_CLASS if len(_SYLLABLE.findall(text)) > LONG_SYLLABLES else KEEP_CLASS
    return f'<span class="{kind}">{text}</span>'


def keep_hangul_words(html: str) -> str:
    """``html`` with every Hangul word of its body's text in a span: ``nowrap``, or for
    a word too long to be sure of fitting, one that breaks only where it must."""
    out: list[str] = []
    skipping: list[str] = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            tag = name.group(1).lower() if name else ""
            if tag in _SKIPPED and not part.endswith("/>"):
                if part.startswith("</"):
                    if skipping and skipping[-1] == tag:
                        skipping.pop()
                else:
                    skipping.append(tag)
            out.append(part)
        elif skipping or not part:
            out.append(part)
        else:
            out.append(_WORD.sub(_span, part))
    return "".join(out)
