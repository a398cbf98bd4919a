"""Money in a Korean sentence: ``1,250,000원`` after the figure, as Korean readers write
it, where a table or a headline figure keeps ``₩1,250,000``. Only won in Korean changes."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest
from conftest import KOREAN
from typer.testing import CliRunner

from sopkit import load_process
from sopkit.analysis import cost_process, rank_candidates
from sopkit.cli import app
from sopkit.render.costs.diff import change_text, signed_money
from sopkit.render.diagram.common import Wording, automation_text, cost_text
from sopkit.render.i18n import catalogue
from sopkit.render.numbers import Amount, money_text, rate_text, spoken
from sopkit.render.sop import render_sop
from sopkit.render.workbook.words import Words

WON = "KRW"


def test_a_korean_sentence_writes_won_after_the_figure() -> None:
    assert money_text(Decimal(1250000), WON, "ko").in_text("ko") == "1,250,000원"
    # rounded as the figure is: half-up to whole won (KRW has no minor unit)
    assert money_text(Decimal("6172.5"), WON, "ko").in_text("ko") == "6,173원"
    assert money_text(Decimal("-507143"), WON, "ko").in_text("ko") == "-507,143원"
    assert money_text(Decimal(0), WON, "ko").in_text("ko") == "0원"
    # the figure itself, for tables and headline figures, keeps the sign before it
    assert money_text(Decimal(1250000), WON, "ko") == "₩1,250,000"


@pytest.mark.parametrize(
    ("currency", "language", "written"),
    [
        ("KRW", "en", "₩1,250,001"),  # won in an English sentence: as its figures
        ("KRW", "ru", "1\u00a0250\u00a0001\u00a0₩"),
        ("USD", "ko", "US$1,250,000.50"),  # only won: dollars in Korean as before
        ("JPY", "ko", "JP¥1,250,001"),
        ("USD", "en", "$1,250,000.50"),
        ("RUB", "ru", "1\u00a0250\u00a0000,50\u00a0₽"),
    ],
)
def test_other_languages_and_currencies_write_a_sentence_s_amount_as_a_figure(
    currency: str, language: str, written: str
) -> None:
    amount = Decimal("1250000.5")
    assert money_text(amount, currency, language).in_text(language) == written
    assert money_text(amount, currency, language) == written


def test_an_amount_is_its_figure_wherever_a_string_goes() -> None:
    figure = money_text(Decimal(783000), WON, "ko")
    assert isinstance(figure, Amount) and figure == "₩783,000"
    assert f"| {figure} |" == "| ₩783,000 |"
    assert spoken(figure, "ko") == "783,000원"
    assert spoken(figure, "en") == "₩783,000"  # an English sentence keeps the sign
    assert spoken("₩783,000", "ko") == "₩783,000"  # plain text is not guessed at
    assert spoken(3, "ko") == 3
    # a rate and a change say it the same way; 0 has no sign, a rise a plus
    assert rate_text(Decimal(30000), WON, "ko").in_text("ko") == "30,000원"
    assert signed_money(Decimal(540000), WON, "ko") == "+₩540,000"
    assert signed_money(Decimal(540000), WON, "ko").in_text("ko") == "+540,000원"
    assert signed_money(Decimal(-2008343), WON, "ko").in_text("ko") == "-2,008,343원"
    assert signed_money(Decimal(0), WON, "ko").in_text("ko") == "0원"


def test_an_amount_survives_a_copy_and_a_pickle() -> None:
    rise = signed_money(Decimal(540000), WON, "ko")
    for made in (copy.copy(rise), copy.deepcopy(rise), pickle.loads(pickle.dumps(rise))):
        assert isinstance(made, Amount) and made == "+₩540,000"
        assert made.in_text("ko") == "+540,000원"


def test_a_catalogue_sentence_says_the_amount_in_won() -> None:
    saving = money_text(Decimal(783000), WON, "ko")
    t = catalogue("ko")
    assert t("automation.with_tool", share="25%", tool="Ahrefs", saving=saving) == (
        "이 단계의 25%를 자동화할 수 있습니다(도구: Ahrefs). 연간 순절감 783,000원."
    )
    assert t("expense.per_execution", amount=money_text(Decimal(600000), WON, "ko")) == (
        "단계 수행마다 600,000원"
    )
    assert t("unit.per_hour", rate=rate_text(Decimal(30000), WON, "ko")) == "30,000원/시간"
    # English and Russian sentences are as they were
    english = catalogue("en")("automation.no_tool", share="25%", saving=saving)
    assert english == "25% of this step can be automated: saves ₩783,000 a year (net)."
    russian = money_text(Decimal(783000), WON, "ru")
    assert russian in catalogue("ru")("automation.no_tool", share="25%", saving=russian)


def test_a_scenario_s_change_in_a_sentence_and_in_a_column() -> None:
    from fractions import Fraction

    from sopkit.analysis.compare import Figure

    figure = Figure(Fraction(19218143), Fraction(17209800))
    # 17,209,800 − 19,218,143 = −2,008,343; ÷ 19,218,143 = −10.45 %
    assert change_text("annual_cost", figure, WON, "ko") == "-₩2,008,343 (-10.45%)"
    said = change_text("annual_cost", figure, WON, "ko", in_text=True)
    assert said == "-2,008,343원 (-10.45%)"
    assert change_text("annual_cost", figure, WON, "en", in_text=True) == ("-₩2,008,343 (-10.45%)")


def test_the_workbook_s_words_say_the_amount_in_won() -> None:
    setup = money_text(Decimal(47000), WON, "ko")
    note = "One-off setup, first year only: {setup} ({items})."
    assert Words("ko")(note, setup=setup, items="draft 2 h") == (
        "일회성 구축 비용, 첫해만: 47,000원(draft 2 h)."
    )
    assert Words("en")(note, setup=setup, items="draft 2 h") == (
        "One-off setup, first year only: ₩47,000 (draft 2 h)."
    )


def test_the_diagram_s_phrases_say_the_amount_in_won() -> None:
    cost = cost_process(load_process(KOREAN / "content-marketing-ko.yaml"))
    text = Wording(cost)
    step = cost.process.step("research")
    # 108 h a year × ₩29,000 = ₩3,132,000; a quarter of it automated saves ₩783,000
    assert cost_text(cost, step, text) == "연 3,132,000원"
    (candidate,) = [c for c in rank_candidates([cost]) if c.step_id == "research"]
    assert automation_text(cost, candidate, text) == "자동화 25%\n연 783,000원 절감"


def test_a_korean_sop_says_won_in_its_sentences_and_keeps_the_sign_in_its_tables() -> None:
    path = KOREAN / "content-marketing-ko.yaml"
    document = render_sop(cost_process(load_process(path)))
    assert "연간 순절감 783,000원." in document  # a sentence
    assert "- **연간:** 108시간 · 3,132,000원" in document  # a step's line of text
    assert "| 연간 비용 | ₩19,218,143 |" in document  # a headline figure
    for line in document.splitlines():
        if "₩" in line:  # every figure left with its sign is in a table
            assert line.startswith("|"), line
    result = CliRunner().invoke(app, ["sop", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n") == document.rstrip("\n")
