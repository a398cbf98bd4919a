"""Workflow diagrams: a costed process as a Graphviz graph, DOT text or a picture.

One swimlane (cluster) per owner role; each step shows its name, time per
execution and annual cost; ``wait`` sits on the outgoing arrows; rework arrows
are dashed with their probability; the critical path has heavier outlines and
arrows; automation candidates are filled on a sequential colour scale by net
annual saving, explained by a small legend under the title, which also gives
the lead time.

``build_digraph`` → ``to_dot`` → ``draw``/``render``: the first two are pure;
the last runs a Graphviz renderer (see ``engine.py``) and returns bytes. Nothing
here writes files or prints.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import graphviz  # type: ignore[import-untyped]

from ..analysis import Candidate, ProcessCost, rank_candidates
from ..errors import RenderError
from ..models import Step
from .engine import Engine, cjk_warning, find_engine
from .labels import bold, html_label, html_lines, html_text, wrap
from .numbers import hours_text, money_text, rate_text, share_text
from .style import DEFAULT_THEME, ENGINE_FONTS, FONTS, Theme, contrast_text, get_theme

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "IMAGE_FORMATS",
    "TEXT_FORMATS",
    "Drawing",
    "build_digraph",
    "draw",
    "render",
    "to_dot",
]

TEXT_FORMATS = ("dot", "mermaid")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = (*IMAGE_FORMATS, *TEXT_FORMATS)
DIRECTIONS = ("LR", "TB")

#: Rework arrows of a top-to-bottom flow loop back along the right-hand side, clear
#: of the forward arrows and their labels; left to right, dot routes them well as is.
_REWORK_PORTS: Mapping[str, Mapping[str, str]] = {
    "LR": {},
    "TB": {"tailport": "e", "headport": "e"},
}

#: Extra renderer flags per format: PNGs at 150 dpi stay sharp in docs and slides.
_FORMAT_OPTIONS: Mapping[str, tuple[str, ...]] = {"png": ("-Gdpi=150",)}

# The few words a diagram needs, in the languages a process may be written in.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "a_year": "{money} a year",
        "wait": "wait {time}",
        "then_wait": "then wait {time}",
        "rework": "rework {pct}",
        "times": "×{n} per run",
        "share": "in {pct} of runs",
        "automate": "automate {pct}\nsaves {money}/yr",
        "automate_loss": "automate {pct}\nnet {money}/yr",
        "lead": "Lead time {days} working days ({hours} h) per run",
        "runs": "runs {n}",
        "total": "{money} a year in total",
        "critical": "Bold outlines and arrows: critical path",
        "rework_key": "Dashed arrow: rework, with its probability",
        "fill": "Fill: net automation saving a year",
        "none": "none",
    },
    "ko": {
        "a_year": "연 {money}",
        "wait": "대기 {time}",
        "then_wait": "이후 대기 {time}",
        "rework": "재작업 {pct}",
        "times": "실행당 ×{n}",
        "share": "실행의 {pct}",
        "automate": "자동화 {pct}\n연 {money} 절감",
        "automate_loss": "자동화 {pct}\n연 순액 {money}",
        "lead": "리드 타임: 실행당 {days}영업일 ({hours}시간)",
        "runs": "실행 빈도 {n}",
        "total": "연간 총 {money}",
        "critical": "굵은 테두리와 화살표: 주경로",
        "rework_key": "점선 화살표: 재작업과 그 확률",
        "fill": "채우기: 연간 순 자동화 절감액",
        "none": "없음",
    },
    "ru": {
        "a_year": "{money} в год",
        "wait": "ожидание {time}",
        "then_wait": "затем ожидание {time}",
        "rework": "доработка {pct}",
        "times": "×{n} за запуск",
        "share": "в {pct} запусков",
        "automate": "автоматизация {pct}\nэкономия {money}/год",
        "automate_loss": "автоматизация {pct}\nитог {money}/год",
        "lead": "Время выполнения {days} раб. дн. ({hours} ч) на запуск",
        "runs": "частота {n}",
        "total": "{money} в год всего",
        "critical": "Жирные рамки и стрелки: критический путь",
        "rework_key": "Пунктирная стрелка: доработка и её вероятность",
        "fill": "Заливка: чистая экономия от автоматизации в год",
        "none": "нет",
    },
}


@dataclass(frozen=True, slots=True)
class Drawing:
    """A rendered diagram and what the caller should tell the user about it."""

    data: bytes
    format: str
    #: The renderer that drew it (``None`` for DOT and Mermaid text).
    engine: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ColourScale:
    """Equal bins of net saving, ``step`` wide, one colour each."""

    step: Decimal
    colours: tuple[str, ...]

    def colour(self, saving: Decimal) -> str | None:
        if saving <= 0 or self.step <= 0:
            return None
        index = math.ceil(saving / self.step) - 1
        return self.colours[max(0, min(index, len(self.colours) - 1))]

    def bins(self) -> list[tuple[Decimal, Decimal, str]]:
        return [(self.step * i, self.step * (i + 1), c) for i, c in enumerate(self.colours)]


def _nice_step(largest: Decimal, bins: int) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^k with ``bins`` steps reaching ``largest``."""
    if largest <= 0:
        return Decimal(0)
    raw = largest / bins
    exponent = raw.adjusted()
    for base in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = base.scaleb(exponent)
        if step >= raw:
            return step.normalize() if step >= 1 else step
    raise AssertionError("unreachable")  # pragma: no cover


