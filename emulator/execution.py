"""GraphQL execution on the generated schema.

``build_executable_api`` binds the resolvers to the schema the transform produced: root fields
to ``resolvers.resolve_root``, relational fields to ``resolvers.resolve_relation``, model fields
to the policy's field-level read. ``Executor.run`` parses and validates (both cached per query
text, since clients repeat the same few documents), then executes synchronously in a worker
thread so blocking boto3 calls never stall the event loop.

The ``@auth`` rules raise ``NotAuthorized`` without knowing which GraphQL field asked; the
resolvers here complete it with the field and its parent type, as ``$util.unauthorized()`` does.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)

from emulator.apimodel import ApiModel, ModelSpec, RelationSpec, RootField
from emulator.auth.identity import Identity
from emulator.auth.rules_errors import NotAuthorized
from emulator.errors import unauthorized
from emulator.graphql_errors import execution_error, syntax_error, validation_error, variable_error
from emulator.limits import RequestGuard, resolver_fields
from emulator.resolvers import resolve_relation, resolve_root
from emulator.resolvers.context import ResolverContext
from emulator.scalars import bind_scalars
from emulator.sdl import build_appsync_schema
from emulator.unresolved import bind_unresolved, unresolved_error

FieldGuard = Callable[[str, str, Identity | None], bool]
"""``(parent type, field, caller) -> allowed``: AppSync's ``@aws_*`` directive check."""


GuardFactory = Callable[[GraphQLSchema], FieldGuard]
"""Builds the directive check for a freshly built schema (the check reads the schema's directives)."""


@dataclass(frozen=True)
class ExecutableApi:
    """One generation of the API: the model and its executable schema (hot reload swaps it)."""

    api: ApiModel
    schema: GraphQLSchema
    guard: FieldGuard | None = None


def _guarded(resolve: Callable[..., Any], guard: FieldGuard, parent: str, name: str) -> Callable[..., Any]:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if not guard(parent, name, info.context.identity):
            raise unauthorized(name, parent)
        return resolve(source, info, **args)

    return resolver


def _root_resolver(root: RootField) -> Callable[..., Any]:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        try:
            return resolve_root(info.context, root, args)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None

    return resolver


def _custom_resolver(root: RootField, unresolved: str | None = None) -> Callable[..., Any]:
    """A custom field: its ``@auth`` rules run, then the error naming why no local resolver serves it."""

    def resolver(source: Any, info: Any, **args: Any) -> Any:
        try:
            info.context.policy.check_custom_field(root, info.context.identity)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None
        if unresolved is not None:
            raise unresolved_error(info.parent_type.name, info.field_name, unresolved)
        return None

    return resolver


def _relation_resolver(model: ModelSpec, relation: RelationSpec) -> Callable[..., Any]:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        try:
            info.context.policy.read_field(model, relation.field, info.context.identity, source)  # field rules
            return resolve_relation(info.context, model, relation, source, args)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None

    return resolver


def _model_field_resolver(model: ModelSpec, name: str) -> Callable[..., Any]:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if not isinstance(source, Mapping):
            return getattr(source, name, None)
        try:
            return info.context.policy.read_field(model, name, info.context.identity, source)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None

    return resolver


def _default_resolver(name: str) -> Callable[..., Any]:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if isinstance(source, Mapping):
            return source.get(name)
        return getattr(source, name, None)

    return resolver


def build_executable_api(
    api: ApiModel, guard_factory: GuardFactory | None = None, custom_fields: Mapping[tuple[str, str], Callable[..., Any]] | None = None
) -> ExecutableApi:
    """Build the schema from the API model's SDL and bind every resolver to it; ``custom_fields``
    (the project's custom resolvers, ``emulator.custom_fields``) take precedence."""
    schema = build_appsync_schema(api.sdl)
    bind_scalars(schema)
    for (parent, name), root in api.root_fields.items():
        gql_type = schema.get_type(parent)
        if not isinstance(gql_type, GraphQLObjectType) or name not in gql_type.fields:
            continue
        if root.kind == "custom":
            if root.auth_rules is not None or (parent, name) in api.unresolved:
                gql_type.fields[name].resolve = _custom_resolver(root, api.unresolved.get((parent, name)))
        elif root.kind != "subscribe":
            gql_type.fields[name].resolve = _root_resolver(root)
    for model in api.models.values():
        gql_type = schema.get_type(model.name)
        if not isinstance(gql_type, GraphQLObjectType):
            continue
        for name, gql_field in gql_type.fields.items():
            relation = model.relations.get(name)
            gql_field.resolve = (
                _relation_resolver(model, relation) if relation else _model_field_resolver(model, name)
            )
    bind_unresolved(schema, api)
    for (parent, name), resolve in (custom_fields or {}).items():
        gql_type = schema.get_type(parent)
        if isinstance(gql_type, GraphQLObjectType) and name in gql_type.fields:
            gql_type.fields[name].resolve = resolve
    guard = guard_factory(schema) if guard_factory else None
    if guard is not None:
        _apply_guard(schema, guard)
    return ExecutableApi(api=api, schema=schema, guard=guard)


