"""v2 ``@manyToMany``: the join model Amplify generates, and both sides rewritten to reach it.

``Post.tags: [Tag] @manyToMany(relationName: "PostTags")`` together with the matching field on
``Tag`` becomes a ``PostTags @model { id postId tagId post tag }`` with ``@index`` ``byPost`` and
``byTag`` (so ``postTagsByPostId``/``postTagsByTagId`` queries), ``@hasOne`` back to both sides and
the union of both models' ``@auth`` rules; each side turns into a connection of join rows
(``tags: ModelPostTagsConnection``) over that index. The rewrite happens on the source schema, so
everything downstream sees an ordinary model and an ordinary one-to-many relation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphql import parse, print_ast

from emulator.transform.errors import schema_error
from emulator.transform.naming import graphql_name, lower_first, upper_first
from emulator.transform.parse import DirectiveUse, FieldDef, ObjectDef, SourceSchema, object_def
from emulator.transform.vocabulary import vocabulary_schema


@dataclass(frozen=True)
class _Side:
    model: ObjectDef
    field: FieldDef
    directive: DirectiveUse


def _key_fields(obj: ObjectDef) -> tuple[str, tuple[str, ...]]:
    for source_field in obj.fields:
        directive = source_field.directive("primaryKey")
        if directive is not None:
            return source_field.name, tuple(directive.args.get("sortKeyFields") or ())
    return "id", ()


def _type_of(obj: ObjectDef, name: str) -> str:
    source = obj.field(name)
    return source.type.name if source is not None else "ID"


def _sides(schema: SourceSchema) -> dict[str, list[_Side]]:
    sides: dict[str, list[_Side]] = {}
    for obj in schema.models:
        for source_field in obj.fields:
            directive = source_field.directive("manyToMany")
            if directive is None:
                continue
            if not source_field.type.is_list:
                raise schema_error("@manyToMany must be used with a list.", directive.node)
            sides.setdefault(directive.args["relationName"], []).append(_Side(obj, source_field, directive))
    return sides


def _validate(name: str, join_name: str, pair: list[_Side], schema: SourceSchema) -> None:
    if len(pair) != 2:
        raise schema_error(f"@manyToMany relation '{name}' must be used in exactly two locations.", pair[0].directive.node)
    first, second = pair
    if first.field.type.name != second.model.name:
        raise schema_error(f"@manyToMany relation '{name}' expects '{first.field.type.name}' but got "
                           f"'{second.model.name}'.", second.directive.node)
    if second.field.type.name != first.model.name:
        raise schema_error(f"@manyToMany relation '{name}' expects '{second.field.type.name}' but got "
                           f"'{first.model.name}'.", first.directive.node)
    if join_name in schema.objects:
        raise schema_error(f"@manyToMany relation name '{join_name}' (derived from '{name}') already exists as a "
                           "type in the schema.", first.directive.node)


def _auth_rules_text(pair: list[_Side]) -> str:
    rules = []
    for side in pair:
        directive = side.model.directive("auth")
        for argument in directive.node.arguments or () if directive else ():
            if argument.name.value == "rules":
                rules += [print_ast(value) for value in getattr(argument.value, "values", [argument.value])]
    return f" @auth(rules: [{', '.join(rules)}])" if rules else ""


def _join_sdl(join_name: str, pair: list[_Side], respect_key_names: bool) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """The join model's SDL, and per side the join fields that hold that side's key."""
    lines = ["  id: ID!"]
    links = []
    for side in pair:
        model = side.model.name
        field_name = lower_first(model)
        partition, sort = _key_fields(side.model)
        key_field = f"{field_name}{upper_first(partition) if respect_key_names else 'ID'}"
        sort_fields = [f"{field_name}{name}" for name in sort]
        sort_list = ", ".join(f'"{name}"' for name in sort_fields)
        lines.append(f'  {key_field}: {_type_of(side.model, partition)}! @index(name: "by{model}", '
                     f"sortKeyFields: [{sort_list}])")
        lines += [f"  {name}: {_type_of(side.model, original)}!" for name, original in zip(sort_fields, sort, strict=True)]
        links.append((field_name, (key_field, *sort_fields)))
    for side, (field_name, keys) in zip(pair, links, strict=True):
        key_list = ", ".join(f'"{k}"' for k in keys)
        lines.append(f"  {field_name}: {side.model.name}! @hasOne(fields: [{key_list}])")
    body = "\n".join(lines)
    return f"type {join_name} @model{_auth_rules_text(pair)} {{\n{body}\n}}", links


def _rewritten_field(side: _Side, join_name: str) -> FieldDef:
    """``tags: [Tag] @manyToMany`` -> ``tags: [PostTags]`` over the ``by<Model>`` index."""
    partition, sort = _key_fields(side.model)
    args = {**side.directive.args, "indexName": f"by{side.model.name}", "fields": [partition, *sort]}
    directive = replace(side.directive, args=args, given=side.directive.given | {"indexName", "fields"})
    directives = tuple(directive if d is side.directive else d for d in side.field.directives)
    return replace(side.field, type=side.field.type.named(join_name), directives=directives)


def add_many_to_many(schema: SourceSchema, respect_key_names: bool = True) -> SourceSchema:
    """``schema`` with a join model per ``@manyToMany`` relation and both sides pointing at it."""
    sides = _sides(schema)
    if not sides:
        return schema
    objects = dict(schema.objects)
    vocabulary = vocabulary_schema("v2")
    for name, pair in sides.items():
        join_name = graphql_name(upper_first(name))
        _validate(name, join_name, pair, schema)
        sdl, _links = _join_sdl(join_name, pair, respect_key_names)
        node = parse(sdl, no_location=True).definitions[0]
        objects[join_name] = object_def(node, vocabulary)  # type: ignore[arg-type]
        for side in pair:
            current = objects[side.model.name]
            fields = tuple(_rewritten_field(side, join_name) if f.name == side.field.name else f
                           for f in current.fields)
            objects[side.model.name] = replace(current, fields=fields)
    return replace(schema, objects=objects)
