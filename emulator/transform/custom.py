"""The parts of the schema the user wrote outside models: non-model object types, custom
Query/Mutation/Subscription fields, enums, inputs, unions, interfaces and scalars.

They pass through with Amplify directives removed. ``@auth`` on such a field becomes ``@aws_*``
directives from its static rules (owner and dynamic-group rules mean nothing there); in v2 sandbox
mode and in Gen 2 APIs (IAM access everywhere) Amplify also marks custom operations, non-model
types and the Query/Mutation/Subscription types the schema declares ``@aws_iam``. Non-model object types
used by model fields get a ``<Type>Input`` for the create/update inputs, and the model's provider
directives.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import DefinitionNode, Node, ObjectTypeExtensionNode, print_ast

from emulator.apimodel import AuthRule, RootField
from emulator.transform.auth import ModelAuth, field_directives
from emulator.transform.document import Argument, OutField, OutputDocument, OutType
from emulator.transform.inputs import add_non_model_input
from emulator.transform.model import kept_directives
from emulator.transform.options import TransformOptions
from emulator.transform.parse import FieldDef, ObjectDef, SourceSchema
from emulator.transform.plan import Dialect, ModelPlan
from emulator.transform.planning import field_rules_of
from emulator.transform.vocabulary import AMPLIFY_DIRECTIVES

IAM_DIRECTIVE = "@aws_iam"


def iam_on_custom_types(schema: SourceSchema, options: TransformOptions) -> bool:
    """Sandbox mode or Gen 2's IAM access: custom operations and types get ``@aws_iam``."""
    return schema.sandbox or options.generic_iam_access


def _out_field(obj: ObjectDef, source_field: FieldDef, rules: tuple[AuthRule, ...] | None,
               options: TransformOptions, add_iam: bool) -> OutField:
    args = [Argument(a.name.value, print_ast(a.type), print_ast(a.default_value) if a.default_value else None)
            for a in source_field.node.arguments or ()]
    out = OutField(source_field.name, print_ast(source_field.node.type), args, list(kept_directives(source_field.node)))
    if rules is not None:
        out.add_directives(field_directives(f"{obj.name}:{source_field.name}", rules, options.default_provider,
                                            options.iam_access))
    if add_iam:
        out.add_directives([IAM_DIRECTIVE])
    return out


def non_model_type(obj: ObjectDef, options: TransformOptions, dialect: Dialect, add_iam: bool) -> OutType:
    """A non-model object type as written (field ``@auth`` turned into directives)."""
    rules = field_rules_of(obj, options, dialect.version)
    fields = [_out_field(obj, f, rules.get(f.name), options, add_iam=False) for f in obj.fields]
    out = OutType("type", obj.name, fields, directives=list(kept_directives(obj.node)), interfaces=list(obj.interfaces))
    if add_iam and not isinstance(obj.node, ObjectTypeExtensionNode):
        out.add_directives([IAM_DIRECTIVE])
    return out


def custom_root_fields(document: OutputDocument, obj: ObjectDef, options: TransformOptions, dialect: Dialect,
                       add_iam: bool) -> list[RootField]:
    """User-written Query/Mutation/Subscription fields, with their static ``@auth`` rules."""
    rules = field_rules_of(obj, options, dialect.version)
    root = document.root(obj.name)
    if add_iam and not isinstance(obj.node, ObjectTypeExtensionNode):
        root.add_directives([IAM_DIRECTIVE])
    roots = []
    for source_field in obj.fields:
        field_rules = rules.get(source_field.name)
        root.add_field(_out_field(obj, source_field, field_rules, options, add_iam))
        static_rules = tuple(r for r in field_rules if not r.is_dynamic) if field_rules is not None else None
        subscribe = source_field.directive("aws_subscribe")
        if obj.name == "Subscription" and subscribe is not None:
            mutations = tuple(subscribe.args.get("mutations") or ())
            roots.append(RootField("Subscription", source_field.name, "subscribe", None, mutations=mutations,
                                   auth_rules=static_rules))
        else:
            roots.append(RootField(obj.name, source_field.name, "custom",  # type: ignore[arg-type]
                                   auth_rules=static_rules))
    return roots


