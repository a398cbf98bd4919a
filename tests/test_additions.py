"""The format's additions for real processes, with every figure worked by hand.

Joint work (``with``), role kinds, conditions, the typical run, milestones and
sign-offs, cash costs and sub-procedures. Each test states the arithmetic it
checks in its comments; every figure is exact (``Fraction``/``Decimal``).
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from sopkit import load_portfolio, load_process
from sopkit.analysis import cost_portfolio, cost_process, rank_candidates, to_decimal
from sopkit.analysis.runs import runs_of
from sopkit.errors import SopkitError
from sopkit.models import RoleKind
from sopkit.validate import lint_portfolio, lint_process

ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
working_days_per_year: 260
roles:
  Writer: {rate: 40}
  Editor: {rate: 50, headcount: 1}
  Designer: {rate: 60, headcount: 0.5, available_hours: 1000}
  Freelancer: {rate: 70, kind: external}
  Customer: {kind: external}
  Bot: {kind: system}
"""


def write(folder: Path, name: str, text: str, roles: str = ROLES) -> Path:
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def process_text(steps: str, extra: str = "", frequency: str = "1/month") -> str:
    head = f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: {frequency}\n"
    return (
        head + textwrap.dedent(extra) + "steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")
    )


def errors(path: Path) -> list[str]:
    with pytest.raises(SopkitError) as info:
        cost_portfolio(load_portfolio(path))
    return [p.format().replace(str(path.parent) + "/", "") for p in info.value.problems]


# --- joint work and role kinds --------------------------------------------------------


def test_participants_at_different_rates_and_kinds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - id: kickoff
              name: Kick-off meeting
              owner: Editor
              with: {Writer: 2, Freelancer: 1, Customer: 1, Bot: 1}
              time: 1h
            """
        ),
    )
    cost = cost_process(load_process(path))
    step = cost.step("kickoff")
    # One run a month, one execution: every participant spends 1 h each time.
    # Staff hours a year: Editor 12 + Writer 2 × 12 = 36; external: Freelancer 12 + Customer 12.
    assert step.annual_hours == 36
    assert step.external_hours == 24
    # Cost: Editor 12 × 50 + Writer 24 × 40 + Freelancer 12 × 70 + Customer 0 + Bot 0 = 2,400.
    assert step.annual_cost == 2400
    assert [
        (p.role, p.count, p.kind, p.annual_hours, p.annual_cost) for p in step.participants
    ] == [
        ("Editor", 1, RoleKind.STAFF, 12, 600),
        ("Writer", 2, RoleKind.STAFF, 24, 960),
        ("Freelancer", 1, RoleKind.EXTERNAL, 12, 840),
        ("Customer", 1, RoleKind.EXTERNAL, 12, 0),
        ("Bot", 1, RoleKind.SYSTEM, 12, 0),
    ]
    # FTE counts staff only: 36 h ÷ (260 × 8) h.
    assert cost.fte == to_decimal(Fraction(36, 2080))
    roles = {r.role: r for r in cost.by_role()}
    assert (roles["Freelancer"].annual_hours, roles["Freelancer"].external_hours) == (0, 12)
    assert roles["Freelancer"].annual_cost == 840
    assert (roles["Bot"].annual_hours, roles["Bot"].annual_cost) == (0, 0)
    assert roles["Bot"].kind is RoleKind.SYSTEM


def test_a_list_of_participants_is_one_of_each(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, with: [Writer, Designer], time: 30m}"),
    )
    step = cost_process(load_process(path)).step("a")
    # 0.5 h × 12 runs × (50 + 40 + 60) = 900.
    assert step.annual_cost == 900
    assert step.annual_hours == 18


def test_the_owner_named_in_with_counts_twice_and_is_warned(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, with: {Editor: 2, Writer: 1}, time: 30m}"),
    )
    process = load_process(path)
    # 0.5 h × 12 runs × (50 + 2 × 50 + 40) = 1,140: three editors and a writer.
    assert cost_process(process).step("a").annual_cost == 1140
    (warning,) = [w for w in lint_process(process) if "with:" in w.message]
    assert warning.severity == "warning" and warning.line is not None
    assert warning.message == (
        "step 'a': with: names its owner 'Editor', which counts 2 more people of that role "
        "besides the owner"
    )
    assert warning.hint is not None and "remove 'Editor' from 'with'" in warning.hint
    alone = write(
        tmp_path,
        "q.yaml",
        process_text("- {id: a, name: A, owner: Editor, with: [Writer], time: 1h}"),
    )
    assert not [w for w in lint_process(load_process(alone)) if "with:" in w.message]


def test_system_and_external_owners(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: build, name: CI builds the notes, owner: Bot, time: 10m}
            - {id: video, name: Contractor video, owner: Freelancer, time: 4h, after: [build]}
            """
        ),
    )
    cost = cost_process(load_process(path))
    assert (cost.step("build").annual_hours, cost.step("build").annual_cost) == (0, 0)
    # 4 h × 12 runs × 70 = 3,360, none of it the team's hours.
    video = cost.step("video")
    assert (video.annual_hours, video.external_hours, video.annual_cost) == (0, 48, 3360)
    assert cost.annual_hours == 0 and cost.fte == 0
    assert rank_candidates([cost]) == []


