"""The benchmark's own tools work: the generator makes valid portfolios, the runner runs.

No timing is asserted here (timings belong to ``benchmarks/run.py``); these
tests only keep the benchmark from rotting.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sopkit.load import load_portfolio

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


generate = _module("generate")
run = _module("run")
floor = _module("floor")


def test_generated_portfolio_is_valid_and_uses_every_feature(tmp_path: Path) -> None:
    folder = generate.generate_portfolio(tmp_path / "p", 12)
    portfolio = load_portfolio(folder)
    assert [p.id for p in portfolio] == [f"p{i:05d}" for i in range(12)]
    steps = [s for p in portfolio for s in p.steps]
    assert len(steps) == 12 * 20
    assert {s.owner for s in steps} <= set(generate.ROLES)
    assert len({s.owner for s in steps}) > 5
    assert any(s.rework is not None for s in steps)
    assert any(s.automation is not None and s.automation.tool_cost > 0 for s in steps)
    assert any(s.automation is not None and s.automation.tool is None for s in steps)
    assert any(s.time.is_range for s in steps)
    assert any(len(s.after) > 1 for s in steps)


def test_generator_is_deterministic() -> None:
    assert generate.process_text(7) == generate.process_text(7)
    assert generate.process_text(7) != generate.process_text(8)
    assert generate.process_text(7, seed=1) != generate.process_text(7, seed=0)


def test_floor_parse_reads_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = generate.generate_portfolio(tmp_path / "p", 3)
    assert floor.main(["parse", str(folder)]) == 0
    assert "parsed 4 files" in capsys.readouterr().err  # 3 processes and roles.yaml


def test_measure_reports_time_memory_and_failures() -> None:
    ok = run.measure("python", [sys.executable, "-c", "x = bytearray(30_000_000)"], repeat=2)
    assert ok.ok and len(ok.walls) == 2
    assert ok.peak_mb > 25  # the 30 MB buffer shows in the child's peak
    bad = run.measure("fails", [sys.executable, "-c", "import sys; sys.exit('boom')"])
    assert not bad.ok and bad.error is not None and "boom" in bad.error


def test_runner_end_to_end_on_a_tiny_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run.main(
        [
            "--sizes",
            "3,30",
            "--build-sizes",
            "",
            "--repeat",
            "1",
            "--startup-repeat",
            "1",
            "--no-write",
            "--keep",
            str(tmp_path / "work"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "| 30 | " in out and "sopkit validate" in out and "× parse" in out
    assert "| sopkit --help |" in out
    assert "3 → 30" in out
    assert "failed" not in out


def test_results_block_is_replaced_not_appended(tmp_path: Path, monkeypatch) -> None:
    results = tmp_path / "results.md"
    monkeypatch.setattr(run, "RESULTS", results)
    results.write_text(f"# notes\n\n{run.BEGIN}\nold\n{run.END}\n\n## Profile\nkept\n")
    run.write_results("new table\n")
    text = results.read_text()
    assert "old" not in text and "new table" in text
    assert text.startswith("# notes") and text.endswith("## Profile\nkept\n")
