"""Child processes end with sopkit: Ctrl-C never waits for a renderer.

Graphviz's ``dot`` handles SIGINT itself and was seen stuck at it for over a
minute while ``sopkit serve`` waited. The fake renderer here ignores SIGINT
and SIGTERM and sleeps: only a SIGKILL from sopkit ends it. Every process
sopkit starts inherits a mark in its environment, so a test finds any process
left behind, whatever started it (Graphviz, the report's printer, a fork).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sopkit.children import Children, Stopped, run
from sopkit.errors import RenderError
from sopkit.render.diagram.engine import Engine

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; signals as on POSIX"
)

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "processes" / "en"
#: Generous: the test asserts that sopkit stops, not how fast.
TIMEOUT = 90.0
#: A renderer that the terminal's Ctrl-C and a polite SIGTERM cannot stop.
STUBBORN = """#!/bin/sh
case "$1" in -V) echo "fake dot"; exit 0;; esac
trap '' INT TERM
echo $$ >> "$STARTED"
exec sleep 600
"""


def _stubborn(folder: Path) -> Path:
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    fake = bin_folder / "dot"
    fake.write_text(STUBBORN, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return bin_folder


def _marked(mark: str) -> list[int]:
    """The live processes whose environment holds ``mark`` (zombies are gone already)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"SOPKIT_TEST_MARK={mark}".encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _default_signals() -> None:
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


@pytest.fixture
def mark() -> Iterator[str]:
    """A mark for the processes a test starts; any left are killed after the test."""
    value = uuid.uuid4().hex
    yield value
    _kill_all(_marked(value))


