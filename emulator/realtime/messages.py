"""Frames of the AppSync real-time protocol, in AppSync's shapes and words.

Every frame the server sends is built here, so the wire format lives in one place. Shapes
marked "inferred" in the reference (no AppSync capture exists) are noted where they are built.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.errors import AppSyncError, RequestError

Frame = dict[str, Any]
ErrorEntry = dict[str, Any]


def encode(frame: Frame) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def connection_ack(connection_timeout_ms: int) -> Frame:
    return {"type": "connection_ack", "payload": {"connectionTimeoutMs": connection_timeout_ms}}


def keep_alive() -> Frame:
    return {"type": "ka"}


def start_ack(subscription_id: str) -> Frame:
    return {"type": "start_ack", "id": subscription_id}


def complete(subscription_id: str) -> Frame:
    return {"type": "complete", "id": subscription_id}


def data_text(subscription_id: str, payload_json: str) -> str:
    """A ``data`` frame around an already-encoded payload (shared by many subscriptions)."""
    return f'{{"type":"data","id":{json.dumps(subscription_id)},"payload":{payload_json}}}'


def error(subscription_id: str | None, errors: list[ErrorEntry]) -> Frame:
    """``error``; without an id when the failure concerns no subscription."""
    frame: Frame = {"type": "error"}
    if subscription_id is not None:
        frame["id"] = subscription_id
    frame["payload"] = {"errors": errors}
    return frame


def connection_error(failure: RequestError) -> Frame:
    return {
        "type": "connection_error",
        "payload": {"errors": [{"errorType": failure.error_type, "message": failure.message, "errorCode": failure.status}]},
    }


def max_subscriptions_reached(subscription_id: str, limit: int) -> Frame:
    """AppSync sends ``errors`` as an object here, not a list (AWS iOS client's observation)."""
    return {
        "id": subscription_id,
        "type": "error",
        "payload": {"errors": {"errorType": "MaxSubscriptionsReachedError", "message": f"Max number of {limit} subscriptions reached"}},
    }


# --- error entries -------------------------------------------------------------------------


def entry(error_type: str, message: str) -> ErrorEntry:
    return {"errorType": error_type, "message": message}


def unsupported_operation(operation: str = "unknown") -> ErrorEntry:
    """Unknown message types say ``unknown``; a query or mutation sent as ``start`` says nothing
    before the verb (both as seen from AppSync)."""
    return entry("UnsupportedOperation", f"{operation} not supported through the realtime channel")


def duplicated_operation(subscription_id: str) -> ErrorEntry:
    return entry("DuplicatedOperationError", f"Duplicated operation with id {subscription_id}")


def request_failure(failure: RequestError) -> ErrorEntry:
    """Credentials of a ``start`` rejected (e.g. ``Valid authorization header not provided.``)."""
    return entry(failure.error_type, failure.message)


def field_error(failure: AppSyncError) -> ErrorEntry:
    """A rule or directive refused the subscription field (``Not Authorized to access …``)."""
    return entry(failure.error_type or "Unauthorized", failure.message)


def bad_request(message: str) -> ErrorEntry:
    """A ``start`` whose payload cannot be read (inferred shape; Amplify treats the type as
    non-retryable)."""
    return entry("BadRequestException", message)


def too_large(what: str, size: int, limit: int) -> ErrorEntry:
    """A frame or event payload over the 240 KB limit (inferred shape)."""
    return entry("LimitExceededError", f"{what} size {size} bytes exceeds the limit of {limit} bytes")


def filter_error(message: str) -> ErrorEntry:
    """An unusable subscription filter; AppSync reports it from the mapping template."""
    return entry("MappingTemplate", message)


def internal_failure(exc: BaseException) -> ErrorEntry:
    return entry("InternalFailure", f"An internal failure occurred ({type(exc).__name__}).")
