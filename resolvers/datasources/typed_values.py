"""AppSync's typed values (DynamoDB JSON in a request document) -> boto3 attribute values.

A request document spells attribute values as DynamoDB JSON, ``{"S": "a"}``, ``{"N": 1}``, but more
leniently than DynamoDB's wire format: ``$util.dynamodb.toDynamoDB(12)`` writes the number of an
``N`` unquoted, and ``B``/``BS`` hold base64 text. Numbers are canonicalised as the rest of the
emulator writes them (``resolvers.values``), so items written here read back like items written by
the model resolvers.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from emulator.resolvers.datasources.documents import json_type, mapping_error
from emulator.resolvers.values import AttributeValue, UnsupportedValue, canonical_number

TYPE_NAMES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")
MAX_DEPTH = 32  # DynamoDB's limit on nested maps and lists


def attribute_value(value: Any, path: str, depth: int = 0) -> AttributeValue:
    """One typed value; ``path`` names it in errors (``$[key][id]``)."""
    if depth > MAX_DEPTH:
        raise mapping_error(f"'{path}' is nested more than {MAX_DEPTH} levels deep, which DynamoDB does not store.")
    if not isinstance(value, Mapping):
        raise mapping_error(f"Expected JSON object for attribute value '{path}' but got '{json_type(value)}' instead.")
    if len(value) != 1 or next(iter(value)) not in TYPE_NAMES:
        found = ", ".join(str(name) for name in value) or "nothing"
        raise mapping_error(
            f"Expected exactly one DynamoDB type ({', '.join(TYPE_NAMES)}) for attribute value '{path}' "
            f"but got {found}."
        )
    ((kind, raw),) = value.items()
    where = f"{path}[{kind}]"
    if kind == "S":
        return {"S": _expect(raw, str, "string", where)}
    if kind == "N":
        return {"N": _number(raw, where)}
    if kind == "B":
        return {"B": _binary(raw, where)}
    if kind == "BOOL":
        return {"BOOL": _expect(raw, bool, "boolean", where)}
    if kind == "NULL":
        if raw is not True:
            raise mapping_error(f"Expected true for '{where}' but got '{json_type(raw)}' instead.")
        return {"NULL": True}
    if kind == "M":
        return {"M": attribute_map(raw, where, depth + 1)}
    members = _expect(raw, (list, tuple), "array", where)
    if kind == "L":
        return {"L": [attribute_value(member, f"{where}[{n}]", depth + 1) for n, member in enumerate(members)]}
    if not members:
        raise mapping_error(f"An empty set is not allowed for '{where}' (DynamoDB has no empty sets).")
    if kind == "SS":
        return {"SS": [_expect(member, str, "string", f"{where}[{n}]") for n, member in enumerate(members)]}
    if kind == "NS":
        return {"NS": [_number(member, f"{where}[{n}]") for n, member in enumerate(members)]}
    return {"BS": [_binary(member, f"{where}[{n}]") for n, member in enumerate(members)]}


def attribute_map(value: Any, path: str, depth: int = 0) -> dict[str, AttributeValue]:
    """A map of typed values: ``key``, ``attributeValues``, ``expressionValues``, an ``M``."""
    if not isinstance(value, Mapping):
        raise mapping_error(f"Expected JSON object for '{path}' but got '{json_type(value)}' instead.")
    return {str(name): attribute_value(member, f"{path}[{name}]", depth) for name, member in value.items()}


def _expect(value: Any, kinds: type | tuple[type, ...], expected: str, path: str) -> Any:
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise mapping_error(f"Expected JSON {expected} for '{path}' but got '{json_type(value)}' instead.")
    return value


def _number(raw: Any, path: str) -> str:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise mapping_error(f"Expected a number for '{path}' but got '{json_type(raw)}' instead.")
    try:
        return canonical_number(Decimal(raw) if isinstance(raw, str) else raw)
    except (UnsupportedValue, ArithmeticError, ValueError) as exc:
        raise mapping_error(f"Expected a number for '{path}' but got {raw!r}.") from exc


def _binary(raw: Any, path: str) -> bytes:
    text = _expect(raw, str, "string", path)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeError) as exc:
        raise mapping_error(f"Expected base64 text for binary attribute value '{path}'.") from exc
