"""The process library users start from, and ``sopkit new`` that copies from it.

In a wheel the library ships as package data (``sopkit/processes``, mapped from
the repository's ``processes/`` folder by pyproject.toml). An editable install
has no such copy, so there we read ``processes/`` from the source tree.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import OutputError, SopkitError, UsageError
from .interop.rolesfile import with_roles_added
from .load import ROLES_FILENAMES, find_roles_file, process_ids_in
from .models import is_slug
from .output import safe_child, write_atomic
from .render.i18n import catalogue
from .source import parse_yaml
from .suggest import closest

__all__ = [
    "LibraryEntry",
    "NewProcess",
    "fresh_copy",
    "library_entries",
    "library_root",
    "name_from_id",
    "new_process",
    "starter_entry",
]


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
    currency: str  # of its roles file: the portfolio it belongs to
    calls: tuple[str, ...] = ()  # ids of the processes its steps run


def library_root() -> Traversable:
    """Where the library lives: package data in a wheel, ``processes/`` in a checkout."""
    packaged = files("sopkit") / "processes"
    if packaged.is_dir():
        return packaged
    return files("sopkit").joinpath("..", "processes")  # editable install / source tree


def library_entries(language: str | None = None) -> list[LibraryEntry]:
    """Every library process, and the blank starter (``STARTER``), sorted by id; with a
    ``language``, those written in it and the starter in it (``sopkit new --list --lang``).

    Raises:
        UsageError: for a language sopkit does not write.
    """
    entries = [starter_entry(language or "en")]
    for folder, roles in _folders(library_root(), None):
        entries += _entries(folder, roles)
    if language is not None:
        entries = [entry for entry in entries if entry.language == language]
    return sorted(entries, key=lambda e: e.id)


#: The blank process ``sopkit new`` starts from when no library process fits:
#: three steps of one role, with its roles file, in each language sopkit writes
#: (``sopkit/templates/starter/<language>/``): its names, instructions and comments in
#: that language, its rates in that language's library currency (USD, KRW, RUB).
STARTER = "starter"


def starter_entry(language: str = "en") -> LibraryEntry:
    """The blank starter in ``language`` (``en``, ``ko`` or ``ru``).

    Raises:
        UsageError: for a language sopkit does not write.
    """
    _language_name(language)
    (entry,) = _entries(files("sopkit") / "templates" / "starter" / language)
    return entry


#: The languages a process is written in (``models.Language``), as messages name them.
_LANGUAGE_NAMES = {"en": "English", "ko": "Korean", "ru": "Russian"}


def _language_name(language: str) -> str:
    """``Korean`` for ``ko``; a language sopkit does not write is a usage mistake."""
    if language not in _LANGUAGE_NAMES:
        raise UsageError(
            f"unknown language '{language}'", hint="one of " + ", ".join(_LANGUAGE_NAMES)
        )
    return _LANGUAGE_NAMES[language]


def _entries(folder: Traversable, roles: Traversable | None = None) -> list[LibraryEntry]:
    """The process files of one folder (its own roles file, if none is given)."""
    if roles is None:
        roles = next((folder / n for n in ROLES_FILENAMES if (folder / n).is_file()), None)
    currency = _currency(roles)
    entries = []
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
                currency=currency,
                calls=_calls(data),
            )
        )
    return entries


def _calls(data: dict[object, object]) -> tuple[str, ...]:
    """Ids of the processes a process file's steps run, in file order, once each."""
    steps = data.get("steps")
    found = [
        str(step["process"])
        for step in (steps if isinstance(steps, list) else [])
        if isinstance(step, dict) and step.get("process") is not None
    ]
    return tuple(dict.fromkeys(found))


def _currency(roles: Traversable | None) -> str:
    if roles is None:
        return ""
    data = parse_yaml(roles.read_text(encoding="utf-8"), roles.name).data
    return str(data.get("currency", "")) if isinstance(data, dict) else ""


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


