"""People in a dated plan: who is booked twice, and a run levelled to the team.

Hand-worked runs on an 8-hour day starting Monday 2027-01-04, then properties
of any run: a levelled plan keeps every dependency, never books more people
than a role has (but for a step that alone needs more), and never starts a step
earlier than the unlevelled plan.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sopkit.analysis.booking import crew, people_at_once
from sopkit.analysis.plan import Unbooked, plan_run
from sopkit.cli import app
from sopkit.load import load_process, process_from_data, settings_from_data
from sopkit.models import Language, Process
from sopkit.render.plan import overbooking_text, plan_document, plan_report, unbooked_notes
from sopkit.source import SourceMap

runner = CliRunner()

ROLES = {
    "currency": "USD",
    "hours_per_day": 8,
    "days_per_week": 5,
    "calendar": {"weekend": ["sat", "sun"]},
    "roles": {
        "Writer": {"rate": 40},
        "Editor": {"rate": 50, "headcount": 2},
        "Designer": {"rate": 60, "headcount": Decimal("0.5")},
        "Agency": {"rate": 90, "kind": "external"},
        "Bot": {"kind": "system"},
    },
}
SETTINGS = settings_from_data(ROLES, SourceMap("roles.yaml"))
MONDAY = dt.date(2027, 1, 4)


def process(*steps: dict[str, Any]) -> Process:
    data = {
        "sopkit": 1,
        "id": "crew",
        "name": "Crew",
        "owner": "Writer",
        "frequency": "1/month",
        "steps": list(steps),
    }
    return process_from_data(data, SourceMap("crew.yaml"), SETTINGS, source_path="crew.yaml")


def step(step_id: str, owner: str, time: str, *after: str, **more: Any) -> dict[str, Any]:
    return {"id": step_id, "name": step_id.title(), "owner": owner, "time": time,
            "after": list(after), **more}  # fmt: skip


LIVE = {"id": "live", "name": "Live", "milestone": True, "after": ["draft", "social"]}


def writer_twice(social: str = "4h") -> Process:
    """The writer drafts (1 day) and writes the social posts at the same time."""
    return process(
        step("brief", "Writer", "4h"),
        step("draft", "Writer", "1d", "brief"),
        step("social", "Writer", social, "brief"),
        LIVE,
    )


# --- who is booked --------------------------------------------------------------------------


def test_a_plan_books_whole_people() -> None:
    found = process(
        step("a", "Writer", "1h", **{"with": {"Writer": Decimal("0.5"), "Editor": 1.5}})
    )
    assert crew(found, found.step("a")) == {"Writer": Decimal(2), "Editor": Decimal(2)}


def test_a_step_books_its_owner_and_with_but_not_outsiders_or_systems() -> None:
    found = process(
        step("a", "Editor", "1h", **{"with": {"Editor": 1, "Agency": 2, "Writer": 1}}),
        step("b", "Bot", "1h"),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b"]},
    )
    assert crew(found, found.step("a")) == {"Editor": Decimal(2), "Writer": Decimal(1)}
    assert crew(found, found.step("b")) == {}
    assert crew(found, found.step("m")) == {}


def test_people_at_once_are_the_headcount_rounded_up_or_an_assumption() -> None:
    found = process(
        step("a", "Writer", "1h", **{"with": {"Writer": 1}}),
        step("b", "Editor", "1h"),
        step("c", "Designer", "1h"),
    )
    timing = {s.id: (Fraction(0), Fraction(1), Fraction(0)) for s in found.steps}
    assert people_at_once(found, timing) == {
        "Writer": (Decimal(2), True),  # no headcount: as many as its largest step needs
        "Editor": (Decimal(2), False),
        "Designer": (Decimal(1), False),  # a half-time person still works
    }


def test_two_steps_of_one_writer_at_once_are_an_overbooking_on_their_days() -> None:
    # brief 0–4 h; draft 4–12 h and social 4–8 h: the writer is needed twice from 4 h to 8 h.
    plan = plan_run(writer_twice(), start=MONDAY)
    (found,) = plan.overbooked
    assert (found.role, found.steps, found.need, found.people, found.assumed) == (
        "Writer",
        ("draft", "social"),
        Decimal(2),
        Decimal(1),
        True,
    )
    assert (found.start, found.finish) == (MONDAY, MONDAY)
    assert overbooking_text(found) == (
        "Overbooked: Writer needs 2 people at once on 2027-01-04 (draft, social) but has "
        "1 person, assumed (no headcount in roles.yaml)."
    )
    assert not plan.levelled and all(s.held_days == 0 for s in plan.steps)
    # The plan's notes name the steps as its table does, quoted as the language quotes.
    assert "at once on 2027-01-04 (“Draft”, “Social”)" in plan_report(plan)
    russian = writer_twice().model_copy(update={"language": Language.RU})
    notes = plan_report(plan_run(russian, start=MONDAY))
    assert "(«Draft», «Social»), а в роли 1 человек" in notes
    # A Korean trial read "퍼포먼스 마케터에게 … 동시에 2명이 필요하지만 … 1명입니다".
    korean = writer_twice().model_copy(update={"language": Language.KO})
    found = plan_run(korean, start=MONDAY).overbooked[0]
    assert overbooking_text(found, "ko") == (
        "인원 초과: 2027-01-04에 Writer이(가) 동시에 2명 필요하지만(draft, social) "
        "1명(roles.yaml에 headcount가 없어 가정)뿐입니다."
    )


def test_levelling_runs_the_step_with_slack_after_the_critical_one() -> None:
    # draft (8 h) is critical; social (4 h) has 4 h of slack, so it waits for the
    # writer: 12–16 h, one working day held back; the run ends at 16 h, not 12 h.
    plan = plan_run(writer_twice(), start=MONDAY, level=True)
    assert plan.overbooked == ()
    social, draft = plan.step("social"), plan.step("draft")
    assert (draft.start_hours, draft.finish_hours) == (4, 12)
    assert (social.start_hours, social.finish_hours) == (12, 16)
    assert social.held_days == 1 and draft.held_days == 0
    assert plan.step("live").held_days == 0  # later because social is, not held for people
    assert (social.start, social.finish) == (dt.date(2027, 1, 5), dt.date(2027, 1, 5))
    assert plan.lead_time_days == 2 and plan.finish == dt.date(2027, 1, 5)
    assert plan.step("live").start_hours == 16


def test_a_levelled_plan_marks_what_decides_its_end_and_whom_a_step_waited_for() -> None:
    early = plan_run(writer_twice(), start=MONDAY)
    assert [s.step_id for s in early.steps if s.critical] == ["brief", "draft", "live"]
    levelled = plan_run(writer_twice(), start=MONDAY, level=True)
    # social waits for the writer until draft is done, and ends the run: draft → social.
    assert [s.step_id for s in levelled.steps if s.critical] == ["brief", "draft", "social", "live"]
    assert levelled.step("social").held_for == ("Writer",)
    assert levelled.step("draft").held_for == ()


def test_a_due_date_missed_for_want_of_people_says_so() -> None:
    found = process(
        step("brief", "Writer", "4h"),
        step("draft", "Writer", "1d", "brief"),
        step("social", "Writer", "4h", "brief", due={"milestone": "live", "offset": "-1d"}),
        {"id": "live", "name": "Live", "milestone": True, "after": ["draft"], "wait": "0h"},
    )
    assert not plan_run(found, start=MONDAY).misses  # the graph alone meets it
    (miss,) = plan_run(found, start=MONDAY, level=True).misses
    assert "with the people there are" in miss.problem.message
    assert "the steps alone allow 2027-01-04" in miss.problem.message
    assert "wait for Writer" in (miss.problem.hint or "")
    text = plan_report(plan_run(found, start=MONDAY, level=True), "markdown")
    assert "even as early as the steps and the people allow: “Social”" in text


def test_the_table_counts_the_people_a_step_takes_and_rounds_a_headcount_up() -> None:
    found = process(
        step("a", "Designer", "4h", **{"with": {"Editor": 2}}),
        step("b", "Designer", "4h"),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b"]},
    )
    plan = plan_run(found, start=MONDAY)
    assert "Designer with 2 × Editor" in plan_report(plan, "markdown")
    assert plan_document(plan)["steps"][0]["with_people"] == {"Editor": 2}
    assert plan_document(plan)["overbooked"][0]["headcount"] == Decimal("0.5")
    (overbooked,) = plan.overbooked
    assert overbooking_text(overbooked).endswith("but has 1 person (headcount 0.5, rounded up).")
    tiny = process(step("a", "Designer", "4h", **{"with": {"Editor": Decimal("0.0001")}}))
    assert "Designer with 0.0001 × Editor" in plan_report(plan_run(tiny, start=MONDAY), "markdown")


def test_a_tie_in_slack_goes_to_the_step_listed_first() -> None:
    plan = plan_run(writer_twice(social="1d"), start=MONDAY, level=True)
    assert plan.step("draft").start_hours == 4 and plan.step("social").start_hours == 12


def test_a_backward_levelled_plan_starts_earlier_to_keep_the_milestone() -> None:
    friday = dt.date(2027, 1, 8)
    early = plan_run(writer_twice(social="1d"), at=("live", friday))
    levelled = plan_run(writer_twice(social="1d"), at=("live", friday), level=True)
    # Unlevelled: live at 12 h, on the run's 2nd day; levelled: at 20 h, on its 3rd.
    assert early.start == dt.date(2027, 1, 7) and levelled.start == dt.date(2027, 1, 6)
    assert early.step("live").finish == levelled.step("live").finish == friday


def test_a_role_with_headcount_two_works_two_steps_at_once_but_not_three() -> None:
    two = process(
        step("a", "Editor", "4h"),
        step("b", "Editor", "4h"),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b"]},
    )
    assert plan_run(two, start=MONDAY).overbooked == ()
    three = process(
        step("a", "Editor", "4h"),
        step("b", "Editor", "4h", **{"with": {"Editor": 1}}),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b"]},
    )
    (found,) = plan_run(three, start=MONDAY).overbooked
    assert (found.need, found.people, found.assumed) == (Decimal(3), Decimal(2), False)
    levelled = plan_run(three, start=MONDAY, level=True)
    assert levelled.overbooked == ()
    assert levelled.step("b").start_hours == 4  # a was listed first; b needs both editors


def test_a_step_that_alone_needs_more_people_than_the_role_has_stays_an_overbooking() -> None:
    found = process(
        step("a", "Designer", "4h"),
        step("b", "Designer", "4h", **{"with": {"Designer": 1}}),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b"]},
    )
    levelled = plan_run(found, start=MONDAY, level=True)
    # b waits until the designer is free, and is then still two people of one.
    assert levelled.step("b").start_hours == 4
    ((role, steps, need, people),) = [
        (o.role, o.steps, o.need, o.people) for o in levelled.overbooked
    ]
    assert (role, steps, need, people) == ("Designer", ("b",), Decimal(2), Decimal(1))


def test_outside_parties_and_systems_are_never_short_of_people() -> None:
    found = process(
        step("a", "Agency", "1d"),
        step("b", "Agency", "1d"),
        step("c", "Bot", "1d"),
        step("d", "Bot", "1d"),
        {"id": "m", "name": "M", "milestone": True, "after": ["a", "b", "c", "d"]},
    )
    assert plan_run(found, start=MONDAY).overbooked == ()
    assert all(s.held_days == 0 for s in plan_run(found, start=MONDAY, level=True).steps)


def test_waits_book_no_one() -> None:
    found = process(
        step("a", "Writer", "4h", wait="2d"),
        step("b", "Writer", "4h", "a"),
        step("c", "Writer", "4h"),
        {"id": "m", "name": "M", "milestone": True, "after": ["b", "c"]},
    )
    # a works 0–4 h, then waits; c is held to 4–8 h, inside a's wait, not after it.
    levelled = plan_run(found, start=MONDAY, level=True)
    assert levelled.step("c").start_hours == 4
    assert levelled.step("b").start_hours == 20


def test_the_notes_and_json_say_what_levelling_did() -> None:
    plan = plan_run(writer_twice(), start=MONDAY, level=True)
    text = plan_report(plan, "markdown")
    assert (
        "Levelled: steps wait until their people are free; held back: "
        "“Social” (+1 working day, for Writer)." in text
    )
    data = plan_document(plan)
    assert data["levelled"] is True and data["overbooked"] == []
    assert {s["step"]: s["held_days"] for s in data["steps"]}["social"] == 1
    early = plan_document(plan_run(writer_twice(), start=MONDAY))
    assert early["overbooked"] == [
        {
            "role": "Writer",
            "start": "2027-01-04",
            "finish": "2027-01-04",
            "steps": ["draft", "social"],
            "need": 2,
            "people": 1,
            "assumed": True,
            "headcount": None,
        }
    ]


def test_the_notes_speak_the_process_language(write_process: Any) -> None:
    from sopkit.render.i18n import catalogue

    found = plan_run(writer_twice(), start=MONDAY).overbooked[0]
    ko, ru = overbooking_text(found, "ko"), overbooking_text(found, "ru")
    assert "2027-01-04에" in ko and "2명" in ko and catalogue("ko")("plan.people", 1) in ko
    assert "«Writer»" in ru and "2 человека" in ru and "1 человек" in ru


# --- the CLI --------------------------------------------------------------------------------

FILE = """\
sopkit: 1
id: crew
name: Crew
owner: Writer
frequency: 1/month
steps:
  - {id: brief, name: Brief, owner: Writer, time: 4h}
  - {id: draft, name: Draft, owner: Writer, time: 1d, after: brief}
  - {id: social, name: Social, owner: Writer, time: 4h, after: brief}
