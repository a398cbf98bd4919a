"""A due date only a milestone waiting for its date meets (a new user's trial).

The user gave 'invite' a two-week wait and a due date 15 working days before the
webinar. Planned from a start date, the warning said the date was missed "in every
plan … whatever the start date"; planned back from the webinar (``--at``), the webinar
waited 5 days and the date was met, in a run 5 days longer than the lead time every
other report gave, and ``sopkit validate --strict`` said nothing. Worked by hand, at 8
hours a day, in working hours from the start of the run (no holidays):

    brief      2h                    h 0–2
    landing    4h after brief        h 2–6
    legal      30m, wait 2d          h 6–6.5, waits until h 22.5
    invite     3h, wait 2w (80 h)    h 22.5–25.5, waits until h 105.5; due webinar -15d
    dry-run    1h30m                 h 105.5–107
    webinar    milestone             h 107: day 13 (h 104–112)
    live       1h30m                 h 107–108.5
    follow-up  2h                    h 108.5–110.5: lead time 110.5 h = 13.8125 days

From a start date 'invite' is due at the end of day 13 − 15 = −2 (h −8) and ends at h
25.5: 33.5 h = 4.1875 days late; the webinar comes 107 − 25.5 = 81.5 h = 10.1875 days
after it. To be on time 'invite' needs the webinar on day ⌈25.5 ÷ 8⌉ − 1 + 15 = 18:
placed by the webinar, it waits 18 − 13 = 5 days (h 147, day 18), the run takes
110.5 + 40 = 150.5 h = 18.8125 days, and 'invite' is due at the end of day 3 (h 32):
6.5 h = 0.8125 days to spare. Five days more wait on 'invite' does the same from any
start date (the lead time then counts it); so does an offset of −10d (due at the end of
day 3, h 32), and −11d does not (h 24, 1.5 h late).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sopkit.analysis.plan import plan_run
from sopkit.analysis.plan.held import held_due_warnings
from sopkit.analysis.schedule import schedule
from sopkit.cli import app
from sopkit.load import load_process
from sopkit.models import Language, Process
from sopkit.render.plan import plan_report

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
roles:
  Lead: {rate: 60}
"""

WEBINAR = """\
sopkit: 1
id: webinar
name: Customer webinar
owner: Lead
purpose: Leads for sales.
frequency: 2/month
steps:
  - {id: brief, name: Brief, owner: Lead, time: 2h, done_when: Agreed.}
  - {id: landing, name: Landing page, owner: Lead, time: 4h, after: brief, done_when: Live.}
  - {id: legal, name: Legal sign-off, owner: Lead, time: 30m, wait: 2d, after: landing, done_when: Signed.}
  - id: invite
    name: Invitations
    owner: Lead
    time: 3h
    wait: 2w
    after: [legal]
    due: {milestone: webinar-day, offset: -15d}
    done_when: Sent.
  - {id: dry-run, name: Dry run, owner: Lead, time: 1h30m, after: invite, done_when: Tested.}
  - {id: webinar-day, name: Webinar day, milestone: true, after: dry-run}
  - {id: live, name: Live webinar, owner: Lead, time: 1h30m, after: webinar-day, done_when: Held.}
  - {id: follow-up, name: Follow-up, owner: Lead, time: 2h, after: live, done_when: Sent.}
"""  # noqa: E501

runner = CliRunner()


def D(text: str) -> dt.date:  # noqa: N802 - reads like a literal
    return dt.date.fromisoformat(text)


def _load(write_process: Any, text: str = WEBINAR) -> Process:
    return load_process(write_process(text, name="webinar.yaml", roles=ROLES))


def test_from_a_start_date_the_hint_offers_the_plan_that_meets_the_date(
    write_process: Any,
) -> None:
    """The hint said 'in every plan … whatever the start date', which a plan placed by the
    webinar disproves: it says which plans, and offers that one first."""
    process = _load(write_process)
    plan = plan_run(process, start=D("2027-01-04"))
    invite = plan.step("invite")
    assert (invite.due, invite.slack_days) == (D("2026-12-31"), Decimal("-4.1875"))
    assert plan.step("webinar-day").finish == D("2027-01-21")  # day 13
    (miss,) = plan.misses
    assert "4.19 working days late" in miss.problem.message
    assert miss.problem.hint == (
        "'webinar-day' comes 10.19 working days after this step ends in every plan from a "
        "start date (the work and waits between them): plan back from 'webinar-day' "
        "(--at webinar-day=DATE), where it waits 5 working days for its date, or ask for "
        "fewer days before 'webinar-day', or, if you plan slack there, make this step's "
        "wait 5d longer: it then ends that much sooner before 'webinar-day'"
    )
    # and what it offers is so
    back = plan_run(process, at=("webinar-day", D("2027-01-28")))
    assert not back.misses and back.anchor_held_days == 5
    assert (back.start, back.step("invite").slack_days) == (D("2027-01-04"), Decimal("0.8125"))


