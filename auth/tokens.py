"""Minting Cognito-style tokens the emulator accepts (``appsync-emulator token``).

Local development needs signed-in users without a real user pool: this signs, with the data
dir's signing key, tokens shaped like Cognito's (claim names and the id/access split), so the
same client code paths run as in the cloud. With ``oidc=True`` the token is issued by the
configured OIDC issuer for its client id instead.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from emulator.auth.signing_key import SigningKey
from emulator.settings import AuthSettings

# Subs are derived from usernames in this namespace, so `--username alice` is the same user every time.
USER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://appsync-emulator.local/users")
ACCESS_SCOPE = "aws.cognito.signin.user.admin"
TOKEN_USES = ("id", "access")


def default_sub(username: str) -> str:
    """The stable ``sub`` of a username (UUID v5)."""
    return str(uuid.uuid5(USER_NAMESPACE, username))


def token_claims(
    settings: AuthSettings,
    *,
    username: str,
    sub: str | None = None,
    groups: Iterable[str] = (),
    email: str | None = None,
    token_use: str = "id",
    expires_in: int = 3600,
    claims: Mapping[str, Any] | None = None,
    oidc: bool = False,
    now: int | None = None,
) -> dict[str, Any]:
    """The claims ``mint_token`` signs; ``claims`` entries are added last and win."""
    if token_use not in TOKEN_USES:
        raise ValueError(f"token_use must be 'id' or 'access', got {token_use!r}")
    issued = int(time.time()) if now is None else now
    issuer, client_id = (
        (settings.oidc.issuer, settings.oidc.client_id)
        if oidc
        else (settings.user_pools.issuer, settings.user_pools.app_client_id)
    )
    body: dict[str, Any] = {
        "sub": sub or default_sub(username),
        "iss": issuer,
        "token_use": token_use,
        "auth_time": issued,
        "iat": issued,
        "exp": issued + expires_in,
        "jti": str(uuid.uuid4()),
    }
    group_list = list(groups)
    if group_list:
        body["cognito:groups"] = group_list
    if token_use == "id":
        body |= {"aud": client_id, "cognito:username": username}
        if email is not None:
            body |= {"email": email, "email_verified": True}
    else:
        body |= {"client_id": client_id, "username": username, "scope": ACCESS_SCOPE}
        if oidc:
            body["aud"] = client_id
    return body | dict(claims or {})


class TokenOptions(TypedDict, total=False):
    """``token_claims``'s keyword arguments, which ``mint_token`` passes on (``now`` aside)."""

    username: Required[str]
    sub: str | None
    groups: Iterable[str]
    email: str | None
    token_use: str
    expires_in: int
    claims: Mapping[str, Any] | None
    oidc: bool


def mint_token(settings: AuthSettings, data_dir: Path, **options: Unpack[TokenOptions]) -> str:
    """A signed RS256 JWT that an emulator with the same settings and data dir accepts."""
    return SigningKey.load_or_create(data_dir).sign(token_claims(settings, **options))
