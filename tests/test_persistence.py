"""Persisted tables on the embedded engine: every write kind replays, compaction loses nothing,
a crash (or ``kill -9``) keeps every acknowledged write, damage is reported, not papered over.

A "crash image" is a copy of the tables folder taken while the engine runs: the journal is synced
before each answer, so the copy is exactly what a crash at that moment would leave on disk.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.engine import Engine, EngineError, start_engine
from emulator.persistence import store as store_module
from emulator.persistence.store import tables_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def own_moto_state() -> Iterator[None]:
    """moto's tables are process-global: start empty, give them back to other tests' engines after."""
    from moto.dynamodb.models import dynamodb_backends

    saved = {account: dict(regions) for account, regions in dynamodb_backends.items()}
    dynamodb_backends.clear()
    yield
    dynamodb_backends.clear()
    for account, regions in saved.items():
        for region, backend in regions.items():
            dynamodb_backends[account][region] = backend


def open_engine(data_dir: Path) -> Engine:
    return start_engine(None, "us-east-1", data_dir=data_dir)


def crash_image(data_dir: Path, target: Path) -> Path:
    shutil.copytree(tables_dir(data_dir), tables_dir(target), ignore=shutil.ignore_patterns("LOCK"))
    return target


def table_names(client: Any) -> list[str]:
    return sorted(client.list_tables()["TableNames"])


def dump(client: Any) -> dict[str, Any]:
    """Everything observable: tables, their keys and indexes, every item."""
    result = {}
    for name in table_names(client):
        table = client.describe_table(TableName=name)["Table"]
        items, kwargs = [], {"TableName": name}
        while True:
            page = client.scan(**kwargs)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        result[name] = {
            "keys": table["KeySchema"],
            "attributes": sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
            "gsis": sorted((i["IndexName"], str(i["KeySchema"])) for i in table.get("GlobalSecondaryIndexes", [])),
            "items": sorted(items, key=repr),
        }
    return result


def create_posts(client: Any, name: str = "Post") -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "status", "AttributeType": "S"},
                              {"AttributeName": "rating", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "byStatus",
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "rating", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )


def every_write_kind(client: Any) -> None:
    """One of each write call, including failing ones and index changes."""
    create_posts(client)
    client.create_table(
        TableName="Gone", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )
    for n in range(5):
        client.put_item(TableName="Post", Item={
            "id": {"S": f"p{n}"}, "status": {"S": "draft" if n % 2 else "live"}, "rating": {"N": str(n)},
            "tags": {"SS": ["a", f"t{n}"]}, "hits": {"N": "0"}, "bin": {"B": bytes([n, 0, 255])},
        })
    client.update_item(
        TableName="Post", Key={"id": {"S": "p1"}},
        UpdateExpression="SET #s = :s, title = if_not_exists(title, :t), notes = list_append(if_not_exists(notes, :e), :n) "
                         "ADD hits :one, tags :more REMOVE bin",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "live"}, ":t": {"S": "First"}, ":e": {"L": []},
                                   ":n": {"L": [{"S": "x"}]}, ":one": {"N": "1"}, ":more": {"SS": ["z"]}},
    )
    client.update_item(TableName="Post", Key={"id": {"S": "p1"}}, UpdateExpression="ADD hits :one",
                       ExpressionAttributeValues={":one": {"N": "1"}})
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(TableName="Post", Item={"id": {"S": "p2"}}, ConditionExpression="attribute_not_exists(id)")
    client.delete_item(TableName="Post", Key={"id": {"S": "p0"}})
    client.batch_write_item(RequestItems={"Post": [
        {"PutRequest": {"Item": {"id": {"S": "b1"}, "status": {"S": "live"}, "rating": {"N": "7"}}}},
        {"PutRequest": {"Item": {"id": {"S": "b2"}, "nested": {"M": {"a": {"L": [{"N": "1.5"}, {"NULL": True}]}}}}}},
        {"DeleteRequest": {"Key": {"id": {"S": "p4"}}}},
    ]})
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Post", "Item": {"id": {"S": "t1"}, "status": {"S": "live"}, "rating": {"N": "9"}}}},
        {"Update": {"TableName": "Post", "Key": {"id": {"S": "b1"}}, "UpdateExpression": "SET rating = :r",
                    "ExpressionAttributeValues": {":r": {"N": "8"}}}},
        {"Delete": {"TableName": "Post", "Key": {"id": {"S": "p3"}}}},
        {"ConditionCheck": {"TableName": "Post", "Key": {"id": {"S": "p2"}}, "ConditionExpression": "attribute_exists(id)"}},
    ])
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Post", "Item": {"id": {"S": "never"}}}},
            {"ConditionCheck": {"TableName": "Post", "Key": {"id": {"S": "missing"}},
                                "ConditionExpression": "attribute_exists(id)"}},
        ])
    client.execute_statement(Statement="INSERT INTO \"Post\" VALUE {'id': 'q1', 'status': 'live', 'rating': 3}")
    client.execute_statement(Statement="UPDATE \"Post\" SET title = 'partiql' WHERE id = 'q1'")
    client.update_table(
        TableName="Post",
        AttributeDefinitions=[{"AttributeName": "title", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "byTitle", "KeySchema": [{"AttributeName": "title", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }}],
    )
    client.delete_table(TableName="Gone")


def live_ratings(client: Any) -> list[tuple[str, str]]:
    page = client.query(TableName="Post", IndexName="byStatus", KeyConditionExpression="#s = :s",
                        ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "live"}})
    return [(item["id"]["S"], item["rating"]["N"]) for item in page["Items"]]


def test_every_write_kind_survives_a_crash(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    client = engine.client()
    every_write_kind(client)
    expected, expected_live = dump(client), live_ratings(client)
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()
    assert sorted(p.name for p in tables_dir(tmp_path / "b").iterdir()) == ["journal-000001.jsonl"]

    restarted = open_engine(tmp_path / "b")  # everything comes from replaying the journal
    try:
        assert dump(restarted.client()) == expected
        assert live_ratings(restarted.client()) == expected_live
    finally:
        restarted.close()
    items = {item["id"]["S"]: item for item in expected["Post"]["items"]}
    assert items["p1"]["hits"]["N"] == "2" and "bin" not in items["p1"] and items["p1"]["notes"]["L"] == [{"S": "x"}]
    assert items["q1"]["title"]["S"] == "partiql" and "never" not in items and "p3" not in items
    assert ("byTitle", str([{"AttributeName": "title", "KeyType": "HASH"}])) in expected["Post"]["gsis"]
    assert "Gone" not in expected


def test_clean_restart_loads_the_snapshot_only(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    every_write_kind(engine.client())
    expected = dump(engine.client())
    engine.close()
    folder = tables_dir(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["LOCK", "journal-000002.jsonl", "snapshot.bin"]
    assert (folder / "journal-000002.jsonl").stat().st_size == 0

    engine = open_engine(tmp_path)
    try:
        assert dump(engine.client()) == expected
    finally:
        engine.close()


def test_torn_journal_tail_is_dropped_and_appending_continues(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    create_posts(engine.client())
    engine.client().put_item(TableName="Post", Item={"id": {"S": "kept"}})
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()
    journal = tables_dir(tmp_path / "b") / "journal-000001.jsonl"
    with open(journal, "ab") as out:
        out.write(b'{"headers":{"X-Amz-Target":"DynamoDB_20120810.PutItem"},"bo')

    engine = open_engine(tmp_path / "b")
    client = engine.client()
    assert [i["id"]["S"] for i in client.scan(TableName="Post")["Items"]] == ["kept"]
    client.put_item(TableName="Post", Item={"id": {"S": "after"}})
    crash_image(tmp_path / "b", tmp_path / "c")
    engine.close()

    engine = open_engine(tmp_path / "c")
    try:
        assert sorted(i["id"]["S"] for i in engine.client().scan(TableName="Post")["Items"]) == ["after", "kept"]
    finally:
        engine.close()


def test_compaction_under_concurrent_writes_keeps_every_acknowledged_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MIN_REPLAY_SECONDS", 0.005)  # compact every few writes
    engine = open_engine(tmp_path / "a")
    client = engine.client()
    create_posts(client)
    store = engine._server.store  # noqa: SLF001
    stop = threading.Event()
    compactions = 0

    def compact_forever() -> None:
        nonlocal compactions
        while not stop.is_set():
            compactions += store.compact()

    def write(worker: int) -> None:
        for n in range(40):
            client.put_item(TableName="Post", Item={"id": {"S": f"w{worker}-{n}"}})
            client.update_item(TableName="Post", Key={"id": {"S": "counter"}}, UpdateExpression="ADD n :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})

    compactor = threading.Thread(target=compact_forever)
    compactor.start()
    writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    compactor.join()
    assert compactions > 3
    crash_image(tmp_path / "a", tmp_path / "b")
    expected = dump(client)
    engine.close()

    engine = open_engine(tmp_path / "b")
    try:
        restored = dump(engine.client())
    finally:
        engine.close()
    assert restored == expected
    counter = next(i for i in restored["Post"]["items"] if i["id"]["S"] == "counter")
    assert counter["n"]["N"] == "160" and len(restored["Post"]["items"]) == 161


def test_crash_between_snapshot_and_journal_deletion_replays_nothing_twice(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    client = engine.client()
    create_posts(client)
    client.update_item(TableName="Post", Key={"id": {"S": "c"}}, UpdateExpression="ADD n :one",
                       ExpressionAttributeValues={":one": {"N": "1"}})
    old_journal = (tables_dir(tmp_path / "a") / "journal-000001.jsonl").read_bytes()
    engine._server.store.compact()  # noqa: SLF001
    client.update_item(TableName="Post", Key={"id": {"S": "c"}}, UpdateExpression="ADD n :one",
                       ExpressionAttributeValues={":one": {"N": "1"}})
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()
    (tables_dir(tmp_path / "b") / "journal-000001.jsonl").write_bytes(old_journal)  # not yet deleted

    engine = open_engine(tmp_path / "b")
    try:
        item = engine.client().get_item(TableName="Post", Key={"id": {"S": "c"}})["Item"]
        assert item["n"]["N"] == "2"
        assert not (tables_dir(tmp_path / "b") / "journal-000001.jsonl").exists()
    finally:
        engine.close()


def test_crash_before_the_snapshot_is_written_replays_both_journals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(tmp_path / "a")
    client = engine.client()
    create_posts(client)
    client.put_item(TableName="Post", Item={"id": {"S": "before"}})

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "write_snapshot", disk_full)
    with pytest.raises(OSError):
        engine._server.store.compact()  # noqa: SLF001
    client.put_item(TableName="Post", Item={"id": {"S": "after"}})
    crash_image(tmp_path / "a", tmp_path / "b")
    monkeypatch.undo()
    engine.close()
    assert sorted(p.name for p in tables_dir(tmp_path / "b").iterdir()) == [
        "journal-000001.jsonl", "journal-000002.jsonl"]

    engine = open_engine(tmp_path / "b")
    try:
        assert sorted(i["id"]["S"] for i in engine.client().scan(TableName="Post")["Items"]) == ["after", "before"]
    finally:
        engine.close()


def test_second_process_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    try:
        with pytest.raises(EngineError, match="in use by another appsync-emulator process"):
            open_engine(tmp_path)
    finally:
        engine.close()


def test_damaged_journal_stops_the_start_and_keeps_the_files(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    create_posts(engine.client())
    engine.client().put_item(TableName="Post", Item={"id": {"S": "x"}})
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()
    journal = tables_dir(tmp_path / "b") / "journal-000001.jsonl"
    lines = journal.read_bytes().split(b"\n")
    damaged = b"\n".join([lines[0][:-5], *lines[1:]])
    journal.write_bytes(damaged)

    with pytest.raises(EngineError) as caught:
        open_engine(tmp_path / "b")
    assert str(journal) in str(caught.value) and "line 1" in str(caught.value)
    assert journal.read_bytes() == damaged
    engine = open_engine(tmp_path / "a")  # the lock was released on failure: the folder opens again
    engine.close()


def test_unreadable_snapshot_is_named(tmp_path: Path) -> None:
    from emulator.persistence.snapshot import Snapshot, write_snapshot

    folder = tables_dir(tmp_path)
    folder.mkdir(parents=True)
    write_snapshot(folder / "snapshot.bin", Snapshot(2, "0.0.1", b"not a pickle"))
    with pytest.raises(EngineError, match=r"snapshot\.bin: cannot load the snapshot, written by engine moto 0\.0\.1"):
        open_engine(tmp_path)


def test_missing_snapshot_with_later_journal_is_refused(tmp_path: Path) -> None:
    folder = tables_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "journal-000003.jsonl").write_bytes(b"")
    with pytest.raises(EngineError, match="snapshot.bin is missing"):
        open_engine(tmp_path)


def test_in_memory_engine_writes_nothing(tmp_path: Path) -> None:
    engine = start_engine(None, "us-east-1", data_dir=None)
    try:
        create_posts(engine.client(), "Memory")
    finally:
        engine.close()
    assert list(tmp_path.iterdir()) == []


KILL_SCRIPT = """
import sys
from pathlib import Path
from emulator.engine import start_engine
engine = start_engine(None, "us-east-1", data_dir=Path(sys.argv[1]))
client = engine.client()
client.create_table(TableName="K", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
n = 0
while True:
    client.put_item(TableName="K", Item={"id": {"S": f"i{n}"}, "n": {"N": str(n)}})
    print(n, flush=True)
    n += 1
"""


def test_kill_9_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(tmp_path)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    acknowledged = -1
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    for line in process.stdout:
        acknowledged = int(line)
        if acknowledged >= 150 or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert acknowledged >= 150

    engine = open_engine(tmp_path)
    try:
        stored = {int(i["n"]["N"]) for i in dump(engine.client())["K"]["items"]}
    finally:
        engine.close()
    assert set(range(acknowledged + 1)) <= stored


def test_compaction_trigger_weighs_replay_against_snapshot_load() -> None:
    from emulator.persistence.store import should_compact

    assert not should_compact(10, 4_000, 0)  # a few writes: replay is instant
    assert should_compact(1_000, 400_000, 0)  # ~1 s of replay on an empty snapshot
    assert not should_compact(1_000, 400_000, 100_000_000)  # still less than loading a 100 MB snapshot
    assert should_compact(20_000, 8_000_000, 100_000_000)


def test_tables_of_other_regions_and_accounts_come_back_where_they_were(tmp_path: Path) -> None:
    from emulator.engine import make_client

    engine = open_engine(tmp_path / "a")
    europe = make_client(engine.endpoint_url, "eu-west-1", local=True)
    create_posts(europe, "Europe")
    europe.put_item(TableName="Europe", Item={"id": {"S": "e"}})
    other_account = make_client(engine.endpoint_url, "us-east-1", local=True)
    other_account.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__(
        "x-moto-account-id", "111122223333"))
    create_posts(other_account, "Elsewhere")
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()

    engine = open_engine(tmp_path / "b")
    try:
        assert table_names(engine.client()) == []  # us-east-1, default account
        europe = make_client(engine.endpoint_url, "eu-west-1", local=True)
        assert [i["id"]["S"] for i in europe.scan(TableName="Europe")["Items"]] == ["e"]
        other_account = make_client(engine.endpoint_url, "us-east-1", local=True)
        other_account.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__(
            "x-moto-account-id", "111122223333"))
        assert table_names(other_account) == ["Elsewhere"]
    finally:
        engine.close()
