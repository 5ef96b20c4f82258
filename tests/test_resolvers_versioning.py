"""Versioned writes (DataStore): ``_version``/``_lastChangedAt``, the delta sync log, soft deletes,
and each conflict handler (AUTOMERGE, OPTIMISTIC_CONCURRENCY, LAMBDA) on a real engine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers import versioning
from tests.datastore_engine import DataStoreHarness, datastore_harness

SCHEMA = """
type Note @model {
  id: ID!
  title: String
  tags: [String]
  rating: Int
  details: Details
}
type Details { color: String, sizes: [Int] }
"""


@pytest.fixture
def auto(dynamodb_client: Any) -> DataStoreHarness:
    return datastore_harness(dynamodb_client, SCHEMA, "AUTOMERGE")


@pytest.fixture
def optimistic(dynamodb_client: Any) -> DataStoreHarness:
    return datastore_harness(dynamodb_client, SCHEMA, "OPTIMISTIC_CONCURRENCY")


def create(ds: DataStoreHarness, **values: Any) -> dict[str, Any]:
    return ds.run("Mutation", "createNote", {"input": {"id": "n1", **values}})


def update(ds: DataStoreHarness, version: int | None, **values: Any) -> dict[str, Any]:
    return ds.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": version, **values}})


def test_create_is_version_1_and_logged(auto: DataStoreHarness) -> None:
    created = create(auto, title="a", _version=7)  # the client's _version is not the server's
    assert (created["_version"], created["_lastChangedAt"], created.get("_deleted")) == (1, auto.now_ms, None)
    assert auto.stored("Note", "n1")["_version"] == 1  # type: ignore[index]
    [record] = auto.delta()
    table = auto.harness.table_name("Note")
    assert record["ds_pk"] == f"{table}:2026-11-29"
    assert record["ds_sk"] == "12:30:45.123:n1:1"
    assert record["_ttl"] == auto.now_ms // 1000 + 30 * 60
    assert (record["title"], record["_version"]) == ("a", 1)


def test_create_of_an_existing_item_fails_its_condition(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    with pytest.raises(AppSyncError) as raised:
        create(auto, title="b")
    assert raised.value.error_type == "ConditionalCheckFailedException"
    assert raised.value.message.startswith("The conditional request failed")
    assert len(auto.delta()) == 1


def test_update_with_the_stored_version_bumps_it(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    auto.set_time(auto.harness.now + timedelta(seconds=5))
    updated = update(auto, 1, title="b")
    assert (updated["title"], updated["_version"], updated["_lastChangedAt"]) == ("b", 2, auto.now_ms)
    assert [r["_version"] for r in auto.delta()] == [1, 2]
    assert auto.delta()[1]["ds_sk"] == "12:30:50.123:n1:2"


def test_optimistic_concurrency_rejects_a_stale_version_with_the_server_item(optimistic: DataStoreHarness) -> None:
    create(optimistic, title="a")
    update(optimistic, 1, title="b")
    for stale in (1, None):  # a missing _version is version 0, as Amplify's template sends it
        with pytest.raises(AppSyncError) as raised:
            update(optimistic, stale, title="c")
        error = raised.value
        assert (error.error_type, error.message) == ("ConflictUnhandled", "Conflict resolver rejects mutation.")
        assert error.data["title"] == "b" and error.data["_version"] == 2
    assert optimistic.stored("Note", "n1")["title"] == "b"  # type: ignore[index]
    assert len(optimistic.delta()) == 2


def test_automerge_keeps_server_scalars_appends_lists_and_fills_nulls(auto: DataStoreHarness) -> None:
    create(auto, title="server", tags=["x"], details={"color": "red", "sizes": [1]})
    merged = update(auto, 0, title="client", tags=["y", "x"], rating=5, details={"color": "blue", "sizes": [2]})
    assert merged["title"] == "server"
    assert merged["tags"] == ["x", "y", "x"]  # appended, duplicates kept
    assert merged["rating"] == 5  # the server had none
    assert merged["details"] == {"color": "red", "sizes": [1, 2]}
    assert merged["_version"] == 2


def test_automerge_unions_sets(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    client = auto.harness.client
    client.update_item(TableName=auto.harness.table_name("Note"), Key={"id": {"S": "n1"}},
                       UpdateExpression="SET tags = :s", ExpressionAttributeValues={":s": {"SS": ["a", "b"]}})
    ctx = auto.ctx()  # a string set only comes from outside GraphQL: merge one with a set, at the table level
    source = versioning.VersionedSource.of(ctx, auto.harness.api.models["Note"])
    merged = versioning.update(ctx, source, {"id": "n1"}, {"tags": {"b", "c"}}, 0, None,
                               versioning.Mutation("updateNote", {}))
    assert merged["tags"] == ["a", "b", "c"]
    assert auto.raw("Note", "n1")["tags"] == {"SS": ["a", "b", "c"]}


def test_delete_leaves_a_tombstone_that_gets_and_lists_still_return(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    deleted = auto.run("Mutation", "deleteNote", {"input": {"id": "n1", "_version": 1}})
    assert (deleted["_deleted"], deleted["_version"], deleted["title"]) == (True, 2, "a")
    assert auto.raw("Note", "n1")["_ttl"] == {"N": str(auto.now_ms // 1000 + 43200 * 60)}
    assert "_ttl" not in deleted
    assert auto.run("Query", "getNote", {"id": "n1"})["_deleted"] is True
    assert [i["id"] for i in auto.run("Query", "listNotes", {})["items"]] == ["n1"]
    assert [(r["_version"], r.get("_deleted")) for r in auto.delta()] == [(1, None), (2, True)]


def test_delete_with_a_stale_version_is_rejected_even_under_automerge(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    update(auto, 1, title="b")
    with pytest.raises(AppSyncError) as raised:
        auto.run("Mutation", "deleteNote", {"input": {"id": "n1", "_version": 1}})
    assert raised.value.error_type == "ConflictUnhandled"
    assert raised.value.data["_version"] == 2
    assert auto.stored("Note", "n1").get("_deleted") is None  # type: ignore[union-attr]


def test_deleting_a_missing_item_fails_the_key_condition(auto: DataStoreHarness) -> None:
    with pytest.raises(AppSyncError) as raised:
        auto.run("Mutation", "deleteNote", {"input": {"id": "nope", "_version": 1}})
    assert raised.value.error_type == "ConditionalCheckFailedException"
    with pytest.raises(AppSyncError):
        update(auto, 1, title="x")  # updating a missing item too


def test_base_table_ttl_zero_removes_the_item_but_logs_the_delete(dynamodb_client: Any) -> None:
    ds = datastore_harness(dynamodb_client, SCHEMA, "AUTOMERGE", base_table_ttl=0)
    create(ds, title="a")
    deleted = ds.run("Mutation", "deleteNote", {"input": {"id": "n1", "_version": 1}})
    assert (deleted["_deleted"], deleted["_version"]) == (True, 2)
    assert ds.stored("Note", "n1") is None
    assert ds.delta()[-1]["_deleted"] is True


def test_a_failed_condition_argument_writes_nothing(auto: DataStoreHarness) -> None:
    create(auto, title="a")
    with pytest.raises(AppSyncError) as raised:
        auto.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 1, "title": "b"},
                                            "condition": {"title": {"eq": "zzz"}}})
    assert raised.value.error_type == "ConditionalCheckFailedException"
    assert auto.stored("Note", "n1")["_version"] == 1  # type: ignore[index]


class _Interloper:
    """A client whose first UpdateItem lets another writer bump the item just before it."""

    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table, self._done = client, table, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def update_item(self, **params: Any) -> Any:
        if not self._done:
            self._done = True
            self._client.update_item(TableName=self._table, Key={"id": {"S": "n1"}},
                                     UpdateExpression="SET #v = :v, title = :t",
                                     ExpressionAttributeNames={"#v": "_version"},
                                     ExpressionAttributeValues={":v": {"N": "2"}, ":t": {"S": "theirs"}})
        return self._client.update_item(**params)


def test_a_write_that_lands_in_between_makes_the_update_decide_again(auto: DataStoreHarness,
                                                                      optimistic: DataStoreHarness) -> None:
    for ds, expected in ((auto, "theirs"), (optimistic, None)):
        create(ds, title="a")
        ctx = ds.ctx(dynamodb=_Interloper(ds.harness.client, ds.harness.table_name("Note")))
        if expected is None:
            with pytest.raises(AppSyncError) as raised:
                ds.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 1, "title": "mine"}}, ctx)
            assert raised.value.error_type == "ConflictUnhandled" and raised.value.data["title"] == "theirs"
        else:
            merged = ds.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 1, "title": "mine"}}, ctx)
            assert (merged["title"], merged["_version"]) == (expected, 3)


class FakeRunners:
    """The function runners' ``invoke``, answering with a Python handler."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.calls: list[tuple[str, Any]] = []

    def invoke(self, function_name: str, payload: Any, *, invocation_type: str = "RequestResponse") -> Any:
        self.calls.append((function_name, payload))
        return self.handler(payload)


