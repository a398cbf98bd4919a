"""Numbers and their nouns agree where English readers see them (``1 step``,
``1 working day``), and diagrams say a process's frequency in its own language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit import load_process
from sopkit.analysis import cost_portfolio, cost_process, rank_candidates
from sopkit.cli import app
from sopkit.render.costs import cost_report
from sopkit.render.diagram import render, to_mermaid
from sopkit.render.numbers import counted
from sopkit.render.report import render_report
from sopkit.render.site import render_index

ROLES = "currency: USD\nhours_per_day: 8\nroles:\n  Writer: {rate: 40}\n"
ONE_STEP = """\
sopkit: 1
id: one
name: One
owner: Writer
frequency: {frequency}
language: {language}
steps:
  - {{id: a, name: A, owner: Writer, time: 8h, automation: {{share: 0.5}}}}
"""


def one_step(folder: Path, language: str = "en", frequency: str = "1/week") -> Path:
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    path = folder / "one.yaml"
    path.write_text(ONE_STEP.format(language=language, frequency=frequency), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("1", "1 step"),
        ("0", "0 steps"),
        ("2", "2 steps"),
        ("1.0", "1.0 steps"),
        ("1.5", "1.5 steps"),
    ],
)
def test_english_takes_the_singular_for_a_bare_one(shown: str, expected: str) -> None:
    assert counted(shown, "step", "steps") == expected


def test_a_one_step_process_is_one_step_everywhere(tmp_path: Path) -> None:
    path = one_step(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "ok: 1 process, 1 step valid" in result.stderr
    portfolio = cost_portfolio([load_process(path)])
    assert "(USD, 1 process, 1 step)" in cost_report(portfolio, fmt="markdown")
    html = render_index(portfolio, rank_candidates(portfolio), [])
    assert "<small>· 1 step</small>" in html and "1 steps" not in html
    report = render_report(portfolio)
    assert "1 of 1 step with a cost makes 100.00%" in report
    assert "1 step could be partly automated" in report


def test_a_diagram_title_says_one_working_day(tmp_path: Path) -> None:
    cost = cost_process(load_process(one_step(tmp_path)))  # 8 h at 8 h a day
    assert "Lead time 1 working day (8 h) per run" in to_mermaid(cost)


@pytest.mark.parametrize(
    ("language", "runs"),
    [
        ("en", "runs 3 times a week"),
        ("ko", "실행 빈도 주 3회"),
        ("ru", "частота 3 раза в неделю"),
    ],
)
def test_a_diagram_says_the_frequency_in_the_process_language(
    tmp_path: Path, language: str, runs: str
) -> None:
    cost = cost_process(load_process(one_step(tmp_path, language, "3/week")))
    svg = render(cost, "svg").decode("utf-8")
    words = " ".join(re.sub(r"<[^>]+>", " ", svg).split())  # the title may wrap over lines
    assert runs in words and "3/week" not in words


@pytest.mark.parametrize(
    ("language", "low", "high", "text"),
    [
        ("ru", "2", "3", "2–3 раза за каждое выполнение"),
        ("ru", "2", "5", "2–5 раз за каждое выполнение"),
        ("ru", "1", "21", "1–21 раз за каждое выполнение"),
        ("en", "2", "3", "2–3 times each time"),
    ],
)
def test_a_count_range_agrees_with_its_last_number(
    language: str, low: str, high: str, text: str
) -> None:
    from decimal import Decimal

    from sopkit.models import Count
    from sopkit.render.i18n import catalogue
    from sopkit.render.sop.wording import count_text

    count = Count.parse(f"{low}..{high}")
    assert count_text(count, catalogue(language)).startswith(text)
    assert Decimal(high) == count.high


def test_two_callers_run_it(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    head = "sopkit: 1\nowner: Writer\nfrequency: 1/month\nsteps:\n"
    for caller in ("newsletter", "webinar"):
        (tmp_path / f"{caller}.yaml").write_text(
            f"id: {caller}\nname: {caller}\n{head}  - {{id: c, name: C, process: send}}\n",
            encoding="utf-8",
        )
    (tmp_path / "send.yaml").write_text(
        "sopkit: 1\nid: send\nname: Send\nowner: Writer\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    from sopkit import load_portfolio

    table = cost_report(cost_portfolio(load_portfolio(tmp_path)), fmt="markdown")
    assert "send runs only when newsletter and webinar run it (2.00 runs a month)" in table


@pytest.mark.parametrize(
    ("language", "time", "shown"),
    [
        ("en", "1h30m", "1.5 h"),  # as the SOP says it, not the file's notation
        ("en", "20m..45m", "20–45 min"),
        ("en", "{min: 3h, likely: 4h, max: 6h}", "3–6 h"),
        ("en", "6h..12h", "6–12 h"),  # a step's time stays in hours past a working day
        ("ko", "1h30m", "1.5시간"),
        ("ru", "1h30m", "1,5 ч"),
        ("ru", "1d..2d", "8–16 ч"),  # hands-on time: hours, as the SOP gives it
        ("ru", "3h..6h", "3–6 ч"),
        ("ko", "30m..1h", "30분–1시간"),  # each end in its own unit, as the SOP
    ],
)
def test_diagrams_give_times_in_the_process_language(
    tmp_path: Path, language: str, time: str, shown: str
) -> None:
    text = ONE_STEP.format(language=language, frequency="1/week").replace("8h", time)
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "one.yaml").write_text(text, encoding="utf-8")
    cost = cost_process(load_process(tmp_path / "one.yaml"))
    assert f"<br/>{shown}<br/>" in to_mermaid(cost)
