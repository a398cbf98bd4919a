"""A small XML tree that serialises the same bytes every time.

ElementTree would do, but its namespace prefixes are global state and its
attribute escaping keeps line breaks that XML readers then fold into spaces.
Here elements name their prefix (``bpmn:task``), attributes keep the order
they were given, text and attributes are escaped so every character comes
back as written, and the output is indented two spaces, UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["El", "serialise"]


@dataclass(slots=True)
class El:
    """An element: a prefixed tag, attributes in order, children or text (not both)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[El] = field(default_factory=list)
    text: str | None = None

    def add(
        self, tag: str, attrs: Mapping[str, str | None] | None = None, text: str | None = None
    ) -> El:
        """Append a child (attributes whose value is ``None`` are left out) and return it."""
        child = El(tag, {k: v for k, v in (attrs or {}).items() if v is not None}, text=text)
        self.children.append(child)
        return child

    def extend(self, children: Iterable[El]) -> El:
        self.children.extend(children)
        return self


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {name}="{value.translate(_ATTR)}"' for name, value in attrs.items())


def _write(element: El, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    opening = f"{indent}<{element.tag}{_attrs(element.attrs)}"
    if element.children:
        out.append(opening + ">\n")
        for child in element.children:
            _write(child, depth + 1, out)
        out.append(f"{indent}</{element.tag}>\n")
    elif element.text:
        out.append(f"{opening}>{element.text.translate(_TEXT)}</{element.tag}>\n")
    else:
        out.append(opening + "/>\n")


def serialise(root: El) -> bytes:
    """The document as UTF-8 bytes with an XML declaration and a final line break."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, 0, out)
    return "".join(out).encode("utf-8")
