"""The AppSync real-time protocol over a real socket: handshake, auth carriers, messages, errors."""

from __future__ import annotations

import json

import pytest
import websockets

from emulator.realtime import RealtimeLimits
from tests.realtime_harness import (
    ALICE_TOKEN,
    API_KEY,
    Harness,
    b64,
    connect,
    harness_fixture,
    nothing_within,
    open_acknowledged,
    post,
    query_string_url,
    receive,
    start,
    start_frame,
    wait_until_async,
)

harness = harness_fixture(RealtimeLimits(keep_alive_interval_s=0.5))
ON_CREATE = "subscription { onCreatePost { id title } }"
CONNECTION_ERROR = {
    "type": "connection_error",
    "payload": {
        "errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call.", "errorCode": 401}]
    },
}


async def _init_and_receive(ws: websockets.ClientConnection) -> dict:
    await ws.send(json.dumps({"type": "connection_init"}))
    return await receive(ws)


# --- handshake and auth carriers ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/graphql", "/graphql/realtime"])
async def test_query_string_carrier_on_both_paths(harness: Harness, path: str) -> None:
    ws = await connect(query_string_url(harness, path=path))
    assert ws.subprotocol == "graphql-ws"
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    await ws.close()


@pytest.mark.parametrize("urlsafe,padding", [(True, False), (False, True), (True, True), (False, False)])
async def test_query_string_carrier_any_alphabet_and_padding(harness: Harness, urlsafe: bool, padding: bool) -> None:
    header = {"host": harness.host, "x-amz-user-agent": "???>>>~~~", "X-Api-Key": API_KEY}  # base64 with + and /
    ws = await connect(f"ws://{harness.host}/graphql?header={b64(header, urlsafe, padding)}&payload=e30=")
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_header_subprotocol_carrier(harness: Harness) -> None:
    # Amplify v6 and the Apollo link: graphql-ws plus header-<base64url, no padding>
    header = {"host": harness.host, "x-amz-user-agent": "???>>>~~~", "X-Api-Key": API_KEY}
    protocols = ["graphql-ws", "header-" + b64(header, urlsafe=True, padding=False)]
    ws = await connect(f"ws://{harness.host}/graphql/realtime", subprotocols=protocols)
    assert ws.subprotocol == "graphql-ws"  # never the header- entry
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_plain_upgrade_headers_carrier(harness: Harness) -> None:
    ws = await connect(f"ws://{harness.host}/graphql/realtime", additional_headers={"X-API-KEY": API_KEY})
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_connection_is_verified_as_post_graphql_connect(harness: Harness) -> None:
    harness.auth.requests.clear()
    ws = await connect(query_string_url(harness, {"host": harness.host, "Authorization": ALICE_TOKEN}))
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    request = harness.auth.requests[-1]
    assert (request.method, request.path, request.body) == ("POST", "/graphql/connect", b"{}")
    assert request.headers["authorization"] == ALICE_TOKEN and request.headers["HOST"] == harness.host
    await ws.close()


@pytest.mark.parametrize("header", [{"x-api-key": "da2-wrong"}, None])
async def test_bad_connection_credentials_get_connection_error_then_close(harness: Harness, header: dict | None) -> None:
    url = query_string_url(harness, header) if header else f"ws://{harness.host}/graphql/realtime"
    ws = await connect(url)
    assert await _init_and_receive(ws) == CONNECTION_ERROR
    with pytest.raises(websockets.ConnectionClosed):
        await receive(ws, timeout=2)


async def test_garbled_header_parameter_is_unauthorized(harness: Harness) -> None:
    ws = await connect(f"ws://{harness.host}/graphql?header=%%%not-base64&payload=e30=")
    assert await _init_and_receive(ws) == CONNECTION_ERROR


# --- connection messages -------------------------------------------------------------------


async def test_ack_then_periodic_keep_alive(harness: Harness) -> None:
    ws = await connect(query_string_url(harness))
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert await receive(ws, skip_ka=False) == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
    assert await receive(ws, skip_ka=False) == {"type": "ka"}
    assert await receive(ws, timeout=3, skip_ka=False) == {"type": "ka"}  # the harness sends one every 0.5 s
    await ws.close()


