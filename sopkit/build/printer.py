"""report.pdf printed by a child Python that starts while the build is still loading.

WeasyPrint is Python: printing in a thread would hold the GIL while the build
renders everything else, so a large portfolio's report prints in a child
process, on another core. Importing WeasyPrint takes the child about a second;
started only once the report's HTML is ready, that second would sit on the
longest path of every rebuild (the report's totals change with any edit). So
``build_site`` starts the child as soon as it knows the portfolio is large
enough: the child imports WeasyPrint, says on its first line of output
whether it can print, and then waits for the HTML on its standard input.

The child runs the same ``report_pdf`` on the same HTML, so its bytes are the
ones the build would print itself; whenever the child cannot be started, dies
or fails, the build prints in its own process instead, where any real error
is raised with its hint.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["Printer"]

#: What the child runs: "ready" or "no" on the first line, then the PDF for the HTML on stdin.
_CHILD = (
    "import sys\n"
    "from sopkit.render.report.pdf import pdf_problem, report_pdf\n"
    "out = sys.stdout.buffer\n"
    "if pdf_problem() is not None:\n"
    "    out.write(b'no\\n'); out.flush(); sys.exit(0)\n"
    "out.write(b'ready\\n'); out.flush()\n"
    "html = sys.stdin.buffer.read()\n"
    "if html:\n"
    "    out.write(report_pdf(html.decode('utf-8')))\n"
)
_READY = b"ready\n"
#: Long enough for any report; a child that takes longer is given up on (and killed).
_TIMEOUT = 600.0


class Printer:
    """One child Python that prints one report; use it as a context manager.

    ``ready()`` and ``print()`` may be called from different threads.
    """

    def __init__(self) -> None:
        package = str(Path(__file__).resolve().parent.parent.parent)
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": package + (os.pathsep + path if path else "")}
        self._lock = threading.Lock()
        self._ready: bool | None = None
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self._child = None
            self._ready = False

    def ready(self) -> bool:
        """Whether the child imported WeasyPrint and waits for a page (waits for it to say)."""
        with self._lock:
            if self._ready is None:
                assert self._child is not None and self._child.stdout is not None
                self._ready = self._child.stdout.readline() == _READY
            return self._ready

    def print(self, html: str) -> bytes | None:
        """The page printed by the child, or ``None`` when the child could not print it."""
        if not self.ready():
            return None
        child = self._child
        assert child is not None
        try:
            out, _ = child.communicate(html.encode("utf-8"), timeout=_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            self.close()
            return None
        if child.returncode != 0 or not out.startswith(b"%PDF"):
            return None
        return out

    def close(self) -> None:
        """Stop the child if it still runs (a build that printed nothing, or failed)."""
        child = self._child
        if child is None or child.returncode is not None:
            return
        child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Printer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
