"""Warning codes and ``accept:``: every warning says its code, and a file can accept it
where it is (a step, a role, the process, a roles file) so ``--strict`` passes it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

import jsonschema
import pytest
from pydantic import BaseModel, TypeAdapter
from typer.testing import CliRunner

from sopkit.accept import accepts, sort_warnings
from sopkit.analysis.plan import plan_run
from sopkit.checkup import check_files, file_warnings
from sopkit.cli import app
from sopkit.codes import ACCEPTABLE, CODES, PLACES, Place, WarningCode, accepted_in
from sopkit.errors import Problem, SopkitError
from sopkit.interop import bpmn
from sopkit.load import load_process
from sopkit.models import Process, Role, Settings, Step
from sopkit.models.common import _accept_type
from sopkit.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent

ROLES = "currency: USD\nroles:\n  Writer: {rate: 40}\n  Editor: {rate: 50}\n"

BASE = """\
sopkit: 1
id: blog
name: Blog post
owner: Editor
purpose: Posts that bring traffic.
frequency: 4/month
steps:
  - id: draft
    name: Draft
    owner: Writer
    time: 2h
    done_when: The draft is in review.
  - id: edit
    name: Edit
    owner: Editor
    after: [draft]
    time: 1h
    done_when: The editor approved it.
"""

EDIT = "    done_when: The editor approved it.\n"
DRAFT = "    done_when: The draft is in review.\n"


def _on_step(text: str, step_line: str, codes: str) -> str:
    """``text`` with ``accept: codes`` on the step whose last line is ``step_line``."""
    return text.replace(step_line, f"{step_line}    accept: {codes}\n")


def _on_process(text: str, codes: str) -> str:
    return text.replace("steps:\n", f"accept: {codes}\nsteps:\n", 1)


def _other_roles(roles: str) -> dict[str, str]:
    """Two folders, each a process and a roles file: the second file's roles differ."""
    second = BASE.replace("id: blog", "id: news")
    return {
        "a/roles.yaml": ROLES,
        "a/blog.yaml": BASE,
        "b/roles.yaml": roles,
        "b/news.yaml": second,
    }


KOREAN = (
    BASE.replace("name: Blog post", "name: 블로그 글")
    .replace("name: Draft", "name: 초안")
    .replace("name: Edit", "name: 편집")
)
CAPACITY = ROLES.replace("Writer: {rate: 40}", "Writer: {rate: 40, headcount: 0.01}")
SHORT_YEAR = ROLES.replace("currency: USD\n", "currency: USD\nhours_per_day: 7\n")
REDEFINED = ROLES.replace("Writer: {rate: 40}", "Writer: {rate: 40, headcount: 2}")
FIRST_DEFINED = ROLES.replace("Writer: {rate: 40}", "Writer: {rate: 40, headcount: 3}")

#: Due 15 working days before the webinar, the invitations end 4.19 days late from any
#: start date, and meet it when the webinar day waits 5 days for its date (test_plan_held).
HELD = """\
sopkit: 1
id: webinar
name: Customer webinar
owner: Writer
purpose: Leads for sales.
frequency: 2/month
steps:
  - {id: brief, name: Brief, owner: Writer, time: 6h30m, wait: 2d, done_when: Agreed.}
  - id: invite
    name: Invitations
    owner: Writer
    time: 3h
    wait: 2w
    after: [brief]
    due: {milestone: webinar-day, offset: -15d}
    done_when: Sent.
  - {id: dry-run, name: Dry run, owner: Writer, time: 1h30m, after: invite, done_when: Tested.}
  - {id: webinar-day, name: Webinar day, milestone: true, after: dry-run}
"""

