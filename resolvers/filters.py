"""``Model…FilterInput`` / ``Model…ConditionInput`` -> DynamoDB filter or condition expressions.

This is AppSync's ``$util.transform.toDynamoDBFilterExpression`` (and ``…ConditionExpression``):
fields and operators at one level are ANDed, ``and``/``or`` take lists, ``not`` one input.
Names and values always go through placeholders. An input that cannot be expressed raises the
error Amplify's templates raise: ``Unable to process the filter expression`` (``Unrecognized
Filter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.values import UnsupportedValue

COMPARISONS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
FUNCTIONS = {"beginsWith": "begins_with", "contains": "contains"}
# ModelAttributeTypes -> DynamoDB type descriptors for attribute_type().
ATTRIBUTE_TYPES = {
    "binary": "B",
    "binarySet": "BS",
    "bool": "BOOL",
    "list": "L",
    "map": "M",
    "number": "N",
    "numberSet": "NS",
    "string": "S",
    "stringSet": "SS",
    "_null": "NULL",
}


class UnrecognizedFilter(ValueError):
    """The input has a shape or operator DynamoDB expressions cannot express."""


def unrecognized_filter() -> AppSyncError:
    return AppSyncError("Unable to process the filter expression", "Unrecognized Filter")


def compile_filter(spec: Mapping[str, Any] | None, placeholders: Placeholders) -> str | None:
    """The expression for a filter/condition input; ``None`` when it constrains nothing."""
    if spec is None:
        return None
    try:
        return _group(spec, placeholders)
    except (UnrecognizedFilter, UnsupportedValue, TypeError) as exc:
        raise unrecognized_filter() from exc


def combine_and(*specs: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``{"and": [a, b]}`` of the present inputs, as the templates merge auth and user filters."""
    present = [dict(spec) for spec in specs if spec]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return {"and": present}


def _group(spec: Any, placeholders: Placeholders) -> str | None:
    if not isinstance(spec, Mapping):
        raise UnrecognizedFilter(f"expected an input object, got {spec!r}")
    parts: list[str] = []
    for key, value in spec.items():
        if value is None:
            continue
        if key in ("and", "or"):
            part = _junction(value, " AND " if key == "and" else " OR ", placeholders)
        elif key == "not":
            inner = _group(value, placeholders)
            part = f"NOT ({inner})" if inner else None
        else:
            part = _field(key, value, placeholders)
        if part:
            parts.append(part)
    return _joined(parts, " AND ")


def _junction(value: Any, joiner: str, placeholders: Placeholders) -> str | None:
    members = [value] if isinstance(value, Mapping) else value
    if not isinstance(members, list | tuple):
        raise UnrecognizedFilter(f"expected a list of inputs, got {value!r}")
    parts = [part for member in members if member is not None if (part := _group(member, placeholders))]
    return _joined(parts, joiner)


def _joined(parts: list[str], joiner: str) -> str | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return joiner.join(f"({part})" for part in parts)


def _field(field: str, operators: Any, placeholders: Placeholders) -> str | None:
    if not isinstance(operators, Mapping):
        raise UnrecognizedFilter(f"field {field!r} needs operators, got {operators!r}")
    path = placeholders.name(field)
    parts = [
        part
        for operator, operand in operators.items()
        if (part := _operation(path, operator, operand, placeholders))
    ]
    return _joined(parts, " AND ")


def _operation(path: str, operator: str, operand: Any, placeholders: Placeholders) -> str | None:
    """One ``operator: operand`` on an attribute (``path`` is its placeholder)."""
    if operand is None:
        # An explicit null compares with DynamoDB NULL for eq/ne; elsewhere it constrains nothing.
        if operator in ("eq", "ne"):
            return f"{path} {COMPARISONS[operator]} {placeholders.value(None)}"
        return None
    if operator in COMPARISONS:
        return f"{path} {COMPARISONS[operator]} {placeholders.value(operand)}"
    if operator == "between":
        low, high = _pair(operand)
        return f"{path} BETWEEN {placeholders.value(low)} AND {placeholders.value(high)}"
    if operator in FUNCTIONS:
        return f"{FUNCTIONS[operator]}({path}, {placeholders.value(operand)})"
    if operator == "notContains":
        return f"NOT contains({path}, {placeholders.value(operand)})"
    if operator == "attributeExists":
        return f"attribute_exists({path})" if _boolean(operand) else f"attribute_not_exists({path})"
    if operator == "attributeType":
        if operand not in ATTRIBUTE_TYPES:
            raise UnrecognizedFilter(f"unknown attribute type {operand!r}")
        return f"attribute_type({path}, {placeholders.value(ATTRIBUTE_TYPES[operand])})"
    if operator == "size":
        return _size(path, operand, placeholders)
    if operator in ("in", "notIn"):
        members = ", ".join(placeholders.value(member) for member in _list(operand))
        membership = f"{path} IN ({members})"
        return membership if operator == "in" else f"NOT ({membership})"
    raise UnrecognizedFilter(f"unknown operator {operator!r}")


def _size(path: str, operators: Any, placeholders: Placeholders) -> str | None:
    if not isinstance(operators, Mapping):
        raise UnrecognizedFilter(f"size needs operators, got {operators!r}")
    parts: list[str] = []
    for operator, operand in operators.items():
        if operand is None:
            continue
        if operator in COMPARISONS:
            parts.append(f"size({path}) {COMPARISONS[operator]} {placeholders.value(operand)}")
        elif operator == "between":
            low, high = _pair(operand)
            parts.append(f"size({path}) BETWEEN {placeholders.value(low)} AND {placeholders.value(high)}")
        else:
            raise UnrecognizedFilter(f"unknown size operator {operator!r}")
    return _joined(parts, " AND ")


def _pair(operand: Any) -> tuple[Any, Any]:
    values = _list(operand)
    if len(values) != 2 or any(value is None for value in values):
        raise UnrecognizedFilter(f"between needs exactly two values, got {operand!r}")
    return values[0], values[1]


def _list(operand: Any) -> list[Any]:
    if not isinstance(operand, list | tuple) or not operand:
        raise UnrecognizedFilter(f"expected a non-empty list, got {operand!r}")
    return list(operand)


def _boolean(operand: Any) -> bool:
    if not isinstance(operand, bool):
        raise UnrecognizedFilter(f"expected a boolean, got {operand!r}")
    return operand
