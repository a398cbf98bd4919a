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
    "BuildResult": "sopkit.build",
    "Candidate": "sopkit.analysis",
    "Clock": "sopkit.models",
    "Comparison": "sopkit.analysis.compare",
    "Duration": "sopkit.models",
    "Estimate": "sopkit.models",
    "Frequency": "sopkit.models",
    "InputError": "sopkit.errors",
    "OutputError": "sopkit.errors",
    "Portfolio": "sopkit.load",
    "PortfolioCost": "sopkit.analysis",
    "Problem": "sopkit.errors",
    "Process": "sopkit.models",
    "ProcessCost": "sopkit.analysis",
    "RenderError": "sopkit.errors",
    "Review": "sopkit.models",
    "Rework": "sopkit.models",
    "Role": "sopkit.models",
    "RoleCost": "sopkit.analysis",
    "Scenario": "sopkit.decide",
    "Schedule": "sopkit.analysis",
    "Settings": "sopkit.models",
    "Simulation": "sopkit.analysis.simulation",
    "SopkitError": "sopkit.errors",
    "Step": "sopkit.models",
    "StepCost": "sopkit.analysis",
    "ValidationError": "sopkit.errors",
    "annual_report": "sopkit.render.report",
    "apply_scenario": "sopkit.decide",
    "build_digraph": "sopkit.render.diagram",
    "build_site": "sopkit.build",
    "candidates_report": "sopkit.render.costs.tables",
    "check_process": "sopkit.validate",
    "compare_scenarios": "sopkit.decide",
    "cost_portfolio": "sopkit.analysis",
    "cost_process": "sopkit.analysis",
    "cost_report": "sopkit.render.costs.tables",
    "diff": "sopkit.decide",
    "diff_report": "sopkit.render.costs.diff",
    "discover": "sopkit.load",
    "explain_step": "sopkit.render.costs.explain",
    "export_bpmn": "sopkit.interop.bpmn",
    "flow_graph": "sopkit.graph",
    "import_bpmn": "sopkit.interop.bpmn",
    "json_schema": "sopkit.schema",
    "lint_process": "sopkit.validate",
    "load_portfolio": "sopkit.load",
    "load_process": "sopkit.load",
    "load_scenario": "sopkit.decide",
    "load_settings": "sopkit.load",
    "plan_run": "sopkit.analysis.plan",
    "rank_candidates": "sopkit.analysis",
    "render_checklist": "sopkit.render.sop.checklist",
    "render_sop": "sopkit.render.sop",
    "render_workbook": "sopkit.render.workbook",
    "scenarios_report": "sopkit.render.costs.scenarios",
    "schedule": "sopkit.analysis",
    "simulate": "sopkit.analysis.simulation",
    "simulation_report": "sopkit.render.costs.ranges",
    "to_dot": "sopkit.render.diagram",
    "to_mermaid": "sopkit.render.diagram.mermaid",
}

__all__ = [
    "Automation",
    "BuildResult",
    "Candidate",
    "Clock",
    "Comparison",
    "Duration",
    "Estimate",
    "Frequency",
    "InputError",
    "OutputError",
    "Portfolio",
    "PortfolioCost",
    "Problem",
    "Process",
    "ProcessCost",
    "RenderError",
    "Review",
    "Rework",
    "Role",
    "RoleCost",
    "Scenario",
    "Schedule",
    "Settings",
    "Simulation",
    "SopkitError",
    "Step",
    "StepCost",
    "ValidationError",
    "__version__",
    "annual_report",
    "apply_scenario",
    "build_digraph",
    "build_site",
    "candidates_report",
    "check_process",
    "compare_scenarios",
    "cost_portfolio",
    "cost_process",
    "cost_report",
    "diff",
    "diff_report",
    "discover",
    "explain_step",
    "export_bpmn",
    "flow_graph",
    "import_bpmn",
    "json_schema",
    "lint_process",
    "load_portfolio",
    "load_process",
    "load_scenario",
    "load_settings",
    "plan_run",
    "rank_candidates",
    "render_checklist",
    "render_sop",
    "render_workbook",
    "scenarios_report",
    "schedule",
    "simulate",
    "simulation_report",
    "to_dot",
    "to_mermaid",
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
    from .analysis import (
        Candidate,
        PortfolioCost,
        ProcessCost,
        RoleCost,
        Schedule,
        StepCost,
        cost_portfolio,
        cost_process,
        rank_candidates,
        schedule,
    )
    from .analysis.compare import Comparison
    from .analysis.plan import plan_run
    from .analysis.simulation import Simulation, simulate
    from .build import BuildResult, build_site
    from .decide import Scenario, apply_scenario, compare_scenarios, diff, load_scenario
    from .errors import InputError, OutputError, Problem, RenderError, SopkitError, ValidationError
    from .graph import flow_graph
    from .interop.bpmn import export_bpmn, import_bpmn
    from .load import Portfolio, discover, load_portfolio, load_process, load_settings
    from .models import (
        Automation,
        Clock,
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
    from .render.costs import candidates_report, cost_report, explain_step
    from .render.costs.diff import diff_report
    from .render.costs.ranges import simulation_report
    from .render.costs.scenarios import scenarios_report
    from .render.diagram import build_digraph, to_dot
    from .render.diagram.mermaid import to_mermaid
    from .render.report import annual_report
    from .render.sop import render_sop
    from .render.sop.checklist import render_checklist
    from .render.workbook import render_workbook
    from .schema import json_schema
    from .validate import check_process, lint_process
