"""Exact hours and runs: the unit conversions every figure starts from.

Values are ``fractions.Fraction`` so ``20m`` is exactly a third of an hour and
``1/week`` exactly 13/3 runs a month; ``to_decimal`` turns a result into the
``Decimal`` the renderers show, correctly rounded to 40 significant digits.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from operator import attrgetter

from ..models import Clock, Duration, Estimate, Frequency, Period

__all__ = [
    "MONTHS",
    "compare",
    "exact_hours",
    "exact_sum",
    "expected_hours",
    "plus",
    "runs_per_month",
    "terms",
    "times",
    "to_decimal",
]

MONTHS = 12
#: Significant digits of the ``Decimal`` views of exact values.
DIGITS = 40
_CONTEXT = decimal.Context(prec=DIGITS, rounding=decimal.ROUND_HALF_EVEN)


def to_decimal(value: Fraction | Decimal | int) -> Decimal:
    """An exact fraction as a ``Decimal`` correctly rounded to 40 significant digits."""
    if isinstance(value, Decimal):
        return value
    fraction = value if type(value) is Fraction else Fraction(value)
    if fraction.denominator == 1:
        return Decimal(fraction.numerator)
    return _CONTEXT.divide(Decimal(fraction.numerator), Decimal(fraction.denominator))


_new = object.__new__


def _in_lowest_terms(numerator: int, denominator: int) -> Fraction:
    """``Fraction(numerator, denominator)`` for ``denominator > 0``, without its
    constructor's type dispatch: a third of the time, and costing a portfolio
    makes a few hundred thousand of them."""
    divisor = math.gcd(numerator, denominator)
    fraction = _new(Fraction)
    if divisor == 1:
        fraction._numerator = numerator  # type: ignore[attr-defined]
        fraction._denominator = denominator  # type: ignore[attr-defined]
    else:
        fraction._numerator = numerator // divisor  # type: ignore[attr-defined]
        fraction._denominator = denominator // divisor  # type: ignore[attr-defined]
    return fraction


def _slots_are_known() -> bool:
    """Whether this Python's ``Fraction`` keeps its terms where ``_in_lowest_terms``
    puts them (every CPython since 3.0 does); if not, ``times`` and ``plus`` go
    through ``Fraction``'s own constructor."""
    try:
        made = _in_lowest_terms(6, 4)
        return Fraction.__slots__ == ("_numerator", "_denominator") and (
            made == Fraction(3, 2) and hash(made) == hash(Fraction(3, 2))
        )
    except (AttributeError, TypeError):  # pragma: no cover - another Python's Fraction
        return False


def times(a: Fraction, b: Fraction) -> Fraction:
    """``a × b``. Most factors of a step's figures are 0 or 1 (one execution, one
    person, no expense); those return at once. Otherwise the product is made from
    the integers with one gcd (the same lowest terms as ``a * b``), at a third of
    the cost of ``Fraction.__mul__``'s type dispatch and two gcds. The terms are
    read from ``Fraction``'s slots: its ``numerator`` property is a Python call,
    and costing a portfolio reads them a few million times."""
    an, ad = a._numerator, a._denominator  # type: ignore[attr-defined]
    bn, bd = b._numerator, b._denominator  # type: ignore[attr-defined]
    if ad == 1:
        if an == 1:
            return b
        if an == 0:
            return a
    if bd == 1:
        if bn == 1:
            return a
        if bn == 0:
            return b
    return _in_lowest_terms(an * bn, ad * bd)


