"""GraphQL over HTTP (``POST``/``GET /graphql``) in AppSync's wire shapes, and CORS.

A request is authenticated and executed in one worker-thread hop (auth may call a Lambda
authorizer, resolvers call boto3; both block). Whole-request failures get AppSync's status and
body: 400 ``MalformedHttpRequestException`` for an empty or unparsable body, 401
``UnauthorizedException`` with the ``x-amzn-ErrorType`` header that aws-amplify reads.
Mutation results are published to the hub after the response body is final.

AppSync's request limits (``emulator.limits``) apply here: the body size (413 before parsing),
the execution time (the worker's late result is discarded, nothing is published) and the
encoded response size.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from graphql import get_operation_ast
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.auth.identity import AuthRequest, Headers, Identity
from emulator.errors import RequestError
from emulator.execution import OperationResult
from emulator.graphql_request import GraphQLRequest, graphql_request, parse_body
from emulator.hub import MutationEvent
from emulator.limits import ExecutionLimits, RequestGuard, response_too_large_body, timeout_body
from emulator.state import AppState

log = logging.getLogger("appsync_emulator.request")

#: Request header that asks for the emulator's list/query figures in ``extensions`` (opt-in, so
#: the default wire stays AppSync's).
TRACE_HEADER = "x-appsync-emulator-trace"

CORS_HEADERS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": (
        "x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version"
    ),
}


def error_response(error: RequestError, request_id: str) -> JSONResponse:
    headers = {**CORS_HEADERS, "x-amzn-RequestId": request_id, "x-amzn-ErrorType": error.error_type}
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def payload_too_large() -> RequestError:
    return RequestError(413, "PayloadTooLargeException", "Request payload is too large.")


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` (never buffered past it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise payload_too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise payload_too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def encode_body(body: dict[str, Any]) -> bytes:
    """The response body as compact UTF-8 JSON (Starlette's JSONResponse encoding)."""
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _auth_request(request: Request, body: bytes, gql: GraphQLRequest) -> AuthRequest:
    client = request.client
    return AuthRequest(
        headers=Headers(dict(request.headers)),
        body=body,
        method=request.method,
        path=request.url.path,
        source_ip=client.host if client else "127.0.0.1",
        query_string=gql.query,
        operation_name=gql.operation_name,
        variables=gql.variables,
        url_query=request.url.query,
    )


@dataclass(frozen=True)
class Handled:
    """An executed request and the figures of its log line."""

    result: OperationResult
    identity: Identity
    execution_ms: float = 0.0
    dynamodb_calls: int = 0
    items_read: int = 0
    items_returned: int = 0
    operation_name: str | None = None  # from the document when the request names none
    response_headers: dict[str, str] = field(default_factory=dict)  # added by resolvers (util.http)


def _handle(
    state: AppState, auth_request: AuthRequest, gql: GraphQLRequest, trace: bool, limits: ExecutionLimits, deadline: float
) -> Handled:
    """Authenticate, then execute: one blocking unit of work for a worker thread, on the one
    API generation current when the request arrived."""
    generation = state.generation
    identity = generation.auth.authenticate(auth_request)
    executor = generation.executor
    prepared = executor.prepare(gql.query)
    if prepared.errors:
        return Handled(OperationResult({"data": None, "errors": prepared.errors}), identity)
    context = state.resolver_context(identity, dict(auth_request.headers), generation)
    guard = RequestGuard(limits, executor.resolver_fields, deadline)
    started = time.perf_counter()
    result = executor.run_sync(prepared, context, gql.variables, gql.operation_name, guard)
    execution_ms = (time.perf_counter() - started) * 1000
    if trace:
        result.body.setdefault("extensions", {})["appsyncEmulator"] = {"listCalls": context.stats.calls}
    calls = context.stats.calls
    operation = get_operation_ast(prepared.document, gql.operation_name) if prepared.document else None
    return Handled(
        result,
        identity,
        execution_ms,
        context.dynamodb_calls,
        sum(call["scannedCount"] for call in calls),
        sum(call["returnedCount"] for call in calls),
        operation.name.value if operation is not None and operation.name else None,
        context.response_headers,
    )


def _caller(identity: Identity) -> str:
    """Who called, for the log: the user, the IAM ARN, or the API key shortened."""
    if identity.username or identity.user_arn:
        return identity.username or identity.user_arn or "-"
    if identity.api_key:
        return identity.api_key[:8] + "…"
    return identity.sub or "-"


async def graphql_http(request: Request) -> Response:
    """``POST /graphql`` (and ``GET /graphql?query=…``)."""
    state: AppState = request.app.state.emulator
    request_id = str(uuid.uuid4())
    started = time.perf_counter()
    settings = state.settings.limits
    limits = ExecutionLimits.from_settings(settings)
    try:
        if request.method == "GET":
            body = b""
            gql = graphql_request(
                {
                    "query": request.query_params.get("query"),
                    "variables": request.query_params.get("variables"),
                    "operationName": request.query_params.get("operationName"),
                }
            )
        else:
            body = await read_body(request, settings.max_request_bytes)
            gql = parse_body(body)
        trace = request.headers.get(TRACE_HEADER, "").lower() in ("1", "true", "yes")
        auth_request = _auth_request(request, body, gql)
        deadline = time.monotonic() + limits.timeout_seconds
        with anyio.move_on_after(limits.timeout_seconds) as waiting:
            handled = await anyio.to_thread.run_sync(
                _handle, state, auth_request, gql, trace, limits, deadline, abandon_on_cancel=True
            )
    except RequestError as error:
        log.info("%s %s -> %s %s", request.method, request.url.path, error.status, error.error_type)
        return error_response(error, request_id)
    if waiting.cancelled_caught:
        log.warning("%s timed out after %.1fs; its result will be discarded", gql.operation_name or _first_field(gql.query),
                    limits.timeout_seconds)
        return _json(encode_body(timeout_body()), request_id)
    result, identity = handled.result, handled.identity
    for field_name, payload in result.published:
        state.hub.publish(MutationEvent(mutation_field=field_name, payload=payload, identity=identity))
    encoded = encode_body(result.body)
    if len(encoded) > limits.max_response_bytes:
        encoded = encode_body(response_too_large_body(len(encoded), limits.max_response_bytes))
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.info(
        "%s %s mode=%s caller=%s %.1fms resolvers=%.1fms ddb_calls=%d items_read=%d items_returned=%d errors=%d",
        result.operation_type.value if result.operation_type else "invalid",
        gql.operation_name or handled.operation_name or _first_field(gql.query),
        identity.mode.value,
        _caller(identity),
        elapsed_ms,
        handled.execution_ms,
        handled.dynamodb_calls,
        handled.items_read,
        handled.items_returned,
        len(result.body.get("errors") or []),
    )
    return _json(encoded, request_id, result.status, handled.response_headers)


def _json(content: bytes, request_id: str, status: int = 200, extra_headers: dict[str, str] | None = None) -> Response:
    headers = {**(extra_headers or {}), **CORS_HEADERS, "x-amzn-RequestId": request_id}
    return Response(content, status_code=status, media_type="application/json", headers=headers)


def _first_field(query: str) -> str:
    """A short label for the log line when the operation has no name."""
    text = " ".join(query.split())
    start = text.find("{")
    return text[start + 1 : start + 40].strip().split("(")[0].split("{")[0].strip() if start >= 0 else "?"


async def graphql_preflight(request: Request) -> Response:
    """CORS preflight as AppSync answers browsers."""
    requested = request.headers.get("access-control-request-headers", "*")
    return Response(
        status_code=200,
        headers={
            **CORS_HEADERS,
            "access-control-allow-methods": "GET, POST, OPTIONS",
            "access-control-allow-headers": requested,
            "access-control-max-age": "86400",
        },
    )
