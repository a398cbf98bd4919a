"""Hints for an unknown field that is really the rest of a text a comma cut short."""

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
