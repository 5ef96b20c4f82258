"""Does a role admit this caller? The per-provider tests every generated check shares.

A request is judged only by the roles of its own provider (``$util.authType()`` selects one
branch of the template): API key and Lambda roles admit any caller of that mode, IAM roles compare
the caller's ARN with the auth or unauth role (admin roles pass everything), user-pool and OIDC
callers are tried against ``private`` first, then static groups, then owner and dynamic-group
roles, which look at an item (or the input, or the subscription's arguments).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from emulator.apimodel import Provider
from emulator.auth.claims import (
    IamRoles,
    dynamic_groups,
    owner_identity,
    provider_of,
    static_groups_in_token,
    token_has_group,
)
from emulator.auth.identity import Identity
from emulator.auth.rules_acm import Role

JWT_PROVIDERS: tuple[Provider, ...] = ("userPools", "oidc")


@dataclass(frozen=True)
class Caller:
    """The identity with its provider and the IAM role ARNs to compare with."""

    identity: Identity
    provider: Provider
    iam: IamRoles

    @classmethod
    def of(cls, identity: Identity | None, iam: IamRoles) -> Caller | None:
        provider = provider_of(identity)
        return None if identity is None or provider is None else cls(identity, provider, iam)

    @property
    def uses_tokens(self) -> bool:
        """User pools and OIDC: the modes whose rules look at claims."""
        return self.provider in JWT_PROVIDERS

    @property
    def is_admin(self) -> bool:
        """An IAM admin role (Amplify's ``adminRoles``): every check passes."""
        return self.provider == "identityPool" and self.iam.is_admin(self.identity)

    def own(self, roles: Iterable[Role]) -> tuple[Role, ...]:
        """The roles of the caller's provider, in rule order."""
        return tuple(r for r in roles if r.provider == self.provider)

    def holds_static(self, role: Role) -> bool:
        """A static role (public, private, static group, IAM role, Lambda) admits the caller."""
        if role.provider in ("apiKey", "function"):
            return True
        if role.provider == "identityPool":
            return self.iam.holds(self.identity, role.claim)
        if role.strategy == "private":
            return True
        return token_has_group(static_groups_in_token(self.identity, role.claim or ""), role.entity or "")

    def owns(self, role: Role, stored: Any) -> bool:
        """An owner role: the stored owner value (or any entry of a list) is the caller."""
        owner = owner_identity(self.identity, role.claim or "")
        if role.entity_is_list:
            return owner.matches_any(stored)
        return owner.matches(stored)

    def in_group_of(self, role: Role, stored: Any) -> bool:
        """A dynamic-group role: one of the caller's groups is in the stored groups field."""
        groups = dynamic_groups(self.identity, role.claim or "")
        if role.entity_is_list:
            entries = stored if isinstance(stored, list | tuple) else ([] if stored is None else [stored])
            return any(group in entries for group in groups)
        return stored is not None and stored in groups

    def matches_dynamic(self, role: Role, item: Any) -> bool:
        """Owner or dynamic-group role against an item (a mapping)."""
        stored = item.get(role.entity) if hasattr(item, "get") else None
        return self.owns(role, stored) if role.strategy == "owner" else self.in_group_of(role, stored)


def static_first(roles: Iterable[Role]) -> tuple[Role, ...]:
    """The order the templates try roles: plain static roles (``private``, public, IAM, Lambda),
    static groups, then owner roles, then dynamic groups."""
    roles = tuple(roles)
    plain = [r for r in roles if r.static and r.strategy != "groups"]
    groups = [r for r in roles if r.static and r.strategy == "groups"]
    owners = [r for r in roles if r.strategy == "owner"]
    dynamic_groups_ = [r for r in roles if r.strategy == "groups" and not r.static]
    return (*plain, *groups, *owners, *dynamic_groups_)


def admitted_statically(caller: Caller, roles: Iterable[Role]) -> bool:
    """Any of the caller's static roles admits them (the query/subscription/delete test)."""
    return any(r.static and caller.holds_static(r) for r in caller.own(roles))


def dynamic_roles(caller: Caller, roles: Iterable[Role]) -> tuple[Role, ...]:
    """The caller's owner and dynamic-group roles (only user pools and OIDC have them)."""
    return tuple(r for r in caller.own(roles) if not r.static) if caller.uses_tokens else ()
