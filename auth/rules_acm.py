"""Roles and the access-control matrix: which rule grants which operation on which field.

Amplify turns every ``@auth`` rule into a *role* (``userPools:owner:owner:sub::username``,
``apiKey:public``, ``userPools:staticGroup:Admin:cognito:groups`` …) and records, per role, the
operations it has on each field of the model (model rules grant every field; a field's own rules
first clear that field for every role, then grant it to theirs). Every generated check is derived
from that matrix, and so is ours:

* reads use the roles having the operation on *some* field;
* create lists, per role, the fields it may set (all fields: "authorized on all fields");
* update adds the fields it may null (the ``delete`` operation) and admits ``delete``-only roles;
* delete admits only roles with ``delete`` on *every* field;
* a field gets its own read check when some reading role cannot read it.

``ModelAuth`` precomputes all of that once per model, so a request only evaluates the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from emulator.apimodel import AuthRule, ModelSpec, Operation, Provider, Strategy, TransformerVersion

READ_OPERATIONS: tuple[Operation, ...] = ("get", "list", "search", "listen", "sync")
MODEL_OPERATIONS: tuple[Operation, ...] = ("create", "update", "delete", *READ_OPERATIONS)


@dataclass(frozen=True)
class Role:
    """One grantee: a provider plus strategy, and for dynamic roles the field they look at."""

    name: str
    provider: Provider
    strategy: Strategy
    static: bool
    claim: str | None = None  # owner identity claim, group claim, or "authRole"/"unauthRole" (IAM)
    entity: str | None = None  # owner field, groups field, or the static group's name
    entity_is_list: bool = False


@dataclass(frozen=True)
class RoleGrant:
    """A role's reach for a write: the input fields it may set and null, or all of them."""

    role: Role
    full: bool
    allowed: tuple[str, ...] = ()
    null_allowed: tuple[str, ...] = ()


def roles_of_rule(rule: AuthRule, model: ModelSpec) -> list[Role]:
    """Amplify's role names and definitions for one rule (``convertRulesToRoles``)."""
    if rule.allow == "groups" and rule.groups_field is None:
        return [
            Role(f"{rule.provider}:staticGroup:{group}:{rule.group_claim}", rule.provider, "groups", True,
                 rule.group_claim, group)
            for group in rule.groups
        ]
    if rule.provider == "apiKey":
        return [Role("apiKey:public", "apiKey", rule.allow, True)]
    if rule.provider == "function":
        return [Role("function:custom", "function", rule.allow, True)]
    if rule.provider == "identityPool":
        claim = "authRole" if rule.allow == "private" else "unauthRole"
        return [Role(f"iam:{rule.allow}", "identityPool", rule.allow, True, claim)]
    if rule.allow == "groups":
        groups_field = rule.groups_field or "groups"
        return [Role(f"{rule.provider}:dynamicGroup:{groups_field}:{rule.group_claim}", rule.provider, "groups",
                     False, rule.group_claim, groups_field, _is_list(model, groups_field))]
    if rule.allow == "owner":
        return [Role(f"{rule.provider}:owner:{rule.owner_field}:{rule.identity_claim}", rule.provider, "owner",
                     False, rule.identity_claim, rule.owner_field, _is_list(model, rule.owner_field))]
    return [Role(f"{rule.provider}:{rule.allow}", rule.provider, rule.allow, True)]


def _is_list(model: ModelSpec, field_name: str) -> bool:
    spec = model.fields.get(field_name)
    return spec is not None and spec.is_list


@dataclass(frozen=True)
class AccessMatrix:
    """role name → field → operations, with the roles in rule order."""

    roles: tuple[Role, ...]
    resources: tuple[str, ...]
    grants: Mapping[str, Mapping[str, frozenset[str]]]

    def allows(self, role: Role, resource: str, operation: str) -> bool:
        return operation in self.grants[role.name].get(resource, frozenset())

    def fields_for(self, role: Role, operation: str) -> tuple[str, ...]:
        return tuple(r for r in self.resources if self.allows(role, r, operation))

    def roles_for(self, operation: str, every_field: bool = False) -> tuple[Role, ...]:
        """Roles with ``operation`` on some field (on every field when ``every_field``)."""
        test = all if every_field else any
        return tuple(r for r in self.roles if test(self.allows(r, f, operation) for f in self.resources))


def build_matrix(model: ModelSpec) -> AccessMatrix | None:
    """The model's matrix; None when neither the model nor any field has ``@auth``."""
    field_rules = [(name, spec.auth_rules) for name, spec in model.fields.items() if spec.auth_rules is not None]
    if model.auth_rules is None and not field_rules:
        return None
    resources = tuple(dict.fromkeys([*model.fields, *model.relations]))
    roles: dict[str, Role] = {}
    grants: dict[str, dict[str, frozenset[str]]] = {}
    for rule in model.auth_rules or ():
        for role in roles_of_rule(rule, model):
            roles.setdefault(role.name, role)
            grants[role.name] = {resource: frozenset(rule.operations) for resource in resources}
    for field_name, rules in field_rules:
        for per_role in grants.values():
            per_role[field_name] = frozenset()
        for rule in rules or ():
            for role in roles_of_rule(rule, model):
                roles.setdefault(role.name, role)
                grants.setdefault(role.name, {})[field_name] = frozenset(rule.operations)
    frozen = {name: dict(per_role) for name, per_role in grants.items()}
    return AccessMatrix(tuple(roles.values()), resources, frozen)


