"""Automation candidates by hand: savings, tool and setup cost, payback and ROI."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from sopkit import load_portfolio, load_process
from sopkit.analysis import cost_portfolio, rank_candidates
from sopkit.render.numbers import percent_text, round_money, round_number

FIXTURES = ROOT / "tests" / "fixtures"
D = Decimal


def process(steps: str, pid: str = "p") -> str:
    return f"sopkit: 1\nid: {pid}\nname: P\nowner: Editor\nfrequency: 4/month\nsteps:\n{steps}"


def candidates_of(path: Path, **kwargs: object) -> list:
    return rank_candidates(cost_portfolio([load_process(path)]), **kwargs)  # type: ignore[arg-type]


def test_the_spec_example() -> None:
    research, social = rank_candidates(cost_portfolio(load_portfolio(FIXTURES / "t1")))
    # research: $4,320 × 0.5 = $2,160 gross = net; nothing invested: payback 0, ROI undefined
    assert (research.step_id, research.gross_saving, research.net_saving) == (
        "research",
        2160,
        2160,
    )
    assert (research.tool_cost, research.setup_cost, research.payback_months) == (0, 0, 0)
    assert research.roi_percent is None
    assert percent_text(research.roi_percent) == "—"
    assert research.hours_saved == 48  # 96 h × 0.5
    # social: $1,260 × 0.8 = $1,008 gross; − $600 Buffer = $408 net; setup 6 h × $35 = $210
    # payback 210 ÷ (408 ÷ 12) = 210 ÷ 34 = 6.18 months
    # ROI (1,008 − 600 − 210) × 100 ÷ (600 + 210) = 19,800 ÷ 810 = 24.44 %
    assert (social.gross_saving, social.tool_cost, social.net_saving) == (1008, 600, 408)
    assert (social.setup_hours, social.setup_cost) == (6, 210)
    assert round_number(social.payback_months) == D("6.18")  # type: ignore[arg-type]
    assert round_number(social.roi_percent) == D("24.44")  # type: ignore[arg-type]
    # 28.8 h freed ÷ (260 × 8) = 0.0138 FTE
    assert social.hours_saved == D("28.8")
    assert round_number(social.fte_freed, 4) == D("0.0138")


def test_tool_cost_per_month_and_setup_in_days(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 5h,"
        " automation: {share: 0.5, tool: Zap, tool_cost: 50/month, setup: 1d}}\n"
    )
    (c,) = candidates_of(write_process(process(steps)))
    # cost 5 h × 4 × 12 = 240 h × $50 = $12,000; gross $6,000; tool 50 × 12 = $600; net $5,400
    # setup 1 d = 8 h × $50 = $400; payback 400 ÷ (5,400 ÷ 12) = 400 ÷ 450 = 0.89 months
    # ROI (6,000 − 600 − 400) × 100 ÷ 1,000 = 500 %
    assert (c.gross_saving, c.tool_cost, c.net_saving, c.setup_cost) == (6000, 600, 5400, 400)
    assert round_number(c.payback_months) == D("0.89")
    assert c.roi_percent == 500
    assert c.tool == "Zap"


def test_a_tool_that_costs_more_than_it_saves(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Social Media Manager, time: 15m, per_run: 3,"
        " automation: {share: 0.5, tool_cost: 1000, setup: 2h}}\n"
    )
    (c,) = candidates_of(write_process(process(steps)))
    # cost $1,260; gross $630; net 630 − 1,000 = −$370: it never pays back.
    # ROI (630 − 1,000 − 70) × 100 ÷ (1,000 + 70) = −44,000 ÷ 1,070 = −41.12 %
    assert c.net_saving == -370
    assert c.payback_months is None
    assert round_number(c.roi_percent) == D("-41.12")  # type: ignore[arg-type]


def test_tool_cost_without_setup_pays_back_at_once(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h, automation: {share: 1, tool_cost: 1200}}\n"
    )
    (c,) = candidates_of(write_process(process(steps)))
    # cost 48 h × $50 = $2,400 = gross; net $1,200; nothing to set up: payback 0
    # ROI (2,400 − 1,200 − 0) × 100 ÷ 1,200 = 100 %
    assert (c.net_saving, c.payback_months, c.roi_percent) == (1200, 0, 100)


def test_setup_with_no_net_saving_never_pays_back(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool_cost: 1200, setup: 1h}}\n"
    )
    (c,) = candidates_of(write_process(process(steps)))
    # gross $1,200 − tool $1,200 = $0 net: the $50 setup is never earned back
    assert (c.net_saving, c.payback_months) == (0, None)


def test_steps_without_a_share_are_no_candidates(write_process: Callable[..., Path]) -> None:
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a], automation: 0}\n"
    )
    assert candidates_of(write_process(process(steps))) == []


def test_ranking_ties_filters_and_top(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    # Every step costs 48 h × $50 = $2,400 a year; a share of 0.5 saves $1,200.
    same = "automation: 0.5"
    (tmp_path / "b.yaml").write_text(
        process(
            f"  - {{id: z, name: Z, owner: Editor, time: 1h, {same}}}\n"
            f"  - {{id: y, name: Y, owner: Editor, time: 1h, after: [z], {same}}}\n",
            "b-proc",
        ),
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text(
        process(
            f"  - {{id: w, name: W, owner: Editor, time: 1h, {same}}}\n"
            "  - {id: big, name: Big, owner: Editor, time: 2h, after: [w], automation: 0.5}\n"
            "  - {id: small, name: S, owner: Editor, time: 1h, after: [big], automation: 0.1}\n",
            "a-proc",
        ),
        encoding="utf-8",
    )
    costs = cost_portfolio(load_portfolio(tmp_path))
    ranked = [(c.process_id, c.step_id, c.net_saving) for c in rank_candidates(costs)]
    # big saves $2,400; then four ties at $1,200 by process id, then step id; small $240
    assert ranked == [
        ("a-proc", "big", 2400),
        ("a-proc", "w", 1200),
        ("b-proc", "y", 1200),
        ("b-proc", "z", 1200),
        ("a-proc", "small", 240),
    ]
    assert [c.step_id for c in rank_candidates(costs, top=2)] == ["big", "w"]
    assert [c.step_id for c in rank_candidates(costs, min_saving=D(1200))] == [
        "big",
        "w",
        "y",
        "z",
    ]
    assert rank_candidates(costs, top=0) == []


@pytest.mark.parametrize(("currency", "shown"), [("KRW", D(1080000)), ("USD", D("1080000.00"))])
def test_krw_candidate(currency: str, shown: D) -> None:
    costs = cost_portfolio(load_portfolio(FIXTURES / "krw"))
    write = rank_candidates(costs)[0]
    # ₩4,320,000 × 0.25 = ₩1,080,000 gross; tool 20,000 × 12 = ₩240,000; net ₩840,000
    # setup 4 h × ₩30,000 = ₩120,000; payback 120,000 ÷ 70,000 = 1.71 months;
    # ROI (1,080,000 − 240,000 − 120,000) × 100 ÷ 360,000 = 200 %
    assert round_money(write.gross_saving, currency) == shown
    assert (write.net_saving, write.setup_cost, write.roi_percent) == (840000, 120000, 200)
    assert round_number(write.payback_months) == D("1.71")  # type: ignore[arg-type]


def test_a_processs_candidates_are_found_once_and_ranked_the_same_each_time() -> None:
    """The SOP, report, workbook and CSV of one build all rank: the work is done once."""
    from sopkit.analysis.candidates import own_candidates

    cost = cost_portfolio(load_portfolio([ROOT / "processes" / "en"]))
    first = rank_candidates(cost)
    for process in cost.processes:
        assert process.found_candidates is not None
        assert own_candidates(process) is process.found_candidates
    again = rank_candidates(cost)
    assert again == first and again is not first  # a new list: callers may change theirs
    fresh = rank_candidates(cost_portfolio(load_portfolio([ROOT / "processes" / "en"])))
    assert fresh == first


def test_a_tool_paid_for_on_another_step_is_named_there(write_process: Callable[..., Path]) -> None:
    """A finance trial read "payback immediately" for a step whose tool's licence was
    written on another step: the candidate says where the tool is paid for."""
    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool: Customer.io, tool_cost: 1200}}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " automation: {share: 0.5, tool: customer.IO}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b],"
        " automation: {share: 0.5, tool: Zapier}}\n"
    )
    by_step = {c.step_id: c for c in candidates_of(write_process(process(steps)))}
    assert by_step["b"].tool_paid_by == ("p/a",)
    assert by_step["b"].payback_months == 0  # the figures are as before: only the note is new
    assert by_step["a"].tool_paid_by == by_step["c"].tool_paid_by == ()
    # A filter keeps the note: the paying step need not be listed itself.
    kept = candidates_of(write_process(process(steps)), min_saving=D(1000))  # a nets $0
    assert {c.step_id: c.tool_paid_by for c in kept} == {"b": ("p/a",), "c": ()}


def test_the_report_names_where_a_shared_tool_is_paid_for(
    write_process: Callable[..., Path],
) -> None:
    import json

    from sopkit.render.costs import candidates_report

    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool: Canva, tool_cost: 120}}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " automation: {share: 0.5, tool: Canva}}\n"
    )
    costs = cost_portfolio([load_process(write_process(process(steps)))])
    table = candidates_report(costs)
    assert "Canva's cost is counted on p/a; p/b uses it at no cost of its own: its payback" in table
    data = json.loads(candidates_report(costs, fmt="json"))
    assert {c["step"]: c["tool_paid_by"] for c in data["candidates"]} == {"a": [], "b": ["p/a"]}


@pytest.mark.parametrize(
    ("language", "same", "other"),
    [
        ("en", "paid for on “A”", "paid for on “X” in Q"),
        ("ko", "비용은 “A”에 포함", "비용은 Q의 “X”에 포함"),
        ("ru", "оплачен в шаге «A»", "оплачен в шаге «X» процесса «Q»"),
    ],
)
def test_the_dashboard_and_report_say_where_a_shared_tool_is_paid_for(
    write_process: Callable[..., Path], language: str, same: str, other: str
) -> None:
    from sopkit.render.i18n import catalogue
    from sopkit.render.totals import tool_paid_text

    head = process(
        "  - {id: a, name: A, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool: Canva, tool_cost: 120}}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a],"
        " automation: {share: 0.5, tool: Canva}}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [b],"
        " automation: {share: 0.5, tool: Miro}}\n"
    )
    first = write_process(head)
    second = write_process(
        "sopkit: 1\nid: q\nname: Q\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: x, name: X, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool: Miro, tool_cost: 99}}\n",
        name="q.yaml",
    )
    cost = cost_portfolio([load_process(first), load_process(second)])
    by_step = {c.step_id: c for c in rank_candidates(cost)}
    t = catalogue(language)
    assert tool_paid_text(by_step["b"], cost, t) == same
    assert tool_paid_text(by_step["c"], cost, t) == other
    assert tool_paid_text(by_step["a"], cost, t) == ""


def test_an_sop_names_where_its_shared_tool_is_paid_for(write_process: Callable[..., Path]) -> None:
    from sopkit.render.sop import render_sop

    steps = (
        "  - {id: a, name: Alpha, owner: Editor, time: 1h,"
        " automation: {share: 0.5, tool: Canva, tool_cost: 120}}\n"
        "  - {id: b, name: Beta, owner: Editor, time: 1h, after: [a],"
        " automation: {share: 0.5, tool: Canva}}\n"
    )
    cost = cost_portfolio([load_process(write_process(process(steps)))])
    markdown = render_sop(cost.processes[0], diagram=False)
    assert "| 2. Beta (Canva, paid for on “Alpha”) |" in markdown
    html = render_sop(cost.processes[0], fmt="html", diagram=False, site=cost)
    assert "Canva (paid for on “Alpha”)</span>" in html


def test_a_caller_s_file_alone_lists_the_candidates_of_the_procedures_it_runs(
    processes_dir: Path,
) -> None:
    """A trial lost its webinar's best saving (a promo email procedure's step) when it
    asked for the webinar's candidates alone: they come from the webinar's runs."""
    from typer.testing import CliRunner

    from sopkit import with_procedures
    from sopkit.cli import app

    folder = processes_dir / "en"
    everything = {(c.process_id, c.step_id): c for c in rank_candidates(load_portfolio(folder))}
    alone = rank_candidates(with_procedures(load_portfolio(folder / "release-post.yaml")))
    assert {(c.process_id, c.step_id) for c in alone} == {
        ("release-post", "reminders"),
        ("release-post", "social-prep"),
        ("feature-item", "writer-review"),
    }
    for candidate in alone:  # at the same runs as in the whole folder's list
        key = (candidate.process_id, candidate.step_id)
        assert candidate.exact_net_saving == everything[key].exact_net_saving
    result = CliRunner().invoke(app, ["candidates", str(folder / "release-post.yaml")])
    assert result.exit_code == 0 and "writer-review" in result.stdout
    # without it, as before, only the caller's own steps
    own = rank_candidates(load_portfolio(folder / "release-post.yaml"))
    assert {c.process_id for c in own} == {"release-post"}


def test_an_sop_given_the_portfolio_s_candidates_without_the_site_names_others_by_id(
    write_process: Callable[..., Path],
) -> None:
    """A review found render_sop(cost, candidates=rank_candidates(portfolio)) raising
    KeyError: the tool's payer is in a process the SOP was not given."""
    from sopkit.render.sop import render_sop

    write_process(
        process(
            "  - {id: a, name: Alpha, owner: Editor, time: 1h,"
            " automation: {share: 0.5, tool: Canva, tool_cost: 120}}\n"
        ),
        name="p.yaml",
    )
    other = write_process(
        process(
            "  - {id: b, name: Beta, owner: Editor, time: 1h,"
            " automation: {share: 0.5, tool: Canva}}\n",
            pid="q",
        ),
        name="q.yaml",
    )
    portfolio = cost_portfolio(load_portfolio(other.parent))
    markdown = render_sop(portfolio.process("q"), candidates=rank_candidates(portfolio))
    assert "| 1. Beta (Canva, paid for on “a” in p) |" in markdown


