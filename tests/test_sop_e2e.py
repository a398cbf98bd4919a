"""The HTML SOP in a real browser, with a real Graphviz diagram inlined."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import PROCESSES, require_tool

from sopkit import load_process
from sopkit.analysis import cost_process
from sopkit.render.sop import render_sop

KOREAN = PROCESSES / "ko" / "content-marketing-ko.yaml"
ENGLISH = PROCESSES / "en" / "content-marketing.yaml"
LAUNCH = PROCESSES.parent / "tests" / "fixtures" / "launch" / "product-launch.yaml"

pytestmark = pytest.mark.e2e


def _chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([chromium, *flags, *args], capture_output=True, timeout=180, check=True)


def _png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) image data of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, width, height, idat = 8, 0, 0, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    return width, height, zlib.decompress(idat)


def _sop_page(tmp_path: Path, path: Path) -> Path:
    page = tmp_path / f"{path.stem}.html"
    page.write_text(render_sop(cost_process(load_process(path)), fmt="html"), encoding="utf-8")
    return page


def test_html_sop_screenshot_is_not_blank(tmp_path: Path) -> None:
    chromium = require_tool("chromium", "chromium")
    page = _sop_page(tmp_path, KOREAN)
    shot = tmp_path / "sop.png"
    _chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1200,3000",
        page.as_uri(),
    )
    data = shot.read_bytes()
    width, height, pixels = _png(data)
    assert (width, height) == (1200, 3000)
    # A blank page compresses to a few kilobytes of near-identical bytes; text,
    # tables and colour blocks give a large file with varied data.
    assert len(data) > 60_000
    assert len(set(pixels)) > 200


def test_browser_sees_the_document(tmp_path: Path) -> None:
    chromium = require_tool("chromium", "chromium")
    page = _sop_page(tmp_path, ENGLISH)
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    text = dom.decode("utf-8")
    assert "<h1>Content marketing" in text
    assert 'id="step-research"' in text and "<svg" in text
    assert "<script" not in text


def test_a_korean_font_is_installed_so_hangul_is_not_tofu() -> None:
    fc_list = require_tool("fc-list", "fontconfig")
    fonts = subprocess.run(
        [fc_list, ":lang=ko", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert fonts.strip(), "no font covers Korean: apt-get install fonts-noto-cjk"


def test_the_diagram_is_inlined_once_for_the_screen_and_once_per_printed_page() -> None:
    html = render_sop(cost_process(load_process(KOREAN)), fmt="html")
    screen = html.count('class="sopkit swimlanes"')
    printed = html.count('class="sopkit swimlanes print-page"')
    maps = html.count('class="sopkit swimlanes print-page part-map"')
    strips = html.count('class="sopkit swimlanes header-strip"')
    assert screen == 1 and printed >= 1 and maps == (1 if printed > 1 else 0) and strips == 1
    assert html.count("<svg") == screen + printed + maps + strips
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html and "<!--" not in html
    assert 'mermaid-source">' not in html
    assert "경쟁사 분석" in html.split("<svg", 1)[1]
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id appears twice"


def test_the_lane_headers_stay_in_view_while_the_diagram_scrolls(tmp_path: Path) -> None:
    """The 35-step, 15-role launch is wider than a screen: scrolled sideways, its lane
    headers stay at the left edge of the diagram's frame, over the steps that pass."""
    import json

    from test_build_e2e import Browser

    chromium = require_tool("chromium", "chromium")
    page = tmp_path / "launch.html"
    page.write_text(render_sop(cost_process(load_process(LAUNCH)), fmt="html"), encoding="utf-8")
    browser = Browser(chromium, tmp_path / "profile")
    try:
        assert browser.open(page.as_uri()) == []
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=1000,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        where = """(() => {
            const frame = document.querySelector('.diagram-screen');
            const headers = document.querySelector('.lane-headers');
            const seen = [];
            for (const by of [0, 900, frame.scrollWidth]) {
                frame.scrollLeft = by;
                const box = headers.getBoundingClientRect();
                const lane = document.querySelector('.diagram-screen > svg .lane .header')
                    .getBoundingClientRect();
                seen.push([frame.scrollLeft, box.left - frame.getBoundingClientRect().left,
                           box.width, lane.left - frame.getBoundingClientRect().left]);
            }
            return JSON.stringify({seen, wide: frame.scrollWidth > 2 * frame.clientWidth});
        })()"""
        found = json.loads(browser.call("Runtime.evaluate", expression=where)["result"]["value"])
    finally:
        browser.close()
    assert found["wide"]
    (start, at_start, width, lane_at_start), *scrolled = found["seen"]
    assert start == 0 and width > 60  # shrunk with the diagram, to its least legible size
    assert abs(at_start - lane_at_start) < 1  # over the diagram's own headers
    for by, left, _, lane_left in scrolled:
        assert by > 0 and lane_left < at_start - 800  # the diagram's own went by…
        assert abs(left - at_start) < 1  # …its headers stayed


