"""Gen 2 auth modes as ``@aws-amplify/backend-data`` derives them, and as the emulator then serves them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from emulator.gen2.auth import auth_settings, gen2_auth
from emulator.gen2.model import Gen2Project
from emulator.gen2.project import Gen2ProjectError


def project(modes: dict[str, Any] | None, *, has_auth: bool, groups: tuple[str, ...] = ()) -> Gen2Project:
    root = Path("/app")
    return Gen2Project(
        root=root, data_resource=root / "amplify/data/resource.ts", auth_resource=None, api_name="amplifyData",
        sdl="type Todo @model { content: String }", authorization_modes=modes, has_auth=has_auth, groups=groups,
        functions={}, lambda_functions={}, custom_handlers=(), function_access=(), database_engines=("dynamodb",),
        model_introspection=None, model_introspection_error=None, loader="fast", timings_ms={},
    )


@pytest.mark.parametrize(
    "modes,has_auth,default,additional",
    [
        # no auth resource, no modes: Amplify's "sandbox" API key default
        (None, False, "API_KEY", ("AWS_IAM",)),
        # defineAuth and no modes: the user pool is the default, IAM through the identity pool
        (None, True, "AMAZON_COGNITO_USER_POOLS", ("AWS_IAM",)),
        ({"defaultAuthorizationMode": "userPool", "apiKeyAuthorizationMode": {"expiresInDays": 30}}, True,
         "AMAZON_COGNITO_USER_POOLS", ("API_KEY", "AWS_IAM")),
        ({"defaultAuthorizationMode": "apiKey"}, True, "API_KEY", ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM")),
        ({"defaultAuthorizationMode": "identityPool"}, True, "AWS_IAM", ("AMAZON_COGNITO_USER_POOLS",)),
        ({"defaultAuthorizationMode": "iam"}, False, "AWS_IAM", ()),
        # one mode and no auth resource: that mode is the default
        ({"lambdaAuthorizationMode": {"function": "authorizer"}}, False, "AWS_LAMBDA", ("AWS_IAM",)),
        ({"oidcAuthorizationMode": {"oidcIssuerUrl": "https://idp.example.com"}}, False, "OPENID_CONNECT", ("AWS_IAM",)),
        ({"apiKeyAuthorizationMode": {}}, False, "API_KEY", ("AWS_IAM",)),
        ({"defaultAuthorizationMode": "oidc", "oidcAuthorizationMode": {}, "lambdaAuthorizationMode": {"function": "f"}},
         True, "OPENID_CONNECT", ("AWS_LAMBDA", "AMAZON_COGNITO_USER_POOLS", "AWS_IAM")),
    ],
)
def test_modes_follow_amplify(modes: dict[str, Any] | None, has_auth: bool, default: str, additional: tuple[str, ...]) -> None:
    auth = gen2_auth(project(modes, has_auth=has_auth))
    assert (auth.default, auth.additional) == (default, additional)


def test_several_modes_without_a_default_are_refused_as_amplify_does() -> None:
    modes = {"apiKeyAuthorizationMode": {}, "lambdaAuthorizationMode": {"function": "f"}}
    with pytest.raises(Gen2ProjectError, match="a defaultAuthorizationMode is required"):
        gen2_auth(project(modes, has_auth=False))
    with pytest.raises(Gen2ProjectError, match="a defaultAuthorizationMode is required"):
        gen2_auth(project({"apiKeyAuthorizationMode": {}}, has_auth=True))


def test_unknown_default_mode_is_named() -> None:
    with pytest.raises(Gen2ProjectError, match="unknown defaultAuthorizationMode 'cognito'"):
        gen2_auth(project({"defaultAuthorizationMode": "cognito"}, has_auth=True))


def test_api_key_expires_after_the_configured_days_from_start() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    thirty = gen2_auth(project({"defaultAuthorizationMode": "apiKey", "apiKeyAuthorizationMode": {"expiresInDays": 30}},
                               has_auth=False))
    settings = auth_settings(thirty, "da2-generatedkey", now)
    assert [(k.key, k.expires) for k in settings.api_keys] == [("da2-generatedkey", now + timedelta(days=30))]
    default = auth_settings(gen2_auth(project(None, has_auth=False)), "da2-generatedkey", now)
    assert default.api_keys[0].expires == now + timedelta(days=7)
    no_key = auth_settings(gen2_auth(project(None, has_auth=True)), None, now)
    assert no_key.api_keys == () and "API_KEY" not in no_key.modes


def test_oidc_settings_come_from_the_oidc_mode() -> None:
    oidc = {"oidcProviderName": "IdP", "oidcIssuerUrl": "https://idp.example.com", "clientId": "web",
            "tokenExpiryFromAuthInSeconds": 300, "tokenExpireFromIssueInSeconds": 600}
    settings = auth_settings(gen2_auth(project({"oidcAuthorizationMode": oidc}, has_auth=False)), None)
    assert (settings.oidc.issuer, settings.oidc.client_id) == ("https://idp.example.com", "web")
    assert (settings.oidc.auth_ttl_seconds, settings.oidc.iat_ttl_seconds) == (300, 600)


def test_lambda_mode_names_its_function() -> None:
    auth = gen2_auth(project({"lambdaAuthorizationMode": {"function": "authorizer", "timeToLiveInSeconds": 60}},
                             has_auth=False))
    assert auth.lambda_function == "authorizer"
