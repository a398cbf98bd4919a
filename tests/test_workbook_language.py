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
from workbook_tools import recalculate

from sopkit.analysis import cost_portfolio, rank_candidates
from sopkit.analysis.simulation import simulate
from sopkit.load import load_portfolio
from sopkit.render.i18n import catalogue
from sopkit.render.totals import candidate_totals
from sopkit.render.workbook import render_workbook
from sopkit.render.workbook.words import SHEETS, Phrase, Words

PAYBACK = """\
sopkit: 1
id: payback
name: Payback cases
owner: Writer
frequency: 4/month
language: {language}
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
    with: [Editor]
    time: 4h
    after: [loss]
    automation: {{share: 0.5, tool_cost: 100/year, setup: 10h}}
"""
ROLES = "currency: USD\nroles:\n  Writer: {rate: 50, headcount: 0.25}\n  Editor: {rate: 60}\n"


def _workbook(folder: Path, language: str) -> bytes:
    folder.mkdir()
    (folder / "roles.yaml").write_text(ROLES, "utf-8")
    (folder / "payback.yaml").write_text(PAYBACK.format(language=language), "utf-8")
    cost = cost_portfolio(load_portfolio(folder))
    return render_workbook(cost, ranges=simulate(cost, years=100, seed=3))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder per language, each holding the same portfolio."""
    return tmp_path_factory.mktemp("language")


@pytest.fixture(scope="module")
def books(root: Path) -> dict[str, bytes]:
    return {language: _workbook(root / language, language) for language in ("en", "ko", "ru")}


def _cells(data: bytes, *, values: bool) -> list[list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=values)
    return [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets]


@pytest.mark.parametrize("language", ["ko", "ru"])
def test_the_figures_are_the_english_workbooks_cell_for_cell(
    books: dict[str, bytes], root: Path, language: str
) -> None:
    english, other = _cells(books["en"], values=True), _cells(books[language], values=True)
    assert len(english) == len(other)
    words = Words(language)
    # Two labels come from the site's catalogue: the portfolio's size and the candidates' scope.
    t, english_t = catalogue(language), catalogue("en")
    cost = cost_portfolio(load_portfolio(root / "en"))
    scope = candidate_totals(rank_candidates(cost)).scope
    from_catalogue = {
        english_t("count.processes", 1) + ", USD": t("count.processes", 1) + ", USD",
        scope(t=english_t).capitalize(): scope(t=t)[0].upper() + scope(t=t)[1:],
    }
    for sheet_en, sheet_other in zip(english, other, strict=True):
        assert len(sheet_en) == len(sheet_other)
        for row_en, row_other in zip(sheet_en, sheet_other, strict=True):
            for a, b in zip(row_en, row_other, strict=True):
                if isinstance(a, str):
                    # our words are translated; the files' own text is as written
                    assert b in (a, words(a), from_catalogue.get(a)) or _phrase_of(a, b, words), (
                        a,
                        b,
                    )
                else:
                    assert a == b


def _phrase_of(english: str, shown: str, words: Words) -> bool:
    """Whether ``shown`` is a translated phrase with placeholders whose English is ``english``."""
    for template in _translations():
        if "{" not in template:
            continue
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", pattern)
        found = re.fullmatch(pattern, english)
        if found and shown == words(template, **found.groupdict()):
            return True
    return False


def _translations() -> dict[str, dict[str, str]]:
    text = resources.files("sopkit").joinpath("i18n", "workbook.json").read_text("utf-8")
    found: dict[str, dict[str, str]] = json.loads(text)
    return found


def test_a_korean_workbook_reads_in_korean(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["ko"]))
    assert book.sheetnames == ["요약", "단가", "자동화 후보", "단계", "참여자", "경비", "범위"]
    summary, candidates = book["요약"], book["자동화 후보"]
    assert [c.value for c in summary[1]][:4] == [
        "프로세스 또는 역할",
        "이름",
        "유형",
        "연간 인건비",
    ]
    assert (summary["A2"].value, summary["B2"].value) == ("모든 프로세스", "프로세스 1개, USD")
    assert summary["D4"].value.startswith("=SUMPRODUCT(--EXACT('단계'!$A$2:")
    assert '"회수 불가"' in candidates["N3"].value
    assert candidates["N2"].number_format == '[=0]"즉시";#,##0.0'
    assert summary.oddFooter.right.text == "&P / &N쪽"
    assert book.properties.title == "연간 업무 비용"
    stored = openpyxl.load_workbook(io.BytesIO(books["ko"]), data_only=True)["자동화 후보"]
    loss = next(row for row in stored.iter_rows(min_row=2, values_only=True) if row[1] == "loss")
    assert loss[13] == "회수 불가"
    notes = [row[0] for row in stored.iter_rows(values_only=True) if row[0]]
    assert any(str(n).startswith("회수 기간: 순절감액으로") for n in notes)
    # The files' own words stay as written: names, ids and the format's kinds.
    rates = openpyxl.load_workbook(io.BytesIO(books["ko"]))["단가"]
    assert [rates["A2"].value, rates["B2"].value] == ["Editor", "staff"]


def test_a_russian_workbook_reads_in_russian(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["ru"]), data_only=True)
    assert book.sheetnames[:4] == ["Сводка", "Ставки", "Кандидаты", "Шаги"]
    shown = [row[0] for row in book["Разброс"].iter_rows(values_only=True) if row[0]]
    assert "Разброс по 100 смоделированным годам (seed 3)" in " ".join(map(str, shown))
    assert book["Сводка"]["B2"].value == "1 процесс, USD"


def test_an_english_workbook_is_written_as_built(books: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books["en"]))
    assert book.sheetnames[:4] == ["Summary", "Rates", "Candidates", "Steps"]
    assert book["Summary"]["D4"].value.startswith("=SUMPRODUCT(--EXACT(Steps!$A$2:")
    assert book["Summary"].oddFooter.right.text == "Page &P of &N"


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
@pytest.mark.parametrize("language", ["ko", "ru"])
def test_libreoffice_computes_every_stored_value_of_a_translated_workbook(
    books: dict[str, bytes], language: str, tmp_path: Path
) -> None:
    data = books[language]
    computed = recalculate(data, tmp_path)
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    source = openpyxl.load_workbook(io.BytesIO(data))
    checked = 0
    for sheet in source:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                ours = stored[sheet.title][cell.coordinate].value
                theirs = computed[sheet.title][cell.coordinate].value
                where = f"{sheet.title}!{cell.coordinate} {cell.value}"
                if ours is None or isinstance(ours, str):
                    assert (theirs or "") == (ours or ""), where
                else:
                    assert theirs == pytest.approx(ours, rel=1e-9, abs=1e-9), where
                checked += 1
    assert checked > 40
