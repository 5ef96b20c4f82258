"""The negative auth matrix: forged, stale or wrong credentials of every mode and the refusal each gets.

Every case starts from a credential that a real client code path produces (botocore SigV4 as in
appsync-protocol.md §4.3, tokens from ``mint_token``, the configured API key) and breaks exactly
one thing; ``POSITIVE`` holds the unbroken credentials. ``tests/test_auth_matrix.py`` runs the
cases against the gateway, ``tests/e2e/test_auth_wire.py`` over real HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import jwt
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.auth.signing_key import SigningKey
from emulator.auth.tokens import mint_token, token_claims
from emulator.settings import AuthSettings

GOOD_KEY = "da2-matrixgoodkey000000000000"
EXPIRED_KEY = "da2-matrixexpiredkey000000000"
LONG_TERM = Credentials("AKIAMATRIXLONGTERM01", "matrix-long-term-secret")
TEMPORARY = Credentials("ASIAMATRIXTEMPORARY1", "matrix-temporary-secret", "matrix-session-token")
BODY = b'{"query": "query { listNotes { items { id } } }"}'
OTHER_BODY = b'{"query": "query { listNotes { items { id text } } }"}'

CONFIG = f"""
[auth]
default = "API_KEY"
additional = ["AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT", "AWS_LAMBDA"]

[auth.api_key]
keys = ["{GOOD_KEY}", {{ key = "{EXPIRED_KEY}", expires = "2020-01-01T00:00:00Z" }}]

[auth.oidc]
issuer = "https://issuer.matrix.local"
client_id = "matrix-oidc-client"

[auth.iam]
region = "us-east-1"

[[auth.iam.credentials]]
access_key_id = "{LONG_TERM.access_key}"
secret_access_key = "{LONG_TERM.secret_key}"
role_arn = "arn:aws:iam::123456789012:role/amplify-authRole"

[[auth.iam.credentials]]
access_key_id = "{TEMPORARY.access_key}"
secret_access_key = "{TEMPORARY.secret_key}"
session_token = "{TEMPORARY.token}"
role_arn = "arn:aws:iam::123456789012:role/amplify-unauthRole"

[auth.lambda]
handler = "matrix_authorizer:check"
"""

AUTHORIZER = textwrap.dedent(
    '''
    def check(event, context):
        token = event["authorizationToken"]
        if token == "lambda-allow":
            return {"isAuthorized": True, "resolverContext": {"tenant": "t1"}, "ttlOverride": 0}
        if token == "lambda-raise":
            raise RuntimeError("authorizer bug")
        if token == "lambda-malformed":
            return {"isAuthorized": "yes"}
        return {"isAuthorized": False, "ttlOverride": 0}
    '''
)


def write_config(folder: Path) -> Path:
    """The matrix config and its Lambda authorizer, written into ``folder``."""
    (folder / "matrix_authorizer.py").write_text(AUTHORIZER)
    path = folder / "appsync-emulator.toml"
    path.write_text(CONFIG)
    return path


@dataclass
class World:
    """What the cases forge credentials from: the API's settings, data dir and host."""

    settings: AuthSettings
    data_dir: Path
    host: str

    # --- tokens -----------------------------------------------------------------------------
    def token(self, **kwargs: Any) -> str:
        return mint_token(self.settings, self.data_dir, **{"username": "alice", **kwargs})

    def claims(self, **kwargs: Any) -> dict[str, Any]:
        return token_claims(self.settings, **{"username": "alice", **kwargs})

    def signed(self, claims: dict[str, Any], *, kid: str | None = None, key: Any = None) -> str:
        own = SigningKey.load_or_create(self.data_dir)
        return jwt.encode(claims, key or own.private_key, algorithm="RS256", headers={"kid": kid or own.kid})

    def own_kid(self) -> str:
        return SigningKey.load_or_create(self.data_dir).kid

    # --- requests ---------------------------------------------------------------------------
    def request(self, headers: dict[str, str], body: bytes = BODY, path: str = "/graphql") -> AuthRequest:
        return AuthRequest(Headers({"host": self.host, "content-type": "application/json", **headers}), body, path=path)

    def sigv4(
        self,
        credentials: Credentials = LONG_TERM,
        *,
        body: bytes = BODY,
        region: str = "us-east-1",
        service: str = "appsync",
        at: datetime | None = None,
    ) -> dict[str, str]:
        """Headers exactly as appsync-protocol.md §4.3 signs them (botocore SigV4Auth on an AWSRequest)."""
        url = f"https://{self.host}/graphql"
        request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
        if at is None:
            SigV4Auth(credentials, service, region).add_auth(request)
        else:
            with mock.patch("botocore.auth.get_current_datetime", return_value=at.replace(tzinfo=None)):
                SigV4Auth(credentials, service, region).add_auth(request)
        return {"host": self.host, **dict(request.headers)}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(world: World) -> str:
    """The classic confusion attack: HS256 keyed with the RSA public key PEM, the verifier's own key."""
    own = SigningKey.load_or_create(world.data_dir)
    pem = own.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": own.kid}).encode())
    payload = b64url(json.dumps(world.claims(groups=["admin"])).encode())
    signature = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def tampered(world: World) -> str:
    """A valid token whose payload was edited (admin group added) keeping the original signature."""
    header, _, signature = world.token().split(".")
    payload = b64url(json.dumps(world.claims(groups=["admin"])).encode())
    return f"{header}.{payload}.{signature}"


