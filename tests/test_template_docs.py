"""docs/templates.md, the guide to team SOP templates, cannot fall behind the code.

Its example renders as it shows; its blocks are the default templates' blocks;
its fields, with their types, are the fields of the views a template sees; its
messages are the ones sopkit prints; the README, format.md, the CLI's help and
the errors point to it.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import types
import typing
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import ROOT
from jinja2 import nodes
from markupsafe import Markup
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.render.sop import SopDocument
from sopkit.render.sop.templates import DOCS
from sopkit.render.sop.views import VIEW_NAMES

GUIDE = ROOT / DOCS
TEXT = GUIDE.read_text(encoding="utf-8")
TEMPLATES = ROOT / "sopkit" / "templates"


def _section(heading: str) -> str:
    """The text under ``heading`` (``## …`` or ``### …``), up to the next heading
    (a ``#`` line inside a fenced example is none)."""
    lines: list[str] | None = None
    fenced = False
    for line in TEXT.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"#{2,3} ", line):
            if lines is not None:
                break
            if line.rstrip("\n") == heading:
                lines = []
        elif lines is not None:
            lines.append(line)
    assert lines is not None, f"{DOCS} has no heading {heading!r}"
    return "".join(lines)


def _rows(text: str) -> dict[str, list[str]]:
    """A table's rows by their first cell's `name`: the other cells."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        found = re.match(r"^\| `([^`]+)` \|(.*)\|$", line)
        if found:
            rows[found.group(1)] = [cell.strip() for cell in re.split(r"(?<!\\)\|", found[2])]
    return rows


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# --- the worked example --------------------------------------------------------------------


def _example_files() -> dict[str, str]:
    """The example's templates: each code block that follows its file's name."""
    found = re.findall(r"^`team-templates/([^`]+)`:\n\n```jinja\n(.*?)```", TEXT, flags=re.M | re.S)
    return dict(found)


def _sop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> str:
    """``command`` run as the guide shows it, in a folder with the library and the example."""
    monkeypatch.chdir(tmp_path)
    if not (tmp_path / "processes").exists():
        (tmp_path / "processes").symlink_to(ROOT / "processes")
        (tmp_path / "team-templates").mkdir()
        for name, text in _example_files().items():
            (tmp_path / "team-templates" / name).write_text(text, encoding="utf-8")
    argv = shlex.split(command)
    assert argv[0] == "sopkit"
    result = CliRunner().invoke(app, argv[1:])
    assert result.exit_code == 0, result.output
    return result.stdout


def _in_order(shown: str, rendered: str) -> None:
    """Each part of ``shown`` between lines of "…" is in ``rendered``, in that order."""
    at = 0
    for part in re.split(r"^…\n", shown, flags=re.M):
        found = rendered.find(part, at)
        assert found >= 0, f"not in the render (after character {at}):\n{part}"
        at = found + len(part)


def test_the_example_has_both_templates() -> None:
    files = _example_files()
    assert set(files) == {"sop.md.j2", "sop.html.j2"}
    for text in files.values():
        assert "{% block footer %}" in text
    assert "{% block step %}" in files["sop.md.j2"]


def test_the_example_renders_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = _section("## A worked example")
    command = "sopkit sop processes/en/content-marketing.yaml --template team-templates/"
    assert f"`{command}`" in section
    assert f"{command}\n" in TEXT.split("\n## ", 1)[0]  # among the commands at the top
    [markdown] = re.findall(r"```markdown\n(.*?)```", section, flags=re.S)
    rendered = _sop(tmp_path, monkeypatch, command)
    _in_order(markdown, rendered)
    assert rendered.endswith(markdown.rsplit("…\n", 1)[1])
    # Every step gets its line, under the default step.
    steps = re.findall(r"^### \d+\. ", rendered, flags=re.M)
    assert rendered.count("**Log time to:** content-marketing / ") == len(steps) == 9
    [html] = re.findall(r"```html\n(.*?)```", section, flags=re.S)
    page = _sop(tmp_path, monkeypatch, command.replace(" --template", " --format html --template"))
    assert html in page
    assert ".doc-footer .help { font-weight: 600; }" in page
    assert page.rstrip().endswith("</html>")


# --- blocks ----------------------------------------------------------------------------------


def _blocks(*names: str) -> set[str]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
    found: set[str] = set()
    for name in names:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        found |= {block.name for block in env.parse(source).find_all(nodes.Block)}
    return found


def test_the_documented_blocks_are_the_default_templates_blocks() -> None:
    rows = _rows(_section("## The blocks you can replace"))
    markdown = {name for name, cells in rows.items() if "Markdown" in cells[0]}
    html = {name for name, cells in rows.items() if "HTML" in cells[0]}
    assert markdown == _blocks("default/sop.md.j2")
    assert html == _blocks("default/sop.html.j2", "default/base.html.j2")
    assert all(cells[1] for cells in rows.values()), "every block says what it renders"


def test_the_documented_macros_are_the_defaults() -> None:
    section = _section("## The blocks you can replace")
    documented = set(re.findall(r"^- `(\w+)\(", section, flags=re.M))
    for name in ("default/sop.md.j2", "default/sop.html.j2"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert set(re.findall(r"\{% macro (\w+)\(", source)) == documented


def test_the_files_named_are_the_files_there() -> None:
    """Every ``default/…`` name the guide gives is a template sopkit ships, and the other way."""
    rows = _rows(_section("## Which files are read"))
    shipped = {f"default/{p.name}" for p in (TEMPLATES / "default").iterdir()}
    documented = {name for name in rows if name.startswith("default/")}
    # The checklists are not a team's to replace.
    assert documented == shipped - {"default/checklist.md.j2", "default/checklist.html.j2"}
    assert {name for name in rows if not name.startswith("default/")} == {
        "sop.md.j2",
        "sop.html.j2",
    }


# --- fields ----------------------------------------------------------------------------------


def _words(annotation: Any) -> str:
    """A field's type as the guide writes it."""
    if annotation is str:
        return "text"
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "number"
    if annotation is Markup:
        return "markup"
    if annotation in VIEW_NAMES:
        name = VIEW_NAMES[annotation]
        return f"[{name}](#{_anchor(name)})"
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is tuple:
        return "list of " + _words(args[0])
    if isinstance(annotation, types.UnionType) and type(None) in args:
        [kind] = [arg for arg in args if arg is not type(None)]
        return _words(kind) + " or none"
    raise AssertionError(f"no words for {annotation!r}: teach _words and the guide")


def _views(cls: type, seen: set[type]) -> set[type]:
    """``cls`` and every dataclass its fields hold, however deeply."""
    if cls in seen:
        return seen
    seen.add(cls)
    for annotation in typing.get_type_hints(cls).values():
        stack = [annotation]
        while stack:
            kind = stack.pop()
            stack.extend(typing.get_args(kind))
            if dataclasses.is_dataclass(kind) and isinstance(kind, type):
                _views(kind, seen)
    return seen


def test_every_view_a_template_sees_has_a_name() -> None:
    assert _views(SopDocument, set()) == set(VIEW_NAMES)
    assert len(set(VIEW_NAMES.values())) == len(VIEW_NAMES)


@pytest.mark.parametrize("name", sorted(VIEW_NAMES.values()))
def test_the_documented_fields_are_the_real_ones(name: str) -> None:
    """Each view's table lists exactly its fields, each with its type and a meaning."""
    [cls] = [cls for cls, called in VIEW_NAMES.items() if called == name]
    rows = _rows(_section(f"### {name}"))
    real = {field: _words(kind) for field, kind in typing.get_type_hints(cls).items()}
    assert {field: cells[0] for field, cells in rows.items()} == real
    assert all(cells[1] for cells in rows.values()), f"{name}: a field says what it holds"


def test_every_link_in_the_guide_has_its_heading() -> None:
    prose = re.sub(r"^```.*?^```", "", TEXT, flags=re.M | re.S)
    anchors = {_anchor(h) for h in re.findall(r"^#{2,3} (.+)$", prose, flags=re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", TEXT))
    assert links - anchors == set()


# --- messages and pointers ---------------------------------------------------------------------

#: A template for each message the guide shows, by the line it shows.
MISTAKES = {
    "step has no field 'ownr'": (
        '{% extends "default/sop.md.j2" %}\n{% block step %}\n{{ step.ownr }}\n{% endblock %}\n'
    ),
    "doc has no field 'nosuch'": "# {{ doc.title }}\n{{ doc.nosuch }}\n",
    "no field 'process' in an empty value": (
        '{% extends "default/sop.md.j2" %}\n{% block step %}\n{{ super()|safe }}\n\n'
        "{{ step.call.process.name }}\n{% endblock %}\n"
    ),
    "'dco' is undefined": "{{ dco.title }}\n",
    "not found": '# {{ doc.title }}\n{% include "nowhere.md.j2" %}\n',
    "extends or includes itself": '{# our layout #}\n{% extends "sop.md.j2" %}\n',
}


@pytest.mark.parametrize("shown", sorted(MISTAKES))
def test_the_messages_shown_are_the_ones_printed(
    shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [line] = [
        line
        for line in re.findall(
            r"```text\n(.*?)```", _section("## Mistakes and their messages"), re.S
        )[0].splitlines()
        if shown in line
    ]
    (tmp_path / "team-templates").mkdir()
    (tmp_path / "team-templates" / "sop.md.j2").write_text(MISTAKES[shown], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    process = str(ROOT / "processes" / "en" / "content-marketing.yaml")
    result = CliRunner().invoke(app, ["sop", process, "--template", "team-templates/"])
    assert result.exit_code == 1
    assert result.stderr == line + "\n"


def test_the_readme_format_md_and_the_help_point_to_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({DOCS})" in readme  # the README's table of guides
    for guide in ("documents.md", "site.md"):  # sopkit sop, sopkit build
        assert "](templates.md)" in (ROOT / "docs" / guide).read_text(encoding="utf-8"), guide
    assert "](templates.md)" in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for command in ("sop", "build", "serve"):
        help_text = runner.invoke(app, [command, "--help"], terminal_width=200).stdout
        assert DOCS in " ".join(help_text.split()), command
