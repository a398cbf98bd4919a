"""The workbook in its portfolio's language: sheet names, headings, labels and notes.

Sheets are built in English: formulas name the sheets they read (``Steps!$K$5``)
and the labels are sopkit's own English phrases, marked as ``Phrase``. As a
sheet is written, ``Words`` turns what a reader sees into the portfolio's
language: the sheet's name (and every formula's reference to a sheet), its
headings, the phrases (role kinds and expense periods among them), the words
a formula shows or matches (``"never"``, ``"staff"``), the print header and
footer. What the files say stays as written: names and ids.

The translations are in ``sopkit/i18n/workbook.json``, keyed by the English
text. An English workbook is written as built, untouched.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from ..numbers import spoken

__all__ = ["FORMULA_WORDS", "SHEETS", "Phrase", "Words"]

#: The sheets formulas refer to by name.
SHEETS = (
    "Summary",
    "Rates",
    "Candidates",
    "Steps",
    "Participants",
    "Calls",
    "Expenses",
    "Ranges",
)


#: The words a formula shows or matches as text: translated inside its string literals,
#: as the cells it matches are (role kinds) or the value it shows (``never``) is.
FORMULA_WORDS = ("never", "staff", "external", "system")
#: A formula's string literals (``"…"``, a doubled quote inside), split out whole.
_LITERAL = re.compile(r'("(?:[^"]|"")*")')


class Phrase(str):
    """One of sopkit's own English phrases in a cell, translated when written.

    It is the English text (with ``params`` filled in) wherever a plain string
    goes, so a sheet reads the same before it is translated.
    """

    template: str
    params: dict[str, str]

    def __new__(cls, template: str, **params: str) -> Phrase:
        made = super().__new__(cls, template.format(**params) if params else template)
        made.template = template
        made.params = params
        return made


@cache
def _translations() -> dict[str, dict[str, str]]:
    """``{English text: {language: text}}`` from the package's ``workbook.json``."""
    found: dict[str, dict[str, str]] = json.loads(
        resources.files("sopkit").joinpath("i18n", "workbook.json").read_text(encoding="utf-8")
    )
    return found


class Words:
    """What a reader sees in one language; English is the text as built."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._own = {
            english: forms[language]
            for english, forms in _translations().items()
            if language in forms
        }
        self._sheets = {name: self(name) for name in SHEETS}
        self._refs = re.compile(r"(?<![\w'])(" + "|".join(SHEETS) + r")!")

    @property
    def english(self) -> bool:
        return not self._own

    def __call__(self, text: str, **params: str) -> str:
        """``text`` (English, with ``{placeholders}``) in this language, filled in; an
        amount as the language's sentences say it (``numbers.spoken``: 1,250,000원)."""
        found = self._own.get(text, text)
        if not params:
            return found
        return found.format(
            **{name: spoken(value, self.language) for name, value in params.items()}
        )

    def sheet(self, name: str) -> str:
        """A sheet's name as its tab shows it (a scenario's sheet keeps its own)."""
        return self._sheets.get(name, name)

    def formula(self, text: str) -> str:
        """A formula reading the sheets by their names here, and saying its words here.

        Only sheet references outside string literals are renamed; of the literals,
        only the words a formula can show or match (``FORMULA_WORDS``) are translated.
        """
        if self.english:
            return text
        parts = _LITERAL.split(text)
        for index, part in enumerate(parts):
            if index % 2:  # a string literal, quotes and all
                word = part[1:-1]
                if word in FORMULA_WORDS:
                    parts[index] = '"' + self(word).replace('"', '""') + '"'
            else:
                parts[index] = self._refs.sub(
                    lambda found: _quoted(self._sheets[found[1]]) + "!", part
                )
        return "".join(parts)

    def text(self, value: str) -> str:
        """A cell's text as shown: a ``Phrase`` translated, anything else as written."""
        if isinstance(value, Phrase):
            return self(value.template, **value.params)
        return value


def _quoted(name: str) -> str:
    """A sheet name as a formula writes it: quoted unless it is a plain word."""
    if re.fullmatch(r"[A-Za-z_]\w*", name):
        return name
    return "'" + name.replace("'", "''") + "'"
