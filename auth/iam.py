"""AWS_IAM: SigV4-signed requests, re-signed with botocore and compared.

The signature is recomputed by botocore's own ``SigV4Auth`` over what was received: the method
and path, the exact body bytes, and exactly the headers the client listed in ``SignedHeaders``
(with the ``Host`` value as sent), service ``appsync`` and the region of the credential scope.
No signing code lives here; this module only decides what to feed botocore and what to check
around it: a known access key, the configured region, a 5-minute window on ``X-Amz-Date``, the
session token of temporary credentials, and an ``x-amz-content-sha256`` that really is the body's.

Answers. AppSync answers a signature that does not match with HTTP 403
``InvalidSignatureException`` (amplify-js#2422), and a malformed one with
``IncompleteSignatureException`` (aws-mobile-appsync-sdk-js#702); both are kept, with AWS's
messages, and for a mismatch the canonical request and string to sign the emulator expected, as
AWS prints them, because that is what someone debugging their signer needs. An unknown access key
or a wrong session token is HTTP 401 ``UnauthorizedException``. Both error classes are
``UnauthorizedRequest``s, so transports need no special case.

Identity pools. On AWS a signed-in user or a guest of a Cognito identity pool calls with the
pool's auth or unauth role, and AppSync's ``$ctx.identity`` then names the pool
(``cognitoIdentityPoolId``, ``cognitoIdentityId``, ``cognitoIdentityAuthType``). A credential
whose role is one of those two roles is such a caller here; any other is a plain IAM principal
(a function's or a backend's role), which Gen 2's generic IAM access lets through every rule.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from emulator.auth.identity import AuthMode, AuthRequest, Identity, rejected
from emulator.errors import UnauthorizedRequest
from emulator.settings import IamCredential

SCHEME = "AWS4-HMAC-SHA256"
SERVICE = "appsync"
MAX_SKEW_SECONDS = 300
# The session name Cognito identity pools give; Amplify's resolvers compare userArn with
# arn:aws:sts::<account>:assumed-role/<authRole>/CognitoIdentityCredentials (transformer-semantics §1.2).
SESSION_NAME = "CognitoIdentityCredentials"
INVALID_TOKEN = "The security token included in the request is invalid."
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


class SignatureRejected(UnauthorizedRequest):
    """HTTP 403 with a SigV4 error type, as AppSync answers bad signatures."""

    def __init__(self, message: str, error_type: str = "InvalidSignatureException") -> None:
        super().__init__(message)
        self.status = 403
        self.error_type = error_type


def incomplete(message: str) -> UnauthorizedRequest:
    return rejected(SignatureRejected(message, "IncompleteSignatureException"), message)


@dataclass(frozen=True)
class SignatureHeader:
    """The parts of ``Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…``."""

    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str

    @classmethod
    def parse(cls, value: str) -> SignatureHeader:
        if not value.startswith(SCHEME + " "):
            raise incomplete(f"Authorization header must start with '{SCHEME} '.")
        fields = dict(part.strip().partition("=")[::2] for part in value[len(SCHEME) :].split(","))
        missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)]
        if missing:
            raise incomplete(f"Authorization header requires '{missing[0]}' parameter. Authorization={value}")
        scope = fields["Credential"].split("/")
        if len(scope) != 5:
            raise incomplete(f"Credential must have exactly 5 slash-delimited elements, got {fields['Credential']!r}.")
        return cls(
            access_key_id=scope[0],
            date=scope[1],
            region=scope[2],
            service=scope[3],
            terminator=scope[4],
            signed_headers=tuple(fields["SignedHeaders"].lower().split(";")),
            signature=fields["Signature"],
        )


class _ReceivedHeadersSigV4(SigV4Auth):
    """botocore's SigV4 over exactly the headers of the request as given.

    botocore leaves a few headers (``user-agent``, ``expect`` …) out of the signatures *it*
    makes; a verifier must use what the client listed instead (the AWS Java signer signs
    ``user-agent``, for instance).
    """

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        headers = HTTPHeaders()
        for name, value in request.headers.items():
            headers[name.lower()] = value
        return headers


def caller_arn(role_arn: str) -> str:
    """The ``userArn`` AppSync shows for a caller holding ``role_arn``'s credentials.

    ``arn:aws:iam::<acct>:role/[path/]<name>`` becomes the assumed-role session
    ``arn:aws:sts::<acct>:assumed-role/<name>/CognitoIdentityCredentials``; any other ARN
    (an IAM user, an already-assumed role) is the caller's ARN as it is.
    """
    parts = role_arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/"):
        name = parts[5].rsplit("/", 1)[-1]
        return f"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{name}/{SESSION_NAME}"
    return role_arn


def account_of(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[4] or None if len(parts) == 6 else None


@dataclass(frozen=True)
class IdentityPool:
    """The Cognito identity pool whose signed-in users hold ``auth_role_arn`` and guests ``unauth_role_arn``."""

    pool_id: str
    auth_role_arn: str
    unauth_role_arn: str

    def auth_type(self, role_arn: str) -> str | None:
        """``authenticated`` / ``unauthenticated`` for the pool's roles, None for any other role."""
        if role_arn == self.auth_role_arn:
            return "authenticated"
        if role_arn == self.unauth_role_arn:
            return "unauthenticated"
        return None

    def identity_id(self, access_key_id: str) -> str:
        """A stable identity id per key pair, shaped as Cognito's (``<region>:<uuid>``)."""
        region = self.pool_id.split(":", 1)[0]
        return f"{region}:{uuid.uuid5(uuid.NAMESPACE_URL, 'appsync-emulator:' + access_key_id)}"


