"""Every export checked by three independent tools and drawn by bpmn-js in Chromium.

The exports are those of every library process (en, ko, ru), of the test
fixture that uses every mapped feature, and of every MIWG reference model
after importing it (so the exporter also meets shapes nobody at sopkit
wrote). Each must be valid against the OMG BPMN 2.0 schema (and the BPSim 2.0
schema), read by bpmn-moddle without a warning, pass bpmnlint's recommended
rules plus standard-size with no error and no warning, and import into bpmn-js
without a warning. Screenshots are saved (``SOPKIT_BPMN_SCREENSHOTS=DIR``
keeps them) and must not be blank. The tools' own failures are tested too.
"""

from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest
from bpmn_check import BPMN, BPMNDI, DC
from bpmn_tools import lint, moddle_warnings, require_node_tools, schema_errors, viewer_page
from conftest import PROCESSES, require_tool

from sopkit.analysis import cost_process
from sopkit.interop.bpmn import export_bpmn, import_bpmn, import_texts, write_import
from sopkit.interop.yamltext import Blank
from sopkit.load import load_process

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HERE = Path(__file__).parent
LIBRARY = sorted(p for p in PROCESSES.glob("*/*.yaml") if p.name != "roles.yaml")
MIWG = sorted((HERE / "bpmn" / "miwg").glob("*.bpmn"))


def _reexport(model: Path, folder: Path) -> list[bytes]:
    """Import a reference model (rates filled in), load what was written, export it again."""
    result = import_bpmn(model.read_bytes(), model.name)
    for role in result.settings.get("roles", {}).values():
        if isinstance(role.get("rate"), Blank):
            role["rate"] = Decimal(50)
    write_import(import_texts(result, model.name), folder)
    return [
        export_bpmn(cost_process(load_process(folder / f"{p.id}.yaml")))
        for p in result.processes[:1]
    ]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bpmn-exports")
    paths = []
    for process in [*LIBRARY, HERE / "fixtures" / "bpmn" / "webinar.yaml"]:
        path = folder / f"{process.parent.name}-{process.stem}.bpmn"
        path.write_bytes(export_bpmn(cost_process(load_process(process))))
        paths.append(path)
    for model in MIWG:
        for index, data in enumerate(_reexport(model, tmp_path_factory.mktemp(model.stem))):
            path = folder / f"miwg-{model.stem}-{index}.bpmn"
            path.write_bytes(data)
            paths.append(path)
    return paths


def test_every_export_is_valid_against_the_omg_and_bpsim_schemas(exports: list[Path]) -> None:
    require_node_tools()  # the OMG schemas come with bpmn-moddle
    problems = {p.name: schema_errors(p) for p in exports}
    assert {name: errors for name, errors in problems.items() if errors} == {}


def test_the_schema_check_sees_elements_out_of_order(exports: list[Path], tmp_path: Path) -> None:
    require_node_tools()
    xml = exports[0].read_text(encoding="utf-8")
    start = xml.index("<bpmn:incoming>")
    end = xml.index("</bpmn:outgoing>", start) + len("</bpmn:outgoing>")
    incoming, _, outgoing = xml[start:end].partition("\n")
    swapped = tmp_path / "swapped.bpmn"
    swapped.write_text(
        xml[:start] + outgoing.strip() + "\n" + incoming + xml[end:], encoding="utf-8"
    )
    assert any("outgoing" in e or "incoming" in e for e in schema_errors(swapped))


def test_bpmn_moddle_reads_every_export_without_warnings(exports: list[Path]) -> None:
    node = require_node_tools()
    warnings = moddle_warnings(node, exports)
    assert len(warnings) == len(exports)
    assert {name: w for name, w in warnings.items() if w} == {}


def test_bpmn_moddle_does_warn_about_a_broken_file(tmp_path: Path) -> None:
    node = require_node_tools()
    broken = tmp_path / "broken.bpmn"
    broken.write_text(
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">'
        '<process id="p"><sequenceFlow id="f" sourceRef="nowhere" targetRef="p"/></process>'
        "</definitions>",
        encoding="utf-8",
    )
    assert moddle_warnings(node, [broken])[str(broken)] != []


def test_bpmnlint_recommended_and_standard_size_find_nothing(exports: list[Path]) -> None:
    require_node_tools()
    result = lint(exports)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_does_find_what_the_reference_models_break() -> None:
    require_node_tools()
    result = lint([HERE / "bpmn" / "miwg" / "A.1.0.bpmn"])
    assert result.returncode != 0
    assert "standard-size" in result.stdout  # their tasks are 83 × 68


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from test_build_e2e import Browser

    executable = shutil.which("chromium") or require_tool("chromium", "chromium")
    opened = Browser(executable, tmp_path_factory.mktemp("bpmn-chromium"))
    yield opened
    opened.close()


