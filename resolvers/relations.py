"""Relational fields: v2 ``@hasMany/@hasOne/@belongsTo/@manyToMany`` and v1 ``@connection``.

* Connections (hasMany, manyToMany through the join model, v1 list connections) are a Query on
  the related table or index with the parent's key value, the optional sort-key condition
  argument, ``filter``, ``limit`` (default ``RelationSpec.limit``), ``nextToken`` and
  ``sortDirection``: the same page machinery and list trap as root lists.
* Single items (hasOne, belongsTo, v1 belongs-to) use the related primary key: v2 a Query with
  the auth filter (empty FK value becomes ``___xamznone____``; read-but-filtered is
  Unauthorized), v1 a GetItem. When no auth filter applies, the lookup is batched across sibling
  parents by ``resolvers.loader``. A hasOne by ``references`` (Gen 2) is the first item of a Query
  on the child's relation index, with the auth filter (items read but all filtered: Unauthorized).
* A parent that came from a mutation passes ``__operation`` on to its children, as Amplify does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.apimodel import ModelSpec, RelationSpec
from emulator.errors import unauthorized
from emulator.resolvers.context import Item, ResolverContext
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.filters import compile_filter
from emulator.resolvers.keys import NONE_VALUE, composite_value, sort_argument_name, sort_condition, typed
from emulator.resolvers.loader import load_related, remember_siblings
from emulator.resolvers.reads import PageRequest, get_by_key, query_by_key, read_page, run_list_page
from emulator.resolvers.writes import OPERATION_MARK


def resolve_relation(
    ctx: ResolverContext, model: ModelSpec, relation: RelationSpec, source: Item, args: Mapping[str, Any]
) -> Any:
    """Resolve ``model.<relation.field>`` for the parent item ``source``."""
    related = ctx.api.models[relation.related_model]
    if relation.kind in ("hasMany", "manyToMany"):
        return connection(ctx, model, related, relation, source, args)
    return single_item(ctx, model, related, relation, source)


def connection(
    ctx: ResolverContext,
    model: ModelSpec,
    related: ModelSpec,
    relation: RelationSpec,
    source: Item,
    args: Mapping[str, Any],
) -> dict[str, Any]:
    values = [source.get(name) for name in relation.source_fields]
    if not values or values[0] is None:
        return {"items": [], "nextToken": None}
    placeholders = Placeholders()
    request = PageRequest(
        table=ctx.table_name(related.name),
        operation="query",
        placeholders=placeholders,
        index=relation.index,
        key_condition=_connection_condition(related, relation, values, args, placeholders),
        limit=relation.limit if args.get("limit") is None else int(args["limit"]),
        next_token=args.get("nextToken"),
        forward=args.get("sortDirection") != "DESC",
    )
    result = run_list_page(
        ctx,
        related,
        request,
        label=f"{model.name}.{relation.field}",
        user_filter=args.get("filter") or None,
        auth_filter=ctx.policy.read_filter(related, "list", ctx.identity),
    )
    result["items"] = [_inherit_operation(source, item) for item in result["items"]]
    remember_siblings(ctx, result["items"])
    return result


def _connection_condition(
    related: ModelSpec, relation: RelationSpec, values: list[Any], args: Mapping[str, Any], placeholders: Placeholders
) -> str:
    """``#pk = :pk`` plus the sort key: from the parent's further fields, else the argument."""
    key = relation.target_key
    condition = f"{placeholders.name(key.partition)} = {placeholders.value(typed(related, key.partition, values[0]))}"
    if key.sort_attribute and len(values) > 1:
        sort_value = composite_value(values[1:]) if len(values) > 2 else typed(related, key.sort_attribute, values[1])
        return f"{condition} AND {placeholders.name(key.sort_attribute)} = {placeholders.value(sort_value)}"
    argument = sort_argument_name(key)
    sort = sort_condition(related, key, argument, args.get(argument) if argument else None, placeholders)
    return f"{condition} AND {sort}" if sort else condition


