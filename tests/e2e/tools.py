"""The outside tools the real-client tests drive: Node with tests/js installed, and Chromium with Playwright.

Outside CI a missing tool skips the test, saying why; under ``CI=true`` it fails, because there
the promises are tested with the real clients, never silently not. ``make test`` installs them
(``scripts/ensure-test-tools.sh`` for Chromium, ``npm ci`` here for the npm packages).
"""

from __future__ import annotations

import os
import shutil

from tests.node_projects import missing_tool, node_with_installed
from tests.paths import ROOT

JS_DIR = ROOT / "tests" / "js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def node_with_dependencies() -> str:
    """The node binary, with tests/js dependencies installed (``npm ci``) when needed."""
    return node_with_installed(JS_DIR, "the real JS client tests")


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
