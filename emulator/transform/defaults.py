"""v2 ``@default(value:)``: validated and converted to the value a create stores.

Int, Float, Boolean, AWSTimestamp and AWSJSON defaults are stored as numbers, booleans or JSON;
everything else (strings, enums, AWS string scalars) as the string itself.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from datetime import datetime

from emulator.transform.errors import schema_error
from emulator.transform.parse import ObjectDef, SourceSchema

_DATE = re.compile(r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.\d+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$")
_EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
_INT = re.compile(r"^\s*[+-]?\d")
_FLOAT = re.compile(r"^\s*[+-]?(\d|\.\d)")


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _valid_date_time(text: str) -> bool:
    date, separator, time = text.partition("T")
    return bool(separator) and _valid_date(date) and bool(_TIME.match(time))


def _valid_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "ID": lambda v: True, "String": lambda v: True,
    "Int": lambda v: bool(_INT.match(v)), "BigInt": lambda v: bool(_INT.match(v)),
    "AWSTimestamp": lambda v: bool(_INT.match(v)),
    "Float": lambda v: bool(_FLOAT.match(v)), "Double": lambda v: bool(_FLOAT.match(v)),
    "Boolean": lambda v: v.lower() in ("true", "false"),
    "AWSJSON": _valid_json, "AWSDate": _valid_date, "AWSTime": lambda v: bool(_TIME.match(v)),
    "AWSDateTime": _valid_date_time, "AWSEmail": lambda v: bool(_EMAIL.match(v)),
    "AWSURL": lambda v: "://" in v, "AWSPhone": lambda v: bool(re.match(r"^\+?[\d\s().-]{5,}$", v)),
    "AWSIPAddress": _valid_ip,
}


def _stored_value(type_name: str, text: str) -> object:
    if type_name in ("Int", "BigInt", "AWSTimestamp"):
        return int(float(re.match(r"^\s*[+-]?[\d.]+", text).group(0)))  # type: ignore[union-attr]
    if type_name in ("Float", "Double"):
        return float(re.match(r"^\s*[+-]?(\d+\.?\d*|\.\d+)", text).group(0))  # type: ignore[union-attr]
    if type_name == "Boolean":
        return text.lower() == "true"
    if type_name == "AWSJSON":
        return json.loads(text)
    return text


def read_defaults(obj: ObjectDef, schema: SourceSchema) -> dict[str, object]:
    """``{field: value}`` for every ``@default`` on the model's fields."""
    defaults: dict[str, object] = {}
    enum_values = schema.enum_values
    for source_field in obj.fields:
        directive = source_field.directive("default")
        if directive is None:
            continue
        type_name = source_field.type.name
        if source_field.type.is_list or not schema.is_scalar_or_enum(type_name):
            raise schema_error("The @default directive may only be added to scalar or enum field types.",
                               directive.node)
        if "value" not in directive.given:
            raise schema_error("The @default directive requires a value property on non-Postgres datasources.",
                               directive.node)
        value = directive.args.get("value")
        if value is None:
            raise schema_error("The @default directive does not support null values.", directive.node)
        if type_name in enum_values:
            if value not in enum_values[type_name]:
                raise schema_error(f'Default value "{value}" is not a member of {type_name} enum.', directive.node)
            defaults[source_field.name] = value
            continue
        if not _VALIDATORS.get(type_name, lambda v: True)(value):
            raise schema_error(f'Default value "{value}" is not a valid {type_name}.', directive.node)
        defaults[source_field.name] = _stored_value(type_name, value)
    return defaults
