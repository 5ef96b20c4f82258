"""Writing the AppSync schema and the ``ApiModel`` from planned models and the rest of the SDL.

Models come from the front-end's plans; everything else the user wrote (non-model types, enums,
inputs, unions, custom Query/Mutation/Subscription fields) passes through with Amplify directives
removed, ``@auth`` on non-model fields turned into ``@aws_*`` directives, and sandbox effects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphql import DefinitionNode, FieldDefinitionNode, Node, print_ast

from emulator.apimodel import ApiModel, AuthRule, FieldSpec, ModelSpec, RootField
from emulator.transform.auth import ModelAuth, field_directives
from emulator.transform.authrules import read_rules
from emulator.transform.document import Argument, OutField, OutputDocument, OutType
from emulator.transform.inputs import add_common_inputs, add_non_model_input, add_sort_key_inputs
from emulator.transform.model import kept_directives
from emulator.transform.operations import add_model, model_type
from emulator.transform.options import TransformOptions
from emulator.transform.parse import ROOT_TYPES, ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import Dialect, FieldPlan, ModelPlan
from emulator.transform.relations import RelationEffects
from emulator.transform.vocabulary import AMPLIFY_DIRECTIVES


@dataclass(frozen=True)
class Planned:
    """What a front-end hands the generator."""

    models: tuple[ModelPlan, ...]
    auth: dict[str, ModelAuth]
    effects: RelationEffects


def _kept_directives(node: DefinitionNode | FieldDefinitionNode) -> list[str]:
    return list(kept_directives(node))


def _arguments(node: FieldDefinitionNode) -> list[Argument]:
    return [Argument(a.name.value, print_ast(a.type), print_ast(a.default_value) if a.default_value else None)
            for a in node.arguments or ()]


def _custom_field_rules(obj: ObjectDef, options: TransformOptions, version: str) -> dict[str, tuple[AuthRule, ...]]:
    rules = {}
    for source_field in obj.fields:
        directive = source_field.directive("auth")
        if directive is not None:
            rules[source_field.name] = read_rules(directive, version, options,  # type: ignore[arg-type]
                                                  f"{obj.name}.{source_field.name}", is_field=True)
    return rules


def _non_model_type(obj: ObjectDef, options: TransformOptions, dialect: Dialect, sandbox: bool) -> OutType:
    rules = _custom_field_rules(obj, options, dialect.version)
    fields = []
    for source_field in obj.fields:
        out = OutField(source_field.name, print_ast(source_field.node.type), _arguments(source_field.node),
                       _kept_directives(source_field.node))
        if source_field.name in rules:
            out.add_directives(field_directives(f"{obj.name}:{source_field.name}", rules[source_field.name],
                                                options.default_provider))
        fields.append(out)
    out_type = OutType("type", obj.name, fields, directives=_kept_directives(obj.node), interfaces=list(obj.interfaces))
    if sandbox and dialect.version == "v2" and "@aws_iam" not in out_type.directives:
        out_type.add_directives(["@aws_iam"])
    return out_type


def _custom_root_fields(document: OutputDocument, obj: ObjectDef, options: TransformOptions, dialect: Dialect,
                        sandbox: bool) -> list[RootField]:
    """User-written Query/Mutation/Subscription fields, with their static ``@auth`` rules."""
    rules = _custom_field_rules(obj, options, dialect.version)
    root = document.root(obj.name)
    roots = []
    for source_field in obj.fields:
        out = OutField(source_field.name, print_ast(source_field.node.type), _arguments(source_field.node),
                       _kept_directives(source_field.node))
        field_rules = rules.get(source_field.name)
        if field_rules is not None:
            out.add_directives(field_directives(f"{obj.name}:{source_field.name}", field_rules,
                                                options.default_provider))
        if sandbox and dialect.version == "v2" and "@aws_iam" not in out.directives:
            out.add_directives(["@aws_iam"])
        root.add_field(out)
        static_rules = tuple(r for r in field_rules if not r.is_dynamic) if field_rules is not None else None
        subscribe = source_field.directive("aws_subscribe")
        if obj.name == "Subscription" and subscribe is not None:
            mutations = tuple(subscribe.args.get("mutations") or ())
            roots.append(RootField("Subscription", source_field.name, "subscribe", None, mutations=mutations,
                                   auth_rules=static_rules))
        else:
            roots.append(RootField(obj.name, source_field.name, "custom", auth_rules=static_rules))  # type: ignore[arg-type]
    return roots


def _non_model_inputs(document: OutputDocument, schema: SourceSchema, plans: tuple[ModelPlan, ...]) -> None:
    """``<Type>Input`` for every non-model object type reachable from a model's fields."""
    pending = [f.type.name for plan in plans for f in plan.fields if f.kind == "object"]
    seen: set[str] = set()
    while pending:
        name = pending.pop(0)
        if name in seen or name not in schema.objects:
            continue
        seen.add(name)
        obj = schema.objects[name]
        fields = []
        for source_field in obj.fields:
            kind = source_field.type
            if source_field.type.name in schema.objects and schema.model(source_field.type.name) is None:
                pending.append(source_field.type.name)
                kind = kind.named(f"{kind.name}Input")
            fields.append((source_field.name, str(kind)))
        add_non_model_input(document, name, fields)


