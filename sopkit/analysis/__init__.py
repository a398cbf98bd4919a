"""Pure analysis: costs, schedules and automation candidates from loaded models.

Nothing here reads files or prints; every function takes models and returns
frozen result objects that the renderers format.

    runs.py        executions per run: per_run, conditions, rework loops
    profile.py     one average run: participants, calls, expenses
    cost.py        annual figures per step, process, role and portfolio
    limits.py      figures no team could have, refused with where
    schedule.py    the typical run: lead time and critical path
    plan/          the typical run dated on the working calendar, due dates
    candidates.py  automation candidates: savings, payback, ROI
    pareto.py      the steps ranked by cost, and the few that make 80 % of it
    given.py       what callers hand in: a process or its costs, processes or theirs
    compare.py     two costed portfolios matched and subtracted (diff, scenarios)
    simulation/    ranges (P10/P50/P90) by Monte Carlo; imports NumPy, so it is
                   not re-exported here: ``from sopkit.analysis.simulation import simulate``
"""

from .candidates import Candidate, Unassessed, candidate_for, rank_candidates, unassessed_steps
from .cost import (
    CostSummary,
    Participant,
    PortfolioCost,
    ProcessCost,
    ReworkLoop,
    RoleCost,
    RoleShare,
    StepCost,
    cost_among_callers,
    cost_portfolio,
    cost_process,
    executions_per_run,
    fte,
    rework_loops,
)
from .given import Costable, as_costs, as_process_cost
from .pareto import Pareto, pareto
from .plan import Overbooking, Plan, PlannedStep, Unbooked, plan_run
from .runs import chance, typical_answers
from .schedule import Schedule, schedule, typical_run
from .units import exact_hours, expected_hours, runs_per_month, to_decimal

__all__ = [
    "Candidate",
    "CostSummary",
    "Costable",
    "Pareto",
    "Participant",
    "Overbooking",
    "Plan",
    "PlannedStep",
    "PortfolioCost",
    "ProcessCost",
    "ReworkLoop",
    "RoleCost",
    "RoleShare",
    "Schedule",
    "StepCost",
    "Unassessed",
    "Unbooked",
    "as_costs",
    "as_process_cost",
    "candidate_for",
    "chance",
    "cost_among_callers",
    "cost_portfolio",
    "cost_process",
    "exact_hours",
    "executions_per_run",
    "expected_hours",
    "fte",
    "pareto",
    "plan_run",
    "rank_candidates",
    "rework_loops",
    "runs_per_month",
    "schedule",
    "to_decimal",
    "typical_answers",
    "typical_run",
    "unassessed_steps",
]
