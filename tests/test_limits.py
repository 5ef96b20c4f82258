"""AppSync's limits: the ``[limits]`` config table and the per-request guard on a small schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, build_schema, execute, parse

from emulator.errors import AppSyncError
from emulator.graphql_errors import execution_error
from emulator.limits import BUILT_IN_RESOLVER_LIMIT, ExecutionLimits, RequestGuard
from emulator.realtime.limits import RealtimeLimits
from emulator.settings import ConfigError, LimitsSettings, load_config

SDL = """
type Layer { value: String nextLayer: Layer strict: Layer! }
type Query { nextLayer: Layer resolver: String }
"""


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "appsync-emulator.toml"
    path.write_text(text)
    return path


def test_defaults_are_appsyncs(tmp_path: Path) -> None:
    limits = load_config(_config(tmp_path, "")).limits
    assert limits == LimitsSettings()
    assert (limits.query_depth_limit, limits.resolver_count_limit) == (0, 0)
    assert limits.resolver_timeout_seconds == 30.0
    assert limits.max_subscriptions_per_connection == 100
    assert limits.max_message_bytes == 240 * 1024
    assert ExecutionLimits.from_settings(limits).resolver_count == BUILT_IN_RESOLVER_LIMIT


def test_limits_table_is_read_and_reaches_the_realtime_endpoint(tmp_path: Path) -> None:
    text = """
[limits]
query_depth_limit = 5
resolver_count_limit = 50
max_request_bytes = 2048
resolver_timeout_seconds = 2.5
max_subscriptions_per_connection = 3
max_message_bytes = 1000
connection_timeout_ms = 60000
keep_alive_seconds = 1
"""
    limits = load_config(_config(tmp_path, text)).limits
    assert (limits.query_depth_limit, limits.resolver_count_limit, limits.max_request_bytes) == (5, 50, 2048)
    assert limits.resolver_timeout_seconds == 2.5
    realtime = RealtimeLimits.from_settings(limits)
    assert (realtime.max_subscriptions, realtime.max_message_bytes, realtime.connection_timeout_ms) == (3, 1000, 60000)
    assert realtime.keep_alive_interval_s == 1.0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("query_depth_limit = 76", "'limits.query_depth_limit' must be between 0 and 75"),
        ("resolver_count_limit = 10001", "'limits.resolver_count_limit' must be between 0 and 10000"),
        ("max_request_bytes = 0", "'limits.max_request_bytes' must be at least 1"),
        ("query_depth_limit = \"3\"", "'limits.query_depth_limit' must be an integer"),
        ("resolver_timeout_seconds = true", "'limits.resolver_timeout_seconds' must be a number"),
        ("depth = 3", "unknown key 'limits.depth'"),
    ],
)
def test_wrong_limits_name_the_key(tmp_path: Path, line: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(")):
        load_config(_config(tmp_path, f"[limits]\n{line}\n"))


def _run(schema: GraphQLSchema, query: str, limits: ExecutionLimits, root: Any, deadline: float = 1e12) -> dict[str, Any]:
    guard = RequestGuard(limits, frozenset({("Query", "nextLayer"), ("Query", "resolver")}), deadline)
    result = execute(schema, parse(query), root_value=root, middleware=[guard])
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [execution_error(error, schema) for error in result.errors]
    return body


def _layers(depth: int) -> dict[str, Any]:
    layer: dict[str, Any] = {"value": f"L{depth}"}
    for level in range(depth - 1, 0, -1):
        layer = {"value": f"L{level}", "nextLayer": layer, "strict": layer}
    return {"nextLayer": layer, "resolver": "ran"}


def test_fields_past_the_depth_limit_fail_and_the_rest_is_kept() -> None:
    schema = build_schema(SDL)
    query = "{ L1: nextLayer { value L2: nextLayer { value L3: nextLayer { L4: value } } } }"
    body = _run(schema, query, ExecutionLimits(query_depth=2), _layers(4))
    assert body["data"] == {"L1": {"value": "L1", "L2": {"value": None, "L3": None}}}
    assert [(e["errorType"], e["path"]) for e in body["errors"]] == [
        ("QueryDepthLimitReached", ["L1", "L2", "value"]),
        ("QueryDepthLimitReached", ["L1", "L2", "L3"]),
    ]


def test_a_non_null_field_past_the_limit_nulls_its_first_nullable_parent() -> None:
    schema = build_schema(SDL)
    body = _run(schema, "{ nextLayer { strict { value } } }", ExecutionLimits(query_depth=1), _layers(3))
    assert body["data"] == {"nextLayer": None}
    assert body["errors"][0]["errorType"] == "QueryDepthLimitReached"


def test_resolvers_past_the_count_fail_without_running() -> None:
    schema = build_schema(SDL)
    body = _run(schema, "{ a: resolver b: resolver c: resolver }", ExecutionLimits(resolver_count=2), _layers(1))
    assert body["data"] == {"a": "ran", "b": "ran", "c": None}
    [error] = body["errors"]
    assert (error["errorType"], error["path"]) == ("ResolverExecutionLimitReached", ["c"])


def test_plain_fields_are_not_resolvers() -> None:
    schema = build_schema(SDL)
    body = _run(schema, "{ nextLayer { value nextLayer { value } } }", ExecutionLimits(resolver_count=1), _layers(3))
    assert "errors" not in body


def test_a_passed_deadline_stops_the_next_resolver() -> None:
    schema = build_schema(SDL)
    body = _run(schema, "{ resolver }", ExecutionLimits(), _layers(1), deadline=0)
    assert body["data"] == {"resolver": None}
    assert body["errors"][0]["errorType"] == "ExecutionTimeout"


def test_limit_errors_are_appsync_errors() -> None:
    from emulator.limits import depth_limit_reached, resolver_limit_reached, timed_out

    for error in (depth_limit_reached(2), resolver_limit_reached(3), timed_out()):
        assert isinstance(error, AppSyncError) and error.error_type