class HandlerFailed(Exception):
    message = "boom"
    error_type = "Lambda:Unhandled"


@pytest.fixture
def lam(dynamodb_client: Any) -> DataStoreHarness:
    ds = datastore_harness(dynamodb_client, SCHEMA, "LAMBDA", lambda_function="resolver-${env}")
    create(ds, title="server", rating=1)
    return ds


def test_lambda_resolve_writes_the_handlers_item(lam: DataStoreHarness) -> None:
    runners = FakeRunners(lambda event: {"action": "RESOLVE", "item": {"id": "n1", "title": "resolved"}})
    resolved = lam.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 0, "title": "client"}},
                       lam.ctx(functions=runners))
    assert (resolved["title"], resolved["_version"], resolved.get("rating")) == ("resolved", 2, None)
    [(name, event)] = runners.calls
    assert name == "resolver-${env}"
    assert event["existingItem"]["title"] == "server" and event["existingItem"]["_version"] == 1
    assert event["newItem"]["title"] == "client" and event["newItem"]["rating"] == 1
    assert event["arguments"] == {"input": {"id": "n1", "_version": 0, "title": "client"}}
    assert event["resolver"] == {"tableName": lam.harness.table_name("Note"), "awsRegion": "us-east-1",
                                 "parentType": "Mutation", "field": "updateNote", "outputType": "Note"}
    assert event["identity"] is None


