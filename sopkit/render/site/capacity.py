"""The dashboard's capacity chart: each role's utilisation, roles over 100% marked.

A role with a ``headcount`` has a utilisation: its annual hours ÷ (headcount
× the hours a person has for this work a year). One bar per such role,
fullest first, on a scale that always shows the 100% line; a role over it is
drawn in red and says so in words, so the mark survives a greyscale print.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ...analysis.cost import RoleCost
from ..i18n import Catalogue, catalogue
from ..numbers import hours_text, percent_text
from .charts import FONT_SIZE, PALETTE, label_width, site_environment, truncate

__all__ = ["OVER", "capacity_chart", "capacity_rows"]

#: The colour of a bar over capacity (the site's "bad" red).
OVER = "#b91c1c"


def capacity_chart(
    roles: Sequence[RoleCost],
    *,
    chart_id: str,
    title: str,
    width: int = 460,
    t: Catalogue | None = None,
) -> str | None:
    """Utilisation bars of the roles with a headcount; ``None`` when no role has one.

    ``t`` is the page's language (English by default): its words and numbers.
    """
    t = t or catalogue("en")
    language = t.language
    measured = [r for r in roles if r.utilisation is not None]
    if not measured:
        return None
    measured.sort(key=lambda r: (-(r.utilisation or Decimal(0)), r.role))
    largest = max(r.utilisation or Decimal(0) for r in measured)
    scale = max(largest, Decimal(1))
    row, bar = 40.0, 12.0
    rows = []
    for i, role in enumerate(measured):
        utilisation = role.utilisation or Decimal(0)
        top = i * row
        headcount = role.headcount or Decimal(0)
        value = percent_text(utilisation * 100, language)
        if role.over_capacity:
            value += f" — {t('report.capacity.over')}"
        label = t("site.capacity.label", role=role.role, people=hours_text(headcount, language))
        rows.append(
            {
                "label": truncate(label, width - label_width(value) - 12.0),
                "tooltip": t(
                    "site.capacity.tooltip",
                    headcount,
                    role=role.role,
                    hours=hours_text(role.annual_hours, language),
                    available=hours_text(role.available_hours or Decimal(0), language),
                    value=value,
                ),
                "text_y": top + FONT_SIZE + 2,
                "y": top + FONT_SIZE + 8,
                "bar_width": max(width * float(utilisation / scale), 2.0 if utilisation else 0.0),
                "value_text": value,
                "over": role.over_capacity,
            }
        )
    height = len(measured) * row - (row - FONT_SIZE - 8 - bar - 4)
    return (
        site_environment()
        .get_template("charts/capacity.svg.j2")
        .render(
            palette=PALETTE,
            over_colour=OVER,
            chart_id=chart_id,
            title=title,
            width=width,
            height=height,
            bar_height=bar,
            full_x=width / float(scale),
            rows=rows,
            font_size=FONT_SIZE,
        )
    )


def capacity_rows(roles: Sequence[RoleCost], language: str = "en") -> list[dict[str, object]]:
    """The table beside the chart: each measured role's hours against its capacity."""
    rows: list[dict[str, object]] = []
    measured = [r for r in roles if r.utilisation is not None]
    for role in sorted(measured, key=lambda r: (-(r.utilisation or Decimal(0)), r.role)):
        headcount = role.headcount or Decimal(0)
        available = role.available_hours or Decimal(0)
        rows.append(
            {
                "role": role.role,
                "hours": hours_text(role.annual_hours, language),
                "headcount": hours_text(headcount, language),
                "available": hours_text(available, language),
                "capacity": hours_text(headcount * available, language),
                "utilisation": percent_text((role.utilisation or Decimal(0)) * 100, language),
                "over": role.over_capacity,
            }
        )
    return rows