def test_with_procedures_wants_a_portfolio() -> None:
    from sopkit import with_procedures
    from sopkit.errors import UsageError

    with pytest.raises(UsageError, match="expected a Portfolio, not str"):
        with_procedures("processes/en")  # type: ignore[arg-type]


def test_a_procedure_two_calls_down_given_alone_counts_the_runs_at_the_top(
    tmp_path: Path,
) -> None:
    """A review found `sopkit candidates deep.yaml` at $0.00 a year (A runs B runs C,
    only C given): its callers' callers are read too, while they have no runs of their own."""
    from sopkit.analysis import cost_among_callers
    from sopkit.load import callers_of

    (tmp_path / "roles.yaml").write_text(
        "currency: USD\nroles:\n  Writer: {rate: 50}\n  Ops: {rate: 40}\n", encoding="utf-8"
    )
    head = "sopkit: 1\nid: {id}\nname: {id}\nowner: Ops\n{frequency}steps:\n"
    (tmp_path / "caller.yaml").write_text(
        head.format(id="caller", frequency="frequency: 4/month\n")
        + "  - {id: draft, name: Draft, owner: Writer, time: 2h}\n"
        + "  - {id: send, name: Send, after: [draft], process: proc}\n",
        encoding="utf-8",
    )
    (tmp_path / "proc.yaml").write_text(
        head.format(id="proc", frequency="")
        + "  - {id: email, name: Email, owner: Ops, time: 3h}\n"
        + "  - {id: sub, name: Sub, after: [email], process: deep}\n",
        encoding="utf-8",
    )
    deep = tmp_path / "deep.yaml"
    deep.write_text(
        head.format(id="deep", frequency="")
        + "  - {id: check, name: Check, owner: Ops, time: 4h,"
        + " automation: {share: 0.5, tool: Bot}}\n",
        encoding="utf-8",
    )
    found = callers_of(load_process(deep))
    assert [p.id for p in found.processes] == ["deep", "proc", "caller"]
    cost = cost_among_callers(found.processes).processes[0]
    assert cost.called_by == ("proc",)  # the SOP names who calls it, not who calls them
    # 4 h × 4 runs a month × 12 × $40 = $7,680, as in the folder's list
    (alone,) = rank_candidates(cost_among_callers(found.processes))
    (in_folder,) = [c for c in rank_candidates(load_portfolio(tmp_path)) if c.step_id == "check"]
    assert alone.annual_cost == in_folder.annual_cost == 7680


