"""``sopkit simulate``: the CLI prints what the library renders, the same on every run."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ENGLISH, KOREAN, ROOT
from typer.testing import CliRunner

from sopkit import load_portfolio
from sopkit.analysis import cost_portfolio, simulation
from sopkit.analysis.simulation import simulate
from sopkit.cli import simulate as cli_simulate
from sopkit.render.costs.ranges import simulation_report
from sopkit.render.costs.tables import FORMATS

T1 = ROOT / "tests" / "fixtures" / "t1" / "cm.yaml"


def run(*args: str | Path) -> object:
    from sopkit.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_simulate_prints_the_library_report(fmt: str) -> None:
    result = run("simulate", T1, "--years", "500", "--seed", "3", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    expected = simulate(load_portfolio(T1), years=500, seed=3)
    assert result.stdout == simulation_report(expected, fmt=fmt)


def test_the_help_says_the_mean_comes_close_to_the_cost_report() -> None:
    """A simulated mean is the cost report's figure only up to sampling noise: the
    library's 10,000 years give $382,650.93 against $382,728.06."""
    result = run("simulate", "--help")
    text = " ".join(result.stdout.split())
    assert "matches" not in text
    assert "the mean comes close to `sopkit cost`'s figure, within sampling noise" in text


def test_json_has_every_figure_rounded() -> None:
    result = run("simulate", ENGLISH, "--years", "1000", "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    assert (document["currency"], document["years"], document["seed"]) == ("USD", 1000, 0)
    costs = load_portfolio(ENGLISH)
    assert [p["id"] for p in document["processes"]] == [p.id for p in costs]
    figures = {
        "annual_cost",
        "annual_total_cost",
        "annual_hours",
        "external_hours",
        "lead_time_hours",
        "lead_time_days",
    }
    for process in document["processes"]:
        assert set(process) == {"id", "name"} | figures
        for key in figures:
            figure = process[key]
            assert list(figure) == ["mean", "p10", "p50", "p90"]
            assert all(-value.as_tuple().exponent <= 2 for value in figure.values())
            assert figure["p10"] <= figure["p50"] <= figure["p90"]
    totals = {f"total_{k}" for k in ("annual_cost", "annual_total_cost", "annual_hours")}
    assert totals | {"total_external_hours"} <= set(document)


def test_money_is_rounded_to_the_currencys_minor_unit() -> None:
    result = run("simulate", KOREAN, "--years", "200", "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["currency"] == "KRW"
    for process in document["processes"]:
        for key in ("annual_cost", "annual_total_cost"):
            assert all(v == v.to_integral_value() for v in process[key].values())
    assert any(v != v.to_integral_value() for v in document["total_annual_hours"].values())


def test_csv_has_a_row_per_process_and_figure() -> None:
    result = run("simulate", ENGLISH, "--years", "200", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    portfolio = load_portfolio(ENGLISH)
    processes = len(portfolio.processes)
    # then each role with a headcount: its hours, its utilisation, its years over capacity
    capacity = [r.role for r in cost_portfolio(portfolio).roles if r.utilisation is not None]
    assert len(rows) == processes * 6 + 4 + 3 * len(capacity)
    assert rows[processes * 6]["figure"] == "total_annual_cost"
    assert rows[processes * 6]["process"] == ""
    assert [r["process"] for r in rows[processes * 6 + 4 :: 3]] == capacity
    assert {r["figure"] for r in rows[processes * 6 + 6 :: 3]} == {"role_years_over_capacity"}
    assert {r["unit"] for r in rows} == {"USD", "hours", "days", "share"}


def test_years_and_seed_out_of_range_are_usage_errors() -> None:
    for args in (["--years", "99"], ["--years", "1000001"], ["--years", "x"], ["--seed", "-1"]):
        result = run("simulate", T1, *args)
        assert result.exit_code == 2, args
        assert "Invalid value" in result.stderr and "--" in result.stderr


def test_the_cli_bounds_are_the_librarys() -> None:
    assert cli_simulate.MIN_YEARS == simulation.MIN_YEARS
    assert cli_simulate.MAX_YEARS == simulation.MAX_YEARS
    assert cli_simulate.DEFAULT_YEARS == simulation.DEFAULT_YEARS
    assert cli_simulate.MAX_SEED == simulation.MAX_SEED


def test_an_invalid_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles: {}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        "sopkit: 1\nid: p\nname: P\nowner: X\nfrequency: 1/month\n"
        "steps:\n  - {id: a, name: A, owner: Nobody, time: 1h}\n",
        encoding="utf-8",
    )
    result = run("simulate", path, "--years", "100")
    assert result.exit_code == 1
    assert "p.yaml:7:" in result.stderr and "has no hourly rate" in result.stderr


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "ranges.json"
    result = run("simulate", T1, "--years", "300", "--format", "json", "-o", out)
    assert result.exit_code == 0
    assert f"wrote {out}" in result.stderr
    expected = simulation_report(simulate(load_portfolio(T1), years=300), fmt="json")
    assert out.read_text(encoding="utf-8") == expected


def _in_subprocess(hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, OMP_NUM_THREADS=hash_seed[-1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "sopkit", "simulate", str(ENGLISH), "--years", "2000"]
    done = subprocess.run(
        [*command, "--seed", "17", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def test_the_same_seed_gives_the_same_figures_in_another_interpreter() -> None:
    """Other hash seeds (so other set and str-hash orders) and thread counts, same text."""
    here = simulation_report(simulate(load_portfolio(ENGLISH), years=2000, seed=17), fmt="json")
    assert _in_subprocess("1") == here
    assert _in_subprocess("4242") == here


def test_the_costing_guide_example_is_the_real_output() -> None:
    readme = (ROOT / "docs" / "costing.md").read_text(encoding="utf-8")
    command = "$ sopkit simulate processes/en/content-marketing.yaml --years 10000 --seed 0\n"
    shown = readme.split(command, 1)[1].split("…", 1)[0]
    result = run("simulate", ENGLISH / "content-marketing.yaml", "--years", "10000")
    assert result.stdout.startswith(shown)


def test_the_table_reads_outside_hours_only_where_there_are_any() -> None:
    # The case study has an outside party (the customer); content marketing has none.
    files = [ENGLISH / "case-study.yaml", ENGLISH / "content-marketing.yaml"]
    ranges = simulate(load_portfolio(files), years=200)
    lines = simulation_report(ranges, fmt="table").splitlines()
    outside = [i for i, line in enumerate(lines) if line.lstrip().startswith("Outside hours  ")]
    # case-study's row and the total's, each after its annual hours.
    assert len(outside) == 2
    assert all("Annual hours" in lines[i - 1] for i in outside)
    assert lines[outside[0] - 3].lstrip().startswith("case-study")
    assert lines[outside[1] - 3].lstrip().startswith("Total")
    assert any(line.startswith("Outside hours: the hours of outside parties") for line in lines)
    content = simulate(load_portfolio(files[1:]), years=200)
    assert "Outside hours" not in simulation_report(content, fmt="table")


def test_a_scenario_is_simulated_and_named(tmp_path: Path) -> None:
    """Is a hire enough in bad years? The same draws (same seed) under a scenario that
    doubles a role: its hours are the same, its utilisation exactly half."""
    hire = tmp_path / "hire.yaml"
    hire.write_text(
        "sopkit-scenario: 1\nname: Second product manager\nchanges:\n"
        "  - headcount: {Product Manager: 2}\n",
        encoding="utf-8",
    )
    args = ("simulate", ENGLISH, "--years", "200", "--format", "json")
    before = json.loads(run(*args).stdout)  # type: ignore[attr-defined]
    after = json.loads(run(*args, "--scenario", hire).stdout)  # type: ignore[attr-defined]
    assert before["scenario"] is None and after["scenario"] == "Second product manager"
    old, new = (
        next(r for r in doc["roles"] if r["role"] == "Product Manager") for doc in (before, after)
    )
    assert new["annual_hours"] == old["annual_hours"]
    assert new["capacity"] == 2 * old["capacity"]
    # both rounded to 4 decimals
    assert abs(new["utilisation"]["mean"] * 2 - old["utilisation"]["mean"]) <= 0.00015
    table = run("simulate", ENGLISH, "--years", "200", "--scenario", hire).stdout  # type: ignore[attr-defined]
    assert table.splitlines()[0].endswith(", under scenario 'Second product manager'")
    # a second scenario is refused, not silently taken instead of the first
    twice = run(*args, "--scenario", hire, "--scenario", hire)
    assert getattr(twice, "exit_code", None) == 2
    assert "takes one scenario file here" in getattr(twice, "stderr", "")


def test_one_process_is_not_repeated_as_its_own_total() -> None:
    """A trial's simulate of one file printed its rows twice, the second time as Total."""
    one = simulate(load_portfolio(ENGLISH / "content-marketing.yaml"), years=200)
    for fmt in ("table", "markdown"):
        text = simulation_report(one, fmt=fmt)
        assert "Total" not in text.replace("Total cost", "")
        assert "Total rows add the processes" not in text
        assert text.count("$") == 8  # annual and total cost, once: mean, P10, P50, P90
    # the tools' formats keep the portfolio's figures, whatever was simulated
    assert ",total_annual_cost," in simulation_report(one, fmt="csv")
    assert "total_annual_cost" in json.loads(simulation_report(one, fmt="json"))
    two = simulate(
        load_portfolio([ENGLISH / "content-marketing.yaml", ENGLISH / "case-study.yaml"]),
        years=200,
    )
    table = simulation_report(two, fmt="table")
    assert "\n Total " in table and "Total rows add the processes year by year." in table