"""
ROLES_FILE = "currency: USD\nhours_per_day: 8\nroles:\n  Writer: {rate: 40}\n"


def test_cli_warns_with_a_hint_and_level_books_no_one_twice(write_process: Any) -> None:
    path = write_process(FILE, name="crew.yaml", roles=ROLES_FILE)
    result = runner.invoke(app, ["plan", str(path), "--start", "2027-01-04", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "warning: Overbooked: Writer needs 2 people at once on 2027-01-04" in result.stderr
    assert "hint: --level holds each step until its people are free" in result.stderr
    assert json.loads(result.stdout)["levelled"] is False
    levelled = runner.invoke(
        app, ["plan", str(path), "--start", "2027-01-04", "--format", "json", "--level"]
    )
    assert levelled.exit_code == 0, levelled.output
    assert "Overbooked" not in levelled.stderr and "hint" not in levelled.stderr
    data = json.loads(levelled.stdout)
    assert data["levelled"] is True and data["finish"] == "2027-01-05"


def test_a_library_process_levelled_has_no_overbooking() -> None:
    from pathlib import Path

    launch = load_process(Path(__file__).parent.parent / "processes/en/product-launch.yaml")
    assert plan_run(launch, start=MONDAY).overbooked  # its kick-off weeks book people twice
    assert plan_run(launch, start=MONDAY, level=True).overbooked == ()


# --- any run -------------------------------------------------------------------------------

OWNERS = ["Writer", "Editor", "Designer", "Agency", "Bot"]


@st.composite
def runs(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 9))
    steps = []
    for i in range(count):
        after = draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=2, unique=True))
        entry = step(
            f"s{i}",
            draw(st.sampled_from(OWNERS)),
            f"{draw(st.integers(1, 12))}h",
            *[f"s{a}" for a in after if a < i],
        )
        if draw(st.booleans()):
            entry["wait"] = f"{draw(st.integers(1, 10))}h"
        if entry["owner"] not in ("Bot",) and draw(st.integers(0, 4)) == 0:
            entry["with"] = {draw(st.sampled_from(OWNERS[:3])): draw(st.integers(1, 2))}
        steps.append(entry)
    return steps


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_a_levelled_run_keeps_order_and_books_no_one_twice(steps: list[dict[str, Any]]) -> None:
    found = process(*steps)
    early = plan_run(found, start=MONDAY)
    levelled = plan_run(found, start=MONDAY, level=True)
    hours = {s.step_id: s for s in levelled.steps}
    for entry in found.steps:
        mine = hours[entry.id]
        assert mine.held_days >= 0
        assert mine.start_hours >= early.step(entry.id).start_hours
        for before in entry.after:
            done = hours[before].finish_hours
            wait = Decimal(steps[int(before[1:])].get("wait", "0h")[:-1])
            assert mine.start_hours >= done + wait
    # Only a step that alone needs more people than its role has is left overbooked.
    for o in levelled.overbooked:
        assert all(crew(found, found.step(s))[o.role] > o.people for s in o.steps), o
    assert levelled.lead_time_days >= early.lead_time_days
    # What decides the end: it starts the run, each of its steps starts as one before it
    # ends (with its wait, or freeing its people), and the last of them ends the run.
    chain = [s for s in levelled.steps if s.critical]
    waits = {s["id"]: Decimal(s.get("wait", "0h")[:-1]) for s in steps}
    assert chain and chain[0].start_hours == 0
    for later in chain[1:]:
        assert any(
            later.start_hours in (p.finish_hours, p.finish_hours + waits[p.step_id])
            for p in chain
            if p is not later
        ), later.step_id
    ends = max(p.finish_hours + waits[p.step_id] for p in chain)
    assert ends == levelled.lead_time_days * 8
    if not early.overbooked:
        assert [s.start_hours for s in levelled.steps] == [s.start_hours for s in early.steps]


def test_the_gantt_chart_says_a_plan_is_levelled_or_overbooked() -> None:
    from sopkit.render.diagram import to_svg
    from sopkit.render.plan import gantt_scene

    early = to_svg(gantt_scene(plan_run(writer_twice(), start=MONDAY)))
    levelled = to_svg(gantt_scene(plan_run(writer_twice(), start=MONDAY, level=True)))
    assert "1 overbooking" in early and "levelled" not in early
    assert "levelled" in levelled and "overbooking" not in levelled
    assert 'class="held"' in levelled and "waiting for people" in levelled
    assert "decides the end" in levelled and "decides the end" not in early


def test_a_step_held_by_one_role_then_another_names_the_last_and_chains_to_it() -> None:
    # Found in review: s needs A (free from 10 h) and B (booked by b1 from 10 h to 12 h).
    roles = {
        "currency": "USD",
        "roles": {r: {"rate": 50, "headcount": 1} for r in ("A", "B", "C", "D")},
    }
    settings = settings_from_data(roles, SourceMap("roles.yaml"))
    data = {
        "sopkit": 1,
        "id": "review",
        "name": "Review",
        "owner": "A",
        "frequency": "1/month",
        "steps": [
            step("a1", "A", "10h"),
            step("d0", "D", "10h"),
            step("b1", "B", "2h", **{"with": ["D"]}),
            step("s0", "C", "3h"),
            step("s", "A", "5h", "s0", **{"with": ["B"]}),
        ],
    }
    found = process_from_data(data, SourceMap("r.yaml"), settings, source_path="r.yaml")
    plan = plan_run(found, start=MONDAY, level=True)
    assert plan.step("s").start_hours == 12
    assert plan.step("s").held_for == ("B",)
    assert [s.step_id for s in plan.steps if s.critical] == ["d0", "b1", "s"]


def held_launch() -> Process:
    """The draft is due 3 working days before launch, which the check alone would not give:
    launch waits for its date (a trial: 35 steps placed by launch day, levelled)."""
    return process(
        step("brief", "Writer", "4h"),
        step("draft", "Writer", "1d", "brief", due={"milestone": "launch", "offset": "-3d"}),
        step("check", "Editor", "4h", "draft"),
        {"id": "launch", "name": "Launch", "milestone": True, "after": ["check"]},
        step("follow", "Writer", "4h", "launch"),
    )


def test_a_levelled_plan_placed_by_a_held_milestone_marks_what_sets_its_start() -> None:
    # brief 0–4 h, draft 4–12 h (day 1), check 12–16 h (day 1): launch would be on day 1,
    # but draft, due launch −3d, needs launch on day ⌈12 ÷ 8⌉ − 1 + 3 = 4. So launch waits
    # 3 days (24 h) and the run starts 4 working days before 2027-01-08: 2027-01-04.
    # What sets that first day is draft's due date, and the steps before draft; check ends
    # 2.5 days before launch is due to be ready for it, so it has time to spare.
    plan = plan_run(held_launch(), at="launch=2027-01-08", level=True)
    assert plan.start == MONDAY and plan.anchor_held_days == 3
    assert plan.step("launch").start_hours == 40 and plan.step("follow").finish_hours == 44
    assert plan.step("draft").slack_days == Decimal("0.5")
    assert [s.step_id for s in plan.steps if s.critical] == ["brief", "draft", "launch", "follow"]
    # Before, the chain stopped at the held milestone: only launch and follow were dark.
    early = plan_run(held_launch(), at="launch=2027-01-08")
    assert [s.step_id for s in early.steps if s.critical] == [
        "brief", "draft", "check", "launch", "follow"
    ]  # fmt: skip
    # From a start date the run's first day is given: the chain decides the end alone.
    started = plan_run(held_launch(), start=MONDAY, level=True)
    assert [s.step_id for s in started.steps if s.critical] == [
        "brief", "draft", "check", "launch", "follow"
    ]  # fmt: skip


def test_a_levelled_plan_placed_by_a_milestone_traces_what_sets_its_start_through_people() -> None:
    # a (Writer 8 h) and b (Writer 8 h) both before launch: levelled, b waits for the
    # writer until a is done (8–16 h), launch comes at 16 h (the end of day 1) and after
    # it c (Editor 2 h).
    # x (Editor 20 h) runs beside them and ends last, at 20 h: from the end alone the
    # chain is x; placed by launch, a → b → launch set the first day too.
    found = process(
        step("a", "Writer", "1d"),
        step("b", "Writer", "1d"),
        {"id": "launch", "name": "Launch", "milestone": True, "after": ["a", "b"]},
        step("c", "Editor", "2h", "launch"),
        step("x", "Editor", "20h"),
    )
    started = plan_run(found, start=MONDAY, level=True)
    assert [s.step_id for s in started.steps if s.critical] == ["x"]
    placed = plan_run(found, at="launch=2027-01-05", level=True)
    assert placed.start == MONDAY and placed.step("b").held_for == ("Writer",)
    assert [s.step_id for s in placed.steps if s.critical] == ["a", "x", "b", "launch"]


def test_the_gantt_key_of_a_levelled_plan_placed_by_a_milestone_says_it_sets_the_start() -> None:
    from sopkit.render.diagram import to_svg
    from sopkit.render.plan import gantt_scene

    placed = to_svg(gantt_scene(plan_run(held_launch(), at="launch=2027-01-08", level=True)))
    started = to_svg(gantt_scene(plan_run(held_launch(), start=MONDAY, level=True)))
    assert "sets the start and the end" in placed and "decides the end" not in placed
    assert "decides the end" in started and "sets the start" not in started


HELD_FILE = """\
sopkit: 1
id: crew
name: Crew
owner: Writer
frequency: 1/month
steps:
  - {id: brief, name: Brief, owner: Writer, time: 4h}
  - {id: draft, name: Draft, owner: Writer, time: 1d, after: brief,
     due: {milestone: launch, offset: -3d}}
  - {id: check, name: Check, owner: Editor, time: 4h, after: draft}
  - {id: launch, name: Launch, milestone: true, after: check}
  - {id: follow, name: Follow, owner: Writer, time: 4h, after: launch}
