"""A ``start`` message turned into a ready subscription, or the errors AppSync would send.

Everything AppSync checks when a subscription starts happens here, in its order: the ``data``
string is read, the ``start``'s own credentials are verified (each subscription on a socket may
use a different auth mode), the document is parsed and validated against the current schema,
the operation must be a subscription, the caller must pass the field's ``@aws_*`` directives
and the model's ``@auth`` rules, and the filter is built. The work blocks (credential checks may
call out), so the connection runs ``prepare_subscription`` in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    parse,
    print_ast,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values

from emulator.apimodel import ModelSpec
from emulator.auth.identity import Identity
from emulator.auth.rules_errors import NotAuthorized
from emulator.errors import AppSyncError, RequestError, unauthorized
from emulator.graphql_errors import syntax_error, validation_error, variable_error
from emulator.graphql_request import GraphQLRequest, graphql_request, malformed
from emulator.realtime import messages
from emulator.realtime.carriers import start_request
from emulator.realtime.deps import RealtimeDeps
from emulator.realtime.shape import ShapeSchemas
from emulator.resolvers.context import AuthPolicy
from emulator.resolvers.custom.call import selection_list
from emulator.subscription_filter import (
    Filter,
    FilterError,
    all_of,
    from_arguments,
    from_filter_input,
    from_filter_json,
)

#: Type-name prefix of the v2 ``filter:`` argument (``ModelSubscriptionPostFilterInput``).
FILTER_INPUT_PREFIX = "ModelSubscription"


class StartRejected(Exception):
    """The ``start`` fails; ``errors`` go into the ``error`` frame for its id."""

    def __init__(self, errors: list[messages.ErrorEntry]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class SubscriptionPlan:
    """What a started subscription needs to match and shape events."""

    field_name: str
    mutations: tuple[str, ...]
    event_filter: Filter
    document: DocumentNode
    operation_name: str | None
    variables: dict[str, Any]
    identity: Identity
    shape_schema: GraphQLSchema
    model: ModelSpec | None
    protected_fields: tuple[str, ...]  # model fields with field-level @auth, read through the policy
    policy: AuthPolicy
    render_key: tuple[str, str | None, str]  # same document + variables: same payload text

    def accepts(self, payload: Mapping[str, Any]) -> bool:
        return self.event_filter.matches(payload)


def prepare_subscription(deps: RealtimeDeps, shapes: ShapeSchemas, data: str, authorization: Any, source_ip: str) -> SubscriptionPlan:
    """Check a ``start`` as AppSync does; raise ``StartRejected`` with AppSync's errors."""
    request = _read_data(data)
    try:
        identity = deps.authenticate(
            start_request(authorization, data, request.query, request.operation_name, request.variables, source_ip)
        )
    except RequestError as failure:
        raise StartRejected([messages.request_failure(failure)]) from failure
    api, schema = deps.current_api(), deps.current_schema()
    document, operation = _subscription_operation(schema, request)
    variables = request.variables or {}
    _coerce_variables(schema, operation, variables)

    field_node = _root_field(operation.selection_set, document)
    subscription_type = schema.subscription_type
    assert subscription_type is not None  # validation passed for a subscription operation
    field_name, field_def = field_node.name.value, subscription_type.fields[field_node.name.value]
    if not deps.field_allowed(schema, subscription_type.name, field_name, identity):
        raise StartRejected([messages.field_error(unauthorized(field_name, subscription_type.name))])

    shape_schema = shapes.get(api)
    arguments = _arguments(shape_schema, operation, field_node, variables)
    root = api.root(subscription_type.name, field_name)
    model = api.models.get(root.model) if root is not None and root.model else None
    policy = deps.policy()
    try:
        auth_filter = policy.subscription_filter(model, identity, arguments) if model is not None else None
        resolver_filters = _resolver_filters(deps, field_name, identity, arguments, field_node, document, variables)
    except AppSyncError as failure:
        raise StartRejected([messages.field_error(_at_field(failure, field_name, subscription_type.name))]) from failure
    return SubscriptionPlan(
        field_name=field_name,
        mutations=tuple(root.mutations if root is not None else _aws_subscribe(field_def)),
        event_filter=_event_filter(arguments, auth_filter, _filter_argument(field_def), resolver_filters),
        document=document,
        operation_name=request.operation_name,
        variables=variables,
        identity=identity,
        shape_schema=shape_schema,
        model=model,
        protected_fields=_protected_fields(model),
        policy=policy,
        render_key=(request.query, request.operation_name, json.dumps(variables, sort_keys=True, default=str)),
    )


def _read_data(data: str) -> GraphQLRequest:
    """The ``data`` string holds the GraphQL request as JSON (read as the HTTP transport does)."""
    try:
        return graphql_request(json.loads(data))
    except RequestError as failure:
        raise StartRejected([messages.request_failure(failure)]) from failure
    except (ValueError, RecursionError) as exc:
        raise StartRejected([messages.request_failure(malformed("Unable to parse GraphQL query."))]) from exc


