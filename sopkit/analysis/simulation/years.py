"""Simulated years: hours, labour and expenses of a process's runs, a whole year per number.

Each year draws every estimate once (a step's time, a call's ``count``): the
uncertainty is in what a step takes, not in run-to-run noise. The runs of the
year are then counted, not replayed one by one, with distributions that give
exactly what replaying them would:

* the runs answering each combination of a group of linked conditions:
  multinomial over the year's runs;
* the passes through a live rework loop entered ``n`` times: ``n`` plus a
  negative binomial (each entry is a geometric number of passes, mean
  1/(1 − p)); a loop inside it is entered once per pass of the outer one;
* ``per_run`` executions: the whole part on every pass, plus one more with
  the fractional part as chance (binomial over the passes);
* a call: ``count`` runs of the called process per execution, the whole part
  of the year's ``count`` plus one more with its fractional part as chance;
  the called process's runs are counted the same way, recursively.

So a year costs the same whatever the number of runs in it, and the mean of
every figure is exactly the cost report's formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...models import Process
from .draws import Floats, Ints, draw, negative_binomial, stream
from .prepared import Plans, ProcessPlan, StepPlan

__all__ = ["Annual", "Years", "add_hours"]


@dataclass(slots=True)
class Annual:
    """Per simulated year: labour cost, expenses, staff hours and external hours, and
    each staff role's hours (for its capacity)."""

    cost: Floats
    expenses: Floats
    hours: Floats
    external: Floats
    roles: dict[str, Floats] = field(default_factory=dict)

    @classmethod
    def zeros(cls, years: int) -> Annual:
        return cls(np.zeros(years), np.zeros(years), np.zeros(years), np.zeros(years))

    def add(self, other: Annual) -> None:
        self.cost += other.cost
        self.expenses += other.expenses
        self.hours += other.hours
        self.external += other.external
        for role, hours in other.roles.items():
            add_hours(self.roles, role, hours)


def add_hours(into: dict[str, Floats], role: str, hours: Floats) -> None:
    """``hours`` added to a role's in ``into``, year by year (never sharing the array given)."""
    if role in into:
        into[role] += hours
    else:
        into[role] = hours.copy()


class Years:
    """Simulates ``years`` years with one ``seed``; plans are shared with the caller."""

    def __init__(self, seed: int, years: int, plans: Plans, *, by_role: bool = True) -> None:
        self.by_role = by_role
        self.seed = seed
        self.years = years
        self.plans = plans

    def own(self, process: Process) -> Annual:
        """A process's own runs (its ``frequency``) and its fixed expenses, per year."""
        plan = self.plans(process)
        rng = stream(self.seed, "frequency", process.id)
        runs: Ints = np.full(self.years, plan.runs_whole, dtype=np.int64)
        if plan.runs_fraction:
            runs += rng.random(self.years) < plan.runs_fraction
        result = self.runs(process, runs, (process.id,))
        result.expenses += plan.fixed_expenses
        return result

    def runs(self, process: Process, runs: Ints, path: tuple[str, ...]) -> Annual:
        """The figures of ``runs[y]`` runs of ``process`` in each year ``y``.

        ``path`` names the runs (the process, or the calling steps that lead to it),
        so each gets a stream of its own; the year's estimates come from the
        process's one ``year`` stream wherever it runs.
        """
        plan = self.plans(process)
        rng = stream(self.seed, "runs", *path)
        estimates = stream(self.seed, "year", process.id)
        passes = _Passes(plan, runs, rng)
        result = Annual.zeros(self.years)
        for step in plan.steps:
            time = None if step.time is None else draw(step.time, estimates, self.years)
            count = draw(step.count, estimates, self.years) if step.calls else None
            if step.time is None and step.calls is None:
                continue  # a milestone: no time, no money
            executions = _executions(step, passes(step), rng)
            if time is not None:
                person_hours = time * executions
                result.hours += person_hours * step.staff
                result.external += person_hours * step.external
                result.cost += person_hours * step.rate
                for role, people in step.people if self.by_role else ():
                    add_hours(result.roles, role, person_hours * people)
            if step.expense:
                result.expenses += step.expense * executions
            if count is not None:
                whole = np.floor(count)
                called = executions * whole.astype(np.int64)
                called += rng.binomial(executions, count - whole)
                callee = self.plans.callee(process, step)
                result.add(self.runs(callee, called, (*path, step.id, callee.id)))
        if plan.run_expenses:
            result.expenses += plan.run_expenses * runs
        return result


def _executions(step: StepPlan, passes: Ints, rng: np.random.Generator) -> Ints:
    """``per_run`` on every pass: the whole part, and one more with the fraction as chance."""
    executions: Ints = passes * step.whole
    if step.fraction:
        executions = executions + rng.binomial(passes, step.fraction)
    return executions


class _Passes:
    """How many passes each step makes through a year's runs, shared by steps that share them.

    Passes are summed over the answer combinations under which a step runs; for
    each combination, the chain of live loops that hold the step gives its passes:
    the runs of that combination, then each loop inside the last multiplies them
    by its geometric passes. Totals are remembered, so steps replayed together
    (and steps that run together) get the very same numbers.
    """

    def __init__(self, plan: ProcessPlan, runs: Ints, rng: np.random.Generator) -> None:
        self.plan = plan
        self.rng = rng
        self.counts: list[Ints] = [
            rng.multinomial(runs, shares) if len(shares) > 1 else runs[:, None]
            for shares in plan.groups
        ]
        self.runs = runs
        self.chains: dict[tuple[int, int, tuple[int, ...]], Ints] = {}
        self.sums: dict[tuple[int, tuple[tuple[int, tuple[int, ...]], ...]], Ints] = {}

    def __call__(self, step: StepPlan) -> Ints:
        key = (step.group, step.patterns)
        if key not in self.sums:
            total: Ints = np.zeros_like(self.runs)
            for combination, chain in step.patterns:
                total = total + self._chain(step.group, combination, chain)
            self.sums[key] = total
        return self.sums[key]

    def _chain(self, group: int, combination: int, chain: tuple[int, ...]) -> Ints:
        key = (group, combination, chain)
        if key not in self.chains:
            if not chain:
                entries = self.runs if group < 0 else self.counts[group][:, combination]
                self.chains[key] = np.ascontiguousarray(entries)
            else:
                entries = self._chain(group, combination, chain[:-1])
                loop = self.plan.loops[chain[-1]]
                self.chains[key] = entries + negative_binomial(entries, loop.probability, self.rng)
        return self.chains[key]
