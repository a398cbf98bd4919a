"""A run checklist: one Markdown checkbox per step, in execution order.

Paste it into a project-management task, or ship it as a GitHub/GitLab issue
template (``fmt="github-issue"`` adds the template's YAML front matter):

    - [ ] **Competitor analysis and keyword research** — SEO Specialist · done when: …
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ...analysis.cost import ProcessCost
from ...errors import UsageError
from ...models import Process
from ..i18n import Catalogue, catalogue
from .document import execution_order
from .templates import render_template

__all__ = ["FORMATS", "Checklist", "ChecklistItem", "checklist", "render_checklist"]

#: ``markdown``: the list alone; ``github-issue``: with issue-template front matter.
FORMATS = ("markdown", "github-issue")
#: The label every generated issue template carries, besides the process's tags.
LABEL = "sop"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One box: a step, who does it and how to tell it is done."""

    number: int
    id: str
    name: str
    owner: str
    done_when: str | None


@dataclass(frozen=True, slots=True)
class Checklist:
    """What the checklist template shows; ``front_matter`` only for issue templates."""

    language: str
    id: str
    title: str
    owner: str
    items: tuple[ChecklistItem, ...]
    front_matter: str | None


def render_checklist(cost_or_process: ProcessCost | Process, fmt: str = "markdown") -> str:
    """The checklist for one run of a process, as Markdown.

    Args:
        cost_or_process: the process (costs are not needed; a ``ProcessCost`` works too).
        fmt: ``"markdown"``, or ``"github-issue"`` for a file to save as
            ``.github/ISSUE_TEMPLATE/<id>.md`` (YAML front matter: name,
            about, title, labels).

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
    data = checklist(process, issue_template=fmt == "github-issue")
    return render_template("checklist.md.j2", doc=data, t=catalogue(data.language))


def checklist(process: Process, *, issue_template: bool = False) -> Checklist:
    """The checklist's content: steps in execution order, numbered like the SOP."""
    t = catalogue(process.language.value)
    items = tuple(
        ChecklistItem(number, step.id, step.name, step.owner or "", step.done_when)
        for number, step in enumerate(execution_order(process), start=1)
    )
    return Checklist(
        language=t.language,
        id=process.id,
        title=t("checklist.title", name=process.name),
        owner=process.owner,
        items=items,
        front_matter=_front_matter(process, t) if issue_template else None,
    )


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
