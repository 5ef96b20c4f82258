"""``@searchable`` (v2) over the real wire: every filter operator, sort, paging, totals, aggregates,
``@auth`` inside the search, and items written straight to DynamoDB (issue 17).

One server: ``Post`` (API key) carries every scalar kind, ``Reading`` a custom primary key with a
sort key, ``Note`` owner, static-group, dynamic-group and API-key rules plus a field rule. User
pools is the default mode, the API key additional.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data

SCHEMA = """
enum Status { DRAFT PUBLISHED }

type Post @model @searchable @auth(rules: [{ allow: public }]) {
  id: ID!
  title: String!
  body: String
  rating: Int
  score: Float
  published: Boolean
  status: Status
  tags: [String]
  publishedOn: AWSDate
}

type Reading @model @searchable @auth(rules: [{ allow: public }]) {
  sensor: String! @primaryKey(sortKeyFields: ["takenAt"])
  takenAt: AWSDateTime!
  value: Float
}

type Note @model @searchable @auth(rules: [
  { allow: owner },
  { allow: groups, groups: ["Admin"] },
  { allow: groups, groupsField: "team" },
  { allow: public, operations: [read] }
]) {
  id: ID!
  content: String
  team: String
  secret: String @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admin"] }])
}
"""
API_KEY = "da2-searchwire000000000000000000"
CONFIG = f"""
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["API_KEY"]
[auth.api_key]
keys = ["{API_KEY}"]
"""
POSTS = [
    {"id": "p1", "title": "Hello World", "body": "The quick brown fox jumps", "rating": 5, "score": 4.5,
     "published": True, "status": "PUBLISHED", "tags": ["news", "tech"], "publishedOn": "2024-01-01"},
    {"id": "p2", "title": "hello again, world!", "body": "lazy dogs sleep", "rating": 3, "score": 2.0,
     "published": False, "status": "DRAFT", "tags": ["tech"], "publishedOn": "2024-02-15"},
    {"id": "p3", "title": "Goodbye Moon", "body": "quick thinking wins", "rating": 4, "score": 3.25,
     "published": True, "status": "PUBLISHED", "tags": ["art"], "publishedOn": "2024-03-31"},
    {"id": "p4", "title": "Untitled", "rating": 1},
]
SEARCH_POSTS = """
query Search($filter: SearchablePostFilterInput, $sort: [SearchablePostSortInput], $limit: Int,
             $nextToken: String, $from: Int, $aggregates: [SearchablePostAggregationInput]) {
  searchPosts(filter: $filter, sort: $sort, limit: $limit, nextToken: $nextToken, from: $from,
              aggregates: $aggregates) {
    items { id title rating }
    nextToken
    total
    aggregateItems {
      name
      result {
        __typename
        ... on SearchableAggregateBucketResult { buckets { key doc_count } }
        ... on SearchableAggregateScalarResult { value }
      }
    }
  }
}
"""


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("search-wire")
    schema = folder / "schema.graphql"
    schema.write_text(SCHEMA)
    running = emulator_server(schema, CONFIG, data_dir=folder)
    for post in POSTS:
        data(running.graphql("mutation($i: CreatePostInput!) { createPost(input: $i) { id } }", {"i": post}))
    return running


def search(server: RunningEmulator, **variables: Any) -> dict[str, Any]:
    return data(server.graphql(SEARCH_POSTS, variables))["searchPosts"]


def ids(server: RunningEmulator, **variables: Any) -> list[str]:
    return sorted(item["id"] for item in search(server, **variables)["items"])


@pytest.mark.parametrize(("search_filter", "expected"), [
    ({"title": {"eq": "Hello World"}}, ["p1"]),
    ({"title": {"ne": "Hello World"}}, ["p2", "p3", "p4"]),
    ({"rating": {"gt": 3}}, ["p1", "p3"]),
    ({"rating": {"gte": 3}}, ["p1", "p2", "p3"]),
    ({"rating": {"lt": 3}}, ["p4"]),
    ({"rating": {"lte": 3}}, ["p2", "p4"]),
    ({"rating": {"range": [2, 4]}}, ["p2", "p3"]),
    ({"score": {"eq": 3.25}}, ["p3"]),
    ({"published": {"eq": False}}, ["p2"]),
    ({"published": {"ne": True}}, ["p2", "p4"]),
    ({"status": {"eq": "PUBLISHED"}}, ["p1", "p3"]),
    ({"title": {"match": "HELLO"}}, ["p1", "p2"]),
    ({"body": {"matchPhrase": "quick brown"}}, ["p1"]),
    ({"body": {"matchPhrasePrefix": "quick th"}}, ["p3"]),
    ({"title": {"multiMatch": "moon"}}, ["p3"]),
    ({"body": {"exists": False}}, ["p4"]),
    ({"title": {"wildcard": "good*"}}, ["p3"]),
    ({"title": {"regexp": "w.rld"}}, ["p1", "p2"]),
    ({"publishedOn": {"gte": "2024-02-01"}}, ["p2", "p3"]),
    ({"publishedOn": {"eq": "2024-02-15"}}, []),  # a date has no .keyword in OpenSearch: as in the cloud
    ({"tags": {"eq": "tech"}}, ["p1", "p2"]),
    ({"and": [{"title": {"match": "hello"}}, {"rating": {"gt": 4}}]}, ["p1"]),
    ({"or": [{"rating": {"eq": 1}}, {"status": {"eq": "DRAFT"}}]}, ["p2", "p4"]),
    ({"not": {"title": {"match": "hello"}}}, ["p3", "p4"]),
])
def test_every_filter_operator(server: RunningEmulator, search_filter: dict, expected: list[str]) -> None:
    assert ids(server, filter=search_filter) == expected


def test_sort_on_several_fields_then_the_key(server: RunningEmulator) -> None:
    sort = [{"field": "published", "direction": "asc"}, {"field": "rating", "direction": "desc"}]
    assert [i["id"] for i in search(server, sort=sort)["items"]] == ["p2", "p1", "p3", "p4"]
    assert [i["id"] for i in search(server)["items"]] == ["p4", "p3", "p2", "p1"]  # default: id descending
    assert [i["id"] for i in search(server, sort=[{"field": "title", "direction": "asc"}])["items"]] == \
        ["p3", "p1", "p4", "p2"]  # .keyword sorts by code point: upper case first


def test_next_token_pages_through_and_total_counts_matches(server: RunningEmulator) -> None:
    sort = [{"field": "rating", "direction": "asc"}]
    seen: list[str] = []
    token = None
    for _ in range(5):
        page = search(server, sort=sort, limit=3, nextToken=token)
        assert page["total"] == 4
        seen += [i["id"] for i in page["items"]]
        token = page["nextToken"]
        if not page["items"]:
            break
    assert seen == ["p4", "p2", "p3", "p1"]
    assert token is None  # only the empty page after the last one has no nextToken, as with Amplify
    first = search(server, sort=sort, limit=3)
    assert json.loads(base64.b64decode(first["nextToken"])) == [4, "p3"]  # the last hit's sort values
    assert [i["id"] for i in search(server, sort=sort, limit=2, **{"from": 1})["items"]] == ["p2", "p3"]
    counted = search(server, filter={"title": {"match": "hello"}}, limit=1)
    assert counted["total"] == 2 and len(counted["items"]) == 1


def test_aggregates(server: RunningEmulator) -> None:
    aggregates = [
        {"name": "byStatus", "type": "terms", "field": "status"},
        {"name": "byTag", "type": "terms", "field": "tags"},
        {"name": "byPublished", "type": "terms", "field": "published"},
        {"name": "avgRating", "type": "avg", "field": "rating"},
        {"name": "minScore", "type": "min", "field": "score"},
        {"name": "maxScore", "type": "max", "field": "score"},
        {"name": "sumRating", "type": "sum", "field": "rating"},
        {"name": "tags", "type": "cardinality", "field": "tags"},
    ]
    results = {a["name"]: a["result"] for a in search(server, aggregates=aggregates, limit=0)["aggregateItems"]}
    assert results["byStatus"] == {"__typename": "SearchableAggregateBucketResult", "buckets": [
        {"key": "PUBLISHED", "doc_count": 2}, {"key": "DRAFT", "doc_count": 1}]}
    assert results["byTag"]["buckets"][0] == {"key": "tech", "doc_count": 2}
    assert results["byPublished"]["buckets"] == [{"key": "1", "doc_count": 2}, {"key": "0", "doc_count": 1}]
    assert results["avgRating"] == {"__typename": "SearchableAggregateScalarResult", "value": 3.25}
    assert (results["minScore"]["value"], results["maxScore"]["value"]) == (2.0, 4.5)
    assert results["sumRating"]["value"] == 13.0 and results["tags"]["value"] == 3
    matching = search(server, filter={"title": {"match": "hello"}},
                      aggregates=[{"name": "n", "type": "sum", "field": "rating"}])["aggregateItems"]
    assert matching == [{"name": "n", "result": {"__typename": "SearchableAggregateScalarResult", "value": 8.0}}]


def test_items_written_straight_to_dynamodb_are_searchable(server: RunningEmulator) -> None:
    client = server.dynamodb()
    table = "Post-emulator-local"
    client.put_item(TableName=table, Item={"id": {"S": "d1"}, "title": {"S": "Straight from DynamoDB"},
                                           "rating": {"N": "2"}, "__typename": {"S": "Post"}})
    try:
        assert ids(server, filter={"title": {"match": "dynamodb"}}) == ["d1"]
        client.update_item(TableName=table, Key={"id": {"S": "d1"}}, UpdateExpression="SET title = :t",
                           ExpressionAttributeValues={":t": {"S": "Renamed directly"}})
        assert ids(server, filter={"title": {"match": "dynamodb"}}) == []
        assert ids(server, filter={"title": {"match": "renamed"}}) == ["d1"]
    finally:
        client.delete_item(TableName=table, Key={"id": {"S": "d1"}})
    assert ids(server, filter={"title": {"match": "renamed"}}) == []
    assert search(server)["total"] == 4


def test_a_custom_key_breaks_ties_on_every_key_field(server: RunningEmulator) -> None:
    for sensor, taken, value in [("s1", "2024-01-01T00:00:00.000Z", 1.5), ("s1", "2024-01-02T00:00:00.000Z", 1.5),
                                 ("s2", "2024-01-01T00:00:00.000Z", 0.5)]:
        data(server.graphql("mutation($i: CreateReadingInput!) { createReading(input: $i) { sensor } }",
                            {"i": {"sensor": sensor, "takenAt": taken, "value": value}}))
    found = data(server.graphql("""{ searchReadings(sort: [{field: value, direction: desc}]) {
        items { sensor takenAt } nextToken } }"""))["searchReadings"]
    assert [(i["sensor"], i["takenAt"][:10]) for i in found["items"]] == [
        ("s1", "2024-01-02"), ("s1", "2024-01-01"), ("s2", "2024-01-01")]
    assert json.loads(base64.b64decode(found["nextToken"])) == [0.5, "s2", 1704067200000]


@pytest.mark.parametrize(("variables", "error_type", "reason"), [
    ({"limit": 20000}, "Elasticsearch:UserIllegalArgumentException", "Result window is too large"),
    ({"filter": {"publishedOn": {"wildcard": "2024*"}}}, "Elasticsearch:UserIllegalArgumentException",
     "Can only use wildcard queries"),
    ({"nextToken": "WyJ4Il0=", "from": 2}, "Elasticsearch:UserIllegalArgumentException", "`from` parameter"),
    ({"nextToken": "not a token"}, "MappingTemplate", None),
])
def test_requests_opensearch_refuses_answer_appsync_errors(server: RunningEmulator, variables: dict,
                                                           error_type: str, reason: str | None) -> None:
    body = server.graphql(SEARCH_POSTS, variables).json()
    assert body["data"] == {"searchPosts": None}
    (error,) = body["errors"]
    assert error["errorType"] == error_type and error["path"] == ["searchPosts"]
    if reason is not None:
        assert error["message"] == "Elasticsearch responded with an error: Bad Request"
        assert reason in error["errorInfo"]["reason"]


# ---------------------------------------------------------------------------------------------
# @auth: the filter is inside the search, so total counts what the caller may see

SEARCH_NOTES = """
query($aggregates: [SearchableNoteAggregationInput]) {
  searchNotes(sort: [{field: content, direction: asc}], aggregates: $aggregates) {
    items { content owner secret }
    total
    aggregateItems { name result { ... on SearchableAggregateBucketResult { buckets { key doc_count } } } }
  }
}
"""


@pytest.fixture(scope="module")
def notes(server: RunningEmulator) -> dict[str, str]:
    tokens = {"alice": server.token("alice"), "bob": server.token("bob", groups=("blue",)),
              "carol": server.token("carol"), "admin": server.token("admin", groups=("Admin",))}
    create = "mutation($i: CreateNoteInput!) { createNote(input: $i) { id } }"
    for user, content, team in [("alice", "a1", "blue"), ("alice", "a2", None), ("bob", "b1", None)]:
        data(server.graphql(create, {"i": {"content": content, "team": team, "secret": f"{content}-secret"}},
                            token=tokens[user]))
    return tokens


def _notes(server: RunningEmulator, aggregates: list[dict] | None = None, **auth: Any) -> dict[str, Any]:
    return server.graphql(SEARCH_NOTES, {"aggregates": aggregates}, **auth).json()


def test_owner_and_group_rules_filter_inside_the_search(server: RunningEmulator, notes: dict[str, str]) -> None:
    alice = data_of(_notes(server, token=notes["alice"]))
    assert [i["content"] for i in alice["items"]] == ["a1", "a2"] and alice["total"] == 2
    # bob: his own note, and the blue team's; the field rule still hides the team note's secret
    bob = data_of(_notes(server, token=notes["bob"]), secrets_denied=[0])
    assert [i["content"] for i in bob["items"]] == ["a1", "b1"] and bob["total"] == 2
    assert [i["secret"] for i in bob["items"]] == [None, "b1-secret"]
    assert data_of(_notes(server, token=notes["carol"]))["total"] == 0
    admin = data_of(_notes(server, token=notes["admin"]))
    assert admin["total"] == 3 and admin["items"][0]["secret"] == "a1-secret"
    public = data_of(_notes(server), secrets_denied=[0, 1, 2])  # API key: public read, no secrets
    assert public["total"] == 3 and public["items"][0]["owner"] == "alice"


def test_aggregations_are_authorized_field_by_field(server: RunningEmulator, notes: dict[str, str]) -> None:
    secrets = [{"name": "secrets", "type": "terms", "field": "secret"}]
    # bob may read only his own secrets: the aggregation runs over his notes, not the team's
    bob = data_of(_notes(server, secrets, token=notes["bob"]), secrets_denied=[0])
    assert bob["aggregateItems"][0]["result"]["buckets"] == [{"key": "b1-secret", "doc_count": 1}]
    admin = data_of(_notes(server, secrets, token=notes["admin"]))
    assert len(admin["aggregateItems"][0]["result"]["buckets"]) == 3
    refused = _notes(server, secrets)  # the API key reads no secret at all
    assert refused["data"] == {"searchNotes": None}
    assert refused["errors"][0]["errorType"] == "Unauthorized"
    assert refused["errors"][0]["message"] == "Unauthorized to run aggregation on field: secret"
    teams = data_of(_notes(server, [{"name": "teams", "type": "terms", "field": "team"}]), secrets_denied=[0, 1, 2])
    assert teams["aggregateItems"][0]["result"]["buckets"] == [{"key": "blue", "doc_count": 1}]


def data_of(body: dict[str, Any], secrets_denied: list[int] | None = None) -> dict[str, Any]:
    """The search result; the only errors are Unauthorized on the ``secret`` of these items."""
    denied = [(e["path"], e["errorType"]) for e in body.get("errors", [])]
    assert denied == [(["searchNotes", "items", i, "secret"], "Unauthorized") for i in secrets_denied or []], body
    return body["data"]["searchNotes"]
