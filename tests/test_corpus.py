"""Hostile and broken input: every command refuses it cleanly and writes nothing.

Each case in ``tests/corpus/`` (and each generated one below) runs through
every command that reads process files (``COMMANDS``). Every run must end with
exit status 1, print exactly the expected ``path:line:col: error: …`` lines on
stderr and nothing else, print
nothing on stdout, raise no exception other than the CLI's exit, and leave the
input folder, the output folder and the working folder as they were.
See ``tests/corpus/README.md`` for the ``.expected`` format. The BPMN files in
``tests/bpmn/bad/`` go through ``sopkit import bpmn`` the same way.
"""

from __future__ import annotations

import functools
import os
import random
import re
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import typer
from typer.testing import CliRunner

from sopkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"

#: Every command that reads process files. The test fails if one is not registered.
COMMANDS = (
    "validate",
    "cost",
    "candidates",
    "diagram",
    "sop",
    "checklist",
    "build",
    "export bpmn",
    "simulate",
    "report",
    "plan",
    "diff",
    "compare",
)

#: Options a command cannot run without (``plan`` needs a start or an end date).
REQUIRED_OPTIONS = {
    "plan": ["--start", "2027-01-04"],
    "compare": ["--scenario", str(CORPUS / "scenario" / "rate-change.yaml")],
}

#: A hang guard for in-process runs (no timing asserts: a run must just end).
HANG_SECONDS = 60

LOCATED = re.compile(
    r"^(?P<path>.+?):(?:(?P<line>\d+):(?:(?P<col>\d+):)? )?\s?(?P<sev>error|warning): (?P<msg>.+)$"
)


# --- expectations -----------------------------------------------------------------


#: A line or column that must be there, whatever its value (``?`` in ``.expected``):
#: where an alias bomb is noticed depends on how the loader counts, not on the file.
ANY = -1


@dataclass(frozen=True)
class Expect:
    """One message a case must print."""

    file: str  # basename of the file the message names
    line: int | None
    column: int | None
    pieces: tuple[str, ...]  # must appear in the message, in this order

    def matches(self, path: str, line: str | None, col: str | None, message: str) -> bool:
        if not (path == self.file or path.endswith("/" + self.file)):
            return False
        for want, got in ((self.line, line), (self.column, col)):
            if want == ANY:
                if got is None:
                    return False
            elif (None if got is None else int(got)) != want:
                return False
        position = 0
        for piece in self.pieces:
            found = message.find(piece, position)
            if found < 0:
                return False
            position = found + len(piece)
        return True

    def __str__(self) -> str:
        parts = (self.file, self.line, self.column)
        where = ":".join("?" if x == ANY else str(x) for x in parts if x is not None)
        return f"{where}: error: {'…'.join(self.pieces)}"


_EXPECTED_LINE = re.compile(
    r"^(?:(?P<file>[^:]+):)?(?P<line>\d+|\?):(?P<col>\d+|\?): error: (?P<text>.*)$"
)


@dataclass(frozen=True)
class Case:
    """A bad input: how to lay it out in a folder, and what sopkit must say."""

    name: str
    make: Callable[[Path], Path]  # writes the case into a folder, returns the process path
    expect: Callable[[Path], list[Expect]]  # given that path
    folder_input: bool = False  # pass the folder, not the file
    #: Commands for which the input is fine (validate checks each currency on its own):
    #: they must accept it (exit 0, no traceback); every other command must refuse it.
    accepted_by: tuple[str, ...] = ()
    #: Wraps each run, e.g. to make a folder unreadable (given the input folder).
    around: Callable[[Path], AbstractContextManager[None]] = lambda folder: nullcontext()

    def __str__(self) -> str:
        return self.name


