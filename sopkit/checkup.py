"""What ``sopkit validate`` reports: every error of the files, then what is worth a look.

Loading finds every problem a file has on its own or with its roles; costing
then finds what only the figures show (a product of factors no team could
have, a role without a rate that only a called process uses). Warnings follow:
recommended fields, an owner counted again in ``with``, unused conditions,
text cut by a YAML comment, processes nothing runs, roles over capacity (more
hours than their headcount has), roles files whose working year is not the
portfolio's, due dates only a milestone waiting for its date meets (the run then
takes longer than the lead time).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .accept import Accepting, sort_warnings
from .analysis import PortfolioCost, RoleCost, cost_portfolio
from .analysis.plan.held import held_due_warnings
from .errors import Problem, SopkitError
from .load import Portfolio, load_portfolio, roles_worked_beside
from .models import Process, Settings
from .source import read_document
from .validate import lint_portfolio, lint_process

__all__ = [
    "SHOWN_WARNINGS",
    "Checkup",
    "check_files",
    "checked_warnings",
    "file_warnings",
    "warning_lines",
]


@dataclass(frozen=True, slots=True)
class Checkup:
    """Valid processes, their costs (one portfolio per currency), and the warnings about
    them (sorted by file and line): those to show, and those the files accept."""

    portfolio: Portfolio
    costs: tuple[PortfolioCost, ...]
    warnings: tuple[Problem, ...]
    #: For each role with a headcount, the process files beside these that work in it and
    #: were not checked (``roles_worked_beside``): their hours are in no capacity checked.
    beside: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The warnings an ``accept:`` in the files accepts: not shown, and no failure for
    #: ``--strict``.
    accepted: tuple[Problem, ...] = ()

    @property
    def steps(self) -> int:
        return sum(len(p.steps) for p in self.portfolio)


def check_files(
    paths: str | Path | Sequence[str | Path], *, roles: str | Path | Settings | None = None
) -> Checkup:
    """Load and cost the files, and collect every warning.

    Files in different currencies are checked as separate portfolios, so a whole
    library (one folder per team and currency) checks in one run.

    Raises:
        SopkitError: with every error of every file.
    """
    portfolio = load_portfolio(paths, roles=roles, one_currency=False)
    by_currency: dict[str, list[Process]] = {}
    for process in portfolio:
        by_currency.setdefault(process.settings.currency, []).append(process)
    costs: list[PortfolioCost] = []
    problems: list[Problem] = []
    for group in by_currency.values():
        try:
            costs.append(cost_portfolio(group))
        except SopkitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SopkitError.collect(problems)
    found = checked_warnings(portfolio, costs)
    beside = roles_worked_beside(portfolio)
    return Checkup(portfolio, tuple(costs), found.shown, beside, found.accepted)


def file_warnings(portfolio: Portfolio, costs: Sequence[PortfolioCost]) -> list[Problem]:
    """Every warning about loaded, costed files that they do not accept, sorted by file
    and line: what ``sopkit validate`` lists after the errors, and ``sopkit build`` too."""
    return list(checked_warnings(portfolio, costs).shown)


def checked_warnings(portfolio: Portfolio, costs: Sequence[PortfolioCost]) -> Accepting:
    """Every warning about loaded, costed files, parted into those to show (with the
    accepts that accept nothing) and those the files' ``accept:`` accept."""
    everything = [*portfolio.processes, *portfolio.dependencies]
    warnings = [w for process in portfolio for w in lint_process(process)]
    warnings += lint_portfolio(everything)
    warnings += [w for process in portfolio for w in held_due_warnings(process)]
    for cost in costs:
        warnings += capacity_warnings(cost)
        warnings += calendar_warnings(cost)
        warnings += capacity_definition_warnings(cost)
    return sort_warnings(warnings, portfolio.processes, portfolio.dependencies)


def capacity_warnings(cost: PortfolioCost) -> list[Problem]:
    """A warning for each role whose hours are more than its headcount has, located at the
    role: in the process that defines it with its own ``roles:``, or in its roles file."""
    processes = [p.process for p in cost.processes]
    return [_over(role, processes) for role in cost.roles if role.over_capacity]


def calendar_warnings(cost: PortfolioCost) -> list[Problem]:
    """A warning at each roles file whose working year is not the portfolio's.

    A portfolio's FTE and its roles' capacity are counted in one working year,
    the first process's: processes costed with another would be counted in a
    year that is not theirs, and the figure would depend on the files' order.
    """
    year = cost.settings.working_year_hours
    first = next((p.process.settings_path for p in cost.processes if p.process.settings_path), None)
    warnings: list[Problem] = []
    seen: set[str] = set()
    for process in (p.process for p in cost.processes):
        settings, path = process.settings, process.settings_path
        if settings.working_year_hours == year or path is None or path in seen:
            continue
        seen.add(path)
        message = (
            f"a working year of {_figure(settings.working_year_hours)} hours "
            f"({_figure(settings.hours_per_day)} h × {_figure(settings.working_days_per_year)} "
            f"days), not the portfolio's {_figure(year)}"
            + (f" (from {_shown(first)})" if first else "")
            + ": the portfolio's FTE and capacity count every process in one working year, "
            "the first file's"
        )
        hint = (
            "give every roles file the same hours_per_day and working_days_per_year, "
            "or report on each team's folder apart"
        )
        differs = settings.hours_per_day != cost.settings.hours_per_day
        key = "hours_per_day" if differs else "working_days_per_year"
        where = _in_roles_file(path, (key,), message, hint)
        warnings.append(_warning(where, hint, "other-working-year"))
    return warnings


