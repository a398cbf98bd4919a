"""The one place user text is escaped for diagram labels (Graphviz and Mermaid).

Every piece of text from a process file (step names, roles, tool names) goes
through here before it reaches a label, so no name can add nodes, edges or
attributes, and every character shows literally:

- ``html_text`` for Graphviz HTML-like labels (``label=<...>``): ``html.escape``,
  backslashes doubled (Graphviz expands ``\\N``, ``\\G``... even inside HTML
  labels, after entities are decoded), newlines as ``<br/>``, and characters
  XML cannot hold replaced by U+FFFD.
- ``dot_quoted`` for ordinary quoted DOT strings (``tooltip="..."``).
- ``mermaid_text`` for Mermaid ``"..."`` labels, with Mermaid entity codes.

``wrap`` breaks long text into lines by display width (CJK characters count
double), so labels stay readable in any language.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable

__all__ = [
    "bold",
    "bracketed",
    "close_bidi",
    "dot_quoted",
    "html_label",
    "html_lines",
    "html_text",
    "mermaid_text",
    "plain_text",
    "text_width",
    "wrap",
    "xml_attribute",
    "xml_text",
]

REPLACEMENT = "\ufffd"

# C0 controls except tab/newline/carriage return, DEL, C1 controls, surrogates and
# the two non-characters XML 1.0 forbids. Graphviz's XML parser rejects them.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINE = re.compile(r"\r\n|\r|\n")


#: Whitespace a line may break at: all but the no-break spaces that hold a figure
#: together (Russian ``81 000,00 ₽`` is written with U+00A0).
_BREAKABLE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def words(text: str, fits: Callable[[str], bool] | None = None) -> list[str]:
    """The words of ``text`` a line may break between; ``str.split()`` would also break
    at no-break spaces, splitting an amount across two lines.

    With ``fits`` (whether a word fits on a line), a word that does not is split at
    its no-break spaces (a phrase pasted with them throughout), so a line breaks there
    before it cuts a word between letters.
    """
    found = [word for word in _BREAKABLE.split(text) if word]
    if fits is None:
        return found
    return [
        part for word in found for part in ([word] if fits(word) else _NO_BREAK.split(word)) if part
    ]


_NO_BREAK = re.compile(r"[\u00a0\u2007\u202f]+")
_OPENING, _CLOSING = "([（", ")]）"


def bracketed(found: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``found``'s words with each bracketed group that fits on a line as one word, so a
    line breaks before the group rather than inside it: ``연 ₩6,664,000`` /
    ``(현금 ₩4,000,000)``, not ``(현금`` / ``₩4,000,000)``. A group wider than a line
    keeps its words, to break between them.

    A group starts at a word that opens more brackets than it closes and ends at the
    first word where the count is back to where it started. Looking that word up from
    each start made a label with thousands of unclosed ``(`` take seconds; the depth
    before each word (a running sum) and, for each word, the next depth no higher than
    its own, found in one pass from the end, give every group's end in linear time.
    """
    ends = _group_ends(found)
    out: list[str] = []
    index = 0
    while index < len(found):
        end = ends[index]
        if end is not None:
            group = " ".join(found[index : end + 1])
            if fits(group):
                out.append(group)
                index = end + 1
                continue
        out.append(found[index])
        index += 1
    return out


def _group_ends(found: list[str]) -> list[int | None]:
    """For each word, the last word of the bracketed group it opens, or ``None`` where
    it opens none (it closes as many brackets as it opens) or the group never closes."""
    depth = [0]  # depth[k]: brackets open before word k
    for word in found:
        depth.append(
            depth[-1] + sum(word.count(c) for c in _OPENING) - sum(word.count(c) for c in _CLOSING)
        )
    # next_low[k]: the first k' > k with depth[k'] <= depth[k]; the group from word k
    # then ends at word k' - 1.
    next_low: list[int | None] = [None] * len(depth)
    stack: list[int] = []
    for k in range(len(depth) - 1, -1, -1):
        while stack and depth[stack[-1]] > depth[k]:
            stack.pop()
        next_low[k] = stack[-1] if stack else None
        stack.append(k)
    ends: list[int | None] = []
    for k in range(len(found)):
        after = next_low[k]
        ends.append(after - 1 if after is not None and depth[k + 1] > depth[k] else None)
    return ends


def _clean(text: str) -> str:
    return _UNSAFE.sub(REPLACEMENT, text).replace("\t", " ")


def plain_text(text: str) -> str:
    """One line of plain text: unsafe characters replaced, whitespace runs collapsed.

    For places that show text as-is but cannot hold line breaks (a Mermaid title).
    """
    return " ".join(words(_clean(text)))


