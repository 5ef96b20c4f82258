"""The Gen 1 fixture project with custom resolvers, copies of it to break, and loading what it
declares the way the emulator does at start (project -> settings -> transform -> declarations)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from emulator.amplify.merge import resolve_project
from emulator.apimodel import ApiModel
from emulator.app import load_api
from emulator.custom_resolvers import load_custom_resolvers
from emulator.resolver_specs import CustomResolvers
from emulator.settings import Settings

PROJECT = Path(__file__).parent / "fixtures" / "amplify-v2-custom-resolvers"
API_DIR = Path("amplify/backend/api/shopapi")
STACK = API_DIR / "stacks" / "CustomResources.json"


def project_settings(project: Path = PROJECT, **changes: Any) -> Settings:
    settings, _ = resolve_project(replace(Settings(), **changes), project, None)
    return settings


def load_project(project: Path = PROJECT, **changes: Any) -> tuple[CustomResolvers, ApiModel, Settings]:
    settings = project_settings(project, **changes)
    api = load_api(settings)
    return load_custom_resolvers(settings, api), api, settings


def copy_project(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(PROJECT, target)
    return target


def edit_stack(project: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """Apply ``change`` to the copy's CustomResources.json; returns the stack's path."""
    path = project / STACK
    template = json.loads(path.read_text())
    change(template)
    path.write_text(json.dumps(template, indent=2))
    return path