def test_the_hint_offers_no_plan_that_would_not_meet_the_date(write_process: Any) -> None:
    """'report' comes after the webinar and is due 15 days after the brief (h 2, day 0):
    it ends at h 120.5 (day 15), a day to spare, so the webinar may wait one day, not the
    5 'invite' needs: planned back, 'invite' is still late, and the hint does not offer it."""
    text = WEBINAR + (
        "  - {id: briefed, name: Brief done, milestone: true, after: brief}\n"
        "  - {id: report, name: Report, owner: Lead, time: 1d, after: follow-up, "
        "done_when: Sent., due: {milestone: briefed, offset: +15d}}\n"
    )
    process = _load(write_process, text)
    (miss,) = plan_run(process, start=D("2027-01-04")).misses
    assert "plan back" not in (miss.problem.hint or "")
    assert plan_run(process, at=("webinar-day", D("2027-01-28"))).step("invite").late
    assert held_due_warnings(process) == []  # nor does validate: no plan meets it


def test_a_held_plan_says_how_much_longer_it_is_than_the_lead_time(write_process: Any) -> None:
    """The cost report, the SOP and the dashboard say 13.81 days; the run that meets its
    due date takes 18.81: the notes say so, and why."""
    process = _load(write_process)
    assert schedule(process).lead_time_days == Decimal("13.8125")
    plan = plan_run(process, at=("webinar-day", D("2027-01-28")))
    assert (plan.lead_time_days, plan.cost_lead_time_days) == (
        Decimal("18.8125"),
        Decimal("13.8125"),
    )
    notes = " ".join(plan_report(plan).split())
    assert (
        "The run takes 18.81 working days, 5 working days more than the lead time the cost "
        "report and the SOP give (13.81 working days): that counts the steps' work and "
        "waits, not a milestone's wait for its date."
    ) in notes
    levelled = " ".join(
        plan_report(plan_run(process, at=("webinar-day", D("2027-01-28")), level=True)).split()
    )
    assert "not a milestone's wait for its date or the steps' waits for their people." in levelled
    # a plan that holds nothing has nothing to explain: from a start date, or placed by
    # the webinar when the due date needs no wait (-10d: due at h 32, 'invite' ends h 25.5)
    met = _load(write_process, WEBINAR.replace("offset: -15d", "offset: -10d"))
    for other in (
        plan_run(process, start=D("2027-01-04")),
        plan_run(met, at=("webinar-day", D("2027-01-28"))),
    ):
        assert other.anchor_held_days == 0 and other.lead_time_days == Decimal("13.8125")
        assert "more than the lead time" not in plan_report(other)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            Language.KO,
            "이 일정은 18.81영업일이 걸려 비용 보고서와 SOP의 리드 타임(13.81영업일)보다 "
            "5영업일 깁니다.",
        ),
        (
            Language.RU,
            "Запуск занимает 18,81 рабочего дня — на 5 рабочих дней дольше длительности из "
            "отчёта о затратах и регламента (13,81 рабочего дня)",
        ),
    ],
)
def test_the_longer_run_note_speaks_the_process_language(
    write_process: Any, language: Language, expected: str
) -> None:
    process = _load(write_process).model_copy(update={"language": language})
    notes = " ".join(plan_report(plan_run(process, at=("webinar-day", D("2027-01-28")))).split())
    assert expected in notes


def test_validate_warns_of_a_due_date_only_a_held_milestone_meets(write_process: Any) -> None:
    process = _load(write_process)
    (warning,) = held_due_warnings(process)
    assert warning.severity == "warning" and warning.line == 17  # the 'due' line
    assert warning.message == (
        "step 'invite' meets its due date (webinar-day -15d) only if 'webinar-day' waits "
        "for its date: planned from a start date, it ends 4.19 working days late "
        "('webinar-day' comes 10.19 working days after it ends: the work and waits between "
        "them)"
    )
    assert warning.hint == (
        "planned back from 'webinar-day' (sopkit plan FILE --at webinar-day=DATE), "
        "'webinar-day' waits 5 working days for its date and the run takes 18.81 working "
        "days, 5 more than the lead time the cost report and the SOP give (13.81); to meet "
        "it in every plan, make this step's wait 5d longer, which the lead time counts, or "
        "give the due date an offset of at least -10d"
    )


@pytest.mark.parametrize(
    "change, warned, lead",
    [
        ("wait: 3w", False, Decimal("18.8125")),  # 5 days more wait: the lead time counts it
        ("offset: -10d", False, Decimal("13.8125")),  # due at the end of day 3 (h 32)
        ("offset: -11d", True, Decimal("13.8125")),  # due at h 24: 1.5 h late
    ],
)
def test_what_the_warning_suggests_meets_the_date_in_every_plan(
    write_process: Any, change: str, warned: bool, lead: Decimal
) -> None:
    field = change.split(":")[0]
    old = "wait: 2w" if field == "wait" else "offset: -15d"
    process = _load(write_process, WEBINAR.replace(old, change))
    assert bool(held_due_warnings(process)) is warned
    assert bool(plan_run(process, start=D("2027-01-04")).misses) is warned
    assert schedule(process).lead_time_days == lead


