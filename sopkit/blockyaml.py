"""A line reader for the plain block YAML that process files are written in.

libyaml hands Python one event object (with two position marks) per key,
value and bracket: for a small process file that costs more than everything
sopkit does with the file afterwards. Nearly every process file is written
in a narrow style (block mappings and lists, ``key: value`` lines, one-line
``[a, b]`` and ``{k: v}``, simple quoted text, ``|`` and ``>`` prose), and
that style can be read a line at a time with string methods.

``block_values`` reads only that style and gives up (``NOT_BLOCK``) at the
first thing outside it: a tab, a comment after a value, an anchor, a tag, an
escape, a multi-line plain or quoted scalar, a duplicate key, an odd
indentation, anything libyaml might read differently or refuse. The caller
then reads the text with libyaml as before, so whatever is read here is read
exactly as libyaml would read it (tests compare the two on every file they
can find and on generated documents), and every error still comes from the
located path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["NOT_BLOCK", "GiveUp", "block_values", "read_strictly"]

#: ``block_values`` gave up: read the text with libyaml.
NOT_BLOCK: Any = object()


class GiveUp(Exception):
    """Raised deep inside the reader; ``block_values`` turns it into ``NOT_BLOCK``."""


#: Text that libyaml might read differently line by line: tabs, other line
#: breaks (CR, NEL, LS, PS), byte-order marks, and characters YAML does not
#: allow in a stream (libyaml refuses them with a located error).
_UNUSUAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
#: Document markers and directives, which this reader leaves to libyaml.
_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)
#: Characters a plain scalar (a key or a value) may not start with in this style.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: What may not appear in a plain item of ``[a, b]`` or ``{k: v}``.
_FLOW_UNSAFE = re.compile(r"[\[\]{}#:'\"]")
#: What may not appear inside simple quoted text in ``[...]`` or ``{...}``.
_FLOW_QUOTE_UNSAFE = re.compile(r"[\[\]{},\\]")
#: ``|``, ``>``, ``|-``, ``>+``: a block scalar header without indentation digits.
_BLOCK_HEADERS = frozenset(("|", "|-", "|+", ">", ">-", ">+"))
#: libyaml refuses a key longer than 1,024 characters; longer ones go to it.
_MAX_KEY = 1000
#: Deeper documents go to libyaml, which checks the depth limit itself.
_MAX_DEPTH = 40


def block_values(
    text: str, scalar: Callable[[str], Any], starts: frozenset[str], text_marker: Any
) -> Any:
    """The document's values if ``text`` is in the plain block style, else ``NOT_BLOCK``.

    ``scalar`` gives the value of a plain scalar whose first character is in
    ``starts`` (the resolver's patterns start there, so it may be more than
    text): ``text_marker`` for text, ``NOT_BLOCK`` for a value the located
    path must report. Every other plain scalar is text.
    """
    try:
        return read_strictly(text, scalar, starts, text_marker)
    except GiveUp:
        return NOT_BLOCK
    except (IndexError, ValueError, TypeError, RecursionError):  # pragma: no cover
        # A slip of this reader must not become the user's traceback: libyaml
        # reads the text instead. The tests call ``read_strictly``, which lets
        # such a slip through.
        return NOT_BLOCK


def read_strictly(
    text: str, scalar: Callable[[str], Any], starts: frozenset[str], text_marker: Any
) -> Any:
    """``block_values`` raising ``GiveUp`` instead of returning ``NOT_BLOCK``, and
    letting any other exception through: for tests."""
    if _UNUSUAL.search(text) is not None or _MARKERS.search(text) is not None:
        raise GiveUp
    return _Reader(text, scalar, starts, text_marker).document()


class _Reader:
    """One pass over the lines; each method reads one construct or gives up."""

    __slots__ = ("_depth", "_lines", "_next", "_scalar", "_starts", "_text_marker")

    def __init__(
        self, text: str, scalar: Callable[[str], Any], starts: frozenset[str], text_marker: Any
    ) -> None:
        self._lines = text.split("\n")
        self._scalar = scalar
        self._starts = starts
        self._text_marker = text_marker
        self._next = 0
        self._depth = 0

    # -- lines ---------------------------------------------------------------

    def _peek(self) -> tuple[int, str] | None:
        """Indentation and content of the next line that holds something."""
        lines = self._lines
        index = self._next
        while index < len(lines):
            line = lines[index]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                self._next = index
                return len(line) - len(content), content.rstrip(" ")
            index += 1
        self._next = index
        return None

    # -- structure -----------------------------------------------------------

    def document(self) -> Any:
        first = self._peek()
        if first is None or first[0] != 0:
            raise GiveUp
        value = self._block(0)
        if self._peek() is not None:
            raise GiveUp
        return value

    def _block(self, indent: int) -> Any:
        """The mapping or list whose lines start at column ``indent``."""
        self._depth += 1
        if self._depth > _MAX_DEPTH:
            raise GiveUp
        line = self._peek()
        assert line is not None and line[0] == indent
        content = line[1]
        if content == "-" or content.startswith("- "):
            value: Any = self._sequence(indent)
        else:
            value = self._mapping(indent)
        self._depth -= 1
        return value

    def _mapping(self, indent: int) -> dict[str, Any]:
        # The hot loop of the reader, so ``_peek`` and ``_value`` are inlined
        # for the common line, ``key: plain text``.
        mapping: dict[str, Any] = {}
        lines = self._lines
        count = len(lines)
        index = self._next
        while index < count:
            line = lines[index]
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                index += 1
                continue
            depth = len(line) - len(content)
            if depth != indent:
                if depth < indent:
                    break
                raise GiveUp
            key, colon, rest = content.partition(":")
            if not colon or (rest and rest[0] != " ") or key in mapping:
                raise GiveUp  # not ``key: ...``, or a duplicate key
            if not key or key[0] in _INDICATORS or key[-1] == " " or "#" in key or key == "<<":
                raise GiveUp
            if len(key) > _MAX_KEY:
                raise GiveUp
            rest = rest.strip(" ")
            if "#" in rest:
                rest = _uncomment(rest)
            index += 1
            if rest and rest[0] not in _INDICATORS:
                if ": " in rest or rest[-1] == ":":
                    raise GiveUp
                mapping[key] = self._resolve(rest) if rest[0] in self._starts else rest
                continue
            self._next = index
            mapping[key] = self._value(rest, indent, in_sequence=False)
            index = self._next
        self._next = index
        return mapping

    def _sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while True:
            line = self._peek()
            if line is None or line[0] < indent:
                return items
            content = line[1]
            if line[0] > indent or not (content == "-" or content.startswith("- ")):
                if line[0] == indent:
                    return items  # a mapping key after a list at the key's own column
                raise GiveUp
            rest = content[2:]
            stripped = rest.lstrip(" ")
            column = indent + 2 + len(rest) - len(stripped)
            if "#" in stripped:
                stripped = _uncomment(stripped)
            if stripped and stripped[0] != "-" and _starts_key(stripped):
                # ``- key: value``: a mapping whose keys line up after the dash.
                self._lines[self._next] = " " * column + stripped
                items.append(self._block(column))
            else:
                self._next += 1
                items.append(self._value(stripped, indent, in_sequence=True))

    def _value(self, rest: str, indent: int, *, in_sequence: bool) -> Any:
        """The value after ``key:`` or ``-`` on a line whose block is at ``indent``."""
        if not rest:
            line = self._peek()
            if line is None or line[0] < indent:
                return None
            if line[0] > indent:
                return self._block(line[0])
            content = line[1]
            if not in_sequence and (content == "-" or content.startswith("- ")):
                return self._block(indent)  # a list at its key's own column
            return None
        first = rest[0]
        if first == '"' or first == "'":
            return _quoted(rest)
        if first == "[":
            return self._flow_sequence(rest)
        if first == "{":
            return self._flow_mapping(rest)
        if rest in _BLOCK_HEADERS and not in_sequence:
            return self._block_scalar(rest, indent)
        return self._plain(rest)

    # -- scalars -------------------------------------------------------------

    def _plain(self, value: str) -> Any:
        if value[0] in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
            raise GiveUp
        return self._resolve(value)

    def _resolve(self, value: str) -> Any:
        if value[0] not in self._starts:
            return value
        constructed = self._scalar(value)
        if constructed is NOT_BLOCK:
            raise GiveUp
        return value if constructed is self._text_marker else constructed

    def _flow_sequence(self, rest: str) -> list[Any]:
        if rest[-1] != "]":
            raise GiveUp
        inner = rest[1:-1].strip(" ")
        if not inner:
            return []
        if _FLOW_UNSAFE.search(inner) is not None:
            return [self._flow_item(item) for item in inner.split(",")]
        # Plain items only, the common case: ``tools: [Canva, Google Docs]``.
        items: list[Any] = [item.strip(" ") for item in inner.split(",")]
        starts = self._starts
        for number, item in enumerate(items):
            if not item or item[0] in _INDICATORS:
                raise GiveUp
            if item[0] in starts:
                items[number] = self._resolve(item)
        return items

    def _flow_mapping(self, rest: str) -> dict[str, Any]:
        if rest[-1] != "}":
            raise GiveUp
        inner = rest[1:-1].strip(" ")
        mapping: dict[str, Any] = {}
        if not inner:
            return mapping
        for item in inner.split(","):
            key, colon, value = item.partition(": ")
            key = key.lstrip(" ")
            if len(key) > _MAX_KEY:
                raise GiveUp  # libyaml counts the spaces before the colon too
            key = key.rstrip(" ")
            if not colon or not key or key in mapping or _FLOW_UNSAFE.search(key):
                raise GiveUp
            if key[0] in _INDICATORS or key == "<<" or len(key) > _MAX_KEY:
                raise GiveUp
            mapping[key] = self._flow_item(value)
        return mapping

    def _flow_item(self, item: str) -> Any:
        item = item.strip(" ")
        if not item:
            raise GiveUp
        if item[0] == '"' or item[0] == "'":
            if _FLOW_QUOTE_UNSAFE.search(item):
                raise GiveUp
            return _quoted(item)
        if item[0] in _INDICATORS or _FLOW_UNSAFE.search(item):
            raise GiveUp
        return self._resolve(item)

    def _block_scalar(self, header: str, indent: int) -> str:
        """``|`` or ``>`` text: its lines are those indented deeper than ``indent``."""
        lines = self._lines
        start = index = self._next
        body: list[str] = []
        column = -1
        while index < len(lines):
            line = lines[index]
            content = line.lstrip(" ")
            if not content:
                if line:
                    raise GiveUp  # spaces on an empty line: libyaml may keep some
                body.append("")
                index += 1
                continue
            depth = len(line) - len(content)
            if depth <= indent:
                break
            if column < 0:
                column = depth
            elif depth < column:
                raise GiveUp  # less indented than the first line: an error in YAML
            body.append(line[column:])
            index += 1
        if column < 0:
            raise GiveUp  # empty text: leave its rules to libyaml
        if index == len(lines) and body[-1] != "":
            raise GiveUp  # the file ends inside the text, without a line break
        # Empty lines after the text belong to what follows unless kept.
        end = len(body)
        while body[end - 1] == "":
            end -= 1
        self._next = start + end
        trailing = len(body) - end
        text_lines = body[:end]
        if text_lines[0] == "":
            raise GiveUp  # empty first lines: leave their rules to libyaml
        if header[0] == ">":
            text = _fold(text_lines)
        else:
            text = "\n".join(text_lines)
        chomp = header[1:]
        if chomp == "-":
            return text
        if chomp == "+":
            self._next = start + len(body)
            if self._next < len(lines) or trailing == 0:
                return text + "\n" * (trailing + 1)
            raise GiveUp  # kept empty lines at the end of the file
        return text + "\n"


def _fold(lines: list[str]) -> str:
    """Folded text: lines join with a space, an empty line is a line break."""
    parts: list[str] = []
    previous_empty = False
    for number, line in enumerate(lines):
        if line[:1] == " ":
            raise GiveUp  # more indented lines keep their breaks: libyaml's rules
        if line == "":
            parts.append("\n")
            previous_empty = True
            continue
        if number and not previous_empty:
            parts.append(" ")
        parts.append(line)
        previous_empty = False
    return "".join(parts)


def _uncomment(rest: str) -> str:
    """A value without the comment after it (``#`` after a space starts one)."""
    if rest[0] == "#":
        return ""
    if rest[0] == '"' or rest[0] == "'":
        end = rest.find(rest[0], 1)
        tail = rest[end + 1 :]
        if end < 0 or "#" not in tail:
            return rest
        if tail[0] != " " or tail.lstrip(" ")[0] != "#":
            raise GiveUp
        return rest[: end + 1]
    cut = rest.find(" #")
    if cut < 0:
        return rest
    value = rest[:cut].rstrip(" ")
    if value[0] in "[{" and ('"' in value or "'" in value):
        raise GiveUp  # the ``#`` may be inside quoted text
    return value


def _starts_key(content: str) -> bool:
    colon = content.find(":")
    return colon > 0 and (colon + 1 == len(content) or content[colon + 1] == " ")


def _split_key(content: str) -> tuple[str, str]:
    """``key: rest`` → (key, rest); gives up on anything but a simple plain key."""
    colon = content.find(":")
    if colon <= 0:
        raise GiveUp
    key = content[:colon]
    after = content[colon + 1 :]
    if after and after[0] != " ":
        raise GiveUp  # ``a:b: c`` or ``key:value``
    if key[0] in _INDICATORS or key[-1] == " " or "#" in key or key == "<<":
        raise GiveUp
    return key, after.lstrip(" ")


def _quoted(rest: str) -> str:
    """Simple one-line quoted text; anything with escapes or inner quotes gives up."""
    quote = rest[0]
    end = rest.find(quote, 1)
    if end != len(rest) - 1:
        raise GiveUp  # text after the closing quote, an inner quote, or no end
    inner = rest[1:end]
    if quote == '"' and "\\" in inner:
        raise GiveUp
    return inner
