"""TransactGetItems and TransactWriteItems request documents.

Success: TransactGetItems ``{items, cancellationReasons: null}`` (``null`` for a key with no
item), TransactWriteItems ``{keys, cancellationReasons: null}`` (each action's key, in order).
A cancelled transaction is the error ``DynamoDB:TransactionCanceledException`` with
``$ctx.result.cancellationReasons`` = one ``{type, message}`` per action in order (``type``
``"None"`` where that action was fine); a failed condition adds the stored ``item`` unless the
action's condition says ``returnValuesOnConditionCheckFailure: false``.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error
from emulator.resolvers.datasources.dynamodb.expressions import expression_block
from emulator.resolvers.datasources.result import DataSourceResult, failed
from emulator.resolvers.datasources.sources import DynamoDBSource
from emulator.resolvers.datasources.typed_values import attribute_map
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.transactions import TransactionCancelled, run_transaction
from emulator.resolvers.values import from_item

CANCELLED = "DynamoDB:TransactionCanceledException"
#: a document's operation -> (DynamoDB action, the fields it may have besides table/operation/key)
WRITE_ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "PutItem": ("Put", ("attributeValues", "condition")),
    "UpdateItem": ("Update", ("update", "condition")),
    "DeleteItem": ("Delete", ("condition",)),
    "ConditionCheck": ("ConditionCheck", ("condition",)),
}


def transact_get_items(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({"version", "operation", "transactItems"})
    actions = []
    for entry in _entries(document):
        entry.only({"table", "key", "projection"})
        get: dict[str, Any] = {"TableName": _table(source, entry), "Key": _key(entry)}
        placeholders = Placeholders()
        projection = expression_block(entry, "projection", placeholders, values=False)
        if projection is not None:
            get["ProjectionExpression"] = projection.expression
        get.update(placeholders.request_fields())
        actions.append({"Get": get})
    try:
        response = run_transaction(ctx, "transact_get_items", actions)
    except TransactionCancelled as cancelled:
        return _cancelled(cancelled, "items")
    items = [from_item(entry.get("Item")) for entry in response.get("Responses") or []]
    return DataSourceResult(result={"items": items, "cancellationReasons": None})


def transact_write_items(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({"version", "operation", "transactItems"})
    actions, keys = [], []
    for entry in _entries(document):
        operation = entry.text("operation", required=True) or ""
        if operation not in WRITE_ACTIONS:
            raise mapping_error(
                f"Unsupported operation '{operation}' for '{entry.at('operation')}'. "
                f"Supported operations: {', '.join(WRITE_ACTIONS)}."
            )
        action, fields = WRITE_ACTIONS[operation]
        entry.only({"table", "operation", "key", *fields})
        key = _key(entry)
        actions.append({action: _write_action(source, entry, operation, key)})
        keys.append(from_item(key))
    try:
        run_transaction(ctx, "transact_write_items", actions)
    except TransactionCancelled as cancelled:
        return _cancelled(cancelled, "keys")
    return DataSourceResult(result={"keys": keys, "cancellationReasons": None})


def _write_action(source: DynamoDBSource, entry: Document, operation: str, key: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": _table(source, entry)}
    placeholders = Placeholders()
    if operation == "PutItem":
        body["Item"] = {**attribute_map(entry.get("attributeValues", {}), entry.at("attributeValues")), **key}
    else:
        body["Key"] = key
    if operation == "UpdateItem":
        update = expression_block(entry, "update", placeholders, required=True)
        assert update is not None
        body["UpdateExpression"] = update.expression
    condition = expression_block(
        entry,
        "condition",
        placeholders,
        required=operation == "ConditionCheck",
        extra_fields=("returnValuesOnConditionCheckFailure",),
    )
    if condition is not None:
        body["ConditionExpression"] = condition.expression
        wants_item = condition.document.boolean("returnValuesOnConditionCheckFailure", True)
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD" if wants_item else "NONE"
    body.update(placeholders.request_fields())
    return body


def _entries(document: Document) -> list[Document]:
    entries = document.array("transactItems", required=True)
    if not entries:
        raise mapping_error("'$[transactItems]' must hold at least one item.")
    return [Document(entry, f"$[transactItems][{n}]") for n, entry in enumerate(entries)]


def _table(source: DynamoDBSource, entry: Document) -> str:
    return source.tables.resolve(entry.text("table", required=True) or "")


def _key(entry: Document) -> dict[str, Any]:
    return attribute_map(entry.require("key"), entry.at("key"))


def _cancelled(cancelled: TransactionCancelled, result_name: str) -> DataSourceResult:
    error = AppSyncError(cancelled.message, CANCELLED)
    return failed(error, result={result_name: None, "cancellationReasons": cancelled.reasons})