def _apply_guard(schema: GraphQLSchema, guard: FieldGuard) -> None:
    for type_name, gql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(gql_type, GraphQLObjectType):
            continue
        for name, gql_field in gql_type.fields.items():
            resolve = gql_field.resolve or _default_resolver(name)
            gql_field.resolve = _guarded(resolve, guard, type_name, name)


# ---------------------------------------------------------------------------------------------
# Running operations


@dataclass(frozen=True)
class PreparedDocument:
    """A parsed and validated document, or the errors that stop it before execution."""

    document: DocumentNode | None
    errors: list[dict[str, Any]]


class DocumentCache:
    """LRU of prepared documents by query text; one per ExecutableApi (validation is schema-bound)."""

    def __init__(self, schema: GraphQLSchema, size: int = 512) -> None:
        self._schema = schema
        self._size = size
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()

    def prepare(self, query: str) -> PreparedDocument:
        cached = self._entries.get(query)
        if cached is not None:
            self._entries.move_to_end(query)
            return cached
        prepared = self._prepare(query)
        self._entries[query] = prepared
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query)
        except GraphQLError as error:
            return PreparedDocument(None, [syntax_error(error)])
        errors = validate(self._schema, document)
        if errors:
            return PreparedDocument(document, [validation_error(error, document, self._schema) for error in errors])
        return PreparedDocument(document, [])


@dataclass
class OperationResult:
    """An executed operation: the response body and what a mutation should publish."""

    body: dict[str, Any]
    operation_type: OperationType | None = None
    published: list[tuple[str, Any]] = field(default_factory=list)  # (mutation field, its result)


def mutation_results(document: DocumentNode, operation_name: str | None, data: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """Each top-level mutation field with its result (under its alias), in document order."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.MUTATION or not data:
        return []
    results = []
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            if data.get(key) is not None:
                results.append((selection.name.value, data[key]))
    return results


class Executor:
    """Runs GraphQL requests against one ExecutableApi."""

    def __init__(self, executable: ExecutableApi, custom_fields: Collection[tuple[str, str]] = ()) -> None:
        """``custom_fields``: fields served by the project's own resolvers (they count as AppSync's
        resolvers do, for the per-request resolver limit)."""
        self.executable = executable
        self.documents = DocumentCache(executable.schema)
        self.resolver_fields = resolver_fields(executable.api) | frozenset(custom_fields)

    def prepare(self, query: str) -> PreparedDocument:
        return self.documents.prepare(query)

    def run_sync(
        self,
        prepared: PreparedDocument,
        context: ResolverContext,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        guard: RequestGuard | None = None,
    ) -> OperationResult:
        """Execute a prepared, valid document (blocking; call from a worker thread).

        ``guard`` applies AppSync's per-request limits (depth, resolver count, deadline)."""
        assert prepared.document is not None and not prepared.errors
        document = prepared.document
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            message = (
                f"Unknown operation named '{operation_name}'." if operation_name
                else "Must provide operation name if query contains multiple operations."
            )
            return OperationResult({"data": None, "errors": [{"path": None, "locations": None, "message": message}]})
        if operation.operation == OperationType.SUBSCRIPTION:
            return OperationResult(_subscription_over_http(operation))
        result = execute(
            self.executable.schema,
            document,
            context_value=context,
            variable_values=dict(variables) if variables else None,
            operation_name=operation_name,
            middleware=[guard] if guard is not None else None,
        )
        body: dict[str, Any] = {"data": result.data}
        errors = [*(result.errors or []), *context.appended_errors]
        if errors:
            if result.data is None and all(not e.path for e in errors):
                body["errors"] = [variable_error(e) for e in errors]
            else:
                body["errors"] = [execution_error(e, self.executable.schema) for e in errors]
        published = mutation_results(document, operation_name, result.data)
        return OperationResult(body, operation.operation, published)

    async def run(
        self,
        prepared: PreparedDocument,
        context: ResolverContext,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> OperationResult:
        return await anyio.to_thread.run_sync(self.run_sync, prepared, context, variables, operation_name)


def _subscription_over_http(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        "data": None,
        "errors": [
            {
                "path": None,
                "locations": None,
                "errorType": "UnsupportedOperation",
                "message": "Subscriptions are served over the real-time WebSocket endpoint, not HTTP POST.",
            }
        ],
    }
