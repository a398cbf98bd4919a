"""Messages a new user's trial found misleading, each checked as ``sopkit validate`` prints
it: a message that leads away from the fix costs more than having none."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.source import parse_yaml

ROLES = "currency: USD\nroles:\n  Editor: {rate: 45}\n"
HEAD = "sopkit: 1\nid: {id}\nname: P\nowner: Editor\nfrequency: 1/month\n"


def validate(folder: Path, **files: str) -> list[str]:
    """The error lines ``sopkit validate`` prints for a folder of these files, each path
    relative to the folder; ``roles`` is the roles file (``ROLES`` unless given)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roles.yaml").write_text(files.pop("roles", ROLES), encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    return [line.replace(f"{folder}/", "") for line in result.stderr.splitlines() if line]


# --- a step written without its '- ' ---------------------------------------------------

FORGOTTEN_DASH = HEAD.format(id="p") + (
    "steps:\n"
    "  - id: intro\n"
    "    name: Intro\n"
    "    owner: Editor\n"
    "    time: 1h\n"
    "    id: tips\n"
    "    name: Tips\n"
    "    owner: Editor\n"
    "    time: 1h\n"
    "  - id: outro\n"
    "    name: Outro\n"
    "    owner: Editor\n"
    "    time: 1h\n"
    "    after: [tips]\n"
)


def test_a_step_without_its_dash_is_one_message_that_says_to_add_it(tmp_path: Path) -> None:
    """It printed a duplicate-key line per field, whose "remove one of them" deleted the
    step, and "'after' names no step 'tips'": the step it had merged away."""
    assert validate(tmp_path, p=FORGOTTEN_DASH) == [
        "p.yaml:11:5: error: step at line 7 repeats 'id', 'name', 'owner' and 'time' "
        "(did you forget '- ' before 'id: tips' to start a new step?)"
    ]


def test_the_step_without_its_dash_is_read_as_the_step_it_was_meant_to_be() -> None:
    """Read as two steps, the rest of the file is checked as meant: no follow-on errors."""
    document = parse_yaml(FORGOTTEN_DASH, "p.yaml", defer=True)
    assert [step["id"] for step in document.data["steps"]] == ["intro", "tips", "outro"]
    assert document.data["steps"][1] == {"id": "tips", "name": "Tips", "owner": "Editor"} | {
        "time": "1h"
    }
    assert document.source.locate(("steps", 2, "id")) == (15, 9)
    assert [problem.line for problem in document.problems] == [11]


