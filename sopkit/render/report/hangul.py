"""Korean words kept whole when the report prints.

Korean breaks lines between words (the spaces), not inside them; CSS says so with
``word-break: keep-all``, which WeasyPrint does not implement, so Pango breaks a
narrow table cell between any two syllables ("검사 / 기"). Here each word of
Hangul text in the page's body is wrapped in a ``nowrap`` span: lines still break
at the spaces, never inside a word. Markup, the stylesheet and the SVG chart are
left as they are.
"""

from __future__ import annotations

import re

__all__ = ["KEEP_CLASS", "keep_hangul_words"]

#: The class of the spans; the report's stylesheet makes it ``white-space: nowrap``.
KEEP_CLASS = "kw"
_TAG = re.compile(r"(<[^>]*>)")
#: A word (no spaces) with at least one Hangul syllable: "검사기로", "(도구:", "2026년".
_WORD = re.compile(r"[^\s<>]*[\uac00-\ud7a3][^\s<>]*")
#: Elements whose text is not the page's: the head, the stylesheet, the SVG chart.
_SKIPPED = ("head", "style", "svg", "title", "script")


def keep_hangul_words(html: str) -> str:
    """``html`` with every Hangul word of its body's text in a ``nowrap`` span."""
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
            out.append(_WORD.sub(lambda m: f'<span class="{KEEP_CLASS}">{m.group(0)}</span>', part))
    return "".join(out)
