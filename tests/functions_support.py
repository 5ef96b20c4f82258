"""What the function tests share (support module, no tests): the handler fixtures, their npm
set-up (``tsx`` for the TypeScript handlers, installed with ``npm ci`` from the committed lock
file), and finding runner processes by the handler files they run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.paths import ROOT

FUNCTIONS = ROOT / "tests" / "fixtures" / "functions"
NPM_CI_TIMEOUT_S = 600
RUNNER_SCRIPTS = ("runner.mjs", "lambda_runner.py")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_node(folder: Path = FUNCTIONS) -> str:
    """The node binary, with ``folder``'s npm packages installed (``npm ci``; ``tsx`` for the
    fixtures): skips locally, fails in CI, without Node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        reason = "node and npm are needed for the Node.js function tests"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: they must run)")
        pytest.skip(reason)
    assert npm is not None
    installed = folder / "node_modules" / ".package-lock.json"
    if not installed.is_file() or (folder / "package-lock.json").stat().st_mtime > installed.stat().st_mtime:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder, capture_output=True, text=True,
                              timeout=NPM_CI_TIMEOUT_S, check=False)
        if done.returncode != 0:
            pytest.fail(f"npm ci in {folder} failed:\n{done.stdout}\n{done.stderr}")
    return str(node)


def handler(file: str, export: str = "handler", folder: Path = FUNCTIONS) -> str:
    """A ``handler = "…"`` value with the file's absolute path (configs live in temporary folders)."""
    return f"{folder / file}:{export}"


def runner_pids(marker: str | Path) -> list[int]:
    """Runner processes (Node or Python) whose command line mentions ``marker`` (a handler path)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(marker) in command and any(script in command for script in RUNNER_SCRIPTS):
            pids.append(int(entry.name))
    return pids
