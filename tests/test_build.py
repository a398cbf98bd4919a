"""``build_site``: what a build writes, and that it never damages inputs or a previous site."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import stand_in_simulation

import sopkit.build
import sopkit.build.publish
from sopkit.analysis import cost_portfolio, rank_candidates
from sopkit.analysis.simulation import simulate
from sopkit.build import MARKER, SITE_SEED, SITE_YEARS, BuildResult, build_site, check_output
from sopkit.errors import OutputError, SopkitError, ValidationError
from sopkit.load import load_portfolio
from sopkit.render.costs.tables import candidates_report, cost_report
from sopkit.render.sop import render_checklist, render_sop

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"
IDS = ("blog", "launch-ko", "newsletter")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its POSIX path, hidden files included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(v for k, v in attrs if k in ("href", "src") and v)


def broken_links(site: Path) -> list[str]:
    """Relative href/src of every HTML page that do not resolve to a file in the site."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Urls()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {url}")
    return broken


Calls = list[tuple[int, int, str]]


@pytest.fixture(scope="module")
def build_and_progress(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Calls]:
    calls: Calls = []
    result = build_site(
        [FIXTURE],
        tmp_path_factory.mktemp("build") / "site",
        jobs=2,
        progress=lambda done, total, what: calls.append((done, total, what)),
    )
    return result, calls


@pytest.fixture(scope="module")
def built(build_and_progress: tuple[BuildResult, Calls]) -> BuildResult:
    return build_and_progress[0]


# --- what a build writes ----------------------------------------------------------------------


def test_the_site_has_every_document(built: BuildResult) -> None:
    expected = {MARKER, "index.html", "cost.csv", "cost.json", "candidates.csv", "cost.xlsx"}
    expected.add("report.pdf")  # WeasyPrint is a test dependency
    for process_id in IDS:
        for suffix in (".html", ".md", ".checklist.html", ".checklist.md", ".svg", ".png"):
            expected.add(f"processes/{process_id}{suffix}")
    assert set(built.files) == expected
    assert list(built.files) == sorted(built.files)
    assert set(tree(built.out_dir)) == expected
    assert built.processes == 3 and built.currency == "USD"
    assert built.engine in ("dot", "graphviz-pure")
    assert built.index == built.out_dir / "index.html"


def test_the_file_list_golden(built: BuildResult, golden: Callable[[str, str], None]) -> None:
    golden("build/portfolio/files.txt", "\n".join(built.files) + "\n")


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture's site with the simulation pinned, so the golden file holds only what
    sopkit itself decides (the real simulation is checked against the site above)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sopkit.build, "simulate", stand_in_simulation)
        return build_site([FIXTURE], tmp_path_factory.mktemp("pinned") / "site", jobs=2)


def test_the_dashboard_golden(pinned: BuildResult, golden: Callable[[str, str], None]) -> None:
    golden("build/portfolio/index.html", (pinned.out_dir / "index.html").read_text("utf-8"))


def test_the_dashboard_shows_the_real_simulation(built: BuildResult) -> None:
    cost = cost_portfolio(load_portfolio(FIXTURE))
    ranges = simulate(cost, years=SITE_YEARS, seed=SITE_SEED)
    index = (built.out_dir / "index.html").read_text("utf-8")
    p10, p90 = (round(r, 2) for r in (ranges.annual_cost.p10, ranges.annual_cost.p90))
    assert f"${p10:,.2f} – ${p90:,.2f} in 8 of 10 years" in index


def test_every_relative_link_resolves(built: BuildResult) -> None:
    assert broken_links(built.out_dir) == []
    index = (built.out_dir / "index.html").read_text("utf-8")
    for process_id in IDS:
        # The card's checklist is the page to tick; its Markdown is linked from there.
        for suffix in (".html", ".md", ".checklist.html", ".svg", ".png"):
            assert f'href="processes/{process_id}{suffix}"' in index
        assert f'href="processes/{process_id}.checklist.md"' not in index


def test_the_sop_and_its_checklist_link_each_other(built: BuildResult) -> None:
    """A new hire on the SOP finds the boxes to tick at the top, and back."""
    folder = built.out_dir / "processes"
    for process_id in IDS:
        sop = (folder / f"{process_id}.html").read_text("utf-8")
        header = sop.split("</header>", 1)[0]
        assert f'href="{process_id}.checklist.html"' in header
        page = (folder / f"{process_id}.checklist.html").read_text("utf-8")
        nav = page.split("</nav>", 1)[0]
        for href in ("../index.html", f"{process_id}.html", f"{process_id}.checklist.md"):
            assert f'href="{href}"' in nav


