"""The outside tools the real-client tests drive: Node with tests/js installed, and Chromium with Playwright.

Outside CI a missing tool skips the test, saying why; under ``CI=true`` it fails, because there
the promises are tested with the real clients, never silently not. ``make test`` installs them
(``scripts/ensure-test-tools.sh`` for Chromium, ``npm ci`` here for the npm packages).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.paths import ROOT

JS_DIR = ROOT / "tests" / "js"
MIN_NODE_MAJOR = 20
NPM_CI_TIMEOUT_S = 600
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_tool(reason: str) -> None:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the tests that need it must run)")
    pytest.skip(reason)


def node_major(node: str) -> int:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    match = re.match(r"v(\d+)", version.strip())
    return int(match[1]) if match else 0


def npm_install_needed() -> bool:
    """True when node_modules is absent or older than the committed lock file."""
    installed_lock = JS_DIR / "node_modules" / ".package-lock.json"
    if not installed_lock.is_file():
        return True
    return (JS_DIR / "package-lock.json").stat().st_mtime > installed_lock.stat().st_mtime


def node_with_dependencies() -> str:
    """The node binary, with tests/js dependencies installed (``npm ci``) when needed."""
    node_path, npm_path = shutil.which("node"), shutil.which("npm")
    if node_path is None or npm_path is None:
        missing_tool(f"node and npm are needed for the real JS client tests (Node {MIN_NODE_MAJOR}+)")
    assert node_path is not None and npm_path is not None
    if node_major(node_path) < MIN_NODE_MAJOR:
        missing_tool(f"Node {MIN_NODE_MAJOR}+ is needed for the real JS client tests")
    if npm_install_needed():
        done = subprocess.run(
            [npm_path, "ci", "--no-audit", "--no-fund"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci in {JS_DIR} failed:\n{done.stdout}\n{done.stderr}")
    return node_path


def chromium_path() -> str:
    """Debian's chromium (or ``$CHROMIUM``), with the Playwright package to drive it."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_tool("the Python package playwright is not installed (pip install -e '.[test]')")
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    missing_tool("no Chromium found (scripts/ensure-test-tools.sh installs Debian's chromium; or set CHROMIUM)")
    raise AssertionError("unreachable")
