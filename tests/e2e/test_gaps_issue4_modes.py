"""Issue 4 gaps, part 2: AppSync's @aws_* directives with the default-mode rule and v1's condition
failures, OIDC iat/auth_time TTLs, user-pool keys from a jwks_file, custom group claims."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.auth_calls import as_key, as_user, unauthorized

API_KEY = 'da2-gapsissuefourkey0000000000'


# --- @aws_* directives with AppSync's default-mode rule (v1: no resolver checks) ------------------

V1_SCHEMA = """
type Doc @model @aws_api_key @aws_cognito_user_pools {
  id: ID!
  title: String
  internal: String @aws_cognito_user_pools(cognito_groups: ["Admin"])
}

type Memo @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  text: String
}
"""
V1_CONFIG = f"""
transformer = "v1"
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["API_KEY"]
[auth.api_key]
keys = ["{API_KEY}"]
"""


@pytest.fixture(scope="module")
def v1(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("gaps-issue4-v1")
    (folder / "schema.graphql").write_text(V1_SCHEMA)
    return emulator_server(folder / "schema.graphql", V1_CONFIG, data_dir=folder)


def test_field_directive_nulls_the_field_and_keeps_the_rest(v1: RunningEmulator) -> None:
    admin, alice = v1.token("root", groups=("Admin",)), v1.token("alice")
    created = as_user(v1, admin, 'mutation { createDoc(input: {id: "d1", title: "t", internal: "i"}) { id internal } }')
    assert created == {"data": {"createDoc": {"id": "d1", "internal": "i"}}}
    body = as_user(v1, alice, '{ getDoc(id: "d1") { title internal } }')
    assert body["data"] == {"getDoc": {"title": "t", "internal": None}}, body
    (error,) = body["errors"]
    assert error["path"] == ["getDoc", "internal"] and error["errorType"] == "Unauthorized"
    assert error["message"] == "Not Authorized to access internal on type Doc"
    # getDoc itself carries no directive: only the default mode may call it, whatever Doc allows
    unauthorized(as_key(v1, '{ getDoc(id: "d1") { title } }'), "getDoc")
    assert as_user(v1, admin, '{ getDoc(id: "d1") { internal } }') == {"data": {"getDoc": {"internal": "i"}}}


def test_v1_update_by_another_user_is_a_condition_failure(v1: RunningEmulator) -> None:
    alice, bob = v1.token("alice"), v1.token("bob")
    created = as_user(v1, alice, 'mutation { createMemo(input: {id: "m1", text: "a"}) { owner } }')
    assert created == {"data": {"createMemo": {"owner": "alice"}}}
    body = as_user(v1, bob, 'mutation { updateMemo(input: {id: "m1", text: "b"}) { id } }')
    assert body["data"] == {"updateMemo": None}
    assert body["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException", body
    still = as_user(v1, alice, '{ getMemo(id: "m1") { text } }')
    assert still == {"data": {"getMemo": {"text": "a"}}}


# --- OIDC TTLs, extra user-pool keys, custom group claims --------------------------------------------

TTL_SCHEMA = """
type Report @model @auth(rules: [
  { allow: private, provider: oidc },
  { allow: groups, groups: ["admin"], groupClaim: "custom:role" }
]) {
  id: ID!
  title: String
}
"""
TTL_CONFIG = """
[auth]
default = "OPENID_CONNECT"
additional = ["AMAZON_COGNITO_USER_POOLS"]
[auth.oidc]
issuer = "https://issuer.gaps.local"
client_id = "gaps-oidc-client"
iat_ttl = 60
auth_ttl = 60
[auth.user_pools]
jwks_file = "extra-jwks.json"
"""
FOREIGN_KID = "gaps-foreign-key"


@pytest.fixture(scope="module")
def foreign_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ttl_server(emulator_server, tmp_path_factory: pytest.TempPathFactory, foreign_key: Any) -> RunningEmulator:  # type: ignore[no-untyped-def]
    from jwt.algorithms import RSAAlgorithm

    folder: Path = tmp_path_factory.mktemp("gaps-issue4-ttl")
    public = json.loads(RSAAlgorithm.to_jwk(foreign_key.public_key()))
    (folder / "extra-jwks.json").write_text(json.dumps({"keys": [{**public, "kid": FOREIGN_KID, "alg": "RS256", "use": "sig"}]}))
    (folder / "schema.graphql").write_text(TTL_SCHEMA)
    return emulator_server(folder / "schema.graphql", TTL_CONFIG, data_dir=folder)


def resigned(token: str, key: Any, kid: str, **changes: Any) -> str:
    """The token's claims with ``changes``, signed again with ``key`` under ``kid``."""
    import jwt

    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_oidc_iat_and_auth_time_ttls(ttl_server: RunningEmulator) -> None:
    from emulator.auth.signing_key import SigningKey

    own = SigningKey.load_or_create(ttl_server.data_dir)
    fresh = ttl_server.token("olga", extra=["--oidc"])
    listing = "{ listReports { items { id } } }"
    assert ttl_server.graphql(listing, token=fresh).status_code == 200
    issued_long_ago = int(time.time()) - 600
    for stale in ({"iat": issued_long_ago}, {"auth_time": issued_long_ago}):
        old = resigned(fresh, own.private_key, own.kid, **stale)
        refused = ttl_server.graphql(listing, token=old)
        assert refused.status_code == 401, (stale, refused.text)
        assert refused.headers["x-amzn-ErrorType"] == "UnauthorizedException"


def test_user_pool_tokens_signed_by_a_jwks_file_key_are_accepted(ttl_server: RunningEmulator, foreign_key: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    own = ttl_server.token("root", extra=["--claim", "custom:role=admin"])
    by_pool = resigned(own, foreign_key, FOREIGN_KID)
    created = ttl_server.graphql('mutation { createReport(input: {title: "t"}) { title } }', token=by_pool)
    assert created.json() == {"data": {"createReport": {"title": "t"}}}, created.text
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert ttl_server.graphql("{ listReports { items { id } } }", token=resigned(own, stranger, FOREIGN_KID)).status_code == 401


def test_group_rules_read_the_configured_group_claim(ttl_server: RunningEmulator) -> None:
    admin_by_claim = ttl_server.token("root", extra=["--claim", "custom:role=admin"])
    admin_by_groups = ttl_server.token("other", groups=("admin",))  # cognito:groups is not the claim here
    assert "errors" not in ttl_server.graphql("{ listReports { items { id } } }", token=admin_by_claim).json()
    unauthorized(as_user(ttl_server, admin_by_groups, "{ listReports { items { id } } }"), "listReports")
