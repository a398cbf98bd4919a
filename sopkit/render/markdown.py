"""Markdown that sopkit writes around text it does not control.

A fenced code block ends at the first line that repeats its fence, so a fence
is made one backtick longer than any run of backticks in the text (CommonMark
and GitHub agree on that rule): a step name with backticks cannot close it.
"""

from __future__ import annotations

import re

__all__ = ["code_span", "fenced"]

_BACKTICKS = re.compile(r"`+")


def fenced(text: str, info: str = "") -> str:
    """``text`` in a fenced code block whose fence no line of the text can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"


def code_span(text: str) -> str:
    """``text`` as inline code that shows it literally: its backticks one longer than
    any run in it, and padded with a space where it starts or ends with one."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
