"""SOPs and checklists of processes that use the format's additions.

Fixtures: ``tests/fixtures/additions/{en,ko,ru}``, one launch per language that
uses every addition (joint work, external and system roles, conditions with a
share and with options, ``per_run`` below 1, a milestone, sign-offs with
rework, step and process expenses, a called process with a range ``count``
inside a rework loop) and the process it calls, which has no frequency.

The figures quoted below are worked by hand from those files (2 runs a month):

- Press briefing: 4 h × 0.3 of runs × 24 runs = 28.8 h for the agency (external)
  and 28.8 h for the PMM; $150 × 28.8 + $70 × 28.8 = $6,336; cash $500 × 0.3 × 24 = $3,600.
- Channel assets: count 3..7 has PERT mean 5; the step is inside the go/no-go
  loop (p 0.1), so it runs 10/9 times and makes 5 × 10/9 = 5.56 runs of "asset"
  per launch. One asset run: draft 1 h × 1.25 × $55 + review 0.25 h × 1.25 × $50
  = $84.375 labour, $15 × 1.25 = $18.75 cash. A year: 5.56 × 24 × $84.375 = $11,250.
- Cash a year: $3,600 + $2,500 (assets) + $384 (gifts: $80 × 0.2 × 24) + $1,200
  (platform, a year) + $7,200 ($300 per run × 24) = $14,884.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from sopkit import load_portfolio, load_process
from sopkit.analysis import PortfolioCost, ProcessCost, cost_portfolio, cost_process
from sopkit.render.sop import diagram as sop_diagram
from sopkit.render.sop import render_checklist, render_sop, sop_document

ADDITIONS = ROOT / "tests" / "fixtures" / "additions"
LAUNCHES = {
    "en": ADDITIONS / "en" / "launch.yaml",
    "ko": ADDITIONS / "ko" / "launch-ko.yaml",
    "ru": ADDITIONS / "ru" / "launch-ru.yaml",
}
STUB_SVG = '<svg width="80pt" height="40pt" viewBox="0 0 80 40"><title>stub</title></svg>'


@pytest.fixture
def stub_diagram(monkeypatch: pytest.MonkeyPatch) -> None:
    """Diagrams have golden files of their own; here they are pinned to stubs."""
    monkeypatch.setattr(sop_diagram, "_diagram_svg", lambda cost, links: (STUB_SVG, None, None, []))
    monkeypatch.setattr(sop_diagram, "_mermaid", lambda cost, links: "flowchart LR\n  stub")


@pytest.fixture(scope="module")
def site() -> PortfolioCost:
    return cost_portfolio(load_portfolio(ADDITIONS / "en"))


def launch(language: str = "en") -> ProcessCost:
    return cost_process(load_process(LAUNCHES[language]))


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(LAUNCHES))
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_sop_golden_in_every_language(
    language: str, fmt: str, golden: Callable[[str, str], None], stub_diagram: None
) -> None:
    suffix = "md" if fmt == "markdown" else "html"
    golden(f"sop/additions-launch-{language}.{suffix}", render_sop(launch(language), fmt=fmt))


def test_called_process_sop_golden(
    site: PortfolioCost, golden: Callable[[str, str], None], stub_diagram: None
) -> None:
    golden("sop/additions-asset-site.md", render_sop(site.process("asset"), site=site))


@pytest.mark.parametrize("language", sorted(LAUNCHES))
def test_checklist_golden_in_every_language(
    language: str, golden: Callable[[str, str], None]
) -> None:
    golden(
        f"checklist/additions-launch-{language}.md",
        render_checklist(load_process(LAUNCHES[language])),
    )


# --- the SOP, addition by addition -------------------------------------------------------


def test_conditional_steps_say_when_and_how_often(stub_diagram: None) -> None:
    text = render_sop(launch())
    assert "> **Only when:** Is this a tier-1 launch? — yes, about 30% of runs" in text
    assert "> **Only when:** Is this a tier-1 launch? — no, about 70% of runs" in text
    # L1 0.2 + L2 0.5 = 70% of runs.
    assert "> **Only when:** Which launch tier? — L1 or L2, about 70% of runs" in text
    # Legal runs 0.3 × 4/3 = 0.4 times per run: 4/3 times in each run it belongs to.
    repeats = (
        "- **How often:** Done again when this step sends the work back: about 1.33 times"
        " on average in each run that needs it (Is this a tier-1 launch? — yes)."
    )
    assert repeats in text
    # The Conditions section groups the steps under each answer.
    assert "| Is this a tier-1 launch? | yes | 30% | 3. Legal review; 4. Press briefing |" in text
    assert "|  | L3 | 30% | no steps of its own |" in text


def test_two_conditions_and_a_rare_conditional_step(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            sopkit: 1
            id: p
            name: P
            owner: Editor
            frequency: 1/month
            conditions:
              big: {question: Big?, share: 0.3}
              tier: {question: Tier?, options: {L1: 0.2, L2: 0.5, L3: 0.3}}
            steps:
              - {id: a, name: A, owner: Editor, time: 1h, done_when: x}
              - id: b
                name: B
                owner: Editor
                after: [a]
                time: 1h
                per_run: 0.5
                when: {big: true, tier: [L1, L2]}
                done_when: x
            """
        ),
        encoding="utf-8",
    )
    text = render_sop(cost_process(load_process(path)))
    # 0.3 × (0.2 + 0.5) = 21% of runs; within them, per_run 0.5.
    assert "> **Only when:** Big? — yes; Tier? — L1 or L2, about 21% of runs" in text
    repeats = (
        "- **How often:** Not done in every run that needs it (Big? — yes; Tier? — L1 or L2):"
        " in 50% of them."
    )
    assert repeats in text
    # The typical run answers "big" with no (share 0.3 < 0.5), so it leaves out step 2.
    assert "| Lead time per run | 1 h (0.13 working days; a typical run, without step 2) |" in (
        text
    )
    checklist = render_checklist(load_process(path))
    assert "  - *Only when: Big? — yes; Tier? — L1 or L2, about 21% of runs*" in checklist
    # per_run counts within the runs the condition names, as the SOP says, not in all runs.
    assert "- [ ] 2. **B** — Editor · in 50% of the runs it applies to · done when: x" in (
        checklist
    )


