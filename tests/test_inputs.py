"""``analysis.inputs``: which steps a step's work comes from, in the runs that skip one."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sopkit.analysis.inputs import InputSource, can_meet, input_sources
from sopkit.load import load_process

_PROCESS = textwrap.dedent(
    """\
    sopkit: 1
    id: p
    name: P
    owner: Editor
    frequency: 1/month
    roles:
      Editor: {rate: 50}
    conditions:
      regulated: {question: Regulated?, share: 0.25}
    steps:
      - {id: copy, name: Copy, owner: Editor, time: 1h}
      - {id: art, name: Art, owner: Editor, time: 1h, after: [copy]}
      - {id: legal, name: Legal, owner: Editor, time: 1h, after: [art], when: regulated}
      - {id: note, name: Note, owner: Editor, time: 1h, after: [legal], when: regulated}
      - {id: rare, name: Rare, owner: Editor, time: 1h, after: [copy], per_run: 0.2}
      - {id: post, name: Post, owner: Editor, time: 1h, after: [note, rare, copy]}
    """
)


def test_a_skipped_chain_passes_its_first_inputs_on(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(_PROCESS, encoding="utf-8")
    process = load_process(path)
    # note and legal are skipped together (same condition), so art stands in; rare, done
    # by chance, passes copy on, which post has already; copy runs in every run.
    assert input_sources(process, process.step("post")) == (
        InputSource("note", always=False, otherwise=("art",)),
        InputSource("rare", always=False, otherwise=()),
        InputSource("copy", always=True),
    )
    # legal runs wherever note does: nothing stands in for it there.
    assert input_sources(process, process.step("note")) == (InputSource("legal", always=True),)


def test_two_conditions_can_meet_unless_a_shared_question_has_its_answers_apart() -> None:
    assert can_meet(None, {"tier": ("t1",)})
    assert can_meet({"tier": ("t1", "t2")}, {"tier": ("t2",), "press": True})
    assert not can_meet({"tier": ("t1",)}, {"tier": ("t2",)})
    assert not can_meet({"press": True}, {"press": False})
