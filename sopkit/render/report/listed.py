"""Which processes the report lists one by one, and in what order.

A printed report stays a few pages however large the portfolio: its tables
list the costliest processes and sum the rest in one row, which ``sopkit
cost`` lists in full.
"""

from __future__ import annotations

from ...analysis.cost import PortfolioCost, ProcessCost

__all__ = ["PROCESS_ROWS", "in_tables", "ranked"]

#: Processes listed one by one in the cost table and the ranges table and chart.
PROCESS_ROWS = 25


def ranked(cost: PortfolioCost) -> list[ProcessCost]:
    """The portfolio's processes, costliest first (ties by id): the order of every table."""
    return sorted(cost.processes, key=lambda p: (-p.annual_total_cost, p.id))


def in_tables(cost: PortfolioCost) -> tuple[list[ProcessCost], list[ProcessCost]]:
    """The processes a table lists one by one, and the others it sums in one row.

    One process left over is listed rather than summed: a row of "1 other process"
    would take the same room and say less.
    """
    ordered = ranked(cost)
    count = PROCESS_ROWS if len(ordered) > PROCESS_ROWS + 1 else len(ordered)
    return ordered[:count], ordered[count:]
