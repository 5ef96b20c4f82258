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
from emulator.gen2.merge import gen2_project
from emulator.settings import ConfigError, Settings
from emulator.state import AppState

log = logging.getLogger("appsync_emulator.reload")

SettingsLoader = Callable[[], Settings]


def watched_paths(settings: Settings) -> list[Path]:
    """The schema (file or folder), the config file and the files its custom resolvers name
    (their folders), and the Amplify API folder, as they exist now; for a Gen 2 project its
    ``amplify/`` folder instead of the schema generated from it."""
    gen2 = gen2_project(settings)
    schema = gen2.root / "amplify" if gen2 else settings.schema
    paths = [p for p in (schema, settings.config_file) if p is not None]
    project = settings.extra.get("amplify", {}).get("api_dir") if isinstance(settings.extra.get("amplify"), dict) else None
    if project:
        paths.append(Path(project))
    if settings.custom is not None:
        handlers = [r.handler for r in settings.custom.resolvers.values()] + [
            f.handler for f in settings.custom.functions.values()]
        paths += sorted({f.parent for h in handlers for f in (h.request, h.response, h.code) if f is not None})
    return [p.resolve() for p in paths if p.exists()]


#: files whose change means a new API: the schema, the config, stacks, templates, resolver and
#: Gen 2 project code
_SOURCE_SUFFIXES = (".graphql", ".toml", ".json", ".vtl", ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")


def _relevant(change: tuple[watchfiles.Change, str]) -> bool:
    name = change[1]
    return name.endswith(_SOURCE_SUFFIXES) and "node_modules" not in Path(name).parts


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
            # One line, on stderr whatever the log level (not also as a log record: it would print twice).
            print(f"appsync-emulator: reload failed, still serving the previous API: {exc}", file=sys.stderr, flush=True)
            return False
        if settings.dynamodb_endpoint != self.state.settings.dynamodb_endpoint:
            log.warning("the [dynamodb] endpoint changed; restart the emulator to use it")
        if settings.tls != self.state.settings.tls:
            log.warning("the tls setting changed; restart the emulator to use it")
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
