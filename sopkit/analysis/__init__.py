"""Pure analysis: costs, schedules and automation candidates from loaded models.

Nothing here reads files or prints; every function takes models and returns
frozen result objects that the renderers format.
"""

from .candidates import Candidate, rank_candidates
from .cost import (
    PortfolioCost,
    ProcessCost,
    RoleCost,
    StepCost,
    cost_portfolio,
    cost_process,
    executions_per_run,
)
from .schedule import Schedule, schedule

__all__ = [
    "Candidate",
    "PortfolioCost",
    "ProcessCost",
    "RoleCost",
    "Schedule",
    "StepCost",
    "cost_portfolio",
    "cost_process",
    "executions_per_run",
    "rank_candidates",
    "schedule",
]
