"""JSON Schema for process and roles files, generated from the models.

Editors (VS Code with the YAML extension, JetBrains IDEs) use it to
autocomplete and check process files as they are typed.
"""

from __future__ import annotations

from typing import Any, Literal

from .models import Process, Settings

__all__ = ["json_schema"]

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: Literal["process", "roles"] = "process") -> dict[str, Any]:
    """The schema of a process file (default) or of ``roles.yaml``."""
    model = Process if kind == "process" else Settings
    schema = model.model_json_schema(mode="validation")
    title = "sopkit process" if kind == "process" else "sopkit roles.yaml"
    return {"$schema": SCHEMA_URI, **schema, "title": title}
