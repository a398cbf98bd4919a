"""A site file made by a forked copy of the build (``sopkit.build.aside``).

The copy's bytes must be the ones this process would make, and whatever goes
wrong in the copy (an error, a death, a hang) must end in the file made here,
never in a wrong file or a build that waits for ever.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from sopkit.build import aside
from sopkit.build.aside import Aside

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="copies are forked on Linux only")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork as a build does: a test worker may run a thread of its own (the copies
    here run only these tests' functions, which take no lock)."""
    monkeypatch.setattr(aside.threading, "active_count", lambda: 1)


def _pid() -> bytes:
    return str(os.getpid()).encode()


def test_the_bytes_are_made_by_a_copy(forking: None) -> None:
    made = Aside(_pid).result()
    assert made.isdigit() and made != _pid()


def test_large_bytes_arrive_whole(forking: None) -> None:
    """More than a pipe holds: the copy writes while this process reads."""
    data = bytes(range(256)) * 40_000
    assert Aside(lambda: data).result() == data


def test_a_copy_that_fails_leaves_the_work_to_this_process(forking: None) -> None:
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the copy")
        return b"made here"

    assert Aside(make).result() == b"made here"


def test_a_copy_that_dies_leaves_the_work_to_this_process(forking: None) -> None:
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # what the kernel's out-of-memory killer leaves
        return b"made here"

    assert Aside(make).result() == b"made here"


def test_a_real_error_is_raised_here(forking: None) -> None:
    def make() -> bytes:
        raise ValueError("the renderer's own error")

    with pytest.raises(ValueError, match="renderer's own error"):
        Aside(make).result()


def test_no_copy_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked copy gets only the forking thread: a lock another held would stay locked."""
    monkeypatch.setattr(aside.threading, "active_count", lambda: 2)
    calls: list[int] = []

    def make() -> bytes:
        calls.append(os.getpid())
        return b"here"

    work = Aside(make)
    assert calls == []  # made when asked for, not before
    assert work.result() == b"here" and calls == [os.getpid()]


def test_forget_runs_in_the_copy_only(forking: None, tmp_path: Path) -> None:
    def forget() -> None:
        (tmp_path / str(os.getpid())).touch()

    made = Aside(_pid, forget=forget).result()
    assert [p.name for p in tmp_path.iterdir()] == [made.decode()]


def test_close_stops_a_copy_that_is_still_working(forking: None) -> None:
    def make() -> bytes:
        threading.Event().wait(600)
        return b"never"

    work = Aside(make)
    child = work._child
    assert child is not None
    work.close()
    assert child.exitcode is not None  # stopped and reaped, not left running
    work.close()  # twice is harmless


# --- in a build -----------------------------------------------------------------------------

ENGLISH = Path(__file__).resolve().parent.parent / "processes" / "en"


def _site(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_build_with_the_workbook_made_apart_is_the_one_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.build
    from sopkit.render.pdf import Printer

    real = sopkit.build.render_workbook
    made_by = tmp_path / "made-by"

    def watched(*args: object, **kwargs: object) -> bytes:
        made_by.write_text(str(os.getpid()))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sopkit.build, "render_workbook", watched)
    monkeypatch.setattr(aside.threading, "active_count", lambda: 1)
    with Printer() as printer:
        sopkit.build.build_site(ENGLISH, tmp_path / "apart", diagrams=False, printer=printer)
        child = printer._child
        assert child is not None and child.returncode == 0  # it printed, and was not stopped
    assert made_by.read_text() != str(os.getpid())

    monkeypatch.setattr(aside.threading, "active_count", lambda: 2)
    sopkit.build.build_site(ENGLISH, tmp_path / "here", diagrams=False)
    assert made_by.read_text() == str(os.getpid())
    apart, here = _site(tmp_path / "apart"), _site(tmp_path / "here")
    assert "cost.xlsx" in apart and "report.pdf" in apart
    assert apart == here


def test_a_copy_lets_go_of_the_printer(forking: None) -> None:
    """The printer prints once its page ends: a copy still holding the pipe's end would
    hold the print back until the copy ended."""
    from sopkit.render.pdf import Printer

    with Printer() as printer:
        assert printer.ready()
        release = threading.Event()  # never set: the copy waits until it is stopped

        def make() -> bytes:
            release.wait(30)
            return b""

        copy = Aside(make, forget=printer.forget)
        try:
            printed = printer.print("<p>printed while a copy of this process runs</p>")
            child = copy._child
            assert child is not None and child.is_alive()
        finally:
            copy.close()
    assert printed is not None and printed.startswith(b"%PDF")
