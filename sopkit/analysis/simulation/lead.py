"""Simulated runs: the lead time of one run as it happened, many runs side by side.

Each simulated run draws everything afresh: every step's time and wait, every
condition's answer, each ``per_run`` fraction, each live loop's passes, and
the lead time of every process a step runs. Then it takes the longest path,
as the schedule does for the typical run:

* a step that does not run in this run (its conditions fail, or a
  ``per_run`` below 1 draws no execution) takes no time, and its successors
  wait only for its own predecessors; a step that runs takes its time and
  wait once however many executions it has (they run side by side);
* a milestone takes its wait; a call takes one simulated run of the called
  process (the items run side by side) plus its wait;
* a live rework loop that goes round ``k`` times adds ``k − 1`` replays after
  its sending step: each replay re-runs the loop's own steps one after another
  along their longest path from the step the work goes back to through the
  sending step (steps outside the loop are done by then and are not waited
  for again). So the sending step, and everything after it, finishes later by
  the replays; a step that leaves the loop earlier is not repeated and starts
  after the first pass. A loop inside another replays within every pass of
  the outer one, with passes drawn afresh for each (beyond ``MAX_REPLAYS``
  replays of such an outer loop, each further one takes the average of the
  run's simulated replays, so a probability near 1 cannot stall the run).
"""

from __future__ import annotations

import numpy as np

from ...models import Process
from .draws import Floats, draw, stream
from .prepared import LoopPlan, Plans, ProcessPlan, Wanted

__all__ = ["LeadTimes"]


class LeadTimes:
    """Simulates ``runs`` runs of a process for its lead time, with one ``seed``."""

    def __init__(self, seed: int, runs: int, plans: Plans) -> None:
        self.seed = seed
        self.size = runs
        self.plans = plans

    def hours(self, process: Process, path: tuple[str, ...] | None = None) -> Floats:
        """Lead time in working hours of each simulated run of ``process``."""
        path = (process.id,) if path is None else path
        plan = self.plans(process)
        rng = stream(self.seed, "lead", *path)
        called = {
            index: self.hours(callee, (*path, step.id, callee.id))
            for index, step in enumerate(plan.steps)
            if step.calls is not None
            for callee in [self.plans.callee(process, step)]
        }
        # Runs are simulated in blocks of at most _CELLS step-runs, so a process of
        # thousands of steps needs no more memory than a small one.
        block = max(1, min(self.size, _CELLS // len(plan.steps)))
        parts = [
            self._block(
                plan,
                rng,
                min(block, self.size - start),
                {i: v[start : start + block] for i, v in called.items()},
            )
            for start in range(0, self.size, block)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _block(
        self, plan: ProcessPlan, rng: np.random.Generator, size: int, called: dict[int, Floats]
    ) -> Floats:
        """``size`` runs; ``called`` holds the lead times of the processes steps run."""
        answers = [np.searchsorted(t, rng.random(size), side="right") for t in plan.thresholds]
        weights = np.zeros((len(plan.steps), size))
        for index, step in enumerate(plan.steps):
            running = _holds(step.when, answers, size)
            if step.whole == 0:
                running &= rng.random(size) < step.fraction
            took = draw(step.wait, rng, size)
            if step.time is not None:
                took = took + draw(step.time, rng, size)
            if index in called:
                took = took + called[index]
            weights[index] = np.where(running, took, 0.0)
        live = [_holds(loop.when, answers, size) for loop in plan.loops]
        for index, extra in _Replays(plan, weights, live, rng).of(plan.top_loops).items():
            weights[index] += extra
        finish = _longest(plan.order, [s.preds for s in plan.steps], weights)
        result: Floats = finish.max(axis=0)
        return result


#: Step-runs simulated at once (8 bytes each, a few arrays of them).
_CELLS = 4_000_000
#: Replays of a loop with loops inside that are simulated one by one; beyond them a
#: run's further replays each take the average of its simulated ones.
MAX_REPLAYS = 64


def _holds(wanted: tuple[Wanted, ...], answers: list[np.ndarray], size: int) -> np.ndarray:
    """Which runs meet every entry of a ``when``."""
    result = np.ones(size, dtype=bool)
    for condition, accepted in wanted:
        result &= np.isin(answers[condition], accepted)
    return result


def _longest(
    order: tuple[int, ...], preds: list[tuple[int, ...]] | tuple[tuple[int, ...], ...], w: Floats
) -> Floats:
    """Finish time of every step (rows of ``w``) along the longest path, for every run."""
    finish = np.zeros_like(w)
    for index in order:
        before = preds[index]
        if before:
            start = finish[before[0]] if len(before) == 1 else finish[list(before)].max(axis=0)
            finish[index] = start + w[index]
        else:
            finish[index] = w[index]
    return finish


class _Replays:
    """The time rework replays add to each sending step, loop by loop, innermost first."""

    def __init__(
        self, plan: ProcessPlan, weights: Floats, live: list[np.ndarray], rng: np.random.Generator
    ) -> None:
        self.plan = plan
        self.weights = weights
        self.live = live
        self.rng = rng
        self.size = weights.shape[1]

    def of(self, loops: tuple[int, ...]) -> dict[int, Floats]:
        """Extra time on each sending step of ``loops`` and the loops inside them (one pass)."""
        extra: dict[int, Floats] = {}
        for index in loops:
            loop = self.plan.loops[index]
            first = self.of(loop.children)
            for step, more in first.items():
                extra[step] = extra.get(step, 0.0) + more
            rounds = self.rng.geometric(1.0 - loop.probability, self.size)
            passes = np.where(self.live[index], rounds, 1)
            if loop.children:
                replays = np.zeros(self.size)
                for number in range(2, min(int(passes.max()), MAX_REPLAYS + 1) + 1):
                    again = self._span(loop, self.of(loop.children))
                    replays += np.where(passes >= number, again, 0.0)
                simulated = np.minimum(passes - 1, MAX_REPLAYS)
                rest = passes - 1 - simulated
                replays += np.where(rest > 0, replays / np.maximum(simulated, 1) * rest, 0.0)
            else:
                replays = (passes - 1) * self._span(loop, first)
            extra[loop.sender] = extra.get(loop.sender, 0.0) + replays
        return extra

    def _span(self, loop: LoopPlan, extra: dict[int, Floats]) -> Floats:
        """One pass through the loop's own steps, from the step it goes back to."""
        w = self.weights[list(loop.members)]
        for row, member in enumerate(loop.members):
            if member in extra:
                w[row] = w[row] + extra[member]
        position = {member: row for row, member in enumerate(loop.members)}
        preds = [tuple(position[p] for p in inner) for inner in loop.inner_preds]
        finish = _longest(tuple(range(len(loop.members))), preds, w)
        return finish[position[loop.sender]]  # type: ignore[no-any-return]
