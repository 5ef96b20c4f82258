"""Plain values as AppSync's Java runtime sees them: JSON text as Jackson writes it, type names.

Values are Python's JSON shapes: ``dict`` (a Map, insertion-ordered like AppSync's
LinkedHashMap), ``list``, ``str``, ``int`` (Integer/Long), ``float`` (Double), ``bool``, ``None``.
A runtime may add its own objects (VTL's map entries) by giving them ``json_value()`` and
``java_string()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from emulator.java_text import java_double, java_value

encode_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


@runtime_checkable
class JavaObject(Protocol):
    """A runtime value that is not plain JSON but knows its JSON and ``toString`` forms."""

    def json_value(self) -> Any: ...

    def java_string(self) -> str: ...


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_map(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def java_string(value: Any) -> str:
    """``String.valueOf(value)``: how Java prints a value (``{a=1}``, ``[x, y]``, ``true``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{java_string(key)}={java_string(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(java_string(item) for item in value) + "]"
    if isinstance(value, JavaObject):
        return value.java_string()
    return java_value(value)


def to_json(value: Any) -> str:
    """Compact JSON as Jackson writes it: insertion order, doubles as ``Double.toString``
    (``1.0``, ``1.0E10``), non-ASCII characters unescaped."""
    parts: list[str] = []
    _write(value, parts.append)
    return "".join(parts)


def _write(value: Any, emit: Callable[[str], Any]) -> None:
    if value is None:
        emit("null")
    elif value is True:
        emit("true")
    elif value is False:
        emit("false")
    elif isinstance(value, str):
        emit(encode_string(value))
    elif isinstance(value, int):
        emit(str(value))
    elif isinstance(value, float):
        text = java_double(value)
        emit(encode_string(text) if text in ("NaN", "Infinity", "-Infinity") else text)
    elif isinstance(value, Mapping):
        emit("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                emit(",")
            emit(encode_string(java_string(key)))
            emit(":")
            _write(item, emit)
        emit("}")
    elif isinstance(value, list | tuple):
        emit("[")
        for index, item in enumerate(value):
            if index:
                emit(",")
            _write(item, emit)
        emit("]")
    elif isinstance(value, JavaObject):
        _write(value.json_value(), emit)
    else:
        emit(encode_string(str(value)))


def plain(value: Any) -> Any:
    """``value`` with runtime objects replaced by their JSON values (for results handed on)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, JavaObject):
        return plain(value.json_value())
    return value


def java_equals(left: Any, right: Any) -> bool:
    """``left.equals(right)``: no cross-type equality (``1`` is not ``1.0``, ``true`` is not
    ``1``), maps and lists compared member by member."""
    if left is None or right is None:
        return left is right
    if type(left) is not type(right):
        if isinstance(left, Mapping) and isinstance(right, Mapping):
            pass
        elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
            pass
        else:
            return False
    if isinstance(left, Mapping):
        return left.keys() == right.keys() and all(java_equals(item, right[key]) for key, item in left.items())
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(java_equals(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def java_contains(values: Any, wanted: Any) -> bool:
    return any(java_equals(value, wanted) for value in values)
