"""The line reader reads exactly what libyaml reads, or gives up.

``sopkit.blockyaml`` may only ever be a faster way to the same values: every
document it accepts must give the values libyaml's events give (the event
reader in ``sopkit.source``, itself held to the located path by
``test_benchmarks.py``), and anything libyaml refuses or reads specially it
must leave alone, so errors keep coming from the located path.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopkit import source
from sopkit.blockyaml import NOT_BLOCK, GiveUp, block_values, read_strictly

ROOT = Path(__file__).resolve().parent.parent


def _lines(text: str) -> Any:
    """The line reader's answer; any exception but giving up fails the test
    (``block_values`` itself would hide it by handing the text to libyaml)."""
    assert source._BLOCK_STARTS is not None
    try:
        return read_strictly(text, source._plain_scalar, source._BLOCK_STARTS, source._TEXT)
    except GiveUp:
        return NOT_BLOCK


def test_block_values_is_the_strict_reader_giving_up_quietly() -> None:
    assert source._BLOCK_STARTS is not None
    for text in ("a: 1\n", "a: 1\na: 2\n"):
        read = block_values(text, source._plain_scalar, source._BLOCK_STARTS, source._TEXT)
        assert _same(read, _lines(text))


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, keys in the same order (NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal) and a.is_nan():
        return repr(a) == repr(b)
    return bool(a == b)


def _check(text: str) -> bool:
    """True if the line reader accepted ``text``; fails if it read it differently."""
    read = _lines(text)
    if read is NOT_BLOCK:
        return False
    events = source._plain_values(text)
    assert events is not source._NOT_PLAIN, (
        f"the line reader accepted what libyaml refuses:\n{text}"
    )
    assert _same(read, events), f"read differently:\n{text}\n{read!r}\n{events!r}"
    return True


def _yaml_files() -> list[Path]:
    found = [
        path
        for pattern in ("processes/**/*.yaml", "tests/**/*.yaml", "tests/**/*.yml")
        for path in ROOT.glob(pattern)
        if "node_modules" not in path.parts
    ]
    return sorted(found)


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_and_its_one_line_edits(path: Path) -> None:
    """Each YAML file of the project, and each copy with one line dropped or shifted."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return  # a bad-input case about encodings: never reaches either reader
    lines = text.split("\n")
    _check(text)
    for number in range(len(lines)):
        before, line, after = lines[:number], lines[number], lines[number + 1 :]
        for edited in ([], [" " + line], [line[1:]], [line, line]):
            _check("\n".join([*before, *edited, *after]))