def plus(a: Fraction, b: Fraction) -> Fraction:
    """``a + b``; when either is 0 (most sums start at 0, most parts of a step are 0)
    the other. Otherwise the sum is made from the integers with one gcd (the same
    lowest terms as ``a + b``)."""
    an, ad = a._numerator, a._denominator  # type: ignore[attr-defined]
    bn, bd = b._numerator, b._denominator  # type: ignore[attr-defined]
    if not an:
        return b
    if not bn:
        return a
    if ad == bd:
        return _in_lowest_terms(an + bn, ad)
    return _in_lowest_terms(an * bd + bn * ad, ad * bd)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum. Numerators over the same denominator are added as integers
    first: each Fraction addition costs two gcds, and totals are summed over
    thousands of steps, many of them sharing a denominator."""
    by_denominator: dict[int, int] = {}
    get = by_denominator.get
    for value in values:
        denominator = value._denominator  # type: ignore[attr-defined]
        by_denominator[denominator] = get(denominator, 0) + value._numerator  # type: ignore[attr-defined]
    if len(by_denominator) == 1:
        ((denominator, numerator),) = by_denominator.items()
        return _in_lowest_terms(numerator, denominator)
    # Then over the least common denominator: one Fraction (one gcd) instead of a
    # Fraction sum per denominator.
    common = math.lcm(*by_denominator)
    return _in_lowest_terms(sum(n * (common // d) for d, n in by_denominator.items()), common)


def compare(a: Fraction, b: Fraction) -> int:
    """-1, 0 or 1 as ``a`` is less than, equal to or greater than ``b``: two integer
    products, where ``a > b`` and ``a == b`` each go through ``Fraction``'s dispatch
    (the schedule compares finishing times a few times a step)."""
    left: int = a._numerator * b._denominator  # type: ignore[attr-defined]
    right: int = b._numerator * a._denominator  # type: ignore[attr-defined]
    return (left > right) - (left < right)


def _portable_compare(a: Fraction, b: Fraction) -> int:
    return (a > b) - (a < b)


def _portable_times(a: Fraction, b: Fraction) -> Fraction:
    return a * b


def _portable_plus(a: Fraction, b: Fraction) -> Fraction:
    return a + b


def _portable_sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


#: ``(value.numerator, value.denominator)`` in one C call (half the time of the two
#: properties): for renderers that key remembered texts by a figure's terms.
terms: Callable[[Fraction], tuple[int, int]] = attrgetter("_numerator", "_denominator")

if not _slots_are_known():  # pragma: no cover - another Python's Fraction
    terms = attrgetter("numerator", "denominator")
    times, plus, exact_sum = _portable_times, _portable_plus, _portable_sum
    compare = _portable_compare


# Portfolios repeat the same few durations thousands of times, and converting a
# Decimal to a Fraction is the slow part of costing: remember the results
# (both arguments are frozen; a Fraction is immutable).
@lru_cache(maxsize=4096)
def exact_hours(duration: Duration, clock: Clock) -> Fraction:
    """A duration in hours: ``60m`` = 1h, ``1d`` = hours_per_day h, ``1w`` = days_per_week d."""
    day = Fraction(clock.hours_per_day)
    return (
        Fraction(duration.minutes) / 60
        + Fraction(duration.hours)
        + Fraction(duration.days) * day
        + Fraction(duration.weeks) * Fraction(clock.days_per_week) * day
    )


@lru_cache(maxsize=4096)
def expected_hours(estimate: Estimate, clock: Clock) -> Fraction:
    """The PERT mean ``(min + 4·likely + max) / 6``; a bare range's likely is its midpoint."""
    if not estimate.is_range:
        return exact_hours(estimate.low, clock)
    low = exact_hours(estimate.low, clock)
    high = exact_hours(estimate.high, clock)
    likely = (low + high) / 2 if estimate.likely is None else exact_hours(estimate.likely, clock)
    return (low + 4 * likely + high) / 6


_PER_YEAR = {
    Period.WEEK: Fraction(52),
    Period.MONTH: Fraction(12),
    Period.QUARTER: Fraction(4),
    Period.YEAR: Fraction(1),
}


def runs_per_month(frequency: Frequency, working_days_per_year: Decimal) -> Fraction:
    """``/day`` × working days ÷ 12, ``/week`` × 52 ÷ 12, ``/month`` × 1, ``/quarter`` ÷ 3,
    ``/year`` ÷ 12."""
    if frequency.period is Period.DAY:
        per_year = Fraction(working_days_per_year)
    else:
        per_year = _PER_YEAR[frequency.period]
    return Fraction(frequency.count) * per_year / MONTHS
