"""Compiled templates kept between runs, so a rebuild does not compile them again.

Every run of ``sopkit build`` compiles its Jinja templates (the SOPs, the
dashboard, the report) to Python before rendering anything: about a tenth of
a second, the same work each time while the templates do not change. Jinja
can keep that work in a bytecode cache; every environment sopkit makes uses
``COMPILED``, which keeps it in the store a build hands to ``compiled_in``
(the build cache) and in nothing otherwise, when Jinja compiles as usual.

An entry is found by the template's source and name and by the Python and
Jinja versions, so an edited template, a team template or another Python
never loads another's code; the bytes are Jinja's own (which check their
Python version once more on load). The store is the user's own cache folder,
trusted as Python trusts its ``__pycache__``.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
from collections.abc import Iterator
from typing import Protocol

import jinja2
from jinja2.bccache import Bucket

__all__ = ["COMPILED", "Store", "compiled_in"]


class Store(Protocol):
    """Where compiled templates are kept: ``sopkit.build.cache.Cache`` is one."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, content: bytes) -> None: ...


class _Compiled(jinja2.BytecodeCache):
    """Jinja's bytecode cache over whichever store is in use (``compiled_in``)."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self._lock = threading.Lock()

    def _key(self, bucket: Bucket) -> str:
        tag = sys.implementation.cache_tag or sys.version
        parts = ("jinja bytecode", jinja2.__version__, tag, bucket.key, bucket.checksum)
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        store = self.store
        if store is None:
            return
        found = store.get(self._key(bucket))
        if found is not None:
            bucket.bytecode_from_string(found)  # code of another Python is reset, not used

    def dump_bytecode(self, bucket: Bucket) -> None:
        store = self.store
        if store is not None and bucket.code is not None:
            store.put(self._key(bucket), bucket.bytecode_to_string())


#: The bytecode cache of every Jinja environment sopkit makes.
COMPILED = _Compiled()


@contextlib.contextmanager
def compiled_in(store: Store | None) -> Iterator[None]:
    """Keep and find compiled templates in ``store`` while the block runs (``None``:
    in nothing). The store is the process's until the block ends, threads included."""
    with COMPILED._lock:
        previous, COMPILED.store = COMPILED.store, store
    try:
        yield
    finally:
        with COMPILED._lock:
            COMPILED.store = previous
