"""Where a Gen1 project keeps its files, reading them, and the error that names the one at fault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.json_files import read_json_object
from emulator.settings import ConfigError

BACKEND_DIR = Path("amplify") / "backend"
API_DIR = BACKEND_DIR / "api"
BACKEND_CONFIG = BACKEND_DIR / "backend-config.json"
CLI_INPUTS = "cli-inputs.json"  # in an API folder (CLI v7 and later)


class AmplifyProjectError(ConfigError):
    """The Amplify project cannot be served as it is; the message says which file and what to do."""


def read_json(path: Path) -> dict[str, Any] | None:
    """The object in a project file; None when the project has no such file."""
    if not path.is_file():
        return None
    return read_json_object(path, AmplifyProjectError)


def service_configuration(api_dir: Path) -> dict[str, Any] | None:
    """``serviceConfiguration`` of the API's ``cli-inputs.json``; None for projects without the file."""
    path = api_dir / CLI_INPUTS
    document = read_json(path)
    if document is None:
        return None
    config = document.get("serviceConfiguration")
    if not isinstance(config, dict):
        raise AmplifyProjectError(f"{path}: missing the serviceConfiguration object")
    return config
