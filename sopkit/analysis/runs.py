"""How often each step runs: ``per_run``, conditions and rework loops, exactly.

The format defines executions per run of a step as

    per_run × Σ_a P(a) · [step runs under a] · Π_loops (1/(1 − p) if live under a, else 1)

summed over every combination ``a`` of answers to the conditions the step and
the reworking steps of its loops name. A loop is *live* in a run when its
reworking step's conditions hold. Conditions that only the step itself names
do not interact with any loop, so they leave the sum as a plain factor (the
share of runs that satisfy them); only the conditions of reworking steps are
enumerated. Without conditions this is ``per_run × Π 1/(1 − p)``.

Loops that share a probability and a liveness multiply as one power, so a
step inside thousands of loops costs one ``pow`` per kind of loop rather than
one big-fraction product per loop.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..errors import SopkitError
from ..graph import Flow
from ..models import Answer, Condition, Process, Step
from .units import times

__all__ = [
    "MAX_COMBINATIONS",
    "ReworkLoop",
    "Runs",
    "answer_combinations",
    "chance",
    "rework_loops",
    "runs_of",
    "satisfies",
    "typical_answers",
]

#: Combinations of answers one step's figure may depend on (2^16 yes/no questions).
MAX_COMBINATIONS = 65_536


@dataclass(frozen=True, slots=True)
class ReworkLoop:
    """A rework loop a step is inside: ``step`` sends work back ``to`` with ``probability``."""

    step: str
    to: str
    probability: Decimal

    @property
    def factor(self) -> Fraction:
        """How many times, on average, every step in the loop runs when it is live."""
        return 1 / (1 - Fraction(self.probability))


@dataclass(frozen=True, slots=True)
class Runs:
    """For every step of one process: the loops it is in, its chance and executions per run."""

    loops: Mapping[str, tuple[ReworkLoop, ...]]
    chance: Mapping[str, Fraction]
    executions: Mapping[str, Fraction]
    #: The process's ``after`` graph, built once here and reused by its schedule.
    flow: Flow | None = field(default=None, compare=False, repr=False)


def satisfies(when: Mapping[str, bool | tuple[str, ...]], answers: Mapping[str, Answer]) -> bool:
    """Whether a run with these answers meets every entry of a step's ``when``."""
    for name, wanted in when.items():
        answer = answers[name]
        if isinstance(wanted, bool):
            if answer is not wanted:
                return False
        elif answer not in wanted:
            return False
    return True


def _share_satisfying(condition: Condition, wanted: bool | tuple[str, ...]) -> Fraction:
    """The share of runs whose answer to ``condition`` is ``wanted``."""
    return sum(
        (Fraction(share) for answer, share in condition.answers() if _matches(answer, wanted)),
        Fraction(0),
    )


def _matches(answer: Answer, wanted: bool | tuple[str, ...]) -> bool:
    if isinstance(wanted, bool):
        return answer is wanted
    return answer in wanted


def chance(process: Process, step: Step) -> Fraction:
    """The share of runs in which the step runs: the product over its ``when`` entries."""
    result = Fraction(1)
    for name, wanted in (step.when or {}).items():
        result *= _share_satisfying(process.conditions[name], wanted)
    return result


def typical_answers(process: Process) -> dict[str, Answer]:
    """Every condition answered with its most likely answer: the typical run's answers."""
    return {name: condition.most_likely() for name, condition in process.conditions.items()}


def rework_loops(process: Process, flow: Flow | None = None) -> dict[str, tuple[ReworkLoop, ...]]:
    """For each step, the rework loops it is inside, in file order.

    A loop runs from ``rework.to`` to the reworking step and holds every step on
    some path between them (a self loop holds just the step). Loops with
    probability 0 are left out: they repeat nothing.
    """
    found: dict[str, list[ReworkLoop]] = {step.id: [] for step in process.steps}
    reworking = [s for s in process.steps if s.rework is not None and s.rework.probability > 0]
    if not reworking:
        return {step_id: () for step_id in found}
    reached = (Flow.of(process) if flow is None else flow).reach()
    for step in reworking:
        assert step.rework is not None
        loop = ReworkLoop(step.id, step.rework.to, step.rework.probability)
        for member in reached.members(reached.loop(step.rework.to, step.id)):
            found[member].append(loop)
    return {step_id: tuple(loops) for step_id, loops in found.items()}


def runs_of(process: Process) -> Runs:
    """Loops, chance and executions per run of every step, exactly.

    Raises:
        SopkitError: when a step's figure depends on more than ``MAX_COMBINATIONS``
            combinations of answers (located at the step).
    """
    flow = Flow.of(process)
    loops = rework_loops(process, flow)
    if not any(step.when for step in process.steps):
        return _unconditional(process, loops, flow)
    whens = {step.id: step.when or {} for step in process.steps}
    liveness = {
        step.id: tuple(sorted(whens[step.id].items()))
        for step in process.steps
        if step.rework is not None
    }
    chances: dict[str, Fraction] = {}
    executions: dict[str, Fraction] = {}
    for index, step in enumerate(process.steps):
        chances[step.id] = chance(process, step)
        passes = _expected_passes(process, index, step, loops[step.id], whens, liveness)
        executions[step.id] = _bounded(Fraction(step.per_run) * passes)
    return Runs(loops, chances, executions, flow)


_ONE = Fraction(1)


