"""The AWS_LAMBDA data source: ``Invoke`` and ``BatchInvoke`` through a ``LambdaInvoker``.

``Invoke`` sends the document's ``payload`` as the event; ``invocationType: Event`` does not wait
and leaves ``$ctx.result`` null. ``BatchInvoke`` sends one list holding the payloads of several
resolvers (sibling fields of one request: the execution layer gathers them and calls
``batch_invoke``) and hands each resolver its element of the list the function returns.
A function's failure is ``$ctx.error`` ``{message: errorMessage, type: "Lambda:Unhandled"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.datasources.documents import Document, mapping_error, operation_of
from emulator.resolvers.datasources.result import DataSourceResult, failed
from emulator.resolvers.datasources.sources import InvocationType, LambdaSource

UNHANDLED = "Lambda:Unhandled"
FIELDS = ("version", "operation", "payload", "invocationType")
INVOCATION_TYPES: tuple[InvocationType, ...] = ("RequestResponse", "Event")


def invoke(source: LambdaSource, document: Document) -> DataSourceResult:
    document.only(FIELDS)
    operation = operation_of(document, ("Invoke", "BatchInvoke"), source.name)
    if operation == "BatchInvoke":
        return batch_invoke(source, [document])[0]
    invocation_type = _invocation_type(document)
    try:
        result = _call(source, document.value.get("payload"), invocation_type)
    except AppSyncError as error:
        return failed(error)
    return DataSourceResult(result=None if invocation_type == "Event" else result)


def batch_invoke(source: LambdaSource, documents: Sequence[Document]) -> list[DataSourceResult]:
    """One call with every document's payload; each document gets its element of the answer."""
    for document in documents:
        document.only(FIELDS)
        operation_of(document, ("BatchInvoke",), source.name)
    payloads = [document.value.get("payload") for document in documents]
    try:
        results = _call(source, payloads, "RequestResponse")
    except AppSyncError as error:
        return [failed(error) for _ in documents]
    if not isinstance(results, list) or len(results) != len(documents):
        count = len(results) if isinstance(results, list) else "no list"
        error = AppSyncError(
            f"The function {source.function_name} answered a BatchInvoke of {len(documents)} payloads with {count}; "
            "a batched function must return a list with one result per payload, in order",
            UNHANDLED,
        )
        return [failed(error) for _ in documents]
    return [DataSourceResult(result=result) for result in results]


def _invocation_type(document: Document) -> InvocationType:
    value = document.text("invocationType") or "RequestResponse"
    if value not in INVOCATION_TYPES:
        raise mapping_error(
            f"Unsupported value '{value}' for '$[invocationType]'; expected one of: {', '.join(INVOCATION_TYPES)}."
        )
    return value  # type: ignore[return-value]


def _call(source: LambdaSource, payload: Any, invocation_type: InvocationType) -> Any:
    if source.invoker is None:
        raise AppSyncError(
            f"Function not found: {source.function_name} (data source {source.name}): the emulator has no "
            "function runner for it",
            "Lambda:ResourceNotFoundException",
        )
    try:
        return source.invoker.invoke(source.function_name, payload, invocation_type=invocation_type)
    except AppSyncError:
        raise
    except Exception as exc:  # the runners' FunctionError (message, error_type), or a failure of their own
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise AppSyncError(message, getattr(exc, "error_type", None) or UNHANDLED) from exc
