"""BatchGetItem / BatchWriteItem within DynamoDB's limits.

DynamoDB takes at most 100 keys per BatchGetItem and 25 requests per BatchWriteItem, refuses
duplicate keys in one request, and may hand back ``UnprocessedKeys``/``UnprocessedItems`` that
the caller must retry. These helpers split, de-duplicate and retry (with a short backoff) so
callers (the belongs-to loader, custom resolvers) can pass any number of keys.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.context import Item, ResolverContext
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.values import from_item, to_item

MAX_GET_KEYS = 100
MAX_WRITE_REQUESTS = 25
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 0.02


@dataclass(frozen=True)
class WriteRequest:
    """One entry of a BatchWriteItem: a put of ``item`` or a delete of ``key``."""

    table: str
    item: Item | None = None
    key: Item | None = None

    def as_dynamodb(self) -> dict[str, Any]:
        if self.item is not None:
            return {"PutRequest": {"Item": to_item(self.item)}}
        if self.key is not None:
            return {"DeleteRequest": {"Key": to_item(self.key)}}
        raise ValueError("a WriteRequest needs an item or a key")


def batch_get(ctx: ResolverContext, keys_by_table: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[Item]]:
    """Every item found for the keys, by table (missing keys are simply absent, as in DynamoDB)."""
    found: dict[str, list[Item]] = {table: [] for table in keys_by_table}
    pending = [(table, dict(key)) for table, keys in keys_by_table.items() for key in _unique(keys)]
    for chunk in _chunks(pending, MAX_GET_KEYS):
        request: dict[str, Any] = {}
        for table, key in chunk:
            request.setdefault(table, {"Keys": []})["Keys"].append(to_item(key))
        for response in _until_processed(ctx, "batch_get_item", request, "UnprocessedKeys"):
            for table, items in response.get("Responses", {}).items():
                found.setdefault(table, []).extend(item for raw in items if (item := from_item(raw)) is not None)
    return found


def batch_write(ctx: ResolverContext, requests: Sequence[WriteRequest]) -> None:
    """Run puts and deletes, 25 per BatchWriteItem, retrying unprocessed ones."""
    for chunk in _chunks(list(requests), MAX_WRITE_REQUESTS):
        request: dict[str, list[dict[str, Any]]] = {}
        for entry in chunk:
            request.setdefault(entry.table, []).append(entry.as_dynamodb())
        for _ in _until_processed(ctx, "batch_write_item", request, "UnprocessedItems"):
            pass


def _until_processed(ctx: ResolverContext, operation: str, request: dict[str, Any], leftover: str) -> Iterator[dict[str, Any]]:
    """Call until DynamoDB leaves nothing unprocessed; each response is yielded."""
    for attempt in range(MAX_ATTEMPTS):
        response = call(ctx, operation, RequestItems=request)
        yield response
        request = response.get(leftover) or {}
        if not request:
            return
        time.sleep(BACKOFF_SECONDS * (2**attempt))
    raise AppSyncError(
        f"DynamoDB left part of a {operation} unprocessed after {MAX_ATTEMPTS} attempts",
        "DynamoDB:ProvisionedThroughputExceededException",
    )


def _unique(keys: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """DynamoDB rejects a batch naming the same key twice; keep the first of each."""
    seen: set[str] = set()
    unique = []
    for key in keys:
        fingerprint = json.dumps(key, sort_keys=True, default=str)
        if fingerprint not in seen:
            seen.add(fingerprint)
            unique.append(key)
    return unique


def _chunks(entries: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(entries), size):
        yield entries[start : start + size]
