"""Reading YAML so that every value remembers where it came from.

PyYAML's ``safe_load`` forgets source positions, keeps the last of two
duplicate keys and happily expands alias bombs. We let libyaml (C) compose the
node tree, then build plain Python values ourselves: that keeps a line and
column for every key and value, rejects duplicate keys, bounds alias expansion
and nesting, and reads decimals as exact ``Decimal`` so money never passes
through binary floating point.
"""

from __future__ import annotations

import datetime as _dt
import gc
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .blockyaml import NOT_BLOCK, block_values
from .errors import InputError, Problem, quoted_names

__all__ = [
    "MAX_BYTES",
    "Document",
    "EmptyFileError",
    "Loc",
    "NumberLiteral",
    "SourceMap",
    "parse_yaml",
    "read_document",
]

#: Larger files are refused: no hand-written process comes near this.
MAX_BYTES = 5 * 1024 * 1024
#: How deep mappings and lists may nest; a process needs about six levels.
MAX_DEPTH = 64
#: How many values aliases may add to a document, so alias bombs stop early.
MAX_ALIAS_NODES = 100_000
#: Longest number (in decimal digits) a value may have; no figure in a process needs more.
MAX_DIGITS = 100

try:  # libyaml is much faster; the pure-Python loader gives the same marks.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_CONSTRUCTOR = yaml.constructor.SafeConstructor()

#: The first characters of the plain scalars the resolver may read as more than
#: text, for the line reader; ``None`` if the resolver was customised.
_BLOCK_STARTS: frozenset[str] | None = (
    None
    if _Loader.yaml_path_resolvers or None in _Loader.yaml_implicit_resolvers  # type: ignore[attr-defined]
    else frozenset(_Loader.yaml_implicit_resolvers)  # type: ignore[attr-defined]
)

#: A path into the document, as pydantic reports it: ``("steps", 2, "time")``.
Loc = tuple[str | int, ...]


class NumberLiteral(str):
    """A YAML 1.1 integer that is not a plain decimal: ``045``, ``1:30``, ``0x1F``, ``0o17``.

    YAML 1.1 reads these as octal, base 60, hexadecimal or binary (``rate: 045``
    is 37, ``1:30`` is 90), while editors following the JSON Schema, and people,
    read decimals. They stay text as typed: a text field keeps ``1:30``, and a
    number field refuses it with a message saying how to write the number.
    """

    __slots__ = ("kind", "reading")

    kind: str
    reading: int | Decimal

    def __new__(cls, text: str, kind: str, reading: int | Decimal) -> NumberLiteral:
        literal = super().__new__(cls, text)
        literal.kind = kind
        literal.reading = reading
        return literal

    def __reduce__(self) -> tuple[Any, ...]:
        return (NumberLiteral, (str(self), self.kind, self.reading))


