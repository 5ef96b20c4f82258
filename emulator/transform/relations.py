"""v2 relations: ``@hasMany``, ``@hasOne``, ``@belongsTo`` (``@manyToMany`` lives in manytomany.py).

Relations by ``fields`` (or implicit keys) are read here; relations by ``references`` (Gen 2)
in ``references.py``. Both write what they add to other models into ``RelationEffects``.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.apimodel import IndexSpec, KeySpec, RelationSpec
from emulator.transform.errors import schema_error
from emulator.transform.keys import ModelKeys
from emulator.transform.model import kept_directives
from emulator.transform.naming import camel_case
from emulator.transform.parse import SCALAR_BASES, DirectiveUse, FieldDef, ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldPlan
from emulator.transform.references import read_reference_relation, uses_references
from emulator.transform.relation_effects import RelationEffects, connection_arguments
from emulator.transform.sortkeys import sort_key_argument


@dataclass(frozen=True)
class _Context:
    schema: SourceSchema
    keys: dict[str, ModelKeys]
    respect_key_names: bool = True  # respectPrimaryKeyAttributesOnConnectionField

    def primary(self, model: str) -> KeySpec:
        return self.keys[model].primary

    def foreign_key_names(self, owner: str, field_name: str, target: str) -> tuple[str, ...]:
        """``blogPostsId`` (+ one per sort key); without the flag the partition part is always ``...Id``."""
        key = self.primary(target)
        partition = key.partition if self.respect_key_names else "id"
        return tuple(camel_case([owner, field_name, name]) for name in (partition, *key.sort))

    def foreign_key_type(self, target: str, key_field: str) -> str:
        if key_field == self.primary(target).partition and not self.respect_key_names:
            return "ID"
        return self.key_type(target, key_field)

    def key_type(self, model: str, name: str) -> str:
        obj = self.schema.objects[model]
        source = obj.field(name)
        return source.type.name if source is not None else "ID"


def read_v2_relations(schema: SourceSchema, keys: dict[str, ModelKeys],
                      respect_key_names: bool = True) -> RelationEffects:
    """Every ``@hasMany``/``@hasOne``/``@belongsTo``/``@manyToMany`` of every model."""
    context = _Context(schema, keys, respect_key_names)
    effects = RelationEffects()
    readers = {"hasMany": _has_many, "manyToMany": _many_to_many, "hasOne": _has_one, "belongsTo": _belongs_to}
    for obj in schema.models:
        for source_field in obj.fields:
            for name, reader in readers.items():
                directive = source_field.directive(name)
                if directive is None:
                    continue
                related = _related_model(source_field, schema)
                if uses_references(directive):
                    read_reference_relation(schema, keys, obj, source_field, directive, related, effects)
                else:
                    reader(context, obj, source_field, directive, related, effects)
    return effects


def _related_model(source_field: FieldDef, schema: SourceSchema) -> ObjectDef:
    related = schema.model(source_field.type.name)
    if related is None:
        raise schema_error(f"Object type {source_field.type.name} must be annotated with @model.", source_field.node)
    return related


def _field_nodes(obj: ObjectDef, directive: DirectiveUse, schema: SourceSchema) -> tuple[str, ...]:
    names = tuple(directive.args.get("fields") or ())
    if "fields" in directive.given and not names:
        raise schema_error(f"No fields passed to @{directive.name} directive.", directive.node)
    for name in names:
        target = obj.field(name)
        if target is None:
            raise schema_error(f"{name} is not a field in {obj.name}", directive.arg_node("fields"))
        if not schema.is_scalar_or_enum(target.type.name):
            raise schema_error(f"All fields provided to @{directive.name} must be scalar or enum fields.",
                               directive.arg_node("fields"))
    return names


def _related_index(context: _Context, related: ObjectDef, index_name: str | None,
                   directive: DirectiveUse) -> KeySpec:
    if index_name is None:
        return context.primary(related.name)
    for index in context.keys[related.name].indexes:
        if index.name == index_name:
            return index.key
    raise schema_error(f"Index {index_name} does not exist for model {related.name}", directive.arg_node("indexName"))


def _foreign_keys(context: _Context, owner: str, field_name: str, target: str, non_null: bool,
                  into: str, effects: RelationEffects, in_subscription_filter: bool = True) -> tuple[str, ...]:
    """Add ``camelCase(owner, field, keyField)`` fields to ``into`` for every key field of ``target``.

    A required relation field (``kind: Type! @hasOne``) makes its keys required on the type too."""
    names = context.foreign_key_names(owner, field_name, target)
    for name, key_field in zip(names, context.primary(target).fields, strict=True):
        type_name = context.foreign_key_type(target, key_field)
        effects.add_field(into, FieldPlan(name, TypeRef(type_name, non_null=non_null), "fk", "scalar",
                                          create_non_null=non_null, in_subscription_filter=in_subscription_filter))
    return names


def _many_to_many(context: _Context, obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse,
                  related: ObjectDef, effects: RelationEffects) -> None:
    """A ``@manyToMany`` side, already rewritten to a one-to-many over the join model (manytomany.py)."""
    _has_many(context, obj, source_field, directive, related, effects, kind="manyToMany")


def _has_many(context: _Context, obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse,
              related: ObjectDef, effects: RelationEffects, kind: str = "hasMany") -> None:
    if not source_field.type.is_list:
        raise schema_error("@hasMany must be used with a list. Use @hasOne for non-list types.", directive.node)
    fields = _field_nodes(obj, directive, context.schema)
    index_name = directive.args.get("indexName")
    limit = int(directive.args.get("limit") or 100)
    sort_argument = None
    if fields or index_name:
        target_key = _related_index(context, related, index_name, directive)
        source_fields = fields or context.primary(obj.name).fields[:1]
        if len(source_fields) < 2 and len(target_key.fields) > 1:
            sort_argument = sort_key_argument(related, index_name, target_key.sort, context.schema)
        index = index_name
    else:
        foreign = _foreign_keys(context, obj.name, source_field.name, obj.name, source_field.type.non_null,
                                related.name, effects, in_subscription_filter=False)
        index = f"gsi-{obj.name}.{source_field.name}"
        target_key = KeySpec(foreign[0], foreign[1:])
        extras = effects.subscription_filter_extras.setdefault(obj.name, [])
        for name, key_field in zip(foreign, context.primary(obj.name).fields, strict=True):
            base = SCALAR_BASES.get(context.foreign_key_type(obj.name, key_field), "String")
            extras.append((name, f"ModelSubscription{base}Input"))
        effects.add_index(related.name, IndexSpec(index, target_key))
        source_fields = context.primary(obj.name).fields
    if sort_argument is not None:
        effects.sort_arguments.append(sort_argument)
    effects.fields[(obj.name, source_field.name)] = FieldPlan(
        source_field.name, TypeRef(f"Model{related.name}Connection"), "relation", "model",
        args=connection_arguments(related.name, sort_argument), directives=kept_directives(source_field.node),
    )
    effects.relations.setdefault(obj.name, []).append(RelationSpec(
        kind, source_field.name, related.name, tuple(source_fields), target_key, index, limit))  # type: ignore[arg-type]


def _has_one(context: _Context, obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse,
             related: ObjectDef, effects: RelationEffects) -> None:
    if source_field.type.is_list:
        raise schema_error("@hasOne cannot be used with lists. Use @hasMany for list types.", directive.node)
    fields = _field_nodes(obj, directive, context.schema)
    if not fields:
        fields = _foreign_keys(context, obj.name, source_field.name, related.name, source_field.type.non_null,
                               obj.name, effects)
    _single(context, obj, source_field, related, "hasOne", fields, effects)


def _belongs_to(context: _Context, obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse,
                related: ObjectDef, effects: RelationEffects) -> None:
    if "overrideIndexName" in directive.given:
        raise schema_error(
            f"overrideIndexName cannot be used on @belongsTo without references. Modify {obj.name}.{source_field.name} "
            "to use references or remove overrideIndexName.", directive.arg_node("overrideIndexName"))
    if source_field.type.is_list:
        raise schema_error("@belongsTo cannot be used with lists.", directive.node)
    counterpart = next(
        ((f, d) for f in related.fields if f.type.name == obj.name
         for d in f.directives if d.name in ("hasOne", "hasMany")),
        None,
    )
    if counterpart is None:
        raise schema_error(
            f"{related.name} must have a relationship with {obj.name} in order to use @belongsTo.", directive.node)
    fields = _field_nodes(obj, directive, context.schema)
    if not fields:
        parent_field, parent_directive = counterpart
        if parent_directive.name == "hasMany":
            fields = context.foreign_key_names(related.name, parent_field.name, related.name)
        else:
            fields = _foreign_keys(context, obj.name, source_field.name, related.name, source_field.type.non_null,
                                   obj.name, effects)
    _single(context, obj, source_field, related, "belongsTo", fields, effects)


def _single(context: _Context, obj: ObjectDef, source_field: FieldDef, related: ObjectDef, kind: str,
            fields: tuple[str, ...], effects: RelationEffects) -> None:
    effects.fields[(obj.name, source_field.name)] = FieldPlan(
        source_field.name, source_field.type, "relation", "model", directives=kept_directives(source_field.node))
    effects.relations.setdefault(obj.name, []).append(RelationSpec(
        kind, source_field.name, related.name, fields, context.primary(related.name)))  # type: ignore[arg-type]
