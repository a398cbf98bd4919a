"""The build cache: a rebuild reuses what did not change and equals a build without it.

Every rebuild here is compared byte for byte with a build that uses no cache
(``cache=None``, ``--no-cache``) into a fresh folder. Renders are counted by
wrapping the real renderers (Graphviz's ``Engine.run`` and the PDF printer),
not timed.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.build import build_site, entries
from sopkit.build.cache import Cache, default_root, make_key
from sopkit.cli import app
from sopkit.render.diagram import engine as engine_module
from sopkit.render.pdf import Printer

ENGLISH = Path(__file__).resolve().parent.parent / "processes" / "en"
#: A caller and the process it runs, one more, and their roles file.
FILES = ("release-post.yaml", "feature-item.yaml", "content-marketing.yaml", "roles.yaml")


def _site(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "processes"
    folder.mkdir()
    for name in FILES:
        shutil.copy(ENGLISH / name, folder / name)
    return folder


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times Graphviz and the PDF printer really ran."""
    counts = {"graphviz": 0, "pdf": 0}
    real_run = engine_module.Engine.run
    real_print = entries.report_pdf

    def run(self: engine_module.Engine, *args: object, **kwargs: object) -> bytes:
        counts["graphviz"] += 1
        return real_run(self, *args, **kwargs)  # type: ignore[arg-type]

    def report_pdf(html: str) -> bytes:
        counts["pdf"] += 1
        return real_print(html)

    monkeypatch.setattr(engine_module.Engine, "run", run)
    monkeypatch.setattr(entries, "report_pdf", report_pdf)
    return counts


Build = Callable[..., dict[str, bytes]]


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """``build(paths, cache, **options)``: a site built into a fresh folder, as bytes."""
    made = iter(range(1_000))

    def run(paths: Path, cache: Cache | None, **options: object) -> dict[str, bytes]:
        out = tmp_path / f"site-{next(made)}"
        build_site(paths, out, cache=cache, **options)  # type: ignore[arg-type]
        return _site(out)

    return run


def test_second_build_renders_nothing_and_equals_a_build_without_cache(
    portfolio: Path, tmp_path: Path, build: Build, renders: dict[str, int]
) -> None:
    cache = Cache(tmp_path / "cache")
    first = build(portfolio, cache)
    assert renders["graphviz"] == 3 and renders["pdf"] == 1  # one PNG per process
    assert cache.stats.hits == 0 and cache.stats.misses > 0

    cache = Cache(tmp_path / "cache")
    second = build(portfolio, cache)
    assert renders == {"graphviz": 3, "pdf": 1}  # nothing drawn or printed again
    assert cache.stats.misses == 0 and cache.stats.hits > 0
    assert second == first
    assert build(portfolio, None) == first


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _edit_step(portfolio: Path, scenario: Path, templates: Path) -> None:
    _replace(portfolio / "content-marketing.yaml", "time: 30m..1h", "time: 40m..1h")


def _edit_rate(portfolio: Path, scenario: Path, templates: Path) -> None:
    _replace(portfolio / "roles.yaml", "rate: 45              # ~$72k", "rate: 47")


def _edit_template(portfolio: Path, scenario: Path, templates: Path) -> None:
    _replace(templates / "sop.html.j2", "Team note: v1", "Team note: v2")


def _edit_scenario(portfolio: Path, scenario: Path, templates: Path) -> None:
    _replace(scenario, "content-marketing/draft", "content-marketing/edit")


@pytest.mark.parametrize(
    "edit",
    [_edit_step, _edit_rate, _edit_template, _edit_scenario],
    ids=["step", "rate", "template", "scenario"],
)
def test_rebuild_after_an_edit_equals_a_cold_build(
    portfolio: Path,
    tmp_path: Path,
    build: Build,
    renders: dict[str, int],
    edit: Callable[[Path, Path, Path], None],
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "sop.html.j2").write_text(
        '{% extends "default/sop.html.j2" %}\n'
        "{% block purpose %}<p>Team note: v1</p>{{ super() }}{% endblock %}\n"
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "sopkit-scenario: 1\nname: Automate drafting\n"
        "changes:\n  - automate:\n      - content-marketing/draft\n"
    )
    # Diagrams only where the edit changes one (they are slow to draw, and compared below).
    options = {"template_dir": templates, "scenarios": [scenario], "diagrams": edit is _edit_step}
    cache = Cache(tmp_path / "cache")
    before = build(portfolio, cache, **options)

    edit(portfolio, scenario, templates)
    cache = Cache(tmp_path / "cache")
    drawn = renders["graphviz"]
    rebuilt = build(portfolio, cache, **options)
    cold = build(portfolio, None, **options)
    assert rebuilt == cold
    assert rebuilt != before  # the edit shows
    if edit is _edit_step:  # the other processes' pages and drawings were reused
        assert cache.stats.hits > 0
    if edit is _edit_step:  # content-marketing's PNG, then the cold build's three
        assert renders["graphviz"] - drawn == 1 + 3


