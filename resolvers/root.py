"""``resolve_root``: the Query/Mutation fields of ``@model`` types, dispatched by kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.apimodel import RootField
from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.loader import forget_loaded, remember_siblings
from emulator.resolvers.operation_hooks import NO_HOOKS, OperationHooks
from emulator.resolvers.reads import get_item, list_items
from emulator.resolvers.search.resolver import search_items
from emulator.resolvers.sync_query import sync_items
from emulator.resolvers.writes import create_item, delete_item, update_item

WRITERS = {"create": create_item, "update": update_item, "delete": delete_item}


def resolve_root(ctx: ResolverContext, root: RootField, args: Mapping[str, Any], hooks: OperationHooks = NO_HOOKS) -> Any:
    """Serve a root field of kind get/list/query/search/create/update/delete.

    Returns the item (or ``None``) for get and mutations, ``{items, nextToken, scannedCount}``
    for list and query, ``{items, nextToken, total[, aggregateItems]}`` for search; raises
    ``AppSyncError`` in AppSync's shapes. ``hooks``: the project's slots between the operation's
    auth and data steps (``resolvers.operation_hooks``).
    """
    if root.model is None or root.model not in ctx.api.models:
        raise AppSyncError(f"{root.parent}.{root.name} is not backed by a model", "MappingTemplate")
    model = ctx.api.models[root.model]
    if root.kind == "get":
        return get_item(ctx, model, args, root.name, root.parent, hooks)
    if root.kind in ("list", "query"):
        result = list_items(ctx, model, args, label=root.name, index=root.index, is_list=root.kind == "list", hooks=hooks)
        remember_siblings(ctx, result["items"])
        return result
    if root.kind == "search":
        result = search_items(ctx, model, args, root.name)
        remember_siblings(ctx, result["items"])
        return result
    if root.kind == "sync" and model.sync is not None:  # DataStore's syncX (emulator.resolvers.sync_query)
        result = sync_items(ctx, model, args)
        remember_siblings(ctx, result["items"])
        return result
    if root.kind in WRITERS:
        forget_loaded(ctx)
        return WRITERS[root.kind](ctx, model, args, hooks)
    raise AppSyncError(f"{root.parent}.{root.name} ({root.kind}) is not a model operation", "MappingTemplate")
