"""A removed step's wait: carried onto the steps before it where that holds back exactly
what it held back, else dropped, and said either way. Lead times worked out by hand.

Every process here has 8 h days and 5-day weeks; a step's weight in the lead time is
its time + its wait, and a step starts when the last step before it (and its wait) is
done.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.analysis import cost_portfolio
from sopkit.analysis.compare import Dropped, RemovedWait
from sopkit.cli import app
from sopkit.decide import apply_scenario, compare_scenarios, load_scenario
from sopkit.decide.waits import plus_wait
from sopkit.errors import SopkitError
from sopkit.load import load_portfolio
from sopkit.models import Clock, Estimate
from sopkit.render.costs.scenarios import removed_wait_text, scenarios_report
from sopkit.render.i18n import catalogue

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
roles:
  Writer: {rate: 40}
"""
HEAD = "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 4/month\n"


def step(
    step_id: str, time: str, after: str = "", extra: str = "", *, wait: str | None = None
) -> str:
    text = f"  - id: {step_id}\n    name: {step_id.title()}\n    owner: Writer\n    time: {time}\n"
    if after:
        text += f"    after: [{after}]\n"
    if wait is not None:
        text += f"    wait: {wait}\n"
    return text + extra


def folder_with(tmp_path: Path, steps: str, head: str = HEAD) -> Path:
    folder = tmp_path / "processes"
    folder.mkdir(parents=True)
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (folder / "p.yaml").write_text(head + "steps:\n" + steps, encoding="utf-8")
    return folder


def scenario(tmp_path: Path, *changes: str) -> Path:
    path = tmp_path / "scenario.yaml"
    body = "".join(f"  - {change}\n" for change in changes)
    path.write_text(f"sopkit-scenario: 1\nname: Leaner\nchanges:\n{body}", encoding="utf-8")
    return path


def lead_times(folder: Path, path: Path) -> tuple[Fraction, Fraction, tuple[RemovedWait, ...]]:
    """The lead time of ``p`` as it is and after the scenario, and the scenario's waits."""
    portfolio = load_portfolio(folder)
    to_be = apply_scenario(portfolio, load_scenario(path))
    before = cost_portfolio(portfolio).process("p").schedule.exact_lead_time_hours
    after = cost_portfolio(to_be.portfolio).process("p").schedule.exact_lead_time_hours
    return before, after, to_be.waits


def test_the_wait_moves_onto_the_step_before(tmp_path: Path) -> None:
    """a 1h → b 2h, wait 3h → c 1h: 1 + 2 + 3 + 1 = 7 h. Without b, a carries its 3 h
    wait: 1 + 3 + 1 = 5 h (not 2 h, the wait lost)."""
    folder = folder_with(
        tmp_path, step("a", "1h") + step("b", "2h", "a", wait="3h") + step("c", "1h", "b")
    )
    before, after, waits = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (7, 5)
    (wait,) = waits
    assert (wait.step_id, wait.name, str(wait.wait), wait.hours) == ("b", "B", "3h", 3)
    assert (wait.onto, wait.dropped) == (("a",), None)
    to_be = apply_scenario(load_portfolio(folder), load_scenario(tmp_path / "scenario.yaml"))
    (process,) = to_be.portfolio.processes
    assert str(process.step("a").wait) == "3h"
    assert process.step("c").after == ["a"]


def test_every_step_before_carries_it_and_the_latest_sets_the_start(tmp_path: Path) -> None:
    """a 1h and x 2h + wait 1h → b 1h, wait 4h → c 1h: b starts at 3, ends at 3 + 1 + 4
    = 8, c ends at 9. Without b: a ends at 1 + 4 = 5, x at 2 + 1 + 4 = 7, c at 8."""
    steps = (
        step("a", "1h")
        + step("x", "2h", wait="1h")
        + step("b", "1h", "a, x", wait="4h")
        + step("c", "1h", "b")
    )
    folder = folder_with(tmp_path, steps)
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (9, 8)
    assert wait.onto == ("a", "x")
    to_be = apply_scenario(load_portfolio(folder), load_scenario(tmp_path / "scenario.yaml"))
    (process,) = to_be.portfolio.processes
    assert [str(process.step(s).wait) for s in ("a", "x")] == ["4h", "5h"]


