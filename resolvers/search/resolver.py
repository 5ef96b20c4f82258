"""``searchX``: Amplify's search resolver (request template, auth, response template) on the index.

v2 (``amplify-graphql-searchable-transformer``):

* sort: each ``{field, direction}`` (field defaults to the partition key, direction to ``desc``),
  then every key field not sorted on yet, descending, so the order is total; strings sort on
  ``.keyword``; ``nextToken`` is base64 of the last hit's sort values (set whenever a page has
  items), sent back as ``search_after``; ``limit`` defaults to 100; ``from`` skips hits;
* the ``@auth`` filter goes inside the query (``bool.must``), so ``total`` counts only what the
  caller may see; ``total`` is OpenSearch's ``hits.total.value``, exact up to 10,000;
* ``aggregates`` each run over every matching item, field by field as the caller may
  (``AuthPolicy.search_aggregations``); a forbidden field fails the search with ``Unauthorized``.

v1 (``graphql-elasticsearch-transformer``): one sort field (partition key, ``desc`` by default)
with no tie-break, ``nextToken`` the last hit's sort value as text, ``total`` exact; with owner
or group rules the response template drops the items the caller may not see, and ``total`` and
``nextToken`` then describe the page (absent when it is empty).

OpenSearch refusing the request is ``Elasticsearch:UserIllegalArgumentException`` (the data
source type Amplify creates), with OpenSearch's reason in ``errorInfo``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from emulator.apimodel import AuthRule, ModelSpec
from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.search.aggregations import Aggregation
from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.execute import SearchRequest, SearchResponse
from emulator.resolvers.search.fields import NON_KEYWORD_TYPES
from emulator.resolvers.search.filters import auth_query, filter_query
from emulator.resolvers.search.query import Bool, MatchAll, Query
from emulator.resolvers.search.service import SearchUnavailable
from emulator.resolvers.search.sorting import SortField

DEFAULT_LIMIT = 100
TRACK_TOTAL_HITS = 10_000
ERROR_TYPE = "Elasticsearch:UserIllegalArgumentException"


def search_items(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any], label: str) -> dict[str, Any]:
    """AppSync's result for ``searchX``: ``{items, nextToken, total[, aggregateItems]}``; the
    request log counts the matches as read and the page as returned."""
    result = _search(ctx, model, args)
    ctx.stats.record(label, model.name, result["total"] or 0, len(result["items"]), _limit(args),
                     result["nextToken"] is not None, None)
    return result


def _search(ctx: ResolverContext, model: ModelSpec, args: Mapping[str, Any]) -> dict[str, Any]:
    if ctx.search is None:
        raise AppSyncError("Search is not available in this context.", "AppSyncEmulator:NoSearchService")
    auth_filter = ctx.policy.read_filter(model, "search", ctx.identity)
    table = ctx.search.table(model, ctx.table_name(model.name))
    try:
        if ctx.api.version == "v1":
            return _v1_result(ctx, model, table.search(_v1_request(model, args)))
        aggregations = _aggregations(ctx, model, args.get("aggregates") or ())
        request = _v2_request(model, args, auth_filter, aggregations)
        return _v2_result(table.search(request), aggregations)
    except BadQuery as error:
        raise AppSyncError("Elasticsearch responded with an error: Bad Request", ERROR_TYPE,
                           error_info={"reason": str(error)}) from None
    except SearchUnavailable as error:
        raise AppSyncError(str(error), "AppSyncEmulator:SearchIndexUnavailable") from None


def _keyword(model: ModelSpec, name: str) -> bool:
    spec = model.fields.get(name)
    return spec is None or spec.type_name not in NON_KEYWORD_TYPES


def _sort_field(model: ModelSpec, name: str, direction: str | None) -> SortField:
    return SortField(name, descending=(direction or "desc") == "desc", keyword=_keyword(model, name))


def _user_query(args: Mapping[str, Any]) -> Query | None:
    user_filter = args.get("filter")
    return filter_query(user_filter) if user_filter else None


def _v2_request(model: ModelSpec, args: Mapping[str, Any], auth_filter: Any,
                aggregations: tuple[Aggregation, ...]) -> SearchRequest:
    key = model.primary_key
    sort: list[SortField] = []
    sorted_on: list[str] = []
    for item in args.get("sort") or ():
        name = (item or {}).get("field") or key.partition
        sorted_on.append(name)
        sort.append(_sort_field(model, name, (item or {}).get("direction")))
    sort += [_sort_field(model, name, "desc") for name in key.fields if name not in sorted_on]
    user_query = _user_query(args)
    query: Query = MatchAll()
    if auth_filter:
        authorized = auth_query(auth_filter)
        query = Bool(must=(authorized, user_query)) if user_query is not None else authorized
    elif user_query is not None:
        query = user_query
    return SearchRequest(
        query=query,
        sort=tuple(sort),
        size=_limit(args),
        offset=args.get("from") or 0,
        search_after=_v2_token(args.get("nextToken")),
        aggregations=aggregations,
        track_total_hits=TRACK_TOTAL_HITS,
    )


def _limit(args: Mapping[str, Any]) -> int:
    limit = args.get("limit")
    return DEFAULT_LIMIT if limit is None else int(limit)


def _v2_token(token: str | None) -> list[Any] | None:
    if not token:
        return None
    try:
        values = json.loads(base64.b64decode(token.encode("ascii"), validate=True))
    except (ValueError, UnicodeError, binascii.Error):
        raise AppSyncError("Unable to parse the JSON document: the nextToken is not one this API issued.",
                           "MappingTemplate") from None
    if not isinstance(values, list):
        raise BadQuery("[search_after] must be an array")
    return values


def _aggregations(ctx: ResolverContext, model: ModelSpec, requested: Any) -> tuple[Aggregation, ...]:
    if not requested:
        return ()
    access = ctx.policy.search_aggregations(model, ctx.identity)
    aggregations: dict[str, Aggregation] = {}
    for item in requested:
        name = item["field"]
        if access.allowed is None or name in access.allowed:
            run_filter: Query = MatchAll()
        elif name in access.filtered:
            run_filter = auth_query(access.filtered[name])
        else:
            raise AppSyncError(f"Unauthorized to run aggregation on field: {name}", "Unauthorized")
        aggregations[item["name"]] = Aggregation(item["name"], item["type"], name, _keyword(model, name), run_filter)
    return tuple(aggregations.values())


def _v2_result(response: SearchResponse, aggregations: tuple[Aggregation, ...]) -> dict[str, Any]:
    next_token = None
    if response.hits:
        sort_values = json.dumps(response.hits[-1].sort, separators=(",", ":"))
        next_token = base64.b64encode(sort_values.encode()).decode("ascii")
    return {
        "items": [hit.source for hit in response.hits],
        "nextToken": next_token,
        "total": response.total,
        "aggregateItems": [{"name": a.name, "result": _aggregate_result(response.aggregations[a.name])}
                           for a in aggregations],
    }


def _aggregate_result(body: dict[str, Any]) -> dict[str, Any] | None:
    """The response template's mapping: buckets or a value (neither: no typed result)."""
    if body.get("buckets"):
        return {"__typename": "SearchableAggregateBucketResult", "buckets": body["buckets"]}
    if body.get("value") is not None:
        return {"__typename": "SearchableAggregateScalarResult", "value": body["value"]}
    return None


