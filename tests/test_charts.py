"""The dashboard's inline SVG charts: geometry, escaping and axes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopkit.render.site.charts import (
    Datum,
    bar_chart,
    distinct_labels,
    label_width,
    nice_ticks,
    pareto_chart,
    truncate,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML: it must be well-formed to be inlined in HTML."""
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "bar" in g.get("class", "").split()]


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def data(*values: int | str) -> list[Datum]:
    return [Datum(f"item {i}", Decimal(v), money(Decimal(v))) for i, v in enumerate(values)]


# --- nice ticks ---------------------------------------------------------------------------


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2))
def test_nice_ticks_cover_the_maximum_in_round_steps(maximum: Decimal) -> None:
    ticks = nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1, ticks
    step = steps.pop()
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert 2 <= len(ticks) <= 12
    # the top tick is less than one step above the maximum
    assert ticks[-1] - step < maximum


def test_nice_ticks_examples() -> None:
    assert nice_ticks(Decimal(97)) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(Decimal(4320)) == [0, 1000, 2000, 3000, 4000, 5000]
    assert nice_ticks(Decimal(0)) == [0, 1]


# --- text ---------------------------------------------------------------------------------


def test_truncate_keeps_short_text_and_shortens_long_text() -> None:
    assert truncate("Edit", 200) == "Edit"
    long = "Competitor analysis and keyword research for the quarterly plan"
    short = truncate(long, 120)
    assert short.endswith("…") and long.startswith(short[:-1])
    assert label_width(short) <= 120


def test_wide_characters_count_double() -> None:
    # a Hangul syllable is a full em; a Latin letter a little over half of one
    assert label_width("콘텐츠", font_size=10) == pytest.approx(30)
    assert label_width("abc", font_size=10) < 20
    assert truncate("콘텐츠 마케팅 블로그 글 발행 프로세스", 100).endswith("…")


# --- bar chart ----------------------------------------------------------------------------


def test_bar_lengths_are_proportional_and_in_the_given_order() -> None:
    root = parse(bar_chart(data(400, 100, 200), chart_id="c", title="Cost", width=500))
    bars = bars_of(root)
    assert [b.find(f"{SVG}text").text for b in bars] == ["item 0", "item 1", "item 2"]
    widths = [float(b.findall(f"{SVG}rect")[1].get("width")) for b in bars]
    assert widths == [500, 125, 250]
    assert [b.findall(f"{SVG}text")[1].text for b in bars] == ["$400.00", "$100.00", "$200.00"]


def test_zero_and_negative_values_draw_no_bar() -> None:
    root = parse(bar_chart(data(0, -5), chart_id="c", title="t"))
    assert [float(b.findall(f"{SVG}rect")[1].get("width")) for b in bars_of(root)] == [0, 0]


def test_labels_and_titles_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & R&D'
    svg = bar_chart(
        [Datum(hostile, Decimal(1), "<b>1</b>", detail="a & b")],
        chart_id="c",
        title="<i>t</i>",
    )
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<i>t</i>"
    assert any(hostile in (t.text or "") for t in root.iter(f"{SVG}text"))


def test_bar_chart_has_an_accessible_title(golden: Callable[[str, str], None]) -> None:
    svg = bar_chart(
        [
            Datum("Content Writer", Decimal("11428.57"), "$11,428.57", "286 h"),
            Datum("콘텐츠 작가", Decimal("8000"), "$8,000.00"),
            Datum("SEO Specialist", Decimal("4320"), "$4,320.00"),
        ],
        chart_id="chart-roles",
        title="Annual cost by role",
    )
    root = parse(svg)
    assert root.get("aria-labelledby") == "chart-roles-title"
    assert root.find(f"{SVG}title").get("id") == "chart-roles-title"
    golden("build/charts/bars.svg", svg)


# --- Pareto -------------------------------------------------------------------------------


def pareto(values: list[int], **options: object) -> ET.Element:
    return parse(
        pareto_chart(
            data(*values), chart_id="p", title="Pareto", axis_title="Annual cost (USD)", **options
        )
    )


def heights(root: ET.Element) -> list[float]:
    return [float(b.find(f"{SVG}rect").get("height")) for b in bars_of(root)]


def cumulative(root: ET.Element) -> list[tuple[float, float]]:
    line = root.find(f".//{SVG}polyline")
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]


