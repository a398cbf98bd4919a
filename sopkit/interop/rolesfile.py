"""Adding roles to a team's ``roles.yaml`` without rewriting what is in it.

An import (``sopkit import bpmn``) or a copy of a library process (``sopkit
new``) may need roles the team's file lacks. Writing the file anew would drop
the team's comments and layout, so the roles are appended under ``roles:``,
with a comment saying where they came from; a file for other settings (another
currency or calendar, where the added rates would mean something else) is
left alone, and so is one that cannot be added to safely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import SopkitError
from ..load import settings_from_data
from ..models import Settings
from ..source import parse_yaml
from .filedata import Data
from .yamltext import Blank, dump_yaml

__all__ = ["SETTING_FIELDS", "with_roles_added"]

#: The settings two roles files must share for a role of one to mean the same in the
#: other: its rate's money and the working time its hours and capacity are counted in.
SETTING_FIELDS = tuple(name for name in Settings.model_fields if name != "roles")
_ROLES_LINE = re.compile(r"^roles:[ \t]*(#.*)?$", re.MULTILINE)
_ROLES_KEY = re.compile(r"^roles:", re.MULTILINE)
_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def with_roles_added(
    path: Path,
    wanted: Data,
    note: str = "",
    *,
    same: Sequence[str] = SETTING_FIELDS,
) -> str | None:
    """The roles file at ``path`` with the roles of ``wanted`` (roles-file data) it lacks
    appended, under a comment saying ``note`` (a roles block written in flow style on
    its ``roles:`` line is written again in block style, its own roles first); its
    text when it lacks none; ``None``
    when it differs in one of the settings ``same`` names, or cannot be
    added to safely. Its own roles, rates and comments stay as they are."""
    try:
        text = path.read_text(encoding="utf-8")
        document = parse_yaml(text, str(path))
        existing = settings_from_data(document.data, document.source)
        ours = settings_from_data(_without_blanks(wanted), document.source)
    except (OSError, UnicodeDecodeError, SopkitError):
        return None
    if any(getattr(existing, f) != getattr(ours, f) for f in same):
        return None
    roles = wanted.get("roles") or {}
    missing = {name: role for name, role in roles.items() if name not in existing.roles}
    if not missing:
        return text
    keys = list(document.data) if isinstance(document.data, dict) else []
    if not keys or keys[-1] != "roles":
        return None
    match = _ROLES_LINE.search(text)
    if match is not None:
        merged = _appended(text, match.end(), missing, note)
    else:
        # Written on the 'roles:' line itself, in flow style ('roles: {Pool: {rate: 55}}',
        # as sopkit writes a few short roles): no line can be added inside it, so the
        # file's own roles are written again below it, each as it was, and the new ones
        # after them under the note (which says what they are, not what the team's are).
        start = _ROLES_KEY.search(text)
        if start is None:
            return None
        own = document.data["roles"] or {}
        # The comments written among the roles stay, above them.
        lines = text[start.start() :].splitlines()
        kept = [found.group(1) for found in map(_COMMENT.search, lines) if found]
        # Each role a line of its own: dumped inside 'roles:', short ones would be one line.
        block = ["roles:", *("  " + line for line in dump_yaml(own).splitlines() if own)]
        head = "".join(f"{comment}\n" for comment in kept)
        rewritten = head + "\n".join(block) + "\n"
        after_roles = len(head) + len("roles:")
        merged = text[: start.start()] + _appended(rewritten, after_roles, missing, note)
    try:
        check = parse_yaml(merged, str(path))
        settings_from_data(check.data, check.source)
    except SopkitError:
        return None
    return merged


def _appended(text: str, after_roles: int, missing: Data, note: str) -> str:
    """``text`` with the ``missing`` roles added at its end, under its ``roles:`` line."""
    indent = _entry_indent(text[after_roles:])
    # The roles alone, at the top level, then moved under ``roles:`` (dumped inside
    # ``roles:``, a single short role comes out on that line, in flow style).
    lines = dump_yaml(missing).splitlines()
    if note:
        lines.insert(0, f"# {note}")
    shifted = [" " * indent + line if line.strip() else line for line in lines]
    return text.rstrip("\n") + "\n" + "\n".join(shifted) + "\n"


def _entry_indent(rest: str) -> int:
    """The indentation of the first entry under ``roles:`` (2 when it has none yet)."""
    for line in rest.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            return max(len(line) - len(stripped), 1)
    return 2


def _without_blanks(data: Any) -> Any:
    """Settings data with rates left to fill in as missing, for comparing."""
    if isinstance(data, dict):
        return {k: _without_blanks(v) for k, v in data.items() if not isinstance(v, Blank)}
    return data
