"""Every custom resolver a project declares, as one ``CustomResolvers`` (``emulator.resolver_specs``).

Layers, lowest first (later ones win by name, as the config file wins over the project elsewhere):

1. the data sources every API has: ``<Model>Table`` for each model (how Amplify and Gen 2
   handlers name them) and ``NONE_DS``;
2. an Amplify Gen 1 API's ``stacks/*.json`` (``emulator.amplify.stacks``) and its
   ``resolvers/`` slot and override files (``emulator.amplify.resolver_files``), or a Gen 2
   project's ``a.handler.custom`` handlers (``emulator.gen2.handlers``);
3. the config file's ``[data_sources]``, ``[resolvers]``, ``[pipeline_functions]``.

Then every reference is checked against the schema, so a broken declaration stops the start
(or the reload) with the file and resource at fault instead of failing at the first request.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema

from emulator.amplify.resolver_files import generated_fields, read_resolver_files
from emulator.amplify.stacks import StackDeclarations, StackEnvironment, read_stacks
from emulator.apimodel import ApiModel
from emulator.gen2.handlers import custom_handler_resolvers
from emulator.gen2.merge import gen2_project
from emulator.resolver_config import ConfigDataSource, ConfigHandler, CustomConfig, KeyPart
from emulator.resolver_specs import (
    CustomResolverError,
    CustomResolvers,
    DataSourceSpec,
    Handler,
    PipelineFunctionSpec,
    ResolverSpec,
    TableSpec,
    TemplateText,
)
from emulator.sdl import build_appsync_schema
from emulator.settings import Settings

log = logging.getLogger("appsync_emulator.custom_resolvers")
NONE_DATA_SOURCE = "NONE_DS"


def load_custom_resolvers(settings: Settings, api: ApiModel) -> CustomResolvers:
    """Read, merge and check what the project and the config declare (``CustomResolverError``)."""
    model_tables = {model: settings.table_name(model) for model in api.models}
    data_sources = implicit_data_sources(model_tables)
    declared = _amplify_stacks(settings, model_tables)
    data_sources.update(declared.data_sources)
    resolvers = dict(declared.resolvers)
    project = gen2_project(settings)
    if project is not None:
        resolvers.update(custom_handler_resolvers(project, settings.api_id, settings.env))
    tables = list(declared.tables)
    warnings = list(declared.warnings)
    if settings.custom is not None:
        _apply_config(settings.custom, model_tables, data_sources, resolvers, tables)
    slots, overrides = [], []
    amplify = settings.extra.get("amplify") or {}
    if amplify.get("api_dir"):
        files = read_resolver_files(Path(amplify["api_dir"]), api, declared.used_files, resolvers)
        slots, overrides, warnings = files.slots, files.overrides, warnings + files.warnings
    custom = CustomResolvers(data_sources, resolvers, tuple(slots), tuple(overrides), tuple(tables), tuple(warnings))
    check_references(custom, api)
    return custom


def implicit_data_sources(model_tables: dict[str, str]) -> dict[str, DataSourceSpec]:
    sources = {
        f"{model}Table": DataSourceSpec(f"{model}Table", "AMAZON_DYNAMODB", f"the table of model {model}",
                                        table=table, model=model)
        for model, table in model_tables.items()
    }
    sources[NONE_DATA_SOURCE] = DataSourceSpec(NONE_DATA_SOURCE, "NONE", "the API's NONE data source")
    return sources


def _amplify_stacks(settings: Settings, model_tables: dict[str, str]) -> StackDeclarations:
    amplify = settings.extra.get("amplify") or {}
    if not amplify.get("api_dir"):
        return StackDeclarations()
    api_dir = Path(amplify["api_dir"])
    functions_dir = api_dir.parents[1] / "function"  # amplify/backend/function
    functions = tuple(sorted(p.name for p in functions_dir.iterdir() if p.is_dir())) if functions_dir.is_dir() else ()
    return read_stacks(StackEnvironment(
        api_dir=api_dir,
        api_name=str(amplify.get("api") or api_dir.name),
        api_id=settings.api_id,
        env=settings.env,
        region=settings.dynamodb_region,
        model_tables=model_tables,
        functions=functions,
    ))


# ---------------------------------------------------------------------------------------------
# The config layer


def _apply_config(
    config: CustomConfig,
    model_tables: dict[str, str],
    data_sources: dict[str, DataSourceSpec],
    resolvers: dict[tuple[str, str], ResolverSpec],
    tables: list[TableSpec],
) -> None:
    for name, entry in config.data_sources.items():
        spec, table = _config_data_source(entry, data_sources.get(name), model_tables)
        data_sources[name] = spec
        if table is not None:
            tables.append(table)
    functions = {
        name: PipelineFunctionSpec(name, entry.data_source, _config_handler(entry.handler, entry.origin), entry.origin,
                                   entry.max_batch_size)
        for name, entry in config.functions.items()
    }
    for where, entry in config.resolvers.items():
        if where in resolvers:
            log.info("%s replaces the resolver of %s.%s declared in %s", entry.origin, *where, resolvers[where].origin)
        handler = _config_handler(entry.handler, entry.origin)
        if entry.data_source is not None:
            resolvers[where] = ResolverSpec(*where, "UNIT", handler, entry.origin, data_source=entry.data_source,
                                            max_batch_size=entry.max_batch_size)
        else:
            resolvers[where] = ResolverSpec(*where, "PIPELINE", handler, entry.origin,
                                            functions=tuple(functions[name] for name in entry.pipeline),
                                            max_batch_size=entry.max_batch_size)


def _config_data_source(
    entry: ConfigDataSource, existing: DataSourceSpec | None, model_tables: dict[str, str]
) -> tuple[DataSourceSpec, TableSpec | None]:
    if entry.type is None:
        if existing is None:
            raise CustomResolverError(f"{entry.origin}: 'type' is required (no project data source is named {entry.name})")
        changes: dict[str, Any] = {"origin": f"{existing.origin}, adjusted by {entry.origin}"}
        for key in ("function", "endpoint", "allow_external"):
            value = getattr(entry, key)
            if value is not None:
                changes["function_name" if key == "function" else key] = value
        if entry.table is not None:
            changes.update(_table_of(entry.table, model_tables))
        return replace(existing, **changes), _config_table(entry, model_tables)
    if entry.type == "AMAZON_DYNAMODB":
        assert entry.table is not None
        spec = DataSourceSpec(entry.name, entry.type, entry.origin, **_table_of(entry.table, model_tables))
        return spec, _config_table(entry, model_tables)
    if entry.type == "AWS_LAMBDA":
        return DataSourceSpec(entry.name, entry.type, entry.origin, function_name=entry.function or entry.name), None
    if entry.type == "HTTP":
        return DataSourceSpec(entry.name, entry.type, entry.origin, endpoint=entry.endpoint,
                              allow_external=bool(entry.allow_external)), None
    return DataSourceSpec(entry.name, entry.type, entry.origin), None


def _table_of(table: str, model_tables: dict[str, str]) -> dict[str, Any]:
    """``table = "Post"`` / ``"PostTable"`` mean the model's table; anything else is a table name."""
    model = table if table in model_tables else table[:-5] if table.endswith("Table") and table[:-5] in model_tables else None
    return {"table": model_tables[model], "model": model} if model else {"table": table, "model": None}


