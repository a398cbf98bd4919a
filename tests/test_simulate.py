"""Ranges by simulation, checked against exact distributions and hand-worked figures.

Quantiles of a single PERT-Beta step are compared with SciPy's exact Beta
quantiles; lead-time distributions with the longest path worked out by hand
for every answer; means with the cost report, whose exact formula the
simulation's mean must converge to. Tolerances are several standard errors
wide at the number of years each test uses, and the seeds are fixed, so the
tests are deterministic.
"""

from __future__ import annotations

import tempfile
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sopkit import load_portfolio, load_process
from sopkit.analysis import cost_portfolio, cost_process
from sopkit.analysis.simulation import Range, simulate
from sopkit.errors import SopkitError

ROLES = """\
currency: USD
hours_per_day: 8
roles:
  Writer: {rate: 40}
  Editor: {rate: 50}
  Freelancer: {rate: 70, kind: external}
  Customer: {kind: external}
  Bot: {kind: system}
"""


def write(folder: Path, text: str, name: str = "p.yaml") -> Path:
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def process_text(steps: str, extra: str = "", frequency: str = "1/month", pid: str = "p") -> str:
    head = f"sopkit: 1\nid: {pid}\nname: P\nowner: Editor\nfrequency: {frequency}\n"
    return (
        head + textwrap.dedent(extra) + "steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")
    )


def close(actual: Decimal, expected: float, relative: float) -> bool:
    return abs(float(actual) - expected) <= relative * abs(expected)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


# --- nothing uncertain ------------------------------------------------------------------


FIXED = """\
- id: kickoff
  name: Kick-off
  owner: Editor
  with: {Writer: 2, Freelancer: 1, Customer: 1, Bot: 1}
  time: 1h
  wait: 1d
- {id: notes, name: Notes, owner: Bot, time: 10m, after: [kickoff]}
- {id: draft, name: Draft, owner: Writer, time: 20m, per_run: 3, after: [kickoff], expense: 5}
- {id: ship, name: Ship, milestone: true, after: [notes, draft]}
"""


def test_nothing_uncertain_gives_one_figure(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(FIXED, "expenses:\n  - {name: Tool, amount: 1200, per: year}\n", "1/week"),
    )
    cost = cost_process(load_process(path))
    result = simulate([load_process(path)], years=200, seed=3).process("p")
    # 52 runs a year. Kick-off: Editor 1 h × 50 + Writers 2 h × 40 + Freelancer 1 h × 70
    # (Customer and Bot cost nothing) = 200 a run; draft 3 × 1/3 h × 40 = 40 a run.
    # 240 × 52 = 12,480. Staff hours: (1 + 2 + 1) × 52 = 208; external (1 + 1) × 52 = 104.
    assert cost.annual_cost == 12480
    for figure, expected in [
        (result.annual_cost, Decimal(12480)),
        (result.annual_total_cost, Decimal(12480 + 15 * 52 + 1200)),
        (result.annual_hours, Decimal(208)),
        (result.external_hours, Decimal(104)),
        (result.lead_time_hours, cost.schedule.lead_time_hours),
    ]:
        assert (cents(figure.p10), cents(figure.p50), cents(figure.p90)) == (cents(expected),) * 3
        assert cents(figure.mean) == cents(expected)
        assert figure.is_fixed
    assert cost.annual_total_cost == 12480 + 780 + 1200
    # Lead time: kick-off 1 h + 1 d wait (8 h), then the 20-minute draft.
    assert cents(result.lead_time_hours.p50) == Decimal("9.33")
    assert cents(result.lead_time_days.p50) == cents(Decimal("9.333333") / 8)


@settings(max_examples=25, deadline=None)
@given(
    times=st.lists(
        st.sampled_from(["10m", "20m", "45m", "1h", "2.5h", "1d"]), min_size=1, max_size=4
    ),
    per_run=st.lists(st.integers(1, 3), min_size=4, max_size=4),
    frequency=st.sampled_from(["1/week", "2/month", "3/day", "1/quarter", "5/year"]),
    helpers=st.integers(0, 2),
)
def test_without_uncertainty_every_quantile_is_the_cost_report(
    times: list[str], per_run: list[int], frequency: str, helpers: int
) -> None:
    steps = ""
    for i, time in enumerate(times):
        extra = f", with: {{Editor: {helpers}, Freelancer: 1}}" if helpers else ""
        extra += f", after: [s{i - 1}]" if i else ""
        steps += (
            f"- {{id: s{i}, name: S, owner: Writer, time: {time}, per_run: {per_run[i]}{extra}}}\n"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), process_text(steps, frequency=frequency))
        cost = cost_process(load_process(path))
        result = simulate([load_process(path)], years=100, seed=0).process("p")
    for figure, exact in [
        (result.annual_cost, cost.annual_cost),
        (result.annual_hours, cost.annual_hours),
        (result.external_hours, cost.external_hours),
        (result.lead_time_hours, cost.schedule.lead_time_hours),
    ]:
        assert figure.is_fixed
        assert cents(figure.p50) == cents(exact) == cents(figure.mean)


