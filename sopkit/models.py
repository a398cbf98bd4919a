"""The process format as pydantic models.

Models check what one object can check on its own (units, ranges, slugs,
unknown fields). Rules that need several objects (step references, cycles,
rates from ``roles.yaml``) live in ``validate.py``. Durations keep their units
rather than hours because ``1d`` means ``hours_per_day`` hours, which only the
settings know.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .currency import MINOR_UNITS
from .source import NumberLiteral, SourceMap

__all__ = [
    "Answer",
    "Automation",
    "Clock",
    "Condition",
    "Count",
    "DayOffset",
    "Due",
    "Duration",
    "Estimate",
    "Expense",
    "ExpensePeriod",
    "Frequency",
    "Language",
    "Period",
    "Process",
    "Review",
    "Rework",
    "Role",
    "RoleKind",
    "Settings",
    "Step",
    "Weekday",
    "WorkingCalendar",
    "is_slug",
    "parse_when",
]

SLUG = r"^[a-z0-9][a-z0-9-]*$"
MAX_ID_LENGTH = 100
_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_slug(value: str) -> bool:
    """Whether ``value`` is a valid id: lowercase ASCII letters, digits and '-', whole."""
    return len(value) <= MAX_ID_LENGTH and _SLUG_RE.fullmatch(value) is not None


def _fail(message: str, hint: str | None = None) -> PydanticCustomError:
    """A validation error whose message and hint reach the user unchanged."""
    return PydanticCustomError("sopkit", message, {"hint": hint} if hint else {})


def _shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: short, so a 5 MB typo does not flood the terminal."""
    text = value if isinstance(value, str) else repr(value) if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Numbers in durations and frequencies above 10^MAX_EXPONENT are refused outright
#: (smaller absurd values reach ``validate.py``, which names the limit they break).
MAX_EXPONENT = 1000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_slug(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        raise _fail(
            f"'{_shown(value)}' is too long: ids have at most {MAX_ID_LENGTH} characters",
            "use a shorter id; it becomes a file name",
        )
    if isinstance(value, str) and not _SLUG_RE.fullmatch(value):
        shown = _shown(value) if value.isprintable() else repr(value)[1:-1]
        raise _fail(
            f"'{_shown(shown)}' is not a valid id",
            "ids are lowercase ASCII letters, digits and '-', starting with a letter or digit",
        )
    return value


Slug = Annotated[
    str,
    BeforeValidator(_check_slug),
    Field(max_length=MAX_ID_LENGTH, json_schema_extra={"pattern": SLUG}),
]


def _text(value: Any) -> Any:
    """Numbers where text is expected (``version: 1.2``) are read as their literal text.

    Control characters other than tab and line break (NUL, ESC, DEL, C1) are
    refused: they are never meant, and in a terminal or a document they can hide
    or rewrite what is shown. Right-to-left marks are text and stay, but every
    bidi embedding, override or isolate is closed at the end of its line, so an
    unclosed U+202E cannot reverse what a document shows after the name.
    """
    if type(value) is str and value.isprintable():
        return value  # no control (Cc) or bidi format (Cf) character: nothing to check
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise _fail(
                f"text contains the control character U+{ord(bad.group()):04X}",
                "remove it; only tabs and line breaks are allowed in text",
            )
        if _BIDI.search(value):
            return "\n".join(_close_bidi(line) for line in value.split("\n"))
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PDF, _PDI = "\u202c", "\u2069"


def _close_bidi(line: str) -> str:
    """``line`` with the PDF/PDI characters that close what it opens (Unicode bidi rules)."""
    open_: list[str] = []
    for ch in line:
        if ch in "\u202a\u202b\u202d\u202e":
            open_.append(_PDF)
        elif ch in "\u2066\u2067\u2068":
            open_.append(_PDI)
        elif ch == _PDF and open_ and open_[-1] == _PDF:
            open_.pop()
        elif ch == _PDI and _PDI in open_:
            while open_.pop() != _PDI:
                pass
    return line + "".join(reversed(open_))


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]


