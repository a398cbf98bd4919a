"""A worksheet that prepares sopkit's formulas without XlsxWriter's 29 rewrites each.

XlsxWriter prepares every formula it stores: it strips the leading ``=`` (and
array braces), then runs one ``re.sub`` per dynamic-array function (``FILTER(``
→ ``_xlfn._xlws.FILTER(``, ``XLOOKUP(``, …) over the text, some 25 µs a
formula. sopkit's formulas name none of those functions (they use ``SUM``,
``SUMPRODUCT``, ``IF``, ``AND``, ``EXACT``…), and a workbook of 100 processes
holds some 30,000 formulas, so those rewrites were a third of its time.

``fast_worksheet()`` searches each formula once for the names of all those
functions and returns the stripped formula when none is there; otherwise (or
when the workbook asks for future functions) it hands the formula to
XlsxWriter unchanged. The names are read from the installed XlsxWriter's own
code, so a release that adds a function is followed; a release whose formula
preparation does anything this module does not recognise gets no fast path
at all, and every formula goes through XlsxWriter as before. Either way the
file is byte for byte what XlsxWriter alone writes.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable
from functools import lru_cache
from typing import Any

__all__ = ["fast_worksheet", "rewrites", "rewritten_names"]

#: The start of XlsxWriter's preparation, the only steps ``_strip`` repeats.
_PRELUDE = """
if formula.startswith("{"):
    formula = formula[1:]
if formula.startswith("="):
    formula = formula[1:]
if formula.endswith("}"):
    formula = formula[:-1]
if "_xlfn." in formula:
    return formula
"""
#: Where its rewrites of dynamic-array functions end and the future functions begin.
_FUTURE = """
if not self.use_future_functions and not expand_future_functions:
    return formula
"""


def _statements(text: str) -> list[str]:
    return [ast.dump(node) for node in ast.parse(text).body]


def _rewrite_pattern(node: ast.stmt) -> str | None:
    """The pattern of ``formula = re.sub(r"…", "…", formula)``, else ``None``."""
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "formula"
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "re.sub"
        and not node.value.keywords
        and len(node.value.args) == 3
    ):
        return None
    pattern, replacement, subject = node.value.args
    if (
        isinstance(pattern, ast.Constant)
        and isinstance(pattern.value, str)
        and isinstance(replacement, ast.Constant)
        and isinstance(replacement.value, str)
        and isinstance(subject, ast.Name)
        and subject.id == "formula"
    ):
        return pattern.value
    return None


#: The rewrites' patterns this module reads: a function name after a word boundary
#: (``\bFILTER\(``), or after any non-space (``\SINGLE\(``, as XlsxWriter writes SINGLE).
_REWRITE = re.compile(r"(?:\\b|\\S)?([A-Za-z0-9_]+)\\\(")


@lru_cache(maxsize=1)
def rewrites() -> re.Pattern[str] | None:
    """``rewritten_names`` of the installed XlsxWriter's formula preparation."""
    from xlsxwriter.worksheet import Worksheet

    prepare = getattr(Worksheet, "_prepare_formula", None)
    return None if prepare is None else rewritten_names(prepare)


def rewritten_names(prepare: Callable[..., Any]) -> re.Pattern[str] | None:
    """An expression found in every formula that any of XlsxWriter's rewrites would
    change (each function's name and its parenthesis), or ``None`` when ``prepare``
    (XlsxWriter's ``Worksheet._prepare_formula``) is not the strip-then-rewrite this
    module knows (then every formula goes to XlsxWriter).

    Searching for the plain names is a superset of the rewrites' own patterns
    and about 50 times faster than searching for those (``\\S`` is tried at every
    character).
    """
    try:
        source = textwrap.dedent(inspect.getsource(prepare))
        function = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(function, ast.FunctionDef):
        return None
    nodes = list(function.body)
    if nodes and isinstance(nodes[0], ast.Expr) and isinstance(nodes[0].value, ast.Constant):
        nodes = nodes[1:]  # a docstring
    body = [ast.dump(node) for node in nodes]
    prelude, future = _statements(_PRELUDE), _statements(_FUTURE)
    if body[: len(prelude)] != prelude or future[0] not in body:
        return None
    names = []
    for node in nodes[len(prelude) : body.index(future[0])]:
        pattern = _rewrite_pattern(node)
        found = None if pattern is None else _REWRITE.fullmatch(pattern)
        if found is None:
            return None
        names.append(found.group(1) + "(")
    if not names:
        return None
    return re.compile("|".join(re.escape(name) for name in names))


def _strip(formula: str) -> str:
    """What XlsxWriter's preparation does first (``_PRELUDE``)."""
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    return formula


@lru_cache(maxsize=1)
def fast_worksheet() -> type[Any]:
    """XlsxWriter's ``Worksheet`` storing each formula as it does, only faster
    (module docstring); for ``Workbook.add_worksheet(name, worksheet_class=…)``.

    Made on first use: XlsxWriter is imported only when a workbook is written.
    """
    from xlsxwriter.worksheet import Worksheet

    class FastWorksheet(Worksheet):  # type: ignore[misc]  # XlsxWriter is untyped here
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> Any:
            pattern = rewrites()
            if pattern is not None and not (self.use_future_functions or expand_future_functions):
                stripped = _strip(formula)
                if "_xlfn." in stripped or pattern.search(stripped) is None:
                    return stripped
            return super()._prepare_formula(formula, expand_future_functions)

    return FastWorksheet