def test_reports_are_the_report_modules_output(built: BuildResult) -> None:
    cost = cost_portfolio(load_portfolio(FIXTURE))
    site = built.out_dir
    # The CSV downloads start with the byte-order mark Excel needs to read them as UTF-8.
    for name, first in (("cost.csv", b"process,"), ("candidates.csv", b"rank,")):
        assert (site / name).read_bytes().startswith(b"\xef\xbb\xbf" + first)
    assert (site / "cost.csv").read_text("utf-8-sig") == cost_report(cost, by="step", fmt="csv")
    assert (site / "cost.json").read_text("utf-8") == cost_report(cost, fmt="json")
    assert (site / "candidates.csv").read_text("utf-8-sig") == candidates_report(cost, fmt="csv")


def test_sops_are_the_sop_modules_output(built: BuildResult) -> None:
    cost = cost_portfolio(load_portfolio(FIXTURE))
    candidates = rank_candidates(cost)
    ranges = simulate(cost, years=SITE_YEARS, seed=SITE_SEED)
    for process in cost.processes:
        markdown = (built.out_dir / f"processes/{process.id}.md").read_text("utf-8")
        expected = render_sop(process, fmt="markdown", candidates=candidates, ranges=ranges)
        assert markdown == expected
        assert "Lead time across runs" in markdown or "실행별 리드 타임" in markdown
        html = (built.out_dir / f"processes/{process.id}.html").read_text("utf-8")
        assert html.startswith("<!DOCTYPE html>") and "<svg" in html
        checklist = (built.out_dir / f"processes/{process.id}.checklist.md").read_text("utf-8")
        assert checklist == render_checklist(process)
        page = (built.out_dir / f"processes/{process.id}.checklist.html").read_text("utf-8")
        assert page == render_checklist(
            process,
            fmt="html",
            home="../index.html",
            sop=f"{process.id}.html",
            markdown=f"{process.id}.checklist.md",
        )


def test_diagrams_are_images(built: BuildResult) -> None:
    for process_id in IDS:
        svg = (built.out_dir / f"processes/{process_id}.svg").read_bytes()
        assert b"<svg" in svg[:500]
        png = (built.out_dir / f"processes/{process_id}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_progress_reports_every_process_and_ends_complete(
    build_and_progress: tuple[BuildResult, Calls],
) -> None:
    calls = build_and_progress[1]
    done = [c[0] for c in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1] == len(IDS) + 1
    assert [c[2] for c in calls[1:-1]] == list(IDS)


def test_two_builds_are_byte_identical_whatever_the_parallelism(
    built: BuildResult, tmp_path: Path
) -> None:
    again = build_site([FIXTURE], tmp_path / "again", jobs=1)
    assert again.files == built.files
    assert tree(tmp_path / "again") == tree(built.out_dir)


def test_stamp_is_only_there_when_asked_for(built: BuildResult) -> None:
    files, _, _ = sopkit.build.render_site(load_portfolio(FIXTURE), stamp="built on a Tuesday")
    assert b"built on a Tuesday" in files["index.html"]
    assert b"built on a Tuesday" not in (built.out_dir / "index.html").read_bytes()


# --- without any Graphviz renderer ---------------------------------------------------------


def test_without_graphviz_the_build_has_svg_diagrams_and_says_png_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.render.diagram.engine

    monkeypatch.delenv("SOPKIT_GRAPHVIZ", raising=False)
    monkeypatch.setattr(sopkit.render.diagram.engine, "_locate", lambda name: None)
    result = build_site([FIXTURE], tmp_path / "site")
    assert result.engine is None
    assert not [f for f in result.files if f.endswith(".png")]
    assert [f for f in result.files if f.endswith(".svg")]
    assert len(result.warnings) == 1
    assert "no Graphviz renderer found" in result.warnings[0]
    assert "no PNG diagrams" in result.warnings[0]
    index = (tmp_path / "site/index.html").read_text("utf-8")
    assert 'class="notice"' in index and "no PNG diagrams" in index
    assert broken_links(tmp_path / "site") == []
    html = (tmp_path / "site/processes/blog.html").read_text("utf-8")
    assert 'class="sopkit swimlanes"' in html and '<pre class="mermaid-source">' not in html


def test_the_files_final_before_the_print_are_handed_over_while_it_prints() -> None:
    """``render_site`` hands a caller what is final before report.pdf (``sopkit build``
    writes it meanwhile): every file but the report, with the bytes it returns."""
    batches: list[dict[str, bytes]] = []
    files, _, _ = sopkit.build.render_site(
        load_portfolio([FIXTURE]), diagrams=False, ready=lambda got: batches.append(dict(got))
    )
    early = {name: data for batch in batches for name, data in batch.items()}
    assert set(files) - set(early) == {"report.pdf"}
    assert all(files[name] == data for name, data in early.items())


