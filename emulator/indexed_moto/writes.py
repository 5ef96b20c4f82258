"""Writes keep the index in step, never change a stored item in place, and undo cheaply.

Every write to an item goes through ``Table.put_item``, ``Table.delete_item`` or
``DynamoDBBackend.update_item`` (BatchWriteItem, TransactWriteItems and PartiQL call these), so
these three are wrapped: under ``ENGINE_LOCK`` they note the item stored at the key, let moto
write, and move the key's index entries from the old item to the new one.

moto's UpdateItem changes the stored ``Item`` object in place. The wrapper first stores a copy at
the key and lets moto change that copy, so an ``Item`` object, once stored, never changes: a
Query copying it outside the lock and a snapshot serialising it in the background both see one
whole version of it, and the index can still compute the old item's entries.

TransactWriteItems: moto deep-copies every table the transaction touches so it can put them back
if an action fails (2.8 s for a 50k-item table). Here the deep copy of a table returns the table
itself, and an undo log records the item each written key held before (and each stream's length);
a failed transaction puts those back, so the cost follows the transaction's items, not the
tables'. moto's own loop still decides what fails and why.
"""

from __future__ import annotations

import copy
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

from emulator.indexed_moto import streams
from emulator.indexed_moto.table_index import (
    ENGINE_LOCK,
    forget_index,
    forget_secondary,
    index_of,
    replace_item,
    stored_item,
)

Key = tuple[DynamoType, DynamoType | None]


@dataclass
class UndoLog:
    """What a transaction changed: each key's item before its first write, each stream's length."""

    items: list[tuple[Table, Key, Item | None]] = field(default_factory=list)
    streams: dict[int, tuple[Table, int]] = field(default_factory=dict)
    _seen: set[tuple[int, Key]] = field(default_factory=set)

    def before_write(self, table: Table) -> None:
        """Note the table's stream length before the transaction first writes to it."""
        if table.stream_shard is not None and id(table) not in self.streams:
            self.streams[id(table)] = (table, len(table.stream_shard.items))

    def record(self, table: Table, key: Key, old: Item | None) -> None:
        if (id(table), key) not in self._seen:
            self._seen.add((id(table), key))
            self.items.append((table, key, old))

    def undo(self) -> None:
        for table, key, old in reversed(self.items):
            current = stored_item(table, *key)
            _store(table, key, old)
            replace_item(table, current, old)
        for table, length in self.streams.values():
            del table.stream_shard.items[length:]

    def touched_shards(self) -> list[Any]:
        return [table.stream_shard for table, _ in self.streams.values() if table.stream_shard is not None]


class _ThreadState(threading.local):
    undo: UndoLog | None = None
    updating: bool = False  # inside UpdateItem: its own put of a new item is part of it


_STATE = _ThreadState()


def transaction_active() -> bool:
    return _STATE.undo is not None


def _store(table: Table, key: Key, item: Item | None) -> None:
    hash_key, range_key = key
    if table.range_key_attr is None:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
    elif item is None:
        partition = table.items.get(hash_key)
        if partition is not None:
            partition.pop(range_key, None)
    else:
        table.items[hash_key][range_key] = item


def _before_write(table: Table) -> None:
    index_of(table)  # built from the items as they are before this write
    if _STATE.undo is not None:
        _STATE.undo.before_write(table)


def _after_write(table: Table, key: Key, old: Item | None) -> None:
    new = stored_item(table, *key)
    if new is old:
        return
    if _STATE.undo is not None:
        _STATE.undo.record(table, key, old)
    replace_item(table, old, new)


def _key_of_item(table: Table, attrs: Any) -> Key | None:
    try:
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
    except Exception:  # moto rejects this item itself, before storing anything
        return None
    return hash_key, range_key


def _interned(attrs: Any) -> Any:
    """The item with its attribute names interned: every stored item then shares one string per
    name (a request's JSON gives each item its own copies; 8 names cost about 400 bytes)."""
    if not isinstance(attrs, dict):
        return attrs
    return {sys.intern(name) if isinstance(name, str) else name: value for name, value in attrs.items()}


