"""Persisted tables come back: every write kind replays after a crash (or ``kill -9``), a clean
restart loads the snapshot only, a torn journal tail is dropped, other regions and accounts
return where they were, and the in-memory engine writes nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from emulator.engine import make_client, start_engine
from emulator.persistence.store import tables_dir
from tests.paths import ROOT
from tests.persistence_engine import (
    crash_image,
    create_posts,
    dump,
    every_write_kind,
    live_ratings,
    open_engine,
    table_names,
)

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


def test_every_write_kind_survives_a_crash(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    client = engine.client()
    every_write_kind(client)
    expected, expected_live = dump(client), live_ratings(client)
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()
    assert sorted(p.name for p in tables_dir(tmp_path / "b").iterdir()) == ["journal-000001.jsonl"]

    with closing(open_engine(tmp_path / "b")) as restarted:  # everything comes from replaying the journal
        assert dump(restarted.client()) == expected
        assert live_ratings(restarted.client()) == expected_live
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

    with closing(open_engine(tmp_path)) as engine:
        assert dump(engine.client()) == expected


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

    with closing(open_engine(tmp_path / "c")) as engine:
        assert sorted(i["id"]["S"] for i in engine.client().scan(TableName="Post")["Items"]) == ["after", "kept"]


def account_client(endpoint_url: str, account_id: str) -> Any:
    """A us-east-1 client whose tables moto keeps under ``account_id``."""
    client = make_client(endpoint_url, "us-east-1", local=True)
    client.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__(
        "x-moto-account-id", account_id))
    return client


def test_tables_of_other_regions_and_accounts_come_back_where_they_were(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a")
    europe = make_client(engine.endpoint_url, "eu-west-1", local=True)
    create_posts(europe, "Europe")
    europe.put_item(TableName="Europe", Item={"id": {"S": "e"}})
    create_posts(account_client(engine.endpoint_url, "111122223333"), "Elsewhere")
    crash_image(tmp_path / "a", tmp_path / "b")
    engine.close()

    with closing(open_engine(tmp_path / "b")) as engine:
        assert table_names(engine.client()) == []  # us-east-1, default account
        europe = make_client(engine.endpoint_url, "eu-west-1", local=True)
        assert [i["id"]["S"] for i in europe.scan(TableName="Europe")["Items"]] == ["e"]
        assert table_names(account_client(engine.endpoint_url, "111122223333")) == ["Elsewhere"]


def test_in_memory_engine_writes_nothing(tmp_path: Path) -> None:
    with closing(start_engine(None, "us-east-1", data_dir=None)) as engine:
        create_posts(engine.client(), "Memory")
    assert list(tmp_path.iterdir()) == []


KILL_SCRIPT = """
import sys
from pathlib import Path
from emulator.engine import make_client, start_engine
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

    with closing(open_engine(tmp_path)) as engine:
        stored = {int(i["n"]["N"]) for i in dump(engine.client())["K"]["items"]}
    assert set(range(acknowledged + 1)) <= stored
