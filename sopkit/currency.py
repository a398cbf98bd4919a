"""ISO 4217 currencies: how many minor-unit digits each shows, and its symbol.

The list covers the currencies marketing teams commonly budget in; an unknown
code is refused rather than guessed, because rounding depends on it. Also the
bounds of an amount typed on the command line (a light module: the CLI checks
options before it imports the analysis).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "AMOUNT_DECIMALS",
    "IN_TEXT_UNITS",
    "MAX_AMOUNT",
    "MINOR_UNITS",
    "SYMBOLS",
    "amount_problem",
    "minor_unit",
]

#: Digits after the decimal point when money is shown (ISO 4217 minor unit).
MINOR_UNITS: dict[str, int] = {
    "AED": 2,
    "ARS": 2,
    "AUD": 2,
    "BGN": 2,
    "BHD": 3,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CLP": 0,
    "CNY": 2,
    "COP": 2,
    "CZK": 2,
    "DKK": 2,
    "EGP": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KES": 2,
    "KRW": 0,
    "KWD": 3,
    "KZT": 2,
    "MXN": 2,
    "MYR": 2,
    "NGN": 2,
    "NOK": 2,
    "NZD": 2,
    "OMR": 3,
    "PEN": 2,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "QAR": 2,
    "RON": 2,
    "RSD": 2,
    "RUB": 2,
    "SAR": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TND": 3,
    "TRY": 2,
    "TWD": 2,
    "UAH": 2,
    "USD": 2,
    "UYU": 2,
    "VND": 0,
    "ZAR": 2,
}

#: Symbols for the currencies whose symbol is unambiguous in a marketing report.
SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "KRW": "₩",
    "RUB": "₽",
    "INR": "₹",
    "CNY": "CN¥",
    "UAH": "₴",
    "ILS": "₪",
    "TRY": "₺",
    "VND": "₫",
    "PHP": "₱",
    "KZT": "₸",
    "NGN": "₦",
    "THB": "฿",
    "PLN": "zł",
}

#: The word a language's sentences write after an amount, where its figures put the
#: currency's sign before it: a Korean sentence says 1,250,000원 (연간 1,250,000원 절감),
#: while a Korean table or headline figure keeps ₩1,250,000, compact and aligned, as
#: Korean finance tables do. Any other language and currency writes an amount in a
#: sentence as its figures do.
IN_TEXT_UNITS: dict[tuple[str, str], str] = {("ko", "KRW"): "원"}


#: The bounds of an amount given as an option (``--min-saving``, ``--fail-over``): far
#: beyond any team's money either way, and few enough digits to compare exactly at once
#: (an unbounded 1e999999999999 took minutes to compare, 1e-999999999 never finished).
MAX_AMOUNT = Decimal(10) ** 15
AMOUNT_DECIMALS = 6


def minor_unit(currency: str) -> int:
    """Digits after the decimal point for this currency: USD 2, KRW and JPY 0."""
    return MINOR_UNITS.get(currency, 2)


def amount_problem(value: Decimal, limit: Decimal = MAX_AMOUNT) -> str | None:
    """Why ``value`` cannot be an option's amount (not finite, beyond ±``limit``, more
    than ``AMOUNT_DECIMALS`` decimals), or ``None``.

    Only context-free operations: ``abs()`` or ``normalize()`` would round, overflow or
    underflow an exponent like 1e999999999999 before it could be checked.
    """
    if not value.is_finite() or value.copy_abs() > limit:
        return "out of range"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if any(digits) and exponent + trailing_zeros < -AMOUNT_DECIMALS:
        return f"given with more than {AMOUNT_DECIMALS} decimal places"
    return None
