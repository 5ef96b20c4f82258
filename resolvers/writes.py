"""Mutations as Amplify's generated templates perform them: PutItem, UpdateItem, DeleteItem.

* create: defaults (``id``, timestamps, ``@default``) under the input, ``__typename`` stored,
  composite ``a#b`` key attributes written, null GSI keys dropped (v2), guarded by
  ``attribute_not_exists`` on the key, ANDed with the ``condition`` argument.
* update: SET for values, REMOVE for explicit nulls, key attributes untouched, ``updatedAt``,
  guarded by ``attribute_exists`` + auth condition (v1) + ``condition``; returns ALL_NEW.
* delete: guarded like update; returns the deleted item (ALL_OLD).

v2 results carry ``__operation: "Mutation"`` as the response templates add it; relation
resolvers propagate it and ``strip_internal`` removes it where a client could see it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from emulator.apimodel import ModelSpec
from emulator.errors import AppSyncError
from emulator.resolvers import versioning
from emulator.resolvers.context import FilterInput, Item, ResolverContext
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders, update_expression
from emulator.resolvers.filters import combine_and, compile_filter
from emulator.resolvers.keys import composite_index_values, composite_value, key_attributes, object_key
from emulator.resolvers.operation_hooks import NO_HOOKS, DataStep, OperationHooks
from emulator.resolvers.values import from_item, normalize, to_item

OPERATION_MARK = "__operation"
INTERNAL_FIELDS = (OPERATION_MARK,)


def iso8601(moment: datetime) -> str:
    """``$util.time.nowISO8601()``'s form: UTC with milliseconds and ``Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_now(ctx: ResolverContext) -> str:
    """``$util.time.nowISO8601()`` on the context's clock."""
    return iso8601(ctx.now())


def strip_internal(item: Item | None) -> Item | None:
    """The item without Amplify's internal markers (for subscribers and any raw JSON output)."""
    if item is None:
        return None
    return {name: value for name, value in item.items() if name not in INTERNAL_FIELDS}


def create_item(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any], hooks: OperationHooks = NO_HOOKS) -> Item:
    user_input = with_field_defaults(model, dict(args.get("input") or {}))
    user_input = ctx.policy.prepare_create(model, ctx.identity, user_input)
    step = hooks.before_data(DataStep({**args, "input": user_input}))
    values = _creation_defaults(ctx, model, step.input, step.default_values)
    values.update(composite_index_values(model, values, operation="creating", directive=_directive(ctx)))
    values.update(_primary_composite(model, values))
    values["__typename"] = model.name
    if ctx.api.version == "v2":
        values = _without_null_index_keys(model, values)
    key = object_key(model, model.primary_key, values)
    values.update(key)
    condition = _condition(key, exists=False, auth=None, user=step.args.get("condition"), more=step.conditions)
    if model.sync is not None:  # DataStore: a versioned data source (emulator.resolvers.versioning)
        return _result(ctx, versioning.put(ctx, versioning.VersionedSource.of(ctx, model), values, condition))
    placeholders = Placeholders()
    params: dict[str, Any] = {"TableName": ctx.table_name(model.name), "Item": to_item(values)}
    _put_condition(params, compile_filter(condition, placeholders), placeholders)
    call(ctx, "put_item", **params)
    return _result(ctx, normalize(values))


def update_item(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any], hooks: OperationHooks = NO_HOOKS) -> Item:
    user_input = dict(args.get("input") or {})
    if ctx.api.version == "v1":
        _reject_nulled_required_fields(model, user_input)
    auth_condition = _write_auth(ctx, model, "update", _stored_key(model, user_input), user_input)
    step = hooks.before_data(DataStep(args))
    user_input = step.input
    values = _update_defaults(ctx, model, user_input, step.default_values)
    values.update(composite_index_values(model, values, operation="updating", directive=_directive(ctx)))
    values.update(_primary_composite(model, values))
    key = object_key(model, model.primary_key, values)
    changes = {name: value for name, value in values.items() if name not in key}
    conditions = [auth_condition, step.args.get("condition"), *step.conditions]
    updated = _write_stored(ctx, model, "update", key, conditions, user_input, changes)
    return _result(ctx, updated or {})


def delete_item(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any], hooks: OperationHooks = NO_HOOKS) -> Item | None:
    user_input = dict(args.get("input") or {})
    auth_condition = _write_auth(ctx, model, "delete", _stored_key(model, user_input), user_input)
    step = hooks.before_data(DataStep(args))
    key = _stored_key(model, step.input)
    conditions = [auth_condition, step.args.get("condition"), *step.conditions]
    deleted = _write_stored(ctx, model, "delete", key, conditions, step.input)
    return None if deleted is None else _result(ctx, deleted)


def _stored_key(model: ModelSpec, user_input: Item) -> Item:
    """The key of the stored item an update or delete input names."""
    return object_key(model, model.primary_key, {**user_input, **_primary_composite(model, user_input)})


# ---------------------------------------------------------------------------------------------
# Values


def with_field_defaults(model: ModelSpec, user_input: Item) -> Item:
    """``@default``: ``input.put(f, $util.defaultIfNull(input.f, value))`` (init slot)."""
    for name, default in model.defaults.items():
        if user_input.get(name) is None:
            user_input[name] = default
    return user_input