class IamAuthenticator:
    """Verifies SigV4 ``appsync`` signatures made with the configured credentials."""

    mode = AuthMode.AWS_IAM

    def __init__(
        self,
        credentials: Iterable[IamCredential],
        region: str,
        clock: Callable[[], float] = time.time,
        identity_pool: IdentityPool | None = None,
    ) -> None:
        self._credentials = {c.access_key_id: c for c in credentials}
        self._region = region
        self._clock = clock
        self._identity_pool = identity_pool

    def recognizes(self, request: AuthRequest) -> bool:
        return request.headers.get("authorization", "").startswith(SCHEME)

    def authenticate(self, request: AuthRequest) -> Identity:
        header = SignatureHeader.parse(request.headers.get("authorization", ""))
        credential = self._credentials.get(header.access_key_id)
        if credential is None:
            raise rejected(UnauthorizedRequest(INVALID_TOKEN), f"unknown access key id {header.access_key_id!r}")
        amz_date = self._check_scope_and_date(header, request)
        self._check_session_token(credential, request)
        self._check_signature(header, credential, request, amz_date)
        user_arn = caller_arn(credential.role_arn)
        pool = self._identity_pool
        auth_type = pool.auth_type(credential.role_arn) if pool is not None else None
        return Identity(
            mode=self.mode,
            user_arn=user_arn,
            account_id=account_of(user_arn),
            access_key_id=credential.access_key_id,
            source_ip=request.source_ip,
            cognito_identity_pool_id=pool.pool_id if pool is not None and auth_type else None,
            cognito_identity_id=pool.identity_id(credential.access_key_id) if pool is not None and auth_type else None,
            cognito_identity_auth_type=auth_type,
            iam_root_types=frozenset(credential.root_types) if credential.root_types is not None else None,
        )

    def _check_scope_and_date(self, header: SignatureHeader, request: AuthRequest) -> str:
        if header.service != SERVICE:
            message = f"Credential should be scoped to correct service: '{SERVICE}'. "
            raise rejected(SignatureRejected(message), f"credential scope service is {header.service!r}")
        if header.region != self._region:
            message = "Credential should be scoped to a valid region. "
            raise rejected(SignatureRejected(message), f"credential scope region {header.region!r} != {self._region!r}")
        if header.terminator != "aws4_request":
            raise incomplete("Credential should be scoped with a valid terminator: 'aws4_request'.")
        amz_date = request.headers.get("x-amz-date", "")
        try:
            signed_at = datetime.strptime(amz_date, SIGV4_TIMESTAMP).replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise incomplete(f"X-Amz-Date header must be an ISO 8601 basic timestamp, got {amz_date!r}.") from None
        if amz_date[:8] != header.date:
            message = f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.date}' != '{amz_date[:8]}'"
            raise rejected(SignatureRejected(message), message)
        now = self._clock()
        if abs(now - signed_at) > MAX_SKEW_SECONDS:
            raise rejected(SignatureRejected(_skew_message(amz_date, now, signed_at)), "X-Amz-Date outside 5 minutes")
        return amz_date

    def _check_session_token(self, credential: IamCredential, request: AuthRequest) -> None:
        """AppSync's answer, followed by what to set: a session token left in the environment by
        another sign-in (``AWS_SESSION_TOKEN`` after SSO) is the usual cause, and the message alone
        never says so."""
        presented = request.headers.get("x-amz-security-token")
        expected = credential.session_token
        if presented is None and expected is None:
            return
        if presented is not None and expected is not None and hmac.compare_digest(presented.encode(), expected.encode()):
            return
        key = credential.access_key_id
        if expected is None:
            reason = "session token sent for a key pair that has none"
            hint = (f"The emulator's key pair {key} has no session token: unset AWS_SESSION_TOKEN (left from "
                    "another sign-in, such as SSO), or configure it as session_token of this key pair in "
                    "[[auth.iam.credentials]].")
        elif presented is None:
            reason = "missing session token"
            hint = f"The key pair {key} is configured with a session_token: send it (AWS_SESSION_TOKEN)."
        else:
            reason = "session token does not match the credential's"
            hint = (f"The session token is not the session_token configured for {key} in "
                    "[[auth.iam.credentials]]: check AWS_SESSION_TOKEN.")
        raise rejected(UnauthorizedRequest(f"{INVALID_TOKEN} {hint}"), reason)

    def _check_signature(
        self, header: SignatureHeader, credential: IamCredential, request: AuthRequest, amz_date: str
    ) -> None:
        if "host" not in header.signed_headers:
            raise incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
        absent = [name for name in header.signed_headers if name not in request.headers]
        if absent:
            raise incomplete(f"'{absent[0]}' is named as a SignedHeader, but it does not exist in the HTTP request.")
        content_sha = request.headers.get("x-amz-content-sha256")
        if content_sha is not None and content_sha != hashlib.sha256(request.body).hexdigest():
            message = "The provided 'x-amz-content-sha256' header does not match what was computed."
            raise rejected(SignatureRejected(message), message)
        aws_request = AWSRequest(
            method=request.method,
            url=f"https://{request.headers['host']}{request.path}" + (f"?{request.url_query}" if request.url_query else ""),
            data=request.body,
            headers={name: request.headers[name] for name in header.signed_headers},
        )
        aws_request.context["timestamp"] = amz_date
        signer = _ReceivedHeadersSigV4(
            Credentials(credential.access_key_id, credential.secret_access_key, credential.session_token),
            SERVICE,
            header.region,
        )
        canonical_request = signer.canonical_request(aws_request)
        string_to_sign = signer.string_to_sign(aws_request, canonical_request)
        expected = signer.signature(string_to_sign, aws_request)
        if not hmac.compare_digest(expected.encode(), header.signature.encode()):
            message = (
                f"{MISMATCH}\n\nThe Canonical String for this request should have been\n'{canonical_request}'\n\n"
                f"The String-to-Sign should have been\n'{string_to_sign}'\n"
            )
            raise rejected(SignatureRejected(message), "SigV4 signature mismatch")


def _skew_message(amz_date: str, now: float, signed_at: float) -> str:
    def stamp(seconds: float) -> str:
        return datetime.fromtimestamp(seconds, UTC).strftime(SIGV4_TIMESTAMP)

    if signed_at < now:
        return (
            f"Signature expired: {amz_date} is now earlier than {stamp(now - MAX_SKEW_SECONDS)} "
            f"({stamp(now)} - 5 min.)"
        )
    return (
        f"Signature not yet current: {amz_date} is still later than {stamp(now + MAX_SKEW_SECONDS)} "
        f"({stamp(now)} + 5 min.)"
    )
