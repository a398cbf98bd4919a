"""The Jinja environments SOPs and checklists are rendered with, and Markdown escaping.

Templates are package data (``sopkit/templates``); a team's folder
(``--template``) is searched first, and every default stays reachable as
``default/<name>`` so a team template can ``{% extends %}`` it. HTML is
autoescaped; Markdown passes every ``{{ value }}`` through ``md_escape``, so a
step named ``[click](javascript:alert(1))`` shows literally. docs/templates.md
tells a team all this, every block and every field; a field it gets wrong is
named as that page names it, with the nearest right ones (``_FieldUndefined``).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ...errors import RenderError, SopkitError
from ...suggest import closest, edit_distance
from ..compiled import StoredTemplates
from ..labels import words
from ..markdown import fenced
from .views import VIEW_NAMES

__all__ = ["DOCS", "environment", "md_escape", "render_template", "template_files"]

#: Where a team reads what its templates can use: blocks, fields, filters, escaping.
DOCS = "docs/templates.md"


def render_template(name: str, *, template_dir: Path | None = None, **context: Any) -> str:
    """Render one template (``*.md.j2`` or ``*.html.j2``) with its format's escaping.

    Raises:
        RenderError: the template cannot be found, does not parse, or fails while
            rendering; a team template's failure (``{{ 1/0 }}``, a bad ``format``,
            an ``extends`` of itself, a missing include) names its file and line.
    """
    kind = "html" if name.endswith((".html.j2", ".html")) else "markdown"
    folder = None if template_dir is None else str(template_dir)
    env = _environment(kind, folder, _files_in(folder))
    try:
        return env.get_template(name).render(**context)
    except SopkitError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        message, hint = _markdown_only(kind, exc.message) or (
            f"template error: {exc.message}",
            "fix the template syntax",
        )
        raise RenderError(
            message, path=exc.filename or exc.name or name, line=exc.lineno, hint=hint
        ) from None
    except Exception as exc:
        raise _template_failure(exc, name, template_dir, kind) from None


#: Jinja's words for a filter it does not have, at compile time or (inside an ``if``) when
#: the line runs.
_NO_FILTER = re.compile(r"No filter named '(md|fence)'")


def _markdown_only(kind: str, message: str | None) -> tuple[str, str] | None:
    """The message and hint for an HTML template that uses ``md`` or ``fence``, or ``None``.

    Jinja's own "No filter named 'md'. (fix the template syntax)" sends a team looking
    for a typo; the filter is left out of HTML on purpose (it returns text marked safe,
    so a value would print unescaped), and docs/templates.md says so.
    """
    found = _NO_FILTER.search(message or "")
    if kind != "html" or found is None:
        return None
    return (
        f"template error: no filter '{found[1]}' in an HTML template: the md and fence "
        "filters are for Markdown templates only (HTML escapes every value already)",
        f"see {DOCS}#filters",
    )


class _TeamLoader(jinja2.FileSystemLoader):
    """The team's template folder: a file that is not UTF-8 text is the team's mistake,
    named, not a traceback (Jinja would raise ``UnicodeDecodeError`` with no file)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise RenderError(
                f"template '{template}' is not UTF-8 text ({exc.reason} at byte {exc.start})",
                path=str(Path(self.searchpath[0], template)),
                hint="save the template as UTF-8",
            ) from None


def _template_failure(exc: Exception, name: str, template_dir: Path | None, kind: str) -> Exception:
    """A ``RenderError`` at the team template's line that failed, or ``exc`` (a bug) itself.

    Jinja rewrites a rendering error's traceback so that template code shows as
    frames at the template's file and line; the innermost frame in the team's
    folder is where the team's template went wrong.
    """
    frames = _template_frames(exc, template_dir)
    team = [(path, line) for path, line, own in frames if own]
    where = team[-1] if team else None
    markdown_only = (
        _markdown_only(kind, str(exc)) if isinstance(exc, jinja2.TemplateRuntimeError) else None
    )
    if isinstance(exc, RecursionError):
        where = _loop_closer(team) or where
        message = "the template extends or includes itself (directly or through others)"
        hint = f"to build on sopkit's template, extend 'default/{name}'"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found"
        hint = "templates are looked up in the --template folder, then among sopkit's own"
    elif markdown_only is not None:
        message, hint = markdown_only
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"template error: {exc.message}"
        hint = getattr(exc.message, "hint", None) or f"{DOCS} lists what a template can use"
    elif frames and frames[-1][2]:
        message = f"template error: {str(exc) or type(exc).__name__}"
        hint = "fix the expression on this line of the template"
    else:
        return exc  # raised outside the team's templates: a bug, shown as one
    if where is None:
        return RenderError(message, path=str(template_dir) if template_dir else None, hint=hint)
    return RenderError(message, path=where[0], line=where[1], hint=hint)