SKIPPED_INPUT = """\
sopkit: 1
id: p
name: P
language: {language}
owner: Editor
frequency: 1/month
conditions:
  regulated: {{question: Regulated?, share: 0.25}}
steps:
  - {{id: edit, name: Edit, owner: Editor, time: 1h, done_when: x}}
  - {{id: graphics, name: Graphics, owner: Editor, time: 1h, done_when: x, after: [edit]}}
  - {{id: legal, name: Legal check, owner: Editor, time: 1h, done_when: x, after: [graphics],
     when: regulated}}
  - {{id: sign, name: Legal sign-off, owner: Editor, time: 1h, done_when: x, after: [legal],
     when: regulated}}
  - {{id: approval, name: Approval, owner: Editor, time: 1h, done_when: x, after: [sign]}}
  - {{id: publish, name: Publish, owner: Editor, time: 1h, done_when: x,
     after: [approval, legal]}}
"""


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "- **Inputs from:** 4. Legal sign-off (only when: Regulated? — yes, about 25% of "
            "runs; otherwise 2. Graphics)",
        ),
        (
            "ko",
            "- **선행 단계:** 4. Legal sign-off (다음 경우에만: Regulated? — 예, 실행의 약 25%; "
            "그 외의 실행에서는 2. Graphics)",
        ),
        (
            "ru",
            "- **Выполняется после:** 4. Legal sign-off (только если: Regulated? — да, примерно "
            "в 25% запусков; в остальных запусках — после 2. Graphics)",
        ),
    ],
)
def test_an_input_from_a_conditional_step_says_where_it_comes_from_when_skipped(
    tmp_path: Path, language: str, said: str, stub_diagram: None
) -> None:
    """A skipped step passes its predecessors' work on (docs/format.md, the typical run):
    in 75% of runs approval's input is the graphics, through a legal check and sign-off
    that are both skipped."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(SKIPPED_INPUT.format(language=language), encoding="utf-8")
    lines = render_sop(cost_process(load_process(path))).splitlines()
    assert [line for line in lines if line.startswith("- **") and "4. Legal sign-off" in line] == [
        said
    ]
    if language == "en":
        # The sign-off runs only where the legal check does: its input is plain.
        assert "- **Inputs from:** 3. Legal check" in lines
        # Publish waits for approval, which waits for the graphics anyway: the legal check
        # is marked with its condition, and nothing stands in for it. The inputs are in
        # the steps' order, not ``after``'s.
        assert (
            "- **Inputs from:** 3. Legal check (only when: Regulated? — yes, "
            "about 25% of runs); 5. Approval" in lines
        )
    if language == "ko":
        # A Korean trial read "4. 광고 문구 작성; 3. 광고 소재…": a comma, in number order.
        assert (
            "- **선행 단계:** 3. Legal check (다음 경우에만: Regulated? — 예, 실행의 약 25%), "
            "5. Approval" in lines
        )


def test_the_steps_that_stand_in_for_a_skipped_input_are_listed_in_the_languages_way(
    tmp_path: Path, stub_diagram: None
) -> None:
    """The "otherwise" list is a list of steps like any other, so it takes the language's
    separator (English "; "), not a comma written into the template."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            sopkit: 1
            id: p
            name: P
            owner: Editor
            frequency: 1/month
            conditions:
              regulated: {question: Regulated?, share: 0.25}
            steps:
              - {id: copy, name: Copy, owner: Editor, time: 1h, done_when: x}
              - {id: art, name: Art, owner: Editor, time: 1h, done_when: x}
              - {id: legal, name: Legal check, owner: Editor, time: 1h, done_when: x,
                 after: [copy, art], when: regulated}
              - {id: post, name: Post, owner: Editor, time: 1h, done_when: x, after: [legal]}
            """
        ),
        encoding="utf-8",
    )
    cost = cost_process(load_process(path))
    said = "3. Legal check (only when: Regulated? — yes, about 25% of runs; otherwise 1. Copy"
    assert f"- **Inputs from:** {said}; 2. Art)" in render_sop(cost).splitlines()
    html = render_sop(cost, fmt="html")
    assert '<a href="#step-copy">1. Copy</a>; <a href="#step-art">2. Art</a>)' in html


CHANCE_INPUT = """\
sopkit: 1
id: p
name: P
language: {language}
owner: Editor
frequency: 4/month
conditions:
  regulated: {{question: Regulated?, share: 0.5}}
