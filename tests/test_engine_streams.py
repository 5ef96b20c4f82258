"""Stream records are kept as long as a reader needs them (issue 15, point 4), through the DynamoDB
Streams API a table trigger reads them with (DescribeStream, GetShardIterator, GetRecords).

The per-shard bound is lowered here so the tests write hundreds of records, not thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from typing import Any

import pytest
from moto.core.utils import utcnow
from moto.dynamodb.models import table as moto_table

from emulator.engine import start_engine
from emulator.indexed_moto import streams as stream_module
from tests.stock_moto import clients

BOUND = 40

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    monkeypatch.setattr(stream_module, "MAX_RECORDS_PER_SHARD", BOUND)
    with closing(start_engine(None, "us-east-1")) as running:
        dynamodb, streams = running.client(), clients(running.endpoint_url)[1]
        dynamodb.create_table(TableName="T", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST",
                              StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        yield dynamodb, streams


def shard(dynamodb: Any, streams: Any) -> tuple[str, dict[str, Any]]:
    arn = dynamodb.describe_table(TableName="T")["Table"]["LatestStreamArn"]
    return arn, streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]


def iterator(dynamodb: Any, streams: Any, kind: str, **position: str) -> str:
    arn, found = shard(dynamodb, streams)
    return streams.get_shard_iterator(StreamArn=arn, ShardId=found["ShardId"], ShardIteratorType=kind,
                                      **position)["ShardIterator"]


def write(dynamodb: Any, first: int, count: int) -> None:
    for n in range(first, first + count):
        dynamodb.put_item(TableName="T", Item={"id": {"S": f"i{n:04d}"}, "n": {"N": str(n)}})


def read_all(streams: Any, position: str) -> tuple[list[str], str]:
    """Every record from ``position`` on, following NextShardIterator; and the iterator to go on."""
    ids: list[str] = []
    while True:
        page = streams.get_records(ShardIterator=position, Limit=25)
        ids += [record["dynamodb"]["Keys"]["id"]["S"] for record in page["Records"]]
        position = page["NextShardIterator"]
        if not page["Records"]:
            return ids, position


def test_a_reader_gets_every_record_written_after_it_started(engine: tuple[Any, Any]) -> None:
    dynamodb, streams = engine
    write(dynamodb, 0, 10)
    position = iterator(dynamodb, streams, "LATEST")
    write(dynamodb, 10, 5 * BOUND)  # five times what a shard keeps for nobody
    got, position = read_all(streams, position)
    assert got == [f"i{n:04d}" for n in range(10, 10 + 5 * BOUND)]
    write(dynamodb, 500, 3 * BOUND)  # and again, from where it stopped
    got, _ = read_all(streams, position)
    assert got == [f"i{n:04d}" for n in range(500, 500 + 3 * BOUND)]


def test_without_a_reader_a_shard_keeps_its_newest_records(engine: tuple[Any, Any]) -> None:
    dynamodb, streams = engine
    _, before = shard(dynamodb, streams)
    write(dynamodb, 0, 3 * BOUND)
    got, _ = read_all(streams, iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert got == [f"i{n:04d}" for n in range(2 * BOUND, 3 * BOUND)]
    _, after = shard(dynamodb, streams)
    start = int(after["SequenceNumberRange"]["StartingSequenceNumber"])
    assert start == int(before["SequenceNumberRange"]["StartingSequenceNumber"]) + 2 * BOUND


def test_records_older_than_the_retention_period_go(engine: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    dynamodb, streams = engine
    position = iterator(dynamodb, streams, "LATEST")
    write(dynamodb, 0, 5)
    later = utcnow() + timedelta(seconds=stream_module.RETENTION_SECONDS + 60)
    monkeypatch.setattr(stream_module, "utcnow", lambda: later)  # the clock moves on a day...
    monkeypatch.setattr(moto_table, "utcnow", lambda: later)  # ...for moto's record timestamps too
    write(dynamodb, 5, 1)  # a write a day later trims what is older than a day, reader or not
    got, _ = read_all(streams, iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert got == ["i0005"]
    with pytest.raises(streams.exceptions.TrimmedDataAccessException):
        streams.get_records(ShardIterator=position)


def test_expired_or_unknown_iterators_are_named(engine: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    dynamodb, streams = engine
    position = iterator(dynamodb, streams, "LATEST")
    monkeypatch.setattr(stream_module, "ITERATOR_SECONDS", -1)
    monkeypatch.setattr(stream_module, "_PRUNE_EVERY_SECONDS", -1)
    iterator(dynamodb, streams, "LATEST")  # issuing another drops the expired ones
    with pytest.raises(streams.exceptions.ExpiredIteratorException):
        streams.get_records(ShardIterator=position)
    with pytest.raises(streams.exceptions.ExpiredIteratorException):
        streams.get_records(ShardIterator=position[:-8] + "AAAAAAAA")


def test_an_expired_reader_no_longer_holds_records(engine: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    dynamodb, streams = engine
    iterator(dynamodb, streams, "LATEST")  # a reader that never comes back
    monkeypatch.setattr(stream_module, "ITERATOR_SECONDS", -1)
    write(dynamodb, 0, 2 * BOUND)
    got, _ = read_all(streams, iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert len(got) == BOUND
