"""A process file: its review block, conditions, expenses and steps."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
)

from ..errors import UsageError
from ..source import SourceMap
from .common import ProcessAccept, Slug, Text, TextList, _fail, _Model
from .roles import Date, Language, Role, Settings
from .steps import Condition, Expense, Step
from .values import FrequencyField

# --- the review block and the process ---------------------------------------------------


class Review(_Model):
    """Who approved this version of the SOP, and when it is due for review again."""

    version: Text
    last_reviewed: Date | None = None
    next_review: Date | None = None
    approver: Text | None = None


def _format_version(value: Any) -> Any:
    if isinstance(value, bool):
        raise _fail("unsupported format version", "this sopkit reads format version 1: 'sopkit: 1'")
    return value


class Process(_Model):
    """A marketing process: a graph of steps, run at a given frequency."""

    sopkit: Annotated[Literal[1], BeforeValidator(_format_version)] = Field(
        description="format version; always 1"
    )
    id: Slug
    name: Text
    owner: Text
    purpose: Text | None = None
    trigger: Text | None = None
    frequency: FrequencyField | None = Field(
        default=None,
        description="how often it runs; none for a process that only other processes run",
    )
    language: Language = Language.EN
    tools: TextList = Field(default_factory=list)
    tags: TextList = Field(default_factory=list)
    review: Review | None = None
    roles: dict[Text, Role] = Field(default_factory=dict)
    conditions: dict[Slug, Condition] = Field(default_factory=dict)
    expenses: list[Expense] = Field(default_factory=list, max_length=10_000)
    steps: Annotated[list[Step], Field(min_length=1, max_length=100_000)]
    accept: ProcessAccept = Field(default_factory=list)

    _settings: Settings = PrivateAttr(default_factory=Settings)
    _base_settings: Settings = PrivateAttr(default_factory=Settings)
    _source_path: str | None = PrivateAttr(default=None)
    _settings_path: str | None = PrivateAttr(default=None)
    _source: SourceMap | None = PrivateAttr(default=None)
    _callees: dict[str, Process] = PrivateAttr(default_factory=dict)

    # The bound values are read once per step by costing and checks. Pydantic's own
    # route to a private attribute (``__getattr__``) takes about 2 µs a read; its
    # ``__pydantic_private__`` dict takes a twentieth of that.
    def _private(self, name: str) -> Any:
        private = self.__pydantic_private__
        assert private is not None
        return private[name]

    @property
    def settings(self) -> Settings:
        """Effective settings: the roles file with this process's own rates on top."""
        settings: Settings = self._private("_settings")
        return settings

    @property
    def base_settings(self) -> Settings:
        """The settings as the roles file gave them, before this process's own ``roles``:
        what a changed copy of the process (a scenario) is bound to again."""
        settings: Settings = self._private("_base_settings")
        return settings

    @property
    def source_path(self) -> str | None:
        """The file this process was loaded from, as given by the caller."""
        path: str | None = self._private("_source_path")
        return path

    @property
    def source(self) -> SourceMap:
        """Where each value stands in the file, so later checks can point at it."""
        source: SourceMap | None = self._private("_source")
        return source or SourceMap(self.source_path or "<process>")

    @property
    def settings_path(self) -> str | None:
        """The ``roles.yaml`` that supplied the settings, if any."""
        path: str | None = self._private("_settings_path")
        return path

    @property
    def callees(self) -> dict[str, Process]:
        """The processes this one's steps run, by id, as bound when loading."""
        callees: dict[str, Process] = self._private("_callees")
        return callees

    @property
    def procedures(self) -> tuple[Process, ...]:
        """The processes with no ``frequency`` its steps run, however deep, each once,
        nearest first.

        Their work is costed in the steps that run them, so their automation saves on
        this process's runs: its SOP and ``sopkit candidates`` of its file list their
        candidates with its own. A process it runs that also runs on its own is not
        one (its own file lists its candidates), though the procedures it runs are.
        """
        found: dict[str, Process] = {}
        seen = {self.id}
        queue = list(self.callees.values())
        while queue:
            callee = queue.pop(0)
            if callee.id in seen:
                continue
            seen.add(callee.id)
            if callee.frequency is None:
                found[callee.id] = callee
            queue.extend(callee.callees.values())
        return tuple(found.values())

    @property
    def calls(self) -> tuple[str, ...]:
        """Ids of the processes this one's steps run, in file order, once each."""
        return tuple(dict.fromkeys(s.process for s in self.steps if s.process is not None))

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def role(self, name: str) -> Role | None:
        """The effective role of that name (roles.yaml with this process's own on top)."""
        return self.settings.roles.get(name)

    def bind(
        self,
        settings: Settings,
        *,
        source: SourceMap | None = None,
        source_path: str | None = None,
        settings_path: str | None = None,
    ) -> Process:
        """This process with its effective settings attached (local ``roles:`` on top)."""
        self._base_settings = settings
        self._settings = settings.with_roles(self.roles)
        self._source = source
        self._source_path = source_path
        self._settings_path = settings_path
        return self

    def in_language(self, language: Language | str) -> Process:
        """A copy whose documents speak ``language`` (``"en"``, ``"ko"``, ``"ru"``):
        headings, units, dates and numbers. What the file says (names, instructions)
        stays as written.

        Raises:
            UsageError: a language sopkit does not speak.
        """
        if not isinstance(language, Language):
            try:
                language = Language(str(language).strip().lower())
            except ValueError:
                shown = ", ".join(item.value for item in Language)
                raise UsageError(
                    f"sopkit does not speak '{language}'", hint=f"use one of: {shown}"
                ) from None
        if language is self.language:
            return self
        return self.model_copy(update={"language": language})

    def bind_callees(self, callees: dict[str, Process]) -> Process:
        """Attach the processes this one calls, so it can be costed on its own."""
        self._callees = {pid: callees[pid] for pid in self.calls if pid in callees}
        return self
