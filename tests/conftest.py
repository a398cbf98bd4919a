"""Shared fixtures: paths, golden files and the rule for tests that need real tools.

Golden files live in ``tests/golden/``. Regenerate them with
``python tests/scripts/regen_golden.py`` (or ``pytest --update-golden``) and
review the diff like code.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sopkit.analysis import PortfolioCost
    from sopkit.analysis.simulation import Simulation
    from sopkit.load import Portfolio

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"  # the library: one folder per portfolio
ENGLISH = PROCESSES / "en"  # the README's portfolio, USD
KOREAN = PROCESSES / "ko"  # KRW
RUSSIAN = PROCESSES / "ru"  # RUB
#: Each portfolio of the library: one team, one currency, each process once.
PORTFOLIOS = {"en": ENGLISH, "ko": KOREAN, "ru": RUSSIAN}
GOLDEN = Path(__file__).resolve().parent / "golden"
IN_CI = os.environ.get("CI", "").lower() == "true"

# Colours and terminal widths must not leak into CLI output under test.
os.environ["TERM"] = "unknown"
os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "120"

# `sopkit build` keeps renders in a cache (~/.cache/sopkit): under test, one of its own,
# removed at the end, so the suite never reads or fills the user's.
_CACHE = tempfile.mkdtemp(prefix="sopkit-test-cache-")
os.environ["SOPKIT_CACHE_DIR"] = _CACHE
# ... and the key that seals its compiled templates (~/.local/state/sopkit), likewise.
os.environ["XDG_STATE_HOME"] = os.path.join(_CACHE, "state")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def processes_dir() -> Path:
    return PROCESSES


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """``golden("cost/library.csv", text)`` compares with (or rewrites) a golden file."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        path = GOLDEN / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"no golden file {path}; run python tests/scripts/regen_golden.py")
        expected = path.read_bytes()
        if isinstance(actual, str):
            assert actual == expected.decode("utf-8"), f"{name} differs from its golden file"
        else:
            assert data == expected, f"{name} differs from its golden file"

    return check


def require_tool(executable: str, debian_package: str) -> str:
    """The tool's path; skip locally without it, but never skip in CI (CI installs it)."""
    found = shutil.which(executable)
    if found:
        return found
    message = f"{executable} not found: apt-get install {debian_package}"
    if IN_CI:
        pytest.fail(message + " (CI must install it in .ci/run)")
    pytest.skip(message)
    raise AssertionError("unreachable")


@pytest.fixture
def write_process(tmp_path: Path) -> Callable[..., Path]:
    """Write a process file (and a roles.yaml beside it) into a temporary folder."""

    def write(text: str, name: str = "process.yaml", roles: str | None = DEFAULT_ROLES) -> Path:
        if roles is not None:
            (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


DEFAULT_ROLES = """\
currency: USD
hours_per_day: 8
days_per_week: 5
working_days_per_year: 260
roles:
  Content Writer: {rate: 40}
  SEO Specialist: {rate: 45}
  Editor: {rate: 50}
  Social Media Manager: {rate: 35}
"""


def stand_in_simulation(
    source: Portfolio | PortfolioCost, *, years: int, seed: int, **_: Any
) -> Simulation:
    """Ranges that do not depend on NumPy's random streams, which a NumPy release may
    change: each figure's P10/P50/P90 are 0.9×, 1× and 1.25× the cost report's.

    Patched in for ``sopkit.build.simulate``, a site's golden file holds only what
    sopkit itself decides.
    """
    from sopkit.analysis import PortfolioCost, cost_portfolio
    from sopkit.analysis.simulation import ProcessRanges, Range, Simulation

    cost = source if isinstance(source, PortfolioCost) else cost_portfolio(source)

    def spread(value: Decimal) -> Range:
        return Range(value, value * Decimal("0.9"), value, value * Decimal("1.25"))

    processes = tuple(
        ProcessRanges(
            p.id,
            p.name,
            spread(p.annual_cost),
            spread(p.annual_total_cost),
            spread(p.annual_hours),
            spread(p.external_hours),
            spread(p.schedule.lead_time_hours),
            spread(p.schedule.lead_time_days),
        )
        for p in cost.processes
    )
    return Simulation(
        cost.currency,
        years,
        seed,
        processes,
        spread(cost.annual_cost),
        spread(cost.annual_total_cost),
        spread(cost.annual_hours),
        spread(cost.external_hours),
    )


#: Each content-marketing step's time as its box says it, as the SOP does: the file's
#: ``1.5h..3h``, ``45m..1.5h``, ``{min: 3h, likely: 4h, max: 6h}``, ``20m..45m``, ``15m``.
#: The blog post's 4-week wait, on Social distribution, before Measurement.
_TRAFFIC_WAIT = (
    "    wait: 4w                     # let the post collect traffic before measuring it\n"
)


def wait_before_two_steps(folder: Path) -> Path:
    """The blog post with its 4-week wait on Publishing, which two steps follow (as it
    was written once): the diagrams say a wait before two steps once, beside their
    shared trunk. Written into ``folder`` beside a copy of its roles file."""
    source = ENGLISH / "content-marketing.yaml"
    shutil.copy(ENGLISH / "roles.yaml", folder / "roles.yaml")
    text = source.read_text(encoding="utf-8")
    publish = "    after: [approval]\n    time: 30m..1h\n"
    assert text.count(_TRAFFIC_WAIT) == 1 and text.count(publish) == 1
    text = text.replace(_TRAFFIC_WAIT, "").replace(publish, publish + _TRAFFIC_WAIT)
    path = folder / "content-marketing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CM_TIMES = {
    "research": "1.5–3 h",
    "outline": "45 min–1.5 h",
    "draft": "3–6 h",
    "edit": "30 min–2 h",
    "graphics": "1–2.5 h",
    "approval": "20–45 min",
    "publish": "30 min–1 h",
    "social": "15 min",
    "measure": "30 min–1 h",
}
