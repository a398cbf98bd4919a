"""``sopkit validate``: what it prints equals what the library reports; exit 0, 1 or 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PORTFOLIOS
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.errors import SopkitError
from sopkit.load import load_portfolio
from sopkit.validate import lint_process

ROOT = Path(__file__).resolve().parent.parent
#: How every missing-rate hint ends: the kinds of role that need no rate.
KINDS = "a tool doing the work is '{kind: system}', an outside party '{kind: external}'"
LIBRARY = ROOT / "processes"

GOOD = """\
sopkit: 1
id: {id}
name: Blog post
owner: Content Lead
purpose: Posts that bring search traffic.
frequency: 4/month
steps:
  - id: research
    name: Research
    owner: SEO Specialist
    time: 2h
    done_when: The brief lists the keyword.
  - id: draft
    name: Draft
    owner: Content Writer
    after: [research]
    time: 1h..4h
    done_when: The draft is in the editor's queue.
"""
ROLES = "roles:\n  SEO Specialist: {rate: 45}\n  Content Writer: {rate: 40}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def folder(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "roles.yaml").write_text(ROLES, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def library_lines(paths: list[Path], **kwargs: object) -> list[str]:
    with pytest.raises(SopkitError) as info:
        load_portfolio(paths, **kwargs)  # type: ignore[arg-type]
    return [problem.format() for problem in info.value.problems]


@pytest.mark.parametrize("folder", PORTFOLIOS.values(), ids=PORTFOLIOS.keys())
def test_each_library_portfolio_is_valid_even_strictly(folder: Path) -> None:
    portfolio = load_portfolio(folder)
    steps = sum(len(p.steps) for p in portfolio)
    noun = "process" if len(portfolio) == 1 else "processes"
    for args in ([str(folder)], [str(folder), "--strict"]):
        code, out, err = run(*args)
        assert (code, out) == (0, ""), err
        assert err == f"ok: {len(portfolio)} {noun}, {steps} steps valid\n"


def test_the_whole_library_validates_one_currency_at_a_time() -> None:
    """A library of portfolios (one folder per currency) checks in one run; the reports,
    which add figures up, still refuse to mix currencies."""
    code, out, err = run(str(LIBRARY))
    count = sum(len(load_portfolio(folder)) for folder in PORTFOLIOS.values())
    assert (code, out) == (0, ""), err
    assert f"ok: {count} processes" in err
    result = CliRunner().invoke(app, ["cost", str(LIBRARY)])
    assert result.exit_code == 1
    assert "more than one currency" in result.stderr


def test_one_valid_file(tmp_path: Path) -> None:
    folder(tmp_path, blog=GOOD.format(id="blog"))
    assert run(str(tmp_path / "blog.yaml")) == (0, "", "ok: 1 process, 2 steps valid\n")


def test_two_bad_files_are_both_reported_sorted_one_line_each(tmp_path: Path) -> None:
    folder(
        tmp_path,
        b=GOOD.format(id="b").replace("owner: SEO", "owenr: SEO"),
        a=GOOD.format(id="a").replace("time: 2h", "time: 2hours").replace("4/month", "often"),
        c=GOOD.format(id="c"),
    )
    code, out, err = run(str(tmp_path))
    assert (code, out) == (1, "")
    assert err.splitlines() == library_lines([tmp_path])
    assert [line.split(": error: ")[0] for line in err.splitlines()] == [
        f"{tmp_path}/a.yaml:6:12",
        f"{tmp_path}/a.yaml:11:11",
        f"{tmp_path}/b.yaml:10:5",
    ]
    for line in err.splitlines():
        assert line.endswith(")"), f"no hint: {line}"


def test_warnings_pass_but_strict_fails(tmp_path: Path) -> None:
    text = GOOD.format(id="blog").replace("purpose: Posts that bring search traffic.\n", "")
    folder(tmp_path, blog=text)
    process = load_portfolio(tmp_path).processes[0]
    warnings = [w.format() for w in lint_process(process)]
    assert warnings == [
        f"{tmp_path}/blog.yaml:2:5: warning: no purpose: a new team member will not know why "
        "this SOP exists (add 'purpose: …') [no-purpose]"
    ]
    code, out, err = run(str(tmp_path))
    assert (code, out) == (0, "")
    assert err.splitlines() == [*warnings, "ok: 1 process, 2 steps valid"]
    code, out, err = run(str(tmp_path), "--strict")
    assert (code, out) == (1, "")
    assert err.splitlines() == [*warnings, "1 warning with --strict: not valid"]


def test_missing_done_when_fails_strict(tmp_path: Path) -> None:
    text = GOOD.format(id="blog").replace("    done_when: The brief lists the keyword.\n", "")
    folder(tmp_path, blog=text)
    code, _, err = run(str(tmp_path), "--strict")
    assert code == 1
    assert "blog.yaml:8:9: warning: step 'research' has no done_when" in err


def test_roles_option(tmp_path: Path) -> None:
    folder(tmp_path, blog=GOOD.format(id="blog"))
    other = tmp_path / "elsewhere" / "rates.yaml"
    other.parent.mkdir()
    other.write_text("currency: EUR\nroles: {SEO Specialist: {rate: 1}}\n", encoding="utf-8")
    code, out, err = run(str(tmp_path / "blog.yaml"), "--roles", str(other))
    assert (code, out) == (1, "")
    assert err.splitlines() == library_lines([tmp_path / "blog.yaml"], roles=other)
    assert err == (
        f"{tmp_path}/blog.yaml:15:12: error: step 'draft': owner 'Content Writer' "
        "is not among the roles, so it has no hourly "
        f"rate (add 'Content Writer: {{rate: …}}' to {other} or to the process's 'roles:'; "
        f"{KINDS})\n"
    )


def test_roles_option_missing_file(tmp_path: Path) -> None:
    folder(tmp_path, blog=GOOD.format(id="blog"))
    code, out, err = run(str(tmp_path), "--roles", str(tmp_path / "nope.yaml"))
    assert (code, out, err) == (
        1,
        "",
        f"{tmp_path}/nope.yaml: error: no such file (check the path)\n",
    )


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope"))
    assert (code, out) == (1, "")
    assert err == f"{tmp_path}/nope: error: no such file or folder (check the path)\n"


@pytest.mark.parametrize(
    "args",
    [["--bogus", "x.yaml"], [], ["x.yaml", "--roles"], ["x.yaml", "--strict=maybe"]],
    ids=["unknown-option", "no-path", "option-without-value", "flag-with-value"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert "Error: " in err
    assert "Traceback" not in out + err


HOSTILE = {
    "binary": b"\x00\x01\x02\xff",
    "latin-1": "name: caf\xe9\n".encode("latin-1"),
    "utf-16": "sopkit: 1\n".encode("utf-16"),
    "bomb": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
        for i in range(8)
    ),
    "deep": b"steps: " + b"[" * 100_000 + b"]" * 100_000,
    "tabs": b"sopkit: 1\nsteps:\n\t- id: a\n",
    "two-documents": b"sopkit: 1\n---\nsopkit: 1\n",
    "huge-number": b"sopkit: 1\nsteps: [{per_run: " + b"9" * 5000 + b"}]\n",
    "control": b"sopkit: 1\nname: a\x1bb\n",
    "list": b"- a\n- b\n",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_give_located_errors_never_a_traceback(tmp_path: Path, name: str) -> None:
    folder(tmp_path)
    path = tmp_path / "p.yaml"
    path.write_bytes(HOSTILE[name])
    code, out, err = run(str(path))
    assert (code, out) == (1, "")
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines == library_lines([path])
    for line in lines:
        assert line.startswith(f"{path}:")
        assert ": error: " in line
        assert "\x1b" not in line


def test_a_found_roles_file_is_shown_as_the_process_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "roles.yaml").write_text(
        "currency: USD\nroles:\n  Writer: {rate: -40}\n", encoding="utf-8"
    )
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Writer\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Writer, time: 1h}\n",
        encoding="utf-8",
    )
    where = "3:18: error: role 'Writer': rate: input should be greater than or equal to 0"
    for cwd, process, roles in (
        (tmp_path, "team/p.yaml", "roles.yaml"),
        (tmp_path / "team", "p.yaml", "../roles.yaml"),
        (tmp_path, str(tmp_path / "team" / "p.yaml"), str(tmp_path / "roles.yaml")),
    ):
        monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, ["validate", process])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"{roles}:{where}"), result.stderr
