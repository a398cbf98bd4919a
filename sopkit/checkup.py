"""What ``sopkit validate`` reports: every error of the files, then what is worth a look.

Loading finds every problem a file has on its own or with its roles; costing
then finds what only the figures show (a product of factors no team could
have, a role without a rate that only a called process uses). Warnings follow:
recommended fields, unused conditions, text cut by a YAML comment, processes
nothing runs, roles over capacity (more hours than their headcount has).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .analysis import PortfolioCost, RoleCost, cost_portfolio
from .errors import Problem, SopkitError
from .load import Portfolio, load_portfolio
from .models import Process, Settings
from .source import read_document
from .validate import lint_portfolio, lint_process

__all__ = ["Checkup", "checkup"]


@dataclass(frozen=True, slots=True)
class Checkup:
    """Valid processes, their costs (one portfolio per currency), and the warnings about
    them (sorted by file and line)."""

    portfolio: Portfolio
    costs: tuple[PortfolioCost, ...]
    warnings: tuple[Problem, ...]

    @property
    def steps(self) -> int:
        return sum(len(p.steps) for p in self.portfolio)


def checkup(
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
    everything = [*portfolio.processes, *portfolio.dependencies]
    warnings = [w for process in portfolio for w in lint_process(process)]
    warnings += lint_portfolio(everything)
    for cost in costs:
        warnings += capacity_warnings(cost)
    return Checkup(portfolio, tuple(costs), tuple(sorted(warnings, key=lambda p: p.sort_key)))


def capacity_warnings(cost: PortfolioCost) -> list[Problem]:
    """A warning for each role whose hours are more than its headcount has, located at the
    role: in the process that defines it with its own ``roles:``, or in its roles file."""
    processes = [p.process for p in cost.processes]
    return [_over(role, processes) for role in cost.roles if role.over_capacity]


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
    return Problem(
        where.message,
        path=where.path,
        line=where.line,
        column=where.column,
        hint=hint,
        severity="warning",
    )


def _role_problem(name: str, processes: Sequence[Process], message: str, hint: str) -> Problem:
    """Located where the role's capacity was read: the first process (in the portfolio's
    order) that knows the role, in its own ``roles:`` or in its roles file, as costing
    reads it."""
    for process in processes:
        if name not in process.settings.roles:
            continue
        if name in process.roles:
            return process.source.problem(("roles", name), message, hint=hint, key=True)
        if process.settings_path is None:
            break
        shown = _shown(process.settings_path)
        try:
            source = read_document(Path(process.settings_path), display=shown).source
        except SopkitError:  # changed since it was loaded: say where, without a line
            return Problem(message, path=shown, hint=hint)
        return source.problem(("roles", name), message, hint=hint, key=True)
    return Problem(message, hint=hint)


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