def _text_list(value: Any) -> Any:
    """A single string where a list is expected is a list of one."""
    return [value] if isinstance(value, str) else value


def _or_single(schema: dict[str, Any]) -> None:
    """In the JSON Schema, a list field also takes one bare value, as the loader does."""
    item = schema.get("items")
    if item is not None:
        listed = {key: schema.pop(key) for key in list(schema) if key in ("type", "items")}
        schema["anyOf"] = [listed, item]


TextList = Annotated[list[Text], BeforeValidator(_text_list), Field(json_schema_extra=_or_single)]


# --- the clock (hours in a day and a week) and durations -------------------------


@dataclass(frozen=True, slots=True)
class Clock:
    """What a day and a week mean in hours, from ``roles.yaml``."""

    hours_per_day: Decimal = Decimal(8)
    days_per_week: Decimal = Decimal(5)


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)")
_DURATION_HINT = "write a number and a unit: 45m, 1.5h, 2h30m, 1d or 1w"


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time as written, unit by unit, so ``90m`` converts with one division."""

    minutes: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    days: Decimal = Decimal(0)
    weeks: Decimal = Decimal(0)
    text: str = "0"

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
                raise _fail(f"unknown unit '{_shown(unit)}' in '{shown}'", "use m, h, d or w")
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
            raise _fail(f"'{shown}' is not a duration", hint)
        zero = Decimal(0)
        return cls(
            minutes=parts.get("m", zero),
            hours=parts.get("h", zero),
            days=parts.get("d", zero),
            weeks=parts.get("w", zero),
            text=text,
        )

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
        return cls(
            Duration.parse(value["min"]),
            None if likely is None else Duration.parse(likely),
            Duration.parse(value["max"]),
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


_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*$")


def _per_period(value: Any, example: str) -> tuple[Decimal, Period]:
    hint = f"write N/period with period day, week, month, quarter or year, e.g. {example}"
    shown = _shown(value)
    if not isinstance(value, str):
        raise _fail(f"'{shown}' is not N/period", hint)
    match = _RATE.match(value)
    if not match:
        raise _fail(f"'{shown}' is not N/period", hint)
    try:
        period = Period(match.group(2))
    except ValueError:
        raise _fail(f"unknown period '{_shown(match.group(2))}' in '{shown}'", hint) from None
    count = Decimal(match.group(1))
    if count.adjusted() > MAX_EXPONENT:
        raise _fail(f"'{shown}' is far too large", f"check the number, e.g. {example}")
    return count, period


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
    else:
        amount, period = _per_period(value, "600/year")
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


Number = Annotated[Decimal, BeforeValidator(_finite)]


def _parse_money(value: Any) -> Decimal:
    """An amount of money in the currency: a number, zero or more."""
    if isinstance(value, NumberLiteral):
        raise _number_literal(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(f"'{_shown(value)}' is not an amount", "write a number, e.g. 50")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise _fail(f"amount '{_shown(value)}' must be zero or more", "e.g. 50")
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


# --- the objects --------------------------------------------------------------


class Language(StrEnum):
    EN = "en"
    KO = "ko"
    RU = "ru"


#: Highest hourly rate: room for currencies with small units (VND, IDR), not for typos.
MAX_RATE = 1_000_000_000
#: More people in one role than this is a typo.
MAX_HEADCOUNT = 100_000
#: Hours in a leap year: nobody has more for any work.
MAX_AVAILABLE_HOURS = 8_784


class RoleKind(StrEnum):
    """Who a role is: the team's own staff, paid or unpaid outside parties, or a system."""

    STAFF = "staff"
    EXTERNAL = "external"
    SYSTEM = "system"


