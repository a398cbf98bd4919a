"""``cost --format json`` against the parse floor in instructions, not seconds.

    python benchmarks/instructions.py                  # 2,000 small files, about 3 minutes
    python benchmarks/instructions.py --processes 300  # a quick look

On a machine shared with other work, CPU times of the same command vary by a
third from run to run, so a change of a few percent cannot be seen in them.
The number of instructions a program runs does not depend on the load:
Valgrind's ``cachegrind`` tool (``apt-get install valgrind``) counts them, in
the command and in every process it forks. This script generates the small
files ``run.py`` uses for issue 19's target (``generate.py --no-prose``, seed
0), counts the instructions of the parse floor (``floor.py parse``) and of
``sopkit cost --format json`` on them, and prints both with their ratio.

Instructions are not time: Python's interpreter and libyaml's C code do not
run the same number of instructions a second, so the ratio here is lower
than ``run.py``'s CPU-time ratio. It is for comparing two versions of sopkit
on the same files, not for the targets.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_portfolio  # noqa: E402


def summed_instructions(folder: Path) -> int:
    """The instructions of every process whose ``cachegrind.out.*`` file is in ``folder``
    (each file's ``summary:`` line: the first event, ``Ir``, is instructions)."""
    total = 0
    for path in sorted(folder.glob("cachegrind.out.*")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("summary:"):
                total += int(line.split()[1])
    return total


def count(command: list[str], work: Path) -> int:
    """Instructions ``command`` runs, its forked and started children included."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--trace-children=yes",
            f"--cachegrind-out-file={out}/cachegrind.out.%p",
            *command,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return summed_instructions(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2000, help="small files to generate")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install valgrind", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="sopkit-instructions-") as temp:
        work = Path(temp)
        folder = generate_portfolio(work / "small", args.processes, prose=False)
        parse = count([sys.executable, str(HERE / "floor.py"), "parse", str(folder)], work)
        cost = count(
            [sys.executable, "-m", "sopkit", "cost", str(folder), "--format", "json"], work
        )
    print(f"{args.processes:,} small processes, instructions (Valgrind cachegrind):")
    print(f"  PyYAML CSafeLoader parse   {parse / 1e9:8.3f} G   1.000×")
    print(f"  sopkit cost --format json  {cost / 1e9:8.3f} G   {cost / parse:.3f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
