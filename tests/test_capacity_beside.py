"""Utilisation shown or checked for some of the files that share a roles file says that
only their hours count, and names the files beside that work in the role too.

The folder: Writer has a headcount of 1 and 1,000 hours a year. ``blog`` gives it
10 h × 48 runs = 480 h a year (48%), ``news`` 12 h × 48 = 576 h: with ``team/other``'s
48 h the folder's Writer is at 110.4%, over capacity, while either file alone is within
it. ``team/`` has a roles file of its own (another team, not named from ``blog``), and
``edit`` uses only the Editor, who has no headcount.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sopkit.cli import app
from sopkit.load import load_portfolio, roles_worked_beside, with_callers
from sopkit.render.beside import beside_text

ROLES = """\
currency: USD
hours_per_day: 8
working_days_per_year: 250
roles:
  Writer: {rate: 40, headcount: 1, available_hours: 1000}
  Editor: {rate: 50}
"""
PROCESS = """\
sopkit: 1
id: {id}
name: {id}
owner: {owner}
purpose: Work.
frequency: 4/month
steps:
  - {{id: work, name: Work, owner: {owner}, time: {hours}h, done_when: Done.}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "processes"
    write(root / "roles.yaml", ROLES)
    write(root / "blog.yaml", PROCESS.format(id="blog", owner="Writer", hours=10))
    write(root / "news.yaml", PROCESS.format(id="news", owner="Writer", hours=12))
    write(root / "edit.yaml", PROCESS.format(id="edit", owner="Editor", hours=1))
    write(root / "team" / "roles.yaml", ROLES)
    write(root / "team" / "other.yaml", PROCESS.format(id="other", owner="Writer", hours=1))
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_files_beside_that_work_in_a_role_with_a_headcount(folder: Path) -> None:
    # news works in the Writer role too; edit only in the Editor's (no headcount), team/
    # has a roles file of its own, and a broken file names no role.
    assert roles_worked_beside(load_portfolio(folder)) == {}
    write(folder / "broken.yaml", "sopkit: 1\nsteps: [\n")
    blog = with_callers(folder / "blog.yaml")
    assert roles_worked_beside(blog) == {"Writer": ("news.yaml",)}
    both = load_portfolio([folder / "blog.yaml", folder / "news.yaml"])
    assert roles_worked_beside(both) == {}
    # A roles file given apart: the files beside the process are read with it too.
    alone = load_portfolio(folder / "team" / "other.yaml", roles=folder / "roles.yaml")
    assert roles_worked_beside(alone) == {}


def test_a_long_list_is_cut(folder: Path) -> None:
    files = tuple(f"p{n}.yaml" for n in range(7))
    text = beside_text({"Writer": files})
    assert text is not None
    assert text.endswith("Writer in p0.yaml, p1.yaml, p2.yaml, p3.yaml, p4.yaml and 2 more files.")


def test_cost_by_role_of_one_file_says_only_its_hours_count(folder: Path) -> None:
    code, out, _ = run("cost", str(folder / "blog.yaml"), "--by", "role")
    assert code == 0
    assert "48.00%" in out  # the figure is the file's own: 480 h of 1,000
    assert (
        "Only this process's hours count toward the roles' capacity. Other process files "
        "that use the same roles file work in this role too, and a report on the whole "
        "folder counts their hours: Writer in news.yaml." in " ".join(out.split())
    )
    code, out, _ = run("cost", str(folder), "--by", "role")
    assert "110.40%" in out and "Only this" not in out and "news.yaml" not in out


def test_explain_role_of_one_file_says_only_its_hours_count(folder: Path) -> None:
    _, out, _ = run("cost", str(folder / "blog.yaml"), "--explain", "Writer")
    assert "= 48.00%: within capacity" in out
    assert "Only this process's hours count" in out and "Writer in news.yaml." in out
    _, out, _ = run("cost", str(folder), "--explain", "Writer")
    assert "news.yaml" not in out.split("Utilisation")[-1]


def test_diff_of_one_file_says_only_the_compared_hours_count(folder: Path, tmp_path: Path) -> None:
    after = write(
        tmp_path / "after" / "blog.yaml", PROCESS.format(id="blog", owner="Writer", hours=11)
    )
    write(tmp_path / "after" / "roles.yaml", ROLES)
    write(tmp_path / "after" / "post.yaml", PROCESS.format(id="post", owner="Writer", hours=1))
    code, out, _ = run("diff", str(folder / "blog.yaml"), str(after))
    assert code == 0
    assert "utilisation 48.00% → 52.80%" in out
    # The files beside either side: news before, post after.
    assert (
        "Utilisation: only the compared processes' hours count toward the roles' capacity. "
        "Other process files that use the same roles file work in this role too, and a "
        "report on the whole folder counts their hours: Writer in news.yaml and post.yaml."
        in " ".join(out.split())
    )
    code, out, _ = run("diff", str(folder), str(folder))
    assert "only the compared" not in out


def test_validate_strict_of_one_file_says_the_folder_may_be_over_capacity(folder: Path) -> None:
    code, _, err = run("validate", str(folder / "blog.yaml"), "--strict")
    assert code == 0
    assert (
        "note: capacity was checked with this process's hours only; 1 other process file "
        "beside works in Writer too (validate the whole folder to check them together)\n" in err
    )
    code, _, err = run("validate", str(folder), "--strict")
    assert code == 1 and "over capacity" in err and "note:" not in err


def test_simulate_of_some_files_names_the_others(folder: Path) -> None:
    _, out, _ = run("simulate", str(folder / "blog.yaml"), "--years", "100")
    text = " ".join(out.split())
    assert "Only this process's hours count toward the roles' capacity. Other process" in text
    assert "Writer in news.yaml." in text
    _, out, _ = run(
        "simulate", str(folder / "blog.yaml"), str(folder / "edit.yaml"), "--years", "100"
    )
    text = " ".join(out.split())
    assert "Only these processes' hours count toward the roles' capacity." in text
    assert "Writer in news.yaml." in text
    _, out, _ = run("simulate", str(folder), "--years", "100")
    assert "Only th" not in out


def test_compare_of_one_file_names_the_files_beside(folder: Path, tmp_path: Path) -> None:
    scenario = write(
        tmp_path / "hire.yaml",
        "sopkit-scenario: 1\nname: Hire\nchanges:\n  - headcount: {Writer: 2}\n",
    )
    _, out, _ = run("compare", str(folder / "blog.yaml"), "--scenario", str(scenario))
    assert (
        "Only this process's hours count toward the roles' capacity; other process files that "
        "use the same roles file work in them too: Writer in news.yaml." in " ".join(out.split())
    )
    _, out, _ = run("compare", str(folder), "--scenario", str(scenario))
    assert "Only this" not in out


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Only this process&#39;s hours count toward the roles&#39; capacity; other process "
            "files that use the same roles file work in them too: Writer in news.yaml.",
        ),
        (
            "ko",
            "가동률에는 주어진 프로세스의 시간만 반영됩니다. 같은 역할 파일을 쓰는 다른 프로세스 "
            "파일도 이 역할을 맡고 있습니다: Writer(news.yaml).",
        ),
        (
            "ru",
            "Загрузка учитывает часы только этого процесса; эти роли заняты и в других файлах "
            "процессов с тем же файлом ролей: Writer — news.yaml.",
        ),
    ],
)
def test_the_report_and_the_dashboard_say_it_in_their_language(
    folder: Path, language: str, said: str
) -> None:
    from sopkit.analysis import cost_portfolio
    from sopkit.render.report import annual_report
    from sopkit.render.site import render_index

    blog = folder / "blog.yaml"
    blog.write_text(blog.read_text(encoding="utf-8") + f"language: {language}\n", "utf-8")
    portfolio = load_portfolio(blog)
    cost, beside = cost_portfolio(portfolio), roles_worked_beside(portfolio)
    report = annual_report(cost, fmt="html", beside=beside).decode("utf-8")
    assert said in _text(report)  # a Korean page keeps its words whole in spans
    assert said in _text(render_index(cost, [], [], beside=beside))
    assert said not in _text(annual_report(cost, fmt="html").decode("utf-8"))


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_diff_of_two_files_of_one_folder_names_neither_as_beside(folder: Path) -> None:
    # blog and news are both compared: neither is a file beside the other side's.
    write(folder / "post.yaml", PROCESS.format(id="post", owner="Writer", hours=1))
    _, out, _ = run("diff", str(folder / "blog.yaml"), str(folder / "news.yaml"))
    text = " ".join(out.split())
    assert "Writer in post.yaml." in text
    assert "blog.yaml" not in text.split("only the compared")[-1]
    assert "news.yaml" not in text.split("only the compared")[-1]
    (folder / "post.yaml").unlink()
    _, out, _ = run("diff", str(folder / "blog.yaml"), str(folder / "news.yaml"))
    assert "only the compared" not in out


