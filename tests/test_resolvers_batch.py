"""Batch and transaction helpers against a real engine: limits, retries, cancellation reasons."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.batch import WriteRequest, batch_get, batch_write
from emulator.resolvers.transactions import TransactAction, TransactionCancelled, transact_write
from tests.resolvers_engine import Harness, v2_api


@pytest.fixture(scope="module")
def api(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


def test_batch_write_and_get_split_at_dynamodb_limits(api: Harness) -> None:
    table = api.table_name("Tag")
    ctx = api.ctx()
    batch_write(ctx, [WriteRequest(table, item={"id": f"t{n:03d}", "label": f"L{n}"}) for n in range(60)])
    assert ctx.dynamodb_calls == 3  # 25 + 25 + 10
    keys = [{"id": f"t{n:03d}"} for n in range(60)] * 2 + [{"id": f"missing{n}"} for n in range(70)]
    ctx = api.ctx()
    found = batch_get(ctx, {table: keys})[table]
    assert sorted(item["id"] for item in found) == [f"t{n:03d}" for n in range(60)]
    assert ctx.dynamodb_calls == 2  # 130 distinct keys: 100 + 30
    batch_write(ctx, [WriteRequest(table, key={"id": f"t{n:03d}"}) for n in range(50)])
    assert len(batch_get(ctx, {table: keys})[table]) == 10


class FlakyClient:
    """Hands back part of each batch as unprocessed the first time, like a throttled table."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.held_back = False

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        if self.held_back:
            return self.client.batch_get_item(RequestItems=RequestItems)
        self.held_back = True
        table, request = next(iter(RequestItems.items()))
        first, rest = request["Keys"][:1], request["Keys"][1:]
        response = self.client.batch_get_item(RequestItems={table: {"Keys": first}})
        response["UnprocessedKeys"] = {table: {"Keys": rest}} if rest else {}
        return response


def test_unprocessed_keys_are_retried(api: Harness) -> None:
    table = api.table_name("Tag")
    batch_write(api.ctx(), [WriteRequest(table, item={"id": f"r{n}"}) for n in range(5)])
    ctx = api.ctx()
    ctx.dynamodb = FlakyClient(api.client)
    found = batch_get(ctx, {table: [{"id": f"r{n}"} for n in range(5)]})[table]
    assert sorted(item["id"] for item in found) == [f"r{n}" for n in range(5)]
    assert ctx.dynamodb_calls == 2


def test_transaction_commits_all_actions(api: Harness) -> None:
    table = api.table_name("Tag")
    batch_write(api.ctx(), [WriteRequest(table, item={"id": "keep", "label": "old"}),
                            WriteRequest(table, item={"id": "drop"})])
    transact_write(api.ctx(), [
        TransactAction("Put", table, key={"id": "new"}, values={"label": "N"}, condition={"id": {"attributeExists": False}}),
        TransactAction("Update", table, key={"id": "keep"}, values={"label": "new", "extra": None}),
        TransactAction("Delete", table, key={"id": "drop"}),
    ])
    labels = {item["id"]: item.get("label") for item in batch_get(api.ctx(), {table: [
        {"id": "new"}, {"id": "keep"}, {"id": "drop"}]})[table]}
    assert labels == {"new": "N", "keep": "new"}


def test_cancelled_transaction_reports_reasons_in_action_order(api: Harness) -> None:
    table = api.table_name("Tag")
    batch_write(api.ctx(), [WriteRequest(table, item={"id": "taken", "label": "x"})])
    with pytest.raises(TransactionCancelled) as caught:
        transact_write(api.ctx(), [
            TransactAction("Put", table, key={"id": "fresh"}, values={"label": "y"}),
            TransactAction("ConditionCheck", table, key={"id": "taken"}, condition={"label": {"eq": "other"}}),
        ])
    error = caught.value
    assert error.error_type == "DynamoDB:TransactionCanceledException"
    assert error.message.startswith("Transaction cancelled, please refer cancellation reasons for specific reasons")
    assert "(Service: DynamoDb, Status Code: 400, Request ID: " in error.message
    assert [reason["type"] for reason in error.reasons] == ["None", "ConditionalCheckFailed"]
    assert error.error_info == {"cancellationReasons": error.reasons}
    assert batch_get(api.ctx(), {table: [{"id": "fresh"}]})[table] == []  # nothing was written


def test_transaction_limits_are_checked(api: Harness) -> None:
    with pytest.raises(AppSyncError) as caught:
        transact_write(api.ctx(), [])
    assert caught.value.error_type == "DynamoDB:ValidationException"
    with pytest.raises(AppSyncError):
        TransactAction("ConditionCheck", "t", key={"id": "x"}).as_dynamodb()
