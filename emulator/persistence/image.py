"""The engine's state as the snapshot holds it: captured in milliseconds, written in the background.

Why not pickle moto's objects whole (format 1): pickling 100k items held the write lock for 2.5 s
and loading them took 6.5 s, because every attribute of every item is a Python object that pickle
rebuilds through moto's classes. Format 2 pickles only plain data:

* ``("metadata", bytes)``: moto's DynamoDB backends (tables, indexes, backups, TTL, streams' shard
  state) pickled *without* their items and stream records, each of which is replaced by a
  reference (``persistent_id``);
* ``("items", ref, hash attr, range attr, [item, ...])``: the items of a table, in its key order,
  in chunks; an item is a tuple of ``(name, (type, value))``, DynamoDB JSON in tuples;
* ``("order", ref, members, sort, positions)``: for each index ordering the indexed engine had
  built, its items as positions in the table's key order, so a restart rebuilds it without
  sorting;
* ``("records", ref, [record, ...])``: a stream shard's records (``StreamRecord.record`` dicts);
* ``("end",)``.

Capture: the indexed engine never changes a stored item in place, so holding the engine lock only
long enough to copy each table's sorted item list (a C-level list copy) and pickle the small
metadata gives a consistent image; writes go on while ``payload`` encodes it, in chunks with a
pause between them so requests keep getting the interpreter. Without the indexed engine (another
moto version) ``frozen`` is False and the caller encodes the image while still holding its lock.
"""

from __future__ import annotations

import io
import pickle
import sys
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import StreamRecord, Table

from emulator import indexed_moto
from emulator.indexed_moto.ordering import Ordering, Signature
from emulator.indexed_moto.table_index import ENGINE_LOCK, TableIndex, adopt, index_of, primary_signature

CHUNK = 250  # items per pickle: well under a millisecond of encoding between two pauses


@dataclass
class _TableData:
    """A table's items (and its orderings' orders) as captured."""

    ref: int
    hash_attr: str
    range_attr: str | None
    items: list[Item]
    orders: list[tuple[Signature, list[Item]]] = field(default_factory=list)


@dataclass
class EngineImage:
    """A consistent image of every DynamoDB backend of this process."""

    metadata: bytes
    tables: list[_TableData]
    records: list[tuple[int, list[Any]]]
    frozen: bool

    def payload(self) -> bytes:
        """The snapshot payload (format 2), encoded in chunks, pausing between them."""
        out = io.BytesIO()
        _dump(out, ("metadata", self.metadata))
        for table in self.tables:
            for start in range(0, len(table.items), CHUNK):
                chunk = [_encode_item(item) for item in table.items[start:start + CHUNK]]
                _dump(out, ("items", table.ref, table.hash_attr, table.range_attr, chunk))
                _pause()
            if table.orders:
                position = {id(item): n for n, item in enumerate(table.items)}
                for signature, members in table.orders:
                    positions = array("I", (position[id(item)] for item in members))
                    _dump(out, ("order", table.ref, signature.members, signature.sort, positions.tobytes()))
                    _pause()
        for ref, records in self.records:
            _dump(out, ("records", ref, [record.record for record in records]))
        _dump(out, ("end",))
        return out.getvalue()


def _dump(out: io.BytesIO, frame: Any) -> None:
    pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)


def _pause() -> None:
    time.sleep(0)  # hand the interpreter to request threads between chunks


# Capture --------------------------------------------------------------------------------------


