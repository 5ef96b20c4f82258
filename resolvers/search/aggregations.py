"""The aggregations Amplify's ``aggregates`` argument asks for: ``terms``, ``avg``, ``min``,
``max``, ``sum`` and ``cardinality``, each over the documents the query matched.

Amplify wraps each one in a ``filter`` aggregation (``match_all``, or the owner/group filter of a
field only some callers may aggregate), on ``<field>.keyword`` for strings. As in OpenSearch:
``terms`` returns the 10 largest buckets (most documents first, then by key), keys as the field's
values (numbers for numbers and dates, 1/0 for booleans); a metric over no values is null (``sum``
is 0); a metric on a string (``keyword``) field is refused; a document counts once per distinct value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.index import SearchIndex
from emulator.resolvers.search.query import MatchAll, Query

AggregationType = Literal["terms", "avg", "min", "max", "sum", "cardinality"]
TERMS_SIZE = 10


@dataclass(frozen=True)
class Aggregation:
    name: str
    type: AggregationType
    field: str
    keyword: bool = False  # on ``<field>.keyword``
    filter: Query = MatchAll()

    @property
    def path(self) -> str:
        return f"{self.field}.keyword" if self.keyword else self.field


def check_aggregation(index: SearchIndex, aggregation: Aggregation) -> None:
    kind = index.kinds.get(aggregation.field)
    if kind == "text" and not aggregation.keyword:
        raise BadQuery(f"Text fields are not optimised for operations that require per-document field data like "
                       f"aggregations and sorting, so these operations are disabled by default. Please use a keyword "
                       f"field instead. Alternatively, set fielddata=true on [{aggregation.field}] in order to load "
                       f"field data by uninverting the inverted index.")
    if kind == "text" and aggregation.type not in ("terms", "cardinality"):
        raise BadQuery(f"Field [{aggregation.path}] of type [keyword] is not supported for aggregation "
                       f"[{aggregation.type}]")


def _term_counts(index: SearchIndex, name: str, documents: set[int]) -> dict[Any, int]:
    """Documents per value: from the inverted lists when the field has few values, else by document."""
    lists = index.values.get(name, {})
    if len(lists) * 4 < len(documents):
        counts = {value: len(members & documents) for value, members in lists.items()}
        return {value: count for value, count in counts.items() if count}
    column = index.columns.get(name, {})
    return Counter(value for o in documents if o in column for value in set(column[o]))


def aggregate(index: SearchIndex, matched: set[int], aggregation: Aggregation) -> dict[str, Any]:
    """OpenSearch's result body for one aggregation: ``{"buckets": [...]}`` or ``{"value": x}``."""
    kind = index.kinds.get(aggregation.field)
    documents = matched
    if not isinstance(aggregation.filter, MatchAll):
        documents = matched & aggregation.filter.matches(index)
    if kind is None or (aggregation.keyword and kind != "text"):
        documents = set()  # an unmapped field: nothing to aggregate
    if aggregation.type == "terms":
        ranked = sorted(_term_counts(index, aggregation.field, documents).items(),
                        key=lambda entry: (-entry[1], entry[0]))[:TERMS_SIZE]
        return {"buckets": [{"key": key, "doc_count": count} for key, count in ranked]}
    column = index.columns.get(aggregation.field, {})
    values_of = [column[o] for o in documents if o in column]
    if aggregation.type == "cardinality":
        return {"value": len({value for values in values_of for value in values})}
    numbers = [float(value) for values in values_of for value in values]
    if aggregation.type == "sum":
        return {"value": float(sum(numbers))}
    if not numbers:
        return {"value": None}
    if aggregation.type == "avg":
        return {"value": sum(numbers) / len(numbers)}
    return {"value": min(numbers) if aggregation.type == "min" else max(numbers)}
