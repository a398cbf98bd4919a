from __future__ import annotations

from typer.testing import CliRunner

from sopkit import __version__
from sopkit.cli import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"sopkit {__version__}"
