"""Output safety: nothing injected, nothing lost, nothing written where it should not be.

- every file sopkit writes goes through ``sopkit.output.write_atomic`` (a source scan);
- a failed write or a failed run leaves the previous output byte for byte;
- ``-o`` never overwrites an input (a process file, its roles.yaml, the input folder);
- output names come from validated ids and stay inside the output folder;
- hostile names (HTML, Markdown, DOT, Mermaid, Jinja, spreadsheet formulas, right-to-left
  overrides, terminal escapes) come out as text in every format, with the document's
  structure the same as for plain names.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import require_tool
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.errors import OutputError, Problem
from sopkit.output import (
    is_process_file,
    read_replaced,
    refuse_inputs,
    refuse_overwrite,
    safe_child,
    write_atomic,
)

ROOT = Path(__file__).resolve().parent.parent
SOPKIT = ROOT / "sopkit"

# --- every write goes through write_atomic ----------------------------------------------

#: Calls that write or move files. Only output.py may use them, plus the exceptions below.
_WRITERS = {
    "write_text",
    "write_bytes",
    "rename",
    "replace",  # only as os.replace / Path.replace: str.replace is told apart below
    "symlink_to",
    "hardlink_to",
    "touch",
    "copy",
    "copy2",
    "copyfile",
    "copytree",
    "move",
    "mkstemp",
    "mkdtemp",
    "NamedTemporaryFile",
    "save",
}
#: (file, call) pairs that are fine, and why.
_ALLOWED = {
    # build writes a complete site into a private staging folder, under a lock, and
    # switches it in for the old one in one atomic exchange (see sopkit/build/publish.py):
    # the staging files are new files there, not replacements of anyone's file.
    ("sopkit/build/publish.py", "os.open"),
    ("sopkit/build/publish.py", "os.rename"),
    # The build cache writes each entry to a temporary file beside it and renames it
    # into place (write_atomic's pattern, without its fsync and its OutputError: an
    # entry cut short is caught by its checksum, and a cache that cannot be written
    # is only slower). It writes in its own folder, never over a user's file.
    ("sopkit/build/cache.py", "tempfile.mkstemp"),
    ("sopkit/build/cache.py", "os.replace"),
    # The key that seals compiled templates is written to a temporary file in sopkit's
    # own state folder and linked into place only if no key is there yet (two builds
    # starting at once agree on one): a new file, never a replacement of one.
    ("sopkit/build/sealed.py", "tempfile.mkstemp"),
    # A key cut short (a machine that stopped while making it) is replaced by a whole
    # new one the same way; and the key is opened for reading without following a link.
    ("sopkit/build/sealed.py", "os.replace"),
    ("sopkit/build/sealed.py", "os.open"),
    # serve builds into a new private temporary folder unless -o names one.
    ("sopkit/build/serve.py", "tempfile.mkdtemp"),
}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value
        prefix = owner.id if isinstance(owner, ast.Name) else "…"
        return f"{prefix}.{func.attr}"
    return "?"


def _is_write_mode(node: ast.Call) -> bool:
    mode: ast.expr | None = None
    for keyword in node.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    name = _call_name(node)
    position = 1 if name == "open" else 0  # open(path, mode) / path.open(mode)
    if mode is None and len(node.args) > position:
        mode = node.args[position]
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(flag in mode.value for flag in "wax+")
    return True  # a mode computed at run time: look at it


def file_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) for every call in ``source`` that may write a file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        attr = name.rpartition(".")[2]
        if attr == "open" and _is_write_mode(node):
            found.append((node.lineno, name))
        elif attr in _WRITERS:
            if attr == "replace" and name != "os.replace":
                continue  # str.replace; Path.replace would be spelled os.replace here
            if attr in ("copy", "move") and not name.startswith("shutil."):
                continue  # dict.copy(), list.copy()
            if attr == "save" and not node.args:
                continue
            found.append((node.lineno, name))
    return found


def test_the_scan_finds_writes() -> None:
    sample = (
        "open(p, 'w')\nopen(p)\np.open('rb')\np.open(mode='a')\np.write_text(t)\n"
        "os.replace(a, b)\n'x'.replace('a', 'b')\nshutil.copy(a, b)\n{}.copy()\nwb.save(p)\n"
    )
    assert [line for line, _ in file_writes(sample)] == [1, 4, 5, 6, 8, 10]


def test_every_write_goes_through_write_atomic() -> None:
    offenders = []
    for path in sorted(SOPKIT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "sopkit/output.py":
            continue
        for line, call in file_writes(path.read_text(encoding="utf-8")):
            if (relative, call) not in _ALLOWED:
                offenders.append(f"{relative}:{line}: {call}(…)")
    assert not offenders, "write these through sopkit.output.write_atomic:\n" + "\n".join(offenders)


# --- write_atomic and safe_child -----------------------------------------------------


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sop.md"
    target.write_text("the old SOP\n", encoding="utf-8")

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, "the new SOP\n")
    assert "No space left on device" in caught.value.message
    assert target.read_text(encoding="utf-8") == "the old SOP\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sop.md"]


def test_an_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cost.csv"
    target.write_bytes(b"old")

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cost.csv"]


def test_write_atomic_replaces_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.html"
    write_atomic(target, "<p>one</p>")
    write_atomic(target, "<p>two</p>")
    assert target.read_text(encoding="utf-8") == "<p>two</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.html"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/null`` (as root) once renamed a file over the device itself: a pipe
    stands for any such path here, safely."""
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_atomic(pipe, "through the pipe")
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_an_unwritable_output_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "a-file" / "out.md", "text")  # parent is a file
    with pytest.raises(OutputError):
        write_atomic(tmp_path, "text")  # the target is a folder