class Wording:
    """Words and numbers in the process's language."""

    def __init__(self, cost: ProcessCost) -> None:
        self.language = cost.process.language.value
        self.currency = cost.currency
        self.words = _WORDS.get(self.language, _WORDS["en"])

    def __call__(self, key: str, **values: str) -> str:
        return self.words[key].format(**values)

    def money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency, self.language)

    def round_money(self, amount: Decimal) -> str:
        """A round amount without needless cents, for legend bounds: ``$500``."""
        return rate_text(amount, self.currency, self.language)

    def pct(self, share: Decimal) -> str:
        return share_text(share, self.language)

    def number(self, value: Decimal) -> str:
        return hours_text(value, self.language)

    def days(self, value: Decimal) -> str:
        return hours_text(value, self.language, digits=1)


def _check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise RenderError(
            f"unknown diagram direction '{direction}'",
            hint=f"use one of: {', '.join(DIRECTIONS)} (left to right, top to bottom)",
        )
    return direction


def build_digraph(
    cost: ProcessCost,
    *,
    direction: str = "LR",
    candidates: list[Candidate] | None = None,
    theme: str | Theme = DEFAULT_THEME,
    fontname: str = FONTS,
) -> graphviz.Digraph:
    """The process as a ``graphviz.Digraph``: lanes per role, costs, critical path, heat.

    Args:
        cost: the costed process (``sopkit.analysis.cost_process``).
        direction: ``LR`` (left to right) or ``TB`` (top to bottom).
        candidates: automation candidates to colour; by default this process's own.
        theme: a theme name from ``sopkit.render.style.THEMES`` or a ``Theme``.
        fontname: Graphviz ``fontname``; the default family list covers Latin,
            Cyrillic and Korean with system Graphviz.
    """
    style = get_theme(theme)
    text = Wording(cost)
    process = cost.process
    by_step = own_candidates(cost, candidates)
    scale = colour_scale(by_step.values(), style)
    critical = set(cost.schedule.critical_path)
    font = {"fontname": fontname}

    graph = graphviz.Digraph(
        name=cost.id,
        graph_attr={
            **font,
            **style.graph,
            "rankdir": _check_direction(direction),
            "label": html_label(_title(cost, text, style, scale)),
        },
        node_attr={**font, "fontsize": str(style.detail_size), **style.node},
        edge_attr={**font, "fontsize": str(style.detail_size), **style.edge},
    )
    role_cost = {r.role: r.annual_cost for r in cost.by_role()}
    for index, role in enumerate(_lanes(process.steps)):
        with graph.subgraph(name=f"cluster_{index}") as lane:
            label = _rows(
                f'<font point-size="{style.name_size}" color="{style.lane_text}">'
                f"{bold(html_text(role))}</font>",
                f'<font color="{style.muted_text}">'
                f"{html_text(text('a_year', money=text.money(role_cost[role])))}</font>",
            )
            lane.attr(**{**font, "fontsize": str(style.detail_size), **style.lane})
            lane.attr(label=html_label(label))
            for step in process.steps:
                if step.owner == role:
                    attrs = _node_attrs(cost, step, text, style, scale, by_step)
                    if step.id in critical:
                        attrs.update(style.critical_node)
                    lane.node(step.id, **attrs)
    _edges(graph, cost, text, style, direction)
    return graph


