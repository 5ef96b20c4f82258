"""Latency as the table grows (1k to 200k posts): the embedded engine's indexes keep it flat.

One in-memory blog server; the Post table is grown between measurements with BatchWriteItem on
the engine's port. At each size, p50 of: ``getX``, ``listX(limit: 20)`` and the ``postsByTitle``
index query through the API (and the raw boto3 call beside each), a Scan page of 20 resumed from a
start key in the middle of the table, and a TransactWriteItems of two Puts. Titles repeat every 50
posts, so an index page holds 20 items at every size. Growth = p50 at the largest size / p50 at
the smallest; stock moto's Query and Scan read the whole table (739 ms for ``listX`` at 50k).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.http_latency import FIELDS, raw_post, timed
from bench.server import POST_TABLE, engine_client, start_blog
from bench.stats import Figure, percentile

SIZES = (1_000, 10_000, 50_000, 200_000)
TITLES = 50
GET = f"query Get($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}"
LIST = f"query {{ listPosts(limit: 20) {{ items {{ {FIELDS} }} }} }}"
BY_TITLE = f"query ByTitle($t: String!) {{ postsByTitle(title: $t, limit: 20) {{ items {{ {FIELDS} }} }} }}"
OPERATIONS = ("getX", "listX(limit: 20)", "index query (postsByTitle)", "Scan page from a mid-table key",
              "TransactWriteItems (2 Puts)")


@dataclass(frozen=True)
class SizeFigures:
    items: int
    operation: str
    api_p50: Figure | None  # None: a raw DynamoDB call only
    raw_p50: Figure


def growth(figures: list[SizeFigures], operation: str) -> float:
    """p50 at the largest size over p50 at the smallest (the API's where there is one)."""
    rows = sorted((f for f in figures if f.operation == operation), key=lambda f: f.items)
    first, last = rows[0], rows[-1]
    pick = (lambda f: f.api_p50.median) if first.api_p50 is not None else (lambda f: f.raw_p50.median)
    return pick(last) / pick(first)


def _grow(dynamodb: Any, start: int, stop: int) -> list[str]:
    ids = []
    for first in range(start, stop, 25):
        batch = []
        for n in range(first, min(first + 25, stop)):
            post_id = f"{n:08d}-{uuid.uuid4()}"[:36]
            ids.append(post_id)
            item = raw_post(post_id)
            item["title"] = {"S": f"title {n % TITLES}"}
            batch.append({"PutRequest": {"Item": item}})
        pending: dict[str, Any] = {POST_TABLE: batch}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return ids


class _Calls:
    """The API call and the raw call of each operation at the current size."""

    def __init__(self, http: httpx.Client, url: str, key: str, dynamodb: Any) -> None:
        self._http, self._url, self._headers, self._db = http, url, {"x-api-key": key}, dynamodb
        self.middle = ""
        self._turn = 0

    def _graphql(self, query: str, variables: dict[str, Any]) -> None:
        body = self._http.post(self._url, json={"query": query, "variables": variables}, headers=self._headers).json()
        if body.get("errors"):
            raise RuntimeError(f"benchmark request failed: {body}")

    def _transact(self) -> None:
        self._turn += 1
        self._db.transact_write_items(TransactItems=[
            {"Put": {"TableName": POST_TABLE, "Item": raw_post(f"tx-{self._turn % 100}-{side}")}} for side in "ab"
        ])

    def pair(self, operation: str) -> tuple[Callable[[], None] | None, Callable[[], Any]]:
        db, middle = self._db, self.middle
        by_title = {"TableName": POST_TABLE, "IndexName": "byTitle", "Limit": 20, "KeyConditionExpression": "title = :t",
                    "ExpressionAttributeValues": {":t": {"S": "title 7"}}}
        pairs: dict[str, tuple[Callable[[], None] | None, Callable[[], Any]]] = {
            "getX": (lambda: self._graphql(GET, {"id": middle}),
                     lambda: db.get_item(TableName=POST_TABLE, Key={"id": {"S": middle}})),
            "listX(limit: 20)": (lambda: self._graphql(LIST, {}), lambda: db.scan(TableName=POST_TABLE, Limit=20)),
            "index query (postsByTitle)": (lambda: self._graphql(BY_TITLE, {"t": "title 7"}),
                                           lambda: db.query(**by_title)),
            "Scan page from a mid-table key": (None, lambda: db.scan(TableName=POST_TABLE, Limit=20,
                                                                     ExclusiveStartKey={"id": {"S": middle}})),
            "TransactWriteItems (2 Puts)": (None, self._transact),
        }
        return pairs[operation]


def run(rounds: int, iterations: int, sizes: tuple[int, ...] = SIZES) -> list[SizeFigures]:
    running = start_blog()
    results: list[SizeFigures] = []
    try:
        dynamodb = engine_client(running)
        ids: list[str] = []
        with httpx.Client(timeout=120) as http:
            calls = _Calls(http, running.graphql_url, running.api_key or "", dynamodb)
            for size in sizes:
                ids += _grow(dynamodb, len(ids), size)
                calls.middle = sorted(ids)[size // 2]
                for operation in OPERATIONS:
                    api_call, raw_call = calls.pair(operation)
                    for _ in range(3):  # warm-up: connections, and the index's first build
                        raw_call()
                        if api_call:
                            api_call()
                    api_p50, raw_p50 = [], []
                    for _ in range(rounds):
                        if api_call:
                            api_p50.append(percentile(timed(api_call, iterations)[0], 0.5))
                        raw_p50.append(percentile(timed(raw_call, iterations)[0], 0.5))
                    results.append(SizeFigures(size, operation, Figure.of(api_p50) if api_p50 else None,
                                               Figure.of(raw_p50)))
                print(f"  {size:>7,} items measured", flush=True)
    finally:
        running.stop()
    return results
