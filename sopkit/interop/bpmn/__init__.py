"""BPMN 2.0 out and in: processes that BPMN tools open, edit and simulate, and back.

export.py      a costed process → BPMN 2.0 XML (collaboration, lanes, DI, BPSim)
flow.py        steps → events, activities, gateways and sequence flows
diagram.py     the swimlane layout at BPMN's standard sizes
bpsim.py       BPSim 2.0 scenario data written
extension.py   the ``sopkit:`` extension: what BPMN has no element for
reader.py      a BPMN file read safely (no DTD, no entities, any declared encoding)
bpsim_read.py  BPSim scenario data read
structure.py   the flow reduced to steps, ``after``, loops and decisions
roles.py       lanes and pools → roles
imports.py     a BPMN file → process data and settings, with warnings, from:
  pools.py       which processes and pools, their ids and names
  context.py     what one process's steps, rework and conditions share
  steps.py       tasks and events → steps and their fields
  timing.py      BPSim hours → times, waits and frequencies as a file writes them
  rework.py      flows back → rework
  conditions.py  decisions → conditions and ``when``
  process.py     the process's own fields, then its steps
  descriptions.py  pools', lanes' and collaborations' documentation → purpose, roles
  messages.py    message flows' names → the instructions of the steps they reach
  left_out.py    the texts no field holds, in one warning
files.py       those as checked process files and roles.yaml, written safely
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ...analysis import cost_process
from ...errors import InputError
from ...load import Portfolio
from ...models import Process
from ...output import refuse_overwrite, safe_child, write_atomic
from .export import export_bpmn
from .files import ImportFiles, import_texts, rates_to_fill, write_import
from .imports import BpmnImport, import_bpmn
from .reader import MAX_BYTES

__all__ = [
    "BpmnImport",
    "ImportFiles",
    "export_bpmn",
    "export_portfolio",
    "import_bpmn",
    "import_texts",
    "rates_to_fill",
    "read_bpmn_file",
    "write_exports",
    "write_import",
]


def export_portfolio(portfolio: Portfolio | Process | Iterable[Process]) -> dict[str, bytes]:
    """``<id>.bpmn`` → BPMN XML for every process of a portfolio, in its order."""
    processes = [portfolio] if isinstance(portfolio, Process) else portfolio
    return {f"{p.id}.bpmn": export_bpmn(cost_process(p)) for p in processes}


def write_exports(
    files: Mapping[str, bytes], folder: str | Path, *, force: bool = False
) -> list[Path]:
    """Write exported files into ``folder`` (atomically); the paths written.

    As the CLI never does without ``--force``, nothing replaces a process file or
    a roles file unless ``force``; every target is checked before any is written.

    Raises:
        OutputError: a name that leaves ``folder``, or would replace a process or
            roles file.
    """
    targets = {safe_child(Path(folder), name): data for name, data in files.items()}
    for target in targets:
        refuse_overwrite(target, force=force)
    return [write_atomic(target, data) for target, data in targets.items()]


def read_bpmn_file(path: str | Path) -> bytes:
    """The bytes of a BPMN file, refusing what cannot be one before reading it all.

    Raises:
        InputError: missing, a folder, unreadable, or too large.
    """
    shown, path = str(path), Path(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", path=shown, hint="give one .bpmn file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size / 1024 / 1024:.1f} MB, too large to be a BPMN diagram",
                path=shown,
                hint=f"BPMN files sopkit imports are at most {MAX_BYTES // 1024 // 1024} MB",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=shown, hint="check the path") from None
    except PermissionError:
        raise InputError("permission denied", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=shown) from None
