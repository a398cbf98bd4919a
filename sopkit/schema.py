"""JSON Schema for process and roles files, generated from the models.

Editors (VS Code with the YAML extension, JetBrains IDEs) use it to
autocomplete and check process files as they are typed. Defaults are shown as
a user would write them (``wait: "0"``, ``per_run: 1``), and numbers are JSON
numbers with ``minimum``/``maximum`` bounds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic.json_schema import GenerateJsonSchema

from .errors import UsageError
from .models import Duration, Estimate, Process, Settings
from .models.steps import NOT_EMPTY

__all__ = ["REFERENCE", "json_schema"]

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
#: Where the schema sends people for what each field means: the format's full reference.
REFERENCE = (
    "Every field, unit, default and error is described in docs/format.md, the format "
    "reference in the sopkit source."
)

#: pydantic's names for bounds it could not place, and their JSON Schema keywords.
_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with defaults written the way a process file writes them."""

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Duration | Estimate):
            return str(dft)
        if isinstance(dft, Decimal):
            return int(dft) if dft == dft.to_integral_value() else float(dft)
        return super().encode_default(dft)


def json_schema(kind: Literal["process", "roles"] = "process") -> dict[str, Any]:
    """The schema of a process file (default) or of ``roles.yaml``.

    Raises:
        UsageError: another ``kind``.
    """
    if kind not in ("process", "roles"):
        raise UsageError(f"no schema for '{kind}'", hint="use 'process' or 'roles'")
    model = Process if kind == "process" else Settings
    schema = model.model_json_schema(mode="validation", schema_generator=_Generator)
    title = "sopkit process" if kind == "process" else "sopkit roles.yaml"
    tidy = _not_empty(_tidy(schema))
    what = "A sopkit process file" if kind == "process" else "A sopkit roles.yaml"
    return {
        "$schema": SCHEMA_URI,
        **tidy,
        "title": title,
        "description": f"{what}, format version 1. {REFERENCE}",
        "$comment": REFERENCE,
    }


def _tidy(node: Any) -> Any:
    """Decimal fields as plain JSON numbers with standard bound keywords."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tidy(value) for key, value in node.items()}
    node = _without_null(node)
    if _is_decimal(node):
        number: dict[str, Any] = {"type": "number"}
        number.update(node["anyOf"][0])
        node = {key: value for key, value in node.items() if key != "anyOf"}
        node = {**number, **node}
    if node.get("type") == "number" or "anyOf" in node:
        for pydantic_name, keyword in _BOUNDS.items():
            if pydantic_name in node:
                node[keyword] = node.pop(pydantic_name)
    return node


def _without_null(node: dict[str, Any]) -> dict[str, Any]:
    """An optional field (``X | None = None``) as plain ``X``: a file leaves it out
    rather than writing ``null``, and editors then check the value against ``X``."""
    options = node.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and node.get("default", 0) is None):
        return node
    rest = [option for option in options if option != {"type": "null"}]
    if len(rest) != 1:
        return node
    merged = {key: value for key, value in node.items() if key not in ("anyOf", "default")}
    return {**rest[0], **merged}


def _not_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """The step fields a process file may not leave empty (``NOT_EMPTY``) without the
    ``null`` their other forms leave them (``automation``: a share or a mapping)."""
    step = schema.get("$defs", {}).get("Step", {}).get("properties", {})
    for name in NOT_EMPTY:
        field = step.get(name)
        if isinstance(field, dict) and isinstance(field.get("anyOf"), list):
            field["anyOf"] = [option for option in field["anyOf"] if option != {"type": "null"}]
            field.pop("default", None)
    return schema


def _is_decimal(node: dict[str, Any]) -> bool:
    """pydantic's Decimal: a number, or a string of digits.

    pydantic 2.13 gives the string a digits pattern and 2.14 none; our own
    ``N/period`` strings (costs) always carry a pattern with a ``/``.
    """
    options = node.get("anyOf")
    return (
        isinstance(options, list)
        and len(options) == 2
        and options[0].get("type") == "number"
        and options[1].get("type") == "string"
        and "/" not in options[1].get("pattern", "")
    )
