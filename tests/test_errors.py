"""``SopkitError``: what an error a program does not catch says about where each problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopkit import ValidationError, load_process
from sopkit.errors import SHOWN_PROBLEMS, Problem, SopkitError


def test_an_uncaught_error_names_where_each_problem_is(tmp_path: Path) -> None:
    """A notebook shows ``str(error)``: it used to read "3 problems" and nothing more."""
    path = tmp_path / "blog.yaml"
    path.write_text(
        "sopkit: 1\nid: blog\nname: Blog\nowner: Writer\nfrequency: 4/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: soon}\n"
        "  - {id: b, name: B, owner: Writer, tme: 1h}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        load_process(path)
    error = caught.value
    lines = str(error).splitlines()
    assert len(error.problems) >= 2 and lines[0] == f"{error.summary}:"
    assert lines[1:] == [problem.format() for problem in error.problems]
    assert f"{path}:7:" in str(error) and f"{path}:8:" in str(error)


def test_many_problems_show_the_first_ten_and_count_the_rest() -> None:
    problems = [Problem(f"problem {n}", path="a.yaml", line=n) for n in range(1, 14)]
    text = str(SopkitError.collect(problems))
    assert text.splitlines()[0] == "13 problems:"
    assert "a.yaml:10:" in text and "a.yaml:11:" not in text
    assert text.endswith(f"… and {13 - SHOWN_PROBLEMS} more (all of them in .problems)")


def test_one_problem_is_its_own_line() -> None:
    error = SopkitError("no such step", path="a.yaml", line=3, column=5, hint="check the id")
    assert str(error) == error.format() == error.first.format()
    assert (error.path, error.line, error.column, error.hint) == ("a.yaml", 3, 5, "check the id")


def test_a_missing_file_is_an_input_error_whichever_way_it_is_loaded(tmp_path: Path) -> None:
    from sopkit import InputError, load_portfolio

    missing = tmp_path / "nope.yaml"
    for load in (load_process, load_portfolio):
        with pytest.raises(InputError) as caught:
            load(missing)
        assert caught.value.message.startswith("no such file"), load


def test_a_file_that_opens_but_does_not_parse_is_a_validation_error(tmp_path: Path) -> None:
    """Only a file that cannot be opened is an InputError: bad YAML is reported with every
    other problem of the file, one way of loading or the other."""
    from sopkit import load_portfolio

    bad = tmp_path / "bad.yaml"
    bad.write_text("sopkit: 1\nid: [unclosed\n", encoding="utf-8")
    for load in (load_process, load_portfolio):
        with pytest.raises(ValidationError):
            load(bad)
