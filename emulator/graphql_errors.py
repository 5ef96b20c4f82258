"""GraphQL errors in AppSync's wire shape and wording.

AppSync runs graphql-java, so its validation messages read ``Validation error of type
FieldUndefined: Field 'x' in type 'Query' is undefined @ 'x'`` where graphql-core says
``Cannot query field 'x' on type 'Query'.``. Clients and tests match on AppSync's words, so the
common validation failures are reworded here; anything unrecognised keeps graphql-core's text
under AppSync's ``Validation error of type …`` prefix.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import (
    BREAK,
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    Node,
    ObjectFieldNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)

from emulator.errors import AppSyncError
from emulator.java_text import java_literal
from emulator.scalars import appsync_variable_message, wrong_type_message

log = logging.getLogger("appsync_emulator.execution")

# graphql-core's message (named groups) -> graphql-java's error kind and message; {path} is the
# slash-separated field path graphql-java prints after "@".
_VALIDATION_WORDING: list[tuple[str, str, str]] = [
    (r"Cannot query field '(?P<field>\w+)' on type '(?P<type>\w+)'\.",
     "FieldUndefined", "Field '{field}' in type '{type}' is undefined @ '{path}'"),
    (r"Unknown type '(?P<type>\w+)'\.", "UnknownType", "Unknown type {type}"),
    (r"Field '\w+' argument '(?P<arg>\w+)' of type '.+' is required, but it was not provided\.",
     "MissingFieldArgument", "Missing field argument {arg} @ '{path}'"),
    (r"Argument '\w+\.\w+\((?P<arg>\w+):\)' of type '.+' is required, but it was not provided\.",
     "MissingFieldArgument", "Missing field argument {arg} @ '{path}'"),
    (r"Unknown argument '(?P<arg>\w+)' on field '\w+\.\w+'\.",
     "UnknownArgument", "Unknown field argument {arg} @ '{path}'"),
    (r"Field '(?P<field>\w+)' of type '(?P<type>.+)' must have a selection of subfields\..*",
     "SubSelectionRequired", "Sub selection required for type {type} of field {field} @ '{path}'"),
    (r"Field '(?P<field>\w+)' must not have a selection since type '(?P<type>.+)' has no subfields\.",
     "SubSelectionNotAllowed", "Sub selection not allowed on leaf type {type} of field {field} @ '{path}'"),
    (r"Variable '\$\w+' of type '(?P<given>.+)' used in position expecting type '(?P<expected>.+)'\.",
     "VariableTypeMismatch", "Variable type '{given}' doesn't match expected type '{expected}' @ '{path}'"),
    (r"Variable '\$(?P<name>\w+)' is not defined.*", "UndefinedVariable", "Undefined variable {name} @ '{path}'"),
    (r"Variable '\$(?P<name>\w+)' is never used.*", "UnusedVariable", "Unused variable {name}"),
    (r"Unknown fragment '(?P<name>\w+)'\.", "UndefinedFragment", "Undefined fragment {name} @ '{path}'"),
    (r"(?P<message>Cannot query field.*)", "FieldUndefined", "{message} @ '{path}'"),
]
_VALIDATION_REWRITES = [(re.compile(pattern), kind, template) for pattern, kind, template in _VALIDATION_WORDING]


def _locations(error: GraphQLError) -> list[dict[str, Any]] | None:
    if not error.locations:
        return None
    return [{"line": loc.line, "column": loc.column, "sourceName": None} for loc in error.locations]


def _document_path(document: DocumentNode | None, error: GraphQLError) -> str:
    """The slash-separated field path graphql-java prints after ``@``, found by node position."""
    if document is None or not error.nodes:
        return ""
    target = error.nodes[0].loc.start if error.nodes[0].loc else -1

    def walk(selection_set: Any, trail: list[str]) -> list[str] | None:
        for selection in getattr(selection_set, "selections", []) or []:
            name = selection.name.value if isinstance(selection, FieldNode) else None
            here = trail + [name] if name else trail
            loc = selection.loc
            if loc and loc.start <= target < loc.end:
                if loc.start == target or not selection.selection_set:
                    return here
                return walk(selection.selection_set, here) or here
        return None

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.loc:
            if definition.loc.start <= target < definition.loc.end:
                return "/".join(walk(definition.selection_set, []) or [])
    return ""


_BAD_LITERAL = re.compile(r"(Unable to parse .*|.* cannot represent .*|Expected value of type .*)")


def _literal_context(schema: GraphQLSchema, document: DocumentNode, target: Node) -> tuple[str, str, str] | None:
    """(argument path, expected type, field path) of a literal value, as graphql-java names them."""
    type_info = TypeInfo(schema)
    found: dict[str, Any] = {}

    class Finder(Visitor):
        def enter(self, node: Node, key: Any, parent: Any, path: Any, ancestors: list[Any]) -> Any:
            if node is target:
                found["type"] = get_named_type(type_info.get_input_type())
                found["ancestors"] = [a for a in (*ancestors, parent) if isinstance(a, Node)]
                return BREAK
            return None

    visit(document, TypeInfoVisitor(type_info, Finder()))
    if "ancestors" not in found or found["type"] is None:
        return None
    fields = [a.name.value for a in found["ancestors"] if isinstance(a, FieldNode)]
    last_field = max((i for i, a in enumerate(found["ancestors"]) if isinstance(a, FieldNode)), default=-1)
    argument = [a.name.value for a in found["ancestors"][last_field + 1 :] if isinstance(a, (ArgumentNode, ObjectFieldNode))]
    if isinstance(target, ObjectFieldNode):
        argument.append(target.name.value)
    return ".".join(argument), found["type"].name, "/".join(fields)


def _wrong_type(error: GraphQLError, document: DocumentNode | None, schema: GraphQLSchema | None) -> str | None:
    """graphql-java's WrongType message for a literal argument value of the wrong type."""
    if schema is None or document is None or not error.nodes or not _BAD_LITERAL.fullmatch(error.message):
        return None
    node = error.nodes[0]
    if not isinstance(node, ValueNode) or isinstance(node, VariableNode):
        return None
    context = _literal_context(schema, document, node)
    if context is None:
        return None
    argument, type_name, field_path = context
    return wrong_type_message(argument, java_literal(node), type_name, field_path)


