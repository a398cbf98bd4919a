"""Rounding and showing numbers: the only place money is rounded.

Money is rounded half-up to the currency's minor unit (USD 2 digits, KRW and
JPY 0) and then formatted for the document's language with Babel, whose own
rounding (half-even) never sees an unrounded value.

**Babel's text, written faster.** A site of 100 processes shows some 40,000
figures, and Babel takes about 30 µs for each (it looks up the locale's
symbols and runs its pattern every time). So each (language, currency,
digits) is shown to Babel once: it writes probe numbers, and what surrounds
the digits (the currency symbol and its place, the sign) and what separates
them (group and decimal symbols) is kept as a ``_Shape``. A figure is then
written with plain string formatting. The shape is checked against Babel on
numbers of every length and sign before it is used, and a figure outside
what it covers (a value Babel would have to round, a huge one) is written by
Babel itself: sopkit writes what Babel writes, and ``tests/test_numbers_babel.py``
holds every supported language and currency to the installed Babel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..analysis.units import DIGITS, to_decimal
from ..currency import IN_TEXT_UNITS, minor_unit

if TYPE_CHECKING:  # Babel is imported on first use, to keep `sopkit --help` fast
    from babel import Locale

__all__ = [
    "DASH",
    "Amount",
    "PAYBACK_DIGITS",
    "count_share_text",
    "counted",
    "hours_text",
    "json_fixed",
    "json_number",
    "listed",
    "load_babel",
    "minor_unit",
    "minutes",
    "money_text",
    "number_text",
    "percent_text",
    "rate_text",
    "round_exact",
    "round_money",
    "round_money_exact",
    "round_number",
    "share_text",
    "spoken",
]

DASH = "—"
#: Decimals of payback months wherever people read them (JSON keeps 2, as all months).
PAYBACK_DIGITS = 1


def listed(items: Sequence[str], language: str = "en") -> str:
    """Items as the language lists them: ``a and b``, ``a, b, and c``, ``a и b``."""
    from babel.lists import format_list

    return format_list(list(items), locale=language) if items else ""


def counted(shown: str, one: str, other: str) -> str:
    """A number as shown with its English noun: ``1 step``, ``2 steps``, ``1.5 days``.

    English takes the singular for a bare 1 only (CLDR's rule), so the choice is
    made on the text the reader sees, after rounding.
    """
    return f"{shown} {one if shown == '1' else other}"


def load_babel() -> None:
    """Import the parts of Babel sopkit formats with, at once.

    Babel is imported on first use, so ``sopkit --help`` stays quick. A build
    formats in two threads at once (the pages, and the portfolio's reports), and
    two threads importing one package at the same moment can each meet the
    other's half-imported module ("cannot import name 'Locale' from partially
    initialized module 'babel.core'"): the build calls this before they start.
    """
    import babel.dates
    import babel.lists
    import babel.numbers  # noqa: F401


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half-up to the currency's minor unit: ``4290.005`` USD → ``4290.01``."""
    return _no_negative_zero(
        amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), ROUND_HALF_UP)
    )