steps:
  - {{id: draft, name: Draft, owner: Editor, time: 2h, done_when: x}}
  - {{id: sent, name: Draft sent, milestone: true, after: [draft]}}
  - {{id: rare, name: Rare check, owner: Editor, time: 1h, done_when: x, after: [sent],
     per_run: 0.2}}
  - {{id: edit, name: Edit, owner: Editor, time: 1h, done_when: x, after: [rare],
     rework: {{to: draft, probability: 0.3}}}}
  - {{id: legal, name: Legal, owner: Editor, time: 1h, done_when: x, after: [edit],
     when: regulated, per_run: 0.4}}
  - {{id: post, name: Post, owner: Editor, time: 1h, done_when: x, after: [legal]}}
"""


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", ("3. Rare check (in 20% of runs; otherwise 2. Draft sent)", "Inputs from")),
        ("ko", ("3. Rare check (실행의 20%에서; 그 외의 실행에서는 2. Draft sent)", "선행 단계")),
        (
            "ru",
            (
                "3. Rare check (в 20% запусков; в остальных запусках — после 2. Draft sent)",
                "Выполняется после",
            ),
        ),
    ],
)
def test_an_input_done_by_chance_is_marked_with_its_share_of_runs(
    tmp_path: Path, language: str, said: tuple[str, str], stub_diagram: None
) -> None:
    """A step with ``per_run: 0.2`` and no condition is skipped in most runs (the typical
    run leaves it out) just as a conditional one is: the step after it names its share
    and where the work comes from without it, not "Inputs from: 3. Rare check" alone."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(CHANCE_INPUT.format(language=language), encoding="utf-8")
    cost = cost_process(load_process(path))
    text, field = said
    assert f"- **{field}:** {text}" in render_sop(cost).splitlines()
    html = render_sop(cost, fmt="html")
    assert '<a href="#step-rare">3. Rare check</a> <span class="muted">(' in html
    if language == "en":
        # A condition and a chance within it: both, and the step before stands in.
        assert (
            "- **Inputs from:** 5. Legal (only when: Regulated? — yes, about 50% of runs, "
            "then in 40% of them; otherwise 4. Edit)" in render_sop(cost).splitlines()
        )


def test_a_milestone_in_a_rework_loop_is_not_said_to_be_done_again(
    tmp_path: Path, stub_diagram: None
) -> None:
    """A milestone is an event, ticked off when it happens: "Done again when step 4 sends
    the work back" spoke of it as work."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(CHANCE_INPUT.format(language="en"), encoding="utf-8")
    text = render_sop(cost_process(load_process(path)))
    milestone = text.split("### 2. Draft sent")[1].split("### 3.")[0]
    assert "An event, not work" in milestone and "How often" not in milestone
    # The work before it is still said to go round again.
    draft = text.split("### 1. Draft")[1].split("### 2.")[0]
    assert "- **How often:** Done again when step 4 sends the work back" in draft


DUE_PROCESS = """\
sopkit: 1
id: p
name: P
language: {language}
owner: Editor
frequency: 1/month
steps:
  - {{id: a, name: Draft, owner: Editor, time: 1h, done_when: x,
     due: {{milestone: go, offset: {offset}}}, rework: {{to: a, probability: 0.25}}}}
  - {{id: go, name: Launch day, milestone: true, after: [a]}}