def validation_error(error: GraphQLError, document: DocumentNode | None, schema: GraphQLSchema | None = None) -> dict[str, Any]:
    """A validation failure as AppSync reports it (no errorType; path null)."""
    message = _wrong_type(error, document, schema) or error.message
    if not message.startswith("Validation error"):
        path = _document_path(document, error)
        for pattern, kind, template in _VALIDATION_REWRITES:
            match = pattern.fullmatch(message)
            if match:
                message = f"Validation error of type {kind}: " + template.format(**match.groupdict(), path=path)
                break
        else:
            message = f"Validation error of type ValidationError: {message}"
    return {"path": None, "locations": _locations(error), "message": message}


def syntax_error(error: GraphQLError) -> dict[str, Any]:
    """A parse failure: AppSync reports graphql-java's InvalidSyntax with the offending position."""
    loc = error.locations[0] if error.locations else None
    where = f" @ line {loc.line}, column {loc.column}" if loc else ""
    return {
        "path": None,
        "locations": _locations(error),
        "message": f"Invalid Syntax : {error.message.removeprefix('Syntax Error: ')}{where}",
        "errorType": "InvalidSyntax",
    }


_VARIABLE = re.compile(r"Variable '\$(\w+)' has invalid value(?: at ([.\w\[\]]+))?: (.*)")
_NON_NULL_VALUE = re.compile(r"Expected (?:a )?value of non-null type '(.+)' (?:to be provided|not to be None)\.")
_REQUIRED_FIELD = re.compile(r"Expected value of type '(\w+)' to include required field '(\w+)', found: .*")
_UNKNOWN_FIELD = re.compile(r"Expected value of type '(\w+)' not to include unknown field '(\w+)'.*")


def variable_error(error: GraphQLError) -> dict[str, Any]:
    """A variable that failed coercion (wrong type, missing non-null): graphql-java's wording."""
    message = appsync_variable_message(error) or _variable_message(error.message)
    return {"path": None, "locations": _locations(error), "message": message}


def _variable_message(message: str) -> str:
    match = _VARIABLE.fullmatch(message)
    if match is None:
        return message
    variable, at, detail = match[1], match[2], match[3]
    names = re.findall(r"\.(\w+)", at or "")
    name = names[-1] if names else variable  # graphql-java names the innermost input field
    if non_null := _NON_NULL_VALUE.fullmatch(detail):
        return f"Variable '{name}' has coerced Null value for NonNull type '{non_null[1]}'"
    if required := _REQUIRED_FIELD.fullmatch(detail):
        return f"Variable '{required[2]}' has coerced Null value for NonNull type of field '{required[2]}' in '{required[1]}'"
    if unknown := _UNKNOWN_FIELD.fullmatch(detail):
        return (f"The variables input contains a field name '{unknown[2]}' that is not defined for input object type "
                f"'{unknown[1]}' ")
    return f"Variable '{name}' has an invalid value: {detail}"


_NON_NULL = re.compile(r"Cannot return null for non-nullable field (\w+)\.(\w+)\.")


def _non_null_message(error: GraphQLError, schema: GraphQLSchema | None) -> str | None:
    """graphql-java's wording for a null in a non-null field (graphql-core raises a TypeError)."""
    match = _NON_NULL.fullmatch(error.message)
    if match is None:
        return None
    parent, name = match[1], match[2]
    type_name = "?"
    parent_type = schema.get_type(parent) if schema is not None else None
    if isinstance(parent_type, GraphQLObjectType) and name in parent_type.fields:
        type_name = get_named_type(parent_type.fields[name].type).name
    path = "/" + "/".join(str(part) for part in (error.path or []))
    return f"Cannot return null for non-nullable type: '{type_name}' within parent '{parent}' ({path})"


def execution_error(error: GraphQLError, schema: GraphQLSchema | None = None) -> dict[str, Any]:
    """A field error during execution: the field is null and the error names its path."""
    original = error.original_error
    non_null = _non_null_message(error, schema)
    if non_null is not None:
        return {"path": error.path, "locations": None, "message": non_null}
    if isinstance(original, AppSyncError):
        return {
            "path": error.path,
            "data": original.data,
            "errorType": original.error_type,
            "errorInfo": original.error_info,
            "locations": _locations(error),
            "message": original.message,
        }
    if original is not None and not isinstance(original, GraphQLError):
        # A bug of ours: never leak a traceback; log it and answer like AppSync's internal failure.
        log.error("resolver failed at %s", error.path, exc_info=original)
        return {
            "path": error.path,
            "data": None,
            "errorType": "InternalFailure",
            "errorInfo": None,
            "locations": _locations(error),
            "message": f"An internal failure occurred while resolving this field ({type(original).__name__}).",
        }
    return {
        "path": error.path,
        "data": None,
        "errorType": None,
        "errorInfo": None,
        "locations": _locations(error),
        "message": error.message,
    }
