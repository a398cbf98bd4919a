"""What ``sopkit validate`` reports: every error of the files, then what is worth a look.

Loading finds every problem a file has on its own or with its roles; costing
then finds what only the figures show (a product of factors no team could
have, a role without a rate that only a called process uses). Warnings follow:
recommended fields, unused conditions, text cut by a YAML comment, processes
nothing runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .analysis import PortfolioCost, cost_portfolio
from .errors import Problem, SopkitError
from .load import Portfolio, load_portfolio
from .models import Process, Settings
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
    return Checkup(portfolio, tuple(costs), tuple(sorted(warnings, key=lambda p: p.sort_key)))
