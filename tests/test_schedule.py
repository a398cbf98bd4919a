"""Lead time and the critical path, worked by hand.

Lead time is the longest path through the ``after`` graph weighted by
``time + wait`` (expected values, one execution, no rework), in working hours;
a day is 8 hours here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from conftest import ROOT

from sopkit import load_process
from sopkit.analysis import schedule, to_decimal
from sopkit.render.numbers import round_number


def process(steps: str) -> str:
    return f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/week\nsteps:\n{steps}"


def test_parallel_branches_with_waits(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: start, name: S, owner: Editor, time: 1h, wait: 2h}\n"
        "  - {id: a, name: A, owner: Editor, time: 3h, after: [start]}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, wait: 1d, after: [start]}\n"
        "  - {id: join, name: J, owner: Editor, time: 2h, after: [a, b]}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    # start→a→join: (1 + 2) + 3 + 2 = 8 h; start→b→join: 3 + (1 + 8) + 2 = 14 h
    assert result.lead_time_hours == 14
    assert result.lead_time_days == Decimal("1.75")
    assert result.critical_path == ("start", "b", "join")
    assert result.earliest_start == {"start": 0, "a": 3, "b": 3, "join": 12}
    assert result.earliest_finish["a"] == 6
    assert result.is_critical("b") and not result.is_critical("a")
    assert result.critical_edges() == {("start", "b"), ("b", "join")}


def test_rework_and_per_run_do_not_lengthen_one_run(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h..4h, per_run: 3}\n"
        "  - {id: b, name: B, owner: Editor, time: {min: 30m, likely: 1h, max: 2h},"
        " after: [a], rework: {to: a, probability: 0.5}}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    # PERT means, once each: 2.5 h + 13/12 h = 43/12 h = 3.5833 h
    assert result.lead_time_hours == to_decimal(Fraction(43, 12))
    assert result.critical_path == ("a", "b")


def test_the_longest_end_wins_and_the_last_wait_counts(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: short, name: S, owner: Editor, time: 1h, wait: 1w, after: [a]}\n"
        "  - {id: long, name: L, owner: Editor, time: 5h, after: [a]}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    # a→short: 1 + 1 + 1w (5 d × 8 h = 40 h) = 42 h beats a→long: 6 h
    assert result.lead_time_hours == 42
    assert result.critical_path == ("a", "short")


def test_ties_go_to_the_step_listed_first(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: y, name: Y, owner: Editor, time: 2h, after: [a]}\n"
        "  - {id: x, name: X, owner: Editor, time: 2h, after: [a]}\n"
        "  - {id: z, name: Z, owner: Editor, time: 1h, after: [x, y]}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    assert result.lead_time_hours == 4
    assert result.critical_path == ("a", "y", "z")


def test_separate_chains(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 3h}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [a]}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    assert (result.lead_time_hours, result.critical_path) == (3, ("b",))


def test_the_spec_example() -> None:
    result = schedule(load_process(ROOT / "tests" / "fixtures" / "t1" / "cm.yaml"))
    # research 2 h + wait 1 d (8 h) + draft 2.5 h + edit 13/12 h + social 15m = 13.83 h
    assert result.critical_path == ("research", "draft", "edit", "social")
    assert result.lead_time_hours == to_decimal(Fraction(166, 12))
    assert result.lead_time_days == to_decimal(Fraction(166, 96))  # ÷ 8 h a day
    assert str(round_number(result.lead_time_hours)) == "13.83"


def test_a_milestone_that_ends_the_run_ends_the_critical_path(
    write_process: Callable[..., Path],
) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 2h, after: [a]}\n"
        "  - {id: side, name: Side, owner: Editor, time: 3h}\n"
        "  - {id: ships, name: Ships, milestone: true, after: [b]}\n"
    )
    result = schedule(load_process(write_process(process(steps))))
    # a 1 h + b 2 h, then the event (no time). "side" ends at 3 h too and b ties with it
    # as listed first; the event after b finishes as late, so the path runs on into it.
    assert result.lead_time_hours == 3
    assert result.critical_path == ("a", "b", "ships")
