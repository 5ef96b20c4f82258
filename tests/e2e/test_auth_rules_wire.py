"""@auth rules over the real wire: the seed scenario and the owner-filtered list page.

A running emulator serves ``seed-v2.graphql`` plus an owner-only ``Note``, with user pools as the
default mode and IAM and API key added, so both checks meet: AppSync's ``@aws_*`` directives
first, then Amplify's rules in the resolvers. The owner has full access, other users only read,
IAM (the auth role) creates and updates, API key is denied; ``Post`` has no ``@auth`` (denied).
``FieldLevel`` checks a field rule per item.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportQueryError

from emulator.testing import RunningEmulator

SCHEMA = """
type User @model @auth(rules: [
  { allow: owner },
  { allow: private, provider: userPools, operations: [read] },
  { allow: private, provider: iam, operations: [create, update] }
]) {
  id: ID!
  name: String
}

type Post @model {
  id: ID!
  title: String! @index(name: "byTitle")
}

type Note @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  text: String
}

type FieldLevel @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }, { allow: public, operations: [read] }]) {
  id: ID!
  content: String
  secret: String @auth(rules: [{ allow: owner }])
}
"""
API_KEY = "da2-authruleswire00000000000000"
ACCESS_KEY, SECRET = "AKIDAUTHRULESWIRE", "auth-rules-wire-secret"
CONFIG = f"""
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["AWS_IAM", "API_KEY"]
[auth.api_key]
keys = ["{API_KEY}"]
[[auth.iam.credentials]]
access_key_id = "{ACCESS_KEY}"
secret_access_key = "{SECRET}"
role_arn = "arn:aws:iam::123456789012:role/amplify-authRole"
"""
USER_FIELDS = "id name owner"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("auth-rules-wire")
    schema = folder / "schema.graphql"
    schema.write_text(SCHEMA)
    return emulator_server(schema, CONFIG, data_dir=folder)


@pytest.fixture(scope="module")
def tokens(server: RunningEmulator) -> dict[str, str]:
    return {name: server.token(name) for name in ("alice", "bob")}


def call(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None, **auth: Any) -> dict[str, Any]:
    response = server.graphql(query, variables, **auth)
    assert response.status_code == 200, response.text
    return response.json()


def iam_call(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}})
    request = AWSRequest("POST", server.graphql_url, data=body,
                         headers={"content-type": "application/json", "host": server.host})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET), "appsync", "us-east-1").add_auth(request)
    response = httpx.post(server.graphql_url, content=body, headers=dict(request.headers), timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def unauthorized(body: dict[str, Any], field: str, parent: str) -> None:
    """AppSync's ``$util.unauthorized()`` shape for ``field``."""
    assert body["data"] == {field: None}, body
    (error,) = body["errors"]
    assert error["errorType"] == "Unauthorized", error
    assert error["path"] == [field]
    assert error["message"] == f"Not Authorized to access {field} on type {parent}"


CREATE = f"mutation($input: CreateUserInput!) {{ createUser(input: $input) {{ {USER_FIELDS} }} }}"
UPDATE = f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) {{ {USER_FIELDS} }} }}"
DELETE = f"mutation($input: DeleteUserInput!) {{ deleteUser(input: $input) {{ {USER_FIELDS} }} }}"
GET = f"query($id: ID!) {{ getUser(id: $id) {{ {USER_FIELDS} }} }}"


def test_owner_has_full_access_and_sees_the_username(server: RunningEmulator, tokens: dict[str, str]) -> None:
    alice = tokens["alice"]
    created = call(server, CREATE, {"input": {"id": "alice-1", "name": "Alice"}}, token=alice)
    assert created["data"]["createUser"] == {"id": "alice-1", "name": "Alice", "owner": "alice"}, created
    stored = server.dynamodb().get_item(TableName="User-emulator-local", Key={"id": {"S": "alice-1"}})["Item"]
    assert stored["owner"]["S"].endswith("::alice")  # stored as sub::username
    got = call(server, GET, {"id": "alice-1"}, token=alice)
    assert got["data"]["getUser"]["owner"] == "alice"
    updated = call(server, UPDATE, {"input": {"id": "alice-1", "name": "Alice B."}}, token=alice)
    assert updated["data"]["updateUser"]["name"] == "Alice B."
    deleted = call(server, DELETE, {"input": {"id": "alice-1"}}, token=alice)
    assert deleted["data"]["deleteUser"]["id"] == "alice-1"


def test_other_users_only_read(server: RunningEmulator, tokens: dict[str, str]) -> None:
    call(server, CREATE, {"input": {"id": "alice-2", "name": "Alice"}}, token=tokens["alice"])
    bob = tokens["bob"]
    assert call(server, GET, {"id": "alice-2"}, token=bob)["data"]["getUser"]["name"] == "Alice"
    unauthorized(call(server, UPDATE, {"input": {"id": "alice-2", "name": "Bob"}}, token=bob), "updateUser", "Mutation")
    unauthorized(call(server, DELETE, {"input": {"id": "alice-2"}}, token=bob), "deleteUser", "Mutation")
    unauthorized(call(server, UPDATE, {"input": {"id": "nobody", "name": "x"}}, token=bob), "updateUser", "Mutation")


