"""Rules that span several objects: step references, cycles, rework, rates.

The models check each object alone; these checks need the whole process and
its effective settings. They return problems instead of raising so a file's
every mistake is reported in one pass.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

import networkx as nx

from .errors import Problem
from .graph import cached_flow_graph, upstream
from .models import Process, Step

__all__ = ["MAX_HOURS_PER_EXECUTION", "MAX_RUNS_PER_MONTH", "check_process", "lint_process"]

#: One execution of a step longer than a working year is a typo, not a task.
MAX_HOURS_PER_EXECUTION = Decimal(2080)
#: More runs than this a month is a unit mistake (10^9 runs), not a process.
MAX_RUNS_PER_MONTH = Decimal(100_000)
#: Waiting longer than ten years per step cannot be meant.
MAX_WAIT_HOURS = Decimal(87_600)


def check_process(process: Process) -> list[Problem]:
    """Every cross-object problem in one process, located in its file."""
    problems = _reference_problems(process)
    if not problems:  # cycles and upstream checks need sound references
        problems += _cycle_problems(process)
    if not problems:
        problems += _rework_problems(process)
    problems += _estimate_problems(process)
    problems += _rate_problems(process)
    problems += _frequency_problems(process)
    return problems


def lint_process(process: Process) -> list[Problem]:
    """Recommended fields that are missing: warnings, errors under ``--strict``."""
    source = process.source
    warnings = []
    if not process.purpose:
        warnings.append(
            source.problem(
                ("id",),
                "no purpose: a new team member will not know why this SOP exists",
                hint="add 'purpose: …'",
            )
        )
    for index, step in enumerate(process.steps):
        if not step.done_when:
            warnings.append(
                source.problem(
                    ("steps", index, "id"),
                    f"step '{step.id}' has no done_when: nobody can tell when it is finished",
                    hint="add 'done_when: …'",
                )
            )
    return [_as_warning(p) for p in warnings]


def _as_warning(problem: Problem) -> Problem:
    return Problem(
        problem.message,
        path=problem.path,
        line=problem.line,
        column=problem.column,
        hint=problem.hint,
        step=problem.step,
        severity="warning",
    )


def _reference_problems(process: Process) -> list[Problem]:
    source = process.source
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, step in enumerate(process.steps):
        if step.id in first_index:
            line = source.locate(("steps", first_index[step.id], "id"))[0]
            problems.append(
                source.problem(
                    ("steps", index, "id"),
                    f"duplicate step id '{step.id}' (first at line {line})",
                    hint="give each step its own id",
                )
            )
        else:
            first_index[step.id] = index
    ids = list(first_index)
    for index, step in enumerate(process.steps):
        for position, before in enumerate(step.after):
            if before not in first_index:
                problems.append(
                    source.problem(
                        ("steps", index, "after", position),
                        f"step '{step.id}': 'after' names no step '{before}'",
                        hint=_suggest(before, ids),
                    )
                )
        if step.rework and step.rework.to not in first_index:
            problems.append(
                source.problem(
                    ("steps", index, "rework", "to"),
                    f"step '{step.id}': rework goes to no step '{step.rework.to}'",
                    hint=_suggest(step.rework.to, ids),
                )
            )
    return problems


def _suggest(name: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(name, ids, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "steps here: " + ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")


def _cycle_problems(process: Process) -> list[Problem]:
    index_of = {step.id: i for i, step in enumerate(process.steps)}
    problems = []
    for index, step in enumerate(process.steps):
        if step.id in step.after:
            problems.append(
                process.source.problem(
                    ("steps", index, "after"),
                    f"step '{step.id}' is after itself",
                    hint="for a step that repeats, use 'rework: {to: "
                    + step.id
                    + ", probability: …}'",
                )
            )
    graph = cached_flow_graph(process)
    if nx.is_directed_acyclic_graph(graph):  # the quick answer for almost every process
        return problems
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return problems
    ids = [edge[0] for edge in cycle]
    first = min(ids, key=index_of.__getitem__)
    start = ids.index(first)
    ordered = ids[start:] + ids[:start]
    loop = " → ".join([*ordered, ordered[0]])
    problems.append(
        process.source.problem(
            ("steps", index_of[ordered[1 % len(ordered)]], "after"),
            f"the steps form a cycle through 'after': {loop}",
            hint="remove one 'after'; to send work back, use 'rework: {to: …, probability: …}'",
        )
    )
    return problems


def _rework_problems(process: Process) -> list[Problem]:
    graph = cached_flow_graph(process)
    problems = []
    for index, step in enumerate(process.steps):
        if step.rework is None or step.rework.to == step.id:
            continue
        if step.rework.to not in upstream(graph, step.id):
            problems.append(
                process.source.problem(
                    ("steps", index, "rework", "to"),
                    f"step '{step.id}': rework goes to '{step.rework.to}', which is not upstream",
                    hint="rework sends work back: name this step or one it comes after",
                )
            )
    return problems


def _estimate_problems(process: Process) -> list[Problem]:
    calendar = process.settings.calendar
    problems = []
    for index, step in enumerate(process.steps):
        for field in ("time", "wait"):
            estimate = getattr(step, field)
            low, likely, high = estimate.points(calendar)
            loc = ("steps", index, field)
            if not low <= likely <= high:
                problems.append(
                    process.source.problem(
                        loc,
                        f"step '{step.id}': {field} estimate is out of order ({_short(estimate)})",
                        hint="write min ≤ likely ≤ max",
                    )
                )
            limit = MAX_HOURS_PER_EXECUTION if field == "time" else MAX_WAIT_HOURS
            if high > limit:
                problems.append(
                    process.source.problem(
                        loc,
                        f"step '{step.id}': {field} of {_short(estimate)} is more than "
                        f"{limit} hours",
                        hint="check the unit; split very long work into steps",
                    )
                )
        problems.extend(_setup_problems(process, index, step))
    return problems


def _setup_problems(process: Process, index: int, step: Step) -> list[Problem]:
    automation = step.automation
    if automation is None:
        return []
    if automation.setup.in_hours(process.settings.calendar) > MAX_HOURS_PER_EXECUTION:
        return [
            process.source.problem(
                ("steps", index, "automation", "setup"),
                f"step '{step.id}': automation setup of {_short(automation.setup)} is more than "
                f"{MAX_HOURS_PER_EXECUTION} hours",
                hint="check the unit",
            )
        ]
    return []


def _rate_problems(process: Process) -> list[Problem]:
    roles = process.settings.roles
    known = sorted(roles)
    where = process.settings_path or "a roles.yaml next to the process"
    problems = []
    for index, step in enumerate(process.steps):
        if step.owner in roles:
            continue
        close = difflib.get_close_matches(step.owner, known, n=1, cutoff=0.6)
        hint = f"add '{_short(step.owner)}: {{rate: …}}' to {where} or to the process's 'roles:'"
        if close:
            hint = f"did you mean '{close[0]}'? Otherwise {hint}"
        problems.append(
            process.source.problem(
                ("steps", index, "owner"),
                f"step '{step.id}': owner '{_short(step.owner)}' has no hourly rate",
                hint=hint,
            )
        )
    return problems


def _frequency_problems(process: Process) -> list[Problem]:
    runs = process.frequency.per_month(process.settings.working_days_per_year)
    if runs > MAX_RUNS_PER_MONTH:
        return [
            process.source.problem(
                ("frequency",),
                f"frequency {_short(process.frequency)} is {_count(runs)} runs a month, more than "
                f"{MAX_RUNS_PER_MONTH:,}",
                hint="check the period; a process that runs this often is not a manual workflow",
            )
        ]
    return []


def _short(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: short, so a 5 MB typo does not flood the terminal."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(number: Decimal) -> str:
    """``1,000,000,000`` while that stays readable, ``1.0E+308`` beyond."""
    if number < 10**15:
        return f"{number:,.0f}"
    return f"{number:.1E}"
