"""Finding a Gen 2 project: the folder holding ``amplify/data/resource.ts`` (or a folder inside it)."""

from __future__ import annotations

from pathlib import Path

from emulator.settings import ConfigError

DATA_RESOURCE_NAMES = ("resource.ts", "resource.mts", "resource.js", "resource.mjs")
DATA_DIR = Path("amplify") / "data"
AUTH_DIR = Path("amplify") / "auth"


class Gen2ProjectError(ConfigError):
    """The Gen 2 project cannot be read; the message says which file or tool and what to do."""


def _resource_in(folder: Path) -> Path | None:
    for name in DATA_RESOURCE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def data_resource(root: Path) -> Path | None:
    """``amplify/data/resource.ts`` (or its .mts/.js variant) of a project root, when present."""
    return _resource_in(root / DATA_DIR)


def auth_resource(root: Path) -> Path | None:
    """``amplify/auth/resource.ts`` of a project root, when present."""
    return _resource_in(root / AUTH_DIR)


def find_gen2_root(path: Path) -> Path | None:
    """The project root at or above ``path``: the first folder with ``amplify/data/resource.ts``.

    ``path`` may be the root, a folder inside the project (``amplify/``, ``amplify/data/``,
    ``src/``), or the data resource file itself.
    """
    start = path.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if data_resource(folder) is not None:
            return folder
    return None
