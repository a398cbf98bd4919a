"""Determinism: the same input gives the same bytes, whatever the machine's state.

Every command runs in fresh processes that differ in time zone, locale variables
(which Babel and ``locale`` read), hash seed, the current time (``faketime``) and
the order in which the input files were created; and in-process with the YAML
keys and the roles in another order. Every output must be byte-identical.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import require_tool
from typer.testing import CliRunner

from sopkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "processes"

#: Small portfolios from the library: English (two processes), Korean and Russian, each with
#: its roles file.
INPUTS = [
    "en/roles.yaml",
    "en/content-marketing.yaml",
    "en/lead-generation.yaml",
    "ko/roles.yaml",
    "ko/content-marketing-ko.yaml",
    "ru/roles.yaml",
    "ru/sostac-plan-ru.yaml",
]

#: output file → the command that prints it (``-o`` where a command only writes files).
COMMANDS = {
    "validate.txt": ["validate", "processes/en"],
    "cost.txt": ["cost", "processes/en"],
    "cost-role.md": ["cost", "processes/en", "--by", "role", "--format", "markdown"],
    "cost.csv": ["cost", "processes/en", "--format", "csv"],
    "cost.json": ["cost", "processes/en", "--format", "json"],
    "cost-ko.txt": ["cost", "processes/ko"],
    "cost-ru.md": ["cost", "processes/ru", "--by", "role", "--format", "markdown"],
    "candidates.txt": ["candidates", "processes/en"],
    "candidates.json": ["candidates", "processes/en", "--format", "json"],
    "sop.md": ["sop", "processes/en/content-marketing.yaml"],
    "sop.html": ["sop", "processes/en/content-marketing.yaml", "--format", "html"],
    "sop-ko.html": ["sop", "processes/ko/content-marketing-ko.yaml", "--format", "html"],
    "sop-ru.md": ["sop", "processes/ru/sostac-plan-ru.yaml"],
    "checklist.md": ["checklist", "processes/en/lead-generation.yaml"],
    "checklist.html": ["checklist", "processes/en/lead-generation.yaml", "--format", "html"],
    "diagram.dot": ["diagram", "processes/en/content-marketing.yaml", "--format", "dot"],
    "diagram.mmd": ["diagram", "processes/ko/content-marketing-ko.yaml", "--format", "mermaid"],
    "diagram.svg": ["diagram", "processes/en/content-marketing.yaml", "-o", "out/diagram.svg"],
    "bpmn-ru.bpmn": ["export", "bpmn", "processes/ru/sostac-plan-ru.yaml"],
    "bpmn": ["export", "bpmn", "processes/en", "-o", "out/bpmn"],
    "site": ["build", "processes/en", "-o", "out/site", "-q", "-j", "2"],
    "site-ko": ["build", "processes/ko", "-o", "out/site-ko", "-q"],
}

# Runs each command in-process (one interpreter per environment, to keep this fast) and
# writes what it printed to out/<name>; commands with -o write there themselves.
DRIVER = """
import sys
from pathlib import Path
from typer.testing import CliRunner
from sopkit.cli import app
commands = eval(sys.argv[1])
out = Path("out")
out.mkdir()
runner = CliRunner()
for name, argv in commands.items():
    result = runner.invoke(app, argv)
    if result.exit_code != 0:
        sys.exit(f"{name}: exit {result.exit_code}\\n{result.output}\\n{result.exception!r}")
    if "-o" not in argv:
        (out / name).write_bytes(result.stdout_bytes + b"\\n--stderr--\\n" + result.stderr_bytes)
