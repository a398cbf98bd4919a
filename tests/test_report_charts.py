"""The report's HTML charts and long tables' column widths, worked by hand."""

from __future__ import annotations

import re
from decimal import Decimal

from sopkit.render.report.charts import bars, mark, range_bars
from sopkit.render.report.columns import figure_widths
from sopkit.render.site.charts import Datum, pareto_chart
from sopkit.render.site.ranges import RangeDatum


def test_the_largest_bar_is_full_width_and_the_rest_in_proportion() -> None:
    data = [Datum("A", Decimal(800), "$800"), Datum("B", Decimal(200), "$200")]
    found = bars(data)
    assert [(b.label, b.value_text, b.width) for b in found] == [
        ("A", "$800", "100.00"),
        ("B", "$200", "25.00"),
    ]


def test_a_tiny_value_still_shows_and_nothing_or_less_shows_none() -> None:
    data = [
        Datum("big", Decimal(100_000), "x"),
        Datum("tiny", Decimal(1), "x"),
        Datum("none", Decimal(0), "x"),
        Datum("negative", Decimal(-50), "x"),
    ]
    assert [b.width for b in bars(data)] == ["100.00", "0.50", "0.00", "0.00"]
    assert [b.width for b in bars([Datum("zero", Decimal(0), "x")])] == ["0.00"]


def test_bars_over_capacity_are_marked() -> None:
    data = [Datum("Editor", Decimal(120), "120%"), Datum("Writer", Decimal(60), "60%")]
    assert [b.over for b in bars(data, [True, False])] == [True, False]
    assert [b.over for b in bars(data)] == [False, False]


def test_utilisation_is_drawn_against_full_capacity() -> None:
    # Two roles at 40% and 20%: the busier one is 40% of the width, not all of it,
    # and full capacity (100%) is the chart's right edge.
    calm = [Datum("Editor", Decimal(40), "40%"), Datum("Writer", Decimal(20), "20%")]
    found = bars(calm, least_top=Decimal(100))
    assert [b.width for b in found] == ["40.00", "20.00"]
    assert mark(Decimal(100), calm, Decimal(100)) == "100.00"
    # A role at 160%: it is the full width, and 100% is drawn at 62.5% of it.
    busy = [Datum("Editor", Decimal(160), "160%"), Datum("Writer", Decimal(20), "20%")]
    assert [b.width for b in bars(busy, least_top=Decimal(100))] == ["100.00", "12.50"]
    assert mark(Decimal(100), busy, Decimal(100)) == "62.50"


def test_ranges_share_one_scale_from_zero() -> None:
    data = [
        RangeDatum("A", Decimal(60), Decimal(80), Decimal(100), Decimal(90), "60–100", "A"),
        RangeDatum("B", Decimal(20), Decimal(25), Decimal(30), Decimal(40), "20–30", "B"),
    ]
    a, b = range_bars(data)
    # the scale's top is the largest P90 or expected figure: 100
    assert (a.left, a.width, a.middle, a.expected) == ("60.00", "40.00", "80.00", "90.00")
    assert (b.left, b.width, b.middle, b.expected) == ("20.00", "10.00", "25.00", "40.00")


def test_a_sure_figure_still_draws_a_band_inside_the_chart() -> None:
    data = [RangeDatum("A", Decimal(50), Decimal(50), Decimal(50), Decimal(50), "50", "A")]
    (only,) = range_bars(data)
    # P10 = P90 at the top of the scale: the narrowest band, kept inside the width
    assert (only.left, only.width, only.middle) == ("99.20", "0.80", "100.00")


# --- the widths of a long table's figure columns ---------------------------------------


def test_a_figure_column_is_as_wide_as_its_widest_figure_plus_padding() -> None:
    # "$1,234.50": 6 digits (0.64 em) + "$" (0.8) + "," and "." (0.32) = 5.28 em at 8pt
    widths = figure_widths(["Cost"], [["$1,234.50"], ["$9.00"]])
    assert widths == [f"{5.28 * 8 + 8:.1f}pt"]


def test_the_totals_row_is_bold_and_a_header_word_can_be_the_widest() -> None:
    # the total: "$99.00" in bold, 10 % wider: (4 × 0.64 + 0.8 + 0.32) × 8 × 1.1
    assert figure_widths(["Cost"], [["$1.00"]], ["$99.00"]) == [f"{3.68 * 8 * 1.1 + 8:.1f}pt"]
    # "FTE" wraps nowhere: three capitals (0.9 em) at 7.5pt in bold outweigh "0.5"
    assert figure_widths(["FTE"], [["0.5"]]) == [f"{2.7 * 7.5 * 1.1 + 8:.1f}pt"]


def test_a_korean_header_is_kept_whole() -> None:
    # two Hangul syllables, a space and one more: 3 em + 0.32 em, never broken inside
    assert figure_widths(["월 실행"], [["1"]]) == [f"{3.32 * 7.5 * 1.1 + 8:.1f}pt"]


def test_figures_too_wide_for_the_names_leave_the_table_automatic() -> None:
    huge = ["$" + "9" * 40] * 4
    assert figure_widths(["A", "B", "C", "D"], [huge]) == []


# --- the Pareto chart for print -----------------------------------------------------------


def test_a_printed_pareto_draws_its_bars_as_one_path_per_colour() -> None:
    data = [Datum(f"step {i}", Decimal(100 - i), f"${100 - i}") for i in range(40)]
    hover = pareto_chart(data, chart_id="p", title="Steps", axis_title="USD", bar_limit=30)
    printed = pareto_chart(
        data, chart_id="p", title="Steps", axis_title="USD", bar_limit=30, tooltips=False
    )
    assert hover.count("<rect") == 31 and hover.count("<title>") == 31  # one a bar
    assert "<rect" not in printed and printed.count("<title") == 1  # the chart's own
    bars = re.search(r'<path class="bar" d="([^"]+)"', printed)
    other = re.search(r'<path class="other" d="([^"]+)"', printed)
    assert bars and other
    assert bars.group(1).count("M") == 30 and other.group(1).count("M") == 1
    # the first bar where the rect was: same x, y, width and height
    first = re.search(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', hover)
    assert first
    x, y, w, h = first.groups()
    assert bars.group(1).startswith(f"M{x} {y}h{w}v{h}h-{w}z")
    # the rest of the chart (axes, cumulative line) is the same
    assert re.sub(r"<g class=\"bars\">.*?\n</g>\n(?=<line)", "", hover, flags=re.S) == re.sub(
        r"<g class=\"bars\">.*?\n</g>\n(?=<line)", "", printed, flags=re.S
    )
