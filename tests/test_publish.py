"""Replacing a site: whole at every instant, one build at a time, no debris.

See ``sopkit/build/publish.py`` for the layout. Kills are real: the build runs in a
forked child that ends itself with ``os._exit`` (what SIGKILL leaves: no
``finally``, no handler) just before or just after each step that touches
the disk, and the test then looks at what is on disk. SIGTERM and SIGHUP are
sent as real signals to a real ``sopkit`` process.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sopkit.build
import sopkit.build.publish
from sopkit.build import MARKER, build_site
from sopkit.build.publish import Publication, work_folder
from sopkit.cli import app
from sopkit.errors import OutputError
from sopkit.output import write_atomic

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "build" / "portfolio"

OLD = {MARKER: b"old\n", "index.html": b"old index", "processes/gone.html": b"gone"}
NEW = {
    MARKER: b"site\n",
    "index.html": b"<!DOCTYPE html>new",
    "cost.csv": b"a,b\n",
    "processes/a.html": b"a",
    "processes/a.md": b"# a",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def plant(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def beside(site: Path) -> list[str]:
    """Everything next to the site other than the site, the inputs and the tests' flags."""
    ours = (site.name, "processes", "flags")
    return sorted(p.name for p in site.parent.iterdir() if p.name not in ours)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """One small process: these tests are about the output folder, so load quickly."""
    folder = tmp_path / "processes"
    folder.mkdir()
    for name in ("blog.yaml", "roles.yaml"):
        shutil.copy(FIXTURE / name, folder / name)
    return folder


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Skip rendering: these tests are about the folder, not the documents."""
    monkeypatch.setattr(sopkit.build, "render_site", lambda *a, **k: (dict(NEW), "dot", []))
    return NEW


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    plant(site, OLD)
    return site


# --- the layout after a build -------------------------------------------------------------------


def test_a_build_leaves_a_real_folder_and_nothing_beside_it(
    portfolio: Path, old_site: Path, quick: dict[str, bytes]
) -> None:
    build_site([portfolio], old_site)
    assert old_site.is_dir() and not old_site.is_symlink()
    assert tree(old_site) == NEW
    assert beside(old_site) == []
    assert (old_site / "processes").stat().st_mode & 0o777 == 0o755
    assert (old_site / "index.html").stat().st_mode & 0o777 == 0o644


def test_a_build_with_a_restrictive_umask_still_makes_a_readable_site(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    previous = os.umask(0o077)
    try:
        build_site([portfolio], tmp_path / "site")
    finally:
        os.umask(previous)
    assert (tmp_path / "site").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "site/processes/a.html").stat().st_mode & 0o777 == 0o644


def test_a_rebuild_shares_the_files_that_did_not_change_and_writes_the_rest(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    monkeypatch.setattr(sopkit.build, "render_site", lambda *a, **k: (dict(NEW), "dot", []))
    build_site([portfolio], site)
    before = {name: (site / name).stat().st_ino for name in NEW}
    changed = {**NEW, "cost.csv": b"a,b\n1,2\n"}
    monkeypatch.setattr(sopkit.build, "render_site", lambda *a, **k: (dict(changed), "dot", []))
    build_site([portfolio], site)
    assert tree(site) == changed
    after = {name: (site / name).stat().st_ino for name in NEW}
    assert {name for name in NEW if after[name] == before[name]} == set(NEW) - {"cost.csv"}
    assert all((site / name).stat().st_nlink == 1 for name in NEW)  # the old site is gone
    assert all((site / name).stat().st_mode & 0o777 == 0o644 for name in NEW)


def test_files_staged_while_the_report_prints_make_the_site_with_the_rest(
    tmp_path: Path, old_site: Path
) -> None:
    """A build writes what is final before report.pdf is printed; the site switched in is
    exactly the final files: a staged file left out is gone, one changed since is new."""
    with Publication(old_site, shown="site") as publication:
        publication.stage({"index.html": b"first", "gone.txt": b"x", "processes/a.html": b"a"})
        publication.stage({"cost.xlsx": b"xlsx", "processes/a.html": b"a"})
        assert tree(old_site) == OLD  # nothing switched in before publish
        final = {MARKER: b"site\n", "index.html": b"second", "processes/a.html": b"a"}
        publication.publish({**final, "cost.xlsx": b"xlsx", "report.pdf": b"%PDF"})
    assert tree(old_site) == {**final, "cost.xlsx": b"xlsx", "report.pdf": b"%PDF"}
    assert beside(old_site) == []


def test_a_folder_staged_only_for_a_dropped_file_is_not_published(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with Publication(site, shown="site") as publication:
        publication.stage({"extra/deep/x.txt": b"x", "processes/a.html": b"a"})
        publication.publish({MARKER: b"site\n", "processes/a.html": b"a"})
    assert tree(site) == {MARKER: b"site\n", "processes/a.html": b"a"}
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "processes"]


@pytest.mark.parametrize(
    "name", ["../escape.html", "processes/../../escape.html", "processes/..", "processes/", ""]
)
def test_a_name_that_would_leave_the_site_is_refused(tmp_path: Path, name: str) -> None:
    site = tmp_path / "site"
    with Publication(site, shown="site") as publication:
        with pytest.raises(OutputError, match="leaves the output folder"):
            publication.stage({name: b"x"})
    assert not (tmp_path / "escape.html").exists()
    assert not site.exists()


def test_a_site_file_linked_or_changed_by_the_user_is_written_afresh(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    site = tmp_path / "site"
    build_site([portfolio], site)
    kept = tmp_path / "kept-index.html"
    os.link(site / "index.html", kept)  # the user keeps a link to this build's page
    (site / "cost.csv").chmod(0o600)  # and made one file private
    build_site([portfolio], site)
    assert tree(site) == NEW
    assert (site / "index.html").stat().st_ino != kept.stat().st_ino
    assert kept.read_bytes() == NEW["index.html"] and kept.stat().st_nlink == 1
    assert (site / "cost.csv").stat().st_mode & 0o777 == 0o644


def test_every_file_and_folder_is_on_disk_before_the_switch(
    portfolio: Path, old_site: Path, quick: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new file is flushed (``fsync``, several at a time) and each folder after its
    files, all before the new site is switched in: a crash never shows empty files."""
    flushed: list[tuple[int, int]] = []
    at_switch: list[set[tuple[int, int]]] = []
    real_fsync, real_exchange = os.fsync, sopkit.build.publish.exchange

    def fsync(fd: int) -> None:
        held = os.fstat(fd)
        real_fsync(fd)
        flushed.append((held.st_dev, held.st_ino))

    def exchange(first: Path, second: Path) -> bool:
        at_switch.append(set(flushed))
        return real_exchange(first, second)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(sopkit.build.publish, "exchange", exchange)
    build_site([portfolio], old_site)
    assert tree(old_site) == NEW
    on_disk = [old_site / name for name in NEW] + [old_site / "processes", old_site]
    assert len(at_switch) == 1
    assert {(p.stat().st_dev, p.stat().st_ino) for p in on_disk} <= at_switch[0]


