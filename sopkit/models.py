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
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .currency import MINOR_UNITS
from .source import SourceMap

__all__ = [
    "Automation",
    "Calendar",
    "Duration",
    "Estimate",
    "Frequency",
    "Language",
    "Period",
    "Process",
    "Review",
    "Rework",
    "Role",
    "Settings",
    "Step",
]

SLUG = r"^[a-z0-9][a-z0-9-]*$"
MAX_ID_LENGTH = 100
_SLUG_RE = re.compile(SLUG)


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
    if isinstance(value, str) and not _SLUG_RE.match(value):
        raise _fail(
            f"'{_shown(value)}' is not a valid id",
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


# --- calendar and durations -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Calendar:
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
            raise _fail(f"'{shown}' is not a duration", hint)
        zero = Decimal(0)
        return cls(
            minutes=parts.get("m", zero),
            hours=parts.get("h", zero),
            days=parts.get("d", zero),
            weeks=parts.get("w", zero),
            text=text,
        )

    def in_hours(self, calendar: Calendar) -> Decimal:
        day = calendar.hours_per_day
        whole = self.hours + self.days * day + self.weeks * calendar.days_per_week * day
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

    def points(self, calendar: Calendar) -> tuple[Decimal, Decimal, Decimal]:
        """Min, likely and max in hours; a bare range's likely is its midpoint."""
        low, high = self.low.in_hours(calendar), self.high.in_hours(calendar)
        likely = (low + high) / 2 if self.likely is None else self.likely.in_hours(calendar)
        return low, likely, high

    def expected_hours(self, calendar: Calendar) -> Decimal:
        """PERT mean ``(min + 4·likely + max) / 6``; exactly the value for a single duration."""
        if not self.is_range:
            return self.low.in_hours(calendar)
        low, likely, high = self.points(calendar)
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


def _finite(value: Any) -> Any:
    if isinstance(value, Decimal) and not value.is_finite():
        raise _fail(f"'{value}' is not a finite number")
    return value


Number = Annotated[Decimal, BeforeValidator(_finite)]


# --- the objects --------------------------------------------------------------


class Language(StrEnum):
    EN = "en"
    KO = "ko"
    RU = "ru"


#: Highest hourly rate: room for currencies with small units (VND, IDR), not for typos.
MAX_RATE = 1_000_000_000


class Role(_Model):
    """A job title and what an hour of it costs."""

    rate: Annotated[Number, Field(ge=0, le=MAX_RATE, description="hourly cost in the currency")]
    description: Text | None = None


class Settings(_Model):
    """``roles.yaml``: the currency, the working calendar and hourly rates."""

    currency: Annotated[str, Field(description="ISO 4217 code, e.g. USD, EUR, KRW")] = "USD"
    hours_per_day: Annotated[Number, Field(gt=0, le=24)] = Decimal(8)
    days_per_week: Annotated[Number, Field(gt=0, le=7)] = Decimal(5)
    working_days_per_year: Annotated[Number, Field(gt=0, le=366)] = Decimal(260)
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
    def calendar(self) -> Calendar:
        return Calendar(self.hours_per_day, self.days_per_week)

    @property
    def minor_unit(self) -> int:
        return MINOR_UNITS[self.currency]

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
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return {"share": value}
        return value


def _bare_share_schema(schema: dict[str, Any]) -> None:
    """``automation: 0.5`` is short for ``automation: {share: 0.5}``."""
    schema.setdefault("anyOf", []).insert(
        0, {"type": "number", "minimum": 0, "maximum": 1, "description": "the share alone"}
    )


class Step(_Model):
    """One task in a process, done by one role."""

    id: Slug
    name: Text
    owner: Text
    time: EstimateField
    wait: EstimateField = Estimate(Duration(), Duration(), Duration())
    after: list[Slug] = Field(default_factory=list, json_schema_extra=_or_single)
    rework: Rework | None = None
    per_run: Annotated[Number, Field(gt=0, le=1_000_000)] = Decimal(1)
    automation: Automation | None = Field(default=None, json_schema_extra=_bare_share_schema)
    tools: TextList = Field(default_factory=list)
    done_when: Text | None = None
    instructions: TextList = Field(default_factory=list)
    do: TextList = Field(default_factory=list)
    dont: TextList = Field(default_factory=list)

    @field_validator("time")
    @classmethod
    def _positive_time(cls, value: Estimate) -> Estimate:
        if value.low.is_zero:
            raise _fail("time must be above zero", "give the hands-on time, e.g. 30m")
        return value

    @field_validator("after", mode="before")
    @classmethod
    def _after_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Review(_Model):
    """Who approved this version of the SOP, and when it is due for review again."""

    version: Text
    last_reviewed: _dt.date | None = None
    next_review: _dt.date | None = None
    approver: Text | None = None


class Process(_Model):
    """A marketing process: a graph of steps, run at a given frequency."""

    sopkit: Literal[1] = Field(description="format version; always 1")
    id: Slug
    name: Text
    owner: Text
    purpose: Text | None = None
    trigger: Text | None = None
    frequency: FrequencyField
    language: Language = Language.EN
    tools: TextList = Field(default_factory=list)
    tags: TextList = Field(default_factory=list)
    review: Review | None = None
    roles: dict[Text, Role] = Field(default_factory=dict)
    steps: Annotated[list[Step], Field(min_length=1, max_length=100_000)]

    _settings: Settings = PrivateAttr(default_factory=Settings)
    _source_path: str | None = PrivateAttr(default=None)
    _settings_path: str | None = PrivateAttr(default=None)
    _source: SourceMap | None = PrivateAttr(default=None)

    @property
    def settings(self) -> Settings:
        """Effective settings: the roles file with this process's own rates on top."""
        return self._settings

    @property
    def source_path(self) -> str | None:
        """The file this process was loaded from, as given by the caller."""
        return self._source_path

    @property
    def source(self) -> SourceMap:
        """Where each value stands in the file, so later checks can point at it."""
        return self._source or SourceMap(self._source_path or "<process>")

    @property
    def settings_path(self) -> str | None:
        """The ``roles.yaml`` that supplied the settings, if any."""
        return self._settings_path

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def bind(
        self,
        settings: Settings,
        *,
        source: SourceMap | None = None,
        source_path: str | None = None,
        settings_path: str | None = None,
    ) -> Process:
        """This process with its effective settings attached (local ``roles:`` on top)."""
        self._settings = settings.with_roles(self.roles)
        self._source = source
        self._source_path = source_path
        self._settings_path = settings_path
        return self