class SourceMap:
    """Line and column (1-based) of each value and each mapping key in one file.

    A map made with ``text=`` fills itself from that text on first use: most
    files load without a problem to point at, so reading them skips recording
    positions (see ``parse_yaml``), and a portfolio of thousands of files does
    not hold a position for every value in memory.
    """

    __slots__ = ("_keys", "_lines", "_pending", "_text", "_values", "path")

    def __init__(
        self,
        path: str,
        values: dict[Loc, tuple[int, int]] | None = None,
        keys: dict[Loc, tuple[int, int]] | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self.path = path
        self._values: dict[Loc, tuple[int, int]] = {} if values is None else values
        self._keys: dict[Loc, tuple[int, int]] = {} if keys is None else keys
        # Kept as UTF-8: a str with one character beyond Latin-1 takes two or four
        # bytes for every character, and a portfolio keeps thousands of these.
        self._text = None if text is None else text.encode("utf-8", "surrogatepass")
        self._pending = self._text
        self._lines: list[str] | None = None

    @property
    def values(self) -> dict[Loc, tuple[int, int]]:
        if self._pending is not None:
            self._fill()
        return self._values

    @property
    def keys(self) -> dict[Loc, tuple[int, int]]:
        if self._pending is not None:
            self._fill()
        return self._keys

    @property
    def text(self) -> str | None:
        """The whole text the map was made from, if it was (a scenario re-reads it)."""
        return None if self._text is None else self._text.decode("utf-8", "surrogatepass")

    def line(self, number: int) -> str | None:
        """The text of line ``number`` (1-based), when the map was made from text."""
        if self._text is None or number < 1:
            return None
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self._text.decode("utf-8", "surrogatepass"))
        return self._lines[number - 1] if number <= len(self._lines) else None

    def _fill(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            _parse_located(pending.decode("utf-8", "surrogatepass"), self.path, self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceMap):
            return NotImplemented
        return (self.path, self.values, self.keys) == (other.path, other.values, other.keys)

    def __repr__(self) -> str:
        return f"SourceMap({self.path!r}, {len(self.values)} values, {len(self.keys)} keys)"

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """The nearest known position for ``loc``, walking up to its parents."""
        table = self.keys if key else self.values
        if key and loc in table:
            return table[loc]
        probe = tuple(loc)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (None, None))

    def problem(
        self, loc: Loc, message: str, *, hint: str | None = None, key: bool = False
    ) -> Problem:
        line, column = self.locate(loc, key=key)
        return Problem(message, path=self.path, line=line, column=column, hint=hint)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML file: its data and where each value stands in the text.

    ``problems`` are the mistakes a parse asked to ``defer`` read past (a
    duplicate key, its first value kept; an impossible date, read as none): the
    caller reports them with its own checks of the data, so one run shows them
    all.
    """

    data: Any
    source: SourceMap
    problems: tuple[Problem, ...] = ()


def read_document(path: Path, *, display: str | None = None, defer: bool = False) -> Document:
    """Read and parse one YAML file, refusing anything that is not a small UTF-8 text.

    With ``defer``, a duplicate key or an impossible date is left in
    ``Document.problems`` for the caller to report (it must); otherwise it is
    raised at once.
    """
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size / 1024 / 1024:.1f} MB, too large to be a process",
                path=shown,
                hint=f"process files are at most {MAX_BYTES // 1024 // 1024} MB; split it",
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=shown) from None
    except FileNotFoundError:
        raise InputError("no such file", path=shown, hint="check the path") from None
    except PermissionError:
        raise InputError("permission denied", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            "file is too large to be a process",
            path=shown,
            hint=f"process files are at most {MAX_BYTES // 1024 // 1024} MB; split it",
        )
    return parse_yaml(decode(raw, shown), shown, defer=defer)


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 only (a UTF-8 byte-order mark is accepted and dropped)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "file is UTF-16, not UTF-8",
            path=shown,
            line=1,
            column=1,
            hint="save it as UTF-8",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            "file contains NUL bytes: it is binary, not a YAML text",
            path=shown,
            line=line,
            hint="sopkit reads UTF-8 YAML text (process, roles and scenario files)",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            path=shown,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None


def parse_yaml(text: str, shown: str = "<string>", *, defer: bool = False) -> Document:
    """Parse one YAML document from text; see the module docstring for why by hand.

    A document in the plain block style process files are written in is read
    a line at a time (``blockyaml``); another plain document (no anchors,
    tags, duplicate or merge keys, odd scalars) in one pass over libyaml's
    events. Neither records positions: the ``SourceMap`` records them from the
    same text when first asked. Anything else, including every file with a
    problem, takes the located path below, so errors and their positions are
    the same. ``defer`` is ``read_document``'s.
    """
    # The values built here form no reference cycles, so the cycle collector has
    # nothing to find; pausing it makes large files parse about three times faster.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = _NOT_PLAIN
        if _BLOCK_STARTS is not None:
            data = block_values(text, _plain_scalar, _BLOCK_STARTS, _TEXT)
        if data is _NOT_PLAIN:
            data = _plain_values(text)
        if data is not _NOT_PLAIN:
            return Document(data, SourceMap(shown, text=text))
        source = SourceMap(shown, text=text)
        source._pending = None  # filled below, by the located parse itself
        data, deferred = _parse_located(text, shown, source, defer=defer)
        return Document(data, source, deferred)
    finally:
        if collecting:
            gc.enable()


def _parse_located(
    text: str, shown: str, source: SourceMap, *, defer: bool = False
) -> tuple[Any, tuple[Problem, ...]]:
    """Parse ``text``, recording the position of every value and key in ``source``.

    Returns the data and, with ``defer``, the problems it read past (without, they
    are raised).
    """
    loader = _Loader(text)
    try:
        _check_depth(text, shown)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if _is_libyaml_depth_limit(exc):
            _count_depth_in_python(text, shown)
        raise _yaml_error(exc, shown, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, shown, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks every other error
        raise InputError(f"not valid YAML: {exc}", path=shown, hint="fix the YAML syntax") from None
    except RecursionError:
        raise InputError(
            "document nests too deeply", path=shown, hint=f"at most {MAX_DEPTH} levels"
        ) from None
    finally:
        loader.dispose()
    if node is None:
        raise EmptyFileError("file is empty", path=shown, line=1, column=1, hint=_EMPTY_HINT)
    builder = _Builder(source)
    data = builder.build(node, (), 0)
    if builder.problems or (builder.duplicates and not defer):
        raise InputError.collect(builder.problems + builder.duplicates)
    return data, tuple(builder.duplicates)


#: ``_plain_values`` could not read the text alone: take the located path.
_NOT_PLAIN: Any = NOT_BLOCK
_STR_TAG = "tag:yaml.org,2002:str"
_NO_KEY: Any = object()


def _plain_values(text: str) -> Any:
    """The document's values, if it is plain; else ``_NOT_PLAIN``.

    Equal to what ``_Builder`` makes from the composed tree whenever it
    reports no problem (same resolver, same scalar constructors); everything
    the builder would refuse or treat specially sends the text back to it.
    """
    loader = _Loader(text)
    table = loader.yaml_implicit_resolvers
    if loader.yaml_path_resolvers or None in table:  # a customised resolver
        loader.dispose()
        return _NOT_PLAIN
    get_event = loader.get_event
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start, document_end = yaml.SequenceStartEvent, yaml.DocumentEndEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    # The open collections, innermost (``top``) last: [container, pending key or
    # _NO_KEY] for a mapping, [list, None] for a list.
    stack: list[list[Any]] = []
    top: list[Any] | None = None
    root: Any = _NOT_PLAIN
    try:
        if not isinstance(get_event(), yaml.StreamStartEvent):
            return _NOT_PLAIN
        if not isinstance(get_event(), yaml.DocumentStartEvent):
            return _NOT_PLAIN  # empty: the located path says so
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None or event.tag not in (None, "!"):
                    return _NOT_PLAIN
                value = event.value
                if top is not None and top[1] is _NO_KEY:
                    if value in top[0] or value == "<<":
                        return _NOT_PLAIN  # duplicate or merge key
                    top[1] = value
                    continue
                # A plain scalar that could be more than text: resolve it as
                # BaseResolver.resolve does, and construct it as the builder would.
                if event.implicit[0] and value[:1] in table:
                    constructed = _plain_scalar(value)
                    if constructed is _NOT_PLAIN:
                        return _NOT_PLAIN
                    if constructed is not _TEXT:
                        value = constructed
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag not in (None, "!"):
                    return _NOT_PLAIN
                if top is not None and top[1] is _NO_KEY:
                    return _NOT_PLAIN  # a collection as a mapping key
                if len(stack) >= MAX_DEPTH:
                    return _NOT_PLAIN
                top = [{}, _NO_KEY] if kind is mapping_start else [[], None]
                stack.append(top)
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = stack.pop()[0]
                top = stack[-1] if stack else None
            elif kind is document_end:
                break
            else:  # aliases and anything unforeseen
                return _NOT_PLAIN
            if top is None:
                root = value
            elif top[1] is None:
                top[0].append(value)
            else:
                top[0][top[1]] = value
                top[1] = _NO_KEY
        if not isinstance(get_event(), yaml.StreamEndEvent):
            return _NOT_PLAIN  # a second document
    except yaml.YAMLError:
        return _NOT_PLAIN
    finally:
        loader.dispose()
    return root


#: ``_plain_scalar``'s answer for a scalar that is text.
_TEXT: Any = object()
_NO_MARK = yaml.Mark("", 0, 0, 0, None, 0)


@lru_cache(maxsize=4096)
def _plain_scalar(value: str) -> Any:
    """A plain scalar's value as ``_Builder`` constructs it; ``_TEXT`` when it is text,
    ``_NOT_PLAIN`` when the builder finds a problem (the located path reports it).

    Remembered: every value made here is immutable (numbers, booleans, dates, null),
    and counts, shares and dates repeat across every file of a portfolio.
    """
    tag = _plain_tag(value)
    if tag == _STR_TAG:
        return _TEXT
    builder = _Builder(SourceMap(""))
    constructed = builder._scalar(yaml.ScalarNode(tag, value, _NO_MARK, _NO_MARK))
    return _NOT_PLAIN if builder.problems or builder.duplicates else constructed


@lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    """The tag YAML's resolver gives a plain scalar (``_Loader``'s own resolvers).

    Remembered: durations, counts and shares repeat on every step of every file,
    and each one is tried against several regular expressions.
    """
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]]
    resolvers = _Loader.yaml_implicit_resolvers  # type: ignore[attr-defined]
    for tag, regexp in resolvers.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR_TAG


_EMPTY_HINT = "a process starts with 'sopkit: 1', 'id:', 'name:' and 'steps:'"


class EmptyFileError(InputError):
    """A file with no YAML in it. Its hint says how a process starts; a reader of another
    kind of file (a scenario) catches it to say how that one starts."""


#: Nesting libyaml's composer survives with room to spare (it crashes near 25,000).
_SAFE_COMPOSE_DEPTH = 1000


def _check_depth(text: str, shown: str) -> None:
    """Refuse deep nesting before libyaml composes it: its recursion overflows the C stack.

    ``[[[…]]]`` 25,000 levels deep (50 kB of text) crashes the interpreter with a
    segmentation fault, beyond the reach of ``RecursionError``. The event stream
    is flat, so counting depth on it is safe and costs a fraction of composing.
    """
    if len(text) <= 2 * MAX_DEPTH:
        return
    # Each level of nesting starts with its own '[', '{', '-', '?' or ':', so a text
    # with few of them cannot nest deeply, and skips the second pass over its events.
    if sum(text.count(c) for c in "[{-?:") < _SAFE_COMPOSE_DEPTH:
        return
    try:
        _count_depth(yaml.parse(text, Loader=_Loader), shown)
    except yaml.YAMLError as exc:
        if _is_libyaml_depth_limit(exc):
            _count_depth_in_python(text, shown)
        # any other syntax error is reported, located, when the text is composed


def _is_libyaml_depth_limit(exc: yaml.YAMLError) -> bool:
    """Whether libyaml stopped at its own nesting limit rather than at a syntax error.

    libyaml 0.2.6 (in PyYAML 6.0.4's wheels) refuses more than 1000 levels while
    it scans ahead of the events, before our count reaches ``MAX_DEPTH``.
    """
    return "nesting depth" in str(exc)


def _count_depth_in_python(text: str, shown: str) -> None:
    """Count nesting with PyYAML's pure-Python parser, which has no limit of its own.

    Only reached when libyaml hit its limit, so the text nests more than
    ``MAX_DEPTH`` levels; the pure-Python scanner looks at most a line ahead
    (1024 characters in flow context), so it stops near level ``MAX_DEPTH + 1``
    and reports exactly where that is.
    """
    try:
        _count_depth(yaml.parse(text, Loader=yaml.SafeLoader), shown)
    except yaml.YAMLError:
        return  # a syntax error before the limit: composing reports it
    except RecursionError:  # pragma: no cover - the parser is iterative
        pass
    raise InputError(  # pragma: no cover - libyaml counted past the limit, so do we
        "document nests too deeply", path=shown, hint=f"at most {MAX_DEPTH} levels"
    )


def _count_depth(events: Iterator[yaml.Event], shown: str) -> None:
    """Raise sopkit's own error at the first collection nested past ``MAX_DEPTH``."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InputError(
                    "document nests too deeply",
                    path=shown,
                    line=None if mark is None else mark.line + 1,
                    column=None if mark is None else mark.column + 1,
                    hint=f"at most {MAX_DEPTH} levels",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_error(exc: yaml.MarkedYAMLError, shown: str, text: str = "") -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    hint = "fix the YAML syntax"
    wide = _full_width_near(text, mark)
    if wide is not None:  # an IME's '：' or '　' looks right and is not YAML's
        line, column, char = wide
        return InputError(
            f"not valid YAML: {problem}",
            path=shown,
            line=line,
            column=column,
            hint=f"the full-width '{char}' ({_WIDE[char]}) is not YAML's: type "
            f"{_NARROW[char]} on the Latin keyboard",
        )
    opened = _open_quote_before(text, mark)
    if opened is not None and mark is not None:
        line, column = opened
        return InputError(
            f"not valid YAML: {problem}",
            path=shown,
            line=line,
            column=column,
            hint=f"the quote opened here is not closed on its line, so YAML read on to line "
            f"{mark.line + 1}: close it (or quote the whole text on one line)",
        )
    opener = _open_bracket(exc)
    context = exc.context_mark
    if opener is not None and mark is not None and context is not None:
        if context.line < mark.line:
            bracket, closer = opener
            return InputError(
                f"not valid YAML: the '{bracket}' opened here is not closed on its line",
                path=shown,
                line=context.line + 1,
                column=context.column + 1,
                hint=f"YAML read on to line {mark.line + 1} looking for its '{closer}': close "
                f"it on this line; a text holding a comma inside {bracket}…{closer} needs quotes",
            )
    if "\t" in problem or "'\\t'" in problem or _tab_near(text, mark):
        hint = "YAML does not allow tabs for indentation; use spaces"
    elif "expected a single document" in str(exc):
        problem = "more than one YAML document ('---') in the file"
        hint = "put one process in each file"
    elif any(sign in str(exc) for sign in _INDENTATION_SIGNS):
        hint = (
            "check the indentation here and on the line above: the fields of one mapping "
            "line up under each other (a step's under its 'id:'), and a text holding ': ' "
            "needs quotes"
        )
    return InputError(
        f"not valid YAML: {problem}",
        path=shown,
        line=None if mark is None else mark.line + 1,
        column=None if mark is None else mark.column + 1,
        hint=hint,
    )


#: What libyaml says when a line is indented more or less than its neighbours.
_INDENTATION_SIGNS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "mapping values are not allowed",
    "expected <block end>",
)

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