#: For each warning code of ``validate``: the files that give it (each once), and the
#: same files with an ``accept:`` where it is about. Paths are in a fresh folder.
CASES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "due-needs-hold": (
        {"roles.yaml": ROLES, "webinar.yaml": HELD},
        {
            "roles.yaml": ROLES,
            "webinar.yaml": _on_step(HELD, "    done_when: Sent.\n", "[due-needs-hold]"),
        },
    ),
    "no-purpose": (
        {"blog.yaml": BASE.replace("purpose: Posts that bring traffic.\n", "")},
        {
            "blog.yaml": _on_process(
                BASE.replace("purpose: Posts that bring traffic.\n", ""), "[no-purpose]"
            )
        },
    ),
    "no-done-when": (
        {"blog.yaml": BASE.replace(EDIT, "")},
        {"blog.yaml": BASE.replace(EDIT, "    accept: no-done-when\n")},
    ),
    "owner-in-with": (
        {"blog.yaml": BASE.replace(EDIT, EDIT + "    with: [Editor]\n")},
        {
            "blog.yaml": _on_step(
                BASE.replace(EDIT, EDIT + "    with: [Editor]\n"), EDIT, "[owner-in-with]"
            )
        },
    ),
    "unused-condition": (
        {
            "blog.yaml": BASE.replace(
                "steps:\n", "conditions:\n  big: {question: Big?, share: 0.3}\nsteps:\n"
            )
        },
        {
            "blog.yaml": _on_process(
                BASE.replace(
                    "steps:\n", "conditions:\n  big: {question: Big?, share: 0.3}\nsteps:\n"
                ),
                "[unused-condition]",
            )
        },
    ),
    "cut-by-comment": (
        {"blog.yaml": BASE.replace(DRAFT, "    done_when: Posted in #review\n")},
        {
            "blog.yaml": BASE.replace(
                DRAFT, "    done_when: Posted in #review\n    accept: [cut-by-comment]\n"
            )
        },
    ),
    "language-mismatch": (
        {"blog.yaml": KOREAN},
        {"blog.yaml": _on_process(KOREAN, "language-mismatch")},
    ),
    "wait-at-end": (
        {"blog.yaml": BASE.replace(EDIT, EDIT + "    wait: 2d\n")},
        {"blog.yaml": BASE.replace(EDIT, EDIT + "    wait: 2d\n    accept: [wait-at-end]\n")},
    ),
    "no-frequency": (
        {"blog.yaml": BASE.replace("frequency: 4/month\n", "")},
        {"blog.yaml": _on_process(BASE.replace("frequency: 4/month\n", ""), "[no-frequency]")},
    ),
    "over-capacity": (
        {"roles.yaml": CAPACITY, "blog.yaml": BASE},
        {
            "roles.yaml": CAPACITY.replace(
                "headcount: 0.01}", "headcount: 0.01, accept: over-capacity}"
            ),
            "blog.yaml": BASE,
        },
    ),
    "other-working-year": (
        _other_roles(SHORT_YEAR),
        _other_roles(SHORT_YEAR + "accept: [other-working-year]\n"),
    ),
    "capacity-redefined": (
        {**_other_roles(REDEFINED), "a/roles.yaml": FIRST_DEFINED},
        {
            **_other_roles(
                REDEFINED.replace("headcount: 2}", "headcount: 2, accept: [capacity-redefined]}")
            ),
            "a/roles.yaml": FIRST_DEFINED,
        },
    ),
}


