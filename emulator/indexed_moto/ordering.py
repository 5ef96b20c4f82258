"""One sorted view of a table's items, in exactly the order moto's Query and Scan loops read them.

moto sorts the candidates of every Query and Scan by comparing ``DynamoType`` values, which
compare their ``cast_value`` (``str`` for S, ``Decimal`` for N, ``bytes`` for B). An
``Ordering`` keeps the items of one such order in a ``SortedKeyList`` keyed by the tuple of those
values for its sort attributes. Every sort includes the table's primary key, so no two items of
an ordering share a key, and a search probe (a tuple of values, possibly ending in ``TOP``) is
only ever compared with keys, never with items.

An item belongs to an ordering when it has every attribute in ``Signature.members`` (an index
holds only items with all of its key attributes: sparse indexes). A member whose sort value is
not of the declared key type (moto stores such items; DynamoDB rejects them) cannot be placed in
a total order; it is counted in ``unorderable`` and the ordering is not used while any exists:
the reads then take moto's own path, which behaves as stock moto does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from sortedcontainers import SortedKeyList


class IndexDesync(Exception):
    """An entry that should be in an ordering is not: the index no longer matches the items."""


class _Top:
    """A probe value that sorts above every stored key value (str, Decimal or bytes alike)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return other is self

    def __gt__(self, other: object) -> bool:
        return other is not self

    def __ge__(self, other: object) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return other is self

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "TOP"


TOP = _Top()
_UNORDERABLE = object()


def key_value(value: DynamoType | None, declared: str) -> Any:
    """The value moto compares ``value`` by, or ``_UNORDERABLE`` when it is not of the declared
    key type (S, N or B) and so cannot share one total order with the others."""
    if value is None or value.type != declared:
        return _UNORDERABLE
    raw = value.value
    if declared == "N":
        try:
            number = Decimal(raw)
        except (InvalidOperation, TypeError, ValueError):
            return _UNORDERABLE
        return number if number.is_finite() else _UNORDERABLE
    expected = bytes if declared == "B" else str
    return raw if isinstance(raw, expected) else _UNORDERABLE


def is_orderable(value: Any) -> bool:
    return value is not _UNORDERABLE


@dataclass(frozen=True)
class Signature:
    """Which items an ordering holds and how it sorts them.

    ``members``: attributes an item must have to be in it (an index's key attributes; empty
    for the table's own ordering). ``sort``: (attribute, declared key type) pairs in the order
    moto compares them, without repeats (a repeated attribute never decides a comparison).
    """

    members: tuple[str, ...]
    sort: tuple[tuple[str, str], ...]

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.sort)


class _HandedKeys:
    """The key function the ``SortedKeyList`` sorts by. The ordering computes an item's key once
    (it must, to decide membership) and hands it over before adding or removing the item; the
    list's own calls for that item are then a dictionary lookup instead of a second computation."""

    def __init__(self, compute: Callable[[Item], Any]) -> None:
        self._compute = compute
        self.handed: dict[int, Any] = {}

    def __call__(self, item: Item) -> Any:
        key = self.handed.get(id(item))
        return key if key is not None else self._compute(item)


class _SortedKeys(SortedKeyList):
    """A ``SortedKeyList`` that can take items already in key order without sorting them again:
    a restart hands an ordering 100k items in the order the snapshot kept, and sorting them (with
    a key lookup per comparison) cost more than loading them. ``extend_sorted`` fills an empty
    list's fields exactly as ``SortedKeyList.update`` fills them after its sort (sortedcontainers
    2.4, pinned)."""

    def extend_sorted(self, values: list[Item], keys: list[Any]) -> None:
        if self._len:
            raise ValueError("extend_sorted fills an empty list only")
        load = self._load
        self._lists.extend(values[start:start + load] for start in range(0, len(values), load))
        self._keys.extend(keys[start:start + load] for start in range(0, len(keys), load))
        self._maxes.extend(sublist[-1] for sublist in self._keys)
        self._len = len(values)
        del self._index[:]


class Ordering:
    """The items of one signature, sorted; maintained by ``add``/``remove`` on every write."""

    def __init__(self, signature: Signature, items: Iterable[Item], *, presorted: bool = False) -> None:
        """``presorted``: ``items`` come in this ordering's order (a snapshot's); checked, and
        sorted after all if they do not."""
        self.signature = signature
        self.unorderable = 0
        self._members = signature.members
        self._sort = signature.sort
        if not signature.members and all(declared == "S" for _, declared in signature.sort):
            self.key = self._string_table_key  # type: ignore[method-assign]
        self._keys = _HandedKeys(self.key)
        members, keys = [], []
        for item in items:
            key = self.key(item)
            if key is _UNORDERABLE:
                self.unorderable += 1
            elif key is not None:
                members.append(item)
                keys.append(key)
        self.entries = _SortedKeys(key=self._keys)
        if presorted and all(before < after for before, after in zip(keys, keys[1:], strict=False)):
            self.entries.extend_sorted(members, keys)
        else:
            self._keys.handed.update(zip(map(id, members), keys, strict=True))
            self.entries.update(members)
            self._keys.handed.clear()

    @property
    def usable(self) -> bool:
        return self.unorderable == 0

    def key(self, item: Item) -> Any:
        """The item's sort values; None for a non-member, ``_UNORDERABLE`` for a bad key type."""
        attrs = item.attrs
        for name in self._members:
            if name not in attrs:
                return None
        values = []
        for name, declared in self._sort:
            value = attrs.get(name)
            if declared == "S" and value is not None and value.type == "S" and value.value.__class__ is str:
                values.append(value.value)  # the common case, without a call
                continue
            converted = key_value(value, declared)
            if converted is _UNORDERABLE:
                return _UNORDERABLE
            values.append(converted)
        return tuple(values)

    def _string_table_key(self, item: Item) -> Any:
        """``key`` for a table's own ordering when its key attributes are strings: moto stores
        every item with them, as str values (it rejects others), so nothing needs checking."""
        attrs = item.attrs
        return tuple([attrs[name].value for name, _ in self._sort])

    def add(self, item: Item) -> None:
        key = self.key(item)
        if key is _UNORDERABLE:
            self.unorderable += 1
        elif key is not None:
            self._keys.handed[id(item)] = key
            try:
                self.entries.add(item)
            finally:
                del self._keys.handed[id(item)]

    def remove(self, item: Item) -> None:
        key = self.key(item)
        if key is _UNORDERABLE:
            self.unorderable -= 1
        elif key is not None:
            self._keys.handed[id(item)] = key
            try:
                self.entries.remove(item)
            except ValueError as exc:
                raise IndexDesync(f"no entry for {key!r}") from exc
            finally:
                del self._keys.handed[id(item)]

    def items(self) -> list[Item]:
        """Every member, in order (what moto's ``all_items`` sorts the table into)."""
        return list(self.entries)

    def __len__(self) -> int:
        return len(self.entries)