"""


@pytest.mark.parametrize(
    ("language", "offset", "said"),
    [
        ("en", "-10d", "10 working days before “Launch day”"),
        ("en", "-1d", "1 working day before “Launch day”"),
        ("en", "+2w", "10 working days after “Launch day”"),  # 2 weeks of 5 working days
        ("en", "0", "on the day of “Launch day”"),
        ("ko", "-3d", "“Launch day” 3영업일 전"),
        ("ru", "-2d", "за 2 рабочих дня до вехи «Launch day»"),
        ("ru", "+5d", "через 5 рабочих дней после вехи «Launch day»"),
    ],
)
def test_a_due_date_is_in_the_sop_and_the_checklist(
    tmp_path: Path, stub_diagram: None, language: str, offset: str, said: str
) -> None:
    """The person doing the step must see its deadline, not only ``sopkit plan``."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(DUE_PROCESS.format(language=language, offset=offset), encoding="utf-8")
    process = load_process(path)
    document = sop_document(cost_process(process))
    assert document.steps[0].due == said and document.steps[1].due is None
    label = {"en": "Due", "ko": "기한", "ru": "Срок"}[language]
    assert f"- **{label}:** {said}\n" in render_sop(cost_process(process))
    assert f"<dt>{label}</dt><dd>{said}</dd>" in render_sop(cost_process(process), fmt="html")
    assert said in render_checklist(process)


def test_rework_is_said_per_time_the_step_is_done(tmp_path: Path, stub_diagram: None) -> None:
    """A step that runs 1.33 times a run sends work back in 25% of its executions, not of
    runs; sent back to itself, it is done again (not "goes back to step 1" on step 1)."""
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(DUE_PROCESS.format(language="en", offset="0"), encoding="utf-8")
    text = render_sop(cost_process(load_process(path)))
    assert "- **Rework:** Each time it is done, in 25% of cases it has to be done again." in text
    assert "goes back" not in text
    signoff = DUE_PROCESS.replace("done_when: x,", "done_when: x, approval: true,")
    path.write_text(signoff.format(language="ru", offset="0"), encoding="utf-8")
    text = render_sop(cost_process(load_process(path)))
    assert "Если отклонено (в 25% случаев), шаг выполняется заново." in text
    assert "| выполняется заново (в 25% случаев) |" in text


def test_joint_work_and_role_kinds(stub_diagram: None) -> None:
    text = render_sop(launch())
    assert "- **With:** Product Manager, 2 × Engineering Manager" in text
    assert "- **Owner:** PR Agency (external party)" in text
    assert "- **Owner:** Release Bot (system, already automated)" in text
    assert "- **Per year:** already automated: no team hours, no labour cost" in text
    # Press briefing: 28.8 h of the team, 28.8 h of the agency; labour + cash = total.
    assert (
        "- **Per year:** 28.8 h + 28.8 h outside the team · "
        "$6,336.00 labour + $3,600.00 cash = $9,936.00"
    ) in text
    roles = text.split("## Roles and responsibilities")[1].split("## Sign-offs")[0]
    # The customer's 2 h × 0.7 × 24 = 33.6 h are outside the team, and unpaid.
    customer = (
        "| Customer *(external party)* | 6. Launch webinar | 33.6 h outside the team | $0.00 |"
    )
    assert customer in roles
    assert "| Release Bot *(system, already automated)* | 5. Changelog note | — | — |" in roles


def test_milestones_and_sign_offs(stub_diagram: None) -> None:
    text = render_sop(launch())
    milestone = text.split("### 9. Launch is live")[1].split("### 10.")[0]
    assert "*Milestone · Critical path*" in milestone  # the run ends when it is live
    assert "An event, not work" in milestone
    assert "**Owner:**" not in milestone and "**Time:**" not in milestone
    assert "**Per year:**" not in milestone and "Done when" not in milestone
    signoffs = text.split("## Sign-offs")[1].split("## Tools")[0]
    assert (
        "| 8. Go/no-go | Head of Marketing | back to step 7, “Channel assets” "
        "(in 10% of sign-offs) |"
    ) in signoffs
    assert "3. Legal review (Only when: Is this a tier-1 launch? — yes" in signoffs
    assert (
        "- **Rework:** If rejected (in 25% of sign-offs), the work goes back to step 2, "
        "“Launch visuals”."
    ) in text
    assert "*Sign-off · Critical path*" in text


def test_cash_costs_and_key_figures(stub_diagram: None) -> None:
    text = render_sop(launch())
    assert "- **Cash cost:** $500.00 per execution" in text
    figures = text.split("## Key figures")[1]
    for row in (
        "| Annual labour cost | $41,388.67 |",
        "| Annual cash costs | $14,884.00 |",
        "| Annual total cost | $56,272.67 ($41,388.67 labour + $14,884.00 cash costs) |",
        # 1.2 h of the agency + 1.4 h of the customer per run; 24 runs: 62.4 h.
        "| Hours outside the team per run | 2.6 h |",
        "| Hours outside the team per year | 62.4 h |",
        # Lead time of the typical run: brief 1.5 + visuals 3 + webinar 2 + go/no-go 0.5.
        "| Lead time per run | 7 h (0.88 working days; a typical run, without steps 3, 4, 10) |",
        "| 7. Channel assets | cash costs of each run of “Channel asset” | $104.17 | $2,500.00 |",
        "| Webinar platform | $1,200.00 a year | — | $1,200.00 |",
        "| Paid promotion | $300.00 per run | $300.00 | $7,200.00 |",
        "| **Total cash costs** | | **$570.17** | **$14,884.00** |",
    ):
        assert row in figures, row


