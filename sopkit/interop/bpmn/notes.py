"""Warnings an import collects: each names what was approximated and the element's id."""

from __future__ import annotations

import re
import unicodedata

from ...errors import Problem

__all__ = ["Notes", "clean_name", "paragraphs", "slugify"]


class Notes:
    """Warnings about one file, printed ``FILE: warning: message (element id)``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[tuple[str, str | None]] = set()

    def warn(self, message: str, element: str | None) -> None:
        message = " ".join(message.split())  # one line: a note is also a YAML comment
        key = (message, element)
        if key in self._seen:
            return
        self._seen.add(key)
        self.problems.append(Problem(message, path=self.path, hint=element, severity="warning"))


def clean_name(text: str) -> str:
    """A name with its line breaks and runs of spaces made single spaces, as modelers wrap them."""
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs (parted by blank lines), each on one line: a modeler wraps
    documentation to fit its box, so single line breaks are not the writer's."""
    parts = re.split(r"\n\s*\n", text)
    return [line for line in (clean_name(part) for part in parts) if line]


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60) -> str:
    """An id from a name: ASCII letters and digits joined by '-' (empty when none are left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:  # cut between words where one ends close enough
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[: cut if cut > limit // 2 else limit]
    return slug.strip("-")
