"""Seeded random DynamoDB workloads, run the same way against any endpoint (the differential test).

``Workload(seed).steps(count)`` yields requests that depend only on the seed, never on answers,
so two engines receive exactly the same calls; ``tests/engine_runner.py`` runs them on one engine
and says what its client saw.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

BIG = (150_000, 350_000)  # bytes of padding on the occasional large item: a 1 MB page holds a few


def _key_schema(hash_name: str, range_name: str | None = None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    if range_name:
        schema.append({"AttributeName": range_name, "KeyType": "RANGE"})
    return schema


def _gsi(name: str, hash_name: str, range_name: str | None = None, projection: str = "ALL",
         include: list[str] | None = None) -> dict[str, Any]:
    index: dict[str, Any] = {"IndexName": name, "KeySchema": _key_schema(hash_name, range_name),
                             "Projection": {"ProjectionType": projection}}
    if include:
        index["Projection"]["NonKeyAttributes"] = include
    return index


STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}

# Table shapes: a hash-only table with sparse GSIs (ranged, range-less, KEYS_ONLY, INCLUDE), a
# hash+range table with an LSI and GSIs, numeric keys (negative and decimal), binary keys.
TABLES: dict[str, dict[str, Any]] = {
    "Hash": {
        "KeySchema": _key_schema("pk"),
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"},
                                 {"AttributeName": "n", "AttributeType": "N"},
                                 {"AttributeName": "h", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [_gsi("byG", "g", "n"), _gsi("byGOnly", "g"), _gsi("byH", "h", projection="KEYS_ONLY"),
                                   _gsi("byHInclude", "h", "n", projection="INCLUDE", include=["v"])],
        "StreamSpecification": STREAM,
    },
    "Range": {
        "KeySchema": _key_schema("pk", "sk"),
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"},
                                 {"AttributeName": "n", "AttributeType": "N"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "LocalSecondaryIndexes": [_gsi("byN", "pk", "n")],
        "GlobalSecondaryIndexes": [_gsi("bySk", "g", "sk"), _gsi("byGOnly", "g")],
        "StreamSpecification": STREAM,
    },
    "Numbers": {
        "KeySchema": _key_schema("pk", "sk"),
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "N"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
    },
    "Binary": {
        "KeySchema": _key_schema("pk", "sk"),
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "B"},
                                 {"AttributeName": "sk", "AttributeType": "B"}],
    },
}
STRINGS = ["a", "ab", "abc", "abd", "b", "ba", "c", "z", "é", "éa", "\u4e2d", "A", "0", "a b", "ab\U0001f600"]
NUMBERS = ["-10", "-1.5", "-1", "0", "0.5", "1", "1.50", "2", "10", "11", "100", "2.25", "1e3", "-0.001"]
BINARIES = [b"\x00", b"\x00\x01", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xff\x00", b"ab", b"abc"]


@dataclass(frozen=True)
class Step:
    """One thing a client does: a call, a Query/Scan read to its end, or reading the streams."""

    kind: str  # "call", "pages", "streams", "restart"
    operation: str = ""
    params: dict[str, Any] = field(default_factory=dict)


class Workload:
    """Requests drawn from ``random.Random(seed)``; keys come from small pools so items collide,
    partitions hold several items and indexes several partitions."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.added_index = False

    # values ----------------------------------------------------------------------------------

    def _value(self, table: str, name: str) -> dict[str, Any]:
        r = self.random
        kind = {"Numbers": "N", "Binary": "B"}.get(table, "S") if name in ("pk", "sk") else "S"
        if name in ("n", "rank"):
            kind = "N"
        if kind == "N":
            return {"N": r.choice(NUMBERS)}
        if kind == "B":
            return {"B": r.choice(BINARIES)}
        if name == "pk":
            return {"S": f"p{r.randrange(8)}"}
        if name in ("g", "h"):
            return {"S": f"{name}{r.randrange(4)}"}
        return {"S": r.choice(STRINGS)}

    def key(self, table: str) -> dict[str, Any]:
        names = [part["AttributeName"] for part in TABLES[table]["KeySchema"]]
        return {name: self._value(table, name) for name in names}

    def item(self, table: str) -> dict[str, Any]:
        r = self.random
        item = self.key(table)
        for name in ("g", "n", "h", "rank"):
            if r.random() < 0.6:
                item[name] = self._value(table, name)
        item["v"] = {"S": r.choice(STRINGS)}
        if r.random() < 0.3:
            item["m"] = {"M": {"x": {"L": [{"N": r.choice(NUMBERS)}, {"S": "y"}, {"NULL": True}]},
                               "s": {"SS": ["a", r.choice(STRINGS)]}}}
        if r.random() < 0.08:
            item["pad"] = {"S": "x" * r.randrange(*BIG)}
        return item

    # steps -------------------------------------------------------------------------------------

    def steps(self, count: int) -> Iterator[Step]:
        yield from (Step("call", "create_table", {"TableName": name, "BillingMode": "PAY_PER_REQUEST", **spec})
                    for name, spec in TABLES.items())
        yield Step("streams")  # readers start now: they must see every record written from here on
        for n, sort_key in enumerate(STRINGS[:6]):  # a partition past 1 MB: pages end on size
            yield Step("call", "put_item", {"TableName": "Range", "Item": {
                "pk": {"S": "p0"}, "sk": {"S": sort_key}, "g": {"S": f"g{n % 2}"}, "n": {"N": str(n)},
                "pad": {"S": "x" * 300_000}}})
        makers = [(30, self.put), (12, self.update), (8, self.delete), (5, self.batch_write),
                  (6, self.transaction), (2, self.partiql), (18, self.query), (10, self.scan),
                  (4, self.get), (2, self.batch_get), (3, lambda: Step("streams"))]
        weights = [weight for weight, _ in makers]
        for n in range(count):
            if not self.added_index and n > count // 2:
                self.added_index = True
                yield self.add_index()
            yield self.random.choices([make for _, make in makers], weights)[0]()
        yield Step("streams")

    def _table(self) -> str:
        return self.random.choice(["Hash", "Hash", "Range", "Range", "Numbers", "Binary"])

    def _condition(self, params: dict[str, Any]) -> None:
        r = self.random
        choice = r.randrange(5)
        if choice == 1:
            params["ConditionExpression"] = "attribute_not_exists(pk)"
        elif choice == 2:
            params["ConditionExpression"] = "attribute_exists(pk)"
        elif choice == 3:
            params["ConditionExpression"] = "attribute_not_exists(g) OR g <> :c"
            params["ExpressionAttributeValues"] = {":c": {"S": "g1"}}

    def put(self) -> Step:
        table = self._table()
        params: dict[str, Any] = {"TableName": table, "Item": self.item(table)}
        self._condition(params)
        if self.random.random() < 0.3:
            params["ReturnValues"] = "ALL_OLD"
        return Step("call", "put_item", params)

    def update(self) -> Step:
        r = self.random
        table = self._table()
        params: dict[str, Any] = {"TableName": table, "Key": self.key(table),
                                  "ReturnValues": r.choice(["NONE", "ALL_NEW", "UPDATED_OLD", "ALL_OLD"])}
        actions = r.choice([
            ("SET g = :g", {":g": self._value(table, "g")}),
            ("REMOVE g", {}),
            ("SET n = :n, v = :v", {":n": self._value(table, "n"), ":v": self._value(table, "v")}),
            ("REMOVE n, h", {}),
            ("ADD rank :one", {":one": {"N": "1"}}),
            ("SET h = :h REMOVE g", {":h": self._value(table, "h")}),
        ])
        params["UpdateExpression"] = actions[0]
        values = dict(actions[1])
        if r.random() < 0.3:
            params["ConditionExpression"] = "attribute_exists(pk)"
        if values:
            params["ExpressionAttributeValues"] = values
        return Step("call", "update_item", params)

    def delete(self) -> Step:
        table = self._table()
        params: dict[str, Any] = {"TableName": table, "Key": self.key(table)}
        if self.random.random() < 0.3:
            params["ConditionExpression"] = "attribute_exists(v)"
        if self.random.random() < 0.5:
            params["ReturnValues"] = "ALL_OLD"
        return Step("call", "delete_item", params)

    def _unique_keys(self, table: str, count: int) -> list[dict[str, Any]]:
        keys: dict[str, dict[str, Any]] = {}
        for _ in range(count * 3):
            key = self.key(table)
            keys.setdefault(repr(sorted(key.items())), key)
            if len(keys) == count:
                break
        return list(keys.values())

    def batch_write(self) -> Step:
        table = self._table()
        requests = []
        for key in self._unique_keys(table, self.random.randrange(1, 8)):
            if self.random.random() < 0.7:
                requests.append({"PutRequest": {"Item": {**self.item(table), **key}}})
            else:
                requests.append({"DeleteRequest": {"Key": key}})
        return Step("call", "batch_write_item", {"RequestItems": {table: requests}})

    def transaction(self) -> Step:
        r = self.random
        table = self._table()
        actions = []
        for key in self._unique_keys(table, r.randrange(1, 5)):
            kind = r.choice(["Put", "Update", "Delete", "ConditionCheck"])
            if kind == "Put":
                actions.append({"Put": {"TableName": table, "Item": {**self.item(table), **key}}})
            elif kind == "Update":
                actions.append({"Update": {"TableName": table, "Key": key, "UpdateExpression": "SET g = :g, v = :v",
                                           "ExpressionAttributeValues": {":g": self._value(table, "g"),
                                                                         ":v": self._value(table, "v")}}})
            elif kind == "Delete":
                actions.append({"Delete": {"TableName": table, "Key": key}})
            else:
                actions.append({"ConditionCheck": {"TableName": table, "Key": key,
                                                   "ConditionExpression": r.choice(["attribute_exists(pk)",
                                                                                    "attribute_not_exists(pk)"])}})
        return Step("call", "transact_write_items", {"TransactItems": actions})

    def partiql(self) -> Step:
        r = self.random
        pk = f"p{r.randrange(8)}"
        statement = r.choice([
            f"INSERT INTO \"Hash\" VALUE {{'pk': '{pk}', 'g': 'g{r.randrange(4)}', 'n': {r.randrange(5)}}}",
            f"UPDATE \"Hash\" SET g = 'g{r.randrange(4)}' WHERE pk = '{pk}'",
            f"DELETE FROM \"Hash\" WHERE pk = '{pk}'",
            f"SELECT * FROM \"Hash\" WHERE pk = '{pk}'",
        ])
        return Step("call", "execute_statement", {"Statement": statement})

    def add_index(self) -> Step:
        return Step("call", "update_table", {
            "TableName": "Hash",
            "AttributeDefinitions": [{"AttributeName": "v", "AttributeType": "S"}],
            "GlobalSecondaryIndexUpdates": [{"Create": _gsi("byV", "v", "pk")}],
        })

    def _read_options(self, params: dict[str, Any]) -> None:
        r = self.random
        if r.random() < 0.7:
            params["Limit"] = r.choice([1, 2, 3, 5, 8, 20])
        if r.random() < 0.2:
            params["FilterExpression"] = "attribute_exists(g)"
        elif r.random() < 0.1:
            params["FilterExpression"] = "v >= :fv"
            params.setdefault("ExpressionAttributeValues", {})[":fv"] = {"S": "b"}
        if r.random() < 0.1:
            params["Select"] = "COUNT"
        elif r.random() < 0.1:
            params["ProjectionExpression"] = "pk, v"

    def query(self) -> Step:
        r = self.random
        table = self._table()
        spec = TABLES[table]
        indexes = [None] + [i["IndexName"] for i in spec.get("GlobalSecondaryIndexes", []) + spec.get("LocalSecondaryIndexes", [])]
        if table == "Hash" and self.added_index:
            indexes.append("byV")
        index = r.choice(indexes)
        schema = spec["KeySchema"] if index is None else next(
            (i["KeySchema"] for i in spec.get("GlobalSecondaryIndexes", []) + spec.get("LocalSecondaryIndexes", [])
             if i["IndexName"] == index), _key_schema("v", "pk"))
        hash_name = schema[0]["AttributeName"]
        range_name = schema[1]["AttributeName"] if len(schema) > 1 else None
        params: dict[str, Any] = {"TableName": table, "KeyConditionExpression": "#h = :h",
                                  "ExpressionAttributeNames": {"#h": hash_name},
                                  "ExpressionAttributeValues": {":h": self._value(table, hash_name)}}
        if index:
            params["IndexName"] = index
        if range_name and r.random() < 0.7:
            params["ExpressionAttributeNames"]["#r"] = range_name
            low, high = sorted([self._value(table, range_name), self._value(table, range_name)],
                               key=lambda v: _sort_value(v))
            condition = r.choice(["=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"])
            if condition == "BETWEEN":
                params["KeyConditionExpression"] += " AND #r BETWEEN :a AND :b"
                params["ExpressionAttributeValues"].update({":a": low, ":b": high})
            elif condition == "begins_with" and "S" in low:
                params["KeyConditionExpression"] += " AND begins_with(#r, :a)"
                params["ExpressionAttributeValues"][":a"] = {"S": low["S"][:1]}
            elif condition != "begins_with":
                params["KeyConditionExpression"] += f" AND #r {condition} :a"
                params["ExpressionAttributeValues"][":a"] = low
        params["ScanIndexForward"] = r.random() < 0.6
        self._read_options(params)
        return Step("pages", "query", params)

    def scan(self) -> Step:
        r = self.random
        table = self._table()
        spec = TABLES[table]
        params: dict[str, Any] = {"TableName": table}
        indexes = [i["IndexName"] for i in spec.get("GlobalSecondaryIndexes", []) + spec.get("LocalSecondaryIndexes", [])]
        if indexes and r.random() < 0.3:
            params["IndexName"] = r.choice(indexes)
        if r.random() < 0.2 and table != "Binary":  # moto cannot segment binary keys (HTTP 500)
            total = r.randrange(1, 5)
            params.update({"Segment": r.randrange(total), "TotalSegments": total})
        elif r.random() < 0.35 and "IndexName" not in params:  # resume from a key that may not exist
            params["ExclusiveStartKey"] = self.key(table)
        self._read_options(params)
        return Step("pages", "scan", params)

    def get(self) -> Step:
        table = self._table()
        params: dict[str, Any] = {"TableName": table, "Key": self.key(table)}
        if self.random.random() < 0.3:
            params["ProjectionExpression"] = "v, m.x[0]"
        return Step("call", "get_item", params)

    def batch_get(self) -> Step:
        table = self._table()
        return Step("call", "batch_get_item", {"RequestItems": {table: {"Keys": self._unique_keys(table, 4)}}})


def _sort_value(value: dict[str, Any]) -> Any:
    from decimal import Decimal

    kind, raw = next(iter(value.items()))
    return Decimal(raw) if kind == "N" else raw