@pytest.mark.parametrize(
    "name",
    ["../x", "../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../../b", "processes/../../x"],
)
def test_safe_child_refuses_names_that_leave_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError):
        safe_child(tmp_path / "site", name)


def test_safe_child_keeps_names_inside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert safe_child(site, "processes/x.html") == site.resolve() / "processes/x.html"


# --- never over an input -------------------------------------------------------------

PROCESS = """\
sopkit: 1
id: safe
name: Safe
owner: Content Lead
frequency: 4/month
steps:
  - id: research
    name: Research
    owner: SEO Specialist
    time: 2h
    automation: 0.5
  - id: draft
    name: Draft
    owner: Content Writer
    after: [research]
    time: 1h
"""
ROLES = """\
currency: USD
roles:
  Content Writer: {rate: 40}
  SEO Specialist: {rate: 45}
"""


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "p.yaml").write_text(PROCESS, encoding="utf-8")
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


SCENARIO = "sopkit-scenario: 1\nname: Dearer writing\nchanges:\n  - rates: {Content Writer: 99}\n"


REFUSED = [
    ["sop", "processes/p.yaml", "-o", "processes/p.yaml"],
    ["sop", "processes/p.yaml", "--format", "html", "-o", "processes/roles.yaml"],
    ["checklist", "processes/p.yaml", "-o", "processes/p.yaml"],
    ["diagram", "processes/p.yaml", "--format", "dot", "-o", "processes/p.yaml"],
    ["diagram", "processes/p.yaml", "--format", "mermaid", "-o", "processes/roles.yaml"],
    ["cost", "processes/p.yaml", "-o", "processes/p.yaml"],
    ["cost", "processes/p.yaml", "--format", "csv", "-o", "processes/roles.yaml"],
    ["cost", "processes", "--format", "json", "-o", "processes/new.yaml"],
    ["candidates", "processes", "-o", "processes/roles.yaml"],
    ["candidates", "processes/p.yaml", "-o", "./processes/../processes/p.yaml"],
    ["simulate", "processes", "--years", "100", "-o", "processes/p.yaml"],
    ["simulate", "processes/p.yaml", "--format", "csv", "-o", "processes/roles.yaml"],
    ["report", "processes", "-o", "processes/p.yaml"],
    ["report", "processes/p.yaml", "--format", "html", "-o", "processes/roles.yaml"],
    ["build", "processes", "-o", "processes"],
    ["build", "processes", "-o", "."],
    ["build", "processes/p.yaml", "-o", "processes"],
]


