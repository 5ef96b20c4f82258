"""Read latency as the table grows (1k, 10k, 50k posts): the cost is the engine's, not the API's.

moto keeps a table as a dict of items: GetItem is a dict lookup, but Query (table or index) walks
every item of the table before applying the key condition, and Scan reads from the start. So an
API read that becomes a Query grows linearly with the table, exactly as the raw Query does; the
figures show both side by side. One server; the table is grown between measurements.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from bench.http_latency import FIELDS, raw_post, timed
from bench.server import POST_TABLE, engine_client, start_blog
from bench.stats import Figure, percentile

SIZES = (1_000, 10_000, 50_000)
GET = f"query Get($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}"
LIST = f"query {{ listPosts(limit: 20) {{ items {{ {FIELDS} }} }} }}"
BY_TITLE = f"query ByTitle($t: String!) {{ postsByTitle(title: $t, limit: 20) {{ items {{ {FIELDS} }} }} }}"


@dataclass(frozen=True)
class SizeFigures:
    items: int
    operation: str
    api_p50: Figure
    raw_p50: Figure


def _grow(dynamodb: Any, start: int, stop: int) -> list[str]:
    ids = []
    for first in range(start, stop, 25):
        batch = []
        for n in range(first, min(first + 25, stop)):
            post_id = str(uuid.uuid4())
            ids.append(post_id)
            item = raw_post(post_id)
            item["title"] = {"S": f"title {n % 500}"}
            batch.append({"PutRequest": {"Item": item}})
        pending: dict[str, Any] = {POST_TABLE: batch}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return ids


def run(rounds: int, iterations: int, sizes: tuple[int, ...] = SIZES) -> list[SizeFigures]:
    running = start_blog()
    results: list[SizeFigures] = []
    try:
        dynamodb = engine_client(running)
        headers = {"x-api-key": running.api_key or ""}
        ids: list[str] = []
        with httpx.Client(timeout=60) as http:
            def api(query: str, variables: dict[str, Any]) -> None:
                body = http.post(running.graphql_url, json={"query": query, "variables": variables}, headers=headers).json()
                if body.get("errors"):
                    raise RuntimeError(f"benchmark request failed: {body}")

            for size in sizes:
                ids += _grow(dynamodb, len(ids), size)
                some = ids[size // 2]
                calls = {
                    "getX": (lambda some=some: api(GET, {"id": some}),
                             lambda some=some: dynamodb.get_item(TableName=POST_TABLE, Key={"id": {"S": some}})),
                    "listX(limit: 20)": (lambda: api(LIST, {}), lambda: dynamodb.scan(TableName=POST_TABLE, Limit=20)),
                    "index query (postsByTitle)": (
                        lambda: api(BY_TITLE, {"t": "title 7"}),
                        lambda: dynamodb.query(TableName=POST_TABLE, IndexName="byTitle", Limit=20,
                                               KeyConditionExpression="title = :t",
                                               ExpressionAttributeValues={":t": {"S": "title 7"}}),
                    ),
                }
                count = max(5, iterations * 1000 // size) if size > 1000 else iterations
                for name, (api_call, raw_call) in calls.items():
                    api_call(), raw_call()
                    api_p50, raw_p50 = [], []
                    for _ in range(rounds):
                        api_p50.append(percentile(timed(api_call, count)[0], 0.5))
                        raw_p50.append(percentile(timed(raw_call, count)[0], 0.5))
                    results.append(SizeFigures(size, name, Figure.of(api_p50), Figure.of(raw_p50)))
    finally:
        running.stop()
    return results
