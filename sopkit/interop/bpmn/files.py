"""An import as files: one process file per process, and ``roles.yaml``.

The texts are read back with sopkit's own reader and checked with the
loader's rules before anything is written, so an import never leaves a file
that ``sopkit validate`` would refuse for its form (rates still to fill in
are the one thing ``sopkit cost`` will ask for). Existing files are never
replaced unless asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ...errors import OutputError, SopkitError, ValidationError
from ...load import process_from_data, settings_from_data
from ...models import RoleKind
from ...output import safe_child, write_atomic
from ...source import parse_yaml
from ..filedata import Data
from ..rolesfile import with_roles_added
from ..yamltext import dump_yaml
from .imports import BpmnImport

__all__ = ["ImportFiles", "import_texts", "write_import"]


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """File name → text, processes first and ``roles.yaml`` last (its data: ``settings``)."""

    texts: Mapping[str, str]
    settings: Data
    #: The BPMN file's name, as the files' header comments give it.
    source: str = ""


def import_texts(result: BpmnImport, source: str) -> ImportFiles:
    """The process files and ``roles.yaml`` of an import, checked as sopkit loads them.

    Raises:
        ValidationError: the processes made would not load (the file's ``sopkit:``
            extension was edited into something invalid).
    """
    name = source.replace("\\", "/").rpartition("/")[2]
    texts: dict[str, str] = {}
    for process in result.processes:
        header = [f"Imported from {name} by sopkit import bpmn."]
        if process.warnings:
            header += ["", "Approximated on import (check these):"]
            header += [
                f"- {p.message} ({p.hint})" if p.hint else f"- {p.message}"
                for p in process.warnings
            ]
        texts[f"{process.id}.yaml"] = dump_yaml(process.data, header=header)
    roles_header = [f"Settings and roles of the processes imported from {name}."]
    if result.missing_rates:
        roles_header.append(
            "Fill in the hourly rate of every role marked 'fill in' before validating or costing."
        )
    texts["roles.yaml"] = dump_yaml(result.settings, header=roles_header)
    _check(texts, source)
    return ImportFiles(texts, result.settings, name)


def _check(texts: Mapping[str, str], source: str) -> None:
    try:
        roles = parse_yaml(texts["roles.yaml"], "roles.yaml")
        settings = settings_from_data(roles.data, roles.source)
        # rates left to fill in are the user's to give: check the rest as if they were
        blank = {
            name: role.model_copy(update={"rate": Decimal(0)})
            for name, role in settings.roles.items()
            if role.rate is None and role.kind is RoleKind.STAFF
        }
        settings = settings.with_roles(blank)
        ids = set()
        for file_name, text in texts.items():
            if file_name == "roles.yaml":
                continue
            document = parse_yaml(text, file_name)
            process = process_from_data(
                document.data, document.source, settings, source_path=file_name
            )
            ids.add(process.id)
            for called in process.calls:
                if f"{called}.yaml" not in texts:
                    raise ValidationError(f"calls '{called}', which the import does not make")
    except SopkitError as exc:
        problem = exc.first
        raise ValidationError(
            f"cannot import: the process made from it would not be valid: {problem.message}",
            path=source,
            hint=f"in {problem.path}" + (f" line {problem.line}" if problem.line else ""),
        ) from None


def write_import(files: ImportFiles, folder: str | Path, *, force: bool = False) -> list[Path]:
    """Write the files into ``folder``; the paths written.

    A file that already says the same (comments aside) is left alone. An
    existing ``roles.yaml`` with the same settings is kept, with the roles it
    lacks added at its end (a rate someone filled in stays as it is), so
    several diagrams can be imported into one folder, and ``force`` (which
    replaces an edited process's file) never drops a role. Only a roles file
    for other settings (currency, calendar) is replaced, with ``force``.

    Raises:
        OutputError: a file would be replaced (without ``force``), or cannot be written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError("is a file, not a folder", path=str(folder), hint="give a folder with -o")
    targets = {name: safe_child(folder, name) for name in files.texts}
    texts = dict(files.texts)
    clashes = []
    for name, path in targets.items():
        if not path.exists() or _same(path, texts[name]):
            continue
        merged = (
            with_roles_added(
                path,
                files.settings,
                f"the roles of the processes imported from {files.source}" if files.source else "",
            )
            if name == "roles.yaml"
            else None
        )
        if merged is None:  # another calendar or currency: only --force replaces it
            clashes.append(path)
        else:  # the team's roles stay, --force or not: a re-import must not drop them
            texts[name] = merged
    if clashes and not force:
        shown = ", ".join(p.name for p in clashes)
        raise OutputError(
            f"would replace {shown}",
            path=str(folder),
            hint="choose another folder, or add --force to replace them",
        )
    written = []
    for name, path in targets.items():
        if path.exists() and _same(path, texts[name]):
            continue
        write_atomic(path, texts[name])
        written.append(path)
    return written


def rates_to_fill(folder: str | Path, wanted: Sequence[str]) -> list[str]:
    """Which of ``wanted`` (an import's roles without a rate) have none yet in the
    folder's ``roles.yaml``: a role the team's file already rates, or has made an
    outside party or a system (which have no rate), needs nothing."""
    path = Path(folder) / "roles.yaml"
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        roles = settings_from_data(document.data, document.source).roles
    except (OSError, UnicodeDecodeError, SopkitError):
        return list(wanted)
    return [
        name
        for name in wanted
        if (role := roles.get(name)) is None or (role.rate is None and role.kind is RoleKind.STAFF)
    ]


def _same(path: Path, text: str) -> bool:
    """Whether the file already says what ``text`` says (comments aside: the same process
    imported from another file names that file in its first line)."""
    try:
        existing = path.read_text(encoding="utf-8")
        return existing == text or parse_yaml(existing).data == parse_yaml(text).data
    except (OSError, UnicodeDecodeError, SopkitError):
        return False
