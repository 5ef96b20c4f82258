"""Plain items of a data file (``--seed``, ``import``) checked against their model as ``createX``
checks its input, before anything is written.

An item a create mutation would refuse (a number where the schema says ``String``, a required
field missing, an enum value the schema does not have, a field the model does not have) used to be
stored as written and to fail only when read (``Cannot return null for non-nullable type``). Each
attribute of a completed item is coerced with graphql-core against the type ``createX`` takes for
it: the field of ``Create<Model>Input`` (the AWS scalars with AppSync's own checks, enums, nested
input types), else the model's own field (``createdAt``, ``owner``: what a create stores beyond its
input). Besides fields, items may hold what a create writes itself (``__typename``, composite key
attributes such as ``status#rating``), so an exported file imports back unchanged. Values are only
checked, never rewritten: a valid item is stored as written.

Two differences from GraphQL input coercion, both because the value is stored as it is: a single
value is not promoted to a list, and an ``AWSJSON`` field may hold the parsed JSON (a map or a list,
as ``export`` writes it) as well as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_input_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

from emulator.apimodel import ApiModel, ModelSpec
from emulator.scalars import bind_scalars
from emulator.sdl import build_appsync_schema


class ItemError(ValueError):
    """Why an item would be refused by ``createX``; the message starts with the field's path."""


class ModelItems:
    """The check of one model's plain items (built once per data file and model)."""

    def __init__(self, model: ModelSpec, schema: GraphQLSchema) -> None:
        self.model = model
        self.inputs = _create_input(model, schema)
        object_type = schema.get_type(model.name)
        self.fields = object_type.fields if isinstance(object_type, GraphQLObjectType) else {}
        self.written = {"__typename", *(key.sort_attribute for key in (model.primary_key, *(i.key for i in model.indexes))
                                         if key.is_composite and key.sort_attribute)}

    def check(self, item: Mapping[str, Any]) -> None:
        """Raise ``ItemError`` for the first attribute ``createX`` would refuse, or a required one missing."""
        for name, value in item.items():
            self._check_attribute(name, value)
        for name, field_type in self._required().items():
            if name not in item:  # (a null one was refused above)
                raise ItemError(f"field {name!r} ({field_type}) is required, and the item has none")

    def _check_attribute(self, name: str, value: Any) -> None:
        if name == "__typename":
            if value != self.model.name:
                raise ItemError(f"field '__typename' must be {self.model.name!r}, got {value!r:.60}")
            return
        if name in self.written:
            return
        field_type = self._stored_type(name)
        check_value(value, field_type, name)

    def _stored_type(self, name: str) -> GraphQLInputType:
        """The type ``createX`` gives the attribute: its input field's, else the model field's."""
        if name in self.inputs:
            return self.inputs[name].type
        field = self.fields.get(name)
        if field is not None and is_input_type(field.type):
            return field.type  # type: ignore[return-value]
        if name in self.model.relations or field is not None:
            raise ItemError(f"field {name!r} is a relation of {self.model.name}, which items do not store; "
                            "link items through their key fields (as createX's input does) instead")
        known = ", ".join(sorted({*self.inputs, *(n for n, f in self.fields.items() if is_input_type(f.type))}))
        raise ItemError(f"field {name!r} is not a field of {self.model.name} (its fields: {known})")

    def _required(self) -> dict[str, str]:
        """Non-null fields of the input and of the stored model, with their types as the schema writes
        them; the primary key's fields aside (the importer checks a key with DynamoDB's own rules)."""
        required = {name: str(field.type) for name, field in self.fields.items()
                    if isinstance(field.type, GraphQLNonNull) and is_leaf_type(field.type.of_type)}
        required.update({name: str(field.type) for name, field in self.inputs.items()
                         if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined})
        for name in self.model.primary_key.fields:
            required.pop(name, None)
        return required


class ItemChecks:
    """The checks of every model of an API (the executable schema is built once, on first use)."""

    def __init__(self, api: ApiModel) -> None:
        self.api = api
        self._schema: GraphQLSchema | None = None
        self._models: dict[str, ModelItems] = {}

    def check(self, model: ModelSpec, item: Mapping[str, Any]) -> None:
        if model.name not in self._models:
            if self._schema is None:
                self._schema = build_appsync_schema(self.api.sdl)
                bind_scalars(self._schema)
            self._models[model.name] = ModelItems(model, self._schema)
        self._models[model.name].check(item)


def _create_input(model: ModelSpec, schema: GraphQLSchema) -> dict[str, Any]:
    """The fields of the input ``createX`` takes (none when the model has no create mutation)."""
    mutation = schema.mutation_type
    field = mutation.fields.get(model.operations.create or "") if mutation else None
    argument = field.args.get("input") if field else None
    input_type = _named(argument.type) if argument else schema.get_type(f"Create{model.name}Input")
    return dict(input_type.fields) if isinstance(input_type, GraphQLInputObjectType) else {}


def _named(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def check_value(value: Any, type_: GraphQLInputType, path: str) -> None:
    """``value`` as a valid ``type_`` for a stored item; ``ItemError`` names ``path`` otherwise."""
    if isinstance(type_, GraphQLNonNull):
        if value is None:
            raise ItemError(f"field {path!r} ({type_}) cannot be null")
        check_value(value, type_.of_type, path)
        return
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):
            raise ItemError(f"field {path!r} ({type_}) must be a list, got {_shown(value)}")
        for index, element in enumerate(value):
            check_value(element, type_.of_type, f"{path}[{index}]")
        return
    if isinstance(type_, GraphQLInputObjectType):
        _check_object(value, type_, path)
        return
    if type_.name == "AWSJSON" and not isinstance(value, str):
        return  # parsed JSON, as a create stores it and export writes it
    try:
        type_.coerce_input_value(_plain_number(value))
    except (GraphQLError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, GraphQLError) else str(exc)
        raise ItemError(f"field {path!r}: {message}") from None


def _check_object(value: Any, type_: GraphQLInputObjectType, path: str) -> None:
    if not isinstance(value, dict):
        raise ItemError(f"field {path!r} ({type_}) must be an object, got {_shown(value)}")
    unknown = sorted(set(value) - set(type_.fields))
    if unknown:
        raise ItemError(f"field '{path}.{unknown[0]}' is not a field of {type_} (its fields: "
                        f"{', '.join(sorted(type_.fields))})")
    for name, field in type_.fields.items():
        if name not in value and isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined:
            raise ItemError(f"field '{path}.{name}' ({field.type}) is required, and the item has none")
        if name in value:
            check_value(value[name], field.type, f"{path}.{name}")


def _plain_number(value: Any) -> Any:
    """JSON numbers with a fraction are read as ``Decimal`` (exact storage); GraphQL checks floats."""
    return float(value) if isinstance(value, Decimal) else value


def _shown(value: Any) -> str:
    return json.dumps(value, default=str)[:60]
