"""The data plane over the real wire: list trap, index queries, keys, conditions, tokens, relations.

Each module starts a real ``appsync-emulator serve`` (v2 and v1 schemas) and talks GraphQL over
HTTP, so resolvers, scalars, execution and error shapes are checked together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data

API_KEY = "da2-dataplanelocalkey00000000"
CONFIG = f"""
[auth]
default = "API_KEY"

[auth.api_key]
keys = ["{API_KEY}"]
"""

V2_SCHEMA = """
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }

type Blog @model {
  id: ID!
  name: String!
  posts: [Post] @hasMany
}

type Post @model {
  id: ID!
  title: String! @index(name: "byTitle")
  rating: Int
  tags: [String]
  blog: Blog @belongsTo
}

type Note @model {
  id: ID!
  body: String
  meta: AWSJSON
  due: AWSDateTime
}

type Inventory @model {
  productId: ID! @primaryKey(sortKeyFields: ["warehouseId"])
  warehouseId: ID!
  region: String! @index(name: "byRegionCountryCity", sortKeyFields: ["country", "city"], queryField: "inventoryByRegion")
  country: String!
  city: String!
}
"""

V1_SCHEMA = """
type Blog @model {
  id: ID!
  name: String!
  posts: [Post] @connection(name: "BlogPosts")
}

