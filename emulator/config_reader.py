"""Reading one table of the TOML config: keys and types checked, the file and key named on error.

``TableReader`` is what every part of the config is read with (``emulator.settings`` and the
readers of ``[functions]``, ``[data_sources]``, ``[resolvers]``...): a wrong key, type or path fails
at start with the file, the key and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A config mistake, worded for the user: where it is and what was expected."""



class TableReader:
    """Reads one TOML table, checking keys and types, naming the file and key on error."""

    def __init__(self, path: Path, prefix: str, table: dict[str, Any], allowed: set[str]) -> None:
        self.file = path
        self.prefix = prefix
        self.table = table
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ConfigError(
                f"{path}: unknown key {self._name(unknown[0])!r}; expected one of: {', '.join(sorted(allowed))}"
            )

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, expected: str) -> ConfigError:
        value = self.table[key]
        return ConfigError(f"{self.file}: key {self._name(key)!r} must be {expected}, got {value!r}")

    def text(self, key: str, default: str | None) -> str | None:
        if key not in self.table:
            return default
        if not isinstance(self.table[key], str):
            raise self.fail(key, "a string")
        return self.table[key]

    def choice(self, key: str, default: str | None, choices: tuple[str, ...]) -> str | None:
        value = self.text(key, default)
        if key in self.table and value not in choices:
            raise self.fail(key, "one of " + ", ".join(choices))
        return value

    def integer(self, key: str, default: int) -> int:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, "an integer")
        return value

    def number(self, key: str, default: float) -> float:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.fail(key, "a number")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self.table:
            return default
        if not isinstance(self.table[key], bool):
            raise self.fail(key, "true or false")
        return self.table[key]

    def text_list(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a list of strings")
        return tuple(value)

    def file_path(self, key: str, must_exist: bool = True) -> Path | None:
        value = self.text(key, None)
        if value is None or value == "":
            return None
        resolved = (self.file.parent / value).resolve()
        if must_exist and not resolved.exists():
            raise ConfigError(f"{self.file}: key {self._name(key)!r} names {value!r}, but {resolved} does not exist")
        return resolved

    def sub(self, key: str, allowed: set[str]) -> TableReader:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "a table")
        return TableReader(self.file, f"{self._name(key)}.", value, allowed)