def _write(folder: Path, files: dict[str, str]) -> list[str]:
    """The files under ``folder`` (a roles file beside each process unless given), and
    the processes' paths."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if name.endswith("blog.yaml") and not (path.parent / "roles.yaml").exists():
            (path.parent / "roles.yaml").write_text(ROLES, encoding="utf-8")
    return [str(folder / n) for n in files if not n.endswith("roles.yaml")]


def _codes(problems: tuple[Problem, ...] | list[Problem]) -> list[str | None]:
    return [p.code for p in problems]


def test_the_clean_file_has_no_warning(tmp_path: Path) -> None:
    found = check_files(_write(tmp_path, {"blog.yaml": BASE}))
    assert found.warnings == () and found.accepted == ()


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_has_its_code_in_its_line(tmp_path: Path, code: str) -> None:
    found = check_files(_write(tmp_path, CASES[code][0]))
    assert _codes(found.warnings) == [code]
    (warning,) = found.warnings
    assert warning.severity == "warning"
    assert warning.format().endswith(f" [{code}]")
    assert found.accepted == ()


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_is_accepted_where_it_is(tmp_path: Path, code: str) -> None:
    found = check_files(_write(tmp_path, CASES[code][1]))
    assert found.warnings == ()
    assert _codes(found.accepted) == [code]


def test_every_code_is_tested_and_documented() -> None:
    plan_and_more = {"due-missed", "due-missed-levelled", "due-unchecked", "import-guess"}
    assert set(CASES) | plan_and_more | {"accept-unused"} == set(CODES)
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    codes_table = text.split("### Warning codes")[1].split("###")[0]
    for code in CODES:
        assert f"| `{code}` |" in codes_table, code
    validate_table = text.split("## Warnings and `--strict`")[1].split("### Warning codes")[0]
    for code, known in CODES.items():
        if known.checker == "validate":
            assert f"| `{code}` |" in validate_table, code


def test_the_plan_codes_are_named_where_plan_s_accepts_are_told() -> None:
    """validate does not call a plan code's accept unused, but does due-needs-hold's (its
    own): the docs name the plan's codes, not every ``due-…``; plan --strict names them."""
    plan_codes = [code for code, known in CODES.items() if known.checker == "plan"]
    assert plan_codes == ["due-missed", "due-missed-levelled", "due-unchecked"]
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    unused = " ".join(text.split("`validate` does not\n  say this of")[1].split("\n\n")[0].split())
    assert "`due-…`" not in unused
    assert all(f"`{code}`" in unused for code in plan_codes)
    shown = CliRunner().invoke(app, ["plan", "--help"], env={"COLUMNS": "400", "TERM": "unknown"})
    strict = " ".join(shown.stdout.split()).split("--strict")[1].split("--run")[0]
    assert all(code in strict.replace("- ", "-") for code in plan_codes), strict


def test_each_code_names_what_it_is_about_once() -> None:
    """The step and role places take what is about them; a file, all it can hold."""
    assert ACCEPTABLE == tuple(c for c in CODES if CODES[c].acceptable)
    assert "accept-unused" not in ACCEPTABLE and "import-guess" not in ACCEPTABLE
    assert PLACES["step"] < PLACES["process"] and PLACES["role"] < PLACES["process"]
    assert PLACES["roles file"] == {"over-capacity", "capacity-redefined", "other-working-year"}
    assert accepted_in("role") == ("over-capacity", "capacity-redefined")


def test_what_a_code_is_about_is_a_closed_list() -> None:
    """``about`` is typed: the places an accept stands, and what no file can accept."""
    about = get_type_hints(WarningCode)["about"]
    assert get_origin(about) is Literal
    assert {known.about for known in CODES.values()} == set(get_args(about))
    assert set(get_args(Place)) < set(get_args(about))


@pytest.mark.parametrize(
    ("place", "model"),
    [("step", Step), ("role", Role), ("process", Process), ("roles file", Settings)],
)
def test_each_place_s_accept_is_made_by_one_factory(place: Place, model: type[BaseModel]) -> None:
    schema = dict(model.model_json_schema()["properties"]["accept"])
    assert schema.pop("title") == "Accept"
    assert TypeAdapter(_accept_type(place)).json_schema() == schema
    assert TypeAdapter(_accept_type(place)).validate_python(accepted_in(place)[0]) == [
        accepted_in(place)[0]
    ]


# --- where an accept applies ----------------------------------------------------------------


def test_a_step_accepts_its_own_warning_only(tmp_path: Path) -> None:
    text = BASE.replace(DRAFT, "").replace(EDIT, "    accept: [no-done-when]\n")
    found = check_files(_write(tmp_path, {"blog.yaml": text}))
    assert [(p.code, p.step) for p in found.warnings] == [("no-done-when", "draft")]
    assert [(p.code, p.step) for p in found.accepted] == [("no-done-when", "edit")]


