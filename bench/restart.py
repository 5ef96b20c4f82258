"""What persistence costs: per write (the journal's fsync) and per restart (10k stored items).

Run: ``.venv/bin/python bench/restart.py [--items 10000] [--writes 1000]``. Figures:

* journal: one ``append`` + ``fdatasync`` of a PutItem-sized line, no engine;
* PutItem on the embedded engine over its HTTP port, in memory versus persisted, one client
  thread and eight (group commit shares syncs between concurrent writers);
* replay: how fast a journal is re-applied at start when no snapshot covers it;
* restart of the real server (``appsync-emulator serve``, blog example) holding ``--items``
  items, after ``kill -9`` and after a clean stop, against an empty in-memory start. "ready" is
  the server's own "Ready in" figure (start to listening); "wall" adds interpreter start-up.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

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


def post(n: int) -> dict[str, Any]:
    """A blog post item as the API stores it (about 300 bytes)."""
    return {
        "id": {"S": f"{n:08d}-0000-4000-8000-000000000000"}, "__typename": {"S": "Post"},
        "title": {"S": f"Post number {n} about persistence"}, "status": {"S": "live" if n % 3 else "draft"},
        "rating": {"N": str(n % 10)}, "blogPostsId": {"S": f"blog-{n % 50}"},
        "createdAt": {"S": "2026-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-01-01T00:00:00.000Z"},
    }


def row(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


# ---------------------------------------------------------------------------------------------
# Write cost


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
    """Seconds per acknowledged PutItem, over the engine's HTTP port."""
    engine = start_engine(None, "us-east-1", data_dir=data_dir)
    client = engine.client()
    client.create_table(TableName="Bench", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")

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
        client.create_table(TableName="Bench", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            BillingMode="PAY_PER_REQUEST")
        for n in range(writes):
            client.put_item(TableName="Bench", Item=post(n))
        shutil.copytree(tables_dir(folder / "live"), folder / "image", ignore=shutil.ignore_patterns("LOCK"))
        engine.close()
    finally:
        store_module.MIN_REPLAY_SECONDS = original
    recovery = recover(folder / "image", wsgi_app())
    return recovery.replayed / recovery.seconds


# ---------------------------------------------------------------------------------------------
# Restart of the real server


def timed_start(data_dir: Path, *, in_memory: bool = False) -> tuple[RunningEmulator, float, float]:
    """A started server with (its own "Ready in" seconds, wall seconds from spawn to answering)."""
    started = time.perf_counter()
    running = start_emulator(SCHEMA, CONFIG, data_dir=data_dir, in_memory=in_memory)
    wall = time.perf_counter() - started
    ready = next(float(m[1]) for line in running.output if (m := re.match(r"Ready in ([\d.]+)s", line)))
    return running, ready, wall


def fill(running: RunningEmulator, items: int) -> None:
    client = running.dynamodb()
    for first in range(0, items, 25):
        batch = [{"PutRequest": {"Item": post(n)}} for n in range(first, min(first + 25, items))]
        client.batch_write_item(RequestItems={TABLE: batch})


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


def restart_figures(folder: Path, items: int) -> None:
    running, ready, wall = timed_start(folder / "empty", in_memory=True)
    running.stop()
    row("empty, --in-memory", f"ready {ready:.2f}s, wall {wall:.2f}s")

    data_dir = folder / "data"
    running, _, _ = timed_start(data_dir)
    started = time.perf_counter()
    fill(running, items)
    filled = time.perf_counter() - started
    row(f"fill {items} items (BatchWriteItem via the server port)", f"{filled:.2f}s")
    running.process.kill()
    running.process.wait()

    for label, stop in (("after kill -9", lambda r: (r.process.kill(), r.process.wait())),
                        ("after a clean stop", lambda r: r.stop())):
        running, ready, wall = timed_start(data_dir)
        assert count(running) == items, "items missing after restart"
        row(f"{items} items, {label}", f"ready {ready:.2f}s, wall {wall:.2f}s")
        row("", f"({restored_line(running)})")
        stop(running)
    size = sum(p.stat().st_size for p in tables_dir(data_dir).iterdir())
    row("tables folder on disk", f"{size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-restart-") as tmp:
        folder = Path(tmp)
        print("Write cost (per acknowledged write)")
        journal = [journal_cost(Path(tempfile.mkdtemp(dir=folder)), args.writes) for _ in range(3)]
        row("journal append + fdatasync", f"{statistics.median(journal) * 1e6:.0f} µs")
        for threads in (1, 8):
            memory = min(put_cost(None, args.writes, threads) for _ in range(3))
            persisted = min(put_cost(Path(tempfile.mkdtemp(dir=folder)), args.writes, threads) for _ in range(3))
            row(f"PutItem, {threads} client thread(s), in memory", f"{memory * 1e3:.2f} ms")
            row(f"PutItem, {threads} client thread(s), persisted", f"{persisted * 1e3:.2f} ms "
                f"(+{(persisted - memory) * 1e3:.2f} ms)")
        print("Replay")
        row(f"journal replay ({args.writes} PutItem, no snapshot)", f"{replay_rate(folder, args.writes):.0f} writes/s")
        print("Restart of the server")
        restart_figures(folder, args.items)


if __name__ == "__main__":
    main()
