"""Compiled templates kept in the build cache, run only when sealed with the user's key
(``sopkit.build.sealed``, ``sopkit.render.compiled``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest

from sopkit.build.cache import Cache
from sopkit.build.sealed import SealedTemplates, secret_path, user_secret
from sopkit.render import compiled
from sopkit.render.compiled import StoredTemplates, stored_in

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"


def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), bytecode_cache=StoredTemplates("test")
    )


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiled."""
    seen: list[str] = []
    real = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        seen.append(str(name))
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return seen


def test_a_template_compiled_once_is_loaded_sealed_and_gives_the_same_page(
    tmp_path: Path, compiles: list[str]
) -> None:
    (tmp_path / "page.j2").write_text("{% for n in items %}<{{ n }}>{% endfor %}", "utf-8")
    store = SealedTemplates(Cache(tmp_path / "cache"), b"k" * 32)
    with stored_in(store):
        first = _environment(tmp_path).get_template("page.j2").render(items=[1, 2])
        again = _environment(tmp_path).get_template("page.j2").render(items=[1, 2])
    assert first == again == "<1><2>"
    assert compiles == ["page.j2"]  # the second environment loaded the code


def test_code_sealed_with_another_key_is_never_run(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.j2").write_text("mine", "utf-8")
    cache = Cache(tmp_path / "cache")
    with stored_in(SealedTemplates(cache, b"a" * 32)):
        _environment(tmp_path).get_template("page.j2")
    with stored_in(SealedTemplates(cache, b"b" * 32)):  # someone else's cache
        assert _environment(tmp_path).get_template("page.j2").render() == "mine"
    assert compiles == ["page.j2", "page.j2"]


def test_code_changed_under_its_seal_is_never_run(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.j2").write_text("mine", "utf-8")
    cache = Cache(tmp_path / "cache")
    store = SealedTemplates(cache, b"a" * 32)
    with stored_in(store):
        _environment(tmp_path).get_template("page.j2")
    (entry,) = cache.entries()
    sealed = cache.get(entry.name)
    assert sealed is not None and b"mine" in sealed
    cache.put(entry.name, sealed.replace(b"mine", b"evil"))  # a whole entry, its seal kept
    with stored_in(store):
        assert _environment(tmp_path).get_template("page.j2").render() == "mine"
    assert compiles == ["page.j2", "page.j2"]


def test_a_seal_moved_to_another_entry_is_refused(tmp_path: Path) -> None:
    """The seal covers the entry's key too: code sealed for one template or environment
    is not taken for another's."""
    cache = Cache(tmp_path / "cache")
    store = SealedTemplates(cache, b"a" * 32)
    store.keep("site", "key-one", "sum", b"code")
    assert store.load("site", "key-one", "sum") == b"code"
    (entry,) = cache.entries()
    sealed = cache.get(entry.name)
    assert sealed is not None
    for other in (("site", "key-two", "sum"), ("report", "key-one", "sum")):
        cache.put(store._key(*other), sealed)
        assert store.load(*other) is None


def test_stores_of_builds_that_overlap_are_all_taken_back() -> None:
    first, second = object(), object()
    blocks = [stored_in(first), stored_in(second)]  # type: ignore[arg-type]
    blocks[0].__enter__()
    blocks[1].__enter__()
    assert compiled.current_store() is second
    blocks[0].__exit__(None, None, None)  # the first build ends first
    assert compiled.current_store() is second
    blocks[1].__exit__(None, None, None)
    assert compiled.current_store() is None


def test_a_changed_template_is_compiled_afresh(tmp_path: Path, compiles: list[str]) -> None:
    page = tmp_path / "page.j2"
    page.write_text("one", "utf-8")
    store = SealedTemplates(Cache(tmp_path / "cache"), b"k" * 32)
    with stored_in(store):
        assert _environment(tmp_path).get_template("page.j2").render() == "one"
        page.write_text("two", "utf-8")
        assert _environment(tmp_path).get_template("page.j2").render() == "two"
    assert compiles == ["page.j2", "page.j2"]


def test_without_a_store_templates_compile_as_always(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.j2").write_text("x", "utf-8")
    _environment(tmp_path).get_template("page.j2")
    _environment(tmp_path).get_template("page.j2")
    assert compiles == ["page.j2", "page.j2"]


def test_the_secret_is_made_once_for_the_user_alone(tmp_path: Path) -> None:
    path = tmp_path / "state" / "sopkit" / "cache.key"
    made = user_secret(path)
    assert made is not None and len(made) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert user_secret(path) == made
    assert [p.name for p in path.parent.iterdir()] == ["cache.key"]  # no temporary left


def test_a_secret_others_may_read_or_write_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    path.write_bytes(b"k" * 32)
    for mode in (0o660, 0o644, 0o602):
        path.chmod(mode)
        assert user_secret(path) is None
    path.chmod(0o600)
    assert user_secret(path) == b"k" * 32


def test_a_key_behind_a_link_or_in_a_folder_others_may_change_is_not_trusted(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real.key"
    real.write_bytes(b"k" * 32)
    real.chmod(0o600)
    folder = tmp_path / "sopkit"
    folder.mkdir(mode=0o700)
    (folder / "cache.key").symlink_to(real)
    assert user_secret(folder / "cache.key") is None
    (folder / "cache.key").unlink()
    made = user_secret(folder / "cache.key")
    assert made is not None
    folder.chmod(0o777)
    assert user_secret(folder / "cache.key") is None
    folder.chmod(0o700)
    assert user_secret(folder / "cache.key") == made


def test_a_key_cut_short_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "sopkit" / "cache.key"
    assert user_secret(path) is not None
    path.write_bytes(b"")  # a machine that stopped while making it
    again = user_secret(path)
    assert again is not None and len(again) == 32 and path.read_bytes() == again
    assert path.stat().st_mode & 0o777 == 0o600


def test_no_secret_where_none_can_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    assert user_secret(blocker / "sopkit" / "cache.key") is None


def test_no_secret_without_a_home(monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    assert user_secret() is None


def test_the_secret_lives_in_the_state_folder_not_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert secret_path() == tmp_path / "state" / "sopkit" / "cache.key"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert secret_path() == tmp_path / "home" / ".local" / "state" / "sopkit" / "cache.key"


def test_a_rebuild_compiles_no_template_and_makes_the_same_site(tmp_path: Path) -> None:
    """Two ``sopkit build`` runs, each in a fresh Python as a user runs them: the second
    loads every template's code from the cache, and its site is the first's."""
    script = textwrap.dedent(
        """
        import sys
        import jinja2
        seen = []
        real = jinja2.Environment.compile
        def compile(self, source, name=None, *args, **kwargs):
            seen.append(name)
            return real(self, source, name, *args, **kwargs)
        jinja2.Environment.compile = compile
        from sopkit.cli import main
        try:
            main(["build", sys.argv[1], "-o", sys.argv[2], "-q", "--cache-dir", sys.argv[3]])
        except SystemExit as end:
            assert not end.code, end.code
        print(len(seen))
        """
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    counts = []
    for site in ("one", "two"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(FIXTURE), str(tmp_path / site), str(tmp_path / "c")],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        counts.append(int(done.stdout.split()[-1]))
    assert counts[0] > 5 and counts[1] == 0

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert tree(tmp_path / "one") == tree(tmp_path / "two")
