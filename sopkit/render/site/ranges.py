"""Range bars for the dashboard: P10 to P90 as a band, P50 as a tick, the expected figure as a dot.

Two shapes of the same picture: an inline SVG chart with one row per process
on a common scale (``range_chart``), and the geometry of a small bar that a
card draws with two CSS boxes (``range_bar``). Both start at zero, so a
narrow band reads as "sure" and a wide one as "could be far off".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .charts import FONT_SIZE, PALETTE, label_width, site_environment, truncate

__all__ = ["RangeBar", "RangeDatum", "range_bar", "range_chart"]


@dataclass(frozen=True, slots=True)
class RangeDatum:
    """One row: a label, P10, P50 and P90, the expected figure, and how to show them.

    Attributes:
        value_text: the range as shown beside the label, e.g. ``$29,418 – $35,399``.
        tooltip: everything about the row in words, for the row's ``<title>``.
    """

    label: str
    p10: Decimal
    p50: Decimal
    p90: Decimal
    expected: Decimal
    value_text: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class RangeBar:
    """Percentages of a bar's width: where the band starts, how wide it is, the tick and dot."""

    left: str
    width: str
    middle: str
    expected: str


def _percent(value: Decimal, top: Decimal) -> str:
    share = value * 100 / top if top > 0 else Decimal(0)
    share = min(max(share, Decimal(0)), Decimal(100))
    return format(share.quantize(Decimal("0.01")), "f")


def range_bar(p10: Decimal, p50: Decimal, p90: Decimal, expected: Decimal) -> RangeBar:
    """A card's bar, on a scale from 0 to a little above the largest figure."""
    top = max(p90, expected) * Decimal("1.05")
    width = max((p90 - p10) * 100 / top, Decimal("0.8")) if top > 0 else Decimal(0)
    return RangeBar(
        _percent(p10, top),
        format(min(width, Decimal(100)).quantize(Decimal("0.01")), "f"),
        _percent(p50, top),
        _percent(expected, top),
    )


def range_chart(data: Sequence[RangeDatum], *, chart_id: str, title: str, width: int = 460) -> str:
    """Rows in the order given, all on one scale from 0 to the largest P90 (or expected).

    Args:
        data: the rows, top to bottom.
        chart_id: an id unique on the page (an XML name) for the chart's title.
        title: what the chart shows, for screen readers and tooltips.
        width: the drawing's width in SVG units; it scales to its container.
    """
    row, bar_height, gap = 40.0, 12.0, 6.0
    top = max((max(d.p90, d.expected) for d in data), default=Decimal(0))

    def x(value: Decimal) -> float:
        return width * float(value / top) if top > 0 else 0.0

    rows = []
    for i, datum in enumerate(data):
        y = i * row + FONT_SIZE + gap + 2
        low, high = x(datum.p10), x(datum.p90)
        rows.append(
            {
                "label": truncate(datum.label, width - label_width(datum.value_text) - 12.0),
                "tooltip": datum.tooltip,
                "text_y": i * row + FONT_SIZE + 2,
                "y": y,
                "band_x": low,
                "band_width": max(high - low, 2.0),
                "middle": x(datum.p50),
                "expected": x(datum.expected),
                "centre_y": y + bar_height / 2,
                "value_text": datum.value_text,
            }
        )
    height = max(len(data), 1) * row - (row - FONT_SIZE - gap - bar_height - 4)
    return (
        site_environment()
        .get_template("charts/ranges.svg.j2")
        .render(
            palette=PALETTE,
            chart_id=chart_id,
            title=title,
            width=width,
            height=height,
            bar_height=bar_height,
            rows=rows,
            font_size=FONT_SIZE,
        )
    )
