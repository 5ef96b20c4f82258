"""Python values in GraphQL form <-> DynamoDB attribute values, at the boto3 edge only.

Resolvers work on plain dicts (numbers as ``int``/``float``). The low-level boto3 client speaks
DynamoDB JSON (``{"S": ...}``, ``{"N": "1.5"}``). Numbers are written in DynamoDB's canonical form
(``1.50`` -> ``1.5``, ``1E+2`` -> ``100``) because the embedded engine (moto) stores number
strings as sent, so un-normalised numbers would not round-trip the way DynamoDB's do.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

AttributeValue = dict[str, Any]
Item = dict[str, Any]


class UnsupportedValue(ValueError):
    """A value with no DynamoDB representation (NaN, infinity, an unknown type)."""


def canonical_number(value: int | float | Decimal) -> str:
    """The number as DynamoDB stores it: no exponent, no trailing zeros, no ``-0``."""
    if isinstance(value, bool):
        raise UnsupportedValue("a boolean is not a number")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise UnsupportedValue(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise UnsupportedValue(f"DynamoDB cannot store {value!r}")
    if number.is_zero():
        return "0"
    return format(number.normalize(), "f")


def to_attribute(value: Any) -> AttributeValue:
    """One Python value as a DynamoDB attribute value."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        return {"N": canonical_number(value)}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(key): to_attribute(item) for key, item in value.items()}}
    if isinstance(value, set | frozenset):
        return _set_attribute(value)
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(item) for item in value]}
    raise UnsupportedValue(f"cannot store a {type(value).__name__} in DynamoDB")


def _set_attribute(values: set[Any] | frozenset[Any]) -> AttributeValue:
    if values and all(isinstance(v, str) for v in values):
        return {"SS": sorted(values)}
    if values and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
        return {"NS": [canonical_number(v) for v in values]}
    raise UnsupportedValue("a set must be non-empty and all strings or all numbers")


def to_item(values: Mapping[str, Any]) -> dict[str, AttributeValue]:
    """A whole item (or key) as DynamoDB JSON."""
    return {name: to_attribute(value) for name, value in values.items()}


def from_attribute(attribute: Mapping[str, Any]) -> Any:
    """One DynamoDB attribute value as a plain Python value in GraphQL form."""
    (kind, raw), = attribute.items()
    if kind == "S":
        return raw
    if kind == "N":
        return _number(raw)
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "M":
        return {key: from_attribute(item) for key, item in raw.items()}
    if kind == "L":
        return [from_attribute(item) for item in raw]
    if kind == "SS":
        return sorted(raw)
    if kind == "NS":
        return sorted(_number(item) for item in raw)
    if kind == "B":
        return _binary(raw)
    if kind == "BS":
        return sorted(_binary(item) for item in raw)
    raise UnsupportedValue(f"unknown DynamoDB attribute type {kind!r}")


def from_item(item: Mapping[str, Mapping[str, Any]] | None) -> Item | None:
    """A DynamoDB item as a plain dict (``None`` stays ``None``)."""
    if item is None:
        return None
    return {name: from_attribute(attribute) for name, attribute in item.items()}


def _number(text: str) -> int | float:
    """Integral numbers read back as ``int`` (DynamoDB keeps no ``.0``), others as ``float``."""
    number = Decimal(text)
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _binary(raw: bytes | str) -> str:
    """Binary values reach GraphQL as base64 text, as AppSync renders them."""
    data = raw if isinstance(raw, bytes) else raw.encode()
    return base64.b64encode(data).decode("ascii")


def normalize(values: Mapping[str, Any]) -> Item:
    """``values`` as they would read back from DynamoDB (numbers canonical, sets as lists)."""
    return {name: from_attribute(to_attribute(value)) for name, value in values.items()}
