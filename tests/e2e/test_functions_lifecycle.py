"""The life of function processes over the wire: hot reload of a function's code, and no runner
left behind when the server stops, or even when it is killed.

Handlers are copied into a temporary project, so the tests can change them and find their
runner processes by path.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.waiting import eventually
from tests.functions_support import FUNCTIONS, require_node, runner_pids

SCHEMA = """
type Query {
  nodeVersion: String @function(name: "node-version")
  pythonVersion: String @function(name: "python-version")
}
"""

NODE = "export const handler = async () => '{}';\n"
PYTHON = "def handler(event, context):\n    return '{}'\n"


def project(folder: Path) -> str:
    (folder / "schema.graphql").write_text(SCHEMA)
    (folder / "fn").mkdir()
    (folder / "fn" / "version.mjs").write_text(NODE.format("node v1"))
    (folder / "fn" / "version.py").write_text(PYTHON.format("python v1"))
    return f"""
schema = "{folder / 'schema.graphql'}"
[auth.api_key]
keys = ["da2-functionslifecycle000000"]
[functions.node-version]
handler = "{folder / 'fn' / 'version.mjs'}:handler"
[functions.python-version]
handler = "{folder / 'fn' / 'version.py'}:handler"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    require_node()
    return tmp_path


@pytest.fixture
def server(folder: Path) -> Iterator[RunningEmulator]:
    running = start_emulator(folder / "schema.graphql", project(folder), data_dir=folder / "data")
    yield running
    running.stop()


def value(server: RunningEmulator, field: str) -> str | None:
    body = server.graphql(f"{{ {field} }}").json()
    return (body.get("data") or {}).get(field)


def test_a_changed_handler_is_picked_up_without_a_restart(server: RunningEmulator, folder: Path) -> None:
    assert value(server, "nodeVersion") == "node v1"
    assert value(server, "pythonVersion") == "python v1"
    first = set(runner_pids(folder))
    assert len(first) == 2
    (folder / "fn" / "version.mjs").write_text(NODE.format("node v2"))
    (folder / "fn" / "version.py").write_text(PYTHON.format("python v2"))
    eventually(lambda: value(server, "nodeVersion") == "node v2" and value(server, "pythonVersion") == "python v2")
    eventually(lambda: not first & set(runner_pids(folder)))  # the old instances were stopped
    assert any("function node-version changed" in line for line in server.output)


def test_stopping_the_server_stops_every_runner(folder: Path) -> None:
    running = start_emulator(folder / "schema.graphql", project(folder), data_dir=folder / "data")
    try:
        assert value(running, "nodeVersion") == "node v1"
        assert value(running, "pythonVersion") == "python v1"
        assert len(runner_pids(folder)) == 2
    finally:
        assert running.stop() == 0
    assert runner_pids(folder) == []


def test_runners_exit_when_the_server_is_killed(folder: Path) -> None:
    running = start_emulator(folder / "schema.graphql", project(folder), data_dir=folder / "data")
    try:
        assert value(running, "nodeVersion") == "node v1"
        assert value(running, "pythonVersion") == "python v1"
        assert len(runner_pids(folder)) == 2
        running.process.send_signal(signal.SIGKILL)
        running.process.wait(timeout=10)
        eventually(lambda: runner_pids(folder) == [])  # their stdin closed: they exit on their own
    finally:
        running.stop()


def test_a_missing_handler_export_is_a_clear_field_error(folder: Path) -> None:
    shutil.copy(FUNCTIONS / "chain.mjs", folder / "chain.mjs")
    config = project(folder) + f'[functions.nothere]\nhandler = "{folder / "chain.mjs"}:nothere"\n'
    (folder / "schema.graphql").write_text(SCHEMA.replace("}", '  missing: String @function(name: "nothere")\n}'))
    running = start_emulator(folder / "schema.graphql", config, data_dir=folder / "data")
    try:
        body = running.graphql("{ missing }").json()
        assert body["data"] == {"missing": None}
        assert body["errors"][0]["errorType"] == "Lambda:Unhandled"
        assert body["errors"][0]["message"] == "chain.nothere is undefined or not exported"
    finally:
        running.stop()
