"""A model's part of the AppSync schema: its type, connection, inputs and root fields.

``add_model`` writes one ``ModelPlan`` into the output document and returns the ``RootField``s it
created, so the metadata and the schema text come from the same decisions.
"""

from __future__ import annotations

from emulator.apimodel import RootField
from emulator.transform.auth import ModelAuth
from emulator.transform.document import Argument, OutField, OutputDocument, OutType
from emulator.transform.inputs import (
    add_condition_input,
    add_create_input,
    add_delete_input,
    add_enum_filters,
    add_filter_input,
    add_sort_key_inputs,
    add_subscription_filter_input,
    add_update_input,
    key_arguments,
)
from emulator.transform.model import kept_directives
from emulator.transform.parse import SourceSchema
from emulator.transform.plan import Dialect, ModelPlan
from emulator.transform.sortkeys import sort_key_argument


def _key_type(plan: ModelPlan, name: str) -> str:
    source = plan.field(name)
    return source.type.name if source is not None else "ID"


def model_type(plan: ModelPlan, auth: ModelAuth) -> OutType:
    fields = [OutField(f.name, str(f.type), list(f.args), list(f.directives))
              for f in plan.fields if f.role != "hidden_fk"]
    written = list(kept_directives(plan.source.node)) if plan.source is not None else []
    interfaces = list(plan.source.interfaces) if plan.source is not None else []
    out = OutType("type", plan.name, fields, directives=written, interfaces=interfaces)
    out.add_directives(auth.type_directives())
    return out


def needs_connection(plan: ModelPlan, referenced: set[str]) -> bool:
    return bool(plan.operations.list or plan.index_queries or plan.name in referenced)


def add_model(document: OutputDocument, plan: ModelPlan, auth: ModelAuth, dialect: Dialect,
              schema: SourceSchema, referenced: set[str]) -> list[RootField]:
    """Connection, inputs and Query/Mutation/Subscription fields of one model."""
    roots: list[RootField] = []
    model_out = document.get(plan.name)
    assert model_out is not None
    has_mutations = bool(plan.operations.create or plan.operations.update or plan.operations.delete)
    if needs_connection(plan, referenced) or has_mutations or plan.subscriptions.level != "off":
        add_enum_filters(document, plan)
    if needs_connection(plan, referenced):
        document.add(OutType("type", f"Model{plan.name}Connection", [
            OutField("items", f"[{plan.name}]!"), OutField("nextToken", "String")]))
        add_filter_input(document, plan, dialect)
    for key_name, key in plan.declared_keys:
        _sort_argument(document, plan, key_name, key.sort, schema)
    roots += _queries(document, plan, auth, dialect, schema)
    if has_mutations:
        roots += _mutations(document, plan, auth, dialect)
    roots += _subscriptions(document, plan, auth, dialect)
    return roots


def _extend_return_type(document: OutputDocument, type_name: str, directives: list[str]) -> None:
    target = document.get(type_name)
    if target is not None and directives:
        target.add_directives(directives)


