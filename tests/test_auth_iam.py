"""AWS_IAM: signatures made by real client code (botocore, gql) verify; the identity is AppSync's."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.auth.iam import IamAuthenticator, SignatureHeader, caller_arn
from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.errors import UnauthorizedRequest
from emulator.settings import IamCredential

HOST = "127.0.0.1:20002"
AUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-authRole"
SESSION = Credentials("ASIALOCALSESSION0001", "session-secret", "session-token-value")
LONG_TERM = Credentials("AKIALOCALLONGTERM001", "long-term-secret")
BODY = json.dumps({"query": "mutation M($c: String!) { createMessage(content: $c) { id } }", "variables": {"c": "x"}})


@pytest.fixture
def iam() -> IamAuthenticator:
    return IamAuthenticator(
        [
            IamCredential(SESSION.access_key, SESSION.secret_key, AUTH_ROLE, SESSION.token),
            IamCredential(LONG_TERM.access_key, LONG_TERM.secret_key, "arn:aws:iam::210987654321:role/ops/lambda-backend"),
        ],
        region="us-east-1",
    )


def botocore_signed(credentials: Credentials, body: str, extra: dict[str, str] | None = None) -> AuthRequest:
    """appsync-protocol.md §4.3: AWSRequest + SigV4Auth(creds, "appsync", region), then sent as is."""
    url = f"https://{HOST}/graphql"
    request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json", **(extra or {})})
    SigV4Auth(credentials, "appsync", "us-east-1").add_auth(request)
    return AuthRequest(Headers({"Host": HOST, **dict(request.headers)}), body.encode())


gql_auth = pytest.importorskip("gql.transport.appsync_auth")


def gql_iam(credentials: Credentials) -> object:
    return gql_auth.AppSyncIAMAuthentication(host=HOST, region_name="us-east-1", credentials=credentials)


def test_botocore_signed_request_with_session_token(iam: IamAuthenticator) -> None:
    identity = iam.authenticate(botocore_signed(SESSION, BODY))
    assert identity.mode is AuthMode.AWS_IAM
    assert identity.user_arn == "arn:aws:sts::123456789012:assumed-role/amplify-authRole/CognitoIdentityCredentials"
    assert identity.account_id == "123456789012"
    assert identity.access_key_id == SESSION.access_key


def test_long_term_key_without_session_token(iam: IamAuthenticator) -> None:
    identity = iam.authenticate(botocore_signed(LONG_TERM, BODY))
    assert identity.user_arn == "arn:aws:sts::210987654321:assumed-role/lambda-backend/CognitoIdentityCredentials"
    assert identity.account_id == "210987654321"


def test_gql_http_transport_signature(iam: IamAuthenticator) -> None:
    """What gql's AIOHTTPTransport sends: get_headers(json body, {"content-type": ...})."""
    headers = gql_iam(SESSION).get_headers(BODY, {"content-type": "application/json"})
    assert iam.authenticate(AuthRequest(Headers(headers), BODY.encode())).mode is AuthMode.AWS_IAM


def test_gql_realtime_connection_and_start_signatures(iam: IamAuthenticator) -> None:
    """The realtime auth JSON: connection signed as POST /graphql/connect over '{}', each start over its data."""
    auth = gql_iam(SESSION)
    connect = auth.get_headers()
    assert iam.authenticate(AuthRequest(Headers(connect), b"{}", path="/graphql/connect")).user_arn
    data = json.dumps({"query": "subscription { onCreateMessage { id } }", "variables": {}})
    start = auth.get_headers(data)
    assert iam.authenticate(AuthRequest(Headers(start), data.encode())).mode is AuthMode.AWS_IAM
    # the connection header is not valid for /graphql, nor a start header for another payload
    with pytest.raises(UnauthorizedRequest):
        iam.authenticate(AuthRequest(Headers(connect), b"{}", path="/graphql"))
    with pytest.raises(UnauthorizedRequest):
        iam.authenticate(AuthRequest(Headers(start), b'{"query": "subscription { other { id } }"}'))


def test_smithy_style_signed_payload_hash(iam: IamAuthenticator) -> None:
    """@smithy/signature-v4 also signs x-amz-content-sha256 (the body's SHA-256)."""
    digest = hashlib.sha256(BODY.encode()).hexdigest()
    request = botocore_signed(SESSION, BODY, {"x-amz-content-sha256": digest})
    assert "x-amz-content-sha256" in request.headers["authorization"]
    assert iam.authenticate(request).mode is AuthMode.AWS_IAM


def test_amplify_style_extra_signed_header_and_lowercase_names(iam: IamAuthenticator) -> None:
    """Amplify signs x-amz-user-agent too and sends lower-case names; unsigned extras are ignored."""
    request = botocore_signed(SESSION, BODY, {"x-amz-user-agent": "aws-amplify/6.22.1 api/1 framework/100"})
    lowered = {k.lower(): v for k, v in request.headers.items()} | {"user-agent": "node", "accept": "*/*"}
    assert iam.authenticate(AuthRequest(Headers(lowered), request.body)).mode is AuthMode.AWS_IAM


