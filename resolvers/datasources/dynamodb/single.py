"""GetItem, PutItem, UpdateItem, DeleteItem request documents, and AppSync's handling of a
failed condition check.

Results are items in GraphQL form: GetItem the item (or null), PutItem the item written,
UpdateItem the item after the update, DeleteItem the item deleted (null when there was none).

When a ``condition`` fails, AppSync reads the item as it is now (a strongly consistent GetItem
unless ``condition.consistentRead`` is false) and treats the write as a success when the store
already holds what the request wanted: for PutItem the item written (ignoring the attributes in
``equalsIgnore``), for DeleteItem no item at all; UpdateItem is never checked. Otherwise (the
``Reject`` strategy) the error is ``DynamoDB:ConditionalCheckFailedException`` with the current item
as ``$ctx.result`` and as the error's ``data``, which a client sees in ``errors[].data``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error
from emulator.resolvers.datasources.dynamodb.expressions import Block, expression_block
from emulator.resolvers.datasources.result import DataSourceResult, failed
from emulator.resolvers.datasources.sources import DynamoDBSource
from emulator.resolvers.datasources.typed_values import attribute_map
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.values import from_item

CONDITION_FAILED = "DynamoDB:ConditionalCheckFailedException"
CONDITION_FIELDS = ("equalsIgnore", "consistentRead", "conditionalCheckFailedHandler")
WRITE_FIELDS = ("version", "operation", "key", "condition", "_version", "customPartitionKey", "populateIndexFields")


def get_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({"version", "operation", "key", "consistentRead", "projection"})
    params: dict[str, Any] = {"TableName": source.table, "Key": _key(document)}
    if document.boolean("consistentRead", False):
        params["ConsistentRead"] = True
    placeholders = Placeholders()
    projection = expression_block(document, "projection", placeholders, values=False)
    if projection is not None:
        params["ProjectionExpression"] = projection.expression
    params.update(placeholders.request_fields())
    response = call(ctx, "get_item", **params)
    return DataSourceResult(result=from_item(response.get("Item")))


def put_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({*WRITE_FIELDS, "attributeValues"})
    key = _key(document)
    values = attribute_map(document.get("attributeValues", {}), "$[attributeValues]")
    item = {**values, **key}
    params: dict[str, Any] = {"TableName": source.table, "Item": item}
    condition = _condition(document, params)
    try:
        call(ctx, "put_item", **params)
    except AppSyncError as error:
        if error.error_type != CONDITION_FAILED or condition is None:
            raise
        written = from_item(item) or {}
        return _condition_failed(source, ctx, error, key, condition, lambda current: _same(current, written, condition))
    return DataSourceResult(result=from_item(item))


def update_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({*WRITE_FIELDS, "update"})
    key = _key(document)
    params: dict[str, Any] = {"TableName": source.table, "Key": key, "ReturnValues": "ALL_NEW"}
    placeholders = Placeholders()
    update = expression_block(document, "update", placeholders, required=True)
    assert update is not None
    params["UpdateExpression"] = update.expression
    condition = _condition(document, params, placeholders)
    try:
        response = call(ctx, "update_item", **params)
    except AppSyncError as error:
        if error.error_type != CONDITION_FAILED or condition is None:
            raise
        return _condition_failed(source, ctx, error, key, condition, lambda current: False)
    return DataSourceResult(result=from_item(response.get("Attributes")))


def delete_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only(WRITE_FIELDS)
    key = _key(document)
    params: dict[str, Any] = {"TableName": source.table, "Key": key, "ReturnValues": "ALL_OLD"}
    condition = _condition(document, params)
    try:
        response = call(ctx, "delete_item", **params)
    except AppSyncError as error:
        if error.error_type != CONDITION_FAILED or condition is None:
            raise
        return _condition_failed(source, ctx, error, key, condition, lambda current: current is None)
    return DataSourceResult(result=from_item(response.get("Attributes")))


# ---------------------------------------------------------------------------------------------


def _key(document: Document) -> dict[str, Any]:
    return attribute_map(document.require("key"), "$[key]")


def _condition(document: Document, params: dict[str, Any], placeholders: Placeholders | None = None) -> Block | None:
    """The ``condition`` block into ``params`` (with the document's other placeholders)."""
    if document.has("_version"):
        raise mapping_error(
            "'$[_version]' needs a versioned data source (DataStore conflict detection), "
            "which the emulator does not run yet."
        )
    placeholders = placeholders or Placeholders()
    condition = expression_block(document, "condition", placeholders, extra_fields=CONDITION_FIELDS)
    if condition is not None:
        _check_handler(condition.document)
        params["ConditionExpression"] = condition.expression
    params.update(placeholders.request_fields())
    return condition


def _check_handler(condition: Document) -> None:
    handler = condition.mapping("conditionalCheckFailedHandler")
    if handler is None:
        return
    handler.only({"strategy", "lambdaArn"})
    strategy = handler.text("strategy", required=True)
    if strategy == "Custom":
        raise mapping_error(
            "conditionalCheckFailedHandler strategy 'Custom' (a Lambda deciding on a failed condition) "
            "is not supported by the emulator; use 'Reject'."
        )
    if strategy != "Reject":
        raise mapping_error(
            f"Unsupported value '{strategy}' for '{handler.at('strategy')}'; expected Reject or Custom."
        )


def _condition_failed(
    source: DynamoDBSource,
    ctx: ResolverContext,
    error: AppSyncError,
    key: dict[str, Any],
    condition: Block,
    already_done: Callable[[dict[str, Any] | None], bool],
) -> DataSourceResult:
    """Read the item as it is now; success when it is what the request wanted, else Reject."""
    consistent = condition.document.boolean("consistentRead", True)
    response = call(ctx, "get_item", TableName=source.table, Key=key, ConsistentRead=consistent)
    current = from_item(response.get("Item"))
    if already_done(current):
        return DataSourceResult(result=current)
    return failed(AppSyncError(error.message, CONDITION_FAILED, current), result=current)


def _same(current: dict[str, Any] | None, written: dict[str, Any], condition: Block) -> bool:
    if current is None:
        return False
    ignored = condition.document.array("equalsIgnore")
    strip = {str(name) for name in ignored}
    return {k: v for k, v in current.items() if k not in strip} == {k: v for k, v in written.items() if k not in strip}
