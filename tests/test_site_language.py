"""The dashboard and the scenario page speak the portfolio's language, as the report does.

Korean and Russian sites (golden files), a check that no English word of sopkit's own
is left on them, English for a portfolio of mixed languages, and the pieces that carry
the language: the build's notices and stamp, the words of a diff.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ENGLISH, KOREAN, RUSSIAN, stand_in_simulation

import sopkit.build
from sopkit.analysis import PortfolioCost, cost_portfolio, rank_candidates
from sopkit.build import build_site
from sopkit.build.entries import pack_files, unpack_files
from sopkit.decide import compare_scenarios
from sopkit.load import load_portfolio
from sopkit.render.i18n import Notice, catalogue, portfolio_language
from sopkit.render.site import render_index
from sopkit.render.site.scenarios import render_scenarios

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MIXED = FIXTURES / "build" / "portfolio"  # English processes and one in Korean
ADDITIONS = {language: FIXTURES / "additions" / language for language in ("en", "ko", "ru")}
LIBRARY = {"en": ENGLISH, "ko": KOREAN, "ru": RUSSIAN}
TRANSLATED = ("ko", "ru")

#: A scenario of each library portfolio: automations taken as done, a step removed, a
#: headcount set (so the page has every section).
SCENARIOS = {
    "ko": """\
sopkit-scenario: 1
name: 초안 작성 자동화
description: AI 초안 작성과 그래픽 제작을 완료된 것으로 보고, 소셜 배포 단계를 없앱니다.
changes:
  - automate: [content-marketing-ko/draft, content-marketing-ko/graphics]
  - remove: content-marketing-ko/social
  - headcount: {에디터: 2}
""",
    "ru": """\
sopkit-scenario: 1
name: Автоматизация контроля
description: Еженедельная проверка и критерии — автоматически; полугодовой контроль убран.
changes:
  - automate: [sostac-plan-ru/control-weekly, sostac-plan-ru/control-setup]
  - remove: sostac-plan-ru/control-half-year
  - headcount: {Маркетинговый аналитик: 2}
""",
}

#: Words every language writes as they are: abbreviations, formats, names of tools.
KEPT = {"sop", "fte", "roi", "png", "svg", "markdown", "sopkit", "utc", "p10", "p50", "p90"}


# --- the visible text of a page ----------------------------------------------------------------


class Visible(HTMLParser):
    """What a reader sees or hears of a page: text (the SVG's ``<text>`` and ``<title>``
    included) and the ``title`` and ``aria-label`` attributes; not CSS, not ``<code>``
    (commands and file syntax are never translated)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "code", "script"):
            self.skipping.append(tag)
        self.parts += [value for name, value in attrs if name in ("title", "aria-label") and value]

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible(html: str) -> list[str]:
    parser = Visible()
    parser.feed(html)
    return parser.parts


def user_texts(cost: PortfolioCost, extra: Iterable[str] = ()) -> list[str]:
    """Every name and text that comes from the user's files: shown as written."""
    found = {cost.currency, *extra}
    for process in cost.processes:
        model = process.process
        found |= {model.id, model.name, model.owner, model.purpose or "", model.trigger or ""}
        found |= set(model.tags) | set(model.tools)
        for step in model.steps:
            found |= {step.id, step.name, step.owner or "", step.process or ""}
            found |= set(step.participants) | set(step.tools)
            if step.automation is not None and step.automation.tool:
                found.add(step.automation.tool)
    found |= {role.role for role in cost.roles}
    return sorted((text for text in found if text), key=len, reverse=True)


def english_words(texts: Iterable[str], users: list[str]) -> set[str]:
    """The words in Latin letters of ``texts`` once the user's names and file names are taken
    out, and the words every language keeps (``KEPT``)."""
    words = set()
    for text in texts:
        for name in users:
            text = text.replace(name, " ")
        # A name cut to fit ("Ситуаци…ы (SWOT)") keeps pieces of it: those are the user's.
        if "…" in text:
            parts = text.split("…")
            text = " ".join(p if not any(p.strip() in n for n in users) else " " for p in parts)
        text = re.sub(r"\S+\.(?:csv|json|xlsx|pdf|html|md|yaml|svg|png)\b", " ", text)
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", text)}
    return words - KEPT


