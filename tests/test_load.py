"""Loading files and folders: roles resolution, portfolios, and random input.

The property tests feed random YAML, random text and random edits of a valid
process to the loader; the only exception it may raise is ``SopkitError``.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopkit.errors import Problem, SopkitError
from sopkit.load import discover, find_roles_file, load_portfolio, load_process, load_settings
from sopkit.models import Process, Role, Settings
from sopkit.source import parse_yaml

ROOT = Path(__file__).resolve().parent.parent

PROCESS = """\
sopkit: 1
id: {id}
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
    rework: {{to: research, probability: 0.2}}
"""

ROLES = (
    "currency: {currency}\nroles:\n"
    "  SEO Specialist: {{rate: {seo}}}\n  Content Writer: {{rate: 40}}\n"
)


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def process_file(folder: Path, pid: str = "blog", name: str | None = None) -> Path:
    return put(folder / (name or f"{pid}.yaml"), PROCESS.format(id=pid))


def roles_file(folder: Path, seo: int = 45, currency: str = "USD") -> Path:
    return put(folder / "roles.yaml", ROLES.format(seo=seo, currency=currency))


def formatted(exc: SopkitError, base: Path) -> list[str]:
    return [p.format().replace(str(base) + "/", "") for p in exc.problems]


# --- roles resolution -----------------------------------------------------------------------


def test_roles_next_to_the_file(tmp_path: Path) -> None:
    roles_file(tmp_path, seo=45)
    process = load_process(process_file(tmp_path))
    assert process.settings.roles["SEO Specialist"].rate == 45
    assert process.settings_path == str(tmp_path / "roles.yaml")


def test_roles_in_a_parent_folder_and_the_nearest_wins(tmp_path: Path) -> None:
    roles_file(tmp_path, seo=45)
    deep = tmp_path / "team" / "blog"
    assert load_process(process_file(deep)).settings.roles["SEO Specialist"].rate == 45
    roles_file(tmp_path / "team", seo=99)
    assert find_roles_file(deep / "blog.yaml") == (tmp_path / "team" / "roles.yaml").resolve()
    assert load_process(deep / "blog.yaml").settings.roles["SEO Specialist"].rate == 99


def test_roles_option_overrides_the_nearest(tmp_path: Path) -> None:
    roles_file(tmp_path, seo=45)
    other = put(tmp_path / "other" / "rates.yaml", ROLES.format(seo=70, currency="EUR"))
    process = load_process(process_file(tmp_path), roles=other)
    assert process.settings.roles["SEO Specialist"].rate == 70
    assert process.settings.currency == "EUR"
    assert process.settings_path == str(other)


def test_roles_as_settings_object(tmp_path: Path) -> None:
    settings = Settings(
        roles={"SEO Specialist": Role(rate=Decimal(1)), "Content Writer": Role(rate=Decimal(2))}
    )
    process = load_process(process_file(tmp_path), roles=settings)
    assert process.settings.roles["SEO Specialist"].rate == 1
    assert process.settings_path is None


def test_local_roles_add_to_the_roles_file(tmp_path: Path) -> None:
    roles_file(tmp_path)
    text = PROCESS.format(id="blog").replace("steps:", "roles: {Intern: {rate: 15}}\nsteps:")
    process = load_process(put(tmp_path / "blog.yaml", text))
    assert sorted(process.settings.roles) == ["Content Writer", "Intern", "SEO Specialist"]
    assert sorted(load_settings(tmp_path / "roles.yaml").roles) == [
        "Content Writer",
        "SEO Specialist",
    ]


def test_roles_option_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(SopkitError) as info:
        load_portfolio([process_file(tmp_path, "a"), process_file(tmp_path, "b")], roles="x.yaml")
    assert formatted(info.value, tmp_path) == ["x.yaml: error: no such file (check the path)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "currency: US$\n",
            "roles.yaml:1:11: error: currency: unknown currency code 'US$' (did you mean 'USD'?)",
        ),
        (
            # The processes' own roles are there: a process's unknown owner would be
            # reported too (see test_a_broken_roles_file_does_not_hide_an_unknown_owner).
            "roles:\n  Editor: {rate: -5}\n  SEO Specialist: {rate: 60}\n"
            "  Content Writer: {rate: 40}\n",
            "roles.yaml:2:18: error: role 'Editor': rate: input should be greater than or equal "
            "to 0 (the hourly cost in the roles file's currency, zero or more)",
        ),
        (
            "- Editor\n",
            "roles.yaml:1:1: error: a roles file is a mapping of settings, not a list "
            "(start it with 'currency: USD' and 'roles:')",
        ),
        (
            "rates:\n  Editor: {rate: 5}\n",
            "roles.yaml:1:1: error: unknown field 'rates' (did you mean 'roles'?)",
        ),
        (
            "hours_per_day: 25\n",
            "roles.yaml:1:16: error: hours_per_day: input should be less than or equal to 24 "
            "(the hours in a working day, e.g. 8)",
        ),
        (
            # The rest of the file is read past a duplicate key, so the processes'
            # roles are there too, as above.
            "roles:\n  Editor: {rate: 5}\n  Editor: {rate: 6}\n  SEO Specialist: {rate: 60}\n"
            "  Content Writer: {rate: 40}\n",
            "roles.yaml:3:3: error: duplicate key 'Editor' (first at line 2) "
            "(remove one of them; YAML keeps only one)",
        ),
    ],
    ids=["currency", "negative-rate", "list", "typo", "hours-per-day", "duplicate-role"],
)
def test_bad_roles_file_is_reported_once_for_a_whole_folder(
    tmp_path: Path, text: str, expected: str
) -> None:
    put(tmp_path / "roles.yaml", text)
    process_file(tmp_path, "a")
    process_file(tmp_path, "b")
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert formatted(info.value, tmp_path) == [expected]


def test_roles_and_process_problems_come_together(tmp_path: Path) -> None:
    put(tmp_path / "roles.yaml", "currency: XYZ\n")
    put(tmp_path / "a.yaml", PROCESS.format(id="a").replace("time: 2h", "time: 2x"))
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert [line.split(": error: ")[0] for line in formatted(info.value, tmp_path)] == [
        "a.yaml:10:11",
        "roles.yaml:1:11",
    ]


# --- portfolios ---------------------------------------------------------------------------------


def test_a_folder_with_two_bad_files_reports_both(tmp_path: Path) -> None:
    roles_file(tmp_path)
    put(tmp_path / "b.yaml", PROCESS.format(id="b").replace("owner: SEO", "owenr: SEO"))
    put(tmp_path / "a.yaml", PROCESS.format(id="a").replace("4/month", "monthly"))
    process_file(tmp_path, "good")
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert formatted(info.value, tmp_path) == [
        "a.yaml:5:12: error: frequency: 'monthly' is not N/period (write 1/month for monthly)",
        "b.yaml:9:5: error: step 'research': unknown field 'owenr' (did you mean 'owner'?)",
    ]


def test_duplicate_process_ids(tmp_path: Path) -> None:
    roles_file(tmp_path)
    process_file(tmp_path, "blog", "one.yaml")
    process_file(tmp_path, "blog", "two.yaml")
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert formatted(info.value, tmp_path) == [
        "two.yaml:2:5: error: process id 'blog' is also used by one.yaml "
        "(ids are unique in a portfolio; rename one)"
    ]


def test_mixed_currencies(tmp_path: Path) -> None:
    roles_file(tmp_path / "us", currency="USD")
    roles_file(tmp_path / "kr", currency="KRW")
    process_file(tmp_path / "us", "a")
    process_file(tmp_path / "kr", "b")
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    [line] = formatted(info.value, tmp_path)
    assert line.startswith("kr/b.yaml: error: these processes use more than one currency: KRW (")
    assert line.endswith(
        "(totals cannot add different currencies; report on each currency's folder separately)"
    )


def test_discovery_skips_roles_hidden_and_other_files(tmp_path: Path) -> None:
    roles_file(tmp_path)
    process_file(tmp_path, "b")
    process_file(tmp_path / "sub", "a", "a.yml")
    process_file(tmp_path / ".hidden", "c")
    put(tmp_path / "notes.txt", "not a process")
    assert discover([tmp_path]) == [tmp_path / "b.yaml", tmp_path / "sub" / "a.yml"]
    assert [p.id for p in load_portfolio(tmp_path)] == ["b", "a"]


@contextmanager
def unreadable(folder: Path, errno_: int = errno.EACCES) -> Iterator[None]:
    """Listing ``folder`` fails as it does without read permission, even for root."""
    real = os.scandir
    target = os.path.abspath(folder)

    def scandir(path: Any = ".") -> Any:
        if os.path.abspath(os.fsdecode(path)) == target:
            raise OSError(errno_, os.strerror(errno_), os.fspath(path))
        return real(path)

    with mock.patch("os.scandir", scandir):
        yield


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO])
def test_a_folder_that_cannot_be_listed_is_refused_not_skipped(tmp_path: Path, code: int) -> None:
    roles_file(tmp_path)
    process_file(tmp_path, "a")
    process_file(tmp_path / "team", "b")
    process_file(tmp_path / "team" / "deeper", "c")
    assert len(discover([tmp_path])) == 3
    with unreadable(tmp_path / "team", code), pytest.raises(SopkitError) as info:
        discover([tmp_path])
    assert formatted(info.value, tmp_path) == [
        f"team: error: cannot read this folder: {os.strerror(code)} "
        "(make it readable (e.g. chmod -R u+rX), or name only the folders to read)"
    ]
    with unreadable(tmp_path / "team"), pytest.raises(SopkitError):
        load_portfolio(tmp_path)  # never a portfolio, and so never a total, without team/


def test_a_named_folder_that_cannot_be_listed_is_refused(tmp_path: Path) -> None:
    process_file(tmp_path / "team", "b")
    with unreadable(tmp_path / "team"), pytest.raises(SopkitError) as info:
        discover([tmp_path / "team"])
    assert info.value.path == str(tmp_path / "team")
    assert "cannot read this folder" in info.value.message


def test_an_unreadable_hidden_folder_is_skipped_like_any_hidden_folder(tmp_path: Path) -> None:
    process_file(tmp_path, "a")
    process_file(tmp_path / ".git", "b")
    with unreadable(tmp_path / ".git"):
        assert discover([tmp_path]) == [tmp_path / "a.yaml"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads a chmod 000 folder; the injected tests above cover root",
)
@pytest.mark.parametrize("mode", [0o000, 0o600])  # no access; listable but not enterable
def test_a_chmod_000_folder_is_refused(tmp_path: Path, mode: int) -> None:
    process_file(tmp_path, "a")
    process_file(tmp_path / "team", "b")
    (tmp_path / "team").chmod(mode)
    try:
        with pytest.raises(SopkitError) as info:
            discover([tmp_path])
    finally:
        (tmp_path / "team").chmod(0o755)
    assert info.value.path == str(tmp_path / "team")
    assert "cannot read this folder: Permission denied" in info.value.message


def test_nothing_to_load(tmp_path: Path) -> None:
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert formatted(info.value, tmp_path) == [
        f"{tmp_path}: error: no process files found "
        "(process files end in .yaml or .yml; roles.yaml is not a process)"
    ]
    with pytest.raises(SopkitError) as info:
        load_portfolio([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert formatted(info.value, tmp_path) == [
        "a.yaml: error: no such file or folder (check the path)",
        "b.yaml: error: no such file or folder (check the path)",
    ]


# --- files that are not processes, through load_process ---------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"sopkit: 1\nid: [a\n",
            "p.yaml:2:5: error: not valid YAML: the '[' opened here is not closed on its line",
        ),
        (b"sopkit: 1\nname: caf\xe9\n", "p.yaml:2:10: error: byte 0xe9 is not valid UTF-8"),
        (b"sopkit: 1\nsopkit: 1\n", "p.yaml:2:1: error: duplicate key 'sopkit' (first at line 1)"),
        (b"sopkit: 1\n---\nsopkit: 1\n", "p.yaml:2:1: error: not valid YAML: more than one "),
        (b"", "p.yaml:1:1: error: file is empty"),
        (b"- sopkit: 1\n", "p.yaml:1:1: error: a process is a mapping of fields, not a list"),
        (b"sopkit: 1\nsteps:\n\t- id: a\n", "p.yaml:3:1: error: not valid YAML: "),
        (b"a: &a [1, 2]\nb: &b [*a, *a]\n", None),
    ],
    ids=["yaml", "utf8", "duplicate", "documents", "empty", "list", "tab", "aliases-ok"],
)
def test_file_problems(tmp_path: Path, data: bytes, expected: str | None) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(data)
    with pytest.raises(SopkitError) as info:
        load_process(path)
    lines = formatted(info.value, tmp_path)
    if expected is None:  # fine YAML, not a process: field problems only
        assert all("missing required field" in line or "unknown field" in line for line in lines)
    else:
        assert any(line.startswith(expected) for line in lines), lines


def _folder_errors(folder: Path, roles: str, process: str) -> list[str]:
    """Every error of a folder of ``roles.yaml`` and ``p.yaml``, without its hint."""
    (folder / "roles.yaml").write_text(roles, encoding="utf-8")
    (folder / "p.yaml").write_text(process, encoding="utf-8")
    with pytest.raises(SopkitError) as info:
        load_portfolio(folder)
    return [line.split(" (")[0] for line in formatted(info.value, folder)]


def test_a_duplicate_key_comes_with_the_files_other_problems(tmp_path: Path) -> None:
    """YAML keeps one of two keys; sopkit keeps the first, says so, and checks on, so the
    process's and the roles file's other mistakes show in the same run."""
    roles = "roles:\n  Writer: {rate: 40}\n  Writer: {rate: 45}\n  Editor: {rate: -5}\n"
    process = (
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nfrequency: 2/month\n"
        "steps:\n  - {id: a, name: A, owner: Writer, time: 1h, wiat: 1d}\n"
        "  - {id: b, name: B, owner: Ghost, time: 1h}\n"
    )
    assert _folder_errors(tmp_path, roles, process) == [
        "p.yaml:6:1: error: duplicate key 'frequency'",
        "p.yaml:8:47: error: step 'a': unknown field 'wiat'",
        "p.yaml:9:29: error: step 'b': owner 'Ghost' is not among the roles, "
        "so it has no hourly rate",
        "roles.yaml:3:3: error: duplicate key 'Writer'",
        "roles.yaml:4:18: error: role 'Editor': rate: input should be greater than or equal to 0",
    ]


def test_a_duplicate_key_alone_still_fails_the_file(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text("roles:\n  Writer: {rate: 40}\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        "sopkit: 1\nid: p\nname: P\nname: Q\nowner: Writer\nfrequency: 1/month\n"
        "steps:\n  - {id: a, name: A, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    with pytest.raises(SopkitError) as info:
        load_process(path)
    assert formatted(info.value, tmp_path) == [
        "p.yaml:4:1: error: duplicate key 'name' (first at line 3) "
        "(remove one of them; YAML keeps only one)"
    ]
    (tmp_path / "roles.yaml").write_text(
        "roles:\n  Writer: {rate: 40}\nroles: {}\n", encoding="utf-8"
    )
    with pytest.raises(SopkitError) as info:
        load_settings(tmp_path / "roles.yaml")
    assert [line.split(" (")[0] for line in formatted(info.value, tmp_path)] == [
        "roles.yaml:3:1: error: duplicate key 'roles'"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "currency: EUR\nhours_per_day: 7.5\nroles:\n  Writer: {rate: 40}\n",
        "roles:\n  Writer: {rate: 40}\n",  # its own roles: alone are no process either
    ],
    ids=["full", "roles-only"],
)
def test_a_roles_file_under_another_name_is_one_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "team-rates.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopkitError) as info:
        load_process(path)
    assert formatted(info.value, tmp_path) == [
        "team-rates.yaml:1:1: error: this is a roles file (currency, calendar and rates), "
        "not a process (name it roles.yaml beside the process files, or pass it with --roles)"
    ]


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    with pytest.raises(SopkitError) as info:
        load_process(path)
    assert formatted(info.value, tmp_path) == [
        "p.yaml: error: file is 5.0 MB, too large to be a process "
        "(process files are at most 5 MB; split it)"
    ]


# --- random input ------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.dates()
    | st.sampled_from(["2h", "1h..4h", "0", "-1d", "4/month", "1/day", "0.5", "research", "1:30"])
)
FIELDS = [
    "sopkit", "id", "name", "owner", "frequency", "steps", "time", "wait", "after",
    "rework", "to", "probability", "automation", "share", "per_run", "roles", "rate",
]  # fmt: skip
keys = st.text(max_size=12) | st.sampled_from(FIELDS)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=30,
)


def must_be_sopkit_error(call: Callable[[], Any]) -> Any:
    """Run ``call``; any exception but ``SopkitError`` fails the test."""
    try:
        return call()
    except SopkitError as exc:
        for problem in exc.problems:
            text = problem.format()
            assert "\n" not in text
            assert problem.message
        return exc


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    roles_file(folder)
    return folder


def load_text(folder: Path, text: str | bytes) -> Any:
    path = folder / "fuzz.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    return must_be_sopkit_error(lambda: load_process(path))


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@FUZZ
@given(documents)
def test_random_yaml_documents(fuzz_dir: Path, value: Any) -> None:
    text = dump(value)
    must_be_sopkit_error(lambda: parse_yaml(text))
    load_text(fuzz_dir, text)


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
def test_random_text(fuzz_dir: Path, text: str) -> None:
    must_be_sopkit_error(lambda: parse_yaml(text))
    load_text(fuzz_dir, text)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(fuzz_dir: Path, data: bytes) -> None:
    load_text(fuzz_dir, data)


VALID = PROCESS.format(id="blog")
YAML_BITS = list(":-[]{},&*!|>'\"#%@`?\t\n ") + ["\n  ", "..", "/", "0", "1e9", "~", "- id: x"]


@st.composite
def edited_process(draw: st.DrawFn) -> str:
    """The valid process with a few random cuts, insertions and line swaps."""
    text = VALID
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["cut", "insert", "swap", "repeat"]))
        at = draw(st.integers(min_value=0, max_value=len(text)))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=20)) :]
        elif kind == "insert":
            piece = draw(st.sampled_from(YAML_BITS) | st.text(string.printable, max_size=8))
            text = text[:at] + piece + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            if kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, lines[i])
            text = "".join(lines)
    return text


@FUZZ
@given(edited_process())
def test_random_edits_of_a_valid_process(fuzz_dir: Path, text: str) -> None:
    result = load_text(fuzz_dir, text)
    assert isinstance(result, Process | SopkitError)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    ("id",),
                    ("frequency",),
                    ("steps",),
                    ("steps", 0),
                    ("steps", 0, "time"),
                    ("steps", 0, "wait"),
                    ("steps", 1, "after"),
                    ("steps", 1, "rework"),
                    ("steps", 1, "rework", "to"),
                    ("steps", 1, "rework", "probability"),
                    ("steps", 0, "automation"),
                    ("steps", 0, "per_run"),
                    ("steps", 0, "owner"),
                    ("roles",),
                ]
            ),
            documents,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_random_values_in_a_valid_process(fuzz_dir: Path, changes: list[Any]) -> None:
    data = yaml.safe_load(VALID)
    for path, value in changes:
        node = data
        for part in path[:-1]:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                break
        else:
            last = path[-1]
            if isinstance(node, dict) or (
                isinstance(node, list) and isinstance(last, int) and last < len(node)
            ):
                node[last] = value
    load_text(fuzz_dir, dump(data))


def test_fuzz_strategies_reach_valid_processes(fuzz_dir: Path) -> None:
    """The edited-process strategy starts from a file that loads: the fuzz is not all noise."""
    assert isinstance(load_text(fuzz_dir, VALID), Process)
    assert dt.date(2026, 1, 1) == parse_yaml("a: 2026-01-01").data["a"]


def test_a_bare_rate_and_a_weekly_expense_get_hints_that_fix_them(tmp_path: Path) -> None:
    put(tmp_path / "roles.yaml", "currency: USD\nroles:\n  Writer: 40\n")
    with pytest.raises(SopkitError) as info:
        load_settings(tmp_path / "roles.yaml")
    assert info.value.problems[0].hint == "give the rate as a field: Writer: {rate: …}"
    put(tmp_path / "roles.yaml", "currency: USD\nroles:\n  Writer: {rate: 40}\n")
    path = put(
        tmp_path / "e.yaml",
        "sopkit: 1\nid: e\nname: E\nowner: Writer\nfrequency: 1/month\n"
        "expenses:\n  - {name: Ads, amount: 100, per: week}\n"
        "steps:\n  - {id: a, name: A, owner: Writer, time: 1h}\n",
    )
    with pytest.raises(SopkitError) as info:
        load_process(path)
    (problem,) = info.value.problems
    assert problem.hint is not None and "52 times it per: year" in problem.hint


@pytest.mark.parametrize(
    ("per", "hint"),
    [
        # A trial's per: webinar was told how to turn a weekly cost into a yearly one.
        (
            "webinar",
            "did you mean 'run'? A cost paid for each webinar, each time the process runs, "
            "is per: run; one paid over time, per: month, quarter or year",
        ),
        ("biweekly", "a cost every two weeks is 26 times it per: year"),
        (
            "daily",
            "a weekly cost is 52 times it per: year; a daily one, your working days times it",
        ),
        ("monthly", "did you mean 'month'?"),
        # A Russian trial's per: месяц was told 'run': a monthly fee paid 6 times a month.
        ("месяц", "did you mean 'month'?"),
        ("мес", "did you mean 'month'?"),
        ("мес.", "did you mean 'month'?"),
        ("в месяц", "did you mean 'month'?"),
        ("ежемесячно", "did you mean 'month'?"),
        ("квартал", "did you mean 'quarter'?"),
        ("кв", "did you mean 'quarter'?"),
        ("год", "did you mean 'year'?"),
        ("월", "did you mean 'month'?"),
        ("매월", "did you mean 'month'?"),
        ("분기", "did you mean 'quarter'?"),
        ("년", "did you mean 'year'?"),
        ("runs", "did you mean 'run'?"),
        (
            "неделя",
            "a weekly cost is 52 times it per: year; a daily one, your working days times it",
        ),
        ("주", "a weekly cost is 52 times it per: year; a daily one, your working days times it"),
        ("день", "a weekly cost is 52 times it per: year; a daily one, your working days times it"),
        ("일", "a weekly cost is 52 times it per: year; a daily one, your working days times it"),
    ],
)
def test_an_expense_per_something_else_is_told_what_to_write(
    tmp_path: Path, per: str, hint: str
) -> None:
    put(tmp_path / "roles.yaml", "currency: USD\nroles:\n  Writer: {rate: 40}\n")
    path = put(
        tmp_path / "e.yaml",
        "sopkit: 1\nid: e\nname: E\nowner: Writer\nfrequency: 1/month\n"
        f"expenses:\n  - {{name: Ads, amount: 100, per: {per}}}\n"
        "steps:\n  - {id: a, name: A, owner: Writer, time: 1h}\n",
    )
    with pytest.raises(SopkitError) as info:
        load_process(path)
    (problem,) = info.value.problems
    assert problem.hint == hint


def test_a_broken_roles_file_does_not_hide_an_unknown_owner(tmp_path: Path) -> None:
    # One run: the roles file's own two problems, and the owner no role is named for. The
    # role whose rate is wrong ('Writer') is not reported again as missing.
    put(
        tmp_path / "roles.yaml",
        'curency: USD\nroles:\n  Writer: {rate: "40$"}\n  Editor: {rate: 50}\n',
    )
    put(
        tmp_path / "p.yaml",
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h}\n"
        "  - {id: b, name: B, owner: Edtor, time: 1h, after: [a]}\n",
    )
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    lines = formatted(info.value, tmp_path)
    assert [line.split(": error: ")[0] for line in lines] == [
        "p.yaml:8:29",
        "roles.yaml:1:1",
        "roles.yaml:3:18",
    ]
    assert (
        "owner 'Edtor' is not among the roles, so it has no hourly rate (did you mean 'Editor'?"
        in lines[0]
    )
    assert not any("'Writer'" in line and "hourly rate" in line for line in lines)


def test_an_impossible_date_and_a_wrong_time_hide_nothing(tmp_path: Path) -> None:
    """A date that does not exist is read as none and said once (not again by the field);
    a step with a wrong time is still checked for the rest: its owner's missing rate."""
    roles = "calendar: {holidays: [2026-02-30]}\nroles:\n  Designer: {rate: -1}\n"
    process = (
        "sopkit: 1\nid: p\nname: P\nowner: Designer\nfrequency: 1/month\n"
        'review: {version: "1", last_reviewed: 2026-02-30}\n'
        "steps:\n  - {id: a, name: A, owner: Desginer, time: 2 hrs}\n"
    )
    assert _folder_errors(tmp_path, roles, process) == [
        "p.yaml:6:39: error: not a valid date: day is out of range for month",
        "p.yaml:8:29: error: step 'a': owner 'Desginer' is not among the roles, "
        "so it has no hourly rate",
        "p.yaml:8:45: error: step 'a': time: unknown unit 'hrs' in '2 hrs'",
        "roles.yaml:1:23: error: not a valid date: day is out of range for month",
        "roles.yaml:3:20: error: role 'Designer': rate: input should be greater than or equal to 0",
    ]


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        (("id: p\n", "id: 2026-01-05\n"), "YAML reads this as a date: put it in quotes"),
        (("name: P\n", "name: yes\n"), "YAML reads this as true/false: put it in quotes"),
        (("time: 1h}", "time: '1,5h'}"), "write 1.5h: a decimal point, not a comma"),
        (("time: 1h}", "time: 1h30}"), "did you mean 1h30m? Every number needs its unit"),
        (("after: [a]", "after: a, c"), "to name several, write a list: [a, c]"),
        (("after: [a]\n", "after: [a]\n    rework: 0.3\n"), "rework: {to: <step id>, probability"),
        (("after: [a]\n", "after: [a]\n    automation: true\n"), "automation: {share: 0.5"),
    ],
)
def test_common_slips_get_a_hint_that_fixes_them(
    tmp_path: Path, change: tuple[str, str], hint: str
) -> None:
    """What new users write (a date as an id, a decimal comma, a list without brackets,
    a bare number where fields go) is answered with the fix, not a generic rule."""
    put(tmp_path / "roles.yaml", "currency: USD\nroles:\n  Writer: {rate: 40}\n")
    text = (
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h}\n"
        "  - id: b\n    name: B\n    owner: Writer\n    after: [a]\n    time: 2h\n"
    )
    old, new = change
    assert old in text
    path = put(tmp_path / "p.yaml", text.replace(old, new, 1))
    with pytest.raises(SopkitError) as info:
        load_process(path)
    hints = [p.hint or "" for p in info.value.problems]
    assert any(hint in h for h in hints), hints


