"""What persistence costs: per write, while a snapshot is taken, per restart, and in memory.

Section ``persistence`` of ``python -m bench``; alone: ``.venv/bin/python -m bench.restart
[--items 10000,100000] [--writes 1000]``. Figures:

* write cost: one journal ``append`` + ``fdatasync``; PutItem on the embedded engine in memory
  versus persisted (one client thread and eight: group commit shares syncs);
* journal replay: how fast a journal is re-applied at start when no snapshot covers it;
* writes during snapshots: PutItem latency on an engine holding ``--items`` items, alone and while
  snapshots are taken back to back, and how long each snapshot held writes back;
* the real server (``appsync-emulator serve``, blog example) filled with each ``--items``: its RSS
  after the fill and after a restart (per 1k items, over the empty server), restart after ``kill
  -9`` and after a clean stop ("ready" is the server's own "Ready in", start to listening; "wall"
  adds interpreter start-up and the first answered request), and SIGTERM to exit.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.server import cpu_seconds, rss_mib
from bench.stats import Figure, percentile
from emulator.engine import start_engine
from emulator.persistence import store as store_module
from emulator.persistence.journal import Journal, JournalEntry
from emulator.persistence.moto_state import wsgi_app
from emulator.persistence.store import recover, tables_dir
from emulator.testing import RunningEmulator, start_emulator

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "examples" / "blog" / "schema.graphql"
CONFIG = (ROOT / "examples" / "blog" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{SCHEMA}"'
)
TABLE = "Post-emulator-local"
SIZES = (10_000, 100_000)


def post(n: int) -> dict[str, Any]:
    """A blog post item as the API stores it (about 300 bytes)."""
    return {
        "id": {"S": f"{n:08d}-0000-4000-8000-000000000000"}, "__typename": {"S": "Post"},
        "title": {"S": f"Post number {n} about persistence"}, "status": {"S": "live" if n % 3 else "draft"},
        "rating": {"N": str(n % 10)}, "blogPostsId": {"S": f"blog-{n % 50}"},
        "createdAt": {"S": "2026-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-01-01T00:00:00.000Z"},
    }


def create_post_table(client: Any, name: str = "Bench") -> None:
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST",
                        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})


def batch_fill(client: Any, table: str, items: int, first: int = 0) -> None:
    for start in range(first, first + items, 25):
        batch = [{"PutRequest": {"Item": post(n)}} for n in range(start, min(start + 25, first + items))]
        pending: dict[str, Any] = {table: batch}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


# ---------------------------------------------------------------------------------------------
# Write cost


@dataclass(frozen=True)
class WriteCost:
    journal_us: float
    put_ms: dict[tuple[int, bool], float]  # (client threads, persisted) -> ms per acknowledged write
    replay_per_second: float


def journal_cost(folder: Path, writes: int) -> float:
    journal = Journal(folder / "journal-000001.jsonl")
    entry = JournalEntry({"X-Amz-Target": "DynamoDB_20120810.PutItem"}, str(post(0)), 200)
    started = time.perf_counter()
    for _ in range(writes):
        journal.sync(journal.append(entry))
    elapsed = time.perf_counter() - started
    journal.close()
    return elapsed / writes


def put_cost(data_dir: Path | None, writes: int, threads: int) -> float:
    """Seconds per acknowledged PutItem on the embedded engine."""
    engine = start_engine(None, "us-east-1", data_dir=data_dir)
    client = engine.client()
    create_post_table(client)

    def write(worker: int) -> None:
        for n in range(writes // threads):
            client.put_item(TableName="Bench", Item={**post(n), "id": {"S": f"{worker}-{n}"}})

    started = time.perf_counter()
    workers = [threading.Thread(target=write, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    client.delete_table(TableName="Bench")
    engine.close()
    return elapsed / writes


def replay_rate(folder: Path, writes: int) -> float:
    """Journal entries re-applied per second at start (compaction held off)."""
    original = store_module.MIN_REPLAY_SECONDS
    store_module.MIN_REPLAY_SECONDS = float("inf")
    try:
        engine = start_engine(None, "us-east-1", data_dir=folder / "live")
        client = engine.client()
        create_post_table(client)
        for n in range(writes):
            client.put_item(TableName="Bench", Item=post(n))
        shutil.copytree(tables_dir(folder / "live"), folder / "image", ignore=shutil.ignore_patterns("LOCK"))
        engine.close()
    finally:
        store_module.MIN_REPLAY_SECONDS = original
    recovery = recover(folder / "image", wsgi_app())
    return recovery.replayed / recovery.seconds


def write_cost(folder: Path, writes: int) -> WriteCost:
    journal = [journal_cost(Path(tempfile.mkdtemp(dir=folder)), writes) for _ in range(3)]
    puts = {}
    for threads in (1, 8):
        puts[(threads, False)] = min(put_cost(None, writes, threads) for _ in range(3))
        puts[(threads, True)] = min(put_cost(Path(tempfile.mkdtemp(dir=folder)), writes, threads) for _ in range(3))
    return WriteCost(statistics.median(journal) * 1e6, {k: v * 1e3 for k, v in puts.items()}, replay_rate(folder, writes))


# ---------------------------------------------------------------------------------------------
# Writes while snapshots are taken


@dataclass(frozen=True)
class SnapshotWrites:
    items: int
    alone_p50: float
    alone_p99: float
    during_p50: float
    during_p99: float
    during_max: float
    snapshots: int
    held_ms: Figure  # how long each snapshot held writes back
    encode_s: Figure
    size_mb: float


def snapshot_writes(folder: Path, items: int, writes: int) -> SnapshotWrites:
    """PutItem latency (ms) on an engine of ``items`` items, alone, then while another thread
    takes snapshots back to back (what the background compaction does, continuously)."""
    original = store_module.MIN_REPLAY_SECONDS
    store_module.MIN_REPLAY_SECONDS = float("inf")  # only the snapshots this benchmark asks for
    engine = start_engine(None, "us-east-1", data_dir=folder / "snapshots")
    try:
        client = engine.client()
        create_post_table(client)
        batch_fill(client, "Bench", items)
        store = engine._server.store  # noqa: SLF001
        store.compact()

        def put_latencies(count: int, offset: int) -> list[float]:
            latencies = []
            for n in range(offset, offset + count):
                started = time.perf_counter()
                client.put_item(TableName="Bench", Item=post(n))
                latencies.append((time.perf_counter() - started) * 1e3)
            return latencies

        alone = put_latencies(writes, items)
        stop, held, encoded, sizes = threading.Event(), [], [], []

        def snapshots() -> None:
            while not stop.is_set():
                if store.compact() and store.last_compaction is not None:
                    held.append(store.last_compaction.held * 1e3)
                    encoded.append(store.last_compaction.encoded)
                    sizes.append(store.last_compaction.size)

        taker = threading.Thread(target=snapshots)
        taker.start()
        try:
            during = put_latencies(writes, items + writes)
        finally:
            stop.set()
            taker.join()
    finally:
        engine.close()
        store_module.MIN_REPLAY_SECONDS = original
    return SnapshotWrites(items, percentile(alone, 0.5), percentile(alone, 0.99), percentile(during, 0.5),
                          percentile(during, 0.99), max(during), len(held), Figure.of(held or [0.0]),
                          Figure.of(encoded or [0.0]), (statistics.median(sizes) if sizes else 0) / 1e6)


# ---------------------------------------------------------------------------------------------
# The real server: memory and restarts


@dataclass(frozen=True)
class ServerFigures:
    items: int
    fill_s: float
    idle_mib: float
    filled_mib: float
    restarted_mib: float
    kill9_ready: float
    kill9_wall: float
    kill9_cpu: float
    clean_ready: float
    clean_wall: float
    clean_cpu: float
    sigterm_exit_s: float
    disk_mb: float
    restored: str

    @property
    def filled_per_1k(self) -> float:
        return (self.filled_mib - self.idle_mib) / self.items * 1000

    @property
    def restarted_per_1k(self) -> float:
        return (self.restarted_mib - self.idle_mib) / self.items * 1000


def timed_start(data_dir: Path, *, in_memory: bool = False) -> tuple[RunningEmulator, float, float, float]:
    """A started server with (its own "Ready in" seconds, wall seconds from spawn to answering,
    CPU seconds it used to get there)."""
    started = time.perf_counter()
    running = start_emulator(SCHEMA, CONFIG, data_dir=data_dir, in_memory=in_memory, timeout=300)
    wall = time.perf_counter() - started
    ready = next(float(m[1]) for line in running.output if (m := re.match(r"Ready in ([\d.]+)s", line)))
    return running, ready, wall, cpu_seconds(running.process.pid)


def count(running: RunningEmulator) -> int:
    client, total, kwargs = running.dynamodb(), 0, {"TableName": TABLE, "Select": "COUNT"}
    while True:
        page = client.scan(**kwargs)
        total += page["Count"]
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def restored_line(running: RunningEmulator) -> str:
    return next((line.split(": ", 1)[1] for line in running.output if "restored tables" in line), "?")


def server_figures(folder: Path, items: int) -> ServerFigures:
    data_dir = folder / f"data-{items}"
    running, _, _, _ = timed_start(data_dir)
    idle = rss_mib(running.process.pid)
    started = time.perf_counter()
    batch_fill(running.dynamodb(), TABLE, items)
    filled_s = time.perf_counter() - started
    time.sleep(2)  # let a compaction the fill triggered finish
    filled = rss_mib(running.process.pid)
    running.process.kill()
    running.process.wait()

    running, kill9_ready, kill9_wall, kill9_cpu = timed_start(data_dir)
    if count(running) != items:
        raise RuntimeError("items missing after restart")
    restored = restored_line(running)
    stopping = time.perf_counter()
    running.stop(timeout=120)
    sigterm_exit = time.perf_counter() - stopping

    running, clean_ready, clean_wall, clean_cpu = timed_start(data_dir)
    restarted = rss_mib(running.process.pid)
    running.stop(timeout=120)
    disk = sum(p.stat().st_size for p in tables_dir(data_dir).iterdir()) / 1e6
    return ServerFigures(items, filled_s, idle, filled, restarted, kill9_ready, kill9_wall, kill9_cpu, clean_ready,
                         clean_wall, clean_cpu, sigterm_exit, disk, restored)


@dataclass(frozen=True)
class PersistenceResults:
    writes: WriteCost
    snapshots: list[SnapshotWrites]
    servers: list[ServerFigures]


def run(sizes: tuple[int, ...] = SIZES, writes: int = 1000) -> PersistenceResults:
    with tempfile.TemporaryDirectory(prefix="bench-persistence-") as tmp:
        folder = Path(tmp)
        cost = write_cost(folder, writes)
        print("  write cost measured", flush=True)
        snapshots = [snapshot_writes(Path(tempfile.mkdtemp(dir=folder)), size, writes) for size in sizes]
        print("  writes during snapshots measured", flush=True)
        servers = []
        for size in sizes:
            servers.append(server_figures(folder, size))
            print(f"  server with {size:,} items measured", flush=True)
    return PersistenceResults(cost, snapshots, servers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", default=",".join(map(str, SIZES)), help="comma-separated table sizes")
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    from bench.report import persistence_lines

    results = run(tuple(int(n) for n in args.items.split(",")), args.writes)
    print("\n".join(persistence_lines(results)))


if __name__ == "__main__":
    main()