def _until(check: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting until {what}")


@pytest.mark.parametrize("command", ["build", "serve"])
def test_ctrl_c_while_the_renderer_hangs_stops_sopkit_and_its_children(
    tmp_path: Path, mark: str, command: str
) -> None:
    """The terminal's Ctrl-C goes to the whole foreground group: sopkit stops at once and
    ends the renderer itself (one that ignores SIGINT and SIGTERM is killed)."""
    folder = tmp_path / "processes"
    folder.mkdir()
    for name in ("content-marketing.yaml", "roles.yaml"):
        shutil.copy(ENGLISH / name, folder / name)
    started = tmp_path / "started"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{_stubborn(tmp_path)}{os.pathsep}{os.environ['PATH']}",
        "SOPKIT_GRAPHVIZ": "dot",
        "STARTED": str(started),
        "SOPKIT_TEST_MARK": mark,
    }
    args = [command, str(folder), "-o", str(tmp_path / "site"), "--no-cache"]
    if command == "serve":
        args += ["--port", "0"]
    # A session of its own, as a shell gives a job in the foreground: the signal goes
    # to its whole process group, as the terminal sends Ctrl-C.
    child = subprocess.Popen(
        [sys.executable, "-m", "sopkit", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        preexec_fn=_default_signals,
    )
    try:
        _until(lambda: started.exists() and started.read_text().strip(), "the renderer runs")
        renderers = [int(pid) for pid in started.read_text().split()]
        os.killpg(child.pid, signal.SIGINT)
        _, stderr = child.communicate(timeout=TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == (0 if command == "serve" else 130), stderr
    assert "Traceback" not in stderr
    assert ("stopped" if command == "serve" else "sopkit: interrupted") in stderr
    assert not _marked(mark), "a process sopkit started outlived it"
    assert renderers and not set(renderers) & set(_marked(mark))
    assert not (tmp_path / "site").exists()  # nothing published


def test_stop_ends_a_child_that_ignores_sigterm_and_refuses_new_ones(mark: str) -> None:
    children = Children()
    env = {**os.environ, "SOPKIT_TEST_MARK": mark}
    stubborn = children.start(
        ["sh", "-c", "trap '' INT TERM; echo ready; exec sleep 600"],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert stubborn.stdout is not None and stubborn.stdout.readline() == b"ready\n"
    assert os.getsid(stubborn.pid) == stubborn.pid  # its own session: no terminal Ctrl-C
    children.stop()
    assert stubborn.poll() == -signal.SIGKILL
    stubborn.stdout.close()
    with pytest.raises(Stopped):
        children.start(["true"])
    assert not _marked(mark)


def test_a_run_waited_for_in_a_thread_ends_when_its_group_stops(mark: str) -> None:
    """A build's drawing threads wait for Graphviz: stopping the build ends the wait."""
    import threading

    children = Children()
    outcome: list[BaseException | None] = []

    def draw() -> None:
        try:
            run(
                ["sh", "-c", "trap '' INT TERM; exec sleep 600"],
                input=b"",
                timeout=TIMEOUT * 10,
                env={**os.environ, "SOPKIT_TEST_MARK": mark},
                children=children,
            )
        except BaseException as exc:  # noqa: BLE001 - the test reads it
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=draw)
    thread.start()
    _until(lambda: bool(_marked(mark)), "the child runs")
    children.stop()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Stopped)
    assert not _marked(mark)


@pytest.mark.parametrize("stopped", [True, False])
def test_a_wrapper_script_ends_with_what_it_started(
    tmp_path: Path, mark: str, stopped: bool
) -> None:
    """A renderer that is a shell script running the real one without ``exec``: ending
    the shell alone left its child running and holding the pipes, so the wait went on
    until the timeout. The whole session's group is ended, whether the build stops or
    the run times out."""
    import threading

    wrapper = tmp_path / "dot"
    wrapper.write_text("#!/bin/sh\nsleep 600\n", encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    children = Children()
    outcome: list[BaseException | None] = []

    def draw() -> None:
        try:
            run(
                [str(wrapper)],
                input=b"",
                timeout=TIMEOUT * 10 if stopped else 1.0,
                env={**os.environ, "SOPKIT_TEST_MARK": mark},
                children=children,
            )
        except BaseException as exc:  # noqa: BLE001 - the test reads it
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=draw)
    thread.start()
    _until(lambda: len(_marked(mark)) == 2, "the script and its sleep run")
    if stopped:
        children.stop()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    expected = Stopped if stopped else subprocess.TimeoutExpired
    assert len(outcome) == 1 and isinstance(outcome[0], expected)
    _until(lambda: not _marked(mark), "the script's sleep has ended too")


def test_an_engine_run_in_a_stopped_group_starts_nothing(tmp_path: Path) -> None:
    children = Children()
    children.stop()
    engine = Engine("dot", "/no/such/dot", children=children)
    with pytest.raises(Stopped):
        engine.run("digraph { a }", "svg")
    # Not stopped: a missing renderer is still the user's RenderError.
    with pytest.raises(RenderError, match="could not run"):
        Engine("dot", "/no/such/dot").run("digraph { a }", "svg")


def test_the_renderer_gets_no_terminal_signals(tmp_path: Path) -> None:
    """Graphviz runs in a session of its own: the terminal's Ctrl-C reaches sopkit only."""
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\ncut -d" " -f6 /proc/$$/stat\ncat >/dev/null\n', encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    out = Engine("dot", str(fake)).run("digraph { a }", "svg").decode()
    assert re.fullmatch(r"\s*\d+\s*", out) and int(out) != os.getsid(0)


def test_a_closed_printer_stops_the_report_instead_of_printing_it_here() -> None:
    """A build stopped while its report prints: the printer is closed, and the build
    must not print the report in its own process instead (that cannot be stopped)."""
    from sopkit.build.entries import cached_pdf
    from sopkit.render.pdf import Printer

    printer = Printer()
    child = printer._child
    assert child is not None and os.getsid(child.pid) == child.pid  # no terminal Ctrl-C
    printer.close()
    assert child.returncode is not None
    with pytest.raises(Stopped):
        printer.ready()
    with pytest.raises(Stopped):
        cached_pdf("<p>report</p>", None, printer=printer)
