"""The gateway's mode selection and precedence, API keys, and credentials generated into the data dir."""

from __future__ import annotations

import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulator.auth.gateway import AuthGateway
from emulator.auth.generated import ensure_credentials, read_or_create
from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.auth.tokens import mint_token
from emulator.errors import UnauthorizedRequest
from emulator.settings import ApiKey, AuthSettings, IamCredential, IamSettings, LambdaSettings

KEY = "da2-gatewaytestkey00000000000"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def settings(default: str = "API_KEY", *additional: str) -> AuthSettings:
    return AuthSettings(default=default, additional=additional, api_keys=(ApiKey(KEY),))


def refusal(gateway: AuthGateway, request: AuthRequest) -> UnauthorizedRequest:
    with pytest.raises(UnauthorizedRequest) as refused:
        gateway.authenticate(request)
    return refused.value


def test_default_mode_and_enabled_modes(data_dir: Path) -> None:
    gateway = AuthGateway(settings("AWS_IAM", "API_KEY", "AWS_IAM"), data_dir)
    assert gateway.default_mode is AuthMode.AWS_IAM
    assert gateway.modes == (AuthMode.AWS_IAM, AuthMode.API_KEY)


def test_api_key_header_name_is_case_insensitive(data_dir: Path) -> None:
    gateway = AuthGateway(settings(), data_dir)
    for name in ("x-api-key", "X-Api-Key", "X-API-KEY"):
        assert gateway.authenticate(AuthRequest(Headers({name: KEY}))).api_key == KEY


def test_no_credentials_is_missing_authorization_header(data_dir: Path) -> None:
    error = refusal(AuthGateway(settings(), data_dir), AuthRequest(Headers({"host": "h"})))
    assert (error.status, error.message) == (401, "Missing authorization header")
    assert error.body() == {"errors": [{"errorType": "UnauthorizedException", "message": "Missing authorization header"}]}


def test_api_key_wins_over_authorization(data_dir: Path) -> None:
    gateway = AuthGateway(settings("API_KEY", "AMAZON_COGNITO_USER_POOLS"), data_dir)
    token = mint_token(gateway.settings, data_dir, username="alice")
    assert gateway.authenticate(AuthRequest(Headers({"x-api-key": KEY, "Authorization": token}))).mode is AuthMode.API_KEY


def test_api_key_is_ignored_when_api_key_mode_is_disabled(data_dir: Path) -> None:
    gateway = AuthGateway(settings("AMAZON_COGNITO_USER_POOLS"), data_dir)
    token = mint_token(gateway.settings, data_dir, username="alice")
    identity = gateway.authenticate(AuthRequest(Headers({"x-api-key": KEY, "Authorization": token})))
    assert identity.mode is AuthMode.AMAZON_COGNITO_USER_POOLS
    error = refusal(gateway, AuthRequest(Headers({"x-api-key": KEY})))
    assert error.message == "Valid authorization header not provided."


def test_sigv4_when_iam_is_disabled(data_dir: Path) -> None:
    gateway = AuthGateway(settings("API_KEY", "AMAZON_COGNITO_USER_POOLS"), data_dir)
    error = refusal(gateway, AuthRequest(Headers({"Authorization": "AWS4-HMAC-SHA256 Credential=A/1/r/appsync/aws4_request"})))
    assert error.message == "Valid authorization header not provided."
    assert "AWS_IAM is not enabled" in error.__notes__[0]


def test_opaque_token_without_jwt_modes_or_lambda(data_dir: Path) -> None:
    error = refusal(AuthGateway(settings(), data_dir), AuthRequest(Headers({"Authorization": "opaque"})))
    assert error.message == "Valid authorization header not provided."


def test_tokens_no_mode_claims_go_to_the_lambda_authorizer(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "gw_authorizer.py").write_text(
        "def check(event, context):\n    return {'isAuthorized': True, 'resolverContext': {'t': event['authorizationToken'][:3]}}\n"
    )
    lambda_settings = replace(
        settings("AWS_LAMBDA", "AMAZON_COGNITO_USER_POOLS"), lambda_=LambdaSettings("gw_authorizer:check", tmp_path)
    )
    gateway = AuthGateway(lambda_settings, data_dir)
    foreign = mint_token(lambda_settings, data_dir, username="a", claims={"iss": "https://elsewhere"})
    own = mint_token(lambda_settings, data_dir, username="a")
    assert gateway.authenticate(AuthRequest(Headers({"Authorization": "custom-token"}))).mode is AuthMode.AWS_LAMBDA
    assert gateway.authenticate(AuthRequest(Headers({"Authorization": foreign}))).mode is AuthMode.AWS_LAMBDA
    assert gateway.authenticate(AuthRequest(Headers({"Authorization": own}))).mode is AuthMode.AMAZON_COGNITO_USER_POOLS


def test_api_key_expiry_naive_dates_are_utc(data_dir: Path) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    keys = (ApiKey("da2-future", now + timedelta(minutes=5)), ApiKey("da2-past", now - timedelta(minutes=5)))
    gateway = AuthGateway(replace(settings(), api_keys=keys), data_dir)
    assert gateway.authenticate(AuthRequest(Headers({"x-api-key": "da2-future"}))).api_key == "da2-future"
    assert "expired" in refusal(gateway, AuthRequest(Headers({"x-api-key": "da2-past"}))).__notes__[0]


# --- generated credentials --------------------------------------------------------------------


def test_no_config_generates_an_api_key_and_iam_key_pairs_for_a_user_and_a_guest(tmp_path: Path) -> None:
    generated = ensure_credentials(AuthSettings(), tmp_path)
    (key,) = generated.api_keys
    assert re.fullmatch(r"da2-[a-z0-9]{26}", key.key) and key.expires is None
    credential, guest = generated.iam.credentials
    for pair in (credential, guest):
        assert re.fullmatch(r"AKIA[A-Z2-7]{16}", pair.access_key_id)
        assert len(pair.secret_access_key) >= 40 and pair.session_token is None
    assert credential.access_key_id != guest.access_key_id
    assert (credential.role_arn, guest.role_arn) == (AuthSettings().iam.auth_role_arn, AuthSettings().iam.unauth_role_arn)
    assert ensure_credentials(AuthSettings(), tmp_path) == generated  # stable across restarts


def test_generated_credentials_work(tmp_path: Path) -> None:
    generated = ensure_credentials(AuthSettings(), tmp_path)
    gateway = AuthGateway(generated, tmp_path)
    assert gateway.authenticate(AuthRequest(Headers({"x-api-key": generated.api_keys[0].key}))).mode is AuthMode.API_KEY


def test_configured_credentials_and_disabled_modes_are_left_alone(tmp_path: Path) -> None:
    configured = replace(
        settings("API_KEY", "AWS_IAM"),
        iam=IamSettings(credentials=(IamCredential("AKIAX", "s", "arn:aws:iam::1:role/r"),)),
    )
    assert ensure_credentials(configured, tmp_path) is configured
    only_pools = AuthSettings(default="AMAZON_COGNITO_USER_POOLS", additional=())
    assert ensure_credentials(only_pools, tmp_path) is only_pools
    assert not (tmp_path / "auth").exists()


def test_read_or_create_agrees_under_a_race(tmp_path: Path) -> None:
    path = tmp_path / "auth" / "race.txt"
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: read_or_create(path, lambda: secrets.token_bytes(16)), range(32)))
    assert len(set(results)) == 1
    assert [p.name for p in path.parent.iterdir()] == ["race.txt"]
