"""Hints for mistakes pydantic reports without one: what a field takes, what a word
written the way another tool writes it is called here, where a date goes."""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from ..models import Role
from ..models.values import PLAIN_NUMBER, period_word, plain_amount_hint
from ..source import Loc
from ..suggest import closest

__all__ = [
    "LANGUAGE_WORDS",
    "MISSING_HINTS",
    "RANGE_ERRORS",
    "READING_ORDER",
    "ROLE_FIELDS",
    "date_hint",
    "hint_for",
    "id_named",
    "names_a_step",
    "percent_hint",
    "short",
    "steps_of",
]


def steps_of(data: Any) -> list[dict[Any, Any]]:
    """The step mappings of a process document (anything else as an empty mapping)."""
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        return []
    return [step if isinstance(step, dict) else {} for step in steps]


def names_a_step(loc: Loc) -> bool:
    """Whether the value at ``loc`` is a step id: an ``after`` item, a due's milestone,
    a rework's ``to``."""
    return loc[:1] == ("steps",) and (
        "after" in loc or loc[-2:] in (("due", "milestone"), ("rework", "to"))
    )


def id_named(data: Any, name: Any) -> str | None:
    """The id of the one step called ``name`` (as written, any case), if there is one."""
    if not isinstance(name, str):
        return None
    found = [
        step["id"]
        for step in steps_of(data)
        if isinstance(step.get("name"), str)
        and isinstance(step.get("id"), str)
        and step["name"].strip().casefold() == name.strip().casefold()
    ]
    return found[0] if len(found) == 1 else None


def date_hint(loc: Loc, data: Any, when: Any) -> str:
    """Where a date written on a step goes: a run's dates are given when it is planned,
    so one file serves every run; the file says what is due how long before what."""
    steps = steps_of(data)
    index = loc[1] if len(loc) > 1 else None
    step = steps[index] if isinstance(index, int) and index < len(steps) else {}
    day = when.isoformat() if isinstance(when, _dt.date) else "YYYY-MM-DD"
    if step.get("milestone") is True and isinstance(step.get("id"), str):
        at = f"{step['id']}={day}"
        return f"a milestone's date is given when you plan a run: sopkit plan FILE --at {at}"
    return (
        f"dates are given when you plan a run (sopkit plan FILE --at <milestone id>={day}); "
        "in the file, due: {milestone: <milestone id>, offset: -10d} is due 10 working days "
        "before that milestone"
    )


_PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*")


