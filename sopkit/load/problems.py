"""Pydantic's errors in the user's words: each located at the value it is about, one
line per mistake, with a hint where a hint helps."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

import pydantic

from ..errors import Problem, ValidationError, quoted_names
from ..models import (
    Automation,
    Condition,
    Due,
    Expense,
    Process,
    Review,
    Rework,
    Role,
    Settings,
    Step,
    WorkingCalendar,
)
from ..models.steps import COUNT_WITHOUT_PROCESS, NOT_EMPTY
from ..models.values import PLAIN_COST, PLAIN_NUMBER, plain_amount_hint
from ..source import Loc, SourceMap
from ..suggest import closest, edit_distance
from .hints import (
    LANGUAGE_WORDS,
    MISSING_HINTS,
    RANGE_ERRORS,
    READING_ORDER,
    ROLE_FIELDS,
    date_hint,
    hint_for,
    id_named,
    names_a_step,
    percent_hint,
    short,
    steps_of,
)

__all__ = [
    "PROCESS_FIELDS",
    "SETTINGS_FIELDS",
    "check_model",
    "dedupe",
    "kind_of",
    "validate_model",
]


def kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a single value ('{short(value)}')"


SETTINGS_FIELDS: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): Settings,
    ("roles", "*"): Role,
    ("calendar",): WorkingCalendar,
}
PROCESS_FIELDS: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): Process,
    ("steps", "#"): Step,
    ("steps", "#", "rework"): Rework,
    ("steps", "#", "automation"): Automation,
    ("steps", "#", "due"): Due,
    ("review",): Review,
    ("roles", "*"): Role,
    ("conditions", "*"): Condition,
    ("expenses", "#"): Expense,
}


M = TypeVar("M", bound=pydantic.BaseModel)


def validate_model(
    model: type[M],
    data: Any,
    source: SourceMap,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> M:
    found, problems, _ = check_model(model, data, source, fields)
    if found is None:
        raise ValidationError.collect(problems)
    return found


def check_model(
    model: type[M],
    data: Any,
    source: SourceMap,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> tuple[M | None, list[Problem], list[Loc]]:
    """The model, or ``None`` with every located problem and the data location of each."""
    empty = _empty_fields(data, source) if model is Process else []
    stray, strays = _stray_role_fields(data, source) if ("roles", "*") in fields else ([], set())
    empty += stray
    try:
        found = model.model_validate(data)
    except pydantic.ValidationError as exc:
        # A role's fields written at the roles' indent: the one message about them
        # says all that the empty role and each "role" named after a field would.
        errors = [
            error
            for error in exc.errors()
            if not (error["loc"][:1] == ("roles",) and error["loc"][1:2] in strays)
        ]
        # A misspelt field ("onwer") is one mistake: its "did you mean 'owner'?"
        # says all that "missing field 'owner'" would.
        meant = {
            (*error["loc"][:-1], close)
            for error in errors
            if error["type"] == "extra_forbidden" and (close := _meant(error["loc"], fields, data))
        }
        # A step whose 'milestone' or 'process' is misspelt ("milstone"), unreadable
        # ("milestone:" left empty) or not a valid id may be a milestone or a call: its
        # missing owner and time, and a count "without a process", would only repeat
        # that one mistake.
        unsure = {error["loc"][1] for error in errors if _kind_unsure(error, fields, data)}
        meant |= {("steps", index, name) for index in unsure for name in ("owner", "time")}
        # {amount: $1,500}: one number a comma cut into a value and a field '500'.
        cuts = _numbers_cut(errors, data, source)
        problems = [_cut_problem(head, parts, data, source) for head, parts in cuts.items()]
        problems += [
            _problem(error, source, data, fields)
            for error in errors
            if not _in_cut(_user_loc(error["loc"], data), cuts)
            and not (error["type"] == "missing" and tuple(error["loc"]) in meant)
            # when: {유료: true}: the structure check says no condition has that name
            and not (
                error["loc"][:1] == ("steps",)
                and error["loc"][2:3] == ("when",)
                and error["loc"][-1] == "[key]"
            )
            and not (
                error["msg"] == COUNT_WITHOUT_PROCESS
                and error["loc"][:2] in {("steps", index) for index in unsure}
            )
        ]
        problems += [problem for problem, _ in empty]
        wrong = [_user_loc(error["loc"], data) for error in errors] + list(cuts)
        return None, dedupe(problems), wrong + [loc for _, loc in empty]
    if empty:
        return None, [problem for problem, _ in empty], [loc for _, loc in empty]
    return found, [], []


def _kind_unsure(
    error: Any, fields: dict[tuple[str, ...], type[pydantic.BaseModel]], data: Any
) -> bool:
    """Whether ``error`` leaves a step's kind (work, milestone or call) in doubt."""
    loc = tuple(error["loc"])
    if len(loc) != 3 or loc[0] != "steps":
        return False
    if loc[2] in _KIND_FIELDS:
        return True
    return error["type"] == "extra_forbidden" and _meant(loc, fields, data) in _KIND_FIELDS


