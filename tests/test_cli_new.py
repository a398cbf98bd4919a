"""``sopkit new``: a copy of a library process that is a process of its own."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ENGLISH
from typer.testing import CliRunner

from sopkit import lint_process, load_portfolio, load_process
from sopkit.cli import app
from sopkit.errors import UsageError
from sopkit.library import (
    STARTER,
    LibraryEntry,
    fresh_copy,
    library_entries,
    name_from_id,
    new_process,
    starter_entry,
)
from sopkit.models import Review


def new(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["new", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def new_validate(folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", str(folder)])
    return result.exit_code, result.stdout, result.stderr


def test_the_copy_gets_its_own_name_no_purpose_and_a_fresh_draft_review(tmp_path: Path) -> None:
    before = dt.date.today()
    code, out, err = new("content-marketing", "q3-webinar", "-o", tmp_path)
    after = dt.date.today()
    assert (code, out) == (0, "")
    copy = load_process(tmp_path / "q3-webinar.yaml")
    assert copy.id == "q3-webinar"
    assert copy.name == "Q3 webinar"
    assert copy.purpose is None
    assert copy.review is not None
    assert copy.review.version == "0.1"
    assert copy.review.last_reviewed in (before, after)
    assert (copy.review.approver, copy.review.next_review) == (None, None)
    # the CLI wrote what the library call writes
    template = (ENGLISH / "content-marketing.yaml").read_text(encoding="utf-8")
    expected = fresh_copy(template, "q3-webinar", "Q3 webinar", copy.review.last_reviewed)
    assert (tmp_path / "q3-webinar.yaml").read_text(encoding="utf-8") == expected


def test_it_says_what_to_edit_next(tmp_path: Path) -> None:
    cli, library = tmp_path / "cli", tmp_path / "library"
    code, _, err = new("social-media", "social", "-o", cli)
    assert code == 0
    made = new_process("social-media", "social", library)
    expected_lines = [line.replace(str(library), str(cli)) for line in made.next_steps()]
    lines = err.splitlines()
    assert lines[:2] == [f"wrote {cli}/social.yaml", f"wrote {cli}/roles.yaml"]
    assert lines[2:] == expected_lines
    text = "\n".join(lines)
    for field in ("name", "purpose", "owner", "review", "rates in", "validate --strict"):
        assert field in text, field


def test_into_a_team_folder_it_names_the_roles_its_roles_file_lacks(tmp_path: Path) -> None:
    team = "currency: EUR\nroles:\n  Editor: {rate: 45}\n  Designer: {rate: 40}\n"
    (tmp_path / "roles.yaml").write_text(team, encoding="utf-8")
    made = new_process("release-post", "launch-notes", tmp_path)
    assert made.roles is None and made.procedures  # the team's file stays; feature-item comes
    assert (tmp_path / "roles.yaml").read_text(encoding="utf-8") == team  # euros: not added
    assert made.added_roles == ()
    assert "Editor" not in made.missing_roles and "Designer" not in made.missing_roles
    line = next(line for line in made.next_steps() if "does not define" in line)
    assert ", ".join(made.missing_roles) in line
    # They are exactly what the copies need: with a rate for each, both load and cost.
    library = yaml.safe_load((ENGLISH / "roles.yaml").read_text(encoding="utf-8"))["roles"]
    lines = [f"  {role}: {json.dumps(library[role])}\n" for role in made.missing_roles]
    (tmp_path / "roles.yaml").write_text(team + "".join(lines), encoding="utf-8")
    from sopkit.analysis import cost_portfolio

    assert cost_portfolio(load_portfolio(tmp_path)).process("launch-notes").annual_cost > 0
    for role, line in zip(made.missing_roles, lines, strict=True):  # none is there for nothing
        less = "".join(other for other in lines if other != line)
        (tmp_path / "roles.yaml").write_text(team + less, encoding="utf-8")
        code, _, err = new_validate(tmp_path)
        assert code == 1 and f"'{role}'" in err, (role, err)


def test_into_a_team_folder_in_the_library_s_currency_it_adds_the_roles_it_lacks(
    tmp_path: Path,
) -> None:
    """A trial copied a library process into a working folder and lost its build to 18
    missing roles: in the same money, the library's roles come along, marked as its."""
    team = "currency: USD\n# our team\nroles:\n  Editor: {rate: 45}   # senior\n"
    (tmp_path / "roles.yaml").write_text(team, encoding="utf-8")
    code, _, err = new("release-post", "launch-notes", "-o", tmp_path)
    assert code == 0
    text = (tmp_path / "roles.yaml").read_text(encoding="utf-8")
    assert text.startswith(team)  # the team's own lines and comments stay as they were
    assert "# roles release-post needs, from the sopkit library: illustrative rates" in text
    made = load_portfolio(tmp_path)
    roles = made.processes[0].settings.roles
    assert roles["Editor"].rate == 45
    assert roles["Product Manager"].rate == 84  # the library's
    assert roles["CI Pipeline"].kind.value == "system"
    library = yaml.safe_load((ENGLISH / "roles.yaml").read_text(encoding="utf-8"))["roles"]
    staffed = [name for name, role in library.items() if "headcount" in role]
    assert all(roles[name].headcount is None for name in staffed if name in roles)
    assert f"wrote {tmp_path}/roles.yaml" in err.splitlines()
    assert "added with the library's illustrative rates; set your team's" in err
    assert "does not define" not in err
    assert new_validate(tmp_path)[0] == 0
    # A second copy needs nothing more: the file is left as it is.
    new("release-post", "other-notes", "-o", tmp_path)
    assert (tmp_path / "roles.yaml").read_text(encoding="utf-8") == text


