"""Where ``sopkit cost --format json`` spends its CPU time, stage by stage.

    python benchmarks/generate.py --processes 2000 --no-prose /tmp/small
    python benchmarks/stages.py /tmp/small

``run.py`` times whole commands; this splits one into its stages, in one
process, each the best of ``--repeat`` runs of CPU time (the least disturbed
by other work on the machine), beside PyYAML's C loader on the same files.
The stages are the library calls the command makes, so their sum is close
to, but not exactly, the command's time: the command also starts Python and
typer, and its stages share caches that the repeats here warm.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def _best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` runs of ``work``, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return min(times), result


def stages(folder: Path, repeat: int = 3) -> list[tuple[str, float]]:
    """``(stage, CPU seconds)`` rows; indented names are parts of the row above."""
    start = time.process_time()
    from sopkit.analysis.profile import profile
    from sopkit.analysis.schedule import schedule
    from sopkit.load import load_portfolio
    from sopkit.models import Process
    from sopkit.render.costs.cost_json import cost_json_parts
    from sopkit.render.costs.tables import ensure_costs
    from sopkit.source import read_document
    from sopkit.validate import check_process

    imports = time.process_time() - start
    paths = sorted(folder.glob("p*.yaml"))
    collecting = gc.isenabled()
    gc.disable()  # as the command runs
    try:
        floor, _ = _best(
            repeat, lambda: [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in paths]
        )
        parse, documents = _best(repeat, lambda: [read_document(p).data for p in paths])
        fields, _ = _best(repeat, lambda: [Process.model_validate(d) for d in documents])
        load, portfolio = _best(repeat, lambda: load_portfolio([folder]))
        processes = list(portfolio.processes)
        checks, _ = _best(repeat, lambda: [check_process(p) for p in processes])
        runs, _ = _best(repeat, lambda: [profile(p) for p in processes])
        lead, _ = _best(repeat, lambda: [schedule(p) for p in processes])
        cost, costs = _best(repeat, lambda: ensure_costs(portfolio))
        written, _ = _best(repeat, lambda: sum(len(part) for part in cost_json_parts(costs)))
    finally:
        if collecting:
            gc.enable()
    total = imports + load + cost + written
    return [
        ("PyYAML CSafeLoader parse (the floor)", floor),
        ("sopkit, all stages", total),
        ("  imports", imports),
        ("  load", load),
        ("    read and parse the YAML", parse),
        ("    pydantic models", fields),
        ("    checks across steps (validate)", checks),
        ("    the rest (roles files, binding, calls)", load - parse - fields - checks),
        ("  cost", cost),
        ("    one average run of each process (profile)", runs),
        ("    lead time and critical path (schedule)", lead),
        ("    the rest (step and process results, limits, calls)", cost - runs - lead),
        ("  write the JSON (role totals included)", written),
    ]


def table(rows: list[tuple[str, float]]) -> str:
    floor = rows[0][1]
    lines = ["| stage | CPU s | × parse |", "| --- | ---: | ---: |"]
    for name, seconds in rows:
        shown = name.strip()
        label = "· " * ((len(name) - len(shown)) // 2) + shown
        ratio = f"{seconds / floor:.2f}×" if floor > 0 else "—"
        lines.append(f"| {label} | {seconds:.2f} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="a portfolio made by generate.py")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (best is kept)")
    args = parser.parse_args(argv)
    print(table(stages(args.folder, args.repeat)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
