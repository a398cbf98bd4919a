"""Suggestions ("did you mean …?"): the known name a typo most likely is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopkit import load_process
from sopkit.errors import SopkitError
from sopkit.suggest import closest, edit_distance

STEP_FIELDS = ["id", "name", "owner", "with", "time", "wait", "after", "when", "rework"]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("wiat", "wait"),  # two letters swapped: difflib alone offers 'with'
        ("onwer", "owner"),
        ("tiem", "time"),
        ("afer", "after"),
        ("Owner", "owner"),
        ("zzz", None),
    ],
)
def test_the_likeliest_field(typo: str, meant: str | None) -> None:
    assert closest(typo, STEP_FIELDS) == meant


ROLES = ["Marketing Manager", "Designer", "Copywriter", "Writer"]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Desinger", "Designer"),
        ("Copy Writer", "Copywriter"),
        ("marketing manger", "Marketing Manager"),
        # alike to difflib, but another role rather than a typo
        ("Marketing Automation Platform", None),
        ("Marketing Analyst", None),
        ("Engineering Manager", None),
        ("Content Writer", None),
    ],
)
def test_only_a_typo_away_is_offered(typo: str, meant: str | None) -> None:
    assert closest(typo, ROLES) == meant


TEAM = [
    "Marketing Ops Lead",
    "Marketing Manager",
    "Content Marketer",
    "Web Developer",
    "Legal Counsel",
    "SDR",
]


@pytest.mark.parametrize(
    ("short", "meant"),
    [
        ("Legal", "Legal Counsel"),  # whole words left off
        ("Web Dev", "Web Developer"),  # a trial's owner, told only to add a role
        ("web dev", "Web Developer"),
        ("Mktg Ops Lead", "Marketing Ops Lead"),
        ("Marketing Ops", "Marketing Ops Lead"),
        ("Counsel", "Legal Counsel"),
        ("Content Mktr", "Content Marketer"),
        ("M", None),  # one letter is no word shortened
        ("Marketing", None),  # two roles start so: a guess
        ("Web Designer", None),  # a word that is not the role's
        ("Dev Web", None),  # the words out of order
    ],
)
def test_a_name_shortened_word_by_word_is_offered_when_one_fits(
    short: str, meant: str | None
) -> None:
    assert closest(short, TEAM) == meant


def test_edits_count_a_swap_as_one() -> None:
    assert edit_distance("wiat", "wait") == 1
    assert edit_distance("wiat", "with") == 2
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3


@given(st.text(max_size=8), st.lists(st.text(min_size=1, max_size=8), max_size=6))
def test_a_suggestion_is_always_a_known_name(name: str, known: list[str]) -> None:
    found = closest(name, known)
    assert found is None or found in known
    if name in known:
        assert found == name


@given(st.text(max_size=8), st.text(max_size=8))
def test_edits_are_symmetric_and_zero_only_for_the_same_text(a: str, b: str) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert (edit_distance(a, b) == 0) == (a == b)
    assert abs(len(a) - len(b)) <= edit_distance(a, b) <= max(len(a), len(b))


def test_a_swapped_field_name_in_a_file_suggests_the_right_field(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles:\n  Writer: {rate: 40}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h, wiat: 1d}\n",
        encoding="utf-8",
    )
    with pytest.raises(SopkitError) as raised:
        load_process(path)
    assert "unknown field 'wiat'" in str(raised.value)
    assert "did you mean 'wait'?" in str(raised.value.problems[0].hint)


@pytest.mark.parametrize(
    ("name", "known", "meant"),
    [
        ("webinar-promo", ["webinar-promo-email", "blog"], "webinar-promo-email"),
        ("promo-email", ["webinar-promo-email", "blog"], "webinar-promo-email"),
        ("Manager", ["Marketing Manager", "Designer"], "Marketing Manager"),
        # two ids it could be short for: neither is offered
        ("webinar", ["webinar-promo", "webinar-follow-up"], None),
        # inside a word is no word left off
        ("promo", ["webinarpromo"], None),
    ],
)
def test_a_name_with_words_left_off_is_offered_in_full(
    name: str, known: list[str], meant: str | None
) -> None:
    assert closest(name, known) == meant