def test_the_digest_is_the_same_for_the_same_site_and_another_after_a_change(
    portfolio: Path, tmp_path: Path
) -> None:
    first = build_site([portfolio], tmp_path / "a", diagrams=False)
    again = build_site([portfolio], tmp_path / "b", diagrams=False)
    assert len(first.digest) == 64 and first.digest == again.digest
    blog = portfolio / "blog.yaml"
    blog.write_text(blog.read_text("utf-8").replace("time: 2h", "time: 3h", 1), "utf-8")
    changed = build_site([portfolio], tmp_path / "c", diagrams=False)
    assert changed.digest != first.digest

    fresh = build_site([portfolio], tmp_path / "d", diagrams=False)
    seen: list[str] = []
    askers = [threading.Thread(target=lambda: seen.append(fresh.digest)) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert seen == [changed.digest] * 4  # asked at once, worked out once, the same


# --- safety: inputs, other folders, failures ---------------------------------------------------


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "processes"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Skip rendering: these tests are about the output folder, not the documents."""
    files = {MARKER: b"site\n", "index.html": b"<!DOCTYPE html>new", "processes/a.html": b"a"}
    monkeypatch.setattr(sopkit.build, "render_site", lambda *a, **k: (dict(files), "dot", []))
    return files


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_invalid_input_writes_nothing(portfolio: Path, tmp_path: Path) -> None:
    (portfolio / "broken.yaml").write_text("sopkit: 1\nid: broken\nname: x\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        build_site([portfolio], tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert leftovers(tmp_path) == []


def test_invalid_input_leaves_the_previous_site_untouched(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    site = tmp_path / "site"
    build_site([portfolio], site)
    before = tree(site)
    (portfolio / "blog.yaml").write_text("sopkit: 1\nid: blog\nowenr: x\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        build_site([portfolio], site)
    assert tree(site) == before


def test_a_failure_while_rendering_leaves_the_previous_site_untouched(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("old\n", encoding="utf-8")
    (site / "index.html").write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(sopkit.build, "render_workbook", boom)
    with pytest.raises(RuntimeError):
        build_site([portfolio], site)
    assert tree(site) == {MARKER: b"old\n", "index.html": b"old"}
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_previous_site_and_names_the_output(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("old\n", encoding="utf-8")
    written: list[Path] = []
    real = sopkit.build.publish._write_new

    def full_disk(path: Path, data: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path)
        real(path, data)

    monkeypatch.setattr(sopkit.build.publish, "_write_new", full_disk)
    with pytest.raises(OutputError) as caught:
        build_site([portfolio], site)
    assert caught.value.message == "cannot write the site: No space left on device"
    assert caught.value.path == str(site)  # the output, not a staging folder
    assert caught.value.hint and "previous site is unchanged" in caught.value.hint
    assert tree(site) == {MARKER: b"old\n"}
    assert leftovers(tmp_path) == []


def test_a_rebuild_replaces_the_whole_previous_site(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("old\n", encoding="utf-8")
    (site / "processes").mkdir()
    (site / "processes/removed-process.html").write_text("stale", encoding="utf-8")
    build_site([portfolio], site)
    assert tree(site) == quick
    assert leftovers(tmp_path) == []
    assert (site / "processes").stat().st_mode & 0o777 == 0o755


def test_an_empty_folder_may_become_a_site(
    portfolio: Path, tmp_path: Path, quick: dict[str, bytes]
) -> None:
    (tmp_path / "site").mkdir()
    build_site([portfolio], tmp_path / "site")
    assert tree(tmp_path / "site") == quick


@pytest.mark.parametrize(
    "output",
    ["processes", ".", "processes/../processes", "processes/blog.yaml", "processes/roles.yaml"],
)
def test_refuses_an_output_that_is_or_holds_an_input(
    portfolio: Path, tmp_path: Path, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = tree(portfolio)
    with pytest.raises(OutputError) as caught:
        build_site(["processes"], output)
    assert "input" in caught.value.message or "file, not a folder" in caught.value.message
    assert tree(portfolio) == before


def test_refuses_a_roles_file_given_with_roles(portfolio: Path, tmp_path: Path) -> None:
    roles = tmp_path / "rates" / "roles.yaml"
    roles.parent.mkdir()
    shutil.copy(portfolio / "roles.yaml", roles)
    with pytest.raises(OutputError, match="holds an input"):
        build_site([portfolio / "blog.yaml"], roles.parent, roles=roles)


def test_refuses_a_folder_with_other_content(portfolio: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not a sopkit site") as caught:
        build_site([portfolio], docs)
    assert MARKER in (caught.value.hint or "")
    assert tree(docs) == {"notes.txt": b"mine"}


def test_refuses_an_output_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError, match="file, not a folder"):
        check_output(target, [])


def test_errors_are_sopkit_errors_with_a_path(portfolio: Path, tmp_path: Path) -> None:
    with pytest.raises(SopkitError) as caught:
        build_site([portfolio], portfolio)
    assert caught.value.path == str(portfolio)
    assert caught.value.hint


def test_a_build_that_fails_stops_drawing_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C (or any failure) in the build's own thread while the pages render: the
    pages start no more work, so the build stops in moments, not after every diagram."""
    rendered: list[str] = []
    real = sopkit.build._render_process

    def render(cost: object, *args: object, **kwargs: object) -> object:
        rendered.append(cost.id)  # type: ignore[attr-defined]
        time.sleep(0.5)  # a slow diagram: the interruption comes while it draws
        return real(cost, *args, **kwargs)  # type: ignore[arg-type]

    def interrupted(*args: object, **kwargs: object) -> bytes:
        time.sleep(0.1)
        raise KeyboardInterrupt

    monkeypatch.setattr(sopkit.build, "_render_process", render)
    monkeypatch.setattr(sopkit.build, "annual_report", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(FIXTURE, tmp_path / "site", jobs=1, diagrams=False)
    assert len(rendered) < len(IDS)
    assert not (tmp_path / "site").exists()  # nothing half written


class _Interrupted(Exception):
    """Stands for Ctrl-C's KeyboardInterrupt, which would stop pytest itself."""


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"),
    reason="signals reach the main thread only; needs setitimer",
)
def test_ctrl_c_while_the_report_prints_stops_the_printer_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The printer runs in a session of its own, so Ctrl-C never reaches it: a build
    interrupted while it waits for report.pdf must close it, not wait for the print."""
    import sopkit.render.pdf
    from sopkit.render.pdf import Printer

    # Ready at once, then a print that takes minutes (a big report on a slow machine).
    slow = (
        "import sys, time\n"
        "sys.stdout.buffer.write(b'ready\\n'); sys.stdout.buffer.flush()\n"
        "sys.stdin.buffer.read()\n"
        "time.sleep(120)\n"
    )
    monkeypatch.setattr(sopkit.render.pdf, "_CHILD", slow)

    class Workbook(sopkit.build.Aside):
        def result(self) -> bytes:
            made = super().result()
            # The last thing the build waits for before report.pdf: interrupted just after.
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            return made

    def interrupt(*_: object) -> None:
        raise _Interrupted

    monkeypatch.setattr(sopkit.build, "Aside", Workbook)
    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        with Printer() as printer, pytest.raises(_Interrupted):
            build_site(FIXTURE, tmp_path / "site", diagrams=False, printer=printer)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 60  # generous; the print alone takes 120 s
    child = printer._child
    assert child is not None and child.returncode is not None
    assert not (tmp_path / "site").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_nothing_can_be_made_in_is_said_so_not_called_busy(tmp_path: Path) -> None:
    """/proc/site: making the work folder fails with 'no such file' every time, which the
    lock's retries took for another build removing it: "another build is writing"."""
    with pytest.raises(OutputError) as caught:
        build_site([FIXTURE], "/proc/sopkit-site", diagrams=False)
    assert caught.value.message.startswith("cannot write beside the output folder")
    assert "another sopkit build" not in str(caught.value)


def test_a_call_s_checklist_box_links_the_checklist_of_the_process_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A trial: "for each of 2–4 items: run Launch asset review" had no way to that
    # process's own checklist, where the person doing each review finds its steps.
    monkeypatch.setattr(sopkit.build, "simulate", stand_in_simulation)
    launch = Path(__file__).resolve().parent / "fixtures" / "launch"
    result = build_site([launch], tmp_path / "site", jobs=1, diagrams=False)
    folder = result.out_dir / "processes"
    page = (folder / "product-launch.checklist.html").read_text("utf-8")
    assert '<a href="asset-review.checklist.html">Checklist of “Launch asset review” →</a>' in page
    assert "Items done: ____ of 8–12" in page  # count: 8..12, more than a row of boxes
    markdown = (folder / "product-launch.checklist.md").read_text("utf-8")
    assert "  - [Checklist of “Launch asset review”](asset-review.checklist.md)\n" in markdown
    assert broken_links(result.out_dir) == []
