"""Properties of the cost model, checked on generated processes.

Cost is linear in rate, time and frequency; totals are sums of rows (process =
Σ steps, portfolio = Σ processes = Σ roles); units agree (60m = 1h, 1d =
hours_per_day h, 1w = days_per_week d); and a straightforward reference
computation gives the same exact figures.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sopkit.analysis import ProcessCost, cost_portfolio, cost_process, runs_per_month, to_decimal
from sopkit.analysis.limits import MAX_ANNUAL_HOURS, MAX_EXECUTIONS_PER_RUN
from sopkit.analysis.units import compare, exact_sum, plus, times
from sopkit.errors import SopkitError
from sopkit.models import Process, Settings
from sopkit.render.numbers import round_money

ROLES = ("Writer", "Editor", "Designer")
PERIODS = ("day", "week", "month", "quarter", "year")
PER_YEAR = {
    "week": Fraction(52),
    "month": Fraction(12),
    "quarter": Fraction(4),
    "year": Fraction(1),
}


@dataclass(frozen=True)
class Spec:
    """A generated chain of steps: step i comes after step i − 1."""

    minutes: tuple[int, ...]
    owners: tuple[str, ...]
    per_run: tuple[Decimal, ...]
    rework: tuple[tuple[int, Decimal] | None, ...]  # (index of the target, probability)
    count: int
    period: str
    rates: tuple[Decimal, ...]
    hours_per_day: int
    days_per_week: int
    working_days: int

    def settings(self, rate_factor: Decimal = Decimal(1)) -> Settings:
        return Settings(
            currency="USD",
            hours_per_day=Decimal(self.hours_per_day),
            days_per_week=Decimal(self.days_per_week),
            working_days_per_year=Decimal(self.working_days),
            roles={
                r: {"rate": rate * rate_factor} for r, rate in zip(ROLES, self.rates, strict=True)
            },
        )

    def process(self, pid: str = "p", times: list[str] | None = None, **kw: Any) -> Process:
        steps = []
        for i, minutes in enumerate(self.minutes):
            step: dict[str, Any] = {
                "id": f"s{i}",
                "name": f"Step {i}",
                "owner": self.owners[i],
                "time": times[i] if times else f"{minutes}m",
                "per_run": self.per_run[i],
            }
            if i:
                step["after"] = [f"s{i - 1}"]
            if self.rework[i] is not None:
                target, probability = self.rework[i]  # type: ignore[misc]
                step["rework"] = {"to": f"s{min(target, i)}", "probability": probability}
            steps.append(step)
        data = {
            "sopkit": 1,
            "id": pid,
            "name": "Generated",
            "owner": "Editor",
            "frequency": f"{self.count}/{self.period}",
            "steps": steps,
        }
        return Process.model_validate(data).bind(kw.get("settings") or self.settings())


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    n = draw(st.integers(1, 6))
    spec = Spec(
        minutes=tuple(draw(st.lists(st.integers(1, 900), min_size=n, max_size=n))),
        owners=tuple(draw(st.lists(st.sampled_from(ROLES), min_size=n, max_size=n))),
        per_run=tuple(
            draw(
                st.lists(
                    st.sampled_from([Decimal(1), Decimal("0.2"), Decimal(3), Decimal("1.5")]),
                    min_size=n,
                    max_size=n,
                )
            )
        ),
        rework=tuple(
            draw(
                st.lists(
                    st.none()
                    | st.tuples(
                        st.integers(0, n - 1),
                        st.sampled_from(
                            [Decimal(0), Decimal("0.1"), Decimal("0.3"), Decimal("0.9")]
                        ),
                    ),
                    min_size=n,
                    max_size=n,
                )
            )
        ),
        count=draw(st.integers(1, 40)),
        period=draw(st.sampled_from(PERIODS)),
        rates=tuple(
            draw(
                st.lists(
                    st.decimals(min_value=1, max_value=500, places=2, allow_nan=False),
                    min_size=3,
                    max_size=3,
                )
            )
        ),
        hours_per_day=draw(st.integers(1, 12)),
        days_per_week=draw(st.integers(1, 7)),
        working_days=draw(st.integers(200, 300)),
    )
    # Within what sopkit accepts (it refuses a step past these, see analysis.limits),
    # with room for the tests that multiply every time by up to 5.
    assume(max(_executions(spec, i) for i in range(n)) <= MAX_EXECUTIONS_PER_RUN)
    assume(max(_annual_hours(spec, i) for i in range(n)) * 5 <= MAX_ANNUAL_HOURS)
    return spec


def _runs_per_month(spec: Spec) -> Fraction:
    per_period = Fraction(spec.working_days) if spec.period == "day" else PER_YEAR[spec.period]
    return Fraction(spec.count) * per_period / 12


def _executions(spec: Spec, i: int) -> Fraction:
    """Step ``i``'s executions per run: per_run, over (1 - p) for each loop it is in."""
    executions = Fraction(spec.per_run[i])
    for j, loop in enumerate(spec.rework):
        if loop is None or loop[1] == 0:
            continue
        target = min(loop[0], j)
        if target <= i <= j:  # on the path from the target to the reworking step
            executions /= 1 - Fraction(loop[1])
    return executions


