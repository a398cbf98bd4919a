"""``sopkit build``: the command writes what ``build_site`` writes, and reports problems."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sopkit.build
from sopkit.build import MARKER, build_site
from sopkit.cli import app
from sopkit.cli.common import progress_bar as _progress_bar

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"
#: The fixture's Editor is over capacity on purpose: validate's warning, located.
OVER_CAPACITY = (
    "roles.yaml:12:3: warning: role 'Editor' is over capacity: 126.29 hours of "
    "work a year against 100 hours (0.5 × 200), 126.29% (raise its headcount or "
    "available_hours, or give some of its steps to another role) [over-capacity]"
)


def over_capacity(line: str) -> bool:
    """Whether ``line`` is the fixture's warning (its path as the loader shows it)."""
    path = line.partition("roles.yaml:")[0] + "roles.yaml"
    return Path(path).resolve() == FIXTURE / "roles.yaml" and line.endswith(OVER_CAPACITY)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Skip rendering for tests about arguments and messages."""
    files = {MARKER: b"site\n", "index.html": b"<!DOCTYPE html>"}
    monkeypatch.setattr(
        sopkit.build, "render_site", lambda *a, **k: (dict(files), "dot", ["a warning"])
    )
    return files


def test_the_command_writes_exactly_what_the_library_writes(tmp_path: Path) -> None:
    # A cache of its own: the session's shared one may hold these renders already.
    cache = str(tmp_path / "cache")
    code, stdout, stderr = run(
        "build", str(FIXTURE), "-o", str(tmp_path / "cli"), "--cache-dir", cache
    )
    assert code == 0, stderr
    assert stdout == ""
    library = build_site([FIXTURE], tmp_path / "library")
    assert tree(tmp_path / "cli") == tree(tmp_path / "library")
    # The files' warnings come first, as validate gives them.
    assert [over_capacity(problem.format()) for problem in library.checks] == [True]
    warning, stderr = stderr.split("\n", 1)
    assert over_capacity(warning), warning
    # A first build into an empty cache renders everything, and says so.
    assert re.fullmatch(
        re.escape(f"built {tmp_path / 'cli'}: 3 processes, {len(library.files)} files")
        + r" \([1-9][0-9]* renders: 0 reused from the cache, [1-9][0-9]* made\); "
        + re.escape(f"open {tmp_path / 'cli' / 'index.html'}\n"),
        stderr,
    ), stderr


def test_default_output_is_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick: dict[str, bytes]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("build", str(FIXTURE))
    assert code == 0
    assert tree(tmp_path / "site") == quick


def test_quiet_prints_only_warnings(tmp_path: Path, quick: dict[str, bytes]) -> None:
    code, stdout, stderr = run("build", str(FIXTURE), "-o", str(tmp_path / "s"), "--quiet")
    assert (code, stdout) == (0, "")
    first, second = stderr.splitlines()
    assert first == "warning: a warning" and over_capacity(second)


def test_the_files_warnings_are_told_the_first_ten_then_how_many_more(
    tmp_path: Path, quick: dict[str, bytes]
) -> None:
    """What validate warns about (here: no purpose, no done_when) is not silent in a build."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    steps = "".join(
        f"  - {{id: s{n}, name: S{n}, owner: Editor, time: 1h}}\n" for n in range(1, 13)
    )
    path = folder / "p.yaml"
    path.write_text(
        f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n{steps}",
        encoding="utf-8",
    )
    code, _, stderr = run("build", str(folder), "-o", str(tmp_path / "s"), "-q")
    assert code == 0
    lines = stderr.splitlines()
    assert lines[0] == "warning: a warning"  # the render's own, first
    assert lines[1] == (
        f"{path}:2:5: warning: no purpose: a new team member will not know why this SOP exists "
        "(add 'purpose: …') [no-purpose]"
    )
    assert len(lines) == 1 + 10 + 1
    assert lines[-1] == f"… and 3 more warnings: sopkit validate {folder} lists them all"


def test_a_build_leaves_out_the_warnings_the_files_accept(
    tmp_path: Path, quick: dict[str, bytes]
) -> None:
    """The files' accepts hold in a build as in validate: one path (file_warnings)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    steps = "".join(
        f"  - {{id: s{n}, name: S{n}, owner: Editor, time: 1h}}\n" for n in range(1, 13)
    )
    path = folder / "p.yaml"
    path.write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\n"
        f"accept: [no-done-when]\nsteps:\n{steps}",
        encoding="utf-8",
    )
    code, _, stderr = run("build", str(folder), "-o", str(tmp_path / "s"), "-q")
    assert code == 0
    assert stderr.splitlines() == [
        "warning: a warning",
        f"{path}:2:5: warning: no purpose: a new team member will not know why this SOP exists "
        "(add 'purpose: …') [no-purpose]",
    ]


def test_stamp_and_jobs_reach_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake(*args: object, **kwargs: object) -> tuple[dict[str, bytes], str, list[str]]:
        seen.update(kwargs)
        return {MARKER: b""}, "dot", []

    monkeypatch.setattr(sopkit.build, "render_site", fake)
    code, _, _ = run("build", str(FIXTURE), "-o", str(tmp_path / "s"), "--stamp", "-j", "3", "-q")
    assert code == 0
    assert seen["jobs"] == 3
    # The build's time, in UTC: the dashboard writes it in the portfolio's language.
    stamp = seen["stamp"]
    assert isinstance(stamp, datetime.datetime) and stamp.utcoffset() == datetime.timedelta(0)
    assert stamp.date() == seen["report_date"]  # the report's date
    assert seen["progress"] is None  # stderr is not a terminal


def test_an_invalid_process_is_a_located_error_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "in" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("sopkit: 1\nid: bad\nname: Bad\nowner: X\nfrequency: 1/week\nsteps: []\n")
    code, stdout, stderr = run("build", str(bad.parent), "-o", str(tmp_path / "site"))
    assert code == 1
    assert stdout == ""
    assert stderr.startswith(f"{bad}:")
    assert ": error: " in stderr
    assert not (tmp_path / "site").exists()


def test_refuses_to_build_into_the_input_folder(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(FIXTURE), "-o", str(FIXTURE))
    assert code == 1
    assert f"{FIXTURE}: error: the output folder holds an input" in stderr
    assert "(choose a separate folder for the site" in stderr


def test_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, stderr = run("build", str(FIXTURE), "-o", str(tmp_path))
    assert code == 1
    assert "not a sopkit site" in stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_help_has_an_example() -> None:
    code, stdout, _ = run("build", "--help")
    assert code == 0
    assert "sopkit build processes/en/ -o site/" in stdout
    for option in ("--output", "--roles", "--jobs", "--stamp", "--quiet"):
        assert option in stdout


def test_the_progress_bar_is_off_unless_asked_for() -> None:
    with _progress_bar(False) as progress:
        assert progress is None
    with _progress_bar(True) as progress:
        assert callable(progress)
        progress(1, 4, "blog")
        progress(4, 4, "reports")


def test_the_progress_bar_runs_no_thread_of_its_own() -> None:
    """A build forks a copy of itself for the workbook only while it runs one thread."""
    import threading

    before = set(threading.enumerate())  # another test's thread may end meanwhile
    with _progress_bar(True) as progress:
        assert set(threading.enumerate()) - before == set()
        progress(1, 4, "blog")
        assert set(threading.enumerate()) - before == set()
