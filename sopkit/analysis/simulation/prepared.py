"""A process made ready to simulate: steps as indices, estimates as PERT-Beta, loops as a tree.

Everything here is worked out once per process, in plain Python and exact
fractions, so the simulation itself only does array arithmetic. Orders are
fixed by the file (steps, conditions, loops by the step that sends work back),
never by hashing, so the same file always asks for random numbers in the same
order.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ...errors import SopkitError
from ...graph import Flow
from ...models import Answer, Clock, Count, Estimate, Process, RoleKind, Step
from ..runs import rework_loops
from ..units import MONTHS, exact_hours, runs_per_month

__all__ = [
    "MAX_GROUP_ANSWERS",
    "LoopPlan",
    "Pert",
    "Plans",
    "ProcessPlan",
    "StepPlan",
    "pert",
    "plan",
]

#: Combinations of answers one group of linked conditions may have. Conditions are
#: linked when one step (or one rework loop) depends on them together; unlinked
#: conditions are independent and never multiply.
MAX_GROUP_ANSWERS = 4_096


@dataclass(frozen=True, slots=True)
class Pert:
    """A three-point estimate as a PERT-Beta distribution: ``low + (high − low) · Beta(α, β)``.

    α = 1 + 4(likely − low)/(high − low), β = 1 + 4(high − likely)/(high − low), so
    the mean is the PERT mean (low + 4·likely + high)/6 the cost report uses. A
    single value has ``low == high`` and is never drawn.
    """

    low: float
    high: float
    alpha: float = 1.0
    beta: float = 1.0

    @property
    def fixed(self) -> bool:
        return self.low == self.high


def pert(low: Fraction, likely: Fraction, high: Fraction) -> Pert:
    """The PERT-Beta distribution of an estimate with these three points."""
    if low == high:
        return Pert(float(low), float(low))
    span = high - low
    return Pert(
        float(low),
        float(high),
        float(1 + 4 * (likely - low) / span),
        float(1 + 4 * (high - likely) / span),
    )


def _estimate(estimate: Estimate, clock: Clock) -> Pert:
    low = exact_hours(estimate.low, clock)
    high = exact_hours(estimate.high, clock)
    if estimate.likely is None:
        likely = (low + high) / 2
    else:
        likely = exact_hours(estimate.likely, clock)
    if not estimate.is_range:
        return Pert(float(low), float(low))
    return pert(low, likely, high)


def _count(count: Count | None) -> Pert:
    if count is None:
        return Pert(1.0, 1.0)
    low, likely, high = (Fraction(v) for v in count.points())
    return pert(low, likely, high)


#: One entry of a ``when``: the condition's index and the indices of the answers it accepts.
Wanted = tuple[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class StepPlan:
    """One step as numbers: what an execution takes, who pays, when it runs."""

    id: str
    #: Hands-on hours of one execution; ``None`` for milestones and calls.
    time: Pert | None
    wait: Pert
    #: ``per_run`` as a whole part and a fraction (one more execution with that chance).
    whole: int
    fraction: float
    #: People per execution whose hours count as the team's (staff) or apart (external).
    staff: float
    external: float
    #: Labour cost of one hour of the step: Σ people × rate over staff and external roles.
    rate: float
    expense: float
    #: The process this step runs (its id) and how many times per execution.
    calls: str | None
    count: Pert
    #: Indices of the steps that must finish first.
    preds: tuple[int, ...]
    when: tuple[Wanted, ...]
    #: For the annual model: the condition group the step depends on (-1: none), and for
    #: each answer combination of that group under which the step runs, the rework
    #: loops live in it that hold the step, outermost first.
    group: int
    patterns: tuple[tuple[int, tuple[int, ...]], ...]
    #: The team's roles on the step and how many of each work each execution: their
    #: hours, year by year, give each role's capacity range.
    people: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class LoopPlan:
    """A rework loop: ``sender`` sends the work back to ``to`` with ``probability``."""

    sender: int
    to: int
    probability: float
    #: The loop's steps in an order where every step comes after its predecessors,
    #: each with its predecessors inside the loop.
    members: tuple[int, ...]
    inner_preds: tuple[tuple[int, ...], ...]
    #: Live in a run when the sending step's conditions hold.
    when: tuple[Wanted, ...]
    #: Loops whose every step is in this one (directly, not through another).
    children: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ProcessPlan:
    """Everything the simulation needs of one process, with nothing left to look up."""

    id: str
    hours_per_day: float
    #: Runs a year from ``frequency``: a whole part and one more run with ``runs_fraction``.
    runs_whole: int
    runs_fraction: float
    steps: tuple[StepPlan, ...]
    #: Step indices in a topological order (ties by file order).
    order: tuple[int, ...]
    loops: tuple[LoopPlan, ...]
    top_loops: tuple[int, ...]
    #: Each condition's answers' cumulative shares (a run's answer is the first above a draw).
    thresholds: tuple[tuple[float, ...], ...]
    #: For each group of linked conditions, every combination's share of runs.
    groups: tuple[tuple[float, ...], ...]
    #: Process expenses per run, and those fixed per month, quarter or year, as a year's total.
    run_expenses: float
    fixed_expenses: float


def plan(process: Process) -> ProcessPlan:
    """Make ``process`` ready to simulate (it must cost cleanly: rates, limits).

    Raises:
        SopkitError: when one group of linked conditions has more than
            ``MAX_GROUP_ANSWERS`` combinations of answers.
    """
    ids = {step.id: i for i, step in enumerate(process.steps)}
    sorted_ids = Flow.of(process).order()  # without networkx: importing it costs 0.1 s
    assert sorted_ids is not None, "a process that costs has no cycle"
    order = tuple(ids[s] for s in sorted_ids)
    position = {index: rank for rank, index in enumerate(order)}
    conditions = list(process.conditions)
    answers = [[a for a, _ in process.conditions[c].answers()] for c in conditions]
    wanted = [_wanted(step, conditions, answers) for step in process.steps]
    loops = _loops(process, ids, position, wanted)
    containing: list[list[int]] = [[] for _ in process.steps]
    for index, loop in enumerate(loops):
        for member in loop.members:
            containing[member].append(index)
    groups, group_of, cases = _groups(process, conditions, answers, wanted, loops, containing)
    steps = tuple(
        _step(process, step, ids, wanted[i], loops, containing[i], group_of[i], cases)
        for i, step in enumerate(process.steps)
    )
    per_year = Fraction(0)
    if process.frequency is not None:
        per_year = runs_per_month(process.frequency, process.settings.working_days_per_year)
        per_year *= MONTHS
    run_expenses = sum((Fraction(e.amount) for e in process.expenses if e.per == "run"), Fraction())
    fixed = sum(
        (Fraction(e.amount) * _PER_YEAR[e.per] for e in process.expenses if e.per != "run"),
        Fraction(),
    )
    nested = {i for loop in loops for i in loop.children}
    return ProcessPlan(
        id=process.id,
        hours_per_day=float(process.settings.hours_per_day),
        runs_whole=int(per_year),
        runs_fraction=float(per_year - int(per_year)),
        steps=steps,
        order=order,
        loops=loops,
        top_loops=tuple(i for i in range(len(loops)) if i not in nested),
        thresholds=tuple(_thresholds(process, c) for c in conditions),
        groups=groups,
        run_expenses=float(run_expenses),
        fixed_expenses=float(fixed),
    )


_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


def _thresholds(process: Process, name: str) -> tuple[float, ...]:
    """Cumulative shares of a condition's answers; the last is exactly 1."""
    shares = [Fraction(share) for _, share in process.conditions[name].answers()]
    running = list(itertools.accumulate(shares))
    return (*(float(v) for v in running[:-1]), 1.0)


