"""The warning codes: one short, stable name for each kind of warning sopkit gives.

A warning line ends in its code (``… [wait-at-end]``) so a team that has looked
at one and decided it is deliberate knows what to write in the ``accept:`` of
the step, role or file it is about. Codes are an interface, like the JSON keys:
one is never renamed or given another meaning (docs/format.md lists them all).

Each code says who checks it and whether a file can accept it: the warnings of
``sopkit validate`` (and ``build``), those of ``sopkit plan``, and the few that
no file can accept (an import's guesses, an ``accept`` that accepts nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACCEPTABLE",
    "ACCEPT_UNUSED",
    "CODES",
    "PLACES",
    "About",
    "Checker",
    "Place",
    "WarningCode",
    "accepted_in",
]

#: Where an ``accept:`` stands: on a step, a role (in a roles file or a process's
#: ``roles:``), a process (its whole file) or a roles file (the whole file).
Place = Literal["step", "role", "process", "roles file"]

#: What a warning is about: a place an ``accept:`` stands, or what no file can accept
#: (a BPMN file ``sopkit import bpmn`` reads, an ``accept`` entry itself).
About = Literal["step", "role", "process", "roles file", "BPMN file", "accept"]

#: Which command finds a warning: ``validate`` (and ``build``, which shares its
#: checks), ``plan``, or ``import`` (``sopkit import bpmn``).
Checker = Literal["validate", "plan", "import"]


@dataclass(frozen=True, slots=True)
class WarningCode:
    """One kind of warning.

    ``about`` is what the warning is about (a step, a role, a process, a roles
    file), and so where an ``accept`` of it goes: there, or on its whole file.
    ``together`` marks the warnings that depend on which files are checked
    together (a role's hours, a process nothing given runs): an accept of one of
    them that accepts nothing is not reported, since another set of files may
    need it.
    """

    code: str
    meaning: str
    about: About
    checker: Checker = "validate"
    together: bool = False
    acceptable: bool = True


#: An ``accept`` entry that accepted no warning: never acceptable itself.
ACCEPT_UNUSED = "accept-unused"

_ALL = (
    WarningCode("no-purpose", "a process without `purpose`", "process"),
    WarningCode("no-done-when", "a step of work without `done_when`", "step"),
    WarningCode("owner-in-with", "a step's owner also listed in its `with`", "step"),
    WarningCode("unused-condition", "a condition no step's `when` names", "process"),
    WarningCode("cut-by-comment", "a text value cut short by a `#` on its line", "step"),
    WarningCode(
        "language-mismatch",
        "the names are Korean or Russian but `language` is `en`",
        "process",
    ),
    WarningCode(
        "wait-at-end",
        "a `wait` on a step no step comes after, in a process that runs on its own",
        "step",
        together=True,
    ),
    WarningCode(
        "no-frequency",
        "a process without `frequency` that no process given runs",
        "process",
        together=True,
    ),
    WarningCode(
        "over-capacity",
        "a role with more hours of work than its headcount has",
        "role",
        together=True,
    ),
    WarningCode(
        "other-working-year",
        "a roles file whose working year is not the portfolio's",
        "roles file",
        together=True,
    ),
    WarningCode(
        "capacity-redefined",
        "a role given another headcount or available_hours than where the portfolio takes it from",
        "role",
        together=True,
    ),
    WarningCode(
        "due-needs-hold",
        "a due date only a plan placed by its milestone meets, by holding the milestone "
        "(the run is then longer than the lead time)",
        "step",
    ),
    WarningCode(
        "due-missed",
        "a step the plan's steps cannot get done by its due date",
        "step",
        checker="plan",
    ),
    WarningCode(
        "due-missed-levelled",
        "a step a levelled plan (`--level`) gets done after its due date, its people being busy",
        "step",
        checker="plan",
    ),
    WarningCode(
        "due-unchecked",
        "a due date counted from a milestone the typical run does not reach",
        "step",
        checker="plan",
    ),
    WarningCode(
        "import-guess",
        "what `sopkit import bpmn` had to guess or leave out",
        "BPMN file",
        checker="import",
        acceptable=False,
    ),
    WarningCode(
        ACCEPT_UNUSED,
        "an `accept` entry that accepts no warning",
        "accept",
        acceptable=False,
    ),
)

#: Every warning code, in the order docs/format.md lists them.
CODES: dict[str, WarningCode] = {item.code: item for item in _ALL}

#: The codes an ``accept:`` may name.
ACCEPTABLE: tuple[str, ...] = tuple(item.code for item in _ALL if item.acceptable)

#: What each place's ``accept:`` may name: a step's and a role's, the warnings about
#: them; a file's, every warning that can stand in it.
PLACES: dict[Place, frozenset[str]] = {
    "step": frozenset(c for c in ACCEPTABLE if CODES[c].about == "step"),
    "role": frozenset(c for c in ACCEPTABLE if CODES[c].about == "role"),
    "process": frozenset(c for c in ACCEPTABLE if CODES[c].about in ("step", "role", "process")),
    "roles file": frozenset(c for c in ACCEPTABLE if CODES[c].about in ("role", "roles file")),
}


def accepted_in(place: Place) -> tuple[str, ...]:
    """The codes an ``accept:`` at ``place`` may name, in the order of ``CODES``."""
    return tuple(code for code in ACCEPTABLE if code in PLACES[place])
