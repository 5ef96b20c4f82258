"""The Dockerfile and docker-compose.yml, checked the way their users run them (no Docker engine here).

``docker-compose config`` validates and resolves the compose file (``tests/docker_files.py``). The
Dockerfile is checked for what the README promises: slim base, non-root user, data volume,
health check on ``GET /health``, listening on 0.0.0.0, and every COPY source present. The
container's command line itself is run in ``tests/e2e/test_docker_command.py``.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.docker_files import dockerfile_instructions, resolved_compose
from tests.paths import ROOT


def test_compose_file_validates_and_defaults_to_the_embedded_engine() -> None:
    config = resolved_compose()
    emulator = config["services"]["emulator"]
    assert "dynamodb-local" in config["services"]  # defined, but only started with its profile
    assert config["services"]["dynamodb-local"]["profiles"] == ["dynamodb-local"]
    assert emulator["command"] == ["--dynamodb-endpoint", ""]
    assert any(str(p.get("target")) == "20002" for p in emulator["ports"])
    volumes = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in emulator["volumes"]]
    assert any(v.startswith("emulator-data:/data") for v in volumes)
    assert "emulator-data" in config["volumes"]
    assert "profiles" not in emulator


def test_compose_profile_selects_dynamodb_local() -> None:
    config = resolved_compose("--profile", "dynamodb-local", env={"DYNAMODB_ENDPOINT": "http://dynamodb-local:8000"})
    assert config["services"]["emulator"]["command"] == ["--dynamodb-endpoint", "http://dynamodb-local:8000"]
    local = config["services"]["dynamodb-local"]
    assert local["image"].startswith("amazon/dynamodb-local")
    assert any("dynamodb-data" in (v if isinstance(v, str) else v["source"]) for v in local["volumes"])


def test_compose_serves_the_project_dir_given() -> None:
    config = resolved_compose(env={"PROJECT_DIR": "/srv/my-app"})
    volumes = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in config["services"]["emulator"]["volumes"]]
    assert any(v.startswith("/srv/my-app:/work") for v in volumes)


def test_dockerfile_is_slim_non_root_with_volume_health_check_and_public_listen() -> None:
    instructions = dockerfile_instructions()
    by_name: dict[str, list[str]] = {}
    for name, args in instructions:
        by_name.setdefault(name, []).append(args)
    assert by_name["FROM"] == ["python:3.11-slim"]
    assert by_name["USER"] and by_name["USER"][-1] not in ("root", "0")
    assert any("/data" in v for v in by_name["VOLUME"])
    assert by_name["EXPOSE"] == ["20002"]
    assert any("/health" in h for h in by_name["HEALTHCHECK"])
    entrypoint = by_name["ENTRYPOINT"][-1]
    assert '"--host", "0.0.0.0"' in entrypoint and '"--port", "20002"' in entrypoint and "/data" in entrypoint
    for args in by_name["COPY"]:
        sources = shlex.split(args)[:-1]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY source {source} is missing"


def test_dockerignore_keeps_the_build_context_small() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    assert {".git", ".venv", "node_modules", "tests", "artifacts"} <= ignored


def test_the_image_install_ships_the_explorer_assets(tmp_path: Path) -> None:
    """``pip install .`` over the files the Dockerfile copies: every explorer asset is in the package."""
    context = tmp_path / "context"
    context.mkdir()
    for name, args in dockerfile_instructions():
        for source in shlex.split(args)[:-1] if name == "COPY" else []:
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, context / source, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(ROOT / source, context / source)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(context)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    static = ROOT / "emulator" / "static"
    expected = {f"emulator/static/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file()}
    assert expected and expected <= shipped, sorted(expected - shipped)
