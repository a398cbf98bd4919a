"""One question asked at several gateways, read back as one condition.

A condition that decides steps in several places of a process is exported as
one exclusive gateway per place, each named with the question; the branch
taken is named with the answers that run the steps behind it (``T1 or T2``)
and the way round them is the default flow. With sopkit's extension an import
knows they are one condition. A modeler that drops the extension keeps the
names, so without it the gateways that ask the same question with answers that
fit together are read as that one question, answered once a run: its answers
are every answer the branches name (split at "or" where another branch names
a piece of it), and ``otherwise`` when a default flow stands for the rest.
Yes/no gateways need more than their label ("Approved?" names many separate
decisions): the file must give each its share (BPSim), and the shares agree.
Shares come from the branches' BPSim probabilities where the file gives them
(an answer named alone gives its share; one named with others, the rest of
theirs); answers no branch gives a share for split what is left equally.
When the answers or shares do not fit together, each gateway stays a question
of its own, as before.

Questions an export asks per step ("Runs this time? (20%)") are never merged:
each step's draw is its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...models import Language
from ...render.diagram.common import Wording
from .words import words_for

__all__ = ["Asked", "Merged", "merge", "per_step", "shares_of"]

#: The answer a default flow without a name stands for: every answer its gateway
#: does not name.
OTHERWISE = "otherwise"
#: How an export joins the answers of one branch, in each language.
_OR = tuple(Wording(language=language.value).words["or"] for language in Language)
#: Shares from a file are rounded; sums within this are taken as equal.
_TOLERANCE = Decimal("0.001")


def shares_of(values: Sequence[Decimal]) -> list[Decimal]:
    """Shares above 0 that sum to exactly 1, in proportion to ``values`` (four decimals).

    What rounding leaves over goes to the largest share, the first of equal ones: the
    typical run takes the likeliest answer, the first listed on a tie, so three equal
    branches stay a tie won by the first (0.3334, 0.3333, 0.3333), not by the last.
    """
    total = sum(values, Decimal(0))
    raw = [v / total for v in values] if total > 0 else [Decimal(1) / len(values)] * len(values)
    shares = [max(share.quantize(Decimal("0.0001")), Decimal("0.0001")) for share in raw]
    largest = raw.index(max(raw))
    shares[largest] += 1 - sum(shares, Decimal(0))
    if shares[largest] <= 0:  # many tiny shares: fall back to equal ones
        shares = [(Decimal(1) / len(values)).quantize(Decimal("0.0001"))] * len(values)
        shares[0] += 1 - sum(shares, Decimal(0))
    return [share.normalize() for share in shares]


def _per_step_patterns() -> list[re.Pattern[str]]:
    found = []
    for language in Language:
        template = words_for(language.value)["this_run"]
        head, _, tail = template.partition("{share}")
        found.append(re.compile(re.escape(head) + ".*" + re.escape(tail)))
    return found


_PER_STEP = _per_step_patterns()


def per_step(question: str) -> bool:
    """Whether ``question`` is one an export asks for one step alone ("Runs this time?")."""
    return any(pattern.fullmatch(question) for pattern in _PER_STEP)


@dataclass(frozen=True, slots=True)
class Asked:
    """One gateway as read: its answers (branch names), their shares when the file gives
    them, and the answers under which each step it decides runs (by node id)."""

    options: tuple[str, ...]
    shares: tuple[Decimal, ...] | None
    taken: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Merged:
    """The one condition several gateways ask: its answers and shares (``yes_no``: a
    yes/no question, ``shares[0]`` its share of yes), and each step's ``when``."""

    answers: tuple[str, ...]
    shares: tuple[Decimal, ...]
    yes_no: bool
    when: dict[str, tuple[str, ...] | bool]


def _yes_no(options: Iterable[str]) -> bool:
    return sorted(o.casefold() for o in options) == ["no", "yes"]


def _split(option: str) -> list[str]:
    pieces = [option]
    for word in _OR:
        pieces = [part for piece in pieces for part in piece.split(word)]
    return [piece.strip() for piece in pieces if piece.strip()]