def single_item(
    ctx: ResolverContext, model: ModelSpec, related: ModelSpec, relation: RelationSpec, source: Item
) -> Item | None:
    values = [source.get(name) for name in relation.source_fields]
    if not values or values[0] is None or (ctx.api.version == "v2" and any(value is None for value in values)):
        return None
    if relation.index:
        return _inherit_operation(source, _first_on_index(ctx, model, related, relation, values))
    complete = len(values) >= len(relation.target_key.fields)
    if ctx.api.version == "v1":
        item = _by_primary_key(ctx, related, relation, source, complete)
        if item is not None and not ctx.policy.visible_items(related, ctx.identity, [item]):
            raise unauthorized(relation.field, model.name)
        return _inherit_operation(source, item)
    auth_filter = ctx.policy.read_filter(related, "get", ctx.identity)
    if auth_filter is None and complete:
        item = load_related(ctx, related, source, lambda parent: _related_key(related, relation, parent))
    else:
        key = _related_key(related, relation, source) or {}
        item = query_by_key(ctx, related, key, auth_filter, relation.field, model.name)
    return _inherit_operation(source, item)


def _by_primary_key(
    ctx: ResolverContext, related: ModelSpec, relation: RelationSpec, source: Item, complete: bool
) -> Item | None:
    """v1's GetItem, batched across siblings when the parent names the whole key."""
    if complete:
        return load_related(ctx, related, source, lambda parent: _related_key(related, relation, parent))
    return get_by_key(ctx, related, _related_key(related, relation, source) or {})


def _related_key(related: ModelSpec, relation: RelationSpec, parent: Item) -> dict[str, Any] | None:
    """The related item's key from the parent's fields, with Amplify's blank-FK stand-in."""
    values = [parent.get(name) for name in relation.source_fields]
    if not values or values[0] is None:
        return None
    key = relation.target_key
    result = {key.partition: _or_none_value(related, key.partition, values[0])}
    if key.sort_attribute and len(values) > 1:
        if key.is_composite:
            joined = composite_value(values[1:])
            result[key.sort_attribute] = joined if joined.strip("#") else NONE_VALUE
        else:
            result[key.sort_attribute] = _or_none_value(related, key.sort_attribute, values[1])
    return result


def _or_none_value(model: ModelSpec, attribute: str, value: Any) -> Any:
    """``$util.defaultIfNullOrBlank(v, "___xamznone____")`` for string keys, ``defaultIfNull`` else."""
    if model.key_types.get(attribute, "S") == "S":
        text = typed(model, attribute, value)
        return NONE_VALUE if text is None or not str(text).strip() else text
    return NONE_VALUE if value is None else value


def _first_on_index(ctx: ResolverContext, model: ModelSpec, related: ModelSpec, relation: RelationSpec,
                    values: list[Any]) -> Item | None:
    """A single-valued connection through an index: the first item of the Query (v2: auth filter
    applied; items read but none kept is Unauthorized, as Amplify's response template says)."""
    placeholders = Placeholders()
    auth_filter = ctx.policy.read_filter(related, "get", ctx.identity) if ctx.api.version == "v2" else None
    request = PageRequest(
        table=ctx.table_name(related.name),
        operation="query",
        placeholders=placeholders,
        index=relation.index,
        key_condition=_connection_condition(related, relation, values, {}, placeholders),
        filter=compile_filter(auth_filter, placeholders),
    )
    page = read_page(ctx, request)
    if not page.items and page.scanned_count > 0 and auth_filter is not None:
        raise unauthorized(relation.field, model.name)
    return page.items[0] if page.items else None


def _inherit_operation(source: Item, item: Item | None) -> Item | None:
    if item is not None and OPERATION_MARK in source:
        item[OPERATION_MARK] = source[OPERATION_MARK]
    return item