"""

ENVIRONMENTS = {
    "utc-c": {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"},
    "kiritimati-de": {
        "TZ": "Pacific/Kiritimati",  # UTC+14: another calendar day than UTC
        "LC_ALL": "de_DE.UTF-8",
        "LANG": "ko_KR.UTF-8",
        "LANGUAGE": "ru:ko",
        "LC_NUMERIC": "fr_FR.UTF-8",
        "PYTHONHASHSEED": "12345",
    },
    "adak-posix": {"TZ": "America/Adak", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "987"},
    # run under faketime: a second before a new year, in a zone already past it in UTC terms
    "new-year": {"TZ": "Asia/Seoul", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "5"},
}
_LOCALE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "TZ")


def lay_out(folder: Path, order: list[str]) -> None:
    """Copy the inputs into ``folder/processes`` in the given creation order."""
    for name in order:
        target = folder / "processes" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LIBRARY / name, target)


def outputs(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted((folder / "out").rglob("*")):
        if path.is_file():
            found[path.relative_to(folder / "out").as_posix()] = path.read_bytes()
    return found


def run_everything(folders: dict[str, Path], prefixes: dict[str, list[str]]) -> None:
    """Run the driver in every folder at once, each with its own environment."""
    running = {}
    for key, folder in folders.items():
        env = {k: v for k, v in os.environ.items() if k not in _LOCALE_VARIABLES}
        env.update(ENVIRONMENTS[key])
        env.update(PYTHONPATH=str(ROOT), TERM="unknown", NO_COLOR="1", COLUMNS="120")
        argv = [*prefixes.get(key, []), sys.executable, "-c", DRIVER, repr(COMMANDS)]
        running[key] = subprocess.Popen(
            argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    for key, process in running.items():
        stdout, stderr = process.communicate(timeout=300)  # a hang guard
        assert process.returncode == 0, f"{key}:\n{stderr.decode(errors='replace')[-3000:]}"


def test_outputs_do_not_depend_on_time_zone_locale_hash_seed_time_or_file_order(
    tmp_path: Path,
) -> None:
    require_tool("dot", "graphviz")
    faketime = require_tool("faketime", "faketime")
    orders = {
        "utc-c": INPUTS,
        "kiritimati-de": list(reversed(INPUTS)),
        "adak-posix": random.Random(3).sample(INPUTS, len(INPUTS)),
        "new-year": random.Random(4).sample(INPUTS, len(INPUTS)),
    }
    folders = {}
    for key, order in orders.items():
        folders[key] = tmp_path / key
        lay_out(folders[key], order)
    run_everything(folders, {"new-year": [faketime, "2031-12-31 23:59:59"]})

    reference = outputs(folders["utc-c"])
    assert {"cost.json", "sop-ko.html", "diagram.svg", "site/index.html"} <= set(reference)
    assert "site-ko/index.html" in reference
    assert any(name.endswith(".png") for name in reference), "the site has its diagrams"
    for key, folder in folders.items():
        got = outputs(folder)
        assert sorted(got) == sorted(reference), key
        differ = [name for name in reference if got[name] != reference[name]]
        assert not differ, f"{key}: these outputs differ from utc-c: {differ}"


# --- dict order: the order of keys and roles in the files does not matter -----------


def _shuffled_yaml(path: Path, seed: int) -> str:
    """The same YAML with every mapping's keys in another order (lists keep theirs)."""
    rng = random.Random(seed)

    def shuffle(value: object) -> object:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(value, list):
            return [shuffle(v) for v in value]
        return value

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return yaml.safe_dump(shuffle(data), allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "{d}", "--format", "json"],
        ["cost", "{d}", "--by", "role"],
        ["candidates", "{d}", "--format", "csv"],
        ["sop", "{d}/content-marketing.yaml", "--format", "html"],
        ["diagram", "{d}/content-marketing.yaml", "--format", "dot"],
        ["checklist", "{d}/lead-generation.yaml"],
        ["export", "bpmn", "{d}/content-marketing.yaml"],
    ],
    ids=lambda argv: "-".join(a for a in argv if not a.startswith("{")),
)
def test_outputs_do_not_depend_on_key_order(tmp_path: Path, argv: list[str]) -> None:
    names = ["roles.yaml", "content-marketing.yaml", "lead-generation.yaml"]
    printed = []
    for seed in (0, 1, 2):
        folder = tmp_path / f"seed{seed}" / "processes"
        folder.mkdir(parents=True)
        for name in names:
            text = (LIBRARY / "en" / name).read_text(encoding="utf-8")
            if seed:
                text = _shuffled_yaml(LIBRARY / "en" / name, seed)
            (folder / name).write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, [a.format(d=folder) for a in argv])
        assert result.exit_code == 0, result.output
        printed.append(result.stdout.replace(str(folder), "<d>"))
    assert printed[0] == printed[1] == printed[2]
