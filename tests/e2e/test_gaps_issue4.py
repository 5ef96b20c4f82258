"""Issue 4 over the real wire: each ``@auth`` strategy, provider and operation of the golden auth
matrix, Lambda authorizer answers, IAM admin roles, ``@aws_*`` directives and v1's rules.

One emulator serves ``transformer-golden/schemas/v2/auth-matrix.graphql`` with all five modes
(user pools default, as in the golden's ``auth-all.json``); every call goes over HTTP with a
credential a real client would send (tokens from ``appsync-emulator token``, SigV4 by botocore).
A second emulator serves a v1 schema, where a non-owner's update is a DynamoDB condition failure
instead of v2's ``Unauthorized``.
"""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.testing import RunningEmulator
from tests.paths import GOLDEN

API_KEY = "da2-gapsissuefourkey0000000000"
AUTH_ROLE = Credentials("AKIDGAPSAUTHROLE", "gaps-auth-role-secret")
UNAUTH_ROLE = Credentials("AKIDGAPSUNAUTHROLE", "gaps-unauth-role-secret")
ADMIN_ROLE = Credentials("AKIDGAPSADMINROLE", "gaps-admin-role-secret")
CONFIG = f"""
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["AWS_IAM", "API_KEY", "OPENID_CONNECT", "AWS_LAMBDA"]
[auth.api_key]
keys = ["{API_KEY}"]
[auth.iam]
region = "us-east-1"
auth_role_arn = "arn:aws:iam::123456789012:role/gaps-authRole"
unauth_role_arn = "arn:aws:iam::123456789012:role/gaps-unauthRole"
admin_role_names = ["gaps-backend"]
[[auth.iam.credentials]]
access_key_id = "{AUTH_ROLE.access_key}"
secret_access_key = "{AUTH_ROLE.secret_key}"
role_arn = "arn:aws:iam::123456789012:role/gaps-authRole"
[[auth.iam.credentials]]
access_key_id = "{UNAUTH_ROLE.access_key}"
secret_access_key = "{UNAUTH_ROLE.secret_key}"
role_arn = "arn:aws:iam::123456789012:role/gaps-unauthRole"
[[auth.iam.credentials]]
access_key_id = "{ADMIN_ROLE.access_key}"
secret_access_key = "{ADMIN_ROLE.secret_key}"
role_arn = "arn:aws:iam::123456789012:role/gaps-backend"
[auth.lambda]
handler = "gaps_authorizer:check"
"""

#: The authorizer counts its calls in a file beside it, so a test can see the TTL cache at work.
AUTHORIZER = textwrap.dedent(
    '''
    from pathlib import Path

    CALLS = Path(__file__).with_name("authorizer-calls.txt")


    def check(event, context):
        token = event["authorizationToken"]
        with CALLS.open("a") as calls:
            calls.write(token + "\\n")
        if token == "cached-allow":
            return {"isAuthorized": True, "ttlOverride": 300}
        if token == "uncached-allow":
            return {"isAuthorized": True, "ttlOverride": 0}
        if token == "deny-content":
            return {"isAuthorized": True, "ttlOverride": 0, "deniedFields": ["CustomLambda.content"]}
        return {"isAuthorized": False, "ttlOverride": 0}
    '''
)


def unauthorized(body: dict[str, Any], field: str, parent: str = "Query") -> None:
    """AppSync's ``$util.unauthorized()`` answer for a root field."""
    assert body["data"] == {field: None}, body
    (error,) = body["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", [field]), error
    assert error["message"] == f"Not Authorized to access {field} on type {parent}"


