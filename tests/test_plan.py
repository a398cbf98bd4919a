"""Dated plans: working days, forward and backward runs, due dates, the calendar file, the chart.

The small process below is worked by hand on a calendar with a weekend
(Saturday, Sunday) and one holiday, Friday 2026-12-25, at 8 hours a day:

    a  1d                      → Thu 12-24 (h 0–8)
    b  2d after a, wait 1d     → Mon 12-28 – Tue 12-29 (h 8–24), waits until Wed 12-30 (h 32)
    m  milestone after b       → Wed 12-30 (h 32: the end of day 3)
    c  4h after m, due m -1d   → Thu 12-31 (h 32–36); due Tue 12-29, ends h 24: 1.5 days late
    d  1d after a, due m -2d   → Mon 12-28 (h 8–16); due Mon 12-28, ends h 16: slack 0
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from swimlane_svg import SVG
from typer.testing import CliRunner

from sopkit.analysis.plan import WorkingDays, plan_run
from sopkit.cli import app
from sopkit.errors import SopkitError, UsageError
from sopkit.load import load_process
from sopkit.models import Language, Process, Weekday
from sopkit.render.diagram import to_svg
from sopkit.render.diagram.scene import Label, Rect, walk
from sopkit.render.plan import (
    gantt_scene,
    plan_calendar,
    plan_document,
    plan_ics,
    plan_report,
    render_plan,
)
from sopkit.render.plan.gantt import day_width, key_kinds

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "tests" / "fixtures" / "launch" / "product-launch.yaml"

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
calendar:
  weekend: [sat, sun]
  holidays: [2026-12-25]
roles:
  Writer: {rate: 40}
  Editor: {rate: 50}
"""

PROCESS = """\
sopkit: 1
id: small
name: Small launch
owner: Editor
frequency: 1/month
steps:
  - {id: a, name: Write, owner: Writer, time: 1d}
  - {id: b, name: Review, owner: Editor, time: 2d, after: a, wait: 1d}
  - {id: m, name: Go live, milestone: true, after: b}
  - {id: c, name: Announce, owner: Writer, time: 4h, after: m, due: {milestone: m, offset: -1d}}
  - {id: d, name: Prepare, owner: Writer, time: 1d, after: a, due: {milestone: m, offset: -2d}}
"""


@pytest.fixture
def small(write_process: Any) -> Process:
    return load_process(write_process(PROCESS, name="small.yaml", roles=ROLES))


def D(text: str) -> dt.date:  # noqa: N802 - reads like a literal
    return dt.date.fromisoformat(text)


# --- working days -----------------------------------------------------------------------


def test_working_days_skip_weekends_and_holidays() -> None:
    days = WorkingDays(frozenset({5, 6}), frozenset({D("2026-12-25")}))
    assert days.is_working(D("2026-12-24")) and not days.is_working(D("2026-12-25"))
    assert not days.is_working(D("2026-12-26")) and days.is_working(D("2026-12-28"))
    assert days.on_or_after(D("2026-12-25")) == D("2026-12-28")
    assert days.shift(D("2026-12-24"), 1) == D("2026-12-28")
    assert days.shift(D("2026-12-28"), -1) == D("2026-12-24")
    assert days.shift(D("2026-12-24"), 0) == D("2026-12-24")
    assert days.between(D("2026-12-24"), D("2026-12-29")) == 2
    assert days.between(D("2026-12-29"), D("2026-12-24")) == -2


# --- forward and backward ---------------------------------------------------------------


