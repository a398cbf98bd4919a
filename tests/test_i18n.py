"""Translation catalogues: complete in every language, and every message used."""

from __future__ import annotations

import datetime
import json
import re
import string
from decimal import Decimal
from importlib import resources

import pytest
from babel import Locale
from conftest import ROOT

from sopkit.analysis.compare import (
    PROCESS_FIGURES,
    ROLE_FIGURES,
    STEP_FIGURES,
    Status,
)
from sopkit.models import Language
from sopkit.render.costs.scenarios import PORTFOLIO_ROWS, PROCESS_ROWS, ROLE_ROWS
from sopkit.render.diagram.common import _WORDS as DIAGRAM_WORDS
from sopkit.render.i18n import LANGUAGES, catalogue

#: Every figure a row of ``sopkit diff`` can name in words (FTE and lead time in hours
#: repeat another figure, so it leaves them unsaid).
FIGURES = {*PROCESS_FIGURES, *STEP_FIGURES, *ROLE_FIGURES} - {"fte", "lead_time_hours"}
#: What can happen to a row, in the counts of a diff's summary line.
_CHANGES = ("added", "removed", "changed", "edited")


def _raw(language: str) -> dict[str, object]:
    text = resources.files("sopkit").joinpath("i18n", f"{language}.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _forms(message: object) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [str(message)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_process_language_has_a_catalogue() -> None:
    assert set(LANGUAGES) == {language.value for language in Language}


@pytest.mark.parametrize("language", [x for x in LANGUAGES if x != "en"])
def test_catalogue_has_the_same_messages_and_placeholders_as_english(language: str) -> None:
    english, other = _raw("en"), _raw(language)
    assert sorted(other) == sorted(english)
    for key, message in english.items():
        wanted = set().union(*(_fields(form) for form in _forms(message)))
        found = set().union(*(_fields(form) for form in _forms(other[key])))
        assert found - {"n"} == wanted - {"n"}, (language, key)
        assert ("n" in found) == ("n" in wanted) or isinstance(message, dict), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_use_the_languages_categories(language: str) -> None:
    tags = set(Locale.parse(language).plural_form.tags) | {"other"}
    for key, message in _raw(language).items():
        if isinstance(message, dict):
            assert set(message) == tags, key


def test_every_message_is_used() -> None:
    render = ROOT / "sopkit" / "render"
    sources = sorted((render / "sop").glob("*.py"))
    sources += sorted((render / "report").glob("*.py"))
    sources += sorted((render / "site").glob("*.py"))  # the dashboard and the scenario page
    sources += [render / "costs" / "diff.py", render / "costs" / "scenarios.py"]
    sources += [render / "totals.py", render / "counts.py", render / "diagram" / "engine.py"]
    # a diagram's printed pages, and the notice when they cannot be printed
    sources += [render / "diagram" / "printed.py", render / "diagram" / "__init__.py"]
    sources.append(render / "beside.py")  # only the given files' hours: reports and pages
    sources.append(ROOT / "sopkit" / "build" / "__init__.py")  # downloads and notices
    sources.append(ROOT / "sopkit" / "library.py")  # the comment a copy has for its purpose
    sources += sorted((ROOT / "sopkit" / "templates").rglob("*.j2"))
    sources.append(render / "i18n.py")  # payback_text, shared by every page
    sources += sorted((render / "plan").glob("*.py"))  # the plan's table, chart and calendar
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    used = set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", text))
    used |= set(re.findall(r"""messages\[["']([a-z_.]+)["']\]""", text))
    used |= set(re.findall(r"""Notice\.of\(\s*["']([a-z_.]+)["']""", text))
    # Either of two messages, chosen in the line: t("a" if x else "b").
    used |= set(
        re.findall(r"""\bt\(\s*["'][a-z_.]+["']\s+if\s.*?\selse\s+["']([a-z_.]+)["']""", text)
    )
    periods = ("day", "week", "month", "quarter", "year")
    used |= {f"frequency.{period}" for period in periods}
    used |= {f"frequency.short.{period}" for period in periods}
    used |= {f"report.kind.{kind}" for kind in ("staff", "external", "system")}
    used |= {key for _, key in PORTFOLIO_ROWS + PROCESS_ROWS + ROLE_ROWS}
    used |= {f"diff.word.{name}" for name in (*FIGURES, "owner", "frequency", "kind")}
    used |= {f"diff.status.{status.value}" for status in Status}
    used |= {f"diff.count.{kind}.{s}" for kind in ("process", "step") for s in _CHANGES}
    used |= {f"site.range.{of}" for of in ("years", "runs", "fixed_years", "fixed_runs")}
    gantt_keys = ("critical", "other", "wait", "milestone", "due", "late", "off", "today")
    gantt_keys += ("held", "chain", "joint", "overbooked")  # levelled; joint work; people
    gantt_keys += ("held_date", "chain_placed")  # a milestone held for its date; placed by one
    used |= {f"gantt.key.{kind}" for kind in gantt_keys}
    assert sorted(set(_raw("en")) - used) == []
    assert sorted(used - set(_raw("en"))) == []


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 1, "once a month"),
        ("en", 4, "4 times a month"),
        ("en", Decimal("0.5"), "0.5 times a month"),
        ("ko", 4, "월 4회"),
        ("ru", 1, "1 раз в месяц"),
        ("ru", 3, "3 раза в месяц"),
        ("ru", 5, "5 раз в месяц"),
        ("ru", 21, "21 раз в месяц"),
        ("ru", Decimal("1.5"), "1,5 раза в месяц"),
        ("ru", Decimal("4.00"), "4 раза в месяц"),
    ],
)
def test_plurals(language: str, count: Decimal | int, text: str) -> None:
    assert catalogue(language)("frequency.month", count) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "October 1, 2026"), ("ko", "2026년 10월 1일"), ("ru", "1 октября 2026\u202fг.")],
)
def test_dates(language: str, text: str) -> None:
    assert catalogue(language).date(datetime.date(2026, 10, 1)) == text