def make_put_item(stock: Callable[..., Any]) -> Callable[..., Any]:
    def put_item(self: Table, item_attrs: Any, *args: Any, **kwargs: Any) -> Any:
        item_attrs = _interned(item_attrs)
        if _STATE.updating:
            return stock(self, item_attrs, *args, **kwargs)
        with ENGINE_LOCK:
            _before_write(self)
            key = _key_of_item(self, item_attrs)
            if key is None:  # moto reads the key the same way and rejects the item before storing
                result = stock(self, item_attrs, *args, **kwargs)
                forget_index(self)  # it did not: the index cannot tell what changed
                return result
            old = stored_item(self, *key)
            try:
                return stock(self, item_attrs, *args, **kwargs)
            finally:
                _after_write(self, key, old)

    return put_item


def make_delete_item(stock: Callable[..., Any]) -> Callable[..., Any]:
    def delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Any:
        if _STATE.updating:
            return stock(self, hash_key, range_key)
        with ENGINE_LOCK:
            _before_write(self)
            key = (hash_key, range_key)
            old = stored_item(self, *key)
            try:
                return stock(self, hash_key, range_key)
            finally:
                _after_write(self, key, old)

    return delete_item


def _locate(backend: Any, table_name: str, key: Any) -> tuple[Table | None, Key | None]:
    """The table and key an UpdateItem addresses, read as moto's ``update_item`` reads them."""
    try:
        table = backend.get_table(table_name)
    except Exception:
        return None, None
    try:
        if table.hash_key_attr in key and table.range_key_attr in key:
            return table, (DynamoType(key[table.hash_key_attr]), DynamoType(key[table.range_key_attr]))
        if table.hash_key_attr in key:
            return table, (DynamoType(key[table.hash_key_attr]), None)
        return table, (DynamoType(key), None)
    except Exception:
        return table, None


def make_update_item(stock: Callable[..., Any]) -> Callable[..., Any]:
    def update_item(self: Any, table_name: str, key: Any, *args: Any, **kwargs: Any) -> Any:
        with ENGINE_LOCK:
            table, located = _locate(self, table_name, key)
            if table is not None:
                _before_write(table)
            old = stored_item(table, *located) if table is not None and located else None
            if old is not None:
                _store(table, located, copy.deepcopy(old))  # moto changes this copy in place
            _STATE.updating = True
            answered = False
            try:
                result = stock(self, table_name, key, *args, **kwargs)
                answered = True
                return result
            finally:
                _STATE.updating = False
                if table is not None and located is not None:
                    _after_write(table, located, old)
                elif table is not None and answered:  # moto read a key this wrapper could not
                    forget_index(table)

    return update_item


def make_update_table(stock: Callable[..., Any]) -> Callable[..., Any]:
    def update_table(self: Any, name: str, attr_definitions: Any, *args: Any, **kwargs: Any) -> Any:
        with ENGINE_LOCK:
            try:
                before = list(self.get_table(name).attr)
            except Exception:
                before = []
            try:
                return stock(self, name, attr_definitions, *args, **kwargs)
            finally:
                try:
                    table = self.get_table(name)
                except Exception:
                    table = None
                if table is not None:
                    if attr_definitions:
                        table.attr = merged_definitions(table, before, attr_definitions)
                    forget_secondary(table)

    return update_table


def merged_definitions(table: Table, before: list[dict[str, str]], given: list[dict[str, str]]) -> list[dict[str, str]]:
    """The table's attribute definitions after an UpdateTable, as DynamoDB keeps them: moto
    replaces them with the ones given (those of a new index), which loses the table's own key
    types (DescribeTable then shows them missing, RestoreTableFromBackup fails); DynamoDB keeps
    every attribute a key of the table or of an index still uses."""
    by_name = {definition["AttributeName"]: definition for definition in [*before, *given]}
    used = {part["AttributeName"] for part in table.schema}
    for index in table.all_indexes():
        used |= {part["AttributeName"] for part in index.schema}
    return [definition for name, definition in by_name.items() if name in used]


def make_transact_write_items(stock: Callable[..., Any]) -> Callable[..., Any]:
    def transact_write_items(self: Any, transact_items: Any) -> Any:
        with ENGINE_LOCK:
            log = _STATE.undo = UndoLog()
            try:
                return stock(self, transact_items)
            except BaseException:
                log.undo()
                raise
            finally:
                _STATE.undo = None
                for shard in log.touched_shards():
                    streams.trim(shard)

    return transact_write_items


class TransactionCopy:
    """Stands in for the ``copy`` module inside ``moto.dynamodb.models``: while a transaction's
    undo log is active, the deep copy moto takes of each touched table is the table itself (the
    undo log restores it instead); every other copy is a real one."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if _STATE.undo is not None and isinstance(value, Table):
            return value
        return self._real.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
