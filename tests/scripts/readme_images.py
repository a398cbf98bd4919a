"""Regenerate the README's pictures in docs/img/: ``python tests/scripts/readme_images.py``.

Needs system Graphviz (``dot``) for the PNGs, headless Chromium for the
cropped part of the launch diagram (an SVG view screenshotted at its size) and
the site's pages, ``pdftoppm`` (poppler-utils) and WeasyPrint for the report's
first page and, for the BPMN picture, bpmn-js (``npm ci --prefix tests/bpmn``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sopkit.analysis import cost_process
from sopkit.analysis.plan import plan_run
from sopkit.build import build_site
from sopkit.load import load_process
from sopkit.render.diagram import draw
from sopkit.render.diagram.engine import Engine
from sopkit.render.diagram.swimlane import swimlane_layout
from sopkit.render.plan import render_plan

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "img"
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"
#: How many columns of the launch diagram the README's part shows.
PART_COLUMNS = 7


def _write(name: str, data: bytes) -> None:
    (IMAGES / name).write_bytes(data)
    sys.stdout.write(f"wrote docs/img/{name}\n")


def _crop(svg: str, width: float, height: float, out: Path) -> None:
    """A screenshot of the top-left ``width`` × ``height`` points of an SVG, at 96 dpi."""
    view = re.sub(
        r'width="[0-9.]+pt" height="[0-9.]+pt" viewBox="[^"]*"',
        f'width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}"',
        svg,
        count=1,
    )
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "part.svg"
        page.write_text(view, encoding="utf-8")
        _screenshot(page, math.ceil(width * 96 / 72), math.ceil(height * 96 / 72), out)


def _screenshot(page: Path, width: int, height: int, out: Path) -> None:
    """The top ``width`` × ``height`` pixels of ``page`` as headless Chromium shows it."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={folder}/profile",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    sys.stdout.write(f"wrote {out.relative_to(ROOT)}\n")


def _site_pictures() -> None:
    """The dashboard, the scenario page, an SOP and the report's first page of the English site."""
    os.chdir(ROOT)  # the scenario page names its files as given: relative, as a user types them
    english = Path("processes", "en")
    scenarios = sorted(Path("scenarios").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build_site([english], site, scenarios=scenarios, report_date=dt.date(2026, 11, 30))
        _screenshot(site / "index.html", 1280, 1950, IMAGES / "dashboard.png")
        _screenshot(site / "scenarios.html", 1280, 1700, IMAGES / "scenarios.png")
        _screenshot(
            site / "processes" / "content-marketing.html", 1200, 2900, IMAGES / "sop-example.png"
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "90",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(site / "report.pdf"),
                str(IMAGES / "report"),
            ],
            check=True,
            timeout=120,
        )
        sys.stdout.write("wrote docs/img/report.png\n")


def _bpmn_picture(name: str, process: Path) -> None:
    """The BPMN export of ``process`` as bpmn-js draws it (the viewer at 100 %)."""
    import base64
    import shutil
    import time

    sys.path.insert(0, str(ROOT / "tests"))
    from bpmn_tools import viewer_page
    from test_build_e2e import Browser

    from sopkit.interop.bpmn import export_bpmn

    xml = export_bpmn(cost_process(load_process(process))).decode("utf-8")
    width = int(float(re.search(r'<dc:Bounds x="20" y="20" width="([0-9.]+)"', xml).group(1))) + 40  # type: ignore[union-attr]
    height = (
        int(
            float(
                re.search(
                    r'<dc:Bounds x="20" y="20" width="[0-9.]+" height="([0-9.]+)"', xml
                ).group(1)
            )
        )
        + 40
    )  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "bpmn.html"
        page.write_text(viewer_page(xml, name), encoding="utf-8")
        browser = Browser(shutil.which("chromium") or "chromium", Path(folder) / "profile")
        try:
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            browser.open(page.as_uri())
            time.sleep(1)
            data = browser.call("Page.captureScreenshot", format="png")["data"]
        finally:
            browser.close()
    _write(name, base64.b64decode(data))


def main() -> int:
    dot = Engine("dot", "dot")
    content = cost_process(load_process(ROOT / "processes" / "en" / "content-marketing.yaml"))
    _write("content-marketing.png", draw(content, "png", engine=dot).data)
    launch = cost_process(load_process(LAUNCH))
    svg = draw(launch, "svg").data.decode("utf-8")
    _write("product-launch.svg", svg.encode("utf-8"))
    layout = swimlane_layout(launch).layout
    height = float(re.search(r'height="([0-9.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    _crop(svg, layout.cuts_along[PART_COLUMNS - 1], height, IMAGES / "product-launch-part.png")
    plan = plan_run(launch.process, at=("launch", dt.date(2027, 1, 8)))
    chart = render_plan(plan, "png", today=dt.date(2026, 12, 30), engine=dot)
    _write("product-launch-plan.png", chart.data)
    _bpmn_picture(
        "content-marketing-bpmn.png", ROOT / "processes" / "en" / "content-marketing.yaml"
    )
    _site_pictures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