def test_forward_plan_across_a_weekend_and_a_holiday(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-24"))
    dates = {s.step_id: (s.start, s.finish, s.wait_until) for s in plan.steps}
    assert dates == {
        "a": (D("2026-12-24"), D("2026-12-24"), None),
        "b": (D("2026-12-28"), D("2026-12-29"), D("2026-12-30")),
        "m": (D("2026-12-30"), D("2026-12-30"), None),
        "c": (D("2026-12-31"), D("2026-12-31"), None),
        "d": (D("2026-12-28"), D("2026-12-28"), None),
    }
    assert (plan.start, plan.finish, plan.asked_start) == (D("2026-12-24"), D("2026-12-31"), None)
    assert plan.lead_time_days == Decimal("4.5")
    assert [s.step_id for s in plan.steps] == ["a", "b", "d", "m", "c"]  # by start, then file
    assert plan.step("b").work_days == 2 and plan.step("m").work_days == 0


def test_a_start_on_a_holiday_moves_to_the_next_working_day(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-25"))
    assert (plan.start, plan.asked_start) == (D("2026-12-28"), D("2026-12-25"))
    assert plan.step("m").start == D("2026-12-31")  # 28, 29, 30 (wait), then m at the end of 31


@pytest.mark.parametrize(
    "day, why",
    [
        ("2026-12-25", "2026-12-25 (Friday) is not a working day: a holiday in the calendar"),
        ("2026-12-26", "2026-12-26 (Saturday) is not a working day: a weekend day in the calendar"),
    ],
)
def test_a_moved_start_says_why_as_a_refused_milestone_date_does(
    small: Process, day: str, why: str
) -> None:
    """A trial's --start 2027-12-24 said only "is not a working day"; --at said why. The
    Korean particle agrees with 요일 (a trial read "(화요일)은(는)")."""
    with pytest.raises(UsageError) as caught:
        plan_run(small, at=("m", D(day)))
    assert caught.value.message == why
    table = " ".join(plan_report(plan_run(small, start=D(day))).split())
    assert f"{why}; the run starts on 2026-12-28." in table
    korean = small.model_copy(update={"language": Language.KO})
    assert "2026-12-25(금요일)은 달력에 있는 공휴일이므로 2026-12-28에 시작합니다." in (
        plan_report(plan_run(korean, start=D("2026-12-25")))
    )
    russian = small.model_copy(update={"language": Language.RU})
    assert "26.12.2026 (суббота) — нерабочий день (выходной по календарю): запуск начинается " in (
        plan_report(plan_run(russian, start=D("2026-12-26")))
    )


@pytest.mark.parametrize(
    "milestone_day, first_day",
    [
        ("2026-12-30", "2026-12-24"),  # back over the weekend and the holiday
        ("2027-01-06", "2027-01-01"),  # 1 January is a working day on this calendar
    ],
)
def test_backward_plan_puts_the_milestone_on_the_date(
    small: Process, milestone_day: str, first_day: str
) -> None:
    plan = plan_run(small, at=("m", D(milestone_day)))
    assert plan.start == D(first_day)
    assert plan.step("m").start == plan.step("m").finish == D(milestone_day)
    assert plan.anchor == ("m", D(milestone_day))
    forward = plan_run(small, start=D(first_day))
    assert [(s.start, s.finish) for s in forward.steps] == [(s.start, s.finish) for s in plan.steps]


def test_a_missed_due_date_is_a_located_warning_with_the_slack(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-24"))
    late, on_time = plan.step("c"), plan.step("d")
    assert (late.due, late.due_text, late.slack_days) == (D("2026-12-29"), "m -1d", Decimal("-1.5"))
    assert late.late and not on_time.late
    assert (on_time.due, on_time.slack_days) == (D("2026-12-28"), Decimal(0))
    (miss,) = plan.misses
    problem = miss.problem
    assert miss.step_id == "c" and problem.severity == "warning"
    assert problem.path is not None and problem.path.endswith("small.yaml") and problem.line == 10
    assert "cannot be done by its due date 2026-12-29 (m -1d)" in problem.message
    assert "the earliest the steps allow is 2026-12-31, 1.5 working days late" in problem.message
    # 'c' comes after the milestone: no start date helps, only a later due date
    assert problem.hint == (
        "this step comes after 'm', so no start date gets it done sooner after it: give it "
        "an offset of at least +1d, or count it from a later milestone"
    )
    assert "1.5 working days late" in problem.message


def test_a_due_date_further_before_the_milestone_than_the_work_between_says_so(
    write_process: Any,
) -> None:
    """'a' ends 2 working days of review and 1 of waiting before 'm' in every plan from a
    start date: a due date 4 days before 'm' is missed whatever the start, so the hint says
    what to change. Not in every plan: placed by 'm', 'm' waits a day for its date (due
    ⌈8 ÷ 8⌉ − 1 + 4 = day 4 for 'm', which falls on day 3) and the date is met, so the
    hint offers that plan first (it said 'in every plan … whatever the start date')."""
    text = PROCESS.replace("time: 1d}\n", "time: 1d, due: {milestone: m, offset: -4d}}\n", 1)
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    for first in (D("2026-12-01"), D("2027-06-01")):
        (miss,) = [m for m in plan_run(process, start=first).misses if m.step_id == "a"]
        assert miss.problem.hint == (
            "'m' comes 3 working days after this step ends in every plan from a start date "
            "(the work and waits between them): plan back from 'm' (--at m=DATE), where it "
            "waits 1 working day for its date, or ask for fewer days before 'm', or, if you "
            "plan slack there, give this step a wait of 1d or more (wait: 1d): it then ends "
            "that much sooner before 'm'"
        )
    # And that wait meets the date.
    waited = text.replace(
        "due: {milestone: m, offset: -4d}", "wait: 1d, due: {milestone: m, offset: -4d}"
    )
    process = load_process(write_process(waited, name="waited.yaml", roles=ROLES))
    assert not [m for m in plan_run(process, start=D("2026-12-01")).misses if m.step_id == "a"]


#: 'emails' (6 h after a 1-day brief) is due 10 working days before 'live', which waits for the
#: landing page too: 8 days after the brief. Nothing comes between 'emails' and 'live': the
#: 7.25 working days between them are spare time, so 'emails' ends 2.75 days late, and a wait on
#: it moves 'live' only once it outlasts those 7.25 days.
WEBINAR = """\
sopkit: 1
id: webinar
name: Webinar
owner: Editor
frequency: 1/month
steps:
  - {id: brief, name: Brief, owner: Editor, time: 1d}
  - {id: emails, name: Invitation emails, owner: Writer, time: 6h, after: brief, due: {milestone: live, offset: -10d}}
  - {id: site, name: Landing page, owner: Editor, time: 8d, after: brief}
  - {id: live, name: Webinar live, milestone: true, after: [emails, site]}
"""  # noqa: E501


def _emails_miss(process: Process, **placed: Any) -> Any:
    found = [m for m in plan_run(process, **placed).misses if m.step_id == "emails"]
    return found[0] if found else None


def _with_wait(text: str, hint: str) -> str:
    """``text`` with the wait ``hint`` gives 'emails': ``wait: Nd``, or N days more."""
    given = re.search(r"\(wait: (\d+)d\)|make this step's wait (\d+)d longer", hint)
    assert given is not None, hint
    before = re.search(r"(?<=id: emails, )[^}]*?wait: (\d+)d", text)
    days = int(given[1] or given[2]) + (int(before[1]) if before else 0)
    if before:
        return text.replace(f"wait: {before[1]}d", f"wait: {days}d", 1)
    return text.replace("time: 6h, after: brief,", f"time: 6h, wait: {days}d, after: brief,")


def test_the_wait_a_due_hint_gives_meets_the_date_past_a_parallel_branch(
    write_process: Any,
) -> None:
    """A wait after 'emails' does not move its work: it meets the date by making 'live' come
    later, which a wait shorter than the 7.25 spare days does not. The hint said 3d (the
    days late) and 'the work and waits between them' (there are none)."""
    process = load_process(write_process(WEBINAR, name="webinar.yaml", roles=ROLES))
    miss = _emails_miss(process, start=D("2026-11-16"))
    assert "2.75 working days late" in miss.problem.message
    waited = _with_wait(WEBINAR, miss.problem.hint)
    process = load_process(write_process(waited, name="webinar.yaml", roles=ROLES))
    assert _emails_miss(process, start=D("2026-11-16")) is None
    assert _emails_miss(process, start=D("2026-11-16"), level=True) is None
    assert "wait: 10d" in waited and miss.problem.hint == (
        "'live' comes 7.25 working days after this step ends in every plan from a start date "
        "(all of it spare time: 'live' also waits for 'site' to be done): plan back from "
        "'live' (--at live=DATE), where it waits 3 working days for its date, or ask for "
        "fewer days before 'live', or, if you plan slack there, give this step a wait of 10d "
        "or more (wait: 10d): the wait first takes up the spare time, then moves 'live' later"
    )
    # and it is the fewest days that do
    less = waited.replace("wait: 10d", "wait: 9d")
    process = load_process(write_process(less, name="webinar.yaml", roles=ROLES))
    assert _emails_miss(process, start=D("2026-11-16")) is not None


@pytest.mark.parametrize(
    "wait, between, more",
    [
        # 3 of the 7.25 days are the wait, the rest still spare: 7 more days, not 3
        (
            "3d",
            "this step's wait, and 4.25 working days of spare time: 'live' also waits "
            "for 'site' to be done",
            7,
        ),
        # the wait outlasts the spare time: 'live' follows it, and a day more moves it a day
        ("9d", "this step's wait", 1),
    ],
)
def test_a_due_hint_counts_the_wait_a_step_has(
    write_process: Any, wait: str, between: str, more: int
) -> None:
    text = WEBINAR.replace("time: 6h, after: brief,", f"time: 6h, wait: {wait}, after: brief,")
    process = load_process(write_process(text, name="webinar.yaml", roles=ROLES))
    hint = _emails_miss(process, start=D("2026-11-16")).problem.hint
    waited = _with_wait(text, hint)
    process = load_process(write_process(waited, name="webinar.yaml", roles=ROLES))
    assert _emails_miss(process, start=D("2026-11-16")) is None
    assert f"every plan from a start date ({between}): plan back from 'live'" in hint
    assert f"make this step's wait {more}d longer" in hint


def test_a_due_hint_says_so_when_the_milestone_waits_for_its_date(write_process: Any) -> None:
    """Placed by 'launch', which waits 7 days for its date (for 'prep'), 'live' comes 7 days
    after 'emails': the hold is the spare time a wait takes up first."""

    def process(wait: str) -> Process:
        return _holding(
            write_process,
            "id: a, name: A, owner: Writer, time: 3d",
            f"id: emails, name: Emails, owner: Editor, time: 1d, wait: {wait}, "
            "due: {milestone: live, offset: -9d}",
            "id: launch, name: Launch, milestone: true, after: emails",
            "id: prep, name: Prep, owner: Writer, time: 1d, after: a, "
            "due: {milestone: launch, offset: -4d}",
            "id: live, name: Live, milestone: true, after: launch",
        )

    at = ("launch", D("2027-03-10"))
    (miss,) = plan_run(process("0"), at=at).misses
    assert "(all of it spare time: 'launch' also waits for its date)" in miss.problem.hint
    assert "give this step a wait of 9d or more (wait: 9d)" in miss.problem.hint
    assert plan_run(process("8d"), at=at).misses and not plan_run(process("9d"), at=at).misses


def test_a_due_no_wait_can_meet_gets_the_offset_that_does(write_process: Any) -> None:
    """A wait may be at most 87,600 hours (10,950 days of 8 hours): too short for a step due
    2,500 weeks before its milestone, so the hint gives the offset that meets the date."""
    text = WEBINAR.replace("offset: -10d", "offset: -2500w")
    process = load_process(write_process(text, name="webinar.yaml", roles=ROLES))
    hint = _emails_miss(process, start=D("2026-11-16")).problem.hint
    # placed by 'live', it would wait 12,493 days: due on day ⌈14 ÷ 8⌉ − 1 + 12,500 = 12,501
    # for 'live', which falls on day 8 (h 72)
    assert hint.endswith(
        "'site' to be done), and no wait on this step moves it far enough: plan back from "
        "'live' (--at live=DATE), where it waits 12493 working days for its date, or give "
        "the due date an offset of at least -7d, or count it from a later milestone"
    )
    for offset, missed in (("-7d", False), ("-8d", True)):
        moved = WEBINAR.replace("offset: -10d", f"offset: {offset}")
        process = load_process(write_process(moved, name="webinar.yaml", roles=ROLES))
        assert (_emails_miss(process, start=D("2026-11-16")) is not None) is missed


def test_planned_back_the_milestone_waits_for_its_date_so_due_dates_are_met(
    write_process: Any,
) -> None:
    """'a' ends 3 working days before 'm' (the review and its wait), yet is due 4 days
    before it. From a start date nothing helps; placed by 'm', the team holds the launch
    date and starts a day sooner: 'm' waits a day after 'b', and 'a' is on time."""
    text = PROCESS.replace("time: 1d}\n", "time: 1d, due: {milestone: m, offset: -4d}}\n", 1)
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    forward = plan_run(process, start=D("2027-03-04"))
    assert forward.step("a").slack_days == Decimal(-1) and forward.anchor_held_days == 0
    plan = plan_run(process, at=("m", D("2027-03-10")))
    assert plan.start == D("2027-03-04")  # a Thursday: a day before the unheld run's Friday
    assert plan.step("m").finish == D("2027-03-10")
    assert (plan.anchor_held_days, plan.held_for_due) == (Decimal(1), ("a",))
    assert plan.step("m").held_days == Decimal(1) and plan.step("b").finish == D("2027-03-08")
    assert plan.step("a").slack_days == Decimal(0)
    assert [m.step_id for m in plan.misses] == ["c"]  # after 'm': a hold moves it too
    assert plan.step("c").start == D("2027-03-11")  # the step after 'm' follows it
    assert plan.lead_time_days == forward.lead_time_days + 1
    levelled = plan_run(process, at=("m", D("2027-03-10")), level=True)
    assert levelled.anchor_held_days == 1 and not levelled.step("a").late
    assert "held back" not in plan_report(levelled)  # the wait is for the date, not people
    notes = plan_report(plan)
    assert (
        "Go live on 2027-03-10 waits 1 working day after the work before it, so that the due "
        "date of “Write” can be met (the run starts earlier to allow it)." in notes  # one step
    )
    document = plan_document(plan)
    assert (document["anchor_held_days"], document["held_for_due"]) == (Decimal(1), ["a"])
    chart = to_svg(gantt_scene(plan))
    assert "waiting for its date" in chart and 'class="held"' in chart


HOLDS = """\
sopkit: 1
id: hold
name: Holds
owner: Editor
frequency: 1/month
steps:
{steps}
"""


def _holding(write_process: Any, *steps: str) -> Process:
    text = HOLDS.format(steps="\n".join(f"  - {{{step}}}" for step in steps))
    return load_process(write_process(text, name="hold.yaml", roles=ROLES))


def test_a_milestone_at_the_start_of_the_run_is_held_to_its_date(write_process: Any) -> None:
    """Nothing comes before 'm', so it happens at hour 0, on the run's first day; 3 days of
    work due the day of 'm' need it on the third day: it waits all three."""
    process = _holding(
        write_process,
        "id: m, name: Go live, milestone: true",
        "id: prep, name: Prep, owner: Writer, time: 3d, due: {milestone: m, offset: 0d}",
    )
    plan = plan_run(process, at=("m", D("2027-03-10")))
    assert plan.step("prep").slack_days == 0 and not plan.misses
    assert (plan.start, plan.step("prep").finish) == (D("2027-03-08"), D("2027-03-10"))
    assert plan.anchor_held_days == 3 and plan.held_for_due == ("prep",)


def test_a_hold_never_makes_a_step_after_the_milestone_late(write_process: Any) -> None:
    """'y' comes after 'm' and is due from 'early', before it: waiting two days for 'm'
    would meet 'x' but make 'y' late, so 'm' does not wait, and 'x''s warning says why."""
    process = _holding(
        write_process,
        "id: a, name: Write, owner: Writer, time: 1d",
        "id: early, name: Brief done, milestone: true, after: a",
        "id: b, name: Review, owner: Editor, time: 2d, after: a",
        "id: m, name: Go live, milestone: true, after: b",
        "id: x, name: Prep, owner: Writer, time: 1d, after: a, due: {milestone: m, offset: -3d}",
        "id: y, name: Follow, owner: Writer, time: 1d, after: m, "
        "due: {milestone: early, offset: +3d}",
    )
    plan = plan_run(process, at=("m", D("2027-03-10")))
    assert plan.anchor_held_days == 0 and plan.held_for_due == ()
    assert plan.step("y").slack_days == 0
    (miss,) = plan.misses
    assert miss.step_id == "x" and miss.problem.hint == (
        "'m' waiting longer for its date would meet it, but would make 'y' late (due from a "
        "milestone before it): move one of the due dates"
    )


def test_a_levelled_plan_holds_the_milestone_for_the_dates_levelling_moves(
    write_process: Any,
) -> None:
    """One writer: 'q' (listed first) takes the first day, so 'a' ends on the second, a day
    later than unlevelled, and 'a' is due the day of 'm', which follows 'q' only.
    Levelled, 'm' waits a day for its date and the run starts a day sooner; unlevelled,
    nothing waits."""
    process = _holding(
        write_process,
        "id: q, name: Other, owner: Writer, time: 1d",
        "id: a, name: Write, owner: Writer, time: 1d, due: {milestone: m, offset: 0d}",
        "id: m, name: Go live, milestone: true, after: q",
    )
    flat = plan_run(process, at=("m", D("2027-03-10")))
    assert flat.anchor_held_days == 0 and not flat.misses
    plan = plan_run(process, at=("m", D("2027-03-10")), level=True)
    assert not plan.misses and plan.step("a").slack_days == 0
    assert plan.anchor_held_days == 1 and plan.held_for_due == ("a",)
    assert (plan.start, plan.step("a").finish) == (D("2027-03-09"), D("2027-03-10"))
    notes = plan_report(plan)
    assert "held back: “Write” (+1 working day, for Writer)" in notes and "for )" not in notes


def test_slack_is_the_same_whichever_way_the_run_is_placed(small: Process) -> None:
    forward = plan_run(small, start=D("2026-12-24"))
    backward = plan_run(small, at=("m", D("2027-03-10")))
    assert [s.slack_days for s in forward.steps] == [s.slack_days for s in backward.steps]


def test_steps_outside_the_typical_run_are_left_out_and_listed() -> None:
    plan = plan_run(load_process(LAUNCH), start=D("2026-12-01"))
    assert plan.skipped == ("legal-review", "legal-ok", "embargo", "analyst")
    assert {s.step_id for s in plan.steps}.isdisjoint(plan.skipped)
    assert len(plan.steps) == 31


@pytest.mark.parametrize(
    "at, message",
    [
        (("nope", "2026-12-30"), "--at names no step: 'nope'"),
        (("a", "2026-12-30"), "--at names a step that is not a milestone: 'a'"),
        (("m", "2026-12-26"), "2026-12-26 (Saturday) is not a working day: a weekend day"),
        (("m", "2026-12-25"), "2026-12-25 (Friday) is not a working day: a holiday"),
    ],
)
def test_bad_anchors_are_usage_errors(small: Process, at: tuple[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        plan_run(small, at=(at[0], D(at[1])))
    assert message in caught.value.message
    if "names" in message:
        assert caught.value.hint == "milestones here: m"
    else:  # the working days either side (Christmas is a holiday here)
        assert (caught.value.hint or "").startswith(
            "the nearest working days are 2026-12-24 and 2026-12-28"
        )


def test_a_milestone_outside_the_typical_run_cannot_anchor(write_process: Any) -> None:
    text = PROCESS.replace(
        "frequency: 1/month\n",
        "frequency: 1/month\nconditions:\n  big: {question: Is it big?, share: 0.2}\n",
    )
    text = text.replace(
        "{id: m, name: Go live, milestone: true, after: b}",
        "{id: m, name: Go live, milestone: true, after: b, when: big}",
    )
    process = load_process(write_process(text, roles=ROLES))
    with pytest.raises(UsageError, match="not part of the typical run") as caught:
        plan_run(process, at=("m", D("2026-12-30")))
    assert "big: False" in (caught.value.hint or "")
    plan = plan_run(process, start=D("2026-12-24"))
    assert plan.undated == ("c", "d") and plan.misses == ()
    # a due date no plan checks is a located warning too, not only a note
    warned = [m.problem for m in plan.unchecked]
    assert [(m.line, m.severity) for m in warned] == [(12, "warning"), (13, "warning")]
    assert warned[0].message == (
        "step 'c': its due date is not checked: milestone 'm' is not in the typical run"
    )


def test_exactly_one_of_start_and_at(small: Process) -> None:
    with pytest.raises(UsageError):
        plan_run(small)
    with pytest.raises(UsageError):
        plan_run(small, start=D("2026-12-24"), at=("m", D("2026-12-30")))


# --- the calendar and due entries in the files --------------------------------------------


@pytest.mark.parametrize(
    "weekend",
    [
        "[sat, sun]",
        "[Saturday, SUN]",
        "[토, 일]",
        "[토요일, 일요일]",
        "[сб, вс]",
        "[Суббота, воскресенье]",
    ],
)
def test_the_weekend_may_be_named_in_the_process_languages(
    write_process: Any, weekend: str
) -> None:
    """A Korean trial's ``weekend: [토, 일]`` was refused ('토' is not a day of the week)."""
    roles = ROLES.replace("weekend: [sat, sun]", f"weekend: {weekend}")
    process = load_process(write_process(PROCESS, roles=roles))
    assert process.settings.calendar.weekend == [Weekday.SAT, Weekday.SUN]


@pytest.mark.parametrize(
    "calendar, where, message",
    [
        ("  weekend: [sat, satday]\n", "5:", "'satday' is not a day of the week"),
        ("  weekend: [sat, sat]\n", "5:", "the weekend names a day twice"),
        (
            "  weekend: [mon, tue, wed, thu, fri, sat, sun]\n",
            "5:",
            "the weekend covers the whole week",
        ),
        ("  holidays: [2026-12-25, 2026-12-25]\n", "5:", "holiday 2026-12-25 is listed twice"),
        ("  holidays: [2026-13-01]\n", "5:14", "not a valid date: month must be in 1..12"),
        ("  holidays: [20261225]\n", "5:", "is not a date"),
        ("  weekdays: [sat]\n", "5:", "unknown field 'weekdays'"),
    ],
)
def test_bad_calendars_are_located_in_the_roles_file(
    write_process: Any, calendar: str, where: str, message: str
) -> None:
    roles = ROLES.replace("  weekend: [sat, sun]\n  holidays: [2026-12-25]\n", calendar)
    path = write_process(PROCESS, roles=roles)
    with pytest.raises(SopkitError) as caught:
        load_process(path)
    (problem,) = caught.value.problems
    assert problem.path is not None and problem.path.endswith("roles.yaml")
    assert problem.format().split("roles.yaml:", 1)[1].startswith(where), problem.format()
    assert message in problem.format()


@pytest.mark.parametrize(
    "due, message",
    [
        ("{milestone: x, offset: -1d}", "step 'c': due names no step 'x'"),
        ("{milestone: a, offset: -1d}", "step 'c': due names a step that is not a milestone: 'a'"),
        ("{milestone: m, offset: 10d}", "'10d' has no sign: before the milestone or after it?"),
        ("{milestone: m, offset: -10}", "'-10' has no unit"),
        ("{milestone: m, offset: 1.5d}", "dates move by whole working days"),
        ("{milestone: m, offset: -2h}", "'-2h' is not an offset in working days"),
        ("{offset: -1d}", "missing required field 'milestone'"),
        ("{milestone: m, offset: -1d, when: x}", "unknown field 'when'"),
    ],
)
def test_bad_due_entries_are_located_in_the_process(
    write_process: Any, due: str, message: str
) -> None:
    text = PROCESS.replace("due: {milestone: m, offset: -1d}", f"due: {due}")
    with pytest.raises(SopkitError) as caught:
        load_process(write_process(text, roles=ROLES))
    formatted = [p.format() for p in caught.value.problems]
    assert any(message in line and "process.yaml:10:" in line for line in formatted), formatted


def test_weeks_must_be_whole_working_days(write_process: Any) -> None:
    text = PROCESS.replace("offset: -1d}", "offset: -1w}")
    load_process(write_process(text, roles=ROLES))  # 1w = 5 days: fine
    roles = ROLES.replace("days_per_week: 5", "days_per_week: 4.5")
    with pytest.raises(SopkitError, match="is not a whole number of working days") as caught:
        load_process(write_process(text, roles=roles))
    assert "give the offset in days: -5d or -4d" in str(caught.value.problems[0].hint)


# --- text formats ---------------------------------------------------------------------------


def test_table_csv_and_json(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-24"))
    table = plan_report(plan, "table")
    assert table.startswith("Plan for Small launch: 2026-12-24 to 2026-12-31, 4.5 working days")
    assert "2026-12-24 Thu" in table and " 1.50 late " in table and "-1.50 late" not in table
    assert (
        "Cannot meet the due date even as early as the steps allow: “Announce” (1.50 days late)."
        in table
    )
    csv = plan_report(plan, "csv").splitlines()
    assert csv[0] == (
        "step,name,kind,owner,with,start,finish,work_days,wait_until,due,due_from,"
        "slack_days,critical,held_days,held_for,moved_days,as_is_finish"
    )
    assert csv[5] == (
        "c,Announce,task,Writer,,2026-12-31,2026-12-31,0.50,,2026-12-29,m -1d,-1.50,yes,0.00,,,"
    )
    document = plan_document(plan)
    assert document["late"] == ["c"] and document["anchor"] is None
    assert plan_report(plan, "json").startswith('{\n  "process": "small",')
    assert '"slack_days": -1.5,' in plan_report(plan, "json")
    assert document["calendar"]["holidays"] == ["2026-12-25"]


@pytest.mark.parametrize(
    ("language", "slack", "note"),
    [
        (
            Language.RU,
            "опоздание 1,50",
            "Срок не выдерживается даже при самом раннем графике: «Announce» (опоздание 1,50 дн.).",
        ),
        (
            Language.KO,
            "1.50 지연",
            "단계 순서상 가장 이른 일정으로도 기한을 맞출 수 없습니다: “Announce”(1.50일 지연).",
        ),
    ],
)
def test_a_late_step_reads_as_late_once_in_each_language(
    small: Process, language: Language, slack: str, note: str
) -> None:
    """A Russian trial read "опоздание -2,81" (late by minus 2.81) and "Срок не выполнить"
    (an infinitive where the sentence needs a verb): the word says late, the figure is the
    days."""
    plan = plan_run(small.model_copy(update={"language": language}), start=D("2026-12-24"))
    text = plan_report(plan, "markdown")
    assert f"| {slack} |" in text and "-1,50" not in text and "-1.50" not in text
    assert f"- {note}" in text.splitlines()
    assert "-1.50" in plan_report(plan, "csv")  # a file for tools keeps the signed figure


def test_tables_leave_out_due_and_slack_when_no_step_has_a_due_date(
    write_process: Any,
) -> None:
    """A dash on every row says nothing: the table and Markdown drop Due and Slack when no
    step has a due date, forward or planned back; CSV keeps its columns for the tools
    that read it (JSON keeps its keys)."""
    undated = "\n".join(line for line in PROCESS.splitlines() if "due:" not in line) + "\n"
    process = load_process(write_process(undated, name="undated.yaml", roles=ROLES))
    for plan in (
        plan_run(process, start=D("2026-12-21")),
        plan_run(process, at=("m", D("2027-01-04"))),
    ):
        for fmt in ("table", "markdown"):
            text = plan_report(plan, fmt)
            assert "Waits until" in text and "Critical" in text
            assert "Due" not in text and "Slack" not in text, fmt
        csv = plan_report(plan, "csv").splitlines()
        assert ",due,due_from,slack_days," in csv[0]
        assert '"slack_days": null' in plan_report(plan, "json")
    # One due date anywhere brings them back, a dash where a step has none.
    dated = plan_report(
        plan_run(load_process(write_process(PROCESS, roles=ROLES)), start=D("2026-12-21")),
        "markdown",
    )
    assert "| Due | Slack (days) |" in dated and "| — | — |" in dated


def test_a_year_the_calendar_lists_no_holidays_for_is_named(
    write_process: Any, small: Process
) -> None:
    """Holidays entered for 2026 only: a run into 2027 may be booked on its holidays
    (a Russian team's plan ran through the New Year holidays without a word)."""
    process = small
    into = plan_run(process, start=D("2026-12-21"))
    assert into.finish.year == 2026 and into.years_without_holidays == ()
    later = plan_run(process, start=D("2027-03-01"))
    assert later.years_without_holidays == (2027,)
    assert (
        "The calendar lists no holidays in 2027: work may be planned on them (add them to "
        "calendar.holidays in roles.yaml)." in plan_report(later)
    )
    assert plan_document(later)["calendar"]["years_without_holidays"] == [2027]
    # A calendar with no holidays at all is one the team chose: nothing to say.
    roles = ROLES.replace("  holidays: [2026-12-25]\n", "")
    bare = load_process(write_process(PROCESS, name="bare.yaml", roles=roles))
    assert plan_run(bare, start=D("2027-03-01")).years_without_holidays == ()


@pytest.mark.parametrize(
    ("language", "why"),
    [
        ("en", "per_run below 0.5"),  # the field, as docs/format.md names it
        (
            "ko",
            "계획에서 제외됨(전형적인 실행에 없는 단계: 조건에 가장 가능성 높은 답을 적용하면 "
            "수행되지 않거나, 실행의 절반 미만에서만 수행됨)",
        ),
        # A Russian trial: "Не вошли (их нет в типичном запуске: условия с самым вероятным
        # ответом, выполнений за запуск меньше 0,5)" left the reader to guess the grammar.
        (
            "ru",
            "Не вошли в план (шагов нет в типичном запуске: при самых вероятных ответах на "
            "условия или если шаг выполняется реже, чем в половине запусков)",
        ),
    ],
)
def test_the_steps_left_out_are_said_in_the_language_s_words(
    write_process: Any, language: str, why: str
) -> None:
    """A Korean trial read "per_run 0.5 미만": a field's name in a translated sentence."""
    text = PROCESS + "  - {id: r, name: Rare, owner: Writer, time: 1h, after: a, per_run: 0.4}\n"
    process = load_process(write_process(text, name="rare.yaml", roles=ROLES))
    process = process.model_copy(update={"language": Language(language)})
    notes = " ".join(plan_report(plan_run(process, start=D("2026-12-21"))).split())
    assert why in notes and "Rare" in notes
    assert language == "en" or "per_run" not in notes


def test_a_due_date_in_a_year_without_holidays_is_named(write_process: Any) -> None:
    """A Korean trial's report step was due 2028-01-27 (in 설날) after a run ending in
    December 2027, with 2027's holidays only listed: no warning, as no step reached 2028."""
    text = PROCESS.replace("due: {milestone: m, offset: -1d}", "due: {milestone: m, offset: +10d}")
    process = load_process(write_process(text, name="due.yaml", roles=ROLES))
    plan = plan_run(process, start=D("2026-12-21"))
    assert plan.finish.year == 2026 and plan.step("c").due is not None
    assert plan.step("c").due.year == 2027
    assert plan.years_without_holidays == (2027,)
    assert "lists no holidays in 2027" in plan_report(plan)


@pytest.mark.parametrize(
    "how",
    [
        ["--format", "ics", "-o", "{tmp}/run.ics"],
        ["--format", "csv"],
        ["--format", "json"],
        ["-o", "{tmp}/plan.txt"],
        ["--format", "svg", "-o", "{tmp}/plan.svg"],
    ],
    ids=["ics file", "csv", "json", "table file", "chart"],
)
def test_what_the_notes_warn_of_reaches_stderr_when_no_notes_are_read(
    small: Process, tmp_path: Path, how: list[str]
) -> None:
    """A trial's ICS of a run in a year without holidays said nothing of it, though the
    table's notes and JSON's years_without_holidays did: a calendar, CSV, JSON or a
    file are not notes the user reads."""
    path = tmp_path / "small.yaml"
    argv = ["plan", str(path), "--start", "2027-03-06", *how]
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert result.exit_code == 0, result.output
    told = result.stderr.splitlines()
    assert (
        "note: 2027-03-06 (Saturday) is not a working day: a weekend day in the calendar; "
        "the run starts on 2027-03-08." in told
    )
    assert (
        "warning: The calendar lists no holidays in 2027: work may be planned on them (add "
        "them to calendar.holidays in roles.yaml)." in told
    )


def test_a_table_on_the_terminal_says_it_once_in_its_notes(small: Process, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "small.yaml"), "--start", "2027-03-06"])
    assert result.exit_code == 0, result.output
    assert "lists no holidays in 2027" in result.stdout and "the run starts" in result.stdout
    assert "holidays" not in result.stderr and "the run starts" not in result.stderr


def test_csv_and_json_say_how_many_people_work_with_the_owner(write_process: Any) -> None:
    """As the cost CSV does: '2 × Editor', not 'Editor' (the count was lost)."""
    text = PROCESS.replace(
        "{id: a, name: Write, owner: Writer, time: 1d}",
        "{id: a, name: Write, owner: Writer, time: 1d, with: {Editor: 2, Writer: 1}}",
    )
    plan = plan_run(load_process(write_process(text, roles=ROLES)), start=D("2026-12-24"))
    row = plan_report(plan, "csv").splitlines()[1]
    assert row.startswith('a,Write,task,Writer,"2 × Editor, Writer",2026-12-24,'), row
    (step,) = [s for s in plan_document(plan)["steps"] if s["step"] == "a"]
    assert step["with"] == ["Editor", "Writer"]
    assert step["with_people"] == {"Editor": 2, "Writer": 1}


# --- the calendar file --------------------------------------------------------------------------


def test_the_ics_file_round_trips_through_icalendar(small: Process) -> None:
    import icalendar

    plan = plan_run(small, at=("m", D("2026-12-30")))
    text = plan_ics(plan)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.steps)
    for event, step in zip(events, plan.steps, strict=True):
        assert event.decoded("DTSTART") == step.start
        assert event.decoded("DTEND") == step.finish + dt.timedelta(days=1)
        assert str(event["SUMMARY"]).startswith(
            "Milestone: " if step.kind == "milestone" else step.name
        )
        if step.owner:
            assert str(event["SUMMARY"]).endswith(f" — {step.owner}")
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert str(calendar["X-WR-CALNAME"]) == "Small launch"
    assert calendar.to_ical().decode().count("BEGIN:VEVENT") == len(events)
    late = next(e for e in events if str(e["UID"]).startswith("small-c-"))
    assert "late by 1.5 working days" in str(late["DESCRIPTION"])


@pytest.mark.parametrize(
    ("language", "due", "wait"),
    [
        (
            Language.EN,
            "Due: 2026-12-29 (1 working day before “Go live”), late by 1.5 working days",
            "Then wait until 2026-12-30",
        ),
        (
            Language.RU,
            "Срок: 29.12.2026 (за 1 рабочий день до вехи «Go live»), опоздание 1,5 рабочего дня",
            "Затем ожидание до 30.12.2026",
        ),
        (
            Language.KO,
            "기한: 2026-12-29(“Go live” 1영업일 전), 1.5영업일 지연",
            "이후 2026-12-30까지 대기",
        ),
    ],
)
def test_an_event_says_its_due_date_and_wait_as_the_plan_s_table_does(
    small: Process, language: Language, due: str, wait: str
) -> None:
    """A Russian trial's calendar read "Срок: 2027-01-14 (den-vebinara -10d)": the file's
    YAML and ISO dates in a sentence. The event's text is in the process's words and dates,
    as the SOP says the due date (its DTSTART stays ISO, for the calendar)."""
    import icalendar

    plan = plan_run(small.model_copy(update={"language": language}), start=D("2026-12-24"))
    events = icalendar.Calendar.from_ical(plan_ics(plan)).walk("VEVENT")
    text = {str(e["UID"]).split("-")[1]: str(e["DESCRIPTION"]).split("\n") for e in events}
    assert due in text["c"]
    assert wait in text["b"]
    assert not any("m -1d" in line for line in text["c"])


def test_ics_escapes_and_folds_any_text(write_process: Any) -> None:
    import icalendar

    name = "Пресс-релиз; финал, утверждение\\ и публикация — очень длинное название шага " * 2
    text = PROCESS.replace("name: Write,", f"name: {name!r},".replace("'", '"'))
    plan = plan_run(load_process(write_process(text, roles=ROLES)), start=D("2026-12-24"))
    calendar = icalendar.Calendar.from_ical(plan_ics(plan))
    first = next(iter(calendar.walk("VEVENT")))
    assert str(first["SUMMARY"]) == f"{name} — Writer"


def _events(text: str) -> dict[str, Any]:
    import icalendar

    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["SUMMARY"]).split(" — ")[0]: event for event in calendar.walk("VEVENT")}


def test_a_plan_written_over_its_calendar_moves_the_events_it_changed(
    small: Process, write_process: Any
) -> None:
    first = plan_calendar(plan_run(small, start=D("2026-12-24")))
    assert first.run == "20261224" and not first.updates
    old = _events(first.text)
    assert {int(e["SEQUENCE"]) for e in old.values()} == {0}
    # A week later: every event moves, keeps its id and gets the next version.
    moved = plan_calendar(plan_run(small, start=D("2026-12-31")), previous=first.text)
    assert (moved.run, moved.updates, moved.changed, moved.added, moved.cancelled) == (
        "20261224",
        True,
        5,
        0,
        0,
    )
    new = _events(moved.text)
    assert {k: str(e["UID"]) for k, e in new.items()} == {k: str(e["UID"]) for k, e in old.items()}
    assert {int(e["SEQUENCE"]) for e in new.values()} == {1}
    assert new["Write"].decoded("DTSTART") == D("2026-12-31")
    # The same plan again changes nothing: the versions stay.
    again = plan_calendar(plan_run(small, start=D("2026-12-31")), previous=moved.text)
    assert again.text == moved.text and again.changed == again.cancelled == 0
    # Step d dropped: its event comes back cancelled, once; the others keep their version.
    without_d = PROCESS.replace("  - {id: d, name: Prepare", "  # - {id: d, name: Prepare")
    shorter = load_process(write_process(without_d, name="small.yaml", roles=ROLES))
    dropped = plan_calendar(plan_run(shorter, start=D("2026-12-31")), previous=again.text)
    assert (dropped.changed, dropped.cancelled) == (0, 1)
    events = _events(dropped.text)
    assert (
        str(events["Prepare"]["STATUS"]) == "CANCELLED" and int(events["Prepare"]["SEQUENCE"]) == 2
    )
    assert int(events["Write"]["SEQUENCE"]) == 1
    still = plan_calendar(plan_run(shorter, start=D("2026-12-31")), previous=dropped.text)
    assert still.text == dropped.text and still.cancelled == 0


def test_a_named_run_replaces_the_events_of_another(small: Process) -> None:
    dated = plan_run(small, start=D("2026-12-24"))
    first = plan_calendar(dated, run="Spring launch / 2027")
    assert first.run == "Spring-launch-2027"
    assert str(_events(first.text)["Write"]["UID"]) == "small-a-Spring-launch-2027@sopkit"
    renamed = plan_calendar(dated, run="autumn", previous=first.text)
    assert (renamed.added, renamed.changed, renamed.cancelled) == (5, 0, 5)
    assert renamed.text.count("STATUS:CANCELLED") == 5
    assert not plan_calendar(dated, previous="not a calendar").updates


def test_a_plan_written_over_another_process_plan_cancels_its_events(small: Process) -> None:
    """A trial wrote social media's plan over launch.ics: the launch events imported
    before stayed in the calendar, stale, while another run of the same process over
    its file cancels them. The file now holds this plan: the other's events go."""
    dated = plan_run(small, start=D("2026-12-24"))
    first = plan_calendar(dated, run="Spring launch / 2027")
    other = first.text.replace("X-SOPKIT-PROCESS:small", "X-SOPKIT-PROCESS:other").replace(
        "UID:small-", "UID:other-"
    )
    fresh = plan_calendar(dated, previous=other)
    # A run of its own, not the other's run name, and nothing of it to update.
    assert not fresh.updates and fresh.run == "20261224" and fresh.replaces == "other"
    assert (fresh.added, fresh.changed, fresh.cancelled) == (5, 0, 5)
    events = list(_events_by_uid(fresh.text).values())
    cancelled = [e for e in events if str(e.get("STATUS")) == "CANCELLED"]
    assert {str(e["UID"]) for e in cancelled} == {
        f"other-{step}-Spring-launch-2027@sopkit" for step in "abmcd"
    }
    assert {int(e["SEQUENCE"]) for e in cancelled} == {1}
    # Planned again, the file is this plan's to update: the other's events stay
    # cancelled, counted once.
    again = plan_calendar(dated, previous=fresh.text)
    assert again.updates and again.replaces is None and again.text == fresh.text
    assert (again.added, again.changed, again.cancelled) == (0, 0, 0)
    note = render_plan(dated, "ics", previous=other).notes
    assert note == (
        "replaced the plan of other in this file with that of small (run '20261224'): 5 "
        "events of other cancelled, 5 events of small added; import the file again to update "
        "the calendar",
    )


def test_cli_says_whose_events_it_cancelled(small: Process, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(PROCESS.replace("id: small", "id: other"), encoding="utf-8")
    target = str(tmp_path / "launch.ics")
    first = runner.invoke(app, ["plan", str(other), "--start", "2026-12-24", "-o", target])
    assert first.exit_code == 0, first.output
    small_path = str(tmp_path / "small.yaml")
    result = runner.invoke(app, ["plan", small_path, "--start", "2026-12-31", "-o", target])
    assert result.exit_code == 0, result.output
    assert (
        "replaced the plan of other in this file with that of small (run '20261231'): 5 "
        "events of other cancelled, 5 events of small added; import the file again"
    ) in " ".join(result.stderr.split())
    assert Path(target).read_text(encoding="utf-8").count("STATUS:CANCELLED") == 5


def _events_by_uid(text: str) -> dict[str, Any]:
    import icalendar

    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def test_cli_writes_over_the_calendar_and_says_what_moved(small: Process, tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    target = tmp_path / "run.ics"
    first = runner.invoke(
        app, ["plan", str(path), "--start", "2026-12-24", "--format", "ics", "-o", str(target)]
    )
    assert first.exit_code == 0, first.output
    assert "updated" not in first.output
    moved = runner.invoke(
        app, ["plan", str(path), "--start", "2026-12-31", "--format", "ics", "-o", str(target)]
    )
    assert moved.exit_code == 0, moved.output
    assert (
        "updated the plan of run '20261224': 5 events moved or changed; import the file again"
        in moved.output
    )
    assert "SEQUENCE:1" in target.read_text(encoding="utf-8")
    same = runner.invoke(
        app, ["plan", str(path), "--start", "2026-12-31", "--format", "ics", "-o", str(target)]
    )
    assert "the plan of run '20261224' is unchanged" in same.output


def test_a_calendar_from_before_runs_had_names_is_updated_too(small: Process) -> None:
    """An earlier sopkit wrote no X-SOPKIT lines; its events' ids name the process and
    the run's first day, so its file is still this plan's to update."""
    first = plan_calendar(plan_run(small, start=D("2026-12-24"))).text
    legacy = "".join(
        line + "\r\n" for line in first.split("\r\n")[:-1] if not line.startswith("X-SOPKIT")
    )
    moved = plan_calendar(plan_run(small, start=D("2026-12-31")), previous=legacy)
    assert (moved.updates, moved.run, moved.changed, moved.cancelled) == (True, "20261224", 5, 0)
    other = plan_calendar(
        plan_run(small, start=D("2026-12-31")), previous=legacy.replace("small-", "x-")
    )
    assert not other.updates


def test_a_changed_event_is_stamped_after_its_old_stamp(small: Process) -> None:
    """A run moved earlier would stamp its events at an earlier midnight; a calendar
    could take that for an older version, so a changed event's stamp follows its old one."""
    later = plan_calendar(plan_run(small, start=D("2026-12-31")))
    earlier = plan_calendar(plan_run(small, start=D("2026-12-24")), previous=later.text)
    stamps = {str(e["UID"]): e.decoded("DTSTAMP") for e in _events(earlier.text).values()}
    old = {str(e["UID"]): e.decoded("DTSTAMP") for e in _events(later.text).values()}
    assert all(stamps[uid] > old[uid] for uid in stamps)
    again = plan_calendar(plan_run(small, start=D("2026-12-24")), previous=earlier.text)
    assert again.text == earlier.text  # unchanged events keep their stamp and version
    lf = earlier.text.replace("\r\n", "\n")
    assert plan_calendar(plan_run(small, start=D("2026-12-24")), previous=lf).text == again.text
    assert plan_calendar(plan_run(small, start=D("2026-12-24")), previous=lf.encode()).updates
    with pytest.raises(UsageError, match="the run needs a name"):
        plan_calendar(plan_run(small, start=D("2026-12-24")), run=" ")


def test_cli_run_is_for_calendars_and_stdout_is_told_about_files(
    small: Process, tmp_path: Path
) -> None:
    path = tmp_path / "small.yaml"
    csv = runner.invoke(app, ["plan", str(path), "--start", "2026-12-24", "--run", "x"])
    assert csv.exit_code == 2 and "use it with --format ics" in csv.output
    out = runner.invoke(app, ["plan", str(path), "--start", "2026-12-24", "--format", "ics"])
    assert out.exit_code == 0 and "written with -o FILE is updated" in out.stderr
    named = runner.invoke(
        app,
        ["plan", str(path), "--start", "2026-12-24", "--format", "ics", "--run", "Spring 27"],
    )
    assert "UID:small-a-Spring-27@sopkit" in named.stdout


# --- the Gantt chart ---------------------------------------------------------------------------


def _groups(svg: str, cls: str) -> list[Any]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def test_a_russian_plan_writes_dates_day_first_and_its_files_for_tools_keep_iso(
    small: Process,
) -> None:
    russian = plan_run(small.model_copy(update={"language": Language.RU}), start=D("2026-12-24"))
    table = plan_report(russian)
    assert table.startswith("План «Small launch»: с 24.12.2026 по 31.12.2026")
    assert "24.12.2026 чт" in table and "2026-12-24" not in table
    assert "2026-12-24" in plan_report(russian, "csv") and "24.12.2026" not in plan_report(
        russian, "csv"
    )
    assert plan_document(russian)["start"] == "2026-12-24"
    english = plan_report(plan_run(small, start=D("2026-12-24")))
    assert "2026-12-24 Thu" in english  # ISO 8601 in English (and Korean)


def test_a_russian_chart_writes_its_months_with_a_space_every_font_has(small: Process) -> None:
    """Babel writes "дек. 2026 г." with U+202F, which the PNG's fonts lack: "2026г."."""
    russian = small.model_copy(update={"language": Language.RU})
    text = to_svg(gantt_scene(plan_run(russian, start=D("2026-12-24"))))
    assert "\u202f" not in text and "2026" in text  # however Babel spaces it


def test_the_gantt_chart_has_lanes_bars_milestones_and_due_markers(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-24"))
    svg = to_svg(gantt_scene(plan, today=D("2026-12-29")))
    lanes = [g.get("data-role") for g in _groups(svg, "lane")]
    assert lanes == ["", "Writer", "Editor"]  # the milestone without an owner on top
    bars = {g.get("data-step"): g for g in _groups(svg, "bar")}
    assert set(bars) == {"a", "b", "m", "c", "d"}
    assert bars["m"].find(f"{SVG}polygon") is not None  # a diamond
    assert "late" in (bars["c"].get("class") or "") and "late" not in (bars["d"].get("class") or "")
    assert bars["c"].get("data-due") == "2026-12-29"
    assert "late 1.5d" in "".join(bars["c"].itertext())
    (today,) = _groups(svg, "today")
    assert today.get("data-date") == "2026-12-29"
    # Its line starts under the date axis, whose month and day labels it would cross.
    line = today.find(f"{SVG}path").get("d")  # type: ignore[union-attr]
    top = float(re.match(r"M[\d.]+,([\d.]+)", line or "").group(1))  # type: ignore[union-attr]
    (axis,) = _groups(svg, "axis")
    assert all(float(text.get("y") or 0) < top for text in axis.iter(f"{SVG}text"))

    # bars in date order: b starts after a ends, c after b's wait
    def left(step: str) -> float:
        return float(bars[step].find(f"{SVG}rect").get("x"))  # type: ignore[union-attr]

    def right(step: str) -> float:
        rect = bars[step].find(f"{SVG}rect")
        return float(rect.get("x")) + float(rect.get("width"))  # type: ignore[union-attr]

    assert right("a") <= left("b") and right("b") < left("c")
    assert left("d") == left("b")  # both start on Monday the 28th, 8 h into the run
    assert "weekend or holiday" in svg and svg.count('fill="#e6e6e6"') >= 3


def _small_chart(write_process: Any, start: str) -> str:
    """The small process's chart as SVG: one role per step, no one overbooked."""
    process = load_process(write_process(PROCESS, name="p.yaml", roles=ROLES))
    return to_svg(gantt_scene(plan_run(process, start=D(start))))


def test_a_role_working_with_the_owner_has_the_step_in_its_own_lane(write_process: Any) -> None:
    """Each lane shows when its people are busy: 'b' is the Editor's, done with a Writer
    and Legal; Legal owns nothing and gets a lane after the owners'."""
    roles = ROLES.replace("  Editor: {rate: 50}\n", "  Editor: {rate: 50}\n  Legal: {rate: 90}\n")
    text = PROCESS.replace(
        "owner: Editor, time: 2d, after: a,",
        "owner: Editor, with: [Writer, Legal], time: 2d, after: a,",
    )
    process = load_process(write_process(text, name="small.yaml", roles=roles))
    svg = to_svg(gantt_scene(plan_run(process, start=D("2026-12-24"))))
    assert [g.get("data-role") for g in _groups(svg, "lane")] == ["", "Writer", "Editor", "Legal"]
    (owner,) = [g for g in _groups(svg, "bar") if g.get("data-step") == "b"]
    joined = {g.get("data-role"): g for g in _groups(svg, "joint")}
    assert set(joined) == {"Writer", "Legal"}
    span = lambda g: (g.find(f"{SVG}rect").get("x"), g.find(f"{SVG}rect").get("width"))  # noqa: E731
    for group in joined.values():
        assert group.get("data-step") == "b" and span(group) == span(owner)
        assert "critical" in (group.get("class") or "")  # b is on the critical path
    # Rows in the plan's order within a lane, joined steps among owned ones.
    writer = next(g for g in _groups(svg, "lane") if g.get("data-role") == "Writer")
    assert [t for t in writer.itertext() if t.strip()][1:] == [
        "Write",
        "Review",
        "Prepare",
        "Announce",
    ]
    assert "works with the owner" in svg
    plain = _small_chart(write_process, "2026-12-24")
    assert not _groups(plain, "joint") and "works with the owner" not in plain


def test_the_days_a_role_is_overbooked_are_shaded_in_its_lane(write_process: Any) -> None:
    """'d' and 'e' both need the one Writer on the two days after 'a'."""
    text = PROCESS + "  - {id: e, name: Extra, owner: Writer, time: 1d, after: a}\n"
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    plan = plan_run(process, start=D("2027-01-04"))
    (found,) = plan.overbooked
    svg = to_svg(gantt_scene(plan))
    (shade,) = _groups(svg, "overbooked")
    assert (shade.get("data-role"), shade.get("data-start"), shade.get("data-finish")) == (
        "Writer",
        found.start.isoformat(),
        found.finish.isoformat(),
    )
    days = shade.findall(f"{SVG}rect")
    assert len(days) == (found.finish - found.start).days + 1  # working days, no weekend here
    writer = next(g for g in _groups(svg, "lane") if g.get("data-role") == "Writer")
    band = writer.find(f"{SVG}rect")
    assert band is not None
    top, bottom = (
        float(band.get("y") or 0),
        float(band.get("y") or 0) + float(band.get("height") or 0),
    )
    assert all(top <= float(r.get("y") or 0) < bottom for r in days)
    assert "more work than people" in svg
    plain = _small_chart(write_process, "2027-01-04")
    assert not _groups(plain, "overbooked") and "more work than people" not in plain


def test_a_due_date_before_the_work_starts_is_joined_to_it_not_barred_over_days_off(
    write_process: Any,
) -> None:
    """'a' is due 4 working days before 'm' but ends 3 before it: its due date falls before
    the run starts. The work itself is the late part; a dashed line joins the due date."""
    text = PROCESS.replace("time: 1d}\n", "time: 1d, due: {milestone: m, offset: -4d}}\n", 1)
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    scene = gantt_scene(plan_run(process, start=D("2027-01-04")))
    svg = to_svg(scene)
    (bar,) = [g for g in _groups(svg, "bar") if g.get("data-step") == "a"]
    work, late = bar.findall(f"{SVG}rect")
    assert (late.get("x"), late.get("width")) == (work.get("x"), work.get("width"))
    (gap,) = [g for g in bar.iter(f"{SVG}path") if "late-gap" in (g.get("class") or "")]
    assert gap.get("stroke-dasharray")
    # The title is as wide as its text: the picture is the chart's width, no wider.
    labels = [shape for shape in walk(scene.items) if isinstance(shape, Label)]
    assert labels and all(label.box.right <= scene.width for label in labels)


def test_a_late_label_past_the_last_day_goes_before_the_late_work(small: Process) -> None:
    """'c' is the run's last work and late: its "late 1.5d" after the bar would run past the
    last day of the grid (a planner's trial saw it hang over the edge), so it goes before."""
    scene = gantt_scene(plan_run(small, start=D("2026-12-24")))
    (label,) = [
        shape
        for shape in walk(scene.items)
        if isinstance(shape, Label) and shape.lines[0].text.startswith("late ")
    ]
    grid = max(
        shape.box.right
        for shape in walk(scene.items)
        if isinstance(shape, Rect) and "band" in shape.classes
    )  # the lanes' right edge, where the last day ends
    assert label.box.right <= grid


@pytest.mark.parametrize(
    ("language", "late", "month"),
    [
        (Language.EN, "late 1.63d", "Jan 2027"),
        (Language.RU, "опоздание 1,63 дн.", "янв. 2027\u00a0г."),
    ],
)
def test_words_with_no_room_in_the_grid_get_more_days_not_the_margin(
    write_process: Any, language: Language, late: str, month: str
) -> None:
    """A Russian trial: "опоздание 3,06 дн." ran past the grid's right edge (its due date
    is before the run starts, so there is no room before the bar either), and a run ending
    on 2 February showed "февр. 2027 г." past the last column. The grid takes the days the
    words need: 'd' is due 4 working days before 'm' (12-23, before the run's start) and
    waits to 12-30; January has one day in view."""
    text = PROCESS.replace(
        "time: 1d, after: a, due: {milestone: m, offset: -2d}}",
        "time: 5h, after: a, wait: 2d, due: {milestone: m, offset: -4d}}",
    )
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    plan = plan_run(process.model_copy(update={"language": language}), start=D("2026-12-24"))
    scene = gantt_scene(plan)
    grid = max(
        shape.box.right
        for shape in walk(scene.items)
        if isinstance(shape, Rect) and "band" in shape.classes
    )
    labels = {s.lines[0].text: s.box for s in walk(scene.items) if isinstance(s, Label)}
    assert labels[late].right <= grid and labels[month].right <= grid
    assert labels[late].x > labels[month].x - 100  # after its wait, near the run's end
    assert scene.width <= grid + 14 + 0.01  # the picture ends a margin after the grid


def test_a_late_label_sits_after_the_wait_line_and_reads_as_the_table(
    write_process: Any,
) -> None:
    """'d' is 0.625 days late and waits after its work: its label went over the wait's line
    (a Korean trial), and read "0.6" where the table says 0.63."""
    text = PROCESS.replace(
        "time: 1d, after: a, due: {milestone: m, offset: -2d}}",
        "time: 5h, after: a, wait: 2d, due: {milestone: m, offset: -3d}}",
    )
    process = load_process(write_process(text, name="small.yaml", roles=ROLES))
    plan = plan_run(process, start=D("2027-01-04"))
    step = plan.step("d")
    assert step.late and step.wait_until is not None
    scene = gantt_scene(plan)
    labels = [s for s in walk(scene.items) if isinstance(s, Label)]
    (label,) = [s for s in labels if s.lines[0].text.startswith("late 0")]
    assert label.lines[0].text == "late 0.63d"
    (bar,) = [g for g in _groups(to_svg(scene), "bar") if g.get("data-step") == "d"]
    wait = [
        float(x)
        for path in bar.iter(f"{SVG}path")
        if "late-gap" not in (path.get("class") or "")
        for x in re.findall(r"[ML]\s*([\d.]+)", path.get("d") or "")
    ]
    # before the wait's line or after it, never over it
    assert label.box.right <= min(wait) or label.box.x >= max(wait)


@pytest.mark.parametrize(
    ("days", "width"),
    [
        (2, 216.0),  # a day's run and the day after: 432 points between them
        (6, 72.0),  # a week's run: 432 / 6, where 18 a day gave 108 points in all
        (24, 18.0),  # from 24 days on, 18 a day already makes 432
        (50, 18.0),
        (100, 9.0),  # 900 / 100: long plans as before
        (200, 5.0),  # never below 5
    ],
)
def test_a_short_plan_gets_a_timeline_wide_enough_to_read(days: int, width: float) -> None:
    assert day_width(days) == width


#: Two steps after each other and one beside them, Monday to Tuesday: no milestone,
#: due date, wait, weekend or holiday (the chart's Wednesday is a working day).
PLAIN = """\
sopkit: 1
id: plain
name: Plain
owner: Writer
frequency: 1/month
steps:
  - {id: a, name: Write, owner: Writer, time: 1d}
  - {id: b, name: Edit, owner: Editor, time: 1d, after: a}
  - {id: c, name: Note, owner: Editor, time: 2h}
"""


def _key(scene: Any) -> list[str]:
    """The key's words, left to right (the labels on its row, under the title)."""
    (title,) = [g for g in scene.items if "title" in getattr(g, "classes", ())]
    labels = [s for s in title.items if isinstance(s, Label)][1:]
    return [label.lines[0].text for label in labels]


def test_the_key_lists_only_what_the_chart_draws(small: Process, write_process: Any) -> None:
    plain = plan_run(
        load_process(write_process(PLAIN, name="plain.yaml", roles=ROLES)), start=D("2027-01-04")
    )
    assert key_kinds(plain, joint=False, off=False, today=False) == ["critical", "other"]
    assert _key(gantt_scene(plain)) == ["critical path", "other steps"]
    # The small launch has them all: a wait, a milestone, due dates, a late step, the
    # Christmas holiday and a weekend; today is named only when drawn.
    full = plan_run(small, start=D("2026-12-24"))
    assert _key(gantt_scene(full, today=D("2026-12-29"))) == [
        "critical path",
        "other steps",
        "waiting",
        "milestone",
        "due date",
        "late",
        "weekend or holiday",
        "today",
    ]
    assert _key(gantt_scene(full))[-1] == "weekend or holiday"


def test_a_short_plans_days_fill_the_chart_under_its_key(write_process: Any) -> None:
    """The trial's webinar ran Monday to Friday: its days took 108 points beside 430 of
    lanes and names, a third of the picture blank beside them under a wider key."""
    scene = gantt_scene(
        plan_run(
            load_process(write_process(PLAIN, name="plain.yaml", roles=ROLES)),
            start=D("2027-01-04"),
        )
    )
    bands = [s for s in walk(scene.items) if isinstance(s, Rect) and "band" in s.classes]
    names_end = max(
        s.box.right
        for s in walk(scene.items)
        if isinstance(s, Label) and s.lines[0].text in ("Write", "Edit", "Note")
    )
    grid_end = max(band.box.right for band in bands)
    assert grid_end - names_end >= 432  # Monday to Wednesday, 144 points a day
    (title,) = [g for g in scene.items if "title" in getattr(g, "classes", ())]
    key_end = max(s.box.right for s in walk(title.items) if isinstance(s, Label))
    assert grid_end >= key_end - 1 and scene.width <= grid_end + 15


def test_a_month_with_no_room_for_its_name_leaves_it_to_the_next(small: Process) -> None:
    # One day of December in view: "Dec 2026" would run into "Jan 2027" a day later.
    svg = to_svg(gantt_scene(plan_run(small, start=D("2026-12-31"))))
    assert "Jan 2027" in svg and "Dec 2026" not in svg
    # A week of December has room for both.
    svg = to_svg(gantt_scene(plan_run(small, start=D("2026-12-24"))))
    assert "Dec 2026" in svg and "Jan 2027" in svg


def test_a_today_far_from_the_plan_is_mentioned_not_drawn(small: Process) -> None:
    plan = plan_run(small, start=D("2026-12-24"))
    svg = to_svg(gantt_scene(plan, today=D("2030-01-01")))
    assert _groups(svg, "today") == []
    assert "today (2030-01-01) is outside the plan" in svg


def test_a_today_at_the_ends_of_the_calendar_is_drawn_or_mentioned(small: Process) -> None:
    """Found by probing: the chart moved dates 90 days out, past year 1 and 9999."""
    early = plan_run(small, start=D("0001-01-01"))
    assert _groups(to_svg(gantt_scene(early, today=D("0001-01-02"))), "today")
    late = plan_run(small, start=D("9999-10-20"))
    svg = to_svg(gantt_scene(late, today=D("9999-12-31")))
    assert "today (9999-12-31) is outside the plan" in svg
    assert _groups(to_svg(gantt_scene(late, today=D("9999-11-15"))), "today")


@pytest.mark.parametrize(
    "engine_name", [pytest.param("dot", marks=pytest.mark.e2e), "graphviz-pure"]
)
def test_the_chart_draws_as_png(small: Process, engine_name: str) -> None:
    from test_diagram_render import _engine

    plan = plan_run(small, start=D("2026-12-24"))
    png = render_plan(plan, "png", engine=_engine(engine_name))
    assert png.data.startswith(b"\x89PNG") and png.warnings == ()


# --- the command --------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_prints_what_the_library_gives_and_warns_at_the_line(
    small: Process, tmp_path: Path
) -> None:
    path = tmp_path / "small.yaml"
    result = runner.invoke(app, ["plan", str(path), "--start", "2026-12-24"])
    assert result.exit_code == 0, result.output
    plan = plan_run(small, start=D("2026-12-24"))
    assert result.stdout == plan_report(plan, "table")
    assert re.search(r"small\.yaml:10:\d+: warning: step 'c' cannot be done", result.stderr)
    strict = runner.invoke(app, ["plan", str(path), "--start", "2026-12-24", "--strict"])
    assert strict.exit_code == 1 and strict.stdout == result.stdout


def test_cli_the_wait_a_due_warning_gives_silences_it(tmp_path: Path) -> None:
    """The user's trial: plan, give the step the wait the warning asks for, plan again."""
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    path = tmp_path / "webinar.yaml"
    path.write_text(WEBINAR, encoding="utf-8")
    first = runner.invoke(app, ["plan", str(path), "--start", "2026-11-16", "--strict"])
    assert first.exit_code == 1 and "step 'emails' cannot be done" in first.stderr
    path.write_text(_with_wait(WEBINAR, first.stderr), encoding="utf-8")
    again = runner.invoke(app, ["plan", str(path), "--start", "2026-11-16", "--strict"])
    assert again.exit_code == 0, again.stderr
    assert "cannot be done" not in again.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown", "ics"])
def test_cli_text_formats_go_to_stdout(small: Process, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "small.yaml"
    result = runner.invoke(app, ["plan", str(path), "--at", "m=2026-12-30", "--format", fmt])
    assert result.exit_code == 0, result.output
    plan = plan_run(small, at=("m", D("2026-12-30")))
    assert result.stdout_bytes == render_plan(plan, fmt).data


def test_cli_chart_goes_to_a_file_named_after_the_process(
    small: Process, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["plan", "small.yaml", "--start", "2026-12-24", "--format", "svg", "--today", "2026-12-28"],
    )
    assert result.exit_code == 0, result.output
    assert "wrote small-plan.svg" in result.stderr
    plan = plan_run(small, start=D("2026-12-24"))
    expected = render_plan(plan, "svg", today=D("2026-12-28")).data
    assert (tmp_path / "small-plan.svg").read_bytes() == expected
    assert "--today" not in result.stderr
    # a table has no chart to draw the line on: it says so rather than ignore it
    table = runner.invoke(app, ["plan", "small.yaml", "--start", "2026-12-24", "--today", "today"])
    assert "note: --today draws a line on the chart (svg, png, pdf): table has none" in (
        table.stderr
    )


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give --start DATE or --at MILESTONE=DATE"),
        (
            ["--start", "2026-12-24", "--at", "m=2026-12-30"],
            "--start and --at cannot be given together: a run is dated either forward",
        ),
        (["--start", "24.12.2026"], "'24.12.2026' is not a date"),
        (["--at", "2026-12-30"], "is not MILESTONE=DATE"),
        (["--at", "m=tomorrow"], "'tomorrow' is not a date"),
        (["--at", "zz=2026-12-30"], "--at names no step: 'zz'"),
        (["--start", "2026-12-24", "--format", "gif"], "gif"),
    ],
)
def test_cli_usage_errors_exit_2(
    small: Process, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "small.yaml"), *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_cli_help_has_an_example() -> None:
    result = runner.invoke(app, ["plan", "--help"])
    assert result.exit_code == 0
    assert "Examples:\n    sopkit plan" in result.stdout and "--at" in result.stdout


# --- the README ---------------------------------------------------------------------------------


def test_the_plans_guide_shows_the_real_help_and_output(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    shown = readme.split("`sopkit plan --help`:\n\n```text\n", 1)[1].split("```", 1)[0]
    result = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "80"})
    assert shown == result.stdout
    example = readme.split("$ sopkit plan ", 1)[1].split("```", 1)[0].splitlines()
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["plan", *example[0].split()])
    assert result.exit_code == 0, result.output
    told = result.stderr.strip().splitlines()
    assert example[1 : 1 + len(told)] == told
    for line in example[1 + len(told) :]:
        if line != "…":
            assert line in result.stdout.splitlines()