def _v1_request(model: ModelSpec, args: Mapping[str, Any]) -> SearchRequest:
    sort_input = args.get("sort") or {}
    name = sort_input.get("field") or model.primary_key.partition
    token = args.get("nextToken")
    user_query = _user_query(args)
    return SearchRequest(
        query=user_query if user_query is not None else MatchAll(),
        sort=(_sort_field(model, name, sort_input.get("direction")),),
        size=_limit(args),
        offset=args.get("from") or 0,
        search_after=[token] if token else None,
    )


def _v1_result(ctx: ResolverContext, model: ModelSpec, response: SearchResponse) -> dict[str, Any]:
    items = [hit.source for hit in response.hits]
    next_token = response.hits[-1].sort[0] if response.hits else None
    if not _v1_filters_results(model.auth_rules):
        return {"items": items, "nextToken": next_token, "total": response.total}
    visible = ctx.policy.visible_items(model, ctx.identity, items)
    if not visible:
        return {"items": [], "nextToken": None, "total": None}
    return {"items": visible, "nextToken": next_token, "total": len(visible)}


def _v1_filters_results(rules: tuple[AuthRule, ...] | None) -> bool:
    """v1's search response template filters items when owner or group rules read and no user-pools
    ``public``/``private`` rule does (``authorizationExpressionForListResult``)."""
    readers = [r for r in rules or () if "search" in r.operations]
    if any(r.provider == "userPools" and r.allow in ("public", "private") for r in readers):
        return False
    return any(r.allow in ("owner", "groups") for r in readers)