@pytest.mark.parametrize("argv", REFUSED, ids=lambda argv: " ".join(argv))
def test_an_input_is_never_overwritten(inputs: Path, argv: list[str]) -> None:
    before = _snapshot(inputs.parent)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert re.match(r"^\S.*: error: ", result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(inputs.parent) == before


def test_an_output_that_links_to_an_input_is_refused(inputs: Path) -> None:
    (inputs.parent / "sop.md").symlink_to(inputs / "p.yaml")
    before = _snapshot(inputs)
    result = CliRunner().invoke(app, ["sop", "processes/p.yaml", "-o", "sop.md"])
    assert result.exit_code == 1, result.output
    assert _snapshot(inputs) == before


def test_refuse_inputs_knows_the_roles_file_beside_a_process(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PROCESS, encoding="utf-8")
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    for output in ("p.yaml", "roles.yaml"):
        with pytest.raises(OutputError):
            refuse_inputs(tmp_path / output, [tmp_path / "p.yaml"])
    refuse_inputs(tmp_path / "sop.md", [tmp_path / "p.yaml"])  # no error


# --- never over someone's process or roles file, input or not, unless --force ------------

#: Every command that writes a file with -o; each must refuse a process file or roles.yaml.
WRITERS = {
    "sop": ["sop", "processes/p.yaml"],
    "sop-html": ["sop", "processes/p.yaml", "--format", "html"],
    "checklist": ["checklist", "processes/p.yaml"],
    "diagram": ["diagram", "processes/p.yaml", "--format", "dot"],
    "cost": ["cost", "processes/p.yaml", "--format", "csv"],
    "candidates": ["candidates", "processes/p.yaml", "--format", "json"],
    "simulate": ["simulate", "processes/p.yaml", "--years", "100", "--format", "json"],
    "report": ["report", "processes/p.yaml", "--format", "html"],
    "plan": ["plan", "processes/p.yaml", "--start", "2026-12-01", "--format", "csv"],
    "diff": ["diff", "processes/p.yaml", "processes/p.yaml"],
    "compare": ["compare", "processes/p.yaml", "--scenario", "scenario.yaml"],
    "export-bpmn": ["export", "bpmn", "processes/p.yaml"],
    "schema": ["schema"],
    "schema-roles": ["schema", "roles"],
}

#: Files that are someone's process or roles file, in every shape a process file can take.
OTHER_FILES = {
    "other/q.yaml": PROCESS.replace("id: p", "id: q"),
    "other/q.yml": PROCESS.replace("id: p", "id: q"),
    "other/no-extension": PROCESS,
    "other/flow.yaml": '{"sopkit": 1, "id": "q", "name": "Q"}',
    "other/bom.yaml": "\ufeff" + PROCESS,
    "other/broken.yaml": "id: [q\nsopkit: 1\n",  # a process being edited, not yet valid
    "other/comment-first.yaml": "# my process\n\n" + PROCESS,
    "other/roles.yaml": ROLES,
    "other/roles.yml": "not even YAML: [",
}


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("name", sorted(OTHER_FILES))
def test_a_process_or_roles_file_that_is_not_an_input_is_refused(
    inputs: Path, command: str, name: str
) -> None:
    target = inputs.parent / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(OTHER_FILES[name], encoding="utf-8")
    before = _snapshot(inputs.parent)
    result = CliRunner().invoke(app, [*WRITERS[command], "-o", name])
    assert result.exit_code == 1, result.output
    what = "a roles file" if Path(name).name.startswith("roles.") else "a process file"
    assert result.stderr == (
        f"{name}: error: output would overwrite {what} "
        "(choose another -o path, or add --force to replace it)\n"
    )
    assert _snapshot(inputs.parent) == before


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_force_writes_over_a_process_file_that_is_not_an_input(inputs: Path, command: str) -> None:
    # A name without an extension: every command writes any of its formats there.
    target = inputs.parent / "other"
    target.write_text(PROCESS.replace("id: p", "id: q"), encoding="utf-8")
    result = CliRunner().invoke(app, [*WRITERS[command], "-o", "other", "--force"])
    assert result.exit_code == 0, result.output
    assert "sopkit: 1" not in target.read_text(encoding="utf-8")
    # A command with --format takes its format from the extension: a report, a plan
    # or a table is never written into a .yaml file, --force or not.
    named = inputs.parent / "other.yaml"
    named.write_text(PROCESS.replace("id: p", "id: q"), encoding="utf-8")
    result = CliRunner().invoke(app, [*WRITERS[command], "-o", "other.yaml", "--force"])
    if command.startswith(("export", "schema")):
        assert result.exit_code == 0, result.output
        assert "sopkit: 1" not in named.read_text(encoding="utf-8")
    else:
        assert result.exit_code == 2 and "writes no '.yaml' files here" in result.stderr
        assert "sopkit: 1" in named.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_force_never_writes_over_an_input(inputs: Path, command: str) -> None:
    if command.startswith("schema"):
        pytest.skip("schema reads no input")
    before = _snapshot(inputs)
    result = CliRunner().invoke(app, [*WRITERS[command], "-o", "processes/p.yaml", "--force"])
    assert result.exit_code == 1, result.output
    assert "output would overwrite an input file" in result.stderr
    assert _snapshot(inputs) == before


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: 1\nb: [sopkit]\n",
        "steps:\n  sopkit: 1\n",  # not at the top level
        "- sopkit: 1\n",
        "# sopkit: notes\n",
        "text: |\n  sopkit: 1\n",
        "<html>sopkit: 1</html>\n",
    ],
)
def test_other_files_are_not_process_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(text, encoding="utf-8")
    assert not is_process_file(path)
    refuse_overwrite(path)  # no error


