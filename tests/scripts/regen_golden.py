"""Regenerate every golden file from the current code: ``python tests/scripts/regen_golden.py``.

Review the resulting ``git diff tests/golden`` like code before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if __name__ == "__main__":
    tests = Path(__file__).resolve().parent.parent
    sys.exit(
        pytest.main([str(tests), "--update-golden", "-q", "-p", "no:cacheprovider", *sys.argv[1:]])
    )
