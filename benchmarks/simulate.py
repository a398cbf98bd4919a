"""``sopkit simulate``'s benchmark: the library's 10,000 years, and how time grows.

    python benchmarks/simulate.py             # about a minute on 2 cores
    python benchmarks/simulate.py --quick     # skips the 1,000-process portfolio
    python benchmarks/simulate.py --no-write  # print only

What is measured:

* for each portfolio of the library (``processes/en``, ``ko``, ``ru``: one
  currency each, so one command each), ``sopkit simulate FOLDER --years
  10000`` against one ``sopkit cost FOLDER`` of the same files, each a child
  process started the way a user starts sopkit (``benchmarks/run.py``'s
  ``measure``: wall and CPU time, peak memory), interleaved, medians of
  ``--repeat`` runs, and their sums for the whole library;
* the simulation alone (``sopkit.analysis.simulation.simulate`` on an already
  costed portfolio), CPU time in this process: the library at 1,000, 10,000
  and 100,000 years (linear in years), and generated portfolios of 10, 100 and
  1,000 processes (``benchmarks/generate.py``, 20 steps each with ranges,
  waits, branches and nested rework) at 10,000 years (linear in processes).

NumPy's random generators and sums run on one core; the children get
``OMP_NUM_THREADS=1`` and ``OPENBLAS_NUM_THREADS=1`` anyway, so nothing could
use a second one. The table is written into ``benchmarks/results.md``
between the ``<!-- simulate -->`` markers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate_portfolio  # noqa: E402
from run import SOPKIT, Run, load_text, machine, measure  # noqa: E402

RESULTS = HERE / "results.md"
BEGIN, END = "<!-- simulate -->", "<!-- /simulate -->"
#: The README's portfolio, the library's largest.
MAIN = "en"
#: The library's portfolios, one folder (and currency) each.
LIBRARY = tuple(sorted(p for p in (ROOT / "processes").iterdir() if p.is_dir()))

#: Targets from issue 15.
LIBRARY_SECONDS = 2.0
LINEAR = 11.0


def one_core() -> None:
    """Keep any threaded library (BLAS, OpenMP) in the children and here to one thread."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def commands(repeat: int) -> list[tuple[Run, Run]]:
    """``cost`` and ``simulate`` on each portfolio, interleaved ``repeat`` times after a warm-up."""
    pairs = []
    for folder in LIBRARY:
        shown = f"processes/{folder.name}/"
        pairs.append(
            (
                (Run(f"sopkit cost {shown}"), [*SOPKIT, "cost", str(folder)]),
                (
                    Run(f"sopkit simulate {shown} --years 10000"),
                    [*SOPKIT, "simulate", str(folder), "--years", "10000"],
                ),
            )
        )
    for pair in pairs:
        for _, command in pair:
            measure("warm-up", command)
    for _ in range(repeat):
        for pair in pairs:
            for run, command in pair:
                measure(run, command)
    return [(cost[0], sim[0]) for cost, sim in pairs]


def engine(folders: Sequence[Path], years: int, repeat: int) -> tuple[float, float]:
    """CPU and wall seconds of ``simulate`` alone on every folder (the best of ``repeat``
    sums), after loading and costing them."""
    from sopkit import load_portfolio
    from sopkit.analysis import cost_portfolio
    from sopkit.analysis.simulation import simulate

    costs = [cost_portfolio(load_portfolio(folder)) for folder in folders]
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        for cost in costs:
            simulate(cost, years=years, seed=0)
        best = min(best, (time.process_time() - cpu, time.perf_counter() - wall))
    return best


