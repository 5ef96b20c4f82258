"""AMAZON_COGNITO_USER_POOLS: Cognito id and access tokens of the configured pool.

A token is this mode's when its ``iss`` is the pool's issuer URL. Both token kinds are accepted,
as on AppSync (Amplify v6 sends the access token, other clients the id token); each names the
app client its own way: ``aud`` in an id token, ``client_id`` in an access token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.auth.identity import AuthMode, AuthRequest, Identity
from emulator.auth.jwt_keys import KeySet
from emulator.auth.jwt_verifier import (
    JwtVerifier,
    audiences,
    bearer_token,
    identity_from_claims,
    invalid,
    unverified_issuer,
)
from emulator.settings import UserPoolSettings


class UserPoolsAuthenticator:
    """Verifies Cognito user-pool JWTs for one pool and app client."""

    mode = AuthMode.AMAZON_COGNITO_USER_POOLS

    def __init__(self, settings: UserPoolSettings, keys: KeySet) -> None:
        self._client_id = settings.app_client_id
        self._verifier = JwtVerifier(settings.issuer, keys)

    def recognizes(self, request: AuthRequest) -> bool:
        return unverified_issuer(request) == self._verifier.issuer

    def authenticate(self, request: AuthRequest) -> Identity:
        token = bearer_token(request) or ""
        claims = self._verifier.verify(token)
        self._check_client(claims)
        return identity_from_claims(self.mode, claims, request)

    def _check_client(self, claims: Mapping[str, Any]) -> None:
        token_use = claims.get("token_use")
        if token_use == "id":
            if self._client_id not in audiences(claims):
                raise invalid(f"id token aud {claims.get('aud')!r} is not app client {self._client_id!r}")
        elif token_use == "access":
            if claims.get("client_id") != self._client_id:
                raise invalid(
                    f"access token client_id {claims.get('client_id')!r} is not app client {self._client_id!r}"
                )
        else:
            raise invalid(f"token_use {token_use!r} is neither 'id' nor 'access'")
