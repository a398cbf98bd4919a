"""The floors sopkit is measured against, run as child processes like sopkit itself.

``python benchmarks/floor.py parse DIR``
    Read every ``*.yaml`` under DIR with PyYAML's C loader
    (``yaml.load(..., Loader=yaml.CSafeLoader)``): the least any tool that
    reads these files with PyYAML has to do.

``python benchmarks/floor.py render DOTDIR --formats svg,png --jobs 2``
    Run Graphviz ``dot`` alone over every ``*.dot`` file in DOTDIR, one run per
    file and format, ``--jobs`` at a time: the renderer's own share of ``build``.

``python benchmarks/floor.py dot-sources DIR DOTDIR``
    Write the DOT text sopkit would hand to the renderer for each process
    under DIR (not timed; it prepares the render floor).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def parse(folder: Path) -> int:
    import yaml

    count = 0
    for path in sorted(folder.rglob("*.yaml")):
        with path.open("rb") as handle:
            yaml.load(handle.read().decode("utf-8"), Loader=yaml.CSafeLoader)
        count += 1
    print(f"parsed {count} files", file=sys.stderr)
    return 0


def render(folder: Path, formats: list[str], jobs: int, dot: str) -> int:
    """Each DOT file through ``dot`` once per format, as sopkit runs it (stdin to stdout)."""
    files = sorted(folder.glob("*.dot"))
    options_file = folder / "options.json"
    options = json.loads(options_file.read_text()) if options_file.exists() else {}

    def run(task: tuple[Path, str]) -> int:
        path, fmt = task
        command = [dot, f"-T{fmt}", *options.get(fmt, [])]
        done = subprocess.run(command, input=path.read_bytes(), capture_output=True, check=False)
        return done.returncode

    tasks = [(path, fmt) for path in files for fmt in formats]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        codes = list(pool.map(run, tasks))
    failed = sum(1 for code in codes if code)
    print(f"rendered {len(tasks) - failed} of {len(tasks)} images", file=sys.stderr)
    return 1 if failed else 0


def dot_sources(folder: Path, out: Path) -> int:
    """DOT text as ``sopkit build`` hands it to ``dot``, one file per process.

    With ``dot`` as the renderer, ``build`` draws ``to_dot``'s text (its default
    font list is the one for ``dot``) with the per-format options in
    ``options.json`` (PNG at 150 dpi).
    """
    from sopkit.analysis import cost_portfolio
    from sopkit.load import load_portfolio
    from sopkit.render import diagram

    out.mkdir(parents=True, exist_ok=True)
    costs = cost_portfolio(load_portfolio(folder))
    for process_cost in costs.processes:
        text = diagram.to_dot(process_cost)
        (out / f"{process_cost.id}.dot").write_text(text, encoding="utf-8")
    options = {fmt: list(opts) for fmt, opts in getattr(diagram, "_FORMAT_OPTIONS", {}).items()}
    (out / "options.json").write_text(json.dumps(options), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse")
    p_parse.add_argument("folder", type=Path)
    p_render = sub.add_parser("render")
    p_render.add_argument("folder", type=Path)
    p_render.add_argument("--formats", default="svg,png")
    p_render.add_argument("--jobs", type=int, default=2)
    p_render.add_argument("--dot", default="dot")
    p_dot = sub.add_parser("dot-sources")
    p_dot.add_argument("folder", type=Path)
    p_dot.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "parse":
        return parse(args.folder)
    if args.command == "render":
        return render(args.folder, args.formats.split(","), args.jobs, args.dot)
    return dot_sources(args.folder, args.out)


if __name__ == "__main__":
    sys.exit(main())
