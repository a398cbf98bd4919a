"""Pure analysis: costs, schedules and automation candidates from loaded models.

Nothing here reads files or prints; every function takes models and returns
frozen result objects that the renderers format.
"""

from .candidates import Candidate, candidate_for, rank_candidates
from .cost import (
    PortfolioCost,
    ProcessCost,
    ReworkLoop,
    RoleCost,
    StepCost,
    cost_portfolio,
    cost_process,
    executions_per_run,
    fte,
    rework_loops,
)
from .schedule import Schedule, schedule
from .units import exact_hours, expected_hours, runs_per_month, to_decimal

__all__ = [
    "Candidate",
    "PortfolioCost",
    "ProcessCost",
    "ReworkLoop",
    "RoleCost",
    "Schedule",
    "StepCost",
    "candidate_for",
    "cost_portfolio",
    "cost_process",
    "exact_hours",
    "executions_per_run",
    "expected_hours",
    "fte",
    "rank_candidates",
    "rework_loops",
    "runs_per_month",
    "schedule",
    "to_decimal",
]