#: The step fields that make a step a milestone or a call instead of work.
_KIND_FIELDS = ("milestone", "process")


def _empty_fields(data: Any, source: SourceMap) -> list[tuple[Problem, Loc]]:
    """Step fields written with nothing after them (``due:``): the model would read each
    as absent, so a forgotten or mis-indented value would pass unnoticed."""
    found = []
    for index, step in enumerate(steps_of(data)):
        for name, hint in NOT_EMPTY.items():
            if name in step and step[name] is None:
                loc: Loc = ("steps", index, name)
                where = _describe(loc, data)
                found.append(
                    (source.problem(loc, f"{_prefix(where)}no value given", hint=hint), loc)
                )
    return found


def _stray_role_fields(
    data: Any, source: SourceMap
) -> tuple[list[tuple[Problem, Loc]], set[tuple[str]]]:
    """A role's fields written at the roles' own indent, under a role left empty:

    ```
    roles:
      Customer Success Manager:
      rate: 55
    ```

    YAML reads an empty role and a role called ``rate``. Each such run of fields is
    one problem, at the first of them; the second part is the roles (as the
    ``loc[1:2]`` of their errors) whose errors it replaces. In braces
    (``roles: {Writer: , rate: 5}``) the same slip has no indent to fix: the fields
    go in braces of the role's own, so that is what it is told.
    """
    roles = data.get("roles") if isinstance(data, dict) else None
    if not isinstance(roles, dict):
        return [], set()
    flow = _in_braces(source, ("roles",))
    runs: list[tuple[str, list[str]]] = []
    for name, value in roles.items():
        if not (name in ROLE_FIELDS and not isinstance(value, dict)):
            runs.append((name, []))
        elif runs and roles[runs[-1][0]] is None:
            runs[-1][1].append(name)
    found: list[tuple[Problem, Loc]] = []
    strays: set[tuple[str]] = set()
    for role, names in runs:
        if not names:
            continue
        strays |= {(role,), *((name,) for name in names)}
        read = "is read as a role" if len(names) == 1 else "are read as roles"
        them = "it" if len(names) == 1 else "them"
        line, _ = source.locate(("roles", role), key=True)
        fields = ", ".join(
            f"{name}: {'…' if roles[name] is None else short(roles[name])}" for name in names
        )
        if flow:
            message = f"{read}: put {them} inside braces after '{role}'"
            hint = f"role '{role}' on line {line} has no fields: write {role}: {{{fields}}}"
        else:
            message = f"{read}: indent {them} under '{role}'"
            hint = (
                f"role '{role}' on line {line} has no fields: write them further in "
                f"than its name, or as {role}: {{{fields}}}"
            )
        loc: Loc = ("roles", names[0])
        found.append(
            (
                source.problem(loc, f"{quoted_names(names)} {message}", hint=hint, key=True),
                loc,
            )
        )
    return found, strays


