"""Where a step's work comes from, in the runs that have it.

An SOP names the steps each step starts after. One that some runs skip (by a condition,
or by chance: ``per_run`` below 1) passes its own predecessors' work on in those runs, so
the reader is told which steps stand in for it. Which steps run together is a question
about the model, answered here; the SOP only words the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..models import Process, Step

__all__ = ["InputSource", "always_before", "can_meet", "input_sources", "runs_only_with"]

#: A step's ``when``: each question's wanted answer (yes/no) or options.
When = Mapping[str, bool | tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class InputSource:
    """A step another starts after, and what stands in for it where it is skipped."""

    step_id: str
    #: It runs in every run the later step has: nothing stands in for it.
    always: bool
    #: Where the work comes from in the runs that skip it, leaving out the later step's
    #: own inputs and the steps it already waits for through an input of every run.
    otherwise: tuple[str, ...] = ()


def input_sources(process: Process, step: Step) -> tuple[InputSource, ...]:
    """``step``'s inputs in the order ``after`` names them (each once).

    A predecessor that runs only where the skipped step does (same answers, or fewer) is
    skipped with it, so its own predecessors stand in; one that may run without it is
    named (its own entry says when it runs). Steps whose work already comes through an
    input of every run are not repeated: a launch's go-ahead after a press briefing or a
    changelog note and the channel assets, all three after the visuals, waits for the
    visuals anyway.
    """
    direct = list(dict.fromkeys(step.after))
    steady = [i for i in direct if always_before(step, process.step(i))]
    reached = _upstream(process, steady)
    sources: list[InputSource] = []
    for before in direct:
        if before in steady:
            sources.append(InputSource(before, always=True))
            continue
        skipped = process.step(before)
        found: dict[str, None] = {}
        _standing_in(process, skipped, skipped, found, set())
        otherwise = tuple(i for i in found if i not in direct and i not in reached)
        sources.append(InputSource(before, always=False, otherwise=otherwise))
    return tuple(sources)


def always_before(step: Step, before: Step) -> bool:
    """Whether ``before`` runs in every run in which ``step`` does: it is not done by
    chance (``per_run`` below 1, which the typical run may leave out), and any
    condition it has is one of ``step``'s."""
    return before.per_run >= 1 and (not before.when or runs_only_with(step, before))


def runs_only_with(step: Step, other: Step) -> bool:
    """Whether ``step`` runs only in runs where ``other`` does: each of ``other``'s
    conditions is one of ``step``'s, with the same answers or fewer."""
    if not other.when or not step.when:
        return False
    return all(
        name in step.when and _answers(step.when[name]) <= _answers(wanted)
        for name, wanted in other.when.items()
    )


def can_meet(one: When | None, other: When | None) -> bool:
    """Whether some run meets both conditions: no question they share has its answers
    apart."""
    if not one or not other:
        return True
    return all(_answers(one[name]) & _answers(other[name]) for name in one.keys() & other.keys())


def _answers(wanted: bool | tuple[str, ...]) -> frozenset[bool | str]:
    """A ``when`` entry's answers as a set: yes, no, or the options listed."""
    return frozenset((wanted,)) if isinstance(wanted, bool) else frozenset(wanted)


def _upstream(process: Process, step_ids: Iterable[str]) -> set[str]:
    """The steps given and every step they wait for, however far back."""
    found: set[str] = set()
    wanted = list(step_ids)
    while wanted:
        step_id = wanted.pop()
        if step_id not in found:
            found.add(step_id)
            wanted.extend(process.step(step_id).after)
    return found


def _standing_in(
    process: Process, skipped: Step, at: Step, found: dict[str, None], seen: set[str]
) -> None:
    """Into ``found``, the steps whose work reaches ``at``'s successors in the runs that
    skip ``skipped`` (``at`` is ``skipped`` or a step skipped with it)."""
    for before in at.after:
        if before in seen:
            continue
        seen.add(before)
        source = process.step(before)
        # A step skipped by chance may be skipped where its predecessors run, however
        # their conditions compare.
        if skipped.per_run >= 1 and runs_only_with(source, skipped):
            _standing_in(process, skipped, source, found, seen)
        else:
            found[before] = None
