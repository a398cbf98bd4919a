"""The HTML SOP in a real browser, with a real Graphviz diagram inlined."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import PROCESSES, require_tool

from sopkit import load_process
from sopkit.analysis import cost_process
from sopkit.render.sop import render_sop

KOREAN = PROCESSES / "ko" / "content-marketing-ko.yaml"
ENGLISH = PROCESSES / "en" / "content-marketing.yaml"

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
    assert screen == 1 and printed >= 1
    assert html.count("<svg") == screen + printed
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html and "<!--" not in html
    assert 'mermaid-source">' not in html
    assert "경쟁사 분석" in html.split("<svg", 1)[1]
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id appears twice"
