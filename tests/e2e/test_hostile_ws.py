"""Hostile input on the real-time endpoint (``/graphql/realtime``): fuzzed frames on real sockets.

Each example opens an acknowledged connection, sends a random sequence of frames (random text,
JSON of every shape, protocol messages with wrong fields, random subscription documents and
variables, binary frames, invalid UTF-8) and then a valid ``start``. Required: every frame the
server sends is an AppSync frame; the connection either still serves the valid ``start`` or was
closed with a protocol close code (never 1011, internal error); nothing hangs (every wait has a
timeout); the server logs no traceback. Oversized frames are checked on their own.

Examples per property: ``APPSYNC_FUZZ_EXAMPLES`` (default 60; try 2000 locally).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
from typing import Any

import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed

from emulator.testing import RunningEmulator
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

EXAMPLES = int(os.environ.get("APPSYNC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SERVER_TYPES = {"connection_ack", "connection_error", "ka", "start_ack", "data", "error", "complete"}
PROTOCOL_CLOSE_CODES = {1000, 1007, 1009, 1013}
LIMITS = "\n[limits]\nmax_message_bytes = 20000\n"  # frames above it: an error frame; above 1 MiB: close 1009

SUBSCRIPTIONS = [
    "subscription { onCreatePost { id title } }",
    "subscription($f: ModelSubscriptionPostFilterInput) { onCreatePost(filter: $f) { id title rating } }",
    "subscription { onUpdateBlog { id name posts { items { id } } } }",
    "subscription { onCreatePost { id ...F } } fragment F on Post { title }",
    "query { listPosts { items { id } } }",
    "mutation { createPost(input: {title: \"x\"}) { id } }",
    "subscription { onCreatePost { nope } }",
    "subscription { onCreatePost(filter: {title: {eq: 5}}) { id } }",
    "subscription A { onCreatePost { id } } subscription B { onDeletePost { id } }",
    "{",
]


@pytest.fixture(scope="module")
def server(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG + LIMITS)


def _subprotocol(server: RunningEmulator) -> str:
    header = json.dumps({"host": server.host, "x-api-key": server.api_key}).encode()
    return "header-" + base64.urlsafe_b64encode(header).decode().rstrip("=")


def _authorization(server: RunningEmulator) -> dict[str, Any]:
    return {"host": server.host, "x-api-key": server.api_key}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
FILTERS = st.fixed_dictionaries({}, optional={"title": st.fixed_dictionaries({}, optional={
    "eq": JSON, "ne": JSON, "beginsWith": JSON, "in": JSON, "between": JSON}), "and": st.lists(JSON, max_size=3),
    "rating": st.dictionaries(st.sampled_from(["gt", "lt", "between", "in", "notIn"]), JSON, max_size=2)})


def _start_data() -> st.SearchStrategy[str]:
    documents = st.sampled_from(SUBSCRIPTIONS) | st.text(max_size=80)
    variables = st.none() | JSON | st.fixed_dictionaries({"f": FILTERS})
    request = st.fixed_dictionaries({"query": documents}, optional={"variables": variables, "operationName": JSON})
    return request.map(json.dumps) | st.text(max_size=60) | JSON.map(json.dumps)


def _frames(server: RunningEmulator) -> st.SearchStrategy[tuple[str, Any]]:
    """("text", str) | ("binary", bytes) | ("raw-text", bytes that may not be UTF-8)."""
    message = st.fixed_dictionaries(
        {"type": st.sampled_from(["start", "stop", "connection_init", "ka", "connection_terminate", "subscribe"]) | st.text(max_size=10)},
        optional={
            "id": JSON | st.text(max_size=10),
            "payload": JSON | st.fixed_dictionaries({"data": _start_data()}, optional={
                "extensions": st.fixed_dictionaries({"authorization": st.just(_authorization(server)) | JSON}) | JSON}),
        },
    )
    return st.one_of(
        message.map(lambda frame: ("text", json.dumps(frame))),
        st.text(max_size=200).map(lambda text: ("text", text)),
        JSON.map(lambda value: ("text", json.dumps(value))),
        st.binary(max_size=200).map(lambda data: ("binary", data)),
        st.binary(max_size=50).map(lambda data: ("raw-text", data)),
    )


async def _acknowledged(server: RunningEmulator) -> Any:
    ws = await websockets.connect(server.realtime_url, subprotocols=["graphql-ws", _subprotocol(server)], proxy=None,
                                  open_timeout=10, close_timeout=5, max_size=None)
    await ws.send(json.dumps({"type": "connection_init"}))
    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert frame["type"] == "connection_ack", frame
    return ws


def assert_appsync_frame(text: str | bytes) -> dict[str, Any]:
    assert isinstance(text, str), "the server sends text frames only"
    frame = json.loads(text)
    assert isinstance(frame, dict) and frame.get("type") in SERVER_TYPES, frame
    if frame["type"] == "error":
        errors = frame["payload"]["errors"]
        for error in errors if isinstance(errors, list) else [errors]:
            assert isinstance(error.get("message"), str), frame
    return frame


async def _drain(ws: Any, seconds: float) -> list[dict[str, Any]]:
    frames = []
    try:
        while True:
            frames.append(assert_appsync_frame(await asyncio.wait_for(ws.recv(), seconds)))
    except TimeoutError:
        return frames


async def _send(ws: Any, kind: str, payload: Any) -> None:
    if kind == "binary":
        await ws.send(payload)
    elif kind == "raw-text":
        await ws.send(payload, text=True)  # sent as a text frame whatever its bytes
    else:
        await ws.send(payload)


async def _garbage_then_valid_start(server: RunningEmulator, frames: list[tuple[str, Any]]) -> None:
    ws = await _acknowledged(server)
    try:
        for kind, payload in frames:
            await _send(ws, kind, payload)
        await _drain(ws, 0.05)
        data = json.dumps({"query": "subscription { onCreatePost { id } }", "variables": {}})
        await ws.send(json.dumps({"id": "valid-one", "type": "start",
                                  "payload": {"data": data, "extensions": {"authorization": _authorization(server)}}}))
        while True:
            frame = assert_appsync_frame(await asyncio.wait_for(ws.recv(), 10))
            if frame.get("id") == "valid-one":
                assert frame["type"] in ("start_ack", "error"), frame  # error: a fuzzed start took the id first
                return
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        assert code in PROTOCOL_CLOSE_CODES, f"closed with {code} ({closed.rcvd and closed.rcvd.reason})"
    finally:
        await ws.close()


def test_fuzzed_frames_get_appsync_frames_and_never_break_the_server(server: RunningEmulator) -> None:
    @FUZZ
    @given(frames=st.lists(_frames(server), min_size=1, max_size=6))
    def check(frames: list[tuple[str, Any]]) -> None:
        asyncio.run(asyncio.wait_for(_garbage_then_valid_start(server, frames), 60))

    check()


async def test_a_frame_over_the_message_limit_gets_an_error_and_the_socket_stays(server: RunningEmulator) -> None:
    ws = await _acknowledged(server)
    try:
        await ws.send(json.dumps({"type": "start", "id": "big", "payload": {"data": "x" * 30_000}}))
        frames = await _drain(ws, 1)
        assert any(f["type"] == "error" and f["payload"]["errors"][0]["errorType"] == "LimitExceededError" for f in frames)
        data = json.dumps({"query": "subscription { onCreatePost { id } }"})
        await ws.send(json.dumps({"id": "s", "type": "start", "payload": {"data": data, "extensions": {"authorization": _authorization(server)}}}))
        assert any(f == {"type": "start_ack", "id": "s"} for f in await _drain(ws, 2))
    finally:
        await ws.close()


@pytest.mark.parametrize("size", [2 * 1024 * 1024, 8 * 1024 * 1024])
async def test_a_frame_past_the_ceiling_closes_only_that_socket(server: RunningEmulator, size: int) -> None:
    ws = await _acknowledged(server)
    with pytest.raises(ConnectionClosed) as closed:
        await ws.send(b"x" * size)
        await asyncio.wait_for(ws.recv(), 10)
        await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    other = await _acknowledged(server)
    await other.close()


async def test_frames_before_connection_init_are_ignored_and_a_silent_client_costs_nothing(server: RunningEmulator) -> None:
    ws = await websockets.connect(server.realtime_url, subprotocols=["graphql-ws", _subprotocol(server)], proxy=None)
    try:
        for junk in ("{}", "not json", json.dumps({"type": "start", "id": "x"}), "[" * 100_000):
            await ws.send(junk)
        await ws.send(b"\x00\x01")
        assert await _drain(ws, 0.5) == []
        await ws.send(json.dumps({"type": "connection_init"}))
        assert (await _drain(ws, 1))[0]["type"] == "connection_ack"
    finally:
        await ws.close()


async def test_rapid_start_stop_on_one_socket(server: RunningEmulator) -> None:
    ws = await _acknowledged(server)
    data = json.dumps({"query": "subscription { onCreatePost { id } }"})
    start = {"type": "start", "payload": {"data": data, "extensions": {"authorization": _authorization(server)}}}
    try:
        for number in range(150):
            await ws.send(json.dumps({**start, "id": f"s{number % 7}"}))
            await ws.send(json.dumps({"type": "stop", "id": f"s{(number * 3) % 7}"}))
        frames = await _drain(ws, 2)
        assert frames and all(f["type"] in ("start_ack", "complete", "error", "ka") for f in frames)
    finally:
        await ws.close()


def test_the_server_logged_no_traceback(server: RunningEmulator) -> None:
    output = "\n".join(server.output)
    assert "Traceback" not in output, output[-5000:]
