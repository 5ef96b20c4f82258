"""The snapshot (format 2, ``emulator/persistence/image.py``): everything comes back, indexes
without a rebuild, a snapshot of the earlier format still loads, and writes go on while one is
being written (issue 15, point 5)."""

from __future__ import annotations

import pickle
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from moto.dynamodb.models import dynamodb_backends

from emulator.indexed_moto.table_index import index_of
from emulator.persistence import image as image_module
from emulator.persistence.moto_state import engine_version
from emulator.persistence.snapshot import Snapshot, write_snapshot
from emulator.persistence.store import SNAPSHOT_NAME, tables_dir
from tests.persistence_engine import create_posts, dump, every_write_kind, live_ratings, open_engine
from tests.stock_moto import clients

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


def stream_ids(endpoint_url: str, client: Any) -> list[str]:
    streams = clients(endpoint_url)[1]
    arn = client.describe_table(TableName="Post")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    position = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return [f"{r['eventName']} {r['dynamodb']['Keys']['id']['S']} {r['dynamodb']['SequenceNumber']}"
            for r in streams.get_records(ShardIterator=position)["Records"]]


def test_everything_comes_back_with_its_indexes(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    client = engine.client()
    every_write_kind(client)
    client.put_item(TableName="Post", Item={"id": {"S": "odd"}, "status": {"S": "live"}, "rating": {"N": "-2.50"},
                                            "nums": {"NS": ["1", "2.5"]}, "bins": {"BS": [b"\x00", b"\xff"]},
                                            "flag": {"BOOL": False}, "nothing": {"NULL": True},
                                            "deep": {"L": [{"M": {"x": {"L": [{"B": b"\x01"}]}}}]}})
    backup = client.create_backup(TableName="Post", BackupName="nightly")["BackupDetails"]["BackupArn"]
    client.restore_table_from_backup(TargetTableName="Restored", BackupArn=backup)
    expected, ratings, records = dump(client), live_ratings(client), stream_ids(engine.endpoint_url, client)
    engine.close()

    with closing(open_engine(tmp_path)) as restarted:
        client = restarted.client()
        post = dynamodb_backends["123456789012"]["us-east-1"].tables["Post"]
        assert index_of(post).secondary  # the byStatus ordering came back from the snapshot, unsorted work
        assert dump(client) == expected
        assert live_ratings(client) == ratings
        assert stream_ids(restarted.endpoint_url, client) == records
        assert [b["BackupArn"] for b in client.list_backups()["BackupSummaries"]] == [backup]
        client.put_item(TableName="Post", Item={"id": {"S": "later"}, "status": {"S": "live"}, "rating": {"N": "1"}})
        assert ("later", "1") in live_ratings(client)


def test_a_snapshot_of_the_earlier_format_still_loads(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    create_posts(engine.client())
    engine.client().put_item(TableName="Post", Item={"id": {"S": "p"}, "status": {"S": "live"}, "rating": {"N": "4"}})
    expected = dump(engine.client())
    state = {(account, region): backend for account, region, backend in dynamodb_backends.iter_backends()}
    folder = tables_dir(tmp_path / "b")
    folder.mkdir(parents=True)
    write_snapshot(folder / SNAPSHOT_NAME, Snapshot(1, engine_version(), pickle.dumps(state), format_version=1))
    engine.close()

    with closing(open_engine(tmp_path / "b")) as restarted:
        assert dump(restarted.client()) == expected
        assert live_ratings(restarted.client()) == [("p", "4")]


def test_writes_go_on_while_a_snapshot_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = open_engine(tmp_path)
    client = engine.client()
    create_posts(client)
    client.put_item(TableName="Post", Item={"id": {"S": "before"}})
    encoding, release = threading.Event(), threading.Event()
    original = image_module.EngineImage.payload

    def slow_payload(self: Any) -> bytes:
        encoding.set()
        assert release.wait(30), "the test never let the snapshot finish"
        return original(self)

    monkeypatch.setattr(image_module.EngineImage, "payload", slow_payload)
    compaction = threading.Thread(target=engine._server.store.compact)  # noqa: SLF001
    compaction.start()
    try:
        assert encoding.wait(30)
        finished = threading.Event()
        writer = threading.Thread(target=lambda: (client.put_item(TableName="Post", Item={"id": {"S": "during"}}),
                                                  finished.set()))
        writer.start()
        assert finished.wait(30), "a write waited for the snapshot to be written"
        writer.join()
    finally:
        release.set()
        compaction.join()
    engine.close()

    with closing(open_engine(tmp_path)) as restarted:
        ids = {item["id"]["S"] for item in dump(restarted.client())["Post"]["items"]}
    assert {"before", "during"} <= ids