def _lanes(steps: Sequence[Step]) -> list[str]:
    """Owner roles in order of their first step."""
    return list(dict.fromkeys(step.owner for step in steps))


def own_candidates(
    cost: ProcessCost, candidates: Iterable[Candidate] | None = None
) -> dict[str, Candidate]:
    """This process's automation candidates by step id (computed when not given)."""
    found = rank_candidates([cost]) if candidates is None else candidates
    return {c.step_id: c for c in found if c.process_id == cost.id}


def colour_scale(candidates: Iterable[Candidate], style: Theme) -> ColourScale:
    """Equal bins from zero to the largest net saving, one per colour of the theme."""
    largest = max((c.net_saving for c in candidates), default=Decimal(0))
    return ColourScale(_nice_step(largest, len(style.scale)), style.scale)


def step_details(
    cost: ProcessCost, step: Step, text: Wording, candidate: Candidate | None
) -> list[str]:
    """What a step's box says under its name: time, repeats, cost, automation, final wait."""
    details = [str(step.time)]
    if step.per_run > 1:
        details[0] += " " + text("times", n=text.number(step.per_run))
    elif step.per_run < 1:
        details[0] += " " + text("share", pct=text.pct(step.per_run))
    details.append(text("a_year", money=text.money(cost.step(step.id).annual_cost)))
    if candidate is not None:
        key = "automate" if candidate.net_saving > 0 else "automate_loss"
        details.append(
            text(key, pct=text.pct(candidate.share), money=text.money(candidate.net_saving))
        )
    if not step.wait.is_zero and not _has_successor(cost, step.id):
        details.append(text("then_wait", time=str(step.wait)))
    return details


def step_fill(candidate: Candidate | None, scale: ColourScale, style: Theme) -> str:
    """The fill colour of a step: its saving's bin, or plain."""
    colour = None if candidate is None else scale.colour(candidate.net_saving)
    return colour or style.plain_fill


def _node_attrs(
    cost: ProcessCost,
    step: Step,
    text: Wording,
    style: Theme,
    scale: ColourScale,
    candidates: Mapping[str, Candidate],
) -> dict[str, str]:
    candidate = candidates.get(step.id)
    fill = step_fill(candidate, scale, style)
    name = html_lines(wrap(step.name, style.wrap))
    details = step_details(cost, step, text, candidate)
    detail_lines = [line for detail in details for line in wrap(detail, style.wrap + 12)]
    label = (
        f'<font point-size="{style.name_size}">{bold(name)}</font><br/>'
        f'<font point-size="{style.detail_size}">{html_lines(detail_lines)}</font>'
    )
    return {"label": html_label(label), "fillcolor": fill, "fontcolor": contrast_text(fill, style)}


def _has_successor(cost: ProcessCost, step_id: str) -> bool:
    return any(step_id in s.after for s in cost.process.steps)


def _edges(
    graph: graphviz.Digraph, cost: ProcessCost, text: Wording, style: Theme, direction: str
) -> None:
    process = cost.process
    critical = cost.schedule.critical_edges()
    known = {step.id for step in process.steps}
    for step in process.steps:
        for before in dict.fromkeys(step.after):
            if before not in known or before == step.id:
                continue
            attrs: dict[str, str] = {}
            wait = process.step(before).wait
            if not wait.is_zero:
                attrs["label"] = html_label(html_text(text("wait", time=str(wait))))
            if (before, step.id) in critical:
                attrs.update(style.critical_edge)
            graph.edge(before, step.id, **attrs)
    for step in process.steps:
        if step.rework is None or step.rework.to not in known:
            continue
        label = html_label(html_text(text("rework", pct=text.pct(step.rework.probability))))
        ports = _REWORK_PORTS[direction]
        graph.edge(step.id, step.rework.to, label=label, **ports, **style.rework_edge)


def _rows(*cells: str, padding: int = 0) -> str:
    """Left-aligned lines of markup, one table row each."""
    rows = "".join(f'<tr><td align="left">{cell}</td></tr>' for cell in cells)
    return (
        f'<table border="0" cellborder="0" cellspacing="0" cellpadding="{padding}">{rows}</table>'
    )


