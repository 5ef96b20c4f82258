"""Compaction (snapshot, then a fresh journal): when it triggers, and that no acknowledged write is
lost or replayed twice when it runs under concurrent writes or a crash interrupts it."""

from __future__ import annotations

import threading
from contextlib import closing
from pathlib import Path

import pytest

from emulator.persistence import store as store_module
from emulator.persistence.store import should_compact, tables_dir
from tests.persistence_engine import crash_image, create_posts, dump, open_engine

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


def test_compaction_trigger_weighs_replay_against_snapshot_load() -> None:
    assert not should_compact(10, 4_000, 0)  # a few writes: replay is instant
    assert should_compact(1_000, 400_000, 0)  # ~1 s of replay on an empty snapshot
    assert not should_compact(1_000, 400_000, 100_000_000)  # still less than loading a 100 MB snapshot
    assert should_compact(20_000, 8_000_000, 100_000_000)


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

    with closing(open_engine(tmp_path / "b")) as engine:
        restored = dump(engine.client())
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

    with closing(open_engine(tmp_path / "b")) as engine:
        item = engine.client().get_item(TableName="Post", Key={"id": {"S": "c"}})["Item"]
        assert item["n"]["N"] == "2"
        assert not (tables_dir(tmp_path / "b") / "journal-000001.jsonl").exists()


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

    with closing(open_engine(tmp_path / "b")) as engine:
        assert sorted(i["id"]["S"] for i in engine.client().scan(TableName="Post")["Items"]) == ["after", "before"]