# --- the sites ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The library's portfolios built as sites, each with its scenario page, the simulation
    pinned (the golden files hold only what sopkit decides)."""
    built = {}
    folder = tmp_path_factory.mktemp("language")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sopkit.build, "simulate", stand_in_simulation)
        for language in TRANSLATED:
            source = LIBRARY[language]
            scenario = folder / f"scenario-{language}.yaml"
            scenario.write_text(SCENARIOS[language], encoding="utf-8")
            out = folder / language
            build_site([source], out, scenarios=[scenario], jobs=2, diagrams=False)
            built[language] = out
    return built


def page(sites: dict[str, Path], language: str, name: str) -> str:
    html = (sites[language] / name).read_text("utf-8")
    return html.replace(str(sites[language].parent), "scenarios")  # the scenario file's path


def additions(language: str) -> tuple[PortfolioCost, str]:
    """The portfolio that uses every addition (cash costs, outside parties, capacity,
    procedures it runs, conditions, sign-offs) as a dashboard."""
    cost = cost_portfolio(load_portfolio(ADDITIONS[language]))
    return cost, render_index(cost, rank_candidates(cost), [], ranges=stand_in(cost))


def stand_in(cost: PortfolioCost) -> sopkit.build.Simulation:
    return stand_in_simulation(cost, years=sopkit.build.SITE_YEARS, seed=sopkit.build.SITE_SEED)


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_the_dashboard_golden(
    sites: dict[str, Path], language: str, golden: Callable[[str, str], None]
) -> None:
    golden(f"build/{language}/index.html", page(sites, language, "index.html"))


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_the_scenario_page_golden(
    sites: dict[str, Path], language: str, golden: Callable[[str, str], None]
) -> None:
    golden(f"build/{language}/scenarios.html", page(sites, language, "scenarios.html"))


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_the_additions_dashboard_golden(language: str, golden: Callable[[str, str], None]) -> None:
    golden(f"build/{language}/additions.html", additions(language)[1])


@pytest.mark.parametrize("language", ["ko", "ru"])
@pytest.mark.parametrize("name", ["index.html", "scenarios.html"])
def test_no_english_word_is_left_on_the_library_site(
    sites: dict[str, Path], language: str, name: str
) -> None:
    """Every word sopkit writes on the page comes from the language's catalogue: a page with
    any word in Latin letters but the user's names and a few abbreviations (``FTE``,
    ``SOP``) fails, be it from the English catalogue or written in the code."""
    html = page(sites, language, name)
    assert f'<html lang="{language}">' in html
    cost = cost_portfolio(load_portfolio(LIBRARY[language]))
    scenario = [SCENARIOS[language].split("name: ")[1].split("\n")[0]]
    scenario += [SCENARIOS[language].split("description: ")[1].split("\n")[0]]
    left = english_words(visible(html), user_texts(cost, scenario))
    assert left == set(), f"English words on the {language} {name}: {sorted(left)}"


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_no_english_word_is_left_on_a_dashboard_with_every_addition(language: str) -> None:
    cost, html = additions(language)
    left = english_words(visible(html), user_texts(cost))
    assert left == set(), f"English words on the {language} dashboard: {sorted(left)}"


def test_the_check_finds_english_words() -> None:
    """The check above can fail: the English dashboard is full of the catalogue's words."""
    cost, html = additions("en")
    left = english_words(visible(html), user_texts(cost))
    assert {"annual", "cost", "candidates", "capacity", "simulated", "generated"} <= left


# --- which language ------------------------------------------------------------------------------


