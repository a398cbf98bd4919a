"""JSON text written the same way every time: two-space indents, keys in the order
given, numbers from their decimal digits, and text prewritten by a faster writer
placed as it is (``Prewritten``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from ..numbers import json_number

__all__ = [
    "Prewritten",
    "dump_at",
    "dump_json",
    "dump_json_parts",
    "json_string",
]


def dump_json(document: Any) -> str:
    """Deterministic JSON: keys in the order built, two-space indent, UTF-8 text, one newline.

    ``Decimal`` numbers are written with ``json_number`` (``4320.0``), never
    through a float. A list of strings stands on one line; every other list
    and object has one item a line.
    """
    parts: list[str] = []
    dump_at(document, 0, parts.append)
    parts.append("\n")
    return "".join(parts)


def dump_json_parts(document: Any) -> Iterator[str]:
    """``dump_json(document)`` in pieces: each item of a list at the top level is one."""
    if not isinstance(document, dict) or not document:
        yield dump_json(document)
        return
    openings = _openings(tuple(document), 0)
    for opening, value in zip(openings, document.values(), strict=False):
        if isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            separator = opening + "[\n    "
            for item in value:
                parts = [separator]
                dump_at(item, 2, parts.append)
                yield "".join(parts)
                separator = ",\n    "
            yield "\n  ]"
        else:
            parts = [opening]
            dump_at(value, 1, parts.append)
            yield "".join(parts)
    yield openings[-1] + "\n"


#: What ``json.dumps(text, ensure_ascii=False)`` writes for a string, without building
#: an encoder for every value (the JSON of 10,000 processes has millions of them).
json_string = json.encoder.encode_basestring

#: For each tuple of keys at each depth, the text before each value and after the last:
#: a document repeats one shape of object thousands of times (every step).
_OPENINGS: dict[tuple[tuple[Any, ...], int], list[str]] = {}


def _openings(keys: tuple[Any, ...], level: int) -> list[str]:
    found = _OPENINGS.get((keys, level))
    if found is None:
        inner = "  " * (level + 1)
        found = [
            ("{\n" if i == 0 else ",\n") + inner + json_string(str(key)) + ": "
            for i, key in enumerate(keys)
        ]
        found.append("\n" + "  " * level + "}")
        if len(_OPENINGS) < 4096:
            _OPENINGS[(keys, level)] = found
    return found


class Prewritten:
    """Part of a document already written as JSON by a faster writer (``cost_json``'s
    steps): ``dump_json`` asks it for its text at the depth where it stands."""

    __slots__ = ("text",)

    def __init__(self, text: Callable[[int], str]) -> None:
        self.text = text


def _scalar(value: Any) -> str | None:
    """The JSON text of a string, number, boolean or null; ``None`` for anything else."""
    kind = type(value)
    if kind is str:
        return json_string(value)
    if kind is Decimal:
        return json_number(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, int):
        return json.dumps(value)
    return None


def dump_at(value: Any, level: int, write: Callable[[str], Any]) -> None:
    text = _scalar(value)
    if text is not None:
        write(text)
        return
    if isinstance(value, Prewritten):
        write(value.text(level))
        return
    if isinstance(value, dict):
        if not value:
            write("{}")
            return
        openings = _openings(tuple(value), level)
        for opening, item in zip(openings, value.values(), strict=False):
            write(opening)
            text = _scalar(item)
            if text is None:
                dump_at(item, level + 1, write)
            else:
                write(text)
        write(openings[-1])
        return
    if isinstance(value, list | tuple):
        if not value:
            write("[]")
        elif all(isinstance(v, str) for v in value):
            write("[" + ", ".join(json_string(v) for v in value) + "]")
        else:
            separator = "[\n" + "  " * (level + 1)
            for item in value:
                write(separator)
                dump_at(item, level + 1, write)
                separator = ",\n" + "  " * (level + 1)
            write("\n" + "  " * level + "]")
        return
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
