"""Generated input types: scalar filters, model filter/condition/subscription-filter inputs,
create/update/delete inputs, key-condition and composite-key inputs, enum filters.

Which model fields each input lists follows the field's role (see ``plan.FieldRole``) and the
``Dialect``; the operator lists are AppSync's (transformer-semantics.md §1.1).
"""

from __future__ import annotations

from emulator.transform.document import OutField, OutputDocument, OutType
from emulator.transform.parse import SCALAR_BASES, TypeRef
from emulator.transform.plan import Dialect, FieldPlan, ModelPlan
from emulator.transform.sortkeys import (
    KEY_CONDITION_OPERATORS,
    NUMERIC_KEY_CONDITION_OPERATORS,
    SortKeyArgument,
)

_COMPARISONS = ("ne", "eq", "le", "lt", "ge", "gt")
_SCALAR_OPERATORS: dict[str, tuple[str, ...]] = {
    "String": (*_COMPARISONS, "contains", "notContains", "between", "beginsWith"),
    "ID": (*_COMPARISONS, "contains", "notContains", "between", "beginsWith"),
    "Int": (*_COMPARISONS, "between"),
    "Float": (*_COMPARISONS, "between"),
    "Boolean": ("ne", "eq"),
}
_FUNCTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "String": (("attributeExists", "Boolean"), ("attributeType", "ModelAttributeTypes"), ("size", "ModelSizeInput")),
    "ID": (("attributeExists", "Boolean"), ("attributeType", "ModelAttributeTypes"), ("size", "ModelSizeInput")),
    "Int": (("attributeExists", "Boolean"), ("attributeType", "ModelAttributeTypes")),
    "Float": (("attributeExists", "Boolean"), ("attributeType", "ModelAttributeTypes")),
    "Boolean": (("attributeExists", "Boolean"), ("attributeType", "ModelAttributeTypes")),
}
ATTRIBUTE_TYPES = ("binary", "binarySet", "bool", "list", "map", "number", "numberSet", "string", "stringSet", "_null")
SCALAR_ORDER = ("String", "Int", "Float", "Boolean", "ID")


def _input(name: str, fields: list[tuple[str, str]]) -> OutType:
    return OutType("input", name, [OutField(n, t) for n, t in fields])


def add_common_inputs(document: OutputDocument, dialect: Dialect) -> None:
    """Scalar filter inputs, ``ModelSizeInput``, ``ModelAttributeTypes``, ``ModelSortDirection``.

    AppSync always emits these, used or not.
    """
    for scalar in SCALAR_ORDER:
        operators = [(op, f"[{scalar}]" if op == "between" else scalar) for op in _SCALAR_OPERATORS[scalar]]
        document.add(_input(f"Model{scalar}Input", [*operators, *_FUNCTIONS[scalar]]))
    if dialect.subscription_filters:
        for scalar in SCALAR_ORDER:
            operators = [(op, f"[{scalar}]" if op == "between" else scalar) for op in _SCALAR_OPERATORS[scalar]]
            if scalar != "Boolean":
                operators += [("in", f"[{scalar}]"), ("notIn", f"[{scalar}]")]
            document.add(_input(f"ModelSubscription{scalar}Input", operators))
    document.add(OutType("enum", "ModelAttributeTypes", values=list(ATTRIBUTE_TYPES)))
    document.add(_input("ModelSizeInput", [(op, "Int") for op in _COMPARISONS] + [("between", "[Int]")]))
    document.add(OutType("enum", "ModelSortDirection", values=["ASC", "DESC"]))


def filter_type(plan_field: FieldPlan) -> str:
    """The filter input for a scalar or enum field (``ModelStringInput``, ``ModelStatusInput``...)."""
    if plan_field.kind == "enum":
        return f"Model{plan_field.type.name}{'List' if plan_field.type.is_list else ''}Input"
    return f"Model{SCALAR_BASES[plan_field.type.name]}Input"


def _subscription_filter_type(plan_field: FieldPlan) -> str:
    base = "String" if plan_field.kind == "enum" else SCALAR_BASES[plan_field.type.name]
    return f"ModelSubscription{base}Input"