def _in_braces(source: SourceMap, loc: Loc) -> bool:
    """Whether the mapping at ``loc`` is written in braces (flow style), where nothing
    is indented; read from the text, as the values keep no style."""
    line, column = source.values.get(loc, (None, None))
    text = source.line(line) if line is not None else None
    return text is not None and column is not None and text[column - 1 : column] == "{"


def _allowed(loc: Loc, fields: dict[tuple[str, ...], type[pydantic.BaseModel]]) -> list[str] | None:
    """The fields the mapping at ``loc`` may hold, in reading order, if its model is known."""
    known = fields.get(_shape(loc))
    if known is None:
        return None
    return sorted(
        (f.alias or n for n, f in known.model_fields.items()),
        key=lambda n: READING_ORDER.get(n, len(READING_ORDER)),
    )


def _meant(
    loc: Loc, fields: dict[tuple[str, ...], type[pydantic.BaseModel]], data: Any = None
) -> str | None:
    """The field an unknown key at ``loc`` most likely misspells or names in other words
    (``depends_on`` for ``after``), if one is allowed there.

    A typo of one letter wins over another tool's word (``role`` at the top is
    ``roles``); another tool's word is not offered for a field the mapping has.
    """
    allowed = _allowed(tuple(loc[:-1]), fields)
    if not allowed:
        return None
    name = str(loc[-1])
    close = closest(name, allowed)
    if close is not None and edit_distance(name.lower(), close.lower()) <= 1:
        return close
    other = _OTHER_WORDS.get(name.strip().lower().replace("-", "_").replace(" ", "_"))
    if other in allowed and other not in _keys_at(data, loc[:-1]):
        return other
    return close


def _keys_at(data: Any, loc: Loc) -> set[str]:
    """The keys of the mapping at ``loc`` in the document (none when there is none)."""
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return set()
    return {str(key) for key in data} if isinstance(data, dict) else set()


#: What other tools and habits call sopkit's fields; each is offered only where that
#: field is allowed (``type`` is a role's ``kind``).
_OTHER_WORDS = {
    **dict.fromkeys(
        "depends_on depends dependencies dependson requires predecessors prerequisites "
        "needs follows".split(),
        "after",
    ),
    **dict.fromkeys("assignee responsible performer role".split(), "owner"),
    **dict.fromkeys("duration effort hours estimate".split(), "time"),
    **dict.fromkeys("chance likelihood odds percent".split(), "probability"),
    **dict.fromkeys("participants helpers collaborators together".split(), "with"),
    **dict.fromkeys("deadline due_date".split(), "due"),
    **dict.fromkeys("signoff sign_off approve approved_by".split(), "approval"),
    **dict.fromkeys("calls subprocess sub_process procedure".split(), "process"),
    **dict.fromkeys("is_milestone event".split(), "milestone"),
    **dict.fromkeys("type category".split(), "kind"),
    **dict.fromkeys("hourly_rate cost_per_hour hourly wage".split(), "rate"),
    **dict.fromkeys("goto back_to target".split(), "to"),
}


def dedupe(problems: list[Problem], parsed: Sequence[Problem] = ()) -> list[Problem]:
    """Each problem once; where the parse found one (an impossible date), only that one:
    the field's complaint about what was read in its place would say it again."""
    at = {(p.path, p.line, p.column) for p in parsed}
    return [
        p for p in dict.fromkeys(problems) if p in parsed or (p.path, p.line, p.column) not in at
    ]


def _shape(loc: Loc) -> tuple[str, ...]:
    """``("steps", 3, "rework")`` → ``("steps", "#", "rework")`` to look up its model."""
    shape: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            shape.append("#")
        elif (
            i > 0
            and loc[i - 1] in ("roles", "conditions")
            and i == 1
            or (i > 0 and loc[i - 1] == "roles")
        ):
            shape.append("*")
        else:
            shape.append(part)
    return tuple(shape)