#: A roles file with one writer, and the head of a process file of one writer's steps.
WRITER_ROLES = "currency: USD\nroles:\n  Writer: {rate: 40}\n"
HEAD = "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
ONE_STEP = HEAD + "  - {id: a, name: A, owner: Writer, time: 1h}\n"


def load_problems(tmp_path: Path, text: str, roles: str = WRITER_ROLES) -> list[Problem]:
    """Every problem of loading ``text`` as ``p.yaml`` beside ``roles`` (it must fail)."""
    put(tmp_path / "roles.yaml", roles)
    with pytest.raises(SopkitError) as info:
        load_process(put(tmp_path / "p.yaml", text))
    return list(info.value.problems)


def test_a_list_written_as_text_is_one_error(tmp_path: Path) -> None:
    """``after: a, c`` is one mistake: the list's fix, not also "names no step 'a, c'"."""
    text = ONE_STEP + (
        "  - {id: c, name: C, owner: Writer, time: 1h}\n"
        "  - id: b\n    name: B\n    owner: Writer\n    after: a, c\n    time: 2h\n"
    )
    problems = load_problems(tmp_path, text)
    assert [p.message for p in problems] == ["step 'b': after: item 1: 'a, c' is not a valid id"]
    assert "write a list: [a, c]" in (problems[0].hint or "")


