"""Issue 3 over the real wire: filter operators, key conditions, sort order, the default limit,
relations of every kind (v2 and v1), tokens from elsewhere, partial failures and AWS scalars.

A v2 server and a v1 server (the golden ``keys-relations-v1`` schema) answer GraphQL over HTTP;
items are written through the API, so every check covers the transform, the resolvers and the
engine together, as a user's client sees them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data
from tests.paths import GOLDEN

API_KEY = "da2-gapsissuethreekey000000000"
CONFIG = f'[auth]\ndefault = "API_KEY"\n[auth.api_key]\nkeys = ["{API_KEY}"]\n'
V2_SCHEMA = """
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
enum Status { DRAFT LIVE ARCHIVED }

type Item @model {
  id: ID!
  name: String!
  count: Int
  price: Float
  done: Boolean
  status: Status
  tags: [String]
  kind: String @default(value: "plain")
  email: AWSEmail
  when: AWSDateTime
  day: AWSDate
  at: AWSTime
  ts: AWSTimestamp
  url: AWSURL
  phone: AWSPhone
  ip: AWSIPAddress
  meta: AWSJSON
}

type Order @model {
  customerId: ID! @primaryKey(sortKeyFields: ["placedAt"])
  placedAt: String!
  total: Int
}

type Team @model { id: ID! name: String }

type Project @model {
  id: ID!
  name: String
  team: Team @hasOne
  tasks: [Task] @hasMany(indexName: "byProject", fields: ["id"])
}

type Task @model {
  id: ID!
  projectID: ID! @index(name: "byProject", sortKeyFields: ["priority"])
  priority: Int!
  title: String
}

type Book @model { id: ID! title: String authors: [Author] @manyToMany(relationName: "BookAuthor") }
type Author @model { id: ID! name: String books: [Book] @manyToMany(relationName: "BookAuthor") }

