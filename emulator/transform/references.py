"""v2 relations by ``references`` (every Amplify Gen 2 relationship): ``@hasMany``, ``@hasOne``
and ``@belongsTo`` with ``references: [...]``.

Unlike ``fields`` relations, nothing is added to any type: the child declares the foreign key
itself (``blogId``), the parent's side names it, and both sides must agree. The child's table
gets a GSI ``gsi-<Parent>.<field>`` (or the ``overrideIndexName`` the child's ``@belongsTo``
gives) whose partition key is the first reference and whose sort key is the rest (one field as
it is, several as the composite ``a#b`` attribute). Amplify's category-api
``amplify-graphql-relational-transformer`` (``*-ddb-references-transformer.ts``, ``utils.ts``,
``resolver/ddb-references-generator.ts``) is the reference: the errors keep its wording, and
the ``RelationSpec``s say what its resolvers read:

* hasMany: a Query on that GSI with the parent's primary key (sort parts as equality), the
  connection taking ``filter``/``sortDirection``/``limit``/``nextToken`` (no sort-key argument);
* hasOne: the first item of the same Query;
* belongsTo: the parent by its primary key, from the child's reference fields.
"""

from __future__ import annotations

from emulator.apimodel import IndexSpec, KeySpec, RelationSpec
from emulator.transform.errors import schema_error
from emulator.transform.keys import ModelKeys
from emulator.transform.model import kept_directives
from emulator.transform.parse import DirectiveUse, FieldDef, ObjectDef, SourceSchema, TypeRef
from emulator.transform.plan import FieldPlan
from emulator.transform.relation_effects import RelationEffects, connection_arguments

_ASSOCIATED = {"hasMany": ("belongsTo",), "hasOne": ("belongsTo",), "belongsTo": ("hasOne", "hasMany")}
_ID_LIKE = ("ID", "String")


def uses_references(directive: DirectiveUse) -> bool:
    return "references" in directive.given


def read_reference_relation(schema: SourceSchema, keys: dict[str, ModelKeys], obj: ObjectDef,
                            source_field: FieldDef, directive: DirectiveUse, related: ObjectDef,
                            effects: RelationEffects) -> None:
    """One ``@hasMany/@hasOne/@belongsTo(references:)`` field, checked as Amplify checks it."""
    references = _references(obj, source_field, directive)
    kind = directive.name
    if kind == "hasMany" and not source_field.type.is_list:
        raise schema_error("@hasMany must be used with a list. Use @hasOne for non-list types.", directive.node)
    if kind == "hasMany" and directive.args.get("indexName"):
        raise schema_error(f"Invalid @hasMany directive on {obj.name}.{source_field.name} - indexName is not "
                           "supported with DynamoDB references.", directive.arg_node("indexName"))
    primary_model, child = (related, obj) if kind == "belongsTo" else (obj, related)
    primary_key = keys[primary_model.name].primary
    if len(primary_key.fields) != len(references):
        raise schema_error(f"The number of references provided to @{kind} must match the number of primary keys on "
                           f"{primary_model.name}.", directive.arg_node("references"))
    nodes = _reference_fields(schema, child, references, kind, directive)
    _check_nullability(obj, source_field, related, kind, directive)
    if kind != "belongsTo":
        _check_consistent_nullability(obj, source_field, child, references, nodes, kind, directive)
    associated = _associated(obj, source_field, related, references, kind, directive)
    _check_key_types(primary_model, child, primary_key, nodes, directive)
    if kind == "belongsTo":
        if source_field.type.is_list:
            raise schema_error("@belongsTo cannot be used with lists.", directive.node)
        _single_field(obj, source_field, effects)
        effects.relations.setdefault(obj.name, []).append(
            RelationSpec("belongsTo", source_field.name, related.name, references, primary_key))
        return
    if kind == "hasOne" and source_field.type.is_list:
        raise schema_error("@hasOne cannot be used with lists. Use @hasMany instead.", directive.node)
    index = _add_index(keys, obj, source_field, related, references, associated, effects, directive)
    target_key = KeySpec(references[0], references[1:])
    if kind == "hasMany":
        effects.fields[(obj.name, source_field.name)] = FieldPlan(
            source_field.name, TypeRef(f"Model{related.name}Connection"), "relation", "model",
            args=connection_arguments(related.name, None), directives=kept_directives(source_field.node))
        limit = int(directive.args.get("limit") or 100)
        effects.relations.setdefault(obj.name, []).append(RelationSpec(
            "hasMany", source_field.name, related.name, primary_key.fields, target_key, index, limit))
        return
    _single_field(obj, source_field, effects)
    effects.relations.setdefault(obj.name, []).append(RelationSpec(
        "hasOne", source_field.name, related.name, primary_key.fields, target_key, index))


def _references(obj: ObjectDef, source_field: FieldDef, directive: DirectiveUse) -> tuple[str, ...]:
    where = f"{obj.name}.{source_field.name} @{directive.name}"
    if "fields" in directive.given:
        raise schema_error(f"'fields' defined on {where}. Expecting 'references' only.", directive.arg_node("fields"))
    references = tuple(directive.args.get("references") or ())
    if not references:
        raise schema_error(f"No reference fields passed to @{directive.name} directive.",
                           directive.arg_node("references"))
    return references


