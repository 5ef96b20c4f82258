"""AppSync's limits over the wire, each configured in ``[limits]`` and exceeded on purpose.

Three servers of the blog example: one with small depth, resolver, request and real-time limits,
one with a tiny response limit, one whose execution limit no request can meet.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx
import pytest
import websockets

from emulator.testing import RunningEmulator
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

SMALL_LIMITS = """
[limits]
query_depth_limit = 2
resolver_count_limit = 3
max_request_bytes = 4000
max_subscriptions_per_connection = 2
max_message_bytes = 2000
connection_timeout_ms = 12345
"""


@pytest.fixture(scope="module")
def small(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG + SMALL_LIMITS)


@pytest.fixture(scope="module")
def tiny_response(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG + "\n[limits]\nmax_response_bytes = 300\n")


@pytest.fixture(scope="module")
def no_time(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG + "\n[limits]\nresolver_timeout_seconds = 0.001\n")


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()


def test_fields_past_the_depth_limit_get_query_depth_limit_reached(small: RunningEmulator) -> None:
    blog = _ok(small.graphql('mutation { createBlog(input: {name: "deep"}) { id } }'))["data"]["createBlog"]
    post = _ok(small.graphql("mutation($b: ID!) { createPost(input: {title: \"t\", blogPostsId: $b}) { id } }", {"b": blog["id"]}))
    post_id = post["data"]["createPost"]["id"]
    body = _ok(small.graphql("query($id: ID!) { getPost(id: $id) { title blog { name } } }", {"id": post_id}))
    assert body["data"] == {"getPost": {"title": "t", "blog": None}}
    [error] = body["errors"]
    assert error["errorType"] == "QueryDepthLimitReached"
    assert error["path"] == ["getPost", "blog", "name"]
    assert set(error) == {"path", "data", "errorType", "errorInfo", "locations", "message"}


def test_resolvers_past_the_count_get_resolver_execution_limit_reached(small: RunningEmulator) -> None:
    query = "{ a: listBlogs(limit: 1) { nextToken } b: listBlogs(limit: 1) { nextToken } c: listBlogs(limit: 1) { nextToken } d: listBlogs(limit: 1) { nextToken } }"
    body = _ok(small.graphql(query))
    assert body["data"]["d"] is None and all(body["data"][k] is not None for k in "abc")
    [error] = body["errors"]
    assert (error["errorType"], error["path"]) == ("ResolverExecutionLimitReached", ["d"])


def test_a_body_over_the_request_limit_is_refused_with_413(small: RunningEmulator) -> None:
    padding = "x" * 5000
    response = httpx.post(small.graphql_url, json={"query": f"{{ listBlogs {{ nextToken }} }} # {padding}"},
                          headers={"x-api-key": small.api_key or ""}, timeout=10)
    assert response.status_code == 413
    assert response.headers["x-amzn-ErrorType"] == "PayloadTooLargeException"
    assert response.json() == {"errors": [{"errorType": "PayloadTooLargeException", "message": "Request payload is too large."}]}


def test_a_response_over_the_limit_is_replaced_by_the_size_error(tiny_response: RunningEmulator) -> None:
    for n in range(5):
        _ok(tiny_response.graphql(f'mutation {{ createBlog(input: {{name: "blog number {n} with a long name"}}) {{ id }} }}'))
    body = _ok(tiny_response.graphql("{ listBlogs { items { id name createdAt updatedAt } } }"))
    assert body["data"] is None
    assert body["errors"][0]["errorType"] == "ResponseTooLarge"
    assert _ok(tiny_response.graphql("{ listBlogs(limit: 1) { nextToken } }"))["data"] is not None


def test_execution_past_the_time_limit_answers_execution_timeout(no_time: RunningEmulator) -> None:
    body = _ok(no_time.graphql("{ listPosts { items { id } } }"))
    assert body == {"data": None, "errors": [{"path": None, "locations": None, "errorType": "ExecutionTimeout",
                                              "message": "Execution timed out."}]}


# --- real-time limits -----------------------------------------------------------------------


async def _connect(server: RunningEmulator) -> Any:
    header = base64.urlsafe_b64encode(json.dumps({"host": server.host, "x-api-key": server.api_key}).encode())
    ws = await websockets.connect(server.realtime_url, subprotocols=["graphql-ws", "header-" + header.decode().rstrip("=")],
                                  proxy=None, open_timeout=10)
    await ws.send(json.dumps({"type": "connection_init"}))
    return ws


async def _frame(ws: Any) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] != "ka":
            return frame


def _start(server: RunningEmulator, subscription_id: str, query: str) -> str:
    data = json.dumps({"query": query, "variables": {}})
    authorization = {"host": server.host, "x-api-key": server.api_key}
    return json.dumps({"id": subscription_id, "type": "start", "payload": {"data": data, "extensions": {"authorization": authorization}}})


async def test_realtime_limits_come_from_the_same_table(small: RunningEmulator) -> None:
    ws = await _connect(small)
    try:
        assert await _frame(ws) == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 12345}}
        for n in (1, 2):
            await ws.send(_start(small, f"s{n}", "subscription { onCreateBlog { id } }"))
            assert await _frame(ws) == {"type": "start_ack", "id": f"s{n}"}
        await ws.send(_start(small, "s3", "subscription { onCreateBlog { id } }"))
        refused = await _frame(ws)
        assert refused["id"] == "s3"
        assert refused["payload"]["errors"] == {"errorType": "MaxSubscriptionsReachedError",
                                                "message": "Max number of 2 subscriptions reached"}
        await ws.send(_start(small, "big", "subscription { onCreateBlog { id } } # " + "x" * 3000))
        too_big = await _frame(ws)
        assert too_big["type"] == "error" and too_big["payload"]["errors"][0]["errorType"] == "LimitExceededError"
    finally:
        await ws.close()


async def test_a_timed_out_mutation_publishes_nothing(no_time: RunningEmulator) -> None:
    ws = await _connect(no_time)
    try:
        assert (await _frame(ws))["type"] == "connection_ack"
        await ws.send(_start(no_time, "s", "subscription { onCreateBlog { id } }"))
        assert await _frame(ws) == {"type": "start_ack", "id": "s"}
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(no_time.graphql_url, headers={"x-api-key": no_time.api_key or ""},
                                       json={"query": 'mutation { createBlog(input: {name: "late"}) { id } }'})
        assert response.json()["errors"][0]["errorType"] == "ExecutionTimeout"
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(_frame(ws), 1.0)
    finally:
        await ws.close()
