"""Every invalid case of the format spec ("What is invalid"): its message, line and column.

Each case edits one line of a valid process and checks the exact line sopkit
prints, ``file:line:col: error: message (hint)``. The base process's lines:

     1 sopkit: 1               8     name: Research          15     time: 1h..4h
     2 id: blog                9     owner: SEO Specialist   16   - id: edit
     3 name: Blog post        10     time: 2h                17     name: Edit
     4 owner: Content Lead    11   - id: draft               18     owner: Editor
     5 frequency: 4/month     12     name: Draft             19     after: [draft]
     6 steps:                 13     owner: Content Writer   20     time: 1h
     7   - id: research       14     after: [research]       21     rework: {to: draft, ...}
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DEFAULT_ROLES

from sopkit.errors import SopkitError
from sopkit.load import load_process
from sopkit.validate import (
    MAX_HOURS_PER_EXECUTION,
    MAX_RUNS_PER_MONTH,
    check_process,
    figure_text,
    lint_process,
)

#: How every missing-rate hint ends: the kinds of role that need no rate.
KINDS = "a tool doing the work is '{kind: system}', an outside party '{kind: external}'"
BASE = """\
sopkit: 1
id: blog
name: Blog post
owner: Content Lead
frequency: 4/month
steps:
  - id: research
    name: Research
    owner: SEO Specialist
    time: 2h
  - id: draft
    name: Draft
    owner: Content Writer
    after: [research]
    time: 1h..4h
  - id: edit
    name: Edit
    owner: Editor
    after: [draft]
    time: 1h
    rework: {to: draft, probability: 0.3}
