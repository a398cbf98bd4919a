"""``--explain``: the formula with its numbers, and where every factor came from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from sopkit import SopkitError, load_portfolio
from sopkit.analysis import cost_portfolio
from sopkit.render.costs.explain import explain_step

T1 = ROOT / "tests" / "fixtures" / "t1"
ROLES = "currency: USD\nroles: {Analyst: {rate: 55}, Editor: {rate: 50}}\n"


def process(steps: str, frequency: str = "1/week", extra: str = "") -> str:
    return (
        f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: {frequency}\n{extra}steps:\n{steps}"
    )


def explain(write_process: Callable[..., Path], text: str, step: str = "a") -> str:
    return explain_step(load_portfolio(write_process(text, roles=ROLES)), step)


def test_the_issue_example(write_process: Callable[..., Path]) -> None:
    # 1.5 h × 1 × 52/12 runs × $55 × 12 = 1.5 × 52 × 55 = $4,290.00
    text = explain(write_process, process("  - {id: a, name: A, owner: Analyst, time: 1.5h}\n"))
    assert "1.5 h × 1.00 exec × 4.33 runs/month × $55/h × 12 = $4,290.00" in text
    # 4.33 is shown rounded: 1.5 × 4.33 × 55 × 12 = $4,286.70 ≠ $4,290.00, so it says so
    assert "unrounded" in text and "$4,286.70" in text
    assert "frequency: 1/week → 1 × 52 weeks ÷ 12 months" in text
    assert "hourly rate of Analyst from" in text and "roles.yaml" in text
    assert "per_run 1 (the default); not inside a rework loop" in text
    assert "Annual hours = 1.5 h × 1.00 exec × 4.33 runs/month × 12 = 78.00 h" in text


def test_no_rounding_note_when_the_factors_are_exact() -> None:
    text = explain_step(load_portfolio(T1), "research")
    assert "2 h × 1.00 exec × 4.00 runs/month × $45/h × 12 = $4,320.00" in text
    assert "unrounded" not in text


@pytest.mark.parametrize(
    ("frequency", "shown"),
    [
        ("2/day", "2 × 260 working days a year ÷ 12 months"),
        ("3/month", "3 a month"),
        ("1/quarter", "1 ÷ 3 months"),
        ("6/year", "6 ÷ 12 months"),
    ],
)
def test_frequency_conversions(
    write_process: Callable[..., Path], frequency: str, shown: str
) -> None:
    steps = "  - {id: a, name: A, owner: Editor, time: 1h}\n"
    assert shown in explain(write_process, process(steps, frequency))


def test_units_and_estimates_are_traced(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1d}\n"
        "  - {id: b, name: B, owner: Editor, time: {min: 30m, likely: 1h, max: 2h}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1w}\n"
    )
    text = process(steps)
    assert "time: 1d = 8 h (hours_per_day 8)" in explain(write_process, text, "a")
    b = explain(write_process, text, "b")
    assert "PERT mean of the estimate {min: 30m, likely: 1h, max: 2h}" in b
    assert "(0.5 + 4 × 1 + 2) ÷ 6 = 1.0833 h" in b
    assert "time: 1w = 40 h (days_per_week 5, hours_per_day 8)" in explain(write_process, text, "c")


def test_nested_loops_and_per_run_are_traced(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h, per_run: 2}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " rework: {to: b, probability: 0.2}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b],"
        " rework: {to: a, probability: 0.5}}\n"
    )
    text = explain(write_process, process(steps), "b")
    # b: self loop × 1.25 and inside c → a × 2: 2.5 executions
    assert "per_run 1 (the default) × rework 1.25 × 2 = 2.5" in text
    assert "'b' repeats itself with probability 0.2" in text
    assert "'c' sends work back to 'a' with probability 0.5" in text
    assert "nested loops multiply" in text
    assert "per_run 2 × rework 2 = 4" in explain(write_process, process(steps), "a")


def test_local_rate_and_automation_that_never_pays_back(
    write_process: Callable[..., Path],
) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h,"
        " automation: {share: 0.1, tool: Zap, tool_cost: 1000, setup: 2h}}\n"
    )
    text = explain(write_process, process(steps, "1/month", "roles: {Editor: {rate: 60}}\n"))
    assert "hourly rate of Editor from the process's own 'roles:'" in text
    # 12 h × $60 = $720; gross $72; net 72 − 1,000 = −$928; setup 2 h × $60 = $120
    assert "gross saving   = $720.00 × 10% = $72.00" in text
    assert "net saving     = $72.00 − $1,000.00 tool cost a year = -$928.00" in text
    assert "setup cost     = 2 h × $60/h = $120.00" in text
    assert "payback        = never (the net saving is not above zero" in text
    # ROI (72 − 1,000 − 120) × 100 ÷ 1,120 = −93.57 %
    assert "= -93.57%" in text


def test_lead_time_position() -> None:
    text = explain_step(load_portfolio(T1), "draft")
    assert "starts 10 h into a run" in text and "on the critical path" in text


def test_unknown_process_in_a_reference() -> None:
    with pytest.raises(SopkitError, match="no process 'blog'") as caught:
        explain_step(load_portfolio(T1), "blog/draft")
    assert caught.value.hint == "processes here: content-marketing"
    assert "draft" in explain_step(load_portfolio(T1), "content-marketing/draft")


# --- the additions: every new factor, with the numbers that made it -----------------------

ADDITIONS = ROOT / "tests" / "fixtures" / "additions" / "en"


@pytest.fixture(scope="module")
def launch() -> Callable[[str], str]:
    costs = cost_portfolio(load_portfolio(ADDITIONS))
    return lambda ref: explain_step(costs, ref)


def test_participants_each_at_their_rate_and_kind(launch: Callable[[str], str]) -> None:
    text = launch("launch/press")
    # 4 h × 0.3 of runs × 2 runs a month × 12 = 28.8 h for each person on the step.
    assert (
        "PR Agency (owner, external)              1 × 4 h × 0.30 exec × 2.00 runs/month × "
        "$150/h × 12 = $4,320.00 (28.80 h outside the team)"
    ) in text
    assert (
        "Product Marketing Manager (with, staff)  1 × 4 h × 0.30 exec × 2.00 runs/month × "
        "$70/h × 12 = $2,016.00 (28.80 h of the team)"
    ) in text
    assert "            = $6,336.00" in text
    assert "Hours outside the team = 4 h × 0.30 exec × 2.00 runs/month × 12 × 1 external " in text
    brief = launch("launch/brief")
    assert "Engineering Manager (with, staff)         2 × 1.5 h × 1.00 exec" in brief
    assert "× 12 × 4 staff people = 144.00 h" in brief
    webinar = launch("launch/webinar")
    assert "Customer: $0/h, an external party without a rate (unpaid)" in webinar
    note = launch("launch/note")
    assert "Release Bot (owner, system)  1 × 0.17 h × 0.70 exec × 2.00 runs/month: a system, " in (
        note
    )
    assert "a system role has no rate (kind: system)" in note


def test_chance_and_the_sum_over_answers(launch: Callable[[str], str]) -> None:
    # The format's example: design is sent back (p 0.25) by a legal review only tier-1
    # launches (share 0.3) have: 0.3 × 4/3 + 0.7 × 1 = 1.1 runs per launch.
    design = launch("launch/design")
    assert "per_run 1 (the default) × (0.3 × 4/3 + 0.7 × 1) = 1.1" in design
    assert "big-launch: yes: 0.3 of runs × 4/3" in design
    assert "big-launch: no: 0.7 of runs × 1" in design
    assert "(only in runs where big-launch is yes, when 'legal' runs)" in design
    # Legal itself runs only when yes: 0.3 × 4/3 = 0.4.
    assert "per_run 1 (the default) × (0.3 × 4/3) = 0.4" in launch("launch/legal")
    webinar = launch("launch/webinar")
    assert "per_run 1 (the default) × chance 0.7 = 0.7" in webinar
    assert (
        "runs only when tier (Which launch tier?) is L1 or L2: share of runs = 0.2 + 0.5 = 0.7"
        in (webinar)
    )


def test_a_called_process_with_its_count_and_roles(launch: Callable[[str], str]) -> None:
    text = launch("launch/assets")
    # One asset run: $84.375; 3..7 → PERT 5 × 10/9 executions = 50/9 runs per launch.
    assert "= $84.38 × 5.56 runs × 2.00 runs/month × 12 = $11,250.00" in text
    assert (
        "count 3..7: likely = midpoint (3 + 7) ÷ 2 = 5; PERT mean (3 + 4 × 5 + 7) ÷ 6 = 5" in text
    )
    calls = "× 10/9 executions of this step per run = 50/9 runs of 'asset' per run of 'launch'"
    assert calls in text
    assert "  Designer  staff     1.25 h  $68.75" in text
    # 1.25 h × 50/9 × 24 = 166.67 h; × $55 = $9,166.67.
    assert "  Designer  166.67 h  $9,166.67" in text
    assert (
        "Annual cash costs = $18.75 per run of 'asset' × 5.56 runs × 2.00 runs/month × 12 = "
        in text
    )
    assert "Annual total cost = $11,250.00 labour + $2,500.00 cash = $13,750.00" in text
    assert "It takes the typical-run lead time of 'asset', 1.25 h" in text
    # A step of the called process: its runs are costed in the launch, once.
    draft = launch("asset/draft")
    assert "'asset' also runs when launch runs it: 11.11 runs a month" in draft
    assert "$68.75 labour per run × 11.11 runs a month × 12 = $9,166.67 a year" in draft


def test_cash_costs_milestones_and_the_typical_run(launch: Callable[[str], str]) -> None:
    gifts = launch("launch/gifts")
    assert "= $80.00 × 0.20 exec × 2.00 runs/month × 12 = $384.00" in gifts
    assert "Annual total cost = $108.00 labour + $384.00 cash = $492.00" in gifts
    assert "Paid promotion    $300.00 per run × 2.00 runs/month × 12 = $7,200.00 a year" in gifts
    assert "not in the typical run (its per_run 0.2 is below 0.5)" in gifts
    assert "(the typical run answers big-launch with no)" in launch("launch/legal")
    live = launch("launch/live")
    assert "A milestone: an event, not work." in live
    assert "It costs nothing" in live and "Annual cost" not in live
    assert "Lead time: reached 7 h into a run; on the critical path" in live


def test_korean_role_names_line_up_by_display_width() -> None:
    """str.ljust counts a Hangul syllable as one column, two on screen: ragged columns."""
    from sopkit.render.labels import padded, text_width

    assert [text_width(padded(name, 14)) for name in ("디자이너", "콘텐츠 마케터", "Editor")] == [
        14
    ] * 3
    costs = cost_portfolio(load_portfolio(ROOT / "tests" / "fixtures" / "additions" / "ko"))
    calls = [s for p in costs.processes for s in p.steps if s.calls is not None]
    text = explain_step(costs, f"{calls[0].process_id}/{calls[0].step_id}")
    rows = [
        line
        for line in text.splitlines()
        if line.endswith(("staff", "external")) or " staff " in line
    ]
    assert (
        rows
        and len({text_width(line.split("staff")[0].split("external")[0]) for line in rows}) == 1
    )