#: Characters a Korean, Japanese or Chinese input method types in place of YAML's own.
_WIDE = {"\uff1a": "U+FF1A", "\u3000": "U+3000", "\uff0c": "U+FF0C", "\uff03": "U+FF03"}
_NARROW = {"\uff1a": "':'", "\u3000": "a space", "\uff0c": "','", "\uff03": "'#'"}


def _full_width_near(text: str, mark: yaml.Mark | None) -> tuple[int, int, str] | None:
    """The first full-width ':', space, ',' or '#' outside quotes on the line libyaml
    stopped on or the one before (it notices one a line late): (line, column, char)."""
    if mark is None or not text or not any(char in text for char in _WIDE):
        return None
    lines = _LINE_BREAK.split(text, maxsplit=mark.line + 1)
    for index in (mark.line - 1, mark.line):
        if not 0 <= index < len(lines):
            continue
        for column, char in enumerate(lines[index]):
            if char in "\"'" or lines[index][column : column + 2] == " #":
                break  # quoted text or a comment may hold any character
            if char in _WIDE:
                return index + 1, column + 1, char
    return None


#: A value that opens a quote: ``name: "…`` or ``- "…`` (the key part without quotes).
_OPENS_QUOTE = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s#'"][^#'"]*?:\s+|-\s+))(["'])(.*)$""")