def _queries(document: OutputDocument, plan: ModelPlan, auth: ModelAuth, dialect: Dialect,
             schema: SourceSchema) -> list[RootField]:
    query = document.root("Query")
    roots = []
    connection = f"Model{plan.name}Connection"
    filter_name = f"Model{plan.name}FilterInput"
    key = plan.primary_key
    if plan.operations.get:
        args = [Argument(name, type_name) for name, type_name in key_arguments(plan)]
        directives = auth.operation_directives("get")
        query.add_field(OutField(plan.operations.get, plan.name, args, directives))
        _extend_return_type(document, plan.name, directives)
        roots.append(RootField("Query", plan.operations.get, "get", plan.name))
    if plan.operations.list:
        args = [Argument("filter", filter_name), Argument("limit", "Int"), Argument("nextToken", "String")]
        if plan.has_key_directive:
            sort = _sort_argument(document, plan, None, key.sort, schema)
            head = [Argument(key.partition, _key_type(plan, key.partition))]
            if sort is not None:
                head.append(sort)
            args = [*head, *args, Argument("sortDirection", "ModelSortDirection")]
        directives = auth.operation_directives("list")
        query.add_field(OutField(plan.operations.list, connection, args, directives))
        _extend_return_type(document, connection, directives)
        roots.append(RootField("Query", plan.operations.list, "list", plan.name))
    for index_query in plan.index_queries:
        partition_type = _key_type(plan, index_query.key.partition)
        args = [Argument(index_query.key.partition,
                         f"{partition_type}!" if dialect.index_partition_required else partition_type)]
        sort = _sort_argument(document, plan, index_query.index, index_query.key.sort, schema)
        if sort is not None:
            args.append(sort)
        args += [Argument("sortDirection", "ModelSortDirection"), Argument("filter", filter_name),
                 Argument("limit", "Int"), Argument("nextToken", "String")]
        directives = auth.operation_directives("list", "get")
        query.add_field(OutField(index_query.name, connection, args, directives))
        _extend_return_type(document, connection, directives)
        roots.append(RootField("Query", index_query.name, "query", plan.name, index=index_query.index))
    return roots


def _sort_argument(document: OutputDocument, plan: ModelPlan, index: str | None, sort_fields: tuple[str, ...],
                   schema: SourceSchema) -> Argument | None:
    if plan.source is None:
        return None
    types = {f.name: f.type.name for f in plan.fields}
    argument = sort_key_argument(plan.source, index, sort_fields, schema, types)
    if argument is None:
        return None
    add_sort_key_inputs(document, argument)
    return Argument(argument.name, argument.input_type)


def _mutations(document: OutputDocument, plan: ModelPlan, auth: ModelAuth, dialect: Dialect) -> list[RootField]:
    mutation = document.root("Mutation")
    condition = add_condition_input(document, plan, dialect)
    makers = (("create", plan.operations.create, add_create_input),
              ("update", plan.operations.update, add_update_input),
              ("delete", plan.operations.delete, add_delete_input))
    roots = []
    for kind, name, make_input in makers:
        if not name:
            continue
        input_name = make_input(document, plan)
        directives = auth.operation_directives(kind)  # type: ignore[arg-type]
        mutation.add_field(OutField(name, plan.name, [Argument("input", f"{input_name}!"),
                                                      Argument("condition", condition)], directives))
        _extend_return_type(document, plan.name, directives)
        roots.append(RootField("Mutation", name, kind, plan.name))  # type: ignore[arg-type]
    return roots


def _subscriptions(document: OutputDocument, plan: ModelPlan, auth: ModelAuth, dialect: Dialect) -> list[RootField]:
    subscriptions = plan.subscriptions
    if subscriptions.level == "off":
        return []
    protected = subscriptions.level == "on"
    filter_name = None
    if dialect.subscription_filters:
        filter_name = add_subscription_filter_input(
            document, plan, dialect, auth.hidden_subscription_fields(), auth.owner_fields())
    subscription = document.root("Subscription")
    mutations_of: dict[str, list[str]] = {}
    groups = ((subscriptions.on_create, plan.operations.create), (subscriptions.on_update, plan.operations.update),
              (subscriptions.on_delete, plan.operations.delete))
    for names, mutation_name in groups:
        for name in names:
            if mutation_name:
                mutations_of.setdefault(name, []).append(mutation_name)
    roots = []
    for name, mutation_names in mutations_of.items():
        args = [Argument("filter", filter_name)] if filter_name else []
        if protected:
            args += [Argument(owner, "String!" if required else "String")
                     for owner, required in auth.subscription_arguments()]
        listed = ", ".join(f'"{m}"' for m in mutation_names)
        directives = [f"@aws_subscribe(mutations: [{listed}])"]
        if protected or auth.matrix is None:
            auth_directives = auth.operation_directives("listen")
            directives += auth_directives
            _extend_return_type(document, plan.name, auth_directives)
        subscription.add_field(OutField(name, plan.name, args, directives))
        roots.append(RootField("Subscription", name, "subscribe", plan.name, mutations=tuple(mutation_names)))
    return roots
