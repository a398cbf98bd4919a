"""The SOP's sections beyond the steps: conditions, sign-offs, cash costs, callers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from ...analysis.units import to_decimal
from ...models import ExpensePeriod, Process, Step
from ..i18n import Catalogue
from ..numbers import (
    DASH,
    share_text,
)
from .context import Context, execution_order
from .views import (
    AnswerView,
    ConditionView,
    ExpenseView,
    ProcessRef,
    SignoffView,
    StepRef,
)
from .wording import condition_text


def condition_views(
    process: Process, steps: Sequence[Step], refs: dict[str, StepRef], t: Catalogue
) -> tuple[ConditionView, ...]:
    """Each question with its answers, their shares, and the steps each answer brings."""
    views = []
    for name, condition in process.conditions.items():
        answers = []
        for answer, share in condition.answers():
            wanted = [
                refs[step.id]
                for step in steps
                if step.when and name in step.when and _wants(step.when[name], answer)
            ]
            label = (
                t("answer.yes")
                if answer is True
                else t("answer.no")
                if answer is False
                else str(answer)
            )
            answers.append(AnswerView(label, share_text(share, t.language), tuple(wanted)))
        views.append(ConditionView(condition.question, tuple(answers)))
    return tuple(views)


def _wants(wanted: bool | tuple[str, ...], answer: bool | str) -> bool:
    if isinstance(wanted, bool):
        return answer is wanted
    return answer in wanted


def signoff_views(
    process: Process, steps: Sequence[Step], refs: dict[str, StepRef], t: Catalogue
) -> tuple[SignoffView, ...]:
    views = []
    for step in steps:
        if not step.approval:
            continue
        rejected = None
        if step.rework is not None and step.rework.probability > 0 and step.rework.to in refs:
            target = refs[step.rework.to]
            share = share_text(step.rework.probability, t.language)
            if step.rework.to == step.id:  # sent back to itself: done again
                rejected = t("signoff.again", share=share)
            else:
                rejected = t("signoff.back", number=target.number, name=target.name, share=share)
        views.append(
            SignoffView(refs[step.id], step.owner or "", rejected, condition_text(process, step, t))
        )
    return tuple(views)


def expense_views(
    c: Context, steps: Sequence[Step]
) -> tuple[tuple[ExpenseView, ...], ExpenseView | None]:
    """Every cash cost: steps' own, called processes', the process's; and their total."""
    t, money = c.t, c.money
    year = not c.per_run_only

    def yearly(value: Decimal) -> str:
        return money(value) if year else DASH

    views = []
    for step in steps:
        run = c.run_steps[step.id]
        step_cost = c.cost.step(step.id)
        if step.expense is not None:
            views.append(
                ExpenseView(
                    step.name,
                    c.refs[step.id],
                    t("expense.per_execution", amount=money(step.expense)),
                    money(to_decimal(run.expenses)),
                    yearly(step_cost.annual_expenses),
                )
            )
        elif step.is_call and run.expenses:
            callee = c.process.callees[step.process or ""]
            views.append(
                ExpenseView(
                    step.name,
                    c.refs[step.id],
                    t("expense.called", name=callee.name),
                    money(to_decimal(run.expenses)),
                    yearly(step_cost.annual_expenses),
                )
            )
    runs_a_year = c.cost.exact_runs_per_month * 12
    for line in c.cost.expense_lines:
        amount = money(line.amount)
        per = {
            ExpensePeriod.RUN: t("expense.per_run", amount=amount),
            ExpensePeriod.MONTH: t("expense.per_month", amount=amount),
            ExpensePeriod.QUARTER: t("expense.per_quarter", amount=amount),
            ExpensePeriod.YEAR: t("expense.per_year", amount=amount),
        }[line.per]
        fixed = line.per_year
        views.append(
            ExpenseView(
                line.name,
                None,
                per,
                DASH if fixed is not None else amount,
                money(
                    to_decimal(Fraction(line.amount) * (runs_a_year if fixed is None else fixed))
                ),
            )
        )
    if not views:
        return (), None
    total = ExpenseView(
        t("expense.total"),
        None,
        "",
        money(c.cost.expenses_per_run),
        money(c.cost.annual_expenses),
    )
    return tuple(views), total


def caller_refs(c: Context) -> tuple[ProcessRef, ...]:
    """The processes that run this one, with the steps that do (when costed with them)."""
    refs = []
    for caller_id in c.cost.called_by:
        known = [p.process for p in c.site.processes] if c.site is not None else c.callers
        caller = next((p for p in known if p.id == caller_id), None)
        if caller is None:
            refs.append(ProcessRef(caller_id, caller_id, None, None))
            continue
        order = execution_order(caller)
        steps = tuple(
            StepRef(n, s.id, s.name)
            for n, s in enumerate(order, start=1)
            if s.process == c.process.id
        )
        ref = c.process_ref(caller, steps)
        refs.append(replace(ref, steps_text=_steps_text(steps, c.t)))
    return tuple(refs)


def _steps_text(steps: tuple[StepRef, ...], t: Catalogue) -> str | None:
    """``step 4. Feature write-ups``: said after the caller's name and its file, not in
    brackets of their own (``Release post (release-post.yaml) (4. Feature write-ups)``)."""
    if not steps:
        return None
    listed = t("step.list_sep").join(f"{ref.number}. {ref.name}" for ref in steps)
    return t("called_by.steps", len(steps), steps=listed)