def test_a_called_process_is_named_with_its_file_or_linked_in_a_site(
    site: PortfolioCost, stub_diagram: None
) -> None:
    alone = render_sop(launch())
    assert (
        "- **Runs:** Channel asset (asset.yaml) — 3–7 times each time the step is done, "
        "about 5 on average"
    ) in alone
    assert "- **Workload:** 5.56 runs of it per run of this process; each run of it takes " in (
        alone
    )
    assert "1.56 h · $84.38 labour + $18.75 cash = $103.13" in alone
    assert "- **Per year:** 208.33 h · $11,250.00 labour + $2,500.00 cash = $13,750.00" in alone
    linked = render_sop(site.process("launch"), site=site)
    assert "- **Runs:** [Channel asset](asset.md) — 3–7 times" in linked
    html = render_sop(site.process("launch"), fmt="html", site=site)
    assert '<a href="asset.html">Channel asset</a>' in html


def test_a_process_only_others_run_shows_one_run(site: PortfolioCost, stub_diagram: None) -> None:
    text = render_sop(site.process("asset"), site=site)
    assert "- **Called by:** [Product launch](launch.md), step 7. Channel assets" in text
    assert "| Role | Steps | Hours per run | Cost per run |" in text
    assert "- **Per run:** 1.25 h · $68.75 labour + $18.75 cash = $87.50" in text
    assert "This process has no runs of its own" in text
    # 5.56 runs per launch × 24 launches = 133.33 runs a year, made by the launch.
    assert "| Runs a year made by other processes | 133.33 |" in text
    assert "| Fixed cash costs per year | $348.00 |" in text  # $29 a month
    assert "Annual hours" not in text and "Runs per year" not in text
    html = render_sop(site.process("asset"), fmt="html", site=site)
    assert '<a href="launch.html">Product launch</a>' in html


def test_a_column_of_hours_keeps_one_unit(site: PortfolioCost, stub_diagram: None) -> None:
    """1.25 h beside 19 min reads as 1.25 beside 19: a column shows every role's hours in
    hours once one has an hour or more, in minutes only when all are under one."""
    text = render_sop(site.process("asset"), site=site)
    assert "| Designer | 1. Draft the asset | 1.25 h | $68.75 |" in text
    assert "| Editor | 2. Brand review | 0.31 h | $15.63 |" in text  # 19 min
    html = render_sop(site.process("asset"), fmt="html", site=site)
    assert '<td class="num">0.31 h</td>' in html


@pytest.mark.parametrize(
    ("language", "values", "shown"),
    [
        ("en", ["1.41", "0.8", "0.32"], ["1.41 h", "0.8 h", "0.32 h"]),
        ("en", ["0.8", "0.32", "0"], ["48 min", "19 min", "0 min"]),
        ("en", ["0", "0"], ["0 h", "0 h"]),
        ("ko", ["2", "0.25"], ["2시간", "0.25시간"]),
        ("ru", ["0.8", "0.05"], ["48 мин", "3 мин"]),
        ("ru", ["1.5", "0.05"], ["1,5 ч", "0,05 ч"]),
    ],
)
def test_hours_column_picks_one_unit(language: str, values: list[str], shown: list[str]) -> None:
    from decimal import Decimal

    from sopkit.render.i18n import catalogue, hours_column

    assert hours_column(catalogue(language), [Decimal(v) for v in values]) == shown


def test_a_process_run_on_its_own_and_called_says_both(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "caller.yaml").write_text(
        "sopkit: 1\nid: caller\nname: Caller\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: c, name: C, process: inner, count: 2, done_when: x}\n",
        encoding="utf-8",
    )
    (tmp_path / "inner.yaml").write_text(
        "sopkit: 1\nid: inner\nname: Inner\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Editor, time: 1h, done_when: x}\n",
        encoding="utf-8",
    )
    costs = cost_portfolio(load_portfolio(tmp_path))
    text = render_sop(costs.process("inner"), site=costs)
    # Its own 12 runs a year, plus 2 × 12 = 24 made by the caller and costed there.
    assert "| Runs per year | 12 (plus 24 a year run by Caller, costed there) |" in text
    assert "| Annual cost | $600.00 |" in text


