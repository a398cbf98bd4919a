"""The ``sopkit:`` extension: file-format data as XML, and back, exactly.

BPMN has no place for a three-point estimate as written, an automation
share, a done-when or instructions, so sopkit writes them inside
``extensionElements`` in its own namespace, mirroring the process file::

    <sopkit:step>
      <sopkit:time>
        <sopkit:min>30m</sopkit:min><sopkit:likely>1h</sopkit:likely><sopkit:max>2h</sopkit:max>
      </sopkit:time>
      <sopkit:with>
        <sopkit:entry key="Product Manager" type="number">1</sopkit:entry>
      </sopkit:with>
      <sopkit:instructions type="list">
        <sopkit:item>Pull the top 10 results for the seed keyword</sopkit:item>
      </sopkit:instructions>
    </sopkit:step>

A key that is a plain XML name becomes the element's name, any other key (a
role name with a space) an ``entry`` with a ``key``; ``type`` says what a
value is (``number``, ``boolean``, ``date``, ``list``, and ``map`` for an
empty mapping; text and other mappings need none), so numbers keep every
digit and text that looks like a number stays text. Other tools keep unknown
extension elements as they are.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from ..filedata import Data, is_date
from .namespaces import SOPKIT, qname
from .xmltree import El

__all__ = ["ExtensionError", "decode", "encode_into"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_RESERVED = ("entry", "item")


class ExtensionError(ValueError):
    """An extension element that does not read as data (edited by hand, or by another tool)."""


def _element_for(key: str) -> tuple[str, dict[str, str]]:
    if _NAME.fullmatch(key) and key not in _RESERVED and not key.lower().startswith("xml"):
        return f"sopkit:{key}", {}
    return "sopkit:entry", {"key": key}


def _encode_value(parent: El, tag: str, attrs: dict[str, str], value: Any) -> None:
    if isinstance(value, bool):
        parent.add(tag, {**attrs, "type": "boolean"}, "true" if value else "false")
    elif isinstance(value, int | Decimal):
        parent.add(tag, {**attrs, "type": "number"}, format(Decimal(value), "f"))
    elif is_date(value):
        parent.add(tag, {**attrs, "type": "date"}, value.isoformat())
    elif isinstance(value, str):
        parent.add(tag, attrs, value)
    elif isinstance(value, list):
        holder = parent.add(tag, {**attrs, "type": "list"})
        for item in value:
            _encode_value(holder, "sopkit:item", {}, item)
    elif isinstance(value, Mapping):
        encode_into(parent.add(tag, attrs if value else {**attrs, "type": "map"}), value)
    else:  # pragma: no cover - filedata only makes the types above
        raise TypeError(f"cannot encode {type(value).__name__}")


def encode_into(parent: El, data: Mapping[str, Any]) -> El:
    """Append one child per entry of ``data`` (``None`` values left out) to ``parent``."""
    for key, value in data.items():
        if value is None:
            continue
        tag, attrs = _element_for(str(key))
        _encode_value(parent, tag, attrs, value)
    return parent


_ENTRY = qname(SOPKIT, "entry")
_ITEM = qname(SOPKIT, "item")


def _key(element: Element) -> str:
    if element.tag == _ENTRY:
        key = element.get("key")
        if key is None:
            raise ExtensionError("an entry without a key")
        return key
    if not element.tag.startswith("{" + SOPKIT + "}"):
        raise ExtensionError(f"an element of another namespace: {element.tag}")
    return element.tag.partition("}")[2]


def _decode_value(element: Element) -> Any:
    kind = element.get("type")
    text = element.text or ""
    if kind == "list":
        return [_decode_value(item) for item in element if item.tag == _ITEM]
    if kind == "number":
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            raise ExtensionError(f"'{text[:20]}' is not a number") from None
        if not number.is_finite():
            raise ExtensionError(f"'{text[:20]}' is not a finite number")
        return number
    if kind == "boolean":
        if text.strip() not in ("true", "false", "1", "0"):
            raise ExtensionError(f"'{text[:20]}' is not true or false")
        return text.strip() in ("true", "1")
    if kind == "date":
        try:
            return _dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ExtensionError(f"'{text[:20]}' is not a date") from None
    if kind == "map":
        return decode(element)
    if kind is not None:
        raise ExtensionError(f"unknown type '{kind[:20]}'")
    if len(element):
        return decode(element)
    return text


def decode(element: Element) -> Data:
    """The data an extension element holds (its children), as ``encode_into`` wrote it.

    Raises:
        ExtensionError: the element is not data sopkit wrote.
    """
    data: Data = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        data[_key(child)] = _decode_value(child)
    return data
