"""One question asked at several gateways, read back as one condition (hand-worked)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from sopkit.interop.bpmn.questions import Asked, merge, per_step


def _asked(
    options: tuple[str, ...], shares: tuple[str, ...] | None, **taken: tuple[str, ...]
) -> Asked:
    return Asked(options, None if shares is None else tuple(D(s) for s in shares), taken)


def test_answers_and_shares_come_from_the_branches_that_name_them() -> None:
    # "T1 or T2" is 0.7 of runs, "T1" alone 0.2: T2 is the rest of 0.7, the others 0.3.
    found = merge(
        [
            _asked(("T1 or T2", "otherwise"), ("0.7", "0.3"), landing=("T1 or T2",)),
            _asked(("T1", "otherwise"), ("0.2", "0.8"), analyst=("T1",), faq=("otherwise",)),
        ]
    )
    assert found is not None and not found.yes_no
    assert found.answers == ("T1", "T2", "otherwise")
    assert found.shares == (D("0.2"), D("0.5"), D("0.3"))
    # 'otherwise' of the second gateway is every answer it does not name.
    assert found.when == {
        "landing": ("T1", "T2"),
        "analyst": ("T1",),
        "faq": ("T2", "otherwise"),
    }


def test_without_shares_the_answers_share_equally() -> None:
    found = merge(
        [
            _asked(("A or B", "otherwise"), None, x=("A or B",)),
            _asked(("B", "otherwise"), None, y=("B",)),
        ]
    )
    assert found is not None
    assert found.answers == ("A", "B", "otherwise")
    assert found.shares == (D("0.3334"), D("0.3333"), D("0.3333"))


def test_an_answer_with_or_in_its_name_stays_whole_unless_another_branch_names_a_piece() -> None:
    found = merge(
        [
            _asked(("Either or neither", "Both"), None, x=("Both",)),
            _asked(("Either or neither", "Both"), None, y=("Either or neither",)),
        ]
    )
    assert found is not None and found.answers == ("Either or neither", "Both")
    assert found.shares == (D("0.5"), D("0.5"))


def test_a_step_behind_two_of_the_gateways_runs_where_both_let_it() -> None:
    found = merge(
        [
            _asked(("A or B", "otherwise"), None, x=("A or B",)),
            _asked(("B or C", "otherwise"), None, x=("B or C",)),
        ]
    )
    assert found is not None and found.when == {"x": ("B",)}


def test_answers_and_shares_that_do_not_fit_stay_separate_questions() -> None:
    # 'T1' alone more often than 'T1 or T2': no shares can say both.
    assert (
        merge(
            [
                _asked(("T1 or T2", "otherwise"), ("0.3", "0.7"), a=("T1 or T2",)),
                _asked(("T1", "otherwise"), ("0.5", "0.5"), b=("T1",)),
            ]
        )
        is None
    )
    # One gateway names an answer twice.
    assert (
        merge([_asked(("A or B", "B"), None, a=("B",)), _asked(("A", "otherwise"), None, b=("A",))])
        is None
    )
    # A yes/no question and one with answers.
    assert (
        merge([_asked(("yes", "no"), None, a=("yes",)), _asked(("A", "otherwise"), None, b=("A",))])
        is None
    )
    # A gateway with no default that does not name every answer the others do.
    assert (
        merge([_asked(("A", "B"), None, a=("A",)), _asked(("C", "otherwise"), None, b=("C",))])
        is None
    )
    # A step that needs two answers the gateways never give together never runs.
    assert (
        merge(
            [_asked(("A", "otherwise"), None, x=("A",)), _asked(("B", "otherwise"), None, x=("B",))]
        )
        is None
    )
    assert merge([_asked(("A", "otherwise"), None, a=("A",))]) is None  # one gateway: as before


def test_yes_no_gateways_merge_when_their_shares_agree() -> None:
    found = merge(
        [
            _asked(("yes", "no"), ("0.3", "0.7"), a=("yes",)),
            _asked(("no", "yes"), ("0.7", "0.3"), b=("no",)),
        ]
    )
    assert found is not None and found.yes_no
    assert found.shares[0] == D("0.3") and found.when == {"a": True, "b": False}
    assert (
        merge(
            [
                _asked(("yes", "no"), ("0.3", "0.7"), a=("yes",)),
                _asked(("yes", "no"), ("0.6", "0.4"), b=("yes",)),
            ]
        )
        is None
    )
    # The label alone is not enough: "Approved?" names many separate decisions.
    assert (
        merge([_asked(("yes", "no"), None, a=("yes",)), _asked(("yes", "no"), None, b=("no",))])
        is None
    )


def test_answers_joined_in_korean_and_russian_are_split_too() -> None:
    found = merge(
        [
            _asked(("T1 또는 T2", "otherwise"), None, a=("T1 또는 T2",)),
            _asked(("T1 или T3", "otherwise"), None, b=("T1 или T3",)),
        ]
    )
    assert found is not None and found.answers == ("T1", "T2", "T3", "otherwise")


def test_a_steps_own_draw_is_never_one_question_with_another() -> None:
    assert per_step("Runs this time? (20%)")
    assert per_step("이번 실행에 포함되나요? (20%)") and per_step("Выполняется в этот раз? (50%)")
    assert not per_step("Which launch tier?") and not per_step("Runs this time?")


@given(st.lists(st.integers(min_value=1, max_value=9), min_size=2, max_size=5))
def test_merged_shares_sum_to_one_and_match_every_branch(weights: list[int]) -> None:
    """Gateways each naming one answer alone, with the shares of one true split."""
    total = sum(weights)
    truth = [D(w) / D(total) for w in weights]
    names = [f"A{i}" for i in range(len(weights))]
    asked = [
        _asked((name, "otherwise"), (str(share), str(1 - share)), **{f"s{i}": (name,)})
        for i, (name, share) in enumerate(zip(names, truth, strict=True))
    ]
    found = merge(asked)
    assert found is not None
    assert sum(found.shares) == 1
    for name, share in zip(names, truth, strict=True):
        assert abs(found.shares[found.answers.index(name)] - share) <= D("0.0002")


def test_equal_shares_round_to_a_tie_won_by_the_first_branch() -> None:
    # A third each rounds to 0.3333 three times: 0.0001 is left over. Given to the last
    # branch, it made that one the typical run's answer; the first listed wins a tie.
    from sopkit.interop.bpmn.questions import shares_of

    assert shares_of([D(1)] * 3) == [D("0.3334"), D("0.3333"), D("0.3333")]
    # Unequal ones: what is left over goes to the largest, which stays the largest.
    assert shares_of([D(1), D(2), D(2), D(2)]) == [
        D("0.1429"),
        D("0.2857"),
        D("0.2857"),
        D("0.2857"),
    ]
    assert sum(shares_of([D(1)] * 7)) == 1