def test_capacity_with_a_fractional_headcount(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Designer, time: 50h}", frequency="1/month"),
    )
    roles = {r.role: r for r in cost_portfolio([load_process(path)]).roles}
    # 600 h a year ÷ (0.5 people × 1,000 h) = 1.2: over capacity.
    assert roles["Designer"].utilisation == Decimal("1.2")
    assert roles["Designer"].over_capacity


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        ("{kind: system, rate: 5}", "rate", "a system role has no rate"),
        ("{kind: external, headcount: 2}", "headcount", "only staff roles have headcount"),
        ("{kind: robot}", "kind", "kind"),
    ],
)
def test_role_kind_rules(tmp_path: Path, role: str, field: str, message: str) -> None:
    roles = ROLES + f"  Odd: {role}\n"
    path = write(
        tmp_path, "p.yaml", process_text("- {id: a, name: A, owner: Editor, time: 1h}"), roles
    )
    with pytest.raises(SopkitError) as info:
        load_process(path)
    assert any(message in p.message and field in p.message for p in info.value.problems), info.value


def test_automation_on_a_system_step_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Bot, time: 1h, automation: 0.5}"),
    )
    assert errors(path) == [
        "p.yaml:7:56: error: step 'a' is done by the system role 'Bot': it is automated already "
        "(remove 'automation')"
    ]


def test_a_staff_participant_without_a_rate(tmp_path: Path) -> None:
    roles = ROLES + "  Intern: {}\n"
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, with: [Intern], time: 1h}"),
        roles,
    )
    (error,) = errors(path)
    assert error.startswith(
        "p.yaml:7:43: error: step 'a': participant 'Intern' has no hourly rate "
        "(give 'Intern' a rate in "
    )
    assert error.endswith("roles.yaml, or 'kind: external' if it is an outside party)")


def test_a_role_this_file_defines_without_a_rate_is_pointed_at(tmp_path: Path) -> None:
    """The error is at the step that needs the rate; the hint names where to add it."""
    text = process_text("- {id: a, name: A, owner: Editor, with: [Guest], time: 1h}")
    text = text.replace("steps:", "roles:\n  Guest: {kind: staff}\nsteps:", 1)
    path = write(tmp_path, "p.yaml", text, ROLES)
    (error,) = errors(path)
    line = text.splitlines().index("  Guest: {kind: staff}") + 1
    assert f"(give 'Guest' a rate in this file's 'roles:' (line {line}), or" in error


# --- conditions -----------------------------------------------------------------------

CONDITIONS = """\
conditions:
  big: {question: Is this a tier-1 launch?, share: 0.3}
  tier: {question: Which tier?, options: {L1: 0.2, L2: 0.5, L3: 0.3}}
"""


