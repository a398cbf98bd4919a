"""End to end: build the process library and open every page in headless Chromium.

Chromium is driven through its DevTools protocol (``--remote-debugging-port``
and the ``websocket-client`` package): each page is loaded from ``file://``
with the network off, and the test collects console errors, uncaught
exceptions and failed requests, checks that every relative link resolves and
that the screenshot is not blank.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import struct
import subprocess
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from conftest import PORTFOLIOS, require_tool

from sopkit.build import BuildResult, build_site

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
)


# --- a small DevTools client ------------------------------------------------------------------


class Browser:
    """One headless Chromium and one page, spoken to over the DevTools protocol."""

    def __init__(self, executable: str, profile: Path) -> None:
        import websocket  # the websocket-client package (test extra)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = self._port()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _port(self) -> int:
        """Read ``DevTools listening on ws://…:PORT/…`` from stderr, then keep draining it."""
        assert self.process.stderr is not None
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            lines.append(line)
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                self.drain = threading.Thread(target=self.process.stderr.read, daemon=True)
                self.drain.start()
                return int(match.group(1))
        self.close()
        raise AssertionError("Chromium did not start:\n" + "".join(lines[-20:]))

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        if any(e.get("method") == event for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.socket.settimeout(max(deadline - time.monotonic(), 0.1))
            message = json.loads(self.socket.recv())
            self.events.append(message)
            if message.get("method") == event:
                self.socket.settimeout(30)
                return
        raise AssertionError(f"no {event} within {timeout} s")

    def settle(self, quiet: float = 0.4) -> None:
        """Collect late events until the page has been quiet for ``quiet`` seconds."""
        import websocket

        self.socket.settimeout(quiet)
        try:
            while True:
                self.events.append(json.loads(self.socket.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.socket.settimeout(30)

    def open(self, url: str) -> list[str]:
        """Load ``url``; the console errors, exceptions and failed requests it caused."""
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.settle()
        return problems(self.events)

    def screenshot(self, width: int = 1280, scale: float = 1.0) -> bytes:
        """The whole page as a PNG, ``width`` CSS pixels wide, shrunk by ``scale``."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        height = min(int(size["height"]) + 1, 16000)
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}
        data = self.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip
        )
        return base64.b64decode(data["data"])

    def close(self) -> None:
        try:
            if getattr(self, "socket", None) is not None:
                self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            if getattr(self, "drain", None) is not None:
                self.drain.join(timeout=10)
            if self.process.stderr is not None:
                self.process.stderr.close()


def problems(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console: " + " ".join(str(a.get("value")) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            found.append("exception: " + params["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            found.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.loadingFailed":
            found.append(f"request failed: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params["response"].get("status", 0) >= 400:
            found.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
    return found


# --- pictures ---------------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line[i] for i in range(stride) if i % channels < 3))
        previous = line
    return width, height, rows


def assert_not_blank(png: bytes) -> None:
    """Many colours, and a fair share of pixels that are not the background colour."""
    width, height, rows = png_pixels(png)
    assert width >= 100 and height >= 50, (width, height)
    pixels = [row[i : i + 3] for row in rows for i in range(0, len(row), 3)]
    counts: dict[bytes, int] = {}
    for pixel in pixels:
        counts[pixel] = counts.get(pixel, 0) + 1
    background = max(counts.values())
    assert len(counts) > 20, "the screenshot has almost no colours: a blank page?"
    assert 1 - background / len(pixels) > 0.05, "the screenshot is nearly all one colour"


# --- links ------------------------------------------------------------------------------------


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(v for k, v in attrs if k in ("href", "src") and v)


def page_urls(page: Path) -> list[str]:
    parser = _Urls()
    parser.feed(page.read_text(encoding="utf-8"))
    if page.suffix == ".md":
        text = page.read_text(encoding="utf-8")
        parser.urls.extend(re.findall(r"\]\(([^)\s]+)\)", text))
    return parser.urls


def check_links(site: Path) -> list[str]:
    """Relative links that do not resolve, and any link that would reach the network."""
    bad = []
    for page in sorted([*site.rglob("*.html"), *site.rglob("*.md")]):
        for url in page_urls(page):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if page.suffix == ".html" and not url.startswith("https://"):
                    bad.append(f"{page.name}: network link {url}")
                continue
            if parts.scheme or url.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                bad.append(f"{page.relative_to(site)}: {url} does not resolve")
    return bad


def network_resources(html: str) -> list[str]:
    """src attributes and stylesheets that would be fetched from the network."""
    return re.findall(r"""(?:src|srcset)=["']?(?:https?:)?//[^"'\s>]+""", html) + re.findall(
        r"""<link[^>]+rel=["']?stylesheet[^>]+href=["']?(?:https?:)?//[^"'\s>]+""", html
    )


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """The site of each portfolio of the library (English, Korean, Russian)."""
    out = tmp_path_factory.mktemp("e2e")
    return {name: build_site([folder], out / name) for name, folder in PORTFOLIOS.items()}


@pytest.fixture(scope="module")
def library_site(library_sites: dict[str, BuildResult]) -> BuildResult:
    """The README's site: the English portfolio."""
    return library_sites["en"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = shutil.which("chromium") or require_tool("chromium", "chromium")
    browser = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield browser
    finally:
        browser.close()


def test_every_link_of_the_site_resolves(library_sites: dict[str, BuildResult]) -> None:
    for site in library_sites.values():
        assert check_links(site.out_dir) == []
        for page in site.out_dir.rglob("*.html"):
            assert network_resources(page.read_text("utf-8")) == [], page.name


def library_site_processes(site: BuildResult) -> list[Path]:
    """The SOP pages (each process also has a checklist page beside it)."""
    pages = (site.out_dir / "processes").glob("*.html")
    return sorted(page for page in pages if not page.name.endswith(".checklist.html"))


def library_site_checklists(site: BuildResult) -> list[Path]:
    return sorted((site.out_dir / "processes").glob("*.checklist.html"))


def test_the_dashboard_loads_cleanly_and_is_not_blank(
    library_site: BuildResult, browser: Browser, tmp_path: Path
) -> None:
    index = library_site.out_dir / "index.html"
    assert browser.open(index.as_uri()) == []
    title = browser.call("Runtime.evaluate", expression="document.title")["result"]["value"]
    assert title == "Marketing process portfolio"
    charts = browser.call(
        "Runtime.evaluate", expression="document.querySelectorAll('svg.chart').length"
    )["result"]["value"]
    assert charts == 6  # by process, by role, utilisation, two range charts, Pareto
    bars = browser.call(
        "Runtime.evaluate",
        expression="[...document.querySelectorAll('.range-bar .band')]"
        ".filter(b => b.getBoundingClientRect().width > 0).length",
    )["result"]["value"]
    # Labour and total cost in the headline (the library has cash costs), two a card; one
    # on the card of a process only others run (its own cost is none in every year).
    called_only = index.read_text(encoding="utf-8").count('class="called-cost"')
    assert called_only == 1  # the release post's feature write-up
    assert bars == 2 + 2 * len(library_site_processes(library_site)) - called_only
    assert_not_blank(browser.screenshot(scale=0.125))


def test_every_sop_and_dashboard_loads_cleanly_and_is_not_blank(
    library_sites: dict[str, BuildResult], browser: Browser
) -> None:
    for site in library_sites.values():
        pages = library_site_processes(site)
        checklists = library_site_checklists(site)
        assert len(pages) == len(checklists) == site.processes
        for page in [site.out_dir / "index.html", *pages, *checklists]:
            assert browser.open(page.as_uri()) == [], page.name
            assert_not_blank(browser.screenshot(scale=0.125))


def test_a_checklist_box_ticks_on_screen_without_a_script(
    library_site: BuildResult, browser: Browser
) -> None:
    """The page has no script: a click on a box, or on its words, ticks it all the same."""
    page = library_site.out_dir / "processes" / "product-launch.checklist.html"
    assert browser.open(page.as_uri()) == []

    def evaluate(expression: str) -> object:
        return browser.call("Runtime.evaluate", expression=expression)["result"]["value"]

    assert evaluate("document.scripts.length") == 0
    assert evaluate("document.querySelectorAll('input:checked').length") == 0
    assert evaluate("document.querySelector('#box-1').click(), box1 = '#box-1'") == "#box-1"
    assert evaluate("document.querySelector('label[for=box-2]').click(), 'clicked'") == "clicked"
    checked = "[...document.querySelectorAll('input:checked')].map(b => b.id).join(' ')"
    assert evaluate(checked) == "box-1 box-2"


def test_a_blank_page_is_recognised(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text('<!DOCTYPE html><title>x</title><link rel="icon" href="data:,">', "utf-8")
    assert browser.open(page.as_uri()) == []
    with pytest.raises(AssertionError, match="colours"):
        assert_not_blank(browser.screenshot(scale=0.125))


def test_the_checker_sees_a_missing_file(browser: Browser, tmp_path: Path) -> None:
    """The test above can fail: a page with a broken image is reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><title>x</title><link rel="icon" href="data:,">'
        '<img src="missing.png"><script>console.error("oops")</script>',
        encoding="utf-8",
    )
    found = browser.open(page.as_uri())
    assert any("oops" in p for p in found)
    assert any("ERR_FILE_NOT_FOUND" in p for p in found)
    assert check_links(tmp_path) == ["broken.html: missing.png does not resolve"]


def test_a_site_without_graphviz_loads_cleanly_too(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.render.diagram.engine

    monkeypatch.delenv("SOPKIT_GRAPHVIZ", raising=False)
    monkeypatch.setattr(sopkit.render.diagram.engine, "_locate", lambda name: None)
    fixture = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"
    result = build_site([fixture], tmp_path / "site")
    assert result.engine is None
    assert check_links(result.out_dir) == []
    for page in sorted(result.out_dir.rglob("*.html")):
        assert browser.open(page.as_uri()) == [], page.name
        assert network_resources(page.read_text("utf-8")) == [], page.name
        assert_not_blank(browser.screenshot(scale=0.125))


def test_the_scenario_page_loads_cleanly_and_is_not_blank(browser: Browser, tmp_path: Path) -> None:
    """The README's scenario page: the English portfolio with the example scenarios."""
    root = Path(__file__).resolve().parent.parent
    scenarios = sorted((root / "scenarios").glob("*.yaml"))
    assert len(scenarios) == 2
    result = build_site([PORTFOLIOS["en"]], tmp_path / "site", scenarios=scenarios)
    assert check_links(result.out_dir) == []
    page = result.out_dir / "scenarios.html"
    assert network_resources(page.read_text("utf-8")) == []
    assert browser.open(page.as_uri()) == []
    charts = browser.call(
        "Runtime.evaluate", expression="document.querySelectorAll('svg.chart-pairs').length"
    )["result"]["value"]
    assert charts == 2  # one chart of annual cost by process per scenario
    assert_not_blank(browser.screenshot(scale=0.125))
    assert browser.open((result.out_dir / "index.html").as_uri()) == []
    link = browser.call(
        "Runtime.evaluate",
        expression="document.querySelector('nav.sections a[href=\"scenarios.html\"]').textContent",
    )["result"]["value"]
    assert link == "Scenarios"


# A year of the process twelve times a month: annual figures in the millions, the
# widest a figure column gets ("+12 345 678,90 ₽", "₩203,536,475").
_BIG_SCENARIO = {
    "en": ("content-marketing", "graphics"),
    "ko": ("content-marketing-ko", "graphics"),
    "ru": ("sostac-plan-ru", "situation-analytics"),
}


@pytest.mark.parametrize("lang", sorted(_BIG_SCENARIO))
def test_the_scenario_page_s_tables_show_every_column_whole(
    browser: Browser, tmp_path: Path, lang: str
) -> None:
    """A Russian trial: "-223 200,00 ₽" was cut off the right of a table half a page wide.

    The tables of changes and of roles now take the page's width below the chart, so no
    figure column runs past its box at a laptop's width or a desktop's.
    """
    process, step = _BIG_SCENARIO[lang]
    scenario = tmp_path / "big.yaml"
    scenario.write_text(
        "sopkit-scenario: 1\n"
        "name: A much longer scenario name than most teams would write\n"
        "changes:\n"
        f"  - set: {{process: {process}, frequency: 12/month}}\n"
        f"  - remove: {process}/{step}\n",
        encoding="utf-8",
    )
    result = build_site([PORTFOLIOS[lang]], tmp_path / "site", scenarios=[scenario])
    page = result.out_dir / "scenarios.html"
    assert browser.open(page.as_uri()) == []
    overflowing = (
        "[...document.querySelectorAll('main .table-wrap')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1)"
        ".map(box => (box.querySelector('h3') || box.querySelector('th')).textContent)"
    )
    for width in (1280, 1600):
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        found = browser.call("Runtime.evaluate", expression=overflowing, returnByValue=True)
        assert found["result"]["value"] == [], (lang, width)