def test_the_process_file_check_reads_no_more_than_a_process(tmp_path: Path) -> None:
    alias_bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{i}: &b{i} [{', '.join([f'*b{i - 1}' if i else '*a'] * 10)}]\n" for i in range(30)
    )
    (tmp_path / "bomb.yaml").write_text(alias_bomb + "sopkit: 1\n", encoding="utf-8")
    assert is_process_file(tmp_path / "bomb.yaml")
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\nsopkit: 1\n")
    assert is_process_file(tmp_path / "deep.yaml")
    (tmp_path / "big.yaml").write_bytes(b"sopkit: 1\n" + b"#" * (6 * 1024 * 1024))
    assert not is_process_file(tmp_path / "big.yaml")  # the loader refuses it anyway
    assert not is_process_file(tmp_path)


# --- nothing lost: a failed run keeps what the last good run wrote ---------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["sop", "processes/p.yaml", "--format", "html", "-o", "out/sop.html"],
        ["checklist", "processes/p.yaml", "-o", "out/checklist.md"],
        ["cost", "processes", "--format", "json", "-o", "out/cost.json"],
        ["candidates", "processes", "--format", "csv", "-o", "out/candidates.csv"],
        ["simulate", "processes", "--years", "100", "-o", "out/ranges.txt"],
        ["report", "processes", "--format", "html", "-o", "out/report.html"],
        ["diagram", "processes/p.yaml", "--format", "dot", "-o", "out/p.dot"],
        ["build", "processes", "-o", "out/site"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_failed_run_keeps_the_previous_output(inputs: Path, argv: list[str]) -> None:
    if argv[0] == "build":
        require_tool("dot", "graphviz")
    runner = CliRunner()
    first = runner.invoke(app, argv)
    assert first.exit_code == 0, first.output
    out = inputs.parent / "out"
    before = _snapshot(out)
    assert before
    (inputs / "p.yaml").write_text(PROCESS.replace("time: 1h", "time: 1x"), encoding="utf-8")
    second = runner.invoke(app, argv)
    assert second.exit_code == 1, second.output
    assert "unknown unit 'x'" in second.stderr
    assert _snapshot(out) == before


# --- hostile names -------------------------------------------------------------------

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
JINJA = '{{ "jinja" ~ "pwned" }} {% raw %}'

HOSTILE = {
    "process": f"<script>alert(1)</script> {JINJA} {RLO}lave",
    "owner": "</title><img src=x onerror=alert(1)>",
    "purpose": "# Not a heading\n\n<iframe src=javascript:alert(1)></iframe> [x](javascript:1)",
    "trigger": "| a | b |\n---\n```",
    "tools": ["`rm -rf /`", "]]> <!-- -->", '=HYPERLINK("http://evil.example","x")'],
    "research": 'Research "q" ]; x -> y; subgraph cluster_evil { z } \\N \\G <b>bold</b>',
    "editor": '<b>Editor</b> " ]; evil [ --> ~~struck~~',
    "done": "- [x] already done\n* bullet\n# heading",
    "instructions": ["<script>alert(2)</script>", "line1\nline2\n# heading", JINJA],
    "draft": f"Draft {RLO}lmth.exe {LRI}isolate",
    "writer": f"Writer {RLO}redaeR",
    "tool": "<svg onload=alert(3)>",
    "publish": "=1+1",
    "publisher": "@SUM(A1:A9)",
    "ptool": "-2+3",
}
PLAIN = {
    "process": "Plain process",
    "owner": "Head of content",
    "purpose": "Why this exists.",
    "trigger": "A topic is approved.",
    "tools": ["Docs", "Sheets", "Mail"],
    "research": "Research",
    "editor": "Editor",
    "done": "The brief is ready.",
    "instructions": ["Read", "Write", "Check"],
    "draft": "Draft",
    "writer": "Writer",
    "tool": "Buffer",
    "publish": "Publish",
    "publisher": "Publisher",
    "ptool": "Scheduler",
}


def process_yaml(names: dict[str, Any]) -> tuple[str, str]:
    """A three-step process (with rework and automation) and its roles file."""
    process = {
        "sopkit": 1,
        "id": "names",
        "name": names["process"],
        "owner": names["owner"],
        "purpose": names["purpose"],
        "trigger": names["trigger"],
        "frequency": "4/month",
        "tools": names["tools"],
        "steps": [
            {
                "id": "research",
                "name": names["research"],
                "owner": names["editor"],
                "time": "2h",
                "wait": "1d",
                "done_when": names["done"],
                "instructions": names["instructions"],
            },
            {
                "id": "draft",
                "name": names["draft"],
                "owner": names["writer"],
                "after": ["research"],
                "time": "1h..3h",
                "rework": {"to": "draft", "probability": 0.2},
                "automation": {"share": 0.5, "tool": names["tool"], "tool_cost": "10/month"},
            },
            {
                "id": "publish",
                "name": names["publish"],
                "owner": names["publisher"],
                "after": ["draft"],
                "time": "30m",
                "automation": {"share": 0.8, "tool": names["ptool"]},
            },
        ],
    }
    roles = {
        "currency": "USD",
        "roles": {
            names["editor"]: {"rate": 50},
            names["writer"]: {"rate": 40},
            names["publisher"]: {"rate": 30},
        },
    }
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    return dump(process), dump(roles)


TEXT_COMMANDS = {
    "sop.md": ["sop", "{p}"],
    "sop.html": ["sop", "{p}", "--format", "html"],
    "checklist.md": ["checklist", "{p}"],
    "issue.md": ["checklist", "{p}", "--format", "github-issue"],
    "diagram.dot": ["diagram", "{p}", "--format", "dot"],
    "diagram.mmd": ["diagram", "{p}", "--format", "mermaid"],
    "cost.txt": ["cost", "{p}"],
    "cost.md": ["cost", "{p}", "--format", "markdown"],
    "cost.csv": ["cost", "{p}", "--format", "csv"],
    "cost.json": ["cost", "{p}", "--format", "json"],
    "candidates.txt": ["candidates", "{p}"],
    "candidates.md": ["candidates", "{p}", "--format", "markdown"],
    "candidates.csv": ["candidates", "{p}", "--format", "csv"],
    "candidates.json": ["candidates", "{p}", "--format", "json"],
    "ranges.txt": ["simulate", "{p}", "--years", "100"],
    "ranges.md": ["simulate", "{p}", "--years", "100", "--format", "markdown"],
    "ranges.csv": ["simulate", "{p}", "--years", "100", "--format", "csv"],
    "ranges.json": ["simulate", "{p}", "--years", "100", "--format", "json"],
    "report.html": ["report", "{p}", "--format", "html", "--date", "2026-01-01"],
    "export.bpmn": ["export", "bpmn", "{p}"],
}


def render_all(folder: Path, names: dict[str, Any]) -> dict[str, str]:
    """Every text output sopkit makes for the process with these names."""
    folder.mkdir()
    text, roles = process_yaml(names)
    (folder / "names.yaml").write_text(text, encoding="utf-8")
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    outputs = {}
    runner = CliRunner()
    for key, argv in TEXT_COMMANDS.items():
        result = runner.invoke(app, [a.format(p=folder / "names.yaml") for a in argv])
        assert result.exit_code == 0, f"{key}: {result.output}"
        outputs[key] = result.stdout
    return outputs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    root = tmp_path_factory.mktemp("names")
    return render_all(root / "hostile", HOSTILE), render_all(root / "plain", PLAIN)


def _outside_fences(markdown: str) -> str:
    """The Markdown a reader sees as prose: no code fences, no YAML front matter."""
    if markdown.startswith("---\n"):
        front, _, markdown = markdown[4:].partition("\n---\n")
        assert isinstance(yaml.safe_load(front), dict), "front matter stays valid YAML"
    return re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)