def test_lambda_reject_and_remove(lam: DataStoreHarness) -> None:
    with pytest.raises(AppSyncError) as raised:
        lam.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 0, "title": "x"}},
                lam.ctx(functions=FakeRunners(lambda event: {"action": "REJECT"})))
    assert raised.value.error_type == "ConflictUnhandled" and raised.value.data["title"] == "server"
    removed = lam.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 0, "title": "x"}},
                      lam.ctx(functions=FakeRunners(lambda event: {"action": "REMOVE"})))
    assert (removed["_deleted"], removed["title"], removed["_version"]) == (True, "server", 2)


@pytest.mark.parametrize(("runners", "error_type", "words"), [
    (FakeRunners(lambda event: {"action": "MERGE"}), "ConflictError", "it must answer"),
    (FakeRunners(lambda event: (_ for _ in ()).throw(HandlerFailed())), "Lambda:Unhandled", "boom"),
    (None, "ConflictError", "cannot run"),
])
def test_lambda_failures_answer_an_error_and_write_nothing(lam: DataStoreHarness, runners: Any, error_type: str,
                                                           words: str) -> None:
    with pytest.raises(AppSyncError) as raised:
        lam.run("Mutation", "updateNote", {"input": {"id": "n1", "_version": 0, "title": "x"}},
                lam.ctx(functions=runners))
    assert raised.value.error_type == error_type and words in raised.value.message
    assert lam.stored("Note", "n1")["_version"] == 1  # type: ignore[index]


def test_v2_conflict_data_carries_the_mutation_mark_as_amplifys_response_template_adds_it(
        optimistic: DataStoreHarness) -> None:
    create(optimistic, title="a")
    with pytest.raises(AppSyncError) as raised:
        update(optimistic, 5, title="b")
    assert raised.value.data == {**optimistic.stored("Note", "n1"), "__operation": "Mutation"}  # type: ignore[dict-item]
