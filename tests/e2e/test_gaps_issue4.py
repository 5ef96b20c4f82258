"""Issue 4 over the real wire: each ``@auth`` strategy, provider and operation of the golden auth
matrix, Lambda authorizer answers, IAM admin roles, ``@aws_*`` directives and v1's rules.

One emulator serves ``transformer-golden/schemas/v2/auth-matrix.graphql`` with all five modes
(user pools default, as in the golden's ``auth-all.json``); every call goes over HTTP with a
credential a real client would send (tokens from ``appsync-emulator token``, SigV4 by botocore).
A second emulator serves a v1 schema, where a non-owner's update is a DynamoDB condition failure
instead of v2's ``Unauthorized``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from botocore.credentials import Credentials

from emulator.testing import RunningEmulator
from tests.e2e.auth_calls import as_iam, as_key, as_lambda, as_user, unauthorized
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


def _past_the_rules(body: dict) -> bool:
    """The rules let the caller through: what answers is the field's missing local resolver."""
    return [error["errorType"] for error in body.get("errors", [])] == ["AppSyncEmulator:NoLocalResolver"]


def test_non_model_field_rules(matrix: RunningEmulator, users: dict[str, str]) -> None:
    assert _past_the_rules(as_key(matrix, '{ echo(msg: "hi") }'))
    assert _past_the_rules(as_user(matrix, users["admin"], '{ echo(msg: "hi") }'))
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
