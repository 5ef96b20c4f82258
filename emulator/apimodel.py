"""The API model: what the schema transform learns from an Amplify schema.

The transform (``emulator.transform``) turns an Amplify schema into two things: the AppSync
schema text (``ApiModel.sdl``) and this plain, immutable description of models, keys, indexes,
relations, root fields and ``@auth`` rules. Everything downstream (execution, resolvers, auth
rules, subscriptions) reads only this description, never the Amplify directives themselves, so
v1 and v2 schemas meet in one shape and the version differences live in ``ApiModel.version``
and a few explicit flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TransformerVersion = Literal["v1", "v2"]

# Amplify @auth vocabulary, normalised: providers use the v2 names ("iam" becomes "identityPool").
Strategy = Literal["owner", "groups", "private", "public", "custom"]
Provider = Literal["userPools", "oidc", "identityPool", "apiKey", "function"]
# Operations after expansion: "read" is split into get/list/listen/sync/search (v2 semantics);
# v1's read is expanded the same way so one evaluator serves both versions.
Operation = Literal["create", "update", "delete", "get", "list", "listen", "sync", "search"]
ALL_OPERATIONS: tuple[Operation, ...] = ("create", "update", "delete", "get", "list", "listen", "sync", "search")

#: How a ``@function`` calls its Lambda: wait for the answer, or fire and forget (``.async()`` in Gen 2).
InvocationType = Literal["RequestResponse", "Event"]

RootKind = Literal["get", "list", "query", "search", "sync", "create", "update", "delete", "subscribe", "custom"]
RelationKind = Literal["hasMany", "hasOne", "belongsTo", "manyToMany"]

#: DynamoDB attribute type of a key attribute, from the GraphQL scalar.
KeyAttributeType = Literal["S", "N", "B"]


@dataclass(frozen=True)
class KeySpec:
    """A table or index key: one partition field and zero or more sort fields.

    With two or more sort fields the stored range attribute is the composite
    ``"a#b"`` attribute Amplify writes (value ``"<a>#<b>"``).
    """

    partition: str
    sort: tuple[str, ...] = ()

    @property
    def sort_attribute(self) -> str | None:
        """The DynamoDB attribute holding the sort key (composite name when several fields)."""
        if not self.sort:
            return None
        return "#".join(self.sort)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.partition, *self.sort)

    @property
    def is_composite(self) -> bool:
        return len(self.sort) > 1


@dataclass(frozen=True)
class IndexSpec:
    """A global secondary index (``@index`` / named ``@key`` / relation index)."""

    name: str
    key: KeySpec
    query_field: str | None = None  # the Query field that reads it, when one is generated


@dataclass(frozen=True)
class AuthRule:
    """One ``@auth`` rule with every default filled in (see transformer-semantics §2.1)."""

    allow: Strategy
    provider: Provider
    operations: tuple[Operation, ...] = ALL_OPERATIONS
    owner_field: str = "owner"
    identity_claim: str = "sub::username"  # v1 default is "username"
    groups: tuple[str, ...] = ()  # static groups
    groups_field: str | None = None  # dynamic groups
    group_claim: str = "cognito:groups"

    @property
    def is_dynamic(self) -> bool:
        """Owner and dynamic-group rules depend on the item, static ones only on the caller."""
        return self.allow == "owner" or (self.allow == "groups" and self.groups_field is not None)


@dataclass(frozen=True)
class FieldSpec:
    """A field of a model as stored and served."""

    name: str
    type_name: str  # the named GraphQL type (scalar, enum, or object)
    is_list: bool = False
    non_null: bool = False
    item_non_null: bool = False
    is_scalar: bool = True  # scalars and enums; False for object-typed fields (relations, nested types)
    auth_rules: tuple[AuthRule, ...] | None = None  # field-level @auth, None when the field has none


@dataclass(frozen=True)
class RelationSpec:
    """A relational field: how to find the related items from a source item.

    ``source_fields`` are read from the parent item; their values are matched, in order, against
    ``target_key`` of ``related_model`` (its primary key when ``index`` is None, else that GSI).
    ``hasMany``/``manyToMany`` return a connection; ``hasOne``/``belongsTo`` a single item.
    """

    kind: RelationKind
    field: str
    related_model: str
    source_fields: tuple[str, ...]
    target_key: KeySpec
    index: str | None = None
    limit: int = 100


@dataclass(frozen=True)
class ModelOperations:
    """Names of the root fields generated for a model (None when disabled by ``@model`` args)."""

    get: str | None = None
    list: str | None = None
    create: str | None = None
    update: str | None = None
    delete: str | None = None
    on_create: str | None = None
    on_update: str | None = None
    on_delete: str | None = None
    sync: str | None = None  # DataStore's ``syncX`` query, when conflict detection is on


@dataclass(frozen=True)
class SyncSpec:
    """DataStore conflict detection on a model: AppSync's versioned data source and ``SyncConfig``.

    Writes keep ``_version``/``_lastChangedAt``/``_deleted`` and a change log in the delta sync
    table; a write whose ``_version`` is not the stored one is a conflict, resolved by
    ``conflict_handler`` (``LAMBDA``: the function ``lambda_function``). TTLs in minutes, as
    Amplify configures the data source (``DeltaSyncTableTTL``, ``BaseTableTTL``).
    """

    conflict_handler: Literal["AUTOMERGE", "OPTIMISTIC_CONCURRENCY", "LAMBDA"] = "AUTOMERGE"
    lambda_function: str | None = None
    delta_sync_table_ttl: int = 30
    base_table_ttl: int = 43200
    # v2: the keys (``@primaryKey``: None, ``@index``: its name) a sync filter's leading ``eq`` may
    # turn into a Query instead of a Scan, as Amplify's sync preAuth slot does
    query_keys: tuple[tuple[str | None, KeySpec], ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    """A ``@model`` type: its table, keys, fields, relations and rules."""

    name: str
    primary_key: KeySpec
    fields: dict[str, FieldSpec]
    indexes: tuple[IndexSpec, ...] = ()
    relations: dict[str, RelationSpec] = field(default_factory=dict)
    operations: ModelOperations = ModelOperations()
    auth_rules: tuple[AuthRule, ...] | None = None  # None: the model has no @auth
    created_at: str | None = "createdAt"
    updated_at: str | None = "updatedAt"
    defaults: dict[str, object] = field(default_factory=dict)  # @default values by field
    key_types: dict[str, KeyAttributeType] = field(default_factory=dict)  # DynamoDB type of key attributes
    # @model(subscriptions: {level}): "public" subscriptions run no @auth checks, "off" has none at all.
    subscription_level: Literal["off", "public", "on"] = "on"
    sync: SyncSpec | None = None  # DataStore conflict detection (versioned writes, syncX, delta table)

    def index(self, name: str) -> IndexSpec:
        for candidate in self.indexes:
            if candidate.name == name:
                return candidate
        raise KeyError(f"model {self.name} has no index {name!r}")


@dataclass(frozen=True)
class RootField:
    """A Query/Mutation/Subscription field and what serves it."""

    parent: Literal["Query", "Mutation", "Subscription"]
    name: str
    kind: RootKind
    model: str | None = None
    index: str | None = None  # for kind == "query": the GSI name; None queries the table's primary key
    mutations: tuple[str, ...] = ()  # for kind == "subscribe": the @aws_subscribe mutations
    auth_rules: tuple[AuthRule, ...] | None = None  # for custom fields with @auth (static rules only)


@dataclass(frozen=True)
class SearchSpec:
    """A ``@searchable`` model's search query (``RootField`` kind ``search``)."""

    model: str
    query: str
    declared_fields: tuple[str, ...] = ()  # fields written in the schema (aggregations without @auth)


