"""Each table's orderings: which ones a Query or Scan needs, built on first use, kept on writes.

A table's index lives beside it in a ``WeakKeyDictionary``, never inside moto's objects: moto's
own copies of a table (backups, restores) and anything the snapshot writes stay stock, and a table
object the index has not seen yet is indexed from its items when first used. The table's own
ordering (its primary key; what Scan, table Query and ``all_items`` read) exists from a table's
first use; the orderings of its GSIs and LSIs are built by the first Query or Scan that needs one.

``ENGINE_LOCK`` is the one lock under which items and orderings change together and under which
reads take their window, so a read never sees a half-applied write (writes are already applied
one at a time by the embedded server; this lock orders them against reads).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterator

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import GlobalSecondaryIndex, SecondaryIndex, Table

from emulator.indexed_moto.ordering import IndexDesync, Ordering, Signature

log = logging.getLogger("appsync_emulator.engine")

ENGINE_LOCK = threading.RLock()


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def primary_signature(table: Table) -> Signature:
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    types = {table.hash_key_attr: table.hash_key_type, table.range_key_attr: table.range_key_type}
    return Signature((), tuple((name, types[name] or "") for name in names))


def index_keys(index: SecondaryIndex) -> tuple[str, str | None] | None:
    """(hash attribute, range attribute or None) of a single-attribute key; None for
    multi-attribute keys, which are left to moto."""
    hashes = [key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH"]
    ranges = [key["AttributeName"] for key in index.schema if key["KeyType"] == "RANGE"]
    if len(hashes) != 1 or len(ranges) > 1:
        return None
    return hashes[0], (ranges[0] if ranges else None)


def query_signature(table: Table, index: SecondaryIndex, types: Callable[[str], str]) -> Signature | None:
    """The order moto's ``Table.query`` sorts an index's items in (``_generate_attr_to_sort_by``
    over the hash and range attributes it builds for that index)."""
    keys = index_keys(index)
    if keys is None:
        return None
    index_hash, index_range = keys
    if index_range is not None:
        range_attrs: list[str | None] = [index_range, table.range_key_attr]
    elif isinstance(index, GlobalSecondaryIndex) and table.range_key_attr:
        range_attrs = [table.range_key_attr, table.range_key_attr]
    else:
        range_attrs = [table.hash_key_attr, table.range_key_attr]
    names = table._generate_attr_to_sort_by([index_hash, table.hash_key_attr], range_attrs)  # noqa: SLF001
    return _signature([index_hash] + ([index_range] if index_range else []), names, types)


def scan_signature(table: Table, index: SecondaryIndex, types: Callable[[str], str]) -> Signature | None:
    """The order moto's ``Table.scan`` sorts an index's items in."""
    keys = index_keys(index)
    if keys is None:
        return None
    index_hash, index_range = keys
    range_attrs = [index_range, table.range_key_attr] if index_range else [table.range_key_attr]
    names = table._generate_attr_to_sort_by([index_hash, table.hash_key_attr], range_attrs)  # noqa: SLF001
    return _signature([index_hash] + ([index_range] if index_range else []), names, types)


def _signature(members: list[str], sort_names: list[str], types: Callable[[str], str]) -> Signature:
    return Signature(tuple(members), tuple((name, types(name)) for name in _dedupe(sort_names)))


class TableIndex:
    """The orderings of one table; ``primary`` holds every item."""

    def __init__(self, table: Table, primary: Ordering | None = None) -> None:
        self.table = weakref.ref(table)
        self.primary = primary or Ordering(primary_signature(table), _stored_items(table))
        self.secondary: dict[Signature, Ordering] = {}
        self._inferred: dict[str, str] = {}
        self._signatures: dict[tuple[str, str], Signature | None] = {}

    def attribute_type(self, name: str) -> str:
        """An index key attribute's type: as declared, else as stored. moto's UpdateTable replaces
        the table's AttributeDefinitions with the ones it was given, so the types of earlier
        indexes may no longer be declared; then the first stored value's type stands (values of
        another type make the ordering unusable, never wrong)."""
        table = self.table()
        declared = {a["AttributeName"]: a["AttributeType"] for a in table.attr} if table is not None else {}
        if name in declared:
            return declared[name]
        if name not in self._inferred:
            found = next((item.attrs[name].type for item in self.primary.items() if name in item.attrs), "S")
            self._inferred[name] = found
        return self._inferred[name]

    def query_signature(self, index: SecondaryIndex) -> Signature | None:
        """The ordering a Query on ``index`` reads (kept until UpdateTable changes the table)."""
        key = ("query", index.name)
        if key not in self._signatures:
            table = self.table()
            self._signatures[key] = query_signature(table, index, self.attribute_type) if table is not None else None
        return self._signatures[key]

    def scan_signature(self, index: SecondaryIndex) -> Signature | None:
        """The ordering a Scan of ``index`` reads."""
        key = ("scan", index.name)
        if key not in self._signatures:
            table = self.table()
            self._signatures[key] = scan_signature(table, index, self.attribute_type) if table is not None else None
        return self._signatures[key]

    def schema_changed(self) -> None:
        """UpdateTable changed the table's indexes or attribute types: index orderings are
        rebuilt on next use."""
        self.secondary.clear()
        self._inferred.clear()
        self._signatures.clear()

    def ordering(self, signature: Signature) -> Ordering:
        """The ordering for ``signature``, built from the table's items on first use."""
        if signature == self.primary.signature:
            return self.primary
        found = self.secondary.get(signature)
        if found is None:
            found = self.secondary[signature] = Ordering(signature, self.primary.items())
        return found

    def orderings(self) -> Iterator[Ordering]:
        yield self.primary
        yield from self.secondary.values()

    def replace(self, old: Item | None, new: Item | None) -> None:
        """The item at one key changed from ``old`` to ``new`` (either may be None)."""
        if old is new:
            return
        for ordering in self.orderings():
            if old is not None:
                ordering.remove(old)
            if new is not None:
                ordering.add(new)


