"""What a caller hands the analysis: a process or its costs, processes or their costs.

The CLI always passes costs, but a Python user has whatever they loaded:
``render_sop(load_process(path))`` and ``rank_candidates(load_portfolio(path))``
should work as the reader expects, and anything else should say what was
expected instead of failing deep inside with an ``AttributeError``.

A process costed here is costed alone, for its own runs: a sub-procedure's
calls count only when its callers are costed with it (``load.callers_of``
finds them beside its file, ``cost_among_callers`` costs it among them, as
the CLI does for one file).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UsageError
from ..models import Process
from .cost import (
    PortfolioCost,
    ProcessCost,
    check_one_currency,
    cost_portfolio,
    cost_process,
    not_loaded,
)

__all__ = ["Costable", "as_costs", "as_process_cost"]

#: Anything ``as_costs`` takes: costs, a ``Portfolio`` (it iterates its processes),
#: processes or their costs, or one of either.
Costable = PortfolioCost | ProcessCost | Process | Iterable[Process] | Iterable[ProcessCost]


def as_process_cost(source: Process | ProcessCost) -> ProcessCost:
    """One process's costs: as given, or the process costed alone.

    Raises:
        UsageError: ``source`` is neither.
    """
    if isinstance(source, ProcessCost):
        return source
    if isinstance(source, Process):
        return cost_process(source)
    raise not_loaded("a Process or a ProcessCost", source)


def as_costs(source: Costable) -> PortfolioCost:
    """A portfolio's costs: as given, or the processes costed together.

    Raises:
        UsageError: ``source`` holds something else.
        SopkitError: the processes cannot be costed, or use more than one currency.
    """
    if isinstance(source, PortfolioCost):
        return source
    if isinstance(source, Process | ProcessCost):
        items: tuple[object, ...] = (source,)
    elif isinstance(source, str | bytes) or not isinstance(source, Iterable):
        raise not_loaded("processes or their costs", source)
    else:
        items = tuple(source)
    if all(isinstance(item, Process) for item in items):  # none too: an empty portfolio
        return cost_portfolio(items)  # type: ignore[arg-type]
    odd = next((i for i in items if not isinstance(i, Process | ProcessCost)), None)
    if odd is not None:
        raise not_loaded("processes or their costs", odd)
    if not all(isinstance(item, ProcessCost) for item in items):
        raise UsageError(
            "give processes or their costs, not both",
            hint="cost them together: cost_portfolio(processes)",
        )
    costs: tuple[ProcessCost, ...] = items  # type: ignore[assignment]
    check_one_currency(cost.currency for cost in costs)
    return PortfolioCost(costs[0].currency, costs[0].process.settings, costs)
