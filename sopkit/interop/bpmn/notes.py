"""Warnings an import collects: each names what was approximated and the element it is about."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ...errors import Problem

__all__ = ["Notes", "clean_name", "first_few", "slugify", "text_lines"]


class Notes:
    """Warnings about one file, printed ``FILE: warning: message (element)``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        #: The id of the element each warning is about: the process file it goes to is
        #: the one holding that element.
        self.about: list[str | None] = []
        self._seen: set[tuple[str, str | None]] = set()

    def warn(self, message: str, element: str | None, *, shown: str | None = None) -> None:
        """Note ``message`` about the element with id ``element``, named ``shown`` (by
        default its id) in the warning."""
        message = " ".join(message.split())  # one line: a note is also a YAML comment
        key = (message, element)
        if key in self._seen:
            return
        self._seen.add(key)
        hint = shown if shown is not None else element
        self.problems.append(Problem(message, path=self.path, hint=hint).as_warning("import-guess"))
        self.about.append(element)


def first_few(names: Sequence[str], shown: int = 3) -> str:
    """``'a', 'b', 'c' and 4 more``: a warning about many elements names a few."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(f"'{name}'" for name in names[:shown]) + more


def clean_name(text: str) -> str:
    """A name with its line breaks and runs of spaces made single spaces, as modelers wrap them."""
    return " ".join(text.split())


#: A list item's marker at the start of a line: ``1.``, ``2)``, ``-``, ``*``, ``•``.
_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+")


def text_lines(text: str) -> list[str]:
    """A documentation's lines, as its writer typed them (a modeler stores only the line
    breaks typed, and wraps the rest to fit its box), without list markers: the SOP
    numbers instructions itself, so ``1. Open the file`` is ``Open the file``."""
    found = (clean_name(_MARKER.sub("", line)) for line in text.splitlines())
    return [line for line in found if line]


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60) -> str:
    """An id from a name: ASCII letters and digits joined by '-' (empty when none are left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:  # cut between words where one ends close enough
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[: cut if cut > limit // 2 else limit]
    return slug.strip("-")
