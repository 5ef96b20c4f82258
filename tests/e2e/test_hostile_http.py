"""Hostile input on ``POST /graphql``: property-based fuzzing of a real server.

Operations come from hypothesis-graphql over the blog example's generated schema (valid ones and
ones with exactly one schema violation), plus raw bodies: arbitrary bytes, JSON of every shape,
invalid UTF-8, huge strings, deep nesting. Every answer must be in AppSync's shape: HTTP 200 with
``data``/``errors``, or a 4xx whole-request error with ``x-amzn-ErrorType``; never a 5xx, never
a hang (every request has a timeout), and no traceback in the server's output.

Examples per property: ``APPSYNC_FUZZ_EXAMPLES`` (default 60; try 2000 locally).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema, StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import strategies as gql_st

from emulator.sdl import build_appsync_schema
from emulator.settings import Settings
from emulator.testing import RunningEmulator
from emulator.transform import TransformOptions, transform
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

EXAMPLES = int(os.environ.get("APPSYNC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
WHOLE_REQUEST_ERRORS = {400, 401, 403, 413}
AWS_SCALARS = ("AWSDate", "AWSTime", "AWSDateTime", "AWSTimestamp", "AWSEmail", "AWSJSON", "AWSURL", "AWSPhone",
               "AWSIPAddress")


@pytest.fixture(scope="module")
def server(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG + "\n# hostile http\n")


@pytest.fixture(scope="module")
def http() -> Any:
    with httpx.Client(timeout=30) as client:
        yield client


def blog_schema() -> GraphQLSchema:
    api = transform(Path(BLOG_SCHEMA).read_text(), TransformOptions.from_settings(Settings()))
    return build_appsync_schema(api.sdl)


def _scalar_values() -> Any:
    """Values for the AWS scalars: sometimes well-formed, mostly not."""
    samples = st.sampled_from(["2026-01-02", "12:30:00Z", "2026-01-02T03:04:05.678Z", "1700000000", "a@b.co",
                               '{"a": [1, 2]}', "https://example.com/x", "+14155550100", "127.0.0.1"])
    return st.one_of(samples, st.text(max_size=40)).map(lambda text: StringValueNode(value=text))


SCALARS = {name: _scalar_values() for name in AWS_SCALARS}


def assert_appsync_shape(response: httpx.Response) -> None:
    """AppSync's two answer shapes, and nothing else."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body, dict) and "data" in body, body
        for error in body.get("errors") or []:
            assert isinstance(error.get("message"), str), error
        return
    assert response.status_code in WHOLE_REQUEST_ERRORS, response.status_code
    assert response.headers.get("x-amzn-ErrorType"), response.headers
    [error] = body["errors"]
    assert error["errorType"] == response.headers["x-amzn-ErrorType"] and isinstance(error["message"], str)


def post(http: httpx.Client, server: RunningEmulator, content: bytes, key: bool = True) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if key:
        headers["x-api-key"] = server.api_key or ""
    return http.post(server.graphql_url, content=content, headers=headers)


def test_generated_operations_are_answered_in_appsyncs_shape(server: RunningEmulator, http: httpx.Client) -> None:
    schema = blog_schema()
    operations = gql_st.from_schema(schema, custom_scalars=SCALARS)

    @FUZZ
    @given(query=operations)
    def check(query: str) -> None:
        assert_appsync_shape(post(http, server, json.dumps({"query": query}).encode()))

    check()


def test_operations_with_one_violation_are_answered_in_appsyncs_shape(server: RunningEmulator, http: httpx.Client) -> None:
    schema = blog_schema()
    operations = gql_st.from_schema(schema, custom_scalars=SCALARS, mode=gql_st.Mode.NEGATIVE)

    @FUZZ
    @given(query=operations)
    def check(query: str) -> None:
        response = post(http, server, json.dumps({"query": query}).encode())
        assert_appsync_shape(response)

    check()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
KNOWN_QUERIES = st.sampled_from([
    "query($id: ID!) { getPost(id: $id) { id title rating } }",
    "query($f: ModelPostFilterInput, $l: Int, $t: String) { listPosts(filter: $f, limit: $l, nextToken: $t) { items { id } nextToken } }",
    "mutation($i: CreatePostInput!, $c: ModelPostConditionInput) { createPost(input: $i, condition: $c) { id title } }",
    "mutation($i: UpdatePostInput!) { updatePost(input: $i) { id title rating } }",
    "mutation($i: DeletePostInput!) { deletePost(input: $i) { id } }",
    "query($t: String!, $s: ModelSortDirection) { postsByTitle(title: $t, sortDirection: $s) { items { id } } }",
])


def test_wrong_variables_and_wrong_envelope_types(server: RunningEmulator, http: httpx.Client) -> None:
    @FUZZ
    @given(query=KNOWN_QUERIES | JSON_VALUES, variables=JSON_VALUES | st.dictionaries(
        st.sampled_from(["id", "f", "l", "t", "i", "c", "s"]), JSON_VALUES, max_size=4), name=st.none() | JSON_VALUES)
    def check(query: Any, variables: Any, name: Any) -> None:
        body = {"query": query, "variables": variables, "operationName": name}
        assert_appsync_shape(post(http, server, json.dumps(body).encode()))

    check()