def report(
    info: dict[str, str],
    runs: list[tuple[Run, Run]],
    by_years: dict[int, tuple[float, float]],
    by_size: dict[int, tuple[float, float]],
    processes: int,
    repeat: int,
    load: tuple[str, str],
) -> str:
    ok = all(run.ok for pair in runs for run in pair)
    cost_wall = sum(cost.wall for cost, _ in runs) if ok else float("nan")
    sim_wall = sum(sim.wall for _, sim in runs) if ok else float("nan")
    ratio = sim_wall / cost_wall
    lines = [
        f"Run on {info['date']}: `python benchmarks/simulate.py {' '.join(sys.argv[1:])}`".rstrip(),
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"sopkit {info['sopkit']}; load average before {load[0]}, after {load[1]}.",
        "",
        f"### The library ({processes} processes in {len(runs)} portfolios), commands "
        f"(median of {repeat})",
        "",
        "| command | wall s | CPU s | peak MiB | × cost |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for cost, sim in runs:
        for run in (cost, sim):
            lines.append(
                f"| {run.label} | {run.wall:.2f} | {run.cpu:.2f} | {run.peak_mb:.0f} | "
                f"{run.wall / cost.wall:.2f}× |"
                if run.ok and cost.ok
                else f"| {run.label} | failed: {run.error} | | | |"
            )
    lines.append(
        f"| all `simulate` runs against all `cost` runs | {sim_wall:.2f} | | | {ratio:.2f}× |"
    )
    lines += [
        "",
        "### The simulation alone (best of 3, CPU seconds on one core)",
        "",
        "| portfolio | years | CPU s | wall s | × previous row |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    previous = None
    for years, (cpu, wall) in sorted(by_years.items()):
        step = f"{cpu / previous:.2f}×" if previous else "—"
        lines.append(f"| library ({processes}) | {years:,} | {cpu:.3f} | {wall:.3f} | {step} |")
        previous = cpu
    previous = None
    for size, (cpu, wall) in sorted(by_size.items()):
        step = f"{cpu / previous:.2f}×" if previous else "—"
        lines.append(f"| generated {size:,} | 10,000 | {cpu:.3f} | {wall:.3f} | {step} |")
        previous = cpu
    library_cpu = by_years.get(10_000, (float("nan"),))[0]
    main = next((sim for _, sim in runs if f"processes/{MAIN}/" in sim.label), None)
    lines += [
        "",
        "### Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        f"| 10,000 years of the library < {LIBRARY_SECONDS:.0f} s on one core (simulation) "
        f"| {library_cpu:.2f} s | {_mark(library_cpu < LIBRARY_SECONDS)} |",
        f"| `sopkit simulate processes/{MAIN}/` < {LIBRARY_SECONDS:.0f} s, the whole command "
        f"| {main.wall if main else float('nan'):.2f} s "
        f"| {_mark(bool(main and main.ok and main.wall < LIBRARY_SECONDS))} |",
    ]
    for what, figures in (("years", by_years), ("processes", by_size)):
        steps = _steps([cpu for _, (cpu, _) in sorted(figures.items())])
        if steps:
            worst = max(steps[1:] or steps)  # the first step is mostly fixed costs
            lines.append(
                f"| 10× {what} ≤ {LINEAR:.0f}× time (after the first step) | {worst:.2f}× | "
                f"{_mark(worst <= LINEAR)} |"
            )
    return "\n".join(lines) + "\n"


def _steps(values: list[float]) -> list[float]:
    """Each value over the one before it."""
    return [after / before for before, after in zip(values, values[1:], strict=False)]


def _mark(passed: bool) -> str:
    return "met" if passed else "**missed**"


def write_results(table: str) -> None:
    block = f"{BEGIN}\n{table}{END}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# sopkit benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        RESULTS.write_text(head + block + rest.split(END, 1)[1], encoding="utf-8")
    else:
        section = "\n\n## Ranges: `sopkit simulate`\n\n"
        RESULTS.write_text(text.rstrip() + section + block + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="no 1,000-process portfolio")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch results.md")
    args = parser.parse_args(argv)
    one_core()
    from sopkit import load_portfolio

    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    info, before = machine(), load_text()
    say(f"commands on the library, {args.repeat} runs each")
    runs = commands(args.repeat)
    say("the simulation alone on the library")
    by_years = {years: engine(LIBRARY, years, 3) for years in (1_000, 10_000, 100_000)}
    work = Path(tempfile.mkdtemp(prefix="sopkit-sim-"))
    by_size: dict[int, tuple[float, float]] = {}
    try:
        for size in (10, 100) if args.quick else (10, 100, 1_000):
            say(f"the simulation alone on {size:,} generated processes")
            folder = generate_portfolio(work / f"p{size}", size)
            by_size[size] = engine([folder], 10_000, 3 if size < 1_000 else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    processes = sum(len(load_portfolio(folder).processes) for folder in LIBRARY)
    table = report(info, runs, by_years, by_size, processes, args.repeat, (before, load_text()))
    print(table)
    if not args.no_write:
        write_results(table)
        say(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
