"""A per-request loader: one BatchGetItem for the belongs-to items of all sibling parents.

graphql-core resolves a list's items one after another, so N posts would each fetch their blog
with a call of their own. List results register their items as siblings here; the first
belongs-to lookup among them fetches the keys of every sibling in one BatchGetItem (split at
100 keys) and the others are answered from the request's memo. The memo lives in
``ctx.loaders`` (one request), and mutations clear it so later fields never see stale items.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from emulator.apimodel import ModelSpec
from emulator.resolvers.batch import batch_get
from emulator.resolvers.context import Item, ResolverContext
from emulator.resolvers.values import to_item

SIBLINGS = "siblings"
LOADED = "loaded"

KeyOf = Callable[[Item], dict[str, Any] | None]


def remember_siblings(ctx: ResolverContext, items: list[Item]) -> None:
    """Items returned together by one list/query: their relations may be loaded together."""
    groups: dict[int, list[Item]] = ctx.loaders.setdefault(SIBLINGS, {})
    for item in items:
        groups[id(item)] = items  # the list keeps each item alive, so its id() stays unique


def siblings_of(ctx: ResolverContext, item: Item) -> list[Item]:
    return ctx.loaders.get(SIBLINGS, {}).get(id(item), [item])


def forget_loaded(ctx: ResolverContext) -> None:
    """Drop memoised items (before a write in the same request)."""
    ctx.loaders.pop(LOADED, None)


def load_related(ctx: ResolverContext, model: ModelSpec, source: Item, key_of: KeyOf) -> Item | None:
    """The ``model`` item whose key ``key_of(source)`` names, batched across ``source``'s siblings."""
    key = key_of(source)
    if key is None:
        return None
    table = ctx.table_name(model.name)
    memo: dict[str, Item | None] = ctx.loaders.setdefault(LOADED, {})
    wanted = _fingerprint(table, key)
    if wanted not in memo:
        keys = [key, *(k for sibling in siblings_of(ctx, source) if (k := key_of(sibling)) is not None)]
        missing = [k for k in keys if _fingerprint(table, k) not in memo]
        found = batch_get(ctx, {table: missing}).get(table, [])
        for missing_key in missing:
            memo[_fingerprint(table, missing_key)] = None
        for item in found:
            memo[_fingerprint(table, {name: item.get(name) for name in key})] = item
    item = memo[wanted]
    return None if item is None else dict(item)


def _fingerprint(table: str, key: Mapping[str, Any]) -> str:
    return table + "\x00" + json.dumps(to_item(key), sort_keys=True, default=str)
