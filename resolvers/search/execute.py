"""One ``_search`` on an index: query, total, sort, ``search_after``/``from``/``size``, aggregations.

The request and response keep OpenSearch's shape (hits with their ``_source`` and ``sort`` values,
``hits.total``, aggregation bodies), so the resolver reads them as Amplify's response templates
read OpenSearch's answer. OpenSearch's request checks come first and fail as it fails: a negative
``size`` or ``from``, ``from + size`` past the 10,000-hit window, ``from`` together with
``search_after``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.resolvers.search.aggregations import Aggregation, aggregate, check_aggregation
from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.index import Item, SearchIndex
from emulator.resolvers.search.query import Query
from emulator.resolvers.search.sorting import SortField, check_sortable, hit_sort_values, page_of_hits

MAX_RESULT_WINDOW = 10_000


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    sort: tuple[SortField, ...]
    size: int = 10
    offset: int = 0  # ``from``
    search_after: Sequence[Any] | None = None
    aggregations: tuple[Aggregation, ...] = ()
    track_total_hits: int | None = None  # counts exactly up to this many (None: exact)


@dataclass(frozen=True)
class Hit:
    source: Item
    sort: list[Any]


@dataclass(frozen=True)
class SearchResponse:
    hits: list[Hit]
    total: int
    aggregations: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_request(request: SearchRequest) -> None:
    if request.size < 0:
        raise BadQuery(f"[size] parameter cannot be negative, found [{request.size}]")
    if request.offset < 0:
        raise BadQuery(f"[from] parameter cannot be negative, found [{request.offset}]")
    if request.search_after is not None and request.offset > 0:
        raise BadQuery("`from` parameter must be set to 0 when `search_after` is used.")
    window = request.offset + request.size
    if window > MAX_RESULT_WINDOW:
        raise BadQuery(f"Result window is too large, from + size must be less than or equal to: "
                       f"[{MAX_RESULT_WINDOW}] but was [{window}]. See the scroll api for a more efficient way to "
                       "request large data sets. This limit can be set by changing the "
                       "[index.max_result_window] index level setting.")


def run_search(index: SearchIndex, request: SearchRequest) -> SearchResponse:
    """Run ``request`` on ``index`` (the caller holds the index's lock)."""
    check_request(request)
    check_sortable(index, request.sort)
    for aggregation in request.aggregations:
        check_aggregation(index, aggregation)
    matched = request.query.matches(index)
    total = len(matched)
    if request.track_total_hits is not None:
        total = min(total, request.track_total_hits)
    hits: list[Hit] = []
    if request.size > 0 and matched:
        page = page_of_hits(index, matched, request.sort, request.offset, request.size, request.search_after)
        hits = [Hit(index.docs[o].source, hit_sort_values(index, o, request.sort)) for o in page]
    aggregations = {a.name: aggregate(index, matched, a) for a in request.aggregations}
    return SearchResponse(hits, total, aggregations)
