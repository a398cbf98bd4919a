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

    Made whole or not at all (written beside, then linked into place: two builds
    starting at once agree on one key). Trusted only as a regular file of this
    user's that no one else may write or read.
    """
    try:
        path = path or secret_path()
        if not path.exists():
            _make(path)
        info = os.lstat(path)
        if (
            not stat.S_ISREG(info.st_mode)
            or stat.S_IMODE(info.st_mode) & 0o077
            or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())
        ):
            return None
        data = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put it in
        return None
    return data if len(data) == _SIZE else None


def _make(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".key-", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(_SIZE))
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
