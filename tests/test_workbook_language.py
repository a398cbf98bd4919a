"""cost.xlsx in the portfolio's language: the same figures, in words its readers read.

A Korean or Russian portfolio's workbook names its sheets, headings, totals and
notes in that language, and its formulas read the sheets by those names; the
figures are the English workbook's, cell for cell, and LibreOffice computes
each of them again.
"""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from workbook_tools import recomputed

from sopkit.analysis import cost_portfolio
from sopkit.analysis.simulation import simulate
from sopkit.load import load_portfolio
from sopkit.render.numbers import DASH
from sopkit.render.workbook import render_workbook
from sopkit.render.workbook.words import SHEETS, Phrase, Words

PAYBACK = """\
sopkit: 1
id: payback
name: Payback cases
owner: Writer
frequency: 4/month
language: {language}
expenses:
  - {{name: Hosting, amount: 100, per: month}}
steps:
  - {{id: free, name: Nothing invested, owner: Writer, time: 2h, automation: 0.5}}
  - id: loss
    name: Tool costs more than it saves
    owner: Writer
    time: 1h
    after: [free]
    automation: {{share: 0.1, tool_cost: 5000/year, setup: 2h}}
    expense: 12
  - id: good
    name: Pays back
    owner: Writer
    with: {{Editor: 2}}
    time: 4h
    after: [loss]
    automation: {{share: 0.5, tool_cost: 100/year, setup: 10h}}
  - {{id: review, name: Agency review, owner: Agency, time: 1h, after: [good]}}
  - {{id: send, name: Send, owner: Bot, time: 1h, after: [review]}}
  - {{id: qa, name: Quality check, process: check, after: [send]}}
"""
CHECK = """\
sopkit: 1
id: check
name: Check
owner: Editor
language: {language}
steps:
  - {{id: c1, name: Check it, owner: Editor, time: 30m, expense: 5}}
"""
SCENARIO = """\
sopkit-scenario: 1
name: Dearer editors
changes:
  - rates: {Editor: 75}
"""
ROLES = """\
currency: USD
roles:
  Writer: {rate: 50, headcount: 0.25}
  Editor: {rate: 60}
  Agency: {rate: 90, kind: external}
  Bot: {kind: system}
"""
EMPTY = """\
sopkit: 1
id: bare
name: Bare
owner: Writer
frequency: 1/month
language: {language}
steps:
  - {{id: a, name: Write, owner: Writer, time: 1h}}
"""


def _folder(folder: Path, language: str, *, bare: bool = False) -> Path:
    folder.mkdir()
    (folder / "roles.yaml").write_text(ROLES, "utf-8")
    if bare:  # no expenses, no candidates: totals of no rows
        (folder / "bare.yaml").write_text(EMPTY.format(language=language), "utf-8")
        return folder
    (folder / "payback.yaml").write_text(PAYBACK.format(language=language), "utf-8")
    (folder / "check.yaml").write_text(CHECK.format(language=language), "utf-8")
    return folder


def _workbook(folder: Path, *, scenario: Path | None = None) -> bytes:
    from sopkit.decide import compare_scenarios

    cost = cost_portfolio(load_portfolio(folder))
    results = compare_scenarios(folder, [scenario]).results if scenario else ()
    return render_workbook(cost, ranges=simulate(cost, years=100, seed=3), scenarios=results)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder per language, each holding the same portfolio, and the scenario."""
    root = tmp_path_factory.mktemp("language")
    (root / "dearer.yaml").write_text(SCENARIO, "utf-8")
    return root


@pytest.fixture(scope="module")
def books(root: Path) -> dict[str, bytes]:
    return {
        language: _workbook(_folder(root / language, language), scenario=root / "dearer.yaml")
        for language in ("en", "ko", "ru")
    }


def _data_words(folder: Path) -> set[str]:
    """Every text the portfolio's files hold: the workbook shows these as written."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.add(value)

    for path in folder.glob("*.yaml"):
        walk(yaml.safe_load(path.read_text("utf-8")))
    return found


def _cells(data: bytes, *, values: bool) -> list[list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=values)
    return [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets]


