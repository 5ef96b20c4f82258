"""The ``Sync`` request document on a versioned DynamoDB data source (DataStore's delta sync, as a
project's own VTL or APPSYNC_JS resolver sends it): base table without ``lastSync``, the delta
sync table's changes since a recent one, pages with one ``startedAt``, filters and key conditions;
the same answer as the model's ``syncX``; refused on a data source that is not versioned; and a
versioned data source refusing what AppSync's refuses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.datasources import DataSourceResult, DynamoDBSource, execute
from tests.datasources_support import dynamodb_source, n, s
from tests.datastore_engine import DataStoreHarness, datastore_harness

SCHEMA = """
type Note @model {
  id: ID!
  title: String
  rating: Int @index(name: "byRating")
}
"""


@pytest.fixture
def ds(dynamodb_client: Any) -> DataStoreHarness:
    return datastore_harness(dynamodb_client, SCHEMA)


def later(ds: DataStoreHarness, **delta: float) -> None:
    ds.set_time(ds.harness.now + timedelta(**delta))


def create(ds: DataStoreHarness, item_id: str, **values: Any) -> None:
    ds.run("Mutation", "createNote", {"input": {"id": item_id, **values}})


def sync(ds: DataStoreHarness, **document: Any) -> DataSourceResult:
    request = {"version": "2018-05-29", "operation": "Sync", **document}
    return execute(dynamodb_source(ds.harness, "Note"), request, ds.ctx())


def test_without_last_sync_it_reads_the_base_table_tombstones_too(ds: DataStoreHarness) -> None:
    for i in range(3):
        create(ds, f"n{i}", title=f"t{i}")
    ds.run("Mutation", "deleteNote", {"input": {"id": "n1", "_version": 1}})
    later(ds, seconds=1)
    outcome = sync(ds)
    assert outcome.error is None
    result = outcome.result
    assert sorted((i["id"], i.get("_deleted")) for i in result["items"]) == [("n0", None), ("n1", True), ("n2", None)]
    assert (result["startedAt"], result["nextToken"], result["scannedCount"]) == (ds.now_ms, None, 3)
    assert all("_ttl" not in item for item in result["items"])


def test_pages_count_items_read_and_keep_the_first_pages_started_at(ds: DataStoreHarness) -> None:
    for i in range(5):
        create(ds, f"n{i}", rating=i)
    first = sync(ds, limit=2, filter={"expression": "#r >= :r", "expressionNames": {"#r": "rating"},
                                      "expressionValues": {":r": n(2)}}).result
    started, seen, token = first["startedAt"], [i["id"] for i in first["items"]], first["nextToken"]
    assert first["scannedCount"] == 2 and token
    later(ds, seconds=3)
    while token:
        page = sync(ds, limit=2, nextToken=token, filter={"expression": "#r >= :r", "expressionNames": {"#r": "rating"},
                                                           "expressionValues": {":r": n(2)}}).result
        assert page["startedAt"] == started
        seen, token = seen + [i["id"] for i in page["items"]], page["nextToken"]
    assert sorted(seen) == ["n2", "n3", "n4"]


def test_a_recent_last_sync_reads_the_changes_since_then_as_the_models_sync_does(ds: DataStoreHarness) -> None:
    create(ds, "old", title="before")
    later(ds, seconds=1)
    last_sync = sync(ds).result["startedAt"]
    later(ds, seconds=1)
    create(ds, "new", title="a")
    ds.run("Mutation", "updateNote", {"input": {"id": "new", "_version": 1, "title": "b"}})
    later(ds, minutes=5)
    result = sync(ds, lastSync=last_sync).result
    assert [(i["id"], i["_version"], i["title"]) for i in result["items"]] == [("new", 1, "a"), ("new", 2, "b")]
    assert all("ds_pk" not in i and "ds_sk" not in i for i in result["items"])
    assert result == ds.run("Query", "syncNotes", {"lastSync": last_sync}) | {"scannedCount": 2}
    later(ds, minutes=31)  # past DeltaSyncTableTTL (30): the base table again
    assert sorted(i["id"] for i in sync(ds, lastSync=last_sync).result["items"]) == ["new", "old"]


def test_query_and_index_read_the_base_table_by_key(ds: DataStoreHarness) -> None:
    for i, rating in enumerate((5, 7, 5)):
        create(ds, f"n{i}", rating=rating)
    result = sync(ds, index="byRating", query={"expression": "#r = :r", "expressionNames": {"#r": "rating"},
                                                "expressionValues": {":r": n(5)}}).result
    assert sorted(i["id"] for i in result["items"]) == ["n0", "n2"] and result["scannedCount"] == 2


def test_a_sync_on_a_data_source_that_is_not_versioned_is_refused(ds: DataStoreHarness) -> None:
    plain = DynamoDBSource("PlainTable", ds.harness.table_name("Note"))
    with pytest.raises(AppSyncError) as refused:
        execute(plain, {"version": "2018-05-29", "operation": "Sync"}, ds.ctx())
    assert refused.value.error_type == "MappingTemplate"
    assert refused.value.message.startswith("Unsupported operation 'Sync' for data source 'PlainTable': Sync requests "
                                            "can only be made to versioned DynamoDB data sources")


@pytest.mark.parametrize(("document", "message"), [
    ({"lastSinc": 1}, "Unsupported element '$[lastSinc]'."),
    ({"lastSync": "yesterday"}, "Expected JSON integer for '$[lastSync]' but got 'STRING' instead."),
    ({"version": "2017-02-28"}, "Unsupported version '2017-02-28' for '$[version]' of a Sync request"),
    ({"basePartitionKey": 3}, "Expected JSON string for '$[basePartitionKey]' but got 'NUMBER' instead."),
    ({"index": "byRating"}, "'$[index]' of a Sync request needs '$[query]'"),
])
def test_a_wrong_sync_document_is_a_mapping_template_error(ds: DataStoreHarness, document: dict[str, Any],
                                                           message: str) -> None:
    with pytest.raises(AppSyncError) as refused:
        sync(ds, **document)
    assert refused.value.error_type == "MappingTemplate" and refused.value.message.startswith(message)


def test_engine_side_failures_reach_the_template_as_ctx_error(ds: DataStoreHarness) -> None:
    outcome = sync(ds, nextToken="bm90IGEgdG9rZW4=")
    assert outcome.result is None
    assert outcome.error is not None and outcome.error.error_type == "DynamoDB:UserIllegalArgumentException"
    assert sync(ds, limit=0).error.error_type == "DynamoDB:ValidationException"  # type: ignore[union-attr]


def test_a_versioned_data_source_refuses_the_writes_appsync_does_not_version(ds: DataStoreHarness) -> None:
    with pytest.raises(AppSyncError) as refused:
        execute(dynamodb_source(ds.harness, "Note"), {"version": "2018-05-29", "operation": "BatchPutItem",
                                                      "tables": {"NoteTable": [{"id": s("x")}]}}, ds.ctx())
    assert refused.value.message == ("Unsupported operation 'BatchPutItem'. Datasource Versioning only supports the "
                                     "following operations (TransactGetItems,PutItem,BatchGetItem,Scan,Query,GetItem,"
                                     "DeleteItem,UpdateItem,Sync)")
    assert refused.value.error_type == "MappingTemplate"