def _open_quote_before(text: str, mark: yaml.Mark | None) -> tuple[int, int] | None:
    """Where a quoted value that is not closed on its line opens, above the line libyaml
    stopped on: (line, column). A sopkit file's texts are one line each (a longer text
    is a ``>-`` block), so such a quote is almost always a forgotten one."""
    if mark is None or not text or mark.line == 0:
        return None
    lines = _LINE_BREAK.split(text, maxsplit=mark.line + 1)[: mark.line]
    for index, line in enumerate(lines):
        found = _OPENS_QUOTE.match(line)
        if found is None:
            continue
        quote, rest = found.group(2), found.group(3)
        closed = rest.replace('\\"', "").count('"') if quote == '"' else rest.count("'") % 2
        if not closed:
            return index + 1, len(found.group(1)) + 1
    return None


def _open_bracket(exc: yaml.MarkedYAMLError) -> tuple[str, str] | None:
    """``("{", "}")`` or ``("[", "]")`` when libyaml stopped looking for the end of a
    ``{…}`` or ``[…]`` it was reading (its ``context_mark`` is where that opens)."""
    if exc.context_mark is None or not exc.context:
        return None
    if "flow mapping" in exc.context:
        return "{", "}"
    if "flow sequence" in exc.context:
        return "[", "]"
    return None


