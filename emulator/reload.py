"""Hot reload: when the schema or the config changes, serve the new API without a restart.

The new generation (settings, transform, tables, auth gateway, rules, executable schema) is built
completely before anything is swapped, so a broken schema or config leaves the previous API
serving and only prints the error. Tables and indexes the new schema needs are created; existing
data is kept. Requests already running finish on the generation they started with.

The engine itself is not restarted: a changed ``[dynamodb]`` section needs a restart, and says so.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import anyio.to_thread
import watchfiles

from emulator.app import Generation, StartupError, build_generation
from emulator.settings import ConfigError, Settings
from emulator.state import AppState

log = logging.getLogger("appsync_emulator.reload")

SettingsLoader = Callable[[], Settings]


def watched_paths(settings: Settings) -> list[Path]:
    """The schema (file or folder) and the config file, as they exist now."""
    paths = [p for p in (settings.schema, settings.config_file) if p is not None]
    project = settings.extra.get("amplify", {}).get("api_dir") if isinstance(settings.extra.get("amplify"), dict) else None
    if project:
        paths.append(Path(project))
    return [p.resolve() for p in paths if p.exists()]


def _relevant(change: tuple[watchfiles.Change, str]) -> bool:
    name = change[1]
    return name.endswith((".graphql", ".toml", ".json"))


class Reloader:
    """Rebuilds the API when its sources change and swaps it into the app state."""

    def __init__(self, state: AppState, load_settings: SettingsLoader) -> None:
        self.state = state
        self.load_settings = load_settings
        self.generation_count = 0

    def reload_once(self) -> bool:
        """Build a new generation and swap it in; on any mistake keep the old one (blocking)."""
        try:
            settings = self.load_settings()
            generation = build_generation(settings, self.state.engine, runners=self.state.functions)
        except (ConfigError, StartupError) as exc:
            message = f"appsync-emulator: reload failed, still serving the previous API: {exc}"
            print(message, file=sys.stderr, flush=True)
            log.error("%s", message)
            return False
        if settings.dynamodb_endpoint != self.state.settings.dynamodb_endpoint:
            log.warning("the [dynamodb] endpoint changed; restart the emulator to use it")
        self.state.install(generation)
        self.generation_count += 1
        models = ", ".join(sorted(generation.executor.executable.api.models)) or "no models"
        print(f"Reloaded the API ({models})", flush=True)
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Watch until ``stop`` is set; each batch of changes triggers one rebuild."""
        paths = watched_paths(self.state.settings)
        if not paths:
            return
        async for changes in watchfiles.awatch(*paths, stop_event=stop, debounce=300, recursive=True):
            if any(_relevant(change) for change in changes):
                await anyio.to_thread.run_sync(self.reload_once)


__all__ = ["Generation", "Reloader", "watched_paths"]
