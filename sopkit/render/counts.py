"""How a portfolio is counted in words: its processes, and the procedures they run.

A procedure that only runs when another process runs it (a release post's
feature write-up) has no year of its own: counted as one more process, a
portfolio of two processes and a procedure read as "3 processes" beside a
$0.00 row. Every surface that counts a portfolio says it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import ProcessCost
from .i18n import Catalogue

__all__ = ["count_processes"]


def count_processes(t: Catalogue, processes: Sequence[ProcessCost]) -> str:
    """``12 processes``, or ``11 processes and 1 sub-procedure``."""
    called = sum(1 for p in processes if p.is_called_only and p.called_by)
    if not called or called == len(processes):
        return t("count.processes", len(processes))
    return t(
        "count.portfolio",
        processes=t("count.processes", len(processes) - called),
        procedures=t("count.procedures", called),
    )
