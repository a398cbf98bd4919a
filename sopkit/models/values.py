"""Values with units: durations and three-point estimates, frequencies, money, counts.

Durations keep their units rather than hours because ``1d`` means
``hours_per_day`` hours, which only the settings know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..currency import MINOR_UNITS
from ..source import NumberLiteral
from .common import MAX_EXPONENT, _fail, _shown
from .every import every_hint

# --- the clock (hours in a day and a week) and durations -------------------------


@dataclass(frozen=True, slots=True)
class Clock:
    """What a day and a week mean in hours, from ``roles.yaml``."""

    hours_per_day: Decimal = Decimal(8)
    days_per_week: Decimal = Decimal(5)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _remember_hash(self, (self.hours_per_day, self.days_per_week))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (Clock, (self.hours_per_day, self.days_per_week))


def _remember_hash(value: Any, fields: tuple[Any, ...]) -> None:
    """Store a frozen value's hash (that of its compared fields, as a frozen dataclass's
    own ``__hash__`` would give): durations, estimates and clocks key the caches of
    every step's hours, and hashing their Decimals each time cost more than the lookup.
    ``__reduce__`` rebuilds the value, so an unpickled copy hashes afresh."""
    object.__setattr__(value, "_hash", hash(fields))


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)")
#: "1-3h": a range written with a dash and one unit, as people write it in prose.
_DASHED_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*([mhdw])")
_DURATION_HINT = "write a number and a unit: 45m, 1.5h, 2h30m, 1d or 1w"
#: Units as people write them in English, Korean and Russian, and sopkit's letter for each.
_UNIT_WORDS = {
    "m": ("min", "mins", "minute", "minutes", "분", "мин", "минут", "минуты", "минута"),
    "h": ("hr", "hrs", "hour", "hours", "시간", "ч", "час", "часа", "часов"),
    "d": ("day", "days", "일", "д", "дн", "день", "дня", "дней"),
    "w": ("wk", "wks", "week", "weeks", "주", "нед", "неделя", "недели", "недель"),
}
_UNIT_OF = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
#: "3시간", "45 min", "2 дня", "1h30분": numbers, each with a unit word or letter.
_WORDED = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([^\d\s.,]+)\.?")


def _unit_of(word: str) -> str | None:
    """sopkit's letter for a unit word; a Korean one may carry a particle (시간이, 일간)."""
    word = word.lower()
    if word in ("m", "h", "d", "w"):
        return word
    if word in _UNIT_OF:
        return _UNIT_OF[word]
    known = [w for w in _UNIT_OF if "\uac00" <= w[0] <= "\ud7a3" and word.startswith(w)]
    return _UNIT_OF[max(known, key=len)] if known else None


