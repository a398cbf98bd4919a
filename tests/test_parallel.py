"""``sopkit cost --format json`` in several processes writes what one process writes.

``sopkit.parallel`` splits a portfolio's files into parts costed by forked
copies. Its report must be byte for byte the single-process one, on every kind
of process; anything but the plain case (a problem, calls between processes,
an id or currency that differ across parts, a copy that dies) must end exactly
as one process would end it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from test_cost_json import ROLES, SOURCES, _process
from typer.testing import CliRunner

from sopkit import parallel
from sopkit.analysis import CostSummary, cost_portfolio
from sopkit.cli import app
from sopkit.errors import SopkitError
from sopkit.load import discover, load_portfolio
from sopkit.render.costs.cost_json import cost_json

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="parts are forked on Linux only")

GENERATE = ROOT / "benchmarks" / "generate.py"


def _parts(paths: object, **options: object) -> str:
    """The report ``cost_json_for`` writes, as text."""
    return b"".join(parallel.cost_json_for(paths, **options)).decode()  # type: ignore[arg-type]


def _one_process(paths: object) -> str:
    return cost_json(cost_portfolio(load_portfolio(paths)))  # type: ignore[arg-type]


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each call, whether the report was made in parts (``True``) or
    went the single-process way."""
    made: list[bool] = []
    real = parallel._in_parts

    def spy(parts: list[list[Path]], roles: object) -> Iterator[str] | None:
        pieces = real(parts, roles)  # type: ignore[arg-type]
        made.append(pieces is not None)
        return pieces

    monkeypatch.setattr(parallel, "_in_parts", spy)
    return made


