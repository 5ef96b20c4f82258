"""Query and Scan request documents: one DynamoDB call, ``{items, nextToken, scannedCount}``.

The page is read by ``resolvers.reads.read_page``, the same code the model resolvers use, so
``limit`` counts items read before the ``filter`` and ``nextToken`` is the emulator's opaque
token (refused with AppSync's error when edited or issued for another table or index).
"""

from __future__ import annotations

from typing import Any

from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document
from emulator.resolvers.datasources.dynamodb.expressions import expression_block
from emulator.resolvers.datasources.result import DataSourceResult
from emulator.resolvers.datasources.sources import DynamoDBSource
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.reads import PageRequest, read_page

COMMON_FIELDS = ("version", "operation", "index", "nextToken", "limit", "consistentRead", "select", "filter", "projection")


def query(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({*COMMON_FIELDS, "query", "scanIndexForward"})
    request = _page_request(source, document, "query")
    key_condition = expression_block(document, "query", request.placeholders, required=True)
    assert key_condition is not None
    request.key_condition = key_condition.expression
    request.forward = document.boolean("scanIndexForward", True)
    return _read(ctx, document, request)


def scan(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({*COMMON_FIELDS, "segment", "totalSegments"})
    request = _page_request(source, document, "scan")
    request.segment = document.integer("segment")
    request.total_segments = document.integer("totalSegments")
    return _read(ctx, document, request)


def _page_request(source: DynamoDBSource, document: Document, operation: Any) -> PageRequest:
    return PageRequest(
        table=source.table,
        operation=operation,
        placeholders=Placeholders(),
        index=document.text("index"),
        limit=document.integer("limit"),
        next_token=document.text("nextToken"),
        consistent_read=document.boolean("consistentRead", False),
        select=document.text("select"),
    )


def _read(ctx: ResolverContext, document: Document, request: PageRequest) -> DataSourceResult:
    row_filter = expression_block(document, "filter", request.placeholders)
    if row_filter is not None:
        request.filter = row_filter.expression
    projection = expression_block(document, "projection", request.placeholders, values=False)
    if projection is not None:
        request.projection = projection.expression
    page = read_page(ctx, request)
    return DataSourceResult(
        result={"items": page.items, "nextToken": page.next_token, "scannedCount": page.scanned_count}
    )
