"""Data-source layer tests on a real engine: the model tables of ``resolvers_engine.v2_api`` as
DynamoDB data sources, and typed-value shorthands for request documents."""

from __future__ import annotations

from typing import Any

from emulator.resolver_specs import CustomResolvers
from emulator.resolvers.datasources import DynamoDBSource, table_names
from tests.resolvers_engine import Harness


def dynamodb_source(api: Harness, model: str, custom: CustomResolvers | None = None) -> DynamoDBSource:
    """The ``<Model>Table`` data source of ``model``, resolving table names as the emulator does."""
    tables = table_names(api.api, api.table_name, custom or CustomResolvers())
    return DynamoDBSource(f"{model}Table", api.table_name(model), tables)


def s(value: str) -> dict[str, Any]:
    return {"S": value}


def n(value: int | float | str) -> dict[str, Any]:
    return {"N": value}


def key(id_: str) -> dict[str, Any]:
    return {"id": s(id_)}
