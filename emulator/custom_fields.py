"""Custom resolvers as GraphQL field resolvers (a field plan, ``emulator.field_plans``): what the
execution layer binds for each field a project declares a resolver for (custom Query/Mutation/Subscription fields and fields of any
type, model types included).

The checks AppSync makes before a resolver runs still come first: the ``@aws_*`` directives (the
execution layer's guard, around every field) and, on a custom root field with ``@auth``, its
static rules (Amplify puts them in the field's pipeline before the user's resolver). Errors the
resolver appends with ``util.appendError`` are reported with the field's path next to its value,
through ``ResolverContext.appended_errors``; ``Executor`` adds them to the response.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from emulator.apimodel import ApiModel, ModelSpec, RootField
from emulator.auth.rules_errors import NotAuthorized
from emulator.field_plans import FieldPlan, Planner
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.custom import CustomResolver, ResolverCall, SlottedOperation, info_document
from emulator.resolvers.loader import remember_siblings

Resolver = Callable[..., Any]
FieldKey = tuple[str, str]
ROOT_TYPES = ("Query", "Mutation", "Subscription")


@dataclass(frozen=True)
class CustomFields:
    """One generation's custom resolvers, and the generated operations its slots extend."""

    resolvers: Mapping[FieldKey, CustomResolver] = field(default_factory=dict)
    operations: Mapping[FieldKey, SlottedOperation] = field(default_factory=dict)

    def served(self) -> set[FieldKey]:
        return {*self.resolvers, *self.operations}


def custom_field_resolver(
    resolver: CustomResolver, custom_root: RootField | None = None, guarded_model: ModelSpec | None = None
) -> Resolver:
    """The field resolver running ``resolver``. Checked first: ``custom_root``'s static ``@auth``
    rules (a custom root field), ``guarded_model``'s field-level ``@auth`` (a model's field)."""

    def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        context = info.context
        type_name, field_name = info.parent_type.name, info.field_name
        try:
            if custom_root is not None:
                context.policy.check_custom_field(custom_root, context.identity)
            if guarded_model is not None and isinstance(source, Mapping):
                context.policy.read_field(guarded_model, field_name, context.identity, source)
        except NotAuthorized as error:
            raise error.at(field_name, type_name) from None
        root_field = type_name in ROOT_TYPES
        call = ResolverCall.of(context, type_name, field_name, args, None if root_field else source, info_document(info))
        try:
            value = resolver.resolve(call)
        finally:
            report_appended(info, call)
        remember_items(context, value)
        return value

    return resolve


def remember_items(context: ResolverContext, value: Any) -> None:
    """Items a custom resolver returned together (a list, or a page's ``items``) are siblings:
    a batched field on them is resolved in one call."""
    items = value.get("items") if isinstance(value, Mapping) else value
    if isinstance(items, list):
        remember_siblings(context, [item for item in items if isinstance(item, dict)])


def slotted_operation_resolver(operation: SlottedOperation) -> Resolver:
    """A generated model operation with the project's slots and template overrides."""

    def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        type_name, field_name = info.parent_type.name, info.field_name
        call = ResolverCall.of(info.context, type_name, field_name, args, None, info_document(info))
        try:
            return operation.resolve(call)
        except NotAuthorized as error:
            raise error.at(field_name, type_name) from None
        finally:
            report_appended(info, call)

    return resolve


def report_appended(info: GraphQLResolveInfo, call: ResolverCall) -> None:
    """What the call adds to the response: ``util.appendError``'s errors (with the field's path
    and location) and ``util.http.addResponseHeader``'s headers."""
    info.context.response_headers.update(call.util.response_headers)
    for error in call.util.appended_errors:
        info.context.appended_errors.append(
            GraphQLError(error.message, info.field_nodes, path=info.path.as_list(), original_error=error)
        )


def custom_planner(fields: CustomFields) -> Planner:
    """The field plan of every field the project's resolvers serve; placed before the generated
    kinds, since a custom resolver (or a generated operation with slots) replaces them."""

    def plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
        operation = fields.operations.get((parent, name))
        if operation is not None:
            return FieldPlan("slotted-operation", slotted_operation_resolver(operation))
        resolver = fields.resolvers.get((parent, name))
        if resolver is None:
            return None
        root = api.root(parent, name)
        rules = root if root is not None and root.kind == "custom" and root.auth_rules is not None else None
        model = api.models.get(parent)
        spec = model.fields.get(name) if model is not None else None
        guarded = model if spec is not None and spec.auth_rules is not None else None
        return FieldPlan("custom", custom_field_resolver(resolver, rules, guarded))

    return plan


def subscription_filters(
    fields: CustomFields, context: ResolverContext, field_name: str, arguments: Mapping[str, Any],
    info: Mapping[str, Any],
) -> list[Any]:
    """A subscription field's custom resolver, run when a client subscribes (AppSync runs it then,
    not per event): its ``@auth`` rules first, then the resolver; an error refuses the
    subscription, ``extensions.setSubscriptionFilter``'s filters are returned."""
    root = context.api.root("Subscription", field_name)
    if root is not None and root.kind == "custom" and root.auth_rules is not None:
        try:
            context.policy.check_custom_field(root, context.identity)
        except NotAuthorized as error:
            raise error.at(field_name, "Subscription") from None
    resolver = fields.resolvers.get(("Subscription", field_name))
    if resolver is None:
        return []
    call = ResolverCall.of(context, "Subscription", field_name, arguments, None, dict(info))
    resolver.resolve(call)
    return list(call.util.extensions.subscription_filters)