def _annual_hours(spec: Spec, i: int) -> Fraction:
    return Fraction(spec.minutes[i], 60) * _executions(spec, i) * _runs_per_month(spec) * 12


def reference(spec: Spec) -> list[Fraction]:
    """Each step's exact annual cost, computed the plain way for a chain."""
    rates = dict(zip(ROLES, spec.rates, strict=True))
    return [
        _annual_hours(spec, i) * Fraction(rates[spec.owners[i]]) for i in range(len(spec.minutes))
    ]


EXAMPLES = settings(max_examples=50, deadline=None)


@EXAMPLES
@given(specs())
def test_matches_the_reference_computation(spec: Spec) -> None:
    costed = cost_process(spec.process())
    expected = reference(spec)
    assert [s.exact_annual_cost for s in costed.steps] == expected
    assert [s.annual_cost for s in costed.steps] == [to_decimal(c) for c in expected]
    # Rounded half-up from the exact value: the shown cent is the true cent.
    total = sum(expected, Fraction(0))
    cents = total * 100
    true_cents = int(cents) + (1 if cents - int(cents) >= Fraction(1, 2) else 0)
    assert round_money(costed.annual_cost, "USD") == Decimal(true_cents) / 100


@EXAMPLES
@given(specs(), st.sampled_from([Decimal(2), Decimal("0.5"), Decimal(3), Decimal("1.25")]))
def test_cost_is_linear_in_rate(spec: Spec, k: Decimal) -> None:
    base = cost_process(spec.process())
    scaled = cost_process(spec.process(settings=spec.settings(rate_factor=k)))
    for a, b in zip(base.steps, scaled.steps, strict=True):
        assert b.exact_annual_cost == a.exact_annual_cost * Fraction(k)
        assert b.exact_annual_hours == a.exact_annual_hours
    assert scaled.exact_annual_cost == base.exact_annual_cost * Fraction(k)


@EXAMPLES
@given(specs(), st.integers(2, 5))
def test_cost_is_linear_in_time(spec: Spec, k: int) -> None:
    base = cost_process(spec.process())
    scaled = cost_process(replace(spec, minutes=tuple(m * k for m in spec.minutes)).process())
    assert scaled.exact_annual_cost == base.exact_annual_cost * k
    assert scaled.exact_annual_hours == base.exact_annual_hours * k


@EXAMPLES
@given(specs(), st.integers(2, 5))
def test_cost_is_linear_in_frequency(spec: Spec, k: int) -> None:
    base = cost_process(spec.process())
    try:
        scaled = cost_process(replace(spec, count=spec.count * k).process())
    except SopkitError:  # k times as many runs is beyond any team: refused (analysis.limits)
        assume(False)
        raise
    assert scaled.exact_annual_cost == base.exact_annual_cost * k
    days = Decimal(spec.working_days)
    base_runs = runs_per_month(base.process.frequency, days)
    assert runs_per_month(scaled.process.frequency, days) == base_runs * k