@dataclass(frozen=True)
class FunctionStep:
    """One ``@function`` directive on a field; several on one field run in order (a pipeline)."""

    name: str  # as written: may end in ``-${env}``, matched with and without it
    invocation_type: InvocationType = "RequestResponse"


@dataclass(frozen=True)
class ApiModel:
    """The transform's output: AppSync schema text plus what serves each part of it."""

    version: TransformerVersion
    sdl: str
    models: dict[str, ModelSpec]
    root_fields: dict[tuple[str, str], RootField]  # (parent type, field name) -> RootField
    sandbox: bool = False  # v2 `input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`
    # (parent type, field) -> why no local resolver serves it (@function, @http, a custom field whose
    # resolver lives outside the schema); see emulator.unresolved
    unresolved: dict[tuple[str, str], str] = field(default_factory=dict)
    # v2 flag populateOwnerFieldForStaticGroupAuth: a create authorized by a static group still fills
    # in the owner field (off: only an owner-authorized create does)
    populate_owner_field_for_static_group_auth: bool = True
    searches: dict[str, SearchSpec] = field(default_factory=dict)  # @searchable: by query name
    # (type, field) -> its ``@function`` pipeline, on root, model and non-model fields alike
    functions: dict[tuple[str, str], tuple[FunctionStep, ...]] = field(default_factory=dict)
    # Gen 2 (Amplify's enableIamAccess): IAM principals that are not identity-pool users pass every
    # @auth rule, as a function given allow.resource() or any backend role does on AWS
    generic_iam_access: bool = False

    def root(self, parent: str, name: str) -> RootField | None:
        return self.root_fields.get((parent, name))

    @property
    def uses_datastore(self) -> bool:
        """Some model is versioned: the API has a delta sync table."""
        return any(model.sync is not None for model in self.models.values())
