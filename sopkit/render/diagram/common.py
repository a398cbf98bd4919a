"""What the Graphviz and Mermaid diagrams share: wording, lanes, step text, the saving scale.

Both renderers draw the same content; keeping the words and the arithmetic of
what a box says here means the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...analysis import Candidate, ProcessCost, rank_candidates
from ...analysis.schedule import schedule
from ...analysis.units import exact_hours, expected_hours, to_decimal
from ...errors import RenderError
from ...models import Clock, Count, Estimate, Frequency, Process, Step
from ..i18n import catalogue, hours_label, span_label
from ..numbers import (
    hours_text,
    minutes,
    money_text,
    rate_text,
    round_number,
    share_text,
    spoken,
)
from .style import Theme

__all__ = [
    "DIRECTIONS",
    "EVENTS_LANE",
    "MAX_ARROWS",
    "MAX_STEPS",
    "ColourScale",
    "Wording",
    "arrow_count",
    "automation_text",
    "call_details",
    "check_direction",
    "check_legible",
    "colour_scale",
    "condition_lines",
    "events_title",
    "events_titles",
    "has_successor",
    "lane_costs",
    "unlaned_text",
    "lane_of",
    "lanes",
    "milestone_details",
    "own_candidates",
    "participants_text",
    "step_details",
    "step_fill",
    "lead_text",
    "total_text",
]

DIRECTIONS = ("LR", "TB")

# The few words a diagram needs, in the languages a process may be written in.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "a_year": "{money} a year",
        "a_year_cash": "{money} a year ({cash} cash)",
        "a_run": "{money} a run",
        "a_run_cash": "{money} a run ({cash} cash)",
        "total_run": "{money} a run in total",
        "total_run_cash": "{money} a run in total: {labour} labour, {cash} cash costs",
        "automate_share": "automate {pct}",
        "wait": "wait {time}",
        "then_wait": "then wait {time}",
        "rework": "rework {pct}",
        "times": "×{n} per run",
        "share": "in {pct} of runs",
        "automate": "automate {pct}\nsaves {money}/yr",
        "automate_loss": "automate {pct}\nnet {money}/yr",
        "lead": "Lead time {days} ({hours} h) per run",
        "lead_short": "Lead time {time} per run",
        "runs": "runs {n}",
        "total": "{money} a year in total",
        "total_cash": "{money} a year in total: {labour} labour, {cash} cash costs",
        "unlaned": "Also on steps, with no lane of their own: {roles}",
        "unlaned_calls": "working only inside the processes run here: {roles}",
        "critical": "Bold outlines and arrows: critical path",
        "rework_key": "Dashed arrow: rework, with its probability",
        "fill": "Fill: net automation saving a year",
        "none": "none",
        "if": "If: {question} — {answer}",
        "yes": "yes",
        "no": "no",
        "or": " or ",
        "signoff": "SIGN-OFF",
        "with": "with {names}",
        "with_count": "{n} × {role}",
        "calls": "runs: {name}",
        "calls_times": "runs: {name} ×{n}",
        "lane_events": "Milestones and sub-procedures",
        "lane_milestones": "Milestones",
        "lane_calls": "Sub-procedures",
        "external": "outside the organisation",
        "system": "automated (system)",
        "key_critical": "critical path",
        "key_rework": "rework, with its probability",
        "key_conditional": "only in some runs",
        "key_signoff": "sign-off",
        "key_milestone": "milestone",
        "key_call": "runs another process",
        "key_external": "outside the organisation",
        "key_system": "automated",
        "called_only": "runs only when another process calls it",
        "part": "Part {n} of {total}",
    },
    "ko": {
        "a_year": "연 {money}",
        "a_year_cash": "연 {money} (현금 {cash})",
        "a_run": "실행당 {money}",
        "a_run_cash": "실행당 {money} (현금 {cash})",
        "total_run": "실행당 총 {money}",
        "total_run_cash": "실행당 총 {money}: 인건비 {labour}, 현금 비용 {cash}",
        "automate_share": "자동화 {pct}",
        "wait": "대기 {time}",
        "then_wait": "이후 대기 {time}",
        "rework": "재작업 {pct}",
        "times": "· 실행당 {n}회",
        "share": "실행의 {pct}",
        "automate": "자동화 {pct}\n연 {money} 절감",
        "automate_loss": "자동화 {pct}\n연 순액 {money}",
        "lead": "리드 타임: 실행당 {days} ({hours}시간)",
        "lead_short": "리드 타임: 실행당 {time}",
        "runs": "실행 빈도 {n}",
        "total": "연간 총 {money}",
        "total_cash": "연간 총 {money}: 인건비 {labour}, 현금 비용 {cash}",
        "unlaned": "별도 레인 없이 참여: {roles}",
        "unlaned_calls": "여기서 실행하는 프로세스 안에서만 작업: {roles}",
        "critical": "굵은 테두리와 화살표: 주경로",
        "rework_key": "점선 화살표: 재작업(확률)",
        "fill": "색상: 연간 순 자동화 절감액",
        "none": "없음",
        "if": "조건: {question} — {answer}",
        "yes": "예",
        "no": "아니요",
        "or": " 또는 ",
        "signoff": "승인",
        "with": "함께: {names}",
        "with_count": "{role} {n}명",
        "calls": "실행: {name}",
        "calls_times": "실행: {name} ×{n}",
        "lane_events": "마일스톤 및 하위 절차",
        "lane_milestones": "마일스톤",
        "lane_calls": "하위 절차",
        "external": "조직 외부",
        "system": "자동화(시스템)",
        "key_critical": "주경로",
        "key_rework": "재작업(확률)",
        "key_conditional": "일부 실행에서만",
        "key_signoff": "승인",
        "key_milestone": "마일스톤",
        "key_call": "다른 프로세스 실행",
        "key_external": "조직 외부",
        "key_system": "자동화됨",
        "called_only": "다른 프로세스가 호출할 때만 실행",
        "part": "{total}쪽 중 {n}쪽",
    },
    "ru": {
        "a_year": "{money} в год",
        "a_year_cash": "{money} в год (в\u00a0т.\u00a0ч. {cash} расходов)",
        "a_run": "{money} за запуск",
        "a_run_cash": "{money} за запуск (в\u00a0т.\u00a0ч. {cash} расходов)",
        "total_run": "всего {money} за запуск",
        "total_run_cash": "всего {money} за запуск: труд {labour}, расходы {cash}",
        "automate_share": "автоматизация {pct}",
        "wait": "ожидание {time}",
        "then_wait": "затем ожидание {time}",
        "rework": "доработка {pct}",
        "times": "×{n} за запуск",
        "share": "в {pct} запусков",
        "automate": "автоматизация {pct}\nэкономия {money}/год",
        "automate_loss": "автоматизация {pct}\nитог {money}/год",
        "lead": "Длительность запуска: {days} ({hours} ч)",
        "lead_short": "Длительность запуска: {time}",
        "runs": "частота {n}",
        "total": "всего {money} в год",
        "total_cash": "всего {money} в год: труд {labour}, расходы {cash}",
        "unlaned": "Участвуют в шагах без своей дорожки: {roles}",
        "unlaned_calls": "работают только внутри запускаемых здесь процессов: {roles}",
        "critical": "Жирные рамки и стрелки: критический путь",
        "rework_key": "Пунктирная стрелка: доработка и её вероятность",
        "fill": "Заливка: чистая экономия от автоматизации в год",
        "none": "нет",
        "if": "Если: {question} — {answer}",
        "yes": "да",
        "no": "нет",
        "or": " или ",
        "signoff": "СОГЛАСОВАНИЕ",
        "with": "участники: {names}",
        "with_count": "{role} × {n}",
        "calls": "запускает: {name}",
        "calls_times": "запускает: {name} ×{n}",
        "lane_events": "Вехи и подпроцессы",
        "lane_milestones": "Вехи",
        "lane_calls": "Подпроцессы",
        "external": "вне организации",
        "system": "автоматически (система)",
        "key_critical": "критический путь",
        "key_rework": "доработка и её вероятность",
        "key_conditional": "только в части запусков",
        "key_signoff": "согласование",
        "key_milestone": "веха",
        "key_call": "запускает другой процесс",
        "key_external": "вне организации",
        "key_system": "автоматически",
        "called_only": "запускается только другим процессом",
        "part": "Часть {n} из {total}",
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


#: The bins' widths, × 10^k: round, and no more than a quarter apart, so the bins can
#: always end within a quarter above the largest saving, inside the darkest one.
_STEPS = tuple(
    Decimal(x) for x in ("1", "1.2", "1.5", "1.8", "2", "2.5", "3", "3.5", "4", "5", "6", "7", "8")
)


def _nice_step(largest: Decimal, bins: int) -> Decimal:
    """The smallest of ``_STEPS`` × 10^k with ``bins`` steps reaching ``largest``.

    The top bin ends at a round amount at or just above the largest saving (at most
    a quarter above), so that saving always takes the darkest colour and the key does
    not run on to amounts no step saves: $5,840 gives bins of $1,200 up to $6,000,
    where steps of 1, 2, 2.5 or 5 × 10^k gave $2,000 and a key up to $10,000, its
    darkest colour unused. Never below a cent, which a key could not show.
    """
    if largest <= 0:
        return Decimal(0)
    raw = largest / bins
    exponent = raw.adjusted()
    step = next(
        (b.scaleb(exponent) for b in _STEPS if b.scaleb(exponent) >= raw),
        Decimal(1).scaleb(exponent + 1),
    )
    step = max(step, Decimal("0.01"))
    return step.normalize() if step >= 1 else step


class Wording:
    """Words and numbers in the process's language."""

    def __init__(self, cost: ProcessCost | None = None, *, language: str = "en") -> None:
        self.language = cost.process.language.value if cost is not None else language
        self.currency = cost.currency if cost is not None else ""
        self.words = _WORDS.get(self.language, _WORDS["en"])

    def __call__(self, key: str, **values: str) -> str:
        """The phrase ``key`` filled in; an amount as the language's sentences say it
        (``numbers.spoken``: 연 1,250,000원, where a table would show ₩1,250,000)."""
        return self.words[key].format(
            **{name: spoken(value, self.language) for name, value in values.items()}
        )

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

    def duration(self, estimate: Estimate, clock: Clock, *, wait: bool = False) -> str:
        """A time or wait as the box shows it, in the language's units, as the SOP says it.

        A step's time shows its range's ends (``20–45 min``, ``1.5시간``): minutes
        under an hour, else hours, each end in its own unit when the range crosses
        the hour (``30 min–2 h``); a three-point estimate's likely time is the SOP's
        to give. A ``wait`` is its expected time, as the SOP's "then wait" gives it:
        hours, or working days from a day up (``1 working day``, ``0,5 рабочих дня``).
        """
        t = catalogue(self.language)
        if wait:
            return span_label(t, to_decimal(expected_hours(estimate, clock)), clock)
        low = to_decimal(exact_hours(estimate.low, clock))
        high = to_decimal(exact_hours(estimate.high, clock))
        if high < 1:  # ``10분``, ``5–20 мин``: not ``0.08시간``
            return t.span("unit.minutes", minutes(low), minutes(high))
        if 0 < low < 1:
            return f"{hours_label(t, low)}–{hours_label(t, high)}"
        return t.span("unit.hours", low, high)

    def frequency(self, frequency: Frequency) -> str:
        """``once a week``, ``주 1회``, ``4 раза в месяц``: as the SOP says it."""
        return catalogue(self.language)(f"frequency.{frequency.period.value}", frequency.count)


