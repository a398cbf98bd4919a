"""Cost and candidate reports: golden files, the JSON contract and number formatting.

Golden files live in tests/golden/cost/ and tests/golden/candidates/; rewrite
them with ``python tests/scripts/regen_golden.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ENGLISH, ROOT

from sopkit import SopkitError, load_portfolio
from sopkit.analysis import cost_portfolio, rank_candidates, unassessed_steps
from sopkit.render.costs.jsontext import dump_json
from sopkit.render.costs.tables import COST_VIEWS, FORMATS, candidates_report, cost_report
from sopkit.render.numbers import json_number, money_text, rate_text, round_money

FIXTURES = ROOT / "tests" / "fixtures"
Golden = Callable[[str, str], None]
EXTENSION = {"table": "txt", "markdown": "md", "csv": "csv", "json": "json"}

SOURCES = {
    "t1": FIXTURES / "t1",  # the format's own example
    "krw": FIXTURES / "krw",  # a KRW portfolio: whole won, ₩
    "library": ENGLISH,  # the English portfolio of the shipped library
    "additions": FIXTURES / "additions" / "en",  # every addition: see test_sop_additions.py
}


@pytest.fixture(scope="module")
def costs() -> dict[str, object]:
    return {name: cost_portfolio(load_portfolio(path)) for name, path in SOURCES.items()}


#: JSON holds every view, so it is pinned once.
VIEWS_AND_FORMATS = [(by, fmt) for by in COST_VIEWS for fmt in FORMATS if fmt != "json"]


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize(("by", "fmt"), [*VIEWS_AND_FORMATS, ("step", "json")])
def test_cost_golden(costs: dict, golden: Golden, source: str, fmt: str, by: str) -> None:
    text = cost_report(costs[source], by=by, fmt=fmt)
    name = f"cost/{source}.json" if fmt == "json" else f"cost/{source}-{by}.{EXTENSION[fmt]}"
    golden(name, text)


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_candidates_golden(costs: dict, golden: Golden, source: str, fmt: str) -> None:
    golden(f"candidates/{source}.{EXTENSION[fmt]}", candidates_report(costs[source], fmt=fmt))


# --- the JSON contract ----------------------------------------------------------------------


def test_cost_json_matches_the_spec_example(costs: dict) -> None:
    text = cost_report(costs["t1"], fmt="json")
    data = json.loads(text)
    assert list(data)[:5] == [
        "currency",
        "total_annual_cost",
        "total_annual_hours",
        "processes",
        "roles",
    ]
    process = data["processes"][0]
    assert list(process)[:8] == [
        "id",
        "name",
        "runs_per_month",
        "annual_cost",
        "annual_hours",
        "lead_time_hours",
        "critical_path",
        "steps",
    ]
    research = process["steps"][0]
    assert list(research)[:7] == [
        "id",
        "name",
        "owner",
        "executions_per_run",
        "hours_per_execution",
        "annual_hours",
        "annual_cost",
    ]
    assert (research["id"], research["owner"]) == ("research", "SEO Specialist")
    assert (research["executions_per_run"], research["hours_per_execution"]) == (1.0, 2.0)
    assert (research["annual_hours"], research["annual_cost"]) == (96.0, 4320.0)
    assert '"annual_cost": 4320.0' in text and '"runs_per_month": 4.0' in text
    seo = next(r for r in data["roles"] if r["role"] == "SEO Specialist")
    assert list(seo)[:3] == ["role", "annual_hours", "annual_cost"]
    assert (seo["annual_hours"], seo["annual_cost"]) == (96.0, 4320.0)
    # Hand-worked totals (see test_cost.py): $16,151.43, 377.71 h, lead time 13.83 h
    assert (data["currency"], data["total_annual_cost"]) == ("USD", 16151.43)
    assert data["total_annual_hours"] == 377.71
    assert process["lead_time_hours"] == 13.83
    assert process["critical_path"] == ["research", "draft", "edit", "social"]
    # Added keys, never renamed ones
    assert process["lead_time_days"] == 1.73 and data["total_fte"] == 0.18


def test_candidates_json_matches_the_spec_example(costs: dict) -> None:
    data = json.loads(candidates_report(costs["t1"], fmt="json"))
    research = data["candidates"][0]
    spec = {
        "process": "content-marketing",
        "step": "research",
        "owner": "SEO Specialist",
        "share": 0.5,
        "annual_cost": 4320.0,
        "gross_saving": 2160.0,
        "tool_cost": 0.0,
        "net_saving": 2160.0,
        "setup_cost": 0.0,
        "payback_months": 0.0,
        "roi_percent": None,
    }
    assert data["currency"] == "USD"
    assert list(research)[: len(spec)] == list(spec)
    assert {k: research[k] for k in spec} == spec
    social = data["candidates"][1]
    assert (social["payback_months"], social["roi_percent"]) == (6.18, 24.44)
    assert social["fte_freed"] == 0.01


def test_json_money_uses_the_minor_unit(costs: dict) -> None:
    data = json.loads(cost_report(costs["krw"], fmt="json"))
    memo = next(p for p in data["processes"] if p["id"] == "memo")
    # ₩6,172.5 rounds half-up to ₩6,173; KRW has no minor unit
    assert memo["annual_cost"] == 6173.0
    assert data["total_annual_cost"] == 6246173.0


def test_json_is_deterministic(costs: dict) -> None:
    first = cost_report(costs["library"], fmt="json")
    again = cost_report(cost_portfolio(load_portfolio(ENGLISH)), fmt="json")
    assert first == again
    assert first.endswith("}\n") and "\t" not in first


def test_json_numbers_never_pass_through_float() -> None:
    assert json_number(Decimal("4320.00")) == "4320.0"
    assert json_number(Decimal("96")) == "96.0"
    assert json_number(Decimal("-0.00")) == "0.0"
    assert json_number(Decimal("0.50")) == "0.5"
    big = Decimal("123456789012345678.91")
    assert json_number(big) == "123456789012345678.91"
    assert dump_json({"a": [Decimal("1.10"), None, True, "ü"], "b": []}) == (
        '{\n  "a": [\n    1.1,\n    null,\n    true,\n    "ü"\n  ],\n  "b": []\n}\n'
    )
    with pytest.raises(TypeError):
        dump_json({"x": 1.5})


# --- CSV, tables and Markdown -------------------------------------------------------------------


def test_csv_reads_back_with_plain_numbers(costs: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(cost_report(costs["t1"], fmt="csv"))))
    assert [r["step"] for r in rows] == ["research", "draft", "edit", "social"]  # file order
    assert rows[1]["annual_cost"] == "6857.14" and rows[1]["executions_per_run"] == "1.43"
    assert {r["currency"] for r in rows} == {"USD"}
    total = sum(Decimal(r["annual_cost"]) for r in rows)
    assert total == Decimal("16151.43")


def test_table_sorts_by_cost_and_ends_with_totals(costs: dict) -> None:
    table = cost_report(costs["t1"])
    order = [table.index(f" {step} ") for step in ("draft", "research", "edit", "social")]
    assert order == sorted(order)  # $6,857.14, $4,320.00, $3,714.29, $1,260.00
    assert "Total" in table and "$16,151.43" in table
    assert "critical path: research → draft → edit → social" in table
    assert all(line == line.rstrip() for line in table.splitlines())


def test_table_wraps_to_a_width(costs: dict) -> None:
    narrow = cost_report(costs["library"], width=80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert max(len(line) for line in cost_report(costs["library"]).splitlines()) > 80


def test_fte_is_shown_per_role_and_process(costs: dict) -> None:
    by_role = cost_report(costs["t1"], by="role", fmt="csv")
    assert by_role.splitlines()[0].split(",")[:4] == ["role", "steps", "annual_hours", "fte"]
    by_process = cost_report(costs["t1"], by="process", fmt="markdown")
    assert "| FTE |" in by_process and "| 0.18 |" in by_process
    assert "FTE freed" in candidates_report(costs["t1"])


def test_markdown_escapes_pipes(write_process: Callable[..., Path]) -> None:
    text = (
        "sopkit: 1\nid: p\nname: A | B\nowner: Editor\nfrequency: 1/month\n"
        "steps:\n  - {id: a, name: 'x | y', owner: Editor, time: 1h}\n"
    )
    markdown = cost_report(load_portfolio(write_process(text)), fmt="markdown")
    assert "x \\| y" in markdown


def test_krw_formatting(costs: dict) -> None:
    table = cost_report(costs["krw"], by="role")
    assert "₩6,246,173" in table and "₩6,173" in table
    assert money_text(Decimal("1080000"), "KRW") == "₩1,080,000"
    assert rate_text(Decimal("30000"), "KRW") == "₩30,000"
    assert rate_text(Decimal("42.5"), "USD") == "$42.50"


def test_money_is_rounded_half_up_with_our_digits() -> None:
    assert round_money(Decimal("2.675"), "USD") == Decimal("2.68")
    assert round_money(Decimal("0.5"), "JPY") == 1
    assert money_text(Decimal("4290.005"), "USD") == "$4,290.01"
    # Babel shows RSD with 0 digits; ISO 4217 (and sopkit) has 2: no second rounding
    assert money_text(Decimal("10.50"), "RSD").endswith("10.50")
    assert money_text(Decimal("-0.001"), "USD") == "$0.00"


def test_candidates_filters_and_undefined_figures(costs: dict) -> None:
    table = candidates_report(costs["t1"], top=1)
    assert " research " in table and " social " not in table
    assert "—" in table  # research's ROI is undefined
    assert candidates_report(costs["t1"], min_saving=Decimal(2161), fmt="csv").count("\n") == 1
    everything = len(rank_candidates(costs["t1"]))
    empty = candidates_report(costs["t1"], min_saving=Decimal(10**6))
    assert empty.startswith("Automation candidates (USD)\n") and "Total" not in empty
    assert f"No candidate passes the filters ({everything} candidates without them)." in empty
    assert "Process" not in empty  # no empty table's header
    markdown = candidates_report(costs["t1"], top=0, fmt="markdown")
    # the filters keep no candidate; the steps not yet assessed still deserve a look
    said, pointers = markdown.split(
        f"\n\nNo candidate passes the filters ({everything} candidates without them).\n"
    )
    assert said == "**Automation candidates (USD)**"
    assert pointers.startswith("\n- Not yet assessed, the costliest first")
    assert pointers.count("\n  - ") == len(unassessed_steps(costs["t1"]))


def test_without_automation_shares_it_says_how_to_get_candidates(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles:\n  Writer: {rate: 40}\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    portfolio = cost_portfolio(load_portfolio(tmp_path))
    for fmt in ("table", "markdown"):
        text = candidates_report(portfolio, fmt=fmt)
        assert "No step has an automation share, so there are no candidates" in text
        assert "automation: {share: 0.3}" in text and "Net saving" not in text
    assert candidates_report(portfolio, fmt="csv").startswith("rank,process,step,")
    assert candidates_report(portfolio, fmt="csv").count("\n") == 1


def test_unknown_view_or_format_lists_the_valid_ones(costs: dict) -> None:
    with pytest.raises(SopkitError, match="unknown view 'team'") as caught:
        cost_report(costs["t1"], by="team")
    assert caught.value.hint == "use one of: step, role, process"
    with pytest.raises(SopkitError, match="unknown format 'xlsx'"):
        candidates_report(costs["t1"], fmt="xlsx")
