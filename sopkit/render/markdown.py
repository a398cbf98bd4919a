"""Markdown that sopkit writes around text it does not control.

A fenced code block ends at the first line that repeats its fence, so a fence
is made one backtick longer than any run of backticks in the text (CommonMark
and GitHub agree on that rule): a step name with backticks cannot close it.
"""

from __future__ import annotations

import re

__all__ = ["fenced"]

_BACKTICKS = re.compile(r"`+")


def fenced(text: str, info: str = "") -> str:
    """``text`` in a fenced code block whose fence no line of the text can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"
