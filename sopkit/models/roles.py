"""Who does the work and when: roles with their rates and kinds, the working calendar,
and the settings of a roles file."""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from ..currency import MINOR_UNITS
from ..source import NumberLiteral
from ..suggest import closest, edit_distance
from .common import RoleAccept, RolesFileAccept, Text, _fail, _Model, _shown
from .values import Clock, Number


class Language(StrEnum):
    """The languages sopkit writes its documents in: a process's ``language`` and the
    headings, labels and figures of everything made from it."""

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
    accept: RoleAccept = Field(default_factory=list)

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
    if isinstance(value, str):
        written = value.strip()
        padded = _UNPADDED.fullmatch(written)
        if padded is not None:  # 2027-5-5: YAML and ISO want two digits
            year, month, day = padded.groups()
            raise _fail(
                f"'{written}' is not a date",
                f"write dates as YYYY-MM-DD: {year}-{int(month):02d}-{int(day):02d}",
            )
        # Not even shaped like one (01/04/2027, 4 Jan 2027): sopkit's message, not
        # pydantic's "invalid character in year". A date of that shape (2027-13-01) is
        # left to pydantic, which says what is wrong with it.
        if not _ISO_START.match(written):
            raise _fail(f"'{_shown(written)}' is not a date", _date_hint(written))
    return value


#: A date whose month or day lacks its leading zero.
_UNPADDED = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: How an ISO date (or date and time) starts.
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A date written the other way round (01/04/2027, 4.1.2027) or with slashes (2027/01/04).
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([./-])(\d{1,2})[./-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")


def _date_hint(written: str) -> str:
    """How to write ``written`` as a date: the dates it can mean, in YYYY-MM-DD (both,
    when it could be day/month or month/day: only its writer knows which)."""
    readings: list[_dt.date] = []
    if (found := _YEAR_FIRST.fullmatch(written)) is not None:
        year, month, day = map(int, found.groups())
        readings = _valid([(year, month, day)])
    elif (found := _DAY_MONTH_YEAR.fullmatch(written)) is not None:
        first, second, year = (int(found[n]) for n in (1, 3, 4))
        month_first = [(year, first, second), (year, second, first)]
        # 04.01.2027 is most often day first (Europe), 01/04/2027 month first (US).
        readings = _valid(month_first[::-1] if found[2] == "." else month_first)
    if not readings:
        return "write dates as YYYY-MM-DD, e.g. 2027-01-04"
    shown = " or ".join(day.isoformat() for day in readings)
    return f"write dates as YYYY-MM-DD: {shown}" + (
        ", whichever it means" if len(readings) > 1 else ""
    )


def _valid(parts: list[tuple[int, int, int]]) -> list[_dt.date]:
    """The real dates among ``(year, month, day)`` triples, each once, in order."""
    found: list[_dt.date] = []
    for year, month, day in parts:
        try:
            found.append(_dt.date(year, month, day))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


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


#: Each day's names in the languages a process may be written in, Monday first: a
#: Korean or Russian team writes its weekend as it says it (``[토, 일]``, ``[сб, вс]``).
_NAMES_IN_LANGUAGES = (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("월", "화", "수", "목", "금", "토", "일"),
    ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
    ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
)
_DAY_NAMES = {day.value: day for day in Weekday} | {
    name: day for names in _NAMES_IN_LANGUAGES for day, name in zip(Weekday, names, strict=True)
}


def _weekday(value: Any) -> Any:
    """``sat``, ``Sat``, ``saturday``, ``토``, ``토요일``, ``сб`` and ``суббота`` all name
    Saturday."""
    if isinstance(value, str):
        day = _DAY_NAMES.get(value.strip().lower())
        if day is None:
            raise _fail(
                f"'{_shown(value)}' is not a day of the week",
                "use mon, tue, wed, thu, fri, sat or sun (or the full names; in Korean "
                "월 … 일, in Russian пн … вс)",
            )
        return day
    return value


def _either_case(name: str) -> str:
    """``[sS][aA][tT]``: a JSON Schema ``pattern`` has no flag for ignoring case."""
    return "".join(
        f"[{char}{char.upper()}]" if char.upper() != char else re.escape(char) for char in name
    )


#: The schema of a weekend day: every name ``_weekday`` takes, in any case and with spaces
#: around it, so that an editor does not mark ``[토, 일]`` or ``[Sat, Sun]`` wrong while
#: ``sopkit validate`` takes them.
_WEEKDAY_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*(" + "|".join(_either_case(name) for name in _DAY_NAMES) + r")\s*$",
    "description": "a day of the week: mon … sun or monday … sunday, in Korean 월 … 일 or "
    "월요일 … 일요일, in Russian пн … вс or понедельник … воскресенье",
    "examples": ["sat", "sun", "토", "сб"],
}

