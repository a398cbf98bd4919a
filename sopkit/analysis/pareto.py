"""The Pareto of steps: the costliest first, and how few of them make most of the cost.

The dashboard and the annual report both show it, so both take it from here:
one ranking, one basis (each step's annual total cost: its labour and its own
cash costs) and one total (what the steps cost together), so the two pages can
never disagree on "N of M steps make X % of the cost".

The total is the steps', not the portfolio's: a process's own cash costs (a
sponsorship per quarter, a licence per year) belong to no step, and counted in
the total they would keep the running share from ever reaching 100 % or, when
large, 80 %, so that every step looked "vital". They are kept apart
(``outside``) for the pages to name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .cost import PortfolioCost, StepCost
from .units import to_decimal

__all__ = ["VITAL_SHARE", "Pareto", "pareto"]

#: The share of the total that "the vital few" steps make up together.
VITAL_SHARE = Fraction(4, 5)


@dataclass(frozen=True, slots=True)
class Pareto:
    """Every step of a portfolio by annual total cost, highest first."""

    #: Costliest first; ties in process, then step id order. Steps costing nothing are
    #: left out (milestones; the steps of procedures, costed in the steps that call them).
    steps: tuple[StepCost, ...]
    #: What the steps cost a year together (labour and the steps' own cash costs).
    exact_total: Fraction
    #: How many of the costliest steps it takes to reach ``VITAL_SHARE`` of the total.
    vital: int
    #: What those steps cost together.
    exact_vital_cost: Fraction
    #: The processes' own cash costs a year, which no step has (not ranked).
    exact_outside: Fraction = Fraction(0)

    @property
    def total(self) -> Decimal:
        return to_decimal(self.exact_total)

    @property
    def outside(self) -> Decimal:
        return to_decimal(self.exact_outside)

    @property
    def outside_share(self) -> Decimal:
        """The processes' own cash costs in percent of the portfolio's annual total cost."""
        whole = self.exact_total + self.exact_outside
        return to_decimal(self.exact_outside * 100 / whole) if whole else Decimal(0)

    @property
    def vital_share(self) -> Decimal:
        """The vital steps' share of the total, in percent (0 for a portfolio costing nothing)."""
        return self.share(self.exact_vital_cost)

    @property
    def vital_step_share(self) -> Decimal:
        """The vital steps as a percentage of all steps."""
        return to_decimal(Fraction(100 * self.vital, len(self.steps))) if self.steps else Decimal(0)

    def share(self, amount: Fraction) -> Decimal:
        """``amount`` as a percentage of the total."""
        return to_decimal(amount * 100 / self.exact_total) if self.exact_total else Decimal(0)

    def running(self) -> Iterator[tuple[StepCost, Decimal]]:
        """Each step with the running share of the total up to and including it, in percent."""
        running = Fraction(0)
        for step in self.steps:
            running += step.exact_annual_total_cost
            yield step, self.share(running)


def pareto(cost: PortfolioCost) -> Pareto:
    """The steps of ``cost`` ranked, and the vital few that make four fifths of its total.

    Only steps that cost something are ranked: a milestone costs nothing, and
    the steps of a procedure that others run are costed in the calling step,
    which is ranked with all of them; listed at $0 they would only pad the list.
    Ranked once per costed portfolio: the report and the dashboard both ask.
    """
    found = cost.ranked_steps
    if isinstance(found, Pareto):
        return found
    costing = sorted(
        (s for s in cost.steps if s.exact_annual_total_cost > 0),
        key=lambda s: (s.process_id, s.step_id),
    )
    # Ties keep the order by process and step: the sort is stable, also in reverse (and
    # needs no negated Fraction per step: a fifth of the dashboard's time at 2,000 steps).
    costing.sort(key=lambda s: s.exact_annual_total_cost, reverse=True)
    steps = tuple(costing)
    total = sum((s.exact_annual_total_cost for s in steps), Fraction(0))
    running, vital = Fraction(0), 0
    for step in steps:
        if total == 0 or running >= total * VITAL_SHARE:
            break
        running += step.exact_annual_total_cost
        vital += 1
    ranked = Pareto(steps, total, vital, running, cost.exact_annual_total_cost - total)
    object.__setattr__(cost, "ranked_steps", ranked)  # frozen: filled once
    return ranked