@pytest.mark.parametrize(
    ("language", "markdown", "html"),
    [
        (
            "ko",
            "- **호출하는 프로세스:** [제품 출시](launch-ko.md), 단계 7. 채널별 소재",
            '<a href="launch-ko.html">제품 출시</a>, '
            '<span class="muted">단계 7. 채널별 소재</span>',
        ),
        (
            "ru",
            "- **Запускается из:** [Запуск продукта](launch-ru.md), шаг 7. Материалы для каналов",
            '<a href="launch-ru.html">Запуск продукта</a>, '
            '<span class="muted">шаг 7. Материалы для каналов</span>',
        ),
    ],
    ids=["ko", "ru"],
)
def test_called_by_names_the_callers_step_in_words(
    language: str, markdown: str, html: str, stub_diagram: None
) -> None:
    """The caller's file is in brackets already: its step follows after a comma, named as
    a step, not in brackets of its own (``Launch (launch.yaml) (7. Channel assets)``)."""
    costs = cost_portfolio(load_portfolio(ADDITIONS / language))
    asset = next(p.id for p in costs.processes if p.id.startswith("asset"))
    assert markdown in render_sop(costs.process(asset), site=costs)
    assert html in render_sop(costs.process(asset), fmt="html", site=costs)


def test_called_by_two_steps_says_steps(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "caller.yaml").write_text(
        "sopkit: 1\nid: caller\nname: Заказчик\nowner: Editor\nfrequency: 1/month\n"
        "language: ru\nsteps:\n"
        "  - {id: c, name: Первый, process: inner, done_when: x}\n"
        "  - {id: d, name: Второй, process: inner, after: [c], done_when: x}\n",
        encoding="utf-8",
    )
    (tmp_path / "inner.yaml").write_text(
        "sopkit: 1\nid: inner\nname: Inner\nowner: Editor\nlanguage: ru\nsteps:\n"
        "  - {id: a, name: A, owner: Editor, time: 1h, done_when: x}\n",
        encoding="utf-8",
    )
    costs = cost_portfolio(load_portfolio(tmp_path))
    text = render_sop(costs.process("inner"), site=costs, diagram=False)
    assert "- **Запускается из:** [Заказчик](caller.md), шаги 1. Первый; 2. Второй" in text


