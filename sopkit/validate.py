"""Rules that span several objects: step references, cycles, rework, conditions, roles.

The models check each object alone; these checks need the whole process and
its effective settings. They return problems instead of raising so a file's
every mistake is reported in one pass.

Two kinds of check, so one run finds everything:

* **structure** (ids, ``after``, ``rework.to``, cycles, ``when``) works on a
  ``Shape``: the bare ids and references, read from the raw YAML data or from
  a model. It runs even when some fields of a step are wrong, so a typo in one
  field never hides an ``after`` that names no step or a cycle;
* **meaning** (estimates, rates and role kinds, frequency) needs models, and
  runs on every step that is valid on its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import Problem, quoted_names
from .graph import Flow
from .models import Clock, Estimate, Process, Role, RoleKind, Step, is_slug, parse_when
from .source import Loc, SourceMap
from .suggest import closest

#: What a list written as one text has between its ids.
_SEVERAL = re.compile(r"[,;\s]")

if TYPE_CHECKING:  # networkx takes ~80 ms to import; see sopkit.graph
    import networkx as nx

__all__ = [
    "MAX_HOURS_PER_EXECUTION",
    "MAX_RUNS_PER_MONTH",
    "Shape",
    "check_meaning",
    "check_process",
    "check_structure",
    "comment_cuts",
    "lint_portfolio",
    "lint_process",
]

#: One execution of a step longer than a working year is a typo, not a task.
MAX_HOURS_PER_EXECUTION = Decimal(2080)
#: More runs than this a month is a unit mistake (10^9 runs), not a process.
MAX_RUNS_PER_MONTH = Decimal(100_000)
#: Waiting longer than ten years per step cannot be meant.
MAX_WAIT_HOURS = Decimal(87_600)


def check_process(process: Process) -> list[Problem]:
    """Every cross-object problem in one process, located in its file."""
    return check_structure(Shape.of(process), process.source) + check_meaning(process)


# --- structure ----------------------------------------------------------------------


# Plain (not frozen): one is made for every step of every file, and a frozen
# dataclass costs five times as much to make. Nothing changes one once made.
@dataclass(slots=True, unsafe_hash=True)
class StepShape:
    """What structure checks need of a step: its id and the steps and conditions it names."""

    index: int
    id: str | None
    after: tuple[tuple[int, str], ...] = ()
    rework_to: str | None = None
    when: Mapping[str, bool | tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Shape:
    """The ids and references of a process, read leniently so that one wrong field of a
    step hides nothing else. Conditions map to their option names (``None``: yes/no)."""

    steps: tuple[StepShape, ...]
    conditions: Mapping[str, frozenset[str] | None]

    @classmethod
    def of(cls, process: Process) -> Shape:
        steps = tuple(
            StepShape(
                index,
                step.id,
                tuple(enumerate(step.after)),
                None if step.rework is None else step.rework.to,
                step.when or {},
            )
            for index, step in enumerate(process.steps)
        )
        conditions = {
            name: None if c.options is None else frozenset(c.options)
            for name, c in process.conditions.items()
        }
        return cls(steps, conditions)

    def known_references(self) -> Shape:
        """This shape with the ``after`` entries and rework targets that name no step left out."""
        ids = {step.id for step in self.steps}
        if all(
            (step.rework_to is None or step.rework_to in ids)
            and all(before in ids for _, before in step.after)
            for step in self.steps
        ):
            return self  # every reference names a step, as in almost every file
        steps = tuple(
            replace(
                step,
                after=tuple((p, before) for p, before in step.after if before in ids),
                rework_to=step.rework_to if step.rework_to in ids else None,
            )
            for step in self.steps
        )
        return replace(self, steps=steps)

    def without_self_references(self) -> Shape:
        """This shape without ``after`` entries naming their own step (reported apart)."""
        if all(b != step.id for step in self.steps for _, b in step.after):
            return self
        steps = tuple(
            replace(step, after=tuple((p, b) for p, b in step.after if b != step.id))
            for step in self.steps
        )
        return replace(self, steps=steps)

    @classmethod
    def read(cls, data: Any) -> Shape:
        """The shape of raw process data, skipping whatever is not the right type."""
        data = data if isinstance(data, dict) else {}
        raw_steps = data.get("steps")
        steps = []
        for index, raw in enumerate(raw_steps if isinstance(raw_steps, list) else []):
            if not isinstance(raw, dict):
                continue
            step_id = raw.get("id")
            after = raw.get("after", [])
            after = [after] if isinstance(after, str) else after
            rework = raw.get("rework")
            to = rework.get("to") if isinstance(rework, dict) else None
            try:
                when = parse_when(raw["when"]) if "when" in raw else {}
            except ValueError:  # reported by the model
                when = {}
            steps.append(
                StepShape(
                    index,
                    step_id if isinstance(step_id, str) and is_slug(step_id) else None,
                    tuple(
                        (position, item)
                        for position, item in enumerate(after if isinstance(after, list) else [])
                        if isinstance(item, str)
                    ),
                    to if isinstance(to, str) else None,
                    {k: v for k, v in when.items() if isinstance(k, str)},
                )
            )
        raw_conditions = data.get("conditions")
        conditions: dict[str, frozenset[str] | None] = {}
        for name, raw in (raw_conditions if isinstance(raw_conditions, dict) else {}).items():
            options = raw.get("options") if isinstance(raw, dict) else None
            conditions[name] = frozenset(map(str, options)) if isinstance(options, dict) else None
        return cls(tuple(steps), conditions)


def check_structure(shape: Shape, source: SourceMap) -> list[Problem]:
    """Duplicate ids, references to no step, cycles, rework upstream and ``when``."""
    problems = _reference_problems(shape, source)
    problems += _when_problems(shape, source)
    ids = [step.id for step in shape.steps]
    if None in ids or len(set(ids)) < len(ids):
        return problems  # references cannot be followed until every id reads once
    # A wrong reference hides no cycle: they are looked for among the references that
    # name a step. Whether rework goes upstream depends on every 'after' being right
    # (a misspelt one may be the very path back), so that waits for sound references.
    sound = shape.known_references()
    cycles = _cycle_problems(sound, source)
    problems += cycles
    flow = sound.without_self_references()  # "after itself" is reported; the rest can flow
    # Both shapes are usually the one given (nothing left out): look for cycles once.
    if sound is shape or sound == shape:
        if not (cycles if flow is sound else _cycle_problems(flow, source)):
            problems += _rework_problems(flow, source)
    return problems


def _reference_problems(shape: Shape, source: SourceMap) -> list[Problem]:
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for step in shape.steps:
        if step.id is None:
            continue
        if step.id in first_index:
            line = source.locate(("steps", first_index[step.id], "id"))[0]
            problems.append(
                source.problem(
                    ("steps", step.index, "id"),
                    f"duplicate step id '{step.id}' (first at line {line})",
                    hint="give each step its own id",
                )
            )
        else:
            first_index[step.id] = step.index
    ids = list(first_index)
    # A step whose id is unreadable or invalid (reported by the model) may be the one
    # an 'after' means: say nothing about references until its id is fixed.
    if any(step.id is None for step in shape.steps):
        return problems
    for step in shape.steps:
        for position, before in step.after:
            # Several ids in one text ('a, b'): the model says how to write a list.
            if before not in first_index and not _SEVERAL.search(before):
                problems.append(
                    source.problem(
                        ("steps", step.index, "after", position),
                        f"step '{step.id}': 'after' names no step '{before}'",
                        hint=_suggest(before, ids),
                    )
                )
        if step.rework_to is not None and step.rework_to not in first_index:
            problems.append(
                source.problem(
                    ("steps", step.index, "rework", "to"),
                    f"step '{step.id}': rework goes to no step '{step.rework_to}'",
                    hint=_suggest(step.rework_to, ids),
                )
            )
    return problems


def _suggest(name: str, ids: list[str]) -> str:
    close = closest(name, ids)
    if close:
        return f"did you mean '{close}'?"
    return "steps here: " + ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")


def _when_problems(shape: Shape, source: SourceMap) -> list[Problem]:
    problems = []
    names = sorted(shape.conditions)
    for step in shape.steps:
        for name, wanted in step.when.items():
            loc: Loc = ("steps", step.index, "when", name)
            if name not in shape.conditions:
                close = closest(name, names)
                hint = _option_hint(name, wanted, step.when, shape.conditions) or (
                    f"did you mean '{close}'?"
                    if close
                    else f"did you mean '{names[0]}'? It is the only condition here"
                    if len(names) == 1
                    else "conditions here: " + ", ".join(names[:12])
                    if names
                    else "define it under 'conditions:' with a question and a share"
                )
                problems.append(
                    source.problem(loc, f"step '{step.id}': no condition '{name}'", hint=hint)
                )
                continue
            options = shape.conditions[name]
            if options is None and not isinstance(wanted, bool):
                problems.append(
                    source.problem(
                        loc,
                        f"step '{step.id}': '{name}' is a yes/no condition",
                        hint=f"write 'when: {name}' for yes or '{{{name}: false}}' for no",
                    )
                )
            elif options is not None and isinstance(wanted, bool):
                problems.append(
                    source.problem(
                        loc,
                        f"step '{step.id}': '{name}' has options, not yes/no",
                        hint="name the options: " + ", ".join(sorted(options)),
                    )
                )
            elif options is not None and not isinstance(wanted, bool):
                for option in wanted:
                    if option not in options:
                        problems.append(
                            source.problem(
                                loc,
                                f"step '{step.id}': condition '{name}' has no option '{option}'",
                                hint="its options: " + ", ".join(sorted(options)),
                            )
                        )
    return problems


def _option_hint(
    name: str,
    wanted: bool | tuple[str, ...],
    when: Mapping[str, bool | tuple[str, ...]],
    conditions: Mapping[str, frozenset[str] | None],
) -> str | None:
    """How to ask for ``name`` when it is an option of a condition, not a condition
    (``when: panel`` for ``format``'s option): the ``when`` to write, the step's other
    entries kept."""
    holders = sorted(c for c, options in conditions.items() if options and name in options)
    if not holders:
        return None
    said = f"'{name}' is an option of condition{'s' if len(holders) > 1 else ''} "
    said += quoted_names(holders)
    if wanted is True:
        ways = []
        for holder in holders:
            entries = {c: v for c, v in when.items() if c != name}
            had = entries.get(holder)
            entries[holder] = (*had, name) if isinstance(had, tuple) else (name,)
            ways.append(
                "when: {" + ", ".join(f"{c}: {_answer(v)}" for c, v in entries.items()) + "}"
            )
        return f"{said}: write " + " or ".join(ways)
    if wanted is False and len(holders) == 1:
        others = tuple(sorted((conditions[holders[0]] or frozenset()) - {name}))
        without = f"when: {{{holders[0]}: {_answer(others)}}}"
        return f"{said}: for the runs without it, write {without}"
    return said


def _answer(wanted: bool | tuple[str, ...]) -> str:
    """One ``when`` entry's answer as it is written: ``true``, ``panel``, ``[a, b]``."""
    if isinstance(wanted, bool):
        return "true" if wanted else "false"
    return wanted[0] if len(wanted) == 1 else "[" + ", ".join(wanted) + "]"


def _flow(shape: Shape) -> Flow:
    return Flow.read(
        (step.id, [before for _, before in step.after])
        for step in shape.steps
        if step.id is not None
    )


def _graph(shape: Shape) -> nx.DiGraph[str]:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    for step in shape.steps:
        if step.id is not None:
            graph.add_node(step.id)
    for step in shape.steps:
        for _, before in step.after:
            if step.id is not None and before != step.id:
                graph.add_edge(before, step.id)
    return graph


def _cycle_problems(shape: Shape, source: SourceMap) -> list[Problem]:
    index_of = {step.id: step.index for step in shape.steps if step.id is not None}
    after_of = {step.id: step.after for step in shape.steps if step.id is not None}
    problems = []
    for step in shape.steps:
        for position, before in step.after:
            if before == step.id:
                problems.append(
                    source.problem(
                        ("steps", step.index, "after", position),
                        f"step '{step.id}' is after itself",
                        hint="for a step that repeats, use 'rework: {to: "
                        + step.id
                        + ", probability: …}'",
                    )
                )
    if _flow(shape).order() is not None:  # the quick answer for almost every process
        return problems
    import networkx as nx

    graph = _graph(shape)
    # One cycle per knot of steps, located at the 'after' entry that closes it: the
    # one into the knot's earliest-listed step.
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        first = min(component, key=index_of.__getitem__)
        cycle = nx.find_cycle(graph.subgraph(component), source=first)
        ids = [edge[0] for edge in cycle]
        start = ids.index(first) if first in ids else 0
        ordered = ids[start:] + ids[:start]
        head, last = ordered[0], ordered[-1]
        position = next(p for p, before in after_of[head] if before == last)
        loop = " → ".join([*ordered, head])
        problems.append(
            source.problem(
                ("steps", index_of[head], "after", position),
                f"the steps form a cycle through 'after': {loop}",
                hint=f"remove '{last}' from the 'after' of '{head}'; "
                "to send work back, use 'rework: {to: …, probability: …}'",
            )
        )
    return problems


def _rework_problems(shape: Shape, source: SourceMap) -> list[Problem]:
    problems: list[Problem] = []
    reworking = [s for s in shape.steps if s.rework_to is not None and s.rework_to != s.id]
    if not reworking:
        return problems
    reached = _flow(shape).reach()
    for step in reworking:
        assert step.id is not None and step.rework_to is not None
        if not reached.is_upstream(step.rework_to, step.id):
            problems.append(
                source.problem(
                    ("steps", step.index, "rework", "to"),
                    f"step '{step.id}': rework goes to '{step.rework_to}', which is not upstream",
                    hint="rework sends work back: name this step or one it comes after",
                )
            )
    return problems


# --- meaning ---------------------------------------------------------------------------


def check_meaning(
    process: Process,
    steps: Sequence[tuple[int, Step]] | None = None,
    left_out: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Estimates, rates and role kinds, frequency: what needs valid models.

    Args:
        process: the process (perhaps with its invalid steps left out).
        steps: the steps to check with their index in the file; all by default.
        left_out: the ids of steps left out as invalid: a ``due`` naming one of them
            is not reported as naming no step (that step's own problems are).
    """
    indexed = list(enumerate(process.steps)) if steps is None else list(steps)
    settings = process.settings
    clock = settings.clock
    problems = []
    rateless: dict[str, _Rateless] = {}
    for index, step in indexed:
        if _estimates_out_of_bounds(step, clock):
            problems += _estimate_problems(process, index, step)
        if _roles_lack_rates(step, settings.roles):
            problems += _role_problems(process, index, step, rateless)
        if step.due is not None:
            problems += _due_problems(process, index, step, left_out)
    if rateless and process.settings_path is None and not settings.roles:
        problems.append(_no_roles_file(process, list(rateless.values())))
    else:
        problems += [missing.problem() for missing in rateless.values()]
    problems += _frequency_problems(process)
    return problems


def _no_roles_file(process: Process, rateless: list[_Rateless]) -> Problem:
    """One error for a process that found no roles at all: each role "has no rate" only
    because no roles.yaml was found, and saying so names the one thing to do."""
    names = [_short(missing.role) for missing in rateless]
    shown = ", ".join(names[:_OTHERS_SHOWN]) + (" …" if len(names) > _OTHERS_SHOWN else "")
    first = rateless[0].first
    return replace(
        first,
        message="no roles.yaml found next to this process or in a folder above it, "
        f"and it has no 'roles:' of its own; its roles have no hourly rates ({shown})",
        hint="write a roles.yaml beside it, e.g. 'currency: USD' and "
        "'roles: {Designer: {rate: 55}}', or give the roles with --roles FILE",
    )


@dataclass
class _Rateless:
    """A role without a rate, reported once per file: at its first step, naming the others.

    A template copied into a team folder can name a dozen unknown roles at fifty
    steps; one line per role says the same with less to read, as a compiler
    reports an undeclared name once.
    """

    first: Problem
    step: str
    role: str
    others: list[str] = field(default_factory=list)

    def problem(self) -> Problem:
        if not self.others:
            return self.first
        shown = ", ".join(f"'{_short(step)}'" for step in self.others[:_OTHERS_SHOWN])
        rest = len(self.others) - _OTHERS_SHOWN
        if rest > 0:
            shown += f" and {rest} more"
        steps = "step" if len(self.others) == 1 else "steps"
        return replace(self.first, message=f"{self.first.message}; also in {steps} {shown}")


#: How many of the other steps naming a rate-less role its error lists by id.
_OTHERS_SHOWN = 4


def _estimates_out_of_bounds(step: Step, clock: Clock) -> bool:
    """Whether ``_estimate_problems`` may find something: the quick test for every step."""
    if step.time is not None and not _estimate_fits(step.time, clock, MAX_HOURS_PER_EXECUTION):
        return True
    if not _estimate_fits(step.wait, clock, MAX_WAIT_HOURS):
        return True
    automation = step.automation
    return automation is not None and automation.setup.in_hours(clock) > MAX_HOURS_PER_EXECUTION


@lru_cache(maxsize=4096)
def _estimate_fits(estimate: Estimate, clock: Clock, limit: Decimal) -> bool:
    """In order (min ≤ likely ≤ max) and at most ``limit`` hours; a portfolio repeats
    the same few estimates, so each is judged once per clock."""
    low, likely, high = estimate.points(clock)
    return low <= likely <= high and high <= limit


def _roles_lack_rates(step: Step, roles: Mapping[str, Role]) -> bool:
    """Whether ``_role_problems`` may find something: the quick test for every step."""
    if step.owner is not None:
        owner = roles.get(step.owner)
        if owner is None or owner.kind is not RoleKind.STAFF:
            return True  # no such role, or a system role's own rules
        if owner.rate is None and step.is_work:
            return True
    for name in step.with_:
        role = roles.get(name)
        if role is None or (role.rate is None and role.kind is RoleKind.STAFF):
            return True
    return False


def _due_problems(
    process: Process, index: int, step: Step, left_out: frozenset[str] = frozenset()
) -> list[Problem]:
    """``due`` names a milestone of this process, and its offset is whole working days
    (a step ``left_out`` as invalid is not taken for a missing one)."""
    if step.due is None:
        return []
    loc = ("steps", index, "due")
    name = step.due.milestone
    milestones = [s.id for s in process.steps if s.milestone]
    target = next((s for s in process.steps if s.id == name), None)
    problems = []
    if target is not None and target.milestone:
        if target.id == step.id:
            problems.append(
                process.source.problem(
                    (*loc, "milestone"),
                    f"step '{step.id}': a milestone cannot be due relative to itself",
                    hint="name another milestone, or remove 'due'",
                )
            )
    elif target is not None or name not in left_out:  # a left-out step has its own problems
        what = "names no step" if target is None else "names a step that is not a milestone:"
        hint = (
            _suggest(name, milestones)
            if milestones
            else "add a step with 'milestone: true' (e.g. launch) to date steps against"
        )
        if milestones and not hint.startswith("did you"):
            hint = "milestones here: " + ", ".join(milestones[:12])
        problems.append(
            process.source.problem(
                (*loc, "milestone"), f"step '{step.id}': due {what} '{_short(name)}'", hint=hint
            )
        )
    offset = step.due.offset
    days_per_week = process.settings.days_per_week
    if offset.weeks and (offset.weeks * days_per_week) != int(offset.weeks * days_per_week):
        problems.append(
            process.source.problem(
                (*loc, "offset"),
                f"step '{step.id}': {offset} is not a whole number of working days "
                f"(a week is {_plain(days_per_week)} working days here)",
                hint=_whole_days_hint(offset.weeks * days_per_week),
            )
        )
    return problems


def _whole_days_hint(days: Decimal) -> str:
    """``give the offset in days: -4d or -5d``, the whole days either side of ``days``."""
    low, high = math.floor(days), math.ceil(days)
    return f"give the offset in days: {low:+d}d or {high:+d}d"


def _estimate_problems(process: Process, index: int, step: Step) -> list[Problem]:
    clock = process.settings.clock
    problems = []
    for name in ("time", "wait"):
        estimate = getattr(step, name)
        if estimate is None:
            continue
        low, likely, high = estimate.points(clock)
        loc = ("steps", index, name)
        if not low <= likely <= high:
            problems.append(
                process.source.problem(
                    loc,
                    f"step '{step.id}': {name} estimate is out of order ({_short(estimate)})",
                    hint="write min ≤ likely ≤ max",
                )
            )
        limit = MAX_HOURS_PER_EXECUTION if name == "time" else MAX_WAIT_HOURS
        if high > limit:
            problems.append(
                process.source.problem(
                    loc,
                    f"step '{step.id}': {name} of {_short(estimate)} is more than {limit} hours",
                    hint="check the unit; split very long work into steps",
                )
            )
    automation = step.automation
    if automation is not None and automation.setup.in_hours(clock) > MAX_HOURS_PER_EXECUTION:
        problems.append(
            process.source.problem(
                ("steps", index, "automation", "setup"),
                f"step '{step.id}': automation setup of {_short(automation.setup)} is more than "
                f"{MAX_HOURS_PER_EXECUTION} hours",
                hint="check the unit",
            )
        )
    return problems


def _defined(process: Process, role: str) -> str:
    """Where a role is defined: this file's ``roles:`` (at its line), or the roles file."""
    if role in process.roles:
        line, _ = process.source.locate(("roles", role), key=True)
        return f"this file's 'roles:' (line {line})" if line else "this file's 'roles:'"
    return process.settings_path or "roles.yaml"


def _role_problems(
    process: Process, index: int, step: Step, rateless: dict[str, _Rateless]
) -> list[Problem]:
    """Owners and participants need a role with a rate (staff) or a kind that needs none.

    A missing rate goes into ``rateless`` (one error per role); the rest is returned.
    """
    roles = process.settings.roles
    known = sorted(roles)
    where = process.settings_path or "a roles.yaml next to the process"
    problems = []
    named: list[tuple[str, str, Loc]] = []
    if step.owner is not None and step.is_work:
        named.append(("owner", step.owner, ("steps", index, "owner")))
    named += [("participant", n, ("steps", index, "with", n)) for n in step.participants]
    for what, name, loc in named:
        role = roles.get(name)
        if role is not None and (role.rate is not None or role.kind is not RoleKind.STAFF):
            continue
        if name in rateless:
            others = rateless[name].others
            if step.id not in others and step.id != rateless[name].step:
                others.append(step.id)
            continue
        hint = (
            f"add '{_short(name)}: {{rate: …}}' to {where} or to the process's 'roles:'; "
            "a tool doing the work is '{kind: system}', an outside party '{kind: external}'"
        )
        several = [part.strip() for part in name.split(",") if part.strip()]
        if role is None and len(several) > 1:
            # "with: Designer, Copywriter" is one role's name to YAML.
            hint = (
                f"write several roles as a list: with: [{', '.join(several)}]"
                if what == "participant"
                else "a step has one owner: keep one role here and list the others under 'with'"
            )
        elif role is None:
            close = closest(name, known)
            if close:
                hint = f"did you mean '{close}'? Otherwise {hint}"
        else:
            hint = (
                f"give '{_short(name)}' a rate in {_defined(process, name)}, "
                "or 'kind: external' if it is an outside party"
            )
        # A name no roles file defines is told so: "has no hourly rate" alone read as if
        # the role were there without one.
        missing = "is not among the roles, so it has" if role is None else "has"
        first = process.source.problem(
            loc, f"step '{step.id}': {what} '{_short(name)}' {missing} no hourly rate", hint=hint
        )
        rateless[name] = _Rateless(first, step.id, name)
    owner = roles.get(step.owner) if step.owner is not None else None
    if owner is not None and owner.kind is RoleKind.SYSTEM and step.automation is not None:
        problems.append(
            process.source.problem(
                ("steps", index, "automation"),
                f"step '{step.id}' is done by the system role '{step.owner}': it is automated "
                "already",
                hint="remove 'automation'",
            )
        )
    if owner is not None and owner.kind is RoleKind.SYSTEM and step.approval:
        problems.append(
            process.source.problem(
                ("steps", index, "approval"),
                f"step '{step.id}': a system role cannot sign off",
                hint="make a person's role the owner of a sign-off",
            )
        )
    return problems


def _frequency_problems(process: Process) -> list[Problem]:
    if process.frequency is None:
        return []
    runs = process.frequency.per_month(process.settings.working_days_per_year)
    if runs > MAX_RUNS_PER_MONTH:
        return [
            process.source.problem(
                ("frequency",),
                f"frequency {_short(process.frequency)} is {figure_text(runs)} runs a month, "
                f"more than {MAX_RUNS_PER_MONTH:,}",
                hint="check the period; a process that runs this often is not a manual workflow",
            )
        ]
    return []


# --- recommendations (warnings) ------------------------------------------------------------


def lint_process(process: Process) -> list[Problem]:
    """Recommended fields that are missing, an owner also named in ``with``, unused
    conditions, text cut by a comment: warnings, errors under ``--strict``."""
    source = process.source
    warnings = []
    if not process.purpose:
        warnings.append(
            source.problem(
                ("id",),
                "no purpose: a new team member will not know why this SOP exists",
                hint="add 'purpose: …'",
            ).as_warning("no-purpose")
        )
    for index, step in enumerate(process.steps):
        if not step.done_when and step.is_work:
            warnings.append(
                source.problem(
                    ("steps", index, "id"),
                    f"step '{step.id}' has no done_when: nobody can tell when it is finished",
                    hint="add 'done_when: …'",
                ).as_warning("no-done-when", step=step.id)
            )
        if step.owner is not None and step.owner in step.with_:
            extra = step.with_[step.owner]
            people = "1 more person" if extra == 1 else f"{_plain(extra)} more people"
            warnings.append(
                source.problem(
                    ("steps", index, "with", step.owner),
                    f"step '{step.id}': with: names its owner '{step.owner}', which counts "
                    f"{people} of that role besides the owner",
                    hint=f"the owner is counted already: remove '{step.owner}' from 'with', "
                    "unless more people of the role work on the step",
                    key=True,
                ).as_warning("owner-in-with", step=step.id)
            )
    used = {name for step in process.steps for name in (step.when or {})}
    for name in process.conditions:
        if name not in used:
            warnings.append(
                source.problem(
                    ("conditions", name),
                    f"condition '{name}' is not used by any step",
                    hint="name it in a step's 'when', or remove it",
                    key=True,
                ).as_warning("unused-condition")
            )
    warnings += comment_cuts(process)
    written = _written_in(process)
    if written is not None and process.language.value == "en":
        where = ("language",) if "language" in process.model_fields_set else ("name",)
        warnings.append(
            source.problem(
                where,
                f"the process is written in {_LANGUAGE_NAMES[written]} but its language is en: "
                "its SOP, checklist and diagram get English headings",
                hint=f"write 'language: {written}'",
                key=where == ("language",),
            ).as_warning("language-mismatch")
        )
    return [_as_warning(p) for p in sorted(warnings, key=lambda p: p.sort_key)]


_LANGUAGE_NAMES = {"ko": "Korean", "ru": "Russian"}


def _written_in(process: Process) -> str | None:
    """``ko`` or ``ru`` when most letters of the process's and steps' names are Hangul or
    Cyrillic: the language sopkit would write its headings in."""
    text = process.name + "".join(step.name for step in process.steps)
    letters = [char for char in text if char.isalpha()]
    hangul = sum(
        1 for char in letters if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff"
    )
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    if letters and hangul * 2 > len(letters):
        return "ko"
    if letters and cyrillic * 2 > len(letters):
        return "ru"
    return None


def lint_portfolio(processes: Sequence[Process]) -> list[Problem]:
    """Warnings that need the whole portfolio: a process nothing runs, and a wait
    nothing waits for.

    A process without ``frequency`` runs only when another process's step runs
    it; when none of the processes given does, its steps count nothing a year,
    which is what a forgotten ``frequency:`` looks like. A wait on a step no step
    comes after only lengthens the lead time, unless the process is a procedure
    another runs (its caller's next step waits).
    """
    called = {step.process for p in processes for step in p.steps if step.process is not None}
    warnings = []
    for process in processes:
        if process.frequency is not None and process.id not in called:
            # A procedure's last wait holds back its caller's next step: only a process
            # that runs on its own ends its runs with nothing to wait for.
            warnings += _trailing_waits(process)
        if process.frequency is None and process.id not in called:
            warnings.append(
                process.source.problem(
                    ("id",),
                    f"process '{process.id}' has no frequency and no process given runs it: "
                    "it counts nothing a year",
                    hint="add 'frequency: …', e.g. 4/month, or run it from another process's "
                    f"step with 'process: {process.id}'",
                ).as_warning("no-frequency")
            )
    return [_as_warning(p) for p in warnings]


def _trailing_waits(process: Process) -> list[Problem]:
    """Waits on steps no step comes after (a trial's "report, wait: 1w" meant a report a
    week after the send): they hold back nothing and only stretch the lead time."""
    followed = {before for step in process.steps for before in step.after}
    return [
        process.source.problem(
            ("steps", index, "wait"),
            f"step '{step.id}' waits {step.wait} after it, but no step comes after it: "
            "the wait only lengthens the lead time",
            hint="a wait holds back the steps after its step: put it on the step "
            "before the one that should wait, or add the step that follows the wait",
        ).as_warning("wait-at-end", step=step.id)
        for index, step in enumerate(process.steps)
        if step.id not in followed and not step.wait.is_zero
    ]


#: Fields whose value is prose, where a ``#`` is more likely text than a comment.
_TEXT_FIELDS = frozenset(
    {"name", "purpose", "trigger", "done_when", "description", "question", "approver", "tool"}
)
_TEXT_LISTS = frozenset({"instructions", "do", "dont", "tools", "tags"})
_CUT = re.compile(r"[ \t]+#\S")


def comment_cuts(process: Process) -> list[Problem]:
    """Text fields whose line goes on with a comment such as ``#launch``.

    In YAML, `` #`` starts a comment, so ``done_when: Post in #launch`` reads as
    ``Post in``. A plain (unquoted) value followed on its line by ``#`` and a
    non-space character was most likely cut short.
    """
    source = process.source
    text = source.text
    if text is None or not _CUT.search(text):
        return []  # nothing to look at: spare the file's located parse (a build lints them all)
    problems = []
    for loc, (line, column) in source.values.items():
        if not loc or not _is_text_loc(loc):
            continue
        text = source.line(line)
        if text is None or column - 1 >= len(text) or text[column - 1] in "\"'|>[{":
            continue
        cut = _CUT.search(text, column - 1)
        if cut is None:
            continue
        problems.append(
            Problem(
                "text after '#' was read as a YAML comment; quote the value if it belongs to it",
                path=source.path,
                line=line,
                column=cut.end() - 1,  # the '#', 1-based
                hint=f'write it in quotes: "{text[column - 1 :].strip()}"',
            ).as_warning("cut-by-comment", step=_step_at(process, loc))
        )
    return problems


def _is_text_loc(loc: Loc) -> bool:
    last = loc[-1]
    if isinstance(last, str):
        return last in _TEXT_FIELDS
    return len(loc) >= 2 and isinstance(loc[-2], str) and loc[-2] in _TEXT_LISTS


def _step_at(process: Process, loc: Loc) -> str | None:
    """The id of the step a value of the file belongs to (``steps[3].done_when``), if any:
    a warning about it can be accepted on that step."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        if 0 <= loc[1] < len(process.steps):
            return process.steps[loc[1]].id
    return None


def _as_warning(problem: Problem) -> Problem:
    return replace(problem, severity="warning")


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _short(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: short, so a 5 MB typo does not flood the terminal."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def figure_text(number: Decimal) -> str:
    """A figure in an error message, however large: ``1,428.57``, whole from a trillion
    (``10,000,000,000,000``, not ``1.00E+13``), and ``1.0 × 10^24`` past 10^15."""
    if abs(number) < 10**12:
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    if abs(number) < 10**15:
        return f"{number:,.0f}"
    mantissa, exponent = f"{number:.1e}".split("e")
    return f"{mantissa} × 10^{int(exponent)}"
