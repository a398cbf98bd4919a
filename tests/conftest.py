"""Shared fixtures: the library folder and small process files written on the fly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"

os.environ.setdefault("TERM", "unknown")
os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture
def processes_dir() -> Path:
    return PROCESSES