def _corpus_case(path: Path) -> Case:
    expected = path.with_suffix(".expected")
    lines = expected.read_text(encoding="utf-8").splitlines()
    roles_mode = "default"
    expects: list[tuple[str | None, int, int, tuple[str, ...]]] = []
    for raw in lines:
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("% roles:"):
            roles_mode = raw.partition(":")[2].strip()
            continue
        match = _EXPECTED_LINE.match(raw)
        assert match, f"{expected.name}: cannot read {raw!r}"
        pieces = tuple(match["text"].split("…"))
        line, col = (ANY if m == "?" else int(m) for m in (match["line"], match["col"]))
        expects.append((match["file"], line, col, pieces))
    assert expects, f"{expected.name} expects nothing"
    own_roles = path.with_name(path.stem + ".roles.yaml")

    def make(folder: Path) -> Path:
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        if roles_mode == "none":
            return target
        source = own_roles if own_roles.exists() else CORPUS / "roles.yaml"
        (folder / "roles.yaml").write_bytes(source.read_bytes())
        return target

    def expect(process: Path) -> list[Expect]:
        return [Expect(f or process.name, ln, col, pieces) for f, ln, col, pieces in expects]

    return Case(path.stem, make, expect)


def corpus_cases() -> list[Case]:
    files = sorted(p for p in CORPUS.glob("[0-9]*.yaml") if not p.name.endswith(".roles.yaml"))
    return [_corpus_case(p) for p in files]


# --- generated cases: big, binary and file-system ones ----------------------------

_VALID = """\
sopkit: 1
id: generated
name: Generated case
owner: Content Lead
frequency: 4/month
steps:
  - id: research
    name: Research
    owner: SEO Specialist
    time: 2h
  - id: draft
    name: Draft
    owner: Content Writer
    after: [research]
    time: 1h
"""
# The same process with a typo (tirgger) on line 5, column 1.
_TYPO = _VALID.replace("owner: Content Lead\n", "owner: Content Lead\ntirgger: x\n", 1)


def _roles(folder: Path) -> None:
    (folder / "roles.yaml").write_bytes((CORPUS / "roles.yaml").read_bytes())