@dataclass(frozen=True, slots=True)
class NewProcess:
    """What ``new_process`` wrote, and what the user should edit next."""

    process: Path
    roles: Path | None  # the roles file copied beside it, if one was
    roles_used: Path | None  # the roles file the new process will use
    name: str
    template: LibraryEntry
    #: Library processes the new one runs (``process:`` steps), copied unchanged
    #: beside it because the folder had no process of their ids.
    procedures: tuple[Path, ...] = ()
    #: Roles its steps (and those procedures') need that the folder's own roles file
    #: does not define; empty when the library's roles file was copied.
    missing_roles: tuple[str, ...] = ()
    #: Of ``missing_roles``, those the library defines as outside parties or systems:
    #: role → its fields to copy (``kind: external``, ``kind: external, rate: …``).
    library_kinds: Mapping[str, str] = field(default_factory=dict)
    #: The folder's currency when it is not the template's (whose amounts the copy keeps).
    currency: str | None = None
    #: The automation tools with a ``tool_cost`` in the copy, in the order met.
    paid_tools: tuple[str, ...] = ()
    #: Whether the name was given (``--name``), not made from the id.
    named: bool = False
    #: Roles the copy needs that were added to the folder's own roles file, as the
    #: library defines them (its rates are illustrative): the folder builds at once.
    added_roles: tuple[str, ...] = ()

    @property
    def written(self) -> list[Path]:
        roles = self.roles or (self.roles_used if self.added_roles else None)
        return [self.process, *self.procedures, *([roles] if roles else [])]

    def _name_line(self) -> str:
        """The name made from an ASCII id reads as English in a Korean or Russian copy."""
        if self.template.language != "en" and not self.named:
            return (
                f'  - name: "{self.name}", made from the id: write it in the process\'s '
                f"language ({self.template.language}), as your team calls the process"
            )
        return f'  - name: "{self.name}", as your team calls the process'

    def _language_line(self) -> str:
        """What the copy's ``language:`` does, starting from the one it says (a Korean
        starter says ``language: ko``: the line must not tell of ``en`` first)."""
        own = self.template.language
        others = [code for code in _LANGUAGE_NAMES if code != own]
        return (
            f"  - language: {own} writes the SOP's headings in {_LANGUAGE_NAMES.get(own, own)}; "
            f"{' and '.join(others)} in {' and '.join(_LANGUAGE_NAMES[c] for c in others)} "
            "(sopkit validate warns when the names are in another)"
        )

    def next_steps(self) -> list[str]:
        """What to edit next, as lines to print."""
        if self.missing_roles:
            rates = (
                f"{self.roles_used} does not define {', '.join(self.missing_roles)}: "
                "add each with its rate, or change those owners to your team's roles"
            )
            if self.added_roles:
                rates += (
                    f"; {', '.join(self.added_roles)} "
                    + ("was" if len(self.added_roles) == 1 else "were")
                    + " added with the library's illustrative rates: set your team's"
                )
            if self.library_kinds:
                kinds = ", ".join(
                    f"{role}: {{{kind}}}" for role, kind in self.library_kinds.items()
                )
                rates += f"; outside parties and systems as the library has them: {kinds}"
        elif self.added_roles:
            rates = (
                f"the rates in {self.roles_used}: {', '.join(self.added_roles)} "
                + ("was" if len(self.added_roles) == 1 else "were")
                + " added with the library's illustrative rates; set your team's, or change "
                "those owners to your team's roles"
            )
        elif self.roles_used is None:
            rates = "a roles.yaml with a rate for every step owner"
        elif self.roles is not None:
            rates = f"the rates in {self.roles_used}: the library's are illustrative"
        else:
            rates = f"the rates in {self.roles_used}: the steps' roles all have one"
        return [
            f"Next, edit {self.process}:",
            self._name_line(),
            "  - purpose: why it exists and what good output looks like "
            "(sopkit validate --strict asks for it)",
            "  - owner, trigger, frequency, and each step's owner, time and done_when",
            self._language_line(),
            "  - review: version 0.1 is a draft; raise it and add an approver once approved",
            f"  - {rates}",
            *(
                [
                    f"  - expenses and tool costs: the library's are in {self.template.currency}, "
                    f"{self.roles_used} counts in {self.currency}; convert them"
                ]
                if self.currency
                else []
            ),
            *(
                [
                    f"  - the tools' costs ({', '.join(self.paid_tools)}): automation "
                    "candidates charge each against its step's saving; keep a tool_cost only "
                    "if automating that step means buying the tool"
                ]
                if self.paid_tools
                else []
            ),
            *(
                [
                    f"  - {', '.join(str(p) for p in self.procedures)}: "
                    + ("the procedures" if len(self.procedures) > 1 else "the procedure")
                    + " its steps run, copied as it is from the library; adapt it too"
                ]
                if self.procedures
                else []
            ),
            f"Then check it: sopkit validate --strict {self.process}",
        ]