"""


def test_cli_plan_levelled_at_a_milestone_marks_the_chain_that_sets_the_start(
    write_process: Any,
) -> None:
    path = write_process(HELD_FILE, name="crew.yaml", roles=ROLES_FILE + "  Editor: {rate: 50}\n")
    args = ["plan", str(path), "--at", "launch=2027-01-08", "--level"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["start"] == "2027-01-04"
    critical = [s["step"] for s in data["steps"] if s["critical"]]
    assert critical == ["brief", "draft", "launch", "follow"]
    table = runner.invoke(app, [*args, "--format", "csv"])
    assert table.exit_code == 0, table.output
    rows = [line.split(",") for line in table.stdout.splitlines()]
    column = rows[0].index("critical")
    assert [r[0] for r in rows[1:] if r[column] == "yes"] == critical


def test_a_levelled_table_shows_the_holds_and_an_unlevelled_one_does_not() -> None:
    levelled = plan_report(plan_run(writer_twice(), start=MONDAY, level=True), "markdown")
    header = levelled.splitlines()[2]
    assert header.endswith("| Held (days) |")
    social = next(line for line in levelled.splitlines() if line.startswith("| Social "))
    draft = next(line for line in levelled.splitlines() if line.startswith("| Draft "))
    assert social.endswith("| 1.00 |") and draft.endswith("|  |")  # a hold, and none
    early = plan_report(plan_run(writer_twice(), start=MONDAY), "markdown")
    assert "Held" not in early
    csv = plan_report(plan_run(writer_twice(), start=MONDAY), "csv").splitlines()
    assert csv[0].endswith(",held_days,held_for,moved_days,as_is_finish")
    assert csv[1].endswith(",0.00,,,")


def test_a_table_on_the_terminal_names_an_overbooking_once(write_process: Any) -> None:
    path = write_process(FILE, name="crew.yaml", roles=ROLES_FILE)
    result = runner.invoke(app, ["plan", str(path), "--start", "2027-01-04"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Overbooked: Writer") == 1
    assert "Overbooked" not in result.stderr and "hint: --level" in result.stderr


# --- what a plan does not book ------------------------------------------------------------


def repeated() -> Process:
    """Steps done more than once a run, booked for one execution each (hand-worked):
    resize 5 × 30 min (2 h unbooked), post 1.5 × 1 h (30 min), pair 2 × 2 h with a writer
    beside the agency (2 h); and steps it does not name."""
    return process(
        step("resize", "Writer", "30m", per_run=5),
        step("post", "Editor", "1h", "resize", per_run=Decimal("1.5")),
        step("pair", "Agency", "2h", **{"with": {"Writer": 1}, "per_run": 2}),
        step("brief", "Agency", "1h", per_run=3),  # no one of the team is booked for it
        step("bot", "Bot", "1h", per_run=3),  # nor for a system's
        step("rare", "Writer", "1h", per_run=Decimal("0.25")),  # not in the typical run
        step("draft", "Writer", "1h", rework={"to": "draft", "probability": 0.5}),  # goes right
    )


LAUNCH = Path(__file__).parent / "fixtures" / "launch" / "product-launch.yaml"


def test_a_step_done_five_times_a_run_is_booked_once_and_the_rest_is_counted() -> None:
    """per_run: 5 of 30 minutes books the writer for 30 minutes, one execution, as the
    typical run takes a step's time once; the other 4 × 30 min = 2 h are booked for no one."""
    plan = plan_run(repeated(), start=MONDAY)
    assert plan.unbooked == (
        Unbooked("resize", Decimal(5), Decimal("0.5"), Decimal(2)),
        Unbooked("post", Decimal("1.5"), Decimal(1), Decimal("0.5")),
        Unbooked("pair", Decimal(2), Decimal(2), Decimal(2)),
    )
    assert plan.step("resize").work_days == Decimal("0.0625")  # the span stays as it was
    levelled = plan_run(repeated(), start=MONDAY, level=True)
    assert levelled.unbooked == plan.unbooked  # levelling moves spans, not what they book
    assert plan_run(writer_twice(), start=MONDAY).unbooked == ()


