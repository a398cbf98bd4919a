"""The dashboard page: figures from the analysis, escaped text, no network, golden HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sopkit.analysis import PortfolioCost, cost_portfolio, rank_candidates
from sopkit.load import load_portfolio
from sopkit.render.numbers import money_text
from sopkit.render.site import Download, ProcessPage, render_index

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "build" / "portfolio"


class Links(HTMLParser):
    """Every href and src of a page, and the text of its elements by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def cost() -> PortfolioCost:
    return cost_portfolio(load_portfolio(FIXTURE))


def pages_for(cost: PortfolioCost) -> list[ProcessPage]:
    return [
        ProcessPage(
            p.id,
            f"processes/{p.id}.html",
            f"processes/{p.id}.md",
            f"processes/{p.id}.checklist.html",
            f"processes/{p.id}.svg",
            None if p.id == "launch-ko" else f"processes/{p.id}.png",
        )
        for p in cost.processes
    ]


@pytest.fixture(scope="module")
def index(cost: PortfolioCost) -> str:
    return render_index(
        cost,
        rank_candidates(cost),
        pages_for(cost),
        downloads=[Download("cost.xlsx", "cost.xlsx", "Workbook")],
    )


def test_the_dashboard_golden(index: str, golden: Callable[[str, str], None]) -> None:
    golden("build/site/index.html", index)


def test_headline_figures_come_from_the_analysis(cost: PortfolioCost, index: str) -> None:
    assert money_text(cost.annual_cost, "USD") in index
    for process in cost.processes:
        assert money_text(process.annual_cost, "USD") in index
    for role in cost.roles:
        assert money_text(role.annual_cost, "USD") in index


def test_every_link_is_one_the_caller_gave_or_an_anchor(cost: PortfolioCost, index: str) -> None:
    given = {"cost.xlsx", "data:,"}
    for page in pages_for(cost):
        given |= {page.sop_html, page.sop_markdown, page.checklist, page.diagram_svg}
        if page.diagram_png:
            given.add(page.diagram_png)
    urls = parse(index).urls
    anchors = {u for u in urls if u.startswith("#")}
    assert {u for u in urls if not u.startswith("#")} == given
    for anchor in anchors:
        assert f'id="{anchor[1:]}"' in index
    assert "processes/launch-ko.png" not in index  # no PNG, no link


def test_no_script_no_network(index: str) -> None:
    parsed = parse(index)
    assert "script" not in parsed.tags
    assert not re.search(r"""(?:href|src)=["']?(?:https?:)?//""", index)
    assert "@import" not in index and "url(http" not in index


def test_panels_side_by_side_keep_their_own_height(index: str) -> None:
    """A grid stretches its items to the row's height by default: "By process" with three
    bars beside "By role" with twelve stood half empty. Every .grid-2 row (costs, ranges,
    capacity) aligns its panels at the top instead."""
    rule = re.search(r"\.grid-2 \{([^}]*)\}", index)
    assert rule is not None and "align-items: start" in rule.group(1)
    assert index.count('<div class="grid-2">') >= 2


def test_text_from_process_files_is_escaped(index: str) -> None:
    assert "<script>alert" not in index
    assert "<img src=x" not in index
    assert "<links>" not in index and "<Lead>" not in index
    text = "".join(parse(index).text)
    assert "Newsletter <script>alert('x')</script> & R&D \"digest\"" in text
    assert "R&D <Lead>" in text
    assert "Collect <links> & notes" in text


def test_korean_content_is_marked_as_korean(index: str) -> None:
    assert re.search(r'<article class="card" id="process-launch-ko" lang="ko">', index)


def test_notices_and_stamp(cost: PortfolioCost) -> None:
    html = render_index(cost, [], [], notices=["no <Graphviz>"], stamp="built today")
    assert '<p class="notice" role="status">no &lt;Graphviz&gt;</p>' in html
    assert "built today" in html
    assert "No step has an automation share yet" in html
    assert 'class="links"' not in html  # no pages, no links


