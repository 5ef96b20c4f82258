"""The DynamoDB data source: AppSync's DynamoDB request documents -> boto3 on the emulator's engine.

One module per family of operations (``single``, ``pages``, ``batches``, ``transacts``); values
arrive as AppSync's typed values (``typed_values``) and leave in GraphQL form
(``resolvers.values.from_item``); engine errors are AppSync's ``DynamoDB:<Exception>``
(``resolvers.dynamo_errors``). ``Sync`` (DataStore) is not run yet.
"""

from __future__ import annotations

from collections.abc import Callable

from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error, operation_of
from emulator.resolvers.datasources.dynamodb import batches, pages, single, transacts
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
}


def execute_dynamodb(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    if document.get("operation") == "Sync":
        raise mapping_error(
            "The 'Sync' operation (DataStore delta sync) is not supported by the emulator yet."
        )
    operation = operation_of(document, OPERATIONS, source.name)
    return OPERATIONS[operation](source, document, ctx)
