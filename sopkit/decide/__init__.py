"""Deciding with sopkit: what a change did (``diff``) and what one would do (scenarios).

Both load and cost two portfolios and hand them to one engine,
``analysis.compare``: ``diff`` two versions of the files (a folder, or
``REV:PATH`` read from git), scenarios a portfolio and copies of it with a
scenario's changes applied. Every problem is reported where it is: in the
side's files (named ``REV:path`` for a revision) or in the scenario file.

``scenario`` reads scenario files, ``apply`` makes their changes on a copy of
a portfolio, ``revision`` reads ``REV:PATH`` from git.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis import PortfolioCost, cost_portfolio, rank_candidates
from ..analysis.compare import Comparison, ScenarioResult, Threshold, compare, one_off
from ..analysis.plan import Baseline, Plan, plan_run
from ..currency import AMOUNT_DECIMALS, MAX_AMOUNT, amount_problem
from ..errors import Problem, SopkitError, UsageError, ValidationError
from ..load import (
    Portfolio,
    as_paths,
    load_portfolio,
    process_ids_in,
    roles_worked_beside,
    with_callers,
)
from ..models import Process, Settings
from .apply import Automated, ToBe, apply_scenario
from .revision import is_revision, revision_files
from .scenario import Scenario, load_scenario, load_scenario_parts, load_scenarios

if TYPE_CHECKING:
    from ..analysis.simulation import Simulation

__all__ = [
    "Automated",
    "Diff",
    "Scenario",
    "Scenarios",
    "ToBe",
    "apply_scenario",
    "compare_scenarios",
    "diff",
    "load_scenario",
    "load_scenarios",
    "scenarios_for",
    "parse_threshold",
    "ScenarioPlan",
    "plan_scenario",
    "scenario_process",
    "scenario_results",
    "simulate_scenarios",
]

Roles = str | Path | Settings | None
#: A scenario file's path, or the scenario loaded from one.
ScenarioSource = str | PathLike[str] | Scenario


@dataclass(frozen=True, slots=True)
class Diff:
    """Two sides as given (a path or ``REV:PATH``) and their comparison, every row."""

    before: str
    after: str
    comparison: Comparison
    #: For each role with a headcount, the process files beside either side's that work
    #: in it and were not compared (``roles_worked_beside``): their hours are in neither
    #: side's utilisation.
    beside: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def diff(
    old: str | Path, new: str | Path, *, roles: Roles = None, cwd: str | Path | None = None
) -> Diff:
    """Load and cost both sides and compare them.

    Args:
        old: a file or folder, or ``REV:PATH`` of the git repository holding ``cwd``.
        new: likewise.
        roles: a ``roles.yaml`` for both sides instead of each file's nearest one.
        cwd: the folder git looks for the repository from (default: the current one).

    Raises:
        SopkitError: every problem of both sides, the revision named in the paths.
    """
    for side in (old, new):
        if not isinstance(side, str | Path):
            raise UsageError(
                f"diff compares two files or folders, not a {type(side).__name__}",
                hint="give paths (or REV:PATH); to compare costs you hold, use "
                "sopkit.compare(as_costs(before), as_costs(after))",
            )
    sides: list[PortfolioCost] = []
    loaded: list[Portfolio] = []
    problems: list[Problem] = []
    # Both sides' files stay until the files beside are found, once for both: a file
    # compared on one side is not beside the other (each revision's are in a folder
    # of their own until then).
    with ExitStack() as revisions:
        for side in (str(old), str(new)):
            try:
                portfolio, cost = _side(side, roles, cwd, revisions)
                loaded.append(portfolio)
                sides.append(cost)
            except SopkitError as exc:
                if isinstance(exc, UsageError):
                    raise
                problems.extend(exc.problems)
        if problems:
            raise ValidationError.collect(dict.fromkeys(problems))
        beside = roles_worked_beside(*loaded)
    before, after = sides
    if before.currency != after.currency:
        raise SopkitError(
            f"the two sides cost in different currencies ({before.currency} and "
            f"{after.currency}): their difference means nothing",
            path=str(new),
            hint="compare versions of the same portfolio",
        )
    shared = {role: tuple(sorted(files)) for role, files in beside.items()}
    return Diff(str(old), str(new), compare(before, after), shared)


def _side(
    side: str, roles: Roles, cwd: str | Path | None, revisions: ExitStack
) -> tuple[Portfolio, PortfolioCost]:
    """A side as loaded and costed; a revision's files are written into a folder that ``revisions``
    removes, and its problems are named ``REV:path``.

    One process file comes with the processes beside it that run it, as rows of their
    own: a sub-procedure's work is costed in the steps that call it (its own row is
    zero), so alone a change to it would show as no change at all."""
    local = Path(side) if cwd is None else Path(cwd) / side
    if local.exists() or not is_revision(side):
        portfolio = with_callers(local, roles=roles)
        return portfolio, cost_portfolio(portfolio)
    revision = revisions.enter_context(revision_files(side, cwd=cwd))
    try:
        portfolio = with_callers(revision.local, roles=roles)
        return portfolio, cost_portfolio(portfolio)
    except SopkitError as exc:
        raise revision.error(exc) from None


#: The largest percentage ``--fail-over`` takes.
MAX_PERCENT = Decimal(10) ** 6


def parse_threshold(text: str) -> Threshold:
    """``5%`` or an amount such as ``1000`` or ``1,000.50``, for ``--fail-over``.

    Raises:
        UsageError: anything else, or a threshold below zero.
    """
    cleaned = text.strip().replace(",", "").replace("_", "")
    percent = cleaned.endswith("%")
    try:
        value = Decimal(cleaned.removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise UsageError(
            f"--fail-over '{text}' is not a percentage or an amount",
            hint="e.g. --fail-over 5% or --fail-over 1000 (in the portfolio's currency)",
        )
    limit = MAX_PERCENT if percent else MAX_AMOUNT
    problem = amount_problem(value, limit)
    if problem is not None:
        raise UsageError(
            f"--fail-over '{text}' is {problem}",
            hint=f"give 0 to {limit:,.0f}{'%' if percent else ''}, with at most "
            f"{AMOUNT_DECIMALS} decimals",
        )
    return Threshold(value, percent)


# --- scenarios ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenarios:
    """The portfolio as it is, costed, and each scenario against it."""

    as_is: PortfolioCost
    results: tuple[ScenarioResult, ...]
    to_be: tuple[ToBe, ...] = ()
    #: For each role with a headcount, the process files beside the portfolio's that work
    #: in it and were not loaded (``roles_worked_beside``): in no utilisation here.
    beside: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def compare_scenarios(
    paths: str | Path | Sequence[str | Path],
    scenario_files: ScenarioSource | Sequence[ScenarioSource],
    *,
    roles: Roles = None,
) -> Scenarios:
    """Load the portfolio and every scenario, apply each to a copy, cost and compare.

    ``scenario_files`` are scenario files, or scenarios already loaded
    (``load_scenario``), in the order to show them.

    Raises:
        UsageError: no scenario given.
        SopkitError: every problem of the portfolio, or of every scenario file (each
            located in its scenario file).
    """
    if not _scenario_items(scenario_files):
        raise UsageError(
            "no scenario file given", hint="name at least one scenario file to compare with"
        )
    portfolio = load_portfolio(paths, roles=roles)
    results = scenario_results(portfolio, scenarios_for(portfolio, scenario_files))
    return replace(results, beside=roles_worked_beside(portfolio))


def _scenario_items(
    given: ScenarioSource | Sequence[ScenarioSource],
) -> list[ScenarioSource]:
    """One scenario or several, as a list: a lone path is one file, not its characters."""
    if isinstance(given, str | PathLike | Scenario):
        return [given]
    return list(given)


def simulate_scenarios(
    view: Scenarios, *, years: int | None = None, seed: int | None = None
) -> tuple[Simulation, ...]:
    """Each To-Be of ``view`` simulated, in order, for the report's scenario page.

    The years and seed default to ``simulate``'s, so with the As-Is simulated
    the same way a role's years over capacity before and after each scenario
    come from the same draws.

    Raises:
        UsageError: ``view`` was made without its To-Be portfolios.
    """
    from ..analysis.simulation import DEFAULT_SEED, DEFAULT_YEARS, simulate

    if len(view.to_be) != len(view.results):
        raise UsageError(
            "these scenarios do not carry their To-Be portfolios",
            hint="make them with compare_scenarios or scenario_results, which keep them",
        )
    return tuple(
        simulate(
            cost_portfolio(one.portfolio),
            years=DEFAULT_YEARS if years is None else years,
            seed=DEFAULT_SEED if seed is None else seed,
        )
        for one in view.to_be
    )


def scenarios_for(
    portfolio: Portfolio, paths: ScenarioSource | Sequence[ScenarioSource]
) -> list[Scenario]:
    """Every scenario file read for ``portfolio``, with all their problems in one run
    (a scenario already loaded counts as it is).

    A file with a mistake in one change (a mistyped kind, say) still has its
    other changes applied to the portfolio, so what only applying finds (an
    unknown step, a role that is not there) is reported with that mistake.

    Raises:
        ValidationError: every problem of every file, each located in its file.
    """
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for item in _scenario_items(paths):
        if isinstance(item, Scenario):
            scenarios.append(item)
            continue
        (path,) = as_paths(item)
        scenario, found = load_scenario_parts(path)
        if not found and scenario is not None:
            scenarios.append(scenario)
            continue
        problems.extend(found)
        if scenario is not None and scenario.changes:
            try:
                apply_scenario(portfolio, scenario)
            except SopkitError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ValidationError.collect(problems)
    return scenarios


def scenario_results(portfolio: Portfolio, scenarios: Sequence[Scenario]) -> Scenarios:
    """Each scenario applied to a copy of ``portfolio``, costed and compared with it.

    Raises:
        SopkitError: every problem of every scenario, located in its file.
    """
    as_is = cost_portfolio(portfolio)
    problems: list[Problem] = []
    results: list[ScenarioResult] = []
    applied: list[ToBe] = []
    for scenario in scenarios:
        try:
            to_be = apply_scenario(portfolio, scenario)
            try:
                cost = cost_portfolio(to_be.portfolio)
            except SopkitError as exc:
                raise ValidationError.collect(to_be.located(exc.problems)) from None
        except SopkitError as exc:
            problems.extend(exc.problems)
            continue
        applied.append(to_be)
        savings = _automation_savings(portfolio, scenario, as_is)
        one_offs = tuple(
            one_off(
                a.process_id,
                a.step_id,
                a.name,
                owner=a.owner,
                tool=a.tool,
                setup=a.setup,
                clock=a.clock,
                rate=a.rate,
                net_saving=savings.get((a.process_id, a.step_id)),
            )
            for a in to_be.automated
        )
        results.append(
            ScenarioResult(
                scenario.name,
                scenario.path,
                compare(as_is, cost),
                one_offs,
                scenario.description,
                to_be.waits,
            )
        )
    if problems:
        raise ValidationError.collect(problems)
    return Scenarios(as_is, tuple(results), tuple(applied))


def _automation_savings(
    portfolio: Portfolio, scenario: Scenario, as_is: PortfolioCost
) -> dict[tuple[str, str], Fraction | None]:
    """Each automation's own net saving a year: its step as a candidate where the
    scenario's changes before it leave the portfolio, automations left out.

    Changes apply in order, and the setup is priced at the owner's rate when the
    ``automate`` applies; its saving is taken at that same point (the rates, runs and
    times of the changes before it), so the payback divides like by like whatever
    the order. ``None`` where those changes cannot be applied without the automations
    among them (the saving is not known).
    """
    found: dict[tuple[str, str], Fraction | None] = {}
    known: dict[tuple[int, ...], dict[tuple[str, str], Fraction] | None] = {}
    for index, change in enumerate(scenario.changes):
        if change.kind != "automate":
            continue
        before = tuple(i for i in range(index) if scenario.changes[i].kind != "automate")
        if before not in known:
            known[before] = _candidate_savings(portfolio, scenario, before, as_is)
        savings = known[before]
        for _, item in change.items():
            process_id, _, step_id = str(item).partition("/")
            found[(process_id, step_id)] = (
                None if savings is None else savings.get((process_id, step_id))
            )
    return found


def _candidate_savings(
    portfolio: Portfolio, scenario: Scenario, changes: tuple[int, ...], as_is: PortfolioCost
) -> dict[tuple[str, str], Fraction] | None:
    """Every candidate's net saving after the scenario's ``changes`` (by index) alone."""
    cost = as_is
    if changes:
        try:
            chosen = tuple(scenario.changes[i] for i in changes)
            cost = cost_portfolio(
                apply_scenario(portfolio, replace(scenario, changes=chosen)).portfolio
            )
        except SopkitError:
            return None
    return {(c.process_id, c.step_id): c.exact_net_saving for c in rank_candidates(cost)}


def scenario_process(
    path: str | Path, scenario_file: str | Path, *, roles: Roles = None
) -> tuple[Process, Scenario]:
    """The process of one file as a scenario would leave it (its To-Be), and the scenario.

    A scenario may name steps of any process, so it is applied to the processes
    beside the file (in its folder, not below it), as ``sopkit compare`` applies it
    to them; the file's own process is then taken from the result. ``sopkit plan
    --scenario`` dates that process: shorter automated steps, a new headcount for
    ``--level``.

    Raises:
        SopkitError: a problem of the file, of the processes beside it, or of the
            scenario (each located in its file); a scenario that removes the process.
    """
    _, to_be, scenario = _scenario_sides(path, scenario_file, roles)
    return to_be, scenario


def _scenario_sides(
    path: str | Path, scenario_file: str | Path, roles: Roles
) -> tuple[Process, Process, Scenario]:
    """The file's process as it is and as the scenario leaves it, each file read once."""
    given = Path(path)
    beside = [p for p in process_ids_in(given.parent).values() if p.resolve() != given.resolve()]
    portfolio = load_portfolio([given, *beside], roles=roles)
    as_is = next(
        p
        for p in portfolio.processes
        if p.source_path is not None and Path(p.source_path).resolve() == given.resolve()
    )
    (scenario,) = scenarios_for(portfolio, [scenario_file])
    to_be = apply_scenario(portfolio, scenario)
    for found in (*to_be.portfolio.processes, *to_be.portfolio.dependencies):
        if found.id == as_is.id:
            return as_is, found, scenario
    raise SopkitError(
        f"scenario '{scenario.name}' removes process '{as_is.id}': it has no run to plan",
        path=scenario.path,
        hint="plan the process as it is, without the scenario, or plan another process",
    )


