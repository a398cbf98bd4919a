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
    "BpmnImport": "sopkit.interop.bpmn",
    "BuildResult": "sopkit.build",
    "Candidate": "sopkit.analysis",
    "Checkup": "sopkit.checkup",
    "Clock": "sopkit.models",
    "Comparison": "sopkit.analysis.compare",
    "Diff": "sopkit.decide",
    "Drawing": "sopkit.render.diagram",
    "Duration": "sopkit.models",
    "Estimate": "sopkit.models",
    "Figure": "sopkit.analysis.compare",
    "Frequency": "sopkit.models",
    "ImportFiles": "sopkit.interop.bpmn",
    "InputError": "sopkit.errors",
    "Language": "sopkit.models",
    "LibraryEntry": "sopkit.library",
    "NewProcess": "sopkit.library",
    "OutputError": "sopkit.errors",
    "Plan": "sopkit.analysis.plan",
    "PlanOutput": "sopkit.render.plan",
    "Portfolio": "sopkit.load",
    "PortfolioCost": "sopkit.analysis",
    "Problem": "sopkit.errors",
    "Process": "sopkit.models",
    "ProcessCost": "sopkit.analysis",
    "ProcessRanges": "sopkit.analysis.simulation",
    "Range": "sopkit.analysis.simulation",
    "RenderError": "sopkit.errors",
    "Review": "sopkit.models",
    "Rework": "sopkit.models",
    "Role": "sopkit.models",
    "RoleCost": "sopkit.analysis",
    "Scenario": "sopkit.decide",
    "ScenarioPlan": "sopkit.decide",
    "ScenarioResult": "sopkit.analysis.compare",
    "Scenarios": "sopkit.decide",
    "Schedule": "sopkit.analysis",
    "Settings": "sopkit.models",
    "Simulation": "sopkit.analysis.simulation",
    "SiteServer": "sopkit.build.serve",
    "SopkitError": "sopkit.errors",
    "Step": "sopkit.models",
    "StepCost": "sopkit.analysis",
    "Threshold": "sopkit.analysis.compare",
    "ToBe": "sopkit.decide",
    "UsageError": "sopkit.errors",
    "ValidationError": "sopkit.errors",
    "Verdict": "sopkit.analysis.compare",
    "annual_report": "sopkit.render.report",
    "apply_scenario": "sopkit.decide",
    "as_costs": "sopkit.analysis",
    "as_process_cost": "sopkit.analysis",
    "build_digraph": "sopkit.render.diagram",
    "build_site": "sopkit.build",
    "callers_of": "sopkit.load",
    "with_procedures": "sopkit.load",
    "roles_worked_beside": "sopkit.load",
    "candidates_report": "sopkit.render.costs.tables",
    "check_files": "sopkit.checkup",
    "check_process": "sopkit.validate",
    "compare": "sopkit.analysis.compare",
    "compare_scenarios": "sopkit.decide",
    "cost_among_callers": "sopkit.analysis",
    "cost_portfolio": "sopkit.analysis",
    "cost_process": "sopkit.analysis",
    "cost_report": "sopkit.render.costs.tables",
    "diff": "sopkit.decide",
    "diff_report": "sopkit.render.costs.diff",
    "discover": "sopkit.load",
    "draw": "sopkit.render.diagram",
    "explain_role": "sopkit.render.costs.explain_role",
    "explain_step": "sopkit.render.costs.explain",
    "export_bpmn": "sopkit.interop.bpmn",
    "export_portfolio": "sopkit.interop.bpmn",
    "flow_graph": "sopkit.graph",
    "import_bpmn": "sopkit.interop.bpmn",
    "import_texts": "sopkit.interop.bpmn",
    "json_schema": "sopkit.schema",
    "library_entries": "sopkit.library",
    "lint_process": "sopkit.validate",
    "load_portfolio": "sopkit.load",
    "load_process": "sopkit.load",
    "load_scenario": "sopkit.decide",
    "load_settings": "sopkit.load",
    "new_process": "sopkit.library",
    "parse_threshold": "sopkit.decide",
    "plan_run": "sopkit.analysis.plan",
    "plan_scenario": "sopkit.decide",
    "rank_candidates": "sopkit.analysis",
    "read_bpmn_file": "sopkit.interop.bpmn",
    "render_checklist": "sopkit.render.sop.checklist",
    "render_plan": "sopkit.render.plan",
    "render_sop": "sopkit.render.sop",
    "render_workbook": "sopkit.render.workbook",
    "scenarios_report": "sopkit.render.costs.scenarios",
    "schedule": "sopkit.analysis",
    "simulate": "sopkit.analysis.simulation",
    "simulate_scenarios": "sopkit.decide",
    "simulation_report": "sopkit.render.costs.ranges",
    "to_dot": "sopkit.render.diagram",
    "to_mermaid": "sopkit.render.diagram.mermaid",
    "verdict": "sopkit.analysis.compare",
    "write_exports": "sopkit.interop.bpmn",
    "write_import": "sopkit.interop.bpmn",
}