def test_a_comma_in_a_braced_text_says_to_quote_it(tmp_path: Path) -> None:
    roles = "currency: USD\nroles:\n  Writer: {rate: 40, description: Writes, edits and posts}\n"
    (problem,) = load_problems(tmp_path, ONE_STEP, roles)
    assert problem.message == "role 'Writer': unknown field 'edits and posts'"
    assert (problem.line, problem.column) == (3, 43)
    assert problem.hint is not None and "put text that has a comma in quotes" in problem.hint
    # A field with a value is a wrong field, not a cut text: the usual hint.
    problems = load_problems(tmp_path, ONE_STEP.replace("time: 1h}", "time estimate: 1h}"))
    hints = [p.hint or "" for p in problems]
    assert hints and not any("comma" in h for h in hints), hints


def test_a_misspelt_role_kind_is_suggested(tmp_path: Path) -> None:
    put(tmp_path / "roles.yaml", "roles:\n  Agency: {rate: 90, kind: externl}\n")
    with pytest.raises(SopkitError) as info:
        load_settings(tmp_path / "roles.yaml")
    (problem,) = info.value.problems
    assert problem.hint == "did you mean 'external'?"


@pytest.mark.parametrize(
    ("line", "char", "column"),
    [("    time：1h\n", "：", 9), ("　  time: 1h\n", "\u3000", 1)],
)
def test_a_full_width_colon_or_space_is_named_where_it_is(
    tmp_path: Path, line: str, char: str, column: int
) -> None:
    """A Korean or Japanese input method types '：' or an ideographic space; YAML
    stumbles a line later. The error points at the character and says what to type."""
    text = HEAD + "  - id: a\n    name: A\n    owner: Writer\n" + line + "    done_when: x\n"
    (problem,) = load_problems(tmp_path, text)
    assert (problem.line, problem.column) == (10, column)
    assert problem.hint is not None and f"the full-width '{char}'" in problem.hint