def _config_table(entry: ConfigDataSource, model_tables: dict[str, str]) -> TableSpec | None:
    if entry.partition_key is None:
        return None
    table = _table_of(entry.table or entry.name, model_tables)
    if table["model"] is not None:
        raise CustomResolverError(f"{entry.origin}: partition_key declares a table, but {entry.table!r} is the table "
                                  f"of model {table['model']} (its key comes from the schema)")
    attributes: dict[str, str] = {}

    def key_schema(partition: KeyPart, sort: KeyPart | None) -> list[dict[str, str]]:
        parts = [(partition, "HASH")] + ([(sort, "RANGE")] if sort else [])
        for part, _ in parts:
            if attributes.setdefault(part.name, part.type) != part.type:
                raise CustomResolverError(f"{entry.origin}: attribute {part.name} is given two types")
        return [{"AttributeName": part.name, "KeyType": kind} for part, kind in parts]

    definition: dict[str, Any] = {
        "TableName": table["table"],
        "KeySchema": key_schema(entry.partition_key, entry.sort_key),
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }
    if entry.indexes:
        definition["GlobalSecondaryIndexes"] = [
            {"IndexName": index.name, "KeySchema": key_schema(index.partition_key, index.sort_key),
             "Projection": {"ProjectionType": "ALL"}}
            for index in entry.indexes
        ]
    definition["AttributeDefinitions"] = [{"AttributeName": n, "AttributeType": t} for n, t in sorted(attributes.items())]
    return TableSpec(table["table"], definition, entry.origin)


