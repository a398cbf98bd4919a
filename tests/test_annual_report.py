"""The annual report: its HTML (golden), its PDF's pages and text, the CLI and the site."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ENGLISH, KOREAN, RUSSIAN, require_tool, stand_in_simulation
from typer.testing import CliRunner

import sopkit.build
import sopkit.render.pdf as pdf_module
from sopkit.analysis import PortfolioCost, cost_portfolio, rank_candidates
from sopkit.analysis.simulation import Simulation, simulate
from sopkit.build import build_site
from sopkit.cli import app
from sopkit.errors import RenderError, UsageError
from sopkit.load import load_portfolio
from sopkit.render.costs import cost_report
from sopkit.render.numbers import hours_text, money_text, number_text, percent_text
from sopkit.render.report import annual_report, render_report, report_language

DATE = datetime.date(2026, 5, 4)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"


@pytest.fixture(scope="module")
def library() -> PortfolioCost:
    return cost_portfolio(load_portfolio(ENGLISH))


@pytest.fixture(scope="module")
def pdf(library: PortfolioCost) -> bytes:
    return annual_report(library, date=DATE, ranges=simulate(library))


def stand_in(cost: PortfolioCost) -> Simulation:
    """Ranges that do not depend on NumPy's random streams (``conftest``'s stand-in),
    for the 10,000 years and seed 0 the report says it simulated."""
    return stand_in_simulation(cost, years=10_000, seed=0)


def pdf_text(data: bytes, tmp_path: Path, *pages: int) -> str:
    tool = require_tool("pdftotext", "poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run(
        [tool, *span, str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return re.sub(r"\s+", " ", done.stdout.decode("utf-8"))  # a name may wrap in its cell


def pdf_info(data: bytes, tmp_path: Path) -> dict[str, str]:
    tool = require_tool("pdfinfo", "poppler-utils")
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    done = subprocess.run([tool, str(path)], capture_output=True, check=True, timeout=60)
    lines = done.stdout.decode("utf-8").splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


# --- HTML ------------------------------------------------------------------------------------


def test_the_html_report_golden(library: PortfolioCost, golden: Callable[[str, str], None]) -> None:
    golden("report/en.html", render_report(library, date=DATE, ranges=stand_in(library)))


def test_the_korean_html_report_golden(golden: Callable[[str, str], None]) -> None:
    cost = cost_portfolio(load_portfolio(KOREAN))
    golden("report/ko.html", render_report(cost, date=DATE, ranges=stand_in(cost)))


def test_the_fixtures_html_report_golden(golden: Callable[[str, str], None]) -> None:
    """Capacity (one role over it), a loss-making candidate, names that must be escaped."""
    cost = cost_portfolio(load_portfolio(FIXTURE))
    golden("report/fixture.html", render_report(cost, date=DATE, ranges=stand_in(cost)))


def test_the_ranges_page_is_the_simulations(library: PortfolioCost) -> None:
    ranges = simulate(library, years=200, seed=3)
    html = render_report(library, ranges=ranges)
    total = ranges.annual_total_cost
    low, high = (money_text(v, "USD") for v in (total.p10, total.p90))
    assert f"falls between {low} and {high}" in html
    assert "From 200 simulated years (seed 3)" in html
    assert 'id="ranges"' not in render_report(library)
    # capacity: the share of simulated years each role with a headcount is over it
    over = {role.role: role.over_capacity for role in ranges.roles}
    writer = over["Content Writer"]
    assert writer is not None
    assert "Years over" in html and "of 200 simulated years in which the role" in html
    assert f"{percent_text(writer * 100)}</td>" in html
    without = simulate(library, years=200, seed=3, by_role=False)
    assert "Years over" not in render_report(library, ranges=without)
    # no role is over on average, yet some are in some years: the lede does not say "fine"
    assert "On average every role with a headcount has the hours this work needs, but" in html


UNSIMULATED = (
    "On average every role with a headcount has the hours this work needs; whether it has "
    "them in every year was not simulated for this report (sopkit report simulates it)."
)


def test_capacity_in_every_year_is_claimed_only_from_the_roles_simulation(
    library: PortfolioCost, tmp_path: Path
) -> None:
    """The site simulates without the roles' hours (and a report may have no ranges): its
    report says what it does not know rather than that every year has the hours."""
    without = simulate(library, years=200, seed=3, by_role=False)
    for html in (render_report(library, ranges=without), render_report(library)):
        assert UNSIMULATED in html
        assert "Every role with a headcount has the hours" not in html
        assert "in some simulated years" not in html
    # roles simulated and never over in any year: then, and only then, the assurance
    (tmp_path / "roles.yaml").write_text(
        "currency: USD\nroles:\n  Writer: {rate: 50, headcount: 5}\n", encoding="utf-8"
    )
    (tmp_path / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 4/month\nsteps:\n"
        "  - {id: a, name: Write, owner: Writer, time: 2h}\n",
        encoding="utf-8",
    )
    roomy = cost_portfolio(load_portfolio(tmp_path))
    html = render_report(roomy, ranges=simulate(roomy, years=200, seed=3))
    assert "Every role with a headcount has the hours this work needs." in html
    assert UNSIMULATED not in html
    html = render_report(roomy, ranges=simulate(roomy, years=200, seed=3, by_role=False))
    assert UNSIMULATED in html and "Every role with a headcount" not in html


def test_the_report_speaks_the_portfolios_language() -> None:
    assert report_language(cost_portfolio(load_portfolio(KOREAN))) == "ko"
    assert report_language(cost_portfolio(load_portfolio(RUSSIAN))) == "ru"
    # the build fixture mixes an English and a Korean process: English
    assert report_language(cost_portfolio(load_portfolio(FIXTURE))) == "en"
    html = render_report(cost_portfolio(load_portfolio(RUSSIAN)), date=DATE)
    assert '<html lang="ru">' in html and "Годовая стоимость процессов" in html
    assert "4 мая 2026" in html


def test_names_are_escaped_in_the_report() -> None:
    html = render_report(cost_portfolio(load_portfolio(FIXTURE)))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_without_a_date_the_report_shows_none(library: PortfolioCost) -> None:
    html = render_report(library)
    assert "dcterms.created" not in html and "Made with sopkit" in html
    assert "Made on May 4, 2026" in render_report(library, date=DATE)


def test_headline_figures_are_the_json_reports(library: PortfolioCost) -> None:
    report = json.loads(cost_report(library, fmt="json"))
    html = render_report(library, date=DATE)
    for key in ("total_annual_total_cost", "total_annual_cost", "total_annual_expenses"):
        assert money_text(Decimal(str(report[key])), "USD") in html, key
    assert hours_text(Decimal(str(report["total_annual_hours"]))) in html
    assert hours_text(Decimal(str(report["total_external_hours"]))) in html
    assert number_text(library.fte) in html


@pytest.mark.parametrize(
    ("folder", "caption"),
    [
        (ENGLISH, "hands-on time of the team and outside parties at hourly rates"),
        (KOREAN, "팀과 외부 참여자의 실작업 시간 × 시간당 단가"),
        (RUSSIAN, "рабочее время команды и внешних участников по часовым ставкам"),
    ],
)
def test_the_labour_caption_counts_outside_parties(folder: Path, caption: str) -> None:
    """An agency's invoice is its hours at its rate: in labour, as the caption says."""
    html = render_report(cost_portfolio(load_portfolio(folder)), date=DATE)
    notes = re.findall(r'<div class="note">(.*?)</div>', html)
    assert caption in [re.sub(r"<[^>]+>", "", note) for note in notes]  # Korean: words kept whole


