"""Writing files safely: atomically, and never over an input.

Every file sopkit writes goes through here, so a crash or a full disk never
leaves a half-written SOP behind and ``-o`` can never clobber a process file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

__all__ = ["refuse_inputs", "safe_child", "write_atomic"]


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place.

    Raises:
        OutputError: the folder cannot be made or written, or ``path`` is a folder.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
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