def _worded_hint(text: str) -> str | None:
    """``write 1h30m`` for a duration written with unit words sopkit knows by a letter."""
    parts, position, text = [], 0, text.strip()
    for found in _WORDED.finditer(text):
        unit = _unit_of(found[2]) if found.start() == position else None
        if unit is None:
            return None
        parts.append(f"{found[1].replace(',', '.')}{unit}")
        position = found.end()
    if not parts or position != len(text):
        return None
    return f"write {''.join(parts)}: sopkit's units are m, h, d and w"


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time as written, unit by unit, so ``90m`` converts with one division."""

    minutes: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    days: Decimal = Decimal(0)
    weeks: Decimal = Decimal(0)
    text: str = "0"
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _remember_hash(self, (self.minutes, self.hours, self.days, self.weeks, self.text))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (Duration, (self.minutes, self.hours, self.days, self.weeks, self.text))

    @classmethod
    def parse(cls, value: Any) -> Duration:
        if isinstance(value, Duration):
            return value
        if isinstance(value, bool) or value is None:
            raise _fail("a duration is required", _DURATION_HINT)
        if isinstance(value, int | Decimal):
            if value == 0:
                return cls()
            raise _fail(f"'{_shown(value)}' has no unit", _DURATION_HINT)
        if not isinstance(value, str):
            raise _fail("a duration is text like '2h'", _DURATION_HINT)
        text = value.strip()
        if text == "0":
            return cls()
        shown = _shown(text)
        parts: dict[str, Decimal] = {}
        position, seen = 0, set()
        for match in _PART.finditer(text):
            between = text[position : match.start()].strip()
            if between:
                break
            number, unit = Decimal(match.group(1)), match.group(2)
            if unit not in ("m", "h", "d", "w"):
                hint = _worded_hint(text) or "use m, h, d or w"
                raise _fail(f"unknown unit '{_shown(unit)}' in '{shown}'", hint)
            if unit in seen:
                raise _fail(f"unit '{unit}' appears twice in '{shown}'", _DURATION_HINT)
            if number.adjusted() > MAX_EXPONENT:
                raise _fail(f"'{shown}' is far too long to be a duration", "check the number")
            seen.add(unit)
            parts[unit] = number
            position = match.end()
        if not seen or text[position:].strip():
            hint = _DURATION_HINT
            if text.startswith("-"):
                hint = "durations cannot be negative; " + _DURATION_HINT
            elif seen and text[position:].lstrip().startswith(("-", "–", "to ")):
                hint = "a range takes two dots: 2h..3h, or {min: 2h, likely: 2.5h, max: 3h}"
            elif range_ := _DASHED_RANGE.fullmatch(text):
                low, high, unit = sorted(range_.groups()[:2], key=Decimal) + [range_.group(3)]
                hint = f"a range takes two dots and a unit at each end: {low}{unit}..{high}{unit}"
            elif re.fullmatch(r"\d+,\d+\s*[mhdw]", text):
                hint = f"write {text.replace(',', '.')}: a decimal point, not a comma"
            elif re.fullmatch(r"(\d+h)\s*(\d+)", text):
                hint = f"did you mean {text.replace(' ', '')}m? Every number needs its unit"
            elif worded := _worded_hint(text):
                hint = worded
            raise _fail(f"'{shown}' is not a duration", hint)
        zero = Decimal(0)
        return cls(
            minutes=parts.get("m", zero),
            hours=parts.get("h", zero),
            days=parts.get("d", zero),
            weeks=parts.get("w", zero),
            text=text,
        )

    @classmethod
    def of(
        cls,
        *,
        weeks: Decimal = Decimal(0),
        days: Decimal = Decimal(0),
        hours: Decimal = Decimal(0),
        minutes: Decimal = Decimal(0),
    ) -> Duration:
        """A duration from its parts, spelled as a file writes one (``4w1d``, ``30m``, ``0``):
        a value sopkit works out (a scaled time, a carried wait) then reads as if written,
        unit by unit, so it means the same on any calendar."""
        parts = {"w": weeks, "d": days, "h": hours, "m": minutes}
        text = "".join(f"{format(v.normalize(), 'f')}{unit}" for unit, v in parts.items() if v)
        return cls(minutes=minutes, hours=hours, days=days, weeks=weeks, text=text or "0")

    def in_hours(self, clock: Clock) -> Decimal:
        day = clock.hours_per_day
        whole = self.hours + self.days * day + self.weeks * clock.days_per_week * day
        return whole + self.minutes / 60 if self.minutes else whole

    @property
    def is_zero(self) -> bool:
        return not (self.minutes or self.hours or self.days or self.weeks)

    def __str__(self) -> str:
        return self.text


_DURATION_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*(0|(\d+(\.\d+)?\s*[mhdw]\s*)+)\s*$",
    "description": "45m, 1.5h, 2h30m, 1d (hours_per_day hours) or 1w (days_per_week days)",
}


@dataclass(frozen=True, slots=True)
class Estimate:
    """A duration, or a three-point estimate whose expected value is the PERT mean."""

    low: Duration
    likely: Duration | None
    high: Duration
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _remember_hash(self, (self.low, self.likely, self.high))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (Estimate, (self.low, self.likely, self.high))

    @classmethod
    def parse(cls, value: Any) -> Estimate:
        if isinstance(value, Estimate):
            return value
        if isinstance(value, dict):
            return cls._from_mapping(value)
        if isinstance(value, str) and ".." in value:
            low_text, _, high_text = value.partition("..")
            if not low_text.strip() or not high_text.strip():
                raise _fail(f"range '{_shown(value)}' needs a minimum and a maximum", "e.g. 1h..4h")
            return cls(Duration.parse(low_text), None, Duration.parse(high_text))
        single = Duration.parse(value)
        return cls(single, single, single)

    @classmethod
    def _from_mapping(cls, value: dict[str, Any]) -> Estimate:
        unknown = sorted(set(value) - {"min", "likely", "max"})
        if unknown:
            raise _fail(f"unknown field '{unknown[0]}' in an estimate", "use min, likely and max")
        if "min" not in value or "max" not in value:
            raise _fail("an estimate needs 'min' and 'max'", "e.g. {min: 30m, likely: 1h, max: 2h}")
        likely = value.get("likely")
        # Each duration text is parsed once per portfolio (``_parse_duration``).
        return cls(
            _parse_duration(value["min"]),
            None if likely is None else _parse_duration(likely),
            _parse_duration(value["max"]),
        )

    @property
    def is_range(self) -> bool:
        return self.low != self.high or (self.likely is not None and self.likely != self.low)

    def points(self, clock: Clock) -> tuple[Decimal, Decimal, Decimal]:
        """Min, likely and max in hours; a bare range's likely is its midpoint."""
        low, high = self.low.in_hours(clock), self.high.in_hours(clock)
        likely = (low + high) / 2 if self.likely is None else self.likely.in_hours(clock)
        return low, likely, high

    def expected_hours(self, clock: Clock) -> Decimal:
        """PERT mean ``(min + 4·likely + max) / 6``; exactly the value for a single duration."""
        if not self.is_range:
            return self.low.in_hours(clock)
        low, likely, high = self.points(clock)
        return (low + 4 * likely + high) / 6

    @property
    def is_zero(self) -> bool:
        return self.high.is_zero and self.low.is_zero

    def __str__(self) -> str:
        if not self.is_range:
            return str(self.low)
        if self.likely is None:
            return f"{self.low}..{self.high}"
        return f"{self.low}/{self.likely}/{self.high}"