@dataclass(frozen=True, slots=True)
class ScenarioPlan:
    """A process's plan as a scenario leaves it, and whether the scenario moved anything
    in it: a scenario may change only other processes, or a rate no plan reads."""

    plan: Plan
    scenario: Scenario
    changed: bool


def plan_scenario(
    path: str | Path,
    scenario_file: str | Path,
    *,
    start: _dt.date | str | None = None,
    at: tuple[str, _dt.date | str] | str | None = None,
    level: bool = False,
    roles: Roles = None,
) -> ScenarioPlan:
    """``plan_run`` of the process in ``path`` as the scenario leaves it (``scenario_process``),
    beside its plan as it is (``Plan.baseline``; none when the process as it is cannot be
    planned so, say ``at`` a milestone only the scenario's run has): ``changed`` is
    whether any date, booking or due date moved.

    Raises:
        SopkitError: as ``scenario_process`` and ``plan_run`` raise it.
    """
    as_is, to_be, scenario = _scenario_sides(path, scenario_file, roles)
    plan = plan_run(to_be, start=start, at=at, level=level, scenario=scenario.name)
    try:
        before = plan_run(as_is, start=start, at=at, level=level)
    except UsageError:  # e.g. --at a milestone only the scenario's run has: nothing to show
        return ScenarioPlan(plan, scenario, True)
    changed = _dated(plan) != _dated(before)
    return ScenarioPlan(replace(plan, baseline=Baseline.of(before)), scenario, changed)


def _dated(plan: Plan) -> tuple[object, ...]:
    """What a plan says, but for the process it is of."""
    return (
        plan.start,
        plan.finish,
        plan.steps,
        plan.skipped,
        plan.misses,
        plan.overbooked,
        plan.unbooked,
    )