def test_a_quote_left_open_is_named_where_it_opens(tmp_path: Path) -> None:
    """YAML reads a forgotten closing quote's text on, and stumbles lines later; the
    error points at the quote that was opened."""
    text = ONE_STEP.replace("name: P\n", 'name: "Launch — agency work\n')
    text += '  - {id: b, name: "B", owner: Writer, time: 1h, after: a}\n'
    (problem,) = load_problems(tmp_path, text)
    assert (problem.line, problem.column) == (3, 7)
    assert problem.hint is not None and "the quote opened here is not closed" in problem.hint


def test_a_date_without_its_zeros_says_how_to_write_it(tmp_path: Path) -> None:
    roles = WRITER_ROLES.replace("roles:", "calendar:\n  holidays: [2027-5-5]\nroles:")
    (problem,) = load_problems(tmp_path, ONE_STEP, roles)
    assert problem.message == "calendar: holidays: item 1: '2027-5-5' is not a date"
    assert problem.hint == "write dates as YYYY-MM-DD: 2027-05-05"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("01/04/2027", "write dates as YYYY-MM-DD: 2027-01-04 or 2027-04-01, whichever it means"),
        ("25/12/2027", "write dates as YYYY-MM-DD: 2027-12-25"),
        ("04.01.2027", "write dates as YYYY-MM-DD: 2027-01-04 or 2027-04-01, whichever it means"),
        ("2027/01/04", "write dates as YYYY-MM-DD: 2027-01-04"),
        ("4 Jan 2027", "write dates as YYYY-MM-DD, e.g. 2027-01-04"),
    ],
)
def test_a_date_written_another_way_gets_sopkits_message(
    tmp_path: Path, written: str, hint: str
) -> None:
    """Not pydantic's "input should be a valid date or datetime, invalid character in
    year" (a trial's holiday written 01/04/2027)."""
    roles = WRITER_ROLES.replace("roles:", f"calendar:\n  holidays: [{written}]\nroles:")
    (problem,) = load_problems(tmp_path, ONE_STEP, roles)
    assert problem.message == f"calendar: holidays: item 1: '{written}' is not a date"
    assert problem.hint == hint