# --- the candidates of the procedures a process runs, in its SOP and its own list -----------


def _sop_rows(markdown: str) -> list[str]:
    """The rows of a Markdown SOP's top candidates table, first cell to last."""
    section = markdown.split("### Top automation candidates", 1)[1].split("\n---", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][
        1:
    ]


def test_a_caller_s_sop_lists_the_candidates_sopkit_candidates_lists(processes_dir: Path) -> None:
    """The release post's SOP listed its own candidates only, while `sopkit candidates` of
    its file put a feature write-up's review first ($3,240.00 a year, from its runs)."""
    import json

    from typer.testing import CliRunner

    from sopkit.cli import app

    file = processes_dir / "en" / "release-post.yaml"
    listed = CliRunner().invoke(app, ["candidates", str(file), "--format", "json"])
    ranked = json.loads(listed.stdout)["candidates"][:3]
    sop = CliRunner().invoke(app, ["sop", str(file), "--no-diagram"])
    assert listed.exit_code == 0 and sop.exit_code == 0
    rows = _sop_rows(sop.stdout)
    assert all(f"${c['net_saving']:,.2f}" in row for c, row in zip(ranked, rows, strict=True))
    assert rows[0] == (
        "| “Technical writer review” in Release post feature write-up, run at step 4. Feature "
        "write-ups (Vale style linter in the pipeline) | Technical Writer | 30% | $3,240.00 "
        "| 2.8 months |"
    )
    assert rows[1].startswith("| 3. Remind PMs and EMs before each due date (Slack")