def test_a_call_books_no_one_and_its_runs_are_counted() -> None:
    """The launch fixture's 'assets' runs Launch asset review count 8..12 times: its PERT
    mean (8 + 4 × 10 + 12) ÷ 6 = 10 runs, none of them booked here; 'training' is 2 × 1 h
    and 'social-live' 3 × 1 h (conditions at their typical answers)."""
    plan = plan_run(load_process(LAUNCH), start=MONDAY)
    assert plan.unbooked == (
        Unbooked("assets", Decimal(10), Decimal(0), None, "asset-review"),
        Unbooked("training", Decimal(2), Decimal(1), Decimal(1)),
        Unbooked("social-live", Decimal(3), Decimal(1), Decimal(2)),
    )


def test_the_notes_and_json_say_what_was_booked_once() -> None:
    plan = plan_run(repeated(), start=MONDAY)
    note = (
        "Booked once (done more than once a run; the plan books the people for one execution "
        "only): “Resize” (5 times; 30 min booked, 2 h not booked), “Post” (1.5 times; 1 h "
        "booked, 30 min not booked), “Pair” (2 times; 2 h booked, 2 h not booked)."
    )
    assert f"- {note}" in plan_report(plan, "markdown").splitlines()
    assert note in " ".join(plan_report(plan, "table", width=100).split())
    assert "Not booked here" not in plan_report(plan, "markdown")
    assert plan_document(plan)["unbooked"][0] == {
        "step": "resize",
        "times": 5,
        "booked_hours": Decimal("0.5"),
        "unbooked_hours": Decimal(2),
        "calls": None,
    }
    once = plan_run(writer_twice(), start=MONDAY)
    assert plan_document(once)["unbooked"] == [] and unbooked_notes(once) == []
    assert "Booked once" not in plan_report(once) and "Not booked" not in plan_report(once)


