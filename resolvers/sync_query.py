"""``syncX(filter, limit, nextToken, lastSync)``: a versioned model's Sync, as Amplify's templates ask for it.

v2 ANDs the auth filter (operation ``sync``) with the ``filter`` argument into the Sync's filter;
v1 sends the filter alone and drops the items the caller may not see afterwards, as for lists.
The default ``limit`` is 100.

v2 also has a ``preAuth`` slot on models with ``@primaryKey``/``@index``: when the filter is an
``and`` list whose first entry is an ``eq`` on one of those keys' partition field (as DataStore's
selective sync sends it), a base-table Sync becomes a Query on that key, the second entry
becoming its sort-key condition when it names the sort field, the rest the filter (entries after
the first are merged into one filter, and what else the first entry held is dropped, as there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.apimodel import KeySpec, ModelSpec
from emulator.resolvers.context import FilterInput, ResolverContext
from emulator.resolvers.filters import combine_and, compile_filter
from emulator.resolvers.keys import SORT_OPERATORS, key_condition
from emulator.resolvers.sync import DEFAULT_LIMIT, SyncRequest, reads_delta, run_sync
from emulator.resolvers.versioning import DELTA_SYNC_TABLE


@dataclass(frozen=True)
class _KeyedQuery:
    """What the preAuth slot makes of a filter: a key, its condition arguments, the filter left."""

    index: str | None
    key: KeySpec
    arguments: dict[str, Any]
    rest: FilterInput | None


def sync_items(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any]) -> dict[str, Any]:
    """``{items, nextToken, startedAt}`` of one ``syncX`` page."""
    assert model.sync is not None
    auth_filter = ctx.policy.read_filter(model, "sync", ctx.identity)
    user_filter = args.get("filter") or None
    request = SyncRequest(
        table=ctx.table_name(model.name),
        delta_table=ctx.table_name(DELTA_SYNC_TABLE),
        delta_sync_table_ttl=model.sync.delta_sync_table_ttl,
        limit=DEFAULT_LIMIT if args.get("limit") is None else int(args["limit"]),
        next_token=args.get("nextToken"),
        last_sync=args.get("lastSync"),
    )
    v2 = ctx.api.version == "v2"
    keyed = _keyed_query(model, user_filter, auth_filter) if v2 else None
    if keyed is not None and not reads_delta(ctx, request):
        request.index = keyed.index
        request.key_condition = key_condition(model, keyed.key, keyed.arguments, request.placeholders)
        request.filter = compile_filter(keyed.rest, request.placeholders)
    else:
        request.filter = compile_filter(combine_and(auth_filter, user_filter) if v2 else user_filter,
                                        request.placeholders)
    result = run_sync(ctx, request)
    if not v2:
        result["items"] = ctx.policy.visible_items(model, ctx.identity, result["items"])
    return result


def _keyed_query(model: ModelSpec, user_filter: FilterInput | None, auth_filter: FilterInput | None) -> _KeyedQuery | None:
    """The Query the preAuth slot makes of ``filter: {and: [{pk: {eq}}, {sk: {...}}, ...]}``, if any."""
    conjuncts = user_filter.get("and") if isinstance(user_filter, Mapping) else None
    query_keys = model.sync.query_keys if model.sync is not None else ()
    if not isinstance(conjuncts, list) or not conjuncts or not query_keys:
        return None
    by_partition = {key.partition: (index, key) for index, key in query_keys}
    by_sort = {(key.partition, key.sort[0]): (index, key) for index, key in query_keys if len(key.sort) == 1}
    chosen: tuple[str | None, KeySpec] | None = None
    arguments: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    partition: str | None = None
    for position, entry in enumerate(conjuncts):
        for name, value in (entry or {}).items():
            if position == 0 and isinstance(value, Mapping) and value.get("eq") not in (None, "") and name in by_partition:
                partition, chosen = name, by_partition[name]
                arguments = {name: value["eq"]}
            if position == 1 and partition is not None and (partition, name) in by_sort and _key_condition(value):
                chosen = by_sort[(partition, name)]
                arguments[name] = value
            elif position > 0:
                rest[name] = value
    if chosen is None or partition is None:
        return None
    index, key = chosen
    rest_filter: FilterInput | None = rest or None
    if auth_filter:
        alternatives = auth_filter.get("or") or [auth_filter]
        if any(partition in alternative for alternative in alternatives):
            if not any(alternative == {partition: {"eq": arguments[partition]}} for alternative in alternatives):
                return None  # the caller's own partition only: a Scan with the auth filter decides
        elif any(part in alternative for alternative in alternatives for part in key.sort):
            return None
        else:
            rest_filter = combine_and(rest_filter, auth_filter)
    return _KeyedQuery(index, key, arguments, rest_filter)


def _key_condition(value: Any) -> bool:
    """A sort-key entry the slot can turn into a key condition (one of its operators)."""
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in SORT_OPERATORS
