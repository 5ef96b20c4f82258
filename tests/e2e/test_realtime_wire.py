"""Subscriptions against the real server: a mutation over HTTP produces the event.

Runs ``appsync-emulator serve`` (the ``emulator_server`` fixture) with the bundled blog example
and with an owner-protected model, and subscribes the way real clients do: raw frames with the
``header-`` subprotocol on ``/graphql/realtime`` (Amplify v6, Apollo link) and gql's
``AppSyncWebsocketsTransport`` on ``/graphql``.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

NOTES = """
type Note @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  text: String
  owner: String
}
"""


@pytest.fixture(scope="module")
def blog(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG)


@pytest.fixture(scope="module")
def notes(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    schema = Path(tmp_path_factory.mktemp("notes")) / "schema.graphql"
    schema.write_text(NOTES)
    return emulator_server(schema, BLOG_CONFIG.replace(f'schema = "{BLOG_SCHEMA}"', f'schema = "{schema}"'))


def _header_subprotocol(server: RunningEmulator, credentials: dict[str, str]) -> str:
    raw = json.dumps({"host": server.host, **credentials}).encode()
    return "header-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _receive(ws: Any, timeout: float = 10) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] != "ka":
            return frame


async def _subscribe(server: RunningEmulator, credentials: dict[str, str], query: str, variables: dict | None = None) -> Any:
    """Amplify's way: /graphql/realtime, graphql-ws + header-<base64url>, then connection_init and start."""
    ws = await websockets.connect(
        server.realtime_url, subprotocols=["graphql-ws", _header_subprotocol(server, credentials)], proxy=None, open_timeout=10
    )
    assert ws.subprotocol == "graphql-ws"
    await ws.send(json.dumps({"type": "connection_init"}))
    assert (await _receive(ws))["type"] == "connection_ack"
    data = json.dumps({"query": query, "variables": variables or {}})
    authorization = {"host": server.host, **credentials}
    await ws.send(json.dumps({"id": "sub", "type": "start", "payload": {"data": data, "extensions": {"authorization": authorization}}}))
    assert await _receive(ws) == {"type": "start_ack", "id": "sub"}
    return ws


async def _nothing_within(ws: Any, seconds: float = 0.5) -> bool:
    try:
        frame = await _receive(ws, seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected frame {frame}")


def _mutate(server: RunningEmulator, query: str, variables: dict | None = None, **auth: Any) -> dict[str, Any]:
    return data(server.graphql(query, variables, **auth))


async def test_mutation_over_http_reaches_a_filtered_subscription(blog: RunningEmulator) -> None:
    key = {"x-api-key": blog.api_key or ""}
    query = "subscription S($f: ModelSubscriptionPostFilterInput) { onCreatePost(filter: $f) { id title rating } }"
    ws = await _subscribe(blog, key, query, {"f": {"title": {"eq": "match"}}})
    await asyncio.to_thread(_mutate, blog, 'mutation { createPost(input: {title: "other", rating: 1}) { id title } }')
    created = await asyncio.to_thread(_mutate, blog, 'mutation { createPost(input: {title: "match", rating: 5}) { id title } }')
    frame = await _receive(ws)
    # rating was not selected by the mutation, so subscribers get null for it
    assert frame == {"type": "data", "id": "sub", "payload": {"data": {"onCreatePost": {
        "id": created["createPost"]["id"], "title": "match", "rating": None}}}}
    assert await _nothing_within(ws)
    await ws.close()


async def test_a_write_straight_to_dynamodb_publishes_nothing(blog: RunningEmulator) -> None:
    ws = await _subscribe(blog, {"x-api-key": blog.api_key or ""}, "subscription { onCreateBlog { id name } }")
    client = blog.dynamodb()
    table = next(name for name in client.list_tables()["TableNames"] if name.startswith("Blog"))
    await asyncio.to_thread(client.put_item, TableName=table, Item={"id": {"S": "direct"}, "name": {"S": "direct"}})
    assert await _nothing_within(ws)
    created = await asyncio.to_thread(_mutate, blog, 'mutation { createBlog(input: {name: "api"}) { id name } }')
    assert (await _receive(ws))["payload"]["data"]["onCreateBlog"] == created["createBlog"]
    await ws.close()


async def test_gql_client_on_graphql_path(blog: RunningEmulator) -> None:
    auth = AppSyncApiKeyAuthentication(host=blog.host, api_key=blog.api_key or "")
    transport = AppSyncWebsocketsTransport(url=f"ws://{blog.host}/graphql", auth=auth, ack_timeout=10, close_timeout=10)
    async with Client(transport=transport) as session:

        async def first() -> Any:
            async for result in session.subscribe(GraphQLRequest("subscription { onCreateComment { content } }")):
                return result

        task = asyncio.create_task(first())
        received = None
        for _ in range(100):  # gql ignores start_ack, so retry the mutation until the event arrives
            await asyncio.to_thread(_mutate, blog, 'mutation { createComment(input: {content: "hi"}) { id content } }')
            done, _ = await asyncio.wait({task}, timeout=0.1)
            if done:
                received = task.result()
                break
    assert received == {"onCreateComment": {"content": "hi"}}


async def test_owner_sees_only_own_events(notes: RunningEmulator) -> None:
    alice, bob = await asyncio.to_thread(notes.token, "alice"), await asyncio.to_thread(notes.token, "bob")
    ws = await _subscribe(notes, {"Authorization": alice}, "subscription { onCreateNote { text } }")
    await asyncio.to_thread(_mutate, notes, 'mutation { createNote(input: {text: "bob"}) { id text owner } }', token=bob)
    await asyncio.to_thread(_mutate, notes, 'mutation { createNote(input: {text: "alice"}) { id text owner } }', token=alice)
    assert (await _receive(ws))["payload"] == {"data": {"onCreateNote": {"text": "alice"}}}
    assert await _nothing_within(ws)
    await ws.close()