def test_a_step_under_two_conditions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - id: a
              name: A
              owner: Editor
              time: 1h
              when: {big: true, tier: [L1, L2]}
            - {id: b, name: B, owner: Editor, time: 1h, when: {big: false}}
            - {id: c, name: C, owner: Editor, time: 1h, when: {tier: L3}}
            """,
            CONDITIONS,
        ),
    )
    cost = cost_process(load_process(path))
    # a: 0.3 × (0.2 + 0.5) = 0.21 of runs; b: 1 − 0.3 = 0.7; c: 0.3.
    assert [s.chance for s in cost.steps] == [Decimal("0.21"), Decimal("0.7"), Decimal("0.3")]
    assert [s.executions_per_run for s in cost.steps] == [
        Decimal("0.21"),
        Decimal("0.7"),
        Decimal("0.3"),
    ]
    # 0.21 × 12 × 50 = 126.
    assert cost.step("a").annual_cost == 126


def test_the_specs_example_of_a_conditional_rework_loop(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: design, name: Design, owner: Designer, time: 1h}
            - id: legal
              name: Legal review
              owner: Editor
              time: 1h
              after: [design]
              when: big-launch
              rework: {to: design, probability: 0.25}
            """,
            "conditions:\n  big-launch: {question: Tier 1?, share: 0.3}\n",
        ),
    )
    runs = runs_of(load_process(path)).executions
    # design: 0.7 × 1 + 0.3 × 4/3 = 1.1; legal: 0.3 × 4/3 = 0.4.
    assert runs == {"design": Fraction(11, 10), "legal": Fraction(2, 5)}


def test_per_run_never_gates_a_loop(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 1h}
            - {id: b, name: B, owner: Editor, time: 1h, after: [a], per_run: 0.5,
               rework: {to: a, probability: 0.5}}
            """
        ),
    )
    # Both run 2 passes in every run's loop; b's per_run halves only b.
    assert runs_of(load_process(path)).executions == {"a": 2, "b": 1}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("{L1: 0.33, L2: 0.33, L3: 0.33}", "the option shares sum to 0.99, not 1"),
        ("{L1: 0.5, L2: 0.6}", "the option shares sum to 1.1, not 1"),
        ("{L1: 1}", "needs at least two options"),
    ],
)
def test_options_must_sum_to_one(tmp_path: Path, options: str, message: str) -> None:
    extra = f"conditions:\n  tier: {{question: Q, options: {options}}}\n"
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, time: 1h, when: {tier: L1}}", extra),
    )
    assert any(message in line for line in errors(path)), errors(path)


def test_options_that_sum_to_exactly_one_are_fine(tmp_path: Path) -> None:
    extra = "conditions:\n  tier: {question: Q, options: {L1: 0.1, L2: 0.2, L3: 0.7}}\n"
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, time: 1h, when: {tier: [L1, L2]}}", extra),
    )
    assert cost_process(load_process(path)).step("a").chance == Decimal("0.3")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("nope", "step 'a': no condition 'nope'"),
        ("{big: [L1]}", "'big' is a yes/no condition"),
        ("{tier: true}", "'tier' has options, not yes/no"),
        ("{tier: L9}", "condition 'tier' has no option 'L9'"),
    ],
)
def test_when_must_name_conditions_and_options(tmp_path: Path, when: str, message: str) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(f"- {{id: a, name: A, owner: Editor, time: 1h, when: {when}}}", CONDITIONS),
    )
    assert any(message in line for line in errors(path)), errors(path)


def test_an_unused_condition_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: a, name: A, owner: Editor, time: 1h, when: big}", CONDITIONS),
    )
    warnings = [w.format() for w in lint_process(load_process(path))]
    assert any("condition 'tier' is not used by any step" in w for w in warnings)


def test_a_wait_no_step_waits_for_is_a_warning(tmp_path: Path) -> None:
    """A trial put "a week after the send" on the report, the last step, as its wait."""
    steps = (
        "- {id: send, name: Send, owner: Editor, time: 1h}\n"
        "- {id: report, name: Report, owner: Editor, time: 1h, after: [send], wait: 1w}\n"
        "- {id: side, name: Side, owner: Editor, time: 1h, wait: 0}"
    )
    path = write(tmp_path, "p.yaml", process_text(steps))
    warnings = [w.format() for w in lint_portfolio([load_process(path)])]
    found = [w for w in warnings if "no step comes after it" in w]
    assert found == [
        f"{path}:8:78: warning: step 'report' waits 1w after it, but no step comes after it: "
        "the wait only lengthens the lead time (a wait holds back the steps after its step: "
        "put it on the step before the one that should wait, or add the step that follows "
        "the wait) [wait-at-end]"
    ]
    moved = steps.replace(", wait: 1w}", "}").replace("time: 1h}\n", "time: 1h, wait: 1w}\n", 1)
    path = write(tmp_path, "q.yaml", process_text(moved))
    assert not [w for w in lint_portfolio([load_process(path)]) if "comes after" in w.message]


def test_a_procedure_s_last_wait_holds_back_its_caller_and_is_no_warning(tmp_path: Path) -> None:
    """A review found the warning false for a procedure: its caller's next step waits."""
    sub = write(
        tmp_path,
        "sub.yaml",
        "sopkit: 1\nid: sub\nname: Sub\nowner: Editor\nsteps:\n"
        "  - {id: one, name: One, owner: Editor, time: 1h, wait: 1w}\n",
    )
    main = write(
        tmp_path,
        "main.yaml",
        process_text(
            "- {id: run, name: Run, process: sub}\n"
            "- {id: three, name: Three, owner: Editor, time: 1h, after: [run]}"
        ),
    )
    everything = [load_process(main), load_process(sub)]
    assert not [w for w in lint_portfolio(everything) if "comes after" in w.message]
    # Alone, without its caller, a procedure has no frequency: it is not warned about either.
    assert not [w for w in lint_portfolio([load_process(sub)]) if "comes after" in w.message]