# --- a portfolio that uses the additions ------------------------------------------------------

ADDITIONS = Path(__file__).resolve().parent / "fixtures" / "additions" / "en"


@pytest.fixture(scope="module")
def additions() -> tuple[PortfolioCost, str]:
    costs = cost_portfolio(load_portfolio(ADDITIONS))
    return costs, render_index(costs, rank_candidates(costs), pages_for(costs))


def test_the_additions_dashboard_golden(
    additions: tuple[PortfolioCost, str], golden: Callable[[str, str], None]
) -> None:
    golden("build/site/additions.html", additions[1])


def kpis(html: str) -> dict[str, tuple[str, str]]:
    found = re.findall(
        r'<div class="label">(.*?)</div>\n<div class="value">(.*?)</div>\n'
        r'<div class="note">(.*?)</div>',
        html,
    )
    return {label: (value, note) for label, value, note in found}


def test_headline_shows_labour_cash_and_total_apart_from_outside_hours(
    additions: tuple[PortfolioCost, str],
) -> None:
    costs, html = additions
    shown = kpis(html)
    # Labour $41,388.67; cash $14,884 (launch) + $348 (asset's $29 a month) = $15,232.
    assert shown["Labour cost"][0] == "$41,388.67"
    assert shown["Cash costs"][0] == "$15,232.00"
    assert shown["Total cost"] == ("$56,620.67", "labour + cash costs a year")
    assert shown["Total cost"][0] == money_text(costs.annual_total_cost, "USD")
    # The agency's 28.8 h and the customer's 33.6 h: not the team's hours, not in FTE.
    assert shown["Hours outside the team"][0] == "62.4"
    assert shown["Annual hours"][0] == "552.87"
    assert "Annual cost" not in shown
    assert "Annual total cost by process (labour + cash)" in html
    # An agency's fees are its hours at its rate: labour, not cash.
    assert "outside parties" in shown["Labour cost"][1]
    assert "fees" not in shown["Cash costs"][1]
    assert "outside parties&#39; hours are labour" in shown["Cash costs"][1]


def test_cards_count_conditions_milestones_sign_offs_and_link_calls(
    additions: tuple[PortfolioCost, str],
) -> None:
    _, html = additions
    launch = html.split('id="process-launch"')[1].split("</article>")[0]
    for feature in ("4 conditional steps", "1 milestone", "2 sign-offs"):
        assert f'<span class="feature">{feature}</span>' in launch
    assert 'Runs <a href="#process-asset">Channel asset</a>' in launch
    assert "(labour $41,388.67 + cash $14,884.00)" in launch
    asset = html.split('id="process-asset"')[1].split("</article>")[0]
    assert "Designer · when called ·" in asset
    # 50/9 runs per launch × 2 launches a month = 11.11 runs a month.
    assert 'Called by <a href="#process-launch">Product launch</a> (11.11 runs a month' in asset
    assert '<span class="feature">1 sign-off</span>' in asset


def test_roles_show_kind_outside_hours_and_capacity(
    additions: tuple[PortfolioCost, str],
) -> None:
    _, html = additions
    assert "<td>PR Agency</td><td>external</td>" in html
    # The outside hours column: the agency's 28.8 h are not in the team's hours.
    assert '<td>PR Agency</td><td>external</td><td class="num">1</td><td class="num">0.00</td>' in (
        html
    )
    # Capacity has its own section: the designer's 245.87 h against 150 h.
    assert "163.91% (over)" in html and "Over capacity: Designer." in html
    assert "<td>runs Channel asset</td>" in html  # the calling step in the costliest steps


