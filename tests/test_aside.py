"""A site file made by a forked copy of the build (``sopkit.build.aside``).

The copy's bytes must be the ones this process would make, and whatever goes
wrong in the copy (an error, a death, a hang) must end in the file made here,
never in a wrong file or a build that waits for ever.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
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


def test_the_copy_holds_nothing_of_the_build_but_its_pipe(forking: None, tmp_path: Path) -> None:
    """Not the site's lock (a build killed with SIGKILL must free it at once), not the
    report printer's input (it prints once that input ends)."""
    held = os.open(tmp_path / "lock", os.O_CREAT | os.O_RDWR)
    try:

        def make() -> bytes:
            try:
                os.fstat(held)
            except OSError:
                return b"closed"
            return b"open"

        assert Aside(make).result() == b"closed"
        os.fstat(held)  # still open here
    finally:
        os.close(held)


def test_a_copy_that_does_not_answer_in_time_is_stopped(forking: None) -> None:
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            threading.Event().wait(600)
        return b"made here"

    work = Aside(make, timeout=0.5)
    pid = work._pid
    assert pid is not None
    assert work.result() == b"made here"
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped


def test_a_copy_that_dies_while_writing_is_not_believed(forking: None) -> None:
    """Half a message is no message: the length before the bytes tells it apart."""
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            # the pipe is all the copy holds beyond 0, 1 and 2
            (pipe,) = [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
            os.write(pipe, (1000).to_bytes(8, "big") + b"half of it")
            os._exit(0)
        return b"made here"

    assert Aside(make).result() == b"made here"


def test_close_stops_a_copy_that_is_still_working(forking: None) -> None:
    def make() -> bytes:
        threading.Event().wait(600)
        return b"never"

    work = Aside(make)
    pid = work._pid
    assert pid is not None
    work.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped, not left running
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
        parent = os.getpid()

        def make() -> bytes:
            if os.getpid() != parent:
                threading.Event().wait(30)  # until it is stopped
            return b""

        copy = Aside(make)
        try:
            printed = printer.print("<p>printed while a copy of this process runs</p>")
            pid = copy._pid
            assert pid is not None and os.waitpid(pid, os.WNOHANG) == (0, 0)  # still running
        finally:
            copy.close()
    assert printed is not None and printed.startswith(b"%PDF")


def test_a_real_build_makes_the_workbook_in_a_copy(tmp_path: Path) -> None:
    """Nothing patched: ``sopkit build`` run as a user runs it (in a fresh Python, where
    no test's thread runs) forks, and the site is the one made in one process."""
    script = textwrap.dedent(
        f"""
        import os, sys
        import sopkit.build
        real = sopkit.build.render_workbook
        def watched(*args, **kwargs):
            with open({str(tmp_path / "made-by")!r}, "w") as out:
                out.write(str(os.getpid()))
            return real(*args, **kwargs)
        sopkit.build.render_workbook = watched
        print(os.getpid())
        from sopkit.cli import main
        sys.argv = ["sopkit", "build", {str(ENGLISH)!r}, "-o", sys.argv[1], "-q", "--no-cache",
                    "--no-diagram"]
        main()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "made-by").read_text() != done.stdout.strip()
    sopkit_build = __import__("sopkit.build", fromlist=["build_site"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aside.threading, "active_count", lambda: 2)
        sopkit_build.build_site(ENGLISH, tmp_path / "here", diagrams=False)
    assert _site(tmp_path / "site") == _site(tmp_path / "here")


def test_babel_is_imported_before_the_build_s_threads_start(tmp_path: Path) -> None:
    """The pages and the portfolio's reports format figures in two threads at once; two
    threads importing Babel at the same moment failed a clean machine's build with
    "cannot import name 'Locale' from partially initialized module 'babel.core'"."""
    script = textwrap.dedent(
        f"""
        import sys
        import concurrent.futures as futures
        seen = []
        wanted = ("babel.numbers", "babel.lists", "babel.dates")
        real = futures.ThreadPoolExecutor.__init__
        def watched(self, *args, **kwargs):
            seen.append(all(m in sys.modules for m in wanted))
            real(self, *args, **kwargs)
        futures.ThreadPoolExecutor.__init__ = watched
        from sopkit.build import build_site
        assert "babel" not in sys.modules
        build_site({str(ENGLISH)!r}, {str(tmp_path / "site")!r}, diagrams=False)
        print(seen[0])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "True"
