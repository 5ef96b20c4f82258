"""A user's own ``auth`` or ``resolvers`` module never breaks the emulator (issue 10, point 2).

Each case is a user project holding such a module, running the README's pytest example unchanged
(taken from README.md itself) in a pytest of its own, next to a test that imports the user's module.
The plugin (in the user's process) and the server it starts must both keep to their own code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.user_projects import notes_project, readme_pytest_example, run_pytest

USER_TEST = """
import {module}


def test_users_own_module_is_imported():
    assert {module}.WHOSE == "the user's"
"""


def user_project(folder: Path, module_file: str) -> Path:
    notes_project(folder)
    module = folder / module_file
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text('WHOSE = "the user\'s"\n\n\ndef resolve_relation():\n    return "mine"\n')
    (folder / "tests" / "test_notes.py").write_text(readme_pytest_example())
    name = module_file.split("/")[0].removesuffix(".py")
    (folder / "tests" / "test_own_module.py").write_text(USER_TEST.format(module=name))
    return folder


@pytest.mark.parametrize("module_file", ["auth.py", "auth/__init__.py", "resolvers/__init__.py"])
def test_readme_example_runs_in_a_project_with_its_own_module(tmp_path: Path, module_file: str) -> None:
    project = user_project(tmp_path / "app", module_file)
    done = run_pytest(project, {"PYTHONPATH": str(project)})  # as a user's CI often sets it: their modules first
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout


@pytest.mark.parametrize("module_file", ["auth.py", "resolvers/__init__.py"])
@pytest.mark.parametrize("launcher", ["python -m emulator", "appsync-emulator"])
def test_the_server_serves_from_a_folder_holding_such_a_module(tmp_path: Path, module_file: str, launcher: str) -> None:
    project = user_project(tmp_path / "app", module_file)
    command = [sys.executable, "-m", "emulator"] if launcher.startswith("python") else [
        str(Path(sys.executable).parent / "appsync-emulator")
    ]
    schema = "amplify/backend/api/notes/schema.graphql"
    server = subprocess.Popen(
        [*command, "serve", schema, "--port", "0", "--in-memory", "--data-dir", ".data", "--no-reload"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in server.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if line.startswith("GraphQL endpoint:"):
                break
        assert lines and lines[-1].startswith("GraphQL endpoint:"), "".join(lines)
        url = lines[-1].split(": ", 1)[1].strip()
        answer = httpx.post(url, json={"query": "{ __typename }"}, headers={"x-api-key": "none"}, timeout=30)
        assert answer.status_code in (200, 401), answer.text  # served: AppSync's answer, not a crash
    finally:
        server.terminate()
        server.wait(timeout=30)
