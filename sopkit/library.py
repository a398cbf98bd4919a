"""The process library users start from, and ``sopkit new`` that copies from it.

In a wheel the library ships as package data (``sopkit/processes``, mapped from
the repository's ``processes/`` folder by pyproject.toml). An editable install
has no such copy, so there we read ``processes/`` from the source tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import OutputError, SopkitError
from .load import ROLES_FILENAMES, find_roles_file
from .models import SLUG
from .output import safe_child, write_atomic
from .source import parse_yaml

__all__ = ["LibraryEntry", "library_entries", "library_root", "new_process"]

_ID_LINE = re.compile(r"^id:[ \t]*(?P<id>[^\s#]+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """A process users can start from."""

    id: str
    name: str
    language: str
    frequency: str
    steps: int
    file: Traversable
    roles: Traversable | None


def library_root() -> Traversable:
    """Where the library lives: package data in a wheel, ``processes/`` in a checkout."""
    packaged = files("sopkit") / "processes"
    if packaged.is_dir():
        return packaged
    return files("sopkit").joinpath("..", "processes")  # editable install / source tree


def library_entries() -> list[LibraryEntry]:
    """Every library process, sorted by id."""
    entries = []
    for folder, roles in _folders(library_root(), None):
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if not item.is_file() or item.name in ROLES_FILENAMES:
                continue
            if not item.name.endswith((".yaml", ".yml")):
                continue
            data = parse_yaml(item.read_text(encoding="utf-8"), item.name).data
            if not isinstance(data, dict):
                continue
            entries.append(
                LibraryEntry(
                    id=str(data.get("id")),
                    name=str(data.get("name", "")),
                    language=str(data.get("language", "en")),
                    frequency=str(data.get("frequency", "")),
                    steps=len(data.get("steps") or []),
                    file=item,
                    roles=roles,
                )
            )
    return sorted(entries, key=lambda e: e.id)


def _folders(
    folder: Traversable, inherited: Traversable | None
) -> list[tuple[Traversable, Traversable | None]]:
    roles = next(
        (folder / n for n in ROLES_FILENAMES if (folder / n).is_file()),
        inherited,
    )
    found = [(folder, roles)]
    for child in sorted(folder.iterdir(), key=lambda t: t.name):
        if child.is_dir() and not child.name.startswith((".", "_")):
            found.extend(_folders(child, roles))
    return found


def new_process(
    template: str, new_id: str, out_dir: str | Path = ".", *, force: bool = False
) -> list[Path]:
    """Copy library process ``template`` to ``out_dir/<new_id>.yaml`` with its id replaced.

    The template's ``roles.yaml`` is copied too when the new file would have no
    roles file of its own, so the copy validates straight away. Returns the
    files written.
    """
    if not re.match(SLUG, new_id):
        raise SopkitError(
            f"'{new_id}' is not a valid id",
            hint="ids are lowercase ASCII letters, digits and '-', e.g. blog-post",
        )
    entries = {e.id: e for e in library_entries()}
    if template not in entries:
        raise SopkitError(
            f"no library process '{template}'",
            hint="see 'sopkit new --list'; available: " + ", ".join(entries),
        )
    entry = entries[template]
    target = safe_child(out_dir, f"{new_id}.yaml")
    if target.exists() and not force:
        raise OutputError("file exists", path=str(target), hint="choose another id or use --force")
    text = _ID_LINE.sub(f"id: {new_id}", entry.file.read_text(encoding="utf-8"), count=1)
    written = [write_atomic(target, text)]
    if entry.roles is not None and find_roles_file(target) is None:
        written.append(write_atomic(target.parent / "roles.yaml", entry.roles.read_text("utf-8")))
    return written