def test_the_process_accepts_every_step_s(tmp_path: Path) -> None:
    text = _on_process(BASE.replace(DRAFT, "").replace(EDIT, ""), "[no-done-when]")
    found = check_files(_write(tmp_path, {"blog.yaml": text}))
    assert found.warnings == ()
    assert [p.step for p in found.accepted] == ["draft", "edit"]


def test_a_process_s_own_role_accepts_its_capacity(tmp_path: Path) -> None:
    own = "roles:\n  Writer: {rate: 40, headcount: 0.01, accept: [over-capacity]}\nsteps:\n"
    found = check_files(_write(tmp_path, {"blog.yaml": BASE.replace("steps:\n", own, 1)}))
    assert found.warnings == () and _codes(found.accepted) == ["over-capacity"]
    # and the process file accepts it whole, as it stands in it
    whole = BASE.replace("steps:\n", own.replace(", accept: [over-capacity]", ""), 1)
    found = check_files(_write(tmp_path, {"blog.yaml": _on_process(whole, "over-capacity")}))
    assert found.warnings == () and _codes(found.accepted) == ["over-capacity"]


def test_a_process_role_that_only_describes_leaves_capacity_to_the_roles_file(
    tmp_path: Path,
) -> None:
    """A process's role with a description (as a BPMN import writes) gives no capacity:
    the warning stands at the roles file, whose ``accept:`` accepts it."""
    described = "roles:\n  Writer: {description: Writes the posts}\nsteps:\n"
    text = BASE.replace("steps:\n", described, 1)
    accepting = CAPACITY.replace("headcount: 0.01}", "headcount: 0.01, accept: over-capacity}")
    found = check_files(_write(tmp_path, {"roles.yaml": accepting, "blog.yaml": text}))
    assert found.warnings == () and _codes(found.accepted) == ["over-capacity"]
    (shown,) = check_files(_write(tmp_path, {"roles.yaml": CAPACITY, "blog.yaml": text})).warnings
    assert (Path(shown.path or "").name, shown.line) == ("roles.yaml", 3)
    # a process's role that gives a headcount holds the capacity, and the warning
    own = described.replace("description: Writes the posts", "headcount: 0.02")
    found = check_files(_write(tmp_path, {"blog.yaml": BASE.replace("steps:\n", own, 1)}))
    assert [(Path(p.path or "").name, p.line) for p in found.warnings] == [("blog.yaml", 8)]


def test_a_described_role_is_still_checked_for_another_capacity(tmp_path: Path) -> None:
    files = {**CASES["capacity-redefined"][0], "a/roles.yaml": FIRST_DEFINED}
    described = "roles:\n  Writer: {description: Writes the posts}\nsteps:\n"
    files["b/news.yaml"] = files["b/news.yaml"].replace("steps:\n", described, 1)
    found = check_files(_write(tmp_path, files))
    assert _codes(found.warnings) == ["capacity-redefined"]


def test_an_accept_elsewhere_accepts_nothing_here(tmp_path: Path) -> None:
    """Another file's accept is no accept of this one's warnings."""
    files = {
        "a/blog.yaml": BASE.replace(EDIT, ""),
        "b/blog.yaml": _on_process(BASE.replace("id: blog", "id: news"), "[no-done-when]"),
    }
    found = check_files(_write(tmp_path, files))
    assert [(p.code, Path(p.path or "").parent.name) for p in found.warnings] == [
        ("no-done-when", "a"),
        ("accept-unused", "b"),
    ]


def test_errors_are_never_accepted() -> None:
    error = Problem("x", path="blog.yaml", line=1, step="draft")
    assert sort_warnings([error], []).shown == (error,)


# --- accept-unused ----------------------------------------------------------------------------


