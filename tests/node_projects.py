"""Node projects the tests run (tests/js, examples/gen2-notes): finding Node, ``npm ci`` when needed.

Under ``CI=true`` a missing Node is a failure, never a skip: what these tests promise is tested
with real Node code. Elsewhere they skip, saying why, only when node or npm is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.paths import ROOT

MIN_NODE_MAJOR = 20
NPM_CI_TIMEOUT_S = 900
GEN2_EXAMPLE = ROOT / "examples" / "gen2-notes"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_tool(reason: str) -> None:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: these tests must run)")
    pytest.skip(reason)


def node_major(node: str) -> int:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    match = re.match(r"v(\d+)", version.strip())
    return int(match[1]) if match else 0


def npm_install_needed(folder: Path) -> bool:
    """True when node_modules is absent or older than the committed lock file."""
    installed_lock = folder / "node_modules" / ".package-lock.json"
    if not installed_lock.is_file():
        return True
    return (folder / "package-lock.json").stat().st_mtime > installed_lock.stat().st_mtime


def node_with_installed(folder: Path, why: str) -> str:
    """The node binary, with ``folder``'s dependencies installed (``npm ci``, kept between runs)."""
    node_path, npm_path = shutil.which("node"), shutil.which("npm")
    if node_path is None or npm_path is None:
        missing_tool(f"node and npm are needed for {why} (Node {MIN_NODE_MAJOR}+)")
    assert node_path is not None and npm_path is not None
    if node_major(node_path) < MIN_NODE_MAJOR:
        missing_tool(f"Node {MIN_NODE_MAJOR}+ is needed for {why}")
    if npm_install_needed(folder):
        done = subprocess.run(
            [npm_path, "ci", "--no-audit", "--no-fund"],
            cwd=folder, capture_output=True, text=True, timeout=NPM_CI_TIMEOUT_S, check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci in {folder} failed:\n{done.stdout}\n{done.stderr}")
    return node_path


def gen2_project_copy(source: Path, target: Path) -> Path:
    """A Gen 2 project's files copied to ``target`` with the example's ``node_modules`` linked in,
    as an installed project of the user's would be (the example's install has ``@aws-amplify/backend``)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("node_modules", ".amplify"))
    (target / "node_modules").symlink_to(GEN2_EXAMPLE / "node_modules", target_is_directory=True)
    if not (target / "package.json").exists():
        (target / "package.json").write_text('{"name": "gen2-fixture", "private": true, "type": "module"}\n')
    return target