def _tab_near(text: str, mark: yaml.Mark | None) -> bool:
    """Whether the line libyaml stopped on has a tab up to where it stopped."""
    if mark is None or not text or "\t" not in text:
        return False
    lines = _LINE_BREAK.split(text, maxsplit=mark.line + 1)
    if mark.line >= len(lines):
        return False
    return "\t" in lines[mark.line][: mark.column + 1]


def _reader_error(exc: yaml.reader.ReaderError, shown: str, text: str) -> InputError:
    """A character YAML refuses (a control character): say which and where."""
    code = exc.character if isinstance(exc.character, int) else None
    line = column = None
    if code is not None:
        index = text.find(chr(code))
        if index >= 0:
            before = text[:index]
            line = len(_LINE_BREAK.findall(before)) + 1
            starts = [m.end() for m in _LINE_BREAK.finditer(before)]
            column = index - (starts[-1] if starts else 0) + 1
    what = "a character" if code is None else f"the control character U+{code:04X}"
    return InputError(
        f"not valid YAML: {what} is not allowed in a YAML file",
        path=shown,
        line=line,
        column=column,
        hint="remove it; it often comes with text pasted from another program",
    )


#: Ints longer than ``MAX_DIGITS`` decimal digits, in any base (``0x…``, ``1:30``).
_MAX_INT_BITS = int(MAX_DIGITS * 3.33)

