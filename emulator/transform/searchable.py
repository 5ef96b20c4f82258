"""``@searchable``: the ``searchX`` query and its ``Searchable*`` types, as Amplify generates them.

v2 (``amplify-graphql-searchable-transformer``) and v1 (``graphql-elasticsearch-transformer``)
differ in what they see of a model and in what they generate:

* v2 filters, sorts and aggregates on the scalar fields of the generated type as it stands when
  the searchable transformer runs (declared fields, ``id``, timestamps, relation keys; not the
  owner fields ``@auth`` adds later), enums filtered as strings and aggregated, not sorted; its
  query takes a list of sort inputs and ``aggregates``; the connection has ``aggregateItems``.
* v1 sees only the scalar fields written in the schema (no enums, no implicit fields); its query
  takes one sort input and no aggregates; the connection is ``items``, ``nextToken``, ``total``.

``@searchable(queries: {search: null})`` generates nothing for its model; v2 then fails on a model
that also has ``@auth``, with the message Amplify's transformer fails with.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.apimodel import Provider, RootField, SearchSpec, TransformerVersion
from emulator.transform.access import service_directives
from emulator.transform.auth import ModelAuth
from emulator.transform.document import Argument, OutField, OutputDocument, OutType
from emulator.transform.errors import schema_error
from emulator.transform.naming import camel_case, plural
from emulator.transform.parse import SCALAR_BASES, ObjectDef, SourceSchema
from emulator.transform.plan import ModelPlan

_COMPARISONS = ("ne", "gt", "lt", "gte", "lte", "eq")
_TEXT_OPERATORS = (*_COMPARISONS, "match", "matchPhrase", "matchPhrasePrefix", "multiMatch", "exists", "wildcard",
                   "regexp", "range")
SCALAR_OPERATORS: dict[str, tuple[str, ...]] = {
    "String": _TEXT_OPERATORS,
    "ID": _TEXT_OPERATORS,
    "Int": (*_COMPARISONS, "range"),
    "Float": (*_COMPARISONS, "range"),
    "Boolean": ("eq", "ne"),
}
AGGREGATE_TYPES = ("terms", "avg", "min", "max", "sum", "cardinality")
AGGREGATE_RESULT_TYPES = ("SearchableAggregateResult", "SearchableAggregateScalarResult",
                          "SearchableAggregateBucketResult", "SearchableAggregateBucketResultItem")


@dataclass(frozen=True)
class SearchableModel:
    """A model with ``@searchable``: its search query, or None when ``queries`` turns it off."""

    model: str
    query: str | None


def read_searchable(schema: SourceSchema, improve_pluralization: bool) -> tuple[SearchableModel, ...]:
    """Every ``@searchable`` type with its query name; a non-model type is refused as Amplify does."""
    found = []
    for obj in schema.objects.values():
        directive = obj.directive("searchable")
        if directive is None:
            continue
        if not obj.is_model:
            raise schema_error("Types annotated with @searchable must also be annotated with @model.", obj.node)
        queries = directive.args.get("queries")
        if queries is None:
            query: str | None = camel_case(["search", plural(obj.name, improve_pluralization)])
        else:
            query = queries.get("search") or None
        found.append(SearchableModel(obj.name, query))
    return tuple(found)


def check_searchable(models: tuple[SearchableModel, ...], auth: dict[str, ModelAuth],
                     schema: SourceSchema, version: TransformerVersion) -> None:
    """v2 fails on a model with ``@auth`` whose search query is turned off (Amplify's own crash,
    reproduced so that a schema the cloud cannot deploy does not start here either)."""
    if version != "v2":
        return
    any_query = any(m.query for m in models)
    for searchable in models:
        if searchable.query is None and auth[searchable.model].matrix is not None:
            message = ("Cannot read properties of undefined (reading 'addVtlFunctionToSlot')" if any_query
                       else "Cannot extend nonexistent type 'SearchableAggregateResult'.")
            obj = schema.objects[searchable.model]
            raise schema_error(message, obj.node)


def _input(name: str, fields: list[tuple[str, str]]) -> OutType:
    return OutType("input", name, [OutField(n, t) for n, t in fields])


def _scalar_inputs(document: OutputDocument) -> None:
    for scalar, operators in SCALAR_OPERATORS.items():
        fields = [(op, f"[{scalar}]" if op == "range" else "Boolean" if op == "exists" else scalar)
                  for op in operators]
        document.add(_input(f"Searchable{scalar}FilterInput", fields))


@dataclass(frozen=True)
class _Fields:
    """The model fields a searchable transformer sees: scalars (by base scalar) and enums."""

    scalars: tuple[tuple[str, str], ...]
    enums: tuple[str, ...]
    in_order: tuple[str, ...]  # scalars and enums as the type lists them (aggregations)


def _v2_fields(plan: ModelPlan) -> _Fields:
    seen = [f for f in plan.fields if f.role in ("declared", "id", "timestamp", "fk")]
    scalars = tuple((f.name, SCALAR_BASES[f.type.name]) for f in seen if f.type.name in SCALAR_BASES)
    enums = tuple(f.name for f in seen if f.kind == "enum")
    in_order = tuple(f.name for f in seen if f.type.name in SCALAR_BASES or f.kind == "enum")
    return _Fields(scalars, enums, in_order)


def _v1_fields(obj: ObjectDef) -> _Fields:
    scalars = tuple((f.name, SCALAR_BASES[f.type.name]) for f in obj.fields if f.type.name in SCALAR_BASES)
    return _Fields(scalars, (), tuple(name for name, _ in scalars))


def _model_inputs(document: OutputDocument, model: str, fields: _Fields, version: TransformerVersion) -> None:
    filter_name = f"Searchable{model}FilterInput"
    filter_fields = [(name, f"Searchable{base}FilterInput") for name, base in fields.scalars]
    filter_fields += [(name, "SearchableStringFilterInput") for name in fields.enums]
    filter_fields += [("and", f"[{filter_name}]"), ("or", f"[{filter_name}]"), ("not", filter_name)]
    document.add(_input(filter_name, filter_fields))
    document.add(OutType("enum", "SearchableSortDirection", values=["asc", "desc"]))
    document.add(OutType("enum", f"Searchable{model}SortableFields", values=[name for name, _ in fields.scalars]))
    document.add(_input(f"Searchable{model}SortInput", [("field", f"Searchable{model}SortableFields"),
                                                       ("direction", "SearchableSortDirection")]))
    if version == "v2":
        document.add(OutType("enum", "SearchableAggregateType", values=list(AGGREGATE_TYPES)))
        document.add(OutType("enum", f"Searchable{model}AggregateField", values=list(fields.in_order)))
        document.add(_input(f"Searchable{model}AggregationInput", [
            ("name", "String!"), ("type", "SearchableAggregateType!"), ("field", f"Searchable{model}AggregateField!")]))


def _aggregate_types(document: OutputDocument) -> None:
    document.add(OutType("type", "SearchableAggregateResult", [
        OutField("name", "String!"), OutField("result", "SearchableAggregateGenericResult")]))
    document.add(OutType("type", "SearchableAggregateScalarResult", [OutField("value", "Float!")]))
    document.add(OutType("type", "SearchableAggregateBucketResult", [
        OutField("buckets", "[SearchableAggregateBucketResultItem]")]))
    document.add(OutType("type", "SearchableAggregateBucketResultItem", [
        OutField("key", "String!"), OutField("doc_count", "Int!")]))
    union = "union SearchableAggregateGenericResult = SearchableAggregateScalarResult | SearchableAggregateBucketResult"
    if union not in document.verbatim:
        document.verbatim.append(union)


def _connection(document: OutputDocument, model: str, version: TransformerVersion) -> str:
    name = f"Searchable{model}Connection"
    fields = [OutField("items", f"[{model}]!"), OutField("nextToken", "String"), OutField("total", "Int")]
    if version == "v2":
        fields.append(OutField("aggregateItems", "[SearchableAggregateResult]!"))
    document.add(OutType("type", name, fields))
    return name


def _arguments(model: str, version: TransformerVersion) -> list[Argument]:
    sort = f"[Searchable{model}SortInput]" if version == "v2" else f"Searchable{model}SortInput"
    arguments = [Argument("filter", f"Searchable{model}FilterInput"), Argument("sort", sort),
                 Argument("limit", "Int"), Argument("nextToken", "String"), Argument("from", "Int")]
    if version == "v2":
        arguments.append(Argument("aggregates", f"[Searchable{model}AggregationInput]"))
    return arguments


def add_searchable(document: OutputDocument, models: tuple[SearchableModel, ...], plans: dict[str, ModelPlan],
                   auth: dict[str, ModelAuth], version: TransformerVersion, default: Provider,
                   sandbox: bool, iam_access: bool) -> tuple[list[RootField], list[SearchSpec]]:
    """The search queries and their types; returns their ``RootField``s (kind ``search``) and specs."""
    roots: list[RootField] = []
    specs: list[SearchSpec] = []
    searched = [m for m in models if m.query]
    if not searched:
        return roots, specs
    _scalar_inputs(document)
    if version == "v2":
        _aggregate_types(document)
    query = document.root("Query")
    for searchable in searched:
        assert searchable.query is not None
        plan, model_auth = plans[searchable.model], auth[searchable.model]
        fields = _v2_fields(plan) if version == "v2" else _v1_fields(plan.source) if plan.source else _Fields((), (), ())
        _model_inputs(document, searchable.model, fields, version)
        connection = _connection(document, searchable.model, version)
        directives = model_auth.operation_directives("search")
        query.add_field(OutField(searchable.query, connection, _arguments(searchable.model, version), directives))
        connection_type = document.get(connection)
        if model_auth.matrix is not None and connection_type is not None:
            connection_type.add_directives(directives)
        roots.append(RootField("Query", searchable.query, "search", searchable.model))
        declared = tuple(f.name for f in plan.source.fields) if plan.source else ()
        specs.append(SearchSpec(searchable.model, searchable.query, declared))
    if version == "v2":
        _aggregate_directives(document, models, auth, default, sandbox, iam_access)
    return roots, specs


def _aggregate_directives(document: OutputDocument, models: tuple[SearchableModel, ...], auth: dict[str, ModelAuth],
                          default: Provider, sandbox: bool, iam_access: bool) -> None:
    """Sandbox mode gives the aggregate result types ``@aws_api_key`` (user pools default); ``@auth``
    gives them the directives of every provider of every searchable model with rules."""
    directives: list[str] = []
    if sandbox and default != "apiKey":
        directives.append("@aws_api_key")
    providers: list[Provider] = []
    for searchable in models:
        matrix = auth[searchable.model].matrix
        if matrix is not None:
            providers += [p for p in matrix.providers if p not in providers]
    if providers and iam_access and "identityPool" not in providers:
        providers.append("identityPool")  # IAM reaches every node (Amplify's getAuthProviders)
    if providers:
        directives += [d for d in service_directives(providers, default) if d not in directives]
    for name in AGGREGATE_RESULT_TYPES:
        result_type = document.get(name)
        if result_type is not None:
            result_type.add_directives(directives)