def capture() -> EngineImage:
    """Every account's and region's DynamoDB state; call with writes held back."""
    with ENGINE_LOCK:
        backends = {(account, region): backend for account, region, backend in dynamodb_backends.iter_backends()}
        refs: dict[int, tuple[str, int]] = {}
        tables: list[_TableData] = []
        records: list[tuple[int, list[Any]]] = []
        for backend in backends.values():
            live = list(backend.tables.values())
            frozen = [backup.table for backup in backend.backups.values()]
            for table in live + frozen:
                ref = len(refs)
                refs[id(table.items)] = ("items", ref)
                tables.append(_table_data(table, ref, indexed=table in live and indexed_moto.installed()))
                if table.stream_shard is not None:
                    ref = len(refs)
                    refs[id(table.stream_shard.items)] = ("records", ref)
                    records.append((ref, list(table.stream_shard.items)))
        metadata = io.BytesIO()
        pickler = pickle.Pickler(metadata, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: refs.get(id(obj))  # type: ignore[method-assign]
        pickler.dump(backends)
    return EngineImage(metadata.getvalue(), tables, records, frozen=indexed_moto.installed())


def _table_data(table: Table, ref: int, *, indexed: bool) -> _TableData:
    if indexed:
        index = index_of(table)
        if index.primary.usable:
            orders = [(ordering.signature, list(ordering.entries)) for ordering in index.secondary.values()
                      if ordering.usable]
            return _TableData(ref, table.hash_key_attr, table.range_key_attr, list(index.primary.entries), orders)
    return _TableData(ref, table.hash_key_attr, table.range_key_attr, list(_stored(table)))


def _stored(table: Table) -> Iterator[Item]:
    for stored in list(table.items.values()):
        if isinstance(stored, dict):
            yield from list(stored.values())
        else:
            yield stored


def _encode_item(item: Item) -> tuple[Any, ...]:
    return tuple((name, _encode(value)) for name, value in item.attrs.items())


def _encode(value: Any) -> tuple[str, Any]:
    if not isinstance(value, DynamoType):
        return ("", value)  # not a DynamoType (moto tolerates these inside lists): kept as is
    if value.type == "L":
        return ("L", [_encode(element) for element in value.value])
    if value.type == "M":
        return ("M", {name: _encode(element) for name, element in value.value.items()})
    return (value.type, value.value)


# Load -----------------------------------------------------------------------------------------


def load(payload: bytes) -> dict[tuple[str, str], Any]:
    """The backends a format-2 payload holds, with their tables' indexes built from it."""
    stream = io.BytesIO(payload)
    containers: dict[int, Any] = {}
    items_by_ref: dict[int, list[Item]] = defaultdict(list)
    orders: dict[int, list[tuple[Signature, list[int]]]] = defaultdict(list)

    def persistent_load(pid: Any) -> Any:
        kind, ref = pid
        containers[ref] = defaultdict(dict) if kind == "items" else []
        return containers[ref]

    kind, metadata = pickle.load(stream)
    if kind != "metadata":
        raise ValueError("the snapshot does not start with the engine metadata")
    unpickler = pickle.Unpickler(io.BytesIO(metadata))
    unpickler.persistent_load = persistent_load  # type: ignore[method-assign]
    backends = unpickler.load()
    while True:
        frame = pickle.load(stream)
        if frame[0] == "end":
            break
        if frame[0] == "items":
            _, ref, hash_attr, range_attr, chunk = frame
            _fill(containers[ref], items_by_ref[ref], chunk, hash_attr, range_attr)
        elif frame[0] == "order":
            _, ref, members, sort, positions = frame
            orders[ref].append((Signature(tuple(members), tuple(tuple(p) for p in sort)),
                                array("I", positions).tolist()))
        elif frame[0] == "records":
            _, ref, records = frame
            containers[ref].extend(_record(record) for record in records)
        else:
            raise ValueError(f"unknown snapshot frame {frame[0]!r}")
    if indexed_moto.installed():
        _adopt_indexes(backends, containers, items_by_ref, orders)
    return backends


def _fill(container: Any, loaded: list[Item], chunk: Iterable[Any], hash_attr: str, range_attr: str | None) -> None:
    new, set_item, intern = object.__new__, dict.__setitem__, sys.intern
    for encoded in chunk:
        attrs = LimitedSizeDict.__new__(LimitedSizeDict)
        for name, (kind, raw) in encoded:
            if kind in _NESTED:
                value = _decode((kind, raw))
            else:  # a scalar or a set: most attributes, built inline
                value = new(DynamoType)
                value.type = kind
                value.value = raw
            set_item(attrs, intern(name), value)
        item = new(Item)
        item.hash_key = attrs[hash_attr]
        item.range_key = attrs[range_attr] if range_attr else None
        item.attrs = attrs
        if range_attr:
            container[item.hash_key][item.range_key] = item
        else:
            container[item.hash_key] = item
        loaded.append(item)


_NESTED = frozenset({"L", "M", ""})


def _decode(encoded: tuple[str, Any]) -> Any:
    kind, raw = encoded
    if not kind:
        return raw
    value = object.__new__(DynamoType)
    value.type = kind
    if kind == "L":
        value.value = [_decode(element) for element in raw]
    elif kind == "M":
        value.value = {name: _decode(element) for name, element in raw.items()}
    else:
        value.value = raw
    return value


def _record(record: dict[str, Any]) -> StreamRecord:
    loaded = object.__new__(StreamRecord)
    loaded.record = record
    return loaded


def _adopt_indexes(backends: dict[tuple[str, str], Any], containers: dict[int, Any],
                   items_by_ref: dict[int, list[Item]], orders: dict[int, list[tuple[Signature, list[int]]]]) -> None:
    """Give each table its index, from the item order the snapshot was written in."""
    ref_of = {id(container): ref for ref, container in containers.items()}
    for backend in backends.values():
        for table in backend.tables.values():
            ref = ref_of.get(id(table.items))
            if ref is None:
                continue
            items = items_by_ref[ref]
            index = TableIndex(table, Ordering(primary_signature(table), items, presorted=True))
            for signature, positions in orders[ref]:
                index.secondary[signature] = Ordering(signature, [items[p] for p in positions], presorted=True)
            adopt(table, index)
