"""Planning one model, shared by the v1 and v2 front-ends once keys and relations are read."""

from __future__ import annotations

from dataclasses import replace

from emulator.apimodel import AuthRule, KeySpec, TransformerVersion
from emulator.transform.auth import ModelAuth, model_auth
from emulator.transform.authrules import read_rules
from emulator.transform.defaults import read_defaults
from emulator.transform.errors import schema_error
from emulator.transform.keys import ModelKeys, key_attribute_types
from emulator.transform.model import declared_fields, implicit_fields, read_model_config
from emulator.transform.naming import operation_name
from emulator.transform.options import TransformOptions
from emulator.transform.parse import ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldPlan, ModelPlan
from emulator.transform.relation_effects import RelationEffects
from emulator.transform.sync import model_sync


def _model_rules(obj: ObjectDef, options: TransformOptions, version: TransformerVersion) -> tuple[AuthRule, ...] | None:
    directive = obj.directive("auth")
    return read_rules(directive, version, options, obj.name) if directive is not None else None


def field_rules_of(obj: ObjectDef, options: TransformOptions,
                   version: TransformerVersion) -> dict[str, tuple[AuthRule, ...]]:
    """Field-level ``@auth`` rules of a type, by field."""
    rules = {}
    for source_field in obj.fields:
        directive = source_field.directive("auth")
        if directive is not None:
            rules[source_field.name] = read_rules(directive, version, options, f"{obj.name}.{source_field.name}",
                                                  is_field=True)
    return rules


def _check_required_fields_readable(obj: ObjectDef, auth: ModelAuth) -> None:
    """A required field that some reader may not read would break subscription payloads."""
    required = [name for name in auth.fields_hidden_from_readers()
                if (source := obj.field(name)) is not None and source.type.non_null]
    if required:
        listed = ",".join(f'"{name}"' for name in required)
        raise schema_error(
            "When using field-level authorization rules you need to add rules to all of the model's required "
            f'fields with at least read permissions. Found model "{obj.name}" with required fields [{listed}] '
            "missing field-level authorization rules.\n\nFor more information visit "
            "https://docs.amplify.aws/cli/graphql/authorization-rules/#field-level-authorization-rules", obj.node)


def _check_v1_required_field_rules(obj: ObjectDef, field_rules: dict[str, tuple[AuthRule, ...]]) -> None:
    """v1 protects each field with read rules by a field resolver that nulls it in mutation
    results while subscriptions are on, which a required field cannot be."""
    for name, rules in field_rules.items():
        source = obj.field(name)
        if source is not None and source.type.non_null and any("get" in r.operations for r in rules):
            raise schema_error(
                f"\nPer-field auth on the required field {name} is not supported with subscriptions.\n"
                "Either make the field optional, set auth on the object and not the field, or disable subscriptions "
                "for the object (setting level to off or public)\n", source.node)


def _added_owner_fields(auth: ModelAuth, options: TransformOptions, version: TransformerVersion,
                        subscription_level: str) -> list[str]:
    """Owner fields the type gains. v1 without ``addMissingOwnerFields`` adds only ``owner``, and only
    when its subscriptions take an owner argument (an owner rule on the default field may listen)."""
    if version == "v2" or options.add_missing_owner_fields:
        return auth.owner_fields()
    if subscription_level == "off":
        return []
    return ["owner"] if any(name == "owner" for name, _ in auth.subscription_arguments()) else []


def _declared_keys(keys: ModelKeys) -> tuple[tuple[str | None, KeySpec], ...]:
    table = ((None, keys.primary),) if keys.has_key_directive else ()
    return (*table, *((index.name, index.key) for index in keys.indexes))


def plan_model(obj: ObjectDef, schema: SourceSchema, options: TransformOptions, version: TransformerVersion,
               keys: ModelKeys, effects: RelationEffects) -> tuple[ModelPlan, ModelAuth]:
    """One model's plan and auth surface from its directives and what relations add to it."""
    if version == "v1" and options.validate_type_name_reserved_words and obj.name in ("Query", "Mutation",
                                                                                       "Subscription"):
        raise schema_error(f"'{obj.name}' is a reserved type name and currently in use within the default schema "
                           "element.", obj.node)
    sync = model_sync(obj.name, options.datastore, version, obj.node)
    config = read_model_config(obj, options.pluralizes_in_english(version),
                               deep_merge=version == "v2" and options.should_deep_merge_directive_config_defaults,
                               sync_query=version == "v2" and sync is not None)
    operations = config.operations
    if version == "v1" and sync is not None:  # v1 always has the sync query of a versioned model
        operations = replace(operations, sync=operation_name("sync", obj.name, options.pluralizes_in_english(version)))
    if version == "v2" and sync is not None:
        sync = replace(sync, query_keys=_declared_keys(keys))
    fields = [effects.fields.get((obj.name, f.name), f) for f in declared_fields(obj, schema)]
    names = {f.name for f in fields}
    fields += [f for f in effects.added_fields.get(obj.name, []) if f.name not in names]
    declares_id = obj.field("id") is not None or not keys.has_key_directive
    resources = [f.name for f in fields]
    fields += implicit_fields(fields, config, needs_id=declares_id)
    model_rules = _model_rules(obj, options, version)
    field_rules = field_rules_of(obj, options, version)
    list_fields = {f.name for f in fields if f.type.is_list}
    auth = model_auth(obj.name, resources, model_rules, field_rules, options.default_provider, list_fields,
                      sandbox=schema.sandbox and version == "v2", version=version, iam_access=options.iam_access)
    if version == "v2" and config.validation_level == "on":
        _check_required_fields_readable(obj, auth)
    if version == "v1" and config.subscriptions.level == "on":
        _check_v1_required_field_rules(obj, field_rules)
    present = {f.name for f in fields}
    fields += [FieldPlan(owner, TypeRef("String"), "owner", "scalar")
               for owner in _added_owner_fields(auth, options, version, config.subscriptions.level)
               if owner not in present]
    indexes = (*keys.indexes, *effects.added_indexes.get(obj.name, []))
    fk_types = {f.name: f.type.name for f in fields if f.role in ("fk", "hidden_fk")}
    key_types = key_attribute_types(obj, [keys.primary, *(i.key for i in indexes)], schema, fk_types)
    plan = ModelPlan(
        name=obj.name,
        source=obj,
        fields=tuple(fields),
        primary_key=keys.primary,
        operations=operations,
        subscriptions=config.subscriptions,
        indexes=tuple(indexes),
        relations=tuple(effects.relations.get(obj.name, [])),
        created_at=config.created_at,
        updated_at=config.updated_at,
        auth_rules=model_rules,
        field_auth=field_rules,
        defaults=read_defaults(obj, schema) if version == "v2" else {},
        key_types=key_types,
        declares_id=declares_id,
        has_key_directive=keys.has_key_directive,
        extra_subscription_filters=tuple(effects.subscription_filter_extras.get(obj.name, [])),
        declared_keys=_declared_keys(keys),
        sync=sync,
    )
    return plan, auth
