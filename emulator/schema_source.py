"""Finding and reading the Amplify schema a user points us at.

``PATH`` may be a ``.graphql`` file or a folder of them (concatenated in name order, as Amplify
does with its ``schema/`` folder). Amplify project roots are resolved by ``emulator.amplify``.
"""

from __future__ import annotations

from pathlib import Path


class SchemaSourceError(Exception):
    """The schema could not be found or read; worded for the user."""


def schema_files(path: Path) -> list[Path]:
    """The schema files behind a path (a file, or the ``.graphql`` files of a folder)."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.graphql") if p.is_file())
        if not files:
            raise SchemaSourceError(f"{path}: folder has no .graphql files")
        return files
    raise SchemaSourceError(f"{path}: no such schema file or folder")


def read_schema(path: Path) -> str:
    """The schema text, folders concatenated in a stable order."""
    parts = []
    for file in schema_files(path):
        try:
            parts.append(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise SchemaSourceError(f"{file}: cannot read schema: {exc}") from exc
    return "\n\n".join(parts)
