"""Who is calling, and by which AppSync auth mode.

Every auth mode module turns an ``AuthRequest`` (the credentials as they arrived, over HTTP or
inside a WebSocket message) into an ``Identity`` or raises ``UnauthorizedRequest``. The identity
is then all that execution, ``@aws_*`` checks and ``@auth`` rules look at; it mirrors
AppSync's ``$ctx.identity`` and ``$util.authType()``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from emulator.errors import UnauthorizedRequest

_log = logging.getLogger("auth")


class AuthMode(StrEnum):
    API_KEY = "API_KEY"
    AMAZON_COGNITO_USER_POOLS = "AMAZON_COGNITO_USER_POOLS"
    AWS_IAM = "AWS_IAM"
    OPENID_CONNECT = "OPENID_CONNECT"
    AWS_LAMBDA = "AWS_LAMBDA"

    @property
    def auth_type(self) -> str:
        """The value of ``$util.authType()`` for this mode."""
        return _AUTH_TYPES[self]

    @property
    def directive(self) -> str:
        """The AppSync schema directive that grants this mode."""
        return _DIRECTIVES[self]


_AUTH_TYPES = {
    AuthMode.API_KEY: "API Key Authorization",
    AuthMode.AMAZON_COGNITO_USER_POOLS: "User Pool Authorization",
    AuthMode.AWS_IAM: "IAM Authorization",
    AuthMode.OPENID_CONNECT: "Open ID Connect Authorization",
    AuthMode.AWS_LAMBDA: "Lambda Authorization",
}
_DIRECTIVES = {
    AuthMode.API_KEY: "aws_api_key",
    AuthMode.AMAZON_COGNITO_USER_POOLS: "aws_cognito_user_pools",
    AuthMode.AWS_IAM: "aws_iam",
    AuthMode.OPENID_CONNECT: "aws_oidc",
    AuthMode.AWS_LAMBDA: "aws_lambda",
}


class Headers(Mapping[str, str]):
    """Case-insensitive, read-only header map (clients vary the case of auth header names)."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        self._items = {k.lower(): v for k, v in (items or {}).items()}

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items


@dataclass(frozen=True)
class AuthRequest:
    """Credentials as presented, in the form every mode can verify.

    For HTTP: the request headers, its exact body bytes and path. For the real-time protocol the
    transport builds one from the auth JSON: the connection as ``POST /graphql/connect`` with body
    ``{}``, each ``start`` as ``POST /graphql`` with body = the exact ``data`` string.
    """

    headers: Headers
    body: bytes = b""
    method: str = "POST"
    path: str = "/graphql"
    source_ip: str = "127.0.0.1"
    query_string: str = ""  # the GraphQL document (the Lambda authorizer event's queryString)
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    url_query: str = ""  # the raw URL query string (``GET /graphql?query=…`` is signed over it)


@dataclass(frozen=True)
class Identity:
    """The verified caller; shaped after AppSync's ``$ctx.identity``."""

    mode: AuthMode
    claims: Mapping[str, Any] = field(default_factory=dict)  # JWT claims (user pools, OIDC)
    sub: str | None = None
    username: str | None = None
    groups: tuple[str, ...] = ()
    issuer: str | None = None
    user_arn: str | None = None  # IAM: the caller's (assumed-)role ARN
    account_id: str | None = None
    access_key_id: str | None = None
    # IAM callers holding the identity pool's auth or unauth role (a signed-in user or a guest of
    # the Cognito identity pool); None for any other IAM principal (a function, a backend role)
    cognito_identity_pool_id: str | None = None
    cognito_identity_id: str | None = None
    cognito_identity_auth_type: str | None = None  # "authenticated" | "unauthenticated"
    iam_root_types: frozenset[str] | None = None  # IAM: the root types the caller's policy grants (None: all)
    api_key: str | None = None
    resolver_context: Mapping[str, Any] = field(default_factory=dict)  # Lambda authorizer
    denied_fields: frozenset[str] = frozenset()  # Lambda authorizer: "Type.field" entries
    source_ip: str = "127.0.0.1"

    @property
    def auth_type(self) -> str:
        return self.mode.auth_type


class Authenticator(Protocol):
    """One auth mode: recognises its credentials and verifies them."""

    mode: AuthMode

    def recognizes(self, request: AuthRequest) -> bool:
        """True when the request carries credentials of this mode's form (header, token shape)."""
        ...

    def authenticate(self, request: AuthRequest) -> Identity:
        """Verify the credentials; raise ``emulator.errors.UnauthorizedRequest`` when they fail."""
        ...


def rejected(error: UnauthorizedRequest, reason: str) -> UnauthorizedRequest:
    """``error`` (AppSync's terse message for the client) with the precise reason attached.

    The reason is logged on the ``auth`` logger and added as an exception note, so a developer
    sees why a credential failed (which claim, which header) while the client sees what AppSync
    would send.
    """
    _log.info("request rejected (%s): %s", error.message, reason)
    error.add_note(reason)
    return error
