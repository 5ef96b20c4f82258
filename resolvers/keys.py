"""Table and index keys: object keys, composite ``a#b`` sort keys, and query key conditions.

Everything here mirrors the snippets Amplify's index transformer emits (``modelObjectKey``,
``ensureCompositeKey``, ``applyKeyExpressionForCompositeKey``), including their argument checks
and error texts (errorType ``InvalidArgumentsError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.apimodel import KeySpec, ModelSpec
from emulator.errors import AppSyncError
from emulator.resolvers.expressions import Placeholders

SORT_OPERATORS = ("eq", "le", "lt", "ge", "gt", "between", "beginsWith")
COMPARISON_SYMBOLS = {"eq": "=", "le": "<=", "lt": "<", "ge": ">=", "gt": ">"}
NONE_VALUE = "___xamznone____"  # Amplify's stand-in for a missing foreign key


def invalid_arguments(message: str) -> AppSyncError:
    return AppSyncError(message, "InvalidArgumentsError")


def sort_argument_name(key: KeySpec) -> str | None:
    """The query argument holding the sort-key condition: the field, or ``countryCity``."""
    if not key.sort:
        return None
    if len(key.sort) == 1:
        return key.sort[0]
    first, *rest = key.sort
    return first[:1].lower() + first[1:] + "".join(part[:1].upper() + part[1:] for part in rest)


def part_text(value: Any) -> str:
    """A key part as it appears inside a composite value (VTL string interpolation)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def composite_value(parts: list[Any]) -> str:
    return "#".join(part_text(part) for part in parts)


def typed(model: ModelSpec, attribute: str, value: Any) -> Any:
    """A key value with the DynamoDB type of its attribute (the templates write ``{"S": "$v"}``)."""
    if model.key_types.get(attribute, "S") == "S" and value is not None and not isinstance(value, str):
        return part_text(value)
    return value


