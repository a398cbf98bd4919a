"""The located YAML reader: positions, exact numbers, and every kind of bad file.

Each refusal is checked for its message, line and column, and that it is a
``SopkitError`` (never a crash, a ``RecursionError`` or a traceback).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sopkit import source
from sopkit.errors import InputError, SopkitError
from sopkit.source import (
    MAX_ALIAS_NODES,
    MAX_BYTES,
    MAX_DEPTH,
    NumberLiteral,
    SourceMap,
    _parse_located,
    parse_yaml,
    read_document,
)

ROOT = Path(__file__).resolve().parent.parent


def refusal(text: str) -> list[str]:
    """The formatted problems ``parse_yaml`` reports for ``text``."""
    with pytest.raises(InputError) as info:
        parse_yaml(text, "p.yaml")
    return [problem.format() for problem in info.value.problems]


# --- what a good file gives ------------------------------------------------------


def test_values_and_positions() -> None:
    text = textwrap.dedent(
        """\
        sopkit: 1
        id: demo
        steps:
          - id: a
            time: 2h
            rework: {to: a, probability: 0.3}
        """
    )
    doc = parse_yaml(text, "p.yaml")
    assert doc.data == {
        "sopkit": 1,
        "id": "demo",
        "steps": [{"id": "a", "time": "2h", "rework": {"to": "a", "probability": Decimal("0.3")}}],
    }
    assert doc.source.path == "p.yaml"
    assert doc.source.locate(("id",)) == (2, 5)
    assert doc.source.locate(("steps", 0, "time")) == (5, 11)
    assert doc.source.locate(("steps", 0, "rework", "probability")) == (6, 34)
    assert doc.source.locate(("steps", 0, "time"), key=True) == (5, 5)
    # Unknown places fall back on the nearest known parent.
    assert doc.source.locate(("steps", 0, "nothing", 3)) == (4, 5)


def test_scalars_are_exact_and_typed() -> None:
    doc = parse_yaml(
        "a: 0.1\nb: 1_000\nc: 2026-10-01\nd: yes\ne: ~\nf: '12'\ng: 1.5e+3\nh: 0x1F\ni: 1e3\n"
    )
    assert doc.data == {
        "a": Decimal("0.1"),
        "b": 1000,
        "c": dt.date(2026, 10, 1),
        "d": True,
        "e": None,
        "f": "12",
        "g": Decimal("1.5e+3"),
        "h": "0x1F",  # YAML 1.1's hexadecimal stays text as typed (see below)
        "i": "1e3",  # YAML 1.1: an exponent needs a dot and a sign
    }
    assert isinstance(doc.data["a"], Decimal)


@pytest.mark.parametrize(
    ("text", "kind", "reading"),
    [
        ("045", "octal", 37),
        ("-010", "octal", -8),
        ("0x1F", "hexadecimal", 31),
        ("0b101", "binary", 5),
        ("1:30", "base 60", 90),
        ("1:30:00", "base 60", 5400),
        ("1:30.5", "base 60", Decimal("90.5")),
    ],
)
def test_yaml_11_numbers_keep_their_text(text: str, kind: str, reading: int | Decimal) -> None:
    """YAML 1.1 reads these as octal, base 60, hex or binary; people read decimals."""
    value = parse_yaml(f"a: {text}\n").data["a"]
    assert isinstance(value, NumberLiteral)
    assert (str(value), value.kind, value.reading) == (text, kind, reading)


@pytest.mark.parametrize("text", ["0", "7", "10", "1_000", "12.50", "0.5"])
def test_plain_decimals_are_numbers(text: str) -> None:
    assert not isinstance(parse_yaml(f"a: {text}\n").data["a"], str)


def test_timestamps_become_dates() -> None:
    assert parse_yaml("a: 2026-01-02 10:30:00").data == {"a": dt.date(2026, 1, 2)}


def test_plain_and_located_reading_agree_on_the_library() -> None:
    """The fast path (no positions until asked) equals the located path, value for value."""
    files = sorted((ROOT / "processes").rglob("*.yaml"))
    assert files, "the process library is missing"
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = parse_yaml(text, str(path))
        located = SourceMap(str(path))
        data, _ = _parse_located(text, str(path), located)
        assert fast.data == data, path
        assert fast.source.values == located.values, path
        assert fast.source.keys == located.keys, path


# --- bad YAML, each with its message and place --------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\nb: [1, 2\n",
            "p.yaml:2:4: error: not valid YAML: the '[' opened here is not closed on its line "
            "(YAML read on to line 3 looking for its ']': close it on this line; a text holding "
            "a comma inside […] needs quotes)",
        ),
        (
            "a:\n\tb: 1\n",
            "p.yaml:2:1: error: not valid YAML: found character that cannot start any token "
            "(YAML does not allow tabs for indentation; use spaces)",
        ),
        (
            "a:\n  b: 1\n\tc: 2\n",
            "p.yaml:3:1: error: not valid YAML: found a tab character that violates indentation "
            "(YAML does not allow tabs for indentation; use spaces)",
        ),
        (
            "id: a\n---\nid: b\n",
            "p.yaml:2:1: error: not valid YAML: more than one YAML document ('---') in the file "
            "(put one process in each file)",
        ),
        (
            "a: *nowhere\n",
            "p.yaml:1:4: error: not valid YAML: found undefined alias (fix the YAML syntax)",
        ),
        (
            "",
            "p.yaml:1:1: error: file is empty "
            "(a process starts with 'sopkit: 1', 'id:', 'name:' and 'steps:')",
        ),
        (
            "# only a comment\n\n",
            "p.yaml:1:1: error: file is empty "
            "(a process starts with 'sopkit: 1', 'id:', 'name:' and 'steps:')",
        ),
    ],
    ids=["syntax", "tab-start", "tab-indent", "two-documents", "undefined-alias", "empty", "blank"],
)
def test_not_yaml(text: str, expected: str) -> None:
    assert refusal(text) == [expected]


def test_duplicate_keys_are_all_reported() -> None:
    text = "id: a\nname: x\nid: b\nsteps:\n  - {id: s, id: t}\n"
    assert refusal(text) == [
        "p.yaml:3:1: error: duplicate key 'id' (first at line 1) "
        "(remove one of them; YAML keeps only one)",
        "p.yaml:5:13: error: duplicate key 'id' (first at line 5) "
        "(remove one of them; YAML keeps only one)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: !!python/object:os.system x\n",
            "p.yaml:1:4: error: unsupported YAML tag '!!python/object:os.system' "
            "(remove the '!tag')",
        ),
        ("a: !custom x\n", "p.yaml:1:4: error: unsupported YAML tag '!custom' (remove the '!tag')"),
        ("a: !!set {x}\n", "p.yaml:1:4: error: unsupported YAML tag '!!set' (remove the '!tag')"),
        (
            "a: !!omap [{x: 1}]\n",
            "p.yaml:1:4: error: unsupported YAML tag '!!omap' (remove the '!tag')",
        ),
        (
            "? [a, b]\n: 1\n",
            "p.yaml:1:3: error: a mapping key must be a plain name (use 'name: value')",
        ),
        (
            "x: &x {a: 1}\ny: {<<: *x}\n",
            "p.yaml:2:5: error: merge keys ('<<') are not supported (write the fields out)",
        ),
        (
            "a: 2026-13-45\n",
            "p.yaml:1:4: error: not a valid date: month must be in 1..12 "
            "(write dates as YYYY-MM-DD)",
        ),
    ],
    ids=["python-tag", "custom-tag", "set", "omap", "complex-key", "merge-key", "bad-date"],
)
def test_refused_constructs(text: str, expected: str) -> None:
    assert refusal(text) == [expected]


# --- characters and bytes ----------------------------------------------------------------


def test_control_character_is_located_in_characters_not_bytes() -> None:
    assert refusal("이름: ok\nname: 'tab\x07bell'\n") == [
        "p.yaml:2:11: error: not valid YAML: the control character U+0007 is not allowed "
        "in a YAML file (remove it; it often comes with text pasted from another program)"
    ]


def test_escape_control_character_is_escaped_in_messages() -> None:
    # An ESC written as an escape reads as text; the model refuses it later, and a
    # message that shows the value can never drive the terminal.
    doc = parse_yaml('a: "\\e[31mred"')
    assert doc.data == {"a": "\x1b[31mred"}
    assert "\x1b" not in SopkitError("value \x1b[31m", path="p.yaml").problems[0].format()


def write(tmp_path: Path, data: bytes, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_refusal(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_document(path, display="p.yaml")
    return [problem.format() for problem in info.value.problems]


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b"id: a\nname: caf" + "é".encode("latin-1") + b"\n")
    assert read_refusal(path) == [
        "p.yaml:2:10: error: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)"
    ]


def test_utf16(tmp_path: Path) -> None:
    path = write(tmp_path, "id: a\n".encode("utf-16"))
    assert read_refusal(path) == ["p.yaml:1:1: error: file is UTF-16, not UTF-8 (save it as UTF-8)"]


def test_binary(tmp_path: Path) -> None:
    path = write(tmp_path, b"id: a\n\x00\x01\x02")
    assert read_refusal(path) == [
        "p.yaml:2: error: file contains NUL bytes: it is binary, not a YAML text "
        "(sopkit reads UTF-8 YAML text (process, roles and scenario files))"
    ]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfid: a\n")
    assert read_document(path).data == {"id": "a"}


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, b"# " + b"x" * MAX_BYTES + b"\n")
    assert read_refusal(path) == [
        "p.yaml: error: file is 5.0 MB, too large to be a process "
        "(process files are at most 5 MB; split it)"
    ]


def test_just_under_the_size_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: 1\n# " + b"x" * (MAX_BYTES - 10) + b"\n")
    assert read_document(path).data == {"a": 1}


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert read_refusal(tmp_path / "nope.yaml") == ["p.yaml: error: no such file (check the path)"]
    assert read_refusal(tmp_path) == ["p.yaml: error: is a folder, not a file"]


# --- hostile structure ------------------------------------------------------------------


BILLION_LAUGHS = textwrap.dedent(
    """\
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """
)


def test_alias_bomb_stops_early() -> None:
    started = time.perf_counter()
    problems = refusal(BILLION_LAUGHS)
    assert time.perf_counter() - started < 10  # generous: it takes well under a second
    # Reported where the expansion that breaks the budget is written: the list on line 6.
    assert problems == [
        "p.yaml:6:4: error: aliases expand to too many values (an alias bomb?) "
        "(write the values out or use fewer '*alias' references)"
    ]


def test_alias_bomb_is_reported_where_the_alias_is_used() -> None:
    text = "a: &x [" + ", ".join(["1"] * (MAX_ALIAS_NODES + 1)) + "]\nsteps: *x\n"
    problems = refusal(text)
    assert [p.split(": error: ")[0] for p in problems] == ["p.yaml:2:1"]


def test_modest_aliases_are_fine() -> None:
    text = "tools: &t [Ahrefs, Docs]\nsteps:\n" + "".join(
        f"  - {{id: s{i}, tools: *t}}\n" for i in range(200)
    )
    data = parse_yaml(text).data
    assert data["steps"][199]["tools"] == ["Ahrefs", "Docs"]
    assert MAX_ALIAS_NODES >= 1000


@pytest.mark.parametrize("text", ["&a [*a]", "&a {x: *a}", "a: &a\n  - b: *a\n"])
def test_recursive_alias(text: str) -> None:
    problems = refusal(text)
    assert len(problems) == 1
    assert "error: an alias refers to itself (remove the recursive '*alias')" in problems[0]


def test_nesting_at_the_limit_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_yaml(text).data is not None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "1:65"),
        ("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 80)) + " " * 80 + "c\n", "65:65"),
        ("- " * (MAX_DEPTH + 5) + "x\n", "1:129"),
    ],
    ids=["flow", "block-mapping", "block-sequence"],
)
def test_too_deep(text: str, where: str) -> None:
    assert refusal(text) == [
        f"p.yaml:{where}: error: document nests too deeply (at most {MAX_DEPTH} levels)"
    ]


def test_both_depth_checks_agree() -> None:
    """Texts with many indicators are checked on the event stream first, others when built."""
    deep = "k: " + "[" * 70 + "]" * 70 + "\n"
    padded = deep + "# " + ":" * 2000 + "\n"  # enough ':' to take the event-stream check
    expected = [f"p.yaml:1:67: error: document nests too deeply (at most {MAX_DEPTH} levels)"]
    assert refusal(deep) == expected
    assert refusal(padded) == expected


DEEP_SCRIPT = """
import sys
from sopkit.errors import SopkitError
from sopkit.source import parse_yaml
n = 100_000
cases = {
    "flow-seq": "[" * n + "]" * n,
    "flow-map": "{a: " * n + "}" * n,
    "open": "[" * n,
    "block-seq": "- " * n + "x",
    "block-map": "".join(" " * i + "a:\\n" for i in range(2000)) + " " * 2000 + "x",
    "in-a-process": "sopkit: 1\\nid: a\\nsteps: " + "[" * n + "]" * n,
}
for name, text in cases.items():
    try:
        parse_yaml(text)
    except SopkitError as exc:
        print(name, exc.problems[0].message)
    else:
        print(name, "read")