def test_a_step_before_that_also_comes_before_a_step_after_carries_it(tmp_path: Path) -> None:
    """The library's blog post: measure comes after publish and social, so a wait on
    publish holds back nothing social's did not. a 1h → b 15m, wait 1w → c 30m, c also
    after a: 1 + 0.25 + 40 + 0.5 = 41.75 h; without b, 1 + 40 + 0.5 = 41.5 h."""
    steps = step("a", "1h") + step("b", "15m", "a", wait="1w") + step("c", "30m", "a, b")
    folder = folder_with(tmp_path, steps)
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (Fraction(167, 4), Fraction(83, 2))
    assert wait.onto == ("a",) and wait.hours == 40


def test_a_step_before_with_another_step_after_it_drops_the_wait(tmp_path: Path) -> None:
    """a 1h → b 1h, wait 4h → c 1h, and a → d 30m: a wait on a would hold back d too, so
    the wait is dropped: 7 h → 1 + 1 = 2 h, and the report says why."""
    steps = (
        step("a", "1h")
        + step("b", "1h", "a", wait="4h")
        + step("c", "1h", "b")
        + step("d", "30m", "a")
    )
    folder = folder_with(tmp_path, steps)
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (7, 2)
    assert (wait.onto, wait.dropped, wait.before, wait.other) == (
        (),
        Dropped.OTHER_STEPS_AFTER,
        "a",
        "d",
    )
    assert removed_wait_text(wait, catalogue("en")) == (
        "the wait after removed step p/b (4 h) no longer counts in the lead time: p/a also "
        "comes before p/d, which the wait did not hold back; to keep it, make the step a "
        "milestone instead of removing it"
    )


def test_a_first_step_s_wait_is_dropped(tmp_path: Path) -> None:
    """b 1h, wait 1d → c 1h: 1 + 8 + 1 = 10 h; without b nothing comes before c: 1 h."""
    folder = folder_with(tmp_path, step("b", "1h", wait="1d") + step("c", "1h", "b"))
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (10, 1)
    assert (wait.dropped, wait.before) == (Dropped.NO_STEP_BEFORE, None)
    assert removed_wait_text(wait, catalogue("en")).endswith(
        "no longer counts in the lead time: no step comes before it to carry the wait; to "
        "keep it, make the step a milestone instead of removing it"
    )


def test_a_wait_counted_in_other_runs_is_not_carried(tmp_path: Path) -> None:
    """b runs in one run of five (per_run 0.2): outside the typical run, its wait is in no
    typical lead time (a 1h + c 1h = 2 h). On a, which runs every time, it would add 4 h
    to every run: it is dropped, and the lead time stays 2 h."""
    steps = (
        step("a", "1h")
        + step("b", "1h", "a", "    per_run: 0.2\n", wait="4h")
        + step("c", "1h", "b")
    )
    folder = folder_with(tmp_path, steps)
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (2, 2)
    assert (wait.dropped, wait.before, wait.typical) == (Dropped.OTHER_RUNS, "a", False)
    # it never counted in the lead time, so the note does not say it no longer does
    assert removed_wait_text(wait, catalogue("en")) == (
        "the wait after removed step p/b (4 h) goes with it: p/a does not run "
        "in exactly the runs it ran in (a condition, or not in every run); the step was not "
        "in the typical run, so the lead time never counted the wait; to keep it for the "
        "runs that take the step, make the step a milestone instead of removing it"
    )