def test_into_a_folder_in_another_currency_it_names_the_amounts_and_the_outside_parties(
    tmp_path: Path,
) -> None:
    """The library's case study pays a designer and has the customer approve: in a euro
    team's folder, its cash costs are still dollars, and its outside parties are roles the
    team may copy as the library writes them."""
    (tmp_path / "roles.yaml").write_text(
        "currency: EUR\nroles:\n  Content Writer: {rate: 45}\n", encoding="utf-8"
    )
    made = new_process("case-study", "story", tmp_path)
    assert made.currency == "EUR"
    assert made.library_kinds["Customer"] == "kind: external"  # unpaid: no rate
    assert made.library_kinds["Freelance Designer"] == "kind: external, rate: …"
    assert "Account Executive" not in made.library_kinds  # staff: a rate, as the line says
    steps = made.next_steps()
    assert (
        f"  - expenses and tool costs: the library's are in USD, {tmp_path / 'roles.yaml'} "
        "counts in EUR; convert them"
    ) in steps
    line = next(line for line in steps if "does not define" in line)
    assert line.endswith(
        "outside parties and systems as the library has them: Customer: {kind: external}, "
        "Freelance Designer: {kind: external, rate: …}, "
        "Freelance Video Producer: {kind: external, rate: …}"
    )
    same = tmp_path / "usd"
    same.mkdir()
    (same / "roles.yaml").write_text("currency: USD\nroles: {}\n", encoding="utf-8")
    assert new_process("case-study", "story", same).currency is None


def test_into_a_folder_whose_roles_file_has_them_all_it_says_so(tmp_path: Path) -> None:
    new_process("social-media", "social", tmp_path)  # brings the library's roles.yaml
    again = new_process("social-media", "social-two", tmp_path)
    assert again.missing_roles == ()
    rates = f"  - the rates in {tmp_path / 'roles.yaml'}: the steps' roles all have one"
    assert rates in again.next_steps()


def test_name_option(tmp_path: Path) -> None:
    name = 'Webinar: Q&A "live" # EMEA'
    code, _, _ = new("lead-nurturing", "webinar", "--name", name, "-o", tmp_path)
    assert code == 0
    assert load_process(tmp_path / "webinar.yaml").name == name
    code, _, err = new("lead-nurturing", "other", "--name", "  ", "-o", tmp_path)
    assert code == 2 and "the name is empty" in err


def test_the_dashboard_no_longer_shows_two_identical_cards(tmp_path: Path) -> None:
    """The issue: a copy kept the library's name and purpose, so the portfolio had twins."""
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(ENGLISH / "content-marketing.yaml", folder)
    code, _, _ = new("content-marketing", "webinar", "-o", folder)
    assert code == 0
    portfolio = load_portfolio(folder)
    names = [p.name for p in portfolio]
    purposes = [p.purpose for p in portfolio if p.purpose]
    assert len(set(names)) == 2 and len(purposes) == 1


@pytest.mark.parametrize("entry", library_entries(), ids=lambda e: e.id)
def test_every_library_process_starts_a_valid_draft(tmp_path: Path, entry: LibraryEntry) -> None:
    made = new_process(entry.id, "draft-copy", tmp_path, today=dt.date(2027, 1, 2))
    process = load_process(made.process)
    assert process.review == Review(version="0.1", last_reviewed=dt.date(2027, 1, 2))
    assert process.name == "Draft copy" and process.purpose is None
    warnings = [w.message for w in lint_process(process)]
    assert warnings and all("purpose" in w for w in warnings)  # only the purpose is missing
    assert process.settings.currency == entry.currency


