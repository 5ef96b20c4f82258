"""Persistence on-disk formats: journal lines (torn and damaged), snapshots, which requests are writes."""

from pathlib import Path

import pytest

from emulator.persistence.files import DirLock, PersistenceError
from emulator.persistence.journal import Journal, JournalEntry, JournalError, read_journal
from emulator.persistence.requests import call_wsgi, entry_for, environ_for, is_write
from emulator.persistence.snapshot import Snapshot, SnapshotError, read_snapshot, write_snapshot


def entry(n: int) -> JournalEntry:
    return JournalEntry(headers={"X-Amz-Target": "DynamoDB_20120810.PutItem"}, body=f'{{"n": {n}}}', status=200)


def write_journal(path: Path, count: int) -> None:
    journal = Journal(path)
    for n in range(count):
        journal.sync(journal.append(entry(n)))
    journal.close()


def test_journal_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    write_journal(path, 3)
    contents = read_journal(path)
    assert contents.entries == [entry(0), entry(1), entry(2)]
    assert not contents.torn and contents.valid_length == path.stat().st_size


def test_journal_size_counts_bytes_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    write_journal(path, 2)
    journal = Journal(path)
    assert journal.size == path.stat().st_size
    journal.append(entry(2))
    assert journal.size == path.stat().st_size
    journal.close()


def test_torn_last_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    write_journal(path, 2)
    whole = path.stat().st_size
    with open(path, "ab") as out:
        out.write(entry(9).to_line()[:17])  # kill -9 in the middle of a write
    contents = read_journal(path)
    assert contents.entries == [entry(0), entry(1)]
    assert contents.torn and contents.valid_length == whole


