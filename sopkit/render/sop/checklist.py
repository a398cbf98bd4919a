"""A run checklist: one checkbox per step, in execution order.

Paste it into a project-management task, or ship it as a GitHub/GitLab issue
template (``fmt="github-issue"`` adds the template's YAML front matter):

    # Product launch — run checklist
    …
    - [ ] 1. **Competitor analysis and keyword research** — SEO Specialist · done when: …
    - [ ] 2. **Legal review** — Sign-off by Legal Counsel · done when: …
      - *Only when: Is this a tier-1 launch? — yes, about 30% of runs*
    - [ ] 3. **Channel assets** — for each of 3–7 items: run “Channel asset” (asset.yaml) · …
      - [ ] item 1
      …
      - [ ] item 7, if there is one
    - [ ] 4. **Launch is live** — milestone: tick it when it happens
    - [ ] 5. **Messaging sign-off** — Sign-off by Head of Marketing · … · then wait 1 day
      - *If rejected (in 25% of sign-offs), the work goes back to step 3, “Channel
        assets”: steps 3–5 are done again, so untick their boxes.*

The notes under a box are sub-items, not continuation lines: GitHub would run a
continuation into the box's line. ``fmt="html"`` is the same list as one
self-contained page: real checkboxes to tick on screen (no script, so a reload
clears them), which print as boxes to tick with a pen.

Boxes are numbered like the SOP's steps, so "goes back to step 3" finds its box,
and a rework note names every box whose work is done again: those of the rework
loop, which the costs count as repeated too.

A step that runs another process several times has a box to tick for each run
(those past the least count "if there is one"), or, past ``RUN_BOXES`` runs, a
line to write how many were done; its process is named with its file, and in a
site its own checklist is linked (``procedures``), where the person doing each
run finds that process's steps.

A conditional step is marked with the SOP's words (``wording``): "Only when",
not "optional", since in the runs its condition names it is required. A step
done in only some runs by chance (``per_run`` below 1) says in what share.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ...analysis.cost import ProcessCost
from ...analysis.runs import ReworkLoop, rework_loops
from ...errors import UsageError
from ...models import Process, Step
from ..diagram.metrics import wrap_text
from ..i18n import Catalogue, catalogue
from ..numbers import share_text
from .context import execution_order
from .templates import render_template
from .views import StepRef
from .wording import (
    condition_text,
    count_mean,
    due_text,
    kind_label,
    participants_text,
    rework_text,
    wait_text,
)

__all__ = [
    "FORMATS",
    "RUN_BOXES",
    "Checklist",
    "ChecklistItem",
    "ProcedureLink",
    "checklist",
    "render_checklist",
]

#: ``markdown``: the list alone; ``github-issue``: with issue-template front matter;
#: ``html``: one self-contained page of checkboxes to tick on screen or print.
FORMATS = ("markdown", "github-issue", "html")
#: The template each format is rendered with.
_TEMPLATES = {
    "markdown": "checklist.md.j2",
    "github-issue": "checklist.md.j2",
    "html": "checklist.html.j2",
}
#: The label every generated issue template carries, besides the process's tags.
LABEL = "sop"
#: The most runs of a called process a box gives a tick each; more get a line to fill in.
RUN_BOXES = 10


@dataclass(frozen=True, slots=True)
class ProcedureLink:
    """A link to the checklist of the process a step runs (a site's page beside this one)."""

    href: str
    #: ``Checklist of “Launch asset review”``.
    text: str


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One box: a step, who does it and how to tell it is done.

    ``kind`` is ``"work"``, ``"milestone"`` or ``"call"``; ``call`` then says
    what to run (``for each of 3–7 items: run “Channel asset” (asset)``).
    """

    number: int
    id: str
    name: str
    owner: str
    done_when: str | None
    kind: str = "work"
    approval: bool = False
    #: ``Product Manager, 2 × Engineering Manager``: who works on it with the owner.
    participants: str | None = None
    #: ``Is this a tier-1 launch? — yes, about 30% of runs``: the only runs that do it.
    condition: str | None = None
    call: str | None = None
    #: ``system, already automated`` or ``external party`` for an owner outside the team.
    owner_kind: str | None = None
    #: ``10 times per run`` (or ``in 20% of runs``) for a step whose ``per_run`` is not 1;
    #: ``in 50% of the runs it applies to`` for a conditional one.
    repeats: str | None = None
    #: ``10 working days before “Launch day”``: when the box must be ticked.
    due: str | None = None
    #: ``then wait 1 working day``: time that passes before the next step can start.
    wait: str | None = None
    #: ``If rejected (in 25% of sign-offs), the work goes back to step 7, “Positioning”:
    #: steps 7–9 are done again, so untick their boxes.``
    rework: str | None = None
    #: The numbers of the boxes the rework sends back (its loop's steps), to tick again.
    redo: tuple[int, ...] = ()
    #: A call's ticks, one per run of its process: ``item 1``, ``item 3, if there is
    #: one`` (past the least count); none for a single run or more than ``RUN_BOXES``.
    runs: tuple[str, ...] = ()
    #: ``Runs done: ____ of 12–20``: the line to fill in instead, for more runs.
    runs_count: str | None = None
    #: The called process's own checklist, in a site.
    procedure: ProcedureLink | None = None
    #: Printed, taller than a third of a page (``_long``): the page may break inside it.
    long: bool = False


@dataclass(frozen=True, slots=True)
class Checklist:
    """What the checklist template shows; ``front_matter`` only for issue templates.

    The links are for an HTML checklist in a site (relative URLs), so a person who
    ticks it can reach the SOP that explains each step; ``None`` elsewhere.
    """

    language: str
    id: str
    title: str
    owner: str
    items: tuple[ChecklistItem, ...]
    front_matter: str | None
    #: The site's dashboard.
    home: str | None = None
    #: The process's SOP page.
    sop: str | None = None
    #: The same checklist in Markdown, to paste into a task or an issue.
    markdown: str | None = None


def render_checklist(
    cost_or_process: ProcessCost | Process,
    fmt: str = "markdown",
    *,
    home: str | None = None,
    sop: str | None = None,
    markdown: str | None = None,
    procedures: Mapping[str, str] | None = None,
) -> str:
    """The checklist for one run of a process, as Markdown or one HTML page.

    Args:
        cost_or_process: the process (costs are not needed; a ``ProcessCost`` works too).
        fmt: ``"markdown"``; ``"github-issue"`` for a file to save as
            ``.github/ISSUE_TEMPLATE/<id>.md`` (YAML front matter: name,
            about, title, labels); or ``"html"``, one self-contained page
            whose boxes can be ticked on screen and print as boxes.
        home: an HTML page's link back to the site's dashboard (``sopkit build``
            gives ``../index.html``).
        sop: an HTML page's link to the process's SOP.
        markdown: an HTML page's link to the same checklist in Markdown.
        procedures: called process id → its checklist, relative to this page
            (``sopkit build`` gives ``<id>.checklist.html``, or ``.md`` beside a
            Markdown checklist): a box that runs it links there.

    Raises:
        UsageError: for an unknown format.
    """
    process = (
        cost_or_process.process if isinstance(cost_or_process, ProcessCost) else cost_or_process
    )
    if fmt not in FORMATS:
        raise UsageError(
            f"unknown checklist format '{fmt}'", hint="use one of: " + ", ".join(FORMATS)
        )
    data = checklist(process, issue_template=fmt == "github-issue", procedures=procedures)
    if fmt == "html":
        data = replace(data, home=home, sop=sop, markdown=markdown)
    return render_template(_TEMPLATES[fmt], doc=data, t=catalogue(data.language))


def checklist(
    process: Process,
    *,
    issue_template: bool = False,
    procedures: Mapping[str, str] | None = None,
) -> Checklist:
    """The checklist's content: steps in execution order, numbered like the SOP.

    ``procedures`` links a call's box to its process's checklist (``render_checklist``).
    """
    t = catalogue(process.language.value)
    order = execution_order(process)
    refs = {step.id: StepRef(n, step.id, step.name) for n, step in enumerate(order, start=1)}
    loops = rework_loops(process)
    items = tuple(_item(process, refs[step.id].number, step, t, refs, loops) for step in order)
    items = tuple(_with_runs(process, item, t, procedures or {}) for item in items)
    items = tuple(replace(item, long=_long(item)) for item in items)
    return Checklist(
        language=t.language,
        id=process.id,
        title=t("checklist.title", name=process.name),
        owner=process.owner,
        items=items,
        front_matter=_front_matter(process, t) if issue_template else None,
    )


def _item(
    process: Process,
    number: int,
    step: Step,
    t: Catalogue,
    refs: dict[str, StepRef],
    loops: dict[str, tuple[ReworkLoop, ...]],
) -> ChecklistItem:
    redo = _redo(step, refs, loops)
    return ChecklistItem(
        number,
        step.id,
        step.name,
        step.owner or "",
        _after_colon(step.done_when, more=not step.wait.is_zero),
        kind="milestone" if step.milestone else "call" if step.is_call else "work",
        approval=step.approval,
        participants=participants_text(step, t),
        condition=condition_text(process, step, t),
        call=_call(process, step, t) if step.is_call else None,
        owner_kind=kind_label(process.role(step.owner), t) if step.owner else None,
        repeats=_repeats(step, t),
        due=due_text(process, step, t),
        wait=wait_text(step, process.settings.clock, t),
        rework=_rework(step, refs, redo, t),
        redo=redo,
    )


def _after_colon(text: str | None, *, more: bool) -> str | None:
    """A step's ``done_when`` as the checklist's line goes on after "done when:": a
    Russian sentence starts in lower case after a colon ("готово, когда: утверждены…",
    not "Утверждены"; an acronym such as "CRM" or a Latin brand name keeps its case),
    and its full stop goes where more of the line follows (" · then wait …")."""
    if not text:
        return text
    text = text.strip()
    if more and text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    first, second = text[0], text[1:2]
    if "А" <= first <= "Я" or first == "Ё":
        if second.islower():
            text = first.lower() + text[1:]
    return text


def _redo(
    step: Step, refs: dict[str, StepRef], loops: dict[str, tuple[ReworkLoop, ...]]
) -> tuple[int, ...]:
    """The boxes done again when ``step`` sends work back: its loop's steps, the same the
    costs count as repeated (a step on a parallel branch inside the loop is one of them)."""
    if step.rework is None or step.rework.probability == 0 or step.rework.to not in refs:
        return ()
    inside = [sid for sid, found in loops.items() if any(lp.step == step.id for lp in found)]
    return tuple(sorted(refs[sid].number for sid in inside if sid in refs))


def _rework(
    step: Step, refs: dict[str, StepRef], redo: tuple[int, ...], t: Catalogue
) -> str | None:
    """The SOP's rework sentence, and which boxes to untick and do again.

    A person who ticked boxes 4 and 5 and is sent back to step 4 would otherwise
    see a list that says both are done. A step sent back to itself keeps the
    SOP's words: its box is ticked once it passes.
    """
    said = rework_text(step, refs, t)
    if said is None or step.rework is None or step.rework.to == step.id or len(redo) < 2:
        return said
    target = refs[step.rework.to]
    share = share_text(step.rework.probability, t.language)
    return t(
        "checklist.rework_rejected" if step.approval else "checklist.rework",
        share=share,
        number=target.number,
        name=target.name,
        steps=_numbers(redo, t),
    )


def _numbers(numbers: tuple[int, ...], t: Catalogue) -> str:
    """``4–5``, ``10–15 and 18``: box numbers, runs of consecutive ones as a range, joined
    with the language's "and" (Babel)."""
    from babel.lists import format_list

    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return format_list(spans, locale=t.language)


def _repeats(step: Step, t: Catalogue) -> str | None:
    """How many times one run does the step, as its ``per_run`` says (rework aside: a
    box is ticked when the work is done, however often it went back).

    A conditional step counts within the runs its condition names, as the SOP says:
    "in 50% of runs" beside "Only when: …, about 30% of runs" would read as 50% of all.
    """
    if step.per_run == 1 or not step.is_work:
        return None
    if step.when:
        if step.per_run < 1:
            return t("per_run.share_when", share=share_text(step.per_run, t.language))
        return t("per_run.times_when", step.per_run)
    if step.per_run < 1:
        return t("per_run.share", share=share_text(step.per_run, t.language))
    return t("per_run.times", step.per_run)


def _call(process: Process, step: Step, t: Catalogue) -> str:
    """``for each of 3–7 items: run “Channel asset” (asset.yaml)``; the name and file as
    loaded, if it was (else its id)."""
    assert step.process is not None
    name, file = _callee(process, step.process)
    count = step.count
    if count is not None and count.is_range:
        # The list a person ticks off says what they will meet: 2–3 speakers, not "about 2.5".
        low, high = _plain(count.low, t), _plain(count.high, t)
        return t("checklist.call_range", low=low, high=high, name=name, file=file)
    return t("checklist.call", count_mean(count), name=name, file=file)


#: The printed page (``checklist.html.j2``'s print style), in points: the text's width in a
#: box on Letter, the narrower page (16 mm margins less the box's padding, tick and
#: gap), a third of the height of Letter's page less its margins, the height of a line of
#: 10 pt text, and what a box and a note add to their lines (padding and margins).
_PRINT_WIDTH = 480.0
_PRINT_THIRD = 230.0
_PRINT_LINE = 15.5
_BOX_EXTRA = 20.0
_NOTE_EXTRA = 10.0


def _long(item: ChecklistItem) -> bool:
    """Whether the printed box is taller than a third of a page, its lines measured with
    the widest of the fonts it may be printed in: a box that tall moved whole to the
    next page would leave at least that much blank."""
    said = [item.name, item.owner, item.call, item.participants, item.repeats, item.due]
    said += [item.done_when, item.wait]
    label = " · ".join(part for part in said if part)
    notes = [note for note in (item.condition, item.rework, item.runs_count) if note]
    if item.runs:
        notes.append("    ".join(item.runs))
    lines = len(wrap_text(label, _PRINT_WIDTH, 10))
    height = _BOX_EXTRA + lines * _PRINT_LINE
    for note in notes:
        height += _NOTE_EXTRA + len(wrap_text(note, _PRINT_WIDTH - 14, 10)) * _PRINT_LINE
    return height > _PRINT_THIRD


def _callee(process: Process, called: str) -> tuple[str, str]:
    """The name and the file of the process a step runs, its id for both when not loaded."""
    callee = process.callees.get(called)
    if callee is None:
        return called, called
    return callee.name, Path(callee.source_path).name if callee.source_path else called


def _with_runs(
    process: Process, item: ChecklistItem, t: Catalogue, procedures: Mapping[str, str]
) -> ChecklistItem:
    """A call's box with a tick for each run of its process (past the least count, "if
    there is one"), or a line to fill in past ``RUN_BOXES``, and its checklist's link.

    A count that is not whole (an average of 2.5) may mean 2 runs or 3.
    """
    step = process.step(item.id)
    if step.process is None:
        return item
    href = procedures.get(step.process)
    link = None
    if href is not None:
        link = ProcedureLink(href, t("checklist.procedure", name=_callee(process, step.process)[0]))
    count = step.count
    least = math.floor(count.low) if count is not None else 1
    most = math.ceil(count.high) if count is not None else 1
    if most <= 1:
        return replace(item, procedure=link)
    assert count is not None  # more than one run
    if most > RUN_BOXES:
        low, high = _plain(count.low, t), _plain(count.high, t)
        shown = f"{low}–{high}" if low != high else low
        return replace(item, runs_count=t("checklist.runs_count", count=shown), procedure=link)
    runs = tuple(
        t("checklist.run" if n <= least else "checklist.run_maybe", n) for n in range(1, most + 1)
    )
    return replace(item, runs=runs, procedure=link)


def _plain(value: Decimal, t: Catalogue) -> str:
    from ..numbers import hours_text

    return hours_text(value, t.language)


def _front_matter(process: Process, t: Catalogue) -> str:
    """Issue-template front matter; JSON strings are valid YAML, so every value is quoted."""
    labels = list(dict.fromkeys([LABEL, *process.tags]))
    fields = {
        "name": t("checklist.title", name=process.name),
        "about": t("checklist.about", name=process.name),
        "title": f"{process.name}: ",
        "labels": labels,
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"
