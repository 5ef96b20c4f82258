"""Reading AppSync request documents: the JSON a VTL request template or an APPSYNC_JS ``request()``
produces (both produce the same document).

AppSync checks a request document before it calls the data source and names the field at fault
the way its JSON reader does, ``$[key][id]``: ``Value for field '$[operation]' not found.``,
``Unsupported element '$[filters]'.``, ``Expected JSON object for attribute value '$[key][id]' but
got 'STRING' instead.``. Such a mistake is a ``MappingTemplate`` error that fails the field before
the data source is called (it never reaches a response template as ``$ctx.error``), so it is
raised here rather than returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from emulator.errors import AppSyncError

MAPPING_TEMPLATE = "MappingTemplate"
TEMPLATE_VERSIONS = ("2017-02-28", "2018-05-29")


def mapping_error(message: str) -> AppSyncError:
    """An invalid request document, as AppSync reports it."""
    return AppSyncError(message, MAPPING_TEMPLATE)


def json_type(value: Any) -> str:
    """The JSON node type AppSync names in its errors (Jackson's names)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int | float):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, Mapping):
        return "OBJECT"
    if isinstance(value, list | tuple):
        return "ARRAY"
    return type(value).__name__.upper()


class Document:
    """One JSON object of a request document and its path (``$``, ``$[condition]``…)."""

    def __init__(self, value: Any, path: str = "$") -> None:
        if not isinstance(value, Mapping):
            raise mapping_error(f"Expected JSON object for '{path}' but got '{json_type(value)}' instead.")
        self.value: Mapping[str, Any] = value
        self.path = path

    def at(self, name: str) -> str:
        return f"{self.path}[{name}]"

    def has(self, name: str) -> bool:
        return self.value.get(name) is not None

    def only(self, allowed: Iterable[str]) -> Document:
        """Refuse elements the document kind does not have (a typo would otherwise be ignored)."""
        known = set(allowed)
        for name in self.value:
            if name not in known:
                raise mapping_error(f"Unsupported element '{self.at(name)}'.")
        return self

    def require(self, name: str) -> Any:
        value = self.value.get(name)
        if value is None:
            raise mapping_error(f"Value for field '{self.at(name)}' not found.")
        return value

    def get(self, name: str, default: Any = None) -> Any:
        value = self.value.get(name)
        return default if value is None else value

    def _typed(self, name: str, value: Any, kinds: type | tuple[type, ...], expected: str) -> Any:
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
            raise mapping_error(f"Expected JSON {expected} for '{self.at(name)}' but got '{json_type(value)}' instead.")
        return value

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.require(name) if required else self.value.get(name)
        return None if value is None else self._typed(name, value, str, "string")

    def boolean(self, name: str, default: bool) -> bool:
        value = self.value.get(name)
        return default if value is None else self._typed(name, value, bool, "boolean")

    def integer(self, name: str) -> int | None:
        value = self.value.get(name)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self._typed(name, value, int, "integer")

    def mapping(self, name: str, *, required: bool = False) -> Document | None:
        value = self.require(name) if required else self.value.get(name)
        return None if value is None else Document(value, self.at(name))

    def array(self, name: str, *, required: bool = False) -> list[Any]:
        value = self.require(name) if required else self.value.get(name)
        if value is None:
            return []
        return list(self._typed(name, value, (list, tuple), "array"))

    def raw_mapping(self, name: str) -> Mapping[str, Any] | None:
        value = self.value.get(name)
        return None if value is None else self._typed(name, value, Mapping, "object")


def _as_tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def read_document(document: Any) -> Document:
    """The top-level document, with its ``version`` checked when it names one."""
    top = Document(document)
    version = top.text("version")
    if version is not None and version not in TEMPLATE_VERSIONS:
        raise mapping_error(
            f"Unsupported version '{version}' for '$[version]'; expected one of: {', '.join(TEMPLATE_VERSIONS)}."
        )
    return top


def operation_of(document: Document, supported: Iterable[str], data_source: str) -> str:
    """``$[operation]``, one the data source kind supports."""
    operation = document.text("operation", required=True) or ""
    names = tuple(supported)
    if operation not in names:
        raise mapping_error(
            f"Unsupported operation '{operation}' for data source '{data_source}'. "
            f"Supported operations: {', '.join(names)}."
        )
    return operation
