"""Reads: get (v2: Query on the key when an auth filter applies, else GetItem; v1: GetItem),
list (Scan or Query) and index queries.

A page is one DynamoDB Query or Scan with ``Limit`` = the ``limit`` argument (default 100) and
the user's filter (v2: ANDed with the auth filter) as FilterExpression, so ``limit`` counts items
read before any filter, exactly as on AppSync. v1 drops items the caller may not see after the
read (``AuthPolicy.visible_items``), as its response templates do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from emulator.apimodel import KeySpec, ModelSpec
from emulator.errors import AppSyncError, unauthorized
from emulator.resolvers.context import FilterInput, Item, ReadOperation, ResolverContext
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.filters import combine_and, compile_filter
from emulator.resolvers.keys import key_condition, object_key, validate_sort_direction
from emulator.resolvers.limit_hint import note_page
from emulator.resolvers.operation_hooks import NO_HOOKS, DataStep, OperationHooks
from emulator.resolvers.tokens import decode_token, encode_token
from emulator.resolvers.values import from_item, to_item

DEFAULT_LIMIT = 100


@dataclass
class PageRequest:
    """One DynamoDB read as Amplify's request templates describe it."""

    table: str
    operation: Literal["query", "scan"]
    placeholders: Placeholders = field(default_factory=Placeholders)
    index: str | None = None
    key_condition: str | None = None
    filter: str | None = None
    limit: int | None = None
    next_token: str | None = None
    forward: bool = True
    # What custom resolvers' Query/Scan documents may also ask for (model resolvers never do).
    consistent_read: bool = False
    select: str | None = None
    projection: str | None = None
    segment: int | None = None
    total_segments: int | None = None


@dataclass
class Page:
    items: list[Item]
    next_token: str | None
    scanned_count: int


def read_page(ctx: ResolverContext, request: PageRequest) -> Page:
    """Run one Query/Scan; ``nextToken`` in and out is the opaque token of ``resolvers.tokens``."""
    params: dict[str, Any] = {"TableName": request.table}
    if request.index:
        params["IndexName"] = request.index
    if request.limit is not None:
        params["Limit"] = _valid_limit(request.limit)
    start_key = decode_token(request.next_token, request.table, request.index)
    if start_key:
        params["ExclusiveStartKey"] = start_key
    if request.operation == "query":
        if request.key_condition:
            params["KeyConditionExpression"] = request.key_condition
        params["ScanIndexForward"] = request.forward
    if request.filter is not None:
        params["FilterExpression"] = request.filter
    _optional_read_params(request, params)
    params.update(request.placeholders.request_fields())
    response = call(ctx, request.operation, **params)
    items = [item for raw in response.get("Items", []) if (item := from_item(raw)) is not None]
    next_token = encode_token(response.get("LastEvaluatedKey"), request.table, request.index)
    return Page(items, next_token, int(response.get("ScannedCount", len(items))))


def _optional_read_params(request: PageRequest, params: dict[str, Any]) -> None:
    if request.consistent_read:
        params["ConsistentRead"] = True
    if request.select is not None:
        params["Select"] = request.select
    if request.projection is not None:
        params["ProjectionExpression"] = request.projection
    if request.segment is not None:
        params["Segment"] = request.segment
    if request.total_segments is not None:
        params["TotalSegments"] = request.total_segments


def _valid_limit(limit: int) -> int:
    if limit < 1:
        raise AppSyncError(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1 (Service: DynamoDb, Status Code: 400)",
            "DynamoDB:ValidationException",
        )
    return limit


def get_item(
    ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any], field_name: str, parent: str,
    hooks: OperationHooks = NO_HOOKS,
) -> Item | None:
    """``getX``: v2 reads with a Query on the key so the auth filter applies (Unauthorized when it
    removes the item); v1 reads with GetItem and checks the item afterwards."""
    step = hooks.before_data(DataStep(args, ctx.policy.read_filter(model, "get", ctx.identity)))
    auth_filter = step.auth_filter
    key = object_key(model, model.primary_key, step.args)
    if ctx.api.version == "v1":
        item = get_by_key(ctx, model, key)
        if item is not None and not ctx.policy.visible_items(model, ctx.identity, [item]):
            raise unauthorized(field_name, parent)
        return item
    if auth_filter is None:
        # Without a filter the Query reads exactly what GetItem reads, and GetItem stays O(1) as
        # the table grows (moto's Query walks every item of the table).
        return get_by_key(ctx, model, key)
    return query_by_key(ctx, model, key, auth_filter, field_name, parent)