def test_unknown_format_and_paper_are_usage_errors(library: PortfolioCost) -> None:
    with pytest.raises(UsageError, match="unknown format 'docx'"):
        annual_report(library, fmt="docx")
    with pytest.raises(UsageError, match="unknown paper 'A3'"):
        annual_report(library, fmt="html", paper="A3")


# --- PDF -------------------------------------------------------------------------------------


def test_the_pdf_has_its_pages_and_headline_figures(
    library: PortfolioCost, pdf: bytes, tmp_path: Path
) -> None:
    info = pdf_info(pdf, tmp_path)
    # the role table (32 roles) runs on to a second page; six roles' utilisation has a page
    assert info["Pages"] == "8"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4, portrait
    assert "2026" in info["CreationDate"]
    first = pdf_text(pdf, tmp_path, 1)
    assert "Annual workflow cost" in first
    for figure in (
        library.annual_total_cost,
        library.annual_cost,
        library.annual_expenses,
    ):
        assert money_text(figure, "USD") in first
    assert hours_text(library.annual_hours) in first
    assert hours_text(library.external_hours) in first
    assert number_text(library.fte) in first
    pages = [pdf_text(pdf, tmp_path, n) for n in range(1, 9)]
    assert "Where the cost goes" in pages[1]
    assert "Marketing Automation Platform" in pages[2]  # the last role of the table
    assert "Where the cost concentrates" in pages[3]
    best = rank_candidates(library)[0]
    assert "Automation candidates" in pages[4] and best.name in pages[3]
    assert "Capacity" in pages[5] and "Content Writer" in pages[5]  # utilisation by role
    ranges = simulate(library).annual_total_cost  # what annual_report simulated
    assert "How sure the figures are" in pages[6]
    assert money_text(ranges.p10, "USD") in pages[6] and money_text(ranges.p90, "USD") in pages[6]
    assert "How the figures are made" in pages[7] and "Made on May 4, 2026" in pages[7]


