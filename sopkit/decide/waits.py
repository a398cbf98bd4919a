"""Where the wait of a removed step goes: onto the steps before it, or, said, nowhere.

A step's ``wait`` is time that passes after it before the steps after it can
start. A scenario's ``remove`` gives those steps the removed step's ``after``
(``apply``); left at that, its wait would leave the lead time without a word. A
process file has a wait on a step, not on an arrow, so the wait is carried onto
the steps before it (each one's own wait grows by it) when that holds back
exactly what it held back, in every run:

* each step before it comes before nothing but it and the steps after it: else
  the wait would also hold back a step it never held back;
* each runs in exactly the runs it ran in: the same ``when``, and ``per_run`` 1
  or more for both (below 1, a step runs in a share of runs drawn on its own);
* none sends work back (``rework``): a rework takes its step's wait again.

Then the steps after it start when the last step before it ends, plus the wait,
as they did, only without the removed step's own time. Otherwise the wait is
dropped. Either way a ``RemovedWait`` says so, for the reports to tell: the
step's own wait, the removed steps' waits it carried (a list of removals moves a
wait along from step to step, and the sum is said once, where it went), and
whether the step was in the typical run (a wait outside it never counted in the
lead time, so dropping it leaves the lead time as it was).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..analysis.compare import Dropped, RemovedWait
from ..analysis.schedule import typical_run
from ..models import Duration, Estimate, Process, Step

__all__ = ["after_of", "carried_wait", "plus_wait"]


def after_of(raw: Mapping[str, Any]) -> list[str]:
    """The ids a raw step's ``after`` names (one id or a list of them)."""
    after = raw.get("after", [])
    return [after] if isinstance(after, str) else list(after) if isinstance(after, list) else []


def carried_wait(
    process: Process,
    steps: Sequence[Mapping[str, Any]],
    step_id: str,
    *,
    own: Estimate | None = None,
    carries: tuple[str, ...] = (),
) -> tuple[RemovedWait | None, dict[str, Estimate]]:
    """What becomes of the wait of ``step_id`` when a scenario removes it.

    Args:
        process: the process as last validated: its steps' conditions, ``per_run``
            and ``rework``, which removing a step does not change.
        steps: its raw steps as the changes left them, ``step_id`` still among them.
        step_id: the step to remove.
        own: its own wait, when removed steps' waits were carried onto it (``carries``
            names them); else its wait is its own.
        carries: the removed steps whose waits it carries.

    Returns:
        The record of its wait (``None`` for a step without one) and the new wait
        of each step before it that carries it (empty when it is dropped).
    """
    raw = {s.get("id"): s for s in steps}
    model = process.step(step_id)
    wait = _wait(raw[step_id], model)
    if wait.is_zero:
        return None, {}
    record = _Record(process, model, wait, own if carries and own is not None else wait, carries)
    before = after_of(raw[step_id])
    if not before:
        return record.dropped(Dropped.NO_STEP_BEFORE), {}
    after = {i for i, s in raw.items() if step_id in after_of(s)}
    carried: dict[str, Estimate] = {}
    for pred in before:
        held = [i for i, s in raw.items() if pred in after_of(s) and i != step_id]
        other = next((i for i in held if i not in after), None)
        if other is not None:
            return record.dropped(Dropped.OTHER_STEPS_AFTER, pred, other), {}
        found = process.step(pred)
        if not _same_runs(found, model):
            return record.dropped(Dropped.OTHER_RUNS, pred), {}
        if found.rework is not None:
            return record.dropped(Dropped.REWORK, pred), {}
        carried[pred] = plus_wait(_wait(raw[pred], found), wait)
    return record.carried(tuple(carried)), carried


class _Record:
    """The parts of a ``RemovedWait`` that every outcome shares."""

    def __init__(
        self,
        process: Process,
        step: Step,
        moved: Estimate,
        own: Estimate,
        carries: tuple[str, ...],
    ) -> None:
        self.parts = (process.id, step.id, step.name, own, process.settings.clock)
        self.common: dict[str, Any] = {
            "typical": step.id in typical_run(process),
            "carries": carries,
            "moved": moved if carries else None,
        }

    def dropped(
        self, why: Dropped, before: str | None = None, other: str | None = None
    ) -> RemovedWait:
        return RemovedWait(*self.parts, dropped=why, before=before, other=other, **self.common)

    def carried(self, onto: tuple[str, ...]) -> RemovedWait:
        return RemovedWait(*self.parts, onto=onto, **self.common)


def _wait(raw: Mapping[str, Any], step: Step) -> Estimate:
    """A step's wait now: one carried onto it by this change, else the validated one
    (a change is validated once it has made all its removals)."""
    written = raw.get("wait")
    return written if isinstance(written, Estimate) else step.wait


def _same_runs(one: Step, other: Step) -> bool:
    """Whether two steps run in exactly the same runs, typical and simulated alike."""
    return one.per_run >= 1 and other.per_run >= 1 and _when(one) == _when(other)


def _when(step: Step) -> dict[str, object]:
    """A step's conditions, each list of answers as a set (their order means nothing)."""
    return {
        name: answer if isinstance(answer, bool) else frozenset(answer)
        for name, answer in (step.when or {}).items()
    }


def plus_wait(first: Estimate, second: Estimate) -> Estimate:
    """Two waits one after the other, as one: a range end to end (min to min, likely to
    likely, max to max), so its expected hours are the sum of theirs on any calendar."""
    if first.is_zero:
        return second
    if second.is_zero:
        return first
    both = (first, second)
    # A bare range plus a bare range or a single value stays bare: its middle is the sum's.
    bare = any(e.likely is None for e in both) and all(
        e.likely is None or not e.is_range for e in both
    )
    likely = None if bare else _plus(_likely(first), _likely(second))
    return Estimate(_plus(first.low, second.low), likely, _plus(first.high, second.high))


def _likely(estimate: Estimate) -> Duration:
    """The likely value, a bare range's halfway between its ends (unit by unit)."""
    if estimate.likely is not None:
        return estimate.likely
    low, high, half = estimate.low, estimate.high, Decimal(2)
    return Duration.of(
        weeks=(low.weeks + high.weeks) / half,
        days=(low.days + high.days) / half,
        hours=(low.hours + high.hours) / half,
        minutes=(low.minutes + high.minutes) / half,
    )


def _plus(first: Duration, second: Duration) -> Duration:
    return Duration.of(
        weeks=first.weeks + second.weeks,
        days=first.days + second.days,
        hours=first.hours + second.hours,
        minutes=first.minutes + second.minutes,
    )
