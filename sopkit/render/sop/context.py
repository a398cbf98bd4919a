"""What every part of an SOP document is built from, computed once per process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ...analysis.cost import PortfolioCost, ProcessCost
from ...analysis.profile import StepRun, profile
from ...analysis.runs import runs_of
from ...graph import Flow
from ...models import Process, Step
from ..i18n import Catalogue
from ..numbers import money_text
from .views import (
    ProcessRef,
    StepRef,
)


@dataclass(frozen=True, slots=True)
class Money:
    currency: str
    language: str

    def __call__(self, amount: Decimal) -> str:
        return money_text(amount, self.currency, self.language)


class Context:
    """What every part of the document is built from, computed once."""

    def __init__(
        self,
        cost: ProcessCost,
        t: Catalogue,
        money: Money,
        refs: dict[str, StepRef],
        fmt: str,
        site: PortfolioCost | None,
        callers: Sequence[Process] = (),
    ) -> None:
        self.cost = cost
        self.process = cost.process
        self.t = t
        self.money = money
        self.refs = refs
        self.fmt = fmt
        self.site = site
        #: Processes that run this one, when they were costed with it outside a site.
        self.callers = tuple(callers)
        self.runs = runs_of(cost.process)
        self.run = profile(cost.process)
        self.run_steps: dict[str, StepRun] = {s.step.id: s for s in self.run.steps}
        #: A process no one runs on a schedule shows what one run takes instead of a year.
        self.per_run_only = cost.process.frequency is None

    def process_ref(self, process: Process, steps: tuple[StepRef, ...] = ()) -> ProcessRef:
        """Another process, linked when the site has its SOP, else named with its file."""
        href = None
        if self.site is not None and any(p.id == process.id for p in self.site.processes):
            href = f"{process.id}{'.html' if self.fmt == 'html' else '.md'}"
        file = None
        if href is None and process.source_path:
            file = Path(process.source_path).name
        return ProcessRef(process.id, process.name, href, file, steps)


def execution_order(process: Process) -> list[Step]:
    """The steps in the order one run does them: after their ``after`` steps, ties by file order."""
    by_id = {step.id: step for step in process.steps}
    return [by_id[i] for i in Flow.of(process).sorted()]
