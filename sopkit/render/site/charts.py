"""Small inline SVG charts for the site: horizontal bars and a Pareto chart.

The charts are drawn at build time, so the dashboard needs no JavaScript, no
CDN and no network. Geometry is computed here as plain numbers; the markup
comes from Jinja templates with autoescaping, so a label such as
``<script>`` or ``R&D`` arrives in the SVG as text, never as markup.

Values are ``Decimal`` (money stays exact until shown); the caller passes the
text to show for each value, already formatted by ``sopkit.render.numbers``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import cast

import jinja2

from ..compiled import StoredTemplates
from ..labels import close_bidi
from ..numbers import number_text

__all__ = [
    "Datum",
    "bar_chart",
    "label_width",
    "nice_ticks",
    "pareto_chart",
    "site_environment",
    "truncate",
]

#: Colours of the charts, matched by the site's stylesheet.
PALETTE = {
    "bar": "#2563eb",
    "bar_other": "#94a3b8",
    "band": "#93c5fd",
    "track": "#eff6ff",
    "line": "#f59e0b",
    "grid": "#e2e8f0",
    "axis": "#64748b",
    "text": "#0f172a",
    "muted": "#475569",
}

FONT_SIZE = 12.0
_ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Datum:
    """One bar: its label, its value and the text that shows the value.

    Attributes:
        label: what the bar is (a role, a process, a step); any text.
        value: the number the bar's length is drawn from; negative counts as 0.
        value_text: the value as shown to people, e.g. ``$4,320.00``.
        detail: extra text for the tooltip, e.g. the process a step belongs to.
        tooltip: the whole tooltip, as the caller's catalogue writes it (one sentence,
            so its amounts are in one form: ``… 36,051,000원 … — 55,284,333원``, not
            ``₩55,284,333`` after a sentence's 원); without it, label — detail —
            value text.
    """

    label: str
    value: Decimal
    value_text: str
    detail: str = ""
    tooltip: str = ""


# --- text measuring --------------------------------------------------------------


def _char_width(char: str) -> float:
    """Width of one character in ems, roughly: wide East Asian characters are 1 em."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char in "il.,:;|!'`() ":
        return 0.32
    if char.isupper() or char in "mwMW@%—":
        return 0.75
    return 0.6


def label_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An estimate of the rendered width of ``text`` in pixels (SVG cannot measure)."""
    return sum(_char_width(c) for c in text) * font_size


def truncate(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """``text`` shortened with an ellipsis so it fits ``max_width`` pixels."""
    if label_width(text, font_size) <= max_width:
        return text
    room = max_width - label_width(_ELLIPSIS, font_size)
    kept: list[str] = []
    used = 0.0
    for char in text:
        used += _char_width(char) * font_size
        if used > room:
            break
        kept.append(char)
    shown = "".join(kept)
    # Hangul cut inside a word reads as another word ("키워…" of 키워드 is "raised…"),
    # where "keyw…" is plainly cut: back to the last space, unless that leaves less than
    # 60% of the room used (one long word).
    space = max(shown.rfind(mark) for mark in _WORD_BREAKS)
    if space > 0 and shown and _hangul(shown[-1]) and _hangul(text[len(shown)]):
        if label_width(shown[:space], font_size) >= 0.6 * room:
            shown = shown[:space]
    # a name cut inside a right-to-left override keeps it closed, so it cannot run on
    return close_bidi(shown.rstrip() + _ELLIPSIS)


#: Where a Korean name may be cut between words: spaces (a no-break one too) and marks.
_WORD_BREAKS = (" ", "\u00a0", "/", "·", ",", "-", "(")


def _hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def truncate_middle(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """``text`` with its middle left out (``Ситуацион…конкуренты``) so it fits ``max_width``:
    names that share a beginning keep what tells them apart."""
    if label_width(text, font_size) <= max_width:
        return text
    room = (max_width - label_width(_ELLIPSIS, font_size)) / 2
    head = _start_within(text, room, font_size)
    tail = _start_within(text[len(head) :][::-1], room, font_size)[::-1]
    return close_bidi(head.rstrip() + _ELLIPSIS + tail.lstrip())


def _start_within(text: str, room: float, font_size: float) -> str:
    """The longest start of ``text`` no wider than ``room``."""
    used, end = 0.0, 0
    for char in text:
        used += _char_width(char) * font_size
        if used > room:
            break
        end += 1
    return text[:end]


def distinct_labels(names: Sequence[str], rooms: Sequence[float]) -> list[str]:
    """Each name fitted to its room, cut at the end; names that the cut would make look
    alike (two steps both "Ситуационный ана…") are cut in the middle instead, and those
    still alike then (a dozen "Review draft N of the plan") carry their rank."""
    cut = [truncate(name, room) for name, room in zip(names, rooms, strict=True)]
    found = [
        truncate_middle(name, room) if _clash(cut, names, i) else short
        for i, (name, room, short) in enumerate(zip(names, rooms, cut, strict=True))
    ]
    return [
        short if not _clash(found, names, i) else _ranked(i + 1, name, room)
        for i, (name, room, short) in enumerate(zip(names, rooms, found, strict=True))
    ]


def _told_apart(datum: Datum, bars: Sequence[tuple[Datum, bool]]) -> str:
    """A bar's label, with its detail (a step's process) when another bar has the same
    label and another detail: two processes' "Review" bars say whose each is."""
    if datum.detail and any(
        other.label == datum.label and other.detail != datum.detail for other, _ in bars
    ):
        return f"{datum.label} · {datum.detail}"
    return datum.label