def _wanted(step: Step, conditions: list[str], answers: list[list[Answer]]) -> tuple[Wanted, ...]:
    result = []
    for name, want in (step.when or {}).items():
        index = conditions.index(name)
        accepted = tuple(
            i
            for i, answer in enumerate(answers[index])
            if (answer is want if isinstance(want, bool) else answer in want)
        )
        result.append((index, accepted))
    return tuple(result)


def _loops(
    process: Process,
    ids: Mapping[str, int],
    position: Mapping[int, int],
    wanted: list[tuple[Wanted, ...]],
) -> tuple[LoopPlan, ...]:
    """Every live-able rework loop, by sending step in file order, with its nesting."""
    inside = rework_loops(process)
    senders = [step for step in process.steps if step.rework is not None]
    members: list[tuple[int, ...]] = []
    found = []
    for step in senders:
        loop_members = sorted(
            (ids[s] for s, loops in inside.items() if any(lp.step == step.id for lp in loops)),
            key=position.__getitem__,
        )
        if not loop_members:  # probability 0: it repeats nothing
            continue
        found.append(step)
        members.append(tuple(loop_members))
    sets = [frozenset(m) for m in members]
    pred = Flow.of(process).pred
    result = []
    for index, step in enumerate(found):
        assert step.rework is not None
        member_set = sets[index]
        inner = tuple(
            tuple(ids[p] for p in pred[process.steps[m].id] if ids[p] in member_set)
            for m in members[index]
        )
        # Direct children: loops strictly inside this one and inside no loop that is.
        strictly = [j for j, other in enumerate(sets) if other < member_set]
        children = tuple(
            j for j in strictly if not any(sets[j] < sets[k] for k in strictly if k != j)
        )
        result.append(
            LoopPlan(
                sender=ids[step.id],
                to=ids[step.rework.to],
                probability=float(step.rework.probability),
                members=members[index],
                inner_preds=inner,
                when=wanted[ids[step.id]],
                children=children,
            )
        )
    return tuple(result)


