"""The package layout: data flows one way and no module imports in a circle.

source → models → validate → load → analysis and decide → render → build →
CLI. A module may import only from the stages before it; imports inside
functions count too, so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sopkit"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The sopkit modules ``path`` imports, resolved to modules (not names in them)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sopkit"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("sopkit"):
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in modules else base)
    return {m for m in found if m in modules and m != name}


def _graph() -> nx.DiGraph[str]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in files}
    graph: nx.DiGraph[str] = nx.DiGraph()
    for path in files:
        source = _module_name(path)
        graph.add_node(source)
        for target in _imports(path, modules):
            graph.add_edge(source, target)
    return graph


def test_no_import_cycles() -> None:
    graph = _graph()
    # A package's __init__ re-exporting its children is not a circle of its own.
    for node in list(graph):
        for child in list(graph.successors(node)):
            if child.startswith(node + "."):
                graph.remove_edge(node, child)
    assert list(nx.simple_cycles(graph)) == []


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("sopkit.analysis", ("sopkit.render", "sopkit.cli", "sopkit.build", "sopkit.load")),
        ("sopkit.models", ("sopkit.analysis", "sopkit.render", "sopkit.cli", "sopkit.load")),
        ("sopkit.render", ("sopkit.cli", "sopkit.build", "sopkit.load")),
        ("sopkit.load", ("sopkit.analysis", "sopkit.render", "sopkit.cli")),
        ("sopkit.validate", ("sopkit.analysis", "sopkit.render", "sopkit.cli", "sopkit.load")),
        ("sopkit.interop", ("sopkit.cli", "sopkit.build")),
        ("sopkit.decide", ("sopkit.render", "sopkit.cli", "sopkit.build")),
    ],
)
def test_stages_import_only_earlier_stages(stage: str, forbidden: tuple[str, ...]) -> None:
    graph = _graph()
    bad = sorted(
        (source, target)
        for source, target in graph.edges
        if (source == stage or source.startswith(stage + "."))
        and any(target == f or target.startswith(f + ".") for f in forbidden)
    )
    assert bad == []


def test_only_the_cli_imports_the_cli() -> None:
    graph = _graph()
    bad = sorted(
        (s, t)
        for s, t in graph.edges
        if t.startswith("sopkit.cli") and not s.startswith(("sopkit.cli", "sopkit.__main__"))
    )
    assert bad == []


def test_the_due_date_checks_share_a_public_api() -> None:
    """``held`` (validate's due-needs-hold) and the plan use due.py's checks by the names it
    makes public, never its private ones: no ``_gap`` or ``_Gap`` across modules."""
    import sopkit.analysis.plan.due as due

    public = set(due.__all__)
    assert all(not name.startswith("_") for name in public)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("due"):
                found += [(path.name, a.name) for a in node.names if a.name not in public]
    assert found == []
