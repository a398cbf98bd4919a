"""``sopkit serve``: build the site, serve it on loopback, rebuild and reload on every edit.

The edit loop a team wants: save a process file, and the open page shows the
new SOP, diagram and dashboard. The pieces:

* **Build** with ``build_site`` and the build cache, into a folder of its own
  (a temporary one unless ``-o`` names one), so a rebuild redraws only what
  changed and the folder is always one whole site (``sopkit.build.publish``).
  The folder is marked as served while the server runs (``Served``): a build
  of it by another process would replace the site unseen, so it is refused.
* **Watch** by polling: every input file's modification time and size
  (processes and roles files under the given paths, ``--roles``, scenarios,
  the template folder), a few times a second. Portable, no dependency, and
  cheap for the hundreds of files a portfolio has. A file whose time or size
  moved is read and hashed: only new bytes are a change, so ``touch`` (or a
  save without an edit) rebuilds nothing.
* **Serve** with the standard library's threaded HTTP server, only files
  inside the site folder: a path with ``..`` (also percent-encoded), a
  backslash or a NUL, or one that resolves (through a symbolic link) outside
  the folder, is refused.
* **Reload**: each HTML response gets a tiny script (at serve time only; the
  files on disk are what ``sopkit build`` writes) that polls
  ``/__sopkit__/version`` and reloads the page when a build has finished
  with another site than before (a rebuild that changed no byte, say after
  an edit of a comment, reloads nothing). The
  pages' Content-Security-Policy forbids scripts, so the served copy's policy
  allows this one script (by nonce) and requests to the server itself.
* **Errors**: when an input is broken, every HTML page shows the located
  errors (``path:line:col: error: …``) until the file is fixed, and every
  other file (cost.csv, the workbook, a diagram) is refused with them, all
  with status 503, so nothing built from the old files is handed out as
  current; the server keeps running. Before the first build is done, a file
  not yet written is 503 too (being built), not 404.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import mimetypes
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import __version__
from ..checkup import warning_lines
from ..errors import SopkitError
from ..render.pdf import Printer
from . import BuildResult, build_site
from .cache import Cache, CacheStats
from .publish import FolderBusy, Served

__all__ = [
    "VERSION_PATH",
    "SiteServer",
    "Watcher",
    "content_type",
    "host_allowed",
    "is_loopback",
    "reload_html",
    "safe_path",
    "what_changed",
]

#: The endpoint the reload script polls: the number of builds finished so far.
VERSION_PATH = "/__sopkit__/version"
#: How often the watcher looks at the files, in seconds.
POLL = 0.3
#: How long a build waits for another build writing the same folder, and how often it tries.
_BUSY_WAIT = 120.0
_BUSY_POLL = 1.0
_WATCHED = {".yaml", ".yml", ".j2", ".css", ".html", ".md", ".json"}

Echo = Callable[[str], None]


# --- watching ---------------------------------------------------------------------------


class Watcher:
    """The modification time and size of every input file, and a hash of its bytes;
    ``changed()`` says when the bytes change (a file that moves in time only is not)."""

    def __init__(self, paths: Iterable[str | Path], *, skip: Path | None = None) -> None:
        self.paths = [Path(p) for p in paths]
        self.extra: list[Path] = []
        #: The site folder, when it is inside a watched folder: its files are ours.
        self.skip = None if skip is None else skip.resolve()
        self._last = self.snapshot()
        #: Each file's bytes as last seen (a hash; ``None`` for a missing file): read
        #: again only when its time or size moves.
        self._hashes = {key: _content_hash(key) for key in self._last}
        #: The files that changed, appeared or went at the last ``changed()`` that said so.
        self.last_changed: list[str] = []

    def _files(self) -> Iterable[Path]:
        for path in [*self.paths, *self.extra]:
            if path.is_dir():
                for folder, folders, names in os.walk(path):
                    folders[:] = sorted(
                        f
                        for f in folders
                        if not f.startswith(".") and (Path(folder) / f).resolve() != self.skip
                    )
                    for name in sorted(names):
                        if Path(name).suffix.lower() in _WATCHED and not name.startswith("."):
                            yield Path(folder) / name
            else:
                yield path

    def snapshot(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for path in self._files():
            try:
                info = path.stat()
            except OSError:
                found[str(path)] = (-1, -1)  # missing: its coming back is a change too
                continue
            found[str(path)] = (info.st_mtime_ns, info.st_size)
        return found

    def watch_also(self, paths: Iterable[str | Path]) -> None:
        """Watch ``paths`` too (the files a build read), from now on.

        A file that only joins or leaves the watch list is not a change; a file
        watched before keeps its last seen state, so an edit made during the
        build is still noticed.
        """
        self.extra = [Path(p) for p in paths]
        now = self.snapshot()
        self._last = {key: self._last.get(key, state) for key, state in now.items()}
        self._hashes = {
            key: self._hashes[key] if key in self._hashes else _content_hash(key)
            for key in self._last
        }

    def changed(self) -> bool:
        """Whether any file's bytes changed, or a file appeared or went, since the last call."""
        now = self.snapshot()
        if now == self._last:
            return False
        moved = [
            key for key in now.keys() | self._last.keys() if now.get(key) != self._last.get(key)
        ]
        changed = []
        for key in moved:
            if key not in now:  # no longer watched (gone with its folder)
                self._hashes.pop(key, None)
                changed.append(key)
                continue
            digest = _content_hash(key)
            if key not in self._last or digest != self._hashes.get(key):
                changed.append(key)
            self._hashes[key] = digest
        self._last = now
        if not changed:
            return False  # touched, or saved unchanged
        self.last_changed = sorted(changed)
        return True


