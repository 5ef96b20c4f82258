"""``Model…FilterInput`` / ``Model…ConditionInput`` -> DynamoDB filter or condition expressions.

This is AppSync's ``$util.transform.toDynamoDBFilterExpression`` (and ``…ConditionExpression``):
fields and operators at one level are ANDed, ``and``/``or`` take lists, ``not`` one input. One
walker serves the native resolvers and ``util.transform``; they differ only in

* naming: the native resolvers number their placeholders per request (``#n0``, ``:v0``, shared
  with key conditions); ``util.transform`` names them as AppSync does, after the attribute and
  the path to the operator (``#title``, ``:and_0_title_eq``);
* strictness: ``util.transform`` renders what AppSync renders and refuses (returns nothing for)
  what AppSync refuses, e.g. a null member or a map given to ``and``; the native resolvers skip
  null entries of GraphQL inputs and accept a single input object for ``and``/``or``.

An input that cannot be expressed raises ``UnrecognizedFilter``; ``compile_filter`` turns it
into the error Amplify's templates raise: ``Unable to process the filter expression``
(``Unrecognized Filter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from emulator.errors import AppSyncError
from emulator.resolvers.values import UnsupportedValue

COMPARISONS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
FUNCTIONS = {"beginsWith": "begins_with", "contains": "contains", "notContains": "NOT contains"}
# ModelAttributeTypes -> DynamoDB type descriptors for attribute_type().
ATTRIBUTE_TYPES = {
    "binary": "B",
    "binarySet": "BS",
    "bool": "BOOL",
    "boolean": "BOOL",
    "list": "L",
    "map": "M",
    "number": "N",
    "numberSet": "NS",
    "string": "S",
    "stringSet": "SS",
    "_null": "NULL",
}

Path = tuple[str, ...]


class UnrecognizedFilter(ValueError):
    """The input has a shape or operator DynamoDB expressions cannot express."""


class ExpressionNames(Protocol):
    """Allocates the placeholders of an expression and collects what they stand for."""

    def name(self, attribute: str) -> str: ...

    def value(self, value: Any, path: Path = ()) -> str: ...


def unrecognized_filter() -> AppSyncError:
    return AppSyncError("Unable to process the filter expression", "Unrecognized Filter")


def compile_filter(spec: Mapping[str, Any] | None, placeholders: ExpressionNames) -> str | None:
    """The expression for a filter/condition input of the native resolvers; ``None`` when it
    constrains nothing."""
    if spec is None:
        return None
    try:
        return FilterWalker(placeholders, strict=False).expression(spec)
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


class FilterWalker:
    """Walks one filter input into expression text, allocating placeholders from ``names``."""

    def __init__(self, names: ExpressionNames, strict: bool) -> None:
        self.names = names
        self.strict = strict

    def expression(self, spec: Any) -> str | None:
        """The whole input: its top level is never parenthesised."""
        return self._group(spec, (), wrap=False)

    def _group(self, spec: Any, path: Path, wrap: bool) -> str | None:
        if not isinstance(spec, Mapping):
            raise UnrecognizedFilter(f"expected an input object, got {spec!r}")
        parts: list[str | None] = []
        for key, value in spec.items():
            if value is None and not self.strict:
                continue
            if key in ("and", "or"):
                parts.append(self._junction(key, value, path))
            elif key == "not":
                parts.append(self._negation(value, path))
            else:
                parts.append(self._field(key, value, (*path, key)))
        return self._joined(parts, "AND", wrap)

    def _junction(self, key: str, value: Any, path: Path) -> str | None:
        if isinstance(value, Mapping) and not self.strict:
            value = [value]
        if not isinstance(value, list | tuple):
            raise UnrecognizedFilter(f"'{key}' needs a list of inputs, got {value!r}")
        parts = [
            self._group(member, (*path, key, str(index)), wrap=False)
            for index, member in enumerate(value)
            if member is not None or self.strict
        ]
        return self._joined(parts, "OR" if key == "or" else "AND", wrap=True)

    def _negation(self, value: Any, path: Path) -> str | None:
        inner = self._group(value, (*path, "not"), wrap=True)
        if inner is None and not self.strict:
            return None
        return f"(NOT {inner or ''})"

    def _field(self, field: str, operators: Any, path: Path, sized: bool = False) -> str | None:
        if not isinstance(operators, Mapping):
            raise UnrecognizedFilter(f"field {field!r} needs operators, got {operators!r}")
        name = self.names.name(field)
        target = f"size({name})" if sized else name
        parts: list[str | None] = []
        for operator, operand in operators.items():
            if operator == "size":
                if operand is None and not self.strict:
                    continue
                parts.append(self._field(field, operand, (*path, "size"), sized=True))
            else:
                parts.append(self._operation(target, operator, operand, (*path, operator)))
        return self._joined(parts, "AND", wrap=True)

    def _operation(self, target: str, operator: str, operand: Any, path: Path) -> str | None:
        """One ``operator: operand`` on an attribute (``target`` is its placeholder)."""
        if operand is None and not self.strict:
            # An explicit null compares with DynamoDB NULL for eq/ne; elsewhere it constrains nothing.
            if operator in ("eq", "ne"):
                return f"({target} {COMPARISONS[operator]} {self.names.value(None, path)})"
            return None
        if operator in COMPARISONS:
            return f"({target} {COMPARISONS[operator]} {self.names.value(operand, path)})"
        if operator in FUNCTIONS:
            return f"({FUNCTIONS[operator]}({target},{self.names.value(operand, path)}))"
        if operator == "between":
            low, high = self._pair(operand)
            start, end = self.names.value(low, (*path[:-1], "between_start")), self.names.value(high, (*path[:-1], "between_end"))
            return f"({target} BETWEEN {start} AND {end})"
        if operator == "attributeExists":
            if not isinstance(operand, bool):
                raise UnrecognizedFilter(f"expected a boolean, got {operand!r}")
            return f"({'attribute_exists' if operand else 'attribute_not_exists'}({target}))"
        if operator == "attributeType":
            if operand not in ATTRIBUTE_TYPES:
                raise UnrecognizedFilter(f"unknown attribute type {operand!r}")
            return f"(attribute_type({target},{self.names.value(ATTRIBUTE_TYPES[operand], path)}))"
        if operator == "in" or (operator == "notIn" and not self.strict):
            return self._membership(target, operator, operand, path)
        raise UnrecognizedFilter(f"unknown operator {operator!r}")

    def _membership(self, target: str, operator: str, operand: Any, path: Path) -> str:
        if not isinstance(operand, list | tuple) or (not operand and not self.strict):
            raise UnrecognizedFilter(f"expected a non-empty list, got {operand!r}")
        if not operand:
            return "(null)"  # what AppSync renders for an empty list
        members = ", ".join(self.names.value(member, (*path[:-1], f"{path[-1]}_{index}")) for index, member in enumerate(operand))
        membership = f"({target} IN ({members}))"
        return membership if operator == "in" else f"(NOT {membership})"

    def _pair(self, operand: Any) -> tuple[Any, Any]:
        if not isinstance(operand, list | tuple):
            raise UnrecognizedFilter(f"between needs a list, got {operand!r}")
        if self.strict:
            if len(operand) < 2:
                raise UnrecognizedFilter(f"between needs two values, got {operand!r}")
            return operand[0], operand[1]
        if len(operand) != 2 or any(value is None for value in operand):
            raise UnrecognizedFilter(f"between needs exactly two values, got {operand!r}")
        return operand[0], operand[1]

    def _joined(self, parts: list[str | None], joiner: str, wrap: bool) -> str | None:
        """Parts joined; several are parenthesised when ``wrap``. AppSync joins empty parts too
        (a dangling joiner); the native resolvers drop them."""
        if self.strict:
            texts = [part or "" for part in parts]
            if not texts:
                return ""
        else:
            texts = [part for part in parts if part]
            if not texts:
                return None
        text = f" {joiner} ".join(texts)
        return f"({text})" if wrap and len(texts) > 1 else text