def test_last_line_without_newline_counts_as_torn_even_when_it_parses(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    write_journal(path, 1)
    with open(path, "ab") as out:
        out.write(entry(1).to_line()[:-1])
    contents = read_journal(path)
    assert contents.entries == [entry(0)] and contents.torn


def test_damaged_last_line_with_newline_is_torn(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    write_journal(path, 1)
    with open(path, "ab") as out:
        out.write(b"\x00\x00\x00\n")
    assert read_journal(path).entries == [entry(0)]


def test_damaged_middle_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    path.write_bytes(entry(0).to_line() + b"{not json\n" + entry(2).to_line())
    with pytest.raises(JournalError) as caught:
        read_journal(path)
    assert str(path) in str(caught.value) and "line 2" in str(caught.value)


def test_entry_with_wrong_shape_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    path.write_bytes(b'{"headers": {}, "body": 3, "status": 200}\n' + entry(1).to_line())
    with pytest.raises(JournalError, match="line 1"):
        read_journal(path)


def test_empty_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal-000001.jsonl"
    path.write_bytes(b"")
    assert read_journal(path).entries == []


def test_rotate_continues_in_the_next_file(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal-000001.jsonl")
    first = journal.append(entry(0))
    journal.rotate(tmp_path / "journal-000002.jsonl")
    journal.sync(first)  # an earlier ticket is already durable: no error, no wait
    journal.sync(journal.append(entry(1)))
    journal.close()
    assert read_journal(tmp_path / "journal-000001.jsonl").entries == [entry(0)]
    assert read_journal(tmp_path / "journal-000002.jsonl").entries == [entry(1)]


def test_snapshot_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.bin"
    write_snapshot(path, Snapshot(3, "5.2.5", b"one"))
    write_snapshot(path, Snapshot(4, "5.2.5", b"\x00two\n"))
    assert read_snapshot(path) == Snapshot(4, "5.2.5", b"\x00two\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot.bin"]


def test_damaged_snapshot_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.bin"
    write_snapshot(path, Snapshot(1, "5.2.5", b"payload"))
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    with pytest.raises(SnapshotError, match="damaged"):
        read_snapshot(path)
    path.write_bytes(b"garbage\n")
    with pytest.raises(SnapshotError, match="bad snapshot header"):
        read_snapshot(path)


@pytest.mark.parametrize(
    ("target", "write"),
    [
        ("DynamoDB_20120810.PutItem", True),
        ("DynamoDB_20120810.UpdateItem", True),
        ("DynamoDB_20120810.BatchWriteItem", True),
        ("DynamoDB_20120810.TransactWriteItems", True),
        ("DynamoDB_20120810.CreateTable", True),
        ("DynamoDB_20120810.ExecuteStatement", True),
        ("DynamoDB_20120810.UpdateTimeToLive", True),
        ("DynamoDB_20120810.GetItem", False),
        ("DynamoDB_20120810.Query", False),
        ("DynamoDB_20120810.Scan", False),
        ("DynamoDB_20120810.BatchGetItem", False),
        ("DynamoDB_20120810.TransactGetItems", False),
        ("DynamoDB_20120810.DescribeTable", False),
        ("DynamoDB_20120810.ListTables", False),
        ("DynamoDBStreams_20120810.GetRecords", False),
        ("", False),
    ],
)
def test_which_requests_are_writes(target: str, write: bool) -> None:
    assert is_write({"HTTP_X_AMZ_TARGET": target}) is write


def test_recorded_request_drops_the_signature_and_replays() -> None:
    environ = environ_for(JournalEntry(
        headers={
            "X-Amz-Target": "DynamoDB_20120810.PutItem",
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": "AWS4-HMAC-SHA256 Credential=k/20260101/eu-west-1/dynamodb/aws4_request, "
                             "SignedHeaders=host, Signature=abcdef0123",
        },
        body='{"TableName": "T"}',
        status=200,
    ))
    recorded = entry_for(environ, b'{"TableName": "T"}', 200)
    assert "Signature=0" in recorded.headers["Authorization"] and "abcdef" not in recorded.headers["Authorization"]
    assert "eu-west-1" in recorded.headers["Authorization"]

    def echo(environ: dict, start_response) -> list[bytes]:  # type: ignore[no-untyped-def]
        start_response("201 Created", [("X", "1")])
        return [environ["wsgi.input"].read(), environ["HTTP_X_AMZ_TARGET"].encode()]

    response = call_wsgi(echo, environ_for(recorded))
    assert response.status_code == 201
    assert response.body == b'{"TableName": "T"}DynamoDB_20120810.PutItem'


def test_dir_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    lock = DirLock.acquire(tmp_path / "LOCK")
    with pytest.raises(PersistenceError, match="in use by another appsync-emulator process"):
        DirLock.acquire(tmp_path / "LOCK")
    lock.release()
    DirLock.acquire(tmp_path / "LOCK").release()


def test_failed_append_leaves_no_partial_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path = tmp_path / "journal-000001.jsonl"
    journal = Journal(path)
    journal.sync(journal.append(entry(0)))
    real_write = os.write

    def disk_full_half_way(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[:10]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full_half_way)
    with pytest.raises(OSError):
        journal.append(entry(1))
    monkeypatch.undo()
    journal.sync(journal.append(entry(2)))
    journal.close()
    assert read_journal(path).entries == [entry(0), entry(2)]


class FakeSink:
    """Records what the middleware journals; can fail like a full disk."""

    def __init__(self, fail: bool = False) -> None:
        import threading

        self.write_lock = threading.Lock()
        self.entries: list[JournalEntry] = []
        self.synced: list[int] = []
        self.fail = fail

    def append(self, entry: JournalEntry) -> int:
        if self.fail:
            raise OSError(28, "No space left on device")
        self.entries.append(entry)
        return len(self.entries)

    def sync(self, ticket: int) -> None:
        self.synced.append(ticket)


def engine_app(environ: dict, start_response) -> list[bytes]:  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
    return [b"{}"]


def request(target: str) -> dict:
    return environ_for(JournalEntry({"X-Amz-Target": target}, '{"TableName": "T"}', 0))


def test_middleware_journals_writes_and_syncs_before_answering() -> None:
    from emulator.persistence.recorder import JournalingMiddleware

    sink = FakeSink()
    app = JournalingMiddleware(engine_app, sink)
    assert call_wsgi(app, request("DynamoDB_20120810.Query")).body == b"{}"
    assert sink.entries == []
    response = call_wsgi(app, request("DynamoDB_20120810.PutItem"))
    assert response.status_code == 200 and response.body == b"{}"
    assert [e.body for e in sink.entries] == ['{"TableName": "T"}'] and sink.synced == [1]
    assert sink.entries[0].status == 200


def test_middleware_refuses_to_acknowledge_an_unjournaled_write() -> None:
    from emulator.persistence.recorder import JournalingMiddleware

    response = call_wsgi(JournalingMiddleware(engine_app, FakeSink(fail=True)), request("DynamoDB_20120810.PutItem"))
    assert response.status_code == 500
    assert b"InternalServerError" in response.body and b"No space left" in response.body