def _loop_closer(team: list[tuple[str, int]]) -> tuple[str, int] | None:
    """The line whose ``extends`` or ``include`` returns to a template already open.

    The innermost frame of a runaway recursion lands wherever the stack happened
    to run out, so it changes with the caller's depth; the first line that
    re-enters an open template is the same on every run.
    """
    opened: set[str] = set()
    previous: tuple[str, int] | None = None
    for path, line in team:
        if previous is not None and path != previous[0] and path in opened:
            return previous
        opened.add(path)
        previous = (path, line)
    return None


def _template_frames(exc: BaseException, template_dir: Path | None) -> list[tuple[str, int, bool]]:
    """``(file, line, in the team's folder)`` of each template line in ``exc``'s traceback."""
    folder = None if template_dir is None else Path(template_dir).resolve()
    frames: list[tuple[str, int, bool]] = []
    own: dict[str, bool] = {}
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.lineno is None:
            continue
        if frame.filename not in own:
            path = Path(frame.filename)
            own[frame.filename] = folder is not None and path.resolve().is_relative_to(folder)
        if own[frame.filename] or frame.filename.endswith(".j2"):
            frames.append((frame.filename, frame.lineno, own[frame.filename]))
    return frames


def _files_in(folder: str | None) -> tuple[str, ...]:
    """The files of a team template folder, by relative path.

    Part of the environment's key: Jinja reloads a template whose file changed,
    but a name it found among the defaults is never looked for again, so a
    ``sop.html.j2`` added to the folder (say while ``sopkit serve`` runs) would
    be left unused while the page is keyed as made with it.
    """
    if folder is None:
        return ()
    root = Path(folder)
    return tuple(sorted(str(path.relative_to(root)) for path in template_files(root)))


def template_files(folder: Path) -> list[Path]:
    """Every file under a team template folder, through linked folders too (a shared
    ``partials/`` linked in), each real folder once (a link back up is no loop)."""
    found: list[Path] = []
    seen: set[str] = set()
    for here, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        found += [Path(here) / name for name in sorted(names) if (Path(here) / name).is_file()]
    return found


def environment(kind: str, template_dir: str | None = None) -> jinja2.Environment:
    """The Jinja environment for ``"html"`` (autoescaped) or ``"markdown"`` (md-escaped).

    Raises:
        SopkitError: when ``template_dir`` is not a folder.
    """
    return _environment(kind, template_dir, _files_in(template_dir))


@lru_cache(maxsize=16)
def _environment(kind: str, template_dir: str | None, files: tuple[str, ...]) -> jinja2.Environment:
    """``environment``, one per set of files in the team's folder (``_files_in``)."""
    loader: jinja2.BaseLoader = jinja2.PackageLoader("sopkit", "templates")
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise SopkitError(
                "template folder not found",
                path=template_dir,
                hint="--template takes a folder holding e.g. sop.html.j2 or sop.md.j2",
            )
        loader = jinja2.ChoiceLoader([_TeamLoader(template_dir), loader])
    options: dict[str, Any] = {
        "loader": loader,
        "undefined": _FieldUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": template_dir is not None,
        "bytecode_cache": StoredTemplates(f"sop-{kind}"),
    }
    # Sandboxed: a team template is code from a folder the user points at; it may
    # format and loop, but not reach Python internals or loop for ever over a range.
    if kind == "html":
        return SandboxedEnvironment(autoescape=True, **options)
    env = SandboxedEnvironment(autoescape=False, finalize=_finalize_markdown, **options)
    # Markdown's only: both return text marked safe, which an HTML page would print
    # unescaped (a step name holding a tag would reach the page).
    env.filters["md"] = md_escape
    env.filters["fence"] = _fence
    return env


# --- a field that is not there -----------------------------------------------------------


#: The names a template is given (``render_sop``), and in the step block the step's loop.
_NAMES = ("doc", "t", "step", "loop")
#: The heading of docs/templates.md that says what each of them is.
_SEES = "what-a-template-sees"


class _Said(str):
    """An error message that carries the hint shown with it (``RenderError.hint``)."""

    hint: str | None = None


def _said(message: str, hint: str) -> _Said:
    said = _Said(message)
    said.hint = hint
    return said