def _clash(labels: Sequence[str], names: Sequence[str], index: int) -> bool:
    """Whether another, different name has the same label as ``index``'s."""
    return any(
        label == labels[index] and name != names[index]
        for label, name in zip(labels, names, strict=True)
    )


def _ranked(rank: int, name: str, room: float) -> str:
    prefix = f"{rank}. "
    return prefix + truncate_middle(name, room - label_width(prefix))


# --- axes ------------------------------------------------------------------------


def nice_ticks(maximum: Decimal, count: int = 5) -> list[Decimal]:
    """Round axis ticks from 0 to at least ``maximum``: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if maximum <= 0:
        return [Decimal(0), Decimal(1)]
    raw = maximum / count
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(
        m * magnitude
        for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if m * magnitude >= raw
    )
    top = (maximum / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks = []
    value = Decimal(0)
    while value <= top:
        ticks.append(Decimal(int(value)) if value == int(value) else value.normalize())
        value += step
    return ticks


def _scale(maximum: Decimal, names: tuple[str, str]) -> tuple[Decimal, str]:
    """A divisor and its name so axis labels stay short: thousands, millions."""
    if maximum >= 10_000_000:
        return Decimal(1_000_000), names[1]
    if maximum >= 10_000:
        return Decimal(1_000), names[0]
    return Decimal(1), ""


def _tick_text(value: Decimal, divisor: Decimal, language: str = "en") -> str:
    scaled = value / divisor
    digits = 0 if scaled == scaled.to_integral_value() else 1
    return number_text(scaled, digits, language)


def _num(value: float) -> str:
    """SVG coordinates with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- rendering ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def site_environment() -> jinja2.Environment:
    """The one Jinja environment for ``templates/site``: the charts and the dashboard."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sopkit", "templates/site"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=StoredTemplates("site"),
    )
    env.filters["num"] = _num
    return env


def _render(template: str, **context: object) -> str:
    return site_environment().get_template(template).render(palette=PALETTE, **context)


def _positive(value: Decimal) -> Decimal:
    return value if value > 0 else Decimal(0)


def bar_chart(
    data: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    width: int = 460,
) -> str:
    """Horizontal bars in the order given: label and value above each bar, full width.

    Labels sit above their bars rather than beside them, so long names (and
    Korean or Russian ones) keep the whole width before they are shortened.

    Args:
        data: the bars, top to bottom.
        chart_id: an id unique on the page (an XML name) for the chart's title.
        title: what the chart shows, for screen readers and tooltips.
        width: the drawing's width in SVG units; it scales to its container.
    """
    row, bar_height, gap = 40.0, 12.0, 6.0
    largest = max((_positive(d.value) for d in data), default=Decimal(0))
    rows = []
    for i, datum in enumerate(data):
        share = float(_positive(datum.value) / largest) if largest else 0.0
        top = i * row
        value_room = label_width(datum.value_text) + 12.0
        rows.append(
            {
                "label": truncate(datum.label, width - value_room),
                "tooltip": _tooltip(datum),
                "text_y": top + FONT_SIZE + 2,
                "y": top + FONT_SIZE + gap + 2,
                "bar_width": max(width * share, 2.0 if datum.value > 0 else 0.0),
                "value_text": datum.value_text,
            }
        )
    height = max(len(data), 1) * row - (row - FONT_SIZE - gap - bar_height - 4)
    return _render(
        "charts/bars.svg.j2",
        chart_id=chart_id,
        title=title,
        width=width,
        height=height,
        bar_height=bar_height,
        rows=rows,
        font_size=FONT_SIZE,
    )


def _tooltip(datum: Datum) -> str:
    if datum.tooltip:
        return datum.tooltip
    parts = [datum.label, datum.value_text]
    if datum.detail:
        parts.insert(1, datum.detail)
    return " — ".join(parts)


def pareto_chart(
    data: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    axis_title: str,
    label_limit: int = 24,
    bar_limit: int = 300,
    other_label: Callable[[int], str] = lambda n: f"{n} other steps",
    other_value_text: Callable[[Decimal], str] = str,
    width: int = 960,
    height: int = 380,
    rank_title: str = "Steps ranked by annual cost",
    scale_names: tuple[str, str] = ("thousands", "millions"),
    scaled_title: Callable[[str], str] | None = None,
    language: str = "en",
    cumulative_words: Callable[[str], str] = lambda share: f"cumulative {share}",
    total: Decimal | None = None,
    tooltips: bool = True,
) -> str:
    """Bars sorted by value, highest first, with the cumulative share as a line.

    Up to ``label_limit`` bars are labelled with their names (rotated); more
    bars are numbered by rank on the axis and named in their tooltips. Beyond
    ``bar_limit`` the smallest are summed into one grey "other" bar, so the
    cumulative line still adds every item. A dashed line marks 80 %.

    Args:
        data: the items in any order; they are sorted here (ties keep their order).
        chart_id: an id unique on the page for the chart's title.
        title: what the chart shows.
        axis_title: the left axis' unit, e.g. ``Annual cost (USD)``.
        label_limit: the most bars that get their names under them.
        bar_limit: the most bars drawn before the rest are summed.
        other_label: the label of the summed bar, given how many items it holds.
        other_value_text: formats the summed bar's value.
        width: the drawing's width in SVG units.
        height: the drawing's height in SVG units.
        rank_title: the axis title under unlabelled bars, in the page's language.
        scale_names: the words for thousands and millions on the value axis.
        scaled_title: the axis title when values are shown in thousands or millions,
            given that word (default: ``axis_title``, a comma and the word); a
            language may put the scale inside the unit (``연간 총비용(단위: 천 KRW)``).
        language: the language numbers on the axes are written in.
        cumulative_words: a bar's running share in words for its tooltip, given the share
            as shown (``cumulative 80%``), in the page's language.
        total: what the cumulative share is a share of, when more than the bars
            (a portfolio's cash costs that belong to no step); the line then
            ends below 100 %, as the shares in the table beside it do.
        tooltips: each bar in its own group with its name as a tooltip; without
            (for print, where nothing hovers) unlabelled bars are drawn as one
            path per colour, a few elements instead of three per bar.
    """
    ordered = sorted(data, key=lambda d: -_positive(d.value))
    bars: list[tuple[Datum, bool]] = [(d, False) for d in ordered[:bar_limit]]
    rest = ordered[bar_limit:]
    if rest:
        rest_value = sum((_positive(d.value) for d in rest), Decimal(0))
        bars.append((Datum(other_label(len(rest)), rest_value, other_value_text(rest_value)), True))
    if total is None:
        total = sum((_positive(d.value) for d in ordered), Decimal(0))
    labelled = len(bars) <= label_limit

    left, right, top = 64.0, 52.0, 24.0
    plot_w = width - left - right
    slot = plot_w / max(len(bars), 1)
    names = [_told_apart(datum, bars) for datum, _ in bars] if labelled else []
    # A long name gets a second line where the bars are far enough apart, and the names
    # the room under the axis they need, up to a limit: the plot keeps its height.
    two_lines = slot * _SIN >= 2 * _LINE_HEIGHT + 4
    room = _name_room(names, two_lines)
    label_rows = [
        _name_lines(n, room, left + (i + 0.5) * slot, two_lines) for i, n in enumerate(names)
    ]
    bottom = _label_bottom(room, label_rows) if labelled else 44.0
    drawn = height + (bottom - _BOTTOM) if labelled else height - 76.0
    plot_h = drawn - top - bottom
    largest = max((_positive(d.value) for d, _ in bars), default=Decimal(0))
    ticks = nice_ticks(largest)
    axis_max = ticks[-1]
    divisor, scale_name = _scale(axis_max, scale_names)
    bar_w = slot * (0.7 if labelled else 0.8)
    base = top + plot_h

    def y_of(value: Decimal) -> float:
        return base - plot_h * float(value / axis_max) if axis_max else base

    cumulative = Decimal(0)
    items: list[dict[str, object]] = []
    line: list[tuple[float, float]] = []
    for i, (datum, is_other) in enumerate(bars):
        value = _positive(datum.value)
        cumulative += value
        share = cumulative / total if total else Decimal(0)
        x = left + i * slot + (slot - bar_w) / 2
        y = y_of(value)
        cumulative_text = number_text(share * 100, 0, language) + "%"
        line.append((x + bar_w / 2, base - plot_h * float(share)))
        items.append(
            {
                "x": x,
                "y": y,
                "width": bar_w,
                "height": base - y,
                "center": line[-1][0],
                "label": names[i] if labelled else "",
                "lines": label_rows[i] if labelled else (),
                "tooltip": f"{i + 1}. {_tooltip(datum)} ({cumulative_words(cumulative_text)})",
                "other": is_other,
                "line_y": line[-1][1],
            }
        )
    if labelled:
        centers = [float(str(item["center"])) for item in items]
        shown = _told_apart_lines(names, label_rows, [_label_room(c, room) for c in centers])
        for item, lines in zip(items, shown, strict=True):
            item["label"], item["lines"] = lines[0], lines[1:]
    points = " ".join(f"{_num(x)},{_num(y)}" for x, y in line)
    paths = {} if tooltips or labelled else _bar_paths(items)
    rank_ticks = [] if labelled else _rank_ticks(len(bars))
    if not scale_name:
        shown_title = axis_title
    elif scaled_title is not None:
        shown_title = scaled_title(scale_name)
    else:
        shown_title = f"{axis_title}, {scale_name}"
    return _render(
        "charts/pareto.svg.j2",
        chart_id=chart_id,
        title=title,
        axis_title=shown_title,
        width=width,
        height=drawn,
        left=left,
        right=width - right,
        top=top,
        bottom=base,
        ticks=[{"y": y_of(t), "text": _tick_text(t, divisor, language)} for t in ticks],
        percent_ticks=[
            {"y": base - plot_h * p / 100, "text": f"{p}%"} for p in (0, 25, 50, 75, 100)
        ],
        eighty_y=top + plot_h * 0.2,
        items=items,
        paths=paths,
        points=points,
        markers=labelled,
        rank_ticks=[
            {"x": line[r - 1][0], "text": number_text(Decimal(r), 0, language)} for r in rank_ticks
        ],
        rank_title=rank_title if not labelled else "",
        label_y=base + 14,
        lines_y=base + 14 + _LINE_HEIGHT * _SLANT / 2,
        line_height=_LINE_HEIGHT,
        font_size=FONT_SIZE,
    )


#: The slant of the Pareto chart's bar names: they are rotated 40°, ending under their bar.
_SLANT = math.cos(math.radians(40))
_SIN = math.sin(math.radians(40))
#: A name's second line, this far below its first (across the slant).
_LINE_HEIGHT = 13.0
#: The space under the axis for short names, and the room a line of a name has there.
_BOTTOM = 120.0
#: The least and the most room (width along the slant) a line of a bar's name takes: a
#: Russian step name of 30 letters and more needs two lines of about 16 each (a trial
#: read "Посевы в Telegr…" where the chart had room to spare).
_ROOM = ((_BOTTOM - 24.0) * 1.3, 190.0)


def _label_room(center: float, room: float) -> float:
    """How wide a bar's slanted name may be: the room under the axis, and no further left
    than the drawing's edge (the first bars' long names would run off it)."""
    return min(room, (center - 4.0) / _SLANT)


def _name_splits(name: str) -> list[tuple[str, str]]:
    """Every way to write ``name`` on two lines: at a space (a dash that follows it ends
    the first line, not starts the second) or after a hyphen inside a word."""
    found = []
    for i in range(1, len(name) - 1):
        if name[i] in " \u00a0":
            first, second = name[:i].rstrip(), name[i + 1 :].lstrip()
            if first and second and second[0] not in "-–—":
                found.append((first, second))
        elif name[i] == "-" and name[i - 1] not in " \u00a0" and name[i + 1] not in " \u00a0":
            found.append((name[: i + 1], name[i + 1 :]))
    return found


def _balanced(name: str) -> tuple[str, str] | None:
    """The two lines of ``name`` whose longer is shortest, if it can be split."""
    splits = _name_splits(name)
    if not splits:
        return None
    return min(splits, key=lambda pair: max(label_width(pair[0]), label_width(pair[1])))


def _name_room(names: Sequence[str], two_lines: bool) -> float:
    """The room the longest line of any name needs, within ``_ROOM``."""
    needed = [_ROOM[0]]
    for name in names:
        split = _balanced(name) if two_lines and label_width(name) > _ROOM[0] else None
        widest = label_width(name) if split is None else max(map(label_width, split))
        needed.append(widest)
    return min(max(needed), _ROOM[1])


def _name_lines(name: str, room: float, center: float, two_lines: bool) -> tuple[str, ...]:
    """A bar's name as the lines it is drawn on, each cut to its room with an ellipsis
    if it must be: one line when it fits or when the bars are too close for two."""
    first_room = _label_room(center, room)
    if label_width(name) <= first_room or not two_lines:
        return (name,)
    # the two lines straddle the name's slant: the second starts a line's height further
    # right than the first, half of it each side of the bar's centre
    first_room = _label_room(center - _LINE_HEIGHT * _SIN / 2, room)
    second_room = _label_room(center + _LINE_HEIGHT * _SIN / 2, room)
    fitting = [(a, b) for a, b in _name_splits(name) if label_width(a) <= first_room]
    # between words if it can be, inside a hyphenated word ("Письмо-/приглашение") if not
    splits = [(a, b) for a, b in fitting if not a.endswith("-")] or fitting
    if not splits:
        return (name,)
    first, second = min(
        splits,
        key=lambda pair: (
            max(label_width(pair[1]) - second_room, 0.0),
            abs(label_width(pair[0]) - label_width(pair[1])),
        ),
    )
    return (first, truncate(second, second_room))


def _told_apart_lines(
    names: Sequence[str], rows: Sequence[tuple[str, ...]], rooms: Sequence[float]
) -> list[tuple[str, ...]]:
    """The lines of each name, a name that is still too long cut to one; names the cut
    would make look alike are told apart as ``distinct_labels`` does."""
    fitted = [
        row if len(row) > 1 or label_width(row[0]) <= room else (truncate(row[0], room),)
        for row, room in zip(rows, rooms, strict=True)
    ]
    joined = [" ".join(row) for row in fitted]
    if not any(_clash(joined, names, i) for i in range(len(names))):
        return fitted
    single = distinct_labels(names, rooms)
    return [(single[i],) if _clash(joined, names, i) else row for i, row in enumerate(fitted)]


def _label_bottom(room: float, rows: Sequence[tuple[str, ...]]) -> float:
    """The space under the axis: the names' room, and a line more for a second line."""
    second = _LINE_HEIGHT * _SLANT if any(len(row) > 1 for row in rows) else 0.0
    return 24.0 + room / 1.3 + second


def _bar_paths(items: Sequence[dict[str, object]]) -> dict[str, str]:
    """The bars as one SVG path per colour: ``bar`` and, when the rest are summed, ``other``."""
    paths: dict[str, list[str]] = {"bar": [], "other": []}
    for item in items:
        x, y, w, h = (cast(float, item[k]) for k in ("x", "y", "width", "height"))
        paths["other" if item["other"] else "bar"].append(
            f"M{_num(x)} {_num(y)}h{_num(w)}v{_num(h)}h{_num(-w)}z"
        )
    return {colour: " ".join(parts) for colour, parts in paths.items() if parts}


def _rank_ticks(count: int) -> list[int]:
    """Ranks to number under an unlabelled Pareto axis: 1 and round steps up to ``count``."""
    step = int(nice_ticks(Decimal(count), 8)[1])
    return [1, *range(step, count + 1, step)] if step > 1 else list(range(1, count + 1))
