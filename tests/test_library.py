"""The process library is the showcase: every file loads, validates, costs and renders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ENGLISH, PORTFOLIOS, PROCESSES
from typer.testing import CliRunner

from sopkit import lint_process, load_portfolio, load_process
from sopkit.analysis import cost_portfolio, cost_process, rank_candidates
from sopkit.cli import app
from sopkit.library import STARTER, library_entries, new_process
from sopkit.models import RoleKind

LIBRARY = sorted(p for p in PROCESSES.rglob("*.y*ml") if p.name not in ("roles.yaml", "roles.yml"))
REQUIRED = {
    "content-marketing",
    "ppc-search-ads",
    "user-onboarding",
    "lead-generation",
    "lead-nurturing",
    "social-media",
    "sostac-plan-ru",
    "quarterly-roadmap",
    "product-launch",
    "release-post",
    "feature-item",
    "case-study",
}


def test_library_has_the_processes_the_material_names() -> None:
    ids = {load_process(p).id for p in LIBRARY}
    assert REQUIRED <= ids
    languages = {load_process(p).language.value for p in LIBRARY}
    assert {"en", "ko", "ru"} <= languages


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_process_is_complete(path: Path) -> None:
    process = load_process(path)
    assert lint_process(process) == []  # purpose and done_when everywhere
    assert process.trigger and process.owner and process.tools and process.review
    for step in process.steps:
        assert step.instructions, f"{step.id} has no instructions"
        assert step.done_when, f"{step.id} has no done_when"


#: Believable hourly rates and annual costs of one process, per currency: a fully-loaded
#: marketing hour costs roughly $15-250 in the US, ₩15,000-150,000 in Seoul and
#: 400-5,000 roubles in Moscow.
BELIEVABLE = {
    "USD": ((15, 250), (1_000, 100_000)),
    "KRW": ((15_000, 150_000), (1_000_000, 150_000_000)),
    "RUB": ((400, 5_000), (50_000, 10_000_000)),
}


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_costs_are_believable(path: Path) -> None:
    """A marketing lead should nod at these figures: no 6-second steps, no $10,000/h rates.

    Contractors and agencies are held to the same hourly bounds as staff; the customer,
    analysts and systems have no rate. A procedure that runs only when called (no
    frequency) is judged by what its calls cost in a year, as its caller pays it.
    """
    process = load_process(path)
    cost = cost_process(process)
    clock = process.settings.clock
    (low_rate, high_rate), (low_cost, high_cost) = BELIEVABLE[process.settings.currency]
    for step in process.steps:
        if step.time is not None:
            assert step.time.low.in_hours(clock) >= Decimal(5) / 60, step.id
        for role in [*([step.owner] if step.owner and step.time else []), *step.participants]:
            definition = process.settings.roles[role]
            if definition.rate is not None:
                assert low_rate <= definition.rate <= high_rate, role
            else:  # only outside parties and systems may go without a rate
                assert definition.kind is not RoleKind.STAFF, role
    annual = cost.annual_cost
    if process.frequency is None:
        called = cost_portfolio(load_portfolio(path.parent)).process(process.id)
        assert called.called_by, f"{process.id} has no frequency and nothing runs it"
        annual = called.cost_per_run * called.called_runs_per_month * 12
    assert low_cost <= annual <= high_cost, annual
    assert cost.annual_expenses <= high_cost, cost.annual_expenses
    assert cost.schedule.lead_time_hours > 0
    # The critical path starts where the typical run starts: no step before it runs.
    typical = set(cost.schedule.typical_run)
    first = process.step(cost.schedule.critical_path[0])
    assert not typical.intersection(first.after)


def _kinds(process_id: str) -> dict[str, set[str]]:
    """Roles of one English library process by kind, owners and participants alike."""
    process = load_process(ENGLISH / f"{process_id}.yaml")
    found: dict[str, set[str]] = {kind.value: set() for kind in RoleKind}
    for step in process.steps:
        for role in [*([step.owner] if step.owner else []), *step.participants]:
            found[process.settings.roles[role].kind.value].add(role)
    return found


def test_the_product_launch_uses_every_addition_at_diagram_scale() -> None:
    """Issue 13's tiered launch, big enough to test issue 16's diagrams (30+ steps, 12+ roles)."""
    process = load_process(ENGLISH / "product-launch.yaml")
    cost = cost_process(process)
    kinds = _kinds("product-launch")
    assert len(process.steps) >= 30 and sum(map(len, kinds.values())) >= 12
    assert process.conditions["tier"].options and process.conditions["embargo"].share
    assert any(step.when and step.when.get("embargo") for step in process.steps)
    assert {"Launch day (GA)", "Code freeze"} <= {s.name for s in process.steps if s.milestone}
    assert sum(step.approval for step in process.steps) >= 3
    assert sum(bool(step.participants) for step in process.steps) >= 5
    assert {"PR Agency", "Industry Analyst", "Freelance Video Producer"} <= kinds["external"]
    assert kinds["system"] == {"Marketing Automation Platform"}
    assert sum(step.rework is not None for step in process.steps) >= 3
    assert any(not step.wait.is_zero for step in process.steps)
    assert process.expenses and any(step.expense for step in process.steps)
    assert cost.annual_expenses > 0 and str(process.frequency) == "6/year"
    assert any(s.automation for s in process.steps)
    # A tier-3 launch skips the go/no-go review: the typical run (tier 2) has it.
    assert "go-no-go" in cost.typical_run and "press-release" not in cost.typical_run


def test_the_release_post_runs_a_feature_write_up_per_feature() -> None:
    portfolio = cost_portfolio(load_portfolio(ENGLISH))
    post, item = portfolio.process("release-post"), portfolio.process("feature-item")
    call = post.process.step("feature-items")
    assert call.process == "feature-item" and str(call.count) == "30..50"
    assert item.is_called_only and item.called_by == ("release-post",)
    assert item.called_runs_per_month == 40  # PERT mean of 30..50, once a month
    assert any(s.milestone for s in post.process.steps)
    assert any(s.approval for s in post.process.steps)
    assert any(s.approval for s in item.process.steps)
    assert any(s.participants for s in post.process.steps)
    assert _kinds("release-post")["system"] == {"CI Pipeline"}
    assert _kinds("feature-item")["system"] == {"CI Pipeline"}


def test_the_case_study_has_the_customer_approve_it() -> None:
    process = load_process(ENGLISH / "case-study.yaml")
    customer = process.settings.roles["Customer"]
    assert customer.kind is RoleKind.EXTERNAL and customer.rate is None
    assert any(s.owner == "Customer" and s.approval for s in process.steps)
    assert any("Customer" in s.participants for s in process.steps)  # the interview
    assert any(s.owner == "Legal Counsel" and s.approval for s in process.steps)
    kinds = _kinds("case-study")
    assert {"Freelance Designer", "Customer"} <= kinds["external"]
    assert process.settings.roles["Freelance Designer"].rate
    assert process.conditions and process.expenses
    cost = cost_process(process)
    assert cost.external_hours > 0 and cost.annual_expenses > 0


def test_library_portfolio_has_candidates() -> None:
    portfolio = cost_portfolio(load_portfolio(ENGLISH))
    candidates = rank_candidates(portfolio)
    assert len(candidates) >= 5
    assert candidates == sorted(candidates, key=lambda c: -c.net_saving)


@pytest.mark.parametrize("folder", PORTFOLIOS.values(), ids=PORTFOLIOS.keys())
def test_each_portfolio_is_one_team_in_one_currency(folder: Path) -> None:
    """A folder of the library is what one team owns: its own roles file and currency,
    each process once (no translation of a process beside its original)."""
    portfolio = load_portfolio(folder)
    assert (folder / "roles.yaml").is_file()
    assert {p.settings_path for p in portfolio} == {str((folder / "roles.yaml").resolve())}
    assert len({p.settings.currency for p in portfolio}) == 1
    ids = [p.id for p in portfolio]
    names = [p.name for p in portfolio]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    assert len({p.language for p in portfolio}) == 1
    assert cost_portfolio(portfolio).annual_cost > 0


def test_the_library_has_a_portfolio_per_currency() -> None:
    currencies = {name: load_portfolio(f).currency for name, f in PORTFOLIOS.items()}
    assert currencies == {"en": "USD", "ko": "KRW", "ru": "RUB"}
    assert sorted(p.name for p in PROCESSES.iterdir()) == sorted(PORTFOLIOS)


def test_library_entries_match_the_folder() -> None:
    listed = [e.id for e in library_entries() if e.id != STARTER]
    assert listed == sorted(load_process(p).id for p in LIBRARY)


@pytest.mark.parametrize(
    ("language", "currency", "annual_cost"),
    # 12 runs a year: brief 1 h; produce 2–4 h (3 h expected) and review 0.5 h, each done
    # 1 ÷ (1 − 0.2) = 1.25 times a run for the rework: 12 × (1 + 1.25 × 3.5) = 64.5 h,
    # at the starter's one rate: $50, ₩32,500, 1,200 ₽ an hour.
    [
        (None, "USD", Decimal("3225")),
        ("ko", "KRW", Decimal("2096250")),
        ("ru", "RUB", Decimal("77400")),
    ],
)
def test_the_starter_is_a_blank_process_that_validates_and_costs(
    tmp_path: Path, language: str | None, currency: str, annual_cost: Decimal
) -> None:
    """'sopkit new starter webinar': three steps of one role with a rate, nothing left
    over from another process (tags, tools); only its purpose is left to write. With
    --lang ko or ru, the same process written in Korean or Russian, in won or roubles."""
    made = new_process(STARTER, "webinar", tmp_path, language=language)
    process = load_process(made.process)
    assert [s.id for s in process.steps] == ["brief", "produce", "review"]
    assert not process.tags and not any(s.tools for s in process.steps)
    assert made.roles == tmp_path / "roles.yaml"
    assert process.language.value == (language or "en")
    cost = cost_process(process)
    assert (cost.currency, cost.annual_hours, cost.annual_cost) == (
        currency,
        Decimal("64.5"),
        annual_cost,
    )
    assert STARTER in [e.id for e in library_entries(language)]


def test_new_copies_a_working_process(tmp_path: Path) -> None:
    made = new_process("content-marketing", "webinar", tmp_path, today=dt.date(2027, 3, 4))
    assert [p.name for p in made.written] == ["webinar.yaml", "roles.yaml"]
    copy = load_process(tmp_path / "webinar.yaml")
    original = load_process(ENGLISH / "content-marketing.yaml")
    assert copy.id == "webinar"
    assert copy.steps == original.steps
    assert (copy.owner, copy.tools, copy.frequency) == (
        original.owner,
        original.tools,
        original.frequency,
    )
    assert cost_process(copy).annual_cost == cost_process(original).annual_cost


def test_new_keeps_an_existing_roles_file(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("currency: USD\nroles: {}\n", encoding="utf-8")
    made = new_process("social-media", "social", tmp_path)
    assert made.roles is None and made.roles_used is not None  # not the library's file
    # ... but, in its currency, it gains the roles the copy needs
    assert [p.name for p in made.written] == ["social.yaml", "roles.yaml"]
    assert "Social Media Manager" in made.added_roles
    text = (tmp_path / "roles.yaml").read_text(encoding="utf-8")
    # written in braces, the roles are written again, the added ones under the note
    assert text.startswith("currency: USD\nroles:\n  # roles social-media needs, from the sopkit")


def test_new_cli_refuses_overwrite_and_bad_ids(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["new", "ppc-search-ads", "search", "-o", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, ["new", "ppc-search-ads", "search", "-o", str(tmp_path)])
    assert again.exit_code == 1  # the files are in the way, not the call
    assert "file exists" in again.stderr and "--force" in again.stderr
    bad = runner.invoke(app, ["new", "ppc-search-ads", "../escape", "-o", str(tmp_path)])
    assert bad.exit_code == 2  # usage mistakes
    assert "'../escape' is not a valid id" in bad.stderr
    unknown = runner.invoke(app, ["new", "nope", "x", "-o", str(tmp_path)])
    assert unknown.exit_code == 2 and "sopkit new --list" in unknown.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roles.yaml", "search.yaml"]


def test_new_list_names_every_library_process() -> None:
    result = CliRunner().invoke(app, ["new", "--list"])
    assert result.exit_code == 0
    for entry in library_entries():
        assert entry.id in result.stdout


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_process_renders_sop_checklist_and_diagram(path: Path) -> None:
    from sopkit.render.diagram import to_dot
    from sopkit.render.diagram.mermaid import to_mermaid
    from sopkit.render.sop import render_sop
    from sopkit.render.sop.checklist import render_checklist

    cost = cost_process(load_process(path))
    names = [step.name for step in cost.process.steps]
    markdown = render_sop(cost, fmt="markdown")
    html = render_sop(cost, fmt="html")
    checklist = render_checklist(cost)
    dot = to_dot(cost)
    owners = {s.owner for s in cost.process.steps}
    assert markdown.startswith(f"# {cost.name}")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sopkit swimlanes"' in html
    assert checklist.count("- [ ]") == len(names)
    assert "layout=nop2" in dot and all(step.id in html for step in cost.process.steps)
    assert to_mermaid(cost).count("subgraph") >= len(owners)


@pytest.mark.e2e
def test_library_diagrams_render_with_dot() -> None:
    from conftest import require_tool

    from sopkit.render.diagram import render

    require_tool("dot", "graphviz")
    for path in LIBRARY:
        png = render(cost_process(load_process(path)), "png")
        assert png.startswith(b"\x89PNG"), path


def test_a_korean_copy_asks_for_a_korean_name_and_a_korean_id_is_told_where_it_goes(
    tmp_path: Path,
) -> None:
    """A Korean trial got ``name: "Newsletter ko"`` with no word that it reads as English,
    and '뉴스레터' as an id was refused without saying the name goes in --name."""
    made = new_process("content-marketing-ko", "newsletter-ko", tmp_path)
    line = next(line for line in made.next_steps() if line.startswith("  - name:"))
    assert line == (
        '  - name: "Newsletter ko", made from the id: write it in the process\'s language '
        "(ko), as your team calls the process"
    )
    result = CliRunner().invoke(
        app, ["new", "content-marketing-ko", "뉴스레터", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2  # a usage error, as for any id that is not one
    assert '; the name in your language goes in --name "뉴스레터")' in result.stderr
    for given in ("뉴스레터", "Newsletter"):  # a name typed is the team's, in any script
        named = new_process("content-marketing-ko", "newsletter", tmp_path / given, name=given)
        assert not any("made from the id" in line for line in named.next_steps())
