"""Printing the report to PDF with WeasyPrint, which is optional.

WeasyPrint installs from PyPI (``pip install 'sopkit[pdf]'``) and draws with
the Pango library (Debian and Ubuntu: ``libpango-1.0-0``, macOS: ``brew
install pango``). Without either, ``pdf_problem`` says which to install and
``report_pdf`` raises a ``RenderError`` with that hint. Nothing is fetched
from the network: the report is self-contained and any other URL is refused.

It sits beside the renderers rather than in ``render/report`` so that it
imports nothing else of sopkit's (but ``sopkit.children``, itself importing
nothing of sopkit's): the child Python that prints a build's
report (``Printer``, below) starts it in a fraction of the time the report
package takes to import, and that start is on a rebuild's longest path.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from ..children import Stopped, end
from ..errors import RenderError, UsageError

__all__ = ["PAPERS", "Printer", "paper_name", "pdf_problem", "report_pdf"]

#: Paper sizes sopkit prints on (the report, and a diagram cut into pages).
PAPERS = ("A4", "Letter")

_INSTALL = (
    "install WeasyPrint: pip install 'sopkit[pdf]' (it needs the Pango library: "
    "apt-get install libpango-1.0-0, or brew install pango)"
)


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    """The ``weasyprint`` module, or the reason it cannot be used."""
    try:
        weasyprint = _import_weasyprint()
    except ImportError:
        return RenderError("no PDF renderer: WeasyPrint is not installed", hint=_INSTALL)
    except OSError as exc:  # WeasyPrint is there but Pango (or a library it needs) is not
        return RenderError(
            f"no PDF renderer: WeasyPrint cannot load a library it needs ({exc})", hint=_INSTALL
        )
    return weasyprint


def _import_weasyprint() -> Any:
    """``import weasyprint``, without a score of compiler runs on Linux.

    WeasyPrint loads Pango and the libraries beside it by trying the names each
    has on Windows, macOS and Linux in turn. Every name that does not load is
    searched for with ``ctypes.util.find_library``, which on Linux runs
    ``ldconfig``, then ``gcc`` and ``ld``: about twenty child processes and half
    a second of CPU, spent on every build (and on the longest path of a
    rebuild, since the report prints once WeasyPrint is in). The Linux name of
    each library (``libpango-1.0.so.0``) is among those tried and loads as it
    is, so the search is skipped during the import; if the import fails so, it
    is done again the usual way, which finds what it can and says what is
    missing. A module whose import fails is not kept (those it had finished
    are), so the second attempt loads the libraries afresh.

    The search is skipped only in a process running one thread (the report's
    printer, ``sopkit report``): the stand-in for ``find_library`` and the
    silenced standard output (WeasyPrint prints a notice there when a library
    fails to load) are the whole process's while they last.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        import ctypes.util

        searched = ctypes.util.find_library
        ctypes.util.find_library = _not_searched
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                import weasyprint

            return weasyprint
        except OSError:
            pass
        finally:
            ctypes.util.find_library = searched
    import weasyprint

    return weasyprint


def _not_searched(name: str) -> None:
    return None


def paper_name(paper: str) -> str:
    """``paper`` as CSS names it (``a4`` is ``A4``).

    Raises:
        UsageError: a paper sopkit does not print on (the hint lists those it does).
    """
    chosen = {p.lower(): p for p in PAPERS}.get(paper.lower())
    if chosen is None:
        raise UsageError(f"unknown paper '{paper}'", hint="use one of: " + ", ".join(PAPERS))
    return chosen


def pdf_problem() -> RenderError | None:
    """Why no PDF can be made here, or ``None`` when WeasyPrint works."""
    found = _weasyprint()
    return found if isinstance(found, RenderError) else None


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report loads nothing from outside itself ({url[:60]})")


def report_pdf(html: str) -> bytes:
    """The report's HTML (or any self-contained page: a diagram's printed parts) printed
    to PDF.

    The PDF's dates come from the page's ``dcterms`` meta tags (the report's
    date); without them it has none, so the same page gives the same bytes.

    Raises:
        RenderError: WeasyPrint or Pango is missing (the hint says what to install).
    """
    weasyprint = _weasyprint()
    if isinstance(weasyprint, RenderError):
        raise weasyprint
    return _print(html)


@lru_cache(maxsize=4)
def _print(html: str) -> bytes:
    """The same page prints to the same bytes, so a rebuild of unchanged files reuses it."""
    import weasyprint

    # Their notes on fonts and CSS are not the reader's business; the levels are put back
    # after, so a program that prints a report keeps its own logging as it set it.
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    with _QUIET:  # two threads printing at once must not keep each other's ERROR level
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            document = weasyprint.HTML(string=html, url_fetcher=_no_network)
            data: bytes = document.write_pdf()
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)
    return data


