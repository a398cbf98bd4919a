"""Helpers for the workbook tests: LibreOffice recalculation and editing one stored cell.

``recalculate`` opens a workbook in headless LibreOffice with "recalculate on
load: always" set in a fresh profile, saves it as xlsx (LibreOffice writes
the values it computed) and returns it read with ``data_only=True``.

``set_number`` changes one number inside the file's XML and leaves every
other stored value as it was, as a person typing a new rate would; so a
recalculation that did not happen shows the old figures and fails the test.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
from conftest import require_tool

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice(arguments: list[str], home: Path) -> None:
    """Run headless LibreOffice with its own profile in ``home``, recalculating on load."""
    executable = require_tool("soffice", "libreoffice-calc")
    profile = home / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, "utf-8")
    command = [
        executable,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *arguments,
    ]
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run(command, capture_output=True, timeout=240, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


def recalculate(data: bytes, work: Path) -> openpyxl.Workbook:
    """The workbook as LibreOffice computes and stores it, read with ``data_only=True``."""
    source = work / "in" / "cost.xlsx"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    out = work / "out"
    soffice(["--convert-to", "xlsx", "--outdir", str(out), str(source)], work)
    return openpyxl.load_workbook(out / "cost.xlsx", data_only=True)


def recomputed(data: bytes, work: Path) -> int:
    """Recalculate ``data`` in LibreOffice and assert every formula gives the value sopkit
    stored with it (text as text, numbers to 1e-9); returns how many formulas it checked."""
    import pytest

    computed = recalculate(data, work)
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    source = openpyxl.load_workbook(io.BytesIO(data))
    checked = 0
    for sheet in source:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                ours = stored[sheet.title][cell.coordinate].value
                theirs = computed[sheet.title][cell.coordinate].value
                where = f"{sheet.title}!{cell.coordinate} {cell.value}"
                if ours is None or isinstance(ours, str):  # text, or empty text
                    assert (theirs or "") == (ours or ""), where
                else:
                    assert theirs == pytest.approx(ours, rel=1e-9, abs=1e-9), where
                checked += 1
    return checked


def _sheet_path(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    found = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" r:id="(rId\d+)"', workbook)
    assert found, sheet
    target = re.search(rf'Id="{found.group(1)}" Type="[^"]+" Target="([^"]+)"', rels)
    assert target, found.group(1)
    return "xl/" + target.group(1).removeprefix("/xl/")


def set_number(data: bytes, sheet: str, ref: str, value: float) -> bytes:
    """``data`` with the number in ``sheet!ref`` replaced; nothing else touched."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        path = _sheet_path(source, sheet)
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == path:
                text = content.decode()
                pattern = rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>(</c>)'
                text, count = re.subn(pattern, rf"\g<1><v>{value!r}</v>\g<2>", text)
                assert count == 1, f"{sheet}!{ref} holds no number"
                content = text.encode()
            target.writestr(entry, content)
    return out.getvalue()