def _cut_by_comma(name: str, loc: Loc, source: SourceMap) -> bool:
    """Whether an unknown field looks like the rest of a text a comma cut in a ``{...}``
    mapping: words with no value, after a comma, on a line that opens one (``{kind:
    external, description: Customer or expert, unpaid}`` as well as ``…, budget and
    go/no-go}``)."""
    line, _ = source.locate(loc, key=True)
    text = source.line(line) if line is not None else None
    if text is None or "{" not in text:
        return False
    return re.search(rf",\s*{re.escape(name.strip())}\s*[,}}]", text) is not None


#: What a comma in braces cuts off a number: ``500`` of ``{amount: 1,500}``, ``200/year``
#: of ``{tool_cost: $1,200/year}``, ``5h`` of ``{time: 1,5h}``.
_NUMBER_PART = re.compile(r"\d+(?:\.\d+)?[a-z]*(?:/\w+)?")
#: What such a comma leaves of the number before it: ``1``, ``$1``, ``USD 1``.
_NUMBER_START = re.compile(r"\s*(?:[A-Za-z]{3}\s*|[^\w\s,]\s*)?\d+\s*")
#: The fields that take an amount of money, as ``plain_amount_hint`` reads them.
_MONEY = {"amount": PLAIN_NUMBER, "rate": PLAIN_NUMBER, "tool_cost": PLAIN_COST}


def _numbers_cut(errors: Sequence[Any], data: Any, source: SourceMap) -> dict[Loc, list[Loc]]:
    """Numbers a comma cut in a ``{...}`` mapping, each as the field written first and
    the keys the rest became: ``{amount: $1,500}`` is ``amount: $1`` and a field ``500``
    with no value (YAML reads a comma there as the end of the value). The keys are
    unknown fields, found by their errors; the field before them must hold a number."""
    cuts: dict[Loc, list[Loc]] = {}
    for error in errors:
        loc = _user_loc(error["loc"], data)
        if error["type"] != "extra_forbidden" or not loc or error.get("input") is not None:
            continue
        mapping = _at(data, loc[:-1])
        name = str(loc[-1])
        if not isinstance(mapping, dict) or not _NUMBER_PART.fullmatch(name):
            continue
        keys = [str(key) for key in mapping]
        before = keys.index(name) - 1 if name in keys else -1
        while (
            before >= 0 and _NUMBER_PART.fullmatch(keys[before]) and mapping[keys[before]] is None
        ):
            before -= 1
        if before < 0 or not _ends_in_a_digit(mapping[keys[before]]):
            continue
        if _in_braces(source, loc[:-1]):
            cuts.setdefault((*loc[:-1], keys[before]), []).append(loc)
    return cuts


