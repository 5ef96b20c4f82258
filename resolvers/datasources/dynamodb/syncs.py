"""The ``Sync`` request document (DataStore's delta sync) on a versioned DynamoDB data source.

As AppSync documents it: ``{version: "2018-05-29", operation: "Sync", filter, limit, nextToken,
lastSync, basePartitionKey, deltaIndexName}``, answering ``{items, nextToken, scannedCount,
startedAt}``. It is served by ``resolvers.sync.run_sync``, the same code as the models' ``syncX``,
so a project's own Sync template reads exactly what the generated one does: the base table
(tombstones included) without ``lastSync`` or past the delta table's retention, the delta sync
table's changes since ``lastSync`` otherwise. Amplify's v2 sync template also sends ``query``
(with ``index``): a key condition for base table reads, as its preAuth slot builds it for
DataStore's selective sync.

Only a versioned data source has a delta sync table: the table of a model with conflict detection
(its ``SyncSpec`` gives the delta table's TTL). A Sync on any other data source is refused before
DynamoDB is called. ``basePartitionKey`` and ``deltaIndexName`` (for tables whose delta records
carry a custom partition key in ``gsi_ds_pk``/``gsi_ds_sk``) are accepted and checked as strings;
the emulator's delta sync table is keyed by table and day only, so they do not change what is read.
"""

from __future__ import annotations

from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error
from emulator.resolvers.datasources.dynamodb.expressions import expression_block
from emulator.resolvers.datasources.result import DataSourceResult
from emulator.resolvers.datasources.sources import DynamoDBSource
from emulator.resolvers.sync import DEFAULT_LIMIT, SyncRequest, run_sync

SYNC_VERSION = "2018-05-29"
FIELDS = ("version", "operation", "basePartitionKey", "deltaIndexName", "limit", "nextToken", "lastSync",
          "filter", "query", "index")


def sync(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    if source.delta_sync is None:
        raise mapping_error(
            f"Unsupported operation 'Sync' for data source '{source.name}': Sync requests can only be made to "
            f"versioned DynamoDB data sources, and table {source.table} is not versioned (turn DataStore conflict "
            "detection on for its model)."
        )
    document.only(FIELDS)
    version = document.text("version")  # a VTL template names it; an APPSYNC_JS request object does not
    if version is not None and version != SYNC_VERSION:
        raise mapping_error(f"Unsupported version '{version}' for '$[version]' of a Sync request; "
                            f"only {SYNC_VERSION} is supported.")
    document.text("basePartitionKey")
    document.text("deltaIndexName")
    limit = document.integer("limit")
    request = SyncRequest(
        table=source.table,
        delta_table=source.delta_sync.table,
        delta_sync_table_ttl=source.delta_sync.ttl_minutes,
        limit=DEFAULT_LIMIT if limit is None else limit,
        next_token=document.text("nextToken"),
        last_sync=document.integer("lastSync"),
        index=document.text("index"),
    )
    row_filter = expression_block(document, "filter", request.placeholders)
    if row_filter is not None:
        request.filter = row_filter.expression
    key_condition = expression_block(document, "query", request.placeholders)
    if key_condition is not None:
        request.key_condition = key_condition.expression
    elif request.index is not None:
        raise mapping_error("'$[index]' of a Sync request needs '$[query]', the key condition on that index.")
    return DataSourceResult(result=run_sync(ctx, request))