# --- the typical run ----------------------------------------------------------------


def test_lead_time_of_the_typical_run_skips_unlikely_steps(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 2h}
            - {id: press, name: Press, owner: Editor, time: 10h, after: [a], when: big}
            - {id: rare, name: Rare, owner: Editor, time: 20h, after: [a], per_run: 0.4}
            - {id: c, name: C, owner: Editor, time: 1h, after: [press, rare]}
            """,
            "conditions:\n  big: {question: Tier 1?, share: 0.3}\n",
        ),
    )
    schedule = cost_process(load_process(path)).schedule
    # press (30% of runs) and rare (per_run 0.4) are not in the typical run: c waits for a.
    assert schedule.typical_run == ("a", "c")
    assert schedule.lead_time_hours == 3
    assert schedule.critical_path == ("a", "c")


def test_a_likely_condition_is_in_the_typical_run(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 2h, when: {tier: L2}}
            - {id: b, name: B, owner: Editor, time: 5h, when: {tier: [L1, L3]}}
            """,
            CONDITIONS,
        ),
    )
    # The most likely option is L2 (0.5): a runs, b does not.
    assert cost_process(load_process(path)).schedule.typical_run == ("a",)


def test_milestones_sit_on_the_critical_path_and_cost_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 2h}
            - {id: ships, name: Release ships, milestone: true, after: [a], wait: 1d}
            - {id: c, name: C, owner: Writer, time: 1h, after: [ships]}
            """
        ),
    )
    cost = cost_process(load_process(path))
    # 2 h + 0 h (+ 8 h wait after the milestone) + 1 h.
    assert cost.schedule.lead_time_hours == 11
    assert cost.schedule.critical_path == ("a", "ships", "c")
    ships = cost.step("ships")
    assert (ships.annual_hours, ships.annual_cost, ships.milestone) == (0, 0, True)


def test_a_milestone_has_no_time_and_a_call_no_owner(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, milestone: true, time: 1h}
            - {id: b, name: B, process: p, owner: Editor}
            - {id: c, name: C, milestone: true, approval: true}
            - {id: d, name: D, owner: Editor}
            """
        ),
    )
    assert errors(path) == [
        "p.yaml:7:45: error: step 'a': time: a milestone has no 'time' (remove it; a milestone "
        "is an event with no duration; make the work a step before it)",
        "p.yaml:8:41: error: step 'b': owner: a step that runs another process has no 'owner' "
        "(remove it; the called process's own steps give the time, people and costs)",
        "p.yaml:9:49: error: step 'c': approval: a milestone cannot be a sign-off (a sign-off "
        "takes time: make it a step with 'approval: true' before the milestone)",
        "p.yaml:10:5: error: step 'd': missing required field 'time' (add 'time: …', the "
        "hands-on time of one execution, e.g. 1h)",
    ]


# --- cash costs -----------------------------------------------------------------------


