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
    """Write to a temporary file beside ``path``, then rename it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of the inputs (or a roles file beside them)."""
    out = Path(output).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if out == source or (
            source.is_dir() and out.is_relative_to(source) and out.suffix in (".yaml", ".yml")
        ):
            raise OutputError(
                "output would overwrite an input file",
                path=str(output),
                hint="choose another -o path",
            )


def safe_child(folder: str | Path, name: str) -> Path:
    """``folder/name``, refusing any name that would leave the folder."""
    root = Path(folder).resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root) or candidate == root:
        raise OutputError(f"output name '{name}' leaves the output folder", path=str(folder))
    return root / name
