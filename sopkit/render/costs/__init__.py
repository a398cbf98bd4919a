"""Cost and automation-candidate reports as text: terminal tables, Markdown, CSV, JSON,
and the step-by-step explanation of one figure (``--explain``)."""

from .cost_json import candidates_document, cost_document
from .explain import explain_figures, explain_step, explains_role
from .explain_role import explain_role
from .jsontext import dump_json
from .tables import (
    COST_VIEWS,
    FORMATS,
    candidates_report,
    cost_report,
    cost_report_parts,
    ensure_costs,
)

__all__ = [
    "COST_VIEWS",
    "FORMATS",
    "candidates_document",
    "candidates_report",
    "cost_document",
    "cost_report",
    "cost_report_parts",
    "dump_json",
    "ensure_costs",
    "explain_figures",
    "explains_role",
    "explain_role",
    "explain_step",
]
