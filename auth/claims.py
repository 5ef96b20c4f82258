"""The caller as Amplify's generated resolvers see it: claims, owner values, groups, IAM roles.

Every rule check reads the caller through these few functions, so each reading quirk of the
generated VTL lives in one place:

* a ``username`` claim is ``claims.username`` falling back to ``claims["cognito:username"]``;
* a multi-part owner claim (v2's default ``sub::username``) is valid only when every part is
  present; it matches a stored owner equal to the joined value or to any single part;
* static groups use Java's ``contains`` on whatever the token holds (list membership, or a
  substring test when the claim is a string), dynamic groups parse a JSON-string claim first;
* IAM roles are compared with ``$ctx.identity.userArn`` in the form the pipeline's stash builds:
  ``arn:<partition>:sts::<account>:assumed-role/<role name>/CognitoIdentityCredentials``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from emulator.apimodel import Provider
from emulator.auth.iam import caller_arn
from emulator.auth.identity import AuthMode, Identity
from emulator.settings import IamSettings

CLAIM_DELIMITER = "::"
USERNAME_CLAIMS = ("username", "cognito:username")
V1_MISSING_IDENTITY = "___xamznone____"  # what v1 templates write when the claim is absent

_PROVIDERS: dict[AuthMode, Provider] = {
    AuthMode.API_KEY: "apiKey",
    AuthMode.AWS_LAMBDA: "function",
    AuthMode.AWS_IAM: "identityPool",
    AuthMode.AMAZON_COGNITO_USER_POOLS: "userPools",
    AuthMode.OPENID_CONNECT: "oidc",
}


def provider_of(identity: Identity | None) -> Provider | None:
    """The ``@auth`` provider whose rules apply to this caller (``$util.authType()``)."""
    return None if identity is None else _PROVIDERS[identity.mode]


def claim_value(identity: Identity, claim: str) -> Any:
    """One claim as the VTL reads it; ``username`` falls back to ``cognito:username``."""
    claims = identity.claims
    if claim == "username":
        value = claims.get("username")
        return value if value is not None else claims.get("cognito:username")
    return claims.get(claim)


@dataclass(frozen=True)
class OwnerIdentity:
    """The caller as one owner rule sees them.

    ``value`` is what create writes (``"<sub>::<username>"`` for a multi-part claim; None when a
    part is missing); ``parts`` are the single claims that also match a stored owner.
    """

    value: Any
    parts: tuple[Any, ...] = ()
    filter_values: tuple[Any, ...] = ()  # the auth filter's values: joined (when valid), then each part
    last_part: Any = None  # the subscription filter's value: the username of ``sub::username``

    def matches(self, stored: Any) -> bool:
        """``$ownerClaim == $entity || $ownerClaimsList.contains($entity)``."""
        if self.value is None:
            return False
        return stored == self.value or stored in self.parts

    def matches_any(self, stored: Any) -> bool:
        """A list-typed owner field: any entry matches (a scalar is treated as one entry)."""
        if stored is None:
            return False
        entries = stored if isinstance(stored, list | tuple) else [stored]
        return any(self.matches(entry) for entry in entries)


def owner_identity(identity: Identity, claim: str) -> OwnerIdentity:
    """Build the owner values of ``claim`` (``"sub::username"``, ``"username"``, ``"email"`` …)."""
    names = claim.split(CLAIM_DELIMITER)
    values = tuple(claim_value(identity, name) for name in names)
    if len(names) == 1:
        single = values[0]
        return OwnerIdentity(single, (), (single,) if single is not None else (), single)
    valid = all(v is not None for v in values)
    joined = CLAIM_DELIMITER.join(str(v) for v in values) if valid else None
    present = tuple(v for v in values if v is not None)
    return OwnerIdentity(
        value=joined,
        parts=values if valid else (),
        filter_values=((joined,) if valid else ()) + present,
        last_part=values[-1] if valid else None,
    )


def v1_owner_value(identity: Identity, claim: str) -> Any:
    """v1's ``$identityValue``: the claim (username chain for username claims) or the none marker."""
    name = "username" if claim in USERNAME_CLAIMS else claim
    value = claim_value(identity, name)
    return V1_MISSING_IDENTITY if value is None else value