def _chain(folder: Path, *, paid_in_deep: bool = False) -> None:
    """caller (4 runs a month) runs proc, which runs deep; neither of those runs alone."""
    (folder / "roles.yaml").write_text(
        "currency: USD\nroles:\n  Writer: {rate: 50}\n  Ops: {rate: 40}\n", encoding="utf-8"
    )
    head = "sopkit: 1\nid: {id}\nname: {name}\nowner: Ops\n{frequency}steps:\n"
    tool_cost = ", tool_cost: 300/year" if paid_in_deep else ""
    (folder / "caller.yaml").write_text(
        head.format(id="caller", name="Caller", frequency="frequency: 4/month\n")
        + "  - {id: draft, name: Draft, owner: Writer, time: 2h,"
        + " automation: {share: 0.25, tool: Bot}}\n"
        + "  - {id: send, name: Send, after: [draft], process: proc}\n",
        encoding="utf-8",
    )
    (folder / "proc.yaml").write_text(
        head.format(id="proc", name="Procedure", frequency="")
        + "  - {id: email, name: Email, owner: Ops, time: 3h, automation: {share: 0.1}}\n"
        + "  - {id: sub, name: Sub, after: [email], process: deep}\n",
        encoding="utf-8",
    )
    (folder / "deep.yaml").write_text(
        head.format(id="deep", name="Deep check", frequency="")
        + "  - {id: check, name: Check, owner: Ops, time: 4h,"
        + f" automation: {{share: 0.5, tool: Bot{tool_cost}}}}}\n",
        encoding="utf-8",
    )