def percent_hint(value: Any) -> str | None:
    """``"70%"`` as the fraction sopkit wants (``"0.7"``), or ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    match = _PERCENT.fullmatch(value)
    if match is None:
        return None
    share = (Decimal(match.group(1)) / 100).normalize()
    return f"{share:f}"


#: Language codes and names people write for the three sopkit speaks.
LANGUAGE_WORDS = {
    **dict.fromkeys(["kr", "kor", "korean", "한국어", "ko-kr", "ko_kr"], "ko"),
    **dict.fromkeys(["rus", "russian", "русский", "ru-ru", "ru_ru"], "ru"),
    **dict.fromkeys(["eng", "english", "en-us", "en-gb", "en_us", "en_gb"], "en"),
}

#: A role's kind as people write it: who is outside the team, and what is a machine.
_KIND_WORDS = {
    **dict.fromkeys(
        [
            "agency",
            "freelancer",
            "freelance",
            "contractor",
            "vendor",
            "supplier",
            "partner",
            "customer",
            "client",
            "outside",
            "outsourced",
        ],
        "external",
    ),
    **dict.fromkeys(["tool", "bot", "automation", "automated", "software", "machine"], "system"),
    **dict.fromkeys(["internal", "employee", "team", "person", "human", "people"], "staff"),
}

#: The fields of a role: a role named one of them is a field written at the roles' indent.
ROLE_FIELDS = frozenset(field.alias or name for name, field in Role.model_fields.items())

#: The order a person reads a step's fields in (the model's own order serves its checks).
READING_ORDER = {
    name: i
    for i, name in enumerate(
        "id name owner with time wait after when rework per_run milestone approval process "
        "count expense due automation tools done_when instructions do dont".split()
    )
}

MISSING_HINTS = {
    "sopkit": "add 'sopkit: 1' (the format version) as the first line",
    "id": "add 'id: …', a slug such as 'content-marketing'",
    "frequency": "add 'frequency: …', e.g. 4/month",
    "steps": "add 'steps:' with at least one step",
    "time": "add 'time: …', the hands-on time of one execution, e.g. 1h",
    "owner": "add 'owner: …', the role that does it",
    "rate": "add 'rate: …', the hourly cost",
    "to": "add 'to: …', the step the work goes back to",
    "probability": "add 'probability: …', e.g. 0.3 for 30%",
    "share": "add 'share: …', from 0 to 1",
}

#: What a number out of range should be, by field name.
_RANGE_HINTS = {
    "probability": "a probability from 0 up to, not including, 1; e.g. 0.3 for 30%",
    "share": "the share of the time a tool could take over, from 0 to 1; e.g. 0.5",
    "per_run": "executions per run: e.g. 3, or 0.2 for once in five runs",
    "rate": "the hourly cost in the roles file's currency, zero or more",
    "hours_per_day": "the hours in a working day, e.g. 8",
    "days_per_week": "the working days in a week, e.g. 5",
    "working_days_per_year": "the working days in a year, e.g. 260",
    "headcount": "the people in this role, above 0; fractions are fine, e.g. 0.5",
    "available_hours": "the hours one person has for this work in a year, e.g. 1400",
}
RANGE_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


#: How to write a field that takes a mapping, for a value written as one number or word.
_SHAPE_HINTS = {
    "rework": "write it as rework: {to: <step id>, probability: 0.3}",
    "automation": "write it as automation: {share: 0.5, tool: <tool>, tool_cost: 1200}",
    "due": "write it as due: {milestone: <milestone id>, offset: -10d}",
    "review": 'write it as review: {version: "1.0", last_reviewed: 2026-01-15}',
    "calendar": "write it as calendar: {weekend: [sat, sun], holidays: [2026-12-25]}",
}


#: How an expense's ``per`` of each run is often written (periods: ``period_word``).
_RUN_WORDS = {"runs": "run", "per run": "run", "each run": "run"}


#: An expense's ``per`` that is a span of time the format does not take (a week, a day).
_BY_TIME = re.compile(r"(?:(?:a|an|per|each|every)\s+)?(?:week|weeks|weekly|day|days|daily|wk|d|w)")
_FORTNIGHT = re.compile(
    r"bi-?\s?weekly|fortnightly|(?:a|per|each|every) (?:fortnight|2 weeks|two weeks)"
)


def hint_for(kind: str, field: str, loc: Loc, value: Any = None, ctx: Any = None) -> str | None:
    """A hint for pydantic's own errors, which come without one."""
    if kind in RANGE_ERRORS:
        if loc[:1] == ("conditions",):
            if "options" in loc:
                return "each option's share of runs, above 0; the shares sum to 1"
            return "the share of runs where the answer is yes, above 0 and below 1; e.g. 0.3"
        if len(loc) >= 2 and loc[-2] == "with":
            return "how many people of that role work on the step, e.g. 2"
        return _RANGE_HINTS.get(field)
    if loc == ("steps",):
        if kind == "too_short":
            return "add at least one step"
        if kind == "list_type":
            return "write each step as a list item starting with '- id: …'"
    if len(loc) == 2 and loc[0] == "steps" and kind in ("model_type", "dict_type"):
        return "a step is a mapping with id, name, owner and time"
    if loc == ("roles",) and kind == "dict_type":
        return "write each role on a line of its own under it, e.g. Designer: {rate: 55}"
    if len(loc) == 2 and loc[0] == "roles" and kind in ("model_type", "dict_type"):
        if loc[1] in ROLE_FIELDS and value is not None:  # "headcount: 2" at a role's indent
            return (
                f"'{loc[1]}' is a field of a role, not a role: write it among the fields of "
                f"the role it belongs to, e.g. Designer: {{{loc[1]}: {short(value)}}}"
            )
        return f"give the rate as a field: {loc[1]}: {{rate: …}}"
    if kind in ("literal_error", "enum") and field == "per" and loc[:1] == ("expenses",):
        said = value.strip().lower() if isinstance(value, str) else ""
        # "месяц", "мес", "월", "monthly": the period as frequency's hint reads it.
        meant = _RUN_WORDS.get(said) or period_word(said)
        if meant in ("run", "month", "quarter", "year"):
            return f"did you mean '{meant}'?"
        if _FORTNIGHT.fullmatch(said):
            return "a cost every two weeks is 26 times it per: year"
        if not said or meant is not None or _BY_TIME.fullmatch(said):
            return "a weekly cost is 52 times it per: year; a daily one, your working days times it"
        # per: webinar, per: event: a cost paid each time the process runs.
        return (
            f"did you mean 'run'? A cost paid for each {short(value.strip())}, each time the "
            "process runs, is per: run; one paid over time, per: month, quarter or year"
        )
    if kind == "list_type":
        return "write a list: [a, b], or one '- item' per line"
    if kind == "bool_type" and value is None and field:
        return f"write {field}: true, or remove the line"
    if kind in ("model_type", "dict_type"):
        return _SHAPE_HINTS.get(field, "write fields as 'name: value' lines under it")
    if kind == "string_too_short":
        return "write some text, or remove the field"
    if kind == "string_type" and isinstance(value, _dt.date | bool | int | float | Decimal):
        read = (
            "a date"
            if isinstance(value, _dt.date)
            else "true/false"
            if isinstance(value, bool)
            else "a number"
        )
        return f"YAML reads this as {read}: put it in quotes to keep it as text"
    if kind == "string_type":
        return "write text here"
    if kind in ("literal_error", "enum") and isinstance(value, str):
        expected = re.findall(r"'([^']*)'", str((ctx or {}).get("expected", "")))
        meant = _KIND_WORDS.get(value.strip().casefold()) if field == "kind" else None
        if meant in expected:  # "agency": an outside party
            return f"write kind: {meant} (sopkit's word for '{value.strip()}')"
        close = closest(value, expected)
        if close is not None:
            return f"did you mean '{close}'?"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "int_type"):
        rate = field == "rate"
        return plain_amount_hint(value, PLAIN_NUMBER, per_hour=rate, money=rate) or (
            "write a number here"
        )
    return None


def short(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: short, so a 5 MB typo does not flood the terminal."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
