"""Sorting hits and ``search_after``, as OpenSearch orders them.

A sort is a list of fields, each ascending or descending, on ``<field>.keyword`` for strings.
A document with several values sorts by its smallest (ascending) or largest (descending); one
with none sorts last either way (``missing: _last``). Each hit carries its sort values, which is
what Amplify turns into ``nextToken``; ``search_after`` then returns the documents strictly after
those values in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.fields import BadValue, field_value
from emulator.resolvers.search.index import SearchIndex


@dataclass(frozen=True)
class SortField:
    name: str
    descending: bool = True
    keyword: bool = False  # sort on ``<name>.keyword`` (text fields)

    @property
    def path(self) -> str:
        return f"{self.name}.keyword" if self.keyword else self.name


def check_sortable(index: SearchIndex, sort: Sequence[SortField]) -> None:
    for spec in sort:
        kind = index.kinds.get(spec.name)
        if kind is None or (spec.keyword and kind != "text"):
            raise BadQuery(f"No mapping found for [{spec.path}] in order to sort on")
        if kind == "text" and not spec.keyword:
            raise BadQuery(f"Text fields are not optimised for operations that require per-document field data "
                           f"like aggregations and sorting, so these operations are disabled by default. Please use "
                           f"a keyword field instead. Alternatively, set fielddata=true on [{spec.name}] in order to "
                           f"load field data by uninverting the inverted index.")


def _sort_values(index: SearchIndex, spec: SortField) -> dict[int, Any]:
    """Document -> the value it sorts by on ``spec`` (absent when it has none)."""
    return (index.highest if spec.descending else index.lowest)[spec.name]


def sort_value(index: SearchIndex, ordinal: int, spec: SortField) -> Any:
    """The value a document sorts by on ``spec`` (None when it has none)."""
    return _sort_values(index, spec).get(ordinal)


def page_of_hits(index: SearchIndex, matched: set[int], sort: Sequence[SortField], offset: int, size: int,
                 after: Sequence[Any] | None) -> list[int]:
    """The ``size`` hits of ``matched`` after ``offset`` hits (or after the sort values ``after``).

    A search matching a large part of the index walks the index's whole order for this sort,
    computed once and kept until the index changes, and stops at the page's end; a narrow one
    sorts its own matches."""
    if len(matched) * 8 >= len(index):
        ordered = index.orderings.get(tuple(sort))
        if ordered is None:
            ordered = index.orderings[tuple(sort)] = _sorted(index, index.all(), sort)
        start = after_position(index, ordered, sort, after) if after is not None else 0
        page: list[int] = []
        skip = offset
        for ordinal in islice(ordered, start, None):
            if ordinal in matched:
                if skip:
                    skip -= 1
                    continue
                page.append(ordinal)
                if len(page) >= size:
                    break
        return page
    ordered = _sorted(index, matched, sort)
    start = after_position(index, ordered, sort, after) if after is not None else offset
    return ordered[start:start + size]


def _sorted(index: SearchIndex, matched: set[int], sort: Sequence[SortField]) -> list[int]:
    """``matched`` in sort order; full ties keep index order (one stable sort per field, last first)."""
    ordered = sorted(matched)
    for spec in reversed(sort):
        values = _sort_values(index, spec)
        present = [o for o in ordered if o in values]
        if len(present) < len(ordered):
            missing = [o for o in ordered if o not in values]
        else:
            missing = []
        present.sort(key=values.__getitem__, reverse=spec.descending)
        ordered = present + missing
    return ordered


def after_position(index: SearchIndex, ordered: list[int], sort: Sequence[SortField], after: Sequence[Any]) -> int:
    """The position of the first hit strictly after the sort values ``after``."""
    if len(after) != len(sort):
        raise BadQuery(f"search_after has {len(after)} value(s) but sort has {len(sort)}.")
    wanted = [_after_value(index, spec, value) for spec, value in zip(sort, after, strict=True)]
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        values = [sort_value(index, ordered[middle], spec) for spec in sort]
        if _compare(values, wanted, sort) > 0:
            high = middle
        else:
            low = middle + 1
    return low


def _after_value(index: SearchIndex, spec: SortField, value: Any) -> Any:
    if value is None:
        return None
    kind = index.kinds[spec.name]
    try:
        return field_value("text" if spec.keyword else kind, value)
    except BadValue as error:
        raise BadQuery(f"Failed to parse search_after value for field [{spec.path}]: {error}") from error


def _compare(values: Sequence[Any], wanted: Sequence[Any], sort: Sequence[SortField]) -> int:
    for value, target, spec in zip(values, wanted, sort, strict=True):
        if value == target:
            continue
        if value is None:
            return 1  # missing sorts last
        if target is None:
            return -1
        try:
            less = value < target
        except TypeError as error:
            raise BadQuery(f"Failed to parse search_after value for field [{spec.path}]") from error
        return (1 if less else -1) if spec.descending else (-1 if less else 1)
    return 0


def hit_sort_values(index: SearchIndex, ordinal: int, sort: Sequence[SortField]) -> list[Any]:
    return [sort_value(index, ordinal, spec) for spec in sort]