# --- one three-point estimate against the exact PERT-Beta quantiles ----------------------


def test_quantiles_of_one_estimate_match_the_exact_pert_beta(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text("- {id: a, name: A, owner: Editor, time: {min: 1h, likely: 2h, max: 6h}}"),
    )
    result = simulate([load_process(path)], years=100_000, seed=1).process("p")
    # α = 1 + 4 (2 − 1)/(6 − 1) = 1.8, β = 1 + 4 (6 − 2)/(6 − 1) = 4.2; time = 1 + 5 · Beta.
    # A year: 12 runs × 50 an hour × the year's time, drawn once for the year.
    alpha, beta = 1.8, 4.2
    for quantile, value in [(0.1, result.annual_cost.p10), (0.5, result.annual_cost.p50)]:
        assert close(value, 600 * (1 + 5 * stats.beta.ppf(quantile, alpha, beta)), 0.01)
    assert close(result.annual_cost.p90, 600 * (1 + 5 * stats.beta.ppf(0.9, alpha, beta)), 0.01)
    # The PERT mean (1 + 4 × 2 + 6) / 6 = 2.5 h: 1,500 a year.
    assert close(result.annual_cost.mean, 1500, 0.005)
    # One run's lead time is one draw of the same estimate.
    for quantile, value in [
        (0.1, result.lead_time_hours.p10),
        (0.5, result.lead_time_hours.p50),
        (0.9, result.lead_time_hours.p90),
    ]:
        assert close(value, 1 + 5 * stats.beta.ppf(quantile, alpha, beta), 0.01)


# --- the mean converges to the cost report ----------------------------------------------

EVERYTHING = """\
- {id: brief, name: Brief, owner: Editor, time: 30m..1h}
- id: draft
  name: Draft
  owner: Writer
  after: [brief]
  time: {min: 2h, likely: 3h, max: 6h}
  when: {tier: [L1, L2]}
- id: graphics
  name: Graphics
  owner: Freelancer
  after: [draft]
  time: 1h..2h
  per_run: 0.3
  expense: 25
- id: edit
  name: Edit
  owner: Editor
  with: [Writer]
  after: [graphics]
  time: 45m
  per_run: 2.5
  rework: {to: graphics, probability: 0.4}
- id: legal
  name: Legal review
  owner: Editor
  after: [edit]
  time: 1h..3h
  when: big
  rework: {to: draft, probability: 0.25}
- {id: press, name: Press note, owner: Writer, after: [legal], time: 1h, when: {big: false}}
- {id: done, name: Done, milestone: true, after: [press]}
"""

CONDITIONS = """\
conditions:
  big: {question: Is this a big launch?, share: 0.3}
  tier: {question: Which tier?, options: {L1: 0.2, L2: 0.5, L3: 0.3}}
expenses:
  - {name: Per run, amount: 10, per: run}
  - {name: Platform, amount: 600, per: year}
"""


def test_the_mean_matches_the_cost_report(tmp_path: Path) -> None:
    path = write(tmp_path, process_text(EVERYTHING, CONDITIONS, "3/month"))
    cost = cost_process(load_process(path))
    # Nested loops: edit sends back to graphics (always live), and legal (only when big)
    # sends back to draft, which holds graphics and edit too.
    assert cost.step("graphics").rework and len(cost.step("graphics").rework) == 2
    result = simulate([load_process(path)], years=100_000, seed=7).process("p")
    assert close(result.annual_cost.mean, float(cost.annual_cost), 0.005)
    assert close(result.annual_total_cost.mean, float(cost.annual_total_cost), 0.005)
    assert close(result.annual_hours.mean, float(cost.annual_hours), 0.005)
    assert close(result.external_hours.mean, float(cost.external_hours), 0.005)
    assert result.annual_cost.p10 < result.annual_cost.p50 < result.annual_cost.p90


