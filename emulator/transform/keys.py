"""Keys and indexes: v2 ``@primaryKey``/``@index`` and v1 ``@key``, one ``ModelKeys`` result.

Both versions describe the same thing (a table key plus GSIs, optionally with a Query field each),
so both readers return ``ModelKeys`` and share the attribute-type and composite-key rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.apimodel import IndexSpec, KeyAttributeType, KeySpec
from emulator.transform.errors import schema_error
from emulator.transform.naming import english_plural, lower_first, upper_first
from emulator.transform.parse import SCALAR_BASES, DirectiveUse, FieldDef, ObjectDef, SourceSchema


@dataclass(frozen=True)
class ModelKeys:
    primary: KeySpec
    indexes: tuple[IndexSpec, ...]
    has_key_directive: bool  # a @primaryKey / primary @key was written (it reshapes get/list/inputs)


def attribute_type(type_name: str, schema: SourceSchema) -> KeyAttributeType:
    """DynamoDB type of a key attribute: strings, IDs and enums are S; numbers are N."""
    if type_name in schema.enums:
        return "S"
    base = SCALAR_BASES.get(type_name)
    return "N" if base in ("Int", "Float") else "S"


def key_attribute_types(obj: ObjectDef, keys: list[KeySpec], schema: SourceSchema,
                        extra: dict[str, str] | None = None) -> dict[str, KeyAttributeType]:
    """Types of every stored key attribute (a composite sort key is the S attribute ``a#b``).

    ``extra`` names the GraphQL type of key attributes that are not declared fields (foreign keys).
    """
    types: dict[str, KeyAttributeType] = {}

    def type_of(name: str) -> KeyAttributeType:
        source = obj.field(name)
        if source is not None:
            return attribute_type(source.type.name, schema)
        return attribute_type((extra or {}).get(name, "ID"), schema)

    for key in keys:
        types.setdefault(key.partition, type_of(key.partition))
        if key.is_composite and key.sort_attribute:
            types.setdefault(key.sort_attribute, "S")
        elif key.sort:
            types.setdefault(key.sort[0], type_of(key.sort[0]))
    return types


def auto_index_name(model: str, fields: list[str]) -> str:
    """v2 auto names: ``postsByTitle``, ``commentsByPostIDAndContent``."""
    return f"{lower_first(english_plural(model))}By{'And'.join(upper_first(f) for f in fields)}"


def _check_key_field(obj: ObjectDef, name: str, directive: DirectiveUse, message: str) -> FieldDef:
    target = obj.field(name)
    if target is None:
        raise schema_error(message, directive.arg_node("sortKeyFields"))
    return target


def _require_scalar(target: FieldDef, schema: SourceSchema, directive: DirectiveUse, message: str) -> None:
    """Key fields are single scalars or enums, and never Boolean (DynamoDB keys are S, N or B)."""
    if not schema.is_scalar_or_enum(target.type.name) or target.type.is_list:
        raise schema_error(message, directive.node)
    if SCALAR_BASES.get(target.type.name) == "Boolean":
        raise schema_error("Boolean values cannot be used as sort keys.", directive.node)


def read_v2_keys(obj: ObjectDef, schema: SourceSchema, auto_query_names: bool = True,
                 secondary_key_as_gsi: bool = True) -> ModelKeys:
    """``@primaryKey(sortKeyFields)`` and every ``@index(name, sortKeyFields, queryField)``.

    Without ``secondaryKeyAsGSI`` an index on the table's partition key would be a local index,
    which Amplify v2's table construct cannot create: the synthesis fails, so the schema is refused.
    """
    primary = KeySpec("id")
    has_primary = False
    for source_field in obj.fields:
        directive = source_field.directive("primaryKey")
        if directive is None:
            continue
        if has_primary:
            raise schema_error(f"You may only supply one primary key on type '{obj.name}'.", directive.node)
        has_primary = True
        primary = KeySpec(source_field.name, _primary_sort_fields(obj, source_field, directive, schema))
    indexes: list[IndexSpec] = []
    for source_field in obj.fields:
        for directive in source_field.directives_named("index"):
            index = _read_index(obj, source_field, directive, schema, primary if has_primary else None,
                                auto_query_names)
            if not secondary_key_as_gsi and has_primary and index.key.partition == primary.partition:
                raise schema_error(
                    "Validation failed with the following errors:\n"
                    f"  [transformer-root-stack/{obj.name}/{obj.name}Table] a sort key of the table must be specified to add local "
                    "secondary indexes", directive.node)
            if any(existing.name == index.name for existing in indexes):
                raise schema_error(
                    f"You may only supply one @index with the name '{index.name}' on type '{obj.name}'.", directive.node
                )
            indexes.append(index)
    return ModelKeys(primary, tuple(indexes), has_primary)


def _primary_sort_fields(obj: ObjectDef, key_field: FieldDef, directive: DirectiveUse,
                         schema: SourceSchema) -> tuple[str, ...]:
    sort_fields = tuple(directive.args.get("sortKeyFields") or ())
    if key_field.name in sort_fields:
        raise schema_error(f"@primaryKey field '{key_field.name}' cannot reference itself.", directive.node)
    if not key_field.type.non_null:
        raise schema_error(f"The primary key on type '{obj.name}' must reference non-null fields.", directive.node)
    _require_scalar(key_field, schema, directive,
                    f"The primary key on type '{obj.name}.{key_field.name}' cannot be a non-scalar.")
    for name in sort_fields:
        target = _check_key_field(obj, name, directive,
                                  f"Can't find field '{name}' in {obj.name}, but it was specified in the primary key.")
        _require_scalar(target, schema, directive,
                        f"The primary key's sort key on type '{obj.name}.{name}' cannot be a non-scalar.")
        if not target.type.non_null:
            raise schema_error(f"The primary key on type '{obj.name}' must reference non-null fields.", directive.node)
    return sort_fields


def _read_index(obj: ObjectDef, key_field: FieldDef, directive: DirectiveUse, schema: SourceSchema,
                primary: KeySpec | None, auto_query_names: bool) -> IndexSpec:
    sort_fields = tuple(directive.args.get("sortKeyFields") or ())
    name = directive.args.get("name") or auto_index_name(obj.name, [key_field.name, *sort_fields])
    if "queryField" in directive.given:
        query_field = directive.args.get("queryField")
    else:
        query_field = auto_index_name(obj.name, [key_field.name, *sort_fields]) if auto_query_names else None
    if key_field.name in sort_fields:
        raise schema_error(f"@index field '{key_field.name}' cannot reference itself.", directive.node)
    if obj.directive("model") is None:
        raise schema_error("The @index directive may only be added to object definitions annotated with @model.",
                           directive.node)
    if primary is not None and primary.partition == key_field.name and not primary.sort:
        raise schema_error(
            f"Invalid @index '{name}'. You may not create an index where the partition key is the same as that of "
            "the primary key unless the primary key has a sort field. You cannot have a local secondary index "
            "without a sort key in the primary key.", directive.node)
    _require_scalar(key_field, schema, directive,
                    f"Index '{name}' on type '{obj.name}.{key_field.name}' cannot be a non-scalar.")
    for sort_name in sort_fields:
        target = _check_key_field(
            obj, sort_name, directive,
            f"Can't find field '{sort_name}' in {obj.name}, but it was specified in index '{name}'.")
        _require_scalar(target, schema, directive,
                        f"The sort key of index '{name}' on type '{obj.name}.{sort_name}' cannot be a non-scalar.")
    return IndexSpec(name, KeySpec(key_field.name, sort_fields), query_field)


def read_v1_keys(obj: ObjectDef, schema: SourceSchema) -> ModelKeys:
    """v1 ``@key``: the unnamed one is the table key, named ones are GSIs (Query field only with queryField)."""
    primary = KeySpec("id")
    has_primary = False
    indexes: list[IndexSpec] = []
    for directive in obj.directives_named("key"):
        fields = tuple(directive.args.get("fields") or ())
        name = directive.args.get("name")
        if not fields:
            raise schema_error("@key directives must include at least one field.", directive.node)
        _check_v1_key_fields(obj, directive, fields, name, schema, is_primary=name is None)
        if name is None:
            if has_primary:
                raise schema_error(f"You may only supply one primary @key on type '{obj.name}'.", directive.node)
            if directive.args.get("queryField"):
                raise schema_error(f"You cannot pass 'queryField' to the primary @key on type '{obj.name}'.",
                                   directive.node)
            has_primary = True
            primary = KeySpec(fields[0], fields[1:])
            continue
        if any(index.name == name for index in indexes):
            raise schema_error(f"You may only supply one @key with the name '{name}' on type '{obj.name}'.",
                               directive.node)
        indexes.append(IndexSpec(name, KeySpec(fields[0], fields[1:]), directive.args.get("queryField")))
    if not primary.sort:
        for index in indexes:
            if has_primary and index.key.partition == primary.partition:
                raise schema_error(
                    f'Invalid @key "{index.name}". You may not create a @key where the first field in \'fields\' is '
                    "the same as that of the primary @key unless the primary @key has multiple 'fields'. You cannot "
                    "have a local secondary index without a sort key in the primary index.", obj.node)
    return ModelKeys(primary, tuple(indexes), has_primary)


def _check_v1_key_fields(obj: ObjectDef, directive: DirectiveUse, fields: tuple[str, ...], name: str | None,
                         schema: SourceSchema, is_primary: bool) -> None:
    if obj.directive("model") is None:
        raise schema_error("The @key directive may only be added to object definitions annotated with @model.",
                           directive.node)
    for field_name in fields:
        target = obj.field(field_name)
        if target is None:
            raise schema_error(
                f"You cannot specify a nonexistent field '{field_name}' in @key '{name or '<unnamed>'}' on type "
                f"'{obj.name}'.", directive.arg_node("fields"))
        if is_primary and not target.type.non_null:
            raise schema_error(f"The primary @key on type '{obj.name}' must reference non-null fields.",
                               directive.node)
        if not schema.is_scalar_or_enum(target.type.name) or target.type.is_list \
                or SCALAR_BASES.get(target.type.name) == "Boolean":
            raise schema_error(f"A @key on type '{obj.name}' cannot reference non-scalar field {field_name}.",
                               directive.node)
