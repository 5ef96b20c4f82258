"""Which resolver serves each field of the executable schema: one plan per (type, field).

A plan is chosen from the API model's metadata by ``Planner`` functions tried in order; the first
that claims a field serves it, and a field no planner claims keeps the default resolver (a key of
the parent item). Today's kinds, in priority order:

* ``function``: the field's ``@function`` pipeline (root, model and non-model fields);
* ``unresolved``: a field no local resolver serves (``@http``, a custom field whose resolver lives
  outside the schema...): its ``@auth`` rules run, then the error naming why (``emulator.unresolved``);
* ``model-operation``: the generated get/list/query/create/update/delete of a ``@model``;
* ``relation``: ``@hasMany``/``@hasOne``/``@belongsTo``/``@manyToMany`` of a model;
* ``model-field``: a model's own field, read through the field-level ``@auth`` rules.

Before them all, ``emulator.custom_fields.custom_planner`` plans the fields a project's own
resolvers serve (``custom``: VTL and APPSYNC_JS resolvers on any field; ``slotted-operation``: a
generated operation with the project's v2 slots). A new resolver kind is one more planner placed
where it takes precedence; ``emulator.execution`` binds whatever the plans say.

The ``@auth`` rules raise ``NotAuthorized`` without knowing which GraphQL field asked; the
resolvers here complete it with the field and its parent type, as ``$util.unauthorized()`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.apimodel import ApiModel, ModelSpec, RelationSpec, RootField
from emulator.auth.rules_errors import NotAuthorized
from emulator.error_data import selected_data
from emulator.errors import AppSyncError
from emulator.resolvers import resolve_relation, resolve_root
from emulator.resolvers.functions.field import function_resolver
from emulator.unresolved import unresolved_error

Resolver = Callable[..., Any]


@dataclass(frozen=True)
class FieldPlan:
    """What serves one field: its kind (for messages and tests) and the resolver that runs."""

    kind: str
    resolve: Resolver


Planner = Callable[[ApiModel, str, str], FieldPlan | None]
"""``(api, parent type, field) -> plan``, or None when this kind does not serve the field."""


def _root_resolver(root: RootField) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        try:
            return resolve_root(info.context, root, args)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None
        except AppSyncError as error:
            if error.data is not None:  # AppSync filters an error's data through the selection set
                error.data = selected_data(error.data, info)
            raise

    return resolver


def _unresolved_resolver(root: RootField | None, reason: str) -> Resolver:
    """A field with no local resolver: a custom root field's ``@auth`` rules run first, then the
    error naming the reason."""

    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if root is not None and root.auth_rules is not None:
            try:
                info.context.policy.check_custom_field(root, info.context.identity)
            except NotAuthorized as error:
                raise error.at(info.field_name, info.parent_type.name) from None
        raise unresolved_error(info.parent_type.name, info.field_name, reason)

    return resolver


def _relation_resolver(model: ModelSpec, relation: RelationSpec) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        try:
            info.context.policy.read_field(model, relation.field, info.context.identity, source)  # field rules
            return resolve_relation(info.context, model, relation, source, args)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None

    return resolver


def _model_field_resolver(model: ModelSpec, name: str) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        if not isinstance(source, Mapping):
            return getattr(source, name, None)
        try:
            return info.context.policy.read_field(model, name, info.context.identity, source)
        except NotAuthorized as error:
            raise error.at(info.field_name, info.parent_type.name) from None

    return resolver


def function_plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
    steps = api.functions.get((parent, name))
    if not steps:
        return None
    root = api.root(parent, name)
    rules = root if root is not None and root.kind == "custom" and root.auth_rules is not None else None
    return FieldPlan("function", function_resolver(steps, rules))


def unresolved_plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
    reason = api.unresolved.get((parent, name))
    if reason is None:
        return None
    root = api.root(parent, name)
    return FieldPlan("unresolved", _unresolved_resolver(root if root is not None and root.kind == "custom" else None, reason))


def model_operation_plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
    root = api.root(parent, name)
    if root is None or root.kind in ("custom", "subscribe"):
        return None
    return FieldPlan("model-operation", _root_resolver(root))


def relation_plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
    model = api.models.get(parent)
    relation = model.relations.get(name) if model is not None else None
    if model is None or relation is None:
        return None
    return FieldPlan("relation", _relation_resolver(model, relation))


def model_field_plan(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
    model = api.models.get(parent)
    if model is None:
        return None
    return FieldPlan("model-field", _model_field_resolver(model, name))


DEFAULT_PLANNERS: tuple[Planner, ...] = (
    function_plan,
    unresolved_plan,
    model_operation_plan,
    relation_plan,
    model_field_plan,
)


def plan_field(api: ApiModel, parent: str, name: str, planners: Sequence[Planner] = DEFAULT_PLANNERS) -> FieldPlan | None:
    """The first plan a planner offers for ``parent.name``, or None (the default resolver)."""
    for planner in planners:
        plan = planner(api, parent, name)
        if plan is not None:
            return plan
    return None