def test_step_and_process_expenses_for_every_period(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - {id: a, name: A, owner: Editor, time: 1h, expense: 50, per_run: 1.5}
            """,
            """\
            expenses:
              - {name: Per run, amount: 100, per: run}
              - {name: Per month, amount: 10, per: month}
              - {name: Per quarter, amount: 30, per: quarter}
              - {name: Per year, amount: 500, per: year}
            """,
            frequency="2/month",
        ),
    )
    cost = cost_process(load_process(path))
    # Step: 50 × 1.5 executions × 2 runs × 12 = 1,800.
    assert cost.step("a").annual_expenses == 1800
    # Labour: 1 h × 1.5 × 2 × 12 × 50 = 1,800.
    assert cost.step("a").annual_total_cost == 3600
    # Process: 1,800 + 100 × 2 × 12 + 10 × 12 + 30 × 4 + 500 = 4,940.
    assert cost.annual_expenses == 4940
    assert cost.annual_cost == 1800
    assert cost.annual_total_cost == 6740
    # One run's cash: 50 × 1.5 + 100 = 175; the rest falls per period, 120 + 120 + 500 = 740.
    assert cost.expenses_per_run == 175
    assert cost.fixed_expenses == 740
    portfolio = cost_portfolio([cost.process])
    assert (portfolio.annual_expenses, portfolio.annual_total_cost) == (4940, 6740)


# --- sub-procedures -----------------------------------------------------------------

CALLER = """\
sopkit: 1
id: release-post
name: Release post
owner: Editor
frequency: 1/month
steps:
  - {id: write, name: Write intro, owner: Writer, time: 1h}
  - {id: items, name: Feature write-ups, process: item, count: 30..50, after: [write]}
  - id: review
    name: Review
    owner: Editor
    time: 1h
    after: [items]
    rework: {to: items, probability: 0.5}
"""

CALLEE = """\
sopkit: 1
id: item
name: One feature write-up
owner: Editor
{frequency}steps:
  - {{id: draft, name: Draft, owner: Writer, time: 30m, automation: 0.5}}
  - {{id: check, name: Check, owner: Editor, time: 15m, after: [draft], expense: 2}}
"""


def test_a_sub_procedure_with_a_range_count_inside_a_rework_loop(tmp_path: Path) -> None:
    write(tmp_path, "item.yaml", CALLEE.format(frequency=""))
    path = write(tmp_path, "release-post.yaml", CALLER)
    costs = cost_portfolio(load_portfolio([path, tmp_path / "item.yaml"]))
    post, item = costs.process("release-post"), costs.process("item")
    items = post.step("items")
    # count 30..50: PERT mean (30 + 4 × 40 + 50) / 6 = 40; items is in review's loop
    # (p 0.5): 2 executions a run, so 80 runs of 'item' a month.
    assert items.executions_per_run == 2
    assert items.calls_per_run == 80
    # One item: draft 0.5 h × 40 + check 0.25 h × 50 = 32.50 and 0.75 h, 2.00 expenses.
    # A year: × 80 × 12 = 31,200, 720 h, 1,920 expenses.
    assert (items.annual_cost, items.annual_hours, items.annual_expenses) == (31200, 720, 1920)
    # write 1 h × 12 × 40 = 480; review 2 × 12 × 50 = 1,200.
    assert post.annual_cost == 480 + 31200 + 1200
    # The called process has no runs of its own and counts nothing on its own row.
    assert (item.annual_cost, item.runs_per_month) == (0, 0)
    assert item.called_by == ("release-post",)
    assert item.called_runs_per_month == 80
    assert costs.annual_cost == 32880
    roles = {r.role: (r.annual_hours, r.annual_cost) for r in costs.roles}
    # Writer: 12 h + 0.5 × 960 = 492 h; Editor: 24 h + 0.25 × 960 = 264 h.
    assert roles == {"Writer": (492, 19680), "Editor": (264, 13200)}
    # The calling step takes the called process's typical lead time: 1 + 0.75 + 1.
    assert post.schedule.lead_time_hours == Decimal("2.75")


def test_a_process_called_and_run_on_its_own_counts_each_once(tmp_path: Path) -> None:
    write(tmp_path, "item.yaml", CALLEE.format(frequency="frequency: 10/month\n"))
    write(tmp_path, "release-post.yaml", CALLER)
    costs = cost_portfolio(load_portfolio(tmp_path))
    item = costs.process("item")
    # Its own row: 32.50 × 10 × 12 = 3,900; the 80 calls stay in release-post.
    assert item.annual_cost == 3900
    assert costs.annual_cost == 32880 + 3900
    # Automating draft saves on all 90 runs a month: 0.5 × 20 × 90 × 12 = 10,800.
    (draft,) = [c for c in rank_candidates(costs) if c.step_id == "draft"]
    assert draft.net_saving == 10800


def test_a_called_process_is_found_in_the_callers_folder(tmp_path: Path) -> None:
    write(tmp_path, "item.yaml", CALLEE.format(frequency=""))
    path = write(tmp_path, "release-post.yaml", CALLER)
    process = load_process(path)
    assert cost_process(process).annual_cost == 32880
    portfolio = load_portfolio(path)
    assert [p.id for p in portfolio.dependencies] == ["item"]
    assert [p.id for p in cost_portfolio(portfolio).processes] == ["release-post"]


def test_call_cycles_and_unknown_processes_are_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "sopkit: 1\nid: a\nname: A\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: run-b, name: Run B, process: b}\n",
    )
    write(
        tmp_path,
        "b.yaml",
        "sopkit: 1\nid: b\nname: B\nowner: Editor\nsteps:\n"
        "  - {id: run-a, name: Run A, process: a}\n  - {id: run-x, name: X, process: bb}\n",
    )
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    lines = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
    assert lines == [
        "b.yaml:7:35: error: step 'run-x' runs process 'bb', which is not among the files "
        "given nor in the same folder (did you mean 'b'?)",
    ]
    (tmp_path / "b.yaml").write_text(
        "sopkit: 1\nid: b\nname: B\nowner: Editor\nsteps:\n"
        "  - {id: run-a, name: Run A, process: a}\n"
    )
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    lines = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
    assert lines == [
        "b.yaml:6:39: error: processes run each other in a circle: a → b → a (a process "
        "cannot run itself, directly or through others)"
    ]


def test_an_unknown_callee_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    """One run shows every mistake: the unknown callee comes with a broken field in the
    same file and with another file's problem, not once they are fixed."""
    write(
        tmp_path,
        "a.yaml",
        "sopkit: 1\nid: a\nname: A\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: s1, name: S1, owner: Writer, time: banana}\n"
        "  - {id: s2, name: S2, process: ghost, after: [s1]}\n"
        "  - {id: s3, name: S3, process: c, after: [s2]}\n",  # c is a file that fails
    )
    write(
        tmp_path,
        "b.yaml",
        "sopkit: 1\nid: b\nname: B\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: s1, name: S1, process: bb}\n",  # b itself loads
    )
    write(
        tmp_path,
        "c.yaml",
        "sopkit: 1\nid: c\nname: C\nowner: Nobody\nsteps:\n  - {id: s1, name: S1, time: 1h}\n",
    )
    expected = {
        "a.yaml:7:45: error: step 's1': time: 'banana' is not a duration",
        "a.yaml:8:33: error: step 's2' runs process 'ghost', which is not among the files "
        "given nor in the same folder",
        "b.yaml:7:33: error: step 's1' runs process 'bb', which is not among the files "
        "given nor in the same folder (did you mean 'b'?)",
        "c.yaml:6:5: error: step 's1': missing required field 'owner'",
    }
    for load in (load_portfolio, load_process):
        with pytest.raises(SopkitError) as info:
            load(tmp_path if load is load_portfolio else tmp_path / "a.yaml")
        lines = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
        wanted = expected if load is load_portfolio else {e for e in expected if "a.yaml" in e}
        assert {w for w in wanted if not any(line.startswith(w) for line in lines)} == set()
        assert not any("process 'c'" in line for line in lines)  # c is there, if broken


def test_a_process_cannot_call_itself(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text("- {id: again, name: Again, process: p}"),
    )
    assert errors(path) == [
        "p.yaml:7:39: error: processes run each other in a circle: p → p (a process cannot "
        "run itself, directly or through others)"
    ]


# --- text cut by a comment ----------------------------------------------------------


def test_text_cut_by_a_comment_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        process_text(
            """\
            - id: a
              name: Announce
              owner: Editor
              time: 1h  # a comment after a number is fine
              done_when: Posted in #launch
              instructions:
                - Tag the team # like this, with a space, is a comment
                - Post in #general too
                - "Quoted #text is text"
            """
        ),
    )
    warnings = [
        w.format().replace(str(tmp_path) + "/", "") for w in lint_process(load_process(path))
    ]
    cut = [w for w in warnings if "read as a YAML comment" in w]
    assert cut == [
        "p.yaml:11:26: warning: text after '#' was read as a YAML comment; quote the value if it "
        'belongs to it (write it in quotes: "Posted in #launch") [cut-by-comment]',
        "p.yaml:14:17: warning: text after '#' was read as a YAML comment; quote the value if it "
        'belongs to it (write it in quotes: "Post in #general too") [cut-by-comment]',
    ]


