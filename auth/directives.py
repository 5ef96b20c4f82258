"""AppSync's ``@aws_*`` directive check: may this auth mode reach this field at all?

AppSync decides before any resolver runs, field by field, from the schema alone:

* a field's own ``@aws_*`` directives win over its type's; a node with none of them inherits
  from its type, and a type with none admits only the API's default mode (any explicit directive
  therefore shuts the default mode out unless it is listed too);
* ``@aws_cognito_user_pools(cognito_groups: [...])`` and the legacy ``@aws_auth(cognito_groups:
  [...])`` admit only user-pool callers in one of the groups;
* a Lambda authorizer's ``deniedFields`` (``Type.field`` or the field's ARN) deny those fields;
* an IAM caller whose role's policy grants only some root types (a Gen 2 function's
  ``allow.resource(fn).to(['query'])``) is denied the top-level fields of the others.

This runs for every field of every request, so the schema is read once into a ``DirectiveTable``
(cached on the schema object, per default mode) and a request costs a dict lookup per field.
``directive_guard(schema, default_mode)`` is the ``FieldGuard`` the execution layer applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    StringValueNode,
)

from emulator.auth.identity import AuthMode, Identity

MODE_DIRECTIVES: dict[str, AuthMode] = {mode.directive: mode for mode in AuthMode}
CACHE_KEY = "appsync_emulator.directive_tables"

FieldGuard = Callable[[str, str, Identity | None], bool]


@dataclass(frozen=True)
class FieldAccess:
    """The modes admitted to a field; user-pool callers may further need one of ``groups``."""

    modes: frozenset[AuthMode]
    groups: frozenset[str] | None = None  # None: any user-pool caller

    def admits(self, identity: Identity) -> bool:
        if identity.mode not in self.modes:
            return False
        if identity.mode == AuthMode.AMAZON_COGNITO_USER_POOLS and self.groups is not None:
            return not self.groups.isdisjoint(_caller_groups(identity))
        return True


def _caller_groups(identity: Identity) -> tuple[str, ...]:
    if identity.groups:
        return identity.groups
    claimed = identity.claims.get("cognito:groups")
    if isinstance(claimed, str):
        return (claimed,)
    return tuple(str(g) for g in claimed) if isinstance(claimed, list | tuple) else ()


def access_of(directives: Iterable[DirectiveNode]) -> FieldAccess | None:
    """The access a node's ``@aws_*`` directives grant; None when it has none of them."""
    modes: set[AuthMode] = set()
    groups: set[str] = set()
    any_user_pool_user = False
    for directive in directives:
        name = directive.name.value
        if name == "aws_auth":
            modes.add(AuthMode.AMAZON_COGNITO_USER_POOLS)
            groups.update(_cognito_groups(directive))
            continue
        mode = MODE_DIRECTIVES.get(name)
        if mode is None:
            continue
        modes.add(mode)
        if name == "aws_cognito_user_pools":
            named = _cognito_groups(directive)
            groups.update(named)
            any_user_pool_user = any_user_pool_user or not named
    if not modes:
        return None
    restricted = AuthMode.AMAZON_COGNITO_USER_POOLS in modes and not any_user_pool_user
    return FieldAccess(frozenset(modes), frozenset(groups) if restricted else None)


def _cognito_groups(directive: DirectiveNode) -> tuple[str, ...]:
    for argument in directive.arguments or ():
        if argument.name.value != "cognito_groups":
            continue
        value = argument.value
        if isinstance(value, ListValueNode):
            return tuple(v.value for v in value.values if isinstance(v, StringValueNode))
        if isinstance(value, StringValueNode):
            return (value.value,)
        if isinstance(value, BooleanValueNode):
            return ()
    return ()


def type_directives(parent_type: GraphQLObjectType) -> list[DirectiveNode]:
    """Directives of a type, from its definition and any ``extend type``."""
    nodes = [parent_type.ast_node, *(parent_type.extension_ast_nodes or ())]
    return [d for node in nodes if node is not None for d in (node.directives or ())]


