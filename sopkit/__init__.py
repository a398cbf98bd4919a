"""sopkit: marketing processes as YAML step graphs → SOPs, diagrams and cost reports.

The public API is imported lazily so that ``sopkit --help`` starts as fast as
Typer itself; ``from sopkit import load_process`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_EXPORTS = {
    "Automation": "sopkit.models",
    "Calendar": "sopkit.models",
    "Duration": "sopkit.models",
    "Estimate": "sopkit.models",
    "Frequency": "sopkit.models",
    "InputError": "sopkit.errors",
    "OutputError": "sopkit.errors",
    "Portfolio": "sopkit.load",
    "Problem": "sopkit.errors",
    "Process": "sopkit.models",
    "RenderError": "sopkit.errors",
    "Review": "sopkit.models",
    "Rework": "sopkit.models",
    "Role": "sopkit.models",
    "Settings": "sopkit.models",
    "SopkitError": "sopkit.errors",
    "Step": "sopkit.models",
    "ValidationError": "sopkit.errors",
    "check_process": "sopkit.validate",
    "discover": "sopkit.load",
    "flow_graph": "sopkit.graph",
    "json_schema": "sopkit.schema",
    "lint_process": "sopkit.validate",
    "load_portfolio": "sopkit.load",
    "load_process": "sopkit.load",
    "load_settings": "sopkit.load",
}

__all__ = [
    "Automation",
    "Calendar",
    "Duration",
    "Estimate",
    "Frequency",
    "InputError",
    "OutputError",
    "Portfolio",
    "Problem",
    "Process",
    "RenderError",
    "Review",
    "Rework",
    "Role",
    "Settings",
    "SopkitError",
    "Step",
    "ValidationError",
    "__version__",
    "check_process",
    "discover",
    "flow_graph",
    "json_schema",
    "lint_process",
    "load_portfolio",
    "load_process",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sopkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .errors import InputError, OutputError, Problem, RenderError, SopkitError, ValidationError
    from .graph import flow_graph
    from .load import Portfolio, discover, load_portfolio, load_process, load_settings
    from .models import (
        Automation,
        Calendar,
        Duration,
        Estimate,
        Frequency,
        Process,
        Review,
        Rework,
        Role,
        Settings,
        Step,
    )
    from .schema import json_schema
    from .validate import check_process, lint_process