def clock(cost: ProcessCost) -> Clock:
    """The working day and week that turn the process's durations into hours."""
    return cost.process.settings.clock


def check_direction(direction: str) -> str:
    """``direction`` as the layout names it (``lr`` is ``LR``), or a ``RenderError``."""
    if isinstance(direction, str) and direction.strip().upper() in DIRECTIONS:
        return direction.strip().upper()
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


#: The key of the band that holds steps without an owner (milestones without one,
#: calls): not a role name, since role names are text and this one cannot be typed.
EVENTS_LANE = "\x00events"


def lane_of(step: Step) -> str:
    """The band a step is drawn in: its owner's, or the events band when it has none.

    Milestones without an owner and steps that run another process belong to no
    role (a call's work is done by the called process's roles), so they share
    one band at the top, headed "Milestones and sub-procedures".
    """
    if step.owner is not None and not step.is_call:
        return step.owner
    return EVENTS_LANE


def lanes(steps: Sequence[Step]) -> list[str]:
    """Band keys top to bottom: the events band (if any step needs it), then owner
    roles in the order of their first step."""
    keys = [lane_of(step) for step in steps]
    events = [EVENTS_LANE] if EVENTS_LANE in keys else []
    return events + list(dict.fromkeys(k for k in keys if k != EVENTS_LANE))


