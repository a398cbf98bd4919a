"""Annual cost by hand: every figure below was worked out on paper first.

Rates come from ``DEFAULT_ROLES`` in conftest: Content Writer 40, SEO
Specialist 45, Editor 50, Social Media Manager 35 (USD); 8 h a day, 5 days a
week, 260 working days a year. The formula is
``hours × executions per run × runs per month × rate × 12``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import ROOT

from sopkit import SopkitError, load_portfolio, load_process
from sopkit.analysis import (
    cost_portfolio,
    cost_process,
    executions_per_run,
    rework_loops,
    runs_per_month,
)
from sopkit.models import Frequency
from sopkit.render.numbers import money_text, round_money, round_number

FIXTURES = ROOT / "tests" / "fixtures"
D = Decimal


def process(steps: str, frequency: str = "4/month", extra: str = "") -> str:
    """A process file around ``steps`` (YAML list items indented by two spaces)."""
    return (
        f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: {frequency}\n{extra}steps:\n{steps}"
    )


ONE_HOUR_EDIT = "  - {id: a, name: A, owner: Editor, time: 1h}\n"


# --- frequency: runs per month ------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "runs", "hours", "cost"),
    [
        # 2/day: 2 × 260 working days ÷ 12 = 43.33 runs; 1 h × 43.33 × 12 = 520 h; × $50
        ("2/day", Fraction(130, 3), D(520), D(26000)),
        # 1/week: 52 ÷ 12 = 4.33 runs; 4.33 × 12 = 52 h; × $50 = $2,600
        ("1/week", Fraction(13, 3), D(52), D(2600)),
        # 3/month: 3 runs; 36 h; $1,800
        ("3/month", Fraction(3), D(36), D(1800)),
        # 1/quarter: 1 ÷ 3 runs; 4 h; $200
        ("1/quarter", Fraction(1, 3), D(4), D(200)),
        # 6/year: 6 ÷ 12 = 0.5 runs; 6 h; $300
        ("6/year", Fraction(1, 2), D(6), D(300)),
    ],
)
def test_each_frequency_period(
    write_process: Callable[..., Path], frequency: str, runs: Fraction, hours: D, cost: D
) -> None:
    costed = cost_process(load_process(write_process(process(ONE_HOUR_EDIT, frequency))))
    assert runs_per_month(Frequency.parse(frequency), D(260)) == runs
    assert costed.steps[0].annual_hours == hours
    assert costed.annual_cost == cost
    assert costed.annual_hours == hours


def test_daily_frequency_uses_the_working_days_of_roles_yaml(
    write_process: Callable[..., Path],
) -> None:
    roles = "currency: USD\nworking_days_per_year: 240\nroles: {Editor: {rate: 50}}\n"
    path = write_process(process(ONE_HOUR_EDIT, "1/day"), roles=roles)
    # 1 × 240 ÷ 12 = 20 runs a month; 1 h × 20 × 12 = 240 h; × $50 = $12,000
    costed = cost_process(load_process(path))
    assert costed.runs_per_month == 20
    assert costed.annual_cost == 12000


def test_the_spec_example_research_step() -> None:
    # 2 h × 1 × 4 runs × 12 = 96 h; × $45 = $4,320 (the format's own example)
    costed = cost_process(load_process(FIXTURES / "t1" / "cm.yaml"))
    research = costed.step("research")
    assert (research.annual_hours, research.annual_cost) == (96, 4320)


def test_the_spec_example_whole_process() -> None:
    costed = cost_process(load_process(FIXTURES / "t1" / "cm.yaml"))
    # draft: PERT of 1h..4h = 2.5 h; in the edit → draft loop (p 0.3): × 10/7;
    #        2.5 × 10/7 × 4 × 12 = 1200/7 h = 171.43 h; × $40 = $6,857.14
    # edit:  PERT (0.5 + 4 + 2) / 6 = 13/12 h; × 10/7 × 48 = 520/7 h = 74.29 h; × $50 = $3,714.29
    # social: 15m × per_run 3 × 48 = 36 h; × $35 = $1,260
    # total: 4,320 + 48,000/7 + 26,000/7 + 1,260 = 5,580 + 74,000/7 = $16,151.43
    assert round_money(costed.step("draft").annual_cost, "USD") == D("6857.14")
    assert round_money(costed.step("edit").annual_cost, "USD") == D("3714.29")
    assert costed.step("social").annual_cost == 1260
    assert costed.exact_annual_cost == 5580 + Fraction(74000, 7)
    assert round_money(costed.annual_cost, "USD") == D("16151.43")
    assert round_number(costed.annual_hours) == D("377.71")  # 132 + 1720/7


# --- executions per run: per_run and rework --------------------------------------------------


def test_per_run_multiplies_executions(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: social, name: S, owner: Social Media Manager, time: 15m, per_run: 3}\n"
        "  - {id: brief, name: B, owner: SEO Specialist, time: 2h, per_run: 0.2}\n"
    )
    costed = cost_process(load_process(write_process(process(steps))))
    # social: 0.25 h × 3 × 4 × 12 = 36 h; × $35 = $1,260
    assert costed.step("social").annual_cost == 1260
    # brief (in 20% of runs): 2 h × 0.2 × 4 × 12 = 19.2 h; × $45 = $864
    assert costed.step("brief").annual_hours == D("19.2")
    assert costed.step("brief").annual_cost == 864


def test_a_single_rework_loop(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Content Writer, time: 2h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " rework: {to: a, probability: 0.2}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b]}\n"
    )
    costed = cost_process(load_process(write_process(process(steps))))
    # a and b run 1 / (1 − 0.2) = 1.25 times; c, after the loop, once.
    # a: 2 h × 1.25 × 4 × 12 = 120 h × $40 = $4,800; b: 60 h × $50 = $3,000; c: 48 h = $2,400
    assert [s.executions_per_run for s in costed.steps] == [D("1.25"), D("1.25"), 1]
    assert [s.annual_cost for s in costed.steps] == [4800, 3000, 2400]


def test_a_self_loop_repeats_only_that_step(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Content Writer, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " rework: {to: b, probability: 0.5}}\n"
    )
    costed = cost_process(load_process(write_process(process(steps))))
    # b runs 1 / (1 − 0.5) = 2 times: 1 h × 2 × 4 × 12 = 96 h × $50 = $4,800; a once: 48 h × $40
    assert costed.step("b").executions_per_run == 2
    assert costed.step("b").annual_cost == 4800
    assert costed.step("a").annual_cost == 1920


def test_nested_loops_multiply_and_a_side_branch_is_outside(
    write_process: Callable[..., Path],
) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a]}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b],"
        " rework: {to: b, probability: 0.2}}\n"
        "  - {id: d, name: D, owner: Editor, time: 1h, after: [c],"
        " rework: {to: a, probability: 0.5}}\n"
        "  - {id: x, name: X, owner: Editor, time: 1h, after: [a]}\n"
        "  - {id: y, name: Y, owner: Editor, time: 1h, after: [c],"
        " rework: {to: y, probability: 0.2}}\n"
    )
    loaded = load_process(write_process(process(steps, "1/month")))
    # d → a (p 0.5) covers a, b, c, d: × 2. c → b (p 0.2) covers b, c: × 1.25.
    # y's self loop (p 0.2): × 1.25 for y alone. x hangs off a, on no path to d: × 1.
    assert executions_per_run(loaded) == {
        "a": 2,
        "b": D("2.5"),
        "c": D("2.5"),
        "d": 2,
        "x": 1,
        "y": D("1.25"),
    }
    assert [loop.step for loop in rework_loops(loaded)["c"]] == ["c", "d"]
    # 1 run a month, 1 h each, $50: hours = executions × 12 → 24 + 30 + 30 + 24 + 12 + 15 = 135 h
    costed = cost_process(loaded)
    assert costed.annual_hours == 135
    assert costed.annual_cost == 6750


def test_three_loops_nest(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h, rework: {to: a, probability: 0.5}}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " rework: {to: a, probability: 0.5}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b],"
        " rework: {to: a, probability: 0.75}}\n"
    )
    # a sits in all three loops: 2 × 2 × 4 = 16; b in two: 2 × 4 = 8; c in one: 4
    loaded = load_process(write_process(process(steps)))
    assert executions_per_run(loaded) == {"a": 16, "b": 8, "c": 4}


def test_zero_probability_rework_repeats_nothing(write_process: Callable[..., Path]) -> None:
    steps = "  - {id: a, name: A, owner: Editor, time: 1h, rework: {to: a, probability: 0}}\n"
    loaded = load_process(write_process(process(steps)))
    assert executions_per_run(loaded) == {"a": 1}


# --- durations: ranges and three-point estimates ----------------------------------------------


@pytest.mark.parametrize(
    ("time", "hours"),
    [
        ("1h..4h", Fraction(5, 2)),  # likely = 2.5; (1 + 10 + 4) / 6 = 2.5
        ("{min: 30m, likely: 1h, max: 2h}", Fraction(13, 12)),  # (0.5 + 4 + 2) / 6
        ("{min: 1d, likely: 1.5d, max: 1w}", Fraction(16)),  # (8 + 48 + 40) / 6 = 16
        ("{min: 1h, max: 3h}", Fraction(2)),  # no likely: midpoint 2 → 2
        ("2h30m", Fraction(5, 2)),
        ("20m", Fraction(1, 3)),
        ("1.5d", Fraction(12)),
    ],
)
def test_expected_hours(write_process: Callable[..., Path], time: str, hours: Fraction) -> None:
    steps = f"  - {{id: a, name: A, owner: Editor, time: '{time}'}}\n"
    if time.startswith("{"):
        steps = f"  - {{id: a, name: A, owner: Editor, time: {time}}}\n"
    costed = cost_process(load_process(write_process(process(steps, "1/month"))))
    step = costed.steps[0]
    assert abs(Fraction(step.hours_per_execution) - hours) < Fraction(1, 10**30)
    assert step.exact_annual_hours == hours * 12


def test_thirds_of_an_hour_stay_exact(write_process: Callable[..., Path]) -> None:
    # 20m × 3 runs a month × 12 = 12 h exactly, not 11.999…
    steps = "  - {id: a, name: A, owner: Editor, time: 20m}\n"
    costed = cost_process(load_process(write_process(process(steps, "3/month"))))
    assert costed.steps[0].annual_hours == 12
    assert costed.annual_cost == 600


def test_half_a_cent_rounds_up_even_through_thirds(write_process: Callable[..., Path]) -> None:
    # 20m × 1 run × 12 = 4 h exactly; × $10.00125 = $40.005 exactly → half-up → $40.01.
    # With 1/3 h held as 0.3333… the product would fall just below and round to $40.00.
    roles = "currency: USD\nroles: {Editor: {rate: 10.00125}}\n"
    steps = "  - {id: a, name: A, owner: Editor, time: 20m}\n"
    costed = cost_process(load_process(write_process(process(steps, "1/month"), roles=roles)))
    assert costed.annual_cost == D("40.005")
    assert money_text(costed.annual_cost, "USD") == "$40.01"


def test_local_roles_override_the_roles_file(write_process: Callable[..., Path]) -> None:
    extra = "roles: {Editor: {rate: 60}}\n"
    costed = cost_process(load_process(write_process(process(ONE_HOUR_EDIT, extra=extra))))
    # 1 h × 4 × 12 = 48 h × $60 (the process's own rate, not the file's $50) = $2,880
    assert costed.annual_cost == 2880


# --- roles, FTE and portfolios ----------------------------------------------------------------


def test_roles_sum_steps_and_fte(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 10h}\n"
        "  - {id: b, name: B, owner: Editor, time: 10h, after: [a]}\n"
        "  - {id: c, name: C, owner: Content Writer, time: 1h, after: [b]}\n"
    )
    costed = cost_process(load_process(write_process(process(steps, "13/month"))))
    # Editor: 20 h × 13 × 12 = 3,120 h = 1.5 FTE (3,120 ÷ (260 × 8)); × $50 = $156,000
    # Content Writer: 156 h × $40 = $6,240 = 0.075 FTE
    editor, writer = costed.by_role()
    assert (editor.role, editor.annual_hours, editor.annual_cost) == ("Editor", 3120, 156000)
    assert editor.fte == D("1.5")
    assert (writer.annual_cost, writer.fte) == (6240, D("0.075"))
    assert costed.fte == D("1.575")


def test_krw_portfolio() -> None:
    costs = cost_portfolio(load_portfolio(FIXTURES / "krw"))
    # blog-ko: write 3 h × 4 × 12 = 144 h × ₩30,000 = ₩4,320,000; review 48 h × ₩40,000
    #          = ₩1,920,000. memo: 30m × 1/12 run × 12 = 0.5 h × ₩12,345 = ₩6,172.5
    assert costs.currency == "KRW"
    assert [p.annual_cost for p in costs.processes] == [6240000, D("6172.5")]
    assert costs.annual_cost == D("6246172.5")
    # KRW shows whole won, rounded half-up: ₩6,172.5 → ₩6,173
    assert money_text(costs.process("memo").annual_cost, "KRW") == "₩6,173"
    assert money_text(costs.annual_cost, "KRW") == "₩6,246,173"
    assert money_text(costs.annual_cost, "KRW", "ko") == "₩6,246,173"
    assert round_money(D("6172.5"), "JPY") == 6173
    # FTE: 250 working days × 8 h = 2,000 h a year; 192.5 h = 0.09625
    assert costs.fte == D("0.09625")


def test_mixed_currencies_are_refused() -> None:
    with pytest.raises(SopkitError, match="more than one currency: EUR .*USD"):
        load_portfolio(FIXTURES / "mixed")
    usd = load_process(FIXTURES / "mixed" / "usd.yaml")
    eur = load_process(FIXTURES / "mixed" / "eur" / "eur.yaml")
    with pytest.raises(SopkitError, match="more than one currency: EUR, USD"):
        cost_portfolio([usd, eur])


def test_empty_portfolio_costs_nothing() -> None:
    costs = cost_portfolio([])
    assert (costs.annual_cost, costs.annual_hours, costs.roles) == (0, 0, ())


def test_a_process_built_in_python_without_a_rate_is_a_clear_error() -> None:
    from sopkit.models import Process, Settings

    data = {
        "sopkit": 1,
        "id": "p",
        "name": "P",
        "owner": "Editor",
        "frequency": "1/month",
        "steps": [{"id": "a", "name": "A", "owner": "Nobody", "time": "1h"}],
    }
    built = Process.model_validate(data).bind(Settings(roles={"Editor": {"rate": 50}}))
    with pytest.raises(SopkitError, match="owner 'Nobody' is not among the roles, so it has no"):
        cost_process(built)


def test_hours_and_cost_per_run_are_exact(write_process: Callable[..., Path]) -> None:
    # 1/week: 13/3 runs a month. One run is 1 h, $50, whatever the rounding of 4.33…
    costed = cost_process(load_process(write_process(process(ONE_HOUR_EDIT, "1/week"))))
    assert (costed.hours_per_run, costed.cost_per_run) == (1, 50)


def test_a_role_s_steps_count_the_work_once_when_the_called_process_is_a_row_too() -> None:
    """Work done inside a called process shows in the call and in the process's own
    steps; with both in one report, the role's steps count it once (its own steps)."""
    from sopkit.load import load_portfolio

    library = cost_portfolio(load_portfolio(ROOT / "processes" / "en"))
    writer = next(r for r in library.roles if r.role == "Technical Writer")
    own = library.steps_of(writer)
    assert len(own) == len(writer.steps) - 1
    assert all(step.calls is None for step in own)