def test_other_lists_say_item(tmp_path: Path) -> None:
    text = HEAD.format(id="p") + (
        "expenses:\n"
        "  - name: Licence\n"
        "    amount: 100\n"
        "    per: year\n"
        "    name: Hosting\n"
        "    amount: 20\n"
        "    per: month\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    )
    assert validate(tmp_path, p=text) == [
        "p.yaml:10:5: error: item at line 7 repeats 'name', 'amount' and 'per' "
        "(did you forget '- ' before 'name: Hosting' to start a new item?)"
    ]


def test_a_single_duplicate_key_is_still_a_duplicate_key(tmp_path: Path) -> None:
    """One key twice in a step, or in a process's header, is no forgotten item."""
    text = HEAD.format(id="p") + (
        "name: Q\nsteps:\n  - id: a\n    name: A\n    owner: Editor\n    name: B\n    time: 1h\n"
    )
    assert validate(tmp_path, p=text) == [
        "p.yaml:6:1: error: duplicate key 'name' (first at line 3) "
        "(remove one of them; YAML keeps only one)",
        "p.yaml:11:5: error: duplicate key 'name' (first at line 9) "
        "(remove one of them; YAML keeps only one)",
    ]


# The code review's examples (q.yaml, r.yaml): keys written twice further down one step,
# not starting again at its 'id', were told to add a '- ' and split into a step with no id.

ROLES_A = "currency: USD\nroles:\n  A: {rate: 50}\n"
TWICE_NAME_AND_TIME = (
    "sopkit: 1\nid: q\nname: Q\nowner: A\nfrequency: 1/month\n"
    "steps:\n"
    "  - id: one\n"
    "    name: One\n"
    "    owner: A\n"
    "    time: 1h\n"
    "    name: One again\n"
    "    time: 2h\n"
)
TWICE_TIME_AND_TOOLS = (
    "sopkit: 1\nid: r\nname: R\nowner: A\nfrequency: 1/month\n"
    "steps:\n"
    "  - id: one\n"
    "    name: One\n"
    "    owner: A\n"
    "    time: 1h\n"
    "    tools: [x]\n"
    "    instructions: [a]\n"
    "    time: 2h\n"
    "    tools: [y]\n"
)


def test_keys_twice_further_down_a_step_are_duplicate_keys(tmp_path: Path) -> None:
    """'name' and 'time' again do not start a step: no '- ' is missing."""
    assert validate(tmp_path, roles=ROLES_A, q=TWICE_NAME_AND_TIME) == [
        "q.yaml:11:5: error: duplicate key 'name' (first at line 8) "
        "(remove one of them; YAML keeps only one)",
        "q.yaml:12:5: error: duplicate key 'time' (first at line 10) "
        "(remove one of them; YAML keeps only one)",
    ]


def test_keys_twice_not_in_the_steps_order_are_duplicate_keys(tmp_path: Path) -> None:
    assert validate(tmp_path, roles=ROLES_A, r=TWICE_TIME_AND_TOOLS) == [
        "r.yaml:13:5: error: duplicate key 'time' (first at line 10) "
        "(remove one of them; YAML keeps only one)",
        "r.yaml:14:5: error: duplicate key 'tools' (first at line 11) "
        "(remove one of them; YAML keeps only one)",
    ]


def test_a_step_with_keys_twice_stays_one_step_with_its_first_values() -> None:
    """Not split into a step with no id: the first value of each key is kept."""
    for text, lines in ((TWICE_NAME_AND_TIME, [11, 12]), (TWICE_TIME_AND_TOOLS, [13, 14])):
        document = parse_yaml(text, "p.yaml", defer=True)
        assert len(document.data["steps"]) == 1
        assert document.data["steps"][0]["id"] == "one"
        assert document.data["steps"][0]["time"] == "1h"
        assert [problem.line for problem in document.problems] == lines


def test_a_step_without_its_dash_that_starts_with_another_key_is_still_found(
    tmp_path: Path,
) -> None:
    """The item's own first key starting again is the mark, whichever key that is."""
    text = HEAD.format(id="p") + (
        "steps:\n"
        "  - name: Intro\n"
        "    id: intro\n"
        "    owner: Editor\n"
        "    time: 1h\n"
        "    name: Tips\n"
        "    id: tips\n"
        "    time: 1h\n"
        "    owner: Editor\n"
        "    after: [intro]\n"
    )
    assert validate(tmp_path, p=text) == [
        "p.yaml:11:5: error: step at line 7 repeats 'name', 'id', 'time' and 'owner' "
        "(did you forget '- ' before 'name: Tips' to start a new step?)"
    ]


def test_a_duplicate_key_before_a_step_without_its_dash_is_said_as_both(tmp_path: Path) -> None:
    """A key twice in the first step, then the next step written without its '- '."""
    text = HEAD.format(id="p") + (
        "steps:\n"
        "  - id: intro\n"
        "    name: Intro\n"
        "    owner: Editor\n"
        "    time: 1h\n"
        "    time: 2h\n"
        "    id: tips\n"
        "    name: Tips\n"
        "    owner: Editor\n"
        "    time: 1h\n"
    )
    assert validate(tmp_path, p=text) == [
        "p.yaml:11:5: error: duplicate key 'time' (first at line 10) "
        "(remove one of them; YAML keeps only one)",
        "p.yaml:12:5: error: step at line 7 repeats 'id', 'name', 'owner' and 'time' "
        "(did you forget '- ' before 'id: tips' to start a new step?)",
    ]


# A step without its '- ' whose keys come in another order than the step above's: it was
# split at the first step's first key again, one key late ('name' a duplicate key, the
# rest a step without it) or never (four duplicate keys and "'after' names no step").

INTRO = HEAD.format(id="p") + (
    "steps:\n  - id: intro\n    name: Intro\n    owner: Editor\n    time: 1h\n"
)
OUTRO = "  - id: outro\n    name: Outro\n    owner: Editor\n    time: 1h\n    after: [tips]\n"
TIPS = {"id": "tips", "name": "Tips", "owner": "Editor", "time": "1h"}


def _written(*keys: str) -> str:
    return "".join(f"    {key}: {TIPS[key]}\n" for key in keys)


NAME_THEN_ID = INTRO + _written("name", "id", "owner", "time") + OUTRO
ID_LAST = INTRO + _written("name", "owner", "time", "id") + OUTRO


def test_a_step_without_its_dash_in_another_order_starts_at_its_first_key(
    tmp_path: Path,
) -> None:
    assert validate(tmp_path, p=NAME_THEN_ID) == [
        "p.yaml:11:5: error: step at line 7 repeats 'name', 'id', 'owner' and 'time' "
        "(did you forget '- ' before 'name: Tips' to start a new step?)"
    ]


def test_a_step_without_its_dash_with_its_id_last_is_found(tmp_path: Path) -> None:
    assert validate(tmp_path, p=ID_LAST) == [
        "p.yaml:11:5: error: step at line 7 repeats 'name', 'owner', 'time' and 'id' "
        "(did you forget '- ' before 'name: Tips' to start a new step?)"
    ]


def test_a_step_without_its_dash_in_another_order_is_read_as_written() -> None:
    for text in (NAME_THEN_ID, ID_LAST):
        document = parse_yaml(text, "p.yaml", defer=True)
        assert [step["id"] for step in document.data["steps"]] == ["intro", "tips", "outro"]
        assert document.data["steps"][0]["name"] == "Intro"
        assert document.data["steps"][1] == TIPS
        assert document.source.locate(("steps", 1, "name")) == (11, 11)
        assert [(problem.line, problem.column) for problem in document.problems] == [(11, 5)]


def test_a_duplicate_key_above_a_step_in_another_order_is_said_as_both(tmp_path: Path) -> None:
    """The 'time' twice is the first step's; the step without its '- ' starts at 'name'."""
    text = INTRO + "    time: 2h\n" + _written("name", "id", "owner", "time") + OUTRO
    assert validate(tmp_path, p=text) == [
        "p.yaml:11:5: error: duplicate key 'time' (first at line 10) "
        "(remove one of them; YAML keeps only one)",
        "p.yaml:12:5: error: step at line 7 repeats 'name', 'id', 'owner' and 'time' "
        "(did you forget '- ' before 'name: Tips' to start a new step?)",
    ]
    steps = parse_yaml(text, "p.yaml", defer=True).data["steps"]
    assert steps[0]["time"] == "1h"
    assert steps[1] == TIPS


def test_three_steps_without_their_dashes_in_three_orders_are_three_steps() -> None:
    text = (
        INTRO
        + _written("name", "id", "owner", "time")
        + "    time: 1h\n    owner: Editor\n    id: more\n    name: More\n"
    )
    document = parse_yaml(text, "p.yaml", defer=True)
    assert [step["id"] for step in document.data["steps"]] == ["intro", "tips", "more"]
    assert [problem.line for problem in document.problems] == [11, 15]
    assert "before 'time: 1h'" in str(document.problems[1])


def test_the_first_key_alone_again_is_a_duplicate_key(tmp_path: Path) -> None:
    """'id' twice in one step, with no other key again, starts no step."""
    text = INTRO + "    done_when: Sent\n    id: intro-again\n"
    assert validate(tmp_path, p=text) == [
        "p.yaml:12:5: error: duplicate key 'id' (first at line 7) "
        "(remove one of them; YAML keeps only one)"
    ]


STEP_KEYS = ("id", "name", "owner", "time")
MORE_KEYS = ("done_when", "notes", "instructions")


@st.composite
def _step_keys(draw: st.DrawFn) -> list[str]:
    """A step's keys in any order: the four every step has, and any of a few others."""
    more = draw(st.lists(st.sampled_from(MORE_KEYS), unique=True))
    return draw(st.permutations([*STEP_KEYS, *more]))


def _step_text(keys: list[str], number: int, dash: bool) -> str:
    lines = [f"{key}: {key}-{number}" for key in keys]
    return ("  - " if dash else "    ") + "\n    ".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_step_keys(), _step_keys())