class Role(_Model):
    """A job title (or an outside party, or a system) and what an hour of it costs."""

    kind: RoleKind = Field(
        default=RoleKind.STAFF,
        description="staff (default): the team's people; external: outside parties, their "
        "hours are not the team's; system: work already automated, no rate",
    )
    rate: Annotated[
        Number | None,
        Field(ge=0, le=MAX_RATE, description="hourly cost in the currency (staff: required)"),
    ] = None
    headcount: Annotated[
        Number | None,
        Field(gt=0, le=MAX_HEADCOUNT, description="people in this role (staff only)"),
    ] = None
    available_hours: Annotated[
        Number | None,
        Field(
            gt=0,
            le=MAX_AVAILABLE_HOURS,
            description="hours one person has for this work in a year "
            "(default: working_days_per_year × hours_per_day)",
        ),
    ] = None
    description: Text | None = None

    @field_validator("rate")
    @classmethod
    def _no_system_rate(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if value is not None and info.data.get("kind") is RoleKind.SYSTEM:
            raise _fail(
                "a system role has no rate",
                "remove 'rate': automated work costs no labour; put a tool's running cost "
                "in the process's 'expenses'",
            )
        return value

    @field_validator("headcount", "available_hours")
    @classmethod
    def _staff_only(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        kind = info.data.get("kind", RoleKind.STAFF)
        if value is not None and kind is not RoleKind.STAFF:
            raise _fail(
                f"only staff roles have {info.field_name}; this role is {kind.value}",
                f"remove '{info.field_name}'",
            )
        return value

    @property
    def hourly_rate(self) -> Decimal:
        """The rate costing uses: external and system roles without one cost nothing."""
        return Decimal(0) if self.rate is None else self.rate


def _strict_date(value: Any) -> Any:
    """Dates as YAML writes them (2026-10-01); a bare number is not a date."""
    if isinstance(value, bool | int | Decimal) or isinstance(value, NumberLiteral):
        raise _fail(f"'{_shown(value)}' is not a date", "write dates as YYYY-MM-DD")
    return value


Date = Annotated[_dt.date, BeforeValidator(_strict_date)]


# --- the working calendar (which days are worked) --------------------------------------


class Weekday(StrEnum):
    """A day of the week as ``roles.yaml`` names it in ``calendar.weekend``."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday 0 … Sunday 6, as ``date.weekday()`` counts."""
        return list(Weekday).index(self)


_DAY_NAMES = {day.value: day for day in Weekday} | {
    name: day
    for day, name in zip(
        Weekday,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
}


def _weekday(value: Any) -> Any:
    """``sat``, ``Sat`` and ``saturday`` all name Saturday."""
    if isinstance(value, str):
        day = _DAY_NAMES.get(value.strip().lower())
        if day is None:
            raise _fail(
                f"'{_shown(value)}' is not a day of the week",
                "use mon, tue, wed, thu, fri, sat or sun",
            )
        return day
    return value


#: Most holidays one calendar may list (a century of them is far fewer).
MAX_HOLIDAYS = 10_000


class WorkingCalendar(_Model):
    """Which days are worked, for dated plans: the weekend and the holidays.

    ``1d`` and ``1w`` keep meaning ``hours_per_day`` and ``days_per_week``; the
    calendar only says on which dates those working days fall.
    """

    weekend: list[Annotated[Weekday, BeforeValidator(_weekday)]] = Field(
        default_factory=lambda: [Weekday.SAT, Weekday.SUN],
        description="days nobody works, e.g. [sat, sun] (the default) or [fri, sat]",
    )
    holidays: list[Date] = Field(
        default_factory=list,
        max_length=MAX_HOLIDAYS,
        description="dates nobody works, YYYY-MM-DD",
    )

    @field_validator("weekend")
    @classmethod
    def _some_working_day(cls, value: list[Weekday]) -> list[Weekday]:
        if len(set(value)) != len(value):
            raise _fail("the weekend names a day twice", "name each day once, e.g. [sat, sun]")
        if len(value) == len(Weekday):
            raise _fail(
                "the weekend covers the whole week, leaving no working day",
                "name only the days nobody works, e.g. [sat, sun]",
            )
        return value

    @field_validator("holidays")
    @classmethod
    def _holidays_once(cls, value: list[_dt.date]) -> list[_dt.date]:
        seen: set[_dt.date] = set()
        for day in value:
            if day in seen:
                raise _fail(f"holiday {day.isoformat()} is listed twice", "list each date once")
            seen.add(day)
        return value


class Settings(_Model):
    """``roles.yaml``: currency, the working day and week, the working calendar, hourly rates."""

    currency: Annotated[str, Field(description="ISO 4217 code, e.g. USD, EUR, KRW")] = "USD"
    hours_per_day: Annotated[Number, Field(gt=0, le=24)] = Decimal(8)
    days_per_week: Annotated[Number, Field(gt=0, le=7)] = Decimal(5)
    working_days_per_year: Annotated[Number, Field(gt=0, le=366)] = Decimal(260)
    calendar: WorkingCalendar = Field(
        default_factory=WorkingCalendar,
        description="the weekend and holidays, for dated plans (sopkit plan)",
    )
    roles: dict[Text, Role] = Field(default_factory=dict)

    @field_validator("currency", mode="before")
    @classmethod
    def _known_currency(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in MINOR_UNITS:
            raise _fail(
                f"unknown currency code '{value}'",
                "use an ISO 4217 code such as USD, EUR, GBP, KRW, JPY or RUB",
            )
        return value

    @property
    def clock(self) -> Clock:
        """What ``1d`` and ``1w`` mean in hours (the calendar says which dates are worked)."""
        return Clock(self.hours_per_day, self.days_per_week)

    @property
    def minor_unit(self) -> int:
        return MINOR_UNITS[self.currency]

    @property
    def working_year_hours(self) -> Decimal:
        """Hours of one full-time person's year: the FTE unit and the default available hours."""
        return self.working_days_per_year * self.hours_per_day

    def with_roles(self, extra: dict[str, Role]) -> Settings:
        """These settings with a process's own rates added or overriding."""
        if not extra:
            return self
        return self.model_copy(update={"roles": {**self.roles, **extra}})


class Rework(_Model):
    """A share of executions that send the work back to an earlier step."""

    to: Slug
    probability: Annotated[Number, Field(ge=0, lt=1)]


class Automation(_Model):
    """How much of a step's time a tool could take over, and what that tool costs."""

    share: Annotated[Number, Field(ge=0, le=1)]
    tool: Text | None = None
    tool_cost: AnnualMoney = Decimal(0)
    setup: DurationField = Duration()

    @model_validator(mode="before")
    @classmethod
    def _bare_share(cls, value: Any) -> Any:
        if isinstance(value, NumberLiteral):
            raise _number_literal(value)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return {"share": value}
        return value


def _bare_share_schema(schema: dict[str, Any]) -> None:
    """``automation: 0.5`` is short for ``automation: {share: 0.5}``."""
    schema.setdefault("anyOf", []).insert(
        0, {"type": "number", "minimum": 0, "maximum": 1, "description": "the share alone"}
    )


# --- conditions -------------------------------------------------------------------------


#: An answer a step can ask for: yes (True), no (False), or one of several options.
Answer = bool | str


class Condition(_Model):
    """A question a run answers, such as "Is this a tier-1 launch?", with how often.

    Either ``share`` (the share of runs where the answer is yes) or ``options``
    (each option's share of runs, summing to exactly 1).
    """

    question: Text
    share: Annotated[
        Number | None, Field(gt=0, lt=1, description="share of runs where the answer is yes")
    ] = None
    options: Annotated[
        dict[Text, Annotated[Number, Field(gt=0, le=1)]] | None,
        Field(description="each option's share of runs; the shares sum to exactly 1"),
    ] = None

    @field_validator("options")
    @classmethod
    def _options_sum_to_one(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        if value is None:
            return value
        if len(value) < 2:
            raise _fail(
                "a condition needs at least two options",
                "for a yes/no question use 'share' instead",
            )
        total = sum(value.values(), Decimal(0))
        if total != 1:
            raise _fail(
                f"the option shares sum to {_plain(total)}, not 1",
                "make them add up to exactly 1, e.g. 0.2, 0.5 and 0.3",
            )
        return value

    @model_validator(mode="after")
    def _share_or_options(self) -> Condition:
        if (self.share is None) == (self.options is None):
            raise _fail(
                "a condition has either 'share' (a yes/no question) or 'options'",
                "e.g. {question: Is this a tier-1 launch?, share: 0.3}",
            )
        return self

    @property
    def is_yes_no(self) -> bool:
        return self.options is None

    def answers(self) -> tuple[tuple[Answer, Decimal], ...]:
        """Every answer with its share of runs: yes/no, or each option in file order."""
        if self.options is None:
            assert self.share is not None
            return ((True, self.share), (False, 1 - self.share))
        return tuple(self.options.items())

    def most_likely(self) -> Answer:
        """Yes when share ≥ 0.5; for options the largest share, the first listed on a tie."""
        if self.options is None:
            assert self.share is not None
            return self.share >= Decimal("0.5")
        best = max(self.options.values())
        return next(name for name, share in self.options.items() if share == best)


def parse_when(value: Any) -> Any:
    """``when: c`` → ``{c: true}``; ``[a, b]`` → both yes; answers as a tuple of options."""
    if isinstance(value, str):
        return {value: True}
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise _fail("'when' lists condition names", "e.g. when: [big-launch, paid]")
        return {item: True for item in value}
    if not isinstance(value, dict) or not value:
        raise _fail(
            "'when' names a condition, or maps conditions to answers",
            "e.g. when: big-launch, or when: {tier: [L1, L2]}",
        )
    parsed: dict[str, Any] = {}
    for name, answer in value.items():
        if isinstance(answer, bool):
            parsed[name] = answer
        elif isinstance(answer, str | int | Decimal) and not isinstance(answer, bool):
            parsed[name] = (str(answer),)
        elif (
            isinstance(answer, list)
            and answer
            and all(
                isinstance(item, str | int | Decimal) and not isinstance(item, bool)
                for item in answer
            )
        ):
            parsed[name] = tuple(str(item) for item in answer)
        else:
            raise _fail(
                f"the answer for '{_shown(name)}' is true, false, an option or a list of options",
                "e.g. {big-launch: false} or {tier: [L1, L2]}",
            )
    return parsed


When = Annotated[
    dict[Slug, bool | tuple[Text, ...]],
    BeforeValidator(parse_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "description": "a yes/no condition that must be yes"},
                {"type": "array", "items": {"type": "string"}},
                {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [
                            {"type": "boolean"},
                            {"type": "string"},
                            {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        ]
                    },
                    "minProperties": 1,
                },
            ],
            "description": "the step runs only in runs that answer these conditions so",
        }
    ),
]


# --- joint work -----------------------------------------------------------------------


def _parse_with(value: Any) -> Any:
    """``with: [A, B]`` is one person of each role; a mapping gives the count of each."""
    if isinstance(value, str):
        return {value: 1}
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise _fail("'with' lists role names", "e.g. with: [Designer, Editor]")
        if len(set(value)) != len(value):
            raise _fail("'with' names a role twice", "give the role once with a count: {Role: 2}")
        return dict.fromkeys(value, 1)
    return value


#: Most people of one role that can share a step.
MAX_PARTICIPANTS = 1_000

Participants = Annotated[
    dict[Text, Annotated[Number, Field(gt=0, le=MAX_PARTICIPANTS)]],
    BeforeValidator(_parse_with),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "array", "items": {"type": "string"}, "description": "one of each role"},
                {
                    "type": "object",
                    "additionalProperties": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_PARTICIPANTS,
                    },
                    "description": "role: how many people of it",
                },
            ],
            "description": "roles that work on the step with its owner, each spending its time",
        }
    ),
]


