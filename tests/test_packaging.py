"""The wheel must carry every subpackage, the templates and the process library."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "sopkit").rglob("__init__.py")
    }
    assert on_disk | {"sopkit.processes"} == listed
    assert config["tool"]["setuptools"]["package-dir"]["sopkit.processes"] == "processes"


def test_library_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sopkit.processes"]
    assert "**/*.yaml" in patterns  # the ko/ and ru/ subfolders