@dataclass(frozen=True)
class ModelAuth:
    """Everything the rules need about one model, computed once."""

    model: ModelSpec
    version: TransformerVersion
    matrix: AccessMatrix | None
    reads: Mapping[str, tuple[Role, ...]] = field(default_factory=dict)
    creates: tuple[RoleGrant, ...] = ()
    updates: tuple[RoleGrant, ...] = ()
    deletes: tuple[Role, ...] = ()
    protected_fields: Mapping[str, tuple[Role, ...]] = field(default_factory=dict)
    owner_display_fields: frozenset[str] = frozenset()
    subscriptions_on: bool = True
    populate_owner: bool = True  # fill in owner fields of a create already authorized (static group)

    @property
    def has_auth(self) -> bool:
        return self.matrix is not None


def model_auth(model: ModelSpec, version: TransformerVersion, generated: Iterable[str] = (),
               populate_owner: bool = True) -> ModelAuth:
    """Precompute a model's role plans; ``generated`` are fields the transform adds to inputs
    (relation keys) that every writing role may set."""
    subscriptions_on = _subscriptions_on(model)
    matrix = build_matrix(model)
    if matrix is None:
        return ModelAuth(model, version, None, subscriptions_on=subscriptions_on)
    extra = tuple(generated)
    return ModelAuth(
        model=model,
        version=version,
        matrix=matrix,
        reads={op: matrix.roles_for(op) for op in READ_OPERATIONS},
        creates=_create_grants(matrix, model, extra),
        updates=_update_grants(matrix, model, extra),
        deletes=matrix.roles_for("delete", every_field=True),
        protected_fields=_protected_fields(matrix),
        owner_display_fields=_owner_display_fields(matrix) if version == "v2" else frozenset(),
        subscriptions_on=subscriptions_on,
        populate_owner=populate_owner or version == "v1",
    )


def _subscriptions_on(model: ModelSpec) -> bool:
    """``@model(subscriptions: {level: on})``, the default: protected fields read as null in
    mutation results. Without the level, a spec naming no root field at all counts as on."""
    level = getattr(model, "subscription_level", None)
    if level is not None:
        return level == "on"
    ops = model.operations
    named = (ops.get, ops.list, ops.create, ops.update, ops.delete, ops.on_create, ops.on_update, ops.on_delete)
    return any((ops.on_create, ops.on_update, ops.on_delete)) or not any(named)


def _with_generated(model: ModelSpec, allowed: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    """Amplify's ``addAutoGeneratedFields``: relation keys, and composite sort keys when every
    part is allowed."""
    fields = list(dict.fromkeys([*allowed, *extra]))
    for key in (model.primary_key, *(index.key for index in model.indexes)):
        if key.is_composite and all(part in fields for part in key.sort) and key.sort_attribute:
            fields.append(key.sort_attribute)
    return tuple(dict.fromkeys(fields))


def _create_grants(matrix: AccessMatrix, model: ModelSpec, extra: tuple[str, ...]) -> tuple[RoleGrant, ...]:
    grants = []
    for role in matrix.roles_for("create"):
        allowed = matrix.fields_for(role, "create")
        grants.append(RoleGrant(role, len(allowed) == len(matrix.resources), _with_generated(model, allowed, extra)))
    return tuple(grants)


def _update_grants(matrix: AccessMatrix, model: ModelSpec, extra: tuple[str, ...]) -> tuple[RoleGrant, ...]:
    roles = dict.fromkeys([*matrix.roles_for("update"), *matrix.roles_for("delete")])
    grants = []
    for role in roles:
        allowed = matrix.fields_for(role, "update")
        nullable = matrix.fields_for(role, "delete")
        full = len(allowed) == len(matrix.resources) and len(nullable) == len(matrix.resources)
        with_key = (*allowed, model.primary_key.partition)
        grants.append(RoleGrant(role, full, _with_generated(model, with_key, extra), nullable))
    return tuple(grants)


def _protected_fields(matrix: AccessMatrix) -> dict[str, tuple[Role, ...]]:
    """Fields that get a read check, with the roles that may read them.

    Amplify starts from the ``get`` roles (it means all read roles, but spreads several lists
    into one ``Set`` constructor, which keeps only the first), narrows user-pool/OIDC roles to
    ``private`` where that role reads the field fully, and protects the field when some of those
    roles cannot read it.
    """
    read_roles = matrix.roles_for(READ_OPERATIONS[0])
    protected = {}
    for resource in matrix.resources:
        candidates = _narrow_to_private(matrix, read_roles, resource)
        readers = tuple(r for r in candidates if any(matrix.allows(r, resource, op) for op in READ_OPERATIONS))
        if len(readers) < len(candidates):
            protected[resource] = readers
    return protected


def _narrow_to_private(matrix: AccessMatrix, roles: tuple[Role, ...], resource: str) -> tuple[Role, ...]:
    kept = roles
    for provider in ("userPools", "oidc"):
        private = next((r for r in roles if r.provider == provider and r.strategy == "private"), None)
        if private and all(matrix.allows(private, resource, op) for op in READ_OPERATIONS):
            kept = tuple(r for r in kept if r.provider != provider or r is private)
    return kept


def _owner_display_fields(matrix: AccessMatrix) -> frozenset[str]:
    """Owner fields whose claim has several parts: clients see only the last (``username``)."""
    return frozenset(
        r.entity for r in matrix.roles if r.strategy == "owner" and r.entity and "::" in (r.claim or "")
    )