type Post @model @key(name: "byTitle", fields: ["title"], queryField: "postsByTitle") {
  id: ID!
  title: String!
  blog: Blog @connection(name: "BlogPosts")
}
"""

CONDITION_FAILED = re.compile(
    r"^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$"
)


def serve(emulator_server: Any, tmp_path_factory: Any, name: str, schema: str) -> RunningEmulator:
    folder: Path = tmp_path_factory.mktemp(name)
    path = folder / "schema.graphql"
    path.write_text(schema, encoding="utf-8")
    return emulator_server(path, CONFIG)


@pytest.fixture(scope="module")
def v2(emulator_server: Any, tmp_path_factory: Any) -> RunningEmulator:
    return serve(emulator_server, tmp_path_factory, "v2", V2_SCHEMA)


@pytest.fixture(scope="module")
def v1(emulator_server: Any, tmp_path_factory: Any) -> RunningEmulator:
    return serve(emulator_server, tmp_path_factory, "v1", V1_SCHEMA)


@pytest.fixture(scope="module")
def seeded(v2: RunningEmulator) -> dict[str, str]:
    blog_id = data(v2.graphql('mutation { createBlog(input: {name: "Seed"}) { id } }'))["createBlog"]["id"]
    for number in range(20):
        title = "needle" if number == 13 else f"hay {number:02d}"
        data(v2.graphql(
            "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
            {"i": {"id": f"post-{number:02d}", "title": title, "rating": number,
                   "blogPostsId": blog_id if number < 3 else None}},
        ))
    for number in range(25):
        data(v2.graphql("mutation($i: CreateNoteInput!) { createNote(input: $i) { id } }",
                        {"i": {"id": f"note-{number:02d}", "body": "x"}}))
    return {"blog": blog_id}


def pages(server: RunningEmulator, query: str, variables: dict[str, Any], field: str) -> list[dict[str, Any]]:
    collected, token = [], None
    while True:
        page = data(server.graphql(query, {**variables, "next": token}))[field]
        collected.append(page)
        token = page["nextToken"]
        if token is None:
            return collected


LIST_POSTS = """query($f: ModelPostFilterInput, $l: Int, $next: String) {
  listPosts(filter: $f, limit: $l, nextToken: $next) { items { id title } nextToken } }"""


def test_limit_one_pages_through_all_items_and_finds_the_match_once(v2: RunningEmulator, seeded: dict) -> None:
    result = pages(v2, LIST_POSTS, {"f": {"title": {"eq": "needle"}}, "l": 1}, "listPosts")
    assert [item["id"] for page in result for item in page["items"]] == ["post-13"]
    assert 19 <= len(result) <= 21
    assert sum(1 for page in result if not page["items"]) >= 18


def test_index_query_finds_it_in_one_page(v2: RunningEmulator, seeded: dict) -> None:
    page = data(v2.graphql('{ postsByTitle(title: "needle") { items { id } nextToken } }'))["postsByTitle"]
    assert page == {"items": [{"id": "post-13"}], "nextToken": None}


def test_twenty_five_items_with_limit_ten_come_back_once_each(v2: RunningEmulator, seeded: dict) -> None:
    query = "query($l: Int, $next: String) { listNotes(limit: $l, nextToken: $next) { items { id } nextToken } }"
    result = pages(v2, query, {"l": 10}, "listNotes")
    ids = [item["id"] for page in result for item in page["items"]]
    assert sorted(ids) == [f"note-{n:02d}" for n in range(25)]


def test_failing_condition_gives_the_dynamodb_error_shape(v2: RunningEmulator, seeded: dict) -> None:
    response = v2.graphql(
        'mutation { updatePost(input: {id: "post-01", title: "x"}, condition: {rating: {gt: 100}}) { id } }'
    )
    body = response.json()
    assert response.status_code == 200 and body["data"] == {"updatePost": None}
    [error] = body["errors"]
    assert error["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert error["path"] == ["updatePost"]
    assert CONDITION_FAILED.match(error["message"]), error["message"]


def test_explicit_null_in_update_removes_the_attribute(v2: RunningEmulator, seeded: dict) -> None:
    data(v2.graphql('mutation { createPost(input: {id: "nulled", title: "t", rating: 5, tags: ["a"]}) { id } }'))
    updated = data(v2.graphql('mutation { updatePost(input: {id: "nulled", rating: null}) { rating tags } }'))
    assert updated["updatePost"] == {"rating": None, "tags": ["a"]}
    stored = v2.dynamodb().get_item(TableName="Post-emulator-local", Key={"id": {"S": "nulled"}})["Item"]
    assert "rating" not in stored and stored["tags"] == {"L": [{"S": "a"}]}


def test_tampered_next_token_is_an_appsync_error(v2: RunningEmulator, seeded: dict) -> None:
    token = data(v2.graphql("{ listNotes(limit: 2) { nextToken } }"))["listNotes"]["nextToken"]
    bad = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    body = v2.graphql("query($t: String) { listNotes(limit: 2, nextToken: $t) { items { id } } }", {"t": bad}).json()
    assert body["data"] == {"listNotes": None}
    assert body["errors"][0]["errorType"] == "DynamoDB:UserIllegalArgumentException"


def test_composite_sort_key_query(v2: RunningEmulator) -> None:
    for warehouse, (country, city) in enumerate([("US", "Boston"), ("US", "Austin"), ("FR", "Paris")]):
        data(v2.graphql(
            "mutation($i: CreateInventoryInput!) { createInventory(input: $i) { productId } }",
            {"i": {"productId": "p", "warehouseId": f"w{warehouse}", "region": "R", "country": country, "city": city}},
        ))
    query = """query($c: ModelInventoryByRegionCountryCityCompositeKeyConditionInput) {
      inventoryByRegion(region: "R", countryCity: $c) { items { city } } }"""
    cities = data(v2.graphql(query, {"c": {"beginsWith": {"country": "US"}}}))["inventoryByRegion"]["items"]
    assert [c["city"] for c in cities] == ["Austin", "Boston"]
    exact = data(v2.graphql(query, {"c": {"eq": {"country": "FR", "city": "Paris"}}}))["inventoryByRegion"]["items"]
    assert exact == [{"city": "Paris"}]
    body = v2.graphql('{ inventoryByRegion(region: "R", countryCity: {eq: {country: "US"}, gt: {country: "A"}}) { items { city } } }').json()
    assert body["errors"][0]["errorType"] == "InvalidArgumentsError"


def test_v2_relations_resolve_nested_data(v2: RunningEmulator, seeded: dict) -> None:
    query = "query($id: ID!) { getBlog(id: $id) { name posts { items { id blog { name } } } } }"
    blog = data(v2.graphql(query, {"id": seeded["blog"]}))["getBlog"]
    assert sorted(p["id"] for p in blog["posts"]["items"]) == ["post-00", "post-01", "post-02"]
    assert {p["blog"]["name"] for p in blog["posts"]["items"]} == {"Seed"}


def test_v1_connections_resolve_nested_data(v1: RunningEmulator) -> None:
    blog_id = data(v1.graphql('mutation { createBlog(input: {name: "Old"}) { id } }'))["createBlog"]["id"]
    for title in ("a", "b"):
        data(v1.graphql("mutation($i: CreatePostInput!) { createPost(input: $i) { id } }",
                        {"i": {"title": title, "postBlogId": blog_id}}))
    blog = data(v1.graphql("query($id: ID!) { getBlog(id: $id) { posts { items { title blog { name } } } } }",
                           {"id": blog_id}))["getBlog"]
    assert sorted(p["title"] for p in blog["posts"]["items"]) == ["a", "b"]
    assert {p["blog"]["name"] for p in blog["posts"]["items"]} == {"Old"}
    assert data(v1.graphql('{ postsByTitle(title: "a") { items { title } } }'))["postsByTitle"]["items"] == [{"title": "a"}]


def test_awsjson_is_stored_as_a_map_and_served_as_json_text(v2: RunningEmulator) -> None:
    created = data(v2.graphql(
        "mutation($i: CreateNoteInput!) { createNote(input: $i) { meta } }",
        {"i": {"id": "json-note", "meta": '{"upvotes": 10, "tags": ["a"]}'}},
    ))["createNote"]
    assert created == {"meta": '{"upvotes":10,"tags":["a"]}'}
    stored = v2.dynamodb().get_item(TableName="Note-emulator-local", Key={"id": {"S": "json-note"}})["Item"]
    assert stored["meta"] == {"M": {"upvotes": {"N": "10"}, "tags": {"L": [{"S": "a"}]}}}
    body = v2.graphql("mutation($i: CreateNoteInput!) { createNote(input: $i) { id } }",
                      {"i": {"id": "bad-date", "due": "2019"}}).json()
    assert body["data"] is None and "2019" in body["errors"][0]["message"]
