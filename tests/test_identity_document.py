"""``$ctx.identity`` per auth mode, as AppSync hands it to resolvers and Lambda functions."""

from __future__ import annotations

from emulator.auth.identity import AuthMode, Identity
from emulator.resolvers.identity_document import identity_document


def test_api_key_callers_have_no_identity() -> None:
    assert identity_document(Identity(mode=AuthMode.API_KEY, api_key="da2-x")) is None
    assert identity_document(None) is None


def test_user_pools() -> None:
    identity = Identity(mode=AuthMode.AMAZON_COGNITO_USER_POOLS, claims={"sub": "s-1", "cognito:groups": ["A"]},
                        sub="s-1", username="alice", groups=("A",), issuer="https://issuer", source_ip="10.0.0.1")
    assert identity_document(identity) == {
        "sub": "s-1", "issuer": "https://issuer", "username": "alice",
        "claims": {"sub": "s-1", "cognito:groups": ["A"]}, "sourceIp": ["10.0.0.1"],
        "defaultAuthStrategy": "ALLOW", "groups": ["A"]}
    assert identity_document(Identity(mode=AuthMode.AMAZON_COGNITO_USER_POOLS, sub="s"))["groups"] is None  # type: ignore[index]


def test_oidc_iam_and_lambda() -> None:
    oidc = Identity(mode=AuthMode.OPENID_CONNECT, claims={"sub": "o"}, sub="o", issuer="https://oidc")
    assert identity_document(oidc) == {"sub": "o", "issuer": "https://oidc", "claims": {"sub": "o"}}
    iam = Identity(mode=AuthMode.AWS_IAM, user_arn="arn:aws:sts::1:assumed-role/r/s", account_id="1",
                   access_key_id="AKID")
    document = identity_document(iam)
    assert document is not None
    assert (document["userArn"], document["accountId"], document["username"]) == (
        "arn:aws:sts::1:assumed-role/r/s", "1", "AKID")
    assert document["cognitoIdentityPoolId"] is None and document["sourceIp"] == ["127.0.0.1"]
    assert identity_document(Identity(mode=AuthMode.AWS_LAMBDA, resolver_context={"k": "v"})) == {
        "resolverContext": {"k": "v"}}


def test_identity_pool_callers_name_the_pool() -> None:
    guest = Identity(mode=AuthMode.AWS_IAM, user_arn="arn:aws:sts::1:assumed-role/unauth/CognitoIdentityCredentials",
                     cognito_identity_pool_id="us-east-1:pool", cognito_identity_id="us-east-1:id",
                     cognito_identity_auth_type="unauthenticated")
    document = identity_document(guest)
    assert document is not None
    assert (document["cognitoIdentityPoolId"], document["cognitoIdentityId"], document["cognitoIdentityAuthType"]) == (
        "us-east-1:pool", "us-east-1:id", "unauthenticated")