def test_a_rework_edit_reaches_the_cached_checklist_pages(
    portfolio: Path, tmp_path: Path, build: Build
) -> None:
    """The checklists are in a process's cached pages: an edit only they show in words
    (which boxes to untick) is keyed, and the rebuild is the cold build."""
    page = "processes/content-marketing.checklist.html"
    before = build(portfolio, Cache(tmp_path / "cache"), diagrams=False)
    assert "in 30% of cases" in before[page].decode()
    _replace(portfolio / "content-marketing.yaml", "probability: 0.3", "probability: 0.35")
    cache = Cache(tmp_path / "cache")
    rebuilt = build(portfolio, cache, diagrams=False)
    assert cache.stats.hits > 0  # the other processes' pages were reused
    assert rebuilt == build(portfolio, None, diagrams=False)
    for name in (page, "processes/content-marketing.checklist.md"):
        assert "in 35% of cases" in rebuilt[name].decode()


def test_only_the_edited_process_is_drawn_again(
    portfolio: Path, tmp_path: Path, build: Build, renders: dict[str, int]
) -> None:
    build(portfolio, Cache(tmp_path / "cache"))
    _edit_step(portfolio, tmp_path, tmp_path)
    drawn = renders["graphviz"]
    build(portfolio, Cache(tmp_path / "cache"))
    assert renders["graphviz"] - drawn == 1  # content-marketing's PNG; not the other two