@pytest.mark.parametrize(
    ("process_id", "name"),
    [("webinar", "Webinar"), ("q3-webinar", "Q3 webinar"), ("2027-plan", "2027 plan")],
)
def test_name_from_id(process_id: str, name: str) -> None:
    assert name_from_id(process_id) == name


TEMPLATE = """\
# a comment that stays
sopkit: 1
id: old
name: Old name   # trailing comment goes with the old value
owner: Lead
purpose: >-
  Two lines
  of purpose.

review:
  version: "3.2"
  approver: Somebody
frequency: 1/month
steps:
  - {id: a, name: A, owner: Lead, time: 1h}   # kept
"""


def test_fresh_copy_rewrites_block_entries_and_keeps_the_rest() -> None:
    text = fresh_copy(TEMPLATE, "new-one", "New one", dt.date(2027, 5, 6))
    data = yaml.safe_load(text)
    assert data["id"] == "new-one" and data["name"] == "New one"
    assert "purpose" not in data and "approver" not in text
    assert data["review"] == {"version": "0.1", "last_reviewed": dt.date(2027, 5, 6)}
    assert data["frequency"] == "1/month" and data["owner"] == "Lead"
    assert text.startswith("# a comment that stays\n")
    assert "# kept" in text and "# purpose: why this process exists" in text


def test_fresh_copy_adds_a_review_block_when_the_template_has_none() -> None:
    bare = "sopkit: 1\nid: x\nname: X\nowner: L\nfrequency: 1/month\nsteps: []\n"
    data = yaml.safe_load(fresh_copy(bare, "y", "Y", dt.date(2027, 1, 1)))
    assert list(data)[:4] == ["sopkit", "id", "name", "review"]
    assert data["review"] == {"version": "0.1", "last_reviewed": dt.date(2027, 1, 1)}


def test_a_process_that_runs_a_procedure_brings_the_procedure(tmp_path: Path) -> None:
    """The release post runs feature-item for every feature: a copy without it would not load."""
    from sopkit.analysis import cost_portfolio

    code, _, err = new("release-post", "launch-notes", "-o", tmp_path)
    assert code == 0, err
    assert err.splitlines()[:3] == [
        f"wrote {tmp_path}/launch-notes.yaml",
        f"wrote {tmp_path}/feature-item.yaml",
        f"wrote {tmp_path}/roles.yaml",
    ]
    assert f"{tmp_path}/feature-item.yaml: the procedure its steps run" in err
    library = (ENGLISH / "feature-item.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "feature-item.yaml").read_text(encoding="utf-8") == library
    copy = cost_portfolio(load_portfolio(tmp_path)).process("launch-notes")
    original = cost_portfolio(load_portfolio(ENGLISH)).process("release-post")
    assert copy.annual_cost == original.annual_cost > 0


def test_a_procedure_the_folder_has_is_not_copied_again(tmp_path: Path) -> None:
    own = (
        (ENGLISH / "feature-item.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Release post feature write-up", "name: Our feature note")
    )
    (tmp_path / "our-feature-note.yaml").write_text(own, encoding="utf-8")
    made = new_process("release-post", "launch-notes", tmp_path)
    assert made.procedures == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "launch-notes.yaml",
        "our-feature-note.yaml",
        "roles.yaml",
    ]
    assert load_process(tmp_path / "launch-notes.yaml").callees["feature-item"].name == (
        "Our feature note"
    )
    # A second copy finds the first one's procedure and writes only itself.
    again = new_process("release-post", "other-notes", tmp_path)
    assert again.written == [tmp_path / "other-notes.yaml"]


def test_list_marks_processes_that_only_run_when_called() -> None:
    code, out, _ = new("--list")
    assert code == 0
    (line,) = [row for row in out.splitlines() if row.startswith("feature-item ")]
    assert " called " in line and "Release post feature write-up" in line
    (caller,) = [row for row in out.splitlines() if row.startswith("release-post ")]
    assert " 1/month " in caller


def test_a_mistyped_template_gets_a_suggestion() -> None:
    code, _, err = new("contnet-marketing", "blog")
    assert code == 2
    assert "no library process 'contnet-marketing' (did you mean 'content-marketing'?)" in err


