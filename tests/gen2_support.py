"""Gen 2 projects built in a test's folder, for the unit tests of emulator.gen2 (no Node needed)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from emulator.gen2.model import Gen2Project

SDL = "type Todo @model @auth(rules: [{allow: public, provider: apiKey}]) { content: String }"


def make_project(root: Path, **changes: Any) -> Gen2Project:
    (root / "amplify/data").mkdir(parents=True, exist_ok=True)
    (root / "amplify/data/resource.ts").write_text("// a.schema(...)\n")
    project = Gen2Project(
        root=root, data_resource=root / "amplify/data/resource.ts", auth_resource=None, api_name="amplifyData",
        sdl=SDL, authorization_modes={"defaultAuthorizationMode": "apiKey"}, has_auth=True, groups=("Admin",),
        functions={}, lambda_functions={}, custom_handlers=(), function_access=(), database_engines=("dynamodb",),
        model_introspection={"version": 1, "models": {"Todo": {"name": "Todo"}}}, model_introspection_error=None,
        loader="fast", timings_ms={},
    )
    return replace(project, **changes)
