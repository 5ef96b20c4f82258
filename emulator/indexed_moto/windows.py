"""The window a Query or Scan reads: found by bisecting an ordering, never by walking the table.

moto's ``Table.query``/``Table.scan`` take every item of the table (or index), sort them, then run
one loop that skips to the ExclusiveStartKey, applies the key condition, stops on Limit or 1 MB
and sets LastEvaluatedKey. A window is the part of that sorted list the loop would actually read:
from the first item after the start key (and inside the key condition) to the Limit-th item, or
to the item that would take the page past 1 MB (kept so the loop sees it and stops with a
LastEvaluatedKey, exactly as on the whole list). moto's loop then runs unchanged on the window.

Where the window cannot be derived with certainty (legacy QueryFilter/ScanFilter, multi-attribute
index keys, a start key or key condition of another type, a malformed start key, Limit 0) the
functions return None and the caller runs moto's own path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, Table

from emulator.indexed_moto.ordering import TOP, Ordering, is_orderable, key_value
from emulator.indexed_moto.table_index import index_of

_RANGE_COMPARISONS = {"=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH"}


@dataclass
class Window:
    """What moto's loop reads (ascending, as it sorts), and the Limit-th item read, if Limit
    ended the page: DynamoDB then returns a LastEvaluatedKey even when nothing follows."""

    items: list[Item] = field(default_factory=list)
    limit_reached_on: Item | None = None


@dataclass(frozen=True)
class QueryShape:
    """The parts of a Query the window depends on."""

    index_name: str | None
    hash_key: DynamoType | None
    hash_key_conditions: list[tuple[str, DynamoType]]
    range_key_conditions: list[tuple[str, str, list[DynamoType]]]
    exclusive_start_key: dict[str, Any] | None
    forward: bool
    limit: int | None


def _start_values(ordering: Ordering, start_key: dict[str, Any] | None) -> tuple[Any, ...] | None | bool:
    """The start key as ordering values; None when absent, False when it cannot be placed."""
    if start_key is None:
        return None
    if not isinstance(start_key, dict):
        return False
    values = []
    for name, declared in ordering.signature.sort:
        raw = start_key.get(name)
        if not isinstance(raw, dict) or len(raw) != 1:
            return False
        value = key_value(DynamoType(raw), declared)
        if not is_orderable(value):
            return False
        values.append(value)
    return tuple(values)


def _valid_limit(limit: Any) -> bool:
    return limit is None or (isinstance(limit, int) and not isinstance(limit, bool) and limit > 0)


def _collect(items: Iterator[Item], accept: Any, limit: int | None) -> Window:
    """Read items while ``accept(item)`` holds: up to ``limit`` of them, or up to and including
    the item that takes the page past moto's 1 MB (moto's loop stops on it)."""
    window = Window()
    size = 0
    for item in items:
        verdict = accept(item)
        if verdict is None:  # outside the key condition or partition: nothing further matches
            break
        if verdict is False:  # not in this scan segment: skipped, as moto's loop skips it
            continue
        item_size = item.size()
        window.items.append(item)
        if size + item_size > RESULT_SIZE_LIMIT:
            return window  # the loop stops on this item, its LastEvaluatedKey is the one before
        size += item_size
        if limit is not None and len(window.items) == limit:
            window.limit_reached_on = item
            return window
    return window


def query_window(table: Table, shape: QueryShape) -> Window | None:
    """The window of a Query, or None for moto's own path."""
    if not _valid_limit(shape.limit):
        return None
    if shape.index_name is None:
        ordering = index_of(table).primary
        partition_attr, range_attr = table.hash_key_attr, table.range_key_attr
        if shape.hash_key is None:
            return None
        partition = shape.hash_key
    else:
        index = {i.name: i for i in table.all_indexes()}.get(shape.index_name)
        table_index = index_of(table)
        signature = table_index.query_signature(index) if index is not None else None
        if signature is None:
            return None
        ordering = table_index.ordering(signature)
        partition_attr = signature.members[0]
        range_attr = signature.members[1] if len(signature.members) > 1 else None
        if [name for name, _ in shape.hash_key_conditions] != [partition_attr]:
            return None
        partition = shape.hash_key_conditions[0][1]
    if not ordering.usable or ordering.signature.sort[0][0] != partition_attr:
        return None
    prefix = key_value(partition, ordering.signature.sort[0][1])
    condition = _range_condition(ordering, shape.range_key_conditions, range_attr)
    start = _start_values(ordering, shape.exclusive_start_key)
    if not is_orderable(prefix) or condition is False or start is False:
        return None
    if shape.forward:
        window = _forward(ordering, prefix, condition, start, shape.limit)
    else:
        window = _backward(ordering, prefix, condition, start, shape.limit)
        window.items.reverse()  # moto sorts ascending, then reverses for ScanIndexForward=false
    return window