def _creation_defaults(ctx: ResolverContext, model: ModelSpec, user_input: Item, given: Item | None = None) -> Item:
    """id and timestamps under the input (or the slots' ``defaultValues``). v2 merges ``defaults ⊕
    input`` (an explicit null wins); v1 uses ``defaultIfNull`` per field."""
    if given is not None:
        return _merge_defaults(ctx, dict(given), user_input)
    now = iso_now(ctx)
    defaults: Item = {}
    if "id" in model.fields:
        defaults["id"] = str(uuid.uuid4())
    for timestamp in (model.created_at, model.updated_at):
        if timestamp:
            defaults[timestamp] = now
    return _merge_defaults(ctx, defaults, user_input)


def _update_defaults(ctx: ResolverContext, model: ModelSpec, user_input: Item, given: Item | None = None) -> Item:
    if given is not None:
        defaults = dict(given)
    else:
        defaults = {model.updated_at: iso_now(ctx)} if model.updated_at else {}
    values = _merge_defaults(ctx, defaults, user_input)
    if ctx.api.version == "v1":
        values["__typename"] = model.name  # v1's update template stores it too
    return values


def _merge_defaults(ctx: ResolverContext, defaults: Item, user_input: Item) -> Item:
    if ctx.api.version == "v2":
        return {**defaults, **user_input}
    merged = dict(user_input)
    for name, value in defaults.items():
        if merged.get(name) is None:
            merged[name] = value
    return merged


def _primary_composite(model: ModelSpec, values: Mapping[str, Any]) -> Item:
    """The ``a#b`` attribute of a composite primary sort key (always written with the key)."""
    key = model.primary_key
    if not key.is_composite or not key.sort_attribute:
        return {}
    return {key.sort_attribute: composite_value([values.get(part) for part in key.sort])}


def _without_null_index_keys(model: ModelSpec, values: Item) -> Item:
    """v2 drops GSI key attributes whose value is null (DynamoDB rejects NULL index keys)."""
    index_keys = {name for index in model.indexes for name in key_attributes(index.key)}
    return {name: value for name, value in values.items() if not (name in index_keys and value is None)}


def _reject_nulled_required_fields(model: ModelSpec, user_input: Item) -> None:
    """v1 update: a non-null field explicitly set to null is refused before the write."""
    key_fields = set(model.primary_key.fields)
    timestamps = {model.created_at, model.updated_at}
    for spec in model.fields.values():
        required = spec.non_null and spec.is_scalar and spec.name != "id"
        if required and (spec.name in key_fields or spec.name not in timestamps):
            if spec.name in user_input and user_input[spec.name] is None:
                raise AppSyncError(
                    "An argument you marked as Non-Null is set to Null in the query or the body of your request."
                )


def _directive(ctx: ResolverContext) -> str:
    return "@index" if ctx.api.version == "v2" else "@key"


def _result(ctx: ResolverContext, item: Item) -> Item:
    if ctx.api.version == "v2":
        item[OPERATION_MARK] = "Mutation"
    return item


# ---------------------------------------------------------------------------------------------
# Auth and expressions


def _write_auth(
    ctx: ResolverContext, model: ModelSpec, operation: Literal["update", "delete"], key: Item, user_input: Item
) -> FilterInput | None:
    """The auth slot of update/delete: GetItem first only when a rule needs the stored item."""
    existing = None
    if ctx.policy.needs_existing_item(model, operation, ctx.identity):
        response = call(ctx, "get_item", TableName=ctx.table_name(model.name), Key=to_item(key))
        existing = from_item(response.get("Item"))
    return ctx.policy.check_write(model, operation, ctx.identity, existing, user_input)


#: UpdateItem / DeleteItem, and what each returns: the item after the update, before the delete.
_EXISTING_ITEM_WRITES = {"update": ("update_item", "ALL_NEW"), "delete": ("delete_item", "ALL_OLD")}


def _write_stored(
    ctx: ResolverContext,
    model: ModelSpec,
    operation: Literal["update", "delete"],
    key: Item,
    conditions: list[FilterInput | None],
    user_input: Item,
    changes: Item | None = None,
) -> Item | None:
    """UpdateItem (SET/REMOVE of ``changes``) or DeleteItem of the stored item at ``key``, guarded by
    ``attribute_exists`` ANDed with ``conditions`` (auth, the ``condition`` argument, the slots');
    the returned item. A versioned model's write goes to its versioned source with the input's
    ``_version``."""
    condition = _condition(key, exists=True, auth=None, user=None, more=conditions)
    if model.sync is not None:  # DataStore: a versioned data source (emulator.resolvers.versioning)
        return versioning.write_existing(ctx, model, operation, key, user_input, condition, changes)
    action, return_values = _EXISTING_ITEM_WRITES[operation]
    placeholders = Placeholders()
    params: dict[str, Any] = {
        "TableName": ctx.table_name(model.name),
        "Key": to_item(key),
        "ReturnValues": return_values,
    }
    expression = update_expression(changes, placeholders) if changes is not None else None
    if expression:
        params["UpdateExpression"] = expression
    _put_condition(params, compile_filter(condition, placeholders), placeholders)
    response = call(ctx, action, **params)
    return from_item(response.get("Attributes"))


def _condition(
    key: Mapping[str, Any],
    *,
    exists: bool,
    auth: FilterInput | None,
    user: FilterInput | None,
    more: list[FilterInput | None] | None = None,
) -> FilterInput | None:
    """``{and: [key guard, auth condition, condition argument, …]}``, the write's one ConditionExpression."""
    guard = {name: {"attributeExists": exists} for name in key}
    return combine_and(guard, auth, user, *(more or []))


def _put_condition(params: dict[str, Any], condition: str | None, placeholders: Placeholders) -> None:
    if condition:
        params["ConditionExpression"] = condition
    params.update(placeholders.request_fields())
