"""Memory over many reads and transactions: it must stay flat (issue 15, point 3).

Stock moto keeps every model object it creates (its dashboard's ``instances_tracked``): 2,000
list queries held 32 MiB more, 10 transactions on a 5k-item table 42 MiB more. The blog server
(in memory) gets 10k posts, a warm-up, then ``reads`` Query/Scan pages of 20 (raw, on the engine's
port, half listX's Scan, half the index query) and ``transactions`` TransactWriteItems of two
Puts; its RSS is read before and after each.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.server import POST_TABLE, engine_client, rss_mib, start_blog
from bench.table_size import _grow

POSTS = 10_000


@dataclass(frozen=True)
class LeakFigures:
    posts: int
    reads: int
    transactions: int
    start_mib: float
    after_reads_mib: float
    after_transactions_mib: float


def run(reads: int = 100_000, transactions: int = 10_000) -> LeakFigures:
    running = start_blog()
    try:
        dynamodb = engine_client(running)
        _grow(dynamodb, 0, POSTS)
        by_title = {"TableName": POST_TABLE, "IndexName": "byTitle", "Limit": 20,
                    "KeyConditionExpression": "title = :t"}

        def read(n: int) -> None:
            if n % 2:
                dynamodb.scan(TableName=POST_TABLE, Limit=20)
            else:
                dynamodb.query(**by_title, ExpressionAttributeValues={":t": {"S": f"title {n % 50}"}})

        def transact(n: int) -> None:
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": POST_TABLE, "Item": {"id": {"S": f"tx-{n % 500}-{side}"}, "title": {"S": "tx"}}}}
                for side in "ab"
            ])

        for n in range(2_000):  # warm-up: pools, caches, the indexes' first build
            read(n)
            if n < 500:
                transact(n)
        start = rss_mib(running.process.pid)
        for n in range(reads):
            read(n)
        after_reads = rss_mib(running.process.pid)
        for n in range(transactions):
            transact(n)
        after_transactions = rss_mib(running.process.pid)
    finally:
        running.stop()
    return LeakFigures(POSTS, reads, transactions, start, after_reads, after_transactions)