async def test_messages_before_connection_init_are_ignored(harness: Harness) -> None:
    ws = await connect(query_string_url(harness))
    await ws.send(start_frame("early", ON_CREATE, host=harness.host))
    await ws.send("not json")
    assert await nothing_within(ws)
    assert (await _init_and_receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_start_data_stop_complete(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    assert await start(harness, ws, "1", ON_CREATE) == {"type": "start_ack", "id": "1"}
    harness.publish("createPost", post())
    assert await receive(ws) == {"type": "data", "id": "1", "payload": {"data": {"onCreatePost": {"id": "p1", "title": "Hello"}}}}
    await ws.send(json.dumps({"type": "stop", "id": "1"}))
    assert await receive(ws) == {"type": "complete", "id": "1"}
    harness.publish("createPost", post())
    assert await nothing_within(ws)
    await ws.close()


async def test_stop_of_unknown_id_still_completes(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    await ws.send(json.dumps({"type": "stop", "id": "never-started"}))
    assert await receive(ws) == {"type": "complete", "id": "never-started"}
    await ws.close()


async def test_start_is_verified_as_post_graphql_over_the_exact_data(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    frame = start_frame("iam-shape", ON_CREATE, variables={"x": 1}, host=harness.host)
    harness.auth.requests.clear()
    await ws.send(frame)
    assert (await receive(ws))["type"] == "start_ack"
    request = harness.auth.requests[-1]
    assert (request.method, request.path) == ("POST", "/graphql")
    assert request.body == json.loads(frame)["payload"]["data"].encode()
    assert request.query_string == ON_CREATE and request.variables == {"x": 1}
    await ws.close()


async def test_each_start_has_its_own_auth_mode(harness: Harness) -> None:
    ws = await open_acknowledged(harness)  # connected with the API key
    harness.auth.requests.clear()
    assert (await start(harness, ws, "k", ON_CREATE))["type"] == "start_ack"
    user = {"host": harness.host, "Authorization": ALICE_TOKEN}
    assert (await start(harness, ws, "u", "subscription { onAdminPost { id } }", authorization=user))["type"] == "start_ack"
    assert [r.headers.get("x-api-key") for r in harness.auth.requests] == [API_KEY, None]
    await ws.close()


# --- error catalogue -----------------------------------------------------------------------


async def test_unknown_message_type_is_unsupported_operation(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {}}))
    assert await receive(ws) == {
        "type": "error",
        "payload": {"errors": [{"errorType": "UnsupportedOperation", "message": "unknown not supported through the realtime channel"}]},
    }
    await ws.close()


async def test_query_and_mutation_as_start_are_unsupported(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    for number, query in enumerate(['query { getPost(id: "1") { id } }', 'mutation { createPost(input: {title: "x"}) { id } }']):
        answer = await start(harness, ws, f"q{number}", query)
        assert answer == {
            "type": "error",
            "id": f"q{number}",
            "payload": {"errors": [{"errorType": "UnsupportedOperation", "message": " not supported through the realtime channel"}]},
        }
    await ws.close()


async def test_duplicate_subscription_id(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    assert (await start(harness, ws, "same", ON_CREATE))["type"] == "start_ack"
    assert await start(harness, ws, "same", ON_CREATE) == {
        "type": "error",
        "id": "same",
        "payload": {"errors": [{"errorType": "DuplicatedOperationError", "message": "Duplicated operation with id same"}]},
    }
    await ws.close()


async def test_max_subscriptions_per_connection(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    for number in range(100):
        await ws.send(start_frame(str(number), ON_CREATE, host=harness.host))
    acks = [await receive(ws) for _ in range(100)]
    assert all(frame["type"] == "start_ack" for frame in acks)
    assert await start(harness, ws, "101st", ON_CREATE) == {
        "id": "101st",
        "type": "error",
        "payload": {"errors": {"errorType": "MaxSubscriptionsReachedError", "message": "Max number of 100 subscriptions reached"}},
    }
    await ws.close()
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)


async def test_validation_error_in_appsync_words(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "v", "subscription { onCreatePost { id nope } }")
    assert answer == {
        "type": "error",
        "id": "v",
        "payload": {"errors": [{"message": "Validation error of type FieldUndefined: Field 'nope' in type 'Post' is undefined @ 'onCreatePost/nope'"}]},
    }
    answer = await start(harness, ws, "s", "subscription { onCreatePost { id ")
    assert answer["id"] == "s" and answer["payload"]["errors"][0]["message"].startswith("Invalid Syntax")
    await ws.close()


async def test_rejected_start_credentials(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "bad", ON_CREATE, authorization={"host": harness.host, "Authorization": "expired"})
    assert answer == {
        "type": "error",
        "id": "bad",
        "payload": {"errors": [{"errorType": "UnauthorizedException", "message": "Valid authorization header not provided."}]},
    }
    assert (await start(harness, ws, "good", ON_CREATE))["type"] == "start_ack"  # the socket still works
    await ws.close()


async def test_subscription_field_not_allowed_for_mode(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    assert await start(harness, ws, "a", "subscription { onAdminPost { id } }") == {
        "type": "error",
        "id": "a",
        "payload": {"errors": [{"errorType": "Unauthorized", "message": "Not Authorized to access onAdminPost on type Subscription"}]},
    }
    await ws.close()


@pytest.mark.parametrize(
    "payload",
    [{}, {"data": {"query": ON_CREATE}}, {"data": "not json"}, {"data": json.dumps({"variables": {}})}],
)
async def test_unreadable_start_payloads(harness: Harness, payload: dict) -> None:
    ws = await open_acknowledged(harness)
    await ws.send(json.dumps({"id": "p", "type": "start", "payload": payload}))
    answer = await receive(ws)
    assert answer["type"] == "error" and answer["id"] == "p"
    assert answer["payload"]["errors"][0]["errorType"] in ("BadRequestException", "MalformedHttpRequestException")
    await ws.close()


async def test_auth_rules_refuse_another_owner(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    user = {"host": harness.host, "Authorization": ALICE_TOKEN}
    assert (await start(harness, ws, "u", "subscription { onCreatePost(owner: \"bob\") { id } }", authorization=user)) == {
        "type": "error",
        "id": "u",
        "payload": {"errors": [{"errorType": "Unauthorized", "message": "Not Authorized to access onCreatePost on type Subscription"}]},
    }
    assert harness.auth.requests[-1].headers["authorization"] == ALICE_TOKEN
    await ws.close()
