"""The container's exact command line, run without Docker: the Dockerfile's ENTRYPOINT followed by
the compose service's ``command``, its variables expanded by ``docker-compose config`` as Compose
expands them, then queried over HTTP.

Only what belongs to the container is mapped onto this machine: the port (20002 inside the
container, a free one here), the ``/data`` volume (a temporary folder) and the executable (this
environment's ``appsync-emulator``). The process runs in the folder Compose mounts at ``/work``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.testing import free_port
from tests.docker_files import container_command, resolved_compose
from tests.e2e.graphql_answers import data

API_KEY = "da2-blogexamplelocalkey000000"  # examples/blog, what Compose serves by default


def on_this_machine(command: list[str], port: int, data_dir: Path) -> list[str]:
    """The container's argv with its executable, port and data volume mapped here."""
    mapped = {"20002": str(port), "/data": str(data_dir)}
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert executable, f"{command[0]} is not installed beside {sys.executable}"
    return [executable, *(mapped.get(part, part) for part in command[1:])]


def project_folder(service: dict[str, Any]) -> Path:
    """The host folder Compose mounts at /work (the service's working directory)."""
    for volume in service["volumes"]:
        source, target = (volume.split(":")[:2] if isinstance(volume, str) else (volume["source"], volume["target"]))
        if target == "/work":
            return Path(source)
    raise AssertionError("no volume is mounted at /work")


class Container:
    """The command line running as a process, with what it printed at start."""

    def __init__(self, service: dict[str, Any], data_dir: Path) -> None:
        self.port = free_port()
        self.argv = on_this_machine(container_command(service), self.port, data_dir)
        self.process = subprocess.Popen(self.argv, cwd=project_folder(service), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))
            if line.startswith("Ready in"):
                return
        raise AssertionError("the container's command exited:\n" + "\n".join(self.lines))

    def printed(self, label: str) -> str:
        return next(line.split(": ", 1)[1] for line in self.lines if line.startswith(f"{label}: "))

    def graphql(self, query: str) -> dict[str, Any]:
        answer = httpx.post(f"http://127.0.0.1:{self.port}/graphql", json={"query": query},
                            headers={"x-api-key": API_KEY}, timeout=30)
        return data(answer)

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)


@pytest.fixture()
def containers(tmp_path: Path) -> Iterator[list[Container]]:
    started: list[Container] = []
    yield started
    for container in started:
        container.stop()


def test_docker_compose_up_serves_on_the_embedded_engine(tmp_path: Path, containers: list[Container]) -> None:
    """``docker compose up`` with DYNAMODB_ENDPOINT unset passes ``--dynamodb-endpoint ''``: the
    embedded engine, as the compose file says (it used to be refused, and the container restarted
    until Compose gave up)."""
    service = resolved_compose()["services"]["emulator"]
    assert container_command(service)[-2:] == ["--dynamodb-endpoint", ""]
    container = Container(service, tmp_path / "data")
    containers.append(container)
    assert container.printed("DynamoDB endpoint") == f"http://127.0.0.1:{container.port}"  # its own tables
    created = container.graphql('mutation { createBlog(input: {name: "From compose"}) { name } }')
    assert created == {"createBlog": {"name": "From compose"}}
    assert (tmp_path / "data" / "tables").is_dir()  # the /data volume holds the tables


def test_dynamodb_endpoint_set_uses_that_engine(tmp_path: Path, containers: list[Container]) -> None:
    """With DYNAMODB_ENDPOINT set (the dynamodb-local profile) the tables live there: here the
    DynamoDB API of another emulator stands in for DynamoDB Local."""
    service = resolved_compose()["services"]["emulator"]
    engine = Container(service, tmp_path / "engine-data")
    containers.append(engine)
    endpoint = f"http://127.0.0.1:{engine.port}"
    service = resolved_compose("--profile", "dynamodb-local", env={"DYNAMODB_ENDPOINT": endpoint})["services"]["emulator"]
    assert container_command(service)[-2:] == ["--dynamodb-endpoint", endpoint]
    container = Container(service, tmp_path / "data")
    containers.append(container)
    assert container.printed("DynamoDB endpoint") == endpoint
    container.graphql('mutation { createBlog(input: {id: "shared", name: "In the external engine"}) { id } }')
    assert engine.graphql('{ getBlog(id: "shared") { name } }') == {"getBlog": {"name": "In the external engine"}}