def test_one_file_comes_with_the_processes_beside_it_that_run_it(tmp_path: Path) -> None:
    from sopkit.load import with_callers

    (tmp_path / "roles.yaml").write_text("roles:\n  Writer: {rate: 40}\n", encoding="utf-8")
    head = "sopkit: 1\nid: {id}\nname: {id}\nowner: Writer\n"
    (tmp_path / "item.yaml").write_text(
        head.format(id="item") + "steps:\n  - {id: w, name: W, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    (tmp_path / "release.yaml").write_text(
        head.format(id="release")
        + "frequency: 2/month\nsteps:\n  - {id: items, name: Items, process: item}\n",
        encoding="utf-8",
    )
    (tmp_path / "other.yaml").write_text(
        head.format(id="other")
        + "frequency: 1/month\nsteps:\n  - {id: o, name: O, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )

    def ids(paths: Path) -> list[str]:
        return [p.id for p in with_callers(paths).processes]

    assert ids(tmp_path / "item.yaml") == ["item", "release"]
    assert ids(tmp_path / "other.yaml") == ["other"]  # no one runs it
    assert ids(tmp_path) == ["item", "other", "release"]  # a folder: as loaded
    release = with_callers(tmp_path / "release.yaml")  # runs item, found beside it
    assert [p.id for p in release.processes] == ["release"]
    assert [p.id for p in release.dependencies] == ["item"]


def test_an_empty_roles_file_is_told_how_a_roles_file_starts(tmp_path: Path) -> None:
    """Not "a process starts with 'sopkit: 1'": the empty file is the roles file."""
    process_file(tmp_path, "a")
    (tmp_path / "roles.yaml").write_text("", encoding="utf-8")
    with pytest.raises(SopkitError) as info:
        load_portfolio(tmp_path)
    assert formatted(info.value, tmp_path) == [
        "roles.yaml:1:1: error: file is empty (a roles file has 'currency:' and 'roles:', "
        "e.g. roles: {Designer: {rate: 55}})"
    ]
