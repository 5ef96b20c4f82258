"""Batch and transaction request documents on a real engine: results keyed by the document's table
names in request order, unprocessed keys handed back, cancellation reasons (issue 13, point 1)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.datasources import DataSourceResult, execute
from tests.datasources_support import dynamodb_source, key, s
from tests.resolvers_engine import Harness, v2_api


@pytest.fixture(scope="module")
def api(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


def run(api: Harness, document: dict[str, Any], ctx: Any = None) -> DataSourceResult:
    return execute(dynamodb_source(api, "Post"), document, ctx or api.ctx())


def test_batch_put_get_delete_across_tables_by_any_of_their_names(api: Harness) -> None:
    deployed_blog = "Blog-4xkpzq7bcfgx5lyiyd3ksbw3me-dev"  # as code written against the cloud names it
    put = run(api, {"operation": "BatchPutItem", "tables": {
        "PostTable": [{"id": s("b-1"), "title": s("one")}, {"id": s("b-2"), "title": s("two")}],
        deployed_blog: [{"id": s("blog-1"), "name": s("Blog")}],
    }})
    assert put.result == {
        "data": {"PostTable": [{"id": "b-1", "title": "one"}, {"id": "b-2", "title": "two"}],
                 deployed_blog: [{"id": "blog-1", "name": "Blog"}]},
        "unprocessedItems": {"PostTable": [], deployed_blog: []},
    }
    assert api.raw_items("Blog") == [{"id": {"S": "blog-1"}, "name": {"S": "Blog"}}]
    post_table = api.table_name("Post")
    got = run(api, {"operation": "BatchGetItem", "tables": {
        post_table: {"keys": [key("b-2"), key("missing"), key("b-1")], "consistentRead": True},
        deployed_blog: {"keys": [key("blog-1")], "projection": {"expression": "#n, id", "expressionNames": {"#n": "name"}}},
    }})
    assert got.result == {
        "data": {post_table: [{"id": "b-2", "title": "two"}, None, {"id": "b-1", "title": "one"}],
                 deployed_blog: [{"id": "blog-1", "name": "Blog"}]},
        "unprocessedKeys": {post_table: [], deployed_blog: []},
    }
    deleted = run(api, {"operation": "BatchDeleteItem", "tables": {"PostTable": [key("b-1"), key("b-2")]}})
    assert deleted.result == {"data": {"PostTable": [{"id": "b-1"}, {"id": "b-2"}]}, "unprocessedKeys": {"PostTable": []}}
    assert run(api, {"operation": "BatchGetItem", "tables": {"PostTable": {"keys": [key("b-1")]}}}).result["data"] == {
        "PostTable": [None]}


class HoldingBackClient:
    """Leaves every key but the first of each batch unprocessed, like a throttled table."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        table, request = next(iter(RequestItems.items()))
        first, rest = request["Keys"][:1], request["Keys"][1:]
        response = self.client.batch_get_item(RequestItems={table: {"Keys": first}})
        response["UnprocessedKeys"] = {table: {"Keys": rest}}
        return response

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        table, requests = next(iter(RequestItems.items()))
        response = self.client.batch_write_item(RequestItems={table: requests[:1]})
        response["UnprocessedItems"] = {table: requests[1:]}
        return response


def test_unprocessed_keys_and_items_are_handed_back_not_retried(api: Harness) -> None:
    ctx = api.ctx()
    ctx.dynamodb = HoldingBackClient(api.client)
    put = run(api, {"operation": "BatchPutItem", "tables": {"PostTable": [
        {"id": s("u-1")}, {"id": s("u-2")}]}}, ctx)
    assert put.result == {"data": {"PostTable": [{"id": "u-1"}, None]}, "unprocessedItems": {"PostTable": [{"id": "u-2"}]}}
    run(api, {"operation": "BatchPutItem", "tables": {"PostTable": [{"id": s("u-2")}]}})
    got = run(api, {"operation": "BatchGetItem", "tables": {"PostTable": {"keys": [key("u-1"), key("u-2")]}}}, ctx)
    assert got.result == {"data": {"PostTable": [{"id": "u-1"}, None]}, "unprocessedKeys": {"PostTable": [{"id": "u-2"}]}}
    assert ctx.dynamodb_calls == 2  # one call per document, as on AppSync


