"""One RS256 JWT verifier, shared by Cognito user pools and OIDC.

Both modes receive ``Authorization: <JWT>`` and differ only in their issuer, keys and which
claim names the client. This module owns the part they share: reading the token from the
request, routing by the (unverified) ``iss``, verifying signature, ``kid``, ``alg``, ``exp``,
``iat``/``nbf`` and ``iss`` with PyJWT, and turning verified claims into an ``Identity``.
Failures carry AppSync's messages: ``Unable to parse JWT token.`` for something that is not a
JWT, ``Token has expired.``, and ``Valid authorization header not provided.`` for the rest.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

import jwt
from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    InvalidSignatureError,
    InvalidTokenError,
)

from emulator.auth.identity import AuthMode, AuthRequest, Identity, rejected
from emulator.auth.jwt_keys import RS256, KeySet
from emulator.errors import UnauthorizedRequest

UNPARSABLE = "Unable to parse JWT token."
EXPIRED = "Token has expired."
INVALID = "Valid authorization header not provided."
REQUIRED_CLAIMS = ("exp", "iat", "iss", "sub")


def bearer_token(request: AuthRequest) -> str | None:
    """The ``Authorization`` value without an optional ``Bearer`` scheme; None when absent or blank."""
    value = request.headers.get("authorization", "").strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


def _segment(token: str, index: int) -> dict[str, Any] | None:
    """One JSON segment of a compact JWT (0: header, 1: claims), unchecked; None when unreadable.

    Only for routing and picking the key: PyJWT parses (strictly) and verifies the whole token
    afterwards. Decoding here with the C base64 codec keeps the two peeks cheap.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        segment = parts[index]
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        return None
    return value if isinstance(value, dict) else None


def unverified_claims(token: str) -> dict[str, Any] | None:
    """The token's claims without any check, for routing only; None when it is not a JWT."""
    return _segment(token, 1)


def unverified_issuer(request: AuthRequest) -> str | None:
    """The ``iss`` a request's JWT claims to come from (None when there is no JWT)."""
    token = bearer_token(request)
    claims = unverified_claims(token) if token else None
    issuer = claims.get("iss") if claims else None
    return issuer if isinstance(issuer, str) else None


def audiences(claims: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``aud`` claim as a tuple (JWTs carry one string or a list)."""
    aud = claims.get("aud")
    if isinstance(aud, str):
        return (aud,)
    if isinstance(aud, list):
        return tuple(a for a in aud if isinstance(a, str))
    return ()


def invalid(reason: str) -> UnauthorizedRequest:
    return rejected(UnauthorizedRequest(INVALID), reason)


class JwtVerifier:
    """Verifies RS256 tokens of one issuer against its keys; mode-specific claim checks are the caller's."""

    def __init__(self, issuer: str, keys: KeySet) -> None:
        self.issuer = issuer
        self._keys = keys

    def verify(self, token: str) -> dict[str, Any]:
        """The verified claims; raises ``UnauthorizedRequest`` with AppSync's message otherwise."""
        header = _segment(token, 0)
        if header is None or unverified_claims(token) is None:
            raise rejected(UnauthorizedRequest(UNPARSABLE), "not a JWT (three base64url JSON segments)")
        if header.get("alg") != RS256:
            raise invalid(f"JWT alg {header.get('alg')!r} is not {RS256}")
        key = self._keys.get(header.get("kid"))
        if key is None:
            raise invalid(f"JWT kid {header.get('kid')!r} is not a key of issuer {self.issuer}")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[RS256],
                issuer=self.issuer,
                options={"require": list(REQUIRED_CLAIMS), "verify_aud": False},
            )
        except ExpiredSignatureError:
            raise rejected(UnauthorizedRequest(EXPIRED), "JWT exp is in the past") from None
        except InvalidSignatureError:
            raise invalid(f"JWT signature does not verify with key {header.get('kid')!r}") from None
        except DecodeError as exc:
            raise rejected(UnauthorizedRequest(UNPARSABLE), f"malformed JWT: {exc}") from None
        except InvalidTokenError as exc:
            raise invalid(f"JWT rejected: {exc}") from None
        return claims


def identity_from_claims(mode: AuthMode, claims: Mapping[str, Any], request: AuthRequest) -> Identity:
    """``$ctx.identity`` for a verified user-pool or OIDC token."""
    username = claims.get("cognito:username", claims.get("username"))
    groups = claims.get("cognito:groups") or ()
    if isinstance(groups, str):
        groups = (groups,)
    return Identity(
        mode=mode,
        claims=dict(claims),
        sub=str(claims["sub"]),
        username=str(username) if username is not None else None,
        groups=tuple(str(g) for g in groups),
        issuer=str(claims["iss"]),
        source_ip=request.source_ip,
    )