def test_the_library_is_read_by_lines() -> None:
    """The speed matters for files like the library's: most of them take the fast path."""
    files = sorted((ROOT / "processes").glob("*/*.yaml"))
    accepted = [path.name for path in files if _check(path.read_text(encoding="utf-8"))]
    assert len(accepted) >= len(files) - 3, accepted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: text\n", {"a": 1, "b": "text"}),
        ("a: x # note\nb: 'y' # note\nc: [p, q] # note\n", {"a": "x", "b": "y", "c": ["p", "q"]}),
        ("a: C#\n", {"a": "C#"}),
        ("- a: #\n    b: 1\n", [{"a": {"b": 1}}]),  # the comment does not move the column
        ("a:\n- 1\n- 2\nb: 3\n", {"a": [1, 2], "b": 3}),
        ("a:\n  - k: 1\n    l: [x, y]\n  - k: 2\n", {"a": [{"k": 1, "l": ["x", "y"]}, {"k": 2}]}),
        ("a: |\n  one\n    two\n\nb: 1\n", {"a": "one\n  two\n", "b": 1}),
        ("a: |-\n  one\n  two\n\n", {"a": "one\ntwo"}),
        ("a: |+\n  one\n\n\nb: 1\n", {"a": "one\n\n\n", "b": 1}),
        ("a: >-\n  one\n  two\n\n  three\n", {"a": "one two\nthree"}),
        ("a: >\n  one\n\n\n  two\n", {"a": "one\n\ntwo\n"}),
        ("a: {k: v, n: 2026-01-15}\n", {"a": {"k": "v", "n": source._plain_scalar("2026-01-15")}}),
        ("a: ''\nb: \"\"\nc: []\nd: {}\ne:\n", {"a": "", "b": "", "c": [], "d": {}, "e": None}),
    ],
)
def test_reads(text: str, expected: Any) -> None:
    assert _check(text)
    assert _same(_lines(text), expected)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the located path reports it
        "<<: {a: 1}\n",  # merge key
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # tags
        "a:\tb\n",  # tabs
        "a: b\r\nc: d\r\n",  # other line breaks
        "---\na: 1\n",  # document markers
        "a: one\n  two\n",  # a plain scalar over two lines
        'a: "one\n  two"\n',  # quoted text over two lines
        'a: "x\\ty"\n',  # escapes
        "a: 'it''s'\n",  # an inner quote
        "a: [x,\n  y]\n",  # a flow list over two lines
        'a: [x, "y, z"]\n',  # a comma inside quotes
        "a: >\n  one\n    more\n",  # a more indented folded line
        "a: |\n  one\n  ",  # spaces on the last line
        "a: |+\n  one\n\n",  # kept empty lines at the end of the file
        "a: |\n  one",  # no line break at the end
        "- a: b # c\n      d: e\n",  # not valid YAML (a comment after the first key)
        "k" * 1100 + ": v\n",  # a key longer than libyaml allows
        "a: {" + "k" * 1100 + ": v}\n",
        "a: {k" + " " * 1024 + ": v}\n",  # libyaml counts the spaces before the colon
        "a: b: c\n",  # not valid YAML
        "- a\nb: 1\n",  # not valid YAML
        "a: 1\n b: 2\n",  # not valid YAML
        "a: " + "9" * 200 + "\n",  # a number too long
        "",
        "# only a comment\n",
        "  a: 1\n",
    ],
)
def test_gives_up(text: str) -> None:
    assert _lines(text) is NOT_BLOCK


_KEYS = st.sampled_from(["a", "b", "id", "a b", "yes", "1", "k#", '"q"', "-x", "a:b", "ключ", "<<"])
_VALUES = st.sampled_from(
    [
        "",
        "a",
        "a b",
        "1",
        "1.5",
        "-1",
        "0x1F",
        "1:30",
        "yes",
        "~",
        "null",
        "2026-01-15",
        ".nan",
        "1e3",
        "1_000",
        "2h..4h",
        '"q"',
        '" x "',
        "'s'",
        "'it''s'",
        '"a\\"b"',
        "a #c",
        "a# b",
        "#c",
        "a: b",
        "a:",
        "[x, y]",
        "[x, 'y']",
        '[x, "y, z"]',
        "[ a , b ]",
        "[a,]",
        "[]",
        "{}",
        "{k: v}",
        "{k: v, k: w}",
        "{k: [v]}",
        "{k: 'v'} # c",
        "|",
        "|-",
        "|+",
        ">",
        ">-",
        "| # c",
        "&a x",
        "*a",
        "!t x",
        "@x",
        "`x",
        "%x",
        "? x",
        "a\tb",
        "한국어 텍스트",
        "x ",
    ]
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 1, 2, 2, 3, 4, 4, 6]))
        kind = draw(st.sampled_from(["key", "key", "dash", "dashkey", "text", "blank", "comment"]))
        key, value = draw(_KEYS), draw(_VALUES)
        line = {
            "key": f"{key}: {value}".rstrip(" ") if value else f"{key}:",
            "dash": f"- {value}".rstrip(" ") if value else "-",
            "dashkey": f"- {key}: {value}",
            "text": value,
            "blank": draw(st.sampled_from(["", " ", "  "])),
            "comment": "# note",
        }[kind]
        lines.append(indent + line if line else line)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