def html_text(text: str) -> str:
    """Text for a Graphviz HTML-like label: shows literally, newlines become ``<br/>``.

    ``]`` is written ``&#93;``: Graphviz 2.43 rejects a text that is only ``]`` or
    ``]]`` (``<b>]</b>``) as a syntax error.
    """
    lines = _NEWLINE.split(_clean(text))
    return "<br/>".join(
        html.escape(line.replace("\\", "\\\\"), quote=True).replace("]", "&#93;") for line in lines
    )


def html_lines(lines: Iterable[str]) -> str:
    """Several lines of user text, each escaped, joined with ``<br/>``."""
    return "<br/>".join(html_text(line) for line in lines)


def bold(markup: str) -> str:
    """Already-escaped markup in bold."""
    return f"<b>{markup}</b>"


def html_label(markup: str) -> str:
    """Markup (already escaped) as a DOT HTML-like label value: ``<...>``.

    The ``graphviz`` package passes a value that starts with ``<`` and ends
    with ``>`` through unquoted, which is what makes it an HTML-like label.
    """
    return f"<{markup}>"


def dot_quoted(text: str) -> str:
    """Text as a quoted DOT string (with the quotes), for non-label attributes.

    Backslashes are doubled so ``\\N`` and friends stay literal, quotes are
    escaped, and newlines become ``\\n``.
    """
    cleaned = _clean(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _NEWLINE.sub("\\\\n", cleaned) + '"'


# Mermaid decodes "#name;" / "#123;" entity codes inside "..." labels. Escaping
# '#' first keeps a literal "#quot;" in a step name literal too.
_MERMAID = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#38;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    "|": "#124;",
    "`": "#96;",
    "\\": "#92;",
}
_MERMAID_RE = re.compile("|".join(re.escape(c) for c in _MERMAID))


#: Mermaid turns a literal backslash-n into a line break in labels that have several
#: lines, even when the backslash was an entity code; an invisible word joiner
#: (U+2060) between them keeps "\\n" as written.
_BACKSLASH_N = "#92;#8288;n"


def mermaid_text(text: str) -> str:
    """Text for a Mermaid ``"..."`` label: entity codes for anything Mermaid parses."""
    lines = _NEWLINE.split(_clean(text))
    return "<br/>".join(
        _MERMAID_RE.sub(lambda m: _MERMAID[m.group(0)], line).replace("#92;n", _BACKSLASH_N)
        for line in lines
    )


def text_width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count as two."""
    if text.isascii():  # no ASCII character is wide: the common case, without a lookup each
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def padded(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` display columns (``str.ljust`` counts a
    Hangul syllable as one column, so Korean names left their columns ragged)."""
    return text + " " * max(0, width - text_width(text))


def _chunks(word: str, width: int) -> list[str]:
    """A word wider than a line, cut into line-sized pieces."""
    pieces, current = [], ""
    for ch in word:
        if current and text_width(current + ch) > width:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current] if current else pieces


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns, breaking at spaces when possible (and
    before a bracketed group that fits on a line rather than inside it).

    Explicit newlines are kept; a word longer than a line is cut.
    """

    def fits(word: str) -> bool:
        return text_width(word) <= width

    lines: list[str] = []
    for paragraph in _NEWLINE.split(text):
        current = ""
        for word in bracketed(words(paragraph, fits=fits), fits):
            for piece in _chunks(word, width) if text_width(word) > width else [word]:
                candidate = f"{current} {piece}" if current else piece
                if current and text_width(candidate) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = candidate
        lines.append(current)
    return lines


def xml_text(text: str) -> str:
    """One line of user text for SVG: escaped, unsafe characters replaced, one line."""
    return html.escape(plain_text(text), quote=True)


_ATTRIBUTE = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;", "=": "&#61;"}


def xml_attribute(text: str) -> str:
    """User text as an SVG attribute value that reads back exactly.

    Line breaks and tabs are character references (XML would turn them into
    spaces), and ``=`` too, so no value ever looks like ``name=value`` to a
    scanner; characters XML cannot hold become U+FFFD.
    """
    escaped = html.escape(_UNSAFE.sub(REPLACEMENT, text), quote=True)
    return re.sub("[\n\r\t=]", lambda m: _ATTRIBUTE[m.group(0)], escaped)


_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
_ISOLATES = "\u2066\u2067\u2068"
_PDF, _PDI = "\u202c", "\u2069"


def close_bidi(text: str) -> str:
    """``text`` with the PDF/PDI characters that close the embeddings, overrides and
    isolates it leaves open, innermost first: for text cut short (a truncated label),
    whose closing characters were cut off with its end."""
    open_: list[str] = []
    for ch in text:
        if ch in _EMBEDDINGS:
            open_.append(_PDF)
        elif ch in _ISOLATES:
            open_.append(_PDI)
        elif ch == _PDF and open_ and open_[-1] == _PDF:
            open_.pop()
        elif ch == _PDI and _PDI in open_:
            while open_.pop() != _PDI:
                pass
    return text + "".join(reversed(open_))
