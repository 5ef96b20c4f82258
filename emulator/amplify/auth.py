"""The auth modes a Gen1 API declares, read from whichever file its CLI version wrote them to.

``cli-inputs.json`` (CLI v7 and later), else ``backend-config.json``'s ``authConfig``, else the
pre-v7 ``parameters.json`` default; IAM admin roles come from ``custom-roles.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.amplify.files import (
    BACKEND_CONFIG,
    CLI_INPUTS,
    AmplifyProjectError,
    read_json,
    service_configuration,
)
from emulator.settings import AUTH_MODES, AuthSettings, IamSettings, OidcSettings, UserPoolSettings


@dataclass(frozen=True)
class AuthModeSpec:
    """One auth mode as the project declares it, in either file format."""

    mode: str
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_auth_ttl_ms: int = 0
    oidc_iat_ttl_ms: int = 0
    lambda_function: str | None = None


def declared_auth_modes(root: Path, name: str, api_dir: Path) -> tuple[list[AuthModeSpec], Path]:
    """The default mode first, then the additional ones, and the file they came from."""
    config = service_configuration(api_dir)
    if config is not None and isinstance(config.get("defaultAuthType"), dict):
        specs = [_from_cli_inputs(config["defaultAuthType"])]
        specs += [_from_cli_inputs(e) for e in config.get("additionalAuthTypes") or [] if isinstance(e, dict)]
        return specs, api_dir / CLI_INPUTS
    backend_path = root / BACKEND_CONFIG
    backend = read_json(backend_path) or {}
    auth_config = (((backend.get("api") or {}).get(name) or {}).get("output") or {}).get("authConfig")
    if isinstance(auth_config, dict) and isinstance(auth_config.get("defaultAuthentication"), dict):
        specs = [_from_backend_config(auth_config["defaultAuthentication"])]
        extra = auth_config.get("additionalAuthenticationProviders") or []
        specs += [_from_backend_config(e) for e in extra if isinstance(e, dict)]
        return specs, backend_path
    parameters_path = api_dir / "parameters.json"
    parameters = read_json(parameters_path) or {}
    if "AuthCognitoUserPoolId" in parameters:  # pre-v7 projects with a user pool default
        return [AuthModeSpec("AMAZON_COGNITO_USER_POOLS")], parameters_path
    return [AuthModeSpec("API_KEY")], parameters_path


def project_auth_settings(
    specs: list[AuthModeSpec], source: Path, api_dir: Path, user_pools: UserPoolSettings | None = None
) -> AuthSettings:
    """The declared modes as ``AuthSettings``; OIDC values from the OIDC mode, admin roles from the API
    folder, the user pool (``emulator.amplify.cognito``) when the project has one."""
    for spec in specs:
        if spec.mode not in AUTH_MODES:
            raise AmplifyProjectError(f"{source}: unknown auth mode {spec.mode!r}; expected one of {', '.join(AUTH_MODES)}")
    modes = list(dict.fromkeys(spec.mode for spec in specs))
    oidc = next((s for s in specs if s.mode == "OPENID_CONNECT"), None)
    return AuthSettings(
        default=modes[0],
        additional=tuple(modes[1:]),
        user_pools=user_pools or UserPoolSettings(),
        oidc=OidcSettings() if oidc is None else _oidc_settings(oidc),
        iam=IamSettings(admin_role_names=_admin_role_names(api_dir)),
    )


def _oidc_settings(spec: AuthModeSpec) -> OidcSettings:
    """Amplify writes the TTLs in milliseconds; unset issuer and client id keep the emulator's."""
    defaults = OidcSettings()
    return OidcSettings(
        issuer=spec.oidc_issuer or defaults.issuer,
        client_id=spec.oidc_client_id or defaults.client_id,
        auth_ttl_seconds=spec.oidc_auth_ttl_ms // 1000,
        iat_ttl_seconds=spec.oidc_iat_ttl_ms // 1000,
    )


def _ttl_ms(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _from_cli_inputs(entry: Mapping[str, Any]) -> AuthModeSpec:
    return AuthModeSpec(
        mode=str(entry.get("mode", "")),
        oidc_issuer=entry.get("openIDIssuerURL"),
        oidc_client_id=entry.get("openIDClientID"),
        oidc_auth_ttl_ms=_ttl_ms(entry.get("openIDAuthTTL")),
        oidc_iat_ttl_ms=_ttl_ms(entry.get("openIDIatTTL")),
        lambda_function=entry.get("lambdaFunction"),
    )


def _from_backend_config(entry: Mapping[str, Any]) -> AuthModeSpec:
    oidc = entry.get("openIDConnectConfig") or {}
    lam = entry.get("lambdaAuthorizerConfig") or {}
    return AuthModeSpec(
        mode=str(entry.get("authenticationType", "")),
        oidc_issuer=oidc.get("issuerUrl"),
        oidc_client_id=oidc.get("clientId"),
        oidc_auth_ttl_ms=_ttl_ms(oidc.get("authTTL")),
        oidc_iat_ttl_ms=_ttl_ms(oidc.get("iatTTL")),
        lambda_function=lam.get("lambdaFunction"),
    )


def _admin_role_names(api_dir: Path) -> tuple[str, ...]:
    path = api_dir / "custom-roles.json"
    document = read_json(path) or {}
    names = document.get("adminRoleNames", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise AmplifyProjectError(f"{path}: adminRoleNames must be a list of role names")
    return tuple(names)
