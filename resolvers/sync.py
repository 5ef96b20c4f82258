"""AppSync's ``Sync`` operation on a versioned data source, for any Sync request.

As AppSync documents it: without ``lastSync``, or with one older than now minus the data source's
``DeltaSyncTableTTL``, a Sync reads the base table (a Scan, or a Query when the request has one),
deleted items included so that clients drop them; with a recent ``lastSync`` it reads the changes
logged since then in the delta sync table (``ds_pk`` = ``<table>:<day>`` for each day from
``lastSync`` to now, ``ds_sk`` from ``lastSync``'s time of day), one entry per write. ``limit``
counts the items read before the filter, as everywhere in DynamoDB. Every page answers
``startedAt``, the moment the first page was asked for, which the client keeps as its next
``lastSync``.

``run_sync`` takes the request as AppSync's Sync request document has it (filter and key
condition already as DynamoDB expressions), so the model resolvers (``sync_query``) and a data
source running a project's own ``Sync`` template can share it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from emulator.resolvers.context import Item, ResolverContext
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.reads import _valid_limit  # DynamoDB's own message for a limit below 1
from emulator.resolvers.tokens import decode_token, encode_token, invalid_token
from emulator.resolvers.values import from_item

DEFAULT_LIMIT = 100
DELTA_ONLY = ("ds_pk", "ds_sk", "_ttl")


@dataclass
class SyncRequest:
    """One Sync page request on a versioned data source (expressions share ``placeholders``)."""

    table: str
    delta_table: str
    delta_sync_table_ttl: int  # minutes
    placeholders: Placeholders = field(default_factory=Placeholders)
    filter: str | None = None
    limit: int = DEFAULT_LIMIT
    next_token: str | None = None
    last_sync: int | None = None  # epoch milliseconds
    key_condition: str | None = None  # the request's ``query`` (base table reads only)
    index: str | None = None
    forward: bool = True


@dataclass(frozen=True)
class _Position:
    """Where a Sync is: its start, which table it reads, the delta day and the key to go on from."""

    started_at: int
    delta: bool
    day: str | None = None
    start_key: dict[str, Any] | None = None


def run_sync(ctx: ResolverContext, request: SyncRequest) -> dict[str, Any]:
    """One page: ``{items, nextToken, startedAt, scannedCount}``."""
    _valid_limit(request.limit)
    position = _decode(request) if request.next_token else _start(ctx, request)
    if position.delta:
        return _delta_page(ctx, request, position)
    return _base_page(ctx, request, position)


def reads_delta(ctx: ResolverContext, request: SyncRequest) -> bool:
    """Whether this page reads the delta sync table (the token says; a first page asks the clock)."""
    return (_decode(request) if request.next_token else _start(ctx, request)).delta


def in_delta_window(now_ms: int, last_sync: int | None, ttl_minutes: int) -> bool:
    """A ``lastSync`` the delta sync table still covers (AppSync's and Amplify's ``minLastSync`` test)."""
    return bool(last_sync) and now_ms - ttl_minutes * 60 * 1000 <= last_sync  # type: ignore[operator]


def _start(ctx: ResolverContext, request: SyncRequest) -> _Position:
    now = int(ctx.now().timestamp() * 1000)
    if in_delta_window(now, request.last_sync, request.delta_sync_table_ttl):
        return _Position(now, True, _day(request.last_sync or 0))
    return _Position(now, False)


def _base_page(ctx: ResolverContext, request: SyncRequest, position: _Position) -> dict[str, Any]:
    params: dict[str, Any] = {"TableName": request.table, "Limit": request.limit}
    if request.index:
        params["IndexName"] = request.index
    if position.start_key:
        params["ExclusiveStartKey"] = position.start_key
    if request.key_condition:
        params["KeyConditionExpression"] = request.key_condition
        params["ScanIndexForward"] = request.forward
    if request.filter:
        params["FilterExpression"] = request.filter
    params.update(request.placeholders.request_fields())
    response = call(ctx, "query" if request.key_condition else "scan", **params)
    key = response.get("LastEvaluatedKey")
    next_position = _Position(position.started_at, False, None, key) if key else None
    return _page(request, response.get("Items", []), int(response.get("ScannedCount", 0)), position, next_position)


def _delta_page(ctx: ResolverContext, request: SyncRequest, position: _Position) -> dict[str, Any]:
    """The changes since ``lastSync``, day partition after day partition, ``limit`` read in all."""
    items: list[dict[str, Any]] = []
    scanned = 0
    day, start_key = position.day or _day(position.started_at), position.start_key
    last_day = _day(max(position.started_at, int(ctx.now().timestamp() * 1000)))
    while True:
        response = _query_day(ctx, request, day, start_key, request.limit - scanned)
        items += response.get("Items", [])
        scanned += int(response.get("ScannedCount", 0))
        key = response.get("LastEvaluatedKey")
        if key:
            return _page(request, items, scanned, position, _Position(position.started_at, True, day, key))
        if day >= last_day:
            return _page(request, items, scanned, position, None)
        day, start_key = _next_day(day), None
        if scanned >= request.limit:
            return _page(request, items, scanned, position, _Position(position.started_at, True, day, None))


def _query_day(ctx: ResolverContext, request: SyncRequest, day: str, start_key: dict[str, Any] | None,
               limit: int) -> dict[str, Any]:
    """One day partition of the delta sync table, from ``lastSync``'s time of day on its own day."""
    fields = request.placeholders.request_fields()
    names = {**fields.get("ExpressionAttributeNames", {}), "#ds_pk": "ds_pk"}
    values = {**fields.get("ExpressionAttributeValues", {}), ":ds_pk": {"S": f"{request.table}:{day}"}}
    condition = "#ds_pk = :ds_pk"
    if request.last_sync and day == _day(request.last_sync):
        names["#ds_sk"], values[":ds_sk"] = "ds_sk", {"S": _time_of_day(request.last_sync)}
        condition += " AND #ds_sk >= :ds_sk"
    params: dict[str, Any] = {"TableName": request.delta_table, "KeyConditionExpression": condition, "Limit": limit,
                              "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}
    if start_key:
        params["ExclusiveStartKey"] = start_key
    if request.filter:
        params["FilterExpression"] = request.filter
    return call(ctx, "query", **params)


def _page(request: SyncRequest, raw_items: list[dict[str, Any]], scanned: int, position: _Position,
          next_position: _Position | None) -> dict[str, Any]:
    items: list[Item] = []
    for raw in raw_items:
        item = from_item(raw) or {}
        for name in DELTA_ONLY:
            item.pop(name, None)
        items.append(item)
    token = _encode(request, next_position) if next_position is not None else None
    return {"items": items, "nextToken": token, "startedAt": position.started_at, "scannedCount": scanned}


# ---------------------------------------------------------------------------------------------
# Days and tokens


def _day(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).strftime("%Y-%m-%d")


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _time_of_day(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return f"{moment:%H:%M:%S}.{epoch_ms % 1000:03d}"


def _scope(request: SyncRequest, delta: bool) -> tuple[str, str | None]:
    return (request.delta_table, None) if delta else (request.table, request.index)


def _encode(request: SyncRequest, position: _Position) -> str:
    table, index = _scope(request, position.delta)
    inner = encode_token(position.start_key, table, index) if position.start_key else None
    document = {"sync": 1, "startedAt": position.started_at, "delta": position.delta, "day": position.day,
                "key": inner}
    body = json.dumps(document, sort_keys=True, separators=(",", ":"))
    check = hashlib.sha256(f"{request.table}\x00{body}".encode()).hexdigest()[:16]
    return base64.b64encode(json.dumps({"s": body, "c": check}).encode()).decode("ascii")


def _decode(request: SyncRequest) -> _Position:
    try:
        wrapper = json.loads(base64.b64decode((request.next_token or "").encode("ascii"), validate=True))
        body, check = wrapper["s"], wrapper["c"]
        document = json.loads(body)
    except (ValueError, UnicodeError, binascii.Error, KeyError, TypeError) as exc:
        raise invalid_token() from exc
    if check != hashlib.sha256(f"{request.table}\x00{body}".encode()).hexdigest()[:16] or document.get("sync") != 1:
        raise invalid_token()
    delta = bool(document.get("delta"))
    table, index = _scope(request, delta)
    start_key = decode_token(document["key"], table, index) if document.get("key") else None
    return _Position(int(document["startedAt"]), delta, document.get("day"), start_key)