"""

Writer = Callable[..., Path]
#: The last step's work, for cases that make it a milestone or a call instead.
EDIT_WORK = (
    "    owner: Editor\n    after: [draft]\n    time: 1h\n"
    "    rework: {to: draft, probability: 0.3}\n"
)


def edit(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def problems_of(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(SopkitError) as info:
        load_process(path, **kwargs)  # type: ignore[arg-type]
    prefix = str(path.parent) + "/"
    return [problem.format().replace(prefix, "") for problem in info.value.problems]


def test_the_base_process_is_valid(write_process: Writer) -> None:
    process = load_process(write_process(BASE))
    assert [step.id for step in process.steps] == ["research", "draft", "edit"]
    assert check_process(process) == []


CASES = [
    # --- fields ----------------------------------------------------------------------
    (
        "typo-in-a-step",
        edit("    owner: Editor\n", "    owenr: Editor\n"),
        # One mistake, one line: the "did you mean" says what "missing 'owner'" would.
        ["process.yaml:18:5: error: step 'edit': unknown field 'owenr' (did you mean 'owner'?)"],
    ),
    (
        "typo-at-the-top",
        edit("frequency: 4/month", "frequency: 4/month\npurpse: Why"),
        ["process.yaml:6:1: error: unknown field 'purpse' (did you mean 'purpose'?)"],
    ),
    (
        "typo-in-rework",
        edit("probability: 0.3", "probabilty: 0.3"),
        [
            "process.yaml:21:25: error: step 'edit': rework: unknown field 'probabilty' "
            "(did you mean 'probability'?)",
        ],
    ),
    (
        "unknown-field-far-from-any",
        edit("    time: 2h\n", "    time: 2h\n    colour: red\n"),
        [
            "process.yaml:11:5: error: step 'research': unknown field 'colour' (allowed here: "
            "id, name, owner, with, time, wait, after, when, rework, per_run, milestone, "
            "approval, process, count, expense, due, automation, tools, done_when, instructions, "
            "do, dont, accept)"
        ],
    ),
    (
        "missing-top-level-fields",
        edit("id: blog\nname: Blog post\n", ""),
        [
            "process.yaml:1:1: error: missing required field 'id' "
            "(add 'id: …', a slug such as 'content-marketing')",
            "process.yaml:1:1: error: missing required field 'name' (add 'name: …')",
        ],
    ),
    (
        "missing-step-field",
        edit("    name: Draft\n", ""),
        ["process.yaml:11:5: error: step 'draft': missing required field 'name' (add 'name: …')"],
    ),
    (
        "missing-time",
        edit("    time: 1h\n", ""),
        [
            "process.yaml:16:5: error: step 'edit': missing required field 'time' "
            "(add 'time: …', the hands-on time of one execution, e.g. 1h)"
        ],
    ),
    (
        "missing-version",
        edit("sopkit: 1\n", ""),
        [
            "process.yaml:1:1: error: missing required field 'sopkit' "
            "(add 'sopkit: 1' (the format version) as the first line)"
        ],
    ),
    (
        "wrong-version",
        edit("sopkit: 1", "sopkit: 2"),
        [
            "process.yaml:1:9: error: sopkit: unsupported format version "
            "(this sopkit reads format version 1: 'sopkit: 1')"
        ],
    ),
    # --- ids and references --------------------------------------------------------------
    (
        "duplicate-step-id",
        edit("  - id: edit", "  - id: draft"),
        [
            "process.yaml:16:9: error: duplicate step id 'draft' (first at line 11) "
            "(give each step its own id)"
        ],
    ),
    (
        "after-names-no-step",
        edit("after: [draft]", "after: [drafts]"),
        [
            "process.yaml:19:13: error: step 'edit': 'after' names no step 'drafts' "
            "(did you mean 'draft'?)"
        ],
    ),
    (
        "rework-to-names-no-step",
        edit("to: draft", "to: nowhere"),
        [
            "process.yaml:21:18: error: step 'edit': rework goes to no step 'nowhere' "
            "(steps here: research, draft, edit)"
        ],
    ),
    (
        "cycle",
        edit("    after: [research]\n", "    after: [research, edit]\n"),
        [
            "process.yaml:14:23: error: the steps form a cycle through 'after': "
            "draft → edit → draft (remove 'edit' from the 'after' of 'draft'; to send work "
            "back, use 'rework: {to: …, probability: …}')"
        ],
    ),
    (
        "three-step-cycle",
        edit("    time: 2h\n", "    time: 2h\n    after: [edit]\n"),
        [
            "process.yaml:11:13: error: the steps form a cycle through 'after': "
            "research → draft → edit → research (remove 'edit' from the 'after' of 'research'; "
            "to send work back, use 'rework: {to: …, probability: …}')"
        ],
    ),
    (
        "after-itself",
        edit("after: [draft]", "after: [draft, edit]"),
        [
            "process.yaml:19:20: error: step 'edit' is after itself "
            "(for a step that repeats, use 'rework: {to: edit, probability: …}')"
        ],
    ),
    (
        "rework-downstream",
        edit("    time: 2h\n", "    time: 2h\n    rework: {to: edit, probability: 0.1}\n"),
        [
            "process.yaml:11:18: error: step 'research': rework goes to 'edit', which is not "
            "upstream (rework sends work back: name this step or one it comes after)"
        ],
    ),
    (
        "rework-to-a-sibling",
        edit("    after: [research]\n", "")
        .replace("after: [draft]", "after: [research]")
        .replace("    time: 2h\n", "    time: 2h\n"),
        [
            "process.yaml:20:18: error: step 'edit': rework goes to 'draft', which is not "
            "upstream (rework sends work back: name this step or one it comes after)"
        ],
    ),
    (
        "step-id-not-a-slug",
        edit("  - id: draft", "  - id: First Draft").replace("[draft]", "[first-draft]"),
        [
            "process.yaml:11:9: error: step 'First Draft': id: 'First Draft' is not a valid id "
            "(ids are lowercase ASCII letters, digits and '-', starting with a letter or digit)"
        ],
    ),
    (
        "process-id-not-a-slug",
        edit("id: blog", "id: Blog_Post"),
        [
            "process.yaml:2:5: error: id: 'Blog_Post' is not a valid id "
            "(ids are lowercase ASCII letters, digits and '-', starting with a letter or digit)"
        ],
    ),
    # --- rates --------------------------------------------------------------------------
    (
        "owner-with-a-near-miss",
        edit("owner: Editor", "owner: Editors"),
        [
            "process.yaml:18:12: error: step 'edit': owner 'Editors' is not among the roles, "
            "so it has no hourly rate "
            "(did you mean 'Editor'? Otherwise add 'Editors: {rate: …}' to "
            f"roles.yaml or to the process's 'roles:'; {KINDS})"
        ],
    ),
    (
        "owner-with-no-rate",
        edit("owner: Editor", "owner: Intern"),
        [
            "process.yaml:18:12: error: step 'edit': owner 'Intern' is not among the roles, "
            "so it has no hourly rate "
            "(add 'Intern: {rate: …}' to roles.yaml or to the process's 'roles:'; "
            f"{KINDS})"
        ],
    ),
    # --- durations -------------------------------------------------------------------------
    (
        "zero-time",
        edit("time: 2h", "time: 0m"),
        [
            "process.yaml:10:11: error: step 'research': time must be above zero "
            "(give the hands-on time, e.g. 30m)"
        ],
    ),
    (
        "range-from-zero",
        edit("time: 1h..4h", "time: 0..4h"),
        [
            "process.yaml:15:11: error: step 'draft': time must be above zero "
            "(give the hands-on time, e.g. 30m)"
        ],
    ),
    (
        "negative-time",
        edit("time: 2h", "time: -2h"),
        [
            "process.yaml:10:11: error: step 'research': time: '-2h' is not a duration "
            "(durations cannot be negative; write a number and a unit: 45m, 1.5h, 2h30m, "
            "1d or 1w)"
        ],
    ),
    (
        "negative-wait",
        edit("time: 2h", "time: 2h\n    wait: -1d"),
        [
            "process.yaml:11:11: error: step 'research': wait: '-1d' is not a duration "
            "(durations cannot be negative; write a number and a unit: 45m, 1.5h, 2h30m, "
            "1d or 1w)"
        ],
    ),
    (
        "unknown-unit",
        edit("time: 2h", "time: 2hrs"),
        [
            "process.yaml:10:11: error: step 'research': time: unknown unit 'hrs' in '2hrs' "
            "(write 2h: sopkit's units are m, h, d and w)"
        ],
    ),
    (
        "no-unit",
        edit("time: 2h", "time: 90"),
        [
            "process.yaml:10:11: error: step 'research': time: '90' has no unit "
            "(write a number and a unit: 45m, 1.5h, 2h30m, 1d or 1w)"
        ],
    ),
    (
        "estimate-out-of-order",
        edit("time: 1h\n", "time: {min: 1h, likely: 3h, max: 2h}\n"),
        [
            "process.yaml:20:11: error: step 'edit': time estimate is out of order (1h/3h/2h) "
            "(write min ≤ likely ≤ max)"
        ],
    ),
    # --- probabilities, shares, per_run ------------------------------------------------------
    (
        "probability-one",
        edit("probability: 0.3", "probability: 1"),
        [
            "process.yaml:21:38: error: step 'edit': rework: probability: input should be "
            "less than 1 (a probability from 0 up to, not including, 1; e.g. 0.3 for 30%)"
        ],
    ),
    (
        "probability-negative",
        edit("probability: 0.3", "probability: -0.3"),
        [
            "process.yaml:21:38: error: step 'edit': rework: probability: input should be "
            "greater than or equal to 0 (a probability from 0 up to, not including, 1; "
            "e.g. 0.3 for 30%)"
        ],
    ),
    (
        "share-above-one",
        edit("time: 2h", "time: 2h\n    automation: 1.5"),
        [
            "process.yaml:11:17: error: step 'research': automation: share: input should be "
            "less than or equal to 1 (the share of the time a tool could take over, from 0 "
            "to 1; e.g. 0.5)"
        ],
    ),
    (
        "share-negative",
        edit("time: 2h", "time: 2h\n    automation: {share: -0.5}"),
        [
            "process.yaml:11:25: error: step 'research': automation: share: input should be "
            "greater than or equal to 0 (the share of the time a tool could take over, from 0 "
            "to 1; e.g. 0.5)"
        ],
    ),
    (
        "per-run-zero",
        edit("time: 2h", "time: 2h\n    per_run: 0"),
        [
            "process.yaml:11:14: error: step 'research': per_run: input should be greater "
            "than 0 (executions per run: e.g. 3, or 0.2 for once in five runs)"
        ],
    ),
    # --- frequency ----------------------------------------------------------------------------
    (
        "frequency-in-words",
        edit("4/month", "weekly"),
        ["process.yaml:5:12: error: frequency: 'weekly' is not N/period (write 1/week for weekly)"],
    ),
    (
        "frequency-unknown-period",
        edit("4/month", "2/fortnite"),
        [
            "process.yaml:5:12: error: frequency: unknown period 'fortnite' in '2/fortnite' "
            "(write N/period with period day, week, month, quarter or year, e.g. 4/month)"
        ],
    ),
    # A trial's biweekly was told only what N/period is: the same rate, exactly.
    (
        "frequency-biweekly",
        edit("4/month", "biweekly"),
        [
            "process.yaml:5:12: error: frequency: 'biweekly' is not N/period (write 26/year "
            "for biweekly, or 0.5/week: sopkit's year has 52 weeks; twice a week is 2/week)"
        ],
    ),
    (
        "frequency-fortnightly",
        edit("4/month", "fortnightly"),
        [
            "process.yaml:5:12: error: frequency: 'fortnightly' is not N/period (write 26/year "
            "for fortnightly, or 0.5/week: sopkit's year has 52 weeks)"
        ],
    ),
    (
        "frequency-every-two-weeks",
        edit("4/month", "every 2 weeks"),
        [
            "process.yaml:5:12: error: frequency: 'every 2 weeks' is not N/period (write "
            "26/year for every 2 weeks, or 0.5/week: sopkit's year has 52 weeks)"
        ],
    ),
    (
        "frequency-one-in-two-weeks",
        edit("4/month", "1/2weeks"),
        [
            "process.yaml:5:12: error: frequency: '1/2weeks' is not N/period (write 26/year "
            "for 1/2weeks, or 0.5/week: sopkit's year has 52 weeks)"
        ],
    ),
    (
        "frequency-two-a-fortnight",
        edit("4/month", "2/fortnight"),
        [
            "process.yaml:5:12: error: frequency: unknown period 'fortnight' in '2/fortnight' "
            "(write 1/week for 2/fortnight: sopkit's year has 52 weeks)"
        ],
    ),
    (
        "frequency-every-three-weeks",
        edit("4/month", "every 3 weeks"),
        [
            "process.yaml:5:12: error: frequency: 'every 3 weeks' is not N/period (write "
            "17.33/year for every 3 weeks, rounded: sopkit's year has 52 weeks)"
        ],
    ),
    (
        "frequency-every-other-month",
        edit("4/month", "every other month"),
        [
            "process.yaml:5:12: error: frequency: 'every other month' is not N/period (write "
            "6/year for every other month, or 0.5/month)"
        ],
    ),
    (
        "frequency-zero",
        edit("4/month", "0/month"),
        ["process.yaml:5:12: error: frequency: '0/month' must be above zero (e.g. 1/quarter)"],
    ),
    # --- absurd values: validate.py's limits ------------------------------------------------
    (
        "time-of-1e308-hours",
        edit("time: 2h", "time: 1" + "0" * 308 + "h"),
        [
            "process.yaml:10:11: error: step 'research': time of "
            "100000000000000000000000000000000000000… is more than 2080 hours "
            "(check the unit; split very long work into steps)"
        ],
    ),
    (
        "time-of-a-year-and-a-day",
        edit("time: 1h\n", "time: 53w\n"),
        [
            "process.yaml:20:11: error: step 'edit': time of 53w is more than 2080 hours "
            "(check the unit; split very long work into steps)"
        ],
    ),
    (
        "wait-of-over-ten-years",
        edit("time: 2h", "time: 2h\n    wait: 2200w"),
        [
            "process.yaml:11:11: error: step 'research': wait of 2200w is more than 87600 hours "
            "(check the unit; split very long work into steps)"
        ],
    ),
    (
        "a-billion-runs-a-month",
        edit("4/month", "1000000000/month"),
        [
            "process.yaml:5:12: error: frequency 1000000000/month is 1,000,000,000 runs a month, "
            "more than 100,000 (check the period; a process that runs this often is not a "
            "manual workflow)"
        ],
    ),
    (
        "runs-beyond-counting",
        edit("4/month", "1" + "0" * 400 + "/day"),
        [
            "process.yaml:5:12: error: frequency 100000000000000000000000000000000000000… is "
            "2.2 × 10^401 runs a month, more than 100,000 (check the period; a process that runs "
            "this often is not a manual workflow)"
        ],
    ),
    (
        "setup-of-9999-weeks",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, setup: 9999w}"),
        [
            "process.yaml:11:37: error: step 'research': automation setup of 9999w is more "
            "than 2080 hours (check the unit)"
        ],
    ),
    (
        "tool-cost-beyond-reason",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, tool_cost: 1.0e+99}"),
        [
            "process.yaml:11:41: error: step 'research': automation: tool_cost: cost '1.0E+99' "
            "is more than 1,000,000,000,000,000 a year (check the number; tool costs are per "
            "year unless written as N/month)"
        ],
    ),
    # --- first-use mistakes: one error for one mistake, in the user's own words ------------
    (
        "misspelt-milestone-is-one-error",
        edit(EDIT_WORK, "    after: [draft]\n    milstone: true\n"),
        [
            "process.yaml:19:5: error: step 'edit': unknown field 'milstone' "
            "(did you mean 'milestone'?)"
        ],
    ),
    (
        "misspelt-process-is-one-error",
        edit(EDIT_WORK, "    after: [draft]\n    proces: blog-image\n    count: 2..3\n"),
        ["process.yaml:19:5: error: step 'edit': unknown field 'proces' (did you mean 'process'?)"],
    ),
    (
        "process-not-an-id-is-one-error",
        edit(EDIT_WORK, "    after: [draft]\n    process: blog_image\n    count: 2..3\n"),
        [
            "process.yaml:19:14: error: step 'edit': process: 'blog_image' is not a valid id (ids "
            "are lowercase ASCII letters, digits and '-', starting with a letter or digit)"
        ],
    ),
    (
        "depends-on-means-after",
        edit("after: [research]", "depends_on: [research]"),
        [
            "process.yaml:14:5: error: step 'draft': unknown field 'depends_on' "
            "(did you mean 'after'?)"
        ],
    ),
    (
        "chance-means-probability",
        edit("probability: 0.3", "chance: 0.3"),
        [
            "process.yaml:21:25: error: step 'edit': rework: unknown field 'chance' "
            "(did you mean 'probability'?)"
        ],
    ),
    (
        "a-milestone-date-is-given-when-planning",
        edit(EDIT_WORK, "    after: [draft]\n    milestone: true\n    date: 2026-03-12\n"),
        [
            "process.yaml:20:5: error: step 'edit': unknown field 'date' (a milestone's date is "
            "given when you plan a run: sopkit plan FILE --at edit=2026-03-12)"
        ],
    ),
    (
        "due-as-a-date",
        edit("    time: 2h\n", "    time: 2h\n    due: 2026-03-12\n"),
        [
            "process.yaml:11:10: error: step 'research': due: should be a mapping of fields, got "
            "'2026-03-12' (dates are given when you plan a run (sopkit plan FILE --at "
            "<milestone id>=2026-03-12); in the file, due: {milestone: <milestone id>, "
            "offset: -10d} is due 10 working days before that milestone)"
        ],
    ),
    (
        "a-share-next-to-zero",  # exact arithmetic on it would never finish
        edit("time: 2h", "time: 2h\n    per_run: 1e-99999999"),
        [
            "process.yaml:11:14: error: step 'research': per_run: '1E-99999999' is too close "
            "to zero (check the number; 0 means none)"
        ],
    ),
    (
        "another-tools-word-not-offered-for-a-field-already-there",
        edit("    owner: SEO Specialist\n", "    owner: SEO Specialist\n    role: Editor\n"),
        [
            "process.yaml:10:5: error: step 'research': unknown field 'role' (allowed here: id, "
            "name, owner, with, time, wait, after, when, rework, per_run, milestone, approval, "
            "process, count, expense, due, automation, tools, done_when, instructions, do, dont, "
            "accept)"
        ],
    ),
    (
        "a-one-letter-typo-wins-over-another-tools-word",
        edit("owner: Content Lead\n", "owner: Content Lead\nrole: Editor\n"),
        ["process.yaml:5:1: error: unknown field 'role' (did you mean 'roles'?)"],
    ),
    (
        "a-deadline-date-is-given-when-planning",
        edit("    time: 2h\n", "    time: 2h\n    deadline: 2026-03-12\n"),
        [
            "process.yaml:11:5: error: step 'research': unknown field 'deadline' (dates are given "
            "when you plan a run (sopkit plan FILE --at <milestone id>=2026-03-12); in the file, "
            "due: {milestone: <milestone id>, offset: -10d} is due 10 working days before that "
            "milestone)"
        ],
    ),
    (
        "a-number-with-a-unit-is-no-currency",
        edit("time: 2h", "time: 2h\n    per_run: 2 TMS"),
        [
            "process.yaml:11:14: error: step 'research': per_run: '2 TMS' is not a number "
            "(write a number here)"
        ],
    ),
    (
        "a-cost-said-in-words",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, tool_cost: monthly}"),
        [
            "process.yaml:11:41: error: step 'research': automation: tool_cost: 'monthly' is "
            "not N/period (write the amount a month, e.g. 50/month)"
        ],
    ),
    (
        "a-language-code-people-write",
        edit("owner: Content Lead\n", "owner: Content Lead\nlanguage: kr\n"),
        [
            "process.yaml:5:11: error: language: unknown language 'kr' (did you mean 'ko'? "
            "sopkit speaks en, ko and ru)"
        ],
    ),
    (
        "a-step-named-where-its-id-belongs-is-one-error",
        edit("after: [research]", "after: [Research]"),
        [
            "process.yaml:14:13: error: step 'draft': after: item 1: 'Research' is not a valid "
            "id (write the step's id, 'research': 'Research' is its name)"
        ],
    ),
    (
        "the-only-condition-is-offered",
        edit(
            "owner: Content Lead\n",
            "owner: Content Lead\nconditions:\n  paid: {question: Paid campaign?, share: 0.5}\n",
        ).replace("    time: 2h\n", "    time: 2h\n    when: {유료: true}\n", 1),
        [
            "process.yaml:13:16: error: step 'research': no condition '유료' (did you mean "
            "'paid'? It is the only condition here)"
        ],
    ),
    (
        "an-unsigned-offset-of-one-day",
        edit("    time: 2h\n", "    time: 2h\n    due: {milestone: research, offset: 1d}\n"),
        [
            "process.yaml:11:40: error: step 'research': due: offset: '1d' has no sign: before "
            "the milestone or after it? (write -1d for 1 working day before it, or +1d after)"
        ],
    ),
    (
        "tool-cost-with-a-currency",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, tool_cost: $800/year}"),
        [
            "process.yaml:11:41: error: step 'research': automation: tool_cost: '$800/year' is "
            "not an amount (write 800/year, the number alone: the currency is set in roles.yaml)"
        ],
    ),
    (
        "tool-cost-with-a-short-period-is-no-currency",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, tool_cost: 50/mo}"),
        [
            "process.yaml:11:41: error: step 'research': automation: tool_cost: '50/mo' is not "
            "an amount (write 50/month: periods are written in full)"
        ],
    ),
    (
        "tool-cost-with-thousands",
        edit("time: 2h", "time: 2h\n    automation: {share: 0.5, tool_cost: '1,200'}"),
        [
            "process.yaml:11:41: error: step 'research': automation: tool_cost: '1,200' is not "
            "an amount (write 1200: no thousands separator)"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid(write_process: Writer, text: str, expected: list[str]) -> None:
    assert problems_of(write_process(text)) == expected


def test_absurd_limits_are_the_documented_ones() -> None:
    assert MAX_HOURS_PER_EXECUTION == 2080  # a working year
    assert MAX_RUNS_PER_MONTH == 100_000


def test_every_problem_in_a_file_is_reported_at_once_in_order(write_process: Writer) -> None:
    text = (
        BASE.replace("after: [draft]", "after: [drafts]")
        .replace("owner: Editor", "owner: Intern")
        .replace("time: 2h", "time: 9999w")
    )
    lines = problems_of(write_process(text))
    assert [line.split(": error: ")[0] for line in lines] == [
        "process.yaml:10:11",
        "process.yaml:18:12",
        "process.yaml:19:13",
    ]


def test_all_field_problems_come_together(write_process: Writer) -> None:
    text = (
        BASE.replace("id: blog", "id: Blog")
        .replace("4/month", "often")
        .replace("time: 1h..4h", "time: 1x")
        .replace("probability: 0.3", "probability: 2")
    )
    lines = problems_of(write_process(text))
    assert [line.split(": error: ")[0] for line in lines] == [
        "process.yaml:2:5",
        "process.yaml:5:12",
        "process.yaml:15:11",
        "process.yaml:21:38",
    ]


# --- roles ------------------------------------------------------------------------------------


def test_a_process_with_no_roles_file_at_all_is_one_error_saying_so(
    write_process: Writer,
) -> None:
    """Every role "has no rate" only because no roles.yaml was found: one line says that."""
    path = write_process(BASE, roles=None)
    assert problems_of(path) == [
        "process.yaml:9:12: error: no roles.yaml found next to this process or in a folder "
        "above it, and it has no 'roles:' of its own; its roles have no hourly rates "
        "(SEO Specialist, Content Writer, Editor) (write a roles.yaml beside it, e.g. "
        "'currency: USD' and 'roles: {Designer: {rate: 55}}', or give the roles with --roles FILE)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{rate: 40}",
            "{rate: $40/h}",
            "roles.yaml:6:26: error: role 'Content Writer': rate: '$40/h' is not a number (write "
            "40, the number alone: the currency is set in roles.yaml; a rate is per hour)",
        ),
        (
            "{rate: 45}",
            "{rate: 45 USD}",
            "roles.yaml:7:26: error: role 'SEO Specialist': rate: '45 USD' is not a number (write "
            "45, the number alone: the currency is set in roles.yaml)",
        ),
        (
            "{rate: 50}",
            "{rate: 50, type: external}",
            "roles.yaml:8:22: error: role 'Editor': unknown field 'type' (did you mean 'kind'?)",
        ),
    ],
)
def test_a_roles_file_written_as_people_write_it(
    write_process: Writer, old: str, new: str, expected: str
) -> None:
    assert problems_of(write_process(BASE, roles=DEFAULT_ROLES.replace(old, new))) == [expected]


def test_roles_written_as_a_list_are_shown_how_to_write_them(write_process: Writer) -> None:
    roles = "currency: USD\nroles:\n  - Editor\n  - SEO Specialist\n"
    assert problems_of(write_process(BASE, roles=roles)) == [
        "roles.yaml:3:3: error: roles: should be a mapping, got a list (write each role on a "
        "line of its own under it, e.g. Designer: {rate: 55})"
    ]


def test_a_role_without_a_rate_is_one_error_naming_its_other_steps(
    write_process: Writer,
) -> None:
    """A template copied into a team folder names unknown roles at many steps: one line each."""
    steps = "".join(
        f"  - {{id: s{i}, name: S{i}, owner: Intern, time: 1h{after}}}\n"
        for i, after in enumerate(["", *[f", after: [s{i}]" for i in range(6)]])
    )
    text = f"sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\nsteps:\n{steps}"
    lines = problems_of(write_process(text))
    assert lines == [
        "process.yaml:7:31: error: step 's0': owner 'Intern' is not among the roles, "
        "so it has no hourly rate; also in steps "
        "'s1', 's2', 's3', 's4' and 2 more (add 'Intern: {rate: …}' to roles.yaml or to the "
        f"process's 'roles:'; {KINDS})"
    ]


def test_one_other_step_is_named_alone(write_process: Writer) -> None:
    text = edit("owner: Editor", "owner: Intern").replace("owner: Content Writer", "owner: Intern")
    [line] = problems_of(write_process(text))
    assert (
        "owner 'Intern' is not among the roles, so it has no hourly rate; also in step 'edit' ("
        in line
    )


def test_local_roles_fill_in_a_missing_rate(write_process: Writer) -> None:
    text = edit("owner: Editor", "owner: Intern").replace(
        "steps:", "roles: {Intern: {rate: 20}}\nsteps:"
    )
    process = load_process(write_process(text))
    assert process.settings.roles["Intern"].rate == 20
    assert process.settings.roles["Editor"].rate == 50  # from roles.yaml


def test_local_roles_override_the_roles_file(write_process: Writer) -> None:
    text = BASE.replace("steps:", "roles: {Editor: {rate: 75}}\nsteps:")
    assert load_process(write_process(text)).settings.roles["Editor"].rate == 75


def test_negative_local_rate(write_process: Writer) -> None:
    text = BASE.replace("steps:", "roles: {Editor: {rate: -75}}\nsteps:")
    assert problems_of(write_process(text)) == [
        "process.yaml:6:24: error: role 'Editor': rate: input should be greater than or equal "
        "to 0 (the hourly cost in the roles file's currency, zero or more)"
    ]


# --- warnings ------------------------------------------------------------------------------


def test_lint_warns_about_purpose_and_done_when(write_process: Writer) -> None:
    process = load_process(write_process(BASE))
    warnings = [w.format().replace(str(process.source_path), "p") for w in lint_process(process)]
    assert warnings == [
        "p:2:5: warning: no purpose: a new team member will not know why this SOP exists "
        "(add 'purpose: …') [no-purpose]",
        *(
            f"p:{line}:9: warning: step '{step}' has no done_when: nobody can tell when it is "
            "finished (add 'done_when: …') [no-done-when]"
            for line, step in [(7, "research"), (11, "draft"), (16, "edit")]
        ),
    ]


def test_lint_is_quiet_when_everything_is_there(write_process: Writer) -> None:
    text = BASE.replace("frequency:", "purpose: Why.\nfrequency:").replace(
        "    name: ", "    done_when: Done.\n    name: "
    )
    assert lint_process(load_process(write_process(text))) == []


@pytest.mark.parametrize(
    ("names", "language", "said"),
    [
        (("블로그 글", "조사", "초안", "편집"), "ko", "Korean"),
        (("Блог", "Исследование", "Черновик", "Редактура"), "ru", "Russian"),
    ],
)
def test_lint_warns_when_the_names_are_in_another_language_than_the_headings(
    write_process: Writer, names: tuple[str, ...], language: str, said: str
) -> None:
    """A Korean team's first file had no language line: its SOP came out with English
    headings and nothing said why."""
    text = BASE.replace("frequency:", "purpose: Why.\nfrequency:").replace(
        "    name: ", "    done_when: Done.\n    name: "
    )
    for old, new in zip(("Blog post", "Research", "Draft", "Edit"), names, strict=True):
        text = text.replace(f"name: {old}\n", f"name: {new}\n")
    warnings = [
        w.format().split(": warning: ")[1] for w in lint_process(load_process(write_process(text)))
    ]
    assert warnings == [
        f"the process is written in {said} but its language is en: its SOP, checklist and "
        f"diagram get English headings (write 'language: {language}') [language-mismatch]"
    ]
    with_language = text.replace(
        "owner: Content Lead\n", f"owner: Content Lead\nlanguage: {language}\n"
    )
    assert lint_process(load_process(write_process(with_language))) == []


# --- the graph and the error type the checks build on ---------------------------------------


def test_flow_graph_upstream_and_loops(write_process: Writer) -> None:
    from sopkit.graph import flow_graph, loop_members, upstream

    process = load_process(write_process(BASE))
    graph = flow_graph(process)
    assert sorted(graph.edges) == [("draft", "edit"), ("research", "draft")]
    assert graph.nodes["edit"]["step"] is process.step("edit")
    assert upstream(graph, "edit") == {"research", "draft"}
    assert upstream(graph, "research") == set()
    assert loop_members(graph, "draft", "edit") == {"draft", "edit"}
    assert loop_members(graph, "research", "edit") == {"research", "draft", "edit"}
    assert loop_members(graph, "edit", "edit") == {"edit"}


def test_problem_lines() -> None:
    from sopkit.errors import Problem

    assert Problem("bad", path="p.yaml", line=3, column=7, hint="fix").format() == (
        "p.yaml:3:7: error: bad (fix)"
    )
    assert Problem("bad", path="p.yaml", line=3).format() == "p.yaml:3: error: bad"
    assert Problem("bad").format() == "sopkit: error: bad"
    assert Problem("two\nlines", path="p", severity="warning").format() == ("p: warning: two lines")
    assert Problem("evil \x1b[2J \u202e", path="p\x07").format() == (
        "p\\x07: error: evil \\x1b[2J \\u202e"
    )


def test_errors_collect_sorted_by_place() -> None:
    from sopkit.errors import Problem, ValidationError

    error = ValidationError.collect(
        [
            Problem("c", path="b.yaml", line=1),
            Problem("b", path="a.yaml", line=10, column=2),
            Problem("a", path="a.yaml", line=2, column=9),
        ]
    )
    assert [(p.path, p.line) for p in error.problems] == [
        ("a.yaml", 2),
        ("a.yaml", 10),
        ("b.yaml", 1),
    ]
    assert (error.path, error.line, error.column, error.message) == ("a.yaml", 2, 9, "a")
    assert error.format().count("\n") == 2
    with pytest.raises(ValueError):
        ValidationError.collect([])


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1428.571", "1,428.57"),
        ("4", "4"),
        ("10000000000000", "10,000,000,000,000"),
        ("1E+24", "1.0 × 10^24"),
        ("2.2E+401", "2.2 × 10^401"),
    ],
)
def test_big_figures_in_messages_read_without_e_notation(number: str, shown: str) -> None:
    assert figure_text(Decimal(number)) == shown


@pytest.mark.parametrize(
    ("written", "meant"),
    [("agency", "external"), ("Freelancer", "external"), ("bot", "system"), ("employee", "staff")],
)
def test_a_role_s_kind_in_everyday_words_is_told_sopkit_s(
    write_process: Writer, written: str, meant: str
) -> None:
    text = BASE.replace("steps:", f"roles: {{Editor: {{rate: 75, kind: {written}}}}}\nsteps:")
    (line,) = problems_of(write_process(text))
    assert line.endswith(f"(write kind: {meant} (sopkit's word for '{written}'))")