# --- what a file can mean (hostile numbers) -------------------------------------------


def test_text_fields_keep_yaml_11_numbers_as_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        "sopkit: 1\nid: p\nname: 1:30\nowner: Editor\nfrequency: 1/month\n"
        "review: {version: 2:10}\nsteps:\n  - {id: a, name: =, owner: Editor, time: 1h}\n",
    )
    process = load_process(path)
    assert (process.name, process.review and process.review.version) == ("1:30", "2:10")
    assert process.steps[0].name == "="


def test_hundreds_of_rework_loops_multiply_to_fifty_places(tmp_path: Path) -> None:
    """Every step sends work back to the first: step j is in the loops of steps j..n−1.

    (1000/999)^299 has 900-digit terms; sopkit keeps such a count to 50 decimal
    places, so sums over thousands of such steps stay fast (see ``runs._bounded``).
    """
    n = 300
    steps = "".join(
        f"  - {{id: s{i}, name: S{i}, owner: Editor, time: 1h"
        + (f", after: [s{i - 1}], rework: {{to: s0, probability: 0.001}}" if i else "")
        + "}\n"
        for i in range(n)
    )
    head = "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n"
    runs = runs_of(load_process(write(tmp_path, "p.yaml", head + steps))).executions
    factor = 1 / (1 - Fraction(1, 1000))
    assert abs(runs["s0"] - factor ** (n - 1)) < Fraction(1, 10**50)
    assert runs["s0"] == runs["s1"]
    assert runs[f"s{n - 1}"] == factor  # a small fraction stays exact