def new_process(
    template: str,
    new_id: str,
    out_dir: str | Path = ".",
    *,
    name: str | None = None,
    force: bool = False,
    today: _dt.date | None = None,
    language: str | None = None,
) -> NewProcess:
    """Start a process at ``out_dir/<new_id>.yaml`` from library process ``template``.

    The copy keeps the template's steps, owner, tools and comments, and becomes
    a process of its own: the new id, the given ``name`` (default: from the id,
    ``q3-webinar`` → "Q3 webinar"), no purpose (the template's would describe
    another process), and a fresh draft review block (version 0.1, dated
    ``today``, no approver). The template's ``roles.yaml`` is copied too when
    the new file would have no roles file of its own, so the copy validates
    straight away, and so are the library processes its steps run (a release
    post's feature write-up) when the folder has no process of their ids:
    they keep their ids, so the copy's calls find them.

    ``language`` (``en``, ``ko``, ``ru``) picks the starter written in it, with its
    roles file in that language's currency; a library process is written in one
    language, which ``language`` may only confirm.

    Raises:
        UsageError: for an id that is not a slug, an empty name, an unknown template, or
            a ``language`` the template is not written in.
        OutputError: when the file exists and ``force`` is not set.
    """
    if not is_slug(new_id):
        hint = "ids are lowercase ASCII letters, digits and '-', e.g. blog-post"
        if any(ch.isalpha() and not ch.isascii() for ch in new_id):  # 뉴스레터, рассылка
            hint += f'; the name in your language goes in --name "{new_id}"'
        raise UsageError(f"'{new_id}' is not a valid id", hint=hint)
    if name is not None and not name.strip():
        raise UsageError("the name is empty", hint='give one, e.g. --name "Webinar"')
    entries = {e.id: e for e in library_entries()}
    if template not in entries:
        close = closest(template, entries)
        raise UsageError(
            f"no library process '{template}'",
            hint=f"did you mean '{close}'?"
            if close
            else "see 'sopkit new --list'; available: " + ", ".join(entries),
        )
    entry = _in_language(entries[template], language, new_id)
    folder = Path(out_dir)
    if folder.suffix.lower() in (".yaml", ".yml") and not folder.is_dir():
        # -o new.yaml would become a folder holding x.yaml: the file name is the id's.
        raise UsageError(
            f"the output '{out_dir}' looks like a file name; it is the folder to write into",
            hint=f"the file is named after the id ({new_id}.yaml): "
            f"sopkit new {template} {new_id} -o {shlex.quote(str(folder.parent))}",
        )
    target = safe_child(out_dir, f"{new_id}.yaml")
    if target.exists() and not force:
        raise OutputError("file exists", path=str(target), hint="choose another id or use --force")
    title = " ".join(name.split()) if name is not None else name_from_id(new_id)
    dated = today or _dt.date.today()
    text = fresh_copy(
        entry.file.read_text(encoding="utf-8"), new_id, title, dated, language=entry.language
    )
    write_atomic(target, text)
    shown = Path(out_dir) / target.name  # as the user named the folder
    procedures = tuple(
        shown.parent / path.name for path in _copy_procedures(entry, entries, target.parent)
    )
    roles = None
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    roles_used = find_roles_file(target)
    kinds: dict[str, str] = {}
    currency = None
    copied = [target, *(target.parent / p.name for p in procedures)]
    copies = [_read(path) for path in copied]  # each read once, for the roles and tools
    if entry.roles is not None and roles_used is None:
        write_atomic(target.parent / "roles.yaml", entry.roles.read_text("utf-8"))
        roles = roles_used = shown.parent / "roles.yaml"
    elif roles_used is not None:
        missing = _missing_roles(copies, roles_used)
        # Only into the folder's own roles file: one further up is every folder's below it.
        beside = roles_used.resolve().parent == target.resolve().parent
        added = _add_library_roles(entry, missing, roles_used) if beside else ()
        missing = tuple(role for role in missing if role not in added)
        kinds = _library_kinds(entry, missing)
        folder_currency = str(_read(roles_used).get("currency", "USD"))
        if folder_currency != (entry.currency or "USD") and _has_amounts(copied):
            currency = folder_currency
        roles_used = _relative(roles_used)
    return NewProcess(
        shown,
        roles,
        roles_used,
        title,
        entry,
        procedures,
        missing,
        kinds,
        currency,
        _paid_tools(copies),
        named=name is not None,
        added_roles=added,
    )


