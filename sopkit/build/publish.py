"""Replacing a whole folder safely: one writer at a time, staged, switched in one step.

``sopkit build`` replaces its output folder as a whole. While a build runs, and
only then, a work folder sits beside the output::

    site/                  the site: always the complete old one or the complete new one
    .site.sopkit/          exists only while a build of site/ runs (or after one was killed),
                           or while ``sopkit serve`` serves site/
        lock               held by the running build; a second build is told it is busy
        staging/           the new site, written file by file
        previous/          the old site, only where folders cannot be exchanged atomically
        served             held by a ``sopkit serve`` of site/ while it runs (``Served``):
                           another build of site/ is refused, not switched in unseen

The order of work, and why a kill at any point leaves a whole site:

1. Take the lock (``flock``, released by the kernel when the process dies,
   however it dies). Another build of the same folder gets ``OutputError``
   ("busy") at once instead of racing this one.
2. Clear what a killed build left (``staging/``, ``previous/``, and the
   ``.NAME.new-*``/``.NAME.old-*`` folders of sopkit versions before this
   layout); if a build was killed between the two renames of the fallback
   below, first put the old site back.
3. Write the new site into ``staging/``; the output is not touched. Most of
   it is written while report.pdf still prints (``Publication.stage``); a file
   the old site holds byte for byte is a second link to it, so until the
   switch a change made in place to that old file (by anything but sopkit)
   would show in the new site too: the site is sopkit's to write.
4. Switch in ONE step: ``renameat2(RENAME_EXCHANGE)`` (Linux) or
   ``renamex_np(RENAME_SWAP)`` (macOS) exchanges ``staging/`` and the output
   atomically, so at every instant the output path names one complete site;
   a first build renames ``staging/`` to the (absent or empty) output, also
   one atomic step. Where the filesystem cannot exchange (e.g. NFS, FAT), the
   fallback is two renames via ``previous/``: a kill between them leaves no
   output until the next build, which restores the old site first (step 2).
5. Delete the old site and the work folder, then release the lock.

A build takes the lock (1), then looks at ``served``: when a ``sopkit serve``
of another process holds it, the build is refused. Its site would replace the
served one unseen (built with other options, and the open pages never
reload), and the server's next rebuild would replace it again. A mark no
server holds (one killed with SIGKILL left it) is removed, or the work folder
would stay. Looking locks the mark for a moment: a server starting then waits
a little for it rather than taking the build for another server.

SIGTERM and SIGHUP (unless ignored, as under ``nohup``) and Ctrl-C are turned
into an exception while the lock is held, so the work folder is cleared before
the process exits (status 128 + signal number); SIGKILL cannot be caught, and
its debris is cleared by the next build (step 2).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from ..errors import OutputError
from ..output import safe_child, short_name

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["FolderBusy", "Publication", "Served", "exchange", "served_by", "work_folder"]

_WORK_SUFFIX = ".sopkit"


class FolderBusy(OutputError):
    """Another build holds the output folder: trying again later may succeed."""


#: Longest output name (in UTF-8 bytes) kept whole in the work folder's name; longer
#: names are shortened and given a hash, so the name fits the usual 255-byte limit.
_NAME_BYTES = 200
_LOCK = "lock"
_SERVED = "served"
_STAGING = "staging"
_PREVIOUS = "previous"
#: Folders an older sopkit left beside the output when killed (tempfile.mkdtemp names).
_LEGACY = re.compile(r"\.(?:new|old)-[a-z0-9_]{8}")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def work_folder(target: Path) -> Path:
    """The folder beside ``target`` that a build of ``target`` works in (``.NAME.sopkit``).

    A name too long to take the extra characters within the usual 255-byte
    limit is cut, and a hash of the whole name keeps it apart from others.
    """
    name = target.name
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) > _NAME_BYTES:
        digest = hashlib.sha256(encoded).hexdigest()[:16]
        name = f"{short_name(name, 100)}-{digest}"
    return target.parent / f".{name}{_WORK_SUFFIX}"


class Publication:
    """One build's hold on an output folder: the lock, the staging folder, the switch.

    Use as a context manager around rendering and ``publish``::

        with Publication(target, shown="site") as publication:
            files = render(...)  # may call publication.stage(some) as they are ready
            publication.publish(files)

    Raises:
        OutputError: another build holds the folder (busy), or the work folder
            or the site cannot be written; every message names ``shown``.
    """

    def __init__(self, target: Path, *, shown: str) -> None:
        self.target = target
        self.shown = shown
        self.work = work_folder(target)
        self._fd: int | None = None
        self._lock_path = self.work / _LOCK
        self._handlers: dict[int, Any] = {}
        self._closing = False
        self._pending: int | None = None
        self._staging: _Staging | None = None

    # --- the context: lock, clear debris, catch SIGTERM/SIGHUP ---------------------------

    def __enter__(self) -> Publication:
        self._fd = self._lock()
        try:
            self._refuse_if_served()
            self._catch_signals()
            self._restore_previous()
            self._clear_debris()
        except OSError as exc:
            self._close()
            raise OutputError(
                f"cannot tidy up after an earlier build: {exc.strerror or exc}",
                path=self.shown,
                hint=f"check the permissions of {self.work} and of the output folder",
            ) from None
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closing = True  # a signal now waits until the folder is tidy
        try:
            if kind is not None:
                self._restore_previous()
        finally:
            self._close()

    def _close(self) -> None:
        try:
            for name in (_STAGING, _PREVIOUS):
                _remove(self.work / name)
            self._unlock()
        finally:
            self._release_signals()

    # --- writing and switching --------------------------------------------------------------

    def stage(self, files: Mapping[str, bytes]) -> None:
        """Write ``files`` into the new site now, before the rest is ready; the output is
        not touched until ``publish``.

        A build stages what is final while report.pdf still prints, so the writing
        (mostly comparing with the previous site, whose unchanged files are linked)
        is off a rebuild's longest path.
        """
        try:
            if self._staging is None:
                self._staging = _Staging(self.work / _STAGING, previous=self.target)
            self._staging.write(files)
        except OSError as exc:
            raise self._write_error(exc) from None

    def publish(self, files: Mapping[str, bytes]) -> None:
        """Write ``files`` (path inside the site → bytes) and switch them in for the output.

        The new site is exactly ``files``: what ``stage`` wrote that ``files`` does not
        hold is removed, and what it holds with other bytes is written again.
        """
        staging = self.work / _STAGING
        try:
            if self._staging is None:
                self._staging = _Staging(staging, previous=self.target)
            self._staging.finish(files)
        except OSError as exc:
            raise self._write_error(exc) from None
        finally:
            self._staging = None
        try:
            self._switch(staging)
        except OSError as exc:
            mounted = exc.errno in (errno.EBUSY, errno.EXDEV)
            raise OutputError(
                f"cannot replace the output folder: {exc.strerror or exc}",
                path=self.shown,
                hint=f"is it a mount point? build into a folder in it, e.g. -o {self.shown}/site"
                if mounted
                else "the previous site is unchanged",
            ) from None
        _remove(staging)  # the old site, after an exchange
        _remove(self.work / _PREVIOUS)

    def _write_error(self, exc: OSError) -> OutputError:
        return OutputError(
            f"cannot write the site: {exc.strerror or exc}",
            path=self.shown,
            hint="the previous site is unchanged; free some space or choose another folder"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT)
            else "the previous site is unchanged",
        )

    def _switch(self, staging: Path) -> None:
        target = self.target
        if not os.path.lexists(target):
            os.rename(staging, target)
        elif not exchange(staging, target):
            previous = self.work / _PREVIOUS
            os.rename(target, previous)
            os.rename(staging, target)  # a kill before this leaves previous/ to restore
        _fsync_folder(target.parent)

    # --- recovery ---------------------------------------------------------------------------

    def _restore_previous(self) -> None:
        """Undo a switch cut between its two renames (the fallback of step 4)."""
        previous = self.work / _PREVIOUS
        if previous.is_dir() and not os.path.lexists(self.target):
            os.rename(previous, self.target)

    def _clear_debris(self) -> None:
        """What killed builds left: our work folder's content, and older versions' folders."""
        for name in (_STAGING, _PREVIOUS):
            _remove(self.work / name)
        prefix = f".{self.target.name}"
        try:
            siblings = list(os.scandir(self.target.parent))
        except OSError:
            return
        for entry in siblings:
            if not entry.name.startswith(prefix) or not _LEGACY.fullmatch(
                entry.name[len(prefix) :]
            ):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                path.unlink(missing_ok=True)
            elif entry.is_dir() and ((path / ".sopkit-site").is_file() or not any(path.iterdir())):
                _remove(path)

    def _refuse_if_served(self) -> None:
        """Refuse while another process serves the folder; clear a killed server's mark,
        which would otherwise keep the work folder from being removed after every build."""
        pid = served_by(self.target, clear=True)
        if pid is not None and pid != os.getpid():
            raise OutputError(
                "sopkit serve is serving this folder"
                + (f" (process {pid})" if pid > 0 else "")
                + "; a build would replace its site unseen",
                path=self.shown,
                hint="stop the server (Ctrl-C) and build again, or build into another "
                "folder with -o",
            )

    # --- the lock ---------------------------------------------------------------------------

    def _busy(self, hint: str) -> FolderBusy:
        message = "another sopkit build is writing this folder"
        return FolderBusy(message, path=self.shown, hint=hint)

    def _lock(self) -> int:
        """An open, locked lock file in the work folder (created when missing)."""
        try:
            self.work.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create the output folder: {exc.strerror or exc}", path=self.shown
            ) from None
        if fcntl is None:  # pragma: no cover - not on POSIX
            try:
                self.work.mkdir(mode=0o755, exist_ok=True)
            except OSError as exc:
                raise self._cannot_write(exc) from None
            return self._lock_exclusive_file()
        return _hold(
            self.work,
            self._lock_path,
            cannot_write=self._cannot_write,
            held=lambda: self._busy(
                "wait for it to finish, then build again; one build at a time writes a folder"
            ),
            vanishing=lambda: self._busy("wait for the other build to finish, then build again"),
        )

    def _cannot_write(self, exc: OSError) -> OutputError:
        """Why the work folder cannot be made: a folder that is never there (``/proc``)
        is said so, not taken for another build removing it (busy)."""
        if isinstance(exc, FileNotFoundError):  # never there: a folder nothing can be made in
            return OutputError(
                f"cannot write beside the output folder: {exc.strerror or exc}",
                path=self.shown,
                hint=f"a build writes the new site next to the old one, in "
                f"{self.work.parent}: choose a folder you can write in",
            )
        return OutputError(
            f"cannot write beside the output folder: {exc.strerror or exc}",
            path=self.shown,
            hint=f"a build writes the new site next to the old one, in {self.work.parent}",
        )

    def _lock_exclusive_file(self) -> int:
        """The fallback without ``flock``: a lock file only one process can create."""
        try:
            fd = os.open(self._lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise self._busy(
                f"if no build is running, one was killed and left its lock: delete {self.work}"
            ) from None
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd

    def _unlock(self) -> None:
        """Remove the lock file and the work folder while holding the lock, then release it."""
        if self._fd is None:
            return
        try:
            self._lock_path.unlink(missing_ok=True)
            try:
                self.work.rmdir()
            except OSError:
                pass  # not empty: something that is not ours; leave it
        finally:
            os.close(self._fd)
            self._fd = None

    # --- signals ----------------------------------------------------------------------------

    def _catch_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set handlers; Ctrl-C still unwinds
        for number in _SIGNALS:
            current = signal.getsignal(number)
            if current is signal.SIG_IGN:
                continue  # e.g. nohup: the user asked for this signal to be ignored
            self._handlers[number] = signal.SIG_DFL if current is None else current
            signal.signal(number, self._on_signal)

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        if self._closing:
            self._pending = number
            return
        raise SystemExit(128 + number)

    def _release_signals(self) -> None:
        for number, handler in self._handlers.items():
            signal.signal(number, handler)
        self._handlers.clear()
        pending, self._pending = self._pending, None
        if pending is not None:
            raise SystemExit(128 + pending)


# --- a folder served ------------------------------------------------------------------------


#: How long a starting ``sopkit serve`` keeps trying for the mark while it is locked: a
#: build looking whether the folder is served locks it for a moment (``served_by``); a
#: server holds it for as long as it runs.
_SERVED_PATIENCE = 2.0


def served_by(target: Path, *, clear: bool = False) -> int | None:
    """The process of the ``sopkit serve`` holding ``target`` (-1 when it cannot be
    read), or ``None`` when no server holds it (a mark left by a killed one is no hold:
    the kernel released its lock).

    With ``clear`` (a build, holding the build lock), such a mark is removed: nothing
    else would, and the work folder it is in would stay beside the output for good.
    Looking locks the mark for a moment; a server starting then waits for it
    (``Served``) instead of taking it for another server's.
    """
    if fcntl is None:  # pragma: no cover - not on POSIX
        return None
    path = work_folder(target) / _SERVED
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            # Exclusive to remove it: no server can take it meanwhile.
            fcntl.flock(fd, (fcntl.LOCK_EX if clear else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError:  # held: a server runs (our own process's, too: another open file)
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else -1
        if clear and _same_file(fd, path):
            with contextlib.suppress(OSError):
                path.unlink()
        return None
    finally:
        os.close(fd)  # releases the lock taken only to look


class Served:
    """The mark that ``sopkit serve`` serves ``target``: held while the server runs.

    A build of ``target`` by another process is refused while it is held
    (``Publication``); the server's own builds go ahead. The mark is a file in
    the work folder holding the server's process id, locked with ``flock``, so
    the kernel releases it however the server ends (even SIGKILL).

    Raises:
        OutputError: another server holds it, or the work folder cannot be written.
    """

    def __init__(self, target: Path, *, shown: str) -> None:
        self.target = target
        self.shown = shown
        self.work = work_folder(target)
        self._path = self.work / _SERVED
        self._fd: int | None = None
        if fcntl is None:  # pragma: no cover - not on POSIX: no mark, builds are not refused
            return
        self._fd = self._hold()

    def _hold(self) -> int:
        def cannot_write(exc: OSError) -> OutputError:
            return OutputError(
                f"cannot write beside the output folder: {exc.strerror or exc}",
                path=self.shown,
                hint=f"sopkit serve marks the folder it serves in {self.work}",
            )

        def held() -> OutputError:
            pid = served_by(self.target)
            return OutputError(
                "another sopkit serve is serving this folder"
                + (f" (process {pid})" if pid is not None and pid > 0 else ""),
                path=self.shown,
                hint="stop it first, or serve into another folder with -o",
            )

        try:
            self.work.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_write(exc) from None
        return _hold(
            self.work,
            self._path,
            cannot_write=cannot_write,
            held=held,
            vanishing=lambda: OutputError(  # pragma: no cover - it vanished twenty times
                "cannot mark the output folder as served", path=self.shown
            ),
            patience=_SERVED_PATIENCE,
            pid=True,
        )

    def release(self) -> None:
        """Remove the mark (while holding it) and the work folder if nothing else is in it."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            self._path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.work.rmdir()  # not empty: a build is working in it
        finally:
            os.close(fd)


