"""Regenerate golden files from the current code: ``python tests/scripts/regen_golden.py [TESTS]``.

With arguments only those tests run (e.g. ``tests/test_sop.py``); without, all
of them. Review the resulting ``git diff tests/golden`` like code before
committing.

The site's pages: ``tests/test_site.py`` and ``tests/test_build.py`` write the
English dashboard (``build/site``, ``build/portfolio``), ``tests/test_site_language.py``
the Korean and Russian dashboards and scenario pages (``build/ko``, ``build/ru``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if __name__ == "__main__":
    targets = sys.argv[1:] or [str(Path(__file__).resolve().parent.parent)]
    sys.exit(pytest.main([*targets, "--update-golden", "-q", "-p", "no:cacheprovider"]))
