"""v1 ``@connection``: named connections, ``keyName``/``fields`` connections, one-sided ones.

Produces the same ``RelationEffects`` as the v2 relations, with v1's storage: a named or
one-sided connection keeps its foreign key only in the create/update inputs (``postBlogId``),
queries a ``gsi-<ConnectionName>`` index, and reads the single side with a GetItem.
"""

from __future__ import annotations

from emulator.apimodel import IndexSpec, KeySpec, RelationSpec
from emulator.transform.errors import schema_error
from emulator.transform.keys import ModelKeys
from emulator.transform.model import kept_directives
from emulator.transform.naming import camel_case
from emulator.transform.parse import DirectiveUse, FieldDef, ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldPlan
from emulator.transform.relation_effects import RelationEffects, connection_arguments
from emulator.transform.sortkeys import sort_key_argument


def read_v1_connections(schema: SourceSchema, keys: dict[str, ModelKeys]) -> RelationEffects:
    effects = RelationEffects()
    for obj in schema.models:
        for source_field in obj.fields:
            directive = source_field.directive("connection")
            if directive is None:
                continue
            related = schema.model(source_field.type.name)
            if related is None:
                raise schema_error(f"Object type {source_field.type.name} must be annotated with @model.",
                                   source_field.node)
            if directive.args.get("fields"):
                _with_key(schema, keys, obj, source_field, directive, related, effects)
            else:
                _named(schema, keys, obj, source_field, directive, related, effects)
    return effects


def _relation_field(effects: RelationEffects, obj: ObjectDef, source_field: FieldDef, related: ObjectDef,
                    sort_argument: object = None) -> None:
    if source_field.type.is_list:
        plan = FieldPlan(source_field.name, TypeRef(f"Model{related.name}Connection"), "relation", "model",
                         args=connection_arguments(related.name, sort_argument),  # type: ignore[arg-type]
                         directives=kept_directives(source_field.node))
    else:
        plan = FieldPlan(source_field.name, source_field.type, "relation", "model",
                         directives=kept_directives(source_field.node))
    effects.fields[(obj.name, source_field.name)] = plan


def _with_key(schema: SourceSchema, keys: dict[str, ModelKeys], obj: ObjectDef, source_field: FieldDef,
              directive: DirectiveUse, related: ObjectDef, effects: RelationEffects) -> None:
    fields = tuple(directive.args["fields"])
    for name in fields:
        target = obj.field(name)
        if target is None:
            raise schema_error(f"{name} is not a field in {obj.name}", directive.arg_node("fields"))
        if target.type.is_list or not schema.is_scalar_or_enum(target.type.name):
            raise schema_error("All fields provided to an @connection must be scalar or enum fields.",
                               directive.arg_node("fields"))
    key_name = directive.args.get("keyName")
    target_key = keys[related.name].primary
    if key_name is not None:
        index = next((i for i in keys[related.name].indexes if i.name == key_name), None)
        if index is None:
            raise schema_error(f"Key {key_name} does not exist for model {related.name}", directive.arg_node("keyName"))
        target_key = index.key
    if len(fields) > len(target_key.fields):
        raise schema_error("Too many fields passed in to @connection directive.", directive.arg_node("fields"))
    limit = int(directive.args.get("limit") or 100)
    if not source_field.type.is_list:
        if key_name is not None:
            raise schema_error(
                f"Connection is to a single object but the keyName {key_name} was provided which does not "
                "reference the default table.", directive.node)
        _relation_field(effects, obj, source_field, related)
        effects.relations.setdefault(obj.name, []).append(
            RelationSpec("belongsTo", source_field.name, related.name, fields, target_key))
        return
    sort_argument = None
    if len(fields) == 1 and target_key.sort:
        sort_argument = sort_key_argument(related, key_name, target_key.sort, schema)
        if sort_argument is not None:
            effects.sort_arguments.append(sort_argument)
    _relation_field(effects, obj, source_field, related, sort_argument)
    effects.relations.setdefault(obj.name, []).append(
        RelationSpec("hasMany", source_field.name, related.name, fields, target_key, key_name, limit))


def _named(schema: SourceSchema, keys: dict[str, ModelKeys], obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse,
           related: ObjectDef, effects: RelationEffects) -> None:
    """``@connection(name:)`` or no arguments: the foreign key lives in the create/update inputs."""
    name = directive.args.get("name")
    counterpart = None
    if name is not None:
        counterpart = next((f for f in related.fields if f is not source_field
                            and (d := f.directive("connection")) is not None and d.args.get("name") == name), None)
        if counterpart is None:
            raise schema_error(
                f'Found one half of connection "{name}" at {obj.name}.{source_field.name} but no related field on '
                f"type {related.name}", directive.node)
    connection = name or f"{obj.name}.{source_field.name}"
    limit = int(directive.args.get("limit") or 100)
    key_field = directive.args.get("keyField")
    if source_field.type.is_list:
        if counterpart is not None and counterpart.type.is_list:
            raise schema_error(
                f"Invalid Connection ({connection}): Many to Many connections are not yet supported.", directive.node)
        sort_field = None
        if counterpart is not None:
            foreign = key_field or camel_case([related.name, counterpart.name, "id"])
            sort_field = counterpart.directive("connection").args.get("sortField")  # type: ignore[union-attr]
        else:
            foreign = key_field or camel_case([obj.name, source_field.name, "id"])
            _hidden_key(effects, related.name, foreign, non_null=False)
        index = f"gsi-{connection}"
        target_key = KeySpec(foreign, (sort_field,) if sort_field else ())
        effects.add_index(related.name, IndexSpec(index, target_key))
        sort_argument = sort_key_argument(related, None, target_key.sort, schema) if sort_field else None
        if sort_argument is not None:
            effects.sort_arguments.append(sort_argument)
        _relation_field(effects, obj, source_field, related, sort_argument)
        effects.relations.setdefault(obj.name, []).append(RelationSpec(
            "hasMany", source_field.name, related.name, keys[obj.name].primary.fields[:1], target_key, index, limit))
        return
    foreign = key_field or camel_case([obj.name, source_field.name, "id"])
    _hidden_key(effects, obj.name, foreign, non_null=source_field.type.non_null)
    if counterpart is not None:
        sort_field = directive.args.get("sortField")
        effects.add_index(obj.name, IndexSpec(f"gsi-{connection}", KeySpec(foreign, (sort_field,) if sort_field else ())))
    _relation_field(effects, obj, source_field, related)
    kind = "belongsTo" if counterpart is not None else "hasOne"
    effects.relations.setdefault(obj.name, []).append(RelationSpec(
        kind, source_field.name, related.name, (foreign,), KeySpec(keys[related.name].primary.partition)))


def _hidden_key(effects: RelationEffects, model: str, name: str, non_null: bool) -> None:
    effects.add_field(model, FieldPlan(name, TypeRef("ID"), "hidden_fk", "scalar", create_non_null=non_null))
