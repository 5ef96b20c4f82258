"""``syncX`` (DataStore's Sync): base table without ``lastSync``, the delta sync table since a recent
one, the base table again past ``DeltaSyncTableTTL``; pages, ``startedAt``, filters, auth, and the
v2 preAuth slot turning a keyed sync filter into a Query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from emulator.errors import AppSyncError
from tests.datastore_engine import DataStoreHarness, datastore_harness
from tests.resolvers_engine import FilterPolicy

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


def sync(ds: DataStoreHarness, **args: Any) -> dict[str, Any]:
    return ds.run("Query", "syncNotes", args)


def create(ds: DataStoreHarness, item_id: str, **values: Any) -> dict[str, Any]:
    return ds.run("Mutation", "createNote", {"input": {"id": item_id, **values}})


def test_base_sync_returns_every_item_deleted_ones_too(ds: DataStoreHarness) -> None:
    for n in range(3):
        create(ds, f"n{n}", title=f"t{n}")
    ds.run("Mutation", "deleteNote", {"input": {"id": "n1", "_version": 1}})
    later(ds, seconds=1)
    result = sync(ds)
    assert sorted((i["id"], i.get("_deleted")) for i in result["items"]) == [("n0", None), ("n1", True), ("n2", None)]
    assert result["startedAt"] == ds.now_ms and result["nextToken"] is None
    assert all("_ttl" not in item for item in result["items"])


def test_pages_keep_the_first_pages_started_at(ds: DataStoreHarness) -> None:
    for n in range(5):
        create(ds, f"n{n}")
    first = sync(ds, limit=2)
    started = first["startedAt"]
    later(ds, seconds=3)
    seen, token = [i["id"] for i in first["items"]], first["nextToken"]
    while token:
        page = sync(ds, limit=2, nextToken=token)
        assert page["startedAt"] == started
        seen += [i["id"] for i in page["items"]]
        token = page["nextToken"]
    assert sorted(seen) == [f"n{n}" for n in range(5)]


def test_delta_sync_returns_the_changes_since_last_sync(ds: DataStoreHarness) -> None:
    create(ds, "old", title="before")
    later(ds, seconds=1)
    last_sync = sync(ds)["startedAt"]
    later(ds, seconds=1)
    create(ds, "new", title="a")
    ds.run("Mutation", "updateNote", {"input": {"id": "new", "_version": 1, "title": "b"}})
    ds.run("Mutation", "deleteNote", {"input": {"id": "old", "_version": 1}})
    later(ds, minutes=5)
    result = sync(ds, lastSync=last_sync)
    assert [(i["id"], i["_version"], i.get("title"), i.get("_deleted")) for i in result["items"]] == [
        ("new", 1, "a", None), ("new", 2, "b", None), ("old", 2, "before", True)]
    assert all("ds_pk" not in i and "ds_sk" not in i and "_ttl" not in i for i in result["items"])
    assert sync(ds, lastSync=last_sync, filter={"title": {"eq": "b"}})["items"][0]["_version"] == 2


def test_past_the_delta_table_ttl_a_sync_reads_the_base_table(ds: DataStoreHarness) -> None:
    create(ds, "n1", title="a")
    last_sync = ds.now_ms
    later(ds, minutes=31)
    create(ds, "n2", title="b")
    ds.run("Mutation", "updateNote", {"input": {"id": "n2", "_version": 1, "title": "c"}})
    result = sync(ds, lastSync=last_sync)
    assert sorted((i["id"], i["_version"]) for i in result["items"]) == [("n1", 1), ("n2", 2)]  # one per item


def test_delta_sync_crosses_midnight_page_by_page(ds: DataStoreHarness) -> None:
    ds.set_time(ds.harness.now.replace(hour=23, minute=59, second=50))
    last_sync = ds.now_ms
    for n in range(3):
        later(ds, seconds=3)
        create(ds, f"n{n}")  # 23:59:53, 23:59:56, 23:59:59
    later(ds, seconds=3)
    create(ds, "n3")  # 00:00:02, the next day's partition
    later(ds, seconds=10)
    seen, token = [], None
    while True:
        page = sync(ds, lastSync=last_sync, limit=2, **({"nextToken": token} if token else {}))
        seen += [i["id"] for i in page["items"]]
        token = page["nextToken"]
        if not token:
            break
    assert seen == ["n0", "n1", "n2", "n3"]


def test_a_token_from_elsewhere_is_refused(ds: DataStoreHarness) -> None:
    for n in range(3):
        create(ds, f"n{n}")
    token = sync(ds, limit=1)["nextToken"]
    for bad in (token[:-4] + "AAAA", "bm90IGEgdG9rZW4=", ds.run("Query", "listNotes", {"limit": 1})["nextToken"]):
        with pytest.raises(AppSyncError) as raised:
            sync(ds, nextToken=bad)
        assert raised.value.error_type == "DynamoDB:UserIllegalArgumentException"


def test_v2_ands_the_auth_filter(ds: DataStoreHarness) -> None:
    create(ds, "mine", title="x")
    create(ds, "theirs", title="x")
    ds.harness.now += timedelta(seconds=1)
    policy = FilterPolicy({"id": {"eq": "mine"}})
    result = ds.run("Query", "syncNotes", {"filter": {"title": {"eq": "x"}}}, ds.ctx(policy=policy))
    assert [i["id"] for i in result["items"]] == ["mine"]


def test_a_keyed_sync_filter_becomes_a_query_on_the_index(ds: DataStoreHarness) -> None:
    for n in range(6):
        create(ds, f"n{n}", rating=n % 2, title="keep" if n < 4 else "drop")
    keyed = sync(ds, filter={"and": [{"rating": {"eq": 1}}, {"title": {"eq": "keep"}}]})
    assert sorted(i["id"] for i in keyed["items"]) == ["n1", "n3"]
    assert keyed["scannedCount"] == 3  # the index partition only, not the table
    scanned = sync(ds, filter={"and": [{"title": {"eq": "keep"}}, {"rating": {"eq": 1}}]})
    assert sorted(i["id"] for i in scanned["items"]) == ["n1", "n3"] and scanned["scannedCount"] == 6


def test_v1_drops_what_the_caller_may_not_see(dynamodb_client: Any) -> None:
    v1 = datastore_harness(dynamodb_client, "type Note @model { id: ID! title: String }", version="v1")
    for item_id in ("a", "b"):
        v1.run("Mutation", "createNote", {"input": {"id": item_id}})

    class OnlyA(FilterPolicy):
        def visible_items(self, model, identity, items):  # type: ignore[no-untyped-def]
            return [i for i in items if i["id"] == "a"]

    result = v1.run("Query", "syncNotes", {}, v1.ctx(policy=OnlyA({})))
    assert [i["id"] for i in result["items"]] == ["a"]
