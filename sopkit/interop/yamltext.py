"""Data in the file format's shape written as a YAML file a person would write.

Keys keep their order; short lists and flat mappings go on one line
(``after: [draft, edit]``, ``rework: {to: draft, probability: 0.3}``) as in
the library; text is left plain wherever sopkit's own reader (and PyYAML's pure-Python
one, which other tools use) gives back exactly the same string, and
double-quoted otherwise, so ``yes``, ``1.0``,
``2026-01-01`` or ``Post in #launch`` stay text. A ``Blank`` value writes an
empty entry with a comment, for a figure the user has to fill in.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from ..errors import SopkitError
from ..source import parse_yaml

__all__ = ["Blank", "dump_yaml"]

#: Lines longer than this put a list or mapping in block style.
_FLOW_WIDTH = 96


@dataclass(frozen=True, slots=True)
class Blank:
    """An entry left empty on purpose, with a comment saying what to write there."""

    comment: str


def _scalar_text(value: Any) -> str | None:
    """The text of a non-string scalar, or ``None`` for a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return None


@lru_cache(maxsize=4096)
def _reads_back(text: str, value: str, where: str) -> bool:
    """Whether ``text`` reads back as exactly the string ``value`` as a block value, an
    item of a flow list, a mapping key or a key of a flow mapping (``where``)."""
    document = {
        "block": f"k: {text}\n",
        "flow": f"k: [{text}]\n",
        "key": f"{text}: 1\n",
        "flow key": f"k: {{{text}: 1}}\n",
    }[where]
    try:
        data = parse_yaml(document).data
    except SopkitError:
        return False
    # libyaml reads ``{q: Approved?, share: 0.5}``, PyYAML's own parser does not: a file
    # other tools will read must read back in both.
    try:
        if yaml.load(document, Loader=yaml.SafeLoader) != data:
            return False
    except yaml.YAMLError:
        return False
    if not isinstance(data, dict) or len(data) != 1:
        return False
    if where == "flow key":
        data = data.get("k")
        if not isinstance(data, dict) or len(data) != 1:
            return False
    if where in ("key", "flow key"):
        (key,) = data
        return type(key) is str and key == value
    found = data.get("k")
    if where == "flow":
        return (
            isinstance(found, list)
            and len(found) == 1
            and type(found[0]) is str
            and found[0] == value
        )
    return type(found) is str and found == value


_ESCAPES = {"\u2028": "\\L", "\u2029": "\\P", "\u0085": "\\N", "\ufeff": "\\uFEFF"}


def _string(value: str, *, flow: bool = False, key: bool = False) -> str:
    where = ("flow key" if flow else "key") if key else "flow" if flow else "block"
    plain = value and value == value.strip() and value.isprintable()
    if plain and _reads_back(value, value, where):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _ESCAPES.items():
        quoted = quoted.replace(raw, escaped)
    if _reads_back(quoted, value, where):
        return quoted
    return json.dumps(value)  # every non-ASCII character escaped: always reads back


def _inline(value: Any) -> str | None:
    """``value`` on one line (flow style), or ``None`` when it needs block style."""
    text = _scalar_text(value)
    if text is not None:
        return text
    if isinstance(value, str):
        return _string(value, flow=True)
    if isinstance(value, Mapping):
        parts = []
        for key, item in value.items():
            inner = None if isinstance(item, Blank) else _inline(item)
            if inner is None:
                return None
            parts.append(f"{_string(str(key), flow=True, key=True)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, Mapping):  # a list of mappings (steps) is always a block
                return None
            inner = None if isinstance(item, Blank) else _inline(item)
            if inner is None:
                return None
            items.append(inner)
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


#: Text longer than this is written folded over several lines (``>-``).
_FOLD_AT = 88


def _folded(value: str, indent: int) -> list[str] | None:
    """Long text as a folded block (``>-`` and lines of at most ~88 characters), when it
    reads back exactly; ``None`` otherwise."""
    if len(value) <= _FOLD_AT or value != value.strip() or "\n" in value or not value.isprintable():
        return None
    lines: list[str] = []
    current = ""
    for word in value.split(" "):
        if current and word and len(current) + 1 + len(word) > _FOLD_AT - indent:
            lines.append(current)
            current = word
        elif current and not word:  # a run of spaces: keep it inside the line
            current += " "
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    if any(line != line.strip() for line in lines):
        return None
    pad = " " * indent
    block = [">-", *(pad + line for line in lines)]
    document = "k: " + "\n".join(block).replace("\n" + pad, "\n  ") + "\n"
    try:
        data = parse_yaml(document).data
    except SopkitError:
        return None
    return block if data == {"k": value} else None


def _block_scalar(value: Any) -> str:
    text = _scalar_text(value)
    return text if text is not None else _string(str(value), flow=False)


def _entries(data: Mapping[str, Any], indent: int, out: list[str], first: str = "") -> None:
    """Write a mapping's entries; ``first`` prefixes the first line (a list item's dash)."""
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        lead = first if index == 0 and first else pad
        name = _string(str(key), key=True)
        if isinstance(value, Blank):
            out.append(f"{lead}{name}:  # {value.comment}")
        elif isinstance(value, Mapping | list):
            line = _inline(value) if value else ("{}" if isinstance(value, Mapping) else "[]")
            if line is not None and len(lead) + len(name) + 2 + len(line) <= _FLOW_WIDTH:
                out.append(f"{lead}{name}: {line}")
            else:
                out.append(f"{lead}{name}:")
                _block(value, indent + 2, out)
        else:
            folded = _folded(value, indent + 2) if isinstance(value, str) else None
            if folded is not None:
                out.append(f"{lead}{name}: {folded[0]}")
                out.extend(folded[1:])
            else:
                out.append(f"{lead}{name}: {_block_scalar(value)}")


def _block(value: Mapping[str, Any] | Sequence[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, Mapping):
        _entries(value, indent, out)
        return
    for index, item in enumerate(value):
        if isinstance(item, Mapping) and item:
            if index and len(item) > 2:  # room between steps, as the library writes them
                out.append("")
            _entries(item, indent + 2, out, first=f"{pad}- ")
        elif isinstance(item, list) and item:
            out.append(f"{pad}-")
            _block(item, indent + 2, out)
        else:
            text = _inline(item) if isinstance(item, Mapping | list) else _block_scalar(item)
            out.append(f"{pad}- {text}")


def dump_yaml(data: Mapping[str, Any], *, header: Sequence[str] = ()) -> str:
    """``data`` as a YAML document, after ``header`` lines written as comments."""
    out = [f"# {line}" if line else "#" for line in header]
    _entries(data, 0, out)
    return "\n".join(out) + "\n"
