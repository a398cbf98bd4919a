"""The workbook's fast formula preparation stores exactly what XlsxWriter's own does.

``sopkit.render.workbook.formulas`` skips XlsxWriter's 29 rewrites of
dynamic-array functions when a formula names none of them. These tests hold
it to XlsxWriter itself: formula by formula (any text, the functions the
rewrites apply to, inside string literals too, with and without future
functions), and whole workbooks byte for byte.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from conftest import ENGLISH, KOREAN, RUSSIAN
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from sopkit.analysis import cost_portfolio
from sopkit.analysis.simulation import simulate
from sopkit.decide import load_scenarios, scenario_results
from sopkit.load import load_portfolio
from sopkit.render.workbook import render_workbook
from sopkit.render.workbook.formulas import fast_worksheet, rewrites, rewritten_names

#: Functions XlsxWriter rewrites (dynamic arrays, SINGLE's odd pattern, future functions),
#: and the ones sopkit writes.
_REWRITTEN = ["FILTER", "XLOOKUP", "SORT", "SORTBY", "SINGLE", "LAMBDA", "UNIQUE", "MAP"]
_FUTURE = ["CONCAT", "STDEV.S", "IFS", "DAYS", "BETA.DIST"]
_OURS = ["SUM", "SUMPRODUCT", "IF", "AND", "EXACT", "ISNUMBER", "N", "ROUND", "MAX"]
_PIECES = st.one_of(
    st.sampled_from([f"{name}(" for name in _REWRITTEN + _FUTURE + _OURS]),
    st.sampled_from(
        ["=", "{", "}", ")", ",", "*", "+", "_xlfn.", '"', "A1", "Steps!$H$12", "X", " ", "."]
    ),
    st.sampled_from(["INGLE(", "xSINGLE(", "_FILTER(", "MYSORT(", "filter("]),
    st.text(max_size=4),
)


def _sheets() -> tuple[Any, Any]:
    book = Workbook(io.BytesIO(), {"in_memory": True})
    return book.add_worksheet("Plain"), book.add_worksheet("Fast", fast_worksheet())


@settings(max_examples=500, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=12),
    future=st.booleans(),
    expand=st.booleans(),
)
def test_each_formula_is_prepared_as_xlsxwriter_prepares_it(
    pieces: list[str], future: bool, expand: bool
) -> None:
    formula = "".join(pieces)
    plain, fast = _sheets()
    plain.use_future_functions = fast.use_future_functions = future
    expected = plain._prepare_formula(formula, expand)
    assert fast._prepare_formula(formula, expand) == expected
    assert Worksheet._prepare_formula(fast, formula, expand) == expected


def test_sopkits_own_formulas_take_the_fast_path() -> None:
    """With this XlsxWriter the fast path is on and skips the rewrites of sopkit's formulas."""
    pattern = rewrites()
    if pattern is None:
        pytest.skip("this XlsxWriter prepares formulas in a way the fast path does not know")
    assert pattern.search("SUMPRODUCT(EXACT(A2:A9,B2)*C2:C9)+IF(AND(D1,E1),N(F1),0)") is None
    # what the rewrites would change is found, so those formulas go to XlsxWriter
    for formula in ("FILTER(A1:A9,B1:B9)", "x+XLOOKUP(1,A:A,B:B)", '"SINGLE(" & A1'):
        assert pattern.search(formula) is not None


def _prepare(self: Any, formula: str, expand_future_functions: bool = False) -> str:
    # a stand-in for XlsxWriter's method, read from its source, never run
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    if "_xlfn." in formula:
        return formula
    formula = re.sub(r"\bFILTER\(", "_xlfn._xlws.FILTER(", formula)
    formula = re.sub(r"\SINGLE\(", "_xlfn.SINGLE(", formula)
    if not self.use_future_functions and not expand_future_functions:
        return formula
    return formula


def _prepare_more(self: Any, formula: str, expand_future_functions: bool = False) -> str:
    # one step the fast path does not know
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    if "_xlfn." in formula:
        return formula
    formula = re.sub(r"\bFILTER\(", "_xlfn._xlws.FILTER(", formula)
    formula = formula.replace("GROUPBY(", "_xlfn.GROUPBY(")
    if not self.use_future_functions and not expand_future_functions:
        return formula
    return formula


def _prepare_table(self: Any, formula: str, expand_future_functions: bool = False) -> str:
    # rewrites from a table: names it cannot read
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    if "_xlfn." in formula:
        return formula
    for name in ("FILTER", "SORT"):
        formula = re.sub(rf"\b{name}\(", f"_xlfn.{name}(", formula)
    if not self.use_future_functions and not expand_future_functions:
        return formula
    return formula


def test_the_names_are_read_from_the_preparations_code() -> None:
    found = rewritten_names(_prepare)
    assert found is not None
    assert found.pattern == r"FILTER\(|INGLE\("


@pytest.mark.parametrize("prepare", [_prepare_more, _prepare_table])
def test_a_preparation_it_does_not_know_gets_no_fast_path(prepare: Any) -> None:
    assert rewritten_names(prepare) is None


@pytest.mark.parametrize("folder", [ENGLISH, KOREAN, RUSSIAN], ids=["en", "ko", "ru"])
def test_whole_workbooks_are_byte_identical(folder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    portfolio = load_portfolio(folder)
    cost = cost_portfolio(portfolio)
    ranges = simulate(cost, years=200, seed=1)
    scenarios = ()
    if folder == ENGLISH:
        scenario_files = sorted((folder.parent.parent / "scenarios").glob("*.yaml"))
        scenarios = tuple(scenario_results(portfolio, load_scenarios(scenario_files)).results)
    fast = render_workbook(cost, ranges=ranges, scenarios=scenarios)
    with monkeypatch.context() as patch:
        patch.setattr("sopkit.render.workbook.cells.fast_worksheet", lambda: Worksheet)
        plain = render_workbook(cost, ranges=ranges, scenarios=scenarios)
    assert fast == plain