def add_enum_filters(document: OutputDocument, plan: ModelPlan) -> None:
    """``Model<Enum>Input { eq ne }`` and ``Model<Enum>ListInput`` for the model's enum fields."""
    for plan_field in plan.fields:
        if plan_field.kind != "enum":
            continue
        enum = plan_field.type.name
        if plan_field.type.is_list:
            document.add(_input(f"Model{enum}ListInput", [("eq", f"[{enum}]"), ("ne", f"[{enum}]"),
                                                         ("contains", enum), ("notContains", enum)]))
        else:
            document.add(_input(f"Model{enum}Input", [("eq", enum), ("ne", enum)]))


def _filterable(plan: ModelPlan, dialect: Dialect) -> list[FieldPlan]:
    roles = {"declared", "fk"}
    if dialect.implicit_fields_in_filters:
        roles |= {"id", "timestamp"}
    if dialect.owner_fields_in_filters:
        roles.add("owner")
    return [f for f in plan.fields if f.role in roles and f.kind in ("scalar", "enum")]


def _logic(name: str, with_not: bool = True) -> list[tuple[str, str]]:
    return [("and", f"[{name}]"), ("or", f"[{name}]")] + ([("not", name)] if with_not else [])


def _implicit_id_filter(plan: ModelPlan, dialect: Dialect) -> bool:
    """v2 filters keep ``id: ModelIDInput`` on a model whose ``@primaryKey`` replaced ``id``: Amplify
    builds them before the key directive removes the implicit ``id`` from the type."""
    declared = plan.field("id")
    return dialect.version == "v2" and (declared is None or declared.role == "owner")


def add_filter_input(document: OutputDocument, plan: ModelPlan, dialect: Dialect) -> str:
    name = f"Model{plan.name}FilterInput"
    fields = [(f.name, "ModelStringInput" if f.role == "owner" else filter_type(f)) for f in _filterable(plan, dialect)]
    if _implicit_id_filter(plan, dialect):
        fields = [(n, t) for n, t in fields if n != "id"] + [("id", "ModelIDInput")]
    document.add(_input(name, fields + _logic(name)))
    return name


def _v1_auth_fields(plan: ModelPlan) -> set[str]:
    """Fields v1 leaves out of the condition input: every owner and groups field a model rule names."""
    names = set()
    for rule in plan.auth_rules or ():
        if rule.allow == "owner":
            names.add(rule.owner_field)
        elif rule.allow == "groups":
            names.add(rule.groups_field or "groups")
    return names


def add_condition_input(document: OutputDocument, plan: ModelPlan, dialect: Dialect) -> str:
    name = f"Model{plan.name}ConditionInput"
    excluded = set(plan.primary_key.fields) if plan.has_key_directive else set()
    if dialect.version == "v1":
        excluded |= _v1_auth_fields(plan)
    # the key cannot be a condition: v1 and key directives drop ``id``; v2 drops only an ID-typed ``id``
    # (an owner field named ``id`` is added back by @auth, as a string)
    drop_any_id = plan.has_key_directive or dialect.version == "v1"
    fields = []
    for plan_field in _filterable(plan, dialect):
        kind = "ModelStringInput" if plan_field.role == "owner" else filter_type(plan_field)
        if plan_field.name in excluded:
            continue
        if plan_field.name == "id" and plan_field.role != "owner" and (drop_any_id or kind == "ModelIDInput"):
            continue
        fields.append((plan_field.name, kind))
    document.add(_input(name, fields + _logic(name)))
    return name


def add_subscription_filter_input(document: OutputDocument, plan: ModelPlan, dialect: Dialect, hidden: set[str],
                                  owner_fields: list[str]) -> str:
    """``ModelSubscriptionXFilterInput``: dynamic-auth fields are hidden, owner fields re-added as strings."""
    name = f"ModelSubscription{plan.name}FilterInput"
    fields = [(f.name, _subscription_filter_type(f)) for f in plan.fields
              if f.role in ("declared", "id", "fk", "timestamp") and f.kind in ("scalar", "enum")
              and f.in_subscription_filter and f.name not in hidden]
    if _implicit_id_filter(plan, dialect) and "id" not in hidden:
        fields = [(n, t) for n, t in fields if n != "id"] + [("id", "ModelSubscriptionIDInput")]
    fields += _logic(name, with_not=False)
    present = {n for n, _ in fields}
    fields += [(n, t) for n, t in plan.extra_subscription_filters if n not in present]
    present = {n for n, _ in fields}
    fields += [(owner, "ModelStringInput") for owner in owner_fields if owner not in present]
    document.add(_input(name, fields))
    return name


