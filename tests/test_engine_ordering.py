"""One ordering of items (``emulator/indexed_moto/ordering.py``): moto's own order, sparse
membership, values of another type kept out (and counted), and a snapshot's order taken as is."""

from __future__ import annotations

import random

from moto.dynamodb.models.dynamo_type import DynamoType, Item

from emulator.indexed_moto.ordering import TOP, Ordering, Signature

BY_SCORE = Signature(members=("score",), sort=(("score", "N"), ("id", "S")))


def item(item_id: str, **attrs: dict[str, str]) -> Item:
    return Item(DynamoType({"S": item_id}), None, {"id": {"S": item_id}, **attrs})


def moto_order(items: list[Item]) -> list[str]:
    """How moto sorts an index's items: by DynamoType comparison of the sort attributes."""
    members = [i for i in items if "score" in i.attrs]
    return [i.attrs["id"].value for i in sorted(members, key=lambda i: (i.attrs["score"], i.attrs["id"]))]


def ids(ordering: Ordering) -> list[str]:
    return [i.attrs["id"].value for i in ordering.items()]


NUMBERS = ["-10", "-1.5", "-1", "0", "0.5", "1", "1.50", "2", "10", "1e3", "100", "-0.001"]


def some_items(count: int, seed: int) -> list[Item]:
    rng = random.Random(seed)
    return [item(f"i{n:03d}", **({"score": {"N": rng.choice(NUMBERS)}} if rng.random() < 0.7 else {}))
            for n in range(count)]


def test_numbers_sort_as_moto_sorts_them_and_absent_keys_stay_out() -> None:
    items = some_items(200, seed=1)
    ordering = Ordering(BY_SCORE, items)
    assert ids(ordering) == moto_order(items)
    assert ordering.usable and len(ordering) == sum("score" in i.attrs for i in items)


def test_writes_keep_the_order() -> None:
    items = some_items(100, seed=2)
    ordering = Ordering(BY_SCORE, items[:50])
    for extra in items[50:]:
        ordering.add(extra)
    for gone in items[:20]:
        ordering.remove(gone)
    assert ids(ordering) == moto_order(items[20:])


def test_a_snapshot_order_is_taken_as_is_and_checked() -> None:
    items = some_items(300, seed=3)
    in_order = Ordering(BY_SCORE, items).items()
    assert ids(Ordering(BY_SCORE, in_order, presorted=True)) == moto_order(items)
    assert ids(Ordering(BY_SCORE, list(reversed(in_order)), presorted=True)) == moto_order(items)  # sorted after all


def test_a_value_of_another_type_makes_the_ordering_unusable_until_it_goes() -> None:
    odd = item("odd", score={"S": "ten"})
    ordering = Ordering(BY_SCORE, [item("a", score={"N": "1"}), odd])
    assert not ordering.usable and ids(ordering) == ["a"]
    ordering.remove(odd)
    assert ordering.usable


def test_probes_compare_with_every_key_type() -> None:
    assert all(value < TOP and TOP > value and value != TOP for value in ("z", b"\xff", DynamoType({"N": "9"}).cast_value))
    ordering = Ordering(BY_SCORE, some_items(50, seed=4))
    keys = [ordering.key(i) for i in ordering.items()]
    first_two = [k for k in keys if k[0] == keys[0][0]]
    assert ordering.entries.bisect_key_left((keys[0][0], TOP)) == len(first_two)
