"""A Gen 2 data API's auth modes, as ``@aws-amplify/backend-data`` derives them, as ``AuthSettings``.

``defineData({ authorizationModes })`` names the default mode and configures API key, Lambda and
OIDC; ``defineAuth`` (``amplify/auth/resource.ts``) brings a user pool and an identity pool. The
rules follow ``convert_authorization_modes.ts``:

- default: ``defaultAuthorizationMode``; else ``apiKey`` when there is neither auth nor
  ``authorizationModes``; ``userPool`` with auth and no ``authorizationModes``; the only configured
  mode when there is no auth and exactly one; otherwise Amplify refuses the project.
- API key: configured, or the default, or the no-auth-at-all case (7 days unless ``expiresInDays``).
- user pools and IAM from the auth resource; IAM is always on (Gen 2 enables it for every API).
- Lambda and OIDC when configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from emulator.gen2.model import Gen2Project
from emulator.gen2.project import Gen2ProjectError
from emulator.settings import ApiKey, AuthSettings, OidcSettings

MODE_NAMES = {
    "iam": "AWS_IAM",
    "identityPool": "AWS_IAM",
    "userPool": "AMAZON_COGNITO_USER_POOLS",
    "oidc": "OPENID_CONNECT",
    "apiKey": "API_KEY",
    "lambda": "AWS_LAMBDA",
}
DEFAULT_API_KEY_DAYS = 7


@dataclass(frozen=True)
class Gen2Auth:
    """The modes in AppSync's names (default first), and what configures them."""

    default: str
    additional: tuple[str, ...]
    api_key_expires_in_days: int | None  # None: API_KEY is not enabled
    oidc: Mapping[str, Any] | None
    lambda_function: str | None


def _default_mode(project: Gen2Project, modes: Mapping[str, Any] | None) -> str:
    if modes and modes.get("defaultAuthorizationMode"):
        chosen = str(modes["defaultAuthorizationMode"])
        if chosen not in MODE_NAMES:
            raise Gen2ProjectError(
                f"{project.data_resource}: unknown defaultAuthorizationMode {chosen!r}; "
                f"expected one of {', '.join(MODE_NAMES)}"
            )
        return chosen
    if modes is None and not project.has_auth:
        return "apiKey"
    if project.has_auth and modes is None:
        return "userPool"
    configured = [k for k in ("oidcAuthorizationMode", "lambdaAuthorizationMode", "apiKeyAuthorizationMode") if modes and k in modes]
    if not project.has_auth and modes is not None and len(modes) == 1 and configured:
        return {"oidcAuthorizationMode": "oidc", "lambdaAuthorizationMode": "lambda", "apiKeyAuthorizationMode": "apiKey"}[
            configured[0]
        ]
    raise Gen2ProjectError(
        f"{project.data_resource}: a defaultAuthorizationMode is required if multiple authorization modes are "
        "configured (Amplify's own rule); set authorizationModes.defaultAuthorizationMode in defineData"
    )


def gen2_auth(project: Gen2Project) -> Gen2Auth:
    """The API's modes as the cloud would configure them for this project."""
    modes = project.authorization_modes
    default = _default_mode(project, modes)
    api_key = (modes or {}).get("apiKeyAuthorizationMode")
    # JavaScript truthiness: an empty {} configures the mode
    api_key_on = api_key is not None or default == "apiKey" or (modes is None and not project.has_auth)
    lambda_mode = (modes or {}).get("lambdaAuthorizationMode")
    oidc = (modes or {}).get("oidcAuthorizationMode")
    # the order Amplify's construct lists them in (authorization-modes.ts), the default first
    enabled = [
        MODE_NAMES[default],
        *(["API_KEY"] if api_key_on else []),
        *(["AWS_LAMBDA"] if lambda_mode is not None else []),
        *(["OPENID_CONNECT"] if oidc is not None else []),
        *(["AMAZON_COGNITO_USER_POOLS"] if project.has_auth else []),
        "AWS_IAM",
    ]
    ordered = list(dict.fromkeys(enabled))
    days = (api_key or {}).get("expiresInDays", DEFAULT_API_KEY_DAYS) if api_key_on else None
    return Gen2Auth(
        default=ordered[0],
        additional=tuple(ordered[1:]),
        api_key_expires_in_days=int(days) if days is not None else None,
        oidc=oidc,
        lambda_function=str(lambda_mode.get("function")) if lambda_mode is not None else None,
    )


def _oidc_settings(oidc: Mapping[str, Any]) -> OidcSettings:
    defaults = OidcSettings()
    return OidcSettings(
        issuer=str(oidc.get("oidcIssuerUrl") or defaults.issuer),
        client_id=str(oidc.get("clientId") or defaults.client_id),
        auth_ttl_seconds=int(oidc.get("tokenExpiryFromAuthInSeconds") or 0),
        iat_ttl_seconds=int(oidc.get("tokenExpireFromIssueInSeconds") or 0),
    )


def auth_settings(auth: Gen2Auth, generated_api_key: str | None, now: datetime | None = None) -> AuthSettings:
    """``AuthSettings`` for these modes; the API key (the data dir's) expires ``expiresInDays`` after start,
    as a sandbox deployed now would."""
    now = now or datetime.now(UTC)
    keys: tuple[ApiKey, ...] = ()
    if auth.api_key_expires_in_days is not None and generated_api_key:
        keys = (ApiKey(generated_api_key, now + timedelta(days=auth.api_key_expires_in_days)),)
    return AuthSettings(
        default=auth.default,
        additional=auth.additional,
        api_keys=keys,
        oidc=_oidc_settings(auth.oidc) if auth.oidc is not None else OidcSettings(),
    )
