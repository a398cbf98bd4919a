"""Ranges where people read them: the SOP's key figures (en, ko, ru) and the dashboard.

The processes here have lead times whose P10, P50 and P90 are known exactly
(a branch taken in 30% of runs: 5 days in 70% of runs, 10 days in 30%), so
the sentences are checked word for word.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sopkit import load_process
from sopkit.analysis import cost_portfolio, cost_process, rank_candidates
from sopkit.analysis.simulation import Simulation, simulate
from sopkit.render.costs.ranges import simulation_report
from sopkit.render.numbers import hours_text, money_text
from sopkit.render.site import render_index
from sopkit.render.site.ranges import RangeDatum, range_bar, range_chart
from sopkit.render.sop import render_sop

ROLES = "currency: USD\nhours_per_day: 8\nroles:\n  Writer: {rate: 40}\n  Editor: {rate: 50}\n"

BRANCHES = """\
sopkit: 1
id: launch
name: Launch
owner: Editor
frequency: 1/month
language: {language}
conditions:
  big: {{question: Is this a big launch?, share: 0.3}}
steps:
  - {{id: start, name: Start, owner: Editor, time: 1h, wait: 7h}}
  - {{id: press, name: Press, owner: Editor, time: 8h, wait: 56h, after: [start], when: big}}
  - {{id: note, name: Note, owner: Writer, time: 3h, wait: 21h, after: [start]}}
  - {{id: publish, name: Publish, owner: Editor, time: 1h, wait: 7h, after: [press, note]}}