def _ends_in_a_digit(value: Any) -> bool:
    """Whether a value is what a comma may have cut a number to: ``1``, ``$1``, ``USD 1``."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | Decimal) or (
        isinstance(value, str) and _NUMBER_START.fullmatch(value) is not None
    )


def _in_cut(loc: Loc, cuts: dict[Loc, list[Loc]]) -> bool:
    """Whether an error at ``loc`` is about a cut number: its first part or the rest."""
    return any(loc[: len(head)] == head or loc in parts for head, parts in cuts.items())


def _cut_problem(head: Loc, parts: list[Loc], data: Any, source: SourceMap) -> Problem:
    """One problem for a number a comma cut, at its first part, with how to write it."""
    names = [str(part[-1]) for part in parts]
    text = _cut_text(head, parts, source) or ",".join([str(_at(data, head)), *names])
    field = str(head[-1])
    plain = _MONEY.get(field)
    compact = re.sub(r",\s+", ",", text)  # {amount: 1, 500}
    hint = plain_amount_hint(
        compact, plain or PLAIN_NUMBER, per_hour=field == "rate", money=plain is not None
    )
    if hint is None:
        groups = all(re.match(r"\d{3}(?!\d)", name) for name in names)
        hint = (
            f"write {compact.replace(',', '')}: no thousands separator"
            if groups
            else f"write {compact.replace(',', '.')}: a decimal point, not a comma"
        )
    at = "its commas" if len(parts) > 1 else "the comma"
    message = f"'{short(text)}' is cut at {at}: a comma inside {{ }} separates fields"
    return source.problem(head, f"{_prefix(_describe(head, data))}{message}", hint=hint)


def _cut_text(head: Loc, parts: list[Loc], source: SourceMap) -> str | None:
    """The cut number as written, from its first part to the end of the last."""
    line, column = source.locate(head)
    last = parts[-1]
    end_line, end_column = source.locate(last, key=True)
    text = source.line(line) if line is not None else None
    if text is None or column is None or end_line != line or end_column is None:
        return None
    return text[column - 1 : end_column - 1 + len(str(last[-1]))]


def _at(data: Any, loc: Loc) -> Any:
    """The value at ``loc`` in the document, or ``None``."""
    for part in loc:
        if not _has(data, part):
            return None
        data = data[part]
    return data


def _belongs_under(
    name: str, loc: Loc, data: Any, fields: dict[tuple[str, ...], type[pydantic.BaseModel]]
) -> str | None:
    """The empty key beside an unknown field whose own fields include it: ``to:`` and
    ``probability:`` written at the step's indent under an empty ``rework:``."""
    parent: Any = data
    for part in loc[:-1]:
        if not _has(parent, part):
            return None
        parent = parent[part]
    if not isinstance(parent, dict):
        return None
    shape = _shape(loc[:-1])
    for key, value in parent.items():
        model = fields.get((*shape, str(key)))
        if value is None and model is not None:
            if name in {f.alias or n for n, f in model.model_fields.items()}:
                return str(key)
    return None


