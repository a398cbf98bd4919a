"""``labels.bracketed``: a bracketed group that fits on a line is kept whole, in time
linear in the label's words."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from sopkit.render.labels import bracketed, wrap

_OPENING, _CLOSING = "([（", ")]）"


def _quadratic(found: list[str], fits: Callable[[str], bool]) -> list[str]:
    """The scan ``bracketed`` did before it was made linear: from each word, forward to
    where its brackets close. The new one must give the same words."""
    out: list[str] = []
    index = 0
    while index < len(found):
        depth, end = 0, index
        for end in range(index, len(found)):
            depth += sum(found[end].count(c) for c in _OPENING)
            depth -= sum(found[end].count(c) for c in _CLOSING)
            if depth <= 0:
                break
        group = " ".join(found[index : end + 1])
        if end > index and depth <= 0 and fits(group):
            out.append(group)
            index = end + 1
        else:
            out.append(found[index])
            index += 1
    return out


_WORDS = st.lists(
    st.text(alphabet="ab(（)]）[ ₩1", min_size=1, max_size=6).map(lambda w: w.replace(" ", "")),
    max_size=30,
).map(lambda words: [w for w in words if w])


@given(found=_WORDS, width=st.integers(min_value=1, max_value=40))
def test_bracketed_keeps_its_groups(found: list[str], width: int) -> None:
    def fits(text: str) -> bool:
        return len(text) <= width

    assert bracketed(found, fits) == _quadratic(found, fits)


def test_many_unclosed_brackets_are_words_of_their_own() -> None:
    """3,000 unclosed "(" took 4.4 s (each word scanned on to the label's end); no group
    closes, so none is measured and the words stay as they are. (Speed is for the
    benchmarks, not a test's clock.)"""
    found = ["(x"] * 5000
    asked: list[str] = []
    assert bracketed(found, lambda group: asked.append(group) or True) == found
    assert asked == []
    label = " ".join(found)
    assert "".join(wrap(label, 20)).replace(" ", "") == label.replace(" ", "")