def test_it_names_the_tools_whose_cost_the_copy_keeps(tmp_path: Path) -> None:
    """content-marketing's automations name two paid tools; each is charged against its
    step's saving, which is right only if automating that step means buying it."""
    made = new_process("content-marketing", "webinar", tmp_path)
    assert made.paid_tools == ("ChatGPT Team", "Grammarly Business")
    (line,) = [line for line in made.next_steps() if "the tools' costs" in line]
    assert "(ChatGPT Team, Grammarly Business)" in line and "keep a tool_cost only if" in line
    plain = new_process("case-study", "story", tmp_path / "other")  # no tool_cost in it
    assert plain.paid_tools == ()
    assert not any("the tools' costs" in line for line in plain.next_steps())


def test_an_output_named_like_a_file_is_refused_not_made_a_folder(tmp_path: Path) -> None:
    """-o new.yaml made a folder called new.yaml holding x.yaml."""
    code, _, err = new("starter", "x", "-o", tmp_path / "new.yaml")
    assert code == 2 and not (tmp_path / "new.yaml").exists()
    assert "looks like a file name; it is the folder to write into" in err
    assert f"(x.yaml): sopkit new starter x -o {tmp_path}" in " ".join(err.split())
    # An existing folder of that name is a folder, and is written into.
    (tmp_path / "odd.yaml").mkdir()
    code, _, err = new("starter", "x", "-o", tmp_path / "odd.yaml")
    assert code == 0 and (tmp_path / "odd.yaml" / "x.yaml").is_file(), err


def test_a_roles_file_further_up_is_not_added_to(tmp_path: Path) -> None:
    """A roles.yaml in a parent folder is every folder's below it: a copy into a
    subfolder names the roles it lacks instead of adding library rates for all."""
    team = "currency: USD\nroles:\n  Editor: {rate: 45}\n"
    (tmp_path / "roles.yaml").write_text(team, encoding="utf-8")
    made = new_process("case-study", "story", tmp_path / "team" / "sub")
    assert (tmp_path / "roles.yaml").read_text(encoding="utf-8") == team
    assert made.added_roles == () and made.missing_roles
    assert any("does not define" in line for line in made.next_steps())


def test_it_says_which_roles_it_added_and_which_are_still_missing() -> None:
    from sopkit.library import NewProcess

    entry = next(e for e in library_entries() if e.id == "case-study")
    made = NewProcess(
        Path("story.yaml"),
        None,
        Path("roles.yaml"),
        "Story",
        entry,
        missing_roles=("Customer",),
        added_roles=("Designer", "Editor"),
    )
    line = next(line for line in made.next_steps() if "does not define" in line)
    assert "roles.yaml does not define Customer" in line
    assert "Designer, Editor were added with the library's illustrative rates" in line


# --- the starter in Korean and Russian --------------------------------------------------------

#: The letters each language's starter is written in.
SCRIPTS = {"ko": re.compile("[\uac00-\ud7a3]"), "ru": re.compile("[\u0400-\u04ff]")}


@pytest.mark.parametrize(
    ("language", "headings", "currency"),
    [("ko", ("## 절차", "**완료 기준:**"), "KRW"), ("ru", ("## Порядок выполнения",), "RUB")],
)
def test_new_lang_writes_the_starter_in_the_language_it_validates_and_its_sop_too(
    tmp_path: Path, language: str, headings: tuple[str, ...], currency: str
) -> None:
    code, out, err = new(STARTER, "partner-webinar", "--lang", language, "-o", tmp_path)
    assert (code, out) == (0, "")
    written = tmp_path / "partner-webinar.yaml"
    copy = load_process(written)
    assert copy.language.value == language and copy.settings.currency == currency
    # the CLI wrote what the library call writes, from the starter in that language
    entry = starter_entry(language)
    assert copy.review is not None
    expected = fresh_copy(
        entry.file.read_text(encoding="utf-8"),
        "partner-webinar",
        "Partner webinar",
        copy.review.last_reviewed,
        language=language,
    )
    assert written.read_text(encoding="utf-8") == expected
    assert err.splitlines()[:2] == [f"wrote {written}", f"wrote {tmp_path}/roles.yaml"]
    # the name from an ASCII id is English: the next steps say to write it in the language
    assert f"write it in the process's language ({language})" in err
    # and what its 'language:' does starts from the one it says, not from en
    named = {"ko": "Korean", "ru": "Russian"}[language]
    (said,) = [line for line in err.splitlines() if line.startswith("  - language:")]
    assert said.startswith(f"  - language: {language} writes the SOP's headings in {named}; ")
    # names, instructions and comments are in the language, and 'language' says so
    text = written.read_text(encoding="utf-8")
    assert f"\nlanguage: {language} " in text
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    assert comments and all(SCRIPTS[language].search(c) for c in comments), comments
    texts = [copy.owner, copy.trigger or "", *(s.name for s in copy.steps)]
    texts += [s.done_when or "" for s in copy.steps]
    assert all(SCRIPTS[language].search(t) for t in texts), texts
    roles = (tmp_path / "roles.yaml").read_text(encoding="utf-8")
    assert all(SCRIPTS[language].search(line) for line in roles.splitlines() if "#" in line)
    # it validates (only the purpose is left to write) and its SOP is in the language
    code, _, err = new_validate(tmp_path)
    assert code == 0 and "ok: 1 process, 3 steps valid" in err
    assert [w.message for w in lint_process(copy)] == [
        "no purpose: a new team member will not know why this SOP exists"
    ]
    result = CliRunner().invoke(app, ["sop", str(written)])
    assert result.exit_code == 0, result.stderr
    assert all(heading in result.stdout for heading in headings)