def test_conditions_must_match_for_the_wait_to_move(tmp_path: Path) -> None:
    """Under the same condition, b's wait moves onto a; a condition only b has keeps it."""
    head = HEAD + "conditions:\n  big: {question: Is it big?, share: 0.8}\n"
    when = "    when: big\n"
    same = step("a", "1h", "", when) + step("b", "1h", "a", when, wait="4h")
    folder = folder_with(tmp_path / "same", same + step("c", "1h", "b"), head)
    *_, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert wait.onto == ("a",)
    other = step("a", "1h") + step("b", "1h", "a", when, wait="4h")
    folder = folder_with(tmp_path / "other", other + step("c", "1h", "b"), head)
    before, after, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (before, after) == (7, 2)  # big is likely: the typical run has b
    assert (wait.dropped, wait.before) == (Dropped.OTHER_RUNS, "a")


def test_a_step_before_that_sends_work_back_drops_the_wait(tmp_path: Path) -> None:
    rework = "    rework: {to: a, probability: 0.2}\n"
    steps = step("a", "1h", "", rework) + step("b", "1h", "a", wait="4h") + step("c", "1h", "b")
    folder = folder_with(tmp_path, steps)
    *_, (wait,) = lead_times(folder, scenario(tmp_path, "remove: p/b"))
    assert (wait.dropped, wait.before) == (Dropped.REWORK, "a")


def test_ranges_add_end_to_end() -> None:
    """1h..3h (PERT 2 h) + {1d, 2d, 4d} (8 + 64 + 32 = 104 / 6 h): 1d1h, 2d2h, 4d3h, whose
    PERT mean (9 + 72 + 35) / 6 = 116 / 6 h is the sum of the two."""
    clock = Clock(hours_per_day=8, days_per_week=5)  # type: ignore[arg-type]
    first = Estimate.parse("1h..3h")
    second = Estimate.parse({"min": "1d", "likely": "2d", "max": "4d"})
    both = plus_wait(first, second)
    assert (str(both.low), str(both.likely), str(both.high)) == ("1d1h", "2d2h", "4d3h")
    assert both.expected_hours(clock) == first.expected_hours(clock) + second.expected_hours(clock)
    assert str(plus_wait(Estimate.parse("1h..3h"), Estimate.parse("1w"))) == "1w1h..1w3h"
    assert plus_wait(Estimate.parse("0"), second) is second


def test_a_carried_wait_carries_on_when_its_step_goes_too(tmp_path: Path) -> None:
    """Remove b, then a: b's 3 h moves onto a, then a's onto s: s 30m + 3 h → c 1h."""
    steps = (
        step("s", "30m")
        + step("a", "1h", "s")
        + step("b", "2h", "a", wait="3h")
        + step("c", "1h", "b")
    )
    folder = folder_with(tmp_path, steps)
    before, after, waits = lead_times(folder, scenario(tmp_path, "remove: [p/b, p/a]"))
    assert (before, after) == (Fraction(15, 2), Fraction(9, 2))
    # a has no wait of its own: what moved onto s is b's, said at b and summed at a
    assert [(w.step_id, str(w.wait), w.carries, w.moved_hours, w.onto) for w in waits] == [
        ("b", "3h", (), 3, ("a",)),
        ("a", "0", ("b",), 3, ("s",)),
    ]
    assert "(3 h, the wait of removed step p/b carried onto it) now follows p/s" in (
        removed_wait_text(waits[1], catalogue("en"))
    )


#: b 2h, wait 1d..3d (16 h) → c 1h, wait {1d, 2d, 4d} (8 + 64 + 32 = 104 / 6 h), after a.
CHAIN = (
    step("a", "1h")
    + step("b", "2h", "a", wait="1d..3d")
    + step("c", "1h", "b", wait="{min: 1d, likely: 2d, max: 4d}")
    + step("d", "1h", "c")
)