def test_the_pdf_is_the_same_bytes_for_the_same_report(library: PortfolioCost) -> None:
    html = render_report(library, ranges=stand_in(library))
    pdf_module._print.cache_clear()
    first = pdf_module.report_pdf(html)
    pdf_module._print.cache_clear()
    assert pdf_module.report_pdf(html) == first
    assert b"CreationDate" not in first  # undated: nothing from the clock


def test_printing_puts_the_loggers_levels_back(library: PortfolioCost) -> None:
    """WeasyPrint's notes are silenced while it prints, not for the program using sopkit."""
    import logging

    html = render_report(library, ranges=stand_in(library)).replace("</h1>", " </h1>", 1)
    logger = logging.getLogger("weasyprint")
    before = logger.level
    logger.setLevel(logging.INFO)
    try:
        pdf_module._print.cache_clear()
        pdf_module.report_pdf(html)
        assert logger.level == logging.INFO
    finally:
        logger.setLevel(before)


def test_letter_paper(library: PortfolioCost, tmp_path: Path) -> None:
    info = pdf_info(annual_report(library, paper="letter"), tmp_path)
    assert info["Page size"].startswith("612 x 792")


def test_a_korean_pdf_shows_hangul(tmp_path: Path) -> None:
    data = annual_report(cost_portfolio(load_portfolio(KOREAN)), date=DATE)
    text = pdf_text(data, tmp_path, 1)
    assert "연간 업무 비용" in text and "₩" in text


# --- without WeasyPrint ----------------------------------------------------------------------


@pytest.fixture
def no_weasyprint(monkeypatch: pytest.MonkeyPatch) -> RenderError:
    problem = RenderError(
        "no PDF renderer: WeasyPrint is not installed", hint="pip install 'sopkit[pdf]'"
    )
    monkeypatch.setattr(pdf_module, "_weasyprint", lambda: problem)
    monkeypatch.setattr(sopkit.build, "pdf_problem", lambda: problem)
    return problem


def test_a_pdf_without_weasyprint_names_what_to_install(
    library: PortfolioCost, no_weasyprint: RenderError
) -> None:
    with pytest.raises(RenderError) as caught:
        annual_report(library)
    assert "pip install 'sopkit[pdf]'" in (caught.value.hint or "")
    assert annual_report(library, fmt="html").startswith(b"<!DOCTYPE html>")


def test_the_real_missing_module_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    pdf_module._weasyprint.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    try:
        problem = pdf_module.pdf_problem()
    finally:
        monkeypatch.undo()
        pdf_module._weasyprint.cache_clear()
    assert problem is not None and "WeasyPrint is not installed" in problem.message
    assert "pip install 'sopkit[pdf]'" in (problem.hint or "")
    assert "libpango" in (problem.hint or "")


def test_the_site_builds_without_a_renderer_and_says_why(
    tmp_path: Path, no_weasyprint: RenderError
) -> None:
    result = build_site(FIXTURE, tmp_path / "site", diagrams=False)
    assert "report.pdf" not in result.files
    assert any("so the site has no report.pdf" in w for w in result.warnings)
    assert 'href="report.pdf"' not in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_the_site_has_the_report_linked_from_the_dashboard(tmp_path: Path) -> None:
    result = build_site(FIXTURE, tmp_path / "site", diagrams=False)
    assert "report.pdf" in result.files
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert 'href="report.pdf"' in index
    cost = cost_portfolio(load_portfolio(FIXTURE))
    # undated, the site's simulation (without the roles' hours: no years over capacity)
    ranges = simulate(
        cost, years=sopkit.build.SITE_YEARS, seed=sopkit.build.SITE_SEED, by_role=False
    )
    expected = annual_report(cost, ranges=ranges)
    assert (tmp_path / "site" / "report.pdf").read_bytes() == expected


