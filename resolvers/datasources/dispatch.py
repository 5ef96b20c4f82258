"""``execute(data_source, request_document, ctx)``: one request document to the data source it names.

Three outcomes, as on AppSync:

* the document is invalid (a missing ``key``, an unknown operation, a malformed typed value):
  ``AppSyncError`` (``MappingTemplate``) is raised; the data source is not called and the field
  fails without its response template;
* the data source fails (a DynamoDB exception, a function error, an unreachable endpoint): a
  ``DataSourceResult`` whose ``error`` is ``$ctx.error`` (and ``result`` what AppSync leaves in
  ``$ctx.result``, e.g. the stored item of a failed condition);
* success: a ``DataSourceResult`` whose ``result`` is ``$ctx.result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import MAPPING_TEMPLATE, Document, read_document
from emulator.resolvers.datasources.dynamodb import execute_dynamodb
from emulator.resolvers.datasources.http_source import execute_http
from emulator.resolvers.datasources.lambda_source import batch_invoke, invoke
from emulator.resolvers.datasources.none_source import execute_none
from emulator.resolvers.datasources.result import DataSourceResult, failed
from emulator.resolvers.datasources.sources import (
    DataSource,
    DynamoDBSource,
    HttpSource,
    LambdaSource,
    NoneSource,
    UnsupportedSource,
)


def execute(data_source: DataSource, request_document: Any, ctx: ResolverContext) -> DataSourceResult:
    """Run one request document (a dict, as the template or JS handler produced it)."""
    document = read_document(request_document)
    try:
        return _run(data_source, document, ctx)
    except AppSyncError as error:
        if error.error_type == MAPPING_TEMPLATE:
            raise
        return failed(error)


def execute_batch(data_source: DataSource, request_documents: Sequence[Any], ctx: ResolverContext) -> list[DataSourceResult]:
    """Several ``BatchInvoke`` documents (sibling fields of one request) in one Lambda call; any
    other data source runs them one by one."""
    documents = [read_document(document) for document in request_documents]
    if isinstance(data_source, LambdaSource) and documents:
        return batch_invoke(data_source, documents)
    return [execute(data_source, document.value, ctx) for document in documents]


def _run(data_source: DataSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    if isinstance(data_source, DynamoDBSource):
        return execute_dynamodb(data_source, document, ctx)
    if isinstance(data_source, LambdaSource):
        return invoke(data_source, document)
    if isinstance(data_source, NoneSource):
        return execute_none(document)
    if isinstance(data_source, HttpSource):
        return execute_http(data_source, document)
    if isinstance(data_source, UnsupportedSource):
        return failed(
            AppSyncError(
                f"Data source {data_source.name} is of type {data_source.declared_kind}, which the emulator "
                "does not run (it runs AMAZON_DYNAMODB, AWS_LAMBDA, HTTP and NONE)",
                "UnsupportedDataSource",
            )
        )
    raise TypeError(f"not a data source: {data_source!r}")