def test_cli_plan_from_a_start_date_offers_planning_back(write_process: Any) -> None:
    path = write_process(WEBINAR, name="webinar.yaml", roles=ROLES)
    forward = runner.invoke(app, ["plan", str(path), "--start", "2027-01-04"])
    assert forward.exit_code == 0, forward.output
    warned = " ".join(forward.stderr.split())
    assert "in every plan from a start date" in warned and "whatever the start date" not in warned
    assert (
        "plan back from 'webinar-day' (--at webinar-day=DATE), where it waits 5 working days"
        in warned
    )


def test_cli_plan_back_says_the_run_is_longer_than_the_cost_report_s(
    write_process: Any,
) -> None:
    path = write_process(WEBINAR, name="webinar.yaml", roles=ROLES)
    back = runner.invoke(app, ["plan", str(path), "--at", "webinar-day=2027-01-28"])
    assert back.exit_code == 0 and back.stderr == ""
    shown = " ".join(back.stdout.split())
    assert "2027-01-04 to 2027-01-28, 18.81 working days" in shown
    assert (
        "5 working days more than the lead time the cost report and the SOP give "
        "(13.81 working days)" in shown
    )
    cost = runner.invoke(app, ["cost", str(path)])
    assert "110.5 working hours (13.81 days)" in " ".join(cost.stdout.split())


def test_cli_validate_strict_fails_on_a_due_date_only_a_held_milestone_meets(
    write_process: Any, tmp_path: Path
) -> None:
    write_process(WEBINAR, name="webinar.yaml", roles=ROLES)
    checked = runner.invoke(app, ["validate", "--strict", str(tmp_path)])
    assert checked.exit_code == 1
    lines = [line for line in checked.output.splitlines() if "warning:" in line]
    assert len(lines) == 1 and "webinar.yaml:17:" in lines[0]
    assert (
        "step 'invite' meets its due date (webinar-day -15d) only if 'webinar-day' waits"
        in lines[0]
    )
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 0  # a warning only


BRANCH = """\
sopkit: 1
id: branch
name: Branch
owner: Lead
purpose: A branch of its own.
frequency: 1/month
steps:
  - {id: a, name: A, owner: Lead, time: 1d, done_when: Done.}
  - {id: m, name: M, milestone: true, after: a}
  - {id: x, name: X, owner: Lead, time: 3d, done_when: Done., due: {milestone: m, offset: 0d}}
"""


def test_a_step_on_a_branch_the_milestone_does_not_follow(write_process: Any) -> None:
    """'m' comes at h 8 (day 0) and 'x' ends at h 24: due at the end of day 0 (h 8), 2 days
    late. Placed by 'm', which 'x' needs on day ⌈24 ÷ 8⌉ − 1 − 0 = 2, 'm' waits 2 days and
    'x' is on time; the run still ends with 'x', at h 24: 3 days, the lead time. No wait on
    'x' moves 'm'; an offset of +2d (due at h 24) meets the date."""
    process = _load(write_process, BRANCH)
    (miss,) = plan_run(process, start=D("2027-03-01")).misses
    assert miss.problem.hint == (
        "plan back from 'm' (--at m=DATE), where it waits 2 working days for its date, or "
        "shorten this step or the work before it, or move the due date"
    )
    back = plan_run(process, at=("m", D("2027-03-10")))
    assert not back.misses and back.anchor_held_days == 2 and back.lead_time_days == 3
    assert "more than the lead time" not in plan_report(back)


def test_validate_on_a_branch_the_milestone_does_not_follow(write_process: Any) -> None:
    """As above: 2 days late, 'm' waits 2 days, the run takes the lead time (3 days)."""
    (warning,) = held_due_warnings(_load(write_process, BRANCH))
    assert warning.message == (
        "step 'x' meets its due date (m) only if 'm' waits for its date: planned from a "
        "start date, it ends 2 working days late"
    )
    assert warning.hint == (
        "planned back from 'm' (sopkit plan FILE --at m=DATE), 'm' waits 2 working days for "
        "its date and the run takes 3 working days, no longer than the lead time the cost "
        "report and the SOP give; to meet it in every plan, give the due date an offset of "
        "at least +2d"
    )


def test_the_plans_guide_says_what_a_held_run_means(write_process: Any) -> None:
    """docs/plans.md names validate's warning, quotes the longer-run note as this plan
    writes it, and says how to accept a due code, linking the codes' section."""
    root = Path(__file__).resolve().parent.parent
    guide = " ".join((root / "docs" / "plans.md").read_text(encoding="utf-8").split())
    assert "`sopkit validate` warns about it (`due-needs-hold`" in guide
    plan = plan_run(_load(write_process), at=("webinar-day", D("2027-01-28")))
    note = next(n for n in plan_report(plan).splitlines() if n.startswith("The run takes"))
    assert note.split(": ")[0] in guide
    assert "accept: [due-missed]" in guide
    assert "(format.md#accepting-a-warning-accept)" in guide
    assert "### Accepting a warning: `accept`" in (root / "docs" / "format.md").read_text(
        encoding="utf-8"
    )