#: Most holidays one calendar may list (a century of them is far fewer).
MAX_HOLIDAYS = 10_000


class WorkingCalendar(_Model):
    """Which days are worked, for dated plans: the weekend and the holidays.

    ``1d`` and ``1w`` keep meaning ``hours_per_day`` and ``days_per_week``; the
    calendar only says on which dates those working days fall.
    """

    weekend: list[
        Annotated[Weekday, BeforeValidator(_weekday), WithJsonSchema(_WEEKDAY_SCHEMA)]
    ] = Field(
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


def _currency_hint(value: str) -> str:
    """The code ``value`` most likely means (``usd``, ``US$``, ``EURO``), or some codes.

    Codes are three letters: one a letter away is a typo, two away just another code.
    """
    written = value.strip().upper()
    close = written if written in MINOR_UNITS else closest(written, MINOR_UNITS)
    if close is not None and edit_distance(written, close) <= 1:
        return f"did you mean '{close}'?"
    return "use an ISO 4217 code such as USD, EUR, GBP, KRW, JPY or RUB"


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
    accept: RolesFileAccept = Field(default_factory=list)

    @field_validator("currency", mode="before")
    @classmethod
    def _known_currency(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in MINOR_UNITS:
            raise _fail(f"unknown currency code '{value}'", _currency_hint(value))
        return value

    @property
    def clock(self) -> Clock:
        """What ``1d`` and ``1w`` mean in hours (the calendar says which dates are worked)."""
        return _clock(self.hours_per_day, self.days_per_week)

    @property
    def minor_unit(self) -> int:
        return MINOR_UNITS[self.currency]

    @property
    def working_year_hours(self) -> Decimal:
        """Hours of one full-time person's year: the FTE unit and the default available hours."""
        return self.working_days_per_year * self.hours_per_day

    def with_roles(self, extra: dict[str, Role]) -> Settings:
        """These settings with a process's own rates added or overriding.

        A process's role of a roles-file name changes only the fields it gives:
        a new rate keeps the team's headcount and available hours, so capacity
        does not depend on which process is read first. A role of another kind
        (staff unless it says) is a role of its own and replaces it whole.
        """
        if not extra:
            return self
        roles = dict(self.roles)
        for name, role in extra.items():
            base = roles.get(name)
            if base is None or role.kind is not base.kind:
                roles[name] = role
            else:
                given = {field: getattr(role, field) for field in role.model_fields_set}
                roles[name] = base.model_copy(update=given)
        return self.model_copy(update={"roles": roles})


#: One clock per calendar, keyed by the numbers as written (8 and 8.0 are kept apart):
#: every step's hours are cached per (estimate, clock), and a shared clock is found
#: by identity instead of being compared field by field.
_CLOCKS: dict[tuple[str, str], Clock] = {}


def _clock(hours_per_day: Decimal, days_per_week: Decimal) -> Clock:
    key = (str(hours_per_day), str(days_per_week))
    clock = _CLOCKS.get(key)
    if clock is None:
        clock = Clock(hours_per_day, days_per_week)
        if len(_CLOCKS) < 256:
            _CLOCKS[key] = clock
    return clock
