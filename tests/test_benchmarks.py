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
from conftest import require_tool

from sopkit.analysis import cost_portfolio
from sopkit.checkup import file_warnings
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
simulate_bench = _module("simulate")
stages = _module("stages")


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
    # What ``sopkit validate`` would warn about: nothing (a build of it prints no warning).
    assert file_warnings(portfolio, [cost_portfolio(portfolio)]) == []


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
    # Both kinds of file, each against its own parse; the 1.5× target is the small files'.
    assert "Small files without prose" in out and "cost --format json, small files |" in out
    assert "| `cost` on 30 processes, small files, ≤ 1.5× parse | CPU " in out
    assert "| `cost` on 30 processes, prose-heavy files, × parse (kept) | CPU " in out


def test_stages_split_the_cost_command_and_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = generate.generate_portfolio(tmp_path / "small", 4, prose=False)
    rows = dict(stages.stages(folder, repeat=1))
    parts = ("  imports", "  load", "  cost", "  write the JSON (role totals included)")
    assert rows["sopkit, all stages"] == pytest.approx(sum(rows[p] for p in parts))
    assert all(seconds >= 0 for name, seconds in rows.items() if "the rest" not in name)
    assert stages.main([str(folder), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| PyYAML CSafeLoader parse (the floor) |" in out and "| 1.00× |" in out
    assert "| · · pydantic models |" in out


def test_results_block_is_replaced_not_appended(tmp_path: Path, monkeypatch) -> None:
    results = tmp_path / "results.md"
    monkeypatch.setattr(run, "RESULTS", results)
    results.write_text(f"# notes\n\n{run.BEGIN}\nold\n{run.END}\n\n## Profile\nkept\n")
    run.write_results("new table\n")
    text = results.read_text()
    assert "old" not in text and "new table" in text
    assert text.startswith("# notes") and text.endswith("## Profile\nkept\n")


def test_simulate_benchmark_times_the_engine_and_writes_its_own_block(
    tmp_path: Path, monkeypatch
) -> None:
    folder = generate.generate_portfolio(tmp_path / "p", 3)
    cpu, wall = simulate_bench.engine([folder], 100, 1)
    assert cpu > 0 and wall > 0
    cost = run.Run("cost", walls=[1.0], cpus=[0.9], peaks_mb=[50.0])
    runs = [(cost, run.Run("simulate", walls=[1.5], cpus=[1.4], peaks_mb=[60.0]))]
    table = simulate_bench.report(
        run.machine(),
        runs,
        {1000: (0.1, 0.1), 10000: (0.5, 0.5)},
        {10: (0.2, 0.2)},
        10,
        1,
        ("", ""),
    )
    assert "| sopkit cost processes/ |" not in table  # labels come from the runs given
    assert "1.50× |" in table and "| 5.00× |" in table and "| met |" in table
    results = tmp_path / "results.md"
    monkeypatch.setattr(simulate_bench, "RESULTS", results)
    results.write_text(f"# notes\n\n{run.BEGIN}\nkept\n{run.END}\n")
    simulate_bench.write_results("first\n")
    simulate_bench.write_results("second\n")
    text = results.read_text()
    assert "kept" in text and "first" not in text and text.count("second") == 1


def test_dot_sources_are_what_build_draws(tmp_path: Path, monkeypatch) -> None:
    import json

    from sopkit.analysis import cost_portfolio
    from sopkit.render.diagram import to_dot

    require_tool("dot", "graphviz")  # to_dot's fonts are the ones for system Graphviz
    monkeypatch.setenv("SOPKIT_GRAPHVIZ", "dot")
    folder = generate.generate_portfolio(tmp_path / "p", 2)
    assert floor.main(["dot-sources", str(folder), str(tmp_path / "dots")]) == 0
    arguments = json.loads((tmp_path / "dots" / "options.json").read_text())
    texts = {(tmp_path / "dots" / name).read_text() for name in arguments}
    for process in cost_portfolio(load_portfolio(folder)).processes:
        assert to_dot(process) in texts  # the diagram as 'sopkit diagram' draws it
    # sopkit writes SVG itself: Graphviz draws only the PNG of each process
    assert list(arguments.values()) == [["-Tpng", "-Gdpi=96"]] * 2


# --- the optimisations keep behaviour -------------------------------------------------


def _yaml_files() -> list[Path]:
    root = BENCH.parent
    return sorted(
        [*root.glob("processes/**/*.yaml"), *root.glob("tests/corpus/*.yaml")],
        key=lambda p: p.as_posix(),
    )


def _located(text: str) -> object:
    """What the located (slow) path makes of ``text``: values and positions, or problems."""
    from sopkit.errors import SopkitError
    from sopkit.source import SourceMap, _parse_located

    source = SourceMap("f.yaml")
    try:
        data, _ = _parse_located(text, "f.yaml", source)
    except SopkitError as exc:
        return [p.format() for p in exc.problems]
    return repr(data), source.values, source.keys


def _fast(text: str) -> object:
    from sopkit.errors import SopkitError
    from sopkit.source import parse_yaml

    try:
        document = parse_yaml(text, "f.yaml")
    except SopkitError as exc:
        return [p.format() for p in exc.problems]
    return repr(document.data), document.source.values, document.source.keys


def test_plain_yaml_fast_path_matches_the_located_path(tmp_path: Path) -> None:
    """parse_yaml reads plain files without positions; values, positions and errors
    must be exactly what the located path gives."""
    from sopkit.source import _NOT_PLAIN, _plain_values

    texts = [p.read_bytes().decode("utf-8", "replace") for p in _yaml_files()]
    texts += [generate.process_text(i) for i in range(3)]
    texts += [
        "",
        "a: 1\n---\nb: 2\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "[1, 2]: x\n",
        "a: !!str 1\n",
        "a: 2026-13-01\n",
        "a: 1:20\nb: 0x1f\nc: .inf\nd: 1.5e3\ne: yes\nf: ~\ng: 2026-01-02\n",
        "'<<': 1\n",
        "a: " + "[" * 70 + "]" * 70 + "\n",
        "? [a]\n: b\n",
        "a: b: c\n",
        "\ta: 1\n",
        "1: 2\nnull: 3\ntrue: 4\n",
    ]
    plain = 0
    for text in texts:
        plain += _plain_values(text) is not _NOT_PLAIN
        assert _fast(text) == _located(text), text[:80]
    assert plain > len(_yaml_files()) // 4  # the fast path is taken, not just fallen back from


def test_source_map_of_a_plain_file_fills_itself_from_its_text() -> None:
    from sopkit.source import parse_yaml

    document = parse_yaml("name: 한국어\nsteps:\n  - id: a\n    time: 1h\n", "f.yaml")
    assert document.source.locate(("steps", 0, "time")) == (4, 11)
    assert document.source.locate(("name",), key=True) == (1, 1)


def test_cached_graph_is_per_process_and_frozen() -> None:
    import networkx as nx

    from sopkit.graph import cached_flow_graph, flow_graph
    from sopkit.load import load_process

    first = load_process(BENCH.parent / "processes" / "en" / "content-marketing.yaml")
    second = load_process(BENCH.parent / "processes" / "en" / "social-media.yaml")
    graph = cached_flow_graph(first)
    assert cached_flow_graph(first) is graph
    assert nx.utils.graphs_equal(graph, flow_graph(first))
    assert cached_flow_graph(second) is not graph
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("x", "y")
    flow_graph(first).add_edge("x", "y")  # the public function still returns a fresh graph


def test_step_order_is_networkx_lexicographical_order() -> None:
    """``Flow`` (the after graph without networkx) orders, links and reaches steps as
    networkx does on the same graph."""
    import random

    import networkx as nx

    from sopkit.graph import Flow, reach

    rng = random.Random(9)
    for _ in range(300):
        size = rng.randint(1, 15)
        names = [f"s{i}" for i in range(size)]
        rng.shuffle(names)  # file order is not name order
        after: dict[str, list[str]] = {name: [] for name in names}
        for i in range(size):
            for j in range(i):
                if rng.random() < 0.3:
                    after[names[i]].append(names[j])
        listed = sorted(names, key=lambda _: rng.random())  # any file order
        flow = Flow.read((name, after[name]) for name in listed)
        graph = nx.DiGraph()
        graph.add_nodes_from(listed)
        graph.add_edges_from((before, name) for name in listed for before in after[name])
        position = {name: i for i, name in enumerate(listed)}
        expected = list(nx.lexicographical_topological_sort(graph, key=position.__getitem__))
        assert list(flow.order() or ()) == expected
        assert {k: set(v) for k, v in flow.pred.items()} == {k: set(graph.pred[k]) for k in graph}
        assert {k: set(v) for k, v in flow.succ.items()} == {k: set(graph.succ[k]) for k in graph}
        ours, theirs = flow.reach(), reach(graph)
        for name in names:
            assert flow.descendants(name) == nx.descendants(graph, name)
            for other in names:
                assert ours.is_upstream(other, name) == theirs.is_upstream(other, name)
                assert set(ours.members(ours.loop(other, name))) == set(
                    theirs.members(theirs.loop(other, name))
                )
    cyclic = Flow.read([("a", ["b"]), ("b", ["a"])])
    assert cyclic.order() is None
    with pytest.raises(nx.NetworkXUnfeasible):
        cyclic.reach()
    # References to no step and to the step itself are no edges, as in flow_graph.
    loose = Flow.read([("a", ["a", "ghost"]), ("b", ["a", "a"])])
    assert loose.pred == {"a": (), "b": ("a",)} and loose.order() == ("a", "b")


def test_portfolio_totals_are_summed_once(tmp_path: Path) -> None:
    """A renderer that asks for the portfolio total once per process (its share) must
    not sum every step each time: that made the dashboard quadratic in processes."""
    from sopkit.analysis import cost_portfolio

    folder = generate.generate_portfolio(tmp_path / "p", 3)
    costs = cost_portfolio(load_portfolio(folder))
    total = costs.exact_annual_cost
    assert costs.exact_annual_cost is total  # remembered, not summed again
    assert total == sum((s.exact_annual_cost for s in costs.steps), start=total * 0)
    first = costs.processes[0]
    assert first.exact_annual_hours is first.exact_annual_hours


def test_small_files_are_the_same_processes_without_prose(tmp_path: Path) -> None:
    """``--no-prose`` drops done_when, instructions, do and dont, and nothing else: the
    costs of the two kinds of file are the same."""
    from sopkit.render.costs import cost_report

    small = generate.generate_portfolio(tmp_path / "small", 6, prose=False)
    prose = generate.generate_portfolio(tmp_path / "prose", 6)
    text = (small / "p00003.yaml").read_text(encoding="utf-8")
    for field in ("done_when", "instructions", "do:", "dont:"):
        assert field not in text
        assert field in "".join(p.read_text(encoding="utf-8") for p in prose.glob("p*.yaml"))
    assert len(text.encode()) < 4500 < len((prose / "p00003.yaml").read_bytes())
    assert cost_report(load_portfolio(small), fmt="json") == cost_report(
        load_portfolio(prose), fmt="json"
    )
    generate.main([str(tmp_path / "cli"), "--processes", "2", "--no-prose"])
    assert (tmp_path / "cli" / "p00001.yaml").read_bytes() == (small / "p00001.yaml").read_bytes()


def test_costing_leaves_no_reference_cycles(tmp_path: Path) -> None:
    """``cost`` and ``candidates`` run with the cycle collector paused: every object they
    make must be freed by its reference count, or memory would grow with the portfolio."""
    import gc

    from sopkit.render.costs import candidates_report, cost_report

    folders = [
        generate.generate_portfolio(tmp_path / "p", 8),
        BENCH.parent / "processes" / "en",
        BENCH.parent / "tests" / "fixtures" / "additions" / "en",
        BENCH.parent / "tests" / "fixtures" / "launch",
    ]

    def reports(folder: Path) -> None:
        portfolio = load_portfolio(folder)
        candidates_report(portfolio, fmt="json")
        for view in ("step", "role", "process"):
            for fmt in ("json", "table", "csv", "markdown"):
                cost_report(portfolio, by=view, fmt=fmt)

    for folder in folders:  # first runs fill caches and import lazily
        reports(folder)
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        for folder in folders:
            reports(folder)
            assert gc.collect() == 0, folder
    finally:
        if enabled:
            gc.enable()


def test_models_given_the_same_fields_share_one_set_of_names(tmp_path: Path) -> None:
    """Steps share pydantic's set of given field names (memory); a copy with more
    fields gets its own, and the models it was shared with keep theirs."""
    portfolio = load_portfolio(generate.generate_portfolio(tmp_path / "p", 3))
    steps = [step for process in portfolio.processes for step in process.steps]
    sets = {id(step.model_fields_set) for step in steps}
    assert len(sets) < len(steps)
    first = max(steps, key=lambda s: sum(t.model_fields_set is s.model_fields_set for t in steps))
    twins = [s for s in steps if s.model_fields_set is first.model_fields_set and s is not first]
    assert twins
    names = set(first.model_fields_set)
    unset = next(name for name in type(first).model_fields if name not in names)
    copy = first.model_copy(update={unset: getattr(first, unset)})
    assert copy.model_fields_set == names | {unset}
    assert first.model_fields_set == names
    assert all(t.model_fields_set == names for t in twins)


def test_process_totals_are_exactly_the_sums_of_their_steps(tmp_path: Path) -> None:
    """``_cost`` takes a process's totals from its run × runs a year instead of adding
    its steps: the two must be the same exact values, calls and expenses included."""
    from sopkit.analysis.cost import cost_portfolio
    from sopkit.analysis.units import exact_sum

    folders = [
        generate.generate_portfolio(tmp_path / "p", 12),
        BENCH.parent / "processes" / "en",
        BENCH.parent / "tests" / "fixtures" / "additions" / "en",
    ]
    for folder in folders:
        for process in cost_portfolio(load_portfolio(folder).processes).processes:
            steps = process.steps
            assert process.exact_annual_hours == exact_sum(s.exact_annual_hours for s in steps)
            assert process.exact_annual_cost == exact_sum(s.exact_annual_cost for s in steps)
            assert process.exact_external_hours == exact_sum(s.exact_external_hours for s in steps)
            assert process.exact_annual_expenses == process.exact_process_expenses + exact_sum(
                s.exact_annual_expenses for s in steps
            )


def test_serve_runs_time_each_edit_from_the_lines_serve_prints(tmp_path: Path) -> None:
    folder = generate.generate_portfolio(tmp_path / "p", 3, prose=False)
    served, shown = run.serve_runs(folder, tmp_path / "out", tmp_path / "cache", repeat=2)
    assert served.error is None and shown.error is None
    assert len(served.walls) == len(shown.walls) == 2
    for build, save in zip(served.walls, shown.walls, strict=True):
        assert 0 < build <= save  # the save comes before the build, which the watcher starts
    assert not (tmp_path / "out").exists()
    figures = {"parse": served, "validate": served, "cost": served}
    table = run.report(
        run.machine() | {"date": "today", "sopkit": "x"},
        {3: figures},
        {3: 0.1},
        {
            3: {
                "build": served,
                "render": served,
                "rebuild": served,
                "serve": served,
                "shown": shown,
            }
        },
        {key: served for key in ("typer", "help", "version")},
        "0",
        "0",
        1,
        1,
    )
    assert "| 3 | " in table and "serve rebuild s" in table
    assert "`sopkit serve`'s rebuild after one edit of 3 processes" in table


instructions = _module("instructions")


def test_instructions_are_summed_over_every_process(tmp_path: Path) -> None:
    """cost forks copies of itself: each writes its own cachegrind file."""
    (tmp_path / "cachegrind.out.11").write_text("desc: I1\nevents: Ir\nsummary: 1200\n")
    (tmp_path / "cachegrind.out.12").write_text("events: Ir\nfl=x\n1 5\nsummary: 34\n")
    (tmp_path / "other.txt").write_text("summary: 99\n")
    assert instructions.summed_instructions(tmp_path) == 1234


def test_instructions_count_the_parse_and_cost_on_small_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_tool("valgrind", "valgrind")
    assert instructions.main(["--processes", "2"]) == 0
    out = capsys.readouterr().out
    parse, cost = (
        float(line.split()[-3]) for line in out.splitlines() if line.endswith("×") and " G " in line
    )
    assert 0 < parse < cost  # sopkit does more than parse the files