def field_access(field: GraphQLField, parent_type: GraphQLObjectType, default_mode: AuthMode) -> FieldAccess:
    """The access AppSync gives ``parent_type.field``: the field's, else the type's, else the default."""
    own = access_of(field.ast_node.directives or ()) if field.ast_node is not None else None
    if own is not None:
        return own
    inherited = access_of(type_directives(parent_type))
    return inherited if inherited is not None else FieldAccess(frozenset({default_mode}))


def denied_by_lambda(identity: Identity, parent: str, field_name: str) -> bool:
    """A Lambda authorizer's ``deniedFields``: ``Type.field`` or ``…/types/Type/fields/field``."""
    if identity.mode != AuthMode.AWS_LAMBDA or not identity.denied_fields:
        return False
    denied = identity.denied_fields
    return f"{parent}.{field_name}" in denied or any(
        entry.endswith(f"/types/{parent}/fields/{field_name}") for entry in denied
    )


ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})


def denied_by_iam_policy(identity: Identity, parent: str) -> bool:
    """An IAM caller reaching a top-level field of a root type its role's policy does not grant."""
    allowed = identity.iam_root_types
    return identity.mode == AuthMode.AWS_IAM and allowed is not None and parent in ROOT_TYPES and parent not in allowed


def check_field(
    field: GraphQLField, parent_type: GraphQLObjectType, default_mode: AuthMode | str, identity: Identity | None
) -> bool:
    """Whether ``identity`` may resolve ``parent_type.field`` (uncached; see ``DirectiveTable``)."""
    if identity is None:
        return False
    name = field.ast_node.name.value if field.ast_node is not None else _name_in(parent_type, field)
    if denied_by_lambda(identity, parent_type.name, name) or denied_by_iam_policy(identity, parent_type.name):
        return False
    return field_access(field, parent_type, AuthMode(default_mode)).admits(identity)


def _name_in(parent_type: GraphQLObjectType, field: GraphQLField) -> str:
    return next((name for name, candidate in parent_type.fields.items() if candidate is field), "")


@dataclass(frozen=True)
class DirectiveTable:
    """``(type, field) → FieldAccess`` for every object type of a schema."""

    default_mode: AuthMode
    fields: Mapping[tuple[str, str], FieldAccess]

    @classmethod
    def build(cls, schema: GraphQLSchema, default_mode: AuthMode | str) -> DirectiveTable:
        mode = AuthMode(default_mode)
        table = {
            (type_name, field_name): field_access(gql_field, gql_type, mode)
            for type_name, gql_type in schema.type_map.items()
            if isinstance(gql_type, GraphQLObjectType) and not type_name.startswith("__")
            for field_name, gql_field in gql_type.fields.items()
        }
        return cls(mode, table)

    @classmethod
    def for_schema(cls, schema: GraphQLSchema, default_mode: AuthMode | str) -> DirectiveTable:
        """The schema's table for ``default_mode``, built on first use and kept on the schema."""
        mode = AuthMode(default_mode)
        extensions = schema.extensions if schema.extensions is not None else {}
        tables = extensions.setdefault(CACHE_KEY, {})
        if mode not in tables:
            tables[mode] = cls.build(schema, mode)
        if schema.extensions is None:
            schema.extensions = extensions
        return tables[mode]

    def allows(self, parent: str, field_name: str, identity: Identity | None) -> bool:
        """The per-field check: unknown fields (introspection) are allowed."""
        if identity is None:
            return False
        access = self.fields.get((parent, field_name))
        if access is None:
            return True
        return (access.admits(identity) and not denied_by_lambda(identity, parent, field_name)
                and not denied_by_iam_policy(identity, parent))


def directive_guard(schema: GraphQLSchema, default_mode: str) -> FieldGuard:
    """The execution layer's ``FieldGuard`` for this schema and default mode."""
    return DirectiveTable.for_schema(schema, default_mode).allows
