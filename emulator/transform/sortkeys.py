"""Sort-key arguments: the ``ModelXKeyConditionInput`` argument of key/index queries and hasMany fields.

One shape serves ``listX`` on a table with a sort key, every index query, and a ``@hasMany``/
``@connection`` field over a keyed index: a single sort field takes ``Model<Scalar>KeyConditionInput``;
several take a per-key composite condition over ``Model<Type><Key>CompositeKeyInput``.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.transform.errors import SchemaError
from emulator.transform.naming import camel_case, upper_first
from emulator.transform.parse import SCALAR_BASES, ObjectDef, SourceSchema

KEY_CONDITION_OPERATORS = ("eq", "le", "lt", "ge", "gt", "between", "beginsWith")
NUMERIC_KEY_CONDITION_OPERATORS = ("eq", "le", "lt", "ge", "gt", "between")


@dataclass(frozen=True)
class SortKeyArgument:
    """The argument a query takes for its sort key, and the input types it needs."""

    name: str
    input_type: str
    scalar: str | None = None  # single sort field: the key-condition scalar (String/ID/Int/Float)
    composite_input: str | None = None  # several sort fields: the composite key input type
    composite_fields: tuple[tuple[str, str], ...] = ()  # (field, GraphQL type) of the composite key input


def _scalar_of(type_name: str, schema: SourceSchema) -> str:
    if type_name in schema.enums:
        return "String"
    base = SCALAR_BASES.get(type_name)
    if base is None or base == "Boolean":
        raise SchemaError(f"Sort Key Condition could not be constructed for type '{type_name}'")
    return base


def sort_key_argument(obj: ObjectDef, key_name: str | None, sort_fields: tuple[str, ...],
                      schema: SourceSchema, field_types: dict[str, str] | None = None) -> SortKeyArgument | None:
    """The sort-key argument for a key over ``sort_fields`` of ``obj`` (None without sort fields).

    ``key_name`` is the index name (None for the primary key, which Amplify calls "Primary").
    ``field_types`` gives the GraphQL type of sort fields that are not declared (foreign keys).
    """
    if not sort_fields:
        return None

    def type_of(name: str) -> str:
        source = obj.field(name)
        return source.type.name if source is not None else (field_types or {}).get(name, "ID")

    if len(sort_fields) == 1:
        scalar = _scalar_of(type_of(sort_fields[0]), schema)
        return SortKeyArgument(sort_fields[0], f"Model{scalar}KeyConditionInput", scalar=scalar)
    key = upper_first(key_name or "Primary")
    condition = f"Model{obj.name}{key}CompositeKeyConditionInput"
    composite = f"Model{obj.name}{key}CompositeKeyInput"
    fields = []
    for position, name in enumerate(sort_fields):
        type_name = type_of(name)
        if position == len(sort_fields) - 1 and type_name in SCALAR_BASES:
            type_name = SCALAR_BASES[type_name]
        fields.append((name, type_name))
    return SortKeyArgument(camel_case(list(sort_fields)), condition, composite_input=composite,
                           composite_fields=tuple(fields))