def _problem(
    error: Any,
    source: SourceMap,
    data: Any,
    fields: dict[tuple[str, ...], type[pydantic.BaseModel]],
) -> Problem:
    loc: Loc = _user_loc(error["loc"], data)
    kind = error["type"]
    where = _describe(loc, data)
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed(loc[:-1], fields)
        hint: str | None = "remove it"
        close = None
        if allowed is not None:
            close = _meant(loc, fields, data)
            hint = f"did you mean '{close}'?" if close else ("allowed here: " + ", ".join(allowed))
        under = _belongs_under(name, loc, data, fields)
        if under is not None:
            hint = f"it belongs to '{under}:' above, which is empty: indent it under '{under}:'"
        elif loc[:1] == ("steps",) and (
            (close is None and name.lower() == "date")
            or (close == "due" and isinstance(error.get("input"), _dt.date))
        ):  # date: …, or deadline: 2026-03-12: dates are given when a run is planned
            hint = date_hint(loc, data, error.get("input"))
        elif close is None and error.get("input") is None and _cut_by_comma(name, loc, source):
            hint = (
                "a comma inside {...} ends the value before it: put text that has a comma "
                'in quotes, e.g. description: "Approves the tier, budget and go/no-go"'
            )
        return source.problem(
            loc, f"{_prefix(where[:-1])}unknown field '{short(name)}'", hint=hint, key=True
        )
    if kind == "missing":
        name = str(loc[-1])
        return source.problem(
            loc[:-1],
            f"{_prefix(where[:-1])}missing required field '{name}'",
            hint=MISSING_HINTS.get(name, f"add '{name}: …'"),
        )
    message = error["msg"]
    hint = ctx.get("hint")
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if kind == "literal_error" and loc == ("sopkit",):
        message, hint = (
            "unsupported format version",
            "this sopkit reads format version 1: 'sopkit: 1'",
        )
    elif kind == "enum" and field == "language":
        given = str(error["input"]).strip().lower()
        meant = LANGUAGE_WORDS.get(given) or closest(given, ["en", "ko", "ru"])
        message = f"unknown language '{short(error['input'])}'"
        hint = (
            f"did you mean '{meant}'? sopkit speaks en, ko and ru" if meant else "use en, ko or ru"
        )
    elif kind in ("literal_error", "enum") and field and ctx.get("expected"):
        # kind: agency, per: monthly: what the field takes, in sopkit's words, not
        # pydantic's "input should be".
        given = error.get("input")
        written = isinstance(given, str | int | Decimal) and not isinstance(given, bool)
        message = f"{field} must be {ctx['expected']}, " + (
            f"not '{short(given)}'" if written else f"got {_kind_word(given)}"
        )
    elif kind in ("model_type", "model_attributes_type", "dataclass_type"):
        message = f"should be a mapping of fields, got {_kind_word(error['input'])}"
    elif kind == "too_short" and loc == ("steps",):
        message = "a process needs at least one step"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind == "dict_type":
        message = f"should be a mapping, got {_kind_word(error['input'])}"
    elif kind == "decimal_parsing" and isinstance(error["input"], str):
        message = f"'{short(error['input'])}' is not a number"
    elif kind.endswith("_type") or kind.startswith(("string_", "decimal_", "list_", "dict_")):
        message = f"{message}, got {_kind_word(error['input'])}"
    percent = percent_hint(error.get("input"))
    if percent is not None and kind not in RANGE_ERRORS:
        # "70%" where a share is wanted: the same figure, written as a fraction of 1.
        message = f"'{short(error['input'])}' is a percentage; write it as a number"
        hint = f"write {percent} for {short(error['input']).strip()}"
    named = id_named(data, error.get("input")) if names_a_step(loc) else None
    if named is not None:  # after: [캠페인 오픈]: a step's name where its id belongs
        hint = f"write the step's id, '{named}': '{short(error['input'])}' is its name"
    under = _belongs_under(field, loc, data, fields) if field else None
    if under is not None:
        # "milestone: launch" at the step's indent, meant for the empty "due:" above.
        hint = f"did you mean it for '{under}:' above, which is empty? indent it under '{under}:'"
    if hint is None and field == "due" and isinstance(error.get("input"), _dt.date):
        hint = date_hint(loc, data, error["input"])
    if hint is None:
        hint = hint_for(kind, field, loc, error.get("input"), ctx)
    message = _lower_first(message)
    if field and message.startswith(f"{field} "):
        where = where[:-1]  # "time must be above zero" names its field: not "time: time …"
    return source.problem(loc, f"{_prefix(where)}{message}", hint=hint)


def _is_pydantic_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _user_loc(loc: Loc, data: Any) -> Loc:
    """``loc`` without the parts pydantic adds (``function-after[…]``, ``[key]``).

    A part found in the data is the user's, even with a ``[`` in it (a typo like
    ``s[opkit:``), so a location never loses a key the user wrote.
    """
    kept: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            kept.append(part)
            node = node[part]
        elif not _is_pydantic_tag(part):
            kept.append(part)
            node = None
    return tuple(kept)


def _describe(loc: Loc, data: Any) -> list[str]:
    """Human names for a location: ``step 'draft'`` instead of ``steps.2``."""
    words: list[str] = []
    node = data
    for i, part in enumerate(loc):
        child = node[part] if _has(node, part) else None
        if isinstance(part, int) and i > 0 and loc[i - 1] == "steps":
            step_id = child.get("id") if isinstance(child, dict) else None
            words[-1] = f"step '{step_id}'" if isinstance(step_id, str) else f"step {part + 1}"
        elif isinstance(part, int):
            words.append(f"item {part + 1}")
        elif i > 0 and loc[i - 1] == "roles":
            words[-1] = f"role '{part}'"
        else:
            words.append(str(part))
        node = child
    return words


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _prefix(words: list[str]) -> str:
    return (": ".join(words) + ": ") if words else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _kind_word(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{short(value)}'"
