"""Figures are written exactly as Babel writes them, for every language and currency
(with CLDR's currency spacing, which Babel leaves out: ``RUB 43,200.00``).

``sopkit.render.numbers`` writes most figures without calling Babel (a shape
learned from Babel once per language, currency and digits). These properties
hold it to Babel itself, called here as sopkit called it before: whatever the
installed Babel writes, sopkit writes.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel import Locale
from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sopkit.currency import MINOR_UNITS
from sopkit.render import numbers
from sopkit.render.i18n import LANGUAGES
from sopkit.render.numbers import (
    hours_text,
    minor_unit,
    money_text,
    number_text,
    percent_text,
    rate_text,
    share_text,
)

CURRENCIES = sorted(MINOR_UNITS)


def _babel_money(amount: Decimal, currency: str, language: str, digits: int) -> str:
    locale = Locale.parse(language)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    text: str = pattern.apply(amount, locale, currency=currency, currency_digits=False)
    return _currency_spacing(text)


def _currency_spacing(text: str) -> str:
    """CLDR's currency spacing, which Babel leaves out: a no-break space between a
    currency written in letters and the digits beside it."""
    out = ""
    for before, after in zip(text, text[1:] + " ", strict=True):
        out += before
        if (before.isalpha() and after.isdigit()) or (before.isdigit() and after.isalpha()):
            out += "\u00a0"
    return out


def _babel_number(value: Decimal, pattern: str, language: str) -> str:
    return format_decimal(value, format=pattern, locale=Locale.parse(language))


def _half_up(value: Decimal, digits: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


#: Amounts of every size sopkit shows, with more decimals than shown (to be rounded first).
AMOUNTS = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, places=4
) | st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=3)
DIGITS = st.integers(min_value=0, max_value=4)


@settings(max_examples=400, deadline=None)
@given(amount=AMOUNTS, currency=st.sampled_from(CURRENCIES), language=st.sampled_from(LANGUAGES))
@example(Decimal("-0.001"), "USD", "en")
@example(Decimal("1234567.005"), "RUB", "ru")
@example(Decimal("999999999999999.9999"), "KRW", "ko")
def test_money_is_babels(amount: Decimal, currency: str, language: str) -> None:
    digits = minor_unit(currency)
    expected = _babel_money(_half_up(amount, digits), currency, language, digits)
    assert money_text(amount, currency, language) == expected


@settings(max_examples=300, deadline=None)
@given(amount=AMOUNTS, currency=st.sampled_from(CURRENCIES), language=st.sampled_from(LANGUAGES))
def test_rates_are_babels(amount: Decimal, currency: str, language: str) -> None:
    rate = _half_up(amount, minor_unit(currency))
    digits = 0 if rate == rate.to_integral_value() else minor_unit(currency)
    assert rate_text(amount, currency, language) == _babel_money(
        rate.quantize(Decimal(1).scaleb(-digits)), currency, language, digits
    )


@pytest.mark.parametrize(
    ("currency", "language", "shown"),
    [
        ("RUB", "en", "RUB\u00a043,200.50"),  # Babel writes RUB43,200.50
        ("CHF", "en", "-CHF\u00a012.50"),
        ("RUB", "ko", "RUB\u00a043,200.50"),
        ("USD", "en", "$43,200.50"),  # a sign stays attached
        ("KRW", "en", "₩43,201"),
        ("USD", "ko", "US$43,200.50"),
        ("RUB", "ru", "43\u00a0200,50\u00a0₽"),
    ],
)
def test_a_currency_in_letters_stands_apart_from_the_digits(
    currency: str, language: str, shown: str
) -> None:
    amount = Decimal("-12.50") if shown.startswith("-") else Decimal("43200.50")
    assert money_text(amount, currency, language) == shown


@settings(max_examples=400, deadline=None)
@given(value=AMOUNTS, digits=DIGITS, language=st.sampled_from(LANGUAGES))
@example(Decimal("0.004"), 2, "ru")
@example(Decimal("-0.004"), 2, "en")
@example(Decimal("1000000"), 0, "ko")
def test_numbers_and_hours_are_babels(value: Decimal, digits: int, language: str) -> None:
    rounded = _half_up(value, digits)
    fixed = "#,##0" + ("." + "0" * digits if digits else "")
    trimmed = "#,##0" + ("." + "#" * digits if digits else "")
    assert number_text(value, digits, language) == _babel_number(rounded, fixed, language)
    assert hours_text(value, language, digits) == _babel_number(rounded, trimmed, language)
    assert (
        percent_text(value, language)
        == _babel_number(_half_up(value, 2), "#,##0.00", language) + "%"
    )
    assert (
        share_text(value, language)
        == _babel_number(_half_up(value * 100, 2), "#,##0.##", language) + "%"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("currency", ["USD", "KRW", "RUB", "EUR", "BHD"])
def test_the_common_figures_skip_babel(language: str, currency: str) -> None:
    """The shape is learned for the library's languages and currencies (else Babel writes all)."""
    digits = minor_unit(currency)
    shape = numbers._shape(language, currency, digits, digits)
    if shape is None:
        pytest.skip(f"this Babel writes {currency} in {language} in a way the shape does not cover")
    assert shape.write(Decimal("1234.5").quantize(Decimal(1).scaleb(-digits))) == _babel_money(
        Decimal("1234.5").quantize(Decimal(1).scaleb(-digits)), currency, language, digits
    )


def test_figures_babel_would_round_are_written_by_babel() -> None:
    shape = numbers._shape("en", "USD", 2, 2)
    assert shape is not None
    assert shape.write(Decimal("1.005")) is None  # three decimals: Babel rounds half-even
    assert shape.write(Decimal("1e30")) is None
    assert shape.write(Decimal("Infinity")) is None
    assert numbers._currency(Decimal("1.005"), "USD", "en", 2) == "$1.00"


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        ("0.0833333", "5"),  # 5m
        ("0.3125", "19"),  # 18.75 minutes: whole from 10 up, half-up
        ("0.5", "30"),
        ("0.0416667", "2.5"),  # tenths below 10
        ("0.99999", "60"),
    ],
)
def test_times_under_an_hour_are_shown_in_minutes(hours: str, shown: str) -> None:
    assert numbers.hours_text(numbers.minutes(Decimal(hours)), "en") == shown
