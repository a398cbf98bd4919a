"""``sopkit schema``: a valid JSON Schema that accepts the library and refuses typos."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.models import WorkingCalendar
from sopkit.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "processes"
PROCESS_FILES = sorted(p for p in LIBRARY.rglob("*.yaml") if p.name != "roles.yaml")
ROLES_FILES = sorted(LIBRARY.rglob("roles.yaml"))

SPEC_EXAMPLE = """\
sopkit: 1
id: content-marketing
name: Content marketing — blog post
owner: Content Lead
frequency: 4/month
language: en
tools: [Ahrefs, Google Docs]
review: {version: "1.2", last_reviewed: 2026-10-01, approver: Head of Marketing}
roles: {Freelance Editor: {rate: 60}}
steps:
  - id: research
    name: Research
    owner: SEO Specialist
    time: 2h
    wait: 1d
    automation: 0.5
    tools: Ahrefs
  - id: draft
    name: Draft
    owner: Content Writer
    after: research
    time: 1h..4h
  - id: edit
    name: Edit
    owner: Editor
    after: [draft]
    time: {min: 30m, likely: 1h, max: 2h}
    rework: {to: draft, probability: 0.3}
  - id: social
    name: Social posts
    owner: Social Media Manager
    after: [edit]
    time: 15m
    wait: 0
    per_run: 3
    automation: {share: 0.8, tool: Buffer, tool_cost: 600/year, setup: 6h}
"""


def as_editor_sees(text: str) -> Any:
    """YAML as an editor's language server sees it: dates are plain strings (YAML 1.2)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


@pytest.fixture(scope="module")
def process_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema("process"))


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return sorted(
        "/".join(str(p) for p in e.absolute_path) or "(root)" for e in validator.iter_errors(data)
    )


@pytest.mark.parametrize("kind", ["process", "roles"])
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = json_schema(kind)  # type: ignore[arg-type]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


@pytest.mark.parametrize("kind", ["process", "roles"])
def test_defaults_are_written_as_in_a_file_and_valid(kind: str) -> None:
    schema = json_schema(kind)  # type: ignore[arg-type]
    seen = {}
    for path, node in walk(schema):
        if "default" not in node:
            continue
        default = node["default"]
        seen[path] = default
        assert not isinstance(default, dict), f"{path}: default {default!r} is a dict"
        # Each default is valid under its own property schema.
        local = {"$defs": schema["$defs"], **{k: v for k, v in node.items() if k != "default"}}
        jsonschema.Draft202012Validator(local).validate(default)
    if kind == "process":
        assert seen["/$defs/Step/properties/wait"] == "0"
        assert seen["/$defs/Step/properties/per_run"] == 1
        assert seen["/$defs/Automation/properties/setup"] == "0"
        assert seen["/$defs/Automation/properties/tool_cost"] == 0
    else:
        assert seen["/properties/hours_per_day"] == 8
        assert seen["/properties/currency"] == "USD"


def test_numbers_use_json_schema_bounds() -> None:
    schema = json_schema("process")
    for path, node in walk(schema):
        for pydantic_only in ("ge", "gt", "le", "lt"):
            assert pydantic_only not in node, f"{path} has '{pydantic_only}'"
    defs = schema["$defs"]
    assert defs["Rework"]["properties"]["probability"] == {
        "type": "number",
        "minimum": 0,
        "exclusiveMaximum": 1,
        "title": "Probability",
    }
    assert defs["Role"]["properties"]["rate"]["minimum"] == 0