def _input_type(plan_field: FieldPlan) -> TypeRef:
    if plan_field.kind == "object":
        return plan_field.type.named(f"{plan_field.type.name}Input")
    return plan_field.type


def _mutation_input_fields(plan: ModelPlan) -> list[FieldPlan]:
    """Fields a create/update input carries: no relations, and no union or interface (no input can hold one)."""
    return [f for f in plan.fields
            if f.role in ("declared", "fk", "hidden_fk", "id") and f.kind not in ("model", "abstract")]


def add_create_input(document: OutputDocument, plan: ModelPlan) -> str:
    name = f"Create{plan.name}Input"
    timestamps = {plan.created_at, plan.updated_at}
    fields: list[tuple[str, str]] = []
    for plan_field in _mutation_input_fields(plan):
        kind = _input_type(plan_field)
        if plan_field.role in ("fk", "hidden_fk"):
            kind = kind.required() if plan_field.create_non_null else kind.nullable()
        elif plan_field.name == "id" and kind.name in ("ID", "String"):
            kind = kind.nullable()
        elif plan_field.name in timestamps and kind.name in ("String", "AWSDateTime"):
            kind = kind.nullable()
        fields.append((plan_field.name, str(kind)))
    if not plan.declares_id:
        fields = [(n, t) for n, t in fields if n != "id"]
    document.add(_input(name, fields))
    return name


def add_update_input(document: OutputDocument, plan: ModelPlan) -> str:
    name = f"Update{plan.name}Input"
    keys = set(plan.primary_key.fields)
    fields: list[tuple[str, str]] = []
    for plan_field in _mutation_input_fields(plan):
        kind = _input_type(plan_field)
        kind = kind.required() if plan_field.name in keys else kind.nullable()
        fields.append((plan_field.name, str(kind)))
    if not plan.declares_id:
        fields = [(n, t) for n, t in fields if n != "id"]
    document.add(_input(name, fields))
    return name


def key_arguments(plan: ModelPlan) -> list[tuple[str, str]]:
    """The key fields a get or delete takes: ``id: ID!`` unless a key directive names others."""
    if not plan.has_key_directive:
        return [("id", "ID!")]
    arguments = []
    for key_field in plan.primary_key.fields:
        source = plan.field(key_field)
        arguments.append((key_field, f"{source.type.name if source else 'ID'}!"))
    return arguments


def add_delete_input(document: OutputDocument, plan: ModelPlan) -> str:
    name = f"Delete{plan.name}Input"
    fields = key_arguments(plan)
    document.add(_input(name, fields))
    return name


def add_sort_key_inputs(document: OutputDocument, argument: SortKeyArgument) -> None:
    """The key-condition input a sort-key argument names (and its composite key input)."""
    if argument.scalar is not None:
        scalar = argument.scalar
        operators = KEY_CONDITION_OPERATORS if scalar in ("String", "ID") else NUMERIC_KEY_CONDITION_OPERATORS
        document.add(_input(argument.input_type,
                            [(op, f"[{scalar}]" if op == "between" else scalar) for op in operators]))
        return
    assert argument.composite_input is not None
    composite = argument.composite_input
    document.add(_input(argument.input_type,
                        [(op, f"[{composite}]" if op == "between" else composite) for op in KEY_CONDITION_OPERATORS]))
    document.add(_input(composite, list(argument.composite_fields)))


def add_non_model_input(document: OutputDocument, type_name: str, fields: list[tuple[str, str]]) -> None:
    """``<Type>Input`` mirroring a non-model object type used by a model field."""
    document.add(_input(f"{type_name}Input", fields))
