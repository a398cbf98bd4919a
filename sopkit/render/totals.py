"""The totals of a list of automation candidates, summed once for every surface.

The dashboard's headline, its candidates table, ``sopkit candidates`` (table,
Markdown, JSON) all show the same sums of the same candidates, and say what
they include in the same words: every candidate listed, those whose tool costs
more than they save (a negative net saving) included. A total that silently
left out the loss-makers would disagree with the rows above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..analysis.candidates import Candidate
from ..analysis.cost import PortfolioCost, ProcessCost
from ..models import Process
from .i18n import Catalogue, catalogue

__all__ = ["CandidateTotals", "candidate_totals", "tool_paid_text"]


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

    def scope(self, of: int | None = None, t: Catalogue | None = None) -> str:
        """What the totals include, e.g. ``all 46 candidates, including 1 that costs more
        than it saves``; ``of`` is how many there are before ``--top`` or ``--min-saving``;
        ``t`` the language (English by default).
        """
        t = t or catalogue("en")
        if self.count == 0:
            return t("scope.none")
        if of is not None and of > self.count:
            what = t("scope.listed", self.count, of=str(of))
        elif self.count == 1:
            what = t("scope.only")
        elif self.count == 2:
            what = t("scope.both")
        else:
            what = t("scope.all", self.count)
        if self.losing == 0:
            return what
        if self.count == 1:
            return t("scope.only_losing", what=what)
        return t("scope.losing", self.losing, what=what)


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


def tool_paid_text(
    candidate: Candidate, cost: PortfolioCost | Iterable[Process], t: Catalogue
) -> str:
    """Where a candidate's tool is paid for when it costs nothing on the step itself
    (``paid for on “Email sequence”``), or ``""``: its payback "immediately" holds
    only while that other step keeps the tool.

    ``cost`` names the processes (a portfolio's costs, or the processes themselves: a
    SOP's and those of the procedures it runs, which are not costed as a portfolio).
    """
    if not candidate.tool_paid_by:
        return ""
    known = cost.processes if isinstance(cost, PortfolioCost) else cost
    costed = {
        process.id: process.process if isinstance(process, ProcessCost) else process
        for process in known
    }
    names = []
    for ref in candidate.tool_paid_by:
        process_id, step_id = ref.split("/", 1)
        process = costed.get(process_id)  # ranked among others than ``cost`` holds: ids
        step = process.step(step_id).name if process is not None else step_id
        names.append(
            t("candidate.step_quoted", step=step)
            if process_id == candidate.process_id
            else t(
                "candidate.step_elsewhere",
                step=step,
                process=process.name if process is not None else process_id,
            )
        )
    return t("candidate.tool_paid", len(names), steps=", ".join(names))
