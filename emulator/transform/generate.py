"""Writing the AppSync schema and the ``ApiModel`` from planned models and the rest of the SDL.

Models come from a front-end's plans (``operations.add_model`` writes each); the parts the user
wrote outside models come through ``custom``. The ``ApiModel`` metadata is built from the same
plans, so schema and metadata cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import print_ast

from emulator.apimodel import ApiModel, AuthRule, FieldSpec, ModelSpec, RootField
from emulator.transform.auth import ModelAuth
from emulator.transform.custom import (
    add_non_model_inputs,
    custom_root_fields,
    iam_on_custom_types,
    non_model_type,
    propagate_to_nested,
    stripped,
)
from emulator.transform.document import OutputDocument
from emulator.transform.functions import function_pipelines
from emulator.transform.inputs import add_common_inputs, add_sort_key_inputs
from emulator.transform.operations import add_model, model_type
from emulator.transform.options import TransformOptions
from emulator.transform.parse import ROOT_TYPES, SourceSchema
from emulator.transform.plan import Dialect, FieldPlan, ModelPlan
from emulator.transform.relation_effects import RelationEffects
from emulator.transform.searchable import add_searchable, check_searchable, read_searchable
from emulator.transform.sync import add_sync
from emulator.transform.unresolved import unresolved_fields


@dataclass(frozen=True)
class Planned:
    """What a front-end hands the generator."""

    models: tuple[ModelPlan, ...]
    auth: dict[str, ModelAuth]
    effects: RelationEffects


def _field_spec(plan_field: FieldPlan, rules: tuple[AuthRule, ...] | None) -> FieldSpec:
    kind = plan_field.type
    return FieldSpec(plan_field.name, kind.name, kind.is_list, kind.non_null, kind.item_non_null,
                     plan_field.kind in ("scalar", "enum"), rules)


def model_spec(plan: ModelPlan) -> ModelSpec:
    fields = {f.name: _field_spec(f, plan.field_auth.get(f.name)) for f in plan.fields if f.role != "hidden_fk"}
    return ModelSpec(
        name=plan.name,
        primary_key=plan.primary_key,
        fields=fields,
        indexes=plan.indexes,
        relations={r.field: r for r in plan.relations},
        operations=plan.operations,
        auth_rules=plan.auth_rules,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        defaults=dict(plan.defaults),
        key_types=dict(plan.key_types),
        subscription_level=plan.subscriptions.level,
        sync=plan.sync,
    )


def generate(planned: Planned, schema: SourceSchema, options: TransformOptions, dialect: Dialect) -> ApiModel:
    """The AppSync SDL and ``ApiModel`` for ``planned`` models plus the rest of ``schema``."""
    document = OutputDocument(user_types=frozenset(d.name.value for d in schema.passthrough  # type: ignore[attr-defined]
                                                   if getattr(d, "name", None) is not None))
    for plan in planned.models:
        document.add(model_type(plan, planned.auth[plan.name]))
    for obj in schema.objects.values():
        if not obj.is_model and obj.name not in ROOT_TYPES:
            document.add(non_model_type(obj, options, dialect, iam_on_custom_types(schema, options)))
    if planned.models or dialect.version == "v2":  # v1 emits the scalar inputs only for models
        add_common_inputs(document, dialect)
    referenced = {r.related_model for plan in planned.models for r in plan.relations
                  if r.kind in ("hasMany", "manyToMany")}
    roots: list[RootField] = []
    for plan in planned.models:
        roots += add_model(document, plan, planned.auth[plan.name], dialect, schema, referenced)
        if plan.sync is not None:
            roots += add_sync(document, plan, planned.auth[plan.name], dialect)
    searchable = read_searchable(schema, options.pluralizes_in_english(dialect.version))
    check_searchable(searchable, planned.auth, schema, dialect.version)
    search_roots, searches = add_searchable(
        document, searchable, {p.name: p for p in planned.models}, planned.auth, dialect.version,
        options.default_provider, schema.sandbox and dialect.version == "v2", options.iam_access and dialect.version == "v2")
    roots += search_roots
    seen_nested: dict[str, set[str]] = {}
    for plan in planned.models:  # after every model, so each connection type exists
        propagate_to_nested(document, schema, plan, planned.auth[plan.name], dialect, seen_nested)
    for argument in planned.effects.sort_arguments:
        add_sort_key_inputs(document, argument)
    add_non_model_inputs(document, schema, planned.models)
    for root_name in ROOT_TYPES:
        obj = schema.objects.get(root_name)
        if obj is not None:
            roots += custom_root_fields(document, obj, options, dialect, iam_on_custom_types(schema, options))
    document.verbatim.extend(print_ast(stripped(d)) for d in schema.passthrough)
    return ApiModel(
        version=dialect.version,
        sdl=document.print(),
        models={plan.name: model_spec(plan) for plan in planned.models},
        root_fields={(r.parent, r.name): r for r in roots},
        sandbox=schema.sandbox,
        unresolved=unresolved_fields(schema),
        populate_owner_field_for_static_group_auth=(dialect.version == "v2"
                                                    and options.populate_owner_field_for_static_group_auth),
        searches={spec.query: spec for spec in searches},
        functions=function_pipelines(schema),
        generic_iam_access=dialect.version == "v2" and options.generic_iam_access,
    )
