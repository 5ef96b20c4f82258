"""The installed distribution: one top-level name, every package folder listed (issue 10, point 2)."""

from __future__ import annotations

import tomllib

from tests.paths import ROOT

SOURCE_FOLDERS = {"emulator": "emulator", "auth": "emulator.auth", "resolvers": "emulator.resolvers"}


def setuptools_table() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_installs_under_the_one_top_level_name() -> None:
    listed = set(setuptools_table()["packages"])
    expected = set()
    for folder, installed_as in SOURCE_FOLDERS.items():
        for path in [ROOT / folder, *(p for p in (ROOT / folder).rglob("*") if p.is_dir())]:
            relative = path.relative_to(ROOT / folder)
            if "__pycache__" in relative.parts or "node_modules" in relative.parts:
                continue
            if any(child.is_file() for child in path.iterdir()):
                expected.add(".".join([installed_as, *relative.parts]))
    assert expected - listed == set(), "package folders missing from [tool.setuptools] packages"
    assert {name.split(".")[0] for name in listed} == {"emulator"}


def test_the_repository_folders_map_to_emulator_subpackages() -> None:
    assert setuptools_table()["package-dir"] == {"emulator.auth": "auth", "emulator.resolvers": "resolvers"}


def test_every_data_file_of_a_package_folder_is_shipped() -> None:
    """Non-Python files in a package folder (the function runners' ``runner.mjs``, the explorer's
    assets) must match a ``package-data`` pattern, or a wheel install would lack them."""
    from fnmatch import fnmatch

    package_data = setuptools_table()["package-data"]
    missing = []
    for folder, installed_as in SOURCE_FOLDERS.items():
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT / folder)
            if not path.is_file() or path.suffix in (".py", ".pyc") or {"__pycache__", "node_modules"} & set(relative.parts):
                continue
            package = ".".join([installed_as, *relative.parent.parts])
            if not any(fnmatch(path.name, pattern) for pattern in package_data.get(package, [])):
                missing.append(f"{package}: {path.name}")
    assert missing == []
