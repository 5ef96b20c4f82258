"""Bad input, abrupt disconnects and slow consumers never disturb other clients or the server."""

from __future__ import annotations

import asyncio
import json
import secrets
import socket

import pytest
import websockets

from emulator.realtime import RealtimeLimits
from tests.realtime_harness import (
    EXPLODING_TOKEN,
    Harness,
    harness_fixture,
    make_deps,
    nothing_within,
    open_acknowledged,
    post,
    query_string_url,
    receive,
    serve,
    start,
    start_frame,
    wait_until_async,
)

harness = harness_fixture(RealtimeLimits(max_message_bytes=4096))
ON_CREATE = "subscription { onCreatePost { id title } }"
UNKNOWN = {"type": "error", "payload": {"errors": [{"errorType": "UnsupportedOperation", "message": "unknown not supported through the realtime channel"}]}}


async def _still_works(harness: Harness, ws: websockets.ClientConnection, subscription_id: str) -> None:
    assert (await start(harness, ws, subscription_id, ON_CREATE))["type"] == "start_ack"
    harness.publish("createPost", post(id=subscription_id))
    frame = await receive(ws)
    assert frame["type"] == "data" and frame["payload"]["data"]["onCreatePost"]["id"] == subscription_id


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", '{"no": "type"}', b"\x00\x01binary"])
async def test_bad_frames_get_an_error_and_the_socket_keeps_working(harness: Harness, bad: str | bytes) -> None:
    ws = await open_acknowledged(harness)
    await ws.send(bad)
    assert await receive(ws) == UNKNOWN
    await _still_works(harness, ws, "after-bad-frame")
    await ws.close()


async def test_oversized_frames_are_refused(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    await ws.send(start_frame("big", "subscription { onCreatePost { id } }" + " " * 5000, host=harness.host))
    answer = await receive(ws)
    assert answer["type"] == "error" and answer["id"] == "big"
    assert answer["payload"]["errors"][0]["errorType"] == "LimitExceededError"
    await _still_works(harness, ws, "after-big-frame")
    await ws.close()


async def test_oversized_event_payload_is_an_error_for_that_subscription_only(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    assert (await start(harness, ws, "small", "subscription { onCreatePost { id } }"))["type"] == "start_ack"
    assert (await start(harness, ws, "large", ON_CREATE))["type"] == "start_ack"
    harness.publish("createPost", post(id="x", title="t" * 5000))
    frames = {frame["id"]: frame for frame in [await receive(ws), await receive(ws)]}
    assert frames["small"]["payload"] == {"data": {"onCreatePost": {"id": "x"}}}
    assert frames["large"]["type"] == "error"
    assert frames["large"]["payload"]["errors"][0]["errorType"] == "LimitExceededError"
    await ws.close()


async def test_unexpected_failures_are_contained(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "boom", ON_CREATE, authorization={"host": harness.host, "Authorization": EXPLODING_TOKEN})
    assert answer["type"] == "error" and answer["payload"]["errors"][0]["errorType"] == "InternalFailure"
    await _still_works(harness, ws, "after-boom")
    await ws.close()
    ws = await websockets.connect(query_string_url(harness, {"Authorization": EXPLODING_TOKEN}), subprotocols=["graphql-ws"], proxy=None)
    await ws.send(json.dumps({"type": "connection_init"}))
    failure = await receive(ws)
    assert failure["type"] == "connection_error" and failure["payload"]["errors"][0]["errorType"] == "InternalFailure"


async def test_abrupt_disconnects_leave_no_subscriptions(harness: Harness) -> None:
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)
    sockets = []
    for number in range(10):
        ws = await open_acknowledged(harness)
        assert (await start(harness, ws, str(number), ON_CREATE))["type"] == "start_ack"
        sockets.append(ws)
    assert harness.hub.subscriber_count() == 10
    observer = await open_acknowledged(harness)
    assert (await start(harness, observer, "observer", ON_CREATE))["type"] == "start_ack"
    for ws in sockets:
        ws.transport.abort()  # no close frame, TCP reset
    await wait_until_async(lambda: harness.hub.subscriber_count() == 1)
    harness.publish("createPost", post(id="still-served"))
    assert (await receive(observer))["payload"]["data"]["onCreatePost"]["id"] == "still-served"
    await observer.close()
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)


async def test_no_connection_init_in_time_closes_the_socket() -> None:
    with serve(make_deps(RealtimeLimits(init_timeout_s=0.2))) as short:
        ws = await websockets.connect(query_string_url(short), subprotocols=["graphql-ws"], proxy=None)
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)


def _small_receive_buffer_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    return sock


async def test_slow_consumer_is_disconnected_and_others_keep_their_events() -> None:
    with serve(make_deps(RealtimeLimits(send_queue_size=4))) as server:
        slow = await open_acknowledged(server, sock=_small_receive_buffer_socket(server.port), max_queue=1)
        assert (await start(server, slow, "slow", ON_CREATE))["type"] == "start_ack"
        fast = await open_acknowledged(server)
        assert (await start(server, fast, "fast", ON_CREATE))["type"] == "start_ack"
        big_title = secrets.token_urlsafe(75_000)  # incompressible: permessage-deflate must not hide it
        published = 0
        while server.hub.subscriber_count("createPost") == 2:
            assert published < 2000, "the slow consumer was never disconnected"
            server.publish("createPost", post(id=str(published), title=big_title))
            frame = await receive(fast)  # the fast client reads every event as it comes
            assert frame["payload"]["data"]["onCreatePost"]["id"] == str(published)
            published += 1
        server.publish("createPost", post(id="after", title="small"))
        assert (await receive(fast))["payload"]["data"]["onCreatePost"]["id"] == "after"
        assert server.hub.subscriber_count() == 1
        with pytest.raises(websockets.ConnectionClosed):
            while True:  # the slow client drains what was buffered, then finds the socket closed
                await asyncio.wait_for(slow.recv(), 10)
        assert await nothing_within(fast)
        await fast.close()
        await wait_until_async(lambda: server.hub.subscriber_count() == 0)