def test_iam_creates_and_updates(server: RunningEmulator) -> None:
    created = iam_call(server, "mutation { createUser(input: {id: \"iam-1\", name: \"Svc\"}) { id name } }")
    assert created["data"]["createUser"] == {"id": "iam-1", "name": "Svc"}, created
    updated = iam_call(server, "mutation { updateUser(input: {id: \"iam-1\", name: \"Svc 2\"}) { id name } }")
    assert updated["data"]["updateUser"] == {"id": "iam-1", "name": "Svc 2"}, updated
    unauthorized(iam_call(server, "mutation { deleteUser(input: {id: \"iam-1\"}) { id } }"), "deleteUser", "Mutation")
    unauthorized(iam_call(server, "query { getUser(id: \"iam-1\") { id } }"), "getUser", "Query")


def test_api_key_is_denied(server: RunningEmulator) -> None:
    unauthorized(call(server, "query { listUsers { items { id } } }", api_key=API_KEY), "listUsers", "Query")
    unauthorized(call(server, "mutation { createUser(input: {name: \"k\"}) { id } }", api_key=API_KEY),
                 "createUser", "Mutation")


def test_model_without_auth_is_denied(server: RunningEmulator, tokens: dict[str, str]) -> None:
    unauthorized(call(server, "query { listPosts { items { id } } }", token=tokens["alice"]), "listPosts", "Query")


def test_owner_list_pages_are_filtered_after_the_limit(server: RunningEmulator, tokens: dict[str, str]) -> None:
    """The auth filter sits in the DynamoDB FilterExpression: a page of ``limit`` items read can
    hold fewer of the caller's, with a nextToken, and paging finds them all."""
    create = "mutation($t: String) { createNote(input: {text: $t}) { id } }"
    for index in range(12):
        call(server, create, {"t": f"n{index}"}, token=tokens["alice" if index % 4 == 0 else "bob"])
    listing = "query($token: String) { listNotes(limit: 4, nextToken: $token) { items { text owner } nextToken } }"
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = call(server, listing, {"token": token}, token=tokens["alice"])["data"]["listNotes"]
        assert len(page["items"]) <= 4
        assert {item["owner"] for item in page["items"]} <= {"alice"}
        seen += [item["text"] for item in page["items"]]
        token, pages = page["nextToken"], pages + 1
        if token is None:
            break
    assert sorted(seen) == ["n0", "n4", "n8"]
    assert pages >= 3  # 12 items read 4 at a time


def test_field_rule_is_checked_per_item(server: RunningEmulator, tokens: dict[str, str]) -> None:
    create = "mutation { createFieldLevel(input: {id: \"f1\", content: \"c\", secret: \"s\"}) { id secret owner } }"
    created = call(server, create, token=tokens["alice"])
    assert created["data"]["createFieldLevel"] == {"id": "f1", "secret": None, "owner": "alice"}, created
    query = "query { getFieldLevel(id: \"f1\") { content secret } }"
    assert call(server, query, token=tokens["alice"])["data"] == {"getFieldLevel": {"content": "c", "secret": "s"}}
    for auth in ({"token": tokens["bob"]}, {"api_key": API_KEY}):
        body = call(server, query, **auth)
        assert body["data"] == {"getFieldLevel": {"content": "c", "secret": None}}, body
        (error,) = body["errors"]
        assert error["path"] == ["getFieldLevel", "secret"]
        assert (error["errorType"], error["message"]) == ("Unauthorized",
                                                          "Not Authorized to access secret on type FieldLevel")


def _subscriber(server: RunningEmulator, token: str) -> Client:
    auth = AppSyncJWTAuthentication(host=server.host, jwt=token)
    url = server.graphql_url.replace("http://", "ws://")
    return Client(transport=AppSyncWebsocketsTransport(url=url, auth=auth, ack_timeout=10, connect_timeout=10))


async def test_owner_subscription_hears_only_the_callers_items(server: RunningEmulator, tokens: dict[str, str]) -> None:
    create = "mutation($t: String) { createNote(input: {text: $t}) { id text owner } }"
    async with _subscriber(server, tokens["alice"]) as session:

        async def first() -> Any:
            async for result in session.subscribe(GraphQLRequest("subscription { onCreateNote { text owner } }")):
                return result

        listening = asyncio.create_task(first())
        await asyncio.sleep(1.0)  # let the start be acknowledged
        await asyncio.to_thread(call, server, create, {"t": "from bob"}, token=tokens["bob"])
        await asyncio.to_thread(call, server, create, {"t": "from alice"}, token=tokens["alice"])
        event = await asyncio.wait_for(listening, 15)
    assert event == {"onCreateNote": {"text": "from alice", "owner": "alice"}}


async def test_owner_argument_naming_someone_else_is_refused(server: RunningEmulator, tokens: dict[str, str]) -> None:
    request = GraphQLRequest("subscription { onCreateNote(owner: \"alice\") { text } }")
    async with _subscriber(server, tokens["bob"]) as session:
        with pytest.raises(TransportQueryError) as refused:
            async for _ in session.subscribe(request):
                break
    assert "Unauthorized" in json.dumps(refused.value.errors)