_WORDS = st.sampled_from(
    [
        "a",
        "b c",
        "1",
        "0.25",
        "2h..4h",
        "yes",
        "~",
        "2026-01-15",
        "Ünïcode",
        "한국어",
        "C++",
        "q'r",
        "'s'",
    ]
)
_TREE_KEYS = st.sampled_from(["a", "b", "id", "a b", "steps", "ключ", "yes", "1", "x-y"])


def _emit(draw: st.DrawFn, value: Any, indent: int, lines: list[str], first: str) -> None:
    """Write ``value`` in the block style, its first line starting with ``first``."""
    pad = " " * indent
    if isinstance(value, dict):
        for number, (key, item) in enumerate(value.items()):
            lead = first if number == 0 else pad
            if isinstance(item, str):
                comment = draw(st.sampled_from(["", "", " # note", "   #note"]))
                lines.append(
                    f"{lead}{key}: {item}{comment}".rstrip(" ") if item else f"{lead}{key}:"
                )
            elif isinstance(item, tuple):  # prose: a block scalar
                header, text_lines, extra = item
                lines.append(f"{lead}{key}: {header}")
                lines.extend(" " * (indent + extra) + t if t else t for t in text_lines)
            else:
                lines.append(f"{lead}{key}:")
                deeper = indent + draw(
                    st.sampled_from([0, 1, 2, 4])
                    if isinstance(item, list)
                    else st.sampled_from([1, 2, 4])
                )
                _emit(draw, item, deeper, lines, " " * deeper)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                _emit(draw, item, indent + 2, lines, pad + "- ")
            elif isinstance(item, list):
                lines.append(f"{pad}-")
                _emit(draw, item, indent + 2, lines, " " * (indent + 2))
            elif isinstance(item, tuple):  # prose in a list: left to libyaml
                lines.append(f"{pad}- {item[0]}")
                lines.extend(" " * (indent + 2) + t if t else t for t in item[1])
            else:
                lines.append(f"{pad}- {item}".rstrip(" "))
    else:  # pragma: no cover - the strategy makes only these
        raise AssertionError(value)


_PROSE = st.tuples(
    st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]),
    st.lists(
        st.sampled_from(["one", "two words", "", "# hash", "- dash", "k: v"]),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([1, 2, 3]),
)
_FLOW = st.lists(_WORDS.filter(lambda word: "'" not in word), max_size=4).map(
    lambda words: "[" + ", ".join(words) + "]"
)
_TREES = st.recursive(
    st.one_of(_WORDS, _FLOW, _PROSE),
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=4),
        st.dictionaries(_TREE_KEYS, children, min_size=1, max_size=4),
    ),
    max_leaves=25,
)


@st.composite
def _block_documents(draw: st.DrawFn) -> str:
    """Documents in the style of process files; half of them with one line edited."""
    tree = draw(st.dictionaries(_TREE_KEYS, _TREES, min_size=1, max_size=5))
    lines: list[str] = []
    _emit(draw, tree, 0, lines, "")
    if draw(st.booleans()):
        number = draw(st.integers(0, len(lines) - 1))
        line = lines[number]
        indent = " " * (len(line) - len(line.lstrip(" ")))
        key, value = draw(_KEYS), draw(_VALUES)
        lines[number] = draw(
            st.sampled_from(
                [
                    " " + line,
                    line[1:],
                    line + " ",
                    line + ":",
                    line + " " + value,
                    indent + "  indented",
                    f"{indent}{key}: {value}",
                    f"{indent}- {value}",
                    f"{indent}{key}:",
                ]
            )
        )
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_generated_lines(text: str) -> None:
    _check(text)


@settings(max_examples=1500, deadline=None)
@given(_block_documents())
def test_generated_documents(text: str) -> None:
    _check(text)
