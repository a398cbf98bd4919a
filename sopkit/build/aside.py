"""A file of the site made by a forked copy of the build, on another core.

A rebuild after one edit redraws little, but everything that adds up the whole
portfolio is made again, and most of that is Python holding one core: the
workbook alone (about a million XML characters through XlsxWriter) takes as
long as the report's HTML, the cost files and the dashboard together. Made by
a copy of this process that ``fork`` started once the portfolio is costed, it
is made on the second core while this one writes the rest; only its bytes come
back.

Forking is safe only while this process runs no other thread (a copy gets only
the forking thread, and a lock another thread held at that moment stays locked
in the copy for good). So under ``sopkit serve``, whose server runs beside its
builds, and on systems without ``fork``, the file is made here when it is asked
for. The copy runs at a lower priority than the build: when the cores are busy,
the report's printer, the longest path of a rebuild, goes first.

A copy that fails for any reason, even a bug, sends nothing and the file is
made here too, where a real error is raised as it always was: the bytes are the
same either way.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

__all__ = ["Aside", "can_fork"]

#: How much less the copy asks of the processor than the build (see above).
_NICER = 10


def can_fork() -> bool:
    """Whether a forked copy of this process can do work beside it."""
    return sys.platform == "linux" and threading.active_count() == 1


def _nothing() -> None:
    pass


class Aside:
    """``make()``'s bytes, made by a forked copy when that is safe; ``result()`` gives them.

    ``forget`` runs first in the copy: it closes what the copy inherited but must
    not keep open (the report printer's input, whose end the printer waits for).
    """

    def __init__(self, make: Callable[[], bytes], *, forget: Callable[[], None] = _nothing) -> None:
        self._make = make
        self._made: bytes | None = None
        self._child: BaseProcess | None = None
        self._receiver: Connection | None = None
        if not can_fork():
            return
        context = get_context("fork")
        # Whatever this process has buffered would be written again by the copy.
        sys.stdout.flush()
        sys.stderr.flush()
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_copy, args=(make, forget, sender, receiver), daemon=True)
        try:
            child.start()
        except OSError:  # no memory or no processes left: made here instead
            receiver.close()
            return
        finally:
            sender.close()
        self._child, self._receiver = child, receiver

    def result(self) -> bytes:
        """The bytes, from the copy or made here (the copy failed, or there was none)."""
        if self._made is None:
            received = self._received()
            self._made = received if received is not None else self._make()
        return self._made

    def _received(self) -> bytes | None:
        """The copy's bytes; ``None`` when there was no copy or it sent none (an empty
        message is how it says it failed: no file of a site is empty)."""
        receiver = self._receiver
        if receiver is None:
            return None
        try:
            data = receiver.recv_bytes()
        except (EOFError, OSError):  # the copy died (out of memory, say)
            data = b""
        except BaseException:  # interrupted while waiting: the copy's work is not wanted
            self.close()
            raise
        self._end(kill=False)
        return data or None

    def close(self) -> None:
        """Stop the copy if it still runs (the build failed or was interrupted)."""
        self._end(kill=True)

    def _end(self, *, kill: bool) -> None:
        child, self._child = self._child, None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if child is None:
            return
        if kill and child.is_alive():
            child.kill()
        child.join()


def _copy(
    make: Callable[[], bytes],
    forget: Callable[[], None],
    sender: Connection,
    inherited: Connection,
) -> None:
    """The copy's work: the bytes, or an empty message when anything went wrong."""
    inherited.close()
    data = b""
    try:
        with contextlib.suppress(OSError):
            os.nice(_NICER)
        forget()
        data = make()
    except BaseException:  # noqa: BLE001 - the parent makes it again and shows any error
        data = b""
    try:
        sender.send_bytes(data)
    except (OSError, KeyboardInterrupt):
        pass  # the parent stopped listening: it failed, or made the file itself
    finally:
        sender.close()
