"""``sopkit cost --format json`` writes its steps straight from the exact figures.

The fast path (``cost_json``: ``json_fixed`` numbers, steps written as text)
must write exactly what the reference path writes (``cost_document``'s rounded
``Decimal`` values through ``dump_json``), on every kind of step: the library,
every addition (joint work, outside and system roles, conditions, calls, cash
costs, milestones), other currencies, and random processes mixing them.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from sopkit import load_portfolio
from sopkit.analysis import cost_portfolio, to_decimal
from sopkit.render.costs.cost_json import cost_document, cost_json, cost_json_parts
from sopkit.render.costs.jsontext import dump_json, dump_json_parts
from sopkit.render.costs.tables import cost_report, cost_report_parts
from sopkit.render.numbers import json_fixed, json_number, round_exact, round_number

FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = [
    ROOT / "processes" / "en",
    ROOT / "processes" / "ko",
    ROOT / "processes" / "ru",
    FIXTURES / "additions" / "en",
    FIXTURES / "additions" / "ko",
    FIXTURES / "additions" / "ru",
    FIXTURES / "krw",
    FIXTURES / "launch",
    FIXTURES / "t1",
]


@pytest.mark.parametrize("folder", SOURCES, ids=lambda p: "/".join(p.parts[-2:]))
def test_written_json_is_the_document(folder: Path) -> None:
    costs = cost_portfolio(load_portfolio(folder))
    assert cost_json(costs) == dump_json(cost_document(costs))
    assert cost_report(costs, fmt="json") == cost_json(costs)
    parts = list(cost_json_parts(costs))
    assert len(parts) > len(costs.processes)  # a piece a process, at least
    assert "".join(parts) == cost_json(costs)
    for fmt in ("table", "csv", "markdown"):
        assert "".join(cost_report_parts(costs, fmt=fmt, by="role")) == cost_report(
            costs, fmt=fmt, by="role"
        )


@pytest.mark.parametrize(
    "document",
    [
        {},
        [],
        {"a": []},
        {"a": ["x", "y"], "b": [{"c": Decimal("1.50")}, [1, None]], "d": {"e": True}},
        [{"a": 1}, "b"],
        "text",
    ],
)
def test_json_in_pieces_is_the_json(document: object) -> None:
    assert "".join(dump_json_parts(document)) == dump_json(document)


ROLES = """currency: {currency}
roles:
  Writer: {{rate: 42.5}}
  Editor: {{rate: 55, headcount: 2}}
  Lead: {{rate: 97.35}}
  Agency: {{rate: 150, kind: external}}
  Customer: {{kind: external}}
  Bot: {{kind: system}}