@pytest.mark.parametrize(
    "changes",
    [("remove: [p/c, p/b]",), ("remove: p/c", "remove: p/b")],
    ids=["one-change", "two-changes"],
)
def test_each_removed_wait_is_said_once_and_the_sum_where_it_went(
    tmp_path: Path, changes: tuple[str, ...]
) -> None:
    """c's wait (17.33 h, 2.17 days) moves onto b, then b's own (16 h, 2 days) with it onto
    a: 104/6 + 16 = 200/6 h (4.17 days) moved, said once, not b's 4.17 beside c's 2.17.
    The lead time keeps both waits: 1 + (2 + 16) + (1 + 104/6) + 1 → 1 + 200/6 + 1."""
    folder = folder_with(tmp_path, CHAIN)
    before, after, waits = lead_times(folder, scenario(tmp_path, *changes))
    assert before - after == 3  # only b's and c's hours of work
    c, b = waits
    assert (c.step_id, str(c.wait), c.carries, c.moved_hours) == (
        "c",
        "1d/2d/4d",
        (),
        52 / Fraction(3),
    )
    assert (b.step_id, str(b.wait), b.carries, b.moved_hours) == (
        "b",
        "1d..3d",
        ("c",),
        100 / Fraction(3),
    )
    assert removed_wait_text(b, catalogue("en")) == (
        "the wait after removed step p/b (2 working days; 4.17 working days with the wait of "
        "removed step p/c carried onto it) now follows p/a, so the steps after it still wait "
        "as long as before"
    )
    path = scenario(tmp_path, *changes)
    document = json.loads(scenarios_report(compare_scenarios(folder, [path]), fmt="json"))
    shown = document["scenarios"][0]["removed_waits"]
    assert [(w["wait"], w["wait_hours"], w["with_waits_of"], w["moved_hours"]) for w in shown] == [
        ({"min": "1d", "likely": "2d", "max": "4d"}, 17.33, [], 17.33),
        ("1d..3d", 16.0, ["c"], 33.33),
    ]


def test_a_wait_set_anew_is_the_step_s_own(tmp_path: Path) -> None:
    """A wait set after c's was carried onto b replaces it: b's own is then the new one."""
    changes = ("remove: p/c", "set: {process: p, step: b, wait: 1d}", "remove: p/b")
    *_, (_, b) = lead_times(folder_with(tmp_path, CHAIN), scenario(tmp_path, *changes))
    assert (str(b.wait), b.carries, b.moved) == ("1d", (), None)


def test_no_word_of_a_wait_in_a_process_removed_later(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, step("a", "1h") + step("b", "1h", "a", wait="3h") + step("c", "1h", "b")
    )
    (tmp_path / "processes" / "q.yaml").write_text(
        HEAD.replace("id: p", "id: q") + "steps:\n" + step("x", "1h"), encoding="utf-8"
    )
    path = scenario(tmp_path, "remove: p/b", "remove: p")
    to_be = apply_scenario(load_portfolio(folder), load_scenario(path))
    assert to_be.waits == ()


def test_a_carried_wait_too_long_is_reported_at_the_removal(tmp_path: Path) -> None:
    """87,000 h + 1,000 h is beyond the 87,600 h a wait may be: the removal is at fault."""
    steps = (
        step("a", "1h", wait="87000h") + step("b", "1h", "a", wait="1000h") + step("c", "1h", "b")
    )
    folder = folder_with(tmp_path, steps)
    path = scenario(tmp_path, "remove: p/b")
    with pytest.raises(SopkitError) as caught:
        apply_scenario(load_portfolio(folder), load_scenario(path))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (str(path), 4)
    assert problem.message == "step 'a': wait of 88000h is more than 87600 hours"


# --- what the reports say ----------------------------------------------------------------


BLOG = (
    step("publish", "30m")
    + step("social", "15m", "publish", wait="4w")
    + step("measure", "30m", "publish, social")
)


