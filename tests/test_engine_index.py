"""The embedded engine's indexes (issue 15, points 1-3): a Query or Scan reads only its page,
whatever the table's size; indexes follow every kind of write; Limit ending a page returns a
LastEvaluatedKey as DynamoDB does; a cancelled transaction puts everything back; nothing leaks.

The answers themselves are compared with stock moto's in ``test_engine_differential.py``; here
the engine's own promises are checked through the DynamoDB API, and the read cost through the
window each read is given (the items moto's loop gets to look at).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import Item

from emulator.engine import start_engine
from emulator.indexed_moto import windows

ITEMS = 1500
ACCOUNT = "123456789012"


def post(n: int) -> dict[str, Any]:
    return {"id": {"S": f"post-{n:05d}"}, "title": {"S": f"title {n % 30}"}, "rank": {"N": str(n % 7)},
            "status": {"S": "live" if n % 3 else "draft"}}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    saved = {account: dict(regions) for account, regions in dynamodb_backends.items()}
    dynamodb_backends.clear()
    with closing(start_engine(None, "us-east-1")) as engine:
        dynamodb = engine.client()
        dynamodb.create_table(
            TableName="Post", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "title", "AttributeType": "S"},
                                  {"AttributeName": "rank", "AttributeType": "N"}],
            GlobalSecondaryIndexes=[{"IndexName": "byTitle", "Projection": {"ProjectionType": "ALL"},
                                     "KeySchema": [{"AttributeName": "title", "KeyType": "HASH"},
                                                   {"AttributeName": "rank", "KeyType": "RANGE"}]}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        for first in range(0, ITEMS, 25):
            dynamodb.batch_write_item(RequestItems={"Post": [{"PutRequest": {"Item": post(n)}}
                                                             for n in range(first, first + 25)]})
        yield dynamodb
    dynamodb_backends.clear()
    for account, regions in saved.items():
        for region, backend in regions.items():
            dynamodb_backends[account][region] = backend


def table() -> Any:
    return dynamodb_backends[ACCOUNT]["us-east-1"].tables["Post"]


def by_title(client: Any, title: str, **extra: Any) -> dict[str, Any]:
    return client.query(TableName="Post", IndexName="byTitle", KeyConditionExpression="title = :t",
                        ExpressionAttributeValues={":t": {"S": title}}, **extra)


def test_a_query_reads_its_page_not_the_table(client: Any) -> None:
    shape = windows.QueryShape("byTitle", None, [("title", _typed({"S": "title 7"}))], [], None, True, 5)
    window = windows.query_window(table(), shape)
    assert window is not None and len(window.items) == 5
    assert all(item.attrs["title"].value == "title 7" for item in window.items)

    start = {"id": {"S": "post-00700"}}
    scan = windows.scan_window(table(), None, start, 20, (None, None))
    assert scan is not None and len(scan.items) == 20
    assert scan.items[0].attrs["id"].value == "post-00701"  # strictly after the start key


def test_index_queries_page_in_order_to_the_end(client: Any) -> None:
    seen: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {"Limit": 7}
    while True:
        page = by_title(client, "title 3", **kwargs)
        seen += [(item["rank"]["N"], item["id"]["S"]) for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    expected = sorted((str(n % 7), f"post-{n:05d}") for n in range(ITEMS) if n % 30 == 3)
    assert seen == sorted(seen, key=lambda pair: (int(pair[0]), pair[1])) and sorted(seen) == expected


def test_limit_ending_on_the_last_item_still_returns_a_last_evaluated_key(client: Any) -> None:
    everything = by_title(client, "title 4")["Items"]
    page = by_title(client, "title 4", Limit=len(everything))
    assert page["Count"] == len(everything) and "LastEvaluatedKey" in page
    assert page["LastEvaluatedKey"]["id"] == everything[-1]["id"]
    after = by_title(client, "title 4", ExclusiveStartKey=page["LastEvaluatedKey"])
    assert after["Count"] == 0 and after["ScannedCount"] == 0 and "LastEvaluatedKey" not in after
    assert "LastEvaluatedKey" not in by_title(client, "title 4", Limit=len(everything) + 1)


def test_updates_and_deletes_move_index_entries(client: Any) -> None:
    client.update_item(TableName="Post", Key={"id": {"S": "post-00005"}}, UpdateExpression="SET title = :t",
                       ExpressionAttributeValues={":t": {"S": "moved"}})
    client.update_item(TableName="Post", Key={"id": {"S": "post-00006"}}, UpdateExpression="REMOVE #r",
                       ExpressionAttributeNames={"#r": "rank"})  # leaves the sparse index
    client.update_item(TableName="Post", Key={"id": {"S": "brand-new"}}, UpdateExpression="SET title = :t, #r = :r",
                       ExpressionAttributeNames={"#r": "rank"},
                       ExpressionAttributeValues={":t": {"S": "moved"}, ":r": {"N": "-1"}})
    assert [i["id"]["S"] for i in by_title(client, "moved")["Items"]] == ["brand-new", "post-00005"]
    assert "post-00005" not in {i["id"]["S"] for i in by_title(client, "title 5")["Items"]}
    assert "post-00006" not in {i["id"]["S"] for i in by_title(client, "title 6")["Items"]}
    client.delete_item(TableName="Post", Key={"id": {"S": "brand-new"}})
    client.execute_statement(Statement="DELETE FROM \"Post\" WHERE id = 'post-00005'")
    assert by_title(client, "moved")["Items"] == []


def test_update_table_keeps_every_key_attribute_definition(client: Any) -> None:
    """moto replaced a table's AttributeDefinitions with those an UpdateTable named (the new
    index's), losing the table's own key; DescribeTable then lacked it, a restore from backup
    failed, and the next start saw a "changed" key."""
    client.update_table(TableName="Post", AttributeDefinitions=[{"AttributeName": "status", "AttributeType": "S"}],
                        GlobalSecondaryIndexUpdates=[{"Create": {
                            "IndexName": "byStatus", "Projection": {"ProjectionType": "KEYS_ONLY"},
                            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}]}}])
    described = client.describe_table(TableName="Post")["Table"]
    assert sorted((a["AttributeName"], a["AttributeType"]) for a in described["AttributeDefinitions"]) == [
        ("id", "S"), ("rank", "N"), ("status", "S"), ("title", "S")]
    page = client.query(TableName="Post", IndexName="byStatus", KeyConditionExpression="#s = :s", Limit=3,
                        ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "draft"}})
    assert [sorted(item) for item in page["Items"]] == [["id", "status"]] * 3
    assert by_title(client, "title 9", Limit=2)["Count"] == 2


def test_a_cancelled_transaction_leaves_items_indexes_and_stream_as_they_were(client: Any) -> None:
    streams = _streams(client)
    arn = client.describe_table(TableName="Post")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    before = by_title(client, "title 8")["Items"]
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Post", "Item": {**post(8), "id": {"S": "never"}}}},
            {"Update": {"TableName": "Post", "Key": {"id": {"S": "post-00038"}}, "UpdateExpression": "SET title = :t",
                        "ExpressionAttributeValues": {":t": {"S": "gone"}}}},
            {"Delete": {"TableName": "Post", "Key": {"id": {"S": "post-00068"}}}},
            {"ConditionCheck": {"TableName": "Post", "Key": {"id": {"S": "missing"}},
                                "ConditionExpression": "attribute_exists(id)"}},
        ])
    assert by_title(client, "title 8")["Items"] == before
    assert "Item" not in client.get_item(TableName="Post", Key={"id": {"S": "never"}})
    client.put_item(TableName="Post", Item={**post(1), "id": {"S": "after-cancel"}})
    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["after-cancel"]  # nothing of the cancelled one


def test_no_objects_pile_up_over_reads_and_transactions(client: Any) -> None:
    def live_items() -> int:
        gc.collect()
        return sum(1 for obj in gc.get_objects() if isinstance(obj, Item))

    for n in range(50):  # warm up: everything first use creates
        by_title(client, f"title {n % 30}", Limit=20)
    baseline = live_items()
    for n in range(500):
        by_title(client, f"title {n % 30}", Limit=20)
        client.scan(TableName="Post", Limit=20)
    for n in range(100):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Post", "Item": {**post(n), "id": {"S": f"tx-{n % 10}"}}}},
            {"Update": {"TableName": "Post", "Key": {"id": {"S": "post-00001"}}, "UpdateExpression": "ADD hits :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        ])
    assert live_items() <= baseline + 10 + 20  # the ten tx-* items, and slack for the last pages


def _typed(value: dict[str, Any]) -> Any:
    from moto.dynamodb.models.dynamo_type import DynamoType

    return DynamoType(value)


def _streams(client: Any) -> Any:
    import boto3

    return boto3.session.Session().client(
        "dynamodbstreams", endpoint_url=client.meta.endpoint_url, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local")
