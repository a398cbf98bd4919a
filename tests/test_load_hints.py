"""Hints for an unknown field that is really the rest of a text or a number a comma cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopkit.errors import SopkitError
from sopkit.load import load_process

COMMA = "a comma inside {...} ends the value before it"
PROCESS = """\
sopkit: 1
id: webinar
name: Webinar
owner: Host
frequency: 1/month
roles:
  Host: {{rate: 50}}
  Speaker: {{kind: external, description: {description}}}
steps:
  - {{id: talk, name: Talk, owner: Host, time: 1h, with: [Speaker]}}
"""


def _hint(tmp_path: Path, description: str) -> str | None:
    path = tmp_path / "webinar.yaml"
    path.write_text(PROCESS.format(description=description), encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        load_process(path)
    return caught.value.first.hint


@pytest.mark.parametrize(
    "description",
    [
        "Customer or industry expert, unpaid",  # one word cut off: a trial saw no hint
        "Customer or industry expert, unpaid and busy",
        "An expert, unpaid, busy",
    ],
)
def test_the_rest_of_a_text_a_comma_cut_is_told_to_quote_it(
    tmp_path: Path, description: str
) -> None:
    assert COMMA in (_hint(tmp_path, description) or "")


def test_a_bare_unknown_word_with_no_comma_before_it_is_not_a_cut(tmp_path: Path) -> None:
    path = tmp_path / "webinar.yaml"
    text = PROCESS.format(description="An expert").replace("{kind:", "{unpaid, kind:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        load_process(path)
    assert COMMA not in (caught.value.first.hint or "")


# --- a number a comma cut in braces ---------------------------------------------------

NUMBERS = """\
sopkit: 1
id: webinar
name: Webinar
owner: Host
frequency: 1/month
roles:
  Host: {{rate: {rate}}}
expenses:
  - {{name: Ads, amount: {amount}, per: run}}
steps:
  - {{id: talk, name: Talk, owner: Host, time: {time}}}
  - id: post
    name: Post
    owner: Host
    time: 1h
    automation: {{share: 0.5, tool: Bot, tool_cost: {tool_cost}}}
"""
PLAIN = {"rate": "50", "amount": "1500", "time": "1h", "tool_cost": "1200/year"}


@pytest.mark.parametrize(
    ("field", "written", "line"),
    [
        # A trial saw "amount: '$1' is not an amount" and "unknown field '500'".
        (
            "amount",
            "$1,500",
            "9:25: error: expenses: item 1: amount: '$1,500' is cut at the comma: a comma "
            "inside { } separates fields (write 1500, the number alone: the currency is set "
            "in roles.yaml; no thousands separator)",
        ),
        # 1,500 read as amount: 1 and a field '500': only the field was reported.
        (
            "amount",
            "1,500",
            "9:25: error: expenses: item 1: amount: '1,500' is cut at the comma: a comma "
            "inside { } separates fields (write 1500: no thousands separator)",
        ),
        (
            "amount",
            "1,500,000.50",
            "9:25: error: expenses: item 1: amount: '1,500,000.50' is cut at its commas: a "
            "comma inside { } separates fields (write 1500000.50: no thousands separator)",
        ),
        (
            "rate",
            "USD 1, 100",
            "7:16: error: role 'Host': rate: 'USD 1, 100' is cut at the comma: a comma inside "
            "{ } separates fields (write 1100, the number alone: the currency is set in "
            "roles.yaml; no thousands separator)",
        ),
        (
            "tool_cost",
            "$1,200/year",
            "16:52: error: step 'post': automation: tool_cost: '$1,200/year' is cut at the "
            "comma: a comma inside { } separates fields (write 1200/year, the number alone: "
            "the currency is set in roles.yaml; no thousands separator)",
        ),
        (
            "time",
            "1,5h",
            "11:47: error: step 'talk': time: '1,5h' is cut at the comma: a comma inside { } "
            "separates fields (write 1.5h: a decimal point, not a comma)",
        ),
    ],
)
def test_a_number_a_comma_cut_in_braces_is_one_problem_saying_how_to_write_it(
    tmp_path: Path, field: str, written: str, line: str
) -> None:
    path = tmp_path / "webinar.yaml"
    path.write_text(NUMBERS.format(**{**PLAIN, field: written}), encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        load_process(path)
    assert [p.format() for p in caught.value.problems] == [f"{path}:{line}"]


def test_a_text_ending_in_a_number_is_no_cut_number(tmp_path: Path) -> None:
    path = tmp_path / "webinar.yaml"
    text = NUMBERS.format(**PLAIN).replace("name: Talk,", "name: Part 1, 2 weeks,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        load_process(path)
    (problem,) = caught.value.problems
    assert problem.message == "step 'talk': unknown field '2 weeks'"
    assert COMMA in (problem.hint or "")