def test_two_steps_joined_without_the_dash_split_back_into_those_steps(
    first: list[str], second: list[str]
) -> None:
    """Each key order of either step, so long as each starts with a key the other has:
    the second must have the first's first key (a step's 'id') to be a step, and a key
    the second alone has, written between them, could be either's, and is the first's."""
    assume(first[0] in second and second[0] in first)
    text = "steps:\n" + _step_text(first, 1, dash=True) + _step_text(second, 2, dash=False)
    document = parse_yaml(text, "p.yaml", defer=True)
    assert document.data["steps"] == [
        {key: f"{key}-1" for key in first},
        {key: f"{key}-2" for key in second},
    ]
    [problem] = document.problems
    assert (problem.line, problem.column) == (len(first) + 2, 5)
    assert f"before '{second[0]}: {second[0]}-2'" in str(problem)


@settings(max_examples=300, deadline=None)
@given(_step_keys(), st.data())
def test_keys_twice_without_the_steps_first_key_are_duplicates(
    keys: list[str], data: st.DataObject
) -> None:
    """However many of a step's other keys come again, in any order, it stays one step."""
    twice = data.draw(st.lists(st.sampled_from(keys[1:]), min_size=1, unique=True))
    text = "steps:\n" + _step_text(keys, 1, dash=True) + _step_text(twice, 2, dash=False)
    document = parse_yaml(text, "p.yaml", defer=True)
    assert document.data["steps"] == [{key: f"{key}-1" for key in keys}]
    assert ["duplicate key" in str(problem) for problem in document.problems] == [True] * len(twice)