def test_an_accept_that_accepts_nothing_is_a_warning_at_it(tmp_path: Path) -> None:
    path = _write(tmp_path, {"blog.yaml": _on_step(BASE, EDIT, "[no-done-when]")})
    (warning,) = check_files(path).warnings
    assert warning.format() == (
        f"{path[0]}:19:14: warning: step 'edit' accepts 'no-done-when', but it has no such "
        "warning (remove 'no-done-when' from its 'accept') [accept-unused]"
    )


def test_a_process_accept_every_step_accepts_itself_is_unused(tmp_path: Path) -> None:
    text = _on_process(
        BASE.replace(EDIT, "    accept: no-done-when\n"), "[no-purpose, no-done-when]"
    )
    text = text.replace("purpose: Posts that bring traffic.\n", "")
    path = _write(tmp_path, {"blog.yaml": text})
    found = check_files(path)
    assert [(p.code, p.line, p.column) for p in found.warnings] == [("accept-unused", 6, 22)]
    assert found.warnings[0].message == (
        "the process accepts 'no-done-when', but its file has no such warning"
    )
    assert _codes(found.accepted) == ["no-purpose", "no-done-when"]


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"blog.yaml": _on_step(BASE, EDIT, "[wait-at-end]")}, "depends on the files given"),
        ({"blog.yaml": _on_process(BASE, "[no-frequency, over-capacity]")}, "likewise"),
        ({"blog.yaml": BASE, "roles.yaml": ROLES + "accept: other-working-year\n"}, "likewise"),
        ({"blog.yaml": _on_step(BASE, EDIT, "[due-missed, due-unchecked]")}, "plan's to tell"),
    ],
)
def test_accepts_validate_cannot_judge_are_not_called_unused(
    tmp_path: Path, files: dict[str, str], why: str
) -> None:
    assert check_files(_write(tmp_path, files)).warnings == (), why


def test_wait_at_end_accepted_alone_is_not_unused_when_a_caller_runs_it(tmp_path: Path) -> None:
    """Checked alone, the wait is a warning; with the process that runs it, none: the same
    accept must not fail --strict in either."""
    called = BASE.replace(EDIT, EDIT + "    wait: 2d\n    accept: wait-at-end\n")
    caller = BASE.replace("id: blog", "id: plan").replace(
        "    owner: Writer\n    time: 2h\n", "    process: blog\n", 1
    )
    paths = _write(tmp_path, {"blog.yaml": called, "plan.yaml": caller})
    assert check_files(paths[:1]).warnings == ()
    assert _codes(check_files(paths).warnings) == []


# --- mistakes in accept -----------------------------------------------------------------------


