"""Query and Scan run moto's own loop on a window; ``all_items`` comes from the table's ordering.

The loop (start-key skip, key condition, Limit, 1 MB, ScannedCount, LastEvaluatedKey, deep copy,
index projection, FilterExpression, ProjectionExpression) stays moto's code: it is handed a
``WindowedTable``, the same table whose item listing is only the window. One fidelity fix is
added on top: when Limit ends a page, DynamoDB returns a LastEvaluatedKey even if no item
follows (clients then read one more, empty page); moto returns none when Limit lands on the last
item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

from emulator.indexed_moto.table_index import ENGINE_LOCK, index_of
from emulator.indexed_moto.windows import QueryShape, Window, query_window, scan_window

log = logging.getLogger("appsync_emulator.engine")


@dataclass
class ReadCounts:
    """How reads were answered (for tests and diagnostics): on a window, or by moto's own path."""

    windowed: int = 0
    stock: int = 0
    window_errors: int = 0


COUNTS = ReadCounts()


class WindowedTable:
    """A table as moto's Query/Scan loop sees it: the table itself, listing only the window."""

    def __init__(self, table: Table, items: list[Item]) -> None:
        self._table = table
        self._items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> list[Item]:
        return self._items

    def has_idx_items(self, index_name: str) -> list[Item]:
        return self._items


def _window(compute: Callable[[], Window | None]) -> Window | None:
    """Compute a window under the engine lock; an unexpected failure falls back to moto's path."""
    try:
        with ENGINE_LOCK:
            window = compute()
    except Exception:  # a bug here must cost speed, never a wrong or failed answer
        COUNTS.window_errors += 1
        log.exception("engine index: window failed, answering with moto's own path")
        window = None
    if window is None:
        COUNTS.stock += 1
    else:
        COUNTS.windowed += 1
    return window


def _last_evaluated_key(table: Table, window: Window, found: Any, index_name: str | None) -> Any:
    if found is None and window.limit_reached_on is not None:
        return table._get_last_evaluated_key(window.limit_reached_on, index_name)  # noqa: SLF001
    return found


def make_query(stock: Callable[..., Any]) -> Callable[..., Any]:
    def query(self: Table, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any,
              exclusive_start_key: Any, scan_index_forward: Any, projection_expressions: Any,
              index_name: str | None = None, consistent_read: bool = False, filter_expression: Any = None,
              hash_key_conditions: Any = None, range_key_conditions: Any = None, **filter_kwargs: Any) -> Any:
        arguments = (hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                     projection_expressions, index_name, consistent_read, filter_expression)
        keywords = {"hash_key_conditions": hash_key_conditions, "range_key_conditions": range_key_conditions,
                    **filter_kwargs}
        window = None
        if not filter_kwargs:  # legacy QueryFilter: Limit counts after it in moto; left to moto
            shape = QueryShape(index_name, hash_key, list(hash_key_conditions or []), list(range_key_conditions or []),
                               exclusive_start_key, scan_index_forward is not False, limit)
            window = _window(lambda: query_window(self, shape))
        if window is None:
            return stock(self, *arguments, **keywords)
        items, scanned, found = stock(WindowedTable(self, window.items), *arguments, **keywords)
        return items, scanned, _last_evaluated_key(self, window, found, index_name)

    return query


def make_scan(stock: Callable[..., Any]) -> Callable[..., Any]:
    def scan(self: Table, filters: Any, limit: Any, exclusive_start_key: Any, filter_expression: Any = None,
             index_name: str | None = None, consistent_read: bool = False, projection_expression: Any = None,
             segments: Any = (None, None)) -> Any:
        arguments = (filters, limit, exclusive_start_key, filter_expression, index_name, consistent_read,
                     projection_expression)
        window = None
        if not filters:  # legacy ScanFilter: Limit counts after it in moto; left to moto
            window = _window(lambda: scan_window(self, index_name, exclusive_start_key, limit, tuple(segments)))
        if window is None:
            return stock(self, *arguments, segments=segments)
        items, scanned, found = stock(WindowedTable(self, window.items), *arguments, segments=segments)
        return items, scanned, _last_evaluated_key(self, window, found, index_name)

    return scan


def make_all_items(stock: Callable[..., Any]) -> Callable[..., Any]:
    def all_items(self: Table) -> list[Item]:
        """Every item in moto's order, from the table's ordering instead of sorting the table."""
        with ENGINE_LOCK:
            primary = index_of(self).primary
            return primary.items() if primary.usable else stock(self)

    return all_items


def make_len(stock: Callable[..., Any]) -> Callable[..., Any]:
    def __len__(self: Table) -> int:
        """The item count (DescribeTable's ItemCount) without walking the table."""
        with ENGINE_LOCK:
            primary = index_of(self).primary
            return len(primary) if primary.usable else stock(self)

    return __len__


def has_idx_items(self: Table, index_name: str) -> list[Item]:
    """The items with every key attribute of an index (moto's Scan sorts them afterwards)."""
    names = {key["AttributeName"] for key in self.get_index(index_name).schema}
    return [item for item in self.all_items() if names.issubset(item.attrs)]