def events_titles() -> frozenset[str]:
    """Every header the events band can have, in every language: a BPMN file sopkit
    exported, stripped of its extension, still says which lane stands for no role."""
    keys = ("lane_events", "lane_milestones", "lane_calls")
    return frozenset(words[key] for words in _WORDS.values() for key in keys)


def events_title(steps: Sequence[Step], text: Wording) -> str:
    """The events band's header: milestones, sub-procedures, or both."""
    here = [s for s in steps if lane_of(s) == EVENTS_LANE]
    calls = any(s.is_call for s in here)
    milestones = any(s.milestone for s in here)
    if calls and milestones:
        return text("lane_events")
    return text("lane_calls") if calls else text("lane_milestones")


def condition_lines(cost: ProcessCost, step: Step, text: Wording) -> list[str]:
    """One line per condition of a step: the question and the answer it runs under."""
    lines = []
    for name, wanted in (step.when or {}).items():
        condition = cost.process.conditions.get(name)
        if condition is None:
            continue
        if isinstance(wanted, bool):
            answer = text("yes") if wanted else text("no")
        else:
            answer = text.words["or"].join(wanted)
        lines.append(text("if", question=condition.question, answer=answer))
    return lines


def participants_text(step: Step, text: Wording) -> str | None:
    """ "with Designer, 2 × Editor": the roles working with the owner (in the SOP's words
    for each language: "편집자 2명"), or ``None``."""
    if not step.participants:
        return None
    names = [
        role if count == 1 else text("with_count", n=text.number(count), role=role)
        for role, count in step.participants.items()
    ]
    return text("with", names=", ".join(names))