def test_a_procedure_that_runs_a_procedure_lists_its_candidates_too(tmp_path: Path) -> None:
    """`sopkit candidates proc.yaml` (run by caller, running deep) listed proc's own
    candidate only: deep's check, which saves on the same runs, was left out."""
    import json

    from typer.testing import CliRunner

    from sopkit.analysis import cost_among_callers
    from sopkit.cli import app
    from sopkit.load import callers_of

    _chain(tmp_path)
    folder = {(c.process_id, c.step_id): c for c in rank_candidates(load_portfolio(tmp_path))}
    result = CliRunner().invoke(
        app, ["candidates", str(tmp_path / "proc.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0
    listed = json.loads(result.stdout)["candidates"]
    assert [(c["process"], c["step"]) for c in listed] == [("deep", "check"), ("proc", "email")]
    for candidate in listed:  # at the caller's runs, as in the folder's list
        key = (candidate["process"], candidate["step"])
        assert candidate["annual_cost"] == float(folder[key].annual_cost)
    # 4 h × 4 runs a month × 12 × $40 = $7,680; half of it saved
    assert listed[0]["net_saving"] == 3840
    sop = CliRunner().invoke(app, ["sop", str(tmp_path / "proc.yaml"), "--no-diagram"])
    assert sop.exit_code == 0
    assert _sop_rows(sop.stdout)[0] == (
        "| “Check” in Deep check, run at step 2. Sub (Bot) | Ops | 50% | $3,840.00 | immediately |"
    )
    found = callers_of(load_process(tmp_path / "proc.yaml"))
    costed = cost_among_callers(found.processes, procedures=True)
    assert [p.id for p in costed.processes] == ["proc", "deep"]
    assert [p.id for p in cost_among_callers(found.processes).processes] == ["proc"]


def test_an_sop_alone_names_a_shared_tool_s_payer_in_a_procedure_it_runs(tmp_path: Path) -> None:
    """A SOP made on its own named a shared tool's payer among its own steps only: the
    caller's Bot is paid for on a step of a procedure it runs, and now it says so."""
    from typer.testing import CliRunner

    from sopkit.cli import app

    _chain(tmp_path, paid_in_deep=True)
    sop = CliRunner().invoke(app, ["sop", str(tmp_path / "caller.yaml"), "--no-diagram"])
    assert sop.exit_code == 0
    rows = _sop_rows(sop.stdout)
    assert rows[1].startswith("| 1. Draft (Bot, paid for on “Check” in Deep check) | Writer |")
    assert rows[0].startswith("| “Check” in Deep check, run at step 2. Send (Bot) | Ops |")


def test_render_sop_ranks_the_procedures_candidates_by_default(tmp_path: Path) -> None:
    """``render_sop(load_process(path))`` lists what ``sopkit sop`` does; a process costed
    among callers it is not given keeps its own (costed again, it would lose their runs)."""
    from sopkit.analysis import cost_among_callers
    from sopkit.load import callers_of
    from sopkit.render.sop import render_sop

    _chain(tmp_path)
    markdown = render_sop(load_process(tmp_path / "caller.yaml"), diagram=False)
    rows = _sop_rows(markdown)
    assert rows[0].startswith("| “Check” in Deep check, run at step 2. Send (Bot) | Ops | 50% |")
    assert "“Email” in Procedure, run at step 2. Send" in rows[2]
    found = callers_of(load_process(tmp_path / "proc.yaml")).processes
    cost = cost_among_callers(found).processes[0]
    with_callers = _sop_rows(render_sop(cost, diagram=False, callers=found[1:]))
    assert [row.split(" | ")[0] for row in with_callers] == [
        "| “Check” in Deep check, run at step 2. Sub (Bot)",
        "| 1. Email",
    ]
    assert [row.split(" | ")[0] for row in _sop_rows(render_sop(cost, diagram=False))] == [
        "| 1. Email"
    ]


def test_the_procedures_a_process_runs(tmp_path: Path) -> None:
    """However deep, each once, nearest first; one that runs on its own is not one, but
    the procedures it runs are."""
    _chain(tmp_path)
    caller = load_process(tmp_path / "caller.yaml")
    assert [p.id for p in caller.procedures] == ["proc", "deep"]
    assert [p.id for p in load_process(tmp_path / "deep.yaml").procedures] == []
    text = (tmp_path / "proc.yaml").read_text(encoding="utf-8")
    (tmp_path / "proc.yaml").write_text(
        text.replace("owner: Ops\nsteps:", "owner: Ops\nfrequency: 1/month\nsteps:"),
        encoding="utf-8",
    )
    assert [p.id for p in load_process(tmp_path / "caller.yaml").procedures] == ["deep"]


def test_a_site_s_sop_pages_list_the_procedures_candidates(tmp_path: Path) -> None:
    """The caller's page links the procedure's step on its page; a site built from the
    caller's file alone (the procedures beside it, with no pages) lists them too."""
    import sopkit.build

    _chain(tmp_path)
    files, _, _ = sopkit.build.render_site(load_portfolio(tmp_path), diagrams=False)
    page = files["processes/caller.md"].decode("utf-8")
    assert _sop_rows(page)[0].startswith(
        "| [“Check” in Deep check, run at step 2. Send](deep.md) (Bot) | Ops | 50% | $3,840.00 |"
    )
    html = files["processes/caller.html"].decode("utf-8")
    assert '<a href="deep.html#step-check">“Check” in Deep check, run at step 2. Send</a>' in html
    assert _sop_rows(files["processes/proc.md"].decode("utf-8"))[0].startswith(
        "| [“Check” in Deep check, run at step 2. Sub](deep.md) (Bot) |"
    )
    alone, _, _ = sopkit.build.render_site(load_portfolio(tmp_path / "caller.yaml"), diagrams=False)
    assert "processes/deep.md" not in alone
    rows = _sop_rows(alone["processes/caller.md"].decode("utf-8"))
    assert rows[0].startswith("| “Check” in Deep check, run at step 2. Send (Bot) | Ops | 50% |")


# --- steps not yet assessed ---------------------------------------------------------------------

UNASSESSED_ROLES = """\
currency: USD
roles:
  Editor: {rate: 50}
  Content Writer: {rate: 40}
  Customer: {kind: external}
  Bot: {kind: system}
"""


def test_the_costliest_steps_without_an_estimate_are_named(
    write_process: Callable[..., Path],
) -> None:
    from sopkit.analysis import unassessed_steps

    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"  # 48 h × $50 = $2,400
        "  - {id: b, name: B, owner: Content Writer, time: 2h, after: [a]}\n"  # 96 h × $40
        "  - {id: c, name: C, owner: Editor, time: 3h, after: [b], automation: 0}\n"  # assessed
        "  - {id: d, name: D, owner: Editor, time: 1h, after: [c], automation: 0.5}\n"
        "  - {id: e, name: E, owner: Customer, time: 1h, after: [d]}\n"  # costs nothing
        "  - {id: f, name: F, owner: Bot, time: 1h, after: [e]}\n"  # a system's work
        "  - {id: g, name: G, after: [f], milestone: true}\n"
    )
    path = write_process(process(steps), roles=UNASSESSED_ROLES)
    costs = cost_portfolio([load_process(path)])
    # labour: a $2,400 + b $3,840 + c $7,200 + d $2,400 = $15,840
    assert costs.annual_cost == 15840
    found = unassessed_steps(costs)
    assert [(u.step_id, u.annual_cost) for u in found] == [("b", 3840), ("a", 2400)]
    # b: 3,840 ÷ 15,840 = 0.2424…; a: 2,400 ÷ 15,840 = 0.1515…
    assert [round_number(u.share_of_labour, 4) for u in found] == [D("0.2424"), D("0.1515")]
    assert found[0].owner == "Content Writer" and found[0].name == "B"
    assert [u.step_id for u in unassessed_steps(costs, top=1)] == ["b"]


def test_a_call_is_not_named_but_its_procedure_s_steps_are(tmp_path: Path) -> None:
    from sopkit.analysis import unassessed_steps

    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "caller.yaml").write_text(
        process("  - {id: run, name: Run, process: item, count: 3}\n", pid="caller"),
        encoding="utf-8",
    )
    (tmp_path / "item.yaml").write_text(
        "sopkit: 1\nid: item\nname: Item\nowner: Editor\n"
        "steps:\n  - {id: write, name: Write, owner: Editor, time: 1h}\n",
        encoding="utf-8",
    )
    costs = cost_portfolio(load_portfolio(tmp_path))
    # 3 items a run × 4 runs a month × 12 = 144 h × $50 = $7,200, all of the labour
    (found,) = unassessed_steps(costs)
    assert (found.process_id, found.step_id, found.annual_cost) == ("item", "write", 7200)
    assert found.share_of_labour == 1


def test_candidates_name_the_steps_not_yet_assessed_in_every_format(
    write_process: Callable[..., Path],
) -> None:
    import json

    from typer.testing import CliRunner

    from sopkit.cli import app

    steps = (
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a], automation: 0.5}\n"
    )
    path = str(write_process(process(steps)))
    runner = CliRunner()
    table = runner.invoke(app, ["candidates", path]).stdout
    assert "Not yet assessed, the costliest first" in table
    assert "  p/a (Editor): $2,400.00 a year, 50.00% of the labour cost" in table
    markdown = runner.invoke(app, ["candidates", path, "--format", "markdown"]).stdout
    assert "\n  - p/a (Editor): $2,400.00 a year, 50.00% of the labour cost" in markdown
    document = json.loads(runner.invoke(app, ["candidates", path, "--format", "json"]).stdout)
    assert document["not_assessed"] == [
        {
            "process": "p",
            "step": "a",
            "name": "A",
            "owner": "Editor",
            "annual_cost": 2400.0,
            "share_of_labour": 0.5,
        }
    ]
    csv = runner.invoke(app, ["candidates", path, "--format", "csv"]).stdout
    assert "assessed" not in csv  # CSV is the ranked rows only


