"""OPENID_CONNECT: JWTs from the configured OIDC issuer.

A token is this mode's when its ``iss`` is the configured issuer. Like AppSync, the client id
(when configured) must be in ``aud`` (an access token may name it in ``client_id`` instead, as
Cognito's do), and the optional ``iat_ttl``/``auth_ttl`` bound how long ago the token was issued
and the user authenticated. Keys: the issuer's JWKS file, plus the emulator's own signing key so
that ``appsync-emulator token --oidc`` tokens verify.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from emulator.auth.identity import AuthMode, AuthRequest, Identity, rejected
from emulator.auth.jwt_keys import KeySet
from emulator.auth.jwt_verifier import (
    EXPIRED,
    JwtVerifier,
    audiences,
    bearer_token,
    identity_from_claims,
    invalid,
    unverified_issuer,
)
from emulator.errors import UnauthorizedRequest
from emulator.settings import OidcSettings


class OidcAuthenticator:
    """Verifies JWTs of one OIDC issuer and client."""

    mode = AuthMode.OPENID_CONNECT

    def __init__(self, settings: OidcSettings, keys: KeySet, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._verifier = JwtVerifier(settings.issuer, keys)
        self._clock = clock

    def recognizes(self, request: AuthRequest) -> bool:
        return unverified_issuer(request) == self._verifier.issuer

    def authenticate(self, request: AuthRequest) -> Identity:
        claims = self._verifier.verify(bearer_token(request) or "")
        self._check_client(claims)
        self._check_ttls(claims)
        return identity_from_claims(self.mode, claims, request)

    def _check_client(self, claims: Mapping[str, Any]) -> None:
        token_use = claims.get("token_use")
        if token_use not in (None, "id", "access"):
            raise invalid(f"token_use {token_use!r} is neither 'id' nor 'access'")
        client_id = self._settings.client_id
        if not client_id or client_id in audiences(claims):
            return
        if token_use == "access" and claims.get("client_id") == client_id:
            return
        raise invalid(f"OIDC token aud {claims.get('aud')!r} does not include client id {client_id!r}")

    def _check_ttls(self, claims: Mapping[str, Any]) -> None:
        now = self._clock()
        for claim, ttl in (("iat", self._settings.iat_ttl_seconds), ("auth_time", self._settings.auth_ttl_seconds)):
            if ttl <= 0:
                continue
            value = claims.get(claim)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise invalid(f"OIDC {claim} is required (TTL {ttl}s configured), got {value!r}")
            if now - value > ttl:
                raise rejected(UnauthorizedRequest(EXPIRED), f"OIDC {claim} is more than {ttl}s ago")
