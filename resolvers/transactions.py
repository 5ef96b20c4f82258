"""Transactions for custom resolvers, with cancellation reasons as AppSync reports them.

``transact_write`` takes GraphQL-form actions; ``run_transaction`` takes DynamoDB-form ones (the
data-source layer's TransactWriteItems/TransactGetItems documents). A cancelled transaction becomes ``TransactionCancelled`` (errorType
``DynamoDB:TransactionCanceledException``); its ``reasons`` list has one ``{type, message}`` per
action in order, like AppSync's ``$ctx.result.cancellationReasons`` (``type`` is DynamoDB's
code, ``"None"`` for actions that did not fail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from emulator.errors import AppSyncError
from emulator.resolvers.context import FilterInput, Item, ResolverContext
from emulator.resolvers.dynamo_errors import appsync_error, call
from emulator.resolvers.expressions import Placeholders, update_expression
from emulator.resolvers.filters import compile_filter
from emulator.resolvers.values import from_item, to_item

MAX_ACTIONS = 100


class TransactionCancelled(AppSyncError):
    """A cancelled TransactWriteItems; ``reasons`` in action order."""

    def __init__(self, message: str, reasons: list[dict[str, Any]]) -> None:
        super().__init__(message, "DynamoDB:TransactionCanceledException", None, {"cancellationReasons": reasons})
        self.reasons = reasons


@dataclass(frozen=True)
class TransactAction:
    """One action: ``kind`` is Put, Update, Delete or ConditionCheck.

    ``values`` is the item for Put and the changes for Update (None removes an attribute);
    ``condition`` is a ConditionInput-shaped dict.
    """

    kind: str
    table: str
    key: Item = field(default_factory=dict)
    values: Item = field(default_factory=dict)
    condition: FilterInput | None = None

    def as_dynamodb(self) -> dict[str, Any]:
        placeholders = Placeholders()
        body: dict[str, Any] = {"TableName": self.table}
        if self.kind == "Put":
            body["Item"] = to_item({**self.values, **self.key})
        else:
            body["Key"] = to_item(self.key)
        if self.kind == "Update":
            body["UpdateExpression"] = update_expression(self.values, placeholders)
        condition = compile_filter(self.condition, placeholders)
        if condition:
            body["ConditionExpression"] = condition
        elif self.kind == "ConditionCheck":
            raise AppSyncError("A ConditionCheck action needs a condition", "InvalidArgumentsError")
        body.update(placeholders.request_fields())
        return {self.kind: body}


def transact_write(ctx: ResolverContext, actions: Sequence[TransactAction], token: str | None = None) -> None:
    """All-or-nothing writes; raises ``TransactionCancelled`` with per-action reasons."""
    run_transaction(ctx, "transact_write_items", [action.as_dynamodb() for action in actions], token)


def run_transaction(
    ctx: ResolverContext, operation: str, transact_items: list[dict[str, Any]], token: str | None = None
) -> dict[str, Any]:
    """One TransactWriteItems / TransactGetItems call on DynamoDB-form actions (custom resolvers'
    request documents arrive in that form); raises ``TransactionCancelled`` with per-action reasons."""
    label = "TransactWriteItems" if operation == "transact_write_items" else "TransactGetItems"
    if not transact_items or len(transact_items) > MAX_ACTIONS:
        raise AppSyncError(
            f"{label} takes between 1 and {MAX_ACTIONS} actions, got {len(transact_items)}",
            "DynamoDB:ValidationException",
        )
    params: dict[str, Any] = {"TransactItems": transact_items}
    if token:
        params["ClientRequestToken"] = token
    try:
        return call(ctx, operation, **params)
    except AppSyncError as error:
        cause = error.__cause__
        code = cause.response.get("Error", {}).get("Code", "") if isinstance(cause, ClientError) else ""
        if code == "TransactionCanceledException":
            raise TransactionCancelled(appsync_error(cause).message, cancellation_reasons(cause.response)) from cause
        if "UnknownOperation" in str(code):
            raise AppSyncError(
                f"The DynamoDB engine behind the emulator does not support transactions ({label}); "
                "use the embedded engine or DynamoDB itself for this resolver",
                "DynamoDB:UnknownOperationException",
            ) from cause
        raise


def cancellation_reasons(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    """DynamoDB's CancellationReasons as ``[{type, message}]`` in action order, with the stored
    ``item`` (GraphQL form) when the action asked for it (ReturnValuesOnConditionCheckFailure)."""
    reasons = []
    for reason in response.get("CancellationReasons") or []:
        entry: dict[str, Any] = {"type": reason.get("Code") or "None", "message": reason.get("Message")}
        if reason.get("Item"):
            entry["item"] = from_item(reason["Item"])
        reasons.append(entry)
    return reasons
