"""The questions a BPMN file's decisions ask, as ``conditions`` and each step's ``when``.

An exclusive (or event-based) split whose branches lead to different steps is
a condition whose options are its branches, named as the flows are, with
BPSim's probabilities as their shares (equal ones, with a warning, when it
gives none); an inclusive split asks one yes/no question per branch; gateways
named with the same question whose answers fit together are one condition
(``questions.py``). A step behind some answers only runs ``when`` they are given.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..filedata import Data
from .context import ImportContext
from .notes import slugify
from .questions import Asked, merge, per_step, shares_of
from .structure import Decision

__all__ = ["branch_probabilities", "gating_of"]


def gating_of(ctx: ImportContext) -> dict[str, Data]:
    """Each step's answers to the questions the file's decisions ask (``when``)."""
    gating: dict[str, Data] = {}
    used_names = set(ctx.conditions)
    asked: dict[str, Asked] = {}
    for decision in ctx.structure.decisions:
        _warn_bypassed(ctx, decision)
        if decision.kind == "inclusiveGateway":
            _inclusive(ctx, decision, gating, used_names)
        elif any(b.steps != decision.branches[0].steps for b in decision.branches):
            asked[decision.node] = _asked(ctx, decision)
    merged = _same_questions(ctx, asked, gating, used_names)
    for decision in ctx.structure.decisions:
        if decision.node in asked and decision.node not in merged:
            _exclusive(ctx, decision, asked[decision.node], gating, used_names)
    return gating


def _asked(ctx: ImportContext, decision: Decision) -> Asked:
    """What a decision asks: its answers, their shares (if the file gives them), and
    the answers each step behind some but not all of its branches runs under."""
    options, shares = _options(ctx, decision)
    taken = {}
    for node_id in ctx.structure.steps:
        runs = [options[i] for i, b in enumerate(decision.branches) if node_id in b.steps]
        if 0 < len(runs) < len(decision.branches):
            taken[node_id] = tuple(runs)
    return Asked(tuple(options), None if shares is None else tuple(shares), taken)


def _same_questions(
    ctx: ImportContext, asked: dict[str, Asked], gating: dict[str, Data], used: set[str]
) -> set[str]:
    """Exclusive gateways named with the same question, read as one condition where
    their answers fit together (``questions``); returns the gateways so read."""
    by_question: dict[str, list[Decision]] = {}
    for decision in ctx.structure.decisions:
        if (
            decision.node in asked
            and decision.kind == "exclusiveGateway"
            and decision.name
            and asked[decision.node].taken
            and not per_step(decision.name)
        ):
            by_question.setdefault(decision.name, []).append(decision)
    done: set[str] = set()
    for question, decisions in by_question.items():
        found = merge([asked[d.node] for d in decisions])
        if found is None:
            continue
        name = _condition_name(ctx, decisions[0], used)
        if found.yes_no:
            ctx.conditions[name] = {"question": question, "share": found.shares[0]}
        else:
            options = dict(zip(found.answers, found.shares, strict=True))
            ctx.conditions[name] = {"question": question, "options": options}
        for node_id, answer in found.when.items():
            gating.setdefault(node_id, {})[name] = (
                answer if isinstance(answer, bool) else list(answer)
            )
        ctx.warn(
            f"{len(decisions)} gateways ask '{question}': read as one question, answered "
            "once a run (if they decide separately, name them apart in the modeler)",
            decisions[0].node,
        )
        done.update(d.node for d in decisions)
    return done


def _warn_bypassed(ctx: ImportContext, decision: Decision) -> None:
    """Steps that follow only some answers of ``decision`` but are also reached round it
    run whatever it answers: sopkit's ``when`` cannot say "this answer, or that other
    way", so each is costed in every run that reaches it. Where no step is left for
    the answers to decide, the question is left out altogether, and the warning says
    so: a reader of the costs must know they count those steps too often."""
    bypassed = [n for n in ctx.structure.steps if n in decision.bypassed]
    if not bypassed:
        return
    many = f"{len(bypassed)} steps follow" if len(bypassed) > 1 else "a step follows"
    asked = f'"{_decision_words(ctx, decision)[0]}"'
    shown = ", ".join(f"'{ctx.step_ids[n]}'" for n in bypassed[:3])
    shown += "…" if len(bypassed) > 3 else ""
    message = (
        f"{many} only some answers to {asked} but can also be reached round it ({shown}): "
        "read as not depending on it"
    )
    if all(b.steps == decision.branches[0].steps for b in decision.branches):
        these = "these steps are" if len(bypassed) > 1 else "this step is"
        them = "them (check their share of runs)" if len(bypassed) > 1 else "it (check its share)"
        message += (
            f", so the question decides no step and is left out, and {these} costed in "
            f"every run that reaches {them}"
        )
    ctx.warn(message, decision.node)


def _exclusive(
    ctx: ImportContext, decision: Decision, asked: Asked, gating: dict[str, Data], used: set[str]
) -> None:
    if decision.kind == "eventBasedGateway":
        ctx.warn(
            "event-based gateway: read as a question whose answer is the event that happens first",
            decision.node,
        )
    name = _condition_name(ctx, decision, used)
    options = list(asked.options)
    shares = (
        list(asked.shares) if asked.shares is not None else shares_of([Decimal(1)] * len(options))
    )
    folded = [o.casefold() for o in options]
    yes_no = folded in (["yes", "no"], ["no", "yes"])
    for node_id, taken in asked.taken.items():
        answer: Any = taken[0].casefold() == "yes" if yes_no else list(taken)
        gating.setdefault(node_id, {})[name] = answer
    if not asked.taken:
        return
    question = _decision_words(ctx, decision)[0]
    if yes_no:
        ctx.conditions[name] = {"question": question, "share": shares[folded.index("yes")]}
    else:
        ctx.conditions[name] = {
            "question": question,
            "options": dict(zip(options, shares, strict=True)),
        }


def _inclusive(
    ctx: ImportContext, decision: Decision, gating: dict[str, Data], used: set[str]
) -> None:
    ctx.warn(
        "inclusive gateway: each of its paths is read as a yes/no question of its own",
        decision.node,
    )
    probabilities = branch_probabilities(ctx, decision)
    for index, branch in enumerate(decision.branches):
        holders = [n for n in ctx.structure.steps if n in branch.steps]
        if not holders or all(
            any(n in other.steps for other in decision.branches if other is not branch)
            for n in holders
        ):
            continue
        name = _condition_name(ctx, decision, used, suffix=str(index + 1))
        share = probabilities[index] if probabilities else Decimal("0.5")
        share = min(max(share, Decimal("0.0001")), Decimal("0.9999"))
        question = f"{decision.name or 'Which paths?'} {branch.name or 'path ' + str(index + 1)}?"
        ctx.conditions[name] = {"question": question.strip(), "share": share.normalize()}
        for node_id in holders:
            if not any(
                node_id in other.steps for other in decision.branches if other is not branch
            ):
                gating.setdefault(node_id, {})[name] = True


def _condition_name(
    ctx: ImportContext, decision: Decision, used: set[str], suffix: str = ""
) -> str:
    words = _decision_words(ctx, decision)[1]
    base = slugify(words, 40) or slugify(decision.node, 40) or "decision"
    if suffix:
        base = f"{base}-{suffix}"
    if not base[0].isalnum():
        base = f"c-{base}"
    name, n = base, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def _decision_words(ctx: ImportContext, decision: Decision) -> tuple[str, str]:
    """A question and a condition name for a decision: its name, else after which step."""
    if decision.name:
        return decision.name, decision.name
    before = ctx.structure.steps_before(decision.node)
    if before:
        step = ctx.name(before[0])
        return f"Which way after '{step}'?", f"after {step}"
    return "Which way?", decision.node


def branch_probabilities(ctx: ImportContext, decision: Decision) -> list[Decimal] | None:
    values = [ctx.bpsim.probability.get(b.flow or "") for b in decision.branches]
    if decision.kind == "boundary":
        host_flows = [b.target for b in decision.branches]
        values = [ctx.bpsim.probability.get(t) if t in ctx.doc.nodes else None for t in host_flows]
    if all(v is not None for v in values):
        return [v for v in values if v is not None]
    return None


def _options(ctx: ImportContext, decision: Decision) -> tuple[list[str], list[Decimal] | None]:
    """The answers (one per branch, named as the flows are) and their shares, when
    the file gives them (else ``None``, and a warning that equal ones are assumed)."""
    node = ctx.doc.nodes.get(decision.node)
    default = None if node is None else node.element.get("default")
    names: list[str] = []
    given = [b.name for b in decision.branches]
    for index, branch in enumerate(decision.branches, start=1):
        base = branch.name or f"path {index}"
        if not branch.name and branch.flow is not None and branch.flow == default:
            # the unnamed default of a yes-question is its no
            others = {g.casefold() for g in given if g}
            base = "no" if others == {"yes"} else "otherwise"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    probabilities = branch_probabilities(ctx, decision)
    if probabilities is None:
        ctx.warn("branch shares not given (BPSim): equal shares assumed", decision.node)
        return names, None
    return names, shares_of(probabilities)
