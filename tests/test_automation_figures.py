"""Automation figures agree on every surface: the same totals, and payback in one wording.

A hand-worked portfolio of three candidates (Writer at $50/h, one run a month):

====  =====  =====  ========  ======  =====  =====  ==========  ========
step  time   share  tool/yr   annual  gross  net    setup       payback
====  =====  =====  ========  ======  =====  =====  ==========  ========
free  10h    0.5    0         6,000   3,000  3,000  0           immediately (nothing to pay back)
tool  4h     0.25   120       2,400   600    480    4h = 200    200 ÷ (480 ÷ 12) = 5.0 months
loss  2h     0.5    1,000     1,200   600    -400   2h = 100    never (net saving below zero)
====  =====  =====  ========  ======  =====  =====  ==========  ========

The net saving of all three is $3,080.00; leaving out the loss-maker would say $3,480.00.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit import load_portfolio
from sopkit.analysis import cost_portfolio, rank_candidates
from sopkit.cli import app
from sopkit.render.costs import candidates_report, explain_step
from sopkit.render.i18n import catalogue, payback_text
from sopkit.render.site import render_index
from sopkit.render.sop import render_sop

ROLES = """\
currency: USD
roles:
  Writer: {rate: 50}
"""

PROCESS = """\
sopkit: 1
id: {id}
name: Automation figures {language}
owner: Writer
frequency: 1/month
language: {language}
steps:
  - id: free
    name: Free
    owner: Writer
    time: 10h
    automation: 0.5
  - id: tool
    name: Tool
    owner: Writer
    after: [free]
    time: 4h
    automation: {{share: 0.25, tool: Helper, tool_cost: 120/year, setup: 4h}}
  - id: loss
    name: Loss
    owner: Writer
    after: [tool]
    time: 2h
    automation: {{share: 0.5, tool: Pricey, tool_cost: 1000/year, setup: 2h}}
