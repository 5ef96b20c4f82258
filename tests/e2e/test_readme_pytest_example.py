"""The README's pytest example keeps passing when other tests write to the server it shares.

``emulator_server`` gives every caller with the same schema and config the same server for the whole
session, so a second test module holding the same example writes a second note before (or after)
the first one checks the table: the example must assert on what it wrote, not on table-wide counts.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.user_projects import notes_project, readme_pytest_example, run_pytest


def test_the_readme_example_passes_twice_on_one_shared_server(tmp_path: Path) -> None:
    project = notes_project(tmp_path / "app")
    example = readme_pytest_example()
    (project / "tests" / "test_notes.py").write_text(example)
    (project / "tests" / "test_notes_again.py").write_text(example)
    done = run_pytest(project)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