def test_with_no_candidate_at_all_the_steps_to_assess_still_show(
    write_process: Callable[..., Path],
) -> None:
    from typer.testing import CliRunner

    from sopkit.cli import app

    path = str(write_process(process("  - {id: a, name: A, owner: Editor, time: 1h}\n")))
    result = CliRunner().invoke(app, ["candidates", path])
    assert "No step has an automation share" in result.stdout
    assert "p/a (Editor): $2,400.00 a year, 100.00% of the labour cost" in result.stdout
    every = process("  - {id: a, name: A, owner: Editor, time: 1h, automation: 0}\n")
    result = CliRunner().invoke(app, ["candidates", str(write_process(every))])
    assert "assessed" not in result.stdout  # every step has an estimate: nothing to say


def test_a_procedure_s_file_alone_names_its_steps_without_a_share(tmp_path: Path) -> None:
    """Given alone, a procedure counts no labour of its own (its callers' runs do), so its
    steps' share of the labour cost is not a number: the cost is still named."""
    from sopkit.analysis import unassessed_steps

    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "caller.yaml").write_text(
        process("  - {id: run, name: Run, process: item, count: 3}\n", pid="caller"),
        encoding="utf-8",
    )
    item = tmp_path / "item.yaml"
    item.write_text(
        "sopkit: 1\nid: item\nname: Item\nowner: Editor\n"
        "steps:\n  - {id: write, name: Write, owner: Editor, time: 1h}\n",
        encoding="utf-8",
    )
    from sopkit import callers_of, cost_among_callers

    costs = cost_among_callers(callers_of(load_process(item)).processes)
    found = unassessed_steps(costs)
    # 3 items a run × 4 runs a month × 12 = 144 h × $50, at the caller's runs
    assert costs.annual_cost == 0  # the procedure's own runs: none
    assert [(u.step_id, u.annual_cost, u.share_of_labour) for u in found] == [("write", 7200, None)]
