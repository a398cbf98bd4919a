"""docs/format.md, the format's reference, cannot fall behind the code.

Every field of every model, every JSON key, unit, period and language must be
in it; its examples must load; the README and the JSON Schema must point at it.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from pydantic import BaseModel
from typer.testing import CliRunner

from sopkit import lint_process, load_portfolio, load_process
from sopkit.analysis import cost_portfolio, cost_process, rank_candidates
from sopkit.cli import app
from sopkit.models import Language, Period, Process, Settings
from sopkit.render.costs import candidates_document, cost_document
from sopkit.schema import json_schema

FORMAT = ROOT / "docs" / "format.md"
TEXT = FORMAT.read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Every word inside `inline code` of the reference (fenced examples left out).
CODE_WORDS = {
    word
    for code in re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", TEXT, flags=re.S))
    for word in re.split(r"[^a-z_]", code)
}


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """``model`` and every model its fields hold, however deeply nested in the annotations."""
    if model.__name__ in seen:
        return seen
    seen[model.__name__] = model
    for info in model.model_fields.values():
        for inner in _types(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                _models(inner, seen)
    return seen


def _types(annotation: Any) -> list[Any]:
    found = [annotation]
    for arg in typing.get_args(annotation):
        found.extend(_types(arg))
    if isinstance(annotation, types.UnionType):
        found.extend(a for arg in annotation.__args__ for a in _types(arg))
    return found


MODELS = _models(Process, {}) | _models(Settings, {})

#: Fields and JSON keys still to document, by model. Empty: every field and key of the
#: format, its additions included, has its place in docs/format.md. A name added here
#: must get its section soon; the tests below fail for any other name missing.
ADDITIONS: dict[str, set[str]] = {}
ADDITION_KEYS: set[str] = set()


def _names(model: type[BaseModel]) -> list[str]:
    """Field names as a file writes them (``with``, not pydantic's ``with_``)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def test_the_walk_finds_every_model() -> None:
    assert {"Process", "Step", "Rework", "Automation", "Review", "Role", "Settings"} <= set(MODELS)
    assert set(ADDITIONS) <= set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_field_of_every_model_is_documented(name: str) -> None:
    pending = ADDITIONS.get(name, set())
    missing = [f for f in _names(MODELS[name]) if f"`{f}`" not in TEXT and f not in pending]
    assert missing == [], f"docs/format.md does not mention {name} fields {missing}"


def test_the_additions_list_only_shrinks() -> None:
    """A name in ADDITIONS must really be a field, and not yet have a row of its own."""
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", TEXT, flags=re.M))
    for name, fields in ADDITIONS.items():
        assert fields <= set(_names(MODELS[name])), name
        shared = {f for f in fields if any(f in _names(m) for n, m in MODELS.items() if n != name)}
        assert not (fields - shared) & rows, (
            f"documented now: take {fields & rows} out of ADDITIONS"
        )


def test_every_field_has_a_row_in_its_table() -> None:
    """Not just mentioned: each field starts a row of a table (| `field` | meaning | …)."""
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", TEXT, flags=re.M))
    fields = {
        f
        for name, model in MODELS.items()
        for f in _names(model)
        if f not in ADDITIONS.get(name, set())
    }
    assert fields - rows == set()


def test_estimates_periods_languages_and_units_are_documented() -> None:
    for word in (
        "min",
        "likely",
        "max",
        *(p.value for p in Period),
        *(lang.value for lang in Language),
    ):
        assert word in CODE_WORDS, word
    for unit in ("m", "h", "d", "w"):
        assert f"| `{unit}` |" in TEXT


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_json_key_is_documented() -> None:
    costs = cost_portfolio(load_portfolio(ROOT / "tests" / "fixtures" / "t1"))
    keys = _keys(cost_document(costs)) | _keys(
        candidates_document(rank_candidates(costs), costs.currency)
    )
    missing = sorted(keys - CODE_WORDS - ADDITION_KEYS)
    assert missing == []


def test_the_examples_load_cost_and_pass_strict(tmp_path: Path) -> None:
    roles, process = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.S)[:2]
    (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
    (tmp_path / "content-marketing.yaml").write_text(process, encoding="utf-8")
    loaded = load_process(tmp_path / "content-marketing.yaml")
    assert lint_process(loaded) == []
    fields_used = set(re.findall(r"^\s*-?\s*([a-z_]+):", process, flags=re.M))
    # `accept` is for warnings a team keeps on purpose, and the example has none: its
    # section (Warnings and --strict) shows it, and tests/test_accept.py holds it.
    shown = set(_names(Process)) - ADDITIONS.get("Process", set()) - {"accept"}
    assert shown <= fields_used  # the example shows every other process field
    assert cost_process(loaded).annual_cost > 0


def test_the_readme_and_the_schema_point_to_it() -> None:
    assert "(docs/format.md)" in README
    assert "shared/spec" not in README  # users do not have the project's internal spec
    for kind in ("process", "roles"):
        schema = json_schema(kind)  # type: ignore[arg-type]
        assert "docs/format.md" in schema["description"]
        assert "docs/format.md" in schema["$comment"]
    help_text = CliRunner().invoke(app, ["schema", "--help"]).stdout
    assert "docs/format.md" in help_text


def test_the_readme_lists_every_system_package_ci_installs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installed = re.search(r"apt-get install -y -qq ([^>\n]+)", ci)
    assert installed
    for package in installed.group(1).split():
        assert f"`{package}`" in README, package


def test_the_readme_lists_every_package_a_test_asks_for() -> None:
    wanted = set()
    for path in (ROOT / "tests").glob("*.py"):
        wanted |= set(re.findall(r'require_tool\(\s*"[^"]+",\s*"([^"]+)"', path.read_text("utf-8")))
    assert wanted >= {"graphviz", "chromium", "libreoffice-calc", "faketime"}
    for package in wanted:
        assert f"| `{package}` |" in README, package
