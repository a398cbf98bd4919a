"""Where the documentation of a BPMN file's pools, lanes and collaborations goes.

A process file has a ``purpose`` and each role a ``description``. The process's
own documentation is its purpose, as sopkit writes it; when it has none, the
documentation of its pools (the participants), then of the collaboration that
draws them, says what the process is for. A lane is a role, so its
documentation describes it; so is a pool without lanes, whose documentation
describes that role once the purpose is taken. sopkit writes each role's
description as its lane's documentation, and its ``sopkit:`` extension carries
it too: a lane's text that says what the extension says is that description,
and one that differs was edited in a modeler and wins, as an edited ``done_when``
does. A text never replaces one placed before it (a role takes the first, and
one that says the same is no other text): such a text, or one with no field to
go to (on sopkit's events lane), is handed to the left-out warning, so none
goes silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .context import ImportContext
from .notes import clean_name
from .reader import BpmnDocument
from .roles import EVENTS, Pool

__all__ = ["Placed", "place_descriptions"]


@dataclass(frozen=True, slots=True)
class Placed:
    """Where the texts went: each process's purpose (in the importers' order), the
    description each role is given, and the texts left out as ``(kind, shown)``."""

    purposes: tuple[str | None, ...]
    roles: dict[str, str]
    left_out: tuple[tuple[str, str], ...]


def _written(importer: ImportContext) -> dict[str, str]:
    """The descriptions the ``sopkit:`` extension gives the roles of one process: its own
    roles' over the roles file's, as the process sees them (and sopkit writes them on
    the lanes)."""
    found: dict[str, str] = {}
    for source in (importer.settings, importer.extension):  # the process's own last: it wins
        for name, role in (source.get("roles") or {}).items():
            if isinstance(role, dict) and role.get("description"):
                found[name] = str(role["description"])
    return found


def _pool_texts(pools: Sequence[Pool]) -> list[tuple[str, Pool, str]]:
    """A pool's texts, its process's first (sopkit writes the purpose there), then its
    participant's: ``(text, pool, how the warning names it)``."""
    texts = []
    for pool in pools:
        if pool.process.documentation:
            texts.append((pool.process.documentation, pool, "process documentation"))
    for pool in pools:
        if pool.participant is not None and pool.participant.documentation:
            texts.append((pool.participant.documentation, pool, "documentation"))
    return texts


def place_descriptions(doc: BpmnDocument, importers: Sequence[ImportContext]) -> Placed:
    """Each text of a pool, a lane or a collaboration in the first free field it fits."""
    roles: dict[str, str] = {}
    left_out: list[tuple[str, str]] = []
    purposes: list[str | None] = []

    def describe(
        importer: ImportContext, named: str | None, text: str, kind: str, shown: str
    ) -> None:
        role = None if named is None else importer.roles.role_named(named)
        if role is not None and clean_name(text) in (
            clean_name(_written(importer).get(role, "")),
            clean_name(roles.get(role, "")),
        ):
            return  # the description the role has already: no other text
        if role is None or role == EVENTS or role in roles:
            left_out.append((kind, shown))
        else:
            roles[role] = text  # over the extension's: edited in a modeler

    collaborations = _collaborations(doc, importers)
    for index, importer in enumerate(importers):
        purpose: str | None = None
        for text, pool, what in _pool_texts(importer.pools):
            shown = f"{what} of '{clean_name(pool.name) or pool.process.id}'"
            if purpose is None:
                purpose = text
            else:
                named = importer.roles.named_by.get(pool.process.id)
                describe(importer, named, text, "pool", shown)
        for name, text in collaborations.get(index, []):
            if purpose is None:
                purpose = text
            else:
                left_out.append(("collaboration", f"documentation of '{name}'"))
        purposes.append(purpose)
        processes = {pool.process.id for pool in importer.pools}
        for lane in doc.lanes:
            if lane.process in processes and lane.documentation:
                shown = f"documentation of '{lane.name or lane.id}'"
                describe(
                    importer,
                    importer.roles.named_by.get(lane.id),
                    lane.documentation,
                    "lane",
                    shown,
                )
    for name, _ in collaborations.get(None, []):
        left_out.append(("collaboration", f"documentation of '{name}'"))
    return Placed(tuple(purposes), roles, tuple(left_out))


def _collaborations(
    doc: BpmnDocument, importers: Sequence[ImportContext]
) -> dict[int | None, list[tuple[str, str]]]:
    """Each documented collaboration by the process whose pools it draws (the first
    that has one there), or ``None`` when it draws none of them."""
    found: dict[int | None, list[tuple[str, str]]] = {}
    for participants, (name, text) in zip(doc.collaborations, doc.collaboration_docs, strict=True):
        if not text:
            continue
        drawn = {p.process for p in participants}
        owner = next(
            (
                i
                for i, importer in enumerate(importers)
                if any(pool.process.id in drawn for pool in importer.pools)
            ),
            None,
        )
        found.setdefault(owner, []).append((name, text))
    return found
