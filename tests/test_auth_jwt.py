"""User pools and OIDC: the shared JWT verifier, the signing key, JWKS files and minted tokens."""

from __future__ import annotations

import json
import os
import stat
import time
import uuid
from dataclasses import replace
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.auth.jwt_keys import KeySet
from emulator.auth.signing_key import SigningKey
from emulator.auth.tokens import default_sub, mint_token, token_claims
from emulator.errors import UnauthorizedRequest
from emulator.settings import AuthSettings, ConfigError, OidcSettings, UserPoolSettings

JWT_MODES = ("AMAZON_COGNITO_USER_POOLS", "OPENID_CONNECT")


def bearer(token: str) -> AuthRequest:
    return AuthRequest(Headers({"Authorization": token}))


def gateway(data_dir: Path, **changes: object) -> AuthGateway:
    settings = replace(AuthSettings(default="AMAZON_COGNITO_USER_POOLS", additional=("OPENID_CONNECT",)), **changes)
    return AuthGateway(settings, data_dir)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir (one signing key) for the verification tests: key generation is the slow part."""
    return tmp_path_factory.mktemp("data")


# --- signing key ------------------------------------------------------------------------------


def test_signing_key_is_created_once_private_and_reused(tmp_path: Path) -> None:
    first = SigningKey.load_or_create(tmp_path)
    second = SigningKey.load_or_create(tmp_path)
    assert first.kid == second.kid
    files = list((tmp_path / "auth").iterdir())
    assert [f.name for f in files] == ["signing-key.pem"]
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600


def test_jwks_publishes_the_public_key_only(data_dir: Path) -> None:
    jwks = gateway(data_dir).jwks()
    (key,) = jwks["keys"]
    assert key["kid"] == SigningKey.load_or_create(data_dir).kid
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in key and "p" not in key


def test_token_verifies_against_the_published_jwks(data_dir: Path) -> None:
    """What any third-party verifier does with /.well-known/jwks.json."""
    token = mint_token(AuthSettings(), data_dir, username="alice")
    keys = KeySet.from_jwks(gateway(data_dir).jwks()["keys"])
    key = keys.get(jwt.get_unverified_header(token)["kid"])
    assert key is not None
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="localclient")
    assert claims["cognito:username"] == "alice"


# --- minted tokens ----------------------------------------------------------------------------


def test_id_token_claims_follow_cognito() -> None:
    claims = token_claims(AuthSettings(), username="alice", groups=["admin", "dev"], email="a@x.io", now=1000)
    assert claims["sub"] == default_sub("alice")
    assert uuid.UUID(claims["sub"]).version == 5
    assert claims["iss"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Local"
    assert (claims["aud"], claims["token_use"], claims["cognito:username"]) == ("localclient", "id", "alice")
    assert claims["cognito:groups"] == ["admin", "dev"]
    assert (claims["email"], claims["email_verified"]) == ("a@x.io", True)
    assert (claims["iat"], claims["exp"]) == (1000, 4600)


def test_access_token_claims_follow_cognito() -> None:
    claims = token_claims(AuthSettings(), username="bob", token_use="access", expires_in=60, now=0)
    assert (claims["client_id"], claims["username"], claims["token_use"]) == ("localclient", "bob", "access")
    assert "aud" not in claims and "cognito:username" not in claims and "cognito:groups" not in claims
    assert claims["exp"] == 60


def test_default_sub_is_stable_and_overridable() -> None:
    assert default_sub("alice") == default_sub("alice") != default_sub("bob")
    assert token_claims(AuthSettings(), username="alice", sub="fixed")["sub"] == "fixed"


def test_extra_claims_are_added_and_win() -> None:
    claims = token_claims(AuthSettings(), username="a", claims={"custom:tenant": "t1", "aud": "other"})
    assert (claims["custom:tenant"], claims["aud"]) == ("t1", "other")


def test_oidc_token_uses_the_oidc_issuer_and_client() -> None:
    settings = AuthSettings(oidc=OidcSettings(issuer="https://idp.example", client_id="web"))
    for use in ("id", "access"):
        claims = token_claims(settings, username="a", token_use=use, oidc=True)
        assert (claims["iss"], claims["aud"]) == ("https://idp.example", "web")


def test_unknown_token_use_is_refused() -> None:
    with pytest.raises(ValueError):
        token_claims(AuthSettings(), username="a", token_use="refresh")


# --- verification -----------------------------------------------------------------------------


def test_user_pool_identity(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="alice", groups=["admin"])
    identity = gateway(data_dir).authenticate(bearer(token))
    assert identity.mode is AuthMode.AMAZON_COGNITO_USER_POOLS
    assert (identity.username, identity.sub, identity.groups) == ("alice", default_sub("alice"), ("admin",))
    assert identity.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Local"
    assert identity.claims["cognito:username"] == "alice"


def test_access_token_and_bearer_scheme(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="bob", token_use="access")
    identity = gateway(data_dir).authenticate(bearer("Bearer " + token))
    assert (identity.mode, identity.username) == (AuthMode.AMAZON_COGNITO_USER_POOLS, "bob")


def test_oidc_identity(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="carol", oidc=True)
    identity = gateway(data_dir).authenticate(bearer(token))
    assert (identity.mode, identity.username, identity.issuer) == (
        AuthMode.OPENID_CONNECT,
        "carol",
        OidcSettings().issuer,
    )


def test_not_a_jwt_cannot_be_parsed(data_dir: Path) -> None:
    with pytest.raises(UnauthorizedRequest) as refused:
        gateway(data_dir).authenticate(bearer("definitely-not-a-jwt"))
    assert refused.value.message == "Unable to parse JWT token."


def test_unknown_issuer_without_lambda(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="a", claims={"iss": "https://elsewhere"})
    with pytest.raises(UnauthorizedRequest) as refused:
        gateway(data_dir).authenticate(bearer(token))
    assert refused.value.message == "Valid authorization header not provided."
    assert "neither the user pool's" in refused.value.__notes__[0]


def test_a_disabled_mode_does_not_accept_its_tokens(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="a", oidc=True)
    with pytest.raises(UnauthorizedRequest):
        gateway(data_dir, additional=()).authenticate(bearer(token))


def external_key(tmp_path: Path, kid: str) -> tuple[rsa.RSAPrivateKey, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": kid, "alg": "RS256", "use": "sig"}
    path = tmp_path / f"{kid}.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return key, path


def test_jwks_file_keys_are_accepted_for_their_issuer_only(data_dir: Path, tmp_path: Path) -> None:
    key, path = external_key(tmp_path, "real-cognito-key")
    settings = AuthSettings(user_pools=UserPoolSettings(jwks_file=path))
    claims = token_claims(settings, username="dave")
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "real-cognito-key"})
    assert gateway(data_dir, user_pools=settings.user_pools).authenticate(bearer(token)).username == "dave"
    oidc_token = jwt.encode(
        token_claims(settings, username="dave", oidc=True), key, algorithm="RS256", headers={"kid": "real-cognito-key"}
    )
    with pytest.raises(UnauthorizedRequest) as refused:
        gateway(data_dir, user_pools=settings.user_pools).authenticate(bearer(oidc_token))
    assert "kid 'real-cognito-key' is not a key of issuer" in refused.value.__notes__[0]


def test_oidc_jwks_file(data_dir: Path, tmp_path: Path) -> None:
    key, path = external_key(tmp_path, "idp-key")
    oidc = OidcSettings(issuer="https://idp.example", client_id="web", jwks_file=path)
    token = jwt.encode(
        {"sub": "u1", "iss": "https://idp.example", "aud": ["web", "api"], "iat": int(time.time()),
         "exp": int(time.time()) + 60, "preferred_username": "erin"},
        key,
        algorithm="RS256",
        headers={"kid": "idp-key"},
    )
    identity = gateway(data_dir, oidc=oidc).authenticate(bearer(token))
    assert (identity.mode, identity.sub, identity.username) == (AuthMode.OPENID_CONNECT, "u1", None)


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        '{"nokeys": []}',
        '{"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}',
        '{"keys": [{"kid": "k", "kty": "oct", "k": "c2VjcmV0"}]}',
        '{"keys": [{"kid": "k", "kty": "RSA", "alg": "HS256", "n": "x", "e": "AQAB"}]}',
    ],
)
def test_bad_jwks_files_fail_at_start(document: str, data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(document)
    with pytest.raises(ConfigError):
        gateway(data_dir, user_pools=UserPoolSettings(jwks_file=path))


def test_oidc_iat_and_auth_ttls(data_dir: Path) -> None:
    oidc = OidcSettings(iat_ttl_seconds=300, auth_ttl_seconds=600)
    fresh = mint_token(AuthSettings(), data_dir, username="a", oidc=True)
    assert gateway(data_dir, oidc=oidc).authenticate(bearer(fresh)).mode is AuthMode.OPENID_CONNECT
    old_auth = mint_token(AuthSettings(), data_dir, username="a", oidc=True, claims={"auth_time": int(time.time()) - 900})
    old_iat = mint_token(AuthSettings(), data_dir, username="a", oidc=True, claims={"iat": int(time.time()) - 400})
    for token in (old_auth, old_iat):
        with pytest.raises(UnauthorizedRequest) as refused:
            gateway(data_dir, oidc=oidc).authenticate(bearer(token))
        assert refused.value.message == "Token has expired."


def test_oidc_without_client_id_does_not_check_aud(data_dir: Path) -> None:
    token = mint_token(AuthSettings(), data_dir, username="a", oidc=True, claims={"aud": "anything"})
    identity = gateway(data_dir, oidc=OidcSettings(client_id="")).authenticate(bearer(token))
    assert identity.mode is AuthMode.OPENID_CONNECT