def _content_hash(path: str) -> bytes | None:
    """A hash of the file's bytes; ``None`` when it cannot be read (missing)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).digest()
    except OSError:
        return None


def what_changed(paths: Sequence[str]) -> str:
    """``content-marketing.yaml changed``, or ``3 files changed``; "" for none."""
    if not paths:
        return ""
    return f"{Path(paths[0]).name} changed" if len(paths) == 1 else f"{len(paths)} files changed"


# --- serving ----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (``localhost``, 127.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: The names a browser on this machine reaches a loopback server by.
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def _host_name(header: str) -> str | None:
    """The name in a ``Host`` header, without its port, lower case (an IPv6 address
    without its brackets); ``None`` when the header is not a host and port."""
    text = header.strip().lower()
    if text.startswith("["):
        name, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest[:1] == ":" and _is_port(rest[1:]))):
            return None
    else:
        name, colon, port = text.rpartition(":")
        if not colon:
            name = text
        elif not _is_port(port) or ":" in name:
            return None
    name = name.rstrip(".")
    try:
        return ipaddress.ip_address(name).compressed
    except ValueError:
        return name or None


def _is_port(text: str) -> bool:
    """Whether ``text`` is the port after a host's colon: ASCII digits, or none at all
    (``localhost:`` is a valid ``Host``: RFC 3986 allows an empty port)."""
    return not text or (text.isascii() and text.isdigit())


def _bound_name(bound: str) -> str | None:
    """The address ``--host`` names, as ``_host_name`` gives a header's.

    Unlike a ``Host`` header, ``--host`` writes an IPv6 address without brackets
    (``::1``): read as a name and a port, it was no host at all, and a server bound
    to ``::1`` was taken for one bound to every address.
    """
    try:
        return ipaddress.ip_address(bound.strip().strip("[]")).compressed
    except ValueError:
        return _host_name(bound)


def host_allowed(header: str | None, bound: str, *, local_names: Iterable[str] = ()) -> bool:
    """Whether to answer a request whose ``Host`` header is ``header``, on a server
    bound to ``bound`` (``--host``).

    A web page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding)
    and read what a loopback server answers: its requests carry that name. So a
    loopback server answers only ``localhost``, ``127.0.0.1`` and ``[::1]`` (any
    port: an SSH tunnel may change it), and the address it is bound to; one bound
    to all addresses (``0.0.0.0``, ``::``) also any IP address and this machine's
    ``local_names``. A request without the header is no browser's: answered.
    """
    if header is None:
        return True
    name = _host_name(header)
    if name is None:
        return False
    bound_name = _bound_name(bound) or ""
    if name in _LOOPBACK_NAMES or name == bound_name:
        return True
    if bound_name in ("0.0.0.0", "::", ""):
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name in {n.lower().rstrip(".") for n in local_names}
        return True
    return False


def _wrong_host(bound: str, local_names: Sequence[str]) -> str:
    """The body of the answer to a request for another host: which ones are answered."""
    names = ["localhost", "127.0.0.1", "[::1]"]
    if _bound_name(bound) in ("0.0.0.0", "::", "", None):
        names += ["an IP address of this machine", *local_names[:1]]
    elif not is_loopback(bound):
        names.append(bound)
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    return f"sopkit serve answers only requests for {listed}: open the address it printed\n"


#: The type of each kind of file a site has, whatever this system's MIME tables say.
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Types that are text without being ``text/*``.
_TEXT = {"application/json", "image/svg+xml", "application/xml", "application/javascript"}


def content_type(path: str | Path) -> str:
    """The ``Content-Type`` of a site file: text with ``charset=utf-8``, which is what
    every text a build writes is (without it, a browser guesses the Markdown and CSV
    files' encoding, and shows ``—`` as ``â€"``)."""
    suffix = Path(path).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(f"x{suffix}")[0]
    if kind is None:
        return "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT:
        return f"{kind}; charset=utf-8"
    return kind


def safe_path(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` a request names, or ``None`` when it would leave ``root``.

    Refused: ``..`` segments (also percent-encoded), backslashes, NUL bytes,
    and any path that resolves, through symbolic links, outside ``root``.
    """
    path = unquote(urlsplit(url_path).path, errors="strict")
    if "\\" in path or "\0" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    base = root.resolve()
    target = base.joinpath(*parts)
    try:
        resolved = target.resolve(strict=False)
    except (OSError, RuntimeError):
        return None
    if resolved != base and not resolved.is_relative_to(base):
        return None
    try:
        folder = resolved.is_dir()
    except OSError:  # a name too long for the file system names no file of ours
        return None
    # A folder's page, even before the first build has written it (the error page).
    if folder or resolved == base or path.endswith("/"):
        resolved = resolved / "index.html"
    return resolved


def _hidden(root: Path, target: Path) -> bool:
    """Whether ``target`` (inside ``root``) is or is in a dot file: none is the site's."""
    return any(part.startswith(".") for part in target.relative_to(root.resolve()).parts)


_CSP = re.compile(
    r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def _script(version: int, nonce: str) -> str:
    return (
        f'<script nonce="{nonce}">(function(){{var seen="{version}";'
        "function poll(){fetch(" + f'"{VERSION_PATH}"' + ',{cache:"no-store"})'
        ".then(function(r){return r.text()}).then(function(v){"
        "if(v.trim()!==seen){location.reload()}else{setTimeout(poll,500)}})"
        ".catch(function(){setTimeout(poll,2000)})}setTimeout(poll,500)})();</script>"
    )


def reload_html(page: str, version: int) -> str:
    """``page`` with the reload script, its Content-Security-Policy allowing that script."""
    nonce = secrets.token_urlsafe(12)
    allow = f"script-src 'nonce-{nonce}'; connect-src 'self'; "
    page = _CSP.sub(lambda m: m.group(1) + allow + m.group(2) + m.group(3), page)
    script = _script(version, nonce)
    ends = [m.start() for m in _BODY_END.finditer(page)]
    if not ends:
        return page + script
    return page[: ends[-1]] + script + page[ends[-1] :]


#: What a download gets while an input is broken, before the located errors.
_BROKEN = "sopkit: the site cannot be built until these files are fixed:"
#: What a file not yet written gets before the first build is done.
_BUILDING = "sopkit: the site is being built; try again in a moment\n"


def _page(title: str, body: str, version: int) -> str:
    """A page of sopkit's own, with the reload script."""
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>sopkit: {html.escape(title)}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "pre{background:#fff4f4;border:1px solid #d33;padding:1rem;white-space:pre-wrap}"
        f"</style>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n"
    )
    return reload_html(page, version)


def error_page(errors: str, version: int) -> str:
    """The page every HTML request gets while an input is broken."""
    return _page(
        "The site cannot be built",
        "<p>Fix the files below and save: this page reloads by itself.</p>\n"
        f'<pre id="sopkit-errors">{html.escape(errors)}</pre>\n',
        version,
    )


def missing_page(path: str, version: int) -> str:
    """A page the site does not have (yet): it reloads when a build finishes, so a tab
    opened before the first build, or on a process renamed and back, comes back."""
    if version == 0:
        return _page(
            "Building the site",
            "<p>The first build is under way: this page reloads by itself when it is done.</p>\n",
            version,
        )
    return _page(
        "No such page",
        f"<p>The site has no <code>{html.escape(path)}</code>: a process renamed or "
        "removed? This page reloads by itself after the next build.</p>\n",
        version,
    )


@dataclass
class _State:
    """What the handler threads read: the site's version and the errors of the latest build."""

    root: Path
    #: The ``--host`` the server is bound to, and this machine's names (``host_allowed``).
    bound: str = "127.0.0.1"
    local_names: tuple[str, ...] = ()
    #: Moves when a build ends with another site or other errors than before: the open
    #: pages reload then, and only then.
    version: int = 0
    errors: str | None = None
    #: The last good site's ``BuildResult.digest``.
    digest: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self) -> tuple[int, str | None]:
        with self.lock:
            return self.version, self.errors

    def finished(self, errors: str | None, digest: str | None = None) -> bool:
        """Record a build's outcome; whether the pages should reload (it differs)."""
        with self.lock:
            if errors is None:
                same = self.version > 0 and self.errors is None and digest == self.digest
                self.digest = digest
            else:
                same = self.version > 0 and errors == self.errors
            self.errors = errors
            if not same:
                self.version += 1
            return not same


class _Handler(SimpleHTTPRequestHandler):
    """Files of the site only; HTML with the reload script; errors while inputs are broken."""

    state: _State  # set on the subclass made per server
    server_version = f"sopkit/{__version__}"

    def version_string(self) -> str:
        return self.server_version  # not Python's version after it

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds, not every request

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, head: bool) -> None:
        text = f"{status.value} {status.phrase}\n".encode()
        self._send(status, text, "text/plain; charset=utf-8", head)

    def _answer(self, *, head: bool) -> None:
        state = self.state
        if not host_allowed(self.headers["Host"], state.bound, local_names=state.local_names):
            refusal = _wrong_host(state.bound, state.local_names).encode()
            self._send(HTTPStatus.FORBIDDEN, refusal, "text/plain; charset=utf-8", head)
            return
        version, errors = state.read()
        raw = self.path
        if urlsplit(raw).path == VERSION_PATH:
            self._send(HTTPStatus.OK, str(version).encode(), "text/plain; charset=utf-8", head)
            return
        try:
            target = safe_path(self.state.root, raw)
        except UnicodeDecodeError:
            target = None
        if target is None:
            self._refuse(HTTPStatus.FORBIDDEN, head)
            return
        if _hidden(state.root, target):  # .sopkit-site: the build's marker, not the site's
            self._refuse(HTTPStatus.NOT_FOUND, head)
            return
        is_html = target.suffix.lower() in (".html", ".htm")
        if errors is not None and is_html:
            # 503 as for the downloads: the page is not what was asked for, and a
            # script or link checker must not take it for the SOP.
            page = error_page(errors, version).encode("utf-8")
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, page, "text/html; charset=utf-8", head)
            return
        if errors is not None:
            # The last good build's cost.csv or report.pdf would no longer be
            # what the files say: refuse it and say why.
            refusal = f"{_BROKEN}\n\n{errors}\n".encode()
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, refusal, "text/plain; charset=utf-8", head)
            return
        try:
            data = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            # Before the first build, nothing is missing yet: it is being made (503).
            status = HTTPStatus.SERVICE_UNAVAILABLE if version == 0 else HTTPStatus.NOT_FOUND
            if is_html:
                page = missing_page(urlsplit(raw).path, version).encode("utf-8")
                self._send(status, page, "text/html; charset=utf-8", head)
            elif version == 0:
                self._send(status, _BUILDING.encode(), "text/plain; charset=utf-8", head)
            else:
                self._refuse(status, head)
            return
        except OSError:
            self._refuse(HTTPStatus.FORBIDDEN, head)
            return
        if is_html:
            text = reload_html(data.decode("utf-8", "replace"), version)
            self._send(HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8", head)
            return
        self._send(HTTPStatus.OK, data, content_type(target), head)


# --- the loop ---------------------------------------------------------------------------


def _local_names() -> tuple[str, ...]:
    """This machine's name, as a browser on the network may ask for it (no DNS lookup:
    it could take seconds)."""
    name = socket.gethostname()
    return (name, name.partition(".")[0]) if name else ()


def _located(exc: SopkitError) -> str:
    return exc.format()


class SiteServer:
    """Builds ``paths`` into ``out_dir``, serves it, rebuilds on change (``run`` until stopped).

    ``build`` takes the same keyword arguments as ``build_site`` (less the
    paths and the folder); ``echo`` prints progress.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        out_dir: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        roles: str | Path | None = None,
        scenarios: Sequence[str | Path] = (),
        template_dir: str | Path | None = None,
        cache: Cache | None = None,
        diagrams: bool = True,
        echo: Echo = print,
    ) -> None:
        self.paths = list(paths)
        self._serving = False
        self._temp: Path | None = None
        if out_dir is None:
            self._temp = Path(tempfile.mkdtemp(prefix="sopkit-serve-"))
            out_dir = self._temp / "site"
        self.out_dir = out_dir
        self.options: dict[str, Any] = {
            "roles": roles,
            "scenarios": list(scenarios),
            "template_dir": template_dir,
            "cache": cache,
            "diagrams": diagrams,
        }
        self.echo = echo
        watched: list[str | Path] = [*self.paths, *scenarios]
        if roles is not None:
            watched.append(roles)
        if template_dir is not None:
            watched.append(template_dir)
        self.watcher = Watcher(watched, skip=out_dir)
        self.state = _State(root=out_dir, bound=host, local_names=_local_names())
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._served: Served | None = None
        try:
            # The folder is ours while we run: a `sopkit build -o` of it would replace
            # the site unseen (other options, open pages never reloaded); it is refused.
            self._served = Served(out_dir.resolve(), shown=str(out_dir))
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except BaseException:
            self._release()  # the port was taken: leave no mark and no empty folder behind
            raise
        self.httpd.daemon_threads = True
        self.stopped = threading.Event()
        #: The next build's printer, started after the last build: it imports WeasyPrint
        #: while the user edits, not on the rebuild's longest path. Every build prints
        #: apart, whatever the portfolio's size: a report printed in this process
        #: could not be stopped, and Ctrl-C would wait for it.
        self._printer: Printer | None = None
        #: The warnings the last build printed.
        self._told: list[str] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def build(self, reason: str = "") -> BuildResult | None:
        """One build; a broken input is shown on every page, never raised. ``reason``
        (``roles.yaml changed``) goes on the build's first line."""
        started = time.perf_counter()
        cache = self.options["cache"]
        if cache is not None:
            cache.stats = CacheStats()  # this build's figures, not the session's
        self.echo(f"building {self.out_dir} ..." + (f" ({reason})" if reason else ""))
        errors: str | None
        printer, self._printer = self._printer or Printer(), None
        try:
            result = self._build_when_free(printer)
        except SopkitError as exc:
            errors = _located(exc)
        except Exception as exc:  # a bug: say so on the page, keep serving the edit loop
            errors = f"error: sopkit failed while building ({type(exc).__name__}: {exc}); "
            errors += "please report it"
        except BaseException as exc:  # Ctrl-C, SIGTERM: the server stops
            printer.close()
            if isinstance(exc, KeyboardInterrupt):
                self.echo("stopping: the build under way is left unfinished")
            raise
        else:
            errors = None
        self._next_printer(printer)
        if errors is not None:
            self.state.finished(errors)
            self.echo(errors)
            self.echo("the pages show these errors until the files are fixed")
            return None
        self.watcher.watch_also(result.inputs)
        reloaded = self.state.finished(None, result.digest)
        told = [f"warning: {w}" for w in result.warnings]
        told += warning_lines(result.checks, self.paths)
        if told and told == self._told:
            noun = "warning" if len(told) == 1 else "warnings"
            self.echo(f"{len(told)} {noun} as before")  # not the same lines at every save
        else:
            for line in told:
                self.echo(line)
        self._told = told
        summary = "" if result.cache is None else result.cache.summary()
        reused = f" ({summary})" if summary else ""
        noun = "process" if result.processes == 1 else "processes"
        self.echo(
            f"built {result.processes} {noun} in {time.perf_counter() - started:.1f} s"
            f" at {time.strftime('%H:%M:%S')}{reused}; serving {self.url}"
            + ("" if reloaded else " (the site is unchanged: no page reloads)")
        )
        return result

    def _next_printer(self, used: Printer) -> None:
        """Keep a printer the build did not use (report.pdf came from the cache), else
        start the next build's, so it imports WeasyPrint while the user edits."""
        if used.unused:
            self._printer = used
            return
        used.close()
        if not self.stopped.is_set():
            self._printer = Printer()

    def _build_when_free(self, printer: Printer) -> BuildResult:
        """``build_site``, again while another build (one started before this server
        marked the folder as served) is writing it, for up to ``_BUSY_WAIT`` seconds."""
        deadline = time.monotonic() + _BUSY_WAIT
        told = False
        while True:
            try:
                return build_site(self.paths, self.out_dir, printer=printer, **self.options)
            except FolderBusy:
                if not told:
                    self.echo(f"another sopkit build is writing {self.out_dir}: waiting for it")
                    told = True
                if time.monotonic() >= deadline or self.stopped.wait(_BUSY_POLL):
                    raise

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sopkit-serve",
            daemon=True,
        )
        thread.start()
        self._serving = True
        return thread

    def run(self, poll: float = POLL) -> None:
        """Build, serve, and rebuild on every change until ``stop`` (or Ctrl-C)."""
        try:
            self.serve_in_background()
            self.echo(f"serving {self.url} (Ctrl-C to stop)")
            self.build()
            while not self.stopped.wait(poll):
                if self.watcher.changed():
                    # Editors save in several steps: wait until the files are still.
                    changed = set(self.watcher.last_changed)
                    while not self.stopped.wait(poll) and self.watcher.changed():
                        changed.update(self.watcher.last_changed)
                    self.build(what_changed(sorted(changed)))
        finally:
            self.close()

    def stop(self) -> None:
        self.stopped.set()

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None
        if self._serving:  # shutdown() waits for serve_forever, which must have started
            self.httpd.shutdown()
            self._serving = False
        self.httpd.server_close()
        self._release()

    def _release(self) -> None:
        """Give the folder back (builds may replace it again), and remove the temporary one."""
        if self._served is not None:
            self._served.release()
            self._served = None
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None