def test_bpmn_has_no_markup_from_names_and_keeps_them_exactly(
    rendered: tuple[dict[str, str], ...], tmp_path: Path
) -> None:
    """Names become attribute values and text, escaped: the same elements as for plain
    names, and the process reads back exactly as it was loaded."""
    import xml.etree.ElementTree as ET

    from sopkit.interop.bpmn import import_bpmn
    from sopkit.interop.filedata import process_data
    from sopkit.load import load_process

    hostile, plain = rendered
    sopkit = "{https://sopkit.dev/bpmn/1}"
    tags = [
        [e.tag for e in ET.fromstring(text.encode()).iter() if not e.tag.startswith(sopkit)]
        for text in (hostile["export.bpmn"], plain["export.bpmn"])
    ]
    assert tags[0] == tags[1]  # in the extension, a plain role name may name its element
    text, roles = process_yaml(HOSTILE)
    (tmp_path / "names.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
    loaded = process_data(load_process(tmp_path / "names.yaml"))
    (process,) = import_bpmn(hostile["export.bpmn"].encode(), "names.bpmn").processes
    assert process.data == loaded


RAW_HTML = ["<script", "<img", "<iframe", "<svg onload", "<b>Editor", "<b>bold", "<!-- -->"]


def test_hostile_names_run_no_template_code(rendered: tuple[dict[str, str], ...]) -> None:
    hostile, _ = rendered
    for key, text in hostile.items():
        assert "jinjapwned" not in text, key


def test_html_has_no_markup_from_names(rendered: tuple[dict[str, str], ...]) -> None:
    hostile, plain = rendered
    page = hostile["sop.html"]
    for raw in RAW_HTML:
        assert raw not in page, raw
    for tag in ("<h1", "<h2", "<h3", "<table", "<tr", "<ol", "<ul", "<li", "<a ", "<svg", "<g "):
        assert page.count(tag) == plain["sop.html"].count(tag), tag


@pytest.mark.parametrize(
    "key", ["sop.md", "checklist.md", "issue.md", "cost.md", "candidates.md", "ranges.md"]
)
def test_markdown_keeps_its_structure(rendered: tuple[dict[str, str], ...], key: str) -> None:
    hostile, plain = rendered

    def shape(text: str) -> list[str]:
        kinds = []
        for line in _outside_fences(text).splitlines():
            stripped = line.lstrip()
            for marker in ("#", "- [ ]", "|", "```", "---", "* ", "1. "):
                if stripped.startswith(marker):
                    kinds.append(marker)
                    break
        return kinds

    assert shape(hostile[key]) == shape(plain[key])
    outside = _outside_fences(hostile[key])
    assert not re.search(r"(?<!\\)~~", outside)  # GitHub would strike the text through
    for raw in RAW_HTML:
        assert raw not in outside, raw
    link = re.compile(r"(?<!\\)\](?:\(|\[)")
    links = len(link.findall(_outside_fences(plain[key])))
    assert len(link.findall(outside)) == links, "a name made a Markdown link"


def test_dot_keeps_its_nodes_clusters_and_edges(rendered: tuple[dict[str, str], ...]) -> None:
    require_tool("dot", "graphviz")
    hostile, plain = rendered

    def shape(dot_text: str) -> tuple[int, int, int, list[str]]:
        done = subprocess.run(
            ["dot", "-Tjson"], input=dot_text, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        graph = json.loads(done.stdout)
        objects = graph.get("objects", [])
        clusters = [o["name"] for o in objects if "nodes" in o or "subgraphs" in o]
        nodes = sorted(o["name"] for o in objects if "nodes" not in o and "subgraphs" not in o)
        return len(clusters), len(nodes), len(graph.get("edges", [])), nodes

    assert shape(hostile["diagram.dot"]) == shape(plain["diagram.dot"])


def test_mermaid_keeps_its_structure(rendered: tuple[dict[str, str], ...]) -> None:
    hostile, plain = rendered

    def shape(text: str) -> list[str]:
        return [re.sub(r"\[.*|\".*", "", line) for line in text.splitlines()]

    assert shape(hostile["diagram.mmd"]) == shape(plain["diagram.mmd"])
    lines = hostile["diagram.mmd"].splitlines()
    assert lines[0] == "---" and lines[2] == "---", "the title stays one front-matter line"
    assert yaml.safe_load(lines[1])["title"].startswith("<script>alert(1)</script>")


@pytest.mark.parametrize("key", ["cost.csv", "candidates.csv"])
def test_csv_has_the_same_shape_and_no_formulas(
    rendered: tuple[dict[str, str], ...], key: str
) -> None:
    hostile, plain = rendered
    rows = list(csv.reader(io.StringIO(hostile[key])))
    plain_rows = list(csv.reader(io.StringIO(plain[key])))
    assert [len(r) for r in rows] == [len(r) for r in plain_rows]
    header = rows[0]
    text_columns = {"name", "owner", "tool", "process", "step", "role", "currency"}
    for row in rows[1:]:
        for column, cell in zip(header, row, strict=True):
            if column in text_columns:
                assert not cell.startswith(("=", "+", "-", "@")), (column, cell)


@pytest.mark.parametrize("key", ["cost.json", "candidates.json"])
def test_json_round_trips_names(rendered: tuple[dict[str, str], ...], key: str) -> None:
    hostile, _ = rendered
    data = json.loads(hostile[key])
    text = json.dumps(data, ensure_ascii=False)
    assert "=1+1" in text  # JSON is data: names come back exactly, nothing prefixed
    if key == "cost.json":
        assert data["processes"][0]["name"].startswith("<script>alert(1)</script>")


BIDI_OPENERS = "\u202a\u202b\u202d\u202e"
ISOLATES = "\u2066\u2067\u2068"


def unclosed_bidi(text: str, *, markup: bool = False) -> list[int]:
    """Line numbers where a right-to-left override or isolate is left open.

    In markup each text node counts on its own, and SVG ``<text>`` elements are left
    out: each is a separate bidi paragraph, so an override cannot leave it.
    """
    if markup:
        text = re.sub(r"<text\b[^>]*>.*?</text>", "", text, flags=re.S)
        text = re.sub(r"<[^>]*>", "\n", text)
    bad = []
    for number, line in enumerate(text.splitlines(), start=1):
        opened = sum(line.count(c) for c in BIDI_OPENERS) > line.count(PDF)
        isolated = sum(line.count(c) for c in ISOLATES) > line.count(PDI)
        if opened or isolated:
            bad.append(number)
    return bad


def test_right_to_left_overrides_never_spill(rendered: tuple[dict[str, str], ...]) -> None:
    hostile, _ = rendered
    assert RLO in hostile["sop.md"], "names keep their right-to-left text"
    for key, text in hostile.items():
        if key.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
        assert unclosed_bidi(text) == [], key


def test_messages_escape_terminal_controls_and_overrides(tmp_path: Path) -> None:
    text, roles = process_yaml(HOSTILE)
    (tmp_path / "names.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "roles.yaml").write_text("currency: USD\n", encoding="utf-8")  # no rates
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "names.yaml")])
    assert result.exit_code == 1
    assert "owner 'Writer \\u202eredaeR\\u202c' is not among the roles" in result.stderr
    assert RLO not in result.stderr and "\x1b" not in result.stderr
    line = Problem("id 'a\x1b[2Jb' \u202eevil", path="x\x1by.yaml", line=1, column=1).format()
    assert line == "x\\x1by.yaml:1:1: error: id 'a\\x1b[2Jb' \\u202eevil"


