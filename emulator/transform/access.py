"""Which auth providers may run each model operation, field by field (Amplify's access matrix).

A role is one rule's identity (``public`` via apiKey, an owner field, one static group...). Model
rules grant a role operations on every field; a field-level ``@auth`` first withdraws every role
from that field, then grants its own rules there. A role may run an operation when it holds it on
some field, except ``delete``, which needs every field. The ``@aws_*`` directives follow from that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.apimodel import AuthRule, Operation, Provider


@dataclass(frozen=True)
class Role:
    key: str
    provider: Provider
    strategy: str
    entity: str | None = None  # owner field, groups field or static group name
    static: bool = True


def roles_of(model: str, rule: AuthRule) -> list[Role]:
    """The roles one rule creates (a static-groups rule makes one role per group)."""
    if rule.allow == "groups" and rule.groups_field is None:
        return [Role(f"{model}:{rule.provider}:staticGroup:{group}:{rule.group_claim}", rule.provider, "groups", group)
                for group in rule.groups]
    if rule.provider == "apiKey":
        return [Role(f"{model}:apiKey:public", "apiKey", rule.allow)]
    if rule.provider == "function":
        return [Role(f"{model}:function:custom", "function", rule.allow)]
    if rule.provider == "identityPool":
        return [Role(f"{model}:iam:{rule.allow}", "identityPool", rule.allow)]
    if rule.allow == "groups":
        return [Role(f"{model}:{rule.provider}:dynamicGroup:{rule.groups_field}:{rule.group_claim}", rule.provider,
                     "groups", rule.groups_field, static=False)]
    if rule.allow == "owner":
        return [Role(f"{model}:{rule.provider}:owner:{rule.owner_field}:{rule.identity_claim}", rule.provider,
                     "owner", rule.owner_field, static=False)]
    return [Role(f"{model}:{rule.provider}:{rule.allow}", rule.provider, rule.allow)]


@dataclass
class AccessMatrix:
    """Roles x fields x operations for one model (or one non-model field)."""

    name: str
    resources: list[str]
    roles: dict[str, Role] = field(default_factory=dict)
    grants: dict[str, dict[str, set[Operation]]] = field(default_factory=dict)

    def grant(self, rules: tuple[AuthRule, ...], resource: str | None = None) -> None:
        for rule in rules:
            for role in roles_of(self.name, rule):
                self.roles.setdefault(role.key, role)
                per_resource = self.grants.setdefault(role.key, {r: set() for r in self.resources})
                for target in ([resource] if resource is not None else self.resources):
                    per_resource.setdefault(target, set()).update(rule.operations)

    def withdraw(self, resource: str) -> None:
        for per_resource in self.grants.values():
            per_resource[resource] = set()

    def roles_for(self, operation: Operation) -> list[Role]:
        """Roles that may run ``operation`` (delete: only roles holding it on every field)."""
        chosen = []
        for key, per_resource in self.grants.items():
            holds = [operation in per_resource.get(r, set()) for r in self.resources] or [False]
            if (all(holds) if operation == "delete" else any(holds)):
                chosen.append(self.roles[key])
        return chosen

    def providers_for(self, operation: Operation) -> list[Provider]:
        return _unique(role.provider for role in self.roles_for(operation))

    @property
    def providers(self) -> list[Provider]:
        return _unique(role.provider for role in self.roles.values())

    def allows(self, role: Role, resource: str, operation: Operation) -> bool:
        return operation in self.grants.get(role.key, {}).get(resource, set())


def _unique(providers: object) -> list[Provider]:
    seen: list[Provider] = []
    for provider in providers:  # type: ignore[attr-defined]
        if provider not in seen:
            seen.append(provider)
    return seen


_DIRECTIVE_ORDER: tuple[tuple[Provider, str], ...] = (
    ("apiKey", "@aws_api_key"),
    ("identityPool", "@aws_iam"),
    ("oidc", "@aws_oidc"),
    ("userPools", "@aws_cognito_user_pools"),
    ("function", "@aws_lambda"),
)


def service_directives(providers: list[Provider], default: Provider, add_default: bool = False) -> list[str]:
    """AppSync directives for a node reachable by ``providers`` (API default mode ``default``), as
    Amplify's ``getServiceDirectives`` places them.

    Every non-default provider gets its directive. The default provider's directive goes next to
    another one, because any explicit directive turns off AppSync's implicit default access: when
    ``providers`` include it, or when the caller asks (``add_default``: an operation no rule grants
    while IAM reaches every node, a nested type seen a second time).
    """
    if not any(p != default for p in providers):
        return []
    chosen = set(providers) - {default}
    if add_default or default in providers:
        chosen.add(default)
    return [directive for provider, directive in _DIRECTIVE_ORDER if provider in chosen]