def test_a_portfolio_of_mixed_languages_gets_an_english_dashboard(tmp_path: Path) -> None:
    cost = cost_portfolio(load_portfolio(MIXED))
    assert {p.process.language.value for p in cost.processes} == {"en", "ko"}
    assert portfolio_language(cost) == "en"
    html = render_index(cost, rank_candidates(cost), [])
    assert '<html lang="en">' in html
    assert "Workflow cost dashboard" in html and "Where the money goes" in html
    assert "업무 비용 대시보드" not in html
    # The Korean process's card keeps its own language for its name and purpose.
    assert '<article class="card" id="process-launch-ko" lang="ko">' in html
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "sopkit-scenario: 1\nname: One editor\nchanges:\n  - headcount: {Editor: 1}\n",
        encoding="utf-8",
    )
    page = render_scenarios(compare_scenarios([MIXED], [scenario]))
    assert '<html lang="en">' in page and "Scenarios: As-Is and To-Be" in page


def test_one_language_is_the_dashboards_language() -> None:
    for language, folder in LIBRARY.items():
        cost = cost_portfolio(load_portfolio(folder))
        assert portfolio_language(cost) == language


# --- numbers, dates and counts in the language -------------------------------------------------


def test_figures_are_written_as_the_language_writes_them() -> None:
    cost, html = additions("ru")
    # Russian: a space between thousands, a comma before the decimals, the sign after.
    assert "1\xa0557\xa0386,67\xa0₽" in html
    assert "Все 11 ролей: часы и FTE" in html  # "many" after 11
    assert "4 условных шага" in html and "1 веха" in html and "2 согласования" in html
    assert "Единственный кандидат" in html
    _, korean = additions("ko")
    assert "₩" in korean and "역할 11개 전체의 작업 시간과 FTE" in korean


def test_a_korean_tooltip_says_won_one_way() -> None:
    """A bar's tooltip is one sentence: won after the figure throughout (인건비 36,051,000원
    … — 55,284,333원), never ₩55,284,333 after the detail's 원; the bar's own figure, a
    figure, keeps ₩."""
    _, korean = additions("ko")
    titles = re.findall(r"<title>([^<]*)</title>", korean)
    assert (
        "제품 출시 — 인건비 36,051,000원 + 현금 19,233,333원; 552.87시간 — 55,284,333원" in titles
    )
    assert "디자이너 — 245.87시간 — 11,064,000원" in titles
    assert not [title for title in titles if "원" in title and "₩" in title]
    assert ">₩55,284,333</text>" in korean


def test_the_stamp_is_the_build_time_in_the_pages_language() -> None:
    moment = datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC)
    for language, expected in (
        ("en", "built 2026-05-04 09:30 UTC"),
        ("ko", "2026-05-04 09:30 UTC 빌드"),
        ("ru", "собрано 2026-05-04 09:30 UTC"),
    ):
        cost = cost_portfolio(load_portfolio(LIBRARY[language]))
        assert expected in render_index(cost, [], [], stamp=moment)
    # Text is shown as given.
    cost = cost_portfolio(load_portfolio(KOREAN))
    assert "release 7" in render_index(cost, [], [], stamp="release 7")


def test_a_notice_is_english_in_the_terminal_and_the_pages_language_on_the_dashboard() -> None:
    notice = Notice.of("notice.no_pdf", reason="no PDF renderer", hint=" (pip install x)")
    assert str(notice) == "no PDF renderer, so the site has no report.pdf (pip install x)"
    cost = cost_portfolio(load_portfolio(KOREAN))
    html = render_index(cost, [], [], notices=[notice, "as <given>"])
    assert "사이트에 report.pdf가 없습니다: no PDF renderer (pip install x)" in html
    assert "as &lt;given&gt;" in html


def test_a_cache_entry_keeps_notices_for_any_language() -> None:
    notices = [Notice.of("notice.engine_png", engine="graphviz-pure")]
    files, found = unpack_files(pack_files({"a.html": b"<p>"}, notices))
    assert (files, found) == ({"a.html": b"<p>"}, notices)
    assert (
        found[0].text(catalogue("ru"))
        == "graphviz-pure не умеет рисовать PNG, поэтому схем в PNG нет"
    )
    with pytest.raises(KeyError):  # an entry of the layout before: rendered again
        unpack_files(b'{"files": [], "warnings": []}\n')