def _size(xml: bytes, diagram: int) -> tuple[int, int]:
    """The pixel size of a diagram's pool, with a margin."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    plane = list(root.iter(f"{BPMNDI}BPMNPlane"))[diagram]
    pools = [
        s.find(f"{DC}Bounds")
        for s in plane.iter(f"{BPMNDI}BPMNShape")
        if (s.get("bpmnElement") or "").startswith("Participant_")
    ]
    width = max(float(b.get("x", 0)) + float(b.get("width", 0)) for b in pools if b is not None)
    height = max(float(b.get("y", 0)) + float(b.get("height", 0)) for b in pools if b is not None)
    return min(int(width) + 40, 8000), min(int(height) + 40, 4000)


def test_bpmn_js_renders_every_export_without_warnings(
    exports: list[Path],
    browser,
    tmp_path_factory: pytest.TempPathFactory,  # type: ignore[no-untyped-def]
) -> None:
    require_node_tools()
    keep = os.environ.get("SOPKIT_BPMN_SCREENSHOTS")
    shots = Path(keep) if keep else tmp_path_factory.mktemp("bpmn-screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    pages = tmp_path_factory.mktemp("bpmn-pages")
    failures = {}
    for path in exports:
        data = path.read_bytes()
        count = data.count(b"<bpmndi:BPMNDiagram ")
        for diagram in range(count):
            page = pages / f"{path.stem}-{diagram}.html"
            page.write_text(viewer_page(data.decode("utf-8"), path.stem, diagram), encoding="utf-8")
            width, height = _size(data, diagram)
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            problems = browser.open(page.as_uri())
            result = _result(browser)
            if problems or result.get("error") or result.get("warnings"):
                failures[f"{path.stem}#{diagram}"] = (problems, result)
                continue
            assert result["diagrams"] == count and result["shapes"] > 3, result
            (shots / f"{path.stem}-{diagram}.png").write_bytes(_screenshot(browser))
            _assert_drawn(_screenshot(browser, width, height, scale=0.25))
    assert failures == {}


def _assert_drawn(png: bytes) -> None:
    """Lines and text on white: a share of pixels that are not white, in several shades."""
    from test_build_e2e import png_pixels

    _, _, rows = png_pixels(png)
    pixels = [row[i : i + 3] for row in rows for i in range(0, len(row), 3)]
    inked = sum(1 for p in pixels if p != b"\xff\xff\xff")
    assert inked / len(pixels) > 0.005, "the diagram is nearly all white: nothing drawn?"
    assert len(set(pixels)) > 20, "the diagram has almost no shades: nothing drawn?"


def _result(browser) -> dict:  # type: ignore[no-untyped-def,type-arg]
    import json

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        value = browser.call(
            "Runtime.evaluate", expression="JSON.stringify(window.result)", returnByValue=True
        )["result"].get("value")
        if value and value != "null":
            return json.loads(value)  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("bpmn-js did not finish importing within 30 s")


def _screenshot(  # type: ignore[no-untyped-def]
    browser, width: int | None = None, height: int | None = None, scale: float = 1.0
) -> bytes:
    import base64

    params: dict[str, object] = {"format": "png"}
    if width is not None and height is not None:
        params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}
    return base64.b64decode(browser.call("Page.captureScreenshot", **params)["data"])


def test_the_viewer_page_reports_a_warning(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A shape for an element that does not exist is a bpmn-js import warning: the check
    above would see one."""
    require_node_tools()
    source = export_bpmn(cost_process(load_process(PROCESSES / "en" / "content-marketing.yaml")))
    broken = source.decode().replace('bpmnElement="Task_outline"', 'bpmnElement="Task_nowhere"', 1)
    page = tmp_path / "broken.html"
    page.write_text(viewer_page(broken, "broken"), encoding="utf-8")
    browser.open(page.as_uri())
    assert _result(browser)["warnings"] != []


def test_lanes_are_drawn_where_the_export_says(exports: list[Path]) -> None:
    """A sanity check on the files the browser draws: every lane shape is horizontal."""
    import xml.etree.ElementTree as ET

    for path in exports[:3]:
        root = ET.fromstring(path.read_bytes())
        lanes = {lane.get("id") for lane in root.iter(f"{BPMN}lane")}
        shapes = [s for s in root.iter(f"{BPMNDI}BPMNShape") if s.get("bpmnElement") in lanes]
        assert shapes and all(s.get("isHorizontal") == "true" for s in shapes)
