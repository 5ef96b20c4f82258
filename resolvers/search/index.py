"""One searchable table's index: its items as documents, with inverted lists for the queries.

The cloud's streaming function writes each item into OpenSearch whole (``index`` on INSERT and
MODIFY, ``delete`` on REMOVE), its document id the item's key. ``SearchIndex`` does the same in
memory. Each document gets an ordinal; an updated item gets a new one (Lucene re-adds a
re-indexed document at the end too, which is the order ties keep when a sort does not decide).

Per field it keeps what the queries need without looking at every document:

* ``terms``: token -> documents (text fields), for ``match``, phrases and term-level queries;
* ``values``: exact value -> documents (``.keyword`` strings, numbers, dates, booleans), for
  ``eq``, ranges and ``terms`` aggregations;
* ``columns``: document -> its values, and ``lowest``/``highest`` document -> its smallest and
  largest value, for sorting and metrics (a document without values is in none of them, which
  also answers ``exists``).

Not thread-safe on its own: ``SearchService`` serialises access to each index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from emulator.resolvers.search.fields import FieldKind, IndexedField, index_field

Key = tuple[Any, ...]
Item = dict[str, Any]


@dataclass(frozen=True)
class Document:
    ordinal: int
    key: Key
    source: Item
    tokens: dict[str, tuple[tuple[str, ...], ...]]  # text fields: each element's tokens, in order
    fields: dict[str, IndexedField]


class SearchIndex:
    """Documents of one model's table, by key, with per-field inverted lists."""

    def __init__(self, kinds: dict[str, FieldKind]) -> None:
        self.kinds = kinds
        self.clear()

    def clear(self) -> None:
        """Forget every document."""
        kinds = self.kinds
        self.docs: dict[int, Document] = {}
        self._by_key: dict[Key, int] = {}
        self.terms: dict[str, dict[str, set[int]]] = {name: {} for name, kind in kinds.items() if kind == "text"}
        self.values: dict[str, dict[Any, set[int]]] = {name: {} for name in kinds}
        self.columns: dict[str, dict[int, tuple[Any, ...]]] = {name: {} for name in kinds}
        self.lowest: dict[str, dict[int, Any]] = {name: {} for name in kinds}
        self.highest: dict[str, dict[int, Any]] = {name: {} for name in kinds}
        self.present: dict[str, set[int]] = {name: set() for name in kinds}
        self.orderings: dict[Any, list[int]] = {}  # every document in a sort's order (sorting.py), until a change
        self._next = 0

    def __len__(self) -> int:
        return len(self.docs)

    def all(self) -> set[int]:
        return set(self.docs)

    def put(self, key: Key, item: Item) -> None:
        """Index ``item`` under ``key``, replacing the document it had."""
        self.remove(key)
        self.orderings.clear()
        ordinal = self._next
        self._next += 1
        fields = {name: index_field(kind, item.get(name)) for name, kind in self.kinds.items()}
        tokens = {name: indexed.tokens for name, indexed in fields.items() if indexed.tokens}
        self.docs[ordinal] = Document(ordinal, key, item, tokens, fields)
        self._by_key[key] = ordinal
        for name, indexed in fields.items():
            if indexed.exists:
                self.present[name].add(ordinal)
            if indexed.values:
                self.columns[name][ordinal] = indexed.values
                self.lowest[name][ordinal] = min(indexed.values)
                self.highest[name][ordinal] = max(indexed.values)
                _add_all(self.values[name], set(indexed.values), ordinal)
            if indexed.tokens:
                _add_all(self.terms[name], {t for element in indexed.tokens for t in element}, ordinal)

    def remove(self, key: Key) -> None:
        ordinal = self._by_key.pop(key, None)
        if ordinal is None:
            return
        self.orderings.clear()
        document = self.docs.pop(ordinal)
        for name, indexed in document.fields.items():
            self.present[name].discard(ordinal)
            for per_document in (self.columns[name], self.lowest[name], self.highest[name]):
                per_document.pop(ordinal, None)
            _discard_all(self.values[name], set(indexed.values), ordinal)
            if indexed.tokens:
                _discard_all(self.terms[name], {t for element in indexed.tokens for t in element}, ordinal)


def _add_all(lists: dict[Any, set[int]], keys: Iterable[Any], ordinal: int) -> None:
    for key in keys:
        lists.setdefault(key, set()).add(ordinal)


def _discard_all(lists: dict[Any, set[int]], keys: Iterable[Any], ordinal: int) -> None:
    for key in keys:
        members = lists.get(key)
        if members is not None:
            members.discard(ordinal)
            if not members:
                del lists[key]
