"""Damage and misuse are reported, not papered over: a data dir in use, a damaged journal, an
unreadable or missing snapshot stop the start and name the file."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from emulator.engine import EngineError
from emulator.persistence.store import tables_dir
from tests.persistence_engine import crash_image, create_posts, open_engine

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


def test_second_process_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    with closing(open_engine(tmp_path)):
        with pytest.raises(EngineError, match="in use by another appsync-emulator process"):
            open_engine(tmp_path)


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
    from emulator.persistence.moto_state import engine_version
    from emulator.persistence.snapshot import Snapshot, write_snapshot

    folder = tables_dir(tmp_path)
    folder.mkdir(parents=True)
    write_snapshot(folder / "snapshot.bin", Snapshot(2, engine_version(), b"not a pickle"))
    with pytest.raises(EngineError, match=r"snapshot\.bin: cannot load the snapshot, written by engine moto"):
        open_engine(tmp_path)
    assert (folder / "snapshot.bin").exists()


def test_snapshot_of_another_engine_version_stops_the_start_with_the_way_forward(tmp_path: Path) -> None:
    """A snapshot another moto wrote could load and then fail requests with HTTP 500 (its classes
    differ); the version in its header stops the start first, naming both and what to do."""
    from emulator.persistence.snapshot import Snapshot, write_snapshot

    folder = tables_dir(tmp_path)
    folder.mkdir(parents=True)
    write_snapshot(folder / "snapshot.bin", Snapshot(2, "5.1.0", b"whatever it holds"))
    with pytest.raises(EngineError) as raised:
        open_engine(tmp_path)
    message = str(raised.value)
    assert "written by engine moto 5.1.0" in message and "runs moto 5.2.5" in message
    assert "appsync-emulator export" in message and "appsync-emulator import" in message
    assert (folder / "snapshot.bin").exists()


def test_missing_snapshot_with_later_journal_is_refused(tmp_path: Path) -> None:
    folder = tables_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "journal-000003.jsonl").write_bytes(b"")
    with pytest.raises(EngineError, match="snapshot.bin is missing"):
        open_engine(tmp_path)
