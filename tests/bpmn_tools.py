"""The independent BPMN tools the exports are checked with, and how to reach them.

``npm ci --prefix tests/bpmn`` (run by ``.ci/run``) installs, pinned by
``tests/bpmn/package-lock.json``: ``bpmn-moddle`` (the model bpmn-js and
Camunda Modeler read files with; it also ships the OMG BPMN 2.0 XML Schemas),
``bpmnlint`` (its ``recommended`` rules plus ``standard-size``, see
``tests/bpmn/.bpmnlintrc``) and ``bpmn-js`` (the viewer, rendered in headless
Chromium). Without Node or without that install the tests that need them skip
locally and fail in CI.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import IN_CI

TOOLS = Path(__file__).resolve().parent / "bpmn"
NODE_MODULES = TOOLS / "node_modules"
OMG_XSD = NODE_MODULES / "bpmn-moddle" / "resources" / "bpmn" / "xsd" / "BPMN20.xsd"
BPSIM_XSD = Path(__file__).resolve().parent / "schemas" / "bpsim" / "BPSim-2.0.xsd"
VIEWER = NODE_MODULES / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"


def require_node_tools() -> str:
    """The ``node`` executable, with the npm packages installed; skip locally, fail in CI."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node not found: apt-get install nodejs npm"
    elif not (
        OMG_XSD.exists() and VIEWER.exists() and (NODE_MODULES / ".bin" / "bpmnlint").exists()
    ):
        problem = "the BPMN tools are not installed: npm ci --prefix tests/bpmn"
    if problem is None:
        assert node is not None
        return node
    if IN_CI:
        pytest.fail(problem + " (CI must install them in .ci/run)")
    pytest.skip(problem)
    raise AssertionError("unreachable")


@cache
def omg_schema() -> Any:
    """The OMG BPMN 2.0 schema (with DI, DC, BPMNDI and Semantic, which it imports)."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(OMG_XSD)))


@cache
def bpsim_schema() -> Any:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(BPSIM_XSD)))


def schema_errors(path: Path) -> list[str]:
    """What the OMG schema (and the BPSim schema, for the scenario block) say is wrong."""
    from lxml import etree

    document = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    errors = []
    schema = omg_schema()
    if not schema.validate(document):
        errors += [f"BPMN XSD: {e.line}: {e.message}" for e in schema.error_log]
    for block in document.iter("{http://www.bpsim.org/schemas/2.0}BPSimData"):
        if not bpsim_schema().validate(etree.ElementTree(block)):
            errors += [f"BPSim XSD: {e.message}" for e in bpsim_schema().error_log]
    return errors


def moddle_warnings(node: str, paths: list[Path]) -> dict[str, list[str]]:
    """bpmn-moddle's ``fromXML`` warnings for each file (an error counts as one)."""
    result = subprocess.run(
        [node, str(TOOLS / "moddle.mjs"), *map(str, paths)],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        found[record["file"]] = record.get("warnings", []) + (
            [f"error: {record['error']}"] if "error" in record else []
        )
    return found


def lint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """bpmnlint with ``tests/bpmn/.bpmnlintrc``; exit 0 only with no error and no warning."""
    return subprocess.run(
        [
            str(NODE_MODULES / ".bin" / "bpmnlint"),
            "--config",
            str(TOOLS / ".bpmnlintrc"),
            "--max-warnings=0",
            *map(str, paths),
        ],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=300,
    )


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{dist}/assets/diagram-js.css">
<link rel="stylesheet" href="{dist}/assets/bpmn-js.css">
<style>html, body, #canvas {{ margin: 0; width: 100%; height: 100%; background: #fff; }}</style>
<script src="{dist}/bpmn-viewer.production.min.js"></script>
</head><body><div id="canvas"></div>
<script id="xml" type="application/json">{xml}</script>
<script>
window.result = null;
(async () => {{
  const viewer = new BpmnJS({{ container: '#canvas' }});
  const messages = (list) => (list || []).map((w) => String(w.message || w));
  try {{
    const xml = JSON.parse(document.getElementById('xml').textContent);
    let found = messages((await viewer.importXML(xml)).warnings);
    const diagrams = viewer.getDefinitions().diagrams;
    if ({diagram} > 0) {{
      found = found.concat(messages((await viewer.open(diagrams[{diagram}])).warnings));
    }}
    const canvas = viewer.get('canvas');
    canvas.zoom(1);
    canvas.scroll({{ dx: -canvas.viewbox().x, dy: -canvas.viewbox().y }});
    const shapes = viewer.get('elementRegistry').filter((e) => !e.waypoints).length;
    window.result = {{ warnings: found, diagrams: diagrams.length, shapes }};
  }} catch (error) {{
    window.result = {{ warnings: messages(error.warnings), error: String(error.message || error) }};
  }}
}})();
</script></body></html>
"""


def viewer_page(xml: str, title: str, diagram: int = 0) -> str:
    """A page that shows diagram number ``diagram`` of ``xml`` in bpmn-js at 100 % and sets
    ``window.result`` to its import warnings, the number of diagrams and of shapes drawn."""
    payload = json.dumps(xml).replace("</", "<\\/")
    return _PAGE.format(
        title=html.escape(title),
        dist=(NODE_MODULES / "bpmn-js" / "dist").as_uri(),
        xml=payload,
        diagram=int(diagram),
    )