def capacity_definition_warnings(cost: PortfolioCost) -> list[Problem]:
    """A warning at each roles file that gives a role another capacity (headcount or
    available hours) than the file the portfolio takes the role from: only the first
    definition counts, so the utilisation would depend on the files' order."""
    processes = [p.process for p in cost.processes]
    first: dict[str, tuple[Process, tuple[object, object]]] = {}
    warnings: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for process in processes:
        path = process.settings_path
        for name, role in process.settings.roles.items():
            capacity = (role.headcount, role.available_hours)
            if name not in first:
                first[name] = (process, capacity)
                continue
            used, used_capacity = first[name]
            if capacity == used_capacity or path is None or (path, name) in seen:
                continue
            if _capacity_in_process(process, name) or path == used.settings_path:
                continue  # a process's own capacity: overrides what it gives, on purpose
            seen.add((path, name))
            origin = _shown(used.settings_path) if used.settings_path else used.source_path
            message = (
                f"role '{name}' has another headcount or available_hours here than in "
                f"{origin}, which the portfolio's capacity uses"
            )
            hint = "define the role's capacity once, in one roles file"
            where = _in_roles_file(path, ("roles", name), message, hint)
            warnings.append(_warning(where, hint, "capacity-redefined", role=name))
    return warnings


def _warning(where: Problem, hint: str, code: str, *, role: str | None = None) -> Problem:
    return Problem(
        where.message, path=where.path, line=where.line, column=where.column, hint=hint
    ).as_warning(code, role=role)


def _over(role: RoleCost, processes: Sequence[Process]) -> Problem:
    headcount = role.headcount or Decimal(0)
    available = role.available_hours or Decimal(0)
    utilisation = (role.utilisation or Decimal(0)) * 100
    message = (
        f"role '{role.role}' is over capacity: {_figure(role.annual_hours)} hours of work a "
        f"year against {_figure(headcount * available)} hours ({_figure(headcount)} × "
        f"{_figure(available)}), {_figure(utilisation)}%"
    )
    hint = "raise its headcount or available_hours, or give some of its steps to another role"
    where = _role_problem(role.role, processes, message, hint)
    return _warning(where, hint, "over-capacity", role=role.role)


def _role_problem(name: str, processes: Sequence[Process], message: str, hint: str) -> Problem:
    """Located where the role's capacity was read: the first process (in the portfolio's
    order) that knows the role, in its own ``roles:`` when they give its capacity, else
    in its roles file, as costing reads it. A process's role that only describes it
    (as a BPMN import writes) leaves the capacity, and so the warning and its
    ``accept:``, to the roles file."""
    for process in processes:
        if name not in process.settings.roles:
            continue
        if _capacity_in_process(process, name):
            return process.source.problem(("roles", name), message, hint=hint, key=True)
        if process.settings_path is None:
            break
        return _in_roles_file(process.settings_path, ("roles", name), message, hint)
    return Problem(message, hint=hint)


def _capacity_in_process(process: Process, name: str) -> bool:
    """Whether the process's own ``roles:`` give the role ``name`` its capacity: they give
    its headcount or available hours, or the role is theirs whole (the roles file has no
    role of that name or of that kind), as ``Settings.with_roles`` merges them."""
    own = process.roles.get(name)
    if own is None:
        return False
    base = process.base_settings.roles.get(name)
    if base is None or own.kind is not base.kind:
        return True
    return not own.model_fields_set.isdisjoint({"headcount", "available_hours"})


def _in_roles_file(path: str, loc: tuple[str, ...], message: str, hint: str) -> Problem:
    """A problem located at ``loc`` in the roles file ``path``, read again for its lines."""
    shown = _shown(path)
    try:
        source = read_document(Path(path), display=shown).source
    except SopkitError:  # changed since it was loaded: say where, without a line
        return Problem(message, path=shown, hint=hint)
    return source.problem(loc, message, hint=hint, key=True)


def _shown(path: str) -> str:
    """A roles file as the user would name it: from the current folder when it is below."""
    absolute = Path(path).absolute()
    here = Path.cwd()
    return str(absolute.relative_to(here)) if absolute.is_relative_to(here) else path


def _figure(value: Decimal) -> str:
    """``1,240.5``: up to two decimals, thousands separated, as messages show figures.

    Half-up, as every report rounds (100.125 hours is 100.13 in both)."""
    rounded = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{rounded:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


#: How many of the files' warnings a build prints before it says how many more there are.
SHOWN_WARNINGS = 10


def warning_lines(
    warnings: Sequence[Problem], paths: Sequence[str | Path], limit: int = SHOWN_WARNINGS
) -> list[str]:
    """The first ``limit`` warnings as ``sopkit validate`` prints them, then how many more
    and the command that lists them all: a build's output is not where a long list is read."""
    lines = [problem.format() for problem in warnings[:limit]]
    more = len(warnings) - limit
    if more > 0:
        shown = " ".join(shlex.quote(str(path)) for path in paths)
        noun = "warning" if more == 1 else "warnings"
        lines.append(f"… and {more:,} more {noun}: sopkit validate {shown} lists them all")
    return lines