def _translations() -> dict[str, dict[str, str]]:
    text = resources.files("sopkit").joinpath("i18n", "workbook.json").read_text("utf-8")
    found: dict[str, dict[str, str]] = json.loads(text)
    return found


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_the_figures_are_the_english_workbooks_and_no_english_word_is_left(
    books: dict[str, bytes], root: Path, language: str
) -> None:
    english, other = _cells(books["en"], values=True), _cells(books[language], values=True)
    assert len(english) == len(other)
    data = _data_words(root / "en") | _data_words(root) | {"USD", DASH}
    # words that read the same in the language (FTE, P10) are translated as themselves
    same = {english for english, forms in _translations().items() if forms[language] == english}
    for sheet_en, sheet_other in zip(english, other, strict=True):
        assert len(sheet_en) == len(sheet_other)
        for row_en, row_other in zip(sheet_en, sheet_other, strict=True):
            for a, b in zip(row_en, row_other, strict=True):
                if not isinstance(a, str):
                    assert a == b  # the same figure in every language
                elif a == b:  # what the files say, shown as written: names, ids, lists
                    parts = [p for p in re.split(r", | ×\d+|/| ", a) if p]
                    assert a in data | same or all(p in data for p in parts), (language, a)


def test_a_korean_workbook_reads_in_korean(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["ko"]))
    assert book.sheetnames == [
        "요약",
        "단가",
        "자동화 후보",
        "단계",
        "참여자",
        "호출",
        "현금 비용",
        "범위",
        "시나리오 1 Dearer editors",
    ]
    summary, candidates = book["요약"], book["자동화 후보"]
    assert [c.value for c in summary[1]][:4] == [
        "프로세스 또는 역할",
        "이름",
        "유형",
        "연간 인건비",
    ]
    assert (summary["A2"].value, summary["B2"].value) == (
        "모든 프로세스",
        "프로세스 1개와 하위 절차 1개, USD",
    )
    assert summary["D4"].value.startswith("=SUMPRODUCT(--EXACT('단계'!$A$2:")
    staff = next(c.value for c in book["요약"]["A"] if c.value == "Writer")
    assert staff == "Writer"  # names stay as written
    loss = next(r for r in candidates.iter_rows(min_row=2) if r[1].value == "loss")
    assert '"회수 불가"' in loss[13].value
    assert candidates["N2"].number_format == '[=0]"즉시";[<0.05]"< 0.1";#,##0.0'
    assert summary.oddFooter.right.text == "&P / &N쪽"
    assert book.properties.title == "연간 업무 비용"
    roles = {r[0].value: r for r in summary.iter_rows(min_row=2) if r[0].value}
    assert [roles[name][2].value for name in ("Writer", "Agency", "Bot")] == [
        "직원",
        "외부",
        "시스템",
    ]
    assert "--EXACT('참여자'!$D$2:$D$" in roles["Writer"][6].value
    assert '"직원"' in roles["Writer"][6].value  # matched in the language the kinds are in
    steps = {r[1].value: r for r in book["단계"].iter_rows(min_row=2) if r[1].value}
    assert steps["good"][3].value == "Writer, 함께: Editor ×2"  # as the SOP and plan say
    assert steps["qa"][3].value == "check 실행"
    stored = openpyxl.load_workbook(io.BytesIO(books["ko"]), data_only=True)
    loss_value = next(
        r for r in stored["자동화 후보"].iter_rows(values_only=True) if r[1] == "loss"
    )
    assert loss_value[13] == "회수 불가"
    periods = [r[4] for r in stored["현금 비용"].iter_rows(min_row=2, values_only=True) if r[4]]
    assert set(periods) == {"수행당", "월", "호출당"}
    notes = [row[0] for row in stored["자동화 후보"].iter_rows(values_only=True) if row[0]]
    assert any(str(n).startswith("회수 기간: 순절감액으로") for n in notes)
    scenario = [r for r in stored["시나리오 1 Dearer editors"].iter_rows(values_only=True)]
    assert any(r[2] == "변경" for r in scenario)


def test_a_russian_workbook_reads_in_russian(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["ru"]), data_only=True)
    assert book.sheetnames[:4] == ["Сводка", "Ставки", "Автоматизация", "Шаги"]
    assert book.sheetnames[-1] == "Сценарий 1 Dearer editors"
    shown = [row[0] for row in book["Разброс"].iter_rows(values_only=True) if row[0]]
    assert "по 100 смоделированным годам (зерно генератора 3)" in " ".join(map(str, shown))
    assert book["Сводка"]["B2"].value == "1 процесс и 1 подпроцесс, USD"
    notes = " ".join(str(r[0]) for r in book["Сводка"].iter_rows(values_only=True) if r[0])
    assert "FTE = часы в год ÷ рабочих часов в году (K15)" in notes
    assert "Рабочих часов в году" in notes and "Цветные ячейки — исходные данные" in notes
    # a payback of a few days reads "< 0,1" as the Russian reports write it
    assert book["Автоматизация"]["N2"].number_format == '[=0]"сразу";[<0.05]"< 0,1";#,##0.0'