def test_compare_says_where_the_wait_went(tmp_path: Path) -> None:
    """publish 30m → social 15m, wait 4w (160 h) → measure 30m: 160.75 + 0.5 = 161.25 h
    (20.16 days); without social, publish carries the 4w: 0.5 + 160 + 0.5 = 161 h (20.13
    days), not 1 h (0.13 days)."""
    folder = folder_with(tmp_path, BLOG)
    path = scenario(tmp_path, "remove: p/social")
    result = CliRunner().invoke(app, ["compare", str(folder), "--scenario", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == scenarios_report(compare_scenarios(folder, [path]))
    lead = next(line for line in result.stdout.splitlines() if "Lead time d" in line)
    assert lead.split()[-2:] == ["20.16", "20.13"]
    assert (
        "Leaner: the wait after removed step p/social (20 working days) now follows "
        "p/publish, so the steps after it still wait as long as before." in result.stdout
    )
    shown = CliRunner().invoke(
        app, ["compare", str(folder), "--scenario", str(path), "--format", "json"]
    )
    (scenario_document,) = json.loads(shown.stdout)["scenarios"]
    assert scenario_document["removed_waits"] == [
        {
            "process": "p",
            "step": "social",
            "name": "Social",
            "wait": "4w",
            "wait_hours": 160.0,
            "in_typical_run": True,
            "with_waits_of": [],
            "moved_hours": 160.0,
            "carried_onto": ["publish"],
            "dropped": None,
            "note": "the wait after removed step p/social (20 working days) now follows "
            "p/publish, so the steps after it still wait as long as before",
        }
    ]
    # The wait publish now carries is an edit of publish, as sopkit diff would say it.
    publish = next(e for e in scenario_document["edited"] if e["key"] == "p/publish")
    assert publish["changes"] == [{"field": "wait", "before": None, "after": "4w"}]


def test_compare_says_a_wait_was_dropped_in_json_too(tmp_path: Path) -> None:
    steps = BLOG + step("archive", "15m", "publish")
    folder = folder_with(tmp_path, steps)
    path = scenario(tmp_path, "remove: p/social")
    document = json.loads(scenarios_report(compare_scenarios(folder, [path]), fmt="json"))
    (wait,) = document["scenarios"][0]["removed_waits"]
    assert (wait["carried_onto"], wait["dropped"]) == (
        [],
        {"reason": "other_steps_after", "step": "publish", "other": "archive"},
    )


@pytest.mark.parametrize(
    ("language", "carried", "dropped"),
    [
        (
            "ko",
            "삭제한 단계 p/b 뒤의 대기(4시간)는 이제 p/a 뒤에 오므로",
            "p/a은(는) p/d 앞에도 있어",
        ),
        (
            "ru",
            "ожидание после удалённого шага p/b (4 ч) теперь идёт после p/a",
            "шаг p/a идёт и перед шагом p/d",
        ),
    ],
)
def test_the_notes_in_korean_and_russian(language: str, carried: str, dropped: str) -> None:
    t = catalogue(language)
    clock = Clock(hours_per_day=8, days_per_week=5)  # type: ignore[arg-type]
    parts = ("p", "b", "B", Estimate.parse("4h"), clock)
    assert carried in removed_wait_text(RemovedWait(*parts, onto=("a",)), t)
    gone = RemovedWait(*parts, dropped=Dropped.OTHER_STEPS_AFTER, before="a", other="d")
    assert dropped in removed_wait_text(gone, t)


def test_a_milestone_keeps_a_wait_that_would_be_dropped(tmp_path: Path) -> None:
    """The docs' recipe: b as a milestone keeps its 4 h wait and costs nothing: a 1h + 4 h
    + c 1h = 6 h, where removing it (a also before d) leaves 2 h."""
    steps = (
        step("a", "1h")
        + step("b", "1h", "a", wait="4h")
        + step("c", "1h", "b")
        + step("d", "30m", "a")
    )
    folder = folder_with(tmp_path, steps)
    path = scenario(tmp_path, "set: {process: p, step: b, milestone: true, time: null}")
    before, after, waits = lead_times(folder, path)
    assert (before, after, waits) == (7, 6, ())
    to_be = apply_scenario(load_portfolio(folder), load_scenario(path))
    assert cost_portfolio(to_be.portfolio).process("p").step("b").exact_annual_cost == 0