def test_every_value_of_the_additions_is_escaped(tmp_path: Path, stub_diagram: None) -> None:
    hostile = "[x](javascript:alert(1)) <b>*</b>"
    (tmp_path / "roles.yaml").write_text(
        f'roles:\n  Editor: {{rate: 50}}\n  "{hostile}": {{kind: external}}\n', encoding="utf-8"
    )
    (tmp_path / "p.yaml").write_text(
        textwrap.dedent(
            f"""\
            sopkit: 1
            id: p
            name: P
            owner: Editor
            frequency: 1/month
            conditions:
              c: {{question: "{hostile}", share: 0.5}}
            expenses:
              - {{name: "{hostile}", amount: 5, per: run}}
            steps:
              - id: a
                name: A
                owner: Editor
                with: ["{hostile}"]
                when: c
                approval: true
                time: 1h
                done_when: x
              - {{id: b, name: "{hostile}", milestone: true, after: [a]}}
              - {{id: c, name: C, process: q, after: [b], done_when: x}}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "q.yaml").write_text(
        f'sopkit: 1\nid: q\nname: "{hostile}"\nowner: Editor\nsteps:\n'
        "  - {id: a, name: A, owner: Editor, time: 1h, done_when: x}\n",
        encoding="utf-8",
    )
    costs = cost_portfolio(load_portfolio(tmp_path))
    for fmt in ("markdown", "html"):
        for process in ("p", "q"):
            text = render_sop(costs.process(process), fmt=fmt, site=costs)
            assert "<b>" not in text, (fmt, process, text[text.index("<b>") - 200 :][:400])
            if fmt == "markdown":  # a link needs an unescaped "](": there is none
                assert not re.search(r"(?<!\\)\]\(javascript", text), process
            else:
                assert "javascript" not in "".join(re.findall(r'href="[^"]*"', text)), process
    markdown = render_sop(costs.process("p"), site=costs)
    assert r"\[x\](javascript:alert(1)) &lt;b&gt;\*&lt;/b&gt;" in markdown
    checklist = render_checklist(load_process(tmp_path / "p.yaml"))
    assert "<b>" not in checklist
    assert not re.search(r"(?<!\\)\]\(javascript", checklist)


def test_the_document_model_keeps_the_figures_apart(stub_diagram: None) -> None:
    document = sop_document(launch())
    steps = {s.id: s for s in document.steps}
    assert [s.kind for s in document.steps].count("milestone") == 1
    assert steps["assets"].kind == "call" and steps["assets"].call is not None
    assert steps["assets"].call.process.file == "asset.yaml"
    assert steps["assets"].call.process.href is None
    assert steps["go"].approval and steps["legal"].approval
    assert [s.step.id for s in document.signoffs] == ["legal", "go"]
    assert document.expense_total is not None
    assert document.expense_total.per_year == "$14,884.00"


# --- the checklist ------------------------------------------------------------------------


def test_checklist_uses_the_sops_words() -> None:
    sop = render_sop(launch())
    text = render_checklist(load_process(LAUNCHES["en"]))
    for condition in re.findall(r"^> \*\*Only when:\*\* (.+)$", sop, flags=re.M):
        assert f"  - *Only when: {condition}*" in text
    assert "Optional" not in text  # the condition's runs need the step: it is not optional
    assert "- [ ] 3. **Legal review** — Sign-off by Legal Counsel · done when:" in text
    assert "- [ ] 9. **Launch is live** — milestone: tick it when it happens\n" in text
    assert (
        "- [ ] 7. **Channel assets** — for each of 3–7 items: run “Channel asset” (asset.yaml) · "
    ) in text
    assert "— Product Marketing Manager with Product Manager, 2 × Engineering Manager · " in text
    assert "— Release Bot (system, already automated) · " in text


def test_checklist_names_a_fixed_count(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "caller.yaml").write_text(
        "sopkit: 1\nid: caller\nname: Caller\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: c, name: Items, process: inner, count: 40, done_when: x}\n"
        "  - {id: d, name: Once, process: inner, after: [c], done_when: x}\n",
        encoding="utf-8",
    )
    (tmp_path / "inner.yaml").write_text(
        "sopkit: 1\nid: inner\nname: Inner\nowner: Editor\nsteps:\n"
        "  - {id: a, name: A, owner: Editor, time: 1h, done_when: x}\n",
        encoding="utf-8",
    )
    text = render_checklist(load_process(tmp_path / "caller.yaml"))
    assert (
        "- [ ] 1. **Items** — for each of 40 items: run “Inner” (inner.yaml) · done when: x\n"
        in text
    )
    # 40 runs: a line to fill in, not 40 boxes; one run: the box is its tick
    assert "x\n  - Items done: \\_\\_\\_\\_ of 40\n- [ ] 2." in text
    assert "- [ ] 2. **Once** — run “Inner” (inner.yaml) · done when: x\n" in text
    assert "item 1" not in text


def test_a_sop_printed_from_its_file_names_the_processes_beside_it_that_run_it(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from sopkit.cli import app
    from sopkit.load import callers_of

    library = ROOT / "processes" / "en"
    for name in ("roles.yaml", "feature-item.yaml", "release-post.yaml"):
        (tmp_path / name).write_bytes((library / name).read_bytes())
    item = tmp_path / "feature-item.yaml"
    result = CliRunner().invoke(app, ["sop", str(item)])
    assert result.exit_code == 0, result.output
    portfolio = callers_of(load_process(item))
    assert [p.id for p in portfolio.processes] == ["feature-item", "release-post"]
    cost = cost_portfolio(portfolio)
    expected = render_sop(cost.process("feature-item"), callers=portfolio.processes[1:])
    assert result.stdout == expected
    assert (
        "- **Called by:** Monthly release post (release-post.yaml), step 4. Feature write-ups"
        in (result.stdout)
    )
    # Its candidates count the calls' executions, as on the site: the tool pays off.
    assert "saves $3,240.00 a year (net)" in result.stdout
    # A caller that cannot be loaded leaves the process alone, as before.
    (tmp_path / "release-post.yaml").write_text(
        (library / "release-post.yaml").read_text("utf-8").replace("owner:", "ownr:", 1),
        encoding="utf-8",
    )
    assert callers_of(load_process(item)).processes[1:] == ()
    alone = CliRunner().invoke(app, ["sop", str(item)])
    assert alone.exit_code == 0 and "Called by" not in alone.stdout


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_a_procedures_documents_speak_lang_among_its_callers(tmp_path: Path, language: str) -> None:
    """``--lang`` on a procedure's file: costed among the processes that run it, it is
    still the copy in that language that is written, not the file read again with them
    (feature-item's SOP and diagram came out in English); ``--roles`` holds as well."""
    from typer.testing import CliRunner

    from sopkit.analysis import cost_among_callers, rank_candidates
    from sopkit.cli import app
    from sopkit.load import callers_of
    from sopkit.render.diagram import draw
    from sopkit.render.i18n import catalogue

    library = ROOT / "processes" / "en"
    for name in ("roles.yaml", "feature-item.yaml", "release-post.yaml"):
        (tmp_path / name).write_bytes((library / name).read_bytes())
    other = tmp_path / "other" / "roles.yaml"  # the Technical Writer at twice the rate
    other.parent.mkdir()
    other.write_text(
        (library / "roles.yaml")
        .read_text("utf-8")
        .replace("Technical Writer:\n    rate: 48 ", "Technical Writer:\n    rate: 96 "),
        encoding="utf-8",
    )
    item = tmp_path / "feature-item.yaml"
    given = load_process(item, roles=other).in_language(language)
    portfolio = callers_of(given, roles=other)
    (caller,) = portfolio.processes[1:]
    costed = cost_among_callers(portfolio.processes, procedures=True)
    cost = costed.processes[0]
    assert cost.called_by == ("release-post",)
    t = catalogue(language)

    runner = CliRunner()
    options = ["--lang", language, "--roles", str(other)]
    sop = runner.invoke(app, ["sop", str(item), *options])
    assert sop.exit_code == 0, sop.output
    expected = render_sop(cost, candidates=rank_candidates(costed), callers=(caller,))
    assert sop.stdout == expected
    assert f"*{t('doc.kind')}*" in sop.stdout and "Standard operating procedure" not in sop.stdout
    assert f"**{t('field.called_by')}:** Monthly release post (release-post.yaml)" in sop.stdout
    assert given.role("Technical Writer").rate == 96  # and its figures are the --roles ones
    assert sop.stdout != runner.invoke(app, ["sop", str(item), "--lang", language]).stdout
    diagram = runner.invoke(app, ["diagram", str(item), "--format", "mermaid", *options])
    assert diagram.exit_code == 0, diagram.output
    assert diagram.stdout == draw(cost, "mermaid").data.decode("utf-8")
    assert " a run" not in diagram.stdout
    checklist = runner.invoke(app, ["checklist", str(item), *options])
    assert checklist.exit_code == 0, checklist.output
    assert checklist.stdout == render_checklist(cost_process(given))
    # The source: the given copy is costed, and its caller runs that copy.
    assert portfolio.processes[0] is given
    assert caller.callees["feature-item"] is given


def test_candidates_of_a_procedures_file_count_its_callers_runs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sopkit.cli import app
    from sopkit.render.costs import candidates_report

    library = ROOT / "processes" / "en"
    for name in ("roles.yaml", "feature-item.yaml", "release-post.yaml"):
        (tmp_path / name).write_bytes((library / name).read_bytes())
    alone = CliRunner().invoke(
        app, ["candidates", str(tmp_path / "feature-item.yaml"), "--format", "csv"]
    )
    whole = candidates_report(load_portfolio(tmp_path), fmt="csv")
    # The feature write-up's row is the same as in the whole folder's list: 480 runs a year.
    row = next(line for line in whole.splitlines() if ",feature-item,writer-review," in line)
    assert alone.exit_code == 0, alone.output
    assert alone.stdout.splitlines()[1].split(",", 1)[1] == row.split(",", 1)[1]
    assert ",3240.00,0.00,3240.00," in row  # net $3,240 a year: its callers' 480 runs, not none
    assert len(alone.stdout.splitlines()) == 2  # and only its own


def test_cost_of_a_procedures_file_names_its_callers(tmp_path: Path) -> None:
    """``sopkit cost`` on a procedure's file alone says who runs it and how often (as the
    folder's report does), in the table, the JSON and --explain; alone, it says why all
    its figures a year are zero."""
    import json

    from typer.testing import CliRunner

    from sopkit.cli import app

    library = ROOT / "processes" / "en"
    for name in ("roles.yaml", "feature-item.yaml", "release-post.yaml"):
        (tmp_path / name).write_bytes((library / name).read_bytes())
    item = str(tmp_path / "feature-item.yaml")
    runner = CliRunner()
    table = runner.invoke(app, ["cost", item])
    assert table.exit_code == 0, table.output
    assert (
        "feature-item runs only when release-post runs it (40.00 runs a month): its work is "
        "costed once, in the calling steps of release-post;" in table.stdout
    )
    data = json.loads(runner.invoke(app, ["cost", item, "--format", "json"]).stdout)
    [process] = data["processes"]
    assert (process["called_by"], process["called_runs_per_month"]) == (["release-post"], 40.0)
    explained = runner.invoke(app, ["cost", item, "--explain", "writer-review"]).stdout
    assert "'feature-item' also runs when release-post runs it: 40.00 runs a month" in explained
    # The diagram: one run's cost, and the automation saving on the callers' runs.
    drawn = runner.invoke(app, ["diagram", item, "--format", "mermaid"]).stdout
    assert "$22.50 a run<br/>automate 30%<br/>saves $3,240.00/yr" in drawn

    (tmp_path / "release-post.yaml").unlink()
    alone = runner.invoke(app, ["cost", item])
    assert alone.exit_code == 0, alone.output
    assert (
        "feature-item has no frequency and no process here runs it, so its figures a year are "
        "zero" in alone.stdout
    )
    drawn = runner.invoke(app, ["diagram", item, "--format", "mermaid"]).stdout
    assert '$22.50 a run<br/>automate 30%"' in drawn
