"""``util.dynamodb``: values as the typed attribute values of AppSync's DynamoDB request documents.

AppSync's own shape, which differs from the DynamoDB wire format in two places: numbers stay JSON
numbers (``{"N": 12345}``, the data source converts them) and null is ``{"NULL": null}``. Each
``toX`` has a ``toXJson`` twin returning the same value as JSON text.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.values import (
    JavaObject,
    is_list,
    is_map,
    is_number,
    java_string,
    to_json,
)


def to_dynamodb(value: Any) -> dict[str, Any]:
    """Any value: strings ``S``, numbers ``N``, booleans ``BOOL``, lists ``L`` (never sets),
    maps ``M``, null ``NULL``."""
    if value is None:
        return {"NULL": None}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if is_number(value):
        return {"N": value}
    if is_map(value):
        return {"M": to_map_values(value)}
    if is_list(value):
        return {"L": [to_dynamodb(item) for item in value]}
    if isinstance(value, JavaObject):
        return to_dynamodb(value.json_value())
    return {"S": java_string(value)}


def to_map_values(values: Any) -> dict[str, Any]:
    """A copy of the map with each value converted (``toMap(x).get("M")``)."""
    if not isinstance(values, Mapping):
        raise HelperFailure(f"util.dynamodb.toMapValues expects a map, got {java_string(values)}")
    return {java_string(key): to_dynamodb(item) for key, item in values.items()}


def to_string(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"S": java_string(value)}


def to_number(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"N": value}


def to_binary(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"B": value}


def to_boolean(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"BOOL": value}


def to_null() -> dict[str, Any]:
    return {"NULL": None}


def _set(kind: str) -> Callable[[Any], dict[str, Any] | None]:
    def to_set(values: Any) -> dict[str, Any] | None:
        if values is None:
            return None
        if not is_list(values):
            raise HelperFailure(f"util.dynamodb.to{kind} expects a list, got {java_string(values)}")
        return {kind: list(values)}

    return to_set


def to_list(values: Any) -> dict[str, Any] | None:
    if values is None:
        return None
    if not is_list(values):
        raise HelperFailure(f"util.dynamodb.toList expects a list, got {java_string(values)}")
    return to_dynamodb(list(values))


def to_map(values: Any) -> dict[str, Any] | None:
    return None if values is None else {"M": to_map_values(values)}


def to_s3_object(key: Any, bucket: Any, region: Any, version: Any = None) -> dict[str, Any]:
    """An S3 link, stored as a string attribute holding ``{"s3": {key, bucket, region[, version]}}``."""
    link = {"key": key, "bucket": bucket, "region": region}
    if version is not None:
        link["version"] = version
    return {"S": to_json({"s3": link})}


def from_s3_object_json(text: Any) -> dict[str, Any] | None:
    """The ``{key, bucket, region[, version]}`` of a stored S3 link (the string, or ``{"S": …}``)."""
    if isinstance(text, Mapping) and "S" in text:
        text = text["S"]
    try:
        link = json.loads(java_string(text)).get("s3")
    except (ValueError, AttributeError) as exc:
        raise HelperFailure(f"Not an S3 object: {java_string(text)}") from exc
    if not isinstance(link, dict):
        raise HelperFailure(f"Not an S3 object: {java_string(text)}")
    return {name: link[name] for name in ("key", "bucket", "region", "version") if name in link}


def _json(function: Callable[..., Any]) -> Callable[..., str]:
    def as_json(*args: Any) -> str:
        return to_json(function(*args))

    as_json.__name__ = f"{function.__name__}_json"
    as_json.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    return as_json


CONVERTERS: dict[str, Callable[..., Any]] = {
    "toDynamoDB": to_dynamodb,
    "toString": to_string,
    "toStringSet": _set("SS"),
    "toNumber": to_number,
    "toNumberSet": _set("NS"),
    "toBinary": to_binary,
    "toBinarySet": _set("BS"),
    "toBoolean": to_boolean,
    "toNull": to_null,
    "toList": to_list,
    "toMap": to_map,
    "toMapValues": to_map_values,
    "toS3Object": to_s3_object,
}

DYNAMODB = Namespace(
    "dynamodb",
    {
        **{name: Helper(function) for name, function in CONVERTERS.items()},
        **{f"{name}Json": Helper(_json(function)) for name, function in CONVERTERS.items()},
        "fromS3ObjectJson": Helper(from_s3_object_json),
    },
)
