"""Where the credentials of a real-time connection and of each ``start`` are carried.

The connection's auth JSON comes, in this order of preference, from the ``header`` query
parameter (gql, older Amplify), a ``header-<base64url>`` subprotocol entry (Amplify v6, the
Apollo link) or the upgrade request's own headers (newer Amplify Android). Clients differ in
base64 alphabet and padding, so both alphabets are accepted with or without ``=``. Each carrier
becomes an ``AuthRequest`` shaped as AppSync verifies it: the connection as
``POST /graphql/connect`` with body ``{}``, each ``start`` as ``POST /graphql`` whose body is the
exact ``data`` string the client signed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from emulator.auth.identity import AuthRequest, Headers

SUBPROTOCOL = "graphql-ws"
HEADER_SUBPROTOCOL_PREFIX = "header-"
CONNECT_BODY = b"{}"


def decode_base64_json(text: str) -> Any:
    """Decode base64 (standard or URL-safe, padding optional) holding JSON; None if it is not."""
    cleaned = text.strip().rstrip("=").replace("-", "+").replace("_", "/").replace(" ", "+")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
        return json.loads(raw)
    except (binascii.Error, ValueError):
        return None


def header_map(value: Any) -> Headers:
    """An auth JSON object as case-insensitive headers (non-string scalars as text)."""
    if not isinstance(value, Mapping):
        return Headers()
    return Headers(
        {
            str(name): str(item).lower() if isinstance(item, bool) else str(item)
            for name, item in value.items()
            if isinstance(item, str | int | float | bool)
        }
    )


def _query_parameters(query_string: bytes) -> dict[str, str]:
    """Parse without turning ``+`` into a space: clients put raw standard base64 in the URL."""
    params: dict[str, str] = {}
    for part in query_string.decode("latin-1").split("&"):
        name, _, value = part.partition("=")
        if name:
            params.setdefault(unquote(name), unquote(value))
    return params


def connection_headers(scope: Mapping[str, Any]) -> Headers:
    """The connection's auth headers from whichever carrier the client used."""
    header_param = _query_parameters(scope.get("query_string", b"")).get("header")
    if header_param is not None:
        return header_map(decode_base64_json(header_param))
    for protocol in scope.get("subprotocols", ()):
        if protocol.startswith(HEADER_SUBPROTOCOL_PREFIX):
            return header_map(decode_base64_json(protocol[len(HEADER_SUBPROTOCOL_PREFIX):]))
    return Headers({name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", ())})


def client_ip(scope: Mapping[str, Any]) -> str:
    client = scope.get("client")
    return client[0] if client else "127.0.0.1"


def connection_request(scope: Mapping[str, Any]) -> AuthRequest:
    """The connection as AppSync verifies it (what IAM clients signed)."""
    return AuthRequest(
        headers=connection_headers(scope),
        body=CONNECT_BODY,
        method="POST",
        path="/graphql/connect",
        source_ip=client_ip(scope),
    )


def start_request(
    authorization: Any,
    data: str,
    query: str,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    source_ip: str,
) -> AuthRequest:
    """One ``start`` as AppSync verifies it: its own credentials over its exact ``data``."""
    return AuthRequest(
        headers=header_map(authorization),
        body=data.encode("utf-8"),
        method="POST",
        path="/graphql",
        source_ip=source_ip,
        query_string=query,
        operation_name=operation_name,
        variables=variables,
    )


def accepted_subprotocol(scope: Mapping[str, Any]) -> str | None:
    """``graphql-ws`` when offered (never the ``header-…`` entry); None when not offered."""
    return SUBPROTOCOL if SUBPROTOCOL in scope.get("subprotocols", ()) else None
