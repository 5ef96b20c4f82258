"""Comparing two AppSync schemas as clients see them: by introspection, order aside.

Shared by the golden tests (Gen 1 and Gen 2) and the conformance tests. Introspection shows types, fields,
arguments, input fields, enum values, union members and interfaces (descriptions and order
ignored); it does not show applied directives, so the ``@aws_*``/``@aws_subscribe`` directives
on every object type and field are compared from the SDL's AST.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import InputObjectTypeDefinitionNode, NamedTypeNode, ObjectTypeDefinitionNode, parse, print_ast

from emulator.sdl import AWS_SCALARS, build_appsync_schema

#: v2 2.5.1 always emits this input, from its bundled conversation transformer.
IGNORED_TYPES = {"AmplifyAIConversationTurnErrorInput"}


def schema_shape(sdl: str) -> dict[str, dict[str, str]]:
    """Every named type as ``{member: description}`` from introspection (order-free)."""
    shapes: dict[str, dict[str, str]] = {}
    for name, named_type in build_appsync_schema(sdl).type_map.items():
        if name.startswith("__") or name in IGNORED_TYPES:
            continue
        members: dict[str, str] = {"kind": type(named_type).__name__}
        for field_name, field in (getattr(named_type, "fields", None) or {}).items():
            args = ", ".join(f"{a}: {arg.type}" + (f" = {arg.default_value!r}" if arg.default_value is not None
                                                  and repr(arg.default_value) != "Undefined" else "")
                             for a, arg in sorted((getattr(field, "args", None) or {}).items()))
            members[field_name] = f"({args}) {field.type}" if args else str(field.type)
        for value in getattr(named_type, "values", None) or {}:
            members[value] = "enum value"
        for member in getattr(named_type, "types", None) or ():
            members[member.name] = "union member"
        for interface in getattr(named_type, "interfaces", None) or ():
            members[f"implements {interface.name}"] = "interface"
        shapes[name] = members
    return shapes


def applied_directives(sdl: str) -> dict[str, set[str]]:
    """Applied directives per object type and per ``Type.field`` (AST only shows these)."""
    found: dict[str, set[str]] = {}
    for definition in parse(sdl).definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode) or definition.name.value in IGNORED_TYPES:
            continue
        name = definition.name.value
        found[name] = {print_ast(d) for d in definition.directives or ()}
        for field in definition.fields or ():
            found[f"{name}.{field.name.value}"] = {print_ast(d) for d in field.directives or ()}
    return found


def describe_differences(expected: dict, actual: dict, what: str) -> list[str]:
    lines = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            lines.append(f"missing {what} {name}: {expected[name]}")
        elif name not in expected:
            lines.append(f"unexpected {what} {name}: {actual[name]}")
        elif expected[name] != actual[name]:
            if isinstance(expected[name], dict):
                for member in sorted(set(expected[name]) | set(actual[name])):
                    want, got = expected[name].get(member), actual[name].get(member)
                    if want != got:
                        lines.append(f"{what} {name}.{member}: expected {want!r}, got {got!r}")
            else:
                lines.append(f"{what} {name}: expected {sorted(expected[name])}, got {sorted(actual[name])}")
    return lines


def _named(type_node: object) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type  # type: ignore[attr-defined]
    return type_node.name.value


def without_undefined_inputs(sdl: str) -> tuple[str, list[str]]:
    """``sdl`` without input fields whose type is declared nowhere, and those fields.

    Amplify v2 writes ``task: TaskInput`` into the create/update inputs of a model with a union
    field, but no ``TaskInput`` (there is none for a union): AppSync refuses such a schema at
    deploy. The servable part of that output is the rest, which is what the emulator serves.
    """
    document = parse(sdl)
    declared = {d.name.value for d in document.definitions if getattr(d, "name", None) is not None}
    declared |= {"String", "Int", "Float", "Boolean", "ID", *AWS_SCALARS}
    dropped: list[str] = []
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, InputObjectTypeDefinitionNode):
            kept = tuple(f for f in definition.fields or () if _named(f.type) in declared)
            dropped += [f"{definition.name.value}.{f.name.value}" for f in definition.fields or () if f not in kept]
            definition = replace(definition, fields=kept)
        definitions.append(definition)
    if not dropped:
        return sdl, []
    return print_ast(replace(document, definitions=tuple(definitions))), dropped


def schema_differences(expected_sdl: str, actual_sdl: str) -> list[str]:
    """Every difference a client could see between two schemas (empty: the same API)."""
    differences = describe_differences(schema_shape(expected_sdl), schema_shape(actual_sdl), "type")
    differences += describe_differences(applied_directives(expected_sdl), applied_directives(actual_sdl),
                                        "directives of")
    return differences