def _parse_estimate(value: Any) -> Estimate:
    if type(value) is str:
        return _estimate_text(value)
    return Estimate.parse(value)


# A portfolio repeats the same few estimates ("1h", "30m..1h") thousands of times:
# parse each text once. Estimates are frozen, so sharing one is safe; errors are
# raised afresh every time (lru_cache keeps only results).
@lru_cache(maxsize=4096)
def _estimate_text(value: str) -> Estimate:
    return Estimate.parse(value)


EstimateField = Annotated[
    Estimate,
    PlainValidator(_parse_estimate),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                _DURATION_SCHEMA,
                {
                    "type": "string",
                    "pattern": r"^.+\.\..+$",
                    "description": "a range min..max, e.g. 1h..4h",
                },
                {
                    "type": "object",
                    "properties": {
                        "min": _DURATION_SCHEMA,
                        "likely": _DURATION_SCHEMA,
                        "max": _DURATION_SCHEMA,
                    },
                    "required": ["min", "max"],
                    "additionalProperties": False,
                },
                {"const": 0},
            ]
        }
    ),
]


def _parse_duration(value: Any) -> Duration:
    if type(value) is str:
        return _duration_text(value)
    return Duration.parse(value)


@lru_cache(maxsize=4096)
def _duration_text(value: str) -> Duration:
    return Duration.parse(value)


DurationField = Annotated[
    Duration,
    PlainValidator(_parse_duration),
    PlainSerializer(str),
    WithJsonSchema(_DURATION_SCHEMA),
]


# --- frequency and money per period -----------------------------------------


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


#: Once a period, as people say it: "monthly", "ежемесячно" and "매월" are 1/month.
_ONCE_A = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
    "annually": "year",
    "annual": "year",
    "ежедневно": "day",
    "еженедельно": "week",
    "ежемесячно": "month",
    "ежеквартально": "quarter",
    "ежегодно": "year",
    "매일": "day",
    "매주": "week",
    "매월": "month",
    "매달": "month",
    "매분기": "quarter",
    "매년": "year",
}

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*$")