def _range_condition(ordering: Ordering, conditions: list[tuple[str, str, list[DynamoType]]],
                     range_attr: str | None) -> Any:
    """(comparison, bound values, moto's operands) for the key condition on the sort key;
    None when there is none, False when the window cannot honour it."""
    if not conditions:
        return None
    if len(conditions) != 1 or range_attr is None or len(ordering.signature.sort) < 2:
        return False
    name, comparison, operands = conditions[0]
    sort_name, declared = ordering.signature.sort[1]
    if name != range_attr or sort_name != range_attr or comparison not in _RANGE_COMPARISONS:
        return False
    values = [key_value(operand, declared) for operand in operands]
    if not values or not all(is_orderable(v) for v in values):
        return False
    if comparison == "BEGINS_WITH" and not isinstance(values[0], str):
        return False
    if comparison == "BETWEEN" and len(values) != 2:
        return False
    return comparison, values, operands


def _accept_partition(ordering: Ordering, prefix: Any, condition: Any) -> Any:
    """Accepts the items of one partition that meet the key condition (moto's own comparison)."""
    range_attr = ordering.signature.sort[1][0] if condition is not None else ""

    def accept(item: Item) -> bool | None:
        if ordering.key(item)[0] != prefix:
            return None
        if condition is not None:
            comparison, _, operands = condition
            if not item.attrs[range_attr].compare(comparison, operands):
                return None
        return True

    return accept


def _forward(ordering: Ordering, prefix: Any, condition: Any, start: tuple[Any, ...] | None,
             limit: int | None) -> Window:
    entries = ordering.entries
    first = entries.bisect_key_left((prefix,))
    if condition is not None:
        comparison, values, _ = condition
        if comparison in ("=", ">=", "BETWEEN", "BEGINS_WITH"):
            first = entries.bisect_key_left((prefix, values[0]))
        elif comparison == ">":
            first = entries.bisect_key_left((prefix, values[0], TOP))
    if start is not None:
        first = max(first, entries.bisect_key_right(start))
    return _collect(entries.islice(first), _accept_partition(ordering, prefix, condition), limit)


def _backward(ordering: Ordering, prefix: Any, condition: Any, start: tuple[Any, ...] | None,
              limit: int | None) -> Window:
    entries = ordering.entries
    stop = entries.bisect_key_left((prefix, TOP))
    if condition is not None:
        comparison, values, _ = condition
        if comparison in ("=", "<="):
            stop = entries.bisect_key_left((prefix, values[0], TOP))
        elif comparison == "BETWEEN":
            stop = entries.bisect_key_left((prefix, values[1], TOP))
        elif comparison == "<":
            stop = entries.bisect_key_left((prefix, values[0]))
        elif comparison == "BEGINS_WITH":
            successor = _prefix_successor(values[0])
            if successor is not None:
                stop = entries.bisect_key_left((prefix, successor))
    if start is not None:
        stop = min(stop, entries.bisect_key_left(start))
    return _collect(entries.islice(0, stop, reverse=True), _accept_partition(ordering, prefix, condition), limit)


def _prefix_successor(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (None: no bound)."""
    stripped = prefix.rstrip("\U0010ffff")
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def scan_window(table: Table, index_name: str | None, start_key: dict[str, Any] | None, limit: int | None,
                segments: tuple[Any, Any]) -> Window | None:
    """The window of a Scan, or None for moto's own path."""
    if not _valid_limit(limit):
        return None
    if segments != (None, None) and table.hash_key_type != "S" and table.hash_key_type != "N":
        return None  # moto cannot hash a binary key into a segment (HTTP 500): left to moto
    if index_name is None:
        ordering = index_of(table).primary
    else:
        index = {i.name: i for i in table.all_indexes()}.get(index_name)
        table_index = index_of(table)
        signature = table_index.scan_signature(index) if index is not None else None
        if signature is None:
            return None
        ordering = table_index.ordering(signature)
    start = _start_values(ordering, start_key)
    if not ordering.usable or start is False:
        return None
    entries = ordering.entries
    first = 0 if start is None else entries.bisect_key_right(start)

    def accept(item: Item) -> bool:
        return item.is_within_segment(segments)

    return _collect(entries.islice(first), accept, limit)
