"""What a process file can mean: figures far beyond any team are typos, refused with where.

Each input is bounded on its own (a rate, a ``per_run``, a frequency), but their
product can still be absurd: ``per_run: 1000000`` inside rework loops with
probability 0.9999999 is 10^20 executions per run. Such a file gets one
located error naming the factors, instead of a report nobody can read (or
arithmetic on numbers with thousands of digits).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..errors import Problem, SopkitError
from ..models import MAX_ANNUAL_MONEY
from ..validate import figure_text
from .profile import RunProfile, StepRun
from .units import MONTHS, exact_sum

__all__ = ["MAX_ANNUAL_HOURS", "MAX_EXECUTIONS_PER_RUN", "check_limits"]

#: More executions of one step in one run than this is not a manual workflow.
MAX_EXECUTIONS_PER_RUN = 1_000_000
#: Hours of one step in a year: 100 million hours is about 50,000 people full time.
MAX_ANNUAL_HOURS = 100_000_000


#: Rework loops a message names before it counts the rest.
_SHOWN_LOOPS = 3


def check_limits(run: RunProfile, runs_per_month: Fraction) -> None:
    """Refuse a process whose figures no team could have, naming the factors.

    Raises:
        SopkitError: one located problem per step beyond a limit.
    """
    if _within_limits(run, runs_per_month):
        return
    problems = []
    for index, step_run in enumerate(run.steps):
        problem = _step_problem(run, index, step_run, runs_per_month)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise SopkitError.collect(problems)


def _within_limits(run: RunProfile, runs_per_month: Fraction) -> bool:
    """Whether the whole run keeps every limit: no figure is negative, so a step's
    figure never exceeds the run's total, and totals within the limits clear every
    step at once (the per-step checks run only when a total is beyond one)."""
    per_year = runs_per_month * MONTHS
    return (
        exact_sum(s.executions for s in run.steps) <= MAX_EXECUTIONS_PER_RUN
        and exact_sum(s.calls for s in run.steps) <= MAX_EXECUTIONS_PER_RUN
        and (run.hours + run.external_hours) * per_year <= MAX_ANNUAL_HOURS
        and (run.cost + run.expenses) * per_year <= MAX_ANNUAL_MONEY
    )


def _step_problem(
    run: RunProfile, index: int, step_run: StepRun, runs_per_month: Fraction
) -> Problem | None:
    process, step = run.process, step_run.step
    where = ("steps", index, "id")
    if step_run.executions > MAX_EXECUTIONS_PER_RUN:
        factors = [f"per_run {_n(Fraction(step.per_run))}"]
        shown = step_run.loops[:_SHOWN_LOOPS]
        factors += [
            f"rework from '{loop.step}' ×{_n(loop.factor)} (probability {loop.probability})"
            for loop in shown
        ]
        if len(step_run.loops) > len(shown):
            factors.append(f"and {len(step_run.loops) - len(shown):,} more rework loops")
        return process.source.problem(
            where,
            f"step '{step.id}' runs {_n(step_run.executions)} times per run, more than "
            f"{MAX_EXECUTIONS_PER_RUN:,} ({'; '.join(factors)})",
            hint="check per_run and the rework probabilities",
        )
    if step_run.calls > MAX_EXECUTIONS_PER_RUN:
        return process.source.problem(
            where,
            f"step '{step.id}' runs process '{step.process}' {_n(step_run.calls)} times per run, "
            f"more than {MAX_EXECUTIONS_PER_RUN:,} (count {step.count} × "
            f"{_n(step_run.executions)} executions)",
            hint="check count, per_run and the rework probabilities",
        )
    per_year = runs_per_month * MONTHS
    hours = (step_run.hours + step_run.external_hours) * per_year
    if hours > MAX_ANNUAL_HOURS:
        return process.source.problem(
            where,
            f"step '{step.id}' takes {_n(hours)} hours a year, more than {MAX_ANNUAL_HOURS:,} "
            f"({_n(step_run.hours + step_run.external_hours)} hours per run × "
            f"{_runs(runs_per_month)} a month × 12)",
            hint="check time, per_run, count and the frequency",
        )
    money = (step_run.cost + step_run.expenses) * per_year
    if money > MAX_ANNUAL_MONEY:
        return process.source.problem(
            where,
            f"step '{step.id}' costs {_n(money)} a year, more than {MAX_ANNUAL_MONEY:,}",
            hint="check the rates, expenses and the frequency",
        )
    return None


def _runs(value: Fraction) -> str:
    shown = _n(value)
    return f"{shown} {'run' if shown == '1' else 'runs'}"


def _n(value: Fraction) -> str:
    return figure_text(Decimal(value.numerator) / Decimal(value.denominator))
