"""Run checklists: one box per step in execution order, as Markdown or an issue template."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ENGLISH, PROCESSES, ROOT
from typer.testing import CliRunner

from sopkit import SopkitError, load_process
from sopkit.analysis import cost_process
from sopkit.cli import app
from sopkit.render.sop import render_sop
from sopkit.render.sop.checklist import checklist, render_checklist

FIXTURES = ROOT / "tests" / "fixtures" / "sop"
CONTENT = ENGLISH / "content-marketing.yaml"
KOREAN = PROCESSES / "ko" / "content-marketing-ko.yaml"
MINIMAL = FIXTURES / "minimal" / "monthly-report.yaml"
RUSSIAN = PROCESSES / "ru" / "sostac-plan-ru.yaml"
LAUNCH = ENGLISH / "product-launch.yaml"
#: Every kind of box: conditions, sign-offs and rework, a call, a milestone, a chance step.
ADDITIONS = ROOT / "tests" / "fixtures" / "additions" / "en" / "launch.yaml"

BOX = re.compile(r"^- \[ \] \d+\. \*\*(.+?)\*\* — (.+?) · (.+)$", flags=re.M)


@pytest.mark.parametrize(
    ("name", "path", "fmt"),
    [
        ("content-marketing.md", CONTENT, "markdown"),
        ("content-marketing-ko.github-issue.md", KOREAN, "github-issue"),
        ("monthly-report.md", MINIMAL, "markdown"),
    ],
)
def test_checklist_matches_golden(
    name: str, path: Path, fmt: str, golden: Callable[[str, str], None]
) -> None:
    golden(f"checklist/{name}", render_checklist(load_process(path), fmt=fmt))


def test_one_box_per_step_in_execution_order() -> None:
    process = load_process(MINIMAL)  # "slides" is listed first but comes after "numbers"
    boxes = BOX.findall(render_checklist(process))
    assert boxes == [
        ("Pull the numbers", "Analyst", "done when: not defined"),
        ("Slides", "Designer", "in 50% of runs · done when: not defined"),  # per_run: 0.5
    ]


def test_a_box_says_how_often_one_run_does_the_step(write_process: Callable[..., Path]) -> None:
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: Check, owner: Editor, time: 10m, per_run: 10}\n"
        "  - {id: b, name: Fix, owner: Editor, time: 1h, after: [a], per_run: 0.25,"
        " rework: {to: a, probability: 0.5}}\n"
    )
    assert BOX.findall(render_checklist(load_process(path))) == [
        ("Check", "Editor", "10 times per run · done when: not defined"),  # rework aside
        ("Fix", "Editor", "in 25% of runs · done when: not defined"),
    ]


def test_done_when_goes_on_after_its_colon_as_a_russian_sentence_does(
    write_process: Callable[..., Path],
) -> None:
    """A Russian trial read "готово, когда: Утверждены тема…" (a capital after a colon)
    and "…прислал тезисы. · затем ожидание" (a full stop before more of the line)."""
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nlanguage: ru\nsteps:\n"
        "  - {id: a, name: Тема, owner: Editor, time: 1h, done_when: Утверждены тема и спикер.}\n"
        "  - {id: b, name: Эксперт, owner: Editor, time: 1h, wait: 3d, after: [a],"
        " done_when: Эксперт прислал тезисы.}\n"
        "  - {id: c, name: Лиды, owner: Editor, time: 1h, after: [b], done_when: CRM обновлена.}\n"
        "  - {id: d, name: Tilda, owner: Editor, time: 1h, after: [c], done_when: Tilda готова.}\n"
    )
    boxes = [tail for _, _, tail in BOX.findall(render_checklist(load_process(path)))]
    assert boxes == [
        "готово, когда: утверждены тема и спикер.",
        "готово, когда: эксперт прислал тезисы · затем ожидание 3 рабочих дня",
        "готово, когда: CRM обновлена.",  # an acronym keeps its capitals
        "готово, когда: Tilda готова.",  # and a Latin name its capital
    ]


@pytest.mark.parametrize(
    ("path", "title"),
    [
        (CONTENT, "# Content marketing — blog post — run checklist"),
        (KOREAN, "# 콘텐츠 마케팅 — 블로그 글 발행 — 실행 체크리스트"),
        (RUSSIAN, "# Маркетинговый план по модели SOSTAC — чек-лист запуска"),
    ],
)
def test_the_checklist_has_one_top_level_title_in_its_language(path: Path, title: str) -> None:
    text = render_checklist(load_process(path))
    assert text.splitlines()[0] == title
    assert re.findall(r"^# .*$", text, flags=re.M) == [title]


def test_a_conditional_box_says_only_when_not_optional() -> None:
    """In a T1 or T2 launch the step is required: the box says when, as the SOP does."""
    text = render_checklist(load_process(LAUNCH))
    rest = text.split("- [ ] 4. **Positioning and messaging** — ", 1)[1].split("\n", 1)[1]
    assert rest.startswith("  - *Only when: Which launch tier? — T1 or T2, about 70% of runs*\n")
    assert "optional" not in text.lower()


def test_a_rework_note_is_a_line_of_its_own_naming_the_boxes_done_again(
    write_process: Callable[..., Path],
) -> None:
    # c runs beside b, outside the loop from b to d: it is not done again.
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, after: [a]}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [a]}\n"
        "  - {id: d, name: D, owner: Editor, time: 1h, after: [b, c], approval: true,"
        " rework: {to: b, probability: 0.25}}\n"
        "  - {id: e, name: E, owner: Editor, time: 1h, after: [d],"
        " rework: {to: e, probability: 0.1}}\n"
    )
    process = load_process(path)
    items = {item.id: item for item in checklist(process).items}
    assert [(i.number, i.id) for i in items.values()] == [
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (4, "d"),
        (5, "e"),
    ]
    assert items["d"].redo == (2, 4)
    assert items["e"].redo == (5,)
    assert items["a"].redo == ()
    lines = render_checklist(process).splitlines()
    box = lines.index("- [ ] 4. **D** — Sign-off by Editor · done when: not defined")
    assert lines[box + 1] == (
        "  - *If rejected (in 25% of sign-offs), the work goes back to step 2, “B”: "
        "steps 2 and 4 are done again, so untick their boxes.*"
    )
    # A step sent back to itself is ticked once it passes: the SOP's words, as a sub-item.
    assert lines[box + 3] == "  - *Each time it is done, in 10% of cases it has to be done again.*"


@pytest.mark.parametrize(
    ("path", "note"),
    [
        (
            PROCESSES / "ko" / "content-marketing-ko.yaml",
            "  - *이 단계를 마칠 때마다 30%의 확률로 3단계 “초안 작성”으로 되돌아갑니다. "
            "3–4단계를 다시 진행하므로 체크를 해제하세요.*",
        ),
        (
            RUSSIAN,
            "  - *Каждый раз с вероятностью 15% работа возвращается на шаг 10 «Тактика - "
            "инструменты, каналы и график кампаний»; шаги 10–15 и 18 выполняются заново — "
            "снимите с них отметки.*",
        ),
    ],
)
def test_the_rework_note_in_korean_and_russian(path: Path, note: str) -> None:
    assert note in render_checklist(load_process(path)).splitlines()


def test_ties_keep_file_order(write_process: Callable[..., Path]) -> None:
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        "  - {id: merge, name: Merge, owner: Editor, time: 1h, after: [b, a]}\n"
        "  - {id: b, name: B, owner: Editor, time: 1h, done_when: b is done}\n"
        "  - {id: a, name: A, owner: Editor, time: 1h}\n"
        "  - {id: c, name: C, owner: Editor, time: 1h, after: [a]}\n"
    )
    items = checklist(load_process(path)).items
    assert [(i.number, i.id) for i in items] == [(1, "b"), (2, "a"), (3, "merge"), (4, "c")]
    assert BOX.findall(render_checklist(load_process(path)))[0] == (
        "B",
        "Editor",
        "done when: b is done",
    )


def test_every_step_of_the_library_gets_a_box() -> None:
    for path in sorted(PROCESSES.rglob("*.yaml")):
        if path.name == "roles.yaml":
            continue
        process = load_process(path)
        text = render_checklist(process)
        assert len(re.findall(r"^- \[ \] \d+\. \*\*", text, flags=re.M)) == len(process.steps), path
        # Every step of work names its owner on its box (a sign-off as "Sign-off by");
        # a call says what it runs, a milestone that it is an event.
        for step in process.steps:
            box = re.search(rf"^- \[ \] \d+\. \*\*{re.escape(step.name)}\*\* — (.+)$", text, re.M)
            assert box is not None, (path, step.id)
            if step.is_work and step.owner:
                assert step.owner in box.group(1), (path, step.id)
            elif step.is_call:  # named with its file, as loaded
                callee = process.callees[step.process or ""]
                file = Path(callee.source_path or "").name
                assert f"“{callee.name}” ({file})" in box.group(1), (path, step.id)
            else:
                assert box.group(1).startswith("milestone"), (path, step.id)


def test_a_costed_process_works_too() -> None:
    process = load_process(CONTENT)
    assert render_checklist(cost_process(process)) == render_checklist(process)


def test_github_issue_front_matter_is_valid_yaml() -> None:
    text = render_checklist(load_process(KOREAN), fmt="github-issue")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert set(data) == {"name", "about", "title", "labels"}
    assert data["name"] == "콘텐츠 마케팅 — 블로그 글 발행 — 실행 체크리스트"
    assert data["labels"] == ["sop", "content", "seo", "blog", "korea"]
    assert body == "\n" + render_checklist(load_process(KOREAN))


def test_hostile_names_stay_literal(write_process: Callable[..., Path]) -> None:
    path = write_process(
        'sopkit: 1\nid: p\nname: "x\\"\\n---\\nname: evil"\nowner: Editor\n'
        "frequency: 1/month\ntags: ['a: b', '\"']\nsteps:\n"
        '  - {id: a, name: "[click](javascript:alert(1))", owner: Editor, time: 1h,'
        ' done_when: "<script>alert(1)</script> | x |"}\n'
    )
    text = render_checklist(load_process(path), fmt="github-issue")
    front = yaml.safe_load(text[4:].split("\n---\n", 1)[0])
    assert front["title"] == 'x" --- name: evil: ' or front["title"].startswith('x"\n---')
    assert front["labels"] == ["sop", "a: b", '"']
    assert r"**\[click\](javascript:alert(1))**" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| x \\|" in text
    assert "<script" not in text


def test_unknown_format() -> None:
    with pytest.raises(SopkitError, match="unknown checklist format 'pdf'"):
        render_checklist(load_process(CONTENT), fmt="pdf")


# --- as one HTML page -------------------------------------------------------------------------


class _Page(HTMLParser):
    """The boxes, links, scripts and text of an HTML checklist."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[dict[str, str | None]] = []
        self.labels: list[str] = []
        #: Each label's ``for``, in the order of ``labels``.
        self.label_for: list[str] = []
        self.links: list[str] = []
        self.scripts = 0
        self.policy: str | None = None
        self.text: list[str] = []
        self._label: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input":
            self.boxes.append(found)
        elif tag == "label":
            self._label = []
            self.label_for.append(found.get("for") or "")
        elif tag == "a":
            self.links.append(found["href"] or "")
        elif tag == "script":
            self.scripts += 1
        elif tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.policy = found["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            self.labels.append("".join(self._label))
            self._label = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._label is not None:
            self._label.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_checklist_golden(golden: Callable[[str, str], None]) -> None:
    golden(
        "checklist/additions-launch-en.html", render_checklist(load_process(ADDITIONS), fmt="html")
    )


@pytest.mark.parametrize("path", [CONTENT, KOREAN, RUSSIAN, LAUNCH, MINIMAL, ADDITIONS])
def test_html_has_a_real_checkbox_per_step_with_the_markdowns_content(path: Path) -> None:
    process = load_process(path)
    data = checklist(process)
    page = _page(render_checklist(process, fmt="html"))
    # A step's box is box-N; a call's runs have boxes of their own, box-N-1 …
    steps = [box for box in page.boxes if re.fullmatch(r"box-\d+", box.get("id") or "")]
    assert [box.get("type") for box in page.boxes] == ["checkbox"] * len(page.boxes)
    assert [box.get("id") for box in steps] == [f"box-{i.number}" for i in data.items]
    runs = [f"box-{i.number}-{n}" for i in data.items for n in range(1, len(i.runs) + 1)]
    assert [box.get("id") for box in page.boxes if box not in steps] == runs
    assert not any("checked" in box for box in page.boxes)  # a fresh page prints empty boxes
    text = " ".join(" ".join(page.text).split())
    markdown = render_checklist(process)
    labels = [x for x, at in zip(page.labels, page.label_for, strict=True) if "-" not in at[4:]]
    for item, label, line in zip(data.items, labels, BOX_LINES(markdown), strict=True):
        assert label.startswith(f"{item.number}. {item.name} — ")
        # The line is the Markdown box's, without its marks: the same words.
        assert label == line
        for note in (item.condition, item.rework):
            if note is not None:
                assert note in text
    assert data.title in text and process.owner in text


def BOX_LINES(markdown: str) -> list[str]:  # noqa: N802 - reads as the thing it lists
    """Each Markdown box's line as plain text: no box, bold or escapes."""
    lines = re.findall(r"^- \[ \] (.+)$", markdown, flags=re.M)
    return [
        re.sub(r"\\(.)", r"\1", line.replace("**", "")).replace("&#126;", "~") for line in lines
    ]


def test_html_needs_no_script_and_keeps_the_sops_security_policy() -> None:
    sop = _page(render_sop(cost_process(load_process(LAUNCH)), fmt="html", diagram=False))
    page = _page(render_checklist(load_process(LAUNCH), fmt="html"))
    assert page.scripts == 0
    assert page.policy == sop.policy and page.policy is not None
    assert "script-src" not in page.policy and "default-src 'none'" in page.policy


def test_html_links_only_what_it_is_given() -> None:
    process = load_process(CONTENT)
    assert _page(render_checklist(process, fmt="html")).links == []
    page = _page(
        render_checklist(
            process, fmt="html", home="../index.html", sop="c.html", markdown="c.checklist.md"
        )
    )
    assert page.links == ["../index.html", "c.html", "c.checklist.md"]
    # Markdown has no place for them: the same text with or without.
    assert render_checklist(process) == render_checklist(process, home="../index.html")


def test_an_html_sop_links_its_checklist_at_the_top_when_told_where() -> None:
    cost = cost_process(load_process(CONTENT))
    sop = render_sop(cost, fmt="html", diagram=False, checklist="c.checklist.html")
    header = sop.split("</header>", 1)[0]
    assert '<a class="checklist-link" href="c.checklist.html">Run checklist</a>' in header
    assert "checklist.html" not in render_sop(cost, fmt="html", diagram=False)
    # Markdown has no header to put it in: the same text with or without.
    assert render_sop(cost, diagram=False, checklist="c.checklist.html") == render_sop(
        cost, diagram=False
    )


def test_html_in_the_processs_language() -> None:
    html = render_checklist(load_process(KOREAN), fmt="html")
    assert '<html lang="ko">' in html
    assert "<title>콘텐츠 마케팅 — 블로그 글 발행 — 실행 체크리스트</title>" in html
    assert "체크 표시는 저장되지 않으므로" in html
    html = render_checklist(load_process(RUSSIAN), fmt="html")
    assert '<html lang="ru">' in html and "Отметки не сохраняются" in html


def test_html_hostile_names_stay_literal(write_process: Callable[..., Path]) -> None:
    path = write_process(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        '  - {id: a, name: "<script>alert(1)</script>", owner: Editor, time: 1h,'
        ' done_when: "<img src=x onerror=alert(1)>"}\n'
    )
    html = render_checklist(load_process(path), fmt="html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _page(html).labels == [
        "1. <script>alert(1)</script> — Editor · done when: <img src=x onerror=alert(1)>"
    ]


def test_cli_prints_the_library_output(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["checklist", str(KOREAN)])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_checklist(load_process(KOREAN))
    out = tmp_path / ".github" / "ISSUE_TEMPLATE" / "content.md"
    result = runner.invoke(
        app, ["checklist", str(CONTENT), "--format", "github-issue", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_checklist(
        load_process(CONTENT), fmt="github-issue"
    )
    result = runner.invoke(app, ["checklist", str(CONTENT), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_checklist(load_process(CONTENT), fmt="html")
    page = tmp_path / "run.html"  # the name says the format
    result = runner.invoke(app, ["checklist", str(KOREAN), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8") == render_checklist(load_process(KOREAN), fmt="html")
    assert runner.invoke(app, ["checklist", str(CONTENT), "--format", "pdf"]).exit_code == 2
    missing = runner.invoke(app, ["checklist", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1


# --- a step that runs another process several times ----------------------------------------


def _caller(tmp_path: Path, count: str) -> Path:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (tmp_path / "review.yaml").write_text(
        "sopkit: 1\nid: review\nname: Asset review\nowner: Editor\nsteps:\n"
        "  - {id: a, name: Check, owner: Editor, time: 1h, done_when: x}\n",
        encoding="utf-8",
    )
    path = tmp_path / "launch.yaml"
    path.write_text(
        "sopkit: 1\nid: launch\nname: Launch\nowner: Editor\nfrequency: 1/month\nsteps:\n"
        f"  - {{id: web, name: Review the web assets, process: review, count: {count}, "
        "done_when: x}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("count", "runs", "line"),
    [
        ("2..4", ["item 1", "item 2", "item 3, if there is one", "item 4, if there is one"], None),
        ("3", ["item 1", "item 2", "item 3"], None),
        ("2.5", ["item 1", "item 2", "item 3, if there is one"], None),  # an average
        ("10", [f"item {n}" for n in range(1, 11)], None),
        ("8..11", [], "Items done: ____ of 8–11"),
        ("40", [], "Items done: ____ of 40"),
        ("1", [], None),  # one run: the step's own box is its tick
    ],
)
def test_a_call_gets_a_tick_per_run_or_a_line_for_many(
    tmp_path: Path, count: str, runs: list[str], line: str | None
) -> None:
    # A trial: "for each of 2–4 items: run Launch asset review" had one box for it all.
    (item,) = checklist(load_process(_caller(tmp_path, count))).items
    assert list(item.runs) == runs and item.runs_count == line
    assert "(review.yaml)" in (item.call or "") and item.procedure is None


def test_a_call_in_markdown_has_a_box_per_run_and_in_a_site_its_procedure_s_checklist(
    tmp_path: Path,
) -> None:
    process = load_process(_caller(tmp_path, "2..3"))
    text = render_checklist(process)
    assert (
        "- [ ] 1. **Review the web assets** — for each of 2–3 items: run “Asset review” "
        "(review.yaml) · done when: x\n  - [ ] item 1\n  - [ ] item 2\n"
        "  - [ ] item 3, if there is one\n"
    ) in text
    assert "](review" not in text
    linked = render_checklist(process, procedures={"review": "review.checklist.md"})
    assert linked == text + "  - [Checklist of “Asset review”](review.checklist.md)\n"


def test_a_call_in_html_has_a_real_box_per_run_and_in_a_site_links_its_checklist(
    tmp_path: Path,
) -> None:
    process = load_process(_caller(tmp_path, "2..3"))
    page = _page(render_checklist(process, fmt="html"))
    assert [b.get("id") for b in page.boxes] == ["box-1", "box-1-1", "box-1-2", "box-1-3"]
    assert page.labels[1:] == ["item 1", "item 2", "item 3, if there is one"]
    assert page.links == []
    site = render_checklist(process, fmt="html", procedures={"review": "review.checklist.html"})
    assert _page(site).links == ["review.checklist.html"]
    assert '<a href="review.checklist.html">Checklist of “Asset review” →</a>' in site


def test_a_call_s_runs_speak_the_process_language(tmp_path: Path) -> None:
    path = _caller(tmp_path, "1..2")
    path.write_text(path.read_text().replace("owner: Editor\n", "owner: Editor\nlanguage: ru\n", 1))
    (item,) = checklist(load_process(path)).items
    assert item.runs == ("элемент 1", "элемент 2, если есть")


def test_cli_checklist_html_of_a_call_matches_the_library(tmp_path: Path) -> None:
    path = _caller(tmp_path, "2..4")
    result = CliRunner().invoke(app, ["checklist", str(path), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_checklist(load_process(path), fmt="html")
    assert 'id="box-1-4"' in result.stdout and "item 4, if there is one" in result.stdout


# --- printed --------------------------------------------------------------------------------


def _boxes(tmp_path: Path, done_when: list[str], when: bool = False) -> Path:
    (tmp_path / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    condition = "conditions:\n  big: {question: Is it big?, share: 0.6}\n" if when else ""
    steps = "".join(
        f"  - {{id: s{n}, name: Step {n}, owner: Editor, time: 1h, done_when: {json.dumps(d)}"
        + (", when: {big: yes}" if when else "")
        + "}\n"
        for n, d in enumerate(done_when)
    )
    path = tmp_path / "boxes.yaml"
    path.write_text(
        f"sopkit: 1\nid: boxes\nname: Boxes\nowner: Editor\nfrequency: 1/month\n{condition}"
        f"steps:\n{steps}",
        encoding="utf-8",
    )
    return path


def test_only_a_box_taller_than_a_third_of_a_printed_page_may_break(tmp_path: Path) -> None:
    # A third of Letter's page less its margins is about 230 pt, 14 lines of 10 pt text.
    sentence = "The asset list, the copy deck and the captions are approved and filed. "
    path = _boxes(tmp_path, ["The draft is filed.", sentence * 4, sentence * 40], when=True)
    items = checklist(load_process(path)).items
    assert [item.long for item in items] == [False, False, True]
    page = render_checklist(load_process(path), fmt="html")
    assert re.findall(r'<li class="box([^"]*)"', page) == [
        " conditional", " conditional", " conditional long"
    ]  # fmt: skip


def test_the_printed_checklist_lets_a_long_box_break_and_ties_no_box_to_the_next() -> None:
    # A trial: conditional boxes ended with "Only when", whose "keep with what follows"
    # passed to the box and tied it to the next one: a run of them turned the page
    # together and left a quarter of page 2 blank.
    page = render_checklist(load_process(ADDITIONS), fmt="html")
    printed = page.split("@media print {")[-1].split("\n}\n")[0]
    assert ".box.long { break-inside: auto; page-break-inside: auto; }" in printed
    assert ".box > :last-child { break-after: auto; page-break-after: auto; }" in printed
    assert ".box > label:not(:last-child) { break-after: avoid;" in printed
    assert ".box > label { orphans: 3; widows: 2; }" in printed
    # the SOP's rule that tied them is still there, and the box's overrides it after it
    assert page.index(".when, .step-head") < page.index(".box > :last-child { break-after: auto")


def test_cli_checklist_html_marks_a_long_box(tmp_path: Path) -> None:
    path = _boxes(tmp_path, ["Filed.", "Each asset is approved and filed. " * 120])
    result = CliRunner().invoke(app, ["checklist", str(path), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_checklist(load_process(path), fmt="html")
    assert re.findall(r'<li class="box([^"]*)"', result.stdout) == ["", " long"]