"""


def test_very_deep_nesting_never_crashes_the_interpreter() -> None:
    """libyaml composes recursively in C; 100,000 levels used to be a segmentation fault."""
    result = subprocess.run(
        [sys.executable, "-c", DEEP_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{name} document nests too deeply"
        for name in ("flow-seq", "flow-map", "open", "block-seq", "block-map", "in-a-process")
    ]


# --- numbers --------------------------------------------------------------------------


def test_large_but_sane_numbers() -> None:
    doc = parse_yaml("a: 1.0e+308\nb: " + "9" * 100 + "\nc: -1.5e-300\nd: .inf\n")
    assert doc.data["a"] == Decimal("1.0e+308")
    assert doc.data["b"] == int("9" * 100)
    assert doc.data["c"] == Decimal("-1.5e-300")
    assert doc.data["d"] == Decimal("Infinity")


@pytest.mark.parametrize(
    "number",
    [
        "9" * 101,
        "9" * 5000,
        "0x" + "f" * 5000,
        "0b" + "1" * 20000,
        ":".join(["59"] * 3000),
        ":".join(["59"] * 300) + ".5",
        "1." + "0" * 200,
    ],
    ids=["101-digits", "5000-digits", "hex", "binary", "sexagesimal", "sexagesimal-float", "long"],
)
def test_numbers_with_too_many_digits(number: str) -> None:
    assert refusal(f"id: a\nper_run: {number}\n") == [
        "p.yaml:2:10: error: number has too many digits "
        "(numbers have at most 100 digits; check the value)"
    ]


def test_problems_from_one_file_come_together_in_order() -> None:
    text = "b: !x 1\na: 2026-02-30\nc: {k: 1, k: 2}\n"
    assert [p.split(": error: ")[0] for p in refusal(text)] == [
        "p.yaml:1:4",
        "p.yaml:2:4",
        "p.yaml:3:11",
    ]


class _ShallowLibyaml(yaml.CSafeLoader):  # type: ignore[misc]
    """A libyaml that refuses nesting past 100 levels while it scans ahead, as 0.2.6 does
    past 1000: whichever libyaml is installed, sopkit's own limit must trip first."""

    def __init__(self, stream: str) -> None:
        depth = self.deepest = 0
        for char in stream:
            depth += char == "["
            depth -= char == "]"
            self.deepest = max(self.deepest, depth)
        super().__init__(stream)

    def _limit(self) -> None:
        if self.deepest > 100:
            raise yaml.scanner.ScannerError(
                "while increasing flow level", None, "exceeded maximum nesting depth", None
            )

    def check_event(self, *choices: type) -> bool:
        self._limit()
        return bool(super().check_event(*choices))

    def get_event(self) -> yaml.Event:
        self._limit()
        return super().get_event()

    def get_single_node(self) -> yaml.Node | None:
        self._limit()
        return super().get_single_node()


def test_sopkit_limit_trips_before_a_libyaml_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "_Loader", _ShallowLibyaml)
    text = "k: " + "[" * 150 + "]" * 150 + "\n# " + ":" * 2000 + "\n"
    assert refusal(text) == [
        f"p.yaml:1:67: error: document nests too deeply (at most {MAX_DEPTH} levels)"
    ]
    short = "k: " + "[" * 150 + "]" * 150 + "\n"  # too few indicators for the event-stream check
    assert refusal(short) == refusal(text)