def test_calls_through_a_process_not_given_still_count(tmp_path: Path) -> None:
    """A runs B twice, B runs C three times; only A and C are given: C runs 6 times a month."""
    head = "sopkit: 1\nowner: Editor\nsteps:\n"
    write(
        tmp_path,
        "a.yaml",
        "sopkit: 1\nid: a\nname: A\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: run-b, name: Run B, process: b, count: 2}\n",
    )
    write(
        tmp_path,
        "b.yaml",
        f"id: b\nname: B\n{head}  - {{id: run-c, name: C, process: c, count: 3}}\n",
    )
    write(
        tmp_path,
        "c.yaml",
        f"id: c\nname: C\n{head}"
        "  - {id: work, name: Work, owner: Writer, time: 1h, automation: 0.5}\n",
    )
    costs = cost_portfolio(load_portfolio([tmp_path / "a.yaml", tmp_path / "c.yaml"]))
    assert costs.process("c").called_runs_per_month == 6
    assert costs.process("c").called_by == ("b",)
    # A's row carries every call: 1 h × 40 × 6 × 12 = 2,880; C's own row nothing.
    assert (costs.process("a").annual_cost, costs.process("c").annual_cost) == (2880, 0)
    (work,) = rank_candidates(costs)
    assert work.annual_cost == 2880 and work.net_saving == 1440


def test_a_callee_that_is_not_an_id_is_one_error_with_the_id_meant(tmp_path: Path) -> None:
    """``process: speaker_prep`` is one mistake: the invalid id, with the id in the folder it
    most likely means; not a second line saying no such process exists."""
    write(
        tmp_path,
        "a.yaml",
        "sopkit: 1\nid: a\nname: A\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: s1, name: S1, process: speaker_prep, count: 2..3}\n",
    )
    write(
        tmp_path,
        "speaker-prep.yaml",
        "sopkit: 1\nid: speaker-prep\nname: Prep\nowner: Editor\nsteps:\n"
        "  - {id: s1, name: S1, owner: Editor, time: 1h}\n",
    )
    for load in (load_portfolio, load_process):
        with pytest.raises(SopkitError) as info:
            load(tmp_path if load is load_portfolio else tmp_path / "a.yaml")
        lines = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
        assert lines == [
            "a.yaml:7:33: error: step 's1': process: 'speaker_prep' is not a valid id (did you "
            "mean 'speaker-prep'? ids are lowercase ASCII letters, digits and '-', starting with "
            "a letter or digit)"
        ]
