"""The front door: which auth mode a request uses, and its verified ``Identity``.

Mode selection follows AppSync (appsync-protocol.md §2.4), among the enabled modes only, in this
order; the first mode that recognises the request's credentials verifies them, and its verdict
is final (no fallback to another mode):

1. ``x-api-key`` header → API_KEY. **Precedence**: when a request carries both ``x-api-key`` and
   ``Authorization``, the API key wins, as AppSync has done since mid-2021
   (aws-appsync-community#169, amplify-js#8545). When API_KEY is not enabled the header is
   ignored and ``Authorization`` decides.
2. ``Authorization: AWS4-HMAC-SHA256 …`` → AWS_IAM.
3. ``Authorization: <JWT>`` (optionally ``Bearer <JWT>``) whose ``iss`` is the user pool's issuer
   → AMAZON_COGNITO_USER_POOLS; whose ``iss`` is the OIDC issuer → OPENID_CONNECT.
4. any other ``Authorization`` value → AWS_LAMBDA.

Nothing recognised: no credentials at all is 401 ``Missing authorization header``; a token that
is not a JWT while a JWT mode is enabled is ``Unable to parse JWT token.``; anything else is
``Valid authorization header not provided.``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emulator.auth.api_key import ApiKeyAuthenticator
from emulator.auth.iam import SCHEME as SIGV4_SCHEME
from emulator.auth.iam import IamAuthenticator, IdentityPool, account_of
from emulator.auth.identity import Authenticator, AuthMode, AuthRequest, Identity, rejected
from emulator.auth.jwks_fetch import user_pool_keys
from emulator.auth.jwt_keys import KeySet, issuer_keys
from emulator.auth.jwt_verifier import INVALID, UNPARSABLE, bearer_token, unverified_claims
from emulator.auth.lambda_authorizer import Handler, LambdaAuthenticator, load_handler
from emulator.auth.oidc import OidcAuthenticator
from emulator.auth.signing_key import SigningKey
from emulator.auth.user_pools import UserPoolsAuthenticator
from emulator.errors import UnauthorizedRequest
from emulator.settings import AuthSettings

MISSING = "Missing authorization header"
PRECEDENCE = (
    AuthMode.API_KEY,
    AuthMode.AWS_IAM,
    AuthMode.AMAZON_COGNITO_USER_POOLS,
    AuthMode.OPENID_CONNECT,
    AuthMode.AWS_LAMBDA,
)
JWT_MODES = (AuthMode.AMAZON_COGNITO_USER_POOLS, AuthMode.OPENID_CONNECT)


class AuthGateway:
    """Authenticates requests for the enabled modes of one API.

    Build it once at start, after ``auth.generated.ensure_credentials``; it loads (or creates) the
    signing key in ``data_dir``, reads JWKS files and imports the Lambda authorizer, so config
    mistakes surface as ``ConfigError`` at start rather than on the first request. A Lambda
    authorizer that is a function of the project arrives as ``lambda_handler`` (a callable that
    runs it in its runner); a Python ``module:function`` is imported here.
    """

    def __init__(
        self,
        settings: AuthSettings,
        data_dir: Path,
        *,
        api_id: str = "emulator",
        clock: Callable[[], float] = time.time,
        lambda_handler: Handler | None = None,
    ) -> None:
        self.settings = settings
        self.data_dir = data_dir
        self._lambda_handler = lambda_handler  # a function of the project, run by the function runners
        self.signing_key = SigningKey.load_or_create(data_dir)
        self.modes = tuple(AuthMode(m) for m in settings.modes)
        self._authenticators = tuple(
            self._authenticator(mode, api_id, clock) for mode in PRECEDENCE if mode in self.modes
        )

    @property
    def default_mode(self) -> AuthMode:
        """The API's default mode: fields without ``@aws_*`` directives allow only this one."""
        return self.modes[0]

    def authenticate(self, request: AuthRequest) -> Identity:
        """The verified caller; raises ``UnauthorizedRequest`` (HTTP 401, or 403 for bad SigV4)."""
        for authenticator in self._authenticators:
            if authenticator.recognizes(request):
                return authenticator.authenticate(request)
        raise self._unrecognized(request)

    def jwks(self) -> dict[str, Any]:
        """The public half of the emulator's signing key, as ``GET /.well-known/jwks.json`` serves it."""
        return {"keys": [self.signing_key.public_jwk()]}

    def _authenticator(self, mode: AuthMode, api_id: str, clock: Callable[[], float]) -> Authenticator:
        settings = self.settings
        own_key = self.signing_key.public_jwk()
        if mode is AuthMode.API_KEY:
            return ApiKeyAuthenticator(settings.api_keys, clock=clock)
        if mode is AuthMode.AWS_IAM:
            pool = IdentityPool(settings.iam.identity_pool_id, settings.iam.auth_role_arn, settings.iam.unauth_role_arn)
            return IamAuthenticator(settings.iam.accepted_credentials, settings.iam.region, clock=clock, identity_pool=pool)
        if mode is AuthMode.AMAZON_COGNITO_USER_POOLS:
            return UserPoolsAuthenticator(settings.user_pools, self._user_pool_keys(own_key))
        if mode is AuthMode.OPENID_CONNECT:
            return OidcAuthenticator(settings.oidc, issuer_keys(own_key, settings.oidc.jwks_file), clock=clock)
        return LambdaAuthenticator(
            self._lambda_handler or load_handler(settings.lambda_),
            api_id=api_id,
            account_id=account_of(settings.iam.auth_role_arn) or "123456789012",
        )

    def _user_pool_keys(self, own_key: dict[str, Any]) -> KeySet:
        """The emulator's key, the ``jwks_file`` keys and, for a real pool, the keys fetched from its URL."""
        pool = self.settings.user_pools
        keys = issuer_keys(own_key, pool.jwks_file)
        url = pool.fetched_jwks_url
        return keys.merged(user_pool_keys(url, self.data_dir).keys) if url else keys

    def _unrecognized(self, request: AuthRequest) -> UnauthorizedRequest:
        token = bearer_token(request)
        if token is None and "x-api-key" not in request.headers:
            return rejected(UnauthorizedRequest(MISSING), "neither x-api-key nor Authorization was sent")
        enabled = ", ".join(self.modes)
        if token is None:
            return rejected(UnauthorizedRequest(INVALID), f"x-api-key sent, but API_KEY is not enabled ({enabled})")
        if token.startswith(SIGV4_SCHEME):
            return rejected(UnauthorizedRequest(INVALID), f"SigV4-signed, but AWS_IAM is not enabled ({enabled})")
        claims = unverified_claims(token)
        if claims is None:
            if any(mode in self.modes for mode in JWT_MODES):
                return rejected(UnauthorizedRequest(UNPARSABLE), f"Authorization is not a JWT (enabled: {enabled})")
            return rejected(UnauthorizedRequest(INVALID), f"Authorization fits no enabled mode ({enabled})")
        return rejected(
            UnauthorizedRequest(INVALID),
            f"JWT issuer {claims.get('iss')!r} is neither the user pool's ({self.settings.user_pools.issuer}) "
            f"nor the OIDC issuer ({self.settings.oidc.issuer}) of an enabled mode ({enabled})",
        )