def _subscription_operation(schema: GraphQLSchema, request: GraphQLRequest) -> tuple[DocumentNode, OperationDefinitionNode]:
    """Parse and validate; only subscriptions travel on the real-time channel."""
    document = _parse(request.query)
    errors = validate(schema, document)
    if errors:
        raise StartRejected([{"message": validation_error(error, document)["message"]} for error in errors])
    operation = get_operation_ast(document, request.operation_name)
    if operation is None:
        raise StartRejected([messages.bad_request("Unknown or ambiguous operation name.")])
    if operation.operation != OperationType.SUBSCRIPTION:
        raise StartRejected([messages.unsupported_operation("")])
    return document, operation


def _parse(query: str) -> DocumentNode:
    try:
        return parse(query)
    except GraphQLError as error:
        entry = syntax_error(error)
        raise StartRejected([{"errorType": entry["errorType"], "message": entry["message"]}]) from error


def _coerce_variables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: dict[str, Any]) -> None:
    """Variables must fit the executable schema (AWS scalars validate here)."""
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise StartRejected([{"message": variable_error(error)["message"]} for error in coerced])


def _arguments(
    shape_schema: GraphQLSchema, operation: OperationDefinitionNode, field_node: FieldNode, variables: dict[str, Any]
) -> dict[str, Any]:
    """The root field's arguments in wire form (the resolver-less schema keeps scalars as sent),
    so they compare directly with mutation payloads."""
    coerced = get_variable_values(shape_schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise StartRejected([{"message": variable_error(error)["message"]} for error in coerced])
    assert shape_schema.subscription_type is not None
    return get_argument_values(shape_schema.subscription_type.fields[field_node.name.value], field_node, coerced)


def _root_field(selection_set: SelectionSetNode, document: DocumentNode) -> FieldNode:
    """The operation's one top-level field (validation guarantees exactly one)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            return selection
        if isinstance(selection, InlineFragmentNode):
            return _root_field(selection.selection_set, document)
        if isinstance(selection, FragmentSpreadNode):
            return _root_field(fragments[selection.name.value].selection_set, document)
    raise StartRejected([messages.bad_request("A subscription must select one field.")])


def _aws_subscribe(field: GraphQLField) -> tuple[str, ...]:
    """``@aws_subscribe(mutations: [...])`` read from the schema, for fields the API model lacks."""
    for directive in field.ast_node.directives if field.ast_node else ():
        if directive.name.value != "aws_subscribe":
            continue
        for argument in directive.arguments:
            if argument.name.value == "mutations":
                values = getattr(argument.value, "values", ())
                return tuple(getattr(value, "value", "") for value in values)
    return ()


def _filter_argument(field: GraphQLField) -> str | None:
    """The name of the v2 ``filter:`` argument (a ``ModelSubscription…FilterInput``), if any."""
    for name, argument in field.args.items():
        named = get_named_type(argument.type)
        if isinstance(named, GraphQLInputObjectType) and named.name.startswith(FILTER_INPUT_PREFIX):
            return name
    return None


def _at_field(failure: AppSyncError, field_name: str, parent: str) -> AppSyncError:
    """The policy's ``NotAuthorized`` names no field; AppSync's message names the subscription."""
    return failure.at(field_name, parent) if isinstance(failure, NotAuthorized) else failure


def _resolver_filters(
    deps: RealtimeDeps, field_name: str, identity: Identity, arguments: dict[str, Any], field_node: FieldNode,
    document: DocumentNode, variables: dict[str, Any],
) -> list[Any]:
    """The field's custom resolver, run as the client subscribes: the filters it sets."""
    if deps.subscription_resolver is None:
        return []
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    selection = field_node.selection_set
    info = {
        "fieldName": field_name,
        "parentTypeName": "Subscription",
        "variables": variables,
        "selectionSetList": selection_list(selection, fragments) if selection else [],
        "selectionSetGraphQL": print_ast(selection) if selection else "",
    }
    return deps.subscription_resolver(field_name, identity, arguments, info)


def _event_filter(
    arguments: dict[str, Any], auth_filter: Mapping[str, Any] | None, filter_argument: str | None,
    resolver_filters: Sequence[Any] = (),
) -> Filter:
    """One filter from the sources. The ``filter:`` argument, the auth runtime filter and the
    filters the field's resolver set are enhanced filters (ANDed); when any exists it replaces
    argument filtering, because AppSync does not combine basic and enhanced filtering."""
    filter_input = arguments.get(filter_argument) if filter_argument else None
    try:
        enhanced = all_of(
            from_filter_input(filter_input) if filter_input else None,
            from_filter_input(auth_filter) if auth_filter else None,
            *(from_filter_json(value) for value in resolver_filters),
        )
        if enhanced is not None:
            return enhanced
        return from_arguments({name: value for name, value in arguments.items() if name != filter_argument})
    except FilterError as failure:
        raise StartRejected([messages.filter_error(str(failure))]) from failure


def _protected_fields(model: ModelSpec | None) -> tuple[str, ...]:
    if model is None:
        return ()
    return tuple(name for name, spec in model.fields.items() if spec.auth_rules is not None)