type Counter @model { id: ID! label: String }
"""


def serve(emulator_server: Any, folder: Path, schema: str, config: str = CONFIG) -> RunningEmulator:
    (folder / "schema.graphql").write_text(schema)
    return emulator_server(folder / "schema.graphql", config, data_dir=folder)


@pytest.fixture(scope="module")
def v2(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return serve(emulator_server, tmp_path_factory.mktemp("gaps-issue3-v2"), V2_SCHEMA)


def call(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.graphql(query, variables)
    assert response.status_code == 200, response.text
    return response.json()


# --- filters ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def items(v2: RunningEmulator) -> None:
    for n in range(6):
        item = {"id": f"f{n}", "name": f"name{n}", "count": n, "price": n / 2, "done": n % 2 == 0,
                "status": ["DRAFT", "LIVE", "ARCHIVED"][n % 3], "tags": [f"t{n}", "common"] if n < 4 else None}
        data(v2.graphql("mutation($i: CreateItemInput!) { createItem(input: $i) { id } }", {"i": item}))


FILTERS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("eq string", {"name": {"eq": "name1"}}, ["f1"]),
    ("ne int", {"count": {"ne": 0}}, ["f1", "f2", "f3", "f4", "f5"]),
    ("le", {"count": {"le": 1}}, ["f0", "f1"]),
    ("lt", {"count": {"lt": 1}}, ["f0"]),
    ("ge", {"count": {"ge": 4}}, ["f4", "f5"]),
    ("gt", {"count": {"gt": 4}}, ["f5"]),
    ("between", {"count": {"between": [2, 3]}}, ["f2", "f3"]),
    ("beginsWith", {"name": {"beginsWith": "name"}, "count": {"lt": 2}}, ["f0", "f1"]),
    ("contains in a string", {"name": {"contains": "e5"}}, ["f5"]),
    ("notContains in a string", {"name": {"notContains": "e5"}, "count": {"ge": 3}}, ["f3", "f4"]),
    ("contains in a list", {"tags": {"contains": "t2"}}, ["f2"]),
    ("notContains in a list", {"tags": {"notContains": "t2"}, "count": {"lt": 4}}, ["f0", "f1", "f3"]),
    ("boolean eq", {"done": {"eq": True}}, ["f0", "f2", "f4"]),
    ("boolean ne", {"done": {"ne": True}}, ["f1", "f3", "f5"]),
    ("enum eq", {"status": {"eq": "LIVE"}}, ["f1", "f4"]),
    ("enum ne", {"status": {"ne": "LIVE"}}, ["f0", "f2", "f3", "f5"]),
    ("float gt", {"price": {"gt": 1.9}}, ["f4", "f5"]),
    ("id eq", {"id": {"eq": "f3"}}, ["f3"]),
    ("attributeType list", {"tags": {"attributeType": "list"}}, ["f0", "f1", "f2", "f3"]),
    ("attributeType null (null inputs are stored as NULL)", {"tags": {"attributeType": "_null"}}, ["f4", "f5"]),
    ("attributeExists", {"price": {"attributeExists": True}}, ["f0", "f1", "f2", "f3", "f4", "f5"]),
    ("size", {"name": {"size": {"eq": 5}}}, ["f0", "f1", "f2", "f3", "f4", "f5"]),
    ("size ne", {"name": {"size": {"ne": 5}}}, []),
    ("and", {"and": [{"count": {"ge": 1}}, {"count": {"le": 2}}]}, ["f1", "f2"]),
    ("or", {"or": [{"count": {"eq": 1}}, {"count": {"eq": 5}}]}, ["f1", "f5"]),
    ("not", {"not": {"count": {"lt": 5}}}, ["f5"]),
    ("nested", {"or": [{"and": [{"count": {"ge": 1}}, {"not": {"done": {"eq": True}}}]}, {"name": {"eq": "name0"}}]},
     ["f0", "f1", "f3", "f5"]),
    ("two operators on one field", {"count": {"ge": 1, "le": 2}}, ["f1", "f2"]),
    ("a value that looks like an expression", {"name": {"eq": "x) OR (attribute_exists(id)"}}, []),
]


@pytest.mark.parametrize(("name", "where", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
def test_filter_operators(v2: RunningEmulator, items: None, name: str, where: dict[str, Any], expected: list[str]) -> None:
    query = "query($f: ModelItemFilterInput) { listItems(filter: {and: [$f, {id: {beginsWith: \"f\"}}]}) { items { id } } }"
    found = data(v2.graphql(query, {"f": where}))["listItems"]["items"]
    assert sorted(item["id"] for item in found) == expected


def test_unusable_filter_is_appsyncs_error(v2: RunningEmulator, items: None) -> None:
    body = call(v2, "{ listItems(filter: {count: {between: [1]}}) { items { id } } }")
    assert body["data"] == {"listItems": None}
    (error,) = body["errors"]
    assert (error["errorType"], error["message"]) == ("Unrecognized Filter", "Unable to process the filter expression")


# --- keys, sort order, limits ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def orders(v2: RunningEmulator) -> None:
    for customer, day in [("c1", "2024-01-01"), ("c1", "2024-01-02"), ("c1", "2024-01-03"), ("c1", "2024-02-01"),
                          ("c2", "2024-01-01")]:
        data(v2.graphql("mutation($i: CreateOrderInput!) { createOrder(input: $i) { customerId } }",
                        {"i": {"customerId": customer, "placedAt": day, "total": 1}}))


SORT_KEY_CONDITIONS = [
    ("", ["2024-01-01", "2024-01-02", "2024-01-03", "2024-02-01"]),
    ("sortDirection: DESC", ["2024-02-01", "2024-01-03", "2024-01-02", "2024-01-01"]),
    ('placedAt: {eq: "2024-01-02"}', ["2024-01-02"]),
    ('placedAt: {le: "2024-01-02"}', ["2024-01-01", "2024-01-02"]),
    ('placedAt: {lt: "2024-01-02"}', ["2024-01-01"]),
    ('placedAt: {ge: "2024-01-03"}', ["2024-01-03", "2024-02-01"]),
    ('placedAt: {gt: "2024-01-03"}', ["2024-02-01"]),
    ('placedAt: {between: ["2024-01-02", "2024-01-03"]}', ["2024-01-02", "2024-01-03"]),
    ('placedAt: {beginsWith: "2024-01"}, sortDirection: DESC', ["2024-01-03", "2024-01-02", "2024-01-01"]),
]


@pytest.mark.parametrize(("arguments", "expected"), SORT_KEY_CONDITIONS, ids=[c[0] or "all" for c in SORT_KEY_CONDITIONS])
def test_list_with_a_sort_key_is_a_query(v2: RunningEmulator, orders: None, arguments: str, expected: list[str]) -> None:
    query = f'{{ listOrders(customerId: "c1", {arguments}) {{ items {{ customerId placedAt }} nextToken }} }}'
    page = data(v2.graphql(query.replace(", )", ")")))["listOrders"]
    assert page["items"] == [{"customerId": "c1", "placedAt": day} for day in expected]


def test_key_arguments_are_checked_as_amplify_does(v2: RunningEmulator, orders: None) -> None:
    for query, message in [
        ('{ listOrders(placedAt: {eq: "2024-01-01"}) { items { total } } }', "you must also provide arguments customerId"),
        ("{ listOrders(sortDirection: DESC) { items { total } } }", "you must also provide argument 'customerId'"),
        ('{ listOrders(customerId: "c1", placedAt: {eq: "a", le: "b"}) { items { total } } }', "one condition per key"),
    ]:
        body = call(v2, query)
        assert body["data"] == {"listOrders": None}
        assert body["errors"][0]["errorType"] == "InvalidArgumentsError" and message in body["errors"][0]["message"]


def test_composite_key_get_update_delete(v2: RunningEmulator, orders: None) -> None:
    assert data(v2.graphql('{ getOrder(customerId: "c2", placedAt: "2024-01-01") { total } }')) == {"getOrder": {"total": 1}}
    assert data(v2.graphql('{ getOrder(customerId: "c2", placedAt: "2099-01-01") { total } }')) == {"getOrder": None}
    updated = data(v2.graphql('mutation { updateOrder(input: {customerId: "c2", placedAt: "2024-01-01", total: 9}) { total } }'))
    assert updated == {"updateOrder": {"total": 9}}
    deleted = data(v2.graphql('mutation { deleteOrder(input: {customerId: "c2", placedAt: "2024-01-01"}) { placedAt total } }'))
    assert deleted == {"deleteOrder": {"placedAt": "2024-01-01", "total": 9}}


def test_default_limit_is_one_hundred(v2: RunningEmulator) -> None:
    for n in range(105):
        data(v2.graphql("mutation($l: String) { createCounter(input: {label: $l}) { id } }", {"l": f"c{n}"}))
    page = data(v2.graphql("{ listCounters { items { id } nextToken } }"))["listCounters"]
    assert len(page["items"]) == 100 and page["nextToken"]
    rest = data(v2.graphql("query($t: String) { listCounters(nextToken: $t) { items { id } nextToken } }",
                           {"t": page["nextToken"]}))["listCounters"]
    assert len(rest["items"]) == 5 and rest["nextToken"] is None


def test_limit_below_one_is_dynamodbs_validation_error(v2: RunningEmulator) -> None:
    body = call(v2, "{ listCounters(limit: 0) { items { id } } }")
    assert body["data"] == {"listCounters": None}
    assert body["errors"][0]["errorType"] == "DynamoDB:ValidationException"


def test_a_token_from_another_list_or_garbage_is_appsyncs_error(v2: RunningEmulator, items: None, orders: None) -> None:
    foreign = data(v2.graphql("{ listItems(limit: 1) { nextToken } }"))["listItems"]["nextToken"]
    for token in (foreign, "garbage!!", "e30="):
        body = call(v2, 'query($t: String) { listOrders(customerId: "c1", nextToken: $t) { items { total } } }', {"t": token})
        assert body["data"] == {"listOrders": None}, token
        (error,) = body["errors"]
        assert error["errorType"] == "DynamoDB:UserIllegalArgumentException"
        assert error["message"].endswith("Invalid pagination token given.")


# --- writes ------------------------------------------------------------------------------------------


def test_create_applies_defaults_and_refuses_an_existing_id(v2: RunningEmulator) -> None:
    created = data(v2.graphql('mutation { createItem(input: {id: "w1", name: "A"}) { kind } }'))
    assert created == {"createItem": {"kind": "plain"}}
    assert data(v2.graphql('mutation { createItem(input: {id: "w2", name: "B", kind: "special"}) { kind } }')) == {
        "createItem": {"kind": "special"}}
    stored = v2.dynamodb().get_item(TableName="Item-emulator-local", Key={"id": {"S": "w1"}})["Item"]
    assert stored["__typename"] == {"S": "Item"} and stored["kind"] == {"S": "plain"}
    again = call(v2, 'mutation { createItem(input: {id: "w1", name: "dup"}) { id } }')
    assert again["data"] == {"createItem": None}
    assert again["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert data(v2.graphql('{ getItem(id: "w1") { name } }')) == {"getItem": {"name": "A"}}


def test_update_and_delete_of_a_missing_item_fail_their_guard(v2: RunningEmulator) -> None:
    for mutation in ('updateItem(input: {id: "missing", name: "x"})', 'deleteItem(input: {id: "missing"})'):
        body = call(v2, f"mutation {{ {mutation} {{ id }} }}")
        assert body["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException", body


def test_one_failing_field_leaves_the_rest_of_the_response(v2: RunningEmulator) -> None:
    body = call(v2, """mutation {
      ok: createItem(input: {id: "p1", name: "fine"}) { id }
      bad: updateItem(input: {id: "p-missing", name: "x"}) { id }
      also: createItem(input: {id: "p2", name: "fine too"}) { id }
    }""")
    assert body["data"] == {"ok": {"id": "p1"}, "bad": None, "also": {"id": "p2"}}
    (error,) = body["errors"]
    assert error["path"] == ["bad"] and error["errorType"] == "DynamoDB:ConditionalCheckFailedException"


def test_key_fields_cannot_be_changed_by_an_update(v2: RunningEmulator) -> None:
    """Key fields name the item to update; they are never written (nor part of conditions)."""
    body = call(v2, 'mutation { updateOrder(input: {customerId: "c9", placedAt: "x", total: 1}) { total } }')
    assert body["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert "customerId" not in str(call(v2, '{ __type(name: "ModelOrderConditionInput") { inputFields { name } } }'))


# --- relations ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(v2: RunningEmulator) -> None:
    data(v2.graphql('mutation { createTeam(input: {id: "tm1", name: "Core"}) { id } }'))
    data(v2.graphql('mutation { createProject(input: {id: "p1", name: "P", projectTeamId: "tm1"}) { id } }'))
    for n in range(5):
        data(v2.graphql("mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
                        {"i": {"id": f"t{n}", "projectID": "p1", "priority": n, "title": f"task{n}"}}))


def priorities(server: RunningEmulator, arguments: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    declared = "($t: String)" if "$t" in arguments else ""
    query = f'query{declared} {{ getProject(id: "p1") {{ tasks{arguments} {{ items {{ priority }} nextToken }} }} }}'
    tasks = data(server.graphql(query, variables))["getProject"]["tasks"]
    return {"priorities": [t["priority"] for t in tasks["items"]], "more": tasks["nextToken"]}


def test_has_one_resolves(v2: RunningEmulator, project: None) -> None:
    assert data(v2.graphql('{ getProject(id: "p1") { team { name } } }')) == {"getProject": {"team": {"name": "Core"}}}


def test_has_many_connection_arguments(v2: RunningEmulator, project: None) -> None:
    assert priorities(v2, "") == {"priorities": [0, 1, 2, 3, 4], "more": None}
    assert priorities(v2, "(sortDirection: DESC, limit: 2)")["priorities"] == [4, 3]
    first = priorities(v2, "(limit: 2)")
    assert first["priorities"] == [0, 1] and first["more"]
    assert priorities(v2, "(limit: 2, nextToken: $t)", {"t": first["more"]})["priorities"] == [2, 3]
    assert priorities(v2, '(filter: {title: {eq: "task3"}})')["priorities"] == [3]
    assert priorities(v2, "(priority: {ge: 3})")["priorities"] == [3, 4]


def test_many_to_many_through_the_join_model(v2: RunningEmulator) -> None:
    data(v2.graphql('mutation { createBook(input: {id: "b1", title: "B"}) { id } }'))
    for author in ("a1", "a2"):
        data(v2.graphql("mutation($a: ID!, $n: String) { createAuthor(input: {id: $a, name: $n}) { id } }",
                        {"a": author, "n": author}))
        joined = data(v2.graphql("mutation($a: ID!) { createBookAuthor(input: {bookId: \"b1\", authorId: $a}) "
                                 "{ book { title } author { name } } }", {"a": author}))
        assert joined == {"createBookAuthor": {"book": {"title": "B"}, "author": {"name": author}}}
    book = data(v2.graphql('{ getBook(id: "b1") { authors { items { author { name books { items { book { title } } } } } } } }'))
    authors = book["getBook"]["authors"]["items"]
    assert sorted(a["author"]["name"] for a in authors) == ["a1", "a2"]
    assert all(a["author"]["books"]["items"] == [{"book": {"title": "B"}}] for a in authors)


@pytest.fixture(scope="module")
def v1(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    schema = (GOLDEN / "schemas" / "v1" / "keys-relations-v1.graphql").read_text()
    return serve(emulator_server, tmp_path_factory.mktemp("gaps-issue3-v1"), schema)


def test_v1_connection_by_key_name_and_fields(v1: RunningEmulator) -> None:
    data(v1.graphql('mutation { createPost(input: {id: "vp1", title: "T"}) { id } }'))
    for content in ("b", "a", "c"):
        data(v1.graphql("mutation($c: String!) { createComment(input: {postID: \"vp1\", content: $c}) { id } }", {"c": content}))
    post = data(v1.graphql('{ getPost(id: "vp1") { comments { items { content post { title } } } } }'))["getPost"]
    assert [c["content"] for c in post["comments"]["items"]] == ["a", "b", "c"]  # sorted by the byPost sort key
    assert {c["post"]["title"] for c in post["comments"]["items"]} == {"T"}
    desc = data(v1.graphql('{ getPost(id: "vp1") { comments(sortDirection: DESC, limit: 2) { items { content } } } }'))
    assert desc["getPost"]["comments"]["items"] == [{"content": "c"}, {"content": "b"}]


def test_v1_key_queries_and_composite_sort_keys(v1: RunningEmulator) -> None:
    for warehouse, (country, city) in enumerate([("US", "Boston"), ("US", "Austin"), ("FR", "Paris")]):
        data(v1.graphql("mutation($i: CreateInventoryInput!) { createInventory(input: $i) { productId } }",
                        {"i": {"productId": "p", "warehouseId": f"w{warehouse}", "region": "R", "country": country,
                               "city": city}}))
    query = 'query($c: ModelInventoryByRegionCountryCityCompositeKeyConditionInput) { inventoryByRegion(region: "R", countryCity: $c) { items { city } } }'
    us = data(v1.graphql(query, {"c": {"beginsWith": {"country": "US"}}}))["inventoryByRegion"]["items"]
    assert [c["city"] for c in us] == ["Austin", "Boston"]
    for n, status in enumerate(["open", "open", "shipped"]):
        data(v1.graphql("mutation($i: CreateOrderInput!) { createOrder(input: $i) { customerId } }",
                        {"i": {"customerId": "c", "createdAt": f"2024-01-0{n + 1}T00:00:00.000Z", "status": status}}))
    by_status = data(v1.graphql('{ ordersByStatus(status: "open", sortDirection: DESC) { items { createdAt } } }'))
    assert [o["createdAt"][:10] for o in by_status["ordersByStatus"]["items"]] == ["2024-01-02", "2024-01-01"]


# --- AWS scalars -----------------------------------------------------------------------------------


SCALARS = [
    ("email", "AWSEmail", "notanemail", "a@b.co", "email address"),
    ("when", "AWSDateTime", "2019", "2019-01-01T00:00:00+05:30", "DateTime Object"),
    ("day", "AWSDate", "2019-13-01", "2019-01-01Z", "Date Object"),
    ("at", "AWSTime", "25:00", "12:30:00.000Z", "Time Object"),
    ("url", "AWSURL", "not a url", "https://example.com/a?b=1", "URL"),
    ("phone", "AWSPhone", "12", "+44 20 7946 0958", "phone number"),
    ("ip", "AWSIPAddress", "999.1.1.1", "10.0.0.1/8", "IP address"),
    ("meta", "AWSJSON", "{bad", "[1, 2]", "JSON"),
]


@pytest.mark.parametrize(("field", "scalar", "bad", "good", "noun"), SCALARS, ids=[s[1] for s in SCALARS])
def test_aws_scalars_are_validated_with_appsyncs_messages(
    v2: RunningEmulator, field: str, scalar: str, bad: str, good: str, noun: str
) -> None:
    literal = call(v2, f'mutation {{ createItem(input: {{name: "s", {field}: "{bad}"}}) {{ id }} }}')
    assert literal["data"] is None
    (error,) = literal["errors"]
    assert error["message"] == (f"Validation error of type WrongType: argument 'input.{field}' with value "
                                f"'StringValue{{value='{bad}'}}' is not a valid '{scalar}' @ 'createItem'")
    variable = call(v2, "mutation($i: CreateItemInput!) { createItem(input: $i) { id } }", {"i": {"name": "s", field: bad}})
    assert variable["data"] is None
    assert variable["errors"][0]["message"].startswith(f"Variable '{field}' has an invalid value.")
    assert noun in variable["errors"][0]["message"]
    accepted = call(v2, "mutation($i: CreateItemInput!) { createItem(input: $i) { id } }", {"i": {"name": "s", field: good}})
    assert "errors" not in accepted, accepted


def test_aws_timestamp_takes_numbers_only(v2: RunningEmulator) -> None:
    body = call(v2, "mutation($i: CreateItemInput!) { createItem(input: $i) { ts } }", {"i": {"name": "s", "ts": "17"}})
    assert body["errors"][0]["message"] == "Variable 'ts' has an invalid value. Unable to parse `17` as a valid timestamp."
    assert data(v2.graphql("mutation { createItem(input: {name: \"s\", ts: 1700000000}) { ts } }")) == {
        "createItem": {"ts": 1700000000}}