def _diagram_views(
    tmp_path: Path, path: Path, width: int, targets: tuple[str, ...], *, print_last: bool = False
) -> list[dict[str, Any]]:
    """The SOP of ``path`` in a window ``width`` px wide, with each of ``targets`` as the
    page's fragment in turn: where the diagram's frame is, how wide it shows the
    diagram, whether it scrolls, which links and hint show (and, with ``print_last``,
    the last target again as printed)."""
    import json

    from test_build_e2e import Browser

    chromium = require_tool("chromium", "chromium")
    page = _sop_page(tmp_path, path)
    browser = Browser(chromium, tmp_path / "profile")

    def seen(target: str) -> dict[str, Any]:
        where = (
            """((target) => {
            location.hash = target;
            const frame = document.querySelector('.diagram-screen');
            const svg = document.querySelector('.diagram-screen > svg');
            const lane = svg.querySelector('.lane .header');
            const box = frame.getBoundingClientRect();
            const shown = (s) => {
                const r = document.querySelector(s).getClientRects();
                return r.length > 0 && r[0].width > 0 && r[0].height > 0;
            };
            const style = getComputedStyle(frame);
            return JSON.stringify({
                frame: [box.left, box.top, box.width, innerWidth],
                inner: frame.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight),
                svg: [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height],
                headers_width: document.querySelector('.lane-headers')
                    .getBoundingClientRect().width,
                lane_width: lane.getBoundingClientRect().width,
                scrolls: frame.scrollWidth > frame.clientWidth,
                page_scrolls: document.documentElement.scrollWidth > innerWidth,
                headers: shown('.lane-headers'),
                links: ['.open-full', '.open-fit', '.close-full', '.close-fit'].map(shown),
                hint: shown('.scroll-hint'),
                printed: shown('.diagram-print'),
            });
        })("""
            + json.dumps(target)
            + ")"
        )
        value = browser.call("Runtime.evaluate", expression=where)["result"]["value"]
        result: dict[str, Any] = json.loads(value)
        return result

    try:
        assert browser.open(page.as_uri()) == []
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        views = [seen(t) for t in targets]
        if print_last:
            browser.call("Emulation.setEmulatedMedia", media="print")
            views.append(seen(targets[-1]))
    finally:
        browser.close()
    return views


def _own_width(path: Path) -> tuple[float, float]:
    """The diagram's own width in CSS px, and its width at the least legible size."""
    from sopkit.render.sop.diagram import THEME
    from sopkit.render.sop.screen import screen_size

    html = render_sop(cost_process(load_process(path)), fmt="html")
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="sopkit swimlanes"') :]
    size = screen_size(svg, None, min(THEME.small_size, THEME.detail_size))
    assert size is not None
    return size.width, size.least


def test_a_diagram_that_fits_legibly_shows_whole_fitted_to_the_page(tmp_path: Path) -> None:
    """A trial's 11-step webinar showed its left third in a scroll box at 1280 px, its
    title cut and its milestone lane seemingly empty. A diagram that can be shown whole
    with its smallest text at 6 px or more now is: as wide as the page allows (past the
    text column, as far as the window's margins), its height following, nothing to
    scroll and no hint; its lane headers shrink with it. The lead generation process,
    10 steps, 2,381 px at its own size, shows at half its size at 1280 px."""
    path = PROCESSES / "en" / "lead-generation.yaml"
    own, least = _own_width(path)
    (fitted,) = _diagram_views(tmp_path, path, 1280, ("",))
    left, _, width, window = fitted["frame"]
    assert 1200 < width <= window - 48 and left >= 24  # past the 868 px column
    assert not fitted["scrolls"] and not fitted["page_scrolls"]
    shown, high = fitted["svg"]
    assert abs(shown - fitted["inner"]) < 1 and least < shown < own  # whole, not below legible
    assert abs(high / shown - 0.3) < 0.1  # the height follows (its own 2,381 × 718 or so)
    assert not fitted["hint"] and fitted["links"] == [True, False, False, False]
    # the strip of lane headers laid over the diagram is as wide as its header column
    assert abs(fitted["headers_width"] - fitted["lane_width"]) < 1


