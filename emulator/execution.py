"""GraphQL execution on the generated schema.

``build_executable_api`` binds resolvers to the schema the transform produced with ariadne's
bindables: an ``ObjectType`` per object type carrying the resolver each field's plan names
(``emulator.field_plans``: ``@function`` pipelines, model operations, relations, model fields),
wrapped in AppSync's ``@aws_*`` check; ``ScalarType``s with AppSync's AWS scalar coercion;
``UnionType``/``InterfaceType`` resolving ``__typename`` as AppSync does. ``Executor.run``
parses and validates (both cached per query text, since clients repeat the same few
documents), then executes synchronously in a worker thread so blocking boto3 calls never stall
the event loop.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from ariadne import ObjectType
from ariadne.types import SchemaBindable
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

from emulator.abstract_types import abstract_type_bindables
from emulator.apimodel import ApiModel
from emulator.auth.identity import Identity
from emulator.errors import RequestError, unauthorized
from emulator.field_plans import DEFAULT_PLANNERS, Planner, Resolver, plan_field
from emulator.graphql_errors import execution_error, syntax_error, validation_error, variable_error
from emulator.limits import RequestGuard, resolver_fields
from emulator.resolvers.context import ResolverContext
from emulator.scalars import scalar_bindables
from emulator.sdl import build_appsync_schema

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


def _guarded(resolve: Resolver, guard: FieldGuard, parent: str, name: str) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if not guard(parent, name, info.context.identity):
            raise unauthorized(name, parent)
        return resolve(source, info, **args)

    return resolver


def _default_resolver(name: str) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if isinstance(source, Mapping):
            return source.get(name)
        return getattr(source, name, None)

    return resolver


def object_bindables(
    api: ApiModel, schema: GraphQLSchema, guard: FieldGuard | None, planners: Sequence[Planner] = DEFAULT_PLANNERS
) -> list[ObjectType]:
    """One ``ObjectType`` per object type: each field gets its plan's resolver (or the default
    one), behind the ``@aws_*`` check when there is one."""
    bindables = []
    for type_name, gql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(gql_type, GraphQLObjectType):
            continue
        bindable = ObjectType(type_name)
        for name in gql_type.fields:
            plan = plan_field(api, type_name, name, planners)
            resolve = plan.resolve if plan is not None else None
            if guard is not None:
                resolve = _guarded(resolve or _default_resolver(name), guard, type_name, name)
            if resolve is not None:
                bindable.set_field(name, resolve)
        bindables.append(bindable)
    return bindables


def build_executable_api(
    api: ApiModel, guard_factory: GuardFactory | None = None, planners: Sequence[Planner] = DEFAULT_PLANNERS
) -> ExecutableApi:
    """Build the schema from the API model's SDL and bind every resolver to it."""
    schema = build_appsync_schema(api.sdl)
    guard = guard_factory(schema) if guard_factory else None
    bindables: list[SchemaBindable] = [
        *scalar_bindables(schema),
        *abstract_type_bindables(schema),
        *object_bindables(api, schema, guard, planners),
    ]
    for bindable in bindables:
        bindable.bind_to_schema(schema)
    return ExecutableApi(api=api, schema=schema, guard=guard)


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
    status: int = 200  # a whole-request failure found during execution answers with its own


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
        failed = _request_failure(result.errors)
        if failed is not None:
            return OperationResult(failed.body(), operation.operation, status=failed.status)
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


def _request_failure(errors: list[GraphQLError] | None) -> RequestError | None:
    """An error that fails the whole request (e.g. a union value without ``__typename``)."""
    for error in errors or ():
        if isinstance(error.original_error, RequestError):
            return error.original_error
    return None


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
