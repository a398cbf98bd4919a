"""Rounding and showing numbers: the only place money is rounded.

Money is rounded half-up to the currency's minor unit (USD 2 digits, KRW and
JPY 0) and then formatted for the document's language with Babel, whose own
rounding (half-even) never sees an unrounded value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..currency import MINOR_UNITS

__all__ = [
    "hours_text",
    "money_text",
    "number_text",
    "percent_text",
    "round_money",
    "round_number",
]

DASH = "—"


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half-up to the currency's minor unit: ``4290.005`` USD → ``4290.01``."""
    return amount.quantize(Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2)), ROUND_HALF_UP)


def round_number(value: Decimal, digits: int = 2) -> Decimal:
    """Half-up to ``digits`` decimals, for hours, months and percentages."""
    return value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


@lru_cache(maxsize=64)
def _locale(language: str) -> object:
    from babel import Locale

    return Locale.parse(language)


def money_text(amount: Decimal, currency: str, language: str = "en") -> str:
    """``$4,290.00`` in English, ``₩10,500,000`` in Korean, ``4 290,00 $`` in Russian."""
    from babel.numbers import format_currency

    # Already rounded half-up, so Babel's half-even rounding changes nothing.
    return format_currency(round_money(amount, currency), currency, locale=_locale(language))


def number_text(value: Decimal, digits: int = 2, language: str = "en") -> str:
    """A plain number with the language's separators, rounded half-up."""
    from babel.numbers import format_decimal

    rounded = round_number(value, digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(rounded, format=pattern, locale=_locale(language))


def hours_text(value: Decimal, language: str = "en") -> str:
    """Hours with up to two decimals and no trailing zeros: ``1.5``, ``2``, ``0.25``."""
    from babel.numbers import format_decimal

    return format_decimal(round_number(value, 2), format="#,##0.##", locale=_locale(language))


def percent_text(value: Decimal | None, language: str = "en") -> str:
    """``24.44%``, or an em dash where the percentage is undefined."""
    if value is None:
        return DASH
    return number_text(value, 2, language) + "%"