# --- cash costs -------------------------------------------------------------------------


class ExpensePeriod(StrEnum):
    RUN = "run"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Expense(_Model):
    """Money a process spends besides people's time: a platform, a contractor, a gift."""

    name: Text
    amount: Money
    per: Annotated[ExpensePeriod, Field(description="run, month, quarter or year")]


# --- due dates relative to a milestone ---------------------------------------------------

_OFFSET = re.compile(r"^\s*([+-]?)\s*(\d+)\s*([dw])\s*$")
_OFFSET_HINT = "write whole working days or weeks with a sign: -10d, +3d, -2w or 0"


@dataclass(frozen=True, slots=True)
class DayOffset:
    """A signed number of working days (``d``) or weeks (``w``), as written: ``-10d``."""

    days: int = 0
    weeks: int = 0
    text: str = "0"

    @classmethod
    def parse(cls, value: Any) -> DayOffset:
        if isinstance(value, DayOffset):
            return value
        if isinstance(value, NumberLiteral):
            raise _number_literal(value)
        if isinstance(value, int) and not isinstance(value, bool) and value == 0:
            return cls()
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            raise _fail(f"'{_shown(value)}' has no unit", _OFFSET_HINT)
        if not isinstance(value, str):
            raise _fail("an offset is text like '-10d'", _OFFSET_HINT)
        text = value.strip()
        if text in ("0", "+0", "-0"):
            return cls()
        match = _OFFSET.match(text)
        if match is None:
            hint = _OFFSET_HINT
            if re.search(r"\d[.,]\d", text):
                hint = "dates move by whole working days; " + _OFFSET_HINT
            raise _fail(f"'{_shown(text)}' is not an offset in working days", hint)
        sign = -1 if match.group(1) == "-" else 1
        number = int(match.group(2))
        if number > MAX_OFFSET_DAYS:
            raise _fail(f"'{_shown(text)}' is far too long an offset", "check the number")
        if match.group(3) == "d":
            return cls(days=sign * number, text=text)
        return cls(weeks=sign * number, text=text)

    def __str__(self) -> str:
        return self.text