def test_a_corrupted_entry_is_detected_and_rendered_again(
    portfolio: Path, tmp_path: Path, build: Build, renders: dict[str, int]
) -> None:
    cache = Cache(tmp_path / "cache")
    first = build(portfolio, cache)
    entries = sorted(cache.entries())
    assert entries
    for number, entry in enumerate(entries):  # a flipped byte, a truncated file, garbage
        data = bytearray(entry.read_bytes())
        if number % 3 == 0:
            data[-1] ^= 0xFF
        elif number % 3 == 1:
            del data[len(data) // 2 :]
        else:
            data[:] = b"not an entry"
        entry.write_bytes(bytes(data))

    cache = Cache(tmp_path / "cache")
    again = build(portfolio, cache)
    assert cache.stats.corrupt == len(entries)
    assert cache.stats.hits == 0
    assert again == first
    assert renders == {"graphviz": 6, "pdf": 2}

    cache = Cache(tmp_path / "cache")  # rewritten whole: the next build reuses them all
    assert build(portfolio, cache) == first
    assert cache.stats.corrupt == 0 and cache.stats.misses == 0


def test_only_a_rebuild_forks_the_workbook_s_copy_before_the_ranges(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build simulates every process's years: a copy forked before that would
    simulate them all a second time, so it is handed the ranges instead. A rebuild finds
    nearly all in the cache, and its copy starts before the ranges are worked out."""
    import functools

    import sopkit.build

    made: list[object] = []
    real = sopkit.build.Aside

    def watched(make: functools.partial[bytes], **options: object) -> object:
        made.append(make.func)
        return real(make, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sopkit.build, "Aside", watched)
    cache = Cache(tmp_path / "cache")
    build_site([portfolio], tmp_path / "first", cache=cache, diagrams=False)
    assert made == [sopkit.build.render_workbook]  # with the ranges simulated here
    made.clear()
    build_site([portfolio], tmp_path / "again", cache=cache, diagrams=False)
    assert made[0] is sopkit.build._workbook  # forked first; it reads the ranges itself


def test_a_reader_leaves_repairs_writes_and_counts_to_the_build(tmp_path: Path) -> None:
    """The build's forked copy reads the cache beside the build: a damaged entry is the
    build's to find, count and replace, and the copy writes nothing."""
    cache = Cache(tmp_path)
    good, damaged = make_key("good"), make_key("damaged")
    cache.put(good, b"kept")
    cache.put(damaged, b"content")
    path = next(p for p in cache.entries() if p.name == damaged)
    path.write_bytes(path.read_bytes().replace(b"content", b"contenT"))
    reader = cache.reader()
    assert reader.get(good) == b"kept"
    assert reader.get(damaged) is None
    assert path.exists()  # left for the build
    reader.put(make_key("new"), b"x")
    assert len(list(cache.entries())) == 2
    assert cache.get(damaged) is None and cache.stats.corrupt == 1 and not path.exists()


def test_entries_round_trip_and_damage_is_caught(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = make_key("a", "b")
    assert make_key("a", "b") != make_key("ab") != make_key("a", "b", "")
    assert cache.get(key) is None
    cache.put(key, b"content")
    assert cache.get(key) == b"content"
    (entry,) = cache.entries()
    entry.write_bytes(entry.read_bytes().replace(b"content", b"contenT"))
    assert cache.get(key) is None
    assert cache.stats.corrupt == 1
    assert not entry.exists()  # deleted, so it is written again
    assert [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")] == []


def test_two_writers_of_one_key_leave_one_whole_entry(tmp_path: Path) -> None:
    data = {name: bytes([n]) * 200_000 for n, name in enumerate("ab")}
    key = make_key("same")
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for _ in range(20):
                Cache(tmp_path).put(key, data[name])
                found = Cache(tmp_path).get(key)
                assert found in data.values()  # a whole entry, never half of one
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in data]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Cache(tmp_path).get(key) in data.values()


def test_prune_keeps_the_cache_under_its_size_limit(tmp_path: Path) -> None:
    import os

    cache = Cache(tmp_path, limit=10_000)
    keys = [make_key(str(n)) for n in range(10)]
    for age, key in enumerate(keys):
        cache.put(key, bytes(2_000))
        (entry,) = [p for p in cache.entries() if p.name == key]
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))
    cache.get(keys[0])  # used just now: kept
    cache.prune()
    left = {p.name for p in cache.entries()}
    assert sum(p.stat().st_size for p in cache.entries()) <= 10_000 * 3 // 4
    assert keys[0] in left and keys[1] not in left and keys[-1] in left
    assert cache.stats.pruned == 10 - len(left)


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOPKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_root() == tmp_path / "xdg" / "sopkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_root() == tmp_path / "home" / ".cache" / "sopkit"
    monkeypatch.setenv("SOPKIT_CACHE_DIR", str(tmp_path / "mine"))
    assert default_root() == tmp_path / "mine"


def test_cli_cache_options(portfolio: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    cache = tmp_path / "cache"
    args = ["build", str(portfolio), "-q", "--no-diagram", "--cache-dir", str(cache)]
    done = runner.invoke(app, [*args, "-o", str(tmp_path / "a"), "--no-cache"])
    assert done.exit_code == 0, done.output
    assert not cache.exists()  # --no-cache neither reads nor writes
    done = runner.invoke(app, [*args, "-o", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert list(Cache(cache).entries())
    build_site(portfolio, tmp_path / "c", diagrams=False)
    assert _site(tmp_path / "a") == _site(tmp_path / "b") == _site(tmp_path / "c")


def test_cli_template_folder_must_exist(portfolio: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app,
        ["build", str(portfolio), "-o", str(tmp_path / "s"), "--template", str(tmp_path / "no")],
    )
    assert done.exit_code != 0
    assert not (tmp_path / "s").exists()


def test_the_report_printed_in_a_child_is_the_same(portfolio: Path) -> None:
    from sopkit.analysis import cost_portfolio
    from sopkit.load import load_portfolio
    from sopkit.render.report import annual_report, report_pdf

    cost = cost_portfolio(load_portfolio([portfolio]))
    html = annual_report(cost, fmt="html").decode("utf-8")
    with Printer() as printer:
        assert printer.ready()
        printed = printer.print(html)
    assert printed is not None and printed == report_pdf(html)


def test_a_printer_that_cannot_print_says_so_and_the_build_prints_here(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sopkit.render import pdf as printer_module

    # A child that dies at once (as one without WeasyPrint's libraries would).
    monkeypatch.setattr(printer_module, "_CHILD", "import sys; sys.exit(3)")
    with printer_module.Printer() as printer:
        assert not printer.ready()
        assert printer.print("<p>x</p>") is None
        pdf = entries.cached_pdf("<p>x</p>", None, printer=printer)
    assert pdf.startswith(b"%PDF")


def test_an_unused_printer_is_stopped() -> None:
    printer = Printer()
    assert printer.ready()
    printer.close()
    child = printer._child
    assert child is not None and child.returncode is not None  # killed, not left behind


def test_the_stats_say_what_the_cache_did() -> None:
    from sopkit.build.cache import CacheStats

    assert CacheStats().summary() == ""  # nothing looked up: nothing to say
    assert CacheStats(hits=12, misses=3).summary() == (
        "15 renders: 12 reused from the cache, 3 made"
    )
    assert CacheStats(hits=0, misses=2, corrupt=1).summary() == (
        "2 renders: 0 reused from the cache, 2 made, 1 damaged cache entries replaced"
    )


def test_the_report_printed_by_the_child_matches_one_printed_here(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.build

    started: list[Printer] = []

    class Watched(Printer):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(sopkit.build, "Printer", Watched)
    monkeypatch.setattr(sopkit.build, "_PRINT_APART", 1)  # every portfolio prints apart
    apart = build_site(portfolio, tmp_path / "apart", diagrams=False)
    assert len(started) == 1 and started[0]._child is not None
    assert started[0]._child.returncode == 0  # it printed and ended, not killed

    monkeypatch.setattr(sopkit.build, "_PRINT_APART", 10**9)  # prints in this process
    here = build_site(portfolio, tmp_path / "here", diagrams=False)
    assert len(started) == 1
    assert apart.files == here.files and "report.pdf" in apart.files
    for name in apart.files:
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()


def test_a_rebuild_reports_each_process_once_the_reused_ones_first(
    portfolio: Path, tmp_path: Path
) -> None:
    """The pages found in the cache come first; the edited process renders meanwhile
    and is reported when done (so its drawing starts before the lookups end)."""
    build_site(portfolio, tmp_path / "first", cache=Cache(tmp_path / "cache"), diagrams=False)
    _replace(portfolio / "content-marketing.yaml", "time: 30m..1h", "time: 40m..1h")
    calls: list[tuple[int, int, str]] = []
    build_site(
        portfolio,
        tmp_path / "second",
        cache=Cache(tmp_path / "cache"),
        diagrams=False,
        progress=lambda done, total, what: calls.append((done, total, what)),
    )
    assert [done for done, _, _ in calls] == [0, 1, 2, 3, 4]
    assert {total for _, total, _ in calls} == {4}
    names = [what for _, _, what in calls[1:-1]]
    assert sorted(names) == ["content-marketing", "feature-item", "release-post"]
    assert names[-1] == "content-marketing"


def test_a_template_added_to_the_folder_between_builds_is_used(
    portfolio: Path, tmp_path: Path, build: Build
) -> None:
    """As under ``sopkit serve``: one process, two builds. The default SOP template was
    found first; a team's sop.html.j2 added afterwards must be used (and cached as such),
    not the default Jinja already loaded."""
    templates = tmp_path / "templates"
    templates.mkdir()
    options = {"template_dir": templates, "diagrams": False}
    before = build(portfolio, Cache(tmp_path / "cache"), **options)
    (templates / "sop.html.j2").write_text(
        '{% extends "default/sop.html.j2" %}\n'
        "{% block purpose %}<p>Team note: added</p>{{ super() }}{% endblock %}\n"
    )
    after = build(portfolio, Cache(tmp_path / "cache"), **options)
    page = after["processes/content-marketing.html"].decode("utf-8")
    assert (
        "Team note: added" in page
        and page.encode("utf-8") != before["processes/content-marketing.html"]
    )
    assert after == build(portfolio, None, **options)
    # and the cache holds the right page for the next build
    assert build(portfolio, Cache(tmp_path / "cache"), **options) == after


def test_a_template_in_a_linked_folder_is_followed(
    portfolio: Path, tmp_path: Path, build: Build
) -> None:
    """A team links a shared folder of partials into its template folder: editing a
    partial there changes the pages, not a page kept from before."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "note.j2").write_text("<p>Shared note: v1</p>")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "partials").symlink_to(shared, target_is_directory=True)
    (templates / "loop").symlink_to(templates, target_is_directory=True)  # no endless walk
    (templates / "sop.html.j2").write_text(
        '{% extends "default/sop.html.j2" %}\n'
        '{% block purpose %}{% include "partials/note.j2" %}{{ super() }}{% endblock %}\n'
    )
    options = {"template_dir": templates, "diagrams": False}
    before = build(portfolio, Cache(tmp_path / "cache"), **options)
    assert "Shared note: v1" in before["processes/content-marketing.html"].decode("utf-8")
    (shared / "note.j2").write_text("<p>Shared note: v2</p>")
    after = build(portfolio, Cache(tmp_path / "cache"), **options)
    assert "Shared note: v2" in after["processes/content-marketing.html"].decode("utf-8")
    assert after == build(portfolio, None, **options)