# --- the command -----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_command_writes_what_the_library_writes(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, stderr = run("report", str(ENGLISH), "-o", str(out), "--date", "2026-05-04")
    assert (code, stderr) == (0, f"wrote {out}\n")
    cost = cost_portfolio(load_portfolio(ENGLISH))
    expected = annual_report(cost, fmt="html", date=DATE, ranges=simulate(cost))
    assert out.read_bytes() == expected
    code, stdout, _ = run("report", str(ENGLISH), "--format", "html", "--date", "2026-05-04")
    assert code == 0 and stdout.encode("utf-8") == expected


def test_the_command_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code, _, _ = run("report", str(FIXTURE), "-o", str(out), "--date", "2026-05-04")
    assert code == 0
    cost = cost_portfolio(load_portfolio(FIXTURE))
    assert out.read_bytes() == annual_report(cost, date=DATE, ranges=simulate(cost))


def test_the_command_dates_the_report_today_by_default(tmp_path: Path) -> None:
    code, stdout, _ = run("report", str(FIXTURE), "--format", "html")
    assert code == 0
    today = datetime.date.today()
    assert f"Made on {today:%B} {today.day}, {today.year}" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "a PDF needs a file to go to"),
        (["--date", "2026-13-01"], "is not a date; use YYYY-MM-DD"),
        (["--format", "docx", "-o", "x.docx"], "'docx' is not one of"),
        (["--paper", "A3", "-o", "x.pdf"], "'A3' is not one of"),
    ],
)
def test_usage_mistakes_exit_2(args: list[str], message: str) -> None:
    code, _, stderr = run("report", str(FIXTURE), *args)
    assert code == 2
    assert message in re.sub(r"\s+", " ", stderr)


def test_no_renderer_is_a_located_error_naming_the_package(
    tmp_path: Path, no_weasyprint: RenderError
) -> None:
    code, _, stderr = run("report", str(FIXTURE), "-o", str(tmp_path / "r.pdf"))
    assert code == 1
    assert "error: no PDF renderer" in stderr and "pip install 'sopkit[pdf]'" in stderr
    assert not (tmp_path / "r.pdf").exists()


def test_the_command_never_writes_over_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    for source in FIXTURE.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    target = folder / "blog.yaml"
    before = target.read_bytes()
    code, _, _ = run("report", str(folder), "--format", "html", "-o", str(target))
    assert code == 1 and target.read_bytes() == before


def test_the_role_table_lists_every_role_and_the_chart_the_costliest(tmp_path: Path) -> None:
    # 15 roles, Role 01 the cheapest ($10) to Role 15 the costliest ($150), one hour each.
    rates = "".join(f"  Role {n:02}: {{rate: {n * 10}}}\n" for n in range(1, 16))
    (tmp_path / "roles.yaml").write_text(f"currency: USD\nroles:\n{rates}", encoding="utf-8")
    steps = "".join(
        f"  - {{id: s{n}, name: Step {n}, owner: Role {n:02}, time: 1h}}\n" for n in range(1, 16)
    )
    (tmp_path / "p.yaml").write_text(
        f"sopkit: 1\nid: p\nname: P\nowner: Role 01\nfrequency: 1/month\nsteps:\n{steps}",
        encoding="utf-8",
    )
    html = render_report(cost_portfolio(load_portfolio(tmp_path)))
    roles = html[html.index('<table class="named">') :]
    roles = roles[: roles.index("</table>")]
    assert re.findall(r"<tr>\n<td>(Role \d\d)</td>", roles) == [
        f"Role {n:02}" for n in range(15, 0, -1)
    ]
    chart = html[html.index('id="report-roles"') :]
    chart = chart[: chart.index('<table class="named">')]
    assert chart.count('class="fill"') == 12 and "Role 03" not in chart
    assert '<p class="muted small">3 more roles are in the table below.</p>' in chart
    # and a total row, as the cost table has: 15 roles × 12 hours = 180 hours, $10 × (1 + 2
    # + … + 15) × 12 = $14,400, 180 ÷ 2,080 = 0.09 FTE, the whole of the labour
    total = re.findall(r'<tr class="total">\n<td>(.*?)</td><td></td>\n(.*?)\n(.*?)\n</tr>', roles)
    assert total == [
        (
            "All roles",
            '<td class="num">180.00</td><td class="num">0.00</td>',
            '<td class="num">$14,400.00</td><td class="num">0.09</td><td class="num">100.00%</td>',
        )
    ]


