"""Building the run-time data sources of one API generation from their specs.

``build_data_sources`` turns each ``DataSourceSpec`` into the object ``execute`` takes, wiring in
what it needs to reach its backend; ``table_names`` is the one map from the table names request
documents use to the emulator's tables (model tables under every spelling code written for the
cloud uses, and the tables the project declares).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from emulator.apimodel import ApiModel
from emulator.resolver_specs import CustomResolvers, DataSourceSpec
from emulator.resolvers.datasources.sources import (
    DataSource,
    DynamoDBSource,
    HttpSource,
    LambdaInvoker,
    LambdaSource,
    NoneSource,
    TableNames,
    UnsupportedSource,
)


def table_names(api: ApiModel, table_name: Callable[[str], str], custom: CustomResolvers) -> TableNames:
    model_tables = {model: table_name(model) for model in api.models}
    aliases: dict[str, str] = {}
    for model, table in model_tables.items():
        aliases[f"{model}Table"] = table
        aliases[table] = table
    for table in custom.tables:
        aliases[table.name] = table.name
    for spec in custom.data_sources.values():
        if spec.table:
            aliases.setdefault(spec.name, spec.table)
    return TableNames(aliases=aliases, model_tables=model_tables)


def build_data_sources(
    specs: Mapping[str, DataSourceSpec],
    tables: TableNames,
    *,
    invoker: LambdaInvoker | None = None,
    http_client: Any = None,
) -> dict[str, DataSource]:
    """The run-time data source of each spec, by name."""
    return {name: build_data_source(spec, tables, invoker=invoker, http_client=http_client) for name, spec in specs.items()}


def build_data_source(
    spec: DataSourceSpec, tables: TableNames, *, invoker: LambdaInvoker | None = None, http_client: Any = None
) -> DataSource:
    if spec.kind == "AMAZON_DYNAMODB":
        return DynamoDBSource(spec.name, tables.resolve(spec.table or spec.name), tables)
    if spec.kind == "AWS_LAMBDA":
        return LambdaSource(spec.name, spec.function_name or spec.name, invoker)
    if spec.kind == "HTTP":
        return HttpSource(spec.name, spec.endpoint or "", http_client, spec.allow_external)
    if spec.kind == "NONE":
        return NoneSource(spec.name)
    return UnsupportedSource(spec.name, spec.kind)