# --- the site: file names from ids, all inside the output folder, nothing raw ---------


def test_the_site_of_hostile_names_is_safe(tmp_path: Path) -> None:
    require_tool("dot", "graphviz")
    folder = tmp_path / "in"
    folder.mkdir()
    text, roles = process_yaml(HOSTILE)
    (folder / "names.yaml").write_text(text, encoding="utf-8")
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["build", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "site"], "nothing beside the site"
    slug = r"[a-z0-9][a-z0-9-]*"
    allowed = re.compile(rf"^(\.sopkit-site|[a-z.-]+|processes/{slug}(\.[a-z]+)+)$")
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
        if path.is_file():
            name = path.relative_to(out).as_posix()
            assert allowed.match(name), name
            if path.suffix in (".html", ".svg", ".md"):
                page = path.read_text(encoding="utf-8")
                assert "jinjapwned" not in page, name
                assert unclosed_bidi(page, markup=path.suffix != ".md") == [], name
                if path.suffix != ".md":
                    for raw in RAW_HTML:
                        assert raw not in page, (name, raw)
    workbook = pytest.importorskip("openpyxl").load_workbook(out / "cost.xlsx")
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not re.search(r"HYPERLINK|1\+1|SUM\(A1:A9", str(cell.value)), cell


TRICKY = ["]", "]]", "]]>", "[", "<", ">", "&", "&amp;", "\\", "\\N", '"', "{", "}", "|", "<br/>"]