def _unconditional(
    process: Process, loops: Mapping[str, tuple[ReworkLoop, ...]], flow: Flow
) -> Runs:
    """``runs_of`` for a process whose steps ask no condition (most of them).

    Every step runs in every run and every loop is always live, so a step's
    executions are ``per_run × Π 1/(1 − p)`` over its loops: the general sum
    with a single combination, without enumerating answers. Steps inside the
    same loops share the product.
    """
    chances: dict[str, Fraction] = {}
    executions: dict[str, Fraction] = {}
    products: dict[tuple[ReworkLoop, ...], Fraction] = {(): _ONE}
    for step in process.steps:
        inside = loops[step.id]
        product = products.get(inside) if inside else _ONE
        if product is None:
            product = products[inside] = _product(Counter(loop.probability for loop in inside))
        per_run = _fraction(step.per_run)
        chances[step.id] = _ONE
        executions[step.id] = per_run if product is _ONE else _bounded(times(per_run, product))
    return Runs(loops, chances, executions, flow)


#: The fraction of a ``per_run``: a few values repeat across every step of a portfolio.
_fraction = lru_cache(maxsize=1024)(Fraction)


def _expected_passes(
    process: Process,
    index: int,
    step: Step,
    loops: Iterable[ReworkLoop],
    whens: Mapping[str, Mapping[str, bool | tuple[str, ...]]],
    liveness: Mapping[str, _Liveness],
) -> Fraction:
    """``Σ_a P(a) · [step runs under a] · Π live loop factors``, for one step."""
    # Loops that share a liveness (the reworking step's `when`) and a probability
    # multiply as one power.
    counted = Counter((liveness[loop.step], loop.probability) for loop in loops)
    groups: dict[_Liveness, Counter[Decimal]] = {}
    for (live_when, probability), count in counted.items():
        groups.setdefault(live_when, Counter())[probability] += count
    factors = {live_when: _product(probabilities) for live_when, probabilities in groups.items()}
    always = factors.pop((), Fraction(1))
    own = whens[step.id]
    enumerated = sorted({name for live_when in factors for name, _ in live_when})
    # The step's own conditions that no loop names are a plain factor.
    result = always
    for name, wanted in own.items():
        if name not in enumerated:
            result *= _share_satisfying(process.conditions[name], wanted)
    if not enumerated:
        return result
    conditions = [process.conditions[name] for name in enumerated]
    combinations = 1
    for condition in conditions:
        combinations *= len(condition.answers())
    if combinations > MAX_COMBINATIONS:
        raise SopkitError.collect(
            [
                process.source.problem(
                    ("steps", index, "id"),
                    f"step '{step.id}' depends on {combinations:,} combinations of answers "
                    f"to {len(conditions)} conditions; sopkit handles up to "
                    f"{MAX_COMBINATIONS:,}",
                    hint="name fewer conditions in the 'when' of the steps that send work back",
                )
            ]
        )
    total = Fraction(0)
    for answers, weight in answer_combinations(process, enumerated, own):
        for live_when, factor in factors.items():
            if satisfies(dict(live_when), answers):
                weight *= factor
        total += weight
    return result * total


def answer_combinations(
    process: Process, names: Sequence[str], wanted: Mapping[str, bool | tuple[str, ...]]
) -> Iterator[tuple[dict[str, Answer], Fraction]]:
    """Each combination of answers to the conditions ``names`` under which a step whose
    ``when`` is ``wanted`` runs, with its share of runs (the product of the answers' shares).

    Conditions in ``wanted`` but not in ``names`` are left to the caller.
    """
    conditions = [process.conditions[name] for name in names]
    own = {name: value for name, value in wanted.items() if name in names}
    for combination in itertools.product(*(c.answers() for c in conditions)):
        answers = {name: answer for name, (answer, _) in zip(names, combination, strict=True)}
        if not satisfies(own, answers):
            continue
        weight = Fraction(1)
        for _, share in combination:
            weight *= Fraction(share)
        yield answers, weight


#: A loop's liveness: its reworking step's ``when`` as sorted items (empty: always live).
_Liveness = tuple[tuple[str, bool | tuple[str, ...]], ...]


#: Digits after the point kept of an execution count whose exact fraction has grown huge.
PLACES = 50
_HUGE = 10**80


def _bounded(value: Fraction) -> Fraction:
    """``value`` exactly, or to ``PLACES`` decimal places when its fraction has grown huge.

    A step inside thousands of loops has an exact count like (10000/9999)^2000,
    a fraction with 8,000-digit terms; every sum over such steps then costs a
    gcd of that size. Rounded to 10^-50 of an execution, no figure sopkit shows
    changes, and sums stay fast. Ordinary processes never come near this.
    """
    if value.denominator < _HUGE:
        return value
    return Fraction(round(value * 10**PLACES), 10**PLACES)


def _product(probabilities: Counter[Decimal]) -> Fraction:
    """``Π 1/(1 − p)`` over loops, with each probability's loops raised as one power."""
    result = Fraction(1)
    for probability, count in probabilities.items():
        factor = _loop_factor(probability)
        result = times(result, factor if count == 1 else factor**count)
    return result


@lru_cache(maxsize=1024)
def _loop_factor(probability: Decimal) -> Fraction:
    """``1/(1 − p)``, the expected passes through one loop; remembered, as a portfolio's
    rework probabilities are a few values repeated on thousands of steps."""
    return 1 / (1 - Fraction(probability))
