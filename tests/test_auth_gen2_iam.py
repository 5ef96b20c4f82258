"""Gen 2's IAM at run time: identity-pool users (the auth and unauth roles) meet the identityPool
rules (``allow.authenticated('identityPool')``, ``allow.guest()``); any other IAM principal (a
function with ``allow.resource``, a backend role) passes every rule, as Amplify's generic IAM access
(``isNonCognitoIAMPrincipal``) lets it. Callers are verified from real SigV4 signatures."""

from __future__ import annotations

import json

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthRequest, Headers, Identity
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from emulator.settings import AuthSettings, IamCredential, IamSettings
from emulator.transform import TransformOptions, transform

SDL = """
type GuestBook @model @auth(rules: [{allow: public, provider: identityPool, operations: [read]}]) { content: String }
type Members @model @auth(rules: [{allow: private, provider: identityPool}]) { content: String }
type OwnerNote @model @auth(rules: [{allow: owner}]) { content: String }
"""
AUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-authRole"
UNAUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-unauthRole"
FUNCTION_ROLE = "arn:aws:iam::123456789012:role/reporter-lambda-role"
KEYS = {"user": ("AKIAUSER", AUTH_ROLE), "guest": ("AKIAGUEST", UNAUTH_ROLE), "function": ("AKIAFUNCTION", FUNCTION_ROLE)}
IAM = IamSettings(credentials=tuple(IamCredential(key, f"{key}-secret", role) for key, role in KEYS.values()),
                  identity_pool_id="us-east-1:11111111-2222-4333-8444-555555555555")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> AuthGateway:
    settings = AuthSettings(default="AMAZON_COGNITO_USER_POOLS", additional=("AWS_IAM",), iam=IAM)
    return AuthGateway(settings, tmp_path_factory.mktemp("gen2-iam"))


def signed(gateway: AuthGateway, who: str) -> Identity:
    key, _ = KEYS[who]
    body = json.dumps({"query": "{ listMembers { items { id } } }"})
    request = AWSRequest("POST", "https://127.0.0.1:20002/graphql", data=body, headers={"content-type": "application/json"})
    SigV4Auth(Credentials(key, f"{key}-secret"), "appsync", "us-east-1").add_auth(request)
    return gateway.authenticate(AuthRequest(Headers({"Host": "127.0.0.1:20002", **dict(request.headers)}), body.encode()))


def policy(generic: bool) -> AmplifyPolicy:
    options = TransformOptions(default_auth="AMAZON_COGNITO_USER_POOLS", additional_auth=("AWS_IAM",),
                               iam_access=generic, generic_iam_access=generic)
    return AmplifyPolicy(transform(SDL, options), IAM)


def test_identity_pool_callers_name_the_pool_and_others_do_not(gateway: AuthGateway) -> None:
    user, guest, function = (signed(gateway, who) for who in ("user", "guest", "function"))
    assert (user.cognito_identity_pool_id, user.cognito_identity_auth_type) == (IAM.identity_pool_id, "authenticated")
    assert (guest.cognito_identity_pool_id, guest.cognito_identity_auth_type) == (IAM.identity_pool_id, "unauthenticated")
    assert user.cognito_identity_id.startswith("us-east-1:") and user.cognito_identity_id != guest.cognito_identity_id
    assert signed(gateway, "user").cognito_identity_id == user.cognito_identity_id  # stable per key pair
    assert (function.cognito_identity_pool_id, function.cognito_identity_id, function.cognito_identity_auth_type) == (
        None, None, None)
    assert function.user_arn == "arn:aws:sts::123456789012:assumed-role/reporter-lambda-role/CognitoIdentityCredentials"


def test_guests_and_signed_in_users_meet_the_identity_pool_rules(gateway: AuthGateway) -> None:
    rules = policy(generic=True)
    models = rules.api.models
    user, guest = signed(gateway, "user"), signed(gateway, "guest")
    assert rules.read_filter(models["GuestBook"], "list", guest) is None  # allow.guest() reads
    with pytest.raises(NotAuthorized):
        rules.prepare_create(models["GuestBook"], guest, {"content": "hi"})  # ... and only reads
    with pytest.raises(NotAuthorized):
        rules.read_filter(models["GuestBook"], "list", user)  # a signed-in user is not a guest
    assert rules.prepare_create(models["Members"], user, {"content": "hi"}) == {"content": "hi"}
    with pytest.raises(NotAuthorized):
        rules.read_filter(models["Members"], "get", guest)
    with pytest.raises(NotAuthorized):
        rules.read_filter(models["OwnerNote"], "list", user)  # owner rules are user-pool rules


def test_other_iam_principals_pass_every_rule_only_with_generic_access(gateway: AuthGateway) -> None:
    function = signed(gateway, "function")
    rules = policy(generic=True)
    for name in ("GuestBook", "Members", "OwnerNote"):
        assert rules.read_filter(rules.api.models[name], "list", function) is None
        assert rules.prepare_create(rules.api.models[name], function, {"content": "x"})["content"] == "x"
    gen1 = policy(generic=False)
    with pytest.raises(NotAuthorized):
        gen1.read_filter(gen1.api.models["OwnerNote"], "list", function)