def get_by_key(ctx: ResolverContext, model: ModelSpec, key: Mapping[str, Any]) -> Item | None:
    """A GetItem (v1 get and belongs-to)."""
    response = call(ctx, "get_item", TableName=ctx.table_name(model.name), Key=to_item(key))
    return from_item(response.get("Item"))


def query_by_key(
    ctx: ResolverContext,
    model: ModelSpec,
    key: Mapping[str, Any],
    auth_filter: FilterInput | None,
    field_name: str,
    parent: str,
) -> Item | None:
    """v2's get: Query on the full key + auth filter; one item read but none kept -> Unauthorized."""
    placeholders = Placeholders()
    condition = " AND ".join(f"{placeholders.name(name)} = {placeholders.value(value)}" for name, value in key.items())
    request = PageRequest(
        table=ctx.table_name(model.name),
        operation="query",
        placeholders=placeholders,
        key_condition=condition,
        filter=compile_filter(auth_filter, placeholders),
    )
    page = read_page(ctx, request)
    if page.items and page.scanned_count == 1:
        return page.items[0]
    if not page.items and page.scanned_count == 1:
        raise unauthorized(field_name, parent)
    return None


def list_items(
    ctx: ResolverContext,
    model: ModelSpec,
    args: Mapping[str, Any],
    *,
    label: str,
    index: str | None = None,
    is_list: bool = True,
    operation: ReadOperation = "list",
    hooks: OperationHooks = NO_HOOKS,
) -> dict[str, Any]:
    """``listX`` (Scan, or Query when the partition argument is given) and index queries.

    Returns AppSync's result shape ``{items, nextToken, scannedCount}``.
    """
    step = hooks.before_data(DataStep(args, ctx.policy.read_filter(model, operation, ctx.identity)))
    args, auth_filter = step.args, step.auth_filter
    key: KeySpec = model.index(index).key if index else model.primary_key
    validate_sort_direction(key, args, is_list=is_list)
    placeholders = Placeholders()
    condition = key_condition(model, key, args, placeholders)
    user_filter = args.get("filter") or None
    request = PageRequest(
        table=ctx.table_name(model.name),
        operation="query" if condition or not is_list else "scan",
        placeholders=placeholders,
        index=index,
        key_condition=condition,
        limit=_limit(args, DEFAULT_LIMIT),
        next_token=args.get("nextToken"),
        forward=args.get("sortDirection") != "DESC",
    )
    return run_list_page(ctx, model, request, label=label, user_filter=user_filter, auth_filter=auth_filter)


def run_list_page(
    ctx: ResolverContext,
    model: ModelSpec,
    request: PageRequest,
    *,
    label: str,
    user_filter: FilterInput | None,
    auth_filter: FilterInput | None,
) -> dict[str, Any]:
    """Filter placement by version, the read, v1's post-filter, and the trap bookkeeping."""
    in_expression = combine_and(auth_filter, user_filter) if ctx.api.version == "v2" else user_filter
    request.filter = compile_filter(in_expression, request.placeholders)
    page = read_page(ctx, request)
    items = page.items if ctx.api.version == "v2" else ctx.policy.visible_items(model, ctx.identity, page.items)
    note_page(
        ctx,
        label,
        model,
        limit=request.limit or DEFAULT_LIMIT,
        read=page.scanned_count,
        kept=len(items),
        has_next=page.next_token is not None,
        user_filter=user_filter,
        auth_filter=auth_filter,
    )
    return {"items": items, "nextToken": page.next_token, "scannedCount": page.scanned_count}


def _limit(args: Mapping[str, Any], default: int) -> int:
    limit = args.get("limit")
    return default if limit is None else int(limit)