def test_the_diagram_opens_full_size_over_the_window_and_fits_the_page(tmp_path: Path) -> None:
    """The launch's diagram, far wider than the page: shown as narrow as legible (its
    10 pt text at 6 px), it scrolls, and a hint says so; #diagram-full lays it over the
    whole window at its own size (scrolling inside, its lane headers still in view),
    #diagram-fit shrinks it whole to the page's width, #diagram puts it back; printed,
    none of it shows."""
    own, least = _own_width(LAUNCH)
    normal, full, fit, back, printed = _diagram_views(
        tmp_path, LAUNCH, 1280, ("", "diagram-full", "diagram-fit", "diagram"), print_last=True
    )
    assert own > 2 * 1280 and abs(least - 0.45 * own) < 1
    assert abs(normal["svg"][0] - least) < 1
    assert normal["scrolls"] and normal["headers"] and not normal["printed"]
    assert not normal["page_scrolls"]
    assert normal["links"] == [True, True, False, False] and normal["hint"]
    # over the whole window, at its own size, scrolling inside it
    left, top, width, window = full["frame"]
    assert left < 20 and top < 60 and width > window - 40
    assert abs(full["svg"][0] - own) < 1 and full["scrolls"] and full["headers"]
    assert full["links"] == [False, False, True, False] and full["hint"]
    # whole, as wide as the page allows
    assert fit["svg"][0] <= fit["frame"][2] <= window - 48
    assert not fit["scrolls"] and not fit["headers"] and not fit["hint"]
    assert fit["links"] == [True, False, False, True]
    for view in (normal, back):  # the same but for where the page is scrolled to
        view["frame"] = view["frame"][::2]
    assert back == normal
    assert printed["printed"] and printed["links"] == [False, False, False, False]
    assert not printed["hint"]


# --- printing ------------------------------------------------------------------------------

