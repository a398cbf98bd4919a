"""What a newcomer reads in an SOP: how often a step is done, and what its badges mean.

A trial read "Repeats: 1.43 times per run" as an instruction ("do I write it once or
twice?") and found the "Critical path" badge explained only in the diagram's legend.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROCESSES

from sopkit import load_process
from sopkit.analysis import cost_process
from sopkit.render.sop import render_checklist, render_sop, sop_document


def _steps(path: Path) -> dict[str, str | None]:
    """Each step's "how often" text, by step id."""
    doc = sop_document(cost_process(load_process(path)))
    return {step.id: step.repeats for step in doc.steps}


# --- how often a step is done ------------------------------------------------------------


def test_a_step_redone_by_rework_says_which_step_sends_it_back() -> None:
    repeats = _steps(PROCESSES / "en" / "content-marketing.yaml")
    assert repeats["draft"] == (
        "Done again when step 4 sends the work back: about 1.43 times a run on average."
    )
    # The reviewing step is in its own loop: it reviews again after sending work back.
    assert repeats["edit"] == (
        "Done again when this step sends the work back: about 1.43 times a run on average."
    )


def test_per_run_says_the_step_is_done_that_many_times_each_run() -> None:
    repeats = _steps(PROCESSES / "en" / "content-marketing.yaml")
    assert repeats["social"] == "Done 3 times in each run."


def test_a_step_in_several_loops_names_every_step_that_sends_it_back() -> None:
    """Release post step 9 (automated) runs again for steps 10, 11 and 13."""
    repeats = _steps(PROCESSES / "en" / "release-post.yaml")
    assert repeats["review-app"] == (
        "Done again when step 10, step 11, or step 13 sends the work back:"
        " about 1.74 times a run on average."
    )
    assert repeats["writer-review"] == (
        "Done again when this step or step 13 sends the work back:"
        " about 1.39 times a run on average."
    )


def test_sop_and_checklist_agree_on_the_share_and_the_sop_says_what_rework_adds() -> None:
    """The trial saw "in 31.25% of runs" in the SOP and "in 25% of runs" in the checklist
    for the same step: 25% is its ``per_run``, 0.3125 its executions with the rework
    passes of the loop from step 6 (0.25 × 1.25). Both now give 25% as the share of runs,
    and the SOP says the other figure is an average with rework."""
    path = PROCESSES / "en" / "ppc-search-ads.yaml"
    sop = _steps(path)["landing-page"]
    assert sop == (
        "Done in 25% of runs, and again when step 6 sends the work back:"
        " about 0.31 times a run on average."
    )
    assert "31.25%" not in render_sop(cost_process(load_process(path)))
    box = next(
        line
        for line in render_checklist(load_process(path)).splitlines()
        if "Build or update the landing page" in line
    )
    assert "· in 25% of runs ·" in box


def test_a_step_done_every_run_once_says_nothing() -> None:
    repeats = _steps(PROCESSES / "en" / "content-marketing.yaml")
    assert repeats["research"] is None


COMBINATIONS = """\
sopkit: 1
id: p
name: P
owner: Editor
frequency: 1/month
language: {language}
conditions:
  big: {{question: Big?, share: 0.5}}
  other: {{question: Other?, share: 0.5}}
steps:
  - {{id: a, name: A, owner: Editor, time: 1h, done_when: x}}
  - {{id: b, name: B, owner: Editor, after: [a], time: 1h, per_run: 2, when: {{big: true}},
     done_when: x}}
  - {{id: c, name: C, owner: Editor, after: [b], time: 1h, per_run: 0.5, when: {{big: true}},
     done_when: x}}
  - {{id: d, name: D, owner: Editor, after: [c], time: 1h, per_run: 2, done_when: x}}
  - {{id: e, name: E, owner: Editor, after: [d], time: 1h, per_run: 0.5, done_when: x}}
  - {{id: f, name: F, owner: Editor, after: [e], time: 1h, done_when: x, approval: true,
     rework: {{to: a, probability: 0.5}}, when: {{big: true}}}}
  - {{id: g, name: G, owner: Editor, after: [f], time: 1h, done_when: x, when: {{big: false}},
     rework: {{to: a, probability: 0.5}}}}
  - {{id: h, name: H, owner: Editor, after: [g], time: 1h, per_run: 3, when: {{other: true}},
     done_when: x}}
  - {{id: i, name: I, owner: Editor, after: [h], time: 1h, per_run: 0.5, when: {{other: true}},
     done_when: x}}
"""