def test_batch_limits_and_a_table_named_twice(api: Harness) -> None:
    too_many = run(api, {"operation": "BatchPutItem", "tables": {"PostTable": [{"id": s(f"x{i}")} for i in range(26)]}})
    assert too_many.error is not None and too_many.error.error_type == "DynamoDB:ValidationException"
    assert "Too many items requested for the BatchWriteItem call" in too_many.error.message
    keys = [key(f"k{i}") for i in range(101)]
    assert run(api, {"operation": "BatchGetItem", "tables": {"PostTable": {"keys": keys}}}).error is not None
    with pytest.raises(AppSyncError, match="name the same table"):
        run(api, {"operation": "BatchGetItem", "tables": {
            "PostTable": {"keys": [key("a")]}, api.table_name("Post"): {"keys": [key("b")]}}})


def test_transact_write_returns_keys_and_transact_get_items_in_order(api: Harness) -> None:
    run(api, {"operation": "PutItem", "key": key("t-old"), "attributeValues": {"title": s("old")}})
    written = run(api, {"operation": "TransactWriteItems", "transactItems": [
        {"table": "PostTable", "operation": "PutItem", "key": key("t-new"), "attributeValues": {"title": s("new")},
         "condition": {"expression": "attribute_not_exists(id)"}},
        {"table": "PostTable", "operation": "UpdateItem", "key": key("t-old"),
         "update": {"expression": "SET title = :t", "expressionValues": {":t": s("updated")}}},
        {"table": "BlogTable", "operation": "PutItem", "key": key("t-blog"), "attributeValues": {"name": s("B")}},
    ]})
    assert written.result == {"keys": [{"id": "t-new"}, {"id": "t-old"}, {"id": "t-blog"}], "cancellationReasons": None}
    got = run(api, {"operation": "TransactGetItems", "transactItems": [
        {"table": "PostTable", "key": key("t-old")}, {"table": "PostTable", "key": key("nope")},
        {"table": "BlogTable", "key": key("t-blog")},
    ]})
    assert got.result == {"items": [{"id": "t-old", "title": "updated"}, None, {"id": "t-blog", "name": "B"}],
                          "cancellationReasons": None}


def test_a_cancelled_transaction_gives_reasons_in_order_with_the_stored_item(api: Harness) -> None:
    run(api, {"operation": "PutItem", "key": key("c-taken"), "attributeValues": {"title": s("mine")}})
    document = {"operation": "TransactWriteItems", "transactItems": [
        {"table": "PostTable", "operation": "PutItem", "key": key("c-fresh"), "attributeValues": {"title": s("x")}},
        {"table": "PostTable", "operation": "ConditionCheck", "key": key("c-taken"),
         "condition": {"expression": "attribute_not_exists(id)"}},
        {"table": "PostTable", "operation": "DeleteItem", "key": key("c-other")},
    ]}
    cancelled = run(api, document)
    assert cancelled.error is not None and cancelled.error.error_type == "DynamoDB:TransactionCanceledException"
    assert cancelled.result["keys"] is None
    reasons = cancelled.result["cancellationReasons"]
    assert [reason["type"] for reason in reasons] == ["None", "ConditionalCheckFailed", "None"]
    assert reasons[1]["item"] == {"id": "c-taken", "title": "mine"}
    assert run(api, {"operation": "GetItem", "key": key("c-fresh")}).result is None  # all or nothing
    document["transactItems"][1]["condition"]["returnValuesOnConditionCheckFailure"] = False
    assert "item" not in run(api, document).result["cancellationReasons"][1]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"operation": "TransactWriteItems", "transactItems": [{"table": "PostTable", "operation": "Upsert", "key": key("a")}]},
         "Unsupported operation 'Upsert' for '$[transactItems][0][operation]'"),
        ({"operation": "TransactWriteItems", "transactItems": [{"table": "PostTable", "operation": "ConditionCheck",
                                                                "key": key("a")}]},
         "Value for field '$[transactItems][0][condition]' not found."),
        ({"operation": "TransactGetItems", "transactItems": []}, "must hold at least one item"),
        ({"operation": "BatchGetItem", "tables": {"PostTable": {"keys": [{"id": 1}]}}},
         "attribute value '$[tables][PostTable][keys][0][id]'"),
        ({"operation": "BatchDeleteItem", "tables": {}}, "must name at least one table"),
    ],
)
def test_invalid_batch_and_transaction_documents(api: Harness, document: dict[str, Any], message: str) -> None:
    with pytest.raises(AppSyncError) as raised:
        run(api, document)
    assert raised.value.error_type == "MappingTemplate" and message in raised.value.message
