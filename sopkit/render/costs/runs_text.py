"""How often a step runs, explained: ``per_run``, its conditions and its rework loops.

Without conditions this is ``per_run × Π 1/(1 − p)``. A step that runs only
when a condition holds gets that condition's share of runs as a factor (its
*chance*). When a rework loop is live only in some runs (its reworking step
has a ``when``), executions are a sum over the answers to those conditions,
shown term by term as the format defines it, e.g. for a design step sent back
by a legal review that only tier-1 launches have::

    0.7 × 1 (big-launch: no) + 0.3 × 4/3 (big-launch: yes) = 1.1

Every number here is exact (``Fraction``) and shown with up to four decimals,
or as a small fraction such as ``4/3`` when a decimal would not end.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ...analysis.cost import StepCost
from ...analysis.runs import ReworkLoop, answer_combinations, runs_of, satisfies
from ...analysis.units import to_decimal
from ...models import Answer, Condition, Process, Step
from ..numbers import hours_text

__all__ = ["MAX_TERMS", "executions_lines", "exact_text", "when_lines"]

#: Terms of a sum over answers shown one by one; more are summed in one line.
MAX_TERMS = 8

Wanted = bool | tuple[str, ...]


def exact_text(value: Fraction | Decimal, digits: int = 4) -> str:
    """``1``, ``0.7``, ``1.4286`` — or ``4/3`` when the decimal would not end and the
    fraction is small enough to read."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return str(fraction.numerator)
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1 and fraction.denominator < 100 and abs(fraction.numerator) < 1000:
        return f"{fraction.numerator}/{fraction.denominator}"
    return hours_text(to_decimal(fraction), digits=digits)


def _decimal(value: Fraction) -> str:
    """Up to four decimals, no trailing zeros: ``1.4286``, ``2.5``."""
    return hours_text(to_decimal(value), digits=4)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _answer_text(answer: Answer) -> str:
    return "yes" if answer is True else "no" if answer is False else str(answer)


def _wanted_text(wanted: Wanted) -> str:
    if isinstance(wanted, bool):
        return "yes" if wanted else "no"
    return " or ".join(wanted)


def _share(condition: Condition, wanted: Wanted) -> Fraction:
    return sum(
        (Fraction(share) for answer, share in condition.answers() if _matches(answer, wanted)),
        Fraction(0),
    )


def _matches(answer: Answer, wanted: Wanted) -> bool:
    if isinstance(wanted, bool):
        return answer is wanted
    return answer in wanted


def when_lines(process: Process, step: Step) -> list[str]:
    """One line per ``when`` entry: the question, the answer wanted and its share of runs."""
    lines = []
    for name, wanted in (step.when or {}).items():
        condition = process.conditions[name]
        share = _share(condition, wanted)
        how = ""
        if isinstance(wanted, tuple) and len(wanted) > 1:
            shares = dict(condition.answers())
            how = " = " + " + ".join(exact_text(Fraction(shares[o])) for o in wanted)
        lines.append(
            f"runs only when {name} ({condition.question}) is {_wanted_text(wanted)}: "
            f"share of runs{how} = {exact_text(share)}"
        )
    return lines


def executions_lines(process: Process, step: Step, cost: StepCost) -> list[str]:
    """Where executions per run come from: ``per_run``, chance, loops, answers."""
    per_run = "per_run 1 (the default)" if step.per_run == 1 else f"per_run {_plain(step.per_run)}"
    loops = cost.rework
    live: dict[ReworkLoop, Mapping[str, Wanted]] = {
        loop: process.step(loop.step).when or {} for loop in loops
    }
    enumerated = sorted({name for when in live.values() for name in when})
    own = dict(step.when or {})
    plain_chance = Fraction(1)
    for name, wanted in own.items():
        if name not in enumerated:
            plain_chance *= _share(process.conditions[name], wanted)
    if not loops and not own:
        return [f"{per_run}; not inside a rework loop"]
    if not enumerated:
        parts = [per_run]
        if own:
            parts.append(f"chance {_decimal(plain_chance)}")
        if loops:
            parts.append("rework " + " × ".join(_decimal(loop.factor) for loop in loops))
        lines = [" × ".join(parts) + f" = {_decimal(Fraction(cost.executions_per_run))}"]
    else:
        executions = exact_text(runs_of(process).executions[step.id])
        lines = _sum_lines(process, per_run, own, plain_chance, live, enumerated, executions)
    lines.extend(when_lines(process, step))
    lines.extend(_loop_lines(process, live))
    if len(loops) > 1:
        lines.append("nested loops multiply")
    return lines


def _sum_lines(
    process: Process,
    per_run: str,
    own: Mapping[str, Wanted],
    plain_chance: Fraction,
    live: Mapping[ReworkLoop, Mapping[str, Wanted]],
    enumerated: list[str],
    executions: str,
) -> list[str]:
    """``per_run × Σ share × passes``: one term per combination of answers the step runs in."""
    terms: list[tuple[Fraction, Fraction, str]] = []
    for answers, weight in answer_combinations(process, enumerated, own):
        factor = Fraction(1)
        for loop, when in live.items():
            if satisfies(when, answers):
                factor *= loop.factor
        label = ", ".join(f"{name}: {_answer_text(answers[name])}" for name in enumerated)
        terms.append((weight, factor, label))
    total = sum((weight * factor for weight, factor, _ in terms), Fraction(0))
    head = per_run + (f" × chance {exact_text(plain_chance)}" if plain_chance != 1 else "")
    if len(terms) <= MAX_TERMS:
        shown = " + ".join(f"{exact_text(w)} × {exact_text(f)}" for w, f, _ in terms)
    else:
        shown = f"the sum over {len(terms)} combinations of answers"
    lines = [f"{head} × ({shown}) = {executions}"]
    lines.append(
        f"expected passes, summed over the answers to {', '.join(enumerated)} "
        f"(share of runs × rework factor of the loops live under them) = {exact_text(total)}:"
    )
    if len(terms) <= MAX_TERMS:
        for weight, factor, label in terms:
            lines.append(f"  {label}: {exact_text(weight)} of runs × {exact_text(factor)}")
    return lines


def _loop_lines(process: Process, live: Mapping[ReworkLoop, Mapping[str, Wanted]]) -> list[str]:
    lines = []
    for loop, when in live.items():
        what = (
            f"'{loop.step}' repeats itself"
            if loop.step == loop.to
            else f"'{loop.step}' sends work back to '{loop.to}'"
        )
        only = ""
        if when:
            conditions = " and ".join(f"{n} is {_wanted_text(w)}" for n, w in when.items())
            only = f" (only in runs where {conditions}, when '{loop.step}' runs)"
        lines.append(
            f"{what} with probability {_plain(loop.probability)}{only}: "
            f"every step from '{loop.to}' to '{loop.step}' runs 1 ÷ (1 − "
            f"{_plain(loop.probability)}) = {_decimal(loop.factor)} times"
        )
    return lines