def _errors(tmp_path: Path, text: str, roles: str = ROLES) -> list[str]:
    (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
    (tmp_path / "blog.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SopkitError) as caught:
        check_files([str(tmp_path / "blog.yaml")])
    return [p.format().replace(f"{tmp_path}/", "") for p in caught.value.problems]


def test_an_unknown_code_is_an_error_at_it_with_the_code_meant(tmp_path: Path) -> None:
    text = _on_step(BASE, EDIT, "[wait-at-end, no-done_when]")
    assert _errors(tmp_path, text) == [
        "blog.yaml:19:27: error: step 'edit': accept: item 2: no warning code "
        "'no-done_when' (did you mean 'no-done-when'?)"
    ]


def test_a_code_far_from_any_lists_those_the_place_takes(tmp_path: Path) -> None:
    (line,) = _errors(tmp_path, _on_step(BASE, EDIT, "E501"))
    assert line == (
        "blog.yaml:19:13: error: step 'edit': accept: item 1: no warning code 'E501' (each "
        "warning "
        "line ends in its code, e.g. [no-done-when]; here: no-done-when, owner-in-with, "
        "cut-by-comment, wait-at-end, due-needs-hold, due-missed, due-missed-levelled, "
        "due-unchecked)"
    )


@pytest.mark.parametrize(
    ("text", "roles", "said"),
    [
        (
            _on_step(BASE, EDIT, "[no-purpose]"),
            ROLES,
            "blog.yaml:19:14: error: step 'edit': accept: item 1: 'no-purpose' is a warning "
            "about the process, not a step (accept it in the process's own 'accept')",
        ),
        (
            _on_step(BASE, EDIT, "[over-capacity]"),
            ROLES,
            "blog.yaml:19:14: error: step 'edit': accept: item 1: 'over-capacity' is a warning "
            "about a role, not a step (accept it on the role, in the roles file or the "
            "process's 'roles:')",
        ),
        (
            _on_process(BASE, "[other-working-year]"),
            ROLES,
            "blog.yaml:7:10: error: accept: item 1: 'other-working-year' is a warning about a "
            "roles file, not the process (accept it in the roles file's own 'accept')",
        ),
        (
            BASE,
            ROLES + "accept: [no-done-when]\n",
            "roles.yaml:5:10: error: accept: item 1: 'no-done-when' is a warning about a step, "
            "not a roles file (accept it on the step it is about)",
        ),
        (
            _on_process(BASE, "[accept-unused]"),
            ROLES,
            "blog.yaml:7:10: error: accept: item 1: 'accept-unused' cannot be accepted (remove "
            "the 'accept' entry that accepts nothing instead)",
        ),
        (
            _on_process(BASE, "[import-guess]"),
            ROLES,
            "blog.yaml:7:10: error: accept: item 1: 'import-guess' is a warning of sopkit "
            "import bpmn: no process file accepts it (remove it)",
        ),
        (
            _on_process(BASE, "[no-purpose, no-purpose]"),
            ROLES,
            "blog.yaml:7:9: error: accept: 'accept' names 'no-purpose' twice (give each code once)",
        ),
    ],
)
def test_a_code_in_the_wrong_place_is_an_error_saying_where_it_goes(
    tmp_path: Path, text: str, roles: str, said: str
) -> None:
    assert _errors(tmp_path, text, roles) == [said]


# --- the command ------------------------------------------------------------------------------


def _validate(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    return result.exit_code, result.stderr.splitlines()


def test_strict_passes_when_every_warning_is_accepted(tmp_path: Path) -> None:
    paths = _write(tmp_path, CASES["wait-at-end"][1])
    assert _validate("--strict", *paths) == (
        0,
        ["ok: 1 process, 2 steps valid (1 warning accepted)"],
    )
    text = _on_process(BASE.replace(DRAFT, "").replace(EDIT, ""), "[no-done-when]")
    paths = _write(tmp_path, {"blog.yaml": text})
    assert _validate(*paths) == (0, ["ok: 1 process, 2 steps valid (2 warnings accepted)"])


def test_strict_fails_on_a_warning_not_accepted(tmp_path: Path) -> None:
    text = BASE.replace(DRAFT, "").replace(EDIT, "    accept: [no-done-when]\n")
    paths = _write(tmp_path, {"blog.yaml": text})
    line = (
        f"{paths[0]}:8:9: warning: step 'draft' has no done_when: nobody can tell when it is "
        "finished (add 'done_when: …') [no-done-when]"
    )
    assert _validate(*paths) == (0, [line, "ok: 1 process, 2 steps valid (1 warning accepted)"])
    assert _validate("--strict", *paths) == (1, [line, "1 warning with --strict: not valid"])


def test_strict_fails_on_a_stale_accept(tmp_path: Path) -> None:
    paths = _write(tmp_path, {"blog.yaml": _on_process(BASE, "no-purpose")})
    code, lines = _validate("--strict", *paths)
    assert code == 1 and lines[0].endswith("[accept-unused]")


def test_build_leaves_out_the_accepted_warnings_as_validate_does(tmp_path: Path) -> None:
    """``sopkit build`` and ``serve`` print ``file_warnings``: the one path validate takes."""
    from sopkit.analysis import cost_portfolio
    from sopkit.load import load_portfolio

    text = BASE.replace(DRAFT, "").replace(EDIT, "    accept: [no-done-when]\n")
    paths = _write(tmp_path, {"blog.yaml": text})
    portfolio = load_portfolio(paths)
    shown = file_warnings(portfolio, [cost_portfolio(portfolio)])
    assert shown == list(check_files(paths).warnings)
    assert [(p.code, p.step) for p in shown] == [("no-done-when", "draft")]


# --- sopkit plan --------------------------------------------------------------------------------

PLAN_ROLES = ROLES.replace("currency: USD\n", "currency: USD\ncalendar: {weekend: [sat, sun]}\n")
PLANNED = """\
sopkit: 1
id: small
name: Small launch
owner: Editor
purpose: A launch.
frequency: 1/month
steps:
  - {id: a, name: Write, owner: Writer, time: 1d, done_when: Written.}
  - {id: b, name: Review, owner: Editor, time: 2d, after: a, done_when: Reviewed.}
  - {id: m, name: Go live, milestone: true, after: b}
  - {id: c, name: Announce, owner: Writer, time: 4h, after: m, done_when: Sent.,
     due: {milestone: m, offset: -1d}}
"""
LEVELLED = """\
sopkit: 1
id: lev
name: Levelled
owner: Editor
purpose: A launch.
frequency: 1/month
steps:
  - {id: brief, name: Brief, owner: Writer, time: 4h, done_when: x}
  - {id: draft, name: Draft, owner: Writer, time: 1d, after: brief, done_when: x}
  - {id: social, name: Social, owner: Writer, time: 4h, after: brief, done_when: x,
     due: {milestone: live, offset: -1d}}
  - {id: live, name: Live, milestone: true, after: draft}
"""
MONDAY = dt.date(2027, 1, 4)


def _planned(tmp_path: Path, text: str) -> Path:
    (tmp_path / "roles.yaml").write_text(PLAN_ROLES, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_s_warnings_have_their_codes(tmp_path: Path) -> None:
    missed = plan_run(load_process(_planned(tmp_path, PLANNED)), start=MONDAY)
    assert [(m.problem.code, m.problem.step) for m in missed.misses] == [("due-missed", "c")]
    unchecked = PLANNED.replace(
        "frequency", "conditions: {big: {question: Big?, share: 0.2}}\nfrequency"
    )
    unchecked = unchecked.replace("after: b}", "after: b, when: big}")
    plan = plan_run(load_process(_planned(tmp_path, unchecked)), start=MONDAY)
    assert [(m.problem.code, m.problem.step) for m in plan.unchecked] == [("due-unchecked", "c")]
    levelled = plan_run(load_process(_planned(tmp_path, LEVELLED)), start=MONDAY, level=True)
    assert [(m.problem.code, m.problem.step) for m in levelled.misses] == [
        ("due-missed-levelled", "social")
    ]


def test_plan_leaves_out_a_due_date_the_step_accepts_and_strict_passes(tmp_path: Path) -> None:
    runner = CliRunner()
    path = _planned(tmp_path, PLANNED)
    args = ["plan", str(path), "--start", "2027-01-04", "--strict"]
    warned = runner.invoke(app, args)
    assert warned.exit_code == 1 and "[due-missed]" in warned.stderr
    accepted = PLANNED.replace("offset: -1d}}", "offset: -1d}, accept: due-missed}")
    path = _planned(tmp_path, accepted)
    quiet = runner.invoke(app, args)
    assert quiet.exit_code == 0, quiet.stderr
    assert "due-missed" not in quiet.stderr
    # nor do the plan's notes tell it: the table keeps the step's slack
    assert "Cannot meet the due date" in warned.stdout
    assert "Cannot meet the due date" not in quiet.stdout
    late = [line for line in warned.stdout.splitlines() if "late" in line and "Cannot" not in line]
    assert late and all(line in quiet.stdout.splitlines() for line in late)
    plan = plan_run(load_process(path), start=MONDAY)
    (miss,) = plan.misses
    assert accepts(load_process(path), miss.problem)
    assert miss.accepted and plan.warnings == () and plan.accepted == {"c"}
    assert json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)["accepted"] == ["c"]
    # validate cannot tell whether a plan misses it: no accept-unused for it
    assert check_files([str(path)]).warnings == ()


def test_plan_leaves_out_an_unchecked_due_date_the_process_accepts(tmp_path: Path) -> None:
    unchecked = PLANNED.replace(
        "frequency", "conditions: {big: {question: Big?, share: 0.2}}\nfrequency"
    ).replace("after: b}", "after: b, when: big}")
    args = ["plan", str(_planned(tmp_path, unchecked)), "--start", "2027-01-04", "--strict"]
    warned = CliRunner().invoke(app, args)
    assert warned.exit_code == 1 and "Not dated" in warned.stdout
    _planned(tmp_path, _on_process(unchecked, "[due-unchecked]"))
    quiet = CliRunner().invoke(app, args)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert "Not dated" not in quiet.stdout


def test_an_import_s_guesses_have_their_code() -> None:
    source = ROOT / "tests" / "bpmn" / "miwg" / "C.5.0.bpmn"
    result = bpmn.import_bpmn(bpmn.read_bpmn_file(source), "C.5.0.bpmn")
    assert result.warnings and {w.code for w in result.warnings} == {"import-guess"}


# --- the schema ------------------------------------------------------------------------------


def test_the_schema_lists_the_codes_each_place_takes() -> None:
    process, roles = json_schema("process"), json_schema("roles")

    def codes(node: dict[str, object]) -> list[str]:
        listed = node["anyOf"][0]  # type: ignore[index]
        return list(listed["items"]["enum"])  # type: ignore[index]

    assert codes(process["properties"]["accept"]) == list(accepted_in("process"))
    assert codes(process["$defs"]["Step"]["properties"]["accept"]) == list(accepted_in("step"))
    assert codes(roles["properties"]["accept"]) == list(accepted_in("roles file"))
    assert codes(roles["$defs"]["Role"]["properties"]["accept"]) == list(accepted_in("role"))


@pytest.mark.parametrize(
    ("accept", "valid"),
    [
        ("[no-done-when]", True),
        ("no-purpose", True),
        ("[no-done_when]", False),
        ("[accept-unused]", False),
    ],
)
def test_the_schema_takes_what_the_loader_takes(tmp_path: Path, accept: str, valid: bool) -> None:
    import yaml

    text = _on_process(BASE, accept)
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    errors = list(jsonschema.Draft202012Validator(json_schema("process")).iter_errors(data))
    assert (errors == []) is valid
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (tmp_path / "blog.yaml").write_text(text, encoding="utf-8")
    try:
        load_process(tmp_path / "blog.yaml")
    except SopkitError:
        assert not valid
    else:
        assert valid


def test_accepts_survive_a_bpmn_round_trip(tmp_path: Path) -> None:
    """The file-format writers (BPMN export and import) keep every accept."""
    from sopkit.analysis import cost_process
    from sopkit.interop.bpmn import export_bpmn, import_texts, write_import

    text = _on_process(BASE.replace(EDIT, "    accept: no-done-when\n"), "[no-purpose]")
    text = text.replace("purpose: Posts that bring traffic.\n", "")
    roles = ROLES.replace("Writer: {rate: 40}", "Writer: {rate: 40, accept: over-capacity}")
    (tmp_path / "roles.yaml").write_text(roles + "accept: other-working-year\n", encoding="utf-8")
    (tmp_path / "blog.yaml").write_text(text, encoding="utf-8")
    process = load_process(tmp_path / "blog.yaml")
    result = bpmn.import_bpmn(export_bpmn(cost_process(process)), "blog.bpmn")
    write_import(import_texts(result, "blog.bpmn"), tmp_path / "back")
    again = load_process(tmp_path / "back" / "blog.yaml")
    assert again.accept == ["no-purpose"]
    assert again.step("edit").accept == ["no-done-when"] and again.step("draft").accept == []
    assert again.base_settings.accept == ["other-working-year"]
    assert again.base_settings.roles["Writer"].accept == ["over-capacity"]