def _reference_fields(schema: SourceSchema, child: ObjectDef, references: tuple[str, ...], kind: str,
                      directive: DirectiveUse) -> list[FieldDef]:
    nodes = []
    for name in references:
        target = child.field(name)
        if target is None:
            raise schema_error(f"{name} is not a field in {child.name}", directive.arg_node("references"))
        if target.type.is_list or not schema.is_scalar_or_enum(target.type.name):
            raise schema_error(f"All reference fields provided to @{kind} must be scalar or enum fields.",
                               directive.arg_node("references"))
        nodes.append(target)
    return nodes


def _check_nullability(obj: ObjectDef, source_field: FieldDef, related: ObjectDef, kind: str,
                       directive: DirectiveUse) -> None:
    """The relational field itself is never required (nor its list items)."""
    field_type = source_field.type
    described = f"{obj.name}.{source_field.name}"
    if field_type.non_null:
        shown = f"[{related.name}]" if kind == "hasMany" else related.name
        raise schema_error(f"@{kind} fields must not be required. Change '{described}: {shown}!' to "
                           f"'{described}: {shown}'", directive.node)
    if field_type.is_list and field_type.item_non_null:
        wrong, right = (f"[{related.name}!]", f"[{related.name}]") if kind == "hasMany" else (
            f"{related.name}!", related.name)
        raise schema_error(f"@{kind} fields must not be required. Change '{described}: {wrong}' to "
                           f"'{described}: {right}'", directive.node)


def _check_consistent_nullability(obj: ObjectDef, source_field: FieldDef, child: ObjectDef,
                                  references: tuple[str, ...], nodes: list[FieldDef], kind: str,
                                  directive: DirectiveUse) -> None:
    required = [n.name for n in nodes if n.type.non_null]
    if required and len(required) != len(nodes):
        nullable = [n.name for n in nodes if not n.type.non_null]
        listed = ", ".join(f"'{r}'" for r in references)
        raise schema_error(
            f"Reference fields defined on related type: '{child.name}' for @{kind}(references: [{listed}]) "
            f"{obj.name}.{source_field.name} relationship have inconsistent nullability."
            f"\nRequired fields: {', '.join(repr(n) for n in required)}"
            f"\nNullable fields: {', '.join(repr(n) for n in nullable)}"
            f"\nUpdate reference fields on type '{child.name}' to have consistent nullability -- either all "
            "required or all nullable.", directive.node)


def _associated(obj: ObjectDef, source_field: FieldDef, related: ObjectDef, references: tuple[str, ...],
                kind: str, directive: DirectiveUse) -> DirectiveUse:
    """The other side's directive: same model type, the matching directive, the same references."""
    for candidate in related.fields:
        if candidate.type.name != obj.name:
            continue
        other = next((d for d in candidate.directives if d.name in _ASSOCIATED[kind]), None)
        if other is not None and tuple(other.args.get("references") or ()) == references:
            return other
    primary = related.name if kind == "belongsTo" else obj.name
    wanted = " or ".join(f"@{name}" for name in _ASSOCIATED[kind])
    raise schema_error(
        f"Uni-directional relationships are not supported. Add a {wanted} field in {related.name} to match the "
        f"@{kind} field {obj.name}.{source_field.name}, and ensure the number and type of reference fields match "
        f"the number and type of primary key fields in {primary}.", directive.node)


def _check_key_types(primary_model: ObjectDef, child: ObjectDef, primary_key: KeySpec, nodes: list[FieldDef],
                     directive: DirectiveUse) -> None:
    """Reference types equal the primary key's (``ID`` and ``String`` count as one type)."""
    for key_field, reference in zip(primary_key.fields, nodes, strict=True):
        source = primary_model.field(key_field)
        key_type = source.type.name if source is not None else "ID"
        if key_type != reference.type.name and not {key_type, reference.type.name} <= set(_ID_LIKE):
            raise schema_error(
                f"Type mismatch between primary key field(s) of {primary_model.name} and reference fields of "
                f"{child.name}. Type of {primary_model.name}.{key_field} does not match type of "
                f"{child.name}.{reference.name}", directive.node)


def _add_index(keys: dict[str, ModelKeys], obj: ObjectDef, source_field: FieldDef, related: ObjectDef,
               references: tuple[str, ...], associated: DirectiveUse, effects: RelationEffects,
               directive: DirectiveUse) -> str:
    """The child's GSI for this relation (Amplify refuses a name that is already taken)."""
    name = associated.args.get("overrideIndexName") or f"gsi-{obj.name}.{source_field.name}"
    taken = [i.name for i in keys[related.name].indexes] + [i.name for i in effects.added_indexes.get(related.name, [])]
    if name in taken:
        raise schema_error(
            f"Global secondary index {name} defined on {related.name} conflicts with the naming convention used to "
            "create implicit GSIs for querying relationships. Please rename your @index", directive.node)
    effects.add_index(related.name, IndexSpec(name, KeySpec(references[0], references[1:])))
    return name


def _single_field(obj: ObjectDef, source_field: FieldDef, effects: RelationEffects) -> None:
    effects.fields[(obj.name, source_field.name)] = FieldPlan(
        source_field.name, source_field.type, "relation", "model", directives=kept_directives(source_field.node))