# --- steps that name the same condition run together ------------------------------------


def test_steps_naming_one_condition_run_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 1h, when: big}
            - {id: b, name: B, owner: Editor, time: 1h, when: big}
            """,
            "conditions:\n  big: {question: Big?, share: 0.3}\n",
            "1/year",
        ),
    )
    result = simulate([load_process(path)], years=10_000, seed=2).process("p")
    # One run a year: both steps (2 h) in 30% of years, neither in 70%. Were they
    # drawn apart, a year would have 1 h in 42% of years and P90 would be 1 h.
    hours = result.annual_hours
    assert (hours.p10, hours.p50, hours.p90) == (0, 0, 2)
    assert close(hours.mean, 0.6, 0.05)


# --- lead time of one run ---------------------------------------------------------------


def test_lead_time_of_a_two_branch_process(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: start, name: Start, owner: Editor, time: 1h}
            - {id: press, name: Press, owner: Editor, time: 8h, after: [start], when: big}
            - {id: note, name: Note, owner: Writer, time: 3h, after: [start]}
            - {id: publish, name: Publish, owner: Editor, time: 1h, after: [press, note]}
            """,
            "conditions:\n  big: {question: Big?, share: 0.3}\n",
        ),
    )
    lead = simulate([load_process(path)], years=20_000, seed=5).process("p").lead_time_hours
    # By hand: 1 + max(8, 3) + 1 = 10 h in the 30% of runs with the press branch,
    # 1 + 3 + 1 = 5 h in the other 70%. Mean 0.3 × 10 + 0.7 × 5 = 6.5.
    assert (lead.p10, lead.p50, lead.p90) == (5, 5, 10)
    assert close(lead.mean, 6.5, 0.01)


def test_lead_time_of_two_uncertain_branches_side_by_side(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 1h..3h}
            - {id: b, name: B, owner: Writer, time: 1h..3h}
            """
        ),
    )
    lead = simulate([load_process(path)], years=100_000, seed=6).process("p").lead_time_hours
    # Lead time = max(A, B), A and B independent 1 + 2 · Beta(3, 3) (a bare range's likely
    # is its midpoint). P(max ≤ t) = F(t)², so the q-quantile is F⁻¹(√q).
    for q, value in [(0.1, lead.p10), (0.5, lead.p50), (0.9, lead.p90)]:
        assert close(value, 1 + 2 * stats.beta.ppf(q**0.5, 3, 3), 0.01)


def test_rework_replays_after_the_sending_step(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: a, name: A, owner: Writer, time: 2h}
            - id: b
              name: B
              owner: Editor
              time: 1h
              after: [a]
              rework: {to: a, probability: 0.3}
            - {id: side, name: Side, owner: Writer, time: 3h, after: [a]}
            - {id: c, name: C, owner: Editor, time: 1h, after: [b, side]}
            """
        ),
    )
    lead = simulate([load_process(path)], years=50_000, seed=8).process("p").lead_time_hours
    # k passes (P(k) = 0.3^(k−1) × 0.7): b finishes at 3 + 3 (k − 1) = 3k; side (after the
    # first pass of a) at 5; c starts at max(3k, 5): 6 h for k = 1, 7 for k = 2, 10 for 3.
    # P(k ≤ 2) = 0.91 > 0.9, so P90 = 7. Mean: 0.7 × 5 + 3 (E[k] − 0.7) + 1 with E[k] = 1/0.7.
    assert (lead.p10, lead.p50, lead.p90) == (6, 6, 7)
    assert close(lead.mean, 0.7 * 5 + 3 * (1 / 0.7 - 0.7) + 1, 0.01)


def test_a_nested_loop_replays_within_every_outer_pass(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: a, name: A, owner: Writer, time: 1h}
            - id: b
              name: B
              owner: Editor
              time: 1h
              after: [a]
              rework: {to: b, probability: 0.5}
            - id: c
              name: C
              owner: Editor
              time: 1h
              after: [b]
              rework: {to: a, probability: 0.2}
            """
        ),
    )
    process = load_process(path)
    result = simulate([process], years=100_000, seed=9).process("p")
    # Each outer pass takes a + b × (its own inner passes) + c; the outer loop goes round
    # 1/0.8 times on average and the inner 1/0.5: E = 1.25 × (1 + 2 + 1) = 5 h.
    assert close(result.lead_time_hours.mean, 5.0, 0.01)
    # Hours a year: a 1.25, b 1.25 × 2 = 2.5, c 1.25 executions a run, 12 runs.
    assert close(result.annual_hours.mean, 12 * 5.0, 0.005)
    assert cost_process(process).annual_hours == 60


# --- sub-procedures ---------------------------------------------------------------------

CALLER = """\
sopkit: 1
id: post
name: Release post
owner: Editor
frequency: 1/month
steps:
  - {id: write, name: Write intro, owner: Writer, time: 1h}
  - {id: items, name: Feature write-ups, process: item, count: 2..4, after: [write]}
  - {id: review, name: Review, owner: Editor, time: 1h, after: [items]}