__all__ = [
    "Automation",
    "BpmnImport",
    "BuildResult",
    "Candidate",
    "Checkup",
    "Clock",
    "Comparison",
    "Diff",
    "Drawing",
    "Duration",
    "Estimate",
    "Figure",
    "Frequency",
    "ImportFiles",
    "InputError",
    "Language",
    "LibraryEntry",
    "NewProcess",
    "OutputError",
    "Plan",
    "PlanOutput",
    "Portfolio",
    "PortfolioCost",
    "Problem",
    "Process",
    "ProcessCost",
    "ProcessRanges",
    "Range",
    "RenderError",
    "Review",
    "Rework",
    "Role",
    "RoleCost",
    "Scenario",
    "ScenarioPlan",
    "ScenarioResult",
    "Scenarios",
    "Schedule",
    "Settings",
    "Simulation",
    "SiteServer",
    "SopkitError",
    "Step",
    "StepCost",
    "Threshold",
    "ToBe",
    "UsageError",
    "ValidationError",
    "Verdict",
    "__version__",
    "annual_report",
    "apply_scenario",
    "as_costs",
    "as_process_cost",
    "build_digraph",
    "build_site",
    "callers_of",
    "candidates_report",
    "check_files",
    "check_process",
    "compare",
    "compare_scenarios",
    "cost_among_callers",
    "cost_portfolio",
    "cost_process",
    "cost_report",
    "diff",
    "diff_report",
    "discover",
    "draw",
    "explain_role",
    "explain_step",
    "export_bpmn",
    "export_portfolio",
    "flow_graph",
    "import_bpmn",
    "import_texts",
    "json_schema",
    "library_entries",
    "lint_process",
    "load_portfolio",
    "load_process",
    "load_scenario",
    "load_settings",
    "new_process",
    "parse_threshold",
    "plan_run",
    "plan_scenario",
    "rank_candidates",
    "read_bpmn_file",
    "render_checklist",
    "render_plan",
    "render_sop",
    "render_workbook",
    "roles_worked_beside",
    "scenarios_report",
    "schedule",
    "simulate",
    "simulate_scenarios",
    "simulation_report",
    "to_dot",
    "to_mermaid",
    "verdict",
    "with_procedures",
    "write_exports",
    "write_import",
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
        as_costs,
        as_process_cost,
        cost_among_callers,
        cost_portfolio,
        cost_process,
        rank_candidates,
        schedule,
    )
    from .analysis.compare import (
        Comparison,
        Figure,
        ScenarioResult,
        Threshold,
        Verdict,
        compare,
        verdict,
    )
    from .analysis.plan import Plan, plan_run
    from .analysis.simulation import ProcessRanges, Range, Simulation, simulate
    from .build import BuildResult, build_site
    from .build.serve import SiteServer
    from .checkup import Checkup, check_files
    from .decide import (
        Diff,
        Scenario,
        ScenarioPlan,
        Scenarios,
        ToBe,
        apply_scenario,
        compare_scenarios,
        diff,
        load_scenario,
        parse_threshold,
        plan_scenario,
        simulate_scenarios,
    )
    from .errors import (
        InputError,
        OutputError,
        Problem,
        RenderError,
        SopkitError,
        UsageError,
        ValidationError,
    )
    from .graph import flow_graph
    from .interop.bpmn import (
        BpmnImport,
        ImportFiles,
        export_bpmn,
        export_portfolio,
        import_bpmn,
        import_texts,
        read_bpmn_file,
        write_exports,
        write_import,
    )
    from .library import LibraryEntry, NewProcess, library_entries, new_process
    from .load import (
        Portfolio,
        callers_of,
        discover,
        load_portfolio,
        load_process,
        load_settings,
        roles_worked_beside,
        with_procedures,
    )
    from .models import (
        Automation,
        Clock,
        Duration,
        Estimate,
        Frequency,
        Language,
        Process,
        Review,
        Rework,
        Role,
        Settings,
        Step,
    )
    from .render.costs import candidates_report, cost_report, explain_role, explain_step
    from .render.costs.diff import diff_report
    from .render.costs.ranges import simulation_report
    from .render.costs.scenarios import scenarios_report
    from .render.diagram import Drawing, build_digraph, draw, to_dot
    from .render.diagram.mermaid import to_mermaid
    from .render.plan import PlanOutput, render_plan
    from .render.report import annual_report
    from .render.sop import render_sop
    from .render.sop.checklist import render_checklist
    from .render.workbook import render_workbook
    from .schema import json_schema
    from .validate import check_process, lint_process