def round_number(value: Decimal, digits: int = 2) -> Decimal:
    """Half-up to ``digits`` decimals, for hours, months and percentages."""
    return _no_negative_zero(value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def minutes(hours: Decimal) -> Decimal:
    """Hours as minutes for a time under an hour: whole from 10 up (``19``), tenths
    below (``2.5``), since ``0.08 h`` means nothing to a reader and ``5 min`` does."""
    shown = hours * 60
    return round_number(shown, 0 if shown >= 10 else 1)


def round_exact(value: Fraction, digits: int = 2) -> Decimal:
    """``round_number(to_decimal(value), digits)``, computed from the exact value.

    Rounding the exact fraction with integers skips the 40-digit ``Decimal``
    division, the slow part of writing thousands of figures. The two roundings
    agree unless the exact value lies within one unit of the 40th digit of a
    half (``…4999…`` beyond 40 digits): then the ``Decimal`` view itself is
    rounded, so the result is always the same as ``round_number``'s.
    """
    units = _units(value, digits)
    if units is None:
        return round_number(to_decimal(value), digits)
    return Decimal(units).scaleb(-digits)


def json_fixed(value: Fraction, digits: int = 2) -> str:
    """``json_number(round_exact(value, digits))``, written from the rounded integer."""
    units = _units(value, digits)
    if units is None:
        return json_number(round_exact(value, digits))
    if not units:
        return "0.0"
    whole, part = divmod(abs(units), _SCALES[digits])
    sign = "-" if units < 0 else ""
    if not part:
        return f"{sign}{whole}.0"
    return f"{sign}{whole}.{str(part).rjust(digits, '0').rstrip('0')}"


def _units(value: Fraction, digits: int) -> int | None:
    """``value`` in units of 10^-digits, rounded half-up (away from zero), or ``None``
    when only the ``Decimal`` route gives the same answer (see ``round_exact``)."""
    numerator, denominator = value.numerator, value.denominator
    scale = _SCALES[digits]
    if denominator == 1:
        units = numerator * scale
        return units if -_LARGEST < units < _LARGEST else None
    size = (numerator if numerator >= 0 else -numerator) * scale
    whole, rest = size // denominator, size % denominator
    # The 40-digit view moves the value by less than |value| × 10^-39: it can only
    # change the rounding when |2·rest − denominator| · 10^39 ≤ size (a half is kept).
    if whole >= _LARGEST or (size >= _ULP and abs(2 * rest - denominator) * _ULP <= size):
        return None
    if 2 * rest >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def round_money_exact(value: Fraction, currency: str) -> Decimal:
    """``round_money(to_decimal(value), currency)``, computed from the exact value."""
    return round_exact(value, minor_unit(currency))


_SCALES: dict[int, int] = {digits: 10**digits for digits in range(8)}
_ULP: int = 10 ** (DIGITS - 1)
#: Rounded values of this many digits take the Decimal path, which refuses them as before
#: (``quantize`` keeps at most 28 digits).
_LARGEST = 10**27


def _no_negative_zero(value: Decimal) -> Decimal:
    """``-0.001`` rounds to ``0.00``, not ``-0.00``."""
    return value if value else abs(value)


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(language)


class Amount(str):
    """Money as a figure shows it (``₩1,250,000``), which also knows how a sentence
    says it (``1,250,000원``).

    Tables and headline figures show the text itself. A sentence's placeholder is
    filled with ``in_text`` (the catalogues do it for every value they are given, see
    ``spoken``), so a Korean sentence reads 연간 1,250,000원 절감 where its table's
    column reads ₩1,250,000 (``currency.IN_TEXT_UNITS``). Like ``markupsafe.Markup``,
    it is a ``str`` wherever a string goes; text made from it is plain text.
    """

    __slots__ = ("currency", "digits", "signed", "value")

    value: Decimal  # rounded, as shown
    currency: str
    digits: int  # decimals shown
    signed: bool  # a change: ``+`` before a rise

    def __new__(
        cls, text: str, value: Decimal, currency: str, digits: int, *, signed: bool = False
    ) -> Amount:
        made = super().__new__(cls, text)
        made.value, made.currency, made.digits, made.signed = value, currency, digits, signed
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (_amount, (str(self), self.value, self.currency, self.digits, self.signed))

    def with_sign(self) -> Amount:
        """A change as people write it: ``+$4,120.00`` for a rise, else as it is."""
        if self.value <= 0:
            return self
        return Amount("+" + self, self.value, self.currency, self.digits, signed=True)

    def in_text(self, language: str) -> str:
        """The amount as a sentence in ``language`` says it: ``1,250,000원`` in Korean,
        the figure's own text where the language writes the two alike."""
        unit = IN_TEXT_UNITS.get((language, self.currency))
        if unit is None:
            return str(self)
        number = _written(self.value, language, None, self.digits, self.digits)
        return ("+" if self.signed and self.value > 0 else "") + number + unit


def _amount(text: str, value: Decimal, currency: str, digits: int, signed: bool) -> Amount:
    return Amount(text, value, currency, digits, signed=signed)


def spoken(value: object, language: str) -> object:
    """A placeholder's value as a sentence in ``language`` says it: an ``Amount`` in its
    sentence form (``Amount.in_text``), anything else as it is."""
    return value.in_text(language) if isinstance(value, Amount) else value


def money_text(amount: Decimal, currency: str, language: str = "en") -> Amount:
    """``$4,290.00`` in English, ``₩10,500,000`` in Korean, ``4 290,00 $`` in Russian."""
    # Rounded half-up first and shown with exactly our minor-unit digits, so
    # Babel (whose rounding is half-even, and whose digits differ for a few
    # currencies such as RSD) never rounds again.
    return _currency(round_money(amount, currency), currency, language, minor_unit(currency))


def rate_text(rate: Decimal, currency: str, language: str = "en") -> Amount:
    """An hourly rate as people write it: ``$55``, ``$42.50``, ``₩30,000``."""
    rounded = round_money(rate, currency)
    digits = 0 if rounded == rounded.to_integral_value() else minor_unit(currency)
    return _currency(rounded.quantize(Decimal(1).scaleb(-digits)), currency, language, digits)


def _currency(amount: Decimal, currency: str, language: str, digits: int) -> Amount:
    return Amount(_written(amount, language, currency, digits, digits), amount, currency, digits)


def _babel(value: Decimal, language: str, currency: str | None, least: int, most: int) -> str:
    """Babel's text for ``value``: as a currency (its locale's standard pattern) with
    exactly ``least`` = ``most`` decimals, or as a plain number with ``least`` to
    ``most`` decimals (``#,##0.00`` or ``#,##0.##``)."""
    locale = _locale(language)
    if currency is not None:
        import copy

        pattern = copy.copy(locale.currency_formats["standard"])
        pattern.frac_prec = (least, most)
        money: str = pattern.apply(value, locale, currency=currency, currency_digits=False)
        return _LETTERS_BY_DIGITS.sub("\u00a0", money)
    from babel.numbers import format_decimal

    places = "." + "0" * least + "#" * (most - least) if most else ""
    return format_decimal(value, format="#,##0" + places, locale=locale)


#: Where a currency written in letters meets the digits (``RUB43,200.00``). CLDR's
#: currency spacing puts a no-break space there, as people write it (``RUB 43,200.00``,
#: ``CHF 12.50``); Babel leaves it out. A sign (``$``, ``₩``, ``₽``) stays attached.
_LETTERS_BY_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")

#: Numbers of this magnitude and more are left to Babel (it refuses some beyond 28 digits).
_HUGE = 18


@dataclass(frozen=True, slots=True)
class _Shape:
    """How Babel writes one kind of figure: the text around the digits by sign
    (positive, negative), the group and decimal symbols, the decimals shown."""

    prefixes: tuple[str, str]
    suffixes: tuple[str, str]
    group: str
    point: str
    least: int
    most: int

    def write(self, value: Decimal) -> str | None:
        """``value`` as Babel writes it, or ``None`` when Babel must write it (it
        would round, or it is not finite or huge)."""
        if not value.is_finite() or value.adjusted() >= _HUGE:
            return None
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -self.most:
            return None
        negative = value.is_signed()
        whole, _, part = f"{value.copy_abs():f}".partition(".")
        number = f"{int(whole):,}"
        if self.group != ",":
            number = number.replace(",", self.group)
        number += self._decimals(part)
        return self.prefixes[negative] + number + self.suffixes[negative]

    def _decimals(self, part: str) -> str:
        """The decimal symbol and digits, as Babel's ``NumberPattern._format_frac``."""
        part = part.ljust(self.least, "0")
        if self.most == 0 or (self.least == 0 and int(part or "0") == 0):
            return ""
        while len(part) > self.least and part[-1] == "0":
            part = part[:-1]
        return self.point + part


def _probes(most: int) -> list[Decimal]:
    """Numbers of every length up to ``_HUGE`` digits, with and without decimals, both signs."""
    wholes = [0, 1, 7, 12, 100, 999, 1000, 1234, 12345, 123456, 1234567, 10**9, 10**_HUGE - 1]
    tails = [Decimal(0)] + [Decimal(t).scaleb(-most) for t in (1, 5, 10**most - 1) if most]
    found = [Decimal(w) + t for w in wholes for t in tails]
    return found + [-v for v in found] + [Decimal("-0"), Decimal("1E+3"), Decimal("1.0")]


@lru_cache(maxsize=256)
def _shape(language: str, currency: str | None, least: int, most: int) -> _Shape | None:
    """Babel's shape for this kind of figure, or ``None`` when it is not that simple."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = _locale(language)
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    probe = Decimal(1234) + (Decimal(5).scaleb(-1) if most else 0)
    body = "1" + group + "234" + (point + "5".ljust(max(least, 1), "0") if most else "")
    affixes = [_babel(v, language, currency, least, most).split(body) for v in (probe, -probe)]
    if (
        any(len(a) != 2 for a in affixes)
        or "" in (group, point)
        or any(c.isdigit() for c in group + point)
    ):
        return None
    shape = _Shape(
        (affixes[0][0], affixes[1][0]), (affixes[0][1], affixes[1][1]), group, point, least, most
    )
    for value in _probes(most):
        if shape.write(value) not in (None, _babel(value, language, currency, least, most)):
            return None
    return shape


def _written(value: Decimal, language: str, currency: str | None, least: int, most: int) -> str:
    """Babel's text for ``value`` (see ``_babel``), mostly without Babel (module docstring)."""
    shape = _shape(language, currency, least, most)
    text = None if shape is None else shape.write(value)
    return _babel(value, language, currency, least, most) if text is None else text


def json_number(value: Decimal) -> str:
    """A rounded value as JSON number text, always with a decimal point: ``4320.0``, ``0.5``.

    Written from the decimal digits, never through a float, so large amounts
    keep every digit; ``-0`` is written ``0.0``.
    """
    if value == 0:
        return "0.0"
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def number_text(value: Decimal, digits: int = 2, language: str = "en") -> str:
    """A plain number with the language's separators, rounded half-up."""
    return _written(round_number(value, digits), language, None, digits, digits)


def hours_text(value: Decimal, language: str = "en", digits: int = 2) -> str:
    """Hours with up to ``digits`` decimals and no trailing zeros: ``1.5``, ``2``, ``0.25``."""
    return _written(round_number(value, digits), language, None, 0, digits)


def share_text(share: Decimal, language: str = "en") -> str:
    """An automation share as a percentage without trailing zeros: ``0.5`` → ``50%``."""
    return hours_text(share * 100, language) + "%"


def count_share_text(part: int, whole: int, language: str = "en") -> str:
    """``part`` of ``whole`` things (steps) as a percentage in whole per cent: ``6`` of
    ``10`` is ``60%``, ``6`` of ``9`` ``67%``.

    Counted things have no cents: ``60.00%`` of ten steps claims a precision the count
    has not. A decimal (or two) is added only where whole per cent would read as none or
    all of them when it is neither (``1`` of ``300`` is ``0.3%``, not ``0%``).
    """
    exact = Fraction(100 * part, whole) if whole else Fraction(0)
    shown, digits = round_exact(exact, 0), 0
    while digits < 2 and ((shown == 0) != (exact == 0) or (shown == 100) != (exact == 100)):
        digits += 1
        shown = round_exact(exact, digits)
    return hours_text(shown, language, digits) + "%"


def percent_text(value: Decimal | None, language: str = "en") -> str:
    """``24.44%``, or an em dash where the percentage is undefined."""
    if value is None:
        return DASH
    return number_text(value, 2, language) + "%"
