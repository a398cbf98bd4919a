"""Compiled templates in the build cache, sealed so that only the user's own are run.

The build cache holds data: an entry someone else wrote (a CI cache restored
from another branch, a shared folder) can at worst put a wrong file in a site.
Compiled templates are code, and Jinja runs what it loads. So each one is kept
with a seal, an HMAC-SHA256 of its key and code under a secret key of the
user's, and is run only if the seal is right. The secret lives outside every
cache, in ``$XDG_STATE_HOME/sopkit/cache.key`` (else
``~/.local/state/sopkit/cache.key``), readable by the user alone: copying or
restoring a cache brings no valid seal with it, and an entry that is not the
user's own is compiled afresh as if it were missing.

Where the secret cannot be made or trusted (a read-only home, a key file
others may write), templates compile every build, as without a cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
import tempfile
from pathlib import Path

import jinja2

from .cache import Cache, code_fingerprint, make_key

__all__ = ["KEY_NAME", "SealedTemplates", "secret_path", "user_secret"]

#: The secret's file, in sopkit's folder of the user's state directory.
KEY_NAME = "cache.key"
_SIZE = 32  # bytes: a SHA-256 key
_SEAL = hashlib.sha256().digest_size


def secret_path() -> Path:
    """``$XDG_STATE_HOME/sopkit/cache.key``, else ``~/.local/state/sopkit/cache.key``."""
    state = os.environ.get("XDG_STATE_HOME", "").strip()
    base = Path(state) if state and Path(state).is_absolute() else Path.home() / ".local" / "state"
    return base / "sopkit" / KEY_NAME


def user_secret(path: Path | None = None) -> bytes | None:
    """The user's secret, made on first use; ``None`` when it cannot be made or trusted.

    Made whole or not at all (written and flushed beside, then linked into place:
    two builds starting at once agree on one key); a key of the wrong length (a
    machine that stopped while making it) is made again. Trusted only as a regular
    file of this user's that no one else may read or write, opened without
    following a link, in a folder of this user's that no one else may write.
    """
    try:
        path = path or secret_path()
        if not os.path.lexists(path):
            _make(path)
        data = _read(path)
        if data is not None and len(data) != _SIZE:
            _make(path, replace=True)
            data = _read(path)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put it in
        return None
    return data if data is not None and len(data) == _SIZE else None


def _read(path: Path) -> bytes | None:
    """The key file's bytes, if it and its folder are the user's alone."""
    if not _private(os.stat(path.parent), folder=True):
        return None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not _private(os.fstat(handle.fileno()), folder=False):
            return None
        return handle.read(_SIZE + 1)


def _private(info: os.stat_result, *, folder: bool) -> bool:
    mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    kind = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    others = 0o022 if folder else 0o077  # a folder others may read, not change
    return mine and kind and not stat.S_IMODE(info.st_mode) & others


def _make(path: Path, *, replace: bool = False) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".key-", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(_SIZE))
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)
            except FileExistsError:
                pass  # another build made it first: theirs is the key
    finally:
        Path(temp).unlink(missing_ok=True)


class SealedTemplates:
    """A ``sopkit.render.compiled.TemplateStore`` in the build cache (module docstring)."""

    def __init__(self, cache: Cache, secret: bytes) -> None:
        self._cache = cache
        self._secret = secret

    def _key(self, environment: str, key: str, checksum: str) -> str:
        return make_key(
            "jinja-template",
            code_fingerprint(),
            f"jinja2 {jinja2.__version__}",
            sys.version,
            environment,
            key,
            checksum,
        )

    def _seal(self, entry: str, code: bytes) -> bytes:
        return hmac.new(self._secret, entry.encode() + b"\0" + code, hashlib.sha256).digest()

    def load(self, environment: str, key: str, checksum: str) -> bytes | None:
        entry = self._key(environment, key, checksum)
        found = self._cache.get(entry)
        if found is None or len(found) <= _SEAL:
            return None
        seal, code = found[:_SEAL], found[_SEAL:]
        return code if hmac.compare_digest(seal, self._seal(entry, code)) else None

    def keep(self, environment: str, key: str, checksum: str, code: bytes) -> None:
        entry = self._key(environment, key, checksum)
        self._cache.put(entry, self._seal(entry, code) + code)
