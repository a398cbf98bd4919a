"""Ranges: P10, P50 and P90 of annual cost, hours and lead time, by Monte Carlo simulation.

Three-point estimates, conditions, fractional ``per_run`` and rework mean a
process's year is not one number. ``simulate`` draws many years (and as many
single runs for lead time) and reports the mean and quantiles of each figure.
The mean of the annual figures converges to the cost report's; a process with
nothing uncertain has P10 = P50 = P90 = its annual cost.

    prepared.py a process as numbers: PERT-Beta estimates, condition groups, loop tree
    draws.py   seeded random streams (what the seed means) and the draws
    years.py   simulated years: runs counted by distribution, not replayed one by one
    lead.py    simulated runs: the longest path as the run happened, rework replayed
    result.py  frozen results: ``Range``, ``ProcessRanges``, ``Simulation``

NumPy is imported here, not by ``sopkit.analysis``, so commands that do not
simulate do not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from ...errors import UsageError
from ...models import Process
from ..cost import RoleCost
from ..given import Costable, as_costs
from .draws import Floats
from .lead import LeadTimes
from .prepared import MAX_GROUP_ANSWERS, Plans
from .result import QUANTILES, ProcessRanges, Range, RoleRanges, Simulation, role_ranges, summarise
from .years import Years, add_hours

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "MAX_GROUP_ANSWERS",
    "MAX_SEED",
    "MAX_YEARS",
    "MIN_YEARS",
    "ProcessYears",
    "QUANTILES",
    "ProcessRanges",
    "Progress",
    "Range",
    "RoleRanges",
    "Simulation",
    "simulate",
    "simulate_process",
]

DEFAULT_YEARS = 10_000
DEFAULT_SEED = 0
#: Fewer years than this leave P10 and P90 resting on fewer than 10 values each.
MIN_YEARS = 100
#: More years than this add nothing a decision could use and take a lot of memory.
MAX_YEARS = 1_000_000
#: Seeds are whole numbers from 0 to this (a JSON reader's 64-bit signed integer).
MAX_SEED = 2**63 - 1

#: Told after each process: processes done, processes in all, the id of the one just done.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class ProcessYears:
    """One process simulated: its ranges, and its figures year by year for the totals.

    ``values`` are labour cost, labour and expenses, staff hours and external
    hours, one value per simulated year, and ``roles`` each staff role's hours
    per year; the portfolio's ranges are taken from their sums, so they cannot
    be rebuilt from the ranges alone.
    """

    ranges: ProcessRanges
    values: tuple[Floats, Floats, Floats, Floats]
    roles: Mapping[str, Floats] = field(default_factory=dict)


def simulate_process(
    process: Process,
    *,
    years: int,
    seed: int,
    plans: Plans | None = None,
    by_role: bool = True,
) -> ProcessYears:
    """One process's simulated years and lead times: what ``simulate`` does per process.

    ``by_role=False`` leaves out each role's hours (the site shows no capacity ranges,
    and its build cache keeps every process's years: 13 roles would quadruple them).

    A process's figures depend only on the seed, the years and the process
    (with the processes it runs), not on the others simulated beside it (see
    ``draws``); so a caller may keep them and simulate only what changed.
    """
    plans = plans if plans is not None else Plans()
    figures = Years(seed, years, plans, by_role=by_role).own(process)
    values = (figures.cost, figures.cost + figures.expenses, figures.hours, figures.external)
    lead_hours = summarise(LeadTimes(seed, years, plans).hours(process))
    per_day = Decimal(1) / process.settings.hours_per_day
    cost_range, total_range, hours_range, external_range = (summarise(v) for v in values)
    return ProcessYears(
        ProcessRanges(
            process_id=process.id,
            name=process.name,
            annual_cost=cost_range,
            annual_total_cost=total_range,
            annual_hours=hours_range,
            external_hours=external_range,
            lead_time_hours=lead_hours,
            lead_time_days=lead_hours.scaled(per_day),
        ),
        values,
        figures.roles,
    )


def simulate(
    source: Costable,
    *,
    years: int = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    each: Callable[[Process], ProcessYears] | None = None,
    by_role: bool = True,
) -> Simulation:
    """Simulate ``years`` years of every process, and as many single runs for lead time.

    Args:
        source: loaded processes, or one (costed first, so they are checked
            exactly as ``sopkit cost`` checks them), or their costs (``as_costs``).
        years: simulated years, from ``MIN_YEARS`` to ``MAX_YEARS``.
        seed: any whole number from 0; the same seed gives the same figures
            (see ``draws`` for what it seeds).
        progress: called after each process, e.g. to show a progress bar.
        each: simulates one process in place of ``simulate_process`` (with the
            same years and seed), e.g. to reuse figures kept from a build before.
        by_role: each staff role's hours and capacity ranges (``Simulation.roles``);
            ``False`` leaves them out. With ``each``, the roles are those its
            figures hold, so it should leave them out too.

    Raises:
        UsageError: for years or a seed out of range.
        SopkitError: for anything the cost report refuses (missing rates,
            mixed currencies, limits).
    """
    _check(years, seed)
    costs = as_costs(source)
    plans = Plans()
    totals = [np.zeros(years) for _ in range(4)]
    role_hours: dict[str, Floats] = {}
    rows = []
    count = len(costs.processes)
    for done, cost in enumerate(costs.processes, 1):
        process = cost.process
        one = (
            simulate_process(process, years=years, seed=seed, plans=plans, by_role=by_role)
            if each is None
            else each(process)
        )
        for total, value in zip(totals, one.values, strict=True):
            total += value
        for role, hours in one.roles.items():
            add_hours(role_hours, role, hours)
        rows.append(one.ranges)
        if progress is not None:
            progress(done, count, process.id)
    cost_range, total_range, hours_range, external_range = (summarise(t) for t in totals)
    return Simulation(
        costs.currency,
        years,
        seed,
        tuple(rows),
        cost_range,
        total_range,
        hours_range,
        external_range,
        roles=tuple(
            role_ranges(r.role, role_hours[r.role], _capacity(r))
            for r in costs.roles
            if r.role in role_hours
        ),
    )


def _capacity(role: RoleCost) -> Decimal | None:
    """Headcount × available hours a year, as the cost report's utilisation divides by."""
    if role.headcount is None or role.available_hours is None:
        return None
    return Decimal(role.headcount) * role.available_hours


def _check(years: int, seed: int) -> None:
    if isinstance(years, bool) or not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        raise UsageError(
            f"cannot simulate {years!r} years",
            hint=f"give a whole number of years from {MIN_YEARS:,} to {MAX_YEARS:,}, e.g. 10000",
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise UsageError(
            f"seed {seed!r} is not a whole number from 0 to {MAX_SEED:,}", hint="e.g. --seed 42"
        )