def merge(asked: Sequence[Asked]) -> Merged | None:
    """The one condition ``asked`` (gateways naming the same question) stand for, or
    ``None`` when their answers or shares do not fit together."""
    if len(asked) < 2:
        return None
    if all(_yes_no(a.options) for a in asked):
        return _merge_yes_no(asked)
    if any(_yes_no(a.options) for a in asked):
        return None
    split = _splitting(asked)
    answers: list[str] = []
    named: list[dict[str, frozenset[str]]] = []
    for gateway in asked:
        parts: dict[str, frozenset[str]] = {}
        for option in gateway.options:
            if option.casefold() == OTHERWISE:
                continue
            pieces = split[option]
            if any(p.casefold() == OTHERWISE for p in pieces) or any(
                set(pieces) & other for other in parts.values()
            ):
                return None
            parts[option] = frozenset(pieces)
            answers += [p for p in pieces if p not in answers]
        named.append(parts)
    if any(o.casefold() == OTHERWISE for a in asked for o in a.options):
        answers.append(OTHERWISE)
    everything = frozenset(answers)

    def meaning(index: int, option: str) -> frozenset[str]:
        if option.casefold() != OTHERWISE:
            return named[index][option]
        return everything - frozenset().union(*named[index].values())

    for index, gateway in enumerate(asked):
        covered = frozenset().union(*(meaning(index, o) for o in gateway.options))
        if covered != everything or any(not meaning(index, o) for o in gateway.options):
            return None
    solved = _answer_shares(asked, answers, meaning)
    if solved is None:
        return None
    if OTHERWISE in solved and solved[OTHERWISE] <= _TOLERANCE and len(solved) > 2:
        # the branches name every answer there is: no rest
        del solved[OTHERWISE]
        answers.remove(OTHERWISE)
    if any(share <= _TOLERANCE for share in solved.values()):
        return None  # an answer no run gives: not one question
    shares = shares_of([solved[a] for a in answers])
    everything = frozenset(answers)
    when: dict[str, frozenset[str]] = {}
    for index, gateway in enumerate(asked):
        for node, taken in gateway.taken.items():
            runs = frozenset().union(*(meaning(index, o) for o in taken)) & everything
            when[node] = when.get(node, everything) & runs
    if any(not runs for runs in when.values()):
        return None
    return Merged(
        tuple(answers),
        tuple(shares),
        False,
        {
            node: tuple(a for a in answers if a in runs)
            for node, runs in when.items()
            if runs != everything
        },
    )


def _splitting(asked: Sequence[Asked]) -> dict[str, list[str]]:
    """Each branch name's answers: split at "or" only where a piece is named by another
    branch too ("T1 or T2" beside "T1"), so an answer such as "Email or SMS" that no
    other branch names stays whole."""
    options = {o for a in asked for o in a.options if o.casefold() != OTHERWISE}
    pieces = {option: _split(option) for option in options}
    found: dict[str, list[str]] = {}
    for option, parts in pieces.items():
        elsewhere = {p for other, more in pieces.items() if other != option for p in more}
        found[option] = parts if len(parts) > 1 and elsewhere & set(parts) else [option]
    return found


def _answer_shares(
    asked: Sequence[Asked],
    answers: Sequence[str],
    meaning: Callable[[int, str], frozenset[str]],
) -> dict[str, Decimal] | None:
    """Each answer's share from the branches' shares (the module's docstring)."""
    given = [
        (meaning(index, option), share)
        for index, gateway in enumerate(asked)
        if gateway.shares is not None
        for option, share in zip(gateway.options, gateway.shares, strict=True)
    ]
    if not given:
        return {answer: Decimal(1) / len(answers) for answer in answers}
    known: dict[str, Decimal] = {}
    changed = True
    while changed:
        changed = False
        for group, share in given:
            unknown = [a for a in group if a not in known]
            if len(unknown) == 1:
                value = share - sum((known[a] for a in group if a in known), Decimal(0))
                if value < -_TOLERANCE:
                    return None
                known[unknown[0]] = max(value, Decimal(0))
                changed = True
    rest = 1 - sum(known.values(), Decimal(0))
    unknown = [a for a in answers if a not in known]
    if rest < -_TOLERANCE or (unknown and rest <= 0):
        return None
    for answer in unknown:
        known[answer] = rest / len(unknown)
    for group, share in given:
        if abs(sum((known[a] for a in group), Decimal(0)) - share) > _TOLERANCE:
            return None
    return known


def _merge_yes_no(asked: Sequence[Asked]) -> Merged | None:
    """Yes/no gateways are one question only when the file gives each its share and the
    shares agree: a label such as "Approved?" alone names many separate decisions."""
    if any(gateway.shares is None for gateway in asked):
        return None
    given = [
        share
        for gateway in asked
        if gateway.shares is not None
        for option, share in zip(gateway.options, gateway.shares, strict=True)
        if option.casefold() == "yes"
    ]
    if any(abs(share - given[0]) > _TOLERANCE for share in given):
        return None
    yes = given[0]
    when: dict[str, tuple[str, ...] | bool] = {}
    for gateway in asked:
        for node, taken in gateway.taken.items():
            runs = taken[0].casefold() == "yes"
            if when.get(node, runs) != runs:
                return None  # needs yes and no at once: never runs
            when[node] = runs
    return Merged(("yes", "no"), (yes, 1 - yes), True, when)