@pytest.fixture(scope="module")
def matrix(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("gaps-issue4")
    (folder / "gaps_authorizer.py").write_text(AUTHORIZER)
    schema = folder / "schema.graphql"
    schema.write_text((GOLDEN / "schemas" / "v2" / "auth-matrix.graphql").read_text())
    return emulator_server(schema, CONFIG, data_dir=folder)


@pytest.fixture(scope="module")
def users(matrix: RunningEmulator) -> dict[str, str]:
    """Signed user-pool tokens: two plain users, an admin, an editor, a Team1 member."""
    return {
        "alice": matrix.token("alice", extra=["--email", "alice@example.com"]),
        "bob": matrix.token("bob", extra=["--email", "bob@example.com"]),
        "admin": matrix.token("root", groups=("Admin",)),
        "editor": matrix.token("ed", groups=("Editors",)),
        "team1": matrix.token("tina", groups=("Team1",)),
        "team2": matrix.token("tom", groups=("Team2",)),
    }


def as_user(server: RunningEmulator, token: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.graphql(query, variables, token=token)
    assert response.status_code == 200, response.text
    return response.json()


def as_key(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.graphql(query, variables, api_key=API_KEY)
    assert response.status_code == 200, response.text
    return response.json()


def as_iam(server: RunningEmulator, credentials: Credentials, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """A SigV4-signed POST, as botocore signs it for a Lambda or a server."""
    body = json.dumps({"query": query, "variables": variables or {}})
    request = AWSRequest("POST", server.graphql_url, data=body, headers={"content-type": "application/json"})
    SigV4Auth(credentials, "appsync", "us-east-1").add_auth(request)
    response = httpx.post(server.graphql_url, content=body, headers=dict(request.headers), timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def as_lambda(server: RunningEmulator, token: str, query: str) -> httpx.Response:
    return httpx.post(server.graphql_url, json={"query": query}, headers={"Authorization": token}, timeout=30)


# --- owner: custom ownerField and identityClaim -----------------------------------------------


def test_owner_field_and_identity_claim_are_honoured(matrix: RunningEmulator, users: dict[str, str]) -> None:
    create = 'mutation { createOwnerCustom(input: {id: "oc1", content: "c"}) { id author } }'
    created = as_user(matrix, users["alice"], create)
    assert created == {"data": {"createOwnerCustom": {"id": "oc1", "author": "alice@example.com"}}}
    get = '{ getOwnerCustom(id: "oc1") { content author } }'
    assert as_user(matrix, users["alice"], get)["data"] == {"getOwnerCustom": {"content": "c", "author": "alice@example.com"}}
    unauthorized(as_user(matrix, users["bob"], get), "getOwnerCustom")
    # operations: [create, read, update]; the owner may not delete
    unauthorized(as_user(matrix, users["alice"], 'mutation { deleteOwnerCustom(input: {id: "oc1"}) { id } }'),
                 "deleteOwnerCustom", "Mutation")


def test_create_naming_another_owner_is_unauthorized(matrix: RunningEmulator, users: dict[str, str]) -> None:
    body = as_user(matrix, users["alice"], 'mutation { createOwnerCustom(input: {content: "x", author: "bob@example.com"}) { id } }')
    unauthorized(body, "createOwnerCustom", "Mutation")
    mine = as_user(matrix, users["alice"], 'mutation { createOwnerCustom(input: {content: "x", author: "alice@example.com"}) { author } }')
    assert mine == {"data": {"createOwnerCustom": {"author": "alice@example.com"}}}


def test_list_owner_field_grants_every_listed_user(matrix: RunningEmulator, users: dict[str, str]) -> None:
    created = as_user(matrix, users["alice"], 'mutation { createMultiOwner(input: {id: "mo1", content: "c"}) { editors } }')
    assert created["data"]["createMultiOwner"]["editors"] == ["alice"], created
    get = '{ getMultiOwner(id: "mo1") { content } }'
    unauthorized(as_user(matrix, users["bob"], get), "getMultiOwner")
    shared = as_user(matrix, users["alice"], 'mutation { updateMultiOwner(input: {id: "mo1", editors: ["alice", "bob"]}) { editors } }')
    assert shared == {"data": {"updateMultiOwner": {"editors": ["alice", "bob"]}}}
    assert as_user(matrix, users["bob"], get) == {"data": {"getMultiOwner": {"content": "c"}}}


# --- groups: static and dynamic -------------------------------------------------------------------


def test_static_groups_allow_members_only(matrix: RunningEmulator, users: dict[str, str]) -> None:
    for member in ("admin", "editor"):
        created = as_user(matrix, users[member], 'mutation { createStaticGroups(input: {content: "g"}) { content } }')
        assert created == {"data": {"createStaticGroups": {"content": "g"}}}
    unauthorized(as_user(matrix, users["alice"], "{ listStaticGroups { items { id } } }"), "listStaticGroups")
    unauthorized(as_user(matrix, users["alice"], 'mutation { createStaticGroups(input: {content: "g"}) { id } }'),
                 "createStaticGroups", "Mutation")


def test_dynamic_groups_filter_lists_and_refuse_gets(matrix: RunningEmulator, users: dict[str, str]) -> None:
    created = as_user(matrix, users["team1"], 'mutation { createDynamicGroups(input: {id: "dg1", content: "t", groups: ["Team1"]}) { id } }')
    assert created == {"data": {"createDynamicGroups": {"id": "dg1"}}}
    refused = as_user(matrix, users["alice"], 'mutation { createDynamicGroups(input: {content: "t", groups: ["Team1"]}) { id } }')
    unauthorized(refused, "createDynamicGroups", "Mutation")
    listing = "{ listDynamicGroups { items { id } } }"
    assert as_user(matrix, users["team1"], listing)["data"]["listDynamicGroups"]["items"] == [{"id": "dg1"}]
    assert as_user(matrix, users["team2"], listing) == {"data": {"listDynamicGroups": {"items": []}}}
    unauthorized(as_user(matrix, users["alice"], listing), "listDynamicGroups")  # no group: no filter to apply
    unauthorized(as_user(matrix, users["alice"], '{ getDynamicGroups(id: "dg1") { id } }'), "getDynamicGroups")


# --- public and private, per provider -----------------------------------------------------------


def test_public_iam_reads_and_private_iam_writes(matrix: RunningEmulator) -> None:
    create = 'mutation { createPublicIam(input: {id: "pi1", content: "c"}) { id } }'
    assert as_iam(matrix, AUTH_ROLE, create) == {"data": {"createPublicIam": {"id": "pi1"}}}
    unauthorized(as_iam(matrix, UNAUTH_ROLE, create.replace("pi1", "pi2")), "createPublicIam", "Mutation")
    assert as_iam(matrix, UNAUTH_ROLE, '{ getPublicIam(id: "pi1") { content } }') == {"data": {"getPublicIam": {"content": "c"}}}


def test_api_key_reaches_public_models_only(matrix: RunningEmulator) -> None:
    created = as_key(matrix, 'mutation { createPublicApiKey(input: {content: "k"}) { content } }')
    assert created == {"data": {"createPublicApiKey": {"content": "k"}}}
    unauthorized(as_key(matrix, "{ listOwnerDefaults { items { id } } }"), "listOwnerDefaults")


def test_oidc_private_rule(matrix: RunningEmulator, users: dict[str, str]) -> None:
    oidc = matrix.token("olga", extra=["--oidc"])
    created = as_user(matrix, oidc, 'mutation { createPrivateOidc(input: {id: "po1", content: "o"}) { id } }')
    assert created == {"data": {"createPrivateOidc": {"id": "po1"}}}
    assert as_user(matrix, oidc, '{ getPrivateOidc(id: "po1") { content } }') == {"data": {"getPrivateOidc": {"content": "o"}}}
    unauthorized(as_user(matrix, users["alice"], '{ getPrivateOidc(id: "po1") { content } }'), "getPrivateOidc")


def test_iam_admin_role_has_full_access(matrix: RunningEmulator, users: dict[str, str]) -> None:
    as_user(matrix, users["alice"], 'mutation { createOwnerDefault(input: {id: "od-admin", content: "mine"}) { id } }')
    got = as_iam(matrix, ADMIN_ROLE, '{ getOwnerDefault(id: "od-admin") { content } }')
    assert got == {"data": {"getOwnerDefault": {"content": "mine"}}}
    deleted = as_iam(matrix, ADMIN_ROLE, 'mutation { deleteOwnerDefault(input: {id: "od-admin"}) { id } }')
    assert deleted == {"data": {"deleteOwnerDefault": {"id": "od-admin"}}}
    unauthorized(as_iam(matrix, AUTH_ROLE, '{ getOwnerDefault(id: "x") { id } }'), "getOwnerDefault")


# --- operations: get / list / listen split ---------------------------------------------------------


def test_fine_grained_operations(matrix: RunningEmulator, users: dict[str, str]) -> None:
    as_user(matrix, users["alice"], 'mutation { createFineGrained(input: {id: "fg1", content: "f"}) { id } }')
    assert as_key(matrix, '{ getFineGrained(id: "fg1") { content } }') == {"data": {"getFineGrained": {"content": "f"}}}
    unauthorized(as_key(matrix, "{ listFineGraineds { items { id } } }"), "listFineGraineds")
    listed = as_user(matrix, users["bob"], "{ listFineGraineds { items { id } } }")
    assert {"id": "fg1"} in listed["data"]["listFineGraineds"]["items"], listed
    unauthorized(as_user(matrix, users["bob"], '{ getFineGrained(id: "fg1") { id } }'), "getFineGrained")


# --- field-level rules -------------------------------------------------------------------------------


def test_field_write_rules_name_the_fields(matrix: RunningEmulator, users: dict[str, str]) -> None:
    body = as_user(matrix, users["alice"], 'mutation { createFieldLevel(input: {id: "fl1", content: "c", adminNote: "n"}) { id } }')
    assert body["data"] == {"createFieldLevel": None}, body
    (error,) = body["errors"]
    assert (error["errorType"], error["message"]) == ("Unauthorized", "Unauthorized on [adminNote]")
    as_user(matrix, users["alice"], 'mutation { createFieldLevel(input: {id: "fl1", content: "c"}) { id } }')
    update = as_user(matrix, users["alice"], 'mutation { updateFieldLevel(input: {id: "fl1", adminNote: "n"}) { id } }')
    assert update["errors"][0]["message"] == "Unauthorized on [adminNote]", update


def test_non_model_field_rules(matrix: RunningEmulator, users: dict[str, str]) -> None:
    assert "errors" not in as_key(matrix, '{ echo(msg: "hi") }')
    assert "errors" not in as_user(matrix, users["admin"], '{ echo(msg: "hi") }')
    unauthorized(as_user(matrix, users["alice"], '{ echo(msg: "hi") }'), "echo")


# --- the Lambda authorizer's answer -----------------------------------------------------------------


def _authorizer_calls(matrix: RunningEmulator, token: str) -> int:
    calls = matrix.data_dir / "authorizer-calls.txt"
    return calls.read_text().split().count(token) if calls.exists() else 0


def test_lambda_answer_is_cached_for_its_ttl(matrix: RunningEmulator) -> None:
    query = "{ listCustomLambdas { items { id } } }"
    for token in ("cached-allow", "uncached-allow"):
        for _ in range(3):
            response = as_lambda(matrix, token, query)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert _authorizer_calls(matrix, "cached-allow") == 1
    assert _authorizer_calls(matrix, "uncached-allow") == 3
    refused = as_lambda(matrix, "deny-all", query)
    assert refused.status_code == 401 and refused.headers["x-amzn-ErrorType"] == "UnauthorizedException"


def test_lambda_denied_fields_are_null_with_an_error(matrix: RunningEmulator) -> None:
    created = as_lambda(matrix, "uncached-allow", 'mutation { createCustomLambda(input: {id: "cl1", content: "c"}) { id } }')
    assert created.json() == {"data": {"createCustomLambda": {"id": "cl1"}}}, created.text
    body = as_lambda(matrix, "deny-content", '{ getCustomLambda(id: "cl1") { id content } }').json()
    assert body["data"] == {"getCustomLambda": {"id": "cl1", "content": None}}, body
    (error,) = body["errors"]
    assert error["path"] == ["getCustomLambda", "content"]
    assert error["message"] == "Not Authorized to access content on type CustomLambda"


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
    from auth.signing_key import SigningKey

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