def _groups(
    process: Process,
    conditions: list[str],
    answers: list[list[Answer]],
    wanted: list[tuple[Wanted, ...]],
    loops: tuple[LoopPlan, ...],
    containing: list[list[int]],
) -> tuple[tuple[tuple[float, ...], ...], list[int], list[list[dict[int, int]]]]:
    """Conditions linked through a step or a loop, as groups with every answer combination.

    A step depends on its own ``when`` and, for every loop that holds it, on the
    conditions of the loop's sending step and of all the loop's steps (so steps
    replayed together are counted from the same runs). Returns each group's
    combination shares, each step's group (-1 for none), and each group's
    combinations as ``{condition index: answer index}``.
    """
    parent = list(range(len(conditions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    loop_names = [
        {c for m in loop.members for c, _ in wanted[m]} | {c for c, _ in loop.when}
        for loop in loops
    ]
    depends: list[list[int]] = []
    for index, own in enumerate(wanted):
        names = {c for c, _ in own}
        for loop_index in containing[index]:
            names |= loop_names[loop_index]
        depends.append(sorted(names))
        for other in depends[-1][1:]:
            a, b = find(depends[-1][0]), find(other)
            parent[max(a, b)] = min(a, b)
    roots = sorted({find(c) for names in depends for c in names})
    shares: list[tuple[float, ...]] = []
    cases: list[list[dict[int, int]]] = []
    for root in roots:
        group = [c for c in range(len(conditions)) if find(c) == root]
        size = 1
        for c in group:
            size *= len(answers[c])
        if size > MAX_GROUP_ANSWERS:
            raise SopkitError(
                f"process '{process.id}': the conditions {', '.join(conditions[c] for c in group)} "
                f"depend on each other through steps and rework loops and combine into "
                f"{size:,} answers; the simulation handles up to {MAX_GROUP_ANSWERS:,}",
                path=process.source_path,
                hint="name fewer conditions together in one step's 'when' or in one rework loop",
            )
        condition_shares = [
            [Fraction(share) for _, share in process.conditions[conditions[c]].answers()]
            for c in group
        ]
        combos = list(itertools.product(*(range(len(answers[c])) for c in group)))
        row = []
        for combo in combos:
            share = Fraction(1)
            for c_shares, answer in zip(condition_shares, combo, strict=True):
                share *= c_shares[answer]
            row.append(float(share))
        shares.append(tuple(row))
        cases.append([dict(zip(group, combo, strict=True)) for combo in combos])
    group_of = [roots.index(find(names[0])) if names else -1 for names in depends]
    return tuple(shares), group_of, cases


def _step(
    process: Process,
    step: Step,
    ids: Mapping[str, int],
    wanted: tuple[Wanted, ...],
    loops: tuple[LoopPlan, ...],
    containing: list[int],
    group: int,
    cases: list[list[dict[int, int]]],
) -> StepPlan:
    clock = process.settings.clock
    staff = external = rate = Fraction(0)
    people: dict[str, Fraction] = {}
    members: list[tuple[str, Fraction]] = []
    if step.owner is not None and step.time is not None:
        members.append((step.owner, Fraction(1)))
    members += [(name, Fraction(count)) for name, count in step.participants.items()]
    for name, count in members:
        role = process.settings.roles[name]
        if role.kind is RoleKind.SYSTEM:
            continue
        if role.kind is RoleKind.STAFF:
            staff += count
            people[name] = people.get(name, Fraction(0)) + count
        else:
            external += count
        rate += count * Fraction(role.hourly_rate)
    per_run = Fraction(step.per_run)
    outer_first = sorted(containing, key=lambda i: (-len(loops[i].members), i))
    patterns = []
    for index, answers in enumerate(cases[group] if group >= 0 else [{}]):
        if not _holds(wanted, answers):
            continue
        chain = tuple(i for i in outer_first if _holds(loops[i].when, answers))
        patterns.append((index, chain))
    return StepPlan(
        id=step.id,
        time=None if step.time is None else _estimate(step.time, clock),
        wait=_estimate(step.wait, clock),
        whole=int(per_run),
        fraction=float(per_run - int(per_run)),
        staff=float(staff),
        external=float(external),
        rate=float(rate),
        expense=0.0 if step.expense is None else float(step.expense),
        calls=step.process,
        count=_count(step.count),
        preds=tuple(ids[p] for p in step.after if p in ids),
        when=wanted,
        group=group,
        patterns=tuple(patterns),
        people=tuple((name, float(count)) for name, count in people.items()),
    )


def _holds(wanted: tuple[Wanted, ...], answers: Mapping[int, int]) -> bool:
    """Whether a combination of answers meets every entry of a ``when``."""
    return all(answers[c] in accepted for c, accepted in wanted)


class Plans:
    """Plans made once per process object, and the processes that steps run."""

    def __init__(self) -> None:
        self._plans: dict[int, tuple[Process, ProcessPlan]] = {}

    def __call__(self, process: Process) -> ProcessPlan:
        key = id(process)
        if key not in self._plans:
            self._plans[key] = (process, plan(process))
        return self._plans[key][1]

    @staticmethod
    def callee(process: Process, step: StepPlan) -> Process:
        """The process a calling step runs (bound when loading; costing checked it)."""
        assert step.calls is not None
        return process.callees[step.calls]