def test_only_the_views_that_show_the_note_read_the_files_beside(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.load

    read: list[int] = []

    def counted(*portfolios: object) -> dict[str, tuple[str, ...]]:
        read.append(1)
        return {"Writer": ("news.yaml",)}

    monkeypatch.setattr(sopkit.load, "roles_worked_beside", counted)
    blog = str(folder / "blog.yaml")
    for args in (
        ("cost", blog),
        ("cost", blog, "--by", "role", "--format", "csv"),
        ("cost", blog, "--format", "json"),
        ("cost", blog, "--explain", "work"),
        ("simulate", blog, "--years", "100", "--format", "json"),
        ("simulate", blog, "--years", "100", "--format", "csv"),
    ):
        assert run(*args)[0] == 0, args
    assert read == []
    for args in (
        ("cost", blog, "--by", "role"),
        ("cost", blog, "--explain", "Writer"),
        ("simulate", blog, "--years", "100"),
    ):
        _, out, _ = run(*args)
        assert "Writer in news.yaml." in " ".join(out.split()), args
    assert len(read) == 3


def test_a_file_without_the_roles_names_is_not_parsed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopkit.load.sharing as sharing

    for n in range(3):
        write(folder / f"x{n}.yaml", PROCESS.format(id=f"x{n}", owner="Editor", hours=1))
    parsed: list[str] = []
    real = sharing.read_document

    def counting(path: Path, **options: bool) -> object:
        parsed.append(Path(path).name)
        return real(path, **options)

    monkeypatch.setattr(sharing, "read_document", counting)
    assert roles_worked_beside(load_portfolio(folder / "blog.yaml")) == {"Writer": ("news.yaml",)}
    assert parsed == ["news.yaml"]  # edit and x0..x2 name no Writer: not parsed
    parsed.clear()
    assert roles_worked_beside(load_portfolio(folder)) == {}
    assert parsed == []  # every file beside is loaded


def test_a_roles_file_from_elsewhere_reads_the_process_folder_only(tmp_path: Path) -> None:
    roles = write(tmp_path / "team" / "roles.yaml", ROLES)
    here = tmp_path / "downloads"
    write(here / "blog.yaml", PROCESS.format(id="blog", owner="Writer", hours=10))
    write(here / "news.yaml", PROCESS.format(id="news", owner="Writer", hours=12))
    write(here / "old" / "deep.yaml", PROCESS.format(id="deep", owner="Writer", hours=1))
    portfolio = load_portfolio(here / "blog.yaml", roles=roles)
    assert roles_worked_beside(portfolio) == {"Writer": ("news.yaml",)}


def test_an_unreadable_folder_beside_is_skipped(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    write(folder / "more" / "post.yaml", PROCESS.format(id="post", owner="Writer", hours=1))
    locked = folder / "locked"
    write(locked / "hidden.yaml", PROCESS.format(id="hidden", owner="Writer", hours=1))
    real = os.scandir

    def scandir(path: str) -> object:  # as a folder without permission (root reads any)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = roles_worked_beside(load_portfolio(folder / "blog.yaml"))
    assert found == {"Writer": ("more/post.yaml", "news.yaml")}


def test_explain_to_a_markdown_file_says_the_extension_asks_for_it(
    folder: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        "cost", str(folder / "blog.yaml"), "--explain", "work", "-o", str(tmp_path / "x.md")
    )
    assert code == 2
    said = " ".join(err.split())
    assert "the file name's extension (.md) asks for markdown" in said
    assert "leave out --format" not in said and ".txt" in said
    _, _, err = run("cost", str(folder / "blog.yaml"), "--explain", "work", "--format", "csv")
    assert "leave out --format" in " ".join(err.split())


def test_serve_watches_the_files_beside(folder: Path, tmp_path: Path) -> None:
    from sopkit.build import build_site

    result = build_site(folder / "blog.yaml", tmp_path / "site", diagrams=False)
    assert str(folder / "news.yaml") in result.inputs
    assert str(folder / "edit.yaml") in result.inputs  # may come to work in the Writer role