# --- a role's fields written at the role's own indent ----------------------------------


def test_a_role_field_at_the_roles_indent_is_told_to_indent_it(tmp_path: Path) -> None:
    """It said "role 'rate': should be a mapping of fields, got '55'" (hint "rate: {rate:
    …}"), and apart from it that the role above had no fields: one mistake, two riddles."""
    roles = "currency: USD\nroles:\n  Editor: {rate: 45}\n  Customer Success Manager:\n  rate: 55\n"
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    assert validate(tmp_path, roles=roles, p=process) == [
        "roles.yaml:5:3: error: 'rate' is read as a role: indent it under "
        "'Customer Success Manager' (role 'Customer Success Manager' on line 4 has no fields: "
        "write them further in than its name, or as Customer Success Manager: {rate: 55})"
    ]


def test_several_role_fields_at_the_roles_indent_are_one_message(tmp_path: Path) -> None:
    process = HEAD.format(id="p") + (
        "roles:\n  Host:\n  rate: 50\n  headcount: 2\n  Guest: {kind: external}\n"
        "steps:\n  - {id: a, name: A, owner: Host, time: 1h}\n"
    )
    assert validate(tmp_path, p=process) == [
        "p.yaml:8:3: error: 'rate' and 'headcount' are read as roles: indent them under "
        "'Host' (role 'Host' on line 7 has no fields: write them further in than its name, "
        "or as Host: {rate: 50, headcount: 2})"
    ]


def test_a_role_field_beside_an_empty_role_in_braces_is_told_to_put_it_in_braces(
    tmp_path: Path,
) -> None:
    """A mapping in braces has no indent: "indent it under 'Writer'" could not be done."""
    roles = "currency: USD\nroles: {Editor: {rate: 45}, Writer: , rate: 5}\n"
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    assert validate(tmp_path, roles=roles, p=process) == [
        "roles.yaml:2:39: error: 'rate' is read as a role: put it inside braces after "
        "'Writer' (role 'Writer' on line 2 has no fields: write Writer: {rate: 5})"
    ]


def test_role_fields_in_braces_of_a_process_are_one_message(tmp_path: Path) -> None:
    process = HEAD.format(id="p") + (
        "roles: {\n  Host: ,\n  rate: 50,\n  headcount: 2,\n  Guest: {kind: external}}\n"
        "steps:\n  - {id: a, name: A, owner: Host, time: 1h}\n"
    )
    assert validate(tmp_path, p=process) == [
        "p.yaml:8:3: error: 'rate' and 'headcount' are read as roles: put them inside braces "
        "after 'Host' (role 'Host' on line 7 has no fields: write Host: {rate: 50, headcount: 2})"
    ]


def test_a_role_named_as_a_field_after_a_full_role_says_it_is_a_field(tmp_path: Path) -> None:
    roles = "roles:\n  Editor: {rate: 45}\n  headcount: 2\n"
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    assert validate(tmp_path, roles=roles, p=process) == [
        "roles.yaml:3:14: error: role 'headcount': should be a mapping of fields, got '2' "
        "('headcount' is a field of a role, not a role: write it among the fields of the "
        "role it belongs to, e.g. Designer: {headcount: 2})"
    ]


def test_a_wrong_role_of_the_process_does_not_make_its_steps_ownerless(tmp_path: Path) -> None:
    """The role is there, and its own problem is said; "owner 'Host' is not among the
    roles" about each of its steps would send the user looking for a missing role."""
    process = HEAD.format(id="p") + (
        "roles:\n  Host: {rate: -5}\nsteps:\n  - {id: a, name: A, owner: Host, time: 1h}\n"
    )
    assert validate(tmp_path, p=process) == [
        "p.yaml:7:16: error: role 'Host': rate: input should be greater than or equal to 0 "
        "(the hourly cost in the roles file's currency, zero or more)"
    ]


# --- an option named where a condition belongs ------------------------------------------

