"""The DynamoDB data source on a real engine: single-item and page request documents, AppSync's
result shapes, condition-check handling, and errors in AppSync's shapes (issue 13, point 1)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.datasources import DataSourceResult, execute
from tests.datasources_support import dynamodb_source, key, n, s
from tests.resolvers_engine import Harness, v2_api

V = "2018-05-29"


@pytest.fixture(scope="module")
def api(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


def run(api: Harness, document: dict[str, Any], model: str = "Post") -> DataSourceResult:
    return execute(dynamodb_source(api, model), {"version": V, **document}, api.ctx())


def put(api: Harness, id_: str, **values: Any) -> DataSourceResult:
    return run(api, {"operation": "PutItem", "key": key(id_), "attributeValues": values})


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "bottom"}
    for _ in range(levels):
        value = {"M": {"in": value}}
    return value


def test_put_then_get_converts_every_type_to_graphql_form(api: Harness) -> None:
    written = put(
        api, "types-1",
        title=s("T"), rating=n(5), score=n("2.50"), published={"BOOL": True}, meta={"NULL": True},
        tags={"L": [s("a"), n(1)]}, nested={"M": {"x": n(1.5)}}, labels={"SS": ["b", "a"]},
        sizes={"NS": [3, "1"]}, blob={"B": base64.b64encode(b"hi").decode()},
    )
    expected = {
        "id": "types-1", "title": "T", "rating": 5, "score": 2.5, "published": True, "meta": None,
        "tags": ["a", 1], "nested": {"x": 1.5}, "labels": ["a", "b"], "sizes": [1, 3],
        "blob": base64.b64encode(b"hi").decode(),
    }
    assert written.ok and written.result == expected
    got = run(api, {"operation": "GetItem", "key": key("types-1"), "consistentRead": True})
    assert got.result == expected
    stored = api.client.get_item(TableName=api.table_name("Post"), Key={"id": {"S": "types-1"}})["Item"]
    assert stored["score"] == {"N": "2.5"}  # numbers stored canonically, as the model resolvers store them


def test_get_of_a_missing_item_is_null_and_projection_limits_attributes(api: Harness) -> None:
    assert run(api, {"operation": "GetItem", "key": key("nobody")}).result is None
    put(api, "proj-1", title=s("T"), rating=n(1))
    projected = run(api, {
        "operation": "GetItem", "key": key("proj-1"),
        "projection": {"expression": "#t", "expressionNames": {"#t": "title"}},
    })
    assert projected.result == {"title": "T"}


def test_update_returns_the_item_after_the_update(api: Harness) -> None:
    put(api, "upd-1", title=s("old"), rating=n(1))
    updated = run(api, {
        "operation": "UpdateItem", "key": key("upd-1"),
        "update": {"expression": "SET #t = :t ADD rating :one", "expressionNames": {"#t": "title"},
                   "expressionValues": {":t": s("new"), ":one": n(1)}},
        "condition": {"expression": "attribute_exists(id)"},
    })
    assert updated.result == {"id": "upd-1", "title": "new", "rating": 2}


def test_delete_returns_the_deleted_item_and_null_when_there_was_none(api: Harness) -> None:
    put(api, "del-1", title=s("bye"))
    assert run(api, {"operation": "DeleteItem", "key": key("del-1")}).result == {"id": "del-1", "title": "bye"}
    assert run(api, {"operation": "DeleteItem", "key": key("del-1")}).result is None


def test_a_failed_condition_rejects_with_the_stored_item(api: Harness) -> None:
    put(api, "cond-1", title=s("first"), version=n(2))
    outcome = run(api, {
        "operation": "PutItem", "key": key("cond-1"), "attributeValues": {"title": s("second"), "version": n(3)},
        "condition": {"expression": "version = :expected", "expressionValues": {":expected": n(1)}},
    })
    assert outcome.error is not None
    assert outcome.error.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert outcome.error.message.startswith("The conditional request failed (Service: DynamoDb, Status Code: 400")
    current = {"id": "cond-1", "title": "first", "version": 2}
    assert outcome.result == current and outcome.error.data == current
    assert outcome.context_error() == {"message": outcome.error.message, "type": outcome.error.error_type, "data": current}
    update = run(api, {
        "operation": "UpdateItem", "key": key("cond-1"),
        "update": {"expression": "SET title = :t", "expressionValues": {":t": s("x")}},
        "condition": {"expression": "attribute_not_exists(id)"},
    })
    assert update.error is not None and update.result == current  # UpdateItem is never treated as done


def test_a_failed_condition_is_a_success_when_the_store_already_holds_the_wanted_item(api: Harness) -> None:
    document = {
        "operation": "PutItem", "key": key("idem-1"), "attributeValues": {"title": s("same"), "version": n(1)},
        "condition": {"expression": "attribute_not_exists(id)", "equalsIgnore": ["version"]},
    }
    assert run(api, document).ok
    document["attributeValues"] = {"title": s("same"), "version": n(7)}
    again = run(api, document)  # condition fails, but only the ignored attribute differs
    assert again.ok and again.result == {"id": "idem-1", "title": "same", "version": 1}
    document["attributeValues"] = {"title": s("other")}
    assert run(api, document).error is not None
    delete = {"operation": "DeleteItem", "key": key("never-there"), "condition": {"expression": "attribute_exists(id)"}}
    gone = run(api, delete)
    assert gone.ok and gone.result is None  # nothing to delete is what a delete wants


def test_query_pages_with_limit_before_filter_and_opaque_tokens(api: Harness) -> None:
    for number in range(5):
        put(api, f"q-{number}", title=s("paged"), rating=n(number))
    document = {
        "operation": "Query", "index": "byTitle", "limit": 2,
        "query": {"expression": "#t = :t", "expressionNames": {"#t": "title"}, "expressionValues": {":t": s("paged")}},
        "filter": {"expression": "rating >= :min", "expressionValues": {":min": n(3)}},
    }
    seen, token, pages = [], None, 0
    while True:
        page = run(api, {**document, **({"nextToken": token} if token else {})}).result
        assert set(page) == {"items", "nextToken", "scannedCount"}
        assert page["scannedCount"] <= 2
        seen += [item["id"] for item in page["items"]]
        token, pages = page["nextToken"], pages + 1
        if token is None:
            break
    assert sorted(seen) == ["q-3", "q-4"] and pages >= 3  # limit counted items read, before the filter
    first = run(api, document).result
    other_index = run(api, {"operation": "Scan", "nextToken": first["nextToken"]})
    assert other_index.error is not None and other_index.error.error_type == "DynamoDB:UserIllegalArgumentException"


def test_query_on_a_sorted_key_goes_backwards_and_scan_segments_cover_the_table(api: Harness) -> None:
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        run(api, {"operation": "PutItem", "key": {"customerId": s("c1"), "createdAt": s(day)},
                  "attributeValues": {"status": s("open")}}, model="Order")
    backwards = run(api, {
        "operation": "Query", "scanIndexForward": False, "consistentRead": True,
        "query": {"expression": "customerId = :c", "expressionValues": {":c": s("c1")}},
        "projection": {"expression": "createdAt"}, "select": "SPECIFIC_ATTRIBUTES",
    }, model="Order").result
    assert [item["createdAt"] for item in backwards["items"]] == ["2026-01-03", "2026-01-02", "2026-01-01"]
    assert backwards["items"][0] == {"createdAt": "2026-01-03"}
    segments = [run(api, {"operation": "Scan", "segment": part, "totalSegments": 2}, model="Order").result["items"]
                for part in (0, 1)]
    assert sorted(item["createdAt"] for part in segments for item in part) == ["2026-01-01", "2026-01-02", "2026-01-03"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"operation": "GetItem"}, "Value for field '$[key]' not found."),
        ({"key": key("x")}, "Value for field '$[operation]' not found."),
        ({"operation": "GetItem", "key": {"id": "x"}},
         "Expected JSON object for attribute value '$[key][id]' but got 'STRING' instead."),
        ({"operation": "GetItem", "key": {"id": {"X": "x"}}}, "Expected exactly one DynamoDB type"),
        ({"operation": "GetItem", "key": key("x"), "filters": {}}, "Unsupported element '$[filters]'."),
        ({"operation": "Fetch", "key": key("x")}, "Unsupported operation 'Fetch' for data source 'PostTable'"),
        ({"operation": "PutItem", "key": {"id": {"N": "ten"}}}, "Expected a number for '$[key][id][N]'"),
        ({"operation": "PutItem", "key": key("x"), "attributeValues": {"tags": {"SS": []}}}, "An empty set"),
        ({"operation": "Query", "query": {"expressionValues": {}}}, "Value for field '$[query][expression]' not found."),
        ({"operation": "UpdateItem", "key": key("x"), "update": {"expression": "SET a = :v", "expressionValues": {":v": n(1)}},
          "condition": {"expression": "b = :v", "expressionValues": {":v": n(2)}}},
         "'$[condition][expressionValues][:v]' is defined twice"),
        ({"operation": "PutItem", "key": key("x"), "_version": 1}, "versioned data source"),
        ({"operation": "PutItem", "key": key("x"),
          "condition": {"expression": "a = a", "conditionalCheckFailedHandler": {"strategy": "Custom", "lambdaArn": "arn"}}},
         "strategy 'Custom'"),
        ({"operation": "Sync"}, "'Sync' operation"),
        ({"operation": "GetItem", "key": key("x"), "version": "2020-01-01"}, "Unsupported version '2020-01-01'"),
        ({"operation": "PutItem", "key": key("x"), "attributeValues": {"deep": _nested(40)}}, "nested more than 32 levels"),
    ],
)
def test_an_invalid_document_is_a_mapping_template_error(api: Harness, document: dict[str, Any], message: str) -> None:
    ctx = api.ctx()
    with pytest.raises(AppSyncError) as raised:
        execute(dynamodb_source(api, "Post"), document, ctx)
    assert raised.value.error_type == "MappingTemplate"
    assert message in raised.value.message
    assert ctx.dynamodb_calls == 0  # the data source was never called


def test_engine_errors_reach_the_template_as_ctx_error(api: Harness) -> None:
    bad = run(api, {"operation": "Scan", "filter": {"expression": ""}})
    assert bad.error is not None and bad.error.error_type == "DynamoDB:ValidationException"
    assert "(Service: DynamoDb, Status Code: 400, Request ID: " in bad.error.message
    ctx = api.ctx()
    missing = execute(dynamodb_source(api, "Post").__class__("Gone", "NoSuchTable"), {"operation": "Scan"}, ctx)
    assert missing.error is not None and missing.error.error_type == "DynamoDB:ResourceNotFoundException"
    assert ctx.dynamodb_calls == 1  # counted for the request log like the model resolvers' calls
    assert run(api, {"operation": "Scan", "limit": 0}).error.error_type == "DynamoDB:ValidationException"
