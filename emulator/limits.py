"""AppSync's per-request limits, applied while an HTTP request executes.

AppSync enforces these inside execution rather than in validation, and so does the emulator:

* ``queryDepthLimit``: a field nested deeper than the limit fails with ``QueryDepthLimitReached``;
  the data above it is kept, and a non-null field passes the null up to its first nullable
  parent, as any field error does.
* ``resolverCountLimit``: every resolver past the limit fails with
  ``ResolverExecutionLimitReached`` and does not run. With no limit set AppSync still stops at
  10,000 resolvers per request, so that ceiling always applies. Resolvers are the fields that
  have one on AppSync: root fields and relational fields, not plain fields of an item.
* the 30-second execution limit: the transport stops waiting and answers ``ExecutionTimeout``;
  the worker thread notices the deadline at its next resolver and stops, and whatever it still
  returns is discarded (so a late mutation publishes nothing).
* the response size limit, checked on the encoded body.

The exact message texts of the depth, count and size errors are not in AppSync's documentation
(only their ``errorType``); the wording here is the emulator's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLResolveInfo

from emulator.apimodel import ApiModel
from emulator.errors import AppSyncError
from emulator.settings import LimitsSettings

#: AppSync's built-in ceiling of resolvers per request, in force when no limit is configured.
BUILT_IN_RESOLVER_LIMIT = 10_000

TIMEOUT_ERROR_TYPE = "ExecutionTimeout"
TIMEOUT_MESSAGE = "Execution timed out."

FieldKey = tuple[str, str]  # (parent type, field)


@dataclass(frozen=True)
class ExecutionLimits:
    """The limits one request runs under (from ``[limits]``)."""

    query_depth: int = 0  # 0: off
    resolver_count: int = BUILT_IN_RESOLVER_LIMIT
    timeout_seconds: float = 30.0
    max_response_bytes: int = 5 * 1024 * 1024

    @classmethod
    def from_settings(cls, limits: LimitsSettings) -> ExecutionLimits:
        return cls(
            query_depth=limits.query_depth_limit,
            resolver_count=limits.resolver_count_limit or BUILT_IN_RESOLVER_LIMIT,
            timeout_seconds=limits.resolver_timeout_seconds,
            max_response_bytes=limits.max_response_bytes,
        )


def resolver_fields(api: ApiModel) -> frozenset[FieldKey]:
    """The fields AppSync would run a resolver for: root fields, relations and ``@function`` fields."""
    fields: set[FieldKey] = set(api.root_fields) | set(api.functions)
    for model in api.models.values():
        fields.update((model.name, name) for name in model.relations)
    return frozenset(fields)


def depth_of(info: GraphQLResolveInfo) -> int:
    """How many fields deep ``info`` is (list indexes do not count)."""
    depth, path = 0, info.path
    while path is not None:
        if isinstance(path.key, str):
            depth += 1
        path = path.prev
    return depth


class RequestGuard:
    """graphql-core middleware holding one request's limits and its resolver count."""

    def __init__(self, limits: ExecutionLimits, resolvers: frozenset[FieldKey], deadline: float) -> None:
        self._limits = limits
        self._resolvers = resolvers
        self._deadline = deadline
        self.resolver_calls = 0

    @classmethod
    def starting_now(cls, limits: ExecutionLimits, resolvers: frozenset[FieldKey]) -> RequestGuard:
        return cls(limits, resolvers, time.monotonic() + limits.timeout_seconds)

    def resolve(self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        limits = self._limits
        if limits.query_depth and depth_of(info) > limits.query_depth:
            raise depth_limit_reached(limits.query_depth)
        if (info.parent_type.name, info.field_name) in self._resolvers:
            if time.monotonic() > self._deadline:
                raise timed_out()
            self.resolver_calls += 1
            if self.resolver_calls > limits.resolver_count:
                raise resolver_limit_reached(limits.resolver_count)
        return next_(root, info, **args)


def depth_limit_reached(limit: int) -> AppSyncError:
    return AppSyncError(f"Query depth limit of {limit} exceeded.", "QueryDepthLimitReached")


def resolver_limit_reached(limit: int) -> AppSyncError:
    return AppSyncError(f"Resolver invocation limit of {limit} reached.", "ResolverExecutionLimitReached")


def timed_out() -> AppSyncError:
    return AppSyncError(TIMEOUT_MESSAGE, TIMEOUT_ERROR_TYPE)


def timeout_body() -> dict[str, Any]:
    """The whole-request answer when execution passes the time limit (HTTP 200)."""
    return {
        "data": None,
        "errors": [{"path": None, "locations": None, "errorType": TIMEOUT_ERROR_TYPE, "message": TIMEOUT_MESSAGE}],
    }


def response_too_large_body(size: int, limit: int) -> dict[str, Any]:
    """The answer that replaces a response body over the size limit (HTTP 200)."""
    return {
        "data": None,
        "errors": [
            {
                "path": None,
                "locations": None,
                "errorType": "ResponseTooLarge",
                "message": f"Response payload size {size} bytes exceeds the limit of {limit} bytes.",
            }
        ],
    }