@pytest.mark.parametrize(
    ("language", "wanted"),
    [
        (
            "en",
            {
                "a": "Done again when step 6 or step 7 sends the work back:"
                " about 2 times a run on average.",
                # Only step 6 runs where "Big? — yes" does: step 7 needs "no".
                "b": "Done 2 times in each run that needs it (Big? — yes), and again when"
                " step 6 sends the work back: about 4 times on average in each such run.",
                "c": "Done in 50% of the runs that need it (Big? — yes), and again when"
                " step 6 sends the work back: about 1 time on average in each such run.",
                "d": "Done 2 times in each run, and again when step 6 or step 7 sends the"
                " work back: about 4 times a run on average.",
                "e": "Done in 50% of runs, and again when step 6 or step 7 sends the work"
                " back: about 1 time a run on average.",
                "f": "Done again when this step sends the work back:"
                " about 2 times on average in each run that needs it (Big? — yes).",
                "h": "Done 3 times in each run that needs it (Other? — yes).",
                "i": "Not done in every run that needs it (Other? — yes): in 50% of them.",
            },
        ),
        (
            "ko",
            {
                "a": "6단계 또는 7단계에서 작업을 되돌려 보내면 다시 합니다."
                " 실행당 평균 약 2회입니다.",
                "b": "이 단계가 필요한 실행(Big? — 예)마다 2회 하고, 6단계에서 작업을 되돌려"
                " 보내면 다시 합니다. 그런 실행마다 평균 약 4회입니다.",
                "e": "실행의 50%에서 하고, 6단계 또는 7단계에서 작업을 되돌려 보내면 다시"
                " 합니다. 실행당 평균 약 1회입니다.",
                "h": "이 단계가 필요한 실행(Other? — 예)마다 3회 합니다.",
            },
        ),
        (
            "ru",
            {
                "a": "Выполняется снова, когда шаг 6 или шаг 7 возвращает работу:"
                " в среднем 2 раза за запуск.",
                "d": "Выполняется 2 раза за каждый запуск и снова, когда шаг 6 или шаг 7"
                " возвращает работу: в среднем 4 раза за запуск.",
                "f": "Выполняется снова, когда этот шаг возвращает работу: в среднем 2 раза"
                " в каждом запуске, где он нужен (Big? — да).",
                "i": "Выполняется не в каждом запуске, где он нужен (Other? — да): в 50% из них.",
            },
        ),
    ],
)
def test_every_kind_of_repeat_in_every_language(
    language: str, wanted: dict[str, str], write_process: Callable[..., Path]
) -> None:
    repeats = _steps(write_process(COMBINATIONS.format(language=language)))
    for step, text in wanted.items():
        assert repeats[step] == text, step


def test_a_share_of_runs_alone_says_the_step_is_not_done_every_run(
    write_process: Callable[..., Path],
) -> None:
    path = write_process(
        textwrap.dedent(
            """\
            sopkit: 1
            id: p
            name: P
            owner: Editor
            frequency: 1/month
            steps:
              - {id: a, name: A, owner: Editor, time: 1h, per_run: 0.25, done_when: x}
            """
        )
    )
    assert _steps(path)["a"] == "Not done in every run: in 25% of runs."
    assert "- **How often:** Not done in every run: in 25% of runs." in render_sop(
        cost_process(load_process(path)), diagram=False
    )


# --- the critical path -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "note"),
    [
        (
            "en",
            "Steps marked “Critical path” set the lead time: if any of them takes longer,"
            " the whole run finishes later.",
        ),
        ("ko", "“주경로” 표시가 있는 단계가 리드 타임을 정합니다."),
        ("ru", "Шаги с пометкой «Критический путь» определяют длительность запуска"),
    ],
)
def test_the_critical_path_badge_is_explained_once_before_the_steps(
    language: str, note: str, write_process: Callable[..., Path]
) -> None:
    path = write_process(COMBINATIONS.format(language=language))
    cost = cost_process(load_process(path))
    assert any(step.critical for step in sop_document(cost).steps)
    markdown = render_sop(cost, diagram=False)
    assert markdown.count(note) == 1
    assert markdown.index("\n## ") < markdown.index(note) < markdown.index("\n### 1. A")
    html = render_sop(cost, fmt="html", diagram=False)
    assert html.count(note) == 1
    assert html.index('id="procedure"') < html.index(note) < html.index('class="steps"')


def test_no_note_where_no_step_is_marked() -> None:
    """Content marketing's steps are all on the critical path: no badge, no note."""
    cost = cost_process(load_process(PROCESSES / "en" / "content-marketing.yaml"))
    assert sop_document(cost).critical_note is None
    assert "Steps marked" not in render_sop(cost, diagram=False)