def test_signed_header_missing_from_request_is_incomplete(iam: IamAuthenticator) -> None:
    request = botocore_signed(SESSION, BODY, {"x-amz-user-agent": "aws-amplify/6"})
    headers = {k: v for k, v in request.headers.items() if k.lower() != "x-amz-user-agent"}
    with pytest.raises(UnauthorizedRequest) as refused:
        iam.authenticate(AuthRequest(Headers(headers), request.body))
    assert refused.value.error_type == "IncompleteSignatureException"
    assert "'x-amz-user-agent' is named as a SignedHeader" in refused.value.message


def test_mismatch_message_shows_the_expected_canonical_request(iam: IamAuthenticator) -> None:
    request = botocore_signed(SESSION, BODY)
    with pytest.raises(UnauthorizedRequest) as refused:
        iam.authenticate(AuthRequest(request.headers, b'{"query": "{ x }"}'))
    assert refused.value.status == 403
    assert "The Canonical String for this request should have been\n'POST\n/graphql\n" in refused.value.message
    assert "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n" in refused.value.message


def test_clock_skew_window_is_five_minutes_both_ways() -> None:
    signed = botocore_signed(LONG_TERM, BODY)
    credential = IamCredential(LONG_TERM.access_key, LONG_TERM.secret_key, AUTH_ROLE)
    for offset, ok in ((-290, True), (290, True), (-310, False), (310, False)):
        verifier = IamAuthenticator([credential], "us-east-1", clock=lambda o=offset: time.time() - o)
        if ok:
            verifier.authenticate(signed)
        else:
            with pytest.raises(UnauthorizedRequest) as refused:
                verifier.authenticate(signed)
            assert refused.value.message.startswith("Signature expired" if offset < 0 else "Signature not yet current")


@pytest.mark.parametrize(
    "value",
    [
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/appsync/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKID/us-east-1/appsync, SignedHeaders=host, Signature=ab",
    ],
)
def test_malformed_authorization_is_incomplete(value: str, iam: IamAuthenticator) -> None:
    with pytest.raises(UnauthorizedRequest) as refused:
        iam.authenticate(AuthRequest(Headers({"Authorization": value, "host": HOST})))
    assert (refused.value.status, refused.value.error_type) == (403, "IncompleteSignatureException")


def test_signature_header_parsing() -> None:
    parsed = SignatureHeader.parse(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/appsync/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature=9ef3"
    )
    assert (parsed.access_key_id, parsed.date, parsed.region, parsed.service) == (
        "AKIDEXAMPLE",
        "20261129",
        "us-east-1",
        "appsync",
    )
    assert parsed.signed_headers == ("content-type", "host", "x-amz-date")


@pytest.mark.parametrize(
    ("arn", "user_arn"),
    [
        (AUTH_ROLE, "arn:aws:sts::123456789012:assumed-role/amplify-authRole/CognitoIdentityCredentials"),
        ("arn:aws-cn:iam::1:role/a/b/deep", "arn:aws-cn:sts::1:assumed-role/deep/CognitoIdentityCredentials"),
        ("arn:aws:iam::1:user/bob", "arn:aws:iam::1:user/bob"),
        ("arn:aws:sts::1:assumed-role/r/s", "arn:aws:sts::1:assumed-role/r/s"),
    ],
)
def test_caller_arn(arn: str, user_arn: str) -> None:
    assert caller_arn(arn) == user_arn


def test_signed_get_request_covers_the_url_query(iam: IamAuthenticator) -> None:
    from urllib.parse import urlencode

    query = urlencode({"query": "{ listPosts { items { id } } }"})
    request = AWSRequest(method="GET", url=f"https://{HOST}/graphql?{query}")
    SigV4Auth(LONG_TERM, "appsync", "us-east-1").add_auth(request)
    signed = AuthRequest(Headers({"Host": HOST, **dict(request.headers)}), b"", method="GET", url_query=query)
    assert iam.authenticate(signed).mode is AuthMode.AWS_IAM
    tampered = AuthRequest(signed.headers, b"", method="GET", url_query=query.replace("listPosts", "listUsers"))
    with pytest.raises(UnauthorizedRequest):
        iam.authenticate(tampered)


@pytest.mark.parametrize(("credentials", "hint"), [
    (Credentials(LONG_TERM.access_key, LONG_TERM.secret_key, "sso-session-token"), "unset AWS_SESSION_TOKEN"),
    (Credentials(SESSION.access_key, SESSION.secret_key), "configured with a session_token: send it (AWS_SESSION_TOKEN)"),
    (Credentials(SESSION.access_key, SESSION.secret_key, "another-token"), "check AWS_SESSION_TOKEN"),
], ids=["token-left-in-the-environment", "token-missing", "token-differs"])
def test_a_session_token_refusal_says_what_to_set(iam: IamAuthenticator, credentials: Credentials, hint: str) -> None:
    """AppSync's message first, then the emulator's hint (a leftover SSO AWS_SESSION_TOKEN is the usual case)."""
    with pytest.raises(UnauthorizedRequest) as refused:
        iam.authenticate(botocore_signed(credentials, BODY))
    assert refused.value.message.startswith("The security token included in the request is invalid. ")
    assert hint in refused.value.message and credentials.access_key in refused.value.message