"""

CALLEE = """\
sopkit: 1
id: item
name: One feature write-up
owner: Editor
frequency: 5/month
steps:
  - {id: draft, name: Draft, owner: Writer, time: 30m}
  - {id: check, name: Check, owner: Editor, time: 15m, after: [draft], expense: 2}
"""


def test_a_call_with_a_range_count(tmp_path: Path) -> None:
    write(tmp_path, CALLEE, "item.yaml")
    write(tmp_path, CALLER, "post.yaml")
    portfolio = load_portfolio(tmp_path)
    costs = cost_portfolio(portfolio)
    result = simulate(portfolio, years=100_000, seed=11)
    post, item = result.process("post"), result.process("item")
    # One item: 0.5 h × 40 + 0.25 h × 50 = 32.50 and 2.00 expenses. The year's count C is
    # 2 + 2 · Beta(3, 3) (mean 3): 12 calls make ⌊C⌋ × 12 + Binomial(12, C − ⌊C⌋) items.
    # Labour: write 480 + review 600 + 32.50 × 36 = 2,250 on average.
    assert costs.process("post").annual_cost == 2250
    assert close(post.annual_cost.mean, 2250, 0.005)
    assert close(post.annual_total_cost.mean, 2250 + 2 * 36, 0.005)
    # The spread is the count's: 1,080 + 390 · C, C's quantiles from Beta(3, 3).
    for q, value in [(0.1, post.annual_cost.p10), (0.9, post.annual_cost.p90)]:
        assert close(value, 1080 + 390 * (2 + 2 * stats.beta.ppf(q, 3, 3)), 0.02)
    # The item's own 60 runs a year are its own row, fixed: 32.50 × 60 = 1,950.
    assert item.annual_cost.is_fixed and item.annual_cost.p50 == 1950
    assert close(result.annual_cost.mean, float(costs.annual_cost), 0.005)
    # Lead time: 1 h + one item (0.75 h, items side by side) + 1 h.
    assert post.lead_time_hours.is_fixed and post.lead_time_hours.p50 == Decimal("2.75")


def test_a_called_process_uses_the_same_years_estimates_everywhere(tmp_path: Path) -> None:
    write(tmp_path, CALLEE.replace("time: 30m", "time: 20m..40m"), "item.yaml")
    write(tmp_path, CALLER.replace("count: 2..4", "count: 3"), "post.yaml")
    result = simulate(load_portfolio(tmp_path), years=1_000, seed=4)
    # 36 items in post and 60 of its own each year, with the same draft time that year:
    # the two rows move together, so the total's spread is the sum of theirs.
    post, item = result.process("post"), result.process("item")
    spread = (post.annual_cost.p90 - post.annual_cost.p10) + (
        item.annual_cost.p90 - item.annual_cost.p10
    )
    assert abs(result.annual_cost.p90 - result.annual_cost.p10 - spread) < Decimal("0.01")


# --- expenses ---------------------------------------------------------------------------


def test_expenses_per_execution_per_run_and_fixed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            "- {id: a, name: A, owner: Editor, time: 1h, expense: 50, per_run: 1.5}\n",
            """\
            expenses:
              - {name: Per run, amount: 100, per: run}
              - {name: Per month, amount: 10, per: month}
              - {name: Per year, amount: 500, per: year}
            """,
            "2/month",
        ),
    )
    result = simulate([load_process(path)], years=100_000, seed=12).process("p")
    # 24 runs; a runs 1 or 2 times a run (1.5 on average): 36 executions a year on average.
    # Labour 36 × 50 = 1,800; expenses 36 × 50 + 24 × 100 + 120 + 500 = 4,820.
    assert close(result.annual_cost.mean, 1800, 0.005)
    assert close(result.annual_total_cost.mean, 1800 + 4820, 0.005)
    # Fewest executions in a year: 24 (no second one in any run); each execution costs
    # 100 with its expense, so the total never falls below 24 × 100 + 3,020.
    assert result.annual_total_cost.p10 >= 24 * 100 + 3020


# --- determinism and inputs ---------------------------------------------------------------


def test_the_same_seed_gives_the_same_figures(tmp_path: Path) -> None:
    path = write(tmp_path, process_text(EVERYTHING, CONDITIONS))
    first = simulate([load_process(path)], years=2_000, seed=42)
    again = simulate([load_process(path)], years=2_000, seed=42)
    other = simulate([load_process(path)], years=2_000, seed=43)
    assert first == again
    assert first.process("p").annual_cost != other.process("p").annual_cost


def test_a_process_keeps_its_figures_whatever_else_is_simulated(tmp_path: Path) -> None:
    write(tmp_path, process_text(EVERYTHING, CONDITIONS), "p.yaml")
    write(tmp_path, process_text(EVERYTHING, CONDITIONS, pid="q"), "q.yaml")
    alone = simulate([load_process(tmp_path / "p.yaml")], years=1_000, seed=1)
    together = simulate(load_portfolio(tmp_path), years=1_000, seed=1)
    assert together.process("p") == alone.process("p")
    # Same file, another id: another stream.
    assert together.process("q").annual_cost != together.process("p").annual_cost


@pytest.mark.parametrize(("years", "seed"), [(99, 0), (1_000_001, 0), (1000, -1)])
def test_years_and_seed_out_of_range(tmp_path: Path, years: int, seed: int) -> None:
    path = write(tmp_path, process_text(FIXED))
    with pytest.raises(SopkitError):
        simulate([load_process(path)], years=years, seed=seed)


def test_missing_rates_are_refused_as_by_the_cost_report(tmp_path: Path) -> None:
    path = write(tmp_path, process_text("- {id: a, name: A, owner: Nobody, time: 1h}"))
    with pytest.raises(
        SopkitError, match="'Nobody' is not among the roles, so it has no hourly rate"
    ):
        simulate([load_process(path)], years=100)


def test_a_range_scales_to_days() -> None:
    hours = Range(Decimal(16), Decimal(8), Decimal(12), Decimal(20))
    days = hours.scaled(Decimal(1) / 8)
    assert (days.mean, days.p10, days.p50, days.p90) == (2, 1, Decimal("1.5"), Decimal("2.5"))
    assert hours.scaled(Decimal(1) / 3).p10 == Decimal("2.666667")


def test_a_loop_that_almost_always_goes_round_still_ends(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        process_text(
            """\
            - {id: a, name: A, owner: Writer, time: 1h}
            - id: b
              name: B
              owner: Editor
              time: 1h
              after: [a]
              rework: {to: b, probability: 0.5}
            - id: c
              name: C
              owner: Editor
              time: 1h
              after: [b]
              rework: {to: a, probability: 0.99}
            """
        ),
    )
    lead = simulate([load_process(path)], years=20_000, seed=10).process("p").lead_time_hours
    # 100 outer passes on average (some runs have hundreds), each 1 + 2 + 1 h on average.
    assert close(lead.mean, 100 * 4.0, 0.03)


def test_runs_in_blocks_give_the_same_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sopkit.analysis.simulation import lead as lead_module

    monkeypatch.setattr(lead_module, "_CELLS", 4 * 997)  # blocks of 997 runs, the last shorter
    test_lead_time_of_a_two_branch_process(tmp_path)
    test_rework_replays_after_the_sending_step(tmp_path)


@pytest.mark.parametrize("portfolio", ["en", "ko", "ru"])
def test_every_library_process_converges_to_its_cost_report(portfolio: str) -> None:
    """The library's processes use every addition (conditions, calls with ranges, expenses,
    external and system roles, nested rework): each mean lands within 0.5% of the report."""
    from conftest import PROCESSES

    costs = cost_portfolio(load_portfolio(PROCESSES / portfolio))
    result = simulate(costs, years=50_000, seed=21)
    for process in costs.processes:
        simulated = result.process(process.id)
        for figure in ("annual_cost", "annual_total_cost", "annual_hours", "external_hours"):
            expected = float(getattr(process, figure))
            assert close(getattr(simulated, figure).mean, expected, 0.005), (process.id, figure)
    assert close(result.annual_total_cost.mean, float(costs.annual_total_cost), 0.005)
