"""Mutations against a real engine: defaults, keys, SET/REMOVE, conditions, auth hooks, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from emulator.errors import AppSyncError, unauthorized
from emulator.resolvers import resolve_root, strip_internal
from emulator.resolvers.context import AllowAll
from tests.resolvers_engine import Harness, v1_api, v2_api

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CONDITION_FAILED = re.compile(
    r"^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$"
)


@pytest.fixture(scope="module")
def api(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


@pytest.fixture(scope="module")
def v1(dynamodb_client: Any) -> Harness:
    return Harness(v1_api(), dynamodb_client).create_tables()


def run(harness: Harness, name: str, args: dict[str, Any], policy: Any = None) -> Any:
    parent = "Mutation" if name.startswith(("create", "update", "delete")) else "Query"
    return resolve_root(harness.ctx(policy), harness.root(parent, name), args)


def raw(harness: Harness, model: str, key: dict[str, str]) -> dict[str, Any] | None:
    item = harness.client.get_item(TableName=harness.table_name(model), Key={k: {"S": v} for k, v in key.items()})
    return item.get("Item")


def assert_condition_failed(error: AppSyncError) -> None:
    assert error.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert CONDITION_FAILED.match(error.message), error.message


# ---------------------------------------------------------------------------------------------
# create


def test_create_fills_defaults_and_stores_typename(api: Harness) -> None:
    created = run(api, "createPost", {"input": {"title": "hello", "status": None}})
    assert UUID4.match(created["id"])
    assert created["createdAt"] == created["updatedAt"] == "2026-11-29T12:30:45.123Z"
    assert created["status"] == "DRAFT"  # @default replaces a null too (defaultIfNull)
    assert created["__operation"] == "Mutation"
    stored = raw(api, "Post", {"id": created["id"]})
    assert stored is not None
    assert stored["__typename"] == {"S": "Post"} and "__operation" not in stored
    assert "blogPostsId" not in stored  # absent GSI key stays absent
    assert strip_internal(created) == {k: v for k, v in created.items() if k != "__operation"}


def test_create_keeps_given_values_and_drops_null_gsi_keys(api: Harness) -> None:
    created = run(api, "createPost", {"input": {
        "id": "given", "title": "t", "status": "PUBLISHED", "blogPostsId": None, "createdAt": "2020-01-01T00:00:00Z",
    }})
    assert (created["id"], created["status"], created["createdAt"]) == ("given", "PUBLISHED", "2020-01-01T00:00:00Z")
    assert "blogPostsId" not in (raw(api, "Post", {"id": "given"}) or {})


def test_create_existing_key_fails_with_the_dynamodb_error_shape(api: Harness) -> None:
    run(api, "createPost", {"input": {"id": "dup", "title": "one"}})
    with pytest.raises(AppSyncError) as caught:
        run(api, "createPost", {"input": {"id": "dup", "title": "two"}})
    assert_condition_failed(caught.value)
    assert raw(api, "Post", {"id": "dup"})["title"] == {"S": "one"}  # type: ignore[index]


def test_create_condition_argument_is_anded_in(api: Harness) -> None:
    with pytest.raises(AppSyncError) as caught:
        run(api, "createPost", {"input": {"id": "cond", "title": "x"}, "condition": {"title": {"attributeExists": True}}})
    assert_condition_failed(caught.value)
    assert run(api, "createPost", {"input": {"id": "cond", "title": "x"}, "condition": {"title": {"ne": "y"}}})


def test_composite_keys_are_written_and_validated(api: Harness) -> None:
    item = run(api, "createInventory", {"input": {
        "productId": "p", "warehouseId": "w", "region": "NA", "country": "US", "city": "Austin",
    }})
    assert item["country#city"] == "US#Austin"
    with pytest.raises(AppSyncError) as caught:
        run(api, "createInventory", {"input": {"productId": "p", "warehouseId": "w2", "region": "NA", "country": "US"}})
    assert caught.value.message == (
        "When creating any part of the composite sort key for @index 'byRegionCountryCity',"
        " you must provide all fields for the key. Missing key: 'city'."
    )
    updated = run(api, "updateInventory", {"input": {
        "productId": "p", "warehouseId": "w", "country": "FR", "city": "Lyon",
    }})
    assert updated["country#city"] == "FR#Lyon"
    with pytest.raises(AppSyncError) as caught:
        run(api, "updateInventory", {"input": {"productId": "p", "warehouseId": "w", "city": "Nice"}})
    assert "When updating any part of the composite sort key" in caught.value.message


def test_composite_primary_key_round_trip(api: Harness) -> None:
    for seq in (1, 2, 10):
        run(api, "createReading", {"input": {"sensorId": "s1", "day": "2024-05-01", "seq": seq, "value": seq / 2}})
    got = run(api, "getReading", {"sensorId": "s1", "day": "2024-05-01", "seq": 10})
    assert got["day#seq"] == "2024-05-01#10" and got["value"] == 5
    page = run(api, "listReadings", {"sensorId": "s1", "daySeq": {"beginsWith": {"day": "2024-05-01", "seq": 1}}})
    assert sorted(item["seq"] for item in page["items"]) == [1, 10]
    deleted = run(api, "deleteReading", {"input": {"sensorId": "s1", "day": "2024-05-01", "seq": 2}})
    assert deleted["seq"] == 2


# ---------------------------------------------------------------------------------------------
# update / delete


def test_update_sets_values_removes_explicit_nulls_and_keeps_keys(api: Harness) -> None:
    run(api, "createPost", {"input": {"id": "u1", "title": "before", "rating": 3, "tags": ["a"]}})
    later = api.now
    api.now = datetime(2027, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)
    try:
        updated = run(api, "updatePost", {"input": {"id": "u1", "title": "after", "rating": None}})
    finally:
        api.now = later
    assert updated["title"] == "after" and "rating" not in updated and updated["tags"] == ["a"]
    assert updated["updatedAt"] == "2027-01-02T03:04:05.006Z"
    assert updated["createdAt"] == "2026-11-29T12:30:45.123Z"
    assert updated["__operation"] == "Mutation"
    stored = raw(api, "Post", {"id": "u1"})
    assert stored is not None and "rating" not in stored and stored["id"] == {"S": "u1"}


def test_update_of_a_missing_item_and_failed_condition_are_conditional_failures(api: Harness) -> None:
    with pytest.raises(AppSyncError) as caught:
        run(api, "updatePost", {"input": {"id": "ghost", "title": "x"}})
    assert_condition_failed(caught.value)
    run(api, "createPost", {"input": {"id": "u2", "title": "t", "rating": 1}})
    with pytest.raises(AppSyncError) as caught:
        run(api, "updatePost", {"input": {"id": "u2", "title": "x"}, "condition": {"rating": {"gt": 5}}})
    assert_condition_failed(caught.value)
    assert raw(api, "Post", {"id": "u2"})["title"] == {"S": "t"}  # type: ignore[index]


def test_delete_returns_the_deleted_item(api: Harness) -> None:
    run(api, "createPost", {"input": {"id": "d1", "title": "bye"}})
    deleted = run(api, "deletePost", {"input": {"id": "d1"}})
    assert deleted["title"] == "bye" and deleted["__operation"] == "Mutation"
    assert run(api, "getPost", {"id": "d1"}) is None
    with pytest.raises(AppSyncError) as caught:
        run(api, "deletePost", {"input": {"id": "d1"}})
    assert_condition_failed(caught.value)


# ---------------------------------------------------------------------------------------------
# Auth hooks


class OwnerPolicy(AllowAll):
    """Records the calls; fills ``owner`` on create; v2-style check on the existing item."""

    def __init__(self, user: str, *, v1_condition: bool = False) -> None:
        self.user = user
        self.v1_condition = v1_condition
        self.seen: list[tuple[str, Any]] = []

    def prepare_create(self, model, identity, values):  # type: ignore[no-untyped-def]
        return {**values, "owner": self.user}

    def needs_existing_item(self, model, operation, identity):  # type: ignore[no-untyped-def]
        return not self.v1_condition

    def check_write(self, model, operation, identity, existing, values):  # type: ignore[no-untyped-def]
        self.seen.append((operation, existing))
        if self.v1_condition:
            return {"owner": {"eq": self.user}}
        if existing is None or existing.get("owner") != self.user:
            raise unauthorized(f"{operation}Post", "Mutation")
        return None


def test_v2_owner_checks_read_the_existing_item_first(api: Harness) -> None:
    alice = OwnerPolicy("alice")
    created = run(api, "createPost", {"input": {"id": "o1", "title": "mine"}}, alice)
    assert created["owner"] == "alice"
    ctx = api.ctx(OwnerPolicy("bob"))
    with pytest.raises(AppSyncError) as caught:
        resolve_root(ctx, api.root("Mutation", "updatePost"), {"input": {"id": "o1", "title": "stolen"}})
    assert caught.value.message == "Not Authorized to access updatePost on type Mutation"
    assert ctx.dynamodb_calls == 1  # the GetItem only: no write was attempted
    run(api, "updatePost", {"input": {"id": "o1", "title": "still mine"}}, alice)
    assert alice.seen[-1][0] == "update" and alice.seen[-1][1]["title"] == "mine"
    plain = api.ctx()
    resolve_root(plain, api.root("Mutation", "updatePost"), {"input": {"id": "o1", "title": "no auth"}})
    assert plain.dynamodb_calls == 1  # no GetItem when no rule needs the item


def test_v1_auth_condition_makes_a_non_owner_fail_the_condition(v1: Harness) -> None:
    run(v1, "createPost", {"input": {"id": "v1o", "title": "t"}}, OwnerPolicy("alice", v1_condition=True))
    with pytest.raises(AppSyncError) as caught:
        run(v1, "deletePost", {"input": {"id": "v1o"}}, OwnerPolicy("bob", v1_condition=True))
    assert_condition_failed(caught.value)
    assert run(v1, "deletePost", {"input": {"id": "v1o"}}, OwnerPolicy("alice", v1_condition=True))["id"] == "v1o"


# ---------------------------------------------------------------------------------------------
# v1 specifics


def test_v1_create_update_match_the_v1_templates(v1: Harness) -> None:
    created = run(v1, "createPost", {"input": {"title": "v1", "createdAt": None}})
    assert UUID4.match(created["id"]) and created["createdAt"] == "2026-11-29T12:30:45.123Z"
    assert "__operation" not in created
    with pytest.raises(AppSyncError) as caught:
        run(v1, "updatePost", {"input": {"id": created["id"], "title": None}})
    assert caught.value.message == (
        "An argument you marked as Non-Null is set to Null in the query or the body of your request."
    )
    updated = run(v1, "updatePost", {"input": {"id": created["id"], "title": "v1 again"}})
    assert updated["title"] == "v1 again" and updated["__typename"] == "Post"