def test_a_miss_rounds_its_days_half_up_as_the_table_does() -> None:
    from sopkit.analysis.plan.due import days_text

    # 0.125 days late: the table and footer show 0.13, so the warning must too.
    assert [days_text(Decimal(v)) for v in ("0.125", "0.135", "1.5", "2")] == [
        "0.13",
        "0.14",
        "1.5",
        "2",
    ]


def test_a_korean_plan_is_in_korean_and_skips_chuseok() -> None:
    """The library's Korean process, planned across 추석 (2026-09-24 and 25, in its
    roles file): headings, weekdays, the chart and the calendar file speak Korean; the
    CSV keeps its keys for spreadsheets and scripts."""
    process = load_process(ROOT / "processes" / "ko" / "content-marketing-ko.yaml")
    plan = plan_run(process, start=D("2026-09-21"))
    assert all(not (D("2026-09-24") <= s.start <= D("2026-09-25")) for s in plan.steps)
    table = plan_report(plan, "table", width=200)
    assert "단계" in table and "주경로" in table and "2026-09-21 월" in table
    assert "근무 달력: 하루 8시간, 주말 토·일" in table and "공휴일 14일" in table
    assert plan_report(plan, "csv").startswith("step,name,kind,owner,with,start,finish,")
    svg = render_plan(plan, "svg").data.decode("utf-8")
    assert "일정: " in svg and "2026년 9월" in svg and "주말·공휴일" in svg
    ics = plan_ics(plan)
    assert "DESCRIPTION:프로세스: " in ics and "Work:" not in ics


