"""The Pareto of steps, by hand: ranking, the vital few and the shares."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pytest

from sopkit import load_portfolio
from sopkit.analysis import PortfolioCost, cost_portfolio, pareto
from sopkit.render.i18n import catalogue
from sopkit.render.numbers import count_share_text
from sopkit.render.report import annual_report
from sopkit.render.site.dashboard import _pareto_note

LANGUAGES = ("en", "ko", "ru")

ROLES = "roles:\n  Writer: {rate: 50}\n"
# Four steps, once a run, a run a month: 10 h, 6 h, 3 h and 1 h of a $50 writer, so a
# year costs $6,000, $3,600, $1,800 and $600.
PROCESS = """\
sopkit: 1
id: p
name: P
owner: Writer
frequency: 1/month
steps:
  - {id: c, name: C, owner: Writer, time: 3h}
  - {id: a, name: A, owner: Writer, time: 10h}
  - {id: d, name: D, owner: Writer, time: 1h}
  - {id: b, name: B, owner: Writer, time: 6h}
"""


def _costs(tmp_path: Path, expenses: str = "") -> PortfolioCost:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PROCESS + expenses, encoding="utf-8")
    return cost_portfolio(load_portfolio(tmp_path))


def test_the_costliest_first_and_the_vital_few(tmp_path: Path) -> None:
    ranked = pareto(_costs(tmp_path))
    assert [s.step_id for s in ranked.steps] == ["a", "b", "c", "d"]
    assert ranked.exact_total == 12000
    # $6,000 is 50 %, below 80 %; with $3,600 it is 80 %: two steps.
    assert ranked.vital == 2
    assert ranked.vital_share == Decimal(80)
    assert ranked.vital_step_share == Decimal(50)
    assert [share for _, share in ranked.running()] == [50, 80, 95, 100]


def test_cash_costs_of_no_step_are_kept_apart(tmp_path: Path) -> None:
    # A $300 a month licence: $3,600 a year that no step holds. The steps' $12,000 is the
    # total ranked (so the running share reaches 100 % and 80 % takes two steps, as
    # without the licence); the licence is named apart: 3,600 ÷ 15,600 = 23.08 %.
    ranked = pareto(_costs(tmp_path, "expenses:\n  - {name: Licence, amount: 300, per: month}\n"))
    assert ranked.exact_total == 12000
    assert ranked.vital == 2
    assert [share for _, share in ranked.running()] == [50, 80, 95, 100]
    assert ranked.exact_outside == 3600
    assert round(ranked.outside_share, 2) == Decimal("23.08")


def test_steps_that_cost_nothing_are_not_ranked(tmp_path: Path) -> None:
    # A milestone, and a call of a procedure whose own steps are costed in the call:
    # the call ranks (1 h a run: $600 a year); the milestone and the procedure's step do not.
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        PROCESS
        + "  - {id: live, name: Live, milestone: true, after: [a]}\n"
        + "  - {id: call, name: Call, process: q, after: [live]}\n",
        encoding="utf-8",
    )
    (tmp_path / "q.yaml").write_text(
        "sopkit: 1\nid: q\nname: Q\nowner: Writer\nsteps:\n"
        "  - {id: x, name: X, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    ranked = pareto(cost_portfolio(load_portfolio(tmp_path)))
    assert [(s.process_id, s.step_id) for s in ranked.steps] == [
        ("p", "a"),
        ("p", "b"),
        ("p", "c"),
        ("p", "call"),
        ("p", "d"),
    ]
    assert ranked.exact_total == 12600


def test_ties_rank_by_process_then_step_whatever_the_file_order(tmp_path: Path) -> None:
    # Two processes, loaded z before a, each with two 2 h steps listed y before x: four
    # steps of $1,200 a year. Ties go by process id, then step id, not by file order.
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    for name, pid in (("1.yaml", "z"), ("2.yaml", "a")):
        (tmp_path / name).write_text(
            PROCESS.split("steps:")[0].replace("id: p", f"id: {pid}")
            + "steps:\n"
            + "  - {id: y, name: Y, owner: Writer, time: 2h}\n"
            + "  - {id: x, name: X, owner: Writer, time: 2h}\n"
            + "  - {id: big, name: Big, owner: Writer, time: 3h}\n",
            encoding="utf-8",
        )
    cost = cost_portfolio(
        load_portfolio(sorted(tmp_path.glob("[12].yaml")), roles=tmp_path / "roles.yaml")
    )
    assert [p.id for p in cost.processes] == ["z", "a"]
    ranked = pareto(cost)
    assert [(s.process_id, s.step_id) for s in ranked.steps] == [
        ("a", "big"),
        ("z", "big"),
        ("a", "x"),
        ("a", "y"),
        ("z", "x"),
        ("z", "y"),
    ]
    assert pareto(cost) is ranked  # ranked once per costed portfolio


@pytest.mark.parametrize(
    ("part", "whole", "en", "ru"),
    [
        (6, 10, "60%", "60%"),  # not 60.00%: ten steps have no hundredths
        (6, 9, "67%", "67%"),  # 66.67 to whole per cent
        (1, 300, "0.3%", "0,3%"),  # whole per cent would read "none of them"
        (299, 300, "99.7%", "99,7%"),  # … or "all of them"
        (10, 10, "100%", "100%"),
    ],
)
def test_a_share_of_a_count_of_steps_is_in_whole_per_cent(
    part: int, whole: int, en: str, ru: str
) -> None:
    assert count_share_text(part, whole) == en == count_share_text(part, whole, "ko")
    assert count_share_text(part, whole, "ru") == ru


def test_the_pareto_notes_give_the_share_of_steps_in_whole_per_cent(tmp_path: Path) -> None:
    # Three steps of 10 h, 6 h and 1 h ($6,000, $3,600 and $600 a year): the first makes
    # 58.82 %, the first two 94.12 %, so 2 of 3 steps (66.67 %, shown 67 %) make 80 %.
    three = PROCESS.replace("  - {id: c, name: C, owner: Writer, time: 3h}\n", "")
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(three, encoding="utf-8")
    cost = cost_portfolio(load_portfolio(tmp_path))
    ranked = pareto(cost)
    assert (ranked.vital, len(ranked.steps)) == (2, 3)
    notes = {language: _pareto_note(cost, ranked, catalogue(language)) for language in LANGUAGES}
    assert notes["en"].startswith("2 of 3 steps with a cost (67%) account for 94.12%")
    assert "3개 중 2개(67%)가" in notes["ko"]
    assert "На 2 из 3 шагов с затратами (67%) приходится 94,12%" in notes["ru"]
    # With cash costs of no step, the report says it in the same words as the dashboard.
    (tmp_path / "p.yaml").write_text(
        three + "expenses:\n  - {name: Licence, amount: 300, per: month}\n", encoding="utf-8"
    )
    cost = cost_portfolio(load_portfolio(tmp_path))
    note = _pareto_note(cost, pareto(cost), catalogue("en"))
    assert note.startswith("2 of 3 steps with a cost (67%) make 94.12% of what the steps cost")
    report = html.unescape(annual_report(cost, fmt="html", ranges=None).decode("utf-8"))
    assert note in report and "(66.67%)" not in report
