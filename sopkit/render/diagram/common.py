"""What the Graphviz and Mermaid diagrams share: wording, lanes, step text, the saving scale.

Both renderers draw the same content; keeping the words and the arithmetic of
what a box says here means the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...analysis import Candidate, ProcessCost, rank_candidates
from ...errors import RenderError
from ...models import Process, Step
from ..numbers import hours_text, money_text, rate_text, share_text
from .style import Theme

__all__ = [
    "DIRECTIONS",
    "MAX_ARROWS",
    "MAX_STEPS",
    "ColourScale",
    "Wording",
    "arrow_count",
    "check_direction",
    "check_legible",
    "colour_scale",
    "has_successor",
    "lanes",
    "own_candidates",
    "step_details",
    "step_fill",
]

DIRECTIONS = ("LR", "TB")

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


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise RenderError(
            f"unknown diagram direction '{direction}'",
            hint=f"use one of: {', '.join(DIRECTIONS)} (left to right, top to bottom)",
        )
    return direction


#: The most steps and arrows a diagram may have. Past these it cannot be read on a page
#: or a screen, and Graphviz's layout time grows so steeply that it ran for minutes and
#: gigabytes (243 s and 4.7 GB for 300 densely linked steps) before failing. At the
#: limits, drawing takes seconds (docs/robustness.md has the measurements).
MAX_STEPS = 150
MAX_ARROWS = 300


def arrow_count(process: Process) -> int:
    """The arrows a diagram of ``process`` draws: one per distinct ``after`` and per rework."""
    known = {step.id for step in process.steps}
    flow = sum(
        1
        for step in process.steps
        for before in dict.fromkeys(step.after)
        if before in known and before != step.id
    )
    rework = sum(1 for s in process.steps if s.rework is not None and s.rework.to in known)
    return flow + rework


def check_legible(process: Process) -> None:
    """Refuse, at once, a diagram too large to be legible (every drawing path calls this).

    Raises:
        RenderError: more than ``MAX_STEPS`` steps or ``MAX_ARROWS`` arrows.
    """
    steps, arrows = len(process.steps), arrow_count(process)
    if steps <= MAX_STEPS and arrows <= MAX_ARROWS:
        return
    raise RenderError(
        f"process '{process.id}' is too large for a legible diagram: {steps:,} steps and "
        f"{arrows:,} arrows (a diagram holds at most {MAX_STEPS} steps and {MAX_ARROWS} arrows)",
        path=process.source_path,
        hint="split it into smaller processes; sopkit build --no-diagram and "
        "sopkit sop --no-diagram leave the diagram out",
    )


def lanes(steps: Sequence[Step]) -> list[str]:
    """Owner roles in order of their first step."""
    return list(dict.fromkeys(step.owner for step in steps if step.owner is not None))


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
    if not step.wait.is_zero and not has_successor(cost, step.id):
        details.append(text("then_wait", time=str(step.wait)))
    return details


def step_fill(candidate: Candidate | None, scale: ColourScale, style: Theme) -> str:
    """The fill colour of a step: its saving's bin, or plain."""
    colour = None if candidate is None else scale.colour(candidate.net_saving)
    return colour or style.plain_fill


def has_successor(cost: ProcessCost, step_id: str) -> bool:
    return any(step_id in s.after for s in cost.process.steps)
