"""What an SOP template sees: the document, formatted, as frozen dataclasses.

Every figure is already rounded and every label translated, so a team's own
template lays things out and never does arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Item:
    """A label and its value, both already formatted, with an optional second line."""

    label: str
    value: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class StepRef:
    """A pointer to a step by its number in the procedure."""

    number: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class InputView:
    """A step the work comes from; for one that runs only in some runs, its condition and
    where the work comes from in the runs that skip it (a skipped step passes its own
    inputs on, as the typical run and the simulation take it)."""

    step: StepRef
    #: ``Is this regulated? — yes, about 25% of runs``; ``None`` for a step of every run.
    condition: str | None = None
    #: The steps the work comes from when it is skipped, not already among the inputs.
    otherwise: tuple[StepRef, ...] = ()
    #: ``in 20% of runs`` for a step done by chance (``per_run`` below 1), ``in 20% of
    #: those runs`` beside a condition; ``None`` for a step done in every run it has.
    chance: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessRef:
    """Another process: one this process runs, or one that runs it.

    ``href`` is a relative link to its SOP in the same folder and format
    (``asset.html``) when the SOP is part of a site that has that page;
    otherwise ``file`` names the process file, so a reader can find it.
    """

    id: str
    name: str
    href: str | None
    file: str | None
    #: The steps of the other process that run this one (for "called by").
    steps: tuple[StepRef, ...] = ()
    #: Those steps in words, to follow the name: ``step 4. Feature write-ups``.
    steps_text: str | None = None


@dataclass(frozen=True, slots=True)
class CallView:
    """What a step that runs another process runs, how often, and what one run of it takes."""

    process: ProcessRef
    #: Times per execution of the step: ``3–7 times each time, about 5 on average``.
    count: str
    #: Runs of it per run of this process, rework and conditions included.
    runs: str
    #: One run of the called process: hours and cost.
    one_run: str


@dataclass(frozen=True, slots=True)
class StepView:
    """One numbered step of the procedure; ``None`` or empty fields are left out.

    ``kind`` is ``"work"``, ``"milestone"`` (an event with no work) or ``"call"``
    (the step runs another process, ``call``).
    """

    number: int
    id: str
    name: str
    owner: str
    time: str
    wait: str | None
    inputs: tuple[StepRef, ...]
    done_when: str | None
    instructions: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    tools: tuple[str, ...]
    repeats: str | None
    rework: str | None
    automation: str | None
    annual: str
    critical: bool
    kind: str = "work"
    #: The owner's kind when it is not staff: ``external party``, ``system, already automated``.
    owner_kind: str | None = None
    #: Who works on it with the owner: ``Product Manager, 2 × Engineering Manager``.
    participants: str | None = None
    #: When it runs only in some runs: ``Is this a tier-1 launch? — yes, about 30% of runs``.
    condition: str | None = None
    approval: bool = False
    call: CallView | None = None
    #: Cash spent each time: ``$500.00 per execution``.
    expense: str | None = None
    #: When it must be done: ``10 working days before “Launch day”``.
    due: str | None = None
    #: ``inputs`` with each conditional one's condition and what stands in when it is
    #: skipped (``inputs`` stays the bare steps, for team templates that list them).
    inputs_from: tuple[InputView, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleView:
    """A role, the steps it works on and its hours and cost (a year, or one run)."""

    role: str
    description: str | None
    steps: tuple[StepRef, ...]
    annual_hours: str
    annual_cost: str
    #: ``external party`` or ``system, already automated``; ``None`` for staff.
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerView:
    """One answer to a condition, the share of runs that give it and the steps it brings."""

    answer: str
    share: str
    steps: tuple[StepRef, ...]


@dataclass(frozen=True, slots=True)
class ConditionView:
    """A question each run answers, with its answers."""

    question: str
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True, slots=True)
class SignoffView:
    """A sign-off: which step, who approves, what happens if they reject."""

    step: StepRef
    role: str
    #: ``back to step 2, “Launch visuals” (in 25% of sign-offs)``; ``None`` without rework.
    rejected: str | None
    condition: str | None


@dataclass(frozen=True, slots=True)
class ExpenseView:
    """One cash cost: a step's own, a called process's, or the process's."""

    what: str
    step: StepRef | None
    amount: str
    per_run: str
    per_year: str


