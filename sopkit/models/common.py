"""What every model of the format shares: the strict base model, slugs and text.

Text is checked here once for every field that holds it: control characters,
unbalanced bidirectional marks and length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, PydanticKnownError

from ..codes import ACCEPTABLE, CODES, Place, accepted_in
from ..suggest import closest

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


#: One set of given field names per combination, shared by every model given those
#: fields (see ``_Model.model_post_init``).
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of given field names with every model given the same ones.

        pydantic keeps a set of them per model (700 bytes for a step of six
        fields, 140 MB for 10,000 processes); a model is frozen, so its set is
        never changed (copies get their own), and a portfolio's steps repeat a
        few combinations of fields.
        """
        given = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.get(key := frozenset(given))
        if shared is None:
            if len(_FIELDS_SETS) < 4096:
                _FIELDS_SETS[key] = given
        elif shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


def _check_slug(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        raise _fail(
            f"'{_shown(value)}' is too long: ids have at most {MAX_ID_LENGTH} characters",
            "use a shorter id; it becomes a file name",
        )
    if isinstance(value, str) and not _SLUG_RE.fullmatch(value):
        shown = _shown(value) if value.isprintable() else repr(value)[1:-1]
        hint = "ids are lowercase ASCII letters, digits and '-', starting with a letter or digit"
        names = [name.strip() for name in value.split(",")]
        if len(names) > 1 and all(_SLUG_RE.fullmatch(name) for name in names):
            hint = f"to name several, write a list: [{', '.join(names)}]"
        raise _fail(f"'{_shown(shown)}' is not a valid id", hint)
    return value


Slug = Annotated[
    str,
    BeforeValidator(_check_slug),
    # The length is declared for the JSON Schema only: ``_check_slug`` refuses longer
    # ids itself (pydantic would apply a max_length after it as one more Python call).
    Field(json_schema_extra={"maxLength": MAX_ID_LENGTH, "pattern": SLUG}),
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
        if value:
            return value  # no control (Cc) or bidi format (Cf) character: nothing to check
        raise _too_short()
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


def _too_short() -> PydanticKnownError:
    """The error ``Field(min_length=1)`` gives an empty text: checked in ``_text`` instead,
    because pydantic applies that constraint after a validator as one more Python call
    (on every text of every file), while only the JSON Schema needs it declared."""
    return PydanticKnownError(
        "too_short", {"field_type": "Value", "min_length": 1, "actual_length": 0}
    )


Text = Annotated[str, BeforeValidator(_text), Field(json_schema_extra={"minLength": 1})]


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


# --- accepted warnings ------------------------------------------------------------------

#: Where each place's ``accept:`` sends a code that is about something else.
_PLACE_HINTS: dict[str, str] = {
    "step": "accept it on the step it is about",
    "role": "accept it on the role, in the roles file or the process's 'roles:'",
    "process": "accept it in the process's own 'accept'",
    "roles file": "accept it in the roles file's own 'accept'",
}


def _accept_code(place: Place) -> Callable[[Any], Any]:
    """The check of one code in an ``accept:`` at ``place``: a code that place can accept,
    or an error that says which was meant (each warning line ends in its code)."""
    here = accepted_in(place)

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise _fail("'accept' lists warning codes", "e.g. accept: [no-done-when]")
        known = CODES.get(value)
        if known is None:
            close = closest(value, here) or closest(value, ACCEPTABLE)
            raise _fail(
                f"no warning code '{_shown(value)}'",
                f"did you mean '{close}'?"
                if close
                else "each warning line ends in its code, e.g. [no-done-when]; here: "
                + ", ".join(here),
            )
        if not known.acceptable:
            if known.checker == "import":
                raise _fail(
                    f"'{value}' is a warning of sopkit import bpmn: no process file accepts it",
                    "remove it",
                )
            raise _fail(
                f"'{value}' cannot be accepted",
                "remove the 'accept' entry that accepts nothing instead",
            )
        if value not in here:
            raise _fail(
                f"'{value}' is a warning about {_a(known.about)}, not {_a(place)}",
                _PLACE_HINTS[known.about],
            )
        return value

    return check


def _a(thing: str) -> str:
    return f"the {thing}" if thing == "process" else f"a {thing}"


def _once(codes: list[str]) -> list[str]:
    twice = next((code for i, code in enumerate(codes) if code in codes[:i]), None)
    if twice is not None:
        raise _fail(f"'accept' names '{twice}' twice", "give each code once")
    return codes


def _code_schema(place: Place) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(accepted_in(place))})


def _accept_description(place: Place) -> Any:
    """What the JSON Schema says of the ``accept:`` at ``place``, and that a list field
    takes one bare code too."""
    about = "file" if place in ("process", "roles file") else place
    return Field(
        json_schema_extra=_or_single,
        description=f"codes of warnings about this {about} accepted on purpose (each warning "
        "line ends in its code): they are not shown, and --strict passes them",
    )


def _accept_type(place: Place) -> Any:
    """The type of an ``accept:`` at ``place``: a list of the warning codes that place
    can accept (one bare code too), each once, with its JSON Schema. One factory, so
    the four places cannot drift apart."""
    code = Annotated[str, BeforeValidator(_accept_code(place)), _code_schema(place)]
    return Annotated[
        list[code],
        BeforeValidator(_text_list),
        AfterValidator(_once),
        _accept_description(place),
    ]


# ``accept:`` on a step, a role, a process and a roles file: the warning codes accepted
# there (sopkit/accept.py), each one that place can accept. To a type checker each is
# the list of codes it holds.
if TYPE_CHECKING:
    StepAccept = list[str]
    RoleAccept = list[str]
    ProcessAccept = list[str]
    RolesFileAccept = list[str]
else:
    StepAccept = _accept_type("step")
    RoleAccept = _accept_type("role")
    ProcessAccept = _accept_type("process")
    RolesFileAccept = _accept_type("roles file")