def test_arbitrary_bytes_and_broken_json(server: RunningEmulator, http: httpx.Client) -> None:
    valid = json.dumps({"query": "{ listPosts { items { id } } }"}).encode()

    @FUZZ
    @given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
           cut=st.integers(min_value=0, max_value=len(valid)), key=st.booleans())
    def check(raw: bytes, cut: int, key: bool) -> None:
        assert_appsync_shape(post(http, server, raw, key))
        assert_appsync_shape(post(http, server, valid[:cut] + raw, key))

    check()


def _nested_filter_body(depth: int) -> bytes:
    """A filter nested ``depth`` levels deep (written as text: ``json.dumps`` refuses such depth)."""
    query = json.dumps("query($v: ModelPostFilterInput) { listPosts(filter: $v) { items { id } } }")
    nested = '{"and": [' * depth + '{"title": {"eq": "x"}}' + "]}" * depth
    return f'{{"query": {query}, "variables": {{"v": {nested}}}}}'.encode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ listPosts { items { id } } }", "x": "\xff\xfe"}',  # invalid UTF-8
        b'{"query": "\xed\xa0\x80"}',  # a UTF-8-encoded lone surrogate
        b'{"query": "query { getPost(id: \\"\\ud800\\") { id } }"}',  # a lone surrogate escape
        b'{"query": "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }", "variables": {"i": {"title": NaN}}}',
        b'{"query": "query($l: Int) { listPosts(limit: $l) { items { id } } }", "variables": {"l": Infinity}}',
        b'{"query": "query($l: Int) { listPosts(limit: $l) { items { id } } }", "variables": {"l": 1e400}}',
        b'{"query": "query($l: Int) { listPosts(limit: $l) { items { id } } }", "variables": {"l": 99999999999999999999}}',
        b'{"query": "query($l: Int) { listPosts(limit: $l) { items { id } } }", "variables": {"l": -5}}',
        b"[" * 100_000 + b"]" * 100_000,  # deep JSON
        json.dumps({"query": "{" + "listPosts { items { blog { posts { items { post " * 3000 + "}" * 3000}).encode(),
        json.dumps({"query": "query { getPost(id: " + "[" * 50_000 + '"x"' + "]" * 50_000 + ") { id } }"}).encode(),
        json.dumps({"query": "{ getPost(id: $v) { id } }", "variables": {"v": [[[[[[[[[["deep"]]]]]]]]]]}}).encode(),
        json.dumps({"query": "fragment A on Query { ...A } { ...A }"}).encode(),  # fragment cycle
        json.dumps({"query": "{ " + " ".join(f"a{n}: __typename" for n in range(20_000)) + " }"}).encode(),
        _nested_filter_body(50),
        _nested_filter_body(5000),
        json.dumps({"query": "mutation($t: String!) { createPost(input: {title: $t}) { id } }",
                    "variables": {"t": "x" * 900_000}}).encode(),  # a huge string under the size limit
        json.dumps({"query": "{ listPosts { items { id } } }", "variables": {"pad": "x" * 2_000_000}}).encode(),  # over it
        b'{"query": "{ listPosts { items { id } } }"' + b" " * 100 + b"}",
        b'\xef\xbb\xbf{"query": "{ listPosts { items { id } } }"}',  # UTF-8 byte-order mark
        '{"query": "{ listPosts { items { id } } }"}'.encode("utf-16"),
    ],
    ids=lambda body: body[:40].decode("latin-1"),
)
def test_hostile_bodies(server: RunningEmulator, http: httpx.Client, body: bytes) -> None:
    assert_appsync_shape(post(http, server, body))


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=120)
JWT_LIKE = st.lists(st.binary(max_size=60).map(lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")),
                    min_size=1, max_size=4).map(".".join)
SIGV4_LIKE = st.builds(
    lambda credential, headers, signature: f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={headers}, Signature={signature}",
    HEADER_TEXT, HEADER_TEXT, HEADER_TEXT,
)


def test_hostile_credentials_get_401_never_a_crash(server: RunningEmulator, http: httpx.Client) -> None:
    body = json.dumps({"query": "{ listPosts(limit: 1) { nextToken } }"}).encode()

    @FUZZ
    @given(headers=st.dictionaries(
        st.sampled_from(["x-api-key", "authorization", "x-amz-date", "x-amz-security-token", "host"]),
        (HEADER_TEXT | JWT_LIKE | SIGV4_LIKE | JWT_LIKE.map(lambda token: "Bearer " + token)).map(str.strip), max_size=4))
    def check(headers: dict[str, str]) -> None:
        response = http.post(server.graphql_url, content=body, headers={"content-type": "application/json", **headers})
        assert_appsync_shape(response)

    check()


def test_get_requests_with_hostile_query_strings(server: RunningEmulator, http: httpx.Client) -> None:
    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(["query", "variables", "operationName", "x"]), st.text(max_size=200), max_size=3))
    def check(params: dict[str, str]) -> None:
        response = http.get(server.graphql_url, params=params, headers={"x-api-key": server.api_key or ""})
        assert_appsync_shape(response)

    check()


def test_the_server_logged_no_traceback_and_still_answers(server: RunningEmulator, http: httpx.Client) -> None:
    response = post(http, server, json.dumps({"query": "{ listPosts(limit: 1) { nextToken } }"}).encode())
    assert response.status_code == 200 and response.json()["data"] is not None
    output = "\n".join(server.output)
    assert "Traceback" not in output, output[-5000:]