#: A period as people write it in English, Russian and Korean, and sopkit's word for it.
_PERIOD_OF = {
    word: period
    for period, words in {
        "day": ("day", "days", "d", "день", "дня", "дней", "дн", "сутки", "сут", "일"),
        "week": (
            *("week", "weeks", "wk", "w", "неделю", "неделя", "недели", "недель", "нед"),
            *("주", "주일"),
        ),
        "month": (
            *("month", "months", "mo", "mon", "mth", "месяц", "месяца", "месяцев", "мес"),
            *("월", "달", "개월"),
        ),
        "quarter": ("quarter", "quarters", "q", "квартал", "квартала", "кварталов", "кв", "분기"),
        "year": ("year", "years", "yr", "y", "год", "года", "лет", "г", "연", "년"),
    }.items()
    for word in words
}
#: "a month", "per month", "в месяц", "за квартал", "раз в год": a period after a word
#: that says "each".
_A_PERIOD = re.compile(
    r"(?:(?:(?:once|1 time|one time|раз|один раз|1 раз)\s+)?"
    r"(?:a|an|per|each|every|в|за|каждый|каждую|каждые)\s+)?(\w+)\.?"
)


def period_word(text: str) -> str | None:
    """The period (``day``, ``week``, ``month``, ``quarter``, ``year``) a word names in
    English, Russian or Korean: "месяц", "мес.", "в месяц", "ежемесячно", "월", "매월",
    "monthly", "per month"; ``None`` when it names none.

    The hints of ``frequency`` and of an expense's ``per`` both use it: ``per: мес`` is
    told 'month' as ``frequency: 1/мес`` is told 1/month.
    """
    text = " ".join(text.strip().lower().split())
    if (once := _ONCE_A.get(text)) is not None:
        return once
    found = _A_PERIOD.fullmatch(text)
    return None if found is None else _PERIOD_OF.get(found[1])


#: "4 times a month", "4 раза в месяц", "4/мес", "월 4회".
_WORDED_RATES = (
    re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:times?|x|раза?|раз)?\s*(?:a|an|per|in|в|/)\s*(\w+)\.?"),
    re.compile(r"(\w+)\s*(\d+(?:[.,]\d+)?)\s*(?:회|번)"),
)


def _worded_rate(text: str) -> str | None:
    """``4/month`` for "4 раза в месяц", "4/мес" or "월 4회": a rate in words sopkit
    can read once written its way; ``None`` when the text is not one."""
    text = text.strip().lower()
    if (once := _ONCE_A.get(text)) is not None:
        return f"1/{once}"
    for index, pattern in enumerate(_WORDED_RATES):
        found = pattern.fullmatch(text)
        if found is None:
            continue
        count, word = (found[1], found[2]) if index == 0 else (found[2], found[1])
        period = _PERIOD_OF.get(word)
        if period is not None:
            return f"{count.replace(',', '.')}/{period}"
    return None


def _per_period(value: Any, example: str, *, money: bool = False) -> tuple[Decimal, Period]:
    shown = _shown(value)
    if not isinstance(value, str):
        raise _fail(f"'{shown}' is not N/period", _period_hint(value, example, money))
    match = _RATE.match(value)
    if not match:
        raise _fail(f"'{shown}' is not N/period", _period_hint(value, example, money))
    try:
        period = Period(match.group(2))
    except ValueError:
        hint = _period_hint(value, example, money)
        raise _fail(f"unknown period '{_shown(match.group(2))}' in '{shown}'", hint) from None
    count = Decimal(match.group(1))
    if count.adjusted() > MAX_EXPONENT:
        raise _fail(f"'{shown}' is far too large", f"check the number, e.g. {example}")
    return count, period