def _count_text(count: Count, text: Wording) -> str:
    """``8–12``, ``3``: a call's count as the times beside it are written (its ends, in the
    language's numbers), not the file's ``8..12``."""
    if not count.is_range:
        return text.number(count.low)
    return f"{text.number(count.low)}–{text.number(count.high)}"


def call_details(cost: ProcessCost, step: Step, text: Wording) -> list[str]:
    """What a call's box says under its name: what it runs, its cost, a final wait."""
    assert step.process is not None
    callee = cost.process.callees.get(step.process)
    name = callee.name if callee is not None else step.process
    count = step.count
    runs = (
        text("calls", name=name)
        if count is None or (not count.is_range and count.low == 1)
        else text("calls_times", name=name, n=_count_text(count, text))
    )
    details = [runs]
    if callee is not None:  # its lead time, as every box shows its time: the copies run
        took = schedule(callee).lead_time_hours  # side by side (also when not in the typical run)
        if took > 0:
            details.insert(0, _time_text(took, cost, text))
    if step.per_run > 1:
        details.append(text("times", n=text.number(step.per_run)))
    elif step.per_run < 1:
        details.append(text("share", pct=text.pct(step.per_run)))
    details.append(cost_text(cost, step, text))
    if not step.wait.is_zero and not has_successor(cost, step.id):
        details.append(text("then_wait", time=text.duration(step.wait, clock(cost), wait=True)))
    return details


def milestone_details(cost: ProcessCost, step: Step, text: Wording) -> list[str]:
    """What a milestone's caption says under its name: only a final wait."""
    if not step.wait.is_zero and not has_successor(cost, step.id):
        return [text("then_wait", time=text.duration(step.wait, clock(cost), wait=True))]
    return []


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


def cost_text(cost: ProcessCost, step: Step, text: Wording) -> str:
    """A step's annual total cost, with the cash part named: lanes add labour only.

    A process that runs only when called has no year of its own (its figures a
    year are zero, its runs costed in its callers): its steps show one run's cost.
    """
    figures = cost.step(step.id)
    if cost.is_called_only:
        labour, cash = figures.exact_cost_per_run, figures.exact_expenses_per_run
        money = text.money(to_decimal(labour + cash))
        if cash:
            return text("a_run_cash", money=money, cash=text.money(to_decimal(cash)))
        return text("a_run", money=money)
    money = text.money(figures.annual_total_cost)
    if figures.exact_annual_expenses:
        return text("a_year_cash", money=money, cash=text.money(figures.annual_expenses))
    return text("a_year", money=money)


def lead_text(cost: ProcessCost, text: Wording) -> str:
    """One run's lead time for a title, as the SOP's key figures give it: working days
    and hours (``11.03 working days (88.25 h)``), or under a day just the time
    (``15 min``, ``6.5 h``: not ``0 working days``)."""
    schedule, t = cost.schedule, catalogue(text.language)
    hours = schedule.lead_time_hours
    if hours >= clock(cost).hours_per_day:
        days = t("unit.workdays", schedule.lead_time_days)
        return text("lead", days=days, hours=text.number(hours))
    return text("lead_short", time=_time_text(hours, cost, text))