# --- -o that is a symbolic link: build into the folder it names ------------------------------


def test_a_link_to_a_deployed_site_is_followed_and_kept(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    deployed = tmp_path / "www" / "site"
    plant(deployed, OLD)
    link = tmp_path / "site"
    link.symlink_to(deployed)
    result = build_site([portfolio], link)
    assert link.is_symlink() and os.readlink(link) == str(deployed)
    assert tree(deployed) == NEW  # the deployed site is the new one, not a stale copy
    assert result.out_dir == link and result.index.read_bytes() == NEW["index.html"]
    assert beside(link) == ["www"]  # no .site.old-* link left behind
    assert beside(deployed) == []


def test_a_relative_and_a_dangling_link_are_followed_too(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    (tmp_path / "www").mkdir()
    link = tmp_path / "site"
    link.symlink_to("www/public")  # relative, and nothing there yet
    build_site([portfolio], link)
    assert link.is_symlink() and os.readlink(link) == "www/public"
    assert tree(tmp_path / "www/public") == NEW
    assert beside(tmp_path / "www/public") == []


def test_a_link_to_a_folder_that_is_not_a_site_is_refused(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    home = tmp_path / "home"
    plant(home, {"notes.txt": b"mine"})
    (tmp_path / "site").symlink_to(home)
    with pytest.raises(OutputError, match="not a sopkit site"):
        build_site([portfolio], tmp_path / "site")
    assert tree(home) == {"notes.txt": b"mine"}
    (tmp_path / "site").unlink()
    (tmp_path / "site").symlink_to(portfolio)
    with pytest.raises(OutputError, match="holds an input"):
        build_site([portfolio], tmp_path / "site")


def test_a_loop_of_links_is_refused(portfolio: Path, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OutputError, match="loop of symbolic links"):
        build_site([portfolio], tmp_path / "a")


# --- a kill at any step leaves a whole site, and the next build clears the debris -----------

#: Every step of a build that touches the disk, as (module object, attribute).
STEPS: list[tuple[Any, str]] = [
    (sopkit.build.publish, "_write_new"),
    (sopkit.build.publish, "_fsync_folder"),
    (sopkit.build.publish, "_remove"),
    (sopkit.build.publish, "exchange"),
    (os, "rename"),
    (os, "mkdir"),
    (os, "unlink"),
    (os, "rmdir"),
    (os, "open"),
    (os, "close"),
    (os, "chmod"),
]


def killed_at(step: int, after: bool, run: Callable[[], object]) -> bool:
    """Run ``run`` in a child killed just before (or after) its ``step``-th disk step.

    Returns whether the kill happened (``False``: the build ended first).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: count steps, die at the chosen one
        count = [0]

        def wrap(real: Callable[..., Any]) -> Callable[..., Any]:
            def step_then_maybe_die(*args: Any, **kwargs: Any) -> Any:
                count[0] += 1
                mine = count[0]  # steps inside this one (rmtree's unlinks) count on
                if mine == step and not after:
                    os._exit(137)
                try:
                    return real(*args, **kwargs)
                finally:  # done, or failed (mkdir of a folder that exists): die now
                    if mine == step and after:
                        os._exit(137)

            return step_then_maybe_die

        try:
            for owner, name in STEPS:
                setattr(owner, name, wrap(getattr(owner, name)))
            run()
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, 137), f"the build failed at step {step} (exit {code})"
    return code == 137


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("after", [False, True], ids=["before-step", "after-step"])
@pytest.mark.parametrize("can_exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_at_any_step_leaves_a_whole_site(
    portfolio: Path,
    tmp_path: Path,
    quick: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    after: bool,
    can_exchange: bool,
) -> None:
    if not can_exchange:  # a filesystem without an atomic exchange (NFS, FAT)
        monkeypatch.setattr(sopkit.build.publish, "exchange", lambda first, second: False)
    site = tmp_path / "site"
    step = 0
    outcomes: set[str] = set()
    while True:
        step += 1
        assert step < 500, "the build never ended"
        shutil.rmtree(site, ignore_errors=True)
        plant(site, OLD)
        if not killed_at(step, after, lambda: build_site([portfolio], site)):
            break
        work = work_folder(site)
        if site.exists():
            found = tree(site)
            assert found in (OLD, NEW), f"killed at step {step}: a partial site {sorted(found)}"
            outcomes.add("old" if found == OLD else "new")
        else:
            # Only between the fallback's two renames; the old site waits in previous/.
            assert not can_exchange, f"killed at step {step}: no site at all"
            assert tree(work / "previous") == OLD
            outcomes.add("none")
        # The next build clears whatever the kill left, and succeeds.
        build_site([portfolio], site)
        assert tree(site) == NEW
        assert beside(site) == [], f"killed at step {step}: debris {beside(site)}"
    assert tree(site) == NEW and beside(site) == []
    assert {"old", "new"} <= outcomes  # kills fell both before and after the switch
    assert step > 10, step


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_failed_build_after_a_kill_between_two_renames_restores_the_old_site(
    portfolio: Path,
    tmp_path: Path,
    quick: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sopkit.build.publish, "exchange", lambda first, second: False)
    site = tmp_path / "site"
    plant(site, OLD)
    target = site.resolve()
    real_rename = os.rename

    def build_dying_between_the_renames() -> object:
        def rename(a: Any, b: Any) -> None:
            real_rename(a, b)
            if Path(a) == target:
                os._exit(137)  # the old site has moved to previous/, the new one is not in

        os.rename = rename  # type: ignore[assignment]
        return build_site([portfolio], site)

    assert killed_at(10_000, False, build_dying_between_the_renames)
    assert not site.exists()
    assert tree(work_folder(site) / "previous") == OLD

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(sopkit.build, "render_site", broken)
    with pytest.raises(RuntimeError):
        build_site([portfolio], site)
    assert tree(site) == OLD  # put back before anything else
    assert beside(site) == []


# --- real signals ------------------------------------------------------------------------------

DRIVER = """
import os, signal, sys, time
from pathlib import Path
import sopkit.build, sopkit.build.publish
from sopkit.cli import main

NEW = {new!r}
ready = Path({ready!r})
where = {where!r}

def wait_here():
    ready.write_text("ready")
    for _ in range(600):  # until the test removes the flag (or a minute passes)
        if not ready.exists():
            return
        time.sleep(0.1)

def render_site(*args, **kwargs):
    if where == "render":
        wait_here()
    return dict(NEW), "dot", []

sopkit.build.render_site = render_site
real_write = sopkit.build.publish._write_new
written = []

def write_new(path, data):
    real_write(path, data)
    written.append(path)
    if where == "write" and len(written) == 2:
        wait_here()

sopkit.build.publish._write_new = write_new
if {ignore_hup!r}:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
sys.exit(main(["build", {portfolio!r}, "-o", {site!r}, "-q"]))
"""


def start_build(tmp_path: Path, portfolio: Path, site: Path, where: str, **options: Any) -> Any:
    flags = tmp_path / "flags"
    flags.mkdir(exist_ok=True)
    ready = flags / f"ready-{where}-{time.monotonic_ns()}"
    script = DRIVER.format(
        new=NEW,
        ready=str(ready),
        where=where,
        portfolio=str(portfolio),
        site=str(site),
        ignore_hup=options.get("ignore_hup", False),
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(600):  # a hang guard, not a timing assert
        if ready.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert ready.exists(), proc.communicate(timeout=60)
    proc.ready = ready
    return proc


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("where", ["render", "write"])
@pytest.mark.parametrize("number", [signal.SIGTERM, getattr(signal, "SIGHUP", 1)])
def test_sigterm_and_sighup_leave_the_old_site_and_no_debris(
    portfolio: Path, old_site: Path, tmp_path: Path, where: str, number: int
) -> None:
    proc = start_build(tmp_path, portfolio, old_site, where)
    assert work_folder(old_site).exists()  # the build holds the folder
    proc.send_signal(number)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + number, err
    assert "Traceback" not in err
    assert tree(old_site) == OLD
    assert beside(old_site) == [], "a terminated build must remove its work folder"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_an_ignored_sighup_stays_ignored(portfolio: Path, old_site: Path, tmp_path: Path) -> None:
    """Under nohup, SIGHUP is ignored: the build carries on and completes."""
    proc = start_build(tmp_path, portfolio, old_site, "write", ignore_hup=True)
    proc.send_signal(signal.SIGHUP)  # would end it at once, were a handler installed
    proc.ready.unlink()  # let it go on
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert tree(old_site) == NEW
    assert beside(old_site) == []


# --- one build of a folder at a time -----------------------------------------------------------


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX processes")
def test_a_second_build_of_the_same_folder_is_told_it_is_busy(
    portfolio: Path, old_site: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    first = start_build(tmp_path, portfolio, old_site, "render")
    try:
        result = CliRunner().invoke(app, ["build", str(portfolio), "-o", str(old_site), "-q"])
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"{old_site}: error: another sopkit build is writing this folder (wait for it to "
            "finish, then build again; one build at a time writes a folder)\n"
        )
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert tree(old_site) == OLD
        # Another folder is not blocked by it.
        other = tmp_path / "other"
        assert CliRunner().invoke(app, ["build", str(portfolio), "-o", str(other)]).exit_code == 0
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert tree(old_site) == OLD and beside(old_site) == ["other"]


def test_two_threads_building_one_folder_never_collide(
    portfolio: Path, old_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both_at_the_lock = threading.Barrier(2, timeout=30)
    one_was_busy = threading.Event()

    def render_site(*args: object, **kwargs: object) -> object:
        one_was_busy.wait(timeout=30)  # hold the lock until the other build has tried it
        return dict(NEW), "dot", []

    monkeypatch.setattr(sopkit.build, "render_site", render_site)
    real_lock = Publication._lock

    def lock_together(self: Publication) -> int:
        both_at_the_lock.wait()
        return real_lock(self)

    monkeypatch.setattr(Publication, "_lock", lock_together)
    outcomes: list[str] = []

    def build() -> None:
        try:
            build_site([portfolio], old_site)
            outcomes.append("built")
        except OutputError as exc:
            outcomes.append(exc.message)
            one_was_busy.set()
        except BaseException as exc:  # a raw FileNotFoundError was the bug
            outcomes.append(f"crashed: {exc!r}")

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["another sopkit build is writing this folder", "built"]
    assert tree(old_site) == NEW and beside(old_site) == []


def test_many_builds_in_turn_and_at_once_leave_one_whole_site(
    portfolio: Path, old_site: Path, quick: dict[str, bytes]
) -> None:
    """Eight threads, five builds each: every build ends built or busy, never a crash."""
    outcomes: list[str] = []

    def builds() -> None:
        for _ in range(5):
            try:
                build_site([portfolio], old_site)
                outcomes.append("built")
            except OutputError as exc:
                assert exc.message == "another sopkit build is writing this folder"
                outcomes.append("busy")
            except BaseException as exc:
                outcomes.append(f"crashed: {exc!r}")

    threads = [threading.Thread(target=builds) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 40 and set(outcomes) <= {"built", "busy"}, outcomes
    assert "built" in outcomes
    assert tree(old_site) == NEW and beside(old_site) == []


def test_without_flock_an_exclusive_lock_file_serialises_builds(
    portfolio: Path, old_site: Path, quick: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sopkit.build.publish, "fcntl", None)
    build_site([portfolio], old_site)
    assert tree(old_site) == NEW and beside(old_site) == []
    # a build killed with its lock: the next one is told how to clear it
    work = work_folder(old_site)
    work.mkdir()
    (work / "lock").write_text("12345\n")
    with pytest.raises(OutputError) as caught:
        build_site([portfolio], old_site)
    assert caught.value.message == "another sopkit build is writing this folder"
    assert caught.value.hint and str(work) in caught.value.hint
    assert (work / "lock").exists()  # not ours to remove


# --- debris of earlier builds -----------------------------------------------------------------


def test_debris_of_killed_builds_is_removed_and_other_files_kept(
    portfolio: Path, old_site: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    work = work_folder(old_site)
    plant(work / "staging", {"index.html": b"half"})
    plant(work / "previous", OLD)
    (work / "lock").write_text("")
    # what sopkit before this layout left: staging and old folders, and a renamed link
    plant(tmp_path / ".site.new-a1b2c3d4", {MARKER: b"x", "index.html": b"half"})
    (tmp_path / ".site.old-zz_9zz9z").mkdir()
    (tmp_path / ".site.old-q1w2e3r4").symlink_to(tmp_path / "nowhere")
    # not sopkit's: no marker, or another name
    plant(tmp_path / ".site.new-mine1234", {"notes.txt": b"mine"})
    plant(tmp_path / ".site.new-toolongname", {MARKER: b"x"})
    build_site([portfolio], old_site)
    assert tree(old_site) == NEW
    assert beside(old_site) == [".site.new-mine1234", ".site.new-toolongname"]


# --- messages ------------------------------------------------------------------------------


def test_building_into_the_current_folder_is_refused_clearly(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for output in (".", str(empty), "..", "../empty"):
        result = CliRunner().invoke(app, ["build", str(portfolio), "-o", output])
        assert result.exit_code == 1, result.output
        assert "Device or resource busy" not in result.stderr
        assert "holds an input" in result.stderr or (
            f"{output}: error: the output cannot be the current folder or hold it" in result.stderr
        )
        assert "e.g. -o site" in result.stderr
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("length", [200, 249, 255])
def test_long_output_names_work(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes], length: int
) -> None:
    site = tmp_path / ("s" * length)
    build_site([portfolio], site)
    assert tree(site) == NEW and beside(site) == []
    build_site([portfolio], site)  # and again, over the previous site
    assert tree(site) == NEW and beside(site) == []
    assert len(work_folder(site).name.encode()) <= 255
    assert work_folder(tmp_path / ("é" * 127)).name.encode().__len__() <= 255


@pytest.mark.parametrize("length", [249, 255])
def test_long_file_names_write_atomically(tmp_path: Path, length: int) -> None:
    target = tmp_path / ("r" * (length - 4) + ".csv")
    write_atomic(target, "a")
    write_atomic(target, "b")
    assert target.read_text() == "b" and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_mount_point_gets_a_clear_message(
    portfolio: Path, old_site: Path, quick: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(first: Path, second: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(second))

    monkeypatch.setattr(sopkit.build.publish, "exchange", busy)
    with pytest.raises(OutputError) as caught:
        build_site([portfolio], old_site)
    assert caught.value.message == "cannot replace the output folder: Device or resource busy"
    assert caught.value.path == str(old_site)
    assert caught.value.hint and "mount point" in caught.value.hint
    assert tree(old_site) == OLD and beside(old_site) == []


def test_an_unwritable_parent_names_the_output(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = Path.mkdir

    def denied(self: Path, *args: Any, **kwargs: Any) -> None:
        if self.name.endswith(".sopkit"):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(OutputError) as caught:
        build_site([portfolio], tmp_path / "site")
    assert caught.value.message == "cannot write beside the output folder: Permission denied"
    assert caught.value.path == str(tmp_path / "site")


@pytest.fixture(autouse=True)
def _no_leaked_handlers() -> Iterator[None]:
    """A build restores the signal handlers it found."""
    before = {n: signal.getsignal(n) for n in sopkit.build.publish._SIGNALS}
    yield
    assert {n: signal.getsignal(n) for n in sopkit.build.publish._SIGNALS} == before


def test_a_work_folder_gone_between_mkdirs_two_looks_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Path.mkdir(exist_ok=True) raises FileExistsError when the folder it found is
    # removed (by the other build) before it checks the folder is one: not a failure.
    from sopkit.build.publish import Publication, work_folder

    target = tmp_path / "site"
    work = work_folder(target)
    real_mkdir = Path.mkdir
    raced: list[Path] = []

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == work and not raced:
            raced.append(self)
            raise FileExistsError(errno.EEXIST, "File exists", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with Publication(target, shown=str(target)):
        assert raced == [work]


def test_a_file_where_the_work_folder_goes_is_an_error_not_busy(tmp_path: Path) -> None:
    from sopkit.build.publish import Publication, work_folder

    target = tmp_path / "site"
    work_folder(target).write_text("someone's file")
    with pytest.raises(OutputError) as info, Publication(target, shown=str(target)):
        pass
    assert info.value.message.startswith("cannot write beside the output folder")