@pytest.mark.parametrize(("folder", "label"), [(KOREAN, "모든 역할"), (RUSSIAN, "Все роли")])
def test_the_role_table_s_total_row_speaks_the_report_s_language(folder: Path, label: str) -> None:
    cost = cost_portfolio(load_portfolio(folder))
    html = render_report(cost, date=DATE)
    roles = html[html.index('<table class="named">') :]
    roles = roles[: roles.index("</table>")]
    (row,) = re.findall(r'<tr class="total">\n<td>(.*?)</td>', roles)
    assert re.sub(r"<[^>]+>", "", row) == label


def test_a_report_name_that_is_neither_pdf_nor_html_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(ENGLISH), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2
    assert (
        "r.docx: sopkit writes no '.docx' files here (end the name in .htm, .html, .pdf)"
        in result.stderr
    )
    assert not (tmp_path / "r.docx").exists()


# --- a large portfolio: a few pages still --------------------------------------------------

_MANY = """\
sopkit: 1
id: p{i:02d}
name: Process {i:02d}
owner: Writer
frequency: {runs}/month
steps:
  - {{id: a, name: Write, owner: Writer, time: {hours}h}}
"""


def test_a_large_portfolio_lists_its_costliest_processes_and_sums_the_rest(
    tmp_path: Path,
) -> None:
    from sopkit.render.report.listed import PROCESS_ROWS

    (tmp_path / "roles.yaml").write_text("currency: USD\nroles:\n  Writer: {rate: 50}\n", "utf-8")
    for i in range(30):  # process i costs (i + 1) × 2 h × 4 runs × 50 × 12
        text = _MANY.format(i=i, runs=4, hours=2 * (i + 1))
        (tmp_path / f"p{i:02d}.yaml").write_text(text, "utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    html = render_report(cost, ranges=simulate(cost, years=100, seed=1))
    shown = re.findall(r"<td lang=\"en\">(Process \d\d)", html)
    assert PROCESS_ROWS == 25
    # the cost table and the ranges table: the 25 costliest, most first
    expected = [f"Process {i:02d}" for i in range(29, 4, -1)]
    assert shown == expected + expected
    # the five cheapest are one row: (1 + 2 + 3 + 4 + 5) × 2 h × 4 × 12 = 1,440 h, $72,000
    assert re.search(r"5 other processes</td>\s*<td class=\"num\"></td>\s*"
                     r"<td class=\"num\">\$72,000\.00</td>", html)  # fmt: skip
    assert '<td class="num">1,440.00</td>' in html
    # ... in the ranges table too, with its report figure (ranges of a sum are not summed)
    ranges_row = r'5 other processes</td><td class="num">\$72,000\.00</td>\s*<td class="num">—</td>'
    assert re.search(ranges_row, html)
    assert "The 25 costliest of 30 processes, the others in one row; sopkit cost" in html
    assert "13 more processes are in the table Cost by process, and 5 more in its last row" in html
    assert "The 25 costliest of 30 processes; sopkit simulate lists every" in html
    # the totals still add up over every process
    assert money_text(cost.annual_total_cost, "USD") in html


def test_one_process_over_the_limit_is_listed_not_summed(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("currency: USD\nroles:\n  Writer: {rate: 50}\n", "utf-8")
    for i in range(26):
        text = _MANY.format(i=i, runs=4, hours=2 * (i + 1))
        (tmp_path / f"p{i:02d}.yaml").write_text(text, "utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    html = render_report(cost, ranges=simulate(cost, years=100, seed=1))
    assert "other process" not in html and "costliest of" not in html
    assert len(re.findall(r"<td lang=\"en\">Process \d\d", html)) == 26 * 2


def test_a_portfolio_of_a_few_processes_lists_every_one(library: PortfolioCost) -> None:
    html = render_report(library, ranges=simulate(library, years=100, seed=1))
    assert "other processes" not in html and "costliest of" not in html


def test_korean_words_are_kept_whole_in_the_printed_report() -> None:
    """WeasyPrint breaks a narrow Korean cell between any two syllables ("검사 / 기"); each
    Hangul word of the body's text is a nowrap span, and the markup, stylesheet and SVG
    chart are left alone."""
    from sopkit.render.report.hangul import keep_hangul_words

    page = (
        "<html><head><title>연간 비용</title><style>p{content:'가'}</style></head><body>"
        '<p class="x">바른한글 맞춤법 검사기로 (도구: Ahrefs) 3.5개월</p>'
        "<svg><text>파레토</text></svg></body></html>"
    )
    assert keep_hangul_words(page) == (
        "<html><head><title>연간 비용</title><style>p{content:'가'}</style></head><body>"
        '<p class="x"><span class="kw">바른한글</span> <span class="kw">맞춤법</span> '
        '<span class="kw">검사기로</span> <span class="kw">(도구:</span> Ahrefs) '
        '<span class="kw">3.5개월</span></p>'
        "<svg><text>파레토</text></svg></body></html>"
    )
    korean = render_report(cost_portfolio(load_portfolio(KOREAN)))
    assert '<span class="kw">' in korean and ".kw { white-space: nowrap; }" in korean
    assert '<span class="kw">' not in render_report(cost_portfolio(load_portfolio(ENGLISH)))


_LONG_NAMED = """\
sopkit: 1
id: long-names
name: 분기별통합마케팅커뮤니케이션캠페인성과분석및차기분기예산재배분의사결정프로세스
owner: 마케팅 총괄
frequency: 1/quarter
language: ko
steps:
  - id: a
    name: 네이버검색광고카카오모먼트메타광고구글애즈통합성과데이터추출및정합성검증
    owner: 브랜드커뮤니케이션전략기획파트장
    time: 3h
    automation: {share: 0.4, tool: 사내데이터웨어하우스자동추출스크립트, setup: 5h}
  - {id: b, name: 예산재배분안작성, owner: 마케팅 총괄, after: [a], time: 1h}
"""
_LONG_ROLES = """\
currency: KRW
roles:
  마케팅 총괄: {rate: 65000}
  브랜드커뮤니케이션전략기획파트장: {rate: 45000}
"""


def test_a_korean_word_wider_than_its_cell_breaks_in_the_printed_report(
    write_process: Callable[..., Path], tmp_path: Path
) -> None:
    """A trial's name written without spaces, a nowrap span, ran over the next columns
    and pushed a table's columns off the page: a word of more than 8 syllables breaks
    where it is wider than its cell (the site's ``overflow-wrap: break-word``), and
    stays whole where it fits."""
    from sopkit.render.report.hangul import keep_hangul_words

    assert keep_hangul_words("<body><p>캠페인성과분석 캠페인성과분석보고서</p></body>") == (
        '<body><p><span class="kw">캠페인성과분석</span> '
        '<span class="kl">캠페인성과분석보고서</span></p></body>'
    )
    path = write_process(_LONG_NAMED, name="long.yaml", roles=_LONG_ROLES)
    cost = cost_portfolio(load_portfolio(path.parent))
    html = render_report(cost)
    assert ".kl { display: inline-block; min-width: 7em; }" in html
    data = annual_report(cost, date=DATE)
    tool = require_tool("pdftotext", "poppler-utils")
    (tmp_path / "long.pdf").write_bytes(data)
    done = subprocess.run(
        [tool, "-bbox", str(tmp_path / "long.pdf"), "-"], capture_output=True, check=True
    )
    page = re.search(r'<page width="([\d.]+)"', done.stdout.decode("utf-8"))
    assert page is not None
    right = float(page.group(1)) - 15 / 25.4 * 72  # the right margin, 15mm
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', done.stdout.decode("utf-8"))
    assert words and all(float(x) <= right + 1 for x, _ in words), [
        (x, w) for x, w in words if float(x) > right + 1
    ]
    # Broken only inside the long words: every other word shows whole.
    shown = {word for _, word in words}
    assert {"마케팅", "총괄", "예산재배분안작성"} <= shown
    assert cost.processes[0].name not in shown


def test_a_process_only_others_run_has_no_bar_in_the_report() -> None:
    """Its cost is its callers': the table lists it with a note, the chart leaves it out."""
    launch = Path(__file__).resolve().parent / "fixtures" / "launch"
    cost = cost_portfolio(load_portfolio(launch))
    html = annual_report(cost, fmt="html").decode("utf-8")
    start = html.index('id="report-processes"')
    chart = html[start : html.index("<h3>", start)]
    assert "Product launch" in chart and "Launch asset review" not in chart
    assert "Launch asset review" in html  # in the cost table
