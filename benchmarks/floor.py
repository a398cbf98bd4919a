"""The floors sopkit is measured against, run as child processes like sopkit itself.

``python benchmarks/floor.py parse DIR``
    Read every ``*.yaml`` under DIR with PyYAML's C loader
    (``yaml.load(..., Loader=yaml.CSafeLoader)``): the least any tool that
    reads these files with PyYAML has to do.

``python benchmarks/floor.py dot-sources DIR DOTDIR``
    Record every DOT text ``sopkit build DIR`` hands to the renderer, with its
    ``dot`` arguments (not timed; it prepares the render floor).

``python benchmarks/floor.py render DOTDIR --jobs 2``
    Run Graphviz ``dot`` alone on each recorded text with its arguments,
    ``--jobs`` at a time: the renderer's own share of ``build``.
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


def render(folder: Path, jobs: int, dot: str) -> int:
    """Each recorded DOT text through ``dot`` with its recorded arguments, as sopkit
    runs it (stdin to stdout), ``jobs`` at a time."""
    arguments: dict[str, list[str]] = json.loads((folder / "options.json").read_text())

    def run(task: tuple[Path, list[str]]) -> int:
        path, args = task
        command = [dot, *args]
        done = subprocess.run(command, input=path.read_bytes(), capture_output=True, check=False)
        return done.returncode

    tasks = [(folder / name, args) for name, args in sorted(arguments.items())]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        codes = list(pool.map(run, tasks))
    failed = sum(1 for code in codes if code)
    print(f"rendered {len(tasks) - failed} of {len(tasks)} images", file=sys.stderr)
    return 1 if failed else 0


#: Stand-ins the recording renderer returns: a valid empty SVG and a 1×1 PNG.
_FAKE = {
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n',
    "png": bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    ),
}


def dot_sources(folder: Path, out: Path) -> int:
    """Record every DOT text ``sopkit build`` hands to the renderer, with its format.

    Runs the build's rendering in this process with ``Engine.run`` replaced by a
    recorder (which returns stand-in images, so nothing is drawn), and writes
    one ``NNNNN.dot`` per renderer call and ``options.json``: for each file its
    ``dot`` arguments (``-Tpng -Gdpi=96``). That is each process's PNG diagram;
    sopkit writes the SVG diagrams (and the SOP pages' inline SVG) itself.
    """
    from sopkit.build import render_site
    from sopkit.load import load_portfolio
    from sopkit.render.diagram import engine as engine_module

    calls: list[tuple[str, list[str]]] = []

    def record(self: object, source: str, fmt: str, *, options=(), timeout=0.0) -> bytes:
        calls.append((source, [f"-T{fmt}", *options]))
        return _FAKE.get(fmt, b"")

    original = engine_module.Engine.run
    engine_module.Engine.run = record  # type: ignore[method-assign]
    try:
        render_site(load_portfolio(folder), jobs=1)
    finally:
        engine_module.Engine.run = original  # type: ignore[method-assign]
    out.mkdir(parents=True, exist_ok=True)
    arguments = {}
    for index, (source, args) in enumerate(calls):
        name = f"{index:06d}.dot"
        (out / name).write_text(source, encoding="utf-8")
        arguments[name] = args
    (out / "options.json").write_text(json.dumps(arguments, indent=0), encoding="utf-8")
    print(f"recorded {len(calls)} renderer runs", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse")
    p_parse.add_argument("folder", type=Path)
    p_render = sub.add_parser("render")
    p_render.add_argument("folder", type=Path)
    p_render.add_argument("--jobs", type=int, default=2)
    p_render.add_argument("--dot", default="dot")
    p_dot = sub.add_parser("dot-sources")
    p_dot.add_argument("folder", type=Path)
    p_dot.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "parse":
        return parse(args.folder)
    if args.command == "render":
        return render(args.folder, args.jobs, args.dot)
    return dot_sources(args.folder, args.out)


if __name__ == "__main__":
    sys.exit(main())
