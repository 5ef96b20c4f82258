"""The embedded engine with persisted tables, for the persistence tests: crash images and dumps.

A "crash image" is a copy of the tables folder taken while the engine runs: the journal is synced
before each answer, so the copy is exactly what a crash at that moment would leave on disk.
The tests using these run with the ``own_moto_state`` fixture (``tests/conftest.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from emulator.engine import Engine, start_engine
from emulator.persistence.store import tables_dir


def open_engine(data_dir: Path) -> Engine:
    return start_engine(None, "us-east-1", data_dir=data_dir)


def crash_image(data_dir: Path, target: Path) -> Path:
    shutil.copytree(tables_dir(data_dir), tables_dir(target), ignore=shutil.ignore_patterns("LOCK"))
    return target


def table_names(client: Any) -> list[str]:
    return sorted(client.list_tables()["TableNames"])


def dump(client: Any) -> dict[str, Any]:
    """Everything observable: tables, their keys and indexes, every item."""
    result = {}
    for name in table_names(client):
        table = client.describe_table(TableName=name)["Table"]
        items, kwargs = [], {"TableName": name}
        while True:
            page = client.scan(**kwargs)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        result[name] = {
            "keys": table["KeySchema"],
            "attributes": sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
            "gsis": sorted((i["IndexName"], str(i["KeySchema"])) for i in table.get("GlobalSecondaryIndexes", [])),
            "items": sorted(items, key=repr),
        }
    return result


def create_posts(client: Any, name: str = "Post") -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "status", "AttributeType": "S"},
                              {"AttributeName": "rating", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "byStatus",
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "rating", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )


def every_write_kind(client: Any) -> None:
    """One of each write call, including failing ones and index changes."""
    create_posts(client)
    client.create_table(
        TableName="Gone", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )
    for n in range(5):
        client.put_item(TableName="Post", Item={
            "id": {"S": f"p{n}"}, "status": {"S": "draft" if n % 2 else "live"}, "rating": {"N": str(n)},
            "tags": {"SS": ["a", f"t{n}"]}, "hits": {"N": "0"}, "bin": {"B": bytes([n, 0, 255])},
        })
    client.update_item(
        TableName="Post", Key={"id": {"S": "p1"}},
        UpdateExpression="SET #s = :s, title = if_not_exists(title, :t), notes = list_append(if_not_exists(notes, :e), :n) "
                         "ADD hits :one, tags :more REMOVE bin",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "live"}, ":t": {"S": "First"}, ":e": {"L": []},
                                   ":n": {"L": [{"S": "x"}]}, ":one": {"N": "1"}, ":more": {"SS": ["z"]}},
    )
    client.update_item(TableName="Post", Key={"id": {"S": "p1"}}, UpdateExpression="ADD hits :one",
                       ExpressionAttributeValues={":one": {"N": "1"}})
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(TableName="Post", Item={"id": {"S": "p2"}}, ConditionExpression="attribute_not_exists(id)")
    client.delete_item(TableName="Post", Key={"id": {"S": "p0"}})
    client.batch_write_item(RequestItems={"Post": [
        {"PutRequest": {"Item": {"id": {"S": "b1"}, "status": {"S": "live"}, "rating": {"N": "7"}}}},
        {"PutRequest": {"Item": {"id": {"S": "b2"}, "nested": {"M": {"a": {"L": [{"N": "1.5"}, {"NULL": True}]}}}}}},
        {"DeleteRequest": {"Key": {"id": {"S": "p4"}}}},
    ]})
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Post", "Item": {"id": {"S": "t1"}, "status": {"S": "live"}, "rating": {"N": "9"}}}},
        {"Update": {"TableName": "Post", "Key": {"id": {"S": "b1"}}, "UpdateExpression": "SET rating = :r",
                    "ExpressionAttributeValues": {":r": {"N": "8"}}}},
        {"Delete": {"TableName": "Post", "Key": {"id": {"S": "p3"}}}},
        {"ConditionCheck": {"TableName": "Post", "Key": {"id": {"S": "p2"}}, "ConditionExpression": "attribute_exists(id)"}},
    ])
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Post", "Item": {"id": {"S": "never"}}}},
            {"ConditionCheck": {"TableName": "Post", "Key": {"id": {"S": "missing"}},
                                "ConditionExpression": "attribute_exists(id)"}},
        ])
    client.execute_statement(Statement="INSERT INTO \"Post\" VALUE {'id': 'q1', 'status': 'live', 'rating': 3}")
    client.execute_statement(Statement="UPDATE \"Post\" SET title = 'partiql' WHERE id = 'q1'")
    client.update_table(
        TableName="Post",
        AttributeDefinitions=[{"AttributeName": "title", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "byTitle", "KeySchema": [{"AttributeName": "title", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }}],
    )
    client.delete_table(TableName="Gone")


def live_ratings(client: Any) -> list[tuple[str, str]]:
    page = client.query(TableName="Post", IndexName="byStatus", KeyConditionExpression="#s = :s",
                        ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "live"}})
    return [(item["id"]["S"], item["rating"]["N"]) for item in page["Items"]]
