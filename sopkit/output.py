"""Writing files safely: atomically, and never over an input.

Every file sopkit writes goes through here, so a crash or a full disk never
leaves a half-written SOP behind and ``-o`` can never clobber a process file.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from .errors import OutputError

__all__ = [
    "UTF8_BOM",
    "is_process_file",
    "read_replaced",
    "refuse_inputs",
    "refuse_overwrite",
    "safe_child",
    "short_name",
    "write_atomic",
    "write_csv",
]


#: The UTF-8 byte-order mark. Excel reads a CSV file as UTF-8 only when it starts with
#: one; without it, Korean or Russian names (or an em dash) show as the system's code page.
UTF8_BOM = "\ufeff"


#: The most of a file about to be replaced that ``read_replaced`` reads (as a process file).
_REPLACED_BYTES = 5 * 1024 * 1024


def read_replaced(path: str | Path) -> str | None:
    """The text of the regular file an output is about to replace (a calendar ``plan``
    updates), or ``None``: no such file, not a regular file (``/dev/zero`` would be read
    for ever), or larger than 5 MB (no calendar of one run is)."""
    try:
        # Looked at before it is opened: opening a FIFO to read waits for a writer.
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > _REPLACED_BYTES:
                return None
            return file.read(_REPLACED_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def write_csv(path: str | Path, text: str | bytes | Iterable[str] | Iterable[bytes]) -> Path:
    """``write_atomic`` for a CSV: a file starts with the byte-order mark spreadsheets
    need; a device or pipe (``/dev/stdout``, a FIFO) does not, for a program reads it
    and would take the mark for part of the first column's name."""
    if _is_stream(Path(path)):
        return write_atomic(path, text)
    return write_atomic(path, _marked(text))


def _marked(text: str | bytes | Iterable[str] | Iterable[bytes]) -> Iterator[str | bytes]:
    yield UTF8_BOM
    yield from [text] if isinstance(text, str | bytes) else text


def write_atomic(path: str | Path, data: str | bytes | Iterable[str | bytes]) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place (into a
    device or a pipe such as ``/dev/null``, straight through).

    ``data`` may come in pieces of text (or of UTF-8), written as they come, so a
    large report is never held whole (nor twice, as text and as its UTF-8 bytes).

    Raises:
        OutputError: the folder cannot be made or written, or ``path`` is a folder.
    """
    target = Path(path)
    if isinstance(data, str):
        pieces: Iterable[bytes] = [data.encode("utf-8")]
    elif isinstance(data, bytes):
        pieces = [data]
    else:
        pieces = (piece if isinstance(piece, bytes) else piece.encode("utf-8") for piece in data)
    if _is_stream(target):
        return _write_through(target, pieces)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{short_name(target.name)}."
        fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from None
        raise
    return target


def _is_stream(path: Path) -> bool:
    """Whether ``path`` names something other than a file: ``/dev/null``, a named pipe,
    ``/dev/stdout``. Renaming a file over it would replace the device itself."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(target: Path, pieces: Iterable[bytes]) -> Path:
    """Write into a device or pipe as it is: there is nothing to make atomic."""
    try:
        with target.open("wb") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    return target


#: A temporary name holds at most this much of the target's name (in UTF-8 bytes), so it
#: fits the usual 255-byte limit however long the target's name is.
_NAME_BYTES = 64


def short_name(name: str, limit: int = _NAME_BYTES) -> str:
    """``name`` cut to at most ``limit`` UTF-8 bytes (whole characters), for temporary names."""
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode("utf-8", "ignore")


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write: {exc.strerror or exc}",
        path=str(target),
        hint="choose a file in a folder you can write to",
    )


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of the inputs (or a roles file beside them)."""
    out = Path(output).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if (
            out == source
            or out == _nearest_roles(source)
            or (source.is_dir() and out.is_relative_to(source) and out.suffix in _YAML)
        ):
            raise OutputError(
                "output would overwrite an input file",
                path=str(output),
                hint="choose another -o path",
            )


def refuse_overwrite(output: str | Path, *, force: bool = False) -> None:
    """Refuse to replace a process file or a roles file, even one this run does not read.

    ``sopkit sop a.yaml -o b.yaml`` or ``sopkit schema -o p.yaml`` would replace
    someone's process with a document; ``--force`` (``force=True``) allows it.
    What an input is, ``refuse_inputs`` refuses whatever ``force`` says.
    """
    if force:
        return
    path = Path(output)
    if path.name in _ROLES and path.exists():
        what = "a roles file"
    elif is_process_file(path):
        what = "a process file"
    else:
        return
    raise OutputError(
        f"output would overwrite {what}",
        path=str(output),
        hint="choose another -o path, or add --force to replace it",
    )


#: Larger files are refused by the loader, so they are not process files.
_PROCESS_BYTES = 5 * 1024 * 1024
_SOPKIT_LINE = re.compile(r"^sopkit[ \t]*:", re.MULTILINE)


def is_process_file(path: str | Path) -> bool:
    """Whether ``path`` holds a sopkit process: YAML whose top-level mapping has ``sopkit:``.

    Read as a stream of parser events, so neither a huge nor a hostile file (an
    alias bomb, deep nesting) is ever built in memory; a file whose YAML is
    broken still counts when a line starts with ``sopkit:``.
    """
    target = Path(path)
    try:
        if not target.is_file() or target.stat().st_size > _PROCESS_BYTES:
            return False
        text = target.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        return any(_top_level_keys(text))
    except yaml.YAMLError:
        return _SOPKIT_LINE.search(text) is not None


def _top_level_keys(text: str) -> Iterator[bool]:
    """For each key of each document's top-level mapping: whether it is ``sopkit``."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # One entry per open collection: [is a mapping, the next node is a key].
    open_nodes: list[list[bool]] = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            at_top_key = len(open_nodes) == 1 and open_nodes[0] == [True, True]
            if at_top_key:
                yield isinstance(event, yaml.ScalarEvent) and event.value == "sopkit"
            _node_done(open_nodes)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            open_nodes.append([isinstance(event, yaml.MappingStartEvent), True])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            open_nodes.pop()
            _node_done(open_nodes)


def _node_done(open_nodes: list[list[bool]]) -> None:
    """A node ended: inside a mapping, a key is followed by a value and a value by a key."""
    if open_nodes and open_nodes[-1][0]:
        open_nodes[-1][1] = not open_nodes[-1][1]


_YAML = (".yaml", ".yml")
_ROLES = ("roles.yaml", "roles.yml")


def _nearest_roles(source: Path) -> Path | None:
    """The roles file a process (or folder of them) reads: beside it or in a parent folder."""
    folder = source if source.is_dir() else source.parent
    for candidate_dir in (folder, *folder.parents):
        for name in _ROLES:
            if (candidate_dir / name).is_file():
                return candidate_dir / name
    return None


def safe_child(folder: str | Path, name: str) -> Path:
    """``folder/name``, refusing any name that would leave the folder."""
    root = Path(folder).resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root) or candidate == root:
        raise OutputError(f"output name '{name}' leaves the output folder", path=str(folder))
    return root / name
