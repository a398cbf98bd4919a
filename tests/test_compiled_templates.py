"""Compiled templates kept in the build cache (``sopkit.render.compiled``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest

from sopkit.render.compiled import COMPILED, compiled_in

ROOT = Path(__file__).resolve().parent.parent


class _Store:
    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.entries.get(key)

    def put(self, key: str, content: bytes) -> None:
        self.entries[key] = content


def _template(source: str) -> jinja2.Template:
    """A template of a new environment each time: nothing is kept in memory between calls."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": source}), bytecode_cache=COMPILED)
    return env.get_template("t.j2")


def test_a_template_compiled_once_is_loaded_and_not_compiled_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _Store()
    with compiled_in(store):
        assert _template("Hello {{ name }}").render(name="Ann") == "Hello Ann"
    assert len(store.entries) == 1

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    with compiled_in(store):
        assert _template("Hello {{ name }}").render(name="Bo") == "Hello Bo"


def test_an_edited_template_is_compiled_again_never_served_stale() -> None:
    store = _Store()
    with compiled_in(store):
        assert _template("one {{ x }}").render(x=1) == "one 1"
        assert _template("two {{ x }}").render(x=2) == "two 2"
    assert len(store.entries) == 2


def test_damaged_bytecode_is_compiled_again() -> None:
    store = _Store()
    with compiled_in(store):
        _template("Hi {{ x }}").render(x=0)
        (key,) = store.entries
        store.entries[key] = b"not jinja bytecode"
        assert _template("Hi {{ x }}").render(x=3) == "Hi 3"


def test_without_a_store_nothing_is_kept_and_blocks_nest() -> None:
    store = _Store()
    with compiled_in(store):
        with compiled_in(None):
            assert COMPILED.store is None
            _template("{{ 1 + 1 }}").render()
        assert COMPILED.store is store
    assert COMPILED.store is None
    assert store.entries == {}


_BUILD = """
import sys
import jinja2
from sopkit.build import build_site
from sopkit.build.cache import Cache

compiled = []
original = jinja2.Environment.compile


def counted(self, *args, **kwargs):
    compiled.append(1)
    return original(self, *args, **kwargs)


jinja2.Environment.compile = counted
build_site([sys.argv[1]], sys.argv[2], cache=Cache(sys.argv[3]), diagrams=False)
print(len(compiled))
"""


def test_a_rebuild_compiles_no_template_the_build_before_compiled(tmp_path: Path) -> None:
    """In a new process (sopkit build's case): the first build compiles the SOP, dashboard
    and report templates; the next finds them all in the cache."""
    source = ROOT / "processes" / "en" / "content-marketing.yaml"
    cache = tmp_path / "cache"

    def build(out: str) -> int:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(_BUILD),
                str(source),
                str(tmp_path / out),
                cache,
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        return int(done.stdout.split()[-1])

    assert build("first") > 5
    assert build("second") == 0
    first, second = tmp_path / "first", tmp_path / "second"
    for page in first.rglob("*.*"):
        assert (second / page.relative_to(first)).read_bytes() == page.read_bytes(), page