def test_a_step_that_runs_a_procedure_says_which_in_the_owner_column() -> None:
    """It has no owner of its own (a fresh-machine trial saw a blank cell): it names the
    procedure it runs, in the table and the CSV's reading column alike."""
    plan = plan_run(load_process(LAUNCH), start=D("2026-12-01"))
    (call,) = [s for s in plan.steps if s.kind == "call"]
    called = plan.process.callees[plan.process.step(call.step_id).process or ""].name
    table = plan_report(plan, "table")
    assert f"runs {called}" in table
    # Its bar is the called run, waits and all: the notes say so (a first user took it
    # for a week of work).
    assert "spans that process's whole run, its waits included." in table
    plain = load_process(ROOT / "processes" / "en" / "content-marketing.yaml")  # no calls
    assert "spans that process" not in plan_report(plan_run(plain, start=D("2026-12-01")))


def test_a_milestone_named_by_its_name_is_told_its_id(small: Process) -> None:
    """--at 캠페인 오픈=…: the name where the id belongs."""
    with pytest.raises(UsageError) as caught:
        plan_run(small, at=("go live", D("2026-12-30")))
    assert caught.value.hint == "did you mean 'm'? ('go live' is its name; --at takes the id)"


def test_a_due_hint_says_when_its_wait_would_make_another_step_late(write_process: Any) -> None:
    """'report' is due 11 days after the kick-off and comes after 'live': the 10 days'
    wait that gets the emails out in time moves 'live', and 'report' with it, too late.
    The hint said nothing, and the next plan warned about 'report' (a review found it)."""
    text = (
        WEBINAR.replace(
            "  - {id: brief, name: Brief, owner: Editor, time: 1d}",
            "  - {id: kick, name: Kick-off, milestone: true}\n"
            "  - {id: brief, name: Brief, owner: Editor, time: 1d, after: kick}",
        )
        + "  - {id: report, name: Report, owner: Writer, time: 1d, after: live, "
        "due: {milestone: kick, offset: +11d}}\n"
    )
    process = load_process(write_process(text, name="webinar.yaml", roles=ROLES))
    plan = plan_run(process, start=D("2026-11-16"))
    assert [m.step_id for m in plan.misses] == ["emails"]
    hint = _emails_miss(process, start=D("2026-11-16")).problem.hint
    assert hint.endswith("; that wait would also make 'report' miss its due date")
    waited = load_process(write_process(_with_wait(text, hint), name="webinar.yaml", roles=ROLES))
    assert "report" in [m.step_id for m in plan_run(waited, start=D("2026-11-16")).misses]


def test_a_levelled_plan_s_due_hint_does_not_claim_every_plan(write_process: Any) -> None:
    """Levelled, the editor does the emails after the landing page: 'live' follows them at
    once in this plan, not in every plan (unlevelled there are 7.25 spare days)."""
    text = WEBINAR.replace("owner: Writer, time: 6h", "owner: Editor, time: 6h")
    process = load_process(write_process(text, name="webinar.yaml", roles=ROLES))
    hint = _emails_miss(process, start=D("2026-11-16"), level=True).problem.hint
    assert hint.startswith("'live' comes as soon as this step ends in this levelled plan (")
    assert "in every plan" not in hint and "whatever the start date" not in hint
    unlevelled = _emails_miss(process, start=D("2026-11-16")).problem.hint
    assert "in every plan" in unlevelled and "7.25 working days" in unlevelled