def test_a_process_only_others_run_has_no_bar_but_its_card(tmp_path: Path) -> None:
    """Its year is its callers': a bar of $0.00 beside them reads as a mistake."""
    from sopkit.analysis.simulation import simulate

    launch = Path(__file__).resolve().parent / "fixtures" / "launch"
    cost = cost_portfolio(load_portfolio(launch))
    assert cost.process("asset-review").is_called_only
    pages = [ProcessPage(p.id, f"{p.id}.html", f"{p.id}.md", f"{p.id}.md") for p in cost.processes]
    html = render_index(cost, rank_candidates(cost), pages, ranges=simulate(cost, years=100))
    for chart in ("chart-processes", "chart-cost-ranges"):
        svg = re.search(rf'<svg[^>]*aria-labelledby="{chart}-title".*?</svg>', html, flags=re.S)
        assert svg is not None, chart
        assert "Product launch" in svg.group(0) and "Launch asset" not in svg.group(0), chart
    name = cost.process("asset-review").name
    assert html.count(name) >= 1  # its card, which says who runs it
    # its card says what the runs its callers make cost, beside its own $0, and shows no
    # range of its own cost (zero every year)
    card = html.split('id="process-asset-review"')[1].split("</article>")[0]
    made = sum(
        (s.annual_total_cost for p in cost.processes for s in p.steps if s.calls == "asset-review"),
        Decimal(0),
    )
    assert made > 0
    assert f"{money_text(made, 'USD')} a year in the runs its callers make, counted there" in card
    assert "in every simulated year" not in card.split("Annual hours")[0]


NESTED = {
    "roles.yaml": "currency: USD\nroles:\n  Writer: {rate: 50}\n",
    "a.yaml": "sopkit: 1\nid: a\nname: Top\nowner: Writer\nfrequency: 4/month\nsteps:\n"
    "  - {id: one, name: Do one, owner: Writer, time: 1h}\n"
    "  - {id: runb, name: Run B, process: b, after: [one]}\n",
    "b.yaml": "sopkit: 1\nid: b\nname: Middle\nowner: Writer\nsteps:\n"
    "  - {id: two, name: Do two, owner: Writer, time: 2h}\n"
    "  - {id: runc, name: Run C, process: c, after: [two]}\n",
    "c.yaml": "sopkit: 1\nid: c\nname: Bottom\nowner: Writer\nsteps:\n"
    "  - {id: three, name: Do three, owner: Writer, time: 3h}\n",
    "d.yaml": "sopkit: 1\nid: d\nname: Idle\nowner: Writer\nsteps:\n"
    "  - {id: four, name: Do four, owner: Writer, time: 1h}\n",
}


def test_a_called_only_card_counts_the_runs_made_through_another(tmp_path: Path) -> None:
    """By hand: the top runs 4 times a month, each running the middle once, which runs the
    bottom once. Middle: (2 h + 3 h) × $50 × 4 × 12 = $12,000; bottom: 3 h × $50 × 4 × 12
    = $7,200 (the sum of its direct callers' steps, the middle's own $0, read $0.00).
    A process nothing runs and with no frequency has no such line: no one runs it."""
    for name, text in NESTED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    html = render_index(cost, rank_candidates(cost), pages_for(cost))

    def card(pid: str) -> str:
        return html.split(f'id="process-{pid}"')[1].split("</article>")[0]

    note = "a year in the runs its callers make, counted there"
    assert f"$12,000.00 {note}" in card("b") and f"$7,200.00 {note}" in card("c")
    assert note not in card("a") and note not in card("d")


def test_no_called_cost_line_when_the_caller_itself_never_runs(tmp_path: Path) -> None:
    """Without the top, nothing runs the middle, so the bottom's caller makes no runs: a
    line of "$0.00 a year in the runs its callers make" says nothing true."""
    for name in ("roles.yaml", "b.yaml", "c.yaml"):
        (tmp_path / name).write_text(NESTED[name], encoding="utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    assert cost.process("c").called_by == ("b",)  # named as its caller, with no runs
    html = render_index(cost, rank_candidates(cost), pages_for(cost))
    assert "in the runs its callers make" not in html
