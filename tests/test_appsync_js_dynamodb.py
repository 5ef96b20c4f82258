"""``@aws-appsync/utils/dynamodb`` as resolver code calls it: each builder returns AppSync's
DynamoDB request document, which the data-source layer runs."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.resolvers.appsync_js import JsCodeLoader
from tests.appsync_js_support import request_only, run


@pytest.fixture(scope="module")
def loader() -> JsCodeLoader:
    return JsCodeLoader()


def built(loader: JsCodeLoader, expression: str, **context: Any) -> Any:
    source = "import * as ddb from '@aws-appsync/utils/dynamodb';\n" + request_only(f"  return {expression};")
    outcome = run(loader, source, **context)
    assert outcome.error is None, outcome.error
    return outcome.value


def test_get_put_and_remove(loader: JsCodeLoader) -> None:
    assert built(loader, "ddb.get({ key: { id: ctx.args.id }, consistentRead: true, projection: ['id', 'author.name'] })", arguments={"id": "p1"}) == {
        "operation": "GetItem",
        "key": {"id": {"S": "p1"}},
        "consistentRead": True,
        "projection": {"expression": "#id, #author.#name", "expressionNames": {"#id": "id", "#author": "author", "#name": "name"}},
    }
    assert built(loader, "ddb.put({ key: { id: 'p1' }, item: { title: 'T', votes: 0, tags: ['a'], meta: { draft: true }, none: null } })") == {
        "operation": "PutItem",
        "key": {"id": {"S": "p1"}},
        "attributeValues": {
            "title": {"S": "T"}, "votes": {"N": 0}, "tags": {"L": [{"S": "a"}]},
            "meta": {"M": {"draft": {"BOOL": True}}}, "none": {"NULL": None},
        },
    }
    assert built(loader, "ddb.remove({ key: { id: 'p1' }, condition: { owner: { eq: 'u1' } }, _version: 3 })") == {
        "operation": "DeleteItem",
        "key": {"id": {"S": "p1"}},
        "condition": {"expression": "(#owner = :owner_eq)", "expressionNames": {"#owner": "owner"}, "expressionValues": {":owner_eq": {"S": "u1"}}},
        "_version": 3,
    }


def test_a_null_condition_is_no_condition(loader: JsCodeLoader) -> None:
    assert built(loader, "ddb.remove({ key: { id: 'p1' }, condition: null })") == {"operation": "DeleteItem", "key": {"id": {"S": "p1"}}}


def test_update_with_operations(loader: JsCodeLoader) -> None:
    expression = (
        "ddb.update({ key: { id: 'p1' }, condition: { version: { eq: 2 } }, update: {\n"
        "  title: 'New', address: { city: 'Paris' }, profile: ddb.operations.replace({ bio: 'x' }),\n"
        "  votes: ddb.operations.increment(), downs: ddb.operations.decrement(2), draft: ddb.operations.remove(),\n"
        "  tags: ddb.operations.append(['b']), history: ddb.operations.prepend(['first']),\n"
        "  labels: ddb.operations.add(ddb.toStringSet(['x'])), items: [ddb.operations.updateListItem('z', 1)] } })"
    )
    assert built(loader, expression) == {
        "operation": "UpdateItem",
        "key": {"id": {"S": "p1"}},
        "update": {
            "expression": (
                "SET #title = :title, #address.#city = :address_city, #profile = :profile, "
                "#tags = list_append(if_not_exists(#tags, :tags_empty), :tags), "
                "#history = list_append(:history, if_not_exists(#history, :history_empty)), #items[1] = :items_1 "
                "REMOVE #draft ADD #votes :votes, #downs :downs, #labels :labels"
            ),
            "expressionNames": {
                "#title": "title", "#address": "address", "#city": "city", "#profile": "profile", "#votes": "votes",
                "#downs": "downs", "#draft": "draft", "#tags": "tags", "#history": "history", "#labels": "labels", "#items": "items",
            },
            "expressionValues": {
                ":title": {"S": "New"}, ":address_city": {"S": "Paris"}, ":profile": {"M": {"bio": {"S": "x"}}},
                ":votes": {"N": 1}, ":downs": {"N": -2}, ":tags_empty": {"L": []}, ":tags": {"L": [{"S": "b"}]},
                ":history": {"L": [{"S": "first"}]}, ":history_empty": {"L": []}, ":labels": {"SS": ["x"]},
                ":items_1": {"S": "z"},
            },
        },
        "condition": {"expression": "(#version = :version_eq)", "expressionNames": {"#version": "version"}, "expressionValues": {":version_eq": {"N": 2}}},
    }


def test_an_increment_inside_a_map_counts_from_zero(loader: JsCodeLoader) -> None:
    value = built(loader, "ddb.update({ key: { id: 1 }, update: { stats: { views: ddb.operations.increment(5) } } })")
    assert value["update"]["expression"] == "SET #stats.#views = if_not_exists(#stats.#views, :stats_views_zero) + :stats_views"


def test_query_scan_and_sync(loader: JsCodeLoader) -> None:
    query = "ddb.query({ index: 'byBlog', query: { blogId: { eq: ctx.args.blogId }, createdAt: { between: ['2024', '2025'] } }, filter: { blogId: { eq: 'other' } }, limit: 10, nextToken: ctx.args.nextToken, scanIndexForward: false })"
    assert built(loader, query, arguments={"blogId": "b1", "nextToken": None}) == {
        "operation": "Query",
        "index": "byBlog",
        "limit": 10,
        "scanIndexForward": False,
        "filter": {"expression": "(#blogId = :blogId_eq)", "expressionNames": {"#blogId": "blogId"}, "expressionValues": {":blogId_eq": {"S": "other"}}},
        "query": {
            "expression": "#blogId = :blogId_eq_1 AND #createdAt BETWEEN :createdAt_between_0 AND :createdAt_between_1",
            "expressionNames": {"#blogId": "blogId", "#createdAt": "createdAt"},
            "expressionValues": {":blogId_eq_1": {"S": "b1"}, ":createdAt_between_0": {"S": "2024"}, ":createdAt_between_1": {"S": "2025"}},
        },
    }
    assert built(loader, "ddb.query({ query: { pk: { eq: 'a' }, sk: { beginsWith: 'POST#' } } })")["query"]["expression"] == (
        "#pk = :pk_eq AND begins_with(#sk, :sk_beginsWith)"
    )
    assert built(loader, "ddb.scan({ limit: 20, segment: 0, totalSegments: 2, consistentRead: true })") == {
        "operation": "Scan", "limit": 20, "consistentRead": True, "segment": 0, "totalSegments": 2,
    }
    assert built(loader, "ddb.sync({ limit: 5, lastSync: 1700000000000 })") == {"operation": "Sync", "limit": 5, "lastSync": 1700000000000}


def test_batch_and_transactions(loader: JsCodeLoader) -> None:
    assert built(loader, "ddb.batchGet({ tables: { Post: { keys: [{ id: '1' }, { id: '2' }], consistentRead: true } } })") == {
        "operation": "BatchGetItem",
        "tables": {"Post": {"keys": [{"id": {"S": "1"}}, {"id": {"S": "2"}}], "consistentRead": True}},
    }
    assert built(loader, "ddb.batchPut({ tables: { Post: [{ id: '1', n: 1 }] } })") == {
        "operation": "BatchPutItem", "tables": {"Post": [{"id": {"S": "1"}, "n": {"N": 1}}]},
    }
    assert built(loader, "ddb.batchDelete({ tables: { Post: [{ id: '1' }] } })") == {
        "operation": "BatchDeleteItem", "tables": {"Post": [{"id": {"S": "1"}}]},
    }
    assert built(loader, "ddb.transactGet({ items: [{ table: 'Post', key: { id: '1' }, projection: ['title'] }] })") == {
        "operation": "TransactGetItems",
        "transactItems": [{"table": "Post", "key": {"id": {"S": "1"}}, "projection": {"expression": "#title", "expressionNames": {"#title": "title"}}}],
    }
    write = (
        "ddb.transactWrite({ items: [\n"
        "  { putItem: { table: 'Post', key: { id: '1' }, item: { title: 'T' }, condition: { id: { attributeExists: false } } } },\n"
        "  { updateItem: { table: 'Blog', key: { id: 'b' }, update: { posts: ddb.operations.increment() } } },\n"
        "  { deleteItem: { table: 'Draft', key: { id: 'd' } } },\n"
        "  { conditionCheck: { table: 'User', key: { id: 'u' }, condition: { active: { eq: true } } } }] })"
    )
    items = built(loader, write)["transactItems"]
    assert [(item["table"], item["operation"]) for item in items] == [
        ("Post", "PutItem"), ("Blog", "UpdateItem"), ("Draft", "DeleteItem"), ("User", "ConditionCheck"),
    ]
    assert items[0]["attributeValues"] == {"title": {"S": "T"}}
    assert items[0]["condition"]["expression"] == "(attribute_not_exists(#id))"
    assert items[1]["update"]["expression"] == "ADD #posts :posts"
    assert items[3]["condition"]["expressionValues"] == {":active_eq": {"BOOL": True}}


def test_sets_and_named_imports(loader: JsCodeLoader) -> None:
    source = "import { toStringSet, toNumberSet, toBinarySet, get } from '@aws-appsync/utils/dynamodb';\n" + request_only(
        "  return [toStringSet(['a', 'b']), toNumberSet([1, 2.5]), toBinarySet(['SGk=']), get({ key: { id: 1 } }).key];"
    )
    assert run(loader, source).value == [{"SS": ["a", "b"]}, {"NS": ["1", "2.5"]}, {"BS": ["SGk="]}, {"id": {"N": 1}}]


@pytest.mark.parametrize(
    ("expression", "message"),
    [("ddb.get({})", "get needs 'key'"),
     ("ddb.get('p1')", "get expects an object, got p1"),
     ("ddb.update({ key: { id: 1 }, update: {} })", "update needs an object naming the attributes to change, got {}"),
     ("ddb.query({ query: { id: { like: 'a' } } })", "Unsupported key condition 'like' on 'id'"),
     ("ddb.transactWrite({ items: [{ putItem: { table: 'T', key: {} }, deleteItem: { table: 'T', key: {} } }] })",
      "A transactWrite item holds one of putItem, updateItem, deleteItem, conditionCheck"),
     ("ddb.operations.updateListItem('x', -1)", "operations.updateListItem needs a list index, got -1")],
)
def test_a_malformed_payload_fails_the_handler_with_the_reason(loader: JsCodeLoader, expression: str, message: str) -> None:
    source = "import * as ddb from '@aws-appsync/utils/dynamodb';\n" + request_only(f"  return {expression};")
    outcome = run(loader, source)
    assert outcome.error is not None and outcome.error.error_type == "Code"
    assert outcome.error.message.startswith("code.js:3:") and message in outcome.error.message
