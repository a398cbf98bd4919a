"""``--explain``: the formula with its numbers, and where every factor came from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from sopkit import SopkitError, load_portfolio
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