#: An offset of more than this many days or weeks (about 40 years) is a typo.
MAX_OFFSET_DAYS = 10_000

DayOffsetField = Annotated[
    DayOffset,
    PlainValidator(DayOffset.parse),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*[+-]?\s*\d+\s*[dw]\s*$"},
                {"const": 0},
            ],
            "description": "signed working days or weeks, e.g. -10d (before) or +2d (after)",
        }
    ),
]


class Due(_Model):
    """When a step must be done, relative to a milestone: ``{milestone: launch, offset: -10d}``.

    The step must finish by the end of the working day ``offset`` working days
    from the milestone's date (negative: before it).
    """

    milestone: Slug = Field(description="id of a milestone step of this process")
    offset: DayOffsetField = Field(default_factory=DayOffset)


# --- steps ------------------------------------------------------------------------------


def _is_event(info: ValidationInfo) -> str | None:
    """What kind of step has no time or owner of its own: a milestone or a process call."""
    if info.data.get("milestone"):
        return "milestone"
    if info.data.get("process") is not None:
        return "call"
    return None


_NOT_HERE = {
    "milestone": (
        "a milestone",
        "a milestone is an event with no duration; make the work a step before it",
    ),
    "call": (
        "a step that runs another process",
        "the called process's own steps give the time, people and costs",
    ),
}