_INDEXES: weakref.WeakKeyDictionary[Table, TableIndex] = weakref.WeakKeyDictionary()


def index_of(table: Table) -> TableIndex:
    """The table's index, built from its items when this table object is new to it."""
    found = _INDEXES.get(table)
    if found is None:
        found = _INDEXES[table] = TableIndex(table)
    return found


def adopt(table: Table, index: TableIndex) -> None:
    """Install an index built elsewhere (the snapshot loader builds it from sorted data)."""
    _INDEXES[table] = index


def forget_secondary(table: Table) -> None:
    """The table's indexes or attribute types changed (UpdateTable): rebuild those on next use."""
    found = _INDEXES.get(table)
    if found is not None:
        found.schema_changed()


def replace_item(table: Table, old: Item | None, new: Item | None) -> None:
    """Keep the table's index in step with a write; a mismatch drops the index (it is rebuilt
    from the items on next use) rather than ever serving a wrong answer."""
    try:
        index_of(table).replace(old, new)
    except IndexDesync as exc:
        log.warning("engine index of table %s out of step (%s); rebuilding it", table.name, exc)
        _INDEXES.pop(table, None)


def _stored_items(table: Table) -> Iterator[Item]:
    for stored in list(table.items.values()):
        if isinstance(stored, dict):
            yield from list(stored.values())
        else:
            yield stored


def stored_item(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    """The item at a key, without moto's ``defaultdict`` creating an empty partition."""
    stored = table.items.get(hash_key)
    if stored is None:
        return None
    if table.range_key_attr is None:
        return stored if isinstance(stored, Item) else None
    return stored.get(range_key) if isinstance(stored, dict) and range_key is not None else None


def forget_index(table: Table) -> None:
    """Drop a table's index after a write whose key could not be read (moto rejects those before
    storing; this only guards against a stale index): it is rebuilt from the items on next use."""
    _INDEXES.pop(table, None)