class _FieldUndefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, in the words of docs/templates.md.

    Jinja says ``'sopkit.render.sop.views.StepView object' has no attribute
    'ownr'``: a Python class the team never sees. This says ``step has no field
    'ownr'``, offers the nearest fields (``did you mean 'owner'?``) and points to
    the heading that lists them all. The message travels in the ``UndefinedError``
    Jinja raises; its hint rides along on it (``_Said``).
    """

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        return _missing(self._undefined_obj, self._undefined_name)


def _missing(obj: Any, name: Any) -> _Said:
    """What a template asked for that is not there, and where to look instead."""
    if obj is jinja2.utils.missing:
        near = _nearest(str(name), list(_NAMES))
        seen = f"a template sees doc and t, and step and loop in the step block: {DOCS}#{_SEES}"
        return _said(
            f"'{name}' is undefined", f"did you mean {_either(near)}? {seen}" if near else seen
        )
    if isinstance(obj, tuple | list):
        if isinstance(name, str):
            return _said(
                f"a list has no field '{name}'",
                "loop over it to reach each one's fields, as in {% for step in doc.steps %}",
            )
        if not obj:
            return _said(
                f"the list is empty here, so it has no element {name!r}",
                "check it first, as in {% if step.inputs %}",
            )
        return _said(
            f"the list has no element {name!r}",
            f"it has {len(obj)}, numbered from 0",
        )
    if obj is None:
        return _said(
            f"no field '{name}' in an empty value (none)",
            "check a field that may be none first, as in {% if step.call %}; "
            f"{DOCS} says which may be",
        )
    what = VIEW_NAMES.get(type(obj))
    if what is None:
        return _said(
            f"{_kind(obj)} has no field '{name}'",
            f"{DOCS} lists every field and what it holds",
        )
    known = [field.name for field in dataclasses.fields(obj)]
    near = _nearest(str(name), known)
    listed = f"{what}'s fields are listed in {DOCS}#{what.replace(' ', '-')}"
    hint = f"did you mean {_either(near)}? {listed}" if near else listed
    return _said(f"{what} has no field '{name}'", hint)


def _kind(value: Any) -> str:
    """A value that is no view, in a template's words."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "this value"


def _nearest(name: str, known: list[str]) -> list[str]:
    """Up to three names ``name`` may mean: the likeliest first, then others a typo
    away (``owner_knd``: ``owner_kind``, not ``owner``, four letters short), then
    when none is, those it adds a word to (``inputs_from``, as the SOP says "Inputs
    from": ``inputs``)."""
    best = closest(name, known)
    typos = max(2, len(name) // 4)
    alike = [
        other
        for other in difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        if edit_distance(name.lower(), other.lower()) <= typos
    ]
    near = list(dict.fromkeys([*([best] if best else []), *alike]))
    if not near:
        lower = name.lower()
        near = [
            other
            for other in known
            if lower.startswith(other.lower() + "_") or lower.endswith("_" + other.lower())
        ]
    return near[:3]


def _either(names: list[str]) -> str:
    """``'owner'``, ``'owner' or 'owner_kind'``, ``'a', 'b' or 'c'``."""
    quoted = [f"'{name}'" for name in names]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


# --- Markdown escaping ----------------------------------------------------------------

# Characters with a meaning anywhere in a line, escaped with a backslash; every
# one is escapable in CommonMark (GitHub) and in Python-Markdown (MkDocs).
# "(", ")" and "!" only matter next to "[" or "]", which are escaped, so text
# such as "Paid search (PPC)" stays readable in the Markdown source.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]|])")
# Marks that only mean something at the start of a line: headings ("#"), list
# items ("- ", "+ ", "1. ", "1) "), setext underlines and thematic breaks
# ("===", "---"). ">" becomes an entity everywhere.
_MD_LEADING = re.compile(r"^([-+=#])(?=[\s=#-]|$)|^(\d+)([.)])(?=\s|$)")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_escape(value: Any) -> Markup:
    """User text as Markdown that shows literally, on one line.

    Whitespace runs (newlines included) become one space, so a value can sit
    in a table cell or list item. ``<``, ``>`` and entity-like ``&`` become
    HTML entities (so no tag reaches the page); ``~`` becomes ``&#126;``, so no
    strikethrough can start (a backslash would do on GitHub, but Python-Markdown,
    MkDocs's, prints ``\\~`` as it is); ``\\ ` * _ { } [ ] |`` get a backslash,
    so no link, image, emphasis, code span, attribute list or table cell can
    start; a leading ``#``,
    ``- ``, ``+ ``, ``===`` or ``1. `` cannot start a heading, list or rule.
    """
    if isinstance(value, Markup):
        return value
    text = " ".join(words(str(value)))
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _MD_INLINE.sub(r"\\\1", text)  # before the entities below, which hold "#"
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace("~", "&#126;")
    text = _MD_LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return Markup(text)


def _finalize_markdown(value: Any) -> str:
    """Every ``{{ value }}`` of a Markdown template is escaped unless marked ``|safe``."""
    return str(value) if isinstance(value, Markup) else str(md_escape(value))


def _fence(text: str, info: str = "") -> Markup:
    return Markup(fenced(text, info))