def test_the_notes_and_json_name_the_process_a_call_runs_and_how_often() -> None:
    plan = plan_run(load_process(LAUNCH), start=MONDAY)
    notes = plan_report(plan, "markdown").splitlines()
    spans = "- A step that runs another process spans that process's whole run, its waits included."
    calls = notes.index(spans)
    assert notes[calls + 1 : calls + 3] == [
        "- Not booked here (runs another process, whose steps are booked in that process's "
        "own plan: sopkit plan on its file): “Launch assets” (runs Launch asset review 10 "
        "times).",
        "- Booked once (done more than once a run; the plan books the people for one "
        "execution only): “Sales training session” (2 times; 1 h booked, 1 h not booked), "
        "“Social posts live” (3 times; 1 h booked, 2 h not booked).",
    ]
    assert plan_document(plan)["unbooked"][0] == {
        "step": "assets",
        "times": 10,
        "booked_hours": Decimal(0),
        "unbooked_hours": None,
        "calls": "asset-review",
    }


def test_what_is_not_booked_is_said_in_the_process_language() -> None:
    plan = plan_run(repeated(), start=MONDAY)
    # A Russian trial read "Занято один раз (…): «…» (2 раза: занято 4,5 ч, 4,5 ч — нет)".
    assert unbooked_notes(plan, "ru") == [
        "В плане учтено одно выполнение из нескольких: resize (5 раз за запуск: "
        "запланировано 30 мин, не запланировано 2 ч), post (1,5 раза за запуск: "
        "запланировано 1 ч, не запланировано 30 мин), pair (2 раза за запуск: "
        "запланировано 2 ч, не запланировано 2 ч)."
    ]
    assert unbooked_notes(plan, "ko") == [
        "계획에는 여러 번 수행 중 1회분만 반영됨: resize(실행당 5회: 30분 배정, 2시간 미배정), "
        "post(실행당 1.5회: 1시간 배정, 30분 미배정), pair(실행당 2회: 2시간 배정, 2시간 미배정)."
    ]
    russian = repeated().model_copy(update={"language": Language.RU})
    assert "«Resize» (5 раз за запуск: запланировано 30 мин" in plan_report(
        plan_run(russian, start=MONDAY)
    )
    launch = plan_run(load_process(LAUNCH), start=MONDAY)
    assert unbooked_notes(launch, "ru")[0].endswith(
        ": assets (запускает Launch asset review 10 раз)."
    )
    assert unbooked_notes(launch, "ko")[0].endswith(": assets(Launch asset review 10회 실행).")


