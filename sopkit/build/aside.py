"""A file of the site made by a forked copy of the build, on another core.

A rebuild after one edit redraws little, but everything that adds up the whole
portfolio is made again, and most of that is Python holding one core: the
workbook alone (about a million XML characters through XlsxWriter) takes as
long as the report's HTML, the cost files and the dashboard together. Made by
a copy of this process that ``fork`` started once the portfolio is costed
(in a rebuild even before its ranges are simulated: ``render_site``), it is
made on the second core while this one writes the rest; only its bytes come
back, through a pipe.

Forking is safe only while this process runs no other thread (a copy gets only
the forking thread, and a lock another thread held at that moment stays locked
in the copy for good). So under ``sopkit serve``, whose server runs beside its
builds, and on systems without ``fork``, the file is made here when it is asked
for. The copy runs at the build's priority: it ends a rebuild as often as the
report's printer does (lowered, it finished last and the rebuild took longer).

The copy holds nothing of the build's but its pipe: it closes every other file
it inherited first, so the site's lock is the build's alone (a build killed
with SIGKILL frees it at once, as the lock promises), and the report's printer
sees the end of its page when the build closes it. Signals do to the copy what
they do by default: Ctrl-C ends it quietly with the build (it stays in the
terminal's process group: unlike Graphviz, it has no SIGINT handler of its
own to hang in). A copy stopped by the build is killed, and waited for a few
seconds at most (``sopkit.children.reap``).

Whatever goes wrong in the copy (an error, even a bug; a death; no answer
within ``TIMEOUT``) ends in the file being made here, where a real error is
raised as it always was: the bytes are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

from ..children import reap

__all__ = ["TIMEOUT", "Aside", "can_fork"]

#: How long the build waits for the copy before making the file itself (and stopping
#: the copy): far longer than any workbook takes, short of waiting for ever.
TIMEOUT = 600.0
#: The length of the bytes, before them: a copy that dies while writing is told apart.
_HEAD = 8


def can_fork() -> bool:
    """Whether a forked copy of this process can do work beside it."""
    return sys.platform == "linux" and threading.active_count() == 1


class Aside:
    """``make()``'s bytes, made by a forked copy when that is safe; ``result()`` gives them."""

    def __init__(self, make: Callable[[], bytes], *, timeout: float = TIMEOUT) -> None:
        self._make = make
        self._timeout = timeout
        self._made: bytes | None = None
        self._pid: int | None = None
        self._reader: int | None = None
        if not can_fork():
            return
        # The copy leaves by os._exit: what this process has buffered is never written twice.
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or no processes left: made here instead
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the copy: it never returns
            _copy(make, writer)
        os.close(writer)
        self._pid, self._reader = pid, reader

    @property
    def forked(self) -> bool:
        """Whether a copy is making the bytes (else ``result`` makes them here); asked
        before ``result``."""
        return self._pid is not None

    def otherwise(self, make: Callable[[], bytes]) -> None:
        """Make the bytes with ``make`` here if the copy fails (the same bytes, made
        with what this process has worked out since the copy was forked)."""
        self._make = make

    def result(self) -> bytes:
        """The bytes, from the copy or made here (the copy failed, or there was none)."""
        if self._made is None:
            try:
                received = self._received()
            except BaseException:  # interrupted while waiting: the copy's work is not wanted
                self.close()
                raise
            self._made = received if received is not None else self._make()
        return self._made

    def close(self) -> None:
        """Stop the copy if it still runs (the build failed or was interrupted)."""
        self._end(kill=True)

    def _received(self) -> bytes | None:
        """The copy's bytes; ``None`` when there was no copy, or it sent no whole message."""
        reader = self._reader
        if reader is None:
            return None
        chunks: list[bytes] = []
        deadline = time.monotonic() + self._timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([reader], [], [], left)[0]:
                self._end(kill=True)  # no answer in time
                return None
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        self._end(kill=False)
        message = b"".join(chunks)
        size = int.from_bytes(message[:_HEAD], "big") if len(message) >= _HEAD else -1
        return message[_HEAD:] if size == len(message) - _HEAD > 0 else None

    def _end(self, *, kill: bool) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            os.close(reader)
        pid, self._pid = self._pid, None
        if pid is None:
            return
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            reap(pid)  # gone at once, unless stuck in the kernel: not waited for then
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)  # it closed its end of the pipe: it is leaving


def _copy(make: Callable[[], bytes], writer: int) -> None:
    """The copy's whole life: its bytes, length first, or nothing when anything failed."""
    status = 0
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        os.closerange(3, writer)
        os.closerange(writer + 1, _highest_descriptor())
        data = make()
        message = len(data).to_bytes(_HEAD, "big") + data
        view = memoryview(message)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:  # noqa: BLE001 - the build makes the file itself and shows any error
        status = 1
    finally:
        os._exit(status)


def _highest_descriptor() -> int:
    """One past the highest file descriptor this process may hold."""
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 65536
