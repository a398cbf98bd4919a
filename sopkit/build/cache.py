"""The build cache: renders kept by a hash of everything that makes their bytes.

``sopkit build`` spends most of its time in external renderers (Graphviz for
the PNG diagrams, WeasyPrint for ``report.pdf``) and in per-process pages
that do not change when another process changes. This store keeps such
results between builds so a rebuild redraws only what changed.

It holds data, and code only under the user's seal: an entry someone else
wrote (a CI cache restored from another branch) can put a wrong file in the
site, but runs nothing in the build. Jinja's compiled templates, the one kind
of code kept here, are sealed with a key of the user's kept outside every
cache and run only when the seal is right (``sopkit.build.sealed``).

**The key is the input, not a name.** An entry's key is the SHA-256 of every
part that determines its bytes: the renderer's input text itself (the DOT
source, the report's HTML, or the fingerprint of a page's inputs), the
renderer and its version, sopkit's version *and* a hash of its own code and
templates (``code_fingerprint``), and the options. A changed rate or template
changes the input text and so the key: a stale entry is never looked up, it
just ages out. Nothing is ever invalidated by hand.

**Safe to share.** Two builds may use one cache at once: an entry is written
to a temporary file in its folder and renamed into place, so a reader sees
the whole entry or none. Each entry starts with the SHA-256 of its content;
an entry whose content does not match (a disk error, a truncated copy, a
hand edit) is deleted and rendered again (``CacheStats.corrupt`` counts them).

**Bounded by size.** After a build, when the entries add up to more than
``limit`` bytes (default 1 GiB, ``SOPKIT_CACHE_LIMIT_MB``), the least
recently used are deleted (a hit touches the entry's modification time)
until the cache is at most three quarters of the limit.

**Where.** ``$SOPKIT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/sopkit``, else
``~/.cache/sopkit``; ``sopkit build --cache-dir DIR`` chooses another and
``--no-cache`` uses none. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CACHE_ENV",
    "DEFAULT_LIMIT",
    "LIMIT_ENV",
    "Cache",
    "CacheStats",
    "code_fingerprint",
    "default_root",
    "make_key",
]

CACHE_ENV = "SOPKIT_CACHE_DIR"
LIMIT_ENV = "SOPKIT_CACHE_LIMIT_MB"
DEFAULT_LIMIT = 1024 * 1024 * 1024
#: The layout version: a new one starts a fresh folder instead of misreading the old.
_LAYOUT = "v1"
_MAGIC = b"sopkit-cache 1\n"
_DIGEST = 64  # hex characters of a SHA-256
#: Temporary files older than this were left by a killed build.
_STALE_TEMP = 3600.0


def default_root() -> Path:
    """``$SOPKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/sopkit``, else ``~/.cache/sopkit``."""
    forced = os.environ.get(CACHE_ENV, "").strip()
    if forced:
        return Path(forced).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "sopkit"
    return Path.home() / ".cache" / "sopkit"


def _default_limit() -> int:
    text = os.environ.get(LIMIT_ENV, "").strip()
    try:
        megabytes = int(text)
    except ValueError:
        return DEFAULT_LIMIT
    return max(megabytes, 1) * 1024 * 1024


def make_key(*parts: str | bytes) -> str:
    """The SHA-256 (hex) of ``parts``, each length-prefixed so no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sopkit's version and a hash of its code, templates and catalogues.

    The version alone would not do: a development checkout changes its code
    without changing its version, and a cached page must follow the code.
    """
    from .. import __version__

    package = Path(__file__).resolve().parent.parent  # all of sopkit, not just build/
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(str(path.relative_to(package)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"{__version__}+{digest.hexdigest()[:20]}"


@dataclass(slots=True)
class CacheStats:
    """What a build did with the cache (also what the tests count)."""

    hits: int = 0
    misses: int = 0
    #: Entries found damaged on disk, deleted and rendered again.
    corrupt: int = 0
    #: Entries that could not be written (a read-only or full disk): built anyway.
    failed_writes: int = 0
    #: Entries deleted by ``prune``.
    pruned: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, what: str) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def summary(self) -> str:
        """``15 renders: 12 reused from the cache, 3 made`` (and damaged entries, if any); ""
        unused. A render is a page bundle, a diagram or the report, not a file: the site's
        file count is another figure."""
        if not (self.hits or self.misses):
            return ""
        total = self.hits + self.misses
        text = f"{total} {'render' if total == 1 else 'renders'}: {self.hits} reused from the "
        text += f"cache, {self.misses} made"
        if self.corrupt:
            text += f", {self.corrupt} damaged cache entries replaced"
        return text


class Cache:
    """A folder of content-addressed entries (see the module's docstring)."""

    def __init__(
        self, root: str | Path | None = None, *, limit: int | None = None, reader: bool = False
    ) -> None:
        self.root = Path(root).expanduser() if root is not None else default_root()
        self.folder = self.root / _LAYOUT
        self.limit = limit if limit is not None else _default_limit()
        self.stats = CacheStats()
        #: Only reads: a damaged entry is left for the build to replace, nothing is
        #: written or touched, and nothing counted (``reader()``).
        self.reading_only = reader

    def reader(self) -> Cache:
        """The same cache for a helper of the build (its forked copy) that only reads it:
        repairs, writes and the counts stay the build's own, so a build's figures are
        the same whether or not a copy read beside it."""
        return Cache(self.root, limit=self.limit, reader=True)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def holds(self, key: str) -> bool:
        """Whether an entry for ``key`` is on disk (unread: ``get`` may yet find it damaged)."""
        return self._path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The entry's content, or ``None`` when missing or damaged (then it is deleted)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC)
        digest = raw[head : head + _DIGEST]
        content = raw[head + _DIGEST + 1 :]
        ok = (
            raw.startswith(_MAGIC)
            and raw[head + _DIGEST : head + _DIGEST + 1] == b"\n"
            and hashlib.sha256(content).hexdigest().encode() == digest
        )
        if self.reading_only:
            return content if ok else None
        if not ok:
            self.stats.count("corrupt")
            try:
                path.unlink()
            except OSError:
                pass
            return None
        try:
            os.utime(path)  # recently used: the last to be pruned
        except OSError:
            pass
        return content

    def put(self, key: str, content: bytes) -> None:
        """Store ``content`` atomically; a failure to write is counted, never raised."""
        if self.reading_only:
            return
        path = self._path(key)
        entry = _MAGIC + hashlib.sha256(content).hexdigest().encode() + b"\n" + content
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(entry)
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            self.stats.count("failed_writes")

    def fetch(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The cached content for ``key``, or ``make()``'s, stored for next time."""
        found = self.get(key)
        if found is not None:
            self.stats.count("hits")
            return found
        self.stats.count("misses")
        content = make()
        self.put(key, content)
        return content

    def entries(self) -> Iterable[Path]:
        """Every entry file (not the temporary ones)."""
        if not self.folder.is_dir():
            return []
        return (p for p in self.folder.glob("??/*") if not p.name.startswith(".tmp-"))

    def prune(self) -> None:
        """Delete least recently used entries above ``limit``, and old temporary files."""
        now = time.time()
        found: list[tuple[float, int, Path]] = []
        total = 0
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("??/*"):
            try:
                info = path.stat()
            except OSError:
                continue
            if path.name.startswith(".tmp-"):
                if now - info.st_mtime > _STALE_TEMP:
                    path.unlink(missing_ok=True)
                continue
            found.append((info.st_mtime, info.st_size, path))
            total += info.st_size
        if total <= self.limit:
            return
        goal = self.limit * 3 // 4
        for _, size, path in sorted(found, key=lambda item: (item[0], str(item[2]))):
            if total <= goal:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            self.stats.count("pruned")
