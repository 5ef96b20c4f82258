"""The version-neutral plan of each model, which the v1 and v2 front-ends both produce.

A front-end reads its directives (``@primaryKey``/``@index`` or ``@key``; ``@hasMany``... or
``@connection``) and says *what* each model is: its fields and where each came from, its keys,
indexes, relations, operations and auth rules. One generator then writes the AppSync schema and
the ``ApiModel`` from plans, with the few real v1/v2 differences as explicit ``Dialect`` flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from emulator.apimodel import (
    AuthRule,
    IndexSpec,
    KeyAttributeType,
    KeySpec,
    ModelOperations,
    RelationSpec,
    SyncSpec,
    TransformerVersion,
)
from emulator.transform.document import Argument
from emulator.transform.parse import ObjectDef, TypeRef

#: Where a model field came from; this decides which generated inputs it appears in.
#: declared: written in the schema; relation: a field with a relational directive;
#: id: the implicit ``id: ID!``; fk: a foreign key added on the type (v2 relations);
#: hidden_fk: a foreign key that only exists in create/update inputs (v1 named @connection);
#: timestamp: implicit createdAt/updatedAt; owner: an owner field added by @auth.
FieldRole = Literal["declared", "relation", "id", "fk", "hidden_fk", "timestamp", "owner"]

#: What a field's named type is ("abstract": a union or interface, which no input can hold).
FieldKind = Literal["scalar", "enum", "object", "model", "abstract"]


@dataclass(frozen=True)
class FieldPlan:
    name: str
    type: TypeRef  # as printed on the model type (relation fields: the connection or related type)
    role: FieldRole
    kind: FieldKind
    args: tuple[Argument, ...] = ()
    create_non_null: bool = False  # foreign keys: required in the create input (follows the relation field)
    directives: tuple[str, ...] = ()  # AppSync directives the user wrote on the field (``@aws_*``, ``@deprecated``)
    # Amplify lists a hasMany key on the child in its filter and condition inputs but not in its
    # subscription filter (it goes to the parent's instead); hasOne/belongsTo keys are in all three.
    in_subscription_filter: bool = True


@dataclass(frozen=True)
class SubscriptionPlan:
    """``@model(subscriptions:)``: level and the subscription field names per mutation kind."""

    level: Literal["off", "public", "on"] = "on"
    on_create: tuple[str, ...] = ()
    on_update: tuple[str, ...] = ()
    on_delete: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexQuery:
    """A Query field that reads an index (or the table's primary key, when ``index`` is None)."""

    name: str
    index: str
    key: KeySpec


@dataclass(frozen=True)
class ModelPlan:
    name: str
    source: ObjectDef | None  # None for generated models (the @manyToMany join model)
    fields: tuple[FieldPlan, ...]
    primary_key: KeySpec
    operations: ModelOperations
    subscriptions: SubscriptionPlan
    indexes: tuple[IndexSpec, ...] = ()
    relations: tuple[RelationSpec, ...] = ()
    created_at: str | None = "createdAt"
    updated_at: str | None = "updatedAt"
    auth_rules: tuple[AuthRule, ...] | None = None
    field_auth: dict[str, tuple[AuthRule, ...]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    key_types: dict[str, KeyAttributeType] = field(default_factory=dict)
    declares_id: bool = True  # the schema (or the implicit id) gives the type an ``id`` field
    has_key_directive: bool = False  # @primaryKey / primary @key: get/list take the key fields
    extra_subscription_filters: tuple[tuple[str, str], ...] = ()  # (field, input type) added by relations
    # keys written with @primaryKey/@index/@key as (index name or None for the table, key): each gets its
    # sort-key condition input whether or not a query uses it
    declared_keys: tuple[tuple[str | None, KeySpec], ...] = ()
    sync: SyncSpec | None = None  # DataStore conflict detection (emulator.transform.sync)

    def field(self, name: str) -> FieldPlan | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def index_queries(self) -> tuple[IndexQuery, ...]:
        return tuple(IndexQuery(i.query_field, i.name, i.key) for i in self.indexes if i.query_field)


@dataclass(frozen=True)
class Dialect:
    """The generated-schema differences between v1 and v2 (transformer-semantics.md, last table)."""

    version: TransformerVersion
    implicit_fields_in_filters: bool  # v2 lists the implicit id/createdAt/updatedAt in filter and condition inputs
    subscription_filters: bool  # v2: ``filter: ModelSubscriptionXFilterInput`` on subscriptions
    index_partition_required: bool  # v2: ``postsByTitle(title: String!)``; v1: nullable
    owner_fields_in_filters: bool  # v2 adds owner fields to filter/condition inputs

    @classmethod
    def of(cls, version: TransformerVersion) -> Dialect:
        v2 = version == "v2"
        return cls(version, v2, v2, v2, v2)