def test_pareto_sorts_bars_and_the_cumulative_line_rises_to_100_percent() -> None:
    root = pareto([10, 50, 20, 20])
    assert heights(root) == sorted(heights(root), reverse=True)
    names = [b.find(f"{SVG}text").text for b in bars_of(root)]
    assert names == ["item 1", "item 2", "item 3", "item 0"]  # ties keep their order
    points = cumulative(root)
    ys = [y for _, y in points]
    assert ys == sorted(ys, reverse=True)  # SVG y grows downwards
    top = float(root.find(f".//{SVG}line[@class='eighty']").get("y1"))
    hundred = [t for t in root.iter(f"{SVG}text") if t.text == "100%"][0]
    assert ys[-1] == pytest.approx(float(hundred.get("y")) - 4)
    assert ys[0] > top  # 50 of 100 is below the 80 % line
    tooltips = [b.find(f"{SVG}title").text for b in bars_of(root)]
    assert tooltips[0] == "1. item 1 — $50.00 (cumulative 50%)"
    assert tooltips[-1].endswith("(cumulative 100%)")


def test_pareto_with_many_bars_numbers_the_ranks_instead_of_naming_them() -> None:
    root = pareto(list(range(1, 61)), label_limit=24)
    assert len(bars_of(root)) == 60
    assert all(b.find(f"{SVG}text") is None for b in bars_of(root))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Steps ranked by annual cost" in texts
    assert "1" in texts and "60" in texts


def test_pareto_sums_the_tail_beyond_the_bar_limit() -> None:
    root = pareto([5, 4, 3, 2, 1], bar_limit=3, other_value_text=money)
    bars = bars_of(root)
    assert len(bars) == 4
    assert "other" in bars[-1].get("class")
    assert bars[-1].find(f"{SVG}title").text.startswith("4. 2 other steps — $3.00")


def test_pareto_of_nothing_or_zeros_is_still_a_valid_drawing() -> None:
    assert bars_of(pareto([])) == []
    root = pareto([0, 0])
    assert heights(root) == [0, 0]


def test_pareto_axis_uses_thousands_for_large_amounts() -> None:
    root = pareto([120_000, 30_000])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Annual cost (USD), thousands" in texts
    assert "120" in texts or "125" in texts


def test_pareto_golden(golden: Callable[[str, str], None]) -> None:
    svg = pareto_chart(
        [
            Datum("First draft", Decimal("11428.57"), "$11,428.57", "Blog"),
            Datum("Edit", Decimal("4200"), "$4,200.00", "Blog"),
            Datum("초안 작성", Decimal("9000"), "$9,000.00", "블로그"),
            Datum("Social <posts>", Decimal("1365"), "$1,365.00", "Blog"),
        ],
        chart_id="chart-pareto",
        title="Annual cost by step",
        axis_title="Annual cost (USD)",
    )
    assert re.search(r"<polyline[^>]+points=", svg)
    golden("build/charts/pareto.svg", svg)


def test_a_truncated_label_closes_the_overrides_it_cut() -> None:
    from sopkit.render.site.charts import truncate

    label = "Draft \u202elmth.exe \u2066isolated text that goes on and on\u2069 tail\u202c"
    cut = truncate(label, 200)
    assert cut != label and "…" in cut
    assert cut.endswith("\u2069\u202c")  # the isolate, then the override, innermost first


def test_names_that_would_be_cut_alike_are_cut_in_the_middle() -> None:
    """Two steps named "Ситуационный анализ - …" both became "Ситуационный ана…"."""
    names = [
        "Ситуационный анализ - аудитория и конкуренты",
        "Ситуационный анализ - количественное исследование рынка",
        "Контроль - еженедельная проверка показателей",
        "Short",
    ]
    shown = distinct_labels(names, [110.0] * 4)
    assert len(set(shown)) == 4
    assert shown[0].startswith("Ситуац") and shown[0].endswith("куренты") and "…" in shown[0]
    assert shown[1].endswith("рынка")
    assert shown[2] == "Контроль - еже…" and shown[3] == "Short"  # no clash: cut at the end
    assert all(label_width(label) <= 110.0 for label in shown)


def test_names_alike_even_cut_in_the_middle_carry_their_rank() -> None:
    names = [f"Review draft {i} of the quarterly plan" for i in range(1, 13)]
    shown = distinct_labels(names, [60.0] * 12)
    assert len(set(shown)) == 12 and shown[0].startswith("1. ") and shown[11].startswith("12. ")
    # The same name twice (two processes' "Review") is one label, not a clash.
    assert distinct_labels(["Review", "Review"], [60.0, 60.0]) == ["Review", "Review"]