def _in_language(entry: LibraryEntry, language: str | None, new_id: str) -> LibraryEntry:
    """The template to copy for ``--lang``: the starter written in it; a library process
    only when it is written in it (its steps and instructions are words, not sopkit's)."""
    if language is None or language == entry.language:
        return entry
    if entry.id == STARTER:
        return starter_entry(language)
    named = _language_name(language)
    written = [e.id for e in library_entries(language) if e.id != STARTER]
    hint = f"a blank process in {named}: sopkit new starter {new_id} --lang {language}"
    if written:
        hint = f"the library in {named}: {', '.join(written)}; or {hint}"
    raise UsageError(
        f"'{entry.id}' is written in {_LANGUAGE_NAMES.get(entry.language, entry.language)}, "
        f"not {named}",
        hint=hint,
    )


def _paid_tools(processes: Sequence[Mapping[object, object]]) -> tuple[str, ...]:
    """The tools the copied steps' automations pay for (``tool_cost``), each once."""
    tools: list[str] = []
    for data in processes:
        steps = data.get("steps")
        for step in steps if isinstance(steps, list) else []:
            automation = _mapping(_mapping(step).get("automation"))
            tool = automation.get("tool")
            if automation.get("tool_cost") and isinstance(tool, str) and tool not in tools:
                tools.append(tool)
    return tuple(tools)


#: What a library role brings into a team's file: its headcount and hours are the
#: library's team's, not this one's.
_COPIED_ROLE_FIELDS = ("rate", "kind", "description")


def _add_library_roles(
    entry: LibraryEntry, roles: Sequence[str], roles_file: Path
) -> tuple[str, ...]:
    """Add to the team's ``roles_file`` those of ``roles`` the library defines; the ones added.

    Only into a file of the library's settings (currency, working time, calendar):
    elsewhere a library rate would be in the wrong money or hours, and the copy
    names the roles for the team to add. The team's own roles and comments stay.
    """
    if not roles or entry.roles is None:
        return ()
    data = _mapping(parse_yaml(entry.roles.read_text("utf-8"), entry.roles.name).data)
    defined = _mapping(data.get("roles"))
    wanted = {
        str(role): {k: v for k, v in _mapping(defined[role]).items() if k in _COPIED_ROLE_FIELDS}
        for role in roles
        if role in defined
    }
    if not wanted:
        return ()
    note = f"roles {entry.id} needs, from the sopkit library: illustrative rates, set your team's"
    settings = {str(key): value for key, value in data.items() if key != "roles"}
    # An hourly rate means the same under any calendar: only the money must match.
    text = with_roles_added(roles_file, {**settings, "roles": wanted}, note, same=("currency",))
    if text is None:
        return ()
    write_atomic(roles_file, text)
    return tuple(wanted)


def _library_kinds(entry: LibraryEntry, roles: Sequence[str]) -> dict[str, str]:
    """Which of ``roles`` the template's roles file defines as outside parties or systems,
    as fields to write (a paid one needs a rate, an unpaid customer or a system none)."""
    if entry.roles is None:
        return {}
    data = _mapping(parse_yaml(entry.roles.read_text("utf-8"), entry.roles.name).data)
    defined = _mapping(data.get("roles"))
    kinds = {}
    for role in roles:
        fields = _mapping(defined.get(role))
        kind = fields.get("kind")
        if kind in ("external", "system"):
            kinds[role] = f"kind: {kind}" + (", rate: …" if "rate" in fields else "")
    return kinds


def _has_amounts(paths: Sequence[Path]) -> bool:
    """Whether these process files hold money of their own (expenses, tool costs)."""
    return any(
        key in (path.read_text("utf-8") if path.is_file() else "")
        for path in paths
        for key in ("expense", "tool_cost")
    )


