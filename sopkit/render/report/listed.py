"""Which processes the report lists one by one, and in what order.

A printed report stays a few pages however large the portfolio: its tables
list the costliest processes and sum or leave out the rest, which
``sopkit cost`` lists in full.
"""

from __future__ import annotations

from ...analysis.cost import PortfolioCost, ProcessCost

__all__ = ["PROCESS_ROWS", "ranked"]

#: Processes listed one by one in the cost table and the ranges table and chart.
PROCESS_ROWS = 25


def ranked(cost: PortfolioCost) -> list[ProcessCost]:
    """The portfolio's processes, costliest first (ties by id): the order of every table."""
    return sorted(cost.processes, key=lambda p: (-p.annual_total_cost, p.id))
