"""``nextToken``: an opaque encoding of DynamoDB's LastEvaluatedKey.

Like AppSync's, a token is base64 of a small JSON document with a ``version``. It also names
(by digest) the table and index it was issued for, and carries a checksum, so a token that was
edited, truncated, or issued for another query is refused with AppSync's own error instead of
reaching DynamoDB as a bogus ExclusiveStartKey.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from emulator.errors import AppSyncError

TOKEN_VERSION = 3


def invalid_token() -> AppSyncError:
    """What AppSync answers for a nextToken it cannot use."""
    return AppSyncError(
        "com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.",
        "DynamoDB:UserIllegalArgumentException",
    )


def encode_token(last_evaluated_key: dict[str, Any] | None, table: str, index: str | None) -> str | None:
    """The token for the next page, or ``None`` when DynamoDB returned no LastEvaluatedKey."""
    if not last_evaluated_key:
        return None
    key = json.dumps(_portable(last_evaluated_key), sort_keys=True, separators=(",", ":"))
    scope = _scope(table, index)
    document = {"version": TOKEN_VERSION, "token": key, "scope": scope, "check": _check(key, scope)}
    return base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode("ascii")


def decode_token(token: str | None, table: str, index: str | None) -> dict[str, Any] | None:
    """The ExclusiveStartKey inside ``token`` (``None`` for no token); raises ``invalid_token``."""
    if token is None:
        return None
    try:
        document = json.loads(base64.b64decode(token.encode("ascii"), validate=True))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise invalid_token() from exc
    if not isinstance(document, dict) or document.get("version") != TOKEN_VERSION:
        raise invalid_token()
    key, scope = document.get("token"), document.get("scope")
    if not isinstance(key, str) or scope != _scope(table, index) or document.get("check") != _check(key, scope):
        raise invalid_token()
    try:
        start_key = json.loads(key)
    except ValueError as exc:
        raise invalid_token() from exc
    if not isinstance(start_key, dict) or not start_key:
        raise invalid_token()
    try:
        return _native(start_key)
    except (ValueError, TypeError, AttributeError, binascii.Error) as exc:
        raise invalid_token() from exc


def _scope(table: str, index: str | None) -> str:
    return hashlib.sha256(f"{table}\x00{index or ''}".encode()).hexdigest()[:16]


def _check(key: str, scope: str) -> str:
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:16]


def _portable(key: dict[str, Any]) -> dict[str, Any]:
    """Binary key values (bytes from boto3) as base64 text under ``B64``."""
    return {
        name: {"B64": base64.b64encode(value["B"]).decode("ascii")} if "B" in value else value
        for name, value in key.items()
    }


def _native(key: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"B": base64.b64decode(value["B64"], validate=True)} if "B64" in value else dict(value)
        for name, value in key.items()
    }
