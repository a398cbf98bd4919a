"""The public API: a sorted ``__all__`` whose every name resolves, and a light start-up.

``sopkit/__init__.py`` imports its exports lazily so ``sopkit --help`` does not
pay for pydantic, networkx or YAML; these tests keep it that way.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import sopkit

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pydantic", "networkx", "yaml", "jinja2", "babel", "graphviz", "openpyxl", "numpy")


def test_all_is_sorted_and_unique() -> None:
    assert sopkit.__all__ == sorted(sopkit.__all__)
    assert len(set(sopkit.__all__)) == len(sopkit.__all__)


def test_every_exported_name_resolves() -> None:
    for name in sopkit.__all__:
        assert getattr(sopkit, name) is not None, name


def test_exports_table_matches_all() -> None:
    exports = sopkit._EXPORTS  # type: ignore[attr-defined]
    assert set(exports) == set(sopkit.__all__) - {"__version__"}
    for name, module in exports.items():
        assert getattr(importlib.import_module(module), name) is getattr(sopkit, name), name


def test_type_checking_imports_cover_every_export() -> None:
    """IDEs and mypy see the same names as ``__getattr__`` serves."""
    tree = ast.parse((ROOT / "sopkit" / "__init__.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in ast.walk(node):
                if isinstance(statement, ast.ImportFrom):
                    imported.update(alias.asname or alias.name for alias in statement.names)
    assert imported == set(sopkit.__all__) - {"__version__"}


def test_dir_and_unknown_names() -> None:
    assert dir(sopkit) == sopkit.__all__
    with pytest.raises(AttributeError, match="no attribute 'load_everything'"):
        sopkit.load_everything  # type: ignore[attr-defined]  # noqa: B018


def test_the_core_names_keep_their_home() -> None:
    from sopkit import errors, graph, load, models, schema, validate

    assert sopkit.load_process is load.load_process
    assert sopkit.load_portfolio is load.load_portfolio
    assert sopkit.Portfolio is load.Portfolio
    assert sopkit.Process is models.Process
    assert sopkit.Problem is errors.Problem
    assert sopkit.SopkitError is errors.SopkitError
    assert sopkit.check_process is validate.check_process
    assert sopkit.lint_process is validate.lint_process
    assert sopkit.flow_graph is graph.flow_graph
    assert sopkit.json_schema is schema.json_schema


STARTUP = """
import sys
from sopkit.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(code, ",".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


@pytest.mark.parametrize("argv", [["--help"], ["--version"], []], ids=["help", "version", "bare"])
def test_help_and_version_do_not_import_the_heavy_libraries(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", STARTUP.format(argv=argv, heavy=HEAVY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    code, _, loaded = result.stdout.strip().splitlines()[-1].partition(" ")
    assert loaded == "", f"sopkit {' '.join(argv)} imported {loaded}"
    assert code in ("0", "2"), result.stderr  # no arguments shows help with Click's usage code


def test_importing_sopkit_is_light() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, sopkit; print([m for m in {HEAVY!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "processes/en"],
        ["cost", "processes/en", "--format", "json"],
        ["cost", "processes/en", "--by", "role"],
        ["candidates", "processes/en"],
        ["plan", "processes/en/product-launch.yaml", "--start", "2026-12-07"],
        ["sop", "processes/en/content-marketing.yaml", "-o", "{tmp}/sop.md"],
        ["sop", "processes/en/content-marketing.yaml", "--format", "html", "-o", "{tmp}/sop.html"],
    ],
    ids=["validate", "cost-json", "cost-by-role", "candidates", "plan", "sop-md", "sop-html"],
)
def test_reading_and_costing_do_without_networkx_and_numpy(argv: list[str], tmp_path: Path) -> None:
    """networkx takes about 0.1 s to import and NumPy as long: commands that read, cost
    and lay out the library's processes (which run each other) need neither."""
    argv = [arg.format(tmp=tmp_path) for arg in argv]
    result = subprocess.run(
        [sys.executable, "-c", STARTUP.format(argv=argv, heavy=("networkx", "numpy"))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    code, _, loaded = result.stdout.strip().splitlines()[-1].partition(" ")
    assert code == "0", result.stderr
    assert loaded == "", f"sopkit {' '.join(argv)} imported {loaded}"