def _period_hint(value: Any, example: str, money: bool) -> str:
    """How to write a value that is not N/period: ``weekly`` is 1/week, ``biweekly``
    26/year, "4 раза в месяц" 4/month; else what N/period is."""
    if isinstance(value, str) and (once := _ONCE_A.get(value.strip().lower())) is not None:
        return (
            f"write the amount a {once}, e.g. 50/{once}"
            if money
            else f"write 1/{once} for {value.strip()}"
        )
    if isinstance(value, str) and not money:
        if (worded := _worded_rate(value)) is not None:
            return f"write {worded} for {value.strip()}"
        if (period := period_word(value)) is not None:  # "месяц", "раз в месяц", "월"
            return f"write 1/{period} for {value.strip()} (N/{period} for N times a {period})"
        if (every := every_hint(value)) is not None:
            return every
    return f"write N/period with period day, week, month, quarter or year, e.g. {example}"


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a process runs, e.g. ``4/month``."""

    count: Decimal
    period: Period

    @classmethod
    def parse(cls, value: Any) -> Frequency:
        if isinstance(value, Frequency):
            return value
        count, period = _per_period(value, "4/month")
        if count <= 0:
            raise _fail(f"'{_shown(value)}' must be above zero", "e.g. 1/quarter")
        return cls(count, period)

    def per_month(self, working_days_per_year: Decimal) -> Decimal:
        """Runs per month: days count working days; a year has 52 weeks.

        Division comes last so ``1/quarter`` is as exact as ``count / 3`` can be.
        """
        per_year = {
            Period.DAY: working_days_per_year,
            Period.WEEK: Decimal(52),
            Period.MONTH: Decimal(12),
            Period.QUARTER: Decimal(4),
            Period.YEAR: Decimal(1),
        }[self.period]
        return self.count * per_year / 12

    def __str__(self) -> str:
        return f"{_plain(self.count)}/{self.period.value}"


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _parse_frequency(value: Any) -> Frequency:
    return Frequency.parse(value)


_PER_PERIOD_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*\d+(\.\d+)?\s*/\s*(day|week|month|quarter|year)\s*$",
}

FrequencyField = Annotated[
    Frequency,
    PlainValidator(_parse_frequency),
    PlainSerializer(str),
    WithJsonSchema(
        {**_PER_PERIOD_SCHEMA, "description": "N/day, N/week, N/month, N/quarter or N/year"}
    ),
]

_PERIODS_PER_YEAR = {
    Period.DAY: None,
    Period.WEEK: 52,
    Period.MONTH: 12,
    Period.QUARTER: 4,
    Period.YEAR: 1,
}


def _parse_annual_money(value: Any) -> Decimal:
    """A yearly cost: a bare number is per year; ``50/month`` is converted."""
    if isinstance(value, NumberLiteral):
        raise _number_literal(value)
    if isinstance(value, bool):
        raise _fail("a cost is a number or N/period", "e.g. 600/year")
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
        _not_tiny(amount)
    else:
        try:
            amount, period = _per_period(value, "600/year", money=True)
        except PydanticCustomError as exc:
            hint = plain_amount_hint(value, PLAIN_COST)
            if hint is None:
                raise
            raise _fail(f"'{_shown(value)}' is not an amount", hint) from exc
        per_year = _PERIODS_PER_YEAR[period]
        if per_year is None:
            raise _fail("costs per day are ambiguous", "give the cost per month or per year")
        amount *= per_year
    if not amount.is_finite() or amount < 0:
        raise _fail(f"cost '{_shown(value)}' must be zero or more", "e.g. 600/year")
    if amount > MAX_ANNUAL_MONEY:
        raise _fail(
            f"cost '{_shown(value)}' is more than {MAX_ANNUAL_MONEY:,} a year",
            "check the number; tool costs are per year unless written as N/month",
        )
    return amount


#: A tool costing more than this a year (in any currency) is a typo.
MAX_ANNUAL_MONEY = 10**15


AnnualMoney = Annotated[
    Decimal,
    PlainValidator(_parse_annual_money),
    PlainSerializer(lambda v: float(v), return_type=float),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0}, _PER_PERIOD_SCHEMA],
            "description": "per year, or N/month, N/quarter, N/year",
        }
    ),
]


def _number_literal(value: NumberLiteral) -> PydanticCustomError:
    """The error for ``045``, ``1:30`` or ``0x1F`` where a number is expected."""
    reading = format(value.reading, "f") if isinstance(value.reading, Decimal) else value.reading
    plain = str(value).lstrip("+").lstrip("0") or "0"
    hint = (
        "write a plain decimal number such as 1.5"
        if value.kind == "base 60"
        else f"write it without the leading zero ({plain}) if you mean that"
        if value.kind == "octal"
        else "write the number in decimal digits"
    )
    article = "an" if value.kind[0] in "aeiou" else "a"
    return _fail(
        f"'{_shown(value)}' is read by YAML as {article} {value.kind} number ({reading})", hint
    )


def _finite(value: Any) -> Any:
    if isinstance(value, NumberLiteral):
        raise _number_literal(value)
    if isinstance(value, bool):
        raise _fail("a number is expected here, not true/false", "write a number, e.g. 1")
    if isinstance(value, Decimal) and not value.is_finite():
        raise _fail(f"'{value}' is not a finite number")
    return value


#: A number nearer zero than 10^MIN_EXPONENT (but not zero) is refused: a typo, and
#: exact arithmetic on ``1e-999999999`` (a fraction with a billion-digit denominator)
#: would never finish.
MIN_EXPONENT = -12


def _not_tiny(value: Decimal) -> Decimal:
    if value and value.adjusted() < MIN_EXPONENT:
        raise _fail(f"'{_shown(value)}' is too close to zero", "check the number; 0 means none")
    return value


#: A number as the files write it (a string such as "1e-5" is read as one too).
Number = Annotated[Decimal, BeforeValidator(_finite), AfterValidator(_not_tiny)]


_SIGNS = str.maketrans("", "", "$€£¥₩₽원")
#: A currency code written beside an amount (65 USD, KRW 50000, 1500 usd).
_CODE = re.compile(r"(?<![A-Za-z])[A-Za-z]{3}(?![A-Za-z])")
_THOUSANDS = re.compile(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}(?!\d))")
#: Periods as people shorten them, in a cost's hint: 50/mo is 50/month.
_SHORT_PERIODS = {
    **{"mo": "month", "mth": "month", "yr": "year", "wk": "week", "q": "quarter"},
    **{"월": "month", "년": "year", "мес": "month", "год": "year"},
}
_PER_HOUR = re.compile(r"\s*(?:/\s*(?:h|hr|hour)|per\s+hour|an\s+hour)\s*$", re.IGNORECASE)
_DECIMAL = r"\d+(?:\.\d+)?"
_CURRENCIES = frozenset(MINOR_UNITS)
#: An amount as sopkit reads it: a number, or for a yearly cost also N/period.
PLAIN_NUMBER = re.compile(_DECIMAL)
PLAIN_COST = re.compile(rf"{_DECIMAL}(?:/(?:day|week|month|quarter|year))?")


def plain_amount_hint(
    value: Any, plain: re.Pattern[str], *, per_hour: bool = False, money: bool = True
) -> str | None:
    """How to write an amount written as people write money (``$1,500``, ``65 USD``,
    ``110/h``, ``$800/year``), or ``None`` when taking those marks out leaves no amount
    of the ``plain`` shape. Every money field answers the same way; another number
    (``money=False``) only about thousands separators."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    bare, reasons = text, []
    if money:
        codes = _CODE.sub(lambda m: "" if m[0].upper() in _CURRENCIES else m[0], text)
        if (bare := codes.translate(_SIGNS).strip()) != text:
            reasons.append("the currency is set in roles.yaml")
    bare = re.sub(r"\s*/\s*", "/", bare)
    period = re.fullmatch(r"(.*/)(\w+)", bare)
    if period and period[2] in _SHORT_PERIODS:
        bare = period[1] + _SHORT_PERIODS[period[2]]
        reasons.append("periods are written in full")
    if per_hour and (cut := _PER_HOUR.sub("", bare)) != bare:
        bare = cut
        reasons.append("a rate is per hour")
    if (joined := _THOUSANDS.sub("", bare)) != bare:
        bare = joined
        reasons.append("no thousands separator")
    if not reasons or not plain.fullmatch(bare):
        return None
    alone = ", the number alone" if reasons[0].startswith("the currency") else ""
    return f"write {bare}{alone}: {'; '.join(reasons)}"


