"""Importing WeasyPrint without its library search (``sopkit.render.pdf``).

Each runs in a fresh Python, where WeasyPrint is not imported yet.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the search is skipped on Linux only"
)


def _run(code: str, *, path: Path | None = None) -> str:
    env_path = [str(ROOT)] if path is None else [str(path), str(ROOT)]
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ":".join(env_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_weasyprint_loads_its_libraries_without_searching_for_them() -> None:
    """WeasyPrint's names for Windows and macOS each ran ldconfig, gcc and ld."""
    out = _run(
        """
        import ctypes.util
        searched = []
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: searched.append(name) or real(name)
        from sopkit.render.pdf import pdf_problem, report_pdf
        assert pdf_problem() is None
        assert report_pdf("<p>x</p>").startswith(b"%PDF")
        print(len(searched), ctypes.util.find_library.__name__)
        """
    )
    assert out.split() == ["0", "<lambda>"]  # none searched for, and the searcher put back


def test_a_library_only_a_search_finds_is_still_found(tmp_path: Path) -> None:
    """Where a library loads only by its searched-for name, the import is done again the
    usual way, and the notice the first attempt prints is not shown."""
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    attempts = tmp_path / "attempts"
    (fake / "__init__.py").write_text(
        textwrap.dedent(
            f"""
            import ctypes.util
            searched = ctypes.util.find_library("c") is not None
            with open({str(attempts)!r}, "a") as out:
                out.write("usual " if searched else "unsearched ")
            if not searched:
                print("WeasyPrint could not import some external libraries.")
                raise OSError("cannot load library 'libpango-1.0-0'")
            """
        ),
        encoding="utf-8",
    )
    out = _run(
        """
        import ctypes.util
        real = ctypes.util.find_library
        from sopkit.render import pdf
        pdf._import_weasyprint()
        print(ctypes.util.find_library is real)
        """,
        path=tmp_path,
    )
    assert attempts.read_text().split() == ["unsearched", "usual"]
    assert out.split() == ["True"]  # no notice, and the searcher put back


def test_with_other_threads_running_the_import_is_the_usual_one(tmp_path: Path) -> None:
    """The stand-in and the silenced output would be every thread's while they last."""
    out = _run(
        """
        import ctypes.util, threading
        calls = []
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: calls.append(name) or real(name)
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        from sopkit.render.pdf import pdf_problem
        assert pdf_problem() is None
        stop.set()
        print(len(calls) > 0)
        """
    )
    assert out.split() == ["True"]