def _config_handler(handler: ConfigHandler, origin: str) -> Handler:
    def read(path: Path | None) -> TemplateText | None:
        if path is None:
            return None
        try:
            return TemplateText(path.read_text(encoding="utf-8"), path, f"{origin} ({path.name})")
        except (OSError, UnicodeDecodeError) as exc:
            raise CustomResolverError(f"{origin}: cannot read {path}: {exc}") from exc

    if handler.code is not None:
        return Handler("APPSYNC_JS", code=read(handler.code))
    return Handler("VTL", request=read(handler.request), response=read(handler.response))


# ---------------------------------------------------------------------------------------------
# Checks


def check_references(custom: CustomResolvers, api: ApiModel) -> None:
    """Fields exist and are not generated, data sources exist, templates fit the data source."""
    schema = build_appsync_schema(api.sdl)
    generated = generated_fields(api)
    table_names = {table.name for table in custom.tables}
    for table in custom.tables:
        if table.name in {spec.table for spec in custom.data_sources.values() if spec.model}:
            raise CustomResolverError(f"{table.origin}: table {table.name} is a model's table")
    if len(table_names) != len(custom.tables):
        names = [table.name for table in custom.tables]
        duplicate = next(name for name in names if names.count(name) > 1)
        raise CustomResolverError(f"table {duplicate} is declared twice: "
                                  + "; ".join(t.origin for t in custom.tables if t.name == duplicate))
    for (type_name, field_name), resolver in custom.resolvers.items():
        _check_field(schema, type_name, field_name, resolver.origin)
        if (type_name, field_name) in generated:
            raise CustomResolverError(
                f"{resolver.origin}: {type_name}.{field_name} is generated by Amplify (@model); to change it, add a "
                f"slot file (resolvers/{type_name}.{field_name}.<slot>.<n>.req.vtl) or replace its template "
                f"(resolvers/{type_name}.{field_name}.req.vtl)"
            )
        if resolver.kind == "UNIT":
            _check_step(custom, resolver.data_source, resolver.handler, resolver.origin)
        for function in resolver.functions:
            _check_step(custom, function.data_source, function.handler, function.origin)


def _check_field(schema: GraphQLSchema, type_name: str, field_name: str, origin: str) -> None:
    gql_type = schema.get_type(type_name)
    if not isinstance(gql_type, GraphQLObjectType):
        raise CustomResolverError(f"{origin}: the schema has no object type {type_name!r}")
    if field_name not in gql_type.fields:
        raise CustomResolverError(f"{origin}: type {type_name} has no field {field_name!r}")


def _check_step(custom: CustomResolvers, data_source: str | None, handler: Handler, origin: str) -> None:
    spec = custom.data_sources.get(data_source or "")
    if spec is None:
        known = ", ".join(sorted(custom.data_sources))
        raise CustomResolverError(f"{origin}: no data source named {data_source!r} (declared: {known})")
    if handler.runtime == "VTL" and spec.kind != "AWS_LAMBDA" and (handler.request is None or handler.response is None):
        raise CustomResolverError(
            f"{origin}: a VTL resolver on a {spec.kind} data source needs a request and a response template "
            "(only Lambda data sources may go without: direct Lambda resolvers)"
        )