def foreign_key_token(world: World) -> str:
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return world.signed(world.claims(), key=foreign)


def stale(world: World) -> dict[str, str]:
    return world.sigv4(at=datetime.now(UTC) - timedelta(minutes=6))


def without(headers: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != name}


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[World], AuthRequest]
    status: int
    error_type: str
    message: str  # AppSync's message (prefix)
    reason: str  # what the exception note must say: which check refused it


INVALID = "Valid authorization header not provided."
NOT_AUTHORIZED = "You are not authorized to make this call."
BAD_TOKEN = "The security token included in the request is invalid."
MISMATCH = "The request signature we calculated does not match"
U, SIG = "UnauthorizedException", "InvalidSignatureException"


def jwt_case(name: str, make: Callable[[World], str], message: str, reason: str) -> Case:
    return Case(name, lambda w: w.request({"Authorization": make(w)}), 401, U, message, reason)


CASES = [
    # Cognito user pools
    jwt_case("jwt-tampered-payload", tampered, INVALID, "signature does not verify"),
    jwt_case(
        "jwt-alg-none",
        lambda w: jwt.encode(w.claims(), None, algorithm="none", headers={"kid": w.own_kid()}),
        INVALID,
        "alg 'none'",
    ),
    jwt_case("jwt-hs256-with-public-key", hs256_with_public_key, INVALID, "alg 'HS256'"),
    jwt_case("jwt-expired", lambda w: w.token(expires_in=-60), "Token has expired.", "exp is in the past"),
    jwt_case(
        "jwt-not-yet-valid-nbf",
        lambda w: w.signed(w.claims(claims={"nbf": w.claims()["iat"] + 3600})),
        INVALID,
        "not yet valid (nbf)",
    ),
    jwt_case(
        "jwt-issued-in-the-future",
        lambda w: w.signed(w.claims(now=w.claims()["iat"] + 3600)),
        INVALID,
        "not yet valid (iat)",
    ),
    jwt_case(
        "jwt-wrong-issuer",
        lambda w: w.token(claims={"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"}),
        NOT_AUTHORIZED,  # no mode claims that issuer, so the Lambda authorizer (enabled) decides: denied
        "isAuthorized: false",
    ),
    jwt_case("jwt-wrong-aud", lambda w: w.token(claims={"aud": "someone-elses-client"}), INVALID, "aud"),
    jwt_case("jwt-wrong-token-use", lambda w: w.token(claims={"token_use": "refresh"}), INVALID, "token_use"),
    jwt_case(
        "jwt-access-token-wrong-client-id",
        lambda w: w.token(token_use="access", claims={"client_id": "someone-elses-client"}),
        INVALID,
        "client_id",
    ),
    jwt_case("jwt-unknown-kid", lambda w: w.signed(w.claims(), kid="not-a-known-kid"), INVALID, "kid"),
    jwt_case("jwt-foreign-signing-key", foreign_key_token, INVALID, "signature does not verify"),
    jwt_case("jwt-missing-sub", lambda w: w.signed(_drop(w.claims(), "sub")), INVALID, "sub"),
    # OIDC
    jwt_case(
        "oidc-wrong-aud",
        lambda w: w.token(oidc=True, claims={"aud": "someone-elses-client"}),
        INVALID,
        "does not include client id",
    ),
    jwt_case("oidc-expired", lambda w: w.token(oidc=True, expires_in=-1), "Token has expired.", "exp is in the past"),
    # API key
    Case("api-key-wrong", lambda w: w.request({"x-api-key": "da2-notarealkey000000000000000"}), 401, U,
         NOT_AUTHORIZED, "not a configured API key"),
    Case("api-key-expired", lambda w: w.request({"x-api-key": EXPIRED_KEY}), 401, U, NOT_AUTHORIZED, "expired"),
    Case("api-key-wins-over-valid-jwt", lambda w: w.request({"x-api-key": "da2-wrong", "Authorization": w.token()}),
         401, U, NOT_AUTHORIZED, "not a configured API key"),
    # IAM (SigV4)
    Case("iam-wrong-secret", lambda w: w.request(w.sigv4(Credentials(LONG_TERM.access_key, "not-the-secret"))),
         403, SIG, MISMATCH, "signature mismatch"),
    Case("iam-unknown-access-key", lambda w: w.request(w.sigv4(Credentials("AKIAUNKNOWNKEY000000", "x"))),
         401, U, BAD_TOKEN, "unknown access key"),
    Case("iam-body-altered", lambda w: w.request(w.sigv4(), body=OTHER_BODY), 403, SIG, MISMATCH, "signature mismatch"),
    Case("iam-host-altered", lambda w: w.request({**w.sigv4(), "host": "evil.example:443"}),
         403, SIG, MISMATCH, "signature mismatch"),
    Case("iam-stale-date", lambda w: w.request(stale(w)), 403, SIG, "Signature expired", "outside 5 minutes"),
    Case("iam-wrong-service", lambda w: w.request(w.sigv4(service="execute-api")), 403, SIG,
         "Credential should be scoped to correct service", "service"),
    Case("iam-wrong-region", lambda w: w.request(w.sigv4(region="eu-west-1")), 403, SIG,
         "Credential should be scoped to a valid region", "region"),
    Case("iam-missing-session-token", lambda w: w.request(without(w.sigv4(TEMPORARY), "x-amz-security-token")),
         401, U, BAD_TOKEN, "missing session token"),
    Case("iam-wrong-session-token",
         lambda w: w.request(w.sigv4(Credentials(TEMPORARY.access_key, TEMPORARY.secret_key, "forged-token"))),
         401, U, BAD_TOKEN, "session token does not match"),
    Case("iam-content-sha256-lies",
         lambda w: w.request({**w.sigv4(), "x-amz-content-sha256": hashlib.sha256(BODY).hexdigest()}, body=OTHER_BODY),
         403, SIG, "The provided 'x-amz-content-sha256'", "x-amz-content-sha256"),
    Case("iam-host-not-signed",
         lambda w: w.request({**w.sigv4(), "Authorization": w.sigv4()["Authorization"].replace("host;", "")}),
         403, "IncompleteSignatureException", "'Host' must be a 'SignedHeader'", "Host"),
    # Lambda
    Case("lambda-denied", lambda w: w.request({"Authorization": "lambda-deny"}), 401, U, NOT_AUTHORIZED,
         "isAuthorized: false"),
    Case("lambda-handler-raises", lambda w: w.request({"Authorization": "lambda-raise"}), 401, U, NOT_AUTHORIZED,
         "authorizer bug"),
    Case("lambda-malformed-answer", lambda w: w.request({"Authorization": "lambda-malformed"}), 401, U,
         NOT_AUTHORIZED, "'isAuthorized' must be true or false"),
    # nothing at all
    Case("no-credentials", lambda w: w.request({}), 401, U, "Missing authorization header", "neither"),
]


def _drop(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k != name}


POSITIVE: list[tuple[str, Callable[[World], AuthRequest], AuthMode]] = [
    ("api-key", lambda w: w.request({"x-api-key": GOOD_KEY}), AuthMode.API_KEY),
    ("user-pool-id-token", lambda w: w.request({"Authorization": w.token()}), AuthMode.AMAZON_COGNITO_USER_POOLS),
    ("user-pool-access-token", lambda w: w.request({"Authorization": w.token(token_use="access")}),
     AuthMode.AMAZON_COGNITO_USER_POOLS),
    ("oidc-token", lambda w: w.request({"Authorization": w.token(oidc=True)}), AuthMode.OPENID_CONNECT),
    ("iam-long-term", lambda w: w.request(w.sigv4()), AuthMode.AWS_IAM),
    ("iam-session", lambda w: w.request(w.sigv4(TEMPORARY)), AuthMode.AWS_IAM),
    ("lambda-allow", lambda w: w.request({"Authorization": "lambda-allow"}), AuthMode.AWS_LAMBDA),
]
