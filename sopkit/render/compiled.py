"""Where sopkit's Jinja environments keep the templates they compile.

Jinja turns each template into Python code the first time a process uses it:
for the templates a site build uses, about 0.2 s of CPU in every ``sopkit
build``, most of it on a rebuild's longest path. A build can hand the
environments a store (``stored_in``) that keeps that code between runs; the
build's is the build cache, with each entry sealed by a key only the user has
(``sopkit.build.sealed``), so code someone else put there is never run.
Without a store (any other command, or ``--no-cache``) templates compile as
they always did.

Jinja's own checks stay in force either way: code is found by the template's
name and file, and used only if the template's source is still the one it was
compiled from (a team template edited since is compiled afresh).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

import jinja2
from jinja2.bccache import Bucket

__all__ = ["StoredTemplates", "TemplateStore", "current_store", "stored_in"]


class TemplateStore(Protocol):
    """Compiled templates kept by environment, Jinja's key and the source's checksum."""

    def load(self, environment: str, key: str, checksum: str) -> bytes | None: ...

    def keep(self, environment: str, key: str, checksum: str, code: bytes) -> None: ...


_lock = threading.Lock()
_active: list[TemplateStore] = []  # the blocks under way, newest last


@contextlib.contextmanager
def stored_in(store: TemplateStore) -> Iterator[None]:
    """Keep compiled templates in ``store`` while the block runs (then as before).

    Blocks in several threads (two builds at once) may end in any order: the store
    in use is always the newest of those still running, none once all have ended.
    """
    with _lock:
        _active.append(store)
    try:
        yield
    finally:
        with _lock:
            _active.remove(store)


def current_store() -> TemplateStore | None:
    """The store in use: the newest block's, or none."""
    with _lock:
        return _active[-1] if _active else None


class StoredTemplates(jinja2.BytecodeCache):
    """One environment's link to the store in use, if any (a Jinja bytecode cache).

    ``environment`` names the environment's configuration: two environments
    compile the same template differently (the Markdown one escapes what it
    prints), so each keeps its code under its own name.
    """

    def __init__(self, environment: str) -> None:
        self.environment = environment

    def load_bytecode(self, bucket: Bucket) -> None:
        store = current_store()
        if store is None:
            return
        found = store.load(self.environment, bucket.key, bucket.checksum)
        if found is not None:
            bucket.bytecode_from_string(found)  # reset unless made from the same source

    def dump_bytecode(self, bucket: Bucket) -> None:
        store = current_store()
        if store is not None:
            store.keep(self.environment, bucket.key, bucket.checksum, bucket.bytecode_to_string())