#: Paper sizes in inches, as Chromium's printToPDF takes them.
PAPER = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("path", [LAUNCH, KOREAN], ids=["launch", "korean"])
def test_the_diagram_prints_on_landscape_pages_with_lane_headers_repeated(
    tmp_path: Path, paper: str, path: Path
) -> None:
    """The 35-step, 15-role launch's SOP (and the Korean blog post's, whose text is
    wider) printed by Chromium: the map of the parts, then the diagram's parts, each on
    a landscape page of its own, none spilling onto another, each naming its lanes; the
    first holds the whole key."""
    import base64

    from test_build_e2e import Browser

    from sopkit.render.diagram.pages import print_pages
    from sopkit.render.diagram.scene import Group, Label, walk
    from sopkit.render.diagram.swimlane import swimlane_layout
    from sopkit.render.i18n import catalogue

    chromium = require_tool("chromium", "chromium")
    pdfinfo = require_tool("pdfinfo", "poppler-utils")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    cost = cost_process(load_process(path))
    lanes = swimlane_layout(cost)
    parts = print_pages(lanes)
    assert len(parts) > 1 and all(p.width_mm <= 259 and p.height_mm <= 190 for p in parts)
    page = tmp_path / "launch.html"
    page.write_text(render_sop(cost, fmt="html"), encoding="utf-8")
    browser = Browser(chromium, tmp_path / "profile")
    try:
        assert browser.open(page.as_uri()) == []
        width, height = PAPER[paper]
        data = browser.call(
            "Page.printToPDF", paperWidth=width, paperHeight=height, printBackground=True
        )["data"]
    finally:
        browser.close()
    pdf = tmp_path / "launch.pdf"
    pdf.write_bytes(base64.b64decode(data))
    info = subprocess.run(
        [pdfinfo, "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page +(\d+) size: +([\d.]+) x ([\d.]+)", info)
    landscape = [int(n) for n, w, h in sizes if float(w) > float(h)]
    assert len(landscape) == len(parts) + 1, sizes
    assert landscape == list(range(landscape[0], landscape[0] + len(parts) + 1))  # together

    def text_of(index: int, *options: str) -> str:
        return " ".join(
            subprocess.run(
                [pdftotext, *options, "-f", str(index), "-l", str(index), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )

    t = catalogue(cost.process.language)
    total = str(len(parts))
    assert t("diagram.map", total=total).split(":")[0] in text_of(landscape[0])
    for number, (index, part) in enumerate(zip(landscape[1:], parts, strict=True), start=1):
        text = text_of(index)
        assert t("diagram.part", part=str(number), total=total) in text
        # every lane of the part has its header cell on the page, name first
        headers = [
            shape.lines[0].text
            for group in part.scene.items
            if isinstance(group, Group) and "headers" in group.classes
            for shape in group.items
            if isinstance(shape, Label)
        ]
        assert headers, f"page {index} repeats no lane header"
        for first_line in headers:
            assert first_line in text, (index, first_line)
        if number == 1:
            # The whole key, above the lanes: a user's first page ended in 'runs ano'
            # and 'aut', the key wrapped to the paper but the page as narrow as its part.
            key = [
                label.lines[0].text
                for group in part.scene.items
                if isinstance(group, Group) and "key" in group.classes
                for label in walk((group,))
                if isinstance(label, Label)
            ]
            above = text_of(index, "-layout").split(headers[0])[0]  # top to bottom
            assert key and all(words in above for words in key), (key, above)


def _printed_pages(tmp_path: Path, path: Path, paper: str) -> list[str]:
    """The SOP of ``path`` printed by Chromium on ``paper``: each page's text, its
    whitespace folded."""
    import base64

    from test_build_e2e import Browser

    chromium = require_tool("chromium", "chromium")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    page = _sop_page(tmp_path, path)
    browser = Browser(chromium, tmp_path / "profile")
    try:
        assert browser.open(page.as_uri()) == []
        width, height = PAPER[paper]
        data = browser.call(
            "Page.printToPDF", paperWidth=width, paperHeight=height, printBackground=True
        )["data"]
    finally:
        browser.close()
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(base64.b64decode(data))
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("name", ["release-post", "content-marketing"])
def test_a_printed_step_starts_with_its_done_when_and_first_instruction(
    tmp_path: Path, paper: str, name: str
) -> None:
    """A trial printed these SOPs and found a step's header at a page's foot with its
    "Done when" or its instructions overleaf: each step's header, "done when" and first
    instruction now share a page (the step may go on over the page after that)."""
    from sopkit.render.sop import sop_document

    path = PROCESSES / "en" / f"{name}.yaml"
    pages = _printed_pages(tmp_path, path, paper)
    # the steps' pages: the diagram and the key figures, which name steps too, come after
    pages = pages[: next(n for n, page in enumerate(pages) if "Workflow diagram" in page)]

    def on(text: str, heading: bool = False) -> list[int]:
        wanted = re.escape(" ".join(text.split())[:40])
        if heading:  # not "4. Feature write-ups" in a table, nor “Feature write-ups” in text
            wanted = r"(?<!\d\. )(?<!“)" + wanted
        return [n for n, page in enumerate(pages, start=1) if re.search(wanted, page)]

    for step in sop_document(cost_process(load_process(path))).steps:
        assert step.done_when is not None and step.instructions
        header = on(step.name, heading=True)
        done, first = on(step.done_when), on(step.instructions[0])
        assert len(header) == len(done) == len(first) == 1, step.id
        assert header == done == first, (step.id, header, done, first)


@pytest.mark.parametrize(
    "path", [PROCESSES / "en" / "release-post.yaml", LAUNCH], ids=["post", "launch"]
)
def test_at_a_phone_s_width_a_wide_table_scrolls_in_its_own_box(tmp_path: Path, path: Path) -> None:
    """At 390 px a trial found the roles table cut off at its cost column by the page's
    edge. Every table now sits in a box that scrolls sideways, as the diagram's does:
    the page itself stays as wide as the screen, and scrolled, the box shows each
    table's last column whole."""
    import json

    from test_build_e2e import Browser

    chromium = require_tool("chromium", "chromium")
    page = _sop_page(tmp_path, path)
    browser = Browser(chromium, tmp_path / "profile")
    try:
        assert browser.open(page.as_uri()) == []
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=390,
            height=844,
            deviceScaleFactor=1,
            mobile=True,
        )
        where = """(() => {
            const sop = document.querySelector('.sop');
            const boxes = [...document.querySelectorAll('.table-wrap')].map((box) => {
                box.scrollLeft = box.scrollWidth;
                const cells = box.querySelectorAll('tbody tr:first-child > *');
                const last = cells[cells.length - 1].getBoundingClientRect();
                const frame = box.getBoundingClientRect();
                return {section: box.closest('section').id, wide: box.scrollWidth > box.clientWidth,
                        inside: last.right <= frame.right + 1 && last.left >= frame.left - 1,
                        within: frame.right <= innerWidth};
            });
            return JSON.stringify({
                tables: document.querySelectorAll('table').length,
                unboxed: [...document.querySelectorAll('table')]
                    .filter((t) => !t.parentElement.classList.contains('table-wrap')).length,
                page: document.documentElement.scrollWidth, window: innerWidth,
                clipped: sop.scrollWidth > sop.clientWidth, boxes});
        })()"""
        found = json.loads(browser.call("Runtime.evaluate", expression=where)["result"]["value"])
    finally:
        browser.close()
    assert found["tables"] > 2 and found["unboxed"] == 0
    assert found["page"] == found["window"] == 390 and not found["clipped"]
    roles = next(box for box in found["boxes"] if box["section"] == "roles")
    assert roles["wide"]  # its cost column is reached by scrolling…
    for box in found["boxes"]:
        assert box["inside"] and box["within"], box  # …and shows whole, inside the screen