def test_steps_of_the_same_name_in_two_processes_say_whose_each_is() -> None:
    """Imported diagrams name their tasks "Task 1", "Task 2" alike: a bar says which
    process's it is when another process has a step of the same name."""
    data = [
        Datum("Task 1", Decimal(30), "$30.00", "Order"),
        Datum("Task 1", Decimal(20), "$20.00", "Refund"),
        Datum("Publish", Decimal(10), "$10.00", "Order"),
    ]
    root = ET.fromstring(pareto_chart(data, chart_id="c", title="t", axis_title="a"))
    names = [b.find(f"{SVG}text").text for b in bars_of(root)]
    assert names == ["Task 1 · Order", "Task 1 · Refund", "Publish"]


def test_a_korean_name_is_cut_between_words() -> None:
    """ "경쟁사 분석 및 키워…" reads as another word (키워, "raised"), not as 키워드 cut."""
    from sopkit.render.site.charts import truncate

    assert truncate("경쟁사 분석 및 키워드 조사", 125) == "경쟁사 분석 및…"  # was "… 및 키워…"
    assert truncate("Competitor analysis and keyword research", 140) == "Competitor analysis…"
    assert truncate("경쟁사 분석\u00a0및\u00a0키워드 조사", 125) == "경쟁사 분석\u00a0및…"
    assert truncate("경쟁사/분석/및/키워드/조사", 125).endswith("/및…")
    # one long word is cut inside it, as no break is there
    assert truncate("경쟁사분석및키워드조사", 80) == "경쟁사분석및…"


#: The Russian trial's seventeen steps, costliest first (its report cut them at about 16
#: letters: "Посевы в Telegr…", "Написание чернов…", "Проведение вебин…").
TRIAL_STEPS = [
    "Посевы в Telegram-каналах",
    "Написание черновика",
    "Платное продвижение (таргет)",
    "Сбор семантики и SEO-бриф",
    "Редактура и фактчекинг",
    "Вёрстка и публикация на сайте",
    "Согласование с внешним экспертом",
    "Подготовка инфографики",
    "Подготовка презентации",
    "Посадочная страница и форма регистрации",
    "Квалификация и передача лидов в продажи",
    "Проведение вебинара",
    "Выбор темы и программы",
    "Технический прогон",
    "Утверждение брифа",
    "Отправка на индексацию и контроль позиций",
    "Письмо-приглашение по базе",
]


def _label_lines(root: ET.Element) -> list[list[str]]:
    found = []
    for bar in bars_of(root):
        text = bar.find(f"{SVG}text")
        assert text is not None
        spans = text.findall(f"{SVG}tspan")
        found.append([s.text or "" for s in spans] if spans else [text.text or ""])
    return found


def test_long_bar_names_take_two_lines_and_the_room_under_the_axis() -> None:
    """Every name of the trial shows whole, on two lines where it is long; the space under
    the axis grows by what they need, the plot keeps its height."""
    values = range(len(TRIAL_STEPS) * 100, 0, -100)
    data = [
        Datum(n, Decimal(v), money(Decimal(v))) for n, v in zip(TRIAL_STEPS, values, strict=True)
    ]
    root = parse(pareto_chart(data, chart_id="c", title="t", axis_title="a"))
    lines = _label_lines(root)
    assert [" ".join(row) for row in lines] == TRIAL_STEPS
    assert lines[0] == ["Посевы в", "Telegram-каналах"]
    assert lines[1] == ["Написание черновика"]  # short enough for one line
    assert lines[16] == ["Письмо-приглашение", "по базе"]  # between words, not at the hyphen
    assert all(len(row) <= 2 and "…" not in "".join(row) for row in lines)
    height = float(root.get("viewBox", "").split()[3])
    assert 380 < height <= 380 + 190 / 1.3 - 96 + 13
    # the bars stand where they did: the plot's height is the same
    named_short = [Datum("x", d.value, d.value_text) for d in data]
    short = parse(pareto_chart(named_short, chart_id="c", title="t", axis_title="a"))
    assert short.get("viewBox") == "0 0 960 380"
    assert _bar_height(root, 0) == _bar_height(short, 0)


def _bar_height(root: ET.Element, index: int) -> float:
    rect = bars_of(root)[index].find(f"{SVG}rect")
    assert rect is not None
    return float(rect.get("height", "0"))


def test_bars_too_close_for_two_lines_keep_one_line_each() -> None:
    """Twenty-four bars leave no room across the slant for a second line: names are cut
    on one line, in the room under the axis the longest one needs."""
    names = [f"{TRIAL_STEPS[i % 17]} {i}" for i in range(24)]
    data = [Datum(n, Decimal(100 - i), "x") for i, n in enumerate(names)]
    lines = _label_lines(parse(pareto_chart(data, chart_id="c", title="t", axis_title="a")))
    assert all(len(row) == 1 for row in lines)
    assert all(label_width(row[0]) <= 190 for row in lines)