def display_owner(value: Any) -> Any:
    """The owner field resolver's output: the last ``::`` segment (``sub::user`` → ``user``)."""
    if isinstance(value, list | tuple):
        return [_last_segment(v) if isinstance(v, str) else v for v in value]
    return _last_segment(value) if isinstance(value, str) else value


def _last_segment(value: str) -> str:
    parts = value.split(CLAIM_DELIMITER)
    while len(parts) > 1 and parts[-1] == "":  # Java's split drops trailing empty strings
        parts.pop()
    return parts[-1]


def static_groups_in_token(identity: Identity, claim: str) -> Any:
    """``$util.defaultIfNull($ctx.identity.claims.get(claim), [])``."""
    value = identity.claims.get(claim)
    return [] if value is None else value


def token_has_group(groups_in_token: Any, group: str) -> bool:
    """Java's ``contains``: list membership, or a substring test on a string claim."""
    if isinstance(groups_in_token, str):
        return group in groups_in_token
    if isinstance(groups_in_token, list | tuple | set | frozenset):
        return group in groups_in_token
    return False


def dynamic_groups(identity: Identity, claim: str) -> list[Any]:
    """The token's groups for a dynamic-group rule: a JSON-string claim is parsed, a plain
    string becomes a one-item list."""
    value = static_groups_in_token(identity, claim)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [value]
    return list(value) if isinstance(value, list | tuple) else []


def list_claim(identity: Identity, claim: str) -> list[Any]:
    """A claim iterated with ``#foreach`` without parsing: only a real list yields entries."""
    value = identity.claims.get(claim)
    return list(value) if isinstance(value, list | tuple) else []


@dataclass(frozen=True)
class IamRoles:
    """The stash's ``authRole``/``unauthRole``/``adminRoles`` built from the IAM settings."""

    auth_role: str
    unauth_role: str
    admin_role_names: tuple[str, ...] = ()
    # Gen 2 (Amplify's enableIamAccess): an IAM principal outside the identity pool passes every rule
    generic_access: bool = False

    @classmethod
    def from_settings(cls, iam: IamSettings, generic_access: bool = False) -> IamRoles:
        return cls(caller_arn(iam.auth_role_arn), caller_arn(iam.unauth_role_arn), tuple(iam.admin_role_names),
                   generic_access)

    def role_arn(self, claim: str | None) -> str:
        """The ARN an IAM role compares with: ``authRole`` (private) or ``unauthRole`` (public)."""
        return self.auth_role if claim == "authRole" else self.unauth_role

    def holds(self, identity: Identity, claim: str | None) -> bool:
        """``$ctx.identity.userArn == $ctx.stash.<claim>``."""
        return identity.user_arn is not None and identity.user_arn == self.role_arn(claim)

    def is_admin(self, identity: Identity) -> bool:
        """An admin role: the caller's ARN names one of ``admin_role_names`` as its role.

        As the VTL does, the name is anchored as ``:assumed-role/<name>/`` in the ARN with a
        trailing slash; ``:role/<name>/`` (a role ARN given as the caller) is accepted too. The
        auth and unauth roles are never admins. With generic IAM access (Gen 2), so is every IAM
        caller that is not a user of the identity pool (``isNonCognitoIAMPrincipal``: no
        ``cognitoIdentityPoolId`` and no ``cognitoIdentityId``).
        """
        if self.generic_access and identity.cognito_identity_pool_id is None and identity.cognito_identity_id is None:
            return True
        arn = identity.user_arn
        if not arn or not self.admin_role_names or arn in (self.auth_role, self.unauth_role):
            return False
        padded = arn + "/"
        return any(
            f":assumed-role/{name}/" in padded or f":role/{name}/" in padded for name in self.admin_role_names
        )

