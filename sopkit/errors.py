"""Errors for user mistakes.

Everything a user can get wrong (a typo in a process file, a missing rate, an
output path that would overwrite an input) is raised as a ``SopkitError`` that
carries one or more located ``Problem``s. The CLI catches this one type and
prints ``path:line:col: error: message (hint)`` lines; anything else is a bug.

    SopkitError
    ├── InputError        the file cannot be read as a process (size, bytes, YAML)
    ├── ValidationError   the file reads, but breaks the format's rules
    ├── RenderError       a renderer is missing or failed (e.g. no Graphviz)
    ├── OutputError       an output path is unsafe (escapes, overwrites an input)
    └── UsageError        the call is wrong, not the files: an unknown format,
                          library process or step id, a missing argument (the
                          CLI exits 2 for these, 1 for the others)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = [
    "InputError",
    "OutputError",
    "Problem",
    "RenderError",
    "SopkitError",
    "UsageError",
    "ValidationError",
    "quoted_names",
]


def quoted_names(names: Sequence[str]) -> str:
    """``'id', 'name' and 'time'``: names as one message lists them."""
    quoted = [f"'{name}'" for name in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


@dataclass(frozen=True, slots=True)
class Problem:
    """One located mistake; several may be reported for one file."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    step: str | None = None
    severity: str = "error"
    #: A warning's code (``wait-at-end``, see ``sopkit.codes``): what an ``accept:`` names.
    code: str | None = None
    #: The role a warning is about, as ``step`` names the step: where it can be accepted.
    role: str | None = None

    def format(self) -> str:
        """The compiler-style line the CLI prints: ``path:line:col: error: msg (hint)``,
        and a warning's code at its end (``… [no-done-when]``) for an ``accept:``."""
        where = [_UNSAFE.sub(_escape, self.path or "sopkit")]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        text = f"{':'.join(where)}: {self.severity}: {_one_line(self.message)}"
        if self.hint:
            text += f" ({_one_line(self.hint)})"
        if self.code:
            text += f" [{self.code}]"
        return text

    def as_warning(self, code: str, *, step: str | None = None, role: str | None = None) -> Problem:
        """This problem as a warning of kind ``code`` about ``step`` or ``role``: what an
        ``accept:`` on that step or role (or its file) can accept."""
        return replace(
            self, severity="warning", code=code, step=step or self.step, role=role or self.role
        )

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path or "", self.line or 0, self.column or 0, self.message)


def _one_line(text: str) -> str:
    """Keep each problem on one line so tools can grep and editors can jump.

    Control and bidirectional-override characters from a hostile file are shown
    escaped (``\\x1b``, ``\\u202e``) so a message can never drive the terminal.
    """
    return _UNSAFE.sub(_escape, " ".join(text.split()))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: How many problems ``str()`` of an error lists before it says how many more there are.
SHOWN_PROBLEMS = 10


class SopkitError(Exception):
    """A user mistake, located in a file, with a hint on how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        step: str | None = None,
        problems: Sequence[Problem] | None = None,
    ) -> None:
        if problems:
            self.problems: tuple[Problem, ...] = tuple(problems)
        else:
            self.problems = (
                Problem(
                    message,
                    path=None if path is None else str(path),
                    line=line,
                    column=column,
                    hint=hint,
                    step=step,
                ),
            )
        super().__init__(self.problems[0].format() if len(self.problems) == 1 else message)

    def __str__(self) -> str:
        """Every problem as the command line prints it (the first ten of more), so an
        error a program or notebook does not catch still says where each one is."""
        if len(self.problems) == 1:
            return self.problems[0].format()
        shown = [p.format() for p in self.problems[:SHOWN_PROBLEMS]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"… and {more} more (all of them in .problems)")
        return "\n".join([f"{self.summary}:", *shown])

    @property
    def summary(self) -> str:
        """The one-line summary: the problem itself, or how many there are."""
        return str(self.args[0]) if self.args else ""

    @classmethod
    def collect(cls, problems: Iterable[Problem], summary: str = "") -> SopkitError:
        """One error for many problems, sorted by where they are."""
        ordered = sorted(problems, key=lambda p: p.sort_key)
        if not ordered:
            raise ValueError("collect() needs at least one problem")
        text = summary or f"{len(ordered)} problems"
        return cls(text, problems=ordered)

    # The first problem's parts, for the many errors that have one: ``exc.path`` reads as
    # naturally as ``exc.problems[0].path``.

    @property
    def first(self) -> Problem:
        """The first problem, in file and line order."""
        return self.problems[0]

    @property
    def path(self) -> str | None:
        """The first problem's file, if it has one."""
        return self.first.path

    @property
    def line(self) -> int | None:
        """The first problem's line (1-based), if known."""
        return self.first.line

    @property
    def column(self) -> int | None:
        """The first problem's column (1-based), if known."""
        return self.first.column

    @property
    def hint(self) -> str | None:
        """How to fix the first problem, if sopkit can say."""
        return self.first.hint

    @property
    def message(self) -> str:
        """The first problem's message, without its place or hint."""
        return self.first.message

    def format(self) -> str:
        """Every problem, one ``path:line:col: error: message (hint)`` line each."""
        return "\n".join(p.format() for p in self.problems)


class InputError(SopkitError):
    """A file sopkit cannot open as one: missing, a folder, unreadable or too large.

    Reading one file on its own (``read_document``, a scenario, a BPMN file) also
    raises it for text that is not UTF-8 or not YAML.
    """


class ValidationError(SopkitError):
    """The files do not make valid processes: loading a process or a portfolio reports
    every problem of every file at once (YAML syntax and encoding among them) as one."""


class RenderError(SopkitError):
    """A renderer is missing or failed, e.g. no Graphviz to draw a PNG."""


class OutputError(SopkitError):
    """An output path is unsafe: it escapes the output folder or would overwrite an input."""


class UsageError(SopkitError):
    """The call is wrong, not the files: a value no option or argument takes
    (an unknown format, library process or step id), or a missing argument."""
