"""Issue 5 against the real server: the real-time protocol points the harness tests check with
fake auth, here with the product's auth, schema transform, resolvers and hub behind them.

Raw frames over ``websockets`` (the way Amplify and the Apollo link speak), so every frame the
server sends is asserted as a client sees it. Mutations go over HTTP; only they publish.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import socket
from pathlib import Path
from typing import Any

import pytest
import websockets

from emulator.testing import RunningEmulator

API_KEY = "da2-gapsissuefivekey0000000000"
CONFIG = f"""
[auth]
default = "API_KEY"
additional = ["AMAZON_COGNITO_USER_POOLS"]
[auth.api_key]
keys = ["{API_KEY}"]
[limits]
keep_alive_seconds = 0.5
connection_init_timeout_seconds = 2
"""
SCHEMA = """
enum Status { DRAFT LIVE }

type Item @model @auth(rules: [{ allow: public }, { allow: private }]) {
  id: ID!
  name: String!
  status: Status
  rating: Int
  room: String
}

type Team @model @auth(rules: [{ allow: groups, groupsField: "groups" }, { allow: public }]) {
  id: ID!
  name: String
  groups: [String]
}

type Card @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
  id: ID!
  title: String
  secret: String @auth(rules: [{ allow: owner }])
}

type Subscription {
  onItemInRoom(room: String, rating: Int): Item @aws_subscribe(mutations: ["createItem", "updateItem"]) @aws_api_key
}
"""
ON_ITEM = "subscription S($f: ModelSubscriptionItemFilterInput) { onCreateItem(filter: $f) { id name status rating } }"
CREATE_ITEM = "mutation($i: CreateItemInput!) { createItem(input: $i) { id name status rating room } }"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("gaps-issue5")
    (folder / "schema.graphql").write_text(SCHEMA)
    return emulator_server(folder / "schema.graphql", CONFIG, data_dir=folder)


def b64(value: dict[str, Any], *, urlsafe: bool = False, padding: bool = True) -> str:
    raw = json.dumps(value).encode()
    text = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    return text if padding else text.rstrip("=")


def key_auth(server: RunningEmulator) -> dict[str, str]:
    return {"host": server.host, "x-api-key": API_KEY}


async def connect(server: RunningEmulator, *, url: str | None = None, auth: dict[str, str] | None = None,
                  headers: dict[str, str] | None = None, **options: Any) -> Any:
    """Open a socket with ``auth`` in the ``header-`` subprotocol (or only ``headers``); ``options``
    go to ``websockets.connect``."""
    protocols = ["graphql-ws"] + ([f"header-{b64(auth, urlsafe=True, padding=False)}"] if auth else [])
    ws = await websockets.connect(url or server.realtime_url, subprotocols=protocols,  # type: ignore[list-item]
                                  additional_headers=headers, proxy=None, open_timeout=10, **options)
    assert ws.subprotocol == "graphql-ws"
    return ws


async def receive(ws: Any, timeout: float = 10, skip_ka: bool = True) -> dict[str, Any]:
    """The next frame (keep-alives skipped unless asked for) within ``timeout`` seconds in all."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if not (skip_ka and frame.get("type") == "ka"):
                return frame


async def acknowledged(server: RunningEmulator, **options: Any) -> Any:
    ws = await connect(server, **{"auth": key_auth(server), **options})
    await ws.send(json.dumps({"type": "connection_init"}))
    assert await receive(ws) == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
    return ws


def start(subscription_id: str, query: str, authorization: dict[str, str], variables: dict[str, Any] | None = None) -> str:
    data = json.dumps({"query": query, "variables": variables or {}})
    return json.dumps({"id": subscription_id, "type": "start",
                       "payload": {"data": data, "extensions": {"authorization": authorization}}})


async def started(ws: Any, subscription_id: str, query: str, authorization: dict[str, str],
                  variables: dict[str, Any] | None = None) -> None:
    await ws.send(start(subscription_id, query, authorization, variables))
    assert await receive(ws) == {"type": "start_ack", "id": subscription_id}