"""

PEOPLE = ["Writer", "Editor", "Lead", "Agency", "Customer", "Bot"]
TIMES = ["7m", "20m", "45m", "1h", "1.25h", "2h30m", "1d", "10m..50m", "{min: 5m, max: 3h}"]


def _process(rng: random.Random, index: int, callee: str | None) -> str:
    lines = [
        "sopkit: 1",
        f"id: p{index}",
        f"name: Random {index} — “quoted” \\ text",
        "owner: Lead",
        f"frequency: {rng.choice(['1/day', '3/week', '7/month', '1/quarter', '5/year'])}",
        "conditions:",
        "  big: {question: Big?, share: 0.35}",
        "  tier: {question: Tier?, options: {a: 0.2, b: 0.45, c: 0.35}}",
        "expenses:",
        f"  - {{name: Tool, amount: {rng.choice(['99.99', '1200', '7'])}, per: month}}",
        "  - {name: Ads, amount: 12.5, per: run}",
        "steps:",
    ]
    count = rng.randint(2, 9)
    for s in range(count):
        step = [f"  - id: s{s}", f"    name: Step {s}"]
        if s:  # a chain, sometimes joined by an earlier step: every earlier step is upstream
            step.append(f"    after: [s{s - 1}, s{rng.randrange(s)}]")
        roll = rng.random()
        if roll < 0.1 and s:
            step.append("    milestone: true")
        elif roll < 0.2 and callee is not None:
            step += [f"    process: {callee}", f"    count: {rng.choice(['2', '1..4'])}"]
        else:
            owner = rng.choice(PEOPLE)
            step += [f"    owner: {owner}", f"    time: {rng.choice(TIMES)}"]
            if rng.random() < 0.4:
                step.append(f"    with: {{{rng.choice(PEOPLE)}: {rng.choice(['1', '2', '0.5'])}}}")
            if rng.random() < 0.3:
                step.append(f"    expense: {rng.choice(['15', '0.07', '250.5'])}")
            if rng.random() < 0.3:
                step.append(f"    per_run: {rng.choice(['0.3', '2', '1.5'])}")
            if rng.random() < 0.2 and owner != "Bot":
                step.append("    approval: true")
        if rng.random() < 0.3:
            step.append(f"    when: {rng.choice(['big', '{big: false}', '{tier: [a, c]}'])}")
        if s and rng.random() < 0.3:
            to = rng.randrange(s + 1)
            step.append(f"    rework: {{to: s{to}, probability: {rng.choice(['0.1', '0.33'])}}}")
        lines += step
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("currency", ["USD", "KRW", "BHD"])
def test_written_json_is_the_document_on_random_processes(tmp_path: Path, currency: str) -> None:
    rng = random.Random(currency)
    (tmp_path / "roles.yaml").write_text(ROLES.format(currency=currency), encoding="utf-8")
    (tmp_path / "callee.yaml").write_text(
        _process(rng, 0, None).replace("id: p0", "id: callee"), encoding="utf-8"
    )
    for index in range(1, 25):
        (tmp_path / f"p{index}.yaml").write_text(_process(rng, index, "callee"), "utf-8")
    costs = cost_portfolio(load_portfolio(tmp_path))
    assert any(s.participants and len(s.participants) > 1 for s in costs.steps)
    assert any(s.calls for s in costs.steps) and any(s.exact_annual_expenses for s in costs.steps)
    assert cost_json(costs) == dump_json(cost_document(costs))


# --- rounding the exact value ---------------------------------------------------------------

#: Values a hair from a half cent, where rounding the 40-digit view and rounding the
#: exact value could disagree: the exact route must defer to the view there.
NEAR_HALVES = st.builds(
    lambda k, offset, exponent: Fraction(2 * k + 1, 200) + Fraction(offset, 10**exponent),
    st.integers(-(10**12), 10**12),
    st.integers(-1000, 1000),
    st.integers(20, 70),
)
FRACTIONS = st.one_of(
    st.fractions(max_denominator=10**6),
    st.builds(Fraction, st.integers(-(10**45), 10**45), st.integers(1, 10**30)),
    st.builds(Fraction, st.integers(-(10**30), 10**30)),
    NEAR_HALVES,
)


def _reference(value: Fraction, digits: int) -> Decimal | type[Exception]:
    try:
        return round_number(to_decimal(value), digits)
    except ArithmeticError as exc:
        return type(exc)


@given(FRACTIONS, st.sampled_from([0, 2, 3, 4]))
def test_rounding_the_exact_value_is_its_decimal_view_rounded(value: Fraction, digits: int) -> None:
    expected = _reference(value, digits)
    if isinstance(expected, type):
        with pytest.raises(expected):
            round_exact(value, digits)
        return
    rounded = round_exact(value, digits)
    assert rounded == expected and str(rounded) == str(expected)
    assert json_fixed(value, digits) == json_number(expected)


def test_rounding_edges() -> None:
    assert json_fixed(Fraction(1, 8)) == "0.13"  # a half rounds up
    assert json_fixed(Fraction(-1, 8)) == "-0.13"  # and away from zero
    assert json_fixed(Fraction(-1, 1000)) == "0.0"  # never "-0.0"
    assert json_fixed(Fraction(25, 2), 0) == "13.0"
    assert json_fixed(Fraction(7, 1000), 4) == "0.007"
    with pytest.raises(ArithmeticError):  # too many digits to show, as before
        json_fixed(Fraction(10**30))
    assert round_exact(Fraction(1, 3)) == Decimal("0.33")


def test_a_rate_nobody_is_paid_is_null() -> None:
    """Milestones, calls and a system's steps have no rate: ``null``, as tables show "—"."""
    import json

    from sopkit.render.costs.tables import cost_report

    costs = cost_portfolio(load_portfolio(ROOT / "processes" / "en"))
    document = json.loads(cost_report(costs, fmt="json"))
    rates = {(p["id"], s["id"]): s["rate"] for p in document["processes"] for s in p["steps"]}
    assert rates[("product-launch", "launch-day")] is None  # a milestone with an owner
    assert rates[("product-launch", "announce-email")] is None  # a system's step
    assert rates[("release-post", "release-ships")] is None  # a milestone without one
    assert rates[("content-marketing", "outline")] == 40.0
    calls = [(p["id"], s["id"]) for p in document["processes"] for s in p["steps"] if s["calls"]]
    assert calls and all(rates[key] is None for key in calls)
