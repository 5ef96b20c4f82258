"""``$ctx.identity`` as AppSync hands it to resolvers and Lambda functions, per auth mode.

API key callers have no identity (``null``); user pools and OIDC give the token's subject, issuer
and claims; IAM gives the signer's account and ARN (and, for the identity pool's users and guests, the pool,
the identity and how it signed in); a Lambda authorizer gives its
``resolverContext``. The shapes are AppSync's (and the ``AppSyncIdentity`` types of
``@types/aws-lambda``), so handlers written for the cloud read the same keys here.
"""

from __future__ import annotations

from typing import Any

from emulator.auth.identity import AuthMode, Identity


def identity_document(identity: Identity | None) -> dict[str, Any] | None:
    """The caller as ``$ctx.identity`` (JSON-ready), or None for API key and anonymous calls."""
    if identity is None or identity.mode is AuthMode.API_KEY:
        return None
    if identity.mode is AuthMode.AMAZON_COGNITO_USER_POOLS:
        return {
            "sub": identity.sub,
            "issuer": identity.issuer,
            "username": identity.username,
            "claims": dict(identity.claims),
            "sourceIp": [identity.source_ip],
            "defaultAuthStrategy": "ALLOW",
            "groups": list(identity.groups) or None,
        }
    if identity.mode is AuthMode.OPENID_CONNECT:
        return {"sub": identity.sub, "issuer": identity.issuer, "claims": dict(identity.claims)}
    if identity.mode is AuthMode.AWS_IAM:
        return {
            "accountId": identity.account_id,
            "cognitoIdentityPoolId": identity.cognito_identity_pool_id,
            "cognitoIdentityId": identity.cognito_identity_id,
            "sourceIp": [identity.source_ip],
            "username": identity.username or identity.access_key_id,
            "userArn": identity.user_arn,
            "cognitoIdentityAuthType": identity.cognito_identity_auth_type,
            "cognitoIdentityAuthProvider": None,  # the login behind the pool identity is not known locally
        }
    return {"resolverContext": dict(identity.resolver_context)}

