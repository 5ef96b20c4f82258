"""Typed attribute values and expression placeholders for the ``@aws-appsync/utils/dynamodb``
builders.

Values take AppSync's request-document form (``util.dynamodb.toDynamoDB``: numbers stay JSON
numbers); a value that already is a typed set (``{"SS": [...]}`` from ``toStringSet``) is kept as
it is, so sets survive being nested in an item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from emulator.resolvers.appsync_util import HelperFailure
from emulator.resolvers.appsync_util.dynamodb_helpers import to_dynamodb
from emulator.resolvers.appsync_util.values import is_list, is_map, java_string

SET_TYPES = frozenset({"SS", "NS", "BS"})
PATH_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def is_typed_set(value: Any) -> bool:
    return is_map(value) and len(value) == 1 and next(iter(value)) in SET_TYPES and is_list(next(iter(value.values())))


def attribute(value: Any) -> dict[str, Any]:
    """A value as a typed attribute value."""
    if is_typed_set(value):
        return dict(value)
    if is_map(value):
        return {"M": attributes(value)}
    if is_list(value):
        return {"L": [attribute(item) for item in value]}
    return to_dynamodb(value)


def attributes(values: Any, what: str = "item") -> dict[str, Any]:
    """A map of typed attribute values (a key, an item)."""
    if not isinstance(values, Mapping):
        raise HelperFailure(f"Expected an object for the {what}, got {java_string(values)}")
    return {java_string(name): attribute(value) for name, value in values.items()}


def required(payload: Any, field: str, builder: str) -> Any:
    if not is_map(payload):
        raise HelperFailure(f"{builder} expects an object, got {java_string(payload)}")
    if payload.get(field) is None:
        raise HelperFailure(f"{builder} needs '{field}'")
    return payload[field]


def copy_fields(target: dict[str, Any], payload: Mapping[str, Any], *fields: str) -> dict[str, Any]:
    """``target`` with each of ``fields`` that the payload sets (not null)."""
    for name in fields:
        if payload.get(name) is not None:
            target[name] = payload[name]
    return target


def number_text(value: Any) -> str:
    """How JavaScript prints a number (``1``, ``1.5``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return java_string(value) if not isinstance(value, float) else repr(value)


class Placeholders:
    """``#name`` and ``:value`` placeholders of one expression, unique against ``taken`` values
    (a query's filter and key condition share one value table in DynamoDB)."""

    def __init__(self, taken: Mapping[str, Any] | None = None) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._taken = dict(taken or {})

    def name(self, attribute_name: str) -> str:
        base = "#" + re.sub(r"\W", "_", attribute_name)
        placeholder = base
        count = 0
        while self.names.get(placeholder, attribute_name) != attribute_name:
            count += 1
            placeholder = f"{base}_{count}"
        self.names[placeholder] = attribute_name
        return placeholder

    def path(self, path: str | list[str]) -> str:
        """``a.b[1]`` (or its parts) as ``#a.#b[1]``."""
        parts = path if isinstance(path, list) else [match.group(0) for match in PATH_PART.finditer(path)]
        rendered = []
        for part in parts:
            match = PATH_PART.fullmatch(part)
            if match is None:
                rendered.append(self.name(part))
            else:
                rendered.append(self.name(match.group(1)) + match.group(2))
        return ".".join(rendered)

    def value(self, hint: str, value: Any, *, typed: bool = True) -> str:
        base = ":" + re.sub(r"\W", "_", hint)
        placeholder = base
        count = 0
        while placeholder in self.values or placeholder in self._taken:
            count += 1
            placeholder = f"{base}_{count}"
        self.values[placeholder] = attribute(value) if typed else value
        return placeholder

    def expression(self, text: str) -> dict[str, Any]:
        result: dict[str, Any] = {"expression": text}
        if self.names:
            result["expressionNames"] = self.names
        if self.values:
            result["expressionValues"] = self.values
        return result


def projection(fields: Any) -> dict[str, Any] | None:
    """``["id", "a.b[1]"]`` as a projection expression, or None when not given."""
    if fields is None:
        return None
    if not is_list(fields) or not all(isinstance(item, str) for item in fields):
        raise HelperFailure(f"projection expects a list of attribute names, got {java_string(fields)}")
    placeholders = Placeholders()
    return placeholders.expression(", ".join(placeholders.path(item) for item in fields))
