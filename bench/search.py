"""``@searchable`` on 50,000 items: search latency, and how soon a write is searchable.

The server runs ``examples/searchable`` (in memory). 50,000 products are written straight to the
engine (BatchWriteItem on its port, as a backfill would), then:

* search: ``searchProducts`` with a ``match`` filter and a ``terms`` aggregation, on a word in
  about 20% of the products and on one in about 1%, default sort, ``limit`` 20; p50 and p99 per
  round over HTTP (so the figure includes GraphQL and HTTP, not only the index);
* catch-up: one ``PutItem`` straight to the engine with a new word, then the same search polled
  until it finds the item; the time from the write's answer to the first search that sees it.
  The index reads the table's stream before every search, so that is one search.
* the backlog after the bulk load: one more item written right after the 50,000, and the time
  until a search finds it (the stream is read in order, so then every item is in). The
  background thread reads the stream while the items are written; what is left is the lag.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from bench.server import ROOT, engine_client
from bench.stats import Figure, percentile
from emulator.testing import RunningEmulator, start_emulator

ITEMS = 50_000
SCHEMA = ROOT / "examples" / "searchable" / "schema.graphql"
CONFIG = (ROOT / "examples" / "searchable" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{SCHEMA}"')
TABLE = "Product-emulator-local"
WORDS = [f"w{n:03d}" for n in range(300)]
CATEGORIES = ["shoes", "clothing", "outdoor", "kitchen", "garden", "books", "toys", "tools"]
SEARCH = """query($word: String!) {
  searchProducts(filter: {name: {match: $word}}, limit: 20,
                 aggregates: [{name: "byCategory", type: terms, field: category}]) {
    items { id name category price } total
    aggregateItems { name result { ... on SearchableAggregateBucketResult { buckets { key doc_count } } } }
  }
}"""


@dataclass(frozen=True)
class SearchFigures:
    items: int
    common_p50: Figure  # a word in about 20% of the items
    common_p99: Figure
    rare_p50: Figure  # a word in about 1%
    catch_up: Figure  # write answered -> first search that finds it
    load_s: float  # writing the items (BatchWriteItem straight to the engine)
    backlog_s: float  # after the load: until the item written last is searchable


def _product(rng: random.Random) -> dict[str, Any]:
    words = rng.sample(WORDS, 4)
    if rng.random() < 0.2:
        words.append("popular")
    return {"id": {"S": str(uuid.uuid4())}, "name": {"S": " ".join(words)},
            "category": {"S": rng.choice(CATEGORIES)}, "price": {"N": str(rng.randint(1, 500))},
            "stock": {"N": str(rng.randint(0, 50))}, "__typename": {"S": "Product"},
            "createdAt": {"S": "2026-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-01-01T00:00:00.000Z"}}


def _load(dynamodb: Any, count: int) -> None:
    rng = random.Random(17)
    for first in range(0, count, 25):
        pending: dict[str, Any] = {TABLE: [{"PutRequest": {"Item": _product(rng)}}
                                           for _ in range(first, min(first + 25, count))]}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def _search(http: httpx.Client, running: RunningEmulator, word: str) -> dict[str, Any]:
    body = http.post(running.graphql_url, json={"query": SEARCH, "variables": {"word": word}},
                     headers={"x-api-key": running.api_key or ""}).json()
    if body.get("errors"):
        raise RuntimeError(f"benchmark search failed: {body}")
    return body["data"]["searchProducts"]


def _latencies(http: httpx.Client, running: RunningEmulator, word: str, iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        _search(http, running, word)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _catch_up(http: httpx.Client, running: RunningEmulator, dynamodb: Any, wait_s: float = 10) -> float:
    """Milliseconds from one write's answer to the first search that finds the item."""
    word = f"fresh{uuid.uuid4().hex[:8]}"
    item = _product(random.Random())
    item["name"] = {"S": f"{word} item"}
    dynamodb.put_item(TableName=TABLE, Item=item)
    written = time.perf_counter()
    while time.perf_counter() < written + wait_s:
        if _search(http, running, word)["total"]:
            return (time.perf_counter() - written) * 1000
    raise RuntimeError("a written item never became searchable")


def run(rounds: int, iterations: int, items: int = ITEMS) -> SearchFigures:
    running = start_emulator(SCHEMA, CONFIG, in_memory=True, extra_args=["--log-level", "warning"])
    try:
        dynamodb = engine_client(running)
        started = time.perf_counter()
        _load(dynamodb, items)
        load_s = time.perf_counter() - started
        with httpx.Client(timeout=120) as http:
            backlog_s = _catch_up(http, running, dynamodb, wait_s=600) / 1000
            common_p50, common_p99, rare_p50, catch_up = [], [], [], []
            for _ in range(rounds):
                common = _latencies(http, running, "popular", iterations)
                common_p50.append(percentile(common, 0.5))
                common_p99.append(percentile(common, 0.99))
                rare_p50.append(percentile(_latencies(http, running, WORDS[7], iterations), 0.5))
                catch_up.append(percentile([_catch_up(http, running, dynamodb) for _ in range(10)], 0.5))
    finally:
        running.stop()
    return SearchFigures(items, Figure.of(common_p50), Figure.of(common_p99), Figure.of(rare_p50),
                         Figure.of(catch_up), load_s, backlog_s)


if __name__ == "__main__":
    figures = run(3, 50)
    print(f"{figures.items:,} items: match ~20% + terms p50 {figures.common_p50.text(1, ' ms')}, "
          f"p99 {figures.common_p99.text(1, ' ms')}; match ~1% + terms p50 {figures.rare_p50.text(1, ' ms')}; "
          f"write -> searchable p50 {figures.catch_up.text(1, ' ms')}; load {figures.load_s:.0f} s, then "
          f"{figures.backlog_s:.1f} s until the last item is searchable")