_VALUE_TAG = "tag:yaml.org,2002:value"
_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
_PLAIN_DECIMAL = re.compile(r"^[-+]?(\d[\d_]*)?(\.[\d_]*)?([eE][-+]?\d+)?$")


class _Builder:
    """Turns a composed node tree into Python values, recording positions."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        # Problems the data is sound without: a duplicate key (the first value is
        # kept), an impossible date (read as no date). Raised, or deferred to the loader.
        self.duplicates: list[Problem] = []
        # Values an alias may still add: a bomb is stopped, not expanded.
        self.budget = MAX_ALIAS_NODES
        self.active: set[int] = set()
        self.seen: set[int] = set()
        self.expanding: tuple[int, int] | None = None

    def _problem(
        self, node: yaml.Node, message: str, hint: str | None = None, *, sound: bool = False
    ) -> None:
        """Record a problem; a ``sound`` one leaves the data as good as the file meant."""
        mark = node.start_mark
        (self.duplicates if sound else self.problems).append(
            Problem(
                message,
                path=self.source.path,
                line=mark.line + 1,
                column=mark.column + 1,
                hint=hint,
            )
        )

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        mark = node.start_mark
        self.source.values[loc] = (mark.line + 1, mark.column + 1)
        if depth >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            # The same count as ``_check_depth``: the 65th list or mapping inside another.
            self._problem(node, "document nests too deeply", f"at most {MAX_DEPTH} levels")
            raise InputError.collect(self.problems)
        ident = id(node)
        if ident in self.active:
            self._problem(node, "an alias refers to itself", "remove the recursive '*alias'")
            raise InputError.collect(self.problems)
        if ident not in self.seen:
            self.seen.add(ident)
            return self._value(node, loc, depth)
        # Reached again through an alias: every value from here on is one the alias adds.
        self.budget -= 1
        if self.expanding is not None:
            if self.budget < 0:
                line, column = self.expanding
                self.problems.append(
                    Problem(
                        "aliases expand to too many values (an alias bomb?)",
                        path=self.source.path,
                        line=line,
                        column=column,
                        hint="write the values out or use fewer '*alias' references",
                    )
                )
                raise InputError.collect(self.problems)
            return self._value(node, loc, depth)
        # The outermost alias being expanded: a bomb is reported where it is used, which
        # is the key it is the value of, or the list it is an item of.
        parent = self.source.keys.get(loc) if loc and isinstance(loc[-1], str) else None
        self.expanding = parent or self.source.values.get(
            loc[:-1], (mark.line + 1, mark.column + 1)
        )
        try:
            return self._value(node, loc, depth)
        finally:
            self.expanding = None

    def _value(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            self._problem(node, f"unsupported YAML tag '{_short(node.tag)}'", "remove the '!tag'")
            return None
        ident = id(node)
        self.active.add(ident)
        try:
            if isinstance(node, yaml.SequenceNode):
                items: list[Any] = []
                for item in node.value:
                    for part in self._items(item, loc):
                        items.append(self.build(part, (*loc, len(items)), depth + 1))
                return items
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, loc, depth)
        finally:
            self.active.discard(ident)

    def _items(self, node: yaml.Node, loc: Loc) -> list[yaml.Node]:
        """The list items ``node`` holds: one, unless it is a block mapping that repeats
        its keys, the mark of an item written without its ``- ``.

        Forgetting the ``- `` before ``id: tips`` merges that step into the one above,
        and each of its fields becomes a duplicate key. Its ``remove one of them`` would
        delete the step, and the steps naming it would name no step: so it is said once,
        with the fix, and the item is read as the separate items it was meant to be (the
        file is refused all the same). Where one item ends and the next begins is
        ``_missing_dashes``' rule.
        """
        if not isinstance(node, yaml.MappingNode) or len(node.value) < 4 or node.flow_style:
            return [node]
        pairs = node.value
        keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in pairs]
        splits = _missing_dashes(keys)
        if not splits:
            return [node]
        starts = [0]
        for start, again in splits:
            self._new_item(pairs, starts[-1], start, again, loc)
            starts.append(start)
        bounds = [*starts, len(pairs)]
        return [
            yaml.MappingNode(
                node.tag,
                pairs[start:end],
                pairs[start][0].start_mark,
                pairs[end - 1][1].end_mark,
                flow_style=False,
            )
            for start, end in itertools.pairwise(bounds)
        ]

    def _new_item(
        self, pairs: list[Any], start: int, index: int, again: list[str], loc: Loc
    ) -> None:
        """Report the keys from ``pairs[index]`` on as an item missing its ``- ``."""
        what = "step" if loc[-1:] == ("steps",) else "item"
        key_node, value_node = pairs[index]
        written = f"{key_node.value}: {value_node.value}"
        if not isinstance(value_node, yaml.ScalarNode) or len(written) > 40:
            written = f"{key_node.value}:"
        self._problem(
            key_node,
            f"{what} at line {pairs[start][0].start_mark.line + 1} repeats {quoted_names(again)}",
            f"did you forget '- ' before '{written}' to start a new {what}?",
            sound=True,
        )

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a mapping key must be a plain name", "use 'name: value'")
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(
                    key_node, "merge keys ('<<') are not supported", "write the fields out"
                )
                continue
            key = key_node.value
            if key in result:
                first = self.source.keys[(*loc, key)]
                self._problem(
                    key_node,
                    f"duplicate key '{key}' (first at line {first[0]})",
                    "remove one of them; YAML keeps only one",
                    sound=True,
                )
                continue
            mark = key_node.start_mark
            self.source.keys[(*loc, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result

    def _too_long(self, node: yaml.ScalarNode) -> None:
        self._problem(
            node,
            "number has too many digits",
            f"numbers have at most {MAX_DIGITS} digits; check the value",
        )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str" or tag == _VALUE_TAG:
            return node.value  # YAML 1.1 reads a bare '=' as a "value key": it is text
        if tag == "tag:yaml.org,2002:int":
            try:
                number = _CONSTRUCTOR.construct_yaml_int(node)
            except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
                number = None
            if number is None or number.bit_length() > _MAX_INT_BITS:
                self._too_long(node)
                return None
            kind = _non_decimal_kind(node.value)
            return number if kind is None else NumberLiteral(node.value, kind, number)
        if tag == "tag:yaml.org,2002:float":
            if len(node.value) > MAX_DIGITS + 10:
                self._too_long(node)
                return None
            try:
                exact = _decimal(node.value)
                return NumberLiteral(node.value, "base 60", exact) if ":" in node.value else exact
            except (OverflowError, ValueError, InvalidOperation):
                self._too_long(node)
                return None
        if tag == "tag:yaml.org,2002:bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                value = _CONSTRUCTOR.construct_yaml_timestamp(node)
            except ValueError as exc:
                # Read past (no date): the file's other mistakes are still checked.
                self._problem(
                    node, f"not a valid date: {exc}", "write dates as YYYY-MM-DD", sound=True
                )
                return None
            return value.date() if isinstance(value, _dt.datetime) else value
        self._problem(node, f"unsupported YAML tag '{_short(tag)}'", "remove the '!tag'")
        return None


_NON_DECIMAL = (
    (re.compile(r"^[-+]?0[xX]"), "hexadecimal"),
    (re.compile(r"^[-+]?0[oO]"), "octal"),
    (re.compile(r"^[-+]?0[bB]"), "binary"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$"), "base 60"),
    (re.compile(r"^[-+]?0[0-9_]+$"), "octal"),
)


def _missing_dashes(keys: Sequence[str | None]) -> list[tuple[int, list[str]]]:
    """Where the items merged into one mapping by a forgotten ``- `` begin: for each
    item after the first, the index of its first key and its keys the item above has
    too. ``None`` stands for a key that is not a plain name, and never repeats.

    The keys of each item are all different, so trouble starts at the first key that
    comes again: the item above ends somewhere before its first key written again,
    and a new item starts no later than that. But people write one step's keys in
    another order than the last one's (``id, name, owner, time``, then ``name, id,
    owner, time``, or ``name, owner, time, id``), and keys written twice further down
    one step (``name`` and ``time`` again) are duplicates, not a step. So:

    - A new item has the first key of the item above again (a step's ``id``, or
      ``name`` if that step starts with it): keys twice without it are duplicates.
    - The new item is the stretch of different keys around the place where that first
      key comes again: forward from it to the first key written twice in the stretch,
      and back from it over keys not in the stretch, but never back past the first
      key of the item above written again. Keys before that one are the item above's
      (each is there once, so nothing says they are the new item's), while a key
      written twice just above the stretch (``time: 1h``, ``time: 2h``, then ``id:
      tips``) is the item above's duplicate, not the new item's first key.
    - The stretch must hold two or more keys of the item above, its first key among
      them; one key again is a duplicate key, as in any mapping. If it does not, the
      keys up to where the first key came again are the item above's, and the next
      key written again after that is tried by the same rule.

    The next item is looked for from the end of the stretch. No key is looked at more
    than a few times, so a mapping of one key written 100,000 times costs no more
    than reading it.
    """
    splits: list[tuple[int, list[str]]] = []
    start, index = 0, 0
    seen: set[str] = set()
    checked = -1  # where the first key came again without starting an item
    while index < len(keys):
        key = keys[index]
        if key is None or key not in seen or index <= checked:
            if key is not None:
                seen.add(key)
            index += 1
            continue
        # ``index`` is a key of the item written again: where its first key comes again.
        first = keys[start]
        again_at = next((at for at in range(index, len(keys)) if keys[at] == first), None)
        if first is None or again_at is None:
            break  # the rest is this item's, duplicate keys and all
        stretch: set[str] = set()
        end = again_at
        while end < len(keys) and (key := keys[end]) not in stretch:
            if key is not None:
                stretch.add(key)
            end += 1
        begin = again_at
        while begin > index and (key := keys[begin - 1]) not in stretch:
            if key is not None:
                stretch.add(key)
            begin -= 1
        # The item above: the keys seen, and those between ``index`` and the stretch.
        between = set(keys[index:begin])
        again = [k for k in keys[begin:end] if k is not None and (k in seen or k in between)]
        if len(again) < 2:
            # Starting later only shortens the stretch: no item starts around ``again_at``.
            checked = again_at
            continue
        splits.append((begin, again))
        start, seen, index = begin, stretch, end
    return splits


def _non_decimal_kind(text: str) -> str | None:
    """How YAML 1.1 reads an integer that is not written in plain decimal, or ``None``."""
    if text.isdigit() and (text[0] != "0" or len(text) == 1):
        return None  # the common case, decided without a regex
    for pattern, kind in _NON_DECIMAL:
        if pattern.match(text):
            return kind
    return None


def _short(tag: str) -> str:
    """``tag:yaml.org,2002:python/object`` as written: ``!!python/object``."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _decimal(text: str) -> Decimal:
    """Exact value of a YAML float, so ``0.3`` stays three tenths."""
    cleaned = text.replace("_", "")
    lowered = cleaned.lower()
    if lowered.endswith((".inf", "inf")):
        return Decimal("-Infinity") if lowered.startswith("-") else Decimal("Infinity")
    if lowered.endswith("nan"):
        return Decimal("NaN")
    if _PLAIN_DECIMAL.match(cleaned):
        try:
            return Decimal(cleaned)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            pass
    # Sexagesimal and other YAML 1.1 oddities: fall back on PyYAML's reading.
    return Decimal(repr(float(_CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode("", text)))))
