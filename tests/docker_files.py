"""The Dockerfile and docker-compose.yml as their users run them, read without a Docker engine
(support for the tests; no tests here).

``docker-compose config`` validates the compose file and expands its variables exactly as Compose
does; it needs no engine. Under ``CI=true`` a missing ``docker-compose`` fails instead of skipping
(``scripts/ensure-test-tools.sh`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from tests.paths import ROOT

DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
COMPOSE_VARIABLES = {"PROJECT_DIR", "DYNAMODB_ENDPOINT", "EMULATOR_PORT"}


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    message = "docker-compose is not installed (scripts/ensure-test-tools.sh installs it: apt-get install docker-compose)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def resolved_compose(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``docker-compose config``: the file with every variable expanded from ``env`` alone."""
    clean_env = {k: v for k, v in os.environ.items() if k not in COMPOSE_VARIABLES}
    done = subprocess.run(
        [*compose_command(), "--project-directory", str(ROOT), "-f", str(COMPOSE), *args, "config"],
        capture_output=True, text=True, timeout=60, env={**clean_env, **(env or {})}, check=False,
    )
    assert done.returncode == 0, f"docker-compose config failed:\n{done.stderr}"
    return yaml.safe_load(done.stdout)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.rstrip().endswith("\\"):
            lines.append(current.strip())
            current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def exec_form(instruction: str) -> list[str]:
    """The last ENTRYPOINT or CMD of the Dockerfile, which must be in exec (JSON) form."""
    arguments = [args for name, args in dockerfile_instructions() if name == instruction][-1]
    return json.loads(arguments)


def container_command(service: dict[str, Any]) -> list[str]:
    """What the container runs: the image's ENTRYPOINT, then the service's ``command`` (or the CMD)."""
    command = service.get("command", exec_form("CMD"))
    return [*exec_form("ENTRYPOINT"), *(command if isinstance(command, list) else command.split())]
