"""Explain one role's annual hours, cost and utilisation, so its load can be audited.

``sopkit cost --explain draft`` shows how one step's figures were made;
``--explain "Content Writer"`` shows a role's: every step it works on, as owner
or beside the owner (``with``), or inside a process a step runs, with the hours
and cost each takes of the role a year, their sum, and how that sum compares
with the hours its people have. Each step's own figures come from the same
costing the reports use, and are explained in turn with ``--explain STEP``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ...analysis import Costable, PortfolioCost, RoleCost, StepCost
from ...analysis.units import to_decimal
from ...errors import UsageError
from ...models import RoleKind
from ...suggest import closest
from ..beside import beside_text, only_these_hours
from ..labels import padded, text_width
from ..numbers import hours_text, money_text, percent_text
from .tables import ensure_costs

__all__ = ["defined_role", "explain_role", "find_role"]


def find_role(costs: PortfolioCost, name: str) -> RoleCost:
    """The role called ``name`` (as written in roles.yaml or the processes).

    Raises:
        UsageError: when no role has that name, or a roles file defines it but no step
            names it.
    """
    for role in costs.roles:
        if role.role == name:
            return role
    if defined_role(costs, name):
        raise UsageError(
            f"the role '{name}' works on no step of these processes",
            hint="it is in the roles file but no step names it: it has no hours or cost",
        )
    names = [role.role for role in costs.roles]
    near = closest(name, names)
    hint = f"did you mean '{near}'? " if near else ""
    raise UsageError(f"no role '{name}'", hint=f"{hint}roles here: {', '.join(names)}")


def defined_role(costs: PortfolioCost, name: str) -> bool:
    """Whether a roles file of the portfolio defines ``name`` (whether a step names it)."""
    return any(name in process.process.settings.roles for process in costs.processes)


def explain_role(
    source: Costable, name: str, *, beside: Mapping[str, Sequence[str]] | None = None
) -> str:
    """How one role's annual hours, cost and utilisation add up, as plain text.

    Args:
        source: loaded processes or a ``PortfolioCost``.
        name: the role's name.
        beside: the process files not given that work in each role with a headcount
            (``roles_worked_beside``): their hours are in none of these figures, and the
            utilisation says so.
    """
    costs = ensure_costs(source)
    role = find_role(costs, name)
    currency = costs.currency
    # Every step of the role, a step that runs another process too: the role's hours in
    # the runs it makes are that step's, not the called process's own steps' (those
    # count only the runs it makes itself, none when only other processes run it).
    found = (_row(costs, step, role.role) for step in role.steps)
    listed = [row for row in found if row is not None]
    if role.kind is RoleKind.SYSTEM:  # counts no hours: every step it works on is listed
        rows, idle = listed, []
    else:
        rows = [row for row in listed if row[3] or row[4]]
        idle = [row[0] for row in listed if not (row[3] or row[4])]
    called_only = {
        p.id for p in costs.processes if p.is_called_only and p.exact_called_runs_per_month
    }
    outside = role.kind is RoleKind.EXTERNAL
    hours = role.exact_external_hours if outside else role.exact_annual_hours
    kind = {
        RoleKind.STAFF: "staff",
        RoleKind.EXTERNAL: "an outside party: its hours are not the team's and not in FTE",
        RoleKind.SYSTEM: "a system: its work costs nothing and counts no hours",
    }[role.kind]
    lines = [
        f"{role.role} ({kind})",
        "",
        "Hours a year = the sum of what each step it works on takes of it: the step's time × "
        "executions per run × runs a month × 12, for each person of the role on it; for a "
        "step that runs another process, the role's hours in the runs it makes:",
        "",
        *_table(rows, currency),
        *_idle_lines(idle, called_only),
        "",
        f"Total: {hours_text(to_decimal(hours))} h a year, "
        f"{money_text(to_decimal(role.exact_annual_cost), currency)} a year",
    ]
    lines += _capacity_lines(role)
    elsewhere = beside_text(beside or {}, [role.role]) if role.utilisation is not None else None
    if elsewhere is not None:
        lines.append(f"{only_these_hours(len(costs.processes))} {elsewhere}")
    lines += [
        "",
        "Each step's figures, factor by factor: sopkit cost … --explain PROCESS/STEP",
    ]
    return "\n".join(lines) + "\n"


_Row = tuple[str, str, str, Fraction, Fraction]


def _row(costs: PortfolioCost, step: StepCost, role: str) -> _Row | None:
    """A step's line: where, what, how the role works on it, its hours and cost."""
    shares = [share for share in step.roles if share.role == role]
    if not shares:
        return None
    hours = sum((s.exact_hours + s.exact_external_hours for s in shares), Fraction(0))
    cost = sum((s.exact_cost for s in shares), Fraction(0))
    if step.calls is not None:
        how = f"in '{costs.name_of(step.calls)}', which it runs"
    elif step.owner == role:
        how = "owner"
    else:
        how = "with the owner"
    return f"{step.process_id}/{step.step_id}", step.name, how, hours, cost


def _idle_lines(idle: list[str], called_only: set[str]) -> list[str]:
    """The role's steps that take none of its time a year: most often those of a process
    that runs only when another runs it, whose hours are in the calling step's row."""
    if not idle:
        return []
    why = ""
    if all(where.partition("/")[0] in called_only for where in idle):
        why = (
            " (a process that runs only when another process runs it has its hours in the "
            "step that runs it)"
        )
    return ["", f"Not listed, as they take none of its time a year: {', '.join(idle)}{why}."]


def _table(rows: list[_Row], currency: str) -> list[str]:
    if not rows:
        return ["  (no step takes any of its time)"]
    texts = [
        (where, name, how, hours_text(to_decimal(hours)) + " h", _money(cost, currency))
        for where, name, how, hours, cost in rows
    ]
    widths = [max(text_width(row[i]) for row in texts) for i in range(5)]
    out = []
    for row in texts:
        left = [padded(row[i], widths[i]) for i in range(3)]
        right = [" " * (widths[i] - text_width(row[i])) + row[i] for i in (3, 4)]
        out.append("  " + "   ".join([*left, *right]).rstrip())
    return out


def _money(value: Fraction, currency: str) -> str:
    return money_text(to_decimal(value), currency)


def _capacity_lines(role: RoleCost) -> list[str]:
    """Capacity and utilisation, when the role has a headcount."""
    if role.headcount is None or role.available_hours is None or role.utilisation is None:
        if role.kind is not RoleKind.STAFF:
            return []
        return [
            "",
            "Capacity: no headcount is given for the role in roles.yaml, so its utilisation "
            "is not known (give it one, e.g. 'headcount: 1', and 'available_hours' if its "
            "people have fewer hours a year for this work than the working year).",
        ]
    capacity = role.headcount * role.available_hours
    state = "over capacity" if role.over_capacity else "within capacity"
    return [
        "",
        f"Capacity = headcount × hours each person has for this work a year "
        f"= {hours_text(role.headcount)} × {hours_text(role.available_hours)} h "
        f"= {hours_text(capacity)} h",
        f"Utilisation = hours a year ÷ capacity = {hours_text(role.annual_hours)} h "
        f"÷ {hours_text(capacity)} h = {percent_text(role.utilisation * 100)}: {state}",
    ]