CALLER = """\
sopkit: 1
id: crew
name: Crew
owner: Writer
frequency: 1/month
steps:
  - {id: resize, name: Resize images, owner: Writer, time: 30m, per_run: 5}
  - {id: onboard, name: Onboard, process: onboarding, count: 4, after: resize}
"""
CALLEE = """\
sopkit: 1
id: onboarding
name: Onboarding
owner: Writer
steps:
  - {id: welcome, name: Welcome call, owner: Writer, time: 1h}
"""


def test_cli_notes_what_it_did_not_book_on_stderr_when_the_notes_are_not_read(
    write_process: Any,
) -> None:
    write_process(CALLEE, name="onboarding.yaml", roles=ROLES_FILE)
    path = write_process(CALLER, name="crew.yaml", roles=ROLES_FILE)
    args = ["plan", str(path), "--start", "2027-01-04"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "note: Not booked here (runs another process, whose steps are booked in that "
        "process's own plan: sopkit plan on its file): onboard (runs Onboarding 4 times).",
        "note: Booked once (done more than once a run; the plan books the people for one "
        "execution only): resize (5 times; 30 min booked, 2 h not booked).",
    ]
    assert result.stdout == plan_report(plan_run(load_process(path), start=MONDAY), "json")
    assert json.loads(result.stdout)["unbooked"] == [
        {"step": "resize", "times": 5, "booked_hours": 0.5, "unbooked_hours": 2, "calls": None},
        {"step": "onboard", "times": 4, "booked_hours": 0, "unbooked_hours": None,
         "calls": "onboarding"},
    ]  # fmt: skip
    # A table on the terminal has them in its notes: once is enough.
    table = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "note:" not in table.stderr and "“Resize images” (5 times;" in table.stdout
    assert "“Onboard” (runs Onboarding 4 times)" in table.stdout