def test_placeholders_are_filled_and_user_text_is_taken_as_is() -> None:
    t = catalogue("en")
    assert (
        t("footer.version", version="{id}", id="p")
        == "Version {id} · generated by sopkit from process “p”."
    )


def test_unknown_language() -> None:
    with pytest.raises(KeyError, match="no catalogue for language 'de'"):
        catalogue("de")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "with Designer, 2 × Editor"),
        ("ko", "함께: Designer, Editor 2명"),
        ("ru", "участники: Designer, Editor × 2"),
    ],
)
def test_joint_work_in_the_diagram_counts_people_as_the_sop_does(language: str, text: str) -> None:
    """The diagram's "with" line and the SOP's (``with.count``) say a count the same way."""
    from sopkit.models import Step
    from sopkit.render.diagram.common import Wording, participants_text

    step = Step.model_validate(
        {
            "id": "a",
            "name": "A",
            "owner": "Writer",
            "time": "1h",
            "with": {"Designer": 1, "Editor": 2},
        }
    )
    assert participants_text(step, Wording(language=language)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2단계 “출시 비주얼”(으)로 돌아갑니다.", "2단계 “출시 비주얼”로 돌아갑니다."),  # ㄹ: 로
        ("3단계 “초안 작성”(으)로 돌아갑니다.", "3단계 “초안 작성”으로 돌아갑니다."),  # ㅇ: 으로
        ("“블로그”(으)로", "“블로그”로"),  # no final consonant
        ("“검토 3”(으)로", "“검토 3”으로"),  # 삼
        ("“검토 2”(으)로", "“검토 2”로"),  # 이
        ("Jasper(으)로 자동화", "Jasper(으)로 자동화"),  # a Latin name keeps both
        # A trial's "2027-09-14(화요일)은(는) … 공휴일": the particle agrees with 요일.
        ("2027-09-14(화요일)은(는) 공휴일", "2027-09-14(화요일)은 공휴일"),  # ㄹ: 은
        ("2027-09-14(화)은(는) 공휴일", "2027-09-14(화)는 공휴일"),  # no final: 는
        ("“검토 2”이(가)", "“검토 2”가"),
        ("“검토 10”을(를)", "“검토 10”을"),  # 십
        ("Graphviz은(는)", "Graphviz은(는)"),
    ],
)
def test_korean_particles_follow_the_name_s_last_sound(text: str, expected: str) -> None:
    from sopkit.render.i18n import korean_particles

    assert korean_particles(text) == expected