def test_the_starters_are_one_process_in_three_languages() -> None:
    """Only the words differ: the same steps, times, order, sign-off and rework."""

    def shape(language: str) -> list[tuple[object, ...]]:
        process = load_process(Path(str(starter_entry(language).file)))
        steps = [(s.id, s.time, s.after, s.approval, s.rework) for s in process.steps]
        return [*steps, (process.frequency, len({s.owner for s in process.steps}))]

    assert shape("ko") == shape("en") == shape("ru")
    # one for every language a process may be written in, and --lang offers each
    from sopkit.cli.common import DocumentLanguage
    from sopkit.models import Language

    languages = [language.value for language in Language]
    assert [starter_entry(language).language for language in languages] == languages
    assert [language.value for language in DocumentLanguage] == languages
    names = {lang: load_process(Path(str(starter_entry(lang).file))).name for lang in SCRIPTS}
    assert names == {"ko": "스타터 — 빈 프로세스", "ru": "Заготовка — пустой процесс"}


def test_new_list_lang_lists_the_library_in_the_language_with_its_starter() -> None:
    code, out, _ = new("--list", "--lang", "ko")
    assert code == 0
    rows = [row.split() for row in out.splitlines()]
    assert [row[:3] for row in rows] == [
        ["content-marketing-ko", "ko", "KRW"],
        ["starter", "ko", "KRW"],
    ]
    assert out.splitlines()[1].endswith("3 steps  스타터 — 빈 프로세스")
    code, out, _ = new("--list")  # without --lang: every language, the starter in English
    assert [row for row in out.splitlines() if row.startswith("starter ")] == [
        "starter                  en  USD  1/month     3 steps  Starter — a blank process"
    ]


def test_new_lang_with_a_library_process_in_another_language_names_those_in_it(
    tmp_path: Path,
) -> None:
    code, _, err = new("content-marketing", "blog", "--lang", "ko", "-o", tmp_path)
    assert code == 2 and not (tmp_path / "blog.yaml").exists()
    assert "'content-marketing' is written in English, not Korean" in err
    assert "the library in Korean: content-marketing-ko" in " ".join(err.split())
    assert "sopkit new starter blog --lang ko" in " ".join(err.split())
    # in its own language --lang only confirms it: the copy is the library's
    code, _, err = new("content-marketing-ko", "blog", "--lang", "ko", "-o", tmp_path)
    assert code == 0, err
    assert load_process(tmp_path / "blog.yaml").language.value == "ko"
    code, _, err = new(STARTER, "x", "--lang", "de", "-o", tmp_path)
    assert code == 2 and "'de' is not one of" in err
    with pytest.raises(UsageError, match="unknown language 'de'"):
        new_process(STARTER, "x", tmp_path, language="de")


def test_a_korean_copy_s_purpose_comment_is_korean(tmp_path: Path) -> None:
    """The comment left where the purpose was speaks the copy's language, as the rest."""
    new_process("content-marketing-ko", "blog", tmp_path)
    text = (tmp_path / "blog.yaml").read_text(encoding="utf-8")
    assert "\n# purpose: 이 프로세스가 왜 있는지, 좋은 결과물은 어떤 모습인지\n" in text
    new_process("sostac-plan-ru", "plan", tmp_path / "ru")
    text = (tmp_path / "ru" / "plan.yaml").read_text(encoding="utf-8")
    assert "\n# purpose: зачем нужен этот процесс и каким должен быть хороший результат\n" in text