@pytest.mark.parametrize("name", TRICKY)
def test_graphviz_draws_any_single_name(tmp_path: Path, name: str) -> None:
    """Short names that are all syntax: Graphviz must still parse every label."""
    require_tool("dot", "graphviz")

    def objects(step_name: str) -> int:
        names = {**PLAIN, "process": step_name, "research": step_name}
        names |= {"editor": step_name, "draft": step_name + step_name}
        text, roles = process_yaml(names)
        (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
        (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
        result = CliRunner().invoke(app, ["diagram", str(tmp_path / "p.yaml"), "--format", "dot"])
        assert result.exit_code == 0, result.output
        done = subprocess.run(
            ["dot", "-Tjson"], input=result.stdout, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return len(json.loads(done.stdout)["objects"])

    assert objects(name) == objects("x")  # the same shapes, whatever the name holds


def test_only_a_regular_file_of_sane_size_is_read_before_it_is_replaced(tmp_path: Path) -> None:
    """``plan --format ics -o /dev/zero`` read the device until memory ran out."""
    calendar = tmp_path / "plan.ics"
    calendar.write_text("BEGIN:VCALENDAR\n", encoding="utf-8")
    assert read_replaced(calendar) == "BEGIN:VCALENDAR\n"
    assert read_replaced(tmp_path / "missing.ics") is None
    assert read_replaced(tmp_path) is None  # a folder
    huge = tmp_path / "huge.ics"
    with huge.open("wb") as file:
        file.truncate(6 * 1024 * 1024)  # sparse: no 6 MB written
    assert read_replaced(huge) is None
    if Path("/dev/zero").exists():
        assert read_replaced("/dev/zero") is None
    if hasattr(os, "mkfifo"):  # opening a FIFO to read would wait for a writer for ever
        fifo = tmp_path / "pipe.ics"
        os.mkfifo(fifo)
        assert read_replaced(fifo) is None