def _reachable_non_model_types(schema: SourceSchema, start: list[str]) -> list[str]:
    """Non-model object types reachable from ``start`` through fields, breadth first."""
    pending, seen = list(start), []
    while pending:
        name = pending.pop(0)
        obj = schema.objects.get(name)
        if name in seen or obj is None or obj.is_model:
            continue
        seen.append(name)
        pending += [f.type.name for f in obj.fields]
    return seen


def add_non_model_inputs(document: OutputDocument, schema: SourceSchema, plans: tuple[ModelPlan, ...]) -> None:
    """``<Type>Input`` for every non-model object type a model field uses (nested ones too)."""
    start = [f.type.name for plan in plans for f in plan.fields if f.kind == "object"]
    for name in _reachable_non_model_types(schema, start):
        fields = []
        for source_field in schema.objects[name].fields:
            kind = source_field.type
            if kind.name in schema.abstract_types:
                continue  # a union or interface cannot be an input field
            target = schema.objects.get(kind.name)
            if target is not None and not target.is_model:
                kind = kind.named(f"{kind.name}Input")
            fields.append((source_field.name, str(kind)))
        add_non_model_input(document, name, fields)


def propagate_to_nested(document: OutputDocument, schema: SourceSchema, plan: ModelPlan, auth: ModelAuth,
                        dialect: Dialect, seen: dict[str, set[str]]) -> None:
    """Non-model types reachable from a model get the model's provider directives.

    v2 walks as Amplify's auth transformer does (``propagateAuthDirectivesToNestedTypes``): field by
    field, the connection types of ``@hasMany``/``@manyToMany`` fields included (they are non-model
    object types of the model by then). A type reached again (``seen`` across models) gets only
    directives it lacks, the default mode's among them, and the walk goes deeper only when it got one.
    """
    if dialect.version != "v2" or auth.matrix is None:
        directives = auth.type_directives()
        if directives:
            for name in _reachable_non_model_types(schema, [f.type.name for f in plan.fields if f.kind == "object"]):
                if (target := document.get(name)) is not None:
                    target.add_directives(directives)
        return
    nested = [f.type.name for f in plan.fields
              if f.kind == "object" or (f.role == "relation" and not f.type.is_list and f.args)]
    _walk_nested(document, schema, nested, auth, seen)


def _walk_nested(document: OutputDocument, schema: SourceSchema, names: list[str], auth: ModelAuth,
                 seen: dict[str, set[str]]) -> None:
    for name in names:
        target = document.get(name)
        source = schema.objects.get(name)
        if target is None or target.kind != "type" or (source is not None and source.is_model):
            continue
        seen_before = name in seen
        directives = auth.type_directives(seen_before=seen_before)
        if seen_before:
            directives = [d for d in directives if d not in seen[name]]
        seen.setdefault(name, set()).update(directives)
        if directives or not seen_before:
            target.add_directives(directives)
            inner = [f.type.name for f in source.fields] if source is not None else []
            _walk_nested(document, schema, inner, auth, seen)


def stripped(definition: DefinitionNode) -> DefinitionNode:
    """A passthrough definition without Amplify directives (on itself or its fields/values)."""

    def keep(node: Node) -> Node:
        directives = getattr(node, "directives", None)
        if not directives:
            return node
        return replace(node, directives=tuple(d for d in directives if d.name.value not in AMPLIFY_DIRECTIVES))

    result = keep(definition)
    for attribute in ("fields", "values"):
        children = getattr(result, attribute, None)
        if children:
            result = replace(result, **{attribute: tuple(keep(child) for child in children)})
    return result  # type: ignore[return-value]
