"""Comparing two AppSync schemas as a client sees them, for the golden tests (Gen 1 and Gen 2).

Compared by introspection (types, fields, arguments, input fields, enum values; order and
descriptions ignored) and, since introspection does not show applied directives, by the
``@aws_*``/``@aws_subscribe`` directives on every type and field of the SDL's AST.
"""

from __future__ import annotations

from graphql import ObjectTypeDefinitionNode, parse, print_ast

from emulator.sdl import build_appsync_schema

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


def schema_differences(expected_sdl: str, actual_sdl: str) -> list[str]:
    """Every difference a client could see between two AppSync schemas, one line each."""
    differences = describe_differences(schema_shape(expected_sdl), schema_shape(actual_sdl), "type")
    return differences + describe_differences(applied_directives(expected_sdl), applied_directives(actual_sdl), "directives of")