"""


def launch(folder: Path, language: str = "en") -> Path:
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    path = folder / "launch.yaml"
    path.write_text(BRANCHES.format(language=language), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("language", "lead", "spread", "note"),
    [
        (
            "en",
            "| Lead time across runs | median 5 working days "
            "(5 or less in 1 of 10 runs, 10 or more in 1 of 10) |",
            "or less in 1 of 10 years",
            "Ranges from {years} simulated years and as many simulated runs (seed 3)",
        ),
        (
            "ko",
            "| 실행별 리드 타임 | 중앙값 5영업일 (10회 중 1회는 5 이하, 10회 중 1회는 10 이상) |",
            "10년 중 1년은",
            "범위는 {years}년과 같은 수의 실행을 시뮬레이션한 결과입니다(시드 3)",
        ),
        (
            "ru",
            "| Длительность запуска: разброс | медиана 5 рабочих дней "
            "(в 1 запуске из 10 — 5 или меньше, в 1 из 10 — 10 или больше) |",
            "в 1 году из 10 —",
            "Разброс получен моделированием {years} лет и стольких же запусков "
            "(зерно генератора 3)",
        ),
    ],
)
def test_the_sop_says_median_lead_time_and_its_spread(
    tmp_path: Path, language: str, lead: str, spread: str, note: str
) -> None:
    process = load_process(launch(tmp_path, language))
    cost = cost_process(process)
    ranges = simulate([process], years=20_000, seed=3)
    # Start 1 d, then the press branch (8 h + 56 h wait = 8 d) in 30% of runs or the note
    # (3 h + 21 h = 3 d), then publish 1 d: 10 days in 30% of runs, 5 days in 70%.
    markdown = render_sop(cost, ranges=ranges)
    assert lead in markdown
    # Years are written with the language's digit grouping, Babel's no-break space in
    # Russian kept: a line never breaks inside a figure.
    years = hours_text(Decimal(20_000), language, 0)
    assert spread in markdown and note.format(years=years) in markdown
    annual = ranges.process("launch").annual_cost
    typical = money_text(annual.p50, "USD", language)
    assert typical in markdown
    html = render_sop(cost, fmt="html", ranges=ranges)
    assert typical in html and 'class="muted figures-note"' in html


def test_a_figure_that_never_varies_says_so(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    text = BRANCHES.format(language="en").replace(", when: big", "")
    text = text.replace("conditions:\n  big: {question: Is this a big launch?, share: 0.3}\n", "")
    path = tmp_path / "fixed.yaml"
    path.write_text(text, encoding="utf-8")
    process = load_process(path)
    markdown = render_sop(cost_process(process), ranges=simulate([process], years=200))
    # Every run takes the press branch now: 1 + 8 + 1 = 10 days.
    assert "| Lead time across runs | 10 working days (the same in every run) |" in markdown
    assert "| Annual cost across years | $" in markdown
    assert " (the same every year) |" in markdown


def test_without_ranges_the_key_figures_are_as_before(tmp_path: Path) -> None:
    process = load_process(launch(tmp_path))
    markdown = render_sop(cost_process(process))
    assert "across runs" not in markdown and "simulated" not in markdown


# --- the dashboard ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Simulation]:
    folder = tmp_path_factory.mktemp("site")
    launch(folder)
    (folder / "launch-two.yaml").write_text(
        BRANCHES.format(language="ko").replace("id: launch", "id: launch-two"), encoding="utf-8"
    )
    cost = cost_portfolio(
        [load_process(folder / "launch.yaml"), load_process(folder / "launch-two.yaml")]
    )
    ranges = simulate(cost, years=5_000, seed=9)
    return render_index(cost, rank_candidates(cost), [], ranges=ranges), ranges


def test_the_dashboard_shows_ranges_and_where_they_come_from(site: tuple[str, Simulation]) -> None:
    html, ranges = site
    assert '<a href="#ranges">Ranges</a>' in html and '<section id="ranges">' in html
    assert "5,000 simulated years" in html and "Simulated with seed 9, fixed" in html
    assert html.count('class="chart chart-ranges"') == 2
    # The portfolio's KPI and each card: P10 – P90 in words, with a bar.
    total = ranges.annual_cost
    words = [money_text(v, "USD") for v in (total.p10, total.p90, total.p50)]
    assert f"{words[0]} – {words[1]} in 8 of 10 years, median {words[2]}" in html
    assert "5.0 – 10.0 in 8 of 10 runs, median 5.0 days" in html
    assert html.count('<div class="range-bar" role="img"') == 1 + 2 * 2


def test_the_dashboard_without_ranges_has_no_range_section(tmp_path: Path) -> None:
    cost = cost_portfolio([load_process(launch(tmp_path))])
    html = render_index(cost, [], [])
    assert "#ranges" not in html and "range-bar" not in html.split("</style>", 1)[1]


def test_a_range_bar_starts_at_zero() -> None:
    # Scale: 0 to 1.05 × max(P90, expected) = 105.
    bar = range_bar(Decimal(50), Decimal(60), Decimal(100), Decimal(70))
    assert (bar.left, bar.width, bar.middle, bar.expected) == ("47.62", "47.62", "57.14", "66.67")
    # A band too narrow to see is drawn at least 0.8% wide.
    assert range_bar(Decimal(10), Decimal(10), Decimal(10), Decimal(10)).width == "0.80"


def test_range_chart_rows_are_text_not_markup() -> None:
    datum = RangeDatum(
        "<script>x</script> & R&D",
        Decimal(1),
        Decimal(2),
        Decimal(4),
        Decimal(2),
        "1 – 4",
        "tip <b>",
    )
    svg = range_chart([datum, datum], chart_id="c", title="T")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "tip &lt;b&gt;" in svg
    assert svg.count('<g class="range">') == 2


def test_every_language_fills_in_every_figure_of_a_range() -> None:
    from sopkit.render.i18n import catalogue

    for key, fields in [
        ("range.runs", {"low": "1", "high": "2"}),
        ("range.years", {"low": "1", "high": "2"}),
        ("range.typical", {"typical": "3"}),
        ("range.note", {"years": "4", "seed": "5"}),
    ]:
        for language in ("en", "ko", "ru"):
            text = catalogue(language)(key, **fields)
            assert all(value in text for value in fields.values()), (language, key)


def test_sop_ranges_on_the_command_line_are_the_sites(tmp_path: Path) -> None:
    """A process's ranges come from its own random streams, so the SOP that ``sopkit sop
    --ranges`` prints is the one ``sopkit build`` puts in the site, whatever else is built."""
    from conftest import ENGLISH
    from typer.testing import CliRunner

    from sopkit import load_portfolio
    from sopkit.build import SITE_SEED, SITE_YEARS
    from sopkit.cli import app

    path = ENGLISH / "content-marketing.yaml"
    result = CliRunner().invoke(app, ["sop", str(path), "--ranges"])
    assert result.exit_code == 0, result.stderr
    costs = cost_portfolio(load_portfolio(ENGLISH))
    site = simulate(costs, years=SITE_YEARS, seed=SITE_SEED)
    assert result.stdout == render_sop(costs.process("content-marketing"), ranges=site)
    assert "| Lead time across runs | median " in result.stdout


TINY_BHD = """\
sopkit: 1
id: tiny
name: Tiny
owner: Writer
frequency: 1/year
steps:
  - {id: a, name: A, owner: Writer, time: 30m..2h}
"""


def test_ranges_show_money_to_the_minor_unit_everywhere(tmp_path: Path) -> None:
    # A figure of about BHD 1.9 a year: to whole dinars its range would read "BHD 1 – BHD 2".
    (tmp_path / "roles.yaml").write_text(
        "currency: BHD\nroles:\n  Writer: {rate: 1.514}\n", encoding="utf-8"
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_BHD, encoding="utf-8")
    process = load_process(path)
    cost = cost_process(process)
    ranges = simulate([process], years=2_000, seed=1)
    annual = ranges.process("tiny").annual_cost
    low, typical, high = (money_text(v, "BHD") for v in (annual.p10, annual.p50, annual.p90))
    assert low == f"BHD\u00a0{annual.p10.quantize(Decimal('0.001'))}"
    sop = render_sop(cost, ranges=ranges)
    assert f"median {typical} ({low} or less in 1 of 10 years, {high} or more" in sop
    portfolio = cost_portfolio([process])
    html = render_index(portfolio, rank_candidates(portfolio), [], ranges=ranges)
    assert f"{low} – {high} in 8 of 10 years, median {typical}" in html
    table = simulation_report(ranges, fmt="markdown")
    assert f"| {money_text(annual.mean, 'BHD')} | {low} | {typical} | {high} |" in table