@EXAMPLES
@given(st.lists(specs(), min_size=1, max_size=3))
def test_totals_are_sums_of_rows(found: list[Spec]) -> None:
    calendar = found[0].settings()
    processes = [spec.process(f"p{i}", settings=calendar) for i, spec in enumerate(found)]
    costs = cost_portfolio(processes)
    for process in costs.processes:
        assert process.exact_annual_cost == sum(
            (s.exact_annual_cost for s in process.steps), Fraction(0)
        )
        assert process.exact_annual_hours == sum(
            (s.exact_annual_hours for s in process.steps), Fraction(0)
        )
        assert process.annual_cost == to_decimal(process.exact_annual_cost)
        # The 40-digit row values add up to the total within rounding noise.
        with localcontext(prec=60):
            rows = sum((s.annual_cost for s in process.steps), Decimal(0))
        assert abs(rows - process.annual_cost) <= Decimal("1e-30") * (1 + abs(rows))
    by_process = sum((p.exact_annual_cost for p in costs.processes), Fraction(0))
    by_role = sum((r.exact_annual_cost for r in costs.roles), Fraction(0))
    assert costs.exact_annual_cost == by_process == by_role
    assert costs.exact_annual_hours == sum((r.exact_annual_hours for r in costs.roles), Fraction(0))
    assert costs.annual_cost == to_decimal(by_role)
    assert [r.annual_cost for r in costs.roles] == sorted(
        (r.annual_cost for r in costs.roles), reverse=True
    )


@EXAMPLES
@given(specs(), st.integers(0, 5))
def test_units_agree(spec: Spec, index: int) -> None:
    i = index % len(spec.minutes)
    hpd, dpw = spec.hours_per_day, spec.days_per_week
    pairs = [
        ("60m", "1h"),
        ("90m", "1.5h"),
        ("1d", f"{hpd}h"),
        ("1w", f"{dpw}d"),
        ("1w", f"{hpd * dpw}h"),
        ("2h30m", "150m"),
    ]
    for left, right in pairs:
        times = [f"{m}m" for m in spec.minutes]
        times[i] = left
        a = _cost_or_error(spec, times)
        times[i] = right
        b = _cost_or_error(spec, times)
        if isinstance(a, str) or isinstance(b, str):
            assert a == b, (left, right)  # too many hours a year: the same error either way
            continue
        assert a.steps[i].exact_annual_cost == b.steps[i].exact_annual_cost, (left, right)
        assert a.steps[i].hours_per_execution == b.steps[i].hours_per_execution
        assert a.schedule.lead_time_hours == b.schedule.lead_time_hours


def _cost_or_error(spec: Spec, times: list[str]) -> ProcessCost | str:
    """The process's costs, or the error (a week of work in many loops can pass the
    limit on a step's annual hours)."""
    try:
        return cost_process(spec.process(times=times))
    except SopkitError as exc:
        return "\n".join(problem.format() for problem in exc.problems)


_FRACTIONS = st.fractions(max_denominator=10**12).filter(
    lambda f: abs(f) < 10**15
) | st.sampled_from([Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 3), Fraction(10**30, 7)])


@settings(max_examples=400)
@given(_FRACTIONS, _FRACTIONS)
def test_fast_products_and_sums_are_fractions_equal_to_fractions_own(
    a: Fraction, b: Fraction
) -> None:
    """``times`` and ``plus`` build their results without ``Fraction``'s constructor;
    each must still be a ``Fraction`` in lowest terms that behaves like ``a * b``.
    ``compare`` orders them as ``<`` and ``>`` do."""
    for made, expected in ((times(a, b), a * b), (plus(a, b), a + b)):
        assert type(made) is Fraction
        assert (made.numerator, made.denominator) == (expected.numerator, expected.denominator)
        assert hash(made) == hash(expected) and repr(made) == repr(expected)
        assert pickle.loads(pickle.dumps(made)) == expected
    assert compare(a, b) == (a > b) - (a < b)
    assert compare(a, a) == 0


@given(st.lists(_FRACTIONS, max_size=30))
def test_exact_sum_is_the_sum(values: list[Fraction]) -> None:
    total = exact_sum(values)
    assert type(total) is Fraction
    assert (total.numerator, total.denominator) == (
        sum(values, Fraction(0)).numerator,
        sum(values, Fraction(0)).denominator,
    )
