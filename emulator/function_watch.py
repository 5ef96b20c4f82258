"""Hot reload of functions: a change to a function's code restarts it; a change to its definition
reloads the API.

Watched (with ``watchfiles``, as the schema is): every function's code folder (its task root),
and a Gen 1 project's ``amplify/backend/function/``. A change under a function's code folder
retires its instances, so the next call runs the new code in a fresh process (no API rebuild);
a change to a Gen 1 function's template, ``parameters.json`` or ``.env`` rebuilds the API
(``Reloader.reload_once``), which picks up the new handler, timeout, environment or trigger.
Dependency and cache folders (``node_modules``, ``__pycache__``, ``.venv`` …) and the data dir are
not looked at. The set of watched folders follows the functions of the current API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import anyio.to_thread
import watchfiles

from emulator.amplify.functions import FUNCTION_DIR
from emulator.state import AppState

log = logging.getLogger("appsync_emulator.functions")

GENERATION_CHECK_SECONDS = 1.0


class _Filter(watchfiles.DefaultFilter):
    def __init__(self, ignored: Path) -> None:
        super().__init__()
        self._ignored = str(ignored)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return not path.startswith(self._ignored) and super().__call__(change, path)


class FunctionWatcher:
    """Restarts functions whose code changed; reloads the API when a definition changed."""

    def __init__(self, state: AppState, reload: Callable[[], bool] | None = None) -> None:
        self.state = state
        self.reload = reload

    def code_roots(self) -> list[Path]:
        return sorted({spec.task_root for spec in self.state.generation.functions if spec.task_root.is_dir()})

    def definition_root(self) -> Path | None:
        project = self.state.settings.extra.get("amplify")
        root = project.get("project_root") if isinstance(project, dict) else None
        folder = Path(root) / FUNCTION_DIR if root else None
        return folder if folder is not None and folder.is_dir() else None

    def roots(self) -> list[Path]:
        """The folders to watch, none inside another."""
        candidates = sorted({*self.code_roots(), *filter(None, [self.definition_root()])}, key=lambda p: len(p.parts))
        kept: list[Path] = []
        for path in candidates:
            if not any(path.is_relative_to(parent) for parent in kept):
                kept.append(path)
        return kept

    def handle(self, changed: list[Path]) -> bool:
        """Restart the functions whose code changed; True when a definition changed (reload needed)."""
        self.state.functions.restart_changed(changed)
        definitions = self.definition_root()
        code = self.code_roots()
        return definitions is not None and any(
            path.is_relative_to(definitions) and not any(path.is_relative_to(root) for root in code)
            for path in changed
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Watch until ``stop`` is set, following the functions of the current API."""
        while not stop.is_set():
            roots = self.roots()
            generation = self.state.generation
            moved = asyncio.Event()
            follower = asyncio.create_task(self._until_changed(generation, stop, moved))
            try:
                if not roots:
                    await moved.wait()
                    continue
                watch_filter = _Filter(self.state.settings.data_dir.resolve())
                try:
                    async for changes in watchfiles.awatch(*roots, stop_event=moved, debounce=200, recursive=True,
                                                           watch_filter=watch_filter):
                        if self.handle([Path(path) for _, path in changes]) and self.reload is not None:
                            await anyio.to_thread.run_sync(self.reload)
                except OSError as exc:  # a watched folder went away: watch again what is there now
                    log.warning("watching the functions' folders: %s; watching again", exc)
                    await asyncio.sleep(GENERATION_CHECK_SECONDS)
            finally:
                follower.cancel()

    async def _until_changed(self, generation: object, stop: asyncio.Event, moved: asyncio.Event) -> None:
        """Set ``moved`` when the app stops or installs another generation (its functions may differ)."""
        while not stop.is_set() and self.state.generation is generation:
            try:
                await asyncio.wait_for(stop.wait(), GENERATION_CHECK_SECONDS)
            except TimeoutError:
                pass
        moved.set()