"""

ALL = "all 3 candidates, including 1 that costs more than it saves"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "figures.yaml").write_text(
        PROCESS.format(id="figures", language="en"), encoding="utf-8"
    )
    return tmp_path


def cli(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_hand_worked_figures(folder: Path) -> None:
    ranked = rank_candidates(cost_portfolio(load_portfolio(folder)))
    assert [(c.step_id, c.net_saving) for c in ranked] == [
        ("free", Decimal(3000)),
        ("tool", Decimal(480)),
        ("loss", Decimal(-400)),
    ]
    assert [c.payback_months for c in ranked] == [Decimal(0), Decimal(5), None]


# --- item: every figure that names the same thing shows the same number --------------------


def test_dashboard_headline_and_table_total_are_the_same_sum(folder: Path) -> None:
    cost = cost_portfolio(load_portfolio(folder))
    page = render_index(cost, rank_candidates(cost), [])
    kpi = re.search(
        r'class="label">Automation potential</div>\s*<div class="value">([^<]+)</div>\s*'
        r'<div class="note">([^<]+)</div>',
        page,
    )
    assert kpi is not None
    assert kpi.group(1) == "$3,080.00"
    assert kpi.group(2) == f"net saving a year of {ALL}"
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page, flags=re.S)
    assert footer is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", footer.group(1))
    assert cells[0] == "All 3 candidates, including 1 that costs more than it saves"
    assert cells[4] == "$3,080.00"  # the net saving column
    assert "$3,480.00" not in page  # the sum without the loss-maker is nowhere


def test_cli_totals_say_what_they_include_in_every_format(folder: Path) -> None:
    table = cli("candidates", folder)
    assert re.search(r"^ +Total .*\$3,080\.00", table, flags=re.M)
    assert f"Totals: {ALL}." in table
    markdown = cli("candidates", folder, "--format", "markdown")
    assert "**$3,080.00**" in markdown and f"- Totals: {ALL}." in markdown
    document = json.loads(cli("candidates", folder, "--format", "json"))
    assert document["total_net_saving"] == 3080.0
    assert sum(c["net_saving"] for c in document["candidates"]) == 3080.0
    # every column the Total row sums, as the finance trial wanted from the JSON too
    for key in ("annual_cost", "tool_cost", "setup_cost", "hours_saved"):
        column = sum(Decimal(str(c[key])) for c in document["candidates"])
        assert abs(Decimal(str(document[f"total_{key}"])) - column) <= Decimal("0.01"), key
    assert "$3,480.00" not in table + markdown


def test_a_shortened_list_says_its_totals_are_of_the_rows_listed(folder: Path) -> None:
    table = cli("candidates", folder, "--top", "2")
    assert "Totals: the 2 candidates listed (of 3)." in table
    assert re.search(r"^ +Total .*\$3,480\.00", table, flags=re.M)
    one = cli("candidates", folder, "--min-saving", "1000")
    assert "Totals: the 1 candidate listed (of 3)." in one


def test_the_dashboard_and_the_cli_agree_on_the_library(processes_dir: Path) -> None:
    """The figures the issue found disagreeing, on the real English portfolio."""
    folder = processes_dir / "en"
    cost = cost_portfolio(load_portfolio(folder))
    candidates = rank_candidates(cost)
    page = render_index(cost, candidates, [])
    net = json.loads(candidates_report(cost, fmt="json"))["total_net_saving"]
    shown = f"${net:,.2f}"
    headline = re.search(r'Automation potential</div>\s*<div class="value">([^<]+)<', page)
    assert headline is not None and headline.group(1) == shown
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page, flags=re.S)
    assert footer is not None and shown in footer.group(1)
    losing = sum(1 for c in candidates if c.net_saving < 0)
    assert losing >= 1  # the library keeps a tool that costs more than it saves
    assert f"including {losing} that cost" in headline.string


def test_the_sop_never_says_a_loss_is_a_saving(folder: Path) -> None:
    cost = cost_portfolio(load_portfolio(folder)).processes[0]
    markdown = render_sop(cost)
    assert "saves -" not in markdown
    assert "with Pricey, but the tool costs $400.00 a year more than it saves (net)" in markdown
    assert "with Helper: saves $480.00 a year (net)" in markdown


# --- item: payback in one wording and one number format ------------------------------------


def _payback_cells(table: str) -> dict[str, str]:
    rows = {}
    for line in table.splitlines():
        cells = line.split()
        if len(cells) > 3 and cells[2] in ("free", "tool", "loss"):
            rows[cells[2]] = cells
    return {step: " ".join(cells) for step, cells in rows.items()}


def test_payback_reads_the_same_in_the_terminal_and_markdown(folder: Path) -> None:
    table = _payback_cells(cli("candidates", folder))
    assert " immediately " in table["free"]
    assert " 5.0 " in table["tool"]
    assert " never " in table["loss"]
    markdown = cli("candidates", folder, "--format", "markdown")
    rows = {line.split(" | ")[2]: line.split(" | ")[11] for line in markdown.splitlines()[4:7]}
    assert rows == {"free": "immediately", "tool": "5.0", "loss": "never"}


def test_payback_keeps_its_numbers_in_json_and_csv(folder: Path) -> None:
    document = json.loads(cli("candidates", folder, "--format", "json"))
    assert [c["payback_months"] for c in document["candidates"]] == [0.0, 5.0, None]
    csv_rows = cli("candidates", folder, "--format", "csv").splitlines()
    column = csv_rows[0].split(",").index("payback_months")
    assert [row.split(",")[column] for row in csv_rows[1:]] == ["0.00", "5.00", ""]


def test_payback_on_the_dashboard(folder: Path) -> None:
    cost = cost_portfolio(load_portfolio(folder))
    page = render_index(cost, rank_candidates(cost), [])
    section = page.split('<section id="automation">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr lang="en">(.*?)</tr>', section, flags=re.S)
    steps = [re.findall(r'class="step">(\w+)<', row) for row in rows]
    assert steps == [["Free"], ["Tool"], ["Loss"]]
    paybacks = [re.findall(r'<td class="num">([^<]*)</td>', row)[-2] for row in rows]
    assert paybacks == ["immediately", "5.0", "never"]
    assert "Payback<br>months" in section


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["immediately", "5.0 months", "never"]),
        ("ko", ["즉시", "5.0개월", "회수 불가"]),
        ("ru", ["сразу", "5,0 месяца", "не окупается"]),
    ],
)
def test_payback_in_the_sop_of_each_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(PROCESS.format(id=f"p-{language}", language=language), encoding="utf-8")
    cost = cost_portfolio(load_portfolio(path)).processes[0]
    markdown = render_sop(cost)
    rows = [line for line in markdown.splitlines() if re.match(r"\| [123]\. ", line)]
    assert [row.rsplit(" | ", 1)[1].rstrip(" |") for row in rows] == expected
    html = render_sop(cost, fmt="html")
    for text in expected:
        assert f'<td class="num">{text}</td>' in html


def test_payback_in_explain(folder: Path) -> None:
    portfolio = load_portfolio(folder)
    assert "payback        = immediately (no setup cost: nothing to pay back)" in explain_step(
        portfolio, "free"
    )
    assert "payback        = $200.00 ÷ ($480.00 ÷ 12) = 5.0 months" in explain_step(
        portfolio, "tool"
    )
    assert "payback        = never (the net saving is not above zero" in explain_step(
        portfolio, "loss"
    )


@pytest.mark.parametrize(
    ("months", "language", "unit", "text"),
    [
        (Decimal(0), "en", True, "immediately"),
        (None, "en", False, "never"),
        (Decimal("4.25"), "en", True, "4.3 months"),  # half-up to one decimal
        (Decimal(1), "en", True, "1.0 months"),  # CLDR: "1.0" is not singular
        (Decimal("0.04"), "en", False, "< 0.1"),  # a tiny payback is not "immediately"
        (Decimal("1234.5"), "en", False, "1,234.5"),
        (Decimal(2), "ru", True, "2,0 месяца"),
        (Decimal(12), "ko", True, "12.0개월"),
    ],
)
def test_payback_text(months: Decimal | None, language: str, unit: bool, text: str) -> None:
    assert payback_text(months, catalogue(language), unit=unit) == text


@pytest.mark.parametrize(
    ("language", "text", "bare"),
    [
        ("en", "under 0.1 months", "< 0.1"),
        ("ko", "0.1개월 미만", "< 0.1"),
        ("ru", "меньше 0,1 месяца", "< 0,1"),
    ],
)
def test_a_payback_of_days_is_not_zero_months(language: str, text: str, bare: str) -> None:
    """₩47,000 of setup against ₩1.2 million saved a month pays back in about a day:
    "0.0 months" read as nothing to pay back, which only "immediately" means."""
    t = catalogue(language)
    assert payback_text(Decimal("0.04"), t) == text
    assert payback_text(Decimal("0.04"), t, unit=False) == bare
    assert payback_text(Decimal("0.05"), t).startswith(("0.1", "0,1"))
