"""What a simulation reports: the mean and P10/P50/P90 of each figure, as frozen values.

The figures are ``Decimal`` views of the simulation's floating-point results,
trimmed to 6 decimal places so that rounding half-up to the cent when shown
is not thrown by binary noise (a fixed ``4290.005`` must show as ``4290.01``
even if the sum came out at ``4290.004999999999``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .draws import Floats

__all__ = [
    "QUANTILES",
    "ProcessRanges",
    "Range",
    "RoleRanges",
    "Simulation",
    "role_ranges",
    "summarise",
]

#: The quantiles reported, as fractions of the simulated years (or runs).
QUANTILES = (0.1, 0.5, 0.9)
_PLACES = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Range:
    """The mean of a simulated figure and the values 10%, 50% and 90% of years stay under.

    Quantiles interpolate linearly between the sorted simulated values (NumPy's
    default, Hyndman and Fan's type 7).
    """

    mean: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal

    @property
    def is_fixed(self) -> bool:
        """Whether every simulated value came out the same (nothing in it is uncertain)."""
        return self.p10 == self.p90

    def scaled(self, factor: Decimal) -> Range:
        """Every figure times ``factor`` (hours → days)."""
        return Range(*(_trim(v * factor) for v in (self.mean, self.p10, self.p50, self.p90)))


def _trim(value: Decimal | float) -> Decimal:
    number = Decimal(repr(float(value))) if not isinstance(value, Decimal) else value
    return number.quantize(_PLACES) + 0  # + 0 turns -0 into 0


def summarise(values: Floats) -> Range:
    """The ``Range`` of simulated values."""
    low, middle, high = np.quantile(values, QUANTILES)
    return Range(_trim(values.mean()), _trim(low), _trim(middle), _trim(high))


@dataclass(frozen=True, slots=True)
class ProcessRanges:
    """One process: its annual figures over simulated years and one run's lead time.

    Annual figures count the process's own runs (its ``frequency``) and what
    they call, as the cost report's rows do; a process that only others run has
    only its fixed expenses here, and a lead time of its own.
    """

    process_id: str
    name: str
    #: Labour: hours × rate of everyone who works on the steps.
    annual_cost: Range
    #: Labour and expenses.
    annual_total_cost: Range
    #: The team's (staff) hours; external parties' hours are apart.
    annual_hours: Range
    external_hours: Range
    lead_time_hours: Range
    lead_time_days: Range


@dataclass(frozen=True, slots=True)
class RoleRanges:
    """A staff role's hours over simulated years, and, with a ``headcount``, how full it is.

    ``capacity`` is headcount × available hours a year; ``utilisation`` the hours
    over it, year by year; ``over_capacity`` the share of simulated years in which
    the role has more work than that (the cost report's utilisation is the mean).
    """

    role: str
    annual_hours: Range
    capacity: Decimal | None = None
    utilisation: Range | None = None
    over_capacity: Decimal | None = None


#: How far above its capacity a year's hours must be to count as over it: summed floats
#: land a few units in the last place off, and a role exactly at capacity is not over.
_OVER = 1 + 1e-9


def role_ranges(role: str, hours: Floats, capacity: Decimal | None) -> RoleRanges:
    """A role's ranges from its hours in each simulated year."""
    if capacity is None or capacity <= 0:
        return RoleRanges(role, summarise(hours))
    over = Decimal(int(np.count_nonzero(hours > float(capacity) * _OVER))) / Decimal(len(hours))
    return RoleRanges(
        role, summarise(hours), capacity, summarise(hours / float(capacity)), _trim(over)
    )


@dataclass(frozen=True, slots=True)
class Simulation:
    """Ranges for every process of a portfolio and for the portfolio's annual totals.

    A portfolio year is the same simulated year of every process, summed, so its
    P90 is the P90 of the totals, not the sum of the processes' P90s.
    """

    currency: str
    years: int
    seed: int
    processes: tuple[ProcessRanges, ...]
    annual_cost: Range
    annual_total_cost: Range
    annual_hours: Range
    external_hours: Range
    #: The team's roles, as the cost report orders them (by annual cost).
    roles: tuple[RoleRanges, ...] = ()

    def process(self, process_id: str) -> ProcessRanges:
        """The ranges of the process with this id (``KeyError`` when there is none)."""
        for process in self.processes:
            if process.process_id == process_id:
                return process
        raise KeyError(process_id)
