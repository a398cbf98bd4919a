"""A diagram's PDF: one page when it prints legibly on one, else the SOP's printed pages.

A trial's 35-step, 15-role launch gave one PDF page of 3914 × 1985 pt, whose
10 pt labels print at 2 pt on A4. Now a diagram too large for one legible page
prints as the map of its parts and the parts (``render.diagram.printed``),
through WeasyPrint; without WeasyPrint it stays one page and a warning says
what to install. Tests that print need WeasyPrint (a test dependency) and
poppler's ``pdfinfo``, and those that draw with Graphviz need ``dot``: each
skips locally without its tool and fails in CI.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import IN_CI, require_tool
from typer.testing import CliRunner

import sopkit.render.diagram as diagram_module
from sopkit.analysis import ProcessCost, cost_process
from sopkit.cli import app
from sopkit.errors import RenderError, UsageError
from sopkit.load import load_process
from sopkit.render.diagram import draw
from sopkit.render.diagram.engine import Engine
from sopkit.render.diagram.pages import print_pages
from sopkit.render.diagram.printed import part_caption, printed_html, sheets
from sopkit.render.diagram.swimlane import swimlane_layout
from sopkit.render.i18n import catalogue
from sopkit.render.pdf import pdf_problem

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"
SMALL = ROOT / "tests" / "fixtures" / "sop" / "minimal" / "monthly-report.yaml"
KOREAN = ROOT / "processes" / "ko" / "content-marketing-ko.yaml"
#: Landscape page sizes in pt, as pdfinfo gives them.
A4 = (841.89, 595.276)
LETTER = (792.0, 612.0)

runner = CliRunner()


@pytest.fixture(scope="module")
def launch() -> ProcessCost:
    return cost_process(load_process(LAUNCH))


@pytest.fixture(scope="module")
def small() -> ProcessCost:
    return cost_process(load_process(SMALL))


def _weasyprint() -> None:
    """Skip locally without WeasyPrint (a test dependency), fail in CI."""
    problem = pdf_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"{problem.message}: CI installs '.[test]'")
    pytest.skip(problem.message)


def _pages(pdf: Path) -> tuple[int, list[tuple[float, float]]]:
    """The PDF's page count and each page's size in pt (pdfinfo)."""
    pdfinfo = require_tool("pdfinfo", "poppler-utils")
    count = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", count, re.M).group(1))  # type: ignore[union-attr]
    listed = subprocess.run(
        [pdfinfo, "-f", "1", "-l", str(pages), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", listed, re.M)
    ]
    return pages, sizes


def _text(pdf: Path, page: int) -> str:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    command = [pdftotext, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# --- which pages ----------------------------------------------------------------------------


def test_a_diagram_too_large_for_one_page_has_the_map_then_each_part(launch: ProcessCost) -> None:
    lanes = swimlane_layout(launch)
    parts = print_pages(lanes)
    found = sheets(lanes)
    assert len(parts) == 10 and len(found) == 11
    # the map first, under the title and the figures the diagram's own title gives
    assert found[0].caption[0].startswith("Product launch (tiered) · Lead time ")
    assert found[0].caption[1] == "Map of the 10 parts: each is outlined and numbered"
    assert "print-page part-map" in found[0].svg
    for number, (sheet, part) in enumerate(zip(found[1:], parts, strict=True), start=1):
        assert sheet.caption[0].startswith(f"Product launch (tiered) · Part {number} of 10")
        assert (
            sheet.caption[0] == f"Product launch (tiered) · {part_caption(part, catalogue('en'))}"
        )
        assert 'print-page"' in sheet.svg and "part-map" not in sheet.svg
    # each says which parts its arrows go on to
    assert found[1].caption[0].endswith("Part 1 of 10 · continues on part 2")
    assert found[2].caption[0].endswith("Part 2 of 10 · continues on parts 3, 4, and 5")
    assert found[10].caption[0].endswith("Part 10 of 10 · continues on part 9")  # above it


def test_a_diagram_that_fits_one_legible_page_has_no_printed_pages(small: ProcessCost) -> None:
    lanes = swimlane_layout(small)
    assert len(print_pages(lanes)) == 1
    assert sheets(lanes) == [] and printed_html(lanes) is None


def test_the_pages_are_landscape_sheets_of_the_paper_asked_for(launch: ProcessCost) -> None:
    lanes = swimlane_layout(launch)
    assert "@page { size: A4 landscape; margin: 10.0mm; }" in (printed_html(lanes) or "")
    letter = printed_html(lanes, paper="letter") or ""
    assert "@page { size: Letter landscape; margin: 10.0mm; }" in letter
    assert letter.count("<section>") == 11
    with pytest.raises(UsageError, match="unknown paper 'A3'") as info:
        printed_html(lanes, paper="A3")
    assert info.value.hint == "use one of: A4, Letter"
    with pytest.raises(UsageError, match="unknown paper"):
        draw(launch, "svg", paper="A3")


def test_the_captions_are_in_the_process_s_language() -> None:
    found = sheets(swimlane_layout(cost_process(load_process(KOREAN))))
    assert (
        found[0].caption[1]
        == f"{len(found) - 1}개 부분의 지도: 각 부분은 테두리와 번호로 표시됩니다"
    )
    assert f"· {len(found) - 1}개 중 1번째 · 이어지는 부분: 2" in found[1].caption[0]


# --- the PDF --------------------------------------------------------------------------------


def test_a_large_diagram_s_pdf_is_the_map_and_its_parts_on_a4(tmp_path: Path) -> None:
    _weasyprint()
    target = tmp_path / "launch.pdf"
    result = runner.invoke(app, ["diagram", str(LAUNCH), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    count, sizes = _pages(target)
    assert count == 11  # the map, then 10 parts
    assert all(size == pytest.approx(A4, abs=0.5) for size in sizes), sizes
    first = _text(target, 1)
    assert "Map of the 10 parts" in first and "Lead time" in first
    second = _text(target, 2)
    assert "Part 1 of 10" in second
    assert "Head of Marketing" in second  # the lanes' headers, as text
    assert "Part 10 of 10" in _text(target, 11)


def test_letter_paper_and_the_same_bytes_every_time(tmp_path: Path, launch: ProcessCost) -> None:
    _weasyprint()
    target = tmp_path / "launch.pdf"
    args = ["diagram", str(LAUNCH), "--format", "pdf", "--paper", "letter", "-o", str(target)]
    assert runner.invoke(app, args).exit_code == 0
    count, sizes = _pages(target)
    assert count == 11
    assert all(size == pytest.approx(LETTER, abs=0.5) for size in sizes), sizes
    drawing = draw(launch, "pdf", paper="Letter")
    assert drawing.engine == "weasyprint" and drawing.warnings == ()
    assert drawing.data == target.read_bytes()
    assert b"CreationDate" not in drawing.data  # nothing from the clock


def test_a_small_diagram_s_pdf_is_one_page_drawn_by_graphviz(
    tmp_path: Path, small: ProcessCost
) -> None:
    engine = Engine("dot", require_tool("dot", "graphviz"))
    drawing = draw(small, "pdf", engine=engine)
    assert drawing.engine == "dot"
    target = tmp_path / "small.pdf"
    target.write_bytes(drawing.data)
    count, sizes = _pages(target)
    scene = diagram_module.swimlane_scene(small)
    assert count == 1 and sizes[0] == pytest.approx(
        (scene.width + 72, scene.height + 72), abs=2
    )  # pad 0.5 in


def test_without_weasyprint_a_large_diagram_is_one_page_and_a_warning_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, launch: ProcessCost
) -> None:
    engine = Engine("dot", require_tool("dot", "graphviz"))
    problem = RenderError(
        "no PDF renderer: WeasyPrint is not installed", hint="install WeasyPrint: pip install x"
    )
    monkeypatch.setattr(diagram_module, "pdf_problem", lambda: problem)
    drawing = draw(launch, "pdf", engine=engine)
    assert drawing.engine == "dot"
    assert drawing.warnings == (
        "the diagram is too large to print legibly on one page, so the PDF is one large page "
        "(no PDF renderer: WeasyPrint is not installed); to print it as a map and legible "
        "parts on A4 paper, install WeasyPrint: pip install x",
    )
    target = tmp_path / "launch.pdf"
    result = runner.invoke(app, ["diagram", str(LAUNCH), "-o", str(target), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    assert "warning: the diagram is too large" in result.stderr
    assert "parts on Letter paper" in result.stderr
    assert _pages(target)[0] == 1