def test_an_english_workbook_is_written_as_built(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["en"]))
    assert book.sheetnames[:4] == ["Summary", "Rates", "Candidates", "Steps"]
    assert book.sheetnames[-1] == "To-Be 1 Dearer editors"
    assert book["Summary"]["D4"].value.startswith("=SUMPRODUCT(--EXACT(Steps!$A$2:")
    assert book["Summary"].oddFooter.right.text == "Page &P of &N"


def test_a_formula_keeps_its_string_literals_but_the_words_it_shows() -> None:
    words = Words("ko")
    formula = 'IF(A1="Steps!B2",Steps!B2,IF(C1="staff","never",""""))'
    assert words.formula(formula) == (
        'IF(A1="Steps!B2",\'단계\'!B2,IF(C1="직원","회수 불가",""""))'
    )


def test_every_phrase_has_its_translations_and_every_sheet_a_name() -> None:
    found = _translations()
    assert list(found) == sorted(found)
    for english, forms in found.items():
        assert set(forms) == {"ko", "ru"}, english
        wanted = set(re.findall(r"\{(\w+)\}", english))
        for text in forms.values():
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, english
    for sheet in SHEETS:
        assert sheet in found
        assert not re.search(r"[\[\]:*?/\\']", Words("ko").sheet(sheet) + Words("ru").sheet(sheet))


def test_a_phrase_is_its_english_text_until_it_is_written() -> None:
    phrase = Phrase("Scenario: {name}", name="Q3 {draft}")
    assert phrase == "Scenario: Q3 {draft}" and isinstance(phrase, str)
    assert Words("ru")(phrase.template, **phrase.params) == "Сценарий: Q3 {draft}"


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("case", ["ko", "ru", "en-bare", "ko-bare"])
def test_libreoffice_computes_every_stored_value_of_a_translated_workbook(
    books: dict[str, bytes], case: str, tmp_path: Path
) -> None:
    """Every formula, in every language, and over sheets with no rows (no expenses, no
    candidates: a total of no rows must not be a formula over its own cell)."""
    language, _, bare = case.partition("-")
    data = books[language] if not bare else _workbook(_folder(tmp_path / "p", language, bare=True))
    checked = recomputed(data, tmp_path)
    assert checked > (10 if bare else 40)


JOINT_KO = """\
sopkit: 1
id: joint
name: 함께 하는 일
owner: 프로덕트 마케팅 매니저
frequency: 1/month
language: ko
steps:
  - {id: brief, name: 브리프, owner: 프로덕트 마케팅 매니저, with: {마케팅 총괄: 1}, time: 1h}
  - {id: setup, name: 세팅, owner: 광고대행사, with: {퍼포먼스 마케터: 1}, time: 1h, after: [brief]}
"""
JOINT_ROLES = """\
currency: KRW
roles:
  프로덕트 마케팅 매니저: {rate: 42000}
  마케팅 총괄: {rate: 65000}
  퍼포먼스 마케터: {rate: 31000}
  광고대행사: {rate: 80000, kind: external}
"""


def test_a_korean_owner_cell_is_as_tall_as_its_lines_in_calibri(tmp_path: Path) -> None:
    """A trial's rows with '광고대행사, 함께: 퍼포먼스 마케터' were two lines tall and drawn
    on one, half blank: its spaces and punctuation were counted as wide as letters. In
    LibreOffice with Carlito (Calibri's metrics) that cell is one line, and '프로덕트
    마케팅 매니저, 함께: 마케팅 총괄' two ("총괄" wraps): the row heights say so."""
    (tmp_path / "roles.yaml").write_text(JOINT_ROLES, "utf-8")
    (tmp_path / "joint.yaml").write_text(JOINT_KO, "utf-8")
    data = render_workbook(cost_portfolio(load_portfolio(tmp_path)))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["단계"]
    heights = {row[1].value: sheet.row_dimensions[row[1].row].height for row in sheet.iter_rows(2)}
    owners = {row[1].value: row[3].value for row in sheet.iter_rows(2)}
    assert owners["setup"] == "광고대행사, 함께: 퍼포먼스 마케터"
    assert owners["brief"] == "프로덕트 마케팅 매니저, 함께: 마케팅 총괄"
    assert heights["setup"] is None  # one line: the default height
    assert heights["brief"] == 27