def _time_text(hours: Decimal, cost: ProcessCost, text: Wording) -> str:
    """Working time as the title's lead time says it: days from a day up, else hours or
    minutes (``1.38 working days``, ``6.5 h``, ``15 min``)."""
    t, per_day = catalogue(text.language), clock(cost).hours_per_day
    if hours >= per_day:
        return t("unit.workdays", round_number(hours / per_day, 2))
    return t("unit.minutes", minutes(hours)) if 0 < hours < 1 else t("unit.hours", hours)


def total_text(cost: ProcessCost, text: Wording) -> str:
    """The process's annual total cost for a title; one run's for a process only called.

    With cash costs it names labour and cash apart: the lanes add up labour only,
    so the reader can see the lanes and the title agree.
    """
    if cost.is_called_only:
        labour, cash = cost.exact_cost_per_run, cost.exact_expenses_per_run
        key = "total_run"
    else:
        labour, cash = cost.exact_annual_cost, cost.exact_annual_expenses
        key = "total"
    money = text.money(to_decimal(labour + cash))
    if not cash:
        return text(key, money=money)
    shown = {"labour": text.money(to_decimal(labour)), "cash": text.money(to_decimal(cash))}
    return text(f"{key}_cash", money=money, **shown)


def unlaned_text(cost: ProcessCost, text: Wording, laned: Collection[str]) -> str | None:
    """The roles with no lane of their own and their labour, so the lanes and this line
    add up to the title's labour: those that only work ``with`` others on this process's
    steps, then those that only work inside the processes its steps run (they are on no
    box here); ``None`` when there are none."""
    costs = lane_costs(cost, text)
    named = {role for step in cost.process.steps for role in (step.owner, *step.participants)}
    here = [
        f"{role} {money}" for role, money in costs.items() if role not in laned and role in named
    ]
    inside = [f"{r} {money}" for r, money in costs.items() if r not in laned and r not in named]
    parts = [text("unlaned", roles=", ".join(here))] if here else []
    parts += [text("unlaned_calls", roles=", ".join(inside))] if inside else []
    said = "; ".join(parts)
    return said[:1].upper() + said[1:] if said else None


def lane_costs(cost: ProcessCost, text: Wording) -> dict[str, str]:
    """Each role's labour a year under its lane's name; a run's for a process only called."""
    if cost.is_called_only:
        return {
            role: text("a_run", money=text.money(to_decimal(amount)))
            for role, amount in cost.run_cost_by_role().items()
        }
    return {r.role: text("a_year", money=text.money(r.annual_cost)) for r in cost.by_role()}


def automation_text(cost: ProcessCost, candidate: Candidate, text: Wording) -> str:
    """The share automatable and its net saving a year; the share alone when the
    process has no runs to save on (it runs only when called, and no caller is given)."""
    pct = text.pct(candidate.share)
    if cost.is_called_only and not cost.exact_called_runs_per_month:
        return text("automate_share", pct=pct)
    key = "automate" if candidate.net_saving > 0 else "automate_loss"
    return text(key, pct=pct, money=text.money(candidate.net_saving))


def step_details(
    cost: ProcessCost, step: Step, text: Wording, candidate: Candidate | None
) -> list[str]:
    """What a work step's box says under its name: time, repeats, cost, automation, final wait."""
    assert step.time is not None  # a work step: milestones and calls have their own
    details = [text.duration(step.time, clock(cost))]
    if step.per_run > 1:
        details[0] += " " + text("times", n=text.number(step.per_run))
    elif step.per_run < 1:
        details[0] += " " + text("share", pct=text.pct(step.per_run))
    details.append(cost_text(cost, step, text))
    if candidate is not None:
        details.append(automation_text(cost, candidate, text))
    if not step.wait.is_zero and not has_successor(cost, step.id):
        details.append(text("then_wait", time=text.duration(step.wait, clock(cost), wait=True)))
    return details


def step_fill(candidate: Candidate | None, scale: ColourScale, style: Theme) -> str:
    """The fill colour of a step: its saving's bin, or plain."""
    colour = None if candidate is None else scale.colour(candidate.net_saving)
    return colour or style.plain_fill


def has_successor(cost: ProcessCost, step_id: str) -> bool:
    return any(step_id in s.after for s in cost.process.steps)
