"""getX / listX(limit: 20) / createX / updateX over HTTP keep-alive, against the raw boto3 call.

Each round times ``iterations`` sequential requests of one operation through the API (httpx,
one keep-alive connection, API key) and then the same number of the equivalent raw DynamoDB
calls made with boto3 straight to the server's embedded engine (same tables, same run, client
configured as the emulator configures its own). The raw calls are what an application would
write by hand: GetItem, Scan with ``Limit``, a PutItem guarded by ``attribute_not_exists`` and
an UpdateItem guarded by ``attribute_exists`` returning ``ALL_NEW``. Rounds alternate which side
goes first. The ratio is API p50 / raw p50 of the same round. Throughput is measured twice:
sequentially (one client: 1 / latency) and with 8 client threads at once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from bench.server import POST_TABLE, engine_client, start_blog
from bench.stats import Figure, percentile

FIELDS = "id title status rating createdAt updatedAt"
GET = f"query Get($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}"
LIST = f"query List {{ listPosts(limit: 20) {{ items {{ {FIELDS} }} nextToken }} }}"
CREATE = f"mutation Create($input: CreatePostInput!) {{ createPost(input: $input) {{ {FIELDS} }} }}"
UPDATE = f"mutation Update($input: UpdatePostInput!) {{ updatePost(input: $input) {{ {FIELDS} }} }}"
OPERATIONS = ("getX", "listX(limit: 20)", "createX", "updateX")


@dataclass(frozen=True)
class OperationFigures:
    """One operation's figures over the rounds (latencies in ms, throughput in requests/s)."""

    name: str
    api_p50: Figure
    api_p99: Figure
    api_rps: Figure
    raw_p50: Figure
    raw_p99: Figure
    raw_rps: Figure
    ratio: Figure
    api_rps_concurrent: Figure  # CONCURRENT_CLIENTS clients at once
    raw_rps_concurrent: Figure


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


class Workload:
    """The API side and the raw side of each operation, on a seeded table."""

    def __init__(self, http: httpx.Client, url: str, key: str, dynamodb: Any, seeded: list[str]) -> None:
        self._http, self._url, self._headers = http, url, {"x-api-key": key}
        self._dynamodb = dynamodb
        self._ids = seeded
        self._turn = 0

    def _next_id(self) -> str:
        self._turn += 1
        return self._ids[self._turn % len(self._ids)]

    def _graphql(self, query: str, variables: dict[str, Any]) -> None:
        response = self._http.post(self._url, json={"query": query, "variables": variables}, headers=self._headers)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"benchmark request failed: {response.status_code} {body}")

    def api(self, name: str) -> Callable[[], None]:
        calls: dict[str, Callable[[], None]] = {
            "getX": lambda: self._graphql(GET, {"id": self._next_id()}),
            "listX(limit: 20)": lambda: self._graphql(LIST, {}),
            "createX": lambda: self._graphql(CREATE, {"input": {"title": "bench post", "status": "live", "rating": 3}}),
            "updateX": lambda: self._graphql(UPDATE, {"input": {"id": self._next_id(), "title": f"title {self._turn}"}}),
        }
        return calls[name]

    def raw(self, name: str) -> Callable[[], None]:
        db = self._dynamodb
        calls: dict[str, Callable[[], None]] = {
            "getX": lambda: db.get_item(TableName=POST_TABLE, Key={"id": {"S": self._next_id()}}),
            "listX(limit: 20)": lambda: db.scan(TableName=POST_TABLE, Limit=20),
            "createX": lambda: db.put_item(
                TableName=POST_TABLE, Item=raw_post(str(uuid.uuid4())), ConditionExpression="attribute_not_exists(id)"
            ),
            "updateX": lambda: db.update_item(
                TableName=POST_TABLE,
                Key={"id": {"S": self._next_id()}},
                UpdateExpression="SET title = :t, updatedAt = :u",
                ConditionExpression="attribute_exists(id)",
                ExpressionAttributeValues={":t": {"S": f"title {self._turn}"}, ":u": {"S": _now()}},
                ReturnValues="ALL_NEW",
            ),
        }
        return calls[name]


def raw_post(post_id: str) -> dict[str, Any]:
    now = _now()
    return {
        "id": {"S": post_id}, "__typename": {"S": "Post"}, "title": {"S": "bench post"}, "status": {"S": "live"},
        "rating": {"N": "3"}, "createdAt": {"S": now}, "updatedAt": {"S": now},
    }


def seed_posts(dynamodb: Any, count: int) -> list[str]:
    """``count`` posts written straight to the table (BatchWriteItem); returns their ids."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for first in range(0, count, 25):
        batch = [{"PutRequest": {"Item": raw_post(post_id)}} for post_id in ids[first : first + 25]]
        pending: dict[str, Any] = {POST_TABLE: batch}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return ids


def timed(call: Callable[[], None], iterations: int) -> tuple[list[float], float]:
    """Latencies in ms and requests per second of ``iterations`` sequential calls."""
    latencies = []
    started = time.perf_counter()
    for _ in range(iterations):
        before = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - before) * 1000)
    return latencies, iterations / (time.perf_counter() - started)


CONCURRENT_CLIENTS = 8


def concurrent_rps(call: Callable[[], None], clients: int, per_client: int) -> float:
    """Requests per second with ``clients`` threads calling at once (shared keep-alive pool)."""
    def client() -> None:
        for _ in range(per_client):
            call()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return clients * per_client / (time.perf_counter() - started)


def measure(workload: Workload, name: str, rounds: int, iterations: int) -> OperationFigures:
    sides: dict[str, dict[str, list[float]]] = {side: {"p50": [], "p99": [], "rps": []} for side in ("api", "raw")}
    ratios = []
    for _ in range(3):  # warm-up: connections, caches, first-call imports
        workload.api(name)()
        workload.raw(name)()
    for number in range(rounds):
        order = ("api", "raw") if number % 2 == 0 else ("raw", "api")
        for side in order:
            call = workload.api(name) if side == "api" else workload.raw(name)
            latencies, rps = timed(call, iterations)
            sides[side]["p50"].append(percentile(latencies, 0.5))
            sides[side]["p99"].append(percentile(latencies, 0.99))
            sides[side]["rps"].append(rps)
        ratios.append(sides["api"]["p50"][-1] / sides["raw"]["p50"][-1])
    per_client = max(10, iterations // CONCURRENT_CLIENTS)
    api_concurrent = [concurrent_rps(workload.api(name), CONCURRENT_CLIENTS, per_client) for _ in range(rounds)]
    raw_concurrent = [concurrent_rps(workload.raw(name), CONCURRENT_CLIENTS, per_client) for _ in range(rounds)]
    api, raw = sides["api"], sides["raw"]
    return OperationFigures(
        name,
        Figure.of(api["p50"]), Figure.of(api["p99"]), Figure.of(api["rps"]),
        Figure.of(raw["p50"]), Figure.of(raw["p99"]), Figure.of(raw["rps"]),
        Figure.of(ratios), Figure.of(api_concurrent), Figure.of(raw_concurrent),
    )


def run(rounds: int, iterations: int, seeded: int = 500, log_level: str = "warning") -> list[OperationFigures]:
    """Every operation against a fresh in-memory blog server holding ``seeded`` posts."""
    running = start_blog(log_level=log_level)
    try:
        dynamodb = engine_client(running)
        ids = seed_posts(dynamodb, seeded)
        with httpx.Client(timeout=30) as http:
            workload = Workload(http, running.graphql_url, running.api_key or "", dynamodb, ids)
            return [measure(workload, name, rounds, iterations) for name in OPERATIONS]
    finally:
        running.stop()