def object_key(model: ModelSpec, key: KeySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """The DynamoDB key of an item from its field values (get args, mutation input, an item)."""
    result = {key.partition: typed(model, key.partition, values.get(key.partition))}
    sort_attribute = key.sort_attribute
    if sort_attribute and key.is_composite:
        result[sort_attribute] = composite_value([values.get(part) for part in key.sort])
    elif sort_attribute:
        result[sort_attribute] = typed(model, sort_attribute, values.get(sort_attribute))
    return result


def key_attributes(key: KeySpec) -> tuple[str, ...]:
    """The stored attributes of a key (the composite attribute, not its parts)."""
    return (key.partition, key.sort_attribute) if key.sort_attribute else (key.partition,)


# ---------------------------------------------------------------------------------------------
# Query key conditions


def validate_sort_direction(key: KeySpec, args: Mapping[str, Any], *, is_list: bool) -> None:
    """``validateSortDirectionInput``: sortDirection needs a sort key, and on list the partition."""
    if args.get("sortDirection") is None:
        return
    if not key.sort:
        raise invalid_arguments("sortDirection is not supported for List operations without a Sort key defined.")
    if is_list and args.get(key.partition) is None:
        raise invalid_arguments(
            f"When providing argument 'sortDirection' you must also provide argument '{key.partition}'."
        )


def key_condition(model: ModelSpec, key: KeySpec, args: Mapping[str, Any], placeholders: Placeholders) -> str | None:
    """The KeyConditionExpression for ``args`` (``None`` when the partition is not given: Scan).

    Validates the arguments the way the generated templates do, then builds
    ``#pk = :pk [AND <sort condition>]``.
    """
    argument = sort_argument_name(key)
    condition = args.get(argument) if argument else None
    _validate_key_arguments(key, argument, condition, args)
    partition = args.get(key.partition)
    if partition is None:
        return None
    expression = (
        f"{placeholders.name(key.partition)} = {placeholders.value(typed(model, key.partition, partition))}"
    )
    sort = sort_condition(model, key, argument, condition, placeholders)
    return f"{expression} AND {sort}" if sort else expression


def sort_condition(
    model: ModelSpec, key: KeySpec, argument: str | None, condition: Any, placeholders: Placeholders
) -> str | None:
    """``#sk <op> :v`` / ``BETWEEN`` / ``begins_with`` for a Model…KeyConditionInput."""
    if not argument or not condition or not key.sort_attribute:
        return None
    if not key.is_composite:
        _require_single_operator(condition)
    name = placeholders.name(key.sort_attribute)
    for operator in SORT_OPERATORS:
        operand = condition.get(operator)
        if operand is None:
            continue
        if operator == "between":
            low, high = _between_operands(argument, operand)
            low_value = _sort_value(model, key, low)
            high_value = _sort_value(model, key, high)
            return f"{name} BETWEEN {placeholders.value(low_value)} AND {placeholders.value(high_value)}"
        value = placeholders.value(_sort_value(model, key, operand))
        if operator == "beginsWith":
            return f"begins_with({name}, {value})"
        return f"{name} {COMPARISON_SYMBOLS[operator]} {value}"
    return None


def _sort_value(model: ModelSpec, key: KeySpec, operand: Any) -> Any:
    """A sort operand: for composite keys the given parts joined with ``#``, in key order."""
    if not key.is_composite:
        return typed(model, key.sort_attribute or "", operand)
    if not isinstance(operand, Mapping):
        raise invalid_arguments(f"Argument {sort_argument_name(key)} expects a composite key input.")
    return "#".join(part_text(operand[part]) for part in key.sort if operand.get(part) is not None)


def _between_operands(argument: str, operand: Any) -> tuple[Any, Any]:
    if not isinstance(operand, list | tuple) or len(operand) != 2:
        raise invalid_arguments(f"Argument '{argument}.between' expects exactly two elements.")
    return operand[0], operand[1]


def _require_single_operator(condition: Mapping[str, Any]) -> None:
    if sum(1 for operator in SORT_OPERATORS if condition.get(operator) is not None) > 1:
        raise invalid_arguments(
            "KeyConditionExpressions must only contain one condition per key. Provide a single operator "
            "(one of eq, lt, le, gt, ge, beginsWith, between) on the sort key argument."
        )


def _validate_key_arguments(key: KeySpec, argument: str | None, condition: Any, args: Mapping[str, Any]) -> None:
    if argument is None or condition is None:
        return
    if not key.is_composite:
        if args.get(key.partition) is None:
            raise invalid_arguments(
                f"When providing argument '{argument}' you must also provide arguments {key.partition}"
            )
        return
    if _blank(args.get(key.partition)):
        raise invalid_arguments(f"When providing argument '{argument}' you must also provide '{key.partition}'.")
    operations = list(condition.keys())
    if len(operations) > 1:
        raise invalid_arguments(f"Argument {argument} must specify at most one key condition operation.")
    for operation in operations:
        operand = condition[operation]
        if operation == "between":
            if not isinstance(operand, list | tuple) or len(operand) != 2:
                raise invalid_arguments(f"Argument '{argument}.between' expects exactly two elements.")
            for index, element in enumerate(operand):
                _require_left_parts(key, f"{argument}.between[{index}]", element)
        else:
            _require_left_parts(key, f"{argument}.{operation}", operand)


def _require_left_parts(key: KeySpec, label: str, parts: Any) -> None:
    """Composite parts must be given left to right: ``city`` only together with ``country``."""
    if not isinstance(parts, Mapping):
        return
    for index in range(len(key.sort) - 1, 0, -1):
        right, previous = key.sort[index], key.sort[index - 1]
        if not _blank(parts.get(right)) and _blank(parts.get(previous)):
            raise invalid_arguments(f"When providing argument '{label}.{right}' you must also provide '{label}.{previous}'.")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------
# Composite sort keys written by mutations


def composite_index_values(
    model: ModelSpec, values: Mapping[str, Any], *, operation: str, directive: str
) -> dict[str, str]:
    """The ``a#b`` attributes of composite GSI sort keys to write with ``values``.

    As ``ensureCompositeKeySnippet``: when any part is in the input all must be, else the
    template's error; when none is, the attribute is left alone.
    """
    written: dict[str, str] = {}
    for index in model.indexes:
        if not index.key.is_composite or not index.key.sort_attribute:
            continue
        seen = [part for part in index.key.sort if part in values]
        if not seen:
            continue
        for part in index.key.sort:
            if part not in values:
                raise AppSyncError(
                    f"When {operation} any part of the composite sort key for {directive} '{index.name}',"
                    f" you must provide all fields for the key. Missing key: '{part}'."
                )
        written[index.key.sort_attribute] = composite_value([values[part] for part in index.key.sort])
    return written