# --- file-system steps ----------------------------------------------------------------------


def _hold(
    work: Path,
    path: Path,
    *,
    cannot_write: Callable[[OSError], OutputError],
    held: Callable[[], OutputError],
    vanishing: Callable[[], OutputError],
    patience: float = 0.0,
    pid: bool = False,
) -> int:
    """``path`` in the work folder ``work`` (both made when missing), open and locked
    with ``flock`` (exclusive); the build lock and the served mark alike.

    Another process may remove the work folder or the file meanwhile (a build or a
    server leaving): tried again, up to twenty times, and the file locked is checked
    to be the one at ``path``. One that stays locked for ``patience`` is ``held()``;
    with ``pid``, the file is made to hold this process's id.

    Raises:
        OutputError: ``cannot_write(error)``, ``held()``, or ``vanishing()`` after
            twenty tries.
    """
    assert fcntl is not None
    deadline = time.monotonic() + patience
    missing = tries = 0
    while tries < 20:
        try:
            work.mkdir(mode=0o755, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileNotFoundError as exc:
            missing += 1
            tries += 1
            if missing == 20:  # never there: a folder nothing can be made in (/proc)
                raise cannot_write(exc) from None
            continue  # its owner removed the work folder just now: again
        except OSError as exc:
            if isinstance(exc, FileExistsError) and (work.is_dir() or not work.exists()):
                tries += 1
                continue  # gone or made again between mkdir's two looks: again
            raise cannot_write(exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            if time.monotonic() < deadline:
                time.sleep(0.02)
                continue
            raise held() from None
        if _same_file(fd, path):
            if pid:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # we locked a file its owner had just removed: again
        tries += 1
    raise vanishing()


class _Staging:
    """The new site, written into its folder in one or more batches.

    Folders are made 0755 and files 0644, whatever the umask. A file whose
    bytes the ``previous`` site already holds is a second link to that file
    rather than a copy: it is on disk already, so a rebuild after one edit
    writes and flushes only what changed (flushing every file of a
    100-process site took about 2 s). Written files are flushed to disk, and
    the folders' entries with them, when the last batch is in (``finish``).
    """

    def __init__(self, folder: Path, previous: Path | None = None) -> None:
        folder.mkdir(mode=0o755)
        folder.chmod(0o755)
        self.folder = folder.resolve()
        self._inside = _Inside(self.folder)
        self._previous = None if previous is None else _Inside(previous)
        self._made = {self.folder}
        self._written: dict[str, Path] = {}  # to flush
        self._files: dict[str, bytes] = {}

    def write(self, files: Mapping[str, bytes]) -> None:
        """Add ``files``; a name already written with the same bytes is left as it is."""
        for name, data in files.items():
            known = self._files.get(name)
            if known is not None and (known is data or known == data):
                continue
            path = self._inside.child(name)
            if known is not None:  # written before with other bytes
                self._forget(name, path)
            if path.parent not in self._made:
                for parent in reversed(path.parents):
                    if parent in self._made or not parent.is_relative_to(self.folder):
                        continue
                    parent.mkdir(mode=0o755, exist_ok=True)
                    parent.chmod(0o755)
                    self._made.add(parent)
            if self._previous is None or not _link_same(self._previous, name, path, data):
                _write_new(path, data)
                self._written[name] = path
            self._files[name] = data

    def _forget(self, name: str, path: Path) -> None:
        path.unlink()
        del self._files[name]
        self._written.pop(name, None)

    def finish(self, files: Mapping[str, bytes]) -> None:
        """Make the folder hold exactly ``files``, all of it on disk."""
        dropped = [n for n in self._files if n not in files]
        for name in dropped:
            self._forget(name, self._inside.child(name))
        if dropped:  # a folder made only for what was dropped goes too
            for made in sorted(self._made - {self.folder}, key=lambda p: -len(p.parts)):
                if not any(made.iterdir()):
                    made.rmdir()
                    self._made.discard(made)
        self.write(files)
        _flush(list(self._written.values()))
        for made_folder in self._made:
            _fsync_folder(made_folder)


def _write_new(path: Path, data: bytes) -> None:
    """A new file in the private staging folder: no temporary needed, the folder is switched.

    Flushed to disk afterwards, with the others (``_flush``)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    os.chmod(path, 0o644)  # whatever the umask: a site is for others to read


class _Inside:
    """The paths of a site's files by their names in it, refused as ``safe_child`` refuses
    them (a name that would leave the folder) but with each folder of the site resolved
    once: a site of hundreds of files has two folders (itself and ``processes/``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[str, Path] = {}

    def child(self, name: str) -> Path:
        head, _, base = name.rpartition("/")
        if base in ("", ".", ".."):
            raise OutputError(f"output name '{name}' leaves the output folder", path=str(self.root))
        folder = self._folders.get(head)
        if folder is None:
            folder = self._folders[head] = safe_child(self.root, head) if head else self.root
        return folder / base


def _link_same(previous: _Inside, name: str, path: Path, data: bytes) -> bool:
    """Link ``path`` to the previous site's ``name`` if that is the same file; else ``False``.

    Only a plain file of ours, with no other link and mode 0644 (as a build
    wrote it), is linked: a link shares the file, so one the user linked or
    changed elsewhere is written afresh instead.
    """
    try:
        old = previous.child(name)
        info = os.lstat(old)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size != len(data)
            or info.st_nlink != 1
            or stat.S_IMODE(info.st_mode) != 0o644
            or info.st_uid != _owner()
        ):
            return False
        with open(old, "rb") as file:
            if file.read() != data:
                return False
        os.link(old, path, follow_symlinks=False)
    except (OSError, OutputError):
        return False  # no such file, another file system, no hard links: write it
    return True


def _owner() -> int:
    """This process's user, or -1 where there is none to compare (no file is then linked)."""
    geteuid = getattr(os, "geteuid", None)
    return -1 if geteuid is None else int(geteuid())


#: Files flushed at once. One ``fsync`` waits for a disk commit (a few ms); several
#: waiting together share commits, so a site of 500 files is flushed in about a
#: tenth of the time it takes one at a time.
_FLUSHERS = 8


def _flush(paths: list[Path]) -> None:
    """Every written file on disk before the switch, several ``fsync`` at a time."""
    if len(paths) < 2:
        for path in paths:
            _fsync_file(path)
        return
    pool = ThreadPoolExecutor(max_workers=_FLUSHERS, thread_name_prefix="sopkit-flush")
    try:
        for _ in pool.map(_fsync_file, paths):
            pass
    finally:  # on an error or a signal, files not yet flushed are not waited for
        pool.shutdown(wait=True, cancel_futures=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a folder's entries (a rename, new files) durable; a no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


# --- one atomic exchange of two paths --------------------------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _libc_call() -> Any:
    """The C function that swaps two paths, or ``None`` on systems without one."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
        return lambda a, b: function(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover
        function = libc.renamex_np
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: function(a, b, _RENAME_SWAP)
    return None  # pragma: no cover - other systems use the two-rename fallback


_SWAP = _libc_call()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; ``False`` where this system cannot.

    Raises:
        OSError: the exchange is supported but failed (e.g. ``EBUSY`` for a mount point).
    """
    if _SWAP is None:
        return False
    if _SWAP(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))
