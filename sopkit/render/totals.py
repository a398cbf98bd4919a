"""The totals of a list of automation candidates, summed once for every surface.

The dashboard's headline, its candidates table, ``sopkit candidates`` (table,
Markdown, JSON) all show the same sums of the same candidates, and say what
they include in the same words: every candidate listed, those whose tool costs
more than they save (a negative net saving) included. A total that silently
left out the loss-makers would disagree with the rows above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..analysis.candidates import Candidate

__all__ = ["CandidateTotals", "candidate_totals"]


@dataclass(frozen=True, slots=True)
class CandidateTotals:
    """Unrounded sums over the candidates, and how many of them lose money."""

    count: int
    losing: int
    annual_cost: Decimal
    gross_saving: Decimal
    tool_cost: Decimal
    net_saving: Decimal
    setup_cost: Decimal
    hours_saved: Decimal
    fte_freed: Decimal

    def scope(self, of: int | None = None) -> str:
        """What the totals include, e.g. ``all 46 candidates, including 1 that costs more
        than it saves``; ``of`` is how many there are before ``--top`` or ``--min-saving``.
        """
        if self.count == 0:
            return "no candidates"
        if of is not None and of > self.count:
            noun = "candidate" if self.count == 1 else "candidates"
            what = f"the {self.count} {noun} listed (of {of})"
        elif self.count == 1:
            what = "the only candidate"
        else:
            what = f"all {self.count} candidates"
        if self.losing == 0:
            return what
        if self.count == 1:
            return what + ", which costs more than it saves"
        verb = "costs" if self.losing == 1 else "cost"
        they = "it saves" if self.losing == 1 else "they save"
        return f"{what}, including {self.losing} that {verb} more than {they}"


def candidate_totals(candidates: Sequence[Candidate]) -> CandidateTotals:
    """Sum every candidate given, loss-makers included."""

    def total(field: str) -> Decimal:
        return sum((getattr(c, field) for c in candidates), Decimal(0))

    return CandidateTotals(
        count=len(candidates),
        losing=sum(1 for c in candidates if c.net_saving < 0),
        annual_cost=total("annual_cost"),
        gross_saving=total("gross_saving"),
        tool_cost=total("tool_cost"),
        net_saving=total("net_saving"),
        setup_cost=total("setup_cost"),
        hours_saved=total("hours_saved"),
        fte_freed=total("fte_freed"),
    )