def test_a_russian_sentence_names_the_currency_by_its_sign() -> None:
    """ "все суммы за год в RUB" reads as a code in a sentence: в ₽."""
    from sopkit.render.site.words import marked

    assert catalogue("ru")("site.lede", summary="1 процесс", currency="RUB").endswith("в ₽")
    assert str(marked(catalogue("ru"), "site.lede", summary="x", currency="USD")).endswith("в $")
    assert catalogue("en")("site.lede", summary="1 process", currency="RUB").endswith("RUB")


def test_a_held_milestone_note_agrees_with_how_many_steps_it_names() -> None:
    """A Russian trial read «к срокам шагов «…»» (plural) naming one step."""
    from sopkit.render.i18n import catalogue

    ru, en = catalogue("ru"), catalogue("en")
    params = {"anchor": "X", "days": "1", "steps": "«A»"}
    assert "к сроку шага «A»" in ru("plan.note.anchor_held", 1, **params)
    assert "к срокам шагов «A»" in ru("plan.note.anchor_held", 2, **params)
    assert "the due date of «A» can" in en("plan.note.anchor_held", 1, **params)
    assert "the due dates of «A» can" in en("plan.note.anchor_held", 2, **params)


#: Russian readers met three words for the total and two for labour cost across the
#: report, the dashboard and the workbook; each figure has one name, everywhere. A
#: per-run figure is "за запуск": "затраты на запуск" reads as start-up costs (and a
#: library may hold a product launch process); a sub-procedure is a "подпроцесс", as
#: the diagram's lane names it.
_RUSSIAN_VARIANTS = {
    "всего затрат": "полная стоимость",
    "общие затраты": "полная стоимость",
    "общих затрат": "полной стоимости",
    "стоимость труда": "затраты на труд",
    "затраты на запуск": "затраты за запуск",
    "на один запуск": "за запуск",
    "на запуск": "за запуск",
    "вложенн": "подпроцесс",
}


def test_russian_names_each_cost_figure_one_way() -> None:
    words = resources.files("sopkit").joinpath("i18n", "workbook.json").read_text("utf-8")
    texts = [form for message in _raw("ru").values() for form in _forms(message)]
    texts += [entry["ru"] for entry in json.loads(words).values() if "ru" in entry]
    texts += DIAGRAM_WORDS["ru"].values()
    for variant, term in _RUSSIAN_VARIANTS.items():
        found = [text for text in texts if variant in text.lower()]
        assert not found, f"{variant!r} should read {term!r}: {found[:3]}"


def test_russian_calls_a_step_s_owner_one_thing_and_the_process_s_another() -> None:
    """A Russian trial met three words for the step's role: «Владелец» (SOP, checklist),
    «Исполнитель» (plan, report), «Ответственный» (workbook). A Russian SOP says
    «Ответственный» per step and «Владелец процесса» at the top; so does everything here."""
    import datetime as dt

    from sopkit import (
        annual_report,
        cost_process,
        load_process,
        plan_run,
        render_checklist,
        render_plan,
        render_sop,
    )
    from sopkit.render.workbook.words import Words

    process = load_process(ROOT / "processes" / "ru" / "sostac-plan-ru.yaml")
    cost = cost_process(process)
    plan = plan_run(process, start=datetime.date(2026, 11, 2))
    texts = {
        "sop": render_sop(cost, fmt="markdown", diagram=False),
        "checklist": render_checklist(cost, "markdown"),
        "plan": render_plan(plan, "markdown").data.decode("utf-8"),
        "ics": render_plan(plan, "ics").data.decode("utf-8").replace("\r\n ", ""),
        "report": annual_report(cost, fmt="html", date=dt.date(2026, 11, 30)).decode("utf-8"),
    }
    for name, text in texts.items():
        assert "Ответственный" in text or name == "checklist", name
        assert "Исполнитель" not in text and "исполнитель " not in text, name
        assert "Владелец" not in text.replace("Владелец процесса", ""), name
    assert "**Владелец процесса:** Директор по маркетингу" in texts["sop"]
    assert "Владелец процесса: Директор по маркетингу" in texts["checklist"]
    assert Words("ru")("Owner") == "Ответственный"