CONDITIONS = HEAD.format(id="p") + (
    "conditions:\n"
    "  agency-production: {question: Is an agency producing it?, share: 0.3}\n"
    "  format: {question: Which format?, options: {webinar: 0.6, panel: 0.3, demo: 0.1}}\n"
    "steps:\n"
    "  - {id: a, name: A, owner: Editor, time: 1h, when: WHEN}\n"
)


def test_an_option_named_as_a_condition_is_told_its_condition(tmp_path: Path) -> None:
    """It said "no condition 'panel' (conditions here: agency-production, format)": true,
    and no help, since 'panel' is right there under 'format'."""
    assert validate(tmp_path, p=CONDITIONS.replace("WHEN", "panel")) == [
        "p.yaml:10:53: error: step 'a': no condition 'panel' "
        "('panel' is an option of condition 'format': write when: {format: panel})"
    ]


def test_an_option_beside_another_condition_keeps_it_in_the_hint(tmp_path: Path) -> None:
    lines = validate(tmp_path, p=CONDITIONS.replace("WHEN", "[agency-production, panel]"))
    assert lines == [
        "p.yaml:10:53: error: step 'a': no condition 'panel' ('panel' is an option of "
        "condition 'format': write when: {agency-production: true, format: panel})"
    ]


def test_an_option_asked_for_no_names_the_other_options(tmp_path: Path) -> None:
    assert validate(tmp_path, p=CONDITIONS.replace("WHEN", "{panel: false}")) == [
        "p.yaml:10:61: error: step 'a': no condition 'panel' ('panel' is an option of "
        "condition 'format': for the runs without it, write when: {format: [demo, webinar]})"
    ]


# --- "did you mean" where it was missing ------------------------------------------------


def test_a_call_to_a_shortened_process_id_is_offered_the_full_one(tmp_path: Path) -> None:
    """'webinar-promo' is too many letters from 'webinar-promo-email' to be a typo, but it
    is that id with its last word left off."""
    callee = HEAD.format(id="webinar-promo-email") + (
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    )
    caller = (
        HEAD.format(id="webinar") + "steps:\n  - {id: promo, name: Promo, process: webinar-promo}\n"
    )
    assert validate(tmp_path, callee=callee, caller=caller) == [
        "caller.yaml:7:39: error: step 'promo' runs process 'webinar-promo', which is not "
        "among the files given nor in the same folder (did you mean 'webinar-promo-email'?)"
    ]


def test_a_lower_case_currency_is_offered_in_capitals(tmp_path: Path) -> None:
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    for written, meant in (("usd", "USD"), ("EURO", "EUR"), ("US$", "USD"), ("UDS", "USD")):
        roles = f"currency: {written}\nroles:\n  Editor: {{rate: 45}}\n"
        assert validate(tmp_path / written, roles=roles, p=process) == [
            f"roles.yaml:1:11: error: currency: unknown currency code '{written}' "
            f"(did you mean '{meant}'?)"
        ]


def test_a_currency_code_far_from_any_is_told_what_a_code_is(tmp_path: Path) -> None:
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    roles = "currency: XYZ\nroles:\n  Editor: {rate: 45}\n"
    assert validate(tmp_path, roles=roles, p=process) == [
        "roles.yaml:1:11: error: currency: unknown currency code 'XYZ' "
        "(use an ISO 4217 code such as USD, EUR, GBP, KRW, JPY or RUB)"
    ]


# --- wording: a field named once, and sopkit's words for a choice -----------------------


def test_a_field_its_message_names_is_not_named_twice(tmp_path: Path) -> None:
    """It read "time: time must be above zero"."""
    process = HEAD.format(id="p") + "steps:\n  - {id: a, name: A, owner: Editor, time: 0}\n"
    assert validate(tmp_path, p=process) == [
        "p.yaml:7:43: error: step 'a': time must be above zero (give the hands-on time, e.g. 30m)"
    ]


def test_a_choice_says_what_it_must_be_not_what_input_should_be(tmp_path: Path) -> None:
    """It read "kind: input should be 'staff', 'external' or 'system'": pydantic's words."""
    roles = "roles:\n  Editor: {rate: 45, kind: agency}\n"
    process = HEAD.format(id="p") + (
        "expenses:\n  - {name: Licence, amount: 100, per: monthly}\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n"
    )
    assert validate(tmp_path, roles=roles, p=process) == [
        "p.yaml:7:39: error: expenses: item 1: per must be 'run', 'month', 'quarter' or "
        "'year', not 'monthly' (did you mean 'month'?)",
        "roles.yaml:2:28: error: role 'Editor': kind must be 'staff', 'external' or 'system', "
        "not 'agency' (write kind: external (sopkit's word for 'agency'))",
    ]