class Step(_Model):
    """One task in a process, done by one role (with others), or an event, or a sub-procedure."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Slug
    name: Text
    milestone: bool = Field(default=False, description="an event with no duration, e.g. release")
    approval: bool = Field(default=False, description="a sign-off by the step's owner")
    process: Slug | None = Field(default=None, description="id of a process this step runs")
    count: CountField | None = Field(default=None, description="times `process` runs per execution")
    owner: Annotated[Text | None, Field(validate_default=True)] = None
    with_: Participants = Field(default_factory=dict, alias="with")
    time: Annotated[EstimateField | None, Field(validate_default=True)] = None
    wait: EstimateField = Estimate(Duration(), Duration(), Duration())
    after: list[Slug] = Field(default_factory=list, json_schema_extra=_or_single)
    when: When | None = None
    rework: Rework | None = None
    per_run: Annotated[Number, Field(gt=0, le=1_000_000)] = Decimal(1)
    expense: Money | None = Field(default=None, description="money spent per execution")
    due: Due | None = Field(default=None, description="done by a date relative to a milestone")
    automation: Automation | None = Field(default=None, json_schema_extra=_bare_share_schema)
    tools: TextList = Field(default_factory=list)
    done_when: Text | None = None
    instructions: TextList = Field(default_factory=list)
    do: TextList = Field(default_factory=list)
    dont: TextList = Field(default_factory=list)

    @field_validator("approval")
    @classmethod
    def _approval_is_work(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("milestone"):
            raise _fail(
                "a milestone cannot be a sign-off",
                "a sign-off takes time: make it a step with 'approval: true' before the milestone",
            )
        return value

    @field_validator("process")
    @classmethod
    def _call_is_not_milestone(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and (info.data.get("milestone") or info.data.get("approval")):
            raise _fail(
                "a step that runs another process cannot be a milestone or a sign-off",
                "make the milestone or sign-off a step of its own",
            )
        return value

    @field_validator("count")
    @classmethod
    def _count_needs_process(cls, value: Count | None, info: ValidationInfo) -> Count | None:
        if value is not None and info.data.get("process") is None:
            raise _fail(
                "'count' belongs to a step that runs another process",
                "add 'process: <id>' or remove 'count'",
            )
        return value

    @field_validator("owner", "time")
    @classmethod
    def _required_for_work(cls, value: Any, info: ValidationInfo) -> Any:
        event = _is_event(info)
        if value is None:
            if event is None or (event == "milestone" and info.field_name == "owner"):
                if event is None:
                    raise PydanticCustomError("missing", "Field required")
            return value
        if event == "call" or (event == "milestone" and info.field_name == "time"):
            what, hint = _NOT_HERE[event]
            raise _fail(f"{what} has no '{info.field_name}'", f"remove it; {hint}")
        if info.field_name == "time" and value.low.is_zero:
            raise _fail("time must be above zero", "give the hands-on time, e.g. 30m")
        return value

    @field_validator("with_", "automation", "expense")
    @classmethod
    def _work_only(cls, value: Any, info: ValidationInfo) -> Any:
        event = _is_event(info)
        if event is not None and value:
            field = "with" if info.field_name == "with_" else info.field_name
            what, hint = _NOT_HERE[event]
            raise _fail(f"{what} has no '{field}'", f"remove it; {hint}")
        return value

    @field_validator("after", mode="before")
    @classmethod
    def _after_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def participants(self) -> dict[str, Decimal]:
        """The roles working with the owner and how many people of each (``with``)."""
        return self.with_

    @property
    def is_call(self) -> bool:
        return self.process is not None

    @property
    def is_work(self) -> bool:
        """A step people (or a system) spend time on: not a milestone, not a call."""
        return not self.milestone and self.process is None


# --- the review block and the process ---------------------------------------------------


class Review(_Model):
    """Who approved this version of the SOP, and when it is due for review again."""

    version: Text
    last_reviewed: Date | None = None
    next_review: Date | None = None
    approver: Text | None = None


def _format_version(value: Any) -> Any:
    if isinstance(value, bool):
        raise _fail("unsupported format version", "this sopkit reads format version 1: 'sopkit: 1'")
    return value


class Process(_Model):
    """A marketing process: a graph of steps, run at a given frequency."""

    sopkit: Annotated[Literal[1], BeforeValidator(_format_version)] = Field(
        description="format version; always 1"
    )
    id: Slug
    name: Text
    owner: Text
    purpose: Text | None = None
    trigger: Text | None = None
    frequency: FrequencyField | None = Field(
        default=None,
        description="how often it runs; none for a process that only other processes run",
    )
    language: Language = Language.EN
    tools: TextList = Field(default_factory=list)
    tags: TextList = Field(default_factory=list)
    review: Review | None = None
    roles: dict[Text, Role] = Field(default_factory=dict)
    conditions: dict[Slug, Condition] = Field(default_factory=dict)
    expenses: list[Expense] = Field(default_factory=list, max_length=10_000)
    steps: Annotated[list[Step], Field(min_length=1, max_length=100_000)]

    _settings: Settings = PrivateAttr(default_factory=Settings)
    _base_settings: Settings = PrivateAttr(default_factory=Settings)
    _source_path: str | None = PrivateAttr(default=None)
    _settings_path: str | None = PrivateAttr(default=None)
    _source: SourceMap | None = PrivateAttr(default=None)
    _callees: dict[str, Process] = PrivateAttr(default_factory=dict)

    # The bound values are read once per step by costing and checks. Pydantic's own
    # route to a private attribute (``__getattr__``) takes about 2 µs a read; its
    # ``__pydantic_private__`` dict takes a twentieth of that.
    def _private(self, name: str) -> Any:
        private = self.__pydantic_private__
        assert private is not None
        return private[name]

    @property
    def settings(self) -> Settings:
        """Effective settings: the roles file with this process's own rates on top."""
        settings: Settings = self._private("_settings")
        return settings

    @property
    def base_settings(self) -> Settings:
        """The settings as the roles file gave them, before this process's own ``roles``:
        what a changed copy of the process (a scenario) is bound to again."""
        settings: Settings = self._private("_base_settings")
        return settings

    @property
    def source_path(self) -> str | None:
        """The file this process was loaded from, as given by the caller."""
        path: str | None = self._private("_source_path")
        return path

    @property
    def source(self) -> SourceMap:
        """Where each value stands in the file, so later checks can point at it."""
        source: SourceMap | None = self._private("_source")
        return source or SourceMap(self.source_path or "<process>")

    @property
    def settings_path(self) -> str | None:
        """The ``roles.yaml`` that supplied the settings, if any."""
        path: str | None = self._private("_settings_path")
        return path

    @property
    def callees(self) -> dict[str, Process]:
        """The processes this one's steps run, by id, as bound when loading."""
        callees: dict[str, Process] = self._private("_callees")
        return callees

    @property
    def calls(self) -> tuple[str, ...]:
        """Ids of the processes this one's steps run, in file order, once each."""
        return tuple(dict.fromkeys(s.process for s in self.steps if s.process is not None))

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def role(self, name: str) -> Role | None:
        """The effective role of that name (roles.yaml with this process's own on top)."""
        return self.settings.roles.get(name)

    def bind(
        self,
        settings: Settings,
        *,
        source: SourceMap | None = None,
        source_path: str | None = None,
        settings_path: str | None = None,
    ) -> Process:
        """This process with its effective settings attached (local ``roles:`` on top)."""
        self._base_settings = settings
        self._settings = settings.with_roles(self.roles)
        self._source = source
        self._source_path = source_path
        self._settings_path = settings_path
        return self

    def bind_callees(self, callees: dict[str, Process]) -> Process:
        """Attach the processes this one calls, so it can be costed on its own."""
        self._callees = {pid: callees[pid] for pid in self.calls if pid in callees}
        return self