def _amount_hint(value: Any) -> str:
    """How to write the amount someone meant: 1,500 or $1500 read as text."""
    return plain_amount_hint(value, PLAIN_NUMBER) or "write a number, e.g. 50"


def _parse_money(value: Any) -> Decimal:
    """An amount of money in the currency: a number, zero or more."""
    if isinstance(value, NumberLiteral):
        raise _number_literal(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(f"'{_shown(value)}' is not an amount", _amount_hint(value))
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise _fail(f"amount '{_shown(value)}' must be zero or more", "e.g. 50")
    _not_tiny(amount)
    if amount > MAX_ANNUAL_MONEY:
        raise _fail(f"amount '{_shown(value)}' is more than {MAX_ANNUAL_MONEY:,}", "check it")
    return amount


Money = Annotated[
    Decimal,
    PlainValidator(_parse_money),
    PlainSerializer(lambda v: float(v), return_type=float),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_ANNUAL_MONEY}),
]


# --- counts (a number of items, possibly a three-point estimate) ------------------

#: More items per execution than this is a unit mistake, not a sub-procedure.
MAX_COUNT = 100_000


@dataclass(frozen=True, slots=True)
class Count:
    """How many times a called process runs per execution of its calling step.

    A number, or a three-point estimate (``30..50``, ``{min, likely, max}``) whose
    expected value is the PERT mean, exactly as for durations.
    """

    low: Decimal
    likely: Decimal | None
    high: Decimal

    @classmethod
    def parse(cls, value: Any) -> Count:
        if isinstance(value, Count):
            return value
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"min", "likely", "max"})
            if unknown:
                raise _fail(f"unknown field '{unknown[0]}' in a count", "use min, likely and max")
            if "min" not in value or "max" not in value:
                raise _fail("a count range needs 'min' and 'max'", "e.g. {min: 30, max: 50}")
            likely = value.get("likely")
            return cls._checked(
                _count_number(value["min"]),
                None if likely is None else _count_number(likely),
                _count_number(value["max"]),
            )
        if isinstance(value, str) and ".." in value:
            low_text, _, high_text = value.partition("..")
            return cls._checked(_count_number(low_text), None, _count_number(high_text))
        single = _count_number(value)
        return cls._checked(single, single, single)

    @classmethod
    def _checked(cls, low: Decimal, likely: Decimal | None, high: Decimal) -> Count:
        middle = (low + high) / 2 if likely is None else likely
        if not low <= middle <= high:
            raise _fail("count range is out of order", "write min ≤ likely ≤ max, e.g. 30..50")
        return cls(low, likely, high)

    @property
    def is_range(self) -> bool:
        return self.low != self.high or (self.likely is not None and self.likely != self.low)

    def points(self) -> tuple[Decimal, Decimal, Decimal]:
        likely = (self.low + self.high) / 2 if self.likely is None else self.likely
        return self.low, likely, self.high

    def __str__(self) -> str:
        if not self.is_range:
            return _plain(self.low)
        if self.likely is None:
            return f"{_plain(self.low)}..{_plain(self.high)}"
        return f"{_plain(self.low)}/{_plain(self.likely)}/{_plain(self.high)}"


def _count_number(value: Any) -> Decimal:
    if isinstance(value, NumberLiteral):
        raise _number_literal(value)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            raise _fail(
                f"'{_shown(value)}' is not a count", "write a number or a range, e.g. 30..50"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(f"'{_shown(value)}' is not a count", "write a number or a range, e.g. 30..50")
    number = Decimal(value)
    if not number.is_finite() or number <= 0:
        raise _fail(f"count '{_shown(value)}' must be above zero", "e.g. 40, or 30..50")
    if number > MAX_COUNT:
        raise _fail(f"count '{_shown(value)}' is more than {MAX_COUNT:,}", "check the number")
    return number


_COUNT_NUMBER = {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_COUNT}
CountField = Annotated[
    Count,
    PlainValidator(Count.parse),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                _COUNT_NUMBER,
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*\.\.\s*\d+(\.\d+)?\s*$"},
                {
                    "type": "object",
                    "properties": {
                        "min": _COUNT_NUMBER,
                        "likely": _COUNT_NUMBER,
                        "max": _COUNT_NUMBER,
                    },
                    "required": ["min", "max"],
                    "additionalProperties": False,
                },
            ],
            "description": "times per execution: a number, or a range such as 30..50",
        }
    ),
]
