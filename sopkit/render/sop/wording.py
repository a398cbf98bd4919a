"""The words the SOP and the checklist share for the format's additions.

A condition, the people on a step, a due date, a called process's count and a
role's kind read the same in both documents ("Only when: Is this a tier-1 launch? — yes,
about 30% of runs"), so a checklist item and its SOP step never disagree.
Every phrase comes from the language's catalogue; options are joined with the
language's own "or" (Babel), several conditions with semicolons.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ...analysis.profile import expected_count
from ...analysis.runs import chance
from ...analysis.units import expected_hours, to_decimal
from ...models import Clock, Count, Process, Role, RoleKind, Step
from ..i18n import Catalogue, due_text, span_label
from ..numbers import hours_text, share_text
from .views import StepRef

__all__ = [
    "condition_text",
    "count_mean",
    "count_text",
    "due_text",
    "join_or",
    "kind_label",
    "participants_text",
    "when_text",
]


def join_or(items: list[str], t: Catalogue) -> str:
    """``L1 or L2``, ``L1, L2 or L3``, ``L1 또는 L2``, ``L1 или L2``."""
    from babel.lists import format_list

    return format_list(items, style="or", locale=t.language)


def when_text(process: Process, step: Step, t: Catalogue) -> str | None:
    """The question and answer of each of the step's conditions, without the share.

    ``Is this a tier-1 launch? — yes``; ``Which launch tier? — L1 or L2``.
    """
    if not step.when:
        return None
    parts = []
    for name, wanted in step.when.items():
        question = process.conditions[name].question
        if wanted is True:
            parts.append(t("when.yes", question=question))
        elif wanted is False:
            parts.append(t("when.no", question=question))
        else:
            parts.append(t("when.options", question=question, options=join_or(list(wanted), t)))
    return "; ".join(parts)


def condition_text(process: Process, step: Step, t: Catalogue) -> str | None:
    """``Is this a tier-1 launch? — yes, about 30% of runs``, or ``None`` for a step
    that runs in every run."""
    answers = when_text(process, step, t)
    if answers is None:
        return None
    share = share_text(to_decimal(chance(process, step)), t.language)
    return t("when.share", answers=answers, share=share)


def participants_text(step: Step, t: Catalogue) -> str | None:
    """``Product Manager, 2 × Engineering Manager``: who works on the step with its owner."""
    if not step.participants:
        return None
    people = [
        name if count == 1 else t("with.count", name=name, count=hours_text(count, t.language))
        for name, count in step.participants.items()
    ]
    return ", ".join(people)


def kind_label(role: Role | None, t: Catalogue) -> str | None:
    """How a role that is not the team's own staff is marked: outside party or system."""
    if role is None or role.kind is RoleKind.STAFF:
        return None
    if role.kind is RoleKind.EXTERNAL:
        return t("kind.external")
    return t("kind.system")


def count_mean(count: Count | None) -> Decimal:
    """How many times a call runs its process per execution, on average (PERT mean)."""
    return to_decimal(expected_count(count))


def count_text(count: Count | None, t: Catalogue) -> str:
    """``3–7 times each time, about 5 on average``, ``40 times each time``, ``once each time``."""
    mean = expected_count(count)
    if count is not None and count.is_range:
        return t(
            "call.count_range",
            count.high,  # the last number decides the noun's form: 2–3 раза, 2–5 раз
            low=hours_text(count.low, t.language),
            high=hours_text(count.high, t.language),
            mean=_number(mean, t),
        )
    if mean == 1:
        return t("call.count_once")
    return t("call.count", to_decimal(mean))


def _number(value: Fraction, t: Catalogue) -> str:
    return hours_text(to_decimal(value), t.language)


def wait_text(step: Step, clock: Clock, t: Catalogue) -> str | None:
    """``then wait 1 working day``: the time that passes after the step, if any."""
    if step.wait.is_zero:
        return None
    return t("time.wait", wait=span_label(t, to_decimal(expected_hours(step.wait, clock)), clock))


def rework_text(step: Step, refs: Mapping[str, StepRef], t: Catalogue) -> str | None:
    """Where the work goes back to, and how often: ``If rejected (in 25% of sign-offs), the
    work goes back to step 7, “Positioning”.`` (``refs``: the steps by id, numbered)."""
    if step.rework is None or step.rework.probability == 0 or step.rework.to not in refs:
        return None
    target = refs[step.rework.to]
    share = share_text(step.rework.probability, t.language)
    if step.rework.to == step.id:  # a step sent back to itself is done again
        return t("rework.rejected_again" if step.approval else "rework.again", share=share)
    if step.approval:
        return t("rework.rejected", share=share, number=target.number, name=target.name)
    return t("rework.note", share=share, number=target.number, name=target.name)