@dataclass(frozen=True, slots=True)
class ToolView:
    """A tool and the steps that use it (none: it serves the whole process)."""

    name: str
    steps: tuple[StepRef, ...]


@dataclass(frozen=True, slots=True)
class CandidateView:
    """An automation candidate of this process or of a procedure it runs, with its saving."""

    step: StepRef
    owner: str
    share: str
    tool: str | None
    net_saving: str
    payback: str
    #: Where the tool is paid for when it costs nothing here ("paid for on “Draft”"), or "".
    tool_paid: str = ""
    #: The procedure the step belongs to (``step`` is numbered as in its SOP, which
    #: ``href`` links on a site), or ``None`` for a step of this process.
    procedure: ProcessRef | None = None
    #: A procedure's step in words, said instead of this SOP's number: ``“Review” in
    #: Feature write-up, run at step 4. Feature write-ups``.
    where: str = ""


@dataclass(frozen=True, slots=True)
class DiagramPage:
    """One printed page of the diagram: an inline SVG sized in mm, and its caption."""

    svg: Markup
    caption: str


@dataclass(frozen=True, slots=True)
class Diagram:
    """The workflow diagram: inline SVG for the screen and its printed pages (HTML), or
    Mermaid source (Markdown, or when the SVG could not be drawn, with the reason).

    Neither when the diagram was left out on request; ``omitted`` then says so
    in the document's language.
    """

    svg: Markup | None
    mermaid: str | None
    omitted: str | None = None
    pages: tuple[DiagramPage, ...] = ()
    reason: str | None = None
    #: The lane headers alone, laid over ``svg`` to stay in view when it scrolls.
    headers: Markup | None = None
    #: How wide ``svg`` may be shown on screen (fitted to the page, never below legible):
    #: CSS custom properties for the ``style`` of its box (see ``screen.ScreenSize``).
    sizes: str | None = None
    #: Under Mermaid source too large to read at a Markdown page's width: where to see
    #: the diagram full size (Markdown, its link or command already written).
    note: Markup | None = None


@dataclass(frozen=True, slots=True)
class SopDocument:
    """Everything an SOP template shows, formatted for the process's language."""

    language: str
    id: str
    title: str
    owner: str
    header: tuple[Item, ...]
    purpose: str | None
    trigger: str | None
    frequency: str
    roles: tuple[RoleView, ...]
    tools: tuple[ToolView, ...]
    steps: tuple[StepView, ...]
    diagram: Diagram
    figures: tuple[Item, ...]
    candidates: tuple[CandidateView, ...]
    footer: str
    #: Where the simulated ranges among the figures come from (none without ranges).
    figures_note: str | None = None
    conditions: tuple[ConditionView, ...] = ()
    signoffs: tuple[SignoffView, ...] = ()
    expenses: tuple[ExpenseView, ...] = ()
    #: The totals row of ``expenses``: per run and per year.
    expense_total: ExpenseView | None = None
    #: The processes that run this one (known when it is costed with them).
    called_by: tuple[ProcessRef, ...] = ()
    #: The process has no runs of its own: figures are per run, not per year.
    per_run_only: bool = False
    #: The site's dashboard, for a link back to it (an HTML SOP in a site only).
    home: str | None = None
    #: What the steps' "Critical path" badge means, said once before the steps; ``None``
    #: when no step carries it.
    critical_note: str | None = None
    #: The process's run checklist page, linked from the top (an HTML SOP in a site only).
    checklist: str | None = None


#: What docs/templates.md calls each view, where a heading of that name lists its
#: fields; a template error names a view by it too ("step has no field 'ownr'").
VIEW_NAMES: dict[type, str] = {
    SopDocument: "doc",
    StepView: "step",
    CallView: "call",
    StepRef: "step reference",
    InputView: "input",
    ProcessRef: "process reference",
    Item: "item",
    RoleView: "role",
    ToolView: "tool",
    ConditionView: "condition",
    AnswerView: "answer",
    SignoffView: "sign-off",
    ExpenseView: "expense",
    CandidateView: "candidate",
    Diagram: "diagram",
    DiagramPage: "diagram page",
}
