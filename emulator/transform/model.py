"""``@model``: operation names, subscriptions, timestamps and the model's own fields.

The same reading serves v1 and v2: both accept ``queries``/``mutations``/``subscriptions``/
``timestamps``. A given map replaces the defaults (``@model(queries: {get: "post"})`` leaves no
list query), unless the v2 flag ``shouldDeepMergeDirectiveConfigDefaults`` is on: then each map
is merged key by key into the defaults, as lodash ``merge`` does (lists index by index).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import print_ast

from emulator.apimodel import ModelOperations
from emulator.transform.naming import operation_name
from emulator.transform.parse import ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldKind, FieldPlan, SubscriptionPlan
from emulator.transform.vocabulary import AMPLIFY_DIRECTIVES

RELATION_DIRECTIVES = ("hasMany", "hasOne", "belongsTo", "manyToMany", "connection")


@dataclass(frozen=True)
class ModelConfig:
    """What ``@model``'s arguments say about one model."""

    operations: ModelOperations
    subscriptions: SubscriptionPlan
    created_at: str | None
    updated_at: str | None
    # The level v2's field-auth validation reads: ``subscriptions?.level ?? "on"``, so
    # ``subscriptions: null`` counts as "on" there although it generates no subscription.
    validation_level: str = "on"


def _names(given: Mapping[str, Any], key: str, defaults: dict[str, str]) -> dict[str, str | None]:
    if key not in given:
        return dict(defaults)
    chosen = given[key]
    if chosen is None:
        return {op: None for op in defaults}
    return {op: chosen.get(op) for op in defaults}


def _subscription_names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _lodash_merge(default: Any, given: Any) -> Any:
    """``_.merge(default, given)`` for directive argument values (null given values win)."""
    if isinstance(default, dict) and isinstance(given, dict):
        merged = dict(default)
        for key, value in given.items():
            merged[key] = _lodash_merge(default.get(key), value) if key in default else value
        return merged
    if isinstance(default, list | tuple) and isinstance(given, list | tuple):
        return [*given, *default[len(given):]]
    return given


def _merged_with_defaults(args: Mapping[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {key: _lodash_merge(defaults[key], value) if key in defaults else value for key, value in args.items()}


def read_model_config(obj: ObjectDef, improve_pluralization: bool, deep_merge: bool = False,
                      sync_query: bool = False) -> ModelConfig:
    """Operation names (None when disabled), subscription fields and timestamp names.

    ``sync_query``: v2 with DataStore on, where ``syncX`` is one of the default queries (so a given
    ``queries`` map leaves it out, as it leaves out ``list``)."""
    directive = obj.directive("model")
    args: Mapping[str, Any] = {k: v for k, v in (directive.args if directive else {}).items()
                               if directive and k in directive.given}
    name = obj.name

    def default(op: str) -> str:
        return operation_name(op, name, improve_pluralization)

    default_queries = {op: default(op) for op in ("get", "list", *(("sync",) if sync_query else ()))}
    if deep_merge:
        args = _merged_with_defaults(args, {
            "queries": dict(default_queries),
            "mutations": {op: default(op) for op in ("create", "update", "delete")},
            "subscriptions": {"level": "on", "onCreate": [default("onCreate")], "onUpdate": [default("onUpdate")],
                              "onDelete": [default("onDelete")]},
            "timestamps": {"createdAt": "createdAt", "updatedAt": "updatedAt"},
        })

    queries = _names(args, "queries", default_queries)
    mutations = _names(args, "mutations", {op: default(op) for op in ("create", "update", "delete")})
    subscriptions = _read_subscriptions(args, mutations, default)
    created_at, updated_at = _read_timestamps(args)
    operations = ModelOperations(
        get=queries["get"], list=queries["list"],
        create=mutations["create"], update=mutations["update"], delete=mutations["delete"],
        on_create=(subscriptions.on_create or (None,))[0],
        on_update=(subscriptions.on_update or (None,))[0],
        on_delete=(subscriptions.on_delete or (None,))[0],
        sync=queries.get("sync"),
    )
    given_subscriptions = args.get("subscriptions")
    validation_level = (given_subscriptions.get("level") if isinstance(given_subscriptions, dict) else None) or "on"
    return ModelConfig(operations, subscriptions, created_at, updated_at, validation_level)


def _read_subscriptions(args: Mapping[str, Any], mutations: dict[str, str | None], default: Any) -> SubscriptionPlan:
    all_subscriptions = {"onCreate": (default("onCreate"),), "onUpdate": (default("onUpdate"),),
                         "onDelete": (default("onDelete"),)}
    level = "on"
    if "subscriptions" in args:
        given = args["subscriptions"]
        if given is None:
            return SubscriptionPlan(level="off")
        level = given.get("level") or "on"
        named = {key: _subscription_names(given.get(key)) for key in all_subscriptions}
        if level == "public" and not any(key in given for key in all_subscriptions):
            named = all_subscriptions
        all_subscriptions = named
    if level == "off":
        return SubscriptionPlan(level="off")
    return SubscriptionPlan(
        level=level,  # type: ignore[arg-type]
        on_create=all_subscriptions["onCreate"] if mutations["create"] else (),
        on_update=all_subscriptions["onUpdate"] if mutations["update"] else (),
        on_delete=all_subscriptions["onDelete"] if mutations["delete"] else (),
    )


def _read_timestamps(args: Mapping[str, Any]) -> tuple[str | None, str | None]:
    if "timestamps" not in args:
        return "createdAt", "updatedAt"
    given = args["timestamps"]
    if given is None:
        return None, None
    created = given["createdAt"] if "createdAt" in given else "createdAt"
    updated = given["updatedAt"] if "updatedAt" in given else "updatedAt"
    return created, updated


def kept_directives(node: Any) -> tuple[str, ...]:
    """Directives written by the user that AppSync itself understands (``@aws_*``, ``@deprecated``)."""
    return tuple(print_ast(d) for d in getattr(node, "directives", None) or ()
                 if d.name.value not in AMPLIFY_DIRECTIVES)


def field_kind(type_name: str, schema: SourceSchema) -> FieldKind:
    if type_name in schema.enums:
        return "enum"
    if TypeRef(type_name).is_scalar:
        return "scalar"
    if schema.model(type_name) is not None:
        return "model"
    if type_name in schema.abstract_types:
        return "abstract"
    return "object"


def declared_fields(obj: ObjectDef, schema: SourceSchema) -> list[FieldPlan]:
    """The model's fields as written; fields with relational directives are marked ``relation``."""
    plans = []
    for source_field in obj.fields:
        is_relation = any(source_field.directive(name) for name in RELATION_DIRECTIVES)
        plans.append(FieldPlan(
            source_field.name,
            source_field.type,
            "relation" if is_relation else "declared",
            field_kind(source_field.type.name, schema),
            directives=kept_directives(source_field.node),
        ))
    return plans


def implicit_fields(existing: list[FieldPlan], config: ModelConfig, needs_id: bool) -> list[FieldPlan]:
    """``id: ID!`` (unless declared or replaced by ``@primaryKey``) and the timestamp fields."""
    names = {f.name for f in existing}
    added: list[FieldPlan] = []
    if needs_id and "id" not in names:
        added.append(FieldPlan("id", TypeRef("ID", non_null=True), "id", "scalar"))
    for stamp in (config.created_at, config.updated_at):
        if stamp and stamp not in names:
            added.append(FieldPlan(stamp, TypeRef("AWSDateTime", non_null=True), "timestamp", "scalar"))
    return added
