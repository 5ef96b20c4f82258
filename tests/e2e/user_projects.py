"""A user's project running the README's pytest example in a pytest of its own (e2e support, no tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

NOTES_SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  content: String
}
"""


def readme_pytest_example() -> str:
    """The code block of the README's "Testing your app with pytest" section, as users copy it."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Testing your app with pytest", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's pytest section has no python example"
    return match.group(1)


def notes_project(folder: Path) -> Path:
    """An Amplify-style project with the README's schema path, and its (empty) tests folder."""
    schema = folder / "amplify" / "backend" / "api" / "notes" / "schema.graphql"
    schema.parent.mkdir(parents=True)
    schema.write_text(NOTES_SCHEMA)
    (folder / "tests").mkdir()
    return folder


def run_pytest(project: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The user's ``pytest tests`` in their folder, outside this suite's pytest settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(project), "tests"],
        cwd=project, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=240, check=False,
    )
