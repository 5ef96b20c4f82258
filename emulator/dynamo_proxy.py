"""The engine's DynamoDB API on the emulator's own port (``POST /`` with ``X-Amz-Target``).

So ``aws dynamodb … --endpoint-url http://127.0.0.1:20002`` and boto3 reach the very tables the
API serves. Requests are forwarded byte for byte; the engine accepts any well-formed credentials,
as DynamoDB Local does. Writes made this way bypass the API, so they publish no subscription
events, exactly as a direct DynamoDB write does in the cloud.
"""

from __future__ import annotations

import re

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.state import AppState

_FORWARDED_HEADERS = ("content-type", "x-amz-target", "authorization", "x-amz-date", "x-amz-security-token",
                      "x-amz-content-sha256", "accept-encoding", "user-agent")


_CREDENTIAL_SERVICE = re.compile(r"Credential=[^/,\s]+/[^/,\s]+/[^/,\s]+/([^/,\s]+)/aws4_request")


def signature_refusal(request: Request) -> JSONResponse | None:
    """DynamoDB's answer to a request that is not signed for it, or None when it is.

    The engine picks the service from the signature's credential scope, so an unsigned request (or
    one signed for S3) would get another service's answer (S3's bucket list as XML). DynamoDB
    refuses both before reading the body; so does this port."""
    authorization = request.headers.get("authorization", "")
    if not authorization:
        return JSONResponse({"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                             "message": "Request is missing Authentication Token"}, status_code=400)
    scope = _CREDENTIAL_SERVICE.search(authorization)
    if scope is None or scope.group(1) != "dynamodb":
        return JSONResponse({"__type": "com.amazon.coral.service#InvalidSignatureException",
                             "message": "Credential should be scoped to correct service: 'dynamodb'. "},
                            status_code=400)
    return None


def is_dynamodb_request(request: Request) -> bool:
    target = request.headers.get("x-amz-target", "")
    return target.startswith("DynamoDB_20120810.") or target.startswith("DynamoDBStreams_20120810.")


async def forward(request: Request, client: httpx.AsyncClient) -> Response:
    state: AppState = request.app.state.emulator
    if not state.engine.endpoint_url:
        return JSONResponse(
            {"__type": "com.amazon.coral.service#UnknownOperationException",
             "message": "This emulator uses real DynamoDB; call it directly."},
            status_code=400,
        )
    refused = signature_refusal(request)
    if refused is not None:
        return refused
    headers = {name: request.headers[name] for name in _FORWARDED_HEADERS if name in request.headers}
    body = await request.body()
    try:
        upstream = await client.post(state.engine.endpoint_url + "/", content=body, headers=headers)
    except httpx.HTTPError as exc:
        return JSONResponse(
            {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
             "message": f"The DynamoDB engine did not answer: {exc}"},
            status_code=500,
        )
    passed = {k: v for k, v in upstream.headers.items() if k.lower() in ("content-type", "x-amzn-requestid", "x-amz-crc32")}
    return Response(upstream.content, status_code=upstream.status_code, headers=passed)
