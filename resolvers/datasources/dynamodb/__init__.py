"""The DynamoDB data source: AppSync's DynamoDB request documents -> boto3 on the emulator's engine.

One module per family of operations (``single``, ``pages``, ``batches``, ``transacts``); values
arrive as AppSync's typed values (``typed_values``) and leave in GraphQL form
(``resolvers.values.from_item``); engine errors are AppSync's ``DynamoDB:<Exception>``
(``resolvers.dynamo_errors``). ``Sync`` (``syncs``, DataStore's delta sync) runs on versioned data
sources only; a versioned data source refuses the operations AppSync's does not run on one
(BatchPutItem, BatchDeleteItem, TransactWriteItems), with AppSync's wording.
"""

from __future__ import annotations

from collections.abc import Callable

from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error, operation_of
from emulator.resolvers.datasources.dynamodb import batches, pages, single, syncs, transacts
from emulator.resolvers.datasources.result import DataSourceResult
from emulator.resolvers.datasources.sources import DynamoDBSource

Operation = Callable[[DynamoDBSource, Document, ResolverContext], DataSourceResult]

OPERATIONS: dict[str, Operation] = {
    "GetItem": single.get_item,
    "PutItem": single.put_item,
    "UpdateItem": single.update_item,
    "DeleteItem": single.delete_item,
    "Query": pages.query,
    "Scan": pages.scan,
    "BatchGetItem": batches.batch_get_item,
    "BatchPutItem": batches.batch_put_item,
    "BatchDeleteItem": batches.batch_delete_item,
    "TransactGetItems": transacts.transact_get_items,
    "TransactWriteItems": transacts.transact_write_items,
    "Sync": syncs.sync,
}
#: what a versioned data source runs, in the order AppSync's error lists them
VERSIONED_OPERATIONS = ("TransactGetItems", "PutItem", "BatchGetItem", "Scan", "Query", "GetItem", "DeleteItem",
                        "UpdateItem", "Sync")


def execute_dynamodb(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    operation = operation_of(document, OPERATIONS, source.name)
    if source.delta_sync is not None and operation not in VERSIONED_OPERATIONS:
        raise mapping_error(f"Unsupported operation '{operation}'. Datasource Versioning only supports the following "
                            f"operations ({','.join(VERSIONED_OPERATIONS)})")
    return OPERATIONS[operation](source, document, ctx)