async def quiet(ws: Any, seconds: float = 0.7) -> bool:
    """True when nothing but keep-alives arrives for ``seconds``."""
    try:
        frame = await receive(ws, seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected frame {frame}")


async def mutate(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None, **auth: Any) -> dict[str, Any]:
    if "token" not in auth:
        auth.setdefault("api_key", API_KEY)
    body = (await asyncio.to_thread(server.graphql, query, variables, **auth)).json()
    assert "errors" not in body, body
    return body["data"]


# --- carriers, handshake and keep-alive ------------------------------------------------------------


@pytest.mark.parametrize(("urlsafe", "padding"), [(False, True), (False, False), (True, True), (True, False)])
async def test_query_string_carrier_in_any_base64_form(server: RunningEmulator, urlsafe: bool, padding: bool) -> None:
    header = b64({"host": server.host, "X-Api-Key": API_KEY}, urlsafe=urlsafe, padding=padding)
    url = f"ws://{server.host}/graphql?header={header}&payload={b64({}, padding=padding)}"
    ws = await connect(server, url=url, auth=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_plain_upgrade_headers_carrier(server: RunningEmulator) -> None:
    ws = await connect(server, auth=None, headers={"X-API-KEY": API_KEY})
    await ws.send(json.dumps({"type": "connection_init"}))
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.close()


@pytest.mark.parametrize(("auth", "message"), [
    (None, "Missing authorization header"),
    ({"x-api-key": "da2-notthekey0000000000000000"}, "You are not authorized to make this call."),
])
async def test_bad_connection_credentials_get_connection_error_and_close(
    server: RunningEmulator, auth: dict | None, message: str
) -> None:
    ws = await connect(server, auth={"host": server.host, **auth} if auth else None)
    await ws.send(json.dumps({"type": "connection_init"}))
    frame = await receive(ws)
    assert frame == {"type": "connection_error", "payload": {"errors": [{
        "errorType": "UnauthorizedException", "message": message, "errorCode": 401}]}}
    with pytest.raises(websockets.ConnectionClosed):
        await receive(ws, 5)


async def test_ack_is_followed_by_periodic_keep_alives(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    kinds = [(await receive(ws, 5, skip_ka=False))["type"] for _ in range(3)]
    assert kinds == ["ka", "ka", "ka"]
    await ws.close()


async def test_socket_without_connection_init_is_closed_in_time(server: RunningEmulator) -> None:
    ws = await connect(server, auth=key_auth(server))
    with pytest.raises(websockets.ConnectionClosed):
        await receive(ws, 10)


# --- messages -----------------------------------------------------------------------------------------


async def test_stop_completes_and_ends_the_events(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    await started(ws, "s1", ON_ITEM, key_auth(server))
    await mutate(server, CREATE_ITEM, {"i": {"name": "before stop"}})
    assert (await receive(ws))["payload"]["data"]["onCreateItem"]["name"] == "before stop"
    await ws.send(json.dumps({"type": "stop", "id": "s1"}))
    assert await receive(ws) == {"type": "complete", "id": "s1"}
    await mutate(server, CREATE_ITEM, {"i": {"name": "after stop"}})
    assert await quiet(ws)
    await ws.close()


async def test_unknown_types_queries_and_duplicates_are_errors_on_a_live_socket(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    await ws.send(json.dumps({"type": "subscribe", "id": "x"}))
    unknown = await receive(ws)
    assert unknown["type"] == "error" and "id" not in unknown
    assert unknown["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"

    await ws.send(start("q1", "query { listItems { items { id } } }", key_auth(server)))
    query = await receive(ws)
    assert query["type"] == "error" and query["id"] == "q1"
    assert query["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"

    await started(ws, "dup", ON_ITEM, key_auth(server))
    await ws.send(start("dup", ON_ITEM, key_auth(server)))
    duplicate = await receive(ws)
    assert duplicate["type"] == "error" and duplicate["id"] == "dup"

    await ws.send(start("bad", "subscription { onCreateItem { nope } }", key_auth(server)))
    invalid = await receive(ws)
    assert invalid["id"] == "bad"
    assert invalid["payload"]["errors"][0]["message"].startswith("Validation error of type FieldUndefined:")

    created = await mutate(server, CREATE_ITEM, {"i": {"name": "still served"}})
    event = await receive(ws)
    assert event == {"type": "data", "id": "dup", "payload": {"data": {"onCreateItem": {
        "id": created["createItem"]["id"], "name": "still served", "status": None, "rating": None}}}}
    await ws.close()


async def test_the_hundred_and_first_subscription_is_refused(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    for number in range(100):
        await started(ws, f"s{number}", ON_ITEM, key_auth(server))
    await ws.send(start("s100", ON_ITEM, key_auth(server)))
    refused = await receive(ws)
    assert refused == {"type": "error", "id": "s100", "payload": {"errors": {
        "errorType": "MaxSubscriptionsReachedError", "message": "Max number of 100 subscriptions reached"}}}
    await ws.close()


async def test_each_start_is_authorized_on_its_own(server: RunningEmulator) -> None:
    token = await asyncio.to_thread(server.token, "alice")
    ws = await acknowledged(server)
    await started(ws, "by-token", ON_ITEM, {"host": server.host, "Authorization": token})
    await ws.send(start("forged", ON_ITEM, {"host": server.host, "Authorization": token[:-6] + "AAAAAA"}))
    refused = await receive(ws)
    assert refused["type"] == "error" and refused["id"] == "forged"
    assert refused["payload"]["errors"][0]["errorType"] == "UnauthorizedException"
    await ws.send(start("wrong-key", ON_ITEM, {"host": server.host, "x-api-key": "da2-wrong"}))
    assert (await receive(ws))["id"] == "wrong-key"
    await mutate(server, CREATE_ITEM, {"i": {"name": "mixed modes"}})
    assert (await receive(ws))["id"] == "by-token"
    await ws.close()


# --- semantics ------------------------------------------------------------------------------------------


async def test_filter_argument_with_in_not_in_and_or(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    where = {"f": {"or": [{"status": {"in": ["LIVE"]}}, {"rating": {"notIn": [1, 2, 3]}, "name": {"beginsWith": "z"}}]}}
    await started(ws, "f", ON_ITEM, key_auth(server), where)
    for item in ({"name": "draft", "status": "DRAFT", "rating": 1}, {"name": "live", "status": "LIVE", "rating": 1},
                 {"name": "zed", "status": "DRAFT", "rating": 9}, {"name": "zed low", "status": "DRAFT", "rating": 2}):
        await mutate(server, CREATE_ITEM, {"i": item})
    names = [(await receive(ws))["payload"]["data"]["onCreateItem"]["name"] for _ in range(2)]
    assert names == ["live", "zed"]
    assert await quiet(ws)
    await ws.close()


async def test_custom_subscription_arguments_filter_and_explicit_null_means_is_null(server: RunningEmulator) -> None:
    ws = await acknowledged(server)
    query = "subscription S($room: String, $rating: Int) { onItemInRoom(room: $room, rating: $rating) { name room rating } }"
    await started(ws, "room", query, key_auth(server), {"room": "r1"})
    await started(ws, "null", query, key_auth(server), {"room": "r2", "rating": None})
    for item in ({"name": "a", "room": "r1", "rating": 5}, {"name": "b", "room": "r9"},
                 {"name": "c", "room": "r2", "rating": 3}, {"name": "d", "room": "r2"}):
        await mutate(server, CREATE_ITEM, {"i": item})
    frames = [await receive(ws) for _ in range(2)]
    by_id = {frame["id"]: frame["payload"]["data"]["onItemInRoom"] for frame in frames}
    assert by_id == {"room": {"name": "a", "room": "r1", "rating": 5}, "null": {"name": "d", "room": "r2", "rating": None}}
    assert await quiet(ws)
    await ws.close()


async def test_dynamic_group_subscribers_hear_their_groups_only(server: RunningEmulator) -> None:
    member = await asyncio.to_thread(server.token, "tina", groups=("Team1",))
    ws = await acknowledged(server)
    await started(ws, "team", "subscription { onCreateTeam { name } }", {"host": server.host, "Authorization": member})
    # the runtime filter reads the event, so the mutation selects the groups (as Amplify's do)
    await mutate(server, "mutation { createTeam(input: {name: \"other\", groups: [\"Team2\"]}) { id name groups } }")
    await mutate(server, "mutation { createTeam(input: {name: \"mine\", groups: [\"Team1\"]}) { id name groups } }")
    assert (await receive(ws))["payload"]["data"] == {"onCreateTeam": {"name": "mine"}}
    assert await quiet(ws)
    await ws.close()


async def test_field_level_protected_fields_are_null_in_events(server: RunningEmulator) -> None:
    alice = await asyncio.to_thread(server.token, "alice")
    ws = await acknowledged(server)
    await started(ws, "cards", "subscription { onCreateCard { title secret } }", {"host": server.host, "Authorization": alice})
    created = await mutate(server, 'mutation { createCard(input: {title: "t", secret: "s"}) { title secret owner } }',
                           token=alice)
    assert created == {"createCard": {"title": "t", "secret": None, "owner": "alice"}}  # null in the mutation's result too
    assert (await receive(ws))["payload"]["data"] == {"onCreateCard": {"title": "t", "secret": None}}
    await ws.close()


V1_SCHEMA = """
type Memo @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  text: String
}
"""


@pytest.fixture(scope="module")
def v1(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("gaps-issue5-v1")
    (folder / "schema.graphql").write_text(V1_SCHEMA)
    config = CONFIG.replace('default = "API_KEY"\nadditional = ["AMAZON_COGNITO_USER_POOLS"]',
                            'default = "AMAZON_COGNITO_USER_POOLS"\nadditional = ["API_KEY"]')
    return emulator_server(folder / "schema.graphql", 'transformer = "v1"\n' + config, data_dir=folder)


async def test_v1_owner_argument_is_required_and_must_be_the_caller(v1: RunningEmulator) -> None:
    alice = await asyncio.to_thread(v1.token, "alice")
    auth = {"host": v1.host, "Authorization": alice}
    ws = await acknowledged(v1, auth=auth)
    await ws.send(start("none", "subscription { onCreateMemo { text } }", auth))
    missing = await receive(ws)
    assert missing["id"] == "none" and "Validation error" in missing["payload"]["errors"][0]["message"]
    await ws.send(start("bob", 'subscription { onCreateMemo(owner: "bob") { text } }', auth))
    refused = await receive(ws)
    assert refused["id"] == "bob" and refused["payload"]["errors"][0]["errorType"] == "Unauthorized"
    await started(ws, "mine", 'subscription { onCreateMemo(owner: "alice") { text owner } }', auth)
    await mutate(v1, 'mutation { createMemo(input: {text: "hello"}) { id text owner } }', token=alice)
    assert (await receive(ws))["payload"]["data"] == {"onCreateMemo": {"text": "hello", "owner": "alice"}}
    await ws.close()


# --- robustness -----------------------------------------------------------------------------------------


async def test_abrupt_disconnects_do_not_disturb_other_subscribers(server: RunningEmulator) -> None:
    sockets = []
    for number in range(10):
        ws = await acknowledged(server)
        await started(ws, f"gone{number}", ON_ITEM, key_auth(server))
        sockets.append(ws)
    observer = await acknowledged(server)
    await started(observer, "observer", ON_ITEM, key_auth(server))
    for ws in sockets:
        ws.transport.abort()  # no close frame: a TCP reset, as a dropped laptop lid
    created = await mutate(server, CREATE_ITEM, {"i": {"name": "after the resets"}})
    event = await receive(observer)
    assert event["payload"]["data"]["onCreateItem"]["id"] == created["createItem"]["id"]
    await observer.close()
    assert not [line for line in server.output if "Traceback" in line]


def _small_receive_buffer_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    return sock


@pytest.fixture(scope="module")
def small_queue(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("gaps-issue5-queue")
    (folder / "schema.graphql").write_text(SCHEMA)
    return emulator_server(folder / "schema.graphql", CONFIG + "send_queue_size = 4\n", data_dir=folder)


async def test_a_slow_consumer_is_closed_and_the_others_keep_their_events(small_queue: RunningEmulator) -> None:
    slow = await acknowledged(small_queue, sock=_small_receive_buffer_socket(small_queue.port), max_queue=1)
    await started(slow, "slow", ON_ITEM, key_auth(small_queue))
    fast = await acknowledged(small_queue)
    await started(fast, "fast", ON_ITEM, key_auth(small_queue))
    big_name = secrets.token_urlsafe(75_000)  # incompressible, so permessage-deflate cannot hide it
    for number in range(600):
        await mutate(small_queue, CREATE_ITEM, {"i": {"id": f"big{number}", "name": big_name}})
        assert (await receive(fast))["payload"]["data"]["onCreateItem"]["id"] == f"big{number}"
        if any("is not reading its socket; disconnecting it" in line for line in small_queue.output):
            break
    else:
        raise AssertionError("the slow consumer was never disconnected")
    with pytest.raises(websockets.ConnectionClosed):
        while True:  # the slow client drains what was buffered, then finds the socket closed
            await receive(slow, 10)
    await mutate(small_queue, CREATE_ITEM, {"i": {"id": "small", "name": "small"}})
    assert (await receive(fast))["payload"]["data"]["onCreateItem"]["id"] == "small"
    await fast.close()
