"""The v2 front-end: ``@model``, ``@primaryKey``/``@index``, relations, ``@default``, ``@auth``
read into ``ModelPlan``s (plus each model's auth surface) for the shared generator.
"""

from __future__ import annotations

from emulator.apimodel import AuthRule
from emulator.transform.auth import ModelAuth, model_auth
from emulator.transform.authrules import read_rules
from emulator.transform.defaults import read_defaults
from emulator.transform.generate import Planned
from emulator.transform.keys import ModelKeys, key_attribute_types, read_v2_keys
from emulator.transform.manytomany import add_many_to_many
from emulator.transform.model import declared_fields, implicit_fields, read_model_config
from emulator.transform.options import TransformOptions
from emulator.transform.parse import ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldPlan, ModelPlan
from emulator.transform.relations import RelationEffects, read_v2_relations


def plan_v2(schema: SourceSchema, options: TransformOptions) -> Planned:
    improve = options.pluralizes_in_english("v2")
    schema = add_many_to_many(schema)
    keys = {obj.name: read_v2_keys(obj, schema) for obj in schema.models}
    effects = read_v2_relations(schema, keys)
    plans: list[ModelPlan] = []
    auths: dict[str, ModelAuth] = {}
    for obj in schema.models:
        plan, auth = _plan_model(obj, schema, options, keys[obj.name], effects, improve)
        plans.append(plan)
        auths[obj.name] = auth
    return Planned(tuple(plans), auths, effects)


def _model_rules(obj: ObjectDef, options: TransformOptions) -> tuple[AuthRule, ...] | None:
    directive = obj.directive("auth")
    return read_rules(directive, "v2", options, obj.name) if directive is not None else None


def _field_rules(obj: ObjectDef, options: TransformOptions) -> dict[str, tuple[AuthRule, ...]]:
    rules = {}
    for source_field in obj.fields:
        directive = source_field.directive("auth")
        if directive is not None:
            rules[source_field.name] = read_rules(directive, "v2", options, f"{obj.name}.{source_field.name}",
                                                  is_field=True)
    return rules


def _plan_model(obj: ObjectDef, schema: SourceSchema, options: TransformOptions, keys: ModelKeys,
                effects: RelationEffects, improve: bool) -> tuple[ModelPlan, ModelAuth]:
    config = read_model_config(obj, improve)
    fields = [effects.fields.get((obj.name, f.name), f) for f in declared_fields(obj, schema)]
    names = {f.name for f in fields}
    fields += [f for f in effects.added_fields.get(obj.name, []) if f.name not in names]
    declares_id = obj.field("id") is not None or not keys.has_key_directive
    resources = [f.name for f in fields]
    fields += implicit_fields(fields, config, needs_id=declares_id)
    model_rules = _model_rules(obj, options)
    field_rules = _field_rules(obj, options)
    list_fields = {f.name for f in fields if f.type.is_list}
    auth = model_auth(obj.name, resources, model_rules, field_rules, options.default_provider, list_fields,
                      sandbox=schema.sandbox)
    present = {f.name for f in fields}
    fields += [FieldPlan(owner, TypeRef("String"), "owner", "scalar")
               for owner in auth.owner_fields() if owner not in present]
    indexes = (*keys.indexes, *effects.added_indexes.get(obj.name, []))
    fk_types = {f.name: f.type.name for f in fields if f.role == "fk"}
    key_types = key_attribute_types(obj, [keys.primary, *(i.key for i in indexes)], schema, fk_types)
    plan = ModelPlan(
        name=obj.name,
        source=obj,
        fields=tuple(fields),
        primary_key=keys.primary,
        operations=config.operations,
        subscriptions=config.subscriptions,
        indexes=tuple(indexes),
        relations=tuple(effects.relations.get(obj.name, [])),
        created_at=config.created_at,
        updated_at=config.updated_at,
        auth_rules=model_rules,
        field_auth=field_rules,
        defaults=read_defaults(obj, schema),
        key_types=key_types,
        declares_id=declares_id,
        has_key_directive=keys.has_key_directive,
    )
    return plan, auth
