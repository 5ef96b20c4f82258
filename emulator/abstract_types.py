"""Unions and interfaces resolved as AppSync resolves them: by the value's ``__typename``.

AppSync never guesses the concrete type of a union or interface value. A value that is not an
object, or an object without ``__typename``, fails the whole request: HTTP 400 with
``BadRequestException`` and AppSync's sentence (trailing quote included, as AppSync prints it).
A ``__typename`` that names no member of the abstract type is graphql's ordinary field error.

``abstract_type_bindables(schema)`` gives one ariadne ``UnionType``/``InterfaceType`` per
abstract type of the schema, each with that type resolver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ariadne import InterfaceType, UnionType
from graphql import (
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
)

from emulator.errors import RequestError


class UnresolvedAbstractType(RequestError):
    """A union or interface value AppSync cannot place: the whole request fails (HTTP 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "BadRequestException", message)


def resolve_by_typename(value: Any, info: GraphQLResolveInfo, abstract_type: GraphQLAbstractType) -> str:
    """The concrete type named by the value's ``__typename``."""
    if not isinstance(value, Mapping):
        raise UnresolvedAbstractType(f"Could not determine the exact type of {abstract_type.name}. "
                                     "Expected MAP/OBJECT type.'")
    name = value.get("__typename")
    if not isinstance(name, str):
        raise UnresolvedAbstractType(f"Could not determine the exact type of {abstract_type.name}. "
                                     "Missing __typename key on value.'")
    return name


def abstract_type_bindables(schema: GraphQLSchema) -> list[UnionType | InterfaceType]:
    """A type resolver for every union and interface of ``schema`` (introspection's excepted)."""
    bindables: list[UnionType | InterfaceType] = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(gql_type, GraphQLUnionType):
            bindables.append(UnionType(name, resolve_by_typename))
        elif isinstance(gql_type, GraphQLInterfaceType):
            bindables.append(InterfaceType(name, resolve_by_typename))
    return bindables
