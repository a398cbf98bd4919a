"""Paired bars: one figure before and after, per item (As-Is and To-Be by process).

Drawn at build time as inline SVG like the dashboard's charts (``charts``):
each item has its label and both values on one line, then a grey bar for the
figure before and a blue one for after, on one scale for the whole chart, so
what grew and what shrank reads at a glance. A side without the item (a
process a scenario removes) has no bar and shows a dash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .charts import FONT_SIZE, PALETTE, label_width, site_environment, truncate

__all__ = ["Pair", "paired_bar_chart"]


@dataclass(frozen=True, slots=True)
class Pair:
    """One item: its label, its figure before and after (``None``: not on that side) and
    the texts that show them."""

    label: str
    before: Decimal | None
    after: Decimal | None
    before_text: str
    after_text: str


def paired_bar_chart(
    data: Sequence[Pair],
    *,
    chart_id: str,
    title: str,
    before_label: str,
    after_label: str,
    width: int = 560,
) -> str:
    """Two bars per item, in the order given.

    Args:
        data: the items, top to bottom.
        chart_id: an id unique on the page (an XML name) for the chart's title.
        title: what the chart shows, for screen readers and tooltips.
        before_label: what the grey bars are, e.g. ``As-Is``.
        after_label: what the blue bars are, e.g. the scenario's name.
        width: the drawing's width in SVG units; it scales to its container.
    """
    row, bar, gap = 52.0, 10.0, 3.0
    values = [v for p in data for v in (p.before, p.after) if v is not None and v > 0]
    largest = max(values, default=Decimal(0))

    def length(value: Decimal | None) -> float:
        if value is None or value <= 0 or not largest:
            return 0.0
        return max(width * float(value / largest), 2.0)

    rows = []
    for i, pair in enumerate(data):
        top = i * row
        values_text = f"{pair.before_text} → {pair.after_text}"
        room = width - label_width(values_text) - 12.0
        rows.append(
            {
                "label": truncate(pair.label, room),
                "tooltip": f"{pair.label} — {before_label}: {pair.before_text}, "
                f"{after_label}: {pair.after_text}",
                "text_y": top + FONT_SIZE + 2,
                "value_text": values_text,
                "before_y": top + FONT_SIZE + 8,
                "after_y": top + FONT_SIZE + 8 + bar + gap,
                "before_width": length(pair.before),
                "after_width": length(pair.after),
            }
        )
    height = max(len(data), 1) * row - (row - FONT_SIZE - 8 - 2 * bar - gap - 4)
    return (
        site_environment()
        .get_template("charts/pairs.svg.j2")
        .render(
            palette=PALETTE,
            chart_id=chart_id,
            title=title,
            width=width,
            height=height,
            bar=bar,
            rows=rows,
            font_size=FONT_SIZE,
        )
    )
