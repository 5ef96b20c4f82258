"""Conflict resolution on a versioned data source: AUTOMERGE, OPTIMISTIC_CONCURRENCY, LAMBDA.

A write is in conflict when its ``_version`` is not the stored item's. What happens then is the
model's conflict handler (AppSync's ``SyncConfig``):

* ``OPTIMISTIC_CONCURRENCY``: the write is rejected with ``ConflictUnhandled`` ("Conflict resolver
  rejects mutation.") and the stored item in the error's ``data``, for the client to retry.
* ``AUTOMERGE``: the incoming values are merged into the stored item by type, as AppSync's
  documented rules say: a scalar keeps the stored value, a list is the stored list with the
  incoming one appended (duplicates kept), a set is the union, a map is merged key by key with the
  same rules, and a field the stored item lacks (or holds ``null``) takes the incoming value. A
  delete cannot be merged: it is rejected as with optimistic concurrency.
* ``LAMBDA``: the conflict handler function gets ``{newItem, existingItem, arguments, resolver,
  identity}`` and answers ``{"action": "RESOLVE", "item": {...}}`` (write that item),
  ``{"action": "REJECT"}`` (``ConflictUnhandled``) or ``{"action": "REMOVE"}`` (delete the item).

Merging works on DynamoDB attribute values, because only they tell a list (``L``) from a set
(``SS``/``NS``/``BS``). The Lambda call goes through the function runners' ``invoke`` (the
data sources' ``LambdaInvoker`` seam), which the resolver context carries as ``functions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from emulator.errors import AppSyncError
from emulator.resolvers.context import Item, ResolverContext
from emulator.resolvers.datasources.sources import LambdaInvoker
from emulator.resolvers.identity_document import identity_document
from emulator.resolvers.values import AttributeValue, from_item, to_attribute

SETS = ("SS", "NS", "BS")


@dataclass(frozen=True)
class Conflict:
    """A write whose version is not the stored one: what the handler decides about."""

    operation: Literal["update", "delete"]
    existing: dict[str, AttributeValue]  # the stored item (DynamoDB JSON)
    incoming: dict[str, AttributeValue | None]  # update: the values written (None removes); delete: {}
    arguments: Mapping[str, Any]  # the mutation's arguments
    field_name: str  # the mutation (updatePost)
    type_name: str  # its result type (Post)
    table: str


@dataclass(frozen=True)
class Resolution:
    """What to do instead: write ``changes`` over the stored item, or remove it."""

    action: Literal["write", "remove"]
    changes: Mapping[str, AttributeValue | None] | None = None
    replace: bool = False  # LAMBDA's RESOLVE: the item written is the handler's item, whole


def conflict_unhandled(existing: Item, data: Item | None = None) -> AppSyncError:
    """AppSync's rejection of a conflicting write, with the server's item for the client to retry from."""
    return AppSyncError("Conflict resolver rejects mutation.", "ConflictUnhandled", data if data is not None else existing)


def resolve(ctx: ResolverContext, handler: str, lambda_function: str | None, conflict: Conflict) -> Resolution:
    """The handler's decision; raises ``ConflictUnhandled`` when it rejects the write."""
    existing_plain = from_item(conflict.existing) or {}
    if handler == "AUTOMERGE" and conflict.operation == "update":
        return Resolution("write", automerge(conflict.existing, conflict.incoming))
    if handler == "LAMBDA":
        return _ask_lambda(ctx, lambda_function, conflict, existing_plain)
    raise conflict_unhandled(existing_plain)


def automerge(existing: Mapping[str, AttributeValue], incoming: Mapping[str, AttributeValue | None]) -> dict[str, Any]:
    """The values to write: each incoming value merged with the stored one by AppSync's rules."""
    return {name: _merge(existing.get(name), value) for name, value in incoming.items()}


def _merge(stored: AttributeValue | None, incoming: AttributeValue | None) -> AttributeValue | None:
    if stored is None or "NULL" in stored:
        return incoming
    if incoming is None or "NULL" in incoming or incoming == stored:
        return stored
    (stored_kind, stored_value), = stored.items()
    (incoming_kind, incoming_value), = incoming.items()
    if stored_kind != incoming_kind:
        return stored
    if stored_kind == "L":
        return {"L": [*stored_value, *incoming_value]}
    if stored_kind in SETS:
        return {stored_kind: list(dict.fromkeys([*stored_value, *incoming_value]))}
    if stored_kind == "M":
        merged = dict(stored_value)
        for key, value in incoming_value.items():
            merged[key] = _merge(stored_value.get(key), value)
        return {"M": merged}
    return stored


def _ask_lambda(ctx: ResolverContext, function: str | None, conflict: Conflict, existing: Item) -> Resolution:
    invoker: LambdaInvoker | None = ctx.functions
    if invoker is None or function is None:
        raise AppSyncError(
            f"The LAMBDA conflict handler {function or '(unnamed)'} of {conflict.type_name} cannot run: the emulator "
            "runs conflict handler functions through its Lambda function runners, which this server does not have",
            "ConflictError", existing)
    incoming = from_item({k: v for k, v in conflict.incoming.items() if v is not None}) or {}
    payload = {
        "newItem": {**existing, **incoming} if conflict.operation == "update" else None,
        "existingItem": existing,
        "arguments": dict(conflict.arguments),
        "resolver": {"tableName": conflict.table, "awsRegion": _region(ctx), "parentType": "Mutation",
                     "field": conflict.field_name, "outputType": conflict.type_name},
        "identity": identity_document(ctx.identity),
    }
    try:
        answer = invoker.invoke(function, payload, invocation_type="RequestResponse")
    except Exception as error:  # noqa: BLE001 - the runners' FunctionError, reported as AppSync reports it
        raise AppSyncError(getattr(error, "message", str(error)), getattr(error, "error_type", "Lambda:Unhandled"),
                           existing) from None
    return _lambda_resolution(function, answer, existing)


def _lambda_resolution(function: str, answer: Any, existing: Item) -> Resolution:
    action = answer.get("action") if isinstance(answer, Mapping) else None
    if action == "REJECT":
        raise conflict_unhandled(existing)
    if action == "REMOVE":
        return Resolution("remove")
    if action == "RESOLVE" and isinstance(answer.get("item"), Mapping):
        return Resolution("write", {str(k): to_attribute(v) for k, v in answer["item"].items()}, replace=True)
    raise AppSyncError(
        f"The conflict handler {function} answered {answer!r}; it must answer {{\"action\": \"RESOLVE\", \"item\": "
        "{...}}, {\"action\": \"REJECT\"} or {\"action\": \"REMOVE\"}", "ConflictError", existing)


def _region(ctx: ResolverContext) -> str:
    return str(getattr(getattr(ctx.dynamodb, "meta", None), "region_name", None) or "us-east-1")

