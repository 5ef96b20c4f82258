"""``@auth`` schema effects: owner fields, subscription arguments, hidden subscription-filter
fields and the ``@aws_*`` directives on models, root fields and connection types.

``ModelAuth`` answers those questions for one model from its access matrix; sandbox mode and
models without rules are handled here too, so the generator only asks and places.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.apimodel import AuthRule, Operation, Provider, TransformerVersion
from emulator.transform.access import AccessMatrix, Role, service_directives
from emulator.transform.authrules import READ_OPERATIONS


@dataclass(frozen=True)
class ModelAuth:
    """Auth-driven schema changes for one model (``matrix`` None: the model has no ``@auth``)."""

    matrix: AccessMatrix | None
    default: Provider
    list_owner_fields: frozenset[str] = frozenset()
    no_auth_directives: tuple[str, ...] = ()  # sandbox: what a model without @auth gets everywhere
    version: TransformerVersion = "v2"
    rules: tuple[AuthRule, ...] = ()  # model-level rules
    iam_access: bool = False  # IAM reaches every node (admin roles, Gen 2): Amplify adds identityPool everywhere

    def _with_iam(self, providers: list[Provider]) -> list[Provider]:
        return [*providers, "identityPool"] if self.iam_access and "identityPool" not in providers else providers

    def type_directives(self, seen_before: bool = False) -> list[str]:
        """The model type's directives; ``seen_before``: for a nested type another walk reached first."""
        if self.matrix is None:
            return list(self.no_auth_directives)
        return service_directives(self._with_iam(self.matrix.providers), self.default, add_default=seen_before)

    def operation_directives(self, *operations: Operation) -> list[str]:
        """An operation's directives: the default mode's also when no rule grants the operation
        but IAM reaches every node (Amplify's ``shouldAddDefaultServiceDirective``)."""
        if self.matrix is None:
            return list(self.no_auth_directives)
        directives: list[str] = []
        for operation in operations:
            providers = self.matrix.providers_for(operation)
            unruled = not providers and self.iam_access
            for directive in service_directives(self._with_iam(providers), self.default, add_default=unruled):
                if directive not in directives:
                    directives.append(directive)
        return directives

    def owner_fields(self) -> list[str]:
        """Owner fields of every owner rule (added to the type as ``String`` when not declared)."""
        if self.matrix is None:
            return []
        return list(dict.fromkeys(r.entity for r in self.matrix.roles.values() if r.strategy == "owner" and r.entity))

    def subscription_arguments(self) -> list[tuple[str, bool]]:
        """Owner arguments of the model's subscriptions as ``(name, required)``.

        v2: every owner rule that may ``listen`` (list-typed owner fields excluded), optional.
        v1: only when no userPools public/private rule may read; required unless another rule
        (a second owner rule, static groups, public, private) could also authorize the caller.
        """
        if self.matrix is None:
            return []
        if self.version == "v1":
            return _v1_subscription_arguments(self.rules)
        names = [r.entity for r in self.matrix.roles_for("listen")
                 if r.strategy == "owner" and r.entity and r.entity not in self.list_owner_fields]
        return [(name, False) for name in dict.fromkeys(names)]

    def fields_hidden_from_readers(self) -> list[str]:
        """Fields some model reader may not read (they get a field resolver that can return null)."""
        if self.matrix is None:
            return []
        matrix = self.matrix
        readers = matrix.roles_for("get")
        hidden = []
        for resource in matrix.resources:
            field_readers = _readers_of_field(matrix, readers, resource)
            allowed = [r for r in field_readers if any(matrix.allows(r, resource, op) for op in READ_OPERATIONS)]
            if len(allowed) < len(field_readers):
                hidden.append(resource)
        return hidden

    def hidden_subscription_fields(self) -> set[str]:
        """Dynamic-auth fields AppSync filters on itself, so clients may not filter on them."""
        if self.matrix is None:
            return set()
        return {r.entity for r in self.matrix.roles.values()
                if not r.static and r.provider in ("userPools", "oidc") and r.entity}


def _readers_of_field(matrix: AccessMatrix, readers: list[Role], resource: str) -> list[Role]:
    """A private userPools/OIDC reader of a field stands in for every other role of its provider."""
    chosen = list(readers)
    for provider in ("userPools", "oidc"):
        private = next((r for r in readers if r.provider == provider and r.strategy == "private"), None)
        if private is not None and all(matrix.allows(private, resource, op) for op in READ_OPERATIONS):
            chosen = [r for r in chosen if r.provider != provider or r is private]
    return chosen


def _v1_subscription_arguments(rules: tuple[AuthRule, ...]) -> list[tuple[str, bool]]:
    readers = [r for r in rules if "listen" in r.operations]
    owners = [r for r in readers if r.allow == "owner"]
    static_groups = [r for r in readers if r.allow == "groups" and r.groups_field is None]
    if not (owners or static_groups) or any(r.provider == "userPools" and r.allow in ("public", "private")
                                            for r in readers):
        return []
    optional = len(owners) > 1 or bool(static_groups) or any(r.allow in ("public", "private") for r in readers)
    return [(name, not optional) for name in dict.fromkeys(r.owner_field for r in owners)]


def model_auth(name: str, resources: list[str], model_rules: tuple[AuthRule, ...] | None,
               field_rules: dict[str, tuple[AuthRule, ...]], default: Provider, list_fields: set[str],
               sandbox: bool, version: TransformerVersion = "v2", iam_access: bool = False) -> ModelAuth:
    """Build the access matrix of a model from its model-level and field-level rules."""
    if model_rules is None and not field_rules:
        no_auth = ("@aws_api_key",) if sandbox and default != "apiKey" else ()
        return ModelAuth(None, default, no_auth_directives=no_auth)
    matrix = AccessMatrix(name, list(resources))
    if model_rules:
        matrix.grant(model_rules)
    for field_name, rules in field_rules.items():
        matrix.withdraw(field_name)
        matrix.grant(rules, field_name)
    return ModelAuth(matrix, default, frozenset(list_fields), version=version, rules=model_rules or (),
                     iam_access=iam_access and version == "v2")


def field_directives(name: str, rules: tuple[AuthRule, ...], default: Provider, iam_access: bool = False) -> list[str]:
    """Directives for a non-model field with ``@auth`` (only static rules count there)."""
    static = tuple(r for r in rules if not r.is_dynamic)
    matrix = AccessMatrix(name, [name])
    matrix.grant(static, name)
    providers = matrix.providers
    if iam_access and "identityPool" not in providers:
        providers = [*providers, "identityPool"]
    return service_directives(providers, default)
