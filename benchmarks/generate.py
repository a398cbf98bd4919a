"""Synthetic, deterministic portfolios for the benchmarks.

``python benchmarks/generate.py OUT --processes 1000`` writes ``OUT/roles.yaml``
and ``OUT/p00000.yaml`` … : processes of 20 steps (by default) that use every
feature the cost path touches — several roles, ranges and three-point
estimates, waits, parallel branches, rework loops (some nested), automation as
a bare share and as a mapping with tool cost and setup — plus the prose a real
SOP carries (done_when, instructions, do/dont), so files are about the size of
the library's own (~9 KB each). ``--no-prose`` leaves the prose out: the same
processes in small files (~4 KB each), where reading them is cheap and the
cost of costing them shows.

The same seed and size always give byte-identical files. The files are valid:
``sopkit validate OUT`` passes on them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

__all__ = ["ROLES", "generate_portfolio", "process_text", "roles_text"]

#: Role → hourly rate. Names include Korean and Russian ones, as real portfolios do.
ROLES: dict[str, int] = {
    "Content Writer": 40,
    "Editor": 45,
    "SEO Specialist": 45,
    "Content Lead": 60,
    "Head of Marketing": 95,
    "Designer": 50,
    "Social Media Manager": 42,
    "PPC Specialist": 50,
    "Web Developer": 60,
    "Marketing Ops": 55,
    "Marketing Analyst": 50,
    "Product Marketing Manager": 65,
    "콘텐츠 작가": 40,
    "Маркетолог-аналитик": 50,
}

_VERBS = ["Draft", "Review", "Research", "Design", "Publish", "Measure", "Approve", "Plan"]
_OBJECTS = ["brief", "outline", "landing page", "email", "ad set", "report", "post", "video"]
_TOOLS = ["Asana", "Google Docs", "Ahrefs", "Canva", "HubSpot", "WordPress", "Looker Studio"]
_TIMES = ["15m", "30m", "45m", "1h", "1.5h", "2h", "3h", "2h30m", "4h", "1d"]
_RANGES = ["30m..1h", "1h..2h", "45m..1.5h", "2h..4h", "1h..3h"]
_WAITS = ["0", "2h", "4h", "1d", "2d", "1w"]
_FREQUENCIES = ["1/day", "3/week", "1/week", "4/month", "2/month", "1/month", "1/quarter", "2/year"]


def roles_text() -> str:
    """The shared ``roles.yaml``."""
    lines = [
        "currency: USD",
        "hours_per_day: 8",
        "days_per_week: 5",
        "working_days_per_year: 260",
        "roles:",
    ]
    for role, rate in ROLES.items():
        lines.append(f"  {role}: {{rate: {rate}, description: Synthetic role for benchmarks}}")
    return "\n".join(lines) + "\n"


def _estimate(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return rng.choice(_TIMES)
    if kind < 0.85:
        return rng.choice(_RANGES)
    low = rng.choice(["15m", "30m", "1h"])
    return f"{{min: {low}, likely: 2h, max: {rng.choice(['3h', '4h', '1d'])}}}"


def process_text(index: int, steps: int = 20, seed: int = 0, prose: bool = True) -> str:
    """One process file; ``index`` makes its id and its random choices.

    Without ``prose`` the steps carry no ``done_when``, ``instructions``,
    ``do`` or ``dont`` (about 4 KB a file): every byte left is one the cost
    path reads. The random choices are the same either way, so the two kinds
    of file describe the same processes.
    """
    rng = random.Random(f"{seed}:{index}")
    roles = list(ROLES)
    pid = f"p{index:05d}"
    out = [
        "sopkit: 1",
        f"id: {pid}",
        f"name: Synthetic process {index} — {rng.choice(_VERBS).lower()} "
        f"the {rng.choice(_OBJECTS)}",
        f"owner: {rng.choice(roles)}",
        "purpose: >-",
        "  A generated process for the benchmarks. It has the shape of a real SOP:",
        "  parallel branches, rework loops, automation and prose on every step.",
        "trigger: The previous run has been reported.",
        f"frequency: {rng.choice(_FREQUENCIES)}",
        "language: en",
        f"tools: [{', '.join(rng.sample(_TOOLS, 3))}]",
        "tags: [benchmark, synthetic]",
        'review: {version: "1.0", last_reviewed: 2026-01-15, approver: Head of Marketing}',
        "steps:",
    ]
    for s in range(steps):
        sid = f"s{s:02d}"
        out += [
            f"  - id: {sid}",
            f"    name: {rng.choice(_VERBS)} the {rng.choice(_OBJECTS)} ({s + 1})",
            f"    owner: {rng.choice(roles)}",
        ]
        if s > 0:
            before = {s - 1}
            if s > 2 and rng.random() < 0.3:  # a second predecessor makes branches join
                before.add(rng.randrange(0, s - 1))
            out.append(f"    after: [{', '.join(f's{b:02d}' for b in sorted(before))}]")
        out.append(f"    time: {_estimate(rng)}")
        if rng.random() < 0.4:
            wait = rng.choice(_WAITS)  # drawn either way: the later choices stay the same
            if s < steps - 1:  # after the last step a wait holds back nothing (a warning)
                out.append(f"    wait: {wait}")
        if s > 1 and rng.random() < 0.15:  # rework to itself or an earlier step
            to = rng.choice([s, s - 1, s - 2])
            out.append(f"    rework: {{to: s{to:02d}, probability: {rng.choice(['0.1', '0.25'])}}}")
        if rng.random() < 0.1:
            out.append("    per_run: 2")
        roll = rng.random()
        if roll < 0.15:
            out.append(f"    automation: {rng.choice(['0.2', '0.5', '0.75'])}")
        elif roll < 0.3:
            out.append(
                f"    automation: {{share: 0.6, tool: {rng.choice(_TOOLS)}, "
                f"tool_cost: {rng.choice(['600/year', '50/month', '1200'])}, setup: 6h}}"
            )
        out.append(f"    tools: [{rng.choice(_TOOLS)}]")
        if prose:
            out += [
                "    done_when: The output is filed in the shared folder and its owner has "
                "signed off.",
                "    instructions:",
                "      - Open the brief and check the inputs from the steps before this one.",
                "      - Do the work to the house style and note anything that needs follow-up.",
            ]
        if rng.random() < 0.3 and prose:
            out += [
                "    do: [Keep the audience and the goal in view]",
                "    dont: [Skip the checklist to save time]",
            ]
    return "\n".join(out) + "\n"


def generate_portfolio(
    folder: Path, processes: int, steps: int = 20, seed: int = 0, prose: bool = True
) -> Path:
    """Write ``roles.yaml`` and ``processes`` process files into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roles.yaml").write_text(roles_text(), encoding="utf-8")
    for index in range(processes):
        text = process_text(index, steps, seed, prose)
        (folder / f"p{index:05d}.yaml").write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--processes", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-prose",
        dest="prose",
        action="store_false",
        help="small files (~4 KB): no done_when, instructions, do or dont on the steps",
    )
    args = parser.parse_args(argv)
    generate_portfolio(args.folder, args.processes, args.steps, args.seed, args.prose)
    print(f"wrote {args.processes} processes to {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