def _propagate_to_nested(document: OutputDocument, schema: SourceSchema, plan: ModelPlan,
                         directives: list[str]) -> None:
    """Non-model types reachable from a model get the model's provider directives."""
    pending = [f.type.name for f in plan.fields if f.kind == "object"]
    seen: set[str] = set()
    while pending and directives:
        name = pending.pop(0)
        target = document.get(name)
        if name in seen or target is None or schema.model(name) is not None:
            continue
        seen.add(name)
        target.add_directives(directives)
        obj = schema.objects.get(name)
        if obj is not None:
            pending += [f.type.name for f in obj.fields]


def _field_spec(plan_field: FieldPlan, rules: tuple[AuthRule, ...] | None) -> FieldSpec:
    kind: TypeRef = plan_field.type
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
    )


def generate(planned: Planned, schema: SourceSchema, options: TransformOptions, dialect: Dialect) -> ApiModel:
    """The AppSync SDL and ``ApiModel`` for ``planned`` models plus the rest of ``schema``."""
    document = OutputDocument()
    sandbox = schema.sandbox
    for plan in planned.models:
        document.add(model_type(plan, planned.auth[plan.name]))
    for obj in schema.objects.values():
        if not obj.is_model and obj.name not in ROOT_TYPES:
            document.add(_non_model_type(obj, options, dialect, sandbox))
    add_common_inputs(document, dialect)
    referenced = {r.related_model for plan in planned.models for r in plan.relations
                  if r.kind in ("hasMany", "manyToMany")}
    roots: list[RootField] = []
    for plan in planned.models:
        roots += add_model(document, plan, planned.auth[plan.name], dialect, schema, referenced)
        _propagate_to_nested(document, schema, plan, planned.auth[plan.name].type_directives())
    for argument in planned.effects.sort_arguments:
        add_sort_key_inputs(document, argument)
    _non_model_inputs(document, schema, planned.models)
    for root_name in ROOT_TYPES:
        obj = schema.objects.get(root_name)
        if obj is not None:
            roots += _custom_root_fields(document, obj, options, dialect, sandbox)
    document.verbatim.extend(print_ast(_strip(d)) for d in schema.passthrough)
    return ApiModel(
        version=dialect.version,
        sdl=document.print(),
        models={plan.name: model_spec(plan) for plan in planned.models},
        root_fields={(r.parent, r.name): r for r in roots},
        sandbox=sandbox,
    )


def _strip(definition: DefinitionNode) -> DefinitionNode:
    """A passthrough definition without Amplify directives (on itself or its fields/values)."""

    def keep(node: Node) -> Node:
        directives = getattr(node, "directives", None)
        if not directives:
            return node
        return replace(node, directives=tuple(d for d in directives if d.name.value not in AMPLIFY_DIRECTIVES))

    stripped = keep(definition)
    for attribute in ("fields", "values"):
        children = getattr(stripped, attribute, None)
        if children:
            stripped = replace(stripped, **{attribute: tuple(keep(child) for child in children)})
    return stripped  # type: ignore[return-value]
