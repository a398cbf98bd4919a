"""``sopkit export bpmn`` and ``sopkit import bpmn`` through the CLI, compared with the library."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import PROCESSES
from typer.testing import CliRunner

from sopkit.analysis import cost_process
from sopkit.cli import app
from sopkit.interop.bpmn import export_bpmn, export_portfolio, import_bpmn, import_texts
from sopkit.load import load_portfolio, load_process

CONTENT = PROCESSES / "en" / "content-marketing.yaml"
C70 = Path(__file__).parent / "bpmn" / "miwg" / "C.7.0.bpmn"


def _run(*argv: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(argv))


def test_export_a_file_to_stdout_is_the_library_export() -> None:
    result = _run("export", "bpmn", str(CONTENT))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.encode("utf-8") == export_bpmn(cost_process(load_process(CONTENT)))


def test_export_a_file_to_a_path(tmp_path: Path) -> None:
    out = tmp_path / "content.bpmn"
    result = _run("export", "bpmn", str(CONTENT), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    assert out.read_bytes() == export_bpmn(cost_process(load_process(CONTENT)))


def test_export_a_folder_writes_one_file_per_process(tmp_path: Path) -> None:
    result = _run("export", "bpmn", str(PROCESSES / "en"), "-o", str(tmp_path / "bpmn"))
    assert result.exit_code == 0, result.stderr
    expected = export_portfolio(load_portfolio([PROCESSES / "en"]))
    written = {p.name: p.read_bytes() for p in (tmp_path / "bpmn").iterdir()}
    assert written == expected
    assert len(result.stderr.splitlines()) == len(expected)


def test_export_a_folder_needs_an_output_folder() -> None:
    result = _run("export", "bpmn", str(PROCESSES / "en"))
    assert result.exit_code == 2
    assert "exporting a folder needs -o FOLDER" in result.stderr


def test_export_never_writes_over_a_process_file_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "other.yaml"
    shutil.copy(CONTENT, target)
    refused = _run("export", "bpmn", str(CONTENT), "-o", str(target))
    assert refused.exit_code == 1 and "would overwrite a process file" in refused.stderr
    assert target.read_bytes() == CONTENT.read_bytes()
    forced = _run("export", "bpmn", str(CONTENT), "-o", str(target), "--force")
    assert forced.exit_code == 0 and target.read_bytes().startswith(b"<?xml")
    own = _run("export", "bpmn", str(CONTENT), "-o", str(CONTENT), "--force")
    assert own.exit_code == 1 and "overwrite an input" in own.stderr


def test_import_prints_located_warnings_and_writes_what_the_library_makes(tmp_path: Path) -> None:
    result = _run("import", "bpmn", str(C70), "-o", str(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""
    library = import_bpmn(C70.read_bytes(), str(C70))
    lines = result.stderr.splitlines()
    warnings = [w.format() for w in library.warnings]
    assert lines[: len(warnings)] == warnings
    assert lines[0].startswith(f"{C70}: warning: 3 service, script or business-rule tasks")
    assert any(
        f"{C70}: warning: how often work goes back from 'approve-advertisement' to "
        "'complete-advertisement' at 'Advertisement approved?' is not given (BPSim): "
        "0.5 assumed (flow 'No' from 'Advertisement approved?' to 'Complete advertisement', "
        in line  # the flow by its name and ends, which find it on the canvas, then its id
        for line in lines
    )
    files = import_texts(library, str(C70))
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == dict(files.texts)
    roles = tmp_path / "roles.yaml"
    assert lines[-1] == (
        f"next: fill in the hourly rates of Hiring manager, Recruitment in {roles}"
        f", then: sopkit cost {tmp_path}"
    )


def test_import_strict_writes_nothing_when_anything_was_guessed(tmp_path: Path) -> None:
    result = _run("import", "bpmn", str(C70), "-o", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 1
    assert re.search(r"\n\d+ warnings? with --strict: nothing written\n", result.stderr)
    assert not (tmp_path / "out").exists()


def test_import_of_a_sopkit_export_is_silent_and_strict_passes(tmp_path: Path) -> None:
    bpmn = tmp_path / "content.bpmn"
    bpmn.write_bytes(export_bpmn(cost_process(load_process(CONTENT))))
    result = _run("import", "bpmn", str(bpmn), "-o", str(tmp_path / "back"), "--strict")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr and "fill in" not in result.stderr


def test_an_unpaid_outside_party_asks_for_no_rate_after_a_round_trip(tmp_path: Path) -> None:
    # The customer of the case study is external with no rate: nothing to fill in.
    case_study = CONTENT.parent / "case-study.yaml"
    bpmn = tmp_path / "case-study.bpmn"
    bpmn.write_bytes(export_bpmn(cost_process(load_process(case_study))))
    result = _run("import", "bpmn", str(bpmn), "-o", str(tmp_path / "back"), "--strict")
    assert result.exit_code == 0, result.stderr
    assert "fill in" not in result.stderr
    roles = (tmp_path / "back" / "roles.yaml").read_text(encoding="utf-8")
    assert "  Customer:\n    kind: external\n" in roles
    assert "fill in" not in roles


def test_import_refuses_to_replace_files_without_force(tmp_path: Path) -> None:
    assert _run("import", "bpmn", str(C70), "-o", str(tmp_path)).exit_code == 0
    again = _run("import", "bpmn", str(C70), "-o", str(tmp_path))
    assert again.exit_code == 0 and "wrote" not in again.stderr  # the same files: left alone
    assert (
        f"unchanged: {tmp_path} already says the same in advertise-a-job-vacancy.yaml, roles.yaml"
        in (again.stderr)
    )
    (tmp_path / "advertise-a-job-vacancy.yaml").write_text("# mine\n", encoding="utf-8")
    refused = _run("import", "bpmn", str(C70), "-o", str(tmp_path))
    assert refused.exit_code == 1
    assert (
        "error: would replace advertise-a-job-vacancy.yaml (choose another folder, or add --force"
        in refused.stderr
    )
    assert (tmp_path / "advertise-a-job-vacancy.yaml").read_text(encoding="utf-8") == "# mine\n"
    forced = _run("import", "bpmn", str(C70), "-o", str(tmp_path), "--force")
    assert (
        forced.exit_code == 0
        and f"wrote {tmp_path / 'advertise-a-job-vacancy.yaml'}" in forced.stderr
    )


def test_import_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = _run("import", "bpmn", str(tmp_path / "nope.bpmn"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nope.bpmn'}: error: no such file (check the path)\n"


def test_import_needs_an_output_folder() -> None:
    result = _run("import", "bpmn", str(C70))
    assert result.exit_code == 2 and "-o" in result.stderr


def test_a_folder_export_refuses_a_bpmn_file_name(tmp_path: Path) -> None:
    result = _run("export", "bpmn", str(CONTENT.parent), "-o", str(tmp_path / "one.bpmn"))
    assert result.exit_code == 2
    assert "-o names a folder, not" in result.stderr
    assert not (tmp_path / "one.bpmn").exists()


def test_re_importing_an_edited_process_with_force_keeps_the_team_s_roles(
    tmp_path: Path,
) -> None:
    """The library folder, one of its processes exported, edited in a modeler and brought
    back with --force: its file is replaced, the folder's roles file keeps every role."""
    folder = tmp_path / "team"
    shutil.copytree(PROCESSES / "en", folder)
    roles_before = (folder / "roles.yaml").read_text(encoding="utf-8")
    bpmn = tmp_path / "content-marketing.bpmn"
    edited = export_bpmn(cost_process(load_process(CONTENT))).replace(
        b'name="Editing"', b'name="Editing and fact check"'
    )
    bpmn.write_bytes(edited)
    refused = _run("import", "bpmn", str(bpmn), "-o", str(folder))
    assert refused.exit_code == 1 and "would replace content-marketing.yaml (" in refused.stderr
    forced = _run("import", "bpmn", str(bpmn), "-o", str(folder), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (folder / "roles.yaml").read_text(encoding="utf-8") == roles_before
    assert len(load_portfolio(folder).processes) == 12
    assert "Editing and fact check" in (folder / "content-marketing.yaml").read_text("utf-8")


def test_the_next_step_names_only_the_rates_still_to_fill_in(tmp_path: Path) -> None:
    """Re-imported with --force into a folder whose roles are rated by now, there is
    nothing left to fill in: the hint said the import's blanks, not the file's."""
    bpmn = Path(__file__).resolve().parent / "bpmn" / "miwg" / "C.7.0.bpmn"
    first = _run("import", "bpmn", str(bpmn), "-o", str(tmp_path))
    assert first.exit_code == 0, first.stderr
    assert "next: fill in the hourly rates of Hiring manager, Recruitment" in first.stderr
    roles = tmp_path / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    rated = text.replace("Hiring manager: {rate: }", "Hiring manager: {rate: 70}")
    rated = re.sub(r"(Hiring manager:\n\s+rate:)[^\n]*", r"\g<1> 70", rated)
    roles.write_text(rated, encoding="utf-8")
    again = _run("import", "bpmn", str(bpmn), "-o", str(tmp_path), "--force")
    assert again.exit_code == 0, again.stderr
    assert "next: fill in the hourly rates of Recruitment in" in again.stderr
    # an outside party has no rate to fill in
    outside = re.sub(r"(Recruitment:\n\s+)rate:[^\n]*", r"\g<1>kind: external", rated)
    roles.write_text(outside, encoding="utf-8")
    last = _run("import", "bpmn", str(bpmn), "-o", str(tmp_path), "--force")
    assert last.exit_code == 0, last.stderr
    assert "next: fill in" not in last.stderr
