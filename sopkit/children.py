"""Child processes that end when sopkit stops, and never keep it waiting.

Graphviz's ``dot`` and the report's printer run as child processes. Started
in the terminal's process group, they got the terminal's Ctrl-C as sopkit
did, and ``dot`` handles SIGINT itself (it tries to draw what it has laid out
so far): seen stuck at that for over a minute while sopkit waited for it
without a limit, so Ctrl-C took seconds, or for ever. So each child starts in
a session of its own: Ctrl-C reaches sopkit only, and sopkit ends its
children itself (SIGTERM, then SIGKILL after ``GRACE``, to the child's whole
process group: a renderer that is a shell script ends with what it started),
waiting for each at most a few seconds however it ends.

A build's children belong to a ``Children`` group: when the build fails or is
interrupted, ``stop()`` ends every child still running and refuses new ones,
so the threads waiting for them return at once and those about to start one
give up (``Stopped``) instead of drawing the rest of the portfolio first.

This module imports nothing of sopkit's: the report's printer child imports it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence

__all__ = ["GRACE", "Children", "Stopped", "end", "reap", "run"]

#: How long a child asked to end (SIGTERM) has before it is killed.
GRACE = 0.5
#: How long sopkit waits for a killed child to be gone: only a child stuck in the
#: kernel outlives SIGKILL, and sopkit does not wait for that one.
_REAPED = 5.0


class Stopped(Exception):
    """The work was stopped (Ctrl-C, a signal, a failure elsewhere): its result is not
    wanted, and the reason the work stopped is reported, not this."""


def _signal(child: subprocess.Popen[bytes], number: int) -> None:
    """Send ``number`` to every process of ``child``'s session, not to ``child`` alone.

    A renderer may be a shell script that runs the real one without ``exec``: ending
    only the shell left that process running, outside the terminal's group (no
    Ctrl-C reaches it) and holding the pipes, so the wait for them went on until its
    timeout. Each child leads a process group of its own (``start_new_session``), so
    the group's id is its pid; the group outlives the child while any of it runs.
    """
    try:
        os.killpg(child.pid, number)
    except (ProcessLookupError, PermissionError):
        # The group is gone, or was never the child's own: signal the child alone
        # (``send_signal`` does nothing once it has been reaped).
        with contextlib.suppress(OSError):
            child.send_signal(number)


def end(child: subprocess.Popen[bytes], *, grace: float = GRACE) -> None:
    """End ``child`` and whatever it started in its session: SIGTERM, SIGKILL once
    ``grace`` has passed (at once for 0), the child reaped.

    Never waits longer than ``grace`` and ``_REAPED`` together, even when
    interrupted (the kill is in ``finally``). The kill goes to the group even when
    the child itself has left: what it started may not have.
    """
    try:
        if child.poll() is None and grace > 0:
            _signal(child, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(grace)
    finally:
        _signal(child, signal.SIGKILL)
        if child.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(_REAPED)


def reap(pid: int, timeout: float = _REAPED) -> None:
    """Wait for the child ``pid`` (already killed) to be gone, for ``timeout`` at most."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done or time.monotonic() >= deadline:
            return
        time.sleep(0.01)


class Children:
    """The child processes of one piece of work (a build): ``stop()`` ends them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def start(self, command: Sequence[str], **options: object) -> subprocess.Popen[bytes]:
        """``Popen(command, **options)`` in a session of its own, ended by ``stop()``.

        Started under the lock, so a child cannot slip past a ``stop()`` under way.

        Raises:
            Stopped: ``stop()`` was called.
            OSError: the command cannot be run.
        """
        with self._lock:
            if self._stopped:
                raise Stopped
            child: subprocess.Popen[bytes] = subprocess.Popen(
                command,
                start_new_session=True,
                **options,  # type: ignore[call-overload]
            )
            self._running.add(child)
        return child

    def forget(self, child: subprocess.Popen[bytes]) -> None:
        """``child`` has ended, or was ended by its starter: ``stop()`` need not."""
        with self._lock:
            self._running.discard(child)

    def stop(self, *, grace: float = GRACE) -> None:
        """End every child still running, with all it started in its session (SIGTERM,
        then SIGKILL after ``grace``), and refuse new ones from now on."""
        with self._lock:
            self._stopped = True
            running = list(self._running)
            self._running.clear()
        deadline = time.monotonic() + grace
        try:
            for child in running:
                _signal(child, signal.SIGTERM)
            for child in running:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(max(0.0, deadline - time.monotonic()))
        finally:
            for child in running:
                end(child, grace=0)


def run(
    command: Sequence[str],
    *,
    input: bytes,
    timeout: float,
    env: Mapping[str, str] | None = None,
    children: Children | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``subprocess.run(command, input=input, capture_output=True, timeout=timeout)``,
    the child in a session of its own and ended, whatever interrupts the wait.

    Raises:
        subprocess.TimeoutExpired: the child did not finish within ``timeout`` (it is ended).
        Stopped: ``children`` was stopped before or while the child ran.
        OSError: the command cannot be run.
    """
    group = children if children is not None else Children()
    child = group.start(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=None if env is None else dict(env),
    )
    try:
        out, err = child.communicate(input, timeout=timeout)
    except BaseException:
        end(child)
        raise
    finally:
        group.forget(child)
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
    if group.stopped:
        raise Stopped
    return subprocess.CompletedProcess(list(command), child.returncode, out, err)
