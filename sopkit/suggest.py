"""The "did you mean …?" of every error: the known name a mistyped one most likely is.

``difflib`` finds names that look alike, but it ranks a swap of two letters
below a changed letter: for ``wiat`` it offers ``with`` before ``wait``. Typing
mistakes are mostly one letter swapped, missing, extra or wrong, so among the
names difflib finds close, the fewest such edits wins (the optimal string
alignment distance, ignoring case), then difflib's own ranking. A name needing
more edits than a typo makes (a quarter of its letters, at least two) is not
offered: difflib finds "Marketing Manager" alike to "Marketing Automation
Platform", but nobody mistypes one for the other.

A name that is no typo may still be a known one shortened: ``webinar-promo``
for ``webinar-promo-email``, ``Manager`` for ``Marketing Manager``, whole words
left off its start or end; and words shortened too, each to letters of its own
in order, from its first: ``Web Dev`` for ``Web Developer``, ``Mktg Ops`` for
``Marketing Ops Lead``. The one known name it shortens is offered (of two,
neither: that would be a guess).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["closest", "edit_distance"]

#: How alike (difflib's ratio) a name must be to be offered at all.
_CUTOFF = 0.6
#: Edits a mistyped name of any length may need (a swap and a missing letter, say).
_MIN_TYPO = 2


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` most likely misspells, or ``None`` when none is close."""
    choices = list(dict.fromkeys(known))
    alike = difflib.get_close_matches(name, choices, n=5, cutoff=_CUTOFF)
    if alike:
        rank = {choice: i for i, choice in enumerate(alike)}
        edits = {choice: edit_distance(name.lower(), choice.lower()) for choice in alike}
        best = min(alike, key=lambda choice: (edits[choice], rank[choice]))
        if edits[best] <= max(_MIN_TYPO, len(name) // 4):
            return best
    longer = [choice for choice in choices if _shortens(name, choice)]
    return longer[0] if len(longer) == 1 else None


#: What separates the words of a name or an id.
_WORD_BREAKS = re.compile(r"[-_ ]+")


def _shortens(name: str, choice: str) -> bool:
    """Whether ``name`` is ``choice`` with whole words left off its start or its end, and
    each word it keeps whole or shortened (``_shortened``)."""
    short = [w for w in _WORD_BREAKS.split(name.strip().lower()) if w]
    full = [w for w in _WORD_BREAKS.split(choice.strip().lower()) if w]
    if not short or len(short) > len(full) or short == full:
        return False
    return any(
        all(_shortened(word, whole) for word, whole in zip(short, part, strict=True))
        for part in (full[: len(short)], full[len(full) - len(short) :])
    )


def _shortened(word: str, whole: str) -> bool:
    """Whether ``word`` is ``whole``, or two or more of its letters in order from its
    first (``dev``, ``mktg``): how people shorten a word."""
    if word == whole:
        return True
    if len(word) < 2 or len(word) >= len(whole) or word[0] != whole[0]:
        return False
    letters = iter(whole)
    return all(letter in letters for letter in word)


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced or swapped with a neighbour to turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, start=1):
        row = [i, *([0] * len(b))]
        for j, right in enumerate(b, start=1):
            cost = 0 if left == right else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]
