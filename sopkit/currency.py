"""ISO 4217 currencies: how many minor-unit digits each shows, and its symbol.

The list covers the currencies marketing teams commonly budget in; an unknown
code is refused rather than guessed, because rounding depends on it.
"""

from __future__ import annotations

__all__ = ["MINOR_UNITS", "SYMBOLS"]

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