def _random_folder(
    folder: Path, seed: str, count: int, currency: str = "USD", first: int = 0
) -> Path:
    """``count`` random processes, ids ``p<first>`` on, with a roles file beside them."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roles.yaml").write_text(ROLES.format(currency=currency), encoding="utf-8")
    for index in range(first, first + count):
        (folder / f"p{index:02d}.yaml").write_text(_process(rng, index, None), "utf-8")
    return folder


# --- the plain case: the same bytes -------------------------------------------------


@pytest.mark.parametrize(("currency", "jobs"), [("USD", 2), ("KRW", 3), ("BHD", 5)])
def test_parts_write_the_report_one_process_writes(
    tmp_path: Path, split: list[bool], currency: str, jobs: int
) -> None:
    # Random processes with every addition but calls: joint work, outside and system
    # roles with headcount, conditions, cash costs, milestones, approvals, rework.
    folder = _random_folder(tmp_path, currency, 17, currency)
    written = _parts(folder, jobs=jobs)
    assert split == [True]
    assert written == _one_process(folder)


@pytest.mark.parametrize("folder", SOURCES, ids=lambda p: "/".join(p.parts[-2:]))
def test_library_and_fixtures_are_written_alike(folder: Path, split: list[bool]) -> None:
    assert _parts(folder, jobs=3) == _one_process(folder)
    portfolio = load_portfolio(folder)
    calls = any(p.calls for p in portfolio)
    # One file is one part; a portfolio with calls goes the single-process way.
    assert split == ([] if len(portfolio) == 1 else [not calls])


def test_generated_benchmark_files_are_written_alike(tmp_path: Path, split: list[bool]) -> None:
    sys.path.insert(0, str(GENERATE.parent))
    try:
        from generate import generate_portfolio
    finally:
        sys.path.remove(str(GENERATE.parent))
    folder = generate_portfolio(tmp_path / "p", 9, steps=12)
    for jobs in (2, 4, 9, 50):
        assert _parts(folder, jobs=jobs) == _one_process(folder)
    assert split == [True] * 4


def test_parts_of_one_folder_use_its_roles_given_or_found(tmp_path: Path) -> None:
    # Two folders with their own roles files: each part finds each file's own.
    first = _random_folder(tmp_path / "a", "a", 3)
    second = _random_folder(tmp_path / "b", "b", 3, first=3)
    (second / "roles.yaml").write_text(
        ROLES.format(currency="USD").replace("42.5", "61"), encoding="utf-8"
    )
    written = _parts([first, second], jobs=2)
    assert written == _one_process([first, second])
    roles = tmp_path / "b" / "roles.yaml"
    given = _parts([first, second], roles=roles, jobs=2)
    assert given == cost_json(cost_portfolio(load_portfolio([first, second], roles=roles)))
    assert given != written


# --- anything else: as one process ends it -------------------------------------------


def _error(work: object) -> str:
    with pytest.raises(SopkitError) as caught:
        list(work())  # type: ignore[operator]
    return str(caught.value)


def test_a_problem_in_a_later_part_is_reported_as_one_process_reports_it(
    tmp_path: Path, split: list[bool]
) -> None:
    folder = _random_folder(tmp_path, "broken", 8)
    last = folder / "p07.yaml"
    last.write_text(last.read_text(encoding="utf-8").replace("owner: Lead", "owner: 7"), "utf-8")
    (folder / "p05.yaml").write_text("sopkit: 1\nid: [\n", encoding="utf-8")
    assert _error(lambda: parallel.cost_json_for(folder, jobs=3)) == _error(
        lambda: _one_process(folder)
    )
    assert split == [False]


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """The paths of each ``load_portfolio`` call this process makes."""
    calls: list[list[Path]] = []
    real = parallel.load_portfolio

    def counting(paths: list[Path], **options: object) -> object:
        calls.append(list(paths))
        return real(paths, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "load_portfolio", counting)
    return calls


def test_a_problem_ends_the_part_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _random_folder(tmp_path, "early", 300)
    (folder / "p00.yaml").write_text("sopkit: 1\nid: [\n", encoding="utf-8")
    loads = _counting_loads(monkeypatch)
    _error(lambda: parallel.cost_json_for(folder, jobs=2))
    # One batch of this process's part, then the whole portfolio in one process.
    assert [len(paths) for paths in loads[:-1]] == [parallel._LOAD_BATCH]
    assert loads[-1] == [folder]


def test_a_problem_in_a_copy_ends_this_process_s_part_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: list[bool]
) -> None:
    folder = _random_folder(tmp_path, "copy", 400)
    broken = discover([folder])[200]  # the first file of the copy's part
    broken.write_text("sopkit: 1\nid: [\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "_LOAD_BATCH", 1)
    loads = _counting_loads(monkeypatch)
    parent, counting = os.getpid(), parallel.load_portfolio

    def slowly(paths: list[Path], **options: object) -> object:
        if os.getpid() == parent:
            time.sleep(0.01)  # this process's 200 files take at least 2 s
        return counting(paths, **options)

    monkeypatch.setattr(parallel, "load_portfolio", slowly)
    message = _error(lambda: parallel.cost_json_for(folder, jobs=2))
    assert broken.name in message and split == [False]
    # The copy failed on its first file; this process heard of it between two of
    # its own and stopped well before the end of its 200.
    assert loads[-1] == [folder] and len(loads) - 1 < 200


@pytest.mark.parametrize("where", ["first", "later"])
def test_an_id_repeated_across_parts_is_reported(
    tmp_path: Path, split: list[bool], where: str
) -> None:
    folder = _random_folder(tmp_path, "twice", 6)
    copy = folder / ("p01.yaml" if where == "first" else "p04.yaml")
    copy.write_text((folder / "p00.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    message = _error(lambda: parallel.cost_json_for(folder, jobs=2))
    assert "is also used by" in message
    assert message == _error(lambda: _one_process(folder))
    assert split == [False]


def test_two_currencies_across_parts_are_reported(tmp_path: Path, split: list[bool]) -> None:
    usd = _random_folder(tmp_path / "usd", "usd", 3)
    eur = _random_folder(tmp_path / "eur", "eur", 3, currency="EUR", first=3)
    message = _error(lambda: parallel.cost_json_for([usd, eur], jobs=2))
    assert "more than one currency" in message
    assert message == _error(lambda: _one_process([usd, eur]))
    assert split == [False]


def test_calls_between_parts_are_costed_in_one_process(tmp_path: Path, split: list[bool]) -> None:
    rng = random.Random("calls")
    (tmp_path / "roles.yaml").write_text(ROLES.format(currency="USD"), encoding="utf-8")
    (tmp_path / "z-callee.yaml").write_text(
        _process(rng, 0, None).replace("id: p0", "id: callee"), encoding="utf-8"
    )
    for index in range(1, 7):
        (tmp_path / f"p{index}.yaml").write_text(_process(rng, index, "callee"), "utf-8")
    assert any(p.calls for p in load_portfolio(tmp_path))
    assert _parts(tmp_path, jobs=3) == _one_process(tmp_path)
    assert split == [False]


def test_a_copy_that_dies_before_its_report_leaves_the_work_to_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: list[bool]
) -> None:
    folder = _random_folder(tmp_path, "dies", 6)
    parent = os.getpid()
    real = parallel._cost_part

    def dying(files: list[Path], roles: object, *rest: object) -> object:
        if os.getpid() != parent:
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return real(files, roles, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_cost_part", dying)
    assert _parts(folder, jobs=2) == _one_process(folder)
    assert split == [False]


#: What a copy killed while sending has written after its summary: nothing more (it
#: died between two messages), or a message's length and less than that (within one).
CUT_SHORT = {"between": b"", "within": struct.pack("!i", 1000) + b"abc"}


@pytest.mark.parametrize("where", list(CUT_SHORT))
def test_a_copy_that_dies_while_sending_is_an_error_not_a_short_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    folder = _random_folder(tmp_path, where, 6)

    def cut(files: list[Path], roles: object, connection: object, inherited: object) -> None:
        part = parallel._cost_part(files, roles)  # type: ignore[arg-type]
        assert part is not None
        connection.send((part.summary, part.ids))  # type: ignore[attr-defined]
        os.write(connection.fileno(), CUT_SHORT[where])  # type: ignore[attr-defined]
        os._exit(9)

    monkeypatch.setattr(parallel, "_child", cut)
    message = _error(lambda: parallel.cost_json_for(folder, jobs=2))
    assert "stopped before it sent its report" in message and "--jobs 1" in message


def test_a_report_dropped_unread_ends_the_copies(tmp_path: Path) -> None:
    folder = _random_folder(tmp_path, "dropped", 80)
    pieces = parallel.cost_json_for(folder, jobs=2)
    children = [c for c in multiprocessing.active_children() if c.is_alive()]
    assert children
    del pieces
    gc.collect()
    assert not [c for c in children if c.is_alive()]


def test_copies_end_when_this_process_dies(tmp_path: Path) -> None:
    # Killed alone (SIGKILL, the out-of-memory killer), this process leaves its
    # copies writing to a pipe nobody reads: they must fail to write and end.
    folder = _random_folder(tmp_path, "orphans", 80)
    script = (
        "import multiprocessing, os\n"
        "from sopkit import parallel\n"
        f"pieces = parallel.cost_json_for({str(folder)!r}, jobs=2)\n"
        "next(pieces)\n"
        "print(*[c.pid for c in multiprocessing.active_children()], flush=True)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    pids = [int(pid) for pid in done.stdout.split()]
    assert pids
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_running(pid) for pid in pids):
        time.sleep(0.05)
    assert not [pid for pid in pids if _running(pid)]


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


def test_leaving_the_report_unread_ends_the_copies(tmp_path: Path) -> None:
    # 80 processes of a few kilobytes of JSON each: more than a pipe holds, so the
    # copy is still sending when the report is left.
    folder = _random_folder(tmp_path, "unread", 80)
    pieces = parallel.cost_json_for(folder, jobs=2)
    next(pieces)
    children = [c for c in multiprocessing.active_children() if c.is_alive()]
    assert children  # sending their texts, waiting for this process to read them
    pieces.close()  # type: ignore[attr-defined]
    assert not [c for c in children if c.is_alive()]


# --- how many processes ---------------------------------------------------------------


def test_how_many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert parallel.workers_for(None, parallel.MIN_FILES - 1) == 1
    assert parallel.workers_for(None, parallel.MIN_FILES) == min(cpus, parallel.MIN_FILES)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.workers_for(None, parallel.MIN_FILES) == 1  # never fork threads by default
    assert parallel.workers_for(2, parallel.MIN_FILES) == 2  # unless asked to
    assert parallel.workers_for(4, 3) == 3  # never more than one a file
    assert parallel.workers_for(4, 1) == 1
    assert parallel.workers_for(1, 10_000) == 1
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.workers_for(4, 10_000) == 1  # fork only where it is safe


# --- the summary adds up --------------------------------------------------------------


@pytest.mark.parametrize("folder", SOURCES, ids=lambda p: "/".join(p.parts[-2:]))
def test_summaries_of_parts_add_up_to_the_whole(folder: Path) -> None:
    costs = cost_portfolio(load_portfolio(folder))
    whole = CostSummary.of(costs)
    each = [CostSummary.of(process) for process in costs.processes]
    assert CostSummary.total(each) == whole
    if len(each) > 1:
        half = len(each) // 2
        assert CostSummary.total(each[:half]) + CostSummary.total(each[half:]) == whole
    shown = [(r.role, r.annual_hours, r.annual_cost, r.fte, r.utilisation) for r in whole.roles]
    assert shown == [
        (r.role, r.annual_hours, r.annual_cost, r.fte, r.utilisation) for r in costs.roles
    ]
    assert (whole.annual_cost, whole.fte) == (costs.annual_cost, costs.fte)


def test_summary_by_hand(write_process) -> None:  # type: ignore[no-untyped-def]
    # Writer 2h at 50/h and Editor 30m at 80/h, 1 run a month: 12 runs a year.
    first = write_process(
        "sopkit: 1\nid: a\nname: A\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: w, name: W, owner: Writer, time: 2h}\n"
        "  - {id: e, name: E, owner: Editor, time: 30m, after: [w]}\n",
        roles="roles:\n  Writer: {rate: 50}\n  Editor: {rate: 80}\n",
    )
    costs = cost_portfolio(load_portfolio(first))
    summary = CostSummary.of(costs)
    doubled = summary + summary
    assert summary.exact_annual_hours == 30  # (2 + 0.5) × 12
    assert summary.exact_annual_cost == 1680  # (100 + 40) × 12
    assert doubled.exact_annual_cost == 3360
    assert {r.role: r.annual_cost for r in doubled.roles} == {"Writer": 2400, "Editor": 960}


# --- the command ------------------------------------------------------------------------


def test_cli_jobs_writes_the_same_json(tmp_path: Path) -> None:
    folder = _random_folder(tmp_path / "p", "cli", 7)
    runner = CliRunner()
    one = runner.invoke(app, ["cost", str(folder), "--format", "json", "-j", "1"])
    three = runner.invoke(app, ["cost", str(folder), "--format", "json", "--jobs", "3"])
    assert one.exit_code == three.exit_code == 0
    assert three.stdout == one.stdout == _one_process(folder)
    refused = runner.invoke(app, ["cost", str(folder), "--format", "json", "--jobs", "0"])
    assert refused.exit_code == 2 and "--jobs" in refused.output