@pytest.mark.parametrize("path", PROCESS_FILES, ids=lambda p: p.name)
def test_library_processes_validate_against_the_schema(
    path: Path, process_validator: jsonschema.Draft202012Validator
) -> None:
    assert errors(process_validator, as_editor_sees(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", ROLES_FILES, ids=lambda p: str(p.relative_to(LIBRARY)))
def test_library_roles_validate_against_the_roles_schema(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(json_schema("roles"))
    assert errors(validator, as_editor_sees(path.read_text(encoding="utf-8"))) == []


def test_the_library_is_there() -> None:
    assert len(PROCESS_FILES) >= 8
    assert ROLES_FILES


def test_every_short_form_the_loader_takes_is_in_the_schema(
    process_validator: jsonschema.Draft202012Validator,
) -> None:
    assert errors(process_validator, as_editor_sees(SPEC_EXAMPLE)) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["steps"][2].update(owenr="Editor"), "steps/2"),
        (lambda d: d.update(id="Content Marketing"), "id"),
        (lambda d: d.pop("steps"), "(root)"),
        (lambda d: d.update(sopkit=2), "sopkit"),
        (lambda d: d.update(frequency="4 per month"), "frequency"),
        (lambda d: d["steps"][2]["rework"].update(probability=1), "steps/2/rework/probability"),
        (lambda d: d["steps"][3]["automation"].update(share=2), "steps/3/automation"),
        (lambda d: d["steps"][0].update(time="2 hours"), "steps/0/time"),
        (lambda d: d["steps"][0].update(per_run=0), "steps/0/per_run"),
        (lambda d: d["roles"]["Freelance Editor"].update(rate=-1), "roles/Freelance Editor/rate"),
        (lambda d: d.update(language="de"), "language"),
    ],
    ids=[
        "typo",
        "id",
        "no-steps",
        "version",
        "frequency",
        "probability",
        "share",
        "unit",
        "per-run",
        "rate",
        "language",
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(
    change: Any, where: str, process_validator: jsonschema.Draft202012Validator
) -> None:
    data = copy.deepcopy(as_editor_sees(SPEC_EXAMPLE))
    change(data)
    assert where in errors(process_validator, data)


@pytest.mark.parametrize(
    "day",
    [
        "sat",
        "Sun",
        " FRI ",
        "saturday",
        "Sunday",
        "토",
        "토요일",
        "일요일",
        "сб",
        "Вс",
        "суббота",
        "ВОСКРЕСЕНЬЕ",
        "satur",
        "saturdays",
        "토일",
        "sb",
        "",
    ],
)
def test_the_roles_schema_takes_the_weekend_days_the_loader_takes(day: str) -> None:
    """``calendar.weekend`` takes Korean and Russian day names, in any case: an editor
    checking against ``sopkit schema roles`` must not mark ``[토, 일]`` wrong, nor take a
    name the loader refuses."""
    validator = jsonschema.Draft202012Validator(json_schema("roles"))
    roles = {"roles": {"Editor": {"rate": 50}}, "calendar": {"weekend": [day]}}
    try:
        WorkingCalendar.model_validate({"weekend": [day]})
    except ValidationError:
        loads = False
    else:
        loads = True
    assert (errors(validator, roles) == []) is loads


# --- the command --------------------------------------------------------------------


def dumped(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["process", "roles"])
def test_command_prints_the_library_schema(kind: str) -> None:
    result = CliRunner().invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    assert result.stdout == dumped(kind)


def test_command_default_is_the_process_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == dumped("process")


def test_command_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "sopkit.schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == dumped("process")


def test_command_refuses_an_unknown_kind() -> None:
    result = CliRunner().invoke(app, ["schema", "step"])
    assert result.exit_code == 2  # a usage mistake
    assert result.stderr.startswith("Usage: sopkit schema [OPTIONS] [KIND]")
    assert "'step' is not one of 'process', 'roles'" in result.stderr
    assert result.stdout == ""


def test_help_shows_the_editor_line_and_it_works(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "--help"])
    assert result.exit_code == 0
    assert "# yaml-language-server: $schema=./sopkit.schema.json" in result.stdout
    # The line is a YAML comment: a process that starts with it still loads.
    from sopkit.load import load_process

    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        "# yaml-language-server: $schema=./sopkit.schema.json\n"
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/week\n"
        "steps: [{id: a, name: A, owner: Editor, time: 1h}]\n",
        encoding="utf-8",
    )
    assert load_process(path).id == "p"