def _missing_roles(
    processes: Sequence[Mapping[object, object]], roles_file: Path
) -> tuple[str, ...]:
    """The roles these processes' steps (their files' data) work in (owners and ``with``)
    that neither ``roles_file`` nor the process's own ``roles:`` define, in the order met.

    Read from the YAML, not loaded: the copy cannot load until they have rates. A
    roles file or process that cannot be read names nothing; ``sopkit validate``
    says what is wrong with it.
    """
    team = _mapping(_read(roles_file).get("roles"))
    missing: list[str] = []
    for data in processes:
        own = _mapping(data.get("roles"))
        steps = data.get("steps")
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, dict):
                continue
            helpers = step.get("with")
            named = [step.get("owner"), *(helpers if isinstance(helpers, list | dict) else ())]
            for role in named:
                if isinstance(role, str) and role not in team and role not in own:
                    if role not in missing:
                        missing.append(role)
    return tuple(missing)


def _read(path: Path) -> dict[object, object]:
    """A YAML file's top-level mapping; empty when it cannot be read or is not one."""
    try:
        data = parse_yaml(path.read_text("utf-8"), str(path)).data
    except (OSError, UnicodeDecodeError, SopkitError):
        return {}
    return _mapping(data)


def _mapping(value: object) -> dict[object, object]:
    return value if isinstance(value, dict) else {}


def _copy_procedures(
    entry: LibraryEntry, entries: dict[str, LibraryEntry], folder: Path
) -> list[Path]:
    """Copy into ``folder`` the library processes ``entry`` runs, and those they run.

    A process id the folder already has is left alone (the user's own version
    wins), and so is a file in the way: ``sopkit validate`` then says what the
    call is missing. Only processes of the template's own portfolio are copied.
    """
    written: list[Path] = []
    pending = list(entry.calls)
    done: set[str] = set()
    while pending:
        process_id = pending.pop(0)
        callee = entries.get(process_id)
        if process_id in done or callee is None or callee.currency != entry.currency:
            continue
        done.add(process_id)
        if process_id in process_ids_in(folder):
            continue
        target = safe_child(folder, callee.file.name)
        if target.exists():
            continue
        write_atomic(target, callee.file.read_text(encoding="utf-8"))
        written.append(target)
        pending.extend(callee.calls)
    return written


def _relative(path: Path) -> Path:
    """``path`` from the current folder when it is under it, else as it is."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def name_from_id(process_id: str) -> str:
    """A first name for a process from its id: ``q3-webinar`` → ``Q3 webinar``."""
    words = process_id.replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def fresh_copy(text: str, new_id: str, name: str, today: _dt.date, *, language: str = "en") -> str:
    """The template's text with its identity replaced and the rest (comments too) kept.

    ``id``, ``name`` and ``review`` are rewritten at the top level, and
    ``purpose`` is taken out with a comment in its place, in the template's
    ``language`` as its other comments are. The result is parsed again to make
    sure the fields say what was meant.
    """
    review = f'review: {{version: "0.1", last_reviewed: {today.isoformat()}}}'
    text = _set_top_level(text, "id", f"id: {new_id}")
    text = _set_top_level(text, "name", f"name: {_quoted(name)}")
    t = catalogue(language)
    text = _set_top_level(text, "purpose", t("new.purpose"))
    text = _set_top_level(text, "review", review, after="name")
    data = parse_yaml(text, "the new process").data
    if not (
        isinstance(data, dict)
        and data.get("id") == new_id
        and data.get("name") == name
        and "purpose" not in data
        and data.get("review") == {"version": "0.1", "last_reviewed": today}
    ):
        raise SopkitError(
            "the library process could not be copied",
            hint="copy the file by hand and change its id, name and review",
        )
    return text


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _set_top_level(text: str, key: str, replacement: str, *, after: str | None = None) -> str:
    """Replace the top-level ``key:`` entry (with its indented continuation lines).

    When the key is missing, ``replacement`` goes after the entry ``after``
    (or is left out when ``after`` is ``None``).
    """
    lines = text.splitlines(keepends=True)
    start = _entry(lines, key)
    if start is None:
        if after is None or (anchor := _entry(lines, after)) is None:
            return text
        end = _entry_end(lines, anchor)
        return "".join([*lines[:end], replacement + "\n", *lines[end:]])
    end = _entry_end(lines, start)
    return "".join([*lines[:start], replacement + "\n", *lines[end:]])


def _entry(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^{re.escape(key)}[ \t]*:")
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def _entry_end(lines: list[str], start: int) -> int:
    """The line after a top-level entry: its indented (or blank, inside) lines included."""
    end = start + 1
    last = end
    while end < len(lines):
        line = lines[end]
        if line.strip() == "":
            end += 1
            continue
        if not line[0].isspace():
            break
        end += 1
        last = end
    return last
