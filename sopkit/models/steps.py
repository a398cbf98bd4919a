"""A step and what it may carry: rework, automation, conditions, joint work, cash
costs and a due date relative to a milestone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..source import NumberLiteral
from .common import Slug, StepAccept, Text, TextList, _fail, _Model, _or_single, _shown
from .values import (
    AnnualMoney,
    Count,
    CountField,
    Duration,
    DurationField,
    Estimate,
    EstimateField,
    Money,
    Number,
    _number_literal,
    _plain,
)

#: What a step is: a task, a sign-off, a call of another process or a milestone.
StepKind = Literal["task", "signoff", "call", "milestone"]


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
        if not match.group(1) and number:
            unit = match.group(3)
            raise _fail(
                f"'{_shown(text)}' has no sign: before the milestone or after it?",
                f"write -{number}{unit} for {number} working "
                f"{'day' if unit == 'd' else 'week'}{'' if number == 1 else 's'}"
                f" before it, or +{number}{unit} after",
            )
        if number > MAX_OFFSET_DAYS:
            raise _fail(f"'{_shown(text)}' is far too long an offset", "check the number")
        if match.group(3) == "d":
            return cls(days=sign * number, text=text)
        return cls(weeks=sign * number, text=text)

    def working_days(self, days_per_week: Decimal) -> int:
        """The offset in working days, a week counting ``days_per_week`` of them
        (validate.py refuses weeks that are not a whole number of working days)."""
        return self.days + int(self.weeks * days_per_week)

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
                {"type": "string", "pattern": r"^\s*(?:[+-]\s*\d+|0+)\s*[dw]\s*$"},
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


#: Optional step fields a process file may not leave empty, with how to fill each in.
#: Left empty (or with its fields not indented under it), such a field would read
#: as absent: no condition, no rework, no due date. The loader checks this on the
#: file's mapping; a model given ``None`` (a scenario's ``rework: null``, Python
#: code) means the field is absent.
NOT_EMPTY: dict[str, str] = {
    "process": "give the id of the process this step runs, or remove the line",
    "count": "give how many times the process runs, e.g. count: 3, or remove the line",
    "when": "name the condition it waits for, e.g. when: {big-launch: true}, or remove the line",
    "rework": "indent its fields under it, e.g. rework: {to: draft, probability: 0.3}, "
    "or remove the line",
    "expense": "give the money spent per execution, e.g. expense: 50, or remove the line",
    "due": "indent its fields under it, e.g. due: {milestone: launch, offset: -10d}, "
    "or remove the line",
    "automation": "indent its fields under it, e.g. automation: {share: 0.5, tool: Jasper}, "
    "or remove the line",
}


#: A count on a step that runs no process (the loader leaves it out when that step's
#: ``process`` is itself the mistake).
COUNT_WITHOUT_PROCESS = "'count' belongs to a step that runs another process"


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
    accept: StepAccept = Field(default_factory=list)

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
            raise _fail(COUNT_WITHOUT_PROCESS, "add 'process: <id>' or remove 'count'")
        return value

    @field_validator("owner", "time")
    @classmethod
    def _required_for_work(cls, value: Any, info: ValidationInfo) -> Any:
        data = info.data
        if value is not None and not data.get("milestone") and data.get("process") is None:
            # Work (neither a milestone nor a call) with an owner or a time: most steps.
            if info.field_name == "time" and value.low.is_zero:
                raise _fail("time must be above zero", "give the hands-on time, e.g. 30m")
            return value
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
    def kind(self) -> StepKind:
        """What the step is, as a diagram draws it and a plan lists it: one word, so the
        swimlanes, Mermaid and the plan agree on it."""
        if self.milestone:
            return "milestone"
        if self.is_call:
            return "call"
        return "signoff" if self.approval else "task"

    @property
    def is_work(self) -> bool:
        """A step people (or a system) spend time on: not a milestone, not a call."""
        return not self.milestone and self.process is None