def _title(cost: ProcessCost, text: Wording, style: Theme, scale: ColourScale) -> str:
    """The graph label: name, lead time and totals, then the legend."""
    schedule = cost.schedule
    summary = " · ".join(
        [
            text(
                "lead",
                days=text.days(schedule.lead_time_days),
                hours=text.number(schedule.lead_time_hours),
            ),
            text("runs", n=str(cost.process.frequency)),
            text("total", money=text.money(cost.annual_cost)),
        ]
    )
    keys = f"{html_text(text('critical'))}   ·   {html_text(text('rework_key'))}"
    return _rows(
        f'<font point-size="{style.title_size}">{bold(html_text(cost.name))}</font>',
        html_text(summary),
        f'<font color="{style.muted_text}">{keys}</font>',
        *([_swatches(text, style, scale)] if scale.step > 0 else []),
        padding=2,
    )


def _swatches(text: Wording, style: Theme, scale: ColourScale) -> str:
    """The colour key: what each fill means in net saving a year."""
    cell = '<td bgcolor="{fill}" border="1" color="#808080" cellpadding="3">{body}</td>'
    cells = [
        f'<td align="left"><font color="{style.muted_text}">{html_text(text("fill"))}</font></td>',
        cell.format(
            fill=style.plain_fill,
            body=f'<font color="{style.text}">{html_text(text("none"))}</font>',
        ),
    ]
    for low, high, colour in scale.bins():
        body = html_text(f"{text.round_money(low)}–{text.round_money(high)}")
        ink = contrast_text(colour, style)
        cells.append(cell.format(fill=colour, body=f'<font color="{ink}">{body}</font>'))
    return (
        '<table border="0" cellborder="0" cellspacing="3" cellpadding="0"><tr>'
        + "".join(cells)
        + "</tr></table>"
    )


def to_dot(cost: ProcessCost, *, direction: str = "LR", theme: str | Theme = DEFAULT_THEME) -> str:
    """The DOT source of the diagram, for system Graphviz; same input, same bytes."""
    source: str = build_digraph(cost, direction=direction, theme=theme).source
    return source


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RenderError(
            f"unknown diagram format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}"
        )
    return fmt


def draw(
    cost: ProcessCost,
    fmt: str,
    *,
    direction: str = "LR",
    theme: str | Theme = DEFAULT_THEME,
    engine: Engine | None = None,
) -> Drawing:
    """The diagram as ``fmt`` bytes, with any warnings for the user (never printed here).

    ``dot`` and ``mermaid`` are text and need no renderer; ``svg``, ``png`` and
    ``pdf`` use ``engine`` or the one ``find_engine`` picks.

    Raises:
        RenderError: unknown format or direction, no renderer, or the renderer failed.
    """
    _check_format(fmt)
    _check_direction(direction)
    if fmt == "dot":
        return Drawing(to_dot(cost, direction=direction, theme=theme).encode("utf-8"), fmt)
    if fmt == "mermaid":
        from .mermaid import to_mermaid

        return Drawing(to_mermaid(cost, direction=direction).encode("utf-8"), fmt)
    engine = engine or find_engine()
    engine.check_format(fmt)
    graph = build_digraph(
        cost, direction=direction, theme=theme, fontname=ENGINE_FONTS[engine.name]
    )
    source = graph.source
    data = engine.run(source, fmt, options=_FORMAT_OPTIONS.get(fmt, ()))
    if fmt == "svg":
        data = _normalise_svg(data)
    elif fmt == "pdf":
        data = _normalise_pdf(data)
    warning = cjk_warning(engine, source)
    return Drawing(data, fmt, engine.name, (warning,) if warning else ())


def render(cost: ProcessCost, fmt: str, *, direction: str = "LR") -> bytes:
    """The diagram as ``svg``, ``png``, ``pdf``, ``dot`` or ``mermaid`` bytes."""
    return draw(cost, fmt, direction=direction).data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")


def _normalise_pdf(data: bytes) -> bytes:
    """PDF without the time it was drawn (cairo writes it and ignores SOURCE_DATE_EPOCH).

    The date is replaced by one of the same length, so the cross-reference
    table's byte offsets stay right.
    """
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:19700101000000", data)


def _normalise_svg(data: bytes) -> bytes:
    """SVG with Unix line endings and one final newline, whichever renderer drew it."""
    return data.replace(b"\r\n", b"\n").rstrip(b"\n") + b"\n"