_QUIET = threading.Lock()


# --- printing in a child Python ---------------------------------------------------------
#
# WeasyPrint is Python: printing in a thread would hold the GIL while a build
# renders everything else, so a build's report prints in a child process, on
# another core. Importing WeasyPrint takes a second; started only once the
# report's HTML is ready, that second would sit on the longest path of every
# rebuild (the report's totals change with any edit). So the child is started
# first (``sopkit build`` starts it before importing the build itself): it
# imports WeasyPrint and this module (which imports nothing else of sopkit's),
# says on its first line of output whether it can print, and then waits for the
# HTML on its standard input. It runs the same ``report_pdf`` on the same HTML,
# so its bytes are the ones the build would print itself; whenever it cannot be
# started, dies or fails, the build prints in its own process instead, where
# any real error is raised with its hint. It runs in a session of its own, so
# the terminal's Ctrl-C reaches only sopkit, which closes it: a printer closed
# while a build waits for it says ``Stopped`` (the build is being stopped, and
# printing in its own process instead would only keep it waiting).

#: What the child runs: "ready" or "no" on the first line, then the PDF for the HTML on stdin.
_CHILD = (
    "import sys\n"
    "from sopkit.render.pdf import pdf_problem, report_pdf, warm_up\n"
    "out = sys.stdout.buffer\n"
    "if pdf_problem() is not None:\n"
    "    out.write(b'no\\n'); out.flush(); sys.exit(0)\n"
    "out.write(b'ready\\n'); out.flush()\n"
    "warm_up()\n"
    "html = sys.stdin.buffer.read()\n"
    "if html:\n"
    "    out.write(report_pdf(html.decode('utf-8')))\n"
)
_READY = b"ready\n"
#: Long enough for any report; a child that takes longer is given up on (and killed).
_TIMEOUT = 600.0

#: A page with a little of everything a report has (bold, a table, figures, an SVG
#: chart, Latin, Cyrillic and Hangul text), printed by the child while it waits.
_WARM_UP = (
    "<!DOCTYPE html><html><head><style>body { font: 9pt 'DejaVu Sans', sans-serif; } "
    "td { text-align: right; font-variant-numeric: tabular-nums; }</style></head><body>"
    "<h1>Annual cost</h1><p><b>$1,234.50</b> · Маркетинг · 콘텐츠 작가</p>"
    "<table><tr><th>Step</th><td>12.5</td></tr></table>"
    "<svg viewBox='0 0 40 10'><rect width='20' height='5'/><text y='9'>80%</text></svg>"
    "</body></html>"
)


def warm_up() -> None:
    """Print a small page and throw it away: the first print in a process also loads the
    fonts and fills WeasyPrint's caches. The printer's child does it while it waits for
    the report (its core is otherwise idle then), which then prints about 0.04 s sooner
    (of 0.8 s for a 100-process report). Nothing it fails at is the report's business."""
    with contextlib.suppress(Exception):
        _print(_WARM_UP)


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
        self._given = False
        self._closed = False
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        except OSError:
            self._child = None
            self._ready = False

    def ready(self) -> bool:
        """Whether the child imported WeasyPrint and waits for a page (waits for it to say).

        Raises:
            Stopped: the printer was closed (before or while waiting).
        """
        with self._lock:
            if self._ready is None and not self._closed:
                assert self._child is not None and self._child.stdout is not None
                try:
                    self._ready = self._child.stdout.readline() == _READY
                except (OSError, ValueError):  # closed while reading
                    self._ready = False
            self._check_open()
            return bool(self._ready)

    def print(self, html: str) -> bytes | None:
        """The page printed by the child, or ``None`` when the child could not print it.

        Raises:
            Stopped: the printer was closed (before or while printing).
        """
        if not self.ready():
            return None
        child = self._child
        assert child is not None
        self._given = True
        try:
            out, _ = child.communicate(html.encode("utf-8"), timeout=_TIMEOUT)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self._check_open()
            self._end()
            return None
        self._check_open()
        if child.returncode != 0 or not out.startswith(b"%PDF"):
            return None
        return out

    def _check_open(self) -> None:
        if self._closed:
            raise Stopped

    @property
    def unused(self) -> bool:
        """Whether the child still runs and was given no page: another build may use it."""
        return not self._given and self._child is not None and self._child.poll() is None

    def close(self) -> None:
        """Stop the child if it still runs (a build that printed nothing, failed or is
        being stopped); a build still waiting for it is told ``Stopped``."""
        self._closed = True
        self._end()

    def _end(self) -> None:
        child = self._child
        if child is None or child.returncode is not None:
            return
        end(child, grace=0)  # nothing of its own to tidy up: killed at once
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
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