def _writer(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        _roles(folder)
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def _expect(line: int | None, column: int | None, *pieces: str) -> Callable[[Path], list[Expect]]:
    return lambda process: [Expect(process.name, line, column, pieces)]


def _big() -> bytes:
    line = b"# " + b"padding " * 12 + b"\n"
    return _VALID.encode() + line * (50 * 1024 * 1024 // len(line) + 1)


def _many_steps(count: int, dangling: bool) -> str:
    steps = [_VALID.split("steps:\n")[0] + "steps:\n"]
    for i in range(count):
        after = f"\n    after: [s{i - 1}]" if i else ""
        steps.append(f"  - id: s{i}\n    name: Step {i}\n    owner: Editor\n    time: 1h{after}\n")
    if dangling:
        steps.append("  - id: last\n    name: Last\n    owner: Editor\n    time: 1h\n")
        steps.append("    after: [nowhere]\n")
    return "".join(steps)


def _alias_bomb(levels: int) -> bytes:
    lines = ["x0: &x0 [a, a, a, a, a, a, a, a, a, a]"]
    for i in range(1, levels):
        lines.append(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def _symlink_outside(folder: Path) -> Path:
    _roles(folder)
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text(_VALID, encoding="utf-8")
    link = folder / "linked.yaml"
    link.symlink_to(outside / "secret.yaml")
    return link


def _duplicate_ids(folder: Path) -> Path:
    _roles(folder)
    (folder / "a.yaml").write_text(_VALID, encoding="utf-8")
    (folder / "b.yaml").write_text(_VALID, encoding="utf-8")
    return folder / "b.yaml"


def _two_currencies(folder: Path) -> Path:
    for sub, currency in (("us", "USD"), ("kr", "KRW")):
        (folder / sub).mkdir()
        roles = (CORPUS / "roles.yaml").read_text(encoding="utf-8")
        (folder / sub / "roles.yaml").write_text(
            roles.replace("currency: USD", f"currency: {currency}"), encoding="utf-8"
        )
        (folder / sub / f"{sub}.yaml").write_text(
            _VALID.replace("id: generated", f"id: {sub}"), encoding="utf-8"
        )
    return folder / "kr" / "kr.yaml"


def _unreadable_subfolder(folder: Path) -> Path:
    _roles(folder)
    (folder / "a.yaml").write_text(_VALID, encoding="utf-8")
    (folder / "team").mkdir()
    other = _VALID.replace("id: generated", "id: other")
    (folder / "team" / "b.yaml").write_text(other, encoding="utf-8")
    return folder / "team"


IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def _cannot_list(folder: Path) -> Iterator[None]:
    """``folder/team`` cannot be listed: chmod 000, or (root reads anything) an injected
    ``PermissionError`` from ``os.scandir``, which is what a listing without permission raises."""
    team = folder / "team"
    if not IS_ROOT:
        team.chmod(0)
        try:
            yield
        finally:
            team.chmod(0o755)
        return
    real = os.scandir
    target = os.path.abspath(team)

    def scandir(path: Any = ".") -> Any:
        if os.path.abspath(os.fsdecode(path)) == target:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    with mock.patch("os.scandir", scandir):
        yield


def _dense(steps: int, links: int) -> bytes:
    """``steps`` steps, each after its predecessor and ``links - 1`` earlier ones (seeded)."""
    rng = random.Random(steps * 31 + links)
    text = [_VALID.split("steps:\n")[0] + "steps:\n"]
    owners = ("Content Writer", "Editor", "SEO Specialist")
    for i in range(steps):
        before = {i - 1, *(rng.randrange(i) for _ in range(links - 1))} if i else set()
        after = f"\n    after: [{', '.join(f's{b}' for b in sorted(before))}]" if i else ""
        text.append(f"  - id: s{i}\n    name: Step {i}\n    owner: {owners[i % 3]}\n")
        text.append(f"    time: 1h{after}\n")
    return "".join(text).encode()


#: A drawing too large to be legible: refused by the commands that draw (diagram, sop,
#: build), taken by the rest.
NOT_DRAWING = (
    "validate",
    "cost",
    "candidates",
    "checklist",
    "simulate",
    "report",
    "plan",
    "diff",
    "compare",
)


def _random_bytes() -> bytes:
    return random.Random(8).randbytes(4096)


def _high_bytes() -> bytes:
    rng = random.Random(8)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(4096))


GENERATED = [
    Case(
        "gen-50mb",
        _writer("big.yaml", _big),
        _expect(None, None, "too large"),
    ),
    Case(
        "gen-binary-nul", _writer("binary.yaml", bytes(range(256)) * 16), _expect(1, None, "binary")
    ),
    Case("gen-random-bytes", _writer("random.yaml", _random_bytes), _expect(1, None, "binary")),
    Case(
        "gen-high-bytes",
        _writer("high.yaml", _high_bytes),
        _expect(1, 1, "is not valid UTF-8"),
    ),
    Case(
        "gen-utf16-le-bom",
        _writer("utf16.yaml", _TYPO.encode("utf-16")),
        _expect(1, 1, "UTF-16"),
    ),
    Case(
        "gen-utf16-be-bom",
        _writer("utf16be.yaml", b"\xfe\xff" + _TYPO.encode("utf-16-be")),
        _expect(1, 1, "UTF-16"),
    ),
    Case(
        "gen-utf16-no-bom",
        _writer("utf16nobom.yaml", _TYPO.encode("utf-16-le")),
        _expect(1, None, "binary"),
    ),
    Case(
        "gen-latin-1",
        _writer("latin1.yaml", _VALID.replace("Generated case", "Café crème").encode("latin-1")),
        _expect(3, 10, "byte 0xe9 is not valid UTF-8"),
    ),
    Case(
        # A UTF-8 byte-order mark is accepted (see docs/robustness.md); the typo still counts,
        # at the same line and column as without the mark.
        "gen-bom-and-typo",
        _writer("bom.yaml", b"\xef\xbb\xbf" + _TYPO.encode()),
        _expect(5, 1, "unknown field 'tirgger'"),
    ),
    Case(
        "gen-crlf-typo",
        _writer("crlf.yaml", _TYPO.replace("\n", "\r\n").encode()),
        _expect(5, 1, "unknown field 'tirgger'"),
    ),
    Case(
        "gen-cr-only-typo",
        _writer("cr.yaml", _TYPO.replace("\n", "\r").encode()),
        _expect(5, 1, "unknown field 'tirgger'"),
    ),
    Case(
        "gen-nested-100k",
        _writer("deep.yaml", b"tags: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
        _expect(1, 70, "nests too deeply"),
    ),
    Case(
        "gen-block-nested-40k",
        _writer("deepblock.yaml", b"tags:\n" + b"- " * 40_000 + b"x\n"),
        _expect(2, 127, "nests too deeply"),
    ),
    Case(
        "gen-alias-bomb-1e40",
        _writer("bomb.yaml", lambda: _alias_bomb(40)),
        _expect(ANY, ANY, "aliases expand to too many values"),
    ),
    Case(
        "gen-10000-steps-dangling-after",
        _writer("steps10k.yaml", lambda: _many_steps(10_000, dangling=True).encode()),
        _expect(50_010, 13, "'after' names no step 'nowhere'"),
    ),
    Case(
        "gen-symlink-outside",
        _symlink_outside,
        _expect(None, None, "symbolic link points outside the input folder"),
        folder_input=True,
    ),
    Case(
        "gen-duplicate-process-ids",
        _duplicate_ids,
        _expect(2, 5, "process id 'generated' is also used by"),
        folder_input=True,
    ),
    Case(
        "gen-unreadable-subfolder",
        _unreadable_subfolder,
        _expect(None, None, "cannot read this folder: Permission denied"),
        folder_input=True,
        around=_cannot_list,
    ),
    Case(
        "gen-151-steps-to-draw",
        _writer("long.yaml", lambda: _dense(151, 1)),
        _expect(None, None, "too large for a legible diagram: 151 steps and 150 arrows"),
        accepted_by=NOT_DRAWING,
    ),
    Case(
        "gen-dense-300-steps-to-draw",
        _writer("dense.yaml", lambda: _dense(300, 4)),
        _expect(None, None, "too large for a legible diagram: 300 steps"),
        accepted_by=NOT_DRAWING,
    ),
    Case(
        "gen-two-currencies",
        _two_currencies,
        _expect(None, None, "more than one currency"),
        folder_input=True,
        accepted_by=("validate",),
    ),
]

CASES = corpus_cases() + GENERATED


# --- running a command --------------------------------------------------------------


@functools.cache
def _group() -> Any:
    """The click group behind the app; building it takes longer than most runs here."""
    return typer.main.get_command(app)


def _command(name: str) -> Any:
    """The click command for ``name``; ``"export bpmn"`` is a command of a group."""
    command = _group()
    for word in name.split():
        commands = getattr(command, "commands", {})
        if word not in commands:
            pytest.fail(f"command '{name}' is not registered in sopkit.cli.app")
        command = commands[word]
    return command


def argv_for(name: str, process: Path, folder: Path, out: Path, *, folder_input: bool) -> list[str]:
    """``sopkit NAME INPUT [-o OUT/result]``, worked out from the command's parameters."""
    command = _command(name)
    argv = name.split()
    for param in command.params:
        if param.param_type_name == "argument":
            info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
            if folder_input and getattr(info, "dir_okay", True) is False:
                pytest.fail(f"'{name}' reads one file: list it in SINGLE_FILE")
            argv.append(str(folder if folder_input else process))
        elif "-o" in param.opts or "--output" in param.opts:
            argv += ["-o", str(out / "result")]
        elif param.required and name not in REQUIRED_OPTIONS:
            pytest.fail(f"'{name}' needs {param.opts}: teach argv_for() how to call it")
    return argv + REQUIRED_OPTIONS.get(name, [])


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Turn a hang into a failure (SIGALRM raises in the main thread) instead of a stuck CI."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - not on Windows
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under ``folder`` with its kind, size, mtime and (small files) bytes."""
    entries: dict[str, tuple[Any, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                entries[key] = ("link", os.readlink(path))
            elif path.is_dir():
                entries[key] = ("dir",)
            else:
                info = path.stat()
                small = info.st_size <= 1 << 20
                content = path.read_bytes() if small else None
                entries[key] = ("file", info.st_size, info.st_mtime_ns, content)
    return entries


@dataclass(frozen=True)
class Outcome:
    argv: list[str]
    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None = None


def check_refused(outcome: Outcome, expects: list[Expect]) -> None:
    """Exit 1, only located lines on stderr, exactly the expected errors, no traceback."""
    context = f"sopkit {' '.join(outcome.argv)}\n--- stderr:\n{outcome.stderr}"
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        tb = "".join(traceback.format_exception(outcome.exception))
        pytest.fail(f"{context}\n--- raised (a bug, not a user error):\n{tb}")
    assert "Traceback" not in outcome.stderr + outcome.stdout, context
    assert outcome.stdout == "", f"{context}\n--- stdout (should be empty):\n{outcome.stdout}"
    errors: list[tuple[str, str | None, str | None, str]] = []
    for line in outcome.stderr.splitlines():
        match = LOCATED.match(line)
        assert match, f"{context}\n--- not a located one-line message: {line!r}"
        if match["sev"] == "error":
            errors.append((match["path"], match["line"], match["col"], match["msg"]))
    unmatched = list(errors)
    for expect in expects:
        hit = next((e for e in unmatched if expect.matches(*e)), None)
        assert hit is not None, f"{context}\n--- no message like: {expect}"
        unmatched.remove(hit)
    assert not unmatched, f"{context}\n--- unexpected errors: {unmatched}"
    assert outcome.exit_code == 1, context


def run_in_process(argv: list[str]) -> Outcome:
    with hang_guard(), mock.patch("typer.testing._get_command", lambda _app: _group()):
        result = CliRunner().invoke(app, argv)
    return Outcome(argv, result.exit_code, result.stdout, result.stderr, result.exception)


def run_subprocess(argv: list[str], cwd: Path) -> Outcome:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "unknown", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "sopkit", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=HANG_SECONDS,  # a hang guard, not a timing assert
        stdin=subprocess.DEVNULL,
    )
    return Outcome(argv, proc.returncode, proc.stdout, proc.stderr)


@dataclass
class Layout:
    root: Path
    folder: Path  # the input folder
    out: Path  # an empty output folder
    work: Path  # an empty working folder (the cwd)


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    folders = Layout(tmp_path, tmp_path / "in", tmp_path / "out", tmp_path / "work")
    for folder in (folders.folder, folders.out, folders.work):
        folder.mkdir()
    monkeypatch.chdir(folders.work)
    return folders


# --- the tests ---------------------------------------------------------------------


def test_every_command_is_registered() -> None:
    for name in COMMANDS:
        _command(name)


def test_the_corpus_is_big_enough() -> None:
    assert len(corpus_cases()) >= 60
    for case in CORPUS.glob("*"):
        if case.is_dir():
            assert case.name in ("accepted", "templates", "scenario"), f"stray folder {case.name}"
            continue
        assert case.suffix in (".yaml", ".expected", ".md"), f"stray file {case.name}"
        if case.suffix == ".expected":
            assert case.with_suffix(".yaml").exists(), f"{case.name} has no input"


# --- BPMN files that cannot be imported --------------------------------------------------

BPMN_BAD = Path(__file__).resolve().parent / "bpmn" / "bad"
#: case file → (line, column, pieces of the message), for ``sopkit import bpmn``.
BPMN_EXPECTED: dict[str, tuple[int | None, int | None, tuple[str, ...]]] = {
    "01-doctype.bpmn": (None, None, ("declares a document type (DOCTYPE): refused",)),
    "02-billion-laughs.bpmn": (None, None, ("declares a document type (DOCTYPE)",)),
    "03-external-entity.bpmn": (None, None, ("declares a document type (DOCTYPE)",)),
    "04-yaml-not-xml.bpmn": (1, 1, ("not well-formed XML",)),
    "05-svg.bpmn": (None, None, ("not a BPMN 2.0 file: the document is <svg>",)),
    "06-empty.bpmn": (None, None, ("the file is empty",)),
    "07-only-a-collaboration.bpmn": (None, None, ("has no process with tasks or events",)),
    "08-complex-gateway.bpmn": (None, None, ("complex gateway 'Approve?' (g) cannot be mapped",)),
    "09-choreography.bpmn": (None, None, ("choreography", "cannot be mapped")),
    "10-truncated.bpmn": (3, 36, ("not well-formed XML: unclosed token",)),
    "11-beta-namespace.bpmn": (None, None, ("not a BPMN 2.0 file",)),
    "12-unknown-encoding.bpmn": (None, None, ("unknown encoding 'x-no-such-encoding'",)),
    "13-no-steps.bpmn": (None, None, ("no tasks or events sopkit can import",)),
}


def test_every_bad_bpmn_case_has_an_expectation() -> None:
    assert sorted(p.name for p in BPMN_BAD.glob("*.bpmn")) == sorted(BPMN_EXPECTED)


@pytest.mark.parametrize("name", sorted(BPMN_EXPECTED))
def test_a_bad_bpmn_file_is_refused_with_one_line(name: str, layout: Layout) -> None:
    source = layout.folder / name
    source.write_bytes((BPMN_BAD / name).read_bytes())
    line, column, pieces = BPMN_EXPECTED[name]
    argv = ["import", "bpmn", str(source), "-o", str(layout.out / "result")]
    before = snapshot(layout.root)
    outcome = run_in_process(argv)
    check_refused(outcome, [Expect(name, line, column, pieces)])
    assert snapshot(layout.root) == before, "a refused input must leave every folder as is"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("binary.bpmn", bytes(range(256)) * 16),
        ("random.bpmn", random.Random(8).randbytes(4096)),
        ("utf16-no-declaration.bpmn", "<definitions/>".encode("utf-16-le")),
        ("deep.bpmn", b"<a>" * 100_000 + b"</a>" * 100_000),
    ],
)
def test_binary_and_hostile_bytes_are_refused_by_import(
    name: str, data: bytes, layout: Layout
) -> None:
    source = layout.folder / name
    source.write_bytes(data)
    before = snapshot(layout.root)
    outcome = run_in_process(["import", "bpmn", str(source), "-o", str(layout.out / "result")])
    assert outcome.exit_code == 1 and outcome.stdout == ""
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1 and LOCATED.match(lines[0]), outcome.stderr
    assert snapshot(layout.root) == before


#: Commands that read one file; a case made of a whole folder does not apply to them.
SINGLE_FILE = ("diagram", "sop", "checklist", "plan")
RUNS = [
    pytest.param(case, command, id=f"{case}-{command}")
    for case in CASES
    for command in COMMANDS
    if not (case.folder_input and command in SINGLE_FILE)
]


@pytest.mark.parametrize(("case", "command"), RUNS)
def test_bad_input_is_refused(case: Case, command: str, layout: Layout) -> None:
    process = case.make(layout.folder)
    argv = argv_for(command, process, layout.folder, layout.out, folder_input=case.folder_input)
    before = snapshot(layout.root)
    with case.around(layout.folder):
        outcome = run_in_process(argv)
    if command in case.accepted_by:
        check_accepted(outcome)
    else:
        check_refused(outcome, case.expect(process))
        assert snapshot(layout.root) == before, "a refused input must leave every folder as is"
    _drop_big_files(layout.folder)


def check_accepted(outcome: Outcome) -> None:
    """Exit 0 and no traceback: the input is fine for this command."""
    context = f"sopkit {' '.join(outcome.argv)}\n--- stderr:\n{outcome.stderr}"
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        tb = "".join(traceback.format_exception(outcome.exception))
        pytest.fail(f"{context}\n--- raised:\n{tb}")
    assert "Traceback" not in outcome.stderr + outcome.stdout, context
    assert outcome.exit_code == 0, context


# --- hostile input that is valid: every command takes it ----------------------------------

#: Folders of valid processes with hostile content (see tests/corpus/README.md).
ACCEPTED = sorted(p for p in (CORPUS / "accepted").iterdir() if p.is_dir())
ACCEPTED_RUNS = [
    pytest.param(folder, command, id=f"{folder.name}-{command}")
    for folder in ACCEPTED
    for command in COMMANDS
]


@pytest.mark.parametrize(("folder", "command"), ACCEPTED_RUNS)
def test_hostile_valid_input_is_accepted(folder: Path, command: str, layout: Layout) -> None:
    first = sorted(p for p in folder.glob("*.yaml") if p.name != "roles.yaml")[0]
    argv = argv_for(command, first, folder, layout.out, folder_input=command not in SINGLE_FILE)
    before = snapshot(folder)
    check_accepted(run_in_process(argv))
    assert snapshot(folder) == before, "inputs are never touched"


def _drop_big_files(folder: Path) -> None:
    """pytest keeps the last runs' temporary folders: do not keep 50 MB files in them."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size > 1 << 20:
            path.unlink()


# A handful of real processes: no traceback at the process level, no crash (a segfault
# would show as a negative exit status), nothing on stdout.
SUBPROCESS_CASES = [
    ("gen-nested-100k", "validate"),
    ("gen-alias-bomb-1e40", "validate"),
    ("52-huge-integer", "validate"),
    ("86-python-tag", "validate"),
    ("95-id-escape", "validate"),
    *(("gen-binary-nul", command) for command in COMMANDS),
]


@pytest.mark.parametrize(("name", "command"), SUBPROCESS_CASES)
def test_bad_input_in_a_real_process(name: str, command: str, layout: Layout) -> None:
    case = next(c for c in CASES if c.name == name)
    process = case.make(layout.folder)
    argv = argv_for(command, process, layout.folder, layout.out, folder_input=case.folder_input)
    before = snapshot(layout.root)
    outcome = run_subprocess(argv, layout.work)
    check_refused(outcome, case.expect(process))
    assert "\x1b" not in outcome.stderr, "a control character reached the terminal"
    assert snapshot(layout.root) == before


def test_a_valid_10000_step_process_validates(layout: Layout) -> None:
    _roles(layout.folder)
    path = layout.folder / "steps10k.yaml"
    path.write_text(_many_steps(10_000, dangling=False), encoding="utf-8")
    outcome = run_subprocess(["validate", str(path)], layout.work)
    assert outcome.exit_code == 0, outcome.stderr[-2000:]
    assert "ok: 1 process, 10000 steps valid" in outcome.stderr


def test_a_byte_order_mark_alone_is_accepted(layout: Layout) -> None:
    _roles(layout.folder)
    path = layout.folder / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + _VALID.encode())
    outcome = run_in_process(["validate", str(path)])
    assert outcome.exit_code == 0, outcome.stderr
    assert "ok: 1 process, 2 steps valid" in outcome.stderr


# --- team templates that fail while rendering ---------------------------------------------

TEMPLATES = sorted(p for p in (CORPUS / "templates").iterdir() if p.is_dir())
_TEMPLATE_EXPECT = re.compile(r"^\{# expect: (?P<file>[^:]+):(?P<line>\d+): (?P<text>.+) #\}$")


@pytest.mark.parametrize("folder", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_a_failing_team_template_is_a_located_error(folder: Path, layout: Layout) -> None:
    """``sop --template``: the template's file and line, exit 1, no traceback, nothing written."""
    [main] = folder.glob("sop.*.j2")
    match = _TEMPLATE_EXPECT.match(main.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{main}: the first line must be {{# expect: FILE:LINE: text #}}"
    fmt = "html" if main.name == "sop.html.j2" else "markdown"
    process = _writer("p.yaml", _VALID.encode())(layout.folder)
    out = layout.out / ("sop.html" if fmt == "html" else "sop.md")
    argv = ["sop", str(process), "--format", fmt, "--template", str(folder), "-o", str(out)]
    before = snapshot(layout.root)
    outcome = run_in_process(argv)
    expect = Expect(match["file"], int(match["line"]), None, tuple(match["text"].split("…")))
    check_refused(outcome, [expect])
    assert f"{folder / match['file']}:{match['line']}: error: " in outcome.stderr
    assert snapshot(layout.root) == before
